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
 * harness: the clock of the benchmarks.  bench/run (shell) prepares the
 * service directories and says what to run; this program starts things,
 * watches the FIFO that every copy of bench/tiny writes its record to,
 * and measures with CLOCK_MONOTONIC.  Results go to standard output as
 * "key value" lines, one per figure; diagnostics go to standard error.
 *
 *	harness floor -n N -t tiny -f fifo [-k samples] [-T timeout]
 *		The floor: what spawning N copies of tiny costs this process
 *		with posix_spawn, fork+exec and vfork+exec, in parallel (S1),
 *		one after another (S2), killed and reaped (S3), and one
 *		killed and replaced (S7).
 *
 *	harness trial -n N -f fifo [-l log] [-i idle] [-k samples] [-M]
 *		[-s strace] [-H hook] [-S signal | -C stop-command]
 *		[-W warm-stop-command -w warm-start-command] [-P phase-hook]
 *		[-T timeout] -- supervisor [arg ...]
 *		One run of a supervisor: start it (S1, or S2 for a chain),
 *		let it settle, count its wakeups while idle (S6), measure its
 *		memory (S4), run the hook (S5), kill services' processes and
 *		time their replacements (S7), stop them all and start them
 *		again with its control tool (S1-warm), stop it (S3).
 *
 *	harness latency [-r runs] [-p phase] prefix command [arg ...]
 *		[--- prefix command [arg ...] ...]
 *		Run commands in turn, round after round, and report the
 *		median time of each.
 *
 * Every timed phase also reports its wall time, the CPU time the
 * hypervisor stole during it, the load average before it and the CPUs
 * other work kept busy just before it (PHASE_wall_ms, PHASE_steal_ms,
 * PHASE_load, PHASE_busy), so that report.awk can set aside or mark the
 * figures taken on a busy machine.
 *
 * The harness makes itself a child subreaper, so every process a
 * supervisor leaves behind comes back to it: "stopped" means that nothing
 * started by the trial is left, and teardown kills what is, by pid.
 *
 * NB: Linux only (/proc, smaps_rollup, PR_SET_CHILD_SUBREAPER).
 */

#define _GNU_SOURCE

#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TINY_MAGIC	0x64696e74u	/* "dint", as in tiny.c */
#define MAX_SAMPLES	1000

extern char	**environ;

/* What a copy of tiny writes once it runs (as in tiny.c). */
struct tiny_record {
	uint32_t	magic;
	int32_t		pid;
};

/* One process seen in /proc. */
struct proc_entry {
	pid_t	pid;
	pid_t	ppid;
};

/* Memory of a set of processes, in KiB. */
struct mem_usage {
	long	rss;
	long	pss;
	long	private;
	int	procs;
};

/* How to launch a copy of tiny. */
enum spawn_method {
	SPAWN_POSIX,
	SPAWN_FORK,
	SPAWN_VFORK
};

static const char *const spawn_method_names[] = {
	"posix_spawn", "fork", "vfork"
};

static int			 fifo_rd = -1, fifo_wr = -1;
static char			 fifo_carry[sizeof(struct tiny_record)];
static size_t			 fifo_ncarry;
static pid_t			*records;	/* pids, in arrival order */
static size_t			 nrecords, caprecords;
static double			 last_record_ms;
static int			 root_status;	/* how the root died */
static volatile sig_atomic_t	 interrupted;
static volatile sig_atomic_t	 alarmed;

/* Monotonic time in milliseconds. */
static double
now_ms(void)
{
	struct timespec	ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6);
}

#define __dead	__attribute__((__noreturn__))

/* Print a usage message and exit 2. */
static void __dead
usage(void)
{
	fprintf(stderr,
	    "usage: harness floor -n N -t tiny -f fifo [-k samples] "
	    "[-T timeout]\n"
	    "       harness trial -n N -f fifo [-l log] [-i idle] "
	    "[-k samples] [-M]\n"
	    "               [-s strace] [-H hook] [-S signal | -C command]\n"
	    "               [-W warm-stop -w warm-start] [-P phase-hook] "
	    "[-T timeout]\n"
	    "               -- supervisor [arg ...]\n"
	    "       harness latency [-r runs] [-p phase] prefix command "
	    "[arg ...]\n"
	    "               [--- prefix command [arg ...] ...]\n");
	exit(2);
}

