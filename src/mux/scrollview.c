/*
 * scrollview — a pane's history on screen (Shift+PageUp, the wheel).
 *
 * The pod holds the history; the mux asks for the rows it shows
 * (SCROLLBACK_READ) and keeps them in a small cache grid. Rows below the
 * history are the top of the live screen, so scrolling is seamless. Any
 * typed key ends the view (input.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "mux/mux_int.h"

static int
pane_rows(const struct mux_pane *p)
{
	return grid_rows(p->g);
}

static void
request_rows(struct mux *m, struct mux_pane *p, int start, int count)
{
	struct msg_scrollback_read r = { start, (uint32_t)count };
	struct wbuf b;

	wbuf_init(&b);
	msg_scrollback_read_encode(&b, p->id, &r);
	mux_send(m, &b);
	wbuf_free(&b);
	p->sv.waiting = true;
}

/* Start `lines` (negative) above the live screen; the first answer says
 * how much history there is. */
static void
scrollview_start(struct mux *m, struct mux_pane *p, int lines)
{
	int h = pane_rows(p);

	memset(&p->sv, 0, sizeof p->sv);
	p->sv.on = true;
	p->sv.top = -1;
	p->sv.start_lines = lines;
	p->sv.want_top = -1;
	request_rows(m, p, -h, h);
}

void
scrollview_stop(struct mux *m, struct mux_pane *p)
{
	if (!p->sv.on)
		return;
	scrollview_free(&p->sv);
	memset(&p->sv, 0, sizeof p->sv);
	mux_schedule_redraw(m);
}

void
scrollview_free(struct scrollview *sv)
{
	if (sv->cache)
		grid_free(sv->cache);
	sv->cache = NULL;
}

void
scrollview_move(struct mux *m, struct mux_pane *p, int lines)
{
	int h = pane_rows(p), top;

	if (!p->sv.on) {
		if (lines < 0)
			scrollview_start(m, p, lines);
		return;
	}
	if (p->sv.top < 0)
		return; /* the first answer is not here yet */
	top = p->sv.top + lines;
	if (top >= p->sv.hist_len) {
		scrollview_stop(m, p);
		return;
	}
	if (top < 0)
		top = 0;
	p->sv.top = top;
	if (top < p->sv.cache_first ||
	    top + h > p->sv.cache_first + p->sv.cache_n) {
		int count = h;

		if (top + count > p->sv.hist_len)
			count = p->sv.hist_len - top;
		if (p->sv.waiting)
			p->sv.want_top = top;
		else
			request_rows(m, p, top, count);
	}
	mux_schedule_redraw(m);
}

struct rows_ctx {
	struct grid *cache;
	int first;
};

static int
store_row(void *arg, int index, const struct cell *cells, int ncells,
	  bool wrapped)
{
	struct rows_ctx *x = arg;
	int y = index - x->first;
	struct cell *dst;
	int cols;

	(void)wrapped;
	if (y < 0 || y >= grid_rows(x->cache))
		return 0;
	cols = grid_cols(x->cache);
	dst = grid_line(x->cache, y);
	for (int i = 0; i < cols; i++)
		dst[i] = i < ncells ? cells[i] : cell_blank(COLOR_DEFAULT);
	return 0;
}

void
scrollview_on_rows(struct mux *m, const struct frame *f)
{
	struct mux_pane *p = mux_pane_find(m, f->pane);
	struct msg_scrollback_rows r;
	struct rows_ctx x;
	int h;

	if (msg_scrollback_rows_decode(f, &r) < 0)
		return;
	if (!p || !p->sv.on) {
		msg_scrollback_rows_free(&r);
		return;
	}
	h = pane_rows(p);
	p->sv.waiting = false;
	p->sv.hist_len = (int)r.history_len;
	if (p->sv.top < 0) {
		if (r.history_len == 0) {
			/* Nothing above the screen: nothing to show. */
			msg_scrollback_rows_free(&r);
			scrollview_stop(m, p);
			return;
		}
		p->sv.top = (int)r.history_len + p->sv.start_lines;
		if (p->sv.top < 0)
			p->sv.top = 0;
	}
	if (!p->sv.cache || grid_rows(p->sv.cache) != h ||
	    grid_cols(p->sv.cache) != grid_cols(p->g)) {
		scrollview_free(&p->sv);
		p->sv.cache = grid_new(grid_cols(p->g), h, 0);
	}
	/* Cells carry combos interned in the cache grid itself. */
	x.cache = p->sv.cache;
	x.first = r.start;
	grid_clear_rows(p->sv.cache, 0, h, cell_blank(COLOR_DEFAULT));
	update_decode_rows(r.rows, r.len, p->sv.cache, store_row, &x);
	p->sv.cache_first = r.start;
	p->sv.cache_n = h;
	msg_scrollback_rows_free(&r);
	if (p->sv.want_top >= 0) {
		int top = p->sv.want_top;

		p->sv.want_top = -1;
		p->sv.top = top - 1 < 0 ? 0 : top;
		scrollview_move(m, p, 0);
	}
	mux_schedule_redraw(m);
}

/* Copy n cells into row y of dst, re-interning clusters in dst. */
static void
copy_row(struct grid *dst, int y, const struct grid *src,
	 const struct cell *cells, int n)
{
	struct cell *d = grid_line(dst, y);
	int cols = grid_cols(dst);

	for (int i = 0; i < cols; i++) {
		struct cell c = i < n ? cells[i] : cell_blank(COLOR_DEFAULT);

		if (c.ch & CELL_COMBO) {
			const uint32_t *cps;
			uint32_t one;
			int k = grid_cell_codepoints(src, c.ch, &cps, &one);

			c.ch = k > 1 ? grid_combo_intern(dst, cps, k)
				     : (k == 1 ? cps[0] : 0);
		}
		d[i] = c;
	}
	grid_damage_row(dst, y);
}

void
scrollview_compose(struct mux_pane *p, struct grid *view)
{
	int h = grid_rows(p->g), w = grid_cols(p->g);

	if (grid_cols(view) != w || grid_rows(view) != h)
		grid_resize(view, w, h, -1);
	for (int y = 0; y < h; y++) {
		int line = p->sv.top + y;

		if (line >= p->sv.hist_len) {
			int live = line - p->sv.hist_len;

			if (live < h)
				copy_row(view, y, p->g, grid_cline(p->g, live), w);
			continue;
		}
		if (p->sv.cache && line >= p->sv.cache_first &&
		    line < p->sv.cache_first + p->sv.cache_n)
			copy_row(view, y, p->sv.cache,
				 grid_cline(p->sv.cache, line - p->sv.cache_first),
				 grid_cols(p->sv.cache));
		else
			copy_row(view, y, p->g, NULL, 0);
	}
}
