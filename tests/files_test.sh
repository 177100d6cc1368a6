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
# one load with the file's name while the daemon goes on answering; log
# files are opened by the daemon without blocking, with the mode and
# owner the description gives.  dinit-check says the same about the same
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

# The owner, group and permission bits of a file (GNU or BSD stat).
owner_mode_of()
{
	stat -c "%u %g %a" "$1" 2>/dev/null || stat -f "%u %g %Lp" "$1"
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

atf_test_case fifo_logfile cleanup
fifo_logfile_head()
{
	atf_set "descr" "a FIFO nobody reads as logfile fails that start by name (ENXIO) without blocking; one with a reader gets the output"
}
fifo_logfile_body()
{
	hold_svc
	mkfifo log.fifo
	svc logged <<EOF
type = process
command = $HELPER run $PWD/logged.log
logfile = $PWD/log.fifo
EOF
	svc says <<EOF
type = scripted
command = /bin/sh -c "echo said-to-the-fifo"
logfile = $PWD/log.fifo
EOF
	dinit_start hold
	atf_check -s exit:1 -o match:"Stage: opening log file" \
	    -o match:"Error: No such device or address" \
	    timeout "$BOUND" "$DINITCTL" start logged
	still_serving
	wait_for err "log file $PWD/log.fifo: No such device or address"
	[ ! -e logged.log ] || atf_fail "logged was started"

	# With a reader (ours, holding it open read-write so that opening
	# it does not wait for a writer) the output goes down the FIFO.
	exec 3<>log.fifo
	atf_check -s exit:0 -o match:"started" timeout "$BOUND" \
	    "$DINITCTL" start says
	atf_check -o inline:"said-to-the-fifo\n" timeout "$BOUND" \
	    head -n 1 <&3
	exec 3<&-
	still_serving
	dinit_stop
}
fifo_logfile_cleanup()
{
	common_cleanup
}

atf_test_case logfile_mode cleanup
logfile_mode_head()
{
	atf_set "descr" "a log file is created with logfile-permissions (600 by default), set again at every start, and appended to"
}
logfile_mode_body()
{
	hold_svc
	svc plain <<EOF
type = scripted
command = /bin/sh -c "echo one"
logfile = $PWD/plain.out
EOF
	svc shared <<EOF
type = scripted
command = /bin/sh -c "echo two"
logfile = $PWD/shared.out
logfile-permissions = 644
EOF
	echo zero >shared.out
	chmod 600 shared.out
	dinit_start hold
	atf_check -o ignore timeout "$BOUND" "$DINITCTL" start plain
	atf_check -o ignore timeout "$BOUND" "$DINITCTL" start shared
	atf_check_equal "$(id -u) $(id -g) 600" "$(owner_mode_of plain.out)"
	atf_check -o inline:"one\n" cat plain.out
	atf_check_equal "$(id -u) $(id -g) 644" "$(owner_mode_of shared.out)"
	atf_check -o inline:"zero\ntwo\n" cat shared.out
	dinit_stop
}
logfile_mode_cleanup()
{
	common_cleanup
}

atf_test_case logfile_owner cleanup
logfile_owner_head()
{
	atf_set "descr" "logfile-uid and logfile-gid own the log file (a scratch uid); by default dinit's ids; an unknown user fails the start by name"
	atf_set "require.user" "root"
}
logfile_owner_body()
{
	hold_svc
	svc owned <<EOF
type = scripted
command = /bin/sh -c "echo owned"
logfile = $PWD/owned.out
logfile-uid = 4242
logfile-gid = 4343
logfile-permissions = 640
EOF
	svc mine <<EOF
type = scripted
command = /bin/sh -c "echo mine"
logfile = $PWD/mine.out
EOF
	svc nobody <<EOF
type = scripted
command = /bin/sh -c "echo nobody"
logfile = $PWD/nobody.out
logfile-uid = no-such-user-here
EOF
	# An existing file gets the owner and mode too.
	echo before >mine.out
	chown 4242:4343 mine.out
	chmod 666 mine.out
	dinit_start hold
	atf_check -o ignore timeout "$BOUND" "$DINITCTL" start owned
	atf_check -o ignore timeout "$BOUND" "$DINITCTL" start mine
	atf_check_equal "4242 4343 640" "$(owner_mode_of owned.out)"
	atf_check -o inline:"owned\n" cat owned.out
	atf_check_equal "$(id -u) $(id -g) 600" "$(owner_mode_of mine.out)"
	atf_check -o inline:"before\nmine\n" cat mine.out
	atf_check -s exit:1 -o match:"Stage: opening log file" \
	    timeout "$BOUND" "$DINITCTL" start nobody
	wait_for err "logfile-uid: no user 'no-such-user-here'"
	[ ! -e nobody.out ] || atf_fail "the log file was made"
	still_serving
	dinit_stop
}
logfile_owner_cleanup()
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
	atf_add_test_case fifo_logfile
	atf_add_test_case logfile_mode
	atf_add_test_case logfile_owner
}
