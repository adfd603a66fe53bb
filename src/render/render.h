/*
 * render — composes the mux's screen and sends the user's terminal only
 * what changed.
 *
 * Each frame is drawn into a back buffer (panes, borders, status text),
 * then render_flush() compares it with the front buffer (what the
 * terminal shows) and appends the escape sequences for the difference to
 * a wbuf; the caller writes that out without blocking. Nothing here
 * allocates in the steady state, and nothing writes to a file descriptor.
 *
 * Coordinates are screen cells, (0,0) top-left; everything is clipped to
 * the screen, so callers may pass rectangles that stick out.
 */
#ifndef HEXE_RENDER_H
#define HEXE_RENDER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/cell.h"
#include "core/grid.h"
#include "render/term.h"

struct render;

/* caps is borrowed and must outlive the render. */
struct render *render_new(struct term_caps *caps, int cols, int rows);
void render_free(struct render *r);
/* Both make the next flush clear the terminal and redraw everything. */
void render_resize(struct render *r, int cols, int rows);
void render_invalidate(struct render *r);

/* Start a frame: the back buffer becomes blank and the cursor hidden. */
void render_begin(struct render *r);
/* The pane's visible cells with their top-left at (x,y), clipped to the
 * w x h rectangle; the part of the rectangle the grid does not cover is
 * blanked. A wide character cut by an edge becomes a blank. */
void render_pane(struct render *r, const struct grid *g, int x, int y,
		 int w, int h);
void render_fill(struct render *r, int x, int y, int w, int h,
		 const struct cell *c);
/* Text in one style, at most maxw columns (a wide character that does not
 * fit is left out); control characters are skipped, combining marks join
 * the previous character. Returns the columns used. */
int render_text(struct render *r, int x, int y, const char *utf8,
		uint32_t fg, uint32_t bg, uint16_t attr, int maxw);
/* Pane separators. Where lines meet, the junction character (┼ ├ ┤ ┬ ┴
 * and corners) is chosen whatever the drawing order; a line's end joins
 * a line it touches, and is drawn straight otherwise. */
void render_vline(struct render *r, int x, int y, int h, uint32_t fg);
void render_hline(struct render *r, int x, int y, int w, uint32_t fg);
/* A floating pane's frame, drawn over whatever is below (no junctions):
 * ┌─ title ─┐ with the title cut to fit. The inside is left alone. */
void render_box(struct render *r, int x, int y, int w, int h, uint32_t fg,
		const char *title);
/* shape is a DECSCUSR value (0 = the terminal's default, 1-6). A cursor
 * outside the screen is hidden. */
void render_cursor(struct render *r, int x, int y, bool visible, int shape);
void render_flush(struct render *r, struct wbuf *out);
/* The screen as last flushed, as text: one line per row, trailing blanks
 * trimmed (`hexe mux capture --screen`). */
void render_dump(struct render *r, struct wbuf *out);

/* Enter the mux's screen: alternate screen, bracketed paste, focus
 * events, SGR mouse reporting if mouse, the kitty keyboard protocol
 * (CSI > 1 u) if kitty_keys. Leave undoes exactly that, resets the pen and
 * cursor shape and shows the cursor. */
void render_enter(struct render *r, struct wbuf *out, bool mouse,
		  bool kitty_keys);
void render_leave(struct render *r, struct wbuf *out);
/* OSC 2, only when the title differs from the last one sent. */
void render_title(struct render *r, struct wbuf *out, const char *title);
void render_bell(struct render *r, struct wbuf *out);

#endif
