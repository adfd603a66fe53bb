/*
 * grid — the visible rows as a ring (a full-screen scroll moves the ring's
 * start, not cells), scrollback as a ring of compact lines, the table of
 * multi-code-point clusters and a per-row damage bitmap.
 *
 * A history line is kept as bytes, not cells: a printable ASCII cell in
 * the pen of the cell before it takes one byte (a struct cell takes 16),
 * so an 80-column line of text costs about 80 bytes plus 16 for its index
 * entry. Lines are decoded on reading (the scrollback view, capture,
 * search, a taller screen pulling lines back), which is rare next to
 * lines being added.
 */
#include "core/grid.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define GRID_MAX_DIM 4096
/* distinct clusters a grid keeps; bounds what a peer can make us hold */
#define COMBO_LIMIT (1u << 16)

struct row {
	struct cell *cells; /* cols cells */
	int used;           /* cells from here on are default blanks */
	bool wrapped;
};

/* Encoded history lines are appended to blocks, so moving a line to
 * history allocates nothing most of the time; a block is freed when its
 * last line is dropped. Blocks start small (a pane with little history
 * costs little) and double up to HBLOCK_MAX. */
#define HBLOCK_MIN 1024u
#define HBLOCK_MAX (32u * 1024u)

struct hblock {
	int lines;     /* lines still in this block */
	uint32_t used; /* bytes handed out */
	uint32_t cap;
	unsigned char bytes[];
};

struct hline {
	struct hblock *blk; /* NULL when n is 0 */
	uint32_t off;       /* of the line's bytes in blk */
	uint16_t n;         /* cells */
	bool wrapped;
};

struct combo {
	uint32_t off; /* into combo_cps */
	uint32_t n;
};

struct grid {
	int cols, rows;
	struct row *ring; /* visible row y is ring[(top + y) % rows] */
	int top;
	struct row *tmp;   /* scratch for rotating part of the screen */
	uint64_t *damage;  /* one bit per visible row */

	struct hline *hist; /* ring of hcap lines, the oldest at hstart */
	int hcap, hstart, hlen, hlimit;
	struct hblock *hblk;   /* the block new lines go to */
	struct hblock *hspare; /* an emptied block kept for reuse */
	size_t hbytes;         /* bytes of blocks allocated, the spare's too */
	unsigned char *enc;    /* one line being encoded */
	size_t enc_cap;
	struct cell *dec;      /* the line grid_history_line last decoded */
	int dec_cap;

	struct combo *combos;
	uint32_t ncombos, combos_cap;
	uint32_t *cps; /* code points of all combos, back to back */
	size_t ncps, cps_cap;
	uint32_t *chash; /* open addressing: combo index + 1, 0 when free */
	uint32_t chash_cap;
};

static int
clamp_dim(int n)
{
	if (n < 1)
		return 1;
	return n > GRID_MAX_DIM ? GRID_MAX_DIM : n;
}

static void
cells_fill(struct cell *c, int n, struct cell v)
{
	/* whole-cell copies let the compiler store 16 bytes at a time
	 * instead of field by field */
	for (int i = 0; i < n; i++)
		memcpy(&c[i], &v, sizeof v);
}

static bool
blank_is_default(struct cell b)
{
	return b.ch == 0 && b.fg == COLOR_DEFAULT && b.bg == COLOR_DEFAULT &&
	       b.attr == 0 && b.width == 1 && b.flags == 0;
}

/* A cell that can be dropped from the end of a line without changing
 * what is drawn. */
static bool
cell_is_empty(const struct cell *c)
{
	return (c->ch == 0 || c->ch == ' ') && c->fg == COLOR_DEFAULT &&
	       c->bg == COLOR_DEFAULT && c->attr == 0 && c->width == 1;
}

static void
row_init(struct row *r, int cols)
{
	r->cells = xmalloc((size_t)cols * sizeof *r->cells);
	cells_fill(r->cells, cols, cell_blank(COLOR_DEFAULT));
	r->used = 0;
	r->wrapped = false;
}

