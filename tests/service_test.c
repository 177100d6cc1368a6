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
 * Unit tests of the engine (service.c), driven through a fake process
 * layer.  The fake records every call the engine makes (launches, signals,
 * timers, state events, chains) in one ordered log, keeps a table of the
 * fake children that are alive, and runs a clock the tests advance by
 * hand.  It also checks invariants on every call: events match states,
 * set->active matches the services not STOPPED, signals only go to live
 * children, and a service never has two main processes at once.
 */

#include "dinit.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <atf-c.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Wait statuses as waitpid(2) reports them. */
#define EXITED(n)	(((n) & 0xff) << 8)
#define KILLED(n)	((n) & 0x7f)

#define CHAIN_LEN	5000
#define STACK_LIMIT	(64 * 1024)

enum call_type {
	CALL_LAUNCH,
	CALL_KILL,
	CALL_TIMER_SET,
	CALL_TIMER_CLEAR,
	CALL_NOTIFY,
	CALL_CHAIN,
	CALL_KILL_ALL
};

/* One call the engine made through the ops table. */
struct call {
	enum call_type		 type;
	struct service		*s;
	int			 what;	/* launch kind or event */
	pid_t			 pid;	/* launched or signalled */
	int			 sig;
	int			 group;
	unsigned long		 ms;
	enum service_state	 state;	/* the service's state at the call */
	char			 chain[32];
};

/* A fake child that has been launched and not yet reaped. */
struct child {
	struct service		*s;
	pid_t			 pid;
	enum launch_kind	 kind;
};

/*
 * The per-service record of the fake process layer: service_new puts it
 * just before the service (record_size), as it does proc.c's.
 */
struct fake_proc {
	int			 timer_armed;
	unsigned long		 timer_ms;
	int			 attached;
};

static struct {
	struct call		*calls;
	size_t			 ncalls;
	size_t			 cap;
	struct child		 children[64];
	size_t			 nchildren;
	pid_t			 next_pid;
	uint64_t		 now;
	int			 launch_errno;	/* launches fail with it */
	int			 timer_fails;	/* timers cannot be armed */
	int			 violations;
	char			 violation[256];
	char			*stack_base;
	size_t			 stack_max;
} fake;

static struct service_set	set;

/* Note a broken invariant; the test's end checks there were none. */
static void
fake_violation(const char *what, const struct service *s)
{
	if (fake.violations++ == 0)
		(void)snprintf(fake.violation, sizeof(fake.violation),
		    "%s (service %s)", what, s != NULL ? s->name : "-");
}

/* Track how deep in the stack the engine calls us. */
static void
fake_stack_probe(void)
{
	char	*here = __builtin_frame_address(0);
	size_t	 depth;

	if (fake.stack_base == NULL)
		return;
	depth = fake.stack_base > here ? (size_t)(fake.stack_base - here) :
	    (size_t)(here - fake.stack_base);
	if (depth > fake.stack_max)
		fake.stack_max = depth;
}

/* Append a call to the log and return it. */
static struct call *
fake_record(enum call_type type, struct service *s)
{
	struct call	*c;

	fake_stack_probe();
	if (fake.ncalls == fake.cap) {
		fake.cap = fake.cap == 0 ? 256 : fake.cap * 2;
		fake.calls = realloc(fake.calls, fake.cap * sizeof(*c));
		ATF_REQUIRE(fake.calls != NULL);
	}
	c = &fake.calls[fake.ncalls++];
	memset(c, 0, sizeof(*c));
	c->type = type;
	c->s = s;
	c->state = s->state;
	return (c);
}

/* The fake child with this pid, or NULL. */
static struct child *
fake_child(pid_t pid)
{
	size_t	i;

	for (i = 0; i < fake.nchildren; i++) {
		if (fake.children[i].pid == pid)
			return (&fake.children[i]);
	}
	return (NULL);
}

/* ops->record_size: the fake record, rounded as service_new rounds. */
static size_t
fake_record_size(void)
{
	return (SERVICE_RECORD(sizeof(struct fake_proc)));
}

/* A service's fake record, just before it. */
static struct fake_proc *
fake_proc_of(const struct service *s)
{
	return ((struct fake_proc *)(void *)((char *)(uintptr_t)s -
	    fake_record_size()));
}

/* ops->attach: the record came zeroed with the service. */
static int
fake_attach(struct service *s)
{
	struct fake_proc	*fp = fake_proc_of(s);

	ATF_CHECK(!fp->attached);
	fp->attached = 1;
	return (0);
}

/* ops->detach */
static void
fake_detach(struct service *s)
{
	struct fake_proc	*fp = fake_proc_of(s);

	ATF_CHECK(fp->attached);
	fp->attached = 0;
}

/* ops->launch: a new fake child, or a failure with fake.launch_errno. */
static int
fake_launch(struct service *s, enum launch_kind kind, pid_t *pid)
{
	struct call	*c;
	size_t		 i;

	c = fake_record(CALL_LAUNCH, s);
	c->what = kind;
	if (s->desc == NULL || (kind == LAUNCH_START ?
	    s->desc->command : s->desc->stop_command) == NULL)
		fake_violation("launch without a command", s);
	if (fake.launch_errno != 0) {
		c->pid = -1;
		errno = fake.launch_errno;
		return (-1);
	}
	for (i = 0; i < fake.nchildren; i++) {
		if (fake.children[i].s == s && fake.children[i].kind == kind)
			fake_violation("second live process of one kind", s);
	}
	ATF_REQUIRE(fake.nchildren < sizeof(fake.children) /
	    sizeof(*fake.children));
	*pid = c->pid = fake.next_pid++;
	fake.children[fake.nchildren].s = s;
	fake.children[fake.nchildren].pid = *pid;
	fake.children[fake.nchildren].kind = kind;
	fake.nchildren++;
	return (0);
}

/* ops->kill: recorded; the target must be a live child of the service. */
static int
fake_kill(struct service *s, pid_t pid, int sig, int group)
{
	struct call	*c;
	struct child	*ch;

	c = fake_record(CALL_KILL, s);
	c->pid = pid;
	c->sig = sig;
	c->group = group;
	if ((ch = fake_child(pid)) == NULL || ch->s != s) {
		fake_violation("signal to a process that is not ours", s);
		errno = ESRCH;
		return (-1);
	}
	return (0);
}

/* ops->timer_set: recorded; fails while fake.timer_fails is set. */
static int
fake_timer_set(struct service *s, unsigned long ms)
{
	struct fake_proc	*fp = fake_proc_of(s);
	struct call		*c;

	c = fake_record(CALL_TIMER_SET, s);
	c->ms = ms;
	if (fake.timer_fails)
		return (-1);
	fp->timer_armed = 1;
	fp->timer_ms = ms;
	return (0);
}

/* ops->timer_clear */
static void
fake_timer_clear(struct service *s)
{
	struct fake_proc	*fp = fake_proc_of(s);

	(void)fake_record(CALL_TIMER_CLEAR, s);
	fp->timer_armed = 0;
}

/* ops->now: the fake clock. */
static uint64_t
fake_now(void)
{
	return (fake.now);
}

/* ops->notify: recorded, and checked against the service's state. */
static void
fake_notify(struct service *s, enum service_event event)
{
	struct call	*c;
	struct service	*t;
	unsigned	 active = 0;

	c = fake_record(CALL_NOTIFY, s);
	c->what = event;
	switch (event) {
	case SERVICE_EVENT_STARTED:
	case SERVICE_EVENT_STOP_CANCELLED:
		if (s->state != SERVICE_STARTED)
			fake_violation("start event while not STARTED", s);
		break;
	default:
		if (s->state != SERVICE_STOPPED)
			fake_violation("stop event while not STOPPED", s);
		break;
	}
	if (s->set->count <= 100) {
		TAILQ_FOREACH(t, &s->set->services, set_entry) {
			if (t->state != SERVICE_STOPPED)
				active++;
		}
		if (active != s->set->active)
			fake_violation("set->active is wrong", s);
	}
}

/* ops->chain */
static void
fake_chain(struct service *s, const char *name)
{
	struct call	*c;

	c = fake_record(CALL_CHAIN, s);
	(void)strlcpy(c->chain, name, sizeof(c->chain));
}

/* ops->kill_all: recorded. */
static void
fake_kill_all(struct service *s, int sig)
{
	fake_record(CALL_KILL_ALL, s)->sig = sig;
}

static const struct service_ops fake_ops = {
	.record_size = fake_record_size,
	.attach = fake_attach,
	.detach = fake_detach,
	.launch = fake_launch,
	.kill = fake_kill,
	.kill_all = fake_kill_all,
	.timer_set = fake_timer_set,
	.timer_clear = fake_timer_clear,
	.now = fake_now,
	.notify = fake_notify,
	.chain = fake_chain
};

/* A fresh fake and an empty set; the engine's own log is silenced. */
static void
setup(void)
{
	free(fake.calls);
	memset(&fake, 0, sizeof(fake));
	fake.next_pid = 100;
	fake.now = 1000;
	log_set_sink(LOG_SINK_MAIN, -1, LOG_LEVEL_NONE);
	log_set_sink(LOG_SINK_CONSOLE, -1, LOG_LEVEL_NONE);
	service_set_init(&set, &fake_ops);
}

/* Check the invariants held throughout, then free everything. */
static void
teardown(void)
{
	ATF_CHECK_MSG(fake.violations == 0, "%d invariant violation(s), "
	    "first: %s", fake.violations, fake.violation);
	service_set_free(&set);
	free(fake.calls);
	fake.calls = NULL;
	fake.ncalls = fake.cap = 0;
}

/* A NULL-terminated argv of one word. */
static char **
mkargv(const char *word)
{
	char	**argv;

	/* One block, as the parser makes them. */
	ATF_REQUIRE((argv = mem_zalloc(2 * sizeof(*argv) + strlen(word) +
	    1)) != NULL);
	argv[0] = strcpy((char *)(argv + 2), word);
	return (argv);
}

/*
 * A service of this type with a description of defaults: restart no,
 * SIGTERM, no timeouts, no readiness.  Tests adjust s->desc afterwards.
 */
static struct service *
mksvc(const char *name, enum service_type type)
{
	struct service		*s;
	struct service_desc	*desc;

	ATF_REQUIRE((s = service_new(&set, name)) != NULL);
	ATF_REQUIRE((desc = mem_zalloc(sizeof(*desc))) != NULL);
	ATF_REQUIRE((desc->rare = mem_zalloc(sizeof(*desc->rare))) != NULL);
	desc->name = s->name;
	desc->type = type;
	desc->term_signal = SIGTERM;
	desc->rare->ready_fd = -1;
	desc->restart = RESTART_NO;
	if (type == SERVICE_PROCESS || type == SERVICE_SCRIPTED ||
	    type == SERVICE_BGPROCESS)
		desc->command = mkargv("/bin/true");
	service_apply_desc(s, desc);
	return (s);
}

/* Add an edge; it must succeed. */
static void
dep(struct service *from, struct service *to, enum dependency_type type)
{
	ATF_REQUIRE(service_add_dep(from, to, type) != NULL);
}

/* Forget the calls recorded so far. */
static void
clear_calls(void)
{
	fake.ncalls = 0;
}

/*
 * How many calls of this type (and launch kind or event, -1: any) for s
 * (NULL: any service).
 */
static int
count(const struct service *s, enum call_type type, int what)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < fake.ncalls; i++) {
		if ((s == NULL || fake.calls[i].s == s) &&
		    fake.calls[i].type == type &&
		    (what < 0 || fake.calls[i].what == what))
			n++;
	}
	return (n);
}

/* Index in the log of the nth call of this type and what, or -1. */
static long
call_index(const struct service *s, enum call_type type, int what, int nth)
{
	size_t	i;

	for (i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].s == s && fake.calls[i].type == type &&
		    (what < 0 || fake.calls[i].what == what) && nth-- == 0)
			return ((long)i);
	}
	return (-1);
}

/* The last call of this type for s; the test fails if there is none. */
static const struct call *
last_call(const struct service *s, enum call_type type)
{
	size_t	i;

	for (i = fake.ncalls; i > 0; i--) {
		if (fake.calls[i - 1].s == s && fake.calls[i - 1].type == type)
			return (&fake.calls[i - 1]);
	}
	atf_tc_fail("service %s: no call of type %d", s->name, (int)type);
	return (NULL);
}

/* The pid of the last main (or stop) process launched for s. */
static pid_t
last_pid(const struct service *s, enum launch_kind kind)
{
	size_t	i;

	for (i = fake.ncalls; i > 0; i--) {
		if (fake.calls[i - 1].s == s &&
		    fake.calls[i - 1].type == CALL_LAUNCH &&
		    fake.calls[i - 1].what == (int)kind)
			return (fake.calls[i - 1].pid);
	}
	atf_tc_fail("service %s: nothing launched", s->name);
	return (-1);
}

/* The state events of s in the log, as words ("STARTED STOPPED"). */
static const char *
events(const struct service *s)
{
	static const char *const names[] = {
		"STARTED", "STOPPED", "FAILED", "START_CANCELLED",
		"STOP_CANCELLED"
	};
	static char	buf[512];
	size_t		i;

	buf[0] = '\0';
	for (i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].s != s || fake.calls[i].type != CALL_NOTIFY)
			continue;
		if (buf[0] != '\0')
			(void)strlcat(buf, " ", sizeof(buf));
		(void)strlcat(buf, names[fake.calls[i].what], sizeof(buf));
	}
	return (buf);
}

/* Index of the nth event of s, or -1. */
static long
event_at(const struct service *s, enum service_event event, int nth)
{
	return (call_index(s, CALL_NOTIFY, (int)event, nth));
}

/* Index of the nth launch of the start command of s, or -1. */
static long
launch_at(const struct service *s, int nth)
{
	return (call_index(s, CALL_LAUNCH, LAUNCH_START, nth));
}

/* Index of the first signal sig to s, or -1. */
static long
kill_at(const struct service *s, int sig)
{
	size_t	i;

	for (i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].s == s && fake.calls[i].type == CALL_KILL &&
		    fake.calls[i].sig == sig)
			return ((long)i);
	}
	return (-1);
}

/* Whether s sent sig to pid. */
static int
signalled(const struct service *s, pid_t pid, int sig)
{
	size_t	i;

	for (i = 0; i < fake.ncalls; i++) {
		if (fake.calls[i].s == s && fake.calls[i].type == CALL_KILL &&
		    fake.calls[i].pid == pid && fake.calls[i].sig == sig)
			return (1);
	}
	return (0);
}

