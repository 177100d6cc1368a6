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
 * Fuzz target: one service description read by parse_service, the
 * parser's public entry point.  Inputs of odd length are parsed as the
 * service "svc@arg" (so $1 substitutes), even ones as "svc".  Includes
 * and env-file names are resolved relative to the scratch directory, where
 * nothing else lies: fuzz_load covers several files.
 * fuzz-sources: (none)
 */

#include "dinit.h"

#include <stdio.h>

#include "fuzz.h"

/* Parse one input as a description. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct environ	 env;
	static int		 ready;
	struct service_desc	*desc;
	struct parse_error	 perr;
	char			 buf[2048];

	if (!ready) {
		fuzz_quiet();
		environ_init(&env);
		(void)environ_set(&env, "HOME", "/nonexistent");
		(void)environ_set(&env, "VAR", "value with spaces");
		ready = 1;
	}
	fuzz_write("svc", data, len);
	desc = parse_service(len % 2 ? "svc@arg" : "svc", fuzz_path("svc"),
	    &env, &perr);
	if (desc == NULL)
		(void)parse_error_string(&perr, buf, sizeof(buf));
	parse_desc_free(desc);
	return (0);
}