/* Print an error and exit 1. */
static void __dead
die(const char *what)
{
	fprintf(stderr, "harness: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Print one figure. */
static void
put(const char *key, double value)
{
	printf("%s %.3f\n", key, value);
	(void)fflush(stdout);
}

/* Print one figure that is a count. */
static void
put_count(const char *key, long value)
{
	printf("%s %ld\n", key, value);
	(void)fflush(stdout);
}

/* Print one figure that is a word. */
static void
put_word(const char *key, const char *value)
{
	printf("%s %s\n", key, value);
	(void)fflush(stdout);
}

/*
 * The first eight columns of the "cpu" line of /proc/stat (user, nice,
 * system, idle, iowait, irq, softirq, steal, in clock ticks summed over
 * CPUs); -1 when unreadable.
 */
static int
proc_stat_cpu(unsigned long long v[8])
{
	FILE	*f;
	int	 got;

	if ((f = fopen("/proc/stat", "r")) == NULL)
		return (-1);
	got = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	(void)fclose(f);
	return (got == 8 ? 0 : -1);
}

/*
 * CPU time the hypervisor stole from this machine since boot, in ms (the
 * steal column of /proc/stat, summed over CPUs); -1 when unknown.  A
 * figure is only as good as the CPU it had: each timed phase reports the
 * steal during it, and report.awk sets aside figures that lost too much.
 */
static double
steal_ms(void)
{
	unsigned long long	v[8];
	long			hz = sysconf(_SC_CLK_TCK);

	if (proc_stat_cpu(v) != 0 || hz <= 0)
		return (-1);
	return ((double)v[7] * 1e3 / (double)hz);
}

/*
 * CPU time the machine spent busy (user, nice, system, irq, softirq) and in
 * all, in clock ticks summed over CPUs, from /proc/stat; -1 when unknown.
 */
static int
cpu_ticks(unsigned long long *busy, unsigned long long *total)
{
	unsigned long long	v[8];

	if (proc_stat_cpu(v) != 0)
		return (-1);
	*busy = v[0] + v[1] + v[2] + v[5] + v[6];
	*total = *busy + v[3] + v[4] + v[7];
	return (0);
}

/* The 1-minute load average, or -1 when unknown. */
static double
load_average(void)
{
	FILE	*f;
	double	 load;

	if ((f = fopen("/proc/loadavg", "r")) == NULL)
		return (-1);
	if (fscanf(f, "%lf", &load) != 1)
		load = -1;
	(void)fclose(f);
	return (load);
}

/*
 * A timed phase: when it began, the steal so far, and how busy the machine
 * was just before it.
 */
struct phase {
	double	t0;
	double	steal0;
	double	load;		/* 1-minute load average before it */
	double	busy;		/* CPUs busy in the quiet window before it */
};

#define QUIET_WINDOW_MS	300

static const char	*phase_hook;	/* run at each phase's edges (-P) */
static void		 pause_ms(double);
static void		 run_phase_hook(const char *, const char *);

/*
 * Begin a timed phase.  The kernel's load average remembers the bench's
 * own bursts of the last minute (a spawn of thousands of processes seen
 * by one of its 5-second samples), so the harness also measures what the
 * machine does now: the CPUs busy over a short window in which the bench
 * itself does nothing but wait.  That is other work, which would compete
 * with the phase.
 */
static void
phase_begin(struct phase *ph, const char *name)
{
	unsigned long long	b0, t0, b1, t1;
	long			cpus = sysconf(_SC_NPROCESSORS_ONLN);

	ph->load = load_average();
	ph->busy = -1;
	if (cpu_ticks(&b0, &t0) == 0) {
		pause_ms(QUIET_WINDOW_MS);
		if (cpu_ticks(&b1, &t1) == 0 && t1 > t0)
			ph->busy = (double)(b1 - b0) / (double)(t1 - t0) *
			    (double)(cpus > 0 ? cpus : 1);
	}
	run_phase_hook(name, "begin");
	ph->steal0 = steal_ms();
	ph->t0 = now_ms();
}

/*
 * End a timed phase: report its wall time, the CPU time stolen during it,
 * the load average and the busy CPUs before it, before the figures taken
 * in it (report.awk reads them in order).
 */
static void
phase_end(const struct phase *ph, const char *name)
{
	char	key[64];
	double	steal = steal_ms(), t = now_ms() - ph->t0;

	run_phase_hook(name, "end");
	(void)snprintf(key, sizeof(key), "%s_wall_ms", name);
	put(key, t);
	if (steal >= 0 && ph->steal0 >= 0) {
		(void)snprintf(key, sizeof(key), "%s_steal_ms", name);
		put(key, steal - ph->steal0);
	}
	if (ph->load >= 0) {
		(void)snprintf(key, sizeof(key), "%s_load", name);
		put(key, ph->load);
	}
	if (ph->busy >= 0) {
		(void)snprintf(key, sizeof(key), "%s_busy", name);
		put(key, ph->busy);
	}
}

/* Parse a positive number or exit 2. */
static long
number(const char *s, long min, long max)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < min || n > max) {
		fprintf(stderr, "harness: bad number '%s'\n", s);
		exit(2);
	}
	return (n);
}

/* A signal asked us to stop: leave every wait, then tear down. */
static void
on_interrupt(int sig)
{
	interrupted = 1;
}

/* A wait ran out of time. */
static void
on_alarm(int sig)
{
	alarmed = 1;
}

/* Catch the signals that end a run; raise the fd and process limits. */
static void
setup_process(void)
{
	struct sigaction	sa;
	struct rlimit		rl;

	memset(&sa, 0, sizeof(sa));
	(void)sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_interrupt;
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_alarm;
	(void)sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NPROC, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NPROC, &rl);
	}
}

