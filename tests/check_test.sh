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

# Integration tests of dinit-check on the service trees under
# tests/fixtures/check/: each case is a directory with the trees in sv/
# and what dinit-check must print, word for word, in stdout and stderr
# (dinit's checker prints its findings on standard error, the header and
# summary lines on standard output).  $DINIT_CHECK, $DINIT, $DINITCTL and
# $SRCDIR are set by the build (see Makefile.am).

FIXTURES=$SRCDIR/tests/fixtures/check

# Check the tree of a case: check_case CASE EXIT [SERVICE...].  Runs in a
# copy (sv/), with $CHECKDIR naming it for the descriptions that need an
# absolute path, and compares both streams with the case's files; where
# the output names $PWD, the files say @PWD@.
check_case()
{
	_case=$1
	_exit=$2
	shift 2
	rm -rf sv
	cp -R "$FIXTURES/$_case/sv" sv
	chmod 644 sv/data.txt 2>/dev/null
	atf_check -s "exit:$_exit" -o save:out -e save:err \
	    env CHECKDIR="$PWD/sv" "$DINIT_CHECK" -d sv "$@"
	sed "s|$PWD|@PWD@|g" out >out.n
	sed "s|$PWD|@PWD@|g" err >err.n
	atf_check -o empty diff -u "$FIXTURES/$_case/stdout" out.n
	atf_check -o empty diff -u "$FIXTURES/$_case/stderr" err.n
}

atf_test_case clean
clean_head()
{
	atf_set "descr" "A clean tree: dinit's header and summary lines, exit 0"
}
clean_body()
{
	check_case clean 0
	# In one stream, the lines come in the order they were said.
	printf '%s\n' "Checking service: web..." "Checking service: job..." \
	    "Performing secondary checks..." "Secondary checks complete." \
	    "No problems found." >want
	# 2>&1 through the shell: atf_check keeps the streams apart.
	"$DINIT_CHECK" -d sv web >both 2>&1 ||
	    atf_fail "dinit-check exited $? on a clean tree"
	atf_check -o empty diff -u want both
}

atf_test_case every_setting_error
every_setting_error_head()
{
	atf_set "descr" "Every bad setting of a file is reported with its line, and what follows is still checked"
}
every_setting_error_body()
{
	check_case settings 1
	atf_check -o match:"^One or more errors/warnings issued\.$" cat out
	atf_check -o inline:"5\n" grep -c "^Service 'boot' (sv/boot:[0-9]*): " \
	    err
}

atf_test_case missing_dependency
missing_dependency_head()
{
	atf_set "descr" "A missing dependency: dinit's sentence, then every file that names it"
}
missing_dependency_body()
{
	check_case missing 1
}

atf_test_case cycle_with_broken_service
cycle_with_broken_service_head()
{
	atf_set "descr" "A cycle is reported with its path even when another service in the run is broken"
}
cycle_with_broken_service_body()
{
	check_case cycle 1
	atf_check -s not-exit:0 grep -q "No problems found" out
}

atf_test_case cycle_through_ordering
cycle_through_ordering_head()
{
	atf_set "descr" "Cycles through before and after links, each reported with its path"
}
cycle_through_ordering_body()
{
	check_case ordering 1 x p
}

atf_test_case depends_on_self cleanup
depends_on_self_head()
{
	atf_set "descr" "depends-on = self is reported as the daemon reports it"
}
depends_on_self_body()
{
	check_case self 1 a
	# The daemon's words for the same description.
	cat >sv/hold <<EOF
type = process
command = /bin/sleep 60
EOF
	DINIT_SOCKET_PATH="$PWD/sock"
	export DINIT_SOCKET_PATH
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" hold >dout 2>&1 </dev/null &
	echo $! >dinit.pid
	wait_for dout "[  OK  ] hold"
	atf_check -s exit:1 -e save:ctl "$DINITCTL" start a
	atf_check -o match:"$PWD/sv/a:2: service 'a' depends on itself$" cat ctl
	atf_check -o match:"^Service 'a' \(sv/a:2\): service 'a' depends on itself$" \
	    cat err
	kill -TERM "$(cat dinit.pid)"
	dinit_wait
}
depends_on_self_cleanup()
{
	common_cleanup
}

atf_test_case commands
commands_head()
{
	atf_set "descr" "A command or stop-command not found, not a file or not executable is warned about in dinit's words"
}
commands_body()
{
	check_case commands 1 relative missing notexec notfile
}

atf_test_case ignored_for_type
ignored_for_type_head()
{
	atf_set "descr" "Settings that do nothing for the type get dinit's lint warnings"
}
ignored_for_type_body()
{
	check_case idle 1 group job
}

atf_test_case consumers
consumers_head()
{
	atf_set "descr" "consumer-of naming a missing service, a non-pipe or a non-process service"
}
consumers_body()
{
	check_case consumer 1 reader lost sink drain
}

atf_test_case socket_without_listen
socket_without_listen_head()
{
	atf_set "descr" "Socket settings without socket-listen are warned about"
}
socket_without_listen_body()
{
	check_case socket 1 web
}

atf_test_case exit_status
exit_status_head()
{
	atf_set "descr" "Exit status: 0 clean, 1 for any finding or a missing service, 2 for usage"
}
exit_status_body()
{
	check_case clean 0
	atf_check -s exit:1 -o match:"^One or more errors/warnings issued\.$" \
	    -e match:"^Unable to load service 'nothere': service description not found\.$" \
	    "$DINIT_CHECK" -d sv nothere
	atf_check -s exit:2 -e match:"^usage: dinit-check" "$DINIT_CHECK" -x
}

atf_init_test_cases()
{
	atf_add_test_case clean
	atf_add_test_case every_setting_error
	atf_add_test_case missing_dependency
	atf_add_test_case cycle_with_broken_service
	atf_add_test_case cycle_through_ordering
	atf_add_test_case depends_on_self
	atf_add_test_case commands
	atf_add_test_case ignored_for_type
	atf_add_test_case consumers
	atf_add_test_case socket_without_listen
	atf_add_test_case exit_status
}
