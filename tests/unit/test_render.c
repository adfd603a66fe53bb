/*
 * test_render — what render_flush's bytes really draw: they are fed to
 * libvterm, sized like the render, and the resulting screen is checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vterm.h>

#include "core/buf.h"
#include "core/grid.h"
#include "render/render.h"
#include "render/term.h"

struct fx {
	struct term_caps *caps;
	struct render *r;
	VTerm *vt;
	VTermScreen *scr;
	struct wbuf out;
	int cols, rows;
	int cursor_visible;
	int shape;
	char title[128];
	char err[256];
};

static int
vt_prop(VTermProp prop, VTermValue *val, void *user)
{
	struct fx *f = user;

	if (prop == VTERM_PROP_CURSORVISIBLE)
		f->cursor_visible = val->boolean;
	else if (prop == VTERM_PROP_CURSORSHAPE)
		f->shape = val->number;
	return 1;
}

static const VTermScreenCallbacks vt_cbs = { .settermprop = vt_prop };

static void
vt_open(struct fx *f)
{
	f->vt = vterm_new(f->rows, f->cols);
	vterm_set_utf8(f->vt, 1);
	f->scr = vterm_obtain_screen(f->vt);
	vterm_screen_set_callbacks(f->scr, &vt_cbs, f);
	vterm_screen_enable_altscreen(f->scr, 1);
	vterm_screen_reset(f->scr, 1);
	f->cursor_visible = 1;
}

static struct fx *
fx_new(const char *term, const char *colorterm, int cols, int rows)
{
	struct fx *f = calloc(1, sizeof *f);
	int fd = open("/dev/null", O_WRONLY);

	f->cols = cols;
	f->rows = rows;
	f->caps = term_caps_new(fd, term, colorterm, f->err, sizeof f->err);
	close(fd);
	f->r = render_new(f->caps, cols, rows);
	wbuf_init(&f->out);
	vt_open(f);
	return f;
}

static void
fx_free(struct fx *f)
{
	vterm_free(f->vt);
	render_free(f->r);
	term_caps_free(f->caps);
	wbuf_free(&f->out);
	free(f);
}

/* Flush into the emulator; returns the byte count. */
static size_t
fx_flush(struct fx *f)
{
	wbuf_reset(&f->out);
	render_flush(f->r, &f->out);
	vterm_input_write(f->vt, f->out.data, f->out.len);
	return f->out.len;
}

static VTermScreenCell
cell_at(struct fx *f, int x, int y)
{
	VTermScreenCell c;
	VTermPos pos = { .row = y, .col = x };

	memset(&c, 0, sizeof c);
	vterm_screen_get_cell(f->scr, pos, &c);
	return c;
}

static void
put_utf8(char **p, uint32_t cp)
{
	if (cp < 0x80) {
		*(*p)++ = (char)cp;
	} else if (cp < 0x800) {
		*(*p)++ = (char)(0xc0 | cp >> 6);
		*(*p)++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*(*p)++ = (char)(0xe0 | cp >> 12);
		*(*p)++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*(*p)++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*(*p)++ = (char)(0xf0 | cp >> 18);
		*(*p)++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*(*p)++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*(*p)++ = (char)(0x80 | (cp & 0x3f));
	}
}

/* n columns of row y from x as UTF-8; empty cells are spaces. */
static const char *
text_at(struct fx *f, int x, int y, int n)
{
	static char buf[4096];
	char *p = buf;

	for (int i = x; i < x + n && i < f->cols;) {
		VTermScreenCell c = cell_at(f, i, y);

		if (c.chars[0] == 0)
			*p++ = ' ';
		for (int k = 0; k < VTERM_MAX_CHARS_PER_CELL && c.chars[k]; k++)
			put_utf8(&p, c.chars[k]);
		i += c.width > 1 ? c.width : 1;
	}
	*p = '\0';
	return buf;
}

static VTermPos
cursor_pos(struct fx *f)
{
	VTermPos pos;

	vterm_state_get_cursorpos(vterm_obtain_state(f->vt), &pos);
	return pos;
}

static void
assert_fg_index(struct fx *f, int x, int y, int idx)
{
	VTermScreenCell c = cell_at(f, x, y);

	assert_true(VTERM_COLOR_IS_INDEXED(&c.fg));
	assert_false(VTERM_COLOR_IS_DEFAULT_FG(&c.fg));
	assert_int_equal(c.fg.indexed.idx, idx);
}

static void
assert_bg_index(struct fx *f, int x, int y, int idx)
{
	VTermScreenCell c = cell_at(f, x, y);

	assert_true(VTERM_COLOR_IS_INDEXED(&c.bg));
	assert_false(VTERM_COLOR_IS_DEFAULT_BG(&c.bg));
	assert_int_equal(c.bg.indexed.idx, idx);
}

static void
assert_default_colors(struct fx *f, int x, int y)
{
	VTermScreenCell c = cell_at(f, x, y);

	assert_true(VTERM_COLOR_IS_DEFAULT_FG(&c.fg));
	assert_true(VTERM_COLOR_IS_DEFAULT_BG(&c.bg));
}

static bool
contains(const struct wbuf *b, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, s, n) == 0)
			return true;
	return false;
}

