/*
 * input — what the user's keys and mouse do: a binding runs its action
 * (locally, or in ses by name), the prefix chord arms the prefix table,
 * everything else reaches the focused pane re-encoded for its modes.
 * Mouse: a pane that asked for the mouse gets it (in its own coordinates);
 * otherwise a click focuses, a drag on a border resizes, the wheel scrolls
 * the pane's history.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "mux/mux_int.h"

#define WHEEL_LINES 3

struct layout_pane *
mux_pane_at(struct mux *m, int x, int y, int *px, int *py)
{
	int top = mux_area_top(m);

	if (!m->have_layout)
		return NULL;
	y -= top;
	/* Floats are on top: the last drawn wins. */
	for (int i = m->layout.npanes - 1; i >= 0; i--) {
		struct layout_pane *lp = &m->layout.panes[i];
		int off = (lp->flags & LAYOUT_FLOAT) ? 1 : 0;

		if (x < lp->x || y < lp->y || x >= lp->x + lp->w ||
		    y >= lp->y + lp->h)
			continue;
		if (off && (x == lp->x || y == lp->y || x == lp->x + lp->w - 1 ||
			    y == lp->y + lp->h - 1))
			return NULL; /* the frame */
		*px = x - lp->x - off;
		*py = y - lp->y - off;
		return lp;
	}
	return NULL;
}

static bool
pane_wants_mouse(const struct mux_pane *p)
{
	return p && (p->st.modes & (MODE_MOUSE_CLICK | MODE_MOUSE_DRAG |
				    MODE_MOUSE_MOTION));
}

/* SGR mouse report in the pane's own coordinates. */
static void
forward_mouse(struct mux *m, struct mux_pane *p, const struct input_event *ev,
	      int px, int py)
{
	char buf[64];
	int b = ev->button, n;

	if (ev->motion && !(p->st.modes & (MODE_MOUSE_DRAG | MODE_MOUSE_MOTION)))
		return;
	if (b >= 4 && b <= 7)
		b = 64 + (b - 4);
	else if (b >= 8)
		b = 128 + (b - 8);
	if (ev->mods & KEY_MOD_SHIFT)
		b |= 4;
	if (ev->mods & KEY_MOD_ALT)
		b |= 8;
	if (ev->mods & KEY_MOD_CTRL)
		b |= 16;
	if (ev->motion)
		b |= 32;
	if (p->st.modes & MODE_MOUSE_SGR) {
		n = snprintf(buf, sizeof buf, "\x1b[<%d;%d;%d%c", b, px + 1,
			     py + 1, ev->release ? 'm' : 'M');
	} else {
		/* X10 encoding: only up to column 223. */
		if (px > 222 || py > 222)
			return;
		n = snprintf(buf, sizeof buf, "\x1b[M%c%c%c",
			     32 + (ev->release ? 3 : b), 33 + px, 33 + py);
	}
	mux_send_input(m, p->id, buf, (size_t)n);
}

static bool
is_border(struct mux *m, int x, int y)
{
	int px, py;

	return y >= mux_area_top(m) && y < mux_area_top(m) + mux_area_rows(m) &&
	       x < m->layout.cols && !mux_pane_at(m, x, y, &px, &py);
}

