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

# Integration tests of dinitctl and dinit-check: every dinitctl command
# against a real daemon with a private service directory and socket,
# checking both what dinitctl says and what happened; the control socket
# under malformed input and unprivileged clients (dinit-check has its own,
# check_test.sh).  $DINIT, $DINITCTL, $DINIT_CHECK, $HELPER and $SRCDIR are
# set by the build (see Makefile.am).  Nothing here is timed: every wait
# polls for an observable fact, with a bound.

# A service that keeps the daemon busy (dinit exits once nothing is
# active), recording its pid in hold.log.
hold_svc()
{
	svc hold <<EOF
type = process
command = $HELPER run $PWD/hold.log
restart = yes
restart-delay = 0.1
EOF
}

# Start the daemon in the background on ./sv and ./sock; dinitctl finds
# the socket through $DINIT_SOCKET_PATH.  Returns once hold has started.
dinit_start()
{
	DINIT_SOCKET_PATH="$PWD/sock"
	export DINIT_SOCKET_PATH
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" "$@" >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] hold"
}

# Wait (up to 20 s) until dinitctl with the given arguments prints a line
# containing the fixed string: wait_ctl STRING ARGS...
wait_ctl()
{
	_want=$1
	shift
	_n=200
	while ! "$DINITCTL" "$@" 2>&1 | grep -Fq -- "$_want"; do
		_n=$((_n - 1))
		if [ "$_n" -le 0 ]; then
			dump
			"$DINITCTL" "$@"
			atf_fail "timed out waiting for '$_want' from dinitctl $*"
		fi
		sleep 0.1
	done
}

