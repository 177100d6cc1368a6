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

# Integration tests of the service kinds and what dinit hands a service
# beyond its command: activation sockets, readiness notification, the
# control descriptor, bgprocess daemons and their pid files.  The real
# daemon in user mode on a private service directory, real processes.
# Nothing here is timed: every wait polls for an observable fact.

# Start the daemon in the background on ./sv.
dinit_start()
{
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" "$@" >out 2>err </dev/null &
	echo $! >dinit.pid
}

# Wait (up to 20 s) until dinitctl status of a service shows a string.
wait_status()
{
	_n=200
	while ! "$DINITCTL" -p "$PWD/sock" status "$1" 2>&1 |
	    grep -Fq -- "$2"; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			dump
			atf_fail "timed out waiting for '$2' in status of $1"
		fi
		sleep 0.1
	done
}

# The pid of the n-th record of a word in a file.
nth_pid()
{
	grep "^$2 " "$1" | sed -n "$3p" | cut -d' ' -f2
}

atf_test_case socket_activation cleanup
socket_activation_head()
{
	atf_set "descr" "socket-listen: the socket is passed as fd 3 with" \
	    "LISTEN_FDS and LISTEN_PID, owned and moded as said, and kept" \
	    "open while the service restarts"
}
socket_activation_body()
{
	# The command waits while ./hold exists, before it execs the
	# server: a restart then lasts exactly as long as the test wants.
	svc act <<EOF
type = process
command = /bin/sh -c "while [ -f $PWD/hold ]; do sleep 0.1; done; exec $HELPER listen $PWD/act.log"
socket-listen = $PWD/act.sock
socket-permissions = 640
socket-uid = 65534
socket-gid = 65534
restart = yes
restart-delay = 0
EOF
	dinit_start act
	first=$(pid_of act.log start)
	atf_check -o inline:"srw-r----- 65534 65534\n" \
	    stat -c "%A %u %g" act.sock
	atf_check -o match:"^text hello $first\.$" \
	    "$HELPER" raw act.sock 20000

	# During a restart: the process is gone, its successor held back,
	# and a client connects all the same; the successor answers it.
	touch hold
	kill -KILL "$first"
	wait_count out "^\[STOPPD\] act$" 1
	background during.out env HELPER_CONNECTED="$PWD/connected.log" \
	    "$HELPER" raw act.sock 20000
	client=$(tail -n 1 bg.pids)
	wait_for connected.log connected
	rm hold
	wait "$client" || { cat during.out; atf_fail "no connection"; }
	second=$(pid_of act.log start)
	test "$second" != "$first" || atf_fail "no second process"
	atf_check -o match:"^text hello $second\.$" cat during.out

	# After a restart asked for by dinitctl.
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" restart act
	wait_count act.log "^start " 3
	third=$(nth_pid act.log start 3)
	atf_check -o match:"^text hello $third\.$" \
	    "$HELPER" raw act.sock 20000
	atf_check -s exit:1 grep badenv act.log

	# Stopped for good: the socket goes with it.
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" stop act
	wait_count out "^\[STOPPD\] act$" 3
	test ! -e act.sock || atf_fail "act.sock left behind"
	dinit_wait
	atf_check_equal 0 "$status"
}
socket_activation_cleanup()
{
	common_cleanup
}

