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
 * The service-description parser, compatible with dinit-service(5).
 *
 * A description is read line by line from a stack of fragments (the file
 * and what it @includes).  Physical lines ending in an odd number of
 * backslashes are joined into one logical line, the escaped newline kept
 * as '\n' so that it ends a comment and counts as a line.  Each value is
 * lexed into words (quotes, escapes, comments).  Pre-load settings are
 * substituted (subst.c) at once from dinit's environment; late settings
 * are kept lexed until the end, when the service's own environment
 * (env-file and load-options) is known.  A '$' escaped by a backslash is
 * kept as "$$" in lexed values that are substituted later, so that it
 * stays a literal '$'.
 *
 * Each setting is a row of parse_settings: its name, its handler, where it
 * lands in struct service_desc, and what the handler needs (bounds, words,
 * the kind of dependency).  parse_setting only dispatches to the row.
 *
 * The input is untrusted in the sense that nothing in it may crash us or
 * leak: every error unwinds through parse_state_free.
 */

#include "dinit.h"

#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PARSE_INCLUDE_MAX	16	/* fragments open at once */
#define PARSE_INITTAB_ID_MAX	4	/* utmpx ut_id */
#define PARSE_INITTAB_LINE_MAX	32	/* utmpx ut_line */

/* Lexing flags: keep escaped '$' as "$$" for a later substitution. */
#define LEX_SUBST	0x01

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

struct parse_state;
struct parse_setting;

/* A setting's handler, given the text after the operator. */
typedef int	parse_set_fn(struct parse_state *,
		    const struct parse_setting *, const char *, int, int);

/*
 * The handler of a setting that takes one plain value, given that value
 * lexed (it may take the string, leaving NULL in its place).
 */
typedef int	parse_value_fn(struct parse_state *,
		    const struct parse_setting *, char **, int);

/* A word a setting takes, and what it stands for. */
struct parse_word {
	const char	*name;
	unsigned	 value;
};

/*
 * One known setting: its name, its handler (set, or value for a setting
 * of one plain value), where it lands in the description, and what the
 * handler needs to know.  Adding a setting is adding a row.
 */
struct parse_setting {
	const char		*name;
	parse_set_fn		*set;
	parse_value_fn		*value;
	size_t			 offset;	/* in struct service_desc, or */
	int			 rare;		/* ... in its rare block */
	size_t			 size;
	int			 flags;
#define SETTING_APPEND		0x01	/* "+=" allowed */
#define SETTING_LATE		0x02	/* substituted after loading */
#define SETTING_ARGV		0x04	/* late, into an argv */
#define SETTING_NOT_SELF	0x08	/* a service other than this one */
	long long		 min;		/* a number's bounds */
	long long		 max;		/* or most bytes of a string */
	size_t			 has;		/* int set when a number is */
	enum dependency_type	 dep;		/* the edge a name makes */
	const struct parse_word	*words;		/* the words it takes */
	const char		*what;		/* a word, in messages */
	enum osdep_feature	 feature;	/* the platform must have */
	int			(*convert)(const char *, void *);
};

static parse_set_fn	parse_set_late;
static parse_set_fn	parse_set_logfile;
static parse_set_fn	parse_set_env_file;
static parse_set_fn	parse_set_dep;
static parse_set_fn	parse_set_dep_dir;
static parse_set_fn	parse_set_service;
static parse_set_fn	parse_set_flags;
static parse_set_fn	parse_set_securebits;
static parse_set_fn	parse_set_capabilities;
static parse_value_fn	parse_value_string;
static parse_value_fn	parse_value_word;
static parse_value_fn	parse_value_signal;
static parse_value_fn	parse_value_ready;
static parse_value_fn	parse_value_int;
static parse_value_fn	parse_value_unsigned;
static parse_value_fn	parse_value_ioprio;
static parse_value_fn	parse_value_convert;
static int		parse_mode(const char *, void *);
static int		parse_time(const char *, void *);
static int		parse_rlimit(const char *, void *);
static void		parse_rare_strings_free(struct service_desc_rare *);

/* The environment of every description that sets no variable. */
static struct environ	parse_env_none;

/* Word settings are stored through an int. */
typedef char parse_enums_are_int[sizeof(enum service_type) == sizeof(int) &&
    sizeof(enum restart_mode) == sizeof(int) &&
    sizeof(enum log_type) == sizeof(int) ? 1 : -1];

static const struct parse_word parse_types[] = {
	{ "process", SERVICE_PROCESS },
	{ "bgprocess", SERVICE_BGPROCESS },
	{ "scripted", SERVICE_SCRIPTED },
	{ "internal", SERVICE_INTERNAL },
	{ "triggered", SERVICE_TRIGGERED },
	{ NULL, 0 }
};

static const struct parse_word parse_restart_modes[] = {
	{ "yes", RESTART_YES },
	{ "true", RESTART_YES },
	{ "on-failure", RESTART_ON_FAILURE },
	{ "no", RESTART_NO },
	{ "false", RESTART_NO },
	{ NULL, 0 }
};

static const struct parse_word parse_booleans[] = {
	{ "yes", 1 },
	{ "true", 1 },
	{ "no", 0 },
	{ "false", 0 },
	{ NULL, 0 }
};

static const struct parse_word parse_log_types[] = {
	{ "file", LOGTYPE_FILE },
	{ "buffer", LOGTYPE_BUFFER },
	{ "pipe", LOGTYPE_PIPE },
	{ "none", LOGTYPE_NONE },
	{ NULL, 0 }
};

/* The words of "options" and the bits they set. */
static const struct parse_word parse_options[] = {
	{ "runs-on-console", OPT_RUNS_ON_CONSOLE | OPT_STARTS_ON_CONSOLE },
	{ "starts-on-console", OPT_STARTS_ON_CONSOLE },
	{ "shares-console", OPT_SHARES_CONSOLE },
	{ "unmask-intr", OPT_UNMASK_INTR },
	{ "starts-rwfs", OPT_STARTS_RWFS },
	{ "starts-log", OPT_STARTS_LOG },
	{ "pass-cs-fd", OPT_PASS_CS_FD },
	{ "start-interruptible", OPT_START_INTERRUPTIBLE },
	{ "skippable", OPT_SKIPPABLE },
	{ "signal-process-only", OPT_SIGNAL_PROCESS_ONLY },
	{ "always-chain", OPT_ALWAYS_CHAIN },
	{ "kill-all-on-stop", OPT_KILL_ALL_ON_STOP },
	{ "no-new-privs", OPT_NO_NEW_PRIVS },
	{ NULL, 0 }
};

/* The options the platform must be able to honour. */
static const struct {
	unsigned		option;
	enum osdep_feature	feature;
} parse_option_features[] = {
	{ OPT_NO_NEW_PRIVS, OSDEP_NO_NEW_PRIVS }
};

static const struct parse_word parse_load_options[] = {
	{ "export-passwd-vars", LOPT_EXPORT_PASSWD_VARS },
	{ "export-service-name", LOPT_EXPORT_SERVICE_NAME },
	{ "sub-vars", LOPT_SUB_VARS },
	{ NULL, 0 }
};

static const struct parse_word parse_securebits_words[] = {
	{ "keep-caps", OSDEP_SECBIT_KEEP_CAPS },
	{ "keep-caps-locked", OSDEP_SECBIT_KEEP_CAPS_LOCKED },
	{ "no-setuid-fixup", OSDEP_SECBIT_NO_SETUID_FIXUP },
	{ "no-setuid-fixup-locked", OSDEP_SECBIT_NO_SETUID_FIXUP_LOCKED },
	{ "noroot", OSDEP_SECBIT_NOROOT },
	{ "noroot-locked", OSDEP_SECBIT_NOROOT_LOCKED },
	{ NULL, 0 }
};

/* A setting whose one value a converter checks and stores. */
#define CONVERT(fn)	.value = parse_value_convert, .convert = (fn)

/* Where a setting lands in the description. */
#define DESC(field)							\
	.offset = offsetof(struct service_desc, field),			\
	.size = sizeof(((struct service_desc *)0)->field)

/* Where a setting lands in the rare block of the description. */
#define RARE(field)							\
	.offset = offsetof(struct service_desc_rare, field),		\
	.size = sizeof(((struct service_desc_rare *)0)->field), .rare = 1

/*
 * The settings.  Late settings are substituted in the order of their
 * rows, which decides which error is reported when several are wrong.
 */
