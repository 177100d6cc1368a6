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
 * The end of the daemon's life: what happens once no service is active.
 * An ordinary supervisor leaves its event loop.  A system manager either
 * remains (after a "remain" shutdown), enters single-user mode, handles a
 * boot that failed (everything stopped with no shutdown ordered: start
 * "recovery" with -r, else ask on the console), or finishes a shutdown:
 * as PID 1, TERM to every process, a grace period, KILL, the shutdown
 * hook, sync, and the kernel's reboot call.
 *
 * The phases are a state table in the manner of OpenBSD init's state
 * functions, made to fit an event loop: entering a phase runs its action,
 * which returns the phase to be in next.  Another phase is entered at
 * once; its own means it waits there, for the children it names to be
 * gone or for its time limit, and then goes on to the row's next phase.
 * All of its state is in one record.
 */

#include "dinit.h"

#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "protocol.h"

#define SHUTDOWN_GRACE_SECONDS	3	/* after TERM, before KILL */
#define SHUTDOWN_HOOK_SECONDS	60	/* the shutdown hook's limit */
#define SHUTDOWN_CAD_PRESSES	3	/* ctrl-alt-dels that force it ... */
#define SHUTDOWN_CAD_WINDOW_MS	5000	/* ... within this time */
#define SHUTDOWN_PROMPT_READ	64	/* an answer at the prompt */
#define SHUTDOWN_HOOK_ENV_PATH	"PATH=/sbin:/usr/sbin:/bin:/usr/bin"

/* The phases, in the order a shutdown goes through them. */
enum shutdown_phase {
	PHASE_RUNNING,		/* services run, or stop under the engine */
	PHASE_PROMPT,		/* boot failure: the console prompt waits */
	PHASE_EXIT,		/* not PID 1: the event loop ends */
	PHASE_TERM,		/* TERM sent to every process: grace period */
	PHASE_KILL,		/* KILL to what is left */
	PHASE_HOOK,		/* the shutdown hook runs */
	PHASE_REBOOT		/* sync, and the kernel's reboot: never left */
};

/*
 * One row of the table: the action on entering the phase (it returns the
 * phase to be in), what the phase waits for when it stays (NULL: only
 * for something outside, such as a key), how long at most (0: no limit),
 * and the phase that follows the wait.
 */
struct shutdown_row {
	const char		*name;
	enum shutdown_phase	(*enter)(void);
	int			(*waiting)(void);
	unsigned		 seconds;
	enum shutdown_phase	 then;
};

/* The whole state of the daemon's end. */
struct shutdown_state {
	const struct shutdown_shell *shell;
	enum shutdown_phase	 phase;
	int			 type;		/* SHUTDOWN_*; 0: none */
	int			 single_pending; /* stopping for single-user */
	int			 recovery_tried; /* -r started "recovery" */
	struct event		 timer;		/* the phase's time limit */
	struct event		 prompt_ev;	/* stdin, at the prompt */
	pid_t			 hook_pid;	/* 0: none running */
	struct spawn_report	 hook_report;
	uint64_t		 cad_times[SHUTDOWN_CAD_PRESSES];
};

static enum shutdown_phase	shutdown_prompt(void);
static enum shutdown_phase	shutdown_exit(void);
static enum shutdown_phase	shutdown_term(void);
static enum shutdown_phase	shutdown_kill(void);
static enum shutdown_phase	shutdown_hook(void);
static enum shutdown_phase	shutdown_reboot(void);
static int			shutdown_children_left(void);
static int			shutdown_hook_running(void);

