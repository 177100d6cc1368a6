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
 * The daemon shell: the command line (and, as PID 1, the kernel's words
 * and the console), the standard descriptors, the log sinks and their
 * events, the environment, the service directories, the event base and
 * the one signal switch, the control socket and its later retry, the
 * status lines and log lines of service events, what waits for the
 * system to be up (ctrl-alt-del, the boot record), the first start of
 * the requested services, and libevent's fatal callback.
 *
 * The engine (service.c) moves services; the process layer (proc.c,
 * spawn.c) runs their processes; shutdown.c decides what happens once
 * no service is active (leave, remain, single-user mode, a failed boot,
 * the PID-1 shutdown); control.c serves dinitctl.
 */

#include "dinit.h"

#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "protocol.h"

extern char	**environ;

#define DINIT_MAX_SIGNALS	16	/* watched: ours and the platform's */
#define DINIT_SIGCHLD_READ	16	/* SIGCHLDs read at once */
#define DINIT_STD_FDS		3	/* standard input, output, error */
#define DINIT_LOG_SINKS		2	/* enum log_sink */
#define DINIT_FD_SCAN_MAX	4096	/* where the close-on-exec sweep ends */
#define DINIT_STOP_LINE		256	/* why a service stopped */
#define DINIT_ENV_ERROR_LINE	1024	/* what is wrong in the env file */
#define DINIT_EXIT_SOFTWARE	70	/* EX_SOFTWARE: cannot even re-exec */
#define DINIT_OPT_SYSLOG	256	/* --syslog-socket, no short form */

/* Where the syslog daemon listens, unless --syslog-socket says. */
#ifdef _PATH_LOG
#define DINIT_SYSLOG_PATH	_PATH_LOG
#else
#define DINIT_SYSLOG_PATH	"/dev/log"
#endif

/* Where the main log goes. */
enum dinit_main_log {
	DINIT_LOG_STDERR,
	DINIT_LOG_FILE,		/* -l */
	DINIT_LOG_SYSLOG	/* a system manager, or --syslog-socket */
};

/* What the command line asked for. */
struct dinit_options {
	const char	**dirs;
	size_t		  ndirs;
	const char	 *env_file;
	const char	 *socket_path;
	const char	 *log_file;
	const char	 *syslog_socket;
	int		  ready_fd;
	int		  system;	/* -s, or -u cleared it */
	int		  system_mgr;	/* -m, or PID 1 */
	int		  container;
	int		  auto_recovery;
	const char	 *cgroup_base;	/* -b: base of relative cgroups */
	int		  single;	/* single-user boot */
	int		  quiet;
	int		  log_level_set;
	enum log_level	  log_level;
	int		  console_level_set;
	enum log_level	  console_level;
	const char	**services;
	size_t		  nservices;
	struct strlist	  owned;	/* what dirs point into, freed at exit */
};

static struct dinit_options	 opts;
static struct event_base	*dinit_base;
static struct service_set	 dinit_set;
static struct environ		 dinit_env;
static struct environ		 dinit_orig_env;	/* for !import */
static struct event		 dinit_signals[DINIT_MAX_SIGNALS];
static int			 dinit_sigchld_fd = -1;	/* or a signal */
static struct event		 dinit_sigchld_ev;
static size_t			 dinit_nsignals;	/* watched */
static struct event		 dinit_log_ev[DINIT_LOG_SINKS];
static int			 dinit_log_ev_ready[DINIT_LOG_SINKS];
static int			 dinit_log_ev_fd[DINIT_LOG_SINKS];
static enum dinit_main_log	 dinit_main_log;
static int			 dinit_log_file_pending; /* open at starts-rwfs */
static int			 dinit_fd_flags[DINIT_STD_FDS];
static struct shutdown_shell	 dinit_end;	/* what shutdown.c is lent */
static int			 dinit_exit_status;
static int			 dinit_cad_done;
static int			 dinit_rwfs_done;
static int			 dinit_main_on_console;
static int			 dinit_console_held;	/* lines wait for it */
static int			 dinit_socket_pending;	/* retry at starts-rwfs */
static char			**dinit_argv;
static char			*dinit_socket_path;

static void	dinit_notify(struct service *, enum service_event);
static void	dinit_chain(struct service *, const char *);
static void	dinit_console(struct service *, int);

static const struct service_ops dinit_ops = {
	.record_size = proc_record_size,
	.attach = proc_attach,
	.detach = proc_detach,
	.launch = proc_launch,
	.kill = proc_kill,
	.kill_all = proc_kill_all,
	.timer_set = proc_timer_set,
	.timer_clear = proc_timer_clear,
	.now = proc_now,
	.notify = dinit_notify,
	.chain = dinit_chain,
	.console = dinit_console,
};

/* What a control client may ask of the daemon. */
static const struct control_ops dinit_control_ops = {
	.shutdown = shutdown_request,
	.settle = shutdown_settle
};

/* Print usage on fp and exit with status. */
static void NORETURN
dinit_usage(FILE *fp, int status)
{
	fprintf(fp,
	    "usage: dinit [-mqrsu] [-d dir] [-e env-file] [-l log-file] "
	    "[-p socket]\n"
	    "             [-F fd] [-t service] [--log-level level] "
	    "[--console-level level]\n"
	    "             [--syslog-socket path] [service ...]\n");
	exit(status);
}

