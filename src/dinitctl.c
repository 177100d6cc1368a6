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
 * dinitctl: administer a running dinit through its control socket
 * (doc/PROTOCOL.md), or edit waits-for.d links offline.
 *
 * Exit status: 0 success, 1 failure (the reason on standard error), 2
 * usage.  Human output by default; --json for status and list (and
 * monitor) in the schema of dinitctl(8).
 */

#include "dinit.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "protocol.h"

extern char	**environ;

#define CTL_EXIT_TEXT	64	/* "signalled - signal N" and the like */

/* What the command line asked for. */
struct ctl_options {
	const char	 *socket_path;
	int		  system;
	int		  user;
	int		  quiet;
	int		  json;
	int		  no_wait;
	int		  pin;
	int		  force;
	int		  ignore_unstarted;
	int		  clear;
	int		  timestamps;
	int		  list_signals;
	int		  offline;
	int		  passed_cfd;
	int		  all;
	const char	 *svg;
	const char	 *from;
	const char	**dirs;
	size_t		  ndirs;
};

static struct ctl_options	opts;
static void	ctl_say(const char *, ...) PRINTFLIKE(1, 2);

static const char		*ctl_command;	/* the command's name */
static const char		*ctl_subject;	/* its last operand */
static int			 ctl_failure = 1; /* status of a refusal */

/*
 * A command: a row of ctl_cmds.  Its usage line, name and usage, is the
 * command's item in dinitctl(8), word for word (tests/man_test.sh checks).
 */
struct ctl_cmd {
	const char	*name;
	const char	*usage;		/* what follows the name */
	int		 args_min;
	int		 args_max;	/* -1: no limit */
	int		 flags;
#define CTL_OFFLINE	0x01		/* works with -o, without dinit */
#define CTL_LOCAL	0x02		/* never talks to dinit */
#define CTL_LISTING	0x04		/* the form -l (--list) chooses */
	uint16_t	 request;	/* what it asks dinit */
	int		 variant;	/* which of a pair (on or off) */
	const char	*done;		/* the word it says once done */
	int		(*exec)(const struct ctl_cmd *, char **, int);
};

/* Allocate or die: dinitctl is a utility, not the daemon. */
static void *
ctl_xalloc(void *p)
{
	if (p == NULL)
		err(1, "out of memory");
	return (p);
}

/*
 * The control connection dinit passed us in $DINIT_CS_FD (pass-cs-fd), or
 * -1 when there is none usable: dinit's dinitctl then connects as usual.
 */
static int
ctl_passed_fd(void)
{
	const char	*env = getenv("DINIT_CS_FD");
	char		*end;
	long		 fd;
	int		 fl;

	if (env == NULL || *env == '\0')
		return (-1);
	errno = 0;
	fd = strtol(env, &end, 10);
	if (*end != '\0' || errno != 0 || fd < 0 || fd > INT_MAX ||
	    (fl = fcntl((int)fd, F_GETFL)) == -1)
		return (-1);
	(void)fcntl((int)fd, F_SETFL, fl & ~O_NONBLOCK);
	return ((int)fd);
}

/* Connect to the daemon this command line names. */
static void
ctl_connect(void)
{
	int	fd;

	if (opts.passed_cfd && (fd = ctl_passed_fd()) != -1) {
		client_adopt(fd);
		return;
	}
	client_connect(client_socket_path(opts.socket_path, opts.system,
	    opts.user), !opts.system && getuid() != 0);
}

/*
 * How dinit's dinitctl words a refusal, so that scripts reading its output
 * read ours: for a command (NULL: any) and an error code, dinit's sentence
 * (NULL: it says nothing), the advice line it adds, and whether the
 * daemon's own message says more than the sentence and follows it.
 */
struct ctl_word {
	const char	*command;
	uint16_t	 code;
	const char	*sentence;	/* may name the service: %1$s */
	const char	*advice;
	int		 detail;
};

#define CTL_NOT_LOADED(cmd) \
	{ cmd, PERR_NOT_FOUND, "service not loaded.", NULL, 0 }
#define CTL_LOAD_ADVICE \
	"try 'dinit-check <service-name>' or check log for more information."

static const struct ctl_word ctl_words[] = {
	CTL_NOT_LOADED("status"),
	{ "is-started", PERR_NOT_FOUND, NULL, NULL, 0 },
	{ "is-failed", PERR_NOT_FOUND, NULL, NULL, 0 },
	CTL_NOT_LOADED("unload"),
	CTL_NOT_LOADED("unpin"),
	CTL_NOT_LOADED("trigger"),
	CTL_NOT_LOADED("untrigger"),
	CTL_NOT_LOADED("catlog"),
	CTL_NOT_LOADED("signal"),
	{ "restart", PERR_NOT_FOUND, "cannot restart service; service not "
	    "started.", NULL, 1 },
	{ "restart", PERR_NOT_STARTED, "cannot restart service; service not "
	    "started.", NULL, 0 },
	{ "wake", PERR_NOT_STARTED, "service has no active dependents, "
	    "cannot wake.", NULL, 0 },
	{ "start", PERR_SHUTTING_DOWN, "cannot start/restart/wake service, "
	    "shutdown is in progress.", NULL, 0 },
	{ "wake", PERR_SHUTTING_DOWN, "cannot start/restart/wake service, "
	    "shutdown is in progress.", NULL, 0 },
	{ "restart", PERR_SHUTTING_DOWN, "cannot start/restart/wake service, "
	    "shutdown is in progress.", NULL, 0 },
	{ "start", PERR_PINNED, "cannot start service '%s' as it is pinned "
	    "stopped", NULL, 0 },
	{ "wake", PERR_PINNED, "cannot start service '%s' as it is pinned "
	    "stopped", NULL, 0 },
	{ "stop", PERR_PINNED, "cannot stop service '%s' as it is pinned "
	    "started", NULL, 0 },
	{ "unload", PERR_BUSY, "could not unload service; service not "
	    "stopped, or is a dependency of another service.", NULL, 1 },
	{ "reload", PERR_BUSY, "could not reload service; service in wrong "
	    "state, incompatible change, or bad service description.", NULL,
	    1 },
	{ "reload", PERR_LOAD, "could not reload service; service in wrong "
	    "state, incompatible change, or bad service description.", NULL,
	    1 },
	{ "add-dep", PERR_CYCLE, "could not add dependency: circular "
	    "dependency or wrong state", NULL, 1 },
	{ "add-dep", PERR_BUSY, "could not add dependency: circular "
	    "dependency or wrong state", NULL, 1 },
	{ "rm-dep", PERR_FAILED, "no such dependency to remove", NULL, 0 },
	{ "enable", PERR_CYCLE, "could not enable service: possible circular "
	    "dependency", NULL, 1 },
	/* The link is gone; no edge was loaded: nothing more to undo. */
	{ "disable", PERR_FAILED, NULL, NULL, 0 },
	{ "trigger", PERR_WRONG_TYPE, "cannot trigger a service that is not "
	    "of 'triggered' type.", NULL, 0 },
	{ "untrigger", PERR_WRONG_TYPE, "cannot trigger a service that is not "
	    "of 'triggered' type.", NULL, 0 },
	{ "catlog", PERR_WRONG_TYPE, "cannot cat log for service not "
	    "configured to buffer output.", NULL, 0 },
	{ "signal", PERR_NO_PID, "could not get valid PID of service; service "
	    "is not process-based or is in wrong state.", NULL, 0 },
	{ "signal", PERR_BAD_SIGNAL, "provided signal was invalid.", NULL, 0 },
	{ "signal", PERR_FAILED, "failed sending signal to service.", NULL,
	    1 },
	/* Loading, whatever the command. */
	{ NULL, PERR_NOT_FOUND, "failed to find service description.",
	    "check service description file exists / service name spelling.",
	    1 },
	{ NULL, PERR_LOAD, "error in service description.", CTL_LOAD_ADVICE,
	    1 },
	{ NULL, PERR_CYCLE, "error loading service (or dependency of "
	    "service).", CTL_LOAD_ADVICE, 1 }
};
#define CTL_NWORDS	(sizeof(ctl_words) / sizeof(*ctl_words))

/*
 * Report a REP_ERROR reply on standard error, in dinit's words first and
 * the daemon's detail after; returns the exit status (ctl_failure).
 */
static int
ctl_error(struct proto_reader *r)
{
	const struct ctl_word	*w;
	char			 msg[2100];
	uint16_t		 code;

	code = client_error(r, msg, sizeof(msg));
	ctl_failure = 1;
	if (opts.ignore_unstarted && strcmp(ctl_command, "restart") == 0) {
		/* dinit: quietly done, or "not currently started". */
		ctl_failure = 0;
		if (code == PERR_NOT_STARTED)
			ctl_say("Service '%s' is not currently started.\n",
			    ctl_subject);
		if (code == PERR_NOT_FOUND || code == PERR_NOT_STARTED)
			return (0);
		ctl_failure = 1;
	}
	for (w = ctl_words; w < ctl_words + CTL_NWORDS; w++) {
		if (w->code == code && (w->command == NULL ||
		    strcmp(w->command, ctl_command) == 0))
			break;
	}
	if (w == ctl_words + CTL_NWORDS) {
		fprintf(stderr, "dinitctl: %s\n", msg);
		return (1);
	}
	if (w->sentence == NULL)
		return (1);
	fputs("dinitctl: ", stderr);
	fprintf(stderr, w->sentence, ctl_subject);
	fputc('\n', stderr);
	if (w->advice != NULL)
		fprintf(stderr, "dinitctl: %s\n", w->advice);
	if (w->detail)
		fprintf(stderr, "dinitctl: %s\n", msg);
	return (1);
}

/* Fail: the daemon does not speak the version the command needs. */
static void NORETURN
ctl_too_old(void)
{
	errx(1, "dinit is too old for '%s' (protocol version %u)",
	    ctl_command, (unsigned)client_version);
}

/* Fail with a message when a reply is not what the request expects. */
static void NORETURN
ctl_unexpected(uint16_t type)
{
	errx(1, "unexpected reply 0x%x from dinit", type);
}

/*
 * Wait for the reply to the request just sent and return its type, one of
 * those listed (the list ends with 0); a REP_STATUS is read into st unless
 * st is NULL.  A REP_ERROR is reported and gives 0 (the caller exits 1);
 * any other reply ends dinitctl.
 */
static uint16_t
ctl_reply(struct proto_reader *r, struct proto_status *st, ...)
{
	va_list		ap;
	uint16_t	rtype;
	int		want, ok = 0;

	if ((rtype = client_reply(r)) == REP_ERROR) {
		(void)ctl_error(r);
		return (0);
	}
	ctl_failure = 1;
	va_start(ap, st);
	while ((want = va_arg(ap, int)) != 0) {
		if (want == rtype)
			ok = 1;
	}
	va_end(ap);
	if (!ok && rtype == CLIENT_RETRY)
		ctl_too_old();
	if (!ok || (rtype == REP_STATUS && st != NULL &&
	    proto_get_status(r, st, client_version) != 0))
		ctl_unexpected(rtype);
	return (rtype);
}

static const char *const ctl_state_names[] = {
	"STOPPED", "STARTING", "STARTED", "STOPPING"
};

/* Upper-case name of a state received on the wire. */
static const char *
ctl_state(uint8_t state)
{
	return (state < 4 ? ctl_state_names[state] : "UNKNOWN");
}

/* The exit of a process, in words: "exited - status N". */
static void
ctl_exit_text(const struct proto_status *st, char *buf, size_t len)
{
	if (st->exit_kind == EXIT_KIND_EXITED)
		(void)snprintf(buf, len, "exited - status %d",
		    (int)st->exit_value);
	else if (st->exit_kind == EXIT_KIND_SIGNALLED)
		(void)snprintf(buf, len, "signalled - signal %d",
		    (int)st->exit_value);
	else
		buf[0] = '\0';
}

/* Say why a service failed to start (after "failed to start."). */
static void
ctl_print_reason(FILE *fp, const struct proto_status *st)
{
	char	exit_text[CTL_EXIT_TEXT];

	ctl_exit_text(st, exit_text, sizeof(exit_text));
	switch (st->stop_reason) {
	case STOP_EXECFAILED:
		fprintf(fp, "Reason: execution of service process failed:\n"
		    "        Stage: %s\n        Error: %s\n",
		    service_stage_name((enum exec_stage)st->exec_stage),
		    strerror(st->exec_errno));
		break;
	case STOP_TIMEDOUT:
		fprintf(fp, "Reason: start timed out.\n");
		break;
	case STOP_DEPFAILED:
		fprintf(fp, "Reason: a dependency of the service failed to "
		    "start. Check dinit log.\n");
		break;
	case STOP_FAILED:
	case STOP_TERMINATED:
		if (exit_text[0] != '\0') {
			fprintf(fp, "Reason: service process terminated "
			    "before ready: %s\n", exit_text);
			break;
		}
		/* FALLTHROUGH */
	default:
		fprintf(fp, "Reason unknown/unrecognised. Check dinit log.\n");
		break;
	}
}

