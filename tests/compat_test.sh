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

# Compatibility with dinit, scenario by scenario, as a dinit user would
# meet it: each directory tests/fixtures/compat/<scenario>/ holds
#
#	descr		what the scenario shows, one line
#	sv/		service descriptions in dinit's format; they find the
#			test helper and the scratch directory through $HELPER
#			and $WORK, which dinit substitutes from its environment
#	script		the steps, shell lines using the functions below
#	expected	the transcript dinitctl must produce, compared exactly
#
# The expected words are those dinit's own dinitctl prints for the same
# scenario (its documented behaviour and its source); where we say more,
# our detail follows dinit's sentence.  In the transcript, scratch paths
# read @WORK@, process ids N, and the times status adds (since when, how
# long the start took) T.  Nothing here is timed: every wait polls
# for an observable fact, with a bound.

compat_fixtures="$SRCDIR/tests/fixtures/compat"

# Run dinitctl and add to the transcript: the command line, what it wrote
# to standard output, its standard error (each line after "! "), and its
# exit status when not 0.
ctl()
{
	echo "\$ dinitctl $*" >>transcript
	"$DINITCTL" "$@" >ctl.out 2>ctl.err
	_rc=$?
	cat ctl.out >>transcript
	sed 's/^/! /' ctl.err >>transcript
	[ "$_rc" -eq 0 ] || echo "[exit $_rc]" >>transcript
}

# Add a file of the scratch directory to the transcript.
show()
{
	echo "# $1:" >>transcript
	cat "$WORK/$1" >>transcript
}

# Note a fact of the scenario in the transcript.
say()
{
	echo "# $*" >>transcript
}

# Wait (up to 20 s) until a service is in a state (is-started prints it).
wait_state()
{
	_n=200
	while [ "$("$DINITCTL" is-started "$1" 2>/dev/null)" != "$2" ]; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			dump
			atf_fail "timed out waiting for $1 to be $2"
		fi
		sleep 0.1
	done
}

# Start the daemon on a copy of the scenario's services, with hold (an
# internal service) started to keep it running; run the steps; stop the
# daemon (unless the steps did) and compare the transcript.
compat_run()
{
	WORK=$PWD
	export WORK HELPER
	cp -R "$compat_fixtures/$1/sv" sv
	printf 'type = internal\n' >sv/hold
	DINIT_SOCKET_PATH="$PWD/sock"
	export DINIT_SOCKET_PATH
	$COMPAT_WRAPPER "$DINIT" -d "$PWD/sv" -p "$PWD/sock" hold \
	    >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] hold"
	: >transcript
	. "$compat_fixtures/$1/script"
	if kill -0 "$(cat dinit.pid)" 2>/dev/null; then
		dinit_stop
	else
		dinit_wait
	fi
	# A process service's tree is its process group, or on FreeBSD the
	# descendants of its process as their reaper: the transcript has the
	# former.
	sed -e "s|$WORK|@WORK@|g" -e 's/(pid: [0-9][0-9]*)/(pid: N)/' \
	    -e 's/Process ID: [0-9][0-9]*/Process ID: N/' \
	    -e 's/^    Since: .*/    Since: T/' \
	    -e 's/^    Start took: .*/    Start took: T/' \
	    -e 's/^    Memory: .*/    Memory: M/' \
	    -e 's/^    CPU: .*/    CPU: T/' \
	    -e 's/^    Process tree: reaper$/    Process tree: process group/' \
	    transcript >got
	if ! diff -u "$compat_fixtures/$1/expected" got; then
		dump
		atf_fail "dinitctl's transcript differs from dinit's"
	fi
}

atf_test_case sigchld_blocked_parent cleanup
sigchld_blocked_parent_head()
{
	atf_set "descr" "A scenario runs to the end under a parent that blocked SIGCHLD and ignored SIGTERM"
}
sigchld_blocked_parent_body()
{
	# helper sigwrap blocks SIGCHLD and SIGTERM, ignores SIGTERM, SIGHUP
	# and SIGINT, and execs dinit: the scenario's processes must still
	# be reaped and restarted, and SIGTERM must still end the daemon.
	COMPAT_WRAPPER="$HELPER sigwrap"
	compat_run restart_force
}
sigchld_blocked_parent_cleanup()
{
	common_cleanup
}

atf_test_case user_service_dirs cleanup
user_service_dirs_head()
{
	atf_set "descr" "A user instance searches \$XDG_CONFIG_HOME/dinit.d, then ~/.config/dinit.d, as dinit does"
}
user_service_dirs_body()
{
	mkdir -p xdg/dinit.d home/.config/dinit.d
	for f in xdg/dinit.d/hold xdg/dinit.d/both home/.config/dinit.d/both \
	    home/.config/dinit.d/homeonly; do
		printf 'type = internal\n' >"$f"
	done
	DINIT_SOCKET_PATH="$PWD/sock"
	export DINIT_SOCKET_PATH
	# dinit drops the trailing slash of XDG_CONFIG_HOME.
	env XDG_CONFIG_HOME="$PWD/xdg/" HOME="$PWD/home" \
	    "$DINIT" -u -p "$PWD/sock" hold >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] hold"
	atf_check -o inline:"Service started.\n" "$DINITCTL" start both
	atf_check -o match:"^    File: $PWD/xdg/dinit.d/both$" \
	    "$DINITCTL" status both
	atf_check -o inline:"Service started.\n" "$DINITCTL" start homeonly
	atf_check -o match:"^    File: $PWD/home/.config/dinit.d/homeonly$" \
	    "$DINITCTL" status homeonly
	dinit_stop
}
user_service_dirs_cleanup()
{
	common_cleanup
}

atf_test_case use_passed_cfd cleanup
use_passed_cfd_head()
{
	atf_set "descr" "dinitctl --use-passed-cfd talks over the connection in DINIT_CS_FD"
}
use_passed_cfd_body()
{
	mkdir sv
	printf 'type = internal\n' >sv/hold
	printf 'type = internal\n' >sv/grp
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" hold >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] hold"
	# No socket path anywhere but in the passed connection.
	unset DINIT_SOCKET_PATH
	atf_check -s exit:0 -o inline:"Service started.\n" -e empty \
	    env -u DINIT_SOCKET_PATH HOME=/nonexistent XDG_RUNTIME_DIR= \
	    "$HELPER" passfd "$PWD/sock" "$DINITCTL" -u --use-passed-cfd \
	    start grp
	atf_check -o match:"^\[\[\+\]     \] grp$" \
	    "$DINITCTL" -p "$PWD/sock" list
	dinit_stop
}
use_passed_cfd_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case sigchld_blocked_parent
	atf_add_test_case user_service_dirs
	atf_add_test_case use_passed_cfd
	for _d in "$compat_fixtures"/*/; do
		_n=$(basename "$_d")
		# atf_test_case defines empty parts: ours come after.
		atf_test_case "$_n" cleanup
		eval "${_n}_head() { atf_set descr \"\$(cat \"$_d/descr\")\"; }
		    ${_n}_body() { compat_run $_n; }
		    ${_n}_cleanup() { common_cleanup; }"
		atf_add_test_case "$_n"
	done
}
