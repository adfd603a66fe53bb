/*
 * Unit tests for the split tree: rectangles with borders, split/remove,
 * geometric focus, resizing, hit-testing borders, and the text form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "ses/layout.h"

static const struct lrect *
rect_of(const struct lrect *r, int n, uint16_t pane)
{
	for (int i = 0; i < n; i++) {
		if (r[i].pane == pane)
			return &r[i];
	}
	fail_msg("pane %u not in layout", pane);
	return NULL;
}

static void
assert_rect(const struct lrect *r, int x, int y, int w, int h)
{
	assert_int_equal(r->x, x);
	assert_int_equal(r->y, y);
	assert_int_equal(r->w, w);
	assert_int_equal(r->h, h);
}

static void
test_single_pane_fills(void **state)
{
	struct lnode *t = layout_new_pane(1);
	struct lrect r[4];

	(void)state;
	layout_compute(t, 0, 0, 80, 23);
	assert_int_equal(layout_rects(t, r, 4), 1);
	assert_rect(&r[0], 0, 0, 80, 23);
	layout_free(t);
}

static void
test_split_v_and_h(void **state)
{
	struct lnode *t = layout_new_pane(1);
	struct lrect r[4];
	int n;

	(void)state;
	t = layout_split(t, 1, 2, LAYOUT_SPLIT_V, 500);
	t = layout_split(t, 2, 3, LAYOUT_SPLIT_H, 500);
	layout_compute(t, 0, 0, 81, 23);
	n = layout_rects(t, r, 4);
	assert_int_equal(n, 3);
	/* 81 columns: 40 | border | 40 */
	assert_rect(rect_of(r, n, 1), 0, 0, 40, 23);
	assert_rect(rect_of(r, n, 2), 41, 0, 40, 11);
	assert_rect(rect_of(r, n, 3), 41, 12, 40, 11);
	layout_free(t);
}

static void
test_remove_gives_space_to_sibling(void **state)
{
	struct lnode *t = layout_new_pane(1);
	struct lrect r[4];

	(void)state;
	t = layout_split(t, 1, 2, LAYOUT_SPLIT_V, 500);
	t = layout_split(t, 2, 3, LAYOUT_SPLIT_H, 500);
	t = layout_remove(t, 3);
	layout_compute(t, 0, 0, 81, 23);
	assert_int_equal(layout_rects(t, r, 4), 2);
	assert_rect(rect_of(r, 2, 2), 41, 0, 40, 23);
	t = layout_remove(t, 1);
	layout_compute(t, 0, 0, 81, 23);
	assert_int_equal(layout_rects(t, r, 4), 1);
	assert_rect(&r[0], 0, 0, 81, 23);
	assert_null(layout_remove(t, 2));
}

static void
test_neighbours_are_geometric(void **state)
{
	/* 1 | 2 over 3: from 3, left is 1; from 1, right is 2 (the top one
	 * overlaps the same as the bottom; ties go to the first found). */
	struct lnode *t = layout_new_pane(1);

	(void)state;
	t = layout_split(t, 1, 2, LAYOUT_SPLIT_V, 500);
	t = layout_split(t, 2, 3, LAYOUT_SPLIT_H, 300);
	layout_compute(t, 0, 0, 81, 23);
	assert_int_equal(layout_neighbour(t, 3, DIR_LEFT), 1);
	assert_int_equal(layout_neighbour(t, 2, DIR_DOWN), 3);
	assert_int_equal(layout_neighbour(t, 3, DIR_UP), 2);
	/* Pane 3 is taller than 2 (70 %), so 1's best right neighbour is 3. */
	assert_int_equal(layout_neighbour(t, 1, DIR_RIGHT), 3);
	assert_int_equal(layout_neighbour(t, 1, DIR_LEFT), 0);
	assert_int_equal(layout_neighbour(t, 2, DIR_UP), 0);
	layout_free(t);
}

