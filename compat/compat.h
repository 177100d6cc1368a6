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
 * What the platform lacks, supplied by compat/.  Every source file includes
 * this header first (through dinit.h); it includes config.h before anything.
 */

#ifndef COMPAT_H
#define COMPAT_H

#include "config.h"

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

/*
 * Function attributes, under names of our own: identifiers that begin with
 * two underscores belong to the implementation, and a libc may use them
 * for something else (musl has struct fields called __unused).
 */
#define NORETURN		__attribute__((__noreturn__))
#define PRINTFLIKE(f, a)	__attribute__((__format__(__printf__, f, a)))
/* Kept out of its caller: a large frame taken only on a rare path. */
#define NOINLINE		__attribute__((__noinline__))

#ifndef HAVE_WORKING_VFORK
#define vfork fork
#endif

#ifndef HAVE_CLOSEFROM
/* closefrom.c */
void	closefrom(int);
#endif

/*
 * glibc declares it in <malloc.h>, which other libraries lack; the
 * declaration is the same everywhere.
 */
int	malloc_trim(size_t);

#ifndef HAVE_REALLOCARRAY
/* reallocarray.c */
void	*reallocarray(void *, size_t, size_t);
#endif

#ifndef HAVE_STRLCAT
/* strlcat.c */
size_t	strlcat(char *, const char *, size_t);
#endif

#ifndef HAVE_STRLCPY
/* strlcpy.c */
size_t	strlcpy(char *, const char *, size_t);
#endif

/*
 * The platform layer, compat/osdep-$PLATFORM.c.  Each function does what
 * this platform can and says (by its return value) when it cannot.
 */

/* Name of the platform layer: "linux", "freebsd" or "unknown". */
const char	*osdep_name(void);

/*
 * Become the reaper of orphaned descendants when not PID 1, so daemons that
 * double-fork stay our children.  Returns 0, or -1 with errno (ENOSYS where
 * the platform has no such notion).
 */
int		 osdep_set_subreaper(void);

/* Whether orphaned descendants come to us: PID 1, or a subreaper. */
int		 osdep_is_reaper(void);

/*
 * Whether a bgprocess daemon can be supervised here: its ancestry can be
 * checked (osdep_proc_parent) and its end seen.  Where not, bgprocess
 * services are refused at load.
 */
int		 osdep_can_adopt(void);

/* The parent of a live process.  0, or -1 with errno (ESRCH: no such). */
int		 osdep_proc_parent(pid_t, pid_t *);

/*
 * What a process and its live descendants use, summed over the tree.
 * mem is the resident set size (RSS: a page shared by several processes
 * counts in each), which the platform keeps as a counter, not PSS, which
 * Linux computes by walking page tables at each read; cpu_usec is user and system time, of the processes and of the children
 * they have reaped.  NB: a process that left the tree (a double fork
 * reparented to its reaper) is no longer counted.
 */
struct osdep_usage {
	unsigned long long	mem;		/* bytes */
	unsigned long long	cpu_usec;
	unsigned		procs;		/* processes counted */
};

/* 0, or -1 with errno (ESRCH: no such process, ENOSYS: not here). */
int		 osdep_tree_usage(pid_t, struct osdep_usage *);

/*
 * A descriptor that becomes readable when a process (not necessarily our
 * child) ends: a pidfd on Linux, a kqueue with EVFILT_PROC on FreeBSD.
 * -1 with errno where there is none.
 */
int		 osdep_pid_watch(pid_t);

/*
 * After the descriptor of osdep_pid_watch became readable: the wait
 * status of the process (0), where the platform does not tell it that of
 * an exit with status 255; -1 with errno when nothing has ended yet.
 * The caller closes the descriptor.
 */
int		 osdep_pid_watch_status(int, int *);

/* How the machine should end. */
enum osdep_how {
	OSDEP_HALT,
	OSDEP_POWEROFF,
	OSDEP_REBOOT
};

/* What a signal asks of a system manager on this platform. */
enum osdep_action {
	OSDEP_ACT_NONE,
	OSDEP_ACT_REBOOT,	/* stop everything, then reboot */
	OSDEP_ACT_HALT,		/* stop everything, then halt */
	OSDEP_ACT_POWEROFF,	/* stop everything, then power off */
	OSDEP_ACT_IMMEDIATE,	/* no rollback: kill all and power off */
	OSDEP_ACT_SINGLE,	/* stop everything, then start "single" */
	OSDEP_ACT_RELOAD	/* re-read what can be re-read */
};

/*
 * End the machine.  Refuses (EPERM) unless our pid is 1, so nothing but
 * the init of a machine or of a PID namespace can ever call reboot(2).
 */
int		 osdep_reboot(enum osdep_how);

/*
 * End the machine at once, whatever our pid: for a root utility told to
 * (reboot -f), nothing is stopped first.  Returns only on failure, -1
 * with errno.
 */
int		 osdep_reboot_now(enum osdep_how);