/* Launches of the start command of s. */
static int
launches(const struct service *s)
{
	return (count(s, CALL_LAUNCH, LAUNCH_START));
}

/* Signals sent to s. */
static int
kills(const struct service *s)
{
	return (count(s, CALL_KILL, -1));
}

/* Whether the service's timer is armed, and for how long. */
static int
timer_armed(const struct service *s, unsigned long *ms)
{
	const struct fake_proc	*fp = fake_proc_of(s);

	if (ms != NULL)
		*ms = fp->timer_ms;
	return (fp->timer_armed);
}

/* Fire the service's timer, which must be armed. */
static void
fire_timer(struct service *s)
{
	struct fake_proc	*fp = fake_proc_of(s);

	ATF_REQUIRE_MSG(fp->timer_armed, "service %s: no timer armed",
	    s->name);
	fp->timer_armed = 0;
	service_timer_expired(s);
}

/* A child of s ends with status: reaped, then reported. */
static void
child_exit(struct service *s, pid_t pid, int status)
{
	struct child	*ch;

	ATF_REQUIRE_MSG((ch = fake_child(pid)) != NULL && ch->s == s,
	    "service %s: pid %ld is not a live child", s->name, (long)pid);
	*ch = fake.children[--fake.nchildren];
	service_child_exited(s, pid, status);
}

/* The main process of s ends with status. */
static void
main_exit(struct service *s, int status)
{
	ATF_REQUIRE_MSG(s->pid > 0, "service %s has no process", s->name);
	child_exit(s, s->pid, status);
}

/* The exec of the current main process of s succeeds. */
static void
exec_ok(struct service *s)
{
	ATF_REQUIRE_MSG(s->pid > 0, "service %s has no process", s->name);
	service_child_started(s, s->pid);
}

/* Start a process service and let its exec succeed. */
static void
start_process(struct service *s)
{
	ATF_REQUIRE_EQ(0, service_start(s, 0));
	exec_ok(s);
	ATF_REQUIRE_EQ(SERVICE_STARTED, s->state);
}

#define CHECK_STATE(s, st)	ATF_CHECK_EQ_MSG((st), (s)->state,	\
	"service %s is %s, expected %s", (s)->name,			\
	service_state_name((s)->state), service_state_name(st))
#define CHECK_EVENTS(s, str)	ATF_CHECK_STREQ_MSG((str), events(s),	\
	"events of service %s", (s)->name)
#define CHECK_BEFORE(a, b)	do {					\
	long	_a = (a), _b = (b);					\
	ATF_CHECK_MSG(_a >= 0 && _b >= 0 && _a < _b,			\
	    "%s (%ld) should come before %s (%ld)", #a, _a, #b, _b);	\
} while (0)

/*
 * Internal services.
 */

ATF_TC_WITHOUT_HEAD(internal_start_stop);
ATF_TC_BODY(internal_start_stop, tc)
{
	struct service	*a;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(a));

	ATF_CHECK_EQ(0, service_start(a, 0));
	CHECK_STATE(a, SERVICE_STARTED);
	ATF_CHECK_EQ(SERVICE_STARTED, service_target(a));
	ATF_CHECK_EQ(1, set.active);
	CHECK_EVENTS(a, "STARTED");

	ATF_CHECK_EQ(0, service_stop(a, 0));
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(a));
	ATF_CHECK_EQ(STOP_NORMAL, a->stop_reason);
	ATF_CHECK(!service_is_failed(a));
	ATF_CHECK_EQ(0, set.active);
	CHECK_EVENTS(a, "STARTED STOPPED");
	ATF_CHECK_EQ(0, count(a, CALL_LAUNCH, -1));
	teardown();
}

ATF_TC_WITHOUT_HEAD(placeholder_refuses_start);
ATF_TC_BODY(placeholder_refuses_start, tc)
{
	struct service	*p;

	setup();
	ATF_REQUIRE((p = service_new(&set, "ghost")) != NULL);
	ATF_CHECK_EQ(SERVICE_PLACEHOLDER, p->type);
	ATF_CHECK(service_find(&set, "ghost") == p);
	errno = 0;
	ATF_CHECK_EQ(-1, service_start(p, 0));
	ATF_CHECK_EQ(ENOENT, errno);
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

/*
 * Process services.
 */

ATF_TC_WITHOUT_HEAD(process_start_stop);
ATF_TC_BODY(process_start_stop, tc)
{
	struct service	*p;
	const struct call *c;
	pid_t		 pid;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	ATF_CHECK_EQ(0, service_start(p, 0));
	CHECK_STATE(p, SERVICE_STARTING);
	ATF_CHECK_EQ(1, launches(p));
	pid = last_pid(p, LAUNCH_START);
	ATF_CHECK_EQ(pid, p->pid);
	CHECK_EVENTS(p, "");
	ATF_CHECK_EQ(1, set.active);

	/* A stale pid changes nothing. */
	service_child_started(p, pid + 1000);
	CHECK_STATE(p, SERVICE_STARTING);

	service_child_started(p, pid);
	CHECK_STATE(p, SERVICE_STARTED);
	CHECK_EVENTS(p, "STARTED");

	ATF_CHECK_EQ(0, service_stop(p, 0));
	CHECK_STATE(p, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, kills(p));
	c = last_call(p, CALL_KILL);
	ATF_CHECK_EQ(pid, c->pid);
	ATF_CHECK_EQ(SIGTERM, c->sig);
	ATF_CHECK_EQ(1, c->group);
	CHECK_EVENTS(p, "STARTED");

	main_exit(p, KILLED(SIGTERM));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, p->pid);
	ATF_CHECK_EQ(STOP_NORMAL, p->stop_reason);
	ATF_CHECK(!service_is_failed(p));
	ATF_CHECK_EQ(0, set.active);
	CHECK_EVENTS(p, "STARTED STOPPED");
	ATF_CHECK_EQ(1, launches(p));
	teardown();
}

ATF_TC_WITHOUT_HEAD(process_exec_failed);
ATF_TC_BODY(process_exec_failed, tc)
{
	struct service	*p;
	pid_t		 pid;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;	/* a failed start never restarts */
	ATF_CHECK_EQ(0, service_start(p, 0));
	pid = p->pid;
	service_child_exec_failed(p, pid, STAGE_CHDIR, ENOENT);
	child_exit(p, pid, EXITED(126));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_EXECFAILED, p->stop_reason);
	ATF_CHECK_EQ(STAGE_CHDIR, p->exec_stage);
	ATF_CHECK_EQ(ENOENT, p->exec_errno);
	ATF_CHECK(service_is_failed(p));
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(p));
	CHECK_EVENTS(p, "FAILED");
	ATF_CHECK_EQ(1, launches(p));
	ATF_CHECK_EQ(0, kills(p));
	ATF_CHECK_EQ(0, set.active);

	/* The stage and errno are kept until the next start. */
	ATF_CHECK_STREQ("changing directory",
	    service_stage_name(p->exec_stage));
	ATF_CHECK_EQ(0, service_start(p, 0));
	CHECK_STATE(p, SERVICE_STARTING);
	ATF_CHECK_EQ(2, launches(p));
	teardown();
}

ATF_TC_WITHOUT_HEAD(process_fork_failed);
ATF_TC_BODY(process_fork_failed, tc)
{
	struct service	*p, *a;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	a = mksvc("a", SERVICE_INTERNAL);
	dep(a, p, DEP_REGULAR);
	fake.launch_errno = EAGAIN;
	ATF_CHECK_EQ(0, service_start(a, 0));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_EXECFAILED, p->stop_reason);
	ATF_CHECK_EQ(STAGE_FORK, p->exec_stage);
	ATF_CHECK_EQ(EAGAIN, p->exec_errno);
	CHECK_EVENTS(p, "FAILED");
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, a->stop_reason);
	CHECK_EVENTS(a, "FAILED");
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(process_ready);
ATF_TC_BODY(process_ready, tc)
{
	struct service	*p, *a;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->rare->ready_fd = 3;
	a = mksvc("a", SERVICE_PROCESS);
	dep(a, p, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(p);
	/* Exec alone is not enough: the service waits for readiness. */
	CHECK_STATE(p, SERVICE_STARTING);
	CHECK_EVENTS(p, "");
	ATF_CHECK_EQ(0, launches(a));

	service_child_ready(p, p->pid, 1);
	CHECK_STATE(p, SERVICE_STARTED);
	CHECK_EVENTS(p, "STARTED");
	ATF_CHECK_EQ(1, launches(a));
	CHECK_STATE(a, SERVICE_STARTING);
	teardown();
}

ATF_TC_WITHOUT_HEAD(process_ready_eof);
ATF_TC_BODY(process_ready_eof, tc)
{
	struct service	*p;
	const struct call *c;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->rare->ready_fd = 3;
	ATF_CHECK_EQ(0, service_start(p, 0));
	exec_ok(p);
	service_child_ready(p, p->pid, 0);
	/* The process is still there: it is stopped, then fails. */
	CHECK_STATE(p, SERVICE_STOPPING);
	c = last_call(p, CALL_KILL);
	ATF_CHECK_EQ(SIGTERM, c->sig);
	CHECK_EVENTS(p, "");
	main_exit(p, KILLED(SIGTERM));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_FAILED, p->stop_reason);
	ATF_CHECK(service_is_failed(p));
	CHECK_EVENTS(p, "FAILED");
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(p));
	teardown();
}

ATF_TC_WITHOUT_HEAD(process_start_cancelled);
ATF_TC_BODY(process_start_cancelled, tc)
{
	struct service	*p;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	ATF_CHECK_EQ(0, service_start(p, 0));
	CHECK_STATE(p, SERVICE_STARTING);
	service_release(p);
	CHECK_STATE(p, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, kills(p));
	main_exit(p, KILLED(SIGTERM));
	CHECK_STATE(p, SERVICE_STOPPED);
	CHECK_EVENTS(p, "START_CANCELLED");
	ATF_CHECK(!service_is_failed(p));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(process_exit_no_restart);
ATF_TC_BODY(process_exit_no_restart, tc)
{
	struct service	*p, *a;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	a = mksvc("a", SERVICE_INTERNAL);
	dep(a, p, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(p);
	CHECK_STATE(a, SERVICE_STARTED);

	main_exit(p, EXITED(0));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_TERMINATED, p->stop_reason);
	ATF_CHECK_EQ(EXITED(0), p->exit_status);
	ATF_CHECK(p->has_exit_status);
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, a->stop_reason);
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(a));
	CHECK_EVENTS(a, "STARTED STOPPED");
	CHECK_EVENTS(p, "STARTED STOPPED");
	CHECK_BEFORE(event_at(a, SERVICE_EVENT_STOPPED, 0),
	    event_at(p, SERVICE_EVENT_STOPPED, 0));
	ATF_CHECK_EQ(1, launches(p));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

/*
 * Scripted services.
 */

ATF_TC_WITHOUT_HEAD(scripted_success);
ATF_TC_BODY(scripted_success, tc)
{
	struct service	*s;

	setup();
	s = mksvc("s", SERVICE_SCRIPTED);
	ATF_CHECK_EQ(0, service_start(s, 0));
	CHECK_STATE(s, SERVICE_STARTING);
	ATF_CHECK_EQ(1, launches(s));
	/* Exec success means nothing for a script. */
	exec_ok(s);
	CHECK_STATE(s, SERVICE_STARTING);
	main_exit(s, EXITED(0));
	CHECK_STATE(s, SERVICE_STARTED);
	ATF_CHECK_EQ(0, s->pid);
	CHECK_EVENTS(s, "STARTED");

	/* No stop-command: it stops at once. */
	ATF_CHECK_EQ(0, service_stop(s, 0));
	CHECK_STATE(s, SERVICE_STOPPED);
	CHECK_EVENTS(s, "STARTED STOPPED");
	ATF_CHECK_EQ(1, count(s, CALL_LAUNCH, -1));
	ATF_CHECK_EQ(0, kills(s));
	teardown();
}

ATF_TC_WITHOUT_HEAD(scripted_failure);
ATF_TC_BODY(scripted_failure, tc)
{
	struct service	*s;

	setup();
	s = mksvc("s", SERVICE_SCRIPTED);
	s->desc->stop_command = mkargv("/bin/stop");
	ATF_CHECK_EQ(0, service_start(s, 0));
	main_exit(s, EXITED(1));
	CHECK_STATE(s, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_FAILED, s->stop_reason);
	ATF_CHECK_EQ(EXITED(1), s->exit_status);
	ATF_CHECK(service_is_failed(s));
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(s));
	CHECK_EVENTS(s, "FAILED");
	/* A start that failed is not undone by the stop-command. */
	ATF_CHECK_EQ(0, count(s, CALL_LAUNCH, LAUNCH_STOP));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(scripted_skippable);
ATF_TC_BODY(scripted_skippable, tc)
{
	struct service	*s, *t;

	setup();
	s = mksvc("s", SERVICE_SCRIPTED);
	s->desc->options |= OPT_SKIPPABLE;
	t = mksvc("t", SERVICE_SCRIPTED);
	ATF_CHECK_EQ(0, service_start(s, 0));
	ATF_CHECK_EQ(0, service_start(t, 0));
	main_exit(s, KILLED(SIGINT));
	main_exit(t, KILLED(SIGINT));

	CHECK_STATE(s, SERVICE_STARTED);
	ATF_CHECK(s->skipped);
	CHECK_EVENTS(s, "STARTED");

	CHECK_STATE(t, SERVICE_STOPPED);
	ATF_CHECK(!t->skipped);
	ATF_CHECK_EQ(STOP_FAILED, t->stop_reason);
	CHECK_EVENTS(t, "FAILED");
	teardown();
}

ATF_TC_WITHOUT_HEAD(scripted_stop_command);
ATF_TC_BODY(scripted_stop_command, tc)
{
	struct service	*s;
	pid_t		 stop_pid;

	setup();
	s = mksvc("s", SERVICE_SCRIPTED);
	s->desc->stop_command = mkargv("/bin/stop");
	ATF_CHECK_EQ(0, service_start(s, 0));
	main_exit(s, EXITED(0));
	CHECK_STATE(s, SERVICE_STARTED);

	ATF_CHECK_EQ(0, service_stop(s, 0));
	CHECK_STATE(s, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, count(s, CALL_LAUNCH, LAUNCH_STOP));
	stop_pid = last_pid(s, LAUNCH_STOP);
	ATF_CHECK_EQ(stop_pid, s->stop_pid);
	ATF_CHECK_EQ(0, kills(s));
	CHECK_EVENTS(s, "STARTED");

	child_exit(s, stop_pid, EXITED(0));
	CHECK_STATE(s, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, s->stop_pid);
	CHECK_EVENTS(s, "STARTED STOPPED");
	ATF_CHECK_EQ(1, launches(s));
	teardown();
}

