#
# Copyright (c) 2026 The dinit authors.
#
# Permission to use, copy, modify, and distribute this software for any
# purpose with or without fee is hereby granted, provided that the above
# copyright notice and this permission notice appear in all copies.
#
# THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
# WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
# MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
# ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
# WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
# ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
# OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
#

# Adapter for dinit, sourced by bench/run (see bench/README for the
# interface).  Uses $DINIT (the daemon) and $TINY.
#
# The daemon runs as an ordinary supervisor on a private service
# directory and socket, quiet (-q: no status lines; --log-level none: no
# main log), asked on its command line to start the group "boot" and the
# internal service "hold".  It leaves when no service is active, so hold
# keeps it up while S1-warm stops boot (and with it every service);
# SIGTERM stops every service.
#
# adapters/dinit-upstream.sh uses the same service directories.

# Is dinit there?
dinit_available()
{
	[ -x "$DINIT" ]
}

# One service description (name, then extra lines) into directory $1.
dinit_service()
{
	_sdir=$1 _sname=$2
	shift 2
	{
		echo "type = process"
		echo "command = $TINY"
		echo "restart = yes"
		echo "restart-delay = 0"
		echo "restart-limit-count = 0"
		for _line; do
			echo "$_line"
		done
	} >"$_sdir/$_sname"
}

# setup N DIR KIND: N services in DIR/sv.  KIND "parallel": s1..sN,
# independent, gathered by the internal service boot through waits-for.d;
# KIND "chain": s1..sN, each depending on the one before, boot = sN.
# Either way an internal service hold, which nothing depends on.
dinit_setup()
{
	_n=$1 _dir=$2 _kind=$3 _i=1
	rm -rf "$_dir" && mkdir -p "$_dir/sv/boot.d" || return 1
	while [ "$_i" -le "$_n" ]; do
		if [ "$_kind" = chain ] && [ "$_i" -gt 1 ]; then
			dinit_service "$_dir/sv" "s$_i" \
			    "depends-on: s$((_i - 1))"
		else
			dinit_service "$_dir/sv" "s$_i"
		fi
		if [ "$_kind" = parallel ]; then
			: >"$_dir/sv/boot.d/s$_i"
		fi
		_i=$((_i + 1))
	done
	if [ "$_kind" = chain ]; then
		printf 'type = internal\ndepends-on: s%s\n' "$_n" \
		    >"$_dir/sv/boot"
	else
		printf 'type = internal\nwaits-for.d = boot.d\n' \
		    >"$_dir/sv/boot"
	fi
	printf 'type = internal\n' >"$_dir/sv/hold"
}

# start DIR: the supervisor's command line, run in the foreground by the
# harness (whose child it is: that pid is the supervisor's).
dinit_start()
{
	echo "$DINIT -d $1/sv -p $1/socket -q --log-level none boot hold"
}

# stop DIR: how to stop everything ("signal NAME" or "command ...").
dinit_stop()
{
	echo "signal TERM"
}

# warm_stop DIR, warm_start DIR: S1-warm, the commands that stop every
# service and start them all again (an administrator restarting the
# target boot); nothing without a dinitctl.
dinit_warm_stop()
{
	[ -x "$(dirname "$DINIT")/dinitctl" ] &&
	    echo "$(dirname "$DINIT")/dinitctl -p $1/socket stop boot"
}
dinit_warm_start()
{
	[ -x "$(dirname "$DINIT")/dinitctl" ] &&
	    echo "$(dirname "$DINIT")/dinitctl -p $1/socket start boot"
}

# dinitctl_latency CTL SOCKET: S5 for a dinitctl, the control client's
# status and list against the same client's --version (no IPC) and
# /bin/true, taken in turn.  Without the client, says so.
dinitctl_latency()
{
	if [ ! -x "$1" ]; then
		echo "s5_na 1"
		return 0
	fi
	"$HARNESS" latency -r 50 -p s5 \
	    s5_status "$1" -p "$2" status s1 --- \
	    s5_list "$1" -p "$2" list --- \
	    s5_version "$1" --version --- \
	    s5_true /bin/true
}

# steady DIR: run by the harness with N services up (S5).
dinit_steady()
{
	dinitctl_latency "$(dirname "$DINIT")/dinitctl" "$1/socket"
}
