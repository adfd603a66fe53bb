/*
 * update — the screen-update codec: the pod encodes its pane state and the
 * damaged rows of its grid, the mux applies them to its own copy. History
 * rows for the scrollback view use the same row encoding.
 *
 * A row is its used cells only (trailing default blanks dropped) in runs
 * of cells sharing attributes and colours; characters are UTF-8, with a
 * marker where a cell is wide, empty or a multi-code-point cluster. An
 * 80-column row of plain ASCII takes 86 bytes. Decoders check every length
 * against the payload: they are fed from a socket.
 */
#ifndef HEXE_UPDATE_H
#define HEXE_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/grid.h"

enum pane_mode {
	MODE_APP_CURSOR = 1,
	MODE_APP_KEYPAD = 2,
	MODE_BRACKETED_PASTE = 4,
	MODE_MOUSE_CLICK = 8,
	MODE_MOUSE_DRAG = 16,
	MODE_MOUSE_MOTION = 32,
	MODE_MOUSE_SGR = 64,
	MODE_ALTSCREEN = 128,
	MODE_FOCUS_EVENTS = 256,
	MODE_CURSOR_BLINK = 512,
	MODE_REVERSE = 1024, /* DECSCNM */
};

struct pane_state {
	uint16_t cols, rows;
	int cursor_x, cursor_y;
	bool cursor_visible;
	uint8_t cursor_shape; /* 1 block, 2 underline, 3 bar (as libvterm) */
	uint32_t modes;       /* enum pane_mode bits */
	uint32_t bells;       /* bells rung since the pane started */
	char title[256];
	char cwd[1024]; /* cwd from OSC 7, empty if never sent */
};

/* Append an update payload: the pane state plus every damaged row (all
 * rows when full), then clear damage. */
void update_encode(struct grid *g, const struct pane_state *st, bool full,
		   struct wbuf *payload);

/* Apply a payload to the mux's copy: resizes g to the update's size if
 * needed, writes the rows, marks them damaged (the mux's renderer reads
 * damage), fills st. 0, or -1 on a malformed payload, in which case
 * neither g nor st has been changed. */
int update_apply(struct grid *g, struct pane_state *st, const char *payload,
		 size_t len);

/* History lines [start, start+count) (clipped to what the grid holds)
 * encoded as rows, preceded by the first line's number and the count. */
void update_encode_history(const struct grid *g, int start, int count,
			   struct wbuf *out);

/* Decode rows made by update_encode_history, calling cb for each with its
 * history line number; combos are interned into scratch, which only needs
 * to live as long as the cells are used. cb returns 0 to go on, anything
 * else to stop. Returns the number of rows delivered, or -1 when the
 * payload is malformed (the rows before the bad one were delivered). */
int update_decode_rows(const char *p, size_t len, struct grid *scratch,
		       int (*cb)(void *arg, int index, const struct cell *cells,
				 int ncells, bool wrapped),
		       void *arg);

#endif
