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

#include "compat.h"

#include <string.h>

/*
 * Append src to the string in dst of size dsize, always terminating.
 * Returns the length the result would have had: >= dsize means truncation.
 */
size_t
strlcat(char *dst, const char *src, size_t dsize)
{
	size_t	dlen, slen, n;

	dlen = strnlen(dst, dsize);
	slen = strlen(src);
	if (dlen == dsize)
		return (dsize + slen);
	n = dsize - dlen - 1;
	if (slen < n)
		n = slen;
	memcpy(dst + dlen, src, n);
	dst[dlen + n] = '\0';
	return (dlen + slen);
}
