/*
 * channel — the mux's own connection to the pod of each pane it shows.
 *
 * The pod's screen updates come straight to the mux, and the pod hands
 * the mux its terminal (the PTY master, passed with its HELLO_OK): keys
 * are written there directly. So a keystroke and its echo wake neither
 * ses nor, on the way in, the pod. ses still decides what is shown, where
 * the focus is and how big each pane is; the mux follows its LAYOUT. A
 * pane whose pod cannot be reached (an older pod, its socket gone) is
 * served through ses as before, and the mux tells ses so.
 *
 * Order. Each pane's input takes one path at a time: typed while its
 * channel is being set up, it waits in the channel and follows it (or, if
 * the channel fails, goes through ses, in order). Input typed while an
 * action is on its way to ses waits in the mux until ses echoes the SYNC
 * sent behind the action, so that keys typed after a split or a click go
 * to the focus the action made, as they did when ses routed them.
 *
 * The terminal is only borrowed: the mux closes it as soon as the pod's
 * connection ends, so that a pane whose pod is gone hangs up at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/util.h"
#include "mux/mux_int.h"

#define CHAN_TICK_MS 5
#define CHAN_GIVE_UP_MS 3000 /* a pod that cannot be reached by then */
#define SYNC_GIVE_UP_MS 1000 /* ses echoes a SYNC within a round trip */

enum chan_state {
	CHAN_WAIT,    /* no connection yet: the pod may still be starting */
	CHAN_HELLO,   /* connected, HELLO sent, its answer awaited */
	CHAN_DIRECT,  /* input and updates flow on it */
	CHAN_VIA_SES, /* given up: ses carries this pane */
};

struct chan {
	struct conn conn; /* first: a conn's pipe is its first member */
	struct mux *m;
	uint16_t pane;
	enum chan_state state;
	int handles;  /* open libuv handles (hello poll, pty poll, conn) */
	bool orphan;  /* the pane left the layout: free once all closed */
	bool conn_up; /* conn set up, not yet closed */
	uint64_t give_up;
	int sock;     /* until conn owns it */
	uv_poll_t hello;
	bool hello_ok;
	int pty;      /* the pane's terminal, or -1 */
	uv_poll_t pty_poll;
	bool pty_polling;
	bool pty_poll_init;
	struct wbuf to_pty; /* keys the terminal has no room for yet */
	struct wbuf held;   /* input typed before the channel was up */
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
chan_maybe_free(struct chan *ch)
{
	if (!ch->orphan || ch->handles > 0)
		return;
	if (ch->sock >= 0)
		close(ch->sock);
	wbuf_free(&ch->held);
	wbuf_free(&ch->to_pty);
	free(ch);
}

static void
handle_closed(uv_handle_t *h)
{
	struct chan *ch = h->data;

	ch->handles--;
	chan_maybe_free(ch);
}

/* Give the terminal back: its poll (if any) closes first. */
static void
pty_release(struct chan *ch)
{
	if (ch->pty < 0)
		return;
	if (ch->pty_poll_init) {
		ch->pty_poll_init = false;
		ch->pty_polling = false;
		uv_close((uv_handle_t *)&ch->pty_poll, handle_closed);
	}
	close(ch->pty);
	ch->pty = -1;
	wbuf_free(&ch->to_pty);
}

static void
fall_back(struct chan *ch, const char *why)
{
	struct mux *m = ch->m;

	if (ch->state == CHAN_VIA_SES)
		return;
	log_info(&m->log, "pane %u: through ses (%s)", ch->pane, why);
	ch->state = CHAN_VIA_SES;
	pty_release(ch);
	tell_ses(m, ch->pane, false);
	if (ch->held.len)
		via_ses(m, ch->pane, ch->held.data, ch->held.len);
	wbuf_free(&ch->held);
	if (ch->conn_up)
		conn_close(&ch->conn, NULL);
}

/* ---- keys into the terminal ---- */

static void pty_poll_cb(uv_poll_t *h, int status, int events);

static void
pty_flush(struct chan *ch)
{
	if (wbuf_write_fd(&ch->to_pty, ch->pty) < 0) {
		/* EIO: the pane's programs are gone, and what they did not
		 * read with them. */
		wbuf_reset(&ch->to_pty);
	}
	if (ch->to_pty.len && !ch->pty_polling) {
		if (!ch->pty_poll_init) {
			uv_poll_init(ch->m->loop, &ch->pty_poll, ch->pty);
			ch->pty_poll.data = ch;
			ch->pty_poll_init = true;
			ch->handles++;
		}
		uv_poll_start(&ch->pty_poll, UV_WRITABLE, pty_poll_cb);
		ch->pty_polling = true;
	} else if (!ch->to_pty.len && ch->pty_polling) {
		uv_poll_stop(&ch->pty_poll);
		ch->pty_polling = false;
	}
}

static void
pty_poll_cb(uv_poll_t *h, int status, int events)
{
	struct chan *ch = h->data;

	(void)events;
	if (status < 0)
		wbuf_reset(&ch->to_pty);
	pty_flush(ch);
}

static void
send_direct(struct chan *ch, const char *p, size_t n)
{
	struct wbuf b;

	if (ch->pty >= 0) {
		wbuf_put(&ch->to_pty, p, n);
		pty_flush(ch);
		return;
	}
	wbuf_init(&b);
	frame_put(&b, MSG_INPUT, ch->pane, p, n);
	conn_send(&ch->conn, &b);
	wbuf_free(&b);
}

/* ---- the connection ---- */

static void
chan_on_frame(struct conn *c, const struct frame *f)
{
	struct chan *ch = (struct chan *)c;

	if (f->type == MSG_PANE_UPDATE && ch->state == CHAN_DIRECT &&
	    f->pane == ch->pane)
		mux_apply_update(ch->m, f);
}

static void
chan_on_close(struct conn *c)
{
	struct chan *ch = (struct chan *)c;

	ch->conn_up = false;
	ch->handles--;
	if (ch->orphan) {
		chan_maybe_free(ch);
		return;
	}
	fall_back(ch, "the pod closed the connection");
}

/* The answer is read; the socket becomes a conn on the loop. */
static void
go_direct(struct chan *ch)
{
	struct mux *m = ch->m;
	int fd = ch->sock;

	ch->sock = -1;
	ch->conn.data = ch;
	ch->conn.on_frame = chan_on_frame;
	ch->conn.on_close = chan_on_close;
	snprintf(ch->conn.name, sizeof ch->conn.name, "pod %u", ch->pane);
	ch->conn_up = true;
	ch->handles++;
	ch->state = CHAN_DIRECT;
	if (conn_open_fd(m->loop, &ch->conn, fd, &m->log) < 0)
		return; /* on_close falls back */
	tell_ses(m, ch->pane, true);
	if (ch->held.len) {
		send_direct(ch, ch->held.data, ch->held.len);
		wbuf_reset(&ch->held);
	}
}

static void
hello_closed(uv_handle_t *h)
{
	struct chan *ch = h->data;

	ch->handles--;
	if (ch->orphan) {
		pty_release(ch);
		chan_maybe_free(ch);
		return;
	}
	if (ch->hello_ok) {
		go_direct(ch);
		return;
	}
	close(ch->sock);
	ch->sock = -1;
	fall_back(ch, "the pod refused");
}

/* Read the pod's answer to HELLO, with the terminal beside it, before
 * libuv takes the socket: exactly its bytes, so that the screen the pod
 * sends behind it stays in the socket for the conn. */
static bool
read_answer(struct chan *ch)
{
	char hdr[FRAME_HDR_SIZE], payload[64];
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { hdr, sizeof hdr };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = ctl, .msg_controllen = sizeof ctl };
	struct frame_reader fr;
	struct frame f;
	const char *why;
	uint32_t len;
	ssize_t n;
	bool ok = false;

