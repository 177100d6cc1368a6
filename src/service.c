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
 * The engine: service states and dependency propagation.
 *
 * Pure logic.  It makes no system calls of its own and knows nothing of
 * libevent; it acts through set->ops (launch, kill, timers, notify) and is
 * told what happened through the service_child_* and service_timer_expired
 * entry points.  Unit tests drive it through a fake ops table.
 *
 * The engine is level-triggered.  A service's target (STARTED or STOPPED)
 * is derived from its activation: an explicit start, dependents holding
 * it, pins and shutdown.  service_step() compares a service's state with
 * its target and with its neighbours' states and moves it one step; any
 * change of state puts the neighbours on the work queue, which
 * service_drain() empties.  Nothing recurses, so a chain of 5000 services
 * costs 5000 steps and no stack.
 *
 * Holding: a dependent holds each of its dependencies (all kinds but
 * ordering) from the moment its target becomes STARTED until it is
 * STOPPED again.  When a service fails or is forced down, every hold on it
 * is broken at once: soft dependents carry on, hard dependents are forced
 * down in turn, milestone dependents fail if they were still starting.
 */

#include "dinit.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define SERVICE_HASH_INITIAL	64
#define SERVICE_RETRY_MS	100	/* least wait before a launch retry */

static void	service_step(struct service *);

/* Prepare an empty service set acting through ops. */
void
service_set_init(struct service_set *set, const struct service_ops *ops)
{
	memset(set, 0, sizeof(*set));
	TAILQ_INIT(&set->services);
	STAILQ_INIT(&set->queue);
	STAILQ_INIT(&set->console_queue);
	set->ops = ops;
	if (ops->record_size != NULL)
		set->record = SERVICE_RECORD(ops->record_size());
	if (ops->now != NULL)	/* a loader's set may act on nothing */
		set->born = ops->now();
}

/*
 * The process layer's record of a service (ops' record_size bytes), just
 * before it in its block; the block itself when there is none.
 */
static void *
service_record(const struct service *s)
{
	return ((char *)(uintptr_t)s - s->set->record);
}

/* Free every service of a set, and the set's own tables. */
void
service_set_free(struct service_set *set)
{
	struct service	*s;
	size_t		 i;

	while ((s = TAILQ_FIRST(&set->services)) != NULL)
		service_free(s);
	free(set->hash);
	set->hash = NULL;
	set->hash_size = 0;
	for (i = 0; i < set->ndirs; i++)
		free(set->dirs[i]);
	free(set->dirs);
	set->dirs = NULL;
	set->ndirs = 0;
}

/* Find a loaded service (or placeholder) by name. */
struct service *
service_find(struct service_set *set, const char *name)
{
	struct service	*s;

	if (set->hash_size == 0)
		return (NULL);
	s = set->hash[text_hash(name) & (set->hash_size - 1)];
	for (; s != NULL; s = s->hash_next) {
		if (strcmp(s->name, name) == 0)
			return (s);
	}
	return (NULL);
}

/*
 * Grow the name index when it gets crowded.  A failed allocation keeps the
 * old table: lookups stay correct, only slower.
 */
static void
service_hash_grow(struct service_set *set)
{
	struct service	**table, *s, *next;
	size_t		  size, i, slot;

	size = set->hash_size == 0 ? SERVICE_HASH_INITIAL : set->hash_size * 2;
	if ((table = mem_array(NULL, size, sizeof(*table))) == NULL)
		return;
	memset(table, 0, size * sizeof(*table));
	for (i = 0; i < set->hash_size; i++) {
		for (s = set->hash[i]; s != NULL; s = next) {
			next = s->hash_next;
			slot = text_hash(s->name) & (size - 1);
			s->hash_next = table[slot];
			table[slot] = s;
		}
	}
	free(set->hash);
	set->hash = table;
	set->hash_size = size;
}

/*
 * Make a new service record (a placeholder until a description is
 * applied), with the process layer's resources attached.
 */
struct service *
service_new(struct service_set *set, const char *name)
{
	struct service	*s;
	char		*block;
	size_t		 slot, len, size;

	if (set->count >= set->hash_size)
		service_hash_grow(set);
	if (set->hash_size == 0) {
		errno = ENOMEM;
		return (NULL);
	}
	len = strlen(name);
	/* The process layer's record, if any, comes first, aligned. */
	size = set->record + offsetof(struct service, name) + len + 1;
	if (len >= SIZE_MAX / 4 || set->record >= SIZE_MAX / 4 ||
	    (block = mem_zalloc(size)) == NULL)
		return (NULL);
	s = (struct service *)(void *)(block + set->record);
	memcpy(s->name, name, len + 1);
	s->set = set;
	s->type = SERVICE_PLACEHOLDER;
	s->state = SERVICE_STOPPED;
	TAILQ_INIT(&s->depends);
	TAILQ_INIT(&s->dependents);
	if (set->ops->attach != NULL && set->ops->attach(s) != 0) {
		free(block);
		return (NULL);
	}
	slot = text_hash(name) & (set->hash_size - 1);
	s->hash_next = set->hash[slot];
	set->hash[slot] = s;
	TAILQ_INSERT_TAIL(&set->services, s, set_entry);
	set->count++;
	return (s);
}

/* Unlink a service from its set, drop its edges and free it. */
void
service_free(struct service *s)
{
	struct service_set	 *set = s->set;
	struct service		**pp;
	struct dependency	 *d;

	while ((d = TAILQ_FIRST(&s->depends)) != NULL)
		service_rm_dep(d);
	while ((d = TAILQ_FIRST(&s->dependents)) != NULL)
		service_rm_dep(d);
	pp = &set->hash[text_hash(s->name) & (set->hash_size - 1)];
	for (; *pp != NULL; pp = &(*pp)->hash_next) {
		if (*pp == s) {
			*pp = s->hash_next;
			break;
		}
	}
	TAILQ_REMOVE(&set->services, s, set_entry);
	if (s->queued)
		STAILQ_REMOVE(&set->queue, s, service, queue_entry);
	if (s->waiting_console)
		STAILQ_REMOVE(&set->console_queue, s, service, console_entry);
	if (set->console_owner == s)
		set->console_owner = NULL;
	if (s->state != SERVICE_STOPPED)
		set->active--;
	set->count--;
	if (set->ops->detach != NULL)
		set->ops->detach(s);
	parse_desc_free(s->desc);
	free(service_record(s));
}

