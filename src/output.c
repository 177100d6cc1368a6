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
 * Where a service's output goes when dinit holds it: log-type = pipe,
 * read by the service that says consumer-of, and log-type = buffer, a
 * ring in memory that dinitctl catlog prints.
 *
 * A pipe belongs to the producer's name, not to a service record: it is
 * made by whichever of producer and consumer starts first, dinit keeps
 * both ends, and it lives while either of them is loaded.  So what the
 * producer writes while its consumer restarts waits in the pipe, and the
 * producer never gets SIGPIPE: the read end is always open.  dinit never
 * reads or writes it itself.  As in dinit, a producer whose consumer does
 * not read stalls once the pipe is full; dinit does not.
 *
 * A buffer is a pipe whose read end dinit watches: output is read as it
 * comes and kept in a ring of log-buffer-size bytes, the oldest bytes
 * dropped (and counted) to make room, each line stamped with the time
 * its first byte arrived.  The ring is made when output first arrives.
 */

#include "dinit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "protocol.h"

#define OUTPUT_READ_SIZE	4096	/* one read of a buffer's pipe */
#define OUTPUT_READS_PER_EVENT	16	/* then let other events run */
#define OUTPUT_STAMPS_MIN	16
#define OUTPUT_BYTES_PER_STAMP	8	/* stamps kept: a line per 8 bytes */
#define OUTPUT_PIPES_MIN	16	/* slots of the pipe table */
#define OUTPUT_STAMP_SIZE	10	/* u32 offset, u32 sec, u16 ms */
#define OUTPUT_LOG_HEADER	9	/* u8 flags, u32 dropped, u32 count */

/* A pipe from a producer (log-type = pipe) to its consumer. */
struct output_pipe {
	struct output_pipe	*hash_next;
	int			 rfd;
	int			 wfd;
	struct output		*producer;	/* loaded and launched */
	struct output		*consumer;
	char			 name[];	/* the producer's */
};

/* When the line that starts at byte pos (of all ever kept) arrived. */
struct output_stamp {
	uint64_t	pos;
	int64_t		ms;		/* wall clock */
};

/*
 * The output record of one service, made at its first launch that needs
 * one.  Positions in the ring count every byte ever kept, so a stamp
 * names its line whatever has been dropped since.
 */
struct output {
	struct service		*service;
	struct output_pipe	*produces;	/* log-type = pipe */
	struct output_pipe	*consumes;	/* consumer-of */

	int			 buf_rfd;	/* log-type = buffer, or -1 */
	int			 buf_wfd;
	struct event		 buf_ev;
	char			*ring;		/* log-buffer-size bytes */
	size_t			 ring_size;
	size_t			 ring_start;	/* oldest byte */
	size_t			 ring_len;
	uint64_t		 total;		/* bytes ever kept */
	uint64_t		 dropped;	/* since the last clear */
	struct output_stamp	*stamps;	/* a ring, oldest first */
	size_t			 stamp_head;
	size_t			 nstamps;
	size_t			 stamp_cap;
	int			 line_start;	/* next byte starts a line */
	int			 nomem_logged;
};

static struct event_base	 *output_base;
static struct output_pipe	**output_pipes;
static size_t			  output_pipes_size;
static size_t			  output_npipes;

/* Set up output handling on an event base. */
void
output_init(struct event_base *base)
{
	output_base = base;
}

/* Slot of a producer's name in the pipe table. */
static struct output_pipe **
output_pipe_slot(struct output_pipe **table, size_t size, const char *name)
{
	return (&table[text_hash(name) & (size - 1)]);
}

/* The pipe of a producer, or NULL. */
static struct output_pipe *
output_pipe_find(const char *name)
{
	struct output_pipe	*p;

	if (output_pipes_size == 0)
		return (NULL);
	p = *output_pipe_slot(output_pipes, output_pipes_size, name);
	for (; p != NULL; p = p->hash_next) {
		if (strcmp(p->name, name) == 0)
			return (p);
	}
	return (NULL);
}

/*
 * Grow the pipe table as pipes are made.  A failed allocation keeps the
 * old table: lookups stay correct, only slower.
 */
