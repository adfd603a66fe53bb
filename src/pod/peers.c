/*
 * peers — who is connected to a pod, and what each is sent.
 *
 * ses is the one peer that controls the pane (size, snapshots, kill,
 * capture, history); a mux that shows the pane may connect too (protocol
 * 2), so that keys and screen updates skip a hop through ses. Updates are
 * encoded once per frame and sent to every viewer that keeps up; one that
 * falls behind skips frames and gets the whole screen once it has drained.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/proto.h"
#include "core/util.h"
#include "pod/pod_int.h"
#include "pod/pty.h"
#include "pod/vt.h"

/* ---- updates ---- */

bool
pod_has_viewers(const struct pod *pod)
{
	for (const struct pod_peer *p = pod->peers; p; p = p->next) {
		if (p->updates && !p->conn.closing)
			return true;
	}
	return false;
}

static void
send_copy(struct pod_peer *p, const struct wbuf *b)
{
	struct wbuf c;

	wbuf_init(&c);
	wbuf_put(&c, b->data, b->len);
	conn_send(&p->conn, &c);
	wbuf_free(&c);
}

static bool
keeps_up(struct pod_peer *p)
{
	if (!p->updates || p->conn.closing || p->stalled)
		return false;
	if (conn_backlog(&p->conn) > POD_UPDATE_BACKLOG) {
		p->stalled = true;
		return false;
	}
	return true;
}

void
pod_broadcast(struct pod *pod)
{
	struct wbuf b;
	size_t start;
	int n = 0;

	if (!vt_dirty(pod->vt))
		return;
	for (struct pod_peer *p = pod->peers; p; p = p->next)
		n += keeps_up(p);
	if (n == 0)
		return; /* damage waits; a stalled peer gets a full screen */
	wbuf_init(&b);
	start = frame_begin(&b, MSG_PANE_UPDATE, (uint16_t)pod->o.id);
	vt_encode_update(pod->vt, false, &b);
	frame_end(&b, start);
	for (struct pod_peer *p = pod->peers; p; p = p->next) {
		if (p->updates && !p->conn.closing && !p->stalled)
			send_copy(p, &b);
	}
	wbuf_free(&b);
	pod->last_sent_ms = now_ms();
}

/* The whole screen to one peer; the others get the damage first, which
 * the full encoding would otherwise clear under them. */
static void
send_full(struct pod *pod, struct pod_peer *to)
{
	struct wbuf b;
	size_t start;

	pod_broadcast(pod);
	wbuf_init(&b);
	start = frame_begin(&b, MSG_PANE_UPDATE, (uint16_t)pod->o.id);
	vt_encode_update(pod->vt, true, &b);
	frame_end(&b, start);
	conn_send(&to->conn, &b);
	wbuf_free(&b);
	to->stalled = false;
}

static void
peer_drained(struct conn *c)
{
	struct pod_peer *p = (struct pod_peer *)c;
	struct pod *pod = p->pod;

	if (p->stalled && p->updates)
		send_full(pod, p);
	else if (vt_dirty(pod->vt))
		pod_broadcast(pod);
	pod_maybe_finish(pod);
}

void
pod_peers_resume(struct pod *pod)
{
	for (struct pod_peer *p = pod->peers; p; p = p->next)
		conn_resume(&p->conn);
}

/* ---- requests ---- */

static void
reply_error(struct conn *c, uint16_t pane, int code, const char *msg)
{
	struct wbuf b;

	wbuf_init(&b);
	msg_error_encode(&b, pane, code, msg);
	conn_send(c, &b);
	wbuf_free(&b);
}

static void
pod_on_capture(struct pod *pod, struct conn *c, const struct frame *f)
{
	struct msg_capture m;
	struct wbuf text, b;

	if (msg_capture_decode(f, &m) < 0) {
		reply_error(c, f->pane, -EINVAL, "malformed capture request");
		return;
	}
	wbuf_init(&text);
	vt_capture(pod->vt, m.scrollback, &text);
	wbuf_init(&b);
	msg_text_encode(&b, (uint16_t)pod->o.id, text.data ? text.data : "",
			text.len);
	conn_send(c, &b);
	wbuf_free(&b);
	wbuf_free(&text);
	msg_capture_free(&m);
}