/* Append to a growing array of strings (before the loop: may exit). */
static void
dinit_push(const char ***array, size_t *n, const char *s)
{
	const char	**grown;

	if ((grown = mem_array(*array, *n + 1, sizeof(*grown))) == NULL) {
		fprintf(stderr, "dinit: out of memory\n");
		exit(1);
	}
	grown[(*n)++] = s;
	*array = grown;
}

/*
 * The operands: services to start (as PID 1, less the kernel's words),
 * "single" in single-user mode, "boot" when none is named.
 */
static void
dinit_parse_operands(int argc, char **argv)
{
	int	i;

	for (i = 0; i < argc; i++) {
		if (getpid() == 1) {
			switch (osdep_kernel_word(argv[i])) {
			case OSDEP_WORD_IGNORE:
				continue;
			case OSDEP_WORD_SINGLE:
				opts.single = 1;
				continue;
			default:
				break;
			}
		}
		dinit_push(&opts.services, &opts.nservices, argv[i]);
	}
	if (opts.single) {
		opts.nservices = 0;
		dinit_push(&opts.services, &opts.nservices, "single");
	}
	if (opts.nservices == 0)
		dinit_push(&opts.services, &opts.nservices, "boot");
}

/* dinit's long options, with their short equivalents. */
static const struct option dinit_longopts[] = {
	{ "services-dir", required_argument, NULL, 'd' },
	{ "env-file", required_argument, NULL, 'e' },
	{ "socket-path", required_argument, NULL, 'p' },
	{ "ready-fd", required_argument, NULL, 'F' },
	{ "log-file", required_argument, NULL, 'l' },
	{ "system", no_argument, NULL, 's' },
	{ "system-mgr", no_argument, NULL, 'm' },
	{ "user", no_argument, NULL, 'u' },
	{ "container", no_argument, NULL, 'o' },
	{ "auto-recovery", no_argument, NULL, 'r' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "cgroup-path", required_argument, NULL, 'b' },
	{ "service", required_argument, NULL, 't' },
	{ "log-level", required_argument, NULL, 'L' },
	{ "console-level", required_argument, NULL, 'C' },
	{ "syslog-socket", required_argument, NULL, DINIT_OPT_SYSLOG },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* Parse the command line into opts. */
static void
dinit_parse_args(int argc, char **argv)
{
	char	*end;
	long	 n;
	int	 ch;

	opts.ready_fd = -1;
	opts.system = getuid() == 0;
	opts.system_mgr = getpid() == 1;
	opts.log_level = LOG_LEVEL_NOTICE;
	opts.console_level = LOG_LEVEL_WARN;
	while ((ch = getopt_long(argc, argv, "d:e:p:F:l:smuorqb:t:h",
	    dinit_longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			dinit_push(&opts.dirs, &opts.ndirs, optarg);
			break;
		case 'e':
			opts.env_file = optarg;
			break;
		case 'p':
			opts.socket_path = optarg;
			break;
		case 'F':
			n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n <= 0 ||
			    n > INT_MAX) {
				fprintf(stderr, "dinit: --ready-fd: invalid "
				    "descriptor '%s'\n", optarg);
				exit(2);
			}
			opts.ready_fd = (int)n;
			break;
		case 'l':
			opts.log_file = optarg;
			break;
		case DINIT_OPT_SYSLOG:
			opts.syslog_socket = optarg;
			break;
		case 's':
			opts.system = 1;
			break;
		case 'm':
			opts.system_mgr = 1;
			break;
		case 'u':
			opts.system = 0;
			break;
		case 'o':
			opts.container = 1;
			opts.system_mgr = 0;
			break;
		case 'r':
			opts.auto_recovery = 1;
			break;
		case 'q':
			opts.quiet = 1;
			break;
		case 'b':
			opts.cgroup_base = optarg;
			break;
		case 't':
			dinit_push(&opts.services, &opts.nservices, optarg);
			break;
		case 'L':
		case 'C':
			if (log_level_parse(optarg, ch == 'L' ?
			    &opts.log_level : &opts.console_level) != 0) {
				fprintf(stderr, "dinit: unknown log level "
				    "'%s' (none, error, warn, notice, info, "
				    "debug)\n", optarg);
				exit(2);
			}
			if (ch == 'L')
				opts.log_level_set = 1;
			else
				opts.console_level_set = 1;
			break;
		case 'V':
			printf("Dinit version %s.\n", DINIT_VERSION);
			printf("Platform: %s.\n", osdep_name());
			exit(0);
		case 'h':
			dinit_usage(stdout, 0);
		default:
			dinit_usage(stderr, 2);
		}
	}
	dinit_parse_operands(argc - optind, argv + optind);
}

/*
 * As PID 1: make /dev/console our standard descriptors and controlling
 * terminal (appending, so a console that is a file is not overwritten).
 */
static void
dinit_console_acquire(void)
{
	int	fd;

	if ((fd = open("/dev/console", O_RDWR | O_NOCTTY | O_APPEND)) < 0)
		return;
	(void)setsid();
	(void)ioctl(fd, TIOCSCTTY, 0);
	(void)dup2(fd, 0);
	(void)dup2(fd, 1);
	(void)dup2(fd, 2);
	if (fd > 2)
		(void)close(fd);
}

/* Make a directory name absolute against the current directory. */
static const char *
dinit_absolute(const char *dir)
{
	char	cwd[PATH_MAX], *path;
	size_t	len;

	if (dir[0] == '/' || getcwd(cwd, sizeof(cwd)) == NULL)
		return (dir);
	len = strlen(cwd) + strlen(dir) + 2;
	if ((path = mem_alloc(len)) == NULL)
		return (dir);
	(void)snprintf(path, len, "%s/%s", cwd, dir);
	if (text_list_push(&opts.owned, path) != 0)
		return (dir);
	return (path);
}

/* Split a colon-separated list of directories onto opts.dirs. */
static void
dinit_push_dirs(const char *list)
{
	char	*copy, *p, *dir;

	if ((copy = mem_strdup(list)) == NULL ||
	    text_list_push(&opts.owned, copy) != 0)
		return;
	for (p = copy; (dir = strsep(&p, ":")) != NULL; ) {
		if (*dir != '\0')
			dinit_push(&opts.dirs, &opts.ndirs, dir);
	}
}

/* Push dir followed by sub (dir's trailing slash dropped). */
static void
dinit_push_under(const char *dir, const char *sub)
{
	char	*path;
	size_t	 n = strlen(dir), len;

	if (n > 1 && dir[n - 1] == '/')
		n--;
	len = n + strlen(sub) + 1;
	if ((path = mem_alloc(len)) == NULL)
		return;
	(void)snprintf(path, len, "%.*s%s", (int)n, dir, sub);
	if (text_list_push(&opts.owned, path) != 0)
		return;
	dinit_push(&opts.dirs, &opts.ndirs, path);
}

/*
 * The default service directories of a system or user instance, in
 * dinit's order: $XDG_CONFIG_HOME/dinit.d, then ~/.config/dinit.d (HOME,
 * else the password file; skipped when XDG_CONFIG_HOME is ~/.config),
 * then the user directories; a user instance with neither uses the
 * system's directories, as dinit does.
 */
static void
dinit_default_dirs(void)
{
	const char	*xdg, *home;
	struct passwd	*pw;
	char		*same;
	size_t		 n0 = opts.ndirs;

	if (opts.system) {
		dinit_push_dirs(DINIT_SERVICE_DIRS);
		return;
	}
	if ((xdg = getenv("XDG_CONFIG_HOME")) != NULL && *xdg != '\0')
		dinit_push_under(xdg, "/dinit.d");
	else
		xdg = NULL;
	if ((home = getenv("HOME")) == NULL || *home == '\0')
		home = (pw = getpwuid(getuid())) != NULL ? pw->pw_dir : NULL;
	if (home != NULL && *home != '\0') {
		same = NULL;
		if (xdg != NULL && asprintf(&same, "%s/.config", home) < 0)
			same = NULL;
		if (same == NULL || strcmp(same, xdg) != 0)
			dinit_push_under(home, "/.config/dinit.d");
		free(same);
	}
	if (opts.ndirs > n0)
		dinit_push_dirs(DINIT_USER_SERVICE_DIRS);
	else
		dinit_push_dirs(DINIT_SERVICE_DIRS);
}

/* A log sink's descriptor became writable: drain it. */
static void
dinit_log_writable(evutil_socket_t fd, short what, void *arg)
{
	log_flush((enum log_sink)(intptr_t)arg);
}

/*
 * The log has bytes waiting for a sink: watch its descriptor.  fd -1: the
 * sink is about to close its descriptor (a lost syslog), stop watching;
 * a new descriptor gets the event anew.
 */
static void
dinit_log_hook(enum log_sink sink, int fd)
{
	if (dinit_base == NULL)
		return;
	if (dinit_log_ev_ready[sink] && fd != dinit_log_ev_fd[sink]) {
		(void)event_del(&dinit_log_ev[sink]);
		dinit_log_ev_ready[sink] = 0;
	}
	if (fd == -1)
		return;
	if (!dinit_log_ev_ready[sink]) {
		if (event_assign(&dinit_log_ev[sink], dinit_base, fd, EV_WRITE,
		    dinit_log_writable, (void *)(intptr_t)sink) != 0)
			return;
		dinit_log_ev_ready[sink] = 1;
		dinit_log_ev_fd[sink] = fd;
	}
	(void)event_add(&dinit_log_ev[sink], NULL);
}

/* Open the -l file for appending, never blocking; its fd or -1. */
static int
dinit_open_log_file(void)
{
	return (open(opts.log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
	    O_NOCTTY | O_NONBLOCK, 0644));
}

/*
 * The main log is the -l file.  Until it can be opened, its messages wait
 * in memory: a system manager's root may be read-only at boot, so it
 * tries again when a starts-rwfs service starts.  Anything else exits.
 */
static void
dinit_setup_log_file(void)
{
	int	fd;

	log_set_pending(LOG_SINK_MAIN, opts.log_level);
	if ((fd = dinit_open_log_file()) >= 0) {
		log_open_sink(LOG_SINK_MAIN, fd);
		return;
	}
	if (!opts.system_mgr) {
		fprintf(stderr, "dinit: cannot open log file %s: %s\n",
		    opts.log_file, strerror(errno));
		exit(1);
	}
	dinit_log_file_pending = 1;
	log_error("cannot open log file %s (kept in memory until a "
	    "starts-rwfs service starts)", opts.log_file);
}

/*
 * Set up the console and the main log: the -l file, else syslog for a
 * system manager or when --syslog-socket names one (kept in memory until
 * a starts-log service starts), else standard error.
 */
static void
dinit_setup_log(void)
{
	enum log_level	console;
	int		i;

	log_init("dinit");
	for (i = 0; i < DINIT_STD_FDS; i++)
		dinit_fd_flags[i] = fcntl(i, F_GETFL);
	for (i = 1; i < DINIT_STD_FDS; i++) {
		if (dinit_fd_flags[i] != -1)
			(void)fcntl(i, F_SETFL, dinit_fd_flags[i] | O_NONBLOCK);
	}
	if (opts.log_file != NULL)
		dinit_main_log = DINIT_LOG_FILE;
	else if (opts.syslog_socket != NULL || opts.system_mgr)
		dinit_main_log = DINIT_LOG_SYSLOG;
	else
		dinit_main_log = DINIT_LOG_STDERR;
	/*
	 * When the main log is our standard error, the console (standard
	 * output) would show every message twice: it shows status lines
	 * only unless a console level was asked for.
	 */
	console = opts.console_level;
	if (!opts.console_level_set && dinit_main_log == DINIT_LOG_STDERR)
		console = LOG_LEVEL_NONE;
	log_set_sink(LOG_SINK_CONSOLE, opts.quiet ? -1 : 1,
	    opts.quiet ? LOG_LEVEL_NONE : console);
	dinit_main_on_console = getpid() == 1 &&
	    dinit_main_log == DINIT_LOG_STDERR;
	switch (dinit_main_log) {
	case DINIT_LOG_FILE:
		dinit_setup_log_file();
		break;
	case DINIT_LOG_SYSLOG:
		log_set_syslog(opts.syslog_socket != NULL ?
		    opts.syslog_socket : DINIT_SYSLOG_PATH, opts.log_level);
		break;
	case DINIT_LOG_STDERR:
		log_set_sink(LOG_SINK_MAIN, 2, opts.log_level);
		break;
	}
	log_set_flush_hook(dinit_log_hook);
}

/*
 * A service started.  In any mode: with starts-log, syslog is up, so the
 * main log connects to it and sends what it kept; with starts-rwfs (or,
 * as in dinit, starts-log), a log file that could not be opened yet is
 * opened now and given what was kept.
 */
static void
dinit_log_started(struct service *s)
{
	int	options, fd;

	if (s->desc == NULL)
		return;
	options = s->desc->options;
	if ((options & OPT_STARTS_LOG) != 0 &&
	    dinit_main_log == DINIT_LOG_SYSLOG) {
		if (log_syslog_start() == 0)
			log_info("syslog is up (service %s started)",
			    s->name);
		else
			log_warn("service %s started, but syslog does not "
			    "answer", s->name);
	}
	if ((options & (OPT_STARTS_RWFS | OPT_STARTS_LOG)) == 0 ||
	    !dinit_log_file_pending)
		return;
	if ((fd = dinit_open_log_file()) < 0) {
		log_error("still cannot open log file %s", opts.log_file);
		return;
	}
	dinit_log_file_pending = 0;
	log_open_sink(LOG_SINK_MAIN, fd);
	log_notice("log file %s open", opts.log_file);
}

/* Put the standard descriptors back as we found them and flush the log. */
static void
dinit_restore_fds(void)
{
	int	i;

	for (i = 1; i < DINIT_STD_FDS; i++) {
		if (dinit_fd_flags[i] != -1)
			(void)fcntl(i, F_SETFL, dinit_fd_flags[i]);
	}
	log_flush(LOG_SINK_MAIN);
	log_flush(LOG_SINK_CONSOLE);
}

/*
 * Make sure descriptors 0-2 exist (so nothing we open lands there), and
 * that nothing else we inherited leaks into services.
 */
static void
dinit_sanitize_fds(void)
{
	long	max;
	int	fd;

	for (fd = 0; fd < DINIT_STD_FDS; fd++) {
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", O_RDWR) != fd) {
			fprintf(stderr, "dinit: cannot open /dev/null\n");
			exit(1);
		}
	}
#if defined(HAVE_CLOSE_RANGE) && defined(CLOSE_RANGE_CLOEXEC)
	if (close_range(DINIT_STD_FDS, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > DINIT_FD_SCAN_MAX)
		max = DINIT_FD_SCAN_MAX;
	for (fd = DINIT_STD_FDS; fd < max; fd++)
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
}

/* Why a service stopped, for the log. */
static void
dinit_describe_stop(const struct service *s, char *buf, size_t len)
{
	int	st = s->exit_status;

	switch (s->stop_reason) {
	case STOP_EXECFAILED:
		(void)snprintf(buf, len, "could not be launched (%s: %s)",
		    service_stage_name(s->exec_stage),
		    strerror(s->exec_errno));
		break;
	case STOP_FAILED:
	case STOP_TERMINATED:
		if (s->has_exit_status && WIFEXITED(st))
			(void)snprintf(buf, len, "%s; exited - status %d",
			    service_reason_name(s->stop_reason),
			    WEXITSTATUS(st));
		else if (s->has_exit_status && WIFSIGNALED(st))
			(void)snprintf(buf, len, "%s; signalled - signal %d",
			    service_reason_name(s->stop_reason),
			    WTERMSIG(st));
		else
			(void)strlcpy(buf, service_reason_name(s->stop_reason),
			    len);
		break;
	default:
		(void)strlcpy(buf, service_reason_name(s->stop_reason), len);
		break;
	}
}

/*
 * A service started under a system manager: what waited for the system
 * to be further up can happen now (the ctrl-alt-del pid once /proc is
 * there, the boot record once the root filesystem is writable).
 */
static void
dinit_manager_started(struct service *s)
{
	if (!dinit_cad_done && getpid() != 1 && osdep_cad_setup(0) == 0) {
		dinit_cad_done = 1;
		log_info("ctrl-alt-del now comes to pid %ld", (long)getpid());
	}
	if (s->desc == NULL || (s->desc->options & OPT_STARTS_RWFS) == 0)
		return;
	if (dinit_socket_pending) {
		if (control_open(dinit_base, &dinit_set, dinit_socket_path,
		    opts.system, &dinit_control_ops) == 0) {
			dinit_socket_pending = 0;
			log_notice("control socket %s open", dinit_socket_path);
		} else
			log_warn("still cannot create control socket %s",
			    dinit_socket_path);
	}
	if (!dinit_rwfs_done) {
		dinit_rwfs_done = 1;
		if (osdep_boot_record() != 0)
			log_warn("cannot write the boot record");
	}
}

/* Whether the daemon was asked to start this service on its command line. */
static int
dinit_requested(const struct service *s)
{
	size_t	i;

	for (i = 0; i < opts.nservices; i++) {
		if (strcmp(opts.services[i], s->name) == 0)
			return (1);
	}
	return (0);
}

/* The engine reports an event: status line on the console, and the log. */
static void
dinit_notify(struct service *s, enum service_event event)
{
	char	why[DINIT_STOP_LINE];

	control_service_event(s, event);
	if (event != SERVICE_EVENT_STARTED &&
	    event != SERVICE_EVENT_STOP_CANCELLED)
		proc_stopped(s);
	switch (event) {
	case SERVICE_EVENT_STARTED:
		log_status("  OK  ", s->name);
		log_info("service %s started", s->name);
		dinit_log_started(s);
		if (opts.system_mgr)
			dinit_manager_started(s);
		break;
	case SERVICE_EVENT_FAILED:
		dinit_describe_stop(s, why, sizeof(why));
		log_status("FAILED", s->name);
		log_notice("service %s failed to start: %s", s->name, why);
		/* Not PID 1, we exit; our caller learns it went wrong. */
		if (dinit_requested(s))
			dinit_exit_status = 1;
		break;
	case SERVICE_EVENT_STOPPED:
		dinit_describe_stop(s, why, sizeof(why));
		log_status("STOPPD", s->name);
		log_info("service %s stopped (%s)", s->name, why);
		break;
	case SERVICE_EVENT_START_CANCELLED:
		log_info("service %s: start cancelled", s->name);
		break;
	case SERVICE_EVENT_STOP_CANCELLED:
		log_info("service %s: stop cancelled", s->name);
		break;
	}
}

/* Load a service and start it explicitly; 0 or -1 (logged). */
static int
dinit_start_named(const char *name)
{
	struct parse_error	 err;
	struct service		*s;
	char			 buf[PARSE_ERROR_TEXT];

	if ((s = load_service(&dinit_set, name, &err)) == NULL) {
		log_errorx("%s", parse_error_string(&err, buf, sizeof(buf)));
		log_errorx("could not load service %s", name);
		return (-1);
	}
	if (service_start(s, 0) != 0) {
		log_error("could not start service %s", name);
		return (-1);
	}
	return (0);
}

/*
 * A service took the console, or gave it back.  While it has it, what we
 * would print there goes to the main log instead.  When the main log is
 * the console too, or cannot be written yet (syslog not up, the log file
 * not open), it waits in a bounded buffer (the newest kept, the oldest
 * counted as dropped) and comes out when the console is free.
 */
static void
dinit_console(struct service *s, int acquired)
{
	if (acquired) {
		log_info("service %s has the console", s->name);
		if (!dinit_main_on_console &&
		    log_sink_fd(LOG_SINK_MAIN) == -1) {
			dinit_console_held = 1;
			log_hold(LOG_SINK_CONSOLE, 1);
			return;
		}
		log_divert_console(1);
		if (dinit_main_on_console)
			log_hold(LOG_SINK_MAIN, 1);
		return;
	}
	if (dinit_console_held) {
		dinit_console_held = 0;
		log_hold(LOG_SINK_CONSOLE, 0);
	} else {
		log_divert_console(0);
		if (dinit_main_on_console)
			log_hold(LOG_SINK_MAIN, 0);
	}
	log_info("service %s gave the console back", s->name);
}

/* A service finished and names a chain-to successor: start it. */
static void
dinit_chain(struct service *s, const char *next)
{
	log_info("service %s: chaining to %s", s->name, next);
	(void)dinit_start_named(next);
}

/* Read every loaded service's description again (SIGHUP on FreeBSD). */
static void
dinit_reload_all(void)
{
	struct parse_error	 err;
	struct service		*s;
	char			 buf[PARSE_ERROR_TEXT];

	log_notice("re-reading service descriptions");
	TAILQ_FOREACH(s, &dinit_set.services, set_entry) {
		if (s->type != SERVICE_PLACEHOLDER &&
		    load_reload(&dinit_set, s, &err) != 0)
			log_warnx("%s", parse_error_string(&err, buf,
			    sizeof(buf)));
	}
}

/* Act on a signal the way a system manager on this platform should. */
static void
dinit_manager_signal(int sig)
{
	if (shutdown_under_way())
		return;		/* the machine is going down already */
	if (sig == SIGINT && shutdown_cad_forces())
		return;
	switch (osdep_signal_action(sig)) {
	case OSDEP_ACT_REBOOT:
		shutdown_request(SHUTDOWN_REBOOT);
		break;
	case OSDEP_ACT_HALT:
		shutdown_request(SHUTDOWN_HALT);
		break;
	case OSDEP_ACT_POWEROFF:
		shutdown_request(SHUTDOWN_POWEROFF);
		break;
	case OSDEP_ACT_IMMEDIATE:
		log_warnx("signal %d: shutting down at once, without stopping "
		    "services in order", sig);
		shutdown_immediate();
		break;
	case OSDEP_ACT_SINGLE:
		log_notice("signal %d: stopping everything for single-user "
		    "mode", sig);
		shutdown_single_user();
		break;
	case OSDEP_ACT_RELOAD:
		dinit_reload_all();
		break;
	case OSDEP_ACT_NONE:
		break;
	}
}

/* The control socket path: -p, else the instance's default. */
static char *
dinit_default_socket(void)
{
	const char	*dir;
	char		*path;
	size_t		 len;

	if (opts.socket_path != NULL)
		return (mem_strdup(opts.socket_path));
	if (opts.system)
		return (mem_strdup(DINIT_CONTROL_SOCKET));
	if ((dir = getenv("XDG_RUNTIME_DIR")) != NULL && *dir != '\0') {
		len = strlen(dir) + sizeof("/dinitctl");
		if ((path = mem_alloc(len)) != NULL)
			(void)snprintf(path, len, "%s/dinitctl", dir);
		return (path);
	}
	if ((dir = getenv("HOME")) == NULL || *dir == '\0') {
		/* Never a guessable place such as /tmp. */
		errno = ENOENT;
		return (NULL);
	}
	len = strlen(dir) + sizeof("/.dinitctl");
	if ((path = mem_alloc(len)) != NULL)
		(void)snprintf(path, len, "%s/.dinitctl", dir);
	return (path);
}

/* The one signal switch of the daemon. */
static void
dinit_signal(evutil_socket_t sig, short what, void *arg)
{
	switch (sig) {
	case SIGCHLD:
		proc_reap();
		break;
	case SIGPIPE:
		break;
	default:
		if (opts.system_mgr)
			dinit_manager_signal((int)sig);
		else if (sig == SIGINT || sig == SIGTERM) {
			log_notice("signal %d: stopping all services",
			    (int)sig);
			service_stop_all(&dinit_set);
		}
		break;
	}
	shutdown_settle();
}

/*
 * SIGCHLDs read from their descriptor: no signal is delivered, and each
 * read names a child (osdep_sigchld_open).
 */
static void
dinit_sigchld(evutil_socket_t fd, short what, void *arg)
{
	pid_t	pids[DINIT_SIGCHLD_READ];
	int	n;

	if ((n = osdep_sigchld_read(fd, pids, DINIT_SIGCHLD_READ)) < 0) {
		log_warn("cannot read SIGCHLD");
		n = 0;
	}
	proc_reap_named(pids, n);
	shutdown_settle();
}

/*
 * Take SIGCHLD from a descriptor where the platform has one: a stop of
 * thousands of services then costs no signal delivery per exit.  After
 * dinit_clean_signals, which unblocks everything: a SIGCHLD pending from
 * before reaches the handler, later ones the descriptor.  Otherwise, or
 * when it cannot be watched, SIGCHLD stays a signal.
 */
static void
dinit_watch_sigchld(void)
{
	sigset_t	set;

	if ((dinit_sigchld_fd = osdep_sigchld_open()) == -1)
		return;
	if (event_assign(&dinit_sigchld_ev, dinit_base, dinit_sigchld_fd,
	    EV_READ | EV_PERSIST, dinit_sigchld, NULL) == 0 &&
	    event_add(&dinit_sigchld_ev, NULL) == 0)
		return;
	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGCHLD);
	(void)sigprocmask(SIG_UNBLOCK, &set, NULL);
	(void)close(dinit_sigchld_fd);
	dinit_sigchld_fd = -1;
}

