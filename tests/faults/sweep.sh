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

# tests/faults/sweep.sh: the allocation-failure sweep (tests/faults/README).
#
# usage: sh sweep.sh [-s stride | -n runs] [-f first] [-l last] [-w window]
#            [-o dir] [-j jobs] BUILDDIR
#
# A counting run finds how many allocations the daemon makes in the
# scenario below (N).  Then, for k = first, first+stride, ... up to last
# (default N), the scenario runs again with failalloc.so making the k-th
# allocation (and the window-1 after it) fail; -n makes about that many
# runs instead, three quarters of them from the event loop's start on
# (unless -f is given: then evenly from first).  -j runs that many at once.  Once the failures are
# over, the daemon must still answer "dinitctl list", every service must
# settle (started, stopped or failed; not starting or stopping forever),
# and "dinitctl shutdown" must end it with status 0.
#
# The scenario: the daemon (user mode, private socket) loads and starts
# 19 services, then serves list, status, start, stop, restart,
# reload, setenv, catlog, trigger and a service argument, and shuts down.
#
# Each k is one of:
#	ok		survived and settled
#	refused		exited with a status before its event loop started
#			(it could not load or start "boot"): allowed, "before
#			the loop starts, failure may end the program"
#	death		died by a signal at any time, or exited after its
#			event loop started and before it was told to shut
#			down
#	hang		a command or the settling or the shutdown did not
#			finish in time
# Prints one line per k that is not ok, a summary "faults: N runs, N ok,
# N refused, N deaths, N hangs", and the backtrace of each distinct death
# (failalloc prints one on a fatal signal).  Exit status 1 when there was
# a death or a hang, 2 for a usage error or a failed counting run.
#
# Everything lives in the output directory (default BUILDDIR/faults); only
# processes started here are killed, by the pids they recorded.

set -u

stride=1
runs=
first=1
first_given=no
last=
window=1
jobs=1
out=

usage() {
	echo "usage: sh sweep.sh [-s stride | -n runs] [-f first] [-l last]" \
	    "[-w window] [-o dir] [-j jobs] BUILDDIR" >&2
	exit 2
}

while getopts s:n:f:l:w:o:j: opt; do
	case $opt in
	s)	stride=$OPTARG ;;
	n)	runs=$OPTARG ;;
	f)	first=$OPTARG first_given=yes ;;
	l)	last=$OPTARG ;;
	w)	window=$OPTARG ;;
	o)	out=$OPTARG ;;
	j)	jobs=$OPTARG ;;
	*)	usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
builddir=$(cd "$1" && pwd) || exit 2
out=${out:-$builddir/faults}
DINIT=${DINIT:-$builddir/dinit}
DINITCTL=${DINITCTL:-$builddir/dinitctl}
SHIM=${FAILALLOC_SO:-$builddir/tests/faults/failalloc.so}
for f in "$DINIT" "$DINITCTL" "$SHIM"; do
	[ -e "$f" ] || { echo "sweep: $f is missing" >&2; exit 2; }
done
mkdir -p "$out" && out=$(cd "$out" && pwd) || exit 2
# A sanitizer runtime must come first and brings its own malloc: the
# shim cannot be preloaded into such a build.
if grep -q __asan_init "$DINIT"; then
	echo "sweep: $DINIT is built with a sanitizer; use a normal build" >&2
	exit 2
fi

# Bounds, in tenths of a second (polled): the control socket appearing,
# one dinitctl command, services settling, the shutdown.
T_LISTEN=100
T_CMD=10
T_SETTLE=150
T_SHUTDOWN=150

