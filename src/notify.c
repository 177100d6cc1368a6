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
 * Readiness by notification socket (ready-notification = notify): the
 * protocol of systemd's sd_notify, so a daemon written for it works
 * unchanged on every platform.  Each service that asks gets a datagram
 * socket of its own, bound next to the control socket and named to it in
 * NOTIFY_SOCKET; only the service's user (and root) may write to it.  A
 * datagram holds NAME=VALUE lines: READY=1 says the service has started,
 * STATUS= is a line of text for dinitctl status, MAINPID= names the
 * daemon of a bgprocess service.  Other lines are ignored.
 *
 * Abstract socket names (systemd's "@") exist only on Linux, so the
 * socket is always a file.
 */

#include "dinit.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#define NOTIFY_DATAGRAM		4096	/* what one message may hold */
#define NOTIFY_RCVBUF		65536	/* room for a burst of messages */
#define NOTIFY_STATUS_MAX	128	/* kept of a STATUS= line */

/* A service's notification socket, and what its messages said. */
struct notify_socket {
	int		 fd;		/* -1: not open */
	struct event	 ev;
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct service	*service;
	void		(*on_message)(struct service *);
	int		 ready;		/* READY=1 came */
	pid_t		 main_pid;	/* MAINPID=, or 0 */
	char		 status[NOTIFY_STATUS_MAX];	/* STATUS= */
};

static struct event_base	*notify_base;
static char			 notify_prefix[sizeof(((struct sockaddr_un *)0)
				    ->sun_path)];
static unsigned long		 notify_serial;

/*
 * Where notification sockets go: "<control socket>.notify.<n>", next to
 * the control socket, whose directory dinit already owns.
 */
void
notify_init(struct event_base *base, const char *control_path)
{
	notify_base = base;
	(void)snprintf(notify_prefix, sizeof(notify_prefix), "%s.notify.",
	    control_path);
}

/* Make the record of a service's notification socket (not opened yet). */
struct notify_socket *
notify_new(void)
{
	struct notify_socket	*ns;

	if ((ns = mem_zalloc(sizeof(*ns))) == NULL)
		return (NULL);
	ns->fd = -1;
	return (ns);
}

/* Close the socket, remove its file, and free the record. */
void
notify_free(struct notify_socket *ns)
{
	if (ns == NULL)
		return;
	notify_close(ns);
	free(ns);
}

/* Close the socket and remove its file (the record stays). */
void
notify_close(struct notify_socket *ns)
{
	if (ns == NULL || ns->fd == -1)
		return;
	event_del(&ns->ev);
	(void)close(ns->fd);
	(void)unlink(ns->path);
	ns->fd = -1;
}

/* Keep the value of a STATUS= line, cut at the room there is. */
static void
notify_status(struct notify_socket *ns, const char *value, size_t len)
{
	size_t	i;

	if (len >= sizeof(ns->status))
		len = sizeof(ns->status) - 1;
	for (i = 0; i < len; i++) {
		/* Control characters would garble a terminal. */
		ns->status[i] = (unsigned char)value[i] < ' ' ? ' ' : value[i];
	}
	ns->status[len] = '\0';
}

/* A MAINPID= line: a positive decimal pid, else ignored. */
static void
notify_parse_pid(struct notify_socket *ns, const char *value, size_t len)
{
	char		buf[24], *end;
	long long	n;

	if (len == 0 || len >= sizeof(buf))
		return;
	memcpy(buf, value, len);
	buf[len] = '\0';
	errno = 0;
	n = strtoll(buf, &end, 10);
	if (*end != '\0' || errno != 0 || n <= 1 || n != (pid_t)n)
		return;
	ns->main_pid = (pid_t)n;
}

/* Act on one datagram: its lines, in order. */
static void
notify_message(struct notify_socket *ns, const char *msg, size_t len)
{
	const char	*line, *end, *eq;
	size_t		 n;

	for (line = msg; line < msg + len; line = end + 1) {
		if ((end = memchr(line, '\n', (size_t)(msg + len - line))) ==
		    NULL)
			end = msg + len;
		n = (size_t)(end - line);
		if ((eq = memchr(line, '=', n)) == NULL)
			continue;
		if (n == 7 && memcmp(line, "READY=1", 7) == 0)
			ns->ready = 1;
		else if (eq - line == 6 && memcmp(line, "STATUS", 6) == 0)
			notify_status(ns, eq + 1, (size_t)(end - eq - 1));
		else if (eq - line == 7 && memcmp(line, "MAINPID", 7) == 0)
			notify_parse_pid(ns, eq + 1, (size_t)(end - eq - 1));
	}
}

/*
 * Act on every datagram waiting on the socket now.  The process layer
 * calls this itself where the order matters: a start command that sent
 * MAINPID= and exited may be reaped before the loop saw the message.
 */
void
notify_poll(struct notify_socket *ns)
{
	char		msg[NOTIFY_DATAGRAM];
	ssize_t		n;

	if (ns == NULL || ns->fd == -1)
		return;
	for (;;) {
		n = recv(ns->fd, msg, sizeof(msg), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		notify_message(ns, msg, (size_t)n);
	}
}

/* Datagrams arrived: read them all, then tell the process layer. */
static void
notify_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct notify_socket	*ns = arg;

	notify_poll(ns);
	ns->on_message(ns->service);
}

/*
 * Open the notification socket of a service unless it is open: a
 * datagram socket at a fresh path, mode 600, owned by uid (-1: ours),
 * watched for messages that on_message(service) hears about.  The state
 * of the last messages is forgotten.  0, or -1 with errno (logged).
 */
int
notify_open(struct notify_socket *ns, struct service *s, uid_t uid,
    void (*on_message)(struct service *))
{
	struct sockaddr_un	sun;
	int			fd, n, size = NOTIFY_RCVBUF;

	ns->ready = 0;
	ns->main_pid = 0;
	if (ns->fd != -1)
		return (0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	n = snprintf(sun.sun_path, sizeof(sun.sun_path), "%s%lu",
	    notify_prefix, ++notify_serial);
	if (notify_prefix[0] == '\0' || n < 0 ||
	    (size_t)n >= sizeof(sun.sun_path)) {
		log_warnx("service %s: no room for a notification socket "
		    "path next to the control socket", s->name);
		errno = ENAMETOOLONG;
		return (-1);
	}
	/* A file of an earlier run of dinit may be in the way. */
	(void)unlink(sun.sun_path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) < 0)
		goto fail;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    chmod(sun.sun_path, 0600) != 0 ||
	    (uid != (uid_t)-1 && chown(sun.sun_path, uid, (gid_t)-1) != 0))
		goto fail_fd;
	(void)strlcpy(ns->path, sun.sun_path, sizeof(ns->path));
	ns->service = s;
	ns->on_message = on_message;
	event_assign(&ns->ev, notify_base, fd, EV_READ | EV_PERSIST,
	    notify_read_cb, ns);
	if (event_add(&ns->ev, NULL) != 0) {
		errno = ENOMEM;
		goto fail_fd;
	}
	ns->fd = fd;
	ns->status[0] = '\0';
	return (0);
fail_fd:
	n = errno;
	(void)close(fd);
	(void)unlink(sun.sun_path);
	errno = n;
fail:
	log_warn("service %s: cannot make notification socket %s", s->name,
	    sun.sun_path);
	return (-1);
}

/* The path of the open socket, for NOTIFY_SOCKET. */
const char *
notify_path(const struct notify_socket *ns)
{
	return (ns->path);
}

/* Whether READY=1 came since the socket was (re)armed by notify_open. */
int
notify_ready(const struct notify_socket *ns)
{
	return (ns != NULL && ns->ready);
}

/* The pid MAINPID= named since then, or 0. */
pid_t
notify_pid(const struct notify_socket *ns)
{
	return (ns != NULL ? ns->main_pid : 0);
}

/* The last STATUS= text ("" when none). */
const char *
notify_status_text(const struct notify_socket *ns)
{
	return (ns != NULL ? ns->status : "");
}
