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

/*
 * The process layer: launching children, matching their exits to
 * services, readiness pipes and the per-service timer, on libevent.
 *
 * Children are made with vfork (fork where vfork is not usable), so the
 * cost of a launch does not grow with the daemon's heap.  Everything the
 * child needs (argv, envp, ids, paths) is prepared in the parent first; the
 * child touches only its own stack and makes async-signal-safe calls.  It
 * reports a failure as (stage, errno) on a close-on-exec status pipe, whose
 * EOF without data means the exec succeeded.
 *
 * Every resource a service needs for this (its timer, two child records
 * with their events) is made when the service is loaded, in proc_attach,
 * so launching and supervising it later cannot fail for want of memory
 * (building the child's environment aside).
 */

#include "dinit.h"

#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#define PROC_MAX_GROUPS	64

/* One child of a service: the main process or its stop command. */
struct proc_child {
	struct service		*service;
	enum launch_kind	 kind;
	pid_t			 pid;		/* 0: none */
	int			 status_fd;	/* -1: read (or reported) */
	int			 report;	/* a launch outcome is due */
	int			 failed_stage;	/* with failed_errno, if failed */
	int			 failed_errno;
	TAILQ_ENTRY(proc_child)	 report_entry;	/* in proc_reports */
#ifndef HAVE_WORKING_VFORK
	struct event		 status_ev;	/* the pipe, after fork */
#endif
	struct proc_child	*hash_next;
};
TAILQ_HEAD(proc_child_list, proc_child);

/*
 * The process layer's record of one service.  Only the main process can
 * signal readiness, so the readiness pipe belongs to the service.
 */
struct proc_service {
	struct event		 timer;
	struct proc_child	 child[2];	/* by enum launch_kind */
	int			 ready_fd;	/* -1: none */
	struct event		 ready_ev;
	int			 out_fd;	/* log-type = buffer pipe */
	struct event		 out_ev;
	char			*logbuf;
	size_t			 loglen;
	int			 log_truncated;
};

/* What the child will do, all prepared by the parent. */
struct spawn_plan {
	char *const		*argv;
	char *const		*envp;
	char			 path[PATH_MAX];	/* argv[0] resolved */
	const char		*dir;
	char			 dirbuf[PATH_MAX];
	const char		*logfile;
	char			 logbuf[PATH_MAX];
	int			 out_fd;	/* write end for buffer, or -1 */
	mode_t			 log_mode;
	int			 on_console;
	int			 own_console;	/* runs/starts-on-console */
	char			 console_path[PATH_MAX];	/* "": inherit */
	int			 status_fd;
	int			 ready_fd;	/* write end, or -1 */
	int			 ready_to;	/* fd number wanted, or -1 */
	int			 set_ids;
	uid_t			 uid;
	gid_t			 gid;
	gid_t			 groups[PROC_MAX_GROUPS];
	int			 ngroups;
	const struct service_desc *desc;
};

static int	proc_pipe(int [2]);
static void	proc_reports_cb(evutil_socket_t, short, void *);

static struct event_base	 *proc_base;
static struct proc_child_list	  proc_reports =
    TAILQ_HEAD_INITIALIZER(proc_reports);	/* launch outcomes due */
static struct event		  proc_report_ev;
static void			(*proc_settle)(void);
static struct proc_child	**proc_pids;
static size_t			  proc_pids_size;
static size_t			  proc_services;

/* Slot of a pid in the pid table. */
static size_t
proc_pid_slot(pid_t pid)
{
	return (((size_t)pid * 2654435761u) & (proc_pids_size - 1));
}

/* Find the child record of a pid. */
static struct proc_child *
proc_pid_find(pid_t pid)
{
	struct proc_child	*c;

	if (proc_pids_size == 0)
		return (NULL);
	for (c = proc_pids[proc_pid_slot(pid)]; c != NULL; c = c->hash_next) {
		if (c->pid == pid)
			return (c);
	}
	return (NULL);
}

/* Enter a child in the pid table (never allocates). */
static void
proc_pid_insert(struct proc_child *c)
{
	size_t	slot = proc_pid_slot(c->pid);

	c->hash_next = proc_pids[slot];
	proc_pids[slot] = c;
}

