/*
 * test_buf — wbuf building and rbuf bounds checking: the byte order on the
 * wire, sticky errors on short reads, and refusal of strings with NULs.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"

static void
test_ints_little_endian(void **state)
{
	static const char want[] = "\x01"
				   "\x02\x03"
				   "\x04\x05\x06\x07"
				   "\xfe\xff\xff\xff"
				   "\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f";
	struct wbuf b;
	struct rbuf r;

	(void)state;
	wbuf_init(&b);
	wbuf_u8(&b, 0x01);
	wbuf_u16(&b, 0x0302);
	wbuf_u32(&b, 0x07060504u);
	wbuf_i32(&b, -2);
	wbuf_u64(&b, UINT64_C(0x0f0e0d0c0b0a0908));
	assert_int_equal(b.len, sizeof want - 1);
	assert_memory_equal(b.data, want, b.len);

	rbuf_init(&r, b.data, b.len);
	assert_int_equal(rbuf_u8(&r), 0x01);
	assert_int_equal(rbuf_u16(&r), 0x0302);
	assert_int_equal(rbuf_u32(&r), 0x07060504u);
	assert_int_equal(rbuf_i32(&r), -2);
	assert_true(rbuf_u64(&r) == UINT64_C(0x0f0e0d0c0b0a0908));
	assert_int_equal(rbuf_left(&r), 0);
	assert_false(r.err);
	wbuf_free(&b);
}

static void
test_extremes(void **state)
{
	struct wbuf b;
	struct rbuf r;

	(void)state;
	wbuf_init(&b);
	wbuf_u16(&b, 0xffff);
	wbuf_u32(&b, UINT32_MAX);
	wbuf_i32(&b, INT32_MIN);
	wbuf_u64(&b, UINT64_MAX);
	rbuf_init(&r, b.data, b.len);
	assert_int_equal(rbuf_u16(&r), 0xffff);
	assert_int_equal(rbuf_u32(&r), UINT32_MAX);
	assert_int_equal(rbuf_i32(&r), INT32_MIN);
	assert_true(rbuf_u64(&r) == UINT64_MAX);
	assert_false(r.err);
	wbuf_free(&b);
}

/* A short read returns zero, sets err, and every read after it fails too,
 * even one that would fit, so a decoder can check once at the end. */
static void
test_short_reads(void **state)
{
	static const char three[] = { 1, 2, 3 };
	struct rbuf r;

	(void)state;
	rbuf_init(&r, three, sizeof three);
	assert_int_equal(rbuf_u32(&r), 0);
	assert_true(r.err);
	assert_int_equal(rbuf_left(&r), 3);
	assert_int_equal(rbuf_u8(&r), 0);
	assert_int_equal(rbuf_u16(&r), 0);
	assert_null(rbuf_bytes(&r, 0));

	rbuf_init(&r, three, sizeof three);
	assert_int_equal(rbuf_u16(&r), 0x0201);
	assert_int_equal(rbuf_u16(&r), 0);
	assert_true(r.err);

	rbuf_init(&r, three, sizeof three);
	assert_true(rbuf_u64(&r) == 0);
	assert_true(r.err);

	rbuf_init(&r, NULL, 0);
	assert_int_equal(rbuf_u8(&r), 0);
	assert_true(r.err);
}

static void
test_bytes(void **state)
{
	static const char d[] = "abcdef";
	struct rbuf r;

	(void)state;
	rbuf_init(&r, d, 6);
	assert_ptr_equal(rbuf_bytes(&r, 2), d);
	assert_ptr_equal(rbuf_bytes(&r, 0), d + 2);
	assert_ptr_equal(rbuf_bytes(&r, 4), d + 2);
	assert_int_equal(rbuf_left(&r), 0);
	assert_null(rbuf_bytes(&r, 1));
	assert_true(r.err);
}

