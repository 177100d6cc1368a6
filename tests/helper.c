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
 * A service process for the integration tests (tests/daemon_test.sh gets
 * its path in $HELPER).  It does one small, predictable thing per mode and
 * records what happened to it in a file the test reads:
 *
 *	helper run FILE		 append "start <pid>", wait; on SIGTERM
 *				 append "stop <pid>" and exit 0
 *	helper ignore-term FILE	 append "start <pid>", then append
 *				 "term <pid>" for every SIGTERM and carry on;
 *				 only SIGKILL ends it
 *	helper ready FD		 write "\n" to FD (readiness), wait for
 *				 SIGTERM, exit 0
 *	helper exit N		 exit N at once
 *	helper sleep-exit MS N	 sleep MS milliseconds, exit N
 *	helper crash-after MS	 sleep MS milliseconds, then abort()
 *	helper raw SOCKET MS HEX...
 *				 connect to the UNIX socket, write the bytes
 *				 given in hex (an argument HEX*N repeats HEX
 *				 N times), then print what comes back until
 *				 end of file or MS milliseconds of silence:
 *				 "hex <bytes>", "text <printable>", and
 *				 "eof" or "timeout"; once connected, create
 *				 the file $HELPER_CONNECTED names, if any
 *	helper stale-socket PATH create a UNIX socket file at PATH that
 *				 nothing listens on
 *	helper utmpx FILE	 append "init|dead <id> <line> <pid>" for
 *				 each INIT_PROCESS and DEAD_PROCESS record of
 *				 the login accounting (utmpx), then "end"
 *	helper sigstate FILE	 append "blocked=<sigs> ignored=<sigs>" (the
 *				 signals blocked in our mask and those set
 *				 to SIG_IGN, comma-separated), exit 0
 *	helper sigwrap PROG ARG...
 *				 block SIGCHLD and SIGTERM, ignore SIGTERM,
 *				 SIGHUP and SIGINT, then exec PROG: a parent
 *				 that leaves its child a dirty signal state
 *	helper syslog PATH FILE FD
 *				 a stand-in syslog daemon: bind a datagram
 *				 socket at PATH, write "\n" to FD (readiness),
 *				 then append each datagram to FILE as a line
 *	helper syslog-paused PATH FILE FD
 *				 the same, but receive nothing until SIGUSR1,
 *				 so that the socket fills up
 *	helper passfd SOCKET PROG ARG...
 *				 connect to the UNIX socket, then exec PROG
 *				 with the connection's descriptor number in
 *				 DINIT_CS_FD (what dinit's pass-cs-fd does)
 *	helper listen FILE	 a socket-activated server: check that
 *				 LISTEN_FDS is 1, LISTEN_PID our pid and fd 3
 *				 a listening socket (else append "badenv
 *				 <pid>" and exit 1), append "start <pid>",
 *				 then answer each connection with
 *				 "hello <pid>\n" until SIGTERM
 *	helper daemon PIDFILE FILE
 *				 a double-forking daemon: the grandchild
 *				 writes its pid to PIDFILE (keeping the
 *				 file's mode if it exists) and then acts as
 *				 "run FILE"; we exit 0 once the pid file is
 *				 written, as a well-behaved daemon's parent
 *	helper escape PIDFILE FILE
 *				 leave a child in a session of its own (out
 *				 of reach of a signal to our process group):
 *				 it writes its pid to PIDFILE and waits for
 *				 a signal; we then do as "run FILE"
 *	helper daemon-monitor PIDFILE FILE
 *				 the same, but the middle process stays,
 *				 waits for the daemon (reaping it) and then
 *				 exits: the daemon is never our caller's child
 *	helper notify LINE...	 send the lines as one datagram to the
 *				 socket $NOTIFY_SOCKET names (sd_notify),
 *				 exit 0
 *	helper hostile SOCKET N STOPFILE
 *				 open N connections to a control socket at
 *				 once (random bytes, oversized lengths, half
 *				 messages, requests never read) and hold them
 *				 until STOPFILE exists
 *	helper produce FILE	 append "start <pid>", then write "seq N"
 *				 lines, N = 1, 2, ..., to standard output
 *				 without end; on SIGTERM finish the line,
 *				 append "last N" and "stop <pid>", exit 0
 *	helper old-dinit SOCKET V FILE
 *				 a stand-in for a dinit that speaks control
 *				 protocol versions 1 to V only: listen on
 *				 SOCKET, append "listening" to FILE, then
 *				 serve one connection after another until
 *				 killed, appending "hello MIN MAX" for each
 *				 greeting and "status NAME" or "request
 *				 TYPE" for each request; a greeting asking
 *				 for more than V is refused as dinit does,
 *				 a STATUS request gets a started internal
 *				 service, any other one is refused
 *	helper consume FILE OUT	 append "start <pid>", then copy whole lines
 *				 from standard input to OUT, each in one
 *				 write; on SIGTERM finish the line being
 *				 read, append "stop <pid>", exit 0
 *
 * Usage errors exit 2; a failure to record exits 3.  Plain C99 and POSIX,
 * no project headers, so it also builds where the daemon does not.
 */

#define _POSIX_C_SOURCE 200809L

#include <sys/types.h>
#include <sys/select.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utmpx.h>

#define HELPER_EXIT_USAGE	2
#define HELPER_EXIT_RECORD	3

#define HELPER_RAW_MAX		(1024 * 1024)	/* bytes sent or kept */
#define HELPER_MAX_SIG		128	/* above any platform's last signal */

static volatile sig_atomic_t	term_count;
static volatile sig_atomic_t	usr1_count;

static void	usage(void);
static long	parse_number(const char *, long, long);
static void	record(const char *, const char *);
static void	on_term(int);
static void	catch_term(sigset_t *);
static void	sleep_ms(long);
static int	mode_run(const char *, int);
static int	mode_ready(const char *);
static int	unix_socket(const char *, struct sockaddr_un *);
static size_t	parse_hex(const char *, unsigned char *, size_t);
static int	mode_raw(const char *, const char *, int, char **);
static int	mode_stale_socket(const char *);
static size_t	list_signals(char *, size_t, const sigset_t *);
static int	mode_sigstate(const char *);
static int	mode_sigwrap(char **);
static void	on_usr1(int);
static int	mode_syslog(const char *, const char *, const char *, int);
static int	mode_passfd(const char *, char **);
static int	mode_listen(const char *);
static int	mode_notify(int, char **);
static int	mode_daemon(const char *, const char *, int);
static int	mode_produce(const char *);
static int	mode_consume(const char *, const char *);
static int	mode_escape(const char *, const char *);
static int	mode_hostile(const char *, const char *, const char *);
static int	mode_old_dinit(const char *, const char *, const char *);

/* Say how to call us and exit with the usage status. */
static void
usage(void)
{
	fprintf(stderr, "usage: helper run FILE | ignore-term FILE | "
	    "ready FD | exit N | sleep-exit MS N | crash-after MS |\n"
	    "    raw SOCKET MS HEX... | stale-socket PATH | sigstate FILE |\n"
	    "    utmpx FILE | sigwrap PROG ARG... | syslog PATH FILE FD |\n"
	    "    syslog-paused PATH FILE FD | passfd SOCKET PROG ARG... |\n"
	    "    listen FILE | notify LINE... | daemon PIDFILE FILE |\n"
	    "    daemon-monitor PIDFILE FILE | hostile SOCKET N STOPFILE |\n"
	    "    produce FILE | consume FILE OUT | old-dinit SOCKET V FILE\n");
	exit(HELPER_EXIT_USAGE);
}

/* Parse a decimal number in [min, max], or exit with a usage error. */
static long
parse_number(const char *s, long min, long max)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < min || n > max) {
		fprintf(stderr, "helper: bad number: %s\n", s);
		exit(HELPER_EXIT_USAGE);
	}
	return (n);
}

/* Append "<what> <pid>\n" to path in one write, so lines never mix. */
static void
record(const char *path, const char *what)
{
	char	line[64];
	int	fd, len;

	len = snprintf(line, sizeof(line), "%s %ld\n", what, (long)getpid());
	if (len < 0 || (size_t)len >= sizeof(line))
		exit(HELPER_EXIT_RECORD);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd == -1) {
		fprintf(stderr, "helper: %s: %s\n", path, strerror(errno));
		exit(HELPER_EXIT_RECORD);
	}
	if (write(fd, line, (size_t)len) != len) {
		fprintf(stderr, "helper: %s: short write\n", path);
		exit(HELPER_EXIT_RECORD);
	}
	close(fd);
}

