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

# PID-1 tests: dinit as PID 1 of its own PID and mount namespace
# (unshare --pid --mount --fork), where reboot(2) ends the namespace
# instead of the machine: the parent sees its init killed by SIGINT (halt,
# power off) or SIGHUP (reboot).  Every test first checks that it really
# is in a new PID namespace before dinit runs, and gives the namespace
# scratch copies of what a system manager writes on the host (see
# NS_PRIVATE): the host's console, /run, wtmp and ctrl-alt-del settings are
# never used.

# Skip unless we can make namespaces (root, unshare, a working kernel).
require_ns()
{
	[ "$(id -u)" -eq 0 ] || atf_skip "needs root for PID and mount namespaces"
	command -v unshare >/dev/null 2>&1 || atf_skip "unshare is missing"
	unshare --pid --mount --fork true 2>/dev/null ||
	    atf_skip "this kernel or sandbox refuses new namespaces"
}

# What the namespace's first shell runs before dinit, in the test's
# directory: refuse to go on in the host's PID namespace, then bind
# scratch files over what a system manager writes.  /run is a tmpfs of its
# own (utmp is /var/run/utmp, and /var/run is normally /run); /var/log is
# ./varlog (wtmp, btmp, lastlog: glibc's _PATH_WTMP is /var/log/wtmp).
# cad_pid is a global sysctl that a write from inside a PID namespace does
# change, so it is ./cad_pid here; ctrl-alt-del too, though a PID 1 in a
# PID namespace cannot change it (reboot(2) refuses RB_DISABLE_CAD there).
NS_PRIVATE='
	[ "$(readlink /proc/self/ns/pid)" != "$HOSTNS" ] || exit 99
	mount --make-rprivate / 2>/dev/null
	mount --bind "$PWD/console" /dev/console || exit 97
	mount -t tmpfs -o mode=0755 tmpfs /run || exit 96
	mount --bind "$PWD/varlog" /var/log || exit 95
	if [ "$(readlink -f /var/run)" != /run ]; then
		mount --bind "$PWD/varrun" /var/run || exit 94
	fi
	for f in cad_pid ctrl-alt-del; do
		[ ! -e "/proc/sys/kernel/$f" ] ||
		    mount --bind "$PWD/$f" "/proc/sys/kernel/$f" || exit 93
	done
'

# The scratch files NS_PRIVATE binds, empty; HOSTNS for its check.
ns_scratch()
{
	mkdir -p varlog varrun
	: >console
	: >varlog/wtmp
	: >varlog/btmp
	: >varlog/lastlog
	: >cad_pid
	: >ctrl-alt-del
	HOSTNS=$(readlink /proc/self/ns/pid)
	export HOSTNS DINIT
}

