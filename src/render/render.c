/*
 * render — frame composition into a back buffer, and the diff against the
 * front buffer emitted as escape sequences.
 *
 * Invariants the drawing functions keep in the back buffer, so that the
 * diff can stay a plain cell-by-cell comparison:
 *  - a width-2 cell is always followed by a width-0 cell, and a width-0
 *    cell always follows a width-2 cell; no wide cell in the last column;
 *  - width-0 cells are all-zero, so equal heads imply equal tails;
 *  - combined clusters refer to this render's own table (ids are stable
 *    until the table is recycled, which marks the front cells stale);
 *  - flags is 0 (the front uses it to mark cells whose content is unknown).
 */
#include "render/render.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/util.h"

#define ARM_U 1u
#define ARM_D 2u
#define ARM_L 4u
#define ARM_R 8u
#define ARM_V (ARM_U | ARM_D)
#define ARM_H (ARM_L | ARM_R)

#define ATTR_MAP_SIZE 2048 /* all cell_attr bits */
#define COMBO_BYTES 32     /* longest cluster, as grid_cell_utf8 */
#define COMBO_RECYCLE 4096 /* clusters kept before the table restarts */
#define FRONT_STALE 1      /* front flag: the terminal may show anything */
#define EL_MIN_CELLS 8     /* erase a blank tail with el from this many */
#define GAP_REWRITE 3      /* rewriting this many cells beats a move */
#define TITLE_MAX 256

struct pen {
	uint32_t fg, bg; /* as the terminal can show them (resolved) */
	uint16_t attr;
};

struct combo_entry {
	uint32_t off, len;
};

/* Clusters as UTF-8, interned so that equal clusters compare equal. */
struct combos {
	char *bytes;
	size_t len, cap;
	struct combo_entry *ent;
	uint32_t n, ent_cap;
	uint32_t *slot; /* open addressing: entry index + 1, 0 is empty */
	uint32_t nslot; /* power of two */
};

struct render {
	struct term_caps *caps;
	int cols, rows;
	struct cell *back, *front;
	uint8_t *arms; /* per back cell: definite arms | tentative arms << 4 */
	struct combos combos;
	uint16_t attr_map[ATTR_MAP_SIZE];

	/* What the terminal is in; -1 / !pen_valid when unknown. */
	struct pen pen;
	bool pen_valid;
	int cx, cy;
	int shown;
	int shape;
	bool full;

	/* The cursor the current frame asks for. */
	int want_x, want_y, want_shape;
	bool want_visible;

	bool mouse, kitty;
	bool title_sent;
	char title[TITLE_MAX];
};

static const struct cell cont_cell = { 0, 0, 0, 0, 0, 0 };

/* ---- UTF-8 ---------------------------------------------------------- */

static inline char *
utf8_enc(char *p, uint32_t cp)
{
	if (cp >= 0xd800 && (cp < 0xe000 || cp > 0x10ffff))
		cp = 0xfffd;
	if (cp < 0x80) {
		*p++ = (char)cp;
	} else if (cp < 0x800) {
		*p++ = (char)(0xc0 | cp >> 6);
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*p++ = (char)(0xe0 | cp >> 12);
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*p++ = (char)(0xf0 | cp >> 18);
		*p++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*p++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*p++ = (char)(0x80 | (cp & 0x3f));
	}
	return p;
}

/* Next code point; malformed input gives U+FFFD and skips one byte. */
static uint32_t
utf8_dec(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint32_t cp, min;
	int n;

	if (p[0] < 0x80) {
		*pp = p + 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0)
		n = 1, cp = p[0] & 0x1f, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 2, cp = p[0] & 0x0f, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 3, cp = p[0] & 0x07, min = 0x10000;
	else
		goto bad;
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
		goto bad;
	*pp = p + n + 1;
	return cp;
bad:
	*pp = p + 1;
	return 0xfffd;
}

/* ---- cluster table -------------------------------------------------- */

static uint32_t
combo_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static void
combos_place(struct combos *t, uint32_t idx)
{
	const struct combo_entry *e = &t->ent[idx];
	uint32_t mask = t->nslot - 1;
	uint32_t i = combo_hash(t->bytes + e->off, e->len) & mask;

	while (t->slot[i])
		i = (i + 1) & mask;
	t->slot[i] = idx + 1;
}

static void
combos_grow(struct combos *t)
{
	t->nslot = t->nslot ? t->nslot * 2 : 64;
	free(t->slot);
	t->slot = xcalloc(t->nslot, sizeof *t->slot);
	for (uint32_t i = 0; i < t->n; i++)
		combos_place(t, i);
}

static uint32_t
combos_add(struct combos *t, const char *s, size_t n)
{
	if (t->n == t->ent_cap) {
		t->ent_cap = t->ent_cap ? t->ent_cap * 2 : 64;
		t->ent = xrealloc(t->ent, t->ent_cap * sizeof *t->ent);
	}
	if (t->len + n > t->cap) {
		while (t->len + n > t->cap)
			t->cap = t->cap ? t->cap * 2 : 1024;
		t->bytes = xrealloc(t->bytes, t->cap);
	}
	memcpy(t->bytes + t->len, s, n);
	t->ent[t->n].off = (uint32_t)t->len;
	t->ent[t->n].len = (uint32_t)n;
	t->len += n;
	return t->n++;
}

static uint32_t
combos_intern(struct combos *t, const char *s, size_t n)
{
	uint32_t mask, i, idx;

	if ((t->n + 1) * 2 > t->nslot)
		combos_grow(t);
	mask = t->nslot - 1;
	for (i = combo_hash(s, n) & mask; t->slot[i]; i = (i + 1) & mask) {
		const struct combo_entry *e = &t->ent[t->slot[i] - 1];

		if (e->len == n && memcmp(t->bytes + e->off, s, n) == 0)
			return t->slot[i] - 1;
	}
	idx = combos_add(t, s, n);
	t->slot[i] = idx + 1;
	return idx;
}

