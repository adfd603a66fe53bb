/*
 * layout — a tab's split tree and the rectangles it gives its panes.
 *
 * Pure geometry, no I/O: the daemon owns the tree and asks it where each
 * pane goes for a given size. A split divides its rectangle between two
 * children with a one-cell border between them, as tmux draws it:
 *   LAYOUT_SPLIT_V  side by side (a vertical border), first child left;
 *   LAYOUT_SPLIT_H  one above the other (a horizontal border), first on top.
 */
#ifndef HEXE_LAYOUT_H
#define HEXE_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

enum layout_kind {
	LAYOUT_PANE = 0,
	LAYOUT_SPLIT_V,
	LAYOUT_SPLIT_H,
};

enum layout_dir {
	DIR_LEFT = 0,
	DIR_DOWN,
	DIR_UP,
	DIR_RIGHT,
};

struct lnode {
	enum layout_kind kind;
	uint16_t pane;      /* LAYOUT_PANE */
	int ratio;          /* per mille of the first child, 1..999 */
	struct lnode *a, *b;
	struct lnode *parent;
	int x, y, w, h;     /* from the last layout_compute */
};

struct lrect {
	uint16_t pane;
	int x, y, w, h;
};

struct lnode *layout_new_pane(uint16_t pane);
void layout_free(struct lnode *root);

/* Split the leaf of `pane` in two: the old pane first (left/top), `newpane`
 * second. Returns the new root (unchanged unless root was the leaf), or NULL
 * when the pane is not in the tree. */
struct lnode *layout_split(struct lnode *root, uint16_t pane, uint16_t newpane,
			   enum layout_kind kind, int ratio);
/* Remove `pane`; its sibling takes the parent's place. Returns the new
 * root (NULL when the tree is now empty). */
struct lnode *layout_remove(struct lnode *root, uint16_t pane);
struct lnode *layout_find(struct lnode *root, uint16_t pane);

/* Give every node its rectangle inside (x, y, w, h). Panes never get less
 * than 1×1; a split too small for both children gives the first all. */
void layout_compute(struct lnode *root, int x, int y, int w, int h);
/* The leaves in order (left to right, top to bottom); returns how many
 * were written (at most max). */
int layout_rects(const struct lnode *root, struct lrect *out, int max);
int layout_count(const struct lnode *root);

/* The pane geometrically next to `from` in direction d (the one that
 * overlaps it most along the border; ties go to the one nearest the top
 * or left), or 0 when there is none. Needs layout_compute first. */
uint16_t layout_neighbour(const struct lnode *root, uint16_t from,
			  enum layout_dir d);

/* Move the border of `pane` on side d by `cells` (negative shrinks).
 * Returns true when something changed. Needs layout_compute first. */
bool layout_resize(struct lnode *root, uint16_t pane, enum layout_dir d,
		   int cells);
/* Put the border of split `n` at `pos` (a column for SPLIT_V, a row for
 * SPLIT_H), for mouse drags. */
bool layout_set_border(struct lnode *n, int pos);
/* The split whose border runs through cell (x, y), or NULL. */
struct lnode *layout_border_at(struct lnode *root, int x, int y);

/* Serialise as text for the state file: "(v500 1 (h300 2 3))"; parse
 * back (NULL on a malformed string). */
int layout_to_text(const struct lnode *root, char *out, int n);
struct lnode *layout_from_text(const char *s);

#endif
