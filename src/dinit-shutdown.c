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
 * dinit-shutdown: ask the running dinit to stop every service and then
 * halt, power off or reboot the machine.  Also installed as halt,
 * poweroff, reboot and shutdown, which take the flags of the tools they
 * replace (sysvinit's and FreeBSD's) and choose the action by name.
 *
 * halt, poweroff, reboot: -f or -q end the machine at once without dinit
 * (root only), -n skips the sync, -w only writes the wtmp record, -d
 * writes none.  shutdown: a time (now, +minutes, hh:mm), a message sent
 * to every logged-in terminal, -c to cancel a pending shutdown.  A pending
 * shutdown is a child process that holds a lock on "<socket>.shutdown",
 * sleeps, warns, and then asks the daemon.
 *
 * Exit status: 0 once the daemon has taken the request (it then closes
 * the connection as it goes down) or the shutdown is scheduled or
 * cancelled, 1 on failure, 2 usage.
 */

#include "dinit.h"

#include <sys/stat.h>

#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "protocol.h"

/* How a name takes its arguments. */
enum shutdown_syntax {
	SYNTAX_HALT,		/* halt, poweroff, reboot: flags only */
	SYNTAX_SHUTDOWN		/* shutdown: flags, a time, a message */
};

/* A name the program answers to, and what it does by default. */
struct shutdown_name {
	const char		*name;
	enum proto_shutdown	 how;
	enum shutdown_syntax	 syntax;
};

/* The last row is for dinit-shutdown and any name not listed. */
static const struct shutdown_name shutdown_names[] = {
	{ "halt",		SHUTDOWN_HALT,		SYNTAX_HALT },
	{ "poweroff",		SHUTDOWN_POWEROFF,	SYNTAX_HALT },
	{ "reboot",		SHUTDOWN_REBOOT,	SYNTAX_HALT },
	{ "shutdown",		SHUTDOWN_POWEROFF,	SYNTAX_SHUTDOWN },
	{ "dinit-shutdown",	SHUTDOWN_POWEROFF,	SYNTAX_HALT }
};
#define SHUTDOWN_NNAMES	(sizeof(shutdown_names) / sizeof(shutdown_names[0]))

/* What the command line asks for. */
struct shutdown_opts {
	const struct shutdown_name *prog;
	enum proto_shutdown	 how;
	const char		*socket_path;	/* --socket-path */
	int			 force;		/* -f, -q: nothing is stopped */
	int			 no_sync;	/* -n */
	int			 no_record;	/* -d, -n: no wtmp record */
	int			 record_only;	/* -w */
	int			 cancel;	/* shutdown -c */
	int			 warn_only;	/* shutdown -k */
	time_t			 when;		/* shutdown: the time */
	char			 message[1024];	/* shutdown: the words after it */
};

/* Long options shared by every name. */
enum {
	OPT_SOCKET_PATH = 256,
	OPT_HELP,
	OPT_VERSION
};

