/*
 * buf — growable byte buffers and bounds-checked little-endian readers.
 */
#include "core/buf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"

void
wbuf_init(struct wbuf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
wbuf_free(struct wbuf *b)
{
	free(b->data);
	wbuf_init(b);
}

void
wbuf_reset(struct wbuf *b)
{
	b->len = 0;
}

void
wbuf_reserve(struct wbuf *b, size_t n)
{
	size_t want;

	if (b->cap - b->len >= n)
		return;
	/* Past this the doubling below would wrap and spin forever; no such
	 * buffer can exist anyway, so it is fatal like any other OOM. */
	if (n > SIZE_MAX / 2 - b->len)
		abort();
	want = b->cap ? b->cap : 256;
	while (want - b->len < n)
		want *= 2;
	b->data = xrealloc(b->data, want);
	b->cap = want;
}

void
wbuf_put(struct wbuf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	wbuf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void
wbuf_u8(struct wbuf *b, uint8_t v)
{
	wbuf_put(b, &v, 1);
}

void
wbuf_u16(struct wbuf *b, uint16_t v)
{
	uint8_t p[2] = { v & 0xff, v >> 8 };

	wbuf_put(b, p, 2);
}

void
wbuf_u32(struct wbuf *b, uint32_t v)
{
	uint8_t p[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

	wbuf_put(b, p, 4);
}

void
wbuf_i32(struct wbuf *b, int32_t v)
{
	wbuf_u32(b, (uint32_t)v);
}

void
wbuf_u64(struct wbuf *b, uint64_t v)
{
	wbuf_u32(b, (uint32_t)v);
	wbuf_u32(b, (uint32_t)(v >> 32));
}

void
wbuf_str(struct wbuf *b, const char *s)
{
	wbuf_blob(b, s, s ? strlen(s) : 0);
}

void
wbuf_blob(struct wbuf *b, const void *p, size_t n)
{
	wbuf_u32(b, (uint32_t)n);
	wbuf_put(b, p, n);
}

/* Formats straight into the spare room, and a second time only when the
 * result did not fit. (Sizing first with vsnprintf(NULL, 0, ...) also
 * trips a false -Wformat-truncation in gcc 12 under -fsanitize=undefined.) */
void
wbuf_printf(struct wbuf *b, const char *fmt, ...)
{
	va_list ap, again;
	size_t room;
	int n;

	wbuf_reserve(b, 64);
	room = b->cap - b->len;
	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(b->data + b->len, room, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n >= room) {
		wbuf_reserve(b, (size_t)n + 1);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	if (n > 0)
		b->len += (size_t)n;
}

void
wbuf_patch_u32(struct wbuf *b, size_t off, uint32_t v)
{
	uint8_t p[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

	/* Written so that a huge off cannot wrap around the bounds check. */
	if (off <= b->len && b->len - off >= 4)
		memcpy(b->data + off, p, 4);
}

void
wbuf_consume(struct wbuf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

int
wbuf_write_fd(struct wbuf *b, int fd)
{
	while (b->len > 0) {
		ssize_t n = write(fd, b->data, b->len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		wbuf_consume(b, (size_t)n);
	}
	return 0;
}

void
rbuf_init(struct rbuf *r, const void *data, size_t len)
{
	r->data = data;
	r->len = len;
	r->pos = 0;
	r->err = false;
}

size_t
rbuf_left(const struct rbuf *r)
{
	return r->len - r->pos;
}

const char *
rbuf_bytes(struct rbuf *r, size_t n)
{
	const char *p;

	if (r->err || rbuf_left(r) < n) {
		r->err = true;
		return NULL;
	}
	p = r->data + r->pos;
	r->pos += n;
	return p;
}

uint8_t
rbuf_u8(struct rbuf *r)
{
	const uint8_t *p = (const uint8_t *)rbuf_bytes(r, 1);

	return p ? p[0] : 0;
}

uint16_t
rbuf_u16(struct rbuf *r)
{
	const uint8_t *p = (const uint8_t *)rbuf_bytes(r, 2);

	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t
rbuf_u32(struct rbuf *r)
{
	const uint8_t *p = (const uint8_t *)rbuf_bytes(r, 4);

	if (!p)
		return 0;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int32_t
rbuf_i32(struct rbuf *r)
{
	return (int32_t)rbuf_u32(r);
}

uint64_t
rbuf_u64(struct rbuf *r)
{
	uint64_t lo = rbuf_u32(r);
	uint64_t hi = rbuf_u32(r);

	return lo | hi << 32;
}

const char *
rbuf_blob(struct rbuf *r, size_t *n)
{
	uint32_t len = rbuf_u32(r);
	const char *p = rbuf_bytes(r, len);

	*n = p ? len : 0;
	return p;
}

char *
rbuf_strdup(struct rbuf *r)
{
	size_t n;
	const char *p = rbuf_blob(r, &n);
	char *s;

	if (!p)
		return NULL;
	if (memchr(p, '\0', n)) {
		r->err = true;
		return NULL;
	}
	s = xmalloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}