static void
test_blob(void **state)
{
	struct wbuf b;
	struct rbuf r;
	const char *p;
	size_t n = 99;

	(void)state;
	wbuf_init(&b);
	wbuf_blob(&b, "a\0b", 3);
	wbuf_blob(&b, NULL, 0);
	rbuf_init(&r, b.data, b.len);
	p = rbuf_blob(&r, &n);
	assert_int_equal(n, 3);
	assert_memory_equal(p, "a\0b", 3);
	p = rbuf_blob(&r, &n);
	assert_non_null(p);
	assert_int_equal(n, 0);
	assert_false(r.err);

	/* A length larger than what follows. */
	wbuf_reset(&b);
	wbuf_u32(&b, 10);
	wbuf_put(&b, "abc", 3);
	rbuf_init(&r, b.data, b.len);
	n = 99;
	assert_null(rbuf_blob(&r, &n));
	assert_int_equal(n, 0);
	assert_true(r.err);
	wbuf_free(&b);
}

static void
test_strdup(void **state)
{
	struct wbuf b;
	struct rbuf r;
	char *s;

	(void)state;
	wbuf_init(&b);
	wbuf_str(&b, "héllo");
	wbuf_str(&b, "");
	wbuf_str(&b, NULL);
	rbuf_init(&r, b.data, b.len);
	s = rbuf_strdup(&r);
	assert_string_equal(s, "héllo");
	free(s);
	s = rbuf_strdup(&r);
	assert_string_equal(s, "");
	free(s);
	s = rbuf_strdup(&r);
	assert_string_equal(s, "");
	free(s);
	assert_int_equal(rbuf_left(&r), 0);
	assert_false(r.err);
	wbuf_free(&b);
}

static void
test_strdup_refuses_nul(void **state)
{
	struct wbuf b;
	struct rbuf r;

	(void)state;
	wbuf_init(&b);
	wbuf_blob(&b, "ab\0", 3);
	wbuf_str(&b, "ok");
	rbuf_init(&r, b.data, b.len);
	assert_null(rbuf_strdup(&r));
	assert_true(r.err);
	/* The error is sticky: the good string after it is not returned. */
	assert_null(rbuf_strdup(&r));

	wbuf_reset(&b);
	wbuf_blob(&b, "\0", 1);
	rbuf_init(&r, b.data, b.len);
	assert_null(rbuf_strdup(&r));
	assert_true(r.err);
	wbuf_free(&b);
}

static void
test_strdup_short(void **state)
{
	struct wbuf b;
	struct rbuf r;

	(void)state;
	wbuf_init(&b);
	wbuf_u32(&b, 5);
	wbuf_put(&b, "abcd", 4);
	rbuf_init(&r, b.data, b.len);
	assert_null(rbuf_strdup(&r));
	assert_true(r.err);
	/* And a length prefix cut short. */
	rbuf_init(&r, b.data, 3);
	assert_null(rbuf_strdup(&r));
	assert_true(r.err);
	wbuf_free(&b);
}

static void
test_printf(void **state)
{
	char big[1000];
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	wbuf_printf(&b, "%s=%d", "x", 42);
	wbuf_printf(&b, "%s", "");
	wbuf_printf(&b, ";%04x", 0xab);
	assert_int_equal(b.len, 9);
	assert_memory_equal(b.data, "x=42;00ab", 9);

	/* Past the initial capacity, so the buffer must grow mid-call. */
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	wbuf_reset(&b);
	wbuf_put(&b, "<", 1);
	wbuf_printf(&b, "%s>", big);
	assert_int_equal(b.len, 1 + 999 + 1);
	assert_int_equal(b.data[0], '<');
	assert_int_equal(b.data[999], 'z');
	assert_int_equal(b.data[1000], '>');
	wbuf_free(&b);
}

