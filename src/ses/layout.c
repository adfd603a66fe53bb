/*
 * layout — a tab's split tree and the rectangles it gives its panes.
 */
#include "ses/layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

struct lnode *
layout_new_pane(uint16_t pane)
{
	struct lnode *n = xcalloc(1, sizeof *n);

	n->kind = LAYOUT_PANE;
	n->pane = pane;
	n->ratio = 500;
	return n;
}

void
layout_free(struct lnode *root)
{
	if (!root)
		return;
	layout_free(root->a);
	layout_free(root->b);
	free(root);
}

struct lnode *
layout_find(struct lnode *root, uint16_t pane)
{
	struct lnode *n;

	if (!root)
		return NULL;
	if (root->kind == LAYOUT_PANE)
		return root->pane == pane ? root : NULL;
	if ((n = layout_find(root->a, pane)))
		return n;
	return layout_find(root->b, pane);
}

struct lnode *
layout_split(struct lnode *root, uint16_t pane, uint16_t newpane,
	     enum layout_kind kind, int ratio)
{
	struct lnode *leaf = layout_find(root, pane), *split;

	if (!leaf || kind == LAYOUT_PANE)
		return NULL;
	split = xcalloc(1, sizeof *split);
	split->kind = kind;
	split->ratio = ratio < 1 ? 1 : ratio > 999 ? 999 : ratio;
	split->parent = leaf->parent;
	split->a = leaf;
	split->b = layout_new_pane(newpane);
	split->b->parent = split;
	if (leaf->parent) {
		if (leaf->parent->a == leaf)
			leaf->parent->a = split;
		else
			leaf->parent->b = split;
	}
	leaf->parent = split;
	return split->parent ? root : split;
}

struct lnode *
layout_remove(struct lnode *root, uint16_t pane)
{
	struct lnode *leaf = layout_find(root, pane), *parent, *sib;

	if (!leaf)
		return root;
	parent = leaf->parent;
	if (!parent) {
		free(leaf);
		return NULL;
	}
	sib = parent->a == leaf ? parent->b : parent->a;
	sib->parent = parent->parent;
	if (parent->parent) {
		if (parent->parent->a == parent)
			parent->parent->a = sib;
		else
			parent->parent->b = sib;
	}
	free(leaf);
	free(parent);
	return sib->parent ? root : sib;
}

void
layout_compute(struct lnode *n, int x, int y, int w, int h)
{
	int total, first;

	if (!n)
		return;
	n->x = x;
	n->y = y;
	n->w = w < 1 ? 1 : w;
	n->h = h < 1 ? 1 : h;
	if (n->kind == LAYOUT_PANE)
		return;
	total = n->kind == LAYOUT_SPLIT_V ? n->w : n->h;
	if (total < 3) {
		/* No room for a border and two panes: the first takes it all
		 * and the second gets a token cell it shares. */
		layout_compute(n->a, x, y, n->w, n->h);
		layout_compute(n->b, x, y, 1, 1);
		return;
	}
	first = (int)(((long)(total - 1) * n->ratio + 500) / 1000);
	if (first < 1)
		first = 1;
	if (first > total - 2)
		first = total - 2;
	if (n->kind == LAYOUT_SPLIT_V) {
		layout_compute(n->a, x, y, first, n->h);
		layout_compute(n->b, x + first + 1, y, n->w - first - 1, n->h);
	} else {
		layout_compute(n->a, x, y, n->w, first);
		layout_compute(n->b, x, y + first + 1, n->w, n->h - first - 1);
	}
}

static int
rects_rec(const struct lnode *n, struct lrect *out, int max, int i)
{
	if (!n)
		return i;
	if (n->kind == LAYOUT_PANE) {
		if (i < max)
			out[i] = (struct lrect){ n->pane, n->x, n->y, n->w, n->h };
		return i + 1;
	}
	i = rects_rec(n->a, out, max, i);
	return rects_rec(n->b, out, max, i);
}

int
layout_rects(const struct lnode *root, struct lrect *out, int max)
{
	int n = rects_rec(root, out, max, 0);

	return n < max ? n : max;
}

int
layout_count(const struct lnode *root)
{
	if (!root)
		return 0;
	if (root->kind == LAYOUT_PANE)
		return 1;
	return layout_count(root->a) + layout_count(root->b);
}

static int
overlap(int a0, int a1, int b0, int b1)
{
	int lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;

	return hi - lo;
}

uint16_t
layout_neighbour(const struct lnode *root, uint16_t from, enum layout_dir d)
{
	struct lrect r[256];
	const struct lrect *f = NULL, *best = NULL;
	int n = layout_rects(root, r, 256), best_ov = 0;

	for (int i = 0; i < n; i++) {
		if (r[i].pane == from)
			f = &r[i];
	}
	if (!f)
		return 0;
	for (int i = 0; i < n; i++) {
		const struct lrect *c = &r[i];
		bool adj;
		int ov;

		switch (d) {
		case DIR_LEFT: adj = c->x + c->w + 1 == f->x; break;
		case DIR_RIGHT: adj = f->x + f->w + 1 == c->x; break;
		case DIR_UP: adj = c->y + c->h + 1 == f->y; break;
		default: adj = f->y + f->h + 1 == c->y; break;
		}
		if (!adj)
			continue;
		ov = (d == DIR_LEFT || d == DIR_RIGHT)
			     ? overlap(f->y, f->y + f->h, c->y, c->y + c->h)
			     : overlap(f->x, f->x + f->w, c->x, c->x + c->w);
		if (ov > best_ov) {
			best = c;
			best_ov = ov;
		}
	}
	return best ? best->pane : 0;
}

