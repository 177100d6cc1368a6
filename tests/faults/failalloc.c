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
 * failalloc: an LD_PRELOAD shim that makes the k-th allocation of a
 * process fail (tests/faults/README).  It wraps malloc, calloc, realloc,
 * reallocarray, posix_memalign, aligned_alloc and memalign; strdup,
 * strndup, asprintf and stdio reach malloc through the dynamic linker
 * (glibc and FreeBSD's libc both let malloc be interposed for their own
 * calls), so they are counted without being wrapped.
 *
 * Environment:
 *	FAILALLOC_K	the allocation to fail, counting from 1; unset or 0:
 *			count only
 *	FAILALLOC_W	how many consecutive allocations fail from the k-th
 *			(default 1)
 *	FAILALLOC_FILE	a path: every allocation fails while a file exists
 *			there (a test creates it to make memory run out at
 *			the moment it chooses, and removes it to give memory
 *			back)
 *	FAILALLOC_LOG	a file to append "phase count" lines to: "armed 0",
 *			"listen N" (the control socket listens: the daemon
 *			must not die from here on), "loop N" (the event loop
 *			starts), "fail N" for each injected failure and
 *			"exit N" at a normal exit
 *	FAILALLOC_BT	if set, a fatal signal prints a backtrace to stderr
 *			before the default action
 *
 * Only the process that loaded the shim first counts (not a child between
 * fork and exec), and the shim takes itself out of LD_PRELOAD so that the
 * services the daemon runs do not load it.  Counting starts in the
 * constructor, after the dynamic linker and libc have set themselves up.
 *
 * Until the real functions are found with dlsym, allocations (dlsym's own
 * among them) are served from a small static arena that is never freed.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/socket.h>
#include <sys/types.h>

#include <dlfcn.h>
#include <errno.h>
#if defined(__has_include)
#if __has_include(<execinfo.h>)
#include <execinfo.h>
#define FAILALLOC_HAVE_BACKTRACE 1
#endif
#if __has_include(<sys/epoll.h>)
#include <sys/epoll.h>
#define FAILALLOC_HAVE_EPOLL 1
#endif
#if __has_include(<sys/event.h>)
#include <sys/event.h>
#define FAILALLOC_HAVE_KQUEUE 1
#endif
#endif
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FAILALLOC_ARENA	(64 * 1024)

struct event_base;

static void	*(*real_malloc)(size_t);
static void	*(*real_calloc)(size_t, size_t);
static void	*(*real_realloc)(void *, size_t);
static void	 (*real_free)(void *);
static void	*(*real_reallocarray)(void *, size_t, size_t);
static int	 (*real_posix_memalign)(void **, size_t, size_t);
static void	*(*real_aligned_alloc)(size_t, size_t);
static void	*(*real_memalign)(size_t, size_t);
static int	 (*real_listen)(int, int);

static _Alignas(16) unsigned char failalloc_arena[FAILALLOC_ARENA];
static size_t	 failalloc_arena_used;
static int	 failalloc_resolving;

static int	 failalloc_armed;
static pid_t	 failalloc_pid;
static unsigned long failalloc_count;
static unsigned long failalloc_k;
static unsigned long failalloc_w = 1;
static int	 failalloc_log_fd = -1;
static char	 failalloc_file[4096];
static int	 failalloc_loop_seen;

/*
 * Serve an allocation from the arena (before dlsym has answered): a
 * 16-byte header holding the size, then the block.
 */
static void *
failalloc_arena_alloc(size_t size)
{
	unsigned char	*p;
	size_t		 need;

	if (size > FAILALLOC_ARENA)
		return (NULL);
	need = 16 + ((size + 15) & ~(size_t)15);
	if (need > FAILALLOC_ARENA - failalloc_arena_used)
		return (NULL);
	p = failalloc_arena + failalloc_arena_used;
	failalloc_arena_used += need;
	memcpy(p, &size, sizeof(size));
	return (p + 16);
}

/* Whether p came from the arena. */
static int
failalloc_in_arena(const void *p)
{
	const unsigned char	*c = p;

	return (c >= failalloc_arena && c < failalloc_arena + FAILALLOC_ARENA);
}

/* Find the real functions; allocations meanwhile go to the arena. */
static void
failalloc_resolve(void)
{
	if (real_malloc != NULL || failalloc_resolving)
		return;
	failalloc_resolving = 1;
	real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
	real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
	real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
	real_reallocarray = (void *(*)(void *, size_t, size_t))dlsym(RTLD_NEXT,
	    "reallocarray");
	real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(
	    RTLD_NEXT, "posix_memalign");
	real_aligned_alloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT,
	    "aligned_alloc");
	real_memalign = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT,
	    "memalign");
	real_listen = (int (*)(int, int))dlsym(RTLD_NEXT, "listen");
	real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
	failalloc_resolving = 0;
}