/*
 * Arrange for ctrl-alt-del to reach us as SIGINT: as PID 1 tell the kernel
 * to signal init; otherwise (a system manager with another pid) name our
 * pid where the platform lets us.  Returns 0, or -1 with errno.
 */
int		 osdep_cad_setup(int);

/* The signals a system manager watches, ended by 0. */
const int	*osdep_manager_signals(void);

/* What a signal means to a system manager here. */
enum osdep_action osdep_signal_action(int);

/*
 * Before option parsing, take out the flags the kernel passes to PID 1
 * that are not ours, noting a request for single-user mode.  Shifts argv
 * in place and returns the new argc.
 */
int		 osdep_kernel_args(int, char **, int *);

/*
 * What a bare word on PID 1's command line is: OSDEP_WORD_SERVICE (a
 * service to start), OSDEP_WORD_SINGLE (single-user mode) or
 * OSDEP_WORD_IGNORE (the kernel's, not ours).
 */
#define OSDEP_WORD_IGNORE	0
#define OSDEP_WORD_SERVICE	1
#define OSDEP_WORD_SINGLE	2
int		 osdep_kernel_word(const char *);

/* Record the boot in the login accounting (utmpx/wtmp) where there is one. */
int		 osdep_boot_record(void);

/* Record a shutdown in the login accounting (wtmp); 0, or -1 with errno. */
int		 osdep_shutdown_record(void);

/*
 * Call fn with the terminal line (relative to /dev) of every user logged
 * in, as the login accounting says.  Returns 0, or -1 with errno where
 * there is no login accounting.
 */
int		 osdep_login_lines(void (*)(const char *, void *), void *);

/*
 * The user id of the peer of a connected UNIX socket.  Returns 0, or -1
 * with errno where the platform cannot tell: callers must then refuse.
 */
int		 osdep_peer_uid(int, uid_t *);

/*
 * Settings of a service that not every platform can honour; a
 * description using one the platform cannot is refused at load.
 */
enum osdep_feature {
	OSDEP_CAPABILITIES = 1,	/* capabilities, securebits */
	OSDEP_NO_NEW_PRIVS,	/* options = no-new-privs */
	OSDEP_IOPRIO,		/* ioprio */
	OSDEP_OOM_SCORE_ADJ,	/* oom-score-adj */
	OSDEP_UTMPX,		/* inittab-id, inittab-line */
	OSDEP_CGROUPS		/* run-in-cgroup */
};

/* NULL when the platform honours a feature, else why it cannot. */
const char	*osdep_unsupported(enum osdep_feature);

/*
 * The securebits flags, with the values of Linux's SECBIT_* (see
 * capabilities(7)), which osdep-linux.c passes on as they are.
 */
#define OSDEP_SECBIT_NOROOT			0x01
#define OSDEP_SECBIT_NOROOT_LOCKED		0x02
#define OSDEP_SECBIT_NO_SETUID_FIXUP		0x04
#define OSDEP_SECBIT_NO_SETUID_FIXUP_LOCKED	0x08
#define OSDEP_SECBIT_KEEP_CAPS			0x10
#define OSDEP_SECBIT_KEEP_CAPS_LOCKED		0x20

/*
 * What capabilities and securebits make of a child: the IAB vectors as
 * bit masks by capability number, and the securebits flags.
 */
struct osdep_caps {
	int		has_iab;
	uint64_t	inheritable;
	uint64_t	ambient;
	uint64_t	blocked;	/* dropped from the bounding set */
	int		has_securebits;
	unsigned	securebits;	/* OSDEP_SECBIT_* */
};

/*
 * Read a capabilities setting (an IAB string, as cap_iab_from_text(3)
 * reads it) into c.  0, or -1 with errno: EINVAL for a bad string,
 * ENOTSUP where capabilities are not supported.
 */
int		 osdep_caps_parse(const char *, struct osdep_caps *);

/*
 * The child of a spawn, between fork and exec: these make only system
 * calls (no allocation), and return 0, or -1 with errno (ENOTSUP where
 * the platform cannot).
 */

/* Keep the permitted capabilities across the coming setuid. */
int		 osdep_caps_keep(void);

/* Set the IAB vectors and the securebits of c, after the ids. */
int		 osdep_caps_apply(const struct osdep_caps *);

/* Never again gain privileges by exec (set-user-id, file capabilities). */
int		 osdep_no_new_privs(void);

/* I/O scheduling classes, with a level 0-7 for the first two. */
#define OSDEP_IOPRIO_NONE	0
#define OSDEP_IOPRIO_REALTIME	1
#define OSDEP_IOPRIO_BEST_EFFORT 2
#define OSDEP_IOPRIO_IDLE	3

/* Set our I/O priority: a class and its level. */
int		 osdep_ioprio(int, int);

/* Set our out-of-memory killer score adjustment (-1000 to 1000). */
int		 osdep_oom_score_adj(int);

/*
 * In the parent: record a process started for a terminal line in the
 * login accounting, as init does for a getty (utmpx INIT_PROCESS with id
 * and line), and mark it DEAD_PROCESS when it ends.  0, or -1 with errno.
 */
