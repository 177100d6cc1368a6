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

/* The platform layer for systems we know nothing particular about. */

#include "compat.h"

#include <errno.h>

/* Name of this platform layer. */
const char *
osdep_name(void)
{
	return ("unknown");
}

/* No portable way to adopt orphans: say so. */
int
osdep_set_subreaper(void)
{
	errno = ENOSYS;
	return (-1);
}

/*
 * No known way to learn a peer's identity: fail closed, so no peer is
 * taken for root.
 */
int
osdep_peer_uid(int fd, uid_t *uid)
{
	errno = ENOSYS;
	return (-1);
}
