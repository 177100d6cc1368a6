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

# Integration tests of dinit-import: our own rc.d and init.d fixture trees
# (tests/fixtures/import), the FreeBSD 12.1 rc.d tree of ../shared/corpus
# when it is there (CI=true requires it), and the imported services run
# for real under dinit.
# $IMPORT, $DINIT, $DINIT_CHECK and $SRCDIR are set by the build, which
# also sources tests/testlib.sh (dump, wait_for, dinit_stop,
# common_cleanup; see Makefile.am).  Every wait polls for an observable
# fact, with a bound.

FIX=$SRCDIR/tests/fixtures/import
CORPUS=$SRCDIR/../shared/corpus/freebsd-12.1

# Skip a corpus test when the corpus is not there, but fail under CI=true:
# a CI run that skipped them would count them as passed.
require_corpus()
{
	[ ! -d "$CORPUS/rc.d" ] || return 0
	[ "${CI:-}" != true ] || atf_fail "no corpus at $CORPUS (CI=true)"
	atf_skip "no corpus at $CORPUS"
}

# Boot the group legacy-boot of the services in ./sv with the real daemon;
# the scripts write to ./events.log.
boot()
{
	IMPORT_LOG=$PWD/events.log
	export IMPORT_LOG
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" legacy-boot >out 2>err \
	    </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] legacy-boot"
}

# Line number of the first line of a file that is exactly the string.
line_at()
{
	grep -nx -- "$2" "$1" | head -n 1 | cut -d: -f1
}

# Fail unless "$2" comes before "$3" in file $1 (both present).
assert_before()
{
	_a=$(line_at "$1" "$2")
	_b=$(line_at "$1" "$3")
	if [ -z "$_a" ] || [ -z "$_b" ] || [ "$_a" -ge "$_b" ]; then
		dump
		atf_fail "'$2' (line ${_a:-none}) should come before '$3' \
(line ${_b:-none}) in $1"
	fi
}

# Check every written description with dinit-check, all together: its
# standard error holds nothing but the line that ends the second pass.
check_all()
{
	atf_check -s exit:0 -o match:"No problems found" \
	    -e inline:"Secondary checks complete.\n" \
	    "$DINIT_CHECK" -d "$PWD/$1" $(ls "$1")
}

# The lines of a file, last first.
reverse()
{
	awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }' "$1"
}

# Check that an order (file $2, one script path per line) keeps every
# REQUIRE and BEFORE of the rc.d scripts of directory $1, read here with
# awk independently of dinit-import: "# TAG:" at column 0 (PROVIDES,
# REQUIRES and KEYWORDS too), the block ending at the first other line.
# Prints the number of constraints checked; fails on a broken one.
check_rcd_order()
{
	awk -v orderfile="$2" '
	FNR == 1 { state = 0 }
	state == 2 { next }
	/^# (PROVIDES?|REQUIRES?|BEFORE|KEYWORDS?):/ {
		tag = $2
		sub(/:$/, "", tag)
		sub(/S$/, "", tag)
		rest = $0
		sub(/^# [A-Z]*:/, "", rest)
		n = split(rest, w, /[ \t]+/)
		for (i = 1; i <= n; i++) {
			if (w[i] == "")
				continue
			if (tag == "PROVIDE")
				prov[w[i]] = prov[w[i]] " " FILENAME
			else if (tag == "REQUIRE")
				req[FILENAME] = req[FILENAME] " " w[i]
			else if (tag == "BEFORE")
				bef[FILENAME] = bef[FILENAME] " " w[i]
		}
		state = 1
		next
	}
	state == 1 { state = 2 }
	END {
		while ((getline line < orderfile) > 0)
			pos[line] = ++np
		checked = 0
		bad = 0
		for (f in pos) {
			n = split(req[f], r, " ")
			for (i = 1; i <= n; i++) {
				m = split(prov[r[i]], p, " ")
				for (j = 1; j <= m; j++) {
					if (!(p[j] in pos) || p[j] == f)
						continue
					checked++
					if (pos[p[j]] > pos[f]) {
						print "REQUIRE broken: " f \
						    " needs " p[j]
						bad = 1
					}
				}
			}
			n = split(bef[f], b, " ")
			for (i = 1; i <= n; i++) {
				m = split(prov[b[i]], p, " ")
				for (j = 1; j <= m; j++) {
					if (!(p[j] in pos) || p[j] == f)
						continue
					checked++
					if (pos[f] > pos[p[j]]) {
						print "BEFORE broken: " f \
						    " before " p[j]
						bad = 1
					}
				}
			}
		}
		print checked
		exit bad
	}' "$1"/*
}

