/*
 * test_proto — every message round-trips through a frame_reader, every
 * decoder refuses every truncation and a trailing byte, and the reader
 * survives hostile lengths and arbitrary cuts of the stream.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/proto.h"
#include "core/util.h"

/* Every string field is tried with each of these. */
static const char *const STRS[] = {
	"",
	"x",
	"héllo wörld ✓ 日本語 🎉",
};
#define UNI (STRS[2])

/* A decoded frame whose payload is an exact-size heap copy, so that ASan
 * catches a decoder reading one byte too far. */
struct got {
	struct frame f;
	char *copy;
};

static void
got_set(struct got *g, uint16_t type, uint16_t pane, const void *p, size_t n)
{
	g->copy = xmalloc(n);
	if (n)
		memcpy(g->copy, p, n);
	g->f.type = type;
	g->f.pane = pane;
	g->f.len = (uint32_t)n;
	g->f.payload = g->copy;
}

static void
got_free(struct got *g)
{
	free(g->copy);
	g->copy = NULL;
}

/* b must hold exactly one frame of the given type and pane. */
static void
got_frame(const struct wbuf *b, uint16_t type, uint16_t pane, struct got *g)
{
	struct frame_reader fr;
	struct frame f;
	const char *why = NULL;

	frame_reader_init(&fr, FRAME_MAX);
	frame_reader_push(&fr, b->data, b->len);
	assert_int_equal(frame_reader_next(&fr, &f, &why), 1);
	assert_int_equal(f.type, type);
	assert_int_equal(f.pane, pane);
	assert_int_equal((size_t)f.len + FRAME_HDR_SIZE, b->len);
	got_set(g, f.type, f.pane, f.payload, f.len);
	assert_int_equal(frame_reader_next(&fr, &f, &why), 0);
	frame_reader_free(&fr);
}

static void
assert_strv_equal(const struct strv *a, const struct strv *b)
{
	uint32_t i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++)
		assert_string_equal(a->v[i], b->v[i]);
	assert_null(b->v[b->n]);
}

/* ---- sample messages ---- */

static void
fill_hello(struct msg_hello *m, const char *s)
{
	*m = (struct msg_hello){ .version = PROTO_VERSION,
				 .min_version = UINT32_MAX,
				 .role = ROLE_POD,
				 .pid = 0x89abcdefu,
				 .instance = (char *)s };
}

static void
fill_session_new(struct msg_session_new *m, const char *s, char **argv,
		 char **env)
{
	argv[0] = (char *)s;
	argv[1] = "ls";
	argv[2] = "";
	argv[3] = NULL;
	env[0] = "TERM=xterm-256color";
	env[1] = (char *)s;
	env[2] = NULL;
	*m = (struct msg_session_new){ .name = (char *)s,
				       .cols = 0xffff,
				       .rows = 1,
				       .flags = SESSION_NEW_ATTACH,
				       .cwd = (char *)s,
				       .argv = { 3, argv },
				       .env = { 2, env },
				       .layout = (char *)s };
}

static void
fill_attach(struct msg_attach *m, const char *s)
{
	*m = (struct msg_attach){ .name = (char *)s, .cols = 80, .rows = 0xfffe,
				  .term = (char *)s };
}

static void
fill_capture(struct msg_capture *m, const char *s)
{
	*m = (struct msg_capture){ .target = (char *)s, .scrollback = INT32_MIN,
				   .flags = CAPTURE_ESCAPES };
}

static void
fill_search(struct msg_search *m, const char *s)
{
	*m = (struct msg_search){ .pattern = (char *)s, .from = -1,
				  .flags = SEARCH_BACKWARD | SEARCH_ICASE };
}

static void
fill_layout(struct msg_layout *m, const char *s, char **tabs,
	    struct layout_pane *p)
{
	int i;

	tabs[0] = "main";
	tabs[1] = (char *)s;
	tabs[2] = NULL;
	for (i = 0; i < 3; i++)
		p[i] = (struct layout_pane){
			.id = (uint16_t)(i + 1), .x = (uint16_t)(i * 10),
			.y = 0xffff, .w = (uint16_t)(40 - i), .h = 24,
			.flags = (uint8_t)(i == 0 ? LAYOUT_FOCUSED : LAYOUT_FLOAT |
								     LAYOUT_EXITED),
			.title = (char *)s, .info = i == 1 ? "mem 512M" : (char *)s
		};
	*m = (struct msg_layout){ .session = (char *)s, .cols = 200, .rows = 50,
				  .active_tab = 1, .tabs = { 2, tabs },
				  .npanes = 3, .panes = p, .status = (char *)s };
}

static void
fill_pod_info(struct msg_pod_info *m, const char *s, char **argv)
{
	argv[0] = "/bin/sh";
	argv[1] = (char *)s;
	argv[2] = NULL;
	*m = (struct msg_pod_info){ .version = PROTO_VERSION, .pane = 7,
				    .pod_pid = 4242, .child_pid = UINT32_MAX,
				    .state = POD_EXITED, .exit_status = -9,
				    .cols = 132, .rows = 43,
				    .created = UINT64_C(0xfedcba9876543210),
				    .session = (char *)s, .cwd = "/home/u",
				    .title = (char *)s, .profile = "default",
				    .info = (char *)s, .argv = { 2, argv } };
}

/* ---- round trips ---- */

