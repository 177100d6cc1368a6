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
 * The fallback of osdep_cgroup_*, for a platform layer without control
 * groups: osdep_unsupported(OSDEP_CGROUPS) says why, so run-in-cgroup
 * and "dinit -b" are refused and these are never asked for more.
 */

#include "compat.h"

#include <errno.h>

/* No control groups. */
int
osdep_cgroup_base(const char *base)
{
	errno = ENOSYS;
	return (-1);
}

/* No control groups. */
int
osdep_cgroup_dir(const char *path, char *buf, size_t size)
{
	errno = ENOSYS;
	return (-1);
}

/* No control groups. */
int
osdep_cgroup_join(const char *dir)
{
	errno = ENOSYS;
	return (-1);
}

/* No control groups. */
int
osdep_cgroup_kill(const char *dir, int sig)
{
	errno = ENOSYS;
	return (-1);
}
