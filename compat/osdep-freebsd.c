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

/* The platform layer for FreeBSD. */

#include "compat.h"

#include <sys/types.h>
#include <sys/event.h>
#include <sys/procctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/sysctl.h>
#include <sys/time.h>
#include <sys/user.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utmpx.h>

/* Name of this platform layer. */
const char *
osdep_name(void)
{
	return ("freebsd");
}

/* Become the reaper of orphaned descendants (PROC_REAP_ACQUIRE). */
int
osdep_set_subreaper(void)
{
	return (procctl(P_PID, getpid(), PROC_REAP_ACQUIRE, NULL));
}

/* PID 1, or the reaper of our descendants (PROC_REAP_STATUS). */
int
osdep_is_reaper(void)
{
	struct procctl_reaper_status	rs;

	if (getpid() == 1)
		return (1);
	if (procctl(P_PID, getpid(), PROC_REAP_STATUS, &rs) != 0)
		return (0);
	return ((rs.rs_flags & REAPER_STATUS_OWNED) != 0);
}

/* kern.proc tells a process's parent, so daemons can be adopted. */
int
osdep_can_adopt(void)
{
	return (1);
}

/* The parent, from the kern.proc.pid sysctl. */
int
osdep_proc_parent(pid_t pid, pid_t *ppid)
{
	struct kinfo_proc	kp;
	size_t			len = sizeof(kp);
	int			mib[4] = { CTL_KERN, KERN_PROC, KERN_PROC_PID,
				    (int)pid };

	if (sysctl(mib, 4, &kp, &len, NULL, 0) != 0)
		return (-1);
	if (len == 0) {
		errno = ESRCH;
		return (-1);
	}
	*ppid = kp.ki_ppid;
	return (0);
}

/*
 * The tree's usage from every process's kinfo_proc (kern.proc.proc):
 * the tree grown by ki_ppid until nothing more joins it, each member's
 * ki_rssize (RSS: FreeBSD has no proportional size) and ki_runtime plus
 * the user and system time of the children it reaped.
 */
int
osdep_tree_usage(pid_t pid, struct osdep_usage *u)
{
	struct kinfo_proc	*kp = NULL;
	unsigned char		*in;
	size_t			 len = 0, n, i, j, had;
	int			 mib[3] = { CTL_KERN, KERN_PROC, KERN_PROC_PROC };
	int			 found = 0, tries;

	memset(u, 0, sizeof(*u));
	for (tries = 0; tries < 4; tries++) {
		if (sysctl(mib, 3, NULL, &len, NULL, 0) != 0)
			return (-1);
		len += len / 8;		/* room for processes born meanwhile */
		free(kp);
		if ((kp = malloc(len)) == NULL)
			return (-1);
		if (sysctl(mib, 3, kp, &len, NULL, 0) == 0)
			break;
		if (errno != ENOMEM) {
			free(kp);
			return (-1);
		}
	}
	n = len / sizeof(*kp);
	if (tries == 4 || (in = calloc(n + 1, 1)) == NULL) {
		free(kp);
		errno = ENOMEM;
		return (-1);
	}
	for (i = 0; i < n; i++)
		if (kp[i].ki_pid == pid)
			in[i] = found = 1;
	do {
		had = u->procs;
		u->procs = 0;
		for (i = 0; i < n; i++) {
			for (j = 0; !in[i] && j < n; j++)
				if (in[j] && kp[j].ki_pid == kp[i].ki_ppid)
					in[i] = 1;
			u->procs += in[i];
		}
	} while (found && u->procs > had);
	for (i = 0; i < n; i++) {
		if (!in[i])
			continue;
		u->mem += (unsigned long long)kp[i].ki_rssize * getpagesize();
		u->cpu_usec += kp[i].ki_runtime +
		    kp[i].ki_childutime.tv_sec * 1000000ULL +
		    kp[i].ki_childutime.tv_usec +
		    kp[i].ki_childstime.tv_sec * 1000000ULL +
		    kp[i].ki_childstime.tv_usec;
	}
	free(in);
	free(kp);
	if (!found) {
		errno = ESRCH;
		return (-1);
	}
	return (0);
}

/*
 * A kqueue watching the process for NOTE_EXIT: a kqueue is readable
 * while it has events, so the loop can watch it like any descriptor.
 */
int
osdep_pid_watch(pid_t pid)
{
	struct kevent	ev;
	int		kq, saved_errno;

	if ((kq = kqueue()) < 0)
		return (-1);
	(void)fcntl(kq, F_SETFD, FD_CLOEXEC);
	EV_SET(&ev, (uintptr_t)pid, EVFILT_PROC, EV_ADD | EV_ONESHOT,
	    NOTE_EXIT, 0, NULL);
	if (kevent(kq, &ev, 1, NULL, 0, NULL) != 0) {
		saved_errno = errno;
		(void)close(kq);
		errno = saved_errno;
		return (-1);
	}
	return (kq);
}

