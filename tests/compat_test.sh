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
# read @WORK@ and process ids N.  Nothing here is timed: every wait polls
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
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" hold >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] hold"
	: >transcript
	. "$compat_fixtures/$1/script"
	if kill -0 "$(cat dinit.pid)" 2>/dev/null; then
		dinit_stop
	else
		dinit_wait
	fi
	sed -e "s|$WORK|@WORK@|g" -e 's/(pid: [0-9][0-9]*)/(pid: N)/' \
	    -e 's/Process ID: [0-9][0-9]*/Process ID: N/' transcript >got
	if ! diff -u "$compat_fixtures/$1/expected" got; then
		dump
		atf_fail "dinitctl's transcript differs from dinit's"
	fi
}

atf_init_test_cases()
{
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
