/*
 * draw — compose the mux's screen: tiled panes with one-cell borders (the
 * focused pane's in the active colour), floats framed with their title on
 * top, the status bar (session, tabs, the focused pane's title and POD
 * profile, warnings, clock), the help overlay and the rename prompt.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "mux/mux_int.h"

/* Colours come from hexe.mux.config.setup. */
#define COLOR_BORDER (m->config.mux.border_color)
#define COLOR_ACTIVE (m->config.mux.border_active_color)
#define COLOR_STATUS_BG (m->config.mux.status_bg)
#define COLOR_STATUS_FG (m->config.mux.status_fg)

static void
draw_pane_content(struct mux *m, struct mux_pane *p, int x, int y, int w,
		  int h)
{
	if (!p || !p->have)
		return;
	if (p->sv.on) {
		char ind[48];
		int len;

		scrollview_compose(p, m->view);
		render_pane(m->r, m->view, x, y, w, h);
		len = snprintf(ind, sizeof ind, "[%d/%d]", p->sv.top < 0 ? 0
							   : p->sv.top,
			       p->sv.hist_len);
		if (len < w)
			render_text(m->r, x + w - len, y, ind, COLOR_INDEX(0),
				    COLOR_INDEX(3), 0, len);
		return;
	}
	render_pane(m->r, p->g, x, y, w, h);
}

/* The border cells around a tiled pane: right and bottom edges for all
 * (shared with the neighbour), all four for the focused one, in colour. */
/* The border cells around a tiled pane: right and bottom edges for all
 * (shared with the neighbour), all four for the focused one, in colour.
 * Lines run one cell past the pane so they meet the crossing borders and
 * the renderer draws the junctions. */
static void
draw_borders(struct mux *m, const struct layout_pane *lp, uint32_t fg,
	     bool all_sides, int top)
{
	int area = m->layout.rows, cols = m->layout.cols;
	int x0 = lp->x > 0 ? lp->x - 1 : lp->x;
	int x1 = lp->x + lp->w < cols ? lp->x + lp->w : lp->x + lp->w - 1;
	int y0 = lp->y > 0 ? lp->y - 1 : lp->y;
	int y1 = lp->y + lp->h < area ? lp->y + lp->h : lp->y + lp->h - 1;

	if (lp->x + lp->w < cols)
		render_vline(m->r, lp->x + lp->w, top + y0, y1 - y0 + 1, fg);
	if (lp->y + lp->h < area)
		render_hline(m->r, x0, top + lp->y + lp->h, x1 - x0 + 1, fg);
	if (!all_sides)
		return;
	if (lp->x > 0)
		render_vline(m->r, lp->x - 1, top + y0, y1 - y0 + 1, fg);
	if (lp->y > 0)
		render_hline(m->r, x0, top + lp->y - 1, x1 - x0 + 1, fg);
}

static void
draw_tiled(struct mux *m, int top)
{
	struct layout_pane *focused = NULL;
	int ntiled = 0;

	for (int i = 0; i < m->layout.npanes; i++) {
		struct layout_pane *lp = &m->layout.panes[i];

		if (lp->flags & LAYOUT_FLOAT)
			continue;
		ntiled++;
		draw_pane_content(m, mux_pane_find(m, lp->id), lp->x,
				  top + lp->y, lp->w, lp->h);
		if (lp->flags & LAYOUT_FOCUSED)
			focused = lp;
	}
	/* A lone pane has no frame. */
	if (ntiled < 2)
		return;
	for (int i = 0; i < m->layout.npanes; i++) {
		struct layout_pane *lp = &m->layout.panes[i];

		if (!(lp->flags & LAYOUT_FLOAT))
			draw_borders(m, lp, COLOR_BORDER, false, top);
	}
	if (focused)
		draw_borders(m, focused, COLOR_ACTIVE, true, top);
}

static void
draw_floats(struct mux *m, int top)
{
	for (int i = 0; i < m->layout.npanes; i++) {
		struct layout_pane *lp = &m->layout.panes[i];
		struct mux_pane *p;
		char title[300];

		if (!(lp->flags & LAYOUT_FLOAT))
			continue;
		p = mux_pane_find(m, lp->id);
		snprintf(title, sizeof title, "%s",
			 *lp->title ? lp->title : p ? p->st.title : "");
		render_box(m->r, lp->x, top + lp->y, lp->w, lp->h,
			   lp->flags & LAYOUT_FOCUSED ? COLOR_ACTIVE : COLOR_BORDER,
			   title);
		if (lp->w > 2 && lp->h > 2) {
			struct cell blank = cell_blank(COLOR_DEFAULT);

			render_fill(m->r, lp->x + 1, top + lp->y + 1, lp->w - 2,
				    lp->h - 2, &blank);
			draw_pane_content(m, p, lp->x + 1, top + lp->y + 1,
					  lp->w - 2, lp->h - 2);
		}
	}
}

static int
status_text(struct mux *m, int x, int y, const char *s, uint16_t attr,
	    uint32_t fg, uint32_t bg, int limit)
{
	if (x >= limit)
		return x;
	return x + render_text(m->r, x, y, s, fg, bg, attr, limit - x);
}

