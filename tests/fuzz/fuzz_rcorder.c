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
 * Fuzz target: the rcorder header parser of dinit-import (rcorder_parse)
 * and the rc.subr variable scan (rcorder_scan_vars) over an rc.d script,
 * read from a file as dinit-import reads it (rcorder_parse_file).
 * fuzz-sources: rc-import/rcorder.c rc-import/strlist.c
 */

#include "dinit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "fuzz.h"

/* Parse one input as an rc.d script. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rcd_header	 h;
	struct rcd_vars		 v;

	memset(&h, 0, sizeof(h));
	memset(&v, 0, sizeof(v));
	fuzz_write("script", data, len);
	(void)rcorder_parse_file(fuzz_path("script"), &h, &v);
	if (v.name != NULL)
		(void)rcorder_scratch_name(v.name);
	rcorder_header_free(&h);
	rcorder_vars_free(&v);
	return (0);
}
