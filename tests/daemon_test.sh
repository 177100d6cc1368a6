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

# Integration tests: the real dinit daemon, in user mode with a private
# service directory, supervising real processes.  $DINIT, $HELPER and
# $SRCDIR are set by the build (see Makefile.am).  Nothing here is timed:
# every wait polls for an observable fact, with a generous bound.

# Start the daemon in the background on ./sv.
dinit_start()
{
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" "$@" >out 2>err </dev/null &
	echo $! >dinit.pid
}

atf_test_case version
version_head()
{
	atf_set "descr" "--version names the version; a bad option is a usage error"
}
version_body()
{
	atf_check -s exit:0 -o match:"^Dinit version [0-9]" "$DINIT" --version
	atf_check -s exit:2 -e match:"usage" "$DINIT" --no-such-option
	atf_check -s exit:2 -e match:"log level" "$DINIT" --log-level loud
}

atf_test_case parallel_start cleanup
parallel_start_head()
{
	atf_set "descr" "Services whose dependencies are met start in parallel"
}
parallel_start_body()
{
	# Each start script records itself and then waits for a file that
	# the test creates only once all three have begun: started one
	# after the other, they would never finish.
	for n in p1 p2 p3; do
		svc $n <<EOF
type = scripted
command = /bin/sh -c "echo $n >> $PWD/begun.log; i=0; while [ ! -f $PWD/go ] && [ \$\$i -lt 300 ]; do sleep 0.1; i=\$\$((i+1)); done; [ -f $PWD/go ]"
EOF
	done
	svc boot <<EOF
depends-on: p1
depends-on: p2
depends-on: p3
EOF
	dinit_start
	wait_count begun.log '^p[123]$' 3
	touch go
	wait_for out "[  OK  ] boot"
	for n in p1 p2 p3; do
		atf_check -o ignore grep -F "[  OK  ] $n" out
	done
	dinit_stop
}
parallel_start_cleanup()
{
	common_cleanup
}

atf_test_case ordering cleanup
ordering_head()
{
	atf_set "descr" "depends-on, depends-ms, after and before order starts; dependents stop first"
}
ordering_body()
{
	for n in a b c d e; do
		svc $n <<EOF
type = scripted
command = /bin/sh -c "echo start $n >> $PWD/order.log"
stop-command = /bin/sh -c "echo stop $n >> $PWD/order.log"
EOF
	done
	cat >>sv/b <<EOF
depends-on: a
EOF
	cat >>sv/c <<EOF
depends-ms: b
EOF
	# d is only ordered after c and before e; boot activates all.
	cat >>sv/d <<EOF
after: c
before: e
EOF
	svc boot <<EOF
waits-for: c
waits-for: d
waits-for: e
EOF
	dinit_start
	wait_for out "[  OK  ] boot"
	atf_check -o inline:"start a\nstart b\nstart c\nstart d\nstart e\n" \
	    cat order.log
	dinit_stop
	# Everything stops in the reverse of the start order.
	atf_check -o inline:"stop e\nstop d\nstop c\nstop b\nstop a\n" \
	    sed -n 's/^stop/stop/p' order.log
}
ordering_cleanup()
{
	common_cleanup
}

atf_test_case hard_dependency_fails cleanup
hard_dependency_fails_head()
{
	atf_set "descr" "A hard dependency failing fails its dependents; dinit then exits with status 1"
}
hard_dependency_fails_body()
{
	svc bad <<EOF
type = scripted
command = /bin/sh -c "exit 3"
EOF
	svc mid <<EOF
type = internal
depends-on: bad
EOF
	svc boot <<EOF
depends-on: mid
EOF
	dinit_start
	dinit_wait
	# boot, the service it was asked for, failed.
	atf_check_equal 1 "$status"
	atf_check -o ignore grep -F "[FAILED] bad" out
	atf_check -o ignore grep -F "[FAILED] mid" out
	atf_check -o ignore grep -F "[FAILED] boot" out
	atf_check -s exit:1 grep -F "[  OK  ]" out
	atf_check -o match:"service bad failed to start: failed; exited - status 3" cat err
	atf_check -o match:"service boot failed to start: dependency failed" cat err
}
hard_dependency_fails_cleanup()
{
	common_cleanup
}