# Until every monitor has registered: start and stop SERVICE until each
# FILE has a line matching its PATTERN (a monitor says nothing until it
# sees a move).  monitors_see SERVICE FILE PATTERN [FILE PATTERN...]
monitors_see()
{
	_svc=$1
	shift
	_n=100
	while ! monitors_saw "$@"; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || { dump; atf_fail "monitors never saw $_svc"; }
		"$DINITCTL" start "$_svc" >/dev/null
		"$DINITCTL" stop "$_svc" >/dev/null
		sleep 0.1
	done
}
monitors_saw()
{
	while [ $# -gt 0 ]; do
		grep -q -- "$2" "$1" 2>/dev/null || return 1
		shift 2
	done
}

# The permission bits of a file, in octal (GNU or BSD stat).
mode_of()
{
	stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"
}

# Whether jq is there to check JSON output strictly.
have_jq()
{
	command -v jq >/dev/null 2>&1
}

atf_test_case start_outcomes cleanup
start_outcomes_head()
{
	atf_set "descr" "start: started, already started, --no-wait, --pin, and every kind of failure with its reason"
}
start_outcomes_body()
{
	hold_svc
	svc web <<EOF
type = process
command = $HELPER run $PWD/web.log
EOF
	svc gate <<EOF
type = scripted
command = /bin/sh -c "while [ ! -f $PWD/gate.go ]; do sleep 0.05; done"
EOF
	svc badexec <<EOF
type = process
command = /nonexistent/program
EOF
	svc slow <<EOF
type = scripted
command = /bin/sh -c "exec sleep 30"
start-timeout = 0.3
EOF
	svc exits <<EOF
type = scripted
command = $HELPER exit 3
EOF
	svc needsbad <<EOF
type = internal
depends-on: badexec
EOF
	dinit_start hold

	atf_check -s exit:0 -o inline:"Service 'web' started.\n" -e empty \
	    "$DINITCTL" start web
	wait_for web.log "start "
	atf_check -s exit:0 -o inline:"Service (already) started.\n" \
	    -e empty "$DINITCTL" start web
	atf_check -o inline:"1\n" grep -c '^start ' web.log

	# --no-wait returns while the start script still runs.
	atf_check -s exit:0 -e empty \
	    -o inline:"Issued start command successfully for service 'gate'.\n" \
	    "$DINITCTL" start --no-wait gate
	atf_check -s exit:1 -o inline:"STARTING\n" "$DINITCTL" is-started gate
	touch gate.go
	wait_ctl STARTED is-started gate

	# --pin: a pinned-started service refuses to stop until unpinned.
	atf_check -s exit:0 -o inline:"Service (already) started.\n" \
	    "$DINITCTL" start --pin web
	atf_check -o match:"^    Pinned: started$" "$DINITCTL" status web
	atf_check -s exit:1 -o empty \
	    -e inline:"dinitctl: cannot stop service 'web' as it is pinned started\n" \
	    "$DINITCTL" stop web
	kill -0 "$(pid_of web.log start)" || atf_fail "web was stopped"
	atf_check -s exit:0 -o inline:"Service 'web' unpinned.\n" \
	    "$DINITCTL" unpin web
	atf_check -s exit:0 -o inline:"Service 'web' stopped.\n" \
	    "$DINITCTL" stop web
	wait_for web.log "stop "

	# Failures: exit 1 and the reason block.
	atf_check -s exit:1 -o inline:"Service 'badexec' failed to start.
Reason: execution of service process failed:
        Stage: executing command
        Error: No such file or directory
" "$DINITCTL" start badexec
	atf_check -s exit:1 -o inline:"Service 'slow' failed to start.
Reason: start timed out.
" "$DINITCTL" start slow
	atf_check -s exit:1 -o inline:"Service 'exits' failed to start.
Reason: service process terminated before ready: exited - status 3
" "$DINITCTL" start exits
	atf_check -s exit:1 -o inline:"Service 'needsbad' failed to start.
Reason: a dependency of the service failed to start. Check dinit log.
" "$DINITCTL" start needsbad

	# A service with no description.
	atf_check -s exit:1 -o empty -e inline:"\
dinitctl: failed to find service description.
dinitctl: check service description file exists / service name spelling.
dinitctl: service description not found: nosuch
" "$DINITCTL" start nosuch
	# The daemon and hold are untouched by all this.
	atf_check -o inline:"1\n" grep -c '^start ' hold.log
	dinit_stop
}
start_outcomes_cleanup()
{
	common_cleanup
}

atf_test_case stop_outcomes cleanup
stop_outcomes_head()
{
	atf_set "descr" "stop: refusal with the dependents, --force, --ignore-unstarted, --pin, already stopped"
}
stop_outcomes_body()
{
	hold_svc
	svc critical <<EOF
type = process
command = $HELPER run $PWD/critical.log
EOF
	svc intermediary <<EOF
type = process
command = $HELPER run $PWD/intermediary.log
depends-on: critical
EOF
	svc boot <<EOF
type = internal
depends-on: intermediary
EOF
	dinit_start hold
	atf_check -o inline:"Service 'boot' started.\n" "$DINITCTL" start boot
	pid=$(pid_of critical.log start)

	atf_check -s exit:1 -o empty -e inline:"\
dinitctl: cannot stop service 'critical' due to the following dependents:
(only direct dependents are listed. Exercise caution before using '--force' !!)
  intermediary
" "$DINITCTL" stop critical
	kill -0 "$pid" || atf_fail "critical was stopped"
	atf_check -o match:"^\[\{\+\}     \] critical \(pid: $pid\)$" \
	    "$DINITCTL" list

	# --force takes the dependents down with it.
	atf_check -s exit:0 -o inline:"Service 'critical' stopped.\n" \
	    "$DINITCTL" stop --force critical
	atf_check -o match:"^stop $pid$" cat critical.log
	wait_for intermediary.log "stop "
	atf_check -o inline:"STOPPED\n" -s exit:1 "$DINITCTL" is-started boot
	atf_check -s exit:0 -o inline:"Service (already) stopped.\n" \
	    "$DINITCTL" stop critical

	# --ignore-unstarted: a service that is not loaded is no error.
	atf_check -s exit:0 -o empty -e empty \
	    "$DINITCTL" stop --ignore-unstarted notloaded
	atf_check -s exit:1 -o empty \
	    -e match:"^dinitctl: failed to find service description\.$" \
	    -e match:"service 'notloaded' is not loaded" \
	    "$DINITCTL" stop notloaded

	# --pin keeps a stopped service from starting until unpinned.
	atf_check -o inline:"Service 'critical' started.\n" \
	    "$DINITCTL" start critical
	atf_check -s exit:0 -o inline:"Service 'critical' stopped.\n" \
	    "$DINITCTL" stop --pin critical
	atf_check -s exit:1 -o empty \
	    -e inline:"dinitctl: cannot start service 'critical' as it is pinned stopped\n" \
	    "$DINITCTL" start critical
	# ... nor may a dependent start it.
	atf_check -s exit:1 -o inline:"Service 'boot' failed to start.
Reason: a dependency of the service failed to start. Check dinit log.
" "$DINITCTL" start boot
	# Started means exec'd: the helper records its start after that.
	wait_count critical.log '^start ' 2
	atf_check -o inline:"2\n" grep -c '^start ' critical.log
	atf_check -o match:"^    Pinned: stopped$" "$DINITCTL" status critical
	atf_check -o inline:"Service 'critical' unpinned.\n" \
	    "$DINITCTL" unpin critical
	atf_check -o inline:"Service 'boot' started.\n" "$DINITCTL" start boot
	atf_check -o inline:"3\n" grep -c '^start ' critical.log
	dinit_stop
}
stop_outcomes_cleanup()
{
	common_cleanup
}

atf_test_case restart_wake_release cleanup
restart_wake_release_head()
{
	atf_set "descr" "restart (and --force with dependents), wake and its refusal, release"
}
restart_wake_release_body()
{
	hold_svc
	svc base <<EOF
type = process
command = $HELPER run $PWD/base.log
EOF
	svc top <<EOF
type = process
command = $HELPER run $PWD/top.log
depends-on: base
EOF
	svc solo <<EOF
type = process
command = $HELPER run $PWD/solo.log
EOF
	svc soft <<EOF
type = process
command = $HELPER run $PWD/soft.log
EOF
	svc user <<EOF
type = internal
waits-for: soft
EOF
	svc lonely <<EOF
type = process
command = $HELPER run $PWD/lonely.log
EOF
	dinit_start hold

	# restart: stopped, then started, as a new process.
	atf_check -o inline:"Service 'solo' started.\n" "$DINITCTL" start solo
	old=$(pid_of solo.log start)
	atf_check -s exit:0 \
	    -o inline:"Service 'solo' stopped.\nService 'solo' started.\n" \
	    "$DINITCTL" restart solo
	atf_check -o match:"^stop $old$" cat solo.log
	new=$(pid_of solo.log start)
	[ "$new" != "$old" ] || atf_fail "solo was not relaunched"
	atf_check -o match:"Process ID: $new" "$DINITCTL" status solo

	# restart with a hard dependent: refused, then --force.
	atf_check -o inline:"Service 'top' started.\n" "$DINITCTL" start top
	atf_check -s exit:1 -o empty -e inline:"\
dinitctl: cannot stop service 'base' due to the following dependents:
  top
" "$DINITCTL" restart base
	atf_check -o inline:"1\n" grep -c '^start ' base.log
	atf_check -s exit:0 -o match:"Service 'base' started." \
	    "$DINITCTL" restart --force base
	wait_count base.log '^start ' 2
	wait_count top.log '^start ' 2
	atf_check -o inline:"1\n" grep -c '^stop ' top.log
	wait_ctl STARTED is-started top

	# wake: only with an active dependent.
	atf_check -o inline:"Service 'user' started.\n" "$DINITCTL" start user
	wait_for soft.log "start "
	atf_check -s exit:0 -o inline:"Service 'soft' stopped.\n" \
	    "$DINITCTL" stop soft
	atf_check -s exit:0 -o inline:"Service 'soft' started.\n" \
	    "$DINITCTL" wake soft
	wait_count soft.log '^start ' 2
	atf_check -o match:"Activation: start due to dependent\(s\)" \
	    "$DINITCTL" status soft
	atf_check -s exit:1 -o empty \
	    -e inline:"dinitctl: service has no active dependents, cannot wake.\n" \
	    "$DINITCTL" wake lonely
	[ ! -f lonely.log ] || atf_fail "lonely was started"

	# restart of a stopped service is refused.
	atf_check -s exit:1 -o empty \
	    -e inline:"dinitctl: cannot restart service; service not started.\n" \
	    "$DINITCTL" restart lonely
	# ... unless --ignore-unstarted, as in dinit.
	atf_check -s exit:0 -e empty \
	    -o inline:"Service 'lonely' is not currently started.\n" \
	    "$DINITCTL" restart --ignore-unstarted lonely
	atf_check -s exit:0 -o empty -e empty \
	    "$DINITCTL" restart --ignore-unstarted notloaded

	# release: an explicit start only, so it stops; one still needed
	# by a dependent keeps running.
	atf_check -s exit:0 -o inline:"Service 'solo' stopped.\n" \
	    "$DINITCTL" release solo
	atf_check -o inline:"2\n" grep -c '^stop ' solo.log
	atf_check -o match:"^\[     \{-\}\] solo$" "$DINITCTL" list
	atf_check -o inline:"Service (already) started.\n" \
	    "$DINITCTL" start base
	atf_check -s exit:0 -o inline:"\
Issued stop command successfully for service 'base'.
Service 'base' is still required by its dependents.
" "$DINITCTL" release base
	atf_check -o match:"Activation: start due to dependent\(s\)" \
	    "$DINITCTL" status base
	atf_check -s exit:0 -o empty \
	    "$DINITCTL" release --ignore-unstarted notloaded
	dinit_stop
}
restart_wake_release_cleanup()
{
	common_cleanup
}

atf_test_case status_zone cleanup
status_zone_head()
{
	atf_set "descr" "status prints Since: in the daemon's zone, or in TZ's when set; a status connection is closed by the daemon (BYE)"
}
status_zone_body()
{
	hold_svc
	# A zone 5:30 east of UTC for the daemon only.
	TZ=ABC-5:30
	export TZ
	dinit_start hold
	unset TZ
	atf_check -s exit:0 -o save:local.out "$DINITCTL" status hold
	TZ=UTC0 atf_check -s exit:0 -o save:utc.out "$DINITCTL" status hold
	# The clock ticks between the two: 5:30 apart, give or take 2 s.
	sed -n 's/^    Since: [0-9-]* \([0-9:]*\) .*/\1/p' local.out utc.out |
	    awk -F: '{ s[NR] = $1 * 3600 + $2 * 60 + $3 }
		END { d = (s[1] - s[2] + 86400) % 86400 - 19800
		      print (NR == 2 && d >= -2 && d <= 2) ? "ok" : "off " d }' \
	    >diff.out
	atf_check -o inline:"ok\n" cat diff.out
	# A request followed by BYE is answered and the connection closed;
	# without BYE it stays open.
	atf_check -s exit:0 -o match:"^eof$" "$HELPER" raw "$PWD/sock" 5000 \
	    06000000010004000400 080000002500 0400686f6c64 020000002900
	atf_check -s exit:0 -o match:"^timeout$" "$HELPER" raw "$PWD/sock" \
	    300 06000000010004000400 080000002500 0400686f6c64
	# Each status was the client's last request: the daemon said
	# nothing of a bad request, and serves the next one.
	atf_check -s exit:0 -o inline:"STARTED\n" "$DINITCTL" is-started hold
	atf_check -s exit:1 grep -i "bad request" out err
	dinit_stop
}
status_zone_cleanup()
{
	common_cleanup
}

atf_test_case status_and_queries cleanup
status_and_queries_head()
{
	atf_set "descr" "status (human and --json), is-started, is-failed, a failed service's reason"
}
status_and_queries_body()
{
	hold_svc
	svc web <<EOF
type = process
command = $HELPER run $PWD/web.log
EOF
	svc dep <<EOF
type = internal
depends-on: web
EOF
	svc badexec <<EOF
type = process
command = /nonexistent/program
EOF
	svc crashes <<EOF
type = process
command = $HELPER sleep-exit 100 1
restart = no
EOF
	# How a process service's tree is reached (tree_test shows it).
	case "$(uname -s)" in
	FreeBSD) TREE=reaper ;;
	*) TREE="process group" ;;
	esac
	dinit_start hold
	pid=$(pid_of hold.log start)
	# dinit's lines, then ours (times read T).
	atf_check -s exit:0 -o save:st.out -e empty "$DINITCTL" status hold
	atf_check -o inline:"Service: hold
    File: $PWD/sv/hold
    State: STARTED
    Activation: explicitly started
    Process ID: $pid
    Process tree: $TREE
    Since: T
    Start took: T
    Restarts: 0
    Memory: M
    CPU: T
    Output: discarded
