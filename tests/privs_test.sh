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


# Privileges and limits of a service's process, checked in the process
# itself (/proc/self, ioprio, the login accounting): no-new-privs,
# capabilities, securebits, ioprio, oom-score-adj, inittab-id and
# inittab-line.  As root, with dinit in a mount namespace of its own
# whose /run (so /var/run/utmp) and /var/log are scratch: nothing here
# writes the host's utmp or wtmp.  Linux only: elsewhere these settings
# are refused at load (parse_test, unknown_test).

# Skip unless we are root on Linux with mount namespaces.
require_privs()
{
	[ "$(id -u)" -eq 0 ] || atf_skip "needs root"
	"$DINIT" --version | grep -q "Platform: linux" ||
	    atf_skip "these settings are for Linux"
	command -v unshare >/dev/null 2>&1 || atf_skip "unshare is missing"
	unshare --mount --fork true 2>/dev/null ||
	    atf_skip "this kernel or sandbox refuses mount namespaces"
}

# Skip when dinit was built without libcap (a musl build, say): it then
# refuses capabilities and securebits at load, as parse_test checks.
require_libcap()
{
	mkdir -p capprobe
	printf 'type = process\ncommand = /bin/true\ncapabilities = cap_chown\n' \
	    >capprobe/probe
	if "$DINIT_CHECK" -d capprobe probe 2>&1 | grep -q "without libcap"; then
		atf_skip "dinit was built without libcap"
	fi
	rm -rf capprobe
}

# What the namespace's shell does before dinit: scratch /run (with an
# empty utmp for the libc to write), /var/run and /var/log; any failure
# ends it before dinit runs.
PRIVS_NS='
	mount --make-rprivate / || exit 97
	mount -t tmpfs -o mode=0755 tmpfs /run || exit 96
	if [ "$(readlink -f /var/run)" != /run ]; then
		mount --bind "$PWD/varrun" /var/run || exit 95
	fi
	mount --bind "$PWD/varlog" /var/log || exit 94
	: >/var/run/utmp || exit 93
'

# Start dinit on ./sv in a mount namespace of its own; its pid (the
# same in both) in dinit.pid, its exit status in dinit.status.
privs_start()
{
	mkdir -p varrun varlog
	export DINIT
	(
		unshare --mount --fork sh -c "$PRIVS_NS"'
			"$DINIT" -d "$PWD/sv" -p "$PWD/sock" "$@" \
			    >out 2>err </dev/null &
			echo $! >dinit.pid.new && mv dinit.pid.new dinit.pid
			wait $!
			echo $? >dinit.status
		' sh "$@"
		echo $? >ns.status
	) >ns.out 2>&1 &
	_n=200
	while [ ! -s dinit.pid ] && [ ! -s ns.status ]; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || break
		sleep 0.1
	done
	[ -s dinit.pid ] || { dump; atf_fail "dinit did not start"; }
}

# Stop that dinit and wait for its namespace to end.
privs_stop()
{
	kill -TERM "$(cat dinit.pid)"
	_n=300
	while [ ! -s ns.status ]; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || { dump; atf_fail "dinit did not stop"; }
		sleep 0.1
	done
	atf_check_equal 0 "$(cat dinit.status)"
	rm -f dinit.pid
}

# A process service that runs a command once, its output to a file.
once()
{
	svc "$1" <<EOF
type = process
command = $2
logfile = $PWD/$1.out
restart = no
EOF
}

# The value of a field of /proc/self/status as a service wrote it.
field()
{
	sed -n "s/^$2:[[:space:]]*//p" "$1"
}

atf_test_case no_new_privs cleanup
no_new_privs_head()
{
	atf_set "descr" "options = no-new-privs sets the process's no_new_privs flag"
}
no_new_privs_body()
{
	require_privs
	once nnp "/bin/cat /proc/self/status"
	echo "options = no-new-privs" >>sv/nnp
	once plain "/bin/cat /proc/self/status"
	svc boot <<EOF
waits-for: nnp
waits-for: plain
EOF
	privs_start
	wait_for nnp.out "NoNewPrivs:"
	wait_for plain.out "NoNewPrivs:"
	privs_stop
	atf_check_equal 1 "$(field nnp.out NoNewPrivs)"
	atf_check_equal 0 "$(field plain.out NoNewPrivs)"
}
no_new_privs_cleanup()
{
	common_cleanup
}

atf_test_case capabilities cleanup
capabilities_head()
{
	atf_set "descr" "capabilities sets the IAB vectors: an ambient capability survives run-as, a blocked one leaves the bounding set"
}
capabilities_body()
{
	require_privs
	require_libcap
	# cap_net_bind_service is 10 (0x400), cap_sys_admin 21 (0x200000),
	# cap_chown 0.
	once amb "/bin/cat /proc/self/status"
	cat >>sv/amb <<EOF
run-as = nobody
capabilities = ^cap_net_bind_service
capabilities += !cap_sys_admin
EOF
	once inh "/bin/cat /proc/self/status"
	echo "capabilities = cap_chown" >>sv/inh
	svc boot <<EOF
waits-for: amb
waits-for: inh
EOF
	privs_start
	wait_for amb.out "CapAmb:"
	wait_for inh.out "CapAmb:"
	privs_stop
	atf_check_equal 0000000000000400 "$(field amb.out CapAmb)"
	atf_check_equal 0000000000000400 "$(field amb.out CapEff)"
	atf_check_equal 0000000000000400 "$(field amb.out CapInh)"
	bnd=$(field amb.out CapBnd)
	atf_check_equal 0 "$(( 0x$bnd >> 21 & 1 ))"
	atf_check_equal 1 "$(( 0x$bnd >> 10 & 1 ))"
	atf_check_equal 0000000000000001 "$(field inh.out CapInh)"
	atf_check_equal 0000000000000000 "$(field inh.out CapAmb)"
}
capabilities_cleanup()
{
	common_cleanup
}

