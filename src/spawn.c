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
 * The one way dinit makes a child: services' start and stop commands and
 * the shutdown hook alike.
 *
 * The caller fills a struct spawn_plan (spawn_plan_init first, then the
 * spawn_plan_* helpers for what needs looking up: the program in PATH,
 * the ids of run-as, the terminal), and spawn_child makes the child with
 * vfork (fork where vfork is not usable), so the cost does not grow with
 * the daemon's heap.  Everything the child needs is in the plan before
 * the fork; the child touches only its own stack and makes
 * async-signal-safe calls.  It starts with every signal at its default
 * and the plan's mask, makes its session, terminal, descriptors, limits
 * and ids, changes directory, and execs.  A failure at any stage is
 * written as (stage, errno) to a close-on-exec status pipe before the
 * child exits; EOF without data means the exec succeeded.  That outcome
 * comes back in a struct spawn_report.
 */

#include "dinit.h"

#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

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
#include <unistd.h>

/* Where a bare command is looked for when the child has no PATH. */
#define SPAWN_DEFAULT_PATH \
	"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* A status pipe record: the stage that failed, and its errno. */
#define SPAWN_REPORT_INTS	2

/* The resource of each enum spawn_limit (-1: not on this platform). */
static const int spawn_resources[SPAWN_NLIMITS] = {
	RLIMIT_NOFILE,
	RLIMIT_CORE,
	RLIMIT_DATA,
#ifdef RLIMIT_AS
	RLIMIT_AS
#else
	-1
#endif
};

/* A plan that runs nothing yet: standard descriptors on /dev/null. */
void
spawn_plan_init(struct spawn_plan *p)
{
	memset(p, 0, offsetof(struct spawn_plan, path));
	p->path[0] = '\0';
	p->terminal[0] = '\0';
	p->stdio = SPAWN_STDIO_NULL;
	p->in_fd = -1;
	p->out_fd = -1;
	p->pid_env = -1;
	(void)sigemptyset(&p->mask);
}

/*
 * Pass a descriptor to the child at number to (-1: at its own number,
 * with close-on-exec cleared).  0, or -1 (EMFILE) when the plan is full.
 */
int
spawn_plan_pass(struct spawn_plan *p, int fd, int to)
{
	if (p->npass == SPAWN_MAX_PASS) {
		errno = EMFILE;
		return (-1);
	}
	p->pass[p->npass].fd = fd;
	p->pass[p->npass].to = to;
	p->npass++;
	return (0);
}

/*
 * Find the program a bare command name means, in the PATH of the plan's
 * environment, before the fork (searching is not safe in a vfork child).
 */
void
spawn_plan_path(struct spawn_plan *p)
{
	const char	*name = p->argv[0], *pathvar = NULL, *dir, *end;
	char *const	*v;
	size_t		 len;

	(void)strlcpy(p->path, name, sizeof(p->path));
	if (strchr(name, '/') != NULL)
		return;
	for (v = p->envp; v != NULL && *v != NULL; v++) {
		if (strncmp(*v, "PATH=", sizeof("PATH=") - 1) == 0) {
			pathvar = *v + sizeof("PATH=") - 1;
			break;
		}
	}
	if (pathvar == NULL)
		pathvar = SPAWN_DEFAULT_PATH;
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
 * Give the child a terminal description of its own: the console as PID
 * 1, otherwise our standard output's terminal; when that is no terminal,
 * the child keeps our descriptors.
 */
void
spawn_plan_terminal(struct spawn_plan *p)
{
	const char	*tty;

	p->stdio = SPAWN_STDIO_TERMINAL;
	p->terminal[0] = '\0';
	if (getpid() == 1)
		(void)strlcpy(p->terminal, "/dev/console",
		    sizeof(p->terminal));
	else if (isatty(1) && (tty = ttyname(1)) != NULL)
		(void)strlcpy(p->terminal, tty, sizeof(p->terminal));
}

/* Resolve run-as (a user name or a uid) into ids and groups. */
int
spawn_plan_ids(struct spawn_plan *p, const char *run_as)
{
	struct passwd	*pw;
	char		*end;
	unsigned long	 n;

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
		return (-1);
	}
	p->uid = pw->pw_uid;
	p->gid = pw->pw_gid;
	p->ngroups = SPAWN_MAX_GROUPS;
	if (getgrouplist(run_as, pw->pw_gid, p->groups, &p->ngroups) < 0) {
		p->groups[0] = pw->pw_gid;
		p->ngroups = 1;
	}
	return (0);
}