static void
test_resize_moves_border(void **state)
{
	struct lnode *t = layout_new_pane(1);
	struct lrect r[4];

	(void)state;
	t = layout_split(t, 1, 2, LAYOUT_SPLIT_V, 500);
	layout_compute(t, 0, 0, 81, 23);
	assert_true(layout_resize(t, 1, DIR_RIGHT, 5));
	layout_compute(t, 0, 0, 81, 23);
	layout_rects(t, r, 4);
	assert_int_equal(rect_of(r, 2, 1)->w, 45);
	assert_int_equal(rect_of(r, 2, 2)->x, 46);
	/* Pane 2 has no border on its right. */
	assert_false(layout_resize(t, 2, DIR_RIGHT, 5));
	/* Growing 2 to the left moves the same border back. */
	assert_true(layout_resize(t, 2, DIR_LEFT, 10));
	layout_compute(t, 0, 0, 81, 23);
	layout_rects(t, r, 4);
	assert_int_equal(rect_of(r, 2, 1)->w, 35);
	/* A border never squeezes a pane below one cell. */
	assert_true(layout_resize(t, 2, DIR_LEFT, 500));
	layout_compute(t, 0, 0, 81, 23);
	layout_rects(t, r, 4);
	assert_int_equal(rect_of(r, 2, 1)->w, 1);
	layout_free(t);
}

static void
test_border_hit_and_drag(void **state)
{
	struct lnode *t = layout_new_pane(1), *s;
	struct lrect r[4];

	(void)state;
	t = layout_split(t, 1, 2, LAYOUT_SPLIT_H, 500);
	layout_compute(t, 0, 0, 80, 21);
	s = layout_border_at(t, 10, 10);
	assert_non_null(s);
	assert_null(layout_border_at(t, 10, 9));
	assert_true(layout_set_border(s, 5));
	layout_compute(t, 0, 0, 80, 21);
	layout_rects(t, r, 4);
	assert_rect(rect_of(r, 2, 1), 0, 0, 80, 5);
	assert_rect(rect_of(r, 2, 2), 0, 6, 80, 15);
	layout_free(t);
}

static void
test_text_round_trip(void **state)
{
	struct lnode *t = layout_new_pane(7), *u;
	char a[128], b[128];

	(void)state;
	t = layout_split(t, 7, 9, LAYOUT_SPLIT_V, 400);
	t = layout_split(t, 9, 12, LAYOUT_SPLIT_H, 250);
	layout_to_text(t, a, sizeof a);
	assert_string_equal(a, "(v400 7 (h250 9 12))");
	u = layout_from_text(a);
	assert_non_null(u);
	layout_to_text(u, b, sizeof b);
	assert_string_equal(a, b);
	assert_null(layout_from_text("(v400 7"));
	assert_null(layout_from_text("(x400 7 8)"));
	assert_null(layout_from_text("0"));
	assert_null(layout_from_text("(v5 1 2) junk"));
	layout_free(t);
	layout_free(u);
}

static void
test_tiny_sizes(void **state)
{
	struct lnode *t = layout_new_pane(1);
	struct lrect r[4];

	(void)state;
	t = layout_split(t, 1, 2, LAYOUT_SPLIT_V, 500);
	layout_compute(t, 0, 0, 2, 1);
	layout_rects(t, r, 4);
	assert_true(rect_of(r, 2, 1)->w >= 1);
	assert_true(rect_of(r, 2, 2)->w >= 1);
	layout_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_pane_fills),
		cmocka_unit_test(test_split_v_and_h),
		cmocka_unit_test(test_remove_gives_space_to_sibling),
		cmocka_unit_test(test_neighbours_are_geometric),
		cmocka_unit_test(test_resize_moves_border),
		cmocka_unit_test(test_border_hit_and_drag),
		cmocka_unit_test(test_text_round_trip),
		cmocka_unit_test(test_tiny_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
