/*
 * test_update — the screen-update codec: round trips, damage-only
 * updates, history rows, and payloads cut or corrupted anywhere.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/update.h"

static void
put(struct grid *g, int y, int x, uint32_t ch, uint32_t fg, uint32_t bg,
    uint16_t attr)
{
	struct cell *c = grid_line_span(g, y, x + 1);

	c[x].ch = ch;
	c[x].fg = fg;
	c[x].bg = bg;
	c[x].attr = attr;
	c[x].width = 1;
}

static void
put_wide(struct grid *g, int y, int x, uint32_t ch, uint32_t fg)
{
	struct cell *c = grid_line_span(g, y, x + 2);

	c[x] = cell_blank(COLOR_DEFAULT);
	c[x].ch = ch;
	c[x].fg = fg;
	c[x].width = 2;
	c[x + 1] = c[x];
	c[x + 1].ch = 0;
	c[x + 1].width = 0;
}

static void
put_str(struct grid *g, int y, int x, const char *s)
{
	for (; *s; s++, x++)
		put(g, y, x, (unsigned char)*s, COLOR_DEFAULT, COLOR_DEFAULT, 0);
}

/* A grid with a bit of everything the codec has to carry. */
static struct grid *
sample_grid(void)
{
	struct grid *g = grid_new(20, 6, 50);
	uint32_t e_acute[] = { 'e', 0x301 };
	uint32_t stack[] = { 'a', 0x308, 0x301, 0x323 };
	struct cell *c;

	put_str(g, 0, 0, "hello, world");
	put(g, 1, 0, 'R', COLOR_RGB(255, 0, 10), COLOR_RGB(0, 1, 2),
	    ATTR_BOLD | ATTR_CURLY);
	put(g, 1, 1, 'i', COLOR_INDEX(196), COLOR_INDEX(0), ATTR_ITALIC);
	put(g, 1, 2, 'x', COLOR_INDEX(7), COLOR_DEFAULT,
	    ATTR_REVERSE | ATTR_STRIKE | ATTR_OVERLINE | ATTR_CONCEAL);
	put(g, 1, 19, 'z', COLOR_DEFAULT, COLOR_INDEX(4), ATTR_DUNDERLINE);
	put_wide(g, 2, 0, 0x65e5, COLOR_DEFAULT);
	put_wide(g, 2, 2, 0x672c, COLOR_RGB(1, 2, 3));
	put(g, 2, 4, grid_combo_intern(g, e_acute, 2), COLOR_DEFAULT,
	    COLOR_DEFAULT, 0);
	put(g, 2, 5, grid_combo_intern(g, stack, 4), COLOR_INDEX(3),
	    COLOR_DEFAULT, ATTR_UNDERLINE);
	put(g, 2, 6, 0x1f600, COLOR_DEFAULT, COLOR_DEFAULT, 0);
	put(g, 2, 7, ' ', COLOR_DEFAULT, COLOR_DEFAULT, 0);
	/* odd cells: a control character, a lone second half, a width-0
	 * cell with a character, a wide cell cut off by a pen change */
	put(g, 3, 0, 0x07, COLOR_DEFAULT, COLOR_DEFAULT, 0);
	c = grid_line(g, 3);
	c[1].width = 0;
	c[2].ch = 'q';
	c[2].width = 0;
	put_wide(g, 3, 4, 0x4e00, COLOR_DEFAULT);
	c[5].bg = COLOR_INDEX(9);
	c[7].ch = 0xd800; /* not a code point */
	grid_clear_rows(g, 4, 5, cell_blank(COLOR_RGB(9, 9, 9)));
	put_str(g, 5, 0, "wrapped line");
	grid_set_wrapped(g, 5, true);
	return g;
}