/*
 * The settings of the platform layer: I/O priority, out-of-memory score,
 * capabilities and securebits, no-new-privs.  Read here, before the
 * fork (libcap allocates); the child makes only system calls of them.
 * -1 with errno when the capabilities cannot be read (checked at load,
 * so only for want of memory).
 */
int
spawn_plan_privs(struct spawn_plan *p, const struct service_desc *desc)
{
	p->has_ioprio = desc->rare->ioprio != NULL &&
	    parse_ioprio(desc->rare->ioprio, &p->ioprio_class,
	    &p->ioprio_level) == 0;
	p->has_oom_score_adj = desc->rare->has_oom_score_adj;
	p->oom_score_adj = desc->rare->oom_score_adj;
	p->no_new_privs = (desc->options & OPT_NO_NEW_PRIVS) != 0;
	memset(&p->caps, 0, sizeof(p->caps));
	if (desc->rare->capabilities != NULL &&
	    osdep_caps_parse(desc->rare->capabilities, &p->caps) != 0)
		return (-1);
	if (desc->rare->securebits != NULL) {
		p->caps.has_securebits = 1;
		p->caps.securebits = parse_securebits(desc->rare->securebits);
	}
	p->has_caps = p->caps.has_iab || p->caps.has_securebits;
	return (0);
}

/*
 * A service on the system console gets a TERM: the kernel's, which is in
 * our environment when it gave one, or else what the console emulates.
 */
int
spawn_env_term(const struct spawn_plan *p, struct environ *env)
{
	const char	*term;

	if ((p->stdio != SPAWN_STDIO_TERMINAL &&
	    p->stdio != SPAWN_STDIO_INHERIT) || getpid() != 1 ||
	    environ_get(env, "TERM", 4) != NULL ||
	    (term = osdep_console_term()) == NULL)
		return (0);
	return (environ_set(env, "TERM", term));
}

/*
 * The utmpx record of a process service's line (inittab-id,
 * inittab-line): INIT_PROCESS when it has started (pid), DEAD_PROCESS
 * when it has ended (pid 0).
 */
void
spawn_utmpx(const struct service *s, pid_t pid)
{
	const struct service_desc	*desc = s->desc;
	const char			*id, *line;
	int				 r;

	if (desc->rare->inittab_id == NULL && desc->rare->inittab_line == NULL)
		return;
	id = desc->rare->inittab_id != NULL ? desc->rare->inittab_id : "";
	line = desc->rare->inittab_line != NULL ? desc->rare->inittab_line : "";
	r = pid != 0 ? osdep_utmpx_init(id, line, pid) :
	    osdep_utmpx_dead(id, line);
	if (r != 0)
		log_warn("service %s: cannot write its utmpx record", s->name);
}

/* Make a close-on-exec pipe. */
int
spawn_pipe(int fds[2])
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

/* Report a failed stage to the parent and end the child. */
static void NORETURN
spawn_fail(int status_fd, enum exec_stage stage)
{
	int	rec[SPAWN_REPORT_INTS];

	rec[0] = (int)stage;
	rec[1] = errno;
	(void)write(status_fd, rec, sizeof(rec));
	_exit(stage == STAGE_EXEC ? SPAWN_EXIT_NOEXEC : SPAWN_EXIT_SETUP);
}

/* In the child: every signal at its default, all of them blocked. */
static void
spawn_signals(void)
{
	struct sigaction	sa;
	int			sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
}

/*
 * In the child: a description of its own of the terminal, as standard
 * descriptors and controlling terminal.  Ours is non-blocking, which a
 * program on the terminal must not see.
 */
static void
spawn_terminal(const struct spawn_plan *p, int status_fd)
{
	int	fd;

	if ((fd = open(p->terminal, O_RDWR | O_APPEND)) < 0)
		spawn_fail(status_fd, STAGE_STDIO);
	(void)ioctl(fd, TIOCSCTTY, 0);
	(void)tcsetpgrp(fd, getpid());
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		spawn_fail(status_fd, STAGE_STDIO);
	if (fd > 2)
		(void)close(fd);
}

/* The number a passed descriptor is to have in the child. */
static int
spawn_target(const struct spawn_fd *f)
{
	return (f->to >= 0 ? f->to : f->fd);
}