/* Warn when the description changed since it was loaded. */
static void
ctl_warn_modified(const struct proto_status *st)
{
	if ((st->flags & STF_MODIFIED) && !opts.quiet)
		fprintf(stderr, "dinitctl: warning: service description may "
		    "have changed; use 'dinitctl reload %s' to apply "
		    "changes.\n", st->name);
}

/* Print a line unless --quiet. */
static void
ctl_say(const char *fmt, ...)
{
	va_list	ap;

	if (opts.quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/*
 * Wait for a watched service to settle: for a start, STARTED (0) or a
 * failure (1); for a stop, STOPPED.
 */
static int
ctl_wait(const char *name, int starting, int restarting)
{
	struct proto_reader	r;
	struct proto_status	st;
	uint16_t		type;
	uint8_t			event;

	for (;;) {
		if ((type = client_recv(&r)) == 0)
			errx(1, "connection to dinit closed while waiting");
		if (type != REP_EVENT)
			continue;
		event = proto_get_u8(&r);
		if (proto_get_status(&r, &st, client_version) != 0)
			errx(1, "malformed event from dinit");
		if (strcmp(st.name, name) != 0)
			continue;
		switch (event) {
		case SERVICE_EVENT_STARTED:
			if (starting) {
				ctl_say("Service '%s' started.\n", name);
				return (0);
			}
			break;
		case SERVICE_EVENT_STOPPED:
			if (restarting) {
				ctl_say("Service '%s' stopped.\n", name);
				break;
			}
			if (!starting) {
				ctl_say("Service '%s' stopped.\n", name);
				return (0);
			}
			break;
		case SERVICE_EVENT_FAILED:
		case SERVICE_EVENT_START_CANCELLED:
			if (!starting) {
				/* Stopped before it had started. */
				ctl_say("Service '%s' stopped.\n", name);
				return (0);
			}
			if (event == SERVICE_EVENT_START_CANCELLED) {
				ctl_say("Service '%s' start cancelled.\n",
				    name);
				return (1);
			}
			printf("Service '%s' failed to start.\n", name);
			ctl_print_reason(stdout, &st);
			return (1);
		case SERVICE_EVENT_STOP_CANCELLED:
			ctl_say("Service '%s' stop cancelled.\n", name);
			return (1);
		}
	}
}

/* The request flags the options ask for, of those a request takes. */
static uint8_t
ctl_flags(uint8_t takes)
{
	uint8_t	flags = 0;

	if (opts.pin)
		flags |= REQF_PIN;
	if (opts.force)
		flags |= REQF_FORCE;
	if (opts.ignore_unstarted)
		flags |= REQF_IGNORE_UNSTARTED;
	if (!opts.no_wait)
		flags |= REQF_WATCH;
	return (flags & takes);
}

/* Send a service request: u8 flags, str name. */
static void
ctl_request(uint16_t type, uint8_t flags, const char *name)
{
	struct proto_writer	w;

	client_begin(&w, type);
	proto_put_u8(&w, flags);
	proto_put_str(&w, name);
	client_send(&w);
}

/* Send a request carrying only a name. */
static void
ctl_request_name(uint16_t type, const char *name)
{
	struct proto_writer	w;

	client_begin(&w, type);
	proto_put_str(&w, name);
	client_send(&w);
}

/*
 * Print the hard dependents that keep a service from stopping, in dinit's
 * layout: their names on one line (the caution only for a stop).
 */
static int
ctl_dependents(struct proto_reader *r, const char *name, int caution)
{
	char		dep[PROTO_MAX_NAME + 1];
	uint16_t	n, i;

	fprintf(stderr, "dinitctl: cannot stop service '%s' due to the "
	    "following dependents:\n", name);
	if (caution)
		fprintf(stderr, "(only direct dependents are listed. "
		    "Exercise caution before using '--force' !!)\n");
	n = proto_get_u16(r);
	fputc(' ', stderr);
	for (i = 0; i < n; i++) {
		(void)proto_get_str(r, dep, sizeof(dep));
		fprintf(stderr, " %s", dep);
	}
	fputc('\n', stderr);
	return (1);
}

/* start, wake: bring a service up and wait for the outcome. */
static int
ctl_start(const struct ctl_cmd *cmd, char **args, int nargs)
{
	const char		*name = args[0];
	struct proto_reader	 r;
	struct proto_status	 st;

	ctl_request(cmd->request, ctl_flags(REQF_PIN | REQF_WATCH), name);
	if (ctl_reply(&r, &st, REP_STATUS, 0) == 0)
		return (1);
	ctl_warn_modified(&st);
	if (st.state == SERVICE_STARTED) {
		/* dinit's short forms: it was so, or became so at once. */
		ctl_say("Service %sstarted.\n",
		    (st.flags & STF_ALREADY) ? "(already) " : "");
		return (0);
	}
	if (opts.no_wait) {
		ctl_say("Issued start command successfully for service "
		    "'%s'.\n", name);
		return (0);
	}
	if (st.state == SERVICE_STOPPED && st.target == SERVICE_STOPPED) {
		printf("Service '%s' failed to start.\n", name);
		ctl_print_reason(stdout, &st);
		return (1);
	}
	return (ctl_wait(name, 1, 0));
}

/* stop, release: take the activation away and wait for the stop. */
static int
ctl_stop(const struct ctl_cmd *cmd, char **args, int nargs)
{
	const char		*name = args[0];
	struct proto_reader	 r;
	struct proto_status	 st;
	uint16_t		 type = cmd->request, rtype;

	ctl_request(type, ctl_flags(REQF_PIN | REQF_FORCE |
	    REQF_IGNORE_UNSTARTED | REQF_WATCH), name);
	rtype = ctl_reply(&r, &st, REP_STATUS, REP_OK, REP_DEPENDENTS, 0);
	if (rtype == 0)
		return (1);
	if (rtype == REP_OK)
		return (0);		/* not loaded, --ignore-unstarted */
	if (rtype == REP_DEPENDENTS)
		return (ctl_dependents(&r, name, 1));
	if (st.state == SERVICE_STOPPED) {
		/* dinit's short forms: it was so, or became so at once. */
		ctl_say("Service %sstopped.\n",
		    (st.flags & STF_ALREADY) ? "(already) " : "");
		return (0);
	}
	if (opts.no_wait || st.target == SERVICE_STARTED) {
		ctl_say("Issued stop command successfully for service "
		    "'%s'.\n", name);
		/*
		 * NB: dinit's dinitctl would wait until the dependents that
		 * still hold a released service let it go; we say so.
		 */
		if (st.target == SERVICE_STARTED)
			ctl_say("Service '%s' is still required by its "
			    "dependents.\n", name);
		return (0);
	}
	return (ctl_wait(name, 0, 0));
}

/* restart: stop and start again. */
static int
ctl_restart(const struct ctl_cmd *cmd, char **args, int nargs)
{
	const char		*name = args[0];
	struct proto_reader	 r;
	struct proto_status	 st;
	uint16_t		 rtype;

	ctl_request(REQ_RESTART, ctl_flags(REQF_FORCE | REQF_WATCH), name);
	if ((rtype = ctl_reply(&r, &st, REP_STATUS, REP_DEPENDENTS, 0)) == 0)
		return (ctl_failure);
	if (rtype == REP_DEPENDENTS)
		return (ctl_dependents(&r, name, 0));
	if (st.state == SERVICE_STARTED) {
		ctl_say("Service restarted.\n");
		return (0);
	}
	if (opts.no_wait) {
		ctl_say("Issued start command successfully for service "
		    "'%s'.\n", name);
		return (0);
	}
	/* Not STOPPING: the stop is over already (its event went before). */
	if (st.state != SERVICE_STOPPING)
		ctl_say("Service '%s' stopped.\n", name);
	if (st.state == SERVICE_STOPPED && st.target == SERVICE_STOPPED) {
		printf("Service '%s' failed to start.\n", name);
		ctl_print_reason(stdout, &st);
		return (1);
	}
	return (ctl_wait(name, 1, st.state == SERVICE_STOPPING));
}

/* Fail unless the daemon speaks protocol version 3 (the detail queries). */
static void
ctl_need_detail(void)
{
	if (!client_speaks(PROTO_VERSION_DETAIL))
		ctl_too_old();
}

/* Milliseconds from a daemon time to another, or -1 when either is never. */
static int64_t
ctl_span(uint64_t from, uint64_t to)
{
	if (from == 0 || to == 0)
		return (-1);
	return ((int64_t)(to - from));
}

/* Print milliseconds as seconds with three decimals: "1.234s". */
static void
ctl_print_secs(FILE *fp, int64_t ms)
{
	if (ms < 0) {
		fputc('-', fp);
		ms = -ms;
	}
	fprintf(fp, "%lld.%03llds", (long long)(ms / 1000),
	    (long long)(ms % 1000));
}

static const char *const ctl_output_names[] = {
	"discarded", "file", "buffer", "pipe", "console"
};

/* Where output goes, in words. */
static const char *
ctl_output(uint8_t output)
{
	return (output <= OUTPUT_CONSOLE ? ctl_output_names[output] :
	    "unknown");
}

/* How many of a buffered service's last lines status shows. */
#define CTL_TAIL_LINES	5

/* What status adds to the daemon's detail record, found by dinitctl. */
struct ctl_more {
	const struct proto_detail *d;
	struct osdep_usage	 usage;
	int			 has_usage;
	char			*tail_buf;	/* the lines, each NUL-ended */
	const char		*tail[CTL_TAIL_LINES];
	int			 ntail;		/* -1: not asked or refused */
};

/*
 * The memory and CPU of a service's processes, measured here rather than
 * by the daemon: a process tree can be large and /proc slow, and the
 * daemon must not do unbounded work for a query.  So the figures exist
 * only when dinitctl runs on the daemon's host and may read its
 * processes.  NB: a service in a cgroup of its own (run-in-cgroup) is to
 * be measured there instead (memory.current, cpu.stat's usage_usec),
 * which also counts processes that left the tree; that needs the detail
 * record to say the service's cgroup, and belongs here.
 */
static void
ctl_measure(const struct proto_status *st, struct ctl_more *m)
{
	m->has_usage = 0;
	if ((st->flags & STF_HAS_PID) && st->state != SERVICE_STOPPED &&
	    osdep_tree_usage((pid_t)st->pid, &m->usage) == 0)
		m->has_usage = 1;
}

/*
 * The last lines a log-type = buffer service wrote, through catlog (a
 * privileged request: for others, and on any error, there are none).
 * Control characters become '?', so a service cannot drive the terminal.
 */
static void
ctl_tail(const char *name, struct ctl_more *m)
{
	struct proto_reader	 r;
	const uint8_t		*data;
	const char		*line;
	uint32_t		 nst;
	size_t			 len, i, end, start;
	int			 k;

	m->ntail = -1;
	ctl_request(REQ_CATLOG, 0, name);
	if (client_reply(&r) != REP_LOG)
		return;
	(void)proto_get_u8(&r);
	(void)proto_get_u32(&r);
	nst = proto_get_u32(&r);
	if (nst > r.left / 10)
		return;
	(void)proto_get_bytes(&r, (size_t)nst * 10);
	len = r.left;
	data = proto_get_bytes(&r, len);
	m->tail_buf = ctl_xalloc(malloc(len + 1));
	for (i = 0; i < len; i++)
		m->tail_buf[i] = data[i] == '\n' ? '\0' :
		    (data[i] < 0x20 && data[i] != '\t') || data[i] == 0x7f ?
		    '?' : (char)data[i];
	m->tail_buf[len] = '\0';
	/* Walk back from the end, a line at a time. */
	k = 0;
	if (len > 0) {
		end = data[len - 1] == '\n' ? len - 1 : len;
		for (;;) {
			for (start = end; start > 0 && data[start - 1] != '\n';)
				start--;
			m->tail[k++] = m->tail_buf + start;
			if (start == 0 || k == CTL_TAIL_LINES)
				break;
			end = start - 1;
		}
	}
	m->ntail = k;
	/* Oldest first. */
	for (i = 0; i < (size_t)k / 2; i++) {
		line = m->tail[i];
		m->tail[i] = m->tail[k - 1 - i];
		m->tail[k - 1 - i] = line;
	}
}

/* A size in bytes for people: "512 KiB", "1.5 MiB", "2.00 GiB". */
static void
ctl_print_size(unsigned long long n)
{
	if (n >= 1ULL << 30)
		printf("%.2f GiB", (double)n / (1ULL << 30));
	else if (n >= 1ULL << 20)
		printf("%.1f MiB", (double)n / (1ULL << 20));
	else
		printf("%llu KiB", n >> 10);
}

/*
 * t as local time, into tm (date and time of day only): as dinit's zone
 * has it (zone, from a detail record), which spares reading the zone here
 * (a good part of what a status costs: the C library reads it for
 * gmtime_r and strftime too, so neither is used), unless TZ asks for
 * another or dinit did not say.  NULL when it cannot be told.
 */
static struct tm *
ctl_local_time(time_t t, int32_t zone, struct tm *tm)
{
	long long	days, secs, era, doe, yoe, doy, mp;

	if (zone == PROTO_NO_ZONE || getenv("TZ") != NULL)
		return (localtime_r(&t, tm));
	/* The proleptic Gregorian calendar in eras of 400 years. */
	secs = (long long)t + zone;
	days = secs / 86400;
	if ((secs %= 86400) < 0) {
		secs += 86400;
		days--;
	}
	days += 719468;			/* from 0000-03-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;	/* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* from March 1 */
	mp = (5 * doy + 2) / 153;
	memset(tm, 0, sizeof(*tm));
	tm->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
	tm->tm_year = (int)(yoe + era * 400 + (tm->tm_mon < 2) - 1900);
	tm->tm_hour = (int)(secs / 3600);
	tm->tm_min = (int)(secs / 60 % 60);
	tm->tm_sec = (int)(secs % 60);
	return (tm);
}

/*
 * The lines status adds after dinit's: since when, restarts, memory and
 * CPU, output and its last lines.
 */
static void
ctl_status_detail(const struct proto_status *st, const struct ctl_more *m)
{
	const struct proto_detail *d = m->d;
	char		 when[64];
	int		 i;
	struct tm	 tm;
	time_t		 t;
	int64_t		 in_state, took;
	char		 exit_text[CTL_EXIT_TEXT];

	in_state = st->state < 4 ? ctl_span(d->entered[st->state], d->now) :
	    -1;
	if (in_state >= 0) {
		t = time(NULL) - (time_t)(in_state / 1000);
		/* Not strftime, which reads the zone whatever it prints. */
		if (ctl_local_time(t, d->zone, &tm) != NULL)
			(void)snprintf(when, sizeof(when),
			    "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
			    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			    tm.tm_sec);
		else
			(void)strlcpy(when, "?", sizeof(when));
		printf("    Since: %s (", when);
		ctl_print_secs(stdout, in_state);
		printf(" ago)\n");
	}
	took = ctl_span(d->entered[SERVICE_STARTING],
	    d->entered[SERVICE_STARTED]);
	if (st->state == SERVICE_STARTED && took >= 0) {
		printf("    Start took: ");
		ctl_print_secs(stdout, took);
		putchar('\n');
	}
	printf("    Restarts: %u\n", (unsigned)d->restarts);
	ctl_exit_text(st, exit_text, sizeof(exit_text));
	if (exit_text[0] != '\0')
		printf("    Last exit: %s\n", exit_text);
	if (m->has_usage) {
		printf("    Memory: ");
		ctl_print_size(m->usage.mem);
		printf(" (RSS of %u process%s)\n", m->usage.procs,
		    m->usage.procs == 1 ? "" : "es");
		printf("    CPU: ");
		ctl_print_secs(stdout, (int64_t)(m->usage.cpu_usec / 1000));
		putchar('\n');
	}
	if (st->type != SERVICE_INTERNAL && st->type != SERVICE_TRIGGERED) {
		if (d->output == OUTPUT_FILE)
			printf("    Output: file %s\n", d->log_path);
		else if (d->output == OUTPUT_BUFFER)
			printf("    Output: buffer (dinitctl catlog %s)\n",
			    st->name);
		else
			printf("    Output: %s\n", ctl_output(d->output));
	}
	for (i = 0; i < m->ntail; i++)
		printf("        > %s\n", m->tail[i]);
}

/* A time of the detail record in JSON: ms since dinit started, or null. */
static void
ctl_json_time(FILE *fp, const char *key, uint64_t t, uint64_t born)
{
	if (t == 0)
		fprintf(fp, ",\"%s\":null", key);
	else
		fprintf(fp, ",\"%s\":%lld", key, (long long)(t - born));
}

/* The detail fields of status --json, after those of the status record. */
static void
ctl_json_detail(FILE *fp, const struct proto_status *st,
    const struct ctl_more *m)
{
	const struct proto_detail *d = m->d;
	int64_t	ms;
	int	i;

	ms = st->state < 4 ? ctl_span(d->entered[st->state], d->now) : -1;
	if (ms >= 0)
		fprintf(fp, ",\"in_state_ms\":%lld", (long long)ms);
	else
		fputs(",\"in_state_ms\":null", fp);
	ms = ctl_span(d->entered[SERVICE_STARTING],
	    d->entered[SERVICE_STARTED]);
	if (st->state == SERVICE_STARTED && ms >= 0)
		fprintf(fp, ",\"start_ms\":%lld", (long long)ms);
	else
		fputs(",\"start_ms\":null", fp);
	fprintf(fp, ",\"restarts\":%u,\"output\":{\"type\":\"%s\",\"path\":",
	    (unsigned)d->restarts, ctl_output(d->output));
	if (d->output == OUTPUT_FILE)
		text_json_str(fp, d->log_path);
	else
		fputs("null", fp);
	fputs("},\"times\":{\"uptime\":", fp);
	fprintf(fp, "%lld", (long long)(d->now - d->born));
	ctl_json_time(fp, "starting", d->entered[SERVICE_STARTING], d->born);
	ctl_json_time(fp, "launched", d->launched, d->born);
	ctl_json_time(fp, "started", d->entered[SERVICE_STARTED], d->born);
	ctl_json_time(fp, "stopping", d->entered[SERVICE_STOPPING], d->born);
	ctl_json_time(fp, "stopped", d->entered[SERVICE_STOPPED], d->born);
	fputc('}', fp);
	if (m->has_usage)
		fprintf(fp, ",\"usage\":{\"memory\":%llu,\"memory_kind\":"
		    "\"rss\",\"cpu_usec\":%llu,\"processes\":%u}",
		    m->usage.mem, m->usage.cpu_usec, m->usage.procs);
	else
		fputs(",\"usage\":null", fp);
	fputs(",\"output_tail\":", fp);
	if (m->ntail < 0) {
		fputs("null", fp);
		return;
	}
	fputc('[', fp);
	for (i = 0; i < m->ntail; i++) {
		if (i > 0)
			fputc(',', fp);
		text_json_str(fp, m->tail[i]);
	}
	fputc(']', fp);
}

/*
 * Print a status record as one JSON object (the documented schema), with
 * the fields of a detail record when there is one.
 */
static void
ctl_json_status(FILE *fp, const struct proto_status *st,
    const struct ctl_more *m)
{
	fputs("{\"name\":", fp);
	text_json_str(fp, st->name);
	fprintf(fp, ",\"state\":\"%s\",\"target\":\"%s\",\"type\":\"%s\"",
	    ctl_state(st->state), ctl_state(st->target),
	    st->type <= SERVICE_PLACEHOLDER ?
	    service_type_name((enum service_type)st->type) : "unknown");
	fprintf(fp, ",\"activation\":%s",
	    (st->flags & STF_EXPLICIT) ? "\"explicit\"" :
	    st->target == SERVICE_STARTED ? "\"dependents\"" : "null");
	fprintf(fp, ",\"pinned\":%s",
	    (st->flags & STF_PINNED_STARTED) ? "\"started\"" :
	    (st->flags & STF_PINNED_STOPPED) ? "\"stopped\"" : "null");
	if (st->flags & STF_HAS_PID)
		fprintf(fp, ",\"pid\":%d", (int)st->pid);
	else
		fputs(",\"pid\":null", fp);
	fprintf(fp, ",\"stop_reason\":\"%s\"",
	    st->stop_reason <= STOP_TERMINATED ?
	    service_reason_name((enum stop_reason)st->stop_reason) :
	    "unknown");
	fprintf(fp, ",\"failed\":%s", (st->flags & STF_FAILED) ?
	    "true" : "false");
	if (st->exit_kind == EXIT_KIND_EXITED)
		fprintf(fp, ",\"exit\":{\"status\":%d}", (int)st->exit_value);
	else if (st->exit_kind == EXIT_KIND_SIGNALLED)
		fprintf(fp, ",\"exit\":{\"signal\":%d}", (int)st->exit_value);
	else
		fputs(",\"exit\":null", fp);
	if (st->state == SERVICE_STOPPED &&
	    st->stop_reason == STOP_EXECFAILED) {
		fputs(",\"exec_failure\":{\"stage\":", fp);
		text_json_str(fp, service_stage_name(
		    (enum exec_stage)st->exec_stage));
		fprintf(fp, ",\"errno\":%d,\"error\":", (int)st->exec_errno);
		text_json_str(fp, strerror(st->exec_errno));
		fputc('}', fp);
	} else
		fputs(",\"exec_failure\":null", fp);
	fprintf(fp, ",\"skipped\":%s,\"modified\":%s,\"file\":",
	    (st->flags & STF_SKIPPED) ? "true" : "false",
	    (st->flags & STF_MODIFIED) ? "true" : "false");
	text_json_str(fp, st->file);
	fputs(",\"status_text\":", fp);
	text_json_str(fp, st->status_text);
	if (m != NULL)
		ctl_json_detail(fp, st, m);
	fputc('}', fp);
}

/* The detail after a state in "status": "(failed to start; ...)". */
static void
ctl_state_detail(const struct proto_status *st, char *buf, size_t len)
{
	char	exit_text[CTL_EXIT_TEXT];

	buf[0] = '\0';
	ctl_exit_text(st, exit_text, sizeof(exit_text));
	switch (st->state) {
	case SERVICE_STOPPED:
		switch (st->stop_reason) {
		case STOP_DEPRESTART:
			(void)strlcpy(buf, " (dependency restarted)", len);
			break;
		case STOP_DEPFAILED:
			(void)strlcpy(buf, " (dependency failed/terminated)",
			    len);
			break;
		case STOP_FAILED:
			(void)snprintf(buf, len, " (failed to start%s%s)",
			    exit_text[0] != '\0' ? "; " : "", exit_text);
			break;
		case STOP_TERMINATED:
			(void)snprintf(buf, len, " (terminated%s%s)",
			    exit_text[0] != '\0' ? "; " : "", exit_text);
			break;
		case STOP_TIMEDOUT:
			(void)strlcpy(buf, " (start timed out)", len);
			break;
		case STOP_EXECFAILED:
			(void)snprintf(buf, len, " (could not be launched)\n"
			    "        Stage: %s\n        Error: %s",
			    service_stage_name((enum exec_stage)st->exec_stage),
			    strerror(st->exec_errno));
			break;
		default:
			break;
		}
		break;
	case SERVICE_STARTING:
		if (st->target == SERVICE_STOPPED)
			(void)strlcpy(buf, " (target state: STOPPED)", len);
		break;
	case SERVICE_STARTED:
		if (st->flags & STF_SKIPPED)
			(void)strlcpy(buf, " (startup skipped)", len);
		break;
	case SERVICE_STOPPING:
		if (st->target == SERVICE_STARTED)
			(void)strlcpy(buf, " (target state: STARTED)", len);
		break;
	}
}

/* status: one service in detail, dinit's lines first, then ours. */
static int
ctl_status(const struct ctl_cmd *cmd, char **args, int nargs)
{
	const char		*name = args[0];
	struct proto_reader	 r;
	struct proto_status	 st;
	struct proto_detail	 d;
	struct ctl_more		 more, *mp = NULL;
	char			 detail[512];
	uint16_t		 rtype;
	int			 last = 0;

	memset(&more, 0, sizeof(more));
	more.ntail = -1;
	rtype = CLIENT_RETRY;
	if (client_speaks(PROTO_VERSION_DETAIL)) {
		/*
		 * Likely the only request (client_last).  A daemon of
		 * version 3 refuses that greeting; asked again, knowing
		 * its version, the request is not the last.
		 */
		do {
			last = client_last();
			ctl_request_name(REQ_DETAIL, name);
			rtype = ctl_reply(&r, NULL, REP_DETAIL, CLIENT_RETRY,
			    0);
		} while (rtype == CLIENT_RETRY && last &&
		    client_speaks(PROTO_VERSION_DETAIL));
		if (rtype == 0)
			return (1);
	}
	if (rtype == REP_DETAIL) {
		if (proto_get_status(&r, &st, client_version) != 0 ||
		    proto_get_detail(&r, &d, client_version) != 0)
			ctl_unexpected(REP_DETAIL);
		more.d = &d;
		mp = &more;
		ctl_measure(&st, mp);
		if (d.output == OUTPUT_BUFFER) {
			if (last)
				client_again();
			ctl_tail(name, mp);
		}
	} else {
		ctl_request_name(REQ_STATUS, name);
		if (ctl_reply(&r, &st, REP_STATUS, 0) == 0)
			return (1);
	}
	if (opts.json) {
		ctl_json_status(stdout, &st, mp);
		putchar('\n');
		free(more.tail_buf);
		return (0);
	}
	ctl_state_detail(&st, detail, sizeof(detail));
	printf("Service: %s\n", name);
	if (st.file[0] != '\0')
		printf("    File: %s%s\n", st.file,
		    (st.flags & STF_MODIFIED) ? " (modified since loaded)" :
		    "");
	printf("    State: %s%s%s\n", ctl_state(st.state), detail,
	    (st.flags & STF_CONSOLE) ? " (holding console)" :
	    (st.flags & STF_WAITING_CONSOLE) ? " (waiting for console)" : "");
	if (st.target == SERVICE_STARTED)
		printf("    Activation: %s\n", (st.flags & STF_EXPLICIT) ?
		    "explicitly started" : "start due to dependent(s)");
	if (st.flags & STF_HAS_PID)
		printf("    Process ID: %d\n", (int)st.pid);
	/* Ours, after dinit's lines. */
	if (st.flags & STF_PINNED_STARTED)
		printf("    Pinned: started\n");
	else if (st.flags & STF_PINNED_STOPPED)
		printf("    Pinned: stopped\n");
	if (st.status_text[0] != '\0')
		printf("    Status: %s\n", st.status_text);
	if (st.type == SERVICE_PROCESS || st.type == SERVICE_BGPROCESS ||
	    st.type == SERVICE_SCRIPTED)
		printf("    Process tree: %s\n", (st.flags & STF_TREE_CGROUP) ?
		    "cgroup" : (st.flags & STF_TREE_REAPER) ? "reaper" :
		    "process group");
	if (mp != NULL)
		ctl_status_detail(&st, mp);
	free(more.tail_buf);
	return (0);
}

/* is-started, is-failed: answer through the exit status. */
static int
ctl_is(const struct ctl_cmd *cmd, char **args, int nargs)
{
	struct proto_reader	r;
	struct proto_status	st;

	ctl_request_name(REQ_STATUS, args[0]);
	if (ctl_reply(&r, &st, REP_STATUS, 0) == 0)
		return (1);
	ctl_say("%s\n", ctl_state(st.state));
	if (cmd->variant)	/* is-failed */
		return ((st.flags & STF_FAILED) ? 0 : 1);
	return (st.state == SERVICE_STARTED ? 0 : 1);
}

/* Write a number in decimal at p; returns the end of it. */
static char *
ctl_put_int(char *p, int32_t n)
{
	char		digits[12];
	size_t		i = 0;
	uint32_t	u = n < 0 ? 0U - (uint32_t)n : (uint32_t)n;

	do
		digits[i++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (n < 0)
		*p++ = '-';
	while (i > 0)
		*p++ = digits[--i];
	return (p);
}

/* One line of "list". */
static void
ctl_list_line(const struct proto_status *st)
{
	char	line[PROTO_MAX_NAME + 128], *p = line, *end = line + sizeof(line);
	int	explicit = (st->flags & STF_EXPLICIT) != 0;
	int	up = st->target == SERVICE_STARTED;
	int	down = st->target == SERVICE_STOPPED;
	size_t	len;

	/* By hand: a list has a line per service, printf costs a lot more. */
	*p++ = '[';
	*p++ = explicit ? '[' : up ? '{' : ' ';
	*p++ = st->state == SERVICE_STARTED ?
	    ((st->flags & STF_SKIPPED) ? 's' : '+') : ' ';
	*p++ = explicit ? ']' : up ? '}' : ' ';
	p[0] = p[1] = st->state == SERVICE_STARTING ? '<' :
	    st->state == SERVICE_STOPPING ? '>' : ' ';
	p += 2;
	*p++ = down ? '{' : ' ';
	*p++ = st->state == SERVICE_STOPPED ?
	    ((st->flags & STF_FAILED) || (st->stop_reason ==
	    STOP_TERMINATED && st->exit_kind != EXIT_KIND_NONE &&
	    !(st->exit_kind == EXIT_KIND_EXITED && st->exit_value == 0)) ?
	    'X' : '-') : ' ';
	*p++ = down ? '}' : ' ';
	*p++ = ']';
	*p++ = ' ';
	len = strlen(st->name);		/* at most PROTO_MAX_NAME */
	memcpy(p, st->name, len);
	p += len;
	if (st->state != SERVICE_STOPPED && (st->flags & STF_HAS_PID)) {
		memcpy(p, " (pid: ", 7);
		p = ctl_put_int(p + 7, st->pid);
		*p++ = ')';
	}
	/* The rest is rare, and has room: 128 bytes were kept for it all. */
	if (st->flags & STF_CONSOLE)
		p += snprintf(p, (size_t)(end - p), " (has console)");
	else if (st->flags & STF_WAITING_CONSOLE)
		p += snprintf(p, (size_t)(end - p), " (waiting for console)");
	if (st->state == SERVICE_STOPPED &&
	    st->stop_reason == STOP_TERMINATED) {
		if (st->exit_kind == EXIT_KIND_EXITED)
			p += snprintf(p, (size_t)(end - p),
			    " (exit status: %d)", (int)st->exit_value);
		else if (st->exit_kind == EXIT_KIND_SIGNALLED)
			p += snprintf(p, (size_t)(end - p), " (signal: %d)",
			    (int)st->exit_value);
	}
	*p++ = '\n';
	(void)fwrite(line, 1, (size_t)(p - line), stdout);
}

/* A description found in a service directory. */
struct ctl_found {
	char	*name;
	char	*path;
	size_t	 dir;		/* which directory: the first one wins */
};

static int
ctl_name_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static int
ctl_found_cmp(const void *a, const void *b)
{
	const struct ctl_found	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return (c);
	return (x->dir < y->dir ? -1 : x->dir > y->dir);
}

/* Read the regular files of one service directory into found. */
static void
ctl_scan_dir(const char *dname, size_t index, struct ctl_found **found,
    size_t *nfound)
{
	struct dirent		*de;
	struct stat		 sb;
	struct ctl_found	*f;
	DIR			*dir;
	char			*path;

	if ((dir = opendir(dname)) == NULL)
		return;		/* the loader skips it too */
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dname, de->d_name) == -1)
			err(1, "out of memory");
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(path);
			continue;
		}
		*found = ctl_xalloc(mem_array(*found, *nfound + 1,
		    sizeof(**found)));
		f = &(*found)[(*nfound)++];
		f->name = ctl_xalloc(mem_strdup(de->d_name));
		f->path = path;
		f->dir = index;
	}
	(void)closedir(dir);
}