static const struct parse_setting parse_settings[] = {
	{ "type", .value = parse_value_word, DESC(type),
	    .words = parse_types },
	{ "command", parse_set_late, DESC(command),
	    .flags = SETTING_LATE | SETTING_ARGV | SETTING_APPEND },
	{ "stop-command", parse_set_late, DESC(stop_command),
	    .flags = SETTING_LATE | SETTING_ARGV | SETTING_APPEND },
	{ "working-dir", parse_set_late, DESC(working_dir),
	    .flags = SETTING_LATE },
	{ "run-as", .value = parse_value_string, DESC(run_as) },
	{ "env-file", parse_set_env_file, DESC(env_file) },
	{ "term-signal", .value = parse_value_signal, DESC(term_signal) },
	{ "termsignal", .value = parse_value_signal, DESC(term_signal) },
	{ "ready-notification", .value = parse_value_ready },
	{ "nice", .value = parse_value_int, RARE(nice),
	    .min = INT_MIN / 2, .max = INT_MAX / 2,
	    .has = offsetof(struct service_desc_rare, has_nice) },
	{ "ioprio", .value = parse_value_ioprio, RARE(ioprio),
	    .feature = OSDEP_IOPRIO },
	{ "oom-score-adj", .value = parse_value_int, RARE(oom_score_adj),
	    .min = -1000, .max = 1000,
	    .has = offsetof(struct service_desc_rare, has_oom_score_adj),
	    .feature = OSDEP_OOM_SCORE_ADJ },
	{ "run-in-cgroup", .value = parse_value_string, RARE(run_in_cgroup),
	    .feature = OSDEP_CGROUPS },
	{ "capabilities", parse_set_capabilities, RARE(capabilities),
	    .flags = SETTING_APPEND, .feature = OSDEP_CAPABILITIES },
	{ "securebits", parse_set_securebits, RARE(securebits),
	    .flags = SETTING_APPEND, .words = parse_securebits_words,
	    .what = "securebits flag", .feature = OSDEP_CAPABILITIES },
	{ "rlimit-nofile", CONVERT(parse_rlimit), RARE(rlimit_nofile) },
	{ "rlimit-core", CONVERT(parse_rlimit), RARE(rlimit_core) },
	{ "rlimit-data", CONVERT(parse_rlimit), RARE(rlimit_data) },
	{ "rlimit-addrspace", CONVERT(parse_rlimit), RARE(rlimit_addrspace) },
	{ "inittab-id", .value = parse_value_string, RARE(inittab_id),
	    .max = PARSE_INITTAB_ID_MAX, .feature = OSDEP_UTMPX },
	{ "inittab-line", .value = parse_value_string, RARE(inittab_line),
	    .max = PARSE_INITTAB_LINE_MAX, .feature = OSDEP_UTMPX },
	{ "depends-on", parse_set_dep, .dep = DEP_REGULAR },
	{ "prepared-by", parse_set_dep, .dep = DEP_PREPARED_BY },
	{ "depends-ms", parse_set_dep, .dep = DEP_MILESTONE },
	{ "waits-for", parse_set_dep, .dep = DEP_WAITS_FOR },
	{ "depends-on.d", parse_set_dep_dir, .dep = DEP_REGULAR },
	{ "depends-ms.d", parse_set_dep_dir, .dep = DEP_MILESTONE },
	{ "waits-for.d", parse_set_dep_dir, .dep = DEP_WAITS_FOR },
	{ "after", parse_set_dep, .dep = DEP_AFTER },
	{ "before", parse_set_dep, .dep = DEP_BEFORE },
	{ "chain-to", parse_set_service, RARE(chain_to) },
	{ "consumer-of", parse_set_service, RARE(consumer_of),
	    .flags = SETTING_NOT_SELF },
	{ "restart", .value = parse_value_word, DESC(restart),
	    .words = parse_restart_modes },
	{ "smooth-recovery", .value = parse_value_word,
	    DESC(smooth_recovery), .words = parse_booleans },
	{ "restart-delay", CONVERT(parse_time), DESC(restart_delay) },
	{ "restart-limit-interval", CONVERT(parse_time),
	    DESC(restart_limit_interval) },
	{ "restart-limit-count", .value = parse_value_unsigned,
	    DESC(restart_limit_count), .max = INT_MAX },
	{ "start-timeout", CONVERT(parse_time), DESC(start_timeout) },
	{ "stop-timeout", CONVERT(parse_time), DESC(stop_timeout) },
	{ "log-type", .value = parse_value_word, DESC(log_type),
	    .words = parse_log_types },
	{ "logfile", parse_set_logfile, DESC(logfile),
	    .flags = SETTING_LATE },
	{ "logfile-permissions", CONVERT(parse_mode),
	    RARE(logfile_permissions) },
	{ "logfile-uid", .value = parse_value_string, RARE(logfile_uid) },
	{ "logfile-gid", .value = parse_value_string, RARE(logfile_gid) },
	{ "log-buffer-size", .value = parse_value_unsigned,
	    RARE(log_buffer_size), .max = UINT_MAX / 2 },
	{ "socket-listen", parse_set_late, RARE(socket_listen),
	    .flags = SETTING_LATE },
	{ "pid-file", parse_set_late, RARE(pid_file), .flags = SETTING_LATE },
	{ "socket-permissions", CONVERT(parse_mode),
	    RARE(socket_permissions) },
	{ "socket-uid", .value = parse_value_string, RARE(socket_uid) },
	{ "socket-gid", .value = parse_value_string, RARE(socket_gid) },
	{ "options", parse_set_flags, DESC(options), .words = parse_options,
	    .what = "option" },
	{ "load-options", parse_set_flags, DESC(load_options),
	    .words = parse_load_options, .what = "load option" },
};

/* Signals a description or dinitctl may name. */
static const struct {
	const char	*name;
	int		 sig;
} parse_signals[] = {
	{ "HUP", SIGHUP },
	{ "INT", SIGINT },
	{ "QUIT", SIGQUIT },
	{ "KILL", SIGKILL },
	{ "USR1", SIGUSR1 },
	{ "USR2", SIGUSR2 },
	{ "TERM", SIGTERM },
	{ "CONT", SIGCONT },
	{ "STOP", SIGSTOP },
#ifdef SIGINFO
	{ "INFO", SIGINFO },
#endif
};

/* One open file of the description: the top one or an included one. */
struct fragment {
	struct text_file text;
	const char	*path;		/* in parse_state.paths */
	char		*dir;		/* to resolve relative paths */
	int		 line;
};

/* A late setting, lexed, waiting for the service's environment. */
struct parse_late {
	char		*value;		/* a string setting */
	struct strlist	 words;		/* an argv setting */
	const char	*file;
	int		 line;
};

/* Everything one parse_service call works with. */
struct parse_state {
	const char		*name;
	const char		*arg;
	const struct environ	*env;
	struct parse_error	*err;
	int			 errnum;	/* errno to return with */
	struct service_desc	*desc;
	const char		*file;		/* the description's path */
	struct service_desc_rare rare;	/* desc->rare while parsing */

	/*
	 * Reading on (dinit-check): every error goes to report and the
	 * description is read to its end; only a fatal error (out of
	 * memory, a read error) stops it.  The daemon leaves report NULL
	 * and stops at the first error: a load is all or nothing.
	 */
	parse_report_fn		*report;
	void			*report_arg;
	int			 fatal;

	struct fragment		 frags[PARSE_INCLUDE_MAX];
	int			 depth;
	struct strlist		 paths;		/* every fragment's path */
	char			*linebuf;	/* the physical line read last */
	struct text_buf		 logical;	/* the joined line */

	struct parse_late	 late[nitems(parse_settings)];
	const char		*env_file_file;
	int			 env_file_line;
};

static int	parse_report_at(struct parse_state *, const char *, int,
		    const char *, ...) PRINTFLIKE(4, 5);
static int	parse_report(struct parse_state *, int, const char *, ...)
		    PRINTFLIKE(3, 4);

/* Replace *dst by src (owned), freeing the old string. */
static void
parse_replace(char **dst, char *src)
{
	free(*dst);
	*dst = src;
}

/* Free a NULL-terminated argv. */
static void
parse_argv_free(char **argv)
{
	free(argv);
}

/*
 * An argv in one block: the pointers, then the words they point to.
 * NULL with errno ENOMEM.
 */
static char **
parse_argv_pack(const struct strlist *words)
{
	char	**argv, *p;
	size_t	  i, size, len;

	size = (words->n + 1) * sizeof(*argv);
	for (i = 0; i < words->n; i++) {
		len = strlen(words->v[i]) + 1;
		if (len > SIZE_MAX - size) {
			errno = ENOMEM;
			return (NULL);
		}
		size += len;
	}
	if ((argv = mem_alloc(size)) == NULL)
		return (NULL);
	p = (char *)(argv + words->n + 1);
	for (i = 0; i < words->n; i++) {
		len = strlen(words->v[i]) + 1;
		argv[i] = memcpy(p, words->v[i], len);
		p += len;
	}
	argv[words->n] = NULL;
	return (argv);
}

/* A newly allocated copy of the directory part of path. */
static char *
parse_path_dir(const char *path)
{
	const char	*slash;

	if ((slash = strrchr(path, '/')) == NULL)
		return (mem_strdup("."));
	if (slash == path)
		return (mem_strdup("/"));
	return (mem_strndup(path, (size_t)(slash - path)));
}

/* A newly allocated path: path itself if absolute, else dir/path. */
static char *
parse_path_resolve(const char *dir, const char *path)
{
	char	*out;
	size_t	 dlen, plen;

	if (path[0] == '/' || dir == NULL)
		return (mem_strdup(path));
	dlen = strlen(dir);
	plen = strlen(path);
	if ((out = mem_alloc(dlen + plen + 2)) == NULL)
		return (NULL);
	memcpy(out, dir, dlen);
	out[dlen] = '/';
	memcpy(out + dlen + 1, path, plen + 1);
	return (out);
}

/* Fill the error with a location and a message. */
static int
parse_vreport_at(struct parse_state *ps, const char *file, int line,
    const char *fmt, va_list ap)
{
	struct parse_error	*err = ps->err;

	if (err == NULL)
		return (-1);
	(void)strlcpy(err->file, file != NULL ? file : "", sizeof(err->file));
	err->line = line;
	(void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return (-1);
}

/* Report an error in a given file and line; returns -1. */
static int
parse_report_at(struct parse_state *ps, const char *file, int line,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)parse_vreport_at(ps, file, line, fmt, ap);
	va_end(ap);
	return (-1);
}

/* The path of the fragment being read, or of the description. */
static const char *
parse_file(struct parse_state *ps)
{
	if (ps->depth > 0)
		return (ps->frags[ps->depth - 1].path);
	return (ps->file);
}

/* Report an error at a line of the current fragment; returns -1. */
static int
parse_report(struct parse_state *ps, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)parse_vreport_at(ps, parse_file(ps), line, fmt, ap);
	va_end(ap);
	return (-1);
}

/* Report running out of memory at a line; returns -1. */
static int
parse_nomem(struct parse_state *ps, const char *file, int line)
{
	ps->errnum = ENOMEM;
	ps->fatal = 1;
	return (parse_report_at(ps, file != NULL ? file : parse_file(ps), line,
	    "out of memory"));
}

/*
 * After an error: when reading on, hand it to the reporter and return 0
 * so that the caller carries on; otherwise (or when the error is fatal)
 * return -1.
 */
static int
parse_read_on(struct parse_state *ps)
{
	if (ps->report == NULL || ps->fatal)
		return (-1);
	ps->report(ps->report_arg, ps->err);
	return (0);
}

/* Report a bad value for a setting; returns -1. */
static int
parse_bad_value(struct parse_state *ps, int line, const char *setting,
    const char *value, const char *why)
{
	if (why != NULL)
		return (parse_report(ps, line, "bad value for '%s': '%s' (%s)",
		    setting, value, why));
	return (parse_report(ps, line, "bad value for '%s': '%s'", setting,
	    value));
}

/*
 * Open a fragment and push it on the stack.  With optional, a missing
 * file is skipped.  line is where the @include is (0 for the top file).
 */
