/*
 * update — the screen-update codec shared by the pod and the mux.
 *
 * Update payload:
 *   u8 version, u8 flags (1 = full), u16 cols, u16 rows,
 *   u16 cursor_x, u16 cursor_y, u8 cursor_visible, u8 cursor_shape,
 *   u32 modes, u32 bells, str title, str cwd,
 *   u16 nrows, then nrows times: u16 y, row.
 * History payload: u32 start, u32 count, then count rows.
 *
 * Row: u8 flags (1 = wrapped), u16 ncells (the rest of the row is default
 * blanks), then runs until ncells cells are covered:
 *   u8 mask (1 attr, 2 fg, 4 bg: which differ from the previous run, the
 *   first run comparing against defaults), u16 cells,
 *   [u16 attr] [colour fg] [colour bg], then tokens for the cells.
 * Colour: u8 kind (0 default, 1 index + u8, 2 rgb + u8 r g b, 3 + u32).
 * Token: a UTF-8 code point >= 0x20 is a plain cell; TOK_EMPTY an empty
 * cell; TOK_RAW + u32 a character that is not a printable code point;
 * TOK_COMBO + u8 n + n UTF-8 code points a cluster; prefixed by TOK_WIDE
 * (width 2 and an implicit second half with the same pen) or TOK_WIDTH +
 * u8 width (0..2) for any other width.
 */
#include "core/update.h"

#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define UPDATE_VERSION 1
#define UPDATE_FULL 1
#define ROW_WRAPPED 1

#define RUN_ATTR 1
#define RUN_FG 2
#define RUN_BG 4

enum token {
	TOK_EMPTY = 0x00,
	TOK_WIDE = 0x02,
	TOK_COMBO = 0x03,
	TOK_WIDTH = 0x04,
	TOK_RAW = 0x05,
};

enum colour_kind {
	COLOUR_DEFAULT,
	COLOUR_INDEX,
	COLOUR_RGB,
	COLOUR_OTHER,
};

/* The limit for rows from a socket; the grid clamps to the same. */
#define MAX_DIM 4096

/* ---- encoding ---- */

static bool
cp_printable(uint32_t cp)
{
	return cp >= 0x20 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
}

static void
put_utf8(struct wbuf *b, uint32_t cp)
{
	char s[4];
	int n;

	if (!cp_printable(cp))
		cp = 0xfffd;
	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | cp >> 12);
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		s[0] = (char)(0xf0 | cp >> 18);
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	wbuf_put(b, s, (size_t)n);
}

static void
put_colour(struct wbuf *b, uint32_t c)
{
	if (c == COLOR_DEFAULT) {
		wbuf_u8(b, COLOUR_DEFAULT);
	} else if (COLOR_TAG(c) == COLOR_TAG_INDEX && (c & 0x00ffff00u) == 0) {
		wbuf_u8(b, COLOUR_INDEX);
		wbuf_u8(b, c & 0xff);
	} else if (COLOR_TAG(c) == COLOR_TAG_RGB) {
		uint8_t rgb[4] = { COLOUR_RGB, (c >> 16) & 0xff, (c >> 8) & 0xff,
				   c & 0xff };

		wbuf_put(b, rgb, 4);
	} else {
		wbuf_u8(b, COLOUR_OTHER);
		wbuf_u32(b, c);
	}
}

static void
put_char(struct wbuf *b, const struct grid *g, uint32_t ch)
{
	const uint32_t *cps;
	uint32_t single;
	int n;

	if (ch == 0) {
		wbuf_u8(b, TOK_EMPTY);
		return;
	}
	if (!(ch & CELL_COMBO) && !cp_printable(ch)) {
		wbuf_u8(b, TOK_RAW);
		wbuf_u32(b, ch);
		return;
	}
	n = grid_cell_codepoints(g, ch, &cps, &single);
	if (n == 1) {
		put_utf8(b, cps[0]);
		return;
	}
	wbuf_u8(b, TOK_COMBO);
	wbuf_u8(b, (uint8_t)n);
	for (int i = 0; i < n; i++)
		put_utf8(b, cps[i]);
}

static bool
same_pen(const struct cell *a, const struct cell *b)
{
	return a->attr == b->attr && a->fg == b->fg && a->bg == b->bg;
}

static bool
is_second_half(const struct cell *wide, const struct cell *c)
{
	return c->ch == 0 && c->width == 0 && same_pen(wide, c);
}

