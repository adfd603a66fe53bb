/*
 * test_vt_fast — plain text put straight into the grid must leave exactly
 * what libvterm would have: random streams of text, controls, cursor
 * moves, colours, insert mode, margins, charsets, shifts, line attributes,
 * UTF-8 (wide, combining, broken) and resets, fed in the same random
 * pieces to one emulator with the fast path and one without, then every
 * cell, wrap flag, history line and the cursor compared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grid.h"
#include "pod/vt.h"

struct rng {
	uint64_t s;
};

static uint32_t
rnd(struct rng *r, uint32_t n)
{
	r->s = r->s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(r->s >> 33) % n;
}

struct stream {
	char *b;
	size_t len, cap;
};

static void
put(struct stream *st, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (st->len + (size_t)n > st->cap) {
		st->cap = (st->len + (size_t)n) * 2;
		st->b = realloc(st->b, st->cap);
		assert_non_null(st->b);
	}
	memcpy(st->b + st->len, tmp, (size_t)n);
	st->len += (size_t)n;
}

static void
put_text(struct stream *st, struct rng *r, int n)
{
	static const char chars[] =
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
		" .,;:!?-_=+*/()[]{}<>'\"#$%&@^`|~\\";

	for (int i = 0; i < n; i++)
		put(st, "%c", chars[rnd(r, sizeof chars - 1)]);
}

/* One piece of a stream; common text and moves, rare resets. Broken
 * UTF-8 turns the fast path off for good, so it comes only when asked. */
static void
piece(struct stream *st, struct rng *r, int cols, int rows, bool broken)
{
	switch (rnd(r, 40)) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
		put_text(st, r, 1 + (int)rnd(r, (uint32_t)cols * 2));
		break;
	case 8: case 9:
		put_text(st, r, 1 + (int)rnd(r, 12));
		break;
	case 10: put(st, "\r\n"); break;
	case 11: put(st, "%s", rnd(r, 2) ? "\r" : "\n"); break;
	case 12: put(st, "%s", rnd(r, 2) ? "\b" : "\t"); break;
	case 13:
		put(st, "\033[%d;%dH", 1 + (int)rnd(r, (uint32_t)rows + 2),
		    1 + (int)rnd(r, (uint32_t)cols + 4));
		break;
	case 14:
		put(st, "\033[%d%c", (int)rnd(r, (uint32_t)cols),
		    "ABCDG"[rnd(r, 5)]);
		break;
	case 15: {
		static const char *const sgr[] = {
			"0", "1", "4", "7", "2", "8", "53", "22", "27",
			"31", "42", "38;5;200", "48;2;1;2;3", "39;49",
		};
		put(st, "\033[%sm", sgr[rnd(r, sizeof sgr / sizeof sgr[0])]);
		break;
	}
	case 16: put(st, "\033[%dK", (int)rnd(r, 3)); break;
	case 17: put(st, "\033[%dJ", (int)rnd(r, 3)); break;
	case 18: put(st, "\033[4%c", rnd(r, 2) ? 'h' : 'l'); break;
	case 19: put(st, "\033[?7%c", rnd(r, 3) ? 'h' : 'l'); break;
	case 20: {
		static const char *const cs[] = { "\033(0", "\033(B", "\016",
						   "\017", "\033)0", "\033(A" };
		put(st, "%s", cs[rnd(r, 6)]);
		break;
	}
	case 21: /* shifts; a single shift blocks the fast path till RIS */
		if (rnd(r, 16) == 0)
			put(st, "\033%c", rnd(r, 2) ? 'N' : 'O');
		else if (rnd(r, 2))
			put(st, "\033%c", "no|}~"[rnd(r, 5)]);
		else
			put(st, "\017");
		break;
	case 22:
		if (rnd(r, 2))
			put(st, "\033[?69%c", rnd(r, 2) ? 'h' : 'l');
		else
			put(st, "\033[%d;%ds", 1 + (int)rnd(r, (uint32_t)cols),
			    1 + (int)rnd(r, (uint32_t)cols));
		break;
	case 23: /* line attributes block the fast path till RIS */
		if (rnd(r, 8) == 0)
			put(st, "\033#%c", "3456"[rnd(r, 4)]);
		break;
	case 24:
		put(st, "\033[%d;%dr", 1 + (int)rnd(r, (uint32_t)rows),
		    1 + (int)rnd(r, (uint32_t)rows));
		break;
	case 25: put(st, "\303\251"); break;          /* é */
	case 26: put(st, "\314\201"); break;          /* combining acute */
	case 27: put(st, "\344\270\255"); break;      /* 中, wide */
	case 28:
		if (broken)
			put(st, "\303"); /* a broken sequence */
		break;
	case 29: put(st, "\033[?1049%c", rnd(r, 2) ? 'h' : 'l'); break;
	case 30: put(st, "\033[%d%c", (int)rnd(r, 5), "@P"[rnd(r, 2)]); break;
	case 31: put(st, "\033[?6%c", rnd(r, 2) ? 'h' : 'l'); break;
	case 32: put(st, "\033%c", rnd(r, 2) ? '7' : '8'); break;
	case 33: put(st, "\033[!p"); break;
	case 34:
		if (rnd(r, 4) == 0)
			put(st, "\033c");
		break;
	case 35: put(st, "\033[%dL", (int)rnd(r, 3)); break;
	case 36: put(st, "\033]0;t\007"); break;
	default:
		put_text(st, r, 1 + (int)rnd(r, 40));
		put(st, "%s", "\r\n");
		break;
	}
}

