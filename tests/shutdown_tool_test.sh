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

# dinit-shutdown as halt, poweroff, reboot and shutdown, flag by flag.
# Everything that could end a machine, write login accounting or reach a
# terminal runs in a PID and mount namespace of its own, where reboot(2)
# ends the namespace (its init killed by SIGINT for halt and power off,
# SIGHUP for reboot) and scratch files stand in for the host's:
#	./varlog	bound over /var/log (./varlog/wtmp is the wtmp)
#	./utmp		copied to /run/utmp, on a /run of the namespace's own
#	./pts		bound over /dev/pts (./pts/7 is a logged-in terminal)
#	./console	bound over /dev/console
# Every test checks at its end that the host's wtmp got no shutdown record.

# Skip unless we can make namespaces (root, unshare, nsenter, utmpdump).
require_ns()
{
	[ "$(id -u)" -eq 0 ] || atf_skip "needs root for PID and mount namespaces"
	for _t in unshare nsenter utmpdump setpriv; do
		command -v "$_t" >/dev/null 2>&1 || atf_skip "$_t is missing"
	done
	unshare --pid --mount --fork true 2>/dev/null ||
	    atf_skip "this kernel or sandbox refuses new namespaces"
	host_shutdown_records >host-wtmp.before
	mkdir -p varlog pts
	: >varlog/wtmp
	: >pts/7
	: >console
	# One user logged in on pts/7.
	printf '%s\n' "[7] [04242] [ts/7] [tester  ] [pts/7       ] [                    ] [0.0.0.0        ] [2026-01-01T00:00:00,000000+00:00]" |
	    utmpdump -r -o utmp >/dev/null 2>&1 ||
	    atf_fail "utmpdump cannot write a utmp file"
	ln -s "$DINIT_SHUTDOWN" halt
	ln -s "$DINIT_SHUTDOWN" poweroff
	ln -s "$DINIT_SHUTDOWN" reboot
	ln -s "$DINIT_SHUTDOWN" shutdown
	make_ns_scripts
}

# Scripts (so that atf_check can run them): ./ns-run runs a command in a
# fresh namespace of its own (no dinit) and waits for it; ./in-ns runs
# one inside the namespace ns_start made (its PID and mounts).
make_ns_scripts()
{
	cat >ns-run <<EOF
#!/bin/sh
HOSTNS=\$(readlink /proc/self/ns/pid)
export HOSTNS
exec unshare --pid --mount --fork --mount-proc sh -c '$NS_SETUP' sh "\$@"
EOF
	cat >in-ns <<EOF
#!/bin/sh
exec nsenter -t "\$(cat "$PWD/init.pid")" -p -m -- "\$@"
EOF
	chmod +x ns-run in-ns
}

# The shutdown records in the host's wtmp.  (Only they are counted: the
# host's wtmp may get other records meanwhile, from outside this test.)
host_shutdown_records()
{
	if [ -f /var/log/wtmp ]; then
		utmpdump /var/log/wtmp 2>/dev/null | grep -c '\[shutdown\]'
	else
		echo 0
	fi
}

# No shutdown record went to the host's wtmp.
check_host_wtmp()
{
	host_shutdown_records >host-wtmp.after
	atf_check -o empty diff host-wtmp.before host-wtmp.after
}

# The namespace's set-up, then exec "$@" as its PID 1 (a shell script
# for unshare's child; it refuses to run in the host's PID namespace).
NS_SETUP='
	[ "$(readlink /proc/self/ns/pid)" != "$HOSTNS" ] || exit 99
	[ "$$" -eq 1 ] || exit 98
	mount --make-rprivate / 2>/dev/null
	mount --bind "$PWD/console" /dev/console || exit 97
	mount -t tmpfs -o mode=0755 tmpfs /run || exit 96
	cp "$PWD/utmp" /run/utmp || exit 95
	mount --bind "$PWD/varlog" /var/log || exit 94
	mount --bind "$PWD/pts" /dev/pts || exit 93
	exec "$@" </dev/null
'

# Run dinit as PID 1 of a new namespace, in the background, on ./sv with
# the system socket /run/dinitctl.  Its host pid goes to ./init.pid, the
# exit status of unshare (128 + the signal that ended the namespace) to
# ./ns.status once it ends.
ns_start()
{
	HOSTNS=$(readlink /proc/self/ns/pid)
	export HOSTNS
	(
		unshare --pid --mount --fork --mount-proc sh -c "$NS_SETUP" \
		    sh "$DINIT" --console-level info -d "$PWD/sv" -p /run/dinitctl
		echo $? >ns.status
	) >ns.out 2>&1 &
	_n=100
	while [ "$_n" -gt 0 ] && [ ! -s ns.status ]; do
		_u=$(pgrep -P $! -x unshare 2>/dev/null | head -n 1)
		if [ -n "$_u" ]; then
			_i=$(pgrep -P "$_u" 2>/dev/null | head -n 1)
			if [ -n "$_i" ]; then
				echo "$_i" >init.pid
				break
			fi
		fi
		_n=$((_n - 1))
		sleep 0.1
	done
	[ -s init.pid ] || { cat ns.out; atf_fail "the namespace did not start"; }
}

