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
 * The process layer, parent side: launching a service's commands (a
 * spawn plan made from its description, then spawn.c makes the child),
 * matching exits to services through the pid table, launch reports,
 * readiness pipes and the per-service timer, on libevent (a service's
 * output pipes and buffer are output.c's).
 *
 * Every resource every service needs for this (its slot in the timer
 * heap, two child records) is made when the service is loaded, in
 * proc_attach, so launching and supervising it later cannot fail for
 * want of memory (building the child's environment aside).  What only some services
 * need (a readiness pipe, a watch on a bgprocess daemon: struct proc_io)
 * is made at the first launch that needs it.
 *
 * Arming an event can still fail: libevent grows its timer heap and its
 * descriptor map as events are added, and epoll_ctl(2) may refuse with
 * ENOMEM or ENOSPC.  A lost timer or watch would leave its service in a
 * state no event leaves (STOPPING for good, a relaunch that never comes,
 * a readiness wait without end), so one reserve timer of the daemon's
 * stands in: it is pending from proc_init on, and re-arming a pending
 * timer only moves it within the heap, which never allocates.  It polls,
 * every PROC_RESERVE_POLL_MS, the pipes that could not be watched.
 *
 * The same timer serves every service's timer (start and stop timeouts,
 * restart delays): they wait in a heap of our own, ordered by when they
 * are due, whose room grows as services are loaded, and the reserve
 * timer is armed for the earliest.  Arming a service's timer thus never
 * allocates and cannot fail, and a service costs a heap slot and an
 * index instead of a libevent event (128 bytes) of its own.
 */

#include "dinit.h"

#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
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

/*
 * The pid table: Knuth's multiplicative hash (2^32 over the golden
 * ratio), a power-of-two size, and one slot per service.  Its chains
 * (through hash_next) stay short: a service rarely has its second child
 * (a stop command), so there are about as many children as slots, and
 * more slots would cost every service more than they save.
 */
#define PROC_PID_HASH_MULT	2654435761u
#define PROC_PID_TABLE_MIN	256
#define PROC_PID_SLOTS_PER_SERVICE	1

/*
 * Exit watches (see proc_exits_init) that are descriptors (Linux's
 * pidfds) are numbered from PROC_WATCH_LOW (or half the descriptor limit,
 * if lower) up to the limit less PROC_WATCH_RESERVE, which stay free for
 * clients and files.
 */
#define PROC_WATCH_LOW		1024
#define PROC_WATCH_RESERVE	64
#define PROC_WATCH_NONE		(-1)	/* none: SIGCHLD must find it */
#define PROC_WATCH_OFF		(-2)	/* no child, or a daemon that
					   watch_fd watches */
#define PROC_SWEEP_AT_ONCE	256	/* children a sweep may look at now */
#define PROC_SWEEP_MS		100	/* else it waits until SIGCHLDs have
					   stopped coming for this long, */
#define PROC_SWEEP_MAX_MS	500	/* but never longer than this */
#define PROC_EXITS_BATCH	64	/* exits read from the queue at once */
#define PROC_RECENT		16	/* pids reaped last, remembered */

#define PROC_TRIM_AFTER		64	/* launches that make a trim worth it */
#define PROC_TRIM_QUIET_MS	250	/* ... once none came for this long */

#define PROC_READY_READ		64	/* a readiness pipe's read */
#define PROC_FD_DIGITS		16	/* a descriptor number, as text */

/*
 * The reserve timer's timeout while it stands in for nothing: it stays
 * pending all the same.  NB: libevent's epoll backend waits at most 35
 * minutes, so the daemon wakes that often for nothing.
 */
#define PROC_RESERVE_IDLE_MS	(24 * 60 * 60 * 1000UL)
#define PROC_RESERVE_POLL_MS	100	/* a pipe that could not be watched */
#define PROC_TIMER_OFF		UINT_MAX	/* a timer not armed */

/*
 * One child of a service: the main process or its stop command.  (Its
 * fields and its service's are ordered so that no padding falls between
 * them: every service has one of each.)
 */
struct proc_child {
	struct proc_child	*hash_next;
	TAILQ_ENTRY(proc_child)	 report_entry;	/* in proc_reports */
	pid_t			 pid;		/* 0: none */
	struct spawn_report	 launch;	/* how the last launch went */
	int			 exit_watch;	/* >= 0, or PROC_WATCH_* */
	unsigned		 kind:1;	/* enum launch_kind */
	unsigned		 report:1;	/* its outcome is due */
	unsigned		 exit_told:1;	/* the queue told its exit */
#ifndef HAVE_WORKING_VFORK
	struct event		 status_ev;	/* the pipe, after fork */
	int			 status_polled;	/* not watched: the reserve */
#endif
};
TAILQ_HEAD(proc_child_list, proc_child);

/*
 * What only some services use: the stop command's child, the readiness
 * pipe, the watch on a bgprocess daemon that is not our child, the
 * activation socket, the notification socket and the cgroup.  Only the
 * main process can signal readiness, so the readiness pipe belongs to
 * the service.  Made on first use (a launch that needs it) and kept until
 * the service is unloaded: most services never need it, and its two
 * events were a third of what every service cost.
 */
struct proc_io {
	struct proc_service	*owner;
	struct proc_child	 stop;		/* LAUNCH_STOP's */
	int			 ready_fd;	/* -1: none */
	int			 ready_polled;	/* not watched: the reserve */
	int			 watch_fd;	/* a daemon not our child, or -1 */
	int			 listen_fd;	/* socket-listen, or -1 */
	struct event		 ready_ev;
	struct event		 watch_ev;
	struct notify_socket	*notify;	/* ready-notification = notify */
	char			*cgroup;	/* run-in-cgroup's directory */
};

/* A field of a service's proc_io, or none when it has no proc_io. */
#define PROC_IO(ps, field, none)					\
	((ps)->io != NULL ? (ps)->io->field : (none))

/*
 * The process layer's record of one service, just before the service in
 * its block (service_new, proc_record_size): each finds the other by
 * that fixed distance, PROC_RECORD.
 */
struct proc_service {
	struct proc_child	 start;		/* LAUNCH_START's */
	struct proc_io		*io;		/* NULL until needed */

	uint64_t		 timer_due;	/* ms: when our timer is due */
	unsigned		 timer_slot;	/* in proc_timers, or
						   PROC_TIMER_OFF */
	unsigned		 timer_round;	/* armed in this round */

	/* What the reserve timer does for us while we are on its list. */
	unsigned		 reserve_gen;	/* served in this round */
	unsigned		 on_reserve:1;
	unsigned		 bg_launcher:1;	/* start is a bgprocess's
						   start command */
	TAILQ_ENTRY(proc_service) reserve_entry; /* in proc_reserved */
};

/* The distance from a proc_service to its service. */
#define PROC_RECORD	SERVICE_RECORD(sizeof(struct proc_service))
#define PROC_OF(s)							\
	((struct proc_service *)(void *)((char *)(uintptr_t)(s) - PROC_RECORD))
#define PROC_SERVICE(ps)						\
	((struct service *)(void *)((char *)(uintptr_t)(ps) + PROC_RECORD))

/*
 * The record a child is in, found from where it is: a child does not
 * spend a pointer on it, since every service has one.  A stop command's
 * is in the service's proc_io, which points back.
 */
static struct proc_service *
proc_child_owner(const struct proc_child *c)
{
	if (c->kind == LAUNCH_STOP)
		return (((const struct proc_io *)(const void *)((const char *)c -
		    offsetof(struct proc_io, stop)))->owner);
	return ((struct proc_service *)(void *)((char *)(uintptr_t)c -
	    offsetof(struct proc_service, start)));
}

/* A service's child of a kind; a stop command's only once made. */
static struct proc_child *
proc_child_of(struct proc_service *ps, enum launch_kind kind)
{
	if (kind == LAUNCH_START)
		return (&ps->start);
	return (ps->io != NULL ? &ps->io->stop : NULL);
}

TAILQ_HEAD(proc_service_list, proc_service);

static void	proc_reports_cb(evutil_socket_t, short, void *);
static void	proc_reserve_cb(evutil_socket_t, short, void *);
static void	proc_ready_read(struct proc_child *, int);
static int	proc_status_read(struct proc_child *);
static void	proc_notify_deliver(struct service *);
static void	proc_notify_cb(struct service *);
static void	proc_watch_close(struct proc_service *);
static void	proc_child_ended(struct proc_child *, pid_t, int);
static void	proc_exits_cb(evutil_socket_t, short, void *);
static void	proc_sweep_cb(evutil_socket_t, short, void *);
static void	proc_trim_cb(evutil_socket_t, short, void *);

static struct event_base	 *proc_base;
static struct proc_child_list	  proc_reports =
    TAILQ_HEAD_INITIALIZER(proc_reports);	/* launch outcomes due */
static struct event		  proc_report_ev;
static void			(*proc_settle)(void);
static struct proc_child	**proc_pids;
static size_t			  proc_pids_size;
static size_t			  proc_services;
static struct event		  proc_reserve_ev;	/* always pending */
static struct proc_service_list	  proc_reserved =
    TAILQ_HEAD_INITIALIZER(proc_reserved);	/* what it stands in for */
static unsigned			  proc_reserve_gen;
static struct proc_service	**proc_timers;	/* the heap, earliest first */
static size_t			  proc_ntimers;
static size_t			  proc_timers_room;
static unsigned			  proc_timer_round;	/* timers fired */
static size_t			  proc_children;	/* in the pid table */
static int			  proc_exits = -1;	/* the exit queue */
static struct event		  proc_exits_ev;
static int			  proc_watch_low, proc_watch_high;
static size_t			  proc_unwatched;	/* live, no watch */
static struct event		  proc_sweep_ev;
static uint64_t			  proc_sweep_by;	/* ms: due at the latest */
static pid_t			  proc_recent[PROC_RECENT]; /* reaped */
static unsigned			  proc_recent_next;
static struct event		  proc_trim_ev;
static unsigned			  proc_trim_launches;	/* since the last */

/* Slot of a pid in a pid table of this size. */
static size_t
proc_pid_hash(pid_t pid, size_t size)
{
	return (((size_t)pid * PROC_PID_HASH_MULT) & (size - 1));
}

/* Slot of a pid in the pid table. */
static size_t
proc_pid_slot(pid_t pid)
{
	return (proc_pid_hash(pid, proc_pids_size));
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
	proc_children++;
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
			proc_children--;
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
	size = proc_pids_size == 0 ? PROC_PID_TABLE_MIN : proc_pids_size;
	while (size < want)
		size *= 2;
	if ((table = mem_array(NULL, size, sizeof(*table))) == NULL)
		return (-1);
	memset(table, 0, size * sizeof(*table));
	for (i = 0; i < proc_pids_size; i++) {
		for (c = proc_pids[i]; c != NULL; c = next) {
			next = c->hash_next;
			slot = proc_pid_hash(c->pid, size);
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

/* Put the timer at heap slot i, telling its service where it is. */
static void
proc_timer_place(struct proc_service *ps, size_t i)
{
	proc_timers[i] = ps;
	ps->timer_slot = (unsigned)i;
}

/* Move the timer at slot i up or down the heap to where it belongs. */
static void
proc_timer_sift(size_t i)
{
	struct proc_service	*ps = proc_timers[i];
	size_t			 child;

	while (i > 0 && proc_timers[(i - 1) / 2]->timer_due > ps->timer_due) {
		proc_timer_place(proc_timers[(i - 1) / 2], i);
		i = (i - 1) / 2;
	}
	for (;;) {
		child = 2 * i + 1;
		if (child >= proc_ntimers)
			break;
		if (child + 1 < proc_ntimers &&
		    proc_timers[child + 1]->timer_due <
		    proc_timers[child]->timer_due)
			child++;
		if (proc_timers[child]->timer_due >= ps->timer_due)
			break;
		proc_timer_place(proc_timers[child], i);
		i = child;
	}
	proc_timer_place(ps, i);
}

/* Take a service's timer out of the heap, if it is there. */
static void
proc_timer_remove(struct proc_service *ps)
{
	size_t	i = ps->timer_slot;

	if (i == PROC_TIMER_OFF)
		return;
	ps->timer_slot = PROC_TIMER_OFF;
	if (i != --proc_ntimers) {
		proc_timer_place(proc_timers[proc_ntimers], i);
		proc_timer_sift(i);
	}
}

/* Make room in the heap for one more service's timer (at load time). */
static int
proc_timer_grow(size_t want)
{
	struct proc_service	**heap;
	size_t			  room;

	if (want <= proc_timers_room)
		return (0);
	if (want >= PROC_TIMER_OFF) {
		errno = ENOMEM;
		return (-1);
	}
	room = proc_timers_room == 0 ? PROC_PID_TABLE_MIN : proc_timers_room;
	while (room < want)
		room *= 2;
	if ((heap = mem_array(proc_timers, room, sizeof(*heap))) == NULL)
		return (-1);
	proc_timers = heap;
	proc_timers_room = room;
	return (0);
}

/*
 * Fire the timers due, earliest first.  A timer armed while they fire
 * (a restart delay of 0 after a stop timeout) waits for the next round,
 * so this ends.  1 when the engine was called.
 */
static int
proc_timers_fire(uint64_t now)
{
	struct proc_service	*ps;
	unsigned		 round = ++proc_timer_round;
	int			 called = 0;

	while (proc_ntimers > 0 && proc_timers[0]->timer_due <= now &&
	    proc_timers[0]->timer_round != round) {
		ps = proc_timers[0];
		proc_timer_remove(ps);
		service_timer_expired(PROC_SERVICE(ps));
		called = 1;
	}
	return (called);
}

/* The smaller of two durations. */
static uint64_t
proc_ms_min(uint64_t a, uint64_t b)
{
	return (a < b ? a : b);
}

/* A duration in milliseconds as a timeval. */
static struct timeval
proc_ms_tv(uint64_t ms)
{
	struct timeval	tv;

	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	return (tv);
}

/*
 * Arm the reserve timer for the first thing it has to do.  While it is
 * pending this cannot fail; -1 when it was not (it fired and could not
 * be put back) and still cannot be armed: it is then made active, which
 * allocates nothing, so that it runs again on the loop's next turn and
 * tries again.  Every service timer hangs on it: it must never be left
 * neither pending nor active.
 */
static int
proc_reserve_arm(void)
{
	static int		 warned;
	struct proc_service	*ps;
	struct timeval		 tv;
	uint64_t		 now = proc_now(), wait = PROC_RESERVE_IDLE_MS;

	TAILQ_FOREACH(ps, &proc_reserved, reserve_entry) {
		if (ps->io != NULL && ps->io->ready_polled)
			wait = proc_ms_min(wait, PROC_RESERVE_POLL_MS);
#ifndef HAVE_WORKING_VFORK
		if (ps->start.status_polled ||
		    PROC_IO(ps, stop.status_polled, 0))
			wait = proc_ms_min(wait, PROC_RESERVE_POLL_MS);
#endif
	}
	if (proc_ntimers > 0)
		wait = proc_ms_min(wait, proc_timers[0]->timer_due > now ?
		    proc_timers[0]->timer_due - now : 0);
	tv = proc_ms_tv(wait);
	if (evtimer_add(&proc_reserve_ev, &tv) != 0) {
		if (!warned)
			log_warnx("cannot arm the reserve timer: retrying");
		warned = 1;
		event_active(&proc_reserve_ev, EV_TIMEOUT, 1);
		return (-1);
	}
	warned = 0;
	return (0);
}

/* Whether the reserve has anything to do for a service. */
static int
proc_reserve_wanted(const struct proc_service *ps)
{
#ifndef HAVE_WORKING_VFORK
	if (ps->start.status_polled || PROC_IO(ps, stop.status_polled, 0))
		return (1);
#endif
	return (ps->io != NULL && ps->io->ready_polled);
}

/* Put a service on the reserve's list, or take it off, as it needs. */
static void
proc_reserve_update(struct proc_service *ps)
{
	int	want = proc_reserve_wanted(ps);

	if (want && !ps->on_reserve)
		TAILQ_INSERT_TAIL(&proc_reserved, ps, reserve_entry);
	else if (!want && ps->on_reserve)
		TAILQ_REMOVE(&proc_reserved, ps, reserve_entry);
	ps->on_reserve = want;
}

/*
 * Do what is due for one service: watch again (or read) the pipes that
 * could not be watched, fire its timer.  1 when the engine was called
 * (which may have changed the reserve's list).
 */
static int
proc_reserve_serve(struct proc_service *ps, uint64_t now)
{
	int		 called = 0;

#ifndef HAVE_WORKING_VFORK
	int		 i;

	for (i = 0; i < 2; i++) {
		struct proc_child *c = proc_child_of(ps, (enum launch_kind)i);

		if (c == NULL || !c->status_polled)
			continue;
		if (event_add(&c->status_ev, NULL) == 0)
			c->status_polled = 0;
		else if (proc_status_read(c) == 0)
			called = 1;
	}
#endif
	if (ps->io != NULL && ps->io->ready_polled) {
		if (event_add(&ps->io->ready_ev, NULL) == 0)
			ps->io->ready_polled = 0;
		else {
			proc_ready_read(&ps->start, 0);
			called = ps->io->ready_fd == -1;
		}
	}
	proc_reserve_update(ps);
	return (called);
}

/*
 * The reserve timer fired: put it back first (its own slot in the heap
 * was just freed), then serve every service on its list once.  A service
 * served may change the list, so the walk starts again after each call
 * into the engine, skipping those served in this round.
 */
static void
proc_reserve_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proc_service	*ps;
	uint64_t		 now = proc_now();
	unsigned		 gen = ++proc_reserve_gen;

	(void)proc_reserve_arm();
again:
	TAILQ_FOREACH(ps, &proc_reserved, reserve_entry) {
		if (ps->reserve_gen == gen)
			continue;
		ps->reserve_gen = gen;
		if (proc_reserve_serve(ps, now))
			goto again;
	}
	(void)proc_timers_fire(now);
	(void)proc_reserve_arm();
	proc_settle();
}

/*
 * Have our children's exits told one by one where the platform can, so
 * that reaping one is a waitpid on its pid: SIGCHLD says only that some
 * child exited, and finding which with waitpid(-1) makes the kernel look
 * at every child, O(N) per exit (a chain of 5000 services stopped in 1.7
 * s, most of it there).  Without it, SIGCHLD and waitpid(-1) find them.
 */
static void
proc_exits_init(void)
{
	struct rlimit	rl;
	rlim_t		low;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return;
	low = rl.rlim_cur / 2 < PROC_WATCH_LOW ? rl.rlim_cur / 2 :
	    PROC_WATCH_LOW;
	if (rl.rlim_cur < PROC_WATCH_RESERVE ||
	    rl.rlim_cur - PROC_WATCH_RESERVE <= low || rl.rlim_cur > INT_MAX)
		return;
	proc_watch_low = (int)low;
	proc_watch_high = (int)(rl.rlim_cur - PROC_WATCH_RESERVE);
	if ((proc_exits = osdep_exits_open()) == -1)
		return;
	if (event_assign(&proc_exits_ev, proc_base, proc_exits,
	    EV_READ | EV_PERSIST, proc_exits_cb, NULL) != 0 ||
	    event_add(&proc_exits_ev, NULL) != 0) {
		(void)close(proc_exits);
		proc_exits = -1;
	}
}

/* Watch the exit of a child of ours, or count it as one SIGCHLD finds. */
static void
proc_exit_watch(struct proc_child *c)
{
	c->exit_watch = proc_exits == -1 ? -1 :
	    osdep_exits_watch(proc_exits, c->pid, proc_watch_low,
	    proc_watch_high, c);
	if (c->exit_watch == -1) {
		c->exit_watch = PROC_WATCH_NONE;
		proc_unwatched++;
	}
}

/* The child is gone (reaped, or its service with it): end its watch. */
static void
proc_exit_unwatch(struct proc_child *c)
{
	if (c->exit_watch >= 0)
		osdep_exits_unwatch(proc_exits, c->exit_watch, c->exit_told);
	else if (c->exit_watch == PROC_WATCH_NONE)
		proc_unwatched--;
	c->exit_watch = PROC_WATCH_OFF;
	c->exit_told = 0;
}

/* Set up the process layer on an event base; settle runs after events. */
int
proc_init(struct event_base *base, void (*settle)(void))
{
	proc_base = base;
	proc_settle = settle;
	output_init(base);
	if (event_assign(&proc_report_ev, base, -1, 0, proc_reports_cb,
	    NULL) != 0 ||
	    evtimer_assign(&proc_sweep_ev, base, proc_sweep_cb, NULL) != 0 ||
	    evtimer_assign(&proc_trim_ev, base, proc_trim_cb, NULL) != 0 ||
	    evtimer_assign(&proc_reserve_ev, base, proc_reserve_cb,
	    NULL) != 0 || proc_reserve_arm() != 0)
		return (-1);
	proc_exits_init();
	return (proc_pid_grow(PROC_PID_TABLE_MIN));
}

/* Take the process layer's own events off the loop (before an exit). */
void
proc_free(void)
{
	evtimer_del(&proc_reserve_ev);
	event_del(&proc_report_ev);
	evtimer_del(&proc_sweep_ev);
	evtimer_del(&proc_trim_ev);
	if (proc_exits != -1)
		event_del(&proc_exits_ev);
}

/* The bytes of a service's record, which service_new allocates. */
size_t
proc_record_size(void)
{
	return (PROC_RECORD);
}

/* A child record with nothing launched yet (it came zeroed). */
static void
proc_child_init(struct proc_child *c, enum launch_kind kind)
{
	c->kind = kind;
	c->launch.status_fd = -1;
	c->exit_watch = PROC_WATCH_OFF;
}

/*
 * Make the per-service resources (at load time).  The record itself came
 * with the service, zeroed (proc_record_size).
 */
int
proc_attach(struct service *s)
{
	struct proc_service	*ps = PROC_OF(s);

	if (proc_pid_grow((proc_services + 1) *
	    PROC_PID_SLOTS_PER_SERVICE) != 0 ||
	    proc_timer_grow(proc_services + 1) != 0)
		return (-1);
	ps->timer_slot = PROC_TIMER_OFF;
	proc_child_init(&ps->start, LAUNCH_START);
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
	if (c->launch.status_fd != -1) {
#ifndef HAVE_WORKING_VFORK
		event_del(&c->status_ev);
		c->status_polled = 0;
		proc_reserve_update(proc_child_owner(c));
#endif
		spawn_report_close(&c->launch);
	}
}

/* The rarely used part of a service's record, made now if need be. */
static struct proc_io *
proc_io(struct proc_service *ps)
{
	if (ps->io == NULL && (ps->io = mem_zalloc(sizeof(*ps->io))) != NULL) {
		ps->io->owner = ps;
		proc_child_init(&ps->io->stop, LAUNCH_STOP);
		ps->io->ready_fd = -1;
		ps->io->watch_fd = -1;
		ps->io->listen_fd = -1;
	}
	return (ps->io);
}

/* Whether the service has a readiness pipe open. */
static int
proc_ready_open(const struct proc_service *ps)
{
	return (ps->io != NULL && ps->io->ready_fd != -1);
}

/* Close the readiness pipe of a service. */
static void
proc_ready_close(struct proc_service *ps)
{
	if (!proc_ready_open(ps))
		return;
	event_del(&ps->io->ready_ev);
	(void)close(ps->io->ready_fd);
	ps->io->ready_fd = -1;
	ps->io->ready_polled = 0;
	proc_reserve_update(ps);
}

/* Free the per-service resources. */
void
proc_detach(struct service *s)
{
	struct proc_service	*ps = PROC_OF(s);
	struct proc_child	*c;
	int			 i;

	proc_timer_remove(ps);
	output_detach(s);
	proc_ready_close(ps);
	if (ps->io != NULL) {
		sockact_close(s, &ps->io->listen_fd);
		notify_free(ps->io->notify);
		free(ps->io->cgroup);
	}
	proc_watch_close(ps);
	for (i = 0; i < 2; i++) {
		if ((c = proc_child_of(ps, (enum launch_kind)i)) == NULL)
			continue;
		proc_child_close(c);
		if (c->pid != 0) {
			proc_pid_remove(c);
			proc_exit_unwatch(c);
		}
	}
	proc_reserve_update(ps);
	free(ps->io);
	proc_services--;
}

/*
 * Arm the per-service timer: its slot in the heap is there already, and
 * the reserve timer, always pending, is moved to the earliest timer,
 * which never allocates.  -1 only when the reserve timer is not pending
 * (it fired and could not be put back) and still cannot be armed: the
 * engine then acts at once.
 */
int
proc_timer_set(struct service *s, unsigned long ms)
{
	struct proc_service	*ps = PROC_OF(s);

	proc_timer_remove(ps);
	ps->timer_due = proc_now() + ms;
	ps->timer_round = proc_timer_round;
	ps->timer_slot = (unsigned)proc_ntimers++;
	proc_timers[ps->timer_slot] = ps;
	proc_timer_sift(ps->timer_slot);
	if ((proc_timers[0] == ps ||
	    !evtimer_pending(&proc_reserve_ev, NULL)) &&
	    proc_reserve_arm() != 0) {
		log_warnx("service %s: cannot arm its timer", s->name);
		proc_timer_remove(ps);
		return (-1);
	}
	return (0);
}

/*
 * Disarm the per-service timer.  When it was the earliest, the reserve
 * timer moves to the next, so that nothing wakes us for nothing.
 */
void
proc_timer_clear(struct service *s)
{
	struct proc_service	*ps = PROC_OF(s);
	int			 first = ps->timer_slot == 0;

	proc_timer_remove(ps);
	if (first)
		(void)proc_reserve_arm();
}

/*
 * How the whole tree of a service is reached: its cgroup (run-in-cgroup),
 * its first process as the reaper of its descendants (a process service,
 * where the platform has such reapers), else only its process group.
 */
enum proc_tree
proc_tree(const struct service *s)
{
	if (s->desc == NULL)
		return (PROC_TREE_GROUP);
	if (s->desc->rare->run_in_cgroup != NULL)
		return (PROC_TREE_CGROUP);
	if (s->type == SERVICE_PROCESS && osdep_reaper_supported())
		return (PROC_TREE_REAPER);
	return (PROC_TREE_GROUP);
}

/*
 * Signal a child, or its whole tree: the processes of its cgroup, or the
 * descendants of a reaper and then its process group, or the process
 * group alone.  A cgroup that cannot be signalled (one that holds dinit
 * too) falls back to the process group.
 */
int
proc_kill(struct service *s, pid_t pid, int sig, int group)
{
	struct proc_service	*ps = PROC_OF(s);
	const char		*cgroup;

	if (group) {
		switch (proc_tree(s)) {
		case PROC_TREE_CGROUP:
			cgroup = PROC_IO(ps, cgroup, NULL);
			if (cgroup != NULL &&
			    osdep_cgroup_kill(cgroup, sig) == 0)
				return (0);
			log_debug("service %s: cannot signal cgroup %s: %s",
			    s->name, cgroup != NULL ? cgroup : "-",
			    strerror(errno));
			break;
		case PROC_TREE_REAPER:
			if (pid == s->pid)
				(void)osdep_reaper_kill(pid, sig);
			break;
		case PROC_TREE_GROUP:
			break;
		}
	}
	if (group && kill(-pid, sig) == 0)
		return (0);
	return (kill(pid, sig));
}

/*
 * kill-all-on-stop: signal every process we may (kill(-1) spares us).
 * Only as process 1, of the machine or of a PID namespace, which is what
 * the setting is for (a system manager going to single-user mode): any
 * other dinit would reach every process of its user, far beyond its own
 * services, so it says so and goes on with the stop.
 */
void
proc_kill_all(struct service *s, int sig)
{
	if (getpid() != 1) {
		if (sig == SIGTERM)
			log_warnx("service %s: kill-all-on-stop: not process 1, "
			    "so not signalling every process", s->name);
		return;
	}
	if (kill(-1, sig) != 0 && errno != ESRCH)
		log_warn("service %s: cannot signal every process", s->name);
}

/*
 * Resolve run-in-cgroup for a launch; the directory is kept for signals
 * to the tree.  0, or -1 with errno.
 */
static int
proc_plan_cgroup(struct service *s, struct spawn_plan *p)
{
	struct proc_io		*io;
	char			 dir[PATH_MAX], *copy;

	if (osdep_cgroup_dir(s->desc->rare->run_in_cgroup, dir, sizeof(dir)) != 0)
		return (-1);
	if ((io = proc_io(PROC_OF(s))) == NULL)
		return (-1);
	if (io->cgroup == NULL || strcmp(io->cgroup, dir) != 0) {
		if ((copy = strdup(dir)) == NULL)
			return (-1);
		free(io->cgroup);
		io->cgroup = copy;
	}
	p->cgroup = io->cgroup;
	return (0);
}

/*
 * Deliver a child's launch outcome, reading its status pipe if it is not
 * known yet.  Returns 0 when reported, -1 when nothing can be read yet.
 */
static int
proc_status_read(struct proc_child *c)
{
	pid_t	pid = c->pid;

	if (!c->report)
		return (0);
	if (spawn_report_read(&c->launch) != 0)
		return (-1);
	proc_child_close(c);
	if (c->launch.stage >= 0)
		service_child_exec_failed(PROC_SERVICE(proc_child_owner(c)),
		    pid, (enum exec_stage)c->launch.stage, c->launch.error);
	else if (c->kind == LAUNCH_START) {
		service_child_started(PROC_SERVICE(proc_child_owner(c)), pid);
		proc_notify_deliver(PROC_SERVICE(proc_child_owner(c)));
	}
	return (0);
}

/*
 * Tell the engine that the main process said READY=1, once it knows the
 * process has started (it ignores readiness it is not waiting for).
 */
static void
proc_notify_deliver(struct service *s)
{
	struct proc_service	*ps = PROC_OF(s);
	struct proc_child	*c = &ps->start;

	if (notify_ready(PROC_IO(ps, notify, NULL)) && c->pid != 0 &&
	    !c->report)
		service_child_ready(s, c->pid, 1);
}

/* A message came on a service's notification socket. */
static void
proc_notify_cb(struct service *s)
{
	struct proc_service	*ps = PROC_OF(s);
	struct proc_child	*c = &ps->start;

	/* The launch report comes before readiness. */
	if (c->report)
		(void)proc_status_read(c);
	else
		proc_notify_deliver(s);
	proc_settle();
}

/* The text of the service's last STATUS= notification ("" if none). */
const char *
proc_status_text(const struct service *s)
{
	const struct proc_service	*ps = PROC_OF(s);

	return (notify_status_text(PROC_IO(ps, notify, NULL)));
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
	struct proc_service	*ps = proc_child_owner(c);
	char			 buf[PROC_READY_READ];
	ssize_t			 n;

	do
		n = read(ps->io->ready_fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN && !final)
		return;
	proc_ready_close(ps);
	service_child_ready(PROC_SERVICE(proc_child_owner(c)), c->pid, n > 0);
}

/* The readiness pipe of a child became readable. */
static void
proc_ready_cb(evutil_socket_t fd, short what, void *arg)
{
	proc_ready_read(arg, 0);
	proc_settle();
}

/* A child of a service has been reaped: tell the engine. */
static void
proc_child_reaped(struct proc_child *c, pid_t pid, int status)
{
	/* The launch report always comes before the exit. */
	if (c->report && proc_status_read(c) != 0)
		proc_child_close(c);
	if (c->kind == LAUNCH_START &&
	    proc_ready_open(proc_child_owner(c)))
		proc_ready_read(c, 1);
	proc_child_ended(c, pid, status);
}

/*
 * Reap every child that has exited, ours or orphans, and tell the engine.
 * This costs the kernel a look at every child.
 */
static void
proc_sweep(void)
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
		proc_child_reaped(c, pid, status);
	}
}

/*
 * Sweep now, or once SIGCHLDs have stopped coming for PROC_SWEEP_MS, but
 * no later than PROC_SWEEP_MAX_MS after the first of them.  A sweep costs
 * the kernel a look at every child (0.4 ms with 1000 of them, 3.5 to 27
 * ms with 10,000, their task records cold): a stop of thousands of
 * services, a SIGCHLD for each, swept every PROC_SWEEP_MS walked the
 * children that were left again and again; now it sweeps once at its
 * end, when few are left (or not at all when the daemon then exits), and
 * at most every PROC_SWEEP_MAX_MS while it lasts.  An orphan whose
 * SIGCHLD merged into another's waits that long to be reaped; one its
 * SIGCHLD names is reaped at once (proc_reap_named).  Re-arming a
 * pending timer moves it within libevent's heap and never allocates.
 */
static void
proc_sweep_soon(int now)
{
	struct timeval	tv;
	uint64_t	t, wait = PROC_SWEEP_MS;

	if (now) {
		proc_sweep();
		return;
	}
	t = proc_now();
	if (!evtimer_pending(&proc_sweep_ev, NULL))
		proc_sweep_by = t + PROC_SWEEP_MAX_MS;
	if (proc_sweep_by < t + wait)
		wait = proc_sweep_by > t ? proc_sweep_by - t : 0;
	tv = proc_ms_tv(wait);
	if (evtimer_add(&proc_sweep_ev, &tv) != 0)
		proc_sweep();
}

/*
 * SIGCHLD.  While some child of ours is not watched, only a sweep finds
 * it.  Otherwise our children come through proc_exits_cb and the exit
 * was an orphan's, or one of ours told there too: with few children,
 * sweep for orphans at once; with many, once SIGCHLDs pause (at most
 * PROC_SWEEP_MAX_MS later), so that a respawn or a stop does not cost a
 * look at every child each.
 */
void
proc_reap(void)
{
	proc_sweep_soon(proc_unwatched > 0 ||
	    proc_children <= PROC_SWEEP_AT_ONCE);
	proc_settle();
}

/* Whether a pid is one of the last PROC_RECENT children we reaped. */
static int
proc_reaped_lately(pid_t pid)
{
	size_t	i;

	for (i = 0; i < PROC_RECENT; i++) {
		if (proc_recent[i] == pid)
			return (1);
	}
	return (0);
}

/*
 * SIGCHLDs read with the pids they name (osdep_sigchld_read).  A watched
 * child of ours comes through proc_exits_cb (which may have reaped it
 * already); any other pid named is reaped by its pid at once: an orphan,
 * or a child of ours without a watch.  SIGCHLDs that came while one was
 * pending were one, so what they named is unknown: a sweep finds it once
 * SIGCHLDs pause, at most PROC_SWEEP_MAX_MS later (at once while some
 * child of ours has no watch).
 */
void
proc_reap_named(const pid_t *pids, int n)
{
	struct proc_child	*c;
	pid_t			 pid;
	int			 i, status;

	for (i = 0; i < n; i++) {
		if (pids[i] <= 0)
			continue;
		c = proc_pid_find(pids[i]);
		if ((c != NULL && c->exit_watch >= 0) ||
		    (c == NULL && proc_reaped_lately(pids[i])))
			continue;
		do
			pid = waitpid(pids[i], &status, WNOHANG);
		while (pid < 0 && errno == EINTR);
		if (pid != pids[i])
			continue;	/* reaped already, or still running */
		if (c != NULL)
			proc_child_reaped(c, pid, status);
		else
			log_debug("reaped orphan %ld", (long)pid);
	}
	proc_sweep_soon(proc_unwatched > 0);
	proc_settle();
}

/* The orphans' sweep is due. */
static void
proc_sweep_cb(evutil_socket_t fd, short what, void *arg)
{
	proc_sweep();
	proc_settle();
}

/*
 * Watched children have exited: reap each by its pid, which costs the
 * same however many children run.  The queue tells them a batch at a
 * time; what is done for one may end the watch of another in the batch
 * (its record is then no longer marked told), so each is looked at again
 * before it is reaped.
 */
static void
proc_exits_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proc_child	*c;
	void			*told[PROC_EXITS_BATCH];
	pid_t			 pid;
	int			 status, i, n;

	while ((n = osdep_exits_next(proc_exits, told,
	    PROC_EXITS_BATCH)) > 0) {
		for (i = 0; i < n; i++)
			((struct proc_child *)told[i])->exit_told = 1;
		for (i = 0; i < n; i++) {
			c = told[i];
			if (!c->exit_told)
				continue;
			do
				pid = waitpid(c->pid, &status, WNOHANG);
			while (pid < 0 && errno == EINTR);
			if (pid == c->pid && pid > 0)
				proc_child_reaped(c, pid, status);
			else {
				/*
				 * Told, but not ours to reap, or not yet
				 * (FreeBSD tells just before the zombie is
				 * there): SIGCHLD's sweep finds it.
				 */
				log_debug("pid %ld: exit told but not reaped",
				    (long)c->pid);
				proc_exit_unwatch(c);
				c->exit_watch = PROC_WATCH_NONE;
				proc_unwatched++;
			}
		}
	}
	if (n < 0)
		log_warn("cannot read child exits");
	proc_settle();
}