static const struct shutdown_row shutdown_table[] = {
	[PHASE_RUNNING] = { "running", NULL, NULL, 0, PHASE_RUNNING },
	[PHASE_PROMPT] = { "boot failure prompt", shutdown_prompt, NULL, 0,
	    PHASE_PROMPT },
	[PHASE_EXIT] = { "exit", shutdown_exit, NULL, 0, PHASE_EXIT },
	[PHASE_TERM] = { "TERM to all", shutdown_term,
	    shutdown_children_left, SHUTDOWN_GRACE_SECONDS, PHASE_KILL },
	[PHASE_KILL] = { "KILL to all", shutdown_kill, NULL, 0, PHASE_HOOK },
	[PHASE_HOOK] = { "shutdown hook", shutdown_hook,
	    shutdown_hook_running, SHUTDOWN_HOOK_SECONDS, PHASE_REBOOT },
	[PHASE_REBOOT] = { "reboot", shutdown_reboot, NULL, 0,
	    PHASE_REBOOT }
};

static struct shutdown_state	shutdown_st;

/* Words for a shutdown type, as the log says them. */
static const char *
shutdown_words(int type)
{
	switch (type) {
	case SHUTDOWN_REMAIN:
		return ("stop services and remain");
	case SHUTDOWN_HALT:
		return ("halt");
	case SHUTDOWN_POWEROFF:
		return ("power down");
	case SHUTDOWN_REBOOT:
		return ("reboot");
	default:
		return ("handle boot failure");
	}
}

/*
 * Go to a phase: run its action, and follow what it returns until a
 * phase stays (and waits, with its time limit armed).  A time limit that
 * cannot be armed is not waited for: the phase's time is up at once, so
 * the end never stalls for want of a timer (the timer's event is assigned
 * at start-up; only the timer heap's growth can fail).
 */
static void
shutdown_enter(enum shutdown_phase phase)
{
	struct shutdown_state		*st = &shutdown_st;
	const struct shutdown_row	*row;
	enum shutdown_phase		 next;
	struct timeval			 tv;

	for (;;) {
		evtimer_del(&st->timer);
		if (st->phase == PHASE_PROMPT && phase != PHASE_PROMPT)
			event_del(&st->prompt_ev);
		st->phase = phase;
		row = &shutdown_table[phase];
		log_debug("shutdown: %s", row->name);
		next = row->enter != NULL ? row->enter() : phase;
		if (next == phase && row->waiting != NULL && !row->waiting())
			next = row->then;
		if (next == phase) {
			if (row->seconds == 0)
				return;
			tv.tv_sec = row->seconds;
			tv.tv_usec = 0;
			if (evtimer_add(&st->timer, &tv) == 0)
				return;
			log_warnx("shutdown: cannot arm the %s time limit: "
			    "going on at once", row->name);
			next = row->then;
		}
		phase = next;
	}
}

/* A phase's time limit ran out: go on. */
static void
shutdown_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	shutdown_enter(shutdown_table[shutdown_st.phase].then);
}

/* Whether any child at all is left (without reaping it). */
static int
shutdown_children_left(void)
{
	siginfo_t	info;

	memset(&info, 0, sizeof(info));
	return (!(waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) < 0 &&
	    errno == ECHILD));
}

/* Kill the process groups of every service process still running. */
static void
shutdown_kill_services(void)
{
	struct service	*s;

	TAILQ_FOREACH(s, &shutdown_st.shell->set->services, set_entry) {
		if (s->pid > 0)
			(void)proc_kill(s, s->pid, SIGKILL, 1);
		if (s->stop_pid > 0)
			(void)proc_kill(s, s->stop_pid, SIGKILL, 1);
	}
}

/*
 * The services have stopped for a shutdown (or it is forced): close the
 * control socket, and go on to the final phases as PID 1; otherwise kill
 * what a forced shutdown left of our own services and leave.
 */
static enum shutdown_phase
shutdown_finish(void)
{
	log_announce("No more active services. Will %s.",
	    shutdown_words(shutdown_st.type));
	control_close();
	if (getpid() == 1)
		return (PHASE_TERM);
	/* Not the machine's init: no kill(-1) for us. */
	shutdown_kill_services();
	return (PHASE_EXIT);
}

/* PHASE_EXIT: leave the event loop. */
static enum shutdown_phase
shutdown_exit(void)
{
	(void)event_base_loopexit(shutdown_st.shell->base, NULL);
	return (PHASE_EXIT);
}

