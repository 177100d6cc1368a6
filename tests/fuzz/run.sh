#!/bin/sh
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

# tests/fuzz/run.sh: run each built fuzz target for FUZZ_SECONDS
# (tests/fuzz/README).
#
# usage: sh run.sh SRCDIR BUILDDIR [TARGET ...]
#
# Seeds: SRCDIR/tests/fuzz/corpus/TARGET (read only); what the fuzzer
# finds goes to BUILDDIR/fuzz/corpus/TARGET, kept between runs.  A crash,
# a leak, a timeout (FUZZ_TIMEOUT seconds for one input) or running out of
# memory leaves its input in BUILDDIR/fuzz/artifacts and fails the run.
# Prints one line per target, "fuzz: TARGET: passed" or "fuzz: TARGET:
# FAILED (...)", and exits 1 when any failed.
#
# Environment: FUZZ_SECONDS (default 60), FUZZ_TIMEOUT (default 10),
# FUZZ_RSS_MB (default 2048), FUZZ_TARGETS (default: every fuzz_* built).

set -u

if [ $# -lt 2 ]; then
	echo "usage: sh run.sh SRCDIR BUILDDIR [TARGET ...]" >&2
	exit 2
fi
srcdir=$1
out=$2/fuzz
shift 2
seconds=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-10}
rss=${FUZZ_RSS_MB:-2048}

if [ $# -eq 0 ]; then
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		# shellcheck disable=SC2086
		set -- $FUZZ_TARGETS
	else
		for f in "$srcdir"/tests/fuzz/fuzz_*.c; do
			set -- "$@" "$(basename "$f" .c | sed 's/^fuzz_//')"
		done
	fi
fi

failures=0
mkdir -p "$out/artifacts" "$out/logs"
for t in "$@"; do
	prog=$out/fuzz_$t
	log=$out/logs/$t.log
	if [ ! -x "$prog" ]; then
		echo "fuzz: $t: FAILED (not built: $prog)"
		failures=$((failures + 1))
		continue
	fi
	mkdir -p "$out/corpus/$t"
	set -- -max_total_time="$seconds" -timeout="$timeout" \
	    -rss_limit_mb="$rss" -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix="$out/artifacts/$t-"
	# One dictionary serves the parser and the loader.
	case $t in
	parse|load)	dict=$srcdir/tests/fuzz/service.dict ;;
	*)		dict=$srcdir/tests/fuzz/$t.dict ;;
	esac
	[ -f "$dict" ] && set -- "$@" -dict="$dict"
	seeds=$srcdir/tests/fuzz/corpus/$t
	[ -d "$seeds" ] || seeds=
	before=$(ls "$out/artifacts" | wc -l)
	# The wall-clock bound covers a target that hangs outside an input.
	timeout -k 10 $((seconds + timeout + 60)) \
	    "$prog" "$@" "$out/corpus/$t" ${seeds:+"$seeds"} \
	    </dev/null >"$log" 2>&1
	status=$?
	after=$(ls "$out/artifacts" | wc -l)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ "$status" -eq 0 ] && [ "$after" -eq "$before" ]; then
		echo "fuzz: $t: passed (${execs:-?} runs in ${seconds} s)"
		continue
	fi
	failures=$((failures + 1))
	what=$(grep -E -m 1 '^==[0-9]+==ERROR|^SUMMARY|ALARM|out-of-memory|deadly signal' \
	    "$log" | head -n 1)
	echo "fuzz: $t: FAILED (status $status: ${what:-see $log})"
	ls -t "$out/artifacts" | head -n 1 | sed "s|^|fuzz: $t: input: $out/artifacts/|"
	sed -n '/^==[0-9]*==ERROR/,/^SUMMARY/p' "$log" | head -n 40
done
[ "$failures" -eq 0 ]
