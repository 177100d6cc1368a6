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
 * The client side of the control protocol, shared by dinitctl and
 * dinit-shutdown: connect, send a message (the greeting in front of the
 * first), read one.  These are
 * utilities, so failures end the program with err(3).
 */

#include "dinit.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "protocol.h"

/* Where send(2) has no MSG_NOSIGNAL, SIGPIPE must be ignored instead. */
#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL	0
#endif

int		client_fd = -1;
uint16_t	client_version;		/* agreed on in the greeting */

/*
 * What the daemon sent that is not read yet, [client_in_start,
 * client_in_end): read(2) takes as much as has come, so that a list's
 * records come many to a call rather than two calls each.  Its size is
 * that of the largest frame, which it then holds whole.
 */
static uint8_t	client_in[4 + PROTO_MAX_MESSAGE];
static size_t	client_in_start, client_in_end;

/*
 * A request is built after room for the greeting, so that the greeting
 * goes out in front of the first request, in the same write.
 */
#define CLIENT_HELLO_LEN	(PROTO_HEADER_SIZE + 4)
#define CLIENT_BYE_LEN		PROTO_HEADER_SIZE	/* a REQ_BYE behind it */
static uint8_t	client_out[CLIENT_HELLO_LEN + 4 + PROTO_MAX_MESSAGE +
		    CLIENT_BYE_LEN];
static int	client_bye;		/* the next request is the last */

/* Where the greeting is: queued, sent unanswered, or done. */
static enum {
	CLIENT_GREET_QUEUED,
	CLIENT_GREET_SENT,
	CLIENT_GREET_DONE
}		client_greeting = CLIENT_GREET_DONE;
static uint16_t	client_greet_min;	/* the lowest version it offers */
static char	*client_path;		/* NULL: a descriptor we were given */
static int	client_user_hint;

/* Start a request of the given type in the client's buffer. */
void
client_begin(struct proto_writer *w, uint16_t type)
{
	proto_begin(w, client_out + CLIENT_HELLO_LEN,
	    sizeof(client_out) - CLIENT_HELLO_LEN - CLIENT_BYE_LEN, type);
}

/* Write len bytes; -1 (errno set) when the daemon is gone. */
static int
client_write(const uint8_t *p, size_t len)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < len) {
		/* A daemon gone is an error here, not a SIGPIPE. */
		n = send(client_fd, p + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		off += (size_t)n;
	}
	return (0);
}

/*
 * Write a message, the queued greeting in front of it (p is then
 * CLIENT_HELLO_LEN bytes after the start of client_out).  Until the
 * greeting is answered, a daemon that closed may have said why (it could
 * not take the connection, or speaks none of the versions offered): the
 * reply to the greeting tells, so a failed write is no error yet.
 */
static void
client_write_message(const uint8_t *p, size_t len)
{
	struct proto_writer	w;

	if (client_greeting == CLIENT_GREET_QUEUED) {
		proto_begin(&w, client_out, CLIENT_HELLO_LEN, REQ_HELLO);
		proto_put_u16(&w, client_greet_min);
		proto_put_u16(&w, PROTO_VERSION);
		if (proto_end(&w) != 0)
			errx(1, "request too large");
		p -= CLIENT_HELLO_LEN;
		len += CLIENT_HELLO_LEN;
		client_greeting = CLIENT_GREET_SENT;
	}
	if (client_write(p, len) != 0 && (client_greeting ==
	    CLIENT_GREET_DONE || (errno != EPIPE && errno != ECONNRESET)))
		err(1, "write to dinit");
}

/* Write a whole message to the daemon (and a REQ_BYE: client_last). */
void
client_send(struct proto_writer *w)
{
	struct proto_writer	bye;
	size_t			len;

	if (proto_end(w) != 0)
		errx(1, "request too large");
	len = w->len;
	if (client_bye) {
		proto_begin(&bye, w->buf + len, CLIENT_BYE_LEN, REQ_BYE);
		(void)proto_end(&bye);
		len += CLIENT_BYE_LEN;
		client_bye = 0;
	}
	client_write_message(w->buf, len);
}

/*
 * Have at least len bytes (at most a frame) unread in client_in, reading
 * as many as have come; 0, or -1 at end of file before any byte.
 */