/*
 * kill-all-on-stop: SIGTERM to every process, the timer, SIGKILL, and
 * only then the stop command (which the kill would otherwise reach).
 */
ATF_TC_WITHOUT_HEAD(scripted_kill_all_on_stop);
ATF_TC_BODY(scripted_kill_all_on_stop, tc)
{
	struct service	*s;
	const struct call *c;
	unsigned long	 ms = 0;

	setup();
	s = mksvc("s", SERVICE_SCRIPTED);
	s->desc->stop_command = mkargv("/bin/stop");
	s->desc->options |= OPT_KILL_ALL_ON_STOP;
	ATF_CHECK_EQ(0, service_start(s, 0));
	main_exit(s, EXITED(0));
	CHECK_STATE(s, SERVICE_STARTED);
	ATF_CHECK_EQ(0, count(s, CALL_KILL_ALL, -1));

	ATF_CHECK_EQ(0, service_stop(s, 0));
	CHECK_STATE(s, SERVICE_STOPPING);
	ATF_REQUIRE((c = last_call(s, CALL_KILL_ALL)) != NULL);
	ATF_CHECK_EQ(SIGTERM, c->sig);
	ATF_CHECK_EQ(1, count(s, CALL_KILL_ALL, -1));
	ATF_CHECK(timer_armed(s, &ms));
	ATF_CHECK_EQ(1000, ms);
	ATF_CHECK_EQ(0, count(s, CALL_LAUNCH, LAUNCH_STOP));
	service_drain(&set);
	CHECK_STATE(s, SERVICE_STOPPING);

	fire_timer(s);
	ATF_REQUIRE((c = last_call(s, CALL_KILL_ALL)) != NULL);
	ATF_CHECK_EQ(SIGKILL, c->sig);
	ATF_CHECK_EQ(2, count(s, CALL_KILL_ALL, -1));
	ATF_CHECK_EQ(1, count(s, CALL_LAUNCH, LAUNCH_STOP));
	CHECK_STATE(s, SERVICE_STOPPING);
	child_exit(s, last_pid(s, LAUNCH_STOP), EXITED(0));
	CHECK_STATE(s, SERVICE_STOPPED);
	CHECK_EVENTS(s, "STARTED STOPPED");
	teardown();
}

ATF_TC_WITHOUT_HEAD(scripted_start_interruptible);
ATF_TC_BODY(scripted_start_interruptible, tc)
{
	struct service	*plain, *intr;
	const struct call *c;

	setup();
	plain = mksvc("plain", SERVICE_SCRIPTED);
	intr = mksvc("intr", SERVICE_SCRIPTED);
	intr->desc->options |= OPT_START_INTERRUPTIBLE;
	ATF_CHECK_EQ(0, service_start(plain, 0));
	ATF_CHECK_EQ(0, service_start(intr, 0));
	service_release(plain);
	service_release(intr);

	/* Without the option the start script is left to finish. */
	CHECK_STATE(plain, SERVICE_STARTING);
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(plain));
	ATF_CHECK_EQ(0, kills(plain));
	main_exit(plain, EXITED(0));
	CHECK_STATE(plain, SERVICE_STOPPED);
	CHECK_EVENTS(plain, "STARTED STOPPED");

	/* With it the script is interrupted with SIGINT. */
	CHECK_STATE(intr, SERVICE_STOPPING);
	c = last_call(intr, CALL_KILL);
	ATF_CHECK_EQ(SIGINT, c->sig);
	ATF_CHECK_EQ(intr->pid, c->pid);
	main_exit(intr, KILLED(SIGINT));
	CHECK_STATE(intr, SERVICE_STOPPED);
	ATF_CHECK(!intr->skipped);
	CHECK_EVENTS(intr, "START_CANCELLED");
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

/*
 * Triggered services.
 */

ATF_TC_WITHOUT_HEAD(triggered);
ATF_TC_BODY(triggered, tc)
{
	struct service	*t, *a, *u, *i;

	setup();
	t = mksvc("t", SERVICE_TRIGGERED);
	a = mksvc("a", SERVICE_INTERNAL);
	dep(a, t, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	CHECK_STATE(t, SERVICE_STARTING);
	CHECK_STATE(a, SERVICE_STARTING);
	CHECK_EVENTS(t, "");

	ATF_CHECK_EQ(0, service_trigger(t, 1));
	CHECK_STATE(t, SERVICE_STARTED);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_BEFORE(event_at(t, SERVICE_EVENT_STARTED, 0),
	    event_at(a, SERVICE_EVENT_STARTED, 0));

	/* Untriggering does not stop a started service. */
	ATF_CHECK_EQ(0, service_trigger(t, 0));
	CHECK_STATE(t, SERVICE_STARTED);
	ATF_CHECK_EQ(0, count(t, CALL_LAUNCH, -1));

	/* A waiting triggered service can be cancelled. */
	u = mksvc("u", SERVICE_TRIGGERED);
	ATF_CHECK_EQ(0, service_start(u, 0));
	CHECK_STATE(u, SERVICE_STARTING);
	service_release(u);
	CHECK_STATE(u, SERVICE_STOPPED);
	CHECK_EVENTS(u, "START_CANCELLED");

	i = mksvc("i", SERVICE_INTERNAL);
	errno = 0;
	ATF_CHECK_EQ(-1, service_trigger(i, 1));
	ATF_CHECK_EQ(EINVAL, errno);
	teardown();
}

/*
 * depends-on.
 */

ATF_TC_WITHOUT_HEAD(depends_on_start_order);
ATF_TC_BODY(depends_on_start_order, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_PROCESS);
	dep(a, b, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	CHECK_STATE(a, SERVICE_STARTING);
	CHECK_STATE(b, SERVICE_STARTING);
	ATF_CHECK_EQ(1, launches(b));
	ATF_CHECK_EQ(0, launches(a));
	ATF_CHECK_EQ(1, b->holders);
	ATF_CHECK(!b->explicit_start);
	ATF_CHECK_EQ(SERVICE_STARTED, service_target(b));

	exec_ok(b);
	CHECK_STATE(b, SERVICE_STARTED);
	ATF_CHECK_EQ(1, launches(a));
	CHECK_STATE(a, SERVICE_STARTING);
	exec_ok(a);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_BEFORE(event_at(b, SERVICE_EVENT_STARTED, 0), launch_at(a, 0));
	ATF_CHECK_EQ(2, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(depends_on_stop_order);
ATF_TC_BODY(depends_on_stop_order, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_PROCESS);
	dep(a, b, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(b);
	exec_ok(a);

	/* Released, a stops first; b only once a has stopped. */
	service_release(a);
	CHECK_STATE(a, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, kills(a));
	ATF_CHECK_EQ(0, kills(b));
	main_exit(a, KILLED(SIGTERM));
	CHECK_STATE(a, SERVICE_STOPPED);
	CHECK_STATE(b, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, kills(b));
	main_exit(b, KILLED(SIGTERM));
	CHECK_STATE(b, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, b->holders);
	CHECK_BEFORE(event_at(a, SERVICE_EVENT_STOPPED, 0),
	    kill_at(b, SIGTERM));
	ATF_CHECK_EQ(STOP_NORMAL, a->stop_reason);
	ATF_CHECK_EQ(STOP_NORMAL, b->stop_reason);
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(depends_on_failure);
ATF_TC_BODY(depends_on_failure, tc)
{
	struct service	*a, *b, *c;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	b = mksvc("b", SERVICE_SCRIPTED);
	c = mksvc("c", SERVICE_PROCESS);
	dep(a, b, DEP_REGULAR);
	dep(c, b, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	ATF_CHECK_EQ(0, service_start(c, 0));
	CHECK_STATE(a, SERVICE_STARTING);
	CHECK_STATE(c, SERVICE_STARTING);
	main_exit(b, EXITED(1));

	CHECK_STATE(b, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_FAILED, b->stop_reason);
	CHECK_EVENTS(b, "FAILED");
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, a->stop_reason);
	ATF_CHECK(service_is_failed(a));
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(a));
	CHECK_EVENTS(a, "FAILED");
	CHECK_STATE(c, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, c->stop_reason);
	CHECK_EVENTS(c, "FAILED");
	ATF_CHECK_EQ(0, launches(c));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(depends_on_forced_stop);
ATF_TC_BODY(depends_on_forced_stop, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_PROCESS);
	dep(a, b, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(b);
	exec_ok(a);

	errno = 0;
	ATF_CHECK_EQ(-1, service_stop(b, 0));
	ATF_CHECK_EQ(EBUSY, errno);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_STATE(b, SERVICE_STARTED);
	ATF_CHECK_EQ(0, kills(a) + kills(b));

	ATF_CHECK_EQ(0, service_stop(b, 1));
	CHECK_STATE(a, SERVICE_STOPPING);
	CHECK_STATE(b, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, kills(a));
	ATF_CHECK_EQ(0, kills(b));
	main_exit(a, KILLED(SIGTERM));
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_NORMAL, a->stop_reason);
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(a));
	ATF_CHECK_EQ(1, kills(b));
	main_exit(b, KILLED(SIGTERM));
	CHECK_STATE(b, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_NORMAL, b->stop_reason);
	CHECK_EVENTS(a, "STARTED STOPPED");
	CHECK_EVENTS(b, "STARTED STOPPED");
	/* Neither comes back. */
	ATF_CHECK_EQ(1, launches(a));
	ATF_CHECK_EQ(1, launches(b));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(depends_on_forced_stop_during_script);
ATF_TC_BODY(depends_on_forced_stop_during_script, tc)
{
	struct service	*a, *b;
	pid_t		 stop_pid;

	setup();
	a = mksvc("a", SERVICE_SCRIPTED);
	a->desc->stop_command = mkargv("/bin/stop");
	b = mksvc("b", SERVICE_PROCESS);
	dep(a, b, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(b);
	ATF_CHECK_EQ(1, launches(a));
	/* b is forced down while a's start script runs: b waits for it. */
	ATF_CHECK_EQ(0, service_stop(b, 1));
	CHECK_STATE(a, SERVICE_STARTING);
	CHECK_STATE(b, SERVICE_STOPPING);
	ATF_CHECK_EQ(0, kills(a) + kills(b));
	/* The script completes: a did start, and is then undone. */
	main_exit(a, EXITED(0));
	CHECK_STATE(a, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, count(a, CALL_LAUNCH, LAUNCH_STOP));
	stop_pid = a->stop_pid;
	child_exit(a, stop_pid, EXITED(0));
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_NORMAL, a->stop_reason);
	CHECK_EVENTS(a, "STARTED STOPPED");
	ATF_CHECK_EQ(1, kills(b));
	main_exit(b, KILLED(SIGTERM));
	CHECK_STATE(b, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

/*
 * depends-ms.
 */

ATF_TC_WITHOUT_HEAD(depends_ms_failure);
ATF_TC_BODY(depends_ms_failure, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_SCRIPTED);
	dep(a, b, DEP_MILESTONE);
	ATF_CHECK_EQ(0, service_start(a, 0));
	CHECK_STATE(a, SERVICE_STARTING);
	ATF_CHECK_EQ(0, launches(a));
	main_exit(b, EXITED(3));
	CHECK_STATE(b, SERVICE_STOPPED);
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, a->stop_reason);
	CHECK_EVENTS(a, "FAILED");
	ATF_CHECK_EQ(0, launches(a));
	teardown();
}

ATF_TC_WITHOUT_HEAD(depends_ms_stop_no_effect);
ATF_TC_BODY(depends_ms_stop_no_effect, tc)
{
	struct service	*a, *b, *c;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_SCRIPTED);
	c = mksvc("c", SERVICE_PROCESS);
	dep(a, b, DEP_MILESTONE);
	dep(a, c, DEP_MILESTONE);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(c);
	ATF_CHECK_EQ(0, launches(a));	/* b has not started yet */
	main_exit(b, EXITED(0));
	exec_ok(a);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_BEFORE(event_at(b, SERVICE_EVENT_STARTED, 0), launch_at(a, 0));

	/* Stopping a milestone is not refused and leaves a running. */
	ATF_CHECK_EQ(0, service_stop(b, 0));
	CHECK_STATE(b, SERVICE_STOPPED);
	CHECK_STATE(a, SERVICE_STARTED);

	/* Nor does a milestone's process ending. */
	main_exit(c, EXITED(1));
	CHECK_STATE(c, SERVICE_STOPPED);
	CHECK_STATE(a, SERVICE_STARTED);
	ATF_CHECK_EQ(0, kills(a));
	CHECK_EVENTS(a, "STARTED");
	teardown();
}

/*
 * waits-for.
 */

ATF_TC_WITHOUT_HEAD(waits_for_failure);
ATF_TC_BODY(waits_for_failure, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_SCRIPTED);
	dep(a, b, DEP_WAITS_FOR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	CHECK_STATE(b, SERVICE_STARTING);
	/* a waits for b to start or fail. */
	ATF_CHECK_EQ(0, launches(a));
	main_exit(b, EXITED(1));
	CHECK_STATE(b, SERVICE_STOPPED);
	CHECK_EVENTS(b, "FAILED");
	ATF_CHECK_EQ(1, launches(a));
	exec_ok(a);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_EVENTS(a, "STARTED");
	teardown();
}

ATF_TC_WITHOUT_HEAD(waits_for_stop_no_effect);
ATF_TC_BODY(waits_for_stop_no_effect, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_PROCESS);
	dep(a, b, DEP_WAITS_FOR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	ATF_CHECK_EQ(0, launches(a));
	exec_ok(b);
	CHECK_BEFORE(event_at(b, SERVICE_EVENT_STARTED, 0), launch_at(a, 0));
	exec_ok(a);

	/* A soft dependent does not make the stop busy, nor stop itself. */
	ATF_CHECK_EQ(0, service_stop(b, 0));
	CHECK_STATE(b, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, kills(b));
	main_exit(b, KILLED(SIGTERM));
	CHECK_STATE(b, SERVICE_STOPPED);
	CHECK_STATE(a, SERVICE_STARTED);
	ATF_CHECK_EQ(0, kills(a));
	ATF_CHECK_EQ(0, b->holders);
	CHECK_EVENTS(a, "STARTED");
	teardown();
}

/*
 * after and before: ordering only.
 */

/* Check "a after b" between two process services; edge made by how. */
static void
check_after(int use_before)
{
	struct service	*a, *b;
	struct dependency *d;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_PROCESS);
	if (use_before)
		d = service_add_dep(b, a, DEP_BEFORE);	/* b before a */
	else
		d = service_add_dep(a, b, DEP_AFTER);
	ATF_REQUIRE(d != NULL);
	ATF_CHECK(d->from == a);
	ATF_CHECK(d->to == b);
	ATF_CHECK_EQ(DEP_AFTER, d->type);

	/* Alone, a starts at once and does not activate b. */
	ATF_CHECK_EQ(0, service_start(a, 0));
	ATF_CHECK_EQ(1, launches(a));
	exec_ok(a);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_STATE(b, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, b->holders);
	ATF_CHECK_EQ(0, launches(b));
	service_release(a);
	main_exit(a, KILLED(SIGTERM));
	CHECK_STATE(a, SERVICE_STOPPED);

	/* With b starting too, a waits for it. */
	clear_calls();
	ATF_CHECK_EQ(0, service_start(b, 0));
	ATF_CHECK_EQ(0, service_start(a, 0));
	CHECK_STATE(a, SERVICE_STARTING);
	ATF_CHECK_EQ(0, launches(a));
	exec_ok(b);
	ATF_CHECK_EQ(1, launches(a));
	exec_ok(a);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_BEFORE(event_at(b, SERVICE_EVENT_STARTED, 0), launch_at(a, 0));

	/* Outside shutdown, ordering does not hold b's stop. */
	ATF_CHECK_EQ(0, service_stop(b, 0));
	ATF_CHECK_EQ(1, kills(b));
	main_exit(b, KILLED(SIGTERM));
	CHECK_STATE(b, SERVICE_STOPPED);
	CHECK_STATE(a, SERVICE_STARTED);
	teardown();
}

ATF_TC_WITHOUT_HEAD(after_ordering);
ATF_TC_BODY(after_ordering, tc)
{
	check_after(0);
}

ATF_TC_WITHOUT_HEAD(before_ordering);
ATF_TC_BODY(before_ordering, tc)
{
	check_after(1);
}

ATF_TC_WITHOUT_HEAD(after_does_not_wait_for_later);
ATF_TC_BODY(after_does_not_wait_for_later, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_PROCESS);
	dep(a, b, DEP_AFTER);
	/* b is started after a: b does not wait for a, a is not held. */
	ATF_CHECK_EQ(0, service_start(a, 0));
	ATF_CHECK_EQ(1, launches(a));
	ATF_CHECK_EQ(0, service_start(b, 0));
	ATF_CHECK_EQ(1, launches(b));
	exec_ok(b);
	exec_ok(a);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_STATE(b, SERVICE_STARTED);
	teardown();
}

