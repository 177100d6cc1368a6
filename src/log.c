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
 * otherwise through a ring of whole messages that the owner drains when
 * the descriptor becomes writable (log_flush, announced by the flush
 * hook).  A sink may also wait for its descriptor (a log file on a root
 * that is still read-only, a syslog daemon that is not up yet): its
 * messages are kept in the ring until log_open_sink or log_syslog_start
 * gives it one.  When the ring is full, the oldest whole messages make
 * room and are counted; the count is reported, before what was kept, once
 * the sink takes messages again.  Nothing here allocates, so logging still
 * works when memory is out.
 *
 * The main log may be the syslog daemon's datagram socket: each message
 * is then one datagram in the traditional (RFC 3164) local form,
 * "<priority>Mmm dd hh:mm:ss dinit: text", facility daemon.
 */

#include "dinit.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define LOG_RING_SIZE	16384
#define LOG_LINE_MAX	1024
#define LOG_HEADER_MAX	32	/* "<191>Mmm dd hh:mm:ss " */
#define LOG_RECORD_MAX	(LOG_HEADER_MAX + LOG_LINE_MAX)

struct log_ring {
	int		fd;		/* -1: not open */
	int		waiting;	/* without fd: keep, do not discard */
	int		syslog;		/* datagrams with a syslog header */
	enum log_level	level;
	char		*buf;		/* LOG_RING_SIZE: whole records,
					   '\n' ended */
	size_t		start;		/* first byte of the oldest record */
	size_t		len;		/* bytes waiting */
	char		*part;		/* LOG_RECORD_MAX: the record being
					   written */
	size_t		part_off;	/* ... its first unwritten byte */
	size_t		part_len;	/* ... its length, 0: none */
	unsigned long	dropped;	/* whole messages discarded */
	int		held;		/* keep, do not write (console busy) */
	int		unpollable;	/* full, but polling would not say */
};

static const char	*log_progname = "dinit";
/*
 * The rings sit in .bss, not .data: initialised there, their 35 KiB would
 * be read from the file and stay resident in every process that logs a
 * word, the daemon included; in .bss, only the pages written cost memory.
 * Their settings, which every process writes (log_ring_of gives them
 * their first), come first and their buffers after, in one struct so
 * that the order holds: writing the settings touches no buffer's page,
 * and no other file's variables follow the settings onto a page of their
 * own.
 */
static struct {
	struct log_ring	rings[2];
	char		parts[2][LOG_RECORD_MAX];
	char		bufs[2][LOG_RING_SIZE];
} log_mem;
static int		 log_rings_ready;
static void		(*log_flush_hook)(enum log_sink, int);
static int		 log_console_diverted;
static const char	*log_syslog_path;	/* the main log's socket */
static int		 log_syslog_started;	/* may connect to it */

static const char *const log_level_names[] = {
	"debug", "info", "notice", "warn", "error", "none"
};

static void	log_ring_drain(struct log_ring *);

/* The ring of a sink, given its first settings on first use. */
static struct log_ring *
log_ring_of(enum log_sink sink)
{
	size_t	i;

	if (!log_rings_ready) {
		log_mem.rings[LOG_SINK_CONSOLE].fd = 2;
		log_mem.rings[LOG_SINK_CONSOLE].level = LOG_LEVEL_NOTICE;
		log_mem.rings[LOG_SINK_MAIN].fd = -1;
		log_mem.rings[LOG_SINK_MAIN].level = LOG_LEVEL_NONE;
		for (i = 0; i < 2; i++) {
			log_mem.rings[i].buf = log_mem.bufs[i];
			log_mem.rings[i].part = log_mem.parts[i];
		}
		log_rings_ready = 1;
	}
	return (&log_mem.rings[sink]);
}

/* Set the name that prefixes every message. */
void
log_init(const char *progname)
{
	log_progname = progname;
}

/* Forget what a sink holds. */
static void
log_ring_reset(struct log_ring *ring)
{
	ring->start = ring->len = 0;
	ring->part_off = ring->part_len = 0;
	ring->dropped = 0;
}

/* Point a sink at a descriptor (-1: nowhere) with a level. */
void
log_set_sink(enum log_sink sink, int fd, enum log_level level)
{
	struct log_ring	*ring = log_ring_of(sink);

	ring->fd = fd;
	ring->level = level;
	ring->waiting = 0;
	ring->syslog = 0;
	log_ring_reset(ring);
}

/*
 * Give a sink no descriptor yet but keep its messages (the newest ones
 * the ring holds) until log_open_sink names one.
 */