" sed -e 's/^    Since: .*/    Since: T/' -e 's/^    Start took: .*/    Start took: T/' \
	    -e 's/^    Memory: .*/    Memory: M/' -e 's/^    CPU: .*/    CPU: T/' st.out

	atf_check -o ignore "$DINITCTL" start dep
	# Started means exec'd: the helper writes its record a moment later.
	wait_for web.log "start "
	wpid=$(pid_of web.log start)
	atf_check -s exit:0 -o save:st.out "$DINITCTL" status web
	atf_check -o inline:"Service: web
    File: $PWD/sv/web
    State: STARTED
    Activation: start due to dependent(s)
    Process ID: $wpid
    Process tree: $TREE
    Since: T
    Start took: T
    Restarts: 0
    Memory: M
    CPU: T
    Output: discarded
" sed -e 's/^    Since: .*/    Since: T/' -e 's/^    Start took: .*/    Start took: T/' \
	    -e 's/^    Memory: .*/    Memory: M/' -e 's/^    CPU: .*/    CPU: T/' st.out

	atf_check -s exit:1 -o ignore "$DINITCTL" start badexec
	atf_check -s exit:0 -o save:st.out "$DINITCTL" status badexec
	atf_check -o inline:"Service: badexec
    File: $PWD/sv/badexec
    State: STOPPED (could not be launched)
        Stage: executing command
        Error: No such file or directory
    Process tree: $TREE
    Since: T
    Restarts: 0
    Last exit: exited - status 127
    Output: discarded
" sed -e 's/^    Since: .*/    Since: T/' -e 's/^    Start took: .*/    Start took: T/' st.out

	# A process that ran and exited 1.
	atf_check -o inline:"Service 'crashes' started.\n" \
	    "$DINITCTL" start crashes
	wait_ctl "STOPPED" is-started crashes
	atf_check -s exit:0 -o save:st.out "$DINITCTL" status crashes
	atf_check -o inline:"Service: crashes
    File: $PWD/sv/crashes
    State: STOPPED (terminated; exited - status 1)
    Process tree: $TREE
    Since: T
    Restarts: 0
    Last exit: exited - status 1
    Output: discarded
" sed -e 's/^    Since: .*/    Since: T/' -e 's/^    Start took: .*/    Start took: T/' st.out

	# is-started and is-failed answer with the exit status.
	atf_check -s exit:0 -o inline:"STARTED\n" "$DINITCTL" is-started web
	atf_check -s exit:1 -o inline:"STARTED\n" "$DINITCTL" is-failed web
	atf_check -s exit:1 -o inline:"STOPPED\n" "$DINITCTL" is-started badexec
	atf_check -s exit:0 -o inline:"STOPPED\n" "$DINITCTL" is-failed badexec
	atf_check -s exit:1 -o inline:"STOPPED\n" "$DINITCTL" is-failed crashes
	atf_check -s exit:0 -o empty "$DINITCTL" --quiet is-started web
	atf_check -s exit:0 -o empty "$DINITCTL" is-failed --quiet badexec
	# Not loaded: is-started says nothing (as dinit's); status says so.
	atf_check -s exit:1 -o empty -e empty "$DINITCTL" is-started nosuch
	atf_check -s exit:1 -o empty -e inline:"dinitctl: service not loaded.\n" \
	    "$DINITCTL" status nosuch

	# --json: one object with the documented fields.
	atf_check -s exit:0 -o save:web.json "$DINITCTL" status --json web
	atf_check -o match:"^\{\"name\":\"web\",\"state\":\"STARTED\",\"target\":\"STARTED\",\"type\":\"process\",\"activation\":\"dependents\",\"pinned\":null,\"pid\":$wpid," \
	    cat web.json
	atf_check -s exit:0 -o save:bad.json "$DINITCTL" --json status badexec
	atf_check -o match:"\"state\":\"STOPPED\"" \
	    -o match:"\"failed\":true" \
	    -o match:"\"exec_failure\":\{\"stage\":\"executing command\",\"errno\":2,\"error\":\"No such file or directory\"\}" \
	    cat bad.json
	if have_jq; then
		atf_check -o inline:"$wpid\n" jq -r .pid web.json
		atf_check -o inline:"executing command\n" \
		    jq -r .exec_failure.stage bad.json
	fi
	dinit_stop
}
status_and_queries_cleanup()
{
	common_cleanup
}

atf_test_case list_format cleanup
list_format_head()
{
	atf_set "descr" "list: one line per service in the documented format; --json is one array"
}
list_format_body()
{
	hold_svc
	svc web <<EOF
type = process
command = $HELPER run $PWD/web.log
EOF
	svc boot <<EOF
type = internal
depends-on: web
EOF
	svc idle <<EOF
type = internal
EOF
	svc crashes <<EOF
type = process
command = $HELPER sleep-exit 100 1
restart = no
EOF
	svc badexec <<EOF
type = process
command = /nonexistent/program
EOF
	svc gate <<EOF
type = scripted
command = /bin/sh -c "while [ ! -f $PWD/gate.go ]; do sleep 0.05; done"
EOF
	dinit_start hold
	atf_check -o ignore "$DINITCTL" start boot
	atf_check -o ignore "$DINITCTL" start idle
	atf_check -o ignore "$DINITCTL" stop idle
	atf_check -o ignore "$DINITCTL" start crashes
	wait_ctl "(exit status: 1)" list
	atf_check -s exit:1 -o ignore "$DINITCTL" start badexec
	atf_check -o ignore "$DINITCTL" start --no-wait gate

	atf_check -s exit:0 -o save:list.out -e empty "$DINITCTL" list
	for line in \
	    "[[+]     ] hold (pid: $(pid_of hold.log start))" \
	    "[[+]     ] boot" \
	    "[{+}     ] web (pid: $(pid_of web.log start))" \
	    "[     {-}] idle" \
	    "[     {X}] crashes (exit status: 1)" \
	    "[     {X}] badexec"; do
		grep -Fqx -- "$line" list.out ||
		    { cat list.out; atf_fail "no line '$line' in list"; }
	done
	atf_check -o match:"^\[\[ \]<<   \] gate \(pid: [0-9]+\)$" cat list.out
	atf_check -o inline:"7\n" grep -c . list.out
	touch gate.go
	wait_ctl "[[+]     ] gate" list

	atf_check -s exit:0 -o save:list.json "$DINITCTL" list --json
	atf_check -o inline:"1\n" grep -c . list.json
	atf_check -o match:'^\[\{"name":"hold",.*\}\]$' cat list.json
	if have_jq; then
		atf_check -o inline:"7\n" jq length list.json
		atf_check -o inline:"STARTED\n" \
		    jq -r '.[] | select(.name == "gate") | .state' list.json
	fi
	dinit_stop
}
list_format_cleanup()
{
	common_cleanup
}

