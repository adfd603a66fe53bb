/*
 * vt — the pod's emulator. libvterm's VTermState parses the PTY output and
 * keeps modes, cursor and pen; its callbacks write cells into hexe's grids.
 * VTermScreen is not used: it moves its whole buffer for every scrolled
 * line, while a grid rotates a ring.
 *
 * A small scanner runs over the input ahead of libvterm for what 0.1.4
 * does not report: DEC modes 1, 1004, 1006 and 2004, keypad mode, the SGR
 * attributes dim, conceal and overline, ED 3, and OSC strings (titles, and
 * OSC 7 for the cwd), which libvterm loses when they arrive in two reads.
 * The input is handed to libvterm up to the end of each such sequence
 * before its effect is applied, so effects keep their order with the text
 * around them, and the scanner's state carries over between calls.
 *
 * Plain text skips libvterm: a run of printable ASCII goes straight into
 * the grid through the same glyph callback, and libvterm is only told
 * where its cursor now is (CUF), while nothing would make libvterm print
 * it differently (insert mode, left/right margins, origin mode, a
 * non-ASCII G0 or a shift, line attributes, the last column). The run's last character
 * still goes through libvterm, so that a combining mark after it finds
 * it. That halves the cost of a screen of text.
 *
 * Capture, history reads and search are in vt_text.c.
 */
#include "pod/vt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vterm.h>

#include "core/util.h"

#define VT_MAX_DIM 4096
#define CSI_MAX 64
#define CSI_ARGS 32
#define OSC_MAX 4096
/* allocation header for counting libvterm's memory; keeps alignment */
#define ALLOC_HDR 16

/* Attributes libvterm 0.1.4 does not know; the scanner keeps them. */
#define EXTRA_ATTRS (ATTR_DIM | ATTR_CONCEAL | ATTR_OVERLINE)

enum scan_state {
	SC_GROUND,
	SC_ESC,
	SC_ESC_INTER, /* ESC then intermediates, e.g. ESC ( B */
	SC_CSI,
	SC_STR,     /* OSC, DCS, APC, PM or SOS body */
	SC_STR_ESC, /* ESC inside a string: ST or the end of it */
};

enum scan_event {
	EV_NONE,
	EV_CSI,
	EV_OSC,
	EV_KEYPAD_ON,
	EV_KEYPAD_OFF,
	EV_RIS,
	EV_SAVE,
	EV_RESTORE,
	EV_ESC_INTER, /* ESC, an intermediate and a final: ESC ( 0 */
	EV_SINGLE_SHIFT,
	EV_LOCK_SHIFT,
};

struct scanner {
	enum scan_state state;
	char esc_inter, esc_final; /* of the last ESC with an intermediate */
	char csi[CSI_MAX];
	size_t csi_len;
	bool csi_long;
	char csi_final;
	bool in_osc; /* the string being read is an OSC: keep it */
	bool osc_long;
	size_t osc_len;
	char osc[OSC_MAX];
};

struct csi {
	char leader, inter, final;
	int n;
	long args[CSI_ARGS];
	bool more[CSI_ARGS]; /* a ':' sub-parameter follows */
};

struct pen {
	uint32_t fg, bg;
	uint16_t attr;
};

struct vt {
	VTerm *vterm;
	VTermState *state;
	VTermAllocatorFunctions alloc;
	size_t vterm_bytes;

	struct grid *main, *alt, *cur;
	struct pane_state st;
	struct pen pen;
	uint16_t saved_extra; /* EXTRA_ATTRS saved with the cursor */
	int main_cursor_y;    /* cursor row on the main screen while on alt */
	bool main_resized;    /* the main screen was resized while hidden */
	bool dirty;

	/* The last glyph's row and the cursor position libvterm leaves after
	 * it: reaching the next row's first column with no cursor report in
	 * between can only be an automatic wrap. */
	bool wrap_pending;
	int wrap_row, wrap_col;

	/* Glyphs written side by side on one row are collected and put into
	 * the grid in one go; anything else touching cells flushes first. */
	struct cell *run; /* room for a row */
	int run_y, run_x, run_n;

	struct wbuf replies;
	struct scanner scan;

	/* When libvterm would print plain text exactly as the grid does
	 * (see the top of this file). */
	bool fast_text;    /* allowed at all (tests compare with it off) */
	bool insert_mode;  /* IRM */
	bool lr_margins;   /* DECLRMM */
	bool g0_special;   /* G0 is not ASCII (ESC ( 0 and others) */
	bool shifted;      /* SO or a locking shift: GL is not G0 */
	bool fast_blocked; /* a single shift or a line attribute: until RIS */
	bool fast_off;     /* broken UTF-8 was seen: libvterm's handling of
			    * it depends on where writes end; for good */
	int utf8_need;     /* continuation bytes the text still owes */
	bool origin;       /* DECOM may be on: libvterm then clamps the
			    * cursor into the scroll region after CUF */
	bool saved_origin; /* ... as a saved cursor would bring it back */
	bool text_clean;   /* the last text byte libvterm got was ASCII, so
			    * its UTF-8 decoder holds nothing (escape
			    * sequences and controls do not clear it) */
	size_t fast_chars; /* put without libvterm, for tests */
};

