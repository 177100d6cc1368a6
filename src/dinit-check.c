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
 * dinit-check: load service descriptions offline, start nothing, and
 * report every error and warning with its file (and line where there is
 * one): syntax, unknown settings, missing services and executables,
 * settings that do nothing for the service's type, consumers, and
 * dependency cycles.
 *
 * What dinit's own checker prints, we print in the same words and on the
 * same streams (the per-service header and the summary on standard
 * output, findings on standard error), so that scripts written for it
 * keep working; what we say beyond it (the file and line, who names a
 * missing service, where each link of a cycle is declared) comes after
 * dinit's sentence.
 *
 * Exit status: 0 when nothing was found, 1 when anything was, 2 usage.
 */

#include "dinit.h"

#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

extern char	**environ;

/* A service the check has met: named, depended on, or ordered against. */
struct check_service {
	char			*name;
	int			 loaded;	/* its description was read */
	int			 missing;	/* reported as not loadable */
	char			*file;		/* its description */
	enum service_type	 type;
	enum log_type		 log_type;
	char			*consumer_of;

	int			 mark;		/* cycle search: 1 on path,
						   2 done */
	size_t			 cursor;	/* cycle search: next edge */
};

/* A link as written: which file and line link from to to, and how. */
struct check_edge {
	size_t			 from;
	size_t			 to;
	enum dependency_type	 type;
	int			 from_dir;	/* an entry of a *.d directory */
	char			*file;
	int			 line;
};

static const char		**check_dirs;
static size_t			  check_ndirs;
static unsigned			  check_errors;
static unsigned			  check_warnings;
static struct check_service	 *check_services;
static size_t			  check_nservices;
static struct check_edge	 *check_edges;
static size_t			  check_nedges;

/*
 * Where the findings go: standard error, or with --json a buffer per
 * finding, kept until the one JSON document is printed at the end.
 */
struct check_finding {
	char		*severity;
	char		*service;
	char		*file;
	int		 line;
	char		*message;
};

static int			  check_json;
static FILE			 *check_err;
static char			 *check_buf;
static size_t			  check_buflen;
static struct check_finding	  check_current;
static struct check_finding	 *check_findings;
static size_t			  check_nfindings;

/*
 * Print usage: on standard output with status 0 for --help, on standard
 * error with status 2 for a usage error.
 */
static void NORETURN
check_usage(FILE *fp, int status)
{
	fprintf(fp, "usage: dinit-check [-s | -u] [-d dir] [-e env-file] "
	    "[--json] [service ...]\n       dinit-check --help | --version\n");
	exit(status);
}

/* Allocate or die: dinit-check is a utility. */
static char *
check_xstrdup(const char *s)
{
	char	*p;

	if (s == NULL)
		return (NULL);
	if ((p = strdup(s)) == NULL)
		err(1, "out of memory");
	return (p);
}

/* A finding begins: with --json, its words go to a buffer of their own. */
static void
check_begin(const char *severity, const char *service, const char *file,
    int line)
{
	if (!check_json) {
		check_err = stderr;
		return;
	}
	check_current.severity = check_xstrdup(severity);
	check_current.service = check_xstrdup(service);
	check_current.file = check_xstrdup(file);
	check_current.line = line;
	if ((check_err = open_memstream(&check_buf, &check_buflen)) == NULL)
		err(1, "out of memory");
}

/* A finding ends: with --json, keep it for the document. */
static void
check_end(void)
{
	size_t	len;

	if (!check_json)
		return;
	if (fclose(check_err) != 0)
		err(1, "out of memory");
	len = strlen(check_buf);
	while (len > 0 && check_buf[len - 1] == '\n')
		check_buf[--len] = '\0';
	check_current.message = check_buf;
	check_buf = NULL;
	check_findings = reallocarray(check_findings, check_nfindings + 1,
	    sizeof(*check_findings));
	if (check_findings == NULL)
		err(1, "out of memory");
	check_findings[check_nfindings++] = check_current;
	memset(&check_current, 0, sizeof(check_current));
}

/*
 * Print one finding about a service, in dinit's shape: "Service 'name'
 * (file:line): message", or "Service 'name': message" with no line.
 */
static void
check_vreport(const char *name, const char *file, int line,
    const char *kind, const char *fmt, va_list ap)
{
	check_begin(kind[0] != '\0' ? "warning" : "error", name, file, line);
	if (check_json)
		vfprintf(check_err, fmt, ap);
	else {
		if (line > 0)
			fprintf(check_err, "Service '%s' (%s:%d): %s", name,
			    file, line, kind);
		else
			fprintf(check_err, "Service '%s': %s", name, kind);
		vfprintf(check_err, fmt, ap);
		fputc('\n', check_err);
	}
	check_end();
}

