/*
 * gen_corpus — writes the seed corpus for fuzz_frame: one valid frame of
 * every message type, a few multi-frame streams, and a handful of known
 * bad inputs the fuzzer should start from rather than rediscover.
 *
 * The output is committed; rerun only when the wire format changes:
 *   cc -std=gnu11 -Isrc src/core/proto.c src/core/buf.c src/core/util.c \
 *      tests/fuzz/gen_corpus.c -o /tmp/gen_corpus &&
 *   /tmp/gen_corpus tests/fuzz/corpus/frame
 *
 * fuzz_frame cuts each input in two at (first byte % (size + 1)); every
 * file here starts with a frame length, so the cuts land all over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/proto.h"

#define UNI "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x8e\x89"

static void
save(const char *dir, const char *name, const struct wbuf *b)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "wb");
	if (!fp || fwrite(b->data, 1, b->len, fp) != b->len || fclose(fp)) {
		perror(path);
		exit(1);
	}
}

static void
hello(struct wbuf *b)
{
	struct msg_hello m = { PROTO_VERSION, PROTO_MIN_VERSION, ROLE_MUX,
			       1234, "default" };

	msg_hello_encode(b, &m);
}

static void
session_new(struct wbuf *b)
{
	char *argv[] = { "/bin/sh", "-c", "echo " UNI, NULL };
	char *env[] = { "TERM=xterm-256color", "HOME=/root", "", NULL };
	struct msg_session_new m = { .name = "work", .cols = 80, .rows = 24,
				     .flags = SESSION_NEW_ATTACH,
				     .cwd = "/tmp", .argv = { 3, argv },
				     .env = { 3, env } , .layout = "dev" };

	msg_session_new_encode(b, &m);
}

static void
layout(struct wbuf *b)
{
	char *tabs[] = { "main", UNI, NULL };
	struct layout_pane p[] = {
		{ 1, 0, 0, 40, 23, LAYOUT_FOCUSED, "sh", "" },
		{ 2, 41, 0, 39, 23, 0, "vim " UNI, "mem 512M" },
		{ 3, 10, 5, 60, 10, LAYOUT_FLOAT | LAYOUT_EXITED, "", "exit 1" },
	};
	struct msg_layout m = { .session = "work", .cols = 80, .rows = 24,
				.active_tab = 1, .tabs = { 2, tabs },
				.npanes = 3, .panes = p, .status = "" };

	msg_layout_encode(b, &m);
}

static void
pod_info(struct wbuf *b)
{
	char *argv[] = { "/bin/bash", "-l", NULL };
	struct msg_pod_info m = { .version = PROTO_VERSION, .pane = 3,
				  .pod_pid = 4000, .child_pid = 4001,
				  .state = POD_RUNNING, .cols = 80, .rows = 24,
				  .created = 1700000000, .session = "work",
				  .cwd = "/root", .title = UNI,
				  .profile = "default", .info = "cgroup ok",
				  .argv = { 2, argv } };

	msg_pod_info_encode(b, &m);
}

/* One valid frame of every message type. */
static void
one_of_each(const char *dir)
{
	static const struct {
		const char *name;
		uint16_t type;
	} empties[] = {
		{ "ok", MSG_OK },
		{ "detach", MSG_DETACH },
		{ "session_list", MSG_SESSION_LIST },
		{ "server_stop", MSG_SERVER_STOP },
		{ "pod_list", MSG_POD_LIST },
		{ "snapshot", MSG_SNAPSHOT },
		{ "pod_kill", MSG_POD_KILL },
	};
	struct wbuf b;
	size_t i;

	wbuf_init(&b);
#define SAVE(name, ...)                                                    \
	do {                                                               \
		wbuf_reset(&b);                                            \
		__VA_ARGS__;                                               \
		save(dir, name, &b);                                       \
	} while (0)
	SAVE("hello", hello(&b));
	SAVE("hello_ok", msg_hello_ok_encode(
				 &b, &(struct msg_hello_ok){ PROTO_VERSION, 99 }));
	SAVE("error", msg_error_encode(&b, 2, -2, "no such session"));
	SAVE("text", msg_text_encode(&b, 0, "work: 1 pane\n", 13));
	SAVE("text_unicode", msg_text_encode(&b, 0, UNI, strlen(UNI)));
	SAVE("session_new", session_new(&b));
	SAVE("attach", msg_attach_encode(&b, &(struct msg_attach){
						    "work", 120, 40,
						    "xterm-256color" }));
	SAVE("attach_empty", msg_attach_encode(&b, &(struct msg_attach){ 0 }));
	SAVE("resize", msg_resize_encode(&b, 1, &(struct msg_resize){ 80, 24 }));
	SAVE("input", frame_put(&b, MSG_INPUT, 1, "ls -l\r", 6));
	SAVE("send", msg_send_encode(&b, &(struct msg_send){
						 "work:2", 4, "q\0\r\n" }));
	SAVE("capture", msg_capture_encode(&b, 0, &(struct msg_capture){
							  "work", 100, 0 }));
	SAVE("session_kill", msg_name_encode(&b, MSG_SESSION_KILL,
					     &(struct msg_name){ "work" }));
	SAVE("scrollback_read",
	     msg_scrollback_read_encode(
		     &b, 1, &(struct msg_scrollback_read){ -50, 50 }));
	SAVE("scrollback_rows",
	     msg_scrollback_rows_encode(
		     &b, 1, &(struct msg_scrollback_rows){ 10, 500, 6,
							    "\1\2\0row" }));
	SAVE("search", msg_search_encode(&b, 1, &(struct msg_search){
						       "err(or)?", -1,
						       SEARCH_BACKWARD }));
	SAVE("action", msg_action_encode(&b, &(struct msg_action){
						       "work:2", "float.toggle",
						       "1" }));
	SAVE("search_result",
	     msg_search_result_encode(
		     &b, 1, &(struct msg_search_result){ 1, 42, 7, 5 }));
	SAVE("session_info", msg_session_info_encode(
				     &b, &(struct msg_session_info){ "work", 1 }));
	SAVE("layout", layout(&b));
	SAVE("pane_update", frame_put(&b, MSG_PANE_UPDATE, 1,
				      "\1\0\0\0\x50\0\x18\0", 8));
	SAVE("pane_exited", msg_exit_status_encode(
				    &b, MSG_PANE_EXITED, 2,
				    &(struct msg_exit_status){ 256 }));
	SAVE("detached", msg_detached_encode(
				 &b, &(struct msg_detached){ "server stopped" }));
	SAVE("pod_info", pod_info(&b));
	SAVE("pod_exit", msg_exit_status_encode(
				 &b, MSG_POD_EXIT, 3,
				 &(struct msg_exit_status){ 9 }));
	for (i = 0; i < sizeof empties / sizeof empties[0]; i++)
		SAVE(empties[i].name, msg_empty_encode(&b, empties[i].type, 0));
#undef SAVE
	wbuf_free(&b);
}