/* Give a service its description (it stops being a placeholder). */
void
service_apply_desc(struct service *s, struct service_desc *desc)
{
	s->desc = desc;
	s->type = desc != NULL ? desc->type : SERVICE_PLACEHOLDER;
}

/* Put a service on the work queue, once. */
static void
service_enqueue(struct service *s)
{
	if (s->queued)
		return;
	s->queued = 1;
	STAILQ_INSERT_TAIL(&s->set->queue, s, queue_entry);
}

/* Whether an edge of this type makes the dependent hold the dependency. */
static int
dep_type_holds(enum dependency_type type)
{
	return (type != DEP_AFTER && type != DEP_BEFORE);
}

/* Whether an edge of this type ties the dependent's life to ours. */
static int
dep_is_hard(enum dependency_type type)
{
	return (type == DEP_REGULAR || type == DEP_PREPARED_BY);
}

/* Make a dependent hold a dependency through an edge. */
static void
dep_hold(struct dependency *d)
{
	if (d->holding || !dep_type_holds(d->type))
		return;
	d->holding = 1;
	d->to->holders++;
	service_enqueue(d->to);
}

/* Let go of a held dependency. */
static void
dep_unhold(struct dependency *d)
{
	if (!d->holding)
		return;
	d->holding = 0;
	d->to->holders--;
	service_enqueue(d->to);
}

/*
 * Add an edge: from needs (or is ordered after) to.  If from already holds
 * its dependencies, it holds the new one too when the edge is hard or to
 * is already up or on its way: as in dinit, adding a soft edge to a
 * stopped service does not start it (service_hold_dep does, for enable).
 */
struct dependency *
service_add_dep(struct service *from, struct service *to,
    enum dependency_type type)
{
	struct dependency	*d;
	int			 before = 0;

	if (type == DEP_BEFORE) {
		struct service *tmp = from;

		from = to;
		to = tmp;
		type = DEP_AFTER;
		before = 1;
	}
	if ((d = mem_zalloc(sizeof(*d))) == NULL)
		return (NULL);
	d->from = from;
	d->to = to;
	d->type = type;
	d->before = before;
	TAILQ_INSERT_TAIL(&from->depends, d, from_entry);
	TAILQ_INSERT_TAIL(&to->dependents, d, to_entry);
	if (dep_is_hard(type) && to->state != SERVICE_STARTED)
		from->hard_down++;
	from->ready_cursor = NULL;
	if (from->acquired && (dep_is_hard(type) ||
	    to->state == SERVICE_STARTED || to->state == SERVICE_STARTING))
		dep_hold(d);
	service_enqueue(from);
	return (d);
}

/*
 * Make a dependent that runs hold one of its dependencies, so that it
 * starts (what enable does after adding the edge).  Nothing happens when
 * the dependent does not run or a shutdown is under way.
 */
void
service_hold_dep(struct dependency *d)
{
	if (!d->from->acquired || d->from->set->shutting_down)
		return;
	dep_hold(d);
}

/* Remove an edge, releasing what it held. */
void
service_rm_dep(struct dependency *d)
{
	dep_unhold(d);
	if (dep_is_hard(d->type) && d->to->state != SERVICE_STARTED)
		d->from->hard_down--;
	d->from->ready_cursor = NULL;
	TAILQ_REMOVE(&d->from->depends, d, from_entry);
	TAILQ_REMOVE(&d->to->dependents, d, to_entry);
	service_enqueue(d->from);
	free(d);
}

/* The state a service should be in, from its activation. */
enum service_state
service_target(const struct service *s)
{
	if (s->type == SERVICE_PLACEHOLDER || s->set->shutting_down ||
	    s->pinned_stopped)
		return (SERVICE_STOPPED);
	if (s->pinned_started || s->explicit_start || s->holders > 0)
		return (SERVICE_STARTED);
	return (SERVICE_STOPPED);
}

/* Queue everything connected to a service by an edge. */
static void
service_touch_neighbours(struct service *s)
{
	struct dependency	*d;

	TAILQ_FOREACH(d, &s->depends, from_entry)
		service_enqueue(d->to);
	TAILQ_FOREACH(d, &s->dependents, to_entry)
		service_enqueue(d->from);
}

/* Move to a new state and wake the neighbours. */
static void
service_set_state(struct service *s, enum service_state state)
{
	struct dependency	*d;
	int			 up = state == SERVICE_STARTED;

	if (s->state == SERVICE_STOPPED && state != SERVICE_STOPPED)
		s->set->active++;
	else if (s->state != SERVICE_STOPPED && state == SERVICE_STOPPED)
		s->set->active--;
	if (up != (s->state == SERVICE_STARTED)) {
		/*
		 * Keep the dependents' counts of hard dependencies down, and
		 * make them look at all their dependencies again when one
		 * of them stops being up.
		 */
		TAILQ_FOREACH(d, &s->dependents, to_entry) {
			if (dep_is_hard(d->type)) {
				if (up)
					d->from->hard_down--;
				else
					d->from->hard_down++;
			}
			if (!up)
				d->from->ready_cursor = NULL;
		}
	}
	s->state = state;
	s->entered[state] = s->set->ops->now();
	service_touch_neighbours(s);
	service_enqueue(s);
}

/* Tell the observers. */
static void
service_notify(struct service *s, enum service_event event)
{
	if (s->set->ops->notify != NULL)
		s->set->ops->notify(s, event);
}

/*
 * Start the service's one timer for ms milliseconds.  -1 when it cannot
 * be armed: the caller must then act at once rather than wait for an
 * event that will never come.
 */
static int
service_timer_start(struct service *s, enum service_timer purpose,
    unsigned long ms)
{
	s->timer = purpose;
	if (s->set->ops->timer_set(s, ms) == 0)
		return (0);
	s->timer = TIMER_NONE;
	return (-1);
}