/* Stop watching a daemon that is not our child. */
static void
proc_watch_close(struct proc_service *ps)
{
	if (ps->io == NULL || ps->io->watch_fd == -1)
		return;
	event_del(&ps->io->watch_ev);
	(void)close(ps->io->watch_fd);
	ps->io->watch_fd = -1;
}

/*
 * A daemon we watch (not our child) has ended.  If it has become our
 * child meanwhile, waitpid has its status; otherwise the platform may
 * tell it.
 */
static void
proc_watch_cb(evutil_socket_t fd, short what, void *arg)
{
	struct proc_child	*c = arg;
	struct proc_service	*ps = proc_child_owner(c);
	pid_t			 pid = c->pid, r;
	int			 status;

	do
		r = waitpid(pid, &status, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return;		/* alive, and ours now: reaped later */
	if (r != pid && osdep_pid_watch_status(ps->io->watch_fd, &status) != 0)
		return;		/* nothing has ended after all */
	proc_watch_close(ps);
	if (pid != 0)
		proc_child_ended(c, pid, status);
	proc_settle();
}

/*
 * Watch the daemon of a bgprocess service when it is not our child yet
 * (an intermediate process lives on, or we are no reaper); our own
 * children come through proc_reap.
 */
static void
proc_watch(struct proc_child *c, pid_t pid)
{
	struct proc_service	*ps = proc_child_owner(c);
	pid_t			 parent;

	proc_watch_close(ps);
	if (osdep_proc_parent(pid, &parent) == 0 && parent == getpid()) {
		proc_exit_watch(c);
		return;
	}
	if (proc_io(ps) == NULL ||
	    (ps->io->watch_fd = osdep_pid_watch(pid)) < 0) {
		log_warn("service %s: cannot watch process %ld",
		    PROC_SERVICE(proc_child_owner(c))->name, (long)pid);
		return;
	}
	event_assign(&ps->io->watch_ev, proc_base, ps->io->watch_fd,
	    EV_READ | EV_PERSIST, proc_watch_cb, c);
	if (event_add(&ps->io->watch_ev, NULL) != 0) {
		log_warnx("service %s: cannot watch process %ld",
		    PROC_SERVICE(proc_child_owner(c))->name, (long)pid);
		(void)close(ps->io->watch_fd);
		ps->io->watch_fd = -1;
	}
}

/*
 * The start command of a bgprocess service has exited: on success, find
 * its daemon (bgproc.c) and supervise that instead.
 */
static void
proc_bg_launched(struct proc_child *c, pid_t launcher, int status)
{
	struct service		*s = PROC_SERVICE(proc_child_owner(c));
	struct proc_service	*ps = PROC_OF(s);
	char			 why[PATH_MAX + 160];
	pid_t			 daemon;

	ps->bg_launcher = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		service_child_exited(s, launcher, status);
		return;
	}
	notify_poll(PROC_IO(ps, notify, NULL));	/* MAINPID= came first */
	daemon = bgproc_daemon(s, launcher,
	    notify_pid(PROC_IO(ps, notify, NULL)), why,
	    sizeof(why));
	if (daemon == 0)
		log_warnx("service %s: no daemon to supervise: %s", s->name,
		    why);
	else {
		c->pid = daemon;
		proc_pid_insert(c);
		proc_watch(c, daemon);
		log_info("service %s: supervising process %ld", s->name,
		    (long)daemon);
	}
	service_child_daemon(s, launcher, daemon);
	proc_notify_deliver(s);
}

