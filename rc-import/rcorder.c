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
 * The rcorder(8) header of a FreeBSD rc.d script, read exactly as rcorder
 * reads it: lines joined by fparseln(3) on a trailing backslash; only lines
 * beginning at column 0 with "# PROVIDE:", "# REQUIRE:", "# BEFORE:" or
 * "# KEYWORD:" (and the undocumented PROVIDES, REQUIRES, KEYWORDS) count;
 * words are split on space, tab and newline; the block ends at the first
 * other line after a tag line.  No leniency: "#PROVIDE:" is not a tag.
 *
 * Also the two rc.subr conventions service(8) -e relies on, read from
 * lines beginning with "name=" and "rcvar".
 */

#include "import.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The tags, in the order rcorder tries them. */
static const struct rcorder_tag {
	const char	*text;
	int		 which;
} rcorder_tags[] = {
	{ "# REQUIRE:", 'R' },
	{ "# REQUIRES:", 'R' },
	{ "# PROVIDE:", 'P' },
	{ "# PROVIDES:", 'P' },
	{ "# BEFORE:", 'B' },
	{ "# KEYWORD:", 'K' },
	{ "# KEYWORDS:", 'K' },
	{ NULL, 0 }
};

/*
 * Whether the character at p (in a line starting at start) is escaped: an
 * odd number of backslashes precede it.  As fparseln's isescaped().
 */
static int
rcorder_escaped(const char *start, const char *p)
{
	size_t	n = 0;

	while (--p >= start && *p == '\\')
		n++;
	return ((n & 1) != 0);
}

/*
 * Read one logical line as fparseln(fp, NULL, NULL, "\\\\\0", 0) does:
 * the newline is dropped, a trailing unescaped backslash joins the next
 * line (both removed), nothing else is touched.  NULL at end of file.
 */
char *
rcorder_readline(FILE *fp)
{
	char	*line = NULL, *buf = NULL;
	size_t	 linecap = 0, len = 0, s;
	ssize_t	 got;
	int	 more = 1;

	while (more) {
		more = 0;
		if ((got = getline(&line, &linecap, fp)) == -1)
			break;
		s = (size_t)got;
		if (s > 0 && line[s - 1] == '\n')
			s--;
		if (s > 0 && line[s - 1] == '\\' &&
		    !rcorder_escaped(line, line + s - 1)) {
			s--;
			more = 1;
		}
		if (s == 0 && buf == NULL && more)
			continue;
		buf = import_need(mem_array(buf, len + s + 1, 1));
		memcpy(buf + len, line, s);
		len += s;
		buf[len] = '\0';
	}
	free(line);
	return (buf);
}

/* Add each word of a tag line (strsep on " \t\n", empties skipped). */
static void
rcorder_words(struct strlist *l, char *p)
{
	char	*word;

	while ((word = strsep(&p, " \t\n")) != NULL) {
		if (*word != '\0')
			strlist_add(l, word);
	}
}

/* Read the header of an open script into h (which starts zeroed). */
void
rcorder_parse(FILE *fp, struct rcd_header *h)
{
	const struct rcorder_tag	*t;
	struct strlist			*l;
	char				*buf;
	int				 parsing = 0;

	while ((buf = rcorder_readline(fp)) != NULL) {
		for (t = rcorder_tags; t->text != NULL; t++) {
			if (strncmp(t->text, buf, strlen(t->text)) == 0)
				break;
		}
		if (t->text == NULL) {
			free(buf);
			if (parsing)
				break;
			continue;
		}
		parsing = h->tagged = 1;
		switch (t->which) {
		case 'R':
			l = &h->require;
			break;
		case 'P':
			l = &h->provide;
			break;
		case 'B':
			l = &h->before;
			break;
		default:
			l = &h->keyword;
			break;
		}
		rcorder_words(l, buf + strlen(t->text));
		free(buf);
	}
}

/* Skip an optional quote and return the value of a "var=value" line. */
static char *
rcorder_value(const char *p)
{
	const char	*end;
	char		 q = 0;

	if (*p == '"' || *p == '\'')
		q = *p++;
	for (end = p; *end != '\0' && *end != '\n'; end++) {
		if (q != 0 ? *end == q : (*end == ' ' || *end == '\t' ||
		    *end == ';' || *end == '#'))
			break;
	}
	return (import_need(mem_strndup(p, (size_t)(end - p))));
}