static void
output_pipes_grow(void)
{
	struct output_pipe	**table, *p, *next, **slot;
	size_t			  size, i;

	size = output_pipes_size == 0 ? OUTPUT_PIPES_MIN :
	    output_pipes_size * 2;
	if ((table = mem_array(NULL, size, sizeof(*table))) == NULL)
		return;
	memset(table, 0, size * sizeof(*table));
	for (i = 0; i < output_pipes_size; i++) {
		for (p = output_pipes[i]; p != NULL; p = next) {
			next = p->hash_next;
			slot = output_pipe_slot(table, size, p->name);
			p->hash_next = *slot;
			*slot = p;
		}
	}
	free(output_pipes);
	output_pipes = table;
	output_pipes_size = size;
}

/* The pipe of a producer, made if there is none yet; NULL with errno. */
static struct output_pipe *
output_pipe_get(const char *name)
{
	struct output_pipe	*p, **slot;
	size_t			 len;
	int			 fds[2];

	if ((p = output_pipe_find(name)) != NULL)
		return (p);
	if (output_npipes >= output_pipes_size)
		output_pipes_grow();
	if (output_pipes_size == 0) {
		errno = ENOMEM;
		return (NULL);
	}
	len = strlen(name);
	if ((p = mem_zalloc(sizeof(*p) + len + 1)) == NULL)
		return (NULL);
	if (spawn_pipe(fds) != 0) {
		free(p);
		return (NULL);
	}
	p->rfd = fds[0];
	p->wfd = fds[1];
	memcpy(p->name, name, len + 1);
	slot = output_pipe_slot(output_pipes, output_pipes_size, name);
	p->hash_next = *slot;
	*slot = p;
	output_npipes++;
	return (p);
}

/* Close and free a pipe that neither end is loaded for any more. */
static void
output_pipe_put(struct output_pipe *p)
{
	struct output_pipe	**pp;

	if (p->producer != NULL || p->consumer != NULL)
		return;
	pp = output_pipe_slot(output_pipes, output_pipes_size, p->name);
	for (; *pp != NULL; pp = &(*pp)->hash_next) {
		if (*pp == p) {
			*pp = p->hash_next;
			break;
		}
	}
	output_npipes--;
	(void)close(p->rfd);
	(void)close(p->wfd);
	free(p);
}

/* Stop producing into a pipe. */
static void
output_unproduce(struct output *o)
{
	struct output_pipe	*p = o->produces;

	if (p == NULL)
		return;
	o->produces = NULL;
	p->producer = NULL;
	output_pipe_put(p);
}

/* Stop consuming a pipe. */
static void
output_unconsume(struct output *o)
{
	struct output_pipe	*p = o->consumes;

	if (p == NULL)
		return;
	o->consumes = NULL;
	p->consumer = NULL;
	output_pipe_put(p);
}