/* Take a child out of the pid table. */
static void
proc_pid_remove(struct proc_child *c)
{
	struct proc_child	**pp;

	pp = &proc_pids[proc_pid_slot(c->pid)];
	for (; *pp != NULL; pp = &(*pp)->hash_next) {
		if (*pp == c) {
			*pp = c->hash_next;
			return;
		}
	}
}

/* Grow the pid table so it stays sparse as services are loaded. */
static int
proc_pid_grow(size_t want)
{
	struct proc_child	**table, *c, *next;
	size_t			  size, i, slot;

	if (want <= proc_pids_size)
		return (0);
	size = proc_pids_size == 0 ? 256 : proc_pids_size;
	while (size < want)
		size *= 2;
	if ((table = mem_array(NULL, size, sizeof(*table))) == NULL)
		return (-1);
	memset(table, 0, size * sizeof(*table));
	for (i = 0; i < proc_pids_size; i++) {
		for (c = proc_pids[i]; c != NULL; c = next) {
			next = c->hash_next;
			slot = ((size_t)c->pid * 2654435761u) & (size - 1);
			c->hash_next = table[slot];
			table[slot] = c;
		}
	}
	free(proc_pids);
	proc_pids = table;
	proc_pids_size = size;
	return (0);
}

/* Monotonic time in milliseconds. */
uint64_t
proc_now(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

/* The per-service timer fired. */
static void
proc_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	service_timer_expired(arg);
	proc_settle();
}

/* Set up the process layer on an event base; settle runs after events. */
int
proc_init(struct event_base *base, void (*settle)(void))
{
	proc_base = base;
	proc_settle = settle;
	if (event_assign(&proc_report_ev, base, -1, 0, proc_reports_cb,
	    NULL) != 0)
		return (-1);
	return (proc_pid_grow(256));
}

/* Make the per-service resources (at load time). */
int
proc_attach(struct service *s)
{
	struct proc_service	*ps;
	int			 i;

	if (proc_pid_grow((proc_services + 1) * 4) != 0)
		return (-1);
	if ((ps = mem_zalloc(sizeof(*ps))) == NULL)
		return (-1);
	if (evtimer_assign(&ps->timer, proc_base, proc_timer_cb, s) != 0) {
		free(ps);
		errno = ENOMEM;
		return (-1);
	}
	for (i = 0; i < 2; i++) {
		ps->child[i].service = s;
		ps->child[i].kind = (enum launch_kind)i;
		ps->child[i].status_fd = -1;
	}
	ps->ready_fd = -1;
	ps->out_fd = -1;
	s->proc = ps;
	proc_services++;
	return (0);
}

/* Forget a child's launch report, and close its status pipe. */
static void
proc_child_close(struct proc_child *c)
{
	if (c->report)
		TAILQ_REMOVE(&proc_reports, c, report_entry);
	c->report = 0;
	if (c->status_fd != -1) {
#ifndef HAVE_WORKING_VFORK
		event_del(&c->status_ev);
#endif
		(void)close(c->status_fd);
		c->status_fd = -1;
	}
}

/* Close the readiness pipe of a service. */
static void
proc_ready_close(struct proc_service *ps)
{
	if (ps->ready_fd == -1)
		return;
	event_del(&ps->ready_ev);
	(void)close(ps->ready_fd);
	ps->ready_fd = -1;
}

/* Free the per-service resources. */
void
proc_detach(struct service *s)
{
	struct proc_service	*ps = s->proc;
	int			 i;

	if (ps == NULL)
		return;
	evtimer_del(&ps->timer);
	if (ps->out_fd != -1) {
		event_del(&ps->out_ev);
		(void)close(ps->out_fd);
	}
	free(ps->logbuf);
	proc_ready_close(ps);
	for (i = 0; i < 2; i++) {
		proc_child_close(&ps->child[i]);
		if (ps->child[i].pid != 0)
			proc_pid_remove(&ps->child[i]);
	}
	free(ps);
	s->proc = NULL;
	proc_services--;
}

/* Arm the per-service timer. */
void
proc_timer_set(struct service *s, unsigned long ms)
{
	struct proc_service	*ps = s->proc;
	struct timeval		 tv;

	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	if (evtimer_add(&ps->timer, &tv) != 0)
		log_warnx("service %s: cannot arm timer", s->name);
}

/* Disarm the per-service timer. */
void
proc_timer_clear(struct service *s)
{
	struct proc_service	*ps = s->proc;

	evtimer_del(&ps->timer);
}