/* Arm (ms > 0) or disarm (0) the one-shot alarm that bounds a wait. */
static void
alarm_ms(long ms)
{
	struct itimerval	it;

	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = (ms % 1000) * 1000;
	alarmed = 0;
	(void)setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * Make the FIFO and open both of its ends: ours for reading, and one for
 * writing that is never written, so reads say EAGAIN, never EOF, while no
 * copy of tiny has it open.
 */
static void
fifo_open(const char *path)
{
	(void)unlink(path);
	if (mkfifo(path, 0600) != 0)
		die(path);
	if ((fifo_rd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0 ||
	    (fifo_wr = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		die(path);
	(void)fcntl(fifo_rd, F_SETPIPE_SZ, 1 << 20);
}

/* Close and remove the FIFO. */
static void
fifo_close(const char *path)
{
	(void)close(fifo_rd);
	(void)close(fifo_wr);
	(void)unlink(path);
}

/* Keep the pid of one record. */
static void
record_push(pid_t pid)
{
	pid_t	*grown;

	if (nrecords == caprecords) {
		caprecords = caprecords == 0 ? 1024 : caprecords * 2;
		if ((grown = realloc(records, caprecords * sizeof(*records))) ==
		    NULL)
			die("realloc");
		records = grown;
	}
	records[nrecords++] = pid;
}

/*
 * Read what the FIFO holds, waiting up to timeout ms (-1: forever) for
 * something to come; returns how many records were read.
 */
static size_t
fifo_drain(int timeout)
{
	struct pollfd		pfd;
	struct tiny_record	rec;
	char			buf[8192];
	size_t			got = 0, off;
	ssize_t			n;

	pfd.fd = fifo_rd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, timeout) <= 0)
		return (0);
	for (;;) {
		memcpy(buf, fifo_carry, fifo_ncarry);
		n = read(fifo_rd, buf + fifo_ncarry, sizeof(buf) - fifo_ncarry);
		if (n <= 0)
			break;
		n += (ssize_t)fifo_ncarry;
		for (off = 0; off + sizeof(rec) <= (size_t)n;
		    off += sizeof(rec)) {
			memcpy(&rec, buf + off, sizeof(rec));
			if (rec.magic != TINY_MAGIC)
				continue;
			record_push((pid_t)rec.pid);
			got++;
		}
		fifo_ncarry = (size_t)n - off;
		memcpy(fifo_carry, buf + off, fifo_ncarry);
	}
	if (got > 0)
		last_record_ms = now_ms();
	return (got);
}

/*
 * Wait until want records have come, for at most timeout ms.  When root
 * is a pid, its death ends the wait too (*died says so).  Returns 0 when
 * all came; the time the last one came is in last_record_ms.
 */
static int
fifo_wait(size_t want, double timeout, pid_t root, int *died)
{
	double	end = now_ms() + timeout, left;
	int	status;

	while (nrecords < want) {
		if (interrupted)
			return (-1);
		left = end - now_ms();
		if (left <= 0)
			return (-1);
		(void)fifo_drain(left > 100 ? 100 : (int)left + 1);
		if (root > 0 && nrecords < want &&
		    waitpid(root, &status, WNOHANG) == root) {
			root_status = status;
			*died = 1;
			return (-1);
		}
	}
	return (0);
}

/* Sleep ms milliseconds while draining the FIFO. */
static void
pause_ms(double ms)
{
	double	end = now_ms() + ms, left;

	while (!interrupted && (left = end - now_ms()) > 0)
		(void)fifo_drain(left > 100 ? 100 : (int)left + 1);
}

/* Compare two pids, for qsort and bsearch. */
static int
pid_cmp(const void *a, const void *b)
{
	pid_t	x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x < y ? -1 : x > y);
}

/* Compare two /proc entries by parent. */
static int
proc_cmp_ppid(const void *a, const void *b)
{
	const struct proc_entry	*x = a, *y = b;

	if (x->ppid != y->ppid)
		return (x->ppid < y->ppid ? -1 : 1);
	return (x->pid < y->pid ? -1 : x->pid > y->pid);
}

/* Compare two doubles, for qsort. */
static int
double_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* The median of n samples (sorts them). */
static double
median(double *v, size_t n)
{
	if (n == 0)
		return (0);
	qsort(v, n, sizeof(*v), double_cmp);
	return (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

/* Every process in /proc with its parent; returns how many. */
static size_t
proc_scan_here(struct proc_entry **out)
{
	struct proc_entry	*v = NULL, *grown;
	struct dirent		*de;
	DIR			*d;
	FILE			*f;
	char			 path[300], line[512], *p;
	size_t			 n = 0, cap = 0;
	int			 ppid;

	if ((d = opendir("/proc")) == NULL)
		die("/proc");
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		if ((f = fopen(path, "re")) == NULL)
			continue;
		p = fgets(line, sizeof(line), f);
		(void)fclose(f);
		if (p == NULL || (p = strrchr(line, ')')) == NULL ||
		    sscanf(p + 1, " %*c %d", &ppid) != 1)
			continue;
		if (n == cap) {
			cap = cap == 0 ? 1024 : cap * 2;
			if ((grown = realloc(v, cap * sizeof(*v))) == NULL)
				die("realloc");
			v = grown;
		}
		v[n].pid = (pid_t)atoi(de->d_name);
		v[n].ppid = (pid_t)ppid;
		n++;
	}
	(void)closedir(d);
	*out = v;
	return (n);
}

/*
 * proc_scan_here in a child of ours with a mount namespace and a proc of
 * its own, the entries sent back through a pipe; -1 when that cannot be
 * done (not root, no namespaces).  Reading /proc/PID of a process (and
 * listing /proc) makes the kernel keep a dentry and an inode for it,
 * which the supervisor then pays to flush when it reaps the process: a
 * cost the floor does not pay (a third of dinit's time in S3 on a kernel
 * without "children" files).  This proc's dentries and inodes go with it
 * when the child exits and its namespace with it.
 */
static ssize_t
proc_scan_private(struct proc_entry **out)
{
	struct proc_entry	*v = NULL, *grown;
	size_t			 n, got = 0, cap = 0;
	ssize_t			 r;
	pid_t			 pid;
	int			 p[2], status;

	if (pipe2(p, O_CLOEXEC) != 0)
		return (-1);
	if ((pid = fork()) < 0) {
		(void)close(p[0]);
		(void)close(p[1]);
		return (-1);
	}
	if (pid == 0) {
		const char	*b;
		size_t		 left;

		(void)close(p[0]);
		if (unshare(CLONE_NEWNS) != 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
		    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC, NULL) != 0)
			_exit(1);
		n = proc_scan_here(&v);
		b = (const char *)v;
		for (left = n * sizeof(*v); left > 0; left -= (size_t)r) {
			if ((r = write(p[1], b, left)) < 0) {
				if (errno == EINTR)
					r = 0;
				else
					_exit(1);
			}
			b += r;
		}
		_exit(0);
	}
	(void)close(p[1]);
	for (;;) {
		if (got == cap * sizeof(*v)) {	/* got counts bytes */
			cap = cap == 0 ? 1024 : cap * 2;
			if ((grown = realloc(v, cap * sizeof(*v))) == NULL)
				die("realloc");
			v = grown;
		}
		r = read(p[0], (char *)v + got, cap * sizeof(*v) - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	(void)close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    got % sizeof(*v) != 0) {
		free(v);
		return (-1);
	}
	*out = v;
	return ((ssize_t)(got / sizeof(*v)));
}

/* Every process in /proc with its parent, looked at from a child if can. */
static size_t
proc_scan(struct proc_entry **out)
{
	ssize_t	n;

	if ((n = proc_scan_private(out)) >= 0)
		return ((size_t)n);
	return (proc_scan_here(out));
}

/*
 * The descendants of root (root included when with_root), less the pids
 * in the sorted array skip; returns how many, the pids in *out.
 */
static size_t
proc_descendants(pid_t root, int with_root, const pid_t *skip, size_t nskip,
    pid_t **out)
{
	struct proc_entry	*all, key, *first;
	pid_t			*queue, *kept;
	size_t			 n, nq = 0, head = 0, nkept = 0, lo, hi, mid;

	n = proc_scan(&all);
	qsort(all, n, sizeof(*all), proc_cmp_ppid);
	if ((queue = calloc(n + 1, sizeof(*queue))) == NULL ||
	    (kept = calloc(n + 1, sizeof(*kept))) == NULL)
		die("calloc");
	queue[nq++] = root;
	while (head < nq) {
		key.ppid = queue[head++];
		key.pid = 0;
		/* The first entry whose parent is key.ppid. */
		lo = 0;
		hi = n;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (proc_cmp_ppid(&all[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (first = all + lo; first < all + n &&
		    first->ppid == key.ppid; first++) {
			if (first->pid != root && nq < n + 1)
				queue[nq++] = first->pid;
		}
	}
	for (head = with_root ? 0 : 1; head < nq; head++) {
		if (nskip > 0 && bsearch(&queue[head], skip, nskip,
		    sizeof(*skip), pid_cmp) != NULL)
			continue;
		kept[nkept++] = queue[head];
	}
	free(queue);
	free(all);
	*out = kept;
	return (nkept);
}

/*
 * Add the children of pid (every thread's "children" file) to the queue
 * q of *nq (room for cap), less those in the sorted array skip.  Returns
 * -1 when the kernel has no such file.
 */
static int
proc_children(pid_t pid, const pid_t *skip, size_t nskip, pid_t **q,
    size_t *nq, size_t *cap)
{
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	char		 path[320];
	pid_t		*grown;
	long		 child;
	int		 found = 0;

	(void)snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	if ((d = opendir(path)) == NULL)
		return (0);	/* gone meanwhile */
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%ld/task/%s/children",
		    (long)pid, de->d_name);
		if ((f = fopen(path, "re")) == NULL)
			continue;
		found = 1;
		while (fscanf(f, "%ld", &child) == 1) {
			if (nskip > 0 && bsearch(&(pid_t){ (pid_t)child }, skip,
			    nskip, sizeof(*skip), pid_cmp) != NULL)
				continue;
			if (*nq == *cap) {
				*cap *= 2;
				if ((grown = realloc(*q, *cap * sizeof(**q))) ==
				    NULL)
					die("realloc");
				*q = grown;
			}
			(*q)[(*nq)++] = (pid_t)child;
		}
		(void)fclose(f);
	}
	(void)closedir(d);
	return (found ? 0 : -1);
}

/*
 * The pids of the supervisor's own processes: root's tree less tinies.
 * The tree is walked through the "children" files, so that no service's
 * /proc directory is ever looked at: a /proc entry once looked up must be
 * flushed when its process is reaped, a cost the floor does not pay.
 * Without those files, every process in /proc is read instead.
 */
static size_t
supervisor_pids(pid_t root, pid_t **out)
{
	pid_t	*skip, *q;
	size_t	 n, head, cap = 64;

	if ((skip = calloc(nrecords + 1, sizeof(*skip))) == NULL ||
	    (q = calloc(cap, sizeof(*q))) == NULL)
		die("calloc");
	memcpy(skip, records, nrecords * sizeof(*skip));
	qsort(skip, nrecords, sizeof(*skip), pid_cmp);
	n = 0;
	q[n++] = root;
	for (head = 0; head < n; head++) {
		if (proc_children(q[head], skip, nrecords, &q, &n, &cap) != 0) {
			free(q);
			n = proc_descendants(root, 1, skip, nrecords, out);
			free(skip);
			return (n);
		}
	}
	free(skip);
	*out = q;
	return (n);
}

/* Voluntary plus involuntary context switches of every thread of pid. */
static long
proc_ctxsw(pid_t pid)
{
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	char		 path[320], line[256];
	long		 total = 0, v;

	(void)snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	if ((d = opendir(path)) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%ld/task/%s/status",
		    (long)pid, de->d_name);
		if ((f = fopen(path, "re")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL) {
			if (sscanf(line, "voluntary_ctxt_switches: %ld",
			    &v) == 1 ||
			    sscanf(line, "nonvoluntary_ctxt_switches: %ld",
			    &v) == 1)
				total += v;
		}
		(void)fclose(f);
	}
	(void)closedir(d);
	return (total);
}

/* Context switches of a set of processes, summed. */
static long
procs_ctxsw(const pid_t *pids, size_t n)
{
	long	total = 0;
	size_t	i;

	for (i = 0; i < n; i++)
		total += proc_ctxsw(pids[i]);
	return (total);
}

/* Add the memory of one process (smaps_rollup) to *mu; -1 if unreadable. */
static int
proc_memory(pid_t pid, struct mem_usage *mu)
{
	FILE	*f;
	char	 path[64], line[256];
	long	 v;

	(void)snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup",
	    (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "Rss: %ld", &v) == 1)
			mu->rss += v;
		else if (sscanf(line, "Pss: %ld", &v) == 1)
			mu->pss += v;
		else if (sscanf(line, "Private_Clean: %ld", &v) == 1 ||
		    sscanf(line, "Private_Dirty: %ld", &v) == 1)
			mu->private += v;
	}
	(void)fclose(f);
	mu->procs++;
	return (0);
}

/* Launch a copy of tiny; its pid, or -1. */
static pid_t
spawn_tiny(enum spawn_method m, const char *tiny)
{
	char	*argv[2];
	pid_t	 pid;
	int	 error;

	argv[0] = (char *)tiny;
	argv[1] = NULL;
	switch (m) {
	case SPAWN_POSIX:
		error = posix_spawn(&pid, tiny, NULL, NULL, argv, environ);
		if (error != 0) {
			errno = error;
			return (-1);
		}
		return (pid);
	case SPAWN_FORK:
		pid = fork();
		break;
	case SPAWN_VFORK:
	default:
		pid = vfork();
		break;
	}
	if (pid == 0) {
		execve(tiny, argv, environ);
		_exit(127);
	}
	return (pid);
}

/*
 * Launch a command as our child, its standard output to fd out and its
 * standard error to fd err (-1: /dev/null), with PATH search; its pid, or
 * -1.
 */
static pid_t
spawn_command(char *const argv[], int out, int err)
{
	posix_spawn_file_actions_t	fa;
	pid_t				pid;
	int				error;

	(void)posix_spawn_file_actions_init(&fa);
	(void)posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
	    0);
	if (out >= 0)
		(void)posix_spawn_file_actions_adddup2(&fa, out, 1);
	else
		(void)posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
		    O_WRONLY, 0);
	if (err >= 0)
		(void)posix_spawn_file_actions_adddup2(&fa, err, 2);
	else
		(void)posix_spawn_file_actions_addopen(&fa, 2, "/dev/null",
		    O_WRONLY, 0);
	error = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	(void)posix_spawn_file_actions_destroy(&fa);
	if (error != 0) {
		errno = error;
		return (-1);
	}
	return (pid);
}