/*
 * prepared-by.
 */

ATF_TC_WITHOUT_HEAD(prepared_by);
ATF_TC_BODY(prepared_by, tc)
{
	struct service	*a, *p;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	p = mksvc("p", SERVICE_SCRIPTED);
	dep(a, p, DEP_PREPARED_BY);
	ATF_CHECK_EQ(0, service_start(a, 0));
	ATF_CHECK_EQ(1, launches(p));
	ATF_CHECK_EQ(0, launches(a));
	main_exit(p, EXITED(0));
	CHECK_STATE(p, SERVICE_STARTED);
	ATF_CHECK_EQ(1, launches(a));
	exec_ok(a);
	CHECK_STATE(a, SERVICE_STARTED);

	/* Like depends-on: busy without force, dependent first with it. */
	errno = 0;
	ATF_CHECK_EQ(-1, service_stop(p, 0));
	ATF_CHECK_EQ(EBUSY, errno);
	ATF_CHECK_EQ(0, service_stop(p, 1));
	CHECK_STATE(a, SERVICE_STOPPING);
	CHECK_STATE(p, SERVICE_STOPPING);
	main_exit(a, KILLED(SIGTERM));
	CHECK_STATE(a, SERVICE_STOPPED);
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_NORMAL, a->stop_reason);
	CHECK_BEFORE(event_at(a, SERVICE_EVENT_STOPPED, 0),
	    event_at(p, SERVICE_EVENT_STOPPED, 0));
	teardown();
}

ATF_TC_WITHOUT_HEAD(prepared_by_failure);
ATF_TC_BODY(prepared_by_failure, tc)
{
	struct service	*a, *p;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	p = mksvc("p", SERVICE_SCRIPTED);
	dep(a, p, DEP_PREPARED_BY);
	ATF_CHECK_EQ(0, service_start(a, 0));
	main_exit(p, EXITED(2));
	CHECK_STATE(p, SERVICE_STOPPED);
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, a->stop_reason);
	CHECK_EVENTS(a, "FAILED");
	ATF_CHECK_EQ(0, launches(a));
	teardown();
}

ATF_TC_WITHOUT_HEAD(prepared_by_restart);
ATF_TC_BODY(prepared_by_restart, tc)
{
	struct service	*a, *p;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	a->desc->restart = RESTART_YES;
	p = mksvc("p", SERVICE_SCRIPTED);
	dep(a, p, DEP_PREPARED_BY);
	ATF_CHECK_EQ(0, service_start(a, 0));
	main_exit(p, EXITED(0));
	exec_ok(a);
	CHECK_STATE(a, SERVICE_STARTED);

	/* a restarting runs its preparation again first. */
	clear_calls();
	main_exit(a, EXITED(1));
	CHECK_STATE(p, SERVICE_STARTING);
	ATF_CHECK_EQ(1, launches(p));
	ATF_CHECK_EQ(0, launches(a));
	CHECK_STATE(a, SERVICE_STARTING);
	main_exit(p, EXITED(0));
	ATF_CHECK_EQ(1, launches(a));
	exec_ok(a);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_EVENTS(p, "STOPPED STARTED");
	CHECK_EVENTS(a, "STOPPED STARTED");
	CHECK_BEFORE(event_at(a, SERVICE_EVENT_STOPPED, 0),
	    event_at(p, SERVICE_EVENT_STOPPED, 0));
	CHECK_BEFORE(event_at(p, SERVICE_EVENT_STARTED, 0), launch_at(a, 0));
	teardown();
}

ATF_TC_WITHOUT_HEAD(dependency_on_placeholder);
ATF_TC_BODY(dependency_on_placeholder, tc)
{
	struct service	*ghost, *w, *h, *m;

	setup();
	ATF_REQUIRE((ghost = service_new(&set, "ghost")) != NULL);
	w = mksvc("w", SERVICE_INTERNAL);
	h = mksvc("h", SERVICE_INTERNAL);
	m = mksvc("m", SERVICE_INTERNAL);
	dep(w, ghost, DEP_WAITS_FOR);
	dep(h, ghost, DEP_REGULAR);
	dep(m, ghost, DEP_MILESTONE);
	/* A service that is not loaded never starts. */
	ATF_CHECK_EQ(0, service_start(w, 0));
	ATF_CHECK_EQ(0, service_start(h, 0));
	ATF_CHECK_EQ(0, service_start(m, 0));
	CHECK_STATE(ghost, SERVICE_STOPPED);
	/* Soft: start without it.  Hard or milestone: fail. */
	CHECK_STATE(w, SERVICE_STARTED);
	CHECK_STATE(h, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, h->stop_reason);
	CHECK_EVENTS(h, "FAILED");
	CHECK_STATE(m, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, m->stop_reason);
	CHECK_EVENTS(m, "FAILED");
	ATF_CHECK_EQ(1, set.active);
	teardown();
}

/*
 * Parallel start.
 */

ATF_TC_WITHOUT_HEAD(parallel_start);
ATF_TC_BODY(parallel_start, tc)
{
	struct service	*boot, *p[4];
	char		 name[8];
	int		 i;

	setup();
	boot = mksvc("boot", SERVICE_INTERNAL);
	for (i = 0; i < 4; i++) {
		(void)snprintf(name, sizeof(name), "p%d", i);
		p[i] = mksvc(name, SERVICE_PROCESS);
		dep(boot, p[i], i == 3 ? DEP_WAITS_FOR : DEP_REGULAR);
	}
	ATF_CHECK_EQ(0, service_start(boot, 0));
	/* Every leaf is launched before any of them has started. */
	for (i = 0; i < 4; i++) {
		CHECK_STATE(p[i], SERVICE_STARTING);
		ATF_CHECK_EQ(1, launches(p[i]));
	}
	ATF_CHECK_EQ(0, count(NULL, CALL_NOTIFY, -1));
	ATF_CHECK_EQ(5, set.active);
	for (i = 0; i < 4; i++) {
		CHECK_STATE(boot, SERVICE_STARTING);
		exec_ok(p[i]);
	}
	CHECK_STATE(boot, SERVICE_STARTED);
	for (i = 0; i < 4; i++)
		CHECK_BEFORE(event_at(p[i], SERVICE_EVENT_STARTED, 0),
		    event_at(boot, SERVICE_EVENT_STARTED, 0));
	teardown();
}

/*
 * Restarts.
 */

