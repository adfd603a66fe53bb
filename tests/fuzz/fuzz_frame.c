/*
 * fuzz_frame — arbitrary bytes through the frame reader and every decoder.
 *
 * Beyond memory errors and leaks (the sanitizers' job) it checks two
 * properties and aborts when either breaks:
 *  - a payload that decodes re-encodes to exactly the same bytes, since the
 *    wire format has a single encoding per message; a difference means the
 *    decoder and encoder disagree about a field;
 *  - once the reader reports a bad stream it keeps doing so.
 *
 * Built with clang -fsanitize=fuzzer (see the Makefile's fuzz target), or
 * with tests/fuzz/replay.c to rerun the corpus under a plain compiler.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_hello(const struct frame *f, struct wbuf *b)
{
	struct msg_hello m;

	if (msg_hello_decode(f, &m) == 0) {
		msg_hello_encode(b, &m);
		msg_hello_free(&m);
	}
}

static void
check_hello_ok(const struct frame *f, struct wbuf *b)
{
	struct msg_hello_ok m;

	if (msg_hello_ok_decode(f, &m) == 0)
		msg_hello_ok_encode(b, &m);
}

static void
check_error(const struct frame *f, struct wbuf *b)
{
	struct msg_error m;

	if (msg_error_decode(f, &m) == 0) {
		msg_error_encode(b, f->pane, m.code, m.message);
		msg_error_free(&m);
	}
}

static void
check_text(const struct frame *f, struct wbuf *b)
{
	struct msg_text m;

	if (msg_text_decode(f, &m) == 0) {
		msg_text_encode(b, f->pane, m.text, strlen(m.text));
		msg_text_free(&m);
	}
}

static void
check_session_new(const struct frame *f, struct wbuf *b)
{
	struct msg_session_new m;

	if (msg_session_new_decode(f, &m) == 0) {
		msg_session_new_encode(b, &m);
		msg_session_new_free(&m);
	}
}

static void
check_attach(const struct frame *f, struct wbuf *b)
{
	struct msg_attach m;

	if (msg_attach_decode(f, &m) == 0) {
		msg_attach_encode(b, &m);
		msg_attach_free(&m);
	}
}

static void
check_resize(const struct frame *f, struct wbuf *b)
{
	struct msg_resize m;

	if (msg_resize_decode(f, &m) == 0)
		msg_resize_encode(b, f->pane, &m);
}

static void
check_send(const struct frame *f, struct wbuf *b)
{
	struct msg_send m;

	if (msg_send_decode(f, &m) == 0) {
		msg_send_encode(b, &m);
		msg_send_free(&m);
	}
}

static void
check_capture(const struct frame *f, struct wbuf *b)
{
	struct msg_capture m;

	if (msg_capture_decode(f, &m) == 0) {
		msg_capture_encode(b, f->pane, &m);
		msg_capture_free(&m);
	}
}

static void
check_name(const struct frame *f, struct wbuf *b)
{
	struct msg_name m;

	if (msg_name_decode(f, &m) == 0) {
		msg_name_encode(b, f->type, &m);
		msg_name_free(&m);
	}
}

static void
check_scrollback_read(const struct frame *f, struct wbuf *b)
{
	struct msg_scrollback_read m;

	if (msg_scrollback_read_decode(f, &m) == 0)
		msg_scrollback_read_encode(b, f->pane, &m);
}

static void
check_scrollback_rows(const struct frame *f, struct wbuf *b)
{
	struct msg_scrollback_rows m;

	if (msg_scrollback_rows_decode(f, &m) == 0) {
		msg_scrollback_rows_encode(b, f->pane, &m);
		msg_scrollback_rows_free(&m);
	}
}

static void
check_search(const struct frame *f, struct wbuf *b)
{
	struct msg_search m;

	if (msg_search_decode(f, &m) == 0) {
		msg_search_encode(b, f->pane, &m);
		msg_search_free(&m);
	}
}

static void
check_search_result(const struct frame *f, struct wbuf *b)
{
	struct msg_search_result m;

	if (msg_search_result_decode(f, &m) == 0)
		msg_search_result_encode(b, f->pane, &m);
}

static void
check_action(const struct frame *f, struct wbuf *b)
{
	struct msg_action m;

	if (msg_action_decode(f, &m) == 0) {
		msg_action_encode(b, &m);
		msg_action_free(&m);
	}
}

static void
check_session_info(const struct frame *f, struct wbuf *b)
{
	struct msg_session_info m;

	if (msg_session_info_decode(f, &m) == 0) {
		msg_session_info_encode(b, &m);
		msg_session_info_free(&m);
	}
}

static void
check_layout(const struct frame *f, struct wbuf *b)
{
	struct msg_layout m;

	if (msg_layout_decode(f, &m) == 0) {
		msg_layout_encode(b, &m);
		msg_layout_free(&m);
	}
}

static void
check_exit_status(const struct frame *f, struct wbuf *b)
{
	struct msg_exit_status m;

	if (msg_exit_status_decode(f, &m) == 0)
		msg_exit_status_encode(b, f->type, f->pane, &m);
}

static void
check_detached(const struct frame *f, struct wbuf *b)
{
	struct msg_detached m;

	if (msg_detached_decode(f, &m) == 0) {
		msg_detached_encode(b, &m);
		msg_detached_free(&m);
	}
}

static void
check_pod_info(const struct frame *f, struct wbuf *b)
{
	struct msg_pod_info m;

	if (msg_pod_info_decode(f, &m) == 0) {
		msg_pod_info_encode(b, &m);
		msg_pod_info_free(&m);
	}
}

static void
check_empty(const struct frame *f, struct wbuf *b)
{
	if (msg_empty_decode(f) == 0)
		msg_empty_encode(b, f->type, f->pane);
}

/* Raw payloads (INPUT, PANE_UPDATE) and unknown types have nothing to
 * decode here; the caller of the reader owns them. */
