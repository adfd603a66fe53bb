/*
 * mux — the attached client: its loop, its connection to ses, and its life
 * from attach to detach.
 *
 * Everything runs on one libuv loop: terminal input, the ses connection,
 * output to the terminal. Output is written without blocking; a frame is
 * composed only when the previous one has been written, so a slow terminal
 * gets the latest screen rather than a backlog.
 */
#include "mux/mux.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/slice.h"
#include "core/util.h"
#include "mux/cli.h"
#include "mux/mux_int.h"

#define MUX_ESC_TIMEOUT_MS 25
#define MUX_STATUS_MSG_MS 5000

/* ---- terminal output ---- */

static void out_poll_cb(uv_poll_t *h, int status, int events);

static void
mux_write_out(struct mux *m)
{
	if (wbuf_write_fd(&m->out, m->tty.out) < 0) {
		/* The terminal is gone: nothing to draw on. */
		wbuf_reset(&m->out);
		mux_quit(m, NULL, 0);
		return;
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
	(void)status;
	(void)events;
	mux_write_out(h->data);
}

/* ---- panes ---- */

struct mux_pane *
mux_pane_find(struct mux *m, uint16_t id)
{
	for (int i = 0; i < m->npanes; i++) {
		if (m->panes[i].id == id)
			return &m->panes[i];
	}
	return NULL;
}

/* A new copy starts at the size the layout gives it, which is what its
 * first full screen will have: no cells are written twice. */
static struct mux_pane *
pane_get(struct mux *m, const struct layout_pane *lp)
{
	struct mux_pane *p = mux_pane_find(m, lp->id);

	if (p || m->npanes >= MUX_MAX_PANES)
		return p;
	if (m->npanes == m->cap_panes) {
		m->cap_panes = m->cap_panes ? 2 * m->cap_panes : 8;
		m->panes = xrealloc(m->panes,
				    (size_t)m->cap_panes * sizeof *m->panes);
	}
	p = &m->panes[m->npanes++];
	memset(p, 0, sizeof p[0]);
	p->id = lp->id;
	p->g = grid_new(lp->w, lp->h, 0);
	return p;
}

/* Drop copies of panes the layout no longer shows: they get a full
 * snapshot when they come back into view. */
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
		chan_close(m, &m->panes[i]);
		grid_free(m->panes[i].g);
		scrollview_free(&m->panes[i].sv);
		m->panes[i] = m->panes[--m->npanes];
	}
}

struct layout_pane *
mux_focused_layout(struct mux *m)
{
	for (int i = 0; m->have_layout && i < m->layout.npanes; i++) {
		if (m->layout.panes[i].flags & LAYOUT_FOCUSED)
			return &m->layout.panes[i];
	}
	return NULL;
}

struct mux_pane *
mux_focused_pane(struct mux *m)
{
	struct layout_pane *fl = mux_focused_layout(m);

	return fl ? mux_pane_find(m, fl->id) : NULL;
}

int
mux_area_rows(const struct mux *m)
{
	int rows = m->rows - (m->status_on ? 1 : 0);

	return rows > 0 ? rows : 1;
}

int
mux_area_top(const struct mux *m)
{
	return m->status_on && m->status_top ? 1 : 0;
}

void
mux_status_message(struct mux *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->status_msg, sizeof m->status_msg, fmt, ap);
	va_end(ap);
	m->status_msg_until = now_ms() + MUX_STATUS_MSG_MS;
	log_info(&m->log, "status: %s", m->status_msg);
	mux_schedule_redraw(m);
}

/* ---- drawing ---- */

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
	m->redraw_wanted = false;
	mux_draw(m);
	mux_write_out(m);
}

/* Drawing never waits for the start-up queries: a terminal that answers
 * none must get its first frame as soon as there is one. */
void
mux_schedule_redraw(struct mux *m)
{
	m->redraw_wanted = true;
	/* Before the loop's handles exist (a config error at start-up) the
	 * first frame shows it anyway. */
	if (!m->redraw_idle.loop)
		return;
	if (!m->quitting)
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
	panes_prune(m);
	for (int i = 0; i < l.npanes; i++) {
		struct mux_pane *p = pane_get(m, &l.panes[i]);

		if (p)
			chan_open(m, p);
	}
	mux_schedule_redraw(m);
}