ATF_TC_WITHOUT_HEAD(restart_rolls_back_dependents);
ATF_TC_BODY(restart_rolls_back_dependents, tc)
{
	struct service	*a, *p;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	dep(a, p, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(p);
	exec_ok(a);
	clear_calls();

	fake.now += 5000;
	main_exit(p, EXITED(1));
	/* The dependent is rolled back first. */
	CHECK_STATE(a, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, kills(a));
	ATF_CHECK_EQ(SERVICE_STARTED, service_target(a));
	main_exit(a, KILLED(SIGTERM));
	ATF_CHECK_EQ(STOP_DEPRESTART, a->stop_reason);
	CHECK_STATE(a, SERVICE_STARTING);
	ATF_CHECK_EQ(0, launches(a));
	/* The process is relaunched; then the dependent comes back. */
	ATF_CHECK_EQ(1, launches(p));
	CHECK_STATE(p, SERVICE_STARTING);
	exec_ok(p);
	CHECK_STATE(p, SERVICE_STARTED);
	ATF_CHECK_EQ(1, launches(a));
	exec_ok(a);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_EVENTS(a, "STOPPED STARTED");
	CHECK_EVENTS(p, "STOPPED STARTED");
	CHECK_BEFORE(event_at(a, SERVICE_EVENT_STOPPED, 0),
	    event_at(p, SERVICE_EVENT_STOPPED, 0));
	CHECK_BEFORE(event_at(p, SERVICE_EVENT_STARTED, 0), launch_at(a, 0));
	ATF_CHECK_EQ(SERVICE_STARTED, service_target(p));
	ATF_CHECK_EQ(2, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(restart_delay);
ATF_TC_BODY(restart_delay, tc)
{
	struct service	*p;
	unsigned long	 ms;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->restart_delay = 200;
	fake.now = 1000;
	start_process(p);

	/* 50 ms after the launch: wait out the other 150 ms. */
	fake.now = 1050;
	main_exit(p, EXITED(1));
	CHECK_STATE(p, SERVICE_STARTING);
	ATF_CHECK_EQ(1, launches(p));
	ATF_CHECK(timer_armed(p, &ms));
	ATF_CHECK_EQ(150, ms);
	ATF_CHECK_EQ(TIMER_RESTART, p->timer);

	fake.now = 1200;
	fire_timer(p);
	ATF_CHECK_EQ(2, launches(p));
	CHECK_STATE(p, SERVICE_STARTING);
	exec_ok(p);
	CHECK_STATE(p, SERVICE_STARTED);

	/* Long after the last launch: relaunched at once. */
	fake.now = 5000;
	main_exit(p, EXITED(1));
	ATF_CHECK_EQ(3, launches(p));
	ATF_CHECK(!timer_armed(p, NULL));
	CHECK_EVENTS(p, "STARTED STOPPED STARTED STOPPED");
	teardown();
}

ATF_TC_WITHOUT_HEAD(restart_delay_cancelled);
ATF_TC_BODY(restart_delay_cancelled, tc)
{
	struct service	*p;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->restart_delay = 200;
	start_process(p);
	fake.now += 10;
	main_exit(p, EXITED(1));
	ATF_CHECK(timer_armed(p, NULL));

	/* Stopped while waiting to relaunch: nothing is launched. */
	ATF_CHECK_EQ(0, service_stop(p, 0));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK(!timer_armed(p, NULL));
	ATF_CHECK_EQ(TIMER_NONE, p->timer);
	ATF_CHECK_EQ(1, launches(p));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(restart_limit);
ATF_TC_BODY(restart_limit, tc)
{
	struct service	*p;
	int		 i;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->restart_limit_count = 2;
	p->desc->restart_limit_interval = 10000;
	start_process(p);

	fake.now += 100;
	main_exit(p, EXITED(1));
	ATF_CHECK_EQ(2, launches(p));
	exec_ok(p);
	fake.now += 100;
	main_exit(p, EXITED(1));
	ATF_CHECK_EQ(3, launches(p));
	exec_ok(p);

	/* The third death in the interval: no more restarts. */
	fake.now += 100;
	main_exit(p, EXITED(1));
	ATF_CHECK_EQ(3, launches(p));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_TERMINATED, p->stop_reason);
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(p));
	ATF_CHECK_EQ(0, set.active);

	/* Deaths further apart than the interval restart every time. */
	start_process(p);
	clear_calls();
	for (i = 0; i < 5; i++) {
		fake.now += 11000;
		main_exit(p, EXITED(1));
		ATF_CHECK_EQ(i + 1, launches(p));
		exec_ok(p);
	}
	CHECK_STATE(p, SERVICE_STARTED);
	teardown();
}

ATF_TC_WITHOUT_HEAD(restart_on_failure);
ATF_TC_BODY(restart_on_failure, tc)
{
	static const struct {
		int	status;
		int	restarts;
	} cases[] = {
		{ EXITED(0), 0 },
		{ EXITED(1), 1 },
		{ EXITED(255), 1 },
		{ KILLED(SIGTERM), 0 },
		{ KILLED(SIGHUP), 0 },
		{ KILLED(SIGINT), 0 },
		{ KILLED(SIGUSR1), 0 },
		{ KILLED(SIGUSR2), 0 },
		{ KILLED(SIGKILL), 1 },
		{ KILLED(SIGSEGV), 1 },
		{ KILLED(SIGABRT), 1 },
	};
	struct service	*p;
	char		 name[16];
	size_t		 i;

	setup();
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		(void)snprintf(name, sizeof(name), "p%zu", i);
		p = mksvc(name, SERVICE_PROCESS);
		p->desc->restart = RESTART_ON_FAILURE;
		start_process(p);
		fake.now += 1000;
		main_exit(p, cases[i].status);
		ATF_CHECK_EQ_MSG(1 + cases[i].restarts, launches(p),
		    "case %zu (status %#x)", i, cases[i].status);
		if (cases[i].restarts) {
			CHECK_STATE(p, SERVICE_STARTING);
			ATF_CHECK_EQ(SERVICE_STARTED, service_target(p));
		} else {
			CHECK_STATE(p, SERVICE_STOPPED);
			ATF_CHECK_EQ(STOP_TERMINATED, p->stop_reason);
		}
	}
	teardown();
}

ATF_TC_WITHOUT_HEAD(smooth_recovery);
ATF_TC_BODY(smooth_recovery, tc)
{
	struct service	*a, *p;
	pid_t		 old;
	unsigned long	 ms;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->smooth_recovery = 1;
	dep(a, p, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(p);
	exec_ok(a);
	clear_calls();

	old = p->pid;
	fake.now += 5000;
	main_exit(p, KILLED(SIGSEGV));
	/* Relaunched in place: no state change, dependents untouched. */
	CHECK_STATE(p, SERVICE_STARTED);
	CHECK_STATE(a, SERVICE_STARTED);
	ATF_CHECK_EQ(1, launches(p));
	ATF_CHECK(p->pid != old && p->pid > 0);
	ATF_CHECK_EQ(0, kills(a));
	ATF_CHECK_EQ(0, count(NULL, CALL_NOTIFY, -1));
	CHECK_EVENTS(a, "");
	CHECK_EVENTS(p, "");
	exec_ok(p);
	CHECK_STATE(p, SERVICE_STARTED);

	/* restart-delay applies too, with the state unchanged meanwhile. */
	p->desc->restart_delay = 300;
	fake.now += 100;
	main_exit(p, EXITED(1));
	CHECK_STATE(p, SERVICE_STARTED);
	ATF_CHECK(timer_armed(p, &ms));
	ATF_CHECK_EQ(200, ms);
	ATF_CHECK_EQ(1, launches(p));
	fire_timer(p);
	ATF_CHECK_EQ(2, launches(p));
	CHECK_STATE(p, SERVICE_STARTED);
	CHECK_STATE(a, SERVICE_STARTED);
	ATF_CHECK_EQ(0, count(NULL, CALL_NOTIFY, -1));
	teardown();
}

ATF_TC_WITHOUT_HEAD(restart_stopped_by_request);
ATF_TC_BODY(restart_stopped_by_request, tc)
{
	struct service	*a, *p;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	dep(a, p, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(p);
	exec_ok(a);
	fake.now += 5000;
	main_exit(p, EXITED(1));
	CHECK_STATE(a, SERVICE_STOPPING);

	/* Stopped by request while rolling back: no restart after all. */
	ATF_CHECK_EQ(0, service_stop(p, 1));
	main_exit(a, KILLED(SIGTERM));
	CHECK_STATE(a, SERVICE_STOPPED);
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(1, launches(p));
	ATF_CHECK_EQ(1, launches(a));
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(a));
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(p));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(restart_limit_fails_dependents);
ATF_TC_BODY(restart_limit_fails_dependents, tc)
{
	struct service	*a, *p;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->restart_limit_count = 1;
	p->desc->restart_limit_interval = 10000;
	dep(a, p, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(p);
	fake.now += 100;
	main_exit(p, EXITED(1));
	ATF_CHECK_EQ(2, launches(p));
	exec_ok(p);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_EVENTS(a, "STARTED STOPPED STARTED");
	fake.now += 100;
	main_exit(p, EXITED(1));
	/* Given up: the hard dependent goes down for good. */
	ATF_CHECK_EQ(2, launches(p));
	CHECK_STATE(p, SERVICE_STOPPED);
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, a->stop_reason);
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(a));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(restart_exec_failure);
ATF_TC_BODY(restart_exec_failure, tc)
{
	struct service	*a, *p;
	pid_t		 pid;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	dep(a, p, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(p);
	fake.now += 1000;
	main_exit(p, EXITED(1));
	CHECK_STATE(p, SERVICE_STARTING);
	CHECK_STATE(a, SERVICE_STARTING);
	/* The relaunch cannot exec: both fail, nothing more is tried. */
	pid = p->pid;
	service_child_exec_failed(p, pid, STAGE_EXEC, ENOENT);
	child_exit(p, pid, EXITED(127));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_EXECFAILED, p->stop_reason);
	ATF_CHECK_EQ(STAGE_EXEC, p->exec_stage);
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, a->stop_reason);
	CHECK_EVENTS(a, "STARTED STOPPED FAILED");
	ATF_CHECK_EQ(2, launches(p));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(restart_soft_dependent_unaffected);
ATF_TC_BODY(restart_soft_dependent_unaffected, tc)
{
	struct service	*w, *m, *p;

	setup();
	w = mksvc("w", SERVICE_PROCESS);
	m = mksvc("m", SERVICE_PROCESS);
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	dep(w, p, DEP_WAITS_FOR);
	dep(m, p, DEP_MILESTONE);
	ATF_CHECK_EQ(0, service_start(w, 0));
	ATF_CHECK_EQ(0, service_start(m, 0));
	exec_ok(p);
	exec_ok(w);
	exec_ok(m);
	clear_calls();
	fake.now += 1000;
	main_exit(p, EXITED(1));
	/* Soft dependents stay up; the process restarts at once. */
	ATF_CHECK_EQ(1, launches(p));
	exec_ok(p);
	CHECK_STATE(p, SERVICE_STARTED);
	CHECK_STATE(w, SERVICE_STARTED);
	CHECK_STATE(m, SERVICE_STARTED);
	ATF_CHECK_EQ(0, kills(w) + kills(m));
	CHECK_EVENTS(w, "");
	CHECK_EVENTS(m, "");
	ATF_CHECK_EQ(2, p->holders);
	teardown();
}

ATF_TC_WITHOUT_HEAD(smooth_recovery_exec_failure);
ATF_TC_BODY(smooth_recovery_exec_failure, tc)
{
	struct service	*a, *p;
	pid_t		 pid;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->smooth_recovery = 1;
	dep(a, p, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(p);
	fake.now += 1000;
	main_exit(p, EXITED(1));
	CHECK_STATE(p, SERVICE_STARTED);
	pid = p->pid;
	service_child_exec_failed(p, pid, STAGE_SETUID, EPERM);
	child_exit(p, pid, EXITED(126));
	/* The recovery failed: the service and its dependent go down. */
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_EXECFAILED, p->stop_reason);
	ATF_CHECK_EQ(STAGE_SETUID, p->exec_stage);
	ATF_CHECK_EQ(EPERM, p->exec_errno);
	ATF_CHECK(service_is_failed(p));
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, a->stop_reason);
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(smooth_recovery_fork_failure);
ATF_TC_BODY(smooth_recovery_fork_failure, tc)
{
	struct service	*p;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->smooth_recovery = 1;
	start_process(p);
	fake.now += 1000;
	fake.launch_errno = EAGAIN;
	main_exit(p, EXITED(1));
	fake.launch_errno = 0;
	/* Out of processes for a moment: tried again after restart-delay. */
	CHECK_STATE(p, SERVICE_STARTED);
	ATF_CHECK_EQ(2, launches(p));
	ATF_CHECK_EQ(TIMER_RESTART, p->timer);
	fake.now += 200;
	fire_timer(p);
	ATF_CHECK_EQ(3, launches(p));
	ATF_CHECK(p->pid > 0);
	CHECK_STATE(p, SERVICE_STARTED);
	CHECK_EVENTS(p, "STARTED");

	/* A failure that will not go away stands: exec's ENOENT, say. */
	fake.now += 1000;
	main_exit(p, EXITED(1));
	service_child_exec_failed(p, p->pid, STAGE_EXEC, ENOENT);
	main_exit(p, EXITED(127));
	ATF_CHECK(p->state == SERVICE_STOPPED || p->state == SERVICE_STOPPING);
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(p));
	teardown();
}

ATF_TC_WITHOUT_HEAD(smooth_recovery_stopped_while_waiting);
ATF_TC_BODY(smooth_recovery_stopped_while_waiting, tc)
{
	struct service	*p;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->smooth_recovery = 1;
	p->desc->restart_delay = 500;
	start_process(p);
	fake.now += 100;
	main_exit(p, EXITED(1));
	ATF_CHECK(timer_armed(p, NULL));
	ATF_CHECK_EQ(0, service_stop(p, 0));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK(!timer_armed(p, NULL));
	ATF_CHECK_EQ(1, launches(p));
	ATF_CHECK_EQ(0, kills(p));
	CHECK_EVENTS(p, "STARTED STOPPED");
	teardown();
}

/*
 * Timeouts.
 */

ATF_TC_WITHOUT_HEAD(start_timeout);
ATF_TC_BODY(start_timeout, tc)
{
	struct service	*p, *q;
	const struct call *c;
	unsigned long	 ms;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->rare->ready_fd = 3;
	p->desc->start_timeout = 1000;
	p->desc->stop_timeout = 500;
	ATF_CHECK_EQ(0, service_start(p, 0));
	ATF_CHECK(timer_armed(p, &ms));
	ATF_CHECK_EQ(1000, ms);
	ATF_CHECK_EQ(TIMER_START, p->timer);
	exec_ok(p);

	fake.now += 1000;
	fire_timer(p);
	/* The start is interrupted with SIGINT; stop-timeout follows. */
	CHECK_STATE(p, SERVICE_STOPPING);
	c = last_call(p, CALL_KILL);
	ATF_CHECK_EQ(SIGINT, c->sig);
	ATF_CHECK_EQ(1, c->group);
	ATF_CHECK_EQ(1, kills(p));
	ATF_CHECK(timer_armed(p, &ms));
	ATF_CHECK_EQ(500, ms);
	ATF_CHECK_EQ(TIMER_STOP, p->timer);
	fire_timer(p);
	c = last_call(p, CALL_KILL);
	ATF_CHECK_EQ(SIGKILL, c->sig);
	main_exit(p, KILLED(SIGKILL));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_TIMEDOUT, p->stop_reason);
	ATF_CHECK(service_is_failed(p));
	ATF_CHECK_EQ(SERVICE_STOPPED, service_target(p));
	CHECK_EVENTS(p, "FAILED");
	ATF_CHECK(!timer_armed(p, NULL));

	/* Started in time: the timer is cleared. */
	q = mksvc("q", SERVICE_PROCESS);
	q->desc->start_timeout = 1000;
	ATF_CHECK_EQ(0, service_start(q, 0));
	ATF_CHECK(timer_armed(q, NULL));
	exec_ok(q);
	CHECK_STATE(q, SERVICE_STARTED);
	ATF_CHECK(!timer_armed(q, NULL));
	ATF_CHECK_EQ(TIMER_NONE, q->timer);
	teardown();
}

ATF_TC_WITHOUT_HEAD(start_timeout_scripted);
ATF_TC_BODY(start_timeout_scripted, tc)
{
	struct service	*s, *a;
	const struct call *c;

	setup();
	s = mksvc("s", SERVICE_SCRIPTED);
	s->desc->start_timeout = 2000;
	a = mksvc("a", SERVICE_INTERNAL);
	dep(a, s, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	fire_timer(s);
	c = last_call(s, CALL_KILL);
	ATF_CHECK_EQ(SIGINT, c->sig);
	/* Even a skippable-looking end does not count as started now. */
	main_exit(s, KILLED(SIGINT));
	CHECK_STATE(s, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_TIMEDOUT, s->stop_reason);
	CHECK_EVENTS(s, "FAILED");
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_DEPFAILED, a->stop_reason);
	CHECK_EVENTS(a, "FAILED");
	teardown();
}

/* Check the stop-timeout escalation, with or without signal-process-only. */
static void
check_stop_timeout(int process_only)
{
	struct service	*p;
	const struct call *c;
	unsigned long	 ms;
	pid_t		 pid;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->stop_timeout = 500;
	if (process_only)
		p->desc->options |= OPT_SIGNAL_PROCESS_ONLY;
	start_process(p);
	pid = p->pid;
	ATF_CHECK(!timer_armed(p, NULL));

	ATF_CHECK_EQ(0, service_stop(p, 0));
	c = last_call(p, CALL_KILL);
	ATF_CHECK_EQ(SIGTERM, c->sig);
	ATF_CHECK_EQ(pid, c->pid);
	ATF_CHECK_EQ(!process_only, c->group);
	ATF_CHECK(timer_armed(p, &ms));
	ATF_CHECK_EQ(500, ms);
	ATF_CHECK_EQ(TIMER_STOP, p->timer);

	fake.now += 500;
	fire_timer(p);
	CHECK_STATE(p, SERVICE_STOPPING);
	c = last_call(p, CALL_KILL);
	ATF_CHECK_EQ(SIGKILL, c->sig);
	ATF_CHECK_EQ(pid, c->pid);
	ATF_CHECK_EQ(!process_only, c->group);
	ATF_CHECK_EQ(2, kills(p));
	main_exit(p, KILLED(SIGKILL));
	CHECK_STATE(p, SERVICE_STOPPED);
	CHECK_EVENTS(p, "STARTED STOPPED");
	ATF_CHECK_EQ(STOP_NORMAL, p->stop_reason);
	teardown();
}

ATF_TC_WITHOUT_HEAD(stop_timeout_sigkill);
ATF_TC_BODY(stop_timeout_sigkill, tc)
{
	check_stop_timeout(0);
}

ATF_TC_WITHOUT_HEAD(stop_timeout_process_only);
ATF_TC_BODY(stop_timeout_process_only, tc)
{
	check_stop_timeout(1);
}

