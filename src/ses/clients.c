/*
 * clients — what muxes and one-shot commands ask of ses, and what ses
 * sends them: hello, new session, attach/detach, input, capture, lists,
 * kill and stop; screen updates fanned out to every attached mux.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "ses/ses_int.h"

void
ses_client_send(struct peer *c, struct wbuf *b)
{
	conn_send(c->conn, b);
}

void
ses_client_error(struct peer *c, uint16_t pane, int code, const char *fmt, ...)
{
	char msg[512];
	struct wbuf b;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	wbuf_init(&b);
	msg_error_encode(&b, pane, code, msg);
	ses_client_send(c, &b);
	wbuf_free(&b);
}

static void
send_ok(struct peer *c)
{
	struct wbuf b;

	wbuf_init(&b);
	msg_empty_encode(&b, MSG_OK, 0);
	ses_client_send(c, &b);
	wbuf_free(&b);
}

static void
send_text(struct peer *c, struct wbuf *text)
{
	struct wbuf b;

	wbuf_init(&b);
	msg_text_encode(&b, 0, text->data ? text->data : "", text->len);
	ses_client_send(c, &b);
	wbuf_free(&b);
}

static void
send_detached(struct peer *c, const char *reason)
{
	struct msg_detached m = { (char *)reason };
	struct wbuf b;

	wbuf_init(&b);
	msg_detached_encode(&b, &m);
	ses_client_send(c, &b);
	wbuf_free(&b);
}

/* Full screens of what an attached mux shows: the active tab's panes and
 * the visible floats. */
void
ses_request_snapshots(struct ses *ses, struct session *s)
{
	uint16_t ids[512];
	int n = ses_session_panes(s, ids, 512);

	for (int i = 0; i < n; i++) {
		struct pane *p = ses_pane_by_id(ses, ids[i]);
		struct wbuf b;

		if (!p || !ses_pane_wanted(ses, p))
			continue;
		wbuf_init(&b);
		msg_empty_encode(&b, MSG_SNAPSHOT, p->id);
		ses_pod_send(p, &b);
		wbuf_free(&b);
	}
}

void
ses_pane_snapshot(struct ses *ses, uint16_t id)
{
	struct pane *p = ses_pane_by_id(ses, id);
	struct wbuf b;

	if (!p)
		return;
	wbuf_init(&b);
	msg_empty_encode(&b, MSG_SNAPSHOT, p->id);
	ses_pod_send(p, &b);
	wbuf_free(&b);
}

static void release_held(struct peer *c);
static void kill_session(struct ses *ses, struct session *s);

/* ---- screen updates ---- */

void
ses_forward_update(struct ses *ses, struct pane *p, const struct frame *f)
{
	struct session *s = ses_session_by_id(ses, p->session);

	for (struct peer *c = ses->clients; c; c = c->next) {
		struct wbuf b;

		if (c->attached != p->session || c->conn->closing)
			continue;
		if (!s || !ses_pane_visible(s, p->id) ||
		    ses_client_views_directly(c, p->id))
			continue;
		if (conn_backlog(c->conn) > SES_UPDATE_BACKLOG) {
			/* A slow mux gets the latest screen later, not a
			 * backlog of every frame. */
			c->stalled = true;
			continue;
		}
		if (c->stalled)
			continue;
		wbuf_init(&b);
		frame_put(&b, MSG_PANE_UPDATE, p->id, f->payload, f->len);
		ses_client_send(c, &b);
		wbuf_free(&b);
	}
}

static void
client_drained(struct conn *conn)
{
	struct peer *c = conn->data;
	struct session *s;

	if (!c->stalled)
		return;
	c->stalled = false;
	s = ses_session_by_id(c->ses, c->attached);
	if (s)
		ses_request_snapshots(c->ses, s);
}

/* ---- attach ---- */

static void
attach(struct ses *ses, struct peer *c, struct session *s, uint16_t cols,
       uint16_t rows)
{
	c->attached = s->id;
	c->cols = cols ? cols : 80;
	c->rows = rows ? rows : 24;
	c->stalled = false;
	s->last_used = (uint64_t)time(NULL);
	ses_session_relayout(ses, s);
	ses_request_snapshots(ses, s);
	ses_state_save(ses);
	log_info(&ses->log, "client %u attached to %s (%ux%u)", c->id, s->name,
		 c->cols, c->rows);
}

static void
detach_client(struct ses *ses, struct peer *c, const char *reason)
{
	struct session *s = ses_session_by_id(ses, c->attached);

	c->attached = 0;
	send_detached(c, reason);
	if (s)
		ses_session_relayout(ses, s);
}