/*
 * list --all: after the loaded services, those described in the daemon's
 * service directories but not loaded, by name (where a name is in two
 * directories, the first one's, as the loader searches).
 */
static void
ctl_list_unloaded(char **loaded, size_t nloaded, int first)
{
	struct proto_writer	 w;
	struct proto_reader	 r;
	struct ctl_found	*found = NULL, *f;
	char			 dname[PROTO_MAX_NAME + 1];
	const char		*key;
	size_t			 nfound = 0, i;
	uint16_t		 n, d;

	ctl_need_detail();
	client_begin(&w, REQ_DIRS);
	client_send(&w);
	if (ctl_reply(&r, NULL, REP_DIRS, 0) == 0)
		exit(1);
	n = proto_get_u16(&r);
	for (d = 0; d < n; d++) {
		if (proto_get_str(&r, dname, sizeof(dname)) != 0)
			ctl_unexpected(REP_DIRS);
		ctl_scan_dir(dname, d, &found, &nfound);
	}
	qsort(loaded, nloaded, sizeof(*loaded), ctl_name_cmp);
	qsort(found, nfound, sizeof(*found), ctl_found_cmp);
	for (i = 0; i < nfound; i++) {
		f = &found[i];
		key = f->name;
		if ((i > 0 && strcmp(found[i - 1].name, key) == 0) ||
		    bsearch(&key, loaded, nloaded, sizeof(*loaded),
		    ctl_name_cmp) != NULL)
			continue;
		if (opts.json) {
			fputs(first ? "{\"name\":" : ",{\"name\":", stdout);
			text_json_str(stdout, key);
			fputs(",\"loaded\":false,\"file\":", stdout);
			text_json_str(stdout, f->path);
			putchar('}');
		} else
			printf("[        ] %s (not loaded)\n", key);
		first = 0;
	}
	for (i = 0; i < nfound; i++) {
		free(found[i].name);
		free(found[i].path);
	}
	free(found);
}