# Write the service directory of one run into $1/sv.  Process services
# record "start PID" in $1/pids so that whatever is left can be killed.
write_services() {
	d=$1
	sv=$d/sv
	mkdir -p "$sv"
	# In a description "$$" is a literal "$".
	rec="echo start \$\$\$\$ >> $d/pids"
	for n in 1 2 3 4 5 6; do
		cat >"$sv/p$n" <<-EOF
		type = process
		command = /bin/sh -c "$rec; exec sleep 600"
		EOF
	done
	echo "depends-on: p1" >>"$sv/p2"
	echo "waits-for: p2" >>"$sv/p3"
	echo "restart = yes" >>"$sv/p4"
	echo "stop-timeout = 2" >>"$sv/p5"
	echo "depends-ms: p4" >>"$sv/p6"
	for n in 1 2 3; do
		cat >"$sv/s$n" <<-EOF
		type = scripted
		command = /bin/sh -c "echo s$n >> $d/scripts"
		stop-command = /bin/sh -c "echo s$n stop >> $d/scripts"
		EOF
	done
	cat >"$sv/fails" <<-EOF
	type = scripted
	command = /bin/sh -c "exit 3"
	EOF
	printf 'A=1\nB=two\n' >"$d/env"
	cat >"$sv/withenv" <<-EOF
	type = scripted
	command = /bin/sh -c "test \"\$\$B\" = two"
	env-file = $d/env
	EOF
	cat >"$sv/common.inc" <<-EOF
	restart = no
	stop-timeout = 3
	EOF
	cat >"$sv/included" <<-EOF
	type = process
	command = /bin/sh -c "$rec; exec sleep 600"
	@include common.inc
	EOF
	cat >"$sv/logged" <<-EOF
	type = process
	command = /bin/sh -c "$rec; echo hello from logged; exec sleep 600"
	log-type = buffer
	EOF
	cat >"$sv/ready" <<-EOF
	type = process
	command = /bin/sh -c "$rec; echo ready >&3; exec sleep 600"
	ready-notification = pipefd:3
	EOF
	cat >"$sv/tmpl" <<-EOF
	type = process
	command = /bin/sh -c "$rec; exec sleep 600" \$1
	EOF
	cat >"$sv/trig" <<-EOF
	type = triggered
	EOF
	cat >"$sv/lazy" <<-EOF
	type = process
	command = /bin/sh -c "$rec; exec sleep 600"
	depends-on: s1
	EOF
	cat >"$sv/boot" <<-EOF
	type = internal
	waits-for: p3
	waits-for: p5
	waits-for: p6
	waits-for: s2
	waits-for: s3
	waits-for: fails
	waits-for: withenv
	waits-for: included
	waits-for: logged
	waits-for: ready
	waits-for: tmpl@one
	EOF
}

# Run dinitctl on the run's socket with a bound; status 124 when it hung.
ctl() {
	timeout -k 2 $((T_CMD / 10 + 5)) "$DINITCTL" -p "$d/sock" "$@" \
	    >>"$d/ctl.out" 2>&1 </dev/null
}

# Wait until the file $1 exists, up to $2 tenths, while pid $3 lives.
wait_file() {
	_n=$2
	while [ ! -e "$1" ]; do
		kill -0 "$3" 2>/dev/null || return 1
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 2
		sleep 0.1
	done
	return 0
}

# Wait until every service of "dinitctl list" is settled.
wait_settled() {
	_n=$T_SETTLE
	while :; do
		if timeout -k 2 5 "$DINITCTL" -p "$d/sock" list \
		    >"$d/list" 2>&1 </dev/null &&
		    ! grep -Eq '^\[...(<<|>>)' "$d/list"; then
			return 0
		fi
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || return 1
		sleep 0.1
	done
}

# Kill what a run left: the daemon and the pids its services recorded.
cleanup_run() {
	[ -n "${dpid:-}" ] && kill -KILL "$dpid" 2>/dev/null
	if [ -f "$d/pids" ]; then
		for p in $(sed -n 's/^start \([0-9][0-9]*\)$/\1/p' "$d/pids"); do
			kill -KILL "$p" 2>/dev/null
		done
	fi
	[ -n "${dpid:-}" ] && wait "$dpid" 2>/dev/null
}

# The daemon's exit, from its wait status in $1: "death" for a signal,
# or for an exit once its event loop ran; "refused" for an exit before.
exit_kind() {
	if [ "$1" -gt 128 ] || grep -q '^signal' "$d/failalloc.log"; then
		echo death
	elif grep -q '^loop' "$d/failalloc.log"; then
		echo death
	else
		echo refused
	fi
}