atf_test_case soft_dependency_fails cleanup
soft_dependency_fails_head()
{
	atf_set "descr" "A waits-for dependency failing does not stop its dependent"
}
soft_dependency_fails_body()
{
	svc bad <<EOF
type = process
command = /nonexistent/program
EOF
	svc good <<EOF
type = process
command = $HELPER run $PWD/good.log
EOF
	svc boot <<EOF
waits-for: bad
depends-on: good
EOF
	dinit_start
	wait_for out "[  OK  ] boot"
	# good counts as started once it has exec'd: its stop is recorded
	# only if TERM comes after it records its start.
	wait_for good.log "start "
	atf_check -o ignore grep -F "[FAILED] bad" out
	atf_check -o ignore grep -F "[  OK  ] good" out
	# The exec failure names its stage and errno.
	atf_check -o match:"bad failed to start: could not be launched \(executing command: No such file or directory\)" cat err
	dinit_stop
	wait_for good.log "stop "
}
soft_dependency_fails_cleanup()
{
	common_cleanup
}

atf_test_case crash_restarts_dependents cleanup
crash_restarts_dependents_head()
{
	atf_set "descr" "A crash rolls back hard dependents, then restarts the service and them"
}
crash_restarts_dependents_body()
{
	svc base <<EOF
type = process
command = $HELPER run $PWD/base.log
restart = yes
restart-delay = 0.1
EOF
	svc top <<EOF
type = process
command = $HELPER run $PWD/top.log
depends-on: base
EOF
	svc soft <<EOF
type = process
command = $HELPER run $PWD/soft.log
waits-for: base
EOF
	svc boot <<EOF
depends-on: top
depends-on: soft
EOF
	dinit_start
	wait_for out "[  OK  ] boot"
	wait_for top.log "start "
	wait_for soft.log "start "
	old=$(pid_of base.log start)
	kill -KILL "$old"
	# top (hard) was stopped and started again; soft was left alone.
	wait_for top.log "stop "
	wait_count base.log '^start ' 2
	wait_count top.log '^start ' 2
	new=$(pid_of base.log start)
	[ "$new" != "$old" ] || atf_fail "base was not relaunched"
	kill -0 "$new" || atf_fail "the new base process is not running"
	atf_check -o inline:"1\n" grep -c '^start ' soft.log
	atf_check -s exit:1 grep '^stop ' soft.log
	dinit_stop
}
crash_restarts_dependents_cleanup()
{
	common_cleanup
}

atf_test_case smooth_recovery cleanup
smooth_recovery_head()
{
	atf_set "descr" "smooth-recovery relaunches the process without touching dependents"
}
smooth_recovery_body()
{
	svc base <<EOF
type = process
command = $HELPER run $PWD/base.log
smooth-recovery = yes
restart-delay = 0
EOF
	svc top <<EOF
type = process
command = $HELPER run $PWD/top.log
depends-on: base
EOF
	dinit_start top
	wait_for out "[  OK  ] top"
	wait_for top.log "start "
	kill -KILL "$(pid_of base.log start)"
	wait_count base.log '^start ' 2
	atf_check -s exit:1 grep '^stop ' top.log
	atf_check -o inline:"1\n" grep -Fc "[  OK  ] top" out
	dinit_stop
}
smooth_recovery_cleanup()
{
	common_cleanup
}

atf_test_case restart_limit cleanup
restart_limit_head()
{
	atf_set "descr" "restart-limit-count restarts within the interval, then the service stops"
}
restart_limit_body()
{
	svc flaky <<EOF
type = process
command = /bin/sh -c "echo run >> $PWD/runs.log; exit 1"
restart = on-failure
restart-delay = 0.05
restart-limit-count = 2
restart-limit-interval = 60
EOF
	svc keep <<EOF
type = process
command = $HELPER run $PWD/keep.log
EOF
	dinit_start flaky keep
	wait_for err "flaky: restarting too quickly; stopping"
	wait_for out "[STOPPD] flaky"
	# The first run and two restarts.
	atf_check -o inline:"3\n" grep -c run runs.log
	atf_check -s exit:1 grep -F "[STOPPD] keep" out
	dinit_stop
}
restart_limit_cleanup()
{
	common_cleanup
}