/*
 * list: every loaded service, one line (or one JSON array); with --all
 * also those described but not loaded.
 */
static int
ctl_list(const struct ctl_cmd *cmd, char **args, int nargs)
{
	struct proto_writer	 w;
	struct proto_reader	 r;
	struct proto_status	 st;
	uint16_t		 rtype;
	char			**loaded = NULL;
	size_t			 nloaded = 0, i;
	int			 first = 1;

	client_begin(&w, REQ_LIST);
	client_send(&w);
	if (opts.json)
		putchar('[');
	for (;;) {
		rtype = ctl_reply(&r, &st, REP_STATUS, REP_LIST_END, 0);
		if (rtype == 0)
			return (1);
		if (rtype == REP_LIST_END)
			break;
		if (opts.json) {
			if (!first)
				putchar(',');
			ctl_json_status(stdout, &st, NULL);
		} else
			ctl_list_line(&st);
		first = 0;
		if (opts.all) {
			loaded = ctl_xalloc(mem_array(loaded, nloaded + 1,
			    sizeof(*loaded)));
			loaded[nloaded++] = ctl_xalloc(mem_strdup(st.name));
		}
	}
	if (opts.all)
		ctl_list_unloaded(loaded, nloaded, first);
	if (opts.json)
		puts("]");
	for (i = 0; i < nloaded; i++)
		free(loaded[i]);
	free(loaded);
	return (0);
}

/* unpin, reload, unload, trigger, untrigger: a request, then a word. */
static int
ctl_simple(const struct ctl_cmd *cmd, char **args, int nargs)
{
	struct proto_reader	r;

	if (cmd->request == REQ_TRIGGER)	/* u8 on, str name */
		ctl_request(cmd->request, (uint8_t)cmd->variant, args[0]);
	else
		ctl_request_name(cmd->request, args[0]);
	if (ctl_reply(&r, NULL, REP_OK, REP_STATUS, 0) == 0)
		return (1);
	if (cmd->done != NULL)	/* trigger says nothing, as dinit's */
		ctl_say("Service '%s' %s.\n", args[0], cmd->done);
	return (0);
}

/* Parse a dependency type name. */
static int
ctl_dep_type(const char *s)
{
	if (strcmp(s, "need") == 0 || strcmp(s, "regular") == 0)
		return (DEP_REGULAR);
	if (strcmp(s, "milestone") == 0)
		return (DEP_MILESTONE);
	if (strcmp(s, "waits-for") == 0)
		return (DEP_WAITS_FOR);
	errx(2, "unknown dependency type '%s' (need, milestone, waits-for)",
	    s);
}

/* add-dep, rm-dep: change the graph. */
static int
ctl_dep(uint16_t type, int dtype, const char *from, const char *to,
    struct proto_status *out)
{
	struct proto_writer	w;
	struct proto_reader	r;
	struct proto_status	st;

	client_begin(&w, type);
	proto_put_u8(&w, (uint8_t)dtype);
	/* enable (out given) also starts what it links; add-dep does not. */
	proto_put_u8(&w, (out != NULL && !opts.no_wait ? REQF_WATCH : 0) |
	    (out != NULL && type == REQ_ADD_DEP ? REQF_ACTIVATE : 0));
	proto_put_str(&w, from);
	proto_put_str(&w, to);
	client_send(&w);
	if (ctl_reply(&r, &st, REP_STATUS, 0) == 0)
		return (1);
	if (out != NULL)
		*out = st;
	return (0);
}

/* add-dep, rm-dep: type, from, to. */
static int
ctl_add_dep(const struct ctl_cmd *cmd, char **args, int nargs)
{
	if (strcmp(args[1], args[2]) == 0) {
		fprintf(stderr, "dinitctl: can not add/remove a dependency "
		    "from a service to itself\n");
		return (1);
	}
	if (ctl_dep(cmd->request, ctl_dep_type(args[0]), args[1], args[2],
	    NULL) != 0)
		return (1);
	ctl_say("Service '%s': dependency '%s' %s\n", args[1], args[2],
	    cmd->done);
	return (0);
}

