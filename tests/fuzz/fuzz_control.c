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
 * Fuzz target: the control server as it reads a client.  The input is
 * the byte stream one client sends; it goes over the real control socket
 * through the real accept, framing, request table and handlers
 * (src/control.c) to a small service set, and the server's replies are
 * read and dropped.  The engine launches nothing (every launch fails),
 * so services start only if they have no process.  The server must close
 * the connection once the input has ended: one that is never closed is
 * reported as a crash.
 * fuzz-sources: src/control.c
 * fuzz-libs: -levent_core
 */

#include "dinit.h"
#include "protocol.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "fuzz.h"

/* Turns of the event loop before a connection left open is a bug. */
#define FUZZ_CONTROL_TURNS	100000

static struct event_base	*fuzz_base;
static struct service_set	 fuzz_set;

/* Nothing is launched. */
static int
fuzz_launch(struct service *s, enum launch_kind kind, pid_t *pid)
{
	(void)s;
	(void)kind;
	(void)pid;
	errno = ENOSYS;
	return (-1);
}

/* Pretend a signal was sent: no process is ours. */
static int
fuzz_kill(struct service *s, pid_t pid, int sig, int group)
{
	(void)s;
	(void)pid;
	(void)sig;
	(void)group;
	return (0);
}

/* No timers: arming one always works. */
static int
fuzz_timer_set(struct service *s, unsigned long ms)
{
	(void)s;
	(void)ms;
	return (0);
}

/* No timers. */
static void
fuzz_timer_clear(struct service *s)
{
	(void)s;
}

/* Time stands still. */
static uint64_t
fuzz_now(void)
{
	return (0);
}

/* Events go to the clients that watch, as in the daemon. */
static void
fuzz_notify(struct service *s, enum service_event event)
{
	control_service_event(s, event);
}

/* Chains are not followed. */
static void
fuzz_chain(struct service *s, const char *next)
{
	(void)s;
	(void)next;
}

static const struct service_ops fuzz_ops = {
	.launch = fuzz_launch,
	.kill = fuzz_kill,
	.timer_set = fuzz_timer_set,
	.timer_clear = fuzz_timer_clear,
	.now = fuzz_now,
	.notify = fuzz_notify,
	.chain = fuzz_chain,
};

/* A shutdown request is only answered. */
static void
fuzz_shutdown(int how)
{
	(void)how;
}

/* After requests, the engine runs its queue, as in the daemon. */
static void
fuzz_settle(void)
{
	service_drain(&fuzz_set);
}

static const struct control_ops fuzz_control_ops = {
	.shutdown = fuzz_shutdown,
	.settle = fuzz_settle,
};

/*
 * What control.c asks of proc.c and output.c, which are not linked: a
 * process group, no status text, and an empty log buffer (CATLOG's reply
 * as output.c gives it for a service that has written nothing).
 */
enum proc_tree
proc_tree(const struct service *s)
{
	(void)s;
	return (PROC_TREE_GROUP);
}

const char *
proc_status_text(const struct service *s)
{
	(void)s;
	return ("");
}

void
output_log_reply(struct service *s, struct proto_writer *w, int stamps,
    size_t max)
{
	(void)s;
	(void)stamps;
	(void)max;
	proto_put_u8(w, 0);
	proto_put_u32(w, 0);
	proto_put_u32(w, 0);
}

void
output_log_clear(struct service *s)
{
	(void)s;
}

/* The scratch directory's services, and the event base, once. */
static void
fuzz_control_setup(void)
{
	static const char	boot[] = "type = internal\n"
	    "depends-on: int\nwaits-for: proc\n";
	static const char	internal[] = "type = internal\n";
	static const char	proc[] = "type = process\n"
	    "command = /nonexistent/proc\nlog-type = buffer\n";
	static const char	trig[] = "type = triggered\n";
	static const char	tmpl[] = "type = internal\n"
	    "waits-for: int\n";

	fuzz_quiet();
	fuzz_write("boot", boot, sizeof(boot) - 1);
	fuzz_write("int", internal, sizeof(internal) - 1);
	fuzz_write("proc", proc, sizeof(proc) - 1);
	fuzz_write("trig", trig, sizeof(trig) - 1);
	fuzz_write("tmpl", tmpl, sizeof(tmpl) - 1);
	if ((fuzz_base = event_base_new()) == NULL)
		errx(1, "event_base_new");
}

/* Connect a client to the control socket at path, without blocking. */
static int
fuzz_connect(const char *path)
{
	struct sockaddr_un	sun;
	int			fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		err(1, "connect %s", path);
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1)
		err(1, "fcntl");
	return (fd);
}

/*
 * Send the input as one client, reading what comes back, until the
 * server closes the connection.
 */
static void
fuzz_client(const uint8_t *data, size_t len, const char *path)
{
	uint8_t		buf[65536];
	size_t		off = 0;
	ssize_t		n;
	long		turns;
	int		fd, eof = 0;

	fd = fuzz_connect(path);
	for (turns = 0; !eof && turns < FUZZ_CONTROL_TURNS; turns++) {
		if (off < len) {
			n = write(fd, data + off, len - off);
			if (n > 0)
				off += (size_t)n;
			else if (n == -1 && errno != EAGAIN)
				off = len;	/* the server closed first */
			if (off == len)
				(void)shutdown(fd, SHUT_WR);
		} else if (len == 0 && turns == 0)
			(void)shutdown(fd, SHUT_WR);
		(void)event_base_loop(fuzz_base, EVLOOP_NONBLOCK);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			;
		if (n == 0 || (n == -1 && errno != EAGAIN))
			eof = 1;
	}
	if (!eof)
		errx(1, "the server never closed the connection");
	(void)close(fd);
}

/* Serve one input as one client's byte stream. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct environ	 env;
	struct parse_error	 perr;
	const char		*dirs[1];
	char			 path[1024];

	if (fuzz_base == NULL)
		fuzz_control_setup();
	(void)snprintf(path, sizeof(path), "%s", fuzz_path("sock"));
	environ_init(&env);
	(void)environ_set(&env, "HOME", "/nonexistent");
	service_set_init(&fuzz_set, &fuzz_ops);
	fuzz_set.env = &env;
	dirs[0] = fuzz_dir();
	if (load_set_dirs(&fuzz_set, dirs, 1) != 0 ||
	    load_service(&fuzz_set, "boot", &perr) == NULL)
		errx(1, "cannot load the services");
	if (control_open(fuzz_base, &fuzz_set, path, 0,
	    &fuzz_control_ops) != 0)
		err(1, "control_open %s", path);
	fuzz_client(data, len, path);
	control_close();
	/* control_close freed the clients; run what is left active. */
	(void)event_base_loop(fuzz_base, EVLOOP_NONBLOCK);
	service_set_free(&fuzz_set);
	environ_clear(&env);
	return (0);
}
