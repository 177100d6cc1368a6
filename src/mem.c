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
 * Checked allocation.  Nothing here aborts: a failed allocation returns
 * NULL with errno set, and the caller fails the one operation it was doing.
 */

#include "dinit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Allocations left before an injected failure; negative: none injected. */
static long	mem_countdown = -1;

/* Make the n-th next allocation fail (0: the very next); -1 turns it off. */
void
mem_fail_after(long n)
{
	mem_countdown = n;
}

/* Whether an injected failure is due now. */
static int
mem_injected_failure(void)
{
	if (mem_countdown < 0)
		return (0);
	if (mem_countdown-- == 0) {
		errno = ENOMEM;
		return (1);
	}
	return (0);
}

/* Allocate size bytes. */
void *
mem_alloc(size_t size)
{
	if (mem_injected_failure())
		return (NULL);
	return (malloc(size == 0 ? 1 : size));
}

/* Allocate size zeroed bytes. */
void *
mem_zalloc(size_t size)
{
	if (mem_injected_failure())
		return (NULL);
	return (calloc(1, size == 0 ? 1 : size));
}

/* Resize ptr to nmemb members of size bytes, checking for overflow. */
void *
mem_array(void *ptr, size_t nmemb, size_t size)
{
	if (mem_injected_failure())
		return (NULL);
	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	return (reallocarray(ptr, nmemb, size));
}

/* Copy a string. */
char *
mem_strdup(const char *s)
{
	return (mem_strndup(s, strlen(s)));
}

/* Copy at most len bytes of a string, terminating the copy. */
char *
mem_strndup(const char *s, size_t len)
{
	char	*copy;

	len = strnlen(s, len);
	if ((copy = mem_alloc(len + 1)) == NULL)
		return (NULL);
	memcpy(copy, s, len);
	copy[len] = '\0';
	return (copy);
}