static void
test_consume(void **state)
{
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	wbuf_put(&b, "abcdef", 6);
	wbuf_consume(&b, 2);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "cdef", 4);
	wbuf_consume(&b, 0);
	assert_int_equal(b.len, 4);
	wbuf_consume(&b, 4);
	assert_int_equal(b.len, 0);
	wbuf_put(&b, "xy", 2);
	wbuf_consume(&b, 100);
	assert_int_equal(b.len, 0);
	wbuf_free(&b);
}

static void
test_patch(void **state)
{
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	wbuf_put(&b, "abcdefgh", 8);
	wbuf_patch_u32(&b, 2, 0x04030201u);
	assert_memory_equal(b.data, "ab\x01\x02\x03\x04gh", 8);
	wbuf_patch_u32(&b, 4, 0x31313131u);
	assert_memory_equal(b.data, "ab\x01\x02" "1111", 8);
	/* Out of range: ignored rather than writing past len. */
	wbuf_patch_u32(&b, 5, 0);
	wbuf_patch_u32(&b, SIZE_MAX - 1, 0);
	assert_int_equal(b.len, 8);
	assert_memory_equal(b.data, "ab\x01\x02" "1111", 8);
	wbuf_free(&b);
}

static void
test_reserve_and_growth(void **state)
{
	struct wbuf b;
	char *before;
	size_t i;

	(void)state;
	wbuf_init(&b);
	assert_null(b.data);
	wbuf_reserve(&b, 10);
	assert_true(b.cap >= 10);
	before = b.data;
	wbuf_put(&b, "0123456789", 10);
	assert_ptr_equal(b.data, before);

	for (i = 0; i < 100000; i++)
		wbuf_u8(&b, (uint8_t)i);
	assert_int_equal(b.len, 100010);
	assert_true(b.cap >= b.len);
	assert_int_equal((uint8_t)b.data[10 + 99999], (uint8_t)99999);

	wbuf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_true(b.cap >= 100010);
	wbuf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.cap, 0);
}

/* Empty appends are no-ops, even with a NULL source. */
static void
test_put_nothing(void **state)
{
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	wbuf_put(&b, NULL, 0);
	assert_int_equal(b.len, 0);
	wbuf_str(&b, NULL);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, "\0\0\0\0", 4);
	wbuf_free(&b);
}

/* Writing to a non-blocking pipe: what fits goes and is consumed, the
 * rest waits in the buffer; a pipe nobody reads says EPIPE. */
static void
test_write_fd(void **state)
{
	struct wbuf b;
	char chunk[4096], sink[65536];
	int fds[2];
	size_t total = 0, read_back = 0;

	(void)state;
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(pipe2(fds, O_NONBLOCK), 0);
	memset(chunk, 'x', sizeof chunk);
	wbuf_init(&b);
	for (int i = 0; i < 64; i++)
		wbuf_put(&b, chunk, sizeof chunk); /* 256 KiB: more than a pipe */
	total = b.len;
	assert_int_equal(wbuf_write_fd(&b, fds[1]), 0);
	assert_true(b.len > 0 && b.len < total);
	while (b.len > 0) {
		ssize_t n = read(fds[0], sink, sizeof sink);

		assert_true(n > 0);
		read_back += (size_t)n;
		assert_int_equal(wbuf_write_fd(&b, fds[1]), 0);
	}
	for (ssize_t n; (n = read(fds[0], sink, sizeof sink)) > 0;)
		read_back += (size_t)n;
	assert_int_equal(read_back, total);
	close(fds[0]);
	wbuf_put(&b, "y", 1);
	assert_int_equal(wbuf_write_fd(&b, fds[1]), -EPIPE);
	assert_int_equal(b.len, 1);
	close(fds[1]);
	wbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ints_little_endian),
		cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_short_reads),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_blob),
		cmocka_unit_test(test_strdup),
		cmocka_unit_test(test_strdup_refuses_nul),
		cmocka_unit_test(test_strdup_short),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_consume),
		cmocka_unit_test(test_patch),
		cmocka_unit_test(test_reserve_and_growth),
		cmocka_unit_test(test_put_nothing),
		cmocka_unit_test(test_write_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
