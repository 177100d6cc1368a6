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
 * Logging with levels to two sinks, the main log and the console.  A write
 * never blocks: each sink is written directly while that succeeds, and
 * otherwise through a ring buffer that the owner drains when the
 * descriptor becomes writable (log_flush, announced by the flush hook).
 * When the ring is full, whole messages are dropped and the loss is
 * reported once the ring has drained.  Nothing here allocates, so logging
 * still works when memory is out.
 */

#include "dinit.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define LOG_RING_SIZE	16384
#define LOG_LINE_MAX	1024

struct log_ring {
	int		fd;
	enum log_level	level;
	char		buf[LOG_RING_SIZE];
	size_t		start;		/* first unwritten byte */
	size_t		len;		/* bytes waiting */
	unsigned long	dropped;	/* whole messages discarded */
	int		held;		/* keep, do not write (console busy) */
};

static const char	*log_progname = "dinit";
static struct log_ring	 log_rings[2] = {
	{ .fd = 2, .level = LOG_LEVEL_NOTICE },
	{ .fd = -1, .level = LOG_LEVEL_NONE },
};
static void		(*log_flush_hook)(enum log_sink, int);
static int		 log_console_diverted;

static const char *const log_level_names[] = {
	"debug", "info", "notice", "warn", "error", "none"
};

/* Set the name that prefixes every message. */
void
log_init(const char *progname)
{
	log_progname = progname;
}

/* Point a sink at a descriptor (-1: nowhere) with a level. */
void
log_set_sink(enum log_sink sink, int fd, enum log_level level)
{
	struct log_ring	*ring = &log_rings[sink];

	ring->fd = fd;
	ring->level = level;
	ring->start = ring->len = 0;
}

/* The descriptor a sink writes to, or -1. */
int
log_sink_fd(enum log_sink sink)
{
	return (log_rings[sink].fd);
}

/* Parse a level name (none, error, warn, notice, info, debug). */
int
log_level_parse(const char *name, enum log_level *level)
{
	size_t	i;

	for (i = 0; i < sizeof(log_level_names) / sizeof(*log_level_names);
	    i++) {
		if (strcasecmp(name, log_level_names[i]) == 0) {
			*level = (enum log_level)i;
			return (0);
		}
	}
	if (strcasecmp(name, "warning") == 0) {
		*level = LOG_LEVEL_WARN;
		return (0);
	}
	return (-1);
}

/* Ask to be told, through hook, when a sink has bytes waiting. */
void
log_set_flush_hook(void (*hook)(enum log_sink, int))
{
	log_flush_hook = hook;
}

/* Bytes a sink still has waiting. */
int
log_pending(enum log_sink sink)
{
	return (log_rings[sink].len != 0 || log_rings[sink].dropped != 0);
}

/* Copy len bytes into the ring, which has room for them. */
static void
log_ring_put(struct log_ring *ring, const char *p, size_t len)
{
	size_t	end, n;

	end = (ring->start + ring->len) % LOG_RING_SIZE;
	n = LOG_RING_SIZE - end;
	if (n > len)
		n = len;
	memcpy(ring->buf + end, p, n);
	memcpy(ring->buf, p + n, len - n);
	ring->len += len;
}

/* Write what the ring holds until it is empty or the fd would block. */
static void
log_ring_drain(struct log_ring *ring)
{
	char	 marker[128];
	ssize_t	 n;
	size_t	 chunk;
	int	 len;

	while (ring->len != 0) {
		chunk = LOG_RING_SIZE - ring->start;
		if (chunk > ring->len)
			chunk = ring->len;
		n = write(ring->fd, ring->buf + ring->start, chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			/* A dead sink: forget what it held. */
			ring->start = ring->len = 0;
			return;
		}
		ring->start = (ring->start + (size_t)n) % LOG_RING_SIZE;
		ring->len -= (size_t)n;
	}
	ring->start = 0;
	if (ring->dropped != 0) {
		len = snprintf(marker, sizeof(marker),
		    "%s: *** %lu log message(s) discarded: buffer full ***\n",
		    log_progname, ring->dropped);
		ring->dropped = 0;
		if (len > 0 && (size_t)len < sizeof(marker)) {
			log_ring_put(ring, marker, (size_t)len);
			log_ring_drain(ring);
		}
	}
}

/*
 * Hold a sink (a service has its terminal): messages wait in its ring,
 * whole ones dropped and counted once it is full, until it is released.
 */
void
log_hold(enum log_sink sink, int held)
{
	log_rings[sink].held = held;
	if (!held)
		log_flush(sink);
}

/* Send what would go to the console to the main log instead. */
void
log_divert_console(int on)
{
	log_console_diverted = on;
}