static const struct option shutdown_longopts[] = {
	{ "socket-path", required_argument, NULL, OPT_SOCKET_PATH },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* Minutes before a pending shutdown at which users are warned again. */
static const int shutdown_marks[] = { 60, 30, 15, 10, 5, 2, 1, 0 };

/* The message that goes to every logged-in terminal. */
struct shutdown_wall {
	const char	*text;
	size_t		 len;
};

/* Print the usage of this name on fp and exit with status. */
static void NORETURN
shutdown_usage(const struct shutdown_opts *o, FILE *fp, int status)
{
	const char	*name = o->prog->name;

	if (o->prog->syntax == SYNTAX_SHUTDOWN)
		fprintf(fp,
		    "usage: %s [-HhkPpr] [--socket-path path] time "
		    "[message ...]\n"
		    "       %s -c [--socket-path path] [message ...]\n",
		    name, name);
	else
		fprintf(fp,
		    "usage: %s [-dfhlnPpqrw] [--socket-path path]\n", name);
	fprintf(fp, "       %s --help | --version\n", name);
	exit(status);
}

/*
 * The options every name shares (the action flags each name's option
 * string admits, and the long options); anything else is a usage error.
 */
static void
shutdown_common_option(int ch, struct shutdown_opts *o)
{
	switch (ch) {
	case 'H':
	case 'h':
		o->how = SHUTDOWN_HALT;
		break;
	case 'P':
	case 'p':
		o->how = SHUTDOWN_POWEROFF;
		break;
	case 'r':
		o->how = SHUTDOWN_REBOOT;
		break;
	case OPT_SOCKET_PATH:
		o->socket_path = optarg;
		break;
	case OPT_HELP:
		shutdown_usage(o, stdout, 0);
	case OPT_VERSION:
		printf("dinit-shutdown version %s.\n", DINIT_VERSION);
		exit(0);
	default:
		shutdown_usage(o, stderr, 2);
	}
}

/* halt, poweroff, reboot and dinit-shutdown: flags only. */
static void
shutdown_parse_halt(int argc, char **argv, struct shutdown_opts *o)
{
	int	ch;

	while ((ch = getopt_long(argc, argv, "dfhlnPpqrw", shutdown_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'd':
			o->no_record = 1;
			break;
		case 'f':
		case 'q':
			o->force = 1;
			break;
		case 'l':	/* FreeBSD: do not syslog; we never do */
			break;
		case 'n':
			o->no_sync = 1;
			o->no_record = 1;
			break;
		case 'w':
			o->record_only = 1;
			break;
		default:
			shutdown_common_option(ch, o);
		}
	}
	if (optind != argc)
		shutdown_usage(o, stderr, 2);
}

/*
 * A time of shutdown(8): "now", "+minutes", or "hh:mm" (also "hh:mm:ss"),
 * the next time the clock shows it.  Returns 0, or -1 when it is none.
 */
static int
shutdown_parse_time(const char *s, time_t now, time_t *when)
{
	struct tm	 tm;
	char		*end;
	long		 n, part[3] = { 0, 0, 0 };
	int		 i, day;

	if (strcmp(s, "now") == 0) {
		*when = now;
		return (0);
	}
	if (s[0] == '+') {
		if (!isdigit((unsigned char)s[1]))
			return (-1);
		errno = 0;
		n = strtol(s + 1, &end, 10);
		if (errno != 0 || *end != '\0' || n > 60L * 24 * 366)
			return (-1);
		*when = now + (time_t)n * 60;
		return (0);
	}
	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*s))
			return (-1);
		part[i] = strtol(s, &end, 10);
		if (end - s > 2 || (*end != ':' && *end != '\0'))
			return (-1);
		s = end + (*end == ':');
		if (*end == '\0')
			break;
	}
	if (i < 1 || *end != '\0' || part[0] > 23 || part[1] > 59 ||
	    part[2] > 59)
		return (-1);
	for (day = 0; day < 2; day++) {
		(void)localtime_r(&now, &tm);
		tm.tm_mday += day;
		tm.tm_hour = (int)part[0];
		tm.tm_min = (int)part[1];
		tm.tm_sec = (int)part[2];
		tm.tm_isdst = -1;
		if ((*when = mktime(&tm)) == (time_t)-1)
			return (-1);
		if (*when > now)
			return (0);
	}
	return (0);
}

/* The words after shutdown's time (or -c), joined by spaces. */
static void
shutdown_join(char **words, int n, char *buf, size_t len)
{
	int	i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			(void)strlcat(buf, " ", len);
		if (strlcat(buf, words[i], len) >= len)
			errx(2, "message too long");
	}
}

