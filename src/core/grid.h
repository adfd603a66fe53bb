/*
 * grid — a pane's cells: the visible screen as a ring of rows, so that a
 * scroll rotates the ring instead of moving cells, plus a scrollback
 * history of compact lines (only the used cells of each line, encoded as
 * bytes: about one per cell of plain text).
 * Damage is tracked per visible row.
 *
 * The pod's emulator writes into a grid; the mux keeps a grid per pane,
 * without history, as its copy of what the pod sent.
 */
#ifndef HEXE_GRID_H
#define HEXE_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cell.h"

struct grid;

struct grid *grid_new(int cols, int rows, int history_limit);
void grid_free(struct grid *g);

int grid_cols(const struct grid *g);
int grid_rows(const struct grid *g);

/* Visible row y (0 = top), an array of grid_cols() cells. */
struct cell *grid_line(struct grid *g, int y);
const struct cell *grid_cline(const struct grid *g, int y);
/* Row y continues on the next row (it was wrapped, not ended by a newline). */
void grid_set_wrapped(struct grid *g, int y, bool wrapped);
bool grid_wrapped(const struct grid *g, int y);

/* Scroll rows [top, bottom) up by n, filling the bottom with blank cells.
 * When top is 0 and to_history is set, the rows leaving the top enter the
 * history (the oldest history lines are dropped beyond history_limit). */
void grid_scroll_up(struct grid *g, int top, int bottom, int n,
		    bool to_history, struct cell blank);
void grid_scroll_down(struct grid *g, int top, int bottom, int n,
		      struct cell blank);
void grid_clear_rows(struct grid *g, int top, int bottom, struct cell blank);

/* Row y for writing cells [0, x_end) only. The grid remembers how far each
 * row may hold something other than default blanks, so clearing, scrolling
 * and moving a line to history skip the rest; grid_line() is the same with
 * x_end = grid_cols(). */
struct cell *grid_line_span(struct grid *g, int y, int x_end);

/* Write n cells at column x of row y, clipped to the row: marks the row
 * damaged and blanks the other half of any wide character cut in two. */
void grid_put(struct grid *g, int y, int x, const struct cell *cells, int n);
/* Fill cells [x0, x1) of row y with c, as grid_put does. */
void grid_fill(struct grid *g, int y, int x0, int x1, struct cell c);
/* Copy n cells from column sx of row sy to column dx of row dy (the same
 * row when shifting characters sideways), as grid_put does. */
void grid_copy_cells(struct grid *g, int dy, int dx, int sy, int sx, int n);

/* Resize; columns are cut or padded at the right (no reflow). With a
 * cursor (cursor_y >= 0), a shorter screen first drops rows below the
 * cursor, then moves top rows to history (dropped without history) so the
 * cursor row stays visible, and a taller screen pulls the newest history
 * lines back above; both as xterm does. With cursor_y < 0 the top-left is
 * kept and rows cut at the bottom are lost. Returns the new cursor row
 * (or -1). Damages everything. */
int grid_resize(struct grid *g, int cols, int rows, int cursor_y);

int grid_history_len(const struct grid *g);
int grid_history_limit(const struct grid *g);
void grid_set_history_limit(struct grid *g, int limit);
/* History line i, 0 = oldest; returns the number of stored cells (the
 * rest of the line is blank) and sets *cells (NULL for none). History is
 * kept encoded: the cells are decoded into a buffer of the grid's, good
 * until the next call that reads or changes this grid's history. */
int grid_history_line(const struct grid *g, int i, const struct cell **cells);
bool grid_history_wrapped(const struct grid *g, int i);
void grid_history_clear(struct grid *g);

void grid_damage_row(struct grid *g, int y);
void grid_damage_all(struct grid *g);
bool grid_row_damaged(const struct grid *g, int y);
bool grid_any_damage(const struct grid *g);
void grid_damage_clear(struct grid *g);

/* Clusters of more than one code point (base + combining marks): returns
 * the cell's ch, CELL_COMBO | index for n > 1 (equal clusters share an
 * index), the code point itself for n == 1. Clusters are cut to
 * GRID_COMBO_MAX code points; once the table is full, only the base
 * character is kept. */
#define GRID_COMBO_MAX 8
uint32_t grid_combo_intern(struct grid *g, const uint32_t *cps, int n);
/* Number of code points of ch (1 for a plain character, 0 for an empty
 * cell) into *cps; *single is storage for the one-code-point case. */
int grid_cell_codepoints(const struct grid *g, uint32_t ch,
			 const uint32_t **cps, uint32_t *single);
/* UTF-8 of a cell's character(s) into out (at least 32 bytes); returns the
 * byte count; an empty cell gives " ", the second half of a wide character
 * (width 0) gives nothing. */
int grid_cell_utf8(const struct grid *g, const struct cell *c, char *out);

/* Memory the grid holds, in bytes (for `make bench` and `hexe pod list`). */
size_t grid_memory(const struct grid *g);

#endif
