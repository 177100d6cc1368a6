/*
 * Copyright (c) 2026 The dinit authors.
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/* The platform layer for systems we know nothing particular about. */

#include "compat.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

/* Name of this platform layer. */
const char *
osdep_name(void)
{
	return ("unknown");
}

/* No portable way to adopt orphans: say so. */
int
osdep_set_subreaper(void)
{
	errno = ENOSYS;
	return (-1);
}

/* Orphans come to us only as PID 1. */
int
osdep_is_reaper(void)
{
	return (getpid() == 1);
}

/*
 * No known way to tell a process's parent, so a daemon's ancestry cannot
 * be checked: bgprocess services are refused at load.
 */
int
osdep_can_adopt(void)
{
	return (0);
}

/* No known way to tell a process's parent. */
int
osdep_proc_parent(pid_t pid, pid_t *ppid)
{
	errno = ENOSYS;
	return (-1);
}

/* No known way to measure a process tree. */
int
osdep_tree_usage(pid_t pid, struct osdep_usage *u)
{
	errno = ENOSYS;
	return (-1);
}

/* No known way to watch a process that is not our child. */
int
osdep_pid_watch(pid_t pid)
{
	errno = ENOSYS;
	return (-1);
}

/* Nothing to tell. */
int
osdep_pid_watch_status(int fd, int *status)
{
	errno = ENOSYS;
	return (-1);
}

/*
 * No known way to learn a peer's identity: fail closed, so no peer is
 * taken for root.
 */
int
osdep_peer_uid(int fd, uid_t *uid)
{
	errno = ENOSYS;
	return (-1);
}

/* No known way to end the machine. */
int
osdep_reboot(enum osdep_how how)
{
	errno = ENOSYS;
	return (-1);
}

/* No known way to end the machine. */
int
osdep_reboot_now(enum osdep_how how)
{
	errno = ENOSYS;
	return (-1);
}

/* No known ctrl-alt-del arrangement. */
int
osdep_cad_setup(int pid1)
{
	errno = ENOSYS;
	return (-1);
}

/* The common signals. */
const int *
osdep_manager_signals(void)
{
	static const int	sigs[] = { SIGINT, SIGTERM, SIGQUIT, 0 };

	return (sigs);
}

/* The meanings most inits share. */
enum osdep_action
osdep_signal_action(int sig)
{
	switch (sig) {
	case SIGINT:
		return (OSDEP_ACT_REBOOT);
	case SIGTERM:
		return (OSDEP_ACT_HALT);
	case SIGQUIT:
		return (OSDEP_ACT_IMMEDIATE);
	default:
		return (OSDEP_ACT_NONE);
	}
}

/* Arguments are taken as they come. */
int
osdep_kernel_args(int argc, char **argv, int *single)
{
	*single = 0;
	return (argc);
}

/* No known login accounting. */
int
osdep_boot_record(void)
{
	errno = ENOSYS;
	return (-1);
}

/* Every bare word names a service. */
int
osdep_kernel_word(const char *word)
{
	return (OSDEP_WORD_SERVICE);
}

/* No known login accounting. */
int
osdep_shutdown_record(void)
{
	errno = ENOSYS;
	return (-1);
}

/*
 * None of the platform's own settings are known here; utmpx is POSIX,
 * kept where the C library has it.
 */
const char *
osdep_unsupported(enum osdep_feature f)
{
	switch (f) {
	case OSDEP_CAPABILITIES:
		return ("no known capabilities");
	case OSDEP_NO_NEW_PRIVS:
		return ("no known way to refuse new privileges");
	case OSDEP_IOPRIO:
		return ("no known I/O priorities");
	case OSDEP_OOM_SCORE_ADJ:
		return ("no known out-of-memory score");
	case OSDEP_UTMPX:
#ifdef HAVE_GETUTXENT
		return (NULL);
#else
		return ("the C library keeps no utmpx records");
#endif
	case OSDEP_CGROUPS:
		return ("no known control groups");
	default:
		return (NULL);
	}
}

/* Refused at load. */
int
osdep_no_new_privs(void)
{
	errno = ENOTSUP;
	return (-1);
}

/* Nothing known of the console. */
const char *
osdep_console_term(void)
{
	return (NULL);
}

/* No way to be told of each child's exit here: waitpid(-1) finds them. */
int
osdep_exits_open(void)
{
	errno = ENOSYS;
	return (-1);
}

/* Never called: there is no queue. */
int
osdep_exits_watch(int queue, pid_t pid, int low, int high, void *cookie)
{
	errno = ENOSYS;
	return (-1);
}

/* Never called: there is no queue. */
void
osdep_exits_unwatch(int queue, int watch, int told)
{
}

/* Never called: there is no queue. */
int
osdep_exits_next(int queue, void **cookies, int max)
{
	return (0);
}

/* No reapers below PID 1: a service is its process group. */
int
osdep_reaper_supported(void)
{
	return (0);
}

/* No reapers below PID 1. */
int
osdep_reaper_acquire(void)
{
	errno = ENOSYS;
	return (-1);
}

/* No reapers below PID 1. */
int
osdep_reaper_kill(pid_t pid, int sig)
{
	errno = ENOSYS;
	return (-1);
}