/* Whether a passed descriptor other than skip is to land on fd. */
static int
spawn_is_target(const struct spawn_plan *p, int fd, int skip)
{
	int	i;

	for (i = 0; i < p->npass; i++) {
		if (i != skip && spawn_target(&p->pass[i]) == fd)
			return (1);
	}
	return (0);
}

/*
 * In the child: move a descriptor the plan names (in the child's copy
 * *fd) above the standard ones and every target when it is in the way.
 */
static void
spawn_clear_of_targets(const struct spawn_plan *p, int *fd, int skip,
    int low, int *status_fd)
{
	int	floor = 3, i, moved;

	if (*fd < 0 || (*fd >= low && !spawn_is_target(p, *fd, skip)))
		return;
	for (i = 0; i < p->npass; i++) {
		if (spawn_target(&p->pass[i]) >= floor)
			floor = spawn_target(&p->pass[i]) + 1;
	}
	if ((moved = fcntl(*fd, F_DUPFD_CLOEXEC, floor)) < 0)
		spawn_fail(*status_fd, STAGE_FDS);
	*fd = moved;
}

/*
 * In the child: put the passed descriptors at their numbers, first moving
 * the status pipe and any source that a target would overwrite.  fds[]
 * is the child's copy of the sources.
 */
static void
spawn_pass(const struct spawn_plan *p, int *status_fd, int *fds,
    int *out_fd, int *in_fd)
{
	int	i, to;

	spawn_clear_of_targets(p, status_fd, -1, 3, status_fd);
	for (i = 0; i < p->npass; i++) {
		fds[i] = p->pass[i].fd;
		if (fds[i] != spawn_target(&p->pass[i]))
			spawn_clear_of_targets(p, &fds[i], i, 0, status_fd);
	}
	spawn_clear_of_targets(p, out_fd, -1, 0, status_fd);
	spawn_clear_of_targets(p, in_fd, -1, 0, status_fd);
	for (i = 0; i < p->npass; i++) {
		to = spawn_target(&p->pass[i]);
		if (fds[i] != to) {
			if (dup2(fds[i], to) < 0)
				spawn_fail(*status_fd, STAGE_FDS);
		} else if (fcntl(to, F_SETFD, 0) != 0)
			spawn_fail(*status_fd, STAGE_FDS);
	}
}

/*
 * In the child: standard input from in_fd or /dev/null; output to out_fd
 * or /dev/null.  A log file is opened by the parent: opening a FIFO here
 * could block, and with vfork dinit would wait with it.
 */
static void
spawn_stdio(const struct spawn_plan *p, int status_fd, int out_fd, int in_fd)
{
	int	null, in, out;

	if ((null = open("/dev/null", O_RDWR)) < 0)
		spawn_fail(status_fd, STAGE_STDIO);
	in = in_fd != -1 ? in_fd : null;
	out = out_fd != -1 ? out_fd : null;
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		spawn_fail(status_fd, STAGE_STDIO);
	if (null > 2 && !spawn_is_target(p, null, -1))
		(void)close(null);
	if (out > 2 && out != null && !spawn_is_target(p, out, -1))
		(void)close(out);
	if (in > 2 && in != null && in != out && !spawn_is_target(p, in, -1))
		(void)close(in);
}

/*
 * In the child: the rlimits, the priorities and the out-of-memory score
 * (while we may still lower them), then the ids, then the capabilities,
 * the securebits and no-new-privs (which need the ids settled).
 */