/* Wall-clock time in milliseconds. */
static int64_t
output_now(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* The i-th stamp, oldest first. */
static struct output_stamp *
output_stamp(struct output *o, size_t i)
{
	return (&o->stamps[(o->stamp_head + i) % o->stamp_cap]);
}

/*
 * Stamp a line starting now.  The stamps grow with the lines kept, up to
 * one per OUTPUT_BYTES_PER_STAMP bytes of the ring, so that they never
 * cost much more than the ring itself; past that, or when they cannot
 * grow, the oldest line loses its stamp.
 */
static void
output_stamp_line(struct output *o)
{
	struct output_stamp	*grown;
	size_t			 cap, max, i;

	max = o->ring_size / OUTPUT_BYTES_PER_STAMP;
	if (max < OUTPUT_STAMPS_MIN)
		max = OUTPUT_STAMPS_MIN;
	if (o->nstamps == o->stamp_cap && o->stamp_cap < max) {
		cap = o->stamp_cap == 0 ? OUTPUT_STAMPS_MIN : o->stamp_cap * 2;
		if (cap > max)
			cap = max;
		if ((grown = mem_array(NULL, cap, sizeof(*grown))) != NULL) {
			for (i = 0; i < o->nstamps; i++)
				grown[i] = *output_stamp(o, i);
			free(o->stamps);
			o->stamps = grown;
			o->stamp_cap = cap;
			o->stamp_head = 0;
		}
	}
	if (o->stamp_cap == 0)
		return;
	if (o->nstamps == o->stamp_cap) {
		o->stamp_head = (o->stamp_head + 1) % o->stamp_cap;
		o->nstamps--;
	}
	o->stamps[(o->stamp_head + o->nstamps) % o->stamp_cap] =
	    (struct output_stamp){ o->total, output_now() };
	o->nstamps++;
}

/* Forget the stamps of lines wholly dropped from the ring. */
static void
output_stamps_trim(struct output *o)
{
	uint64_t	oldest = o->total - o->ring_len;

	while (o->nstamps >= 2 && output_stamp(o, 1)->pos <= oldest) {
		o->stamp_head = (o->stamp_head + 1) % o->stamp_cap;
		o->nstamps--;
	}
	if (o->nstamps == 1 && o->ring_len == 0)
		o->nstamps = 0;
}

/* Put bytes in the ring, dropping the oldest to make room. */
static void
output_ring_put(struct output *o, const char *p, size_t n)
{
	size_t	over, at, first;

	if (n > o->ring_size) {
		o->dropped += n - o->ring_size;
		o->total += n - o->ring_size;
		p += n - o->ring_size;
		n = o->ring_size;
	}
	if (o->ring_len + n > o->ring_size) {
		over = o->ring_len + n - o->ring_size;
		o->ring_start = (o->ring_start + over) % o->ring_size;
		o->ring_len -= over;
		o->dropped += over;
	}
	at = (o->ring_start + o->ring_len) % o->ring_size;
	first = o->ring_size - at < n ? o->ring_size - at : n;
	memcpy(o->ring + at, p, first);
	memcpy(o->ring, p + first, n - first);
	o->ring_len += n;
	o->total += n;
}

/* Keep what a buffered service wrote, a line at a time for the stamps. */
static void
output_keep(struct output *o, const char *p, size_t n)
{
	const char	*nl;
	size_t		 k;

	if (o->ring == NULL) {
		o->ring_size = o->service->desc->rare->log_buffer_size;
		if (o->ring_size == 0 ||
		    (o->ring = mem_alloc(o->ring_size)) == NULL) {
			o->dropped += n;
			if (!o->nomem_logged)
				log_warnx("service %s: no memory for its log "
				    "buffer; output discarded",
				    o->service->name);
			o->nomem_logged = 1;
			return;
		}
	}
	while (n > 0) {
		if (o->line_start)
			output_stamp_line(o);
		nl = memchr(p, '\n', n);
		k = nl != NULL ? (size_t)(nl - p) + 1 : n;
		output_ring_put(o, p, k);
		o->line_start = nl != NULL;
		p += k;
		n -= k;
	}
	output_stamps_trim(o);
}

/* Output of a log-type = buffer service arrived: read what is there. */
static void
output_buffer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct output	*o = arg;
	char		 buf[OUTPUT_READ_SIZE];
	ssize_t		 n;
	int		 i;

	for (i = 0; i < OUTPUT_READS_PER_EVENT; i++) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			output_keep(o, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		/* dinit holds the write end: an error, never EOF. */
		log_warn("service %s: reading its output", o->service->name);
		event_del(&o->buf_ev);
		return;
	}
}

/* Close the pipe of a buffer and free the ring. */
static void
output_buffer_close(struct output *o)
{
	if (o->buf_rfd != -1) {
		event_del(&o->buf_ev);
		(void)close(o->buf_rfd);
		(void)close(o->buf_wfd);
		o->buf_rfd = o->buf_wfd = -1;
	}
	free(o->ring);
	free(o->stamps);
	o->ring = NULL;
	o->stamps = NULL;
	o->ring_size = o->ring_start = o->ring_len = 0;
	o->nstamps = o->stamp_cap = o->stamp_head = 0;
	o->total = o->dropped = 0;
	o->line_start = 1;
}