/* A child of a service has ended with this wait status: tell the engine. */
static void
proc_child_ended(struct proc_child *c, pid_t pid, int status)
{
	struct proc_service	*ps = proc_child_owner(c);

	proc_recent[proc_recent_next++ % PROC_RECENT] = pid;
	proc_pid_remove(c);
	proc_exit_unwatch(c);
	c->pid = 0;
	if (c->kind == LAUNCH_START) {
		if (PROC_SERVICE(proc_child_owner(c))->type == SERVICE_PROCESS)
			spawn_utmpx(PROC_SERVICE(proc_child_owner(c)), 0);
		proc_watch_close(ps);
		if (ps->bg_launcher) {
			proc_bg_launched(c, pid, status);
			return;
		}
	}
	service_child_exited(PROC_SERVICE(proc_child_owner(c)), pid, status);
}

/*
 * A path from a description: relative ones are taken from the service's
 * directory, as dinit does.  Returns path itself when absolute (or too
 * long to join).
 */
static const char *
proc_desc_path(char *buf, size_t len, const char *dir, const char *path)
{
	if (path[0] == '/' || dir == NULL ||
	    (size_t)snprintf(buf, len, "%s/%s", dir, path) >= len)
		return (path);
	return (buf);
}

/* Set a variable to a descriptor's number. */
static int
proc_env_fd(struct environ *env, const char *name, int fd)
{
	char	num[PROC_FD_DIGITS];

	(void)snprintf(num, sizeof(num), "%d", fd);
	return (environ_set(env, name, num));
}

