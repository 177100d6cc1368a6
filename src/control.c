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
 * The control server: the daemon's side of the control socket
 * (doc/PROTOCOL.md), on plain libevent events (a read event per client,
 * and a write event only while some of its output waits for the socket)
 * and buffers of its own: a client's request is read into one static
 * buffer and handled from there, and a reply is written straight from
 * where it was made; a client only gets buffers of its own for what is
 * left over (a request in part, output its socket did not take).
 *
 * Every client has bounded input (what one read takes at most, a frame
 * of the largest size, is kept beyond what has been handled) and bounded
 * output (reading from a client pauses while much is queued for it; a
 * client that lets events pile up past a hard limit is dropped).  A
 * malformed, oversized or unknown message, or a failed allocation, drops
 * that client and nothing else.  A dropped client is freed from a
 * deferred event, never under the feet of the code that dropped it.
 *
 * All clients together are bounded too: at most CONTROL_MAX_CLIENTS
 * connections (CONTROL_MAX_PER_UID for each query-only user of a system
 * instance), and CONTROL_BUDGET bytes in all their buffers.  When the
 * budget or the table is full, the clients whose buffers have not moved
 * for the longest (slow readers, half-sent messages) are dropped first;
 * idle clients that hold nothing stay.
 *
 * Peer credentials are read on accept; where they cannot be, the client is
 * refused.  In a system instance a peer that is not root may only query.
 * A client that cannot be served (too many, out of descriptors or memory)
 * is refused with REP_ERROR PERR_UNAVAILABLE and closed at once; a spare
 * descriptor, closed for the moment, lets that be done even when the
 * process has none left.
 */

#include "dinit.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "protocol.h"

#define CONTROL_OUT_SOFT	(256 * 1024)	/* pause reading above */
#define CONTROL_OUT_HARD	(16 * 1024 * 1024) /* drop the client above */
#define CONTROL_BUDGET		(32 * 1024 * 1024) /* all clients' buffers */
#define CONTROL_MAX_CLIENTS	512	/* connections at once */
#define CONTROL_MAX_PER_UID	16	/* of one query-only user */
#define CONTROL_CLIENT_RESERVE	(64 * 1024) /* of mem.c's, to accept one */
#define CONTROL_OUT_MIN		4096	/* a client's first output buffer */
#define CONTROL_CLOSE_WAIT	5	/* s: for a dropped client to read why */
#define CONTROL_ACCEPT_BATCH	16	/* accepts before clients are read */
#define CONTROL_BACKOFF_MIN	10	/* ms: first pause of accepting */
#define CONTROL_BACKOFF_MAX	1000	/* ms: the longest */
#define CONTROL_TRIM		(1024 * 1024)	/* trim once this is freed */
#define CONTROL_CLIENT_COST	4096	/* a client's own records, roughly */
#define CONTROL_BACKLOG		64
/* The most of a service's log one REP_LOG carries (room for the rest). */
#define CONTROL_LOG_MAX		(PROTO_MAX_MESSAGE - 64)

/* Sizes of the fields of a request on the wire (doc/PROTOCOL.md). */
#define LEN_U8			1
#define LEN_U16			2
#define LEN_I32			4
#define LEN_STR			2	/* its length; the bytes may be none */

/* Why a client watches a service. */
enum control_watch_kind {
	WATCH_START,		/* until it has started or failed */
	WATCH_STOP,		/* until it has stopped */
	WATCH_FOREVER		/* monitor */
};

/*
 * A client's watch of a service, on two lists: the client's (to end them
 * all when it goes) and the service's (s->watchers, so that an event
 * costs the same however many services its watchers watch).
 */
struct control_watch {
	struct service			*service;
	struct control_client		*client;
	enum control_watch_kind		 kind;
	TAILQ_ENTRY(control_watch)	 entry;		/* client->watches */
	struct control_watch		*service_next;	/* s->watchers */
	struct control_watch		**service_prev;
};
TAILQ_HEAD(control_watch_list, control_watch);

struct control_client {
	int				 fd;
	struct event			 rev;		/* readable */
	struct event			 wev;		/* writable, for out */
	uid_t				 uid;
	int				 privileged;
	int				 greeted;
	uint16_t			 version;	/* agreed on */
	int				 dead;
	int				 monitor_all;	/* on control_monitors */
	unsigned			 event_gen;	/* told this event */
	int				 paused;
	int				 closing;	/* flushing, then drop */
	int				 unsent;	/* on control_unsent */
	int				 writing;	/* wev added */
	int				 corked;	/* more requests follow */
	uint8_t				*in;		/* a request in part */
	size_t				 in_len;
	uint8_t				*out;		/* what its socket */
	size_t				 out_off;	/* did not take yet */
	size_t				 out_len;
	size_t				 out_cap;
	size_t				 held;		/* in_len + out_len */
	struct timeval			 moved;		/* when they last moved */
	struct control_watch_list	 watches;
	TAILQ_ENTRY(control_client)	 entry;
	TAILQ_ENTRY(control_client)	 unsent_entry;
	TAILQ_ENTRY(control_client)	 monitor_entry;
};
TAILQ_HEAD(control_client_list, control_client);

/* How a request's payload is laid out. */
enum control_layout {
	LAYOUT_NONE,		/* nothing */
	LAYOUT_NAME,		/* str name */
	LAYOUT_FLAGS_NAME,	/* u8 flags, str name */
	LAYOUT_NUMBER_NAME,	/* i32 number, str name */
	LAYOUT_OWN		/* the handler reads it */
};

/* Who may make a request. */
enum control_privilege {
	CONTROL_ANYONE,		/* a query */
	CONTROL_PRIVILEGED	/* a change: root or the instance's owner */
};

/* A request, read as far as its layout says. */
struct control_request {
	uint16_t		 type;
	uint8_t			 flags;
	int32_t			 number;
	char			 name[PROTO_MAX_NAME + 1];
	struct proto_reader	*reader;	/* the rest of the payload */
};

/* A row of the request table. */
struct control_entry {
	uint16_t		 type;
	enum control_layout	 layout;
	enum control_privilege	 privilege;
	size_t			 min_len;	/* a shorter one is malformed */
	const char		*malformed;	/* what a bad one is called */
	int			(*handler)(struct control_client *,
				    const struct control_request *);
	uint16_t		 since;		/* the first version with it */
};

static struct event_base		*control_base;
static struct service_set		*control_set;
static int				 control_system;
static struct control_ops		 control_ops;
static int				 control_fd = -1;
static char				*control_path;
static struct event			 control_accept_ev;
static struct event			 control_backoff_ev;
static struct event			 control_reap_ev;
static struct event			 control_write_ev;
static struct control_client_list	 control_clients =
    TAILQ_HEAD_INITIALIZER(control_clients);
static struct control_client_list	 control_graveyard =
    TAILQ_HEAD_INITIALIZER(control_graveyard);
/*
 * Clients that were sent something in this callback and have no write
 * event: what more they are sent is queued, and written once the
 * callback is done (control_write_ev).
 */
static struct control_client_list	 control_unsent =
    TAILQ_HEAD_INITIALIZER(control_unsent);
/* Clients that monitor every service. */
static struct control_client_list	 control_monitors =
    TAILQ_HEAD_INITIALIZER(control_monitors);
static unsigned				 control_event_gen;
static size_t				 control_nclients;
static size_t				 control_held;	/* in all buffers */
static size_t				 control_released; /* since a trim */
static int				 control_spare_fd = -1;
static int				 control_backoff_ms;	/* 0: accepting */
static unsigned long			 control_refused;	/* this episode */
/* Where replies are made (only the pages a reply touches are resident). */
static uint8_t				 control_msg[PROTO_MAX_MESSAGE + 4];
/*
 * Where clients' bytes are read to and their requests handled from: one
 * whole frame at the most, and what a client had left over in front.
 */
static uint8_t				 control_in[PROTO_MAX_MESSAGE +
					    PROTO_HEADER_SIZE];

static void	control_resume(void);
static int	control_accept_one(int);
static void	control_drop(struct control_client *, const char *);
static void	control_unwatch(struct control_watch *);
static void	control_written(struct control_client *);

/*
 * A client's input or output grew or shrank: keep the totals, and note
 * when its buffers last moved (began to hold something, or gave some up:
 * output written to the client, a request handled).
 */
static void
control_recount(struct control_client *c)
{
	size_t	held = c->in_len + c->out_len;

	if (c->dead)
		return;
	if (held < c->held)
		control_released += c->held - held;
	if (held < c->held || c->held == 0)
		(void)event_base_gettimeofday_cached(control_base, &c->moved);
	control_held -= c->held;
	control_held += held;
	c->held = held;
}

/*
 * The client (other than self) whose buffers have held something without
 * moving for the longest: the slowest reader, or a message left half
 * sent.  NULL when no other client holds anything.
 */
static struct control_client *
control_stalest(const struct control_client *self)
{
	struct control_client	*c, *stalest = NULL;

	TAILQ_FOREACH(c, &control_clients, entry) {
		if (c == self || c->held == 0)
			continue;
		if (stalest == NULL || timercmp(&c->moved, &stalest->moved, <))
			stalest = c;
	}
	return (stalest);
}

/*
 * The clients' buffers would go past the budget with need more bytes:
 * drop the stalest clients other than self until they fit.  -1 when
 * they still do not.
 */