/* Report an error about a service at file (and line, when not 0). */
static void PRINTFLIKE(4, 5)
check_error(const char *name, const char *file, int line, const char *fmt,
    ...)
{
	va_list	ap;

	va_start(ap, fmt);
	check_vreport(name, file, line, "", fmt, ap);
	va_end(ap);
	check_errors++;
}

/* Report a warning about a service at file (and line, when not 0). */
static void PRINTFLIKE(4, 5)
check_warning(const char *name, const char *file, int line,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	check_vreport(name, file, line, "warning: ", fmt, ap);
	va_end(ap);
	check_warnings++;
}

/*
 * The line of file where the first of the settings named in keys (names
 * separated by spaces) is given, or 0: the parsed description keeps
 * values, not lines, so a finding about a setting looks for it again.
 * NB: a setting given in an included file is not found.
 */
static int
check_setting_line(const char *file, const char *keys)
{
	struct text_file text;
	const char	*k, *p;
	char		*line;
	size_t		 klen, plen, len;
	int		 n, rank, why, found = 0, best = INT_MAX;

	if (text_open(&text, file, NULL, &why) == -1)
		return (0);
	for (n = 1; (line = text_line(&text, &len)) != NULL; n++) {
		p = line + strspn(line, " \t");
		plen = strcspn(p, " \t=:+");
		/* The first key that is given wins, at its first line. */
		for (k = keys, rank = 0; *k != '\0' && rank < best;
		    k += klen, rank++) {
			k += strspn(k, " ");
			klen = strcspn(k, " ");
			if (klen != 0 && plen == klen &&
			    strncmp(p, k, klen) == 0) {
				best = rank;
				found = n;
				break;
			}
		}
	}
	text_close(&text);
	return (found);
}

/* The path of desc's file, in a buffer that the next call reuses. */
static const char *
check_desc_file(const struct service_desc *desc)
{
	static char	path[PATH_MAX];

	if (parse_desc_file(desc, path, sizeof(path)) >= sizeof(path))
		errx(1, "path too long: %s", path);
	return (path);
}

/* Report a warning about settings (keys), at the line giving them. */
static void PRINTFLIKE(3, 4)
check_warn_setting(const struct service_desc *desc, const char *keys,
    const char *fmt, ...)
{
	const char	*file = check_desc_file(desc);
	va_list		 ap;

	va_start(ap, fmt);
	check_vreport(desc->name, file, check_setting_line(file, keys),
	    "warning: ", fmt, ap);
	va_end(ap);
	check_warnings++;
}

/* Append a directory to the search list. */
static void
check_push_dir(const char *dir)
{
	check_dirs = mem_array(check_dirs, check_ndirs + 1,
	    sizeof(*check_dirs));
	if (check_dirs == NULL)
		err(1, "out of memory");
	check_dirs[check_ndirs++] = dir;
}

/* Split a colon-separated list of directories onto the search list. */
static void
check_push_dirs(const char *list)
{
	char	*copy, *p, *dir;

	if ((copy = mem_strdup(list)) == NULL)
		err(1, "out of memory");
	for (p = copy; (dir = strsep(&p, ":")) != NULL; ) {
		if (*dir != '\0')
			check_push_dir(dir);
	}
}

/*
 * The path of a service's description.  Returns 0, or -1 with *why
 * saying why there is none, in dinit's words.
 */
static int
check_find(const char *name, char *path, size_t len, const char **why)
{
	char		 base[NAME_MAX + 1];
	const char	*arg;
	struct stat	 sb;
	size_t		 i;

	*why = "service description not found.";
	if (parse_service_name(name, base, sizeof(base), &arg) != 0) {
		*why = "invalid service name.";
		return (-1);
	}
	for (i = 0; i < check_ndirs; i++) {
		if ((size_t)snprintf(path, len, "%s/%s", check_dirs[i], base) <
		    len && stat(path, &sb) == 0)
			return (0);
	}
	return (-1);
}

/* Whether a service can be found at all. */
static int
check_exists(const char *name)
{
	char		 path[PATH_MAX];
	const char	*why;

	return (check_find(name, path, sizeof(path), &why) == 0);
}

