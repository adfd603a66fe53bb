/*
 * test_grid — the ring of rows, history, resize, combos and damage.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/grid.h"

static void
put_text(struct grid *g, int y, const char *s)
{
	int n = (int)strlen(s);
	struct cell *c = grid_line_span(g, y, n);

	for (int i = 0; i < n && i < grid_cols(g); i++) {
		c[i] = cell_blank(COLOR_DEFAULT);
		c[i].ch = (unsigned char)s[i];
	}
}

/* The row's text, blanks as spaces, trailing spaces cut. */
static const char *
row_text(const struct grid *g, int y)
{
	static char buf[512];
	const struct cell *c = grid_cline(g, y);
	int n = 0;

	for (int x = 0; x < grid_cols(g); x++)
		buf[n++] = c[x].ch ? (char)c[x].ch : ' ';
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return buf;
}

static const char *
hist_text(const struct grid *g, int i)
{
	static char buf[512];
	const struct cell *c;
	int n = grid_history_line(g, i, &c);

	for (int x = 0; x < n; x++)
		buf[x] = c[x].ch ? (char)c[x].ch : ' ';
	buf[n] = '\0';
	return buf;
}

static void
test_new_blank(void **state)
{
	struct grid *g = grid_new(10, 3, 100);

	(void)state;
	assert_int_equal(grid_cols(g), 10);
	assert_int_equal(grid_rows(g), 3);
	for (int y = 0; y < 3; y++)
		for (int x = 0; x < 10; x++) {
			const struct cell *c = &grid_cline(g, y)[x];

			assert_int_equal(c->ch, 0);
			assert_int_equal(c->width, 1);
			assert_int_equal(c->bg, COLOR_DEFAULT);
		}
	assert_int_equal(grid_history_len(g), 0);
	assert_int_equal(grid_history_limit(g), 100);
	grid_free(g);
}

static void
test_scroll_ring(void **state)
{
	struct grid *g = grid_new(10, 3, 100);

	(void)state;
	put_text(g, 0, "a");
	put_text(g, 1, "b");
	put_text(g, 2, "c");
	grid_set_wrapped(g, 0, true);
	for (int i = 0; i < 5; i++) {
		grid_scroll_up(g, 0, 3, 1, true, cell_blank(COLOR_DEFAULT));
		put_text(g, 2, (char[]){ (char)('d' + i), 0 });
	}
	assert_string_equal(row_text(g, 0), "f");
	assert_string_equal(row_text(g, 1), "g");
	assert_string_equal(row_text(g, 2), "h");
	assert_int_equal(grid_history_len(g), 5);
	assert_string_equal(hist_text(g, 0), "a");
	assert_true(grid_history_wrapped(g, 0));
	assert_false(grid_history_wrapped(g, 1));
	assert_string_equal(hist_text(g, 4), "e");
	assert_false(grid_wrapped(g, 0));

	/* scroll down brings a blank at the top and loses the bottom */
	grid_scroll_down(g, 0, 3, 1, cell_blank(COLOR_INDEX(4)));
	assert_string_equal(row_text(g, 0), "");
	assert_int_equal(grid_cline(g, 0)[9].bg, COLOR_INDEX(4));
	assert_string_equal(row_text(g, 1), "f");
	assert_string_equal(row_text(g, 2), "g");
	grid_free(g);
}

static void
test_scroll_region(void **state)
{
	struct grid *g = grid_new(10, 5, 100);

	(void)state;
	for (int y = 0; y < 5; y++)
		put_text(g, y, (char[]){ (char)('0' + y), 0 });
	grid_damage_clear(g);
	grid_scroll_up(g, 1, 4, 1, true, cell_blank(COLOR_DEFAULT));
	assert_string_equal(row_text(g, 0), "0");
	assert_string_equal(row_text(g, 1), "2");
	assert_string_equal(row_text(g, 2), "3");
	assert_string_equal(row_text(g, 3), "");
	assert_string_equal(row_text(g, 4), "4");
	/* not from the top: nothing goes to history */
	assert_int_equal(grid_history_len(g), 0);
	assert_false(grid_row_damaged(g, 0));
	assert_true(grid_row_damaged(g, 1));
	assert_true(grid_row_damaged(g, 3));
	assert_false(grid_row_damaged(g, 4));

	/* region from the top keeps the rows below it */
	grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	assert_int_equal(grid_history_len(g), 1);
	assert_string_equal(hist_text(g, 0), "0");
	assert_string_equal(row_text(g, 0), "2");
	assert_string_equal(row_text(g, 1), "");
	assert_string_equal(row_text(g, 2), "3");

	grid_scroll_down(g, 2, 5, 2, cell_blank(COLOR_DEFAULT));
	assert_string_equal(row_text(g, 2), "");
	assert_string_equal(row_text(g, 3), "");
	assert_string_equal(row_text(g, 4), "3");

	/* more than the region is the region */
	grid_scroll_up(g, 0, 5, 50, false, cell_blank(COLOR_DEFAULT));
	for (int y = 0; y < 5; y++)
		assert_string_equal(row_text(g, y), "");
	assert_int_equal(grid_history_len(g), 1);
	grid_free(g);
}