/* NOTE_EXIT carries the wait status of the process in its data. */
int
osdep_pid_watch_status(int kq, int *status)
{
	struct kevent	ev;
	struct timespec	zero = { 0, 0 };

	if (kevent(kq, NULL, 0, &ev, 1, &zero) != 1 ||
	    (ev.fflags & NOTE_EXIT) == 0) {
		errno = EAGAIN;
		return (-1);
	}
	*status = (int)ev.data;
	return (0);
}

/* The peer's user id, from getpeereid(3) (LOCAL_PEERCRED underneath). */
int
osdep_peer_uid(int fd, uid_t *uid)
{
	gid_t	gid;

	return (getpeereid(fd, uid, &gid));
}

/* End the machine (only ever as PID 1). */
int
osdep_reboot(enum osdep_how how)
{
	if (getpid() != 1) {
		errno = EPERM;
		return (-1);
	}
	return (osdep_reboot_now(how));
}

/* End the machine now, from any process root runs. */
int
osdep_reboot_now(enum osdep_how how)
{
	int	howto;

	switch (how) {
	case OSDEP_HALT:
		howto = RB_HALT;
		break;
	case OSDEP_POWEROFF:
		howto = RB_HALT | RB_POWEROFF;
		break;
	default:
		howto = RB_AUTOBOOT;
		break;
	}
	return (reboot(howto));
}

/* FreeBSD's kernel signals init itself on ctrl-alt-del: nothing to do. */
int
osdep_cad_setup(int pid1)
{
	return (0);
}

/* The signals FreeBSD's kernel and tools send to init. */
const int *
osdep_manager_signals(void)
{
	static const int	sigs[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP,
	    SIGUSR1, SIGUSR2, SIGWINCH, 0 };

	return (sigs);
}

/*
 * FreeBSD's init(8) conventions: SIGINT reboot, SIGUSR1 halt, SIGUSR2
 * power off, SIGTERM single-user, SIGHUP re-read; SIGQUIT as on Linux.
 * NB: SIGWINCH (power cycle) reboots; SIGTSTP (what reboot(8) sends
 * before killing everything itself) is not acted on.
 */
enum osdep_action
osdep_signal_action(int sig)
{
	switch (sig) {
	case SIGINT:
	case SIGWINCH:		/* power cycle: a reboot is the nearest */
		return (OSDEP_ACT_REBOOT);
	case SIGUSR1:
		return (OSDEP_ACT_HALT);
	case SIGUSR2:
		return (OSDEP_ACT_POWEROFF);
	case SIGTERM:
		return (OSDEP_ACT_SINGLE);
	case SIGHUP:
		return (OSDEP_ACT_RELOAD);
	case SIGQUIT:
		return (OSDEP_ACT_IMMEDIATE);
	default:
		return (OSDEP_ACT_NONE);
	}
}

/* The kernel runs init with "-s" for a single-user boot. */
int
osdep_kernel_args(int argc, char **argv, int *single)
{
	int	i, out = 1;

	*single = 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-s") == 0)
			*single = 1;
		else
			argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return (out);
}

/*
 * Write a utmpx record of the given type; pututxline updates utx.active,
 * utx.log and utx.lastlogin together.
 */
static int
osdep_utx_record(short type)
{
	struct utmpx	ut;
	struct utmpx	*done;

	memset(&ut, 0, sizeof(ut));
	ut.ut_type = type;
	(void)gettimeofday(&ut.ut_tv, NULL);
	setutxent();
	done = pututxline(&ut);
	endutxent();
	return (done == NULL ? -1 : 0);
}

/* Record the boot. */
int
osdep_boot_record(void)
{
	return (osdep_utx_record(BOOT_TIME));
}

/* FreeBSD's kernel passes no bare words: every one names a service. */
int
osdep_kernel_word(const char *word)
{
	return (OSDEP_WORD_SERVICE);
}

/* Record the shutdown: SHUTDOWN_TIME in utx.log. */
int
osdep_shutdown_record(void)
{
	return (osdep_utx_record(SHUTDOWN_TIME));
}

/*
 * What FreeBSD cannot do of a service's settings.  Its privileges are
 * not split into capabilities (Capsicum is another thing); it has no
 * I/O priorities; its out-of-memory killer knows only protected
 * processes (procctl PROC_SPROTECT), not a score.
 */
const char *
osdep_unsupported(enum osdep_feature f)
{
	switch (f) {
	case OSDEP_CAPABILITIES:
		return ("FreeBSD has no POSIX capabilities");
	case OSDEP_NO_NEW_PRIVS:
#ifdef PROC_NO_NEW_PRIVS_CTL
		return (NULL);
#else
		return ("this FreeBSD has no PROC_NO_NEW_PRIVS_CTL");
#endif
	case OSDEP_IOPRIO:
		return ("FreeBSD has no I/O priorities");
	case OSDEP_OOM_SCORE_ADJ:
		return ("FreeBSD has no out-of-memory score");
	case OSDEP_CGROUPS:
		return ("FreeBSD has no control groups");
	default:
		return (NULL);
	}
}

