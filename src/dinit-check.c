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
 * settings that do nothing for the service's type, dependency cycles.
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

extern char	**environ;

static const char	**check_dirs;
static size_t		  check_ndirs;
static unsigned		  check_errors;
static unsigned		  check_warnings;

/* A dependency as written: which file and line make from need to. */
struct check_edge {
	char	*from;
	char	*to;
	char	*file;
	int	 line;
};

static struct check_edge	 *check_edges;
static size_t			  check_nedges;

/* Print usage and exit 2. */
static void NORETURN
check_usage(void)
{
	fprintf(stderr, "usage: dinit-check [-s | -u] [-d dir] [-e env-file] "
	    "[service ...]\n");
	exit(2);
}

/* Print one finding: "file:line: kind: message" (no line when 0). */
static void
check_vreport(const char *kind, const char *file, int line, const char *fmt,
    va_list ap)
{
	if (line > 0)
		printf("%s:%d: %s: ", file, line, kind);
	else
		printf("%s: %s: ", file, kind);
	vprintf(fmt, ap);
	putchar('\n');
}

/* Report an error at file (and line, when not 0). */
static void PRINTFLIKE(3, 4)
check_error(const char *file, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	check_vreport("error", file, line, fmt, ap);
	va_end(ap);
	check_errors++;
}

/* Report a warning at file (and line, when not 0). */
static void PRINTFLIKE(3, 4)
check_warning(const char *file, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	check_vreport("warning", file, line, fmt, ap);
	va_end(ap);
	check_warnings++;
}

/*
 * The line of file where the first of the settings named in keys (names
 * separated by spaces) is given, or 0: the parsed description keeps
 * values, not lines, so a finding about a setting looks for it again.
 */
static int
check_setting_line(const char *file, const char *keys)
{
	FILE		*fp;
	char		 buf[4096];
	const char	*k, *p;
	size_t		 klen, plen;
	int		 n, found = 0;

	if ((fp = fopen(file, "r")) == NULL)
		return (0);
	for (k = keys; *k != '\0' && found == 0; k += klen) {
		k += strspn(k, " ");
		klen = strcspn(k, " ");
		rewind(fp);
		for (n = 1; fgets(buf, sizeof(buf), fp) != NULL; n++) {
			p = buf + strspn(buf, " \t");
			plen = strcspn(p, " \t=:\n");
			if (klen != 0 && plen == klen &&
			    strncmp(p, k, klen) == 0) {
				found = n;
				break;
			}
		}
	}
	(void)fclose(fp);
	return (found);
}