static void
pod_on_history(struct pod *pod, struct conn *c, const struct frame *f)
{
	struct msg_scrollback_read m;
	struct msg_scrollback_rows r;
	struct wbuf rows, b;
	int first = 0, hlen = 0;

	if (msg_scrollback_read_decode(f, &m) < 0) {
		reply_error(c, f->pane, -EINVAL, "malformed scrollback request");
		return;
	}
	wbuf_init(&rows);
	vt_read_history(pod->vt, m.start, (int)(m.count > 10000 ? 10000 : m.count),
			&rows, &first, &hlen);
	r.start = first;
	r.history_len = (uint32_t)hlen;
	r.len = rows.len;
	r.rows = rows.data;
	wbuf_init(&b);
	msg_scrollback_rows_encode(&b, (uint16_t)pod->o.id, &r);
	conn_send(c, &b);
	wbuf_free(&b);
	wbuf_free(&rows);
}

static void
pod_on_search(struct pod *pod, struct conn *c, const struct frame *f)
{
	struct msg_search m;
	struct msg_search_result r = { 0, 0, 0, 0 };
	struct wbuf b;
	int line = 0, col = 0, len = 0;

	if (msg_search_decode(f, &m) < 0) {
		reply_error(c, f->pane, -EINVAL, "malformed search request");
		return;
	}
	if (vt_search(pod->vt, m.pattern, m.from, m.flags & SEARCH_BACKWARD,
		      m.flags & SEARCH_ICASE, &line, &col, &len) == 1) {
		r.found = 1;
		r.line = line;
		r.col = (uint16_t)col;
		r.len = (uint16_t)len;
	}
	wbuf_init(&b);
	msg_search_result_encode(&b, (uint16_t)pod->o.id, &r);
	conn_send(c, &b);
	wbuf_free(&b);
	msg_search_free(&m);
}

static void
pod_on_input(struct pod *pod, struct pod_peer *p, const struct frame *f)
{
	if (pod->pty_eof || pod->child_exited)
		return;
	wbuf_put(&pod->to_pty, f->payload, f->len);
	pod_write_pty(pod);
	if (pod->to_pty.len > POD_INPUT_HIGH)
		conn_pause(&p->conn); /* back-pressure to the typist */
	pod_update_poll(pod);
}

static void
pod_on_resize(struct pod *pod, const struct frame *f)
{
	struct msg_resize m;

	if (msg_resize_decode(f, &m) < 0 || m.cols < 1 || m.rows < 1)
		return;
	if (m.cols == pod->o.cols && m.rows == pod->o.rows)
		return;
	pod->o.cols = m.cols;
	pod->o.rows = m.rows;
	vt_resize(pod->vt, m.cols, m.rows);
	if (pod->master >= 0)
		pty_resize(pod->master, m.cols, m.rows);
	log_debug(&pod->log, "resized to %ux%u", m.cols, m.rows);
	pod_schedule_update(pod);
}

/* ses turns its updates off while every client showing the pane has its
 * own connection here, and on again when one has not. */
static void
pod_on_view(struct pod *pod, struct pod_peer *p, const struct frame *f)
{
	bool on = f->len >= 1 && f->payload[0];

	if (on == p->updates)
		return;
	p->updates = on;
	p->stalled = false;
	log_debug(&pod->log, "ses %s updates", on ? "wants" : "needs no");
	if (on)
		pod_schedule_update(pod);
}

/* A frame with an fd beside it (SCM_RIGHTS), or without when fd < 0. A
 * new connection has nothing queued, so the frame can go out at once. */
static void
send_with_fd(struct pod *pod, struct pod_peer *p, struct wbuf *b, int fd)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { b->data, b->len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	uv_os_fd_t sock;
	ssize_t n = -1;

	if (fd >= 0 && conn_backlog(&p->conn) == 0 &&
	    uv_fileno((uv_handle_t *)&p->conn.pipe, &sock) == 0) {
		struct cmsghdr *cm;

		memset(ctl, 0, sizeof ctl);
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof ctl;
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof fd);
		do {
			n = sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			log_warn(&pod->log, "cannot pass the terminal to a mux: %s",
				 strerror(errno));
	}
	if (n > 0)
		wbuf_consume(b, (size_t)n);
	conn_send(&p->conn, b);
}

