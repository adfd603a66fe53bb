/*
 * proto — the one framing and the messages spoken on every hexe socket
 * (mux ↔ ses, CLI ↔ ses, ses ↔ pod).
 *
 * A frame is a fixed little-endian header, `u32 length, u16 type,
 * u16 pane`, followed by `length` bytes of payload. Strings are a u32
 * length and bytes; string lists a u32 count and strings. A frame larger
 * than FRAME_MAX, or a payload that does not decode exactly, closes that one
 * connection with a logged reason.
 *
 * Requests on one connection are answered in order, so no request ids are
 * needed: a peer keeps a queue of who asked.
 */
#ifndef HEXE_PROTO_H
#define HEXE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Overridable at build time only so that the tests can build a "newer"
 * binary and check adoption across versions. */
#ifndef PROTO_VERSION
#define PROTO_VERSION 2u
#endif
/* The oldest peer version this binary can still talk to. */
#ifndef PROTO_MIN_VERSION
#define PROTO_MIN_VERSION 1u
#endif

#define FRAME_HDR_SIZE 8u
#define FRAME_MAX (16u << 20)

enum msg_type {
	/* any direction */
	MSG_HELLO = 1,
	MSG_HELLO_OK,
	MSG_ERROR,
	MSG_OK,
	MSG_TEXT,

	/* client (mux or CLI) → ses */
	MSG_SESSION_NEW = 16,
	MSG_ATTACH,
	MSG_DETACH,
	MSG_RESIZE, /* client → ses: terminal size; ses → pod: pane size */
	MSG_INPUT,  /* pane in header; payload is raw bytes (also ses → pod) */
	MSG_SEND,
	MSG_CAPTURE, /* client → ses with a target; ses → pod without */
	MSG_SESSION_LIST,
	MSG_SESSION_KILL,
	MSG_SERVER_STOP,
	MSG_POD_LIST,
	MSG_SCROLLBACK_READ, /* pane in header (also ses → pod) */
	MSG_SCROLLBACK_ROWS, /* reply, pane in header */
	MSG_SEARCH,          /* pane in header (also ses → pod) */
	MSG_SEARCH_RESULT,   /* reply, pane in header */
	MSG_ACTION,          /* a keymap action, by name */
	MSG_SYNC,            /* mux → ses, echoed once all before it is done */
	MSG_VIEW, /* pane in header, payload u8: mux → ses "I view it
		   * directly (1) / through you (0)"; ses → pod (v2) "send
		   * me updates (1) / not (0)" */

	/* ses → mux */
	MSG_SESSION_INFO = 48,
	MSG_LAYOUT,
	MSG_PANE_UPDATE, /* pod → ses → mux; payload is the update codec's */
	MSG_PANE_EXITED,
	MSG_DETACHED,

	/* ses ↔ pod */
	MSG_POD_INFO = 64, /* pod → ses after HELLO, and when it changes */
	MSG_SNAPSHOT,      /* ses → pod: send a full PANE_UPDATE */
	MSG_POD_EXIT,      /* pod → ses: the child exited */
	MSG_POD_KILL,      /* ses → pod: end the pane */
};

/* Protocol 2: a mux may connect to a pod's socket itself (ROLE_MUX) for
 * the panes it shows, and ses may turn a pod's updates to it off. */
#define PROTO_DIRECT_VERSION 2u

enum peer_role {
	ROLE_MUX = 1,
	ROLE_CLI = 2,
	ROLE_SES = 3,
	ROLE_POD = 4,
};

struct frame {
	uint16_t type;
	uint16_t pane;
	uint32_t len;
	const char *payload;
};

/* Start a frame in b; returns the offset to pass to frame_end, which writes
 * the payload length once the payload has been appended. */
size_t frame_begin(struct wbuf *b, uint16_t type, uint16_t pane);
void frame_end(struct wbuf *b, size_t start);
/* A frame with a raw payload, in one call. */
void frame_put(struct wbuf *b, uint16_t type, uint16_t pane, const void *p,
	       size_t n);

/* Accumulates bytes from a stream and cuts frames out of them. */
struct frame_reader {
	struct wbuf in;
	size_t off; /* start of the first unconsumed byte */
	size_t max; /* largest accepted payload */
};

void frame_reader_init(struct frame_reader *fr, size_t max);
void frame_reader_free(struct frame_reader *fr);
void frame_reader_push(struct frame_reader *fr, const void *p, size_t n);
/* 1 and *f filled (valid until the next call), 0 when more bytes are
 * needed, -1 with *why set when the stream is bad (oversized frame). */
int frame_reader_next(struct frame_reader *fr, struct frame *f,
		      const char **why);