static int
client_fill(size_t len)
{
	size_t	have;
	ssize_t	n;

	while ((have = client_in_end - client_in_start) < len) {
		if (client_in_start + len > sizeof(client_in)) {
			memmove(client_in, client_in + client_in_start, have);
			client_in_start = 0;
			client_in_end = have;
		}
		n = read(client_fd, client_in + client_in_end,
		    sizeof(client_in) - client_in_end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			err(1, "read from dinit");
		if (n == 0) {
			if (have == 0)
				return (-1);
			errx(1, "connection to dinit closed mid-message");
		}
		client_in_end += (size_t)n;
	}
	return (0);
}

/* Read the next message as it comes: its type, or 0 at end of file. */
static uint16_t
client_next(struct proto_reader *r)
{
	const uint8_t	*p;
	uint16_t	 type;
	size_t		 total;

	if (client_in_start == client_in_end)
		client_in_start = client_in_end = 0;
	if (client_fill(PROTO_HEADER_SIZE) != 0)
		return (0);
	if (proto_frame(client_in + client_in_start, PROTO_HEADER_SIZE,
	    &type, &total) < 0)
		errx(1, "malformed message from dinit");
	(void)client_fill(total);
	/* Valid until the next read: client_fill may move what is unread. */
	p = client_in + client_in_start;
	client_in_start += total;
	proto_reader_init(r, p + PROTO_HEADER_SIZE, total - PROTO_HEADER_SIZE);
	return (type);
}

/* Connect to the socket at path. */
static void
client_open(const char *path, int user_hint)
{
	struct sockaddr_un	 sun;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		errx(1, "socket path too long: %s", path);
	if ((client_fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		err(1, "socket");
	if (connect(client_fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		warn("cannot connect to %s", path);
		if (errno == ENOENT && user_hint)
			warnx("perhaps no user instance is running?");
		exit(1);
	}
}

/*
 * Read the answer to the greeting, the first message on the connection.
 * 0 when the daemon speaks a version offered; -1 when it refused because
 * it is older than the lowest one (and the greeting asked for more than
 * PROTO_MIN_VERSION): the connection is then made again and greeted, and
 * client_version says what the daemon speaks.
 */
static int
client_greet_reply(void)
{
	struct proto_reader	 r;
	char			 msg[1024];
	uint16_t		 type, code;

	client_greeting = CLIENT_GREET_DONE;
	type = client_next(&r);
	if (type == 0)
		errx(1, "connection to dinit closed");
	if (type == REP_ERROR) {
		code = client_error(&r, msg, sizeof(msg));
		if (code == PERR_BAD_REQUEST && client_path != NULL &&
		    client_greet_min > PROTO_MIN_VERSION) {
			(void)close(client_fd);
			client_in_start = client_in_end = 0;
			client_open(client_path, client_user_hint);
			client_greeting = CLIENT_GREET_QUEUED;
			client_greet_min = PROTO_MIN_VERSION;
			client_greet();
			return (-1);
		}
		errx(1, "dinit refused the connection: %s", msg);
	}
	if (type != REP_HELLO)
		errx(1, "dinit speaks an unknown protocol");
	client_version = proto_get_u16(&r);
	if (client_version < client_greet_min ||
	    client_version > PROTO_VERSION)
		errx(1, "dinit speaks an unknown protocol");
	return (0);
}

/*
 * Read one message; returns its type with a reader over its payload, 0
 * when the daemon closed the connection, or CLIENT_RETRY when the first
 * request was not made: it needed a version newer than the daemon's (see
 * client_speaks).
 */
uint16_t
client_recv(struct proto_reader *r)
{
	if (client_greeting == CLIENT_GREET_SENT && client_greet_reply() != 0)
		return (CLIENT_RETRY);
	return (client_next(r));
}

/* Read the reply to a request (events that arrive first are skipped). */
uint16_t
client_reply(struct proto_reader *r)
{
	uint16_t	type;

	while ((type = client_recv(r)) == REP_EVENT)
		;
	if (type == 0)
		errx(1, "connection to dinit closed");
	return (type);
}

/* Read a REP_ERROR: its message into msg (len bytes); returns its code. */
uint16_t
client_error(struct proto_reader *r, char *msg, size_t len)
{
	uint16_t	code = proto_get_u16(r);

	(void)proto_get_str(r, msg, len);
	return (code);
}

/*
 * The socket to talk to: path if given, $DINIT_SOCKET_PATH, or the
 * default of a system (root, or asked for) or user instance.
 */
char *
client_socket_path(const char *path, int system, int user)
{
	const char	*dir, *env;
	char		*p;

	if (path != NULL)
		return (strdup(path));
	if ((env = getenv("DINIT_SOCKET_PATH")) != NULL && *env != '\0')
		return (strdup(env));
	if (system || (!user && getuid() == 0))
		return (strdup(DINIT_CONTROL_SOCKET));
	if ((dir = getenv("XDG_RUNTIME_DIR")) != NULL && *dir != '\0') {
		if (asprintf(&p, "%s/dinitctl", dir) < 0)
			return (NULL);
		return (p);
	}
	if ((dir = getenv("HOME")) == NULL || *dir == '\0')
		errx(1, "cannot tell where the socket is: set HOME, "
		    "XDG_RUNTIME_DIR or DINIT_SOCKET_PATH, or use -p");
	if (asprintf(&p, "%s/.dinitctl", dir) < 0)
		return (NULL);
	return (p);
}

/*
 * Connect to the socket at path (which is kept, to connect again).  The
 * greeting waits to go out with the first request, so that the daemon
 * answers both at once.
 */
void
client_connect(char *path, int user_hint)
{
	if (path == NULL)
		errx(1, "out of memory");
	client_open(path, user_hint);
	client_path = path;
	client_user_hint = user_hint;
	client_greeting = CLIENT_GREET_QUEUED;
	client_greet_min = PROTO_MIN_VERSION;
}

/* Talk on a connection we were given, greeting it as client_connect does. */
void
client_adopt(int fd)
{
	client_fd = fd;
	client_path = NULL;
	client_greeting = CLIENT_GREET_QUEUED;
	client_greet_min = PROTO_MIN_VERSION;
}

/*
 * Whether the daemon speaks version, which the next request needs.  While
 * the greeting waits for the first request, the answer is yes: the
 * greeting then offers no older version, and should the daemon be older,
 * client_recv says CLIENT_RETRY instead of the reply, the connection made
 * again and greeted.  On a connection we were given, which cannot be made
 * again, the greeting goes out alone first.
 */
int
client_speaks(uint16_t version)
{
	if (client_greeting == CLIENT_GREET_QUEUED && client_path != NULL) {
		if (version > client_greet_min)
			client_greet_min = version;
		return (1);
	}
	client_greet();
	return (client_version >= version);
}

/*
 * Make the next request the last on this connection: a REQ_BYE goes out
 * behind it, in the same write, and the daemon closes the connection once
 * it has answered.  Our own close then wakes nobody: on a virtual machine,
 * waking the daemon's idle CPU is a good part of what a short request
 * costs the client, and a close after the reply would be one wake more.
 * Only on a connection we made (one we were given is not ours to end),
 * to a daemon that speaks PROTO_VERSION_BYE: while the greeting waits for
 * the request, as client_speaks says (a daemon that is older refuses the
 * greeting, and the request is to be made again).  Returns 1 when it
 * will.  client_again makes another request possible after the reply.
 */
int
client_last(void)
{
	client_bye = client_path != NULL && client_speaks(PROTO_VERSION_BYE);
	return (client_bye);
}

/* Connect again, to ask more after a request that was the last. */
void
client_again(void)
{
	(void)close(client_fd);
	client_in_start = client_in_end = 0;
	client_open(client_path, client_user_hint);
	client_greeting = CLIENT_GREET_QUEUED;
	client_greet_min = PROTO_MIN_VERSION;
}

/* Greet the daemon now, if that is not done: agree on a protocol version. */
void
client_greet(void)
{
	if (client_greeting == CLIENT_GREET_QUEUED)
		client_write_message(client_out + CLIENT_HELLO_LEN, 0);
	if (client_greeting == CLIENT_GREET_SENT)
		(void)client_greet_reply();
}