/* Stop the service's timer if it runs for purpose (any: TIMER_NONE). */
static void
service_timer_stop(struct service *s, enum service_timer purpose)
{
	if (s->timer == TIMER_NONE ||
	    (purpose != TIMER_NONE && s->timer != purpose))
		return;
	s->timer = TIMER_NONE;
	s->set->ops->timer_clear(s);
}

/* Send a signal to the service's main process (or its group). */
static void
service_signal(struct service *s, pid_t pid, int sig)
{
	int	group;

	if (pid <= 0)
		return;
	group = s->desc == NULL ||
	    (s->desc->options & OPT_SIGNAL_PROCESS_ONLY) == 0;
	if (s->set->ops->kill(s, pid, sig, group) != 0 && errno != ESRCH)
		log_warn("service %s: cannot send signal %d to %ld", s->name,
		    sig, (long)pid);
}

/*
 * Give the processes being stopped stop-timeout to end before SIGKILL.
 * If the timer cannot be armed, nothing would ever send that SIGKILL (a
 * process that ignores SIGTERM would stay STOPPING for good): send it
 * now.
 */
static void
service_stop_timer(struct service *s)
{
	if (s->desc->stop_timeout == 0 ||
	    service_timer_start(s, TIMER_STOP, s->desc->stop_timeout) == 0)
		return;
	log_warnx("service %s: cannot arm the stop timer; sending SIGKILL now",
	    s->name);
	service_signal(s, s->pid, SIGKILL);
	service_signal(s, s->stop_pid, SIGKILL);
}

/* Drop every hold of a service on its dependencies. */
static void
service_release_deps(struct service *s)
{
	struct dependency	*d;

	TAILQ_FOREACH(d, &s->depends, from_entry)
		dep_unhold(d);
	s->acquired = 0;
}

/* Hold every dependency of a service. */
static void
service_acquire_deps(struct service *s)
{
	struct dependency	*d;

	TAILQ_FOREACH(d, &s->depends, from_entry)
		dep_hold(d);
	s->acquired = 1;
}

/*
 * Take a service's activation away for good: its explicit start, its
 * start pin and every hold on it.  Soft dependents carry on without it;
 * hard dependents are forced down in turn (on the queue, not by
 * recursion); milestone dependents still starting fail.
 */
static void
service_deactivate(struct service *s, enum stop_reason reason)
{
	struct dependency	*d;
	struct service		*from;

	s->down_reason = reason;
	s->explicit_start = 0;
	s->pinned_started = 0;
	TAILQ_FOREACH(d, &s->dependents, to_entry) {
		dep_unhold(d);
		from = d->from;
		if (dep_is_hard(d->type) ||
		    (d->type == DEP_MILESTONE &&
		    from->state == SERVICE_STARTING)) {
			if (from->state != SERVICE_STOPPED ||
			    service_target(from) == SERVICE_STARTED) {
				/*
				 * A dependency stopped by request takes its
				 * dependents down normally; one that failed
				 * or ended takes them down as failed.
				 */
				from->force_pending = 1;
				from->force_failed |= reason != STOP_NORMAL;
			}
		}
		service_enqueue(from);
	}
	service_enqueue(s);
}

/* Begin stopping: STOPPING, then the stop action once dependents are down. */
static void
service_begin_stop(struct service *s, enum stop_reason reason)
{
	if (s->state == SERVICE_STOPPED || s->state == SERVICE_STOPPING)
		return;
	s->stop_reason = reason;
	s->stop_issued = 0;
	service_timer_stop(s, TIMER_START);
	if (s->timer == TIMER_RESTART)
		service_timer_stop(s, TIMER_RESTART);
	service_set_state(s, SERVICE_STOPPING);
}

/* A start has failed: record why, give up activation and wind down. */
static void
service_fail_start(struct service *s, enum stop_reason reason)
{
	s->failing = 1;
	service_deactivate(s, reason);
	if (s->state == SERVICE_STARTING)
		service_begin_stop(s, reason);
	else
		s->stop_reason = reason;
}

/* Whether a service needs the console to itself to start (or run). */
static int
service_wants_console(const struct service *s)
{
	return (s->desc != NULL && (s->desc->options &
	    (OPT_RUNS_ON_CONSOLE | OPT_STARTS_ON_CONSOLE)) != 0);
}

/*
 * Take the console, or queue for it behind its owner.  Returns 1 when the
 * service has it.
 */
static int
service_take_console(struct service *s)
{
	struct service_set	*set = s->set;

	if (set->console_owner != NULL && set->console_owner != s) {
		if (!s->waiting_console) {
			s->waiting_console = 1;
			STAILQ_INSERT_TAIL(&set->console_queue, s,
			    console_entry);
		}
		return (0);
	}
	if (s->waiting_console) {
		s->waiting_console = 0;
		STAILQ_REMOVE(&set->console_queue, s, service, console_entry);
	}
	if (set->console_owner != s) {
		set->console_owner = s;
		s->has_console = 1;
		if (set->ops->console != NULL)
			set->ops->console(s, 1);
	}
	return (1);
}

/* Give the console back (or stop queueing for it); the next in line goes. */
static void
service_give_console(struct service *s)
{
	struct service_set	*set = s->set;
	struct service		*next;

	if (s->waiting_console) {
		s->waiting_console = 0;
		STAILQ_REMOVE(&set->console_queue, s, service, console_entry);
	}
	if (set->console_owner != s)
		return;
	set->console_owner = NULL;
	s->has_console = 0;
	if (set->ops->console != NULL)
		set->ops->console(s, 0);
	if ((next = STAILQ_FIRST(&set->console_queue)) != NULL)
		service_enqueue(next);
}

/* The service has reached STOPPED. */
static void
service_stopped(struct service *s)
{
	int	was_started = s->was_started, failing = s->failing;

	service_timer_stop(s, TIMER_NONE);
	s->launched = 0;
	s->stop_issued = 0;
	s->ready_wait = 0;
	s->was_started = 0;
	s->failing = 0;
	service_give_console(s);
	service_set_state(s, SERVICE_STOPPED);
	if (failing)
		service_notify(s, SERVICE_EVENT_FAILED);
	else if (was_started)
		service_notify(s, SERVICE_EVENT_STOPPED);
	else
		service_notify(s, SERVICE_EVENT_START_CANCELLED);
	if (s->chain_pending) {
		s->chain_pending = 0;
		if (s->desc != NULL && s->desc->rare->chain_to != NULL &&
		    !s->set->shutting_down && s->set->ops->chain != NULL)
			s->set->ops->chain(s, s->desc->rare->chain_to);
	}
}