/* Wait for one child, for at most ms; its status, or -1 on time out. */
static int
wait_child(pid_t pid, long ms)
{
	int	status;

	alarm_ms(ms);
	while (waitpid(pid, &status, 0) != pid) {
		if (errno != EINTR || alarmed) {
			alarm_ms(0);
			return (-1);
		}
	}
	alarm_ms(0);
	return (status);
}

/*
 * Run the phase hook (-P), if any, at one edge ("begin" or "end") of a
 * phase, with BENCH_PHASE and BENCH_EDGE in its environment; it runs before
 * the phase's clock starts and after it stops (bench/profile starts and
 * stops its recording there).
 */
static void
run_phase_hook(const char *name, const char *edge)
{
	char	*argv[4];
	pid_t	 pid;

	if (phase_hook == NULL || setenv("BENCH_PHASE", name, 1) != 0 ||
	    setenv("BENCH_EDGE", edge, 1) != 0)
		return;
	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = (char *)phase_hook;
	argv[3] = NULL;
	if ((pid = spawn_command(argv, 2, 2)) < 0)
		return;
	if (wait_child(pid, 120000) == -1) {
		fprintf(stderr, "harness: phase hook timed out\n");
		(void)kill(pid, SIGKILL);
		(void)wait_child(pid, 10000);
	}
}

/*
 * Kill (SIGKILL, by pid) whatever is left below us and reap it all;
 * returns how many processes had to be killed.
 */