/* A run shorter than this costs libvterm less than the CUF after it. */
#define FAST_MIN 8

static int
clamp_dim(int n)
{
	if (n < 1)
		return 1;
	return n > VT_MAX_DIM ? VT_MAX_DIM : n;
}

/* ---- libvterm's allocations, counted for vt_memory ---- */

static void *
alloc_counted(size_t size, void *data)
{
	char *p = xcalloc(1, ALLOC_HDR + size);

	memcpy(p, &size, sizeof size);
	*(size_t *)data += size;
	return p + ALLOC_HDR;
}

static void
free_counted(void *ptr, void *data)
{
	char *p;
	size_t size;

	if (!ptr)
		return;
	p = (char *)ptr - ALLOC_HDR;
	memcpy(&size, p, sizeof size);
	*(size_t *)data -= size;
	free(p);
}

/* ---- cells ---- */

static uint32_t
glyph_char(struct grid *g, const uint32_t *chars)
{
	int n = 0;

	while (n < GRID_COMBO_MAX && chars[n])
		n++;
	if (n == 0)
		return ' ';
	return n == 1 ? chars[0] : grid_combo_intern(g, chars, n);
}

static struct cell
pen_cell(const struct pen *p, uint32_t ch, uint8_t width)
{
	struct cell c = { ch, p->fg, p->bg, p->attr, width, 0 };

	return c;
}

/* ---- VTermState callbacks ---- */

static void
run_flush(struct vt *vt)
{
	if (vt->run_n == 0)
		return;
	grid_put(vt->cur, vt->run_y, vt->run_x, vt->run, vt->run_n);
	vt->run_n = 0;
}

static int __attribute__((noinline))
putglyph_slow(struct vt *vt, VTermGlyphInfo *info, VTermPos pos)
{
	int cols = vt->st.cols, x = pos.col;
	int w = info->width == 2 && x + 1 < cols ? 2 : 1;
	struct cell *c;

	/* libvterm can re-put a combining mark at a stale position */
	if (x < 0 || x >= cols || pos.row < 0 || pos.row >= vt->st.rows)
		return 1;
	if (vt->wrap_pending && x == 0 && pos.row == vt->wrap_row + 1)
		grid_set_wrapped(vt->cur, vt->wrap_row, true);
	if (pos.row != vt->run_y || x != vt->run_x + vt->run_n) {
		run_flush(vt);
		vt->run_y = pos.row;
		vt->run_x = x;
	}
	c = vt->run + vt->run_n;
	c[0] = pen_cell(&vt->pen,
			info->chars[1] ? glyph_char(vt->cur, info->chars) :
					 info->chars[0],
			(uint8_t)w);
	if (w == 2)
		c[1] = pen_cell(&vt->pen, 0, 0);
	vt->run_n += w;
	vt->wrap_pending = true;
	vt->wrap_row = pos.row;
	vt->wrap_col = x + w < cols ? x + w : cols - 1;
	vt->dirty = true;
	return 1;
}

/* Called for every character printed. The common case, one more
 * single-width character right after the run being collected, takes the
 * few lines here; the rest (a new run, wide characters, clusters, the
 * wrap bookkeeping at column 0) goes to putglyph_slow. */
static int
cb_putglyph(VTermGlyphInfo *info, VTermPos pos, void *user)
{
	struct vt *vt = user;
	int x = pos.col;

	if (info->width == 1 && !info->chars[1] && vt->run_n > 0 &&
	    pos.row == vt->run_y && x == vt->run_x + vt->run_n &&
	    x < vt->st.cols) {
		/* x > 0 here: no wrap to record */
		vt->run[vt->run_n++] = pen_cell(&vt->pen, info->chars[0], 1);
		vt->wrap_col = x + 1 < vt->st.cols ? x + 1 : x;
		vt->wrap_pending = true;
		return 1;
	}
	return putglyph_slow(vt, info, pos);
}

static int
cb_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
	struct vt *vt = user;

	(void)oldpos;
	(void)visible; /* VTERM_PROP_CURSORVISIBLE tells the same */
	vt->st.cursor_x = pos.col;
	vt->st.cursor_y = pos.row;
	if (pos.row != vt->wrap_row || pos.col != vt->wrap_col)
		vt->wrap_pending = false;
	vt->dirty = true;
	return 1;
}

static int
cb_scrollrect(VTermRect rect, int downward, int rightward, void *user)
{
	struct vt *vt = user;
	struct grid *g = vt->cur;
	struct cell blank = cell_blank(vt->pen.bg);

	run_flush(vt);
	/* sideways or part of the width: libvterm falls back to moverect
	 * and erase */
	if (rightward || rect.start_col > 0 || rect.end_col < grid_cols(g))
		return 0;
	if (downward > 0)
		grid_scroll_up(g, rect.start_row, rect.end_row, downward,
			       g == vt->main, blank);
	else
		grid_scroll_down(g, rect.start_row, rect.end_row, -downward,
				 blank);
	if (vt->wrap_pending && vt->wrap_row >= rect.start_row &&
	    vt->wrap_row < rect.end_row) {
		vt->wrap_row -= downward;
		if (vt->wrap_row < rect.start_row ||
		    vt->wrap_row >= rect.end_row)
			vt->wrap_pending = false;
	}
	vt->dirty = true;
	return 1;
}

