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

# What the atf-sh test programs share: writing service descriptions,
# bounded waits, and cleaning up after a failed test.  Sourced by every
# generated tests/*_test script (see Makefile.am).  Nothing here is
# timed: every wait polls for an observable fact, with a generous bound.

# Write a service description: svc NAME <<EOF ... EOF
svc()
{
	mkdir -p sv
	cat >"sv/$1"
}

# Show what the daemon and the services said, for a failure message.
dump()
{
	for f in out err console ns.out *.log *.out; do
		[ -f "$f" ] || continue
		echo "--- $f:"
		cat "$f"
	done
}

# Wait (up to 20 s) until file holds a line containing the fixed string.
wait_for()
{
	_n=200
	while ! grep -Fq -- "$2" "$1" 2>/dev/null; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			dump
			atf_fail "timed out waiting for '$2' in $1"
		fi
		sleep 0.1
	done
}

# Wait (up to 20 s) until file has at least n lines matching regex.
wait_count()
{
	_n=200
	while _c=$(grep -Ec -- "$2" "$1" 2>/dev/null) || :
	    [ "${_c:-0}" -lt "$3" ]; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			dump
			atf_fail "timed out waiting for $3 lines /$2/ in $1"
		fi
		sleep 0.1
	done
}

# Wait (up to 5 s) until the daemon has no zombie child: each one exited
# is reaped, whether a service's or an orphan's.
wait_no_zombies()
{
	_pid=$(cat dinit.pid)
	_n=50
	while ps -o stat= --ppid "$_pid" | grep -q Z; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || atf_fail "a zombie child of dinit stays"
		sleep 0.1
	done
}

# Wait for the daemon to exit (killing it after 30 s); status in $status.
dinit_wait()
{
	_pid=$(cat dinit.pid)
	(sleep 30; kill -KILL "$_pid") >/dev/null 2>&1 &
	_wd=$!
	wait "$_pid"
	status=$?
	kill "$_wd" 2>/dev/null
	rm -f dinit.pid
}

# Ask the daemon to stop everything and wait for it to exit.
dinit_stop()
{
	kill -TERM "$(cat dinit.pid)"
	dinit_wait
	if [ "$status" -ne 0 ]; then
		dump
		atf_fail "dinit exited with status $status"
	fi
}

# The pid a helper recorded last with the given word in a file (waiting
# for the record: a service counts as started once it has exec'd, a
# moment before the helper writes it).
pid_of()
{
	wait_for "$1" "$2 " >&2
	grep "^$2 " "$1" | tail -n 1 | cut -d' ' -f2
}

# Line number of the first line of a file containing a fixed string.
line_of()
{
	grep -Fn -- "$2" "$1" | head -n 1 | cut -d: -f1
}

# Run a command in the background, remembering its pid for the cleanup.
background()
{
	_out=$1
	shift
	"$@" >"$_out" 2>&1 </dev/null &
	echo $! >>bg.pids
}

# Kill what a failed test may have left: the daemons (a namespace's init
# takes its namespace with it), background clients and the pids our
# services recorded -- only pids this test started.
common_cleanup()
{
	for f in dinit.pid dinit2.pid init.pid; do
		[ -f "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null
	done
	if [ -f bg.pids ]; then
		for p in $(cat bg.pids); do
			kill -KILL "$p" 2>/dev/null
		done
	fi
	for f in *.log; do
		[ -f "$f" ] || continue
		for p in $(sed -n 's/^start \([0-9][0-9]*\)$/\1/p' "$f"); do
			kill -KILL "$p" 2>/dev/null
		done
	done
	return 0
}

# Whether the program $1 was built on a libc that keeps login records
# (utmpx, and wtmp at /var/log/wtmp): glibc does; musl keeps none (its
# utmpx functions do nothing and its wtmp is /dev/null/wtmp), so neither
# a boot or shutdown record nor a logged-in terminal can be seen there.
libc_keeps_logins()
{
	grep -aq /var/log/wtmp "$1"
}

# Skip a test that needs login records when the tools have none.
require_logins()
{
	libc_keeps_logins "$1" ||
	    atf_skip "this libc keeps no login records (utmpx, wtmp)"
}
