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
 * Unit tests of log.c: the "dinit: " prefix, level filtering on each sink,
 * status lines, and a non-blocking sink that stalls: logging must not
 * block, must drop whole messages, and once drained must leave only whole
 * lines followed by a marker counting what was discarded.  Sinks are
 * pipes; each test case runs in its own process, so the log's global
 * state starts fresh.
 */

#include "dinit.h"

#include <atf-c.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NMESSAGES	400
#define DOTS		"........................................" \
			"........................................"

static int	hook_calls;
static int	hook_fd;

/* A pipe; the read end non-blocking so a test can read what is there. */
static void
mkpipe(int fds[2], int nonblock_write)
{
	ATF_REQUIRE(pipe(fds) == 0);
	ATF_REQUIRE(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0);
	if (nonblock_write)
		ATF_REQUIRE(fcntl(fds[1], F_SETFL, O_NONBLOCK) == 0);
}

/* Read what a pipe holds now into buf (NUL-terminated); the length. */
static size_t
drain(int fd, char *buf, size_t size)
{
	size_t	len = 0;
	ssize_t	n;

	while (len < size - 1 &&
	    (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	ATF_REQUIRE(len < size - 1);
	buf[len] = '\0';
	return (len);
}

/* Both sinks off; then point one at fd with level. */
static void
only_sink(enum log_sink sink, int fd, enum log_level level)
{
	log_init("dinit");
	log_set_sink(LOG_SINK_MAIN, -1, LOG_LEVEL_NONE);
	log_set_sink(LOG_SINK_CONSOLE, -1, LOG_LEVEL_NONE);
	log_set_sink(sink, fd, level);
}

/* The flush hook: count calls and remember the descriptor. */
static void
flush_hook(enum log_sink sink, int fd)
{
	if (sink == LOG_SINK_MAIN) {
		hook_calls++;
		hook_fd = fd;
	}
}

ATF_TC_WITHOUT_HEAD(prefix);
ATF_TC_BODY(prefix, tc)
{
	char	buf[256];
	int	fds[2];

	mkpipe(fds, 0);
	only_sink(LOG_SINK_MAIN, fds[1], LOG_LEVEL_DEBUG);
	log_info("hello %d", 42);
	log_errorx("%s", "second");
	drain(fds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("dinit: hello 42\ndinit: second\n", buf);
	ATF_CHECK(!log_pending(LOG_SINK_MAIN));
	ATF_CHECK_EQ(fds[1], log_sink_fd(LOG_SINK_MAIN));
}

ATF_TC_WITHOUT_HEAD(level_filter);
ATF_TC_BODY(level_filter, tc)
{
	char	buf[512];
	int	fds[2];

	mkpipe(fds, 0);
	only_sink(LOG_SINK_MAIN, fds[1], LOG_LEVEL_WARN);
	log_debug("debug");
	log_info("info");
	log_notice("notice");
	log_warnx("warn");
	log_errorx("error");
	drain(fds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("dinit: warn\ndinit: error\n", buf);

	log_set_sink(LOG_SINK_MAIN, fds[1], LOG_LEVEL_DEBUG);
	log_debug("debug");
	log_notice("notice");
	drain(fds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("dinit: debug\ndinit: notice\n", buf);

	/* Level none shows nothing, not even errors. */
	log_set_sink(LOG_SINK_MAIN, fds[1], LOG_LEVEL_NONE);
	log_errorx("error");
	drain(fds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("", buf);
}

ATF_TC_WITHOUT_HEAD(two_sinks);
ATF_TC_BODY(two_sinks, tc)
{
	char	buf[512];
	int	mfds[2], cfds[2];

	mkpipe(mfds, 0);
	mkpipe(cfds, 0);
	only_sink(LOG_SINK_MAIN, mfds[1], LOG_LEVEL_INFO);
	log_set_sink(LOG_SINK_CONSOLE, cfds[1], LOG_LEVEL_WARN);
	log_info("only main");
	log_warnx("both");
	drain(mfds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("dinit: only main\ndinit: both\n", buf);
	drain(cfds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("dinit: both\n", buf);
}

ATF_TC_WITHOUT_HEAD(errno_message);
ATF_TC_BODY(errno_message, tc)
{
	char	buf[512], want[512];
	int	fds[2];

	mkpipe(fds, 0);
	only_sink(LOG_SINK_MAIN, fds[1], LOG_LEVEL_DEBUG);
	errno = ENOENT;
	log_warn("cannot open %s", "x");
	ATF_CHECK_EQ(ENOENT, errno);
	log_info("plain");
	ATF_CHECK_EQ(ENOENT, errno);
	(void)snprintf(want, sizeof(want), "dinit: cannot open x: %s\n"
	    "dinit: plain\n", strerror(ENOENT));
	drain(fds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ(want, buf);
}

ATF_TC_WITHOUT_HEAD(long_message);
ATF_TC_BODY(long_message, tc)
{
	char	big[5000], buf[8192];
	size_t	len;
	int	fds[2];

	mkpipe(fds, 0);
	only_sink(LOG_SINK_MAIN, fds[1], LOG_LEVEL_DEBUG);
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_info("%s", big);
	len = drain(fds[0], buf, sizeof(buf));
	/* Cut to one line, still ending in a newline. */
	ATF_CHECK(len > 100 && len < 1100);
	ATF_CHECK_EQ('\n', buf[len - 1]);
	ATF_CHECK(strchr(buf, '\n') == buf + len - 1);
	ATF_CHECK_EQ(0, strncmp(buf, "dinit: yyy", 10));
}

ATF_TC_WITHOUT_HEAD(level_parse);
ATF_TC_BODY(level_parse, tc)
{
	enum log_level	level;

	ATF_CHECK_EQ(0, log_level_parse("debug", &level));
	ATF_CHECK_EQ(LOG_LEVEL_DEBUG, level);
	ATF_CHECK_EQ(0, log_level_parse("info", &level));
	ATF_CHECK_EQ(LOG_LEVEL_INFO, level);
	ATF_CHECK_EQ(0, log_level_parse("notice", &level));
	ATF_CHECK_EQ(LOG_LEVEL_NOTICE, level);
	ATF_CHECK_EQ(0, log_level_parse("warn", &level));
	ATF_CHECK_EQ(LOG_LEVEL_WARN, level);
	ATF_CHECK_EQ(0, log_level_parse("warning", &level));
	ATF_CHECK_EQ(LOG_LEVEL_WARN, level);
	ATF_CHECK_EQ(0, log_level_parse("ERROR", &level));
	ATF_CHECK_EQ(LOG_LEVEL_ERROR, level);
	ATF_CHECK_EQ(0, log_level_parse("none", &level));
	ATF_CHECK_EQ(LOG_LEVEL_NONE, level);
	ATF_CHECK_EQ(-1, log_level_parse("loud", &level));
	ATF_CHECK_EQ(-1, log_level_parse("", &level));
}

ATF_TC_WITHOUT_HEAD(status_line);
ATF_TC_BODY(status_line, tc)
{
	char	buf[512];
	int	mfds[2], cfds[2];

	mkpipe(mfds, 0);
	mkpipe(cfds, 0);
	only_sink(LOG_SINK_MAIN, mfds[1], LOG_LEVEL_DEBUG);
	log_set_sink(LOG_SINK_CONSOLE, cfds[1], LOG_LEVEL_NOTICE);
	log_status("  OK  ", "boot");
	log_status("FAILED", "net");
	drain(cfds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("[  OK  ] boot\n[FAILED] net\n", buf);
	/* Status lines are for the console only. */
	drain(mfds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("", buf);

	/* A console at level none shows status lines but no messages. */
	log_set_sink(LOG_SINK_CONSOLE, cfds[1], LOG_LEVEL_NONE);
	log_errorx("an error");
	log_status("  OK  ", "late");
	drain(cfds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("[  OK  ] late\n", buf);

	/* No console: nothing, and nothing strays to the main log. */
	log_set_sink(LOG_SINK_CONSOLE, -1, LOG_LEVEL_NONE);
	log_status("  OK  ", "nowhere");
	drain(cfds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("", buf);
	drain(mfds[0], buf, sizeof(buf));
	ATF_CHECK_STREQ("dinit: an error\n", buf);
}

/*
 * Check that text holds whole lines only: messages "dinit: message N ..."
 * in increasing order, at most one marker counting the messages missing.
 * Returns the number of messages kept.  The text is cut up on the way.
 */
static int
check_lines(char *text, int nmessages, int *marker_seen)
{
	char		*line, *nl, want[256];
	unsigned long	 dropped = 0;
	int		 next = 0, kept = 0, n;

	*marker_seen = 0;
	ATF_REQUIRE_MSG(*text == '\0' || text[strlen(text) - 1] == '\n',
	    "the text ends in a partial line");
	for (line = text; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		if (sscanf(line, "dinit: *** %lu log message(s) discarded",
		    &dropped) == 1) {
			ATF_CHECK_MSG(!*marker_seen, "two markers");
			*marker_seen = 1;
			continue;
		}
		ATF_REQUIRE_MSG(sscanf(line, "dinit: message %d", &n) == 1,
		    "not a whole message: '%.60s'", line);
		ATF_CHECK_MSG(n >= next, "message %d out of order", n);
		(void)snprintf(want, sizeof(want), "dinit: message %05d %s",
		    n, DOTS);
		ATF_CHECK_STREQ_MSG(want, line, "message %d damaged", n);
		next = n + 1;
		kept++;
	}
	if (*marker_seen)
		ATF_CHECK_EQ_MSG((unsigned long)(nmessages - kept), dropped,
		    "the marker says %lu dropped, %d are missing", dropped,
		    nmessages - kept);
	return (kept);
}

ATF_TC_WITHOUT_HEAD(full_sink_drops_whole_messages);
ATF_TC_BODY(full_sink_drops_whole_messages, tc)
{
	static char	 text[1 << 20];
	char		 filler[4096], chunk[65536];
	size_t		 filled = 0, len = 0, skip;
	ssize_t		 n;
	int		 fds[2], i, kept, marker, rounds;

	mkpipe(fds, 1);
	only_sink(LOG_SINK_MAIN, fds[1], LOG_LEVEL_DEBUG);
	log_set_flush_hook(flush_hook);

	/* Fill the pipe until a write would block. */
	memset(filler, 'F', sizeof(filler));
	for (;;) {
		n = write(fds[1], filler, sizeof(filler));
		if (n < 0) {
			ATF_REQUIRE_EQ(EAGAIN, errno);
			break;
		}
		filled += (size_t)n;
	}
	while ((n = write(fds[1], filler, 1)) == 1)
		filled++;
	ATF_REQUIRE(filled > 0);

	/*
	 * Far more than the ring holds.  A blocking write would hang here:
	 * the alarm turns that into a failure.
	 */
	(void)alarm(20);
	for (i = 0; i < NMESSAGES; i++)
		log_info("message %05d %s", i, DOTS);
	(void)alarm(0);
	ATF_CHECK(log_pending(LOG_SINK_MAIN));
	ATF_CHECK(hook_calls > 0);
	ATF_CHECK_EQ(fds[1], hook_fd);

	/* Read, flush, until nothing is pending and the pipe is empty. */
	for (rounds = 0; rounds < 1000; rounds++) {
		while ((n = read(fds[0], chunk, sizeof(chunk))) > 0) {
			ATF_REQUIRE(len + (size_t)n < sizeof(text));
			memcpy(text + len, chunk, (size_t)n);
			len += (size_t)n;
		}
		if (!log_pending(LOG_SINK_MAIN))
			break;
		log_flush(LOG_SINK_MAIN);
	}
	ATF_REQUIRE(!log_pending(LOG_SINK_MAIN));
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0) {
		memcpy(text + len, chunk, (size_t)n);
		len += (size_t)n;
	}
	text[len] = '\0';

	ATF_REQUIRE(len >= filled);
	for (skip = 0; skip < filled; skip++)
		ATF_REQUIRE_MSG(text[skip] == 'F',
		    "log text inside the filler");
	ATF_CHECK(strstr(text + filled, "discarded") != NULL);
	kept = check_lines(text + filled, NMESSAGES, &marker);
	ATF_CHECK_MSG(kept > 0, "nothing was kept");
	ATF_CHECK_MSG(kept < NMESSAGES, "nothing was dropped");
	ATF_CHECK_MSG(marker, "no marker for the discarded messages");

	/* Drained, the sink is written directly again. */
	log_info("after");
	len = 0;
	while ((n = read(fds[0], chunk, sizeof(chunk) - 1)) > 0)
		len += (size_t)n;
	ATF_CHECK_EQ(strlen("dinit: after\n"), len);
	ATF_CHECK(!log_pending(LOG_SINK_MAIN));
}

ATF_TC_WITHOUT_HEAD(stalled_sink_keeps_order);
ATF_TC_BODY(stalled_sink_keeps_order, tc)
{
	static char	 text[1 << 18];
	char		 filler[4096], chunk[4096];
	size_t		 filled = 0, len = 0;
	ssize_t		 n;
	int		 fds[2], kept, marker, i;

	/* A few messages while stalled all fit: none is lost or reordered. */
	mkpipe(fds, 1);
	only_sink(LOG_SINK_MAIN, fds[1], LOG_LEVEL_DEBUG);
	memset(filler, 'F', sizeof(filler));
	while ((n = write(fds[1], filler, sizeof(filler))) > 0)
		filled += (size_t)n;
	while ((n = write(fds[1], filler, 1)) == 1)
		filled++;
	for (i = 0; i < 10; i++) {
		errno = ENOENT;
		log_info("message %05d %s", i, DOTS);
		/* EAGAIN from the sink does not leak out. */
		ATF_CHECK_EQ(ENOENT, errno);
	}
	ATF_CHECK(log_pending(LOG_SINK_MAIN));
	/*
	 * Room in the pipe again, but not flushed yet: later messages must
	 * queue behind the buffered ones, not overtake them.
	 */
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0) {
		memcpy(text + len, chunk, (size_t)n);
		len += (size_t)n;
	}
	for (i = 10; i < 15; i++)
		log_info("message %05d %s", i, DOTS);
	for (i = 0; i < 1000 && log_pending(LOG_SINK_MAIN); i++) {
		while ((n = read(fds[0], chunk, sizeof(chunk))) > 0) {
			memcpy(text + len, chunk, (size_t)n);
			len += (size_t)n;
		}
		log_flush(LOG_SINK_MAIN);
	}
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0) {
		memcpy(text + len, chunk, (size_t)n);
		len += (size_t)n;
	}
	text[len] = '\0';
	ATF_REQUIRE(len > filled);
	kept = check_lines(text + filled, 15, &marker);
	ATF_CHECK_EQ(15, kept);
	ATF_CHECK(!marker);
}

ATF_TC_WITHOUT_HEAD(pending_sink_keeps_newest);
ATF_TC_BODY(pending_sink_keeps_newest, tc)
{
	static char	 text[1 << 17];
	char		 want[256];
	size_t		 len;
	int		 fds[2], kept, marker, i;

	/* No descriptor yet: everything waits, the oldest make room. */
	only_sink(LOG_SINK_CONSOLE, -1, LOG_LEVEL_NONE);
	log_set_pending(LOG_SINK_MAIN, LOG_LEVEL_INFO);
	for (i = 0; i < NMESSAGES; i++)
		log_info("message %05d %s", i, DOTS);
	log_debug("below the level");
	ATF_CHECK(log_pending(LOG_SINK_MAIN));
	ATF_CHECK_EQ(-1, log_sink_fd(LOG_SINK_MAIN));

	/* A pipe takes the 16 KiB ring at once. */
	mkpipe(fds, 1);
	log_open_sink(LOG_SINK_MAIN, fds[1]);
	len = drain(fds[0], text, sizeof(text));
	ATF_CHECK(!log_pending(LOG_SINK_MAIN));
	/* The loss first, then the newest messages, the last one last. */
	ATF_CHECK_MSG(strncmp(text, "dinit: *** ", 11) == 0,
	    "no marker first: '%.40s'", text);
	(void)snprintf(want, sizeof(want), "dinit: message %05d %s\n",
	    NMESSAGES - 1, DOTS);
	ATF_REQUIRE(len >= strlen(want));
	ATF_CHECK_STREQ(want, text + len - strlen(want));
	kept = check_lines(text, NMESSAGES, &marker);
	ATF_CHECK(marker);
	ATF_CHECK(kept > 0 && kept < NMESSAGES);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, prefix);
	ATF_TP_ADD_TC(tp, level_filter);
	ATF_TP_ADD_TC(tp, two_sinks);
	ATF_TP_ADD_TC(tp, errno_message);
	ATF_TP_ADD_TC(tp, long_message);
	ATF_TP_ADD_TC(tp, level_parse);
	ATF_TP_ADD_TC(tp, status_line);
	ATF_TP_ADD_TC(tp, full_sink_drops_whole_messages);
	ATF_TP_ADD_TC(tp, stalled_sink_keeps_order);
	ATF_TP_ADD_TC(tp, pending_sink_keeps_newest);
	return (atf_no_error());
}