/* Count a SIGTERM; the main loop acts on it. */
static void
on_term(int sig)
{
	(void)sig;
	term_count++;
}

/*
 * Catch SIGTERM whatever we inherited, and block it outside sigsuspend so
 * no SIGTERM can arrive between a check of term_count and the wait.  The
 * mask to wait with is returned in waitmask.
 */
static void
catch_term(sigset_t *waitmask)
{
	struct sigaction	sa;
	sigset_t		block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) == -1) {
		perror("helper: sigaction");
		exit(HELPER_EXIT_RECORD);
	}
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, waitmask) == -1) {
		perror("helper: sigprocmask");
		exit(HELPER_EXIT_RECORD);
	}
	sigdelset(waitmask, SIGTERM);
}

/* Sleep ms milliseconds, resuming after interruptions. */
static void
sleep_ms(long ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Modes run and ignore-term: record the start, then wait for signals. */
static int
mode_run(const char *path, int ignore_term)
{
	sigset_t		waitmask;
	sig_atomic_t		seen = 0;

	catch_term(&waitmask);
	record(path, "start");
	for (;;) {
		while (seen == term_count)
			sigsuspend(&waitmask);
		seen = term_count;
		if (!ignore_term)
			break;
		record(path, "term");
	}
	record(path, "stop");
	return (0);
}

/* Mode ready: signal readiness on fd, then wait for SIGTERM. */
static int
mode_ready(const char *fdstr)
{
	sigset_t	waitmask;
	int		fd;

	fd = (int)parse_number(fdstr, 0, INT_MAX);
	catch_term(&waitmask);
	if (write(fd, "\n", 1) != 1) {
		fprintf(stderr, "helper: write to fd %d: %s\n", fd,
		    strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	close(fd);
	while (term_count == 0)
		sigsuspend(&waitmask);
	return (0);
}

/* A UNIX stream socket and the address of path; exits on failure. */
static int
unix_socket(const char *path, struct sockaddr_un *sun)
{
	int	fd;

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path)) {
		fprintf(stderr, "helper: socket path too long: %s\n", path);
		exit(HELPER_EXIT_USAGE);
	}
	strcpy(sun->sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1) {
		perror("helper: socket");
		exit(HELPER_EXIT_RECORD);
	}
	return (fd);
}

/*
 * Decode "HEX" or "HEX*N" into buf (size bytes at most); returns the
 * length, or exits with a usage error.
 */
static size_t
parse_hex(const char *arg, unsigned char *buf, size_t size)
{
	static const char	 digits[] = "0123456789abcdef";
	unsigned char		 one[256];
	const char		*star, *hi, *lo;
	size_t			 len, n, i, repeat = 1, total;

	star = strchr(arg, '*');
	len = star != NULL ? (size_t)(star - arg) : strlen(arg);
	if (star != NULL)
		repeat = (size_t)parse_number(star + 1, 0, HELPER_RAW_MAX);
	if (len % 2 != 0 || len / 2 > sizeof(one))
		goto bad;
	for (n = 0; n < len / 2; n++) {
		hi = strchr(digits, tolower((unsigned char)arg[2 * n]));
		lo = strchr(digits, tolower((unsigned char)arg[2 * n + 1]));
		if (hi == NULL || lo == NULL || *hi == '\0' || *lo == '\0')
			goto bad;
		one[n] = (unsigned char)((hi - digits) << 4 | (lo - digits));
	}
	if (n != 0 && repeat > size / n)
		goto bad;
	total = 0;
	for (i = 0; i < repeat; i++) {
		memcpy(buf + total, one, n);
		total += n;
	}
	return (total);
bad:
	fprintf(stderr, "helper: bad hex bytes: %s\n", arg);
	exit(HELPER_EXIT_USAGE);
}

/*
 * Mode raw: send bytes to a UNIX socket and show what comes back.  A
 * peer that closes early is fine: what it said is still printed.
 */
static int
mode_raw(const char *path, const char *msstr, int nargs, char **args)
{
	struct sockaddr_un	 sun;
	struct pollfd		 pfd;
	unsigned char		*out, *in;
	size_t			 outlen = 0, inlen = 0, off, i;
	ssize_t			 n;
	long			 ms;
	int			 fd, ended = 0, rc;

	ms = parse_number(msstr, 0, 600000);
	if ((out = malloc(HELPER_RAW_MAX)) == NULL ||
	    (in = malloc(HELPER_RAW_MAX)) == NULL) {
		perror("helper: malloc");
		return (HELPER_EXIT_RECORD);
	}
	for (i = 0; i < (size_t)nargs; i++)
		outlen += parse_hex(args[i], out + outlen,
		    HELPER_RAW_MAX - outlen);
	signal(SIGPIPE, SIG_IGN);
	fd = unix_socket(path, &sun);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "helper: connect %s: %s\n", path,
		    strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	if (getenv("HELPER_CONNECTED") != NULL)
		record(getenv("HELPER_CONNECTED"), "connected");
	for (off = 0; off < outlen; off += (size_t)n) {
		n = write(fd, out + off, outlen - off);
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0) {
			fprintf(stderr, "helper: write: %s\n",
			    strerror(errno));
			break;
		}
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (!ended) {
		rc = poll(&pfd, 1, (int)ms);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc <= 0)
			break;
		n = read(fd, in + inlen, HELPER_RAW_MAX - inlen);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0 || inlen + (size_t)n >= HELPER_RAW_MAX)
			ended = 1;		/* end of file, reset, or full */
		if (n > 0)
			inlen += (size_t)n;
	}
	printf("hex ");
	for (i = 0; i < inlen; i++)
		printf("%02x", in[i]);
	printf("\ntext ");
	for (i = 0; i < inlen; i++)
		putchar(isprint(in[i]) ? in[i] : '.');
	printf("\n%s\n", ended ? "eof" : "timeout");
	close(fd);
	free(out);
	free(in);
	return (0);
}

