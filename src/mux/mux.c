/*
 * mux — the attached client.
 *
 * Everything runs on one libuv loop: terminal input, the ses connection,
 * output to the terminal. Output is written without blocking; a frame is
 * composed only when the previous one has been written, so a slow terminal
 * gets the latest screen rather than a backlog.
 */
#include "mux/mux.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "core/conn.h"
#include "core/grid.h"
#include "core/log.h"
#include "core/update.h"
#include "core/util.h"
#include "mux/keys.h"
#include "mux/tty.h"
#include "render/render.h"
#include "render/term.h"

#define MUX_MAX_PANES 64
#define MUX_ESC_TIMEOUT_MS 25
#define MUX_QUERY_TIMEOUT_MS 100
#define MUX_STATUS_ROWS 1

enum mux_action {
	ACT_NONE = 0,
	ACT_DETACH,
	ACT_REDRAW,
};

struct binding {
	const char *chord;
	enum mux_action action;
};

/* The default keymap: Ctrl+Alt chords take only rarely used readline
 * commands (docs/keys.md lists them). */
static const struct binding default_bindings[] = {
	{ "ctrl+alt+d", ACT_DETACH },
	{ "ctrl+alt+l", ACT_REDRAW },
};

struct mux_pane {
	uint16_t id;
	struct grid *g;
	struct pane_state st;
	bool have;
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
	struct input_decoder dec;
	uv_timer_t esc_timer;
	uv_timer_t query_timer;
	uv_timer_t clock_timer;
	uv_idle_t redraw_idle;
	bool redraw_wanted;
	bool querying;
	bool kitty;
	bool in_paste;

	struct key_chord chords[sizeof default_bindings / sizeof default_bindings[0]];

	struct msg_layout layout;
	bool have_layout;
	struct mux_pane panes[MUX_MAX_PANES];
	int npanes;
	uint32_t bells_seen[MUX_MAX_PANES];

	uv_signal_t sig_winch, sig_hup, sig_term;
	const struct mux_start *start;
	char session[80];
	char exit_msg[200];
	int exit_status;
	bool quitting;
};

static void mux_quit(struct mux *m, const char *msg, int status);
static void mux_schedule_redraw(struct mux *m);
static void query_done(struct mux *m);

/* ---- terminal output ---- */

static void out_poll_cb(uv_poll_t *h, int status, int events);

static void
mux_write_out(struct mux *m)
{
	while (m->out.len) {
		ssize_t n = write(m->tty.out, m->out.data, m->out.len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			/* The terminal is gone: nothing to draw on. */
			wbuf_reset(&m->out);
			mux_quit(m, NULL, 0);
			return;
		}
		wbuf_consume(&m->out, (size_t)n);
	}
	if (m->out.len && !m->out_polling) {
		uv_poll_start(&m->out_poll, UV_WRITABLE, out_poll_cb);
		m->out_polling = true;
	} else if (!m->out.len && m->out_polling) {
		uv_poll_stop(&m->out_poll);
		m->out_polling = false;
		if (m->redraw_wanted)
			mux_schedule_redraw(m);
	}
}

static void
out_poll_cb(uv_poll_t *h, int status, int events)
{
	struct mux *m = h->data;

	(void)status;
	(void)events;
	mux_write_out(m);
}

/* ---- panes ---- */

static struct mux_pane *
pane_find(struct mux *m, uint16_t id)
{
	for (int i = 0; i < m->npanes; i++) {
		if (m->panes[i].id == id)
			return &m->panes[i];
	}
	return NULL;
}

static struct mux_pane *
pane_get(struct mux *m, uint16_t id)
{
	struct mux_pane *p = pane_find(m, id);

	if (p || m->npanes >= MUX_MAX_PANES)
		return p;
	p = &m->panes[m->npanes++];
	memset(p, 0, sizeof *p);
	p->id = id;
	p->g = grid_new(80, 24, 0);
	return p;
}

