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

# Adapter for runit (Debian package runit), sourced by bench/run.
#
# A service directory per service, whose run is a symbolic link to tiny;
# runsvdir starts one runsv for each, which runs ./run.  SIGHUP makes
# runsvdir send SIGTERM to every runsv (which stops its service and
# exits) and exit.  runit has no dependencies, so there is no chain.
#
# NB: runsvdir supervises at most 1000 directories (MAXSERVICES in its
# source).  Above that, the services are spread over ceil(N/1000)
# directories, each with its own runsvdir, all started by
# adapters/runsvdirs, a small sh that forwards SIGHUP to them.
# runsvdir also rescans its directory at least every 5 seconds, which S6
# shows.

RUNIT_MAX=1000

# Is runit there?
runit_available()
{
	command -v runsvdir >/dev/null 2>&1 &&
	    command -v runsv >/dev/null 2>&1
}

# setup N DIR KIND (KIND "parallel" only).
runit_setup()
{
	[ "$3" = parallel ] || return 1
	rm -rf "$2" && mkdir -p "$2" && run_dirs "$1" "$2" "$RUNIT_MAX" ||
	    return 1
	# runsvdir waits a second before it scans a directory changed in
	# the current second: let the new ones age.
	sleep 2
}

# start DIR: runsvdir, or one per thousand services under runsvdirs.
runit_start()
{
	set -- "$1"/sv*
	if [ $# -eq 1 ]; then
		echo "runsvdir -P $1"
	else
		echo "/bin/sh $BENCH/adapters/runsvdirs $*"
	fi
}

# stop DIR
runit_stop()
{
	echo "signal HUP"
}

# warm_stop DIR, warm_start DIR: no single command restarts every
# service (S1-warm is not measured).
runit_warm_stop()
{
	:
}
runit_warm_start()
{
	:
}

# steady DIR: nothing to measure for S5.
runit_steady()
{
	:
}