atf_test_case reload_unload cleanup
reload_unload_head()
{
	atf_set "descr" "reload applies a changed description and refuses a broken one; unload"
}
reload_unload_body()
{
	hold_svc
	svc web <<EOF
type = process
command = $HELPER run $PWD/web.log
EOF
	# An old modification time, so the change below is seen.
	touch -t 200001010000 sv/web
	svc critical <<EOF
type = process
command = $HELPER run $PWD/critical.log
EOF
	svc boot <<EOF
type = internal
depends-on: critical
EOF
	dinit_start hold
	atf_check -o inline:"Service 'web' started.\n" "$DINITCTL" start web
	pid=$(pid_of web.log start)
	cat >>sv/web <<EOF
stop-command = /bin/sh -c "echo stop-command >> $PWD/stopcmd.log; kill $pid"
EOF
	atf_check -o match:"File: $PWD/sv/web \(modified since loaded\)" \
	    "$DINITCTL" status web
	atf_check -o inline:"Service (already) started.\n" \
	    -e inline:"dinitctl: warning: service description may have changed; use 'dinitctl reload web' to apply changes.\n" \
	    "$DINITCTL" start web
	atf_check -s exit:0 -o inline:"Service 'web' reloaded.\n" -e empty \
	    "$DINITCTL" reload web
	atf_check -o not-match:"modified" "$DINITCTL" status web
	kill -0 "$pid" || atf_fail "reload disturbed web"

	# A broken description is refused and the running service kept.
	cp sv/web web.good
	echo "no-such-setting = 1" >>sv/web
	atf_check -s exit:1 -o empty -e inline:"\
dinitctl: could not reload service; service in wrong state, incompatible change, or bad service description.
dinitctl: $PWD/sv/web:4: unknown setting: 'no-such-setting'
" "$DINITCTL" reload web
	kill -0 "$pid" || atf_fail "the failed reload disturbed web"
	atf_check -o match:"Process ID: $pid" "$DINITCTL" status web
	cp web.good sv/web

	# The reloaded stop-command is the one used.
	atf_check -o inline:"Service 'web' stopped.\n" "$DINITCTL" stop web
	atf_check -o inline:"stop-command\n" cat stopcmd.log
	wait_for web.log "stop $pid"

	# unload: not while running, nor while another service needs it.
	atf_check -o ignore "$DINITCTL" start boot
	atf_check -s exit:1 -o empty -e inline:"\
dinitctl: could not unload service; service not stopped, or is a dependency of another service.
dinitctl: service 'critical' is not stopped
" "$DINITCTL" unload critical
	atf_check -o ignore "$DINITCTL" stop --force critical
	atf_check -s exit:1 -o empty \
	    -e match:"^dinitctl: could not unload service; service not stopped, or is a dependency of another service\.$" \
	    -e match:"'critical' is a dependency of 'boot'" \
	    "$DINITCTL" unload critical
	atf_check -o inline:"Service 'boot' unloaded.\n" "$DINITCTL" unload boot
	atf_check -o inline:"Service 'critical' unloaded.\n" \
	    "$DINITCTL" unload critical
	atf_check -s exit:1 -e match:"not loaded" "$DINITCTL" status critical
	atf_check -o not-match:"critical|boot" "$DINITCTL" list
	dinit_stop
}
reload_unload_cleanup()
{
	common_cleanup
}

atf_test_case dependencies cleanup
dependencies_head()
{
	atf_set "descr" "add-dep and rm-dep change the running graph; a cycle is refused"
}
dependencies_body()
{
	hold_svc
	for n in a b c; do
		svc $n <<EOF
type = process
command = $HELPER run $PWD/$n.log
EOF
	done
	svc d <<EOF
type = internal
EOF
	dinit_start hold
	# As in dinit, add-dep only adds the link: a waits-for edge from a
	# running service does not start a stopped target (enable does).
	atf_check -s exit:0 -o inline:"Service 'hold': dependency 'd' added\n" \
	    "$DINITCTL" add-dep waits-for hold d
	atf_check -o match:"^\[     \{-\}\] d$" "$DINITCTL" list
	# A started target is held: released, it keeps running ...
	atf_check -o inline:"Service 'a' started.\n" "$DINITCTL" start a
	atf_check -s exit:0 -o inline:"Service 'hold': dependency 'a' added\n" \
	    "$DINITCTL" add-dep waits-for hold a
	atf_check -o match:"still required" "$DINITCTL" release a
	atf_check -o match:"^\[\{\+\}     \] a \(pid: " "$DINITCTL" list
	# A running service may only come to need a started one.
	atf_check -s exit:1 -o empty -e inline:"\
dinitctl: could not add dependency: circular dependency or wrong state
dinitctl: could not add dependency: 'a' runs and 'b' is not started
" "$DINITCTL" add-dep need a b
	atf_check -o ignore "$DINITCTL" start b
	atf_check -s exit:0 -o inline:"Service 'a': dependency 'b' added\n" \
	    "$DINITCTL" add-dep need a b
	atf_check -s exit:0 -o inline:"Service 'b': dependency 'c' added\n" \
	    "$DINITCTL" add-dep milestone b c
	# c -> a would close a -> b -> c.
	atf_check -s exit:1 -o empty \
	    -e match:"^dinitctl: could not add dependency: circular dependency or wrong state$" \
	    -e match:"^dinitctl: could not add dependency: dependency cycle: " \
	    "$DINITCTL" add-dep need c a
	atf_check -s exit:1 -e inline:"\
dinitctl: can not add/remove a dependency from a service to itself
" "$DINITCTL" add-dep waits-for a a
	# b is a hard dependency of a now.
	atf_check -s exit:1 -e match:"^  a$" "$DINITCTL" stop b
	atf_check -o inline:"Service 'a': dependency 'b' removed\n" \
	    "$DINITCTL" rm-dep need a b
	atf_check -o inline:"Service 'b' stopped.\n" "$DINITCTL" stop b
	atf_check -s exit:1 -o empty -e inline:"dinitctl: no such dependency to remove\n" \
	    "$DINITCTL" rm-dep need a b
	# Removing the waits-for edge lets a (released before) stop.
	atf_check -o ignore "$DINITCTL" rm-dep waits-for hold a
	wait_for a.log "stop "
	atf_check -s exit:2 -e match:"unknown dependency type" \
	    "$DINITCTL" add-dep sometimes hold a
	dinit_stop
}
dependencies_cleanup()
{
	common_cleanup
}

atf_test_case enable_disable cleanup
enable_disable_head()
{
	atf_set "descr" "enable/disable: the waits-for.d link, default boot, --from, enable-via, --offline"
}
enable_disable_body()
{
	hold_svc
	svc boot <<EOF
type = internal
waits-for: hold
waits-for.d: boot.d
EOF
	svc other <<EOF
type = internal
waits-for.d: other.d
EOF
	svc nodir <<EOF
type = internal
EOF
	svc a <<EOF
type = process
command = $HELPER run $PWD/a.log
EOF
	svc b <<EOF
type = process
command = $HELPER run $PWD/b.log
@meta enable-via other
EOF
	svc c <<EOF
type = process
command = $HELPER run $PWD/c.log
EOF
	# Offline first: the link alone; a daemon started later follows it.
	atf_check -s exit:0 -o inline:"Service 'c' has been enabled.\n" \
	    "$DINITCTL" --offline -d sv enable c
	atf_check -o inline:"$(cd sv && pwd -P)/c\n" readlink sv/boot.d/c
	dinit_start boot
	wait_for c.log "start "
	atf_check -o inline:"Service 'c' has been disabled.\n" \
	    "$DINITCTL" -o -d "$PWD/sv" disable c
	[ ! -e sv/boot.d/c ] || atf_fail "the link to c is still there"
	# Offline does not touch the daemon.
	atf_check -o match:"^\[\{\+\}     \] c " "$DINITCTL" list

	# Online, default from boot: the link, the edge, the start.
	atf_check -s exit:0 -e empty \
	    -o inline:"Service 'a' has been enabled.\nService 'a' started.\n" \
	    "$DINITCTL" enable a
	atf_check -s exit:1 -o empty \
	    -e inline:"dinitctl: service already enabled.\n" \
	    "$DINITCTL" enable a
	atf_check -o inline:"$PWD/sv/a\n" readlink sv/boot.d/a
	atf_check -o match:"^\[\{\+\}     \] a \(pid: " "$DINITCTL" list
	# Started means exec'd: a stops on SIGTERM only once it has
	# recorded its start (and caught the signal).
	wait_for a.log "start "
	atf_check -s exit:0 -o inline:"Service 'a' has been disabled.\n" \
	    -e empty "$DINITCTL" disable a
	[ ! -e sv/boot.d/a ] || atf_fail "the link to a is still there"
	wait_for a.log "stop "

	# @meta enable-via names the from-service.
	atf_check -o ignore "$DINITCTL" start other
	atf_check -s exit:0 -o match:"Service 'b' has been enabled." \
	    "$DINITCTL" enable b
	atf_check -o inline:"$PWD/sv/b\n" readlink sv/other.d/b
	[ ! -e sv/boot.d/b ] || atf_fail "b was enabled from boot"
	wait_for b.log "start "

	# --from another service.
	atf_check -s exit:0 -o match:"Service 'a' has been enabled." \
	    "$DINITCTL" enable --from other a
	atf_check -o inline:"$PWD/sv/a\n" readlink sv/other.d/a
	atf_check -o match:"has been disabled" \
	    "$DINITCTL" disable --from other a
	[ ! -e sv/other.d/a ] || atf_fail "the link to a is still there"

	# A from-service without waits-for.d cannot take links.
	atf_check -s exit:1 -o empty -e match:"no waits-for.d directory" \
	    "$DINITCTL" enable --from nodir a
	dinit_stop
}
enable_disable_cleanup()
{
	common_cleanup
}