/* Drop copies of panes the layout no longer shows. */
static void
panes_prune(struct mux *m)
{
	for (int i = 0; i < m->npanes;) {
		bool keep = false;

		for (int k = 0; k < m->layout.npanes; k++)
			keep |= m->layout.panes[k].id == m->panes[i].id;
		if (keep) {
			i++;
			continue;
		}
		grid_free(m->panes[i].g);
		m->panes[i] = m->panes[--m->npanes];
	}
}

static struct layout_pane *
focused_layout_pane(struct mux *m)
{
	for (int i = 0; m->have_layout && i < m->layout.npanes; i++) {
		if (m->layout.panes[i].flags & LAYOUT_FOCUSED)
			return &m->layout.panes[i];
	}
	return NULL;
}

/* ---- drawing ---- */

static void
draw_status(struct mux *m, const struct mux_pane *fp)
{
	struct cell fill = cell_blank(COLOR_INDEX(2));
	char left[400], right[64];
	time_t now = time(NULL);
	struct tm tm;
	int y = m->rows - 1, used;

	localtime_r(&now, &tm);
	render_fill(m->r, 0, y, m->cols, 1, &fill);
	snprintf(left, sizeof left, "[%s] %s", m->session,
		 fp && fp->st.title[0] ? fp->st.title : "");
	strftime(right, sizeof right, "%H:%M", &tm);
	used = render_text(m->r, 0, y, left, COLOR_INDEX(0), COLOR_INDEX(2), 0,
			   m->cols - 6);
	(void)used;
	if (m->cols > 6)
		render_text(m->r, m->cols - 6, y, right, COLOR_INDEX(0),
			    COLOR_INDEX(2), 0, 6);
}

static void
mux_redraw(struct mux *m)
{
	struct layout_pane *fl = focused_layout_pane(m);
	struct mux_pane *fp = fl ? pane_find(m, fl->id) : NULL;
	struct cell dot = cell_blank(COLOR_DEFAULT);
	int area_rows = m->rows - MUX_STATUS_ROWS;

	m->redraw_wanted = false;
	render_begin(m->r);
	if (m->have_layout) {
		/* A smaller session than this terminal (another client is
		 * smaller): the rest is filled, as tmux does. */
		dot.ch = 0xb7;
		dot.fg = COLOR_INDEX(8);
		if (m->layout.cols < m->cols)
			render_fill(m->r, m->layout.cols, 0,
				    m->cols - m->layout.cols, area_rows, &dot);
		if (m->layout.rows < area_rows)
			render_fill(m->r, 0, m->layout.rows, m->cols,
				    area_rows - m->layout.rows, &dot);
		for (int i = 0; i < m->layout.npanes; i++) {
			struct layout_pane *lp = &m->layout.panes[i];
			struct mux_pane *p = pane_find(m, lp->id);

			if (p && p->have)
				render_pane(m->r, p->g, lp->x, lp->y, lp->w, lp->h);
		}
	}
	draw_status(m, fp);
	if (fp && fp->have && fl)
		render_cursor(m->r, fl->x + fp->st.cursor_x,
			      fl->y + fp->st.cursor_y, fp->st.cursor_visible,
			      fp->st.cursor_shape);
	else
		render_cursor(m->r, 0, 0, false, 0);
	render_flush(m->r, &m->out);
	if (fp && fp->have)
		render_title(m->r, &m->out, fp->st.title);
	mux_write_out(m);
}

static void
redraw_idle_cb(uv_idle_t *h)
{
	struct mux *m = h->data;

	uv_idle_stop(h);
	if (m->quitting)
		return;
	if (m->out.len) {
		/* Still writing the last frame: draw once it is out. */
		m->redraw_wanted = true;
		return;
	}
	mux_redraw(m);
}

static void
mux_schedule_redraw(struct mux *m)
{
	m->redraw_wanted = true;
	if (!m->quitting && !m->querying)
		uv_idle_start(&m->redraw_idle, redraw_idle_cb);
}

/* ---- frames from ses ---- */

