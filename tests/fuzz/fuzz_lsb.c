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
 * Fuzz target: the LSB header parser of dinit-import (lsb_parse), reading
 * an init.d script from memory, and the insserv.conf line parser
 * (lsb_conf_line) over the same lines on top of the default facilities.
 * fuzz-sources: rc-import/lsb.c rc-import/strlist.c
 */

#include "dinit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "fuzz.h"

/* Parse one input as an init.d script. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct lsb_header	 h;
	FILE			*fp;

	if (len == 0)
		return (0);
	memset(&h, 0, sizeof(h));
	if ((fp = fmemopen((void *)(uintptr_t)data, len, "r")) == NULL)
		return (0);
	lsb_parse(fp, &h);
	(void)fclose(fp);
	(void)lsb_ignored_name(h.provides.n > 0 ? h.provides.v[0] : "");
	lsb_header_free(&h);
	return (0);
}