static long
teardown(void)
{
	pid_t	*left;
	size_t	 n, i;
	long	 killed = 0;
	int	 pass, status;

	for (pass = 0; pass < 20; pass++) {
		while (waitpid(-1, &status, WNOHANG) > 0)
			;
		n = proc_descendants(getpid(), 0, NULL, 0, &left);
		for (i = 0; i < n; i++) {
			if (kill(left[i], SIGKILL) == 0)
				killed++;
		}
		free(left);
		if (n == 0)
			break;
		alarm_ms(1000);
		while (waitpid(-1, &status, 0) > 0 || errno == EINTR) {
			if (alarmed)
				break;
		}
		alarm_ms(0);
	}
	return (killed);
}

/*
 * Wait until every process below us has exited and been reaped, for at
 * most ms; 0, or -1 on time out.
 */
static int
reap_all(long ms)
{
	int	status;

	alarm_ms(ms);
	for (;;) {
		if (waitpid(-1, &status, 0) > 0)
			continue;
		if (errno == ECHILD)
			break;
		if (errno == EINTR && (alarmed || interrupted)) {
			alarm_ms(0);
			return (-1);
		}
	}
	alarm_ms(0);
	return (0);
}

/* One floor trial with one spawning method. */
static void
floor_method(enum spawn_method m, const char *tiny, size_t n, size_t k,
    double timeout, double best[4])
{
	const char	*name = spawn_method_names[m];
	pid_t		*kids;
	double		 t0, t, samples[MAX_SAMPLES];
	char		 key[64];
	size_t		 i, j, idx;
	int		 died = 0, status;

	if ((kids = calloc(n, sizeof(*kids))) == NULL)
		die("calloc");

	/* S1: N at once, until all run. */
	nrecords = 0;
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		if ((kids[i] = spawn_tiny(m, tiny)) < 0)
			die("spawn");
		if (i % 64 == 63)
			(void)fifo_drain(0);
	}
	if (fifo_wait(n, timeout, 0, &died) != 0) {
		fprintf(stderr, "harness: floor %s: %zu of %zu ran\n", name,
		    nrecords, n);
		exit(1);
	}
	t = last_record_ms - t0;
	(void)snprintf(key, sizeof(key), "floor_s1_%s_ms", name);
	put(key, t);
	if (t < best[0])
		best[0] = t;

	/* S7: kill one, reap it, launch its replacement, until it runs. */
	for (j = 0; j < k; j++) {
		idx = (j * n) / k + n / (2 * k);
		t0 = now_ms();
		(void)kill(kids[idx], SIGKILL);
		(void)waitpid(kids[idx], &status, 0);
		if ((kids[idx] = spawn_tiny(m, tiny)) < 0)
			die("spawn");
		if (fifo_wait(nrecords + 1, timeout, 0, &died) != 0) {
			fprintf(stderr, "harness: floor %s: respawn timed "
			    "out\n", name);
			exit(1);
		}
		samples[j] = last_record_ms - t0;
	}
	if (k > 0) {
		t = median(samples, k);
		(void)snprintf(key, sizeof(key), "floor_s7_%s_ms", name);
		put(key, t);
		if (t < best[3])
			best[3] = t;
	}

	/* S3: SIGTERM to all, until all are reaped. */
	t0 = now_ms();
	for (i = 0; i < n; i++)
		(void)kill(kids[i], SIGTERM);
	for (i = 0; i < n; i++)
		(void)waitpid(kids[i], &status, 0);
	t = now_ms() - t0;
	(void)snprintf(key, sizeof(key), "floor_s3_%s_ms", name);
	put(key, t);
	if (t < best[2])
		best[2] = t;

	/* S2: one after another, each waiting for the previous to run. */
	nrecords = 0;
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		if ((kids[i] = spawn_tiny(m, tiny)) < 0)
			die("spawn");
		if (fifo_wait(i + 1, timeout, 0, &died) != 0) {
			fprintf(stderr, "harness: floor %s: serial start "
			    "timed out\n", name);
			exit(1);
		}
	}
	t = last_record_ms - t0;
	(void)snprintf(key, sizeof(key), "floor_s2_%s_ms", name);
	put(key, t);
	if (t < best[1])
		best[1] = t;
	for (i = 0; i < n; i++)
		(void)kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++)
		(void)waitpid(kids[i], &status, 0);
	free(kids);
}

/* harness floor */
static int
cmd_floor(int argc, char **argv)
{
	const char	*tiny = NULL, *fifo = NULL;
	double		 best[4] = { 1e300, 1e300, 1e300, 1e300 };
	struct phase	 ph;
	double		 timeout = 120e3;
	size_t		 n = 0, k = 5;
	int		 ch, m;

	while ((ch = getopt(argc, argv, "+n:t:f:k:T:")) != -1) {
		switch (ch) {
		case 'n':
			n = (size_t)number(optarg, 1, 1000000);
			break;
		case 't':
			tiny = optarg;
			break;
		case 'f':
			fifo = optarg;
			break;
		case 'k':
			k = (size_t)number(optarg, 0, MAX_SAMPLES);
			break;
		case 'T':
			timeout = 1e3 * (double)number(optarg, 1, 86400);
			break;
		default:
			usage();
		}
	}
	if (n == 0 || tiny == NULL || fifo == NULL || optind != argc)
		usage();
	if (k > n)
		k = n;
	if (setenv("BENCH_FIFO", fifo, 1) != 0)
		die("setenv");
	fifo_open(fifo);
	phase_begin(&ph, "floor");
	for (m = SPAWN_POSIX; m <= SPAWN_VFORK && !interrupted; m++)
		floor_method((enum spawn_method)m, tiny, n, k, timeout, best);
	(void)teardown();
	fifo_close(fifo);
	if (interrupted)
		return (1);
	phase_end(&ph, "floor");
	put("floor_s1_ms", best[0]);
	put("floor_s2_ms", best[1]);
	put("floor_s3_ms", best[2]);
	if (k > 0)
		put("floor_s7_ms", best[3]);
	return (0);
}

/*
 * Let the supervisor finish what starting left to do: wait (at most 10 s)
 * until its processes have not been switched to for 500 ms.
 */
static double
trial_settle(pid_t root)
{
	pid_t	*sup;
	size_t	 n;
	double	 t0 = now_ms();
	long	 before, after;
	int	 quiet = 0;

	n = supervisor_pids(root, &sup);
	before = procs_ctxsw(sup, n);
	while (quiet < 2 && now_ms() - t0 < 10e3 && !interrupted) {
		pause_ms(250);
		after = procs_ctxsw(sup, n);
		quiet = after == before ? quiet + 1 : 0;
		before = after;
	}
	free(sup);
	return (now_ms() - t0);
}

/*
 * Count the system calls strace -c saw in its output file, less
 * restart_syscall (the kernel restarting the sleep that attaching
 * interrupted); the names go to names.
 */
