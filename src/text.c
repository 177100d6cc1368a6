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
 * Open a file to read it as text.  Returns a stream (and, if sb is not
 * NULL, the file's status), or NULL with errno set and *why saying which
 * step failed: TEXT_OPEN_OPEN, TEXT_OPEN_CHECK (not a file we read) or
 * TEXT_OPEN_STREAM.
 */
FILE *
text_open(const char *path, struct stat *sb, int *why)
{
	struct stat	 st;
	FILE		*fp;
	int		 fd, error;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*why = TEXT_OPEN_OPEN;
		return (NULL);
	}
	/* Some systems let read(2) return a directory's raw entries. */
	error = 0;
	if (fstat(fd, &st) == -1)
		error = errno;
	else if (S_ISDIR(st.st_mode))
		error = EISDIR;
	if (error != 0) {
		(void)close(fd);
		*why = TEXT_OPEN_CHECK;
		errno = error;
		return (NULL);
	}
	if ((fp = fdopen(fd, "r")) == NULL) {
		error = errno;
		(void)close(fd);
		*why = TEXT_OPEN_STREAM;
		errno = error;
		return (NULL);
	}
	if (sb != NULL)
		*sb = st;
	return (fp);
}