atf_test_case restart_on_failure_only cleanup
restart_on_failure_only_head()
{
	atf_set "descr" "restart = on-failure does not restart a clean exit, and the service ends"
}
restart_on_failure_only_body()
{
	svc once <<EOF
type = process
command = /bin/sh -c "echo run >> $PWD/runs.log; sleep 0.2; exit 0"
restart = on-failure
EOF
	dinit_start once
	dinit_wait
	atf_check_equal 0 "$status"
	atf_check -o inline:"1\n" grep -c run runs.log
	atf_check -o ignore grep -F "[STOPPD] once" out
}
restart_on_failure_only_cleanup()
{
	common_cleanup
}

atf_test_case stop_timeout_kills cleanup
stop_timeout_kills_head()
{
	atf_set "descr" "A process that ignores its stop signal is killed after stop-timeout"
}
stop_timeout_kills_body()
{
	svc stubborn <<EOF
type = process
command = $HELPER ignore-term $PWD/stubborn.log
stop-timeout = 0.5
EOF
	dinit_start stubborn
	wait_for stubborn.log "start "
	pid=$(pid_of stubborn.log start)
	dinit_stop
	atf_check -o ignore grep "^term " stubborn.log
	atf_check -s exit:1 grep "^stop " stubborn.log
	atf_check -o match:"stubborn: stop timed out; sending SIGKILL" cat err
	atf_check -o ignore grep -F "[STOPPD] stubborn" out
	if kill -0 "$pid" 2>/dev/null; then
		atf_fail "the process survived"
	fi
}
stop_timeout_kills_cleanup()
{
	common_cleanup
}

atf_test_case term_signal_and_stop_command cleanup
term_signal_and_stop_command_head()
{
	atf_set "descr" "term-signal and stop-command decide how a process is stopped"
}
term_signal_and_stop_command_body()
{
	svc hup <<EOF
type = process
command = /bin/sh -c "trap 'echo hup >> $PWD/sig.log; exit 0' HUP; echo up >> $PWD/sig.log; while :; do sleep 0.1; done"
term-signal = HUP
EOF
	svc cmd <<EOF
type = process
command = $HELPER run $PWD/cmd.log
stop-command = /bin/sh -c "echo stop-command >> $PWD/stopcmd.log; kill \$\$(sed -n 's/^start //p' $PWD/cmd.log)"
EOF
	dinit_start hup cmd
	wait_for sig.log up
	wait_for cmd.log "start "
	dinit_stop
	atf_check -o ignore grep hup sig.log
	atf_check -o ignore grep stop-command stopcmd.log
	atf_check -o ignore grep "^stop " cmd.log
}
term_signal_and_stop_command_cleanup()
{
	common_cleanup
}

atf_test_case start_timeout cleanup
start_timeout_head()
{
	atf_set "descr" "A start script that takes too long fails with a timeout"
}
start_timeout_body()
{
	svc slow <<EOF
type = scripted
command = /bin/sh -c "echo started >> $PWD/slow.log; exec sleep 60"
start-timeout = 0.5
EOF
	dinit_start slow
	dinit_wait
	atf_check -o ignore grep -F "[FAILED] slow" out
	atf_check -o match:"slow: start timed out" cat err
	atf_check -o match:"slow failed to start: start timed out" cat err
}
start_timeout_cleanup()
{
	common_cleanup
}

atf_test_case chain_to cleanup
chain_to_head()
{
	atf_set "descr" "chain-to starts the next service after a clean exit, not after a failure"
}
chain_to_body()
{
	svc first <<EOF
type = process
command = /bin/sh -c "echo first >> $PWD/chain.log"
restart = no
chain-to = second
EOF
	svc second <<EOF
type = process
command = /bin/sh -c "echo second >> $PWD/chain.log"
restart = no
chain-to = third
EOF
	svc third <<EOF
type = process
command = /bin/sh -c "echo third >> $PWD/chain.log; exit 1"
restart = no
chain-to = never
EOF
	svc never <<EOF
type = process
command = /bin/sh -c "echo never >> $PWD/chain.log"
EOF
	dinit_start first
	dinit_wait
	atf_check_equal 0 "$status"
	atf_check -o inline:"first\nsecond\nthird\n" cat chain.log
}
chain_to_cleanup()
{
	common_cleanup
}