/* shutdown: flags, then a time and a message (or -c and a message). */
static void
shutdown_parse_shutdown(int argc, char **argv, struct shutdown_opts *o)
{
	int	ch;

	while ((ch = getopt_long(argc, argv, "cHhkPpr", shutdown_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->cancel = 1;
			break;
		case 'k':
			o->warn_only = 1;
			break;
		default:
			shutdown_common_option(ch, o);
		}
	}
	argv += optind;
	argc -= optind;
	if (!o->cancel) {
		if (argc == 0)
			shutdown_usage(o, stderr, 2);
		if (shutdown_parse_time(argv[0], time(NULL), &o->when) != 0) {
			warnx("bad time '%s': now, +minutes or hh:mm",
			    argv[0]);
			shutdown_usage(o, stderr, 2);
		}
		argv++;
		argc--;
	}
	shutdown_join(argv, argc, o->message, sizeof(o->message));
}

/*
 * The shutdown record in wtmp, unless -d or -n.  Only a warning when it
 * fails, and none where there is no wtmp file or no login accounting.
 */
static void
shutdown_record(const struct shutdown_opts *o)
{
	if (o->no_record)
		return;
	if (osdep_shutdown_record() != 0 && errno != ENOENT &&
	    errno != ENOSYS)
		warn("cannot write the shutdown record");
}

/* The platform's word for a shutdown type. */
static enum osdep_how
shutdown_osdep_how(enum proto_shutdown how)
{
	switch (how) {
	case SHUTDOWN_HALT:
		return (OSDEP_HALT);
	case SHUTDOWN_REBOOT:
		return (OSDEP_REBOOT);
	default:
		return (OSDEP_POWEROFF);
	}
}

/*
 * -f, -q: end the machine now, stopping nothing and asking nobody: the
 * record, a sync unless -n, and the reboot call.
 */
static void NORETURN
shutdown_force(const struct shutdown_opts *o)
{
	if (geteuid() != 0)
		errx(1, "-f: only root may end the machine at once");
	shutdown_record(o);
	if (!o->no_sync)
		sync();
	(void)osdep_reboot_now(shutdown_osdep_how(o->how));
	err(1, "reboot");
}

/* The control socket this invocation talks to (never NULL). */
static char *
shutdown_socket(const struct shutdown_opts *o)
{
	char	*path;

	if ((path = client_socket_path(o->socket_path, 1, 0)) == NULL)
		errx(1, "out of memory");
	return (path);
}

/*
 * Ask the daemon to shut down.  Talking to the system instance as root,
 * write the shutdown record first, as halt and reboot always did: once the
 * request is in, we may be killed at any moment.
 */
static int
shutdown_ask_daemon(const struct shutdown_opts *o)
{
	struct proto_writer	 w;
	struct proto_reader	 r;
	char			*path, msg[1024];
	uint16_t		 type;
	int			 system;

	path = shutdown_socket(o);
	system = strcmp(path, DINIT_CONTROL_SOCKET) == 0 && geteuid() == 0;
	/* Greeted before the record: a daemon may refuse the connection. */
	client_connect(path, 0);
	client_greet();
	if (system)
		shutdown_record(o);
	/* Say it first: the shutdown may end us before the reply comes. */
	printf("Issuing shutdown command...\n");
	fflush(stdout);
	client_begin(&w, REQ_SHUTDOWN);
	proto_put_u8(&w, (uint8_t)o->how);
	client_send(&w);
	type = client_reply(&r);
	if (type == REP_ERROR) {
		(void)client_error(&r, msg, sizeof(msg));
		errx(1, "%s", msg);
	}
	if (type != REP_OK)
		errx(1, "unexpected reply 0x%x from dinit", type);
	return (0);
}

/* Write the message to one terminal, never waiting for it. */
static void
shutdown_wall_line(const char *line, void *arg)
{
	const struct shutdown_wall	*wall = arg;
	char				 path[PATH_MAX];
	int				 fd;

	if (line[0] == '/' || strstr(line, "..") != NULL)
		return;
	if ((size_t)snprintf(path, sizeof(path), "/dev/%s", line) >=
	    sizeof(path))
		return;
	fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)write(fd, wall->text, wall->len);
	(void)close(fd);
}

