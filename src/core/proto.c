/*
 * proto — framing, the frame reader, and the encoder/decoder/free triple of
 * every message in proto.h.
 *
 * Decoders read the whole payload through an rbuf and check once at the
 * end: any short read, refused string or leftover byte makes the message
 * malformed, and whatever was allocated on the way is freed again.
 */
#include "core/proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* Smallest wire size of one list entry: a string is at least its length. */
#define STR_MIN 4u
/* Smallest wire size of a layout pane: five u16, a u8, two strings. */
#define LAYOUT_PANE_MIN (5u * 2u + 1u + 2u * STR_MIN)
/* An idle reader gives back a buffer grown this large by one big frame. */
#define READER_KEEP_CAP (64u << 10)
/* Room for the oversized-frame reason, written after the buffered bytes. */
#define WHY_MAX 96u

/* ---- framing ---- */

size_t
frame_begin(struct wbuf *b, uint16_t type, uint16_t pane)
{
	size_t start = b->len;

	wbuf_u32(b, 0);
	wbuf_u16(b, type);
	wbuf_u16(b, pane);
	return start;
}

void
frame_end(struct wbuf *b, size_t start)
{
	wbuf_patch_u32(b, start, (uint32_t)(b->len - start - FRAME_HDR_SIZE));
}

void
frame_put(struct wbuf *b, uint16_t type, uint16_t pane, const void *p,
	  size_t n)
{
	size_t start = frame_begin(b, type, pane);

	wbuf_put(b, p, n);
	frame_end(b, start);
}

void
frame_reader_init(struct frame_reader *fr, size_t max)
{
	wbuf_init(&fr->in);
	fr->off = 0;
	fr->max = max;
}

void
frame_reader_free(struct frame_reader *fr)
{
	wbuf_free(&fr->in);
	fr->off = 0;
}

/* Dropping the consumed prefix only once it is at least as large as the
 * unread tail keeps each byte moved O(1) times on average, however the
 * stream happens to be cut into reads. */
static void
reader_compact(struct frame_reader *fr)
{
	size_t live = fr->in.len - fr->off;

	if (fr->off == 0 || fr->off < live)
		return;
	wbuf_consume(&fr->in, fr->off);
	fr->off = 0;
	if (live == 0 && fr->in.cap > READER_KEEP_CAP)
		wbuf_free(&fr->in);
}

void
frame_reader_push(struct frame_reader *fr, const void *p, size_t n)
{
	if (n == 0)
		return;
	reader_compact(fr);
	wbuf_put(&fr->in, p, n);
}

/* The reason lives in spare capacity past the buffered bytes: the reader
 * needs no extra state for it, and the bad header stays unconsumed so
 * every later call fails the same way. */
static const char *
reader_oversized(struct frame_reader *fr, uint32_t len)
{
	char *why;

	wbuf_reserve(&fr->in, WHY_MAX);
	why = fr->in.data + fr->in.len;
	snprintf(why, WHY_MAX, "frame of %lu bytes exceeds the %zu-byte limit",
		 (unsigned long)len, fr->max);
	return why;
}

int
frame_reader_next(struct frame_reader *fr, struct frame *f, const char **why)
{
	size_t avail = fr->in.len - fr->off;
	struct rbuf r;
	uint32_t len;

	if (avail < FRAME_HDR_SIZE)
		return 0;
	rbuf_init(&r, fr->in.data + fr->off, avail);
	len = rbuf_u32(&r);
	if (len > fr->max) {
		const char *reason = reader_oversized(fr, len);

		if (why)
			*why = reason;
		return -1;
	}
	if (avail - FRAME_HDR_SIZE < len)
		return 0;
	f->len = len;
	f->type = rbuf_u16(&r);
	f->pane = rbuf_u16(&r);
	f->payload = fr->in.data + fr->off + FRAME_HDR_SIZE;
	fr->off += FRAME_HDR_SIZE + len;
	return 1;
}

/* ---- shared field helpers ---- */

static void
rd_init(struct rbuf *r, const struct frame *f)
{
	rbuf_init(r, f->payload, f->len);
}

/* A payload is well-formed only when every read fit and nothing is left. */
static int
rd_done(const struct rbuf *r)
{
	return !r->err && rbuf_left(r) == 0 ? 0 : -1;
}