static void
combos_clear(struct combos *t)
{
	t->n = 0;
	t->len = 0;
	if (t->slot)
		memset(t->slot, 0, t->nslot * sizeof *t->slot);
}

static void
combos_free(struct combos *t)
{
	free(t->bytes);
	free(t->ent);
	free(t->slot);
}

/* ---- colours and attributes ----------------------------------------- */

/* xterm's defaults for the 16 system colours. */
static const uint8_t ansi16[16][3] = {
	{ 0, 0, 0 },	   { 205, 0, 0 },     { 0, 205, 0 },
	{ 205, 205, 0 },   { 0, 0, 238 },     { 205, 0, 205 },
	{ 0, 205, 205 },   { 229, 229, 229 }, { 127, 127, 127 },
	{ 255, 0, 0 },	   { 0, 255, 0 },     { 255, 255, 0 },
	{ 92, 92, 255 },   { 255, 0, 255 },   { 0, 255, 255 },
	{ 255, 255, 255 },
};

static const uint8_t cube_val[6] = { 0, 95, 135, 175, 215, 255 };

static void
palette_rgb(int i, int rgb[3])
{
	if (i < 16) {
		for (int k = 0; k < 3; k++)
			rgb[k] = ansi16[i][k];
	} else if (i < 232) {
		i -= 16;
		rgb[0] = cube_val[i / 36];
		rgb[1] = cube_val[(i / 6) % 6];
		rgb[2] = cube_val[i % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (i - 232);
	}
}

static int
dist2(const int a[3], int r, int g, int b)
{
	int dr = a[0] - r, dg = a[1] - g, db = a[2] - b;

	return dr * dr + dg * dg + db * db;
}

static int
cube_level(int v)
{
	return v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40;
}

/* The system colours 0-15 are left out: users redefine them. */
static int
nearest256(const int rgb[3])
{
	int ri = cube_level(rgb[0]), gi = cube_level(rgb[1]);
	int bi = cube_level(rgb[2]);
	int avg = (rgb[0] + rgb[1] + rgb[2]) / 3;
	int grey = avg < 8 ? 0 : avg > 238 ? 23 : (avg - 3) / 10;
	int gv = 8 + 10 * grey;

	if (dist2(rgb, gv, gv, gv) <
	    dist2(rgb, cube_val[ri], cube_val[gi], cube_val[bi]))
		return 232 + grey;
	return 16 + 36 * ri + 6 * gi + bi;
}

static int
nearest_system(const int rgb[3], int n)
{
	int best = 0, bestd = 1 << 30;

	for (int i = 0; i < n; i++) {
		int p[3] = { ansi16[i][0], ansi16[i][1], ansi16[i][2] };
		int d = dist2(rgb, p[0], p[1], p[2]);

		if (d < bestd)
			best = i, bestd = d;
	}
	return best;
}

static uint32_t
resolve_slow(const struct term_caps *c, uint32_t col)
{
	int rgb[3], i = (int)(col & 0xff);

	if (COLOR_TAG(col) == COLOR_TAG_INDEX) {
		if (c->colors == 8 && i < 16)
			return COLOR_INDEX(i - 8);
		palette_rgb(i, rgb);
	} else if (COLOR_TAG(col) == COLOR_TAG_RGB) {
		rgb[0] = (int)(col >> 16 & 0xff);
		rgb[1] = (int)(col >> 8 & 0xff);
		rgb[2] = (int)(col & 0xff);
	} else {
		return COLOR_DEFAULT;
	}
	if (c->colors >= 256)
		return COLOR_INDEX(nearest256(rgb));
	if (c->colors >= 8)
		return COLOR_INDEX(nearest_system(rgb, c->colors));
	if (c->truecolor)
		return COLOR_RGB(rgb[0], rgb[1], rgb[2]);
	return COLOR_DEFAULT;
}

/* The colour as this terminal will show it. */
static inline uint32_t
resolve(const struct term_caps *c, uint32_t col)
{
	uint32_t tag = COLOR_TAG(col);

	if (tag == COLOR_TAG_INDEX && (int)(col & 0xff) < c->colors)
		return col;
	if (tag == COLOR_TAG_RGB && c->truecolor)
		return col;
	if (tag != COLOR_TAG_INDEX && tag != COLOR_TAG_RGB)
		return COLOR_DEFAULT;
	return resolve_slow(c, col);
}

/* Attributes as this terminal can show them: unsupported ones dropped,
 * underline styles folded to plain underline unless Smulx exists (and
 * only one style kept). */
static uint16_t
map_attr(const struct term_caps *c, uint16_t a)
{
	const uint16_t ul = ATTR_UNDERLINE | ATTR_DUNDERLINE | ATTR_CURLY;
	bool styles = c->ansi_sgr && *c->str[TC_SMULX];

	a &= c->attrs;
	if (!(a & ul))
		return a;
	if (!styles)
		return (uint16_t)((a & ~ul) | ATTR_UNDERLINE);
	if (a & ATTR_CURLY)
		return (uint16_t)((a & ~ul) | ATTR_CURLY);
	if (a & ATTR_DUNDERLINE)
		return (uint16_t)((a & ~ul) | ATTR_DUNDERLINE);
	return a;
}

/* ---- output primitives ---------------------------------------------- */

static inline char *
room(struct wbuf *b, size_t n)
{
	if (b->cap - b->len < n)
		wbuf_reserve(b, n);
	return b->data + b->len;
}

static inline void
commit(struct wbuf *b, const char *end)
{
	b->len = (size_t)(end - b->data);
}

static void
put_str(struct wbuf *b, const char *s)
{
	wbuf_put(b, s, strlen(s));
}

static char *
put_uint(char *p, unsigned v)
{
	char tmp[10];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* ---- cursor movement ------------------------------------------------ */

static void
cup_ansi(struct render *r, struct wbuf *b, int x, int y)
{
	char *p = room(b, 32);

	if (r->cx >= 0 && r->cy + 1 == y && x == 0) {
		/* y is at most the last row, so the newline cannot scroll */
		*p++ = '\r';
		*p++ = '\n';
		commit(b, p);
		return;
	}
	*p++ = '\033';
	*p++ = '[';
	if (r->cy == y && r->cx >= 0 && x > r->cx) {
		if (x - r->cx > 1)
			p = put_uint(p, (unsigned)(x - r->cx));
		*p++ = 'C';
	} else {
		if (y > 0 || x > 0)
			p = put_uint(p, (unsigned)y + 1);
		if (x > 0) {
			*p++ = ';';
			p = put_uint(p, (unsigned)x + 1);
		}
		*p++ = 'H';
	}
	commit(b, p);
}

static void
move_to(struct render *r, struct wbuf *b, int x, int y)
{
	if (r->cx == x && r->cy == y)
		return;
	if (r->caps->ansi_cup)
		cup_ansi(r, b, x, y);
	else
		put_str(b, term_caps_param(r->caps, TC_CUP, y, x));
	r->cx = x;
	r->cy = y;
}

/* ---- pen ------------------------------------------------------------ */

static inline bool
cell_is_space(const struct cell *c)
{
	return c->ch == 0 || c->ch == ' ';
}

static inline struct pen
pen_for(const struct render *r, const struct cell *c)
{
	struct pen p;

	p.attr = r->attr_map[c->attr & (ATTR_MAP_SIZE - 1)];
	p.fg = resolve(r->caps, c->fg);
	p.bg = resolve(r->caps, c->bg);
	/* A plain space shows no foreground: keep the current one. */
	if (r->pen_valid && p.attr == 0 && r->pen.attr == 0 && cell_is_space(c))
		p.fg = r->pen.fg;
	return p;
}

static inline bool
pen_eq(const struct pen *a, const struct pen *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attr == b->attr;
}

/* One SGR parameter list entry for a colour, ';'-terminated. */
static char *
sgr_color(char *p, uint32_t col, bool bg)
{
	uint32_t i = col & 0xff;

	if (col == COLOR_DEFAULT) {
		*p++ = bg ? '4' : '3';
		*p++ = '9';
	} else if (COLOR_TAG(col) == COLOR_TAG_RGB) {
		*p++ = bg ? '4' : '3';
		memcpy(p, "8;2;", 4);
		p = put_uint(p + 4, col >> 16 & 0xff);
		*p++ = ';';
		p = put_uint(p, col >> 8 & 0xff);
		*p++ = ';';
		p = put_uint(p, col & 0xff);
	} else if (i < 8) {
		*p++ = bg ? '4' : '3';
		*p++ = (char)('0' + i);
	} else if (i < 16) {
		p = put_uint(p, (bg ? 100 : 90) + i - 8);
	} else {
		*p++ = bg ? '4' : '3';
		memcpy(p, "8;5;", 4);
		p = put_uint(p + 4, i);
	}
	*p++ = ';';
	return p;
}

static const struct {
	uint16_t attr;
	const char *sgr;
} attr_sgr[] = {
	{ ATTR_BOLD, "1;" },
	{ ATTR_DIM, "2;" },
	{ ATTR_ITALIC, "3;" },
	{ ATTR_UNDERLINE, "4;" },
	{ ATTR_DUNDERLINE, "4:2;" },
	{ ATTR_CURLY, "4:3;" },
	{ ATTR_BLINK, "5;" },
	{ ATTR_REVERSE, "7;" },
	{ ATTR_CONCEAL, "8;" },
	{ ATTR_STRIKE, "9;" },
	{ ATTR_OVERLINE, "53;" },
};

/* One combined CSI ... m; a removed attribute means starting from 0. */
static void
sgr_ansi(struct render *r, struct wbuf *b, const struct pen *want)
{
	bool reset = !r->pen_valid || (r->pen.attr & ~want->attr);
	struct pen cur = reset ? (struct pen){ 0, 0, 0 } : r->pen;
	uint16_t add = want->attr & ~cur.attr;
	char *p = room(b, 128);

	*p++ = '\033';
	*p++ = '[';
	if (reset)
		*p++ = '0', *p++ = ';';
	for (size_t i = 0; add && i < ARRAY_SIZE(attr_sgr); i++) {
		if (add & attr_sgr[i].attr) {
			size_t n = strlen(attr_sgr[i].sgr);

			memcpy(p, attr_sgr[i].sgr, n);
			p += n;
		}
	}
	if (want->fg != cur.fg)
		p = sgr_color(p, want->fg, false);
	if (want->bg != cur.bg)
		p = sgr_color(p, want->bg, true);
	p[-1] = 'm'; /* the last ';' */
	commit(b, p);
}

static const struct {
	uint16_t attr;
	enum term_cap cap;
} attr_cap[] = {
	{ ATTR_BOLD, TC_BOLD },	    { ATTR_DIM, TC_DIM },
	{ ATTR_ITALIC, TC_SITM },   { ATTR_UNDERLINE, TC_SMUL },
	{ ATTR_BLINK, TC_BLINK },   { ATTR_REVERSE, TC_REV },
	{ ATTR_CONCEAL, TC_INVIS }, { ATTR_STRIKE, TC_SMXX },
	{ ATTR_OVERLINE, TC_SMOL },
};

static void
color_generic(struct render *r, struct wbuf *b, uint32_t col, bool bg)
{
	const struct term_caps *c = r->caps;
	int i = (int)(col & 0xff);

	if (COLOR_TAG(col) == COLOR_TAG_INDEX && i < c->ncolor_str) {
		put_str(b, bg ? c->bg_str[i] : c->fg_str[i]);
	} else if (COLOR_TAG(col) == COLOR_TAG_RGB) {
		char *p = room(b, 24);

		*p++ = '\033';
		*p++ = '[';
		p = sgr_color(p, col, bg);
		p[-1] = 'm';
		commit(b, p);
	}
}

/* Terminals with their own SGR strings: sgr0, one string per attribute,
 * and the colour strings expanded at start-up. setaf cannot select the
 * default colour, so going back to it also needs sgr0. */
static void
sgr_generic(struct render *r, struct wbuf *b, const struct pen *want)
{
	const struct term_caps *c = r->caps;
	bool to_default =
		(want->fg == COLOR_DEFAULT && r->pen.fg != COLOR_DEFAULT) ||
		(want->bg == COLOR_DEFAULT && r->pen.bg != COLOR_DEFAULT);
	bool reset = !r->pen_valid || (r->pen.attr & ~want->attr) ||
		     to_default;
	struct pen cur = reset ? (struct pen){ 0, 0, 0 } : r->pen;
	uint16_t add = want->attr & ~cur.attr;

	if (reset)
		put_str(b, c->str[TC_SGR0]);
	for (size_t i = 0; add && i < ARRAY_SIZE(attr_cap); i++)
		if (add & attr_cap[i].attr)
			put_str(b, c->str[attr_cap[i].cap]);
	if (want->fg != cur.fg)
		color_generic(r, b, want->fg, false);
	if (want->bg != cur.bg)
		color_generic(r, b, want->bg, true);
}

static void
set_pen(struct render *r, struct wbuf *b, const struct pen *want)
{
	if (r->pen_valid && pen_eq(want, &r->pen))
		return;
	if (r->caps->ansi_sgr)
		sgr_ansi(r, b, want);
	else
		sgr_generic(r, b, want);
	r->pen = *want;
	r->pen_valid = true;
}

/* ---- emitting cells ------------------------------------------------- */

static void
put_glyph(struct render *r, struct wbuf *b, const struct cell *c)
{
	uint32_t ch = c->ch;

	if (ch & CELL_COMBO) {
		uint32_t i = ch & ~CELL_COMBO;

		if (i < r->combos.n) {
			const struct combo_entry *e = &r->combos.ent[i];

			wbuf_put(b, r->combos.bytes + e->off, e->len);
			return;
		}
		ch = 0xfffd;
	}
	/* Never let a control character reach the terminal. */
	if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
		ch = ' ';
	commit(b, utf8_enc(room(b, 4), ch));
}

/* Wide characters whose width terminals often disagree on: do not trust
 * the cursor position after them. */
static inline bool
width_doubtful(const struct cell *c)
{
	return (c->ch & CELL_COMBO) || c->ch >= 0x1f000;
}

/* Cells between the cursor and x that can simply be written again,
 * which is shorter than a cursor move for a short gap. */
static bool
gap_rewritable(const struct render *r, const struct cell *row, int x)
{
	if (!r->pen_valid || x - r->cx > GAP_REWRITE)
		return false;
	for (int i = r->cx; i < x; i++) {
		const struct cell *c = &row[i];
		struct pen p;

		if (c->width != 1 || c->ch >= 0x7f ||
		    (c->ch != 0 && c->ch < 0x20))
			return false;
		p = pen_for(r, c);
		if (!pen_eq(&p, &r->pen))
			return false;
	}
	return true;
}

static void
goto_cell(struct render *r, struct wbuf *b, const struct cell *row, int x,
	  int y)
{
	if (r->cy == y && r->cx >= 0 && x > r->cx &&
	    gap_rewritable(r, row, x)) {
		char *p = room(b, GAP_REWRITE);

		for (int i = r->cx; i < x; i++)
			*p++ = row[i].ch ? (char)row[i].ch : ' ';
		commit(b, p);
		r->cx = x;
		return;
	}
	move_to(r, b, x, y);
}

static void
hide_cursor(struct render *r, struct wbuf *b)
{
	if (r->shown != 0) {
		put_str(b, r->caps->str[TC_CIVIS]);
		r->shown = 0;
	}
}

/* Draw the cell at x of row y; returns the next column to look at. */
static int
draw_cell(struct render *r, struct wbuf *b, int x, int y)
{
	size_t off = (size_t)y * (size_t)r->cols;
	const struct cell *row = r->back + off, *c = row + x;
	struct cell *fr = r->front + off;
	int w = c->width == 2 ? 2 : 1;
	bool corner = y == r->rows - 1 && x + w == r->cols;
	bool noam = corner && r->caps->am && !r->caps->xenl;
	struct pen p;

	if (c->width == 0) { /* a tail whose head did not change */
		fr[x] = *c;
		return x + 1;
	}
	/* Without xenl the bottom-right cell scrolls the screen unless
	 * autowrap is off; if it cannot be turned off, leave the cell (and
	 * count it as drawn, so later frames do not try again). */
	if (noam && !*r->caps->str[TC_RMAM]) {
		fr[x] = *c;
		if (w == 2)
			fr[x + 1] = row[x + 1];
		return x + w;
	}
	goto_cell(r, b, row, x, y);
	p = pen_for(r, c);
	set_pen(r, b, &p);
	if (noam)
		put_str(b, r->caps->str[TC_RMAM]);
	put_glyph(r, b, c);
	if (noam)
		put_str(b, r->caps->str[TC_SMAM]);
	fr[x] = *c;
	if (w == 2)
		fr[x + 1] = row[x + 1];
	/* At the right margin the terminal may hold a pending wrap. */
	r->cx = x + w >= r->cols || (w == 2 && width_doubtful(c)) ? -1 : x + w;
	return x + w;
}

static bool
plain_blank(const struct cell *c)
{
	return cell_is_space(c) && c->width == 1 && c->attr == 0;
}

/* Where the row's trailing run of blanks starts, if erasing it with el is
 * worth it (enough of it changed and el gives the right background);
 * cols otherwise. */
static int
erase_from(const struct render *r, const struct cell *bk,
	   const struct cell *fr)
{
	const struct term_caps *c = r->caps;
	int t = r->cols, changed = 0;
	uint32_t bg = bk[t - 1].bg;

	if (!*c->str[TC_EL] || (resolve(c, bg) != COLOR_DEFAULT && !c->bce))
		return r->cols;
	while (t > 0 && plain_blank(&bk[t - 1]) && bk[t - 1].bg == bg) {
		t--;
		changed += memcmp(&bk[t], &fr[t], sizeof *bk) != 0;
	}
	return changed >= EL_MIN_CELLS ? t : r->cols;
}

static void
erase_tail(struct render *r, struct wbuf *b, int x, int y)
{
	size_t off = (size_t)y * (size_t)r->cols;
	const struct cell *bk = r->back + off;
	struct pen p;

	move_to(r, b, x, y);
	p = pen_for(r, &bk[x]);
	set_pen(r, b, &p);
	put_str(b, r->caps->str[TC_EL]);
	memcpy(r->front + off + x, bk + x, (size_t)(r->cols - x) * sizeof *bk);
}

static void
flush_row(struct render *r, struct wbuf *b, int y)
{
	size_t off = (size_t)y * (size_t)r->cols;
	const struct cell *bk = r->back + off;
	struct cell *fr = r->front + off;
	int end, x = 0;

	if (memcmp(bk, fr, (size_t)r->cols * sizeof *bk) == 0)
		return;
	hide_cursor(r, b);
	end = erase_from(r, bk, fr);
	while (x < end) {
		if (memcmp(&bk[x], &fr[x], sizeof *bk) == 0)
			x++;
		else
			x = draw_cell(r, b, x, y);
	}
	if (end < r->cols)
		erase_tail(r, b, end, y);
}

/* Clear the terminal; the front then holds blanks. Without a clear
 * capability, every front cell is marked unknown instead. */
static void
clear_all(struct render *r, struct wbuf *b)
{
	size_t n = (size_t)r->cols * (size_t)r->rows;
	const char *clear = r->caps->str[TC_CLEAR];
	struct cell blank = cell_blank(COLOR_DEFAULT);

	hide_cursor(r, b);
	put_str(b, r->caps->str[TC_SGR0]);
	r->pen = (struct pen){ 0, 0, 0 };
	r->pen_valid = true;
	if (*clear)
		put_str(b, clear);
	else
		blank.flags = FRONT_STALE;
	for (size_t i = 0; i < n; i++)
		r->front[i] = blank;
	/* clear homes the cursor */
	r->cx = *clear ? 0 : -1;
	r->cy = *clear ? 0 : -1;
	r->full = false;
}

static void
put_shape(struct render *r, struct wbuf *b, int shape)
{
	if (shape == 0)
		put_str(b, r->caps->str[TC_SE]);
	else
		put_str(b, term_caps_param(r->caps, TC_SS, shape, 0));
	r->shape = shape;
}

static void
place_cursor(struct render *r, struct wbuf *b)
{
	bool vis = r->want_visible && r->want_x >= 0 && r->want_y >= 0 &&
		   r->want_x < r->cols && r->want_y < r->rows;

	if (!vis) {
		hide_cursor(r, b);
		return;
	}
	move_to(r, b, r->want_x, r->want_y);
	if (r->shown != 1) {
		put_str(b, r->caps->str[TC_CNORM]);
		r->shown = 1;
		/* cnorm may reset blinking, which is part of the shape. */
		if (r->shape > 0)
			r->shape = -1;
	}
	if (r->shape != r->want_shape)
		put_shape(r, b, r->want_shape);
}

void
render_flush(struct render *r, struct wbuf *out)
{
	if (r->full)
		clear_all(r, out);
	for (int y = 0; y < r->rows; y++)
		flush_row(r, out, y);
	place_cursor(r, out);
}

/* ---- back buffer ---------------------------------------------------- */

static inline struct cell *
back_row(struct render *r, int y)
{
	return r->back + (size_t)y * (size_t)r->cols;
}

static inline struct cell
blank_like(const struct cell *c)
{
	struct cell b = { 0, c->fg, c->bg, c->attr, 1, 0 };

	return b;
}

/* Before overwriting from column x on: a wide character straddling the
 * x-1|x boundary loses its other half, which becomes a blank. */
static void
split_at(struct render *r, int y, int x)
{
	struct cell *row = back_row(r, y);

	if (x <= 0 || x >= r->cols || row[x].width != 0)
		return;
	row[x - 1] = blank_like(&row[x - 1]);
	row[x] = row[x - 1];
	r->arms[(size_t)y * (size_t)r->cols + (size_t)x - 1] = 0;
}

/* Prepare [x0, x1) of row y for overwriting. */
static void
open_span(struct render *r, int y, int x0, int x1)
{
	split_at(r, y, x0);
	split_at(r, y, x1);
	memset(r->arms + (size_t)y * (size_t)r->cols + (size_t)x0, 0,
	       (size_t)(x1 - x0));
}

/* One cell (two for a wide one) at (x,y); false if off the screen. */
static bool
put_cell(struct render *r, int x, int y, struct cell c)
{
	int w = c.width == 2 ? 2 : 1;
	struct cell *row;

	if (y < 0 || y >= r->rows || x < 0 || x >= r->cols)
		return false;
	if (x + w > r->cols) {
		c = blank_like(&c);
		w = 1;
	}
	c.width = (uint8_t)w;
	c.flags = 0;
	open_span(r, y, x, x + w);
	row = back_row(r, y);
	row[x] = c;
	if (w == 2)
		row[x + 1] = cont_cell;
	return true;
}

void
render_begin(struct render *r)
{
	size_t n = (size_t)r->cols * (size_t)r->rows;
	struct cell blank = cell_blank(COLOR_DEFAULT);

	if (r->combos.n >= COMBO_RECYCLE) {
		/* Ids are about to be reused: the front's mean nothing now. */
		combos_clear(&r->combos);
		for (size_t i = 0; i < n; i++)
			if (r->front[i].ch & CELL_COMBO)
				r->front[i].flags = FRONT_STALE;
	}
	/* one row by hand, the rest by memcpy: this runs every frame */
	for (int x = 0; x < r->cols; x++)
		r->back[x] = blank;
	for (int y = 1; y < r->rows; y++)
		memcpy(back_row(r, y), r->back,
		       (size_t)r->cols * sizeof *r->back);
	memset(r->arms, 0, n);
	r->want_visible = false;
}

/* Clip [*a, *a + *len) to [0, lim); returns the amount cut at the start. */
static int
clip(int *a, int *len, int lim)
{
	int cut = 0;

	if (*a < 0) {
		cut = -*a;
		*len += *a;
		*a = 0;
	}
	if (*a + *len > lim)
		*len = lim - *a;
	if (*len < 0)
		*len = 0;
	return cut;
}

static uint32_t
intern_grid_combo(struct render *r, const struct grid *g,
		  const struct cell *c)
{
	char buf[COMBO_BYTES + 8];
	int n = grid_cell_utf8(g, c, buf);

	return CELL_COMBO | combos_intern(&r->combos, buf, (size_t)n);
}

/* What a plain copy from a grid does not get right. */
static inline bool
needs_fixing(const struct cell *c)
{
	return (c->ch & CELL_COMBO) | (c->width != 1) | (c->flags != 0);
}

/* Bring copied cell i of n back to the invariants: a wide character
 * without its tail (cut by an edge) and a tail without its head become
 * blanks; clusters move to our table. Returns the last index handled. */
static int
fix_cell(struct render *r, const struct grid *g, struct cell *dst, int i,
	 int n)
{
	struct cell *c = &dst[i];
	int last = i;

	c->flags = 0;
	if (c->width == 2 && i + 1 < n && dst[i + 1].width == 0) {
		dst[i + 1] = cont_cell;
		last = i + 1;
	} else if (c->width == 0 || c->width == 2) {
		*c = blank_like(c);
	} else {
		c->width = 1;
	}
	if (c->ch & CELL_COMBO)
		c->ch = intern_grid_combo(r, g, c);
	return last;
}

/* n cells of one grid row into dst: copied wholesale, then the few
 * special cells fixed. */
static void
copy_cells(struct render *r, const struct grid *g, struct cell *dst,
	   const struct cell *src, int n)
{
	memcpy(dst, src, (size_t)n * sizeof *dst);
	for (int i = 0; i < n; i++)
		if (needs_fixing(&dst[i]))
			i = fix_cell(r, g, dst, i, n);
}

void
render_pane(struct render *r, const struct grid *g, int x, int y, int w,
	    int h)
{
	int gx = clip(&x, &w, r->cols), gy = clip(&y, &h, r->rows);
	int gw = grid_cols(g) - gx, gh = grid_rows(g) - gy;
	struct cell blank = cell_blank(COLOR_DEFAULT);

	if (w <= 0 || h <= 0)
		return;
	gw = gw < 0 ? 0 : gw > w ? w : gw;
	for (int i = 0; i < h; i++) {
		struct cell *dst = back_row(r, y + i) + x;
		int n = i < gh ? gw : 0;

		open_span(r, y + i, x, x + w);
		if (n > 0)
			copy_cells(r, g, dst, grid_cline(g, gy + i) + gx, n);
		for (int k = n; k < w; k++)
			dst[k] = blank;
	}
}

static void
fill_wide(struct render *r, int x, int y, int w, int h, struct cell f)
{
	for (int j = y; j < y + h; j++)
		for (int i = 0; i < w; i += 2)
			put_cell(r, x + i, j, i + 1 < w ? f : blank_like(&f));
}

void
render_fill(struct render *r, int x, int y, int w, int h,
	    const struct cell *c)
{
	struct cell f = *c;

	clip(&x, &w, r->cols);
	clip(&y, &h, r->rows);
	if (w <= 0 || h <= 0)
		return;
	if (f.ch & CELL_COMBO) /* a grid's id means nothing here */
		f.ch = 0xfffd;
	f.flags = 0;
	if (f.width == 2) {
		fill_wide(r, x, y, w, h, f);
		return;
	}
	f.width = 1;
	for (int j = y; j < y + h; j++) {
		struct cell *row = back_row(r, j);

		open_span(r, j, x, x + w);
		for (int i = x; i < x + w; i++)
			row[i] = f;
	}
}

/* ---- text ----------------------------------------------------------- */

/* A character being placed by render_text with the marks that follow it;
 * interned once complete, so partial clusters never enter the table. */
struct cluster {
	int x; /* screen column, -1 if the base was not placed */
	size_t len;
	bool marks;
	char buf[COMBO_BYTES];
};

static void
cluster_start(struct cluster *k, int x, uint32_t base)
{
	k->x = x;
	k->len = (size_t)(utf8_enc(k->buf, base) - k->buf);
	k->marks = false;
}

static void
cluster_mark(struct cluster *k, uint32_t mark)
{
	if (k->x < 0 || k->len + 4 > COMBO_BYTES)
		return;
	k->len = (size_t)(utf8_enc(k->buf + k->len, mark) - k->buf);
	k->marks = true;
}

static void
cluster_end(struct render *r, struct cluster *k, int y)
{
	if (k->x >= 0 && k->marks)
		back_row(r, y)[k->x].ch =
			CELL_COMBO | combos_intern(&r->combos, k->buf, k->len);
	k->x = -1;
}

static int
char_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	/* Unknown to the locale: assume one column rather than drop it. */
	return w < 0 ? 1 : w > 2 ? 2 : w;
}

int
render_text(struct render *r, int x, int y, const char *utf8, uint32_t fg,
	    uint32_t bg, uint16_t attr, int maxw)
{
	const unsigned char *p = (const unsigned char *)utf8;
	struct cluster k = { .x = -1 };
	int used = 0;

	while (p && *p) {
		struct cell c = { utf8_dec(&p), fg, bg, attr, 1, 0 };

		if (c.ch < 0x20 || (c.ch >= 0x7f && c.ch < 0xa0))
			continue;
		c.width = (uint8_t)char_width(c.ch);
		if (c.width == 0) {
			cluster_mark(&k, c.ch);
			continue;
		}
		cluster_end(r, &k, y);
		if (used + c.width > maxw)
			break;
		if (put_cell(r, x + used, y, c) &&
		    back_row(r, y)[x + used].width == c.width)
			cluster_start(&k, x + used, c.ch);
		used += c.width;
	}
	cluster_end(r, &k, y);
	return used;
}

/* ---- lines and boxes ------------------------------------------------ */

static const uint32_t arm_glyph[16] = {
	[0] = ' ',
	[ARM_U] = 0x2502,
	[ARM_D] = 0x2502,
	[ARM_V] = 0x2502,
	[ARM_L] = 0x2500,
	[ARM_R] = 0x2500,
	[ARM_H] = 0x2500,
	[ARM_U | ARM_L] = 0x2518,
	[ARM_D | ARM_L] = 0x2510,
	[ARM_V | ARM_L] = 0x2524,
	[ARM_U | ARM_R] = 0x2514,
	[ARM_D | ARM_R] = 0x250c,
	[ARM_V | ARM_R] = 0x251c,
	[ARM_H | ARM_U] = 0x2534,
	[ARM_H | ARM_D] = 0x252c,
	[ARM_H | ARM_V] = 0x253c,
};

/* A line's end has a definite inward arm and a tentative outward one,
 * shown only if nothing crosses there: so a line ending on another
 * makes a T whichever is drawn first, and a free end stays straight. */
static uint32_t
junction(uint8_t arms)
{
	unsigned def = arms & 15u, tent = arms >> 4;

	if (def == 0)
		def = tent;
	else if (!(def & ARM_H))
		def |= tent & ARM_V;
	else if (!(def & ARM_V))
		def |= tent & ARM_H;
	return arm_glyph[def];
}

static void
put_arms(struct render *r, int x, int y, unsigned def, unsigned tent,
	 uint32_t fg)
{
	struct cell c = { 0, fg, COLOR_DEFAULT, 0, 1, 0 };
	size_t i;
	uint8_t arms;

	if (x < 0 || y < 0 || x >= r->cols || y >= r->rows)
		return;
	i = (size_t)y * (size_t)r->cols + (size_t)x;
	arms = (uint8_t)(r->arms[i] | def | tent << 4);
	c.ch = junction(arms);
	put_cell(r, x, y, c);
	r->arms[i] = arms;
}

void
render_vline(struct render *r, int x, int y, int h, uint32_t fg)
{
	for (int i = 0; i < h; i++) {
		unsigned def = (i > 0 ? ARM_U : 0) | (i < h - 1 ? ARM_D : 0);
		unsigned tent = (i == 0 ? ARM_U : 0) | (i == h - 1 ? ARM_D : 0);

		put_arms(r, x, y + i, def, tent, fg);
	}
}

void
render_hline(struct render *r, int x, int y, int w, uint32_t fg)
{
	for (int i = 0; i < w; i++) {
		unsigned def = (i > 0 ? ARM_L : 0) | (i < w - 1 ? ARM_R : 0);
		unsigned tent = (i == 0 ? ARM_L : 0) | (i == w - 1 ? ARM_R : 0);

		put_arms(r, x + i, y, def, tent, fg);
	}
}

static void
box_cell(struct render *r, int x, int y, uint32_t ch, uint32_t fg)
{
	struct cell c = { ch, fg, COLOR_DEFAULT, 0, 1, 0 };

	put_cell(r, x, y, c);
}

void
render_box(struct render *r, int x, int y, int w, int h, uint32_t fg,
	   const char *title)
{
	int x1 = x + w - 1, y1 = y + h - 1;

	if (w < 2 || h < 2)
		return;
	for (int i = x + 1; i < x1; i++) {
		box_cell(r, i, y, 0x2500, fg);
		box_cell(r, i, y1, 0x2500, fg);
	}
	for (int j = y + 1; j < y1; j++) {
		box_cell(r, x, j, 0x2502, fg);
		box_cell(r, x1, j, 0x2502, fg);
	}
	box_cell(r, x, y, 0x250c, fg);
	box_cell(r, x1, y, 0x2510, fg);
	box_cell(r, x, y1, 0x2514, fg);
	box_cell(r, x1, y1, 0x2518, fg);
	/* "┌─ title ─┐": the title needs its two spaces and a dash each side */
	if (title && *title && w - 6 > 0) {
		int n;

		box_cell(r, x + 2, y, ' ', fg);
		n = render_text(r, x + 3, y, title, fg, COLOR_DEFAULT, 0,
				w - 6);
		if (n > 0)
			box_cell(r, x + 3 + n, y, ' ', fg);
		else
			box_cell(r, x + 2, y, 0x2500, fg);
	}
}

void
render_cursor(struct render *r, int x, int y, bool visible, int shape)
{
	r->want_x = x;
	r->want_y = y;
	r->want_visible = visible;
	r->want_shape = shape < 0 || shape > 6 ? 0 : shape;
}

/* ---- lifecycle ------------------------------------------------------ */

static void
alloc_screen(struct render *r, int cols, int rows)
{
	size_t n;

	r->cols = cols < 1 ? 1 : cols;
	r->rows = rows < 1 ? 1 : rows;
	n = (size_t)r->cols * (size_t)r->rows;
	r->back = xrealloc(r->back, n * sizeof *r->back);
	r->front = xrealloc(r->front, n * sizeof *r->front);
	r->arms = xrealloc(r->arms, n);
	/* contents are redrawn in full anyway; keep them defined */
	memset(r->front, 0, n * sizeof *r->front);
}

struct render *
render_new(struct term_caps *caps, int cols, int rows)
{
	struct render *r = xcalloc(1, sizeof *r);

	r->caps = caps;
	for (int a = 0; a < ATTR_MAP_SIZE; a++)
		r->attr_map[a] = map_attr(caps, (uint16_t)a);
	alloc_screen(r, cols, rows);
	r->shape = 0; /* we have not touched the user's cursor shape */
	render_invalidate(r);
	render_begin(r);
	return r;
}

void
render_free(struct render *r)
{
	if (!r)
		return;
	free(r->back);
	free(r->front);
	free(r->arms);
	combos_free(&r->combos);
	free(r);
}

void
render_invalidate(struct render *r)
{
	r->full = true;
	r->pen_valid = false;
	r->cx = r->cy = -1;
	r->shown = -1;
}

void
render_resize(struct render *r, int cols, int rows)
{
	alloc_screen(r, cols, rows);
	render_invalidate(r);
	render_begin(r);
}

/* ---- modes, title, bell --------------------------------------------- */

void
render_enter(struct render *r, struct wbuf *out, bool mouse, bool kitty_keys)
{
	put_str(out, r->caps->str[TC_SMCUP]);
	put_str(out, "\033[?2004h\033[?1004h");
	if (mouse)
		put_str(out, "\033[?1000h\033[?1002h\033[?1006h");
	if (kitty_keys)
		put_str(out, "\033[>1u");
	r->mouse = mouse;
	r->kitty = kitty_keys;
	render_invalidate(r);
}

void
render_leave(struct render *r, struct wbuf *out)
{
	if (r->kitty)
		put_str(out, "\033[<u");
	if (r->mouse)
		put_str(out, "\033[?1006l\033[?1002l\033[?1000l");
	put_str(out, "\033[?1004l\033[?2004l");
	put_str(out, r->caps->str[TC_SGR0]);
	if (r->shape != 0)
		put_shape(r, out, 0);
	put_str(out, r->caps->str[TC_CNORM]);
	put_str(out, r->caps->str[TC_RMCUP]);
	r->mouse = r->kitty = false;
	render_invalidate(r);
}

/* Control characters could end the OSC early and inject sequences. The
 * result is cut at a character boundary. */
static void
sanitize_title(const char *in, char *out)
{
	const unsigned char *p = (const unsigned char *)in;
	char *o = out;

	while (p && *p) {
		uint32_t cp = utf8_dec(&p);
		char tmp[4];
		size_t n;

		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			continue;
		n = (size_t)(utf8_enc(tmp, cp) - tmp);
		if ((size_t)(o - out) + n >= TITLE_MAX)
			break;
		memcpy(o, tmp, n);
		o += n;
	}
	*o = '\0';
}

void
render_title(struct render *r, struct wbuf *out, const char *title)
{
	char t[TITLE_MAX];

	sanitize_title(title, t);
	if (r->title_sent && strcmp(t, r->title) == 0)
		return;
	memcpy(r->title, t, sizeof t);
	r->title_sent = true;
	put_str(out, "\033]2;");
	put_str(out, t);
	put_str(out, "\a");
}

void
render_bell(struct render *r, struct wbuf *out)
{
	put_str(out, r->caps->str[TC_BEL]);
}

void
render_dump(struct render *r, struct wbuf *out)
{
	for (int y = 0; y < r->rows; y++) {
		const struct cell *row = r->front + (size_t)y * (size_t)r->cols;
		size_t start = out->len, keep = out->len;

		for (int x = 0; x < r->cols; x++) {
			const struct cell *c = &row[x];

			if (c->width == 0)
				continue; /* the right half of a wide character */
			if (c->ch == 0 || c->ch == ' ') {
				wbuf_put(out, " ", 1);
				continue;
			}
			put_glyph(r, out, c);
			keep = out->len;
		}
		/* Trailing blanks trimmed, as `capture` prints panes. */
		out->len = keep > start ? keep : start;
		wbuf_put(out, "\n", 1);
	}
}
