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

#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <paths.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmpx.h>

/*
 * Capabilities need libcap (to read the IAB text) and the kernel's
 * headers; a build without libcap (musl-gcc sees no kernel headers)
 * refuses them at load.  dinitctl's copy of this file (DINITCTL_OFFLINE,
 * see Makefile.am) leaves them unchecked instead, for dinit to check: it
 * reads descriptions only offline, for their dependencies and links, and
 * so needs no libcap (which it would link or load with dlopen).
 */
#ifdef DINITCTL_OFFLINE
#undef HAVE_LIBCAP
#undef LIBCAP_DLOPEN
#endif
#ifdef HAVE_LIBCAP
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sys/capability.h>
#endif
#ifdef LIBCAP_DLOPEN
#include <dlfcn.h>
#endif

/* ioprio_set(2)'s arguments, which the C library does not define. */
#define OSDEP_IOPRIO_WHO_PROCESS	1
#define OSDEP_IOPRIO_CLASS_SHIFT	13

#ifdef HAVE_LIBCAP
/* Our securebits flags are the kernel's. */
typedef char osdep_secbits_are_linux[
    OSDEP_SECBIT_NOROOT == SECBIT_NOROOT &&
    OSDEP_SECBIT_NOROOT_LOCKED == SECBIT_NOROOT_LOCKED &&
    OSDEP_SECBIT_NO_SETUID_FIXUP == SECBIT_NO_SETUID_FIXUP &&
    OSDEP_SECBIT_NO_SETUID_FIXUP_LOCKED == SECBIT_NO_SETUID_FIXUP_LOCKED &&
    OSDEP_SECBIT_KEEP_CAPS == SECBIT_KEEP_CAPS &&
    OSDEP_SECBIT_KEEP_CAPS_LOCKED == SECBIT_KEEP_CAPS_LOCKED ? 1 : -1];
#endif

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

/* The processes of a tree, found breadth first. */
struct linux_tree {
	pid_t		*pids;
	size_t		 n, cap;
};

/* At most this many processes are counted, whatever /proc says. */
#define LINUX_TREE_MAX	65536

/* Add a process to the tree; -1 when memory ran out. */
static int
linux_tree_add(struct linux_tree *t, pid_t pid)
{
	pid_t	*p;
	size_t	 cap;

	if (t->n >= LINUX_TREE_MAX)
		return (0);
	if (t->n == t->cap) {
		cap = t->cap == 0 ? 64 : t->cap * 2;
		if ((p = realloc(t->pids, cap * sizeof(*p))) == NULL)
			return (-1);
		t->pids = p;
		t->cap = cap;
	}
	t->pids[t->n++] = pid;
	return (0);
}

/*
 * Add the children listed in one /proc/PID/task/TID/children file, pids
 * parted by spaces, read whole however many.  -1 when that file does not
 * exist (a kernel without CONFIG_PROC_CHILDREN) or memory ran out; a
 * thread that ended meanwhile has no children.  Parsed by hand, as is
 * /proc/PID/stat below: dinitctl status reads them once, in a process
 * that has not yet run the C library's scanf (a third of the time it
 * spent measuring).
 */
static int
linux_tree_children_of(struct linux_tree *t, pid_t pid, long tid)
{
	char		 path[96], buf[4096];
	long		 child = -1;	/* -1: not in a number */
	ssize_t		 n, i;
	int		 fd, rc = 0;

	(void)snprintf(path, sizeof(path), "/proc/%ld/task/%ld/children",
	    (long)pid, tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (errno == ENOENT && t->n == 1 ? -1 : 0);
	while (rc == 0 && (n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; rc == 0 && i < n; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				if (child < 0)
					child = 0;
				if (child < INT_MAX / 10)
					child = child * 10 + (buf[i] - '0');
			} else if (child >= 0) {
				rc = linux_tree_add(t, (pid_t)child);
				child = -1;
			}
		}
	}
	if (rc == 0 && child >= 0)
		rc = linux_tree_add(t, (pid_t)child);
	(void)close(fd);
	return (rc);
}

/*
 * Add the children of every thread of a process (threads: how many it
 * has, 1 sparing the walk of /proc/PID/task).  -1 as
 * linux_tree_children_of.
 */