ATF_TC_WITHOUT_HEAD(stop_timeout_not_needed);
ATF_TC_BODY(stop_timeout_not_needed, tc)
{
	struct service	*p, *q;
	const struct call *c;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->stop_timeout = 500;
	p->desc->term_signal = SIGHUP;
	start_process(p);
	ATF_CHECK_EQ(0, service_stop(p, 0));
	c = last_call(p, CALL_KILL);
	ATF_CHECK_EQ(SIGHUP, c->sig);
	ATF_CHECK(timer_armed(p, NULL));
	/* Ending in time clears the timer: no SIGKILL. */
	main_exit(p, EXITED(0));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK(!timer_armed(p, NULL));
	ATF_CHECK_EQ(-1, kill_at(p, SIGKILL));

	/* term-signal none: no signal, only SIGKILL after the timeout. */
	q = mksvc("q", SERVICE_PROCESS);
	q->desc->stop_timeout = 500;
	q->desc->term_signal = 0;
	start_process(q);
	ATF_CHECK_EQ(0, service_stop(q, 0));
	ATF_CHECK_EQ(0, kills(q));
	fire_timer(q);
	ATF_CHECK_EQ(1, kills(q));
	ATF_CHECK(kill_at(q, SIGKILL) >= 0);
	main_exit(q, KILLED(SIGKILL));
	CHECK_STATE(q, SERVICE_STOPPED);
	teardown();
}

/*
 * stop-command of a process service.
 */

ATF_TC_WITHOUT_HEAD(process_stop_command);
ATF_TC_BODY(process_stop_command, tc)
{
	struct service	*p;
	pid_t		 stop_pid;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->stop_command = mkargv("/bin/stop");
	start_process(p);
	ATF_CHECK_EQ(0, service_stop(p, 0));
	/* The stop-command replaces the signal. */
	CHECK_STATE(p, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, count(p, CALL_LAUNCH, LAUNCH_STOP));
	ATF_CHECK_EQ(0, kills(p));
	stop_pid = last_pid(p, LAUNCH_STOP);
	ATF_CHECK_EQ(stop_pid, p->stop_pid);
	child_exit(p, stop_pid, EXITED(0));
	/* Stopped only once the process itself has gone. */
	CHECK_STATE(p, SERVICE_STOPPING);
	main_exit(p, EXITED(0));
	CHECK_STATE(p, SERVICE_STOPPED);
	CHECK_EVENTS(p, "STARTED STOPPED");

	/* The other order works too. */
	clear_calls();
	start_process(p);
	ATF_CHECK_EQ(0, service_stop(p, 0));
	stop_pid = last_pid(p, LAUNCH_STOP);
	main_exit(p, EXITED(0));
	CHECK_STATE(p, SERVICE_STOPPING);
	child_exit(p, stop_pid, EXITED(0));
	CHECK_STATE(p, SERVICE_STOPPED);
	CHECK_EVENTS(p, "STARTED STOPPED");
	teardown();
}

ATF_TC_WITHOUT_HEAD(process_stop_command_fails);
ATF_TC_BODY(process_stop_command_fails, tc)
{
	struct service	*p;
	const struct call *c;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->stop_command = mkargv("/bin/stop");
	start_process(p);
	/* A stop-command that cannot be launched: SIGKILL at once. */
	fake.launch_errno = ENOMEM;
	ATF_CHECK_EQ(0, service_stop(p, 0));
	fake.launch_errno = 0;
	c = last_call(p, CALL_KILL);
	ATF_CHECK_EQ(SIGKILL, c->sig);
	ATF_CHECK_EQ(1, c->group);
	main_exit(p, KILLED(SIGKILL));
	CHECK_STATE(p, SERVICE_STOPPED);
	teardown();
}

ATF_TC_WITHOUT_HEAD(process_stop_command_timeout);
ATF_TC_BODY(process_stop_command_timeout, tc)
{
	struct service	*p;
	pid_t		 pid, stop_pid;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->stop_command = mkargv("/bin/stop");
	p->desc->stop_timeout = 700;
	start_process(p);
	pid = p->pid;
	ATF_CHECK_EQ(0, service_stop(p, 0));
	stop_pid = p->stop_pid;
	ATF_CHECK(timer_armed(p, NULL));
	/* Both the process and a hung stop-command get SIGKILL. */
	fire_timer(p);
	ATF_CHECK_EQ(2, kills(p));
	ATF_CHECK(signalled(p, pid, SIGKILL));
	ATF_CHECK(signalled(p, stop_pid, SIGKILL));
	child_exit(p, stop_pid, KILLED(SIGKILL));
	CHECK_STATE(p, SERVICE_STOPPING);
	child_exit(p, pid, KILLED(SIGKILL));
	CHECK_STATE(p, SERVICE_STOPPED);
	teardown();
}

/*
 * chain-to.
 */

ATF_TC_WITHOUT_HEAD(chain_to);
ATF_TC_BODY(chain_to, tc)
{
	struct service	*p;
	const struct call *c;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	ATF_REQUIRE((p->desc->rare->chain_to = mem_strdup("next")) != NULL);
	start_process(p);
	main_exit(p, EXITED(0));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(1, count(p, CALL_CHAIN, -1));
	c = last_call(p, CALL_CHAIN);
	ATF_CHECK_STREQ("next", c->chain);
	ATF_CHECK_EQ(SERVICE_STOPPED, c->state);
	CHECK_BEFORE(event_at(p, SERVICE_EVENT_STOPPED, 0),
	    call_index(p, CALL_CHAIN, -1, 0));

	/* A failed run does not chain. */
	clear_calls();
	start_process(p);
	main_exit(p, EXITED(1));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, count(p, CALL_CHAIN, -1));
	teardown();
}

ATF_TC_WITHOUT_HEAD(chain_to_always);
ATF_TC_BODY(chain_to_always, tc)
{
	struct service	*p;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	ATF_REQUIRE((p->desc->rare->chain_to = mem_strdup("next")) != NULL);
	p->desc->options |= OPT_ALWAYS_CHAIN;
	start_process(p);
	main_exit(p, EXITED(1));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(1, count(p, CALL_CHAIN, -1));

	clear_calls();
	start_process(p);
	main_exit(p, KILLED(SIGSEGV));
	ATF_CHECK_EQ(1, count(p, CALL_CHAIN, -1));
	teardown();
}

ATF_TC_WITHOUT_HEAD(chain_to_not_when_restarting_or_stopped);
ATF_TC_BODY(chain_to_not_when_restarting_or_stopped, tc)
{
	struct service	*p, *q;

	setup();
	/* Restarting: no chain. */
	p = mksvc("p", SERVICE_PROCESS);
	ATF_REQUIRE((p->desc->rare->chain_to = mem_strdup("next")) != NULL);
	p->desc->restart = RESTART_YES;
	start_process(p);
	fake.now += 1000;
	main_exit(p, EXITED(0));
	ATF_CHECK_EQ(2, launches(p));
	exec_ok(p);
	CHECK_STATE(p, SERVICE_STARTED);
	ATF_CHECK_EQ(0, count(p, CALL_CHAIN, -1));

	/* Stopped by request, even with always-chain: no chain. */
	q = mksvc("q", SERVICE_PROCESS);
	ATF_REQUIRE((q->desc->rare->chain_to = mem_strdup("next")) != NULL);
	q->desc->options |= OPT_ALWAYS_CHAIN;
	start_process(q);
	ATF_CHECK_EQ(0, service_stop(q, 0));
	main_exit(q, EXITED(0));
	CHECK_STATE(q, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, count(q, CALL_CHAIN, -1));

	/* Nor at shutdown. */
	service_stop_all(&set);
	main_exit(p, EXITED(0));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, count(p, CALL_CHAIN, -1));
	teardown();
}

/*
 * Pins, stop, wake, release.
 */

ATF_TC_WITHOUT_HEAD(pin_started);
ATF_TC_BODY(pin_started, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	ATF_CHECK_EQ(0, service_start(a, 1));
	CHECK_STATE(a, SERVICE_STARTED);
	errno = 0;
	ATF_CHECK_EQ(-1, service_stop(a, 0));
	ATF_CHECK_EQ(EPERM, errno);
	errno = 0;
	ATF_CHECK_EQ(-1, service_stop(a, 1));
	ATF_CHECK_EQ(EPERM, errno);
	CHECK_STATE(a, SERVICE_STARTED);
	/* Released, the pin still holds it. */
	service_release(a);
	CHECK_STATE(a, SERVICE_STARTED);
	ATF_CHECK_EQ(SERVICE_STARTED, service_target(a));
	/* Unpinned with nothing else wanting it: it stops. */
	service_unpin(a);
	CHECK_STATE(a, SERVICE_STOPPED);
	CHECK_EVENTS(a, "STARTED STOPPED");

	/* Unpinned while explicitly started: it stays; stop now works. */
	b = mksvc("b", SERVICE_INTERNAL);
	ATF_CHECK_EQ(0, service_start(b, 1));
	service_unpin(b);
	CHECK_STATE(b, SERVICE_STARTED);
	ATF_CHECK_EQ(0, service_stop(b, 0));
	CHECK_STATE(b, SERVICE_STOPPED);
	teardown();
}

ATF_TC_WITHOUT_HEAD(pin_dependency);
ATF_TC_BODY(pin_dependency, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	b = mksvc("b", SERVICE_INTERNAL);
	dep(a, b, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(b, 1));
	ATF_CHECK_EQ(0, service_start(a, 0));
	errno = 0;
	ATF_CHECK_EQ(-1, service_stop(b, 1));
	ATF_CHECK_EQ(EPERM, errno);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_STATE(b, SERVICE_STARTED);
	/* Stopping the dependent leaves the pinned dependency up. */
	ATF_CHECK_EQ(0, service_stop(a, 0));
	CHECK_STATE(a, SERVICE_STOPPED);
	CHECK_STATE(b, SERVICE_STARTED);
	teardown();
}

ATF_TC_WITHOUT_HEAD(stop_soft_dependents_not_busy);
ATF_TC_BODY(stop_soft_dependents_not_busy, tc)
{
	struct service	*a, *m, *w, *b;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	m = mksvc("m", SERVICE_INTERNAL);
	w = mksvc("w", SERVICE_INTERNAL);
	b = mksvc("b", SERVICE_INTERNAL);
	dep(a, b, DEP_AFTER);
	dep(m, b, DEP_MILESTONE);
	dep(w, b, DEP_WAITS_FOR);
	ATF_CHECK_EQ(0, service_start(b, 0));
	ATF_CHECK_EQ(0, service_start(a, 0));
	ATF_CHECK_EQ(0, service_start(m, 0));
	ATF_CHECK_EQ(0, service_start(w, 0));
	ATF_CHECK_EQ(2, b->holders);
	/* Only hard dependents make a stop busy. */
	ATF_CHECK_EQ(0, service_stop(b, 0));
	CHECK_STATE(b, SERVICE_STOPPED);
	CHECK_STATE(a, SERVICE_STARTED);
	CHECK_STATE(m, SERVICE_STARTED);
	CHECK_STATE(w, SERVICE_STARTED);
	ATF_CHECK_EQ(0, b->holders);
	teardown();
}

ATF_TC_WITHOUT_HEAD(wake);
ATF_TC_BODY(wake, tc)
{
	struct service	*a, *b, *c, *d, *lone;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	b = mksvc("b", SERVICE_PROCESS);
	dep(a, b, DEP_WAITS_FOR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(b);
	CHECK_STATE(a, SERVICE_STARTED);
	ATF_CHECK_EQ(0, service_stop(b, 0));
	main_exit(b, KILLED(SIGTERM));
	CHECK_STATE(b, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, b->holders);

	/* Woken, b starts again for its dependent, not explicitly. */
	ATF_CHECK_EQ(0, service_wake(b));
	CHECK_STATE(b, SERVICE_STARTING);
	ATF_CHECK_EQ(2, launches(b));
	exec_ok(b);
	CHECK_STATE(b, SERVICE_STARTED);
	ATF_CHECK_EQ(1, b->holders);
	ATF_CHECK(!b->explicit_start);
	/* So it stops with its dependent. */
	service_release(a);
	CHECK_STATE(b, SERVICE_STOPPING);
	main_exit(b, KILLED(SIGTERM));
	CHECK_STATE(b, SERVICE_STOPPED);

	/* Nothing to wake for. */
	lone = mksvc("lone", SERVICE_INTERNAL);
	errno = 0;
	ATF_CHECK_EQ(-1, service_wake(lone));
	ATF_CHECK_EQ(ENOENT, errno);
	CHECK_STATE(lone, SERVICE_STOPPED);

	/* A hard dependent force-stopped gave up: nothing to wake for. */
	c = mksvc("c", SERVICE_INTERNAL);
	d = mksvc("d", SERVICE_INTERNAL);
	dep(c, d, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(c, 0));
	ATF_CHECK_EQ(0, service_stop(d, 1));
	CHECK_STATE(c, SERVICE_STOPPED);
	errno = 0;
	ATF_CHECK_EQ(-1, service_wake(d));
	ATF_CHECK_EQ(ENOENT, errno);
	CHECK_STATE(d, SERVICE_STOPPED);
	teardown();
}

ATF_TC_WITHOUT_HEAD(release);
ATF_TC_BODY(release, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	b = mksvc("b", SERVICE_INTERNAL);
	dep(a, b, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(b, 0));
	ATF_CHECK_EQ(0, service_start(a, 0));
	ATF_CHECK(b->explicit_start);
	ATF_CHECK_EQ(1, b->holders);

	/* Still needed by a: b stays up, without its own activation. */
	service_release(b);
	ATF_CHECK(!b->explicit_start);
	CHECK_STATE(b, SERVICE_STARTED);
	ATF_CHECK_EQ(SERVICE_STARTED, service_target(b));

	/* Releasing a lets both go, a first. */
	service_release(a);
	CHECK_STATE(a, SERVICE_STOPPED);
	CHECK_STATE(b, SERVICE_STOPPED);
	CHECK_BEFORE(event_at(a, SERVICE_EVENT_STOPPED, 0),
	    event_at(b, SERVICE_EVENT_STOPPED, 0));
	ATF_CHECK_EQ(STOP_NORMAL, a->stop_reason);
	ATF_CHECK_EQ(0, set.active);

	/* Releasing a stopped service changes nothing. */
	clear_calls();
	service_release(a);
	CHECK_STATE(a, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, (int)fake.ncalls);
	teardown();
}

ATF_TC_WITHOUT_HEAD(stop_cancelled);
ATF_TC_BODY(stop_cancelled, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_PROCESS);
	dep(a, b, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(b, 0));
	ATF_CHECK_EQ(0, service_start(a, 0));
	exec_ok(b);
	exec_ok(a);
	ATF_CHECK_EQ(0, service_stop(b, 1));
	CHECK_STATE(b, SERVICE_STOPPING);
	ATF_CHECK_EQ(0, kills(b));
	/* Wanted again before its own stop began: b stays up. */
	ATF_CHECK_EQ(0, service_start(b, 0));
	CHECK_STATE(b, SERVICE_STARTED);
	CHECK_EVENTS(b, "STARTED STOP_CANCELLED");
	main_exit(a, KILLED(SIGTERM));
	CHECK_STATE(a, SERVICE_STOPPED);
	CHECK_STATE(b, SERVICE_STARTED);
	ATF_CHECK_EQ(0, kills(b));
	teardown();
}

