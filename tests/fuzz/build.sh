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

# tests/fuzz/build.sh: compile the libFuzzer targets with clang, whatever
# compiler the build directory was configured with (tests/fuzz/README).
#
# usage: sh build.sh SRCDIR BUILDDIR "LIBRARY SOURCES" "LIBOBJS" PLATFORM [LIBS]
#
# The shared library's sources and LIBOBJS come from Makefile.am, so the
# targets follow it when files move.  Objects and the fuzz_* programs go
# to BUILDDIR/fuzz.  Each tests/fuzz/fuzz_NAME.c is one target; a line
# "fuzz-sources: FILE ..." in it names what else it links (sources
# relative to SRCDIR), and a line "fuzz-libs: FLAGS" what else goes on
# the link line (fuzz_control.c says
# "fuzz-libs: -levent_core"); LIBS, what configure found the library
# needs (libcap on Linux), goes on every link line.
#
# Environment: FUZZ_CC (default clang), FUZZ_CFLAGS (extra flags),
# FUZZ_TARGETS (names to build, default every fuzz_*.c).

set -eu

if [ $# -lt 5 ] || [ $# -gt 6 ]; then
	echo "usage: sh build.sh SRCDIR BUILDDIR LIBSOURCES LIBOBJS PLATFORM" \
	    "[LIBS]" >&2
	exit 2
fi
srcdir=$1
builddir=$2
libsources=$3
libobjs=$4
platform=$5
syslibs=${6:-}		# configure's LIBS (libcap on Linux, ...)
cc=${FUZZ_CC:-clang}
out=$builddir/fuzz
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-g -O1 -fno-omit-frame-pointer $san ${FUZZ_CFLAGS:-}"
cppflags="-I$srcdir/compat -I$srcdir/src -I$srcdir/rc-import -I$builddir"

mkdir -p "$out/obj"

# Compile one source (relative to srcdir) unless its object is newer.
compile() {
	obj=$out/obj/$(echo "$1" | tr / _ | sed 's/\.c$/.o/')
	if [ ! -f "$obj" ] || [ "$srcdir/$1" -nt "$obj" ] ||
	    [ "$builddir/config.h" -nt "$obj" ] ||
	    [ "$srcdir/src/dinit.h" -nt "$obj" ] ||
	    [ "$srcdir/rc-import/import.h" -nt "$obj" ]; then
		echo "  FUZZCC   $1" >&2
		# shellcheck disable=SC2086
		$cc $cppflags $cflags -fsanitize=fuzzer-no-link \
		    -c -o "$obj" "$srcdir/$1"
	fi
	echo "$obj"
}

# The shared library: its C sources, the platform layer, the compat
# replacements configure chose.
libs="compat/osdep-$platform.c"
for f in $libsources; do
	case $f in
	*.c)	libs="$libs $f" ;;
	esac
done
for o in $libobjs; do
	libs="$libs compat/$(basename "$o" | sed 's/\$U//; s/\.[^.]*$//').c"
done
libobjects=
for f in $libs tests/fuzz/fuzz.c; do
	libobjects="$libobjects $(compile "$f" | tail -n 1)"
done

if [ -n "${FUZZ_TARGETS:-}" ]; then
	targets=$FUZZ_TARGETS
else
	targets=
	for f in "$srcdir"/tests/fuzz/fuzz_*.c; do
		targets="$targets $(basename "$f" .c | sed 's/^fuzz_//')"
	done
fi

for t in $targets; do
	src=tests/fuzz/fuzz_$t.c
	extra=$(sed -n 's/^.*fuzz-sources:[[:space:]]*//p' "$srcdir/$src" |
	    head -n 1 | sed 's/(none)//')
	libflags=$(sed -n 's/^.*fuzz-libs:[[:space:]]*//p' "$srcdir/$src" |
	    head -n 1)
	objects=$(compile "$src" | tail -n 1)
	for f in $extra; do
		objects="$objects $(compile "$f" | tail -n 1)"
	done
	echo "  FUZZLD   fuzz_$t"
	# shellcheck disable=SC2086
	$cc $cflags -fsanitize=fuzzer -o "$out/fuzz_$t" $objects $libobjects \
	    $libflags $syslibs
done
