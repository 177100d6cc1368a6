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
 * Encoding and decoding of control-protocol messages (doc/PROTOCOL.md).
 * Writers fill a caller's buffer and note overflow instead of failing
 * half-way; readers check every length against what is left, so a
 * malformed message can only make the reader "bad", never overrun.
 */

#include "compat.h"

#include <string.h>

#include "protocol.h"

/* Start a message of the given type in buf. */
void
proto_begin(struct proto_writer *w, uint8_t *buf, size_t size, uint16_t type)
{
	w->buf = buf;
	w->size = size;
	w->len = 0;
	w->overflow = 0;
	proto_put_u32(w, 0);	/* length, filled by proto_end */
	proto_put_u16(w, type);
}

/* Append raw bytes. */
void
proto_put_bytes(struct proto_writer *w, const void *p, size_t len)
{
	if (w->overflow || len > w->size - w->len ||
	    w->len + len > PROTO_MAX_MESSAGE + 4) {
		w->overflow = 1;
		return;
	}
	if (len > 0)
		memcpy(w->buf + w->len, p, len);
	w->len += len;
}

/* Append an unsigned byte. */
void
proto_put_u8(struct proto_writer *w, uint8_t v)
{
	proto_put_bytes(w, &v, 1);
}

/* Append a little-endian 16-bit integer. */
void
proto_put_u16(struct proto_writer *w, uint16_t v)
{
	uint8_t	b[2];

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	proto_put_bytes(w, b, 2);
}

/* Append a little-endian 32-bit integer. */
void
proto_put_u32(struct proto_writer *w, uint32_t v)
{
	uint8_t	b[4];

	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
	proto_put_bytes(w, b, 4);
}

/* Append a little-endian 64-bit integer. */
void
proto_put_u64(struct proto_writer *w, uint64_t v)
{
	proto_put_u32(w, (uint32_t)v);
	proto_put_u32(w, (uint32_t)(v >> 32));
}

/* Append a signed 32-bit integer (two's complement). */
void
proto_put_i32(struct proto_writer *w, int32_t v)
{
	proto_put_u32(w, (uint32_t)v);
}

/* Append a string: u16 length, then its bytes. */
void
proto_put_str(struct proto_writer *w, const char *s)
{
	size_t	len = s != NULL ? strlen(s) : 0;

	if (len > UINT16_MAX) {
		w->overflow = 1;
		return;
	}
	proto_put_u16(w, (uint16_t)len);
	proto_put_bytes(w, s, len);
}

/* Append a status record, as protocol version says it is laid out. */
void
proto_put_status(struct proto_writer *w, const struct proto_status *st,
    uint16_t version)
{
	proto_put_str(w, st->name);
	proto_put_u8(w, st->state);
	proto_put_u8(w, st->target);
	proto_put_u8(w, st->type);
	proto_put_u16(w, st->flags);
	proto_put_u8(w, st->stop_reason);
	proto_put_u8(w, st->exec_stage);
	proto_put_i32(w, st->exec_errno);
	proto_put_i32(w, st->pid);
	proto_put_u8(w, st->exit_kind);
	proto_put_i32(w, st->exit_value);
	proto_put_str(w, st->file);
	if (version >= PROTO_VERSION_STATUS_TEXT)
		proto_put_str(w, st->status_text);
}

/* Append a detail record (version 3; its zone from version 4). */
void
proto_put_detail(struct proto_writer *w, const struct proto_detail *d,
    uint16_t version)
{
	int	i;

	proto_put_u64(w, d->now);
	proto_put_u64(w, d->born);
	for (i = 0; i < 4; i++)
		proto_put_u64(w, d->entered[i]);
	proto_put_u64(w, d->launched);
	proto_put_u32(w, d->restarts);
	proto_put_u8(w, d->output);
	proto_put_str(w, d->log_path);
	if (version >= PROTO_VERSION_BYE)
		proto_put_u32(w, (uint32_t)d->zone);
}

/* Finish a message: fill in its length.  -1 if it did not fit. */
int
proto_end(struct proto_writer *w)
{
	uint32_t	len;

	if (w->overflow)
		return (-1);
	len = (uint32_t)(w->len - 4);
	w->buf[0] = (uint8_t)len;
	w->buf[1] = (uint8_t)(len >> 8);
	w->buf[2] = (uint8_t)(len >> 16);
	w->buf[3] = (uint8_t)(len >> 24);
	return (0);
}

/*
 * Look at the start of a byte stream: 1 when a whole frame is there (its
 * type and total size filled in), 0 when more bytes are needed, -1 when
 * the frame is malformed or too large.
 */
