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

/* The platform layer for FreeBSD. */

#include "compat.h"

#include <sys/types.h>
#include <sys/procctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <unistd.h>

/* Name of this platform layer. */
const char *
osdep_name(void)
{
	return ("freebsd");
}

/* Become the reaper of orphaned descendants (PROC_REAP_ACQUIRE). */
int
osdep_set_subreaper(void)
{
	return (procctl(P_PID, getpid(), PROC_REAP_ACQUIRE, NULL));
}

/* The peer's user id, from getpeereid(3) (LOCAL_PEERCRED underneath). */
int
osdep_peer_uid(int fd, uid_t *uid)
{
	gid_t	gid;

	return (getpeereid(fd, uid, &gid));
}