static void
on_layout(struct mux *m, const struct frame *f)
{
	struct msg_layout l;

	if (msg_layout_decode(f, &l) < 0) {
		log_warn(&m->log, "malformed LAYOUT");
		return;
	}
	if (m->have_layout)
		msg_layout_free(&m->layout);
	m->layout = l;
	m->have_layout = true;
	snprintf(m->session, sizeof m->session, "%s", l.session);
	for (int i = 0; i < l.npanes; i++)
		pane_get(m, l.panes[i].id);
	panes_prune(m);
	mux_schedule_redraw(m);
}

static void
on_update(struct mux *m, const struct frame *f)
{
	struct mux_pane *p = pane_find(m, f->pane);
	uint32_t bells;

	if (!p)
		return;
	bells = p->st.bells;
	if (update_apply(p->g, &p->st, f->payload, f->len) < 0) {
		log_warn(&m->log, "malformed update for pane %u", f->pane);
		return;
	}
	if (p->have && p->st.bells != bells)
		render_bell(m->r, &m->out);
	p->have = true;
	mux_schedule_redraw(m);
}

static void
ses_on_frame(struct conn *c, const struct frame *f)
{
	struct mux *m = c->data;

	switch (f->type) {
	case MSG_LAYOUT: on_layout(m, f); break;
	case MSG_PANE_UPDATE: on_update(m, f); break;
	case MSG_SESSION_INFO: {
		struct msg_session_info si;

		if (msg_session_info_decode(f, &si) == 0) {
			snprintf(m->session, sizeof m->session, "%s", si.name);
			msg_session_info_free(&si);
		}
		break;
	}
	case MSG_DETACHED: {
		struct msg_detached d;
		char msg[200];

		if (msg_detached_decode(f, &d) < 0)
			break;
		if (strcmp(d.reason, "detached") == 0)
			snprintf(msg, sizeof msg, "[detached (from session %s)]",
				 m->session);
		else
			snprintf(msg, sizeof msg, "[%s]", d.reason);
		msg_detached_free(&d);
		mux_quit(m, msg, 0);
		break;
	}
	case MSG_ERROR: {
		struct msg_error e;
		char msg[200];

		if (msg_error_decode(f, &e) < 0)
			break;
		snprintf(msg, sizeof msg, "hexe: %s", e.message);
		msg_error_free(&e);
		if (!m->have_layout)
			mux_quit(m, msg, 1);
		else
			log_warn(&m->log, "%s", msg);
		break;
	}
	default:
		break;
	}
}

static void
ses_closed(struct conn *c)
{
	struct mux *m = c->data;

	m->ses_open = false;
	mux_quit(m, "[lost the hexe daemon; `hexe mux attach` reattaches]", 1);
}

static void
ses_send(struct mux *m, struct wbuf *b)
{
	if (m->ses_open)
		conn_send(&m->ses, b);
	wbuf_reset(b);
}

static void
send_input(struct mux *m, const char *p, size_t n)
{
	struct layout_pane *fl = focused_layout_pane(m);
	struct wbuf b;

	if (!fl || n == 0)
		return;
	wbuf_init(&b);
	frame_put(&b, MSG_INPUT, fl->id, p, n);
	ses_send(m, &b);
	wbuf_free(&b);
}

/* ---- input ---- */

static void
run_action(struct mux *m, enum mux_action a)
{
	struct wbuf b;

	switch (a) {
	case ACT_DETACH:
		wbuf_init(&b);
		msg_empty_encode(&b, MSG_DETACH, 0);
		ses_send(m, &b);
		wbuf_free(&b);
		break;
	case ACT_REDRAW:
		render_invalidate(m->r);
		mux_schedule_redraw(m);
		break;
	case ACT_NONE:
		break;
	}
}

static const struct mux_pane *
focused_pane(struct mux *m)
{
	struct layout_pane *fl = focused_layout_pane(m);

	return fl ? pane_find(m, fl->id) : NULL;
}