void
ses_session_ended(struct ses *ses, struct session *s, const char *why)
{
	for (struct peer *c = ses->clients; c; c = c->next) {
		if (c->attached == s->id) {
			c->attached = 0;
			send_detached(c, why);
		}
	}
	log_info(&ses->log, "session %s ended: %s", s->name, why);
	ses_session_free(ses, s);
	ses_state_save(ses);
}

/* The pod of a new pane reported in: answer whoever created it. */
void
ses_pane_ready(struct ses *ses, struct pane *p)
{
	struct peer *c = p->creator ? ses_client_by_id(ses, p->creator) : NULL;
	struct session *s = ses_session_by_id(ses, p->session);
	struct msg_session_info m;
	struct wbuf b;

	p->creator = 0;
	if (!s)
		return;
	if (p->have_info && p->info.state == POD_EXITED && *p->info.info) {
		if (c)
			ses_client_error(c, 0, -ECHILD, "%s", p->info.info);
		return;
	}
	ses_send_layout(ses, s, NULL);
	if (!c)
		return;
	m.name = s->name;
	m.pane = p->id;
	wbuf_init(&b);
	msg_session_info_encode(&b, &m);
	ses_client_send(c, &b);
	wbuf_free(&b);
	if (p->creator_attach)
		attach(ses, c, s, c->cols, c->rows);
}

static void
on_session_new(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct msg_session_new m;
	char name[SES_NAME_MAX + 1], err[512];
	const struct config_layout *layout = NULL;
	struct session *s;
	struct pane *p;

	if (msg_session_new_decode(f, &m) < 0) {
		conn_close(c->conn, "malformed SESSION_NEW");
		return;
	}
	if (*m.name) {
		if (ses_valid_session_name(m.name, err, sizeof err) < 0) {
			ses_client_error(c, 0, -EINVAL, "%s", err);
			goto out;
		}
		if (ses_session_find(ses, m.name)) {
			ses_client_error(c, 0, -EEXIST, "duplicate session: %s",
					 m.name);
			goto out;
		}
		snprintf(name, sizeof name, "%s", m.name);
	} else {
		ses_unique_name(ses, name, sizeof name);
	}
	/* A command given on the command line runs alone; otherwise the
	 * configured layout (-l NAME, or the enabled "default") opens. */
	if (config_layout_pick(&ses->config, *m.layout ? m.layout : NULL,
			       &layout, err, sizeof err) < 0) {
		ses_client_error(c, 0, -EINVAL, "%s", err);
		goto out;
	}
	if (m.argv.n && layout && !*m.layout)
		layout = NULL;
	s = ses_session_new(ses, name);
	s->cols = m.cols ? m.cols : 80;
	s->rows = m.rows ? m.rows : 24;
	/* The session keeps the creating client's environment and directory
	 * for the panes it opens later. */
	strv_free(&s->env);
	s->env = m.env;
	m.env.n = 0;
	m.env.v = NULL;
	snprintf(s->cwd, sizeof s->cwd, "%s", m.cwd);
	c->cols = s->cols;
	c->rows = s->rows;
	if (layout && layout->ntabs) {
		snprintf(s->layout, sizeof s->layout, "%s", layout->name);
		if (ses_layout_open(ses, s, layout, c->id,
				    m.flags & SESSION_NEW_ATTACH, err,
				    sizeof err) < 0) {
			ses_client_error(c, 0, -ECHILD, "cannot open layout: %s",
					 err);
			kill_session(ses, s);
			goto out;
		}
	} else {
		struct pane_spawn sp = { m.argv.n ? m.argv.v : NULL, s->cwd, NULL };

		if (layout)
			snprintf(s->layout, sizeof s->layout, "%s", layout->name);
		p = ses_pane_new(ses, s, 0);
		p->creator = c->id;
		p->creator_attach = m.flags & SESSION_NEW_ATTACH;
		ses_tab_add(s, "", p->id);
		if (ses_pod_spawn(ses, p, s, &sp, err, sizeof err) < 0) {
			ses_client_error(c, 0, -ECHILD, "cannot start a pane: %s",
					 err);
			ses_session_remove_pane(s, p->id);
			ses_pane_free(ses, p);
			ses_session_free(ses, s);
			goto out;
		}
	}
	ses_state_save(ses);
out:
	msg_session_new_free(&m);
}

