/*
 * mux_int — the attached client's state, shared by its files: mux.c (the
 * loop, the daemon connection, life and death), draw.c (composing the
 * screen), input.c (keys, mouse, paste, bindings) and scrollview.c (a
 * pane's history on screen). Nothing outside src/mux/ includes this.
 */
#ifndef HEXE_MUX_INT_H
#define HEXE_MUX_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "core/conn.h"
#include "core/grid.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/proto.h"
#include "core/update.h"
#include "lua/config.h"
#include "mux/keymap.h"
#include "mux/keys.h"
#include "mux/mux.h"
#include "mux/tty.h"
#include "render/render.h"
#include "render/term.h"

#define MUX_MAX_PANES 128
#define MUX_QUERY_TIMEOUT_MS 100

/* The history shown instead of a pane's live screen. */
struct scrollview {
	bool on;
	bool waiting;        /* a SCROLLBACK_READ is out */
	int top;             /* history line at the pane's top row */
	int hist_len;        /* history lines the pod holds (last answer) */
	struct grid *cache;  /* rows [cache_first, cache_first + cache_n) */
	int cache_first, cache_n;
	int want_top;        /* asked for while waiting */
	int start_lines;     /* how far up the view started */
};

struct chan;

struct mux_pane {
	uint16_t id;
	struct chan *ch; /* its direct connection to the pod (channel.c) */
	struct grid *g;
	struct pane_state st;
	bool have;
	struct scrollview sv;
};

enum prompt_kind {
	PROMPT_NONE = 0,
	PROMPT_TAB_RENAME,
};

struct mux {
	uv_loop_t *loop;
	const struct paths *paths;
	struct hlog log;
	struct tty tty;
	struct term_caps *caps;
	struct render *r;
	int cols, rows;

	uv_poll_t in_poll;
	uv_poll_t out_poll;
	bool out_polling;
	struct wbuf out;

	struct conn ses;
	bool ses_open;
	/* channel.c: panes are read from their pods when ses speaks
	 * protocol 2; input waits in `held` while `syncs` actions are out */
	bool direct;
	uv_timer_t chan_timer;
	int syncs;
	uint64_t sync_give_up;
	struct wbuf held;
	struct input_decoder dec;
	uv_timer_t esc_timer;
	uv_timer_t query_timer;
	uv_timer_t clock_timer;
	uv_idle_t redraw_idle;
	bool redraw_wanted;
	bool querying;
	bool kitty;
	bool in_paste;

	struct hexe_config config;
	struct keymap km; /* the config's, with Lua functions in its state */
	bool prefix_armed;
	bool mouse;
	int esc_timeout;
	bool status_top;
	bool status_on;
	char status_msg[256]; /* an error or warning for the status bar */
	uint64_t status_msg_until;

	bool help;          /* the help overlay is shown */
	enum prompt_kind prompt;
	char prompt_buf[64];

	/* a border being dragged with the mouse */
	bool dragging;
	int drag_x, drag_y;
	bool drag_vertical;

	struct msg_layout layout;
	bool have_layout;
	struct mux_pane *panes; /* grown as the layout needs, never shrunk */
	int npanes, cap_panes;
	struct grid *view; /* scratch for scrolled panes */

	uv_signal_t sig_winch, sig_hup, sig_term;
	const struct mux_start *start;
	char session[80];
	char exit_msg[200];
	int exit_status;
	bool quitting;
};

/* mux.c */
void mux_quit(struct mux *m, const char *msg, int status);
void mux_schedule_redraw(struct mux *m);
void mux_query_done(struct mux *m);
void mux_send(struct mux *m, struct wbuf *b);
/* Input for pane MUX_FOCUSED goes to the focus of the latest LAYOUT, once
 * every action sent before it is done: keys typed right after a click or a
 * split follow the new focus. */
#define MUX_FOCUSED 0
void mux_send_input(struct mux *m, uint16_t pane, const char *p, size_t n);
void mux_send_action(struct mux *m, const char *name, const char *arg);
void mux_status_message(struct mux *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct mux_pane *mux_pane_find(struct mux *m, uint16_t id);
struct layout_pane *mux_focused_layout(struct mux *m);
struct mux_pane *mux_focused_pane(struct mux *m);
/* The rows the panes get and where they start (the status bar aside). */
int mux_area_rows(const struct mux *m);
int mux_area_top(const struct mux *m);

/* Load the config (again): 0, or -1 keeping the one in use. */
int mux_config_load(struct mux *m, bool first);

/* A PANE_UPDATE, from ses or from the pane's channel. */
void mux_apply_update(struct mux *m, const struct frame *f);

/* channel.c */
void chan_open(struct mux *m, struct mux_pane *p);
void chan_close(struct mux *m, struct mux_pane *p);
/* The pane's updates come on its channel (ses's copies are stale). */
bool chan_direct(struct mux *m, uint16_t pane);
/* Input for a pane (or MUX_FOCUSED) on the path that pane takes now. */
void chan_input(struct mux *m, uint16_t pane, const char *p, size_t n);
/* Input kept back until every action sent so far has been done. */
void chan_hold(struct mux *m, uint16_t pane, const char *p, size_t n);
void chan_sync_sent(struct mux *m);
void chan_sync_done(struct mux *m);

/* draw.c */
void mux_draw(struct mux *m);

/* input.c */
void mux_on_input(const struct input_event *ev, void *arg);
/* The pane whose content area holds screen cell (x, y), or NULL. */
struct layout_pane *mux_pane_at(struct mux *m, int x, int y, int *px, int *py);

/* scrollview.c */
void scrollview_move(struct mux *m, struct mux_pane *p, int lines);
void scrollview_stop(struct mux *m, struct mux_pane *p);
void scrollview_on_rows(struct mux *m, const struct frame *f);
void scrollview_free(struct scrollview *sv);
/* Fill view (resized to the pane) with what the pane shows while
 * scrolled: history rows, then the top of the live screen. */
void scrollview_compose(struct mux_pane *p, struct grid *view);

#endif