/* Cells [x, end) share a pen; returns where the next run starts. */
static int
put_tokens(struct wbuf *b, const struct grid *g, const struct cell *c, int x,
	   int end)
{
	while (x < end) {
		if (c[x].width == 2 && x + 1 < end &&
		    is_second_half(&c[x], &c[x + 1])) {
			wbuf_u8(b, TOK_WIDE);
			put_char(b, g, c[x].ch);
			x += 2;
			continue;
		}
		if (c[x].width != 1) {
			wbuf_u8(b, TOK_WIDTH);
			wbuf_u8(b, c[x].width);
		}
		put_char(b, g, c[x].ch);
		x++;
	}
	return end;
}

static bool
is_default_blank(const struct cell *c)
{
	return c->ch == 0 && c->width == 1 && c->attr == 0 &&
	       c->fg == COLOR_DEFAULT && c->bg == COLOR_DEFAULT;
}

static void
put_row(struct wbuf *b, const struct grid *g, const struct cell *c, int n,
	bool wrapped)
{
	struct cell prev = cell_blank(COLOR_DEFAULT);
	int x = 0;

	while (n > 0 && is_default_blank(&c[n - 1]))
		n--;
	wbuf_u8(b, wrapped ? ROW_WRAPPED : 0);
	wbuf_u16(b, (uint16_t)n);
	while (x < n) {
		int end = x + 1;
		uint8_t mask = 0;

		while (end < n && same_pen(&c[x], &c[end]) && end - x < 0xffff)
			end++;
		mask |= c[x].attr != prev.attr ? RUN_ATTR : 0;
		mask |= c[x].fg != prev.fg ? RUN_FG : 0;
		mask |= c[x].bg != prev.bg ? RUN_BG : 0;
		wbuf_u8(b, mask);
		wbuf_u16(b, (uint16_t)(end - x));
		if (mask & RUN_ATTR)
			wbuf_u16(b, c[x].attr);
		if (mask & RUN_FG)
			put_colour(b, c[x].fg);
		if (mask & RUN_BG)
			put_colour(b, c[x].bg);
		prev = c[x];
		x = put_tokens(b, g, c, x, end);
	}
}

static void
put_state(struct wbuf *b, const struct grid *g, const struct pane_state *st,
	  bool full)
{
	int cx = st->cursor_x, cy = st->cursor_y;

	wbuf_u8(b, UPDATE_VERSION);
	wbuf_u8(b, full ? UPDATE_FULL : 0);
	wbuf_u16(b, (uint16_t)grid_cols(g));
	wbuf_u16(b, (uint16_t)grid_rows(g));
	wbuf_u16(b, (uint16_t)(cx < 0 ? 0 : cx));
	wbuf_u16(b, (uint16_t)(cy < 0 ? 0 : cy));
	wbuf_u8(b, st->cursor_visible);
	wbuf_u8(b, st->cursor_shape);
	wbuf_u32(b, st->modes);
	wbuf_u32(b, st->bells);
	wbuf_blob(b, st->title, strnlen(st->title, sizeof st->title));
	wbuf_blob(b, st->cwd, strnlen(st->cwd, sizeof st->cwd));
}

void
update_encode(struct grid *g, const struct pane_state *st, bool full,
	      struct wbuf *payload)
{
	int rows = grid_rows(g), n = 0;

	put_state(payload, g, st, full);
	for (int y = 0; y < rows; y++)
		n += full || grid_row_damaged(g, y);
	wbuf_u16(payload, (uint16_t)n);
	for (int y = 0; y < rows; y++) {
		if (!full && !grid_row_damaged(g, y))
			continue;
		wbuf_u16(payload, (uint16_t)y);
		put_row(payload, g, grid_cline(g, y), grid_cols(g),
			grid_wrapped(g, y));
	}
	grid_damage_clear(g);
}

void
update_encode_history(const struct grid *g, int start, int count,
		      struct wbuf *out)
{
	int hlen = grid_history_len(g);

	if (start < 0)
		start = 0;
	if (start > hlen)
		start = hlen;
	if (count < 0 || count > hlen - start)
		count = hlen - start;
	wbuf_u32(out, (uint32_t)start);
	wbuf_u32(out, (uint32_t)count);
	for (int i = start; i < start + count; i++) {
		const struct cell *c;
		int n = grid_history_line(g, i, &c);

		put_row(out, g, c, n, grid_history_wrapped(g, i));
	}
}

/* ---- decoding ---- */

/* Where decoded cells go: nowhere when only checking a payload. */
struct sink {
	struct grid *g; /* for interning clusters */
	struct cell *cells;
	int n;          /* cells written */
	int max;        /* cells the row has room for */
};