# Like check_rcd_order for the LSB scripts of directory $1: Required-Start,
# Should-Start and X-Start-Before, with the facilities of Debian's
# insserv.conf, $all, and the rcS stage before the run level.
check_lsb_order()
{
	awk -v orderfile="$2" '
	BEGIN {
		fac["$local_fs"] = "mountall mountall-bootclean " \
		    "mountoverflowtmp umountfs"
		fac["$network"] = "networking ifupdown"
		fac["$named"] = "named dnsmasq bind9 unbound $network"
		fac["$remote_fs"] = "$local_fs mountnfs mountnfs-bootclean " \
		    "umountnfs sendsigs"
		fac["$syslog"] = "rsyslog sysklogd syslog-ng"
		fac["$time"] = "hwclock"
	}
	FNR == 1 { inside = 0 }
	/^### BEGIN INIT INFO/ { inside = 1; next }
	/^### END INIT INFO/ { inside = 0; next }
	inside && /^# [A-Za-z-]+:/ {
		key = $2
		sub(/:$/, "", key)
		for (i = 3; i <= NF; i++) {
			if (key == "Provides")
				prov[$i] = prov[$i] " " FILENAME
			else if (key == "Required-Start" ||
			    key == "Should-Start")
				req[FILENAME] = req[FILENAME] " " $i
			else if (key == "X-Start-Before")
				bef[FILENAME] = bef[FILENAME] " " $i
			else if (key == "Default-Start" && $i == "S")
				early[FILENAME] = 1
		}
	}
	# The scripts standing behind a name, facilities expanded.
	function expand(name, out,    n, w, i) {
		if (name in fac) {
			n = split(fac[name], w, " ")
			for (i = 1; i <= n; i++)
				out = expand(w[i], out)
			return out
		}
		return out " " prov[name]
	}
	function need(f, p) {
		if (!(p in pos) || p == f)
			return
		checked++
		if (pos[p] > pos[f]) {
			print "broken: " f " after " p
			bad = 1
		}
	}
	END {
		while ((getline line < orderfile) > 0)
			pos[line] = ++np
		for (f in pos) {
			n = split(req[f], r, " ")
			for (i = 1; i <= n; i++) {
				if (r[i] == "$all") {
					for (g in pos)
						if (req[g] !~ /\$all/)
							need(f, g)
					continue
				}
				m = split(expand(r[i], ""), p, " ")
				for (j = 1; j <= m; j++)
					need(f, p[j])
			}
			n = split(bef[f], b, " ")
			for (i = 1; i <= n; i++) {
				m = split(expand(b[i], ""), p, " ")
				for (j = 1; j <= m; j++)
					need(p[j], f)
			}
			if (!(f in early))
				for (g in early)
					need(f, g)
		}
		print checked + 0
		exit bad
	}' "$1"/*
}

# Run a checker (check_rcd_order or check_lsb_order) on directory $2 and
# order $3; fail with what it found broken, or when it checked nothing.
# The number of constraints checked is left in ./checked.
assert_order()
{
	if ! "$1" "$2" "$3" >checked; then
		cat checked
		atf_fail "the order in $3 breaks the headers in $2"
	fi
	tail -n 1 checked >checked.n
	mv checked.n checked
	[ "$(cat checked)" -gt 0 ] || atf_fail "nothing checked in $3"
	echo "$(cat checked) constraints kept in $3"
}

atf_test_case usage
usage_head()
{
	atf_set "descr" "Usage errors exit 2; a directory of neither kind is an error"
}
usage_body()
{
	atf_check -s exit:2 -e match:"usage" "$IMPORT"
	atf_check -s exit:2 -e match:"usage" "$IMPORT" --no-such-option x
	atf_check -s exit:2 -e match:"-k and -s go with --order" \
	    "$IMPORT" -k shutdown "$FIX/rc.d"
	atf_check -s exit:2 -e match:"bad group name" \
	    "$IMPORT" --group 'a b' "$FIX/rc.d"
	atf_check -s exit:2 -e match:"bad run level" \
	    "$IMPORT" --runlevel 12 "$FIX/init.d"
	mkdir empty
	echo 'echo hello' >empty/plain
	atf_check -s exit:1 -e match:"neither rcorder nor LSB headers" \
	    "$IMPORT" -o sv empty
	atf_check -s exit:1 -e match:"nonexistent" "$IMPORT" nonexistent
}