static void
test_history_limit(void **state)
{
	struct grid *g = grid_new(8, 2, 10);
	char s[16];

	(void)state;
	for (int i = 0; i < 100; i++) {
		snprintf(s, sizeof s, "%d", i);
		put_text(g, 1, s);
		grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	}
	assert_int_equal(grid_history_len(g), 10);
	/* lines 0..98 went through row 0 and then history: the last is 98 */
	assert_string_equal(hist_text(g, 9), "98");
	assert_string_equal(hist_text(g, 0), "89");
	assert_string_equal(row_text(g, 0), "99");

	grid_set_history_limit(g, 3);
	assert_int_equal(grid_history_len(g), 3);
	assert_string_equal(hist_text(g, 0), "96");
	grid_clear_rows(g, 0, 1, cell_blank(COLOR_DEFAULT));
	put_text(g, 0, "x");
	grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	assert_int_equal(grid_history_len(g), 3);
	assert_string_equal(hist_text(g, 2), "x");
	assert_string_equal(hist_text(g, 0), "97");

	grid_set_history_limit(g, 0);
	assert_int_equal(grid_history_len(g), 0);
	grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	assert_int_equal(grid_history_len(g), 0);

	grid_set_history_limit(g, 5);
	put_text(g, 0, "y");
	grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	assert_string_equal(hist_text(g, 0), "y");
	grid_history_clear(g);
	assert_int_equal(grid_history_len(g), 0);
	grid_free(g);
}

static void
test_compact_lines(void **state)
{
	struct grid *g = grid_new(80, 2, 10);
	const struct cell *c;
	struct cell *w;

	(void)state;
	put_text(g, 0, "hi   ");
	grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	assert_int_equal(grid_history_line(g, 0, &c), 2);
	assert_int_equal(c[1].ch, 'i');

	/* an empty line keeps nothing */
	grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	assert_int_equal(grid_history_line(g, 1, &c), 0);

	/* coloured blanks are visible and stay */
	w = grid_line(g, 0);
	w[5] = cell_blank(COLOR_RGB(1, 2, 3));
	grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	assert_int_equal(grid_history_line(g, 2, &c), 6);
	assert_int_equal(c[5].bg, COLOR_RGB(1, 2, 3));

	/* a row erased with a colour is kept whole */
	grid_clear_rows(g, 0, 1, cell_blank(COLOR_INDEX(1)));
	grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	assert_int_equal(grid_history_line(g, 3, &c), 80);

	/* the row that scrolled in is plain blank again */
	for (int x = 0; x < 80; x++)
		assert_int_equal(grid_cline(g, 1)[x].bg, COLOR_DEFAULT);
	assert_int_equal(grid_history_line(g, 99, &c), 0);
	assert_null(c);
	grid_free(g);
}

static void
test_resize_cols(void **state)
{
	struct grid *g = grid_new(6, 2, 10);
	struct cell *c;

	(void)state;
	put_text(g, 0, "abcdef");
	c = grid_line(g, 1);
	c[4].ch = 0x65e5;
	c[4].width = 2;
	c[5].ch = 0;
	c[5].width = 0;
	assert_int_equal(grid_resize(g, 5, 2, 1), 1);
	assert_int_equal(grid_cols(g), 5);
	assert_string_equal(row_text(g, 0), "abcde");
	/* the cut wide character is gone, not half drawn */
	assert_int_equal(grid_cline(g, 1)[4].ch, 0);
	assert_int_equal(grid_cline(g, 1)[4].width, 1);
	grid_resize(g, 9, 2, 1);
	assert_string_equal(row_text(g, 0), "abcde");
	assert_int_equal(grid_cline(g, 0)[8].width, 1);
	assert_true(grid_row_damaged(g, 0));
	assert_true(grid_row_damaged(g, 1));
	grid_free(g);
}

