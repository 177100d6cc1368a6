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

# Integration tests of a service's output held by dinit: log-type = pipe
# read by a consumer-of service, across the consumer's restarts, and
# log-type = buffer read with dinitctl catlog.  $DINIT, $DINITCTL and
# $HELPER are set by the build (see Makefile.am).  Nothing here is timed:
# every wait polls for an observable fact, with a bound.

# Start the daemon in the background on ./sv and ./sock with the services
# named; dinitctl finds the socket through $DINIT_SOCKET_PATH.
dinit_start()
{
	DINIT_SOCKET_PATH="$PWD/sock"
	export DINIT_SOCKET_PATH
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" "$@" >out 2>err </dev/null &
	echo $! >dinit.pid
}

# Lines a file has (0 when it does not exist).
lines_of()
{
	if [ -f "$1" ]; then
		wc -l <"$1" | tr -d ' '
	else
		echo 0
	fi
}

# Wait (up to 20 s) until a file has more than n lines.
wait_past()
{
	_n=200
	while [ "$(lines_of "$1")" -le "$2" ]; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			dump
			atf_fail "timed out waiting for $1 to pass $2 lines"
		fi
		sleep 0.1
	done
}

# The sequence "seq 1" ... "seq n", as helper produce writes it.
seq_lines()
{
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) print "seq " i }'
}

atf_test_case pipe_loses_nothing cleanup
pipe_loses_nothing_head()
{
	atf_set "descr" "a producer's output waits in dinit's pipe while" \
	    "its consumer is killed and restarted three times: no line is" \
	    "lost or repeated, and the producer never gets SIGPIPE"
}
pipe_loses_nothing_body()
{
	svc producer <<EOF
type = process
command = $HELPER produce $PWD/producer.log
log-type = pipe
EOF
	svc logger <<EOF
type = process
command = $HELPER consume $PWD/logger.log $PWD/logged.out
consumer-of = producer
restart = yes
restart-delay = 0.1
EOF
	dinit_start logger producer
	wait_for producer.log "start "
	wait_past logged.out 0
	for round in 1 2 3; do
		pid=$(pid_of logger.log start)
		kill -TERM "$pid"
		wait_count logger.log "^stop $pid\$" 1
		# The producer goes on into the pipe while nobody reads it.
		wait_count logger.log "^start " $((round + 1))
		wait_past logged.out "$(lines_of logged.out)"
	done
	atf_check -o ignore "$DINITCTL" stop producer
	wait_for producer.log "last "
	last=$(sed -n 's/^last \([0-9]*\) .*/\1/p' producer.log)
	wait_count logged.out "^seq " "$last"
	seq_lines "$last" >expected
	atf_check -o empty cmp expected logged.out
	# One producer all along: it never died of SIGPIPE.
	atf_check_equal 1 "$(grep -c '^start ' producer.log)"
	test "$last" -gt 100 || atf_fail "only $last lines were written"
	dinit_stop
}
pipe_loses_nothing_cleanup()
{
	common_cleanup
}

atf_test_case pipe_consumer_argument cleanup
pipe_consumer_argument_head()
{
	atf_set "descr" "a consumer named with a service argument" \
	    "(consumer-of = \$1) reads the pipe of the service its argument" \
	    "names, made before that service started"
}
pipe_consumer_argument_body()
{
	svc talker <<EOF
type = process
command = $HELPER produce $PWD/talker.log
log-type = pipe
EOF
	svc quiet <<EOF
type = process
command = $HELPER produce $PWD/quiet.log
log-type = pipe
EOF
	svc log <<EOF
type = process
command = $HELPER consume $PWD/log-\$1.log $PWD/\$1.out
consumer-of = \$1
EOF
	dinit_start log@talker log@quiet
	wait_for log-talker.log "start "
	wait_for log-quiet.log "start "
	atf_check -o ignore "$DINITCTL" start talker
	wait_past talker.out 10
	atf_check -o ignore "$DINITCTL" stop talker
	wait_for talker.log "last "
	last=$(sed -n 's/^last \([0-9]*\) .*/\1/p' talker.log)
	wait_count talker.out "^seq " "$last"
	seq_lines "$last" >expected
	atf_check -o empty cmp expected talker.out
	# The other instance reads only its own producer's pipe.
	test ! -s quiet.out || atf_fail "log@quiet read talker's output"
	dinit_stop
}
pipe_consumer_argument_cleanup()
{
	common_cleanup
}