static int
control_shed(const struct control_client *self, size_t need)
{
	struct control_client	*c;

	while (control_held + need > CONTROL_BUDGET) {
		if ((c = control_stalest(self)) == NULL)
			return (-1);
		control_drop(c, "its buffers do not move and clients hold "
		    "too much");
	}
	return (0);
}

/* Free the clients dropped since the last time. */
static void
control_reap(evutil_socket_t fd, short what, void *arg)
{
	struct control_client	*c;
	struct control_watch	*w;
	int			 freed = 0;

	while ((c = TAILQ_FIRST(&control_graveyard)) != NULL) {
		TAILQ_REMOVE(&control_graveyard, c, entry);
		while ((w = TAILQ_FIRST(&c->watches)) != NULL)
			control_unwatch(w);
		if (c->monitor_all)
			TAILQ_REMOVE(&control_monitors, c, monitor_entry);
		(void)close(c->fd);
		free(c->in);
		free(c->out);
		free(c);
		control_released += CONTROL_CLIENT_COST;
		freed = 1;
	}
	/*
	 * The clients of a burst have gone: give the memory their buffers
	 * held back to the system, or the daemon stays at its peak.
	 */
	if (control_released >= CONTROL_TRIM &&
	    control_held < CONTROL_TRIM / 4) {
		mem_trim();
		control_released = 0;
	}
	/* A descriptor came free: accept again at once. */
	if (freed && control_backoff_ms != 0 && control_fd != -1)
		control_resume();
}

/* Drop a client: it stops being served now and is freed later. */
static void
control_drop(struct control_client *c, const char *why)
{
	if (c->dead)
		return;
	if (why != NULL)
		log_info("control: dropping client (uid %ld): %s",
		    (long)c->uid, why);
	c->dead = 1;
	(void)event_del(&c->rev);
	(void)event_del(&c->wev);
	c->writing = 0;
	if (c->unsent) {
		TAILQ_REMOVE(&control_unsent, c, unsent_entry);
		c->unsent = 0;
	}
	/* Its buffers no longer count: they go when it is freed. */
	control_held -= c->held;
	control_released += c->held;
	c->held = 0;
	control_nclients--;
	TAILQ_REMOVE(&control_clients, c, entry);
	TAILQ_INSERT_TAIL(&control_graveyard, c, entry);
	event_active(&control_reap_ev, EV_TIMEOUT, 0);
}

/*
 * Write to a client's socket without blocking: how many bytes it took (0
 * when it takes none now), or -1 when the client is gone.
 */
static ssize_t
control_write_fd(int fd, const uint8_t *buf, size_t len)
{
	ssize_t	n;

	do
		n = write(fd, buf, len);
	while (n == -1 && errno == EINTR);
	if (n >= 0)
		return (n);
	return (errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1);
}

/*
 * Queue bytes for a client, after what is queued already; -1 when its
 * buffer cannot grow.  The buffer grows by doubling (to the hard limit
 * at the most) and goes once it is empty.
 */
static int
control_queue(struct control_client *c, const uint8_t *buf, size_t len)
{
	uint8_t	*p;
	size_t	 cap;

	if (c->out_off + c->out_len + len > c->out_cap && c->out_off > 0) {
		memmove(c->out, c->out + c->out_off, c->out_len);
		c->out_off = 0;
	}
	if (c->out_len + len > c->out_cap) {
		cap = c->out_cap < CONTROL_OUT_MIN ? CONTROL_OUT_MIN :
		    c->out_cap;
		while (cap < c->out_len + len)
			cap *= 2;
		if (cap > CONTROL_OUT_HARD && c->out_len + len <=
		    CONTROL_OUT_HARD)
			cap = CONTROL_OUT_HARD;
		if ((p = mem_array(c->out, cap, 1)) == NULL)
			return (-1);
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_off + c->out_len, buf, len);
	c->out_len += len;
	control_recount(c);
	return (0);
}

/*
 * Write what is queued for a client, as far as its socket takes it; -1
 * when the client is gone.
 */
static int
control_write_out(struct control_client *c)
{
	ssize_t	n;

	if (c->out_len == 0)
		return (0);
	if ((n = control_write_fd(c->fd, c->out + c->out_off,
	    c->out_len)) < 0)
		return (-1);
	c->out_off += (size_t)n;
	c->out_len -= (size_t)n;
	if (c->out_len == 0) {
		free(c->out);
		c->out = NULL;
		c->out_off = c->out_cap = 0;
	}
	control_recount(c);
	return (0);
}

/* Watch a client's socket until it takes what is queued. */
static int
control_watch_write(struct control_client *c)
{
	struct timeval	tv = { CONTROL_CLOSE_WAIT, 0 };

	if (event_add(&c->wev, c->closing ? &tv : NULL) != 0) {
		control_drop(c, "cannot watch a client");
		return (-1);
	}
	c->writing = 1;
	return (0);
}

/*
 * Send a finished message to a client; drops it on failure.  When nothing
 * waits to go before it, it is written at once, straight from where it
 * was made, as far as the socket takes it; what the socket does not take
 * is queued, the write event added for it.  What else the client is sent
 * in the same callback is queued (control_unsent), and written together
 * once the callback is done; so are the replies to requests that came
 * together (control_input corks the client while others follow).
 */
static int
control_send(struct control_client *c, struct proto_writer *w)
{
	ssize_t	n = 0;
	size_t	rest;
	int	tried = 0;

	if (c->dead || c->closing)
		return (-1);
	if (proto_end(w) != 0) {
		control_drop(c, "reply too large");
		return (-1);
	}
	if (c->out_len + w->len > CONTROL_OUT_HARD) {
		control_drop(c, "client does not read its replies");
		return (-1);
	}
	if (c->out_len == 0 && !c->unsent && !c->writing && !c->corked) {
		tried = 1;
		if ((n = control_write_fd(c->fd, w->buf, w->len)) < 0) {
			control_drop(c, NULL);	/* the client is gone */
			return (-1);
		}
	}
	if ((rest = w->len - (size_t)n) > 0) {
		if (control_held + rest > CONTROL_BUDGET &&
		    control_shed(c, rest) != 0) {
			control_drop(c, "clients hold too much output");
			return (-1);
		}
		if (control_queue(c, w->buf + n, rest) != 0) {
			control_drop(c, "out of memory");
			return (-1);
		}
	}
	if (c->unsent || c->writing)
		return (0);
	/* Not taken whole: the socket is full, and will say when it is not. */
	if (tried && rest > 0)
		return (control_watch_write(c));
	c->unsent = 1;
	TAILQ_INSERT_TAIL(&control_unsent, c, unsent_entry);
	event_active(&control_write_ev, EV_TIMEOUT, 0);
	return (0);
}

/*
 * Write what was queued for the clients on control_unsent, at once and
 * together: a client waiting for its replies gets them in the event
 * loop's turn that made them, without a write event to add, wait for and
 * remove.  What a socket does not take waits for the client's write
 * event, added until it has gone.
 */
static void
control_write_unsent(evutil_socket_t fd, short what, void *arg)
{
	struct control_client	*c;

	while ((c = TAILQ_FIRST(&control_unsent)) != NULL) {
		TAILQ_REMOVE(&control_unsent, c, unsent_entry);
		c->unsent = 0;
		if (control_write_out(c) != 0) {
			control_drop(c, NULL);	/* the client is gone */
			continue;
		}
		control_written(c);
	}
}

/* A client's socket takes output again, or a closing one never read. */
static void
control_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct control_client	*c = arg;

	if ((what & EV_TIMEOUT) || control_write_out(c) != 0) {
		control_drop(c, NULL);
		return;
	}
	control_written(c);
}

/* Send REP_OK. */
static int
control_ok(struct control_client *c)
{
	struct proto_writer	w;

	proto_begin(&w, control_msg, sizeof(control_msg), REP_OK);
	return (control_send(c, &w));
}

/* Send REP_ERROR with a code and a formatted message. */
static int PRINTFLIKE(3, 4)
control_error(struct control_client *c, enum proto_error code,
    const char *fmt, ...)
{
	struct proto_writer	w;
	char			msg[2048];
	va_list			ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	proto_begin(&w, control_msg, sizeof(control_msg), REP_ERROR);
	proto_put_u16(&w, (uint16_t)code);
	proto_put_str(&w, msg);
	return (control_send(c, &w));
}

/*
 * Stop reading from a client, and drop it once its replies have gone out
 * (or after a few seconds if it never reads them).
 */
static void
control_finish(struct control_client *c)
{
	c->closing = 1;
	(void)event_del(&c->rev);
	if (c->out_len == 0)
		control_drop(c, NULL);
	else if (c->writing)
		(void)control_watch_write(c);	/* now with a timeout */
}

/* A malformed request: say so, and close (control_finish). */
static int
control_bad_request(struct control_client *c, const char *why)
{
	(void)control_error(c, PERR_BAD_REQUEST, "bad request: %s", why);
	if (c->dead)
		return (-1);
	log_info("control: dropping client (uid %ld): %s", (long)c->uid, why);
	control_finish(c);
	return (-1);
}

/* BYE: the client asks nothing more; close once its replies are out. */
static int
control_bye(struct control_client *c, const struct control_request *rq)
{
	control_finish(c);
	return (-1);
}

