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
 * Fuzz target: insserv.conf as dinit-import reads it (lsb_conf_read_file,
 * line by line through lsb_conf_line) on top of the default facilities,
 * then a look-up of every facility it names.
 * fuzz-sources: rc-import/lsb.c rc-import/strlist.c
 */

#include "dinit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "fuzz.h"

/* Read one input as an insserv.conf. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct lsb_conf	 c;
	size_t		 i;

	memset(&c, 0, sizeof(c));
	lsb_conf_default(&c);
	fuzz_write("insserv.conf", data, len);
	(void)lsb_conf_read_file(&c, fuzz_path("insserv.conf"));
	for (i = 0; i < c.nfac; i++) {
		if (lsb_conf_find(&c, c.fac[i].name) == NULL)
			abort();
	}
	lsb_conf_free(&c);
	return (0);
}
