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

# Integration tests: the real daemon running out of memory, descriptors
# and processes while it supervises real services.  Memory runs out
# through tests/faults/failalloc.so ($FAILALLOC, with FAILALLOC_FILE:
# every allocation fails while the file exists); descriptors and
# processes through resource limits lowered on the running daemon with
# prlimit(1).  The daemon must survive, say why, and bring its services
# back once the resources return.  Nothing here is timed: every wait polls
# for an observable fact, with a generous bound.

# Skip unless the daemon can be run under the allocation-failure shim.
require_failalloc()
{
	[ -f "$FAILALLOC" ] || atf_skip "$FAILALLOC was not built"
	# A sanitizer runtime brings its own malloc: the shim cannot go in.
	if grep -q __asan_init "$DINIT"; then
		atf_skip "dinit is built with a sanitizer"
	fi
	# A static dinit has no dynamic loader to preload the shim.
	if command -v readelf >/dev/null 2>&1 &&
	    ! readelf -l "$DINIT" | grep -q INTERP; then
		atf_skip "dinit is linked statically"
	fi
}

# Skip unless prlimit(1) can change the limits of a running process.
require_prlimit()
{
	command -v prlimit >/dev/null 2>&1 || atf_skip "prlimit is missing"
}

# Wait (up to 20 s) until the process is gone.
wait_gone()
{
	_n=200
	while kill -0 "$1" 2>/dev/null; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			dump
			atf_fail "process $1 ($2) is still alive"
		fi
		sleep 0.1
	done
}

