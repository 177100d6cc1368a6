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

# What an operator asks of dinitctl and dinit-check beyond dinit's
# commands: status details, list --all, is-enabled, timeline (text, JSON,
# SVG, the quick start's), graph (DOT, JSON), dinit-check --json, --help;
# against the real daemon and real services.  Nothing is timed: "dinitctl
# start" returns once the service is started, and every other wait polls
# for a fact.

# A small boot: boot needs web, web needs db (a script), extra is linked
# from boot.d; spare and crashes are described but not loaded.
ops_services()
{
	svc hold <<EOF
type = internal
EOF
	svc db <<EOF
type = scripted
command = $HELPER exit 0
EOF
	svc web <<EOF
type = process
command = $HELPER run $PWD/web.out
depends-on = db
logfile = $PWD/web.log
EOF
	svc boot <<EOF
type = internal
depends-on = web
waits-for.d = $PWD/sv/boot.d
EOF
	svc extra <<EOF
type = internal
EOF
	svc spare <<EOF
type = internal
EOF
	svc crashes <<EOF
type = process
command = $HELPER exit 1
restart = no
EOF
	mkdir sv/boot.d
	ln -s "$PWD/sv/extra" sv/boot.d/extra
}

# Start the daemon with hold, then boot.
ops_start()
{
	DINIT_SOCKET_PATH="$PWD/sock"
	export DINIT_SOCKET_PATH
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" hold >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] hold"
	atf_check -o ignore "$DINITCTL" start boot
}

# Start the daemon with hold only.
ops_start_hold()
{
	DINIT_SOCKET_PATH="$PWD/sock"
	export DINIT_SOCKET_PATH
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" hold >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] hold"
}

# Check that a file is one well-formed JSON document.
json_ok()
{
	python3 -m json.tool "$1" >/dev/null 2>json.err ||
	    { cat "$1" json.err; atf_fail "$1 is not well-formed JSON"; }
}

# Print members of a JSON document: python3 -c "$json_get" FILE EXPRESSION
# (a python expression of d, the document).
json_get='import json, sys; d = json.load(open(sys.argv[1])); v = eval(sys.argv[2]); print(*(v if isinstance(v, tuple) else (v,)))'

# Check that a file is well-formed XML: xmllint, else python's parser.
xml_ok()
{
	if command -v xmllint >/dev/null 2>&1; then
		atf_check -o empty -e empty xmllint --noout "$1"
	else
		python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$1" ||
		    atf_fail "$1 is not well-formed XML"
	fi
}

atf_test_case status_details cleanup
status_details_head()
{
	atf_set "descr" "status shows since when, start time, restarts, last exit, memory, CPU and output after dinit's lines; --json too"
}
status_details_body()
{
	ops_services
	ops_start
	"$DINITCTL" status web >st.out
	# dinit's lines first, in dinit's order, then ours.
	sed -n 's/^    \([A-Za-z ]*\):.*/\1/p' st.out | tr '\n' , >keys
	atf_check -o inline:"File,State,Activation,Process ID,Process tree,Since,Start took,Restarts,Memory,CPU,Output," cat keys
	atf_check -o match:"^    Since: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} \([0-9]+\.[0-9]{3}s ago\)$" \
	    cat st.out
	atf_check -o match:"^    Start took: [0-9]+\.[0-9]{3}s$" cat st.out
	atf_check -o match:"^    Restarts: 0$" cat st.out
	atf_check -o match:"^    Output: file $PWD/web.log$" cat st.out
	# A restart by request counts.
	atf_check -o ignore "$DINITCTL" restart --force web
	atf_check -o match:"^    Restarts: 1$" "$DINITCTL" status web
	# The last exit of a process that ended on its own.
	atf_check -s ignore -o ignore "$DINITCTL" start crashes
	_n=200
	while [ "$("$DINITCTL" is-started crashes)" != STOPPED ]; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || atf_fail "crashes never stopped"
		sleep 0.1
	done
	atf_check -o match:"^    State: STOPPED" \
	    -o match:"^    Last exit: exited - status 1$" \
	    -o match:"^    Output: discarded$" "$DINITCTL" status crashes
	# Internal services have no output line.
	atf_check -o not-match:"Output:" "$DINITCTL" status boot
	atf_check -o save:web.json "$DINITCTL" --json status web
	json_ok web.json
	atf_check -o inline:"1 file $PWD/web.log True\n" python3 -c "$json_get" web.json \
	    "d['restarts'], d['output']['type'], d['output']['path'], d['start_ms'] >= 0"
	atf_check -o inline:"True\n" python3 -c "$json_get" web.json \
	    "d['times']['starting'] <= d['times']['launched'] <= d['times']['started'] <= d['times']['uptime']"
	dinit_stop
}
status_details_cleanup()
{
	common_cleanup
}