/*
 * libevent met an error it cannot go on from.  Returning would let it
 * exit, which PID 1 must never do: replace the process image instead.
 */
static void
dinit_event_fatal(int err)
{
	log_errorx("libevent fatal error %d: re-executing", err);
	dinit_restore_fds();
	execv(dinit_argv[0], dinit_argv);
	log_error("cannot re-execute %s", dinit_argv[0]);
	if (getpid() == 1)
		for (;;)
			pause();
	_exit(DINIT_EXIT_SOFTWARE);
}

/* Announce readiness: the control socket path and a NUL on --ready-fd. */
static void
dinit_signal_ready(void)
{
	const char	*path = dinit_socket_path != NULL ? dinit_socket_path : "";
	ssize_t		 n;

	if (opts.ready_fd < 0)
		return;
	n = write(opts.ready_fd, path, strlen(path) + 1);
	if (n < 0)
		log_warn("cannot write to ready fd %d", opts.ready_fd);
	(void)close(opts.ready_fd);
}

/* Import our environment and read the environment file; -1 to exit. */
static int
dinit_setup_env(void)
{
	struct stat	sb;
	char		errbuf[DINIT_ENV_ERROR_LINE];

	environ_init(&dinit_env);
	environ_init(&dinit_orig_env);
	if (environ_import(&dinit_env, environ) != 0) {
		log_errorx("out of memory");
		return (-1);
	}
	if (opts.env_file == NULL && opts.system &&
	    stat(DINIT_ENV_FILE, &sb) == 0)
		opts.env_file = DINIT_ENV_FILE;
	if (opts.env_file != NULL && (environ_copy(&dinit_orig_env,
	    &dinit_env) != 0 || environ_read_file(&dinit_env, opts.env_file,
	    &dinit_orig_env, errbuf, sizeof(errbuf)) != 0)) {
		log_errorx("environment file %s: %s", opts.env_file, errbuf);
		if (!opts.system_mgr) {
			dinit_restore_fds();
			return (-1);
		}
	}
	return (0);
}