static void
on_mouse(struct mux *m, const struct input_event *ev)
{
	int px = 0, py = 0;
	struct layout_pane *lp = mux_pane_at(m, ev->x, ev->y, &px, &py);
	struct mux_pane *p = lp ? mux_pane_find(m, lp->id) : NULL;
	char arg[64];

	if (m->dragging) {
		if (ev->release) {
			m->dragging = false;
			return;
		}
		if (!ev->motion)
			return;
		snprintf(arg, sizeof arg, "%d %d %d %d", m->drag_x,
			 m->drag_y - mux_area_top(m), ev->x,
			 ev->y - mux_area_top(m));
		mux_send_action(m, "border.drag", arg);
		if (m->drag_vertical)
			m->drag_x = ev->x;
		else
			m->drag_y = ev->y;
		return;
	}
	if (p && pane_wants_mouse(p) && !p->sv.on) {
		if (!ev->motion && !ev->release && !(lp->flags & LAYOUT_FOCUSED)) {
			snprintf(arg, sizeof arg, "%u", lp->id);
			mux_send_action(m, "pane.focus", arg);
		}
		forward_mouse(m, p, ev, px, py);
		return;
	}
	if (ev->button == 4 || ev->button == 5) {
		if (p && !ev->release)
			scrollview_move(m, p, ev->button == 4 ? -WHEEL_LINES
							      : WHEEL_LINES);
		return;
	}
	if (ev->button != 0 || ev->release || ev->motion)
		return;
	if (lp) {
		if (!(lp->flags & LAYOUT_FOCUSED)) {
			snprintf(arg, sizeof arg, "%u", lp->id);
			mux_send_action(m, "pane.focus", arg);
		}
		return;
	}
	if (is_border(m, ev->x, ev->y)) {
		m->dragging = true;
		m->drag_x = ev->x;
		m->drag_y = ev->y;
		/* A vertical border has panes left and right of it. */
		m->drag_vertical = ev->x > 0 && !is_border(m, ev->x - 1, ev->y);
	}
}

/* Actions the mux does itself; the rest go to ses by name. */
static void
run_request(struct mux *m, const struct action_req *r)
{
	const struct action_def *d = action_get(r->action);
	struct mux_pane *fp = mux_focused_pane(m);
	struct wbuf b;

	switch (r->action) {
	case ACTION_DETACH:
		wbuf_init(&b);
		msg_empty_encode(&b, MSG_DETACH, 0);
		mux_send(m, &b);
		wbuf_free(&b);
		return;
	case ACTION_REDRAW:
		render_invalidate(m->r);
		mux_schedule_redraw(m);
		return;
	case ACTION_HELP:
		m->help = true;
		mux_schedule_redraw(m);
		return;
	case ACTION_SCROLL_PAGE_UP:
	case ACTION_SCROLL_PAGE_DOWN:
		if (fp) {
			int page = grid_rows(fp->g);

			scrollview_move(m, fp, r->action == ACTION_SCROLL_PAGE_UP
						       ? -page : page);
		}
		return;
	case ACTION_TAB_RENAME:
		m->prompt = PROMPT_TAB_RENAME;
		m->prompt_buf[0] = '\0';
		mux_schedule_redraw(m);
		return;
	case ACTION_RELOAD:
		/* The mux's keys and options, then the daemon's settings. */
		if (mux_config_load(m, false) == 0) {
			mux_send_action(m, "reload", "");
			mux_status_message(m, "config reloaded");
		}
		render_invalidate(m->r);
		return;
	case ACTION_COPY_MODE:
		mux_status_message(m, "%s: not available yet", d ? d->name : "?");
		return;
	case ACTION_NONE:
	case ACTION_LUA:
	case ACTION_COUNT:
		return;
	default:
		break;
	}
	if (d)
		mux_send_action(m, d->name, r->arg);
}

/* A Lua function runs in the config's state, bounded in time, and may
 * ask for actions with hexe.mux.run; an error is shown, never fatal. */
static void
run_binding(struct mux *m, const struct binding *b)
{
	struct action_req out[CONFIG_RUN_MAX];
	char err[600];
	int n;

	if (b->req.action != ACTION_LUA) {
		run_request(m, &b->req);
		return;
	}
	n = config_lua_call(&m->config, b, &m->log, out, CONFIG_RUN_MAX, err,
			    sizeof err);
	if (n < 0) {
		mux_status_message(m, "%s", err);
		return;
	}
	for (int i = 0; i < n; i++)
		run_request(m, &out[i]);
}