/* Append "what count" to the log, without allocating. */
static void
failalloc_log(const char *what)
{
	char	buf[64];
	int	len;

	if (failalloc_log_fd == -1)
		return;
	len = snprintf(buf, sizeof(buf), "%s %lu\n", what, failalloc_count);
	if (len > 0)
		(void)write(failalloc_log_fd, buf, (size_t)len);
}

/*
 * Count one allocation; 1 when it must fail.  Not counted: before the
 * constructor, in any other process, while resolving.
 */
static int
failalloc_fails(void)
{
	unsigned long	n;
	int		saved_errno;

	if (!failalloc_armed || failalloc_resolving ||
	    getpid() != failalloc_pid)
		return (0);
	n = ++failalloc_count;
	if (failalloc_file[0] != '\0') {
		saved_errno = errno;
		if (access(failalloc_file, F_OK) == 0) {
			errno = ENOMEM;
			return (1);
		}
		errno = saved_errno;	/* a success leaves errno alone */
	}
	if (failalloc_k == 0 || n < failalloc_k || n - failalloc_k >=
	    failalloc_w)
		return (0);
	failalloc_log("fail");
	errno = ENOMEM;
	return (1);
}

void *
malloc(size_t size)
{
	failalloc_resolve();
	if (real_malloc == NULL)
		return (failalloc_arena_alloc(size));
	if (failalloc_fails())
		return (NULL);
	return (real_malloc(size));
}

void *
calloc(size_t nmemb, size_t size)
{
	void	*p;

	failalloc_resolve();
	if (real_calloc == NULL) {
		if (size != 0 && nmemb > SIZE_MAX / size)
			return (NULL);
		if ((p = failalloc_arena_alloc(nmemb * size)) != NULL)
			memset(p, 0, nmemb * size);
		return (p);
	}
	if (failalloc_fails())
		return (NULL);
	return (real_calloc(nmemb, size));
}

void *
realloc(void *ptr, size_t size)
{
	void	*p;
	size_t	 old;

	failalloc_resolve();
	if (ptr != NULL && failalloc_in_arena(ptr)) {
		memcpy(&old, (unsigned char *)ptr - 16, sizeof(old));
		if ((p = malloc(size)) != NULL)
			memcpy(p, ptr, old < size ? old : size);
		return (p);
	}
	if (real_realloc == NULL)
		return (failalloc_arena_alloc(size));
	if (failalloc_fails())
		return (NULL);
	return (real_realloc(ptr, size));
}

void
free(void *ptr)
{
	if (ptr == NULL || failalloc_in_arena(ptr))
		return;
	failalloc_resolve();
	if (real_free != NULL)
		real_free(ptr);
}

void *
reallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size) {
		errno = ENOMEM;
		return (NULL);
	}
	failalloc_resolve();
	if (real_reallocarray == NULL || (ptr != NULL &&
	    failalloc_in_arena(ptr)))
		return (realloc(ptr, nmemb * size));
	if (failalloc_fails())
		return (NULL);
	return (real_reallocarray(ptr, nmemb, size));
}

int
posix_memalign(void **ptr, size_t align, size_t size)
{
	failalloc_resolve();
	if (real_posix_memalign == NULL)
		return (ENOMEM);
	if (failalloc_fails())
		return (ENOMEM);
	return (real_posix_memalign(ptr, align, size));
}

void *
aligned_alloc(size_t align, size_t size)
{
	failalloc_resolve();
	if (real_aligned_alloc == NULL || failalloc_fails()) {
		errno = ENOMEM;
		return (NULL);
	}
	return (real_aligned_alloc(align, size));
}

void *
memalign(size_t align, size_t size)
{
	failalloc_resolve();
	if (real_memalign == NULL || failalloc_fails()) {
		errno = ENOMEM;
		return (NULL);
	}
	return (real_memalign(align, size));
}

/*
 * The daemon's control socket listens: from here on it must not die.
 * Mark the count (once per process).
 */
int
listen(int fd, int backlog)
{
	static int	marked;

	failalloc_resolve();
	if (!marked && failalloc_armed && getpid() == failalloc_pid) {
		marked = 1;
		failalloc_log("listen");
	}
	if (real_listen == NULL) {
		errno = ENOSYS;
		return (-1);
	}
	return (real_listen(fd, backlog));
}

/* The event loop starts: mark the count (once per process). */
static void
failalloc_loop(void)
{
	if (!failalloc_loop_seen && getpid() == failalloc_pid) {
		failalloc_loop_seen = 1;
		failalloc_log("loop");
	}
}