static struct grid *
grid_with(int cols, int rows, const char *const *lines)
{
	struct grid *g = grid_new(cols, rows, 0);

	for (int y = 0; y < rows && lines[y]; y++) {
		struct cell *c = grid_line(g, y);

		for (int x = 0; x < cols && lines[y][x]; x++) {
			c[x] = cell_blank(COLOR_DEFAULT);
			c[x].ch = (unsigned char)lines[y][x];
		}
	}
	return g;
}

/* ---- capabilities --------------------------------------------------- */

static void
test_caps_xterm(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 10, 3);

	(void)state;
	assert_string_equal(f->err, "");
	assert_false(f->caps->fallback);
	assert_true(f->caps->ansi_cup);
	assert_true(f->caps->ansi_sgr);
	assert_int_equal(f->caps->colors, 256);
	assert_false(f->caps->truecolor);
	assert_true(f->caps->xenl);
	assert_string_equal(f->caps->str[TC_SMCUP], "\033[?1049h\033[22;0;0t");
	fx_free(f);

	f = fx_new("xterm-256color", "truecolor", 10, 3);
	assert_true(f->caps->truecolor);
	fx_free(f);
	f = fx_new("xterm-256color", "24bit", 10, 3);
	assert_true(f->caps->truecolor);
	fx_free(f);
}

static void
test_caps_fallback(void **state)
{
	struct fx *f = fx_new("no-such-terminal-hexe", NULL, 20, 3);

	(void)state;
	assert_true(f->caps->fallback);
	assert_true(strlen(f->err) > 0);
	assert_true(f->caps->ansi_cup);
	assert_true(f->caps->ansi_sgr);
	render_text(f->r, 2, 1, "ok", COLOR_INDEX(2), 0, ATTR_BOLD, 10);
	fx_flush(f);
	assert_string_equal(text_at(f, 2, 1, 2), "ok");
	assert_fg_index(f, 2, 1, 2);
	assert_true(cell_at(f, 2, 1).attrs.bold);
	fx_free(f);

	/* a terminal that cannot address the cursor is no better */
	f = fx_new("dumb", NULL, 20, 3);
	assert_true(f->caps->fallback);
	assert_non_null(strstr(f->err, "dumb"));
	fx_free(f);
}

static void
test_caps_padding_stripped(void **state)
{
	struct fx *f = fx_new("vt100", NULL, 20, 3);

	(void)state;
	assert_false(f->caps->fallback);
	assert_null(strchr(f->caps->str[TC_CUP], '$'));
	assert_null(strchr(f->caps->str[TC_BOLD], '$'));
	assert_int_equal(f->caps->colors, 0);
	render_text(f->r, 0, 2, "vt", COLOR_INDEX(1), 0, ATTR_BOLD, 10);
	fx_flush(f);
	assert_null(memchr(f->out.data, '$', f->out.len));
	assert_string_equal(text_at(f, 0, 2, 2), "vt");
	assert_true(cell_at(f, 0, 2).attrs.bold);
	assert_default_colors(f, 0, 2);
	fx_free(f);
}

/* ---- text ----------------------------------------------------------- */

static void
test_text_placement(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 20, 5);

	(void)state;
	render_begin(f->r);
	assert_int_equal(render_text(f->r, 3, 2, "hello", 0, 0, 0, 100), 5);
	assert_int_equal(render_text(f->r, 0, 4, "hello world", 0, 0, 0, 5),
			 5);
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 2, 10), "   hello  ");
	assert_string_equal(text_at(f, 0, 4, 12), "hello       ");
	assert_string_equal(text_at(f, 0, 0, 20), "                    ");
	fx_free(f);
}

static void
test_text_clipped_by_screen(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 10, 3);

	(void)state;
	render_begin(f->r);
	/* columns are counted even where the screen cuts the text */
	assert_int_equal(render_text(f->r, 7, 0, "abcdef", 0, 0, 0, 99), 6);
	assert_int_equal(render_text(f->r, -2, 1, "xyzw", 0, 0, 0, 99), 4);
	assert_int_equal(render_text(f->r, 0, 7, "off", 0, 0, 0, 99), 3);
	/* control characters are dropped */
	assert_int_equal(render_text(f->r, 0, 2, "a\tb\nc\033", 0, 0, 0, 99),
			 3);
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 0, 10), "       abc");
	assert_string_equal(text_at(f, 0, 1, 10), "zw        ");
	assert_string_equal(text_at(f, 0, 2, 4), "abc ");
	fx_free(f);
}

static void
test_text_wide_and_combining(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 10, 4);
	VTermScreenCell c;

	(void)state;
	render_begin(f->r);
	assert_int_equal(render_text(f->r, 0, 0, "a中b", 0, 0, 0, 99), 4);
	/* a wide character that does not fit maxw is left out */
	assert_int_equal(render_text(f->r, 0, 1, "ab中", 0, 0, 0, 3), 2);
	/* nor does it fit the last screen column: a blank there */
	render_text(f->r, 9, 2, "中", 0, 0, 0, 9);
	/* e + combining acute accent in one cell */
	assert_int_equal(render_text(f->r, 0, 3, "e\xcc\x81x", 0, 0, 0, 9),
			 2);
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 0, 5), "a中b ");
	c = cell_at(f, 1, 0);
	assert_int_equal(c.width, 2);
	assert_int_equal(c.chars[0], 0x4e2d);
	assert_int_equal(cell_at(f, 3, 0).chars[0], 'b');
	assert_string_equal(text_at(f, 0, 1, 4), "ab  ");
	assert_int_equal(cell_at(f, 9, 2).chars[0], 0);
	c = cell_at(f, 0, 3);
	assert_int_equal(c.chars[0], 'e');
	assert_int_equal(c.chars[1], 0x301);
	assert_int_equal(cell_at(f, 1, 3).chars[0], 'x');
	fx_free(f);
}