/* Signal a child, or its process group. */
int
proc_kill(struct service *s, pid_t pid, int sig, int group)
{
	if (group && kill(-pid, sig) == 0)
		return (0);
	return (kill(pid, sig));
}

/*
 * Read a child's status pipe: an 8-byte (stage, errno) record means the
 * launch failed, EOF means the exec succeeded.  Returns 0 when reported,
 * -1 when nothing can be read yet.
 */
static int
proc_status_read(struct proc_child *c)
{
	int		rec[2];
	ssize_t		n;
	pid_t		pid = c->pid;

	if (!c->report)
		return (0);
	if (c->status_fd != -1) {
		do
			n = read(c->status_fd, rec, sizeof(rec));
		while (n < 0 && errno == EINTR);
		if (n < 0 && errno == EAGAIN)
			return (-1);
		c->failed_stage = n == (ssize_t)sizeof(rec) ? rec[0] : -1;
		c->failed_errno = rec[1];
	}
	proc_child_close(c);
	if (c->failed_stage >= 0)
		service_child_exec_failed(c->service, pid,
		    (enum exec_stage)c->failed_stage, c->failed_errno);
	else if (c->kind == LAUNCH_START)
		service_child_started(c->service, pid);
	return (0);
}

/* Deliver the launch outcomes due (known at launch, or read now). */
static void
proc_reports_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proc_child	*c, *next;

	TAILQ_FOREACH_SAFE(c, &proc_reports, report_entry, next)
		(void)proc_status_read(c);
	proc_settle();
}

#ifndef HAVE_WORKING_VFORK
/* The status pipe of a forked child became readable. */
static void
proc_status_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)proc_status_read(arg);
	proc_settle();
}
#endif

/* Read a readiness pipe: data means ready, EOF means it never will be. */
static void
proc_ready_read(struct proc_child *c, int final)
{
	struct proc_service	*ps = c->service->proc;
	char			 buf[64];
	ssize_t			 n;

	do
		n = read(ps->ready_fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN && !final)
		return;
	proc_ready_close(ps);
	service_child_ready(c->service, c->pid, n > 0);
}

/* The readiness pipe of a child became readable. */
static void
proc_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	proc_ready_read(arg, 0);
	proc_settle();
}

/* Output of a log-type = buffer service arrived: keep what fits. */
static void
proc_out_cb(evutil_socket_t fd, short what, void *arg)
{
	struct service		*s = arg;
	struct proc_service	*ps = s->proc;
	char			 scratch[4096];
	size_t			 room;
	ssize_t			 n;

	for (;;) {
		room = s->desc->log_buffer_size - ps->loglen;
		if (ps->logbuf != NULL && room > 0)
			n = read(fd, ps->logbuf + ps->loglen, room);
		else {
			n = read(fd, scratch, sizeof(scratch));
			if (n > 0)
				ps->log_truncated = 1;
		}
		if (n > 0) {
			if (ps->logbuf != NULL && room > 0)
				ps->loglen += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		/* EOF, or an error: this launch's output is over. */
		event_del(&ps->out_ev);
		(void)close(ps->out_fd);
		ps->out_fd = -1;
		return;
	}
}

/* What a log-type = buffer service has written so far. */
const char *
proc_log_buffer(struct service *s, size_t *len, int *truncated)
{
	struct proc_service	*ps = s->proc;

	*len = ps->loglen;
	*truncated = ps->log_truncated;
	return (ps->logbuf != NULL ? ps->logbuf : "");
}

/* Empty the log buffer of a service. */
void
proc_log_clear(struct service *s)
{
	struct proc_service	*ps = s->proc;

	ps->loglen = 0;
	ps->log_truncated = 0;
}

/*
 * Make the pipe a log-type = buffer service writes to (the buffer itself
 * is made on first use).  Returns the write end, or -1 (output then goes
 * to /dev/null, and the loss is logged).
 */
static int
proc_out_pipe(struct service *s)
{
	struct proc_service	*ps = s->proc;
	int			 fds[2];

	if (ps->out_fd != -1) {
		event_del(&ps->out_ev);
		(void)close(ps->out_fd);
		ps->out_fd = -1;
	}
	if (ps->logbuf == NULL &&
	    (ps->logbuf = mem_alloc(s->desc->log_buffer_size)) == NULL) {
		log_warnx("service %s: no memory for its log buffer",
		    s->name);
		return (-1);
	}
	if (proc_pipe(fds) != 0) {
		log_warn("service %s: cannot make its output pipe", s->name);
		return (-1);
	}
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	ps->out_fd = fds[0];
	event_assign(&ps->out_ev, proc_base, fds[0], EV_READ | EV_PERSIST,
	    proc_out_cb, s);
	if (event_add(&ps->out_ev, NULL) != 0) {
		(void)close(fds[0]);
		(void)close(fds[1]);
		ps->out_fd = -1;
		return (-1);
	}
	return (fds[1]);
}

/* Reap every child that has exited and tell the engine. */
void
proc_reap(void)
{
	struct proc_child	*c;
	pid_t			 pid;
	int			 status;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid <= 0)
			break;
		if ((c = proc_pid_find(pid)) == NULL) {
			log_debug("reaped orphan %ld", (long)pid);
			continue;
		}
		/* The launch report always comes before the exit. */
		if (c->report && proc_status_read(c) != 0)
			proc_child_close(c);
		if (c->kind == LAUNCH_START &&
		    ((struct proc_service *)c->service->proc)->ready_fd != -1)
			proc_ready_read(c, 1);
		proc_pid_remove(c);
		c->pid = 0;
		service_child_exited(c->service, pid, status);
	}
	proc_settle();
}

