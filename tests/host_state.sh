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


# What the test suite must leave alone on the host, for check-local in
# Makefile.am to compare before and after kyua runs: the login records a
# system manager appends its boot record to (glibc's _PATH_WTMP, FreeBSD's
# utx.log) and the kernel's ctrl-alt-del settings.  The PID-1 tests give
# their namespaces scratch copies of these (tests/pid1_test.sh); this is
# the proof that they did.
#
# usage: sh host_state.sh save FILE | sh host_state.sh compare FILE
# Exit status: 0 when saved or unchanged, 1 when the host's state changed
# or FILE cannot be written or read, 2 for a usage error.

WTMP_FILES="/var/log/wtmp /var/log/utx.log"
SYSCTL_FILES="/proc/sys/kernel/cad_pid /proc/sys/kernel/ctrl-alt-del"

# One line per file: its checksum (login records) or value (sysctls).
host_state()
{
	for f in $WTMP_FILES; do
		if [ -r "$f" ]; then
			echo "$f $(cksum <"$f")"
		elif [ -e "$f" ]; then
			echo "$f unreadable"
		else
			echo "$f absent"
		fi
	done
	for f in $SYSCTL_FILES; do
		if [ -r "$f" ]; then
			echo "$f $(cat "$f")"
		else
			echo "$f absent"
		fi
	done
}

# Fail, saying what changed, unless the host is as FILE says it was.
host_compare()
{
	[ -r "$1" ] || { echo "host_state: cannot read $1" >&2; exit 1; }
	host_state >"$1.after" || exit 1
	if ! diff "$1" "$1.after" >"$1.diff"; then
		echo "host_state: the test suite changed the host:" >&2
		cat "$1.diff" >&2
		if command -v last >/dev/null 2>&1 && [ -r /var/log/wtmp ]; then
			echo "host_state: last -x -f /var/log/wtmp:" >&2
			last -x -f /var/log/wtmp 2>&1 | head -n 5 >&2
		fi
		echo "host_state: (a login while the suite ran also" \
		    "adds to wtmp, and so does another dinit test suite" \
		    "run without these protections)" >&2
		rm -f "$1.after" "$1.diff"
		exit 1
	fi
	rm -f "$1.after" "$1.diff"
}

case $#:${1:-} in
2:save)		host_state >"$2" || exit 1 ;;
2:compare)	host_compare "$2" ;;
*)		echo "usage: sh host_state.sh save FILE | compare FILE" >&2
		exit 2 ;;
esac
exit 0