static int
cb_moverect(VTermRect dest, VTermRect src, void *user)
{
	struct vt *vt = user;
	int h = dest.end_row - dest.start_row;
	int w = dest.end_col - dest.start_col;
	bool down = dest.start_row > src.start_row;

	run_flush(vt);
	for (int i = 0; i < h; i++) {
		/* copy away from the overlap */
		int k = down ? h - 1 - i : i;

		grid_copy_cells(vt->cur, dest.start_row + k, dest.start_col,
				src.start_row + k, src.start_col, w);
	}
	vt->dirty = true;
	return 1;
}

static int
cb_erase(VTermRect rect, int selective, void *user)
{
	struct vt *vt = user;
	struct grid *g = vt->cur;
	struct cell blank = cell_blank(vt->pen.bg);

	(void)selective; /* no protected cells are kept */
	run_flush(vt);
	if (rect.start_col <= 0 && rect.end_col >= grid_cols(g))
		grid_clear_rows(g, rect.start_row, rect.end_row, blank);
	else
		for (int y = rect.start_row; y < rect.end_row; y++)
			grid_fill(g, y, rect.start_col, rect.end_col, blank);
	vt->dirty = true;
	return 1;
}

static int
cb_initpen(void *user)
{
	struct vt *vt = user;

	vt->pen.fg = COLOR_DEFAULT;
	vt->pen.bg = COLOR_DEFAULT;
	vt->pen.attr = 0;
	return 1;
}

static uint32_t
colour_of(const VTermColor *c)
{
	if (c->type & VTERM_COLOR_DEFAULT_MASK)
		return COLOR_DEFAULT;
	if (VTERM_COLOR_IS_INDEXED(c))
		return COLOR_INDEX(c->indexed.idx);
	return COLOR_RGB(c->rgb.red, c->rgb.green, c->rgb.blue);
}

static void
pen_flag(struct pen *p, uint16_t flag, bool on)
{
	p->attr = on ? (p->attr | flag) : (p->attr & ~flag);
}

static int
cb_setpenattr(VTermAttr attr, VTermValue *val, void *user)
{
	struct vt *vt = user;
	struct pen *p = &vt->pen;

	switch (attr) {
	case VTERM_ATTR_BOLD:
		pen_flag(p, ATTR_BOLD, val->boolean);
		break;
	case VTERM_ATTR_UNDERLINE:
		p->attr &= ~(ATTR_UNDERLINE | ATTR_DUNDERLINE | ATTR_CURLY);
		if (val->number == VTERM_UNDERLINE_SINGLE)
			p->attr |= ATTR_UNDERLINE;
		else if (val->number == VTERM_UNDERLINE_DOUBLE)
			p->attr |= ATTR_DUNDERLINE;
		else if (val->number == VTERM_UNDERLINE_CURLY)
			p->attr |= ATTR_CURLY;
		break;
	case VTERM_ATTR_ITALIC:
		pen_flag(p, ATTR_ITALIC, val->boolean);
		break;
	case VTERM_ATTR_BLINK:
		pen_flag(p, ATTR_BLINK, val->boolean);
		break;
	case VTERM_ATTR_REVERSE:
		pen_flag(p, ATTR_REVERSE, val->boolean);
		break;
	case VTERM_ATTR_STRIKE:
		pen_flag(p, ATTR_STRIKE, val->boolean);
		break;
	case VTERM_ATTR_FOREGROUND:
		p->fg = colour_of(&val->color);
		break;
	case VTERM_ATTR_BACKGROUND:
		p->bg = colour_of(&val->color);
		break;
	default:
		break;
	}
	return 1;
}

static void
set_mode(struct vt *vt, uint32_t mode, bool on)
{
	uint32_t m = on ? (vt->st.modes | mode) : (vt->st.modes & ~mode);

	if (m != vt->st.modes)
		vt->dirty = true;
	vt->st.modes = m;
}

static void
set_altscreen(struct vt *vt, bool on)
{
	struct grid *to = on ? vt->alt : vt->main;

	set_mode(vt, MODE_ALTSCREEN, on);
	if (to == vt->cur)
		return;
	run_flush(vt);
	if (on) {
		vt->main_cursor_y = vt->st.cursor_y;
		vt->main_resized = false;
		grid_clear_rows(vt->alt, 0, grid_rows(vt->alt),
				cell_blank(COLOR_DEFAULT));
	}
	vt->cur = to;
	vt->wrap_pending = false;
	grid_damage_all(to);
	vt->dirty = true;
}

static void
set_mouse(struct vt *vt, int mouse)
{
	uint32_t bits = 0;

	/* each level reports what the ones below it do */
	if (mouse >= VTERM_PROP_MOUSE_CLICK)
		bits |= MODE_MOUSE_CLICK;
	if (mouse >= VTERM_PROP_MOUSE_DRAG)
		bits |= MODE_MOUSE_DRAG;
	if (mouse >= VTERM_PROP_MOUSE_MOVE)
		bits |= MODE_MOUSE_MOTION;
	set_mode(vt, MODE_MOUSE_CLICK | MODE_MOUSE_DRAG | MODE_MOUSE_MOTION,
		 false);
	set_mode(vt, bits, true);
}