# Run dinit as PID 1 of a new PID and mount namespace, in the background,
# with NS_PRIVATE's scratch files: its console is ./console, its wtmp
# ./varlog/wtmp.  The namespace's init pid as the host sees it is written
# to ./init.pid, the exit status of unshare (128 + the signal that ended
# the namespace) to ./ns.status once it ends.
pid1_start()
{
	ns_scratch
	(
		unshare --pid --mount --fork --mount-proc sh -c "$NS_PRIVATE"'
			[ "$$" -eq 1 ] || exit 98
			exec "$DINIT" --console-level info "$@" </dev/null
		' sh "$@"
		echo $? >ns.status
	) >ns.out 2>&1 &
	# The host pid of the namespace's init: the child of unshare.
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
	[ -s init.pid ] || [ -s ns.status ] ||
	    { cat ns.out; atf_fail "the namespace did not start"; }
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

# Signal the namespace's init (dinit) from the host.
signal_init()
{
	kill "-$1" "$(cat init.pid)"
}

# A long-running service that records TERM and leaves.  It says it is
# ready only once its trap is set, so nothing that depends on it (a
# shutdown request, say) can come while TERM would still kill it.
term_service()
{
	svc "$1" <<EOF
type = process
command = /bin/sh -c "trap 'echo term >> $PWD/$1.log; exit 0' TERM; echo up >> $PWD/$1.log; echo ready >&3; exec 3>&-; while :; do sleep 0.1; done"
ready-notification = pipefd:3
EOF
}

atf_test_case sigterm_halts cleanup
sigterm_halts_head()
{
	atf_set "descr" "SIGTERM to PID 1 stops every service, then halts: the namespace ends with SIGINT"
}
sigterm_halts_body()
{
	require_ns
	term_service svc
	svc boot <<EOF
depends-on: svc
EOF
	pid1_start -d "$PWD/sv" -p /run/dinit.sock
	wait_for svc.log up
	signal_init TERM
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -o ignore grep -x term svc.log
	atf_check -o match:"Will halt" cat console
	atf_check -o match:"\[STOPPD\] svc" cat console
}
sigterm_halts_cleanup()
{
	common_cleanup
}

atf_test_case sigint_reboots cleanup
sigint_reboots_head()
{
	atf_set "descr" "SIGINT (ctrl-alt-del) stops every service, then reboots: the namespace ends with SIGHUP"
}
sigint_reboots_body()
{
	require_ns
	term_service svc
	svc boot <<EOF
depends-on: svc
EOF
	pid1_start -d "$PWD/sv" -p /run/dinit.sock
	wait_for svc.log up
	signal_init INT
	wait_ns
	atf_check_equal 129 "$status"
	atf_check -o ignore grep -x term svc.log
	atf_check -o match:"Will reboot" cat console
}
sigint_reboots_cleanup()
{
	common_cleanup
}

atf_test_case shutdown_request_powers_off cleanup
shutdown_request_powers_off_head()
{
	atf_set "descr" "A power-off asked through the control socket ends the namespace with SIGINT"
}
shutdown_request_powers_off_body()
{
	require_ns
	term_service svc
	# The last service asks for the power-off once the others run.
	svc off <<EOF
type = scripted
command = $DINIT_SHUTDOWN --socket-path /run/dinit.sock -P
depends-on: svc
EOF
	svc boot <<EOF
depends-on: off
EOF
	pid1_start -d "$PWD/sv" -p /run/dinit.sock
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -o ignore grep -x term svc.log
	atf_check -o match:"Will power down" cat console
}
shutdown_request_powers_off_cleanup()
{
	common_cleanup
}

atf_test_case orphans_reaped cleanup
orphans_reaped_head()
{
	atf_set "descr" "As PID 1, dinit reaps the orphans re-parented to it"
}
orphans_reaped_body()
{
	require_ns
	term_service svc
	svc forker <<EOF
type = scripted
command = /bin/sh -c "(sleep 0.2; echo orphan-done >> $PWD/orphan.log) & exit 0"
EOF
	svc boot <<EOF
depends-on: svc
depends-on: forker
EOF
	pid1_start -d "$PWD/sv" -p /run/dinit.sock --console-level debug
	wait_for orphan.log orphan-done
	wait_for console "reaped orphan"
	init=$(cat init.pid)
	zombies=$(ps -o stat= --ppid "$init" | grep -c Z || :)
	atf_check_equal 0 "$zombies"
	signal_init TERM
	wait_ns
	atf_check_equal 130 "$status"
}
orphans_reaped_cleanup()
{
	common_cleanup
}

# Boot a service that only records TERM (stop-timeout 10 minutes), so
# only a forced shutdown gets past it.
stubborn_boot()
{
	svc stubborn <<EOF
type = process
command = /bin/sh -c "trap 'echo term >> $PWD/stubborn.log' TERM; echo up >> $PWD/stubborn.log; while :; do sleep 0.1; done"
stop-timeout = 600
EOF
	svc boot <<EOF
depends-on: stubborn
EOF
	pid1_start -d "$PWD/sv" -p /run/dinit.sock
	wait_for stubborn.log up
}

atf_test_case sigquit_immediate cleanup
sigquit_immediate_head()
{
	atf_set "descr" "SIGQUIT shuts down at once: no rollback, TERM and KILL to everything"
}
sigquit_immediate_body()
{
	require_ns
	stubborn_boot
	signal_init QUIT
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -o match:"shutting down at once" cat console
	atf_check -o match:"sending KILL to all processes" cat console
	# The services were not stopped in order first.
	atf_check -s exit:1 grep -F "[STOPPD] stubborn" console
}
sigquit_immediate_cleanup()
{
	common_cleanup
}

atf_test_case cad_three_times cleanup
cad_three_times_head()
{
	atf_set "descr" "Ctrl-alt-del three times forces the shutdown past a service that ignores TERM"
}
cad_three_times_body()
{
	require_ns
	stubborn_boot
	signal_init INT
	wait_for stubborn.log term
	# The shutdown is stuck on the service.
	sleep 0.5
	[ ! -s ns.status ] || { dump; atf_fail "ended before the forced shutdown"; }
	# One at a time: two SIGINTs pending at once are delivered as one.
	signal_init INT
	wait_count console "shutdown requested: reboot" 2
	signal_init INT
	wait_ns
	atf_check_equal 129 "$status"
	atf_check -o match:"ctrl-alt-del pressed three times" cat console
}
cad_three_times_cleanup()
{
	common_cleanup
}

atf_test_case term_files_complete cleanup
term_files_complete_head()
{
	atf_set "descr" "Files services write on SIGTERM are complete, and every process is gone, when the namespace ends"
}
term_files_complete_body()
{
	require_ns
	for n in one two; do
		svc $n <<EOF
type = process
command = /bin/sh -c "trap 'i=0; while [ \$\$i -lt 2000 ]; do echo line \$\$i; i=\$\$((i+1)); done > $PWD/$n.out; echo done >> $PWD/$n.out; exit 0' TERM; echo up >> $PWD/$n.log; while :; do sleep 0.1; done"
EOF
	done
	# An orphan that ignores TERM: only the final KILL ends it.
	svc orphaner <<EOF
type = scripted
command = /bin/sh -c "(trap '' TERM; echo \$\$\$\$ > $PWD/orphan.pid; while :; do sleep 0.1; done) & exit 0"
EOF
	svc boot <<EOF
depends-on: one
depends-on: two
depends-on: orphaner
EOF
	pid1_start -d "$PWD/sv" -p /run/dinit.sock
	wait_for one.log up
	wait_for two.log up
	wait_for orphan.pid ""
	signal_init TERM
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -o inline:"2001\n" sh -c "wc -l < one.out"
	atf_check -o inline:"2001\n" sh -c "wc -l < two.out"
	atf_check -o inline:"done\n" tail -n 1 one.out
	atf_check -o match:"sending KILL to all processes" cat console
}
term_files_complete_cleanup()
{
	common_cleanup
}

atf_test_case boot_failure_halts cleanup
boot_failure_halts_head()
{
	atf_set "descr" "When every service stops with no shutdown asked and no terminal to ask on, PID 1 halts"
}
boot_failure_halts_body()
{
	require_ns
	svc boot <<EOF
type = process
command = /bin/sh -c "exit 1"
restart = no
EOF
	pid1_start -d "$PWD/sv" -p /run/dinit.sock
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -o match:"boot failure" cat console
}
boot_failure_halts_cleanup()
{
	common_cleanup
}

atf_test_case auto_recovery cleanup
auto_recovery_head()
{
	atf_set "descr" "With -r, a failed boot starts the recovery service"
}
auto_recovery_body()
{
	require_ns
	svc boot <<EOF
type = scripted
command = /bin/sh -c "exit 1"
EOF
	svc recovery <<EOF
type = scripted
command = /bin/sh -c "echo recovering >> $PWD/recovery.log"
EOF
	pid1_start -r -d "$PWD/sv" -p /run/dinit.sock
	wait_for recovery.log recovering
	signal_init TERM
	wait_ns
	atf_check_equal 130 "$status"
}
auto_recovery_cleanup()
{
	common_cleanup
}

atf_test_case kernel_command_line cleanup
kernel_command_line_head()
{
	atf_set "descr" "As PID 1 on Linux, bare words from the kernel are ignored except 'single'"
}
kernel_command_line_body()
{
	require_ns
	term_service svc
	svc boot <<EOF
depends-on: svc
EOF
	svc single <<EOF
type = scripted
command = /bin/sh -c "echo single >> $PWD/single.log"
EOF
	pid1_start -d "$PWD/sv" -p /run/dinit.sock quiet splash
	wait_for svc.log up
	signal_init TERM
	wait_ns
	atf_check_equal 130 "$status"
	rm -f ns.status init.pid
	pid1_start -d "$PWD/sv" -p /run/dinit.sock quiet single
	wait_for single.log single
	signal_init TERM
	wait_ns
	atf_check_equal 130 "$status"
}
kernel_command_line_cleanup()
{
	common_cleanup
}

atf_test_case cad_pid_written cleanup
cad_pid_written_head()
{
	atf_set "descr" "A system manager that is not PID 1 writes its pid to cad_pid (a file bound over it in the test's namespace)"
}
cad_pid_written_body()
{
	require_ns
	term_service svc
	svc boot <<EOF
depends-on: svc
EOF
	ns_scratch
	# PID 1 here is a shell; dinit -m runs as its child, so not PID 1.
	timeout 30 unshare --pid --mount --fork --mount-proc sh -c "$NS_PRIVATE"'
		"$DINIT" -m -d "$PWD/sv" -p "$PWD/sock" </dev/null \
		    >"$PWD/console" 2>&1 &
		dpid=$!
		echo "$dpid" >dinit.nspid
		i=0
		while ! grep -q up svc.log 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.1; i=$((i+1))
		done
		kill -TERM "$dpid"
		wait "$dpid"
	'
	atf_check_equal "$(cat dinit.nspid)" "$(tr -d '\n' <cad_pid)"
	# Not PID 1: it stopped the services and exited instead of halting.
	atf_check -o ignore grep -x term svc.log
}
cad_pid_written_cleanup()
{
	common_cleanup
}

atf_test_case console_services cleanup
console_services_head()
{
	atf_set "descr" "runs-on-console services take the console in turn; dinit's own console lines wait meanwhile"
}
console_services_body()
{
	require_ns
	for n in A B; do
		svc $n <<EOF
type = process
command = /bin/sh -c "echo $n-start; i=0; while [ ! -f $PWD/go-$n ] && [ \$\$i -lt 200 ]; do sleep 0.05; i=\$\$((i+1)); done; echo $n-end"
options: runs-on-console
restart = no
EOF
	done
	svc later <<EOF
type = scripted
command = /bin/sh -c "echo later >> $PWD/later.log"
EOF
	svc boot <<EOF
waits-for: A
waits-for: B
EOF
	pid1_start -d "$PWD/sv" -p "$PWD/dinit.sock"
	wait_for console "-start"
	first=$(grep -o '^[AB]-start' console | head -n 1 | cut -c1)
	if [ "$first" = A ]; then second=B; else second=A; fi
	# While the first holds the console, the second waits for it, and a
	# service started meanwhile is not announced on it yet.
	atf_check -o ignore "$DINITCTL" -p "$PWD/dinit.sock" start later
	wait_for later.log later
	sleep 0.3
	atf_check -s exit:1 grep -F "$second-start" console
	atf_check -s exit:1 grep -F "[  OK  ] later" console
	touch "go-$first"
	wait_for console "$second-start"
	touch "go-$second"
	wait_for console "$second-end"
	atf_check -o inline:"$first-start\n$first-end\n$second-start\n$second-end\n" \
	    grep -E '^[AB]-(start|end)$' console
	# The held line came out once the console was free.
	wait_for console "[  OK  ] later"
	signal_init TERM
	wait_ns
	atf_check_equal 130 "$status"
}
console_services_cleanup()
{
	common_cleanup
}

atf_test_case console_term cleanup
console_term_head()
{
	atf_set "descr" "A console service of PID 1 gets the kernel's TERM, or what the console emulates when there is none"
}
console_term_body()
{
	require_ns
	svc con <<EOF
type = scripted
command = /bin/sh -c "echo \$\$TERM >> $PWD/term.log"
options: starts-on-console
EOF
	svc plain <<EOF
type = scripted
command = /bin/sh -c "echo plain=\$\${TERM-unset} >> $PWD/term.log"
depends-on: con
EOF
	svc boot <<EOF
depends-on: plain
EOF
	case $("$DINIT" --version) in
	*"Platform: linux"*)	want=linux ;;
	*"Platform: freebsd"*)	want=xterm ;;
	*)			atf_skip "no console TERM known here" ;;
	esac
	unset TERM
	pid1_start -d "$PWD/sv" -p "$PWD/dinit.sock"
	wait_for term.log plain=
	signal_init TERM
	wait_ns
	rm -f ns.status init.pid
	# The kernel's TERM, in PID 1's environment, wins.
	export TERM=vt220
	pid1_start -d "$PWD/sv" -p "$PWD/dinit.sock"
	wait_count term.log plain= 2
	signal_init TERM
	wait_ns
	atf_check -o inline:"$want\nplain=unset\nvt220\nplain=vt220\n" \
	    cat term.log
}
console_term_cleanup()
{
	common_cleanup
}

