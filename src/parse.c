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
 * substituted at once from dinit's environment; post-load settings are
 * kept lexed until the end, when the service's own environment (env-file
 * and load-options) is known.  A '$' escaped by a backslash is kept as
 * "$$" in lexed values that are substituted later, so that it stays a
 * literal '$'.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PARSE_INCLUDE_MAX	16	/* fragments open at once */
#define PARSE_INITTAB_ID_MAX	4	/* utmpx ut_id */
#define PARSE_INITTAB_LINE_MAX	32	/* utmpx ut_line */

/* Lexing flags: keep escaped '$' as "$$" for a later substitution. */
#define LEX_SUBST	0x01

/* The settings of a description. */
enum setting_id {
	SET_TYPE,
	SET_COMMAND,
	SET_STOP_COMMAND,
	SET_WORKING_DIR,
	SET_RUN_AS,
	SET_ENV_FILE,
	SET_PID_FILE,
	SET_TERM_SIGNAL,
	SET_READY_NOTIFICATION,
	SET_NICE,
	SET_IOPRIO,
	SET_OOM_SCORE_ADJ,
	SET_RUN_IN_CGROUP,
	SET_CAPABILITIES,
	SET_SECUREBITS,
	SET_RLIMIT_NOFILE,
	SET_RLIMIT_CORE,
	SET_RLIMIT_DATA,
	SET_RLIMIT_ADDRSPACE,
	SET_INITTAB_ID,
	SET_INITTAB_LINE,
	SET_DEPENDS_ON,
	SET_PREPARED_BY,
	SET_DEPENDS_MS,
	SET_WAITS_FOR,
	SET_DEPENDS_ON_D,
	SET_DEPENDS_MS_D,
	SET_WAITS_FOR_D,
	SET_AFTER,
	SET_BEFORE,
	SET_CHAIN_TO,
	SET_CONSUMER_OF,
	SET_RESTART,
	SET_SMOOTH_RECOVERY,
	SET_RESTART_DELAY,
	SET_RESTART_LIMIT_INTERVAL,
	SET_RESTART_LIMIT_COUNT,
	SET_START_TIMEOUT,
	SET_STOP_TIMEOUT,
	SET_LOG_TYPE,
	SET_LOGFILE,
	SET_LOGFILE_PERMISSIONS,
	SET_LOGFILE_UID,
	SET_LOGFILE_GID,
	SET_LOG_BUFFER_SIZE,
	SET_SOCKET_LISTEN,
	SET_SOCKET_PERMISSIONS,
	SET_SOCKET_UID,
	SET_SOCKET_GID,
	SET_OPTIONS,
	SET_LOAD_OPTIONS
};

/* One known setting; SETTING_APPEND: "+=" allowed. */
struct setting {
	const char	*name;
	enum setting_id	 id;
	int		 flags;
#define SETTING_APPEND	0x01
};

static const struct setting parse_settings[] = {
	{ "type", SET_TYPE, 0 },
	{ "command", SET_COMMAND, SETTING_APPEND },
	{ "stop-command", SET_STOP_COMMAND, SETTING_APPEND },
	{ "working-dir", SET_WORKING_DIR, 0 },
	{ "run-as", SET_RUN_AS, 0 },
	{ "env-file", SET_ENV_FILE, 0 },
	{ "pid-file", SET_PID_FILE, 0 },
	{ "term-signal", SET_TERM_SIGNAL, 0 },
	{ "termsignal", SET_TERM_SIGNAL, 0 },
	{ "ready-notification", SET_READY_NOTIFICATION, 0 },
	{ "nice", SET_NICE, 0 },
	{ "ioprio", SET_IOPRIO, 0 },
	{ "oom-score-adj", SET_OOM_SCORE_ADJ, 0 },
	{ "run-in-cgroup", SET_RUN_IN_CGROUP, 0 },
	{ "capabilities", SET_CAPABILITIES, SETTING_APPEND },
	{ "securebits", SET_SECUREBITS, SETTING_APPEND },
	{ "rlimit-nofile", SET_RLIMIT_NOFILE, 0 },
	{ "rlimit-core", SET_RLIMIT_CORE, 0 },
	{ "rlimit-data", SET_RLIMIT_DATA, 0 },
	{ "rlimit-addrspace", SET_RLIMIT_ADDRSPACE, 0 },
	{ "inittab-id", SET_INITTAB_ID, 0 },
	{ "inittab-line", SET_INITTAB_LINE, 0 },
	{ "depends-on", SET_DEPENDS_ON, 0 },
	{ "prepared-by", SET_PREPARED_BY, 0 },
	{ "depends-ms", SET_DEPENDS_MS, 0 },
	{ "waits-for", SET_WAITS_FOR, 0 },
	{ "depends-on.d", SET_DEPENDS_ON_D, 0 },
	{ "depends-ms.d", SET_DEPENDS_MS_D, 0 },
	{ "waits-for.d", SET_WAITS_FOR_D, 0 },
	{ "after", SET_AFTER, 0 },
	{ "before", SET_BEFORE, 0 },
	{ "chain-to", SET_CHAIN_TO, 0 },
	{ "consumer-of", SET_CONSUMER_OF, 0 },
	{ "restart", SET_RESTART, 0 },
	{ "smooth-recovery", SET_SMOOTH_RECOVERY, 0 },
	{ "restart-delay", SET_RESTART_DELAY, 0 },
	{ "restart-limit-interval", SET_RESTART_LIMIT_INTERVAL, 0 },
	{ "restart-limit-count", SET_RESTART_LIMIT_COUNT, 0 },
	{ "start-timeout", SET_START_TIMEOUT, 0 },
	{ "stop-timeout", SET_STOP_TIMEOUT, 0 },
	{ "log-type", SET_LOG_TYPE, 0 },
	{ "logfile", SET_LOGFILE, 0 },
	{ "logfile-permissions", SET_LOGFILE_PERMISSIONS, 0 },
	{ "logfile-uid", SET_LOGFILE_UID, 0 },
	{ "logfile-gid", SET_LOGFILE_GID, 0 },
	{ "log-buffer-size", SET_LOG_BUFFER_SIZE, 0 },
	{ "socket-listen", SET_SOCKET_LISTEN, 0 },
	{ "socket-permissions", SET_SOCKET_PERMISSIONS, 0 },
	{ "socket-uid", SET_SOCKET_UID, 0 },
	{ "socket-gid", SET_SOCKET_GID, 0 },
	{ "options", SET_OPTIONS, 0 },
	{ "load-options", SET_LOAD_OPTIONS, 0 },
};