/* Mode stale-socket: bind a socket file and leave it behind. */
static int
mode_stale_socket(const char *path)
{
	struct sockaddr_un	sun;
	int			fd;

	fd = unix_socket(path, &sun);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "helper: bind %s: %s\n", path,
		    strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	close(fd);
	return (0);
}

/* Write the members of set as "n,n,..." into buf; the length written. */
static size_t
list_signals(char *buf, size_t size, const sigset_t *set)
{
	size_t	len = 0;
	int	sig, n;

	buf[0] = '\0';
	for (sig = 1; sig < HELPER_MAX_SIG; sig++) {
		if (sigismember(set, sig) != 1)
			continue;
		n = snprintf(buf + len, size - len, "%s%d", len > 0 ? "," : "",
		    sig);
		if (n < 0 || (size_t)n >= size - len)
			exit(HELPER_EXIT_RECORD);
		len += (size_t)n;
	}
	return (len);
}

/* Mode sigstate: record the signal mask and the ignored signals. */
static int
mode_sigstate(const char *path)
{
	struct sigaction	sa;
	sigset_t		blocked, ignored;
	char			bl[512], ig[512], line[1100];
	int			sig, fd, len;

	if (sigprocmask(SIG_BLOCK, NULL, &blocked) == -1) {
		perror("helper: sigprocmask");
		return (HELPER_EXIT_RECORD);
	}
	sigemptyset(&ignored);
	for (sig = 1; sig < HELPER_MAX_SIG; sig++) {
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			sigaddset(&ignored, sig);
	}
	list_signals(bl, sizeof(bl), &blocked);
	list_signals(ig, sizeof(ig), &ignored);
	len = snprintf(line, sizeof(line), "blocked=%s ignored=%s\n", bl, ig);
	if (len < 0 || (size_t)len >= sizeof(line))
		return (HELPER_EXIT_RECORD);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd == -1 || write(fd, line, (size_t)len) != len) {
		fprintf(stderr, "helper: %s: cannot record\n", path);
		return (HELPER_EXIT_RECORD);
	}
	close(fd);
	return (0);
}