/* The event loop starts, with libevent a shared library. */
int
event_base_dispatch(struct event_base *base)
{
	static int	(*real_dispatch)(struct event_base *);

	if (real_dispatch == NULL)
		real_dispatch = (int (*)(struct event_base *))dlsym(RTLD_NEXT,
		    "event_base_dispatch");
	failalloc_loop();
	if (real_dispatch == NULL)
		return (-1);
	return (real_dispatch(base));
}

/*
 * The event loop waits for the first time: with libevent linked into the
 * daemon (configure's default), event_base_dispatch is not ours to
 * interpose, but its backend's wait in the C library is.  A wait that
 * may block is the loop's: the daemon polls nothing before it.
 */
#ifdef FAILALLOC_HAVE_EPOLL
int
epoll_wait(int epfd, struct epoll_event *events, int maxevents,
    int timeout)
{
	static int	(*real_wait)(int, struct epoll_event *, int, int);

	if (real_wait == NULL)
		real_wait = (int (*)(int, struct epoll_event *, int, int))
		    dlsym(RTLD_NEXT, "epoll_wait");
	if (timeout != 0)
		failalloc_loop();
	if (real_wait == NULL) {
		errno = ENOSYS;
		return (-1);
	}
	return (real_wait(epfd, events, maxevents, timeout));
}
#endif

#ifdef FAILALLOC_HAVE_KQUEUE
int
kevent(int kq, const struct kevent *changes, int nchanges,
    struct kevent *events, int nevents, const struct timespec *timeout)
{
	static int	(*real_kevent)(int, const struct kevent *, int,
			    struct kevent *, int, const struct timespec *);

	if (real_kevent == NULL)
		real_kevent = (int (*)(int, const struct kevent *, int,
		    struct kevent *, int, const struct timespec *))
		    dlsym(RTLD_NEXT, "kevent");
	/* Registering, or draining without waiting, is not the loop. */
	if (nevents > 0 && (timeout == NULL || timeout->tv_sec != 0 ||
	    timeout->tv_nsec != 0))
		failalloc_loop();
	if (real_kevent == NULL) {
		errno = ENOSYS;
		return (-1);
	}
	return (real_kevent(kq, changes, nchanges, events, nevents,
	    timeout));
}
#endif

/* A fatal signal: print where it happened, then die of it. */
static void
failalloc_fatal(int sig)
{
	void	*frames[64];
	char	 buf[64];
	int	 n, len;

	len = snprintf(buf, sizeof(buf), "failalloc: signal %d at count %lu\n",
	    sig, failalloc_count);
	if (len > 0)
		(void)write(STDERR_FILENO, buf, (size_t)len);
#ifdef FAILALLOC_HAVE_BACKTRACE
	n = backtrace(frames, 64);
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
#else
	(void)frames;
	(void)n;
#endif
	failalloc_log("signal");
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Take the shim out of the environment so the daemon's children (services,
 * shells) do not load it.  The daemon reads environ in main(), after this.
 */
static void
failalloc_unpreload(void)
{
	const char	*v;

	if ((v = getenv("LD_PRELOAD")) != NULL && strstr(v, "failalloc") != NULL)
		(void)unsetenv("LD_PRELOAD");
}

__attribute__((constructor)) static void
failalloc_init(void)
{
	const char	*v;
	void		*frames[1];

	failalloc_resolve();
	if ((v = getenv("FAILALLOC_K")) != NULL)
		failalloc_k = strtoul(v, NULL, 10);
	if ((v = getenv("FAILALLOC_W")) != NULL && strtoul(v, NULL, 10) > 0)
		failalloc_w = strtoul(v, NULL, 10);
	if ((v = getenv("FAILALLOC_FILE")) != NULL &&
	    strlen(v) < sizeof(failalloc_file))
		(void)strcpy(failalloc_file, v);
	if ((v = getenv("FAILALLOC_LOG")) != NULL)
		failalloc_log_fd = open(v, O_WRONLY | O_APPEND | O_CREAT |
		    O_CLOEXEC, 0644);
	if (getenv("FAILALLOC_BT") != NULL) {
#ifdef FAILALLOC_HAVE_BACKTRACE
		/* The first backtrace() loads its unwinder: not in a handler. */
		(void)backtrace(frames, 1);
#else
		(void)frames;
#endif
		signal(SIGSEGV, failalloc_fatal);
		signal(SIGBUS, failalloc_fatal);
		signal(SIGABRT, failalloc_fatal);
		signal(SIGFPE, failalloc_fatal);
		signal(SIGILL, failalloc_fatal);
	}
	failalloc_unpreload();
	failalloc_pid = getpid();
	failalloc_armed = 1;
	failalloc_log("armed");
}

__attribute__((destructor)) static void
failalloc_fini(void)
{
	if (failalloc_armed && getpid() == failalloc_pid)
		failalloc_log("exit");
}