atf_test_case notify_socket cleanup
notify_socket_head()
{
	atf_set "descr" "ready-notification = notify: the service is started" \
	    "when READY=1 comes on its NOTIFY_SOCKET, which only its user" \
	    "may write to"
}
notify_socket_body()
{
	svc n <<EOF
type = process
command = /bin/sh -c "echo \$\$NOTIFY_SOCKET > $PWD/path; $HELPER notify 'STATUS=warming up'; while [ ! -f $PWD/go ]; do sleep 0.1; done; $HELPER notify STATUS=serving READY=1; exec $HELPER run $PWD/n.log"
ready-notification = notify
EOF
	svc after <<EOF
type = scripted
command = /bin/sh -c "echo dependent >> $PWD/dep.log"
depends-on: n
EOF
	dinit_start after
	wait_for path /
	path=$(cat path)
	atf_check -o inline:"srw-------\n" stat -c %A "$path"
	wait_status n "Status: warming up"
	atf_check -o match:"State: STARTING" "$DINITCTL" -p "$PWD/sock" status n
	atf_check -o match:"State: STARTING" \
	    "$DINITCTL" -p "$PWD/sock" status after
	test ! -f dep.log || atf_fail "the dependent did not wait"
	touch go
	wait_for out "[  OK  ] after"
	atf_check -o inline:"dependent\n" cat dep.log
	atf_check -o match:"Status: serving" "$DINITCTL" -p "$PWD/sock" status n
	atf_check -o match:'"status_text":"serving"' \
	    "$DINITCTL" -p "$PWD/sock" --json status n
	# Stopped for good, the socket goes.
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" stop --force n
	dinit_wait
	atf_check_equal 0 "$status"
	test ! -e "$path" || atf_fail "$path left behind"
}
notify_socket_cleanup()
{
	common_cleanup
}

atf_test_case pass_cs_fd cleanup
pass_cs_fd_head()
{
	atf_set "descr" "pass-cs-fd: the service talks to dinit over the" \
	    "connection in DINIT_CS_FD"
}
pass_cs_fd_body()
{
	svc other <<EOF
type = process
command = $HELPER run $PWD/other.log
EOF
	svc ctl <<EOF
type = scripted
command = /bin/sh -c "$DINITCTL --use-passed-cfd start other >> $PWD/ctl.log 2>&1"
options = pass-cs-fd
EOF
	svc plain <<EOF
type = scripted
command = /bin/sh -c "echo \$\${DINIT_CS_FD:-unset} > $PWD/plain.log"
EOF
	dinit_start ctl
	wait_for out "[  OK  ] ctl"
	pid_of other.log start >/dev/null
	atf_check -o match:"STARTED" "$DINITCTL" -p "$PWD/sock" status other
	# Without the option there is no connection.
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" start plain
	atf_check -o inline:"unset\n" cat plain.log
	dinit_stop
}
pass_cs_fd_cleanup()
{
	common_cleanup
}

atf_test_case bgprocess_daemon cleanup
bgprocess_daemon_head()
{
	atf_set "descr" "type = bgprocess: a double-forking daemon found by" \
	    "its pid file is supervised, restarted when killed, and stopped" \
	    "with the stop signal"
}
bgprocess_daemon_body()
{
	svc d <<EOF
type = bgprocess
command = $HELPER daemon $PWD/d.pid $PWD/d.log
pid-file = $PWD/d.pid
restart = yes
restart-delay = 0
EOF
	dinit_start d
	wait_for out "[  OK  ] d"
	first=$(pid_of d.log start)
	atf_check -o inline:"$first\n" cat d.pid
	atf_check -o match:"Process ID: $first$" \
	    "$DINITCTL" -p "$PWD/sock" status d

	# Killed: dinit sees it end and starts it again.
	kill -KILL "$first"
	wait_count d.log "^start " 2
	second=$(nth_pid d.log start 2)
	test "$second" != "$first" || atf_fail "not restarted"
	wait_status d "Process ID: $second"
	atf_check -o match:"State: STARTED" "$DINITCTL" -p "$PWD/sock" status d

	# Stopped: the stop signal reaches the daemon itself.
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" stop d
	wait_for d.log "stop $second"
	dinit_wait
	atf_check_equal 0 "$status"
}
bgprocess_daemon_cleanup()
{
	common_cleanup
}