/*
 * Whether a description's file changed since it was read, for a path too
 * long for a status record: the room for it is only taken here.
 */
static NOINLINE int
control_long_file_changed(const struct service_desc *desc)
{
	char		path[PATH_MAX];
	struct stat	sb;

	if (parse_desc_file(desc, path, sizeof(path)) >= sizeof(path))
		return (1);
	return (stat(path, &sb) != 0 || sb.st_mtime != desc->mtime);
}

/* Describe a service in a status record. */
void
control_fill_status(const struct service *s, struct proto_status *st,
    int check_file)
{
	struct stat	sb;
	size_t		len;

	memset(st, 0, sizeof(*st));
	(void)strlcpy(st->name, s->name, sizeof(st->name));
	st->state = (uint8_t)s->state;
	st->target = (uint8_t)service_target(s);
	st->type = (uint8_t)s->type;
	if (s->explicit_start)
		st->flags |= STF_EXPLICIT;
	if (s->pinned_started)
		st->flags |= STF_PINNED_STARTED;
	if (s->pinned_stopped)
		st->flags |= STF_PINNED_STOPPED;
	if (s->skipped && s->state == SERVICE_STARTED)
		st->flags |= STF_SKIPPED;
	if (s->triggered)
		st->flags |= STF_TRIGGERED;
	if (service_is_failed(s))
		st->flags |= STF_FAILED;
	if (s->has_console)
		st->flags |= STF_CONSOLE;
	if (s->waiting_console)
		st->flags |= STF_WAITING_CONSOLE;
	if (proc_tree(s) == PROC_TREE_CGROUP)
		st->flags |= STF_TREE_CGROUP;
	else if (proc_tree(s) == PROC_TREE_REAPER)
		st->flags |= STF_TREE_REAPER;
	if (s->pid > 0 && s->state != SERVICE_STOPPED) {
		st->flags |= STF_HAS_PID;
		st->pid = (int32_t)s->pid;
	}
	st->stop_reason = (uint8_t)s->stop_reason;
	st->exec_stage = (uint8_t)s->exec_stage;
	st->exec_errno = s->exec_errno;
	if (s->has_exit_status && WIFEXITED(s->exit_status)) {
		st->exit_kind = EXIT_KIND_EXITED;
		st->exit_value = WEXITSTATUS(s->exit_status);
	} else if (s->has_exit_status && WIFSIGNALED(s->exit_status)) {
		st->exit_kind = EXIT_KIND_SIGNALLED;
		st->exit_value = WTERMSIG(s->exit_status);
	}
	(void)strlcpy(st->status_text, proc_status_text(s),
	    sizeof(st->status_text));
	if (s->desc != NULL && (len = parse_desc_file(s->desc, st->file,
	    sizeof(st->file))) > 0) {
		if (len < sizeof(st->file)) {
			if (check_file && (stat(st->file, &sb) != 0 ||
			    sb.st_mtime != s->desc->mtime))
				st->flags |= STF_MODIFIED;
		} else if (check_file && control_long_file_changed(s->desc))
			st->flags |= STF_MODIFIED;
	}
}

/* Send a service's status as REP_STATUS, with extra flags. */
static int
control_send_status(struct control_client *c, const struct service *s,
    uint16_t extra)
{
	struct proto_writer	w;
	struct proto_status	st;

	control_fill_status(s, &st, 1);
	st.flags |= extra;
	proto_begin(&w, control_msg, sizeof(control_msg), REP_STATUS);
	proto_put_status(&w, &st, c->version);
	return (control_send(c, &w));
}

/* End a watch: off its client's list and its service's, and freed. */
static void
control_unwatch(struct control_watch *w)
{
	TAILQ_REMOVE(&w->client->watches, w, entry);
	if (w->service_next != NULL)
		w->service_next->service_prev = w->service_prev;
	*w->service_prev = w->service_next;
	free(w);
}

/*
 * Make a client watch a service (replacing an earlier watch of it).  The
 * earlier one is looked for among the service's watchers, which are few
 * (its clients), not among the client's watches, which may be all.
 */
static int
control_watch(struct control_client *c, struct service *s,
    enum control_watch_kind kind)
{
	struct control_watch	*w;

	for (w = s->watchers; w != NULL; w = w->service_next) {
		if (w->client == c) {
			if (w->kind != WATCH_FOREVER)
				w->kind = kind;
			return (0);
		}
	}
	if ((w = mem_zalloc(sizeof(*w))) == NULL)
		return (-1);
	w->service = s;
	w->client = c;
	w->kind = kind;
	TAILQ_INSERT_TAIL(&c->watches, w, entry);
	if ((w->service_next = s->watchers) != NULL)
		s->watchers->service_prev = &w->service_next;
	s->watchers = w;
	w->service_prev = &s->watchers;
	return (0);
}

/* Whether an event ends a watch of this kind. */
static int
control_settles(enum control_watch_kind kind, enum service_event event)
{
	switch (kind) {
	case WATCH_START:
		return (event == SERVICE_EVENT_STARTED ||
		    event == SERVICE_EVENT_FAILED ||
		    event == SERVICE_EVENT_START_CANCELLED);
	case WATCH_STOP:
		return (event == SERVICE_EVENT_STOPPED ||
		    event == SERVICE_EVENT_FAILED ||
		    event == SERVICE_EVENT_START_CANCELLED ||
		    event == SERVICE_EVENT_STOP_CANCELLED);
	default:
		return (0);
	}
}

/* Send an event of a service to a client, once per event. */
static void
control_send_event(struct control_client *c, enum service_event event,
    const struct proto_status *st)
{
	struct proto_writer	wr;

	if (c->event_gen == control_event_gen)
		return;
	c->event_gen = control_event_gen;
	proto_begin(&wr, control_msg, sizeof(control_msg), REP_EVENT);
	proto_put_u8(&wr, (uint8_t)event);
	proto_put_status(&wr, st, c->version);
	(void)control_send(c, &wr);
}

/*
 * The engine reports an event: tell the clients watching the service,
 * then those monitoring all.  What it costs is one step per client told,
 * however many services each watches.  A send may drop clients (this one,
 * or others to make room); they stay on both lists, told nothing more,
 * until control_reap, a later callback, takes them off.
 */
void
control_service_event(struct service *s, enum service_event event)
{
	struct control_client	*c, *cnext;
	struct control_watch	*w, *wnext;
	struct proto_status	 st;

	if (s->watchers == NULL && TAILQ_EMPTY(&control_monitors))
		return;
	control_fill_status(s, &st, 0);
	if (++control_event_gen == 0)
		control_event_gen = 1;	/* 0 is every new client's */
	for (w = s->watchers; w != NULL; w = wnext) {
		wnext = w->service_next;
		c = w->client;
		if (control_settles(w->kind, event))
			control_unwatch(w);
		control_send_event(c, event, &st);
	}
	TAILQ_FOREACH_SAFE(c, &control_monitors, monitor_entry, cnext)
		control_send_event(c, event, &st);
}

/* A service is going away: nobody may watch it any more. */
void
control_service_gone(struct service *s)
{
	while (s->watchers != NULL)
		control_unwatch(s->watchers);
}

/* Find a loaded service, or answer NOT_FOUND. */
static struct service *
control_find(struct control_client *c, const char *name)
{
	struct service	*s = service_find(control_set, name);

	if (s == NULL || s->type == SERVICE_PLACEHOLDER) {
		(void)control_error(c, PERR_NOT_FOUND,
		    "service '%s' is not loaded", name);
		return (NULL);
	}
	return (s);
}

/* Load a service (if need be), or answer why not. */
static struct service *
control_load(struct control_client *c, const char *name)
{
	struct parse_error	 err;
	struct service		*s;
	char			 buf[PARSE_ERROR_TEXT];

	if ((s = load_service(control_set, name, &err)) != NULL)
		return (s);
	/* The kinds dinitctl words as dinit does: missing, cycle, bad. */
	if (strcmp(err.msg, "service description not found") == 0 &&
	    strcmp(err.file, name) == 0)
		(void)control_error(c, PERR_NOT_FOUND,
		    "service description not found: %s", name);
	else if (strcmp(err.msg, "service description not found") == 0)
		(void)control_error(c, PERR_NOT_FOUND,
		    "service description not found: %s (a dependency of "
		    "'%s')", err.file, name);
	else
		(void)control_error(c, strncmp(err.msg, "dependency cycle",
		    16) == 0 ? PERR_CYCLE : PERR_LOAD, "%s",
		    parse_error_string(&err, buf, sizeof(buf)));
	log_warnx("%s", parse_error_string(&err, buf, sizeof(buf)));
	return (NULL);
}

/* Reply REP_DEPENDENTS: the hard dependents that keep s from stopping. */
static int
control_send_dependents(struct control_client *c, struct service *s)
{
	struct proto_writer	 w;
	struct dependency	*d;
	uint16_t		 n = 0;

	TAILQ_FOREACH(d, &s->dependents, to_entry) {
		if ((d->type == DEP_REGULAR || d->type == DEP_PREPARED_BY) &&
		    (d->holding || d->from->state != SERVICE_STOPPED))
			n++;
	}
	proto_begin(&w, control_msg, sizeof(control_msg), REP_DEPENDENTS);
	proto_put_u16(&w, n);
	TAILQ_FOREACH(d, &s->dependents, to_entry) {
		if ((d->type == DEP_REGULAR || d->type == DEP_PREPARED_BY) &&
		    (d->holding || d->from->state != SERVICE_STOPPED))
			proto_put_str(&w, d->from->name);
	}
	return (control_send(c, &w));
}

