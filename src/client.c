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
 * dinit-shutdown: connect and greet, send a message, read one.  These are
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
static uint8_t	client_buf[PROTO_MAX_MESSAGE + 4];	/* a request */

/* Start a request of the given type in the client's buffer. */
void
client_begin(struct proto_writer *w, uint16_t type)
{
	proto_begin(w, client_buf, sizeof(client_buf), type);
}

/* Write a finished message; -1 (errno set) when the daemon is gone. */
static int
client_write(const struct proto_writer *w)
{
	size_t	off = 0;
	ssize_t	n;

	while (off < w->len) {
		/* A daemon gone is an error here, not a SIGPIPE. */
		n = send(client_fd, w->buf + off, w->len - off, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		off += (size_t)n;
	}
	return (0);
}

/* Write a whole message to the daemon. */
void
client_send(struct proto_writer *w)
{
	if (proto_end(w) != 0)
		errx(1, "request too large");
	if (client_write(w) != 0)
		err(1, "write to dinit");
}

/*
 * What the daemon sent that is not read yet, [client_in_start,
 * client_in_end): read(2) takes as much as has come, so that a list's
 * records come many to a call rather than two calls each.  Its size is
 * that of the largest frame, which it then holds whole.
 */
static uint8_t	client_in[4 + PROTO_MAX_MESSAGE];
static size_t	client_in_start, client_in_end;

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

/*
 * Read one message; returns its type with a reader over its payload, or
 * 0 when the daemon closed the connection.
 */
uint16_t
client_recv(struct proto_reader *r)
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

/* Connect to the socket at path (which this frees) and greet the daemon. */
void
client_connect(char *path, int user_hint)
{
	struct sockaddr_un	 sun;

	if (path == NULL)
		errx(1, "out of memory");
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
	free(path);
	client_greet();
}

/* Greet the daemon on client_fd: agree on a protocol version. */
void
client_greet(void)
{
	struct proto_writer	 w;
	struct proto_reader	 r;
	char			 msg[1024];
	uint16_t		 type;

	client_begin(&w, REQ_HELLO);
	proto_put_u16(&w, PROTO_MIN_VERSION);
	proto_put_u16(&w, PROTO_VERSION);
	/*
	 * A daemon that cannot serve us (too many clients, out of
	 * descriptors) says why and closes at once, maybe before our
	 * greeting arrives: what it said is still there to read.
	 */
	if (proto_end(&w) != 0)
		errx(1, "request too large");
	if (client_write(&w) != 0 && errno != EPIPE && errno != ECONNRESET)
		err(1, "write to dinit");
	type = client_reply(&r);
	if (type == REP_ERROR) {
		(void)client_error(&r, msg, sizeof(msg));
		errx(1, "dinit refused the connection: %s", msg);
	}
	if (type != REP_HELLO)
		errx(1, "dinit speaks an unknown protocol");
	client_version = proto_get_u16(&r);
	if (client_version < PROTO_MIN_VERSION ||
	    client_version > PROTO_VERSION)
		errx(1, "dinit speaks an unknown protocol");
}