# Wait (up to 30 s) for the namespace to end; its status in $status.
wait_ns()
{
	_n=300
	while [ ! -s ns.status ]; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			dump
			atf_fail "the namespace did not end"
		fi
		sleep 0.1
	done
	status=$(cat ns.status)
}

# Whether dinit still runs as the namespace's init.
init_alive()
{
	[ ! -s ns.status ] && kill -0 "$(cat init.pid)" 2>/dev/null
}

# Stop a namespace that is still up (SIGTERM halts it) and wait for it.
ns_stop()
{
	kill -TERM "$(cat init.pid)"
	wait_ns
	atf_check_equal 130 "$status"
}

# boot needs svc, a process that records "up" and, on SIGTERM, "term".
boot_with_svc()
{
	svc svc <<EOF
type = process
command = /bin/sh -c "trap 'echo term >> $PWD/svc.log; exit 0' TERM; echo up >> $PWD/svc.log; while :; do sleep 0.1; done"
EOF
	svc boot <<EOF
depends-on: svc
EOF
}

# The scratch wtmp holds a shutdown record (or, with "none" or a libc that
# keeps no records, nothing).
check_record()
{
	if [ "$1" = none ] || ! libc_keeps_logins "$DINIT_SHUTDOWN"; then
		atf_check -s exit:1 test -s varlog/wtmp
		return
	fi
	atf_check -o match:'\[shutdown\] \[~ ' -e ignore utmpdump varlog/wtmp
}

cleanup_ns()
{
	common_cleanup
}

atf_test_case force_reboots_at_once cleanup
force_reboots_at_once_head()
{
	atf_set "descr" "reboot -f reboots without stopping any service, after the wtmp record"
}
force_reboots_at_once_body()
{
	require_ns
	boot_with_svc
	ns_start
	wait_for svc.log up
	./in-ns "$PWD/reboot" -f >/dev/null 2>&1 || :
	wait_ns
	atf_check_equal 129 "$status"
	atf_check -s exit:1 grep -x term svc.log
	atf_check -s exit:1 grep -F "Will reboot" console
	check_record
	check_host_wtmp
}
force_reboots_at_once_cleanup()
{
	cleanup_ns
}

atf_test_case quick_halts_at_once cleanup
quick_halts_at_once_head()
{
	atf_set "descr" "halt -q (FreeBSD's quick) halts without stopping any service"
}
quick_halts_at_once_body()
{
	require_ns
	boot_with_svc
	ns_start
	wait_for svc.log up
	./in-ns "$PWD/halt" -q >/dev/null 2>&1 || :
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -s exit:1 grep -x term svc.log
	check_record
	check_host_wtmp
}
quick_halts_at_once_cleanup()
{
	cleanup_ns
}

atf_test_case no_sync_writes_no_record cleanup
no_sync_writes_no_record_head()
{
	atf_set "descr" "poweroff -f -n powers off at once and, as -n implies -d, writes no wtmp record"
}
no_sync_writes_no_record_body()
{
	require_ns
	boot_with_svc
	ns_start
	wait_for svc.log up
	./in-ns "$PWD/poweroff" -f -n >/dev/null 2>&1 || :
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -s exit:1 grep -x term svc.log
	check_record none
	check_host_wtmp
}
no_sync_writes_no_record_cleanup()
{
	cleanup_ns
}

atf_test_case force_needs_root cleanup
force_needs_root_head()
{
	atf_set "descr" "reboot -f by a user other than root fails and ends nothing"
}
force_needs_root_body()
{
	require_ns
	boot_with_svc
	ns_start
	wait_for svc.log up
	atf_check -s exit:1 -e match:"only root" ./in-ns setpriv \
	    --reuid=65534 --regid=65534 --clear-groups "$PWD/reboot" -f
	init_alive || atf_fail "the namespace ended"
	atf_check -s exit:1 grep -x term svc.log
	check_record none
	ns_stop
	check_host_wtmp
}
force_needs_root_cleanup()
{
	cleanup_ns
}

atf_test_case wtmp_only cleanup
wtmp_only_head()
{
	atf_set "descr" "reboot -w writes the wtmp shutdown record and nothing else"
}
wtmp_only_body()
{
	require_ns
	require_logins "$DINIT_SHUTDOWN"
	boot_with_svc
	ns_start
	wait_for svc.log up
	atf_check -s exit:0 -o empty -e empty ./in-ns "$PWD/reboot" -w
	check_record
	init_alive || atf_fail "the namespace ended"
	atf_check -s exit:1 grep -x term svc.log
	ns_stop
	check_host_wtmp
}
wtmp_only_cleanup()
{
	cleanup_ns
}