/*
 * The activation socket's variables: LISTEN_FDS=1, and LISTEN_PID, which
 * the child completes with its own pid (plan->pid_env).
 */
static int
proc_env_listen(struct environ *env, struct spawn_plan *p)
{
	size_t	i;

	if (environ_set(env, "LISTEN_FDS", "1") != 0 ||
	    environ_set(env, "LISTEN_PID", "") != 0)
		return (-1);
	if (env->count > SPAWN_MAX_PID_ENV) {
		errno = E2BIG;
		return (-1);
	}
	for (i = 0; i < env->count; i++) {
		if (strcmp(env->vars[i], "LISTEN_PID=") == 0)
			p->pid_env = (int)i;
	}
	p->nenv = env->count;
	return (0);
}

/* What the parent holds while it prepares a launch. */
struct proc_launching {
	struct spawn_plan	 plan;
	char			 dir[PATH_MAX];
	char			 logfile[PATH_MAX];
	const char		*log_path;	/* log-type = file, or NULL */
	char			**envp;
	int			 ready[2];	/* readiness pipe, or -1 */
	int			 out_fd;	/* the log file, or -1 */
	int			 want_ready;
	int			 listen;	/* socket-listen is passed */
	const char		*notify;	/* NOTIFY_SOCKET, or NULL */
	int			 cs[2];		/* pass-cs-fd: ours, its */
};