atf_test_case securebits cleanup
securebits_head()
{
	atf_set "descr" "securebits = noroot: a root service's exec grants it no capabilities"
}
securebits_body()
{
	require_privs
	require_libcap
	once noroot "/bin/cat /proc/self/status"
	echo "securebits = noroot" >>sv/noroot
	once root "/bin/cat /proc/self/status"
	svc boot <<EOF
waits-for: noroot
waits-for: root
EOF
	privs_start
	wait_for noroot.out "CapEff:"
	wait_for root.out "CapEff:"
	privs_stop
	atf_check_equal 0000000000000000 "$(field noroot.out CapEff)"
	atf_check_equal 0000000000000000 "$(field noroot.out CapPrm)"
	atf_check -s exit:1 test "$(field root.out CapEff)" = 0000000000000000
}
securebits_cleanup()
{
	common_cleanup
}

atf_test_case ioprio cleanup
ioprio_head()
{
	atf_set "descr" "ioprio sets the I/O class and level: idle, best-effort:N, realtime:N"
}
ioprio_body()
{
	require_privs
	command -v ionice >/dev/null 2>&1 || atf_skip "ionice is missing"
	ionice=$(command -v ionice)
	for p in idle best-effort:4 realtime:2; do
		n=$(echo "$p" | tr -d :-)
		once "$n" "$ionice"
		echo "ioprio = $p" >>"sv/$n"
		echo "waits-for: $n" >>sv/boot.new
	done
	mv sv/boot.new sv/boot
	privs_start
	wait_for idle.out idle
	wait_for besteffort4.out prio
	wait_for realtime2.out prio
	privs_stop
	atf_check -o inline:"idle\n" cat idle.out
	atf_check -o inline:"best-effort: prio 4\n" cat besteffort4.out
	atf_check -o inline:"realtime: prio 2\n" cat realtime2.out
}
ioprio_cleanup()
{
	common_cleanup
}

atf_test_case oom_score_adj cleanup
oom_score_adj_head()
{
	atf_set "descr" "oom-score-adj sets /proc/self/oom_score_adj, up and (with CAP_SYS_RESOURCE) down"
}
oom_score_adj_body()
{
	require_privs
	# Lowering it takes CAP_SYS_RESOURCE (bit 24), which a sandbox's
	# root may lack: then the launch fails, it is not ignored.
	eff=$(field /proc/self/status CapEff)
	for v in 700 -300; do
		once "oom$v" "/bin/cat /proc/self/oom_score_adj"
		echo "oom-score-adj = $v" >>"sv/oom$v"
		echo "waits-for: oom$v" >>sv/boot.new
	done
	mv sv/boot.new sv/boot
	privs_start
	wait_for oom700.out 700
	if [ "$(( 0x$eff >> 24 & 1 ))" -eq 1 ]; then
		wait_for oom-300.out 300
	else
		wait_for out "[FAILED] oom-300"
		atf_check -o ignore grep "oom-300: execution failed.*Permission denied" err
	fi
	privs_stop
	atf_check -o inline:"700\n" cat oom700.out
	if [ "$(( 0x$eff >> 24 & 1 ))" -eq 1 ]; then
		atf_check -o inline:"-300\n" cat oom-300.out
	fi
}
oom_score_adj_cleanup()
{
	common_cleanup
}

atf_test_case inittab cleanup
inittab_head()
{
	atf_set "descr" "inittab-id and inittab-line: an INIT_PROCESS utmpx record while the process runs, DEAD_PROCESS once it ends"
}
inittab_body()
{
	require_privs
	require_logins "$DINIT"
	svc getty <<EOF
type = process
command = $HELPER run $PWD/getty.log
inittab-id = t9
inittab-line = ttyT9
EOF
	svc dump <<EOF
type = scripted
command = $HELPER utmpx $PWD/utmpx.out
EOF
	svc boot <<EOF
waits-for: getty
EOF
	privs_start
	pid=$(pid_of getty.log start)
	atf_check -o ignore "$DINITCTL" -p sock start dump
	wait_for utmpx.out end
	atf_check -o inline:"init t9 ttyT9 $pid\nend\n" cat utmpx.out
	atf_check -o ignore "$DINITCTL" -p sock stop getty
	wait_for getty.log "stop $pid"
	: >utmpx.out
	atf_check -o ignore "$DINITCTL" -p sock restart dump
	wait_for utmpx.out end
	atf_check -o inline:"dead t9 ttyT9 $pid\nend\n" cat utmpx.out
	privs_stop
}
inittab_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case no_new_privs
	atf_add_test_case capabilities
	atf_add_test_case securebits
	atf_add_test_case ioprio
	atf_add_test_case oom_score_adj
	atf_add_test_case inittab
}