/* A word of "options" and the bits it sets. */
struct option_word {
	const char	*name;
	unsigned	 bits;
};

static const struct option_word parse_options[] = {
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
};

static const struct option_word parse_load_options[] = {
	{ "export-passwd-vars", LOPT_EXPORT_PASSWD_VARS },
	{ "export-service-name", LOPT_EXPORT_SERVICE_NAME },
	{ "sub-vars", LOPT_SUB_VARS },
};

static const char *const parse_securebits[] = {
	"keep-caps", "keep-caps-locked", "no-setuid-fixup",
	"no-setuid-fixup-locked", "noroot", "noroot-locked"
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

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* One open file of the description: the top one or an included one. */
struct fragment {
	FILE		*fp;
	const char	*path;		/* in parse_state.paths */
	char		*dir;		/* to resolve relative paths */
	int		 line;
};

/* A post-load string setting, lexed, waiting for substitution. */
struct pending {
	char		*value;
	const char	*file;
	int		 line;
};

/* A post-load command setting, lexed into words. */
struct pending_argv {
	struct strlist	 words;
	int		 set;
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

	struct fragment		 frags[PARSE_INCLUDE_MAX];
	int			 depth;
	struct strlist		 paths;		/* every fragment's path */
	char			*linebuf;	/* getline's buffer */
	size_t			 linesize;
	struct text_buf		 logical;	/* the joined line */

	struct pending_argv	 command;
	struct pending_argv	 stop_command;
	struct pending		 working_dir;
	struct pending		 logfile;
	struct pending		 socket_listen;
	struct pending		 pid_file;
	const char		*env_file_file;
	int			 env_file_line;
};

static int	ps_error_at(struct parse_state *, const char *, int,
		    const char *, ...) __printflike(4, 5);
static int	ps_error(struct parse_state *, int, const char *, ...)
		    __printflike(3, 4);

/* Replace *dst by src (owned), freeing the old string. */
static void
replace_string(char **dst, char *src)
{
	free(*dst);
	*dst = src;
}

/* Free a NULL-terminated argv. */
static void
free_argv(char **argv)
{
	size_t	i;

	if (argv == NULL)
		return;
	for (i = 0; argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* A newly allocated copy of the directory part of path. */
static char *
path_dir(const char *path)
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
path_resolve(const char *dir, const char *path)
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
ps_verror_at(struct parse_state *ps, const char *file, int line,
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
ps_error_at(struct parse_state *ps, const char *file, int line,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)ps_verror_at(ps, file, line, fmt, ap);
	va_end(ap);
	return (-1);
}

/* The path of the fragment being read, or of the description. */
static const char *
ps_file(struct parse_state *ps)
{
	if (ps->depth > 0)
		return (ps->frags[ps->depth - 1].path);
	return (ps->desc->file);
}

/* Report an error at a line of the current fragment; returns -1. */
static int
ps_error(struct parse_state *ps, int line, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)ps_verror_at(ps, ps_file(ps), line, fmt, ap);
	va_end(ap);
	return (-1);
}

/* Report running out of memory at a line; returns -1. */
static int
ps_nomem(struct parse_state *ps, const char *file, int line)
{
	ps->errnum = ENOMEM;
	return (ps_error_at(ps, file != NULL ? file : ps_file(ps), line,
	    "out of memory"));
}

/* Report a bad value for a setting; returns -1. */
static int
ps_bad_value(struct parse_state *ps, int line, const char *setting,
    const char *value, const char *why)
{
	if (why != NULL)
		return (ps_error(ps, line, "bad value for '%s': '%s' (%s)",
		    setting, value, why));
	return (ps_error(ps, line, "bad value for '%s': '%s'", setting,
	    value));
}

/*
 * Open a fragment and push it on the stack.  With optional, a missing
 * file is skipped.  line is where the @include is (0 for the top file).
 */
static int
ps_push(struct parse_state *ps, const char *path, int optional, int line)
{
	struct fragment	*f;
	struct stat	 sb;
	FILE		*fp;
	char		*copy;
	int		 error, why;

	if (ps->depth == PARSE_INCLUDE_MAX)
		return (ps_error(ps, line,
		    "includes nested too deeply (include loop?): '%s'", path));
	if ((fp = text_open(path, &sb, &why)) == NULL) {
		error = errno;
		if (why == TEXT_OPEN_STREAM)
			return (ps_nomem(ps, NULL, line));
		if (why == TEXT_OPEN_OPEN && optional && error == ENOENT)
			return (0);
		ps->errnum = error;
		if (ps->depth == 0)
			return (ps_error_at(ps, path, 0, "cannot %s: %s",
			    why == TEXT_OPEN_OPEN ? "open" : "read",
			    strerror(error)));
		return (ps_error(ps, line, "cannot %s '%s': %s",
		    why == TEXT_OPEN_OPEN ? "open" : "read", path,
		    strerror(error)));
	}
	if (ps->depth == 0)
		ps->desc->mtime = sb.st_mtime;
	if ((copy = mem_strdup(path)) == NULL ||
	    text_list_push(&ps->paths, copy) == -1) {
		(void)fclose(fp);
		return (ps_nomem(ps, NULL, line));
	}
	f = &ps->frags[ps->depth];
	memset(f, 0, sizeof(*f));
	f->path = copy;
	if ((f->dir = path_dir(path)) == NULL) {
		(void)fclose(fp);
		return (ps_nomem(ps, NULL, line));
	}
	f->fp = fp;
	ps->depth++;
	return (0);
}

/* Close the innermost fragment. */
static void
ps_pop(struct parse_state *ps)
{
	struct fragment	*f = &ps->frags[--ps->depth];

	(void)fclose(f->fp);
	free(f->dir);
	memset(f, 0, sizeof(*f));
}

/*
 * Read one physical line of the innermost fragment, without its newline,
 * into linebuf.  Returns 1, 0 at the end of the fragment, -1 on error.
 */
static int
ps_getline(struct parse_state *ps, size_t *lenp)
{
	struct fragment	*f = &ps->frags[ps->depth - 1];
	ssize_t		 n;
	size_t		 len;

	errno = 0;
	if ((n = getline(&ps->linebuf, &ps->linesize, f->fp)) == -1) {
		if (!ferror(f->fp) && (feof(f->fp) || errno == 0))
			return (0);
		ps->errnum = errno != 0 ? errno : EIO;
		if (ps->errnum == ENOMEM)
			return (ps_nomem(ps, NULL, f->line + 1));
		return (ps_error(ps, f->line + 1, "read error: %s",
		    strerror(ps->errnum)));
	}
	f->line++;
	/* NB: a NUL byte ends the line. */
	len = strlen(ps->linebuf);
	if (len > 0 && ps->linebuf[len - 1] == '\n')
		ps->linebuf[--len] = '\0';
	*lenp = len;
	return (1);
}

/* Whether the joined line ends in an odd number of backslashes. */
static int
ps_continues(const struct text_buf *sb)
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
ps_next_line(struct parse_state *ps, int *linep)
{
	struct fragment	*f;
	size_t		 len;
	int		 r;

	for (;;) {
		if (ps->depth == 0)
			return (0);
		f = &ps->frags[ps->depth - 1];
		if ((r = ps_getline(ps, &len)) == -1)
			return (-1);
		if (r == 0) {
			ps_pop(ps);
			continue;
		}
		*linep = f->line;
		text_buf_reset(&ps->logical);
		if (text_buf_add(&ps->logical, ps->linebuf, len) == -1)
			return (ps_nomem(ps, NULL, f->line));
		while (ps_continues(&ps->logical)) {
			ps->logical.s[ps->logical.len - 1] = '\n';
			if ((r = ps_getline(ps, &len)) == -1)
				return (-1);
			if (r == 0)
				return (ps_error(ps, f->line, "end-of-file "
				    "follows backslash escape character "
				    "(`\\')"));
			if (!isspace((unsigned char)ps->linebuf[0]))
				return (ps_error(ps, f->line, "line following "
				    "line-continuation backslash (`\\') does "
				    "not begin with whitespace"));
			if (text_buf_add(&ps->logical, ps->linebuf, len) == -1)
				return (ps_nomem(ps, NULL, f->line));
		}
		return (1);
	}
}

/* Whether c may be in a setting or meta-command name. */
static int
setting_char(unsigned char c)
{
	return (c == '-' || c == '.' || c == '_' || c >= 0x80 ||
	    isalnum(c));
}

/* Add one escaped (literal) character to a word. */
static int
lex_add_literal(struct text_buf *word, char c, int flags)
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
ps_lex(struct parse_state *ps, const char *p, int line, int flags,
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
			return (ps_error(ps, line, "hashmark (`#') comment "
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
				if (lex_add_literal(&word, *p, escaped ? flags :
				    0) == -1)
					goto nomem;
			}
			if (*p != '"') {
				text_buf_free(&word);
				return (ps_error(ps, qline,
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
			if (lex_add_literal(&word, *p++, flags) == -1)
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
	return (ps_nomem(ps, NULL, line));
}

/* Lex a value and join its words with single spaces, into *out. */
static int
ps_lex_string(struct parse_state *ps, const char *p, int line, int flags,
    char **out)
{
	struct strlist	w = { NULL, 0, 0 };

	if (ps_lex(ps, p, line, flags, &w) == -1) {
		text_list_free(&w);
		return (-1);
	}
	*out = text_list_join(&w);
	text_list_free(&w);
	if (*out == NULL)
		return (ps_nomem(ps, NULL, line));
	return (0);
}

/* Report a failed substitution (errno, msg) in a setting; returns -1. */
static int
ps_subst_error(struct parse_state *ps, const char *file, int line,
    const char *setting, const char *msg)
{
	if (errno == ENOMEM)
		return (ps_nomem(ps, file, line));
	return (ps_error_at(ps, file, line, "%s: %s", setting, msg));
}

/* Substitute in one lexed word, adding the resulting words to out. */
static int
ps_subst_word(struct parse_state *ps, const char *file, int line,
    const char *setting, const struct subst_vars *sv, const char *in,
    struct strlist *out)
{
	const char	*msg = NULL;

	if (subst_word(sv, in, out, &msg) == -1)
		return (ps_subst_error(ps, file, line, setting, msg));
	return (0);
}

/* Substitute in a lexed string, joining split words with spaces. */
static int
ps_subst_string(struct parse_state *ps, const char *file, int line,
    const char *setting, const struct subst_vars *sv, const char *in,
    char **out)
{
	const char	*msg = NULL;

	if (subst_string(sv, in, out, &msg) == -1)
		return (ps_subst_error(ps, file, line, setting, msg));
	return (0);
}

/* Lex a pre-load value and substitute from dinit's environment and $1. */
static int
ps_preload_value(struct parse_state *ps, const char *p, int line,
    const char *setting, char **out)
{
	struct subst_vars	 lk = { NULL, ps->env, ps->arg };
	char			*lexed;
	int			 r;

	if (ps_lex_string(ps, p, line, LEX_SUBST, &lexed) == -1)
		return (-1);
	r = ps_subst_string(ps, ps_file(ps), line, setting, &lk, lexed, out);
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

/* Parse an octal permission mode. */
static int
parse_mode(const char *s, mode_t *out)
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
	*out = (mode_t)v;
	return (0);
}

/* Parse decimal seconds ("1.5", "1,5") into milliseconds. */
static int
parse_time(const char *s, unsigned long *ms)
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
	*ms = sec * 1000 + frac;
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
parse_rlimit(const char *s, struct rlimit_setting *rl)
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
			*rl = new;
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
	*rl = new;
	return (0);
}

/* Check an ioprio value: none, idle, realtime:N, best-effort:N. */
static int
parse_ioprio(const char *s)
{
	unsigned long long	level;

	if (strcmp(s, "none") == 0 || strcmp(s, "idle") == 0)
		return (0);
	if (strncmp(s, "realtime:", 9) == 0)
		return (parse_unum(s + 9, 7, &level));
	if (strncmp(s, "best-effort:", 12) == 0)
		return (parse_unum(s + 12, 7, &level));
	return (-1);
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
 * [A-Za-z0-9._-] and bytes >= 128.  Returns 0, or -1 with errno EINVAL or
 * ENAMETOOLONG.
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
ps_add_dep(struct parse_state *ps, const char *name, enum dependency_type type,
    int line)
{
	struct service_desc	*desc = ps->desc;
	struct dep_name		*deps, *dn;

	if ((deps = mem_array(desc->deps, desc->ndeps + 1,
	    sizeof(*deps))) == NULL)
		return (ps_nomem(ps, NULL, line));
	desc->deps = deps;
	dn = &deps[desc->ndeps];
	memset(dn, 0, sizeof(*dn));
	dn->type = type;
	dn->line = line;
	if ((dn->name = mem_strdup(name)) == NULL)
		return (ps_nomem(ps, NULL, line));
	if ((dn->file = mem_strdup(ps_file(ps))) == NULL) {
		free(dn->name);
		return (ps_nomem(ps, NULL, line));
	}
	desc->ndeps++;
	return (0);
}

/* Compare two strings through pointers, for qsort. */
static int
cmp_strings(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * Add a dependency for every entry (not starting with '.') of a
 * directory, relative to the current fragment, in sorted order.  A
 * directory that cannot be read adds nothing.
 */
static int
ps_dep_dir(struct parse_state *ps, const char *dir, enum dependency_type type,
    int line)
{
	struct strlist	 names = { NULL, 0, 0 };
	struct dirent	*de;
	DIR		*dp;
	char		*path;
	size_t		 i;
	int		 r = 0;

	if ((path = path_resolve(ps->frags[ps->depth - 1].dir, dir)) == NULL)
		return (ps_nomem(ps, NULL, line));
	dp = opendir(path);
	if (type == DEP_WAITS_FOR && ps->desc->waits_for_d == NULL)
		ps->desc->waits_for_d = path;	/* where enable adds links */
	else
		free(path);
	if (dp == NULL)
		return (0);
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (text_list_add(&names, de->d_name, strlen(de->d_name)) == -1) {
			r = ps_nomem(ps, NULL, line);
			break;
		}
	}
	(void)closedir(dp);
	if (r == 0 && names.n > 0) {
		qsort(names.v, names.n, sizeof(*names.v), cmp_strings);
		for (i = 0; i < names.n && r == 0; i++) {
			r = ps_add_dep(ps, names.v[i], type, line);
			if (r == 0)
				ps->desc->deps[ps->desc->ndeps - 1].from_dir = 1;
		}
	}
	text_list_free(&names);
	return (r);
}

/* A service name from a pre-load setting, checked. */
static int
ps_service_value(struct parse_state *ps, const char *p, int line,
    const char *setting, char **out)
{
	if (ps_preload_value(ps, p, line, setting, out) == -1)
		return (-1);
	if (parse_service_name(*out, NULL, 0, NULL) == -1) {
		ps_error(ps, line, "%s: invalid service name '%s'", setting,
		    *out);
		free(*out);
		*out = NULL;
		return (-1);
	}
	return (0);
}

/* Keep a post-load string setting for the end. */
static int
ps_pending(struct parse_state *ps, struct pending *pd, const char *p,
    int line)
{
	char	*value;

	if (ps_lex_string(ps, p, line, LEX_SUBST, &value) == -1)
		return (-1);
	replace_string(&pd->value, value);
	pd->file = ps_file(ps);
	pd->line = line;
	return (0);
}

/* Keep a post-load command setting for the end ("+=" appends). */
static int
ps_pending_argv(struct parse_state *ps, struct pending_argv *pa,
    const char *p, int line, int append)
{
	if (!append)
		text_list_free(&pa->words);
	pa->set = 1;
	pa->file = ps_file(ps);
	pa->line = line;
	return (ps_lex(ps, p, line, LEX_SUBST, &pa->words));
}

/* Set the bits of option words from a table; -1 names the bad one. */
static int
ps_option_words(struct parse_state *ps, const char *p, int line,
    const struct option_word *table, size_t n, const char *what,
    unsigned *bits)
{
	struct strlist	w = { NULL, 0, 0 };
	size_t		i, j;

	if (ps_lex(ps, p, line, 0, &w) == -1) {
		text_list_free(&w);
		return (-1);
	}
	for (i = 0; i < w.n; i++) {
		for (j = 0; j < n; j++) {
			if (strcmp(w.v[i], table[j].name) == 0)
				break;
		}
		if (j == n) {
			ps_error(ps, line, "unknown %s: '%s'", what, w.v[i]);
			text_list_free(&w);
			return (-1);
		}
		*bits |= table[j].bits;
	}
	text_list_free(&w);
	return (0);
}

/* Parse the securebits words, replacing or appending to the setting. */
static int
ps_securebits(struct parse_state *ps, const char *p, int line, int append)
{
	struct service_desc	*desc = ps->desc;
	struct strlist		 w = { NULL, 0, 0 };
	char			*joined, *all;
	size_t			 i, j, len;

	if (ps_lex(ps, p, line, 0, &w) == -1)
		goto fail;
	for (i = 0; i < w.n; i++) {
		for (j = 0; j < nitems(parse_securebits); j++) {
			if (strcmp(w.v[i], parse_securebits[j]) == 0)
				break;
		}
		if (j == nitems(parse_securebits)) {
			ps_error(ps, line, "unknown securebits flag: '%s'",
			    w.v[i]);
			goto fail;
		}
	}
	if ((joined = text_list_join(&w)) == NULL)
		goto nomem;
	text_list_free(&w);
	if (append && desc->securebits != NULL && *desc->securebits != '\0' &&
	    *joined != '\0') {
		len = strlen(desc->securebits) + strlen(joined) + 2;
		if ((all = mem_alloc(len)) == NULL) {
			free(joined);
			return (ps_nomem(ps, NULL, line));
		}
		(void)snprintf(all, len, "%s %s", desc->securebits, joined);
		free(joined);
		joined = all;
	} else if (append && desc->securebits != NULL && *joined == '\0') {
		free(joined);
		return (0);
	}
	replace_string(&desc->securebits, joined);
	return (0);

nomem:
	ps_nomem(ps, NULL, line);
fail:
	text_list_free(&w);
	return (-1);
}

/* Parse capabilities, replacing or appending with a comma. */
static int
ps_capabilities(struct parse_state *ps, const char *p, int line, int append)
{
	struct service_desc	*desc = ps->desc;
	char			*value, *all;
	size_t			 len;

	if (ps_lex_string(ps, p, line, 0, &value) == -1)
		return (-1);
	if (append && desc->capabilities != NULL &&
	    *desc->capabilities != '\0') {
		len = strlen(desc->capabilities) + strlen(value) + 2;
		if ((all = mem_alloc(len)) == NULL) {
			free(value);
			return (ps_nomem(ps, NULL, line));
		}
		(void)snprintf(all, len, "%s,%s", desc->capabilities, value);
		free(value);
		value = all;
	}
	replace_string(&desc->capabilities, value);
	return (0);
}

/* Parse a plain string setting that must not be empty. */
static int
ps_string(struct parse_state *ps, const char *p, int line,
    const char *setting, size_t max, char **dst)
{
	char	*value;

	if (ps_lex_string(ps, p, line, 0, &value) == -1)
		return (-1);
	if (*value == '\0' || (max != 0 && strlen(value) > max)) {
		ps_bad_value(ps, line, setting, value,
		    *value == '\0' ? "empty" : "too long");
		free(value);
		return (-1);
	}
	replace_string(dst, value);
	return (0);
}

/* Handle one setting line; p is just after the operator. */
static int
ps_setting(struct parse_state *ps, const struct setting *st, int append,
    const char *p, int line)
{
	struct service_desc	*desc = ps->desc;
	struct rlimit_setting	*rl;
	unsigned long long	 unum;
	long long		 snum;
	unsigned long		*ms;
	mode_t			*mode;
	enum dependency_type	 dtype;
	char			*value = NULL;
	int			 r = -1, sig;

	switch (st->id) {
	case SET_COMMAND:
		return (ps_pending_argv(ps, &ps->command, p, line, append));
	case SET_STOP_COMMAND:
		return (ps_pending_argv(ps, &ps->stop_command, p, line,
		    append));
	case SET_WORKING_DIR:
		return (ps_pending(ps, &ps->working_dir, p, line));
	case SET_PID_FILE:
		return (ps_pending(ps, &ps->pid_file, p, line));
	case SET_SOCKET_LISTEN:
		return (ps_pending(ps, &ps->socket_listen, p, line));
	case SET_LOGFILE:
		if (ps_pending(ps, &ps->logfile, p, line) == -1)
			return (-1);
		if (*ps->logfile.value != '\0' &&
		    desc->log_type == LOGTYPE_NONE)
			desc->log_type = LOGTYPE_FILE;
		return (0);
	case SET_CAPABILITIES:
		return (ps_capabilities(ps, p, line, append));
	case SET_SECUREBITS:
		return (ps_securebits(ps, p, line, append));
	case SET_RUN_AS:
		return (ps_string(ps, p, line, st->name, 0, &desc->run_as));
	case SET_LOGFILE_UID:
		return (ps_string(ps, p, line, st->name, 0,
		    &desc->logfile_uid));
	case SET_LOGFILE_GID:
		return (ps_string(ps, p, line, st->name, 0,
		    &desc->logfile_gid));
	case SET_SOCKET_UID:
		return (ps_string(ps, p, line, st->name, 0, &desc->socket_uid));
	case SET_SOCKET_GID:
		return (ps_string(ps, p, line, st->name, 0, &desc->socket_gid));
	case SET_RUN_IN_CGROUP:
		return (ps_string(ps, p, line, st->name, 0,
		    &desc->run_in_cgroup));
	case SET_INITTAB_ID:
		return (ps_string(ps, p, line, st->name, PARSE_INITTAB_ID_MAX,
		    &desc->inittab_id));
	case SET_INITTAB_LINE:
		return (ps_string(ps, p, line, st->name,
		    PARSE_INITTAB_LINE_MAX, &desc->inittab_line));
	case SET_OPTIONS:
		return (ps_option_words(ps, p, line, parse_options,
		    nitems(parse_options), "option", &desc->options));
	case SET_LOAD_OPTIONS:
		return (ps_option_words(ps, p, line, parse_load_options,
		    nitems(parse_load_options), "load option",
		    &desc->load_options));
	case SET_ENV_FILE:
		if (ps_preload_value(ps, p, line, st->name, &value) == -1)
			return (-1);
		if (*value == '\0') {
			free(value);
			value = NULL;
		}
		replace_string(&desc->env_file, value);
		ps->env_file_file = ps_file(ps);
		ps->env_file_line = line;
		return (0);
	case SET_DEPENDS_ON:
	case SET_PREPARED_BY:
	case SET_DEPENDS_MS:
	case SET_WAITS_FOR:
	case SET_AFTER:
	case SET_BEFORE:
		if (ps_service_value(ps, p, line, st->name, &value) == -1)
			return (-1);
		dtype = st->id == SET_DEPENDS_ON ? DEP_REGULAR :
		    st->id == SET_PREPARED_BY ? DEP_PREPARED_BY :
		    st->id == SET_DEPENDS_MS ? DEP_MILESTONE :
		    st->id == SET_WAITS_FOR ? DEP_WAITS_FOR :
		    st->id == SET_AFTER ? DEP_AFTER : DEP_BEFORE;
		r = ps_add_dep(ps, value, dtype, line);
		free(value);
		return (r);
	case SET_DEPENDS_ON_D:
	case SET_DEPENDS_MS_D:
	case SET_WAITS_FOR_D:
		if (ps_preload_value(ps, p, line, st->name, &value) == -1)
			return (-1);
		dtype = st->id == SET_DEPENDS_ON_D ? DEP_REGULAR :
		    st->id == SET_DEPENDS_MS_D ? DEP_MILESTONE : DEP_WAITS_FOR;
		if (*value == '\0')
			r = ps_bad_value(ps, line, st->name, value, "empty");
		else
			r = ps_dep_dir(ps, value, dtype, line);
		free(value);
		return (r);
	case SET_CHAIN_TO:
		if (ps_service_value(ps, p, line, st->name, &value) == -1)
			return (-1);
		replace_string(&desc->chain_to, value);
		return (0);
	case SET_CONSUMER_OF:
		if (ps_service_value(ps, p, line, st->name, &value) == -1)
			return (-1);
		if (strcmp(value, ps->name) == 0) {
			free(value);
			return (ps_error(ps, line,
			    "service cannot be its own consumer"));
		}
		replace_string(&desc->consumer_of, value);
		return (0);
	default:
		break;
	}

	/* The rest take a single plain value. */
	if (ps_lex_string(ps, p, line, 0, &value) == -1)
		return (-1);
	switch (st->id) {
	case SET_TYPE:
		if (strcmp(value, "process") == 0)
			desc->type = SERVICE_PROCESS;
		else if (strcmp(value, "bgprocess") == 0)
			desc->type = SERVICE_BGPROCESS;
		else if (strcmp(value, "scripted") == 0)
			desc->type = SERVICE_SCRIPTED;
		else if (strcmp(value, "internal") == 0)
			desc->type = SERVICE_INTERNAL;
		else if (strcmp(value, "triggered") == 0)
			desc->type = SERVICE_TRIGGERED;
		else {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		break;
	case SET_TERM_SIGNAL:
		if (strcmp(value, "none") == 0 || strcmp(value, "NONE") == 0)
			sig = 0;
		else if ((sig = parse_signal(value)) == -1) {
			ps_bad_value(ps, line, st->name, value,
			    "unknown signal");
			goto out;
		}
		desc->term_signal = sig;
		break;
	case SET_READY_NOTIFICATION:
		if (strncmp(value, "pipefd:", 7) == 0) {
			if (parse_unum(value + 7, INT_MAX, &unum) == -1) {
				ps_bad_value(ps, line, st->name, value, NULL);
				goto out;
			}
			desc->ready_fd = (int)unum;
			replace_string(&desc->ready_var, NULL);
		} else if (strncmp(value, "pipevar:", 8) == 0 &&
		    value[8] != '\0') {
			replace_string(&desc->ready_var,
			    mem_strdup(value + 8));
			if (desc->ready_var == NULL) {
				ps_nomem(ps, NULL, line);
				goto out;
			}
			desc->ready_fd = -1;
		} else {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		break;
	case SET_NICE:
		if (parse_snum(value, INT_MIN / 2, INT_MAX / 2, &snum) == -1) {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		desc->has_nice = 1;
		desc->nice = (int)snum;
		break;
	case SET_OOM_SCORE_ADJ:
		if (parse_snum(value, -1000, 1000, &snum) == -1) {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		desc->has_oom_score_adj = 1;
		desc->oom_score_adj = (int)snum;
		break;
	case SET_IOPRIO:
		if (parse_ioprio(value) == -1) {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		replace_string(&desc->ioprio, value);
		value = NULL;
		break;
	case SET_RLIMIT_NOFILE:
	case SET_RLIMIT_CORE:
	case SET_RLIMIT_DATA:
	case SET_RLIMIT_ADDRSPACE:
		rl = st->id == SET_RLIMIT_NOFILE ? &desc->rlimit_nofile :
		    st->id == SET_RLIMIT_CORE ? &desc->rlimit_core :
		    st->id == SET_RLIMIT_DATA ? &desc->rlimit_data :
		    &desc->rlimit_addrspace;
		if (parse_rlimit(value, rl) == -1) {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		break;
	case SET_RESTART:
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
			desc->restart = RESTART_YES;
		else if (strcmp(value, "on-failure") == 0)
			desc->restart = RESTART_ON_FAILURE;
		else if (strcmp(value, "no") == 0 ||
		    strcmp(value, "false") == 0)
			desc->restart = RESTART_NO;
		else {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		break;
	case SET_SMOOTH_RECOVERY:
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
			desc->smooth_recovery = 1;
		else if (strcmp(value, "no") == 0 ||
		    strcmp(value, "false") == 0)
			desc->smooth_recovery = 0;
		else {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		break;
	case SET_RESTART_DELAY:
	case SET_RESTART_LIMIT_INTERVAL:
	case SET_START_TIMEOUT:
	case SET_STOP_TIMEOUT:
		ms = st->id == SET_RESTART_DELAY ? &desc->restart_delay :
		    st->id == SET_RESTART_LIMIT_INTERVAL ?
		    &desc->restart_limit_interval :
		    st->id == SET_START_TIMEOUT ? &desc->start_timeout :
		    &desc->stop_timeout;
		if (parse_time(value, ms) == -1) {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		break;
	case SET_RESTART_LIMIT_COUNT:
		if (parse_unum(value, INT_MAX, &unum) == -1) {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		desc->restart_limit_count = (unsigned)unum;
		break;
	case SET_LOG_TYPE:
		if (strcmp(value, "file") == 0)
			desc->log_type = LOGTYPE_FILE;
		else if (strcmp(value, "buffer") == 0)
			desc->log_type = LOGTYPE_BUFFER;
		else if (strcmp(value, "pipe") == 0)
			desc->log_type = LOGTYPE_PIPE;
		else if (strcmp(value, "none") == 0)
			desc->log_type = LOGTYPE_NONE;
		else {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		break;
	case SET_LOGFILE_PERMISSIONS:
	case SET_SOCKET_PERMISSIONS:
		mode = st->id == SET_LOGFILE_PERMISSIONS ?
		    &desc->logfile_permissions : &desc->socket_permissions;
		if (parse_mode(value, mode) == -1) {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		break;
	case SET_LOG_BUFFER_SIZE:
		if (parse_unum(value, UINT_MAX / 2, &unum) == -1) {
			ps_bad_value(ps, line, st->name, value, NULL);
			goto out;
		}
		desc->log_buffer_size = (size_t)unum;
		break;
	default:
		ps_error(ps, line, "unhandled setting: '%s'", st->name);
		goto out;
	}
	r = 0;
out:
	free(value);
	return (r);
}

/* Handle a line starting with '@'; p is just after the '@'. */
static int
ps_meta(struct parse_state *ps, const char *p, int line)
{
	struct strlist		 w = { NULL, 0, 0 };
	struct subst_vars	 lk = { NULL, ps->env, ps->arg };
	const char		*cmd = p;
	char			*path = NULL, *resolved;
	size_t			 len;
	int			 optional, r = -1;

	while (setting_char((unsigned char)*p))
		p++;
	len = (size_t)(p - cmd);
	if (len == 4 && strncmp(cmd, "meta", 4) == 0) {
		/* Only "@meta enable-via service" means anything to us. */
		while (isspace((unsigned char)*p))
			p++;
		if (strncmp(p, "enable-via", 10) != 0 ||
		    !isspace((unsigned char)p[10]))
			return (0);
		if (ps_lex(ps, p + 10, line, 0, &w) == -1)
			goto out;
		if (w.n != 1 ||
		    parse_service_name(w.v[0], NULL, 0, NULL) == -1) {
			ps_error(ps, line, "'@meta enable-via' requires a "
			    "single service name");
			goto out;
		}
		replace_string(&ps->desc->enable_via, w.v[0]);
		w.v[0] = NULL;
		w.n = 0;
		r = 0;
		goto out;
	}
	if (len == 7 && strncmp(cmd, "include", 7) == 0)
		optional = 0;
	else if (len == 11 && strncmp(cmd, "include-opt", 11) == 0)
		optional = 1;
	else
		return (ps_error(ps, line, "bad meta command"));

	if (ps_lex(ps, p, line, LEX_SUBST, &w) == -1)
		goto out;
	if (w.n != 1) {
		ps_error(ps, line, "'@%s' requires a single argument",
		    optional ? "include-opt" : "include");
		goto out;
	}
	if (ps_subst_string(ps, ps_file(ps), line, optional ? "include-opt" :
	    "include", &lk, w.v[0], &path) == -1)
		goto out;
	if (*path == '\0') {
		ps_error(ps, line, "'@%s' path is empty", optional ?
		    "include-opt" : "include");
		goto out;
	}
	resolved = path_resolve(ps->frags[ps->depth - 1].dir, path);
	if (resolved == NULL) {
		ps_nomem(ps, NULL, line);
		goto out;
	}
	r = ps_push(ps, resolved, optional, line);
	free(resolved);
out:
	free(path);
	text_list_free(&w);
	return (r);
}

/* Handle one logical line. */
static int
ps_line(struct parse_state *ps, const char *p, int line)
{
	const struct setting	*st;
	const char		*name;
	char			 setting[64];
	size_t			 len, i;
	int			 append = 0;

	while (isspace((unsigned char)*p)) {
		if (*p++ == '\n')
			line++;
	}
	if (*p == '\0' || *p == '#')
		return (0);
	if (*p == '@')
		return (ps_meta(ps, p + 1, line));

	name = p;
	if (*p != '-' && *p != '.' && !isdigit((unsigned char)*p)) {
		while (setting_char((unsigned char)*p))
			p++;
	}
	len = (size_t)(p - name);
	while (isspace((unsigned char)*p)) {
		if (*p++ == '\n')
			line++;
	}
	if (len == 0)
		return (ps_error(ps, line, "badly formed line"));
	if (*p == '+' && p[1] == '=') {
		append = 1;
		p += 2;
	} else if (*p == '=' || *p == ':')
		p++;
	else
		return (ps_error(ps, line, "badly formed line"));

	st = NULL;
	for (i = 0; i < nitems(parse_settings); i++) {
		if (strlen(parse_settings[i].name) == len &&
		    strncmp(parse_settings[i].name, name, len) == 0) {
			st = &parse_settings[i];
			break;
		}
	}
	if (st == NULL) {
		if (len >= sizeof(setting))
			len = sizeof(setting) - 1;
		memcpy(setting, name, len);
		setting[len] = '\0';
		return (ps_error(ps, line, "unknown setting: '%s'", setting));
	}
	if (append && (st->flags & SETTING_APPEND) == 0)
		return (ps_error(ps, line, "cannot use '+=' with setting '%s'",
		    st->name));
	return (ps_setting(ps, st, append, p, line));
}

/* Add USER, LOGNAME, HOME, SHELL, UID and GID of the run-as user. */
static int
ps_passwd_vars(struct parse_state *ps)
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
		return (ps_error_at(ps, desc->file, 0, "export-passwd-vars: "
		    "user '%s' not found in the system database",
		    desc->run_as != NULL ? desc->run_as : "(current)"));
	if (environ_set(&desc->env, "USER", pw->pw_name) == -1 ||
	    environ_set(&desc->env, "LOGNAME", pw->pw_name) == -1 ||
	    environ_set(&desc->env, "HOME", pw->pw_dir) == -1 ||
	    environ_set(&desc->env, "SHELL", pw->pw_shell) == -1)
		return (ps_nomem(ps, desc->file, 0));
	(void)snprintf(num, sizeof(num), "%lu", (unsigned long)pw->pw_uid);
	if (environ_set(&desc->env, "UID", num) == -1)
		return (ps_nomem(ps, desc->file, 0));
	(void)snprintf(num, sizeof(num), "%lu", (unsigned long)pw->pw_gid);
	if (environ_set(&desc->env, "GID", num) == -1)
		return (ps_nomem(ps, desc->file, 0));
	return (0);
}

/* Build the service environment: load-option variables, then env-file. */
static int
ps_service_env(struct parse_state *ps)
{
	struct service_desc	*desc = ps->desc;
	char			*path, msg[sizeof(ps->err->msg)];

	if ((desc->load_options & LOPT_EXPORT_SERVICE_NAME) != 0 &&
	    environ_set(&desc->env, "DINIT_SERVICE", desc->name) == -1)
		return (ps_nomem(ps, desc->file, 0));
	if ((desc->load_options & LOPT_EXPORT_PASSWD_VARS) != 0 &&
	    ps_passwd_vars(ps) == -1)
		return (-1);
	if (desc->env_file == NULL)
		return (0);
	if ((path = path_resolve(desc->dir, desc->env_file)) == NULL)
		return (ps_nomem(ps, ps->env_file_file, ps->env_file_line));
	msg[0] = '\0';
	if (environ_read_file(&desc->env, path, ps->env, msg,
	    sizeof(msg)) == -1) {
		ps->errnum = errno;
		free(path);
		return (ps_error_at(ps, ps->env_file_file, ps->env_file_line,
		    "env-file: %s", msg));
	}
	free(path);
	return (0);
}

/* Substitute a pending string setting into *dst (NULL when empty). */
static int
ps_finish_string(struct parse_state *ps, struct pending *pd,
    const char *setting, const struct subst_vars *lk, char **dst)
{
	char	*value;

	if (pd->value == NULL)
		return (0);
	if (ps_subst_string(ps, pd->file, pd->line, setting, lk, pd->value,
	    &value) == -1)
		return (-1);
	if (*value == '\0') {
		free(value);
		value = NULL;
	}
	replace_string(dst, value);
	return (0);
}

/* Substitute a pending command into an argv (NULL when empty). */
static int
ps_finish_argv(struct parse_state *ps, struct pending_argv *pa,
    const char *setting, const struct subst_vars *lk, char ***dst)
{
	struct strlist	argv = { NULL, 0, 0 };
	size_t		i;

	for (i = 0; i < pa->words.n; i++) {
		if (ps_subst_word(ps, pa->file, pa->line, setting, lk,
		    pa->words.v[i], &argv) == -1) {
			text_list_free(&argv);
			return (-1);
		}
	}
	free_argv(*dst);
	*dst = argv.n > 0 ? argv.v : NULL;
	if (argv.n == 0)
		text_list_free(&argv);
	return (0);
}

/* Post-load work: service environment, substitution, validation. */
static int
ps_finish(struct parse_state *ps)
{
	struct service_desc	*desc = ps->desc;
	struct subst_vars	 lk = { &desc->env, ps->env, ps->arg };
	enum service_type	 type = desc->type;

	if (ps_service_env(ps) == -1)
		return (-1);
	if (ps_finish_argv(ps, &ps->command, "command", &lk,
	    &desc->command) == -1 ||
	    ps_finish_argv(ps, &ps->stop_command, "stop-command", &lk,
	    &desc->stop_command) == -1 ||
	    ps_finish_string(ps, &ps->working_dir, "working-dir", &lk,
	    &desc->working_dir) == -1 ||
	    ps_finish_string(ps, &ps->logfile, "logfile", &lk,
	    &desc->logfile) == -1 ||
	    ps_finish_string(ps, &ps->socket_listen, "socket-listen", &lk,
	    &desc->socket_listen) == -1 ||
	    ps_finish_string(ps, &ps->pid_file, "pid-file", &lk,
	    &desc->pid_file) == -1)
		return (-1);

	if ((type == SERVICE_PROCESS || type == SERVICE_BGPROCESS ||
	    type == SERVICE_SCRIPTED) && desc->command == NULL)
		return (ps_error_at(ps, desc->file, 0,
		    "'command' setting not specified"));
	if (type == SERVICE_BGPROCESS && desc->pid_file == NULL)
		return (ps_error_at(ps, desc->file, 0, "process ID file "
		    "('pid-file') not specified for bgprocess service"));
	if (type != SERVICE_PROCESS &&
	    (desc->ready_fd != -1 || desc->ready_var != NULL))
		return (ps_error_at(ps, desc->file, 0, "readiness notification "
		    "('ready-notification') is only supported for process "
		    "services"));
	if ((desc->options & OPT_KILL_ALL_ON_STOP) != 0 &&
	    type != SERVICE_SCRIPTED && type != SERVICE_INTERNAL)
		return (ps_error_at(ps, desc->file, 0, "kill-all-on-stop can "
		    "only be set on scripted or internal services"));
	if (desc->consumer_of != NULL && type != SERVICE_PROCESS &&
	    type != SERVICE_BGPROCESS)
		return (ps_error_at(ps, desc->file, 0, "only a process or "
		    "bgprocess service can be a log consumer ('consumer-of') "
		    "of another service"));
	if ((desc->options & OPT_SHARES_CONSOLE) != 0 && (desc->options &
	    (OPT_RUNS_ON_CONSOLE | OPT_STARTS_ON_CONSOLE)) != 0)
		return (ps_error_at(ps, desc->file, 0, "option "
		    "'shares-console' cannot be used with 'runs-on-console' or "
		    "'starts-on-console'"));
	return (0);
}

/* Free what the parse state holds (not the description). */
static void
parse_state_free(struct parse_state *ps)
{
	while (ps->depth > 0)
		ps_pop(ps);
	text_list_free(&ps->paths);
	free(ps->linebuf);
	text_buf_free(&ps->logical);
	text_list_free(&ps->command.words);
	text_list_free(&ps->stop_command.words);
	free(ps->working_dir.value);
	free(ps->logfile.value);
	free(ps->socket_listen.value);
	free(ps->pid_file.value);
}

/* A description with every default set, for the service name. */
static struct service_desc *
parse_desc_new(const char *name, const char *path)
{
	struct service_desc	*desc;

	if ((desc = mem_zalloc(sizeof(*desc))) == NULL)
		return (NULL);
	environ_init(&desc->env);
	desc->type = SERVICE_INTERNAL;
	desc->term_signal = SIGTERM;
	desc->ready_fd = -1;
	desc->restart = RESTART_YES;
	desc->restart_delay = 200;
	desc->restart_limit_interval = 10000;
	desc->restart_limit_count = 3;
	desc->start_timeout = 60000;
	desc->stop_timeout = 10000;
	desc->log_type = LOGTYPE_NONE;
	desc->logfile_permissions = 0600;
	desc->log_buffer_size = 4096;
	desc->socket_permissions = 0666;
	if ((desc->name = mem_strdup(name)) == NULL ||
	    (desc->file = mem_strdup(path)) == NULL ||
	    (desc->dir = path_dir(path)) == NULL) {
		parse_desc_free(desc);
		return (NULL);
	}
	return (desc);
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
	struct parse_state	 ps;
	int			 line, r;

	memset(&ps, 0, sizeof(ps));
	ps.name = name;
	ps.env = env;
	ps.err = err;
	ps.errnum = EINVAL;
	if (err != NULL) {
		memset(err, 0, sizeof(*err));
		(void)strlcpy(err->file, path, sizeof(err->file));
	}
	if (parse_service_name(name, NULL, 0, &ps.arg) == -1) {
		ps_error_at(&ps, path, 0, "invalid service name '%s'", name);
		errno = EINVAL;
		return (NULL);
	}
	if ((ps.desc = parse_desc_new(name, path)) == NULL) {
		ps_error_at(&ps, path, 0, "out of memory");
		errno = ENOMEM;
		return (NULL);
	}
	if (ps_push(&ps, path, 0, 0) == -1)
		goto fail;
	while ((r = ps_next_line(&ps, &line)) == 1) {
		if (ps_line(&ps, ps.logical.s, line) == -1)
			goto fail;
	}
	if (r == -1 || ps_finish(&ps) == -1)
		goto fail;
	parse_state_free(&ps);
	return (ps.desc);

fail:
	parse_state_free(&ps);
	parse_desc_free(ps.desc);
	errno = ps.errnum;
	return (NULL);
}

/* Free a description (NULL is fine). */
void
parse_desc_free(struct service_desc *desc)
{
	size_t	i;

	if (desc == NULL)
		return;
	free(desc->name);
	free(desc->file);
	free(desc->dir);
	free_argv(desc->command);
	free_argv(desc->stop_command);
	free(desc->working_dir);
	free(desc->run_as);
	free(desc->env_file);
	free(desc->pid_file);
	free(desc->ready_var);
	free(desc->ioprio);
	free(desc->run_in_cgroup);
	free(desc->capabilities);
	free(desc->securebits);
	free(desc->inittab_id);
	free(desc->inittab_line);
	for (i = 0; i < desc->ndeps; i++) {
		free(desc->deps[i].name);
		free(desc->deps[i].file);
	}
	free(desc->deps);
	free(desc->chain_to);
	free(desc->consumer_of);
	free(desc->enable_via);
	free(desc->waits_for_d);
	free(desc->logfile);
	free(desc->logfile_uid);
	free(desc->logfile_gid);
	free(desc->socket_listen);
	free(desc->socket_uid);
	free(desc->socket_gid);
	environ_clear(&desc->env);
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