/* PHASE_TERM: TERM to every process; the grace period follows. */
static enum shutdown_phase
shutdown_term(void)
{
	log_notice("sending TERM to all processes");
	(void)kill(-1, SIGTERM);
	return (PHASE_TERM);
}

/* PHASE_KILL: KILL to whatever outlived the grace period. */
static enum shutdown_phase
shutdown_kill(void)
{
	if (shutdown_children_left()) {
		log_notice("sending KILL to all processes");
		(void)kill(-1, SIGKILL);
	}
	return (PHASE_HOOK);
}

/* The hook's argument: how the machine is to end. */
static const char *
shutdown_hook_word(void)
{
	switch (shutdown_st.type) {
	case SHUTDOWN_REBOOT:
		return ("reboot");
	case SHUTDOWN_POWEROFF:
		return ("poweroff");
	default:
		return ("halt");
	}
}

/* Log how the hook's launch failed, if it did. */
static void
shutdown_hook_report(const char *path)
{
	const struct spawn_report	*r = &shutdown_st.hook_report;

	if (r->stage >= 0)
		log_warnx("cannot run %s (%s: %s)", path,
		    service_stage_name((enum exec_stage)r->stage),
		    strerror(r->error));
}

/*
 * PHASE_HOOK: run the first executable shutdown hook, on a console
 * description of its own, with clean signals and a fixed PATH; wait for
 * it (within its limit).  No hook, or none that runs: reboot.
 */
static enum shutdown_phase
shutdown_hook(void)
{
	static const char *const	 hooks[] = { DINIT_SHUTDOWN_HOOKS };
	static char *const		 env[] = {
		SHUTDOWN_HOOK_ENV_PATH, NULL
	};
	struct shutdown_state		*st = &shutdown_st;
	struct spawn_plan		 plan;
	const char			*argv[3];
	size_t				 i;
	pid_t				 pid;

	for (i = 0; i < sizeof(hooks) / sizeof(*hooks); i++) {
		if (access(hooks[i], X_OK) != 0)
			continue;
		argv[0] = hooks[i];
		argv[1] = shutdown_hook_word();
		argv[2] = NULL;
		log_notice("running %s %s", argv[0], argv[1]);
		spawn_plan_init(&plan);
		plan.argv = (char *const *)argv;
		plan.envp = env;
		spawn_plan_terminal(&plan);
		plan.new_session = 1;
		spawn_plan_path(&plan);
		if ((pid = spawn_child(&plan, &st->hook_report)) < 0) {
			log_error("cannot run %s", argv[0]);
			continue;
		}
		if (st->hook_report.status_fd == -1 &&
		    st->hook_report.stage >= 0) {
			shutdown_hook_report(argv[0]);
			return (PHASE_REBOOT);
		}
		st->hook_pid = pid;
		return (PHASE_HOOK);
	}
	return (PHASE_REBOOT);
}

/*
 * Whether the shutdown hook still runs.  The loop may have reaped it
 * already as an orphan: when no child at all is left, it is over too.
 */
static int
shutdown_hook_running(void)
{
	struct shutdown_state	*st = &shutdown_st;
	int			 status;

	if (st->hook_pid <= 0)
		return (0);
	if (waitpid(st->hook_pid, &status, WNOHANG) != st->hook_pid &&
	    shutdown_children_left())
		return (1);
	st->hook_pid = 0;
	if (spawn_report_read(&st->hook_report) == 0)
		shutdown_hook_report("the shutdown hook");
	spawn_report_close(&st->hook_report);
	return (0);
}

/* PHASE_REBOOT: sync, and end the machine the way the shutdown asked. */
static enum shutdown_phase
shutdown_reboot(void)
{
	enum osdep_how	how;

	sync();
	switch (shutdown_st.type) {
	case SHUTDOWN_REBOOT:
		how = OSDEP_REBOOT;
		break;
	case SHUTDOWN_POWEROFF:
		how = OSDEP_POWEROFF;
		break;
	default:
		how = OSDEP_HALT;
		break;
	}
	log_notice("issuing %s via the kernel",
	    shutdown_words(shutdown_st.type));
	shutdown_st.shell->restore_fds();
	if (osdep_reboot(how) != 0)
		log_error("reboot(2) failed");
	/* PID 1 must not return to the kernel. */
	for (;;)
		pause();
	/* NOTREACHED */
	return (PHASE_REBOOT);
}