atf_test_case kill_all_on_stop cleanup
kill_all_on_stop_head()
{
	atf_set "descr" "kill-all-on-stop: as PID 1 of a namespace, SIGTERM then SIGKILL reach every process before the stop command runs"
}
kill_all_on_stop_body()
{
	require_ns
	# A stray: a start script left a process behind (which records
	# SIGTERM) and that one a child in a session of its own.  No
	# service knows either any more.
	svc stray <<EOF
type = scripted
command = /bin/sh -c "$HELPER escape $PWD/stray-child.pid $PWD/stray.log </dev/null >/dev/null 2>&1 & exit 0"
EOF
	# The stop command runs after the kill: it waits (in the namespace)
	# for the stray's child to be dead, a zombie at most.
	svc single <<EOF
type = scripted
command = /bin/true
stop-command = /bin/sh -c "p=\$\$(cat $PWD/stray-child.pid); i=0; while [ -d /proc/\$\$p ] && ! grep -q '^State:.*Z' /proc/\$\$p/status && [ \$\$i -lt 200 ]; do sleep 0.1; i=\$\$((i+1)); done; if [ \$\$i -lt 200 ]; then echo gone; else echo alive; fi >> $PWD/single.log"
options: kill-all-on-stop
EOF
	svc boot <<EOF
depends-on: stray
waits-for: single
EOF
	pid1_start -d "$PWD/sv" -p "$PWD/dinit.sock"
	wait_for console "[  OK  ] boot"
	wait_for stray.log "start "
	wait_for stray-child.pid ""
	atf_check -o ignore "$DINITCTL" -p "$PWD/dinit.sock" stop single
	atf_check -o inline:"gone\n" cat single.log
	wait_for stray.log "stop"
	atf_check -o ignore grep -F "sending SIGTERM to every process" console
	atf_check -o ignore grep -F "sending SIGKILL to every process" console
	signal_init TERM
	wait_ns
	atf_check_equal 130 "$status"
}
kill_all_on_stop_cleanup()
{
	common_cleanup
}