static int
linux_tree_children(struct linux_tree *t, pid_t pid, long threads)
{
	char		 path[64];
	struct dirent	*de;
	DIR		*dir;
	int		 rc = 0;

	if (threads == 1)
		return (linux_tree_children_of(t, pid, (long)pid));
	(void)snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	if ((dir = opendir(path)) == NULL)
		return (0);
	while (rc == 0 && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9')
			rc = linux_tree_children_of(t, pid, atol(de->d_name));
	}
	(void)closedir(dir);
	return (rc);
}

/*
 * Without children files: every process's parent from /proc/PID/stat, the
 * tree grown until no process of /proc has its parent in it.
 */
static int
linux_tree_scan(struct linux_tree *t)
{
	struct linux_tree	 all = { NULL, 0, 0 }, parents = { NULL, 0, 0 };
	struct dirent		*de;
	DIR			*dir;
	pid_t			 ppid;
	size_t			 i, j, had;
	int			 rc = 0;

	if ((dir = opendir("/proc")) == NULL)
		return (-1);
	while (rc == 0 && (de = readdir(dir)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9' ||
		    osdep_proc_parent((pid_t)atol(de->d_name), &ppid) != 0)
			continue;
		if ((rc = linux_tree_add(&all, (pid_t)atol(de->d_name))) == 0)
			rc = linux_tree_add(&parents, ppid);
	}
	(void)closedir(dir);
	do {
		had = t->n;
		for (i = 0; rc == 0 && i < all.n; i++) {
			if (all.pids[i] == 0)
				continue;
			for (j = 0; j < t->n; j++)
				if (parents.pids[i] == t->pids[j])
					break;
			if (j < t->n) {
				rc = linux_tree_add(t, all.pids[i]);
				all.pids[i] = 0;
			}
		}
	} while (rc == 0 && t->n > had);
	free(all.pids);
	free(parents.pids);
	return (rc);
}

/*
 * Read a small /proc file whole, NUL-terminated; its length, or -1.  A
 * read that returns less than it was asked for has reached the end: the
 * files read so (stat, statm) are made whole at the first read and handed
 * out as much as fits (single_open), so a second read for the end of
 * file would be a system call spent on nothing.  (Not so for the children
 * files, which are made a page at a time.)
 */
static ssize_t
linux_read_file(const char *path, char *buf, size_t len)
{
	ssize_t	n = 0, got = 0;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return (-1);
	while ((size_t)got < len - 1 &&
	    (n = read(fd, buf + got, len - 1 - (size_t)got)) > 0) {
		got += n;
		if ((size_t)n < len - 1 - (size_t)(got - n))
			break;
	}
	(void)close(fd);
	if (n < 0)
		return (-1);
	buf[got] = '\0';
	return (got);
}

/* The fields of /proc/PID/stat that we read (man 5 proc), counted from 1. */
#define LINUX_STAT_UTIME	14	/* then stime, cutime, cstime */
#define LINUX_STAT_THREADS	20

/*
 * The numeric fields of a /proc/PID/stat line, 4 (ppid) to
 * LINUX_STAT_THREADS, into f[4..]: they follow the state, after the last
 * ')' (the command before it may hold anything).  -1 when the line is
 * not so made.
 */
static int
linux_stat_fields(const char *buf, long long f[LINUX_STAT_THREADS + 1])
{
	const char	*p;
	char		*end;
	int		 i;

	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ' ||
	    p[2] == '\0' || p[3] != ' ')
		return (-1);
	p += 3;
	for (i = 4; i <= LINUX_STAT_THREADS; i++) {
		f[i] = strtoll(p, &end, 10);
		if (end == p || (*end != ' ' && *end != '\n' && *end != '\0'))
			return (-1);
		p = end;
	}
	return (0);
}