/*
 * Build the child's environment: dinit's own, then the service's, then
 * the variables of the readiness pipe, the notification socket, the
 * control descriptor and the activation socket.  The array and its
 * strings are freed by proc_env_free.
 */
static char **
proc_env(const struct service *s, struct proc_launching *l)
{
	const char	*ready_var = l->want_ready ? s->desc->rare->ready_var : NULL;
	struct environ	 env;
	int		 saved_errno;

	environ_init(&env);
	if (environ_inherit(&env, s->set->env, s->desc->env) != 0)
		goto fail;
	if (ready_var != NULL &&
	    proc_env_fd(&env, ready_var, l->ready[1]) != 0)
		goto fail;
	if (l->notify != NULL &&
	    environ_set(&env, "NOTIFY_SOCKET", l->notify) != 0)
		goto fail;
	if (l->cs[1] != -1 && proc_env_fd(&env, "DINIT_CS_FD", l->cs[1]) != 0)
		goto fail;
	if (env.vars == NULL && environ_put(&env, "PATH=/usr/bin:/bin") != 0)
		goto fail;
	if (spawn_env_term(&l->plan, &env) != 0)
		goto fail;
	/* Last, so no later change moves LISTEN_PID in the array. */
	if (l->listen && proc_env_listen(&env, &l->plan) != 0)
		goto fail;
	return (env.vars);
fail:
	saved_errno = errno;
	environ_clear(&env);
	errno = saved_errno;
	return (NULL);
}

