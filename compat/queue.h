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
 * Intrusive doubly-linked tail queues, always shipped so every platform has
 * the same set (glibc's <sys/queue.h> lacks the _SAFE iterators), and
 * singly-linked ones (STAILQ) whose entry is one pointer, for queues taken
 * from their head and rarely from elsewhere: STAILQ_REMOVE walks the
 * queue.  The names follow the BSD convention; where a system header
 * already defined a macro, its definition (same semantics) is kept.
 */

#ifndef COMPAT_QUEUE_H
#define COMPAT_QUEUE_H

#ifndef TAILQ_HEAD
#define TAILQ_HEAD(name, type)						\
struct name {								\
	struct type	 *tqh_first;	/* first element */		\
	struct type	**tqh_last;	/* next field of last element */\
}
#endif

#ifndef TAILQ_HEAD_INITIALIZER
#define TAILQ_HEAD_INITIALIZER(head)	{ NULL, &(head).tqh_first }
#endif

#ifndef TAILQ_ENTRY
#define TAILQ_ENTRY(type)						\
struct {								\
	struct type	 *tqe_next;	/* next element */		\
	struct type	**tqe_prev;	/* next field of previous element */\
}
#endif

#ifndef TAILQ_FIRST
#define TAILQ_FIRST(head)		((head)->tqh_first)
#endif
#ifndef TAILQ_NEXT
#define TAILQ_NEXT(elm, field)		((elm)->field.tqe_next)
#endif
#ifndef TAILQ_EMPTY
#define TAILQ_EMPTY(head)		(TAILQ_FIRST(head) == NULL)
#endif

#ifndef TAILQ_INIT
#define TAILQ_INIT(head) do {						\
	(head)->tqh_first = NULL;					\
	(head)->tqh_last = &(head)->tqh_first;				\
} while (0)
#endif

#ifndef TAILQ_FOREACH
#define TAILQ_FOREACH(var, head, field)					\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL;						\
	    (var) = TAILQ_NEXT(var, field))
#endif

#ifndef TAILQ_FOREACH_SAFE
#define TAILQ_FOREACH_SAFE(var, head, field, tvar)			\
	for ((var) = TAILQ_FIRST(head);					\
	    (var) != NULL && ((tvar) = TAILQ_NEXT(var, field), 1);	\
	    (var) = (tvar))
#endif

#ifndef TAILQ_INSERT_HEAD
#define TAILQ_INSERT_HEAD(head, elm, field) do {			\
	if (((elm)->field.tqe_next = (head)->tqh_first) != NULL)	\
		(head)->tqh_first->field.tqe_prev =			\
		    &(elm)->field.tqe_next;				\
	else								\
		(head)->tqh_last = &(elm)->field.tqe_next;		\
	(head)->tqh_first = (elm);					\
	(elm)->field.tqe_prev = &(head)->tqh_first;			\
} while (0)
#endif

#ifndef TAILQ_INSERT_TAIL
#define TAILQ_INSERT_TAIL(head, elm, field) do {			\
	(elm)->field.tqe_next = NULL;					\
	(elm)->field.tqe_prev = (head)->tqh_last;			\
	*(head)->tqh_last = (elm);					\
	(head)->tqh_last = &(elm)->field.tqe_next;			\
} while (0)
#endif

#ifndef TAILQ_REMOVE
#define TAILQ_REMOVE(head, elm, field) do {				\
	if (((elm)->field.tqe_next) != NULL)				\
		(elm)->field.tqe_next->field.tqe_prev =			\
		    (elm)->field.tqe_prev;				\
	else								\
		(head)->tqh_last = (elm)->field.tqe_prev;		\
	*(elm)->field.tqe_prev = (elm)->field.tqe_next;		\
} while (0)
#endif

#ifndef STAILQ_HEAD
#define STAILQ_HEAD(name, type)						\
struct name {								\
	struct type	 *stqh_first;	/* first element */		\
	struct type	**stqh_last;	/* next field of last element */\
}
#endif

#ifndef STAILQ_ENTRY
#define STAILQ_ENTRY(type)						\
struct {								\
	struct type	*stqe_next;	/* next element */		\
}
#endif

#ifndef STAILQ_FIRST
#define STAILQ_FIRST(head)		((head)->stqh_first)
#endif
#ifndef STAILQ_NEXT
#define STAILQ_NEXT(elm, field)		((elm)->field.stqe_next)
#endif

#ifndef STAILQ_INIT
#define STAILQ_INIT(head) do {						\
	(head)->stqh_first = NULL;					\
	(head)->stqh_last = &(head)->stqh_first;			\
} while (0)
#endif

#ifndef STAILQ_INSERT_TAIL
#define STAILQ_INSERT_TAIL(head, elm, field) do {			\
	(elm)->field.stqe_next = NULL;					\
	*(head)->stqh_last = (elm);					\
	(head)->stqh_last = &(elm)->field.stqe_next;			\
} while (0)
#endif

#ifndef STAILQ_REMOVE_HEAD
#define STAILQ_REMOVE_HEAD(head, field) do {				\
	if (((head)->stqh_first =					\
	    (head)->stqh_first->field.stqe_next) == NULL)		\
		(head)->stqh_last = &(head)->stqh_first;		\
} while (0)
#endif

/* elm must be in the queue. */
#ifndef STAILQ_REMOVE
#define STAILQ_REMOVE(head, elm, type, field) do {			\
	struct type	**stq_link = &(head)->stqh_first;		\
									\
	while (*stq_link != (elm))					\
		stq_link = &(*stq_link)->field.stqe_next;		\
	if ((*stq_link = (elm)->field.stqe_next) == NULL)		\
		(head)->stqh_last = stq_link;				\
} while (0)
#endif

#endif /* COMPAT_QUEUE_H */