/* Where a service's description and waits-for.d are. */
static int
ctl_service_file(const char *name, char *file, char *via, char *wfd,
    size_t len)
{
	struct proto_reader	r;

	ctl_request_name(REQ_SERVICE_FILE, name);
	if (ctl_reply(&r, NULL, REP_FILE, 0) == 0)
		return (1);
	(void)proto_get_str(&r, file, len);
	(void)proto_get_str(&r, via, len);
	(void)proto_get_str(&r, wfd, len);
	return (0);
}

/* Find a service description offline in -d directories (or defaults). */
static struct service_desc *
ctl_offline_desc(const char *name)
{
	static const char *const sysdirs = DINIT_SERVICE_DIRS;
	struct service_desc	*desc;
	struct parse_error	 perr;
	struct environ		 env;
	struct stat		 sb;
	char			 path[PATH_MAX], base[NAME_MAX + 1],
				 buf[PARSE_ERROR_TEXT];
	char			*list, *p, *dir;
	const char		*arg;
	size_t			 i;

	if (parse_service_name(name, base, sizeof(base), &arg) != 0)
		errx(1, "invalid service name '%s'", name);
	if (opts.ndirs == 0) {
		list = ctl_xalloc(mem_strdup(sysdirs));
		for (p = list; (dir = strsep(&p, ":")) != NULL; ) {
			opts.dirs = ctl_xalloc(mem_array(opts.dirs,
			    opts.ndirs + 1, sizeof(*opts.dirs)));
			opts.dirs[opts.ndirs++] = dir;
		}
	}
	environ_init(&env);
	(void)environ_import(&env, environ);
	for (i = 0; i < opts.ndirs; i++) {
		(void)snprintf(path, sizeof(path), "%s/%s", opts.dirs[i], base);
		if (stat(path, &sb) != 0)
			continue;
		desc = parse_service(name, path, &env, &perr);
		environ_clear(&env);
		if (desc == NULL)
			errx(1, "%s", parse_error_string(&perr, buf,
			    sizeof(buf)));
		return (desc);
	}
	environ_clear(&env);
	errx(1, "service '%s' not found", name);
}

/* enable, disable: a waits-for link from --from (or enable-via, boot). */
static int
ctl_enable(const struct ctl_cmd *cmd, char **args, int nargs)
{
	const char		*name = args[0];
	int			 enable = cmd->variant;
	struct service_desc	*from_desc = NULL, *to_desc = NULL;
	struct proto_status	 st;
	char			 file[PROTO_MAX_NAME + 1];
	char			 via[PROTO_MAX_NAME + 1];
	char			 wfd[PROTO_MAX_NAME + 1];
	char			 tofile[PROTO_MAX_NAME + 1];
	char			 fromname[PROTO_MAX_NAME + 1];
	char			 link[PATH_MAX], descfile[PATH_MAX];
	const char		*from = opts.from;
	int			 rc, created = 0;

	memset(&st, 0, sizeof(st));	/* STOPPED, should rm-dep refuse */
	if (opts.offline) {
		to_desc = ctl_offline_desc(name);
		/* The link is read from waits-for.d: an absolute target. */
		if (parse_desc_file(to_desc, descfile, sizeof(descfile)) >=
		    sizeof(descfile))
			errx(1, "path too long: %s", descfile);
		if (realpath(descfile, link) == NULL)
			err(1, "%s", descfile);
		if (strlcpy(tofile, link, sizeof(tofile)) >= sizeof(tofile))
			errx(1, "path too long: %s", link);
		if (from == NULL)
			from = to_desc->rare->enable_via != NULL ?
			    to_desc->rare->enable_via : "boot";
		from_desc = ctl_offline_desc(from);
		if (from_desc->rare->waits_for_d == NULL)
			errx(1, "service '%s' has no waits-for.d directory",
			    from);
		(void)strlcpy(wfd, from_desc->rare->waits_for_d, sizeof(wfd));
	} else {
		if ((rc = ctl_service_file(name, tofile, via, wfd,
		    sizeof(tofile))) != 0)
			return (rc);
		/* Copied: the next answer overwrites via. */
		if (from == NULL)
			from = via[0] != '\0' ? via : "boot";
		if (strlcpy(fromname, from, sizeof(fromname)) >=
		    sizeof(fromname))
			errx(1, "service name too long: %s", from);
		from = fromname;
		if (strchr(from, '@') != NULL)
			errx(1, "cannot enable/disable from a service with "
			    "argument (service@arg).");
		if ((rc = ctl_service_file(from, file, via, wfd,
		    sizeof(file))) != 0)
			return (rc);
		if (wfd[0] == '\0')
			errx(1, "service '%s' has no waits-for.d directory",
			    from);
	}
	if ((size_t)snprintf(link, sizeof(link), "%s/%s", wfd, name) >=
	    sizeof(link))
		errx(1, "path too long");
	if (enable) {
		if (mkdir(wfd, 0755) != 0 && errno != EEXIST)
			err(1, "%s", wfd);
		if (symlink(tofile, link) == 0)
			created = 1;
		else if (errno == EEXIST)
			errx(1, "service already enabled.");
		else
			err(1, "cannot create %s", link);
	} else if (unlink(link) != 0 && errno != ENOENT)
		err(1, "cannot remove %s", link);
	if (opts.offline) {
		ctl_say("Service '%s' has been %s.\n", name, cmd->done);
		parse_desc_free(from_desc);
		parse_desc_free(to_desc);
		return (0);
	}
	rc = ctl_dep(cmd->request, DEP_WAITS_FOR, from, name, &st);
	if (rc != 0 && !enable)
		rc = 0;		/* the link is gone; no edge was loaded */
	if (rc != 0) {
		/* Refused (a cycle, say): leave no link behind. */
		if (created)
			(void)unlink(link);
		return (rc);
	}
	/* dinit's order: enabled, then how the start went. */
	ctl_say("Service '%s' has been %s.\n", name, cmd->done);
	if (enable && !opts.no_wait && st.state != SERVICE_STARTED &&
	    st.target == SERVICE_STARTED)
		return (ctl_wait(name, 1, 0));
	if (!enable && st.target != SERVICE_STOPPED)
		fprintf(stderr, "dinitctl: note: disabled service may have "
		    "other dependents\n");
	return (0);
}

/*
 * is-enabled: "enabled" when the service is linked from the waits-for.d
 * of the service that enable would link it from (--from, its enable-via,
 * or boot), "static" when that service needs it by its description
 * instead (disable cannot take it away), "disabled" otherwise.  Exit 0
 * only for enabled, as systemctl's.
 */
static int
ctl_is_enabled(const struct ctl_cmd *cmd, char **args, int nargs)
{
	const char		*name = args[0], *from = opts.from, *word;
	struct service_desc	*from_desc = NULL, *to_desc = NULL;
	struct proto_writer	 w;
	struct proto_reader	 r;
	struct stat		 sb;
	char			 file[PROTO_MAX_NAME + 1];
	char			 via[PROTO_MAX_NAME + 1];
	char			 wfd[PROTO_MAX_NAME + 1];
	char			 fromname[PROTO_MAX_NAME + 1];
	char			 link[PATH_MAX], dep[PROTO_MAX_NAME + 1];
	char			 dfrom[PROTO_MAX_NAME + 1];
	uint16_t		 rtype;
	uint8_t			 type;
	size_t			 i;
	int			 is_static = 0;

	if (opts.offline) {
		to_desc = ctl_offline_desc(name);
		if (from == NULL)
			from = to_desc->rare->enable_via != NULL ?
			    to_desc->rare->enable_via : "boot";
		from_desc = ctl_offline_desc(from);
		(void)strlcpy(wfd, from_desc->rare->waits_for_d != NULL ?
		    from_desc->rare->waits_for_d : "", sizeof(wfd));
		for (i = 0; i < from_desc->ndeps; i++) {
			if (from_desc->deps[i].from_dir == 0 &&
			    from_desc->deps[i].type != DEP_AFTER &&
			    from_desc->deps[i].type != DEP_BEFORE &&
			    strcmp(from_desc->deps[i].name, name) == 0)
				is_static = 1;
		}
	} else {
		if (ctl_service_file(name, file, via, wfd, sizeof(file)) != 0)
			return (1);
		if (from == NULL)
			from = via[0] != '\0' ? via : "boot";
		(void)strlcpy(fromname, from, sizeof(fromname));
		from = fromname;
		if (ctl_service_file(from, file, via, wfd, sizeof(file)) != 0)
			return (1);
		ctl_need_detail();
		client_begin(&w, REQ_EDGES);
		client_send(&w);
		while ((rtype = ctl_reply(&r, NULL, REP_EDGE, REP_LIST_END,
		    0)) == REP_EDGE) {
			type = proto_get_u8(&r);
			(void)proto_get_str(&r, dfrom, sizeof(dfrom));
			(void)proto_get_str(&r, dep, sizeof(dep));
			if (type != DEP_AFTER && type != DEP_BEFORE &&
			    strcmp(dfrom, from) == 0 && strcmp(dep, name) == 0)
				is_static = 1;
		}
		if (rtype == 0)
			return (1);
	}
	word = is_static ? "static" : "disabled";
	if (wfd[0] != '\0' && (size_t)snprintf(link, sizeof(link), "%s/%s",
	    wfd, name) < sizeof(link) && lstat(link, &sb) == 0)
		word = "enabled";
	parse_desc_free(from_desc);
	parse_desc_free(to_desc);
	ctl_say("%s\n", word);
	return (strcmp(word, "enabled") == 0 ? 0 : 1);
}

/* setenv, unsetenv. */
static int
ctl_setenv(const struct ctl_cmd *cmd, char **args, int nargs)
{
	int			 set = cmd->variant;
	struct proto_writer	 w;
	struct proto_reader	 r;
	const char		*value, *eq;
	char			 name[PROTO_MAX_NAME + 1];
	int			 i;

	for (i = 0; i < nargs; i++) {
		eq = strchr(args[i], '=');
		if (!set && eq != NULL)
			errx(2, "unsetenv takes names only: %s", args[i]);
		if (eq != NULL) {
			if ((size_t)(eq - args[i]) >= sizeof(name) ||
			    eq == args[i])
				errx(1, "bad variable name in '%s'", args[i]);
			memcpy(name, args[i], (size_t)(eq - args[i]));
			name[eq - args[i]] = '\0';
			value = eq + 1;
		} else {
			if (strlcpy(name, args[i], sizeof(name)) >=
			    sizeof(name) || name[0] == '\0')
				errx(1, "bad variable name '%s'", args[i]);
			value = set ? getenv(name) : NULL;
			if (set && value == NULL)
				errx(1, "%s is not set in this environment",
				    name);
		}
		client_begin(&w, REQ_SETENV);
		proto_put_u8(&w, (uint8_t)set);
		proto_put_str(&w, name);
		proto_put_str(&w, value != NULL ? value : "");
		client_send(&w);
		if (ctl_reply(&r, NULL, REP_OK, 0) == 0)
			return (1);
	}
	return (0);
}

/* When a line of the log arrived, as catlog --timestamps prints it. */
struct ctl_stamp {
	uint32_t	offset;		/* of the line's first byte */
	uint32_t	sec;
	uint16_t	ms;
};

/* Print a log line's stamp, or room for one when it has none. */
static void
ctl_catlog_stamp(const struct ctl_stamp *st)
{
	char		buf[32];
	time_t		t;
	struct tm	tm;

	if (st == NULL) {
		printf("%-23s ", "-");
		return;
	}
	t = (time_t)st->sec;
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		(void)snprintf(buf, sizeof(buf), "%lu", (unsigned long)st->sec);
	printf("%s.%03u ", buf, (unsigned)st->ms);
}

/* Print the log's bytes, each line after the stamp of its first byte. */
static void
ctl_catlog_stamped(const uint8_t *data, size_t len,
    const struct ctl_stamp *st, size_t nst)
{
	const uint8_t	*nl;
	size_t		 at, k, i = 0;

	for (at = 0; at < len; at += k) {
		while (i < nst && st[i].offset < at)
			i++;
		ctl_catlog_stamp(i < nst && st[i].offset == at ? &st[i] : NULL);
		nl = memchr(data + at, '\n', len - at);
		k = nl != NULL ? (size_t)(nl - (data + at)) + 1 : len - at;
		(void)fwrite(data + at, 1, k, stdout);
	}
}