/* procctl(2) PROC_NO_NEW_PRIVS_CTL: exec ignores set-user-id bits. */
int
osdep_no_new_privs(void)
{
#ifdef PROC_NO_NEW_PRIVS_CTL
	int	on = PROC_NO_NEW_PRIVS_ENABLE;

	return (procctl(P_PID, getpid(), PROC_NO_NEW_PRIVS_CTL, &on));
#else
	errno = ENOTSUP;
	return (-1);
#endif
}

/* vt(4), the console since FreeBSD 11, emulates xterm. */
const char *
osdep_console_term(void)
{
	return ("xterm");
}

#define OSDEP_EXITS_MAX		64	/* exits told in one kevent */

/*
 * The queue is a kqueue holding an EVFILT_PROC filter for NOTE_EXIT per
 * watched child; the caller watches the kqueue descriptor itself (it is
 * readable while events are pending).  No descriptor per child: the
 * filter is named by the pid.
 */
int
osdep_exits_open(void)
{
	int	kq;

	if ((kq = kqueue()) == -1)
		return (-1);
	if (fcntl(kq, F_SETFD, FD_CLOEXEC) == -1) {
		(void)close(kq);
		return (-1);
	}
	return (kq);
}

/*
 * Watch a child: its watch is its pid (low and high, for descriptors, do
 * not apply here).  A child that has exited before this but is not reaped
 * yet is still found: FreeBSD's kernel (14's, at least) attaches the
 * filter to the zombie and tells its exit at once; one that fails with
 * ESRCH instead leaves the child to SIGCHLD, as the caller does with
 * every child it could not watch.  The kernel makes a NOTE_EXIT one-shot:
 * the filter is deleted once its exit has been read.
 *
 * NB: the kernel tells NOTE_EXIT a moment before the child becomes a
 * zombie, so a waitpid at once may find nothing yet; the SIGCHLD it
 * sends reaches us only once the zombie is there, and finds the child
 * then (proc.c leaves such a one to it).
 */
int
osdep_exits_watch(int queue, pid_t pid, int low, int high, void *cookie)
{
	struct kevent	ev;

	EV_SET(&ev, (uintptr_t)pid, EVFILT_PROC, EV_ADD, NOTE_EXIT, 0,
	    cookie);
	if (kevent(queue, &ev, 1, NULL, 0, NULL) == -1)
		return (-1);
	return ((int)pid);
}

/*
 * End a watch.  One not told yet is deleted: left in the queue, it could
 * tell an exit with a cookie that no longer means it, or be taken for the
 * filter of a later child given the same pid.  A told one is gone already.
 */
void
osdep_exits_unwatch(int queue, int watch, int told)
{
	struct kevent	ev;

	if (told)
		return;
	EV_SET(&ev, (uintptr_t)watch, EVFILT_PROC, EV_DELETE, 0, 0, NULL);
	(void)kevent(queue, &ev, 1, NULL, 0, NULL);
}

/*
 * The cookies of up to max exited children; 0 when none is left.  The
 * wait status is in each event's data too, but the caller reaps the child
 * by its pid all the same and takes the status from waitpid.
 */
int
osdep_exits_next(int queue, void **cookies, int max)
{
	struct kevent	ev[OSDEP_EXITS_MAX];
	struct timespec	zero = { 0, 0 };
	int		i, n;

	if (max > OSDEP_EXITS_MAX)
		max = OSDEP_EXITS_MAX;
	do
		n = kevent(queue, NULL, 0, ev, max, &zero);
	while (n < 0 && errno == EINTR);
	for (i = 0; i < n; i++)
		cookies[i] = ev[i].udata;
	return (n);
}

/* procctl(2) reapers: a service's first process reaps its tree. */
int
osdep_reaper_supported(void)
{
	return (1);
}

/*
 * In the child: become the reaper of our descendants, so the orphans of
 * the service stay below it (and within reach of PROC_REAP_KILL) instead
 * of coming to dinit.
 */
int
osdep_reaper_acquire(void)
{
	return (procctl(P_PID, getpid(), PROC_REAP_ACQUIRE, NULL));
}

/*
 * Signal the descendants of pid.  PROC_REAP_KILL on a process that is not
 * a reaper acts for its reaper, which is dinit or init: everything would
 * be signalled.  So first make sure that pid is a reaper of its own (a
 * process that ended gave the status up).
 */
int
osdep_reaper_kill(pid_t pid, int sig)
{
	struct procctl_reaper_status	rs;
	struct procctl_reaper_kill	rk;

	memset(&rs, 0, sizeof(rs));
	if (procctl(P_PID, pid, PROC_REAP_STATUS, &rs) != 0)
		return (-1);
	if ((rs.rs_flags & REAPER_STATUS_OWNED) == 0 || rs.rs_reaper != pid) {
		errno = ESRCH;
		return (-1);
	}
	if (rs.rs_descendants == 0)
		return (0);
	memset(&rk, 0, sizeof(rk));
	rk.rk_sig = sig;
	rk.rk_flags = 0;	/* every descendant, not only children */
	if (procctl(P_PID, pid, PROC_REAP_KILL, &rk) != 0 && errno != ESRCH)
		return (-1);
	return (0);
}