/* Mode sigwrap: exec argv with SIGCHLD and SIGTERM blocked, some ignored. */
static int
mode_sigwrap(char **argv)
{
	struct sigaction	sa;
	sigset_t		block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGTERM);
	if (sigaction(SIGTERM, &sa, NULL) == -1 ||
	    sigaction(SIGHUP, &sa, NULL) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigprocmask(SIG_BLOCK, &block, NULL) == -1) {
		perror("helper: sigwrap");
		return (HELPER_EXIT_RECORD);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "helper: %s: %s\n", argv[0], strerror(errno));
	return (HELPER_EXIT_RECORD);
}

/* Count a SIGUSR1: a paused syslog starts receiving. */
static void
on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

/*
 * Modes syslog and syslog-paused: bind a datagram socket at path, signal
 * readiness on fd, then append each datagram received to file as one
 * line (paused: only once SIGUSR1 came).  SIGTERM ends it.
 */
static int
mode_syslog(const char *path, const char *file, const char *fdstr,
    int paused)
{
	struct sockaddr_un	sun;
	struct sigaction	sa;
	sigset_t		block, waitmask;
	char			buf[4096];
	ssize_t			n;
	int			sock, out, fd;

	fd = (int)parse_number(fdstr, 0, INT_MAX);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "helper: socket path too long: %s\n", path);
		return (HELPER_EXIT_USAGE);
	}
	strcpy(sun.sun_path, path);
	(void)unlink(path);
	if ((sock = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    bind(sock, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "helper: %s: %s\n", path, strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	if ((out = open(file, O_WRONLY | O_CREAT | O_APPEND, 0644)) == -1) {
		fprintf(stderr, "helper: %s: %s\n", file, strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	if (sigaction(SIGUSR1, &sa, NULL) == -1 ||
	    sigprocmask(SIG_BLOCK, &block, &waitmask) == -1) {
		perror("helper: SIGUSR1");
		return (HELPER_EXIT_RECORD);
	}
	sigdelset(&waitmask, SIGUSR1);
	if (write(fd, "\n", 1) != 1) {
		fprintf(stderr, "helper: write to fd %d: %s\n", fd,
		    strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	close(fd);
	while (paused && usr1_count == 0)
		sigsuspend(&waitmask);
	for (;;) {
		n = recv(sock, buf, sizeof(buf) - 1, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			perror("helper: recv");
			return (HELPER_EXIT_RECORD);
		}
		buf[n++] = '\n';
		if (write(out, buf, (size_t)n) != n)
			return (HELPER_EXIT_RECORD);
	}
}

/* Mode passfd: exec argv with a connection to path in DINIT_CS_FD. */
static int
mode_passfd(const char *path, char **argv)
{
	struct sockaddr_un	sun;
	char			num[16];
	int			fd;

	fd = unix_socket(path, &sun);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "helper: %s: %s\n", path, strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	(void)snprintf(num, sizeof(num), "%d", fd);
	if (setenv("DINIT_CS_FD", num, 1) == -1) {
		perror("helper: setenv");
		return (HELPER_EXIT_RECORD);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "helper: %s: %s\n", argv[0], strerror(errno));
	return (HELPER_EXIT_RECORD);
}

/* Whether the activation environment is what dinit promises. */
static int
listen_env_ok(void)
{
	const char	*fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	char		 own[32];
	int		 on = 0;
	socklen_t	 len = sizeof(on);

	snprintf(own, sizeof(own), "%ld", (long)getpid());
	if (fds == NULL || strcmp(fds, "1") != 0 || pid == NULL ||
	    strcmp(pid, own) != 0)
		return (0);
	if (getsockopt(3, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) == -1)
		return (0);
	return (on != 0);
}

/* Mode listen: serve the activation socket at fd 3 until SIGTERM. */
static int
mode_listen(const char *path)
{
	sigset_t	waitmask;
	fd_set		rd;
	char		line[64];
	int		fd, len;

	catch_term(&waitmask);
	if (!listen_env_ok()) {
		record(path, "badenv");
		return (1);
	}
	record(path, "start");
	len = snprintf(line, sizeof(line), "hello %ld\n", (long)getpid());
	while (term_count == 0) {
		FD_ZERO(&rd);
		FD_SET(3, &rd);
		if (pselect(4, &rd, NULL, NULL, NULL, &waitmask) == -1)
			continue;
		if ((fd = accept(3, NULL, NULL)) == -1)
			continue;
		if (write(fd, line, (size_t)len) != len)
			perror("helper: write");
		close(fd);
	}
	record(path, "stop");
	return (0);
}

/* Mode notify: one datagram to $NOTIFY_SOCKET, as sd_notify sends. */
static int
mode_notify(int nlines, char **lines)
{
	struct sockaddr_un	 sun;
	const char		*path = getenv("NOTIFY_SOCKET");
	char			 msg[4096];
	size_t			 len = 0, n;
	int			 fd, i;

	for (i = 0; i < nlines; i++) {
		n = strlen(lines[i]);
		if (len + n + 1 > sizeof(msg))
			usage();
		memcpy(msg + len, lines[i], n);
		len += n;
		msg[len++] = '\n';
	}

	if (path == NULL || strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "helper: no NOTIFY_SOCKET\n");
		return (HELPER_EXIT_RECORD);
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM, 0)) == -1 ||
	    sendto(fd, msg, len, 0, (struct sockaddr *)&sun,
	    sizeof(sun)) == -1) {
		fprintf(stderr, "helper: notify %s: %s\n", path,
		    strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	close(fd);
	return (0);
}

/*
 * Mode daemon: fork, setsid, fork again; the grandchild writes the pid
 * file, tells the first process through a pipe, and runs.
 */
static int
mode_daemon(const char *pidfile, const char *path, int monitor)
{
	char	line[32];
	int	fds[2], fd, len;
	pid_t	pid;

	if (pipe(fds) == -1) {
		perror("helper: pipe");
		return (HELPER_EXIT_RECORD);
	}
	if ((pid = fork()) == -1) {
		perror("helper: fork");
		return (HELPER_EXIT_RECORD);
	}
	if (pid > 0) {
		/* The start command: done once the pid file is written. */
		close(fds[1]);
		return (read(fds[0], line, 1) == 1 ? 0 : HELPER_EXIT_RECORD);
	}
	close(fds[0]);
	setsid();
	if ((pid = fork()) == -1)
		_exit(HELPER_EXIT_RECORD);
	if (pid > 0) {
		close(fds[1]);
		while (monitor && waitpid(pid, NULL, 0) == -1 &&
		    errno == EINTR)
			;
		_exit(0);
	}
	len = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
	fd = open(pidfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1 || write(fd, line, (size_t)len) != len) {
		fprintf(stderr, "helper: %s: cannot write\n", pidfile);
		_exit(HELPER_EXIT_RECORD);
	}
	close(fd);
	if (write(fds[1], "x", 1) != 1)
		_exit(HELPER_EXIT_RECORD);
	close(fds[1]);
	return (mode_run(path, 0));
}

/*
 * Mode escape: a child that calls setsid, as a daemon does, so only a
 * kill of the whole tree reaches it.  Its pid file is written under
 * another name and renamed, so whoever sees it sees all of it.
 */
static int
mode_escape(const char *pidfile, const char *path)
{
	char	line[32], tmp[PATH_MAX];
	int	fd, len;
	pid_t	pid;

	if ((pid = fork()) == -1) {
		perror("helper: fork");
		return (HELPER_EXIT_RECORD);
	}
	if (pid == 0) {
		(void)setsid();
		len = snprintf(line, sizeof(line), "%ld\n", (long)getpid());
		(void)snprintf(tmp, sizeof(tmp), "%s.tmp", pidfile);
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd == -1 || write(fd, line, (size_t)len) != len ||
		    close(fd) != 0 || rename(tmp, pidfile) != 0) {
			fprintf(stderr, "helper: %s: cannot write\n", pidfile);
			_exit(HELPER_EXIT_RECORD);
		}
		for (;;)
			pause();
	}
	return (mode_run(path, 0));
}

/* A hostile client of mode hostile: what it sends, how far it got. */
struct hostile_conn {
	int			 fd;		/* -1: not connected or gone */
	int			 kind;		/* HOSTILE_* */
	int			 done;		/* connected and all sent */
	const unsigned char	*out;
	size_t			 len, off;
	unsigned char		 noise[256];
};
#define HOSTILE_NOISE		0	/* random bytes */
#define HOSTILE_OVERSIZED	1	/* a length prefix far too large */
#define HOSTILE_HALF		2	/* half a message, then silence */
#define HOSTILE_DEAF		3	/* many requests, never reads */
#define HOSTILE_KINDS		4
#define HOSTILE_HALF_LEN	60000	/* the frame announced */
#define HOSTILE_HALF_SENT	30000	/* what of it is sent */
#define HOSTILE_DEAF_LISTS	2000	/* LIST requests of a deaf client */
#define HOSTILE_BOUND_S		300	/* the longest it stays */

/* Append a frame header (u32 length, u16 type) to p. */
static unsigned char *
hostile_header(unsigned char *p, unsigned long len, unsigned type)
{
	p[0] = len & 0xff;
	p[1] = (len >> 8) & 0xff;
	p[2] = (len >> 16) & 0xff;
	p[3] = (len >> 24) & 0xff;
	p[4] = type & 0xff;
	p[5] = (type >> 8) & 0xff;
	return (p + 6);
}

/* Append a greeting (REQ_HELLO, versions 1 to 1) to p. */
static unsigned char *
hostile_hello(unsigned char *p)
{
	static const unsigned char	versions[] = { 1, 0, 1, 0 };

	p = hostile_header(p, 2 + sizeof(versions), 0x01);
	memcpy(p, versions, sizeof(versions));
	return (p + sizeof(versions));
}

/* Connect c without blocking; 0 when connected, 1 to try again later. */
static int
hostile_connect(struct hostile_conn *c, const char *path)
{
	struct sockaddr_un	sun;

	c->fd = unix_socket(path, &sun);
	(void)fcntl(c->fd, F_SETFL, O_NONBLOCK);
	if (connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) == 0)
		return (0);
	close(c->fd);
	c->fd = -1;
	if (errno == EAGAIN || errno == EINTR || errno == ECONNREFUSED)
		return (1);
	fprintf(stderr, "helper: connect %s: %s\n", path, strerror(errno));
	exit(HELPER_EXIT_RECORD);
}

/* Send what c has left to send; the daemon may have closed it. */
static void
hostile_send(struct hostile_conn *c, size_t *dropped)
{
	ssize_t	n;

	while (c->off < c->len) {
		n = write(c->fd, c->out + c->off, c->len - c->off);
		if (n > 0) {
			c->off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		close(c->fd);		/* EPIPE, ECONNRESET: dropped */
		c->fd = -1;
		(*dropped)++;
		break;
	}
	c->done = 1;
}

/*
 * Mode hostile: open n connections to a control socket at once, each one
 * of four kinds (random bytes, an oversized length prefix, half a message
 * then silence, requests without ever reading a reply), and hold them
 * until stopfile exists.  Prints "hostile: ready ..." once every one is
 * connected and has sent what it sends, and a summary at the end.
 */
static int
mode_hostile(const char *path, const char *nstr, const char *stopfile)
{
	static unsigned char	 oversized[1024], half[HOSTILE_HALF_SENT + 64];
	static unsigned char	 deaf[16 + 6 * HOSTILE_DEAF_LISTS];
	struct hostile_conn	*conns;
	struct pollfd		*pfds;
	struct rlimit		 rl;
	unsigned char		*p, buf[4096];
	size_t			 n, i, npfd, ready = 0, dropped = 0, left;
	rlim_t			 want;
	size_t			 lens[HOSTILE_KINDS];
	const unsigned char	*outs[HOSTILE_KINDS];
	time_t			 start = time(NULL);
	unsigned		 seed = 1;
	int			 announced = 0;

	n = (size_t)parse_number(nstr, 1, 100000);
	signal(SIGPIPE, SIG_IGN);
	want = (rlim_t)n + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur < want) {
			fprintf(stderr, "helper: cannot open %zu descriptors\n",
			    n);
			return (HELPER_EXIT_RECORD);
		}
	}
	p = hostile_header(oversized, 0x7fffffffUL, 0x01);
	memset(p, 'x', sizeof(oversized) - 6);
	outs[HOSTILE_OVERSIZED] = oversized;
	lens[HOSTILE_OVERSIZED] = sizeof(oversized);
	p = hostile_header(hostile_hello(half), HOSTILE_HALF_LEN, 0x17);
	memset(p, 0, HOSTILE_HALF_SENT);
	outs[HOSTILE_HALF] = half;
	lens[HOSTILE_HALF] = (size_t)(p + HOSTILE_HALF_SENT - half);
	p = hostile_hello(deaf);
	for (i = 0; i < HOSTILE_DEAF_LISTS; i++)
		p = hostile_header(p, 2, 0x17);
	outs[HOSTILE_DEAF] = deaf;
	lens[HOSTILE_DEAF] = (size_t)(p - deaf);
	if ((conns = calloc(n, sizeof(*conns))) == NULL ||
	    (pfds = calloc(n, sizeof(*pfds))) == NULL) {
		perror("helper: calloc");
		return (HELPER_EXIT_RECORD);
	}
	for (i = 0; i < n; i++) {
		conns[i].fd = -1;
		conns[i].kind = (int)(i % HOSTILE_KINDS);
		if (conns[i].kind == HOSTILE_NOISE) {
			for (left = 0; left < sizeof(conns[i].noise); left++) {
				seed = seed * 1103515245 + 12345;
				conns[i].noise[left] = (seed >> 16) & 0xff;
			}
			conns[i].out = conns[i].noise;
			conns[i].len = sizeof(conns[i].noise);
		} else {
			conns[i].out = outs[conns[i].kind];
			conns[i].len = lens[conns[i].kind];
		}
	}
	for (;;) {
		/* Connect and send what is still to do. */
		for (i = 0; i < n; i++) {
			if (conns[i].done)
				continue;
			if (conns[i].fd == -1 &&
			    hostile_connect(&conns[i], path) != 0)
				continue;
			hostile_send(&conns[i], &dropped);
			if (conns[i].done)
				ready++;
		}
		if (ready == n && !announced) {
			printf("hostile: ready: %zu connections, %zu dropped "
			    "so far\n", n, dropped);
			fflush(stdout);
			announced = 1;
		}
		if (access(stopfile, F_OK) == 0 ||
		    time(NULL) - start > HOSTILE_BOUND_S)
			break;
		/* Read and forget replies, except on the deaf ones. */
		for (i = npfd = 0; i < n; i++) {
			if (conns[i].fd == -1 || conns[i].kind == HOSTILE_DEAF)
				continue;
			pfds[npfd].fd = conns[i].fd;
			pfds[npfd].events = POLLIN;
			npfd++;
		}
		if (poll(pfds, npfd, 20) > 0) {
			for (i = 0; i < npfd; i++) {
				if (pfds[i].revents == 0 ||
				    read(pfds[i].fd, buf, sizeof(buf)) > 0)
					continue;
				/* End of file: the daemon let it go. */
				close(pfds[i].fd);
				dropped++;
				for (left = 0; left < n; left++)
					if (conns[left].fd == pfds[i].fd)
						conns[left].fd = -1;
			}
		}
	}
	for (i = 0; i < n; i++) {
		if (conns[i].fd != -1)
			close(conns[i].fd);
	}
	printf("hostile: done: %zu connections, %zu dropped by the daemon\n",
	    n, dropped);
	free(conns);
	free(pfds);
	return (0);
}

/* Count SIGTERM, interrupting a blocked read or write (no SA_RESTART). */
static void
catch_term_interrupting(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) == -1) {
		perror("helper: sigaction");
		exit(HELPER_EXIT_RECORD);
	}
}