/* The index of a service in the queue, adding it at the end if new. */
static size_t
check_enqueue(const char *name)
{
	struct check_service	*cs;
	size_t			 i;

	for (i = 0; i < check_nservices; i++) {
		if (strcmp(check_services[i].name, name) == 0)
			return (i);
	}
	check_services = mem_array(check_services, check_nservices + 1,
	    sizeof(*check_services));
	if (check_services == NULL)
		err(1, "out of memory");
	cs = &check_services[check_nservices];
	memset(cs, 0, sizeof(*cs));
	if ((cs->name = mem_strdup(name)) == NULL)
		err(1, "out of memory");
	return (check_nservices++);
}

/* Remember where a description links one service to another. */
static void
check_add_edge(size_t from, size_t to, const struct dep_name *dn)
{
	struct check_edge	*e;

	check_edges = mem_array(check_edges, check_nedges + 1,
	    sizeof(*check_edges));
	if (check_edges == NULL)
		err(1, "out of memory");
	e = &check_edges[check_nedges++];
	e->from = from;
	e->to = to;
	e->type = dn->type;
	e->from_dir = dn->from_dir;
	e->line = dn->line;
	if ((e->file = mem_strdup(dn->file != NULL ? dn->file : "")) == NULL)
		err(1, "out of memory");
}

/* The setting that declares an edge, as the description spells it. */
static const char *
check_edge_setting(const struct check_edge *e)
{
	static const char *const	names[] = {
		[DEP_REGULAR] = "depends-on", [DEP_MILESTONE] = "depends-ms",
		[DEP_WAITS_FOR] = "waits-for", [DEP_PREPARED_BY] =
		"prepared-by", [DEP_AFTER] = "after", [DEP_BEFORE] = "before"
	};
	static const char *const	dirs[] = {
		[DEP_REGULAR] = "depends-on.d", [DEP_MILESTONE] =
		"depends-ms.d", [DEP_WAITS_FOR] = "waits-for.d",
		[DEP_PREPARED_BY] = "prepared-by", [DEP_AFTER] = "after",
		[DEP_BEFORE] = "before"
	};

	return (e->from_dir ? dirs[e->type] : names[e->type]);
}

/* Whether an edge only orders, and needs nothing. */
static int
check_edge_orders(const struct check_edge *e)
{
	return (e->type == DEP_AFTER || e->type == DEP_BEFORE);
}

/* Whether a type runs processes at all. */
static int
check_runs_process(enum service_type type)
{
	return (type == SERVICE_PROCESS || type == SERVICE_BGPROCESS ||
	    type == SERVICE_SCRIPTED);
}

/*
 * Whether a bare program name is found in PATH: the service's own, else
 * the one substitution uses, else the daemon's default.
 */
static int
check_in_path(const struct service_desc *desc, const struct environ *env,
    const char *prog)
{
	const char	*pathvar, *dir, *end;
	char		 path[PATH_MAX];
	size_t		 len;

	if ((pathvar = environ_get(desc->env, "PATH", 4)) == NULL &&
	    (pathvar = environ_get(env, "PATH", 4)) == NULL)
		pathvar = "/usr/bin:/bin";
	for (dir = pathvar; ; dir = end + 1) {
		end = strchr(dir, ':');
		len = end != NULL ? (size_t)(end - dir) : strlen(dir);
		if (len == 0)
			len = 1, dir = ".";
		if ((size_t)snprintf(path, sizeof(path), "%.*s/%s", (int)len,
		    dir, prog) < sizeof(path) && access(path, X_OK) == 0)
			return (1);
		if (end == NULL)
			return (0);
	}
}

/*
 * Warn about one argv's program, in dinit's words: not an absolute path
 * (and, our detail, not found in PATH), missing, not a regular file, not
 * executable.  what is dinit's name for the setting.
 */