static void
row_clear(const struct grid *g, struct row *r, struct cell blank)
{
	if (blank_is_default(blank)) {
		/* only the part that may differ from a blank needs writing:
		 * this is what keeps long scrolls of short lines cheap */
		cells_fill(r->cells, r->used, blank);
		r->used = 0;
	} else {
		cells_fill(r->cells, g->cols, blank);
		r->used = g->cols;
	}
	r->wrapped = false;
}

static struct row *
vrow(const struct grid *g, int y)
{
	int i;

	if ((unsigned)y >= (unsigned)g->rows)
		y = y < 0 ? 0 : g->rows - 1;
	i = g->top + y;
	if (i >= g->rows)
		i -= g->rows;
	return &g->ring[i];
}

static size_t
damage_words(int rows)
{
	return ((size_t)rows + 63) / 64;
}

/* Rows [top, bottom) a word of the bitmap at a time: every scrolled line
 * damages the whole region. */
static void
damage_range(struct grid *g, int top, int bottom)
{
	while (top < bottom) {
		int word = top / 64, lo = top % 64;
		int hi = bottom - word * 64 < 64 ? bottom - word * 64 : 64;
		uint64_t bits = hi - lo == 64 ? ~(uint64_t)0 :
						((uint64_t)1 << (hi - lo)) - 1;

		g->damage[word] |= bits << lo;
		top = word * 64 + hi;
	}
}

struct grid *
grid_new(int cols, int rows, int history_limit)
{
	struct grid *g = xcalloc(1, sizeof *g);

	g->cols = clamp_dim(cols);
	g->rows = clamp_dim(rows);
	g->ring = xmalloc((size_t)g->rows * sizeof *g->ring);
	for (int y = 0; y < g->rows; y++)
		row_init(&g->ring[y], g->cols);
	g->tmp = xmalloc((size_t)g->rows * sizeof *g->tmp);
	g->damage = xcalloc(damage_words(g->rows), sizeof *g->damage);
	g->hlimit = history_limit > 0 ? history_limit : 0;
	damage_range(g, 0, g->rows);
	return g;
}

/* Forward: history_clear needs it. */
static void hist_release(struct grid *g, struct hline *h);
static struct hline *hist_at(const struct grid *g, int i);

void
grid_history_clear(struct grid *g)
{
	for (int i = 0; i < g->hlen; i++)
		hist_release(g, hist_at(g, i));
	g->hlen = 0;
	g->hstart = 0;
	free(g->hist);
	g->hist = NULL;
	g->hcap = 0;
	free(g->hblk);
	free(g->hspare);
	g->hblk = NULL;
	g->hspare = NULL;
	g->hbytes = 0;
	free(g->enc);
	free(g->dec);
	g->enc = NULL;
	g->dec = NULL;
	g->enc_cap = 0;
	g->dec_cap = 0;
}

void
grid_free(struct grid *g)
{
	if (!g)
		return;
	grid_history_clear(g);
	for (int y = 0; y < g->rows; y++)
		free(g->ring[y].cells);
	free(g->ring);
	free(g->tmp);
	free(g->damage);
	free(g->combos);
	free(g->cps);
	free(g->chash);
	free(g);
}

int
grid_cols(const struct grid *g)
{
	return g->cols;
}

int
grid_rows(const struct grid *g)
{
	return g->rows;
}

struct cell *
grid_line_span(struct grid *g, int y, int x_end)
{
	struct row *r = vrow(g, y);

	if (x_end > g->cols)
		x_end = g->cols;
	if (x_end > r->used)
		r->used = x_end;
	return r->cells;
}

/* Row y ready for cells [x0, x1) to be written; NULL when there are none.
 * The cell after x1 is counted as used: span_end may blank it. */
static struct cell *
span_begin(struct grid *g, int y, int *x0, int *x1)
{
	struct row *r;

	if (y < 0 || y >= g->rows)
		return NULL;
	if (*x0 < 0)
		*x0 = 0;
	if (*x1 > g->cols)
		*x1 = g->cols;
	if (*x0 >= *x1)
		return NULL;
	g->damage[y / 64] |= (uint64_t)1 << (y % 64);
	r = vrow(g, y);
	if (r->used <= *x1)
		r->used = *x1 < g->cols ? *x1 + 1 : g->cols;
	return r->cells;
}