/* Answers to our start-up queries (kitty keyboard flags, DA1). */
static bool
handle_query_reply(struct mux *m, const struct input_event *ev)
{
	const char *r = ev->raw;
	size_t n = ev->rawlen;

	if (n < 4 || r[0] != '\x1b' || r[1] != '[' || r[2] != '?')
		return false;
	if (r[n - 1] == 'u') {
		m->kitty = true;
		return true;
	}
	if (r[n - 1] == 'c' && m->querying) {
		/* DA1 comes after every other answer: the query is over. */
		uv_timer_stop(&m->query_timer);
		query_done(m);
		return true;
	}
	return false;
}

static void
on_event(const struct input_event *ev, void *arg)
{
	struct mux *m = arg;
	const struct mux_pane *fp = focused_pane(m);
	uint32_t modes = fp ? fp->st.modes : 0;
	char buf[64];
	size_t n;

	switch (ev->type) {
	case INPUT_PASTE_START:
		m->in_paste = true;
		if (modes & MODE_BRACKETED_PASTE)
			send_input(m, "\x1b[200~", 6);
		return;
	case INPUT_PASTE_END:
		m->in_paste = false;
		if (modes & MODE_BRACKETED_PASTE)
			send_input(m, "\x1b[201~", 6);
		return;
	case INPUT_RAW:
		if (!m->in_paste && handle_query_reply(m, ev))
			return;
		send_input(m, ev->raw, ev->rawlen);
		return;
	case INPUT_FOCUS_IN:
	case INPUT_FOCUS_OUT:
		if (modes & MODE_FOCUS_EVENTS)
			send_input(m, ev->raw, ev->rawlen);
		return;
	case INPUT_MOUSE:
		if ((modes & (MODE_MOUSE_CLICK | MODE_MOUSE_DRAG |
			      MODE_MOUSE_MOTION)) && (modes & MODE_MOUSE_SGR))
			send_input(m, ev->raw, ev->rawlen);
		return;
	case INPUT_KEY:
		break;
	}
	if (ev->release)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(default_bindings); i++) {
		if (key_chord_match(&m->chords[i], ev)) {
			run_action(m, default_bindings[i].action);
			return;
		}
	}
	if (key_event_encode(ev, modes & MODE_APP_CURSOR, buf, sizeof buf, &n) == 0)
		send_input(m, buf, n);
	else
		send_input(m, ev->raw, ev->rawlen);
}

static void
esc_timer_cb(uv_timer_t *t)
{
	struct mux *m = t->data;

	input_decoder_timeout(&m->dec, on_event, m);
}

static void
in_poll_cb(uv_poll_t *h, int status, int events)
{
	struct mux *m = h->data;
	char buf[65536];
	ssize_t n;

	(void)events;
	if (status < 0) {
		mux_quit(m, NULL, 0);
		return;
	}
	n = read(m->tty.in, buf, sizeof buf);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* The terminal went away: detach, the session lives on. */
		mux_quit(m, NULL, 0);
		return;
	}
	uv_timer_stop(&m->esc_timer);
	input_decoder_feed(&m->dec, buf, (size_t)n, on_event, m);
	if (input_decoder_pending(&m->dec))
		uv_timer_start(&m->esc_timer, esc_timer_cb, MUX_ESC_TIMEOUT_MS, 0);
}

/* ---- size, signals, clock ---- */

static void
send_size(struct mux *m)
{
	struct msg_resize r;
	struct wbuf b;

	r.cols = (uint16_t)m->cols;
	r.rows = (uint16_t)(m->rows > MUX_STATUS_ROWS ? m->rows - MUX_STATUS_ROWS : 1);
	wbuf_init(&b);
	msg_resize_encode(&b, 0, &r);
	ses_send(m, &b);
	wbuf_free(&b);
}

static void
winch_cb(uv_signal_t *s, int signum)
{
	struct mux *m = s->data;

	(void)signum;
	tty_size(&m->tty, &m->cols, &m->rows);
	render_resize(m->r, m->cols, m->rows);
	send_size(m);
	mux_schedule_redraw(m);
}

