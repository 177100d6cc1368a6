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
 * Small helpers shared by the atf-c tests.  ATF runs every test case in a
 * fresh temporary directory, so fixtures are written with relative paths.
 */

#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <sys/stat.h>

#include <atf-c.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Write text to a file, replacing what it held. */
static inline void
testutil_write(const char *path, const char *text)
{
	FILE	*fp;

	ATF_REQUIRE_MSG((fp = fopen(path, "w")) != NULL, "cannot write %s: %s",
	    path, strerror(errno));
	ATF_REQUIRE(fputs(text, fp) >= 0);
	ATF_REQUIRE(fclose(fp) == 0);
}

/* Make a directory. */
static inline void
testutil_mkdir(const char *path)
{
	ATF_REQUIRE_MSG(mkdir(path, 0755) == 0, "cannot make %s: %s", path,
	    strerror(errno));
}

/* Read a whole (small) file into a new string; the caller frees it. */
static inline char *
testutil_read(const char *path)
{
	FILE	*fp;
	char	*buf;
	size_t	 n;

	ATF_REQUIRE_MSG((fp = fopen(path, "r")) != NULL, "cannot read %s: %s",
	    path, strerror(errno));
	ATF_REQUIRE((buf = calloc(1, 65536)) != NULL);
	n = fread(buf, 1, 65535, fp);
	buf[n] = '\0';
	(void)fclose(fp);
	return (buf);
}

#ifdef DINIT_H
/* The path of desc's file, in a buffer the next call reuses. */
static inline const char *
desc_file(const struct service_desc *desc)
{
	static char	path[1024];

	ATF_REQUIRE(parse_desc_file(desc, path, sizeof(path)) <
	    sizeof(path));
	return (path);
}
#endif

#endif /* TESTUTIL_H */