atf_test_case static_link
static_link_head()
{
	atf_set "descr" "dinitctl is linked as configure said: static (no interpreter, no shared library) with CTL_LDFLAGS, dynamic without"
}
static_link_body()
{
	builddir=$(dirname "$DINITCTL")
	[ -f "$builddir/Makefile" ] || atf_skip "no build directory"
	command -v readelf >/dev/null || atf_skip "no readelf"
	flags=$(sed -n 's/^CTL_LDFLAGS = *//p' "$builddir/Makefile")
	atf_check -o save:headers readelf -l -d "$DINITCTL"
	case $flags in
	*-static*)
		if grep -q -e INTERP -e NEEDED headers; then
			atf_fail "dinitctl ($flags) has an interpreter or a shared library"
		fi ;;
	'')
		grep -q INTERP headers ||
		    atf_fail "dinitctl, linked dynamically, has no interpreter" ;;
	*)
		atf_fail "unexpected CTL_LDFLAGS: $flags" ;;
	esac
	# Either way it runs.
	atf_check -s exit:0 -o match:"^dinitctl" "$DINITCTL" --version
}

atf_test_case offline_links_only
offline_links_only_head()
{
	atf_set "descr" "enable --offline reads a description for its links only: it looks up no user and leaves capabilities to dinit; dinit-check still checks"
}
offline_links_only_body()
{
	svc boot <<EOF
type = internal
waits-for.d: boot.d
EOF
	svc odd <<EOF
type = process
command = $HELPER run \$HOME/odd.log
run-as = no-such-user-of-dinit-tests
load-options = export-passwd-vars
capabilities = ^cap_net_bind_service
EOF
	atf_check -s exit:0 -o inline:"Service 'odd' has been enabled.\n" \
	    -e empty "$DINITCTL" --offline -d sv enable odd
	atf_check -o inline:"$(cd sv && pwd -P)/odd\n" readlink sv/boot.d/odd
	atf_check -s exit:0 -o inline:"enabled\n" -e empty \
	    "$DINITCTL" --offline -d sv is-enabled odd
	atf_check -s exit:0 -o inline:"Service 'odd' has been disabled.\n" \
	    "$DINITCTL" --offline -d sv disable odd
	# dinit-check, as dinit, looks the user up.
	atf_check -s not-exit:0 -o ignore \
	    -e match:"user 'no-such-user-of-dinit-tests' not found" \
	    "$DINIT_CHECK" -d sv odd
}

atf_test_case trigger_untrigger cleanup
trigger_untrigger_head()
{
	atf_set "descr" "trigger lets a triggered service start; untrigger; other types refused"
}
trigger_untrigger_body()
{
	hold_svc
	svc ready <<EOF
type = triggered
EOF
	svc after <<EOF
type = scripted
command = /bin/sh -c "echo ran >> $PWD/after.out"
depends-on: ready
EOF
	dinit_start hold
	atf_check -o ignore "$DINITCTL" start --no-wait after
	atf_check -o match:"^\[\{ \}<<   \] ready$" "$DINITCTL" list
	atf_check -s exit:1 -o inline:"STARTING\n" "$DINITCTL" is-started after
	[ ! -f after.out ] || atf_fail "after ran before the trigger"
	# Silent on success, as dinit's.
	atf_check -s exit:0 -o empty -e empty "$DINITCTL" trigger ready
	wait_ctl "[[+]     ] after" list
	atf_check -o inline:"ran\n" cat after.out
	atf_check -s exit:0 -o empty -e empty "$DINITCTL" untrigger ready
	# Untriggered, a new start waits again.
	atf_check -o ignore "$DINITCTL" stop after
	atf_check -o ignore "$DINITCTL" start --no-wait after
	atf_check -s exit:1 -o inline:"STARTING\n" "$DINITCTL" is-started ready
	atf_check -s exit:1 -o empty \
	    -e match:"cannot trigger a service that is not of 'triggered' type" \
	    "$DINITCTL" trigger hold
	dinit_stop
}
trigger_untrigger_cleanup()
{
	common_cleanup
}

atf_test_case environment cleanup
environment_head()
{
	atf_set "descr" "setenv and unsetenv change what services started afterwards see"
}
environment_body()
{
	hold_svc
	svc show <<EOF
type = scripted
command = /bin/sh -c "echo \\"FOO=\$\${FOO-unset} BAR=\$\${BAR-unset}\\" >> $PWD/env.out"
EOF
	dinit_start hold
	atf_check -s exit:0 -o empty -e empty "$DINITCTL" setenv FOO=bar
	atf_check -s exit:0 -o empty env BAR=from-dinitctl "$DINITCTL" setenv BAR
	atf_check -o ignore "$DINITCTL" start show
	atf_check -o inline:"FOO=bar BAR=from-dinitctl\n" cat env.out
	atf_check -s exit:0 -o empty -e empty "$DINITCTL" unsetenv FOO
	atf_check -o ignore "$DINITCTL" stop show
	atf_check -o ignore "$DINITCTL" start show
	atf_check -o inline:"FOO=bar BAR=from-dinitctl\nFOO=unset BAR=from-dinitctl\n" \
	    cat env.out
	atf_check -s exit:1 -e match:"NOT_IN_ENV is not set" \
	    env -u NOT_IN_ENV "$DINITCTL" setenv NOT_IN_ENV
	atf_check -s exit:2 -e match:"names only" "$DINITCTL" unsetenv A=b
	dinit_stop
}
environment_cleanup()
{
	common_cleanup
}

atf_test_case catlog cleanup
catlog_head()
{
	atf_set "descr" "catlog prints a buffered service's output; --clear empties it"
}
catlog_body()
{
	hold_svc
	svc chatty <<EOF
type = process
command = /bin/sh -c "echo start \$\$\$\$ >> $PWD/chatty.log; echo line1; echo line2; printf partial; exec sleep 60"
log-type = buffer
EOF
	dinit_start hold
	atf_check -o ignore "$DINITCTL" start chatty
	wait_ctl partial catlog chatty
	atf_check -s exit:0 -o inline:"line1
line2
partial
(last line is truncated or incomplete)
" -e empty "$DINITCTL" catlog chatty
	atf_check -s exit:0 -o match:"^line1$" "$DINITCTL" catlog --clear chatty
	atf_check -s exit:0 -o empty -e empty "$DINITCTL" catlog chatty
	atf_check -s exit:1 -o empty \
	    -e match:"cannot cat log for service not configured to buffer output" \
	    "$DINITCTL" catlog hold
	dinit_stop
}
catlog_cleanup()
{
	common_cleanup
}

atf_test_case signal cleanup
signal_head()
{
	atf_set "descr" "signal delivers a signal to a service's process; --list; bad signals refused"
}
signal_body()
{
	hold_svc
	svc trap <<EOF
type = process
command = /bin/sh -c "trap 'echo hup >> $PWD/sig.out' HUP; echo start \$\$\$\$ >> $PWD/trap.log; while :; do sleep 0.05; done"
EOF
	svc intern <<EOF
type = internal
EOF
	dinit_start hold
	atf_check -s exit:0 -o match:"^HUP: 1$" -o match:"^KILL: 9$" \
	    -o match:"^TERM: 15$" "$DINITCTL" signal --list
	atf_check -s exit:0 -o match:"^USR1: " "$DINITCTL" signal -l
	atf_check -o ignore "$DINITCTL" start trap
	wait_for trap.log "start "
	atf_check -s exit:0 -o empty -e empty "$DINITCTL" signal HUP trap
	wait_for sig.out hup
	atf_check -s exit:0 -o empty "$DINITCTL" signal 1 trap
	wait_count sig.out '^hup$' 2
	atf_check -s exit:1 \
	    -e inline:"dinitctl: 'NOSUCHSIG' is not a valid signal name/number\n" \
	    "$DINITCTL" signal NOSUCHSIG trap
	atf_check -s exit:1 -e match:"provided signal was invalid" \
	    "$DINITCTL" signal 0 trap
	atf_check -o ignore "$DINITCTL" start intern
	atf_check -s exit:1 -e match:"could not get valid PID of service" \
	    "$DINITCTL" signal HUP intern
	atf_check -s exit:1 -e match:"not loaded" "$DINITCTL" signal HUP nosuch
	kill -0 "$(pid_of trap.log start)" || atf_fail "trap died"
	dinit_stop
}
signal_cleanup()
{
	common_cleanup
}

