/*
 * conn — one framed, non-blocking unix-socket connection on a libuv loop.
 */
#include "core/conn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

#define CONN_RBUF_SIZE 65536

struct conn_write {
	uv_write_t req;
	struct conn *c;
	char *data;
	size_t len;
};

static void
alloc_cb(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct conn *c = h->data;

	(void)hint;
	buf->base = c->rbuf;
	buf->len = CONN_RBUF_SIZE;
}

static void
conn_pump(struct conn *c)
{
	struct frame f;
	const char *why = NULL;
	int rc;

	while (!c->closing && c->reading &&
	       (rc = frame_reader_next(&c->fr, &f, &why)) != 0) {
		if (rc < 0) {
			log_warn(c->log, "%s: dropping connection: %s", c->name,
				 why);
			conn_close(c, why);
			return;
		}
		c->on_frame(c, &f);
	}
}

static void
read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct conn *c = s->data;

	if (n < 0) {
		conn_close(c, n == UV_EOF ? NULL : uv_strerror((int)n));
		return;
	}
	frame_reader_push(&c->fr, buf->base, (size_t)n);
	conn_pump(c);
}

/* Frames read before a pause are handled on the next loop turn after the
 * resume, never from inside the caller that resumed. */
static void
pump_idle_cb(uv_idle_t *h)
{
	struct conn *c = h->data;

	uv_idle_stop(h);
	conn_pump(c);
}

static int
check_peer(struct conn *c, int fd)
{
	struct ucred cred;
	socklen_t len = sizeof cred;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return -errno;
	c->peer_pid = cred.pid;
	c->peer_uid = cred.uid;
	if (cred.uid != getuid()) {
		log_warn(c->log, "refused connection from uid %u (pid %d)",
			 (unsigned)cred.uid, (int)cred.pid);
		return -EPERM;
	}
	return 0;
}

static void
conn_setup(uv_loop_t *loop, struct conn *c, struct hlog *log)
{
	uv_pipe_init(loop, &c->pipe, 0);
	c->pipe.data = c;
	uv_idle_init(loop, &c->pump);
	c->pump.data = c;
	c->handles = 2;
	c->log = log;
	c->backlog = 0;
	c->closing = false;
	c->reading = false;
	c->want_drain = false;
	frame_reader_init(&c->fr, FRAME_MAX);
	c->rbuf = xmalloc(CONN_RBUF_SIZE);
}

static void
start_reading(struct conn *c)
{
	if (!c->reading && !c->closing) {
		uv_read_start((uv_stream_t *)&c->pipe, alloc_cb, read_cb);
		c->reading = true;
	}
}

static void
close_cb(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (--c->handles > 0)
		return;
	frame_reader_free(&c->fr);
	free(c->rbuf);
	c->rbuf = NULL;
	if (c->on_close)
		c->on_close(c);
}

int
conn_accept(uv_stream_t *server, struct conn *c, struct hlog *log)
{
	uv_os_fd_t fd;
	int rc;

	conn_setup(server->loop, c, log);
	if ((rc = uv_accept(server, (uv_stream_t *)&c->pipe)) < 0) {
		conn_close(c, uv_strerror(rc));
		return rc;
	}
	uv_fileno((uv_handle_t *)&c->pipe, &fd);
	if ((rc = check_peer(c, fd)) < 0) {
		conn_close(c, "peer uid differs");
		return rc;
	}
	start_reading(c);
	return 0;
}

int
conn_open_fd(uv_loop_t *loop, struct conn *c, int fd, struct hlog *log)
{
	int rc;

	conn_setup(loop, c, log);
	if ((rc = uv_pipe_open(&c->pipe, fd)) < 0) {
		close(fd);
		conn_close(c, uv_strerror(rc));
		return rc;
	}
	if ((rc = check_peer(c, fd)) < 0) {
		conn_close(c, "peer uid differs");
		return rc;
	}
	start_reading(c);
	return 0;
}

