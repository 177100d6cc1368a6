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

atf_init_test_cases()
{
	atf_add_test_case socket_activation
	atf_add_test_case notify_socket
	atf_add_test_case pass_cs_fd
}