atf_test_case rcd_import
rcd_import_head()
{
	atf_set "descr" "An rc.d tree is imported whole: one service per" \
	    "script, milestones, aliases, the group; dinit-check passes"
}
rcd_import_body()
{
	atf_check -s exit:0 \
	    -e match:"sshd.orig: a scratch file, which /etc/rc ignores" \
	    -e match:"before unknown provision .NOTHERE.; ignored" \
	    "$IMPORT" -o sv "$FIX/rc.d" "$FIX/local"
	for f in "$FIX"/rc.d/* "$FIX"/local/webapp; do
		case $f in
		*.orig)	atf_check -s exit:1 test -f "sv/${f##*/}" ;;
		*)	atf_check test -f "sv/${f##*/}" ;;
		esac
	done
	atf_check -s exit:1 test -f sv/webapp.sample
	atf_check -s exit:1 test -f sv/noprovide
	# Milestones are internal; one no script provides is written too.
	for m in FILESYSTEMS NETWORKING DAEMON LOGIN SERVERS; do
		atf_check -o match:"^type = internal" cat sv/$m
	done
	# Aliases for provided names, several providers all waited for.
	atf_check -o match:"^waits-for: geli" -o match:"^waits-for: ccd" \
	    cat sv/disks
	atf_check -o match:"^waits-for: NETWORKING" cat sv/NETWORK
	atf_check -o match:"^waits-for: sendmail" \
	    -o match:"^waits-for: othermta" cat sv/mail
	atf_check -o match:"^waits-for: sendmail" \
	    -o match:"^waits-for: othermta" cat sv/mailq
	# What /etc/rc runs, and rc.shutdown only for KEYWORD shutdown.
	atf_check -o ignore grep -Fx "command = /bin/sh -c \"autoboot=yes \
rc_fast=yes; set -- faststart; . \\\"\$\$0\\\"\" $FIX/rc.d/sshd" sv/sshd
	atf_check -o match:'^type = scripted' \
	    -o match:"^stop-command = /bin/sh $FIX/rc.d/sshd faststop\$" \
	    -o match:'^stop-timeout = 90$' -o match:'^env-file = .rc.d.env$' \
	    cat sv/sshd
	atf_check -s exit:1 -o ignore grep '^stop-command' sv/sendmail
	atf_check -o match:'^PATH=/sbin:/bin:/usr/sbin:/usr/bin$' \
	    -o match:'^HOME=/$' cat sv/.rc.d.env
	# REQUIRE orders and waits; BEFORE turns round; nostart only orders.
	atf_check -o match:"^waits-for: LOGIN" cat sv/sshd
	atf_check -o match:"^waits-for: cron" cat sv/securelevel
	atf_check -o match:"^after: growfs" cat sv/root
	# A later directory's scripts come after the early/late divider.
	atf_check -o match:"^after: FILESYSTEMS" -o match:"^waits-for: DAEMON" \
	    cat sv/webapp
	# The group: what /etc/rc starts, and nothing it skips.
	atf_check -o match:"^waits-for: sshd" -o match:"^waits-for: webapp" \
	    -o not-match:"^waits-for: manual" \
	    -o not-match:"^waits-for: growfs" cat sv/legacy-boot
	check_all sv
}

atf_test_case rcd_order
rcd_order_head()
{
	atf_set "descr" "--order keeps every REQUIRE and BEFORE and" \
	    "filters keywords as /etc/rc and /etc/rc.shutdown do"
}
rcd_order_body()
{
	atf_check -s exit:0 -o save:order -e ignore \
	    "$IMPORT" --order "$FIX/rc.d"
	assert_order check_rcd_order "$FIX/rc.d" order
	atf_check -s exit:1 grep -x "$FIX/rc.d/manual" order
	atf_check -s exit:1 grep -x "$FIX/rc.d/growfs" order
	atf_check -o ignore grep -x "$FIX/rc.d/geli" order
	atf_check -o ignore grep -x "$FIX/rc.d/netif" order
	# As rcorder prints them: the milestones are scripts too.
	atf_check -o inline:"18\n" sh -c "grep -c . order"
	assert_before order "$FIX/rc.d/root" "$FIX/rc.d/FILESYSTEMS"
	# The firstboot sentinel.
	atf_check -s exit:0 -o save:first -e ignore \
	    "$IMPORT" --firstboot --order "$FIX/rc.d"
	assert_before first "$FIX/rc.d/growfs" "$FIX/rc.d/root"
	# In a jail: no nojail; no nojailvnet either without vnet.
	atf_check -s exit:0 -o save:jail -e ignore \
	    "$IMPORT" --jail --order "$FIX/rc.d"
	atf_check -s exit:1 grep -x "$FIX/rc.d/geli" jail
	atf_check -s exit:1 grep -x "$FIX/rc.d/netif" jail
	atf_check -s exit:0 -o save:vnet -e ignore \
	    "$IMPORT" --jail --vnet --order "$FIX/rc.d"
	atf_check -s exit:1 grep -x "$FIX/rc.d/geli" vnet
	atf_check -o ignore grep -x "$FIX/rc.d/netif" vnet
	# rc.shutdown's set: -k shutdown (nostart included).
	atf_check -s exit:0 -e ignore -o save:sd \
	    "$IMPORT" --order -k shutdown "$FIX/rc.d"
	atf_check -o inline:"$FIX/rc.d/swap
$FIX/rc.d/syslogd
$FIX/rc.d/sshd
$FIX/rc.d/cron
$FIX/rc.d/manual
" cat sd
	atf_check -s exit:0 -e ignore \
	    -o inline:"$FIX/rc.d/syslogd\n$FIX/rc.d/sshd\n$FIX/rc.d/cron\n" \
	    "$IMPORT" --order -k shutdown -s nojail -s nostart -s LOGIN \
	    "$FIX/rc.d"
}

