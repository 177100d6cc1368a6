#!/bin/sh
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

# tests/soak.sh: the respawn soak (make check-soak; not in make check,
# not in CI).
#
# usage: sh soak.sh BUILDDIR
#
# Runs the daemon (user mode, private socket and directory) with two
# restart = yes services that crash as soon as they start, one with its
# output in a log buffer and one once it has signalled readiness, for SOAK_SECONDS
# (default 600) and samples the daemon's resident set size and its
# number of open descriptors every SOAK_SAMPLE seconds (default 10).  The
# first sample is taken once the services have been relaunched a few
# times (the daemon's allocations have settled); at the end the fd count
# must equal it and the RSS must be within SOAK_RSS_SLACK kB of it
# (default 1024); the fd count is the fewest seen in a second, since a
# launch under way holds a pipe or two.  Prints the figures; exit status 0 when both stayed
# flat, 1 when not (or the daemon died), 2 for a usage error.  Linux only
# (it reads /proc).  Only processes started here are killed.

set -u

[ $# -eq 1 ] || { echo "usage: sh soak.sh BUILDDIR" >&2; exit 2; }
builddir=$(cd "$1" && pwd) || exit 2
DINIT=$builddir/dinit
DINITCTL=$builddir/dinitctl
seconds=${SOAK_SECONDS:-600}
sample=${SOAK_SAMPLE:-10}
slack=${SOAK_RSS_SLACK:-1024}
for f in "$DINIT" "$DINITCTL"; do
	[ -x "$f" ] || { echo "soak: $f is missing" >&2; exit 2; }
done
[ -d /proc/self/fd ] || { echo "soak: no /proc" >&2; exit 2; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/dinit-soak.XXXXXX") || exit 2
dpid=
cleanup() {
	[ -n "$dpid" ] && kill -KILL "$dpid" 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir "$dir/sv"
cat >"$dir/sv/crasher" <<EOF
type = process
command = /bin/sh -c "echo x >> $dir/launches; exit 1"
restart = yes
restart-delay = 0.02
restart-limit-count = 0
log-type = buffer
EOF
cat >"$dir/sv/ready" <<EOF
type = process
command = /bin/sh -c "echo >&3; exit 1"
restart = yes
restart-delay = 0.02
restart-limit-count = 0
ready-notification = pipefd:3
EOF

rss() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$dpid/status"
}
# Open descriptors: the fewest of 20 looks 50 ms apart, since a launch
# under way holds a pipe or two for a moment; a leak raises the least.
fds() {
	_min=
	for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		_n=$(ls "/proc/$dpid/fd" | wc -l | tr -d ' ')
		if [ -z "$_min" ] || [ "$_n" -lt "$_min" ]; then
			_min=$_n
		fi
		sleep 0.05
	done
	echo "$_min"
}
launches() {
	if [ -f "$dir/launches" ]; then
		wc -l <"$dir/launches" | tr -d ' '
	else
		echo 0
	fi
}
alive() {
	kill -0 "$dpid" 2>/dev/null || { echo "soak: the daemon died" >&2;
	    cat "$dir/err" >&2; exit 1; }
}

"$DINIT" -d "$dir/sv" -p "$dir/sock" crasher ready \
    >/dev/null 2>"$dir/err" </dev/null &
dpid=$!

# Settle: the first few relaunches make what the daemon keeps (its log
# buffer, libevent's tables).
n=0
while [ "$(launches)" -lt 50 ]; do
	alive
	n=$((n + 1))
	[ "$n" -lt 300 ] || { echo "soak: the service never restarted" >&2;
	    exit 1; }
	sleep 0.1
done
rss0=$(rss)
fds0=$(fds)
start0=$(launches)
rssmax=$rss0
echo "soak: ${seconds}s; baseline after $start0 launches: RSS ${rss0} kB, $fds0 fds"

elapsed=0
while [ "$elapsed" -lt "$seconds" ]; do
	step=$sample
	[ $((seconds - elapsed)) -lt "$step" ] && step=$((seconds - elapsed))
	sleep "$step"
	elapsed=$((elapsed + step))
	alive
	r=$(rss)
	[ "$r" -gt "$rssmax" ] && rssmax=$r
	echo "soak: ${elapsed}s: $(launches) launches, RSS $r kB, $(fds) fds"
done

rss1=$(rss)
fds1=$(fds)
total=$(($(launches) - start0))
"$DINITCTL" -p "$dir/sock" list >/dev/null ||
    { echo "soak: the daemon does not answer" >&2; exit 1; }
kill -TERM "$dpid"
wait "$dpid"
status=$?
dpid=
echo "soak: $total launches in ${seconds}s ($((total / seconds))/s);" \
    "RSS ${rss0} -> ${rss1} kB (max ${rssmax}); fds ${fds0} -> ${fds1};" \
    "exit status $status"
result=0
if [ "$fds1" -ne "$fds0" ]; then
	echo "soak: FAIL: the daemon's descriptors went from $fds0 to $fds1" >&2
	result=1
fi
if [ "$rss1" -gt $((rss0 + slack)) ]; then
	echo "soak: FAIL: the daemon's RSS grew by $((rss1 - rss0)) kB" >&2
	result=1
fi
if [ "$status" -ne 0 ]; then
	echo "soak: FAIL: dinit exited with status $status" >&2
	result=1
fi
[ "$result" -eq 0 ] && echo "soak: ok"
exit "$result"