typedef void (*checker)(const struct frame *f, struct wbuf *b);

static checker
checker_for(uint16_t type)
{
	switch ((enum msg_type)type) {
	case MSG_HELLO: return check_hello;
	case MSG_HELLO_OK: return check_hello_ok;
	case MSG_ERROR: return check_error;
	case MSG_TEXT: return check_text;
	case MSG_SESSION_NEW: return check_session_new;
	case MSG_ATTACH: return check_attach;
	case MSG_RESIZE: return check_resize;
	case MSG_SEND: return check_send;
	case MSG_CAPTURE: return check_capture;
	case MSG_SESSION_KILL: return check_name;
	case MSG_SCROLLBACK_READ: return check_scrollback_read;
	case MSG_SCROLLBACK_ROWS: return check_scrollback_rows;
	case MSG_SEARCH: return check_search;
	case MSG_SEARCH_RESULT: return check_search_result;
	case MSG_ACTION: return check_action;
	case MSG_SESSION_INFO: return check_session_info;
	case MSG_LAYOUT: return check_layout;
	case MSG_PANE_EXITED:
	case MSG_POD_EXIT: return check_exit_status;
	case MSG_DETACHED: return check_detached;
	case MSG_POD_INFO: return check_pod_info;
	case MSG_OK:
	case MSG_DETACH:
	case MSG_SESSION_LIST:
	case MSG_SERVER_STOP:
	case MSG_POD_LIST:
	case MSG_SNAPSHOT:
	case MSG_SYNC:
	case MSG_POD_KILL: return check_empty;
	case MSG_VIEW: /* one byte, read leniently */
	case MSG_INPUT:
	case MSG_PANE_UPDATE: return NULL;
	}
	return NULL;
}

static void
check_frame(const struct frame *f, struct wbuf *b)
{
	checker c = checker_for(f->type);

	(void)msg_type_name(f->type);
	if (!c)
		return;
	wbuf_reset(b);
	c(f, b);
	if (b->len == 0)
		return; /* did not decode: fine, it was garbage */
	if (b->len != FRAME_HDR_SIZE + f->len ||
	    memcmp(b->data + FRAME_HDR_SIZE, f->payload, f->len) != 0)
		abort();
}

/* Returns false once the stream has been declared bad. */
static bool
drain(struct frame_reader *fr, struct wbuf *b)
{
	struct frame f;
	const char *why = NULL;
	int rc;

	while ((rc = frame_reader_next(fr, &f, &why)) == 1)
		check_frame(&f, b);
	if (rc == -1 && (!why || !*why))
		abort();
	return rc == 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first byte picks where the stream is cut, so the fuzzer also
	 * explores frames arriving in two reads. */
	size_t cut = size ? data[0] % (size + 1) : 0;
	struct frame_reader fr;
	struct wbuf b;
	bool ok;

	frame_reader_init(&fr, FRAME_MAX);
	wbuf_init(&b);
	frame_reader_push(&fr, data, cut);
	ok = drain(&fr, &b);
	frame_reader_push(&fr, data + cut, size - cut);
	if (drain(&fr, &b) && !ok)
		abort(); /* a bad stream came good again */
	wbuf_free(&b);
	frame_reader_free(&fr);
	return 0;
}