/*
 * The pipe a log-type = buffer service writes to, made at its first
 * launch and kept (with dinit's copy of the write end) across restarts.
 * Returns the write end, or -1 with errno.
 */
static int
output_buffer_pipe(struct output *o)
{
	int	fds[2];

	if (o->buf_rfd != -1)
		return (o->buf_wfd);
	if (spawn_pipe(fds) != 0)
		return (-1);
	(void)fcntl(fds[0], F_SETFL, O_NONBLOCK);
	if (event_assign(&o->buf_ev, output_base, fds[0],
	    EV_READ | EV_PERSIST, output_buffer_cb, o) != 0 ||
	    event_add(&o->buf_ev, NULL) != 0) {
		(void)close(fds[0]);
		(void)close(fds[1]);
		errno = ENOMEM;
		return (-1);
	}
	o->buf_rfd = fds[0];
	o->buf_wfd = fds[1];
	return (o->buf_wfd);
}

/* The output record of a service, made if need be; NULL with errno. */
static struct output *
output_get(struct service *s)
{
	struct output	*o = s->output;

	if (o != NULL)
		return (o);
	if ((o = mem_zalloc(sizeof(*o))) == NULL)
		return (NULL);
	o->service = s;
	o->buf_rfd = o->buf_wfd = -1;
	o->line_start = 1;
	s->output = o;
	return (o);
}

/*
 * The read end of the pipe a consumer reads, checking the pairing dinit
 * checks when it loads: the producer (when loaded) logs to a pipe, and it
 * has no other consumer.  -1 with errno, logged.
 */
static int
output_consume(struct service *s, struct output *o, const char *name)
{
	struct service	*from;
	struct output_pipe *p;

	from = service_find(s->set, name);
	if (from != NULL && from->desc != NULL &&
	    (from->desc->log_type != LOGTYPE_PIPE ||
	    (from->type != SERVICE_PROCESS && from->type != SERVICE_BGPROCESS &&
	    from->type != SERVICE_SCRIPTED))) {
		log_warnx("service %s: consumer-of: service %s does not log "
		    "to a pipe (log-type = pipe)", s->name, name);
		errno = EINVAL;
		return (-1);
	}
	if (o->consumes != NULL && strcmp(o->consumes->name, name) != 0)
		output_unconsume(o);
	if ((p = output_pipe_get(name)) == NULL) {
		log_warn("service %s: cannot make the pipe from %s", s->name,
		    name);
		return (-1);
	}
	if (p->consumer != NULL && p->consumer != o) {
		log_warnx("service %s: consumer-of: service %s already has a "
		    "consumer, %s", s->name, name, p->consumer->service->name);
		output_pipe_put(p);
		errno = EBUSY;
		return (-1);
	}
	p->consumer = o;
	o->consumes = p;
	return (p->rfd);
}

/*
 * Give a launch the descriptors dinit holds for it: its output pipe
 * (log-type = pipe or buffer) and, for a consumer, the pipe it reads as
 * standard input.  Only the start command's standard descriptors, and
 * only when they are not the console.  0, or -1 with errno (logged).
 */
int
output_plan(struct service *s, enum launch_kind kind, struct spawn_plan *p)
{
	const struct service_desc	*desc = s->desc;
	struct output			*o = s->output;
	struct output_pipe		*op;

	if (o != NULL && o->produces != NULL &&
	    desc->log_type != LOGTYPE_PIPE)
		output_unproduce(o);
	if (o != NULL && o->consumes != NULL && desc->rare->consumer_of == NULL)
		output_unconsume(o);
	if (o != NULL && o->buf_rfd != -1 && desc->log_type != LOGTYPE_BUFFER)
		output_buffer_close(o);
	if (kind != LAUNCH_START || p->stdio != SPAWN_STDIO_NULL ||
	    (desc->log_type != LOGTYPE_PIPE &&
	    desc->log_type != LOGTYPE_BUFFER && desc->rare->consumer_of == NULL))
		return (0);
	if ((o = output_get(s)) == NULL) {
		log_warn("service %s: cannot set up its output", s->name);
		return (-1);
	}
	if (desc->rare->consumer_of != NULL &&
	    (p->in_fd = output_consume(s, o, desc->rare->consumer_of)) == -1)
		return (-1);
	if (desc->log_type == LOGTYPE_BUFFER) {
		if ((p->out_fd = output_buffer_pipe(o)) == -1) {
			log_warn("service %s: cannot make its output pipe",
			    s->name);
			return (-1);
		}
	} else if (desc->log_type == LOGTYPE_PIPE) {
		if ((op = output_pipe_get(s->name)) == NULL) {
			log_warn("service %s: cannot make its output pipe",
			    s->name);
			return (-1);
		}
		op->producer = o;
		o->produces = op;
		p->out_fd = op->wfd;
	}
	return (0);
}

