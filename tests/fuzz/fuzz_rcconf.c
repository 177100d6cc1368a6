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
 * Fuzz target: rc.conf as dinit-import reads it (rcconf_read, line by
 * line through rcconf_line), then checkyesno on every value it set.
 * fuzz-sources: rc-import/rcconf.c rc-import/strlist.c
 */

#include "dinit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "fuzz.h"

/* Read one input as an rc.conf. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct environ	 vars;
	const char	*eq;
	size_t		 i;

	environ_init(&vars);
	fuzz_write("rc.conf", data, len);
	(void)rcconf_read(&vars, fuzz_path("rc.conf"));
	for (i = 0; i < vars.count; i++) {
		if ((eq = strchr(vars.vars[i], '=')) != NULL)
			(void)rcconf_checkyesno(eq + 1);
	}
	environ_clear(&vars);
	return (0);
}