static void
spawn_limits_ids(const struct spawn_plan *p, int status_fd)
{
	const struct rlimit_setting	*set;
	struct rlimit			 rl;
	int				 i;

	for (i = 0; i < SPAWN_NLIMITS; i++) {
		set = &p->limits[i];
		if ((!set->set_soft && !set->set_hard) ||
		    spawn_resources[i] < 0)
			continue;
		if (getrlimit(spawn_resources[i], &rl) != 0)
			spawn_fail(status_fd, STAGE_RLIMITS);
		if (set->set_soft)
			rl.rlim_cur = set->soft;
		if (set->set_hard)
			rl.rlim_max = set->hard;
		if (setrlimit(spawn_resources[i], &rl) != 0)
			spawn_fail(status_fd, STAGE_RLIMITS);
	}
	if (p->has_nice && setpriority(PRIO_PROCESS, 0, p->nice) != 0)
		spawn_fail(status_fd, STAGE_PRIORITY);
	if (p->has_ioprio &&
	    osdep_ioprio(p->ioprio_class, p->ioprio_level) != 0)
		spawn_fail(status_fd, STAGE_PRIORITY);
	if (p->has_oom_score_adj && osdep_oom_score_adj(p->oom_score_adj) != 0)
		spawn_fail(status_fd, STAGE_PRIORITY);
	if (p->set_ids) {
		/* The capabilities are given after the ids: keep them. */
		if (p->has_caps && osdep_caps_keep() != 0)
			spawn_fail(status_fd, STAGE_CAPABILITIES);
		if (setgroups((size_t)p->ngroups, p->groups) != 0 ||
		    setgid(p->gid) != 0 || setuid(p->uid) != 0)
			spawn_fail(status_fd, STAGE_SETUID);
	}
	if (p->has_caps && osdep_caps_apply(&p->caps) != 0)
		spawn_fail(status_fd, STAGE_CAPABILITIES);
	if (p->no_new_privs && osdep_no_new_privs() != 0)
		spawn_fail(status_fd, STAGE_CAPABILITIES);
}

/*
 * In the child: exec, with envp[pid_env] completed by our own pid, which
 * only the child knows (LISTEN_PID).  The changed array is a copy on our
 * own stack: the plan's is the parent's memory.
 */
static void
spawn_execve(const struct spawn_plan *p)
{
	char		 var[PATH_MAX], digits[3 * sizeof(pid_t) + 1];
	char		*envp[p->pid_env >= 0 ? p->nenv + 1 : 1];
	const char	*name;
	size_t		 i, len, n = 0;
	pid_t		 pid;

	if (p->pid_env < 0 || (size_t)p->pid_env >= p->nenv) {
		execve(p->path, p->argv, p->envp);
		return;
	}
	for (pid = getpid(); n == 0 || pid > 0; pid /= 10)
		digits[n++] = (char)('0' + pid % 10);
	name = p->envp[p->pid_env];
	len = strlen(name);
	if (len + n + 1 > sizeof(var)) {
		errno = E2BIG;
		return;
	}
	memcpy(var, name, len);
	for (i = 0; i < n; i++)
		var[len + i] = digits[n - 1 - i];
	var[len + n] = '\0';
	for (i = 0; i < p->nenv; i++)
		envp[i] = p->envp[i];
	envp[p->pid_env] = var;
	envp[p->nenv] = NULL;
	execve(p->path, p->argv, envp);
}

/*
 * The child, between vfork and exec: only its own stack and
 * async-signal-safe calls from here on, and nothing written into the plan
 * (it is the parent's memory).
 */
static void NORETURN
spawn_exec(const struct spawn_plan *p, int status_fd)
{
	int	fds[SPAWN_MAX_PASS], out_fd = p->out_fd, in_fd = p->in_fd;

	spawn_signals();
	if (p->new_session)
		(void)setsid();
	if (p->cgroup != NULL && osdep_cgroup_join(p->cgroup) != 0)
		spawn_fail(status_fd, STAGE_CGROUP);
	if (p->reaper)
		(void)osdep_reaper_acquire();	/* checked before any use */
	if (p->stdio == SPAWN_STDIO_TERMINAL && p->terminal[0] != '\0')
		spawn_terminal(p, status_fd);
	spawn_pass(p, &status_fd, fds, &out_fd, &in_fd);
	if (p->stdio == SPAWN_STDIO_NULL)
		spawn_stdio(p, status_fd, out_fd, in_fd);
	if (p->dir != NULL && chdir(p->dir) != 0)
		spawn_fail(status_fd, STAGE_CHDIR);
	spawn_limits_ids(p, status_fd);
	(void)sigprocmask(SIG_SETMASK, &p->mask, NULL);
	spawn_execve(p);
	spawn_fail(status_fd, STAGE_EXEC);
}

/* What the child of osdep_spawn_shared is given. */
struct spawn_shared {
	const struct spawn_plan	*plan;
	int			 status_fd;
	int			 keep;		/* copy the fds below this */
};

/*
 * The child of osdep_spawn_shared: until it has a descriptor table of its
 * own, it shares ours, so that comes first.
 */