static void
on_attach(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct msg_attach m;
	struct session *s = NULL;

	if (msg_attach_decode(f, &m) < 0) {
		conn_close(c->conn, "malformed ATTACH");
		return;
	}
	if (*m.name) {
		s = ses_session_find(ses, m.name);
		if (!s)
			ses_client_error(c, 0, -ENOENT, "no session named \"%s\"",
					 m.name);
	} else {
		for (struct session *t = ses->sessions; t; t = t->next) {
			if (!s || t->last_used > s->last_used)
				s = t;
		}
		if (!s)
			ses_client_error(c, 0, -ENOENT, "no sessions");
	}
	if (s) {
		struct msg_session_info info = { s->name, 0 };
		struct wbuf b;

		wbuf_init(&b);
		msg_session_info_encode(&b, &info);
		ses_client_send(c, &b);
		wbuf_free(&b);
		attach(ses, c, s, m.cols, m.rows);
	}
	msg_attach_free(&m);
}

static void
on_resize(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct msg_resize m;
	struct session *s;

	if (msg_resize_decode(f, &m) < 0) {
		conn_close(c->conn, "malformed RESIZE");
		return;
	}
	c->cols = m.cols ? m.cols : 1;
	c->rows = m.rows ? m.rows : 1;
	if ((s = ses_session_by_id(ses, c->attached)))
		ses_session_relayout(ses, s);
}

static struct pane *
attached_pane(struct ses *ses, struct peer *c, uint16_t id)
{
	struct pane *p = ses_pane_by_id(ses, id);

	if (!p || p->session != c->attached || !c->attached)
		return NULL;
	return p;
}

static void
on_input(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct session *s = ses_session_by_id(ses, c->attached);
	struct pane *p = attached_pane(ses, c,
				       f->pane || !s ? f->pane
						     : ses_session_focus(s));
	struct wbuf b;

	if (!p)
		return; /* typed into a pane that just closed */
	wbuf_init(&b);
	frame_put(&b, MSG_INPUT, p->id, f->payload, f->len);
	ses_pod_send(p, &b);
	wbuf_free(&b);
}

static void
on_send(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct msg_send m;
	struct pane *p;
	char err[256];
	struct wbuf b;

	if (msg_send_decode(f, &m) < 0) {
		conn_close(c->conn, "malformed SEND");
		return;
	}
	if (!(p = ses_target(ses, m.target, err, sizeof err))) {
		ses_client_error(c, 0, -ENOENT, "%s", err);
	} else {
		wbuf_init(&b);
		frame_put(&b, MSG_INPUT, p->id, m.data, m.len);
		ses_pod_send(p, &b);
		wbuf_free(&b);
		send_ok(c);
	}
	msg_send_free(&m);
}

/* The composed screen comes from an attached mux: ask the one attached
 * most recently and pass its answer on. */
static void
capture_screen(struct ses *ses, struct peer *c, struct pane *p,
	       const struct msg_capture *m)
{
	struct peer *mux = NULL;
	struct msg_capture fwd = { (char *)"", 0, CAPTURE_SCREEN };
	struct pending *q;
	struct wbuf b;

	for (struct peer *x = ses->clients; x; x = x->next) {
		if (x->attached == p->session && x->role == ROLE_MUX)
			mux = x;
	}
	(void)m;
	if (!mux) {
		struct session *s = ses_session_by_id(ses, p->session);

		ses_client_error(c, 0, -ENOENT, "session \"%s\" is not attached: "
				 "--screen needs a client drawing it",
				 s ? s->name : "?");
		return;
	}
	q = xcalloc(1, sizeof *q);
	q->client = c->id;
	q->kind = PEND_REPLY;
	if (mux->pend_tail)
		mux->pend_tail->next = q;
	else
		mux->pend_head = q;
	mux->pend_tail = q;
	wbuf_init(&b);
	msg_capture_encode(&b, 0, &fwd);
	ses_client_send(mux, &b);
	wbuf_free(&b);
}

/* A mux answered a `capture --screen`. */
static void
on_mux_text(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct pending *q = c->pend_head;
	struct peer *to;
	struct wbuf b;

	if (!q)
		return;
	c->pend_head = q->next;
	if (!c->pend_head)
		c->pend_tail = NULL;
	to = ses_client_by_id(ses, q->client);
	free(q);
	if (!to)
		return;
	wbuf_init(&b);
	frame_put(&b, f->type, 0, f->payload, f->len);
	ses_client_send(to, &b);
	wbuf_free(&b);
}