static void
quit_signal_cb(uv_signal_t *s, int signum)
{
	struct mux *m = s->data;

	(void)signum;
	/* Losing the terminal detaches; the session lives on. */
	mux_quit(m, NULL, 0);
}

static void
clock_cb(uv_timer_t *t)
{
	mux_schedule_redraw(t->data);
}

static void
query_done(struct mux *m)
{
	if (!m->querying)
		return;
	m->querying = false;
	if (m->kitty) {
		/* Disambiguated keys: Ctrl+Alt chords arrive unambiguous. */
		wbuf_put(&m->out, "\x1b[>1u", 5);
	}
	mux_schedule_redraw(m);
}

static void
query_done_cb(uv_timer_t *t)
{
	query_done(t->data);
}

/* Ask whether the terminal speaks the kitty keyboard protocol, with DA1
 * behind it (every terminal answers DA1). No answer within
 * MUX_QUERY_TIMEOUT_MS counts as "no": the mux never waits on a terminal. */
static void
start_queries(struct mux *m)
{
	m->querying = true;
	wbuf_put(&m->out, "\x1b[?u\x1b[c", 8);
	uv_timer_start(&m->query_timer, query_done_cb, MUX_QUERY_TIMEOUT_MS, 0);
}

static void
mux_quit(struct mux *m, const char *msg, int status)
{
	if (m->quitting)
		return;
	m->quitting = true;
	if (msg)
		snprintf(m->exit_msg, sizeof m->exit_msg, "%s", msg);
	m->exit_status = status;
	if (m->ses_open)
		conn_close(&m->ses, NULL);
	uv_stop(m->loop);
}

/* ---- start ---- */

static int
send_start(struct mux *m, const struct mux_start *st)
{
	extern char **environ;
	struct wbuf b;
	char cwd[4096];
	int rows = m->rows > MUX_STATUS_ROWS ? m->rows - MUX_STATUS_ROWS : 1;

	wbuf_init(&b);
	if (st->create) {
		struct msg_session_new n;
		size_t envc = 0, argc = 0;

		for (char **e = environ; *e; e++)
			envc++;
		for (char **a = st->argv; a && *a; a++)
			argc++;
		memset(&n, 0, sizeof n);
		n.name = (char *)(st->name ? st->name : "");
		n.cols = (uint16_t)m->cols;
		n.rows = (uint16_t)rows;
		n.flags = SESSION_NEW_ATTACH;
		n.cwd = getcwd(cwd, sizeof cwd) ? cwd : (char *)"";
		n.argv.n = (uint32_t)argc;
		n.argv.v = st->argv;
		n.env.n = (uint32_t)envc;
		n.env.v = environ;
		msg_session_new_encode(&b, &n);
	} else {
		struct msg_attach a;
		const char *term = getenv("TERM");

		a.name = (char *)(st->name ? st->name : "");
		a.cols = (uint16_t)m->cols;
		a.rows = (uint16_t)rows;
		a.term = (char *)(term ? term : "");
		msg_attach_encode(&b, &a);
	}
	conn_send(&m->ses, &b);
	wbuf_free(&b);
	return 0;
}

static int
mux_setup(struct mux *m, struct client *cl, char *err, size_t errsz)
{
	const char *term = getenv("TERM");
	int fd;

	if (tty_open(&m->tty, err, errsz) < 0)
		return -1;
	m->caps = term_caps_new(m->tty.out, term ? term : "xterm-256color",
				getenv("COLORTERM"), err, errsz);
	if (!m->caps)
		return -1;
	tty_size(&m->tty, &m->cols, &m->rows);
	m->r = render_new(m->caps, m->cols, m->rows);
	for (size_t i = 0; i < ARRAY_SIZE(default_bindings); i++)
		key_chord_parse(default_bindings[i].chord, &m->chords[i], NULL, 0);
	input_decoder_init(&m->dec);
	wbuf_init(&m->out);

	m->loop = uv_default_loop();
	fd = cl->fd;
	cl->fd = -1;
	m->ses.data = m;
	m->ses.on_frame = ses_on_frame;
	m->ses.on_close = ses_closed;
	snprintf(m->ses.name, sizeof m->ses.name, "ses");
	if (conn_open_fd(m->loop, &m->ses, fd, &m->log) < 0) {
		snprintf(err, errsz, "lost the daemon");
		frame_reader_free(&cl->fr);
		return -1;
	}
	m->ses.data = m;
	frame_reader_free(&cl->fr);
	m->ses_open = true;
	return 0;
}