/* Write what a sink has waiting; the daemon calls this when it can. */
void
log_flush(enum log_sink sink)
{
	struct log_ring	*ring = &log_rings[sink];

	if (ring->fd == -1 || ring->held)
		return;
	log_ring_drain(ring);
	if (log_pending(sink) && log_flush_hook != NULL)
		log_flush_hook(sink, ring->fd);
}

/* Send one whole message to a sink, or drop it whole. */
static void
log_sink_write(enum log_sink sink, const char *msg, size_t len)
{
	struct log_ring	*ring = &log_rings[sink];
	ssize_t		 n;

	if (ring->fd == -1)
		return;
	if (ring->held) {
		if (LOG_RING_SIZE - ring->len < len)
			ring->dropped++;
		else
			log_ring_put(ring, msg, len);
		return;
	}
	if (ring->len == 0 && ring->dropped == 0) {
		do
			n = write(ring->fd, msg, len);
		while (n < 0 && errno == EINTR);
		if (n == (ssize_t)len)
			return;
		if (n < 0 && errno != EAGAIN)
			return;
		if (n > 0) {
			/* The rest of a begun line always fits. */
			msg += n;
			len -= (size_t)n;
		}
	}
	if (LOG_RING_SIZE - ring->len < len)
		ring->dropped++;
	else
		log_ring_put(ring, msg, len);
	if (log_flush_hook != NULL)
		log_flush_hook(sink, ring->fd);
}

/* Format a message and send it to every sink whose level admits it. */
void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	char	line[LOG_LINE_MAX];
	int	saved_errno = errno, prefix, len;
	size_t	total;

	prefix = snprintf(line, sizeof(line), "%s: ", log_progname);
	if (prefix < 0 || (size_t)prefix >= sizeof(line))
		prefix = 0;
	len = vsnprintf(line + prefix, sizeof(line) - (size_t)prefix - 1, fmt,
	    ap);
	if (len < 0)
		len = 0;
	total = (size_t)prefix + (size_t)len;
	if (total > sizeof(line) - 2)
		total = sizeof(line) - 2;
	line[total++] = '\n';
	line[total] = '\0';

	if (level >= log_rings[LOG_SINK_MAIN].level)
		log_sink_write(LOG_SINK_MAIN, line, total);
	if (level >= log_rings[LOG_SINK_CONSOLE].level &&
	    !log_console_diverted)
		log_sink_write(LOG_SINK_CONSOLE, line, total);
	errno = saved_errno;
}

/* Append ": strerror(errno)" to a format, for the log_warn family. */
static void
log_vmsg_errno(enum log_level level, const char *fmt, va_list ap)
{
	char	withmsg[LOG_LINE_MAX];
	int	saved_errno = errno;

	(void)snprintf(withmsg, sizeof(withmsg), "%s: %s", fmt,
	    strerror(saved_errno));
	log_vmsg(level, withmsg, ap);
	errno = saved_errno;
}

#define LOG_FUNCTION(fn, level, how)					\
void									\
fn(const char *fmt, ...)						\
{									\
	va_list	ap;							\
									\
	va_start(ap, fmt);						\
	how(level, fmt, ap);						\
	va_end(ap);							\
}

/* Debugging detail. */
LOG_FUNCTION(log_debug, LOG_LEVEL_DEBUG, log_vmsg)
/* What happens in normal operation. */
LOG_FUNCTION(log_info, LOG_LEVEL_INFO, log_vmsg)
/* Normal but worth seeing. */
LOG_FUNCTION(log_notice, LOG_LEVEL_NOTICE, log_vmsg)
/* A problem, with errno's message. */
LOG_FUNCTION(log_warn, LOG_LEVEL_WARN, log_vmsg_errno)
/* A problem. */
LOG_FUNCTION(log_warnx, LOG_LEVEL_WARN, log_vmsg)
/* An operation failed, with errno's message. */
LOG_FUNCTION(log_error, LOG_LEVEL_ERROR, log_vmsg_errno)
/* An operation failed. */
LOG_FUNCTION(log_errorx, LOG_LEVEL_ERROR, log_vmsg)

/*
 * A service status line for the console ("[  OK  ] name"), shown unless
 * the console is silenced (level none).
 */
void
log_status(const char *tag, const char *name)
{
	char	line[LOG_LINE_MAX];
	int	len;

	if (log_rings[LOG_SINK_CONSOLE].level == LOG_LEVEL_NONE &&
	    log_rings[LOG_SINK_CONSOLE].fd == -1)
		return;
	len = snprintf(line, sizeof(line), "[%s] %s\n", tag, name);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(line))
		len = sizeof(line) - 1;
	log_sink_write(log_console_diverted ? LOG_SINK_MAIN : LOG_SINK_CONSOLE,
	    line, (size_t)len);
}