/* Feed in random pieces, so runs and sequences split anywhere. */
static void
feed(struct vt *vt, const struct stream *st, struct rng *r)
{
	size_t at = 0;

	while (at < st->len) {
		size_t n = 1 + rnd(r, 300);

		if (n > st->len - at)
			n = st->len - at;
		vt_input(vt, st->b + at, n);
		at += n;
	}
}

static void
assert_same_cells(const struct grid *ga, const struct cell *a,
		  const struct grid *gb, const struct cell *b, int n,
		  const char *where, int line, unsigned seed)
{
	for (int x = 0; x < n; x++) {
		char ua[32], ub[32];
		int ka = grid_cell_utf8(ga, &a[x], ua);
		int kb = grid_cell_utf8(gb, &b[x], ub);

		if (ka != kb || memcmp(ua, ub, (size_t)ka) != 0 ||
		    a[x].fg != b[x].fg || a[x].bg != b[x].bg ||
		    a[x].attr != b[x].attr || a[x].width != b[x].width) {
			print_message("seed %u: %s line %d col %d differs\n",
				      seed, where, line, x);
			fail();
		}
	}
}

static void
assert_same(struct vt *fast, struct vt *slow, unsigned seed)
{
	const struct grid *a = vt_grid(fast), *b = vt_grid(slow);
	int h = grid_history_len(a);

	assert_int_equal(grid_rows(a), grid_rows(b));
	assert_int_equal(grid_cols(a), grid_cols(b));
	for (int y = 0; y < grid_rows(a); y++) {
		assert_same_cells(a, grid_cline(a, y), b, grid_cline(b, y),
				  grid_cols(a), "screen", y, seed);
		assert_int_equal(grid_wrapped(a, y), grid_wrapped(b, y));
	}
	assert_int_equal(h, grid_history_len(b));
	for (int i = 0; i < h; i++) {
		const struct cell *ca, *cb;
		int na = grid_history_line(a, i, &ca);
		int nb = grid_history_line(b, i, &cb);

		assert_int_equal(na, nb);
		assert_same_cells(a, ca, b, cb, na, "history", i, seed);
		assert_int_equal(grid_history_wrapped(a, i),
				 grid_history_wrapped(b, i));
	}
	assert_int_equal(vt_state(fast)->cursor_x, vt_state(slow)->cursor_x);
	assert_int_equal(vt_state(fast)->cursor_y, vt_state(slow)->cursor_y);
}

static void
run_size(int cols, int rows, unsigned streams, int pieces, bool broken,
	 size_t *fast_total)
{
	for (unsigned seed = 1; seed <= streams; seed++) {
		struct rng r = { seed * 2654435761u }, chunks;
		struct stream st = { NULL, 0, 0 };
		struct vt *fast = vt_new(cols, rows, 50);
		struct vt *slow = vt_new(cols, rows, 50);

		vt_set_fast_text(slow, false);
		for (int k = 0; k < pieces; k++)
			piece(&st, &r, cols, rows, broken);
		/* the same pieces for both: libvterm itself treats a broken
		 * UTF-8 sequence differently when a write ends inside it */
		chunks = r;
		feed(fast, &st, &r);
		feed(slow, &st, &chunks);
		assert_same(fast, slow, seed);
		assert_int_equal(vt_fast_text_chars(slow), 0);
		*fast_total += vt_fast_text_chars(fast);
		vt_free(fast);
		vt_free(slow);
		free(st.b);
	}
}

static void
test_random_streams_80x24(void **state)
{
	size_t fast = 0;

	(void)state;
	run_size(80, 24, 150, 400, false, &fast);
	/* the comparison means something only if the fast path ran */
	assert_true(fast > 50000);
	run_size(80, 24, 150, 400, true, &fast);
}

static void
test_random_streams_small(void **state)
{
	size_t fast = 0;

	(void)state;
	run_size(20, 5, 300, 200, false, &fast);
	assert_true(fast > 10000);
	run_size(20, 5, 300, 200, true, &fast);
}

/* The plain cases by hand: a long line, a wrap, a combining mark after a
 * run, text after a charset switch and in insert mode. */
static void
test_by_hand(void **state)
{
	static const char *const cases[] = {
		"hello world, this is a line of plain text\r\n",
		"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789",
		"plain text then a mark e\314\201 and more plain text",
		"\033(0lqqqqqqqqqqqqqqqqqk\033(B and back to ascii text",
		"abcdefghijklmnop\033[1;5H\033[4hINSERTEDTEXTHERE\033[4l",
		"\033#6double width line text here",
		"\016shifted out text here\017 and back in text here",
		/* origin mode with the cursor restored outside the region */
		"\033[?6h\033[4;1H\0337\033[1;2r\0338abcdefghijklmnopqrstuvwxyz",
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct vt *fast = vt_new(30, 4, 10), *slow = vt_new(30, 4, 10);

		vt_set_fast_text(slow, false);
		vt_input(fast, cases[i], strlen(cases[i]));
		vt_input(slow, cases[i], strlen(cases[i]));
		assert_same(fast, slow, (unsigned)i);
		vt_free(fast);
		vt_free(slow);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_random_streams_small),
		cmocka_unit_test(test_random_streams_80x24),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