/* Report a warning about settings (keys), at the line giving them. */
static void PRINTFLIKE(3, 4)
check_warn_setting(const struct service_desc *desc, const char *keys,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	check_vreport("warning", desc->file, check_setting_line(desc->file,
	    keys), fmt, ap);
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

/* The path of a service's description, or NULL if no directory has it. */
static int
check_find(const char *name, char *path, size_t len)
{
	char		 base[NAME_MAX + 1];
	const char	*arg;
	struct stat	 sb;
	size_t		 i;

	if (parse_service_name(name, base, sizeof(base), &arg) != 0)
		return (-1);
	for (i = 0; i < check_ndirs; i++) {
		if ((size_t)snprintf(path, len, "%s/%s", check_dirs[i], base) <
		    len && stat(path, &sb) == 0)
			return (0);
	}
	return (-1);
}

/* Whether a type runs processes at all. */
static int
check_runs_process(enum service_type type)
{
	return (type == SERVICE_PROCESS || type == SERVICE_BGPROCESS ||
	    type == SERVICE_SCRIPTED);
}

/* Warn about one argv's program: relative, missing or not executable. */
static void
check_command(const struct service_desc *desc, char *const *argv,
    const char *setting)
{
	if (argv == NULL || argv[0] == NULL)
		return;
	if (argv[0][0] != '/') {
		check_warn_setting(desc, setting, "%s: '%s' is not an "
		    "absolute path (it is looked up in PATH at start)",
		    setting, argv[0]);
		return;
	}
	if (access(argv[0], X_OK) != 0)
		check_warn_setting(desc, setting, "%s: cannot execute '%s': "
		    "%s", setting, argv[0], strerror(errno));
}

/* The warnings a whole, valid description can still deserve. */
static void
check_lint(const struct service_desc *desc)
{
	const char	*type = service_type_name(desc->type);
	int		 proc = check_runs_process(desc->type);

	if (proc) {
		check_command(desc, desc->command, "command");
		check_command(desc, desc->stop_command, "stop-command");
	} else {
		if (desc->command != NULL)
			check_warn_setting(desc, "command", "'command' does "
			    "nothing for a service of type %s", type);
		if (desc->stop_command != NULL)
			check_warn_setting(desc, "stop-command",
			    "'stop-command' does nothing for a service of "
			    "type %s", type);
		if (desc->working_dir != NULL)
			check_warn_setting(desc, "working-dir", "'working-dir' "
			    "does nothing for a service of type %s", type);
		if (desc->run_as != NULL)
			check_warn_setting(desc, "run-as", "'run-as' does "
			    "nothing for a service of type %s", type);
		if (desc->log_type != LOGTYPE_NONE)
			check_warn_setting(desc, "log-type", "'log-type' does "
			    "nothing for a service of type %s", type);
		if (desc->options & OPT_SKIPPABLE)
			check_warn_setting(desc, "options", "option "
			    "'skippable' does nothing for a service of type %s",
			    type);
	}
	if (desc->type != SERVICE_PROCESS && desc->smooth_recovery)
		check_warn_setting(desc, "smooth-recovery", "'smooth-recovery' "
		    "does nothing for a service of type %s", type);
	if (desc->type != SERVICE_PROCESS && desc->chain_to != NULL)
		check_warn_setting(desc, "chain-to", "'chain-to' only acts for "
		    "process services");
	if (desc->logfile != NULL && desc->log_type != LOGTYPE_FILE)
		check_warn_setting(desc, "logfile", "'logfile' is set but "
		    "log-type is not file");
	if (desc->log_type == LOGTYPE_FILE && desc->logfile == NULL)
		check_warn_setting(desc, "log-type", "log-type is file but no "
		    "'logfile' is given");
	if (desc->working_dir != NULL) {
		/* As the daemon does: relative to the service's directory. */
		char	wd[PATH_MAX];

		if (desc->working_dir[0] == '/' || desc->dir == NULL)
			(void)strlcpy(wd, desc->working_dir, sizeof(wd));
		else
			(void)snprintf(wd, sizeof(wd), "%s/%s", desc->dir,
			    desc->working_dir);
		if (access(wd, X_OK) != 0)
			check_warn_setting(desc, "working-dir",
			    "working-dir '%s': %s", wd, strerror(errno));
	}
	if (desc->type == SERVICE_BGPROCESS)
		check_warn_setting(desc, "type", "bgprocess services are not "
		    "supported by this version of dinit");
	if (desc->socket_listen != NULL)
		check_warn_setting(desc, "socket-listen", "'socket-listen' is "
		    "not acted on by this version of dinit");
	if (desc->log_type == LOGTYPE_PIPE || desc->consumer_of != NULL)
		check_warn_setting(desc, "log-type consumer-of", "output pipes "
		    "(log-type = pipe, consumer-of) are not acted on by this "
		    "version of dinit");
	if (desc->run_in_cgroup != NULL || desc->capabilities != NULL ||
	    desc->securebits != NULL || desc->ioprio != NULL ||
	    desc->has_oom_score_adj)
		check_warn_setting(desc, "run-in-cgroup capabilities "
		    "securebits ioprio oom-score-adj", "run-in-cgroup, "
		    "capabilities, securebits, ioprio and oom-score-adj are "
		    "not acted on by this version of dinit");
}

/* Add a name to the queue of services to check unless it is there already. */
static void
check_enqueue(struct strlist *q, const char *name)
{
	if (text_list_find(q, name) != -1)
		return;
	if (text_list_add(q, name, strlen(name)) == -1)
		err(1, "out of memory");
}

/*
 * Report a description that did not parse.  An error about the whole
 * description (line 0) is placed at the setting it is about.
 */
static void
check_parse_error(const struct parse_error *perr)
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

	for (i = 0; line == 0 && i < sizeof(where) / sizeof(*where); i++) {
		if (strstr(perr->msg, where[i].msg) != NULL)
			line = check_setting_line(perr->file, where[i].keys);
	}
	check_error(perr->file, line, "%s", perr->msg);
}

/* Remember where a description declares a dependency. */
static void
check_add_edge(const char *from, const char *to, const char *file, int line)
{
	struct check_edge	*e;

	check_edges = mem_array(check_edges, check_nedges + 1,
	    sizeof(*check_edges));
	if (check_edges == NULL)
		err(1, "out of memory");
	e = &check_edges[check_nedges++];
	e->from = mem_strdup(from);
	e->to = mem_strdup(to);
	e->file = mem_strdup(file != NULL ? file : "");
	e->line = line;
	if (e->from == NULL || e->to == NULL || e->file == NULL)
		err(1, "out of memory");
}

/*
 * Report a dependency cycle ("dependency cycle: a -(type)-> b -(type)->
 * ... a") at the file and line declaring its first edge.
 */