# One run with failure k (0: count only).  Writes the verdict to $d/verdict.
run_one() {
	k=$1
	d=$out/k$k
	rm -rf "$d"
	mkdir -p "$d"
	write_services "$d"
	dpid=
	FAILALLOC_K=$k FAILALLOC_W=$window FAILALLOC_LOG=$d/failalloc.log \
	FAILALLOC_BT=1 LD_PRELOAD=$SHIM \
	    "$DINIT" -u -q -d "$d/sv" -p "$d/sock" boot \
	    >"$d/out" 2>"$d/err" </dev/null &
	dpid=$!
	run_scenario
	if [ -z "$verdict" ]; then
		# Shut down and see it go; a shutdown request refused for
		# want of memory is asked again.
		_try=0
		until ctl shutdown || [ "$_try" -ge 3 ] ||
		    ! kill -0 "$dpid" 2>/dev/null; do
			_try=$((_try + 1))
		done
		_n=$T_SHUTDOWN
		while kill -0 "$dpid" 2>/dev/null && [ "$_n" -gt 0 ]; do
			_n=$((_n - 1))
			sleep 0.1
		done
		if kill -0 "$dpid" 2>/dev/null; then
			verdict="hang: shutdown"
		else
			wait "$dpid"
			st=$?
			dpid=
			if [ "$st" -gt 128 ] || grep -q '^signal' "$d/failalloc.log"; then
				verdict="death: status $st at shutdown"
			elif [ "$st" -ne 0 ]; then
				verdict="ok (exit status $st)"
			else
				verdict=ok
			fi
		fi
	fi
	cleanup_run
	echo "$verdict" >"$d/verdict"
}

# The scenario; sets verdict when it ended early, leaves it empty otherwise.
run_scenario() {
	verdict=
	noreply=
	wait_file "$d/sock" "$T_LISTEN" "$dpid"
	case $? in
	1)	wait "$dpid"; st=$?; dpid=
		verdict="$(exit_kind "$st"): status $st at startup"
		return ;;
	2)	verdict="hang: no control socket"; return ;;
	esac
	# The commands may fail while allocations fail; they must not hang,
	# and the daemon must not die.
	for cmd in "list" "status p1" "start lazy" "stop p3" "restart p5" \
	    "reload s1" "setenv FOO=bar" "catlog logged" "start tmpl@two" \
	    "start --no-wait trig" "trigger trig" "stop lazy" "unsetenv FOO" "status tmpl@one" \
	    "list"; do
		# shellcheck disable=SC2086
		ctl $cmd
		# A request left without an answer: go on, to see whether
		# the daemon itself still answers.
		if [ $? -eq 124 ]; then
			noreply="${noreply:+$noreply, }$cmd"
		fi
		if ! kill -0 "$dpid" 2>/dev/null; then
			wait "$dpid"; st=$?; dpid=
			verdict="$(exit_kind "$st"): status $st after dinitctl $cmd"
			return
		fi
	done
	# The failures are over by now, or end with the first of these
	# requests (which may be refused for want of memory): asked again,
	# the daemon must answer.  The trigger is pulled again, in case the
	# first pull was refused: trig would wait for it forever, as it
	# should.
	_try=0
	until ctl list || [ "$_try" -ge "$window" ]; do
		_try=$((_try + 1))
	done
	ctl trigger trig
	# The last values of k fail an allocation of this very request: it
	# may be refused for want of memory (window times at most); asked
	# again, it must be answered.
	_try=0
	until _listed=yes; ctl list; do
		_listed=no
		_try=$((_try + 1))
		[ "$_try" -gt "$window" ] && break
	done
	if [ "$_listed" != yes ]; then
		if kill -0 "$dpid" 2>/dev/null; then
			verdict="hang: dinitctl list fails after the faults"
		else
			wait "$dpid"; st=$?; dpid=
			verdict="$(exit_kind "$st"): status $st"
		fi
		return
	fi
	if [ -n "$noreply" ]; then
		verdict="hang: no answer to dinitctl $noreply"
		verdict="$verdict (the daemon still answers list)"
		return
	fi
	if ! wait_settled; then
		verdict="hang: not settled: $(grep -E '^\[...(<<|>>)' \
		    "$d/list" | sed 's/.*] //' | tr '\n' ' ')"
	fi
}

# A previous sweep's runs would be mistaken for this one's.
rm -rf "$out"/k[0-9]* "$out/deaths" "$out/summary"