atf_test_case wtmp_only_fails_without_wtmp
wtmp_only_fails_without_wtmp_head()
{
	atf_set "descr" "reboot -w fails (status 1) when there is no wtmp to write"
}
wtmp_only_fails_without_wtmp_body()
{
	require_ns
	rm varlog/wtmp
	atf_check -s exit:1 -e match:"shutdown record" ./ns-run "$PWD/reboot" -w
	atf_check -s exit:1 test -e varlog/wtmp
	check_host_wtmp
}

atf_test_case request_writes_record cleanup
request_writes_record_head()
{
	atf_set "descr" "reboot asks the system instance to stop everything and reboot, after the wtmp record"
}
request_writes_record_body()
{
	require_ns
	boot_with_svc
	ns_start
	wait_for svc.log up
	atf_check -s ignore -o ignore -e ignore ./in-ns "$PWD/reboot"
	wait_ns
	atf_check_equal 129 "$status"
	atf_check -o ignore grep -x term svc.log
	atf_check -o ignore grep -F "Will reboot" console
	check_record
	check_host_wtmp
}
request_writes_record_cleanup()
{
	cleanup_ns
}

atf_test_case no_record_flag cleanup
no_record_flag_head()
{
	atf_set "descr" "poweroff -d powers off through dinit and writes no wtmp record"
}
no_record_flag_body()
{
	require_ns
	boot_with_svc
	ns_start
	wait_for svc.log up
	atf_check -s ignore -o ignore -e ignore ./in-ns "$PWD/poweroff" -d
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -o ignore grep -x term svc.log
	atf_check -o ignore grep -F "Will power down" console
	check_record none
	check_host_wtmp
}
no_record_flag_cleanup()
{
	cleanup_ns
}

atf_test_case halt_p_powers_off cleanup
halt_p_powers_off_head()
{
	atf_set "descr" "halt -p asks for a power-off, halt alone for a halt"
}
halt_p_powers_off_body()
{
	require_ns
	boot_with_svc
	ns_start
	wait_for svc.log up
	atf_check -s ignore -o ignore -e ignore ./in-ns "$PWD/halt" -p
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -o ignore grep -F "Will power down" console

	rm -f ns.status init.pid console svc.log
	: >console
	: >varlog/wtmp
	ns_start
	wait_for svc.log up
	atf_check -s ignore -o ignore -e ignore ./in-ns "$PWD/halt"
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -o ignore grep -F "Will halt" console
	check_host_wtmp
}
halt_p_powers_off_cleanup()
{
	cleanup_ns
}

atf_test_case shutdown_now_tells_users cleanup
shutdown_now_tells_users_head()
{
	atf_set "descr" "shutdown -r now MESSAGE writes to logged-in terminals and reboots through dinit"
}
shutdown_now_tells_users_body()
{
	require_ns
	require_logins "$DINIT_SHUTDOWN"
	boot_with_svc
	ns_start
	wait_for svc.log up
	atf_check -s ignore -o ignore -e ignore ./in-ns "$PWD/shutdown" -r now \
	    "disk swap"
	wait_ns
	atf_check_equal 129 "$status"
	atf_check -o ignore grep -x term svc.log
	atf_check -o match:"going down for reboot NOW" -o match:"disk swap" \
	    cat pts/7
	check_host_wtmp
}
shutdown_now_tells_users_cleanup()
{
	cleanup_ns
}

atf_test_case shutdown_later_and_cancel cleanup
shutdown_later_and_cancel_head()
{
	atf_set "descr" "shutdown -h +5 leaves a waiting process that shutdown -c ends; only one is pending"
}
shutdown_later_and_cancel_body()
{
	require_ns
	require_logins "$DINIT_SHUTDOWN"
	boot_with_svc
	ns_start
	wait_for svc.log up
	atf_check -s exit:0 -o match:"Shutdown scheduled for" -e empty \
	    ./in-ns "$PWD/shutdown" -h +5 "new disk"
	atf_check -o match:"going down for halt in 5 minutes" \
	    -o match:"new disk" cat pts/7
	pid=$(./in-ns cat /run/dinitctl.shutdown)
	atf_check -s exit:0 -e ignore ./in-ns kill -0 "$pid"
	atf_check -s exit:1 -e match:"already pending" \
	    ./in-ns "$PWD/shutdown" -r +1
	atf_check -s exit:0 -o match:"Shutdown cancelled" \
	    ./in-ns "$PWD/shutdown" -c "not today"
	atf_check -s exit:1 -e ignore ./in-ns kill -0 "$pid"
	atf_check -s exit:1 ./in-ns test -e /run/dinitctl.shutdown
	atf_check -o match:"shutdown has been cancelled" \
	    -o match:"not today" cat pts/7
	atf_check -s exit:1 -e match:"no shutdown is pending" \
	    ./in-ns "$PWD/shutdown" -c
	init_alive || atf_fail "the namespace ended"
	atf_check -s exit:1 grep -x term svc.log
	ns_stop
	check_host_wtmp
}
shutdown_later_and_cancel_cleanup()
{
	cleanup_ns
}

