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
 * Finding the daemon of a bgprocess service once its start command has
 * exited successfully: the pid its notification socket named (MAINPID=),
 * or the one in its pid file.  dinit will signal that pid as root, so it
 * is trusted only when nobody but root or the service's own user could
 * have put it there, and only when it names a live descendant of dinit:
 *
 *  - the pid file is a regular file (not a symbolic link, FIFO or
 *    device), owned by root or by the user the service runs as, and
 *    writable by neither group nor others;
 *  - its directory is not writable by others, unless it is sticky and
 *    owned by root or that user (then nobody else can replace the file);
 *  - the pid is a live process whose chain of parents reaches dinit (as
 *    PID 1 or a subreaper, every descendant stays in that chain); when
 *    dinit is neither, a process in the start command's session.
 *
 * Anything else fails the start, with the reason in the log.
 */

#include "dinit.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BGPROC_PID_TEXT		32	/* a pid file holds a number */
#define BGPROC_MAX_DEPTH	64	/* ancestors walked from the daemon */

/* The user a service runs as: run-as (a name or a number), or ours. */
static int
bgproc_owner(const struct service_desc *desc, uid_t *uid)
{
	struct passwd	*pw;
	char		*end;
	unsigned long	 n;

	*uid = geteuid();
	if (desc->run_as == NULL)
		return (0);
	errno = 0;
	n = strtoul(desc->run_as, &end, 10);
	if (*desc->run_as != '\0' && *end == '\0' && errno == 0) {
		*uid = (uid_t)n;
		return (0);
	}
	if ((pw = getpwnam(desc->run_as)) == NULL)
		return (-1);
	*uid = pw->pw_uid;
	return (0);
}

/* Whether the directory holding path lets only trusted users replace it. */
static int
bgproc_dir_safe(const char *path, uid_t owner, char *why, size_t len)
{
	struct stat	 sb;
	char		 dir[PATH_MAX];
	char		*slash;

	if (strlcpy(dir, path, sizeof(dir)) >= sizeof(dir))
		return (0);
	if ((slash = strrchr(dir, '/')) == NULL)
		(void)strlcpy(dir, ".", sizeof(dir));
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (stat(dir, &sb) != 0) {
		(void)snprintf(why, len, "%s: %s", dir, strerror(errno));
		return (0);
	}
	if ((sb.st_mode & S_IWOTH) == 0)
		return (1);
	if ((sb.st_mode & S_ISVTX) != 0 &&
	    (sb.st_uid == 0 || sb.st_uid == owner))
		return (1);
	(void)snprintf(why, len, "its directory %s is writable by others",
	    dir);
	return (0);
}

/* The pid in the text of a pid file: digits, then only white space. */
static pid_t
bgproc_parse(const char *text)
{
	char		*end;
	long long	 n;

	errno = 0;
	n = strtoll(text, &end, 10);
	if (end == text || errno != 0 || n <= 0 || n != (pid_t)n)
		return (0);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	return (*end == '\0' ? (pid_t)n : 0);
}

/* Read the pid file of a service, trusting it only when it is safe. */
static pid_t
bgproc_read(const struct service *s, char *why, size_t len)
{
	const struct service_desc	*desc = s->desc;
	struct stat			 sb;
	char				 path[PATH_MAX], text[BGPROC_PID_TEXT];
	uid_t				 owner;
	ssize_t				 n;
	pid_t				 pid;
	int				 fd;

	if (desc->rare->pid_file[0] == '/' || parse_desc_dir(desc) == NULL)
		(void)strlcpy(path, desc->rare->pid_file, sizeof(path));
	else
		(void)snprintf(path, sizeof(path), "%s/%s",
		    parse_desc_dir(desc), desc->rare->pid_file);
	if (bgproc_owner(desc, &owner) != 0) {
		(void)snprintf(why, len, "no user %s", desc->run_as);
		return (0);
	}
	/* Not a symbolic link; and a FIFO must not block us. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (fd < 0) {
		(void)snprintf(why, len, "pid file %s: %s", path,
		    errno == ELOOP ? "is a symbolic link" : strerror(errno));
		return (0);
	}
	pid = 0;
	if (fstat(fd, &sb) != 0)
		(void)snprintf(why, len, "pid file %s: %s", path,
		    strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		(void)snprintf(why, len, "pid file %s is not a regular file",
		    path);
	else if (sb.st_uid != 0 && sb.st_uid != owner)
		(void)snprintf(why, len, "pid file %s is owned by uid %lu, "
		    "neither root nor the service's user", path,
		    (unsigned long)sb.st_uid);
	else if ((sb.st_mode & (S_IWGRP | S_IWOTH)) != 0)
		(void)snprintf(why, len, "pid file %s is writable by group or "
		    "others", path);
	else if (bgproc_dir_safe(path, owner, why, len)) {
		n = read(fd, text, sizeof(text) - 1);
		text[n > 0 ? n : 0] = '\0';
		if ((pid = bgproc_parse(text)) == 0)
			(void)snprintf(why, len, "pid file %s holds no "
			    "process ID", path);
	} else {
		char	detail[PATH_MAX + 64];

		(void)snprintf(detail, sizeof(detail), "pid file %s: %s",
		    path, why);
		(void)strlcpy(why, detail, len);
	}
	(void)close(fd);
	return (pid);
}

/*
 * Whether a live process descends from dinit: its chain of parents
 * reaches us.  1 yes, 0 no (why says so).
 */
static int
bgproc_descends(pid_t pid, pid_t launcher, char *why, size_t len)
{
	pid_t	p = pid, parent, self = getpid();
	int	depth;

	for (depth = 0; depth < BGPROC_MAX_DEPTH; depth++) {
		if (osdep_proc_parent(p, &parent) != 0) {
			(void)snprintf(why, len, "process %ld %s", (long)pid,
			    errno == ESRCH ? "is not running" :
			    strerror(errno));
			return (0);
		}
		if (parent == self)
			return (1);
		if (parent <= 1)
			break;
		p = parent;
	}
	/*
	 * Neither PID 1 nor a subreaper, the daemon went to init: a process
	 * of the start command's session is the best that can be asked.
	 */
	if (!osdep_is_reaper() && getsid(pid) == launcher)
		return (1);
	(void)snprintf(why, len, "process %ld is not a descendant of dinit",
	    (long)pid);
	return (0);
}

/*
 * The daemon of a bgprocess service whose start command (launcher) has
 * exited successfully: main_pid (MAINPID=) when not 0, else the pid
 * file's.  Returns the pid, or 0 with the reason in why.
 */
pid_t
bgproc_daemon(const struct service *s, pid_t launcher, pid_t main_pid,
    char *why, size_t len)
{
	siginfo_t	si;
	pid_t		pid;

	why[0] = '\0';
	if ((pid = main_pid) == 0) {
		if (s->desc->rare->pid_file == NULL) {
			(void)strlcpy(why, "no MAINPID= came and there is no "
			    "pid-file", len);
			return (0);
		}
		if ((pid = bgproc_read(s, why, len)) == 0)
			return (0);
	}
	if (pid == 1 || pid == getpid() || pid == launcher) {
		(void)snprintf(why, len, "process ID %ld cannot be the daemon",
		    (long)pid);
		return (0);
	}
	if (!bgproc_descends(pid, launcher, why, len))
		return (0);
	/* A child of ours that has ended is not a live process either. */
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	    si.si_pid == pid) {
		(void)snprintf(why, len, "process %ld has exited already",
		    (long)pid);
		return (0);
	}
	return (pid);
}