static void
test_resize_rows_cursor(void **state)
{
	struct grid *g = grid_new(10, 6, 100);
	char s[4];

	(void)state;
	for (int y = 0; y < 6; y++) {
		snprintf(s, sizeof s, "%d", y);
		put_text(g, y, s);
	}
	/* cursor on row 4: shrinking to 3 rows drops row 5 (below the
	 * cursor), then pushes 0 and 1 to history */
	assert_int_equal(grid_resize(g, 10, 3, 4), 2);
	assert_string_equal(row_text(g, 0), "2");
	assert_string_equal(row_text(g, 2), "4");
	assert_int_equal(grid_history_len(g), 2);
	assert_string_equal(hist_text(g, 1), "1");

	/* growing pulls them back above */
	assert_int_equal(grid_resize(g, 10, 6, 2), 4);
	assert_int_equal(grid_history_len(g), 0);
	assert_string_equal(row_text(g, 0), "0");
	assert_string_equal(row_text(g, 1), "1");
	assert_string_equal(row_text(g, 4), "4");
	assert_string_equal(row_text(g, 5), "");

	/* cursor high: shrinking only cuts the bottom */
	assert_int_equal(grid_resize(g, 10, 2, 0), 0);
	assert_int_equal(grid_history_len(g), 0);
	assert_string_equal(row_text(g, 0), "0");
	assert_string_equal(row_text(g, 1), "1");

	/* no cursor: top-left kept, nothing pulled */
	put_text(g, 1, "z");
	grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	assert_int_equal(grid_history_len(g), 1);
	assert_int_equal(grid_resize(g, 10, 4, -1), -1);
	assert_string_equal(row_text(g, 0), "z");
	assert_int_equal(grid_history_len(g), 1);
	grid_free(g);
}

static void
test_resize_no_history(void **state)
{
	struct grid *g = grid_new(10, 4, 0);

	(void)state;
	put_text(g, 3, "last");
	assert_int_equal(grid_resize(g, 10, 2, 3), 1);
	assert_string_equal(row_text(g, 1), "last");
	assert_int_equal(grid_history_len(g), 0);
	grid_free(g);
}

static void
test_resize_after_rotation(void **state)
{
	struct grid *g = grid_new(4, 3, 10);

	(void)state;
	put_text(g, 0, "a");
	put_text(g, 1, "b");
	put_text(g, 2, "c");
	grid_scroll_up(g, 0, 3, 1, false, cell_blank(COLOR_DEFAULT));
	put_text(g, 2, "d");
	grid_resize(g, 4, 4, -1);
	assert_string_equal(row_text(g, 0), "b");
	assert_string_equal(row_text(g, 1), "c");
	assert_string_equal(row_text(g, 2), "d");
	assert_string_equal(row_text(g, 3), "");
	grid_free(g);
}

static void
test_combos(void **state)
{
	struct grid *g = grid_new(4, 1, 0);
	uint32_t a[] = { 'e', 0x301 };
	uint32_t b[] = { 'e', 0x301 };
	uint32_t c[] = { 'a', 0x308, 0x301 };
	uint32_t one = 'x', single;
	const uint32_t *cps;
	char out[32];
	struct cell cell = cell_blank(COLOR_DEFAULT);
	uint32_t ia, ib, ic;

	(void)state;
	ia = grid_combo_intern(g, a, 2);
	ib = grid_combo_intern(g, b, 2);
	ic = grid_combo_intern(g, c, 3);
	assert_true(ia & CELL_COMBO);
	assert_int_equal(ia, ib);
	assert_int_not_equal(ia, ic);
	assert_int_equal(grid_combo_intern(g, &one, 1), 'x');
	assert_int_equal(grid_combo_intern(g, &one, 0), 0);

	assert_int_equal(grid_cell_codepoints(g, ic, &cps, &single), 3);
	assert_int_equal(cps[1], 0x308);
	assert_int_equal(grid_cell_codepoints(g, 'q', &cps, &single), 1);
	assert_int_equal(cps[0], 'q');
	assert_int_equal(grid_cell_codepoints(g, 0, &cps, &single), 0);

	cell.ch = ia;
	assert_int_equal(grid_cell_utf8(g, &cell, out), 3);
	assert_memory_equal(out, "e\xcc\x81", 3);
	cell.ch = 0;
	assert_int_equal(grid_cell_utf8(g, &cell, out), 1);
	assert_int_equal(out[0], ' ');
	cell.width = 0;
	assert_int_equal(grid_cell_utf8(g, &cell, out), 0);
	cell.width = 2;
	cell.ch = 0x65e5;
	assert_int_equal(grid_cell_utf8(g, &cell, out), 3);
	assert_memory_equal(out, "\xe6\x97\xa5", 3);
	/* an index the table does not hold draws as U+FFFD */
	cell.ch = CELL_COMBO | 12345;
	assert_int_equal(grid_cell_utf8(g, &cell, out), 3);
	assert_memory_equal(out, "\xef\xbf\xbd", 3);

	/* many distinct clusters stay distinct after the table grows */
	for (uint32_t i = 0; i < 500; i++) {
		uint32_t cl[2] = { 'a' + i, 0x301 };
		uint32_t id = grid_combo_intern(g, cl, 2);

		assert_int_equal(grid_cell_codepoints(g, id, &cps, &single),
				 2);
		assert_int_equal(cps[0], 'a' + i);
		assert_int_equal(grid_combo_intern(g, cl, 2), id);
	}
	assert_int_equal(grid_combo_intern(g, a, 2), ia);
	grid_free(g);
}