/* Watch our signals, and those a system manager handles here; -1. */
static int
dinit_watch_signals(void)
{
	static const int	 plain_sigs[] = {
		SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGPIPE, 0
	};
	int			 sigs[DINIT_MAX_SIGNALS];
	const int		*msigs;
	size_t			 i, nsigs = 0;

	for (i = 0; plain_sigs[i] != 0; i++)
		sigs[nsigs++] = plain_sigs[i];
	if (opts.system_mgr) {
		for (msigs = osdep_manager_signals(); *msigs != 0; msigs++) {
			for (i = 0; i < nsigs && sigs[i] != *msigs; i++)
				;
			if (i == nsigs && nsigs < sizeof(sigs) / sizeof(*sigs))
				sigs[nsigs++] = *msigs;
		}
	}
	for (i = 0; i < nsigs; i++) {
		if (evsignal_assign(&dinit_signals[i], dinit_base, sigs[i],
		    dinit_signal, NULL) != 0 ||
		    evsignal_add(&dinit_signals[i], NULL) != 0) {
			log_errorx("cannot watch signal %d", sigs[i]);
			return (-1);
		}
		dinit_nsignals = i + 1;
	}
	return (0);
}

/*
 * Undo the signal state our parent left us (a test runner or a session
 * manager may block SIGCHLD or ignore SIGTERM): once our handlers are in,
 * nothing stays ignored and nothing blocked.  Last, so a signal pending
 * since before we started reaches a handler.
 */
