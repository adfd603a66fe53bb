/*
 * buf — growable byte buffers and bounds-checked little-endian readers.
 *
 * Every wire message and every screen update is built with a wbuf and parsed
 * with an rbuf. An rbuf never reads past its end: a short read sets `err` and
 * returns zero, so a decoder can read a whole message and check once.
 */
#ifndef HEXE_BUF_H
#define HEXE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct wbuf {
	char *data;
	size_t len;
	size_t cap;
};

struct rbuf {
	const char *data;
	size_t len;
	size_t pos;
	bool err;
};

void wbuf_init(struct wbuf *b);
void wbuf_free(struct wbuf *b);
void wbuf_reset(struct wbuf *b);
/* Make room for n more bytes; aborts on out-of-memory (the one fatal case). */
void wbuf_reserve(struct wbuf *b, size_t n);
void wbuf_put(struct wbuf *b, const void *p, size_t n);
void wbuf_u8(struct wbuf *b, uint8_t v);
void wbuf_u16(struct wbuf *b, uint16_t v);
void wbuf_u32(struct wbuf *b, uint32_t v);
void wbuf_i32(struct wbuf *b, int32_t v);
void wbuf_u64(struct wbuf *b, uint64_t v);
/* u32 length + bytes; NULL is written as an empty string. */
void wbuf_str(struct wbuf *b, const char *s);
void wbuf_blob(struct wbuf *b, const void *p, size_t n);
void wbuf_printf(struct wbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Overwrite 4 bytes at off (used to patch a length written earlier). */
void wbuf_patch_u32(struct wbuf *b, size_t off, uint32_t v);
/* Remove the first n bytes. */
void wbuf_consume(struct wbuf *b, size_t n);
/* Write b out to a non-blocking fd until b is empty or the fd is full,
 * consuming what went: 0, or -errno on an error other than EAGAIN. */
int wbuf_write_fd(struct wbuf *b, int fd);

void rbuf_init(struct rbuf *r, const void *data, size_t len);
size_t rbuf_left(const struct rbuf *r);
uint8_t rbuf_u8(struct rbuf *r);
uint16_t rbuf_u16(struct rbuf *r);
uint32_t rbuf_u32(struct rbuf *r);
int32_t rbuf_i32(struct rbuf *r);
uint64_t rbuf_u64(struct rbuf *r);
/* Pointer to n bytes inside the buffer, or NULL (and err) if short. */
const char *rbuf_bytes(struct rbuf *r, size_t n);
/* A u32-length blob; *n receives its length. Not NUL-terminated. */
const char *rbuf_blob(struct rbuf *r, size_t *n);
/* A u32-length string copied into a fresh NUL-terminated allocation;
 * NULL on error. Strings containing NUL bytes are refused. */
char *rbuf_strdup(struct rbuf *r);

#endif