atf_test_case shutdown cleanup
shutdown_head()
{
	atf_set "descr" "shutdown stops every service and the daemon exits"
}
shutdown_body()
{
	hold_svc
	svc web <<EOF
type = process
command = $HELPER run $PWD/web.log
EOF
	dinit_start hold
	atf_check -o ignore "$DINITCTL" start web
	# Started means exec'd: each records its stop only once it has
	# recorded its start (and caught SIGTERM).
	wait_for hold.log "start "
	wait_for web.log "start "
	atf_check -s exit:0 -o inline:"Shutting down dinit...\nConnection closed.\n" \
	    -e empty "$DINITCTL" shutdown
	dinit_wait
	atf_check_equal 0 "$status"
	atf_check -o match:"^stop " cat web.log
	atf_check -o match:"^stop " cat hold.log
	[ ! -e sock ] || atf_fail "the socket file was left behind"
	atf_check -s exit:1 -o empty -e match:"cannot connect to" \
	    "$DINITCTL" list
}
shutdown_cleanup()
{
	common_cleanup
}

atf_test_case monitor cleanup
monitor_head()
{
	atf_set "descr" "monitor prints a line per event as it happens; --json lines"
}
monitor_body()
{
	hold_svc
	svc tick <<EOF
type = internal
EOF
	svc web <<EOF
type = process
command = $HELPER run $PWD/web.log
restart = no
EOF
	dinit_start hold
	background mon.out "$DINITCTL" monitor
	background monjson.out "$DINITCTL" monitor --json tick web
	monitors_see tick mon.out '^tick: ' \
	    monjson.out '"service":{"name":"tick"'

	atf_check -o ignore "$DINITCTL" start web
	pid=$(pid_of web.log start)
	wait_for mon.out "web: started (state STARTED)"
	wait_for monjson.out '{"event":"started","service":{"name":"web","state":"STARTED"'
	atf_check -o match:"\"pid\":$pid" grep '"name":"web"' monjson.out
	atf_check -s exit:1 grep -F "web: stopped" mon.out

	kill -KILL "$pid"
	wait_for mon.out "web: stopped (state STOPPED)"
	wait_for monjson.out '{"event":"stopped","service":{"name":"web","state":"STOPPED"'
	atf_check -o match:'"exit":\{"signal":9\}' \
	    grep '"event":"stopped","service":{"name":"web"' monjson.out
	# Every --json line is one object; the plain monitor saw hold too.
	atf_check -s exit:1 grep -v '^{"event":".*}}$' monjson.out
	if have_jq; then
		atf_check -o ignore jq -e .service.name monjson.out
	fi
	atf_check -s exit:1 grep hold monjson.out
	dinit_stop
	wait_for mon.out "hold: stopped"
}
monitor_cleanup()
{
	common_cleanup
}

# The types of the frames in helper raw's "hex" line, one a line (hex).
raw_frame_types()
{
	sed -n 's/^hex //p' "$1" | awk '
	function nib(c) { return index("0123456789abcdef", c) - 1 }
	function byte(i) { return nib(substr(h, i, 1)) * 16 + nib(substr(h, i + 1, 1)) }
	{
		h = $0
		for (p = 1; p + 11 <= length(h); p += 8 + len * 2) {
			len = byte(p) + 256 * byte(p + 2) + 65536 * byte(p + 4)
			print substr(h, p + 8, 2)
		}
	}'
}

atf_test_case watchers cleanup
watchers_head()
{
	atf_set "descr" "Several clients watch one service, one client several: each is told every event once; watches end at unload and when a client goes"
}
watchers_body()
{
	hold_svc
	for n in a b c dedupe; do
		echo "type = internal" | svc "$n"
	done
	svc gate <<EOF
type = scripted
command = /bin/sh -c "while [ ! -f $PWD/gate.go ]; do sleep 0.05; done"
EOF
	dinit_start hold
	s=$PWD/sock
	hello=06000000010001000100

	# One client with three reasons to hear of dedupe (it monitors all,
	# monitors dedupe, waits for its start) hears each event once: a
	# hello, two OKs, the start's status and one event (0xc0, STARTED).
	atf_check -s exit:0 -o save:raw.out -e empty "$HELPER" raw "$s" 1000 \
	    "$hello" 040000002200 0000 0c0000002200 0100 0600 646564757065 \
	    0b0000001000 08 0600 646564757065
	raw_frame_types raw.out | sort >types.out
	atf_check -o inline:"81\n82\n82\n84\nc0\n" cat types.out
	atf_check -o match:"c000000600646564757065" cat raw.out

	# Monitors of all, of some, of some by a client that will be
	# killed; then two clients waiting for gate to start.
	background all.out "$DINITCTL" monitor
	background some.out "$DINITCTL" monitor a b c gate
	"$DINITCTL" monitor a b gate >gone.out 2>&1 </dev/null &
	gone=$!
	echo "$gone" >>bg.pids
	monitors_see a all.out '^a: ' some.out '^a: ' gone.out '^a: '
	background wait1.out "$DINITCTL" start gate
	background wait2.out "$DINITCTL" start gate
	wait_ctl STARTING is-started gate

	# A client gone: what it watched is still told to the others.
	kill -KILL "$gone"
	wait "$gone" 2>/dev/null || :
	atf_check -o ignore "$DINITCTL" start b
	wait_for some.out "b: started"
	wait_for all.out "b: started"

	# Both waiters are told; each monitor once.
	touch gate.go
	wait_for wait1.out "Service 'gate' started."
	wait_for wait2.out "Service 'gate' started."
	wait_for some.out "gate: started"
	wait_for all.out "gate: started"
	atf_check -o inline:"1\n" grep -c "^gate: started" some.out
	atf_check -o inline:"1\n" grep -c "^gate: started" all.out

	# An unloaded service is no longer watched by name, even once it is
	# loaded again; a monitor of all still hears of it.
	atf_check -o ignore "$DINITCTL" unload c
	atf_check -o ignore "$DINITCTL" start c
	wait_for all.out "c: started"
	# Every event of a once to each.  (Not as many lines in both: one
	# may have registered a move of a before the other.)
	na=$(grep -c '^a: started' all.out)
	ns=$(grep -c '^a: started' some.out)
	atf_check -o ignore "$DINITCTL" start a
	_n=200
	until [ "$(grep -c '^a: started' all.out)" -gt "$na" ] &&
	    [ "$(grep -c '^a: started' some.out)" -gt "$ns" ]; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || { dump; atf_fail "monitors never saw a start"; }
		sleep 0.05
	done
	atf_check -o inline:"$((na + 1))\n" grep -c '^a: started' all.out
	atf_check -o inline:"$((ns + 1))\n" grep -c '^a: started' some.out
	atf_check -s exit:1 grep "^c: " some.out
	dinit_stop
}
watchers_cleanup()
{
	common_cleanup
}

atf_test_case options cleanup
options_head()
{
	atf_set "descr" "-p, --socket-path, DINIT_SOCKET_PATH, --quiet, exit statuses and usage errors"
}
options_body()
{
	hold_svc
	svc web <<EOF
type = process
command = $HELPER run $PWD/web.log
EOF
	dinit_start hold
	unset DINIT_SOCKET_PATH
	atf_check -s exit:0 -o match:"^\[\[\+\]     \] hold" \
	    "$DINITCTL" -p "$PWD/sock" list
	atf_check -s exit:0 -o match:"hold" \
	    "$DINITCTL" list --socket-path="$PWD/sock"
	atf_check -s exit:0 -o match:"hold" \
	    env DINIT_SOCKET_PATH="$PWD/sock" "$DINITCTL" list
	# -p wins over the environment.
	atf_check -s exit:0 -o match:"hold" \
	    env DINIT_SOCKET_PATH="$PWD/nosock" "$DINITCTL" -p "$PWD/sock" list
	atf_check -s exit:1 -o empty -e match:"cannot connect to $PWD/nosock" \
	    env DINIT_SOCKET_PATH="$PWD/nosock" "$DINITCTL" list

	# --quiet: nothing on standard output, errors still on stderr.
	atf_check -s exit:0 -o empty -e empty \
	    "$DINITCTL" -p "$PWD/sock" --quiet start web
	wait_for web.log "start "
	atf_check -s exit:0 -o empty -e empty \
	    "$DINITCTL" -p "$PWD/sock" stop --quiet web
	wait_for web.log "stop "
	atf_check -s exit:1 -o empty -e match:"not loaded" \
	    "$DINITCTL" -p "$PWD/sock" --quiet status nosuch

	# Usage errors exit 2; an empty argument is refused.
	atf_check -s exit:2 -o empty -e match:"unknown command 'frobnicate'" \
	    "$DINITCTL" -p "$PWD/sock" frobnicate
	atf_check -s exit:2 -o empty -e match:"unknown command 'frob'" \
	    "$DINITCTL" -p /nonexistent/sock frob
	atf_check -s exit:0 -o match:"hold" "$DINITCTL" -p "$PWD/sock" -- list
	atf_check -s exit:0 -o match:"hold" "$DINITCTL" list -p "$PWD/sock"
	atf_check -s exit:2 -e match:"usage" "$DINITCTL" -p "$PWD/sock" start
	atf_check -s exit:2 -e match:"usage" "$DINITCTL" -p "$PWD/sock" \
	    start a b
	atf_check -s exit:2 -e match:"usage" "$DINITCTL" --bogus-option
	atf_check -s exit:2 -e match:"--offline works with enable, disable and is-enabled only" \
	    "$DINITCTL" -o -d "$PWD/sv" start web
	atf_check -s exit:2 -e match:"Invalid empty argument" \
	    "$DINITCTL" -p "$PWD/sock" start ""
	atf_check -s exit:0 -o match:"^dinitctl version [0-9]" \
	    "$DINITCTL" --version
	DINIT_SOCKET_PATH="$PWD/sock"
	export DINIT_SOCKET_PATH
	dinit_stop
}
options_cleanup()
{
	common_cleanup
}