/* Streams and known-bad inputs. */
static void
edge_cases(const char *dir)
{
	struct wbuf b;

	wbuf_init(&b);
	hello(&b);
	msg_hello_ok_encode(&b, &(struct msg_hello_ok){ 1, 2 });
	session_new(&b);
	layout(&b);
	frame_put(&b, MSG_INPUT, 1, "x", 1);
	msg_ok_encode(&b, 0);
	save(dir, "stream_mux", &b);

	wbuf_reset(&b);
	pod_info(&b);
	frame_put(&b, MSG_PANE_UPDATE, 3, "\0\0", 2);
	msg_exit_status_encode(&b, MSG_POD_EXIT, 3,
			       &(struct msg_exit_status){ 0 });
	save(dir, "stream_pod", &b);

	wbuf_reset(&b); /* header announcing more than FRAME_MAX */
	wbuf_u32(&b, FRAME_MAX + 1);
	wbuf_u16(&b, MSG_INPUT);
	wbuf_u16(&b, 0);
	save(dir, "bad_oversized", &b);

	wbuf_reset(&b); /* header promising more than follows */
	wbuf_u32(&b, 100);
	wbuf_u16(&b, MSG_LAYOUT);
	wbuf_u16(&b, 0);
	wbuf_str(&b, "half");
	save(dir, "bad_truncated", &b);

	wbuf_reset(&b);
	frame_put(&b, 0x7777, 5, "???", 3);
	msg_ok_encode(&b, 0);
	save(dir, "unknown_type", &b);

	wbuf_reset(&b);
	msg_text_encode(&b, 0, "a\0b", 3);
	save(dir, "bad_nul_in_string", &b);

	wbuf_reset(&b); /* an argv count far beyond the payload */
	{
		size_t st = frame_begin(&b, MSG_SESSION_NEW, 0);

		wbuf_str(&b, "x");
		wbuf_u16(&b, 80);
		wbuf_u16(&b, 24);
		wbuf_u8(&b, 0);
		wbuf_str(&b, "/");
		wbuf_u32(&b, 0xffffffffu);
		wbuf_str(&b, "sh");
		frame_end(&b, st);
	}
	save(dir, "bad_strv_count", &b);

	wbuf_reset(&b);
	msg_error_encode(&b, 0, 0, "x");
	wbuf_u8(&b, 0);
	b.data[0]++; /* the trailing byte is inside the frame */
	save(dir, "bad_trailing_byte", &b);
	wbuf_free(&b);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	one_of_each(argv[1]);
	edge_cases(argv[1]);
	return 0;
}