static void
prompt_key(struct mux *m, const struct input_event *ev)
{
	size_t n = strlen(m->prompt_buf);

	if (ev->key == KEY_ENTER) {
		mux_send_action(m, "tab.rename", m->prompt_buf);
		m->prompt = PROMPT_NONE;
	} else if (ev->key == KEY_ESCAPE || (ev->key == 'c' &&
					     (ev->mods & KEY_MOD_CTRL))) {
		m->prompt = PROMPT_NONE;
	} else if (ev->key == KEY_BACKSPACE) {
		/* Drop one UTF-8 character. */
		while (n > 0 && ((unsigned char)m->prompt_buf[--n] & 0xc0) == 0x80)
			;
		m->prompt_buf[n] = '\0';
	} else if (ev->key >= ' ' && ev->key < 0x110000 && !ev->mods &&
		   n + ev->rawlen < sizeof m->prompt_buf) {
		memcpy(m->prompt_buf + n, ev->raw, ev->rawlen);
		m->prompt_buf[n + ev->rawlen] = '\0';
	}
	mux_schedule_redraw(m);
}

/* Answers to our start-up queries (kitty keyboard flags, DA1). */
static bool
query_reply(struct mux *m, const struct input_event *ev)
{
	const char *r = ev->raw;
	size_t n = ev->rawlen;

	if (n < 4 || r[0] != '\x1b' || r[1] != '[' || r[2] != '?')
		return false;
	if (r[n - 1] == 'u') {
		m->kitty = true;
		return true;
	}
	if (r[n - 1] == 'c') {
		/* DA1 comes after every other answer: the query is over. */
		mux_query_done(m);
		return true;
	}
	return false;
}

static void
on_key(struct mux *m, const struct input_event *ev)
{
	struct mux_pane *fp = mux_focused_pane(m);
	uint32_t modes = fp ? fp->st.modes : 0;
	const struct binding *b;
	char buf[64];
	size_t n;

	if (ev->release)
		return;
	if (m->help) {
		m->help = false;
		mux_schedule_redraw(m);
		return;
	}
	if (m->prompt) {
		prompt_key(m, ev);
		return;
	}
	if (m->prefix_armed) {
		m->prefix_armed = false;
		if ((b = keymap_match_prefixed(&m->km, ev))) {
			run_binding(m, b);
			return;
		}
	} else if (keymap_is_prefix(&m->km, ev)) {
		m->prefix_armed = true;
		return;
	}
	if ((b = keymap_match(&m->km, ev))) {
		run_binding(m, b);
		return;
	}
	/* Any typed key returns a scrolled pane to the bottom. */
	if (fp && fp->sv.on)
		scrollview_stop(m, fp);
	if (!fp)
		return;
	if (key_event_encode(ev, modes & MODE_APP_CURSOR, buf, sizeof buf, &n) == 0)
		mux_send_input(m, MUX_FOCUSED, buf, n);
	else
		mux_send_input(m, MUX_FOCUSED, ev->raw, ev->rawlen);
}

void
mux_on_input(const struct input_event *ev, void *arg)
{
	struct mux *m = arg;
	struct mux_pane *fp = mux_focused_pane(m);
	uint32_t modes = fp ? fp->st.modes : 0;

	switch (ev->type) {
	case INPUT_PASTE_START:
		m->in_paste = true;
		if (fp && fp->sv.on)
			scrollview_stop(m, fp);
		if (fp && (modes & MODE_BRACKETED_PASTE))
			mux_send_input(m, MUX_FOCUSED, "\x1b[200~", 6);
		return;
	case INPUT_PASTE_END:
		m->in_paste = false;
		if (fp && (modes & MODE_BRACKETED_PASTE))
			mux_send_input(m, MUX_FOCUSED, "\x1b[201~", 6);
		return;
	case INPUT_RAW:
		if (!m->in_paste && query_reply(m, ev))
			return;
		if (fp)
			mux_send_input(m, MUX_FOCUSED, ev->raw, ev->rawlen);
		return;
	case INPUT_FOCUS_IN:
	case INPUT_FOCUS_OUT:
		if (fp && (modes & MODE_FOCUS_EVENTS))
			mux_send_input(m, MUX_FOCUSED, ev->raw, ev->rawlen);
		return;
	case INPUT_MOUSE:
		on_mouse(m, ev);
		return;
	case INPUT_KEY:
		on_key(m, ev);
		return;
	}
}
