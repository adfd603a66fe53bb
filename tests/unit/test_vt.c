/*
 * test_vt — the emulator: text, wrapping, scrolling into history, colours,
 * wide and combining characters, the alternate screen, scroll regions,
 * titles and OSC 7, modes, replies, capture, search and resize.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pod/vt.h"

static void
in(struct vt *vt, const char *s)
{
	vt_input(vt, s, strlen(s));
}

/* Feed s one byte per call: every sequence split everywhere. */
static void
in_bytes(struct vt *vt, const char *s)
{
	for (; *s; s++)
		vt_input(vt, s, 1);
}

/* Row y's text, trailing blanks trimmed, as capture would give it. */
static const char *
row(struct vt *vt, int y)
{
	static char buf[1024];
	const struct grid *g = vt_grid(vt);
	const struct cell *c = grid_cline(g, y);
	size_t n = 0;

	for (int x = 0; x < grid_cols(g); x++) {
		char u[32];
		int k = grid_cell_utf8(g, &c[x], u);

		memcpy(buf + n, u, (size_t)k);
		n += (size_t)k;
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
	return buf;
}

static const struct cell *
cell_at(struct vt *vt, int y, int x)
{
	return &grid_cline(vt_grid(vt), y)[x];
}

static const char *
capture(struct vt *vt, int history)
{
	static char buf[8192];
	struct wbuf b;

	wbuf_init(&b);
	vt_capture(vt, history, &b);
	assert_true(b.len < sizeof buf);
	memcpy(buf, b.data, b.len);
	buf[b.len] = '\0';
	wbuf_free(&b);
	return buf;
}

static void
assert_cursor(struct vt *vt, int x, int y)
{
	assert_int_equal(vt_state(vt)->cursor_x, x);
	assert_int_equal(vt_state(vt)->cursor_y, y);
}

static void
test_plain_text(void **state)
{
	struct vt *vt = vt_new(20, 5, 100);

	(void)state;
	assert_true(vt_dirty(vt));
	in(vt, "hello\r\nworld");
	assert_string_equal(row(vt, 0), "hello");
	assert_string_equal(row(vt, 1), "world");
	assert_cursor(vt, 5, 1);
	/* bare LF keeps the column, CR goes back */
	in(vt, "\nX\rY");
	assert_string_equal(row(vt, 2), "Y    X");
	assert_cursor(vt, 1, 2);
	assert_int_equal(cell_at(vt, 0, 0)->fg, COLOR_DEFAULT);
	assert_int_equal(cell_at(vt, 0, 0)->width, 1);
	/* backspace and tab */
	in(vt, "\r\nab\bc\tZ");
	assert_string_equal(row(vt, 3), "ac      Z");
	vt_free(vt);
}

static void
test_wrapping(void **state)
{
	struct vt *vt = vt_new(10, 4, 100);

	(void)state;
	in(vt, "0123456789abc\r\nnext");
	assert_string_equal(row(vt, 0), "0123456789");
	assert_string_equal(row(vt, 1), "abc");
	assert_true(grid_wrapped(vt_grid(vt), 0));
	assert_false(grid_wrapped(vt_grid(vt), 1));
	assert_false(grid_wrapped(vt_grid(vt), 2));

	/* exactly full then a newline: no wrap */
	in(vt, "\r\n0123456789\r\nz");
	assert_false(grid_wrapped(vt_grid(vt), 3 - 1));

	/* a wrap split across two inputs, at the bottom (it scrolls) */
	in(vt, "\r\n0123456789");
	in(vt, "Q");
	assert_string_equal(row(vt, 3), "Q");
	assert_string_equal(row(vt, 2), "0123456789");
	assert_true(grid_wrapped(vt_grid(vt), 2));
	vt_free(vt);
}

static void
test_scroll_into_history(void **state)
{
	struct vt *vt = vt_new(10, 3, 100);
	const struct cell *c;
	char s[16];

	(void)state;
	for (int i = 0; i < 10; i++) {
		snprintf(s, sizeof s, "line%d\r\n", i);
		in(vt, s);
	}
	/* 10 lines and an empty last row: 8 went to history */
	assert_int_equal(grid_history_len(vt_grid(vt)), 8);
	assert_int_equal(grid_history_line(vt_grid(vt), 0, &c), 5);
	assert_int_equal(c[4].ch, '0');
	assert_string_equal(row(vt, 0), "line8");
	assert_string_equal(row(vt, 1), "line9");
	assert_string_equal(row(vt, 2), "");
	assert_cursor(vt, 0, 2);
	vt_free(vt);
}

static void
test_colours_exact(void **state)
{
	struct vt *vt = vt_new(20, 3, 0);

	(void)state;
	in(vt, "\033[38;5;123;48;5;7ma\033[38;2;1;2;3;48;2;250;251;252mb"
	       "\033[31;42mc\033[91;104md\033[39;49me"
	       "\033[38:2:10:20:30mf\033[0m");
	assert_int_equal(cell_at(vt, 0, 0)->fg, COLOR_INDEX(123));
	assert_int_equal(cell_at(vt, 0, 0)->bg, COLOR_INDEX(7));
	assert_int_equal(cell_at(vt, 0, 1)->fg, COLOR_RGB(1, 2, 3));
	assert_int_equal(cell_at(vt, 0, 1)->bg, COLOR_RGB(250, 251, 252));
	assert_int_equal(cell_at(vt, 0, 2)->fg, COLOR_INDEX(1));
	assert_int_equal(cell_at(vt, 0, 2)->bg, COLOR_INDEX(2));
	assert_int_equal(cell_at(vt, 0, 3)->fg, COLOR_INDEX(9));
	assert_int_equal(cell_at(vt, 0, 3)->bg, COLOR_INDEX(12));
	assert_int_equal(cell_at(vt, 0, 4)->fg, COLOR_DEFAULT);
	assert_int_equal(cell_at(vt, 0, 4)->bg, COLOR_DEFAULT);
	assert_int_equal(cell_at(vt, 0, 5)->fg, COLOR_RGB(10, 20, 30));
	/* an RGB that happens to equal the default is still RGB */
	in(vt, "\033[38;2;240;240;240mg");
	assert_int_equal(cell_at(vt, 0, 6)->fg, COLOR_RGB(240, 240, 240));
	vt_free(vt);
}

static void
test_attributes(void **state)
{
	struct vt *vt = vt_new(20, 3, 0);

	(void)state;
	in(vt, "\033[1;3;4;5;7;9ma\033[0m\033[4:3mb\033[21mc\033[24;2;8;53md"
	       "\033[22;28;55me\033[38;5;8mf\033[48;2;2;8;53mg\033[0mh");
	assert_int_equal(cell_at(vt, 0, 0)->attr,
			 ATTR_BOLD | ATTR_ITALIC | ATTR_UNDERLINE | ATTR_BLINK |
				 ATTR_REVERSE | ATTR_STRIKE);
	assert_int_equal(cell_at(vt, 0, 1)->attr, ATTR_CURLY);
	assert_int_equal(cell_at(vt, 0, 2)->attr, ATTR_DUNDERLINE);
	assert_int_equal(cell_at(vt, 0, 3)->attr,
			 ATTR_DIM | ATTR_CONCEAL | ATTR_OVERLINE);
	assert_int_equal(cell_at(vt, 0, 4)->attr, 0);
	/* colour numbers 8 and 53 are not conceal and overline */
	assert_int_equal(cell_at(vt, 0, 5)->attr, 0);
	assert_int_equal(cell_at(vt, 0, 6)->attr, 0);
	assert_int_equal(cell_at(vt, 0, 6)->bg, COLOR_RGB(2, 8, 53));
	assert_int_equal(cell_at(vt, 0, 7)->attr, 0);
	assert_int_equal(cell_at(vt, 0, 7)->bg, COLOR_DEFAULT);

	/* SGR split across inputs still applies in order */
	in_bytes(vt, "\r\n\033[2mx\033[0my");
	assert_int_equal(cell_at(vt, 1, 0)->attr, ATTR_DIM);
	assert_int_equal(cell_at(vt, 1, 1)->attr, 0);
	vt_free(vt);
}

static void
test_wide_chars(void **state)
{
	struct vt *vt = vt_new(10, 3, 0);

	(void)state;
	in(vt, "日本x");
	assert_int_equal(cell_at(vt, 0, 0)->ch, 0x65e5);
	assert_int_equal(cell_at(vt, 0, 0)->width, 2);
	assert_int_equal(cell_at(vt, 0, 1)->width, 0);
	assert_int_equal(cell_at(vt, 0, 2)->ch, 0x672c);
	assert_int_equal(cell_at(vt, 0, 2)->width, 2);
	assert_int_equal(cell_at(vt, 0, 3)->width, 0);
	assert_int_equal(cell_at(vt, 0, 4)->ch, 'x');
	assert_cursor(vt, 5, 0);
	assert_string_equal(row(vt, 0), "日本x");

	/* overwriting half of a wide character blanks the other half */
	in(vt, "\033[1;2Hq");
	assert_int_equal(cell_at(vt, 0, 0)->ch, 0);
	assert_int_equal(cell_at(vt, 0, 0)->width, 1);
	assert_string_equal(row(vt, 0), " q本x");

	/* a wide character that does not fit wraps whole */
	in(vt, "\r\n123456789本");
	assert_string_equal(row(vt, 1), "123456789");
	assert_string_equal(row(vt, 2), "本");
	assert_true(grid_wrapped(vt_grid(vt), 1));

	/* split UTF-8 */
	in(vt, "\033[H\xe6");
	in(vt, "\x97\xa5");
	assert_int_equal(cell_at(vt, 0, 0)->ch, 0x65e5);
	vt_free(vt);
}

static void
test_combining(void **state)
{
	struct vt *vt = vt_new(10, 3, 0);
	const uint32_t *cps;
	uint32_t single;

	(void)state;
	in(vt, "e\xcc\x81x");
	assert_true(cell_at(vt, 0, 0)->ch & CELL_COMBO);
	assert_int_equal(grid_cell_codepoints(vt_grid(vt),
					      cell_at(vt, 0, 0)->ch, &cps,
					      &single),
			 2);
	assert_int_equal(cps[0], 'e');
	assert_int_equal(cps[1], 0x301);
	assert_int_equal(cell_at(vt, 0, 1)->ch, 'x');
	assert_string_equal(row(vt, 0), "e\xcc\x81x");

	/* the mark arriving in the next read joins the same cell */
	in(vt, "\r\na");
	in(vt, "\xcc\x88");
	assert_true(cell_at(vt, 1, 0)->ch & CELL_COMBO);
	assert_int_equal(cell_at(vt, 1, 1)->ch, 0);
	assert_string_equal(capture(vt, 0), "e\xcc\x81x\na\xcc\x88\n\n");
	vt_free(vt);
}

static void
test_erase_background(void **state)
{
	struct vt *vt = vt_new(10, 3, 0);

	(void)state;
	in(vt, "abcdefghij\r\n\033[44m\033[2K\033[1;4H\033[K");
	assert_string_equal(row(vt, 0), "abc");
	for (int x = 3; x < 10; x++)
		assert_int_equal(cell_at(vt, 0, x)->bg, COLOR_INDEX(4));
	assert_int_equal(cell_at(vt, 0, 2)->bg, COLOR_DEFAULT);
	for (int x = 0; x < 10; x++)
		assert_int_equal(cell_at(vt, 1, x)->bg, COLOR_INDEX(4));
	/* ECH and a whole-screen erase */
	in(vt, "\033[48;2;9;8;7m\033[1;1H\033[2X");
	assert_int_equal(cell_at(vt, 0, 1)->bg, COLOR_RGB(9, 8, 7));
	assert_int_equal(cell_at(vt, 0, 2)->ch, 'c');
	in(vt, "\033[2J");
	assert_int_equal(cell_at(vt, 2, 9)->bg, COLOR_RGB(9, 8, 7));
	/* lines scrolled in take the background too */
	in(vt, "\033[3;1H\n");
	assert_int_equal(cell_at(vt, 2, 0)->bg, COLOR_RGB(9, 8, 7));
	vt_free(vt);
}

static void
test_insert_delete_chars(void **state)
{
	struct vt *vt = vt_new(10, 3, 0);

	(void)state;
	in(vt, "abcdef\033[1;2H\033[2@");
	assert_string_equal(row(vt, 0), "a  bcdef");
	in(vt, "\033[3P");
	assert_string_equal(row(vt, 0), "acdef");
	/* IL/DL inside the screen */
	in(vt, "\r\nline2\033[1;1H\033[L");
	assert_string_equal(row(vt, 0), "");
	assert_string_equal(row(vt, 1), "acdef");
	assert_string_equal(row(vt, 2), "line2");
	in(vt, "\033[M");
	assert_string_equal(row(vt, 0), "acdef");
	assert_int_equal(grid_history_len(vt_grid(vt)), 0);
	vt_free(vt);
}

static void
test_altscreen(void **state)
{
	struct vt *vt = vt_new(10, 3, 100);
	struct grid *main_grid = vt_grid(vt);

	(void)state;
	in(vt, "main1\r\nmain2");
	in(vt, "\033[?1049h");
	assert_true(vt_state(vt)->modes & MODE_ALTSCREEN);
	assert_ptr_not_equal(vt_grid(vt), main_grid);
	assert_string_equal(row(vt, 0), "");
	assert_true(grid_row_damaged(vt_grid(vt), 0));
	in(vt, "\033[Halt\r\n\r\n\r\n\r\nmore");
	assert_string_equal(row(vt, 2), "more");
	/* the alternate screen has no history and adds none */
	assert_int_equal(grid_history_len(vt_grid(vt)), 0);
	assert_int_equal(grid_history_len(main_grid), 0);
	in(vt, "\033[?1049l");
	assert_false(vt_state(vt)->modes & MODE_ALTSCREEN);
	assert_ptr_equal(vt_grid(vt), main_grid);
	assert_string_equal(row(vt, 0), "main1");
	assert_string_equal(row(vt, 1), "main2");
	assert_cursor(vt, 5, 1);

	/* entering again starts from a clear screen */
	in(vt, "\033[?1049h");
	assert_string_equal(row(vt, 2), "");
	/* a reset goes back to the main screen */
	in(vt, "\033c");
	assert_ptr_equal(vt_grid(vt), main_grid);
	assert_false(vt_state(vt)->modes & MODE_ALTSCREEN);
	vt_free(vt);
}

static void
test_scroll_region(void **state)
{
	struct vt *vt = vt_new(10, 5, 100);

	(void)state;
	in(vt, "top\r\n1\r\n2\r\n3\r\nstatus");
	/* region rows 2..4: scrolling inside it keeps history clean */
	in(vt, "\033[2;4r\033[4;1H\n\n\nx");
	assert_int_equal(grid_history_len(vt_grid(vt)), 0);
	assert_string_equal(row(vt, 0), "top");
	assert_string_equal(row(vt, 3), "x");
	assert_string_equal(row(vt, 4), "status");
	/* reverse index at the region's top scrolls it down */
	in(vt, "\033[2;1H\033M");
	assert_string_equal(row(vt, 1), "");
	assert_string_equal(row(vt, 0), "top");
	in(vt, "\033[r");
	assert_cursor(vt, 0, 0);

	/* a region from the top row (a status line below it) scrolls its
	 * lines into history, as xterm does */
	in(vt, "\033[1;4r\033[4;1H\nnew");
	assert_int_equal(grid_history_len(vt_grid(vt)), 1);
	assert_string_equal(row(vt, 3), "new");
	assert_string_equal(row(vt, 4), "status");

	/* the same on the alternate screen adds nothing */
	in(vt, "\033[r\033[?1049h\033[1;4r\033[4;1H\n\n");
	in(vt, "\033[r\033[?1049l");
	assert_int_equal(grid_history_len(vt_grid(vt)), 1);
	vt_free(vt);
}

static void
test_title_and_cwd(void **state)
{
	struct vt *vt = vt_new(10, 3, 0);

	(void)state;
	in(vt, "\033]2;my title\007");
	assert_string_equal(vt_state(vt)->title, "my title");
	in(vt, "\033]0;other\033\\");
	assert_string_equal(vt_state(vt)->title, "other");
	/* split anywhere, even in the middle of the number */
	in_bytes(vt, "\033]2;split title\033\\");
	assert_string_equal(vt_state(vt)->title, "split title");
	in(vt, "\033]");
	in(vt, "2;pa");
	in(vt, "rts\007");
	assert_string_equal(vt_state(vt)->title, "parts");
	/* icon name only: title unchanged */
	in(vt, "\033]1;icon\007");
	assert_string_equal(vt_state(vt)->title, "parts");
	assert_string_equal(row(vt, 0), "");

	assert_string_equal(vt_state(vt)->cwd, "");
	in(vt, "\033]7;file://host/home/u/my%20dir\033\\");
	assert_string_equal(vt_state(vt)->cwd, "/home/u/my dir");
	in_bytes(vt, "\033]7;file:///tmp/x\007");
	assert_string_equal(vt_state(vt)->cwd, "/tmp/x");
	/* not a path: ignored */
	in(vt, "\033]7;file://host\007");
	assert_string_equal(vt_state(vt)->cwd, "/tmp/x");

	/* a long title is cut at a character boundary */
	{
		char buf[700];
		size_t n = 0;

		n += (size_t)sprintf(buf, "\033]2;");
		for (int i = 0; i < 200; i++)
			n += (size_t)sprintf(buf + n, "é");
		sprintf(buf + n, "\007");
		in(vt, buf);
		assert_int_equal(strlen(vt_state(vt)->title), 254);
	}
	assert_string_equal(row(vt, 0), "");
	vt_free(vt);
}

static void
test_modes(void **state)
{
	struct vt *vt = vt_new(10, 3, 0);
	const struct pane_state *st = vt_state(vt);

	(void)state;
	assert_false(st->modes & MODE_BRACKETED_PASTE);
	in(vt, "\033[?2004h");
	assert_true(st->modes & MODE_BRACKETED_PASTE);
	in(vt, "\033[?2004l");
	assert_false(st->modes & MODE_BRACKETED_PASTE);
	/* split across inputs */
	in(vt, "\033[?20");
	assert_false(st->modes & MODE_BRACKETED_PASTE);
	in(vt, "04h");
	assert_true(st->modes & MODE_BRACKETED_PASTE);
	in_bytes(vt, "\033[?2004l");
	assert_false(st->modes & MODE_BRACKETED_PASTE);

	in(vt, "\033[?1;1004;1006h\033=");
	assert_true(st->modes & MODE_APP_CURSOR);
	assert_true(st->modes & MODE_FOCUS_EVENTS);
	assert_true(st->modes & MODE_MOUSE_SGR);
	assert_true(st->modes & MODE_APP_KEYPAD);
	in(vt, "\033[?1l\033>");
	assert_false(st->modes & MODE_APP_CURSOR);
	assert_false(st->modes & MODE_APP_KEYPAD);

	in(vt, "\033[?1000h");
	assert_true(st->modes & MODE_MOUSE_CLICK);
	assert_false(st->modes & MODE_MOUSE_DRAG);
	in(vt, "\033[?1002h");
	assert_true(st->modes & MODE_MOUSE_DRAG);
	in(vt, "\033[?1003h");
	assert_true(st->modes & MODE_MOUSE_MOTION);
	in(vt, "\033[?1003l");
	assert_false(st->modes & (MODE_MOUSE_CLICK | MODE_MOUSE_DRAG |
				  MODE_MOUSE_MOTION));

	in(vt, "\033[?25l");
	assert_false(st->cursor_visible);
	in(vt, "\033[?25h\033[6 q");
	assert_true(st->cursor_visible);
	assert_int_equal(st->cursor_shape, 3 /* bar */);
	assert_false(st->modes & MODE_CURSOR_BLINK);
	in(vt, "\033[?5h");
	assert_true(st->modes & MODE_REVERSE);

	/* modes inside a string are not modes */
	in(vt, "\033]2;[?2004h\007\033P[?2004h\033\\");
	assert_false(st->modes & MODE_BRACKETED_PASTE);
	assert_string_equal(st->title, "[?2004h");

	in(vt, "\007\007");
	assert_int_equal(st->bells, 2);
	in(vt, "\033[?2004h\033c");
	assert_false(st->modes & (MODE_BRACKETED_PASTE | MODE_REVERSE));
	vt_free(vt);
}

static void
test_cursor_and_replies(void **state)
{
	struct vt *vt = vt_new(20, 10, 0);
	struct wbuf *r = vt_replies(vt);

	(void)state;
	in(vt, "\033[5;7H");
	assert_cursor(vt, 6, 4);
	in(vt, "\033[2A\033[3C");
	assert_cursor(vt, 9, 2);
	in(vt, "\033[6n");
	assert_int_equal(r->len, strlen("\033[3;10R"));
	assert_memory_equal(r->data, "\033[3;10R", r->len);
	wbuf_reset(r);
	in_bytes(vt, "\033[6n");
	assert_memory_equal(r->data, "\033[3;10R", r->len);
	wbuf_reset(r);
	in(vt, "\033[c");
	assert_true(r->len > 3);
	assert_memory_equal(r->data, "\033[?", 3);
	wbuf_reset(r);
	/* save and restore */
	in(vt, "\0337\033[10;20H\0338");
	assert_cursor(vt, 9, 2);
	in(vt, "\033[99;99H");
	assert_cursor(vt, 19, 9);
	vt_free(vt);
}

static void
test_capture_history(void **state)
{
	struct vt *vt = vt_new(8, 3, 100);

	(void)state;
	in(vt, "one\r\ntwo  \r\n日本\r\nfour\r\nfive");
	assert_int_equal(grid_history_len(vt_grid(vt)), 2);
	assert_string_equal(capture(vt, 0), "日本\nfour\nfive\n");
	assert_string_equal(capture(vt, 1), "two\n日本\nfour\nfive\n");
	assert_string_equal(capture(vt, 50),
			    "one\ntwo\n日本\nfour\nfive\n");
	vt_free(vt);
}

static void
test_search(void **state)
{
	struct vt *vt = vt_new(14, 3, 100);
	int line, col, len;

	(void)state;
	in(vt, "alpha foo\r\nbeta\r\n日本 Foo\r\ngamma foo foo\r\nend");
	/* history: alpha foo, beta; screen: 日本 Foo, gamma foo foo, end */
	assert_int_equal(grid_history_len(vt_grid(vt)), 2);
	assert_int_equal(vt_search(vt, "foo", 0, false, false, &line, &col,
				   &len),
			 1);
	assert_int_equal(line, 0);
	assert_int_equal(col, 6);
	assert_int_equal(len, 3);
	assert_int_equal(vt_search(vt, "foo", 1, false, false, &line, &col,
				   &len),
			 1);
	assert_int_equal(line, 3);
	assert_int_equal(col, 6);
	/* case-insensitive finds Foo after the wide characters: columns
	 * are cells, not bytes */
	assert_int_equal(vt_search(vt, "foo", 1, false, true, &line, &col,
				   &len),
			 1);
	assert_int_equal(line, 2);
	assert_int_equal(col, 5);
	assert_int_equal(vt_search(vt, "日本", 0, false, false, &line, &col,
				   &len),
			 1);
	assert_int_equal(col, 0);
	assert_int_equal(len, 4);
	/* backward: the last match on the line */
	assert_int_equal(vt_search(vt, "foo", 4, true, false, &line, &col,
				   &len),
			 1);
	assert_int_equal(line, 3);
	assert_int_equal(col, 10);
	assert_int_equal(vt_search(vt, "foo", 2, true, false, &line, &col,
				   &len),
			 1);
	assert_int_equal(line, 0);
	assert_int_equal(vt_search(vt, "zzz", 0, false, true, &line, &col,
				   &len),
			 0);
	assert_int_equal(vt_search(vt, "", 0, false, true, &line, &col, &len),
			 0);
	assert_int_equal(vt_search(vt, "foo", 99, true, false, &line, &col,
				   &len),
			 1);
	assert_int_equal(line, 3);
	vt_free(vt);
}

static int
count_rows(void *arg, int index, const struct cell *cells, int ncells,
	   bool wrapped)
{
	int *n = arg;

	(void)index;
	(void)cells;
	(void)ncells;
	(void)wrapped;
	(*n)++;
	return 0;
}

static void
test_read_history(void **state)
{
	struct vt *vt = vt_new(8, 2, 100);
	struct grid *scratch = grid_new(1, 1, 0);
	struct wbuf b;
	int first, hlen, n = 0;

	(void)state;
	wbuf_init(&b);
	for (int i = 0; i < 10; i++)
		in(vt, "x\r\n");
	vt_read_history(vt, -3, 10, &b, &first, &hlen);
	assert_int_equal(hlen, 9);
	assert_int_equal(first, 6);
	assert_int_equal(update_decode_rows(b.data, b.len, scratch,
					    count_rows, &n),
			 3);
	assert_int_equal(n, 3);
	wbuf_free(&b);
	grid_free(scratch);
	vt_free(vt);
}

static void
test_resize(void **state)
{
	struct vt *vt = vt_new(10, 6, 100);

	(void)state;
	in(vt, "a\r\nb\r\nc\r\nd\r\ne");
	assert_cursor(vt, 1, 4);
	vt_resize(vt, 10, 3);
	/* the cursor row stays visible: rows above went to history */
	assert_int_equal(vt_state(vt)->rows, 3);
	assert_cursor(vt, 1, 2);
	assert_string_equal(row(vt, 2), "e");
	assert_string_equal(row(vt, 0), "c");
	assert_int_equal(grid_history_len(vt_grid(vt)), 2);
	in(vt, "f");
	assert_string_equal(row(vt, 2), "ef");
	/* growing brings them back */
	vt_resize(vt, 10, 6);
	assert_string_equal(row(vt, 0), "a");
	assert_string_equal(row(vt, 4), "ef");
	assert_cursor(vt, 2, 4);
	/* narrower: the cursor column is clamped */
	vt_resize(vt, 2, 6);
	assert_int_equal(grid_cols(vt_grid(vt)), 2);
	assert_true(vt_state(vt)->cursor_x <= 1);
	in(vt, "\033[6n");
	assert_memory_equal(vt_replies(vt)->data, "\033[5;2R", 6);
	vt_free(vt);
}

static void
test_resize_altscreen(void **state)
{
	struct vt *vt = vt_new(10, 6, 100);

	(void)state;
	in(vt, "1\r\n2\r\n3\r\n4\r\n5");
	in(vt, "\033[?1049h\033[6;1Halt");
	vt_resize(vt, 10, 3);
	assert_string_equal(row(vt, 2), "alt");
	vt_resize(vt, 12, 4);
	in(vt, "\033[?1049l");
	/* the main screen kept its cursor line on screen: 1 and 2 went to
	 * history, 2 came back */
	assert_int_equal(grid_rows(vt_grid(vt)), 4);
	assert_int_equal(grid_cols(vt_grid(vt)), 12);
	assert_string_equal(row(vt, 0), "2");
	assert_string_equal(row(vt, 3), "5");
	assert_cursor(vt, 1, 3);
	vt_free(vt);

	/* without history nothing comes back, and the saved cursor row
	 * libvterm restores must follow the text */
	vt = vt_new(10, 6, 0);
	in(vt, "1\r\n2\r\n3\r\n4\r\n5");
	in(vt, "\033[?1049h");
	vt_resize(vt, 10, 3);
	vt_resize(vt, 10, 5);
	in(vt, "\033[?1049l");
	assert_string_equal(row(vt, 2), "5");
	assert_cursor(vt, 1, 2);
	in(vt, "x");
	assert_string_equal(row(vt, 2), "5x");
	vt_free(vt);
}

static void
test_update_round_trip(void **state)
{
	struct vt *vt = vt_new(20, 4, 100);
	struct grid *mux = grid_new(1, 1, 0);
	struct pane_state st;
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	in(vt, "\033]2;t\007\033[31mred\033[0m 日本 e\xcc\x81\r\n\033[?2004h");
	assert_true(vt_dirty(vt));
	vt_encode_update(vt, true, &b);
	assert_false(vt_dirty(vt));
	assert_int_equal(update_apply(mux, &st, b.data, b.len), 0);
	assert_string_equal(st.title, "t");
	assert_true(st.modes & MODE_BRACKETED_PASTE);
	assert_int_equal(st.cursor_y, 1);
	assert_int_equal(grid_cline(mux, 0)[0].fg, COLOR_INDEX(1));
	assert_int_equal(grid_cline(mux, 0)[4].ch, 0x65e5);
	assert_true(grid_cline(mux, 0)[9].ch & CELL_COMBO);

	/* only the changed row next time */
	wbuf_reset(&b);
	grid_damage_clear(mux);
	in(vt, "x");
	assert_true(vt_dirty(vt));
	vt_encode_update(vt, false, &b);
	assert_int_equal(update_apply(mux, &st, b.data, b.len), 0);
	assert_false(grid_row_damaged(mux, 0));
	assert_true(grid_row_damaged(mux, 1));
	assert_int_equal(grid_cline(mux, 1)[0].ch, 'x');
	assert_true(vt_memory(vt) > 20 * 4 * sizeof(struct cell));
	wbuf_free(&b);
	grid_free(mux);
	vt_free(vt);
}

/* Random bytes must never crash or corrupt (run under ASan). */
static void
test_garbage(void **state)
{
	struct vt *vt = vt_new(13, 7, 50);
	unsigned seed = 7;
	char buf[512];
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	for (int round = 0; round < 400; round++) {
		for (size_t i = 0; i < sizeof buf; i++) {
			seed = seed * 1103515245 + 12345;
			/* mostly escapes and digits, to reach deep states */
			buf[i] = (char)("\033[;?0123456789Hm\r\nJKL@Prh]7\007"
					"\xe6\x97\xa5\xcc\x81 ab"[(seed >> 16) %
								  34]);
			if ((seed >> 8) % 17 == 0)
				buf[i] = (char)(seed >> 3);
		}
		vt_input(vt, buf, sizeof buf);
		if (round % 50 == 0)
			vt_resize(vt, 3 + round % 20, 2 + round % 9);
		wbuf_reset(&b);
		vt_encode_update(vt, round % 2, &b);
		wbuf_reset(vt_replies(vt));
	}
	wbuf_free(&b);
	vt_free(vt);
}

/* A character cut by the end of a read, with text before it, arrives
 * whole (libvterm alone would print U+FFFD for it). */
static void
test_utf8_split_across_reads(void **state)
{
	static const char *const text[] = { "x\303\251y", "ab\344\270\255c",
					    "q\360\237\230\200z" };
	static const char *const want[] = { "x\303\251y", "ab\344\270\255c",
					    "q\360\237\230\200z" };

	(void)state;
	for (int t = 0; t < 3; t++) {
		size_t n = strlen(text[t]);

		for (size_t cut = 1; cut < n; cut++) {
			struct vt *vt = vt_new(20, 2, 0);

			vt_input(vt, text[t], cut);
			vt_input(vt, text[t] + cut, n - cut);
			assert_string_equal(row(vt, 0), want[t]);
			vt_free(vt);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_wrapping),
		cmocka_unit_test(test_scroll_into_history),
		cmocka_unit_test(test_colours_exact),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_wide_chars),
		cmocka_unit_test(test_combining),
		cmocka_unit_test(test_erase_background),
		cmocka_unit_test(test_insert_delete_chars),
		cmocka_unit_test(test_altscreen),
		cmocka_unit_test(test_scroll_region),
		cmocka_unit_test(test_title_and_cwd),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_cursor_and_replies),
		cmocka_unit_test(test_capture_history),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_read_history),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_resize_altscreen),
		cmocka_unit_test(test_update_round_trip),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_utf8_split_across_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