/* catlog: what a buffered service wrote, the loss said on stderr. */
static int
ctl_catlog(const struct ctl_cmd *cmd, char **args, int nargs)
{
	const char		*name = args[0];
	struct proto_reader	 r;
	struct ctl_stamp	*st;
	const uint8_t		*data;
	uint8_t			 flags;
	uint32_t		 dropped, nst, i;
	size_t			 len;

	ctl_request(REQ_CATLOG, (uint8_t)((opts.clear ? CATLOGF_CLEAR : 0) |
	    (opts.timestamps ? CATLOGF_TIMESTAMPS : 0)), name);
	if (ctl_reply(&r, NULL, REP_LOG, 0) == 0)
		return (1);
	flags = proto_get_u8(&r);
	dropped = proto_get_u32(&r);
	nst = proto_get_u32(&r);
	if (nst > r.left / 10)
		errx(1, "malformed reply from the daemon");
	st = ctl_xalloc(mem_array(NULL, nst + 1, sizeof(*st)));
	for (i = 0; i < nst; i++) {
		st[i].offset = proto_get_u32(&r);
		st[i].sec = proto_get_u32(&r);
		st[i].ms = proto_get_u16(&r);
	}
	len = r.left;
	data = proto_get_bytes(&r, len);
	if (opts.timestamps)
		ctl_catlog_stamped(data, len, st, nst);
	else if (len > 0)
		(void)fwrite(data, 1, len, stdout);
	free(st);
	if (len > 0 && data[len - 1] != '\n')
		printf("\n(last line is truncated or incomplete)\n");
	(void)fflush(stdout);
	if (dropped > 0)
		fprintf(stderr, "dinitctl: %lu bytes of earlier output were "
		    "dropped: the buffer was full\n", (unsigned long)dropped);
	if (flags & LOGF_TRUNCATED)
		fprintf(stderr, "dinitctl: only the last %zu bytes of the "
		    "buffer fit in a reply\n", len);
	return (0);
}

/* signal -l: the signal names dinitctl knows, with their numbers. */
static int
ctl_signal_list(const struct ctl_cmd *cmd, char **args, int nargs)
{
	static const char *const names[] = {
		"HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "TERM", "CONT",
		"STOP", "INFO"
	};
	size_t	i;
	int	sig;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if ((sig = parse_signal(names[i])) > 0)
			printf("%s: %d\n", names[i], sig);
	}
	return (0);
}

/* signal: send a signal to a service's process. */
static int
ctl_signal(const struct ctl_cmd *cmd, char **args, int nargs)
{
	const char		*name = args[1];
	struct proto_writer	 w;
	struct proto_reader	 r;
	int			 sig;

	if ((sig = parse_signal(args[0])) <= 0) {
		/* dinit's words: a number reaches dinit, which refuses it. */
		if (args[0][strspn(args[0], "0123456789")] == '\0')
			fprintf(stderr, "dinitctl: provided signal was "
			    "invalid.\n");
		else
			fprintf(stderr, "dinitctl: '%s' is not a valid signal "
			    "name/number\n", args[0]);
		return (1);
	}
	client_begin(&w, REQ_SIGNAL);
	proto_put_i32(&w, sig);
	proto_put_str(&w, name);
	client_send(&w);
	if (ctl_reply(&r, NULL, REP_OK, 0) == 0)
		return (1);
	return (0);
}

/* shutdown: ask the daemon to stop everything, and wait for it. */
static int
ctl_shutdown(const struct ctl_cmd *cmd, char **args, int nargs)
{
	struct proto_writer	w;
	struct proto_reader	r;

	client_begin(&w, REQ_SHUTDOWN);
	proto_put_u8(&w, SHUTDOWN_HALT);
	client_send(&w);
	if (ctl_reply(&r, NULL, REP_OK, 0) == 0)
		return (1);
	ctl_say("Shutting down dinit...\n");
	while (client_recv(&r) != 0)
		;
	ctl_say("Connection closed.\n");
	return (0);
}

/* monitor: print every state change of the named services (or all). */
static int
ctl_monitor(const struct ctl_cmd *cmd, char **names, int n)
{
	static const char *const events[] = {
		"started", "stopped", "failed", "start cancelled",
		"stop cancelled"
	};
	struct proto_writer	w;
	struct proto_reader	r;
	struct proto_status	st;
	uint16_t		rtype;
	uint8_t			event;
	int			i;

	client_begin(&w, REQ_MONITOR);
	proto_put_u16(&w, (uint16_t)n);
	for (i = 0; i < n; i++)
		proto_put_str(&w, names[i]);
	client_send(&w);
	if (ctl_reply(&r, NULL, REP_OK, 0) == 0)
		return (1);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((rtype = client_recv(&r)) != 0) {
		if (rtype != REP_EVENT)
			continue;
		event = proto_get_u8(&r);
		if (proto_get_status(&r, &st, client_version) != 0 ||
		    event > 4)
			errx(1, "malformed event from dinit");
		if (opts.json) {
			printf("{\"event\":\"%s\",\"service\":", events[event]);
			ctl_json_status(stdout, &st, NULL);
			printf("}\n");
		} else
			printf("%s: %s (state %s)\n", st.name, events[event],
			    ctl_state(st.state));
	}
	return (0);
}

/* A loaded service as timeline and graph see it. */
struct ctl_node {
	struct proto_status	 st;
	struct proto_detail	 d;
	size_t			 held_by;	/* timeline: a node, or -1 */
	int			 mark;		/* graph: reachable */
};

/* A dependency: from needs (or is ordered after) to. */
struct ctl_edge {
	size_t		from;
	size_t		to;
	uint8_t		type;
};

static struct ctl_node	*ctl_nodes;
static size_t		 ctl_nnodes;
static struct ctl_edge	*ctl_edges;
static size_t		 ctl_nedges;

static const char *const ctl_dep_names[] = {
	"depends-on", "depends-ms", "waits-for", "prepared-by", "after",
	"before"
};

/* A dependency type in the words of a description. */
static const char *
ctl_dep_name(uint8_t type)
{
	return (type <= DEP_BEFORE ? ctl_dep_names[type] : "unknown");
}

static int
ctl_node_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct ctl_node *)a)->st.name,
	    ((const struct ctl_node *)b)->st.name));
}

/* The node of a name, or -1. */
static size_t
ctl_node_find(const char *name)
{
	size_t	lo = 0, hi = ctl_nnodes, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(name, ctl_nodes[mid].st.name)) == 0)
			return (mid);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return ((size_t)-1);
}

/*
 * Read every loaded service with its detail, and every edge between
 * them, sorted by name.  0, or 1 when dinit refused.
 */
static int
ctl_read_graph(void)
{
	struct proto_writer	 w;
	struct proto_reader	 r;
	struct ctl_node		*n;
	char			 from[PROTO_MAX_NAME + 1], to[PROTO_MAX_NAME + 1];
	uint16_t		 rtype;
	uint8_t			 type;

	ctl_need_detail();
	client_begin(&w, REQ_LIST_DETAIL);
	client_send(&w);
	client_begin(&w, REQ_EDGES);
	client_send(&w);
	while ((rtype = ctl_reply(&r, NULL, REP_DETAIL, REP_LIST_END, 0)) ==
	    REP_DETAIL) {
		ctl_nodes = ctl_xalloc(mem_array(ctl_nodes, ctl_nnodes + 1,
		    sizeof(*ctl_nodes)));
		n = &ctl_nodes[ctl_nnodes++];
		memset(n, 0, sizeof(*n));
		if (proto_get_status(&r, &n->st, client_version) != 0 ||
		    proto_get_detail(&r, &n->d, client_version) != 0)
			ctl_unexpected(rtype);
	}
	if (rtype == 0)
		return (1);
	qsort(ctl_nodes, ctl_nnodes, sizeof(*ctl_nodes), ctl_node_cmp);
	while ((rtype = ctl_reply(&r, NULL, REP_EDGE, REP_LIST_END, 0)) ==
	    REP_EDGE) {
		type = proto_get_u8(&r);
		(void)proto_get_str(&r, from, sizeof(from));
		(void)proto_get_str(&r, to, sizeof(to));
		if (!proto_done(&r))
			ctl_unexpected(rtype);
		ctl_edges = ctl_xalloc(mem_array(ctl_edges, ctl_nedges + 1,
		    sizeof(*ctl_edges)));
		ctl_edges[ctl_nedges].type = type;
		ctl_edges[ctl_nedges].from = ctl_node_find(from);
		ctl_edges[ctl_nedges].to = ctl_node_find(to);
		if (ctl_edges[ctl_nedges].from != (size_t)-1 &&
		    ctl_edges[ctl_nedges].to != (size_t)-1)
			ctl_nedges++;
	}
	return (rtype == 0);
}

/*
 * Of an edge, the service that starts first and the one that waits for
 * it: a "before" points the other way.
 */
static void
ctl_edge_order(const struct ctl_edge *e, size_t *first, size_t *then)
{
	if (e->type == DEP_BEFORE) {
		*first = e->from;
		*then = e->to;
	} else {
		*first = e->to;
		*then = e->from;
	}
}

/* Print a string as a DOT quoted string; odd bytes as \xNN. */
static void
ctl_dot_str(FILE *fp, const char *s)
{
	const unsigned char	*p;
	size_t			 n;

	fputc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		n = text_utf8_len(p);
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f || n == 0)
			fprintf(fp, "\\\\x%02x", *p);
		else
			fwrite(p, 1, n, fp);
		if (n == 0)
			n = 1;
	}
	fputc('"', fp);
}

/* Mark what a service needs, directly or not (a work list, no recursion). */
static void
ctl_mark_reachable(size_t root)
{
	size_t	*stack, top = 0, i, n;

	stack = ctl_xalloc(mem_array(NULL, ctl_nnodes + 1, sizeof(*stack)));
	ctl_nodes[root].mark = 1;
	stack[top++] = root;
	while (top > 0) {
		n = stack[--top];
		for (i = 0; i < ctl_nedges; i++) {
			if (ctl_edges[i].from != n ||
			    ctl_nodes[ctl_edges[i].to].mark)
				continue;
			ctl_nodes[ctl_edges[i].to].mark = 1;
			stack[top++] = ctl_edges[i].to;
		}
	}
	free(stack);
}

/* The DOT style of a dependency type (those of dinit-import --graph). */
static const char *
ctl_dot_style(uint8_t type)
{
	switch (type) {
	case DEP_REGULAR:
	case DEP_PREPARED_BY:
		return ("solid");
	case DEP_MILESTONE:
		return ("bold");
	case DEP_WAITS_FOR:
		return ("dashed");
	default:
		return ("dotted");
	}
}

/* graph: the loaded dependency graph in Graphviz DOT (or JSON). */
static int
ctl_graph(const struct ctl_cmd *cmd, char **args, int nargs)
{
	struct ctl_edge	*e;
	size_t		 i, first, then;
	int		 comma = 0;

	if (ctl_read_graph() != 0)
		return (1);
	for (i = 0; i < ctl_nnodes; i++)
		ctl_nodes[i].mark = nargs == 0;
	if (nargs > 0) {
		if ((i = ctl_node_find(args[0])) == (size_t)-1) {
			fprintf(stderr, "dinitctl: service not loaded.\n");
			return (1);
		}
		ctl_mark_reachable(i);
	}
	if (opts.json) {
		fputs("{\"nodes\":[", stdout);
		for (i = 0; i < ctl_nnodes; i++) {
			if (!ctl_nodes[i].mark)
				continue;
			fputs(comma++ ? ",{\"name\":" : "{\"name\":", stdout);
			text_json_str(stdout, ctl_nodes[i].st.name);
			printf(",\"type\":\"%s\",\"state\":\"%s\"}",
			    ctl_nodes[i].st.type <= SERVICE_PLACEHOLDER ?
			    service_type_name((enum service_type)
			    ctl_nodes[i].st.type) : "unknown",
			    ctl_state(ctl_nodes[i].st.state));
		}
		fputs("],\"edges\":[", stdout);
		comma = 0;
	} else {
		printf("digraph \"dinit\" {\n\trankdir = TB;\n");
		for (i = 0; i < ctl_nnodes; i++) {
			if (!ctl_nodes[i].mark)
				continue;
			putchar('\t');
			ctl_dot_str(stdout, ctl_nodes[i].st.name);
			printf(" [shape = %s];\n",
			    ctl_nodes[i].st.type == SERVICE_INTERNAL ||
			    ctl_nodes[i].st.type == SERVICE_TRIGGERED ?
			    "ellipse" : "box");
		}
	}
	for (e = ctl_edges; e < ctl_edges + ctl_nedges; e++) {
		if (!ctl_nodes[e->from].mark || !ctl_nodes[e->to].mark)
			continue;
		if (opts.json) {
			fputs(comma++ ? ",{\"from\":" : "{\"from\":", stdout);
			text_json_str(stdout, ctl_nodes[e->from].st.name);
			fputs(",\"to\":", stdout);
			text_json_str(stdout, ctl_nodes[e->to].st.name);
			printf(",\"type\":\"%s\"}", ctl_dep_name(e->type));
			continue;
		}
		/* The arrow runs in start order, as dinit-import's. */
		ctl_edge_order(e, &first, &then);
		putchar('\t');
		ctl_dot_str(stdout, ctl_nodes[first].st.name);
		fputs(" -> ", stdout);
		ctl_dot_str(stdout, ctl_nodes[then].st.name);
		printf(" [label = \"%s\", style = %s];\n", ctl_dep_name(e->type),
		    ctl_dot_style(e->type));
	}
	puts(opts.json ? "]}" : "}");
	return (0);
}