static int
parse_push(struct parse_state *ps, const char *path, int optional, int line)
{
	struct fragment	*f;
	struct stat	 sb;
	struct text_file text;
	char		*copy;
	int		 error, why;

	if (ps->depth == PARSE_INCLUDE_MAX)
		return (parse_report(ps, line,
		    "includes nested too deeply (include loop?): '%s'", path));
	if (text_open(&text, path, &sb, &why) == -1) {
		error = errno;
		if (error == ENOMEM)
			return (parse_nomem(ps, NULL, line));
		if (why == TEXT_OPEN_OPEN && optional && error == ENOENT)
			return (0);
		ps->errnum = error;
		if (ps->depth == 0)
			return (parse_report_at(ps, path, 0, "cannot %s: %s",
			    why == TEXT_OPEN_OPEN ? "open" : "read",
			    text_open_reason(why, error)));
		return (parse_report(ps, line, "cannot %s '%s': %s",
		    why == TEXT_OPEN_OPEN ? "open" : "read", path,
		    text_open_reason(why, error)));
	}
	if (ps->depth == 0)
		ps->desc->mtime = sb.st_mtime;
	if ((copy = mem_strdup(path)) == NULL ||
	    text_list_push(&ps->paths, copy) == -1) {
		text_close(&text);
		return (parse_nomem(ps, NULL, line));
	}
	f = &ps->frags[ps->depth];
	memset(f, 0, sizeof(*f));
	f->path = copy;
	if ((f->dir = parse_path_dir(path)) == NULL) {
		text_close(&text);
		return (parse_nomem(ps, NULL, line));
	}
	f->text = text;
	ps->depth++;
	return (0);
}

/* Close the innermost fragment. */
static void
parse_pop(struct parse_state *ps)
{
	struct fragment	*f = &ps->frags[--ps->depth];

	text_close(&f->text);
	free(f->dir);
	memset(f, 0, sizeof(*f));
}

/*
 * Point linebuf at the next physical line of the innermost fragment,
 * without its newline.  Returns 1, or 0 at the end of the fragment.
 */
static int
parse_getline(struct parse_state *ps, size_t *lenp)
{
	struct fragment	*f = &ps->frags[ps->depth - 1];
	size_t		 len;

	if ((ps->linebuf = text_line(&f->text, &len)) == NULL)
		return (0);
	f->line++;
	/* NB: a NUL byte ends the line. */
	*lenp = strlen(ps->linebuf);
	return (1);
}

/* Whether the joined line ends in an odd number of backslashes. */
static int
parse_continues(const struct text_buf *sb)
{
	size_t	n = 0;

	while (n < sb->len && sb->s[sb->len - 1 - n] == '\\')
		n++;
	return (n % 2 == 1);
}

/*
 * Read the next logical line (continuations joined, the escaped newline
 * kept as '\n') into ps->logical, closing finished fragments.  Returns 1
 * with *linep the number of its first line, 0 at the end, -1 on error.
 */
static int
parse_next_line(struct parse_state *ps, int *linep)
{
	struct fragment	*f;
	size_t		 len;
	int		 r;

	for (;;) {
		if (ps->depth == 0)
			return (0);
		f = &ps->frags[ps->depth - 1];
		if ((r = parse_getline(ps, &len)) == -1)
			return (-1);
		if (r == 0) {
			parse_pop(ps);
			continue;
		}
		*linep = f->line;
		text_buf_reset(&ps->logical);
		if (text_buf_add(&ps->logical, ps->linebuf, len) == -1)
			return (parse_nomem(ps, NULL, f->line));
		while (parse_continues(&ps->logical)) {
			ps->logical.s[ps->logical.len - 1] = '\n';
			if ((r = parse_getline(ps, &len)) == -1)
				return (-1);
			if (r == 0)
				return (parse_report(ps, f->line, "end-of-file "
				    "follows backslash escape character "
				    "(`\\')"));
			if (!isspace((unsigned char)ps->linebuf[0]))
				return (parse_report(ps, f->line, "line "
				    "following line-continuation backslash "
				    "(`\\') does not begin with whitespace"));
			if (text_buf_add(&ps->logical, ps->linebuf, len) == -1)
				return (parse_nomem(ps, NULL, f->line));
		}
		return (1);
	}
}

/* Whether c may be in a setting or meta-command name. */
static int
parse_name_char(unsigned char c)
{
	return (c == '-' || c == '.' || c == '_' || c >= 0x80 ||
	    isalnum(c));
}

/* Add one escaped (literal) character to a word. */
static int
parse_lex_literal(struct text_buf *word, char c, int flags)
{
	if (c == '$' && (flags & LEX_SUBST))
		return (text_buf_add(word, "$$", 2));
	if (c == '\n')
		c = ' ';
	return (text_buf_add(word, &c, 1));
}

/*
 * Lex a setting value starting just after its operator into words, added
 * to out: white space separates words and is dropped, double quotes
 * group, a backslash escapes any character, '#' after white space starts
 * a comment up to the end of the (physical) line.  line is the line
 * where p is; it advances over continuations.
 */
static int
parse_lex(struct parse_state *ps, const char *p, int line, int flags,
    struct strlist *out)
{
	struct text_buf	 word = { NULL, 0, 0 };
	int		 inword = 0, qline, escaped;

	while (*p != '\0') {
		if (isspace((unsigned char)*p)) {
			if (inword) {
				if (text_list_add(out, word.s, word.len) == -1)
					goto nomem;
				text_buf_reset(&word);
				inword = 0;
			}
			while (isspace((unsigned char)*p)) {
				if (*p++ == '\n')
					line++;
			}
			if (*p == '#') {
				while (*p != '\0' && *p != '\n')
					p++;
			}
			continue;
		}
		if (*p == '#') {
			text_buf_free(&word);
			return (parse_report(ps, line, "hashmark (`#') comment "
			    "must be separated from setting value by "
			    "whitespace"));
		}
		if (text_buf_add(&word, "", 0) == -1)
			goto nomem;
		inword = 1;
		if (*p == '"') {
			qline = line;
			for (p++; *p != '\0' && *p != '"'; p++) {
				escaped = *p == '\\' && p[1] != '\0';
				if (escaped)
					p++;
				if (*p == '\n')
					line++;
				if (parse_lex_literal(&word, *p,
				    escaped ? flags : 0) == -1)
					goto nomem;
			}
			if (*p != '"') {
				text_buf_free(&word);
				return (parse_report(ps, qline,
				    "unterminated quoted string"));
			}
			p++;
			continue;
		}
		if (*p == '\\') {
			if (*++p == '\0')
				break;
			if (*p == '\n')
				line++;
			if (parse_lex_literal(&word, *p++, flags) == -1)
				goto nomem;
			continue;
		}
		if (text_buf_add(&word, p++, 1) == -1)
			goto nomem;
	}
	if (inword && text_list_add(out, word.s, word.len) == -1)
		goto nomem;
	text_buf_free(&word);
	return (0);

nomem:
	text_buf_free(&word);
	return (parse_nomem(ps, NULL, line));
}

/* Lex a value and join its words with single spaces, into *out. */
static int
parse_lex_string(struct parse_state *ps, const char *p, int line, int flags,
    char **out)
{
	struct strlist	w = { NULL, 0, 0 };

	if (parse_lex(ps, p, line, flags, &w) == -1) {
		text_list_free(&w);
		return (-1);
	}
	*out = text_list_join(&w);
	text_list_free(&w);
	if (*out == NULL)
		return (parse_nomem(ps, NULL, line));
	return (0);
}

/* Report a failed substitution (errno, msg) in a setting; returns -1. */
static int
parse_subst_error(struct parse_state *ps, const char *file, int line,
    const char *setting, const char *msg)
{
	if (errno == ENOMEM)
		return (parse_nomem(ps, file, line));
	return (parse_report_at(ps, file, line, "%s: %s", setting, msg));
}

/* Substitute in one lexed word, adding the resulting words to out. */
static int
parse_subst_word(struct parse_state *ps, const char *file, int line,
    const char *setting, const struct subst_vars *sv, const char *in,
    struct strlist *out)
{
	const char	*msg = NULL;

	if (subst_word(sv, in, out, &msg) == -1)
		return (parse_subst_error(ps, file, line, setting, msg));
	return (0);
}

/* Substitute in a lexed string, joining split words with spaces. */
static int
parse_subst_string(struct parse_state *ps, const char *file, int line,
    const char *setting, const struct subst_vars *sv, const char *in,
    char **out)
{
	const char	*msg = NULL;

	if (subst_string(sv, in, out, &msg) == -1)
		return (parse_subst_error(ps, file, line, setting, msg));
	return (0);
}

/* Lex a pre-load value and substitute from dinit's environment and $1. */
static int
parse_preload(struct parse_state *ps, const char *p, int line,
    const char *setting, char **out)
{
	struct subst_vars	 lk = { NULL, ps->env, ps->arg };
	char			*lexed;
	int			 r;

	if (parse_lex_string(ps, p, line, LEX_SUBST, &lexed) == -1)
		return (-1);
	r = parse_subst_string(ps, parse_file(ps), line, setting, &lk, lexed,
	    out);
	free(lexed);
	return (r);
}

/* Parse an unsigned number (C syntax: decimal, 0x hex, 0 octal). */
static int
parse_unum(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long	 v;
	char			*end;

	if (!isdigit((unsigned char)s[0]))
		return (-1);
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v > max)
		return (-1);
	*out = v;
	return (0);
}

/* Parse a signed number within [min, max]. */
static int
parse_snum(const char *s, long long min, long long max, long long *out)
{
	long long	 v;
	char		*end;
	const char	*digits = s;

	if (*digits == '-' || *digits == '+')
		digits++;
	if (!isdigit((unsigned char)*digits))
		return (-1);
	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return (-1);
	*out = v;
	return (0);
}

/* Parse an octal permission mode into a mode_t. */
static int
parse_mode(const char *s, void *out)
{
	unsigned long	v = 0;

	if (*s == '\0')
		return (-1);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '7')
			return (-1);
		v = v * 8 + (unsigned long)(*s - '0');
		if (v > 07777)
			return (-1);
	}
	*(mode_t *)out = (mode_t)v;
	return (0);
}

/* Parse decimal seconds ("1.5", "1,5") into unsigned long milliseconds. */
static int
parse_time(const char *s, void *ms)
{
	const unsigned long	limit = (ULONG_MAX - 999) / 1000;
	unsigned long		sec = 0, frac = 0, scale = 100, d;
	int			digits = 0;

	for (; isdigit((unsigned char)*s); s++, digits++) {
		d = (unsigned long)(*s - '0');
		if (sec > (limit - d) / 10)
			return (-1);
		sec = sec * 10 + d;
	}
	if (*s == '.' || *s == ',') {
		for (s++; isdigit((unsigned char)*s); s++, digits++) {
			frac += (unsigned long)(*s - '0') * scale;
			scale /= 10;
		}
	}
	if (*s != '\0' || digits == 0)
		return (-1);
	*(unsigned long *)ms = sec * 1000 + frac;
	return (0);
}