static int
cb_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct vt *vt = user;

	switch (prop) {
	case VTERM_PROP_CURSORVISIBLE:
		vt->st.cursor_visible = val->boolean;
		break;
	case VTERM_PROP_CURSORBLINK:
		set_mode(vt, MODE_CURSOR_BLINK, val->boolean);
		break;
	case VTERM_PROP_ALTSCREEN:
		set_altscreen(vt, val->boolean);
		break;
	case VTERM_PROP_REVERSE:
		set_mode(vt, MODE_REVERSE, val->boolean);
		break;
	case VTERM_PROP_CURSORSHAPE:
		vt->st.cursor_shape = (uint8_t)val->number;
		break;
	case VTERM_PROP_MOUSE:
		set_mouse(vt, val->number);
		break;
	default:
		/* titles come from the scanner, which sees them whole */
		break;
	}
	vt->dirty = true;
	return 1;
}

static int
cb_bell(void *user)
{
	struct vt *vt = user;

	vt->st.bells++;
	vt->dirty = true;
	return 1;
}

/* The main screen while the alternate one is shown: resized around the
 * cursor row it had, which put_back_main_cursor applies when libvterm
 * restores its saved cursor. */
static void
resize_hidden_main(struct vt *vt, int cols, int rows)
{
	vt->main_cursor_y = grid_resize(vt->main, cols, rows, vt->main_cursor_y);
	vt->main_resized = true;
}

static int
cb_resize(int rows, int cols, VTermPos *delta, void *user)
{
	struct vt *vt = user;
	VTermPos pos;
	int y;

	run_flush(vt);
	vterm_state_get_cursorpos(vt->state, &pos);
	y = grid_resize(vt->cur, cols, rows, pos.row);
	delta->row = y - pos.row;
	if (vt->cur == vt->alt)
		resize_hidden_main(vt, cols, rows);
	else
		grid_resize(vt->alt, cols, rows, -1);
	vt->st.cols = (uint16_t)cols;
	vt->st.rows = (uint16_t)rows;
	vt->run = xrealloc(vt->run, (size_t)cols * sizeof *vt->run);
	vt->wrap_pending = false;
	vt->dirty = true;
	return 1;
}

static const VTermStateCallbacks state_callbacks = {
	.putglyph = cb_putglyph,
	.movecursor = cb_movecursor,
	.scrollrect = cb_scrollrect,
	.moverect = cb_moverect,
	.erase = cb_erase,
	.initpen = cb_initpen,
	.setpenattr = cb_setpenattr,
	.settermprop = cb_settermprop,
	.bell = cb_bell,
	.resize = cb_resize,
};

static void
on_output(const char *s, size_t len, void *user)
{
	struct vt *vt = user;

	wbuf_put(&vt->replies, s, len);
}

/* ---- life ---- */

struct vt *
vt_new(int cols, int rows, int history_limit)
{
	struct vt *vt = xcalloc(1, sizeof *vt);

	cols = clamp_dim(cols);
	rows = clamp_dim(rows);
	vt->alloc.malloc = alloc_counted;
	vt->alloc.free = free_counted;
	vt->vterm = vterm_new_with_allocator(rows, cols, &vt->alloc,
					     &vt->vterm_bytes);
	vterm_set_utf8(vt->vterm, 1);
	vterm_output_set_callback(vt->vterm, on_output, vt);
	vt->state = vterm_obtain_state(vt->vterm);
	vterm_state_set_callbacks(vt->state, &state_callbacks, vt);
	vt->main = grid_new(cols, rows, history_limit);
	vt->alt = grid_new(cols, rows, 0);
	vt->cur = vt->main;
	vt->st.cols = (uint16_t)cols;
	vt->st.rows = (uint16_t)rows;
	vt->run = xmalloc((size_t)cols * sizeof *vt->run);
	vt->st.cursor_visible = true;
	vt->st.cursor_shape = VTERM_PROP_CURSORSHAPE_BLOCK;
	wbuf_init(&vt->replies);
	vterm_state_reset(vt->state, 1);
	vt->fast_text = true;
	vt->text_clean = true;
	vt->dirty = true;
	return vt;
}

void
vt_free(struct vt *vt)
{
	if (!vt)
		return;
	vterm_free(vt->vterm);
	grid_free(vt->main);
	grid_free(vt->alt);
	free(vt->run);
	wbuf_free(&vt->replies);
	free(vt);
}

void
vt_resize(struct vt *vt, int cols, int rows)
{
	cols = clamp_dim(cols);
	rows = clamp_dim(rows);
	if (cols == grid_cols(vt->cur) && rows == grid_rows(vt->cur))
		return;
	/* libvterm calls cb_resize, which resizes the grids */
	vterm_set_size(vt->vterm, rows, cols);
}

struct wbuf *
vt_replies(struct vt *vt)
{
	return &vt->replies;
}

bool
vt_dirty(const struct vt *vt)
{
	return vt->dirty || grid_any_damage(vt->cur);
}