static void
check_cycle_error(const char *file, const char *msg)
{
	const char	*p, *arrow, *next;
	char		 from[PATH_MAX], to[PATH_MAX];
	size_t		 i, flen, tlen;

	if ((p = strchr(msg, ':')) != NULL)
		p += strspn(p + 1, " ") + 1;
	if (p == NULL || (arrow = strstr(p, " -(")) == NULL ||
	    (next = strstr(arrow, ")-> ")) == NULL) {
		check_error(file, 0, "%s", msg);
		return;
	}
	next += 4;
	flen = (size_t)(arrow - p);
	tlen = strcspn(next, " ");
	if (flen >= sizeof(from) || tlen >= sizeof(to)) {
		check_error(file, 0, "%s", msg);
		return;
	}
	memcpy(from, p, flen);
	from[flen] = '\0';
	memcpy(to, next, tlen);
	to[tlen] = '\0';
	for (i = 0; i < check_nedges; i++) {
		if ((strcmp(check_edges[i].from, from) == 0 &&
		    strcmp(check_edges[i].to, to) == 0) ||
		    (strcmp(check_edges[i].from, to) == 0 &&
		    strcmp(check_edges[i].to, from) == 0)) {
			check_error(check_edges[i].file, check_edges[i].line,
			    "%s", msg);
			return;
		}
	}
	check_error(file, 0, "%s", msg);
}

/*
 * Check the named services and everything they need, each description
 * on its own so that one error does not hide the next.
 */
static void
check_all(struct strlist *q, const struct environ *env)
{
	struct service_desc	*desc;
	struct parse_error	 perr;
	const struct dep_name	*dn;
	char			 path[PATH_MAX];
	size_t			 i, d;

	for (i = 0; i < q->n; i++) {
		printf("Checking service: %s...\n", q->v[i]);
		if (check_find(q->v[i], path, sizeof(path)) != 0) {
			check_error(q->v[i], 0, "service description not "
			    "found");
			continue;
		}
		if ((desc = parse_service(q->v[i], path, env, &perr)) ==
		    NULL) {
			check_parse_error(&perr);
			continue;
		}
		check_lint(desc);
		for (d = 0; d < desc->ndeps; d++) {
			dn = &desc->deps[d];
			check_add_edge(q->v[i], dn->name, dn->file,
			    dn->line);
			if (dn->type == DEP_AFTER || dn->type == DEP_BEFORE)
				continue;
			if (check_find(dn->name, path, sizeof(path)) != 0) {
				if (dn->from_dir)
					check_warning(dn->file, dn->line,
					    "no service '%s' for this "
					    "directory entry", dn->name);
				else
					check_error(dn->file, dn->line,
					    "dependency '%s' not found",
					    dn->name);
				continue;
			}
			check_enqueue(q, dn->name);
		}
		if (desc->chain_to != NULL &&
		    check_find(desc->chain_to, path, sizeof(path)) != 0)
			check_warn_setting(desc, "chain-to", "chain-to service "
			    "'%s' not found", desc->chain_to);
		parse_desc_free(desc);
	}
}

/* Load the services together to find what only the graph shows: cycles. */
static void
check_graph(struct strlist *q, struct environ *env)
{
	static const struct service_ops	 ops;
	struct service_set		 set;
	struct parse_error		 perr;
	size_t				 i;

	printf("Performing secondary checks...\n");
	service_set_init(&set, &ops);
	set.env = env;
	if (load_set_dirs(&set, check_dirs, check_ndirs) != 0)
		err(1, "out of memory");
	for (i = 0; i < q->n; i++) {
		if (load_service(&set, q->v[i], &perr) == NULL &&
		    strstr(perr.msg, "cycle") != NULL) {
			check_cycle_error(perr.file, perr.msg);
			break;
		}
	}
	service_set_free(&set);
	printf("Secondary checks complete.\n");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "services-dir", required_argument, NULL, 'd' },
		{ "env-file", required_argument, NULL, 'e' },
		{ "system", no_argument, NULL, 's' },
		{ "user", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct strlist		 q = { NULL, 0, 0 };
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
		default:
			check_usage();
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
	/* Our own report says it all: the loader's log stays quiet. */
	log_set_sink(LOG_SINK_MAIN, -1, LOG_LEVEL_NONE);
	environ_init(&env);
	if (environ_import(&env, environ) != 0)
		err(1, "out of memory");
	if (env_file != NULL && environ_read_file(&env, env_file, &env,
	    errbuf, sizeof(errbuf)) != 0)
		errx(1, "%s", errbuf);
	if (argc == 0)
		check_enqueue(&q, "boot");
	for (; argc > 0; argc--, argv++)
		check_enqueue(&q, *argv);
	check_all(&q, &env);
	if (check_errors == 0)
		check_graph(&q, &env);
	text_list_free(&q);
	environ_clear(&env);
	if (check_errors == 0 && check_warnings == 0) {
		printf("No problems found.\n");
		return (0);
	}
	printf("%u error(s), %u warning(s).\n", check_errors, check_warnings);
	return (1);
}
