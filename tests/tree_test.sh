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

# Process trees: stopping a service reaches the descendants that left its
# process group (helper escape: a child that calls setsid).  On Linux
# through a control group: each test makes a scratch cgroup of its own
# under the cgroup2 mount (found in mountinfo, wherever it is), runs its
# services there, and in its cleanup kills only what is in that cgroup
# (all of it started by the test) and removes it.  Nothing is timed:
# every wait polls for an observable fact, with a bound.

# Start the daemon in the background on ./sv.
dinit_start()
{
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" "$@" >out 2>err </dev/null &
	echo $! >dinit.pid
}

# Skip unless we can make a cgroup: root, a cgroup2 mount, a writable one.
# Sets CGMOUNT (the mount), CGNAME (our scratch cgroup, as a cgroup path)
# and CGDIR (its directory).
require_cgroup()
{
	[ "$(id -u)" -eq 0 ] || atf_skip "needs root to make a cgroup"
	CGMOUNT=$(awk '{ for (i = 1; i < NF; i++) if ($i == "-") break;
	    if ($(i + 1) == "cgroup2") { print $5; exit } }' \
	    /proc/self/mountinfo 2>/dev/null)
	[ -n "$CGMOUNT" ] || atf_skip "no cgroup2 file system is mounted"
	CGNAME=/dinit-test-$$-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
	CGDIR=$CGMOUNT$CGNAME
	mkdir "$CGDIR" 2>/dev/null ||
	    atf_skip "cannot make a cgroup under $CGMOUNT"
	echo "$CGDIR" >cgroup.dir
	mkdir "$CGDIR/svc" ||
	    atf_skip "cannot make a child cgroup under $CGDIR"
}

