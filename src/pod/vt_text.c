/*
 * vt_text — a pane's text as words, not cells: capture (the screen and
 * scrollback as UTF-8 lines), history read by range, and search, all
 * over the grid the emulator writes.
 */
#include <stdlib.h>
#include <string.h>

#include "core/update.h"
#include "core/util.h"
#include "pod/vt.h"

/* A line as UTF-8 with, for each byte, the cell columns it covers. */
struct line_text {
	struct wbuf text;
	int *from, *to;
	size_t cap;
};

static void
line_text_build(struct line_text *lt, const struct grid *g,
		const struct cell *c, int n)
{
	wbuf_reset(&lt->text);
	for (int x = 0; x < n; x++) {
		char u[32];
		int k = grid_cell_utf8(g, &c[x], u);
		int w = c[x].width == 2 && x + 1 < n ? 2 : 1;

		if (lt->text.len + (size_t)k > lt->cap) {
			lt->cap = (lt->text.len + (size_t)k) * 2;
			lt->from = xrealloc(lt->from, lt->cap * sizeof(int));
			lt->to = xrealloc(lt->to, lt->cap * sizeof(int));
		}
		for (int j = 0; j < k; j++) {
			lt->from[lt->text.len + (size_t)j] = x;
			lt->to[lt->text.len + (size_t)j] = x + w;
		}
		wbuf_put(&lt->text, u, (size_t)k);
	}
}

static void
line_text_free(struct line_text *lt)
{
	wbuf_free(&lt->text);
	free(lt->from);
	free(lt->to);
}

static void
capture_line(const struct grid *g, const struct cell *c, int n,
	     struct wbuf *out)
{
	size_t start = out->len;

	for (int x = 0; x < n; x++) {
		char u[32];

		wbuf_put(out, u, (size_t)grid_cell_utf8(g, &c[x], u));
	}
	while (out->len > start && out->data[out->len - 1] == ' ')
		out->len--;
	wbuf_u8(out, '\n');
}

void
vt_capture(struct vt *vt, int history, struct wbuf *out)
{
	const struct grid *g = vt_grid(vt);
	int h = grid_history_len(g);

	if (history > h)
		history = h;
	for (int i = h - (history > 0 ? history : 0); i < h; i++) {
		const struct cell *c;
		int n = grid_history_line(g, i, &c);

		capture_line(g, c, n, out);
	}
	for (int y = 0; y < grid_rows(g); y++)
		capture_line(g, grid_cline(g, y), grid_cols(g), out);
}

void
vt_read_history(struct vt *vt, int start, int count, struct wbuf *rows,
		int *first, int *history_len)
{
	const struct grid *g = vt_grid(vt);
	int h = grid_history_len(g);

	if (start < 0)
		start = h + start < 0 ? 0 : h + start;
	if (start > h)
		start = h;
	if (count < 0)
		count = 0;
	if (count > h - start)
		count = h - start;
	update_encode_history(g, start, count, rows);
	*first = start;
	*history_len = h;
}

static char
fold(char c, bool icase)
{
	return icase && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool
match_at(const char *s, const char *pat, size_t m, bool icase)
{
	for (size_t j = 0; j < m; j++)
		if (fold(s[j], icase) != fold(pat[j], icase))
			return false;
	return true;
}

/* Byte offset of the first (or last) match in the line, or -1. */
static long
find_in_line(const struct wbuf *t, const char *pat, size_t m, bool last,
	     bool icase)
{
	long found = -1;

	if (t->len < m)
		return -1;
	for (size_t i = 0; i + m <= t->len; i++) {
		if (!match_at(t->data + i, pat, m, icase))
			continue;
		found = (long)i;
		if (!last)
			break;
	}
	return found;
}

static void
search_line(struct line_text *lt, const struct grid *g, int line, int h)
{
	const struct cell *c;
	int n;

	if (line < h) {
		n = grid_history_line(g, line, &c);
	} else {
		c = grid_cline(g, line - h);
		n = grid_cols(g);
	}
	line_text_build(lt, g, c, n);
}

int
vt_search(struct vt *vt, const char *pattern, int from, bool backward,
	  bool icase, int *line, int *col, int *len)
{
	const struct grid *g = vt_grid(vt);
	int h = grid_history_len(g), total = h + grid_rows(g);
	size_t m = pattern ? strlen(pattern) : 0;
	struct line_text lt = { { NULL, 0, 0 }, NULL, NULL, 0 };
	int found = 0;

	if (m == 0)
		return 0;
	if (from < 0)
		from = 0;
	if (from >= total)
		from = total - 1;
	for (int l = from; l >= 0 && l < total; l += backward ? -1 : 1) {
		long at;

		search_line(&lt, g, l, h);
		at = find_in_line(&lt.text, pattern, m, backward, icase);
		if (at < 0)
			continue;
		*line = l;
		*col = lt.from[at];
		*len = lt.to[(size_t)at + m - 1] - lt.from[at];
		found = 1;
		break;
	}
	line_text_free(&lt);
	return found;
}