static void
test_damage(void **state)
{
	struct grid *g = grid_new(10, 100, 0);

	(void)state;
	assert_true(grid_any_damage(g));
	assert_true(grid_row_damaged(g, 99));
	grid_damage_clear(g);
	assert_false(grid_any_damage(g));
	grid_damage_row(g, 70);
	assert_true(grid_row_damaged(g, 70));
	assert_false(grid_row_damaged(g, 69));
	assert_false(grid_row_damaged(g, 100));
	grid_damage_row(g, 100);
	grid_damage_row(g, -1);
	assert_true(grid_any_damage(g));
	grid_damage_clear(g);
	grid_clear_rows(g, 10, 12, cell_blank(COLOR_DEFAULT));
	assert_true(grid_row_damaged(g, 10));
	assert_true(grid_row_damaged(g, 11));
	assert_false(grid_row_damaged(g, 12));
	grid_damage_all(g);
	assert_true(grid_row_damaged(g, 0));
	grid_free(g);
}

static void
test_memory(void **state)
{
	struct grid *g = grid_new(80, 24, 1000);
	size_t before = grid_memory(g), full_rows;

	(void)state;
	assert_true(before >= 80 * 24 * sizeof(struct cell));
	for (int i = 0; i < 1000; i++) {
		put_text(g, 23, "0123456789");
		grid_scroll_up(g, 0, 24, 1, true, cell_blank(COLOR_DEFAULT));
	}
	/* 1000 ten-cell lines are counted, and kept as bytes: far less
	 * than their cells, let alone 1000 full rows */
	full_rows = 1000 * 80 * sizeof(struct cell);
	assert_true(grid_memory(g) > before + 1000 * 10);
	assert_true(grid_memory(g) - before < 1000 * 10 * sizeof(struct cell) / 4);
	assert_true(grid_memory(g) - before < full_rows / 16);
	/* and the memory goes back when history is cleared */
	grid_history_clear(g);
	assert_true(grid_memory(g) - before < 1000 * sizeof(struct cell));
	grid_free(g);
	grid_free(NULL);
}

static void
assert_cell_eq(const struct cell *a, const struct cell *b)
{
	assert_int_equal(a->ch, b->ch);
	assert_int_equal(a->fg, b->fg);
	assert_int_equal(a->bg, b->bg);
	assert_int_equal(a->attr, b->attr);
	assert_int_equal(a->width, b->width);
	assert_int_equal(a->flags, b->flags);
}

/* Every kind of cell goes into history and comes back the same: plain
 * and non-ASCII characters, empty cells, pens of every colour kind, wide
 * characters and their halves, clusters, odd widths and flags, and a
 * line as wide as a grid can be; also through a resize that pulls the
 * lines back onto the screen. */
