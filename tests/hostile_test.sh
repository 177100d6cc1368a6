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

# Hostile clients and exhausted resources: the real daemon on a private
# socket and service directory (user mode, or a system instance when run
# as root), attacked through tests/helper.  $DINIT, $DINITCTL, $HELPER and
# $SRCDIR are set by the build (see Makefile.am).  Nothing here is timed:
# every wait polls for an observable fact, with a generous bound.

# Start the daemon in the background on ./sv.
dinit_start()
{
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" "$@" >out 2>err </dev/null &
	echo $! >dinit.pid
}

# The resident set of a process, in KiB.
rss_of()
{
	ps -o rss= -p "$1" | tr -d ' '
}

# How many descriptors a process has open.
fds_of()
{
	ls "/proc/$1/fd" | wc -l
}

# The lowest descriptor number a process does not use.
lowest_free_fd()
{
	_fd=0
	while [ -e "/proc/$1/fd/$_fd" ]; do
		_fd=$((_fd + 1))
	done
	echo "$_fd"
}

# Ask for the list; it must be served, whatever else is going on.
served_list()
{
	atf_check -s exit:0 -o match:"^\[.\+.     \] boot" -e empty \
	    timeout 60 "$DINITCTL" -p sock list
}

# Five services for the list, and boot waiting for them.
five_services()
{
	for n in 1 2 3 4 5; do
		svc s$n <<EOF2
type = process
command = $HELPER run $PWD/s.log
EOF2
	done
	svc boot <<EOF2
type = internal
depends-on: s1
depends-on: s2
depends-on: s3
depends-on: s4
depends-on: s5
EOF2
}

atf_test_case hostile_clients cleanup
hostile_clients_head()
{
	atf_set "descr" "1,000 hostile connections at once: a well-behaved" \
	    "client is served every time, and the daemon's memory and" \
	    "descriptors come back once they leave"
	atf_set "require.progs" "ps timeout"
}
hostile_clients_body()
{
	[ -d /proc/self/fd ] || atf_skip "needs /proc/PID/fd"
	five_services
	dinit_start boot
	wait_for out "[  OK  ] boot"
	pid=$(cat dinit.pid)
	served_list
	rss0=$(rss_of "$pid")
	fds0=$(fds_of "$pid")

	# Random bytes, oversized length prefixes, half messages then
	# silence, and clients that ask for lists but never read them.
	background hostile.out "$HELPER" hostile "$PWD/sock" 1000 "$PWD/stop"
	n=0
	while ! grep -q '^hostile: ready' hostile.out; do
		served_list
		n=$((n + 1))
		if [ "$n" -ge 2000 ] || grep -q '^helper:' hostile.out; then
			cat hostile.out
			atf_fail "the hostile clients never all got in"
		fi
	done
	for n in 1 2 3 4 5 6 7 8 9 10; do
		served_list
	done
	rss_peak=$(rss_of "$pid")
	echo "rss: $rss0 KiB before, $rss_peak KiB under attack"

	touch stop
	wait_for hostile.out "hostile: done"
	cat hostile.out
	# Once they are gone, the daemon is back near where it started: a
	# few MiB at most, whatever the clients made it hold.  A sanitizer's
	# allocator keeps what was freed (its quarantine): there only the
	# descriptors are counted.
	limit=$((rss0 + 4096))
	if grep -q __asan_init "$DINIT"; then
		echo "rss: not checked: $DINIT is built with a sanitizer"
		limit=$((rss_peak * 4))
	fi
	n=0
	while [ "$(rss_of "$pid")" -gt "$limit" ] ||
	    [ "$(fds_of "$pid")" -gt "$fds0" ]; do
		n=$((n + 1))
		if [ "$n" -ge 200 ]; then
			atf_fail "rss $(rss_of "$pid") KiB (was $rss0," \
			    "limit $limit), $(fds_of "$pid") fds (was $fds0)"
		fi
		served_list
		sleep 0.1
	done
	echo "rss: $(rss_of "$pid") KiB after"
	served_list
	dinit_stop
}
hostile_clients_cleanup()
{
	touch stop
	common_cleanup
}

atf_test_case fd_exhaustion cleanup
fd_exhaustion_head()
{
	atf_set "descr" "Out of descriptors, the daemon refuses clients at" \
	    "once with a reason, and serves them again as soon as" \
	    "descriptors come back"
	atf_set "require.progs" "prlimit timeout"
}
fd_exhaustion_body()
{
	[ -d /proc/self/fd ] || atf_skip "needs /proc/PID/fd"
	five_services
	dinit_start boot
	wait_for out "[  OK  ] boot"
	pid=$(cat dinit.pid)
	served_list
	soft=$(prlimit --pid "$pid" --nofile --noheadings --output SOFT)

	# Not one descriptor left: every client is refused, at once.
	atf_check prlimit --pid "$pid" --nofile="$(lowest_free_fd "$pid"):"
	for n in 1 2 3 4 5; do
		atf_check -s exit:1 -o empty -e match:"dinit refused the \
connection: dinit is out of file descriptors" \
		    timeout 60 "$DINITCTL" -p sock list
	done
	# Clients that give up meanwhile are cleared as they come.
	n=0
	while [ "$n" -lt 69 ]; do
		atf_check -o match:"eof" -e empty timeout 60 \
		    "$HELPER" raw "$PWD/sock" 10000
		n=$((n + 1))
	done
	wait_for err "refusing clients: dinit is out of file descriptors"
	# Descriptors are back: served at once, without a pause.
	atf_check prlimit --pid "$pid" --nofile="$soft:"
	served_list
	wait_for err "serving clients again"

	# Not even the spare descriptor can be used: the daemon pauses
	# accepting, and serves the waiting client once the limit is back.
	atf_check prlimit --pid "$pid" --nofile=3:
	background waiting.out timeout 60 "$DINITCTL" -p sock list
	wait_for err "control: accept"
	atf_check prlimit --pid "$pid" --nofile="$soft:"
	wait_for waiting.out "boot"
	served_list
	dinit_stop
}
fd_exhaustion_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case hostile_clients
	atf_add_test_case fd_exhaustion
}