static void
mux_init_handles(struct mux *m)
{
	uv_poll_init(m->loop, &m->in_poll, m->tty.in);
	m->in_poll.data = m;
	uv_poll_start(&m->in_poll, UV_READABLE, in_poll_cb);
	uv_poll_init(m->loop, &m->out_poll, m->tty.out);
	m->out_poll.data = m;
	uv_timer_init(m->loop, &m->esc_timer);
	m->esc_timer.data = m;
	uv_timer_init(m->loop, &m->query_timer);
	m->query_timer.data = m;
	uv_timer_init(m->loop, &m->clock_timer);
	m->clock_timer.data = m;
	uv_timer_start(&m->clock_timer, clock_cb, 1000 * (60 - time(NULL) % 60),
		       60000);
	uv_idle_init(m->loop, &m->redraw_idle);
	m->redraw_idle.data = m;
	uv_signal_init(m->loop, &m->sig_winch);
	m->sig_winch.data = m;
	uv_signal_start(&m->sig_winch, winch_cb, SIGWINCH);
	uv_signal_init(m->loop, &m->sig_hup);
	m->sig_hup.data = m;
	uv_signal_start(&m->sig_hup, quit_signal_cb, SIGHUP);
	uv_signal_init(m->loop, &m->sig_term);
	m->sig_term.data = m;
	uv_signal_start(&m->sig_term, quit_signal_cb, SIGTERM);
}

static void
mux_teardown(struct mux *m)
{
	if (m->r) {
		if (m->kitty)
			wbuf_put(&m->out, "\x1b[<u", 4);
		render_leave(m->r, &m->out);
		/* Best effort, blocking: the terminal must get its modes back. */
		fd_nonblock(m->tty.out, false);
		if (m->out.len)
			write_all(m->tty.out, m->out.data, m->out.len);
	}
	tty_close(&m->tty);
	if (m->loop) {
		if (m->ses_open)
			conn_close(&m->ses, NULL);
		conn_close_loop(m->loop);
		uv_loop_close(m->loop);
	}
	for (int i = 0; i < m->npanes; i++)
		grid_free(m->panes[i].g);
	if (m->have_layout)
		msg_layout_free(&m->layout);
	if (m->r)
		render_free(m->r);
	if (m->caps)
		term_caps_free(m->caps);
	wbuf_free(&m->out);
	hlog_close(&m->log);
}

int
mux_run(const struct paths *p, struct client *cl, const struct mux_start *st)
{
	struct mux m;
	char err[512], logpath[700];

	memset(&m, 0, sizeof m);
	m.paths = p;
	m.start = st;
	snprintf(logpath, sizeof logpath, "%s/mux.log", p->log);
	hlog_open(&m.log, logpath, "mux");
	snprintf(m.session, sizeof m.session, "%s", st->name ? st->name : "");
	if (mux_setup(&m, cl, err, sizeof err) < 0) {
		fprintf(stderr, "hexe: %s\n", err);
		client_close(cl);
		mux_teardown(&m);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	tty_raw(&m.tty);
	mux_init_handles(&m);
	render_enter(m.r, &m.out, false, false);
	start_queries(&m);
	mux_write_out(&m);
	send_start(&m, st);
	uv_run(m.loop, UV_RUN_DEFAULT);
	mux_teardown(&m);
	if (m.exit_msg[0])
		fprintf(m.exit_status ? stderr : stdout, "%s\n", m.exit_msg);
	return m.exit_status;
}