atf_test_case rcd_boot cleanup
rcd_boot_head()
{
	atf_set "descr" "Imported rc.d scripts boot under dinit in header" \
	    "order, in parallel where allowed, and stop in reverse"
}
rcd_boot_body()
{
	atf_check -s exit:0 -e ignore "$IMPORT" -o sv "$FIX/rc.d" "$FIX/local"
	boot
	# The boot set and nothing else.
	for s in geli ccd swap fsck root netif syslogd sysctl_lastload \
	    sshd cron sendmail othermta securelevel mailq webapp; do
		atf_check -o ignore grep -x "start $s" events.log
	done
	for s in manual growfs noprovide; do
		atf_check -s exit:1 grep "start $s" events.log
	done
	# Order: every REQUIRE and BEFORE, as dinit really ran them.
	sed -n "s|^start \(.*\)|$FIX/rc.d/\1|p" events.log >started
	assert_order check_rcd_order "$FIX/rc.d" started
	assert_before events.log "start netif" "start webapp"
	assert_before events.log "start syslogd" "start webapp"
	# Parallel: each of sshd and cron (and of the two MTAs) waits in its
	# start script for the other to begin: started one after the
	# other, one would have waited alone.
	assert_before events.log "begin sshd" "start cron"
	assert_before events.log "begin cron" "start sshd"
	assert_before events.log "begin sendmail" "start othermta"
	assert_before events.log "begin othermta" "start sendmail"
	atf_check -s exit:1 grep alone events.log
	# The environment /etc/rc gives, and autoboot at boot.
	atf_check -o ignore grep -Fx "env faststart HOME=/ \
PATH=/sbin:/bin:/usr/sbin:/usr/bin autoboot=yes pwd=/" events.log
	# Both MTAs before what needs "mail".
	assert_before events.log "start sendmail" "start mailq"
	assert_before events.log "start othermta" "start mailq"
	dinit_stop
	# Only KEYWORD shutdown scripts are stopped, dependents first.
	atf_check -o inline:"stop\nstop\nstop\nstop\nstop\n" \
	    sh -c "grep '^stop' events.log | cut -d' ' -f1"
	for s in sshd cron syslogd swap webapp; do
		atf_check -o ignore grep -x "stop $s" events.log
	done
	assert_before events.log "stop sshd" "stop syslogd"
	assert_before events.log "stop cron" "stop syslogd"
	assert_before events.log "stop webapp" "stop syslogd"
	assert_before events.log "stop syslogd" "stop swap"
	# rc.shutdown's faststop, without autoboot (rc.subr then looks for
	# the process to stop).
	atf_check -o ignore grep -Fx "env faststop HOME=/ \
PATH=/sbin:/bin:/usr/sbin:/usr/bin autoboot=unset pwd=/" events.log
}
rcd_boot_cleanup()
{
	common_cleanup
}