static void
test_overwrite_half_of_wide(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 10, 2);

	(void)state;
	render_begin(f->r);
	render_text(f->r, 0, 0, "中文字", 0, 0, 0, 99);
	/* 'x' lands on the right half of 中, 'y' on the left half of 字 */
	render_text(f->r, 1, 0, "x", 0, 0, 0, 99);
	render_text(f->r, 4, 0, "y", 0, 0, 0, 99);
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 0, 6), " x文y ");
	assert_int_equal(cell_at(f, 2, 0).width, 2);
	fx_free(f);
}

/* ---- colours and attributes ----------------------------------------- */

static void
test_indexed_colors(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 20, 2);

	(void)state;
	render_begin(f->r);
	render_text(f->r, 0, 0, "a", COLOR_INDEX(1), COLOR_INDEX(4), 0, 9);
	render_text(f->r, 1, 0, "b", COLOR_INDEX(9), COLOR_INDEX(12), 0, 9);
	render_text(f->r, 2, 0, "c", COLOR_INDEX(200), COLOR_INDEX(17), 0, 9);
	render_text(f->r, 3, 0, "d", 0, 0, 0, 9);
	fx_flush(f);
	assert_fg_index(f, 0, 0, 1);
	assert_bg_index(f, 0, 0, 4);
	assert_fg_index(f, 1, 0, 9);
	assert_bg_index(f, 1, 0, 12);
	assert_fg_index(f, 2, 0, 200);
	assert_bg_index(f, 2, 0, 17);
	assert_default_colors(f, 3, 0);
	/* one SGR per pen change, combined */
	assert_true(contains(&f->out, "\033[38;5;200;48;5;17m"));
	fx_free(f);
}

static void
test_rgb_truecolor(void **state)
{
	struct fx *f = fx_new("xterm-256color", "truecolor", 20, 2);
	VTermScreenCell c;

	(void)state;
	render_begin(f->r);
	render_text(f->r, 0, 1, "rgb", COLOR_RGB(10, 20, 30),
		    COLOR_RGB(200, 150, 100), 0, 9);
	fx_flush(f);
	assert_true(contains(&f->out, "38;2;10;20;30"));
	c = cell_at(f, 1, 1);
	assert_true(VTERM_COLOR_IS_RGB(&c.fg));
	assert_int_equal(c.fg.rgb.red, 10);
	assert_int_equal(c.fg.rgb.green, 20);
	assert_int_equal(c.fg.rgb.blue, 30);
	assert_true(VTERM_COLOR_IS_RGB(&c.bg));
	assert_int_equal(c.bg.rgb.red, 200);
	assert_int_equal(c.bg.rgb.green, 150);
	assert_int_equal(c.bg.rgb.blue, 100);
	fx_free(f);
}

static void
test_rgb_mapped_to_256(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 20, 2);

	(void)state;
	render_begin(f->r);
	render_text(f->r, 0, 0, "a", COLOR_RGB(255, 0, 0), 0, 0, 9);
	render_text(f->r, 1, 0, "b", COLOR_RGB(128, 128, 128), 0, 0, 9);
	render_text(f->r, 2, 0, "c", COLOR_RGB(0, 95, 135), 0, 0, 9);
	render_text(f->r, 3, 0, "d", COLOR_RGB(250, 251, 249),
		    COLOR_RGB(1, 2, 3), 0, 9);
	fx_flush(f);
	assert_false(contains(&f->out, "38;2"));
	assert_fg_index(f, 0, 0, 196);
	assert_fg_index(f, 1, 0, 244);
	assert_fg_index(f, 2, 0, 16 + 36 * 0 + 6 * 1 + 2);
	assert_fg_index(f, 3, 0, 231);
	assert_bg_index(f, 3, 0, 16);
	fx_free(f);
}

static void
test_colors_mapped_down_to_8(void **state)
{
	struct fx *f = fx_new("xterm", NULL, 20, 2);

	(void)state;
	assert_int_equal(f->caps->colors, 8);
	render_begin(f->r);
	render_text(f->r, 0, 0, "a", COLOR_INDEX(9), 0, 0, 9);
	render_text(f->r, 1, 0, "b", COLOR_INDEX(196), 0, 0, 9);
	render_text(f->r, 2, 0, "c", COLOR_RGB(0, 0, 250), 0, 0, 9);
	render_text(f->r, 3, 0, "d", COLOR_INDEX(7), 0, 0, 9);
	fx_flush(f);
	assert_fg_index(f, 0, 0, 1);
	assert_fg_index(f, 1, 0, 1);
	assert_fg_index(f, 2, 0, 4);
	assert_fg_index(f, 3, 0, 7);
	fx_free(f);
}