/* The service has reached STARTED. */
static void
service_started(struct service *s)
{
	service_timer_stop(s, TIMER_START);
	s->launched = 0;
	s->ready_wait = 0;
	s->restarting = 0;
	/*
	 * A start that could not be interrupted has completed after all:
	 * the service did start, so its coming stop is a stop, not a
	 * failure to start.
	 */
	s->failing = 0;
	s->was_started = 1;
	s->stop_reason = STOP_NORMAL;
	if (s->desc != NULL && (s->desc->options & OPT_RUNS_ON_CONSOLE) == 0)
		service_give_console(s);	/* starts-on-console */
	service_set_state(s, SERVICE_STARTED);
	service_notify(s, SERVICE_EVENT_STARTED);
}

/* Whether the stop action should wait for a dependent on this edge. */
static int
dep_blocks_stop(const struct dependency *d)
{
	const struct service	*from = d->from;

	if (from->state == SERVICE_STOPPED)
		return (0);
	if (from->state == SERVICE_STARTING && !from->launched)
		return (0);
	if (dep_is_hard(d->type))
		return (1);
	/* At shutdown everything stops in the reverse order of starting. */
	return (from->set->shutting_down);
}

/* Whether every dependent that must stop before us has stopped. */
static int
service_dependents_down(const struct service *s)
{
	const struct dependency	*d;

	TAILQ_FOREACH(d, &s->dependents, to_entry) {
		if (dep_blocks_stop(d))
			return (0);
	}
	return (1);
}

/* Whether every hard dependency is STARTED. */
static int
service_hard_deps_up(const struct service *s)
{
	return (s->hard_down == 0);
}

/*
 * Whether the dependencies let a starting service launch: 1 yes, 0 not
 * yet, -1 never (a needed dependency will not start).  The search goes on
 * from the first dependency that was not ready last time (the cursor is
 * reset whenever a dependency stops being up, or the edges change), so a
 * service waiting for N dependencies costs O(N) over its whole start, not
 * O(N) per dependency that starts.
 */
static int
service_deps_ready(struct service *s)
{
	struct dependency	*d;
	const struct service	*to;
	int			 ready = 1;

	d = s->ready_cursor != NULL ? s->ready_cursor :
	    TAILQ_FIRST(&s->depends);
	for (; d != NULL && ready; d = ready ? TAILQ_NEXT(d, from_entry) : d) {
		to = d->to;
		switch (d->type) {
		case DEP_REGULAR:
		case DEP_PREPARED_BY:
		case DEP_MILESTONE:
			if (to->state == SERVICE_STARTED)
				break;
			if (to->state == SERVICE_STOPPED &&
			    service_target(to) == SERVICE_STOPPED &&
			    !to->queued)
				return (-1);
			ready = 0;
			break;
		case DEP_WAITS_FOR:
			if (to->state == SERVICE_STARTED || !d->holding)
				break;
			if (to->state == SERVICE_STOPPED &&
			    service_target(to) == SERVICE_STOPPED &&
			    !to->queued)
				break;
			ready = 0;
			break;
		case DEP_AFTER:
		case DEP_BEFORE:
			if (service_target(to) == SERVICE_STARTED &&
			    to->state != SERVICE_STARTED)
				ready = 0;
			break;
		}
	}
	s->ready_cursor = ready ? NULL : d;
	return (ready);
}

/*
 * Count a restart against restart-limit-count in restart-limit-interval;
 * 0 when it is one too many.
 */
static int
service_count_restart(struct service *s)
{
	const struct service_desc	*desc = s->desc;
	uint64_t			 now;

	if (desc->restart_limit_count == 0)
		return (1);
	now = s->set->ops->now();
	if (s->restart_count == 0 ||
	    now - s->restart_window > desc->restart_limit_interval) {
		s->restart_window = now;
		s->restart_count = 0;
	}
	if (++s->restart_count > desc->restart_limit_count) {
		log_warnx("service %s: restarting too quickly; stopping",
		    s->name);
		s->restart_count = 0;
		return (0);
	}
	return (1);
}

/* Whether a launch failed for want of something that may come back. */
static int
service_errno_transient(int err)
{
	switch (err) {
	case EAGAIN:		/* fork: no more processes */
	case EMFILE:
	case ENFILE:
	case ENOBUFS:
	case ENOMEM:
		return (1);
	default:
		return (0);
	}
}

/*
 * An automatic restart could not be launched for want of processes,
 * descriptors or memory: rather than fail for good, try again after
 * restart-delay (at least SERVICE_RETRY_MS), each try counted against the
 * restart limits.  1 when a retry is due, 0 when the failure stands.
 */
static int
service_retry_launch(struct service *s)
{
	unsigned long	delay;

	if (!s->relaunch || !service_errno_transient(s->exec_errno) ||
	    s->desc->restart == RESTART_NO ||
	    service_target(s) != SERVICE_STARTED || !service_count_restart(s))
		return (0);
	delay = s->desc->restart_delay > SERVICE_RETRY_MS ?
	    s->desc->restart_delay : SERVICE_RETRY_MS;
	s->launched = 1;
	s->restarting = 1;
	s->manual_restart = 0;
	if (service_timer_start(s, TIMER_RESTART, delay) != 0) {
		log_warnx("service %s: cannot arm the restart timer; giving up",
		    s->name);
		s->restarting = 0;
		return (0);
	}
	log_notice("service %s: trying to launch again in %lu ms", s->name,
	    delay);
	return (1);
}

/*
 * The start did not complete in time (or its timer could not be armed):
 * fail it, interrupting the process with SIGINT as dinit does for every
 * type; stop-timeout applies next.
 */
