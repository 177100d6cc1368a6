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

# The manual pages are valid mdoc: mandoc -Tlint finds nothing at warning
# level or above (pages not installed yet may be cross-referenced).  The
# commands dinitctl's usage lists are those of dinitctl(8).

atf_test_case lint
lint_head()
{
	atf_set "descr" "Every manual page passes mandoc -Tlint -Wwarning"
}
lint_body()
{
	command -v mandoc >/dev/null 2>&1 || atf_skip "mandoc is not installed"
	n=0
	for page in "$SRCDIR"/doc/*.[1-9]; do
		[ -f "$page" ] || continue
		n=$((n + 1))
		atf_check -s exit:0 -o empty -e empty mandoc -Tlint -Wwarning \
		    "$page"
	done
	[ "$n" -ge 2 ] || atf_fail "no manual pages found in $SRCDIR/doc"
}

# The usage line of an mdoc item: .It Cm start Oo Fl -pin Oc Ar service
# reads "start [--pin] service".  Only the macros of COMMANDS are known.
MDOC_ITEMS='
/^\.Sh / { on = ($0 == ".Sh COMMANDS"); next }
/^\.Ss / { on = 0; next }
on && /^\.It Cm / {
	out = ""; glue = 1; dash = ""; shut = ""
	for (i = 2; i <= NF; i++) {
		t = $i
		if (t == "Cm" || t == "Ar")
			continue
		if (t == "Fl") { dash = "-"; continue }
		if (t == "Ns") { glue = 1; continue }
		if (t == "Oc") { out = out "]"; continue }
		if (t == "Oo" || t == "Op") {
			out = out (glue ? "" : " ") "["
			glue = 1
			if (t == "Op")
				shut = shut "]"
			continue
		}
		out = out (glue ? "" : " ") dash t
		glue = 0; dash = ""
	}
	print out shut
}'

atf_test_case dinitctl_commands
dinitctl_commands_head()
{
	atf_set "descr" "dinitctl's usage lists the COMMANDS of dinitctl(8), word for word"
}
dinitctl_commands_body()
{
	atf_check -s exit:0 -o save:usage.out -e empty "$DINITCTL" --help
	sed -n 's/^  \([a-z]\)/\1/p' usage.out >usage.lines
	awk "$MDOC_ITEMS" "$SRCDIR/doc/dinitctl.8" >man.lines
	n=$(wc -l <man.lines)
	[ "$n" -ge 20 ] || atf_fail "only $n commands found in dinitctl.8"
	grep -qx 'stop \[--no-wait\] \[--pin\] \[--force\] \[--ignore-unstarted\] service' \
	    man.lines || atf_fail "the items of dinitctl.8 were misread"
	diff -u man.lines usage.lines >diff.out ||
	    { cat diff.out; atf_fail "dinitctl's usage and dinitctl.8 differ"; }
}

atf_init_test_cases()
{
	atf_add_test_case lint
	atf_add_test_case dinitctl_commands
}
