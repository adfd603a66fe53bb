/*
 * channel — the mux's own connection to the pod of each pane it shows.
 *
 * Keys go straight to the pod and the pod's screen updates come straight
 * back, so a keystroke and its echo do not wake ses: that is two process
 * wakeups fewer each way than through ses. ses still decides what is
 * shown, where the focus is and how big each pane is; the mux follows its
 * LAYOUT. A pane whose pod cannot be reached (an older pod, its socket
 * gone) is served through ses as before, and the mux tells ses so.
 *
 * Order. Each pane's input takes one path at a time: typed while its
 * channel is being set up, it waits in the channel and follows it (or, if
 * the channel fails, goes through ses, in order). Input typed while an
 * action is on its way to ses waits in the mux until ses echoes the SYNC
 * sent behind the action, so that keys typed after a split or a click go
 * to the focus the action made, as they did when ses routed them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "mux/mux_int.h"

#define CHAN_TICK_MS 5
#define CHAN_GIVE_UP_MS 3000 /* a pod that cannot be reached by then */
#define SYNC_GIVE_UP_MS 1000 /* ses echoes a SYNC within a round trip */

enum chan_state {
	CHAN_WAIT,    /* no connection yet: the pod may still be starting */
	CHAN_HELLO,   /* connected, HELLO sent */
	CHAN_DIRECT,  /* input and updates flow on it */
	CHAN_VIA_SES, /* given up: ses carries this pane */
};

struct chan {
	struct conn conn; /* first: a conn's pipe is its first member */
	struct mux *m;
	uint16_t pane;
	enum chan_state state;
	bool open;   /* conn set up: its on_close is still to run */
	bool orphan; /* the pane left the layout: free once closed */
	uint64_t give_up;
	struct wbuf held; /* input typed before the channel was up */
};

static void chan_timer_cb(uv_timer_t *t);

static void
timer_want(struct mux *m)
{
	if (!uv_is_active((uv_handle_t *)&m->chan_timer))
		uv_timer_start(&m->chan_timer, chan_timer_cb, CHAN_TICK_MS,
			       CHAN_TICK_MS);
}

static void
tell_ses(struct mux *m, uint16_t pane, bool direct)
{
	uint8_t v = direct;
	struct wbuf b;

	wbuf_init(&b);
	frame_put(&b, MSG_VIEW, pane, &v, 1);
	mux_send(m, &b);
	wbuf_free(&b);
}

static void
via_ses(struct mux *m, uint16_t pane, const char *p, size_t n)
{
	struct wbuf b;

	wbuf_init(&b);
	frame_put(&b, MSG_INPUT, pane, p, n);
	mux_send(m, &b);
	wbuf_free(&b);
}

static void
fall_back(struct chan *ch, const char *why)
{
	struct mux *m = ch->m;

	if (ch->state == CHAN_VIA_SES)
		return;
	log_info(&m->log, "pane %u: through ses (%s)", ch->pane, why);
	ch->state = CHAN_VIA_SES;
	tell_ses(m, ch->pane, false);
	if (ch->held.len)
		via_ses(m, ch->pane, ch->held.data, ch->held.len);
	wbuf_free(&ch->held);
	if (ch->open)
		conn_close(&ch->conn, NULL);
}

static void
chan_free(struct chan *ch)
{
	wbuf_free(&ch->held);
	free(ch);
}

static void
chan_on_frame(struct conn *c, const struct frame *f)
{
	struct chan *ch = (struct chan *)c;
	struct mux *m = ch->m;

	switch (f->type) {
	case MSG_HELLO_OK:
		if (ch->state != CHAN_HELLO)
			break;
		ch->state = CHAN_DIRECT;
		tell_ses(m, ch->pane, true);
		if (ch->held.len) {
			struct wbuf b;

			wbuf_init(&b);
			frame_put(&b, MSG_INPUT, ch->pane, ch->held.data,
				  ch->held.len);
			conn_send(&ch->conn, &b);
			wbuf_free(&b);
			wbuf_reset(&ch->held);
		}
		break;
	case MSG_PANE_UPDATE:
		if (ch->state == CHAN_DIRECT && f->pane == ch->pane)
			mux_apply_update(m, f);
		break;
	case MSG_ERROR:
		/* An older pod that serves ses only. */
		fall_back(ch, "the pod refused");
		break;
	default:
		break;
	}
}

static void
chan_on_close(struct conn *c)
{
	struct chan *ch = (struct chan *)c;

	ch->open = false;
	if (ch->orphan) {
		chan_free(ch);
		return;
	}
	fall_back(ch, "the pod closed the connection");
}