atf_test_case protocol_abuse cleanup
protocol_abuse_head()
{
	atf_set "descr" "Malformed, oversized and garbage messages drop only their client; dinit serves and supervises on"
}
protocol_abuse_body()
{
	hold_svc
	dinit_start hold
	s=$PWD/sock
	hello=06000000010001000100

	# Held-open clients with half a frame must not block anybody.
	background idle1.out "$HELPER" raw "$s" 20000 64000000 0100
	background idle2.out "$HELPER" raw "$s" 20000 "$hello" 10000000 1600

	# Each case: the bytes, and the error the daemon answers before it
	# closes the connection ("eof").
	while IFS='|' read -r why bytes; do
		# shellcheck disable=SC2086
		atf_check -s exit:0 -o save:raw.out -e ignore \
		    "$HELPER" raw "$s" 10000 $bytes
		grep -Fq "bad request: $why" raw.out && grep -qx eof raw.out ||
		    { cat raw.out; atf_fail "no '$why' and close for $bytes"; }
		atf_check -o match:"^\[\[\+\]     \] hold" "$DINITCTL" list
	done <<EOF
bad frame|68656c6c6f2c2064696e69740d0a0d0a
bad frame|474554202f20485454502f312e300d0a0d0a
bad frame|ffffffffffff
bad frame|010001000100
bad frame|000000000000
bad frame|0000000000000000
bad frame|01000100ffff 41*100000
malformed greeting|0000010001000100 00*65532
no greeting|020000001700
no common protocol version|060000000100 0900 0900
unknown request|$hello 020000007777
malformed request|$hello 050000001000 00 ff7f
malformed request|$hello 0e0000001600 0a00 6e6f007468657265 0000
malformed request|$hello 090000001600 0800 7468657265
malformed shutdown|$hello 030000002100 09
malformed monitor|$hello 070000002200 0100 0500 61
malformed setenv|$hello 0b0000001d00 01 0400 413d4243 0000
malformed dependency request|$hello 0c0000001a00 09 00 0400 686f6c64 0000
unknown request|$hello $hello
malformed request|$hello 020000001000
malformed request|$hello 030000001700 00
malformed shutdown|$hello 020000002100
malformed monitor|$hello 030000002200 00
malformed setenv|$hello 040000001d00 01 00
malformed dependency request|$hello 040000001a00 01 00
EOF

	# A signal the system does not have is refused, and the client
	# stays connected.
	atf_check -s exit:0 -o save:raw.out "$HELPER" raw "$s" 500 "$hello" \
	    0c0000002000 e7030000 0400 686f6c64
	atf_check -o match:"provided signal was invalid" -o match:"^timeout$" \
	    cat raw.out

	# Many clients that hang up mid-message.
	i=0
	while [ $i -lt 30 ]; do
		"$HELPER" raw "$s" 0 "$hello" 20000000 1000 >/dev/null ||
		    atf_fail "connection $i refused"
		i=$((i + 1))
	done

	# Still serving, and still supervising: a killed hold is restarted.
	kill -0 "$(sed -n 1p bg.pids)" || atf_fail "the idle client was dropped"
	atf_check -o match:"^\[\[\+\]     \] hold \(pid: " "$DINITCTL" list
	kill -KILL "$(pid_of hold.log start)"
	wait_count hold.log '^start ' 2
	atf_check -o match:"^\[\[\+\]     \] hold \(pid: $(pid_of hold.log start)\)" \
	    "$DINITCTL" list
	kill -0 "$(cat dinit.pid)" || atf_fail "dinit died"
	dinit_stop
}
protocol_abuse_cleanup()
{
	common_cleanup
}

atf_test_case pipelined_past_soft_limit cleanup
pipelined_past_soft_limit_head()
{
	atf_set "descr" "Requests sent together are all answered in order, those the output limit paused reading at too, once the client has read enough"
}
pipelined_past_soft_limit_body()
{
	hold_svc
	set -- hold
	i=0
	while [ $i -lt 60 ]; do
		i=$((i + 1))
		name=$(printf 'a-service-with-a-name-long-enough-%02d' $i)
		echo "type = internal" | svc "$name"
		set -- "$@" "$name"
	done
	dinit_start "$@"
	wait_ctl "enough-60" list

	# Sixty lists at once (about 8 KiB each) pass the 256 KiB at which
	# the daemon stops reading the client; what it has read by then is
	# answered once the client has read enough, up to the bad frame at
	# the end, after which the daemon closes the connection.
	atf_check -s exit:0 -o save:raw.out -e empty "$HELPER" raw \
	    "$PWD/sock" 10000 06000000010001000100 "020000001700*60" \
	    ffffffffffff
	atf_check -o match:"bad request: bad frame" -o match:"^eof$" cat raw.out
	raw_frame_types raw.out | uniq -c | awk '{ print $1, $2 }' |
	    sort | uniq -c | awk '{ print $1, $2, $3 }' >runs.out
	atf_check -o inline:"1 1 81\n1 1 83\n60 61 84\n60 1 85\n" \
	    sort -k3 runs.out
	kill -0 "$(cat dinit.pid)" || atf_fail "dinit died"
	dinit_stop
}
pipelined_past_soft_limit_cleanup()
{
	common_cleanup
}

atf_test_case older_daemon cleanup
older_daemon_head()
{
	atf_set "descr" "dinitctl greets with its first request, and falls back for a dinit of an older protocol version"
}
older_daemon_body()
{
	# A dinit of version 2: status asks for the detail as its last
	# request (version 4: see client_last), is refused, and asks again
	# in version 2's terms.
	background old.out "$HELPER" old-dinit "$PWD/old" 2 old.log
	wait_for old.log listening
	atf_check -o inline:"Service: web\n    State: STARTED\n    Activation: explicitly started\n" \
	    "$DINITCTL" -p "$PWD/old" status web
	atf_check -o inline:"listening\nhello 4 4\nhello 1 4\nstatus web\n" \
	    cat old.log
	# The detail queries say what the daemon speaks.
	atf_check -s exit:1 \
	    -e inline:"dinitctl: dinit is too old for 'graph' (protocol version 2)\n" \
	    "$DINITCTL" -p "$PWD/old" graph
	# A request every version has: one greeting, sent with it.
	: >old.log
	atf_check -o match:"^STARTED$" "$DINITCTL" -p "$PWD/old" is-started web
	atf_check -o inline:"hello 1 4\nstatus web\n" cat old.log
}
older_daemon_cleanup()
{
	common_cleanup
}