/* Send text to every logged-in user's terminal (nobody: nothing). */
static void
shutdown_wall(const char *text)
{
	struct shutdown_wall	 wall;
	struct passwd		*pw;
	char			 host[256], when[64], buf[2048];
	time_t			 now = time(NULL);
	struct tm		 tm;
	int			 n;

	if (gethostname(host, sizeof(host)) != 0)
		(void)strlcpy(host, "localhost", sizeof(host));
	host[sizeof(host) - 1] = '\0';
	(void)localtime_r(&now, &tm);
	(void)strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	pw = getpwuid(geteuid());
	n = snprintf(buf, sizeof(buf),
	    "\r\nBroadcast message from %s@%s (%s):\r\n\r\n%s\r\n",
	    pw != NULL ? pw->pw_name : "root", host, when, text);
	if (n < 0)
		return;
	wall.text = buf;
	wall.len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	(void)osdep_login_lines(shutdown_wall_line, &wall);
}

/* Words for what is about to happen. */
static const char *
shutdown_words(enum proto_shutdown how)
{
	switch (how) {
	case SHUTDOWN_HALT:
		return ("halt");
	case SHUTDOWN_REBOOT:
		return ("reboot");
	default:
		return ("power-off");
	}
}

/* Warn every logged-in user that the shutdown comes in left seconds. */
static void
shutdown_warn(const struct shutdown_opts *o, time_t left)
{
	char	text[1400], in[64];

	if (left <= 0)
		(void)strlcpy(in, "NOW", sizeof(in));
	else if (left < 60)
		(void)snprintf(in, sizeof(in), "in %ld seconds", (long)left);
	else
		(void)snprintf(in, sizeof(in), "in %ld minute%s",
		    (long)(left + 30) / 60, (left + 30) / 60 == 1 ? "" : "s");
	(void)snprintf(text, sizeof(text),
	    "The system is going down for %s %s!%s%s",
	    shutdown_words(o->how), in, o->message[0] != '\0' ? "\r\n" : "",
	    o->message);
	shutdown_wall(text);
}

/* The pid holding the lock on the pending file, or 0 when none does. */
static pid_t
shutdown_lock_holder(int fd)
{
	struct flock	fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) != 0 || fl.l_type == F_UNLCK)
		return (0);
	return (fl.l_pid > 0 ? fl.l_pid : 1);
}

/*
 * The waiting child of a pending shutdown: sleep to each warning mark,
 * warn, and at the time ask the daemon.  It holds the lock on the pending
 * file until it exits; shutdown -c ends it with SIGTERM.
 */
static void NORETURN
shutdown_wait(const struct shutdown_opts *o, const char *pending)
{
	time_t	now, left;
	size_t	i;

	while ((now = time(NULL)) < o->when) {
		left = o->when - now;
		for (i = 0; shutdown_marks[i] != 0 &&
		    (time_t)shutdown_marks[i] * 60 >= left; i++)
			;
		(void)sleep((unsigned)(left - shutdown_marks[i] * 60));
		now = time(NULL);
		if (shutdown_marks[i] != 0 && now < o->when)
			shutdown_warn(o, o->when - now);
	}
	(void)unlink(pending);
	shutdown_warn(o, 0);
	exit(shutdown_ask_daemon(o));
}

/* In the waiting child: leave the caller's session and its output. */
static void
shutdown_detach(void)
{
	int	fd;

	(void)setsid();
	if ((fd = open("/dev/null", O_RDWR)) < 0)
		return;
	(void)dup2(fd, STDIN_FILENO);
	(void)dup2(fd, STDOUT_FILENO);
	/* Keep a terminal to report a failure at the time on. */
	if (!isatty(STDERR_FILENO))
		(void)dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		(void)close(fd);
}

/*
 * A shutdown at a later time: fork the waiting child, which takes the
 * lock on the pending file and writes its pid there; return once it has.
 */