static void
dinit_clean_signals(void)
{
	struct sigaction	sa, old;
	sigset_t		none;
	int			sig;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		if (sigaction(sig, NULL, &old) == 0 &&
		    (old.sa_flags & SA_SIGINFO) == 0 &&
		    old.sa_handler == SIG_IGN)
			(void)sigaction(sig, &sa, NULL);
	}
	(void)sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Lend shutdown.c our loop, services, options and helpers. */
static int
dinit_setup_end(void)
{
	dinit_end.base = dinit_base;
	dinit_end.set = &dinit_set;
	dinit_end.system_mgr = opts.system_mgr;
	dinit_end.auto_recovery = opts.auto_recovery;
	dinit_end.boot = opts.services;
	dinit_end.nboot = opts.nservices;
	dinit_end.start = dinit_start_named;
	dinit_end.restore_fds = dinit_restore_fds;
	return (shutdown_init(&dinit_end));
}

/* Free everything before an ordinary exit, and flush the log. */
static void
dinit_teardown(void)
{
	size_t	i;

	control_close();
	service_set_free(&dinit_set);
	proc_free();
	for (i = 0; i < dinit_nsignals; i++)
		event_del(&dinit_signals[i]);
	if (dinit_sigchld_fd != -1) {
		event_del(&dinit_sigchld_ev);
		(void)close(dinit_sigchld_fd);
		dinit_sigchld_fd = -1;
	}
	shutdown_free();
	for (i = 0; i < DINIT_LOG_SINKS; i++) {
		if (dinit_log_ev_ready[i])
			event_del(&dinit_log_ev[i]);
	}
	event_base_free(dinit_base);
	environ_clear(&dinit_env);
	environ_clear(&dinit_orig_env);
	free(opts.dirs);
	free(opts.services);
	text_list_free(&opts.owned);
	free(dinit_socket_path);
	dinit_restore_fds();
}