static void
on_capture(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct msg_capture m;
	struct pane *p;
	char err[256];

	if (msg_capture_decode(f, &m) < 0) {
		conn_close(c->conn, "malformed CAPTURE");
		return;
	}
	if ((p = ses_target(ses, m.target, err, sizeof err)) &&
	    (m.flags & CAPTURE_SCREEN)) {
		capture_screen(ses, c, p, &m);
	} else if (!p) {
		ses_client_error(c, 0, -ENOENT, "%s", err);
	} else {
		struct msg_capture fwd = { (char *)"", m.scrollback, m.flags };
		struct wbuf b;

		wbuf_init(&b);
		msg_capture_encode(&b, p->id, &fwd);
		ses_pod_request(ses, p, c->id, PEND_REPLY, &b);
		wbuf_free(&b);
	}
	msg_capture_free(&m);
}

/* Scrollback reads and searches of an attached mux go to the pod as they
 * are; the answer comes back through the pending queue. */
static void
on_pane_request(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct pane *p = attached_pane(ses, c, f->pane);
	struct wbuf b;

	if (!p) {
		ses_client_error(c, f->pane, -ENOENT, "no pane %u here", f->pane);
		return;
	}
	wbuf_init(&b);
	frame_put(&b, f->type, f->pane, f->payload, f->len);
	ses_pod_request(ses, p, c->id, PEND_REPLY, &b);
	wbuf_free(&b);
}

/* An action from a mux (its session) or from `hexe mux action -t`. The
 * CLI gets OK or the error; a mux gets errors only. */
static void
on_action(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct msg_action m;
	struct session *s = NULL;
	char err[512] = "";

	if (msg_action_decode(f, &m) < 0) {
		conn_close(c->conn, "malformed ACTION");
		return;
	}
	if (strcmp(m.name, "reload") == 0 && !*m.target) {
		/* The config is the daemon's, not a session's. */
		if (ses_config_reload(ses, err, sizeof err) < 0)
			ses_client_error(c, 0, -EINVAL, "%s", err);
		else if (c->role == ROLE_CLI)
			send_ok(c);
		goto out;
	}
	if (*m.target) {
		struct pane *p = ses_target(ses, m.target, err, sizeof err);

		s = p ? ses_session_by_id(ses, p->session) : NULL;
	} else if (!(s = ses_session_by_id(ses, c->attached))) {
		snprintf(err, sizeof err, "not attached to a session");
	}
	if (s && !ses_action_known(m.name))
		snprintf(err, sizeof err, "unknown action \"%s\"", m.name);
	if (!s || *err) {
		ses_client_error(c, 0, -EINVAL, "%s", err);
		goto out;
	}
	if (ses_action_needs_cwd(m.name) && ses_session_focus(s)) {
		struct pane *p = ses_pane_by_id(ses, ses_session_focus(s));
		struct wbuf b;

		if (p && p->ready) {
			/* Ask the pod for the cwd; the action runs on the
			 * answer (pods.c). */
			wbuf_init(&b);
			msg_empty_encode(&b, MSG_POD_INFO, p->id);
			ses_pod_request_action(ses, p, c->id, s->id, m.name, m.arg,
					       &b);
			wbuf_free(&b);
			c->busy = true;
			goto out;
		}
	}
	ses_action_finish(ses, c->id, s, m.name, m.arg, s->cwd);
out:
	msg_action_free(&m);
}

void
ses_action_finish(struct ses *ses, uint32_t client, struct session *s,
		  const char *name, const char *arg, const char *cwd)
{
	struct peer *c = ses_client_by_id(ses, client);
	char err[512] = "";

	if (ses_action_run(ses, s, name, arg, cwd, err, sizeof err) < 0) {
		if (c)
			ses_client_error(c, 0, -EINVAL, "%s", err);
	} else if (c && c->role == ROLE_CLI) {
		send_ok(c);
	}
	if (c)
		ses_client_unbusy(ses, c);
}

void
ses_client_unbusy(struct ses *ses, struct peer *c)
{
	(void)ses;
	if (!c->busy)
		return;
	c->busy = false;
	release_held(c);
}

static void
on_session_list(struct ses *ses, struct peer *c)
{
	struct wbuf t;

	wbuf_init(&t);
	for (struct session *s = ses->sessions; s; s = s->next) {
		int att = ses_session_attached(ses, s);

		wbuf_printf(&t, "%s %d %s %ux%u\n", s->name,
			    ses_session_pane_count(s),
			    att ? "attached" : "detached", s->cols, s->rows);
	}
	send_text(c, &t);
	wbuf_free(&t);
}