void
vt_encode_update(struct vt *vt, bool full, struct wbuf *payload)
{
	vt->st.cols = (uint16_t)grid_cols(vt->cur);
	vt->st.rows = (uint16_t)grid_rows(vt->cur);
	update_encode(vt->cur, &vt->st, full, payload);
	vt->dirty = false;
}

const struct pane_state *
vt_state(const struct vt *vt)
{
	return &vt->st;
}

struct grid *
vt_grid(struct vt *vt)
{
	return vt->cur;
}

size_t
vt_memory(const struct vt *vt)
{
	return sizeof *vt + vt->vterm_bytes + vt->replies.cap +
	       (size_t)vt->st.cols * sizeof *vt->run +
	       grid_memory(vt->main) + grid_memory(vt->alt);
}

/* ---- the scanner's events ---- */

static void
parse_csi(const struct scanner *s, struct csi *c)
{
	size_t i = 0;
	long v = -1;

	memset(c, 0, sizeof *c);
	c->final = s->csi_final;
	if (s->csi_len > 0 && s->csi[0] >= '<' && s->csi[0] <= '?')
		c->leader = s->csi[i++];
	for (; i < s->csi_len; i++) {
		char ch = s->csi[i];

		if (ch >= '0' && ch <= '9') {
			v = (v < 0 ? 0 : v) * 10 + (ch - '0');
			if (v > 65535)
				v = 65535;
		} else if (ch == ';' || ch == ':') {
			if (c->n < CSI_ARGS) {
				c->more[c->n] = ch == ':';
				c->args[c->n++] = v;
			}
			v = -1;
		} else if (ch >= 0x20 && ch <= 0x2f) {
			c->inter = ch;
		} else {
			c->final = 0; /* a private marker in the middle */
		}
	}
	if (c->n < CSI_ARGS)
		c->args[c->n++] = v;
}

/* Leaving the alternate screen after a resize: libvterm restored the
 * cursor row it saved, clamped, but the main screen's rows may have moved
 * to or from history since; a relative move fixes the row (it ignores
 * origin mode, unlike CUP). */
static void
put_back_main_cursor(struct vt *vt)
{
	VTermPos pos;
	char seq[32];
	int d, n;

	if (!vt->main_resized)
		return;
	vt->main_resized = false;
	vterm_state_get_cursorpos(vt->state, &pos);
	d = vt->main_cursor_y - pos.row;
	if (d == 0)
		return;
	n = snprintf(seq, sizeof seq, "\033[%d%c", d > 0 ? d : -d,
		     d > 0 ? 'B' : 'A');
	vterm_input_write(vt->vterm, seq, (size_t)n);
}

/* A cursor save (on) or restore: origin mode goes with the cursor. */
static void
cursor_saved(struct vt *vt, bool save)
{
	if (save)
		vt->saved_origin = vt->origin;
	else
		vt->origin = vt->origin || vt->saved_origin;
}

static void
dec_mode(struct vt *vt, long mode, bool on)
{
	switch (mode) {
	case 1:
		set_mode(vt, MODE_APP_CURSOR, on);
		break;
	case 1004:
		set_mode(vt, MODE_FOCUS_EVENTS, on);
		break;
	case 1006:
		set_mode(vt, MODE_MOUSE_SGR, on);
		break;
	case 2004:
		set_mode(vt, MODE_BRACKETED_PASTE, on);
		break;
	case 69:
		vt->lr_margins = on;
		break;
	case 6:
		vt->origin = on;
		break;
	case 1048:
	case 1049:
		/* libvterm saves and restores the rest of the pen */
		if (on)
			vt->saved_extra = vt->pen.attr & EXTRA_ATTRS;
		else
			vt->pen.attr = (vt->pen.attr & ~EXTRA_ATTRS) |
				       vt->saved_extra;
		cursor_saved(vt, on);
		if (!on && mode == 1049)
			put_back_main_cursor(vt);
		break;
	default:
		break;
	}
}

/* SGR parameters libvterm ignores; it has already applied the others. */
static void
sgr_extras(struct vt *vt, const struct csi *c)
{
	for (int i = 0; i < c->n; i++) {
		long v = c->args[i] < 0 ? 0 : c->args[i];

		if (v == 0)
			vt->pen.attr &= ~EXTRA_ATTRS;
		else if (v == 2 || v == 22)
			pen_flag(&vt->pen, ATTR_DIM, v == 2);
		else if (v == 8 || v == 28)
			pen_flag(&vt->pen, ATTR_CONCEAL, v == 8);
		else if (v == 53 || v == 55)
			pen_flag(&vt->pen, ATTR_OVERLINE, v == 53);
		else if ((v == 38 || v == 48 || v == 58) && !c->more[i] &&
			 i + 1 < c->n)
			/* 38;5;n and 38;2;r;g;b: skip the colour's numbers */
			i += c->args[i + 1] == 5 ? 2 :
			     c->args[i + 1] == 2 ? 4 : 0;
		/* 4:3 and 38:2:r:g:b: skip the sub-parameters */
		while (i < c->n && c->more[i])
			i++;
	}
}