# Kill what is left in our scratch cgroup and remove it.  Every process
# in it was started by this test.
cgroup_cleanup()
{
	[ -s cgroup.dir ] || return 0
	_dir=$(cat cgroup.dir)
	case "$_dir" in
	*/dinit-test-*) ;;
	*) return 0 ;;
	esac
	for _n in 1 2 3 4 5 6 7 8 9 10; do
		_left=$(cat "$_dir"/cgroup.procs "$_dir"/*/cgroup.procs \
		    2>/dev/null)
		[ -z "$_left" ] && break
		kill -KILL $_left 2>/dev/null
		sleep 0.1
	done
	rmdir "$_dir"/* 2>/dev/null
	rmdir "$_dir" 2>/dev/null
	return 0
}

# Wait (up to 20 s) until the process is gone (or a zombie).
wait_gone()
{
	_n=200
	while kill -0 "$1" 2>/dev/null &&
	    ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			dump
			atf_fail "process $1 is still there"
		fi
		sleep 0.1
	done
}

# Wait (up to 20 s) for a file to exist; print its first line.
wait_file()
{
	_n=200
	while [ ! -s "$1" ]; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			dump
			atf_fail "timed out waiting for $1"
		fi
		sleep 0.1
	done
	head -n 1 "$1"
}

atf_test_case cgroup_stop_kills_setsid_child cleanup
cgroup_stop_kills_setsid_child_head()
{
	atf_set "descr" "With run-in-cgroup under -b, stopping a process service ends a child that left its session; the status says cgroup"
}
cgroup_stop_kills_setsid_child_body()
{
	require_cgroup
	svc escaper <<EOF
type = process
command = $HELPER escape $PWD/escaped.pid $PWD/escaper.log
run-in-cgroup = svc
EOF
	printf 'type = internal\n' >sv/hold
	dinit_start -b "$CGNAME" hold
	wait_for out "[  OK  ] hold"
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" start escaper
	main=$(pid_of escaper.log start)
	escaped=$(wait_file escaped.pid)
	# Both are in the service's cgroup, the escaped one in a session
	# (and so a process group) of its own.
	atf_check -o match:"^$main\$" cat "$CGDIR/svc/cgroup.procs"
	atf_check -o match:"^$escaped\$" cat "$CGDIR/svc/cgroup.procs"
	[ "$(ps -o sid= -p "$escaped" | tr -d ' ')" = "$escaped" ] ||
	    atf_fail "the escaped child is not a session leader"
	atf_check -o match:"^    Process tree: cgroup$" \
	    "$DINITCTL" -p "$PWD/sock" status escaper
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" stop escaper
	wait_gone "$main"
	wait_gone "$escaped"
	dinit_stop
}
cgroup_stop_kills_setsid_child_cleanup()
{
	common_cleanup
	cgroup_cleanup
}

atf_test_case cgroup_absolute_ends_leftovers cleanup
cgroup_absolute_ends_leftovers_head()
{
	atf_set "descr" "An absolute run-in-cgroup path; what a scripted service left behind, ignoring SIGTERM, is killed when it stops"
}
cgroup_absolute_ends_leftovers_body()
{
	require_cgroup
	# The start script leaves a process that ignores SIGTERM behind it:
	# only the cgroup still knows it belongs to the service.
	svc leaver <<EOF
type = scripted
command = /bin/sh -c "$HELPER ignore-term $PWD/left.log </dev/null >/dev/null 2>&1 & exit 0"
run-in-cgroup = $CGNAME/svc
EOF
	printf 'type = internal\n' >sv/hold
	dinit_start hold
	wait_for out "[  OK  ] hold"
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" start leaver
	left=$(pid_of left.log start)
	atf_check -o match:"^$left\$" cat "$CGDIR/svc/cgroup.procs"
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" stop leaver
	wait_gone "$left"
	dinit_stop
}
cgroup_absolute_ends_leftovers_cleanup()
{
	common_cleanup
	cgroup_cleanup
}

atf_test_case cgroup_missing_fails_start cleanup
cgroup_missing_fails_start_head()
{
	atf_set "descr" "A run-in-cgroup that does not exist fails the start at the stage of entering it (dinit creates none)"
}
cgroup_missing_fails_start_body()
{
	require_cgroup
	svc nocg <<EOF
type = process
command = $HELPER run $PWD/nocg.log
run-in-cgroup = nosuch
EOF
	printf 'type = internal\n' >sv/hold
	dinit_start -b "$CGNAME" hold
	wait_for out "[  OK  ] hold"
	atf_check -s exit:1 -o ignore -e ignore \
	    "$DINITCTL" -p "$PWD/sock" start nocg
	atf_check -o match:"entering cgroup" \
	    "$DINITCTL" -p "$PWD/sock" status nocg
	[ ! -e nocg.log ] || atf_fail "the command ran outside its cgroup"
	dinit_stop
}
cgroup_missing_fails_start_cleanup()
{
	common_cleanup
	cgroup_cleanup
}

atf_test_case cgroup_path_checked
cgroup_path_checked_head()
{
	atf_set "descr" "-b names a cgroup that must exist: a missing one is refused with the reason"
}
cgroup_path_checked_body()
{
	grep -q ' - cgroup2 ' /proc/self/mountinfo 2>/dev/null ||
	    atf_skip "no cgroup2 file system is mounted"
	mkdir sv
	for opt in -b --cgroup-path; do
		atf_check -s exit:1 -o empty \
		    -e match:"--cgroup-path \(-b\) /dinit-no-such-cgroup-$$: no such cgroup" \
		    "$DINIT" $opt /dinit-no-such-cgroup-$$ -d "$PWD/sv" \
		    -p "$PWD/sock" nosuch
	done
	[ ! -e sock ] || atf_fail "dinit went on after refusing -b"
}

atf_test_case group_only_says_so cleanup
group_only_says_so_head()
{
	atf_set "descr" "Without a cgroup, only the process group is signalled, and the status says so"
}
group_only_says_so_body()
{
	[ "$(uname -s)" = Linux ] ||
	    atf_skip "elsewhere a process service may have a reaper"
	svc escaper <<EOF
type = process
command = $HELPER escape $PWD/escaped.pid $PWD/escaper.log
EOF
	printf 'type = internal\n' >sv/hold
	dinit_start hold
	wait_for out "[  OK  ] hold"
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" start escaper
	main=$(pid_of escaper.log start)
	escaped=$(wait_file escaped.pid)
	echo "$escaped" >>bg.pids
	atf_check -o match:"^    Process tree: process group$" \
	    "$DINITCTL" -p "$PWD/sock" status escaper
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" stop escaper
	wait_gone "$main"
	# As the status said: what left the process group is left alone.
	kill -0 "$escaped" || atf_fail "the escaped child was signalled"
	kill -TERM "$escaped"
	dinit_stop
}
group_only_says_so_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case cgroup_stop_kills_setsid_child
	atf_add_test_case cgroup_absolute_ends_leftovers
	atf_add_test_case cgroup_missing_fails_start
	atf_add_test_case cgroup_path_checked
	atf_add_test_case group_only_says_so
}