static void
service_start_timed_out(struct service *s)
{
	s->failing = 1;
	service_deactivate(s, STOP_TIMEDOUT);
	service_begin_stop(s, STOP_TIMEDOUT);
	if (s->pid != 0) {
		service_signal(s, s->pid, SIGINT);
		s->stop_issued = 1;
		service_stop_timer(s);
	}
}

/* Launch the start command now. */
static void
service_launch(struct service *s)
{
	const struct service_ops	*ops = s->set->ops;
	pid_t				 pid;

	s->relaunch = s->restarting && !s->manual_restart;
	s->launched = 1;
	if (s->restarting)
		s->restarts++;
	s->restarting = 0;
	s->manual_restart = 0;
	s->exec_failed = 0;
	s->launched_at = ops->now();
	s->exec_stage = STAGE_FORK;
	if (ops->launch(s, LAUNCH_START, &pid) != 0) {
		s->exec_errno = errno;
		s->exec_failed = 1;
		log_warnx("service %s: cannot launch (%s): %s", s->name,
		    service_stage_name(s->exec_stage),
		    strerror(s->exec_errno));
		if (service_retry_launch(s))
			return;
		if (s->state == SERVICE_STARTED)
			service_deactivate(s, STOP_EXECFAILED);
		else
			service_fail_start(s, STOP_EXECFAILED);
		return;
	}
	s->pid = pid;
	s->bg_launching = s->type == SERVICE_BGPROCESS;
	if (s->state == SERVICE_STARTING && s->desc->start_timeout != 0 &&
	    service_timer_start(s, TIMER_START, s->desc->start_timeout) != 0) {
		log_warnx("service %s: cannot arm the start timer; failing "
		    "the start", s->name);
		service_start_timed_out(s);
	}
}

/*
 * Launch, or when this is an automatic restart come too soon after the
 * last launch, wait out the rest of restart-delay first.
 */
static void
service_launch_or_delay(struct service *s)
{
	uint64_t	now, since;

	s->launched = 1;
	if (s->restarting && !s->manual_restart &&
	    s->desc->restart_delay != 0) {
		now = s->set->ops->now();
		since = now - s->launched_at;
		if (since < s->desc->restart_delay) {
			if (service_timer_start(s, TIMER_RESTART,
			    (unsigned long)(s->desc->restart_delay - since)) == 0)
				return;
			log_warnx("service %s: cannot arm the restart timer; "
			    "relaunching now", s->name);
		}
	}
	service_launch(s);
}

/* All dependencies are up: begin the start action of this type. */
static void
service_start_action(struct service *s)
{
	switch (s->type) {
	case SERVICE_INTERNAL:
		service_started(s);
		break;
	case SERVICE_TRIGGERED:
		if (s->triggered)
			service_started(s);
		break;
	case SERVICE_PROCESS:
	case SERVICE_BGPROCESS:
	case SERVICE_SCRIPTED:
		if (service_wants_console(s) && !service_take_console(s))
			break;		/* queued behind the console's owner */
		service_launch_or_delay(s);
		break;
	case SERVICE_PLACEHOLDER:
		break;
	}
}

/*
 * The time kill-all-on-stop gives every process between SIGTERM and
 * SIGKILL, as in dinit.
 */
#define SERVICE_KILL_ALL_GRACE	1000

static void	service_stop_commands(struct service *);

/*
 * Everything that must stop before us has: do the stop action.  With
 * kill-all-on-stop, every other process first gets SIGTERM, and a second
 * later SIGKILL (from the timer), before the stop command runs: started
 * before, it would be killed too.
 */
static void
service_stop_action(struct service *s)
{
	s->stop_issued = 1;
	if (s->timer == TIMER_RESTART)
		service_timer_stop(s, TIMER_RESTART);
	if ((s->desc->options & OPT_KILL_ALL_ON_STOP) != 0 &&
	    s->set->ops->kill_all != NULL) {
		log_info("service %s: sending SIGTERM to every process",
		    s->name);
		s->set->ops->kill_all(s, SIGTERM);
		if (service_timer_start(s, TIMER_KILL_ALL,
		    SERVICE_KILL_ALL_GRACE) == 0)
			return;
		s->set->ops->kill_all(s, SIGKILL);
	}
	service_stop_commands(s);
}

/* The stop action proper: the stop command, or the signal. */
static void
service_stop_commands(struct service *s)
{
	const struct service_desc	*desc = s->desc;
	pid_t				 pid;

	switch (s->type) {
	case SERVICE_PROCESS:
	case SERVICE_BGPROCESS:
		if (s->pid == 0)
			break;
		if (s->bg_launching) {
			/* An interrupted start command, as for scripted. */
			service_signal(s, s->pid, SIGINT);
		} else if (desc->stop_command != NULL) {
			if (s->set->ops->launch(s, LAUNCH_STOP, &pid) == 0)
				s->stop_pid = pid;
			else {
				log_warn("service %s: cannot launch stop "
				    "command", s->name);
				service_signal(s, s->pid, SIGKILL);
			}
		} else if (desc->term_signal != 0)
			service_signal(s, s->pid, desc->term_signal);
		service_stop_timer(s);
		break;
	case SERVICE_SCRIPTED:
		if (s->pid != 0) {
			/* An interrupted start script. */
			service_signal(s, s->pid, SIGINT);
		} else if (desc->stop_command != NULL && s->was_started) {
			if (s->set->ops->launch(s, LAUNCH_STOP, &pid) == 0)
				s->stop_pid = pid;
			else
				log_warn("service %s: cannot launch stop "
				    "command", s->name);
		}
		if (s->pid != 0 || s->stop_pid != 0)
			service_stop_timer(s);
		break;
	default:
		break;
	}
	if (s->pid == 0 && s->stop_pid == 0)
		service_stopped(s);
}

/* A starting service is no longer wanted. */
static void
service_cancel_start(struct service *s)
{
	if (!s->launched || (s->pid == 0 && s->timer == TIMER_RESTART) ||
	    (s->type == SERVICE_TRIGGERED)) {
		service_timer_stop(s, TIMER_NONE);
		s->stop_reason = s->down_reason;
		service_stopped(s);
		return;
	}
	if ((s->type == SERVICE_SCRIPTED || s->bg_launching) &&
	    (s->desc->options & OPT_START_INTERRUPTIBLE) == 0)
		return;		/* let the start command finish first */
	service_begin_stop(s, s->down_reason);
}