/* Parse one half of an rlimit value: a number or '-' (unlimited). */
static int
parse_rlim(const char **pp, rlim_t *out)
{
	unsigned long long	 v;
	const char		*p = *pp;
	char			*end;

	if (*p == '-') {
		*out = RLIM_INFINITY;
		*pp = p + 1;
		return (0);
	}
	if (!isdigit((unsigned char)*p))
		return (-1);
	errno = 0;
	v = strtoull(p, &end, 0);
	/* RLIM_INFINITY is the largest rlim_t, signed or not. */
	if (errno != 0 || v > (unsigned long long)RLIM_INFINITY)
		return (-1);
	*out = (rlim_t)v;
	*pp = end;
	return (0);
}

/* Parse an rlimit setting: "soft:hard", "soft:", ":hard", "N", '-'. */
static int
parse_rlimit(const char *s, void *rl)
{
	struct rlimit_setting	 new;
	const char		*p = s;

	memset(&new, 0, sizeof(new));
	if (*p == '\0')
		return (-1);
	if (*p != ':') {
		new.set_soft = 1;
		if (parse_rlim(&p, &new.soft) == -1)
			return (-1);
		if (*p == '\0') {
			new.set_hard = 1;
			new.hard = new.soft;
			*(struct rlimit_setting *)rl = new;
			return (0);
		}
		if (*p != ':')
			return (-1);
	}
	p++;
	if (*p != '\0') {
		new.set_hard = 1;
		if (parse_rlim(&p, &new.hard) == -1 || *p != '\0')
			return (-1);
	}
	*(struct rlimit_setting *)rl = new;
	return (0);
}

/*
 * Read an ioprio value: none, idle, realtime:N, best-effort:N (N 0-7),
 * into an OSDEP_IOPRIO_* class and level.  0, or -1 when it is bad.
 */
int
parse_ioprio(const char *s, int *class, int *level)
{
	unsigned long long	n = 0;

	if (strcmp(s, "none") == 0)
		*class = OSDEP_IOPRIO_NONE;
	else if (strcmp(s, "idle") == 0)
		*class = OSDEP_IOPRIO_IDLE;
	else if (strncmp(s, "realtime:", 9) == 0 &&
	    parse_unum(s + 9, 7, &n) == 0)
		*class = OSDEP_IOPRIO_REALTIME;
	else if (strncmp(s, "best-effort:", 12) == 0 &&
	    parse_unum(s + 12, 7, &n) == 0)
		*class = OSDEP_IOPRIO_BEST_EFFORT;
	else
		return (-1);
	*level = (int)n;
	return (0);
}

/* The OSDEP_SECBIT_* flags of a securebits value (words known good). */
unsigned
parse_securebits(const char *s)
{
	const struct parse_word	*w;
	unsigned		 bits = 0;
	size_t			 len;

	for (; *s != '\0'; s += len) {
		s += strspn(s, " ");
		len = strcspn(s, " ");
		for (w = parse_securebits_words; w->name != NULL; w++) {
			if (strlen(w->name) == len &&
			    strncmp(w->name, s, len) == 0)
				bits |= w->value;
		}
	}
	return (bits);
}

/* Parse a signal name (HUP, SIGHUP, ...) or number; -1 if invalid. */
int
parse_signal(const char *s)
{
	unsigned long long	 v, max;
	const char		*name = s;
	size_t			 i;

	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (i = 0; i < nitems(parse_signals); i++) {
		if (strcmp(name, parse_signals[i].name) == 0)
			return (parse_signals[i].sig);
	}
#if defined(SIGRTMAX)
	max = (unsigned long long)SIGRTMAX;
#elif defined(NSIG)
	max = NSIG - 1;
#else
	max = 127;
#endif
	if (parse_unum(s, max, &v) == -1 || v == 0)
		return (-1);
	return ((int)v);
}

/* The name of a signal without "SIG", or NULL. */
const char *
parse_signal_name(int sig)
{
	size_t	i;

	for (i = 0; i < nitems(parse_signals); i++) {
		if (parse_signals[i].sig == sig)
			return (parse_signals[i].name);
	}
	return (NULL);
}

/*
 * Split a service name "base@arg": copy base into a buffer of baselen
 * bytes (unless base is NULL) and point *arg after the '@' (NULL without
 * one).  base must be non-empty, must not start with '.', and holds only
 * [A-Za-z0-9._-] and bytes >= 128; no byte of the name (argument too) is
 * a control character, and the whole is at most SERVICE_NAME_MAX bytes.
 * Returns 0, or -1 with errno EINVAL or ENAMETOOLONG.
 */
int
parse_service_name(const char *full, char *base, size_t baselen,
    const char **arg)
{
	const char	*at;
	size_t		 len, i;
	unsigned char	 c;

	at = strchr(full, '@');
	len = at != NULL ? (size_t)(at - full) : strlen(full);
	if (len == 0 || full[0] == '.') {
		errno = EINVAL;
		return (-1);
	}
	for (i = 0; full[i] != '\0'; i++) {
		c = (unsigned char)full[i];
		if (c < 0x20 || c == 0x7f) {
			errno = EINVAL;
			return (-1);
		}
		if (i == SERVICE_NAME_MAX) {
			errno = ENAMETOOLONG;
			return (-1);
		}
	}
	for (i = 0; i < len; i++) {
		c = (unsigned char)full[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-' || c >= 0x80)) {
			errno = EINVAL;
			return (-1);
		}
	}
	if (base != NULL) {
		if (len >= baselen) {
			errno = ENAMETOOLONG;
			return (-1);
		}
		memcpy(base, full, len);
		base[len] = '\0';
	}
	if (arg != NULL)
		*arg = at != NULL ? at + 1 : NULL;
	return (0);
}

/* Add a dependency named where the current line is. */
static int
parse_add_dep(struct parse_state *ps, const char *name,
    enum dependency_type type, int line)
{
	struct service_desc	*desc = ps->desc;
	struct dep_name		*deps, *dn, *prev;
	unsigned		 n = desc->ndeps;

	/*
	 * Room doubles when n is a power of two (the room is the next one
	 * up): a *.d directory of thousands is not copied for each entry.
	 */
	if ((n & (n - 1)) == 0) {
		if (n > UINT_MAX / 2 || (deps = mem_array(desc->deps,
		    n == 0 ? 1 : (size_t)n * 2, sizeof(*deps))) == NULL)
			return (parse_nomem(ps, NULL, line));
		desc->deps = deps;
	}
	dn = &desc->deps[n];
	memset(dn, 0, sizeof(*dn));
	dn->type = type;
	dn->line = line;
	if ((dn->name = mem_strdup(name)) == NULL)
		return (parse_nomem(ps, NULL, line));
	/*
	 * A dependency named in the same file as the one before shares its
	 * copy of the file's name (parse_desc_drop_deps knows): a *.d
	 * directory names all its entries from one line.
	 */
	prev = n > 0 ? &desc->deps[n - 1] : NULL;
	if (prev != NULL && strcmp(prev->file, parse_file(ps)) == 0)
		dn->file = prev->file;
	else if ((dn->file = mem_strdup(parse_file(ps))) == NULL) {
		free(dn->name);
		return (parse_nomem(ps, NULL, line));
	}
	desc->ndeps++;
	return (0);
}

/* Compare two strings through pointers, for qsort. */
static int
parse_cmp_strings(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * Add a dependency for every entry (not starting with '.') of a
 * directory, relative to the current fragment, in sorted order.  A
 * directory that cannot be read adds nothing.
 */
static int
parse_dep_dir(struct parse_state *ps, const char *dir,
    enum dependency_type type, int line)
{
	struct strlist	 names = { NULL, 0, 0 };
	struct dirent	*de;
	DIR		*dp;
	char		*path;
	size_t		 i;
	int		 r = 0;

	if ((path = parse_path_resolve(ps->frags[ps->depth - 1].dir,
	    dir)) == NULL)
		return (parse_nomem(ps, NULL, line));
	dp = opendir(path);
	if (type == DEP_WAITS_FOR && ps->desc->rare->waits_for_d == NULL)
		ps->desc->rare->waits_for_d = path;	/* where enable adds links */
	else
		free(path);
	if (dp == NULL)
		return (0);
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (text_list_add(&names, de->d_name,
		    strlen(de->d_name)) == -1) {
			r = parse_nomem(ps, NULL, line);
			break;
		}
	}
	(void)closedir(dp);
	if (r == 0 && names.n > 0) {
		qsort(names.v, names.n, sizeof(*names.v), parse_cmp_strings);
		for (i = 0; i < names.n && r == 0; i++) {
			r = parse_add_dep(ps, names.v[i], type, line);
			if (r == 0)
				ps->desc->deps[ps->desc->ndeps - 1].from_dir =
				    1;
		}
	}
	text_list_free(&names);
	return (r);
}

/* A service name from a pre-load setting, checked. */
static int
parse_service_value(struct parse_state *ps, const char *p, int line,
    const char *setting, char **out)
{
	const char	*why;
	unsigned char	*c;

	if (parse_preload(ps, p, line, setting, out) == -1)
		return (-1);
	if (parse_service_name(*out, NULL, 0, NULL) == -1) {
		why = errno == ENAMETOOLONG ? "service name too long" :
		    "invalid service name";
		for (c = (unsigned char *)*out; *c != '\0'; c++) {
			if (*c < 0x20 || *c == 0x7f)
				*c = '?';
		}
		parse_report(ps, line, "%s: %s '%s', named by '%s'", setting,
		    why, *out, ps->name);
		free(*out);
		*out = NULL;
		return (-1);
	}
	return (0);
}

/* The block a setting lands in: the description or its rare block. */
static char *
parse_base(struct parse_state *ps, const struct parse_setting *st)
{
	return (st->rare ? (char *)ps->desc->rare : (char *)ps->desc);
}

/* Where a setting lands in the description being parsed. */
static void *
parse_field(struct parse_state *ps, const struct parse_setting *st)
{
	return (parse_base(ps, st) + st->offset);
}

