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
 * Lists of strings (the shared struct strlist of text.c) and text buffers
 * for dinit-import.  Allocation failure ends the program (import_need), as
 * it may in a utility.
 */

#include "import.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Append a copy of the first len bytes of s. */
void
strlist_addn(struct strlist *l, const char *s, size_t len)
{
	if (text_list_add(l, s, len) == -1)
		err(1, "out of memory");
}

/* Append a copy of s. */
void
strlist_add(struct strlist *l, const char *s)
{
	strlist_addn(l, s, strlen(s));
}

/* Append a copy of s unless the list holds it; 1 when added. */
int
strlist_add_unique(struct strlist *l, const char *s)
{
	if (strlist_find(l, s) != -1)
		return (0);
	strlist_add(l, s);
	return (1);
}

/* The index of s in the list, or -1. */
int
strlist_find(const struct strlist *l, const char *s)
{
	return ((int)text_list_find(l, s));
}

/* The index of s in the list, ignoring case, or -1. */
int
strlist_find_nocase(const struct strlist *l, const char *s)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		if (strcasecmp(l->v[i], s) == 0)
			return ((int)i);
	}
	return (-1);
}

/* Free the strings and the list's array. */
void
strlist_free(struct strlist *l)
{
	text_list_free(l);
}

/* A new string made by printf. */
char *
import_printf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 len;

	va_start(ap, fmt);
	len = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (len < 0)
		err(1, "out of memory");
	return (s);
}

/* Make room for len more bytes and the NUL. */
static void
textbuf_grow(struct textbuf *b, size_t len)
{
	if (b->len + len + 1 <= b->cap)
		return;
	while (b->len + len + 1 > b->cap)
		b->cap = b->cap == 0 ? 256 : b->cap * 2;
	b->s = import_need(mem_array(b->s, b->cap, 1));
}

/* Append a string. */
void
textbuf_add(struct textbuf *b, const char *s)
{
	size_t	len = strlen(s);

	textbuf_grow(b, len);
	memcpy(b->s + b->len, s, len + 1);
	b->len += len;
}

/* Append formatted text. */
void
textbuf_printf(struct textbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;
	int	 len;

	va_start(ap, fmt);
	len = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (len < 0)
		err(1, "out of memory");
	textbuf_add(b, s);
	free(s);
}

/* Free the buffer's text. */
void
textbuf_free(struct textbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