/* Compare a service with its target and neighbours, and move it on. */
static void
service_step(struct service *s)
{
	enum service_state	target;
	int			ready;

	if (s->force_pending) {
		enum stop_reason why = s->force_failed ? STOP_DEPFAILED :
		    STOP_NORMAL;

		s->force_pending = 0;
		s->force_failed = 0;
		if (s->state == SERVICE_STARTING && why == STOP_DEPFAILED)
			s->failing = 1;
		service_deactivate(s, why);
	}
	target = service_target(s);
	if (target == SERVICE_STARTED && !s->acquired)
		service_acquire_deps(s);

	switch (s->state) {
	case SERVICE_STOPPED:
		if (target == SERVICE_STARTED) {
			s->down_reason = STOP_NORMAL;
			s->failing = 0;
			s->skipped = 0;
			s->ready_cursor = NULL;
			s->has_exit_status = 0;
			s->exec_failed = 0;
			s->launched = 0;
			service_set_state(s, SERVICE_STARTING);
		} else {
			s->restarting = 0;
			if (s->acquired)
				service_release_deps(s);
		}
		break;
	case SERVICE_STARTING:
		if (target == SERVICE_STOPPED) {
			service_cancel_start(s);
			break;
		}
		if (s->launched) {
			if (!service_hard_deps_up(s) && s->type != SERVICE_SCRIPTED)
				service_begin_stop(s, STOP_DEPRESTART);
			break;
		}
		ready = service_deps_ready(s);
		if (ready < 0)
			service_fail_start(s, STOP_DEPFAILED);
		else if (ready > 0)
			service_start_action(s);
		break;
	case SERVICE_STARTED:
		if (target == SERVICE_STOPPED)
			service_begin_stop(s, s->down_reason);
		else if (!service_hard_deps_up(s))
			service_begin_stop(s, STOP_DEPRESTART);
		break;
	case SERVICE_STOPPING:
		if (s->stop_issued) {
			if (s->pid == 0 && s->stop_pid == 0 &&
			    s->timer != TIMER_KILL_ALL)
				service_stopped(s);
			break;
		}
		if (target == SERVICE_STARTED && !s->restarting &&
		    s->was_started && service_hard_deps_up(s) &&
		    (s->pid != 0 || (s->type != SERVICE_PROCESS &&
		    s->type != SERVICE_BGPROCESS))) {
			/* Wanted again before anything was stopped. */
			service_set_state(s, SERVICE_STARTED);
			service_notify(s, SERVICE_EVENT_STOP_CANCELLED);
			break;
		}
		if (service_dependents_down(s))
			service_stop_action(s);
		break;
	}
}

/* Empty the work queue. */
void
service_drain(struct service_set *set)
{
	struct service	*s;

	if (set->draining)
		return;
	set->draining = 1;
	while ((s = STAILQ_FIRST(&set->queue)) != NULL) {
		STAILQ_REMOVE_HEAD(&set->queue, queue_entry);
		s->queued = 0;
		service_step(s);
	}
	set->draining = 0;
}

/*
 * Activate a service explicitly (pin: keep it started until unpinned).
 * Returns 0, or -1 with errno: ESHUTDOWN during shutdown, EPERM when pinned
 * stopped, ENOENT for a placeholder.
 */
int
service_start(struct service *s, int pin)
{
	if (s->set->shutting_down) {
		errno = ESHUTDOWN;
		return (-1);
	}
	if (s->type == SERVICE_PLACEHOLDER) {
		errno = ENOENT;
		return (-1);
	}
	if (s->pinned_stopped) {
		errno = EPERM;
		return (-1);
	}
	s->explicit_start = 1;
	if (pin)
		s->pinned_started = 1;
	service_enqueue(s);
	service_drain(s->set);
	return (0);
}

/* Whether a hard dependent still needs this service. */
static int
service_has_hard_dependents(const struct service *s)
{
	const struct dependency	*d;

	TAILQ_FOREACH(d, &s->dependents, to_entry) {
		if (dep_is_hard(d->type) && (d->holding ||
		    d->from->state != SERVICE_STOPPED))
			return (1);
	}
	return (0);
}

/*
 * Stop a service and keep it stopped: its activation and every hold on it
 * go.  Without force, refuses (EBUSY) while hard dependents need it; with
 * force, they are stopped first.  Returns 0 or -1 with errno (EPERM when
 * pinned started).
 */
int
service_stop(struct service *s, int force)
{
	if (s->pinned_started) {
		errno = EPERM;
		return (-1);
	}
	if (!force && service_has_hard_dependents(s)) {
		errno = EBUSY;
		return (-1);
	}
	service_deactivate(s, STOP_NORMAL);
	service_drain(s->set);
	return (0);
}

/*
 * Start a service for its dependents only: restore the holds of every
 * dependent that wants to run.  -1 (ENOENT) if none does.
 */
int
service_wake(struct service *s)
{
	struct dependency	*d;
	int			 woken = 0;

	if (s->set->shutting_down) {
		errno = ESHUTDOWN;
		return (-1);
	}
	TAILQ_FOREACH(d, &s->dependents, to_entry) {
		if (dep_type_holds(d->type) &&
		    service_target(d->from) == SERVICE_STARTED) {
			dep_hold(d);
			woken = 1;
		}
	}
	if (!woken) {
		errno = ENOENT;
		return (-1);
	}
	service_drain(s->set);
	return (0);
}

/* Drop the explicit activation; the service stops if nothing needs it. */
void
service_release(struct service *s)
{
	s->explicit_start = 0;
	service_enqueue(s);
	service_drain(s->set);
}

/* Remove both pins. */
void
service_unpin(struct service *s)
{
	s->pinned_started = 0;
	s->pinned_stopped = 0;
	service_enqueue(s);
	service_drain(s->set);
}

/* Set or clear the trigger of a triggered service. */
int
service_trigger(struct service *s, int on)
{
	if (s->type != SERVICE_TRIGGERED) {
		errno = EINVAL;
		return (-1);
	}
	s->triggered = on != 0;
	service_enqueue(s);
	service_drain(s->set);
	return (0);
}

