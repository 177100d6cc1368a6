# bash completion for dinitctl(8).
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
# Installed as "dinitctl" in bash-completion's completions directory.
# Completes commands, options, and service names: those the running
# daemon lists ("dinitctl list", on the socket the line names), else the
# description files in the service directories.  Needs nothing from the
# bash-completion package.

# The commands of dinitctl(8), in one place: tests/completion_test.sh
# checks this list against the COMMANDS section of doc/dinitctl.8.
_dinitctl_commands='start wake stop release restart unpin status
    is-started is-failed list reload unload add-dep rm-dep enable disable
    is-enabled trigger untrigger setenv unsetenv catlog signal shutdown
    monitor timeline graph'

# Options, and those of them that take an argument.
_dinitctl_options='--quiet --system --user --socket-path --json --help
    --version --offline --services-dir --from --no-wait --pin --force
    --ignore-unstarted --clear --timestamps --list --all --svg'
_dinitctl_options_with_arg='-p --socket-path -d --services-dir --from --svg'

# The service directories searched when no daemon answers.
_dinitctl_system_dirs='/etc/dinit.d /run/dinit.d /usr/local/lib/dinit.d
    /lib/dinit.d'
_dinitctl_user_dirs='/etc/dinit.d/user /usr/lib/dinit.d/user
    /usr/local/lib/dinit.d/user'

# Service names, for the line in COMP_WORDS: ask the daemon the line talks
# to, else list the service directories (-d, or the defaults).
_dinitctl_services()
{
	local i w prog=${COMP_WORDS[0]} names dirs= user=
	local -a conn=()

	for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
		[ "$i" -eq "$COMP_CWORD" ] && continue
		w=${COMP_WORDS[i]}
		case $w in
		-p|--socket-path)
			conn+=(--socket-path "${COMP_WORDS[i + 1]}") ;;
		-d|--services-dir)
			dirs="$dirs ${COMP_WORDS[i + 1]}" ;;
		-s|--system)
			conn+=(--system) ;;
		-u|--user)
			conn+=(--user); user=1 ;;
		esac
	done
	names=$("$prog" "${conn[@]}" list 2>/dev/null |
	    sed -n 's/^\[.\{8\}\] \([^ ][^ ]*\).*/\1/p')
	if [ -z "$names" ]; then
		if [ -z "$dirs" ]; then
			if [ -n "$user" ] || [ "$(id -u)" -ne 0 ]; then
				dirs="${XDG_CONFIG_HOME:-$HOME/.config}/dinit.d"
				dirs="$dirs $_dinitctl_user_dirs"
			else
				dirs=$_dinitctl_system_dirs
			fi
		fi
		for w in $dirs; do
			for i in "$w"/*; do
				[ -f "$i" ] && names="$names ${i##*/}"
			done
		done
	fi
	printf '%s\n' $names
}

# The command word of the line, or nothing when it comes at COMP_CWORD.
_dinitctl_command()
{
	local i w

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case " $_dinitctl_options_with_arg " in
		*" $w "*) i=$((i + 1)); continue ;;
		esac
		case $w in
		-*) continue ;;
		esac
		echo "$w"
		return
	done
}

# How many operands the command has before COMP_CWORD.
_dinitctl_operand_index()
{
	local i w n=-1 seen=

	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case " $_dinitctl_options_with_arg " in
		*" $w "*) i=$((i + 1)); continue ;;
		esac
		case $w in
		-*) continue ;;
		esac
		n=$((n + 1))
	done
	echo "$n"
}

# The completion function for dinitctl.
_dinitctl()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd n words
	local IFS=$' \t\n'

	COMPREPLY=()
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
	case $prev in
	-p|--socket-path|--svg)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	-d|--services-dir)
		COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--from)
		COMPREPLY=($(compgen -W "$(_dinitctl_services)" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$_dinitctl_options" -- "$cur"))
		return
	fi
	cmd=$(_dinitctl_command)
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$_dinitctl_commands" -- "$cur"))
		return
	fi
	n=$(_dinitctl_operand_index)
	case $cmd in
	list|shutdown|timeline)
		words= ;;
	setenv|unsetenv)
		words=$(compgen -e) ;;
	add-dep|rm-dep)
		if [ "$n" -eq 0 ]; then
			words='need regular milestone waits-for'
		elif [ "$n" -le 2 ]; then
			words=$(_dinitctl_services)
		fi ;;
	signal)
		if [ "$n" -eq 0 ]; then
			words='HUP INT QUIT KILL USR1 USR2 TERM CONT STOP INFO'
		elif [ "$n" -eq 1 ]; then
			words=$(_dinitctl_services)
		fi ;;
	monitor)
		words=$(_dinitctl_services) ;;
	*)
		[ "$n" -eq 0 ] && words=$(_dinitctl_services) ;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}

complete -F _dinitctl dinitctl