static void
check_command(const struct service_desc *desc, const struct environ *env,
    char *const *argv, const char *setting, const char *what)
{
	struct stat	 sb;
	const char	*prog;

	if (argv == NULL || argv[0] == NULL)
		return;
	prog = argv[0];
	if (prog[0] != '/') {
		if (strchr(prog, '/') == NULL && !check_in_path(desc, env, prog))
			check_warn_setting(desc, setting, "%s executable '%s' "
			    "is not an absolute path; it is not found in PATH "
			    "either", what, prog);
		else
			check_warn_setting(desc, setting, "%s executable '%s' "
			    "is not an absolute path", what, prog);
	} else if (stat(prog, &sb) == -1)
		check_warn_setting(desc, setting, "could not stat %s "
		    "executable '%s': %s", what, prog, strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		check_warn_setting(desc, setting, "%s executable '%s' is not "
		    "a regular file.", what, prog);
	else if ((sb.st_mode & S_IXUSR) == 0)
		check_warn_setting(desc, setting, "%s executable '%s' is not "
		    "executable by owner.", what, prog);
}

/* A setting that does nothing for a type that runs no process. */
struct check_idle {
	const char	*keys;		/* where to look for its line */
	const char	*words;		/* dinit's words for it */
	int		 (*given)(const struct service_desc *);
};

#define CHECK_GIVEN(fn, expr)						\
static int								\
fn(const struct service_desc *d)					\
{									\
	return (expr);							\
}
CHECK_GIVEN(check_g_command, d->command != NULL)
CHECK_GIVEN(check_g_stop, d->stop_command != NULL)
CHECK_GIVEN(check_g_wd, d->working_dir != NULL)
CHECK_GIVEN(check_g_cgroup, d->rare->run_in_cgroup != NULL)
CHECK_GIVEN(check_g_caps, d->rare->capabilities != NULL)
CHECK_GIVEN(check_g_secbits, d->rare->securebits != NULL)
CHECK_GIVEN(check_g_run_as, d->run_as != NULL)
CHECK_GIVEN(check_g_socket, d->rare->socket_listen != NULL)
CHECK_GIVEN(check_g_inittab, d->rare->inittab_id != NULL ||
    d->rare->inittab_line != NULL)
CHECK_GIVEN(check_g_signals, (d->options & (OPT_SIGNAL_PROCESS_ONLY |
    OPT_START_INTERRUPTIBLE)) != 0)
CHECK_GIVEN(check_g_cs_fd, (d->options & OPT_PASS_CS_FD) != 0)
CHECK_GIVEN(check_g_skippable, (d->options & OPT_SKIPPABLE) != 0)
CHECK_GIVEN(check_g_nnp, (d->options & OPT_NO_NEW_PRIVS) != 0)
CHECK_GIVEN(check_g_log_type, d->log_type != LOGTYPE_NONE)
CHECK_GIVEN(check_g_nice, d->rare->has_nice)
CHECK_GIVEN(check_g_ioprio, d->rare->ioprio != NULL)
CHECK_GIVEN(check_g_oom, d->rare->has_oom_score_adj)

/* dinit's lint for internal and triggered services, in its words. */
static const struct check_idle check_idle[] = {
	{ "command", "'command' specified", check_g_command },
	{ "stop-command", "'stop-command' specified", check_g_stop },
	{ "working-dir", "'working-dir' specified", check_g_wd },
	{ "run-in-cgroup", "'run-in-cgroup' specified", check_g_cgroup },
	{ "capabilities", "'capabilities' specified", check_g_caps },
	{ "securebits", "'securebits' specified", check_g_secbits },
	{ "run-as", "'run-as' specified", check_g_run_as },
	{ "socket-listen", "'socket-listen' specified", check_g_socket },
	{ "inittab-id inittab-line", "'inittab_line' or 'inittab_id' "
	    "specified", check_g_inittab },
	{ "options", "signal options were specified", check_g_signals },
	{ "options", "option 'pass_cs_fd' was specified", check_g_cs_fd },
	{ "options", "option 'skippable' was specified", check_g_skippable },
	{ "options", "option 'no_new_privs' was specified", check_g_nnp },
	{ "log-type", "option 'log_type' was specified", check_g_log_type },
	{ "nice", "option 'nice' was specified", check_g_nice },
	{ "ioprio", "option 'ioprio' was specified", check_g_ioprio },
	{ "oom-score-adj", "option 'oom-score-adj' was specified",
	    check_g_oom },
};

/* The directory a service's relative paths are taken from. */
static void
check_resolve(const struct service_desc *desc, const char *p, char *buf,
    size_t len)
{
	if (p[0] == '/' || parse_desc_dir(desc) == NULL)
		(void)strlcpy(buf, p, len);
	else
		(void)snprintf(buf, len, "%s/%s", parse_desc_dir(desc), p);
}

/* Warn about the directories a description names: working and log. */
static void
check_dirs_named(const struct service_desc *desc)
{
	char		 path[PATH_MAX], *slash;
	struct stat	 sb;

	if (desc->working_dir != NULL && check_runs_process(desc->type)) {
		check_resolve(desc, desc->working_dir, path, sizeof(path));
		if (stat(path, &sb) == -1)
			check_warn_setting(desc, "working-dir", "could not "
			    "open service working directory: %s",
			    strerror(errno));
		else if (!S_ISDIR(sb.st_mode))
			check_warn_setting(desc, "working-dir", "could not "
			    "open service working directory: %s",
			    strerror(ENOTDIR));
	}
	if (desc->log_type == LOGTYPE_FILE && desc->logfile != NULL &&
	    check_runs_process(desc->type)) {
		check_resolve(desc, desc->logfile, path, sizeof(path));
		if ((slash = strrchr(path, '/')) == NULL)
			return;
		*slash = '\0';
		if (path[0] == '\0')
			return;
		if (stat(path, &sb) == -1)
			check_warn_setting(desc, "logfile", "could not access "
			    "logfile directory '%s': %s", path,
			    strerror(errno));
		else if (!S_ISDIR(sb.st_mode))
			check_warn_setting(desc, "logfile", "logfile directory "
			    "'%s' exists but is not a directory.", path);
	}
}

/* The warnings a description can deserve, however it was read. */
static void
check_lint(const struct service_desc *desc, const struct environ *env)
{
	const char	*type = service_type_name(desc->type);
	size_t		 i;

	if (check_runs_process(desc->type)) {
		check_command(desc, env, desc->command, "command", "command");
		check_command(desc, env, desc->stop_command, "stop-command",
		    "stop command");
	} else if (desc->type == SERVICE_INTERNAL ||
	    desc->type == SERVICE_TRIGGERED) {
		for (i = 0; i < nitems(check_idle); i++) {
			if (check_idle[i].given(desc))
				check_warn_setting(desc, check_idle[i].keys,
				    "%s, but ignored for the specified (or "
				    "default) service type.",
				    check_idle[i].words);
		}
	}
	if (desc->logfile != NULL && desc->log_type != LOGTYPE_FILE)
		check_warn_setting(desc, "logfile", "option 'logfile' was "
		    "specified, but selected log type is not 'file'");
	if (desc->log_type == LOGTYPE_FILE && desc->logfile == NULL)
		check_warn_setting(desc, "log-type", "option 'logfile' not set, "
		    "but selected log type is 'file'");
	check_dirs_named(desc);

	/* Ours, beyond dinit's. */
	if (desc->type != SERVICE_PROCESS && desc->smooth_recovery)
		check_warn_setting(desc, "smooth-recovery", "'smooth-recovery' "
		    "does nothing for a service of type %s", type);
	if (desc->type != SERVICE_PROCESS && desc->rare->chain_to != NULL)
		check_warn_setting(desc, "chain-to", "'chain-to' only acts for "
		    "process services");
	if (desc->rare->socket_listen == NULL &&
	    check_setting_line(check_desc_file(desc), "socket-permissions "
	    "socket-uid socket-gid") != 0)
		check_warn_setting(desc, "socket-permissions socket-uid "
		    "socket-gid", "socket settings do nothing without "
		    "'socket-listen'");
}

/* What the parser told of one description, one error held back. */
struct check_parse {
	const char		*name;
	struct parse_error	 held;
	int			 holding;
};

/* Print an error of a description, placed at its setting if it has none. */
static void
check_print_parse_error(const char *name, const struct parse_error *perr)
{
	static const struct {
		const char	*msg;
		const char	*keys;
	} where[] = {
		{ "'command' setting not specified", "type command" },
		{ "('pid-file') not specified", "type" },
		{ "('ready-notification')", "ready-notification" },
		{ "kill-all-on-stop", "options" },
		{ "('consumer-of')", "consumer-of" },
		{ "'shares-console'", "options" },
		{ "export-passwd-vars", "options" }
	};
	size_t	i;
	int	line = perr->line;

	for (i = 0; line == 0 && i < nitems(where); i++) {
		if (strstr(perr->msg, where[i].msg) != NULL)
			line = check_setting_line(perr->file, where[i].keys);
	}
	check_error(name, perr->file, line, "%s", perr->msg);
}

/*
 * Told of one error of a description being read: print the one held
 * before and hold this one, since the last may turn out to be the one
 * that kept the description from being read at all.
 */
static void
check_parse_report(void *arg, const struct parse_error *perr)
{
	struct check_parse	*cp = arg;

	if (cp->holding)
		check_print_parse_error(cp->name, &cp->held);
	cp->held = *perr;
	cp->holding = 1;
}

/* Report a service no description can be loaded for, and who names it. */
static void
check_unloadable(size_t i, const char *why)
{
	const struct check_edge	*e;
	size_t			 k;

	check_begin("error", check_services[i].name, NULL, 0);
	fprintf(check_err, "Unable to load service '%s': %s\n",
	    check_services[i].name, why);
	for (k = 0; k < check_nedges; k++) {
		e = &check_edges[k];
		if (e->to == i && !check_edge_orders(e))
			fprintf(check_err, "    needed by '%s' (%s:%d: %s = "
			    "%s)\n", check_services[e->from].name, e->file,
			    e->line, check_edge_setting(e),
			    check_services[i].name);
	}
	check_end();
	check_services[i].missing = 1;
	check_errors++;
}

/* Follow what one description names: queue it, or say it is missing. */
static void
check_follow(size_t i, const struct service_desc *desc)
{
	const struct dep_name	*dn;
	size_t			 d, to;

	for (d = 0; d < desc->ndeps; d++) {
		dn = &desc->deps[d];
		if (strcmp(dn->name, desc->name) == 0 &&
		    dn->type != DEP_AFTER && dn->type != DEP_BEFORE) {
			/* As the daemon says it: the edge never exists. */
			check_error(desc->name, dn->file, dn->line,
			    "service '%s' depends on itself", desc->name);
			continue;
		}
		if ((dn->from_dir || dn->type == DEP_AFTER ||
		    dn->type == DEP_BEFORE) && !check_exists(dn->name)) {
			/* The daemon skips these; an ordering needs none. */
			if (dn->from_dir)
				check_warning(desc->name, dn->file, dn->line,
				    "no service '%s' for this directory entry; "
				    "skipped", dn->name);
			continue;
		}
		to = check_enqueue(dn->name);
		check_add_edge(i, to, dn);
		if (check_services[to].missing)
			check_error(desc->name, dn->file, dn->line,
			    "dependency '%s': service description not found.",
			    dn->name);
	}
	if (desc->rare->chain_to != NULL) {
		if (check_exists(desc->rare->chain_to))
			(void)check_enqueue(desc->rare->chain_to);
		else
			check_warn_setting(desc, "chain-to", "chain-to service "
			    "'%s' not found", desc->rare->chain_to);
	}
	if (desc->rare->consumer_of != NULL && check_exists(desc->rare->consumer_of))
		(void)check_enqueue(desc->rare->consumer_of);
}

/* Keep what the secondary checks need of a description. */
static void
check_keep(struct check_service *cs, const struct service_desc *desc)
{
	cs->loaded = 1;
	cs->type = desc->type;
	cs->log_type = desc->log_type;
	if ((cs->file = mem_strdup(check_desc_file(desc))) == NULL ||
	    (desc->rare->consumer_of != NULL &&
	    (cs->consumer_of = mem_strdup(desc->rare->consumer_of)) == NULL))
		err(1, "out of memory");
}

/*
 * The first pass: check the named services and everything they name,
 * one description at a time, each read to its end so that one error
 * does not hide the next.
 */
static void
check_all(const struct environ *env)
{
	struct service_desc	*desc;
	struct check_parse	 cp;
	char			 path[PATH_MAX];
	const char		*why;
	size_t			 i;

	for (i = 0; i < check_nservices; i++) {
		if (!check_json)
			printf("Checking service: %s...\n",
			    check_services[i].name);
		if (check_find(check_services[i].name, path, sizeof(path),
		    &why) != 0) {
			check_unloadable(i, why);
			continue;
		}
		memset(&cp, 0, sizeof(cp));
		cp.name = check_services[i].name;
		desc = parse_service_all(cp.name, path, env,
		    check_parse_report, &cp);
		if (desc == NULL) {
			check_begin("error", cp.name, cp.held.file, 0);
			fprintf(check_err, "Unable to load service '%s': %s: "
			    "%s\n", cp.name, cp.held.file, cp.held.msg);
			check_end();
			check_services[i].missing = 1;
			check_errors++;
			continue;
		}
		if (cp.holding)
			check_print_parse_error(cp.name, &cp.held);
		check_keep(&check_services[i], desc);
		check_lint(desc, env);
		check_follow(i, desc);
		parse_desc_free(desc);
	}
}

/* The index of a loaded service called name, or -1. */
static long
check_loaded(const char *name)
{
	size_t	i;

	for (i = 0; i < check_nservices; i++) {
		if (check_services[i].loaded &&
		    strcmp(check_services[i].name, name) == 0)
			return ((long)i);
	}
	return (-1);
}

/* A consumer must consume a process that pipes its output (dinit's). */
static void
check_consumers(void)
{
	const struct check_service	*cs, *to;
	size_t				 i;
	long				 k;

	for (i = 0; i < check_nservices; i++) {
		cs = &check_services[i];
		if (!cs->loaded || cs->consumer_of == NULL)
			continue;
		if ((k = check_loaded(cs->consumer_of)) == -1) {
			/* dinit's checker warns, and it counts for nothing. */
			check_begin("note", cs->name, cs->file, 0);
			fprintf(check_err, "Warning: Service '%s' specified as "
			    "consumer of service '%s' which was not found.\n",
			    cs->name, cs->consumer_of);
			fprintf(check_err, "    (%s:%d: consumer-of = %s)\n",
			    cs->file, check_setting_line(cs->file,
			    "consumer-of"), cs->consumer_of);
			check_end();
			continue;
		}
		to = &check_services[k];
		if (to->log_type != LOGTYPE_PIPE) {
			check_begin("error", cs->name, cs->file, 0);
			fprintf(check_err, "Service '%s': specified as consumer "
			    "of service '%s' which has log-type that is not "
			    "'pipe'.\n", cs->name, to->name);
			check_end();
			check_errors++;
		} else if (!check_runs_process(to->type)) {
			check_begin("error", cs->name, cs->file, 0);
			fprintf(check_err, "Service '%s': specified as consumer "
			    "of service '%s' which is not a process-based "
			    "service.\n", cs->name, to->name);
			check_end();
			check_errors++;
		}
	}
}

/*
 * Where an edge leads in the graph the cycle search walks: a "before"
 * link from a to b orders b after a, as an "after" link from b to a.
 */
static void
check_edge_ends(const struct check_edge *e, size_t *src, size_t *dst)
{
	*src = e->type == DEP_BEFORE ? e->to : e->from;
	*dst = e->type == DEP_BEFORE ? e->from : e->to;
}

/* The next edge out of service s from its cursor on, or check_nedges. */
static size_t
check_next_edge(struct check_service *cs, size_t s)
{
	size_t	src, dst;

	for (; cs->cursor < check_nedges; cs->cursor++) {
		check_edge_ends(&check_edges[cs->cursor], &src, &dst);
		if (src == s && check_services[dst].loaded)
			return (cs->cursor++);
	}
	return (check_nedges);
}

/* One step of the cycle search's path: a service and how it was reached. */
struct check_step {
	size_t	svc;
	size_t	via;		/* edge index; unused for the root */
};

/*
 * Print a cycle in dinit's words, each link followed by where it is
 * declared: the path runs from step k to the top, closed by edge back.
 */
static void
check_print_cycle(const struct check_step *path, size_t k, size_t top,
    size_t back)
{
	const struct check_edge	*e;
	size_t			 i, src, dst;

	check_begin("error", check_services[path[k].svc].name, NULL, 0);
	fprintf(check_err, "Found dependency cycle:\n");
	for (i = k; i <= top; i++) {
		e = &check_edges[i < top ? path[i + 1].via : back];
		check_edge_ends(e, &src, &dst);
		fprintf(check_err, "    %s ->%s (%s:%d: %s = %s)\n",
		    check_services[path[i].svc].name,
		    e->type == DEP_BEFORE ? " (via 'before')" :
		    e->type == DEP_AFTER ? " (via 'after')" : "",
		    e->file, e->line, check_edge_setting(e),
		    check_services[e->to].name);
	}
	fprintf(check_err, "    %s.\n", check_services[path[k].svc].name);
	check_end();
	check_errors++;
}

/*
 * Find the dependency cycles among the services read, ordering links
 * included, without recursion.  Every link that closes a cycle is
 * reported once, with the cycle it closes.
 */
static void
check_cycles(void)
{
	struct check_step	*path;
	struct check_service	*cs;
	size_t			 root, sp, e, k, src, dst;

	if ((path = mem_array(NULL, check_nservices + 1,
	    sizeof(*path))) == NULL)
		err(1, "out of memory");
	for (root = 0; root < check_nservices; root++) {
		if (!check_services[root].loaded || check_services[root].mark)
			continue;
		sp = 0;
		path[sp++].svc = root;
		check_services[root].mark = 1;
		while (sp > 0) {
			cs = &check_services[path[sp - 1].svc];
			if ((e = check_next_edge(cs, path[sp - 1].svc)) ==
			    check_nedges) {
				cs->mark = 2;
				sp--;
				continue;
			}
			check_edge_ends(&check_edges[e], &src, &dst);
			if (check_services[dst].mark == 2)
				continue;
			if (check_services[dst].mark == 1) {
				for (k = 0; path[k].svc != dst; k++)
					;
				check_print_cycle(path, k, sp - 1, e);
				continue;
			}
			check_services[dst].mark = 1;
			path[sp].svc = dst;
			path[sp++].via = e;
		}
	}
	free(path);
}

/*
 * The second pass, over everything the first read: what only the whole
 * graph shows.
 */
static void
check_graph(void)
{
	if (!check_json)
		printf("Performing secondary checks...\n");
	check_consumers();
	check_cycles();
	/* dinit's checker prints this on standard error; so do we. */
	if (!check_json)
		fprintf(stderr, "Secondary checks complete.\n");
}

/* A string or null in JSON. */
static void
check_json_str(const char *s)
{
	if (s == NULL)
		fputs("null", stdout);
	else
		text_json_str(stdout, s);
}

/*
 * --json: the whole report as one JSON document: the services met, the
 * findings (severity, service, file, line, message) and the counts.
 */
static void
check_print_json(void)
{
	const struct check_finding	*f;
	size_t				 i;

	fputs("{\"services\":[", stdout);
	for (i = 0; i < check_nservices; i++) {
		fputs(i > 0 ? ",{\"name\":" : "{\"name\":", stdout);
		text_json_str(stdout, check_services[i].name);
		fputs(",\"file\":", stdout);
		check_json_str(check_services[i].loaded ?
		    check_services[i].file : NULL);
		printf(",\"loaded\":%s}", check_services[i].loaded ?
		    "true" : "false");
	}
	fputs("],\"findings\":[", stdout);
	for (i = 0; i < check_nfindings; i++) {
		f = &check_findings[i];
		printf("%s{\"severity\":\"%s\",\"service\":", i > 0 ? "," : "",
		    f->severity);
		check_json_str(f->service);
		fputs(",\"file\":", stdout);
		check_json_str(f->file);
		if (f->line > 0)
			printf(",\"line\":%d,\"message\":", f->line);
		else
			fputs(",\"line\":null,\"message\":", stdout);
		check_json_str(f->message);
		putchar('}');
	}
	printf("],\"errors\":%u,\"warnings\":%u}\n", check_errors,
	    check_warnings);
}

/* Free what the check kept. */
static void
check_free(void)
{
	size_t	i;

	for (i = 0; i < check_nservices; i++) {
		free(check_services[i].name);
		free(check_services[i].file);
		free(check_services[i].consumer_of);
	}
	free(check_services);
	for (i = 0; i < check_nedges; i++)
		free(check_edges[i].file);
	free(check_edges);
	for (i = 0; i < check_nfindings; i++) {
		free(check_findings[i].severity);
		free(check_findings[i].service);
		free(check_findings[i].file);
		free(check_findings[i].message);
	}
	free(check_findings);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "services-dir", required_argument, NULL, 'd' },
		{ "env-file", required_argument, NULL, 'e' },
		{ "system", no_argument, NULL, 's' },
		{ "user", no_argument, NULL, 'u' },
		{ "json", no_argument, NULL, 'j' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct environ		 env;
	const char		*env_file = NULL, *home;
	char			 errbuf[1024], *path;
	int			 ch, system = getuid() == 0;

	while ((ch = getopt_long(argc, argv, "d:e:suh", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			check_push_dir(optarg);
			break;
		case 'e':
			env_file = optarg;
			break;
		case 's':
			system = 1;
			break;
		case 'u':
			system = 0;
			break;
		case 'j':
			check_json = 1;
			break;
		case 'V':
			printf("dinit-check version %s.\n", DINIT_VERSION);
			return (0);
		case 'h':
			check_usage(stdout, 0);
		default:
			check_usage(stderr, 2);
		}
	}
	argc -= optind;
	argv += optind;
	if (check_ndirs == 0) {
		if (system)
			check_push_dirs(DINIT_SERVICE_DIRS);
		else {
			if ((home = getenv("HOME")) != NULL &&
			    asprintf(&path, "%s/.config/dinit.d", home) > 0)
				check_push_dir(path);
			check_push_dirs(DINIT_USER_SERVICE_DIRS);
		}
	}
	/* Keep the order of lines when both streams go to one place. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Our own report says it all: the loader's log stays quiet. */
	log_set_sink(LOG_SINK_MAIN, -1, LOG_LEVEL_NONE);
	environ_init(&env);
	if (environ_import(&env, environ) != 0)
		err(1, "out of memory");
	if (env_file != NULL && environ_read_file(&env, env_file, &env,
	    errbuf, sizeof(errbuf)) != 0)
		errx(1, "%s", errbuf);
	if (argc == 0)
		(void)check_enqueue("boot");
	for (; argc > 0; argc--, argv++)
		(void)check_enqueue(*argv);
	check_err = stderr;
	check_all(&env);
	check_graph();
	if (check_json)
		check_print_json();
	check_free();
	environ_clear(&env);
	if (check_json)
		return (check_errors == 0 && check_warnings == 0 ? 0 : 1);
	if (check_errors == 0 && check_warnings == 0) {
		printf("No problems found.\n");
		return (0);
	}
	printf("One or more errors/warnings issued.\n");
	printf("%u error(s), %u warning(s).\n", check_errors, check_warnings);
	return (1);
}
