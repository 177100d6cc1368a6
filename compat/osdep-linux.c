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

#include <linux/capability.h>
#include <linux/securebits.h>
#ifdef HAVE_LIBCAP
#include <sys/capability.h>
#endif

/* ioprio_set(2)'s arguments, which the C library does not define. */
#define OSDEP_IOPRIO_WHO_PROCESS	1
#define OSDEP_IOPRIO_CLASS_SHIFT	13

/* Our securebits flags are the kernel's. */
typedef char osdep_secbits_are_linux[
    OSDEP_SECBIT_NOROOT == SECBIT_NOROOT &&
    OSDEP_SECBIT_NOROOT_LOCKED == SECBIT_NOROOT_LOCKED &&
    OSDEP_SECBIT_NO_SETUID_FIXUP == SECBIT_NO_SETUID_FIXUP &&
    OSDEP_SECBIT_NO_SETUID_FIXUP_LOCKED == SECBIT_NO_SETUID_FIXUP_LOCKED &&
    OSDEP_SECBIT_KEEP_CAPS == SECBIT_KEEP_CAPS &&
    OSDEP_SECBIT_KEEP_CAPS_LOCKED == SECBIT_KEEP_CAPS_LOCKED ? 1 : -1];

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

/* What this platform cannot do of a service's settings. */
const char *
osdep_unsupported(enum osdep_feature f)
{
	switch (f) {
	case OSDEP_CAPABILITIES:
#ifdef HAVE_LIBCAP
		return (NULL);
#else
		return ("dinit was built without libcap");
#endif
	case OSDEP_UTMPX:
#if defined(HAVE_GETUTXENT) && defined(_PATH_UTMPX)
		return (NULL);
#else
		/* musl's utmpx functions do nothing. */
		return ("the C library keeps no utmpx records");
#endif
	default:
		return (NULL);
	}
}

/*
 * Read an IAB string with libcap into bit masks, so that the child needs
 * no libcap (which allocates) between fork and exec.
 */
int
osdep_caps_parse(const char *text, struct osdep_caps *c)
{
#ifdef HAVE_LIBCAP
	cap_iab_t	iab;
	cap_value_t	cap;

	c->has_iab = 1;
	c->inheritable = c->ambient = c->blocked = 0;
	if ((iab = cap_iab_from_text(text)) == NULL) {
		errno = EINVAL;
		return (-1);
	}
	for (cap = 0; cap < 64; cap++) {
		if (cap_iab_get_vector(iab, CAP_IAB_INH, cap) == CAP_SET)
			c->inheritable |= (uint64_t)1 << cap;
		if (cap_iab_get_vector(iab, CAP_IAB_AMB, cap) == CAP_SET)
			c->ambient |= (uint64_t)1 << cap;
		if (cap_iab_get_vector(iab, CAP_IAB_BOUND, cap) == CAP_SET)
			c->blocked |= (uint64_t)1 << cap;
	}
	(void)cap_free(iab);
	return (0);
#else
	errno = ENOTSUP;
	return (-1);
#endif
}

/* PR_SET_KEEPCAPS: setuid keeps the permitted set (not the effective). */
int
osdep_caps_keep(void)
{
	return (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
}

/*
 * Set the inheritable set, drop the blocked capabilities from the
 * bounding set, make the ambient set, then the securebits, as
 * cap_iab_set_proc(3) and cap_set_secbits(3) would, by system calls
 * alone.  The effective set is raised to the permitted one first: after
 * a setuid it is empty, and dropping from the bounding set and setting
 * securebits need CAP_SETPCAP.  exec computes it anew.
 */
int
osdep_caps_apply(const struct osdep_caps *c)
{
	struct __user_cap_header_struct	hdr;
	struct __user_cap_data_struct	data[2];
	int				i;

	memset(&hdr, 0, sizeof(hdr));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &hdr, data) != 0)
		return (-1);
	for (i = 0; i < 2; i++) {
		data[i].effective = data[i].permitted;
		if (c->has_iab)
			data[i].inheritable = (uint32_t)(c->inheritable >>
			    (32 * i));
	}
	if (syscall(SYS_capset, &hdr, data) != 0)
		return (-1);
	if (c->has_iab) {
		for (i = 0; i < 64; i++) {
			/* EINVAL: a capability this kernel does not have. */
			if ((c->blocked >> i & 1) != 0 &&
			    prctl(PR_CAPBSET_DROP, i, 0, 0, 0) != 0 &&
			    errno != EINVAL)
				return (-1);
		}
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0,
		    0) != 0)
			return (-1);
		for (i = 0; i < 64; i++) {
			if ((c->ambient >> i & 1) != 0 &&
			    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i, 0,
			    0) != 0)
				return (-1);
		}
	}
	if (c->has_securebits &&
	    prctl(PR_SET_SECUREBITS, (unsigned long)c->securebits, 0, 0,
	    0) != 0)
		return (-1);
	return (0);
}

/* PR_SET_NO_NEW_PRIVS. */
int
osdep_no_new_privs(void)
{
	return (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
}

/* ioprio_set(2) on ourselves: IOPRIO_PRIO_VALUE(class, level). */
int
osdep_ioprio(int class, int level)
{
	return ((int)syscall(SYS_ioprio_set, OSDEP_IOPRIO_WHO_PROCESS, 0,
	    class << OSDEP_IOPRIO_CLASS_SHIFT | level));
}

/* Write /proc/self/oom_score_adj (proc must be mounted). */
int
osdep_oom_score_adj(int adj)
{
	char		 buf[16];
	size_t		 n = sizeof(buf);
	unsigned	 u = adj < 0 ? (unsigned)-adj : (unsigned)adj;
	ssize_t		 w;
	int		 fd, saved_errno;

	buf[--n] = '\n';
	do
		buf[--n] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (adj < 0)
		buf[--n] = '-';
	if ((fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC)) < 0)
		return (-1);
	w = write(fd, buf + n, sizeof(buf) - n);
	saved_errno = errno;
	(void)close(fd);
	errno = saved_errno;
	return (w == (ssize_t)(sizeof(buf) - n) ? 0 : -1);
}

/*
 * The kernel gives init TERM=linux; when it is gone, that is still what
 * a virtual terminal emulates.
 */
const char *
osdep_console_term(void)
{
	return ("linux");
}