/*
 * Whether a child's environment is dinit's own, unchanged: the service
 * sets no variable, is not on the console (which may add TERM), and no
 * readiness, notification, control socket or activation variable is
 * wanted.
 */
static int
proc_env_as_is(const struct service *s, const struct proc_launching *l)
{
	return (s->desc->env->count == 0 && !s->desc->env->cleared &&
	    s->desc->env->unset == NULL && !l->want_ready &&
	    l->notify == NULL && l->cs[1] == -1 && !l->listen &&
	    l->plan.stdio == SPAWN_STDIO_NULL &&
	    s->set->env != NULL && s->set->env->count > 0);
}

/* Free a child's environment array. */
static void
proc_env_free(char **vars)
{
	char	**v;

	if (vars == NULL)
		return;
	for (v = vars; *v != NULL; v++)
		free(*v);
	free(vars);
}

/*
 * Fill the plan from the description: what to run, where, on which
 * standard descriptors, with which limits.  -1 (EINVAL) when there is no
 * command of that kind.
 */
static int
proc_plan_desc(struct service *s, enum launch_kind kind,
    struct proc_launching *l)
{
	const struct service_desc	*desc = s->desc;
	struct spawn_plan		*p = &l->plan;
	const char			*dir;
	int				 on_console, own_console;

	spawn_plan_init(p);
	p->own_fds = proc_exits != -1 ? proc_watch_low : 0;
	p->argv = kind == LAUNCH_START ? desc->command : desc->stop_command;
	if (p->argv == NULL || p->argv[0] == NULL) {
		errno = EINVAL;
		return (-1);
	}
	dir = parse_desc_dir(desc);
	p->dir = proc_desc_path(l->dir, sizeof(l->dir), dir,
	    desc->working_dir != NULL ? desc->working_dir : dir);
	l->log_path = NULL;
	if (desc->log_type == LOGTYPE_FILE && desc->logfile != NULL)
		l->log_path = proc_desc_path(l->logfile, sizeof(l->logfile),
		    dir, desc->logfile);
	on_console = (desc->options & (OPT_RUNS_ON_CONSOLE |
	    OPT_SHARES_CONSOLE | OPT_STARTS_ON_CONSOLE)) != 0;
	own_console = (desc->options & (OPT_RUNS_ON_CONSOLE |
	    OPT_STARTS_ON_CONSOLE)) != 0 && (kind == LAUNCH_START ||
	    (desc->options & OPT_RUNS_ON_CONSOLE) != 0);
	if (own_console)
		spawn_plan_terminal(p);
	else if (on_console)
		p->stdio = SPAWN_STDIO_INHERIT;
	p->new_session = !on_console || own_console;
	if (on_console && (desc->options & OPT_UNMASK_INTR) == 0)
		(void)sigaddset(&p->mask, SIGINT);	/* ^C is not for it */
	p->limits[SPAWN_LIMIT_NOFILE] = desc->rare->rlimit_nofile;
	p->limits[SPAWN_LIMIT_CORE] = desc->rare->rlimit_core;
	p->limits[SPAWN_LIMIT_DATA] = desc->rare->rlimit_data;
	p->limits[SPAWN_LIMIT_AS] = desc->rare->rlimit_addrspace;
	p->has_nice = desc->rare->has_nice;
	p->nice = desc->rare->nice;
	l->want_ready = kind == LAUNCH_START && s->type == SERVICE_PROCESS &&
	    (desc->rare->ready_fd >= 0 || desc->rare->ready_var != NULL);
	return (0);
}