atf_test_case socket_file cleanup
socket_file_head()
{
	atf_set "descr" "The socket is mode 0600; a second daemon refuses to start; a stale socket is replaced"
}
socket_file_body()
{
	hold_svc
	# A socket nobody listens on, as a crashed daemon leaves.
	atf_check -s exit:0 "$HELPER" stale-socket "$PWD/sock"
	[ -S sock ] || atf_fail "no stale socket made"
	atf_check -s exit:1 -e match:"cannot connect" "$DINITCTL" -p "$PWD/sock" list
	dinit_start hold
	atf_check_equal 600 "$(mode_of sock)"
	atf_check -o match:"hold" "$DINITCTL" list

	# A second instance on the same socket.
	atf_check -s exit:1 -o empty \
	    -e match:"another instance answers on $PWD/sock; not starting" \
	    "$DINIT" -d "$PWD/sv" -p "$PWD/sock" hold
	atf_check -o inline:"1\n" grep -c '^start ' hold.log
	atf_check -o match:"hold" "$DINITCTL" list
	dinit_stop
}
socket_file_cleanup()
{
	common_cleanup
}

atf_test_case unprivileged_client cleanup
unprivileged_client_head()
{
	atf_set "descr" "A non-root client of a root instance may query but not change anything"
}
unprivileged_client_body()
{
	[ "$(id -u)" -eq 0 ] || atf_skip "needs root to run a system instance"
	id -u nobody >/dev/null 2>&1 || atf_skip "no user nobody"
	# The client runs as nobody through setpriv (or runuser), keeping
	# the environment ($DINIT_SOCKET_PATH).
	if command -v setpriv >/dev/null 2>&1; then
		asuser="setpriv --reuid=$(id -u nobody) --regid=$(id -g nobody) --clear-groups"
	elif command -v runuser >/dev/null 2>&1; then
		asuser="runuser -u nobody --"
	else
		atf_skip "neither setpriv nor runuser is there"
	fi
	[ "$($asuser id -u 2>/dev/null)" = "$(id -u nobody)" ] ||
	    atf_skip "$asuser cannot change user"
	# The test directory may be closed to others: the socket lives in a
	# directory of its own that they can reach.
	sockdir=$(mktemp -d /tmp/dinitctl_test.XXXXXX) || atf_fail "mktemp"
	echo "$sockdir" >sockdir
	chmod 0755 "$sockdir"

	hold_svc
	svc web <<EOF
type = process
command = $HELPER run $PWD/web.log
log-type = buffer
EOF
	DINIT_SOCKET_PATH="$sockdir/sock"
	export DINIT_SOCKET_PATH
	"$DINIT" -s -d "$PWD/sv" -p "$sockdir/sock" hold >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] hold"
	atf_check_equal 600 "$(mode_of "$sockdir/sock")"
	# Refused by the file mode before the daemon is even asked.
	atf_check -s exit:1 -e match:"Permission denied" \
	    $asuser "$DINITCTL" list
	chmod 0666 "$sockdir/sock"

	# Queries work.
	pid=$(pid_of hold.log start)
	atf_check -s exit:0 -o match:"^\[\[\+\]     \] hold \(pid: $pid\)$" \
	    $asuser "$DINITCTL" list
	atf_check -s exit:0 -o match:"^\[\{\"name\":\"hold\"" \
	    $asuser "$DINITCTL" list --json
	atf_check -s exit:0 -o match:"State: STARTED" \
	    $asuser "$DINITCTL" status hold
	atf_check -s exit:0 -o inline:"STARTED\n" \
	    $asuser "$DINITCTL" is-started hold
	atf_check -s exit:1 -o inline:"STARTED\n" \
	    $asuser "$DINITCTL" is-failed hold

	# Changes are refused, and nothing changed.
	for cmd in "start web" "stop hold" "restart hold" "wake web" \
	    "release hold" "unpin hold" "reload hold" "unload web" \
	    "add-dep need hold web" "rm-dep need hold web" "enable web" \
	    "trigger hold" "setenv FOO=bar" "unsetenv PATH" "catlog web" \
	    "signal KILL hold" "shutdown" "monitor"; do
		# shellcheck disable=SC2086
		atf_check -s exit:1 -o empty \
		    -e match:"dinitctl: permission denied: only root may do this" \
		    $asuser "$DINITCTL" $cmd
	done
	kill -0 "$pid" || atf_fail "hold was stopped"
	atf_check -o inline:"1\n" grep -c '^start ' hold.log
	[ ! -f web.log ] || atf_fail "web was started"
	atf_check -o inline:"[[+]     ] hold (pid: $pid)\n" "$DINITCTL" list
	# root still may.
	atf_check -o inline:"Service 'web' started.\n" "$DINITCTL" start web
	dinit_stop
}
unprivileged_client_cleanup()
{
	common_cleanup
	[ -f sockdir ] && rm -rf "$(cat sockdir)"
	return 0
}

atf_test_case fd_exhaustion cleanup
fd_exhaustion_head()
{
	atf_set "descr" "Out of descriptors, the listener refuses clients instead of spinning, and serves again once clients leave"
}
fd_exhaustion_body()
{
	hold_svc
	DINIT_SOCKET_PATH="$PWD/sock"
	export DINIT_SOCKET_PATH
	(ulimit -n 20 && exec "$DINIT" -d "$PWD/sv" -p "$PWD/sock" hold) \
	    >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] hold"
	# Idle clients (half a frame each) until accept runs out of fds.
	i=0
	while [ $i -lt 24 ]; do
		background "idle$i.out" "$HELPER" raw "$PWD/sock" 4000 01
		i=$((i + 1))
	done
	wait_for err "refusing clients: dinit is out of file descriptors"
	pid=$(cat dinit.pid)
	t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	sleep 1
	t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
	# A listener spinning on EMFILE burns the whole second (~100 ticks).
	[ $((t1 - t0)) -lt 30 ] ||
	    atf_fail "dinit used $((t1 - t0)) ticks in 1 s while out of fds"
	# The idle clients give up after 4 s; then the daemon serves again.
	wait_ctl "[[+]     ] hold" list
	kill -0 "$(pid_of hold.log start)" || atf_fail "hold was disturbed"
	dinit_stop
}
fd_exhaustion_cleanup()
{
	common_cleanup
}

atf_test_case odd_names cleanup
odd_names_head()
{
	atf_set "descr" "names: control characters refused, template recursion bounded, --json valid for any byte"
}
odd_names_body()
{
	hold_svc
	svc a <<EOF
type = internal
EOF
	svc t <<EOF
type = internal
depends-on: t@\${1}x
EOF
	dinit_start hold

	# A newline after '@' is refused, and forges no line anywhere.
	nl='
'
	atf_check -s exit:1 -o ignore -e match:"invalid service name" \
	    "$DINITCTL" start "a@x${nl}forged"
	atf_check -s exit:0 -o save:list.out "$DINITCTL" list
	atf_check -s exit:1 -o ignore grep forged list.out
	atf_check -s exit:1 grep "^forged" out err

	# Recursion through a template fails fast, naming both services.
	atf_check -s exit:1 -o ignore -e match:"named by 't@ax+'" \
	    timeout 20 "$DINITCTL" start t@a
	atf_check -s exit:0 -o ignore "$DINITCTL" start a
	wait_ctl "[[+]     ] hold" list

	# Other bytes are names; --json escapes what is not UTF-8.
	atf_check -s exit:0 -o ignore "$DINITCTL" start "$(printf 'a@\377')"
	atf_check -s exit:0 -o save:list.json "$DINITCTL" list --json
	atf_check -s exit:0 -o inline:"97 64 255\n" python3 -c '
import json, sys
for s in json.load(sys.stdin):
    if s["name"].startswith("a@"):
        print(*[ord(c) for c in s["name"]])' <list.json
	dinit_stop
}
odd_names_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case fd_exhaustion
	atf_add_test_case start_outcomes
	atf_add_test_case stop_outcomes
	atf_add_test_case restart_wake_release
	atf_add_test_case status_zone
	atf_add_test_case status_and_queries
	atf_add_test_case list_format
	atf_add_test_case odd_names
	atf_add_test_case reload_unload
	atf_add_test_case dependencies
	atf_add_test_case enable_disable
	atf_add_test_case offline_links_only
	atf_add_test_case static_link
	atf_add_test_case trigger_untrigger
	atf_add_test_case environment
	atf_add_test_case catlog
	atf_add_test_case signal
	atf_add_test_case shutdown
	atf_add_test_case monitor
	atf_add_test_case watchers
	atf_add_test_case options
	atf_add_test_case protocol_abuse
	atf_add_test_case pipelined_past_soft_limit
	atf_add_test_case socket_file
	atf_add_test_case older_daemon
	atf_add_test_case unprivileged_client
}