/* Compare a cell of a with one of b, clusters by their code points. */
static void
assert_cell_equal(const struct grid *ga, const struct cell *a,
		  const struct grid *gb, const struct cell *b)
{
	const uint32_t *pa, *pb;
	uint32_t sa, sb;
	int na = grid_cell_codepoints(ga, a->ch, &pa, &sa);
	int nb = grid_cell_codepoints(gb, b->ch, &pb, &sb);

	assert_int_equal(a->fg, b->fg);
	assert_int_equal(a->bg, b->bg);
	assert_int_equal(a->attr, b->attr);
	assert_int_equal(a->width, b->width);
	if (a->ch == 0xd800) {
		/* kept as a raw value */
		assert_int_equal(b->ch, 0xd800);
		return;
	}
	assert_int_equal(na, nb);
	assert_memory_equal(pa, pb, (size_t)na * sizeof *pa);
}

static void
assert_grids_equal(const struct grid *a, const struct grid *b)
{
	assert_int_equal(grid_cols(a), grid_cols(b));
	assert_int_equal(grid_rows(a), grid_rows(b));
	for (int y = 0; y < grid_rows(a); y++) {
		assert_int_equal(grid_wrapped(a, y), grid_wrapped(b, y));
		for (int x = 0; x < grid_cols(a); x++)
			assert_cell_equal(a, &grid_cline(a, y)[x], b,
					  &grid_cline(b, y)[x]);
	}
}

static struct pane_state
sample_state(void)
{
	struct pane_state st;

	memset(&st, 0, sizeof st);
	st.cols = 20;
	st.rows = 6;
	st.cursor_x = 7;
	st.cursor_y = 5;
	st.cursor_visible = true;
	st.cursor_shape = 3;
	st.modes = MODE_BRACKETED_PASTE | MODE_MOUSE_SGR | MODE_ALTSCREEN;
	st.bells = 42;
	strcpy(st.title, "vim — file.c");
	strcpy(st.cwd, "/home/u/src");
	return st;
}

static void
test_round_trip_full(void **state)
{
	struct grid *src = sample_grid(), *dst = grid_new(3, 2, 0);
	struct pane_state st = sample_state(), got;
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	update_encode(src, &st, true, &b);
	assert_false(grid_any_damage(src));
	memset(&got, 0xff, sizeof got);
	assert_int_equal(update_apply(dst, &got, b.data, b.len), 0);
	assert_grids_equal(src, dst);
	assert_int_equal(got.cols, 20);
	assert_int_equal(got.rows, 6);
	assert_int_equal(got.cursor_x, 7);
	assert_int_equal(got.cursor_y, 5);
	assert_true(got.cursor_visible);
	assert_int_equal(got.cursor_shape, 3);
	assert_int_equal(got.modes, st.modes);
	assert_int_equal(got.bells, 42);
	assert_string_equal(got.title, st.title);
	assert_string_equal(got.cwd, st.cwd);
	for (int y = 0; y < 6; y++)
		assert_true(grid_row_damaged(dst, y));

	/* applying it again to a grid that is already right changes
	 * nothing */
	assert_int_equal(update_apply(dst, &got, b.data, b.len), 0);
	assert_grids_equal(src, dst);
	wbuf_free(&b);
	grid_free(src);
	grid_free(dst);
}

static void
test_damaged_only(void **state)
{
	struct grid *src = sample_grid(), *dst = grid_new(20, 6, 0);
	struct pane_state st = sample_state(), got;
	struct wbuf full, part;

	(void)state;
	wbuf_init(&full);
	wbuf_init(&part);
	update_encode(src, &st, true, &full);
	assert_int_equal(update_apply(dst, &got, full.data, full.len), 0);
	grid_damage_clear(dst);

	/* nothing changed: no rows */
	update_encode(src, &st, false, &part);
	assert_int_equal(update_apply(dst, &got, part.data, part.len), 0);
	assert_false(grid_any_damage(dst));

	/* one row shorter than before: its old tail must go */
	wbuf_reset(&part);
	grid_clear_rows(src, 0, 1, cell_blank(COLOR_DEFAULT));
	put_str(src, 0, 0, "bye");
	grid_damage_clear(src);
	grid_damage_row(src, 0);
	put(src, 3, 3, '!', COLOR_DEFAULT, COLOR_DEFAULT, 0);
	grid_damage_row(src, 3);
	update_encode(src, &st, false, &part);
	assert_true(part.len < full.len / 2);
	assert_int_equal(update_apply(dst, &got, part.data, part.len), 0);
	assert_grids_equal(src, dst);
	assert_true(grid_row_damaged(dst, 0));
	assert_false(grid_row_damaged(dst, 1));
	assert_false(grid_row_damaged(dst, 2));
	assert_true(grid_row_damaged(dst, 3));

	/* a damage-only update still changes the state */
	wbuf_reset(&part);
	st.cursor_x = 0;
	st.title[0] = '\0';
	update_encode(src, &st, false, &part);
	assert_int_equal(update_apply(dst, &got, part.data, part.len), 0);
	assert_int_equal(got.cursor_x, 0);
	assert_string_equal(got.title, "");
	wbuf_free(&full);
	wbuf_free(&part);
	grid_free(src);
	grid_free(dst);
}

