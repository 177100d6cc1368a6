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
 * The fallback of osdep_sigchld_*, for a platform layer that cannot read
 * SIGCHLD from a descriptor: the daemon catches it as a signal.
 */

#include "compat.h"

#include <errno.h>

/* No such descriptor here: SIGCHLD is caught as a signal. */
int
osdep_sigchld_open(void)
{
	errno = ENOSYS;
	return (-1);
}

/* Never called: there is no descriptor. */
int
osdep_sigchld_read(int fd, pid_t *pids, int max)
{
	return (0);
}
