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
# level or above (pages not installed yet may be cross-referenced).

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

atf_init_test_cases()
{
	atf_add_test_case lint
}