ATF_TC_WITHOUT_HEAD(start_while_stopping);
ATF_TC_BODY(start_while_stopping, tc)
{
	struct service	*p, *s;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	start_process(p);
	ATF_CHECK_EQ(0, service_stop(p, 0));
	ATF_CHECK_EQ(0, service_start(p, 0));
	/* The old process must go before a new one is launched. */
	CHECK_STATE(p, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, launches(p));
	main_exit(p, KILLED(SIGTERM));
	CHECK_STATE(p, SERVICE_STARTING);
	ATF_CHECK_EQ(2, launches(p));
	exec_ok(p);
	CHECK_EVENTS(p, "STARTED STOPPED STARTED");

	/* Likewise a scripted service's running stop-command. */
	s = mksvc("s", SERVICE_SCRIPTED);
	s->desc->stop_command = mkargv("/bin/stop");
	ATF_CHECK_EQ(0, service_start(s, 0));
	main_exit(s, EXITED(0));
	ATF_CHECK_EQ(0, service_stop(s, 0));
	ATF_CHECK_EQ(0, service_start(s, 0));
	CHECK_STATE(s, SERVICE_STOPPING);
	ATF_CHECK_EQ(1, launches(s));
	child_exit(s, s->stop_pid, EXITED(0));
	CHECK_STATE(s, SERVICE_STARTING);
	ATF_CHECK_EQ(2, launches(s));
	main_exit(s, EXITED(0));
	CHECK_STATE(s, SERVICE_STARTED);
	teardown();
}