static void
apply_csi(struct vt *vt)
{
	struct csi c;

	parse_csi(&vt->scan, &c);
	if (c.final == 0)
		return;
	if (c.leader == '?' && !c.inter && (c.final == 'h' || c.final == 'l'))
		for (int i = 0; i < c.n; i++)
			dec_mode(vt, c.args[i], c.final == 'h');
	if (c.leader)
		return;
	if (c.inter == '!' && c.final == 'p') /* DECSTR */
		set_mode(vt, MODE_APP_CURSOR | MODE_APP_KEYPAD, false);
	if (c.inter)
		return;
	if (c.final == 'h' || c.final == 'l') {
		for (int i = 0; i < c.n; i++)
			if (c.args[i] == 4)
				vt->insert_mode = c.final == 'h';
	}
	if (c.final == 's' || c.final == 'u') /* SCOSC, SCORC */
		cursor_saved(vt, c.final == 's');
	if (c.final == 'm') {
		sgr_extras(vt, &c);
	} else if (c.final == 'J' && c.args[0] == 3) {
		/* ED 3, as `clear` sends: forget the scrollback */
		grid_history_clear(vt->main);
		vt->dirty = true;
	}
}

static bool
is_utf8_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static void
set_title(struct vt *vt, const char *s, size_t n)
{
	size_t len = 0, cap = sizeof vt->st.title - 1;
	size_t i;

	for (i = 0; i < n && len < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != 0x7f)
			vt->st.title[len++] = (char)c;
	}
	/* cut whole characters only */
	if (i < n && is_utf8_cont(s[i]))
		while (len > 0 && is_utf8_cont(vt->st.title[--len]))
			;
	vt->st.title[len] = '\0';
	vt->dirty = true;
}

static int
hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* OSC 7: file://host/path, percent-encoded; a bare path is taken too. */
static void
set_cwd(struct vt *vt, const char *s, size_t n)
{
	char path[sizeof vt->st.cwd];
	const char *end = s + n;
	size_t len = 0;

	if (n >= 7 && memcmp(s, "file://", 7) == 0) {
		s = memchr(s + 7, '/', n - 7);
		if (!s)
			return;
	}
	if (s == end || *s != '/')
		return;
	for (; s < end; s++) {
		char c = *s;

		if (c == '%' && end - s >= 3 && hex_val(s[1]) >= 0 &&
		    hex_val(s[2]) >= 0) {
			c = (char)(hex_val(s[1]) << 4 | hex_val(s[2]));
			s += 2;
		}
		/* a path cut short would be a different directory */
		if (c == '\0' || len + 1 >= sizeof path)
			return;
		path[len++] = c;
	}
	path[len] = '\0';
	memcpy(vt->st.cwd, path, len + 1);
	vt->dirty = true;
}

static void
apply_osc(struct vt *vt)
{
	const char *s = vt->scan.osc;
	size_t n = vt->scan.osc_len, i = 0;
	long num = 0;

	if (vt->scan.osc_long)
		return;
	while (i < n && s[i] >= '0' && s[i] <= '9' && num < 1000)
		num = num * 10 + (s[i++] - '0');
	if (i == 0 || i >= n || s[i] != ';')
		return;
	i++;
	if (num == 0 || num == 2)
		set_title(vt, s + i, n - i);
	else if (num == 7)
		set_cwd(vt, s + i, n - i);
}

/* After ESC c: libvterm has reset its state but says nothing of the
 * alternate screen or the mouse. */
static void
apply_ris(struct vt *vt)
{
	set_altscreen(vt, false);
	grid_clear_rows(vt->main, 0, grid_rows(vt->main),
			cell_blank(COLOR_DEFAULT));
	set_mode(vt,
		 MODE_APP_CURSOR | MODE_APP_KEYPAD | MODE_BRACKETED_PASTE |
			 MODE_MOUSE_CLICK | MODE_MOUSE_DRAG |
			 MODE_MOUSE_MOTION | MODE_MOUSE_SGR | MODE_ALTSCREEN |
			 MODE_FOCUS_EVENTS | MODE_REVERSE,
		 false);
	vt->saved_extra = 0;
	vt->pen.attr &= ~EXTRA_ATTRS;
	vt->main_resized = false;
	vt->insert_mode = vt->lr_margins = false;
	vt->g0_special = vt->shifted = vt->fast_blocked = false;
	vt->origin = vt->saved_origin = false;
	/* what was blocked did not follow the text bytes */
	vt->text_clean = false;
}

static void
apply_event(struct vt *vt, enum scan_event ev)
{
	run_flush(vt);
	switch (ev) {
	case EV_CSI:
		apply_csi(vt);
		break;
	case EV_OSC:
		apply_osc(vt);
		break;
	case EV_KEYPAD_ON:
	case EV_KEYPAD_OFF:
		set_mode(vt, MODE_APP_KEYPAD, ev == EV_KEYPAD_ON);
		break;
	case EV_RIS:
		apply_ris(vt);
		break;
	case EV_SAVE:
		vt->saved_extra = vt->pen.attr & EXTRA_ATTRS;
		cursor_saved(vt, true);
		break;
	case EV_RESTORE:
		vt->pen.attr =
			(vt->pen.attr & ~EXTRA_ATTRS) | vt->saved_extra;
		cursor_saved(vt, false);
		break;
	case EV_ESC_INTER:
		if (vt->scan.esc_inter == '(')
			vt->g0_special = vt->scan.esc_final != 'B';
		else if (vt->scan.esc_inter == '#')
			vt->fast_blocked = true; /* DECDWL and friends */
		break;
	case EV_SINGLE_SHIFT:
		vt->fast_blocked = true;
		break;
	case EV_LOCK_SHIFT:
		vt->shifted = true;
		break;
	default:
		break;
	}
}