static void
pod_on_hello(struct pod *pod, struct pod_peer *p, const struct frame *f)
{
	struct msg_hello h;
	struct msg_hello_ok ok = { PROTO_VERSION, (uint32_t)getpid() };
	struct wbuf b;
	struct conn *c = &p->conn;

	if (p->role) {
		conn_close(c, "second hello");
		return;
	}
	if (msg_hello_decode(f, &h) < 0) {
		conn_close(c, "malformed hello");
		return;
	}
	if (h.version < PROTO_MIN_VERSION || h.min_version > PROTO_VERSION ||
	    (h.role != ROLE_SES && h.role != ROLE_MUX)) {
		char msg[160];

		snprintf(msg, sizeof msg,
			 "pod %u speaks protocol %u (oldest %u); peer speaks %u "
			 "(oldest %u)",
			 pod->o.id, PROTO_VERSION, PROTO_MIN_VERSION, h.version,
			 h.min_version);
		reply_error(c, 0, -EPROTONOSUPPORT, msg);
		msg_hello_free(&h);
		return;
	}
	p->role = h.role;
	msg_hello_free(&h);
	wbuf_init(&b);
	msg_hello_ok_encode(&b, &ok);
	if (p->role == ROLE_MUX) {
		/* The terminal goes with the answer, so that keys reach it
		 * without waking the pod; the screen follows at once. */
		snprintf(c->name, sizeof c->name, "pod %u mux", pod->o.id);
		send_with_fd(pod, p, &b,
			     pod->pty_eof || pod->child_exited ? -1 : pod->master);
		wbuf_free(&b);
		p->updates = true;
		send_full(pod, p);
		log_debug(&pod->log, "mux pid %d views the pane",
			  (int)c->peer_pid);
		return;
	}
	conn_send(c, &b);
	wbuf_free(&b);
	if (pod->ses && pod->ses != p) {
		log_info(&pod->log, "a newer ses (pid %d) took over",
			 (int)c->peer_pid);
		conn_close(&pod->ses->conn, "replaced by a newer ses");
	}
	pod->ses = p;
	/* A ses that never speaks of views (protocol 1) wants every update. */
	p->updates = true;
	pod_send_info(pod, c);
	log_info(&pod->log, "adopted by ses pid %d", (int)c->peer_pid);
	if (pod->child_exited && pod->pty_eof)
		pod_maybe_finish(pod);
}

static void
pod_on_mux_frame(struct pod *pod, struct pod_peer *p, const struct frame *f)
{
	if (f->type == MSG_INPUT) {
		pod_on_input(pod, p, f);
		return;
	}
	log_warn(&pod->log, "unexpected %s from a mux; dropping it",
		 msg_type_name(f->type));
	conn_close(&p->conn, "unexpected message");
}

static void
pod_on_frame(struct conn *c, const struct frame *f)
{
	struct pod_peer *p = (struct pod_peer *)c;
	struct pod *pod = p->pod;

	if (f->type == MSG_HELLO) {
		pod_on_hello(pod, p, f);
		return;
	}
	if (p->role == ROLE_MUX) {
		pod_on_mux_frame(pod, p, f);
		return;
	}
	if (pod->ses != p) {
		conn_close(c, "request before HELLO");
		return;
	}
	switch (f->type) {
	case MSG_INPUT: pod_on_input(pod, p, f); break;
	case MSG_RESIZE: pod_on_resize(pod, f); break;
	case MSG_SNAPSHOT: send_full(pod, p); break;
	case MSG_VIEW: pod_on_view(pod, p, f); break;
	case MSG_CAPTURE: pod_on_capture(pod, c, f); break;
	case MSG_SCROLLBACK_READ: pod_on_history(pod, c, f); break;
	case MSG_SEARCH: pod_on_search(pod, c, f); break;
	case MSG_POD_INFO: pod_send_info(pod, c); break;
	case MSG_POD_KILL:
		log_info(&pod->log, "asked to end the pane");
		pod_kill_child(pod, SIGHUP);
		break;
	default:
		log_warn(&pod->log, "unexpected %s from ses; dropping it",
			 msg_type_name(f->type));
		conn_close(c, "unexpected message");
	}
}

static void
peer_closed(struct conn *c)
{
	struct pod_peer *p = (struct pod_peer *)c;
	struct pod *pod = p->pod;

	for (struct pod_peer **pp = &pod->peers; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	if (pod->ses == p) {
		pod->ses = NULL;
		log_info(&pod->log, "ses connection closed");
	}
	free(p);
	pod_maybe_finish(pod);
}

struct pod_peer *
pod_peer_new(struct pod *pod)
{
	struct pod_peer *p = xcalloc(1, sizeof *p);

	p->pod = pod;
	p->conn.data = p;
	p->conn.on_frame = pod_on_frame;
	p->conn.on_close = peer_closed;
	p->conn.on_drain = peer_drained;
	snprintf(p->conn.name, sizeof p->conn.name, "pod %u peer", pod->o.id);
	p->next = pod->peers;
	pod->peers = p;
	return p;
}

void
pod_server_cb(uv_stream_t *server, int status)
{
	struct pod *pod = server->data;

	if (status < 0)
		return;
	conn_accept(server, &pod_peer_new(pod)->conn, &pod->log);
}