/* START, WAKE: bring a service up; watch it until it settles. */
static int
control_start(struct control_client *c, const struct control_request *rq)
{
	const char	*name = rq->name;
	uint8_t		 flags = rq->flags;
	struct service	*s;
	uint16_t	 already;
	int		 rc;

	if (control_set->shutting_down)
		return (control_error(c, PERR_SHUTTING_DOWN,
		    "dinit is shutting down"));
	if ((s = control_load(c, name)) == NULL)
		return (0);
	already = s->state == SERVICE_STARTED ? STF_ALREADY : 0;
	if (rq->type == REQ_WAKE)
		rc = service_wake(s);
	else
		rc = service_start(s, (flags & REQF_PIN) != 0);
	if (rc != 0) {
		if (errno == EPERM)
			return (control_error(c, PERR_PINNED,
			    "service '%s' is pinned stopped", name));
		if (errno == ESHUTDOWN)
			return (control_error(c, PERR_SHUTTING_DOWN,
			    "dinit is shutting down"));
		if (rq->type == REQ_WAKE)
			return (control_error(c, PERR_NOT_STARTED,
			    "service '%s' has no active dependents, cannot "
			    "wake", name));
		return (control_error(c, PERR_FAILED, "cannot start '%s': %s",
		    name, strerror(errno)));
	}
	if ((flags & REQF_WATCH) && s->state != SERVICE_STARTED &&
	    !(s->state == SERVICE_STOPPED && service_target(s) ==
	    SERVICE_STOPPED) && control_watch(c, s, WATCH_START) != 0)
		return (control_error(c, PERR_NO_MEMORY, "out of memory"));
	return (control_send_status(c, s, already));
}

/* STOP, RELEASE: take a service's activation away. */
static int
control_stop(struct control_client *c, const struct control_request *rq)
{
	const char	*name = rq->name;
	uint8_t		 flags = rq->flags;
	struct service	*s = service_find(control_set, name);
	uint16_t	 already;

	if (s == NULL || s->type == SERVICE_PLACEHOLDER) {
		if (flags & REQF_IGNORE_UNSTARTED)
			return (control_ok(c));
		return (control_error(c, PERR_NOT_FOUND,
		    "service '%s' is not loaded", name));
	}
	already = s->state == SERVICE_STOPPED ? STF_ALREADY : 0;
	if (already && (flags & REQF_IGNORE_UNSTARTED) && !(flags & REQF_PIN))
		return (control_send_status(c, s, already));
	if (rq->type == REQ_RELEASE)
		service_release(s);
	else if (service_stop(s, (flags & REQF_FORCE) != 0) != 0) {
		if (errno == EBUSY)
			return (control_send_dependents(c, s));
		return (control_error(c, PERR_PINNED,
		    "service '%s' is pinned started", name));
	}
	if (flags & REQF_PIN)
		service_pin_stopped(s);
	if ((flags & REQF_WATCH) && s->state != SERVICE_STOPPED &&
	    service_target(s) == SERVICE_STOPPED &&
	    control_watch(c, s, WATCH_STOP) != 0)
		return (control_error(c, PERR_NO_MEMORY, "out of memory"));
	return (control_send_status(c, s, already));
}

/* RESTART: stop and start again, keeping the activation. */
static int
control_restart(struct control_client *c, const struct control_request *rq)
{
	const char	*name = rq->name;
	struct service	*s;

	if (control_set->shutting_down)
		return (control_error(c, PERR_SHUTTING_DOWN,
		    "dinit is shutting down"));
	if ((s = control_find(c, name)) == NULL)
		return (0);
	if (service_restart(s, (rq->flags & REQF_FORCE) != 0) != 0) {
		if (errno == EBUSY)
			return (control_send_dependents(c, s));
		return (control_error(c, PERR_NOT_STARTED,
		    "cannot restart service '%s'; service not started", name));
	}
	if ((rq->flags & REQF_WATCH) && s->state != SERVICE_STARTED &&
	    control_watch(c, s, WATCH_START) != 0)
		return (control_error(c, PERR_NO_MEMORY, "out of memory"));
	return (control_send_status(c, s, 0));
}

/* LIST: a status record per loaded service, then REP_LIST_END. */
static int
control_list(struct control_client *c, const struct control_request *rq)
{
	struct service		*s;
	struct proto_writer	 w;
	struct proto_status	 st;

	TAILQ_FOREACH(s, &control_set->services, set_entry) {
		if (s->type == SERVICE_PLACEHOLDER)
			continue;
		control_fill_status(s, &st, 0);
		proto_begin(&w, control_msg, sizeof(control_msg), REP_STATUS);
		proto_put_status(&w, &st, c->version);
		if (control_send(c, &w) != 0)
			return (-1);
	}
	proto_begin(&w, control_msg, sizeof(control_msg), REP_LIST_END);
	return (control_send(c, &w));
}

/* UNLOAD: forget a stopped service nothing needs. */
static int
control_unload(struct control_client *c, const struct control_request *rq)
{
	const char		*name = rq->name;
	struct service		*s;
	struct dependency	*d;

	if ((s = control_find(c, name)) == NULL)
		return (0);
	if (s->state != SERVICE_STOPPED)
		return (control_error(c, PERR_BUSY, "service '%s' is not "
		    "stopped", name));
	TAILQ_FOREACH(d, &s->dependents, to_entry) {
		if (d->type != DEP_AFTER && d->from->type !=
		    SERVICE_PLACEHOLDER)
			return (control_error(c, PERR_BUSY, "service '%s' is "
			    "a dependency of '%s'", name, d->from->name));
	}
	control_service_gone(s);
	load_unload(control_set, s);
	return (control_ok(c));
}

/* RELOAD: read a service's description again. */
static int
control_reload(struct control_client *c, const struct control_request *rq)
{
	const char		*name = rq->name;
	struct parse_error	 err;
	struct service		*s = service_find(control_set, name);
	char			 buf[PARSE_ERROR_TEXT];

	if (s == NULL || s->type == SERVICE_PLACEHOLDER) {
		if (control_load(c, name) == NULL)
			return (0);
		return (control_ok(c));
	}
	if (load_reload(control_set, s, &err) != 0)
		return (control_error(c, err.line < 0 ? PERR_BUSY : PERR_LOAD,
		    "%s", parse_error_string(&err, buf, sizeof(buf))));
	return (control_ok(c));
}

/* Find an edge of a type between two services. */
static struct dependency *
control_find_dep(struct service *from, struct service *to,
    enum dependency_type type)
{
	struct dependency	*d;

	TAILQ_FOREACH(d, &from->depends, from_entry) {
		if (d->to == to && d->type == type)
			return (d);
	}
	return (NULL);
}

/* ADD_DEP, RM_DEP: change the graph at run time. */
static int
control_dep(struct control_client *c, const struct control_request *rq)
{
	struct proto_reader	*r = rq->reader;
	char			 from_name[PROTO_MAX_NAME + 1];
	char			 to_name[PROTO_MAX_NAME + 1];
	char			 cycle[1024];
	struct service		*from, *to;
	struct dependency	*d;
	uint8_t			 dtype, flags;

	dtype = proto_get_u8(r);
	flags = proto_get_u8(r);
	(void)proto_get_str(r, from_name, sizeof(from_name));
	(void)proto_get_str(r, to_name, sizeof(to_name));
	if (!proto_done(r) || (dtype != DEP_REGULAR &&
	    dtype != DEP_MILESTONE && dtype != DEP_WAITS_FOR))
		return (control_bad_request(c, "malformed dependency request"));
	if ((from = control_load(c, from_name)) == NULL ||
	    (to = control_load(c, to_name)) == NULL)
		return (0);
	d = control_find_dep(from, to, (enum dependency_type)dtype);
	if (rq->type == REQ_RM_DEP) {
		if (d == NULL)
			return (control_error(c, PERR_FAILED,
			    "no such dependency to remove"));
		service_rm_dep(d);
		service_drain(control_set);
		if ((flags & REQF_WATCH) && to->state != SERVICE_STOPPED &&
		    service_target(to) == SERVICE_STOPPED &&
		    control_watch(c, to, WATCH_STOP) != 0)
			return (control_error(c, PERR_NO_MEMORY,
			    "out of memory"));
		return (control_send_status(c, to, 0));
	}
	if (d != NULL) {
		if (flags & REQF_ACTIVATE) {
			service_hold_dep(d);
			service_drain(control_set);
		}
		return (control_send_status(c, to, STF_ALREADY));
	}
	if (from == to)
		return (control_error(c, PERR_CYCLE,
		    "a service cannot depend on itself"));
	if (dtype == DEP_REGULAR && from->state != SERVICE_STOPPED &&
	    to->state != SERVICE_STARTED)
		return (control_error(c, PERR_BUSY, "could not add "
		    "dependency: '%s' runs and '%s' is not started",
		    from_name, to_name));
	if ((d = service_add_dep(from, to, (enum dependency_type)dtype)) ==
	    NULL)
		return (control_error(c, PERR_NO_MEMORY, "out of memory"));
	if (load_check_cycles(control_set, from, cycle, sizeof(cycle)) != 0) {
		service_rm_dep(d);
		service_drain(control_set);
		return (control_error(c, PERR_CYCLE, "could not add "
		    "dependency: %s", cycle));
	}
	if (flags & REQF_ACTIVATE)
		service_hold_dep(d);
	service_drain(control_set);
	if ((flags & REQF_WATCH) && to->state != SERVICE_STARTED &&
	    service_target(to) == SERVICE_STARTED &&
	    control_watch(c, to, WATCH_START) != 0)
		return (control_error(c, PERR_NO_MEMORY, "out of memory"));
	return (control_send_status(c, to, 0));
}