/* A key was pressed at the boot-failure prompt. */
static void
shutdown_prompt_key(evutil_socket_t fd, short what, void *arg)
{
	struct shutdown_state	*st = &shutdown_st;
	char			 line[SHUTDOWN_PROMPT_READ], c = 'h';
	ssize_t			 n, i;
	size_t			 j;

	n = read(fd, line, sizeof(line));
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	for (i = 0; i < n; i++) {
		if (line[i] != ' ' && line[i] != '\t' && line[i] != '\n' &&
		    line[i] != '\r')
			break;
	}
	if (n > 0 && i == n)
		return;		/* a bare Return: keep asking */
	if (n > 0)
		c = line[i];
	shutdown_enter(PHASE_RUNNING);
	switch (c) {
	case 'r':
		shutdown_request(SHUTDOWN_REBOOT);
		break;
	case 'e':
		service_cancel_shutdown(st->shell->set);
		(void)st->shell->start("recovery");
		break;
	case 's':
		service_cancel_shutdown(st->shell->set);
		for (j = 0; j < st->shell->nboot; j++)
			(void)st->shell->start(st->shell->boot[j]);
		break;
	case 'p':
		shutdown_request(SHUTDOWN_POWEROFF);
		break;
	default:
		shutdown_request(SHUTDOWN_HALT);
		break;
	}
	shutdown_settle();
}

/*
 * PHASE_PROMPT: ask on the console what to do about the failed boot.  A
 * console that is not a terminal cannot answer: halt.
 */
static enum shutdown_phase
shutdown_prompt(void)
{
	static const char	prompt[] = "Choose: (r)eboot, r(e)covery, "
	    "re(s)tart boot sequence, (p)ower off? ";
	struct shutdown_state	*st = &shutdown_st;

	if (!isatty(0))
		goto halt;
	(void)fcntl(0, F_SETFL, O_NONBLOCK);
	if (event_add(&st->prompt_ev, NULL) != 0)
		goto halt;
	(void)write(1, prompt, sizeof(prompt) - 1);
	return (PHASE_PROMPT);
halt:
	shutdown_request(SHUTDOWN_HALT);
	return (PHASE_RUNNING);
}

/*
 * Every service stopped and no shutdown was ordered: the boot failed.
 * Start "recovery" once with -r; otherwise prompt.
 */
static enum shutdown_phase
shutdown_boot_failed(void)
{
	struct shutdown_state	*st = &shutdown_st;

	if (st->phase == PHASE_PROMPT)
		return (PHASE_PROMPT);
	log_warnx("All services have stopped with no shutdown issued; boot "
	    "failure?");
	if (st->shell->auto_recovery && !st->recovery_tried) {
		st->recovery_tried = 1;
		if (st->shell->start("recovery") == 0 &&
		    st->shell->set->active != 0)
			return (PHASE_RUNNING);
	}
	return (PHASE_PROMPT);
}

/*
 * No service is active: remain (after a "remain" shutdown), enter
 * single-user mode, leave (an ordinary supervisor), finish the shutdown
 * or handle a failed boot (a system manager).  Returns the phase to be
 * in.
 */
static enum shutdown_phase
shutdown_all_stopped(void)
{
	struct shutdown_state	*st = &shutdown_st;

	if (st->type == SHUTDOWN_REMAIN) {
		/* Everything has stopped: accept starts again. */
		if (st->shell->set->shutting_down) {
			log_notice("all services stopped; remaining");
			service_cancel_shutdown(st->shell->set);
			st->type = 0;
		}
		return (st->phase);
	}
	if (st->single_pending) {
		st->single_pending = 0;
		service_cancel_shutdown(st->shell->set);
		log_notice("entering single-user mode");
		if (st->shell->start("single") == 0 &&
		    st->shell->set->active != 0)
			return (st->phase);
	}
	if (!st->shell->system_mgr)
		return (PHASE_EXIT);
	if (st->type != 0)
		return (shutdown_finish());
	return (shutdown_boot_failed());
}