static void
test_generic_sgr_path(void **state)
{
	/* "ansi": sgr0 is ESC[0;10m, so SGRs come from terminfo strings */
	struct fx *f = fx_new("ansi", NULL, 20, 3);
	VTermScreenCell c;

	(void)state;
	assert_false(f->caps->ansi_sgr);
	assert_true(f->caps->ansi_cup);
	render_begin(f->r);
	render_text(f->r, 0, 0, "ab", COLOR_INDEX(2), COLOR_INDEX(5),
		    ATTR_BOLD, 9);
	render_text(f->r, 2, 0, "cd", 0, COLOR_INDEX(5), 0, 9);
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 0, 4), "abcd");
	assert_fg_index(f, 0, 0, 2);
	assert_bg_index(f, 1, 0, 5);
	assert_true(cell_at(f, 1, 0).attrs.bold);
	assert_false(cell_at(f, 2, 0).attrs.bold);
	c = cell_at(f, 2, 0);
	assert_true(VTERM_COLOR_IS_DEFAULT_FG(&c.fg));
	assert_bg_index(f, 3, 0, 5);
	fx_free(f);
}

static void
test_attributes(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 20, 2);
	VTermScreenCell c;

	(void)state;
	render_begin(f->r);
	render_text(f->r, 0, 0, "B", 0, 0, ATTR_BOLD, 9);
	render_text(f->r, 1, 0, "I", 0, 0, ATTR_BOLD | ATTR_ITALIC, 9);
	render_text(f->r, 2, 0, "U", 0, 0, ATTR_UNDERLINE, 9);
	render_text(f->r, 3, 0, "R", 0, 0, ATTR_REVERSE | ATTR_BLINK, 9);
	render_text(f->r, 4, 0, "S", 0, 0, ATTR_STRIKE, 9);
	render_text(f->r, 5, 0, "C", 0, 0, ATTR_CURLY, 9);
	render_text(f->r, 6, 0, "p", 0, 0, 0, 9);
	fx_flush(f);
	c = cell_at(f, 0, 0);
	assert_true(c.attrs.bold);
	assert_false(c.attrs.italic);
	c = cell_at(f, 1, 0);
	assert_true(c.attrs.bold && c.attrs.italic);
	c = cell_at(f, 2, 0);
	assert_false(c.attrs.bold || c.attrs.italic);
	assert_int_equal(c.attrs.underline, VTERM_UNDERLINE_SINGLE);
	c = cell_at(f, 3, 0);
	assert_true(c.attrs.reverse && c.attrs.blink);
	assert_int_equal(c.attrs.underline, 0);
	c = cell_at(f, 4, 0);
	assert_true(c.attrs.strike);
	assert_false(c.attrs.reverse);
	/* no Smulx in this terminfo: curly shows as a plain underline */
	assert_int_equal(cell_at(f, 5, 0).attrs.underline,
			 VTERM_UNDERLINE_SINGLE);
	c = cell_at(f, 6, 0);
	assert_false(c.attrs.bold || c.attrs.italic || c.attrs.underline ||
		     c.attrs.reverse || c.attrs.strike || c.attrs.blink);
	fx_free(f);
}

/* ---- panes ---------------------------------------------------------- */

static void
test_pane_placement_and_clipping(void **state)
{
	static const char *const lines[] = { "0123456789", "abcdefghij",
					     "ABCDEFGHIJ", NULL };
	struct fx *f = fx_new("xterm-256color", NULL, 20, 6);
	struct grid *g = grid_with(10, 3, lines);

	(void)state;
	render_begin(f->r);
	/* rect smaller than the grid: cut at 4x2 */
	render_pane(f->r, g, 1, 1, 4, 2);
	/* rect sticking out of the screen on the right */
	render_pane(f->r, g, 15, 0, 10, 1);
	/* rect starting left of the screen shows the grid's right part */
	render_pane(f->r, g, -7, 4, 10, 1);
	/* rect bigger than the grid: the rest is blank */
	render_fill(f->r, 6, 3, 14, 3,
		    &(struct cell){ 'Z', 0, 0, 0, 1, 0 });
	render_pane(f->r, g, 8, 3, 12, 3);
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 1, 6), " 0123 ");
	assert_string_equal(text_at(f, 0, 2, 6), " abcd ");
	assert_string_equal(text_at(f, 0, 3, 1), " ");
	assert_string_equal(text_at(f, 15, 0, 5), "01234");
	assert_string_equal(text_at(f, 0, 4, 4), "789 ");
	assert_string_equal(text_at(f, 6, 3, 14), "ZZ0123456789  ");
	assert_string_equal(text_at(f, 6, 5, 14), "ZZABCDEFGHIJ  ");
	grid_free(g);
	fx_free(f);
}