void
mux_apply_update(struct mux *m, const struct frame *f)
{
	struct mux_pane *p = mux_pane_find(m, f->pane);
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
on_detached(struct mux *m, const struct frame *f)
{
	struct msg_detached d;
	char msg[200];

	if (msg_detached_decode(f, &d) < 0)
		return;
	if (strcmp(d.reason, "detached") == 0)
		snprintf(msg, sizeof msg, "[detached (from session %s)]",
			 m->session);
	else
		snprintf(msg, sizeof msg, "[%s]", d.reason);
	msg_detached_free(&d);
	mux_quit(m, msg, 0);
}

static void
on_error(struct mux *m, const struct frame *f)
{
	struct msg_error e;

	if (msg_error_decode(f, &e) < 0)
		return;
	if (!m->have_layout) {
		char msg[600];

		snprintf(msg, sizeof msg, "hexe: %s", e.message);
		mux_quit(m, msg, 1);
	} else {
		mux_status_message(m, "%s", e.message);
	}
	msg_error_free(&e);
}

static void
ses_on_frame(struct conn *c, const struct frame *f)
{
	struct mux *m = c->data;

	switch (f->type) {
	case MSG_LAYOUT: on_layout(m, f); break;
	case MSG_PANE_UPDATE:
		if (!chan_direct(m, f->pane))
			mux_apply_update(m, f);
		break;
	case MSG_SYNC: chan_sync_done(m); break;
	case MSG_SCROLLBACK_ROWS: scrollview_on_rows(m, f); break;
	case MSG_SESSION_INFO: {
		struct msg_session_info si;

		if (msg_session_info_decode(f, &si) == 0) {
			snprintf(m->session, sizeof m->session, "%s", si.name);
			msg_session_info_free(&si);
		}
		break;
	}
	case MSG_DETACHED: on_detached(m, f); break;
	case MSG_CAPTURE: {
		/* `hexe mux capture --screen`: what this mux shows. */
		struct wbuf text, b;

		wbuf_init(&text);
		wbuf_init(&b);
		render_dump(m->r, &text);
		msg_text_encode(&b, 0, text.data ? text.data : "", text.len);
		mux_send(m, &b);
		wbuf_free(&b);
		wbuf_free(&text);
		break;
	}
	case MSG_ERROR: on_error(m, f); break;
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

void
mux_send(struct mux *m, struct wbuf *b)
{
	if (m->ses_open)
		conn_send(&m->ses, b);
	wbuf_reset(b);
}

void
mux_send_input(struct mux *m, uint16_t pane, const char *p, size_t n)
{
	if (n == 0)
		return;
	if (m->syncs > 0)
		chan_hold(m, pane, p, n);
	else
		chan_input(m, pane, p, n);
}

void
mux_send_action(struct mux *m, const char *name, const char *arg)
{
	struct msg_action a = { (char *)"", (char *)name,
				(char *)(arg ? arg : "") };
	struct wbuf b;

	wbuf_init(&b);
	msg_action_encode(&b, &a);
	if (m->direct) {
		/* Keys typed from now on wait for the action's effect. */
		msg_empty_encode(&b, MSG_SYNC, 0);
		chan_sync_sent(m);
	}
	mux_send(m, &b);
	wbuf_free(&b);
}

/* ---- input, size, signals, clock ---- */

static void
esc_timer_cb(uv_timer_t *t)
{
	struct mux *m = t->data;

	input_decoder_timeout(&m->dec, mux_on_input, m);
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
	input_decoder_feed(&m->dec, buf, (size_t)n, mux_on_input, m);
	if (input_decoder_pending(&m->dec))
		uv_timer_start(&m->esc_timer, esc_timer_cb,
			       (uint64_t)m->esc_timeout, 0);
}

static void
send_size(struct mux *m)
{
	struct msg_resize r;
	struct wbuf b;

	r.cols = (uint16_t)m->cols;
	r.rows = (uint16_t)mux_area_rows(m);
	wbuf_init(&b);
	msg_resize_encode(&b, 0, &r);
	mux_send(m, &b);
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
	(void)signum;
	/* Losing the terminal detaches; the session lives on. */
	mux_quit(s->data, NULL, 0);
}

static void
clock_cb(uv_timer_t *t)
{
	mux_schedule_redraw(t->data);
}

void
mux_query_done(struct mux *m)
{
	if (!m->querying)
		return;
	uv_timer_stop(&m->query_timer);
	m->querying = false;
	if (m->kitty) {
		/* Disambiguated keys: Ctrl+Alt chords arrive unambiguous. */
		wbuf_put(&m->out, "\x1b[>1u", 5);
		mux_write_out(m);
	}
}

static void
query_timer_cb(uv_timer_t *t)
{
	mux_query_done(t->data);
}

/* Ask whether the terminal speaks the kitty keyboard protocol, with DA1
 * behind it (every terminal answers DA1). No answer within
 * MUX_QUERY_TIMEOUT_MS counts as "no"; frames are drawn meanwhile: the
 * mux never waits on a terminal. */
static void
start_queries(struct mux *m)
{
	m->querying = true;
	wbuf_put(&m->out, "\x1b[?u\x1b[c", 8);
	uv_timer_start(&m->query_timer, query_timer_cb, MUX_QUERY_TIMEOUT_MS, 0);
}

void
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

static void
send_start(struct mux *m, const struct mux_start *st)
{
	struct wbuf b;

	wbuf_init(&b);
	if (m->direct) {
		/* Before attaching, so that ses never sends this mux the
		 * screens it will read from the pods. */
		uint8_t on = 1;

		frame_put(&b, MSG_VIEW, 0, &on, 1);
	}
	if (st->create) {
		cli_encode_session_new(&b, st->name, st->layout, (uint16_t)m->cols,
				       (uint16_t)mux_area_rows(m),
				       SESSION_NEW_ATTACH, st->argv);
	} else {
		struct msg_attach a;
		const char *term = getenv("TERM");

		a.name = (char *)(st->name ? st->name : "");
		a.cols = (uint16_t)m->cols;
		a.rows = (uint16_t)mux_area_rows(m);
		a.term = (char *)(term ? term : "");
		msg_attach_encode(&b, &a);
	}
	conn_send(&m->ses, &b);
	wbuf_free(&b);
}

static void
mux_apply_config(struct mux *m)
{
	const struct config_mux *o = &m->config.mux;

	m->status_on = o->status_enabled;
	m->status_top = o->status_position == CONFIG_STATUS_TOP;
	m->mouse = o->mouse;
	m->esc_timeout = o->escape_timeout > 0 ? o->escape_timeout
					       : MUX_ESC_TIMEOUT_MS;
	keymap_free(&m->km);
	keymap_init(&m->km);
	keymap_copy(&m->km, &m->config.keymap);
}

/* A config error for the status bar: the file's name without its
 * directory, which would take the whole line. */
static const char *
short_error(const struct hexe_config *c)
{
	const char *e = c->errors.n ? c->errors.v[0] : "errors";
	const char *slash = strrchr(c->path, '/');
	size_t n = strlen(c->path);

	if (slash && n && strncmp(e, c->path, n) == 0)
		return e + (size_t)(slash + 1 - c->path);
	return e;
}

/* The first load falls back to the defaults on errors and shows them; a
 * reload with errors keeps what is in use and says why. */
int
mux_config_load(struct mux *m, bool first)
{
	extern char **environ;
	struct hexe_config next;
	int rc = config_load(&next, m->paths->config, environ, CONFIG_KEEP_LUA);

	config_log(&next, &m->log);
	if (rc < 0 && !first) {
		mux_status_message(m, "config not reloaded: %s",
				   short_error(&next));
		config_free(&next);
		return -1;
	}
	if (!first)
		config_free(&m->config);
	m->config = next;
	mux_apply_config(m);
	if (rc < 0)
		mux_status_message(m, "config error, using defaults: %s%s",
				   short_error(&m->config),
				   m->config.errors.n > 1 ? " (hexe config check)" : "");
	return rc;
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
	if (err[0])
		log_warn(&m->log, "terminal: %s", err);
	tty_size(&m->tty, &m->cols, &m->rows);
	m->r = render_new(m->caps, m->cols, m->rows);
	m->view = grid_new(80, 24, 0);
	keymap_init(&m->km);
	mux_config_load(m, true);
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
	m->direct = cl->peer_version >= PROTO_DIRECT_VERSION;
	wbuf_init(&m->held);
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
	uv_timer_start(&m->clock_timer, clock_cb,
		       (uint64_t)(1000 * (60 - time(NULL) % 60)), 60000);
	uv_timer_init(m->loop, &m->chan_timer);
	m->chan_timer.data = m;
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
	for (int i = 0; i < m->npanes; i++)
		chan_close(m, &m->panes[i]);
	if (m->loop) {
		if (m->ses_open)
			conn_close(&m->ses, NULL);
		conn_close_loop(m->loop);
		uv_loop_close(m->loop);
	}
	for (int i = 0; i < m->npanes; i++) {
		grid_free(m->panes[i].g);
		scrollview_free(&m->panes[i].sv);
	}
	free(m->panes);
	if (m->view)
		grid_free(m->view);
	if (m->have_layout)
		msg_layout_free(&m->layout);
	keymap_free(&m->km);
	config_free(&m->config);
	if (m->r)
		render_free(m->r);
	if (m->caps)
		term_caps_free(m->caps);
	wbuf_free(&m->out);
	wbuf_free(&m->held);
	hlog_close(&m->log);
}

int
mux_run(const struct paths *p, struct client *cl, const struct mux_start *st)
{
	struct mux m;
	char err[512] = "", logpath[700];

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
	slice_set(true); /* it answers keystrokes */
	tty_raw(&m.tty);
	mux_init_handles(&m);
	render_enter(m.r, &m.out, m.mouse, false);
	start_queries(&m);
	mux_write_out(&m);
	send_start(&m, st);
	uv_run(m.loop, UV_RUN_DEFAULT);
	mux_teardown(&m);
	if (m.exit_msg[0])
		fprintf(m.exit_status ? stderr : stdout, "%s\n", m.exit_msg);
	return m.exit_status;
}