static void
test_compact_size(void **state)
{
	struct grid *g = grid_new(80, 1, 0);
	struct pane_state st = sample_state();
	struct wbuf empty, one;
	size_t row;

	(void)state;
	wbuf_init(&empty);
	wbuf_init(&one);
	grid_damage_clear(g);
	update_encode(g, &st, false, &empty);
	for (int x = 0; x < 80; x++)
		put(g, 0, x, 'a' + x % 26, COLOR_DEFAULT, COLOR_DEFAULT, 0);
	update_encode(g, &st, true, &one);
	row = one.len - empty.len;
	print_message("80 ASCII cells: %zu bytes\n", row);
	assert_true(row <= 90);

	/* a blank row is a few bytes */
	wbuf_reset(&one);
	grid_clear_rows(g, 0, 1, cell_blank(COLOR_DEFAULT));
	update_encode(g, &st, true, &one);
	assert_true(one.len - empty.len <= 5);
	wbuf_free(&empty);
	wbuf_free(&one);
	grid_free(g);
}

static void
test_resize_by_update(void **state)
{
	struct grid *src = grid_new(100, 40, 0), *dst = grid_new(80, 24, 0);
	struct pane_state st = sample_state(), got;
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	put_str(src, 39, 90, "corner");
	update_encode(src, &st, true, &b);
	assert_int_equal(update_apply(dst, &got, b.data, b.len), 0);
	assert_int_equal(grid_cols(dst), 100);
	assert_int_equal(grid_rows(dst), 40);
	assert_grids_equal(src, dst);
	wbuf_free(&b);
	grid_free(src);
	grid_free(dst);
}

static void
assert_rejected_unchanged(const char *p, size_t len)
{
	struct grid *dst = grid_new(5, 5, 0);
	struct pane_state got;

	memset(&got, 0x5a, sizeof got);
	put_str(dst, 0, 0, "keep");
	grid_damage_clear(dst);
	assert_int_equal(update_apply(dst, &got, p, len), -1);
	assert_int_equal(grid_cols(dst), 5);
	assert_int_equal(grid_cline(dst, 0)[0].ch, 'k');
	assert_false(grid_any_damage(dst));
	assert_int_equal(got.bells, 0x5a5a5a5a);
	grid_free(dst);
}

static void
test_truncations_rejected(void **state)
{
	struct grid *src = sample_grid();
	struct pane_state st = sample_state();
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	update_encode(src, &st, true, &b);
	for (size_t n = 0; n < b.len; n++) {
		/* an exact-size copy so that ASan sees any read past it */
		char *p = malloc(n ? n : 1);

		memcpy(p, b.data, n);
		assert_rejected_unchanged(p, n);
		free(p);
	}
	/* trailing garbage is as bad */
	wbuf_u8(&b, 0);
	assert_rejected_unchanged(b.data, b.len);
	wbuf_free(&b);
	grid_free(src);
}