static void
test_pane_colors_and_combos(void **state)
{
	struct fx *f = fx_new("xterm-256color", "truecolor", 10, 2);
	struct grid *g = grid_new(5, 1, 0);
	struct cell *c = grid_line(g, 0);
	uint32_t cps[] = { 'a', 0x308 };
	VTermScreenCell v;

	(void)state;
	c[0] = (struct cell){ 'x', COLOR_RGB(1, 2, 3), COLOR_INDEX(3),
			      ATTR_ITALIC, 1, 0 };
	c[1] = (struct cell){ grid_combo_intern(g, cps, 2), 0, 0, 0, 1, 0 };
	render_begin(f->r);
	render_pane(f->r, g, 2, 1, 5, 1);
	fx_flush(f);
	v = cell_at(f, 2, 1);
	assert_int_equal(v.chars[0], 'x');
	assert_true(v.attrs.italic);
	assert_true(VTERM_COLOR_IS_RGB(&v.fg));
	assert_int_equal(v.fg.rgb.blue, 3);
	assert_bg_index(f, 2, 1, 3);
	v = cell_at(f, 3, 1);
	assert_int_equal(v.chars[0], 'a');
	assert_int_equal(v.chars[1], 0x308);
	assert_false(v.attrs.italic);
	/* the same frame again costs nothing, combos included */
	render_begin(f->r);
	render_pane(f->r, g, 2, 1, 5, 1);
	assert_int_equal(fx_flush(f), 0);
	grid_free(g);
	fx_free(f);
}

static void
set_wide(struct cell *c, uint32_t ch)
{
	c[0] = (struct cell){ ch, 0, 0, 0, 2, 0 };
	c[1] = (struct cell){ 0, 0, 0, 0, 0, 0 };
}

static void
test_pane_wide_chars_at_clip_edges(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 12, 3);
	struct grid *g = grid_new(8, 1, 0);
	struct cell *c = grid_line(g, 0);

	(void)state;
	for (int x = 0; x < 8; x++)
		c[x] = (struct cell){ '.', 0, 0, 0, 1, 0 };
	set_wide(c + 0, 0x4e00); /* 一 at 0-1 */
	set_wide(c + 3, 0x4e8c); /* 二 at 3-4 */
	set_wide(c + 6, 0x4e09); /* 三 at 6-7 */
	render_begin(f->r);
	render_pane(f->r, g, 0, 0, 8, 1); /* all of it */
	render_pane(f->r, g, 0, 1, 4, 1); /* cuts 二 on the right */
	render_pane(f->r, g, -1, 2, 8, 1); /* cuts 一 on the left */
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 0, 8), "一.二.三");
	assert_string_equal(text_at(f, 0, 1, 5), "一.  ");
	assert_string_equal(text_at(f, 0, 2, 8), " .二.三 ");
	assert_int_equal(cell_at(f, 3, 1).chars[0], 0);
	assert_int_equal(cell_at(f, 3, 1).width, 1);
	grid_free(g);
	fx_free(f);
}

/* ---- borders -------------------------------------------------------- */

static void
test_lines_and_crossings(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 11, 7);

	(void)state;
	render_begin(f->r);
	/* a full-height separator and a full-width one: ┼ */
	render_vline(f->r, 5, 0, 7, COLOR_INDEX(2));
	render_hline(f->r, 0, 3, 11, COLOR_INDEX(2));
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 3, 11), "─────┼─────");
	assert_string_equal(text_at(f, 0, 0, 11), "     │     ");
	assert_string_equal(text_at(f, 0, 6, 11), "     │     ");
	assert_fg_index(f, 5, 0, 2);
	assert_fg_index(f, 5, 3, 2);
	fx_free(f);
}

static void
test_t_junctions_any_order(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 11, 7);

	(void)state;
	/* hline first, then the vline it ends on: ├ */
	render_begin(f->r);
	render_hline(f->r, 5, 3, 6, 0);
	render_vline(f->r, 5, 0, 7, 0);
	/* vline first, then an hline ending on it from the left: ┤ */
	render_vline(f->r, 2, 0, 7, 0);
	render_hline(f->r, 0, 1, 3, 0);
	/* an hline, then vlines ending on it from below and above: ┬ ┴ */
	render_hline(f->r, 6, 5, 5, 0);
	render_vline(f->r, 8, 5, 2, 0);
	render_vline(f->r, 9, 4, 2, 0);
	fx_flush(f);
	assert_string_equal(text_at(f, 5, 3, 6), "├─────");
	assert_string_equal(text_at(f, 0, 1, 3), "──┤");
	assert_string_equal(text_at(f, 5, 5, 6), "│──┬┴─");
	assert_string_equal(text_at(f, 8, 6, 1), "│");
	assert_string_equal(text_at(f, 9, 4, 1), "│");
	/* free ends stay straight */
	assert_string_equal(text_at(f, 5, 0, 1), "│");
	assert_string_equal(text_at(f, 10, 3, 1), "─");
	fx_free(f);
}

static void
test_corner_from_line_ends(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 6, 4);

	(void)state;
	render_begin(f->r);
	render_vline(f->r, 3, 1, 3, 0);
	render_hline(f->r, 0, 1, 4, 0);
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 1, 4), "───┐");
	assert_string_equal(text_at(f, 3, 3, 1), "│");
	fx_free(f);
}

