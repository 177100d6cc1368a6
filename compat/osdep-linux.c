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

/* The platform layer for Linux. */

#include "compat.h"

#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>

/* Name of this platform layer. */
const char *
osdep_name(void)
{
	return ("linux");
}

/* Become the reaper of orphaned descendants (PR_SET_CHILD_SUBREAPER). */
int
osdep_set_subreaper(void)
{
#ifdef PR_SET_CHILD_SUBREAPER
	return (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
#else
	errno = ENOSYS;
	return (-1);
#endif
}

/* The peer's user id, from SO_PEERCRED. */
int
osdep_peer_uid(int fd, uid_t *uid)
{
	struct ucred	cred;
	socklen_t	len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
		return (-1);
	if (len != sizeof(cred)) {
		errno = EINVAL;
		return (-1);
	}
	*uid = cred.uid;
	return (0);
}