static void
blank_half(struct cell *c)
{
	c->ch = 0;
	c->width = 1;
}

/* After writing [x0, x1): a half of a wide character whose other half was
 * overwritten or cut off becomes a blank, so the renderer never draws a
 * character over its neighbour. */
static void
span_end(const struct grid *g, struct cell *c, int x0, int x1)
{
	if (x0 > 0 && c[x0 - 1].width == 2 && c[x0].width != 0)
		blank_half(&c[x0 - 1]);
	if (c[x0].width == 0 && (x0 == 0 || c[x0 - 1].width != 2))
		blank_half(&c[x0]);
	if (c[x1 - 1].width == 2 && (x1 >= g->cols || c[x1].width != 0))
		blank_half(&c[x1 - 1]);
	if (x1 < g->cols && c[x1].width == 0 && c[x1 - 1].width != 2)
		blank_half(&c[x1]);
}

void
grid_put(struct grid *g, int y, int x, const struct cell *cells, int n)
{
	int x0 = x, x1 = x + n;
	struct cell *c = span_begin(g, y, &x0, &x1);

	if (!c)
		return;
	memcpy(c + x0, cells + (x0 - x), (size_t)(x1 - x0) * sizeof *c);
	span_end(g, c, x0, x1);
}

void
grid_fill(struct grid *g, int y, int x0, int x1, struct cell v)
{
	struct cell *c = span_begin(g, y, &x0, &x1);

	if (!c)
		return;
	cells_fill(c + x0, x1 - x0, v);
	span_end(g, c, x0, x1);
}

void
grid_copy_cells(struct grid *g, int dy, int dx, int sy, int sx, int n)
{
	int x0 = dx, x1;
	struct cell *c;

	if (sx < 0 || sy < 0 || sy >= g->rows || n <= 0)
		return;
	if (n > g->cols - sx)
		n = g->cols - sx;
	x1 = dx + n;
	c = span_begin(g, dy, &x0, &x1);
	if (!c)
		return;
	memmove(c + x0, vrow(g, sy)->cells + sx + (x0 - dx),
		(size_t)(x1 - x0) * sizeof *c);
	span_end(g, c, x0, x1);
}

struct cell *
grid_line(struct grid *g, int y)
{
	return grid_line_span(g, y, g->cols);
}

const struct cell *
grid_cline(const struct grid *g, int y)
{
	return vrow(g, y)->cells;
}

void
grid_set_wrapped(struct grid *g, int y, bool wrapped)
{
	vrow(g, y)->wrapped = wrapped;
}

bool
grid_wrapped(const struct grid *g, int y)
{
	return vrow(g, y)->wrapped;
}

/* ---- history ---- */

static struct hline *
hist_at(const struct grid *g, int i)
{
	return &g->hist[(g->hstart + i) % g->hcap];
}

/* Re-lay the ring out from index 0 with room for cap lines. */
static void
hist_relayout(struct grid *g, int cap)
{
	struct hline *n = cap ? xmalloc((size_t)cap * sizeof *n) : NULL;

	for (int i = 0; i < g->hlen; i++)
		n[i] = *hist_at(g, i);
	free(g->hist);
	g->hist = n;
	g->hcap = cap;
	g->hstart = 0;
}

static struct hblock *
hist_new_block(struct grid *g, uint32_t need)
{
	struct hblock *b = g->hspare;
	uint32_t cap;

	if (b && b->cap >= need) {
		g->hspare = NULL;
	} else {
		cap = g->hblk ? g->hblk->cap * 2 : HBLOCK_MIN;
		if (cap > HBLOCK_MAX)
			cap = HBLOCK_MAX;
		if (cap < need)
			cap = need;
		b = xmalloc(sizeof *b + cap);
		b->cap = cap;
		g->hbytes += sizeof *b + cap;
	}
	b->lines = 0;
	b->used = 0;
	return b;
}

static void
hist_free_block(struct grid *g, struct hblock *b)
{
	g->hbytes -= sizeof *b + b->cap;
	free(b);
}