/* ---- messages ----
 * Each has a struct, an encoder that appends a whole frame to a wbuf, a
 * decoder that fills the struct from a frame's payload (0, or -1 when the
 * payload is short, too long or malformed) and, when it holds allocations,
 * a free function. Decoded strings are fresh NUL-terminated copies. */

struct strv {
	uint32_t n;
	char **v; /* n entries, then NULL */
};

void strv_free(struct strv *sv);

struct msg_hello {
	uint32_t version;
	uint32_t min_version;
	uint8_t role;
	uint32_t pid;
	char *instance;
};

struct msg_hello_ok {
	uint32_t version;
	uint32_t pid;
};

struct msg_error {
	int32_t code; /* negative errno, or 0 */
	char *message;
};

struct msg_text {
	char *text;
};

enum session_new_flags {
	SESSION_NEW_ATTACH = 1, /* the creating client attaches at once */
};

struct msg_session_new {
	char *name; /* empty: ses picks one */
	uint16_t cols, rows;
	uint8_t flags;
	char *cwd;
	struct strv argv; /* empty: the user's shell */
	struct strv env;  /* the client's environment */
	char *layout;     /* a configured layout's name; empty: "default" */
};

struct msg_attach {
	char *name; /* empty: the most recent session */
	uint16_t cols, rows;
	char *term;
};

struct msg_resize {
	uint16_t cols, rows;
};

struct msg_send {
	char *target; /* NAME[:PANE] */
	size_t len;
	char *data;
};

enum capture_flags {
	CAPTURE_ESCAPES = 1, /* keep colours as SGR sequences (reserved) */
	CAPTURE_SCREEN = 2,  /* the composed screen of an attached mux */
};

struct msg_capture {
	char *target; /* empty when ses asks a pod */
	int32_t scrollback; /* lines of history to prepend */
	uint8_t flags;
};

struct msg_name {
	char *name; /* SESSION_KILL */
};

struct msg_scrollback_read {
	int32_t start;  /* history line, 0 = oldest; negative: from the end */
	uint32_t count;
};

struct msg_scrollback_rows {
	int32_t start;         /* first line actually returned */
	uint32_t history_len;  /* lines of history the pane holds */
	size_t len;
	char *rows; /* the update codec's row encoding */
};

enum search_flags {
	SEARCH_BACKWARD = 1,
	SEARCH_ICASE = 2,
};

struct msg_action {
	char *target; /* "" from an attached mux: its own session */
	char *name;   /* "split.vertical", "float.toggle", ... */
	char *arg;    /* "" when the action takes none */
};

struct msg_search {
	char *pattern;
	int32_t from; /* line to start at: history lines then screen rows */
	uint8_t flags;
};

struct msg_search_result {
	uint8_t found;
	int32_t line;
	uint16_t col;
	uint16_t len;
};

struct msg_session_info {
	char *name;
	uint16_t pane;
};

enum layout_pane_flags {
	LAYOUT_FOCUSED = 1,
	LAYOUT_FLOAT = 2,
	LAYOUT_ZOOMED = 4,
	LAYOUT_EXITED = 8,
};

struct layout_pane {
	uint16_t id;
	uint16_t x, y, w, h;
	uint8_t flags;
	char *title;
	char *info; /* profile and warnings, for the status bar */
};

struct msg_layout {
	char *session;
	uint16_t cols, rows; /* the session's size */
	uint16_t active_tab;
	struct strv tabs;    /* tab names */
	uint16_t npanes;     /* panes of the active tab, floats last */
	struct layout_pane *panes;
	char *status; /* warnings for the status bar, empty when none */
};

struct msg_exit_status {
	int32_t status; /* wait status as from waitpid */
};

struct msg_detached {
	char *reason;
};

enum pod_state {
	POD_STARTING = 0,
	POD_RUNNING = 1,
	POD_EXITED = 2,
};

struct msg_pod_info {
	uint32_t version;     /* the pod binary's PROTO_VERSION */
	uint16_t pane;
	uint32_t pod_pid;
	uint32_t child_pid;
	uint8_t state;
	int32_t exit_status;
	uint16_t cols, rows;
	uint64_t created; /* unix time, seconds */
	char *session;
	char *cwd;
	char *title;
	char *profile;
	char *info; /* limits, cgroup, warnings: free text */
	struct strv argv;
};

/* Encoders: append one whole frame. */
void msg_hello_encode(struct wbuf *b, const struct msg_hello *m);
void msg_hello_ok_encode(struct wbuf *b, const struct msg_hello_ok *m);
void msg_error_encode(struct wbuf *b, uint16_t pane, int32_t code,
		      const char *message);
