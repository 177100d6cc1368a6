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

# Integration tests of the files the daemon opens: service descriptions,
# @include fragments, env-file and -e environment files must be regular
# files of at most 1 MiB, and a FIFO, a device or a huge file fails the
# one load with the file's name while the daemon goes on answering.
# dinit-check says the same about the same
# files.  Every command that blocked before the fix runs under timeout(1),
# so a regression fails instead of hanging.  $DINIT, $DINITCTL,
# $DINIT_CHECK and $HELPER are set by the build (see Makefile.am).

# The bound on a command that must not block.
BOUND=20

# A service that keeps the daemon busy, recording its pid in hold.log.
hold_svc()
{
	svc hold <<EOF
type = process
command = $HELPER run $PWD/hold.log
EOF
}

# Start the daemon on ./sv and ./sock; returns once hold has started.
dinit_start()
{
	DINIT_SOCKET_PATH="$PWD/sock"
	export DINIT_SOCKET_PATH
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" "$@" >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] hold"
	wait_for hold.log "start "
}

# The daemon still answers, and hold is still up.
still_serving()
{
	atf_check -s exit:0 -o match:"^\[.+\] hold \(pid: " -e empty \
	    timeout "$BOUND" "$DINITCTL" list
}

# Fail to start service $1, with an error that matches $2.
start_refused()
{
	atf_check -s exit:1 -o empty -e match:"$2" \
	    timeout "$BOUND" "$DINITCTL" start "$1"
}

# A regular file of one byte more than 1 MiB, in lines.
big_file()
{
	awk 'BEGIN { for (i = 0; i < 16384; i++) printf "# %61d\n", i;
	    printf "x\n" }' >"$1"
	atf_check -o inline:"1048578\n" sh -c "wc -c <$1 | tr -d ' '"
}

atf_test_case fifo_description cleanup
fifo_description_head()
{
	atf_set "descr" "a FIFO as a service description fails that load by name; the daemon goes on"
}
fifo_description_body()
{
	hold_svc
	mkdir -p sv
	mkfifo sv/fifo
	dinit_start hold
	start_refused fifo "sv/fifo.*not a regular file"
	still_serving
	atf_check -s exit:1 -o ignore \
	    -e match:"^Unable to load service 'fifo': sv/fifo: cannot read: not a regular file$" \
	    timeout "$BOUND" "$DINIT_CHECK" -d sv fifo
	dinit_stop
}
fifo_description_cleanup()
{
	common_cleanup
}

atf_test_case fifo_include cleanup
fifo_include_head()
{
	atf_set "descr" "a FIFO named by @include fails that load by name; the daemon goes on"
}
fifo_include_body()
{
	hold_svc
	mkfifo inc.fifo
	svc inc <<EOF
type = internal
@include $PWD/inc.fifo
EOF
	dinit_start hold
	start_refused inc "sv/inc:2:.*inc.fifo.*not a regular file"
	still_serving
	atf_check -s exit:1 \
	    -o ignore -e match:"^Service 'inc' \(sv/inc:2\): cannot read '$PWD/inc.fifo': not a regular file$" \
	    timeout "$BOUND" "$DINIT_CHECK" -d sv inc
	dinit_stop
}
fifo_include_cleanup()
{
	common_cleanup
}

atf_test_case device_and_huge_include cleanup
device_and_huge_include_head()
{
	atf_set "descr" "@include /dev/zero and files over 1 MiB are refused by name, not read"
}
device_and_huge_include_body()
{
	hold_svc
	big_file big.inc
	svc zero <<EOF
type = internal
@include /dev/zero
EOF
	svc bigi <<EOF
type = internal
@include $PWD/big.inc
EOF
	big_file sv/bigd
	dinit_start hold
	start_refused zero "sv/zero:2:.*/dev/zero.*not a regular file"
	start_refused bigi "sv/bigi:2:.*big.inc.*larger than 1 MiB"
	start_refused bigd "sv/bigd.*larger than 1 MiB"
	still_serving
	atf_check -s exit:1 \
	    -o ignore -e match:"^Service 'zero' \(sv/zero:2\): cannot read '/dev/zero': not a regular file$" \
	    timeout "$BOUND" "$DINIT_CHECK" -d sv zero
	atf_check -s exit:1 \
	    -o ignore -e match:"^Service 'bigi' \(sv/bigi:2\): cannot read '$PWD/big.inc': larger than 1 MiB$" \
	    timeout "$BOUND" "$DINIT_CHECK" -d sv bigi
	atf_check -s exit:1 -o ignore \
	    -e match:"^Unable to load service 'bigd': sv/bigd: cannot read: larger than 1 MiB$" \
	    timeout "$BOUND" "$DINIT_CHECK" -d sv bigd
	# One byte less is read.
	head -c 1048576 big.inc >sv/justfits
	atf_check -s exit:0 -o ignore -e not-match:"larger than" \
	    timeout "$BOUND" "$DINIT_CHECK" -d sv justfits
	dinit_stop
}
device_and_huge_include_cleanup()
{
	common_cleanup
}

atf_test_case fifo_env_file cleanup
fifo_env_file_head()
{
	atf_set "descr" "a FIFO as env-file fails that load by name; the daemon goes on"
}
fifo_env_file_body()
{
	hold_svc
	mkfifo env.fifo
	svc envf <<EOF
type = process
command = $HELPER run $PWD/envf.log
env-file = $PWD/env.fifo
EOF
	dinit_start hold
	start_refused envf "sv/envf:3:.*env.fifo.*not a regular file"
	still_serving
	atf_check -s exit:1 \
	    -o ignore -e match:"^Service 'envf' \(sv/envf:3\): env-file: $PWD/env.fifo: not a regular file$" \
	    timeout "$BOUND" "$DINIT_CHECK" -d sv envf
	[ ! -e envf.log ] || atf_fail "envf was started"
	dinit_stop
}
fifo_env_file_cleanup()
{
	common_cleanup
}

atf_test_case fifo_daemon_env_file cleanup
fifo_daemon_env_file_head()
{
	atf_set "descr" "a FIFO as the daemon's -e file is refused by name at once, by dinit and dinit-check"
}
fifo_daemon_env_file_body()
{
	hold_svc
	mkfifo env.fifo
	# Not a system manager, an unreadable environment file ends start-up.
	atf_check -s exit:1 -o empty \
	    -e match:"environment file $PWD/env.fifo: .*not a regular file" \
	    timeout "$BOUND" "$DINIT" -d "$PWD/sv" -p "$PWD/sock" \
	    -e "$PWD/env.fifo" hold
	[ ! -e hold.log ] || atf_fail "hold was started"
	atf_check -s exit:1 -o empty \
	    -e match:"^dinit-check: $PWD/env.fifo: not a regular file$" \
	    timeout "$BOUND" "$DINIT_CHECK" -d sv -e "$PWD/env.fifo" hold
}
fifo_daemon_env_file_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case fifo_description
	atf_add_test_case fifo_include
	atf_add_test_case device_and_huge_include
	atf_add_test_case fifo_env_file
	atf_add_test_case fifo_daemon_env_file
}