static void
test_box_with_title(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 20, 6);

	(void)state;
	render_begin(f->r);
	render_vline(f->r, 8, 0, 6, 0);
	render_box(f->r, 1, 1, 14, 4, COLOR_INDEX(6), "title");
	render_fill(f->r, 2, 2, 12, 2, &(struct cell){ 0, 0, 0, 0, 1, 0 });
	render_box(f->r, 16, 0, 4, 3, 0, "too long"); /* no room: no title */
	fx_flush(f);
	assert_string_equal(text_at(f, 1, 1, 14), "┌─ title ────┐");
	assert_string_equal(text_at(f, 1, 2, 14), "│            │");
	assert_string_equal(text_at(f, 1, 4, 14), "└────────────┘");
	/* the float hides the separator: no junction on its edges */
	assert_string_equal(text_at(f, 8, 0, 1), "│");
	assert_string_equal(text_at(f, 8, 5, 1), "│");
	assert_string_equal(text_at(f, 16, 0, 4), "┌──┐");
	assert_fg_index(f, 6, 1, 6);
	fx_free(f);
}

/* ---- diffing -------------------------------------------------------- */

static void
draw_text_screen(struct render *r, int cols, int rows, char mark)
{
	char line[512];

	render_begin(r);
	for (int y = 0; y < rows; y++) {
		for (int x = 0; x < cols; x++)
			line[x] = (char)('!' + (x * 7 + y * 13) % 90);
		line[cols] = '\0';
		render_text(r, 0, y, line, 0, 0, 0, cols);
	}
	if (mark)
		render_text(r, cols / 2, rows / 2, (char[]){ mark, 0 }, 0, 0, 0,
			    1);
}

static void
test_one_cell_change_is_small(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 80, 24);
	size_t full, small;

	(void)state;
	draw_text_screen(f->r, 80, 24, 0);
	render_cursor(f->r, 3, 4, true, 0);
	full = fx_flush(f);
	assert_true(full > 80 * 24);
	draw_text_screen(f->r, 80, 24, '#');
	render_cursor(f->r, 3, 4, true, 0);
	small = fx_flush(f);
	assert_true(small > 0);
	assert_true(small < 40);
	assert_int_equal(cell_at(f, 40, 12).chars[0], '#');
	/* an unchanged frame costs nothing at all */
	draw_text_screen(f->r, 80, 24, '#');
	render_cursor(f->r, 3, 4, true, 0);
	assert_int_equal(fx_flush(f), 0);
	fx_free(f);
}

static void
test_nearby_changes_share_moves(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 40, 4);

	(void)state;
	render_begin(f->r);
	render_text(f->r, 0, 1, "aaaaaaaaaaaaaaaaaaaa", 0, 0, 0, 99);
	fx_flush(f);
	render_begin(f->r);
	render_text(f->r, 0, 1, "aaaaXaaYaaaaaaaaaaaZ", 0, 0, 0, 99);
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 1, 20), "aaaaXaaYaaaaaaaaaaaZ");
	/* XaaY is written through; Z needs a relative move */
	assert_true(contains(&f->out, "XaaY"));
	assert_true(contains(&f->out, "\033[11CZ"));
	fx_free(f);
}

static void
test_cleared_row_uses_el(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 60, 3);

	(void)state;
	draw_text_screen(f->r, 60, 3, 0);
	fx_flush(f);
	draw_text_screen(f->r, 60, 3, 0);
	render_fill(f->r, 10, 1, 50, 1, &(struct cell){ 0, 0, 0, 0, 1, 0 });
	assert_true(fx_flush(f) < 20);
	assert_true(contains(&f->out, "\033[K"));
	assert_string_equal(text_at(f, 10, 1, 50),
			    "                                                  ");
	assert_int_equal(cell_at(f, 9, 1).chars[0] != 0, 1);
	fx_free(f);
}

static void
test_invalidate_redraws_everything(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 30, 5);
	size_t first, again;

	(void)state;
	draw_text_screen(f->r, 30, 5, 0);
	first = fx_flush(f);
	draw_text_screen(f->r, 30, 5, 0);
	assert_int_equal(fx_flush(f), 0);
	render_invalidate(f->r);
	draw_text_screen(f->r, 30, 5, 0);
	/* a fresh emulator with garbage on it must end up identical */
	vterm_free(f->vt);
	vt_open(f);
	vterm_input_write(f->vt, "garbage everywhere", 18);
	again = fx_flush(f);
	assert_true(again > 30 * 5);
	assert_true(first > 30 * 5);
	for (int y = 0; y < 5; y++) {
		char want[64];

		for (int x = 0; x < 30; x++)
			want[x] = (char)('!' + (x * 7 + y * 13) % 90);
		want[30] = '\0';
		assert_string_equal(text_at(f, 0, y, 30), want);
	}
	fx_free(f);
}

static void
test_resize(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 10, 3);

	(void)state;
	render_text(f->r, 0, 0, "small", 0, 0, 0, 99);
	fx_flush(f);
	render_resize(f->r, 25, 6);
	vterm_set_size(f->vt, 6, 25);
	f->cols = 25;
	f->rows = 6;
	render_begin(f->r);
	render_text(f->r, 0, 5, "bottom line", 0, 0, 0, 99);
	render_text(f->r, 20, 0, "right", 0, 0, 0, 99);
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 0, 25), "                    right");
	assert_string_equal(text_at(f, 0, 5, 11), "bottom line");
	fx_free(f);
}

