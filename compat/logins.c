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
 * Who is logged in, for the shutdown warning.  POSIX's utmpx reading
 * functions are the same on every system that has them (glibc's utmp,
 * FreeBSD's utx.active); where the C library has none (configure found no
 * getutxent), nobody can be told.
 */

#include "compat.h"

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