/* A u32-length blob copied out; NUL-terminated for convenience, though it
 * may hold NULs itself. */
static char *
rd_blob(struct rbuf *r, size_t *len)
{
	size_t n;
	const char *p = rbuf_blob(r, &n);
	char *s;

	*len = 0;
	if (!p)
		return NULL;
	s = xmalloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	*len = n;
	return s;
}

static void
wr_strv(struct wbuf *b, const struct strv *sv)
{
	uint32_t i;

	wbuf_u32(b, sv->n);
	for (i = 0; i < sv->n; i++)
		wbuf_str(b, sv->v[i]);
}

/* On a short or bad entry sv->n counts the strings actually copied, so
 * strv_free releases exactly those. */
static void
rd_strv(struct rbuf *r, struct strv *sv)
{
	uint32_t n = rbuf_u32(r);

	sv->n = 0;
	sv->v = NULL;
	if (r->err)
		return;
	/* Checked before allocating, so a hostile count costs nothing. */
	if (n > rbuf_left(r) / STR_MIN) {
		r->err = true;
		return;
	}
	sv->v = xcalloc((size_t)n + 1, sizeof *sv->v);
	while (sv->n < n) {
		char *s = rbuf_strdup(r);

		if (!s)
			return;
		sv->v[sv->n++] = s;
	}
}

void
strv_free(struct strv *sv)
{
	uint32_t i;

	if (sv->v) {
		for (i = 0; i < sv->n; i++)
			free(sv->v[i]);
		free(sv->v);
	}
	sv->n = 0;
	sv->v = NULL;
}

/* ---- hello ---- */

void
msg_hello_encode(struct wbuf *b, const struct msg_hello *m)
{
	size_t s = frame_begin(b, MSG_HELLO, 0);

	wbuf_u32(b, m->version);
	wbuf_u32(b, m->min_version);
	wbuf_u8(b, m->role);
	wbuf_u32(b, m->pid);
	wbuf_str(b, m->instance);
	frame_end(b, s);
}

