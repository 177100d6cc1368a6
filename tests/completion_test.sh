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

# Shell completion of dinitctl (completion/): the command lists of the
# bash and zsh scripts are those of doc/dinitctl.8, and the bash function,
# sourced and asked the way bash asks it (COMP_WORDS, COMP_CWORD, then
# COMPREPLY), offers commands, options, arguments, and service names from
# a running private daemon or from the service directories.

BASH_COMPLETION="$SRCDIR/completion/dinitctl.bash"
ZSH_COMPLETION="$SRCDIR/completion/_dinitctl"

# Write ./complete: it prints, one per line and sorted, what bash
# completes for the words given (the last is the word being completed).
# A script, not a function, so that atf_check can run it.
make_complete()
{
	cat >complete <<'EOF'
#!/usr/bin/env bash
. "$BASH_COMPLETION"
COMP_WORDS=("$DINITCTL" "$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_dinitctl
[ "${#COMPREPLY[@]}" -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort
EOF
	chmod +x complete
	export BASH_COMPLETION DINITCTL
}

# The commands doc/dinitctl.8 lists in its COMMANDS section, sorted.
manual_commands()
{
	sed -n '/^\.Sh COMMANDS/,/^\.Sh /s/^\.It Cm \([a-z-]*\).*/\1/p' \
	    "$SRCDIR/doc/dinitctl.8" | sort -u
}

atf_test_case bash_commands_match_manual
bash_commands_match_manual_head()
{
	atf_set "descr" "The bash script's command list is the one doc/dinitctl.8 documents"
}
bash_commands_match_manual_body()
{
	manual_commands >manual
	[ -s manual ] || atf_fail "no commands found in doc/dinitctl.8"
	bash -c '. "$1"; printf "%s\n" $_dinitctl_commands' sh \
	    "$BASH_COMPLETION" | sort -u >bash
	atf_check -o empty diff manual bash
	# Completing an empty command word offers all of them.
	make_complete
	./complete "" >offered
	atf_check -o empty diff manual offered
}

atf_test_case zsh_commands_match_manual
zsh_commands_match_manual_head()
{
	atf_set "descr" "The zsh script parses, and its command list is the one doc/dinitctl.8 documents"
}
zsh_commands_match_manual_body()
{
	command -v zsh >/dev/null 2>&1 || atf_skip "zsh is not installed"
	atf_check zsh -n "$ZSH_COMPLETION"
	manual_commands >manual
	zsh -c 'eval "$(sed -n "/^_dinitctl_commands=(/,/^)/p" "$1")"
	    print -l ${_dinitctl_commands%%:*}' sh "$ZSH_COMPLETION" |
	    sort -u >zsh
	[ -s zsh ] || atf_fail "no commands found in the zsh script"
	atf_check -o empty diff manual zsh
}

atf_test_case bash_commands_and_options
bash_commands_and_options_head()
{
	atf_set "descr" "bash completes command names, options and fixed arguments"
}
bash_commands_and_options_body()
{
	make_complete
	atf_check -o inline:"start\nstatus\nstop\n" ./complete st
	atf_check -o inline:"is-enabled\nis-failed\nis-started\n" ./complete -q is-
	atf_check -o inline:"--no-wait\n" ./complete --no
	atf_check -o inline:"--services-dir\n--socket-path\n--svg\n--system\n" \
	    ./complete --s
	# An option's argument is not taken for the command.
	atf_check -o inline:"restart\n" ./complete -p /x resta
	atf_check -o inline:"milestone\n" ./complete add-dep m
	atf_check -o inline:"HUP\n" ./complete signal H
	atf_check -o empty ./complete list ""
	atf_check -o empty ./complete shutdown ""
	mkdir sockdir
	atf_check -o inline:"sockdir\n" ./complete --socket-path sock
}

atf_test_case bash_services_from_daemon cleanup
bash_services_from_daemon_head()
{
	atf_set "descr" "bash completes service names from the running daemon the line names"
}
bash_services_from_daemon_body()
{
	make_complete
	svc hold <<EOF
type = process
command = $HELPER run $PWD/hold.log
EOF
	svc helper-one <<EOF
type = internal
EOF
	svc helper-two <<EOF
type = internal
EOF
	"$DINIT" -d "$PWD/sv" -p "$PWD/sock" hold helper-one \
	    >out 2>err </dev/null &
	echo $! >dinit.pid
	wait_for out "[  OK  ] helper-one"
	wait_for out "[  OK  ] hold"
	# Only loaded services: helper-two has a file but is not loaded.
	atf_check -o inline:"helper-one\n" \
	    ./complete --socket-path "$PWD/sock" stop help
	atf_check -o inline:"helper-one\nhold\n" \
	    ./complete -p "$PWD/sock" status h
	atf_check -o inline:"helper-one\n" \
	    ./complete -p "$PWD/sock" signal TERM help
	atf_check -o inline:"helper-one\n" \
	    ./complete -p "$PWD/sock" add-dep need hold help
	atf_check -o inline:"hold\n" \
	    ./complete -p "$PWD/sock" --from ho
	dinit_stop
}
bash_services_from_daemon_cleanup()
{
	common_cleanup
}

atf_test_case bash_services_from_dirs
bash_services_from_dirs_head()
{
	atf_set "descr" "Without a daemon, bash completes service names from the directories given with -d"
}
bash_services_from_dirs_body()
{
	make_complete
	mkdir -p sv/sub.d
	: >sv/alpha
	: >sv/alpine
	: >sv/beta
	atf_check -o inline:"alpha\nalpine\n" \
	    ./complete -p "$PWD/none" -d "$PWD/sv" start al
	atf_check -o inline:"alpha\nalpine\nbeta\n" \
	    ./complete -p "$PWD/none" -o -d "$PWD/sv" enable ""
}

atf_test_case install_paths
install_paths_head()
{
	atf_set "descr" "make install puts the bash script in bash-completion's directory and the zsh one in site-functions"
}
install_paths_body()
{
	builddir=$(dirname "$DINIT")
	[ -f "$builddir/Makefile" ] || atf_skip "no build directory"
	prefix=$(sed -n 's/^prefix = //p' "$builddir/Makefile")
	datadir=$(sed -n 's/^datarootdir = //p' "$builddir/Makefile" |
	    sed "s|\${prefix}|$prefix|")
	bashdir=$(pkg-config --define-variable=prefix="$prefix" \
	    --define-variable=datadir="$datadir" \
	    --variable=completionsdir bash-completion 2>/dev/null)
	[ -n "$bashdir" ] || bashdir=$datadir/bash-completion/completions
	atf_check -o ignore -e ignore env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -C "$builddir" install DESTDIR="$PWD/dest"
	atf_check cmp "$BASH_COMPLETION" "$PWD/dest$bashdir/dinitctl"
	atf_check cmp "$ZSH_COMPLETION" \
	    "$PWD/dest$datadir/zsh/site-functions/_dinitctl"
	atf_check -o ignore -e ignore env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -C "$builddir" uninstall DESTDIR="$PWD/dest"
	atf_check -s exit:1 test -e "$PWD/dest$bashdir/dinitctl"
}

atf_init_test_cases()
{
	atf_add_test_case bash_commands_match_manual
	atf_add_test_case zsh_commands_match_manual
	atf_add_test_case bash_commands_and_options
	atf_add_test_case bash_services_from_daemon
	atf_add_test_case bash_services_from_dirs
	atf_add_test_case install_paths
}