/* A line leaves history: its block goes when nothing else uses it. */
static void
hist_release(struct grid *g, struct hline *h)
{
	struct hblock *b = h->blk;

	h->blk = NULL;
	if (!b || --b->lines > 0)
		return;
	if (b == g->hblk) {
		b->used = 0;
	} else if (!g->hspare || g->hspare->cap < b->cap) {
		if (g->hspare)
			hist_free_block(g, g->hspare);
		g->hspare = b;
	} else {
		hist_free_block(g, b);
	}
}

static void
hist_drop_oldest(struct grid *g)
{
	hist_release(g, hist_at(g, 0));
	g->hstart = (g->hstart + 1) % g->hcap;
	g->hlen--;
}

static int
row_trimmed_len(const struct row *r)
{
	int n = r->used;

	while (n > 0 && cell_is_empty(&r->cells[n - 1]))
		n--;
	return n;
}

/* ---- the history line encoding ----
 *
 * A line is a sequence of tokens, starting in the default pen:
 *   0x20..0x7e        a plain cell: that character, width 1
 *   TOK_EMPTY         an empty cell (ch 0), width 1
 *   TOK_CHAR v        a plain cell of any other character
 *   TOK_WIDE v        a width-2 cell and its second half (ch 0, width 0,
 *                     the same pen)
 *   TOK_CELL w f v    any other cell: width w, flags f
 *   TOK_PEN a16 fg32 bg32   the pen of the cells that follow
 * v is the cell's ch as a little-endian base-128 varint (a cluster's
 * CELL_COMBO | index included: the table lives as long as the grid). */
enum {
	TOK_EMPTY = 0x00,
	TOK_PEN = 0x01,
	TOK_WIDE = 0x02,
	TOK_CELL = 0x03,
	TOK_CHAR = 0x04,
};

/* The most a cell can take: a pen and the longest cell token. */
#define TOK_MAX_CELL (11 + 3 + 5)

static unsigned char *
put_varint(unsigned char *p, uint32_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return p;
}

static const unsigned char *
get_varint(const unsigned char *p, uint32_t *v)
{
	uint32_t x = 0;
	int shift = 0;

	do {
		x |= (uint32_t)(*p & 0x7f) << shift;
		shift += 7;
	} while (*p++ & 0x80 && shift < 35);
	*v = x;
	return p;
}

static unsigned char *
put_u16(unsigned char *p, uint16_t v)
{
	*p++ = (unsigned char)v;
	*p++ = (unsigned char)(v >> 8);
	return p;
}