atf_test_case bad_description_leaves_running cleanup
bad_description_leaves_running_head()
{
	atf_set "descr" "Loading a bad description names file and line and leaves running services alone"
}
bad_description_leaves_running_body()
{
	svc keep <<EOF
type = process
command = $HELPER run $PWD/keep.log
EOF
	# "first" chains to a service whose dependency is broken: it is
	# loaded only then, while keep runs.
	svc first <<EOF
type = process
command = /bin/true
restart = no
chain-to = broken
EOF
	svc broken <<EOF
type = internal
depends-on: worse
EOF
	svc worse <<EOF
type = process
command = /bin/true
no-such-setting = 1
EOF
	dinit_start keep first
	wait_for err "could not load service broken"
	atf_check -o match:"sv/worse:3: .*unknown setting" cat err
	pid=$(pid_of keep.log start)
	kill -0 "$pid" || atf_fail "keep was disturbed"
	atf_check -s exit:1 grep -F "[STOPPD] keep" out
	dinit_stop
	wait_for keep.log "stop $pid"
}
bad_description_leaves_running_cleanup()
{
	common_cleanup
}

atf_test_case bad_boot_description
bad_boot_description_head()
{
	atf_set "descr" "A broken requested service is reported with file and line; exit status 1"
}
bad_boot_description_body()
{
	svc boot <<EOF
type = internal
depends-on = "unterminated
EOF
	atf_check -s exit:1 -o empty -e match:"sv/boot:2: " \
	    "$DINIT" -d "$PWD/sv" -p "$PWD/sock"
	atf_check -s exit:1 -o empty -e match:"missing.*not found" \
	    "$DINIT" -d "$PWD/sv" -p "$PWD/sock" missing
}

atf_test_case environment cleanup
environment_head()
{
	atf_set "descr" "-e, env-file and substitution reach the service's command and environment"
}
environment_body()
{
	mkdir -p sv
	printf 'GLOBAL=from-dinit\nOVERRIDE=global\n' >global.env
	printf 'LOCAL=from-service\nOVERRIDE=service\n' >sv/svc.env
	svc show <<EOF
type = scripted
env-file = svc.env
command = /bin/sh -c "echo \\"\$\$1 \$\$GLOBAL \$\$LOCAL \$\$OVERRIDE\\" >> $PWD/env.log" sh \$LOCAL
working-dir = $PWD
EOF
	dinit_start -e "$PWD/global.env" show
	wait_for out "[  OK  ] show"
	atf_check -o inline:"from-service from-dinit from-service service\n" cat env.log
	dinit_stop
}
environment_cleanup()
{
	common_cleanup
}

atf_test_case env_file_clear_unset cleanup
env_file_clear_unset_head()
{
	atf_set "descr" "!clear and !unset in an env-file take away what the service inherits from dinit too"
}
env_file_clear_unset_body()
{
	mkdir -p sv
	printf 'KEEP=kept\nGONE=inherited\nALSO=inherited\n' >global.env
	printf '!unset GONE\nMINE=mine\n' >sv/unset.env
	printf 'MINE=before\n!clear\nAFTER=after\n!import KEEP\n' >sv/clear.env
	for name in unset clear; do
		svc $name <<EOF
type = scripted
env-file = $name.env
command = /bin/sh -c "echo \\"$name \$\${KEEP-none} \$\${GONE-none} \$\${ALSO-none} \$\${MINE-none} \$\${AFTER-none}\\" >> $PWD/env.log"
EOF
	done
	svc both <<EOF
depends-on: unset
depends-on: clear
EOF
	dinit_start -e "$PWD/global.env" both
	wait_for out "[  OK  ] both"
	atf_check -o inline:"clear kept none none none after\nunset kept none inherited mine none\n" \
	    sort env.log
	dinit_stop
}
env_file_clear_unset_cleanup()
{
	common_cleanup
}

atf_test_case exec_stage_reported cleanup
exec_stage_reported_head()
{
	atf_set "descr" "Launch failures name the stage that failed and errno"
}
exec_stage_reported_body()
{
	svc nodir <<EOF
type = process
command = /bin/true
working-dir = /nonexistent/dir
EOF
	svc nolog <<EOF
type = process
command = /bin/true
logfile = /nonexistent/dir/log
EOF
	dinit_start nodir nolog
	dinit_wait
	atf_check -o match:"nodir failed to start: could not be launched \(changing directory: No such file or directory\)" cat err
	atf_check -o match:"nolog failed to start: could not be launched \(opening log file: No such file or directory\)" cat err
}
exec_stage_reported_cleanup()
{
	common_cleanup
}