/*
 * A shutdown was ordered: from now on starts and wakes are refused, a
 * service that stops is not restarted and chains to nothing, and stops
 * go in the reverse order of starts.  Nothing is stopped here: that is
 * service_stop_all's work.
 */
void
service_order_shutdown(struct service_set *set)
{
	set->shutting_down = 1;
}

/*
 * The shutdown was withdrawn (everything stopped for "remain", for
 * single-user mode, or for a restart of the boot): accept starts again.
 */
void
service_cancel_shutdown(struct service_set *set)
{
	set->shutting_down = 0;
}

/* Stop everything, dependents first, and refuse new starts. */
void
service_stop_all(struct service_set *set)
{
	struct service	*s;

	service_order_shutdown(set);
	TAILQ_FOREACH(s, &set->services, set_entry) {
		s->pinned_started = 0;
		s->explicit_start = 0;
		service_enqueue(s);
	}
	service_drain(set);
}

/* The child's exec succeeded: a process service may now be started. */
void
service_child_started(struct service *s, pid_t pid)
{
	if (pid != s->pid || s->type != SERVICE_PROCESS ||
	    s->state != SERVICE_STARTING)
		return;
	if (s->desc->rare->ready_fd >= 0 ||
	    s->desc->rare->ready_var != NULL || s->desc->ready_notify)
		s->ready_wait = 1;
	else
		service_started(s);
	service_drain(s->set);
}

/* The process signalled readiness (ok) or closed its pipe first (!ok). */
void
service_child_ready(struct service *s, pid_t pid, int ok)
{
	if (pid != s->pid || s->state != SERVICE_STARTING || !s->ready_wait)
		return;
	if (ok)
		service_started(s);
	else {
		log_warnx("service %s: closed its readiness pipe before "
		    "signalling readiness", s->name);
		service_fail_start(s, STOP_FAILED);
	}
	service_drain(s->set);
}

/* The child could not be set up or exec'd; its exit follows. */
void
service_child_exec_failed(struct service *s, pid_t pid,
    enum exec_stage stage, int err)
{
	if (pid == s->stop_pid) {
		log_warnx("service %s: stop command failed (%s): %s", s->name,
		    service_stage_name(stage), strerror(err));
		return;
	}
	if (pid != s->pid)
		return;
	s->exec_stage = stage;
	s->exec_errno = err;
	s->exec_failed = 1;
	log_warnx("service %s: execution failed (%s): %s", s->name,
	    service_stage_name(stage), strerror(err));
}

/* Whether an exit counts as a failure for restart = on-failure. */
static int
service_exit_is_failure(int status)
{
	if (WIFEXITED(status))
		return (WEXITSTATUS(status) != 0);
	if (WIFSIGNALED(status)) {
		switch (WTERMSIG(status)) {
		case SIGHUP:
		case SIGINT:
		case SIGUSR1:
		case SIGUSR2:
		case SIGTERM:
			return (0);
		}
	}
	return (1);
}

/*
 * Whether a service whose process ended on its own may restart, counting
 * the restart against restart-limit-count in restart-limit-interval.
 */
static int
service_may_restart(struct service *s, int status)
{
	const struct service_desc	*desc = s->desc;

	if (service_target(s) != SERVICE_STARTED)
		return (0);
	if (desc->restart == RESTART_NO)
		return (0);
	if (desc->restart == RESTART_ON_FAILURE &&
	    !service_exit_is_failure(status))
		return (0);
	return (service_count_restart(s));
}

/*
 * A service restarting runs its prepared-by dependencies again: each one
 * stops once we are down (we are its hard dependent) and starts again
 * before we do.  Smooth recovery does not count as a restart.
 */
static void
service_restart_preparers(struct service *s)
{
	struct dependency	*d;

	TAILQ_FOREACH(d, &s->depends, from_entry) {
		if (d->type != DEP_PREPARED_BY ||
		    d->to->state != SERVICE_STARTED)
			continue;
		d->to->restarting = 1;
		service_begin_stop(d->to, STOP_DEPRESTART);
	}
}