void
log_set_pending(enum log_sink sink, enum log_level level)
{
	log_set_sink(sink, -1, level);
	log_ring_of(sink)->waiting = 1;
}

/* Give a waiting sink its descriptor and write what it kept. */
void
log_open_sink(enum log_sink sink, int fd)
{
	log_ring_of(sink)->fd = fd;
	log_flush(sink);
}

/*
 * Make the main log the syslog daemon's socket at path (kept, not
 * copied), at level.  Messages wait until log_syslog_start.
 */
void
log_set_syslog(const char *path, enum log_level level)
{
	log_set_pending(LOG_SINK_MAIN, level);
	log_ring_of(LOG_SINK_MAIN)->syslog = 1;
	log_syslog_path = path;
	log_syslog_started = 0;
}

/* Connect the main log to the syslog socket; 0, or -1 with errno. */
static int
log_syslog_connect(struct log_ring *ring)
{
	struct sockaddr_un	sun;
	int			fd, saved_errno;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, log_syslog_path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0)
		return (-1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		saved_errno = errno;
		(void)close(fd);
		errno = saved_errno;
		return (-1);
	}
	ring->fd = fd;
	return (0);
}

/* The syslog daemon went away: close its socket, keep the messages. */
static void
log_syslog_lost(struct log_ring *ring)
{
	if (log_flush_hook != NULL)
		log_flush_hook(LOG_SINK_MAIN, -1);
	(void)close(ring->fd);
	ring->fd = -1;
}

/*
 * Syslog is up (a starts-log service started): connect, now and whenever
 * a later message finds the connection lost, and send what was kept.
 * 0 when connected, -1 (errno set) when not, the messages still kept.
 */
int
log_syslog_start(void)
{
	struct log_ring	*ring = log_ring_of(LOG_SINK_MAIN);

	if (!ring->syslog) {
		errno = EINVAL;
		return (-1);
	}
	log_syslog_started = 1;
	if (ring->fd == -1 && log_syslog_connect(ring) != 0)
		return (-1);
	log_flush(LOG_SINK_MAIN);
	return (0);
}