atf_test_case readiness cleanup
readiness_head()
{
	atf_set "descr" "ready-notification holds dependents until the process says it is ready"
}
readiness_body()
{
	svc slowready <<EOF
type = process
command = /bin/sh -c "echo up >> $PWD/ready.log; while [ ! -f $PWD/go ]; do sleep 0.1; done; echo said-ready >> $PWD/ready.log; echo ready >&3; exec sleep 60"
ready-notification = pipefd:3
EOF
	svc after <<EOF
type = scripted
command = /bin/sh -c "echo dependent >> $PWD/ready.log"
depends-on: slowready
EOF
	dinit_start after
	wait_for ready.log up
	sleep 0.3
	atf_check -s exit:1 grep dependent ready.log
	touch go
	wait_for out "[  OK  ] after"
	atf_check -o inline:"up\nsaid-ready\ndependent\n" cat ready.log
	dinit_stop
}
readiness_cleanup()
{
	common_cleanup
}

atf_test_case exits_when_idle cleanup
exits_when_idle_head()
{
	atf_set "descr" "dinit exits by itself once no service is active"
}
exits_when_idle_body()
{
	svc job <<EOF
type = process
command = /bin/sh -c "echo done >> $PWD/job.log"
restart = no
EOF
	dinit_start job
	dinit_wait
	atf_check_equal 0 "$status"
	atf_check -o inline:"done\n" cat job.log
	atf_check -o match:"STOPPD\] job" cat out
}
exits_when_idle_cleanup()
{
	common_cleanup
}

atf_test_case sigint_stops_all cleanup
sigint_stops_all_head()
{
	atf_set "descr" "SIGINT stops every service, dependents first, and dinit exits 0"
}
sigint_stops_all_body()
{
	svc low <<EOF
type = process
command = $HELPER run $PWD/low.log
EOF
	svc high <<EOF
type = process
command = $HELPER run $PWD/high.log
depends-on: low
EOF
	dinit_start high
	wait_for out "[  OK  ] high"
	# Both catch TERM (and record their stop) only once they record
	# their start.
	wait_for low.log "start "
	wait_for high.log "start "
	kill -INT "$(cat dinit.pid)"
	dinit_wait
	atf_check_equal 0 "$status"
	hi=$(line_of out "[STOPPD] high")
	lo=$(line_of out "[STOPPD] low")
	[ -n "$hi" ] && [ -n "$lo" ] && [ "$hi" -lt "$lo" ] ||
	    { dump; atf_fail "high did not stop before low"; }
	atf_check -o ignore grep "^stop " low.log
	atf_check -o ignore grep "^stop " high.log
}
sigint_stops_all_cleanup()
{
	common_cleanup
}

atf_test_case service_arguments cleanup
service_arguments_head()
{
	atf_set "descr" "name@arg loads file name with \$1 set to arg"
}
service_arguments_body()
{
	svc greet <<EOF
type = scripted
command = /bin/sh -c "echo hello \$1 >> $PWD/greet.log"
EOF
	svc boot <<EOF
depends-on: greet@alice
depends-on: greet@bob
EOF
	dinit_start
	wait_for out "[  OK  ] boot"
	atf_check -o inline:"hello alice\nhello bob\n" sort greet.log
	dinit_stop
}
service_arguments_cleanup()
{
	common_cleanup
}

atf_test_case orphans_reaped cleanup
orphans_reaped_head()
{
	atf_set "descr" "A double-forked daemon's orphan is reaped by dinit as subreaper"
}
orphans_reaped_body()
{
	svc forker <<EOF
type = scripted
command = /bin/sh -c "(sleep 0.3; echo orphan-done >> $PWD/orphan.log) & exit 0"
EOF
	svc keep <<EOF
type = process
command = $HELPER run $PWD/keep.log
EOF
	dinit_start --log-level debug forker keep
	wait_for orphan.log orphan-done
	# The orphan was re-parented to dinit, which reaped it.
	wait_for err "reaped orphan"
	pid=$(cat dinit.pid)
	zombies=$(ps -o stat= --ppid "$pid" | grep -c Z || :)
	atf_check_equal 0 "$zombies"
	dinit_stop
}
orphans_reaped_cleanup()
{
	common_cleanup
}