static void
test_hello(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_hello in, out;
		struct wbuf b;
		struct got g;

		fill_hello(&in, STRS[i]);
		wbuf_init(&b);
		msg_hello_encode(&b, &in);
		got_frame(&b, MSG_HELLO, 0, &g);
		assert_int_equal(msg_hello_decode(&g.f, &out), 0);
		assert_int_equal(out.version, in.version);
		assert_int_equal(out.min_version, in.min_version);
		assert_int_equal(out.role, in.role);
		assert_int_equal(out.pid, in.pid);
		assert_string_equal(out.instance, in.instance);
		msg_hello_free(&out);
		assert_null(out.instance);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_null_string_encodes_empty(void **state)
{
	struct msg_hello in, out;
	struct wbuf b;
	struct got g;

	(void)state;
	fill_hello(&in, NULL);
	wbuf_init(&b);
	msg_hello_encode(&b, &in);
	got_frame(&b, MSG_HELLO, 0, &g);
	assert_int_equal(msg_hello_decode(&g.f, &out), 0);
	assert_string_equal(out.instance, "");
	msg_hello_free(&out);
	got_free(&g);
	wbuf_free(&b);
}

static void
test_hello_ok(void **state)
{
	struct msg_hello_ok in = { .version = 0xdeadbeefu, .pid = 1 }, out;
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	msg_hello_ok_encode(&b, &in);
	got_frame(&b, MSG_HELLO_OK, 0, &g);
	assert_int_equal(msg_hello_ok_decode(&g.f, &out), 0);
	assert_int_equal(out.version, in.version);
	assert_int_equal(out.pid, in.pid);
	got_free(&g);
	wbuf_free(&b);
}

static void
test_error(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_error out;
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		msg_error_encode(&b, 0xffff, -22, STRS[i]);
		got_frame(&b, MSG_ERROR, 0xffff, &g);
		assert_int_equal(msg_error_decode(&g.f, &out), 0);
		assert_int_equal(out.code, -22);
		assert_string_equal(out.message, STRS[i]);
		msg_error_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_ok(void **state)
{
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	msg_ok_encode(&b, 3);
	assert_int_equal(b.len, FRAME_HDR_SIZE);
	got_frame(&b, MSG_OK, 3, &g);
	assert_int_equal(msg_empty_decode(&g.f), 0);
	got_free(&g);
	wbuf_free(&b);
}

static void
test_text(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_text out;
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		msg_text_encode(&b, 9, STRS[i], strlen(STRS[i]));
		got_frame(&b, MSG_TEXT, 9, &g);
		assert_int_equal(msg_text_decode(&g.f, &out), 0);
		assert_string_equal(out.text, STRS[i]);
		msg_text_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

/* len, not strlen, bounds the text: a prefix of a longer buffer is sent. */
static void
test_text_uses_len(void **state)
{
	struct msg_text out;
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	msg_text_encode(&b, 0, "abcdef", 3);
	got_frame(&b, MSG_TEXT, 0, &g);
	assert_int_equal(msg_text_decode(&g.f, &out), 0);
	assert_string_equal(out.text, "abc");
	msg_text_free(&out);
	got_free(&g);
	wbuf_free(&b);
}

static void
test_session_new(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_session_new in, out;
		char *argv[4], *env[3];
		struct wbuf b;
		struct got g;

		fill_session_new(&in, STRS[i], argv, env);
		wbuf_init(&b);
		msg_session_new_encode(&b, &in);
		got_frame(&b, MSG_SESSION_NEW, 0, &g);
		assert_int_equal(msg_session_new_decode(&g.f, &out), 0);
		assert_string_equal(out.name, in.name);
		assert_int_equal(out.cols, in.cols);
		assert_int_equal(out.rows, in.rows);
		assert_int_equal(out.flags, in.flags);
		assert_string_equal(out.cwd, in.cwd);
		assert_strv_equal(&in.argv, &out.argv);
		assert_strv_equal(&in.env, &out.env);
		assert_string_equal(out.layout, in.layout);
		msg_session_new_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

/* An empty list decodes as a NULL-terminated array of no entries. */
static void
test_session_new_empty_lists(void **state)
{
	struct msg_session_new in = { .name = "s" }, out;
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	msg_session_new_encode(&b, &in);
	got_frame(&b, MSG_SESSION_NEW, 0, &g);
	assert_int_equal(msg_session_new_decode(&g.f, &out), 0);
	assert_int_equal(out.argv.n, 0);
	assert_non_null(out.argv.v);
	assert_null(out.argv.v[0]);
	assert_int_equal(out.env.n, 0);
	assert_null(out.env.v[0]);
	assert_string_equal(out.cwd, "");
	msg_session_new_free(&out);
	got_free(&g);
	wbuf_free(&b);
}

static void
test_attach(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_attach in, out;
		struct wbuf b;
		struct got g;

		fill_attach(&in, STRS[i]);
		wbuf_init(&b);
		msg_attach_encode(&b, &in);
		got_frame(&b, MSG_ATTACH, 0, &g);
		assert_int_equal(msg_attach_decode(&g.f, &out), 0);
		assert_string_equal(out.name, in.name);
		assert_int_equal(out.cols, in.cols);
		assert_int_equal(out.rows, in.rows);
		assert_string_equal(out.term, in.term);
		msg_attach_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_resize(void **state)
{
	struct msg_resize in = { .cols = 0xffff, .rows = 0x0102 }, out;
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	msg_resize_encode(&b, 12, &in);
	got_frame(&b, MSG_RESIZE, 12, &g);
	assert_int_equal(msg_resize_decode(&g.f, &out), 0);
	assert_int_equal(out.cols, in.cols);
	assert_int_equal(out.rows, in.rows);
	got_free(&g);
	wbuf_free(&b);
}

static void
test_send(void **state)
{
	static const char data[] = "ls\0\r\n\xff\x1b[A";
	size_t lens[] = { 0, 1, sizeof data };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		struct msg_send in = { .target = (char *)STRS[i],
				       .len = lens[i],
				       .data = (char *)data },
				out;
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		msg_send_encode(&b, &in);
		got_frame(&b, MSG_SEND, 0, &g);
		assert_int_equal(msg_send_decode(&g.f, &out), 0);
		assert_string_equal(out.target, in.target);
		assert_int_equal(out.len, in.len);
		assert_non_null(out.data);
		assert_memory_equal(out.data, data, lens[i]);
		msg_send_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_capture(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_capture in, out;
		struct wbuf b;
		struct got g;

		fill_capture(&in, STRS[i]);
		wbuf_init(&b);
		msg_capture_encode(&b, 5, &in);
		got_frame(&b, MSG_CAPTURE, 5, &g);
		assert_int_equal(msg_capture_decode(&g.f, &out), 0);
		assert_string_equal(out.target, in.target);
		assert_int_equal(out.scrollback, in.scrollback);
		assert_int_equal(out.flags, in.flags);
		msg_capture_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

/* The encoder stamps the type it is given; the decoder does not care. */
static void
test_name(void **state)
{
	uint16_t types[] = { MSG_SESSION_KILL, 999 };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		struct msg_name in = { .name = (char *)UNI }, out;
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		msg_name_encode(&b, types[i], &in);
		got_frame(&b, types[i], 0, &g);
		assert_int_equal(msg_name_decode(&g.f, &out), 0);
		assert_string_equal(out.name, UNI);
		msg_name_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_scrollback_read(void **state)
{
	struct msg_scrollback_read in = { .start = -100, .count = 0x80000000u };
	struct msg_scrollback_read out;
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	msg_scrollback_read_encode(&b, 2, &in);
	got_frame(&b, MSG_SCROLLBACK_READ, 2, &g);
	assert_int_equal(msg_scrollback_read_decode(&g.f, &out), 0);
	assert_int_equal(out.start, in.start);
	assert_int_equal(out.count, in.count);
	got_free(&g);
	wbuf_free(&b);
}

static void
test_scrollback_rows(void **state)
{
	static const char rows[] = "\0\1\2row\0data\xff";
	size_t lens[] = { 0, sizeof rows };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		struct msg_scrollback_rows in = { .start = INT32_MAX,
						  .history_len = 100000,
						  .len = lens[i],
						  .rows = (char *)rows },
					   out;
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		msg_scrollback_rows_encode(&b, 4, &in);
		got_frame(&b, MSG_SCROLLBACK_ROWS, 4, &g);
		assert_int_equal(msg_scrollback_rows_decode(&g.f, &out), 0);
		assert_int_equal(out.start, in.start);
		assert_int_equal(out.history_len, in.history_len);
		assert_int_equal(out.len, in.len);
		assert_memory_equal(out.rows, rows, lens[i]);
		msg_scrollback_rows_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_search(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_search in, out;
		struct wbuf b;
		struct got g;

		fill_search(&in, STRS[i]);
		wbuf_init(&b);
		msg_search_encode(&b, 8, &in);
		got_frame(&b, MSG_SEARCH, 8, &g);
		assert_int_equal(msg_search_decode(&g.f, &out), 0);
		assert_string_equal(out.pattern, in.pattern);
		assert_int_equal(out.from, in.from);
		assert_int_equal(out.flags, in.flags);
		msg_search_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_action(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_action in = { (char *)STRS[i], (char *)"tab.goto",
					 (char *)STRS[i] },
				  out;
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		msg_action_encode(&b, &in);
		got_frame(&b, MSG_ACTION, 0, &g);
		assert_int_equal(msg_action_decode(&g.f, &out), 0);
		assert_string_equal(out.target, in.target);
		assert_string_equal(out.name, in.name);
		assert_string_equal(out.arg, in.arg);
		msg_action_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_search_result(void **state)
{
	struct msg_search_result in = { .found = 1, .line = -5, .col = 0xfffe,
					.len = 3 },
				 out;
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	msg_search_result_encode(&b, 8, &in);
	got_frame(&b, MSG_SEARCH_RESULT, 8, &g);
	assert_int_equal(msg_search_result_decode(&g.f, &out), 0);
	assert_int_equal(out.found, in.found);
	assert_int_equal(out.line, in.line);
	assert_int_equal(out.col, in.col);
	assert_int_equal(out.len, in.len);
	got_free(&g);
	wbuf_free(&b);
}

static void
test_session_info(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_session_info in = { .name = (char *)STRS[i],
					       .pane = 0xabcd },
					out;
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		msg_session_info_encode(&b, &in);
		got_frame(&b, MSG_SESSION_INFO, 0, &g);
		assert_int_equal(msg_session_info_decode(&g.f, &out), 0);
		assert_string_equal(out.name, in.name);
		assert_int_equal(out.pane, in.pane);
		msg_session_info_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
assert_layout_equal(const struct msg_layout *a, const struct msg_layout *b)
{
	uint16_t i;

	assert_string_equal(a->session, b->session);
	assert_int_equal(a->cols, b->cols);
	assert_int_equal(a->rows, b->rows);
	assert_int_equal(a->active_tab, b->active_tab);
	assert_strv_equal(&a->tabs, &b->tabs);
	assert_int_equal(a->npanes, b->npanes);
	for (i = 0; i < a->npanes; i++) {
		const struct layout_pane *p = &a->panes[i], *q = &b->panes[i];

		assert_int_equal(p->id, q->id);
		assert_int_equal(p->x, q->x);
		assert_int_equal(p->y, q->y);
		assert_int_equal(p->w, q->w);
		assert_int_equal(p->h, q->h);
		assert_int_equal(p->flags, q->flags);
		assert_string_equal(p->title, q->title);
		assert_string_equal(p->info, q->info);
	}
	assert_string_equal(a->status, b->status);
}

static void
test_layout(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_layout in, out;
		struct layout_pane panes[3];
		char *tabs[3];
		struct wbuf b;
		struct got g;

		fill_layout(&in, STRS[i], tabs, panes);
		wbuf_init(&b);
		msg_layout_encode(&b, &in);
		got_frame(&b, MSG_LAYOUT, 0, &g);
		assert_int_equal(msg_layout_decode(&g.f, &out), 0);
		assert_layout_equal(&in, &out);
		msg_layout_free(&out);
		assert_null(out.panes);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_layout_empty(void **state)
{
	struct msg_layout in = { .session = "s" }, out;
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	msg_layout_encode(&b, &in);
	got_frame(&b, MSG_LAYOUT, 0, &g);
	assert_int_equal(msg_layout_decode(&g.f, &out), 0);
	assert_int_equal(out.npanes, 0);
	assert_int_equal(out.tabs.n, 0);
	assert_string_equal(out.status, "");
	msg_layout_free(&out);
	got_free(&g);
	wbuf_free(&b);
}

static void
test_exit_status(void **state)
{
	uint16_t types[] = { MSG_PANE_EXITED, MSG_POD_EXIT };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		struct msg_exit_status in = { .status = -1 }, out;
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		msg_exit_status_encode(&b, types[i], 6, &in);
		got_frame(&b, types[i], 6, &g);
		assert_int_equal(msg_exit_status_decode(&g.f, &out), 0);
		assert_int_equal(out.status, -1);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_detached(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_detached in = { .reason = (char *)STRS[i] }, out;
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		msg_detached_encode(&b, &in);
		got_frame(&b, MSG_DETACHED, 0, &g);
		assert_int_equal(msg_detached_decode(&g.f, &out), 0);
		assert_string_equal(out.reason, in.reason);
		msg_detached_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

static void
test_pod_info(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(STRS); i++) {
		struct msg_pod_info in, out;
		char *argv[3];
		struct wbuf b;
		struct got g;

		fill_pod_info(&in, STRS[i], argv);
		wbuf_init(&b);
		msg_pod_info_encode(&b, &in);
		got_frame(&b, MSG_POD_INFO, 0, &g);
		assert_int_equal(msg_pod_info_decode(&g.f, &out), 0);
		assert_int_equal(out.version, in.version);
		assert_int_equal(out.pane, in.pane);
		assert_int_equal(out.pod_pid, in.pod_pid);
		assert_int_equal(out.child_pid, in.child_pid);
		assert_int_equal(out.state, in.state);
		assert_int_equal(out.exit_status, in.exit_status);
		assert_int_equal(out.cols, in.cols);
		assert_int_equal(out.rows, in.rows);
		assert_true(out.created == in.created);
		assert_string_equal(out.session, in.session);
		assert_string_equal(out.cwd, in.cwd);
		assert_string_equal(out.title, in.title);
		assert_string_equal(out.profile, in.profile);
		assert_string_equal(out.info, in.info);
		assert_strv_equal(&in.argv, &out.argv);
		msg_pod_info_free(&out);
		got_free(&g);
		wbuf_free(&b);
	}
}

static const uint16_t EMPTY_TYPES[] = {
	MSG_DETACH, MSG_SESSION_LIST, MSG_SERVER_STOP, MSG_POD_LIST,
	MSG_SNAPSHOT, MSG_POD_KILL, MSG_OK,
};

static void
test_empty(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(EMPTY_TYPES); i++) {
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		msg_empty_encode(&b, EMPTY_TYPES[i], (uint16_t)i);
		got_frame(&b, EMPTY_TYPES[i], (uint16_t)i, &g);
		assert_int_equal(msg_empty_decode(&g.f), 0);
		got_free(&g);
		wbuf_free(&b);
	}
}

/* INPUT and PANE_UPDATE carry their bytes as the whole payload. */
static void
test_raw_payload(void **state)
{
	static const char bytes[] = "\x1b[31mred\0\xff";
	uint16_t types[] = { MSG_INPUT, MSG_PANE_UPDATE };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		struct wbuf b;
		struct got g;

		wbuf_init(&b);
		frame_put(&b, types[i], 0x1234, bytes, sizeof bytes);
		got_frame(&b, types[i], 0x1234, &g);
		assert_int_equal(g.f.len, sizeof bytes);
		assert_memory_equal(g.f.payload, bytes, sizeof bytes);
		got_free(&g);
		wbuf_free(&b);
	}
}

/* ---- malformed payloads ---- */

/* One sample encoder and a decode-then-free per message kind. */
struct codec {
	const char *name;
	void (*enc)(struct wbuf *b);
	int (*dec)(const struct frame *f);
};

#define DECODE_AND_FREE(kind)                                              \
	static int dec_##kind(const struct frame *f)                       \
	{                                                                  \
		struct msg_##kind m;                                       \
		int rc = msg_##kind##_decode(f, &m);                       \
		if (rc == 0)                                               \
			msg_##kind##_free(&m);                             \
		return rc;                                                 \
	}
#define DECODE_ONLY(kind)                                                  \
	static int dec_##kind(const struct frame *f)                       \
	{                                                                  \
		struct msg_##kind m;                                       \
		return msg_##kind##_decode(f, &m);                         \
	}

DECODE_AND_FREE(hello)
DECODE_ONLY(hello_ok)
DECODE_AND_FREE(error)
DECODE_AND_FREE(text)
DECODE_AND_FREE(session_new)
DECODE_AND_FREE(attach)
DECODE_ONLY(resize)
DECODE_AND_FREE(send)
DECODE_AND_FREE(capture)
DECODE_AND_FREE(name)
DECODE_ONLY(scrollback_read)
DECODE_AND_FREE(scrollback_rows)
DECODE_AND_FREE(search)
DECODE_AND_FREE(action)
DECODE_ONLY(search_result)
DECODE_AND_FREE(session_info)
DECODE_AND_FREE(layout)
DECODE_ONLY(exit_status)
DECODE_AND_FREE(detached)
DECODE_AND_FREE(pod_info)

static int
dec_empty(const struct frame *f)
{
	return msg_empty_decode(f);
}

static void
enc_hello(struct wbuf *b)
{
	struct msg_hello m;

	fill_hello(&m, UNI);
	msg_hello_encode(b, &m);
}

static void
enc_hello_ok(struct wbuf *b)
{
	msg_hello_ok_encode(b, &(struct msg_hello_ok){ 1, 2 });
}

static void
enc_error(struct wbuf *b)
{
	msg_error_encode(b, 1, -5, UNI);
}

static void
enc_text(struct wbuf *b)
{
	msg_text_encode(b, 1, UNI, strlen(UNI));
}

static void
enc_session_new(struct wbuf *b)
{
	struct msg_session_new m;
	char *argv[4], *env[3];

	fill_session_new(&m, UNI, argv, env);
	msg_session_new_encode(b, &m);
}

static void
enc_attach(struct wbuf *b)
{
	struct msg_attach m;

	fill_attach(&m, UNI);
	msg_attach_encode(b, &m);
}

static void
enc_resize(struct wbuf *b)
{
	msg_resize_encode(b, 1, &(struct msg_resize){ 80, 24 });
}

static void
enc_send(struct wbuf *b)
{
	struct msg_send m = { .target = "s:1", .len = 5, .data = "a\0b\0c" };

	msg_send_encode(b, &m);
}

static void
enc_capture(struct wbuf *b)
{
	struct msg_capture m;

	fill_capture(&m, UNI);
	msg_capture_encode(b, 1, &m);
}

static void
enc_name(struct wbuf *b)
{
	msg_name_encode(b, MSG_SESSION_KILL, &(struct msg_name){ (char *)UNI });
}

static void
enc_scrollback_read(struct wbuf *b)
{
	msg_scrollback_read_encode(b, 1, &(struct msg_scrollback_read){ -1, 9 });
}

static void
enc_scrollback_rows(struct wbuf *b)
{
	struct msg_scrollback_rows m = { .start = 3, .history_len = 9, .len = 4,
					 .rows = "\0\1\2\3" };

	msg_scrollback_rows_encode(b, 1, &m);
}

static void
enc_search(struct wbuf *b)
{
	struct msg_search m;

	fill_search(&m, UNI);
	msg_search_encode(b, 1, &m);
}

static void
enc_search_result(struct wbuf *b)
{
	msg_search_result_encode(b, 1,
				 &(struct msg_search_result){ 1, 2, 3, 4 });
}

static void
enc_session_info(struct wbuf *b)
{
	msg_session_info_encode(b,
				&(struct msg_session_info){ (char *)UNI, 2 });
}

static void
enc_layout(struct wbuf *b)
{
	struct msg_layout m;
	struct layout_pane panes[3];
	char *tabs[3];

	fill_layout(&m, UNI, tabs, panes);
	msg_layout_encode(b, &m);
}

static void
enc_exit_status(struct wbuf *b)
{
	msg_exit_status_encode(b, MSG_POD_EXIT, 1,
			       &(struct msg_exit_status){ 256 });
}

static void
enc_action(struct wbuf *b)
{
	msg_action_encode(b, &(struct msg_action){ (char *)"work:3",
						   (char *)"float.toggle",
						   (char *)UNI });
}

static void
enc_detached(struct wbuf *b)
{
	msg_detached_encode(b, &(struct msg_detached){ (char *)UNI });
}

static void
enc_pod_info(struct wbuf *b)
{
	struct msg_pod_info m;
	char *argv[3];

	fill_pod_info(&m, UNI, argv);
	msg_pod_info_encode(b, &m);
}

static void
enc_empty(struct wbuf *b)
{
	msg_empty_encode(b, MSG_DETACH, 0);
}

#define CODEC(kind) { #kind, enc_##kind, dec_##kind }
static const struct codec CODECS[] = {
	CODEC(hello), CODEC(hello_ok), CODEC(error),
	CODEC(text), CODEC(session_new), CODEC(attach),
	CODEC(resize), CODEC(send), CODEC(capture),
	CODEC(name), CODEC(scrollback_read), CODEC(scrollback_rows),
	CODEC(search), CODEC(search_result), CODEC(session_info),
	CODEC(layout), CODEC(exit_status), CODEC(detached),
	CODEC(pod_info), CODEC(empty), CODEC(action),
};

static int
decode_bytes(const struct codec *c, const void *p, size_t n)
{
	struct got g;
	int rc;

	got_set(&g, 0, 0, p, n);
	rc = c->dec(&g.f);
	got_free(&g);
	return rc;
}

/* Each prefix is its own exact-size allocation, so an over-read is an ASan
 * error and a partial allocation not freed is a leak report. */
static void
test_truncations(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(CODECS); i++) {
		const struct codec *c = &CODECS[i];
		struct wbuf b;
		const char *payload;
		size_t n;

		wbuf_init(&b);
		c->enc(&b);
		payload = b.data + FRAME_HDR_SIZE;
		n = b.len - FRAME_HDR_SIZE;
		assert_int_equal(decode_bytes(c, payload, n), 0);
		for (k = 0; k < n; k++)
			if (decode_bytes(c, payload, k) != -1)
				fail_msg("%s accepted %zu of %zu bytes", c->name,
					 k, n);
		wbuf_free(&b);
	}
}

static void
test_trailing_byte(void **state)
{
	size_t i;
	int fill;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(CODECS); i++) {
		for (fill = 0; fill < 256; fill += 255) {
			struct wbuf b;

			wbuf_init(&b);
			CODECS[i].enc(&b);
			wbuf_u8(&b, (uint8_t)fill);
			if (decode_bytes(&CODECS[i], b.data + FRAME_HDR_SIZE,
					 b.len - FRAME_HDR_SIZE) != -1)
				fail_msg("%s accepted a trailing byte",
					 CODECS[i].name);
			wbuf_free(&b);
		}
	}
}

static void
test_nul_in_string(void **state)
{
	struct msg_text t;
	struct msg_session_new sn;
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	msg_text_encode(&b, 0, "a\0b", 3);
	got_frame(&b, MSG_TEXT, 0, &g);
	assert_int_equal(msg_text_decode(&g.f, &t), -1);
	assert_null(t.text);
	got_free(&g);

	/* A NUL inside a list entry, after good entries were allocated. */
	wbuf_reset(&b);
	wbuf_str(&b, "n");
	wbuf_u16(&b, 1);
	wbuf_u16(&b, 1);
	wbuf_u8(&b, 0);
	wbuf_str(&b, "/");
	wbuf_u32(&b, 3);
	wbuf_str(&b, "ok");
	wbuf_blob(&b, "x\0y", 3);
	wbuf_str(&b, "never read");
	wbuf_u32(&b, 0);
	got_set(&g, MSG_SESSION_NEW, 0, b.data, b.len);
	assert_int_equal(msg_session_new_decode(&g.f, &sn), -1);
	assert_null(sn.name);
	assert_null(sn.argv.v);
	got_free(&g);
	wbuf_free(&b);
}

/* session_new with argv announced as `count` entries, then `have` empty
 * strings and an empty env. */
static int
session_new_with_count(uint32_t count, uint32_t have)
{
	struct msg_session_new m;
	struct wbuf b;
	struct got g;
	uint32_t i;
	int rc;

	wbuf_init(&b);
	wbuf_str(&b, "");
	wbuf_u16(&b, 1);
	wbuf_u16(&b, 1);
	wbuf_u8(&b, 0);
	wbuf_str(&b, "");
	wbuf_u32(&b, count);
	for (i = 0; i < have; i++)
		wbuf_str(&b, "");
	wbuf_u32(&b, 0);
	wbuf_str(&b, ""); /* layout */
	got_set(&g, MSG_SESSION_NEW, 0, b.data, b.len);
	rc = msg_session_new_decode(&g.f, &m);
	if (rc == 0) {
		assert_int_equal(m.argv.n, count);
		msg_session_new_free(&m);
	}
	got_free(&g);
	wbuf_free(&b);
	return rc;
}

static void
test_hostile_strv_count(void **state)
{
	(void)state;
	/* Would be a 32 GiB array if believed. */
	assert_int_equal(session_new_with_count(UINT32_MAX, 0), -1);
	assert_int_equal(session_new_with_count(0x40000000u, 2), -1);
	assert_int_equal(session_new_with_count(3, 2), -1);
	assert_int_equal(session_new_with_count(2, 3), -1);
	assert_int_equal(session_new_with_count(3, 3), 0);
	assert_int_equal(session_new_with_count(0, 0), 0);
}

static void
test_hostile_layout_counts(void **state)
{
	struct msg_layout m;
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	wbuf_str(&b, "s");
	wbuf_u16(&b, 80);
	wbuf_u16(&b, 24);
	wbuf_u16(&b, 0);
	wbuf_u32(&b, 0);
	wbuf_u16(&b, 0xffff); /* panes that are not there */
	wbuf_str(&b, "");
	got_set(&g, MSG_LAYOUT, 0, b.data, b.len);
	assert_int_equal(msg_layout_decode(&g.f, &m), -1);
	assert_null(m.panes);
	assert_null(m.session);
	got_free(&g);

	wbuf_reset(&b);
	wbuf_str(&b, "s");
	wbuf_u16(&b, 80);
	wbuf_u16(&b, 24);
	wbuf_u16(&b, 0);
	wbuf_u32(&b, 0x7fffffffu); /* tabs that are not there */
	got_set(&g, MSG_LAYOUT, 0, b.data, b.len);
	assert_int_equal(msg_layout_decode(&g.f, &m), -1);
	assert_null(m.tabs.v);
	got_free(&g);
	wbuf_free(&b);
}

static void
test_empty_rejects_payload(void **state)
{
	struct frame f = { .type = MSG_DETACH, .len = 1, .payload = "x" };

	(void)state;
	assert_int_equal(msg_empty_decode(&f), -1);
}

/* ---- the frame reader ---- */

static void
put_header(struct wbuf *b, uint32_t len, uint16_t type, uint16_t pane)
{
	wbuf_u32(b, len);
	wbuf_u16(b, type);
	wbuf_u16(b, pane);
}

static void
test_oversized_frame(void **state)
{
	struct frame_reader fr;
	struct frame f;
	const char *why = NULL;
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	put_header(&b, 123456789u, MSG_INPUT, 0);
	frame_reader_init(&fr, FRAME_MAX);
	frame_reader_push(&fr, b.data, b.len);
	assert_int_equal(frame_reader_next(&fr, &f, &why), -1);
	assert_string_equal(why,
			    "frame of 123456789 bytes exceeds the 16777216-byte limit");
	/* The stream stays bad however often it is asked. */
	why = NULL;
	frame_reader_push(&fr, "more", 4);
	assert_int_equal(frame_reader_next(&fr, &f, &why), -1);
	assert_non_null(why);
	frame_reader_free(&fr);
	wbuf_free(&b);
}

static void
test_frame_max_boundary(void **state)
{
	struct frame_reader fr;
	struct frame f;
	const char *why = NULL;
	char payload[17] = { 0 };
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	frame_put(&b, MSG_INPUT, 0, payload, 16);
	frame_put(&b, MSG_INPUT, 0, payload, 17);
	frame_reader_init(&fr, 16);
	frame_reader_push(&fr, b.data, b.len);
	assert_int_equal(frame_reader_next(&fr, &f, &why), 1);
	assert_int_equal(f.len, 16);
	assert_int_equal(frame_reader_next(&fr, &f, &why), -1);
	assert_string_equal(why, "frame of 17 bytes exceeds the 16-byte limit");
	frame_reader_free(&fr);
	wbuf_free(&b);
}

/* A stream of assorted frames, the reference for the splitting tests. */
static void
build_stream(struct wbuf *b)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(CODECS); i++)
		CODECS[i].enc(b);
	frame_put(b, MSG_INPUT, 3, "abc", 3);
	frame_put(b, 4242, 1, "?", 1);
	msg_empty_encode(b, MSG_POD_KILL, 2);
}

/* Walks stream and checks the frames got from the reader, in order, are
 * exactly its frames; returns how many have been checked. */
static size_t
drain(struct frame_reader *fr, const struct wbuf *stream, size_t *pos)
{
	struct frame f;
	const char *why = NULL;
	size_t count = 0;
	int rc;

	while ((rc = frame_reader_next(fr, &f, &why)) == 1) {
		const char *h = stream->data + *pos;
		struct rbuf r;

		rbuf_init(&r, h, FRAME_HDR_SIZE);
		assert_int_equal(f.len, rbuf_u32(&r));
		assert_int_equal(f.type, rbuf_u16(&r));
		assert_int_equal(f.pane, rbuf_u16(&r));
		assert_memory_equal(f.payload, h + FRAME_HDR_SIZE, f.len);
		*pos += FRAME_HDR_SIZE + f.len;
		count++;
	}
	assert_int_equal(rc, 0);
	return count;
}

static size_t
count_frames(const struct wbuf *stream)
{
	size_t pos = 0, n = 0;

	while (pos < stream->len) {
		struct rbuf r;

		rbuf_init(&r, stream->data + pos, 4);
		pos += FRAME_HDR_SIZE + rbuf_u32(&r);
		n++;
	}
	return n;
}

static void
test_split_every_boundary(void **state)
{
	struct wbuf s;
	size_t k, total;

	(void)state;
	wbuf_init(&s);
	build_stream(&s);
	total = count_frames(&s);
	for (k = 0; k <= s.len; k++) {
		struct frame_reader fr;
		size_t pos = 0, got;

		frame_reader_init(&fr, FRAME_MAX);
		frame_reader_push(&fr, s.data, k);
		got = drain(&fr, &s, &pos);
		frame_reader_push(&fr, s.data + k, s.len - k);
		got += drain(&fr, &s, &pos);
		assert_int_equal(got, total);
		assert_int_equal(pos, s.len);
		frame_reader_free(&fr);
	}
	wbuf_free(&s);
}

static void
test_byte_at_a_time(void **state)
{
	struct frame_reader fr;
	struct wbuf s;
	size_t k, pos = 0, got = 0;

	(void)state;
	wbuf_init(&s);
	build_stream(&s);
	frame_reader_init(&fr, FRAME_MAX);
	for (k = 0; k < s.len; k++) {
		frame_reader_push(&fr, s.data + k, 1);
		got += drain(&fr, &s, &pos);
	}
	assert_int_equal(got, count_frames(&s));
	frame_reader_free(&fr);
	wbuf_free(&s);
}

static void
test_many_frames_one_push(void **state)
{
	enum { N = 10000 };
	struct frame_reader fr;
	struct frame f;
	const char *why = NULL;
	struct wbuf s;
	uint32_t i;

	(void)state;
	wbuf_init(&s);
	for (i = 0; i < N; i++) {
		size_t st = frame_begin(&s, MSG_INPUT, (uint16_t)i);

		wbuf_u32(&s, i);
		wbuf_put(&s, "pad", i % 4);
		frame_end(&s, st);
	}
	frame_reader_init(&fr, FRAME_MAX);
	frame_reader_push(&fr, s.data, s.len);
	for (i = 0; i < N; i++) {
		struct rbuf r;

		assert_int_equal(frame_reader_next(&fr, &f, &why), 1);
		assert_int_equal(f.pane, (uint16_t)i);
		assert_int_equal(f.len, 4 + i % 4);
		rbuf_init(&r, f.payload, f.len);
		assert_int_equal(rbuf_u32(&r), i);
	}
	assert_int_equal(frame_reader_next(&fr, &f, &why), 0);
	frame_reader_free(&fr);
	wbuf_free(&s);
}

/* A long stream fed in odd-sized chunks must not make the buffer grow:
 * consumed bytes are reclaimed. */
static void
test_reader_buffer_bounded(void **state)
{
	struct frame_reader fr;
	struct frame f;
	const char *why = NULL;
	struct wbuf one;
	size_t i, k, frames = 0;

	(void)state;
	wbuf_init(&one);
	frame_put(&one, MSG_INPUT, 1, "0123456789abc", 13);
	frame_reader_init(&fr, FRAME_MAX);
	for (i = 0; i < 20000; i++) {
		for (k = 0; k < one.len; k += 7) {
			size_t n = one.len - k < 7 ? one.len - k : 7;

			frame_reader_push(&fr, one.data + k, n);
			while (frame_reader_next(&fr, &f, &why) == 1)
				frames++;
		}
		assert_true(fr.in.cap <= 1024);
	}
	assert_int_equal(frames, 20000);
	frame_reader_free(&fr);
	wbuf_free(&one);
}

static void
test_unknown_type_passes(void **state)
{
	struct frame_reader fr;
	struct frame f;
	const char *why = NULL;
	struct wbuf b;

	(void)state;
	wbuf_init(&b);
	frame_put(&b, 0xfffe, 77, "zz", 2);
	msg_ok_encode(&b, 0);
	frame_reader_init(&fr, FRAME_MAX);
	frame_reader_push(&fr, b.data, b.len);
	assert_int_equal(frame_reader_next(&fr, &f, &why), 1);
	assert_int_equal(f.type, 0xfffe);
	assert_int_equal(f.pane, 77);
	assert_int_equal(f.len, 2);
	assert_string_equal(msg_type_name(f.type), "?");
	assert_int_equal(frame_reader_next(&fr, &f, &why), 1);
	assert_int_equal(f.type, MSG_OK);
	frame_reader_free(&fr);
	wbuf_free(&b);
}

static void
test_empty_reader(void **state)
{
	struct frame_reader fr;
	struct frame f;
	const char *why = NULL;

	(void)state;
	frame_reader_init(&fr, FRAME_MAX);
	assert_int_equal(frame_reader_next(&fr, &f, &why), 0);
	frame_reader_push(&fr, NULL, 0);
	frame_reader_push(&fr, "\0\0\0", 3);
	assert_int_equal(frame_reader_next(&fr, &f, &why), 0);
	frame_reader_free(&fr);
}

/* frame_begin/end work on a buffer that already holds other frames. */
static void
test_frame_begin_end(void **state)
{
	struct wbuf b;
	struct rbuf r;
	size_t st;

	(void)state;
	wbuf_init(&b);
	wbuf_put(&b, "junk", 4);
	st = frame_begin(&b, MSG_TEXT, 0x0102);
	assert_int_equal(st, 4);
	wbuf_put(&b, "hello", 5);
	frame_end(&b, st);
	rbuf_init(&r, b.data + st, b.len - st);
	assert_int_equal(rbuf_u32(&r), 5);
	assert_int_equal(rbuf_u16(&r), MSG_TEXT);
	assert_int_equal(rbuf_u16(&r), 0x0102);
	assert_memory_equal(b.data, "junk", 4);
	/* Little-endian on the wire whatever the host. */
	assert_memory_equal(b.data + st, "\x05\0\0\0\x05\0\x02\x01", 8);
	wbuf_free(&b);
}

static void
test_type_names(void **state)
{
	(void)state;
	assert_string_equal(msg_type_name(MSG_HELLO), "HELLO");
	assert_string_equal(msg_type_name(MSG_PANE_UPDATE), "PANE_UPDATE");
	assert_string_equal(msg_type_name(MSG_SCROLLBACK_ROWS),
			    "SCROLLBACK_ROWS");
	assert_string_equal(msg_type_name(MSG_POD_KILL), "POD_KILL");
	assert_string_equal(msg_type_name(MSG_SESSION_KILL), "SESSION_KILL");
	assert_string_equal(msg_type_name(0), "?");
	assert_string_equal(msg_type_name(15), "?");
	assert_string_equal(msg_type_name(0xffff), "?");
}

static void
test_free_twice_is_harmless(void **state)
{
	struct msg_layout m;
	struct wbuf b;
	struct got g;

	(void)state;
	wbuf_init(&b);
	enc_layout(&b);
	got_set(&g, MSG_LAYOUT, 0, b.data + FRAME_HDR_SIZE,
		b.len - FRAME_HDR_SIZE);
	assert_int_equal(msg_layout_decode(&g.f, &m), 0);
	msg_layout_free(&m);
	msg_layout_free(&m);
	got_free(&g);
	wbuf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello),
		cmocka_unit_test(test_null_string_encodes_empty),
		cmocka_unit_test(test_hello_ok),
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_ok),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_uses_len),
		cmocka_unit_test(test_session_new),
		cmocka_unit_test(test_session_new_empty_lists),
		cmocka_unit_test(test_attach),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_send),
		cmocka_unit_test(test_capture),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_scrollback_read),
		cmocka_unit_test(test_scrollback_rows),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_search_result),
		cmocka_unit_test(test_session_info),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_layout_empty),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_detached),
		cmocka_unit_test(test_pod_info),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_raw_payload),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_action),
		cmocka_unit_test(test_trailing_byte),
		cmocka_unit_test(test_nul_in_string),
		cmocka_unit_test(test_hostile_strv_count),
		cmocka_unit_test(test_hostile_layout_counts),
		cmocka_unit_test(test_empty_rejects_payload),
		cmocka_unit_test(test_oversized_frame),
		cmocka_unit_test(test_frame_max_boundary),
		cmocka_unit_test(test_split_every_boundary),
		cmocka_unit_test(test_byte_at_a_time),
		cmocka_unit_test(test_many_frames_one_push),
		cmocka_unit_test(test_reader_buffer_bounded),
		cmocka_unit_test(test_unknown_type_passes),
		cmocka_unit_test(test_empty_reader),
		cmocka_unit_test(test_frame_begin_end),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_free_twice_is_harmless),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