/*
 * Add one process's CPU time (/proc/PID/stat: utime, stime, cutime,
 * cstime) and resident set size (/proc/PID/statm's second field, in
 * pages); its number of threads goes to *threads.  -1 when the process
 * is gone.  Parsed by hand: dinitctl status reads them once, in a process
 * that has not run the C library's scanf yet.  NB: RSS, not PSS: a page
 * shared by several processes counts in each.  smaps_rollup has PSS, but
 * reading it walks the process's page tables (20 us for a small process,
 * more for a larger one), and with the scanf it was a good part of what
 * dinitctl status cost beyond dinitctl --version.  stat has an RSS too,
 * but Linux reads its counters there without summing the per-CPU parts:
 * a small process's anonymous pages may not show.
 */
static int
linux_proc_usage(pid_t pid, struct osdep_usage *u, long *threads)
{
	char		 path[64], buf[1024], *end;
	long long	 f[LINUX_STAT_THREADS + 1], pages;
	const char	*p;
	long		 tick, page;
	int		 i;

	(void)snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (linux_read_file(path, buf, sizeof(buf)) <= 0 ||
	    linux_stat_fields(buf, f) != 0)
		return (-1);
	if ((tick = sysconf(_SC_CLK_TCK)) <= 0)
		tick = 100;
	for (i = LINUX_STAT_UTIME; i < LINUX_STAT_UTIME + 4; i++)
		if (f[i] > 0)
			u->cpu_usec += (unsigned long long)f[i] * 1000000ULL /
			    (unsigned long)tick;
	*threads = (long)f[LINUX_STAT_THREADS];
	(void)snprintf(path, sizeof(path), "/proc/%ld/statm", (long)pid);
	if (linux_read_file(path, buf, sizeof(buf)) <= 0 ||
	    (p = strchr(buf, ' ')) == NULL ||
	    (pages = strtoll(p, &end, 10)) < 0 || end == p)
		return (-1);
	if ((page = sysconf(_SC_PAGESIZE)) <= 0)
		page = 4096;
	u->mem += (unsigned long long)pages * (unsigned long)page;
	u->procs++;
	return (0);
}

/*
 * Measure the processes of t, adding the children of each to it as it
 * goes (unless walk is 0: t is whole).  -1 with errno: ESRCH when the
 * first is gone, what linux_tree_children_of says.
 */
static int
linux_tree_measure(struct linux_tree *t, struct osdep_usage *u, int walk)
{
	size_t	i;
	long	threads;

	memset(u, 0, sizeof(*u));
	for (i = 0; i < t->n; i++) {
		if (linux_proc_usage(t->pids[i], u, &threads) != 0) {
			if (i == 0) {
				errno = ESRCH;
				return (-1);
			}
			continue;	/* gone: its children are not ours */
		}
		if (walk && linux_tree_children(t, t->pids[i], threads) != 0)
			return (-1);
	}
	return (0);
}