atf_test_case orphans_burst_reaped cleanup
orphans_burst_reaped_head()
{
	atf_set "descr" "Fifty orphans that end together, their SIGCHLDs merged into few, are all reaped"
}
orphans_burst_reaped_body()
{
	# Each orphan ends once the shell is gone (and reaped): a shell
	# still there may reap those that end, and dinit would see fewer.
	svc forker <<EOF
type = scripted
command = /bin/sh -c "i=0; while [ \$\$i -lt 50 ]; do (while kill -0 \$\$\$\$ 2>/dev/null; do sleep 0.1; done; echo done >> $PWD/orphans.log) & i=\$\$((i + 1)); done; exit 0"
EOF
	svc keep <<EOF
type = process
command = $HELPER run $PWD/keep.log
EOF
	dinit_start --log-level debug forker keep
	wait_count orphans.log '^done$' 50
	wait_count err 'reaped orphan' 50
	wait_no_zombies
	dinit_stop
}
orphans_burst_reaped_cleanup()
{
	common_cleanup
}

atf_test_case many_children_reaped cleanup
many_children_reaped_head()
{
	atf_set "descr" "With more than 256 children (exits told by pid, orphans swept later), a killed service restarts, an orphan is reaped and no zombie stays"
}
many_children_reaped_body()
{
	svc forker <<EOF
type = scripted
command = /bin/sh -c "(sleep 0.3; echo orphan-done >> $PWD/orphan.log) & exit 0"
EOF
	svc respawner <<EOF
type = process
command = $HELPER run $PWD/respawner.log
restart = yes
restart-delay = 0
EOF
	echo "type = internal" >boot.desc
	_i=0
	while [ "$_i" -lt 300 ]; do
		svc "f$_i" <<EOF
type = process
command = $HELPER run $PWD/f$_i.log
EOF
		echo "depends-on: f$_i" >>boot.desc
		_i=$((_i + 1))
	done
	svc boot <boot.desc
	dinit_start --log-level debug boot respawner
	wait_for out "[  OK  ] boot"
	first=$(pid_of respawner.log start)

	# Its exit is told by its pid: reaped, and the service restarts.
	kill -KILL "$first"
	wait_count respawner.log '^start ' 2
	atf_check_equal 1 "$(grep -c "^start $first\$" respawner.log)"

	# An orphan is found by the sweep, which comes a moment later.
	atf_check -o ignore "$DINITCTL" -p "$PWD/sock" start forker
	wait_for orphan.log orphan-done
	wait_for err "reaped orphan"
	wait_no_zombies
	dinit_stop
}
many_children_reaped_cleanup()
{
	common_cleanup
}

atf_test_case stop_all_burst cleanup
stop_all_burst_head()
{
	atf_set "descr" "A stop of 300 services reaps every process in bursts: dependents stop before their dependencies, a process that ignores SIGTERM is killed after stop-timeout, nothing is left"
}
stop_all_burst_body()
{
	echo "type = internal" >boot.desc
	_i=0
	while [ "$_i" -lt 300 ]; do
		svc "b$_i" <<EOF
type = process
command = $HELPER run $PWD/burst.log
EOF
		echo "waits-for: b$_i" >>boot.desc
		_i=$((_i + 1))
	done
	# A chain: c2 depends on c1, c3 on c2.
	svc c1 <<EOF
type = process
command = $HELPER run $PWD/chain.log
EOF
	svc c2 <<EOF
type = process
command = $HELPER run $PWD/chain.log
depends-on: c1
EOF
	svc c3 <<EOF
type = process
command = $HELPER run $PWD/chain.log
depends-on: c2
EOF
	svc stubborn <<EOF
type = process
command = $HELPER ignore-term $PWD/stubborn.log
stop-timeout = 0.5
EOF
	echo "depends-on: c3" >>boot.desc
	echo "waits-for: stubborn" >>boot.desc
	svc boot <boot.desc
	dinit_start boot
	wait_for out "[  OK  ] boot"
	wait_count burst.log '^start ' 300
	wait_count chain.log '^start ' 3
	wait_for stubborn.log "start "

	dinit_stop
	atf_check_equal 300 "$(grep -c '^stop ' burst.log)"
	# The chain stopped from the top down: c3, c2, c1.
	atf_check_equal 3 "$(grep -c '^stop ' chain.log)"
	l3=$(line_of out "[STOPPD] c3")
	l2=$(line_of out "[STOPPD] c2")
	l1=$(line_of out "[STOPPD] c1")
	[ -n "$l3" ] && [ -n "$l2" ] && [ -n "$l1" ] &&
	    [ "$l3" -lt "$l2" ] && [ "$l2" -lt "$l1" ] ||
	    atf_fail "the chain did not stop from the top down"
	atf_check -o ignore grep "^term " stubborn.log
	atf_check -o match:"stubborn: stop timed out; sending SIGKILL" cat err
	for p in $(sed -n 's/^start //p' burst.log chain.log stubborn.log); do
		if kill -0 "$p" 2>/dev/null; then
			atf_fail "process $p survived the stop"
		fi
	done
}
stop_all_burst_cleanup()
{
	common_cleanup
}