/* When a node was asked for, launched and became ready, or 0. */
static uint64_t
ctl_asked(const struct ctl_node *n)
{
	return (n->d.entered[SERVICE_STARTING]);
}

static uint64_t
ctl_launched(const struct ctl_node *n)
{
	return (n->d.launched >= ctl_asked(n) ? n->d.launched : 0);
}

static uint64_t
ctl_ready(const struct ctl_node *n)
{
	uint64_t	t = n->d.entered[SERVICE_STARTED];

	return (ctl_asked(n) != 0 && t >= ctl_asked(n) ? t : 0);
}

/* Timeline order: by when asked for, then by name. */
static int
ctl_timeline_cmp(const void *a, const void *b)
{
	const struct ctl_node	*x = &ctl_nodes[*(const size_t *)a];
	const struct ctl_node	*y = &ctl_nodes[*(const size_t *)b];

	if (ctl_asked(x) != ctl_asked(y))
		return (ctl_asked(x) < ctl_asked(y) ? -1 : 1);
	return (strcmp(x->st.name, y->st.name));
}

/*
 * For each service asked for, the dependency that held it back: the one
 * that became ready last before it could go on.
 */
static void
ctl_find_held_by(void)
{
	struct ctl_edge	*e;
	size_t		 first, then, i;
	uint64_t	 limit, best;

	for (i = 0; i < ctl_nnodes; i++)
		ctl_nodes[i].held_by = (size_t)-1;
	for (e = ctl_edges; e < ctl_edges + ctl_nedges; e++) {
		ctl_edge_order(e, &first, &then);
		if (ctl_asked(&ctl_nodes[then]) == 0 ||
		    ctl_ready(&ctl_nodes[first]) == 0)
			continue;
		limit = ctl_launched(&ctl_nodes[then]) != 0 ?
		    ctl_launched(&ctl_nodes[then]) :
		    ctl_ready(&ctl_nodes[then]);
		if (limit == 0)
			limit = ctl_nodes[then].d.now;
		if (ctl_ready(&ctl_nodes[first]) > limit)
			continue;
		i = ctl_nodes[then].held_by;
		best = i != (size_t)-1 ? ctl_ready(&ctl_nodes[i]) : 0;
		if (ctl_ready(&ctl_nodes[first]) > best)
			ctl_nodes[then].held_by = first;
	}
}

/* How long a service waited for the one that held it back, or -1. */
static int64_t
ctl_held_ms(const struct ctl_node *n)
{
	if (n->held_by == (size_t)-1)
		return (-1);
	return (ctl_span(ctl_asked(n), ctl_ready(&ctl_nodes[n->held_by])));
}

/* The service that became ready last: the end of the critical chain. */
static size_t
ctl_chain_end(const size_t *order, size_t n)
{
	const struct ctl_node	*c;
	size_t			 i, end = (size_t)-1;
	uint64_t		 best = 0;

	/* Of two ready at once, the one that waited for the other. */
	for (i = 0; i < n; i++) {
		c = &ctl_nodes[order[i]];
		if (ctl_ready(c) != 0 && (ctl_ready(c) > best ||
		    (ctl_ready(c) == best && c->held_by == end))) {
			end = order[i];
			best = ctl_ready(c);
		}
	}
	return (end);
}

/* A time of the timeline as text: seconds since dinit started, or "-". */
static void
ctl_timeline_cell(char *buf, size_t len, uint64_t t, uint64_t born)
{
	int64_t	ms = (int64_t)(t - born);

	if (t == 0)
		(void)strlcpy(buf, "-", len);
	else
		(void)snprintf(buf, len, "%lld.%03llds", (long long)(ms / 1000),
		    (long long)(ms % 1000));
}

/* The timeline as a table, then the critical chain. */
static void
ctl_timeline_text(const size_t *order, size_t n)
{
	const struct ctl_node	*s;
	char			 asked[32], launched[32], ready[32], took[32];
	size_t			 i, k, steps;
	int64_t			 held;

	printf("%9s %9s %9s %9s  %s\n", "ASKED", "LAUNCHED", "READY", "TOOK",
	    "SERVICE (HELD BACK BY)");
	for (i = 0; i < n; i++) {
		s = &ctl_nodes[order[i]];
		ctl_timeline_cell(asked, sizeof(asked), ctl_asked(s),
		    s->d.born);
		ctl_timeline_cell(launched, sizeof(launched), ctl_launched(s),
		    s->d.born);
		ctl_timeline_cell(ready, sizeof(ready), ctl_ready(s),
		    s->d.born);
		ctl_timeline_cell(took, sizeof(took), ctl_ready(s) != 0 ?
		    s->d.born + (ctl_ready(s) - ctl_asked(s)) : 0, s->d.born);
		printf("%9s %9s %9s %9s  %s", asked, launched, ready, took,
		    s->st.name);
		if ((held = ctl_held_ms(s)) >= 0) {
			printf(" (%s ", ctl_nodes[s->held_by].st.name);
			ctl_print_secs(stdout, held);
			putchar(')');
		}
		putchar('\n');
	}
	if ((k = ctl_chain_end(order, n)) == (size_t)-1)
		return;
	printf("\ncritical chain:\n");
	for (steps = 0; k != (size_t)-1 && steps <= ctl_nnodes; steps++) {
		s = &ctl_nodes[k];
		ctl_timeline_cell(ready, sizeof(ready), ctl_ready(s),
		    s->d.born);
		printf("  %s%s ready at %s\n", steps > 0 ? "<- " : "",
		    s->st.name, ready);
		k = s->held_by;
	}
}

/* A time of the timeline in JSON: ms since dinit started, or null. */
static void
ctl_timeline_json_time(const char *key, uint64_t t, uint64_t born)
{
	if (t == 0)
		printf(",\"%s\":null", key);
	else
		printf(",\"%s\":%lld", key, (long long)(t - born));
}

/* The timeline as one JSON object. */
static void
ctl_timeline_json(const size_t *order, size_t n)
{
	const struct ctl_node	*s;
	size_t			 i, k, steps;
	int64_t			 held;

	printf("{\"uptime_ms\":%lld,\"services\":[", ctl_nnodes > 0 ?
	    (long long)(ctl_nodes[0].d.now - ctl_nodes[0].d.born) : 0LL);
	for (i = 0; i < n; i++) {
		s = &ctl_nodes[order[i]];
		fputs(i > 0 ? ",{\"name\":" : "{\"name\":", stdout);
		text_json_str(stdout, s->st.name);
		ctl_timeline_json_time("asked", ctl_asked(s), s->d.born);
		ctl_timeline_json_time("launched", ctl_launched(s), s->d.born);
		ctl_timeline_json_time("ready", ctl_ready(s), s->d.born);
		if (ctl_ready(s) != 0)
			printf(",\"took_ms\":%lld",
			    (long long)(ctl_ready(s) - ctl_asked(s)));
		else
			fputs(",\"took_ms\":null", stdout);
		fputs(",\"held_by\":", stdout);
		if ((held = ctl_held_ms(s)) >= 0) {
			text_json_str(stdout, ctl_nodes[s->held_by].st.name);
			printf(",\"held_ms\":%lld}", (long long)held);
		} else
			fputs("null,\"held_ms\":null}", stdout);
	}
	fputs("],\"critical_chain\":[", stdout);
	k = ctl_chain_end(order, n);
	for (steps = 0; k != (size_t)-1 && steps <= ctl_nnodes; steps++) {
		if (steps > 0)
			putchar(',');
		text_json_str(stdout, ctl_nodes[k].st.name);
		k = ctl_nodes[k].held_by;
	}
	puts("]}");
}

/* Text in XML: markup escaped, odd bytes as \xNN (XML cannot hold them). */
static void
ctl_xml_str(FILE *fp, const char *s)
{
	const unsigned char	*p;
	size_t			 n;

	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		n = text_utf8_len(p);
		if (*p == '&')
			fputs("&amp;", fp);
		else if (*p == '<')
			fputs("&lt;", fp);
		else if (*p == '>')
			fputs("&gt;", fp);
		else if (*p == '"')
			fputs("&quot;", fp);
		else if (*p < 0x20 || *p == 0x7f || n == 0)
			fprintf(fp, "\\x%02x", *p);
		else
			fwrite(p, 1, n, fp);
		if (n == 0)
			n = 1;
	}
}

#define SVG_LEFT	10	/* margin, px */
#define SVG_WIDTH	800	/* the time axis, px */
#define SVG_TOP		50	/* title and axis, px */
#define SVG_ROW		22	/* a service, px */

/*
 * The timeline as a standalone SVG Gantt chart, in the manner of
 * systemd-analyze plot: a row per service, grey while it waited for its
 * dependencies, blue from launch to ready (red when not ready), its name
 * and start time after the bar, and a thin line from each dependency's
 * ready to the start of what waited for it.
 */
static void
ctl_timeline_svg(FILE *fp, const size_t *order, size_t n)
{
	const struct ctl_node	*s;
	struct ctl_edge		*e;
	uint64_t		 origin, end = 0, t, tick, mag, now;
	size_t			*row, i, first, then;
	double			 scale, x0, x1, x2;
	int			 height;

	origin = n > 0 ? ctl_asked(&ctl_nodes[order[0]]) : 0;
	now = ctl_nnodes > 0 ? ctl_nodes[0].d.now : 0;
	for (i = 0; i < n; i++) {
		t = ctl_ready(&ctl_nodes[order[i]]);
		if ((t != 0 ? t : now) > end)
			end = t != 0 ? t : now;
	}
	scale = end > origin ? (double)SVG_WIDTH / (double)(end - origin) :
	    1.0;
	height = SVG_TOP + (int)n * SVG_ROW + 20;
	row = ctl_xalloc(mem_array(NULL, ctl_nnodes + 1, sizeof(*row)));
	for (i = 0; i < ctl_nnodes; i++)
		row[i] = (size_t)-1;
	for (i = 0; i < n; i++)
		row[order[i]] = i;
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
	    SVG_LEFT * 2 + SVG_WIDTH + 300, height,
	    SVG_LEFT * 2 + SVG_WIDTH + 300, height);
	fprintf(fp, "<title>dinit timeline</title>\n<style>\n"
	    "text { font-family: sans-serif; font-size: 12px; }\n"
	    ".wait { fill: #d0d0d0; }\n.run { fill: #4a86c8; }\n"
	    ".unready { fill: #d04a4a; }\n.grid { stroke: #e8e8e8; }\n"
	    ".dep { stroke: #808080; stroke-width: 0.7; fill: none; }\n"
	    "</style>\n");
	fprintf(fp, "<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" "
	    "fill=\"white\"/>\n");
	fprintf(fp, "<text x=\"%d\" y=\"18\">dinit: %zu services, ready "
	    "after ", SVG_LEFT, n);
	ctl_print_secs(fp, (int64_t)(end - origin));
	fprintf(fp, "</text>\n");
	/* About ten ticks, at a round number of milliseconds. */
	for (mag = tick = 1; (end - origin) / tick > 10; ) {
		if (tick == mag)
			tick = 2 * mag;
		else if (tick == 2 * mag)
			tick = 5 * mag;
		else
			tick = mag *= 10;
	}
	for (t = 0; t <= end - origin; t += tick) {
		x0 = SVG_LEFT + (double)t * scale;
		fprintf(fp, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" "
		    "x2=\"%.1f\" y2=\"%d\"/>\n<text x=\"%.1f\" y=\"%d\">",
		    x0, SVG_TOP - 5, x0, height - 15, x0, SVG_TOP - 10);
		ctl_print_secs(fp, (int64_t)t);
		fprintf(fp, "</text>\n");
	}
	for (e = ctl_edges; e < ctl_edges + ctl_nedges; e++) {
		ctl_edge_order(e, &first, &then);
		if (row[first] == (size_t)-1 || row[then] == (size_t)-1 ||
		    ctl_ready(&ctl_nodes[first]) == 0)
			continue;
		s = &ctl_nodes[then];
		t = ctl_launched(s) != 0 ? ctl_launched(s) : ctl_asked(s);
		fprintf(fp, "<line class=\"dep\" x1=\"%.1f\" y1=\"%zu\" "
		    "x2=\"%.1f\" y2=\"%zu\"/>\n", SVG_LEFT +
		    (double)(ctl_ready(&ctl_nodes[first]) - origin) * scale,
		    SVG_TOP + row[first] * SVG_ROW + SVG_ROW / 2,
		    SVG_LEFT + (double)(t - origin) * scale,
		    SVG_TOP + row[then] * SVG_ROW + SVG_ROW / 2);
	}
	for (i = 0; i < n; i++) {
		s = &ctl_nodes[order[i]];
		x0 = SVG_LEFT + (double)(ctl_asked(s) - origin) * scale;
		t = ctl_launched(s) != 0 ? ctl_launched(s) :
		    ctl_ready(s) != 0 ? ctl_ready(s) : now;
		x1 = SVG_LEFT + (double)(t - origin) * scale;
		t = ctl_ready(s) != 0 ? ctl_ready(s) : now;
		x2 = SVG_LEFT + (double)(t - origin) * scale;
		fprintf(fp, "<g><title>");
		ctl_xml_str(fp, s->st.name);
		fprintf(fp, "</title>\n<rect class=\"wait\" x=\"%.1f\" "
		    "y=\"%zu\" width=\"%.1f\" height=\"%d\"/>\n", x0,
		    SVG_TOP + i * SVG_ROW + 2, x1 - x0, SVG_ROW - 4);
		fprintf(fp, "<rect class=\"%s\" x=\"%.1f\" y=\"%zu\" "
		    "width=\"%.1f\" height=\"%d\"/>\n",
		    ctl_ready(s) != 0 ? "run" : "unready", x1,
		    SVG_TOP + i * SVG_ROW + 2, x2 > x1 ? x2 - x1 : 1.0,
		    SVG_ROW - 4);
		fprintf(fp, "<text x=\"%.1f\" y=\"%zu\">", x2 + 4,
		    SVG_TOP + i * SVG_ROW + SVG_ROW - 7);
		ctl_xml_str(fp, s->st.name);
		fputs(" (", fp);
		if (ctl_ready(s) != 0)
			ctl_print_secs(fp, (int64_t)(ctl_ready(s) -
			    ctl_asked(s)));
		else
			fputs("not ready", fp);
		fputs(")</text></g>\n", fp);
	}
	fputs("</svg>\n", fp);
	free(row);
}