/* The word of a table called name, or NULL. */
static const struct parse_word *
parse_word_find(const struct parse_word *words, const char *name)
{
	for (; words->name != NULL; words++) {
		if (strcmp(words->name, name) == 0)
			return (words);
	}
	return (NULL);
}

/*
 * Lex a list of words that must all be in the setting's table; -1 names
 * the first that is not.
 */
static int
parse_words(struct parse_state *ps, const struct parse_setting *st,
    const char *p, int line, struct strlist *w)
{
	const struct parse_word	*word;
	const char		*why;
	size_t			 i, j;

	if (parse_lex(ps, p, line, 0, w) == -1)
		return (-1);
	for (i = 0; i < w->n; i++) {
		if ((word = parse_word_find(st->words, w->v[i])) == NULL)
			return (parse_report(ps, line, "unknown %s: '%s'",
			    st->what, w->v[i]));
		for (j = 0; st->words == parse_options &&
		    j < nitems(parse_option_features); j++) {
			if (parse_option_features[j].option != word->value ||
			    (why = osdep_unsupported(
			    parse_option_features[j].feature)) == NULL)
				continue;
			return (parse_report(ps, line, "%s '%s' is not "
			    "supported on this platform (%s): %s", st->what,
			    w->v[i], osdep_name(), why));
		}
	}
	return (0);
}

/* A new string "a<sep>b". */
static char *
parse_concat(const char *a, char sep, const char *b)
{
	char	*all;
	size_t	 len;

	len = strlen(a) + strlen(b) + 2;
	if ((all = mem_alloc(len)) != NULL)
		(void)snprintf(all, len, "%s%c%s", a, sep, b);
	return (all);
}

/* Keep a late setting, lexed, for the end ("+=" appends to a command). */
static int
parse_set_late(struct parse_state *ps, const struct parse_setting *st,
    const char *p, int line, int append)
{
	struct parse_late	*late = &ps->late[st - parse_settings];
	char			*value;

	if ((st->flags & SETTING_ARGV) != 0) {
		if (!append)
			text_list_free(&late->words);
		late->file = parse_file(ps);
		late->line = line;
		return (parse_lex(ps, p, line, LEX_SUBST, &late->words));
	}
	if (parse_lex_string(ps, p, line, LEX_SUBST, &value) == -1)
		return (-1);
	parse_replace(&late->value, value);
	late->file = parse_file(ps);
	late->line = line;
	return (0);
}

/* A logfile also makes the log type "file" unless one was chosen. */
static int
parse_set_logfile(struct parse_state *ps, const struct parse_setting *st,
    const char *p, int line, int append)
{
	if (parse_set_late(ps, st, p, line, append) == -1)
		return (-1);
	if (*ps->late[st - parse_settings].value != '\0' &&
	    ps->desc->log_type == LOGTYPE_NONE)
		ps->desc->log_type = LOGTYPE_FILE;
	return (0);
}

/* env-file: a pre-load path (none when empty), read after loading. */
static int
parse_set_env_file(struct parse_state *ps, const struct parse_setting *st,
    const char *p, int line, int append)
{
	char	*value;

	if (parse_preload(ps, p, line, st->name, &value) == -1)
		return (-1);
	if (*value == '\0') {
		free(value);
		value = NULL;
	}
	parse_replace(parse_field(ps, st), value);
	ps->env_file_file = parse_file(ps);
	ps->env_file_line = line;
	return (0);
}

/* A dependency on the service named. */
static int
parse_set_dep(struct parse_state *ps, const struct parse_setting *st,
    const char *p, int line, int append)
{
	char	*value;
	int	 r;

	if (parse_service_value(ps, p, line, st->name, &value) == -1)
		return (-1);
	r = parse_add_dep(ps, value, st->dep, line);
	free(value);
	return (r);
}

/* A dependency on every service named in a directory. */
static int
parse_set_dep_dir(struct parse_state *ps, const struct parse_setting *st,
    const char *p, int line, int append)
{
	char	*value;
	int	 r;

	if (parse_preload(ps, p, line, st->name, &value) == -1)
		return (-1);
	if (*value == '\0')
		r = parse_bad_value(ps, line, st->name, value, "empty");
	else
		r = parse_dep_dir(ps, value, st->dep, line);
	free(value);
	return (r);
}

/* The name of another service (chain-to, consumer-of). */
static int
parse_set_service(struct parse_state *ps, const struct parse_setting *st,
    const char *p, int line, int append)
{
	char	*value;

	if (parse_service_value(ps, p, line, st->name, &value) == -1)
		return (-1);
	if ((st->flags & SETTING_NOT_SELF) != 0 &&
	    strcmp(value, ps->name) == 0) {
		free(value);
		return (parse_report(ps, line,
		    "service cannot be its own consumer"));
	}
	parse_replace(parse_field(ps, st), value);
	return (0);
}

/*
 * Words that each set bits (options, load-options), in a field of 8, 16
 * or more bits, as the row's is.
 */
static int
parse_set_flags(struct parse_state *ps, const struct parse_setting *st,
    const char *p, int line, int append)
{
	struct strlist	 w = { NULL, 0, 0 };
	void		*field = parse_field(ps, st);
	unsigned	 bits = 0;
	uint16_t	 b16;
	uint8_t		 b8;
	size_t		 i;
	int		 r;

	if ((r = parse_words(ps, st, p, line, &w)) == 0) {
		for (i = 0; i < w.n; i++)
			bits |= parse_word_find(st->words, w.v[i])->value;
		if (st->size == sizeof(b8)) {
			memcpy(&b8, field, sizeof(b8));
			b8 |= (uint8_t)bits;
			memcpy(field, &b8, sizeof(b8));
		} else if (st->size == sizeof(b16)) {
			memcpy(&b16, field, sizeof(b16));
			b16 |= (uint16_t)bits;
			memcpy(field, &b16, sizeof(b16));
		} else
			*(unsigned *)field |= bits;
	}
	text_list_free(&w);
	return (r);
}

/* The securebits words, replacing or appending with a space. */
static int
parse_set_securebits(struct parse_state *ps, const struct parse_setting *st,
    const char *p, int line, int append)
{
	struct strlist	  w = { NULL, 0, 0 };
	char		**dst = parse_field(ps, st), *joined, *all;

	if (parse_words(ps, st, p, line, &w) == -1) {
		text_list_free(&w);
		return (-1);
	}
	joined = text_list_join(&w);
	text_list_free(&w);
	if (joined == NULL)
		return (parse_nomem(ps, NULL, line));
	if (append && *dst != NULL && **dst != '\0' && *joined != '\0') {
		all = parse_concat(*dst, ' ', joined);
		free(joined);
		if ((joined = all) == NULL)
			return (parse_nomem(ps, NULL, line));
	} else if (append && *dst != NULL && *joined == '\0') {
		free(joined);
		return (0);
	}
	parse_replace(dst, joined);
	return (0);
}

/* Capabilities, replacing or appending with a comma. */
static int
parse_set_capabilities(struct parse_state *ps,
    const struct parse_setting *st, const char *p, int line, int append)
{
	struct osdep_caps	  caps;
	char			**dst = parse_field(ps, st), *value, *all;

	if (parse_lex_string(ps, p, line, 0, &value) == -1)
		return (-1);
	if (osdep_caps_parse(value, &caps) == -1) {
		(void)parse_bad_value(ps, line, st->name, value, errno ==
		    EINVAL ? NULL : strerror(errno));
		free(value);
		return (-1);
	}
	if (append && *dst != NULL && **dst != '\0') {
		all = parse_concat(*dst, ',', value);
		free(value);
		if ((value = all) == NULL)
			return (parse_nomem(ps, NULL, line));
	}
	parse_replace(dst, value);
	return (0);
}

/* A string that must not be empty, nor longer than the row's max. */
static int
parse_value_string(struct parse_state *ps, const struct parse_setting *st,
    char **valuep, int line)
{
	char	*value = *valuep;

	if (*value == '\0' || (st->max != 0 &&
	    strlen(value) > (size_t)st->max))
		return (parse_bad_value(ps, line, st->name, value,
		    *value == '\0' ? "empty" : "too long"));
	parse_replace(parse_field(ps, st), value);
	*valuep = NULL;
	return (0);
}

/* Store a small value in an int or a byte, as the row's field is. */
static void
parse_store_small(struct parse_state *ps, const struct parse_setting *st,
    int v)
{
	uint8_t	b = (uint8_t)v;

	if (st->size == sizeof(b))
		memcpy(parse_field(ps, st), &b, sizeof(b));
	else
		memcpy(parse_field(ps, st), &v, sizeof(v));
}

/* One word of the row's table, stored as an int or a byte. */
static int
parse_value_word(struct parse_state *ps, const struct parse_setting *st,
    char **valuep, int line)
{
	const struct parse_word	*w;

	if ((w = parse_word_find(st->words, *valuep)) == NULL)
		return (parse_bad_value(ps, line, st->name, *valuep, NULL));
	parse_store_small(ps, st, (int)w->value);
	return (0);
}

/* A signal, or none. */
static int
parse_value_signal(struct parse_state *ps, const struct parse_setting *st,
    char **valuep, int line)
{
	const char	*value = *valuep;
	int		 sig;

	if (strcmp(value, "none") == 0 || strcmp(value, "NONE") == 0)
		sig = 0;
	else if ((sig = parse_signal(value)) == -1)
		return (parse_bad_value(ps, line, st->name, value,
		    "unknown signal"));
	parse_store_small(ps, st, sig);
	return (0);
}

/* ready-notification: pipefd:N, pipevar:NAME or notify. */
static int
parse_value_ready(struct parse_state *ps, const struct parse_setting *st,
    char **valuep, int line)
{
	struct service_desc	*desc = ps->desc;
	const char		*value = *valuep;
	unsigned long long	 fd;

	if (strncmp(value, "pipefd:", 7) == 0) {
		if (parse_unum(value + 7, INT_MAX, &fd) == -1)
			return (parse_bad_value(ps, line, st->name, value,
			    NULL));
		desc->rare->ready_fd = (int)fd;
		parse_replace(&desc->rare->ready_var, NULL);
		desc->ready_notify = 0;
	} else if (strcmp(value, "notify") == 0) {
		desc->rare->ready_fd = -1;
		parse_replace(&desc->rare->ready_var, NULL);
		desc->ready_notify = 1;
	} else if (strncmp(value, "pipevar:", 8) == 0 && value[8] != '\0') {
		parse_replace(&desc->rare->ready_var, mem_strdup(value + 8));
		if (desc->rare->ready_var == NULL)
			return (parse_nomem(ps, NULL, line));
		desc->rare->ready_fd = -1;
		desc->ready_notify = 0;
	} else
		return (parse_bad_value(ps, line, st->name, value, NULL));
	return (0);
}

