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
 * tiny: the long-running service of the benchmarks.  It tells the harness
 * that it runs by writing one record (a magic word and its pid) to the
 * FIFO named by $BENCH_FIFO (or, without it, by its first argument: s6
 * passes the service's name there), then pauses until a signal ends it.
 * Built static so exec costs as little as it can.
 *
 * The record is 8 bytes, far below PIPE_BUF, so each write is atomic
 * however many copies write at once.  The FIFO is opened non-blocking (so
 * a vanished harness cannot hang us in open), then made blocking again:
 * a full FIFO makes us wait for the harness to drain it, never lose the
 * record.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define TINY_MAGIC	0x64696e74u	/* "dint" */

/* What a copy of tiny writes once it runs. */
struct tiny_record {
	uint32_t	magic;
	int32_t		pid;
};

int
main(int argc, char **argv)
{
	struct tiny_record	 rec;
	const char		*path;
	ssize_t			 n;
	int			 fd;

	if ((path = getenv("BENCH_FIFO")) == NULL && argc > 1)
		path = argv[1];
	if (path != NULL &&
	    (fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) >= 0) {
		(void)fcntl(fd, F_SETFL, 0);
		rec.magic = TINY_MAGIC;
		rec.pid = (int32_t)getpid();
		do
			n = write(fd, &rec, sizeof(rec));
		while (n < 0 && errno == EINTR);
		(void)close(fd);
	}
	for (;;)
		pause();
}