/* ---- the scanner ---- */

static bool
is_cancel(unsigned char c)
{
	return c == 0x18 || c == 0x1a; /* CAN, SUB */
}

static enum scan_event
scan_esc(struct scanner *s, unsigned char c)
{
	switch (c) {
	case '[':
		s->state = SC_CSI;
		s->csi_len = 0;
		s->csi_long = false;
		return EV_NONE;
	case ']':
		s->state = SC_STR;
		s->in_osc = true;
		s->osc_len = 0;
		s->osc_long = false;
		return EV_NONE;
	case 'P':
	case 'X':
	case '^':
	case '_':
		s->state = SC_STR;
		s->in_osc = false;
		return EV_NONE;
	case 0x1b:
		return EV_NONE;
	}
	if (is_cancel(c)) {
		s->state = SC_GROUND;
		return EV_NONE;
	}
	if (c < 0x20)
		return EV_NONE; /* a control inside a sequence is executed */
	if (c < 0x30) {
		s->state = SC_ESC_INTER;
		s->esc_inter = (char)c;
		return EV_NONE;
	}
	s->state = SC_GROUND;
	switch (c) {
	case 'N': /* SS2 */
	case 'O': /* SS3 */
		return EV_SINGLE_SHIFT;
	case 'n': /* LS2 */
	case 'o': /* LS3 */
	case '|': /* LS3R */
	case '}': /* LS2R */
	case '~': /* LS1R */
		return EV_LOCK_SHIFT;
	case '=':
		return EV_KEYPAD_ON;
	case '>':
		return EV_KEYPAD_OFF;
	case 'c':
		return EV_RIS;
	case '7':
		return EV_SAVE;
	case '8':
		return EV_RESTORE;
	default:
		return EV_NONE;
	}
}

static enum scan_event
scan_csi(struct scanner *s, unsigned char c)
{
	if (c >= 0x40 && c <= 0x7e) {
		s->state = SC_GROUND;
		s->csi_final = (char)c;
		return s->csi_long ? EV_NONE : EV_CSI;
	}
	if (c == 0x1b)
		s->state = SC_ESC;
	else if (is_cancel(c))
		s->state = SC_GROUND;
	else if (c >= 0x20 && c <= 0x3f && s->csi_len < CSI_MAX)
		s->csi[s->csi_len++] = (char)c;
	else if (c >= 0x20)
		s->csi_long = true;
	return EV_NONE;
}

static enum scan_event
scan_str(struct scanner *s, unsigned char c)
{
	if (c == 0x07) {
		s->state = SC_GROUND;
		return s->in_osc ? EV_OSC : EV_NONE;
	}
	if (c == 0x1b) {
		s->state = SC_STR_ESC;
	} else if (is_cancel(c)) {
		s->state = SC_GROUND;
	} else if (s->in_osc) {
		if (s->osc_len < OSC_MAX)
			s->osc[s->osc_len++] = (char)c;
		else
			s->osc_long = true;
	}
	return EV_NONE;
}

/* One byte outside the ground state. *again is set when the byte must be
 * looked at once more in the new state. */
static enum scan_event
scan_byte(struct scanner *s, unsigned char c, bool *again)
{
	*again = false;
	switch (s->state) {
	case SC_ESC:
		return scan_esc(s, c);
	case SC_ESC_INTER:
		if (c == 0x1b) {
			s->state = SC_ESC;
		} else if (is_cancel(c)) {
			s->state = SC_GROUND;
		} else if (c >= 0x30 && c <= 0x7e) {
			s->state = SC_GROUND;
			s->esc_final = (char)c;
			return EV_ESC_INTER;
		}
		return EV_NONE;
	case SC_CSI:
		return scan_csi(s, c);
	case SC_STR:
		return scan_str(s, c);
	case SC_STR_ESC:
		/* ST ends the string; any other escape ends it too */
		s->state = SC_GROUND;
		if (c != '\\') {
			s->state = SC_ESC;
			*again = true;
		}
		return s->in_osc ? EV_OSC : EV_NONE;
	default:
		s->state = SC_GROUND;
		return EV_NONE;
	}
}

static void
feed(struct vt *vt, const char *p, size_t n)
{
	if (n > 0)
		vterm_input_write(vt->vterm, p, n);
}

/* Length of the UTF-8 character a lead byte starts, 0 for a byte that
 * starts none. */
static int
utf8_len(unsigned char c)
{
	return c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
	       c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

/* How many bytes at the end of p[0..n) begin a UTF-8 character that the
 * next read completes (0 when the last character is whole). */
static size_t
utf8_cut_tail(const char *p, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = (unsigned char)p[n - k];
		size_t need;

		if ((c & 0xc0) == 0x80)
			continue; /* a continuation byte: look further back */
		need = (size_t)utf8_len(c);
		return need > k ? k : 0;
	}
	return 0;
}