atf_test_case status_usage cleanup
status_usage_head()
{
	atf_set "descr" "status shows the memory and CPU of the service's whole process tree: children, grandchildren and what they reaped"
}
status_usage_body()
{
	# A tree of four: the script, a child, a subshell and its child; the
	# CPU of a busy subshell the script reaped before counts too.
	cat >tree.sh <<EOF
#!/bin/sh
( i=0; while [ \$i -lt 400000 ]; do i=\$((i + 1)); done )
$HELPER run $PWD/a.log &
( $HELPER run $PWD/b.log & wait ) &
wait
EOF
	svc hold <<EOF
type = internal
EOF
	svc tree <<EOF
type = process
command = /bin/sh $PWD/tree.sh
EOF
	ops_start_hold
	atf_check -o ignore "$DINITCTL" start tree
	wait_for a.log "start "
	wait_for b.log "start "
	"$DINITCTL" status tree >st.out
	atf_check -o match:"^    Memory: [0-9.]+ (KiB|MiB|GiB) \(RSS of 4 processes\)$" \
	    -o match:"^    CPU: [0-9]+\.[0-9]{3}s$" cat st.out
	sed -n 's/^    \([A-Za-z ]*\):.*/\1/p' st.out | tr '\n' , >keys
	atf_check -o inline:"File,State,Activation,Process ID,Process tree,Since,Start took,Restarts,Memory,CPU,Output," cat keys
	atf_check -o save:tree.json "$DINITCTL" --json status tree
	json_ok tree.json
	# 400,000 rounds of the shell take far more than 50 ms of CPU.
	atf_check -o inline:"4 True True\n" python3 -c "$json_get" tree.json \
	    "d['usage']['processes'], d['usage']['cpu_usec'] >= 50000, 0 < d['usage']['memory'] < 1 << 30"
	atf_check -o inline:"rss\n" python3 -c "$json_get" tree.json \
	    "d['usage']['memory_kind']"
	# A stopped service has no processes to measure.
	atf_check -o ignore "$DINITCTL" stop tree
	atf_check -o not-match:"Memory:" -o not-match:"CPU:" \
	    "$DINITCTL" status tree
	atf_check -o save:stopped.json "$DINITCTL" --json status tree
	atf_check -o inline:"None\n" python3 -c "$json_get" stopped.json \
	    "d['usage']"
	dinit_stop
}
status_usage_cleanup()
{
	common_cleanup
}