/* Free a service's output record (it is being unloaded). */
void
output_detach(struct service *s)
{
	struct output	*o = s->output;

	if (o == NULL)
		return;
	output_unproduce(o);
	output_unconsume(o);
	output_buffer_close(o);
	free(o);
	s->output = NULL;
}

/*
 * Which tail of the ring a reply of at most max bytes can carry, with the
 * stamps of its lines when asked: the position of its first byte, and the
 * index of the first stamp it needs.
 */
static uint64_t
output_log_from(struct output *o, int stamps, size_t max, size_t *first)
{
	uint64_t	from = o->total - o->ring_len;
	size_t		ns, i;

	if (o->ring_len + OUTPUT_LOG_HEADER > max)
		from = o->total - (max - OUTPUT_LOG_HEADER);
	for (;;) {
		/* The stamp of the line holding byte from, and later ones. */
		for (i = 0; i + 1 < o->nstamps &&
		    output_stamp(o, i + 1)->pos <= from; i++)
			;
		*first = i;
		ns = stamps ? o->nstamps - i : 0;
		if (OUTPUT_LOG_HEADER + ns * OUTPUT_STAMP_SIZE +
		    (o->total - from) <= max)
			return (from);
		from += OUTPUT_LOG_HEADER + ns * OUTPUT_STAMP_SIZE +
		    (o->total - from) - max;
	}
}

/*
 * Write the payload of a REP_LOG for a service: its flags, the bytes
 * dropped, the stamps (when asked) and the tail of the ring that fits in
 * max bytes.
 */
void
output_log_reply(struct service *s, struct proto_writer *w, int stamps,
    size_t max)
{
	struct output		*o = s->output;
	struct output_stamp	*st;
	uint64_t		 from;
	size_t			 first, i, at, n, k;

	if (o == NULL || o->ring == NULL) {
		proto_put_u8(w, 0);
		proto_put_u32(w, o == NULL ? 0 : (uint32_t)(o->dropped >
		    UINT32_MAX ? UINT32_MAX : o->dropped));
		proto_put_u32(w, 0);
		return;
	}
	from = output_log_from(o, stamps, max, &first);
	proto_put_u8(w, from > o->total - o->ring_len ? LOGF_TRUNCATED : 0);
	proto_put_u32(w, o->dropped > UINT32_MAX ? UINT32_MAX :
	    (uint32_t)o->dropped);
	proto_put_u32(w, stamps ? (uint32_t)(o->nstamps - first) : 0);
	for (i = first; stamps && i < o->nstamps; i++) {
		st = output_stamp(o, i);
		proto_put_u32(w, st->pos > from ? (uint32_t)(st->pos - from) :
		    0);
		proto_put_u32(w, (uint32_t)(st->ms / 1000));
		proto_put_u16(w, (uint16_t)(st->ms % 1000));
	}
	n = (size_t)(o->total - from);
	at = (o->ring_start + (o->ring_len - n)) % o->ring_size;
	k = o->ring_size - at < n ? o->ring_size - at : n;
	proto_put_bytes(w, o->ring + at, k);
	proto_put_bytes(w, o->ring, n - k);
}

/* Empty the log buffer of a service (catlog --clear). */
void
output_log_clear(struct service *s)
{
	struct output	*o = s->output;

	if (o == NULL)
		return;
	o->ring_start = o->ring_len = 0;
	o->nstamps = o->stamp_head = 0;
	o->dropped = 0;
	o->line_start = 1;
}