static bool
get_utf8(struct rbuf *r, uint32_t *cp)
{
	uint8_t c = rbuf_u8(r);
	int more;
	uint32_t v, min;

	if (c < 0x80) {
		*cp = c;
		return !r->err;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		v = c & 0x1f, more = 1, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		v = c & 0x0f, more = 2, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		v = c & 0x07, more = 3, min = 0x10000;
	} else {
		return false;
	}
	while (more--) {
		c = rbuf_u8(r);
		if ((c & 0xc0) != 0x80)
			return false;
		v = v << 6 | (c & 0x3f);
	}
	*cp = v;
	return !r->err && v >= min && cp_printable(v);
}

static bool
get_colour(struct rbuf *r, uint32_t *c)
{
	const uint8_t *p;

	switch (rbuf_u8(r)) {
	case COLOUR_DEFAULT:
		*c = COLOR_DEFAULT;
		break;
	case COLOUR_INDEX:
		*c = COLOR_INDEX(rbuf_u8(r));
		break;
	case COLOUR_RGB:
		p = (const uint8_t *)rbuf_bytes(r, 3);
		*c = p ? COLOR_RGB(p[0], p[1], p[2]) : 0;
		break;
	case COLOUR_OTHER:
		*c = rbuf_u32(r);
		break;
	default:
		return false;
	}
	return !r->err;
}

static bool
get_combo(struct rbuf *r, struct sink *s, uint32_t *ch)
{
	uint32_t cps[GRID_COMBO_MAX];
	uint8_t n = rbuf_u8(r);

	if (n < 2 || n > GRID_COMBO_MAX)
		return false;
	for (int i = 0; i < n; i++)
		if (!get_utf8(r, &cps[i]))
			return false;
	*ch = s->cells ? grid_combo_intern(s->g, cps, n) : cps[0];
	return true;
}

/* One cell's character, after any width prefix. */
static bool
get_char(struct rbuf *r, struct sink *s, uint32_t *ch)
{
	size_t at = r->pos;
	uint8_t t = rbuf_u8(r);

	if (r->err)
		return false;
	switch (t) {
	case TOK_EMPTY:
		*ch = 0;
		return true;
	case TOK_COMBO:
		return get_combo(r, s, ch);
	case TOK_RAW:
		*ch = rbuf_u32(r);
		return !r->err && !(*ch & CELL_COMBO) && *ch != 0;
	default:
		if (t < 0x20)
			return false;
		r->pos = at;
		return get_utf8(r, ch);
	}
}

static bool
emit(struct sink *s, struct cell c)
{
	if (s->n >= s->max)
		return false;
	if (s->cells)
		s->cells[s->n] = c;
	s->n++;
	return true;
}

/* The tokens of one run of `count` cells with pen `pen`. */
static bool
get_tokens(struct rbuf *r, struct sink *s, const struct cell *pen, int count)
{
	int end = s->n + count;

	if (end > s->max)
		return false;
	while (s->n < end) {
		struct cell c = *pen;
		size_t at = r->pos;
		uint8_t t = rbuf_u8(r);
		bool wide = t == TOK_WIDE;

		if (t == TOK_WIDTH) {
			c.width = rbuf_u8(r);
			if (c.width > 2)
				return false;
		} else if (!wide) {
			r->pos = at;
		}
		if (r->err || !get_char(r, s, &c.ch))
			return false;
		if (wide) {
			c.width = 2;
			if (end - s->n < 2)
				return false;
			emit(s, c);
			c.ch = 0;
			c.width = 0;
		}
		emit(s, c);
	}
	return true;
}

static bool
get_run(struct rbuf *r, struct sink *s, struct cell *pen)
{
	uint8_t mask = rbuf_u8(r);
	int count = rbuf_u16(r);

	if (r->err || count == 0 || (mask & ~(RUN_ATTR | RUN_FG | RUN_BG)))
		return false;
	if (mask & RUN_ATTR)
		pen->attr = rbuf_u16(r);
	if ((mask & RUN_FG) && !get_colour(r, &pen->fg))
		return false;
	if ((mask & RUN_BG) && !get_colour(r, &pen->bg))
		return false;
	return !r->err && get_tokens(r, s, pen, count);
}

/* A row's header and runs; the row has room for s->max cells. */
static bool
get_row(struct rbuf *r, struct sink *s, int *ncells, bool *wrapped)
{
	uint8_t flags = rbuf_u8(r);
	int n = rbuf_u16(r);
	struct cell pen = cell_blank(COLOR_DEFAULT);

	if (r->err || (flags & ~ROW_WRAPPED) || n > s->max)
		return false;
	s->max = n;
	s->n = 0;
	*ncells = n;
	*wrapped = flags & ROW_WRAPPED;
	while (s->n < n)
		if (!get_run(r, s, &pen))
			return false;
	return true;
}

struct update_hdr {
	uint8_t flags;
	int cols, rows, nrows;
	size_t rows_at; /* offset of the first row */
};