atf_test_case status_output_tail cleanup
status_output_tail_head()
{
	atf_set "descr" "status shows the last five lines of a log-type = buffer service, control characters masked; --json as an array"
}
status_output_tail_body()
{
	cat >talk.sh <<EOF
#!/bin/sh
printf 'line %d\\n' 1 2 3 4 5 6
printf 'esc \\033[31m red\\n'
exec $HELPER run $PWD/talk.log
EOF
	svc hold <<EOF
type = internal
EOF
	svc talk <<EOF
type = process
command = /bin/sh $PWD/talk.sh
log-type = buffer
EOF
	svc quiet <<EOF
type = process
command = $HELPER run $PWD/quiet.log
log-type = buffer
EOF
	ops_start_hold
	atf_check -o ignore "$DINITCTL" start talk
	atf_check -o ignore "$DINITCTL" start quiet
	wait_for talk.log "start "
	_n=200
	until "$DINITCTL" catlog talk | grep -q "red"; do
		_n=$((_n - 1))
		[ "$_n" -gt 0 ] || atf_fail "the buffer never held the last line"
		sleep 0.1
	done
	"$DINITCTL" status talk >st.out
	atf_check -o inline:"    Output: buffer (dinitctl catlog talk)
        > line 3
        > line 4
        > line 5
        > line 6
        > esc ?[31m red
" sed -n '/Output:/,$p' st.out
	atf_check -o save:talk.json "$DINITCTL" --json status talk
	json_ok talk.json
	atf_check -o inline:"['line 3', 'line 4', 'line 5', 'line 6', 'esc ?[31m red']\n" \
	    python3 -c "$json_get" talk.json "d['output_tail']"
	# An empty buffer: no lines, an empty array.
	"$DINITCTL" status quiet >quiet.out
	atf_check -o inline:"    Output: buffer (dinitctl catlog quiet)\n" \
	    sed -n '/Output:/,$p' quiet.out
	atf_check -o save:quiet.json "$DINITCTL" --json status quiet
	atf_check -o inline:"[]\n" python3 -c "$json_get" quiet.json \
	    "d['output_tail']"
	# Not a buffer: no array at all.
	atf_check -o save:hold.json "$DINITCTL" --json status hold
	atf_check -o inline:"None\n" python3 -c "$json_get" hold.json \
	    "d['output_tail']"
	dinit_stop
}
status_output_tail_cleanup()
{
	common_cleanup
}

atf_test_case list_all cleanup
list_all_head()
{
	atf_set "descr" "list --all adds the services described but not loaded, marked so; --json too"
}
list_all_body()
{
	ops_services
	ops_start
	atf_check -o not-match:"spare" "$DINITCTL" list
	atf_check -o match:"^\[        \] spare \(not loaded\)$" \
	    -o match:"^\[        \] crashes \(not loaded\)$" \
	    -o match:"^\[\{\+\}     \] web \(pid: [0-9]+\)$" \
	    -o not-match:"web \(not loaded\)" "$DINITCTL" list --all
	atf_check -o save:list.json "$DINITCTL" --json list -a
	json_ok list.json
	atf_check -o inline:"['crashes', 'spare']\n" python3 -c "$json_get" list.json \
	    "sorted(x['name'] for x in d if x.get('loaded') is False)"
	dinit_stop
}
list_all_cleanup()
{
	common_cleanup
}

atf_test_case is_enabled cleanup
is_enabled_head()
{
	atf_set "descr" "is-enabled says enabled, static or disabled and exits 0 only for enabled, online and offline"
}
is_enabled_body()
{
	ops_services
	ops_start
	atf_check -s exit:0 -o inline:"enabled\n" "$DINITCTL" is-enabled extra
	atf_check -s exit:1 -o inline:"static\n" "$DINITCTL" is-enabled web
	atf_check -s exit:1 -o inline:"disabled\n" "$DINITCTL" is-enabled spare
	atf_check -o ignore "$DINITCTL" enable spare
	atf_check -s exit:0 -o inline:"enabled\n" "$DINITCTL" is-enabled spare
	atf_check -o ignore -e ignore "$DINITCTL" disable spare
	atf_check -s exit:1 -o inline:"disabled\n" "$DINITCTL" is-enabled spare
	atf_check -s exit:1 -o empty "$DINITCTL" -q is-enabled spare
	dinit_stop
	atf_check -s exit:0 -o inline:"enabled\n" \
	    "$DINITCTL" -o -d "$PWD/sv" is-enabled extra
	atf_check -s exit:1 -o inline:"static\n" \
	    "$DINITCTL" -o -d "$PWD/sv" is-enabled web
	atf_check -s exit:1 -o inline:"disabled\n" \
	    "$DINITCTL" -o -d "$PWD/sv" is-enabled spare
}
is_enabled_cleanup()
{
	common_cleanup
}

atf_test_case timeline cleanup
timeline_head()
{
	atf_set "descr" "timeline prints asked, launched, ready, what held each back and the critical chain; JSON; a well-formed SVG"
}
timeline_body()
{
	ops_services
	ops_start
	atf_check -o save:tl.out "$DINITCTL" timeline
	atf_check -o match:"^ +ASKED +LAUNCHED +READY +TOOK  SERVICE \(HELD BACK BY\)$" \
	    -o match:"^ +[0-9.]+s +[0-9.]+s +[0-9.]+s +[0-9.]+s  db$" \
	    -o match:"^ +[0-9.]+s +[0-9.]+s +[0-9.]+s +[0-9.]+s  web \(db [0-9.]+s\)$" \
	    -o match:"^ +[0-9.]+s +- +[0-9.]+s +[0-9.]+s  boot \(web [0-9.]+s\)$" \
	    -o not-match:"spare|crashes" cat tl.out
	# The chain runs from boot, ready last, back to db.
	sed -n '/^critical chain:$/,$p' tl.out >chain
	atf_check -o match:"^  boot ready at" -o match:"^  <- web ready at" \
	    -o match:"^  <- db ready at" cat chain
	atf_check -o save:tl.json "$DINITCTL" --json timeline
	json_ok tl.json
	atf_check -o inline:"['boot', 'web', 'db'] web db True\n" python3 -c "$json_get" tl.json \
	    "d['critical_chain'], [s for s in d['services'] if s['name'] == 'boot'][0]['held_by'], [s for s in d['services'] if s['name'] == 'web'][0]['held_by'], all(s['asked'] <= s['ready'] for s in d['services'])"
	atf_check -o empty -e empty "$DINITCTL" timeline --svg "$PWD/boot.svg"
	xml_ok boot.svg
	atf_check -o match:"^<svg xmlns=\"http://www.w3.org/2000/svg\"" \
	    -o match:"^</svg>$" cat boot.svg
	for s in boot web db extra hold; do
		grep -q "<title>$s</title>" boot.svg ||
		    atf_fail "no bar for $s in the SVG"
	done
	dinit_stop
}
timeline_cleanup()
{
	common_cleanup
}

atf_test_case graph cleanup
graph_head()
{
	atf_set "descr" "graph prints the dependency graph in DOT with edges labelled by type, or a part of it, or JSON"
}
graph_body()
{
	ops_services
	ops_start
	atf_check -o save:g.dot "$DINITCTL" graph
	atf_check -o match:'^digraph "dinit" \{$' -o match:'^\}$' \
	    -o match:'^	"db" -> "web" \[label = "depends-on", style = solid\];$' \
	    -o match:'^	"web" -> "boot" \[label = "depends-on", style = solid\];$' \
	    -o match:'^	"extra" -> "boot" \[label = "waits-for", style = dashed\];$' \
	    -o match:'^	"db" \[shape = box\];$' \
	    -o match:'^	"boot" \[shape = ellipse\];$' cat g.dot
	if command -v dot >/dev/null 2>&1; then
		atf_check -o ignore -e empty dot -Tsvg g.dot
	else
		# Structure: one graph; every other line a node or an edge
		# statement with its quotes balanced, then the closing brace.
		[ "$(grep -c '^digraph' g.dot)" -eq 1 ] ||
		    atf_fail "not one graph"
		[ "$(tail -n 1 g.dot)" = "}" ] || atf_fail "graph not closed"
		if sed '1,2d;$d' g.dot | grep -v \
		    '^	"[^"]*"\( -> "[^"]*"\)\{0,1\} \[[^]"]*\("[^"]*"[^]"]*\)*\];$'
		then
			atf_fail "a line of the DOT output is not a statement"
		fi
	fi
	atf_check -o save:web.dot "$DINITCTL" graph web
	atf_check -o match:'"db" -> "web"' -o not-match:'boot|extra' cat web.dot
	atf_check -o save:g.json "$DINITCTL" --json graph
	json_ok g.json
	atf_check -o inline:"True True\n" python3 -c "$json_get" g.json \
	    "{'from': 'boot', 'to': 'extra', 'type': 'waits-for'} in d['edges'], {'name': 'db', 'type': 'scripted', 'state': 'STARTED'} in d['nodes']"
	atf_check -s exit:1 -e inline:"dinitctl: service not loaded.\n" \
	    "$DINITCTL" graph nosuch
	dinit_stop
}
graph_cleanup()
{
	common_cleanup
}

atf_test_case quickstart_svg cleanup
quickstart_svg_head()
{
	atf_set "descr" "the quick start's sandboxed run draws the example services' boot as valid SVG, a bar for every one, and says where"
}
quickstart_svg_body()
{
	# The sandbox as tools/quickstart makes it: a copy of doc/examples.
	mkdir -p sandbox/services
	_n=0 _names=
	for f in "$SRCDIR"/doc/examples/*; do
		[ "${f##*/}" = README ] && continue
		cp "$f" sandbox/services/
		_n=$((_n + 1))
		_names="$_names ${f##*/}"
	done
	[ "$_n" -ge 5 ] || atf_fail "only $_n example services"
	atf_check -o save:qs.out -e ignore \
	    sh "$SRCDIR/tools/quickstart" --run-sandbox "$PWD/sandbox" "$DINIT" 0
	atf_check -o match:"wrote $PWD/sandbox/boot.svg" cat qs.out
	xml_ok sandbox/boot.svg
	# One group (title, wait bar, run bar, label) per example service.
	for s in $_names; do
		grep -q "^<g><title>$s</title>" sandbox/boot.svg ||
		    atf_fail "no bar for $s in boot.svg"
	done
	atf_check -o inline:"$_n\n" grep -c "^<g><title>" sandbox/boot.svg
	atf_check -o inline:"$((2 * _n))\n" \
	    grep -Ec '^<rect class="(wait|run|unready)"' sandbox/boot.svg
}
quickstart_svg_cleanup()
{
	common_cleanup
}

