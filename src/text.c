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
 * Text every program shares: growing strings, lists of strings, the hash
 * of a name, and opening a file to read.  Nothing here aborts: a failure
 * returns -1 or NULL with errno set, and the caller decides.
 */

#include "dinit.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Append n bytes to a growing string. */
int
text_buf_add(struct text_buf *tb, const char *p, size_t n)
{
	char	*s;
	size_t	 cap;

	if (tb->s == NULL || tb->cap - tb->len <= n) {
		if (n >= SIZE_MAX / 4 - tb->len) {
			errno = ENOMEM;
			return (-1);
		}
		cap = tb->cap == 0 ? 64 : tb->cap;
		while (cap - tb->len <= n)
			cap *= 2;
		if ((s = mem_array(tb->s, cap, 1)) == NULL)
			return (-1);
		tb->s = s;
		tb->cap = cap;
	}
	memcpy(tb->s + tb->len, p, n);
	tb->len += n;
	tb->s[tb->len] = '\0';
	return (0);
}

/* Empty a growing string, keeping its memory. */
void
text_buf_reset(struct text_buf *tb)
{
	tb->len = 0;
	if (tb->s != NULL)
		tb->s[0] = '\0';
}

/* Free a growing string. */
void
text_buf_free(struct text_buf *tb)
{
	free(tb->s);
	tb->s = NULL;
	tb->len = tb->cap = 0;
}

/* Append an allocated string to a list, which then owns it. */
int
text_list_push(struct strlist *l, char *s)
{
	char	**v;
	size_t	  cap;

	if (l->v == NULL || l->n + 1 >= l->cap) {
		cap = l->cap == 0 ? 8 : l->cap * 2;
		if ((v = mem_array(l->v, cap, sizeof(*v))) == NULL) {
			free(s);
			return (-1);
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
	return (0);
}

/* Append a copy of the first len bytes of s to a list. */
int
text_list_add(struct strlist *l, const char *s, size_t len)
{
	char	*copy;

	if ((copy = mem_strndup(s, len)) == NULL)
		return (-1);
	return (text_list_push(l, copy));
}

/* The index of s in a list, or -1. */
long
text_list_find(const struct strlist *l, const char *s)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], s) == 0)
			return ((long)i);
	}
	return (-1);
}

/* Join the strings of a list with single spaces, into a new string. */
char *
text_list_join(const struct strlist *l)
{
	struct text_buf	tb = { NULL, 0, 0 };
	size_t		i;

	if (text_buf_add(&tb, "", 0) == -1)
		return (NULL);
	for (i = 0; i < l->n; i++) {
		if ((i > 0 && text_buf_add(&tb, " ", 1) == -1) ||
		    text_buf_add(&tb, l->v[i], strlen(l->v[i])) == -1) {
			text_buf_free(&tb);
			return (NULL);
		}
	}
	return (tb.s);
}