static void
try_connect(struct chan *ch)
{
	struct mux *m = ch->m;
	struct msg_hello h = { PROTO_VERSION, PROTO_MIN_VERSION, ROLE_MUX,
			       (uint32_t)getpid(), (char *)m->paths->instance };
	char path[700];
	struct wbuf b;
	int fd;

	snprintf(path, sizeof path, "%s/pod-%u.sock", m->paths->runtime,
		 ch->pane);
	fd = unix_connect(path, true);
	if (fd == -ENOENT || fd == -ECONNREFUSED || fd == -EAGAIN) {
		/* A pane is in the layout before its pod listens. */
		if (now_ms() >= ch->give_up)
			fall_back(ch, strerror(-fd));
		return;
	}
	if (fd < 0) {
		fall_back(ch, strerror(-fd));
		return;
	}
	ch->conn.data = ch;
	ch->conn.on_frame = chan_on_frame;
	ch->conn.on_close = chan_on_close;
	snprintf(ch->conn.name, sizeof ch->conn.name, "pod %u", ch->pane);
	ch->open = true;
	ch->state = CHAN_HELLO;
	if (conn_open_fd(m->loop, &ch->conn, fd, &m->log) < 0)
		return; /* on_close falls back */
	wbuf_init(&b);
	msg_hello_encode(&b, &h);
	conn_send(&ch->conn, &b);
	wbuf_free(&b);
}

static void
flush_held(struct mux *m)
{
	struct frame_reader fr;
	struct frame f;
	const char *why;

	if (!m->held.len)
		return;
	frame_reader_init(&fr, FRAME_MAX);
	frame_reader_push(&fr, m->held.data, m->held.len);
	wbuf_reset(&m->held);
	while (frame_reader_next(&fr, &f, &why) > 0)
		chan_input(m, f.pane, f.payload, f.len);
	frame_reader_free(&fr);
}

static void
chan_timer_cb(uv_timer_t *t)
{
	struct mux *m = t->data;
	uint64_t now = now_ms();
	bool again = false;

	for (int i = 0; i < m->npanes; i++) {
		struct chan *ch = m->panes[i].ch;

		if (!ch)
			continue;
		if (ch->state == CHAN_WAIT)
			try_connect(ch);
		else if (ch->state == CHAN_HELLO && now >= ch->give_up)
			fall_back(ch, "the pod did not answer");
		again |= ch->state == CHAN_WAIT || ch->state == CHAN_HELLO;
	}
	if (m->syncs > 0 && now >= m->sync_give_up) {
		log_warn(&m->log, "ses did not answer a SYNC; sending on");
		m->syncs = 0;
		flush_held(m);
	}
	if (!again && m->syncs == 0)
		uv_timer_stop(t);
}

void
chan_open(struct mux *m, struct mux_pane *p)
{
	struct chan *ch;

	if (!m->direct || p->ch)
		return;
	ch = xcalloc(1, sizeof *ch);
	ch->m = m;
	ch->pane = p->id;
	ch->state = CHAN_WAIT;
	ch->give_up = now_ms() + CHAN_GIVE_UP_MS;
	wbuf_init(&ch->held);
	p->ch = ch;
	try_connect(ch);
	if (ch->state == CHAN_WAIT)
		timer_want(m);
}

void
chan_close(struct mux *m, struct mux_pane *p)
{
	struct chan *ch = p->ch;

	(void)m;
	if (!ch)
		return;
	p->ch = NULL;
	if (!ch->open) {
		chan_free(ch);
		return;
	}
	ch->orphan = true;
	conn_close(&ch->conn, NULL);
}

bool
chan_direct(struct mux *m, uint16_t pane)
{
	struct mux_pane *p = mux_pane_find(m, pane);

	return p && p->ch && p->ch->state == CHAN_DIRECT;
}

void
chan_input(struct mux *m, uint16_t pane, const char *p, size_t n)
{
	struct layout_pane *fl;
	struct mux_pane *mp;
	struct chan *ch;
	struct wbuf b;

	if (pane == MUX_FOCUSED && (fl = mux_focused_layout(m)))
		pane = fl->id;
	mp = pane == MUX_FOCUSED ? NULL : mux_pane_find(m, pane);
	ch = mp ? mp->ch : NULL;
	if (!ch || ch->state == CHAN_VIA_SES) {
		via_ses(m, pane, p, n);
		return;
	}
	if (ch->state != CHAN_DIRECT) {
		wbuf_put(&ch->held, p, n);
		return;
	}
	wbuf_init(&b);
	frame_put(&b, MSG_INPUT, pane, p, n);
	conn_send(&ch->conn, &b);
	wbuf_free(&b);
}

void
chan_hold(struct mux *m, uint16_t pane, const char *p, size_t n)
{
	frame_put(&m->held, MSG_INPUT, pane, p, n);
}

void
chan_sync_sent(struct mux *m)
{
	m->syncs++;
	m->sync_give_up = now_ms() + SYNC_GIVE_UP_MS;
	timer_want(m);
}

void
chan_sync_done(struct mux *m)
{
	if (m->syncs > 0 && --m->syncs == 0)
		flush_held(m);
}