/* A user or group id given as a number; 0 when it is not one. */
static int
proc_id_number(const char *s, unsigned long *id)
{
	char	*end;

	errno = 0;
	*id = strtoul(s, &end, 10);
	return (*s >= '0' && *s <= '9' && *end == '\0' && errno == 0);
}

/*
 * The owner of a service's log file, as dinit does: logfile-uid (a name
 * also gives its primary group) and logfile-gid, by default dinit's own
 * ids.  -1 with errno (ENOENT for an unknown name), logged.
 */
static int
proc_log_owner(const struct service *s, uid_t *uid, gid_t *gid)
{
	const struct service_desc	*desc = s->desc;
	struct passwd			*pw;
	struct group			*gr;
	unsigned long			 id;

	*uid = getuid();
	*gid = getgid();
	if (desc->rare->logfile_uid != NULL) {
		if (proc_id_number(desc->rare->logfile_uid, &id))
			*uid = (uid_t)id;
		else if ((pw = getpwnam(desc->rare->logfile_uid)) != NULL) {
			*uid = pw->pw_uid;
			*gid = pw->pw_gid;
		} else {
			log_warnx("service %s: logfile-uid: no user '%s'",
			    s->name, desc->rare->logfile_uid);
			errno = ENOENT;
			return (-1);
		}
	}
	if (desc->rare->logfile_gid != NULL) {
		if (proc_id_number(desc->rare->logfile_gid, &id))
			*gid = (gid_t)id;
		else if ((gr = getgrnam(desc->rare->logfile_gid)) != NULL)
			*gid = gr->gr_gid;
		else {
			log_warnx("service %s: logfile-gid: no group '%s'",
			    s->name, desc->rare->logfile_gid);
			errno = ENOENT;
			return (-1);
		}
	}
	return (0);
}

/*
 * Open a service's log file for a launch: appended to, created if need
 * be, and given logfile-permissions and its owner at every start, as
 * dinit does (a device is left as it is).  Opened here in the parent and
 * without blocking: in the child, a FIFO nobody reads would hold it in
 * open(2), and dinit with it until vfork returns; here it fails the start
 * at once (ENXIO).  The child gets it blocking, as a program expects its
 * output to be; dinit never writes to it, so a full disk or a slow
 * reader holds up only the service.  -1 with errno, logged.
 */
static int
proc_log_open(const struct service *s, const char *path)
{
	const struct service_desc	*desc = s->desc;
	struct stat			 sb;
	uid_t				 uid;
	gid_t				 gid;
	int				 fd, flags, error;

	if (proc_log_owner(s, &uid, &gid) == -1)
		return (-1);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK |
	    O_NOCTTY | O_CLOEXEC, desc->rare->logfile_permissions);
	if (fd == -1) {
		log_warn("service %s: cannot open log file %s", s->name,
		    path);
		return (-1);
	}
	if (fstat(fd, &sb) == -1 ||
	    (!S_ISCHR(sb.st_mode) && !S_ISBLK(sb.st_mode) &&
	    (fchown(fd, uid, gid) == -1 ||
	    fchmod(fd, desc->rare->logfile_permissions) == -1)) ||
	    (flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1) {
		error = errno;
		log_warn("service %s: cannot set up log file %s", s->name,
		    path);
		(void)close(fd);
		errno = error;
		return (-1);
	}
	return (fd);
}

/*
 * Move a descriptor the child gets at its own number (its number is in a
 * variable) to floor or above, clear of the standard descriptors and of
 * those passed at fixed numbers.  Returns the descriptor, or -1 (the
 * original closed).
 */
static int
proc_fd_above(int fd, int floor)
{
	int	moved, saved_errno;

	if (fd >= floor)
		return (fd);
	moved = fcntl(fd, F_DUPFD_CLOEXEC, floor);
	saved_errno = errno;
	(void)close(fd);
	errno = saved_errno;
	return (moved);
}

/*
 * A service has stopped.  When it is to stay down, close what it kept
 * open across restarts: its activation and notification sockets.
 */
void
proc_stopped(struct service *s)
{
	struct proc_service	*ps = PROC_OF(s);
	const char		*cgroup;

	if (s->state != SERVICE_STOPPED || ps->io == NULL)
		return;
	cgroup = ps->io->cgroup;
	/*
	 * What is left in the cgroup of a stopped service has outlived its
	 * main process and stop command (a daemon that ignored SIGTERM, or
	 * left the process group): end it, so the next start is alone.
	 */
	if (cgroup != NULL && proc_tree(s) == PROC_TREE_CGROUP &&
	    (s->desc->options & OPT_SIGNAL_PROCESS_ONLY) == 0 &&
	    osdep_cgroup_kill(cgroup, SIGKILL) != 0 && errno != ENOENT)
		log_warn("service %s: cannot kill what is left in cgroup %s",
		    s->name, cgroup);
	if (service_target(s) != SERVICE_STOPPED)
		return;
	sockact_close(s, &ps->io->listen_fd);
	notify_close(ps->io->notify);
}

/*
 * The control descriptor of pass-cs-fd: a connected pair, our end served
 * as a control client once the child exists, the other passed to it.
 */
static int
proc_plan_control(struct proc_launching *l, int floor)
{
	int	fds[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0)
		return (-1);
	(void)fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	(void)fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	l->cs[0] = fds[0];
	if ((l->cs[1] = proc_fd_above(fds[1], floor)) < 0)
		return (-1);
	return (spawn_plan_pass(&l->plan, l->cs[1], -1));
}

/*
 * What a service's start command gets besides its command line: the
 * activation socket, the notification socket, the control descriptor.
 * -1 with errno and *stage when one cannot be made.
 */
static int
proc_plan_channels(struct service *s, struct proc_launching *l,
    enum exec_stage *stage)
{
	const struct service_desc	*desc = s->desc;
	struct proc_io			*io;
	uid_t				 uid;

	if ((l->listen = desc->rare->socket_listen != NULL)) {
		*stage = STAGE_ACTIVATION_SOCKET;
		if ((io = proc_io(PROC_OF(s))) == NULL ||
		    sockact_open(s, &io->listen_fd) != 0)
			return (-1);
		(void)spawn_plan_pass(&l->plan, io->listen_fd, SOCKACT_FD);
	}
	if (desc->ready_notify) {
		*stage = STAGE_FDS;
		uid = l->plan.set_ids ? l->plan.uid : (uid_t)-1;
		if ((io = proc_io(PROC_OF(s))) == NULL)
			return (-1);
		if (io->notify == NULL && (io->notify = notify_new()) == NULL)
			return (-1);
		if (notify_open(io->notify, s, uid, proc_notify_cb) != 0)
			return (-1);
		l->notify = notify_path(io->notify);
	}
	if ((desc->options & OPT_PASS_CS_FD) != 0) {
		*stage = STAGE_CONTROL_SOCKET;
		if (proc_plan_control(l, l->listen ? SOCKACT_FD + 1 : 3) != 0)
			return (-1);
	}
	return (0);
}

/*
 * Make what the parent must open for a launch: the ids of run-as, the
 * readiness pipe, the output pipes dinit holds (output.c) or the log
 * file, the environment.  -1 with errno and *stage when one cannot be
 * made (proc_abandon frees what was).
 */
static int
proc_plan_open(struct service *s, enum launch_kind kind,
    struct proc_launching *l, enum exec_stage *stage)
{
	const struct service_desc	*desc = s->desc;
	struct spawn_plan		*p = &l->plan;
	int				 floor;