static int
spawn_shared_main(void *arg)
{
	const struct spawn_shared	*c = arg;

	if (osdep_unshare_fds(c->keep) != 0)
		spawn_fail(c->status_fd, STAGE_FDS);
	spawn_exec(c->plan, c->status_fd);
}

/*
 * The first descriptor the child need not copy: the plan's own_fds, or
 * past the highest one it is given if that is higher.
 */
static int
spawn_keep_below(const struct spawn_plan *p, int status_fd)
{
	int	keep = p->own_fds, i;

	if (status_fd >= keep)
		keep = status_fd + 1;
	if (p->in_fd >= keep)
		keep = p->in_fd + 1;
	if (p->out_fd >= keep)
		keep = p->out_fd + 1;
	for (i = 0; i < p->npass; i++) {
		if (p->pass[i].fd >= keep)
			keep = p->pass[i].fd + 1;
	}
	return (keep);
}

/*
 * Fork the child and run it.  Kept apart so the parent's locals are not
 * live across vfork.  With own_fds, the child copies only the descriptors
 * below them (the process layer's child watches live there, and copying
 * thousands of them made every launch cost O(N)).
 */
static pid_t __attribute__((__noinline__))
spawn_fork(const struct spawn_plan *p, int status_fd)
{
	struct spawn_shared	c;
	pid_t			pid;

	if (p->own_fds > 0) {
		c.plan = p;
		c.status_fd = status_fd;
		c.keep = spawn_keep_below(p, status_fd);
		if ((pid = osdep_spawn_shared(spawn_shared_main, &c)) != -1 ||
		    errno != ENOSYS)
			return (pid);
	}
	pid = vfork();
	if (pid == 0)
		spawn_exec(p, status_fd);
	return (pid);
}

/*
 * Read a child's status pipe: a (stage, errno) record means the launch
 * failed, EOF means the exec succeeded.  0 once the outcome is known (it
 * is in r), -1 when nothing can be read yet.  The pipe stays open for
 * spawn_report_close.
 */
int
spawn_report_read(struct spawn_report *r)
{
	int	rec[SPAWN_REPORT_INTS];
	ssize_t	n;

	if (r->status_fd == -1)
		return (0);
	do
		n = read(r->status_fd, rec, sizeof(rec));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return (-1);
	r->stage = n == (ssize_t)sizeof(rec) ? rec[0] : -1;
	r->error = n == (ssize_t)sizeof(rec) ? rec[1] : 0;
	return (0);
}

/* Close the status pipe of a report. */
void
spawn_report_close(struct spawn_report *r)
{
	if (r->status_fd == -1)
		return;
	(void)close(r->status_fd);
	r->status_fd = -1;
}

/*
 * Make a child that carries out the plan.  Returns its pid, with r
 * telling how its launch went: known at once after vfork (r->status_fd
 * is -1, r->stage -1 or the stage that failed), or after fork, to be read
 * with spawn_report_read when r->status_fd (non-blocking) is readable.
 * Returns -1 with errno, and r->stage STAGE_FORK, when no child was made.
 */
pid_t
spawn_child(const struct spawn_plan *p, struct spawn_report *r)
{
	sigset_t	all, saved;
	int		status[2], saved_errno;
	pid_t		pid;

	r->status_fd = -1;
	r->stage = STAGE_FORK;
	r->error = 0;
	if (spawn_pipe(status) != 0) {
		r->error = errno;
		return (-1);
	}
	(void)sigfillset(&all);
	(void)sigprocmask(SIG_SETMASK, &all, &saved);
	pid = spawn_fork(p, status[1]);
	saved_errno = errno;
	(void)sigprocmask(SIG_SETMASK, &saved, NULL);
	(void)close(status[1]);
	if (pid < 0) {
		(void)close(status[0]);
		r->error = errno = saved_errno;
		return (-1);
	}
	r->status_fd = status[0];
#ifdef HAVE_WORKING_VFORK
	/*
	 * vfork returned, so the child has exec'd or exited: its outcome is
	 * in the pipe already, and no writer is left.  Read it now rather
	 * than keep a descriptor per launch open until the loop runs (with
	 * thousands of launches in one go, every vfork would copy them all).
	 */
	(void)spawn_report_read(r);
	spawn_report_close(r);
#else
	r->stage = -1;
	(void)fcntl(status[0], F_SETFL, O_NONBLOCK);
#endif
	return (pid);
}