int		 osdep_utmpx_init(const char *, const char *, pid_t);
int		 osdep_utmpx_dead(const char *, const char *);

/*
 * TERM for a service on the system console when the kernel gave us none:
 * what the console terminal emulates, or NULL when unknown.
 */
const char	*osdep_console_term(void);

/*
 * Child exits told one by one, so that reaping one costs the same however
 * many children run: waitpid(-1) makes the kernel look at every child, and
 * a supervisor of thousands paid that on every exit.
 *
 * osdep_exits_open makes a queue, a descriptor that becomes readable when
 * a watched child has exited, or returns -1 (ENOSYS where the platform
 * cannot tell).  osdep_exits_watch watches one child, or returns -1 (the
 * child is then SIGCHLD's to find); its watch is a number from 0 up.
 * Where a watch is a descriptor of its own (Linux: a pidfd), it is
 * numbered from low up to below high (then -1, EMFILE), so the low ones
 * stay free for everything else; where it is not (FreeBSD: a kqueue
 * filter, named by the pid), low and high do not apply.  A watched child
 * may be told a moment before waitpid can reap it: the SIGCHLD that
 * follows finds it then.  osdep_exits_next gives the
 * cookies of up to max exited children (their number; 0 when none is
 * left, -1 on error), each told once: several in one system call, since a
 * stop of thousands of services reaps thousands of children in a burst.
 * The child is then reaped by its pid alone.  osdep_exits_unwatch ends a
 * watch; told says its exit was given by osdep_exits_next, after which the
 * queue can forget it without a system call of its own.
 */
int		 osdep_exits_open(void);
int		 osdep_exits_watch(int, pid_t, int, int, void *);
void		 osdep_exits_unwatch(int, int, int);
int		 osdep_exits_next(int, void **, int);

/*
 * SIGCHLD read from a descriptor (Linux: signalfd), so that a burst of
 * exits costs no signal deliveries and each SIGCHLD read names its child.
 * osdep_sigchld_open blocks SIGCHLD and returns a descriptor readable
 * while one is pending, or -1 (ENOSYS where the platform has none: catch
 * SIGCHLD as a signal).  osdep_sigchld_read reads up to max pending ones,
 * the pid each names in pids; their number, 0 when none is pending, -1 on
 * error.  NB: SIGCHLDs that come while one is pending are one.
 */
int		 osdep_sigchld_open(void);
int		 osdep_sigchld_read(int, pid_t *, int);

/*
 * Watches are descriptors of ours that a child must not copy: copying a
 * table of N descriptors at every launch made each launch cost O(N).
 * osdep_spawn_shared makes a child that runs fn(arg) in our memory while
 * we wait, as after vfork, sharing our descriptor table; its first act
 * must be osdep_unshare_fds, which gives it a table of its own holding
 * copies of the descriptors below first only.  osdep_spawn_shared returns
 * -1 (ENOSYS) where the platform cannot: use vfork.
 */
pid_t		 osdep_spawn_shared(int (*)(void *), void *);
int		 osdep_unshare_fds(int);

/*
 * Process trees: how the whole of a service, the descendants that left
 * its process group included, is signalled.  A control group on Linux
 * (run-in-cgroup), the service's first process made a reaper on FreeBSD;
 * elsewhere only the process group.
 */

/*
 * The base of relative run-in-cgroup paths, a cgroup path as
 * /proc/self/cgroup writes it (dinit -b); NULL: our own cgroup.  Finds the
 * cgroup2 mount.  0, or -1 with errno (ENOENT: no cgroup2 file system,
 * ENOTDIR: no such cgroup, ENOSYS: no cgroups here).
 */
int		 osdep_cgroup_base(const char *);

/*
 * The directory of the cgroup a run-in-cgroup path names: "/x" under the
 * cgroup2 mount, "x" under the base.  0, or -1 with errno.
 */
int		 osdep_cgroup_dir(const char *, char *, size_t);

/*
 * In a new child (async-signal-safe calls only): move ourselves into the
 * cgroup whose directory osdep_cgroup_dir gave.  0, or -1 with errno.
 */
int		 osdep_cgroup_join(const char *);

/*
 * Send a signal to every process of a cgroup (SIGKILL: its subtree, by
 * cgroup.kill where the kernel has it).  Refuses (EPERM) a cgroup that
 * holds us.  0, or -1 with errno.
 */
int		 osdep_cgroup_kill(const char *, int);

/* Whether a service's first process can be made the reaper of its tree. */
int		 osdep_reaper_supported(void);

/* In a new child: become the reaper of our descendants.  0, or -1. */
int		 osdep_reaper_acquire(void);

/*
 * Send a signal to every descendant of a process that made itself a
 * reaper (not to the process itself).  Refuses (ESRCH) one that is not,
 * or no longer, a reaper.  0, or -1 with errno.
 */
int		 osdep_reaper_kill(pid_t, int);

#endif /* COMPAT_H */