atf_test_case pipe_pairing cleanup
pipe_pairing_head()
{
	atf_set "descr" "a consumer of a service that does not log to a" \
	    "pipe, or of one that has a consumer already, does not start"
}
pipe_pairing_body()
{
	svc hold <<EOF
type = process
command = $HELPER run $PWD/hold.log
EOF
	svc talker <<EOF
type = process
command = $HELPER produce $PWD/talker.log
log-type = pipe
EOF
	svc first <<EOF
type = process
command = $HELPER consume $PWD/first.log $PWD/first.out
consumer-of = talker
EOF
	svc second <<EOF
type = process
command = $HELPER consume $PWD/second.log $PWD/second.out
consumer-of = talker
EOF
	svc wrong <<EOF
type = process
command = $HELPER consume $PWD/wrong.log $PWD/wrong.out
consumer-of = hold
EOF
	dinit_start hold first
	wait_for hold.log "start "
	wait_for first.log "start "
	atf_check -s exit:1 -o ignore -e ignore "$DINITCTL" start wrong
	wait_for err "consumer-of: service hold does not log to a pipe"
	atf_check -s exit:1 -o ignore -e ignore "$DINITCTL" start second
	wait_for err "consumer-of: service talker already has a consumer"
	test ! -f wrong.log || atf_fail "wrong started"
	test ! -f second.log || atf_fail "second started"
	dinit_stop
}
pipe_pairing_cleanup()
{
	common_cleanup
}

# A time stamp as catlog --timestamps prints it.
TS='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}'

atf_test_case buffer_keeps_latest cleanup
buffer_keeps_latest_head()
{
	atf_set "descr" "log-type = buffer keeps the last log-buffer-size" \
	    "bytes, each line stamped; catlog shows what was dropped, and" \
	    "--clear empties it"
}
buffer_keeps_latest_body()
{
	cat >chatty.sh <<'EOF'
i=1
while [ $i -le 200 ]; do
	echo "line $i"
	i=$((i + 1))
done
echo end
exec sleep 600
EOF
	awk 'BEGIN { for (i = 1; i <= 200; i++) print "line " i;
	    print "end" }' >all
	svc chatty <<EOF
type = process
command = /bin/sh $PWD/chatty.sh
log-type = buffer
log-buffer-size = 100
EOF
	dinit_start chatty
	wait_for out "[  OK  ] chatty"
	n=200
	while ! "$DINITCTL" catlog chatty 2>/dev/null | grep -q '^end$'; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || atf_fail "no end in the buffer"
		sleep 0.1
	done
	tail -c 100 all >expected
	dropped=$(($(wc -c <all) - 100))
	atf_check -o file:expected \
	    -e inline:"dinitctl: $dropped bytes of earlier output were dropped: the buffer was full\n" \
	    "$DINITCTL" catlog chatty
	# The first line kept lost its start; each line has its stamp.
	"$DINITCTL" catlog --timestamps chatty >stamped 2>/dev/null
	atf_check_equal "$(wc -l <expected)" "$(wc -l <stamped)"
	atf_check_equal "$(wc -l <expected)" \
	    "$(grep -Ec "^$TS " stamped)"
	sed -E "s/^$TS //" stamped >unstamped
	atf_check -o empty cmp expected unstamped
	atf_check -o match:"^$TS end\$" tail -n 1 stamped
	atf_check -o file:expected -e match:"$dropped bytes" \
	    "$DINITCTL" catlog --clear chatty
	atf_check -o empty -e empty "$DINITCTL" catlog chatty
	atf_check -o empty -e empty "$DINITCTL" catlog --timestamps chatty
	dinit_stop
}
buffer_keeps_latest_cleanup()
{
	common_cleanup
}

atf_test_case buffer_never_blocks cleanup
buffer_never_blocks_head()
{
	atf_set "descr" "a service that writes far more than its buffer" \
	    "holds is read as it writes, and the daemon answers all the" \
	    "while; the buffer holds the latest lines"
}
buffer_never_blocks_body()
{
	svc flood <<EOF
type = process
command = $HELPER produce $PWD/flood.log
log-type = buffer
log-buffer-size = 4096
EOF
	dinit_start flood
	wait_for flood.log "start "
	# A megabyte and more, through a 4096-byte buffer.
	n=200
	while :; do
		d=$("$DINITCTL" catlog flood 2>&1 >/dev/null |
		    sed -n 's/^dinitctl: \([0-9]*\) bytes.*/\1/p')
		[ "${d:-0}" -gt 1000000 ] && break
		n=$((n - 1))
		[ "$n" -gt 0 ] || atf_fail "the flood is not being read"
		sleep 0.1
	done
	atf_check -o match:"State: STARTED" "$DINITCTL" status flood
	# What is kept is the latest: consecutive lines (the first and
	# the last may be cut short).
	"$DINITCTL" catlog flood >kept 2>/dev/null
	sed -n '2,$s/^seq //p' kept | sed '$d' >numbers
	first=$(head -n 1 numbers)
	count=$(wc -l <numbers | tr -d ' ')
	awk -v f="$first" -v n="$count" \
	    'BEGIN { for (i = 0; i < n; i++) print f + i }' >expected
	atf_check -o empty cmp expected numbers
	dinit_stop
}
buffer_never_blocks_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case pipe_loses_nothing
	atf_add_test_case pipe_consumer_argument
	atf_add_test_case pipe_pairing
	atf_add_test_case buffer_keeps_latest
	atf_add_test_case buffer_never_blocks
}