/*
 * After every event: a final phase waiting for children goes on once
 * they are gone; otherwise, once no service is active, the daemon's end
 * is decided (shutdown_all_stopped).
 */
void
shutdown_settle(void)
{
	struct shutdown_state		*st = &shutdown_st;
	const struct shutdown_row	*row;
	enum shutdown_phase		 next;

	if (st->phase >= PHASE_EXIT) {
		row = &shutdown_table[st->phase];
		if (row->waiting != NULL && !row->waiting())
			shutdown_enter(row->then);
		return;
	}
	while (st->phase < PHASE_EXIT && st->shell->set->active == 0) {
		next = shutdown_all_stopped();
		if (next == st->phase)
			break;
		shutdown_enter(next);
	}
}

/* A client or a signal asked for a shutdown: stop everything. */
void
shutdown_request(int type)
{
	log_notice("shutdown requested: %s", shutdown_words(type));
	shutdown_st.type = type;
	service_stop_all(shutdown_st.shell->set);
}

/* Stop everything, then start the "single" service. */
void
shutdown_single_user(void)
{
	shutdown_st.single_pending = 1;
	service_stop_all(shutdown_st.shell->set);
}

/*
 * Shut down at once (power off), without waiting for the services to
 * stop in order.
 */
void
shutdown_immediate(void)
{
	shutdown_st.type = SHUTDOWN_POWEROFF;
	service_order_shutdown(shutdown_st.shell->set);
	shutdown_enter(shutdown_finish());
}

/*
 * Ctrl-alt-del (SIGINT) was pressed.  Three times within a few seconds
 * while a shutdown is under way: stop waiting for the services, and
 * return 1.
 */
int
shutdown_cad_forces(void)
{
	struct shutdown_state	*st = &shutdown_st;
	uint64_t		 now = proc_now();

	memmove(&st->cad_times[0], &st->cad_times[1],
	    sizeof(st->cad_times) - sizeof(st->cad_times[0]));
	st->cad_times[SHUTDOWN_CAD_PRESSES - 1] = now;
	if (!st->shell->set->shutting_down || st->cad_times[0] == 0 ||
	    now - st->cad_times[0] > SHUTDOWN_CAD_WINDOW_MS)
		return (0);
	log_warnx("ctrl-alt-del pressed three times: shutting down now");
	if (st->type == 0)
		st->type = SHUTDOWN_REBOOT;
	shutdown_enter(shutdown_finish());
	return (1);
}

/* Whether the daemon's end is under way (the final phases, or exit). */
int
shutdown_under_way(void)
{
	return (shutdown_st.phase >= PHASE_EXIT);
}

/* The event loop ended under PID 1: halt at once. */
void
shutdown_now(int type)
{
	shutdown_st.type = type;
	shutdown_enter(PHASE_REBOOT);
	for (;;)
		pause();
}

/* Set up the shutdown on the shell's loop and services. */
int
shutdown_init(const struct shutdown_shell *shell)
{
	struct shutdown_state	*st = &shutdown_st;

	memset(st, 0, sizeof(*st));
	st->shell = shell;
	st->phase = PHASE_RUNNING;
	st->hook_report.status_fd = -1;
	if (evtimer_assign(&st->timer, shell->base, shutdown_timer_cb,
	    NULL) != 0)
		return (-1);
	return (event_assign(&st->prompt_ev, shell->base, 0,
	    EV_READ | EV_PERSIST, shutdown_prompt_key, NULL));
}

/* Drop the shutdown's events, before the event base is freed. */
void
shutdown_free(void)
{
	evtimer_del(&shutdown_st.timer);
	event_del(&shutdown_st.prompt_ev);
}
