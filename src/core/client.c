/*
 * client — a blocking, time-bounded connection for one-shot commands.
 */
#include "core/client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/util.h"

int
client_connect(struct client *cl, const char *path)
{
	int fd = unix_connect(path, false);

	cl->fd = -1;
	if (fd < 0)
		return fd;
	cl->fd = fd;
	frame_reader_init(&cl->fr, FRAME_MAX);
	return 0;
}

void
client_close(struct client *cl)
{
	if (cl->fd >= 0) {
		close(cl->fd);
		frame_reader_free(&cl->fr);
	}
	cl->fd = -1;
}

static int
wait_fd(int fd, short ev, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = ev };
	uint64_t now = now_ms();
	int rc;

	if (now >= deadline)
		return 0;
	rc = poll(&p, 1, (int)(deadline - now));
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	return rc;
}

int
client_send(struct client *cl, struct wbuf *b, int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
	size_t off = 0;

	while (off < b->len) {
		ssize_t n = send(cl->fd, b->data + off, b->len - off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			int rc = wait_fd(cl->fd, POLLOUT, deadline);

			if (rc < 0)
				return rc;
			if (rc == 0 && now_ms() >= deadline)
				return -ETIMEDOUT;
			continue;
		}
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	wbuf_reset(b);
	return 0;
}

int
client_recv(struct client *cl, struct frame *f, int timeout_ms)
{
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
	char buf[65536];
	const char *why;

	for (;;) {
		int rc = frame_reader_next(&cl->fr, f, &why);
		ssize_t n;

		if (rc > 0)
			return 1;
		if (rc < 0)
			return -EPROTO;
		rc = wait_fd(cl->fd, POLLIN, deadline);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			if (now_ms() >= deadline)
				return 0;
			continue;
		}
		n = recv(cl->fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		frame_reader_push(&cl->fr, buf, (size_t)n);
	}
}

int
client_hello(struct client *cl, int role, const char *instance, char *err,
	     size_t errsz)
{
	struct msg_hello h = { PROTO_VERSION, PROTO_MIN_VERSION, (uint8_t)role,
			       (uint32_t)getpid(), (char *)instance };
	struct wbuf b;
	struct frame f;
	int rc;

	wbuf_init(&b);
	msg_hello_encode(&b, &h);
	rc = client_request(cl, &b, &f, 5000, err, errsz);
	wbuf_free(&b);
	if (rc < 0)
		return -1;
	if (f.type != MSG_HELLO_OK) {
		snprintf(err, errsz, "unexpected %s in answer to HELLO",
			 msg_type_name(f.type));
		return -1;
	}
	{
		struct msg_hello_ok ok;

		if (msg_hello_ok_decode(&f, &ok) < 0) {
			snprintf(err, errsz, "malformed HELLO_OK");
			return -1;
		}
		if (ok.version < PROTO_MIN_VERSION) {
			snprintf(err, errsz,
				 "peer speaks protocol %u; this hexe needs %u or "
				 "newer", ok.version, PROTO_MIN_VERSION);
			return -1;
		}
		cl->peer_version = ok.version;
	}
	return 0;
}

int
client_request(struct client *cl, struct wbuf *b, struct frame *f,
	       int timeout_ms, char *err, size_t errsz)
{
	int rc;

	if ((rc = client_send(cl, b, timeout_ms)) < 0) {
		snprintf(err, errsz, "cannot send to the daemon: %s",
			 strerror(-rc));
		return -1;
	}
	rc = client_recv(cl, f, timeout_ms);
	if (rc == 0) {
		snprintf(err, errsz, "the daemon did not answer within %d ms",
			 timeout_ms);
		return -1;
	}
	if (rc < 0) {
		snprintf(err, errsz, "lost the daemon: %s",
			 rc == -EPIPE ? "connection closed" : strerror(-rc));
		return -1;
	}
	if (f->type == MSG_ERROR) {
		struct msg_error e;

		if (msg_error_decode(f, &e) == 0) {
			snprintf(err, errsz, "%s", e.message);
			msg_error_free(&e);
		} else {
			snprintf(err, errsz, "malformed error from the daemon");
		}
		return -1;
	}
	return 0;
}