/* A signed number within the row's bounds; its "has" flag is set. */
static int
parse_value_int(struct parse_state *ps, const struct parse_setting *st,
    char **valuep, int line)
{
	long long	v;

	if (parse_snum(*valuep, st->min, st->max, &v) == -1)
		return (parse_bad_value(ps, line, st->name, *valuep, NULL));
	*(int *)(parse_base(ps, st) + st->has) = 1;
	*(int *)parse_field(ps, st) = (int)v;
	return (0);
}

/* An unsigned number up to the row's max, into an unsigned field. */
static int
parse_value_unsigned(struct parse_state *ps,
    const struct parse_setting *st, char **valuep, int line)
{
	unsigned long long	v;
	unsigned long		ul;
	unsigned		u;

	if (parse_unum(*valuep, (unsigned long long)st->max, &v) == -1)
		return (parse_bad_value(ps, line, st->name, *valuep, NULL));
	u = (unsigned)v;
	ul = (unsigned long)v;
	if (st->size == sizeof(u))
		memcpy(parse_field(ps, st), &u, sizeof(u));
	else if (st->size == sizeof(ul))
		memcpy(parse_field(ps, st), &ul, sizeof(ul));
	else
		memcpy(parse_field(ps, st), &v, sizeof(v));
	return (0);
}

/* An I/O priority, kept as written. */
static int
parse_value_ioprio(struct parse_state *ps, const struct parse_setting *st,
    char **valuep, int line)
{
	int	class, level;

	if (parse_ioprio(*valuep, &class, &level) == -1)
		return (parse_bad_value(ps, line, st->name, *valuep, NULL));
	parse_replace(parse_field(ps, st), *valuep);
	*valuep = NULL;
	return (0);
}

/* A value the row's converter checks and stores. */
static int
parse_value_convert(struct parse_state *ps, const struct parse_setting *st,
    char **valuep, int line)
{
	if (st->convert(*valuep, parse_field(ps, st)) == -1)
		return (parse_bad_value(ps, line, st->name, *valuep, NULL));
	return (0);
}

/* Handle one setting line through its row; p is just after the operator. */
static int
parse_setting(struct parse_state *ps, const struct parse_setting *st,
    int append, const char *p, int line)
{
	const char	*why;
	char		*value;
	int		 r;

	if (st->feature != 0 && (why = osdep_unsupported(st->feature)) != NULL)
		return (parse_report(ps, line, "'%s' is not supported on this "
		    "platform (%s): %s", st->name, osdep_name(), why));
	if (st->set != NULL)
		return (st->set(ps, st, p, line, append));
	if (parse_lex_string(ps, p, line, 0, &value) == -1)
		return (-1);
	r = st->value(ps, st, &value, line);
	free(value);
	return (r);
}

/* "@meta enable-via service"; p is just after "enable-via". */
static int
parse_enable_via(struct parse_state *ps, const char *p, int line)
{
	struct strlist	w = { NULL, 0, 0 };
	int		r = -1;

	if (parse_lex(ps, p, line, 0, &w) == -1)
		goto out;
	if (w.n != 1 || parse_service_name(w.v[0], NULL, 0, NULL) == -1) {
		parse_report(ps, line, "'@meta enable-via' requires a single "
		    "service name");
		goto out;
	}
	parse_replace(&ps->desc->rare->enable_via, w.v[0]);
	w.v[0] = NULL;
	w.n = 0;
	r = 0;
out:
	text_list_free(&w);
	return (r);
}

/* "@include path" or (optional) "@include-opt path". */
static int
parse_include(struct parse_state *ps, const char *p, int line, int optional)
{
	struct strlist		 w = { NULL, 0, 0 };
	struct subst_vars	 sv = { NULL, ps->env, ps->arg };
	const char		*what = optional ? "include-opt" : "include";
	char			*path = NULL, *resolved;
	int			 r = -1;

	if (parse_lex(ps, p, line, LEX_SUBST, &w) == -1)
		goto out;
	if (w.n != 1) {
		parse_report(ps, line, "'@%s' requires a single argument",
		    what);
		goto out;
	}
	if (parse_subst_string(ps, parse_file(ps), line, what, &sv, w.v[0],
	    &path) == -1)
		goto out;
	if (*path == '\0') {
		parse_report(ps, line, "'@%s' path is empty", what);
		goto out;
	}
	resolved = parse_path_resolve(ps->frags[ps->depth - 1].dir, path);
	if (resolved == NULL) {
		parse_nomem(ps, NULL, line);
		goto out;
	}
	r = parse_push(ps, resolved, optional, line);
	free(resolved);
out:
	free(path);
	text_list_free(&w);
	return (r);
}

/* Handle a line starting with '@'; p is just after the '@'. */
static int
parse_meta(struct parse_state *ps, const char *p, int line)
{
	const char	*cmd = p;
	size_t		 len;

	while (parse_name_char((unsigned char)*p))
		p++;
	len = (size_t)(p - cmd);
	if (len == 4 && strncmp(cmd, "meta", 4) == 0) {
		/* Only "@meta enable-via service" means anything to us. */
		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, "enable-via", 10) != 0 ||
		    !isspace((unsigned char)p[10]))
			return (0);
		return (parse_enable_via(ps, p + 10, line));
	}
	if (len == 7 && strncmp(cmd, "include", 7) == 0)
		return (parse_include(ps, p, line, 0));
	if (len == 11 && strncmp(cmd, "include-opt", 11) == 0)
		return (parse_include(ps, p, line, 1));
	return (parse_report(ps, line, "bad meta command"));
}

/* The row of the setting called name (len bytes), or NULL. */
static const struct parse_setting *
parse_setting_find(const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < nitems(parse_settings); i++) {
		if (strlen(parse_settings[i].name) == len &&
		    strncmp(parse_settings[i].name, name, len) == 0)
			return (&parse_settings[i]);
	}
	return (NULL);
}

/* Handle one logical line. */
static int
parse_line(struct parse_state *ps, const char *p, int line)
{
	const struct parse_setting	*st;
	const char			*name;
	char				 setting[64];
	size_t				 len;
	int				 append = 0;

	while (isspace((unsigned char)*p)) {
		if (*p++ == '\n')
			line++;
	}
	if (*p == '\0' || *p == '#')
		return (0);
	if (*p == '@')
		return (parse_meta(ps, p + 1, line));

	name = p;
	if (*p != '-' && *p != '.' && !isdigit((unsigned char)*p)) {
		while (parse_name_char((unsigned char)*p))
			p++;
	}
	len = (size_t)(p - name);
	while (isspace((unsigned char)*p)) {
		if (*p++ == '\n')
			line++;
	}
	if (len == 0)
		return (parse_report(ps, line, "badly formed line"));
	if (*p == '+' && p[1] == '=') {
		append = 1;
		p += 2;
	} else if (*p == '=' || *p == ':')
		p++;
	else
		return (parse_report(ps, line, "badly formed line"));

	if ((st = parse_setting_find(name, len)) == NULL) {
		if (len >= sizeof(setting))
			len = sizeof(setting) - 1;
		memcpy(setting, name, len);
		setting[len] = '\0';
		return (parse_report(ps, line, "unknown setting: '%s'",
		    setting));
	}
	if (append && (st->flags & SETTING_APPEND) == 0)
		return (parse_report(ps, line,
		    "cannot use '+=' with setting '%s'", st->name));
	return (parse_setting(ps, st, append, p, line));
}

#ifdef DINITCTL_OFFLINE
/*
 * dinitctl's copy of the parser (see Makefile.am) reads descriptions only
 * offline, for their dependencies and links, which these variables cannot
 * change (only late settings see them): it asks no user database, whose
 * modules a static dinitctl would have to load from the shared C library.
 */
static int
parse_passwd_vars(struct parse_state *ps)
{
	return (0);
}
#else
/* Add USER, LOGNAME, HOME, SHELL, UID and GID of the run-as user. */
static int
parse_passwd_vars(struct parse_state *ps)
{
	struct service_desc	*desc = ps->desc;
	struct passwd		*pw;
	unsigned long long	 uid;
	char			 num[32];

	errno = 0;
	if (desc->run_as == NULL)
		pw = getpwuid(geteuid());
	else if (parse_unum(desc->run_as, (uid_t)-1, &uid) == 0)
		pw = getpwuid((uid_t)uid);
	else
		pw = getpwnam(desc->run_as);
	if (pw == NULL)
		return (parse_report_at(ps, ps->file, 0,
		    "export-passwd-vars: user '%s' not found in the system "
		    "database",
		    desc->run_as != NULL ? desc->run_as : "(current)"));
	if (environ_set(desc->env, "USER", pw->pw_name) == -1 ||
	    environ_set(desc->env, "LOGNAME", pw->pw_name) == -1 ||
	    environ_set(desc->env, "HOME", pw->pw_dir) == -1 ||
	    environ_set(desc->env, "SHELL", pw->pw_shell) == -1)
		return (parse_nomem(ps, ps->file, 0));
	(void)snprintf(num, sizeof(num), "%lu", (unsigned long)pw->pw_uid);
	if (environ_set(desc->env, "UID", num) == -1)
		return (parse_nomem(ps, ps->file, 0));
	(void)snprintf(num, sizeof(num), "%lu", (unsigned long)pw->pw_gid);
	if (environ_set(desc->env, "GID", num) == -1)
		return (parse_nomem(ps, ps->file, 0));
	return (0);
}
#endif