atf_test_case odd_names cleanup
odd_names_head()
{
	atf_set "descr" "names with bytes that are not UTF-8 keep JSON, DOT and SVG well-formed"
}
odd_names_body()
{
	# Service names may hold any byte of 128 and above: here UTF-8 and
	# a byte that is not.
	odd=$(printf 'caf\303\251\377')
	ops_services
	printf 'type = internal\ndepends-on = db\n' >"sv/$odd"
	ops_start
	atf_check -o ignore "$DINITCTL" start "$odd"
	atf_check -o save:tl.json "$DINITCTL" --json timeline
	json_ok tl.json
	atf_check -o save:g.json "$DINITCTL" --json graph
	json_ok g.json
	atf_check -o save:st.json "$DINITCTL" --json status "$odd"
	json_ok st.json
	atf_check "$DINITCTL" timeline --svg odd.svg
	xml_ok odd.svg
	atf_check -o match:"$(printf 'caf\303\251')\\\\xff" cat odd.svg
	atf_check -o match:'"name":"caf.*\\u00ff"' cat st.json
	atf_check -o save:g.dot "$DINITCTL" graph "$odd"
	atf_check -o match:"^	\"db\" -> \"$(printf 'caf\303\251')\\\\\\\\xff\"" cat g.dot
	dinit_stop
}
odd_names_cleanup()
{
	common_cleanup
}