atf_test_case shutdown_at_clock_time cleanup
shutdown_at_clock_time_head()
{
	atf_set "descr" "shutdown -r hh:mm:ss waits for that time, then reboots through dinit"
}
shutdown_at_clock_time_body()
{
	require_ns
	require_logins "$DINIT_SHUTDOWN"
	boot_with_svc
	ns_start
	wait_for svc.log up
	at=$(date -d "@$(($(date +%s) + 4))" +%H:%M:%S)
	atf_check -s exit:0 -o match:"Shutdown scheduled for .* $at" \
	    ./in-ns "$PWD/shutdown" -r "$at"
	init_alive || atf_fail "the namespace ended before the time"
	wait_ns
	atf_check_equal 129 "$status"
	atf_check -o ignore grep -x term svc.log
	atf_check -o match:"going down for reboot NOW" cat pts/7
	check_record
	check_host_wtmp
}
shutdown_at_clock_time_cleanup()
{
	cleanup_ns
}

atf_test_case shutdown_warn_only cleanup
shutdown_warn_only_head()
{
	atf_set "descr" "shutdown -k only warns the users"
}
shutdown_warn_only_body()
{
	require_ns
	require_logins "$DINIT_SHUTDOWN"
	boot_with_svc
	ns_start
	wait_for svc.log up
	atf_check -s exit:0 -o empty -e empty ./in-ns "$PWD/shutdown" -k +10 drill
	atf_check -o match:"going down for power-off in 10 minutes" \
	    -o match:drill cat pts/7
	atf_check -s exit:1 ./in-ns test -e /run/dinitctl.shutdown
	init_alive || atf_fail "the namespace ended"
	ns_stop
	check_host_wtmp
}
shutdown_warn_only_cleanup()
{
	cleanup_ns
}

atf_test_case usage_errors
usage_errors_head()
{
	atf_set "descr" "Bad times, operands and the old -p socket are usage errors (status 2)"
}
usage_errors_body()
{
	require_ns
	for t in 24:00 12:60 1:2:3:4 +x + tomorrow 12: :30; do
		atf_check -s exit:2 -e match:"bad time" \
		    ./ns-run "$PWD/shutdown" --socket-path "$PWD/none" "$t"
	done
	atf_check -s exit:2 -e match:usage ./ns-run "$PWD/shutdown"
	atf_check -s exit:2 -e match:usage ./ns-run "$PWD/reboot" -p "$PWD/none"
	atf_check -s exit:2 -e match:usage ./ns-run "$PWD/halt" -x
	atf_check -s exit:2 -e match:usage ./ns-run "$PWD/shutdown" -f now
	atf_check -s exit:1 test -s pts/7
	check_record none
	check_host_wtmp
}

atf_test_case help_and_version
help_and_version_head()
{
	atf_set "descr" "--help prints the usage on standard output, --version the version; both exit 0"
}
help_and_version_body()
{
	for name in dinit-shutdown halt poweroff reboot shutdown; do
		ln -s "$DINIT_SHUTDOWN" "$name"
		atf_check -s exit:0 -o match:"^usage: $name " -e empty \
		    "./$name" --help
		atf_check -s exit:0 -o match:"^dinit-shutdown version " \
		    -e empty "./$name" --version
	done
	atf_check -s exit:0 -o match:"time \[message" ./shutdown --help
	atf_check -s exit:0 -o match:"-c " ./shutdown --help
}

atf_init_test_cases()
{
	atf_add_test_case force_reboots_at_once
	atf_add_test_case quick_halts_at_once
	atf_add_test_case no_sync_writes_no_record
	atf_add_test_case force_needs_root
	atf_add_test_case wtmp_only
	atf_add_test_case wtmp_only_fails_without_wtmp
	atf_add_test_case request_writes_record
	atf_add_test_case no_record_flag
	atf_add_test_case halt_p_powers_off
	atf_add_test_case shutdown_now_tells_users
	atf_add_test_case shutdown_later_and_cancel
	atf_add_test_case shutdown_at_clock_time
	atf_add_test_case shutdown_warn_only
	atf_add_test_case usage_errors
	atf_add_test_case help_and_version
}
