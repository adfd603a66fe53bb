/*
 * pod_int — the pod process's own state, shared by its two files: pod.c
 * (the PTY, the child, life and death) and peers.c (who is connected:
 * ses, and the muxes that show the pane, and what each is sent). Nothing
 * outside src/pod/pod*.c and peers.c includes this.
 */
#ifndef HEXE_POD_INT_H
#define HEXE_POD_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "core/buf.h"
#include "core/conn.h"
#include "core/log.h"
#include "pod/isolation.h"
#include "pod/spawn.h"

#define POD_FRAME_MS 8
#define POD_READ_MAX (1u << 20)       /* per loop turn, for fairness */
#define POD_INPUT_HIGH (8u << 20)     /* pause reading input above this */
#define POD_UPDATE_BACKLOG (1u << 20) /* a peer this far behind skips */
#define POD_LINGER_MS 3000
#define POD_RATE_WINDOW_MS 100
#define POD_FLOOD_BYTES (512u << 10) /* in a window: a flood, not typing */

struct pod_opts {
	const char *instance;
	const char *runtime;
	const char *session;
	const char *cwd;
	unsigned id;
	int cols, rows;
	int history;
	int ses_fd;
	bool login;
	char **argv;
};

/* One connection: ses, or a mux showing the pane (protocol 2). */
struct pod_peer {
	struct conn conn; /* first: a conn's pipe is its first member */
	struct pod *pod;
	uint8_t role;  /* 0 until its HELLO */
	bool updates;  /* is sent PANE_UPDATEs */
	bool stalled;  /* skipped updates while behind: owes a full screen */
	struct pod_peer *next;
};

struct pod {
	uv_loop_t *loop;
	struct pod_opts o;
	struct hlog log;
	struct isolation iso;
	char sock_path[600];
	uv_pipe_t server;

	struct pod_child pc;
	int master; /* pc.master, or -1 */
	uv_poll_t pty_poll;
	int pty_events;
	struct wbuf to_pty; /* input waiting for the PTY to accept it */

	pid_t child;
	bool child_exited;
	int child_status;
	bool pty_eof;
	uint64_t created;
	char info[512];

	struct vt *vt;
	/* output per window, to tell a flood from typing (core/slice.h) */
	uint64_t rate_start_ms;
	size_t rate_bytes;
	bool flooding;
	uv_timer_t frame_timer;
	uint64_t last_sent_ms;
	bool timer_armed;

	struct pod_peer *peers; /* every open connection */
	struct pod_peer *ses;   /* the adopted ses, after its HELLO */
	uv_signal_t sig_chld, sig_term, sig_hup, sig_int;
	uv_timer_t linger;
	bool exit_sent;
	bool quitting;
};

/* pod.c */
void pod_send_info(struct pod *pod, struct conn *c);
void pod_write_pty(struct pod *pod);
void pod_update_poll(struct pod *pod);
void pod_schedule_update(struct pod *pod);
void pod_maybe_finish(struct pod *pod);
void pod_kill_child(struct pod *pod, int sig);

/* peers.c */
/* A new connection on the pod's socket, or the one inherited from ses. */
void pod_server_cb(uv_stream_t *server, int status);
struct pod_peer *pod_peer_new(struct pod *pod);
/* Someone is to be sent updates (else damage just accumulates). */
bool pod_has_viewers(const struct pod *pod);
/* The damage since the last update, to every viewer that keeps up. */
void pod_broadcast(struct pod *pod);
/* Input was taken off the peers while the PTY was full: read again. */
void pod_peers_resume(struct pod *pod);

#endif