atf_test_case protocol_v1 cleanup
protocol_v1_head()
{
	atf_set "descr" "a client that offers protocol version 1 gets version 1: its requests work, version 2 requests are unknown"
}
protocol_v1_body()
{
	ops_services
	ops_start
	cat >v1.py <<'EOF'
import socket, struct, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
def send(t, p=b""):
    s.sendall(struct.pack("<IH", len(p) + 2, t) + p)
def recv():
    h = b""
    while len(h) < 6:
        h += s.recv(6 - len(h))
    n, t = struct.unpack("<IH", h)
    p = b""
    while len(p) < n - 2:
        p += s.recv(n - 2 - len(p))
    return t, p
send(0x01, struct.pack("<HH", 1, 1))
t, p = recv()
print("hello", hex(t), struct.unpack("<H", p)[0])
send(0x16, struct.pack("<H", 3) + b"web")
t, p = recv()
print("status", hex(t), p[2:5].decode())
send(0x25, struct.pack("<H", 3) + b"web")
t, p = recv()
print("detail", hex(t), struct.unpack("<H", p[:2])[0])
EOF
	atf_check -o inline:"hello 0x81 1\nstatus 0x84 web\ndetail 0x83 1\n" \
	    python3 v1.py "$PWD/sock"
	dinit_stop
}
protocol_v1_cleanup()
{
	common_cleanup
}