atf_test_case inherited_signal_state cleanup
inherited_signal_state_head()
{
	atf_set "descr" "A parent's blocked and ignored signals reach neither dinit nor its services"
}
inherited_signal_state_body()
{
	svc quick <<EOF
type = process
command = $HELPER exit 0
restart = no
EOF
	svc state <<EOF
type = process
command = $HELPER sigstate $PWD/state.log
restart = no
EOF
	svc keep <<EOF
type = process
command = $HELPER run $PWD/keep.log
EOF
	# The wrapper blocks SIGCHLD and SIGTERM and ignores SIGTERM,
	# SIGHUP and SIGINT, then execs dinit (the same pid).
	"$HELPER" sigwrap "$DINIT" -d "$PWD/sv" -p "$PWD/sock" quick state \
	    keep >out 2>err </dev/null &
	echo $! >dinit.pid
	# Reaped: a child that exits at once is seen to stop.
	wait_for out "[STOPPD] quick"
	wait_for out "[STOPPD] state"
	wait_for keep.log "start "
	# The service starts with an empty mask and nothing ignored.
	atf_check -o inline:"blocked= ignored=\n" cat state.log
	# SIGTERM, blocked and ignored by the parent, stops dinit.
	dinit_stop
	atf_check -o ignore grep "^stop " keep.log
}
inherited_signal_state_cleanup()
{
	common_cleanup
}

atf_test_case exit_status cleanup
exit_status_head()
{
	atf_set "descr" "dinit exits 1 when a service named on its command line failed, 0 otherwise"
}
exit_status_body()
{
	svc broken <<EOF
type = process
command = /nonexistent/program
EOF
	svc good <<EOF
type = scripted
command = $HELPER exit 0
EOF
	svc soft <<EOF
type = internal
waits-for: broken
EOF
	# The only service asked for could not be launched.
	dinit_start broken
	dinit_wait
	atf_check_equal 1 "$status"
	atf_check -o match:"broken failed to start: could not be launched" cat err
	# One of two failed: the other still ran, until told to stop.
	dinit_start good broken
	wait_for out "[  OK  ] good"
	wait_for out "[FAILED] broken"
	kill -TERM "$(cat dinit.pid)"
	dinit_wait
	atf_check_equal 1 "$status"
	# A failure of something not asked for: soft starts without it.
	dinit_start good soft
	wait_for out "[  OK  ] soft"
	atf_check -o ignore grep -F "[FAILED] broken" out
	dinit_stop
}
exit_status_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case version
	atf_add_test_case parallel_start
	atf_add_test_case ordering
	atf_add_test_case hard_dependency_fails
	atf_add_test_case exit_status
	atf_add_test_case soft_dependency_fails
	atf_add_test_case crash_restarts_dependents
	atf_add_test_case smooth_recovery
	atf_add_test_case restart_limit
	atf_add_test_case restart_on_failure_only
	atf_add_test_case stop_timeout_kills
	atf_add_test_case stop_all_burst
	atf_add_test_case term_signal_and_stop_command
	atf_add_test_case start_timeout
	atf_add_test_case chain_to
	atf_add_test_case bad_description_leaves_running
	atf_add_test_case bad_boot_description
	atf_add_test_case environment
	atf_add_test_case env_file_clear_unset
	atf_add_test_case exec_stage_reported
	atf_add_test_case readiness
	atf_add_test_case exits_when_idle
	atf_add_test_case sigint_stops_all
	atf_add_test_case service_arguments
	atf_add_test_case orphans_reaped
	atf_add_test_case orphans_burst_reaped
	atf_add_test_case many_children_reaped
	atf_add_test_case inherited_signal_state
}