	do {
		n = recvmsg(ch->sock, &mh, MSG_CMSG_CLOEXEC);
	} while (n < 0 && errno == EINTR);
	for (struct cmsghdr *cm = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL; cm;
	     cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)) && ch->pty < 0)
			memcpy(&ch->pty, CMSG_DATA(cm), sizeof(int));
	}
	if (n != (ssize_t)sizeof hdr)
		return false;
	len = (uint32_t)(uint8_t)hdr[0] | (uint32_t)(uint8_t)hdr[1] << 8 |
	      (uint32_t)(uint8_t)hdr[2] << 16 | (uint32_t)(uint8_t)hdr[3] << 24;
	if (len > sizeof payload)
		return false;
	do {
		n = recv(ch->sock, payload, len, MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len)
		return false;
	frame_reader_init(&fr, sizeof payload);
	frame_reader_push(&fr, hdr, sizeof hdr);
	frame_reader_push(&fr, payload, len);
	ok = frame_reader_next(&fr, &f, &why) > 0 && f.type == MSG_HELLO_OK;
	frame_reader_free(&fr);
	return ok;
}

static void
hello_cb(uv_poll_t *h, int status, int events)
{
	struct chan *ch = h->data;

	(void)events;
	ch->hello_ok = status == 0 && read_answer(ch);
	if (!ch->hello_ok && ch->pty >= 0) {
		close(ch->pty);
		ch->pty = -1;
	}
	uv_poll_stop(h);
	uv_close((uv_handle_t *)h, hello_closed);
}

static void
try_connect(struct chan *ch)
{
	struct mux *m = ch->m;
	struct msg_hello h = { PROTO_VERSION, PROTO_MIN_VERSION, ROLE_MUX,
			       (uint32_t)getpid(), (char *)m->paths->instance };
	char path[700];
	struct wbuf b;
	ssize_t n;
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
	wbuf_init(&b);
	msg_hello_encode(&b, &h);
	do {
		n = write(fd, b.data, b.len); /* a fresh socket takes it */
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)b.len) {
		wbuf_free(&b);
		close(fd);
		fall_back(ch, "could not say hello");
		return;
	}
	wbuf_free(&b);
	ch->sock = fd;
	ch->state = CHAN_HELLO;
	uv_poll_init(m->loop, &ch->hello, fd);
	ch->hello.data = ch;
	ch->handles++;
	uv_poll_start(&ch->hello, UV_READABLE, hello_cb);
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
		else if (ch->state == CHAN_HELLO && now >= ch->give_up &&
			 !uv_is_closing((uv_handle_t *)&ch->hello)) {
			uv_poll_stop(&ch->hello);
			uv_close((uv_handle_t *)&ch->hello, hello_closed);
		}
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
	ch->sock = -1;
	ch->pty = -1;
	wbuf_init(&ch->held);
	wbuf_init(&ch->to_pty);
	p->ch = ch;
	try_connect(ch);
	if (ch->state == CHAN_WAIT || ch->state == CHAN_HELLO)
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
	ch->orphan = true;
	if (ch->state == CHAN_HELLO &&
	    !uv_is_closing((uv_handle_t *)&ch->hello)) {
		uv_poll_stop(&ch->hello);
		uv_close((uv_handle_t *)&ch->hello, hello_closed);
	}
	pty_release(ch);
	if (ch->conn_up)
		conn_close(&ch->conn, NULL);
	chan_maybe_free(ch);
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
	send_direct(ch, p, n);
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
