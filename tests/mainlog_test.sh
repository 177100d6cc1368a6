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

# dinit's own log: the main log sent to a syslog socket the test binds
# (tests/helper's syslog modes stand in for the syslog daemon), kept in
# memory until a starts-log service starts, and never blocking the
# daemon; the levels of both sinks.  $DINIT, $DINITCTL and $HELPER are
# set by the build (see Makefile.am).  Nothing here is timed: every wait
# polls for an observable fact, with a bound.

# A syslog line: priority, RFC 3164 time stamp, the tag.
STAMP='[A-Z][a-z][a-z] [ 1-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9]'

# Start the daemon on ./sv with its main log on ./log.sock.
dinit_start()
{
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" --syslog-socket "$PWD/log.sock" \
	    "$@" >out 2>err </dev/null &
	echo $! >dinit.pid
}

# The stand-in syslog daemon, "syslog" or "syslog-paused", made ready
# once its socket exists, with starts-log; boot needs it after "early".
syslog_services()
{
	svc early <<EOF2
type = process
command = $HELPER run $PWD/early.log
EOF2
	svc syslogd <<EOF2
type = process
command = $HELPER $1 $PWD/log.sock $PWD/syslog.txt 3
ready-notification = pipefd:3
options: starts-log
depends-on: early
EOF2
	svc boot <<EOF2
type = internal
depends-on: syslogd
EOF2
	svc late <<EOF2
type = internal
EOF2
	svc bad <<EOF2
type = scripted
command = $HELPER exit 3
EOF2
}

atf_test_case held_until_starts_log cleanup
held_until_starts_log_head()
{
	atf_set "descr" "The main log waits in memory until a starts-log service has made the syslog socket, then every message reaches it as a daemon-facility datagram"
}
held_until_starts_log_body()
{
	syslog_services syslog
	dinit_start --log-level info
	wait_for out "[  OK  ] boot"
	wait_for syslog.txt "dinit: service boot started"
	# Logged before the socket existed, and delivered once it did.
	atf_check -o match:"^<30>$STAMP dinit: service early started\$" \
	    cat syslog.txt
	atf_check_equal 1 "$(line_of syslog.txt "service early started")"
	# Later messages go straight out, at their own priority.
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" start late
	atf_check -s not-exit:0 -o ignore -e ignore \
	    "$DINITCTL" -p "$PWD/sock" start bad
	wait_for syslog.txt "service bad failed to start"
	atf_check -o match:"^<30>$STAMP dinit: service late started\$" \
	    cat syslog.txt
	atf_check -o match:"^<29>$STAMP dinit: service bad failed to start" \
	    cat syslog.txt
	# Syslog is the main log: nothing on standard error.
	atf_check -s exit:1 grep "service" err
	dinit_stop
}
held_until_starts_log_cleanup()
{
	common_cleanup
}

atf_test_case levels cleanup
levels_head()
{
	atf_set "descr" "--log-level and --console-level filter the main log and the console; by default notice and warn, with status lines always on the console"
}
levels_body()
{
	syslog_services syslog
	dinit_start --log-level notice --console-level info
	wait_for out "[  OK  ] boot"
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" start late
	atf_check -s not-exit:0 -o ignore -e ignore \
	    "$DINITCTL" -p "$PWD/sock" start bad
	wait_for syslog.txt "service bad failed to start"
	wait_for out "dinit: service bad failed to start"
	# info: on the console, not in the main log; notice: in both.
	atf_check -o match:"^dinit: service late started\$" cat out
	atf_check -s exit:1 grep "service late started" syslog.txt
	dinit_stop
	rm -f out syslog.txt log.sock

	# The defaults: notice for the main log, warn for the console.
	dinit_start
	wait_for out "[  OK  ] boot"
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" start late
	atf_check -s not-exit:0 -o ignore -e ignore \
	    "$DINITCTL" -p "$PWD/sock" start bad
	wait_for syslog.txt "service bad failed to start"
	wait_for out "[FAILED] bad"
	atf_check -s exit:1 grep "service late started" syslog.txt
	atf_check -s exit:1 grep "^dinit:" out
	atf_check -o match:"^\[  OK  \] late\$" cat out
	dinit_stop
	rm -f out syslog.txt log.sock

	# none: no messages, the status lines still.
	dinit_start --console-level none --log-level none
	wait_for out "[  OK  ] boot"
	atf_check -s not-exit:0 -o ignore -e ignore \
	    "$DINITCTL" -p "$PWD/sock" start bad
	wait_for out "[FAILED] bad"
	atf_check -s exit:1 grep "^dinit:" out
	dinit_stop
	atf_check -s exit:1 grep "dinit:" syslog.txt
}
levels_cleanup()
{
	common_cleanup
}

atf_test_case full_socket_never_blocks cleanup
full_socket_never_blocks_head()
{
	atf_set "descr" "A syslog socket that is full never blocks the daemon; the newest messages are kept, the oldest dropped and counted once the socket takes messages again"
}
full_socket_never_blocks_body()
{
	syslog_services syslog-paused
	# Far more log than the socket's queue and the 16 KiB ring hold.
	echo "type = internal" >many.head
	i=0
	while [ "$i" -lt 400 ]; do
		svc "s$i" <<EOF2
type = internal
EOF2
		echo "waits-for: s$i" >>many.head
		i=$((i + 1))
	done
	svc many <many.head
	dinit_start --log-level info
	wait_for out "[  OK  ] boot"
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" start many
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" stop many
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" start late
	# Still answering (a blocked daemon would not: timeout ends it).
	atf_check -o match:"late" timeout 20 "$DINITCTL" -p "$PWD/sock" list
	# Unstick the socket: what the ring kept comes out, the loss said.
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" signal USR1 syslogd
	wait_for syslog.txt "service late started"
	atf_check -o match:"^<28>$STAMP dinit: \*\*\* [1-9][0-9]* log message\(s\) discarded: buffer full \*\*\*\$" \
	    cat syslog.txt
	# Dropped oldest first: the newest message is there; "many" started
	# after 400 messages, more than the socket queues (on Linux
	# net.unix.max_dgram_qlen, 10 by default), and was followed by
	# more than the ring holds.
	atf_check_equal "<30>" "$(tail -n 1 syslog.txt | cut -c1-4)"
	atf_check -o match:"service late started\$" tail -n 1 syslog.txt
	qlen=$(cat /proc/sys/net/unix/max_dgram_qlen 2>/dev/null || echo 10)
	if [ "$qlen" -lt 100 ]; then
		atf_check -s exit:1 grep "service many started" syslog.txt
	fi
	dinit_stop
}
full_socket_never_blocks_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case held_until_starts_log
	atf_add_test_case levels
	atf_add_test_case full_socket_never_blocks
}