# The counting run: how many allocations, where the phases begin.
run_one 0
total=$(sed -n 's/^exit //p' "$out/k0/failalloc.log")
listen=$(sed -n 's/^listen //p' "$out/k0/failalloc.log")
loop=$(sed -n 's/^loop //p' "$out/k0/failalloc.log")
if [ "$(cat "$out/k0/verdict")" != ok ] || [ -z "$total" ]; then
	echo "faults: the counting run failed: $(cat "$out/k0/verdict")" >&2
	cat "$out/k0/err" "$out/k0/ctl.out" >&2
	exit 2
fi
# Without the marks an exit after the loop would pass for a refusal.
if [ -z "$listen" ] || [ -z "$loop" ]; then
	echo "faults: the counting run did not see the socket listen or" \
	    "the event loop start (failalloc.so interposes neither)" >&2
	exit 2
fi
echo "faults: $total allocations in the scenario (socket listens at" \
    "${listen:-?}, event loop from ${loop:-?})"
last=${last:-$total}

# The values of k, one a line, into $out/ks.  With -n and no -f, a
# quarter of the runs sample the allocations before the event loop and
# the rest those after it: most of a scenario's allocations come before
# the loop (loading services), but after it is where a failure must
# never end the daemon.
sample() {	# FROM TO RUNS: about RUNS values of k evenly in FROM..TO
	_s=$((($2 - $1 + 1) / $3))
	[ "$_s" -ge 1 ] || _s=1
	_k=$1
	while [ "$_k" -le "$2" ]; do
		echo "$_k"
		_k=$((_k + _s))
	done
}
if [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
	if [ "$first_given" = no ] && [ "$loop" -gt "$first" ] &&
	    [ "$loop" -le "$last" ] && [ "$runs" -ge 4 ]; then
		sample "$first" $((loop - 1)) $((runs / 4))
		sample "$loop" "$last" $((runs - runs / 4))
	else
		sample "$first" "$last" "$runs"
	fi >"$out/ks"
else
	k=$first
	while [ "$k" -le "$last" ]; do
		echo "$k"
		k=$((k + stride))
	done >"$out/ks"
fi

# The sweep, jobs at a time.
set -- $(cat "$out/ks")
while [ "$#" -gt 0 ]; do
	i=0
	while [ "$i" -lt "$jobs" ] && [ "$#" -gt 0 ]; do
		run_one "$1" &
		shift
		i=$((i + 1))
	done
	wait
done

# The report.
nruns=0 ok=0 refused=0 deaths=0 hangs=0 after=0
: >"$out/deaths"
for k in $(cat "$out/ks"); do
	v=$(cat "$out/k$k/verdict" 2>/dev/null || echo "hang: no verdict")
	nruns=$((nruns + 1))
	case $v in
	ok*)		ok=$((ok + 1)); rm -rf "$out/k$k" ;;
	refused*)	refused=$((refused + 1)); rm -rf "$out/k$k" ;;
	death*)		deaths=$((deaths + 1)); echo "faults: k=$k: $v"
			# The frames under the signal handler name the death.
			sig=$(grep -A 5 '^failalloc: signal' "$out/k$k/err" |
			    sed -n '4,$p' | sed 's/\[0x[0-9a-f]*\]//' |
			    tr '\n' ' ')
			echo "$k ${sig:-no backtrace}" >>"$out/deaths" ;;
	hang*)		hangs=$((hangs + 1)); echo "faults: k=$k: $v" ;;
	esac
	[ "$k" -ge "$loop" ] && after=$((after + 1))
done
echo "faults: $nruns runs, $ok ok, $refused refused, $deaths deaths," \
    "$hangs hangs (k $first..$last, $after of them from the loop on," \
    "window $window)" |
    tee "$out/summary"
if [ "$deaths" -gt 0 ]; then
	echo "faults: distinct deaths (first k, frames under the handler):"
	sort -k2 -u "$out/deaths" | sort -n | sed 's/^/faults:   k=/'
	# Name the daemon's own frames, when binutils is there.
	if command -v addr2line >/dev/null; then
		sort -k2 -u "$out/deaths" | sort -n | while read -r k rest; do
			echo "faults:   k=$k in dinit:"
			grep -o 'dinit(+0x[0-9a-f]*)' "$out/k$k/err" |
			    sed 's/.*(+\(0x[0-9a-f]*\))/\1/' |
			    xargs addr2line -f -e "$DINIT" | paste - - |
			    sed 's/^/faults:     /'
		done
	fi
fi
[ "$deaths" -eq 0 ] && [ "$hangs" -eq 0 ]