int
proto_frame(const uint8_t *p, size_t avail, uint16_t *type, size_t *total)
{
	uint32_t	len;

	if (avail < PROTO_HEADER_SIZE)
		return (0);
	len = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	if (len < 2 || len > PROTO_MAX_MESSAGE)
		return (-1);
	*type = (uint16_t)(p[4] | p[5] << 8);
	*total = (size_t)len + 4;
	return (avail >= *total);
}

/* Read the payload of a frame (after its header). */
void
proto_reader_init(struct proto_reader *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->left = len;
	r->bad = 0;
}

/* Take len raw bytes, or NULL (and mark bad) if not there. */
const uint8_t *
proto_get_bytes(struct proto_reader *r, size_t len)
{
	const uint8_t	*p;

	if (r->bad || len > r->left) {
		r->bad = 1;
		return (NULL);
	}
	p = r->p;
	r->p += len;
	r->left -= len;
	return (p);
}

/* Read an unsigned byte. */
uint8_t
proto_get_u8(struct proto_reader *r)
{
	const uint8_t	*p = proto_get_bytes(r, 1);

	return (p != NULL ? p[0] : 0);
}

/* Read a little-endian 16-bit integer. */
uint16_t
proto_get_u16(struct proto_reader *r)
{
	const uint8_t	*p = proto_get_bytes(r, 2);

	return (p != NULL ? (uint16_t)(p[0] | p[1] << 8) : 0);
}

/* Read a little-endian 32-bit integer. */
uint32_t
proto_get_u32(struct proto_reader *r)
{
	const uint8_t	*p = proto_get_bytes(r, 4);

	if (p == NULL)
		return (0);
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

/* Read a little-endian 64-bit integer. */
uint64_t
proto_get_u64(struct proto_reader *r)
{
	uint64_t	lo = proto_get_u32(r);

	return (lo | (uint64_t)proto_get_u32(r) << 32);
}

/* Read a signed 32-bit integer. */
int32_t
proto_get_i32(struct proto_reader *r)
{
	return ((int32_t)proto_get_u32(r));
}

/*
 * Read a string into buf (size bytes, terminated).  A string that does
 * not fit, or holds a NUL, makes the reader bad.  Returns 0 or -1.
 */
int
proto_get_str(struct proto_reader *r, char *buf, size_t size)
{
	uint16_t	 len = proto_get_u16(r);
	const uint8_t	*p = proto_get_bytes(r, len);

	if (p == NULL || (size_t)len >= size || memchr(p, '\0', len) != NULL) {
		r->bad = 1;
		if (size > 0)
			buf[0] = '\0';
		return (-1);
	}
	memcpy(buf, p, len);
	buf[len] = '\0';
	return (0);
}

/* Read a status record, as protocol version says it is laid out. */
int
proto_get_status(struct proto_reader *r, struct proto_status *st,
    uint16_t version)
{
	(void)proto_get_str(r, st->name, sizeof(st->name));
	st->state = proto_get_u8(r);
	st->target = proto_get_u8(r);
	st->type = proto_get_u8(r);
	st->flags = proto_get_u16(r);
	st->stop_reason = proto_get_u8(r);
	st->exec_stage = proto_get_u8(r);
	st->exec_errno = proto_get_i32(r);
	st->pid = proto_get_i32(r);
	st->exit_kind = proto_get_u8(r);
	st->exit_value = proto_get_i32(r);
	(void)proto_get_str(r, st->file, sizeof(st->file));
	st->status_text[0] = '\0';
	if (version >= PROTO_VERSION_STATUS_TEXT)
		(void)proto_get_str(r, st->status_text,
		    sizeof(st->status_text));
	return (r->bad ? -1 : 0);
}

/* Read a detail record.  Returns 0 or -1. */
int
proto_get_detail(struct proto_reader *r, struct proto_detail *d,
    uint16_t version)
{
	int	i;

	d->now = proto_get_u64(r);
	d->born = proto_get_u64(r);
	for (i = 0; i < 4; i++)
		d->entered[i] = proto_get_u64(r);
	d->launched = proto_get_u64(r);
	d->restarts = proto_get_u32(r);
	d->output = proto_get_u8(r);
	(void)proto_get_str(r, d->log_path, sizeof(d->log_path));
	d->zone = version >= PROTO_VERSION_BYE ? proto_get_i32(r) :
	    PROTO_NO_ZONE;
	return (r->bad ? -1 : 0);
}

/* Whether the whole payload was read, and read well. */
int
proto_done(const struct proto_reader *r)
{
	return (!r->bad && r->left == 0);
}