static void
test_history_cells(void **state)
{
	enum { W = 4096 };
	struct grid *g = grid_new(W, 2, 10);
	static struct cell want[3][W];
	const uint32_t cps[] = { 'e', 0x301, 0x308 };
	const struct cell *c;
	uint32_t combo;

	(void)state;
	combo = grid_combo_intern(g, cps, 3);
	for (int l = 0; l < 3; l++) {
		struct cell *w = grid_line(g, 1);

		for (int x = 0; x < W; x++) {
			struct cell k = cell_blank(COLOR_DEFAULT);
			int kind = (x * 7 + l) % 11;

			k.ch = kind == 0 ? (uint32_t)('a' + x % 26) :
			       kind == 1 ? 0 :
			       kind == 2 ? 0xe9 :
			       kind == 3 ? 0x1f600 :
			       kind == 4 ? combo :
			       kind == 5 ? 0x7f : '~';
			if (kind == 6)
				k.fg = COLOR_INDEX(x % 256);
			if (kind == 7)
				k.bg = COLOR_RGB(x % 256, 1, 2);
			if (kind == 8)
				k.attr = ATTR_BOLD | ATTR_CURLY;
			if (kind == 9)
				k.flags = 1;
			if (kind == 10 && x + 1 < W) {
				/* a wide character and its half */
				k.ch = 0x4e00u + (uint32_t)x;
				k.width = 2;
				w[x] = k;
				want[l][x] = k;
				k.ch = 0;
				k.width = 0;
				x++;
			}
			w[x] = k;
			want[l][x] = k;
		}
		/* a lone second half and a cell of width 0 with a char */
		w[5].width = 0;
		w[5].ch = 0;
		want[l][5] = w[5];
		w[9].width = 0;
		w[9].ch = 'z';
		want[l][9] = w[9];
		/* the last cell is not blank, so the line keeps all W */
		w[W - 1] = cell_blank(COLOR_DEFAULT);
		w[W - 1].ch = 'Z';
		want[l][W - 1] = w[W - 1];
		grid_scroll_up(g, 0, 2, 1, true, cell_blank(COLOR_DEFAULT));
	}
	/* the first scroll pushed the blank row 0 */
	assert_int_equal(grid_history_len(g), 3);
	assert_int_equal(grid_history_line(g, 0, &c), 0);
	assert_null(c);
	for (int l = 0; l < 2; l++) {
		assert_int_equal(grid_history_line(g, l + 1, &c), W);
		for (int x = 0; x < W; x++)
			assert_cell_eq(&c[x], &want[l][x]);
	}
	/* a taller screen pulls the newest lines back, cells intact */
	grid_resize(g, W, 4, 1);
	assert_int_equal(grid_history_len(g), 1);
	for (int l = 0; l < 2; l++)
		for (int x = 0; x < W; x++)
			assert_cell_eq(&grid_cline(g, l)[x], &want[l][x]);
	grid_free(g);
}

/* Lines dropped and pulled back in every order keep their cells. */
static void
test_history_blocks(void **state)
{
	struct grid *g = grid_new(100, 3, 200);
	char s[128];
	int next = 0, oldest = 0;

	(void)state;
	for (int round = 0; round < 3000; round++) {
		if (round % 7 == 3 && grid_history_len(g) > 0) {
			/* grow then shrink: pulls lines back and pushes
			 * them again */
			int y = grid_resize(g, 100, 5, 2);

			grid_resize(g, 100, 3, y);
		}
		grid_clear_rows(g, 2, 3, cell_blank(COLOR_DEFAULT));
		snprintf(s, sizeof s, "%d%.*s", next, next % 90, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		put_text(g, 2, s);
		next++;
		grid_scroll_up(g, 0, 3, 1, true, cell_blank(COLOR_DEFAULT));
	}
	assert_int_equal(grid_history_len(g), 200);
	/* the screen holds the last two lines and a blank; history the
	 * 200 before them */
	oldest = next - 2 - 200;
	for (int i = 0; i < 200; i++) {
		int v = oldest + i;

		snprintf(s, sizeof s, "%d%.*s", v, v % 90, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		assert_string_equal(hist_text(g, i), s);
	}
	grid_free(g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_blank),
		cmocka_unit_test(test_scroll_ring),
		cmocka_unit_test(test_scroll_region),
		cmocka_unit_test(test_history_limit),
		cmocka_unit_test(test_compact_lines),
		cmocka_unit_test(test_resize_cols),
		cmocka_unit_test(test_resize_rows_cursor),
		cmocka_unit_test(test_resize_no_history),
		cmocka_unit_test(test_resize_after_rotation),
		cmocka_unit_test(test_combos),
		cmocka_unit_test(test_damage),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_history_blocks),
		cmocka_unit_test(test_history_cells),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