atf_test_case rcd_failure cleanup
rcd_failure_head()
{
	atf_set "descr" "A script that fails does not take down what" \
	    "REQUIREs it: it is waited for, and the boot goes on"
}
rcd_failure_body()
{
	mkdir rc.d
	cat >rc.d/broken <<'EOF'
#!/bin/sh
# PROVIDE: broken
echo "start broken" >>"$IMPORT_LOG"
exit 1
EOF
	cat >rc.d/needy <<'EOF'
#!/bin/sh
# PROVIDE: needy
# REQUIRE: broken
# KEYWORD: shutdown
case $1 in
*start)	sleep 1; echo "start needy" >>"$IMPORT_LOG" ;;
*stop)	echo "stop needy" >>"$IMPORT_LOG" ;;
esac
EOF
	chmod +x rc.d/*
	atf_check -s exit:0 "$IMPORT" -o sv "$PWD/rc.d"
	atf_check -o match:"^waits-for: broken" cat sv/needy
	boot
	atf_check -o ignore grep -F "[FAILED] broken" out
	atf_check -o ignore grep -F "[  OK  ] needy" out
	assert_before events.log "start broken" "start needy"
	dinit_stop
	atf_check -o ignore grep -x "stop needy" events.log
}
rcd_failure_cleanup()
{
	common_cleanup
}

atf_test_case rcd_rcconf
rcd_rcconf_head()
{
	atf_set "descr" "rc.conf: enable variables noted, rcshutdown_timeout" \
	    "and firstboot_sentinel used, --enabled-only"
}
rcd_rcconf_body()
{
	atf_check -s exit:0 -e ignore \
	    "$IMPORT" --rc-conf "$FIX/rc.conf" -o sv "$FIX/rc.d"
	atf_check -o match:'rcvar sshd_enable="YES" in rc.conf: enabled' \
	    -o match:'^stop-timeout = 30$' cat sv/sshd
	atf_check -o match:'rcvar cron_enable="NO" in rc.conf: disabled' \
	    cat sv/cron
	atf_check -o match:'rcvar root_enable is not set in rc.conf' \
	    cat sv/root
	# rc.conf decides at boot: a disabled script stays in the group...
	atf_check -o match:"^waits-for: cron" cat sv/legacy-boot
	# ... unless asked; it still orders.
	atf_check -s exit:0 -e ignore "$IMPORT" --rc-conf "$FIX/rc.conf" \
	    --enabled-only --stop-timeout 7 -o sv2 "$FIX/rc.d"
	atf_check -o not-match:"^waits-for: cron" \
	    -o match:"^waits-for: othermta" cat sv2/legacy-boot
	atf_check -o match:"^after: cron" -o match:'^stop-timeout = 7$' \
	    cat sv2/securelevel
	check_all sv2
}

atf_test_case rcd_cycle
rcd_cycle_head()
{
	atf_set "descr" "A cycle and a missing provider are reported, the" \
	    "cycle is broken as rcorder breaks it, the output still written"
}
rcd_cycle_body()
{
	atf_check -s exit:1 -o save:order \
	    -e match:"requirement .nosuch. in file .$FIX/cycle/d. has no providers" \
	    -e match:"Circular dependency on provision .a. in file .$FIX/cycle/b.: a -> c -> b -> a\\." \
	    -e match:".b. does not wait for .a. \\(REQUIRE\\), to break the cycle" \
	    -e match:"warning: file .$FIX/cycle/e. is before unknown provision .nowhere." \
	    "$IMPORT" --order -o sv "$FIX/cycle"
	# The order rcorder prints for this tree.
	atf_check -o inline:"$FIX/cycle/e
$FIX/cycle/b
$FIX/cycle/c
$FIX/cycle/a
$FIX/cycle/d
" cat order
	atf_check -o match:"^waits-for: c" cat sv/a
	atf_check -o match:"^waits-for: b" cat sv/c
	atf_check -s exit:1 grep "^waits-for: a" sv/b
	atf_check -o match:"^waits-for: e" -o match:"^waits-for: a" cat sv/d
	check_all sv
}

atf_test_case rcd_root
rcd_root_head()
{
	atf_set "descr" "--root reads a tree elsewhere; the commands name" \
	    "the paths the scripts will have"
}
rcd_root_body()
{
	mkdir -p root/etc root/usr/local/etc/rc.d
	cp -Rp "$FIX/rc.d" root/etc/rc.d
	cp -p "$FIX/local/webapp" root/usr/local/etc/rc.d
	touch root/firstboot
	atf_check -s exit:0 -e ignore -o save:order "$IMPORT" --root "$PWD/root" \
	    --order -o sv /etc/rc.d /usr/local/etc/rc.d
	atf_check -o match:"^/etc/rc.d/growfs\$" \
	    -o match:"^/usr/local/etc/rc.d/webapp\$" cat order
	atf_check -o match:" /etc/rc.d/sshd\$" \
	    -o match:"^stop-command = /bin/sh /etc/rc.d/sshd faststop\$" \
	    cat sv/sshd
	atf_check -o match:"^waits-for: growfs" cat sv/legacy-boot
}

atf_test_case options
options_head()
{
	atf_set "descr" "--group, --console, --start-timeout and" \
	    "--stop-timeout shape what is written"
}
options_body()
{
	atf_check -s exit:0 -e ignore "$IMPORT" --group boot --console \
	    --start-timeout 120 --stop-timeout 15 -o sv "$FIX/rc.d"
	atf_check -s exit:1 test -f sv/legacy-boot
	atf_check -o match:"^waits-for: sshd" cat sv/boot
	atf_check -o match:"^options: shares-console\$" \
	    -o not-match:"^log-type" -o match:"^start-timeout = 120\$" \
	    -o match:"^stop-timeout = 15\$" cat sv/sshd
	atf_check -s exit:0 -o ignore -e inline:"Secondary checks complete.\n" \
	    "$DINIT_CHECK" -d "$PWD/sv" boot
	# A script may not take the group's name.
	atf_check -s exit:1 -e match:"group name sshd is taken" \
	    "$IMPORT" --group sshd -o sv2 "$FIX/rc.d"
}

atf_test_case rcd_graph
rcd_graph_head()
{
	atf_set "descr" "--graph prints the graph in DOT, cycles in red"
}
rcd_graph_body()
{
	atf_check -s exit:0 -e ignore -o save:g.dot \
	    "$IMPORT" --graph "$FIX/rc.d"
	atf_check -o match:'^digraph "dinit-import" \{$' -o match:'^\}$' \
	    -o match:'"root" -> "FILESYSTEMS" \[style = solid\];' \
	    -o match:'"cron" -> "securelevel" \[style = dashed\];' \
	    -o match:'"growfs" \[shape = box, style = "rounded,dashed"\];' \
	    cat g.dot
	atf_check -s exit:1 -e ignore -o save:c.dot \
	    "$IMPORT" --graph "$FIX/cycle"
	atf_check -o match:'"a" -> "b" \[style = solid, color = red\];' \
	    -o match:'"nosuch" -> "d" \[color = red' cat c.dot
}

atf_test_case lsb_import
lsb_import_head()
{
	atf_set "descr" "An init.d tree is imported: facilities, aliases," \
	    "run levels, interactive scripts; dinit-check passes"
}
lsb_import_body()
{
	atf_check -s exit:0 -e match:"legacy: missing LSB tags" \
	    "$IMPORT" -o sv "$FIX/init.d"
	# README, *.dpkg-old and dot files are passed over as insserv does.
	atf_check -s exit:1 test -f sv/README
	atf_check -s exit:1 test -f sv/nginx.dpkg-old
	for f in local_fs network remote_fs syslog time named portmap all \
	    rcS; do
		atf_check -o match:"^type = internal" cat sv/lsb.$f
	done
	atf_check -o match:"^waits-for: mountall.sh" \
	    -o match:"^after: umountfs" cat sv/lsb.local_fs
	atf_check -o match:"^waits-for: lsb.local_fs" \
	    -o match:"^after: sendsigs" cat sv/lsb.remote_fs
	atf_check -o match:"^waits-for: lsb.network" cat sv/lsb.named
	atf_check -o match:"^waits-for: networking" cat sv/ifupdown
	atf_check -o match:"^waits-for: ssh" cat sv/sshd
	atf_check -o match:"^waits-for: keyboard-setup.sh" \
	    cat sv/keyboard-setup
	# Scripts run directly, *.sh through sh, as sysv-rc does.
	atf_check -o match:"^command = $FIX/init.d/rsyslog start\$" \
	    -o match:"^stop-command = $FIX/init.d/rsyslog stop\$" \
	    -o match:"^waits-for: lsb.remote_fs" -o match:"^waits-for: lsb.time" \
	    -o match:"^after: lsb.rcS" cat sv/rsyslog
	atf_check -o match:"^command = /bin/sh $FIX/init.d/mountall.sh start\$" \
	    cat sv/mountall.sh
	# An empty Default-Stop: not stopped.
	atf_check -s exit:1 grep "^stop-command" sv/cron
	# Should-Start: present names order only, absent ones vanish.
	atf_check -o match:"^after: lsb.network" -o not-match:"^(after|waits-for): slapd" \
	    -o match:"^waits-for: lsb.syslog" cat sv/cron
	# Interactive: X-Interactive, or insserv.conf's <interactive>.
	atf_check -o match:"^options: starts-on-console" cat sv/checkroot.sh
	atf_check -o match:"^options: starts-on-console" \
	    cat sv/keyboard-setup.sh
	atf_check -o match:"^waits-for: lsb.all" cat sv/rc.local
	atf_check -o match:"^RUNLEVEL=2$" -o match:"^SYSTEMCTL_SKIP_REDIRECT=1$" \
	    -o match:"^PATH=/sbin:/usr/sbin:/bin:/usr/bin$" cat sv/.init.d.env
	# The group: S and run level 2, not the halt scripts, not single.
	atf_check -o match:"^waits-for: mountkernfs.sh" \
	    -o match:"^waits-for: rc.local" -o not-match:"^waits-for: sendsigs" \
	    -o not-match:"^waits-for: single" -o not-match:"^waits-for: legacy\$" \
	    cat sv/legacy-boot
	check_all sv
}

atf_test_case lsb_order
lsb_order_head()
{
	atf_set "descr" "--order keeps every Required-Start, Should-Start," \
	    "X-Start-Before, facility, \$all and the rcS stage"
}
lsb_order_body()
{
	atf_check -s exit:0 -o save:order -e ignore \
	    "$IMPORT" --order "$FIX/init.d"
	assert_order check_lsb_order "$FIX/init.d" order
	atf_check -o inline:"17\n" sh -c "grep -c . order"
	atf_check -o inline:"$FIX/init.d/rc.local\n" tail -n 1 order
	atf_check -s exit:0 -o save:sd -e ignore \
	    "$IMPORT" --order -k shutdown "$FIX/init.d"
	atf_check -o inline:"$FIX/init.d/hwclock.sh
$FIX/init.d/networking
$FIX/init.d/nginx
$FIX/init.d/rsyslog
$FIX/init.d/sendsigs
$FIX/init.d/umountfs
$FIX/init.d/urandom
" sort sd
	# Run level 1: single, and the rcS scripts.
	atf_check -s exit:0 -o save:one -e ignore \
	    "$IMPORT" --runlevel 1 --order "$FIX/init.d"
	atf_check -o ignore grep -x "$FIX/init.d/single" one
	atf_check -s exit:1 grep -x "$FIX/init.d/cron" one
}

atf_test_case lsb_boot cleanup
lsb_boot_head()
{
	atf_set "descr" "Imported init.d scripts boot under dinit in header" \
	    "order, in parallel where allowed, and stop in reverse"
}
lsb_boot_body()
{
	atf_check -s exit:0 -e ignore "$IMPORT" -o sv "$FIX/init.d"
	boot
	for s in mountkernfs hostname mountdevsubfs keyboard-setup hwclock \
	    checkroot checkfs checkroot-bootclean mountall bootmisc urandom \
	    networking rsyslog ssh cron nginx rc.local; do
		atf_check -o ignore grep -x "start $s" events.log
	done
	for s in sendsigs umountfs single legacy; do
		atf_check -s exit:1 grep "start $s" events.log
	done
	# Map the names back to the scripts, and check every constraint.
	for f in "$FIX"/init.d/*; do
		b=${f##*/}
		echo "${b%.sh} $f"
	done >names
	awk 'NR == FNR { path[$1] = $2; next }
	    $1 == "start" { print path[$2] }' names events.log >started
	assert_order check_lsb_order "$FIX/init.d" started
	assert_before events.log "begin ssh" "start cron"
	assert_before events.log "begin cron" "start ssh"
	atf_check -s exit:1 grep alone events.log
	atf_check -o ignore grep -Fx "env start PATH=/sbin:/usr/sbin:/bin:/usr/bin \
RUNLEVEL=2 PREVLEVEL=N pwd=/" events.log
	dinit_stop
	atf_check -o ignore grep -Fx "env stop PATH=/sbin:/usr/sbin:/bin:/usr/bin \
RUNLEVEL=2 PREVLEVEL=N pwd=/" events.log
	atf_check -o inline:"stop hwclock\nstop networking\nstop nginx\nstop rsyslog\nstop urandom\n" \
	    sh -c "grep '^stop' events.log | sort"
	assert_before events.log "stop nginx" "stop rsyslog"
	assert_before events.log "stop nginx" "stop networking"
	assert_before events.log "stop rsyslog" "stop networking"
	assert_before events.log "stop networking" "stop urandom"
	assert_before events.log "stop urandom" "stop hwclock"
}
lsb_boot_cleanup()
{
	common_cleanup
}

