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
 * The scratch directory of a fuzz target: made once per process under
 * $TMPDIR and removed at exit, so that parallel fuzzing jobs do not meet.
 * fuzz-sources: (none; linked into every target)
 */

#include "dinit.h"

#include <dirent.h>
#include <err.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static char	fuzz_scratch[PATH_MAX];

/* Remove the scratch directory and what the targets left in it. */
static void
fuzz_cleanup(void)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[PATH_MAX];

	if (fuzz_scratch[0] == '\0' || (d = opendir(fuzz_scratch)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", fuzz_scratch,
		    de->d_name);
		(void)unlink(path);
	}
	(void)closedir(d);
	(void)rmdir(fuzz_scratch);
}

/* The scratch directory, made on first use. */
const char *
fuzz_dir(void)
{
	const char	*tmp;

	if (fuzz_scratch[0] != '\0')
		return (fuzz_scratch);
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	(void)snprintf(fuzz_scratch, sizeof(fuzz_scratch),
	    "%s/dinit-fuzz.XXXXXX", tmp);
	if (mkdtemp(fuzz_scratch) == NULL)
		err(1, "mkdtemp %s", fuzz_scratch);
	(void)atexit(fuzz_cleanup);
	return (fuzz_scratch);
}

/* The path of a file in the scratch directory (a static buffer). */
const char *
fuzz_path(const char *name)
{
	static char	path[PATH_MAX];

	(void)snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	return (path);
}

/* Replace a file of the scratch directory with the given bytes. */
void
fuzz_write(const char *name, const void *data, size_t len)
{
	char		 path[PATH_MAX];
	const char	*p = data;
	ssize_t		 n;
	int		 fd;

	(void)snprintf(path, sizeof(path), "%s", fuzz_path(name));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
		err(1, "open %s", path);
	while (len > 0) {
		if ((n = write(fd, p, len)) <= 0)
			err(1, "write %s", path);
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) == -1)
		err(1, "close %s", path);
}

/* Send the daemon library's log nowhere: the fuzzer's output stays legible. */
void
fuzz_quiet(void)
{
	log_set_sink(LOG_SINK_MAIN, -1, LOG_LEVEL_NONE);
	log_set_sink(LOG_SINK_CONSOLE, -1, LOG_LEVEL_NONE);
}