static void
test_corruption_no_crash(void **state)
{
	struct grid *src = sample_grid(), *dst = grid_new(4, 4, 0);
	struct pane_state st = sample_state(), got;
	struct wbuf b;
	unsigned seed = 1;

	(void)state;
	wbuf_init(&b);
	update_encode(src, &st, true, &b);
	for (int round = 0; round < 20000; round++) {
		char *p = malloc(b.len);
		int flips = 1 + round % 4;

		memcpy(p, b.data, b.len);
		for (int i = 0; i < flips; i++) {
			seed = seed * 1103515245 + 12345;
			p[(seed >> 8) % b.len] ^= (char)(1 + (seed >> 20) % 255);
		}
		if (update_apply(dst, &got, p, b.len) == 0) {
			assert_true(grid_cols(dst) >= 1);
			assert_true(got.cursor_x < grid_cols(dst));
			assert_true(got.cursor_y < grid_rows(dst));
		}
		free(p);
	}
	wbuf_free(&b);
	grid_free(src);
	grid_free(dst);
}

static void
test_bad_headers(void **state)
{
	struct grid *src = grid_new(2, 2, 0);
	struct pane_state st = sample_state();
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	update_encode(src, &st, true, &b);
	/* version */
	b.data[0] = 9;
	assert_rejected_unchanged(b.data, b.len);
	b.data[0] = 1;
	/* zero columns */
	b.data[2] = 0;
	b.data[3] = 0;
	assert_rejected_unchanged(b.data, b.len);
	/* huge size */
	b.data[2] = (char)0xff;
	b.data[3] = (char)0xff;
	assert_rejected_unchanged(b.data, b.len);
	wbuf_free(&b);
	grid_free(src);
}

struct collected {
	struct grid *g;
	const struct grid *src;
	int n, first;
	bool stop_early;
};

static int
collect(void *arg, int index, const struct cell *cells, int ncells,
	bool wrapped)
{
	struct collected *c = arg;
	const struct cell *want;
	int n = grid_history_line(c->src, index, &want);

	if (c->n == 0)
		c->first = index;
	assert_int_equal(ncells, n);
	assert_int_equal(wrapped, grid_history_wrapped(c->src, index));
	for (int i = 0; i < n; i++)
		assert_cell_equal(c->src, &want[i], c->g, &cells[i]);
	c->n++;
	return c->stop_early;
}

static void
test_history_rows(void **state)
{
	struct grid *src = sample_grid(), *scratch = grid_new(1, 1, 0);
	struct collected col = { scratch, src, 0, 0, false };
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	/* push every row plus one blank into history */
	grid_scroll_up(src, 0, 6, 6, true, cell_blank(COLOR_DEFAULT));
	grid_scroll_up(src, 0, 6, 1, true, cell_blank(COLOR_DEFAULT));
	assert_int_equal(grid_history_len(src), 7);

	update_encode_history(src, 1, 4, &b);
	assert_int_equal(update_decode_rows(b.data, b.len, scratch, collect,
					    &col),
			 4);
	assert_int_equal(col.first, 1);
	assert_int_equal(col.n, 4);

	/* clipped to what exists */
	wbuf_reset(&b);
	col.n = 0;
	update_encode_history(src, 5, 100, &b);
	assert_int_equal(update_decode_rows(b.data, b.len, scratch, collect,
					    &col),
			 2);
	assert_int_equal(col.first, 5);

	/* the callback can stop it */
	wbuf_reset(&b);
	col.n = 0;
	col.stop_early = true;
	update_encode_history(src, 0, 7, &b);
	assert_int_equal(update_decode_rows(b.data, b.len, scratch, collect,
					    &col),
			 1);

	/* truncations: never a crash, and never "all rows" */
	col.stop_early = false;
	for (size_t n = 0; n < b.len; n++) {
		char *p = malloc(n ? n : 1);

		memcpy(p, b.data, n);
		col.n = 0;
		assert_int_equal(update_decode_rows(p, n, scratch, collect,
						    &col),
				 -1);
		free(p);
	}
	wbuf_free(&b);
	grid_free(src);
	grid_free(scratch);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_full),
		cmocka_unit_test(test_damaged_only),
		cmocka_unit_test(test_compact_size),
		cmocka_unit_test(test_resize_by_update),
		cmocka_unit_test(test_truncations_rejected),
		cmocka_unit_test(test_corruption_no_crash),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_history_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