static void
test_bottom_right_does_not_scroll(void **state)
{
	static const char *const terms[] = { "xterm-256color", "ansi" };

	(void)state;
	for (size_t t = 0; t < 2; t++) {
		struct fx *f = fx_new(terms[t], NULL, 8, 3);

		render_begin(f->r);
		render_text(f->r, 0, 0, "top-row!", 0, 0, 0, 99);
		render_text(f->r, 0, 1, "middle!!", 0, 0, 0, 99);
		render_text(f->r, 0, 2, "bottom!X", 0, 0, 0, 99);
		render_cursor(f->r, 1, 1, true, 0);
		fx_flush(f);
		assert_string_equal(text_at(f, 0, 0, 8), "top-row!");
		assert_string_equal(text_at(f, 0, 2, 7), "bottom!");
		/* only with xenl may the last cell be written */
		if (t == 0)
			assert_string_equal(text_at(f, 7, 2, 1), "X");
		assert_int_equal(cursor_pos(f).row, 1);
		assert_int_equal(cursor_pos(f).col, 1);
		fx_free(f);
	}
}

static void
test_plain_cup_path(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 30, 5);

	(void)state;
	/* as for a terminal whose cup is not ESC[r;cH: moves via tiparm */
	f->caps->ansi_cup = false;
	render_begin(f->r);
	render_text(f->r, 4, 1, "one", 0, 0, 0, 99);
	render_text(f->r, 20, 3, "two", 0, 0, 0, 99);
	render_cursor(f->r, 7, 4, true, 0);
	fx_flush(f);
	assert_true(contains(&f->out, "\033[2;5Hone"));
	assert_true(contains(&f->out, "\033[4;21Htwo"));
	assert_string_equal(text_at(f, 0, 1, 8), "    one ");
	assert_string_equal(text_at(f, 18, 3, 6), "  two ");
	assert_int_equal(cursor_pos(f).row, 4);
	assert_int_equal(cursor_pos(f).col, 7);
	fx_free(f);
}

/* Cell i of a frame: a letter with two marks, the second one set by k,
 * so every (i, k) is a distinct cluster. */
static void
draw_clusters(struct render *r, int cols, int rows, int k, int upto)
{
	render_begin(r);
	for (int i = 0; i < cols * rows && i < upto; i++) {
		char s[8], *p = s;

		*p++ = (char)('a' + i % 26);
		put_utf8(&p, 0x300 + (uint32_t)(i / 26) % 112);
		put_utf8(&p, 0x300 + (uint32_t)k);
		*p = '\0';
		render_text(r, i % cols, i / cols, s, 0, 0, 0, 1);
	}
}

static void
test_cluster_table_recycling(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 80, 24);
	const int n = 80 * 24;

	(void)state;
	draw_clusters(f->r, 80, 24, 0, n);
	fx_flush(f);
	draw_clusters(f->r, 80, 24, 1, n);
	fx_flush(f);
	/* the first half reuses frame 0's clusters (and table ids) */
	draw_clusters(f->r, 80, 24, 0, n / 2);
	for (int i = n / 2; i < n; i++) {
		char s[8], *p = s;

		*p++ = 'z';
		put_utf8(&p, 0x300 + (uint32_t)(i % 112));
		put_utf8(&p, 0x340 + (uint32_t)(i / 112));
		*p = '\0';
		render_text(f->r, i % 80, i / 80, s, 0, 0, 0, 1);
	}
	fx_flush(f);
	/* the table is recycled here: ids now mean other clusters */
	draw_clusters(f->r, 80, 24, 5, n);
	fx_flush(f);
	for (int i = 0; i < n; i += 37) {
		VTermScreenCell c = cell_at(f, i % 80, i / 80);

		assert_int_equal(c.chars[0], 'a' + i % 26);
		assert_int_equal(c.chars[2], 0x305);
	}
	fx_free(f);
}

/* ---- cursor and modes ----------------------------------------------- */

static void
test_cursor_position_and_visibility(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 20, 5);

	(void)state;
	render_begin(f->r);
	render_text(f->r, 0, 0, "prompt$", 0, 0, 0, 99);
	render_cursor(f->r, 8, 2, true, 0);
	fx_flush(f);
	assert_int_equal(cursor_pos(f).row, 2);
	assert_int_equal(cursor_pos(f).col, 8);
	assert_int_equal(f->cursor_visible, 1);

	render_begin(f->r);
	render_text(f->r, 0, 0, "prompt$", 0, 0, 0, 99);
	render_cursor(f->r, 8, 2, false, 0);
	fx_flush(f);
	assert_int_equal(f->cursor_visible, 0);

	/* off-screen means hidden; shape change is sent */
	render_begin(f->r);
	render_cursor(f->r, 3, 1, true, 6);
	fx_flush(f);
	assert_int_equal(f->cursor_visible, 1);
	assert_true(contains(&f->out, "\033[6 q"));
	assert_int_equal(cursor_pos(f).row, 1);
	assert_int_equal(cursor_pos(f).col, 3);
	render_begin(f->r);
	render_cursor(f->r, 30, 1, true, 6);
	fx_flush(f);
	assert_int_equal(f->cursor_visible, 0);
	fx_free(f);
}