static bool
printable_ascii(unsigned char c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* Puts up to k-1 characters of a run of printable ASCII at libvterm's
 * cursor, as libvterm itself would, and moves libvterm's cursor past
 * them. Returns how many it put (0: none, libvterm prints the run). */
static size_t
text_fast(struct vt *vt, const char *s, size_t k)
{
	VTermPos pos;
	char seq[16];
	int m, n;

	vterm_state_get_cursorpos(vt->state, &pos);
	/* The run's last character stays for libvterm, and what is put here
	 * ends before the last column: no wrap, no pending wrap. */
	m = k - 1 > (size_t)vt->st.cols ? vt->st.cols : (int)(k - 1);
	if (m > vt->st.cols - 1 - pos.col)
		m = vt->st.cols - 1 - pos.col;
	if (m < FAST_MIN)
		return 0;
	for (int t = 0; t < m; t++) {
		uint32_t chars[2] = { (unsigned char)s[t], 0 };
		VTermGlyphInfo info = { .chars = chars, .width = 1 };

		cb_putglyph(&info, (VTermPos){ pos.row, pos.col + t }, vt);
	}
	n = snprintf(seq, sizeof seq, "\033[%dC", m);
	vterm_input_write(vt->vterm, seq, (size_t)n);
	vt->fast_chars += (size_t)m;
	return (size_t)m;
}

/* Steps over the UTF-8 character at buf[i] (or the rest of the one the
 * last call left open); anything but a well-formed character turns the
 * fast path off for good. Returns the index after it. */
static size_t
utf8_skip(struct vt *vt, const char *buf, size_t i, size_t to)
{
	int need = vt->utf8_need;

	if (need == 0) {
		need = utf8_len((unsigned char)buf[i]) - 1;
		if (need < 0) {
			vt->fast_off = true;
			return i + 1;
		}
		i++;
	}
	for (; need > 0 && i < to; need--, i++) {
		if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			vt->fast_off = true; /* a character cut short */
			return i;
		}
	}
	vt->utf8_need = need; /* the rest comes with the next read */
	return i;
}

/* The ground-state bytes buf[from..to): runs of plain text go to
 * text_fast (what precedes a run goes to libvterm first), and SO and SI
 * are followed. */
static void
text_runs(struct vt *vt, const char *buf, size_t from, size_t to,
	  size_t *done)
{
	size_t i = from;

	while (i < to && !vt->fast_off) {
		unsigned char c = (unsigned char)buf[i];
		size_t j;

		if (c >= 0x80 || vt->utf8_need > 0) {
			if (vt->utf8_need > 0 && (c & 0xc0) != 0x80) {
				vt->fast_off = true; /* a character cut short */
				break;
			}
			vt->text_clean = false;
			i = utf8_skip(vt, buf, i, to);
			continue;
		}
		if (!printable_ascii(c)) {
			if (c == 0x0e)
				vt->shifted = true;
			else if (c == 0x0f)
				vt->shifted = false;
			i++;
			continue;
		}
		for (j = i + 1; j < to && printable_ascii((unsigned char)buf[j]);
		     j++)
			;
		if (j - i > FAST_MIN && vt->text_clean && !vt->insert_mode &&
		    !vt->lr_margins && !vt->g0_special && !vt->shifted &&
		    !vt->origin) {
			feed(vt, buf + *done, i - *done);
			*done = i + text_fast(vt, buf + i, j - i);
		}
		/* ASCII through G0 clears the UTF-8 decoder; through a
		 * shifted or designated set it may not */
		if (!vt->shifted && !vt->g0_special)
			vt->text_clean = true;
		i = j;
	}
}

void
vt_input(struct vt *vt, const char *buf, size_t len)
{
	size_t done = 0, i = 0;

	while (i < len) {
		enum scan_event ev;
		bool again;

		if (vt->scan.state == SC_GROUND) {
			const char *esc = memchr(buf + i, 0x1b, len - i);
			size_t end = esc ? (size_t)(esc - buf) : len;

			if (vt->fast_text && !vt->fast_blocked && !vt->fast_off) {
				text_runs(vt, buf, i, end, &done);
				/* an escape inside a character breaks it */
				if (esc && vt->utf8_need > 0)
					vt->fast_off = true;
			}
			if (!esc)
				break;
			i = end + 1;
			vt->scan.state = SC_ESC;
			continue;
		}
		ev = scan_byte(&vt->scan, (unsigned char)buf[i], &again);
		if (!again)
			i++;
		if (ev == EV_NONE)
			continue;
		feed(vt, buf + done, i - done);
		done = i;
		apply_event(vt, ev);
	}
	/* libvterm 0.1.4 prints U+FFFD for a UTF-8 character cut by the end
	 * of a write that holds text before it, but completes one whose
	 * first bytes came alone: a read that ends inside a character hands
	 * them over on their own. */
	{
		size_t tail = utf8_cut_tail(buf + done, len - done);

		feed(vt, buf + done, len - done - tail);
		feed(vt, buf + len - tail, tail);
	}
	run_flush(vt);
}

void
vt_set_fast_text(struct vt *vt, bool on)
{
	vt->fast_text = on;
}

size_t
vt_fast_text_chars(const struct vt *vt)
{
	return vt->fast_chars;
}