/* SETENV: set or unset a variable of dinit's activation environment. */
static int
control_setenv(struct control_client *c, const struct control_request *rq)
{
	struct proto_reader	*r = rq->reader;
	char		 name[PROTO_MAX_NAME + 1];
	const uint8_t	*value;
	char		*copy;
	uint8_t		 set;
	uint16_t	 len;
	int		 rc;

	set = proto_get_u8(r);
	(void)proto_get_str(r, name, sizeof(name));
	len = proto_get_u16(r);
	value = proto_get_bytes(r, len);
	if (!proto_done(r) || name[0] == '\0' || strchr(name, '=') != NULL ||
	    (value != NULL && memchr(value, '\0', len) != NULL))
		return (control_bad_request(c, "malformed setenv request"));
	if (!set) {
		(void)environ_unset(control_set->env, name);
		return (control_ok(c));
	}
	if ((copy = mem_strndup((const char *)value, len)) == NULL)
		return (control_error(c, PERR_NO_MEMORY, "out of memory"));
	rc = environ_set(control_set->env, name, copy);
	free(copy);
	if (rc != 0)
		return (control_error(c, PERR_NO_MEMORY, "out of memory"));
	return (control_ok(c));
}

/* GETENV: dinit's whole activation environment. */
static int
control_getenv(struct control_client *c, const struct control_request *rq)
{
	struct proto_writer	 w;
	const struct environ	*env = control_set->env;
	size_t			 i;

	proto_begin(&w, control_msg, sizeof(control_msg), REP_ENV);
	proto_put_u32(&w, (uint32_t)env->count);
	for (i = 0; i < env->count; i++)
		proto_put_str(&w, env->vars[i]);
	if (w.overflow)
		return (control_error(c, PERR_FAILED,
		    "environment too large to send"));
	return (control_send(c, &w));
}

/* CATLOG: what a service with log-type = buffer has written. */
static int
control_catlog(struct control_client *c, const struct control_request *rq)
{
	struct proto_writer	 w;
	struct service		*s;

	if ((s = control_find(c, rq->name)) == NULL)
		return (0);
	if (s->desc == NULL || s->desc->log_type != LOGTYPE_BUFFER)
		return (control_error(c, PERR_WRONG_TYPE, "cannot cat log "
		    "for service not configured to buffer output"));
	proto_begin(&w, control_msg, sizeof(control_msg), REP_LOG);
	output_log_reply(s, &w, (rq->flags & CATLOGF_TIMESTAMPS) != 0,
	    CONTROL_LOG_MAX);
	if (control_send(c, &w) != 0)
		return (-1);
	if (rq->flags & CATLOGF_CLEAR)
		output_log_clear(s);
	return (0);
}

/* SIGNAL: send a signal to a service's process. */
static int
control_signal(struct control_client *c, const struct control_request *rq)
{
	int32_t		 sig = rq->number;
	struct service	*s;

	if ((s = control_find(c, rq->name)) == NULL)
		return (0);
	if (sig <= 0 || sig >= NSIG)
		return (control_error(c, PERR_BAD_SIGNAL,
		    "provided signal was invalid"));
	if (s->pid <= 0 || s->state == SERVICE_STOPPED)
		return (control_error(c, PERR_NO_PID, "could not get valid "
		    "PID of service; service is not a process or not "
		    "running"));
	if (kill(s->pid, sig) != 0)
		return (control_error(c, PERR_FAILED, "failed sending "
		    "signal to service: %s", strerror(errno)));
	return (control_ok(c));
}

/* MONITOR: watch the named services (or all) from now on. */
static int
control_monitor(struct control_client *c, const struct control_request *rq)
{
	struct proto_reader	*r = rq->reader;
	char		 name[PROTO_MAX_NAME + 1];
	struct service	*s;
	uint16_t	 n, i;

	n = proto_get_u16(r);
	if (n == 0 && !c->monitor_all) {
		c->monitor_all = 1;
		TAILQ_INSERT_TAIL(&control_monitors, c, monitor_entry);
	}
	for (i = 0; i < n; i++) {
		if (proto_get_str(r, name, sizeof(name)) != 0)
			break;
		if ((s = control_load(c, name)) == NULL)
			return (0);
		if (control_watch(c, s, WATCH_FOREVER) != 0)
			return (control_error(c, PERR_NO_MEMORY,
			    "out of memory"));
	}
	if (!proto_done(r))
		return (control_bad_request(c, "malformed monitor request"));
	return (control_ok(c));
}

/* SERVICE_FILE: where a service's description and waits-for.d are. */
static int
control_service_file(struct control_client *c,
    const struct control_request *rq)
{
	struct proto_writer	 w;
	struct service		*s;
	char			 file[PATH_MAX];

	if ((s = control_load(c, rq->name)) == NULL)
		return (0);
	(void)parse_desc_file(s->desc, file, sizeof(file));
	proto_begin(&w, control_msg, sizeof(control_msg), REP_FILE);
	proto_put_str(&w, file);
	proto_put_str(&w, s->desc->rare->enable_via);
	proto_put_str(&w, s->desc->rare->waits_for_d);
	return (control_send(c, &w));
}

/* UNPIN: take a service's pins away. */
static int
control_unpin(struct control_client *c, const struct control_request *rq)
{
	struct service	*s;

	if ((s = control_find(c, rq->name)) == NULL)
		return (0);
	service_unpin(s);
	return (control_ok(c));
}

/* STATUS: a loaded service's status. */
static int
control_status(struct control_client *c, const struct control_request *rq)
{
	struct service	*s;

	if ((s = control_find(c, rq->name)) == NULL)
		return (0);
	return (control_send_status(c, s, 0));
}

/* LOAD: load a service (if need be) and send its status. */
static int
control_load_request(struct control_client *c,
    const struct control_request *rq)
{
	struct service	*s;

	if ((s = control_load(c, rq->name)) == NULL)
		return (0);
	return (control_send_status(c, s, 0));
}

/* TRIGGER: set or clear the trigger of a triggered service. */
static int
control_trigger(struct control_client *c, const struct control_request *rq)
{
	struct service	*s;

	if ((s = control_find(c, rq->name)) == NULL)
		return (0);
	if (service_trigger(s, rq->flags != 0) != 0)
		return (control_error(c, PERR_WRONG_TYPE, "cannot trigger a "
		    "service that is not of 'triggered' type"));
	return (control_ok(c));
}

/* SHUTDOWN: answer, then ask the daemon to stop everything. */
static int
control_shutdown(struct control_client *c, const struct control_request *rq)
{
	uint8_t	how = proto_get_u8(rq->reader);

	if (!proto_done(rq->reader) || how < SHUTDOWN_REMAIN ||
	    how > SHUTDOWN_REBOOT)
		return (control_bad_request(c, "malformed shutdown"));
	if (control_ok(c) != 0)
		return (-1);
	control_ops.shutdown(how);
	return (0);
}

/* Describe where a service's output goes, and when it did what. */
static void
control_fill_detail(const struct service *s, struct proto_detail *d)
{
	const struct service_desc	*desc = s->desc;

	memset(d, 0, sizeof(*d));
	d->now = control_set->ops->now();
	d->born = control_set->born;
	memcpy(d->entered, s->entered, sizeof(d->entered));
	d->launched = s->launched_at;
	d->restarts = s->restarts;
	if (desc == NULL || s->type == SERVICE_INTERNAL ||
	    s->type == SERVICE_TRIGGERED || s->type == SERVICE_PLACEHOLDER)
		return;
	if (desc->options & (OPT_RUNS_ON_CONSOLE | OPT_SHARES_CONSOLE |
	    OPT_STARTS_ON_CONSOLE))
		d->output = OUTPUT_CONSOLE;
	else if (desc->log_type == LOGTYPE_BUFFER)
		d->output = OUTPUT_BUFFER;
	else if (desc->log_type == LOGTYPE_PIPE)
		d->output = OUTPUT_PIPE;
	else if (desc->log_type == LOGTYPE_FILE && desc->logfile != NULL) {
		d->output = OUTPUT_FILE;
		/* Relative to the description's directory, as proc.c opens. */
		if (desc->logfile[0] != '/' && parse_desc_dir(desc) != NULL)
			(void)snprintf(d->log_path, sizeof(d->log_path),
			    "%s/%s", parse_desc_dir(desc), desc->logfile);
		else
			(void)strlcpy(d->log_path, desc->logfile,
			    sizeof(d->log_path));
	}
}