ATF_TC_WITHOUT_HEAD(start_cancelled_waiting_for_deps);
ATF_TC_BODY(start_cancelled_waiting_for_deps, tc)
{
	struct service	*a, *b;

	setup();
	a = mksvc("a", SERVICE_PROCESS);
	b = mksvc("b", SERVICE_PROCESS);
	dep(a, b, DEP_REGULAR);
	ATF_CHECK_EQ(0, service_start(a, 0));
	service_release(a);
	CHECK_STATE(a, SERVICE_STOPPED);
	CHECK_EVENTS(a, "START_CANCELLED");
	ATF_CHECK_EQ(0, launches(a));
	CHECK_STATE(b, SERVICE_STOPPING);
	main_exit(b, KILLED(SIGTERM));
	CHECK_STATE(b, SERVICE_STOPPED);
	CHECK_EVENTS(b, "START_CANCELLED");
	ATF_CHECK_EQ(0, b->holders);
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(add_dep_to_started);
ATF_TC_BODY(add_dep_to_started, tc)
{
	struct service	*a, *c;
	struct dependency *d;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	c = mksvc("c", SERVICE_INTERNAL);
	ATF_CHECK_EQ(0, service_start(a, 0));
	/*
	 * As in dinit, a new soft dependency of a running service on a
	 * stopped one is only a link: nothing starts.
	 */
	ATF_REQUIRE((d = service_add_dep(a, c, DEP_WAITS_FOR)) != NULL);
	service_drain(&set);
	ATF_CHECK(!d->holding);
	CHECK_STATE(c, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, c->holders);
	/* Held on purpose (enable), it starts. */
	service_hold_dep(d);
	service_drain(&set);
	ATF_CHECK(d->holding);
	CHECK_STATE(c, SERVICE_STARTED);
	ATF_CHECK_EQ(1, c->holders);
	/* Removed, it is let go. */
	service_rm_dep(d);
	service_drain(&set);
	CHECK_STATE(c, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, c->holders);
	CHECK_STATE(a, SERVICE_STARTED);
	/* A dependency that is already up is held at once. */
	ATF_CHECK_EQ(0, service_start(c, 0));
	ATF_REQUIRE((d = service_add_dep(a, c, DEP_WAITS_FOR)) != NULL);
	service_drain(&set);
	ATF_CHECK(d->holding);
	ATF_CHECK_EQ(1, c->holders);
	teardown();
}

/*
 * Shutdown.
 */

ATF_TC_WITHOUT_HEAD(stop_all_order);
ATF_TC_BODY(stop_all_order, tc)
{
	struct service	*boot, *net, *dev, *w, *x, *y;

	setup();
	boot = mksvc("boot", SERVICE_INTERNAL);
	net = mksvc("net", SERVICE_PROCESS);
	dev = mksvc("dev", SERVICE_PROCESS);
	w = mksvc("w", SERVICE_PROCESS);
	x = mksvc("x", SERVICE_PROCESS);
	y = mksvc("y", SERVICE_PROCESS);
	dep(boot, net, DEP_REGULAR);
	dep(net, dev, DEP_REGULAR);
	dep(boot, w, DEP_WAITS_FOR);
	dep(x, dev, DEP_AFTER);		/* ordering only */
	dep(y, dev, DEP_WAITS_FOR);	/* soft */
	ATF_CHECK_EQ(0, service_start(boot, 0));
	ATF_CHECK_EQ(0, service_start(x, 0));
	ATF_CHECK_EQ(0, service_start(y, 1));	/* a pin gives way too */
	exec_ok(dev);
	exec_ok(w);
	exec_ok(net);
	exec_ok(x);
	exec_ok(y);
	CHECK_STATE(boot, SERVICE_STARTED);
	ATF_CHECK_EQ(6, set.active);
	clear_calls();

	service_stop_all(&set);
	ATF_CHECK(set.shutting_down);
	CHECK_STATE(boot, SERVICE_STOPPED);
	/* Leaves of the dependents' side get their signal at once. */
	ATF_CHECK_EQ(1, kills(net));
	ATF_CHECK_EQ(1, kills(w));
	ATF_CHECK_EQ(1, kills(x));
	ATF_CHECK_EQ(1, kills(y));
	/* dev waits for every kind of dependent, soft and ordering too. */
	CHECK_STATE(dev, SERVICE_STOPPING);
	ATF_CHECK_EQ(0, kills(dev));
	main_exit(net, KILLED(SIGTERM));
	ATF_CHECK_EQ(0, kills(dev));
	main_exit(x, KILLED(SIGTERM));
	ATF_CHECK_EQ(0, kills(dev));
	main_exit(y, KILLED(SIGTERM));
	ATF_CHECK_EQ(1, kills(dev));
	CHECK_BEFORE(event_at(net, SERVICE_EVENT_STOPPED, 0),
	    kill_at(dev, SIGTERM));
	CHECK_BEFORE(event_at(x, SERVICE_EVENT_STOPPED, 0),
	    kill_at(dev, SIGTERM));
	CHECK_BEFORE(event_at(y, SERVICE_EVENT_STOPPED, 0),
	    kill_at(dev, SIGTERM));
	CHECK_BEFORE(event_at(boot, SERVICE_EVENT_STOPPED, 0),
	    kill_at(net, SIGTERM));
	main_exit(dev, KILLED(SIGTERM));
	main_exit(w, KILLED(SIGTERM));
	ATF_CHECK_EQ(0, set.active);

	/* Nothing starts any more. */
	errno = 0;
	ATF_CHECK_EQ(-1, service_start(boot, 0));
	ATF_CHECK_EQ(ESHUTDOWN, errno);
	errno = 0;
	ATF_CHECK_EQ(-1, service_wake(dev));
	ATF_CHECK_EQ(ESHUTDOWN, errno);
	CHECK_STATE(boot, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(stop_all_cancels_restart);
ATF_TC_BODY(stop_all_cancels_restart, tc)
{
	struct service	*p;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	start_process(p);
	service_stop_all(&set);
	main_exit(p, KILLED(SIGTERM));
	/* A process ending during shutdown is not restarted. */
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(1, launches(p));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

/*
 * An order to shut down (without stop_all: an immediate shutdown) stops
 * nothing by itself but refuses starts and restarts; cancelling it
 * accepts starts again.
 */
ATF_TC_WITHOUT_HEAD(order_and_cancel_shutdown);
ATF_TC_BODY(order_and_cancel_shutdown, tc)
{
	struct service	*p, *q;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	q = mksvc("q", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	start_process(p);
	clear_calls();

	service_order_shutdown(&set);
	ATF_CHECK(set.shutting_down);
	CHECK_STATE(p, SERVICE_STARTED);
	ATF_CHECK_EQ(0, kills(p));
	errno = 0;
	ATF_CHECK_EQ(-1, service_start(q, 0));
	ATF_CHECK_EQ(ESHUTDOWN, errno);
	CHECK_STATE(q, SERVICE_STOPPED);
	/* A process ending now is not restarted. */
	main_exit(p, KILLED(SIGKILL));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, launches(p));
	ATF_CHECK_EQ(0, set.active);

	service_cancel_shutdown(&set);
	ATF_CHECK(!set.shutting_down);
	ATF_CHECK_EQ(0, service_start(q, 0));
	exec_ok(q);
	CHECK_STATE(q, SERVICE_STARTED);
	ATF_CHECK_EQ(1, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(active_count);
ATF_TC_BODY(active_count, tc)
{
	struct service	*a, *p, *s;

	setup();
	a = mksvc("a", SERVICE_INTERNAL);
	p = mksvc("p", SERVICE_PROCESS);
	s = mksvc("s", SERVICE_SCRIPTED);
	ATF_CHECK_EQ(0, set.active);
	ATF_CHECK_EQ(0, service_start(p, 0));
	ATF_CHECK_EQ(1, set.active);		/* STARTING counts */
	ATF_CHECK_EQ(0, service_start(a, 0));
	ATF_CHECK_EQ(2, set.active);
	ATF_CHECK_EQ(0, service_start(s, 0));
	ATF_CHECK_EQ(3, set.active);
	main_exit(s, EXITED(1));		/* failed: not active */
	ATF_CHECK_EQ(2, set.active);
	exec_ok(p);
	ATF_CHECK_EQ(2, set.active);
	ATF_CHECK_EQ(0, service_stop(p, 0));
	ATF_CHECK_EQ(2, set.active);		/* STOPPING counts */
	main_exit(p, KILLED(SIGTERM));
	ATF_CHECK_EQ(1, set.active);
	service_release(a);
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

/*
 * A deep chain: no recursion.
 */

/* Make s[0] depends-on s[1] ... s[n-1], of the given type at the end. */
static struct service **
mkchain(int n, enum service_type last)
{
	struct service	**s;
	char		  name[16];
	int		  i;

	ATF_REQUIRE((s = calloc((size_t)n, sizeof(*s))) != NULL);
	for (i = 0; i < n; i++) {
		(void)snprintf(name, sizeof(name), "s%d", i);
		s[i] = mksvc(name, i == n - 1 ? last : SERVICE_INTERNAL);
		if (i > 0)
			dep(s[i - 1], s[i], DEP_REGULAR);
	}
	return (s);
}

ATF_TC_WITHOUT_HEAD(deep_chain);
ATF_TC_BODY(deep_chain, tc)
{
	struct service	**s;
	int		  i, ok;

	setup();
	s = mkchain(CHAIN_LEN, SERVICE_INTERNAL);
	fake.stack_base = __builtin_frame_address(0);
	ATF_CHECK_EQ(0, service_start(s[0], 0));
	for (i = 0, ok = 1; i < CHAIN_LEN; i++)
		ok &= s[i]->state == SERVICE_STARTED;
	ATF_CHECK_MSG(ok, "not every service of the chain started");
	ATF_CHECK_EQ(CHAIN_LEN, set.active);
	CHECK_BEFORE(event_at(s[CHAIN_LEN - 1], SERVICE_EVENT_STARTED, 0),
	    event_at(s[CHAIN_LEN / 2], SERVICE_EVENT_STARTED, 0));
	CHECK_BEFORE(event_at(s[1], SERVICE_EVENT_STARTED, 0),
	    event_at(s[0], SERVICE_EVENT_STARTED, 0));

	service_release(s[0]);
	for (i = 0, ok = 1; i < CHAIN_LEN; i++)
		ok &= s[i]->state == SERVICE_STOPPED;
	ATF_CHECK_MSG(ok, "not every service of the chain stopped");
	ATF_CHECK_EQ(0, set.active);
	CHECK_BEFORE(event_at(s[0], SERVICE_EVENT_STOPPED, 0),
	    event_at(s[1], SERVICE_EVENT_STOPPED, 0));
	CHECK_BEFORE(event_at(s[CHAIN_LEN / 2], SERVICE_EVENT_STOPPED, 0),
	    event_at(s[CHAIN_LEN - 1], SERVICE_EVENT_STOPPED, 0));
	/* Recursion through 5000 services would go far deeper. */
	ATF_CHECK_MSG(fake.stack_max < STACK_LIMIT,
	    "the engine used %zu bytes of stack", fake.stack_max);
	fake.stack_base = NULL;
	free(s);
	teardown();
}

ATF_TC_WITHOUT_HEAD(deep_chain_failure);
ATF_TC_BODY(deep_chain_failure, tc)
{
	struct service	**s, *leaf;
	int		  i, ok;

	setup();
	s = mkchain(CHAIN_LEN, SERVICE_SCRIPTED);
	leaf = s[CHAIN_LEN - 1];
	ATF_CHECK_EQ(0, service_start(s[0], 0));
	ATF_CHECK_EQ(CHAIN_LEN, set.active);
	fake.stack_base = __builtin_frame_address(0);
	main_exit(leaf, EXITED(1));
	for (i = 0, ok = 1; i < CHAIN_LEN - 1; i++)
		ok &= s[i]->state == SERVICE_STOPPED &&
		    s[i]->stop_reason == STOP_DEPFAILED;
	ATF_CHECK_MSG(ok, "the failure did not reach the whole chain");
	ATF_CHECK_EQ(STOP_FAILED, leaf->stop_reason);
	ATF_CHECK_EQ(0, set.active);
	ATF_CHECK_MSG(fake.stack_max < STACK_LIMIT,
	    "the engine used %zu bytes of stack", fake.stack_max);
	fake.stack_base = NULL;
	free(s);
	teardown();
}

/*
 * Timers that cannot be armed, and relaunches that cannot be made: the
 * engine must act at once or try again, never wait for an event that
 * will not come.
 */

ATF_TC_WITHOUT_HEAD(stop_timer_unarmable_kills);
ATF_TC_BODY(stop_timer_unarmable_kills, tc)
{
	struct service	*p;
	pid_t		 pid;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->stop_timeout = 10000;
	start_process(p);
	pid = p->pid;
	/* A process that ignores SIGTERM: only the SIGKILL ends it. */
	fake.timer_fails = 1;
	ATF_CHECK_EQ(0, service_stop(p, 0));
	fake.timer_fails = 0;
	ATF_CHECK(signalled(p, pid, SIGTERM));
	ATF_CHECK(signalled(p, pid, SIGKILL));
	CHECK_BEFORE(kill_at(p, SIGTERM), kill_at(p, SIGKILL));
	ATF_CHECK_EQ(TIMER_NONE, p->timer);
	CHECK_STATE(p, SERVICE_STOPPING);
	main_exit(p, KILLED(SIGKILL));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(stop_command_timer_unarmable_kills);
ATF_TC_BODY(stop_command_timer_unarmable_kills, tc)
{
	struct service	*p;
	pid_t		 pid, stop_pid;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->stop_command = mkargv("/bin/stop");
	p->desc->stop_timeout = 10000;
	start_process(p);
	pid = p->pid;
	fake.timer_fails = 1;
	ATF_CHECK_EQ(0, service_stop(p, 0));
	fake.timer_fails = 0;
	stop_pid = last_pid(p, LAUNCH_STOP);
	ATF_CHECK(signalled(p, pid, SIGKILL));
	ATF_CHECK(signalled(p, stop_pid, SIGKILL));
	child_exit(p, stop_pid, KILLED(SIGKILL));
	main_exit(p, KILLED(SIGKILL));
	CHECK_STATE(p, SERVICE_STOPPED);
	teardown();
}

ATF_TC_WITHOUT_HEAD(start_timer_unarmable_fails_start);
ATF_TC_BODY(start_timer_unarmable_fails_start, tc)
{
	struct service	*p;
	pid_t		 pid;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->rare->ready_fd = 3;
	p->desc->start_timeout = 5000;
	p->desc->stop_timeout = 5000;
	/* No start timer: the start fails at once rather than hang. */
	fake.timer_fails = 1;
	ATF_CHECK_EQ(0, service_start(p, 0));
	fake.timer_fails = 0;
	pid = last_pid(p, LAUNCH_START);
	ATF_CHECK(signalled(p, pid, SIGINT));
	ATF_CHECK(signalled(p, pid, SIGKILL));
	child_exit(p, pid, KILLED(SIGKILL));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_TIMEDOUT, p->stop_reason);
	CHECK_EVENTS(p, "FAILED");
	teardown();
}

ATF_TC_WITHOUT_HEAD(restart_timer_unarmable_relaunches);
ATF_TC_BODY(restart_timer_unarmable_relaunches, tc)
{
	struct service	*p;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->restart_delay = 200;
	start_process(p);
	fake.now += 50;
	/* No timer for the rest of restart-delay: relaunch at once. */
	fake.timer_fails = 1;
	main_exit(p, EXITED(1));
	fake.timer_fails = 0;
	ATF_CHECK_EQ(2, launches(p));
	ATF_CHECK(p->pid > 0);
	ATF_CHECK_EQ(TIMER_NONE, p->timer);
	exec_ok(p);
	CHECK_STATE(p, SERVICE_STARTED);
	teardown();
}

ATF_TC_WITHOUT_HEAD(relaunch_retried_until_resources_return);
ATF_TC_BODY(relaunch_retried_until_resources_return, tc)
{
	static const int errs[] = { EAGAIN, EMFILE, ENFILE, ENOMEM };
	struct service	*p;
	unsigned long	 ms;
	size_t		 i;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->restart_delay = 300;
	p->desc->restart_limit_count = 0;
	start_process(p);
	fake.now += 1000;

	/* No processes, descriptors or memory: try again, and again. */
	fake.launch_errno = EAGAIN;
	main_exit(p, EXITED(1));
	for (i = 0; i < sizeof(errs) / sizeof(*errs); i++) {
		fake.launch_errno = errs[i];
		CHECK_STATE(p, SERVICE_STARTING);
		ATF_CHECK_EQ(SERVICE_STARTED, service_target(p));
		ATF_CHECK(timer_armed(p, &ms));
		ATF_CHECK_EQ(300, ms);
		ATF_CHECK_EQ(TIMER_RESTART, p->timer);
		ATF_CHECK_EQ(STAGE_FORK, p->exec_stage);
		fake.now += 300;
		fire_timer(p);
	}
	ATF_CHECK_EQ(2 + (int)(sizeof(errs) / sizeof(*errs)), launches(p));

	/* They come back: the service with them. */
	fake.launch_errno = 0;
	fake.now += 300;
	fire_timer(p);
	exec_ok(p);
	CHECK_STATE(p, SERVICE_STARTED);
	ATF_CHECK(!service_is_failed(p));
	ATF_CHECK(!timer_armed(p, NULL));
	CHECK_EVENTS(p, "STARTED STOPPED STARTED");
	teardown();
}

ATF_TC_WITHOUT_HEAD(relaunch_retry_counts_against_limit);
ATF_TC_BODY(relaunch_retry_counts_against_limit, tc)
{
	struct service	*p;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->restart_delay = 100;
	p->desc->restart_limit_count = 3;
	p->desc->restart_limit_interval = 10000;
	start_process(p);
	fake.now += 1000;
	fake.launch_errno = EMFILE;
	/* The restart counts once, each retry once more, up to three. */
	main_exit(p, EXITED(1));
	ATF_CHECK_EQ(TIMER_RESTART, p->timer);
	fake.now += 100;
	fire_timer(p);
	ATF_CHECK_EQ(TIMER_RESTART, p->timer);
	fake.now += 100;
	fire_timer(p);
	fake.launch_errno = 0;
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_EXECFAILED, p->stop_reason);
	ATF_CHECK_EQ(EMFILE, p->exec_errno);
	ATF_CHECK(service_is_failed(p));
	ATF_CHECK_EQ(4, launches(p));
	ATF_CHECK(!timer_armed(p, NULL));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(relaunch_retry_after_child_report);
ATF_TC_BODY(relaunch_retry_after_child_report, tc)
{
	struct service	*p;
	pid_t		 pid;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	p->desc->restart_delay = 100;
	start_process(p);
	fake.now += 1000;
	main_exit(p, EXITED(1));
	/* The child itself ran out of descriptors: tried again too. */
	pid = p->pid;
	service_child_exec_failed(p, pid, STAGE_STDIO, EMFILE);
	child_exit(p, pid, EXITED(126));
	CHECK_STATE(p, SERVICE_STARTING);
	ATF_CHECK_EQ(TIMER_RESTART, p->timer);
	fake.now += 100;
	fire_timer(p);
	ATF_CHECK_EQ(3, launches(p));
	exec_ok(p);
	CHECK_STATE(p, SERVICE_STARTED);
	teardown();
}

ATF_TC_WITHOUT_HEAD(relaunch_retry_cancelled_by_stop);
ATF_TC_BODY(relaunch_retry_cancelled_by_stop, tc)
{
	struct service	*p;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	start_process(p);
	fake.now += 1000;
	fake.launch_errno = EAGAIN;
	main_exit(p, EXITED(1));
	fake.launch_errno = 0;
	ATF_CHECK_EQ(TIMER_RESTART, p->timer);
	/* Stopped while waiting to try again: nothing more is launched. */
	ATF_CHECK_EQ(0, service_stop(p, 0));
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK(!timer_armed(p, NULL));
	ATF_CHECK_EQ(2, launches(p));
	ATF_CHECK_EQ(0, set.active);
	teardown();
}

ATF_TC_WITHOUT_HEAD(first_start_resource_failure_stands);
ATF_TC_BODY(first_start_resource_failure_stands, tc)
{
	struct service	*p;

	setup();
	p = mksvc("p", SERVICE_PROCESS);
	p->desc->restart = RESTART_YES;
	/* Not a restart: the start fails, as the one who asked can see. */
	fake.launch_errno = EAGAIN;
	ATF_CHECK_EQ(0, service_start(p, 0));
	fake.launch_errno = 0;
	CHECK_STATE(p, SERVICE_STOPPED);
	ATF_CHECK_EQ(STOP_EXECFAILED, p->stop_reason);
	CHECK_EVENTS(p, "FAILED");
	ATF_CHECK(!timer_armed(p, NULL));
	teardown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, internal_start_stop);
	ATF_TP_ADD_TC(tp, placeholder_refuses_start);
	ATF_TP_ADD_TC(tp, process_start_stop);
	ATF_TP_ADD_TC(tp, process_exec_failed);
	ATF_TP_ADD_TC(tp, process_fork_failed);
	ATF_TP_ADD_TC(tp, process_ready);
	ATF_TP_ADD_TC(tp, process_ready_eof);
	ATF_TP_ADD_TC(tp, process_start_cancelled);
	ATF_TP_ADD_TC(tp, process_exit_no_restart);
	ATF_TP_ADD_TC(tp, scripted_success);
	ATF_TP_ADD_TC(tp, scripted_failure);
	ATF_TP_ADD_TC(tp, scripted_skippable);
	ATF_TP_ADD_TC(tp, scripted_stop_command);
	ATF_TP_ADD_TC(tp, scripted_kill_all_on_stop);
	ATF_TP_ADD_TC(tp, scripted_start_interruptible);
	ATF_TP_ADD_TC(tp, triggered);
	ATF_TP_ADD_TC(tp, depends_on_start_order);
	ATF_TP_ADD_TC(tp, depends_on_stop_order);
	ATF_TP_ADD_TC(tp, depends_on_failure);
	ATF_TP_ADD_TC(tp, depends_on_forced_stop);
	ATF_TP_ADD_TC(tp, depends_on_forced_stop_during_script);
	ATF_TP_ADD_TC(tp, depends_ms_failure);
	ATF_TP_ADD_TC(tp, depends_ms_stop_no_effect);
	ATF_TP_ADD_TC(tp, waits_for_failure);
	ATF_TP_ADD_TC(tp, waits_for_stop_no_effect);
	ATF_TP_ADD_TC(tp, after_ordering);
	ATF_TP_ADD_TC(tp, before_ordering);
	ATF_TP_ADD_TC(tp, after_does_not_wait_for_later);
	ATF_TP_ADD_TC(tp, prepared_by);
	ATF_TP_ADD_TC(tp, prepared_by_failure);
	ATF_TP_ADD_TC(tp, prepared_by_restart);
	ATF_TP_ADD_TC(tp, dependency_on_placeholder);
	ATF_TP_ADD_TC(tp, parallel_start);
	ATF_TP_ADD_TC(tp, restart_rolls_back_dependents);
	ATF_TP_ADD_TC(tp, restart_delay);
	ATF_TP_ADD_TC(tp, restart_delay_cancelled);
	ATF_TP_ADD_TC(tp, restart_limit);
	ATF_TP_ADD_TC(tp, restart_on_failure);
	ATF_TP_ADD_TC(tp, smooth_recovery);
	ATF_TP_ADD_TC(tp, restart_stopped_by_request);
	ATF_TP_ADD_TC(tp, restart_limit_fails_dependents);
	ATF_TP_ADD_TC(tp, restart_exec_failure);
	ATF_TP_ADD_TC(tp, restart_soft_dependent_unaffected);
	ATF_TP_ADD_TC(tp, smooth_recovery_exec_failure);
	ATF_TP_ADD_TC(tp, smooth_recovery_fork_failure);
	ATF_TP_ADD_TC(tp, smooth_recovery_stopped_while_waiting);
	ATF_TP_ADD_TC(tp, start_timeout);
	ATF_TP_ADD_TC(tp, start_timeout_scripted);
	ATF_TP_ADD_TC(tp, stop_timeout_sigkill);
	ATF_TP_ADD_TC(tp, stop_timeout_process_only);
	ATF_TP_ADD_TC(tp, stop_timeout_not_needed);
	ATF_TP_ADD_TC(tp, process_stop_command);
	ATF_TP_ADD_TC(tp, process_stop_command_fails);
	ATF_TP_ADD_TC(tp, process_stop_command_timeout);
	ATF_TP_ADD_TC(tp, chain_to);
	ATF_TP_ADD_TC(tp, chain_to_always);
	ATF_TP_ADD_TC(tp, chain_to_not_when_restarting_or_stopped);
	ATF_TP_ADD_TC(tp, pin_started);
	ATF_TP_ADD_TC(tp, pin_dependency);
	ATF_TP_ADD_TC(tp, stop_soft_dependents_not_busy);
	ATF_TP_ADD_TC(tp, wake);
	ATF_TP_ADD_TC(tp, release);
	ATF_TP_ADD_TC(tp, stop_cancelled);
	ATF_TP_ADD_TC(tp, start_while_stopping);
	ATF_TP_ADD_TC(tp, start_cancelled_waiting_for_deps);
	ATF_TP_ADD_TC(tp, add_dep_to_started);
	ATF_TP_ADD_TC(tp, stop_all_order);
	ATF_TP_ADD_TC(tp, stop_all_cancels_restart);
	ATF_TP_ADD_TC(tp, order_and_cancel_shutdown);
	ATF_TP_ADD_TC(tp, active_count);
	ATF_TP_ADD_TC(tp, deep_chain);
	ATF_TP_ADD_TC(tp, deep_chain_failure);
	ATF_TP_ADD_TC(tp, stop_timer_unarmable_kills);
	ATF_TP_ADD_TC(tp, stop_command_timer_unarmable_kills);
	ATF_TP_ADD_TC(tp, start_timer_unarmable_fails_start);
	ATF_TP_ADD_TC(tp, restart_timer_unarmable_relaunches);
	ATF_TP_ADD_TC(tp, relaunch_retried_until_resources_return);
	ATF_TP_ADD_TC(tp, relaunch_retry_counts_against_limit);
	ATF_TP_ADD_TC(tp, relaunch_retry_after_child_report);
	ATF_TP_ADD_TC(tp, relaunch_retry_cancelled_by_stop);
	ATF_TP_ADD_TC(tp, first_start_resource_failure_stands);
	return (atf_no_error());
}