static unsigned char *
put_u32(unsigned char *p, uint32_t v)
{
	p = put_u16(p, (uint16_t)v);
	return put_u16(p, (uint16_t)(v >> 16));
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool
same_pen(const struct cell *a, const struct cell *b)
{
	return a->attr == b->attr && a->fg == b->fg && a->bg == b->bg;
}

/* Everything of a cell but its character: a plain cell of the current
 * pen matches the pen's template here (width 1, flags 0). */
static inline bool
plain_in(const struct cell *k, const struct cell *tmpl)
{
	return memcmp((const char *)k + offsetof(struct cell, fg),
		      (const char *)tmpl + offsetof(struct cell, fg),
		      sizeof *k - offsetof(struct cell, fg)) == 0;
}

/* Encode n cells into g->enc; returns the byte count. Runs of plain
 * cells in one pen are the common case and take the short loop. */
static size_t
hist_encode(struct grid *g, const struct cell *c, int n)
{
	struct cell pen = cell_blank(COLOR_DEFAULT);
	size_t need = (size_t)n * TOK_MAX_CELL;
	unsigned char *p;
	int x = 0;

	if (need > g->enc_cap) {
		g->enc_cap = need;
		g->enc = xrealloc(g->enc, need);
	}
	p = g->enc;
	while (x < n) {
		const struct cell *k = &c[x];

		for (; x < n && plain_in(&c[x], &pen); x++) {
			uint32_t ch = c[x].ch;

			if (ch - 0x20 < 0x5f) {
				*p++ = (unsigned char)ch;
			} else if (ch == 0) {
				*p++ = TOK_EMPTY;
			} else {
				*p++ = TOK_CHAR;
				p = put_varint(p, ch);
			}
		}
		if (x == n)
			break;
		k = &c[x];
		if (!same_pen(k, &pen)) {
			*p++ = TOK_PEN;
			p = put_u16(p, k->attr);
			p = put_u32(p, k->fg);
			p = put_u32(p, k->bg);
			pen.attr = k->attr;
			pen.fg = k->fg;
			pen.bg = k->bg;
			if (k->width == 1 && k->flags == 0)
				continue; /* plain after all: the loop above */
		}
		if (k->width == 2 && k->flags == 0 && x + 1 < n &&
		    c[x + 1].ch == 0 && c[x + 1].width == 0 &&
		    c[x + 1].flags == 0 && same_pen(k, &c[x + 1])) {
			*p++ = TOK_WIDE;
			p = put_varint(p, k->ch);
			x += 2;
		} else {
			*p++ = TOK_CELL;
			*p++ = k->width;
			*p++ = k->flags;
			p = put_varint(p, k->ch);
			x++;
		}
	}
	return (size_t)(p - g->enc);
}

/* Decode a line of n cells from p into out; returns the bytes used. */
static size_t
hist_decode(const unsigned char *p, int n, struct cell *out)
{
	const unsigned char *start = p;
	struct cell pen = cell_blank(COLOR_DEFAULT);
	int x = 0;

	while (x < n) {
		struct cell k = pen;
		unsigned char t = *p++;

		if (t == TOK_PEN) {
			pen.attr = (uint16_t)(p[0] | p[1] << 8);
			pen.fg = get_u32(p + 2);
			pen.bg = get_u32(p + 6);
			p += 10;
			continue;
		}
		if (t >= 0x20) {
			k.ch = t;
		} else if (t == TOK_EMPTY) {
			k.ch = 0;
		} else if (t == TOK_CHAR) {
			p = get_varint(p, &k.ch);
		} else if (t == TOK_WIDE) {
			p = get_varint(p, &k.ch);
			k.width = 2;
			out[x++] = k;
			if (x == n)
				break;
			k.ch = 0;
			k.width = 0;
		} else {
			k.width = p[0];
			k.flags = p[1];
			p = get_varint(p + 2, &k.ch);
		}
		out[x++] = k;
	}
	return (size_t)(p - start);
}

static void
hist_push(struct grid *g, const struct row *r)
{
	struct hline *h;
	size_t len;
	int n;

	if (g->hlimit == 0)
		return;
	if (g->hlen >= g->hlimit)
		hist_drop_oldest(g);
	if (g->hlen == g->hcap) {
		int cap = g->hcap ? g->hcap * 2 : 64;

		hist_relayout(g, cap < g->hlimit ? cap : g->hlimit);
	}
	h = &g->hist[(g->hstart + g->hlen) % g->hcap];
	g->hlen++;
	n = row_trimmed_len(r);
	h->n = (uint16_t)n;
	h->off = 0;
	h->blk = NULL;
	h->wrapped = r->wrapped;
	if (n == 0)
		return;
	len = hist_encode(g, r->cells, n);
	/* an emptied current block has used == 0, so it is never lost */
	if (!g->hblk || g->hblk->used + len > g->hblk->cap)
		g->hblk = hist_new_block(g, (uint32_t)len);
	h->blk = g->hblk;
	h->off = g->hblk->used;
	memcpy(h->blk->bytes + h->off, g->enc, len);
	g->hblk->used += (uint32_t)len;
	g->hblk->lines++;
}

int
grid_history_len(const struct grid *g)
{
	return g->hlen;
}

int
grid_history_limit(const struct grid *g)
{
	return g->hlimit;
}

void
grid_set_history_limit(struct grid *g, int limit)
{
	if (limit < 0)
		limit = 0;
	g->hlimit = limit;
	while (g->hlen > limit)
		hist_drop_oldest(g);
	if (g->hcap > limit)
		hist_relayout(g, limit);
}

/* The cells are decoded into a buffer of the grid's, which is why a
 * const grid changes here: the pointer is good until the next call. */
int
grid_history_line(const struct grid *g, int i, const struct cell **cells)
{
	struct grid *mg = (struct grid *)g;
	const struct hline *h;

	*cells = NULL;
	if (i < 0 || i >= g->hlen)
		return 0;
	h = hist_at(g, i);
	if (!h->blk || h->n == 0)
		return 0;
	if (h->n > g->dec_cap) {
		mg->dec_cap = h->n;
		mg->dec = xrealloc(mg->dec, (size_t)h->n * sizeof *g->dec);
	}
	hist_decode(h->blk->bytes + h->off, h->n, mg->dec);
	*cells = g->dec;
	return h->n;
}

bool
grid_history_wrapped(const struct grid *g, int i)
{
	if (i < 0 || i >= g->hlen)
		return false;
	return hist_at(g, i)->wrapped;
}

/* ---- scrolling ---- */

/* Clamp a region; false when there is nothing to do. */
static bool
clip_region(const struct grid *g, int *top, int *bottom, int *n)
{
	if (*top < 0)
		*top = 0;
	if (*bottom > g->rows)
		*bottom = g->rows;
	if (*top >= *bottom || *n <= 0)
		return false;
	if (*n > *bottom - *top)
		*n = *bottom - *top;
	return true;
}

static void
scroll_whole_up(struct grid *g, int n, bool to_history, struct cell blank)
{
	for (int i = 0; i < n; i++) {
		struct row *r = &g->ring[g->top];

		if (to_history)
			hist_push(g, r);
		row_clear(g, r, blank);
		if (++g->top == g->rows)
			g->top = 0;
	}
}

void
grid_scroll_up(struct grid *g, int top, int bottom, int n, bool to_history,
	       struct cell blank)
{
	int h;

	if (!clip_region(g, &top, &bottom, &n))
		return;
	to_history = to_history && top == 0;
	damage_range(g, top, bottom);
	if (top == 0 && bottom == g->rows) {
		scroll_whole_up(g, n, to_history, blank);
		return;
	}
	/* part of the screen: rotate the row structs, still no cell moves */
	h = bottom - top;
	for (int i = 0; i < h; i++)
		g->tmp[i] = *vrow(g, top + i);
	for (int i = 0; i < n; i++) {
		if (to_history)
			hist_push(g, &g->tmp[i]);
		row_clear(g, &g->tmp[i], blank);
	}
	for (int i = 0; i < h; i++)
		*vrow(g, top + i) = g->tmp[(i + n) % h];
}

void
grid_scroll_down(struct grid *g, int top, int bottom, int n,
		 struct cell blank)
{
	int h;

	if (!clip_region(g, &top, &bottom, &n))
		return;
	damage_range(g, top, bottom);
	h = bottom - top;
	for (int i = 0; i < h; i++)
		g->tmp[i] = *vrow(g, top + i);
	for (int i = h - n; i < h; i++)
		row_clear(g, &g->tmp[i], blank);
	for (int i = 0; i < h; i++)
		*vrow(g, top + i) = g->tmp[(i - n + h) % h];
}

void
grid_clear_rows(struct grid *g, int top, int bottom, struct cell blank)
{
	if (top < 0)
		top = 0;
	if (bottom > g->rows)
		bottom = g->rows;
	for (int y = top; y < bottom; y++)
		row_clear(g, vrow(g, y), blank);
	if (top < bottom)
		damage_range(g, top, bottom);
}

/* ---- resize ---- */

static void
row_set_cols(struct row *r, int old_cols, int cols)
{
	r->cells = xrealloc(r->cells, (size_t)cols * sizeof *r->cells);
	if (cols > old_cols) {
		cells_fill(r->cells + old_cols, cols - old_cols,
			   cell_blank(COLOR_DEFAULT));
		return;
	}
	if (r->used > cols)
		r->used = cols;
	/* a wide character cut in half would leave a dangling first half */
	if (r->cells[cols - 1].width == 2)
		r->cells[cols - 1] = cell_blank(COLOR_DEFAULT);
}

/* Take the newest history line back as a visible row. */
static void
hist_pop_into(struct grid *g, struct row *r)
{
	struct hline *h = hist_at(g, g->hlen - 1);
	int n = h->n < g->cols ? h->n : g->cols;
	struct cell *all = NULL;
	size_t len = 0;

	row_init(r, g->cols);
	if (h->blk && h->n > 0) {
		/* decoded whole: the line may be wider than the screen now */
		all = xmalloc((size_t)h->n * sizeof *all);
		len = hist_decode(h->blk->bytes + h->off, h->n, all);
		memcpy(r->cells, all, (size_t)n * sizeof *r->cells);
		free(all);
	}
	r->used = n;
	r->wrapped = h->wrapped;
	if (n > 0 && r->cells[n - 1].width == 2)
		r->cells[n - 1] = cell_blank(COLOR_DEFAULT);
	/* the newest line is the last one in its block: give its room back */
	if (h->blk && h->blk == g->hblk && h->off + len == h->blk->used)
		h->blk->used = h->off;
	hist_release(g, h);
	g->hlen--;
}

int
grid_resize(struct grid *g, int cols, int rows, int cursor_y)
{
	int old_rows = g->rows, old_cols = g->cols;
	int push = 0, pull = 0, y = 0;
	struct row *old, *nring;

	cols = clamp_dim(cols);
	rows = clamp_dim(rows);
	if (cursor_y >= old_rows)
		cursor_y = old_rows - 1;
	if (cursor_y >= 0 && rows < old_rows && cursor_y >= rows)
		push = cursor_y + 1 - rows;
	if (cursor_y >= 0 && rows > old_rows)
		pull = g->hlen < rows - old_rows ? g->hlen : rows - old_rows;

	old = xmalloc((size_t)old_rows * sizeof *old);
	for (int i = 0; i < old_rows; i++)
		old[i] = *vrow(g, i);
	for (int i = 0; i < push; i++) {
		hist_push(g, &old[i]);
		free(old[i].cells);
	}

	g->cols = cols;
	nring = xmalloc((size_t)rows * sizeof *nring);
	for (int i = 0; i < pull; i++)
		hist_pop_into(g, &nring[pull - 1 - i]);
	y = pull;
	for (int i = push; i < old_rows; i++) {
		if (y < rows) {
			nring[y] = old[i];
			row_set_cols(&nring[y++], old_cols, cols);
		} else {
			free(old[i].cells);
		}
	}
	for (; y < rows; y++)
		row_init(&nring[y], cols);
	free(old);

	free(g->ring);
	g->ring = nring;
	g->rows = rows;
	g->top = 0;
	g->tmp = xrealloc(g->tmp, (size_t)rows * sizeof *g->tmp);
	free(g->damage);
	g->damage = xcalloc(damage_words(rows), sizeof *g->damage);
	damage_range(g, 0, rows);

	if (cursor_y < 0)
		return -1;
	cursor_y += pull - push;
	return cursor_y < rows ? cursor_y : rows - 1;
}

/* ---- damage ---- */

void
grid_damage_row(struct grid *g, int y)
{
	if (y >= 0 && y < g->rows)
		damage_range(g, y, y + 1);
}

void
grid_damage_all(struct grid *g)
{
	damage_range(g, 0, g->rows);
}

bool
grid_row_damaged(const struct grid *g, int y)
{
	if (y < 0 || y >= g->rows)
		return false;
	return (g->damage[y / 64] >> (y % 64)) & 1;
}

bool
grid_any_damage(const struct grid *g)
{
	for (size_t i = 0; i < damage_words(g->rows); i++)
		if (g->damage[i])
			return true;
	return false;
}

void
grid_damage_clear(struct grid *g)
{
	memset(g->damage, 0, damage_words(g->rows) * sizeof *g->damage);
}

/* ---- combos ---- */

static uint32_t
combo_hash(const uint32_t *cps, int n)
{
	uint32_t h = 2166136261u;

	for (int i = 0; i < n; i++) {
		h ^= cps[i];
		h *= 16777619u;
	}
	return h;
}

static bool
combo_equal(const struct grid *g, uint32_t idx, const uint32_t *cps, int n)
{
	const struct combo *c = &g->combos[idx];

	return c->n == (uint32_t)n &&
	       memcmp(g->cps + c->off, cps, (size_t)n * sizeof *cps) == 0;
}

static void
chash_insert(struct grid *g, uint32_t idx)
{
	const struct combo *c = &g->combos[idx];
	uint32_t mask = g->chash_cap - 1;
	uint32_t i = combo_hash(g->cps + c->off, (int)c->n) & mask;

	while (g->chash[i])
		i = (i + 1) & mask;
	g->chash[i] = idx + 1;
}

static void
chash_grow(struct grid *g)
{
	uint32_t cap = g->chash_cap ? g->chash_cap * 2 : 64;

	free(g->chash);
	g->chash = xcalloc(cap, sizeof *g->chash);
	g->chash_cap = cap;
	for (uint32_t i = 0; i < g->ncombos; i++)
		chash_insert(g, i);
}

static uint32_t
combo_add(struct grid *g, const uint32_t *cps, int n)
{
	uint32_t idx = g->ncombos;

	if (g->ncombos == g->combos_cap) {
		g->combos_cap = g->combos_cap ? g->combos_cap * 2 : 16;
		g->combos = xrealloc(g->combos,
				     g->combos_cap * sizeof *g->combos);
	}
	if (g->ncps + (size_t)n > g->cps_cap) {
		while (g->ncps + (size_t)n > g->cps_cap)
			g->cps_cap = g->cps_cap ? g->cps_cap * 2 : 64;
		g->cps = xrealloc(g->cps, g->cps_cap * sizeof *g->cps);
	}
	memcpy(g->cps + g->ncps, cps, (size_t)n * sizeof *cps);
	g->combos[idx].off = (uint32_t)g->ncps;
	g->combos[idx].n = (uint32_t)n;
	g->ncps += (size_t)n;
	g->ncombos++;
	if (g->ncombos * 2 > g->chash_cap)
		chash_grow(g);
	else
		chash_insert(g, idx);
	return idx;
}

uint32_t
grid_combo_intern(struct grid *g, const uint32_t *cps, int n)
{
	uint32_t mask, i;

	if (n <= 0)
		return 0;
	if (n == 1)
		return cps[0];
	if (n > GRID_COMBO_MAX)
		n = GRID_COMBO_MAX;
	if (g->chash_cap) {
		mask = g->chash_cap - 1;
		for (i = combo_hash(cps, n) & mask; g->chash[i];
		     i = (i + 1) & mask)
			if (combo_equal(g, g->chash[i] - 1, cps, n))
				return CELL_COMBO | (g->chash[i] - 1);
	}
	if (g->ncombos >= COMBO_LIMIT)
		return cps[0];
	return CELL_COMBO | combo_add(g, cps, n);
}

int
grid_cell_codepoints(const struct grid *g, uint32_t ch,
		     const uint32_t **cps, uint32_t *single)
{
	*single = ch;
	*cps = single;
	if (ch == 0)
		return 0;
	if (ch & CELL_COMBO) {
		uint32_t idx = ch & ~CELL_COMBO;

		if (idx < g->ncombos) {
			*cps = g->cps + g->combos[idx].off;
			return (int)g->combos[idx].n;
		}
		*single = 0xfffd;
	}
	return 1;
}

static int
utf8_put(uint32_t cp, char *out)
{
	if (cp >= 0xd800 && (cp < 0xe000 || cp > 0x10ffff))
		cp = 0xfffd;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int
grid_cell_utf8(const struct grid *g, const struct cell *c, char *out)
{
	const uint32_t *cps;
	uint32_t single;
	int n, len = 0;

	if (c->width == 0)
		return 0;
	n = grid_cell_codepoints(g, c->ch, &cps, &single);
	if (n == 0) {
		out[0] = ' ';
		return 1;
	}
	for (int i = 0; i < n && i < GRID_COMBO_MAX; i++)
		len += utf8_put(cps[i], out + len);
	return len;
}

size_t
grid_memory(const struct grid *g)
{
	size_t m = sizeof *g;

	m += (size_t)g->rows *
	     (2 * sizeof(struct row) + (size_t)g->cols * sizeof(struct cell));
	m += damage_words(g->rows) * sizeof(uint64_t);
	m += (size_t)g->hcap * sizeof(struct hline);
	m += g->hbytes + g->enc_cap + (size_t)g->dec_cap * sizeof(struct cell);
	m += g->combos_cap * sizeof(struct combo);
	m += g->cps_cap * sizeof(uint32_t);
	m += g->chash_cap * sizeof(uint32_t);
	return m;
}