/*
 * The detail record's zone: the offset from UTC, in our time zone, when
 * the service entered its state.  A client would read the zone from
 * /etc/localtime to print that time (dinitctl status's "Since:"), a good
 * part of what a status costs it; the C library here has it already, and
 * tzset() only checks that the file did not change (which it may have
 * since boot): a stat, between the request and its reply, so at most once
 * a second.
 */
static int32_t
control_zone(const struct service *s, const struct proto_detail *d)
{
	static time_t	checked;	/* when tzset last looked */
	struct tm	tm;
	time_t		now, t;

	if (s->state > 3 || d->entered[s->state] == 0)
		return (PROTO_NO_ZONE);
	now = time(NULL);
	if (now != checked) {
		tzset();
		checked = now;
	}
	t = now - (time_t)((d->now - d->entered[s->state]) / 1000);
	if (localtime_r(&t, &tm) == NULL)
		return (PROTO_NO_ZONE);
	return ((int32_t)tm.tm_gmtoff);
}

/*
 * Send a service's status and detail as REP_DETAIL; one: it alone was
 * asked for (check its file, say its zone), not every service.
 */
static int
control_send_detail(struct control_client *c, const struct service *s,
    int one)
{
	struct proto_writer	w;
	struct proto_status	st;
	struct proto_detail	d;

	control_fill_status(s, &st, one);
	control_fill_detail(s, &d);
	d.zone = one ? control_zone(s, &d) : PROTO_NO_ZONE;
	proto_begin(&w, control_msg, sizeof(control_msg), REP_DETAIL);
	proto_put_status(&w, &st, c->version);
	proto_put_detail(&w, &d, c->version);
	return (control_send(c, &w));
}

/* DETAIL: a loaded service's status, its times and its output. */
static int
control_detail(struct control_client *c, const struct control_request *rq)
{
	struct service	*s;

	if ((s = control_find(c, rq->name)) == NULL)
		return (0);
	return (control_send_detail(c, s, 1));
}

/* LIST_DETAIL: REP_DETAIL per loaded service, then REP_LIST_END. */
static int
control_list_detail(struct control_client *c,
    const struct control_request *rq)
{
	struct service		*s;
	struct proto_writer	 w;

	TAILQ_FOREACH(s, &control_set->services, set_entry) {
		if (s->type != SERVICE_PLACEHOLDER &&
		    control_send_detail(c, s, 0) != 0)
			return (-1);
	}
	proto_begin(&w, control_msg, sizeof(control_msg), REP_LIST_END);
	return (control_send(c, &w));
}

/*
 * EDGES: REP_EDGE per dependency between loaded services, then
 * REP_LIST_END.  An edge a "before" made reads as the before it was.
 */
static int
control_edges(struct control_client *c, const struct control_request *rq)
{
	struct service		*s;
	struct dependency	*d;
	struct proto_writer	 w;

	TAILQ_FOREACH(s, &control_set->services, set_entry) {
		if (s->type == SERVICE_PLACEHOLDER)
			continue;
		TAILQ_FOREACH(d, &s->depends, from_entry) {
			if (d->to->type == SERVICE_PLACEHOLDER)
				continue;
			proto_begin(&w, control_msg, sizeof(control_msg),
			    REP_EDGE);
			if (d->type == DEP_AFTER && d->before) {
				proto_put_u8(&w, DEP_BEFORE);
				proto_put_str(&w, d->to->name);
				proto_put_str(&w, s->name);
			} else {
				proto_put_u8(&w, (uint8_t)d->type);
				proto_put_str(&w, s->name);
				proto_put_str(&w, d->to->name);
			}
			if (control_send(c, &w) != 0)
				return (-1);
		}
	}
	proto_begin(&w, control_msg, sizeof(control_msg), REP_LIST_END);
	return (control_send(c, &w));
}

/* DIRS: the service directories, in the order they are searched. */
static int
control_dirs(struct control_client *c, const struct control_request *rq)
{
	struct proto_writer	w;
	size_t			i;

	proto_begin(&w, control_msg, sizeof(control_msg), REP_DIRS);
	proto_put_u16(&w, (uint16_t)control_set->ndirs);
	for (i = 0; i < control_set->ndirs; i++)
		proto_put_str(&w, control_set->dirs[i]);
	if (w.overflow)
		return (control_error(c, PERR_FAILED,
		    "service directories too long to send"));
	return (control_send(c, &w));
}

/*
 * The requests after the greeting: how each is read, who may make it, and
 * what handles it.  STATUS and LIST only read, so anyone may ask them.
 */
static const struct control_entry control_table[] = {
	{ REQ_START, LAYOUT_FLAGS_NAME, CONTROL_PRIVILEGED,
	    LEN_U8 + LEN_STR, "malformed request", control_start, 1 },
	{ REQ_STOP, LAYOUT_FLAGS_NAME, CONTROL_PRIVILEGED,
	    LEN_U8 + LEN_STR, "malformed request", control_stop, 1 },
	{ REQ_WAKE, LAYOUT_FLAGS_NAME, CONTROL_PRIVILEGED,
	    LEN_U8 + LEN_STR, "malformed request", control_start, 1 },
	{ REQ_RELEASE, LAYOUT_FLAGS_NAME, CONTROL_PRIVILEGED,
	    LEN_U8 + LEN_STR, "malformed request", control_stop, 1 },
	{ REQ_RESTART, LAYOUT_FLAGS_NAME, CONTROL_PRIVILEGED,
	    LEN_U8 + LEN_STR, "malformed request", control_restart, 1 },
	{ REQ_UNPIN, LAYOUT_NAME, CONTROL_PRIVILEGED,
	    LEN_STR, "malformed request", control_unpin, 1 },
	{ REQ_STATUS, LAYOUT_NAME, CONTROL_ANYONE,
	    LEN_STR, "malformed request", control_status, 1 },
	{ REQ_LIST, LAYOUT_NONE, CONTROL_ANYONE,
	    0, "malformed request", control_list, 1 },
	{ REQ_RELOAD, LAYOUT_NAME, CONTROL_PRIVILEGED,
	    LEN_STR, "malformed request", control_reload, 1 },
	{ REQ_UNLOAD, LAYOUT_NAME, CONTROL_PRIVILEGED,
	    LEN_STR, "malformed request", control_unload, 1 },
	{ REQ_ADD_DEP, LAYOUT_OWN, CONTROL_PRIVILEGED,
	    2 * LEN_U8 + 2 * LEN_STR, "malformed dependency request",
	    control_dep, 1 },
	{ REQ_RM_DEP, LAYOUT_OWN, CONTROL_PRIVILEGED,
	    2 * LEN_U8 + 2 * LEN_STR, "malformed dependency request",
	    control_dep, 1 },
	{ REQ_TRIGGER, LAYOUT_FLAGS_NAME, CONTROL_PRIVILEGED,
	    LEN_U8 + LEN_STR, "malformed request", control_trigger, 1 },
	{ REQ_SETENV, LAYOUT_OWN, CONTROL_PRIVILEGED,
	    LEN_U8 + 2 * LEN_STR, "malformed setenv request",
	    control_setenv, 1 },
	{ REQ_GETENV, LAYOUT_NONE, CONTROL_PRIVILEGED,
	    0, "malformed request", control_getenv, 1 },
	{ REQ_CATLOG, LAYOUT_FLAGS_NAME, CONTROL_PRIVILEGED,
	    LEN_U8 + LEN_STR, "malformed request", control_catlog, 1 },
	{ REQ_SIGNAL, LAYOUT_NUMBER_NAME, CONTROL_PRIVILEGED,
	    LEN_I32 + LEN_STR, "malformed request", control_signal, 1 },
	{ REQ_SHUTDOWN, LAYOUT_OWN, CONTROL_PRIVILEGED,
	    LEN_U8, "malformed shutdown", control_shutdown, 1 },
	{ REQ_MONITOR, LAYOUT_OWN, CONTROL_PRIVILEGED,
	    LEN_U16, "malformed monitor request", control_monitor, 1 },
	{ REQ_LOAD, LAYOUT_NAME, CONTROL_PRIVILEGED,
	    LEN_STR, "malformed request", control_load_request, 1 },
	{ REQ_SERVICE_FILE, LAYOUT_NAME, CONTROL_PRIVILEGED,
	    LEN_STR, "malformed request", control_service_file, 1 },
	{ REQ_DETAIL, LAYOUT_NAME, CONTROL_ANYONE,
	    LEN_STR, "malformed request", control_detail,
	    PROTO_VERSION_DETAIL },
	{ REQ_LIST_DETAIL, LAYOUT_NONE, CONTROL_ANYONE,
	    0, "malformed request", control_list_detail,
	    PROTO_VERSION_DETAIL },
	{ REQ_EDGES, LAYOUT_NONE, CONTROL_ANYONE,
	    0, "malformed request", control_edges,
	    PROTO_VERSION_DETAIL },
	{ REQ_DIRS, LAYOUT_NONE, CONTROL_ANYONE,
	    0, "malformed request", control_dirs,
	    PROTO_VERSION_DETAIL },
	{ REQ_BYE, LAYOUT_NONE, CONTROL_ANYONE,
	    0, "malformed request", control_bye, PROTO_VERSION_BYE }
};

/* The row of a request type, or NULL. */
static const struct control_entry *
control_lookup(uint16_t type)
{
	size_t	i;

	for (i = 0; i < sizeof(control_table) / sizeof(*control_table); i++) {
		if (control_table[i].type == type)
			return (&control_table[i]);
	}
	return (NULL);
}