static int
shutdown_schedule(const struct shutdown_opts *o, const char *pending)
{
	struct flock	fl;
	char		when[64];
	struct tm	tm;
	pid_t		pid;
	int		fd, p[2];
	char		c;

	if ((fd = open(pending, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
		err(1, "%s", pending);
	if ((pid = shutdown_lock_holder(fd)) != 0)
		errx(1, "a shutdown is already pending (pid %ld): "
		    "cancel it with shutdown -c", (long)pid);
	if (pipe(p) != 0)
		err(1, "pipe");
	fflush(stdout);
	if ((pid = fork()) < 0)
		err(1, "fork");
	if (pid == 0) {
		(void)close(p[0]);
		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		if (fcntl(fd, F_SETLK, &fl) != 0 || ftruncate(fd, 0) != 0 ||
		    dprintf(fd, "%ld\n", (long)getpid()) < 0)
			_exit(1);
		shutdown_detach();
		(void)write(p[1], "", 1);
		(void)close(p[1]);
		shutdown_wait(o, pending);
	}
	(void)close(p[1]);
	if (read(p[0], &c, 1) != 1)
		errx(1, "a shutdown is already pending");
	(void)localtime_r(&o->when, &tm);
	(void)strftime(when, sizeof(when), "%a %Y-%m-%d %H:%M:%S", &tm);
	printf("Shutdown scheduled for %s (pid %ld); "
	    "cancel it with shutdown -c.\n", when, (long)pid);
	return (0);
}

/* shutdown -c: end the waiting child and tell the users. */
static int
shutdown_cancel(const struct shutdown_opts *o, const char *pending)
{
	struct timespec	 ts = { 0, 50 * 1000 * 1000 };
	char		 buf[32], text[1200];
	ssize_t		 n;
	long		 pid;
	int		 fd, tries;

	if ((fd = open(pending, O_RDWR | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			errx(1, "no shutdown is pending");
		err(1, "%s", pending);
	}
	if (shutdown_lock_holder(fd) == 0) {
		(void)unlink(pending);
		errx(1, "no shutdown is pending");
	}
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	if ((pid = strtol(buf, NULL, 10)) <= 1)
		errx(1, "%s: no pid in it", pending);
	if (kill((pid_t)pid, SIGTERM) != 0)
		err(1, "cannot end the pending shutdown (pid %ld)", pid);
	/* Return once it is gone (the lock goes with it), for a while. */
	for (tries = 0; tries < 200 && shutdown_lock_holder(fd) != 0; tries++)
		(void)nanosleep(&ts, NULL);
	(void)unlink(pending);
	(void)snprintf(text, sizeof(text),
	    "The system shutdown has been cancelled.%s%s",
	    o->message[0] != '\0' ? "\r\n" : "", o->message);
	shutdown_wall(text);
	printf("Shutdown cancelled.\n");
	return (0);
}

/* shutdown: cancel, warn only, go now, or schedule for later. */
static int
shutdown_timed(const struct shutdown_opts *o)
{
	char	*socket, *pending;
	time_t	 now = time(NULL);
	int	 status;

	socket = shutdown_socket(o);
	if (asprintf(&pending, "%s.shutdown", socket) < 0)
		errx(1, "out of memory");
	free(socket);
	if (o->cancel)
		status = shutdown_cancel(o, pending);
	else {
		shutdown_warn(o, o->when - now);
		if (o->warn_only)
			status = 0;
		else if (o->when <= now)
			status = shutdown_ask_daemon(o);
		else
			status = shutdown_schedule(o, pending);
	}
	free(pending);
	return (status);
}

int
main(int argc, char **argv)
{
	struct shutdown_opts	 o;
	const char		*name;
	size_t			 i;

	memset(&o, 0, sizeof(o));
	name = basename(argv[0]);
	for (i = 0; i < SHUTDOWN_NNAMES - 1; i++)
		if (strcmp(name, shutdown_names[i].name) == 0)
			break;
	o.prog = &shutdown_names[i];
	o.how = o.prog->how;
	if (o.prog->syntax == SYNTAX_SHUTDOWN)
		shutdown_parse_shutdown(argc, argv, &o);
	else
		shutdown_parse_halt(argc, argv, &o);
	if (o.record_only) {
		if (osdep_shutdown_record() != 0)
			err(1, "cannot write the shutdown record");
		return (0);
	}
	if (o.force)
		shutdown_force(&o);
	if (o.prog->syntax == SYNTAX_HALT)
		return (shutdown_ask_daemon(&o));
	return (shutdown_timed(&o));
}