static void
draw_status(struct mux *m)
{
	struct cell fill = cell_blank(COLOR_STATUS_BG);
	struct layout_pane *fl = mux_focused_layout(m);
	struct mux_pane *fp = fl ? mux_pane_find(m, fl->id) : NULL;
	char buf[400], right[300], clock[16];
	time_t now = time(NULL);
	int y = m->status_top ? 0 : m->rows - 1, x = 0, rlen;
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%H:%M", &tm);
	render_fill(m->r, 0, y, m->cols, 1, &fill);
	if (m->prompt == PROMPT_TAB_RENAME) {
		snprintf(buf, sizeof buf, "rename tab: %s", m->prompt_buf);
		x = status_text(m, 0, y, buf, ATTR_BOLD, COLOR_STATUS_FG,
				COLOR_STATUS_BG, m->cols);
		render_cursor(m->r, x, y, true, 0);
		return;
	}
	/* Right side first, so the left can stop before it. */
	if (m->status_msg[0] && now_ms() < m->status_msg_until)
		snprintf(right, sizeof right, "%s | %s%s%s", m->status_msg,
			 fl && *fl->info ? fl->info : "",
			 fl && *fl->info ? " | " : "", clock);
	else
		snprintf(right, sizeof right, "%s%s%s",
			 fl && *fl->info ? fl->info : "",
			 fl && *fl->info ? " | " : "", clock);
	rlen = (int)strlen(right);
	if (rlen > m->cols)
		rlen = m->cols;
	snprintf(buf, sizeof buf, "[%s] ", m->session);
	x = status_text(m, x, y, buf, 0, COLOR_STATUS_FG, COLOR_STATUS_BG,
			m->cols - rlen - 1);
	for (uint32_t i = 0; i < m->layout.tabs.n; i++) {
		bool active = i == m->layout.active_tab;
		const char *name = m->layout.tabs.v[i];

		snprintf(buf, sizeof buf, "%u%s%s%s ", i + 1, *name ? ":" : "",
			 name, active ? "*" : "");
		x = status_text(m, x, y, buf, active ? ATTR_BOLD | ATTR_REVERSE : 0,
				COLOR_STATUS_FG, COLOR_STATUS_BG,
				m->cols - rlen - 1);
	}
	if (fp && fp->st.title[0])
		x = status_text(m, x, y, fp->st.title, 0, COLOR_STATUS_FG,
				COLOR_STATUS_BG, m->cols - rlen - 1);
	render_text(m->r, m->cols - rlen, y, right, COLOR_STATUS_FG,
		    COLOR_STATUS_BG, 0, rlen);
}

static void
draw_help(struct mux *m)
{
	int w = m->cols > 70 ? 66 : m->cols - 4, h = (int)m->km.n + 4;
	int x, y, row;

	if (w < 20 || m->rows < 6)
		return;
	if (h > m->rows - 2)
		h = m->rows - 2;
	x = (m->cols - w) / 2;
	y = (m->rows - h) / 2;
	{
		struct cell blank = cell_blank(COLOR_DEFAULT);

		render_fill(m->r, x, y, w, h, &blank);
	}
	render_box(m->r, x, y, w, h, COLOR_ACTIVE, "keys (any key closes)");
	row = y + 1;
	for (size_t i = 0; i < m->km.n && row < y + h - 1; i++, row++) {
		char chord[48], act[96], line[160];

		key_chord_format(&m->km.b[i].chord, chord, sizeof chord);
		action_req_format(&m->km.b[i].req, &m->km.b[i], act, sizeof act);
		snprintf(line, sizeof line, " %-20s %s", chord, act);
		render_text(m->r, x + 1, row, line, COLOR_DEFAULT, COLOR_DEFAULT,
			    0, w - 2);
	}
}

void
mux_draw(struct mux *m)
{
	struct layout_pane *fl = mux_focused_layout(m);
	struct mux_pane *fp = fl ? mux_pane_find(m, fl->id) : NULL;
	int top = mux_area_top(m), area = mux_area_rows(m);

	render_begin(m->r);
	if (m->have_layout) {
		struct cell dot = cell_blank(COLOR_DEFAULT);

		/* A smaller session than this terminal (another client is
		 * smaller): the rest is filled with dots, as tmux does. */
		dot.ch = 0xb7;
		dot.fg = COLOR_BORDER;
		if (m->layout.cols < m->cols)
			render_fill(m->r, m->layout.cols, top,
				    m->cols - m->layout.cols, area, &dot);
		if (m->layout.rows < area)
			render_fill(m->r, 0, top + m->layout.rows, m->cols,
				    area - m->layout.rows, &dot);
		draw_tiled(m, top);
		draw_floats(m, top);
	}
	if (m->status_on)
		draw_status(m);
	if (m->help)
		draw_help(m);
	if (m->prompt || m->help) {
		/* the prompt placed the cursor */
	} else if (fp && fp->have && fl && !fp->sv.on) {
		int off = (fl->flags & LAYOUT_FLOAT) ? 1 : 0;

		render_cursor(m->r, fl->x + off + fp->st.cursor_x,
			      top + fl->y + off + fp->st.cursor_y,
			      fp->st.cursor_visible, fp->st.cursor_shape);
	} else {
		render_cursor(m->r, 0, 0, false, 0);
	}
	render_flush(m->r, &m->out);
	if (fp && fp->have)
		render_title(m->r, &m->out, fp->st.title);
}