/* Read what a request's layout says into rq; -1 if it is malformed. */
static int
control_decode(const struct control_entry *e, struct control_request *rq)
{
	switch (e->layout) {
	case LAYOUT_OWN:
		return (0);
	case LAYOUT_FLAGS_NAME:
		rq->flags = proto_get_u8(rq->reader);
		break;
	case LAYOUT_NUMBER_NAME:
		rq->number = proto_get_i32(rq->reader);
		break;
	default:
		break;
	}
	if (e->layout != LAYOUT_NONE)
		(void)proto_get_str(rq->reader, rq->name, sizeof(rq->name));
	return (proto_done(rq->reader) ? 0 : -1);
}

/* HELLO: agree on a protocol version; nothing may come before it. */
static int
control_hello(struct control_client *c, uint16_t type, struct proto_reader *r)
{
	struct proto_writer	w;
	uint16_t		min, max;

	if (type != REQ_HELLO)
		return (control_bad_request(c, "no greeting"));
	min = proto_get_u16(r);
	max = proto_get_u16(r);
	if (!proto_done(r))
		return (control_bad_request(c, "malformed greeting"));
	if (min > PROTO_VERSION || max < PROTO_MIN_VERSION || min > max)
		return (control_bad_request(c, "no common protocol version"));
	c->greeted = 1;
	/* The newest version both speak. */
	c->version = max < PROTO_VERSION ? max : PROTO_VERSION;
	proto_begin(&w, control_msg, sizeof(control_msg), REP_HELLO);
	proto_put_u16(&w, c->version);
	return (control_send(c, &w));
}

/*
 * Handle one whole message from a client: find its row, check who asks
 * and that it is long enough, read it, and call its handler.
 */
static int
control_handle(struct control_client *c, uint16_t type, const uint8_t *p,
    size_t len)
{
	const struct control_entry	*e;
	struct control_request		 rq;
	struct proto_reader		 r;

	proto_reader_init(&r, p, len);
	if (!c->greeted)
		return (control_hello(c, type, &r));
	if ((e = control_lookup(type)) == NULL || e->since > c->version)
		return (control_bad_request(c, "unknown request"));
	if (e->privilege == CONTROL_PRIVILEGED && !c->privileged)
		return (control_error(c, PERR_DENIED, "permission denied: "
		    "only root may do this; others may query status and "
		    "list services"));
	if (len < e->min_len)
		return (control_bad_request(c, e->malformed));
	memset(&rq, 0, sizeof(rq));
	rq.type = type;
	rq.reader = &r;
	if (control_decode(e, &rq) != 0)
		return (control_bad_request(c, e->malformed));
	return (e->handler(c, &rq));
}

/*
 * Some of what was queued for a client has gone, or all of it: drop a
 * closing client once all has, read from a paused one again once what is
 * left is below the low mark, and keep the write event added while
 * something is left (and only then).
 */
static void
control_written(struct control_client *c)
{
	if (c->dead)
		return;
	if (c->closing && c->out_len == 0) {
		control_drop(c, NULL);
		return;
	}
	if (c->paused && !c->closing && c->out_len <= CONTROL_OUT_SOFT / 2) {
		c->paused = 0;
		if (event_add(&c->rev, NULL) != 0) {
			control_drop(c, "cannot watch a client");
			return;
		}
		/* The requests a pause left may be whole already. */
		if (c->in_len > 0)
			event_active(&c->rev, EV_READ, 0);
	}
	if (c->out_len == 0 && c->writing) {
		(void)event_del(&c->wev);
		c->writing = 0;
	} else if (c->out_len > 0 && !c->writing)
		(void)control_watch_write(c);
}

/*
 * Keep what is left of a client's input after its whole frames were
 * handled (a frame in part, or the frames a pause left) in a buffer of
 * its own, exactly as large; none when nothing is left.
 */
static void
control_keep(struct control_client *c, const uint8_t *p, size_t len)
{
	uint8_t	*in;

	if (len > c->in_len && control_held + (len - c->in_len) >
	    CONTROL_BUDGET && control_shed(c, len - c->in_len) != 0) {
		control_drop(c, "clients hold too much input");
		return;
	}
	if (len == 0) {
		free(c->in);
		c->in = NULL;
	} else if (len != c->in_len || c->in == NULL) {
		if ((in = mem_array(c->in, len, 1)) == NULL) {
			control_drop(c, "out of memory");
			return;
		}
		c->in = in;
	}
	if (len > 0)
		memcpy(c->in, p, len);
	c->in_len = len;
	control_recount(c);
}

/*
 * Handle every whole frame a client has sent, from control_in[0, len),
 * until it is dropped or its output is past the soft limit (then it
 * pauses: it is not read until its output has drained), and keep the
 * rest.
 */
static void
control_input(struct control_client *c, size_t len)
{
	const uint8_t	*p = control_in;
	uint16_t	 type, next;
	size_t		 total, next_total;
	int		 r;

	while (!c->dead && !c->closing && !c->paused) {
		r = proto_frame(p, len, &type, &total);
		if (r < 0) {
			(void)control_bad_request(c, "bad frame");
			break;
		}
		if (r == 0)
			break;
		/* Replies to requests sent together go out together. */
		c->corked = proto_frame(p + total, len - total, &next,
		    &next_total) != 0;
		(void)control_handle(c, type, p + PROTO_HEADER_SIZE,
		    total - PROTO_HEADER_SIZE);
		c->corked = 0;
		if (c->dead || c->closing)
			break;
		p += total;
		len -= total;
		(void)event_base_gettimeofday_cached(control_base, &c->moved);
		if (c->out_len > CONTROL_OUT_SOFT) {
			c->paused = 1;
			(void)event_del(&c->rev);
		}
	}
	if (!c->dead && !c->closing)
		control_keep(c, p, len);
}

/*
 * A client's socket is readable (or a pause left it whole requests): one
 * read, after what it had left over, and handle every whole frame.  End
 * of file or an error drops the client.
 */
static void
control_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct control_client	*c = arg;
	size_t			 have = c->in_len;
	ssize_t			 n = 0;

	if (c->dead)
		return;
	if (have > 0)
		memcpy(control_in, c->in, have);
	/* A full buffer holds a whole frame: handle it before reading. */
	if (have < sizeof(control_in)) {
		do
			n = read(c->fd, control_in + have,
			    sizeof(control_in) - have);
		while (n == -1 && errno == EINTR);
		if (n == 0 || (n == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK)) {
			control_drop(c, NULL);	/* the connection ended */
			return;
		}
		if (n == -1) {
			if (have == 0)
				return;
			n = 0;
		}
	}
	control_input(c, have + (size_t)n);
	control_ops.settle();
}

/*
 * Read what a new client has sent and handle it, now rather than on the
 * loop's next turn: a client writes its request as soon as it has
 * connected, so by the time it is accepted the request is usually there,
 * and the reply goes out at once, one wait of the loop sooner.  Nothing
 * there is left for the read event.
 */
static void
control_read_now(struct control_client *c)
{
	control_read_cb(c->fd, EV_READ, c);
	/* The client waits: all its replies before the next accept. */
	control_write_unsent(-1, 0, NULL);
}

/*
 * Refuse a connection with REP_ERROR PERR_UNAVAILABLE saying why, and
 * close it.  The reply is small enough for any socket buffer; if it does
 * not go, the client still sees the connection close.
 */
static void
control_refuse(int fd, const char *why)
{
	struct proto_writer	w;
	uint8_t			buf[256];

	proto_begin(&w, buf, sizeof(buf), REP_ERROR);
	proto_put_u16(&w, PERR_UNAVAILABLE);
	proto_put_str(&w, why);
	if (proto_end(&w) == 0)
		(void)write(fd, w.buf, w.len);
	(void)close(fd);
	if (control_refused++ == 0)
		log_warnx("control: refusing clients: %s", why);
}

/* How many connections a user has. */
static size_t
control_count_uid(uid_t uid)
{
	struct control_client	*c;
	size_t			 n = 0;

	TAILQ_FOREACH(c, &control_clients, entry) {
		if (c->uid == uid)
			n++;
	}
	return (n);
}

/* The oldest client that has not greeted yet (nor sent anything). */
static struct control_client *
control_oldest_silent(void)
{
	struct control_client	*c;

	TAILQ_FOREACH(c, &control_clients, entry) {
		if (!c->greeted && c->held == 0)
			return (c);
	}
	return (NULL);
}

/*
 * Whether a new client of this user may be served, making room for it
 * when the table is full: the stalest client goes first, then the oldest
 * that has said nothing.  NULL when it may, else why not.
 */
static const char *
control_admit(uid_t uid, int privileged)
{
	struct control_client	*c;

	if (!privileged && control_system &&
	    control_count_uid(uid) >= CONTROL_MAX_PER_UID)
		return ("too many connections from this user");
	if (control_nclients >= CONTROL_MAX_CLIENTS) {
		if ((c = control_stalest(NULL)) == NULL &&
		    (c = control_oldest_silent()) == NULL)
			return ("too many clients");
		control_drop(c, "its place is needed for a new client");
	}
	/*
	 * Watching one more descriptor may make libevent allocate (its
	 * table of descriptors grows), and its allocations fall back on
	 * mem.c's reserve: accept only while the reserve has room for that.
	 */
	if (mem_reserve_free() < CONTROL_CLIENT_RESERVE)
		return ("out of memory");
	return (NULL);
}

