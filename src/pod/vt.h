/*
 * vt — the pod's terminal emulator: libvterm's state layer (parser, modes,
 * cursor, pen, query replies) writing into hexe's own grids, a main screen
 * with scrollback and an alternate screen without.
 */
#ifndef HEXE_VT_H
#define HEXE_VT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/grid.h"
#include "core/update.h"

struct vt;

struct vt *vt_new(int cols, int rows, int history_limit);
void vt_free(struct vt *vt);

/* PTY output; sequences may be split anywhere between calls. */
void vt_input(struct vt *vt, const char *buf, size_t len);
/* Plain text straight into the grid (on by default); off, every byte
 * goes through libvterm. For tests that compare the two. */
void vt_set_fast_text(struct vt *vt, bool on);
/* How many characters took that way so far. */
size_t vt_fast_text_chars(const struct vt *vt);
void vt_resize(struct vt *vt, int cols, int rows);

/* Bytes to write back to the PTY (answers to DA, DSR, etc.); the caller
 * writes and resets it. */
struct wbuf *vt_replies(struct vt *vt);

/* Something to send since the last update. */
bool vt_dirty(const struct vt *vt);
/* An update payload (update.h) of the shown screen; clears dirtiness. */
void vt_encode_update(struct vt *vt, bool full, struct wbuf *payload);
const struct pane_state *vt_state(const struct vt *vt);
/* The grid currently shown (main or alternate screen). */
struct grid *vt_grid(struct vt *vt);

/* Text of the screen (and the last `history` lines of scrollback before
 * it), one line per row, '\n' after each, trailing blanks trimmed; wide
 * chars once; combining clusters whole. */
void vt_capture(struct vt *vt, int history, struct wbuf *out);

/* History rows for the scrollback view, encoded as update_encode_history
 * does; a negative start counts from the end. *first gets the first line
 * returned, *history_len the number of history lines. */
void vt_read_history(struct vt *vt, int start, int count, struct wbuf *rows,
		     int *first, int *history_len);

/* Search: lines are numbered history 0..H-1 then screen rows
 * H..H+rows-1; a substring match (ASCII case-insensitive with icase),
 * forward from line `from` to the end or backward from it to line 0
 * (the last match on a line when backward). Returns 1 with the line, the
 * column and the length in cells, or 0. */
int vt_search(struct vt *vt, const char *pattern, int from, bool backward,
	      bool icase, int *line, int *col, int *len);

/* Bytes held: grids, history, buffers and libvterm's own. */
size_t vt_memory(const struct vt *vt);

#endif