atf_test_case no_socket_no_exit cleanup
no_socket_no_exit_head()
{
	atf_set "descr" "PID 1 that cannot create its control socket (or open its log) still boots, and the socket and the boot record come with starts-rwfs"
}
no_socket_no_exit_body()
{
	require_ns
	term_service svc
	# "rwfs" makes the socket's directory, then dinit tries again.
	svc rwfs <<EOF
type = scripted
command = /bin/mkdir -p $PWD/later
options: starts-rwfs
depends-on: svc
EOF
	svc boot <<EOF
depends-on: rwfs
EOF
	pid1_start -d "$PWD/sv" -p "$PWD/later/dinit.sock" -l /nonexistent/log
	wait_for svc.log up
	wait_for console "cannot create control socket"
	wait_for console "control socket $PWD/later/dinit.sock open"
	atf_check -o match:"boot" "$DINITCTL" -p "$PWD/later/dinit.sock" list
	# The boot record, written with the socket, went to the scratch wtmp
	# (where the libc keeps one).
	if libc_keeps_logins "$DINIT"; then
		atf_check -o ignore grep -a reboot varlog/wtmp
	fi
	signal_init TERM
	wait_ns
	atf_check_equal 130 "$status"
}
no_socket_no_exit_cleanup()
{
	common_cleanup
}