static long
strace_count(const char *file, char *names, size_t len)
{
	FILE	*f;
	char	 line[256], name[64], *fields[6], *p;
	long	 total = 0, calls;
	int	 nf;

	names[0] = '\0';
	if ((f = fopen(file, "re")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (!isdigit((unsigned char)line[strspn(line, " ")]))
			continue;
		nf = 0;
		for (p = strtok(line, " \t\n"); p != NULL && nf < 6;
		    p = strtok(NULL, " \t\n"))
			fields[nf++] = p;
		/* % time, seconds, usecs/call, calls, [errors,] syscall */
		if (nf < 5)
			continue;
		(void)snprintf(name, sizeof(name), "%s", fields[nf - 1]);
		if (strcmp(name, "total") == 0 ||
		    strcmp(name, "restart_syscall") == 0)
			continue;
		calls = strtol(fields[3], NULL, 10);
		total += calls;
		if (strlen(names) + strlen(name) + 24 < len)
			(void)snprintf(names + strlen(names),
			    len - strlen(names), "%s%s:%ld",
			    names[0] != '\0' ? "," : "", name, calls);
	}
	(void)fclose(f);
	return (total);
}

/*
 * S6: wakeups of the supervisor's processes over idle ms with nothing
 * happening.  A process that was never switched to made no system call;
 * when some were, strace (if we have it) says which, on the root process,
 * over a second window of the same length.
 */
static void
trial_idle(pid_t root, double idle, const char *strace, const char *tmp,
    int log)
{
	pid_t	*sup, sp;
	size_t	 n;
	long	 before, after, calls;
	char	 file[PATH_MAX], pidstr[24], names[512];
	char	*argv[8];

	n = supervisor_pids(root, &sup);
	before = procs_ctxsw(sup, n);
	pause_ms(idle);
	after = procs_ctxsw(sup, n);
	free(sup);
	put_count("idle_procs", (long)n);
	put_count("idle_wakeups", after - before);
	if (after == before) {
		put_count("idle_syscalls", 0);
		put_word("idle_syscalls_by", "ctxsw");
		return;
	}
	if (strace == NULL || interrupted)
		return;
	(void)snprintf(file, sizeof(file), "%s.strace", tmp);
	(void)snprintf(pidstr, sizeof(pidstr), "%ld", (long)root);
	argv[0] = (char *)strace;
	argv[1] = "-c";
	argv[2] = "-o";
	argv[3] = file;
	argv[4] = "-p";
	argv[5] = pidstr;
	argv[6] = NULL;
	if ((sp = spawn_command(argv, log, log)) < 0)
		return;
	pause_ms(1000);		/* let it attach */
	pause_ms(idle);
	(void)kill(sp, SIGINT);
	if (wait_child(sp, 10000) == -1) {
		(void)kill(sp, SIGKILL);
		(void)wait_child(sp, 10000);
	}
	if ((calls = strace_count(file, names, sizeof(names))) >= 0) {
		put_count("idle_syscalls", calls);
		put_word("idle_syscalls_by", "strace-root");
		if (names[0] != '\0')
			put_word("idle_syscall_names", names);
	}
	(void)unlink(file);
}

/* S4: the memory of the supervisor's own processes. */
static void
trial_memory(pid_t root)
{
	struct mem_usage	 mu;
	pid_t			*sup;
	size_t			 n, i;

	memset(&mu, 0, sizeof(mu));
	n = supervisor_pids(root, &sup);
	for (i = 0; i < n; i++)
		(void)proc_memory(sup[i], &mu);
	free(sup);
	if (mu.procs == 0)
		return;
	put_count("mem_procs", mu.procs);
	put_count("mem_private_kib", mu.private);
	put_count("mem_pss_kib", mu.pss);
	put_count("mem_rss_kib", mu.rss);
}

/* S5 and friends: a shell command run with the supervisor up. */
static void
trial_hook(const char *hook)
{
	char	*argv[4];
	pid_t	 pid;

	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = (char *)hook;
	argv[3] = NULL;
	(void)fflush(stdout);
	if ((pid = spawn_command(argv, 1, 2)) < 0)
		return;
	/* The hook's figures go to our standard output. */
	if (wait_child(pid, 300000) == -1) {
		fprintf(stderr, "harness: hook timed out\n");
		(void)kill(pid, SIGKILL);
		(void)wait_child(pid, 10000);
	}
}

/*
 * S7: kill k services' processes, one at a time, and time each until its
 * replacement runs.  live holds the current pid of every service.
 */
static void
trial_respawn(pid_t *live, size_t n, size_t k, double timeout,
    const struct phase *ph)
{
	double	samples[MAX_SAMPLES], t0;
	size_t	j, idx, done = 0;
	int	died = 0;

	for (j = 0; j < k && !interrupted; j++) {
		idx = (j * n) / k + n / (2 * k);
		t0 = now_ms();
		if (kill(live[idx], SIGKILL) != 0)
			continue;
		if (fifo_wait(nrecords + 1, timeout, 0, &died) != 0) {
			put_count("respawn_timeouts", 1);
			break;
		}
		samples[done++] = last_record_ms - t0;
		live[idx] = records[nrecords - 1];
	}
	if (done == 0)
		return;
	put_count("respawn_n", (long)done);
	phase_end(ph, "respawn");
	put("respawn_ms", median(samples, done));
	put("respawn_min_ms", samples[0]);
	put("respawn_max_ms", samples[done - 1]);
}

/*
 * Wait until none of the n pids in live is left (reaped by the supervisor:
 * kill(2) with signal 0 says ESRCH), for at most timeout ms; 0, or -1 on
 * time out.  kill(2) does not look a process up in /proc.
 */
static int
wait_gone(const pid_t *live, size_t n, double timeout)
{
	double	end = now_ms() + timeout;
	size_t	i = 0;

	while (i < n) {
		if (kill(live[i], 0) != 0 && errno == ESRCH) {
			i++;
			continue;
		}
		if (interrupted || now_ms() > end)
			return (-1);
		pause_ms(1);
	}
	return (0);
}

/* Tasks running or runnable now (procs_running of /proc/stat), or -1. */
static long
procs_running(void)
{
	FILE	*f;
	char	 line[256];
	long	 n = -1;

	if ((f = fopen("/proc/stat", "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "procs_running %ld", &n) == 1)
			break;
	(void)fclose(f);
	return (n);
}

/*
 * Wait (at most 30 s) until the machine has been quiet for a second: at
 * most two runnable tasks (we are one) in five looks 0.2 s apart, as
 * bench/run does between trials.  The kernel goes on tearing down
 * thousands of processes after their supervisor has reaped them.
 */
static void
quiesce(void)
{
	double	end = now_ms() + 30e3;
	int	quiet = 0;

	while (quiet < 5 && now_ms() < end && !interrupted) {
		pause_ms(200);
		quiet = procs_running() <= 2 ? quiet + 1 : 0;
	}
}

/*
 * Wait for a control command of S1-warm to finish; 0 when it succeeded,
 * else -1 with the error word what reported (a hung command is killed).
 */
static int
warm_command_done(pid_t pid, const char *name, double timeout,
    const char *what)
{
	int	status;

	if ((status = wait_child(pid, (long)timeout)) == 0)
		return (0);
	fprintf(stderr, "harness: %s failed\n", name);
	put_word("error", what);
	if (status == -1) {
		(void)kill(pid, SIGKILL);
		(void)wait_child(pid, 10000);
	}
	return (-1);
}

/*
 * S1-warm: with all N running, stop them all through the supervisor's
 * control tool (stop_argv, e.g. dinitctl stop boot) and start them all
 * again (start_argv), the way an administrator restarts a target.  The
 * stop is timed until the last service's process is reaped, the start
 * until the N-th new record comes.  live is updated to the new pids.
 * Returns 0, or -1 when a command failed or a wait ran out of time.
 */
static int
trial_warm(pid_t root, char **stop_argv, char **start_argv, pid_t *live,
    size_t n, double timeout, int log)
{
	struct phase	ph;
	size_t		base;
	double		t0, t;
	pid_t		pid;
	int		died = 0;

	phase_begin(&ph, "warmstop");
	t0 = now_ms();
	if ((pid = spawn_command(stop_argv, log, log)) < 0) {
		fprintf(stderr, "harness: cannot run %s: %s\n", stop_argv[0],
		    strerror(errno));
		put_word("error", "warm-stop-failed");
		return (-1);
	}
	if (warm_command_done(pid, stop_argv[0], timeout,
	    "warm-stop-failed") != 0)
		return (-1);
	if (wait_gone(live, n, timeout) != 0) {
		put_word("error", "warm-stop-timeout");
		return (-1);
	}
	t = now_ms() - t0;
	phase_end(&ph, "warmstop");
	put("warmstop_ms", t);

	/* The kernel tears the processes down after they are reaped. */
	(void)trial_settle(root);
	quiesce();
	while (fifo_drain(0) > 0)
		;
	base = nrecords;
	phase_begin(&ph, "warmstart");
	t0 = now_ms();
	if ((pid = spawn_command(start_argv, log, log)) < 0) {
		fprintf(stderr, "harness: cannot run %s: %s\n", start_argv[0],
		    strerror(errno));
		put_word("error", "warm-start-failed");
		return (-1);
	}
	if (fifo_wait(base + n, timeout, 0, &died) != 0) {
		fprintf(stderr, "harness: warm start: %zu of %zu services ran\n",
		    nrecords - base, n);
		put_word("error", "warm-start-timeout");
		(void)kill(pid, SIGKILL);
		(void)wait_child(pid, 10000);
		return (-1);
	}
	t = last_record_ms - t0;
	phase_end(&ph, "warmstart");
	put("warmstart_ms", t);
	if (warm_command_done(pid, start_argv[0], timeout,
	    "warm-start-failed") != 0)
		return (-1);
	memcpy(live, records + base, n * sizeof(*live));
	return (0);
}

/* Split a stop command on blanks into argv (at most 31 words). */
static void
split_words(char *s, char **argv, size_t max)
{
	size_t	n = 0;
	char	*p;

	for (p = strtok(s, " \t"); p != NULL && n + 1 < max;
	    p = strtok(NULL, " \t"))
		argv[n++] = p;
	argv[n] = NULL;
}

/* Signal number of a name such as "TERM" or "HUP", or a number. */
static int
signal_number(const char *s)
{
	static const struct {
		const char	*name;
		int		 sig;
	} sigs[] = {
		{ "TERM", SIGTERM }, { "HUP", SIGHUP }, { "INT", SIGINT },
		{ "QUIT", SIGQUIT }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 },
		{ "USR2", SIGUSR2 }
	};
	size_t	i;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof(sigs) / sizeof(*sigs); i++) {
		if (strcmp(s, sigs[i].name) == 0)
			return (sigs[i].sig);
	}
	return ((int)number(s, 1, NSIG - 1));
}

/* harness trial */
static int
cmd_trial(int argc, char **argv)
{
	const char	*fifo = NULL, *logfile = "/dev/null", *strace = NULL;
	const char	*hook = NULL;
	char		*stop_cmd = NULL, *stop_argv[32];
	char		*warm_stop = NULL, *warm_stop_argv[32];
	char		*warm_start = NULL, *warm_start_argv[32];
	char		 pidstr[24];
	double		 timeout = 120e3, idle = 0, t0, t_running;
	size_t		 n = 0, k = 0;
	pid_t		 root, *live;
	struct phase	 ph;
	int		 ch, log, died = 0, memory = 1, stop_sig = SIGTERM;
	int		 failed = 0;

	while ((ch = getopt(argc, argv, "+n:f:l:i:k:Ms:H:S:C:W:w:P:T:")) != -1) {
		switch (ch) {
		case 'n':
			n = (size_t)number(optarg, 1, 1000000);
			break;
		case 'f':
			fifo = optarg;
			break;
		case 'l':
			logfile = optarg;
			break;
		case 'i':
			idle = 1e3 * (double)number(optarg, 0, 3600);
			break;
		case 'k':
			k = (size_t)number(optarg, 0, MAX_SAMPLES);
			break;
		case 'M':
			memory = 0;
			break;
		case 's':
			strace = optarg;
			break;
		case 'H':
			hook = optarg;
			break;
		case 'S':
			stop_sig = signal_number(optarg);
			break;
		case 'C':
			stop_cmd = optarg;
			break;
		case 'W':
			warm_stop = optarg;
			break;
		case 'w':
			warm_start = optarg;
			break;
		case 'P':
			phase_hook = optarg;
			break;
		case 'T':
			timeout = 1e3 * (double)number(optarg, 1, 86400);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (n == 0 || fifo == NULL || argc == 0)
		usage();
	if (k > n)
		k = n;
	if (stop_cmd != NULL)
		split_words(stop_cmd, stop_argv, 32);
	if ((warm_stop == NULL) != (warm_start == NULL))
		usage();
	if (warm_stop != NULL) {
		split_words(warm_stop, warm_stop_argv, 32);
		split_words(warm_start, warm_start_argv, 32);
	}

	if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		die("PR_SET_CHILD_SUBREAPER");
	if ((log = open(logfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0644)) < 0)
		die(logfile);
	if (setenv("BENCH_FIFO", fifo, 1) != 0)
		die("setenv");
	fifo_open(fifo);

	/* S1 (or S2): from the start request until all N run. */
	phase_begin(&ph, "start");
	t0 = now_ms();
	if ((root = spawn_command(argv, log, log)) < 0) {
		fprintf(stderr, "harness: cannot start %s: %s\n", argv[0],
		    strerror(errno));
		fifo_close(fifo);
		return (1);
	}
	(void)snprintf(pidstr, sizeof(pidstr), "%ld", (long)root);
	if (setenv("BENCH_SUPERVISOR_PID", pidstr, 1) != 0)
		die("setenv");
	if (fifo_wait(n, timeout, root, &died) != 0) {
		fprintf(stderr, "harness: %s: %zu of %zu services ran%s\n",
		    argv[0], nrecords, n, died ? " (the supervisor died)" :
		    interrupted ? " (interrupted)" : " (timed out)");
		put_count("running", (long)nrecords);
		put_word("error", died ? "supervisor-died" : "start-timeout");
		if (died && WIFEXITED(root_status))
			put_count("supervisor_exit", WEXITSTATUS(root_status));
		else if (died && WIFSIGNALED(root_status))
			put_count("supervisor_signal", WTERMSIG(root_status));
		failed = 1;
		goto stop;
	}
	t_running = last_record_ms;
	put_count("running", (long)nrecords);
	phase_end(&ph, "start");
	put("start_ms", t_running - t0);
	if ((live = calloc(n, sizeof(*live))) == NULL)
		die("calloc");
	memcpy(live, records, n * sizeof(*live));

	put("settle_ms", trial_settle(root));
	if (idle > 0 && !interrupted)
		trial_idle(root, idle, strace, fifo, log);
	if (memory && !interrupted)
		trial_memory(root);
	if (hook != NULL && !interrupted)
		trial_hook(hook);
	if (k > 0 && !interrupted) {
		/* s6 and runit wait 1 s before restarting a young service. */
		if (now_ms() - t_running < 1200)
			pause_ms(1200 - (now_ms() - t_running));
		phase_begin(&ph, "respawn");
		trial_respawn(live, n, k, 10e3, &ph);
		/*
		 * runsv sleeps a second before it exits when its service
		 * dies younger than a second: let the replacements age.
		 */
		pause_ms(1500);
	}
	if (warm_stop != NULL && !interrupted &&
	    trial_warm(root, warm_stop_argv, warm_start_argv, live, n, timeout,
	    log) != 0)
		failed = 1;
	free(live);

stop:
	/* S3: from the stop request until everything is reaped. */
	while (fifo_drain(0) > 0)
		;
	phase_begin(&ph, "stop");
	t0 = now_ms();
	if (stop_cmd != NULL) {
		if (spawn_command(stop_argv, log, log) < 0)
			fprintf(stderr, "harness: cannot run %s: %s\n",
			    stop_argv[0], strerror(errno));
	} else
		(void)kill(root, stop_sig);
	if (reap_all((long)timeout) == 0) {
		if (!failed) {
			t_running = now_ms();
			phase_end(&ph, "stop");
			put("stop_ms", t_running - t0);
		}
	} else {
		put_word("error", "stop-timeout");
		failed = 1;
	}
	put_count("killed_at_teardown", teardown());
	fifo_close(fifo);
	(void)close(log);
	return (failed || interrupted);
}

#define MAX_COMMANDS	8

/* One command timed by harness latency. */
struct latency_command {
	const char	 *prefix;
	char		**argv;
	double		  samples[MAX_SAMPLES];
	size_t		  done;
	long		  fails;
};

/* Run a command once and time it; -1 when it failed or hung. */
static double
latency_once(char **argv, int *failed)
{
	double	t0 = now_ms(), t;
	pid_t	pid;
	int	status;

	if ((pid = spawn_command(argv, -1, -1)) < 0)
		die(argv[0]);
	status = wait_child(pid, 30000);
	t = now_ms() - t0;
	if (status == -1) {
		(void)kill(pid, SIGKILL);
		(void)wait_child(pid, 10000);
	}
	*failed = status != 0;
	return (t);
}

/*
 * harness latency: PREFIX COMMAND [ARG ...] [--- PREFIX COMMAND ...]:
 * the commands run in turn, round after round, so that whatever the
 * machine does meanwhile weighs on each alike.
 */
static int
cmd_latency(int argc, char **argv)
{
	struct latency_command	 cmds[MAX_COMMANDS], *c;
	struct phase		 ph;
	const char		*phase = NULL;
	char			 key[128];
	size_t			 runs = 50, ncmds = 0, i, j;
	int			 ch, failed;

	while ((ch = getopt(argc, argv, "+r:p:")) != -1) {
		switch (ch) {
		case 'r':
			runs = (size_t)number(optarg, 1, MAX_SAMPLES);
			break;
		case 'p':
			phase = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	while (argc >= 2 && ncmds < MAX_COMMANDS) {
		c = &cmds[ncmds++];
		memset(c, 0, sizeof(*c));
		c->prefix = argv[0];
		c->argv = argv + 1;
		for (i = 1; i < (size_t)argc && strcmp(argv[i], "---") != 0;
		    i++)
			;
		if (i < (size_t)argc) {
			argv[i] = NULL;
			i++;
		}
		argc -= (int)i;
		argv += i;
	}
	if (ncmds == 0 || argc != 0)
		usage();
	if (phase != NULL)
		phase_begin(&ph, phase);
	for (i = 0; i < runs && !interrupted; i++) {
		for (j = 0; j < ncmds; j++) {
			c = &cmds[j];
			c->samples[c->done++] = latency_once(c->argv, &failed);
			c->fails += failed;
		}
	}
	if (phase != NULL)
		phase_end(&ph, phase);
	for (j = 0; j < ncmds; j++) {
		c = &cmds[j];
		if (c->done == 0)
			continue;
		(void)snprintf(key, sizeof(key), "%s_ms", c->prefix);
		put(key, median(c->samples, c->done));
		(void)snprintf(key, sizeof(key), "%s_min_ms", c->prefix);
		put(key, c->samples[0]);
		(void)snprintf(key, sizeof(key), "%s_max_ms", c->prefix);
		put(key, c->samples[c->done - 1]);
		(void)snprintf(key, sizeof(key), "%s_failures", c->prefix);
		put_count(key, c->fails);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	setup_process();
	argc--;
	argv++;
	if (strcmp(argv[0], "floor") == 0)
		return (cmd_floor(argc, argv));
	if (strcmp(argv[0], "trial") == 0)
		return (cmd_trial(argc, argv));
	if (strcmp(argv[0], "latency") == 0)
		return (cmd_latency(argc, argv));
	usage();
}