int
msg_hello_decode(const struct frame *f, struct msg_hello *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->version = rbuf_u32(&r);
	m->min_version = rbuf_u32(&r);
	m->role = rbuf_u8(&r);
	m->pid = rbuf_u32(&r);
	m->instance = rbuf_strdup(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_hello_free(m);
	return -1;
}

void
msg_hello_free(struct msg_hello *m)
{
	free(m->instance);
	m->instance = NULL;
}

void
msg_hello_ok_encode(struct wbuf *b, const struct msg_hello_ok *m)
{
	size_t s = frame_begin(b, MSG_HELLO_OK, 0);

	wbuf_u32(b, m->version);
	wbuf_u32(b, m->pid);
	frame_end(b, s);
}

int
msg_hello_ok_decode(const struct frame *f, struct msg_hello_ok *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->version = rbuf_u32(&r);
	m->pid = rbuf_u32(&r);
	return rd_done(&r);
}

/* ---- error, ok, text ---- */

void
msg_error_encode(struct wbuf *b, uint16_t pane, int32_t code,
		 const char *message)
{
	size_t s = frame_begin(b, MSG_ERROR, pane);

	wbuf_i32(b, code);
	wbuf_str(b, message);
	frame_end(b, s);
}

int
msg_error_decode(const struct frame *f, struct msg_error *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->code = rbuf_i32(&r);
	m->message = rbuf_strdup(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_error_free(m);
	return -1;
}

void
msg_error_free(struct msg_error *m)
{
	free(m->message);
	m->message = NULL;
}

void
msg_ok_encode(struct wbuf *b, uint16_t pane)
{
	msg_empty_encode(b, MSG_OK, pane);
}

void
msg_text_encode(struct wbuf *b, uint16_t pane, const char *text, size_t len)
{
	size_t s = frame_begin(b, MSG_TEXT, pane);

	wbuf_blob(b, text, len);
	frame_end(b, s);
}

int
msg_text_decode(const struct frame *f, struct msg_text *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->text = rbuf_strdup(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_text_free(m);
	return -1;
}

void
msg_text_free(struct msg_text *m)
{
	free(m->text);
	m->text = NULL;
}

/* ---- session_new, attach, resize ---- */

void
msg_session_new_encode(struct wbuf *b, const struct msg_session_new *m)
{
	size_t s = frame_begin(b, MSG_SESSION_NEW, 0);

	wbuf_str(b, m->name);
	wbuf_u16(b, m->cols);
	wbuf_u16(b, m->rows);
	wbuf_u8(b, m->flags);
	wbuf_str(b, m->cwd);
	wr_strv(b, &m->argv);
	wr_strv(b, &m->env);
	wbuf_str(b, m->layout);
	frame_end(b, s);
}

int
msg_session_new_decode(const struct frame *f, struct msg_session_new *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->name = rbuf_strdup(&r);
	m->cols = rbuf_u16(&r);
	m->rows = rbuf_u16(&r);
	m->flags = rbuf_u8(&r);
	m->cwd = rbuf_strdup(&r);
	rd_strv(&r, &m->argv);
	rd_strv(&r, &m->env);
	m->layout = rbuf_strdup(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_session_new_free(m);
	return -1;
}

void
msg_session_new_free(struct msg_session_new *m)
{
	free(m->name);
	free(m->cwd);
	free(m->layout);
	m->name = m->cwd = m->layout = NULL;
	strv_free(&m->argv);
	strv_free(&m->env);
}

void
msg_attach_encode(struct wbuf *b, const struct msg_attach *m)
{
	size_t s = frame_begin(b, MSG_ATTACH, 0);

	wbuf_str(b, m->name);
	wbuf_u16(b, m->cols);
	wbuf_u16(b, m->rows);
	wbuf_str(b, m->term);
	frame_end(b, s);
}

int
msg_attach_decode(const struct frame *f, struct msg_attach *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->name = rbuf_strdup(&r);
	m->cols = rbuf_u16(&r);
	m->rows = rbuf_u16(&r);
	m->term = rbuf_strdup(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_attach_free(m);
	return -1;
}

void
msg_attach_free(struct msg_attach *m)
{
	free(m->name);
	free(m->term);
	m->name = m->term = NULL;
}

void
msg_resize_encode(struct wbuf *b, uint16_t pane, const struct msg_resize *m)
{
	size_t s = frame_begin(b, MSG_RESIZE, pane);

	wbuf_u16(b, m->cols);
	wbuf_u16(b, m->rows);
	frame_end(b, s);
}

int
msg_resize_decode(const struct frame *f, struct msg_resize *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->cols = rbuf_u16(&r);
	m->rows = rbuf_u16(&r);
	return rd_done(&r);
}

/* ---- send, capture, name ---- */

void
msg_send_encode(struct wbuf *b, const struct msg_send *m)
{
	size_t s = frame_begin(b, MSG_SEND, 0);

	wbuf_str(b, m->target);
	wbuf_blob(b, m->data, m->len);
	frame_end(b, s);
}

int
msg_send_decode(const struct frame *f, struct msg_send *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->target = rbuf_strdup(&r);
	m->data = rd_blob(&r, &m->len);
	if (rd_done(&r) == 0)
		return 0;
	msg_send_free(m);
	return -1;
}

void
msg_send_free(struct msg_send *m)
{
	free(m->target);
	free(m->data);
	m->target = m->data = NULL;
	m->len = 0;
}

void
msg_capture_encode(struct wbuf *b, uint16_t pane, const struct msg_capture *m)
{
	size_t s = frame_begin(b, MSG_CAPTURE, pane);

	wbuf_str(b, m->target);
	wbuf_i32(b, m->scrollback);
	wbuf_u8(b, m->flags);
	frame_end(b, s);
}

int
msg_capture_decode(const struct frame *f, struct msg_capture *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->target = rbuf_strdup(&r);
	m->scrollback = rbuf_i32(&r);
	m->flags = rbuf_u8(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_capture_free(m);
	return -1;
}

void
msg_capture_free(struct msg_capture *m)
{
	free(m->target);
	m->target = NULL;
}

void
msg_name_encode(struct wbuf *b, uint16_t type, const struct msg_name *m)
{
	size_t s = frame_begin(b, type, 0);

	wbuf_str(b, m->name);
	frame_end(b, s);
}

int
msg_name_decode(const struct frame *f, struct msg_name *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->name = rbuf_strdup(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_name_free(m);
	return -1;
}

void
msg_name_free(struct msg_name *m)
{
	free(m->name);
	m->name = NULL;
}

void
msg_action_encode(struct wbuf *b, const struct msg_action *m)
{
	size_t s = frame_begin(b, MSG_ACTION, 0);

	wbuf_str(b, m->target);
	wbuf_str(b, m->name);
	wbuf_str(b, m->arg);
	frame_end(b, s);
}

int
msg_action_decode(const struct frame *f, struct msg_action *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->target = rbuf_strdup(&r);
	m->name = rbuf_strdup(&r);
	m->arg = rbuf_strdup(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_action_free(m);
	return -1;
}

void
msg_action_free(struct msg_action *m)
{
	free(m->target);
	free(m->name);
	free(m->arg);
	m->target = m->name = m->arg = NULL;
}

/* ---- scrollback, search ---- */

void
msg_scrollback_read_encode(struct wbuf *b, uint16_t pane,
			   const struct msg_scrollback_read *m)
{
	size_t s = frame_begin(b, MSG_SCROLLBACK_READ, pane);

	wbuf_i32(b, m->start);
	wbuf_u32(b, m->count);
	frame_end(b, s);
}

int
msg_scrollback_read_decode(const struct frame *f,
			   struct msg_scrollback_read *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->start = rbuf_i32(&r);
	m->count = rbuf_u32(&r);
	return rd_done(&r);
}

void
msg_scrollback_rows_encode(struct wbuf *b, uint16_t pane,
			   const struct msg_scrollback_rows *m)
{
	size_t s = frame_begin(b, MSG_SCROLLBACK_ROWS, pane);

	wbuf_i32(b, m->start);
	wbuf_u32(b, m->history_len);
	wbuf_blob(b, m->rows, m->len);
	frame_end(b, s);
}

int
msg_scrollback_rows_decode(const struct frame *f,
			   struct msg_scrollback_rows *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->start = rbuf_i32(&r);
	m->history_len = rbuf_u32(&r);
	m->rows = rd_blob(&r, &m->len);
	if (rd_done(&r) == 0)
		return 0;
	msg_scrollback_rows_free(m);
	return -1;
}

void
msg_scrollback_rows_free(struct msg_scrollback_rows *m)
{
	free(m->rows);
	m->rows = NULL;
	m->len = 0;
}

void
msg_search_encode(struct wbuf *b, uint16_t pane, const struct msg_search *m)
{
	size_t s = frame_begin(b, MSG_SEARCH, pane);

	wbuf_str(b, m->pattern);
	wbuf_i32(b, m->from);
	wbuf_u8(b, m->flags);
	frame_end(b, s);
}

int
msg_search_decode(const struct frame *f, struct msg_search *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->pattern = rbuf_strdup(&r);
	m->from = rbuf_i32(&r);
	m->flags = rbuf_u8(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_search_free(m);
	return -1;
}

void
msg_search_free(struct msg_search *m)
{
	free(m->pattern);
	m->pattern = NULL;
}

void
msg_search_result_encode(struct wbuf *b, uint16_t pane,
			 const struct msg_search_result *m)
{
	size_t s = frame_begin(b, MSG_SEARCH_RESULT, pane);

	wbuf_u8(b, m->found);
	wbuf_i32(b, m->line);
	wbuf_u16(b, m->col);
	wbuf_u16(b, m->len);
	frame_end(b, s);
}

int
msg_search_result_decode(const struct frame *f, struct msg_search_result *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->found = rbuf_u8(&r);
	m->line = rbuf_i32(&r);
	m->col = rbuf_u16(&r);
	m->len = rbuf_u16(&r);
	return rd_done(&r);
}

/* ---- session_info ---- */

void
msg_session_info_encode(struct wbuf *b, const struct msg_session_info *m)
{
	size_t s = frame_begin(b, MSG_SESSION_INFO, 0);

	wbuf_str(b, m->name);
	wbuf_u16(b, m->pane);
	frame_end(b, s);
}

int
msg_session_info_decode(const struct frame *f, struct msg_session_info *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->name = rbuf_strdup(&r);
	m->pane = rbuf_u16(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_session_info_free(m);
	return -1;
}

void
msg_session_info_free(struct msg_session_info *m)
{
	free(m->name);
	m->name = NULL;
}

/* ---- layout ---- */

static void
wr_layout_pane(struct wbuf *b, const struct layout_pane *p)
{
	wbuf_u16(b, p->id);
	wbuf_u16(b, p->x);
	wbuf_u16(b, p->y);
	wbuf_u16(b, p->w);
	wbuf_u16(b, p->h);
	wbuf_u8(b, p->flags);
	wbuf_str(b, p->title);
	wbuf_str(b, p->info);
}

static void
rd_layout_pane(struct rbuf *r, struct layout_pane *p)
{
	p->id = rbuf_u16(r);
	p->x = rbuf_u16(r);
	p->y = rbuf_u16(r);
	p->w = rbuf_u16(r);
	p->h = rbuf_u16(r);
	p->flags = rbuf_u8(r);
	p->title = rbuf_strdup(r);
	p->info = rbuf_strdup(r);
}

/* All npanes entries are allocated zeroed up front, so a decode that
 * stops half-way leaves NULL strings that msg_layout_free skips. */
static void
rd_layout_panes(struct rbuf *r, struct msg_layout *m)
{
	uint16_t n = rbuf_u16(r);
	uint16_t i;

	if (r->err || n == 0)
		return;
	if (n > rbuf_left(r) / LAYOUT_PANE_MIN) {
		r->err = true;
		return;
	}
	m->panes = xcalloc(n, sizeof *m->panes);
	m->npanes = n;
	for (i = 0; i < n && !r->err; i++)
		rd_layout_pane(r, &m->panes[i]);
}

void
msg_layout_encode(struct wbuf *b, const struct msg_layout *m)
{
	size_t s = frame_begin(b, MSG_LAYOUT, 0);
	uint16_t i;

	wbuf_str(b, m->session);
	wbuf_u16(b, m->cols);
	wbuf_u16(b, m->rows);
	wbuf_u16(b, m->active_tab);
	wr_strv(b, &m->tabs);
	wbuf_u16(b, m->npanes);
	for (i = 0; i < m->npanes; i++)
		wr_layout_pane(b, &m->panes[i]);
	wbuf_str(b, m->status);
	frame_end(b, s);
}

int
msg_layout_decode(const struct frame *f, struct msg_layout *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->session = rbuf_strdup(&r);
	m->cols = rbuf_u16(&r);
	m->rows = rbuf_u16(&r);
	m->active_tab = rbuf_u16(&r);
	rd_strv(&r, &m->tabs);
	rd_layout_panes(&r, m);
	m->status = rbuf_strdup(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_layout_free(m);
	return -1;
}

void
msg_layout_free(struct msg_layout *m)
{
	uint16_t i;

	for (i = 0; m->panes && i < m->npanes; i++) {
		free(m->panes[i].title);
		free(m->panes[i].info);
	}
	free(m->panes);
	m->panes = NULL;
	m->npanes = 0;
	free(m->session);
	free(m->status);
	m->session = m->status = NULL;
	strv_free(&m->tabs);
}

/* ---- exit status, detached ---- */

void
msg_exit_status_encode(struct wbuf *b, uint16_t type, uint16_t pane,
		       const struct msg_exit_status *m)
{
	size_t s = frame_begin(b, type, pane);

	wbuf_i32(b, m->status);
	frame_end(b, s);
}

int
msg_exit_status_decode(const struct frame *f, struct msg_exit_status *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->status = rbuf_i32(&r);
	return rd_done(&r);
}

void
msg_detached_encode(struct wbuf *b, const struct msg_detached *m)
{
	size_t s = frame_begin(b, MSG_DETACHED, 0);

	wbuf_str(b, m->reason);
	frame_end(b, s);
}

int
msg_detached_decode(const struct frame *f, struct msg_detached *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->reason = rbuf_strdup(&r);
	if (rd_done(&r) == 0)
		return 0;
	msg_detached_free(m);
	return -1;
}

void
msg_detached_free(struct msg_detached *m)
{
	free(m->reason);
	m->reason = NULL;
}

/* ---- pod_info ---- */

void
msg_pod_info_encode(struct wbuf *b, const struct msg_pod_info *m)
{
	size_t s = frame_begin(b, MSG_POD_INFO, 0);

	wbuf_u32(b, m->version);
	wbuf_u16(b, m->pane);
	wbuf_u32(b, m->pod_pid);
	wbuf_u32(b, m->child_pid);
	wbuf_u8(b, m->state);
	wbuf_i32(b, m->exit_status);
	wbuf_u16(b, m->cols);
	wbuf_u16(b, m->rows);
	wbuf_u64(b, m->created);
	wbuf_str(b, m->session);
	wbuf_str(b, m->cwd);
	wbuf_str(b, m->title);
	wbuf_str(b, m->profile);
	wbuf_str(b, m->info);
	wr_strv(b, &m->argv);
	frame_end(b, s);
}

int
msg_pod_info_decode(const struct frame *f, struct msg_pod_info *m)
{
	struct rbuf r;

	memset(m, 0, sizeof *m);
	rd_init(&r, f);
	m->version = rbuf_u32(&r);
	m->pane = rbuf_u16(&r);
	m->pod_pid = rbuf_u32(&r);
	m->child_pid = rbuf_u32(&r);
	m->state = rbuf_u8(&r);
	m->exit_status = rbuf_i32(&r);
	m->cols = rbuf_u16(&r);
	m->rows = rbuf_u16(&r);
	m->created = rbuf_u64(&r);
	m->session = rbuf_strdup(&r);
	m->cwd = rbuf_strdup(&r);
	m->title = rbuf_strdup(&r);
	m->profile = rbuf_strdup(&r);
	m->info = rbuf_strdup(&r);
	rd_strv(&r, &m->argv);
	if (rd_done(&r) == 0)
		return 0;
	msg_pod_info_free(m);
	return -1;
}

void
msg_pod_info_free(struct msg_pod_info *m)
{
	free(m->session);
	free(m->cwd);
	free(m->title);
	free(m->profile);
	free(m->info);
	m->session = m->cwd = m->title = m->profile = m->info = NULL;
	strv_free(&m->argv);
}

/* ---- payload-less messages ---- */

void
msg_empty_encode(struct wbuf *b, uint16_t type, uint16_t pane)
{
	frame_end(b, frame_begin(b, type, pane));
}

int
msg_empty_decode(const struct frame *f)
{
	return f->len == 0 ? 0 : -1;
}

/* ---- names ---- */

const char *
msg_type_name(uint16_t type)
{
	switch ((enum msg_type)type) {
	case MSG_HELLO: return "HELLO";
	case MSG_HELLO_OK: return "HELLO_OK";
	case MSG_ERROR: return "ERROR";
	case MSG_OK: return "OK";
	case MSG_TEXT: return "TEXT";
	case MSG_SESSION_NEW: return "SESSION_NEW";
	case MSG_ATTACH: return "ATTACH";
	case MSG_DETACH: return "DETACH";
	case MSG_RESIZE: return "RESIZE";
	case MSG_INPUT: return "INPUT";
	case MSG_SEND: return "SEND";
	case MSG_CAPTURE: return "CAPTURE";
	case MSG_SESSION_LIST: return "SESSION_LIST";
	case MSG_SESSION_KILL: return "SESSION_KILL";
	case MSG_SERVER_STOP: return "SERVER_STOP";
	case MSG_POD_LIST: return "POD_LIST";
	case MSG_SCROLLBACK_READ: return "SCROLLBACK_READ";
	case MSG_SCROLLBACK_ROWS: return "SCROLLBACK_ROWS";
	case MSG_SEARCH: return "SEARCH";
	case MSG_SEARCH_RESULT: return "SEARCH_RESULT";
	case MSG_ACTION: return "ACTION";
	case MSG_SYNC: return "SYNC";
	case MSG_VIEW: return "VIEW";
	case MSG_SESSION_INFO: return "SESSION_INFO";
	case MSG_LAYOUT: return "LAYOUT";
	case MSG_PANE_UPDATE: return "PANE_UPDATE";
	case MSG_PANE_EXITED: return "PANE_EXITED";
	case MSG_DETACHED: return "DETACHED";
	case MSG_POD_INFO: return "POD_INFO";
	case MSG_SNAPSHOT: return "SNAPSHOT";
	case MSG_POD_EXIT: return "POD_EXIT";
	case MSG_POD_KILL: return "POD_KILL";
	}
	return "?";
}