	if (desc->run_as != NULL && spawn_plan_ids(p, desc->run_as) != 0) {
		*stage = STAGE_SETUID;
		return (-1);
	}
	if (spawn_plan_privs(p, desc) != 0) {
		*stage = STAGE_CAPABILITIES;
		return (-1);
	}
	if (desc->rare->run_in_cgroup != NULL && proc_plan_cgroup(s, p) != 0) {
		*stage = STAGE_CGROUP;
		return (-1);
	}
	p->reaper = kind == LAUNCH_START && proc_tree(s) == PROC_TREE_REAPER;
	if (kind == LAUNCH_START && proc_plan_channels(s, l, stage) != 0)
		return (-1);
	*stage = STAGE_FORK;
	if ((l->want_ready || kind == LAUNCH_STOP) &&
	    proc_io(PROC_OF(s)) == NULL)
		return (-1);
	floor = l->listen ? SOCKACT_FD + 1 : 3;
	if (l->want_ready) {
		if (spawn_pipe(l->ready) != 0)
			return (-1);
		if (desc->rare->ready_fd < 0 &&
		    (l->ready[1] = proc_fd_above(l->ready[1], floor)) < 0)
			return (-1);
		(void)spawn_plan_pass(p, l->ready[1], desc->rare->ready_fd);
	}
	if (output_plan(s, kind, p) != 0) {
		*stage = STAGE_STDIO;
		return (-1);
	}
	if (l->log_path != NULL && p->stdio == SPAWN_STDIO_NULL) {
		if ((l->out_fd = proc_log_open(s, l->log_path)) == -1) {
			*stage = STAGE_LOGFILE;
			return (-1);
		}
		p->out_fd = l->out_fd;
	}
	*stage = STAGE_ENV_BUILD;
	if (proc_env_as_is(s, l)) {
		/*
		 * Nothing to add to dinit's own environment: the child gets
		 * it as it is (copying it cost half of what a launch costs
		 * the daemon).
		 */
		p->envp = s->set->env->vars;
	} else if ((l->envp = proc_env(s, l)) == NULL) {
		if (l->listen)
			*stage = STAGE_ACTIVATION_SOCKET;
		return (-1);
	} else
		p->envp = l->envp;
	*stage = STAGE_FORK;
	spawn_plan_path(p);
	return (0);
}

/* Close and free what the parent held for a launch. */
static void
proc_abandon(struct proc_launching *l, int launched)
{
	int	saved_errno = errno;

	proc_env_free(l->envp);
	if (l->cs[0] != -1 && !launched)
		(void)close(l->cs[0]);
	if (l->cs[1] != -1)
		(void)close(l->cs[1]);
	if (l->ready[0] != -1 && !launched)
		(void)close(l->ready[0]);
	if (l->ready[1] != -1)
		(void)close(l->ready[1]);
	if (l->out_fd != -1)
		(void)close(l->out_fd);
	errno = saved_errno;
}

/*
 * The child is made: enter it in the pid table, queue or watch its
 * launch report, and watch its readiness pipe.
 */
static void
proc_launched(struct service *s, struct proc_child *c, pid_t pid,
    const struct spawn_report *r, int ready_fd)
{
	struct proc_service	*ps = PROC_OF(s);

	c->pid = pid;
	c->launch = *r;
	c->report = 1;
	TAILQ_INSERT_TAIL(&proc_reports, c, report_entry);
	/* Reported from the loop, after the engine has the pid. */
	if (c->launch.status_fd == -1)
		event_active(&proc_report_ev, EV_TIMEOUT, 0);
#ifndef HAVE_WORKING_VFORK
	else {
		(void)event_assign(&c->status_ev, proc_base,
		    c->launch.status_fd, EV_READ | EV_PERSIST, proc_status_cb,
		    c);
		if (event_add(&c->status_ev, NULL) != 0) {
			log_warnx("service %s: cannot watch its launch status; "
			    "polling it", s->name);
			c->status_polled = 1;
		}
	}
#endif
	if (ready_fd != -1) {
		(void)fcntl(ready_fd, F_SETFL, O_NONBLOCK);
		proc_ready_close(ps);
		ps->io->ready_fd = ready_fd;
		(void)event_assign(&ps->io->ready_ev, proc_base, ready_fd,
		    EV_READ | EV_PERSIST, proc_ready_cb, c);
		if (event_add(&ps->io->ready_ev, NULL) != 0) {
			log_warnx("service %s: cannot watch its readiness "
			    "pipe; polling it", s->name);
			ps->io->ready_polled = 1;
		}
	}
	proc_pid_insert(c);
	proc_exit_watch(c);
	if (proc_reserve_wanted(ps)) {
		proc_reserve_update(ps);
		(void)proc_reserve_arm();
	}
}

/* proc_launch, with room for its plan at l-> */
static int
proc_launch_with(struct service *s, enum launch_kind kind,
    struct proc_launching *l, pid_t *pidp)
{
	struct proc_service	*ps = PROC_OF(s);
	struct spawn_report	 report;
	enum exec_stage		 stage = STAGE_FORK;
	pid_t			 pid;

	l->envp = NULL;
	l->ready[0] = l->ready[1] = -1;
	l->out_fd = -1;
	l->listen = 0;
	l->notify = NULL;
	l->cs[0] = l->cs[1] = -1;
	if (proc_plan_desc(s, kind, l) != 0)
		return (-1);
	if (proc_plan_open(s, kind, l, &stage) != 0 ||
	    (pid = spawn_child(&l->plan, &report)) < 0) {
		proc_abandon(l, 0);
		s->exec_stage = stage;
		return (-1);
	}
	proc_abandon(l, 1);
	if (kind == LAUNCH_START)
		ps->bg_launcher = s->type == SERVICE_BGPROCESS;
	if (kind == LAUNCH_START && s->type == SERVICE_PROCESS)
		spawn_utmpx(s, pid);
	proc_launched(s, proc_child_of(ps, kind), pid, &report, l->ready[0]);
	if (l->cs[0] != -1)
		control_adopt(l->cs[0], s->name);
	*pidp = pid;
	return (0);
}

/* A burst of launches is over: give back what it left free. */
static void
proc_trim_cb(evutil_socket_t fd, short what, void *arg)
{
	mem_trim();
	proc_trim_launches = 0;
}

/*
 * Count a launch: after a burst of them (a boot), the plans, environments
 * and reports they made and freed leave free memory among the records
 * that stay, given back once launching pauses.  Without the timer, it
 * stays.
 */
static void
proc_trim_count(void)
{
	struct timeval	tv = { 0, PROC_TRIM_QUIET_MS * 1000 };

	if (++proc_trim_launches >= PROC_TRIM_AFTER)
		(void)evtimer_add(&proc_trim_ev, &tv);
}

/*
 * proc_launch without the memory for its plan: the plan is on the stack
 * then, in a frame of its own, apart from the usual path.
 */
static int __attribute__((__noinline__))
proc_launch_on_stack(struct service *s, enum launch_kind kind, pid_t *pidp)
{
	struct proc_launching	l;

	return (proc_launch_with(s, kind, &l, pidp));
}

/*
 * Launch a service's start command (kind LAUNCH_START) or stop command.
 * Returns 0 with the pid, or -1 with errno when nothing could be started;
 * failures in the child are reported later, from the loop.  The plan and
 * its path buffers (some 17 KiB) are on the heap for the launch only: on
 * the stack, the deepest frames of the daemon, they and what the launch
 * calls below them kept as many pages resident for good.
 */
int
proc_launch(struct service *s, enum launch_kind kind, pid_t *pidp)
{
	struct proc_launching	*l;
	int			 r, saved_errno;

	if ((l = mem_alloc(sizeof(*l))) == NULL)
		return (proc_launch_on_stack(s, kind, pidp));
	r = proc_launch_with(s, kind, l, pidp);
	saved_errno = errno;
	free(l);
	proc_trim_count();
	errno = saved_errno;
	return (r);
}