/*
 * Mode produce: numbered lines until SIGTERM.  Each line is one write of
 * less than PIPE_BUF bytes, so into a pipe it goes whole or not at all; a
 * write interrupted by the signal wrote nothing and is tried again, so
 * the last line counted is the last line written.
 */
static int
mode_produce(const char *path)
{
	char		line[32], what[32];
	unsigned long	n;
	int		len;

	catch_term_interrupting();
	record(path, "start");
	for (n = 1; term_count == 0; n++) {
		len = snprintf(line, sizeof(line), "seq %lu\n", n);
		while (write(1, line, (size_t)len) != len) {
			if (errno != EINTR) {
				perror("helper: write");
				return (HELPER_EXIT_RECORD);
			}
		}
	}
	(void)snprintf(what, sizeof(what), "last %lu", n - 1);
	record(path, what);
	record(path, "stop");
	return (0);
}

/*
 * Mode consume: a logger that loses nothing it has read.  SIGTERM is
 * blocked but while waiting in pselect, so it can end only the wait, and
 * only once no part of a line is held.
 */
static int
mode_consume(const char *path, const char *out)
{
	char		buf[4096];
	sigset_t	block, waitmask;
	fd_set		rd;
	size_t		held = 0, i, start;
	ssize_t		n;
	int		fd;

	catch_term_interrupting();
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, &waitmask) == -1)
		return (HELPER_EXIT_RECORD);
	sigdelset(&waitmask, SIGTERM);
	if ((fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644)) == -1) {
		fprintf(stderr, "helper: %s: %s\n", out, strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	record(path, "start");
	while (held > 0 || term_count == 0) {
		FD_ZERO(&rd);
		FD_SET(0, &rd);
		if (pselect(1, &rd, NULL, NULL, NULL, held > 0 ? NULL :
		    &waitmask) == -1)
			continue;	/* EINTR: look at term_count */
		n = read(0, buf + held, sizeof(buf) - held);
		if (n <= 0)
			return (n == 0 ? 0 : HELPER_EXIT_RECORD);
		held += (size_t)n;
		/* Write the whole lines; keep the start of the next. */
		for (start = 0, i = 0; i < held; i++) {
			if (buf[i] != '\n')
				continue;
			if (write(fd, buf + start, i + 1 - start) !=
			    (ssize_t)(i + 1 - start))
				return (HELPER_EXIT_RECORD);
			start = i + 1;
		}
		memmove(buf, buf + start, held - start);
		held -= start;
		if (held == sizeof(buf))
			return (HELPER_EXIT_RECORD);	/* a line too long */
	}
	record(path, "stop");
	return (0);
}

/* Append the records of init's processes in utmpx to a file. */
static int
mode_utmpx(const char *path)
{
	struct utmpx	*ut;
	FILE		*f;

	if ((f = fopen(path, "a")) == NULL)
		return (HELPER_EXIT_RECORD);
	setutxent();
	while ((ut = getutxent()) != NULL) {
		if (ut->ut_type != INIT_PROCESS && ut->ut_type != DEAD_PROCESS)
			continue;
		fprintf(f, "%s %.*s %.*s %ld\n",
		    ut->ut_type == INIT_PROCESS ? "init" : "dead",
		    (int)strnlen(ut->ut_id, sizeof(ut->ut_id)), ut->ut_id,
		    (int)strnlen(ut->ut_line, sizeof(ut->ut_line)),
		    ut->ut_line, (long)ut->ut_pid);
	}
	endutxent();
	fprintf(f, "end\n");
	return (fclose(f) == 0 ? 0 : HELPER_EXIT_RECORD);
}

/* Read exactly len bytes from fd: 0, or -1 at end of file or error. */
static int
old_dinit_read(int fd, unsigned char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = read(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

/* Append a little-endian u16, or a string (u16 length, bytes), to p. */
static unsigned char *
old_dinit_u16(unsigned char *p, unsigned v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	return (p + 2);
}

static unsigned char *
old_dinit_str(unsigned char *p, const char *str)
{
	size_t	len = strlen(str);

	p = old_dinit_u16(p, (unsigned)len);
	memcpy(p, str, len);
	return (p + len);
}

/* Frame the message of type built in buf[6..end) and send it. */
static void
old_dinit_send(int fd, unsigned char *buf, unsigned char *end, unsigned type)
{
	size_t	len = (size_t)(end - buf) - 4;

	buf[0] = len & 0xff;
	buf[1] = (len >> 8) & 0xff;
	buf[2] = buf[3] = 0;
	(void)old_dinit_u16(buf + 4, type);
	/* A client gone is no reason for us to die of SIGPIPE. */
	(void)send(fd, buf, (size_t)(end - buf), MSG_NOSIGNAL);
}

/*
 * Mode old-dinit: what a dinit of protocol version 1 to V would answer
 * (doc/PROTOCOL.md), enough for a client's fallback to be tested.
 */
static int
mode_old_dinit(const char *path, const char *vstr, const char *file)
{
	struct sockaddr_un	 sun;
	unsigned char		 in[4096], out[4096], *p;
	unsigned		 version, agreed = 0, min, max, type;
	size_t			 len;
	FILE			*log;
	int			 sock, fd, v, refuse;

	version = (unsigned)parse_number(vstr, 1, 100);
	sock = unix_socket(path, &sun);
	(void)unlink(path);
	if (bind(sock, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(sock, 8) == -1) {
		fprintf(stderr, "helper: %s: %s\n", path, strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	if ((log = fopen(file, "a")) == NULL) {
		fprintf(stderr, "helper: %s: %s\n", file, strerror(errno));
		return (HELPER_EXIT_RECORD);
	}
	setvbuf(log, NULL, _IOLBF, 0);
	fprintf(log, "listening\n");
	for (;;) {
		if ((fd = accept(sock, NULL, NULL)) == -1)
			continue;
		v = 0;
		while ((refuse = old_dinit_read(fd, in, 6) == 0)) {
			len = ((size_t)in[0] | (size_t)in[1] << 8) - 2;
			type = in[4] | (unsigned)in[5] << 8;
			if (len > sizeof(in) - 2 || in[2] != 0 || in[3] != 0 ||
			    old_dinit_read(fd, in, len) != 0)
				break;
			in[len] = '\0';
			p = out + 6;
			if (!v && type == 0x01 && len == 4) {
				min = in[0] | (unsigned)in[1] << 8;
				max = in[2] | (unsigned)in[3] << 8;
				fprintf(log, "hello %u %u\n", min, max);
				if (min > version || max < 1)
					break;
				agreed = max < version ? max : version;
				p = old_dinit_u16(p, agreed);
				old_dinit_send(fd, out, p, 0x81);
				v = 1;
				continue;
			}
			if (v && type == 0x16 && len >= 2) {
				fprintf(log, "status %s\n", (char *)in + 2);
				p = old_dinit_str(p, (char *)in + 2);
				/* Started, target started, internal, explicit. */
				memcpy(p, "\2\2\0\1\0\0\0", 7);
				p += 7;
				memset(p, 0, 4 + 4 + 1 + 4);
				p += 4 + 4 + 1 + 4;
				p = old_dinit_str(p, "");
				if (agreed >= 2)
					p = old_dinit_str(p, "");
				old_dinit_send(fd, out, p, 0x84);
				continue;
			}
			fprintf(log, "request 0x%x\n", type);
			break;
		}
		/* A refusal, as dinit's: REP_ERROR code 1, then close. */
		if (refuse) {
			p = old_dinit_u16(out + 6, 1);
			p = old_dinit_str(p, v ? "bad request: unknown request" :
			    "bad request: no common protocol version");
			old_dinit_send(fd, out, p, 0x83);
		}
		(void)close(fd);
	}
}

/* Pick the mode named by argv[1]. */
int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "run") == 0 && argc == 3)
		return (mode_run(argv[2], 0));
	if (strcmp(argv[1], "ignore-term") == 0 && argc == 3)
		return (mode_run(argv[2], 1));
	if (strcmp(argv[1], "ready") == 0 && argc == 3)
		return (mode_ready(argv[2]));
	if (strcmp(argv[1], "exit") == 0 && argc == 3)
		return ((int)parse_number(argv[2], 0, 255));
	if (strcmp(argv[1], "sleep-exit") == 0 && argc == 4) {
		long	ms, status;

		ms = parse_number(argv[2], 0, LONG_MAX);
		status = parse_number(argv[3], 0, 255);
		sleep_ms(ms);
		return ((int)status);
	}
	if (strcmp(argv[1], "raw") == 0 && argc >= 4)
		return (mode_raw(argv[2], argv[3], argc - 4, argv + 4));
	if (strcmp(argv[1], "stale-socket") == 0 && argc == 3)
		return (mode_stale_socket(argv[2]));
	if (strcmp(argv[1], "utmpx") == 0 && argc == 3)
		return (mode_utmpx(argv[2]));
	if (strcmp(argv[1], "sigstate") == 0 && argc == 3)
		return (mode_sigstate(argv[2]));
	if (strcmp(argv[1], "hostile") == 0 && argc == 5)
		return (mode_hostile(argv[2], argv[3], argv[4]));
	if (strcmp(argv[1], "sigwrap") == 0 && argc >= 3)
		return (mode_sigwrap(argv + 2));
	if (strcmp(argv[1], "syslog") == 0 && argc == 5)
		return (mode_syslog(argv[2], argv[3], argv[4], 0));
	if (strcmp(argv[1], "syslog-paused") == 0 && argc == 5)
		return (mode_syslog(argv[2], argv[3], argv[4], 1));
	if (strcmp(argv[1], "passfd") == 0 && argc >= 4)
		return (mode_passfd(argv[2], argv + 3));
	if (strcmp(argv[1], "listen") == 0 && argc == 3)
		return (mode_listen(argv[2]));
	if (strcmp(argv[1], "daemon") == 0 && argc == 4)
		return (mode_daemon(argv[2], argv[3], 0));
	if (strcmp(argv[1], "daemon-monitor") == 0 && argc == 4)
		return (mode_daemon(argv[2], argv[3], 1));
	if (strcmp(argv[1], "escape") == 0 && argc == 4)
		return (mode_escape(argv[2], argv[3]));
	if (strcmp(argv[1], "notify") == 0 && argc >= 3)
		return (mode_notify(argc - 2, argv + 2));
	if (strcmp(argv[1], "produce") == 0 && argc == 3)
		return (mode_produce(argv[2]));
	if (strcmp(argv[1], "consume") == 0 && argc == 4)
		return (mode_consume(argv[2], argv[3]));
	if (strcmp(argv[1], "old-dinit") == 0 && argc == 5)
		return (mode_old_dinit(argv[2], argv[3], argv[4]));
	if (strcmp(argv[1], "crash-after") == 0 && argc == 3) {
		sleep_ms(parse_number(argv[2], 0, LONG_MAX));
		abort();
	}
	usage();
	return (HELPER_EXIT_USAGE);
}
