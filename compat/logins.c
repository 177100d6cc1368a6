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
 * Who is logged in, for the shutdown warning, and the records of the
 * processes init starts for terminal lines (inittab-id, inittab-line).
 * POSIX's utmpx functions are the same on every system that has them
 * (glibc's utmp, FreeBSD's utx.active); where the C library has none
 * (configure found no getutxent), nobody can be told, and inittab
 * settings are refused at load.
 */

#include "compat.h"

#include <sys/time.h>

#include <errno.h>
#include <string.h>
#ifdef HAVE_GETUTXENT
#include <utmpx.h>
#endif

/* Call fn with the terminal line of every user process logged in. */
int
osdep_login_lines(void (*fn)(const char *, void *), void *arg)
{
#ifdef HAVE_GETUTXENT
	struct utmpx	*ut;
	char		 line[sizeof(ut->ut_line) + 1];

	setutxent();
	while ((ut = getutxent()) != NULL) {
		if (ut->ut_type != USER_PROCESS || ut->ut_line[0] == '\0')
			continue;
		memcpy(line, ut->ut_line, sizeof(ut->ut_line));
		line[sizeof(ut->ut_line)] = '\0';
		fn(line, arg);
	}
	endutxent();
	return (0);
#else
	errno = ENOSYS;
	return (-1);
#endif
}

#ifdef HAVE_GETUTXENT
/* A record of a process of init's for a line: id and line as given. */
static void
logins_record(struct utmpx *ut, short type, const char *id,
    const char *line)
{
	struct timeval	tv;

	memset(ut, 0, sizeof(*ut));
	ut->ut_type = type;
	/* Fixed fields, NUL-terminated only when shorter (memset did). */
	memcpy(ut->ut_id, id, strnlen(id, sizeof(ut->ut_id)));
	memcpy(ut->ut_line, line, strnlen(line, sizeof(ut->ut_line)));
	(void)gettimeofday(&tv, NULL);
	ut->ut_tv.tv_sec = tv.tv_sec;
	ut->ut_tv.tv_usec = tv.tv_usec;
}
#endif

/*
 * A process started for a terminal line (a getty): its INIT_PROCESS
 * record, which login(1) turns into the user's.
 */
int
osdep_utmpx_init(const char *id, const char *line, pid_t pid)
{
#ifdef HAVE_GETUTXENT
	struct utmpx	ut;
	int		r;

	logins_record(&ut, INIT_PROCESS, id, line);
	ut.ut_pid = pid;
	setutxent();
	r = pututxline(&ut) != NULL ? 0 : -1;
	endutxent();
	return (r);
#else
	errno = ENOSYS;
	return (-1);
#endif
}

/*
 * The process of a line has ended: its record (found by id, or by line
 * when there is no id) becomes DEAD_PROCESS, keeping its pid.
 */
int
osdep_utmpx_dead(const char *id, const char *line)
{
#ifdef HAVE_GETUTXENT
	struct utmpx	ut, *found;
	int		r;

	logins_record(&ut, DEAD_PROCESS, id, line);
	setutxent();
	found = *id != '\0' ? getutxid(&ut) : getutxline(&ut);
	if (found != NULL)
		ut.ut_pid = found->ut_pid;
	setutxent();
	r = pututxline(&ut) != NULL ? 0 : -1;
	endutxent();
	return (r);
#else
	errno = ENOSYS;
	return (-1);
#endif
}