void msg_ok_encode(struct wbuf *b, uint16_t pane);
void msg_text_encode(struct wbuf *b, uint16_t pane, const char *text,
		     size_t len);
void msg_session_new_encode(struct wbuf *b, const struct msg_session_new *m);
void msg_attach_encode(struct wbuf *b, const struct msg_attach *m);
void msg_resize_encode(struct wbuf *b, uint16_t pane, const struct msg_resize *m);
void msg_send_encode(struct wbuf *b, const struct msg_send *m);
void msg_capture_encode(struct wbuf *b, uint16_t pane,
			const struct msg_capture *m);
void msg_name_encode(struct wbuf *b, uint16_t type, const struct msg_name *m);
void msg_scrollback_read_encode(struct wbuf *b, uint16_t pane,
				const struct msg_scrollback_read *m);
void msg_scrollback_rows_encode(struct wbuf *b, uint16_t pane,
				const struct msg_scrollback_rows *m);
void msg_action_encode(struct wbuf *b, const struct msg_action *m);
void msg_search_encode(struct wbuf *b, uint16_t pane,
		       const struct msg_search *m);
void msg_search_result_encode(struct wbuf *b, uint16_t pane,
			      const struct msg_search_result *m);
void msg_session_info_encode(struct wbuf *b, const struct msg_session_info *m);
void msg_layout_encode(struct wbuf *b, const struct msg_layout *m);
void msg_exit_status_encode(struct wbuf *b, uint16_t type, uint16_t pane,
			    const struct msg_exit_status *m);
void msg_detached_encode(struct wbuf *b, const struct msg_detached *m);
void msg_pod_info_encode(struct wbuf *b, const struct msg_pod_info *m);
/* Messages without payload (DETACH, SESSION_LIST, SERVER_STOP, POD_LIST,
 * SNAPSHOT, POD_KILL, OK) */
void msg_empty_encode(struct wbuf *b, uint16_t type, uint16_t pane);

/* Decoders. */
int msg_hello_decode(const struct frame *f, struct msg_hello *m);
int msg_hello_ok_decode(const struct frame *f, struct msg_hello_ok *m);
int msg_error_decode(const struct frame *f, struct msg_error *m);
int msg_text_decode(const struct frame *f, struct msg_text *m);
int msg_session_new_decode(const struct frame *f, struct msg_session_new *m);
int msg_attach_decode(const struct frame *f, struct msg_attach *m);
int msg_resize_decode(const struct frame *f, struct msg_resize *m);
int msg_send_decode(const struct frame *f, struct msg_send *m);
int msg_capture_decode(const struct frame *f, struct msg_capture *m);
int msg_name_decode(const struct frame *f, struct msg_name *m);
int msg_scrollback_read_decode(const struct frame *f,
			       struct msg_scrollback_read *m);
int msg_scrollback_rows_decode(const struct frame *f,
			       struct msg_scrollback_rows *m);
int msg_action_decode(const struct frame *f, struct msg_action *m);
int msg_search_decode(const struct frame *f, struct msg_search *m);
int msg_search_result_decode(const struct frame *f,
			     struct msg_search_result *m);
int msg_session_info_decode(const struct frame *f, struct msg_session_info *m);
int msg_layout_decode(const struct frame *f, struct msg_layout *m);
int msg_exit_status_decode(const struct frame *f, struct msg_exit_status *m);
int msg_detached_decode(const struct frame *f, struct msg_detached *m);
int msg_pod_info_decode(const struct frame *f, struct msg_pod_info *m);
/* 0 when the frame has an empty payload, as it must for these types. */
int msg_empty_decode(const struct frame *f);

void msg_hello_free(struct msg_hello *m);
void msg_error_free(struct msg_error *m);
void msg_text_free(struct msg_text *m);
void msg_session_new_free(struct msg_session_new *m);
void msg_attach_free(struct msg_attach *m);
void msg_send_free(struct msg_send *m);
void msg_capture_free(struct msg_capture *m);
void msg_name_free(struct msg_name *m);
void msg_scrollback_rows_free(struct msg_scrollback_rows *m);
void msg_action_free(struct msg_action *m);
void msg_search_free(struct msg_search *m);
void msg_session_info_free(struct msg_session_info *m);
void msg_layout_free(struct msg_layout *m);
void msg_detached_free(struct msg_detached *m);
void msg_pod_info_free(struct msg_pod_info *m);

/* Name of a message type for logs ("PANE_UPDATE"), "?" when unknown. */
const char *msg_type_name(uint16_t type);

#endif