atf_test_case lsb_insserv
lsb_insserv_head()
{
	atf_set "descr" "--insserv reads insserv.conf and insserv.conf.d"
}
lsb_insserv_body()
{
	atf_check -s exit:0 -e ignore \
	    "$IMPORT" --insserv "$FIX/insserv" -o sv "$FIX/insserv/init.d"
	atf_check -o match:"^waits-for: fakemta" \
	    -o not-match:"shouldnotbehere" cat sv/lsb.mail-transport-agent
	atf_check -o match:"^waits-for: lsb.mail-transport-agent" \
	    -o match:"^options: starts-on-console" cat sv/mailer
	# Not in this insserv.conf: $time stands for nothing.
	atf_check -o not-match:"hwclock" cat sv/lsb.time
	check_all sv
}

atf_test_case detect
detect_head()
{
	atf_set "descr" "Directories are recognised by their headers," \
	    "or forced; both kinds import together"
}
detect_body()
{
	atf_check -s exit:0 -e ignore -o save:order \
	    "$IMPORT" --order -o sv "$FIX/rc.d" "$FIX/init.d"
	atf_check -o ignore grep -x "$FIX/rc.d/sshd" order
	atf_check -o ignore grep -x "$FIX/init.d/ssh" order
	atf_check -o match:"^env-file = .rc.d.env" cat sv/sshd
	atf_check -o match:"^env-file = .init.d.env" cat sv/ssh
	check_all sv
	# Forced: init.d scripts read as rc.d have no tags, and rc.d
	# scripts read as init.d have no LSB header.
	atf_check -s exit:0 -e ignore -o save:forced \
	    "$IMPORT" --rcd --order "$FIX/init.d"
	atf_check -o match:"^$FIX/init.d/cron\$" cat forced
	atf_check -s exit:0 -e match:"missing LSB tags" -o empty \
	    "$IMPORT" --lsb --order "$FIX/rc.d"
}