# One run of kill_timer_out_of_memory with this many filler services.
kill_timer_run()
{
	_fill=$1
	rm -rf sv ./*.log out err nomem
	# A variable of its own, so that a launch of base has an
	# environment to build (without one the child gets dinit's own,
	# and launching needs no memory).
	echo "BASE_VAR=1" >base.env
	svc base <<EOF
type = process
command = $HELPER run $PWD/base.log
env-file = $PWD/base.env
restart = yes
restart-delay = 0.1
restart-limit-count = 0
start-timeout = 0
EOF
	svc stubborn <<EOF
type = process
command = $HELPER ignore-term $PWD/stubborn.log
depends-on: base
start-timeout = 0
stop-timeout = 0.3
EOF
	# Fillers wait for readiness that never comes: each keeps its
	# start timer pending (and nothing else holds one), so libevent's
	# timer heap (room for 8, then doubled) is full, or not, when the
	# stop timer is armed.
	_names=
	_i=0
	while [ "$_i" -lt "$_fill" ]; do
		svc "f$_i" <<EOF
type = process
command = $HELPER run $PWD/f$_i.log
ready-notification = pipefd:3
start-timeout = 600
EOF
		_names="$_names f$_i"
		_i=$((_i + 1))
	done
	# shellcheck disable=SC2086
	FAILALLOC_FILE=$PWD/nomem LD_PRELOAD=$FAILALLOC \
	    "$DINIT" -d "$PWD/sv" -p "$PWD/sock" stubborn $_names \
	    >out 2>err </dev/null &
	echo $! >dinit.pid
	_i=0
	while [ "$_i" -lt "$_fill" ]; do
		wait_for "f$_i.log" "start "
		_i=$((_i + 1))
	done
	stubborn=$(pid_of stubborn.log start)
	base=$(pid_of base.log start)

	# Memory runs out; base crashes, so stubborn must stop for its
	# restart: SIGTERM, ignored, then SIGKILL after stop-timeout.
	touch nomem
	kill -KILL "$base"
	wait_for stubborn.log "term "
	wait_gone "$stubborn" stubborn
	# base cannot be relaunched without memory, and says why.
	wait_for err "base: cannot launch (building the environment): Cannot allocate memory"
	wait_for err "base: trying to launch again"

	# Memory comes back: so do base and stubborn.
	rm -f nomem
	wait_count base.log '^start ' 2
	wait_count stubborn.log '^start ' 2
	atf_check -o match:'^\[.\+.     \] stubborn \(pid: [0-9]+\)' \
	    "$DINITCTL" -p "$PWD/sock" list
	dinit_stop
	grep -F "cannot arm its timer" err >>armed.txt
	return 0
}

atf_test_case kill_timer_out_of_memory cleanup
kill_timer_out_of_memory_head()
{
	atf_set "descr" "Out of memory: a service that ignores SIGTERM is still killed, a failed relaunch is retried"
}
kill_timer_out_of_memory_body()
{
	require_failalloc
	# The run whose stop timer needs the heap to grow sees it fail;
	# five neighbouring sizes cover it whatever else holds a slot.
	: >armed.txt
	for fill in 5 6 7 8 9; do
		kill_timer_run "$fill"
	done
	# Whether a run had room for the stop timer or not, stubborn was
	# killed.  NB: libevent's allocations fall back on mem.c's reserve
	# when malloc fails, so the timer heap grows and the stop timer is
	# armed; proc.c's reserve timer stands in only once that reserve is
	# spent too, which this test cannot reach.  What it saw is shown.
	cat armed.txt
}
kill_timer_out_of_memory_cleanup()
{
	rm -f nomem
	common_cleanup
}

atf_test_case fd_exhaustion cleanup
fd_exhaustion_head()
{
	atf_set "descr" "Out of descriptors: the daemon survives, says why, and relaunches a restart = yes service once they return"
}
fd_exhaustion_body()
{
	require_prlimit
	svc flaky <<EOF
type = process
command = $HELPER run $PWD/flaky.log
restart = yes
restart-delay = 0.1
restart-limit-count = 0
EOF
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" flaky >out 2>err </dev/null &
	echo $! >dinit.pid
	dpid=$(cat dinit.pid)
	pid=$(pid_of flaky.log start)
	soft=$(prlimit --pid "$dpid" --nofile --noheadings --output=SOFT)

	# No descriptor above 2 can be made: not the status pipe of a
	# spawn, not a client's connection.
	atf_check prlimit --pid "$dpid" --nofile=3:
	kill -KILL "$pid"
	# EMFILE, in glibc's words or musl's.
	wait_for err "flaky: cannot launch (creating process): "
	atf_check -o ignore grep -E "flaky: cannot launch \(creating process\): (Too many open files|No file descriptors available)" err
	wait_count err "flaky: trying to launch again" 2
	kill -0 "$dpid" || atf_fail "the daemon died"
	atf_check -s exit:1 grep -F "[FAILED] flaky" out

	# They come back: so does flaky, and the daemon answers.
	atf_check prlimit --pid "$dpid" --nofile="$soft":
	wait_count flaky.log '^start ' 2
	atf_check -o match:'^\[.\+.     \] flaky \(pid: [0-9]+\)' \
	    "$DINITCTL" -p "$PWD/sock" list
	dinit_stop
}
fd_exhaustion_cleanup()
{
	common_cleanup
}

atf_test_case process_exhaustion cleanup
process_exhaustion_head()
{
	atf_set "descr" "Out of processes (RLIMIT_NPROC, unprivileged): the daemon survives and relaunches a restart = yes service once they return"
}
process_exhaustion_body()
{
	require_prlimit
	# RLIMIT_NPROC does not bind root: run the daemon as nobody, in a
	# scratch directory nobody may write to, and prlimit as nobody too
	# (root may lack CAP_SYS_RESOURCE, which changing another user's
	# limits takes).
	if [ "$(id -u)" -eq 0 ]; then
		command -v setpriv >/dev/null 2>&1 ||
		    atf_skip "setpriv is missing"
		getent passwd nobody >/dev/null || atf_skip "no user nobody"
		dir=$(mktemp -d /tmp/dinit-nproc.XXXXXX) ||
		    atf_fail "cannot make a scratch directory"
		echo "$dir" >scratch
		chmod 755 "$dir"
		chown nobody "$dir"
		asuser="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
	else
		dir=$PWD
		asuser=
	fi
	mkdir -p "$dir/sv"
	cat >"$dir/sv/flaky" <<EOF
type = process
command = $HELPER run $dir/flaky.log
restart = yes
restart-delay = 0.1
restart-limit-count = 0
EOF
	chmod -R a+rX "$dir/sv"
	# shellcheck disable=SC2086
	$asuser "$DINIT" -u -d "$dir/sv" -p "$dir/sock" flaky \
	    >out 2>err </dev/null &
	echo $! >dinit.pid
	dpid=$(cat dinit.pid)
	pid=$(pid_of "$dir/flaky.log" start)
	# shellcheck disable=SC2086
	soft=$($asuser prlimit --pid "$dpid" --nproc --noheadings \
	    --output=SOFT)

	# The daemon's user may have no more processes than it has now.
	# shellcheck disable=SC2086
	atf_check $asuser prlimit --pid "$dpid" --nproc=1:
	kill -KILL "$pid"
	wait_for err "flaky: cannot launch (creating process): Resource temporarily unavailable"
	wait_count err "flaky: trying to launch again" 2
	kill -0 "$dpid" || atf_fail "the daemon died"

	# shellcheck disable=SC2086
	atf_check $asuser prlimit --pid "$dpid" --nproc="$soft":
	wait_count "$dir/flaky.log" '^start ' 2
	atf_check -o match:'^\[.\+.     \] flaky \(pid: [0-9]+\)' \
	    "$DINITCTL" -p "$dir/sock" list
	dinit_stop
}
process_exhaustion_cleanup()
{
	common_cleanup
	if [ -f scratch ]; then
		dir=$(cat scratch)
		for p in $(sed -n 's/^start \([0-9][0-9]*\)$/\1/p' \
		    "$dir/flaky.log" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		rm -rf "$dir"
	fi
	return 0
}

atf_init_test_cases()
{
	atf_add_test_case kill_timer_out_of_memory
	atf_add_test_case fd_exhaustion
	atf_add_test_case process_exhaustion
}