/* timeline: when each service was asked for, launched and ready. */
static int
ctl_timeline(const struct ctl_cmd *cmd, char **args, int nargs)
{
	size_t	*order, n = 0, i;
	FILE	*fp;

	if (ctl_read_graph() != 0)
		return (1);
	order = ctl_xalloc(mem_array(NULL, ctl_nnodes + 1, sizeof(*order)));
	for (i = 0; i < ctl_nnodes; i++) {
		if (ctl_asked(&ctl_nodes[i]) != 0)
			order[n++] = i;
	}
	qsort(order, n, sizeof(*order), ctl_timeline_cmp);
	ctl_find_held_by();
	if (opts.svg != NULL) {
		if (strcmp(opts.svg, "-") == 0)
			fp = stdout;
		else if ((fp = fopen(opts.svg, "w")) == NULL)
			err(1, "%s", opts.svg);
		ctl_timeline_svg(fp, order, n);
		if (fflush(fp) != 0 || ferror(fp) ||
		    (fp != stdout && fclose(fp) != 0))
			err(1, "%s", opts.svg);
	} else if (opts.json)
		ctl_timeline_json(order, n);
	else
		ctl_timeline_text(order, n);
	free(order);
	return (0);
}

/*
 * The commands, in the order of dinitctl(8).  A command with a name that
 * has a CTL_LISTING row is that row with -l, the other one without.
 */
static const struct ctl_cmd ctl_cmds[] = {
	{ "start", "[--no-wait] [--pin] service", 1, 1, 0,
	    REQ_START, 0, NULL, ctl_start },
	{ "wake", "[--no-wait] service", 1, 1, 0,
	    REQ_WAKE, 0, NULL, ctl_start },
	{ "stop", "[--no-wait] [--pin] [--force] [--ignore-unstarted] service",
	    1, 1, 0, REQ_STOP, 0, NULL, ctl_stop },
	{ "release", "[--pin] [--ignore-unstarted] service", 1, 1, 0,
	    REQ_RELEASE, 0, NULL, ctl_stop },
	{ "restart", "[--no-wait] [--force] [--ignore-unstarted] service",
	    1, 1, 0,
	    REQ_RESTART, 0, NULL, ctl_restart },
	{ "unpin", "service", 1, 1, 0,
	    REQ_UNPIN, 0, "unpinned", ctl_simple },
	{ "status", "service", 1, 1, 0,
	    REQ_STATUS, 0, NULL, ctl_status },
	{ "is-started", "service", 1, 1, 0,
	    REQ_STATUS, 0, NULL, ctl_is },
	{ "is-failed", "service", 1, 1, 0,
	    REQ_STATUS, 1, NULL, ctl_is },
	{ "list", "[--all]", 0, 0, 0,
	    REQ_LIST, 0, NULL, ctl_list },
	{ "reload", "service", 1, 1, 0,
	    REQ_RELOAD, 0, "reloaded", ctl_simple },
	{ "unload", "service", 1, 1, 0,
	    REQ_UNLOAD, 0, "unloaded", ctl_simple },
	{ "add-dep", "type from to", 3, 3, 0,
	    REQ_ADD_DEP, 0, "added", ctl_add_dep },
	{ "rm-dep", "type from to", 3, 3, 0,
	    REQ_RM_DEP, 0, "removed", ctl_add_dep },
	{ "enable", "[--from from] [--no-wait] service", 1, 1, CTL_OFFLINE,
	    REQ_ADD_DEP, 1, "enabled", ctl_enable },
	{ "disable", "[--from from] service", 1, 1, CTL_OFFLINE,
	    REQ_RM_DEP, 0, "disabled", ctl_enable },
	{ "is-enabled", "[--from from] service", 1, 1, CTL_OFFLINE,
	    REQ_SERVICE_FILE, 0, NULL, ctl_is_enabled },
	{ "trigger", "service", 1, 1, 0,
	    REQ_TRIGGER, 1, NULL, ctl_simple },
	{ "untrigger", "service", 1, 1, 0,
	    REQ_TRIGGER, 0, NULL, ctl_simple },
	{ "setenv", "name[=value] ...", 1, -1, 0,
	    REQ_SETENV, 1, NULL, ctl_setenv },
	{ "unsetenv", "name ...", 1, -1, 0,
	    REQ_SETENV, 0, NULL, ctl_setenv },
	{ "catlog", "[--clear] [--timestamps] service", 1, 1, 0,
	    REQ_CATLOG, 0, NULL, ctl_catlog },
	{ "signal", "signal service", 2, 2, 0,
	    REQ_SIGNAL, 0, NULL, ctl_signal },
	{ "signal", "-l", 0, 0, CTL_LOCAL | CTL_LISTING,
	    0, 0, NULL, ctl_signal_list },
	{ "shutdown", "", 0, 0, 0,
	    REQ_SHUTDOWN, 0, NULL, ctl_shutdown },
	{ "monitor", "[service ...]", 0, -1, 0,
	    REQ_MONITOR, 0, NULL, ctl_monitor },
	{ "timeline", "[--svg file]", 0, 0, 0,
	    REQ_LIST_DETAIL, 0, NULL, ctl_timeline },
	{ "graph", "[service]", 0, 1, 0,
	    REQ_EDGES, 0, NULL, ctl_graph }
};
#define CTL_NCMDS	(sizeof(ctl_cmds) / sizeof(*ctl_cmds))

/*
 * Print usage, a line per command: on standard output with status 0 for
 * --help, on standard error with status 2 for a usage error.
 */
static void NORETURN
ctl_usage(FILE *fp, int status)
{
	const struct ctl_cmd	*cmd;

	fprintf(fp, "usage: dinitctl [-s | -u] [-p socket] [--quiet] "
	    "[--json] command [args]\n       dinitctl --help | --version\n"
	    "commands:\n");
	for (cmd = ctl_cmds; cmd < ctl_cmds + CTL_NCMDS; cmd++)
		fprintf(fp, "  %s%s%s\n", cmd->name,
		    cmd->usage[0] != '\0' ? " " : "", cmd->usage);
	fprintf(fp, "enable, disable and is-enabled also work with -o "
	    "(--offline) and -d dir\n");
	exit(status);
}

/* The command a word names (given -l or not), or NULL. */
static const struct ctl_cmd *
ctl_find(const char *name)
{
	const struct ctl_cmd	*cmd, *found = NULL;

	for (cmd = ctl_cmds; cmd < ctl_cmds + CTL_NCMDS; cmd++) {
		if (strcmp(cmd->name, name) != 0)
			continue;
		if ((cmd->flags & CTL_LISTING) == 0) {
			if (found == NULL)
				found = cmd;
		} else if (opts.list_signals)
			return (cmd);
	}
	return (found);
}

/* Take as many operands as the command does, or exit with a usage error. */
static void
ctl_need(const struct ctl_cmd *cmd, int nargs)
{
	if (nargs < cmd->args_min ||
	    (cmd->args_max >= 0 && nargs > cmd->args_max))
		ctl_usage(stderr, 2);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "system", no_argument, NULL, 's' },
		{ "user", no_argument, NULL, 'u' },
		{ "socket-path", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "no-wait", no_argument, NULL, 'n' },
		{ "pin", no_argument, NULL, 'P' },
		{ "force", no_argument, NULL, 'f' },
		{ "ignore-unstarted", no_argument, NULL, 'i' },
		{ "clear", no_argument, NULL, 'c' },
		{ "timestamps", no_argument, NULL, 'T' },
		{ "list", no_argument, NULL, 'l' },
		{ "from", required_argument, NULL, 'F' },
		{ "offline", no_argument, NULL, 'o' },
		{ "services-dir", required_argument, NULL, 'd' },
		{ "use-passed-cfd", no_argument, NULL, 'U' },
		{ "all", no_argument, NULL, 'a' },
		{ "svg", required_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const struct ctl_cmd	 *cmd;
	char			**args;
	int			  ch, nargs, i, rc;

	signal(SIGPIPE, SIG_IGN);
	/* Options may come before or after the command (getopt permutes). */
	while ((ch = getopt_long(argc, argv, "sup:qfld:oah", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 's': opts.system = 1; break;
		case 'u': opts.user = 1; break;
		case 'p': opts.socket_path = optarg; break;
		case 'q': opts.quiet = 1; break;
		case 'j': opts.json = 1; break;
		case 'n': opts.no_wait = 1; break;
		case 'P': opts.pin = 1; break;
		case 'f': opts.force = 1; break;
		case 'i': opts.ignore_unstarted = 1; break;
		case 'c': opts.clear = 1; break;
		case 'T': opts.timestamps = 1; break;
		case 'l': opts.list_signals = 1; break;
		case 'F': opts.from = optarg; break;
		case 'o': opts.offline = 1; break;
		case 'U': opts.passed_cfd = 1; break;
		case 'a': opts.all = 1; break;
		case 'S': opts.svg = optarg; break;
		case 'h': ctl_usage(stdout, 0);
		case 'd':
			opts.dirs = ctl_xalloc(mem_array(opts.dirs,
			    opts.ndirs + 1, sizeof(*opts.dirs)));
			opts.dirs[opts.ndirs++] = optarg;
			break;
		case 'V':
			printf("dinitctl version %s.\n", DINIT_VERSION);
			return (0);
		default:
			ctl_usage(stderr, 2);
		}
	}
	args = argv + optind;
	nargs = argc - optind;
	if (nargs == 0)
		ctl_usage(stderr, 2);
	if ((cmd = ctl_find(args[0])) == NULL) {
		warnx("unknown command '%s'", args[0]);
		ctl_usage(stderr, 2);
	}
	args++;
	nargs--;
	ctl_command = cmd->name;
	ctl_subject = nargs > 0 ? args[nargs - 1] : "";
	for (i = 0; i < nargs; i++) {
		if (args[i][0] == '\0') {
			warnx("Invalid empty argument");
			ctl_usage(stderr, 2);
		}
	}

	if (opts.offline && (cmd->flags & CTL_OFFLINE) == 0)
		errx(2, "--offline works with enable, disable and "
		    "is-enabled only");
	if (opts.offline || (cmd->flags & CTL_LOCAL)) {
		ctl_need(cmd, nargs);
		return (cmd->exec(cmd, args, nargs));
	}
	/* NB: operands are counted once connected: no daemon is said first. */
	ctl_connect();
	ctl_need(cmd, nargs);
	rc = cmd->exec(cmd, args, nargs);
	(void)close(client_fd);
	return (rc);
}