atf_test_case corpus_freebsd
corpus_freebsd_head()
{
	atf_set "descr" "FreeBSD 12.1's rc.d: every script imported, every" \
	    "REQUIRE and BEFORE kept, keywords as /etc/rc and rc.shutdown"
}
corpus_freebsd_body()
{
	require_corpus
	rc=$CORPUS/rc.d
	# The copy lost the scripts' modes: --ignore-mode.
	atf_check -s exit:0 -o save:order -e empty \
	    "$IMPORT" --ignore-mode --order -o sv "$rc"
	atf_check -o inline:"166\n" sh -c "ls '$rc' | wc -l | tr -d ' '"
	for f in "$rc"/*; do
		test -f "sv/${f##*/}" || atf_fail "${f##*/} not imported"
	done
	# 166 scripts, 3 aliases (NETWORK, disks, mail), the group.
	atf_check -o inline:"170\n" sh -c "ls sv | wc -l | tr -d ' '"
	check_all sv
	# Every REQUIRE and BEFORE holds in the order, for all scripts.
	atf_check -s exit:0 -o save:all -e empty \
	    "$IMPORT" --ignore-mode --order -s none "$rc"
	atf_check -o inline:"166\n" sh -c "grep -c . all"
	assert_order check_rcd_order "$rc" all
	[ "$(cat checked)" -ge 300 ] || atf_fail "only $(cat checked) checked"
	# /etc/rc: -s nostart -s firstboot (no sentinel): 166 - 5 - 1.
	atf_check -o inline:"160\n" sh -c "grep -c . order"
	assert_order check_rcd_order "$rc" order
	for f in $(grep -l '^# KEYWORD:.*\(nostart\|firstboot\)' "$rc"/*); do
		atf_check -s exit:1 grep -x "$f" order
	done
	# rc.shutdown: -k shutdown.  sendmail's KEYWORD line comes after a
	# comment, which ends rcorder's block: it is not stopped.
	atf_check -s exit:0 -o save:sd -e empty \
	    "$IMPORT" --ignore-mode --order -k shutdown "$rc"
	atf_check -o inline:"64\n" sh -c "grep -c . sd"
	atf_check -s exit:1 grep -x "$rc/sendmail" sd
	atf_check -s exit:1 grep "^stop-command" sv/sendmail
	atf_check -o match:"^stop-command = /bin/sh $rc/sshd faststop\$" cat sv/sshd
	atf_check -o inline:"64\n" sh -c "grep -l '^stop-command' sv/* | wc -l | tr -d ' '"
	# In a jail without vnet: 160 - 88 nojail - 20 nojailvnet + overlap.
	atf_check -s exit:0 -o save:jail -e empty \
	    "$IMPORT" --ignore-mode --jail --order "$rc"
	for f in $(grep -l '^# KEYWORD:.*nojail' "$rc"/*); do
		atf_check -s exit:1 grep -x "$f" jail
	done
	assert_order check_rcd_order "$rc" jail
}

atf_test_case corpus_freebsd_boot cleanup
corpus_freebsd_boot_head()
{
	atf_set "descr" "FreeBSD 12.1's rc.d, its scripts replaced by a" \
	    "recorder, boots and stops under dinit keeping every constraint"
}
corpus_freebsd_boot_body()
{
	require_corpus
	rc=$CORPUS/rc.d
	atf_check -s exit:0 -e empty "$IMPORT" --ignore-mode -o gen "$rc"
	# The scripts need FreeBSD: each command records instead, the
	# milestones' included (they are internal: made scripted here).
	cat >recorder <<'EOF'
#! /bin/sh
echo "$1 $2" >>"$IMPORT_LOG"
EOF
	chmod +x recorder
	mkdir sv
	cp gen/.rc.d.env sv
	for f in gen/*; do
		n=${f##*/}
		case $n in
		FILESYSTEMS|NETWORKING|SERVERS|DAEMON|LOGIN)	ms=$rc/$n ;;
		*)						ms= ;;
		esac
		awk -v rec="$PWD/recorder" -v ms="$ms" '
		/^command = / { print "command = " rec " start " $NF; next }
		/^stop-command = / {
			print "stop-command = " rec " stop " $(NF - 1); next
		}
		/^type = internal$/ && ms != "" {
			print "type = scripted"
			print "command = " rec " start " ms
			next
		}
		{ print }' "$f" >"sv/$n"
	done
	boot
	sed -n 's/^start //p' events.log >started
	atf_check -o inline:"160\n" sh -c "grep -c . started"
	assert_order check_rcd_order "$rc" started
	[ "$(cat checked)" -ge 300 ] || atf_fail "only $(cat checked) checked"
	dinit_stop
	sed -n 's/^stop //p' events.log >stopped
	atf_check -o inline:"64\n" sh -c "grep -c . stopped"
	reverse stopped >stopped.reversed
	assert_order check_rcd_order "$rc" stopped.reversed
}
corpus_freebsd_boot_cleanup()
{
	common_cleanup
}

atf_init_test_cases()
{
	atf_add_test_case usage
	atf_add_test_case rcd_import
	atf_add_test_case rcd_order
	atf_add_test_case rcd_boot
	atf_add_test_case rcd_failure
	atf_add_test_case rcd_rcconf
	atf_add_test_case rcd_cycle
	atf_add_test_case rcd_root
	atf_add_test_case options
	atf_add_test_case rcd_graph
	atf_add_test_case lsb_import
	atf_add_test_case lsb_order
	atf_add_test_case lsb_boot
	atf_add_test_case lsb_insserv
	atf_add_test_case detect
	atf_add_test_case corpus_freebsd
	atf_add_test_case corpus_freebsd_boot
}