static void
copy_str(char *dst, size_t size, const char *p, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(dst, p, n);
	dst[n] = '\0';
	/* a NUL inside would just end the string early; that is fine */
}

static bool
get_state(struct rbuf *r, struct update_hdr *h, struct pane_state *st)
{
	const char *title, *cwd;
	size_t tlen, clen;

	if (rbuf_u8(r) != UPDATE_VERSION)
		return false;
	h->flags = rbuf_u8(r);
	h->cols = rbuf_u16(r);
	h->rows = rbuf_u16(r);
	st->cols = (uint16_t)h->cols;
	st->rows = (uint16_t)h->rows;
	st->cursor_x = rbuf_u16(r);
	st->cursor_y = rbuf_u16(r);
	st->cursor_visible = rbuf_u8(r) != 0;
	st->cursor_shape = rbuf_u8(r);
	st->modes = rbuf_u32(r);
	st->bells = rbuf_u32(r);
	title = rbuf_blob(r, &tlen);
	cwd = rbuf_blob(r, &clen);
	h->nrows = rbuf_u16(r);
	if (r->err || h->cols < 1 || h->rows < 1 || h->cols > MAX_DIM ||
	    h->rows > MAX_DIM || (h->flags & ~UPDATE_FULL))
		return false;
	copy_str(st->title, sizeof st->title, title, tlen);
	copy_str(st->cwd, sizeof st->cwd, cwd, clen);
	if (st->cursor_x >= h->cols)
		st->cursor_x = h->cols - 1;
	if (st->cursor_y >= h->rows)
		st->cursor_y = h->rows - 1;
	h->rows_at = r->pos;
	return true;
}

/* The cell count in the header of the row at r's position, or -1. */
static int
peek_row_cells(const struct rbuf *r)
{
	struct rbuf peek = *r;
	int n;

	rbuf_u8(&peek);
	n = rbuf_u16(&peek);
	return peek.err ? -1 : n;
}

/* Walk the rows; with g NULL only check them. */
static bool
apply_rows(struct rbuf *r, const struct update_hdr *h, struct grid *g)
{
	for (int i = 0; i < h->nrows; i++) {
		struct sink s = { g, NULL, 0, h->cols };
		int y = rbuf_u16(r), n = peek_row_cells(r);
		bool wrapped;

		if (r->err || y >= h->rows || n < 0 || n > h->cols)
			return false;
		if (g) {
			grid_clear_rows(g, y, y + 1, cell_blank(COLOR_DEFAULT));
			s.cells = grid_line_span(g, y, n);
		}
		if (!get_row(r, &s, &n, &wrapped))
			return false;
		if (g) {
			grid_set_wrapped(g, y, wrapped);
			grid_damage_row(g, y);
		}
	}
	return rbuf_left(r) == 0;
}

int
update_apply(struct grid *g, struct pane_state *st, const char *payload,
	     size_t len)
{
	struct pane_state tmp;
	struct update_hdr h;
	struct rbuf r;

	rbuf_init(&r, payload, len);
	if (!get_state(&r, &h, &tmp) || !apply_rows(&r, &h, NULL))
		return -1;
	if (grid_cols(g) != h.cols || grid_rows(g) != h.rows)
		grid_resize(g, h.cols, h.rows, -1);
	rbuf_init(&r, payload, len);
	r.pos = h.rows_at;
	apply_rows(&r, &h, g);
	*st = tmp;
	return 0;
}

int
update_decode_rows(const char *p, size_t len, struct grid *scratch,
		   int (*cb)(void *arg, int index, const struct cell *cells,
			     int ncells, bool wrapped),
		   void *arg)
{
	struct cell *buf = NULL;
	int cap = 0, ret = -1;
	uint32_t start, count, i;
	struct rbuf r;

	rbuf_init(&r, p, len);
	start = rbuf_u32(&r);
	count = rbuf_u32(&r);
	if (r.err || start > INT32_MAX || count > INT32_MAX - start)
		return -1;
	for (i = 0; i < count; i++) {
		struct sink s = { scratch, NULL, 0, 0 };
		bool wrapped;
		int n = peek_row_cells(&r);

		if (n < 0)
			goto out;
		if (n > cap) {
			cap = n;
			buf = xrealloc(buf, (size_t)cap * sizeof *buf);
		}
		s.cells = buf;
		s.max = n;
		if (!get_row(&r, &s, &n, &wrapped))
			goto out;
		if (cb(arg, (int)(start + i), buf, n, wrapped)) {
			ret = (int)i + 1;
			goto out;
		}
	}
	ret = rbuf_left(&r) == 0 ? (int)count : -1;
out:
	free(buf);
	return ret;
}