static void
test_enter_and_leave(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 20, 5);

	(void)state;
	wbuf_reset(&f->out);
	render_enter(f->r, &f->out, true, true);
	assert_true(contains(&f->out, "\033[?1049h"));
	assert_true(contains(&f->out, "\033[?2004h"));
	assert_true(contains(&f->out, "\033[?1004h"));
	assert_true(contains(&f->out, "\033[?1006h"));
	assert_true(contains(&f->out, "\033[>1u"));
	vterm_input_write(f->vt, f->out.data, f->out.len);
	render_begin(f->r);
	render_text(f->r, 0, 0, "inside", 0, 0, 0, 99);
	render_cursor(f->r, 0, 1, true, 2);
	fx_flush(f);
	assert_string_equal(text_at(f, 0, 0, 6), "inside");

	wbuf_reset(&f->out);
	render_leave(f->r, &f->out);
	assert_true(contains(&f->out, "\033[<u"));
	assert_true(contains(&f->out, "\033[?1006l"));
	assert_true(contains(&f->out, "\033[?2004l"));
	assert_true(contains(&f->out, "\033[?1004l"));
	assert_true(contains(&f->out, f->caps->str[TC_SE]));
	assert_true(contains(&f->out, f->caps->str[TC_CNORM]));
	assert_true(contains(&f->out, "\033[?1049l"));
	vterm_input_write(f->vt, f->out.data, f->out.len);
	assert_int_equal(f->cursor_visible, 1);
	assert_string_equal(text_at(f, 0, 0, 6), "      ");

	/* without mouse and kitty keys nothing of theirs is sent */
	wbuf_reset(&f->out);
	render_enter(f->r, &f->out, false, false);
	render_leave(f->r, &f->out);
	assert_false(contains(&f->out, "\033[?1006"));
	assert_false(contains(&f->out, "\033[>1u"));
	assert_false(contains(&f->out, "\033[<u"));
	fx_free(f);
}

static void
test_title_and_bell(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 20, 5);

	(void)state;
	wbuf_reset(&f->out);
	render_title(f->r, &f->out, "hexe: main");
	assert_int_equal(f->out.len, strlen("\033]2;hexe: main\a"));
	assert_memory_equal(f->out.data, "\033]2;hexe: main\a", f->out.len);
	render_title(f->r, &f->out, "hexe: main");
	assert_int_equal(f->out.len, strlen("\033]2;hexe: main\a"));
	wbuf_reset(&f->out);
	render_title(f->r, &f->out, "evil\a\033]2;x");
	assert_memory_equal(f->out.data, "\033]2;evil]2;x\a", f->out.len);
	wbuf_reset(&f->out);
	render_bell(f->r, &f->out);
	assert_int_equal(f->out.len, 1);
	assert_int_equal(f->out.data[0], '\a');
	fx_free(f);
}

/* ---- the figures for the report ------------------------------------- */

static void
test_big_screen_bytes(void **state)
{
	struct fx *f = fx_new("xterm-256color", NULL, 200, 50);
	size_t full, one;

	(void)state;
	draw_text_screen(f->r, 200, 50, 0);
	render_cursor(f->r, 0, 49, true, 0);
	full = fx_flush(f);
	draw_text_screen(f->r, 200, 50, '#');
	render_cursor(f->r, 0, 49, true, 0);
	one = fx_flush(f);
	print_message("200x50 plain text: full redraw %zu bytes, one cell %zu "
		      "bytes\n",
		      full, one);
	assert_true(full < 200 * 50 + 50 * 12 + 64);
	assert_true(one < 40);
	fx_free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps_xterm),
		cmocka_unit_test(test_caps_fallback),
		cmocka_unit_test(test_caps_padding_stripped),
		cmocka_unit_test(test_text_placement),
		cmocka_unit_test(test_text_clipped_by_screen),
		cmocka_unit_test(test_text_wide_and_combining),
		cmocka_unit_test(test_overwrite_half_of_wide),
		cmocka_unit_test(test_indexed_colors),
		cmocka_unit_test(test_rgb_truecolor),
		cmocka_unit_test(test_rgb_mapped_to_256),
		cmocka_unit_test(test_colors_mapped_down_to_8),
		cmocka_unit_test(test_generic_sgr_path),
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_pane_placement_and_clipping),
		cmocka_unit_test(test_pane_colors_and_combos),
		cmocka_unit_test(test_pane_wide_chars_at_clip_edges),
		cmocka_unit_test(test_lines_and_crossings),
		cmocka_unit_test(test_t_junctions_any_order),
		cmocka_unit_test(test_corner_from_line_ends),
		cmocka_unit_test(test_box_with_title),
		cmocka_unit_test(test_one_cell_change_is_small),
		cmocka_unit_test(test_nearby_changes_share_moves),
		cmocka_unit_test(test_cleared_row_uses_el),
		cmocka_unit_test(test_invalidate_redraws_everything),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_bottom_right_does_not_scroll),
		cmocka_unit_test(test_plain_cup_path),
		cmocka_unit_test(test_cluster_table_recycling),
		cmocka_unit_test(test_cursor_position_and_visibility),
		cmocka_unit_test(test_enter_and_leave),
		cmocka_unit_test(test_title_and_bell),
		cmocka_unit_test(test_big_screen_bytes),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