atf_test_case log_file_after_rwfs cleanup
log_file_after_rwfs_head()
{
	atf_set "descr" "PID 1 keeps its log in memory until a starts-rwfs service has made the log file's directory, then writes what it kept there, and what follows"
}
log_file_after_rwfs_body()
{
	require_ns
	term_service svc
	svc rwfs <<EOF
type = scripted
command = /bin/mkdir -p $PWD/var
options: starts-rwfs
depends-on: svc
EOF
	svc boot <<EOF
depends-on: rwfs
EOF
	pid1_start -d "$PWD/sv" -p /run/dinit.sock -l "$PWD/var/dinit.log" \
	    --log-level info
	wait_for console "cannot open log file $PWD/var/dinit.log"
	wait_for var/dinit.log "service boot started"
	# Everything since the start, in order, the earlier lines first.
	log=var/dinit.log
	atf_check -o match:"cannot open log file" head -n 1 $log
	atf_check -o ignore grep -F "starting as the system manager" $log
	early=$(line_of $log "service svc started")
	rwfs=$(line_of $log "service rwfs started")
	open=$(line_of $log "log file $PWD/var/dinit.log open")
	[ -n "$early" ] && [ -n "$rwfs" ] && [ -n "$open" ] ||
	    atf_fail "missing lines in $log: $(cat $log)"
	[ "$early" -lt "$rwfs" ] && [ "$rwfs" -lt "$open" ] ||
	    atf_fail "lines out of order in $log: $(cat $log)"
	signal_init TERM
	wait_ns
	atf_check_equal 130 "$status"
	atf_check -o match:"Will halt" cat $log
}
log_file_after_rwfs_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case log_file_after_rwfs
	atf_add_test_case no_socket_no_exit
	atf_add_test_case console_services
	atf_add_test_case console_term
	atf_add_test_case sigterm_halts
	atf_add_test_case sigint_reboots
	atf_add_test_case shutdown_request_powers_off
	atf_add_test_case orphans_reaped
	atf_add_test_case sigquit_immediate
	atf_add_test_case cad_three_times
	atf_add_test_case term_files_complete
	atf_add_test_case boot_failure_halts
	atf_add_test_case auto_recovery
	atf_add_test_case kernel_command_line
	atf_add_test_case cad_pid_written
	atf_add_test_case kill_all_on_stop
}
