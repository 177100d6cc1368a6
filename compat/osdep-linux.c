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

/* The platform layer for Linux. */

#include "compat.h"

#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include <errno.h>
#include <fcntl.h>
#include <paths.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <utmpx.h>

/* Name of this platform layer. */
const char *
osdep_name(void)
{
	return ("linux");
}

/* Become the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER). */
int
osdep_set_subreaper(void)
{
#ifdef PR_SET_CHILD_SUBREAPER
	return (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
#else
	errno = ENOSYS;
	return (-1);
#endif
}

/* PID 1, or a subreaper (PR_GET_CHILD_SUBREAPER). */
int
osdep_is_reaper(void)
{
	int	on = 0;

	if (getpid() == 1)
		return (1);
#ifdef PR_GET_CHILD_SUBREAPER
	if (prctl(PR_GET_CHILD_SUBREAPER, &on, 0, 0, 0) != 0)
		return (0);
#endif
	return (on != 0);
}

/* /proc tells a process's parent, so daemons can be adopted. */
int
osdep_can_adopt(void)
{
	return (1);
}

/*
 * The parent from /proc/PID/stat: "pid (comm) state ppid ...", where
 * comm may hold anything, parentheses included, so the fields are found
 * after the last ')'.
 */
int
osdep_proc_parent(pid_t pid, pid_t *ppid)
{
	char		 path[64], buf[1024], *p;
	long		 n;
	ssize_t		 len;
	int		 fd;

	(void)snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			errno = ESRCH;
		return (-1);
	}
	len = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (len <= 0) {
		errno = ESRCH;
		return (-1);
	}
	buf[len] = '\0';
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %ld", &n) != 1) {
		errno = EINVAL;
		return (-1);
	}
	*ppid = (pid_t)n;
	return (0);
}

/* A pidfd (pidfd_open, Linux 5.3), readable once the process has ended. */
int
osdep_pid_watch(pid_t pid)
{
#ifdef SYS_pidfd_open
	int	fd;

	if ((fd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0)
		return (-1);
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	return (fd);
#else
	errno = ENOSYS;
	return (-1);
#endif
}

/*
 * A pidfd does not tell the status of a process that is not our child
 * (and one that is, waitpid gives): say it exited with status 255, a
 * failure, in Linux's layout of a wait status.
 */
int
osdep_pid_watch_status(int fd, int *status)
{
	*status = 255 << 8;
	return (0);
}

/* The peer's user id, from SO_PEERCRED. */
int
osdep_peer_uid(int fd, uid_t *uid)
{
	struct ucred	cred;
	socklen_t	len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
		return (-1);
	if (len != sizeof(cred)) {
		errno = EINVAL;
		return (-1);
	}
	*uid = cred.uid;
	return (0);
}

/*
 * End the machine.  Inside a PID namespace the kernel ends the namespace
 * instead: its parent sees init killed by SIGINT (halt, power off) or
 * SIGHUP (reboot).
 */
int
osdep_reboot(enum osdep_how how)
{
	if (getpid() != 1) {
		errno = EPERM;
		return (-1);
	}
	return (osdep_reboot_now(how));
}

/*
 * End the machine now, from any process with CAP_SYS_BOOT; in a PID
 * namespace, end the namespace as osdep_reboot does.
 */
int
osdep_reboot_now(enum osdep_how how)
{
	int	cmd;

	switch (how) {
	case OSDEP_HALT:
		cmd = RB_HALT_SYSTEM;
		break;
	case OSDEP_POWEROFF:
		cmd = RB_POWER_OFF;
		break;
	default:
		cmd = RB_AUTOBOOT;
		break;
	}
	return (reboot(cmd));
}

/*
 * As PID 1: RB_DISABLE_CAD, so the kernel sends SIGINT to init on
 * ctrl-alt-del.  Otherwise: write our pid to /proc/sys/kernel/cad_pid
 * (once /proc is mounted) so the signal comes to us.
 */
int
osdep_cad_setup(int pid1)
{
	char	buf[32];
	int	fd, len;
	ssize_t	n;

	if (pid1)
		return (reboot(RB_DISABLE_CAD));
	if ((fd = open("/proc/sys/kernel/cad_pid", O_WRONLY | O_CLOEXEC)) < 0)
		return (-1);
	len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	n = write(fd, buf, (size_t)len);
	(void)close(fd);
	return (n == len ? 0 : -1);
}

/* The signals a system manager watches on Linux. */
const int *
osdep_manager_signals(void)
{
	static const int	sigs[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP,
	    SIGUSR1, SIGUSR2, 0 };

	return (sigs);
}

/*
 * Linux: SIGINT is ctrl-alt-del (reboot), SIGTERM halts, SIGQUIT ends at
 * once without stopping services in order.
 */
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

/* Linux passes no flags of its own to init. */
int
osdep_kernel_args(int argc, char **argv, int *single)
{
	*single = 0;
	return (argc);
}

/*
 * The kernel hands init every word of its command line it does not know
 * ("quiet", "splash", ...): only "single" (or "S") means something to us.
 * Services can still be named with -t.
 */
int
osdep_kernel_word(const char *word)
{
	if (strcmp(word, "single") == 0 || strcmp(word, "S") == 0)
		return (OSDEP_WORD_SINGLE);
	return (OSDEP_WORD_IGNORE);
}

/* Write a BOOT_TIME record to wtmp and utmp. */
int
osdep_boot_record(void)
{
	struct utmpx	ut;
	struct timeval	tv;

	memset(&ut, 0, sizeof(ut));
	ut.ut_type = BOOT_TIME;
	(void)strlcpy(ut.ut_line, "~", sizeof(ut.ut_line));
	(void)strlcpy(ut.ut_user, "reboot", sizeof(ut.ut_user));
	(void)gettimeofday(&tv, NULL);
	ut.ut_tv.tv_sec = tv.tv_sec;
	ut.ut_tv.tv_usec = tv.tv_usec;
	updwtmpx(_PATH_WTMP, &ut);
	setutxent();
	(void)pututxline(&ut);
	endutxent();
	return (0);
}

/*
 * Write a shutdown record to wtmp, as last(1) -x reads it: a run-level
 * record of user "shutdown".  updwtmpx says nothing of failure, and does
 * not create the file: check that it can be written first.
 */
int
osdep_shutdown_record(void)
{
	struct utmpx	ut;
	struct timeval	tv;

	if (access(_PATH_WTMP, W_OK) != 0)
		return (-1);
	memset(&ut, 0, sizeof(ut));
	ut.ut_type = RUN_LVL;
	ut.ut_pid = '0';
	(void)strlcpy(ut.ut_line, "~", sizeof(ut.ut_line));
	memcpy(ut.ut_id, "~~", 2);
	(void)strlcpy(ut.ut_user, "shutdown", sizeof(ut.ut_user));
	(void)gettimeofday(&tv, NULL);
	ut.ut_tv.tv_sec = tv.tv_sec;
	ut.ut_tv.tv_usec = tv.tv_usec;
	updwtmpx(_PATH_WTMP, &ut);
	return (0);
}
