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
 * rc.conf as data.  rc.conf is sh sourced by rc.subr; we read only its
 * plain assignments (NAME=value, NAME="value", NAME='value', a trailing
 * comment) and pass over everything else, evaluating nothing.  A later
 * assignment wins, as it would when the files are sourced in turn.
 */

#include "import.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Read one line; 1 when it was an assignment, 0 when passed over, -1 when
 * memory ran out.
 */
int
rcconf_line(struct environ *vars, const char *line)
{
	struct textbuf	 value = { NULL, 0, 0 };
	const char	*p = line, *name;
	size_t		 namelen;
	char		 c[2] = { '\0', '\0' };
	int		 r;

	while (*p == ' ' || *p == '\t')
		p++;
	name = p;
	if (!isalpha((unsigned char)*p) && *p != '_')
		return (0);
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	namelen = (size_t)(p - name);
	if (*p++ != '=')
		return (0);
	textbuf_add(&value, "");
	while (*p != '\0' && *p != '\n' && *p != ' ' && *p != '\t' &&
	    *p != ';') {
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && p[1] != '\0' &&
				    strchr("\"\\$`", p[1]) != NULL)
					p++;
				c[0] = *p;
				textbuf_add(&value, c);
			}
			if (*p == '"')
				p++;
		} else if (*p == '\'') {
			for (p++; *p != '\0' && *p != '\''; p++) {
				c[0] = *p;
				textbuf_add(&value, c);
			}
			if (*p == '\'')
				p++;
		} else {
			if (*p == '\\' && p[1] != '\0')
				p++;
			c[0] = *p++;
			textbuf_add(&value, c);
		}
	}
	r = environ_setn(vars, name, namelen, value.s) == -1 ? -1 : 1;
	textbuf_free(&value);
	return (r);
}

/* Read an rc.conf file into vars.  Returns 0, or -1 with errno. */
int
rcconf_read(struct environ *vars, const char *path)
{
	FILE	*fp;
	char	*line = NULL;
	size_t	 cap = 0;
	int	 error = 0;

	if ((fp = fopen(path, "r")) == NULL)
		return (-1);
	while (getline(&line, &cap, fp) != -1) {
		if (rcconf_line(vars, line) == -1) {
			error = errno;
			break;
		}
	}
	free(line);
	if (error == 0 && ferror(fp))
		error = EIO;
	(void)fclose(fp);
	if (error != 0) {
		errno = error;
		return (-1);
	}
	return (0);
}

/*
 * checkyesno(8): 1 for yes, true, on or 1 in any case; 0 for no, false,
 * off or 0; -1 for anything else, which rc.subr warns about and counts as
 * no.
 */
int
rcconf_checkyesno(const char *value)
{
	static const char *const yes[] = { "yes", "true", "on", "1", NULL };
	static const char *const no[] = { "no", "false", "off", "0", NULL };
	int	i;

	if (value == NULL)
		return (-1);
	for (i = 0; yes[i] != NULL; i++) {
		if (strcasecmp(value, yes[i]) == 0)
			return (1);
	}
	for (i = 0; no[i] != NULL; i++) {
		if (strcasecmp(value, no[i]) == 0)
			return (0);
	}
	return (-1);
}