int
main(int argc, char **argv)
{
	size_t	i;
	int	failed = 0;

	dinit_argv = argv;
	if (getpid() == 1) {
		/*
		 * The kernel passes init what it did not understand on its
		 * command line, and its own flags.
		 */
		argc = osdep_kernel_args(argc, argv, &opts.single);
		dinit_console_acquire();
	}
	dinit_parse_args(argc, argv);
	dinit_sanitize_fds();
	dinit_setup_log();

	if (dinit_setup_env() != 0)
		return (1);
	if (opts.ndirs == 0)
		dinit_default_dirs();
	for (i = 0; i < opts.ndirs; i++)
		opts.dirs[i] = dinit_absolute(opts.dirs[i]);

	/*
	 * Before any other libevent call: libevent cannot be trusted to
	 * survive a failed allocation of its own, so its allocations fall
	 * back on mem.c's reserve.
	 */
	event_set_mem_functions(mem_event_malloc, mem_event_realloc,
	    mem_event_free);
	event_set_fatal_callback(dinit_event_fatal);
	if ((dinit_base = event_base_new()) == NULL) {
		log_errorx("cannot create the event base");
		dinit_restore_fds();
		return (1);
	}
	if (dinit_watch_signals() != 0) {
		dinit_restore_fds();
		return (1);
	}
	dinit_clean_signals();
	dinit_watch_sigchld();
	if (proc_init(dinit_base, shutdown_settle) != 0) {
		log_errorx("out of memory");
		dinit_restore_fds();
		return (1);
	}
	/*
	 * The cgroup2 mount and the base of relative run-in-cgroup paths:
	 * where -b names one, it must be there; else found when a service
	 * first needs it.  Process 1 must not exit for it: it goes on, with
	 * relative paths taken from its own cgroup.
	 */
	if (opts.cgroup_base != NULL &&
	    osdep_cgroup_base(opts.cgroup_base) != 0) {
		log_errorx("--cgroup-path (-b) %s: %s", opts.cgroup_base,
		    errno == ENOSYS ? "this platform has no control groups" :
		    errno == ENOENT ? "no such cgroup, or no cgroup2 mount" :
		    strerror(errno));
		if (getpid() != 1) {
			dinit_restore_fds();
			return (1);
		}
	}
	if (getpid() != 1 && osdep_set_subreaper() != 0)
		log_debug("cannot become a subreaper: %s", strerror(errno));
	if (dinit_setup_end() != 0) {
		log_errorx("cannot set up the shutdown's events");
		dinit_restore_fds();
		return (1);
	}
	if (opts.system_mgr) {
		if (getpid() == 1)
			log_notice("dinit %s starting as the system manager "
			    "(pid 1, %s)", DINIT_VERSION, osdep_name());
		if (osdep_cad_setup(getpid() == 1) == 0)
			dinit_cad_done = 1;
		else
			log_debug("ctrl-alt-del setup deferred: %s",
			    strerror(errno));
	}

	service_set_init(&dinit_set, &dinit_ops);
	dinit_set.env = &dinit_env;
	if (load_set_dirs(&dinit_set, opts.dirs, opts.ndirs) != 0) {
		log_errorx("out of memory");
		dinit_restore_fds();
		return (1);
	}

	if ((dinit_socket_path = dinit_default_socket()) == NULL) {
		log_errorx("no control socket path: give -p, or set "
		    "XDG_RUNTIME_DIR or HOME");
		dinit_restore_fds();
		return (1);
	}
	notify_init(dinit_base, dinit_socket_path);
	if (control_open(dinit_base, &dinit_set, dinit_socket_path,
	    opts.system, &dinit_control_ops) != 0) {
		if (errno == EADDRINUSE)
			log_errorx("another instance answers on %s; not "
			    "starting", dinit_socket_path);
		else
			log_error("cannot create control socket %s",
			    dinit_socket_path);
		/*
		 * A system manager goes on without it (a read-only root at
		 * boot): it is tried again when a starts-rwfs service
		 * starts.
		 */
		if (!opts.system_mgr || errno == EADDRINUSE) {
			dinit_restore_fds();
			return (1);
		}
		dinit_socket_pending = 1;
	}

	/* From here on, no error ends the daemon. */
	for (i = 0; i < opts.nservices; i++) {
		if (dinit_start_named(opts.services[i]) != 0)
			failed = 1;
	}
	if (failed)
		dinit_exit_status = 1;
	dinit_signal_ready();
	if (dinit_set.active == 0)
		shutdown_settle();
	if (dinit_set.active != 0 || opts.system_mgr)
		(void)event_base_dispatch(dinit_base);
	if (getpid() == 1 && opts.system_mgr) {
		/* Only the final reboot ends PID 1; we never return. */
		log_errorx("the event loop ended; halting");
		shutdown_now(SHUTDOWN_HALT);
	}
	log_info("no more active services; exiting");

	dinit_teardown();
	return (dinit_exit_status);
}