/* The nearest ancestor split whose border is on side d of node n. */
static struct lnode *
border_split(struct lnode *n, enum layout_dir d)
{
	enum layout_kind want = (d == DIR_LEFT || d == DIR_RIGHT)
					? LAYOUT_SPLIT_V : LAYOUT_SPLIT_H;
	bool first = d == DIR_RIGHT || d == DIR_DOWN;

	for (struct lnode *c = n; c->parent; c = c->parent) {
		struct lnode *p = c->parent;

		if (p->kind == want && (p->a == c) == first)
			return p;
	}
	return NULL;
}

bool
layout_set_border(struct lnode *n, int pos)
{
	int start = n->kind == LAYOUT_SPLIT_V ? n->x : n->y;
	int total = n->kind == LAYOUT_SPLIT_V ? n->w : n->h;
	int first = pos - start, ratio;

	if (n->kind == LAYOUT_PANE || total < 3)
		return false;
	if (first < 1)
		first = 1;
	if (first > total - 2)
		first = total - 2;
	ratio = (int)(((long)first * 1000 + (total - 1) / 2) / (total - 1));
	if (ratio < 1)
		ratio = 1;
	if (ratio > 999)
		ratio = 999;
	if (ratio == n->ratio)
		return false;
	n->ratio = ratio;
	layout_compute(n, n->x, n->y, n->w, n->h);
	return true;
}

bool
layout_resize(struct lnode *root, uint16_t pane, enum layout_dir d, int cells)
{
	struct lnode *leaf = layout_find(root, pane), *s;
	int border;

	if (!leaf || !(s = border_split(leaf, d)))
		return false;
	border = s->kind == LAYOUT_SPLIT_V ? s->a->x + s->a->w : s->a->y + s->a->h;
	/* Growing towards d moves the border away from the pane. */
	if (d == DIR_LEFT || d == DIR_UP)
		border -= cells;
	else
		border += cells;
	return layout_set_border(s, border);
}

struct lnode *
layout_border_at(struct lnode *n, int x, int y)
{
	struct lnode *r;

	if (!n || n->kind == LAYOUT_PANE)
		return NULL;
	if (n->kind == LAYOUT_SPLIT_V && x == n->a->x + n->a->w && y >= n->y &&
	    y < n->y + n->h)
		return n;
	if (n->kind == LAYOUT_SPLIT_H && y == n->a->y + n->a->h && x >= n->x &&
	    x < n->x + n->w)
		return n;
	if ((r = layout_border_at(n->a, x, y)))
		return r;
	return layout_border_at(n->b, x, y);
}

static int
text_rec(const struct lnode *n, char *out, int size, int len)
{
	int w;

	if (n->kind == LAYOUT_PANE) {
		w = snprintf(out + len, (size_t)(len < size ? size - len : 0),
			     "%u", n->pane);
		return len + (w > 0 ? w : 0);
	}
	w = snprintf(out + len, (size_t)(len < size ? size - len : 0), "(%c%d ",
		     n->kind == LAYOUT_SPLIT_V ? 'v' : 'h', n->ratio);
	len = text_rec(n->a, out, size, len + (w > 0 ? w : 0));
	if (len < size - 1)
		out[len] = ' ';
	len = text_rec(n->b, out, size, len + 1);
	if (len < size - 1)
		out[len] = ')';
	len++;
	if (len < size)
		out[len] = '\0';
	return len;
}

int
layout_to_text(const struct lnode *root, char *out, int n)
{
	if (!root || n < 1) {
		if (n > 0)
			out[0] = '\0';
		return 0;
	}
	return text_rec(root, out, n, 0);
}

static struct lnode *
parse_rec(const char **sp, int depth)
{
	const char *s = *sp;
	struct lnode *n;
	unsigned long v;
	char *end;

	if (depth > 64)
		return NULL;
	while (*s == ' ')
		s++;
	if (*s != '(') {
		v = strtoul(s, &end, 10);
		if (end == s || v == 0 || v > 65535)
			return NULL;
		*sp = end;
		return layout_new_pane((uint16_t)v);
	}
	s++;
	if (*s != 'v' && *s != 'h')
		return NULL;
	n = xcalloc(1, sizeof *n);
	n->kind = *s == 'v' ? LAYOUT_SPLIT_V : LAYOUT_SPLIT_H;
	v = strtoul(s + 1, &end, 10);
	n->ratio = v >= 1 && v <= 999 ? (int)v : 500;
	s = end;
	if (!(n->a = parse_rec(&s, depth + 1)) ||
	    !(n->b = parse_rec(&s, depth + 1))) {
		layout_free(n);
		return NULL;
	}
	n->a->parent = n;
	n->b->parent = n;
	while (*s == ' ')
		s++;
	if (*s != ')') {
		layout_free(n);
		return NULL;
	}
	*sp = s + 1;
	return n;
}

struct lnode *
layout_from_text(const char *s)
{
	struct lnode *n = parse_rec(&s, 0);

	while (n && *s == ' ')
		s++;
	if (n && *s) {
		layout_free(n);
		return NULL;
	}
	return n;
}