atf_test_case bgprocess_unsafe_pid_file cleanup
bgprocess_unsafe_pid_file_head()
{
	atf_set "descr" "a pid file others may write to is not trusted: the" \
	    "start fails with the reason"
}
bgprocess_unsafe_pid_file_body()
{
	svc d <<EOF
type = bgprocess
command = $HELPER daemon $PWD/d.pid $PWD/d.log
pid-file = $PWD/d.pid
restart = no
EOF
	# The daemon keeps the mode of the file it writes into.
	: >d.pid
	chmod 666 d.pid
	dinit_start d
	wait_for out "[FAILED] d"
	atf_check -o match:"pid file $PWD/d.pid is writable by group or others" \
	    cat err
	dinit_wait
	# The daemon it would not trust is still running: end it here.
	kill -TERM "$(pid_of d.log start)"
}
bgprocess_unsafe_pid_file_cleanup()
{
	common_cleanup
}

atf_test_case bgprocess_unrelated_pid cleanup
bgprocess_unrelated_pid_head()
{
	atf_set "descr" "a pid file naming a process that does not descend" \
	    "from dinit is not trusted: the start fails with the reason"
}
bgprocess_unrelated_pid_body()
{
	background other.out "$HELPER" run "$PWD/other.log"
	other=$(pid_of other.log start)
	svc u <<EOF
type = bgprocess
command = /bin/sh -c "echo $other > $PWD/u.pid"
pid-file = $PWD/u.pid
restart = no
EOF
	dinit_start u
	wait_for out "[FAILED] u"
	atf_check -o match:"process $other is not a descendant of dinit" cat err
	dinit_wait
	# It was never signalled.
	atf_check -o inline:"start $other\n" cat other.log
}
bgprocess_unrelated_pid_cleanup()
{
	common_cleanup
}

atf_test_case bgprocess_mainpid cleanup
bgprocess_mainpid_head()
{
	atf_set "descr" "a bgprocess service with ready-notification =" \
	    "notify is supervised by the pid MAINPID= names, started at READY=1"
}
bgprocess_mainpid_body()
{
	svc m <<EOF
type = bgprocess
command = /bin/sh -c "$HELPER run $PWD/m.log & $HELPER notify MAINPID=\$\$! READY=1"
ready-notification = notify
restart = no
EOF
	dinit_start m
	wait_for out "[  OK  ] m"
	daemon=$(pid_of m.log start)
	atf_check -o match:"Process ID: $daemon$" \
	    "$DINITCTL" -p "$PWD/sock" status m
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" stop m
	wait_for m.log "stop $daemon"
	dinit_wait
	atf_check_equal 0 "$status"
}
bgprocess_mainpid_cleanup()
{
	common_cleanup
}

atf_test_case bgprocess_watched cleanup
bgprocess_watched_head()
{
	atf_set "descr" "a bgprocess daemon whose parent lives on (and reaps" \
	    "it) is watched through the platform (pidfd, kqueue): its end" \
	    "is seen and the service restarts"
}
bgprocess_watched_body()
{
	svc w <<EOF
type = bgprocess
command = $HELPER daemon-monitor $PWD/w.pid $PWD/w.log
pid-file = $PWD/w.pid
restart = yes
restart-delay = 0
EOF
	dinit_start w
	wait_for out "[  OK  ] w"
	first=$(pid_of w.log start)
	wait_status w "Process ID: $first"
	kill -KILL "$first"
	wait_count w.log "^start " 2
	second=$(nth_pid w.log start 2)
	wait_status w "Process ID: $second"
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" stop w
	wait_for w.log "stop $second"
	dinit_wait
	atf_check_equal 0 "$status"
}
bgprocess_watched_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case bgprocess_watched
	atf_add_test_case bgprocess_mainpid
	atf_add_test_case bgprocess_daemon
	atf_add_test_case bgprocess_unsafe_pid_file
	atf_add_test_case bgprocess_unrelated_pid
	atf_add_test_case socket_activation
	atf_add_test_case notify_socket
	atf_add_test_case pass_cs_fd
}