/* Build the service environment: load-option variables, then env-file. */
static int
parse_service_env(struct parse_state *ps)
{
	struct service_desc	*desc = ps->desc;
	char			*path, msg[sizeof(ps->err->msg)];

	if ((desc->load_options & (LOPT_EXPORT_SERVICE_NAME |
	    LOPT_EXPORT_PASSWD_VARS)) == 0 && desc->env_file == NULL)
		return (0);
	if (desc->env == &parse_env_none) {
		if ((desc->env = mem_alloc(sizeof(*desc->env))) == NULL) {
			desc->env = &parse_env_none;
			return (parse_nomem(ps, ps->file, 0));
		}
		environ_init(desc->env);
	}
	if ((desc->load_options & LOPT_EXPORT_SERVICE_NAME) != 0 &&
	    environ_set(desc->env, "DINIT_SERVICE", desc->name) == -1)
		return (parse_nomem(ps, ps->file, 0));
	if ((desc->load_options & LOPT_EXPORT_PASSWD_VARS) != 0 &&
	    parse_passwd_vars(ps) == -1)
		return (-1);
	if (desc->env_file == NULL)
		return (0);
	if ((path = parse_path_resolve(parse_desc_dir(desc),
	    desc->env_file)) == NULL)
		return (parse_nomem(ps, ps->env_file_file, ps->env_file_line));
	msg[0] = '\0';
	if (environ_read_file(desc->env, path, ps->env, msg,
	    sizeof(msg)) == -1) {
		ps->errnum = errno;
		free(path);
		return (parse_report_at(ps, ps->env_file_file,
		    ps->env_file_line, "env-file: %s", msg));
	}
	free(path);
	return (0);
}

/* Substitute a late string setting into its field (NULL when empty). */
static int
parse_finish_string(struct parse_state *ps, const struct parse_setting *st,
    const struct parse_late *late, const struct subst_vars *sv)
{
	char	*value;

	if (late->value == NULL)
		return (0);
	if (parse_subst_string(ps, late->file, late->line, st->name, sv,
	    late->value, &value) == -1)
		return (-1);
	if (*value == '\0') {
		free(value);
		value = NULL;
	}
	parse_replace(parse_field(ps, st), value);
	return (0);
}

/* Substitute a late command into its argv (NULL when empty). */
static int
parse_finish_argv(struct parse_state *ps, const struct parse_setting *st,
    const struct parse_late *late, const struct subst_vars *sv)
{
	struct strlist	  argv = { NULL, 0, 0 };
	char		***dst = parse_field(ps, st);
	char		**packed = NULL;
	size_t		  i;

	for (i = 0; i < late->words.n; i++) {
		if (parse_subst_word(ps, late->file, late->line, st->name, sv,
		    late->words.v[i], &argv) == -1) {
			text_list_free(&argv);
			return (-1);
		}
	}
	/* Kept for the service's life: one block, no room to spare. */
	if (argv.n > 0 && (packed = parse_argv_pack(&argv)) == NULL) {
		text_list_free(&argv);
		return (parse_nomem(ps, late->file, late->line));
	}
	text_list_free(&argv);
	parse_argv_free(*dst);
	*dst = packed;
	return (0);
}

/*
 * Report a description wrong as a whole (no one line); returns -1, or 0
 * when reading on.
 */
static int PRINTFLIKE(2, 3)
parse_invalid(struct parse_state *ps, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)parse_vreport_at(ps, ps->file, 0, fmt, ap);
	va_end(ap);
	return (parse_read_on(ps));
}

/* Check what settings say together, once all are known. */
static int
parse_validate(struct parse_state *ps)
{
	struct service_desc	*desc = ps->desc;
	enum service_type	 type = desc->type;

	if ((type == SERVICE_PROCESS || type == SERVICE_BGPROCESS ||
	    type == SERVICE_SCRIPTED) && desc->command == NULL &&
	    parse_invalid(ps, "'command' setting not specified") == -1)
		return (-1);
	if (type == SERVICE_BGPROCESS && !osdep_can_adopt() &&
	    parse_invalid(ps, "bgprocess services cannot be supervised on this "
	    "platform (%s): it cannot tell a daemon's parent",
	    osdep_name()) == -1)
		return (-1);
	if (type != SERVICE_PROCESS &&
	    (desc->rare->inittab_id != NULL || desc->rare->inittab_line != NULL) &&
	    parse_invalid(ps, "a utmpx record ('inittab-id', 'inittab-line') "
	    "is only kept for process services") == -1)
		return (-1);
	if (desc->rare->run_in_cgroup != NULL &&
	    desc->rare->run_in_cgroup[0] == '\0') {
		/* As in dinit: an empty path places nothing. */
		free(desc->rare->run_in_cgroup);
		desc->rare->run_in_cgroup = NULL;
	}
	if (type == SERVICE_BGPROCESS && desc->rare->pid_file == NULL &&
	    !desc->ready_notify &&
	    parse_invalid(ps, "process ID file ('pid-file') not specified "
	    "for bgprocess service") == -1)
		return (-1);
	if (type != SERVICE_PROCESS &&
	    (desc->rare->ready_fd != -1 || desc->rare->ready_var != NULL) &&
	    parse_invalid(ps, "readiness notification ('ready-notification') "
	    "is only supported for process services") == -1)
		return (-1);
	if (type != SERVICE_PROCESS && type != SERVICE_BGPROCESS &&
	    desc->ready_notify &&
	    parse_invalid(ps, "readiness notification by socket "
	    "('ready-notification = notify') is only supported for process "
	    "and bgprocess services") == -1)
		return (-1);
	if (desc->rare->socket_listen != NULL &&
	    desc->rare->ready_fd == SOCKACT_FD &&
	    parse_invalid(ps, "readiness notification ('ready-notification') "
	    "cannot use descriptor 3: the 'socket-listen' socket is passed "
	    "there") == -1)
		return (-1);
	if ((desc->options & OPT_KILL_ALL_ON_STOP) != 0 &&
	    type != SERVICE_SCRIPTED && type != SERVICE_INTERNAL &&
	    parse_invalid(ps, "kill-all-on-stop can only be set on scripted "
	    "or internal services") == -1)
		return (-1);
	if (desc->rare->consumer_of != NULL && type != SERVICE_PROCESS &&
	    type != SERVICE_BGPROCESS &&
	    parse_invalid(ps, "only a process or bgprocess service can be a "
	    "log consumer ('consumer-of') of another service") == -1)
		return (-1);
	if ((desc->options & OPT_SHARES_CONSOLE) != 0 && (desc->options &
	    (OPT_RUNS_ON_CONSOLE | OPT_STARTS_ON_CONSOLE)) != 0 &&
	    parse_invalid(ps, "option 'shares-console' cannot be used with "
	    "'runs-on-console' or 'starts-on-console'") == -1)
		return (-1);
	return (0);
}

/* Post-load work: service environment, late settings, validation. */
static int
parse_finish(struct parse_state *ps)
{
	const struct parse_setting	*st;
	struct subst_vars		 sv = { NULL, ps->env, ps->arg };
	size_t				 i;
	int				 r;

	if (parse_service_env(ps) == -1 && parse_read_on(ps) == -1)
		return (-1);
	sv.first = ps->desc->env;	/* made by parse_service_env */
	for (i = 0; i < nitems(parse_settings); i++) {
		st = &parse_settings[i];
		if ((st->flags & SETTING_LATE) == 0)
			continue;
		if ((st->flags & SETTING_ARGV) != 0)
			r = parse_finish_argv(ps, st, &ps->late[i], &sv);
		else
			r = parse_finish_string(ps, st, &ps->late[i], &sv);
		if (r == -1 && parse_read_on(ps) == -1)
			return (-1);
	}
	return (parse_validate(ps));
}

/* Free what the parse state holds (not the description). */
static void
parse_state_free(struct parse_state *ps)
{
	size_t	i;

	while (ps->depth > 0)
		parse_pop(ps);
	text_list_free(&ps->paths);
	text_buf_free(&ps->logical);
	for (i = 0; i < nitems(ps->late); i++) {
		text_list_free(&ps->late[i].words);
		free(ps->late[i].value);
	}
}

/*
 * The rare block of every description that sets none of its settings,
 * holding their defaults; also what a new description's block starts as.
 */
static struct service_desc_rare	parse_rare_none = {
	.logfile_permissions = 0600,
	.socket_permissions = 0666,
	.log_buffer_size = 4096,
	.ready_fd = -1
};

/*
 * Give a parsed description its own rare block, or parse_rare_none when
 * it set nothing there (most do).  The block was parsed into ps->rare, so
 * that the heap keeps no hole where a block was made and let go.  (Its
 * padding is parse_rare_none's, copied by parse_run.)
 */
static int
parse_rare_keep(struct parse_state *ps)
{
	struct service_desc_rare	*r;

	if (memcmp(&ps->rare, &parse_rare_none, sizeof(ps->rare)) == 0) {
		ps->desc->rare = &parse_rare_none;
		return (0);
	}
	if ((r = mem_alloc(sizeof(*r))) == NULL) {
		ps->errnum = ENOMEM;
		return (parse_report_at(ps, ps->file, 0,
		    "out of memory"));
	}
	memcpy(r, &ps->rare, sizeof(*r));
	ps->desc->rare = r;
	return (0);
}

/*
 * The directories descriptions were read from, each kept once for the
 * rest of the program: the thousands of descriptions of one directory
 * share its name instead of each carrying a copy, and name it by its
 * index here (1 up; 0 is none), smaller than a pointer.  A daemon reads
 * from a handful of directories; the last one used is tried first.
 */
static char		**parse_dirv;	/* [0] unused */
static uint32_t		  parse_ndirs, parse_dir_last;

/* The index of the kept copy of the directory dir (len bytes), or 0. */
static uint32_t
parse_dir_intern(const char *dir, size_t len)
{
	char		**v, *name;
	uint32_t	  i;

	if (parse_dir_last != 0 &&
	    strncmp(parse_dirv[parse_dir_last], dir, len) == 0 &&
	    parse_dirv[parse_dir_last][len] == '\0')
		return (parse_dir_last);
	for (i = 1; i <= parse_ndirs; i++) {
		if (strncmp(parse_dirv[i], dir, len) == 0 &&
		    parse_dirv[i][len] == '\0')
			return (parse_dir_last = i);
	}
	if (parse_ndirs == UINT32_MAX - 1 ||
	    (v = mem_array(parse_dirv, (size_t)parse_ndirs + 2,
	    sizeof(*v))) == NULL)
		return (0);
	parse_dirv = v;
	if ((name = mem_strndup(dir, len)) == NULL)
		return (0);
	parse_dirv[++parse_ndirs] = name;
	return (parse_dir_last = parse_ndirs);
}

/* The directory desc's file is in (shared), or NULL for none. */
const char *
parse_desc_dir(const struct service_desc *desc)
{
	if (desc->dir == 0 || desc->dir > parse_ndirs)
		return (NULL);
	return (parse_dirv[desc->dir]);
}

/*
 * The last component of a description's file: the name, or the string
 * after the name's NUL.
 */
static const char *
parse_desc_tail(const struct service_desc *desc)
{
	if ((desc->file_form & DESC_FILE_OWN) == 0)
		return (desc->name);
	return (desc->name + strlen(desc->name) + 1);
}