atf_test_case help_and_usage
help_and_usage_head()
{
	atf_set "descr" "--help prints usage on standard output with status 0, a bad option on standard error with status 2, in dinitctl and dinit-check"
}
help_and_usage_body()
{
	atf_check -s exit:0 -o match:"^usage: dinitctl " \
	    -o match:"^  timeline \[--svg file\]$" -e empty "$DINITCTL" --help
	atf_check -s exit:2 -o empty -e match:"^usage: dinitctl " \
	    "$DINITCTL" --no-such-option
	atf_check -s exit:0 -o match:"^usage: dinit-check " -e empty \
	    "$DINIT_CHECK" --help
	atf_check -s exit:2 -o empty -e match:"^usage: dinit-check " \
	    "$DINIT_CHECK" --no-such-option
	atf_check -s exit:0 -o match:"^dinit-check version " \
	    "$DINIT_CHECK" --version
}

atf_test_case check_json
check_json_head()
{
	atf_set "descr" "dinit-check --json prints one JSON document with every finding, its file and line, and the counts"
}
check_json_body()
{
	svc boot <<EOF
type = internal
depends-on = bad
EOF
	svc bad <<EOF
type = process
command = /bin/true
depends-on = missing
bogus = 1
EOF
	atf_check -s exit:1 -o save:check.json -e empty \
	    "$DINIT_CHECK" -d "$PWD/sv" --json
	json_ok check.json
	atf_check -o inline:"2 0 True True\n" python3 -c "$json_get" check.json \
	    "d['errors'], d['warnings'], {'severity': 'error', 'service': 'bad', 'file': '$PWD/sv/bad', 'line': 4, 'message': \"unknown setting: 'bogus'\"} in d['findings'], any(f['service'] == 'missing' and 'needed by' in f['message'] for f in d['findings'])"
	svc good <<EOF
type = internal
EOF
	atf_check -s exit:0 -o save:good.json -e empty \
	    "$DINIT_CHECK" -d "$PWD/sv" --json good
	atf_check -o inline:"0 0 []\n" python3 -c "$json_get" good.json \
	    "d['errors'], d['warnings'], d['findings']"
}

atf_init_test_cases()
{
	atf_add_test_case status_details
	atf_add_test_case status_usage
	atf_add_test_case status_output_tail
	atf_add_test_case list_all
	atf_add_test_case is_enabled
	atf_add_test_case timeline
	atf_add_test_case graph
	atf_add_test_case quickstart_svg
	atf_add_test_case odd_names
	atf_add_test_case protocol_v1
	atf_add_test_case help_and_usage
	atf_add_test_case check_json
}
