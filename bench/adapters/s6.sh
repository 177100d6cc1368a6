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

# Adapter for s6 (Debian package s6), sourced by bench/run.
#
# One scan directory with a service directory per service, whose run is
# a symbolic link to tiny; s6-svscan starts one s6-supervise for each,
# which runs ./run.  s6-svscanctl -t brings every service down and makes
# s6-svscan and the s6-supervise processes exit.  s6 has no dependencies
# (s6-rc adds them), so there is no chain.
#
# NB: s6-supervise waits about one second after a service dies before it
# runs ./run again (a throttle by design), which S7 shows.

# Is s6 there?
s6_available()
{
	command -v s6-svscan >/dev/null 2>&1 &&
	    command -v s6-svscanctl >/dev/null 2>&1
}

# setup N DIR KIND (KIND "parallel" only).
s6_setup()
{
	[ "$3" = parallel ] || return 1
	rm -rf "$2" && mkdir -p "$2/scan/.s6-svscan" &&
	    run_dirs "$1" "$2/scan" 0
}

# start DIR: s6-svscan, allowed as many services as there are (-c).
s6_start()
{
	set -- "$1" "$1"/scan/*
	echo "s6-svscan -c $(($# + 15)) $1/scan"
}

# stop DIR
s6_stop()
{
	echo "command s6-svscanctl -t $1/scan"
}

# warm_stop DIR, warm_start DIR: no single command restarts every
# service (S1-warm is not measured).
s6_warm_stop()
{
	:
}
s6_warm_start()
{
	:
}

# steady DIR: nothing to measure for S5.
s6_steady()
{
	:
}