/* Expand ${name} and $name in an rcvar value; `set_rcvar` is ${name}_enable. */
static char *
rcorder_expand(const char *value, const char *name)
{
	struct textbuf	 b = { NULL, 0, 0 };
	const char	*p;

	if (strstr(value, "set_rcvar") != NULL)
		return (import_printf("%s_enable", name != NULL ? name : ""));
	textbuf_add(&b, "");
	for (p = value; *p != '\0'; p++) {
		if (strncmp(p, "${name}", 7) == 0) {
			textbuf_add(&b, name != NULL ? name : "");
			p += 6;
		} else if (strncmp(p, "$name", 5) == 0) {
			textbuf_add(&b, name != NULL ? name : "");
			p += 4;
		} else {
			char	c[2] = { *p, '\0' };

			textbuf_add(&b, c);
		}
	}
	return (b.s);
}

/*
 * Read what service -e reads: the last "name=" and "rcvar" lines at column
 * 0, and whether a line starts with "# PROVIDE:" (find_local_scripts_new).
 */
void
rcorder_scan_vars(FILE *fp, struct rcd_vars *v)
{
	char	*line = NULL, *rcvar = NULL;
	size_t	 cap = 0;

	while (getline(&line, &cap, fp) != -1) {
		if (strncmp(line, "# PROVIDE:", 10) == 0)
			v->provide_line = 1;
		else if (strncmp(line, "name=", 5) == 0) {
			free(v->name);
			v->name = rcorder_value(line + 5);
		} else if (strncmp(line, "rcvar=", 6) == 0) {
			free(rcvar);
			rcvar = rcorder_value(line + 6);
		}
	}
	free(line);
	if (rcvar != NULL) {
		free(v->rcvar);
		v->rcvar = rcorder_expand(rcvar, v->name);
		free(rcvar);
		if (v->rcvar[0] == '\0') {
			free(v->rcvar);
			v->rcvar = NULL;
		}
	}
}

/*
 * Read a script's header (and, when v is not NULL, its rc.subr variables).
 * Returns 0; 1 when it is not a regular file (rcorder skips it silently);
 * -1 with errno when it cannot be opened or read.
 */
int
rcorder_parse_file(const char *path, struct rcd_header *h,
    struct rcd_vars *v)
{
	struct stat	 sb;
	FILE		*fp;

	if ((fp = fopen(path, "r")) == NULL)
		return (-1);
	if (fstat(fileno(fp), &sb) == -1) {
		(void)fclose(fp);
		return (-1);
	}
	if (!S_ISREG(sb.st_mode)) {
		(void)fclose(fp);
		return (1);
	}
	rcorder_parse(fp, h);
	if (v != NULL) {
		rewind(fp);
		rcorder_scan_vars(fp, v);
	}
	if (ferror(fp)) {
		(void)fclose(fp);
		errno = EIO;
		return (-1);
	}
	(void)fclose(fp);
	return (0);
}

/* Free what a header holds. */
void
rcorder_header_free(struct rcd_header *h)
{
	strlist_free(&h->provide);
	strlist_free(&h->require);
	strlist_free(&h->before);
	strlist_free(&h->keyword);
	h->tagged = 0;
}

/* Free what the rc.subr variables hold. */
void
rcorder_vars_free(struct rcd_vars *v)
{
	free(v->name);
	free(v->rcvar);
	v->name = v->rcvar = NULL;
}

/*
 * Whether run_rc_script(8) ignores a file of this name: dot files (not in
 * the rc.d glob) and scratch files: *~ *# *.OLD *.bak *.orig *,v.
 */
int
rcorder_scratch_name(const char *name)
{
	static const char *const suffixes[] = {
		"~", "#", ".OLD", ".bak", ".orig", ",v", NULL
	};
	size_t	len = strlen(name), slen;
	int	i;

	if (name[0] == '.' || len == 0)
		return (1);
	for (i = 0; suffixes[i] != NULL; i++) {
		slen = strlen(suffixes[i]);
		if (len >= slen && strcmp(name + len - slen, suffixes[i]) == 0)
			return (1);
	}
	return (0);
}