static void
write_cb(uv_write_t *req, int status)
{
	struct conn_write *w = (struct conn_write *)req;
	struct conn *c = w->c;

	c->backlog -= w->len;
	free(w->data);
	free(w);
	if (status < 0 && status != UV_ECANCELED) {
		conn_close(c, uv_strerror(status));
		return;
	}
	if (c->backlog == 0 && c->want_drain && !c->closing) {
		c->want_drain = false;
		if (c->on_drain)
			c->on_drain(c);
	}
}

void
conn_send(struct conn *c, struct wbuf *b)
{
	struct conn_write *w;
	uv_buf_t ub;
	int rc;

	if (b->len == 0)
		return;
	if (c->closing) {
		wbuf_reset(b);
		return;
	}
	if (c->backlog + b->len > CONN_BACKLOG_MAX) {
		log_warn(c->log, "%s: peer stopped reading (%zu bytes queued)",
			 c->name, c->backlog);
		wbuf_reset(b);
		conn_close(c, "peer stopped reading");
		return;
	}
	if (c->backlog == 0) {
		/* Usually the socket takes it all at once: then no write
		 * request is queued, and libuv need not watch for POLLOUT
		 * (one epoll_ctl less per message, on every hop). */
		ub = uv_buf_init(b->data, (unsigned)b->len);
		rc = uv_try_write((uv_stream_t *)&c->pipe, &ub, 1);
		if (rc == (int)b->len) {
			wbuf_reset(b);
			return;
		}
		/* An error is left to the queued write below to report, on
		 * a later turn: closing here would cut short the caller,
		 * which may be in the middle of frames the peer sent before
		 * it went. */
		if (rc > 0)
			wbuf_consume(b, (size_t)rc);
	}
	w = xmalloc(sizeof *w);
	w->c = c;
	w->data = b->data;
	w->len = b->len;
	wbuf_init(b);
	ub = uv_buf_init(w->data, (unsigned)w->len);
	c->backlog += w->len;
	rc = uv_write(&w->req, (uv_stream_t *)&c->pipe, &ub, 1, write_cb);
	if (rc < 0) {
		c->backlog -= w->len;
		free(w->data);
		free(w);
		conn_close(c, uv_strerror(rc));
		return;
	}
	if (c->backlog > 0)
		c->want_drain = true;
}

size_t
conn_backlog(const struct conn *c)
{
	return c->backlog;
}

void
conn_pause(struct conn *c)
{
	if (c->reading && !c->closing) {
		uv_read_stop((uv_stream_t *)&c->pipe);
		c->reading = false;
	}
}

void
conn_resume(struct conn *c)
{
	if (c->reading || c->closing)
		return;
	start_reading(c);
	uv_idle_start(&c->pump, pump_idle_cb);
}

void
conn_close(struct conn *c, const char *why)
{
	if (c->closing)
		return;
	c->closing = true;
	if (why)
		log_debug(c->log, "%s: closed: %s", c->name, why);
	uv_close((uv_handle_t *)&c->pipe, close_cb);
	uv_close((uv_handle_t *)&c->pump, close_cb);
}

int
conn_listen(uv_loop_t *loop, uv_pipe_t *server, const char *path,
	    uv_connection_cb cb)
{
	mode_t old;
	int rc;

	uv_pipe_init(loop, server, 0);
	unlink(path);
	/* The socket is created with the umask; keep it owner-only from the
	 * first moment rather than chmod after. */
	old = umask(0177);
	rc = uv_pipe_bind(server, path);
	umask(old);
	if (rc == 0)
		rc = uv_listen((uv_stream_t *)server, 64, cb);
	return rc;
}

/* A conn's pipe is its first member and points back at it: that is how a
 * handle on the loop is known to be a conn's. */
static void
close_all_cb(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (uv_is_closing(h))
		return;
	if (h->type == UV_NAMED_PIPE && h->data == (void *)h) {
		conn_close(h->data, NULL);
		return;
	}
	if (h->type == UV_IDLE && h->data &&
	    &((struct conn *)h->data)->pump == (uv_idle_t *)h)
		return; /* closed with its conn */
	uv_close(h, NULL);
}

void
conn_close_loop(uv_loop_t *loop)
{
	uv_walk(loop, close_all_cb, NULL);
	uv_run(loop, UV_RUN_DEFAULT);
}