/* Report a failed stage to the parent and end the child. */
static void __dead
spawn_fail(const struct spawn_plan *p, enum exec_stage stage)
{
	int	rec[2];

	rec[0] = (int)stage;
	rec[1] = errno;
	(void)write(p->status_fd, rec, sizeof(rec));
	_exit(stage == STAGE_EXEC ? 127 : 126);
}

/* Apply one rlimit-* setting in the child. */
static int
spawn_rlimit(int resource, const struct rlimit_setting *set)
{
	struct rlimit	rl;

	if (!set->set_soft && !set->set_hard)
		return (0);
	if (getrlimit(resource, &rl) != 0)
		return (-1);
	if (set->set_soft)
		rl.rlim_cur = set->soft;
	if (set->set_hard)
		rl.rlim_max = set->hard;
	return (setrlimit(resource, &rl));
}

/*
 * The child, between vfork and exec: only its own stack and
 * async-signal-safe calls from here on.
 */
static void __dead
spawn_child(struct spawn_plan *p)
{
	const struct service_desc	*desc = p->desc;
	struct sigaction		 sa;
	sigset_t			 none;
	int				 sig, fd, out;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);

	if (!p->on_console || p->own_console)
		(void)setsid();
	if (p->own_console && p->console_path[0] != '\0') {
		/*
		 * A description of the terminal of our own: dinit's is
		 * non-blocking, which a program on the console must not see.
		 */
		if ((fd = open(p->console_path, O_RDWR | O_APPEND)) < 0)
			spawn_fail(p, STAGE_STDIO);
		(void)ioctl(fd, TIOCSCTTY, 0);
		(void)tcsetpgrp(fd, getpid());
		if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			spawn_fail(p, STAGE_STDIO);
		if (fd > 2)
			(void)close(fd);
	}

	/* Keep the status pipe clear of the descriptors we are to fill. */
	if (p->status_fd <= 2 || p->status_fd == p->ready_to) {
		fd = fcntl(p->status_fd, F_DUPFD_CLOEXEC, 3 + (p->ready_to < 0 ?
		    0 : p->ready_to + 1));
		if (fd < 0)
			spawn_fail(p, STAGE_FDS);
		p->status_fd = fd;
	}
	if (p->ready_fd != -1) {
		if (p->ready_to >= 0) {
			if (p->ready_fd != p->ready_to) {
				if (dup2(p->ready_fd, p->ready_to) < 0)
					spawn_fail(p, STAGE_FDS);
			} else if (fcntl(p->ready_fd, F_SETFD, 0) != 0)
				spawn_fail(p, STAGE_FDS);
		} else if (fcntl(p->ready_fd, F_SETFD, 0) != 0)
			spawn_fail(p, STAGE_FDS);
	}

	if (!p->on_console) {
		if ((fd = open("/dev/null", O_RDWR)) < 0)
			spawn_fail(p, STAGE_STDIO);
		if (p->out_fd != -1)
			out = p->out_fd;
		else if (p->logfile != NULL) {
			out = open(p->logfile, O_WRONLY | O_APPEND | O_CREAT,
			    p->log_mode);
			if (out < 0)
				spawn_fail(p, STAGE_LOGFILE);
			(void)fchmod(out, p->log_mode);
		} else
			out = fd;
		if (dup2(fd, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
			spawn_fail(p, STAGE_STDIO);
		if (fd > 2 && fd != p->ready_to)
			(void)close(fd);
		if (out > 2 && out != fd && out != p->ready_to)
			(void)close(out);
	}

	if (p->dir != NULL && chdir(p->dir) != 0)
		spawn_fail(p, STAGE_CHDIR);

	if (spawn_rlimit(RLIMIT_NOFILE, &desc->rlimit_nofile) != 0 ||
	    spawn_rlimit(RLIMIT_CORE, &desc->rlimit_core) != 0 ||
	    spawn_rlimit(RLIMIT_DATA, &desc->rlimit_data) != 0)
		spawn_fail(p, STAGE_RLIMITS);
#ifdef RLIMIT_AS
	if (spawn_rlimit(RLIMIT_AS, &desc->rlimit_addrspace) != 0)
		spawn_fail(p, STAGE_RLIMITS);
#endif
	if (desc->has_nice && setpriority(PRIO_PROCESS, 0, desc->nice) != 0)
		spawn_fail(p, STAGE_PRIORITY);

	if (p->set_ids) {
		if (setgroups((size_t)p->ngroups, p->groups) != 0 ||
		    setgid(p->gid) != 0 || setuid(p->uid) != 0)
			spawn_fail(p, STAGE_SETUID);
	}

	(void)sigemptyset(&none);
	if (p->on_console && (desc->options & OPT_UNMASK_INTR) == 0)
		(void)sigaddset(&none, SIGINT);	/* ^C is not for it */
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	execve(p->path, p->argv, p->envp);
	spawn_fail(p, STAGE_EXEC);
}

/*
 * Find the program a bare command name means, in the child's PATH, before
 * the fork (searching is not safe in a vfork child).
 */
static void
spawn_plan_path(struct spawn_plan *p, const char *pathvar)
{
	const char	*name = p->argv[0], *dir, *end;
	size_t		 len;

	(void)strlcpy(p->path, name, sizeof(p->path));
	if (strchr(name, '/') != NULL)
		return;
	if (pathvar == NULL)
		pathvar = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
		    "/sbin:/bin";
	for (dir = pathvar; ; dir = end + 1) {
		end = strchr(dir, ':');
		len = end != NULL ? (size_t)(end - dir) : strlen(dir);
		if (len == 0)
			len = 1, dir = ".";
		if ((size_t)snprintf(p->path, sizeof(p->path), "%.*s/%s",
		    (int)len, dir, name) < sizeof(p->path) &&
		    access(p->path, X_OK) == 0)
			return;
		if (end == NULL)
			break;
	}
	(void)strlcpy(p->path, name, sizeof(p->path));
}

/*
 * Fork the child and run it.  Kept apart so the parent's locals are not
 * live across vfork.
 */
static pid_t __attribute__((__noinline__))
spawn_fork(struct spawn_plan *p)
{
	pid_t	pid;

	pid = vfork();
	if (pid == 0)
		spawn_child(p);
	return (pid);
}

/*
 * A path from a description: relative ones are taken from the service's
 * directory, as dinit does.  Returns path itself when absolute (or too
 * long to join).
 */
static const char *
spawn_path(char *buf, size_t len, const char *dir, const char *path)
{
	if (path[0] == '/' || dir == NULL ||
	    (size_t)snprintf(buf, len, "%s/%s", dir, path) >= len)
		return (path);
	return (buf);
}

/*
 * Which terminal a console service gets a description of its own for:
 * the console as PID 1, otherwise our standard output's terminal; none
 * (inherit our descriptors) when that is no terminal.
 */
static void
spawn_plan_console(struct spawn_plan *p)
{
	const char	*tty;

	p->console_path[0] = '\0';
	if (getpid() == 1)
		(void)strlcpy(p->console_path, "/dev/console",
		    sizeof(p->console_path));
	else if (isatty(1) && (tty = ttyname(1)) != NULL)
		(void)strlcpy(p->console_path, tty, sizeof(p->console_path));
}

/* Resolve run-as into ids and groups, in the parent. */
static int
spawn_plan_ids(struct spawn_plan *p, const char *run_as,
    enum exec_stage *stage)
{
	struct passwd	*pw;
	char		*end;
	unsigned long	 n;

	if (run_as == NULL)
		return (0);
	p->set_ids = 1;
	errno = 0;
	n = strtoul(run_as, &end, 10);
	if (*run_as != '\0' && *end == '\0') {
		p->uid = (uid_t)n;
		p->gid = getgid();
		p->ngroups = 0;
		return (0);
	}
	if ((pw = getpwnam(run_as)) == NULL) {
		if (errno == 0)
			errno = ENOENT;
		*stage = STAGE_SETUID;
		return (-1);
	}
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	p->ngroups = PROC_MAX_GROUPS;
	if (getgrouplist(run_as, pw->pw_gid, p->groups, &p->ngroups) < 0) {
		p->groups[0] = pw->pw_gid;
		p->ngroups = 1;
	}
	return (0);
}

/*
 * Build the child's environment: dinit's own, then the service's, then
 * the readiness variable.  The array and its strings are freed by
 * spawn_env_free.
 */
static char **
spawn_env(const struct service *s, const char *ready_var, int ready_fd)
{
	struct environ	 env;
	char		 num[16];

	environ_init(&env);
	if (s->set->env != NULL && environ_copy(&env, s->set->env) != 0)
		goto fail;
	if (environ_merge(&env, &s->desc->env) != 0)
		goto fail;
	if (ready_var != NULL) {
		(void)snprintf(num, sizeof(num), "%d", ready_fd);
		if (environ_set(&env, ready_var, num) != 0)
			goto fail;
	}
	if (env.vars == NULL && environ_put(&env, "PATH=/usr/bin:/bin") != 0)
		goto fail;
	return (env.vars);
fail:
	environ_clear(&env);
	return (NULL);
}

/* The PATH of a child's environment, or NULL. */
static const char *
spawn_env_path(char **vars)
{
	for (; *vars != NULL; vars++) {
		if (strncmp(*vars, "PATH=", 5) == 0)
			return (*vars + 5);
	}
	return (NULL);
}

/* Free a child's environment array. */
static void
spawn_env_free(char **vars)
{
	char	**v;

	if (vars == NULL)
		return;
	for (v = vars; *v != NULL; v++)
		free(*v);
	free(vars);
}

/* Make a close-on-exec pipe. */
static int
proc_pipe(int fds[2])
{
#ifdef HAVE_PIPE2
	return (pipe2(fds, O_CLOEXEC));
#else
	if (pipe(fds) != 0)
		return (-1);
	(void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return (0);
#endif
}

/*
 * Launch a service's start command (kind LAUNCH_START) or stop command.
 * Returns 0 with the pid, or -1 with errno when nothing could be started;
 * failures in the child are reported later through the status pipe.
 */
int
proc_launch(struct service *s, enum launch_kind kind, pid_t *pidp)
{
	struct proc_service		*ps = s->proc;
	struct proc_child		*c = &ps->child[kind];
	const struct service_desc	*desc = s->desc;
	struct spawn_plan		 plan;
	enum exec_stage			 stage = STAGE_FORK;
	sigset_t			 all, saved;
	char				**envp = NULL;
	int				 status[2] = { -1, -1 };
	int				 ready[2] = { -1, -1 };
	int				 want_ready, saved_errno;
	pid_t				 pid;

	memset(&plan, 0, sizeof(plan));
	plan.desc = desc;
	plan.argv = kind == LAUNCH_START ? desc->command : desc->stop_command;
	if (plan.argv == NULL || plan.argv[0] == NULL) {
		errno = EINVAL;
		return (-1);
	}
	plan.dir = spawn_path(plan.dirbuf, sizeof(plan.dirbuf), desc->dir,
	    desc->working_dir != NULL ? desc->working_dir : desc->dir);
	plan.log_mode = desc->logfile_permissions;
	if (desc->log_type == LOGTYPE_FILE && desc->logfile != NULL)
		plan.logfile = spawn_path(plan.logbuf, sizeof(plan.logbuf),
		    desc->dir, desc->logfile);
	plan.on_console = (desc->options & (OPT_RUNS_ON_CONSOLE |
	    OPT_SHARES_CONSOLE | OPT_STARTS_ON_CONSOLE)) != 0;
	plan.own_console = (desc->options & (OPT_RUNS_ON_CONSOLE |
	    OPT_STARTS_ON_CONSOLE)) != 0 && (kind == LAUNCH_START ||
	    (desc->options & OPT_RUNS_ON_CONSOLE) != 0);
	if (plan.own_console)
		spawn_plan_console(&plan);
	plan.ready_fd = plan.ready_to = -1;
	plan.out_fd = -1;
	want_ready = kind == LAUNCH_START && s->type == SERVICE_PROCESS &&
	    (desc->ready_fd >= 0 || desc->ready_var != NULL);

	if (spawn_plan_ids(&plan, desc->run_as, &stage) != 0)
		goto fail;
	if (proc_pipe(status) != 0)
		goto fail;
	if (want_ready) {
		if (proc_pipe(ready) != 0)
			goto fail;
		plan.ready_fd = ready[1];
		plan.ready_to = desc->ready_fd;
	}
	if (kind == LAUNCH_START && desc->log_type == LOGTYPE_BUFFER &&
	    !plan.on_console)
		plan.out_fd = proc_out_pipe(s);
	envp = spawn_env(s, want_ready ? desc->ready_var : NULL, ready[1]);
	if (envp == NULL)
		goto fail;
	plan.envp = envp;
	plan.status_fd = status[1];
	spawn_plan_path(&plan, spawn_env_path(envp));

	(void)sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &saved);
	pid = spawn_fork(&plan);
	saved_errno = errno;
	(void)sigprocmask(SIG_SETMASK, &saved, NULL);
	errno = saved_errno;
	if (pid < 0)
		goto fail;

	spawn_env_free(envp);
	(void)close(status[1]);
	if (ready[1] != -1)
		(void)close(ready[1]);
	if (plan.out_fd != -1)
		(void)close(plan.out_fd);
	c->pid = pid;
	c->report = 1;
	TAILQ_INSERT_TAIL(&proc_reports, c, report_entry);
#ifdef HAVE_WORKING_VFORK
	/*
	 * vfork returned, so the child has exec'd or exited: its outcome is
	 * in the pipe already, and no writer is left.  Read it now rather
	 * than keep a descriptor per launch open until the loop runs (with
	 * thousands of launches in one go, every vfork would copy them all),
	 * and report it from the loop, after the engine has the pid.
	 */
	{
		int	rec[2];
		ssize_t	n;

		do
			n = read(status[0], rec, sizeof(rec));
		while (n < 0 && errno == EINTR);
		(void)close(status[0]);
		c->status_fd = -1;
		c->failed_stage = n == (ssize_t)sizeof(rec) ? rec[0] : -1;
		c->failed_errno = n == (ssize_t)sizeof(rec) ? rec[1] : 0;
		event_active(&proc_report_ev, EV_TIMEOUT, 0);
	}
#else
	(void)fcntl(status[0], F_SETFL, O_NONBLOCK);
	c->status_fd = status[0];
	event_assign(&c->status_ev, proc_base, status[0], EV_READ | EV_PERSIST,
	    proc_status_cb, c);
	if (event_add(&c->status_ev, NULL) != 0)
		log_warnx("service %s: cannot watch launch status", s->name);
#endif
	if (ready[0] != -1) {
		(void)fcntl(ready[0], F_SETFL, O_NONBLOCK);
		proc_ready_close(ps);
		ps->ready_fd = ready[0];
		event_assign(&ps->ready_ev, proc_base, ready[0],
		    EV_READ | EV_PERSIST, proc_ready_cb, c);
		if (event_add(&ps->ready_ev, NULL) != 0)
			log_warnx("service %s: cannot watch readiness",
			    s->name);
	}
	proc_pid_insert(c);
	*pidp = pid;
	return (0);

fail:
	saved_errno = errno;
	spawn_env_free(envp);
	if (status[0] != -1) {
		(void)close(status[0]);
		(void)close(status[1]);
	}
	if (ready[0] != -1) {
		(void)close(ready[0]);
		(void)close(ready[1]);
	}
	if (plan.out_fd != -1)
		(void)close(plan.out_fd);
	s->exec_stage = stage;
	errno = saved_errno;
	return (-1);
}
