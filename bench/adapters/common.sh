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

# What the adapters share, sourced by bench/run before them.

# run_dirs N DIR PER: service directories s1..sN, each holding "run", a
# symbolic link to $TINY, made in DIR itself (PER 0) or spread over
# DIR/sv0, DIR/sv1, ... with PER in each.  perl (essential on Debian)
# makes 5000 in a blink; the shell loop needs two processes per service.
run_dirs()
{
	if command -v perl >/dev/null 2>&1; then
		perl -e '
			my ($n, $dir, $per, $tiny) = @ARGV;
			for my $i (1 .. $n) {
				my $p = $per ? "$dir/sv" . int(($i - 1) / $per)
				    : $dir;
				-d $p or mkdir($p) or die "$p: $!\n";
				mkdir("$p/s$i") or die "$p/s$i: $!\n";
				symlink($tiny, "$p/s$i/run") or
				    die "$p/s$i/run: $!\n";
			}' "$1" "$2" "$3" "$TINY"
		return
	fi
	_rd_i=1
	while [ "$_rd_i" -le "$1" ]; do
		if [ "$3" -gt 0 ]; then
			_rd_p=$2/sv$(((_rd_i - 1) / $3))
		else
			_rd_p=$2
		fi
		{ [ -d "$_rd_p" ] || mkdir "$_rd_p"; } &&
		    mkdir "$_rd_p/s$_rd_i" &&
		    ln -s "$TINY" "$_rd_p/s$_rd_i/run" || return 1
		_rd_i=$((_rd_i + 1))
	done
}