/*
 * Serve a connection whose peer is uid (its client), or refuse it (NULL);
 * watch it for requests unless the caller reads it first and watches it
 * after (control_new_client).
 */
static struct control_client *
control_serve(int fd, uid_t uid, int watch)
{
	struct control_client	*c;
	const char		*why;
	int			 privileged;

	/* Root, or whoever runs this instance, may change things. */
	privileged = !control_system || uid == 0 || uid == geteuid();
	if ((why = control_admit(uid, privileged)) != NULL) {
		control_refuse(fd, why);
		return (NULL);
	}
	if ((c = mem_zalloc(sizeof(*c))) == NULL) {
		control_refuse(fd, "out of memory");
		return (NULL);
	}
	c->uid = uid;
	c->privileged = privileged;
	TAILQ_INIT(&c->watches);
	c->fd = fd;
	event_assign(&c->rev, control_base, fd, EV_READ | EV_PERSIST,
	    control_read_cb, c);
	event_assign(&c->wev, control_base, fd, EV_WRITE | EV_PERSIST,
	    control_write_cb, c);
	if (watch && event_add(&c->rev, NULL) != 0) {
		free(c);
		(void)close(fd);
		log_warnx("control: cannot watch a client; refusing it");
		return (NULL);
	}
	TAILQ_INSERT_TAIL(&control_clients, c, entry);
	control_nclients++;
	if (control_refused != 0) {
		log_notice("control: serving clients again (%lu refused)",
		    control_refused);
		control_refused = 0;
	}
	return (c);
}

/*
 * Serve a newly accepted connection, and its request if it came with it.
 * (Not so for control_adopt, called while a service is being launched,
 * which a request must not break into.)
 */
static void
control_new_client(int fd)
{
	struct control_client	*c;
	uid_t			 uid;

	if (osdep_peer_uid(fd, &uid) != 0) {
		log_warn("control: cannot tell who the peer is; refusing");
		(void)close(fd);
		return;
	}
	if ((c = control_serve(fd, uid, 0)) == NULL)
		return;
	control_read_now(c);
	/*
	 * Watched only now: a client whose requests came with it and ended
	 * with REQ_BYE (dinitctl status) has been answered and closed
	 * without the descriptor ever joining the loop's.  (A paused one
	 * is watched again once its output drains.)
	 */
	if (!c->dead && !c->closing && !c->paused &&
	    event_add(&c->rev, NULL) != 0)
		control_drop(c, "cannot watch it");
}

/*
 * Serve our end of the connected pair a pass-cs-fd service was given (a
 * non-blocking, close-on-exec descriptor).  dinit made the pair, so the
 * client may do what dinit's own user may, even before the control socket
 * exists.  On failure the service sees end of file.
 */
void
control_adopt(int fd, const char *service)
{
	if (control_base == NULL) {
		log_warnx("service %s: no control server for its descriptor",
		    service);
		(void)close(fd);
		return;
	}
	(void)control_serve(fd, geteuid(), 1);
}

/* Keep a descriptor aside for refusing clients when there are none. */
static void
control_spare_open(void)
{
	if (control_spare_fd == -1 && control_fd != -1)
		control_spare_fd = fcntl(control_fd, F_DUPFD_CLOEXEC, 0);
}

/*
 * Out of descriptors: give the spare one up to accept a connection and
 * refuse it, then take the spare back.  1 when a client was refused, 0
 * when none was waiting, -1 when even that could not be done.
 */
static int
control_refuse_spare(int lfd)
{
	int	fd, saved;

	if (control_spare_fd == -1)
		return (-1);
	(void)close(control_spare_fd);
	control_spare_fd = -1;
	fd = control_accept_one(lfd);
	saved = errno;
	if (fd >= 0)
		control_refuse(fd, "dinit is out of file descriptors");
	control_spare_open();
	if (fd >= 0)
		return (1);
	errno = saved;
	return (errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1);
}

/* Accept again: a descriptor came free, or the pause is over. */
static void
control_resume(void)
{
	evtimer_del(&control_backoff_ev);
	control_spare_open();
	if (event_add(&control_accept_ev, NULL) != 0)
		log_warnx("control: cannot watch the socket again");
}

/*
 * Accepting fails for want of descriptors or memory, and the socket stays
 * readable: stop watching it for a while instead of spinning.  The pause
 * starts short and doubles while the failure lasts; it ends early when a
 * client goes.
 */
static void
control_backoff(void)
{
	struct timeval	tv;

	if (control_backoff_ms == 0)
		control_backoff_ms = CONTROL_BACKOFF_MIN;
	else if ((control_backoff_ms *= 2) > CONTROL_BACKOFF_MAX)
		control_backoff_ms = CONTROL_BACKOFF_MAX;
	tv.tv_sec = control_backoff_ms / 1000;
	tv.tv_usec = (control_backoff_ms % 1000) * 1000;
	event_del(&control_accept_ev);
	if (evtimer_add(&control_backoff_ev, &tv) != 0)
		control_resume();
}

/* The pause after a failed accept is over. */
static void
control_backoff_cb(evutil_socket_t fd, short what, void *arg)
{
	control_resume();
}

/* Accept one connection, non-blocking and close-on-exec; -1 and errno. */
static int
control_accept_one(int lfd)
{
	int	fd;

#ifdef HAVE_ACCEPT4
	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
	fd = accept(lfd, NULL, NULL);
	if (fd >= 0) {
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
		(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	}
#endif
	return (fd);
}

/*
 * Connections are waiting: accept a batch of them (the rest on the next
 * turn of the loop, so that the clients already in are read first).
 */
static void
control_accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	int	fd, n, r;

	for (n = 0; n < CONTROL_ACCEPT_BATCH; n++) {
		if ((fd = control_accept_one(lfd)) >= 0) {
			control_backoff_ms = 0;
			control_spare_open();
			control_new_client(fd);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			break;
		if (errno == EMFILE || errno == ENFILE) {
			if ((r = control_refuse_spare(lfd)) > 0)
				continue;
			if (r == 0)
				break;
		}
		if (control_backoff_ms == 0)
			log_warn("control: accept");
		control_backoff();
		break;
	}
}

/*
 * Create the control socket at path, owner-only.  Refuses (-1, EADDRINUSE)
 * when another instance answers there, and replaces a stale socket.  ops
 * says what the daemon lets its clients ask of it.
 */
int
control_open(struct event_base *base, struct service_set *set,
    const char *path, int system, const struct control_ops *ops)
{
	struct sockaddr_un	sun;
	mode_t			old;
	int			fd, probe;

	control_base = base;
	control_set = set;
	control_system = system;
	control_ops = *ops;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	if ((probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return (-1);
	if (connect(probe, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		(void)close(probe);
		errno = EADDRINUSE;
		return (-1);
	}
	(void)close(probe);
	if (unlink(path) != 0 && errno != ENOENT)
		return (-1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) < 0)
		return (-1);
	old = umask(0077);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		(void)umask(old);
		(void)close(fd);
		return (-1);
	}
	(void)umask(old);
	if (chmod(path, 0600) != 0 || listen(fd, CONTROL_BACKLOG) != 0) {
		(void)unlink(path);
		(void)close(fd);
		return (-1);
	}
	if ((control_path = mem_strdup(path)) == NULL) {
		(void)unlink(path);
		(void)close(fd);
		return (-1);
	}
	control_fd = fd;
	control_spare_open();
	event_assign(&control_accept_ev, base, fd, EV_READ | EV_PERSIST,
	    control_accept_cb, NULL);
	evtimer_assign(&control_backoff_ev, base, control_backoff_cb, NULL);
	event_assign(&control_reap_ev, base, -1, 0, control_reap, NULL);
	event_assign(&control_write_ev, base, -1, 0, control_write_unsent,
	    NULL);
	if (event_add(&control_accept_ev, NULL) != 0) {
		control_close();
		errno = ENOMEM;
		return (-1);
	}
	return (0);
}

/*
 * Write what is queued for a client at once, as far as the socket takes
 * it without blocking: the event loop will not run again to send it.
 */
static void
control_flush(struct control_client *c)
{
	ssize_t	n;

	while (c->out_len > 0 && (n = control_write_fd(c->fd,
	    c->out + c->out_off, c->out_len)) > 0) {
		c->out_off += (size_t)n;
		c->out_len -= (size_t)n;
	}
}

/* Close the socket, remove its file and drop every client. */
void
control_close(void)
{
	struct control_client	*c;

	if (control_fd == -1)
		return;
	event_del(&control_accept_ev);
	event_del(&control_backoff_ev);
	(void)close(control_fd);
	control_fd = -1;
	if (control_spare_fd != -1) {
		(void)close(control_spare_fd);
		control_spare_fd = -1;
	}
	control_backoff_ms = 0;
	if (control_path != NULL) {
		(void)unlink(control_path);
		free(control_path);
		control_path = NULL;
	}
	while ((c = TAILQ_FIRST(&control_clients)) != NULL) {
		control_flush(c);
		control_drop(c, NULL);
	}
	control_reap(-1, 0, NULL);
	event_del(&control_reap_ev);
	event_del(&control_write_ev);
}