/*
 * The path of the file desc was read from, as it was given to the
 * parser, in buf (len bytes, truncated as snprintf does).  Returns the
 * path's length, as snprintf does: 0 for a description not read from a
 * file.
 */
size_t
parse_desc_file(const struct service_desc *desc, char *buf, size_t len)
{
	const char	*tail = parse_desc_tail(desc);
	int		 n;

	if (parse_desc_dir(desc) == NULL) {
		/* Not read from a file (unit tests make such). */
		if (len > 0)
			buf[0] = '\0';
		return (0);
	}
	if ((desc->file_form & DESC_FILE_BARE) != 0)
		n = snprintf(buf, len, "%s", tail);
	else if ((desc->file_form & DESC_FILE_ROOT) != 0)
		n = snprintf(buf, len, "/%s", tail);
	else
		n = snprintf(buf, len, "%s/%s", parse_desc_dir(desc), tail);
	return (n < 0 ? 0 : (size_t)n);
}

/*
 * A description of defaults for the service name, read from path.  Its
 * name is copied behind the record, in the same allocation, and so is
 * its file's last component when it is not the name: one block fewer
 * for every service.  The file's directory is shared.
 */
static struct service_desc *
parse_desc_new(const char *name, const char *path)
{
	struct service_desc	*desc;
	const char		*slash = strrchr(path, '/'), *dir = path;
	const char		*tail = slash != NULL ? slash + 1 : path;
	uint32_t		 id;
	size_t			 nlen = strlen(name), tlen, dlen;
	uint8_t			 form = 0;
	char			*p;

	if (slash == NULL) {
		dir = ".";
		dlen = 1;
		form |= DESC_FILE_BARE;
	} else if (slash == path) {
		dlen = 1;
		form |= DESC_FILE_ROOT;
	} else
		dlen = (size_t)(slash - path);
	tlen = strlen(tail);
	if (strcmp(tail, name) == 0)
		tlen = 0;
	else
		form |= DESC_FILE_OWN;
	if (nlen > SIZE_MAX / 4 || tlen > SIZE_MAX / 4 ||
	    (id = parse_dir_intern(dir, dlen)) == 0 ||
	    (desc = mem_zalloc(sizeof(*desc) + nlen + 1 +
	    (tlen > 0 ? tlen + 1 : 0))) == NULL)
		return (NULL);
	p = (char *)(desc + 1);
	desc->name = memcpy(p, name, nlen + 1);
	if (tlen > 0)
		memcpy(p + nlen + 1, tail, tlen + 1);
	desc->file_form = form;
	desc->dir = id;
	desc->env = &parse_env_none;
	desc->type = SERVICE_INTERNAL;
	desc->term_signal = SIGTERM;
	desc->restart = RESTART_YES;
	desc->restart_delay = 200;
	desc->restart_limit_interval = 10000;
	desc->restart_limit_count = 3;
	desc->start_timeout = 60000;
	desc->stop_timeout = 10000;
	desc->log_type = LOGTYPE_NONE;
	return (desc);
}

/*
 * The description again, with its command moved into its allocation,
 * after the name and the file's last component: a service with a
 * command then costs one allocation, not two.  Nothing points into the
 * description yet.  Without the memory, the description stays as it was.
 */
static struct service_desc *
parse_desc_pack(struct service_desc *desc)
{
	struct service_desc	*packed;
	char			**argv, *p;
	size_t			  nlen, tlen, head, size, len, n, i;

	if (desc->command == NULL || desc->command_inline)
		return (desc);
	nlen = strlen(desc->name) + 1;
	tlen = (desc->file_form & DESC_FILE_OWN) != 0 ?
	    strlen(desc->name + nlen) + 1 : 0;
	head = sizeof(*desc) + nlen + tlen;
	head = (head + sizeof(char *) - 1) & ~(sizeof(char *) - 1);
	for (n = 0; desc->command[n] != NULL; n++)
		;
	size = head + (n + 1) * sizeof(char *);
	for (i = 0; i < n; i++)
		size += strlen(desc->command[i]) + 1;
	if ((packed = mem_alloc(size)) == NULL)
		return (desc);
	memcpy(packed, desc, sizeof(*desc) + nlen + tlen);
	packed->name = (char *)(packed + 1);
	argv = (char **)(void *)((char *)packed + head);
	p = (char *)(argv + n + 1);
	for (i = 0; i < n; i++) {
		len = strlen(desc->command[i]) + 1;
		argv[i] = memcpy(p, desc->command[i], len);
		p += len;
	}
	argv[n] = NULL;
	packed->command = argv;
	packed->command_inline = 1;
	parse_argv_free(desc->command);
	free(desc);
	return (packed);
}

/*
 * Read the description at path of the service called name (base@arg),
 * with env as dinit's environment, into ps.  Returns the description,
 * or NULL with ps->err filled and errno set.
 */
static struct service_desc *
parse_run(struct parse_state *ps, const char *name, const char *path,
    const struct environ *env)
{
	int	line, r;

	ps->name = name;
	ps->file = path;
	ps->env = env;
	ps->errnum = EINVAL;
	memset(ps->err, 0, sizeof(*ps->err));
	(void)strlcpy(ps->err->file, path, sizeof(ps->err->file));
	if (parse_service_name(name, NULL, 0, &ps->arg) == -1) {
		parse_report_at(ps, path, 0, "invalid service name '%s'",
		    name);
		errno = EINVAL;
		return (NULL);
	}
	if ((ps->desc = parse_desc_new(name, path)) == NULL) {
		parse_report_at(ps, path, 0, "out of memory");
		errno = ENOMEM;
		return (NULL);
	}
	memcpy(&ps->rare, &parse_rare_none, sizeof(ps->rare));
	ps->desc->rare = &ps->rare;
	if (parse_push(ps, path, 0, 0) == -1)
		goto fail;
	for (;;) {
		if ((r = parse_next_line(ps, &line)) == 0)
			break;
		if (r == 1)
			r = parse_line(ps, ps->logical.s, line);
		if (r == -1 && parse_read_on(ps) == -1)
			goto fail;
	}
	if (parse_finish(ps) == -1 || parse_rare_keep(ps) == -1)
		goto fail;
	parse_state_free(ps);
	ps->desc = parse_desc_pack(ps->desc);
	return (ps->desc);

fail:
	parse_state_free(ps);
	if (ps->desc->rare == &ps->rare) {
		parse_rare_strings_free(&ps->rare);
		ps->desc->rare = NULL;
	}
	parse_desc_free(ps->desc);
	errno = ps->errnum;
	return (NULL);
}

/*
 * Read the description at path of the service called name (base@arg),
 * with env as dinit's environment.  Returns the description, or NULL
 * with *err filled and errno set (EINVAL for a bad description, ENOMEM,
 * or why the file could not be opened).
 */
struct service_desc *
parse_service(const char *name, const char *path, const struct environ *env,
    struct parse_error *err)
{
	struct parse_state	ps;
	struct parse_error	scratch;

	memset(&ps, 0, sizeof(ps));
	ps.err = err != NULL ? err : &scratch;
	return (parse_run(&ps, name, path, env));
}

/*
 * Read a description as parse_service does, but on past its errors:
 * each goes to report(arg, error), and the description, as far as it
 * could be made out, is returned.  NULL (the error reported too) only
 * when it could not be read at all, or not to its end.
 */
struct service_desc *
parse_service_all(const char *name, const char *path,
    const struct environ *env, parse_report_fn *report, void *arg)
{
	struct parse_state	 ps;
	struct parse_error	 err;
	struct service_desc	*desc;

	memset(&ps, 0, sizeof(ps));
	ps.err = &err;
	ps.report = report;
	ps.report_arg = arg;
	if ((desc = parse_run(&ps, name, path, env)) == NULL)
		report(arg, &err);
	return (desc);
}

/* Free the strings of a rare block. */
static void
parse_rare_strings_free(struct service_desc_rare *r)
{
	free(r->ioprio);
	free(r->capabilities);
	free(r->securebits);
	free(r->inittab_id);
	free(r->inittab_line);
	free(r->logfile_uid);
	free(r->logfile_gid);
	free(r->socket_uid);
	free(r->socket_gid);
	free(r->socket_listen);
	free(r->pid_file);
	free(r->run_in_cgroup);
	free(r->ready_var);
	free(r->chain_to);
	free(r->consumer_of);
	free(r->enable_via);
	free(r->waits_for_d);
}

/* Free a rare block (NULL and the shared parse_rare_none are fine). */
static void
parse_rare_free(struct service_desc_rare *r)
{
	if (r == NULL || r == &parse_rare_none)
		return;
	parse_rare_strings_free(r);
	free(r);
}

/*
 * Forget the dependencies a description names, once the loader has made
 * them edges: nothing reads them after that, and a service named by
 * thousands (a boot that waits for every service) would keep a name, a
 * file name and a record for each.
 */
void
parse_desc_drop_deps(struct service_desc *desc)
{
	size_t	i;

	for (i = 0; i < desc->ndeps; i++) {
		free(desc->deps[i].name);
		if (i == 0 || desc->deps[i].file != desc->deps[i - 1].file)
			free(desc->deps[i].file);
	}
	free(desc->deps);
	desc->deps = NULL;
	desc->ndeps = 0;
}

/* Free a description (NULL is fine). */
void
parse_desc_free(struct service_desc *desc)
{
	if (desc == NULL)
		return;
	if (!desc->command_inline)
		parse_argv_free(desc->command);
	parse_argv_free(desc->stop_command);
	free(desc->working_dir);
	free(desc->run_as);
	free(desc->env_file);
	parse_rare_free(desc->rare);
	parse_desc_drop_deps(desc);
	free(desc->logfile);
	if (desc->env != &parse_env_none && desc->env != NULL) {
		environ_clear(desc->env);
		free(desc->env);
	}
	free(desc);
}

/* Format an error as "file:line: msg" (or "file: msg") into buf. */
const char *
parse_error_string(const struct parse_error *err, char *buf, size_t len)
{
	if (len == 0)
		return (buf);
	if (err->file[0] == '\0')
		(void)snprintf(buf, len, "%s", err->msg);
	else if (err->line > 0)
		(void)snprintf(buf, len, "%s:%d: %s", err->file, err->line,
		    err->msg);
	else
		(void)snprintf(buf, len, "%s: %s", err->file, err->msg);
	return (buf);
}
