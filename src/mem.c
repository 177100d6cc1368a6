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

/*
 * The allocator handed to libevent (event_set_mem_functions).
 *
 * libevent cannot be trusted to survive its own allocation failures:
 * 2.1.12's bufferevents go on to use the NULL that evbuffer_add_cb
 * returned under bufferevent_setwatermark, among others.  The daemon no
 * longer links those (the control server has its own buffers, allocated
 * with mem_alloc and mem_array, whose failure drops one client), but the
 * rest of libevent is not known to be better.  So libevent never sees a
 * failure while the reserve lasts: when malloc fails, the block is carved
 * from a static reserve instead, and goes back to the reserve when
 * libevent frees it.  The reserve costs no memory until it is used (it
 * sits in .bss) and cannot itself fail to exist.  What libevent allocates
 * for a connection is a place in its table of descriptors (which grows by
 * doubling) when the event is added; the control server accepts a client
 * only while enough of the reserve is free for that (mem_reserve_free).
 *
 * Every block, from malloc or the reserve, starts with a header holding
 * its size, so realloc can move a block from one to the other.  Reserve
 * blocks are laid end to end; the header of a free one says so, and
 * neighbouring free blocks are merged as the reserve is searched.
 */
#define MEM_RESERVE_SIZE	(512 * 1024)
#define MEM_ALIGN		16

struct mem_header {
	size_t	size;		/* bytes after the header (block's, or asked) */
	size_t	state;		/* MEM_HEAP, MEM_RESERVE_USED, MEM_RESERVE_FREE */
};
#define MEM_HEAP		0x6865
#define MEM_RESERVE_USED	0x7275
#define MEM_RESERVE_FREE	0x7266
#define MEM_HEADER		((sizeof(struct mem_header) + MEM_ALIGN - 1) & \
				    ~(size_t)(MEM_ALIGN - 1))

static _Alignas(MEM_ALIGN) unsigned char mem_reserve[MEM_RESERVE_SIZE];
static size_t	mem_reserve_used;	/* bytes of blocks in use, headers too */
static int	mem_reserve_ready;
static unsigned long mem_reserve_uses;

/* The header of the block at p. */
static struct mem_header *
mem_header(void *p)
{
	return ((struct mem_header *)(void *)((unsigned char *)p - MEM_HEADER));
}

/* Whether p is a block of the reserve. */
static int
mem_in_reserve(const void *p)
{
	const unsigned char	*c = p;

	return (c >= mem_reserve && c < mem_reserve + sizeof(mem_reserve));
}

/* Make the reserve one free block. */
static void
mem_reserve_init(void)
{
	struct mem_header	*h = (struct mem_header *)(void *)mem_reserve;

	h->size = sizeof(mem_reserve) - MEM_HEADER;
	h->state = MEM_RESERVE_FREE;
	mem_reserve_ready = 1;
}

/* A block of at least size bytes from the reserve, or NULL. */
static void *
mem_reserve_alloc(size_t size)
{
	struct mem_header	*h, *next, *rest;
	unsigned char		*p, *end = mem_reserve + sizeof(mem_reserve);

	if (!mem_reserve_ready)
		mem_reserve_init();
	if (size > sizeof(mem_reserve))
		return (NULL);
	size = (size + MEM_ALIGN - 1) & ~(size_t)(MEM_ALIGN - 1);
	for (p = mem_reserve; p < end; p += MEM_HEADER + h->size) {
		h = (struct mem_header *)(void *)p;
		if (h->state != MEM_RESERVE_FREE)
			continue;
		/* Merge the free blocks that follow. */
		while (p + MEM_HEADER + h->size < end) {
			next = (struct mem_header *)(void *)(p + MEM_HEADER +
			    h->size);
			if (next->state != MEM_RESERVE_FREE)
				break;
			h->size += MEM_HEADER + next->size;
		}
		if (h->size < size)
			continue;
		if (h->size >= size + MEM_HEADER + MEM_ALIGN) {
			rest = (struct mem_header *)(void *)(p + MEM_HEADER +
			    size);
			rest->size = h->size - size - MEM_HEADER;
			rest->state = MEM_RESERVE_FREE;
			h->size = size;
		}
		h->state = MEM_RESERVE_USED;
		mem_reserve_used += MEM_HEADER + h->size;
		mem_reserve_uses++;
		return (p + MEM_HEADER);
	}
	return (NULL);
}

/* How many bytes of the reserve are free (some may be fragmented). */
size_t
mem_reserve_free(void)
{
	return (sizeof(mem_reserve) - mem_reserve_used);
}

/* How many blocks the reserve has handed out since the start. */
unsigned long
mem_reserve_count(void)
{
	return (mem_reserve_uses);
}

/* libevent's malloc: the system's, else the reserve's. */
void *
mem_event_malloc(size_t size)
{
	struct mem_header	*h;
	unsigned char		*p;

	if (size > SIZE_MAX - MEM_HEADER) {
		errno = ENOMEM;
		return (NULL);
	}
	if ((p = malloc(MEM_HEADER + size)) != NULL) {
		h = (struct mem_header *)(void *)p;
		h->size = size;
		h->state = MEM_HEAP;
		return (p + MEM_HEADER);
	}
	if ((p = mem_reserve_alloc(size)) == NULL)
		errno = ENOMEM;
	return (p);
}

/* libevent's free. */
void
mem_event_free(void *p)
{
	struct mem_header	*h;

	if (p == NULL)
		return;
	h = mem_header(p);
	if (mem_in_reserve(p)) {
		h->state = MEM_RESERVE_FREE;
		mem_reserve_used -= MEM_HEADER + h->size;
		return;
	}
	free(h);
}

/* libevent's realloc: in place where it can, else moved (either way). */
void *
mem_event_realloc(void *p, size_t size)
{
	struct mem_header	*h;
	unsigned char		*q;
	size_t			 old;

	if (p == NULL)
		return (mem_event_malloc(size));
	if (size > SIZE_MAX - MEM_HEADER) {
		errno = ENOMEM;
		return (NULL);
	}
	h = mem_header(p);
	old = h->size;
	if (!mem_in_reserve(p) &&
	    (q = realloc(h, MEM_HEADER + size)) != NULL) {
		h = (struct mem_header *)(void *)q;
		h->size = size;
		return (q + MEM_HEADER);
	}
	if (mem_in_reserve(p) && old >= size)
		return (p);
	if ((q = mem_event_malloc(size)) == NULL)
		return (NULL);
	memcpy(q, p, old < size ? old : size);
	mem_event_free(p);
	return (q);
}

/* Give the memory freed after a burst back to the system, where it can. */
void
mem_trim(void)
{
	(void)malloc_trim(0);
}
