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

# Adapter for upstream dinit (https://github.com/davmac314/dinit), sourced
# by bench/run.  The bench never fetches or builds it: $UPSTREAM_DINIT is
# a directory holding its dinit and dinitctl as its build leaves them
# (./configure && make leaves both in src/).
#
# Its service descriptions read as ours, so the service directories are
# those of adapters/dinit.sh (s1..sN, boot, hold).  The daemon runs as a
# user instance (-u: as root it would otherwise take itself for the
# system's service manager) on a private directory and socket, quiet;
# like ours, it leaves once no service is active (hence hold), and
# SIGTERM stops every service and makes it exit.  Its dinitctl talks to
# that socket with -p.

. "${BENCH:?}/adapters/dinit.sh"

# Is upstream dinit there?
dinit_upstream_available()
{
	[ -n "${UPSTREAM_DINIT:-}" ] && [ -x "$UPSTREAM_DINIT/dinit" ] &&
	    [ -x "$UPSTREAM_DINIT/dinitctl" ]
}

# setup N DIR KIND: as for dinit; a chain's length is kept for start.
dinit_upstream_setup()
{
	dinit_setup "$@" || return 1
	[ "$3" = chain ] && echo "$1" >"$2/chain"
	return 0
}

# start DIR: the daemon; for the chain, adapters/upstream-chain, which
# loads the chain in steps (upstream dinit does not load a dependency more
# than about 32 levels deep at once) and starts it.
dinit_upstream_start()
{
	if [ -f "$1/chain" ]; then
		echo "/bin/sh $BENCH/adapters/upstream-chain $1 $(cat "$1/chain")"
		return
	fi
	echo "$UPSTREAM_DINIT/dinit -u -d $1/sv -p $1/socket -q" \
	    "--log-level none boot hold"
}

# stop DIR
dinit_upstream_stop()
{
	echo "signal TERM"
}

# warm_stop DIR, warm_start DIR: S1-warm, through its dinitctl.
dinit_upstream_warm_stop()
{
	echo "$UPSTREAM_DINIT/dinitctl -p $1/socket stop boot"
}
dinit_upstream_warm_start()
{
	echo "$UPSTREAM_DINIT/dinitctl -p $1/socket start boot"
}

# steady DIR: S5 with its dinitctl.
dinit_upstream_steady()
{
	dinitctl_latency "$UPSTREAM_DINIT/dinitctl" "$1/socket"
}