static void
pod_list_text(struct ses *ses, struct peer *c)
{
	struct wbuf t;

	wbuf_init(&t);
	for (struct session *s = ses->sessions; s; s = s->next) {
		uint16_t ids[512];
		int n = ses_session_panes(s, ids, 512);

		for (int i = 0; i < n; i++) {
			struct pane *p = ses_pane_by_id(ses, ids[i]);
			const struct msg_pod_info *m;

			if (!p || !p->have_info)
				continue;
			m = &p->info;
			wbuf_printf(&t, "%u %s %u %s %s %s pod=%u\n", p->id,
				    s->name, m->child_pid, *m->cwd ? m->cwd : "-",
				    m->state == POD_RUNNING  ? "running"
				    : m->state == POD_EXITED ? "exited"
							     : "starting",
				    m->profile, m->pod_pid);
		}
	}
	for (struct unadoptable *u = ses->unadoptable; u; u = u->next)
		wbuf_printf(&t, "%u - - - unadoptable %s\n", u->id, u->reason);
	send_text(c, &t);
	wbuf_free(&t);
}

static void
on_pod_list(struct ses *ses, struct peer *c)
{
	c->gather = 1; /* held until every request is out */
	for (struct pane *p = ses->panes; p; p = p->next) {
		struct wbuf b;

		if (!p->ready || p->dying)
			continue;
		c->gather++;
		wbuf_init(&b);
		msg_empty_encode(&b, MSG_POD_INFO, p->id);
		ses_pod_request(ses, p, c->id, PEND_INFO, &b);
		wbuf_free(&b);
	}
	ses_gather_step(ses, c->id);
}

static int
count_dying(struct ses *ses)
{
	int n = 0;

	for (struct pane *p = ses->panes; p; p = p->next)
		n += p->dying;
	return n;
}

/* One POD_INFO of a `pod list` arrived (or its pane is gone). */
void
ses_gather_step(struct ses *ses, uint32_t id)
{
	struct peer *c = ses_client_by_id(ses, id);

	if (c && c->gather > 0 && --c->gather == 0)
		pod_list_text(ses, c);
}

/* A kill or stop waits until every pod it asked to end has gone. */
void
ses_kill_progress(struct ses *ses)
{
	if (count_dying(ses) != 0)
		return;
	for (struct peer *c = ses->clients; c; c = c->next) {
		if (!c->kill_wait)
			continue;
		c->kill_wait = 0;
		send_ok(c);
		if (c->stop_after) {
			log_info(&ses->log, "stopped by client %u", c->id);
			ses->stopping = true;
		}
	}
}

static void
kill_session(struct ses *ses, struct session *s)
{
	uint16_t ids[512];
	int n = ses_session_panes(s, ids, 512);

	for (int i = 0; i < n; i++) {
		struct pane *p = ses_pane_by_id(ses, ids[i]);

		if (p) {
			p->session = 0;
			ses_pod_kill(ses, p);
		}
	}
	ses_session_ended(ses, s, "session killed");
}

static void
on_session_kill(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct msg_name m;
	struct session *s;

	if (msg_name_decode(f, &m) < 0) {
		conn_close(c->conn, "malformed SESSION_KILL");
		return;
	}
	if (!(s = ses_session_find(ses, m.name))) {
		ses_client_error(c, 0, -ENOENT, "no session named \"%s\"", m.name);
	} else {
		kill_session(ses, s);
		c->kill_wait = 1;
		ses_kill_progress(ses);
	}
	msg_name_free(&m);
}

static void
on_server_stop(struct ses *ses, struct peer *c)
{
	while (ses->sessions)
		kill_session(ses, ses->sessions);
	/* Panes not in any session yet (adopting) end too. */
	for (struct pane *p = ses->panes, *next; p; p = next) {
		next = p->next;
		if (!p->dying)
			ses_pod_kill(ses, p);
	}
	c->kill_wait = 1;
	c->stop_after = true;
	ses_kill_progress(ses);
}

