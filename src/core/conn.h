/*
 * conn — one framed, non-blocking unix-socket connection on a libuv loop.
 *
 * Reads are cut into frames and handed to on_frame; writes are queued
 * without blocking. `conn_backlog` tells a producer how much is still
 * unwritten, so it can skip intermediate screen updates for a slow peer
 * instead of piling them up (the peer later gets a full snapshot). A peer
 * whose backlog passes CONN_BACKLOG_MAX is dropped: it can never stall the
 * process.
 */
#ifndef HEXE_CONN_H
#define HEXE_CONN_H

#include <stdbool.h>
#include <sys/types.h>
#include <uv.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/proto.h"

#define CONN_BACKLOG_MAX (64u << 20)

struct conn;
typedef void (*conn_frame_cb)(struct conn *c, const struct frame *f);
typedef void (*conn_event_cb)(struct conn *c);

struct conn {
	uv_pipe_t pipe; /* first: see conn_close_loop */
	uv_idle_t pump;
	int handles; /* open libuv handles; on_close runs when 0 */
	struct frame_reader fr;
	struct hlog *log;
	void *data;
	conn_frame_cb on_frame;
	conn_event_cb on_close; /* after the handle is closed: free here */
	conn_event_cb on_drain; /* backlog went back to zero */
	size_t backlog;
	bool closing;
	bool reading;
	bool want_drain;
	pid_t peer_pid;
	uid_t peer_uid;
	char name[48];
	/* Allocated with the conn's handles, not zeroed: an idle conn's
	 * pages are never touched (every pane has two or three conns). */
	char *rbuf;
};

/* Accept one connection from a listening pipe. The peer's uid must be ours
 * (SO_PEERCRED); otherwise it is closed and -EPERM returned. On success
 * reading has started. */
int conn_accept(uv_stream_t *server, struct conn *c, struct hlog *log);
/* Wrap an fd that is already connected (the socket is closed on failure). */
int conn_open_fd(uv_loop_t *loop, struct conn *c, int fd, struct hlog *log);
/* Take the bytes of b (b is left empty) and queue them. */
void conn_send(struct conn *c, struct wbuf *b);
size_t conn_backlog(const struct conn *c);
void conn_pause(struct conn *c);
void conn_resume(struct conn *c);
/* Close; on_close runs later on the loop. Safe to call twice. */
void conn_close(struct conn *c, const char *why);

/* At exit: close every handle on the loop — conns through conn_close, so
 * their on_close frees them — and run the loop until all are closed. */
void conn_close_loop(uv_loop_t *loop);

/* Listening socket at path (an existing file there is removed first: the
 * caller holds the lock that makes that safe). Mode 0600. */
int conn_listen(uv_loop_t *loop, uv_pipe_t *server, const char *path,
		uv_connection_cb cb);

#endif