/* The tree's usage from /proc: see compat.h. */
int
osdep_tree_usage(pid_t pid, struct osdep_usage *u)
{
	struct linux_tree	 t = { NULL, 0, 0 };
	int			 rc, saved;

	if (linux_tree_add(&t, pid) != 0)
		return (-1);
	rc = linux_tree_measure(&t, u, 1);
	if (rc != 0 && errno != ENOMEM && errno != ESRCH) {
		/* No children files: find the tree from every parent. */
		t.n = 1;
		if ((rc = linux_tree_scan(&t)) == 0)
			rc = linux_tree_measure(&t, u, 0);
	}
	saved = errno;
	free(t.pids);
	errno = saved;
	return (rc);
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

#ifdef LIBCAP_DLOPEN
/*
 * libcap, loaded the first time a description sets capabilities or
 * securebits and kept from then on.  Mapped, the whole library is
 * resident and private to the daemon (40 KiB): the many systems whose
 * services set neither do without it.
 */
static struct {
	void			*handle;
	cap_iab_t		(*iab_from_text)(const char *);
	cap_flag_value_t	(*iab_get_vector)(cap_iab_t, cap_iab_vector_t,
				    cap_value_t);
	int			(*free)(void *);
} osdep_libcap;

/* Load libcap if it is not yet; -1 when it cannot be. */
static int
osdep_libcap_load(void)
{
	void	*h;

	if (osdep_libcap.handle != NULL)
		return (0);
	if ((h = dlopen(LIBCAP_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return (-1);
	*(void **)&osdep_libcap.iab_from_text = dlsym(h, "cap_iab_from_text");
	*(void **)&osdep_libcap.iab_get_vector = dlsym(h,
	    "cap_iab_get_vector");
	*(void **)&osdep_libcap.free = dlsym(h, "cap_free");
	if (osdep_libcap.iab_from_text == NULL ||
	    osdep_libcap.iab_get_vector == NULL || osdep_libcap.free == NULL) {
		(void)dlclose(h);
		return (-1);
	}
	osdep_libcap.handle = h;
	return (0);
}
#define cap_iab_from_text(t)		osdep_libcap.iab_from_text(t)
#define cap_iab_get_vector(i, v, c)	osdep_libcap.iab_get_vector(i, v, c)
#define cap_free(p)			osdep_libcap.free(p)
#endif

/* What this platform cannot do of a service's settings. */
const char *
osdep_unsupported(enum osdep_feature f)
{
	switch (f) {
	case OSDEP_CAPABILITIES:
#if defined(DINITCTL_OFFLINE)
		return (NULL);
#elif defined(LIBCAP_DLOPEN)
		return (osdep_libcap_load() == 0 ? NULL :
		    "libcap (" LIBCAP_SONAME ") cannot be loaded");
#elif defined(HAVE_LIBCAP)
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
 * no libcap (which allocates) between fork and exec.  In dinitctl, accept
 * it unread.
 */
int
osdep_caps_parse(const char *text, struct osdep_caps *c)
{
#ifdef HAVE_LIBCAP
	cap_iab_t	iab;
	cap_value_t	cap;

	c->has_iab = 1;
	c->inheritable = c->ambient = c->blocked = 0;
#ifdef LIBCAP_DLOPEN
	if (osdep_libcap_load() != 0) {
		errno = ENOTSUP;
		return (-1);
	}
#endif
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
#elif defined(DINITCTL_OFFLINE)
	memset(c, 0, sizeof(*c));
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
#ifdef HAVE_LIBCAP
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
#else
	errno = ENOTSUP;
	return (-1);
#endif
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

/*
 * Room for a child made by osdep_spawn_shared to run on until it execs:
 * the child of a launch calls little (spawn.c), and this lies in the
 * frame of osdep_spawn_shared while we wait.
 */
#define OSDEP_SPAWN_STACK	65536

#define OSDEP_EXITS_MAX		64	/* exits told in one epoll_wait */
#define OSDEP_SIGCHLD_MAX	16	/* SIGCHLDs read at once */

/* A pidfd of pid (Linux 5.3), or -1. */
static int
osdep_pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
	return ((int)syscall(SYS_pidfd_open, pid, 0));
#else
	errno = ENOSYS;
	return (-1);
#endif
}

/*
 * The queue is an epoll instance holding one pidfd per watched child (a
 * pidfd becomes readable when its process exits); the caller watches the
 * epoll descriptor itself.
 */
int
osdep_exits_open(void)
{
	int	fd;

	if ((fd = osdep_pidfd_open(getpid())) == -1)
		return (-1);
	(void)close(fd);
	return (epoll_create1(EPOLL_CLOEXEC));
}

/*
 * Watch a child through a pidfd numbered in [low, high).  One-shot: once
 * epoll has told the exit, it never tells it again, so the watch can end
 * with a close alone (osdep_exits_unwatch).
 */
int
osdep_exits_watch(int queue, pid_t pid, int low, int high, void *cookie)
{
	struct epoll_event	ev;
	int			fd, moved;

	if ((fd = osdep_pidfd_open(pid)) == -1)
		return (-1);
	if (fd < low) {
		moved = fcntl(fd, F_DUPFD_CLOEXEC, low);
		(void)close(fd);
		if ((fd = moved) == -1)
			return (-1);
	}
	if (fd >= high) {
		(void)close(fd);
		errno = EMFILE;
		return (-1);
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLONESHOT;
	ev.data.ptr = cookie;
	if (epoll_ctl(queue, EPOLL_CTL_ADD, fd, &ev) != 0) {
		(void)close(fd);
		return (-1);
	}
	return (fd);
}

/*
 * End a watch.  One not told yet is taken out of the queue before it is
 * closed: a child made by fork may still hold a copy, and epoll forgets a
 * descriptor only when its last copy closes, so the queue could still
 * tell an exit with a cookie that no longer means it.  A told one cannot
 * be told again (EPOLLONESHOT), so closing it is enough: one system call
 * less for every child reaped.
 */
void
osdep_exits_unwatch(int queue, int watch, int told)
{
	if (!told)
		(void)epoll_ctl(queue, EPOLL_CTL_DEL, watch, NULL);
	(void)close(watch);
}

/* The cookies of up to max exited children; 0 when none is left. */
int
osdep_exits_next(int queue, void **cookies, int max)
{
	struct epoll_event	ev[OSDEP_EXITS_MAX];
	int			i, n;

	if (max > OSDEP_EXITS_MAX)
		max = OSDEP_EXITS_MAX;
	do
		n = epoll_wait(queue, ev, max, 0);
	while (n < 0 && errno == EINTR);
	for (i = 0; i < n; i++)
		cookies[i] = ev[i].data.ptr;
	return (n);
}

/* SIGCHLD blocked, and read from a signalfd instead. */
int
osdep_sigchld_open(void)
{
	sigset_t	set;
	int		fd;

	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGCHLD);
	if ((fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		return (-1);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
		(void)close(fd);
		return (-1);
	}
	return (fd);
}

/* The pending SIGCHLDs, up to max, and the pid each names. */
int
osdep_sigchld_read(int fd, pid_t *pids, int max)
{
	struct signalfd_siginfo	si[OSDEP_SIGCHLD_MAX];
	ssize_t			r;
	int			i, n;

	if (max > OSDEP_SIGCHLD_MAX)
		max = OSDEP_SIGCHLD_MAX;
	do
		r = read(fd, si, (size_t)max * sizeof(si[0]));
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return (errno == EAGAIN ? 0 : -1);
	n = (int)((size_t)r / sizeof(si[0]));
	for (i = 0; i < n; i++)
		pids[i] = (pid_t)si[i].ssi_pid;
	return (n);
}

/*
 * clone(2) as vfork, sharing the descriptor table too.  NB: the child's
 * stack is the top of an array in this frame, which assumes a stack that
 * grows down (every architecture Linux runs on but hppa).
 */
pid_t
osdep_spawn_shared(int (*fn)(void *), void *arg)
{
	char	stack[OSDEP_SPAWN_STACK] __attribute__((__aligned__(16)));

	return (clone(fn, stack + sizeof(stack),
	    CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, arg));
}

/*
 * In the child of osdep_spawn_shared: a descriptor table of its own with
 * copies of those below first only (close_range(2) with
 * CLOSE_RANGE_UNSHARE, Linux 5.9), else a copy of all and the rest closed.
 */
int
osdep_unshare_fds(int first)
{
#if defined(SYS_close_range) && defined(CLOSE_RANGE_UNSHARE)
	if (syscall(SYS_close_range, (unsigned)first, ~0U,
	    CLOSE_RANGE_UNSHARE) == 0)
		return (0);
#endif
	if (unshare(CLONE_FILES) != 0)
		return (-1);
	closefrom(first);
	return (0);
}

/*
 * Control groups (cgroup v2).  The cgroup2 file system is found in
 * mountinfo, never assumed at /sys/fs/cgroup: a hybrid layout has it at
 * /sys/fs/cgroup/unified.  Cgroup paths here are as /proc/self/cgroup
 * writes them, from the root of that mount, cleaned ("/a/b").
 *
 * The paths are allocated on first use (osdep_cgroup_base), not in .bss:
 * there, 12 KiB between other variables kept a page of them apart, and
 * resident, in a daemon that uses no cgroup.
 */
struct cgroup_paths {
	char	mount[PATH_MAX];	/* where cgroup2 is mounted */
	char	self[PATH_MAX];		/* our own cgroup, "" if unknown */
	char	rel[PATH_MAX];		/* the base of relative paths */
};
static struct cgroup_paths	*cgroup;
static int			 cgroup_ready;	/* cgroup is filled */

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void
cgroup_unescape(char *s)
{
	char	*d = s;

	for (; *s != '\0'; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 3;
		} else
			*d++ = *s;
	}
	*d = '\0';
}

/* Find the first cgroup2 mount in /proc/self/mountinfo. */
static int
cgroup_find_mount(char *buf, size_t size)
{
	FILE	*fp;
	char	 line[4096], *sep, *field[5], *p;
	int	 i, found = 0;

	if ((fp = fopen("/proc/self/mountinfo", "re")) == NULL)
		return (-1);
	while (!found && fgets(line, sizeof(line), fp) != NULL) {
		/* id parent major:minor root mountpoint ... - fstype ... */
		if ((sep = strstr(line, " - ")) == NULL ||
		    strncmp(sep + 3, "cgroup2 ", 8) != 0)
			continue;
		*sep = '\0';
		for (i = 0, p = line; i < 5; i++)
			field[i] = strsep(&p, " ");
		if (field[4] == NULL)
			continue;
		cgroup_unescape(field[4]);
		found = strlcpy(buf, field[4], size) < size;
	}
	(void)fclose(fp);
	if (!found)
		errno = ENOENT;
	return (found ? 0 : -1);
}

/* Our own cgroup, from the "0::" line of /proc/self/cgroup. */
static int
cgroup_find_self(char *buf, size_t size)
{
	FILE	*fp;
	char	 line[PATH_MAX + 8];
	int	 found = 0;

	if ((fp = fopen("/proc/self/cgroup", "re")) == NULL)
		return (-1);
	while (!found && fgets(line, sizeof(line), fp) != NULL) {
		if (strncmp(line, "0::/", 4) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		found = strlcpy(buf, line + 3, size) < size;
	}
	(void)fclose(fp);
	if (!found)
		errno = ENOENT;
	return (found ? 0 : -1);
}

/*
 * Clean a path that starts with '/' in place: no empty or "." parts, and
 * ".." takes the part before it away (at the root it stays there).
 */
static void
cgroup_clean(char *path)
{
	char	*in = path, *out = path, *part;
	size_t	 len;

	while (*in != '\0') {
		while (*in == '/')
			in++;
		part = in;
		while (*in != '\0' && *in != '/')
			in++;
		len = (size_t)(in - part);
		if (len == 0 || (len == 1 && part[0] == '.'))
			continue;
		if (len == 2 && part[0] == '.' && part[1] == '.') {
			while (out > path && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, part, len);
		out += len;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
}

/* Note the cgroup2 mount, our own cgroup, and the base of relative paths. */
int
osdep_cgroup_base(const char *base)
{
	char		dir[PATH_MAX];
	struct stat	sb;

	cgroup_ready = 0;
	if (cgroup == NULL && (cgroup = malloc(sizeof(*cgroup))) == NULL)
		return (-1);
	if (cgroup_find_mount(cgroup->mount, sizeof(cgroup->mount)) != 0)
		return (-1);
	if (cgroup_find_self(cgroup->self, sizeof(cgroup->self)) != 0)
		cgroup->self[0] = '\0';
	if (base == NULL)
		base = cgroup->self[0] != '\0' ? cgroup->self : "/";
	if ((size_t)snprintf(cgroup->rel, sizeof(cgroup->rel), "/%s", base) >=
	    sizeof(cgroup->rel)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	cgroup_clean(cgroup->rel);
	if ((size_t)snprintf(dir, sizeof(dir), "%s%s", cgroup->mount,
	    cgroup->rel) >= sizeof(dir)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if (stat(dir, &sb) != 0)
		return (-1);
	if (!S_ISDIR(sb.st_mode)) {
		errno = ENOTDIR;
		return (-1);
	}
	cgroup_ready = 1;
	return (0);
}

/* The directory of a run-in-cgroup path. */
int
osdep_cgroup_dir(const char *path, char *buf, size_t size)
{
	char	rel[PATH_MAX];
	int	n;

	if (!cgroup_ready && osdep_cgroup_base(NULL) != 0)
		return (-1);
	if (path[0] == '/')
		n = snprintf(rel, sizeof(rel), "%s", path);
	else
		n = snprintf(rel, sizeof(rel), "%s/%s", cgroup->rel, path);
	if (n < 0 || (size_t)n >= sizeof(rel)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	cgroup_clean(rel);
	n = snprintf(buf, size, "%s%s", cgroup->mount,
	    strcmp(rel, "/") == 0 ? "" : rel);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (0);
}

/* Write a short string to a file of a cgroup directory. */
static int
cgroup_write(const char *dir, const char *file, const char *text)
{
	char	path[PATH_MAX];
	size_t	dlen = strlen(dir), flen = strlen(file), tlen = strlen(text);
	int	fd, saved;

	if (dlen + flen + 2 > sizeof(path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	memcpy(path, dir, dlen);
	path[dlen] = '/';
	memcpy(path + dlen + 1, file, flen + 1);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return (-1);
	if (write(fd, text, tlen) != (ssize_t)tlen) {
		saved = errno;
		(void)close(fd);
		errno = saved;
		return (-1);
	}
	return (close(fd));
}

/*
 * In the child: "0" written to cgroup.procs moves the writer.  Only
 * open, write and close, so it is safe between vfork and exec.
 */
int
osdep_cgroup_join(const char *dir)
{
	return (cgroup_write(dir, "cgroup.procs", "0"));
}

/*
 * Whether dir may be killed: under the cgroup2 mount, not its root, and
 * not our own cgroup or one above it (cgroup.kill would reach us).
 */
static int
cgroup_may_kill(const char *dir)
{
	size_t		 mlen, rlen;
	const char	*rel;

	if (!cgroup_ready || cgroup->self[0] == '\0')
		return (0);
	mlen = strlen(cgroup->mount);
	if (strncmp(dir, cgroup->mount, mlen) != 0 || dir[mlen] != '/')
		return (0);
	rel = dir + mlen;
	rlen = strlen(rel);
	if (strncmp(cgroup->self, rel, rlen) == 0 &&
	    (cgroup->self[rlen] == '\0' || cgroup->self[rlen] == '/'))
		return (0);
	return (1);
}

/* Signal every process listed in the cgroup.procs of dir, but us. */
static int
cgroup_signal_procs(const char *dir, int sig)
{
	char	path[PATH_MAX];
	FILE	*fp;
	long	 pid;

	if ((size_t)snprintf(path, sizeof(path), "%s/cgroup.procs", dir) >=
	    sizeof(path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if ((fp = fopen(path, "re")) == NULL)
		return (-1);
	while (fscanf(fp, "%ld", &pid) == 1)
		if (pid > 0 && (pid_t)pid != getpid())
			(void)kill((pid_t)pid, sig);
	(void)fclose(fp);
	return (0);
}

/*
 * Signal a cgroup.  SIGKILL goes through cgroup.kill (Linux 5.14), which
 * reaches the whole subtree and cannot be outrun by a fork; without it,
 * the cgroup is frozen while each of its processes is killed, so none can
 * fork meanwhile (SIGKILL still ends a frozen process).  Other signals go
 * to each process of cgroup.procs.
 */
int
osdep_cgroup_kill(const char *dir, int sig)
{
	int	frozen, r;

	if (!cgroup_may_kill(dir)) {
		errno = EPERM;
		return (-1);
	}
	if (sig != SIGKILL)
		return (cgroup_signal_procs(dir, sig));
	if (cgroup_write(dir, "cgroup.kill", "1") == 0)
		return (0);
	frozen = cgroup_write(dir, "cgroup.freeze", "1") == 0;
	r = cgroup_signal_procs(dir, SIGKILL);
	if (frozen)
		(void)cgroup_write(dir, "cgroup.freeze", "0");
	return (r);
}

/* No reapers below PID 1 here: a subreaper is not per service. */
int
osdep_reaper_supported(void)
{
	return (0);
}

/* Not used on Linux: a service's tree is its cgroup. */
int
osdep_reaper_acquire(void)
{
	errno = ENOSYS;
	return (-1);
}

/* Not used on Linux. */
int
osdep_reaper_kill(pid_t pid, int sig)
{
	errno = ENOSYS;
	return (-1);
}