static void
on_hello(struct ses *ses, struct peer *c, const struct frame *f)
{
	struct msg_hello h;
	struct msg_hello_ok ok = { PROTO_VERSION, (uint32_t)getpid() };
	struct wbuf b;

	(void)ses;
	if (msg_hello_decode(f, &h) < 0) {
		conn_close(c->conn, "malformed HELLO");
		return;
	}
	if (h.version < PROTO_MIN_VERSION || h.min_version > PROTO_VERSION ||
	    (h.role != ROLE_MUX && h.role != ROLE_CLI)) {
		ses_client_error(c, 0, -EPROTONOSUPPORT,
				 "this hexe daemon speaks protocol %u (oldest %u); "
				 "the client speaks %u (oldest %u): run `hexe ses "
				 "stop` and try again",
				 PROTO_VERSION, PROTO_MIN_VERSION, h.version,
				 h.min_version);
		msg_hello_free(&h);
		return;
	}
	c->role = h.role;
	c->hello = true;
	msg_hello_free(&h);
	wbuf_init(&b);
	msg_hello_ok_encode(&b, &ok);
	ses_client_send(c, &b);
	wbuf_free(&b);
}

static void client_frame(struct peer *c, const struct frame *f);

/* Run what waited behind a finished action, until one waits again. */
static void
release_held(struct peer *c)
{
	struct frame_reader fr;
	struct frame f;
	const char *why;

	if (!c->held.len)
		return;
	frame_reader_init(&fr, FRAME_MAX);
	frame_reader_push(&fr, c->held.data, c->held.len);
	wbuf_reset(&c->held);
	while (frame_reader_next(&fr, &f, &why) > 0) {
		if (c->busy || c->conn->closing)
			frame_put(&c->held, f.type, f.pane, f.payload, f.len);
		else
			client_frame(c, &f);
	}
	frame_reader_free(&fr);
}

void
ses_client_on_frame(struct conn *conn, const struct frame *f)
{
	struct peer *c = conn->data;

	if (c->busy) {
		frame_put(&c->held, f->type, f->pane, f->payload, f->len);
		return;
	}
	client_frame(c, f);
}

static void
client_frame(struct peer *c, const struct frame *f)
{
	struct ses *ses = c->ses;
	struct conn *conn = c->conn;

	if (!c->hello && f->type != MSG_HELLO) {
		conn_close(conn, "request before HELLO");
		return;
	}
	switch (f->type) {
	case MSG_HELLO: on_hello(ses, c, f); break;
	case MSG_SESSION_NEW: on_session_new(ses, c, f); break;
	case MSG_ATTACH: on_attach(ses, c, f); break;
	case MSG_DETACH: detach_client(ses, c, "detached"); break;
	case MSG_RESIZE: on_resize(ses, c, f); break;
	case MSG_INPUT: on_input(ses, c, f); break;
	case MSG_SEND: on_send(ses, c, f); break;
	case MSG_CAPTURE: on_capture(ses, c, f); break;
	case MSG_SCROLLBACK_READ:
	case MSG_SEARCH: on_pane_request(ses, c, f); break;
	case MSG_SESSION_LIST: on_session_list(ses, c); break;
	case MSG_SESSION_KILL: on_session_kill(ses, c, f); break;
	case MSG_SERVER_STOP: on_server_stop(ses, c); break;
	case MSG_POD_LIST: on_pod_list(ses, c); break;
	case MSG_ACTION: on_action(ses, c, f); break;
	case MSG_TEXT: on_mux_text(ses, c, f); break;
	case MSG_VIEW: ses_client_view(ses, c, f); break;
	case MSG_SYNC: {
		/* Everything the client sent before is done: its actions
		 * ran (a busy client's frames wait in `held`). */
		struct wbuf b;

		wbuf_init(&b);
		msg_empty_encode(&b, MSG_SYNC, 0);
		ses_client_send(c, &b);
		wbuf_free(&b);
		break;
	}
	default:
		log_warn(&ses->log, "client %u sent %s; dropping it", c->id,
			 msg_type_name(f->type));
		conn_close(conn, "unexpected message");
	}
}

void
ses_client_closed(struct conn *conn)
{
	struct peer *c = conn->data;
	struct ses *ses = c->ses;
	struct session *s = ses_session_by_id(ses, c->attached);

	for (struct peer **pp = &ses->clients; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	if (s)
		ses_session_relayout(ses, s);
	while (c->pend_head) {
		struct pending *q = c->pend_head;
		struct peer *to = ses_client_by_id(ses, q->client);

		c->pend_head = q->next;
		if (to)
			ses_client_error(to, 0, -EPIPE, "the client drawing the "
					 "session went away");
		free(q);
	}
	wbuf_free(&c->held);
	free(c->via);
	free(conn);
	free(c);
}

/* Exposed for ses.c's accept. */
void ses_client_drained(struct conn *conn);
void
ses_client_drained(struct conn *conn)
{
	client_drained(conn);
}