/* The descriptor a sink writes to, or -1. */
int
log_sink_fd(enum log_sink sink)
{
	return (log_ring_of(sink)->fd);
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

/*
 * Ask to be told, through hook, when a sink has bytes waiting for its
 * descriptor to become writable, and (fd -1) when that descriptor is
 * about to be closed.
 */
void
log_set_flush_hook(void (*hook)(enum log_sink, int))
{
	log_flush_hook = hook;
}

/* Bytes a sink still has waiting. */
int
log_pending(enum log_sink sink)
{
	const struct log_ring	*ring = log_ring_of(sink);

	return (ring->len != 0 || ring->part_len != 0 || ring->dropped != 0);
}

/* Drop the oldest record of the ring, counting it. */
static void
log_ring_drop_oldest(struct log_ring *ring)
{
	size_t	n;

	for (n = 0; n < ring->len; n++) {
		if (ring->buf[(ring->start + n) % LOG_RING_SIZE] == '\n')
			break;
	}
	n = n < ring->len ? n + 1 : ring->len;
	ring->start = (ring->start + n) % LOG_RING_SIZE;
	ring->len -= n;
	ring->dropped++;
}

/* Keep a whole record, the oldest ones making room for it. */
static void
log_ring_put(struct log_ring *ring, const char *p, size_t len)
{
	size_t	end, n;

	if (len > LOG_RING_SIZE) {
		ring->dropped++;
		return;
	}
	while (LOG_RING_SIZE - ring->len < len)
		log_ring_drop_oldest(ring);
	end = (ring->start + ring->len) % LOG_RING_SIZE;
	n = LOG_RING_SIZE - end;
	if (n > len)
		n = len;
	memcpy(ring->buf + end, p, n);
	memcpy(ring->buf, p + n, len - n);
	ring->len += len;
}

/* Move the oldest record of the ring into part, to be written next. */
static void
log_ring_pop(struct log_ring *ring)
{
	char	c;

	ring->part_off = ring->part_len = 0;
	while (ring->len != 0 && ring->part_len < LOG_RECORD_MAX) {
		c = ring->buf[ring->start];
		ring->part[ring->part_len++] = c;
		ring->start = (ring->start + 1) % LOG_RING_SIZE;
		ring->len--;
		if (c == '\n')
			break;
	}
	if (ring->len == 0)
		ring->start = 0;
}

/*
 * Prefix for a syslog record: "<priority>Mmm dd hh:mm:ss ", facility
 * daemon, the severity from level.  Its length.
 */
static size_t
log_syslog_header(char *buf, size_t size, enum log_level level)
{
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
	};
	static const int severity[] = {
		LOG_DEBUG, LOG_INFO, LOG_NOTICE, LOG_WARNING, LOG_ERR, LOG_ERR
	};
	struct tm	tm;
	time_t		now = time(NULL);
	int		len;

	if (localtime_r(&now, &tm) != NULL)
		len = snprintf(buf, size, "<%d>%s %2d %02d:%02d:%02d ",
		    LOG_DAEMON | severity[level], months[tm.tm_mon % 12],
		    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	else
		len = snprintf(buf, size, "<%d>", LOG_DAEMON | severity[level]);
	if (len < 0 || (size_t)len >= size)
		return (0);
	return ((size_t)len);
}

/*
 * Write the record in part: the rest of it to a stream, the whole of it
 * (less its newline) as one datagram.  1 when it went out, 0 when the
 * sink would block (kept), -1 when the sink failed.
 */
static int
log_part_write(struct log_ring *ring)
{
	ssize_t	n;
	size_t	len;

	if (ring->syslog) {
		len = ring->part_len;
		if (len > 0 && ring->part[len - 1] == '\n')
			len--;
		do
			n = send(ring->fd, ring->part, len, 0);
		while (n < 0 && errno == EINTR);
		ring->unpollable = 0;
		if (n >= 0) {
			ring->part_off = ring->part_len = 0;
			return (1);
		}
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return (0);
		/*
		 * Some systems say ENOBUFS for a full peer queue while poll
		 * says writable: waiting for writability would spin, so the
		 * next message tries again instead.
		 */
		if (errno == ENOBUFS) {
			ring->unpollable = 1;
			return (0);
		}
		return (-1);
	}
	while (ring->part_off < ring->part_len) {
		n = write(ring->fd, ring->part + ring->part_off,
		    ring->part_len - ring->part_off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return (0);
		if (n <= 0)
			return (-1);
		ring->part_off += (size_t)n;
	}
	ring->part_off = ring->part_len = 0;
	return (1);
}

/* A sink's write failed: a lost syslog keeps, a dead stream forgets. */
static void
log_ring_failed(struct log_ring *ring)
{
	if (ring->syslog) {
		log_syslog_lost(ring);
		return;
	}
	log_ring_reset(ring);
}

/* Put the count of discarded messages in part, to be written next. */
static void
log_ring_marker(struct log_ring *ring)
{
	size_t	hlen = 0;
	int	len;

	if (ring->syslog)
		hlen = log_syslog_header(ring->part, LOG_RECORD_MAX,
		    LOG_LEVEL_WARN);
	len = snprintf(ring->part + hlen, LOG_RECORD_MAX - hlen,
	    "%s: *** %lu log message(s) discarded: buffer full ***\n",
	    log_progname, ring->dropped);
	ring->dropped = 0;
	ring->part_off = 0;
	ring->part_len = len > 0 && (size_t)len < LOG_RECORD_MAX - hlen ?
	    hlen + (size_t)len : 0;
}

/*
 * Write what the ring holds, oldest first and the count of what was
 * dropped before it, until it is empty or the sink would block.
 */
static void
log_ring_drain(struct log_ring *ring)
{
	int	r;

	while (ring->fd != -1) {
		if (ring->part_len == 0) {
			if (ring->dropped != 0)
				log_ring_marker(ring);
			else if (ring->len != 0)
				log_ring_pop(ring);
			else
				return;
			if (ring->part_len == 0)
				continue;
		}
		if ((r = log_part_write(ring)) == 0)
			return;
		if (r < 0) {
			log_ring_failed(ring);
			return;
		}
	}
}

/*
 * Hold a sink (a service has its terminal): messages wait in its ring,
 * the oldest whole ones dropped and counted once it is full, until it is
 * released.
 */
void
log_hold(enum log_sink sink, int held)
{
	log_ring_of(sink)->held = held;
	if (!held)
		log_flush(sink);
}

/* Send what would go to the console to the main log instead. */
void
log_divert_console(int on)
{
	log_console_diverted = on;
}

/*
 * A syslog main log that lost its daemon after it was started: try to
 * connect again (it may have restarted).
 */
static void
log_syslog_retry(struct log_ring *ring)
{
	if (ring->syslog && ring->fd == -1 && log_syslog_started)
		(void)log_syslog_connect(ring);
}

/* Write what a sink has waiting; the daemon calls this when it can. */
void
log_flush(enum log_sink sink)
{
	struct log_ring	*ring = log_ring_of(sink);

	log_syslog_retry(ring);
	if (ring->fd == -1 || ring->held)
		return;
	log_ring_drain(ring);
	if (ring->fd != -1 && !ring->unpollable && log_pending(sink) &&
	    log_flush_hook != NULL)
		log_flush_hook(sink, ring->fd);
}

/* Whether a sink takes messages: it has a descriptor, or waits for one. */
static int
log_sink_open(enum log_sink sink)
{
	const struct log_ring	*ring = log_ring_of(sink);

	return (ring->fd != -1 || ring->waiting);
}

/*
 * Send one message to a sink: at once when nothing waits before it,
 * else into its ring.  line is "name: text\n".
 */
static void
log_sink_write(enum log_sink sink, enum log_level level, const char *line,
    size_t len)
{
	struct log_ring	*ring = log_ring_of(sink);
	char		 record[LOG_RECORD_MAX];
	size_t		 hlen = 0;
	int		 r;

	if (!log_sink_open(sink))
		return;
	if (ring->syslog)
		hlen = log_syslog_header(record, sizeof(record), level);
	if (len > sizeof(record) - hlen)
		len = sizeof(record) - hlen;
	memcpy(record + hlen, line, len);
	len += hlen;
	log_syslog_retry(ring);
	if (ring->unpollable && ring->fd != -1 && !ring->held)
		log_flush(sink);	/* no writability event will come */
	if (ring->fd != -1 && !ring->held && !log_pending(sink)) {
		memcpy(ring->part, record, len);
		ring->part_off = 0;
		ring->part_len = len;
		if ((r = log_part_write(ring)) == 1)
			return;
		if (r < 0) {
			log_ring_failed(ring);
			if (!ring->syslog)
				return;
		}
		/* Kept in part: a begun line is always finished first. */
	} else
		log_ring_put(ring, record, len);
	if (ring->fd != -1 && !ring->held && !ring->unpollable &&
	    log_flush_hook != NULL)
		log_flush_hook(sink, ring->fd);
}

/*
 * Format a message and send it to every sink whose level admits it; with
 * always_console, to the console too unless it is silenced (level none),
 * as the status lines go.
 */
static void
log_vmsg_to(enum log_level level, int always_console, const char *fmt,
    va_list ap)
{
	char	line[LOG_LINE_MAX];
	int	saved_errno = errno, prefix, len, to_main, to_console;
	size_t	total, i;

	/*
	 * Formatting is most of what a message costs, and with the daemon's
	 * levels turned down a stop of N services would format N lines for
	 * nothing: format only what some sink takes.
	 */
	to_main = level >= log_ring_of(LOG_SINK_MAIN)->level &&
	    log_sink_open(LOG_SINK_MAIN);
	to_console = (level >= log_ring_of(LOG_SINK_CONSOLE)->level ||
	    (always_console &&
	    log_ring_of(LOG_SINK_CONSOLE)->level != LOG_LEVEL_NONE)) &&
	    !log_console_diverted && log_sink_open(LOG_SINK_CONSOLE);
	if (!to_main && !to_console)
		return;
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
	/* One message, one line: the rings count messages by newlines. */
	for (i = (size_t)prefix; i < total; i++) {
		if (line[i] == '\n' || line[i] == '\r')
			line[i] = ' ';
	}
	line[total++] = '\n';
	line[total] = '\0';

	if (to_main)
		log_sink_write(LOG_SINK_MAIN, level, line, total);
	if (to_console)
		log_sink_write(LOG_SINK_CONSOLE, level, line, total);
	errno = saved_errno;
}

/* Format a message and send it to every sink whose level admits it. */
void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	log_vmsg_to(level, 0, fmt, ap);
}

/*
 * A notice the console shows whatever its level (unless silenced): what
 * the machine is about to do, which whoever watches the console must see.
 */
void
log_announce(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vmsg_to(LOG_LEVEL_NOTICE, 1, fmt, ap);
	va_end(ap);
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

	if (log_ring_of(LOG_SINK_CONSOLE)->level == LOG_LEVEL_NONE &&
	    log_ring_of(LOG_SINK_CONSOLE)->fd == -1)
		return;
	len = snprintf(line, sizeof(line), "[%s] %s\n", tag, name);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(line))
		len = sizeof(line) - 1;
	log_sink_write(log_console_diverted ? LOG_SINK_MAIN : LOG_SINK_CONSOLE,
	    LOG_LEVEL_NOTICE, line, (size_t)len);
}