/* A started process service's process ended without being asked to. */
static void
service_process_died(struct service *s, int status)
{
	if (WIFEXITED(status))
		log_info("service %s: process exited with status %d", s->name,
		    WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_info("service %s: process killed by signal %d", s->name,
		    WTERMSIG(status));
	if (service_may_restart(s, status)) {
		s->restarting = 1;
		if (s->desc->smooth_recovery) {
			log_info("service %s: restarting the process", s->name);
			service_launch_or_delay(s);
		} else {
			service_begin_stop(s, STOP_TERMINATED);
			service_restart_preparers(s);
		}
		return;
	}
	if ((WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
	    (s->desc->options & OPT_ALWAYS_CHAIN) != 0)
		s->chain_pending = 1;
	service_deactivate(s, STOP_TERMINATED);
	service_begin_stop(s, STOP_TERMINATED);
}

/* A child of the service has been reaped with this wait status. */
void
service_child_exited(struct service *s, pid_t pid, int status)
{
	if (pid == 0)
		return;
	if (pid == s->stop_pid) {
		s->stop_pid = 0;
		if (s->pid == 0)
			service_timer_stop(s, TIMER_STOP);
		if (s->state == SERVICE_STOPPING && s->stop_issued &&
		    s->pid == 0)
			service_stopped(s);
		service_drain(s->set);
		return;
	}
	if (pid != s->pid)
		return;
	s->pid = 0;
	s->bg_launching = 0;
	s->exit_status = status;
	s->has_exit_status = 1;

	switch (s->state) {
	case SERVICE_STARTING:
		service_timer_stop(s, TIMER_START);
		if (s->exec_failed && service_retry_launch(s))
			break;
		if (s->exec_failed)
			service_fail_start(s, STOP_EXECFAILED);
		else if (s->type == SERVICE_SCRIPTED &&
		    WIFEXITED(status) && WEXITSTATUS(status) == 0)
			service_started(s);
		else if (s->type == SERVICE_SCRIPTED &&
		    (s->desc->options & OPT_SKIPPABLE) != 0 &&
		    WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) {
			s->skipped = 1;
			service_started(s);
		} else
			service_fail_start(s, STOP_FAILED);
		break;
	case SERVICE_STARTED:
		if (s->type == SERVICE_PROCESS || s->type == SERVICE_BGPROCESS) {
			if (s->exec_failed && service_retry_launch(s))
				break;
			if (s->exec_failed) {
				/* A smooth recovery that could not exec. */
				service_deactivate(s, STOP_EXECFAILED);
				service_begin_stop(s, STOP_EXECFAILED);
			} else
				service_process_died(s, status);
		}
		break;
	case SERVICE_STOPPING:
		if (s->stop_issued && s->stop_pid == 0 &&
		    s->timer != TIMER_KILL_ALL)
			service_stopped(s);
		break;
	case SERVICE_STOPPED:
		break;
	}
	service_drain(s->set);
}

/*
 * The start command of a bgprocess service has exited successfully, and
 * daemon is the process to supervise from now on (0: none could be
 * trusted, which fails the start).
 */
void
service_child_daemon(struct service *s, pid_t launcher, pid_t daemon)
{
	if (launcher == 0 || launcher != s->pid || !s->bg_launching)
		return;
	s->bg_launching = 0;
	s->pid = daemon;
	if (daemon == 0) {
		s->exit_status = 0;
		s->has_exit_status = 1;
		if (s->state == SERVICE_STARTING) {
			service_timer_stop(s, TIMER_START);
			service_fail_start(s, STOP_FAILED);
		} else if (s->state == SERVICE_STARTED) {
			/* A smooth recovery that found no daemon. */
			service_deactivate(s, STOP_FAILED);
			service_begin_stop(s, STOP_FAILED);
		} else if (s->state == SERVICE_STOPPING && s->stop_issued &&
		    s->stop_pid == 0)
			service_stopped(s);
		service_drain(s->set);
		return;
	}
	switch (s->state) {
	case SERVICE_STARTING:
		if (s->desc->ready_notify)
			s->ready_wait = 1;
		else
			service_started(s);
		break;
	case SERVICE_STOPPING:
		/* Stopped while it started: the daemon goes too. */
		if (s->stop_issued)
			service_signal(s, daemon, s->desc->term_signal != 0 ?
			    s->desc->term_signal : SIGKILL);
		break;
	default:
		break;
	}
	service_drain(s->set);
}

/* The service's timer has run out. */
void
service_timer_expired(struct service *s)
{
	enum service_timer	purpose = s->timer;

	s->timer = TIMER_NONE;
	switch (purpose) {
	case TIMER_START:
		if (s->state != SERVICE_STARTING)
			break;
		log_warnx("service %s: start timed out", s->name);
		service_start_timed_out(s);
		break;
	case TIMER_STOP:
		log_warnx("service %s: stop timed out; sending SIGKILL",
		    s->name);
		service_signal(s, s->pid, SIGKILL);
		service_signal(s, s->stop_pid, SIGKILL);
		break;
	case TIMER_RESTART:
		if (s->state == SERVICE_STARTING || s->state == SERVICE_STARTED)
			service_launch(s);
		break;
	case TIMER_KILL_ALL:
		log_info("service %s: sending SIGKILL to every process",
		    s->name);
		s->set->ops->kill_all(s, SIGKILL);
		if (s->state == SERVICE_STOPPING)
			service_stop_commands(s);
		break;
	case TIMER_NONE:
		break;
	}
	service_drain(s->set);
}

/* Whether the service is stopped because something went wrong. */
int
service_is_failed(const struct service *s)
{
	if (s->state != SERVICE_STOPPED)
		return (0);
	switch (s->stop_reason) {
	case STOP_DEPFAILED:
	case STOP_FAILED:
	case STOP_EXECFAILED:
	case STOP_TIMEDOUT:
		return (1);
	default:
		return (0);
	}
}

/* Upper-case name of a state. */
const char *
service_state_name(enum service_state state)
{
	static const char *const names[] = {
		"STOPPED", "STARTING", "STARTED", "STOPPING"
	};

	return (names[state]);
}

/* Name of a type as the description spells it. */
const char *
service_type_name(enum service_type type)
{
	static const char *const names[] = {
		"internal", "process", "bgprocess", "scripted", "triggered",
		"placeholder"
	};

	return (names[type]);
}

/* What a launch stage was doing, in words. */
const char *
service_stage_name(enum exec_stage stage)
{
	static const char *const names[] = {
		"arranging file descriptors",
		"reading environment file",
		"setting environment variable",
		"setting up activation socket",
		"setting up control socket",
		"changing directory",
		"setting up standard input/output descriptors",
		"entering cgroup",
		"setting resource limits",
		"setting user/group ID",
		"opening log file",
		"setting capabilities",
		"setting I/O priority",
		"executing command",
		"creating process",
		"building the environment",
	};

	if ((size_t)stage >= sizeof(names) / sizeof(*names))
		return ("unknown stage");
	return (names[stage]);
}

/* Why a service stopped, in words. */
const char *
service_reason_name(enum stop_reason reason)
{
	static const char *const names[] = {
		"normal", "dependency restarted", "dependency failed",
		"failed", "could not be launched", "start timed out",
		"terminated"
	};

	return (names[reason]);
}

/* Pin a service stopped: it will not start until unpinned. */
void
service_pin_stopped(struct service *s)
{
	s->pinned_stopped = 1;
	s->pinned_started = 0;
	service_enqueue(s);
	service_drain(s->set);
}

/*
 * Stop a started service and start it again, keeping its activation.
 * Without force, refuses (EBUSY) while hard dependents run; with force,
 * they are stopped first and start again after it.  -1 with ENOTCONN when
 * it is not started.
 */
int
service_restart(struct service *s, int force)
{
	if (s->state != SERVICE_STARTED) {
		errno = ENOTCONN;
		return (-1);
	}
	if (!force && service_has_hard_dependents(s)) {
		errno = EBUSY;
		return (-1);
	}
	s->restarting = 1;
	s->manual_restart = 1;
	service_begin_stop(s, STOP_NORMAL);
	service_drain(s->set);
	return (0);
}