/* Free a list and its strings; the list stays usable. */
void
text_list_free(struct strlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* FNV-1a hash of a name. */
size_t
text_hash(const char *name)
{
	size_t	h = 2166136261u;

	while (*name != '\0') {
		h ^= (unsigned char)*name++;
		h *= 16777619u;
	}
	return (h);
}

/*
 * Read the file open on fd whole into tf, at most TEXT_FILE_MAX bytes
 * (sb is its status).  -1 with errno (EFBIG when it is larger).
 */
static int
text_slurp(struct text_file *tf, int fd, const struct stat *sb)
{
	char	*buf, *more;
	size_t	 cap, len = 0;
	ssize_t	 n;
	int	 error;

	/* Some files (procfs) say 0 and have more: grow as they read. */
	cap = (size_t)sb->st_size + 1;
	if (cap < 4096)
		cap = 4096;
	if ((buf = mem_alloc(cap)) == NULL)
		return (-1);
	for (;;) {
		if (len + 1 == cap) {
			if (len > TEXT_FILE_MAX) {
				error = EFBIG;
				goto fail;
			}
			/* Room for one byte more than allowed, to see it. */
			cap = cap > TEXT_FILE_MAX / 2 ? TEXT_FILE_MAX + 2 :
			    cap * 2;
			if ((more = mem_array(buf, cap, 1)) == NULL) {
				error = errno;
				goto fail;
			}
			buf = more;
		}
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = errno;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	tf->buf = buf;
	tf->len = len;
	tf->pos = 0;
	return (0);
fail:
	free(buf);
	errno = error;
	return (-1);
}

/*
 * Read a description, include or environment file whole, to take apart
 * with text_line.  Only a regular file of at most TEXT_FILE_MAX bytes is
 * read: a FIFO, a terminal or a device would block the daemon or never
 * end.  Returns 0 (with the file's status in sb when it is not NULL), or
 * -1 with errno set and *why saying what failed: TEXT_OPEN_OPEN,
 * TEXT_OPEN_TYPE (not a regular file), TEXT_OPEN_SIZE (too large) or
 * TEXT_OPEN_READ (fstat, read, memory); text_open_reason says it in words.
 */
int
text_open(struct text_file *tf, const char *path, struct stat *sb, int *why)
{
	struct stat	st;
	int		fd, error;

	memset(tf, 0, sizeof(*tf));
	/* Non-blocking: opening a FIFO to read would wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd == -1) {
		*why = TEXT_OPEN_OPEN;
		return (-1);
	}
	*why = TEXT_OPEN_READ;
	error = 0;
	if (fstat(fd, &st) == -1)
		error = errno;
	else if (S_ISDIR(st.st_mode)) {
		*why = TEXT_OPEN_TYPE;
		error = EISDIR;
	} else if (!S_ISREG(st.st_mode)) {
		*why = TEXT_OPEN_TYPE;
		error = EINVAL;
	} else if (st.st_size > TEXT_FILE_MAX ||
	    text_slurp(tf, fd, &st) == -1) {
		error = st.st_size > TEXT_FILE_MAX ? EFBIG : errno;
		if (error == EFBIG)
			*why = TEXT_OPEN_SIZE;
	}
	(void)close(fd);
	if (error != 0) {
		errno = error;
		return (-1);
	}
	if (sb != NULL)
		*sb = st;
	return (0);
}

/* Why text_open failed, in words for "cannot open/read FILE: ...". */
const char *
text_open_reason(int why, int error)
{
	switch (why) {
	case TEXT_OPEN_TYPE:
		return (error == EISDIR ? strerror(error) :
		    "not a regular file");
	case TEXT_OPEN_SIZE:
		return ("larger than " TEXT_FILE_MAX_WORDS);
	default:
		return (strerror(error));
	}
}

/*
 * The next line of a file read by text_open, its newline replaced by a
 * NUL, with its length (up to the newline) in *lenp; NULL at the end.
 */
char *
text_line(struct text_file *tf, size_t *lenp)
{
	char	*line, *nl;

	if (tf->buf == NULL || tf->pos >= tf->len)
		return (NULL);
	line = tf->buf + tf->pos;
	if ((nl = memchr(line, '\n', tf->len - tf->pos)) != NULL) {
		*nl = '\0';
		*lenp = (size_t)(nl - line);
		tf->pos += *lenp + 1;
	} else {
		*lenp = tf->len - tf->pos;
		tf->pos = tf->len;
	}
	return (line);
}

/* Free what text_open read. */
void
text_close(struct text_file *tf)
{
	free(tf->buf);
	memset(tf, 0, sizeof(*tf));
}

/*
 * Length of the well-formed UTF-8 sequence starting at p (1 to 4), or 0
 * when the bytes there are not one.
 */
size_t
text_utf8_len(const unsigned char *p)
{
	size_t		n, i;
	unsigned char	lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else
		return (0);
	for (i = 1; i < n; i++) {
		if (p[i] < lo || p[i] > hi)
			return (0);
		lo = 0x80;
		hi = 0xbf;
	}
	return (n);
}

/*
 * Append a JSON string literal to fp.  Control characters are escaped; a
 * byte that is not part of well-formed UTF-8 is written as \u00XX of its
 * value, so the output is always valid JSON and keeps every byte.
 */
void
text_json_str(FILE *fp, const char *s)
{
	const unsigned char	*p;
	size_t			 n;

	fputc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		n = text_utf8_len(p);
		if (*p == '"' || *p == '\\')
			fprintf(fp, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f || n == 0)
			fprintf(fp, "\\u%04x", *p);
		else
			fwrite(p, 1, n, fp);
		if (n == 0)
			n = 1;
	}
	fputc('"', fp);
}
