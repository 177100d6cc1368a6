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

atf_init_test_cases()
{
	atf_add_test_case socket_activation
}
