/*
 * test_keys — key names, the input decoder (every form, split feeds,
 * bracketed paste, timeouts), chords and legacy re-encoding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mux/keys.h"

/* ---- event recorder ---- */

struct rec_ev {
	struct input_event ev;	/* ev.raw is cleared: it dies with the cb */
	size_t off;		/* where its raw bytes are in rec.log */
};

struct rec {
	struct rec_ev *evs;
	size_t n, cap;
	char *log;		/* every event's raw bytes, in order */
	size_t log_len, log_cap;
	char *rawcat;		/* every INPUT_RAW byte, in order */
	size_t rawcat_len, rawcat_cap;
	bool in_paste;
	int starts, ends;
	bool order_error;	/* paste marks out of order */
};

static void
rec_init(struct rec *r)
{
	memset(r, 0, sizeof(*r));
}

static void
rec_free(struct rec *r)
{
	free(r->evs);
	free(r->log);
	free(r->rawcat);
	memset(r, 0, sizeof(*r));
}

static void
append(char **buf, size_t *len, size_t *cap, const char *p, size_t n)
{
	if (*len + n > *cap) {
		*cap = (*len + n) * 2 + 64;
		*buf = realloc(*buf, *cap);
		assert_non_null(*buf);
	}
	memcpy(*buf + *len, p, n);
	*len += n;
}

static const char *
rec_raw(const struct rec *r, size_t i)
{
	return r->log + r->evs[i].off;
}

static void
rec_track_paste(struct rec *r, const struct input_event *ev)
{
	if (ev->type == INPUT_PASTE_START) {
		r->order_error |= r->in_paste;
		r->in_paste = true;
		r->starts++;
	} else if (ev->type == INPUT_PASTE_END) {
		r->order_error |= !r->in_paste;
		r->in_paste = false;
		r->ends++;
	}
}

static void
rec_cb(const struct input_event *ev, void *arg)
{
	struct rec *r = arg;
	struct rec_ev *e;

	assert_non_null(ev->raw);
	assert_true(ev->rawlen > 0);
	rec_track_paste(r, ev);
	if (ev->type == INPUT_RAW)
		append(&r->rawcat, &r->rawcat_len, &r->rawcat_cap, ev->raw,
		    ev->rawlen);
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->evs = realloc(r->evs, r->cap * sizeof(*r->evs));
		assert_non_null(r->evs);
	}
	e = &r->evs[r->n++];
	e->ev = *ev;
	e->off = r->log_len;
	append(&r->log, &r->log_len, &r->log_cap, ev->raw, ev->rawlen);
	e->ev.raw = NULL;
}

/*
 * Feed everything, then let the escape timeout expire. Returns the bytes
 * still kept (only a half paste terminator can be).
 */
static size_t
decode(const char *s, size_t n, struct rec *r)
{
	struct input_decoder d;

	input_decoder_init(&d);
	input_decoder_feed(&d, s, n, rec_cb, r);
	input_decoder_timeout(&d, rec_cb, r);
	assert_false(input_decoder_pending(&d));
	return d.npend;
}

/*
 * One line per event; consecutive INPUT_RAW runs are merged because
 * where a raw run is cut depends on how the input was split.
 */
static char *
describe(const struct rec *r)
{
	size_t cap = 64 + r->n * 48 + r->log_len * 2, len = 0, i, j;
	char *out = malloc(cap);
	bool in_raw = false;

	assert_non_null(out);
	out[0] = '\0';
	for (i = 0; i < r->n; i++) {
		const struct input_event *ev = &r->evs[i].ev;

		if (ev->type == INPUT_RAW) {
			if (!in_raw)
				len += (size_t)sprintf(out + len, "raw:");
			for (j = 0; j < ev->rawlen; j++)
				len += (size_t)sprintf(out + len, "%02x",
				    (unsigned char)rec_raw(r, i)[j]);
			in_raw = true;
			continue;
		}
		if (in_raw)
			len += (size_t)sprintf(out + len, " ");
		in_raw = false;
		switch (ev->type) {
		case INPUT_KEY:
			len += (size_t)sprintf(out + len, "key:%x/%u%s ",
			    (unsigned)ev->key, ev->mods, ev->release ? "r" : "");
			break;
		case INPUT_MOUSE:
			len += (size_t)sprintf(out + len, "mouse:%d,%d,%d/%u%s%s ",
			    ev->button, ev->x, ev->y, ev->mods,
			    ev->release ? "r" : "", ev->motion ? "m" : "");
			break;
		default:
			len += (size_t)sprintf(out + len, "ev%d ", (int)ev->type);
			break;
		}
	}
	if (in_raw)
		len += (size_t)sprintf(out + len, " ");
	return out;
}

static char *
describe_str(const char *s, size_t n)
{
	struct rec r;
	char *out;

	rec_init(&r);
	decode(s, n, &r);
	out = describe(&r);
	rec_free(&r);
	return out;
}

/* s decodes to exactly one key event made of all of s. */
static void
check_key(const char *s, uint32_t key, unsigned mods)
{
	struct rec r;
	size_t n = strlen(s);

	rec_init(&r);
	decode(s, n, &r);
	if (r.n != 1 || r.evs[0].ev.type != INPUT_KEY ||
	    r.evs[0].ev.key != key || r.evs[0].ev.mods != mods) {
		char *d = describe(&r);

		print_error("input %zu bytes: got %s want key:%x/%u\n", n, d,
		    (unsigned)key, mods);
		free(d);
		fail();
	}
	assert_int_equal(r.evs[0].ev.rawlen, n);
	assert_memory_equal(rec_raw(&r, 0), s, n);
	rec_free(&r);
}

/* s decodes to exactly one INPUT_RAW event holding all of s. */
static void
check_raw(const char *s)
{
	struct rec r;
	size_t n = strlen(s);

	rec_init(&r);
	decode(s, n, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.evs[0].ev.type, INPUT_RAW);
	assert_int_equal(r.rawcat_len, n);
	assert_memory_equal(r.rawcat, s, n);
	rec_free(&r);
}

static void
check_describe(const char *s, size_t n, const char *want)
{
	char *got = describe_str(s, n);

	assert_string_equal(got, want);
	free(got);
}

#define DESC(s, want) check_describe(s, sizeof(s) - 1, want)

/* Deterministic generator, independent of libc's rand(). */
static uint32_t
xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* ---- key names ---- */

struct name_case {
	const char *word;
	const char *bytes;
	size_t len;
};

static void
test_names_bytes(void **state)
{
	static const struct name_case cases[] = {
		{ "Enter", "\r", 1 }, { "Tab", "\t", 1 },
		{ "BTab", "\x1b[Z", 3 }, { "Space", " ", 1 },
		{ "Escape", "\x1b", 1 }, { "BSpace", "\x7f", 1 },
		{ "Up", "\x1b[A", 3 }, { "Down", "\x1b[B", 3 },
		{ "Right", "\x1b[C", 3 }, { "Left", "\x1b[D", 3 },
		{ "Home", "\x1b[H", 3 }, { "End", "\x1b[F", 3 },
		{ "PageUp", "\x1b[5~", 4 }, { "PPage", "\x1b[5~", 4 },
		{ "PageDown", "\x1b[6~", 4 }, { "NPage", "\x1b[6~", 4 },
		{ "Insert", "\x1b[2~", 4 }, { "IC", "\x1b[2~", 4 },
		{ "Delete", "\x1b[3~", 4 }, { "DC", "\x1b[3~", 4 },
		{ "F1", "\x1bOP", 3 }, { "F2", "\x1bOQ", 3 },
		{ "F3", "\x1bOR", 3 }, { "F4", "\x1bOS", 3 },
		{ "F5", "\x1b[15~", 5 }, { "F6", "\x1b[17~", 5 },
		{ "F7", "\x1b[18~", 5 }, { "F8", "\x1b[19~", 5 },
		{ "F9", "\x1b[20~", 5 }, { "F10", "\x1b[21~", 5 },
		{ "F11", "\x1b[23~", 5 }, { "F12", "\x1b[24~", 5 },
		{ "C-a", "\x01", 1 }, { "C-z", "\x1a", 1 }, { "C-A", "\x01", 1 },
		{ "C-@", "\x00", 1 }, { "C-[", "\x1b", 1 }, { "C-\\", "\x1c", 1 },
		{ "C-]", "\x1d", 1 }, { "C-^", "\x1e", 1 }, { "C-_", "\x1f", 1 },
		{ "C-Space", "\x00", 1 }, { "C-?", "\x7f", 1 },
		{ "C-BSpace", "\x08", 1 },
		{ "M-x", "\x1bx", 2 }, { "M-X", "\x1bX", 2 },
		{ "M-Enter", "\x1b\r", 2 }, { "M-Escape", "\x1b\x1b", 2 },
		{ "M-C-a", "\x1b\x01", 2 }, { "C-M-a", "\x1b\x01", 2 },
		{ "M-Space", "\x1b ", 2 }, { "M-BTab", "\x1b\x1b[Z", 4 },
		{ "M-\xc3\xa9", "\x1b\xc3\xa9", 3 },
		{ "S-a", "A", 1 }, { "S-Tab", "\x1b[Z", 3 },
		{ "S-Up", "\x1b[1;2A", 6 }, { "C-Up", "\x1b[1;5A", 6 },
		{ "M-Up", "\x1b[1;3A", 6 }, { "C-M-Left", "\x1b[1;7D", 6 },
		{ "C-S-Right", "\x1b[1;6C", 6 }, { "S-Home", "\x1b[1;2H", 6 },
		{ "S-End", "\x1b[1;2F", 6 }, { "C-PageUp", "\x1b[5;5~", 6 },
		{ "M-Delete", "\x1b[3;3~", 6 }, { "S-F1", "\x1b[1;2P", 6 },
		{ "S-F5", "\x1b[15;2~", 7 }, { "C-F12", "\x1b[24;5~", 7 },
	};
	char out[32];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		len = 99;
		if (keys_name_to_bytes(cases[i].word, out, sizeof(out), &len)
		    != 1) {
			print_error("%s: not a key\n", cases[i].word);
			fail();
		}
		if (len != cases[i].len ||
		    memcmp(out, cases[i].bytes, len) != 0) {
			print_error("%s: wrong bytes (%zu)\n", cases[i].word,
			    len);
			fail();
		}
	}
}

static void
test_names_not_keys(void **state)
{
	static const char *const words[] = {
		"hello", "a", "A", "", "enter", "ENTER", "up", "f1", "F13",
		"F0", "C-", "M-", "S-", "C-M-", "C-1", "C-ab", "Enterx",
		"xEnter", "\xc3\xa9", "C-\xc3", "c-a", "M_x", "-", "--",
	};
	char out[16];
	size_t i, len = 0;

	(void)state;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (keys_name_to_bytes(words[i], out, sizeof(out), &len) != 0) {
			print_error("\"%s\" taken as a key\n", words[i]);
			fail();
		}
	}
	assert_int_equal(keys_name_to_bytes(NULL, out, sizeof(out), &len), 0);
}

static void
test_names_buffer_too_small(void **state)
{
	char out[8];
	size_t len = 0;

	(void)state;
	assert_int_equal(keys_name_to_bytes("S-F5", out, 6, &len), -1);
	assert_int_equal(keys_name_to_bytes("S-F5", out, 7, &len), 1);
	assert_int_equal(len, 7);
	assert_int_equal(keys_name_to_bytes("Enter", out, 0, &len), -1);
	assert_int_equal(keys_name_to_bytes("M-a", out, 1, &len), -1);
	/* Not a key name is 0 even when nothing would fit. */
	assert_int_equal(keys_name_to_bytes("hello", out, 0, &len), 0);
}

static void
test_names_list(void **state)
{
	const char *const *list = keys_name_list();
	static const char *const must[] = {
		"Enter", "Tab", "BTab", "Space", "Escape", "BSpace", "Up",
		"Down", "Left", "Right", "Home", "End", "PageUp", "PPage",
		"PageDown", "NPage", "Insert", "IC", "Delete", "DC", "F1",
		"F12",
	};
	char out[16], prefixed[32];
	size_t i, j, n = 0, len;

	(void)state;
	assert_non_null(list);
	for (i = 0; list[i] != NULL; i++) {
		n++;
		assert_int_equal(keys_name_to_bytes(list[i], out, sizeof(out),
		    &len), 1);
		assert_true(len > 0);
		snprintf(prefixed, sizeof(prefixed), "M-%s", list[i]);
		assert_int_equal(keys_name_to_bytes(prefixed, out,
		    sizeof(out), &len), 1);
	}
	assert_int_equal(n, 32);
	for (i = 0; i < sizeof(must) / sizeof(must[0]); i++) {
		for (j = 0; list[j] != NULL; j++)
			if (strcmp(list[j], must[i]) == 0)
				break;
		assert_non_null(list[j]);
	}
}

/* Names and the decoder agree: the bytes of a name decode to its key. */
static void
test_names_decode_back(void **state)
{
	static const struct {
		const char *word;
		uint32_t key;
		unsigned mods;
	} cases[] = {
		{ "Enter", KEY_ENTER, 0 }, { "BTab", KEY_TAB, KEY_MOD_SHIFT },
		{ "M-C-d", 'd', KEY_MOD_CTRL | KEY_MOD_ALT },
		{ "C-M-Up", KEY_UP, KEY_MOD_CTRL | KEY_MOD_ALT },
		{ "S-F7", KEY_F7, KEY_MOD_SHIFT }, { "F3", KEY_F3, 0 },
		{ "M-Escape", KEY_ESCAPE, KEY_MOD_ALT },
		{ "M-S-a", 'A', KEY_MOD_ALT },
	};
	char out[16];
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(keys_name_to_bytes(cases[i].word, out,
		    sizeof(out) - 1, &len), 1);
		out[len] = '\0';
		check_key(out, cases[i].key, cases[i].mods);
	}
}

/* ---- decoder: single forms ---- */

static void
test_decode_plain(void **state)
{
	(void)state;
	check_key("a", 'a', 0);
	check_key("D", 'D', 0);
	check_key(" ", ' ', 0);
	check_key("~", '~', 0);
	check_key("\xc3\xa9", 0xe9, 0);
	check_key("\xe2\x82\xac", 0x20ac, 0);
	check_key("\xf0\x9f\x98\x80", 0x1f600, 0);
	DESC("hi!", "key:68/0 key:69/0 key:21/0 ");
}

static void
test_decode_invalid_utf8(void **state)
{
	(void)state;
	check_raw("\xff");
	check_raw("\x80");
	check_raw("\xc0");
	/* Bad continuation: the lead byte alone is raw, then the rest. */
	DESC("\xc3" "a", "raw:c3 key:61/0 ");
	/* Overlong and surrogate forms are rejected. */
	DESC("\xe0\x80\x80", "raw:e08080 ");
	DESC("\xed\xa0\x80", "raw:eda080 ");
	DESC("\xf4\x90\x80\x80", "raw:f4908080 ");
	/* A character cut short by the timeout is raw. */
	check_raw("\xe2\x82");
}

static void
test_decode_control_bytes(void **state)
{
	unsigned c;
	char s[2] = { 0, 0 };

	(void)state;
	check_key("\r", KEY_ENTER, 0);
	check_key("\t", KEY_TAB, 0);
	check_key("\x7f", KEY_BACKSPACE, 0);
	check_key("\x08", KEY_BACKSPACE, 0);
	check_key("\x01", 'a', KEY_MOD_CTRL);
	check_key("\x04", 'd', KEY_MOD_CTRL);
	check_key("\x0a", 'j', KEY_MOD_CTRL);
	check_key("\x1a", 'z', KEY_MOD_CTRL);
	check_key("\x1c", '\\', KEY_MOD_CTRL);
	check_key("\x1d", ']', KEY_MOD_CTRL);
	check_key("\x1e", '^', KEY_MOD_CTRL);
	check_key("\x1f", '_', KEY_MOD_CTRL);
	DESC("\0", "key:20/4 ");
	for (c = 1; c <= 0x1a; c++) {
		if (c == '\r' || c == '\t' || c == 0x08)
			continue;
		s[0] = (char)c;
		check_key(s, 'a' + c - 1, KEY_MOD_CTRL);
	}
}

static void
test_decode_alt(void **state)
{
	(void)state;
	check_key("\x1b" "x", 'x', KEY_MOD_ALT);
	check_key("\x1b" "D", 'D', KEY_MOD_ALT);
	check_key("\x1b" "1", '1', KEY_MOD_ALT);
	check_key("\x1b\x04", 'd', KEY_MOD_CTRL | KEY_MOD_ALT);
	check_key("\x1b\r", KEY_ENTER, KEY_MOD_ALT);
	check_key("\x1b\x7f", KEY_BACKSPACE, KEY_MOD_ALT);
	check_key("\x1b\xc3\xa9", 0xe9, KEY_MOD_ALT);
	check_key("\x1b ", ' ', KEY_MOD_ALT);
	check_key("\x1b]", ']', KEY_MOD_ALT);
	check_key("\x1bP", 'P', KEY_MOD_ALT);
	DESC("\x1b\x1f", "key:5f/6 ");
}

static void
test_decode_csi_cursor(void **state)
{
	(void)state;
	check_key("\x1b[A", KEY_UP, 0);
	check_key("\x1b[B", KEY_DOWN, 0);
	check_key("\x1b[C", KEY_RIGHT, 0);
	check_key("\x1b[D", KEY_LEFT, 0);
	check_key("\x1b[H", KEY_HOME, 0);
	check_key("\x1b[F", KEY_END, 0);
	check_key("\x1b[1;2A", KEY_UP, KEY_MOD_SHIFT);
	check_key("\x1b[1;3B", KEY_DOWN, KEY_MOD_ALT);
	check_key("\x1b[1;5A", KEY_UP, KEY_MOD_CTRL);
	check_key("\x1b[1;7A", KEY_UP, KEY_MOD_CTRL | KEY_MOD_ALT);
	check_key("\x1b[1;4D", KEY_LEFT, KEY_MOD_SHIFT | KEY_MOD_ALT);
	check_key("\x1b[1;9C", KEY_RIGHT, KEY_MOD_SUPER);
	check_key("\x1b[1;16H", KEY_HOME, 15);
	/* kitty lock bits (caps 64, num 128) are not modifiers. */
	check_key("\x1b[1;69A", KEY_UP, KEY_MOD_CTRL);
	check_key("\x1b[Z", KEY_TAB, KEY_MOD_SHIFT);
	check_key("\x1b[1;2P", KEY_F1, KEY_MOD_SHIFT);
	check_key("\x1b[1;5S", KEY_F4, KEY_MOD_CTRL);
	check_key("\x1b[P", KEY_F1, 0);
}

static void
test_decode_ss3(void **state)
{
	(void)state;
	check_key("\x1bOA", KEY_UP, 0);
	check_key("\x1bOB", KEY_DOWN, 0);
	check_key("\x1bOC", KEY_RIGHT, 0);
	check_key("\x1bOD", KEY_LEFT, 0);
	check_key("\x1bOH", KEY_HOME, 0);
	check_key("\x1bOF", KEY_END, 0);
	check_key("\x1bOP", KEY_F1, 0);
	check_key("\x1bOQ", KEY_F2, 0);
	check_key("\x1bOR", KEY_F3, 0);
	check_key("\x1bOS", KEY_F4, 0);
	check_key("\x1bOM", KEY_ENTER, 0);
	check_key("\x1bOp", '0', 0);
	check_key("\x1bOk", '+', 0);
	check_key("\x1bO5A", KEY_UP, KEY_MOD_CTRL);
	check_key("\x1bO1;2P", KEY_F1, KEY_MOD_SHIFT);
	/* Not SS3 after all: Alt+O, then the next key. */
	DESC("\x1bOz", "key:4f/2 key:7a/0 ");
	DESC("\x1bO", "key:4f/2 ");
}

static void
test_decode_tilde(void **state)
{
	static const struct {
		const char *s;
		uint32_t key;
		unsigned mods;
	} cases[] = {
		{ "\x1b[2~", KEY_INSERT, 0 }, { "\x1b[3~", KEY_DELETE, 0 },
		{ "\x1b[5~", KEY_PAGEUP, 0 }, { "\x1b[6~", KEY_PAGEDOWN, 0 },
		{ "\x1b[1~", KEY_HOME, 0 }, { "\x1b[4~", KEY_END, 0 },
		{ "\x1b[7~", KEY_HOME, 0 }, { "\x1b[8~", KEY_END, 0 },
		{ "\x1b[11~", KEY_F1, 0 }, { "\x1b[12~", KEY_F2, 0 },
		{ "\x1b[13~", KEY_F3, 0 }, { "\x1b[14~", KEY_F4, 0 },
		{ "\x1b[15~", KEY_F5, 0 }, { "\x1b[17~", KEY_F6, 0 },
		{ "\x1b[18~", KEY_F7, 0 }, { "\x1b[19~", KEY_F8, 0 },
		{ "\x1b[20~", KEY_F9, 0 }, { "\x1b[21~", KEY_F10, 0 },
		{ "\x1b[23~", KEY_F11, 0 }, { "\x1b[24~", KEY_F12, 0 },
		{ "\x1b[5;3~", KEY_PAGEUP, KEY_MOD_ALT },
		{ "\x1b[6;2~", KEY_PAGEDOWN, KEY_MOD_SHIFT },
		{ "\x1b[3;5~", KEY_DELETE, KEY_MOD_CTRL },
		{ "\x1b[15;6~", KEY_F5, KEY_MOD_CTRL | KEY_MOD_SHIFT },
		{ "\x1b[24;8~", KEY_F12, 7 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_key(cases[i].s, cases[i].key, cases[i].mods);
	check_raw("\x1b[99~");
	check_raw("\x1b[16~");
	check_raw("\x1b[201~");	/* a paste end outside a paste */
	check_raw("\x1b[5;3;1~");
	check_key("\x1b[[A", KEY_F1, 0);	/* linux console */
	check_key("\x1b[[E", KEY_F5, 0);
}

static void
test_decode_kitty(void **state)
{
	(void)state;
	check_key("\x1b[100;7u", 'd', KEY_MOD_CTRL | KEY_MOD_ALT);
	check_key("\x1b[100;5u", 'd', KEY_MOD_CTRL);
	check_key("\x1b[100;3u", 'd', KEY_MOD_ALT);
	/* Shift+letter reads as the uppercase letter, as in legacy. */
	check_key("\x1b[100;4u", 'D', KEY_MOD_ALT);
	check_key("\x1b[97;2u", 'A', 0);
	/* With Ctrl the shift stays: legacy cannot say it. */
	check_key("\x1b[97;6u", 'a', KEY_MOD_CTRL | KEY_MOD_SHIFT);
	check_key("\x1b[97;9u", 'a', KEY_MOD_SUPER);
	check_key("\x1b[97;69u", 'a', KEY_MOD_CTRL);	/* caps lock */
	check_key("\x1b[97u", 'a', 0);
	check_key("\x1b[13;5u", KEY_ENTER, KEY_MOD_CTRL);
	check_key("\x1b[9;2u", KEY_TAB, KEY_MOD_SHIFT);
	check_key("\x1b[127;3u", KEY_BACKSPACE, KEY_MOD_ALT);
	check_key("\x1b[27u", KEY_ESCAPE, 0);
	check_key("\x1b[47;7u", '/', KEY_MOD_CTRL | KEY_MOD_ALT);
	check_key("\x1b[32;5u", ' ', KEY_MOD_CTRL);
	check_key("\x1b[233;3u", 0xe9, KEY_MOD_ALT);
	check_key("\x1b[57399u", '0', 0);
	check_key("\x1b[57414;5u", KEY_ENTER, KEY_MOD_CTRL);
	check_key("\x1b[57419u", KEY_UP, 0);
	/* Alternate keys and associated text are accepted and ignored. */
	check_key("\x1b[97:65;2u", 'A', 0);
	check_key("\x1b[97;5;97u", 'a', KEY_MOD_CTRL);
	/* Event types: press, repeat, release. */
	check_key("\x1b[97;5:1u", 'a', KEY_MOD_CTRL);
	check_key("\x1b[97;5:2u", 'a', KEY_MOD_CTRL);
	DESC("\x1b[97;5:3u", "key:61/4r ");
	DESC("\x1b[1;5:3A", "key:110004/4r ");
	/* Not keys. */
	check_raw("\x1b[55296u");	/* surrogate */
	check_raw("\x1b[1114112u");	/* beyond Unicode */
	check_raw("\x1b[1u");
	check_raw("\x1b[?1u");		/* reply to a flags query */
}

static void
test_decode_modify_other_keys(void **state)
{
	(void)state;
	check_key("\x1b[27;5;97~", 'a', KEY_MOD_CTRL);
	check_key("\x1b[27;7;100~", 'd', KEY_MOD_CTRL | KEY_MOD_ALT);
	check_key("\x1b[27;2;97~", 'A', 0);
	check_key("\x1b[27;5;13~", KEY_ENTER, KEY_MOD_CTRL);
}

static void
test_decode_mouse(void **state)
{
	(void)state;
	DESC("\x1b[<0;1;1M", "mouse:0,0,0/0 ");
	DESC("\x1b[<0;10;20m", "mouse:0,9,19/0r ");
	DESC("\x1b[<2;80;24M", "mouse:2,79,23/0 ");
	DESC("\x1b[<1;5;6M", "mouse:1,4,5/0 ");
	DESC("\x1b[<32;3;4M", "mouse:0,2,3/0m ");
	DESC("\x1b[<35;3;4M", "mouse:3,2,3/0m ");
	DESC("\x1b[<64;3;4M", "mouse:4,2,3/0 ");
	DESC("\x1b[<65;3;4M", "mouse:5,2,3/0 ");
	DESC("\x1b[<66;3;4M", "mouse:6,2,3/0 ");
	DESC("\x1b[<128;3;4M", "mouse:8,2,3/0 ");
	DESC("\x1b[<4;1;1M", "mouse:0,0,0/1 ");
	DESC("\x1b[<8;1;1M", "mouse:0,0,0/2 ");
	DESC("\x1b[<16;1;1M", "mouse:0,0,0/4 ");
	DESC("\x1b[<28;300;200M", "mouse:0,299,199/7 ");
	/* X10 encoding. */
	DESC("\x1b[M !!", "mouse:0,0,0/0 ");
	DESC("\x1b[M#+,", "mouse:3,10,11/0r ");
	DESC("\x1b[M`!!", "mouse:4,0,0/0 ");
	/* Malformed. */
	check_raw("\x1b[<0;1M");
	check_raw("\x1b[<0;1;1;1M");
}

static void
test_decode_focus(void **state)
{
	char want[16];

	(void)state;
	snprintf(want, sizeof(want), "ev%d ", (int)INPUT_FOCUS_IN);
	DESC("\x1b[I", want);
	snprintf(want, sizeof(want), "ev%d ", (int)INPUT_FOCUS_OUT);
	DESC("\x1b[O", want);
}

static void
test_decode_unrecognised(void **state)
{
	(void)state;
	check_raw("\x1b[?62;22c");		/* device attributes */
	check_raw("\x1b[>1;4000;0c");
	check_raw("\x1b[12;40R");		/* cursor position report */
	check_raw("\x1b[?2004;1$y");		/* DECRPM */
	check_raw("\x1b[1;2;3;4;5;6A");
	check_raw("\x1b[1$A");
	check_raw("\x1b[q");
	check_raw("\x1b]11;rgb:ffff/ffff/ffff\x07");
	check_raw("\x1b]11;rgb:0000/0000/0000\x1b\\");
	check_raw("\x1bP>|kitty(0.26)\x1b\\");
	check_raw("\x1b_Gi=1;OK\x1b\\");
	/* An unfinished sequence at the timeout is raw. */
	check_raw("\x1b[1;");
	check_raw("\x1b[<0;1");
	check_raw("\x1b]11;rgb");
	check_raw("\x1b[M !");
}

static void
test_decode_broken_csi(void **state)
{
	(void)state;
	/* A control byte cannot be inside a CSI: it was Alt+[. */
	DESC("\x1b[\x03", "key:5b/2 key:63/4 ");
	DESC("\x1b[1\r", "key:5b/2 key:31/0 key:110000/0 ");
	DESC("\x1b[", "key:5b/2 ");
	/* An OSC broken by a new ESC sequence ends there. */
	DESC("\x1b]1;x\x1b[A", "raw:1b5d313b78 key:110004/0 ");
}

static void
test_decode_esc_esc(void **state)
{
	(void)state;
	check_key("\x1b\x1b[A", KEY_UP, KEY_MOD_ALT);
	check_key("\x1b\x1bOB", KEY_DOWN, KEY_MOD_ALT);
	check_key("\x1b\x1b[1;5C", KEY_RIGHT, KEY_MOD_CTRL | KEY_MOD_ALT);
	check_key("\x1b\x1b", KEY_ESCAPE, KEY_MOD_ALT);
	DESC("\x1b\x1bx", "key:110003/2 key:78/0 ");
	/* A focus report after Escape stays a focus report. */
	char want[32];
	snprintf(want, sizeof(want), "key:110003/0 ev%d ",
	    (int)INPUT_FOCUS_IN);
	DESC("\x1b\x1b[I", want);
	DESC("\x1b\x1b[", "key:110003/0 key:5b/2 ");
}

static void
test_decode_mixed_stream(void **state)
{
	static const char s[] = "a\x1b[Ab\x1b\x04\x1b[100;7u\xc3\xa9\r";
	char want[128];

	(void)state;
	snprintf(want, sizeof(want),
	    "key:61/0 key:110004/0 key:62/0 key:64/6 key:64/6 key:e9/0 "
	    "key:110000/0 ");
	check_describe(s, sizeof(s) - 1, want);
}

/* ---- decoder: split feeds ---- */

static char *
describe_split(const char *s, size_t n, const size_t *cuts, size_t ncuts)
{
	struct input_decoder d;
	struct rec r;
	size_t i, from = 0, to;
	char *out;

	rec_init(&r);
	input_decoder_init(&d);
	for (i = 0; i <= ncuts; i++) {
		to = i < ncuts ? cuts[i] : n;
		input_decoder_feed(&d, s + from, to - from, rec_cb, &r);
		from = to;
	}
	input_decoder_timeout(&d, rec_cb, &r);
	assert_false(r.order_error);
	out = describe(&r);
	rec_free(&r);
	return out;
}

static const struct {
	const char *s;
	size_t n;
} split_inputs[] = {
#define S(x) { x, sizeof(x) - 1 }
	S("\x1b[1;7A"), S("\x1b[100;7u"), S("\x1b[5;3~"), S("\x1bOP"),
	S("\xf0\x9f\x98\x80"), S("\x1b\xc3\xa9"), S("\x1b\x04"),
	S("\x1b[<0;10;20M"), S("\x1b[M !!"), S("\x1b\x1b[A"),
	S("\x1b]11;rgb:ffff/ffff/ffff\x1b\\"), S("\x1b[I"),
	S("\x1b[200~paste \x1b[A text\x1b[201~z"),
	S("x\x1b[Ay\xe2\x82\xac\x1b[27;5;97~\x1b[<64;1;2M\x1bOQ"),
#undef S
};

static void
test_split_every_boundary(void **state)
{
	size_t i, k;
	char *whole, *split;

	(void)state;
	for (i = 0; i < sizeof(split_inputs) / sizeof(split_inputs[0]); i++) {
		const char *s = split_inputs[i].s;
		size_t n = split_inputs[i].n;

		whole = describe_split(s, n, NULL, 0);
		for (k = 1; k < n; k++) {
			split = describe_split(s, n, &k, 1);
			if (strcmp(whole, split) != 0) {
				print_error("input %zu cut at %zu:\n %s\n %s\n",
				    i, k, whole, split);
				fail();
			}
			free(split);
		}
		free(whole);
	}
}

static void
test_split_bytewise_and_three_way(void **state)
{
	size_t i, a, b, cuts[64];
	char *whole, *split;

	(void)state;
	for (i = 0; i < sizeof(split_inputs) / sizeof(split_inputs[0]); i++) {
		const char *s = split_inputs[i].s;
		size_t n = split_inputs[i].n;

		assert_true(n <= 64);
		whole = describe_split(s, n, NULL, 0);
		for (a = 1; a < n; a++)
			cuts[a - 1] = a;
		split = describe_split(s, n, cuts, n - 1);
		assert_string_equal(whole, split);
		free(split);
		for (a = 1; a < n; a++) {
			for (b = a + 1; b < n; b++) {
				cuts[0] = a;
				cuts[1] = b;
				split = describe_split(s, n, cuts, 2);
				assert_string_equal(whole, split);
				free(split);
			}
		}
		free(whole);
	}
}

/* Random streams built from sequence fragments. */
static size_t
make_stream(char *p, size_t n, uint32_t *seed)
{
	static const char *const bits[] = {
		"\x1b", "[", "O", "1", ";", "5", "~", "u", "A", "<", "M", "m",
		"200~", "201~", "\x1b[", "\x1b[1;", "\x1bO", "\xc3", "\xa9",
		"\xe2\x82", "\x04", "\r", "a", "]", "\x07", "\\", "P", ">",
		"\x1b[200~", "\x1b[201~", "\x1b[<0;1;1M", "\x1b[100;7u", "\xff",
	};
	size_t i = 0, k;

	while (i < n) {
		const char *b = bits[xorshift(seed) % (sizeof(bits) /
		    sizeof(bits[0]))];

		for (k = 0; b[k] != '\0' && i < n; k++)
			p[i++] = b[k];
	}
	return n;
}

static size_t
total_raw(const struct rec *r)
{
	size_t i, total = 0;

	for (i = 0; i < r->n; i++)
		total += r->evs[i].ev.rawlen;
	return total;
}

#ifndef RANDOM_ROUNDS
#define RANDOM_ROUNDS 3000
#endif

/*
 * However the input is cut, the events are the same, and every byte ends
 * up in exactly one event.
 */
static void
test_random_streams_split(void **state)
{
	char s[200], *whole, *split;
	size_t cuts[8], i, j, n, kept;
	uint32_t seed = 2024;
	struct input_decoder d;
	struct rec r;

	(void)state;
	for (i = 0; i < RANDOM_ROUNDS; i++) {
		n = 1 + xorshift(&seed) % sizeof(s);
		make_stream(s, n, &seed);
		rec_init(&r);
		kept = decode(s, n, &r);
		assert_int_equal(total_raw(&r) + kept, n);
		assert_true(kept < 6);
		whole = describe(&r);
		rec_free(&r);
		for (j = 0; j < 8; j++)
			cuts[j] = xorshift(&seed) % (n + 1);
		for (j = 1; j < 8; j++)	/* insertion sort */
			for (size_t k = j; k > 0 && cuts[k - 1] > cuts[k]; k--) {
				size_t t = cuts[k];

				cuts[k] = cuts[k - 1];
				cuts[k - 1] = t;
			}
		split = describe_split(s, n, cuts, 8);
		assert_string_equal(whole, split);
		free(split);
		free(whole);
		/* Byte by byte, with the decoder never holding too much. */
		rec_init(&r);
		input_decoder_init(&d);
		for (j = 0; j < n; j++)
			assert_true(input_decoder_feed(&d, s + j, 1, rec_cb, &r)
			    < INPUT_DECODER_PENDING_MAX);
		input_decoder_timeout(&d, rec_cb, &r);
		assert_int_equal(total_raw(&r) + d.npend, n);
		rec_free(&r);
	}
}

/* ---- decoder: pending bytes and the timeout ---- */

static void
test_pending_and_timeout(void **state)
{
	struct input_decoder d;
	struct rec r;

	(void)state;
	rec_init(&r);
	input_decoder_init(&d);
	assert_false(input_decoder_pending(&d));
	assert_int_equal(input_decoder_feed(&d, "\x1b", 1, rec_cb, &r), 1);
	assert_true(input_decoder_pending(&d));
	assert_int_equal(r.n, 0);
	input_decoder_timeout(&d, rec_cb, &r);
	assert_false(input_decoder_pending(&d));
	assert_int_equal(r.n, 1);
	assert_int_equal(r.evs[0].ev.key, KEY_ESCAPE);
	assert_int_equal(r.evs[0].ev.mods, 0);

	/* ESC then a letter in the next read, before the timeout: Alt. */
	assert_int_equal(input_decoder_feed(&d, "\x1b", 1, rec_cb, &r), 1);
	assert_int_equal(input_decoder_feed(&d, "x", 1, rec_cb, &r), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.evs[1].ev.key, 'x');
	assert_int_equal(r.evs[1].ev.mods, KEY_MOD_ALT);
	assert_int_equal(r.evs[1].ev.rawlen, 2);

	/* An unfinished CSI is kept, then flushed raw. */
	assert_int_equal(input_decoder_feed(&d, "\x1b[1;", 4, rec_cb, &r), 4);
	assert_true(input_decoder_pending(&d));
	input_decoder_timeout(&d, rec_cb, &r);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.evs[2].ev.type, INPUT_RAW);
	assert_int_equal(r.evs[2].ev.rawlen, 4);
	assert_memory_equal(rec_raw(&r, 2), "\x1b[1;", 4);

	/* Complete events before the unfinished tail come out at once. */
	assert_int_equal(input_decoder_feed(&d, "ab\x1b[", 4, rec_cb, &r), 2);
	assert_int_equal(r.n, 5);
	input_decoder_timeout(&d, rec_cb, &r);
	assert_int_equal(r.n, 6);
	assert_int_equal(r.evs[5].ev.key, '[');
	assert_int_equal(r.evs[5].ev.mods, KEY_MOD_ALT);

	/* A timeout with nothing pending does nothing. */
	input_decoder_timeout(&d, rec_cb, &r);
	assert_int_equal(r.n, 6);
	rec_free(&r);
}

static void
test_timeout_forms(void **state)
{
	(void)state;
	DESC("\x1b", "key:110003/0 ");
	DESC("\x1b\x1b", "key:110003/2 ");
	DESC("\x1bO", "key:4f/2 ");
	DESC("\x1b]", "key:5d/2 ");
	DESC("\x1b_", "key:5f/2 ");
	DESC("\x1b\xc3", "raw:1bc3 ");
	DESC("\x1b\x1b[1", "key:110003/0 raw:1b5b31 ");
}

static void
test_long_garbage_is_bounded(void **state)
{
	struct input_decoder d;
	struct rec r;
	char buf[1000];
	size_t i, kept;

	(void)state;
	buf[0] = '\x1b';
	buf[1] = '[';
	memset(buf + 2, '1', sizeof(buf) - 2);
	rec_init(&r);
	input_decoder_init(&d);
	for (i = 0; i < sizeof(buf); i++) {
		kept = input_decoder_feed(&d, buf + i, 1, rec_cb, &r);
		assert_true(kept < INPUT_DECODER_PENDING_MAX);
	}
	input_decoder_timeout(&d, rec_cb, &r);
	assert_false(input_decoder_pending(&d));
	/* Nothing is lost: every byte came out, raw or as a key. */
	{
		size_t total = 0;

		for (i = 0; i < r.n; i++)
			total += r.evs[i].ev.rawlen;
		assert_int_equal(total, sizeof(buf));
	}
	rec_free(&r);
}

/* ---- decoder: bracketed paste ---- */

static void
test_paste_basic(void **state)
{
	static const char s[] =
	    "\x1b[200~hello \x1b[A\x1b[1;5A\x03\r\x1b[200~\x1b[201 world"
	    "\x1b[201~z";
	static const char content[] =
	    "hello \x1b[A\x1b[1;5A\x03\r\x1b[200~\x1b[201 world";
	struct rec r;

	(void)state;
	rec_init(&r);
	decode(s, sizeof(s) - 1, &r);
	assert_false(r.order_error);
	assert_int_equal(r.starts, 1);
	assert_int_equal(r.ends, 1);
	assert_true(r.n >= 4);
	assert_int_equal(r.evs[0].ev.type, INPUT_PASTE_START);
	assert_int_equal(r.evs[r.n - 2].ev.type, INPUT_PASTE_END);
	assert_int_equal(r.evs[r.n - 1].ev.type, INPUT_KEY);
	assert_int_equal(r.evs[r.n - 1].ev.key, 'z');
	assert_int_equal(r.rawcat_len, sizeof(content) - 1);
	assert_memory_equal(r.rawcat, content, sizeof(content) - 1);
	rec_free(&r);
}

static void
test_paste_terminator_split(void **state)
{
	static const char s[] = "\x1b[200~ab\x1b[201~\x1b[A";
	struct input_decoder d;
	struct rec r;
	size_t k, n = sizeof(s) - 1;

	(void)state;
	for (k = 1; k < n; k++) {
		rec_init(&r);
		input_decoder_init(&d);
		input_decoder_feed(&d, s, k, rec_cb, &r);
		/* Inside the paste a timeout must not flush a half terminator. */
		if (k >= 6 && k < 14)
			input_decoder_timeout(&d, rec_cb, &r);
		input_decoder_feed(&d, s + k, n - k, rec_cb, &r);
		assert_int_equal(r.starts, 1);
		assert_int_equal(r.ends, 1);
		assert_false(r.order_error);
		assert_int_equal(r.rawcat_len, 2);
		assert_memory_equal(r.rawcat, "ab", 2);
		assert_int_equal(r.evs[r.n - 1].ev.type, INPUT_KEY);
		assert_int_equal(r.evs[r.n - 1].ev.key, KEY_UP);
		assert_false(input_decoder_pending(&d));
		rec_free(&r);
	}
}

static void
test_paste_lookalike_split(void **state)
{
	/* Content ending in what looks like the start of a terminator. */
	static const char s[] =
	    "\x1b[200~x\x1b[20\x1b[201\x1b\x1b[2010~\x1b[201~";
	static const char content[] = "x\x1b[20\x1b[201\x1b\x1b[2010~";
	struct rec r;
	size_t a, b, cuts[2], n = sizeof(s) - 1;
	struct input_decoder d;

	(void)state;
	for (a = 1; a < n; a++) {
		for (b = a; b < n; b++) {
			cuts[0] = a;
			cuts[1] = b;
			rec_init(&r);
			input_decoder_init(&d);
			input_decoder_feed(&d, s, cuts[0], rec_cb, &r);
			input_decoder_feed(&d, s + cuts[0], cuts[1] - cuts[0],
			    rec_cb, &r);
			input_decoder_feed(&d, s + cuts[1], n - cuts[1],
			    rec_cb, &r);
			assert_int_equal(r.starts, 1);
			assert_int_equal(r.ends, 1);
			assert_int_equal(r.rawcat_len, sizeof(content) - 1);
			assert_memory_equal(r.rawcat, content,
			    sizeof(content) - 1);
			assert_int_equal(d.npend, 0);
			rec_free(&r);
		}
	}
}

static void
test_paste_pending_not_timed_out(void **state)
{
	static const char s[] = "\x1b[200~abc\x1b[20";
	struct input_decoder d;
	struct rec r;

	(void)state;
	rec_init(&r);
	input_decoder_init(&d);
	input_decoder_feed(&d, s, sizeof(s) - 1, rec_cb, &r);
	/* Kept, but not something the escape timer should wait for. */
	assert_int_equal(d.npend, 4);
	assert_false(input_decoder_pending(&d));
	input_decoder_timeout(&d, rec_cb, &r);
	assert_int_equal(r.rawcat_len, 3);
	input_decoder_feed(&d, "1~", 2, rec_cb, &r);
	assert_int_equal(r.ends, 1);
	assert_int_equal(r.rawcat_len, 3);
	assert_memory_equal(r.rawcat, "abc", 3);
	rec_free(&r);
}

/* Random bytes, rich in ESC and terminator prefixes, but no terminator. */
static char *
make_paste(size_t n, uint32_t seed)
{
	static const char *const bits[] = {
		"\x1b", "\x1b[", "\x1b[2", "\x1b[20", "\x1b[201", "\x1b[200~",
		"\x1b[A", "\x1b[<0;1;1M", "\xc3", "\r\n",
	};
	char *p = malloc(n);
	size_t i = 0, k;

	assert_non_null(p);
	while (i < n) {
		uint32_t r = xorshift(&seed);

		if (r % 16 == 0) {
			const char *b = bits[(r >> 8) % 10];

			for (k = 0; b[k] != '\0' && i < n; k++)
				p[i++] = b[k];
		} else {
			p[i++] = (char)(r >> 16);
		}
	}
	for (k = 0; k + 6 <= n; k++)
		if (memcmp(p + k, "\x1b[201~", 6) == 0)
			p[k + 5] = 'x';
	return p;
}

static void
feed_random_chunks(struct input_decoder *d, const char *s, size_t n,
    size_t maxchunk, uint32_t seed, struct rec *r)
{
	size_t off = 0, k;

	while (off < n) {
		k = 1 + xorshift(&seed) % maxchunk;
		if (k > n - off)
			k = n - off;
		input_decoder_feed(d, s + off, k, rec_cb, r);
		off += k;
	}
}

static void
check_big_paste(size_t size, size_t maxchunk, uint32_t seed)
{
	const size_t head = 6, tail = 7;
	char *content = make_paste(size, seed);
	char *s = malloc(size + head + tail);
	struct input_decoder d;
	struct rec r;

	assert_non_null(s);
	memcpy(s, "\x1b[200~", head);
	memcpy(s + head, content, size);
	memcpy(s + head + size, "\x1b[201~q", tail);
	rec_init(&r);
	input_decoder_init(&d);
	feed_random_chunks(&d, s, size + head + tail, maxchunk, seed * 7 + 1,
	    &r);
	assert_int_equal(r.starts, 1);
	assert_int_equal(r.ends, 1);
	assert_false(r.order_error);
	assert_false(r.in_paste);
	assert_int_equal(r.rawcat_len, size);
	assert_memory_equal(r.rawcat, content, size);
	assert_int_equal(r.evs[0].ev.type, INPUT_PASTE_START);
	assert_int_equal(r.evs[r.n - 1].ev.type, INPUT_KEY);
	assert_int_equal(r.evs[r.n - 1].ev.key, 'q');
	assert_false(input_decoder_pending(&d));
	rec_free(&r);
	free(s);
	free(content);
}

static void
test_paste_1mib_random_chunks(void **state)
{
	(void)state;
	check_big_paste(1u << 20, 8192, 12345);
	check_big_paste(1u << 20, 300, 777);
}

static void
test_paste_bytewise(void **state)
{
	(void)state;
	check_big_paste(20000, 1, 4242);
	check_big_paste(20000, 7, 99);
}

static void
test_paste_then_keys_same_feed(void **state)
{
	char want[128];

	(void)state;
	snprintf(want, sizeof(want), "key:61/0 ev%d raw:78 ev%d key:110004/0 ",
	    (int)INPUT_PASTE_START, (int)INPUT_PASTE_END);
	DESC("a\x1b[200~x\x1b[201~\x1b[A", want);
	/* An empty paste. */
	snprintf(want, sizeof(want), "ev%d ev%d ", (int)INPUT_PASTE_START,
	    (int)INPUT_PASTE_END);
	DESC("\x1b[200~\x1b[201~", want);
}

/* ---- chords ---- */

static void
check_chord(const char *s, uint32_t key, unsigned mods)
{
	struct key_chord c = { 0, 0 };
	char err[128] = "";

	if (key_chord_parse(s, &c, err, sizeof(err)) != 0) {
		print_error("\"%s\": %s\n", s, err);
		fail();
	}
	if (c.key != key || c.mods != mods) {
		print_error("\"%s\": got %x/%u want %x/%u\n", s,
		    (unsigned)c.key, c.mods, (unsigned)key, mods);
		fail();
	}
}

static void
test_chord_parse(void **state)
{
	(void)state;
	check_chord("ctrl+alt+d", 'd', KEY_MOD_CTRL | KEY_MOD_ALT);
	check_chord("alt+ctrl+d", 'd', KEY_MOD_CTRL | KEY_MOD_ALT);
	check_chord("CTRL+Alt+d", 'd', KEY_MOD_CTRL | KEY_MOD_ALT);
	check_chord("control+meta+d", 'd', KEY_MOD_CTRL | KEY_MOD_ALT);
	check_chord("alt+1", '1', KEY_MOD_ALT);
	check_chord("alt+shift+left", KEY_LEFT, KEY_MOD_ALT | KEY_MOD_SHIFT);
	check_chord("shift+pageup", KEY_PAGEUP, KEY_MOD_SHIFT);
	check_chord("ctrl+alt+/", '/', KEY_MOD_CTRL | KEY_MOD_ALT);
	check_chord("f5", KEY_F5, 0);
	check_chord("F12", KEY_F12, 0);
	check_chord("enter", KEY_ENTER, 0);
	check_chord("Return", KEY_ENTER, 0);
	check_chord("esc", KEY_ESCAPE, 0);
	check_chord("super+tab", KEY_TAB, KEY_MOD_SUPER);
	check_chord("space", ' ', 0);
	check_chord("ctrl+space", ' ', KEY_MOD_CTRL);
	check_chord("+", '+', 0);
	check_chord("ctrl++", '+', KEY_MOD_CTRL);
	check_chord("ctrl+plus", '+', KEY_MOD_CTRL);
	check_chord("a", 'a', 0);
	check_chord("D", 'd', KEY_MOD_SHIFT);
	check_chord("alt+D", 'd', KEY_MOD_SHIFT | KEY_MOD_ALT);
	check_chord("alt+shift+d", 'd', KEY_MOD_SHIFT | KEY_MOD_ALT);
	check_chord("shift+D", 'd', KEY_MOD_SHIFT);
	check_chord("alt+\xc3\xa9", 0xe9, KEY_MOD_ALT);
	check_chord("backspace", KEY_BACKSPACE, 0);
	check_chord("Delete", KEY_DELETE, 0);
}

static void
check_chord_error(const char *s, const char *want)
{
	struct key_chord c;
	char err[128] = "";

	if (key_chord_parse(s, &c, err, sizeof(err)) != -1) {
		print_error("\"%s\" parsed\n", s);
		fail();
	}
	assert_string_equal(err, want);
}

static void
test_chord_parse_errors(void **state)
{
	struct key_chord c;
	char small[12];

	(void)state;
	check_chord_error("pgup",
	    "unknown key \"pgup\" (did you mean \"pageup\"?)");
	check_chord_error("ctrl+pgdown",
	    "unknown key \"pgdown\" (did you mean \"pagedown\"?)");
	check_chord_error("cntrl+a",
	    "unknown modifier \"cntrl\" (did you mean \"ctrl\"?)");
	check_chord_error("shft+a",
	    "unknown modifier \"shft\" (did you mean \"shift\"?)");
	check_chord_error("ctrl+entr",
	    "unknown key \"entr\" (did you mean \"enter\"?)");
	check_chord_error("ctrl+foo", "unknown key \"foo\"");
	check_chord_error("hyper+a",
	    "unknown modifier \"hyper\" (did you mean \"super\"?)");
	check_chord_error("win+a", "unknown modifier \"win\"");
	check_chord_error("d+ctrl", "unknown modifier \"d\"");
	check_chord_error("", "empty key");
	check_chord_error("ctrl+", "missing key after \"ctrl+\"");
	check_chord_error("ctrl+alt", "missing key after modifier \"alt\"");
	check_chord_error("ctrl+ctrl+a", "duplicate modifier \"ctrl\"");
	check_chord_error("ctrl+control+a", "duplicate modifier \"control\"");
	check_chord_error("ctrl++a", "empty modifier before \"+\"");
	check_chord_error("ab", "unknown key \"ab\" (did you mean \"tab\"?)");
	check_chord_error("alt+xyz", "unknown key \"xyz\"");
	check_chord_error("f13", "unknown key \"f13\" (did you mean \"f1\"?)");
	check_chord_error("alt+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    "unknown key \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"");
	/* err may be NULL or small; it is never overrun. */
	assert_int_equal(key_chord_parse("pgup", &c, NULL, 0), -1);
	memset(small, 'Z', sizeof(small));
	assert_int_equal(key_chord_parse("pgup", &c, small, 8), -1);
	assert_int_equal(strlen(small), 7);
	assert_int_equal(small[8], 'Z');
	assert_int_equal(key_chord_parse(NULL, &c, NULL, 0), -1);
}

static void
test_chord_format(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "ctrl+alt+d", "ctrl+alt+d" }, { "alt+ctrl+d", "ctrl+alt+d" },
		{ "SHIFT+Alt+Left", "alt+shift+left" },
		{ "super+ctrl+shift+alt+f1", "ctrl+alt+shift+super+f1" },
		{ "D", "shift+d" }, { "alt+D", "alt+shift+d" },
		{ "ctrl++", "ctrl+plus" }, { "space", "space" },
		{ "return", "enter" }, { "esc", "escape" },
		{ "pagedown", "pagedown" }, { "alt+\xc3\xa9", "alt+\xc3\xa9" },
		{ "ctrl+/", "ctrl+/" }, { "alt+1", "alt+1" },
	};
	struct key_chord c, c2;
	char out[64];
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(key_chord_parse(cases[i].in, &c, NULL, 0), 0);
		n = key_chord_format(&c, out, sizeof(out));
		assert_int_equal(n, (int)strlen(cases[i].out));
		assert_string_equal(out, cases[i].out);
		assert_int_equal(key_chord_parse(out, &c2, NULL, 0), 0);
		assert_int_equal(c.key, c2.key);
		assert_int_equal(c.mods, c2.mods);
	}
	/* Uppercase keys written directly are canonicalised too. */
	c.key = 'Q';
	c.mods = KEY_MOD_CTRL;
	assert_int_equal(key_chord_format(&c, out, sizeof(out)), 12);
	assert_string_equal(out, "ctrl+shift+q");
	/* Too small, and keys with no name. */
	assert_int_equal(key_chord_format(&c, out, 12), -1);
	assert_int_equal(key_chord_format(&c, out, 0), -1);
	c.key = 0x01;
	c.mods = 0;
	assert_int_equal(key_chord_format(&c, out, sizeof(out)), -1);
	c.key = KEY_F12 + 1;
	assert_int_equal(key_chord_format(&c, out, sizeof(out)), -1);
}

/* Does the chord match the first event decoded from s? */
static bool
chord_matches(const char *chord, const char *s, size_t n)
{
	struct key_chord c;
	struct input_decoder d;
	struct rec r;
	bool m;

	assert_int_equal(key_chord_parse(chord, &c, NULL, 0), 0);
	rec_init(&r);
	input_decoder_init(&d);
	input_decoder_feed(&d, s, n, rec_cb, &r);
	input_decoder_timeout(&d, rec_cb, &r);
	assert_int_equal(r.n, 1);
	r.evs[0].ev.raw = rec_raw(&r, 0);
	m = key_chord_match(&c, &r.evs[0].ev);
	rec_free(&r);
	return m;
}

#define MATCH(c, s) assert_true(chord_matches(c, s, sizeof(s) - 1))
#define NO_MATCH(c, s) assert_false(chord_matches(c, s, sizeof(s) - 1))

static void
test_chord_match(void **state)
{
	(void)state;
	MATCH("ctrl+alt+d", "\x1b\x04");
	MATCH("ctrl+alt+d", "\x1b[100;7u");
	MATCH("ctrl+alt+d", "\x1b[27;7;100~");
	NO_MATCH("ctrl+alt+d", "\x04");
	NO_MATCH("ctrl+alt+d", "\x1b" "d");
	NO_MATCH("ctrl+alt+d", "\x1b[100;5u");
	MATCH("ctrl+d", "\x04");
	NO_MATCH("ctrl+d", "\x1b\x04");
	MATCH("alt+shift+d", "\x1b" "D");
	MATCH("alt+D", "\x1b" "D");
	MATCH("alt+shift+d", "\x1b[100;4u");
	NO_MATCH("alt+d", "\x1b" "D");
	NO_MATCH("alt+shift+d", "\x1b" "d");
	MATCH("alt+d", "\x1b" "d");
	MATCH("alt+d", "\x1b[100;3u");
	MATCH("shift+a", "A");
	MATCH("A", "A");
	NO_MATCH("a", "A");
	MATCH("ctrl+shift+a", "\x1b[97;6u");
	NO_MATCH("ctrl+a", "\x1b[97;6u");
	NO_MATCH("ctrl+shift+a", "\x01");
	MATCH("alt+1", "\x1b" "1");
	MATCH("alt+1", "\x1b[49;3u");
	MATCH("ctrl+alt+/", "\x1b[47;7u");
	MATCH("ctrl+alt+/", "\x1b\x1f");
	MATCH("ctrl+/", "\x1f");
	MATCH("ctrl+_", "\x1f");
	MATCH("ctrl+h", "\x08");
	MATCH("backspace", "\x08");
	MATCH("backspace", "\x7f");
	MATCH("ctrl+backspace", "\x08");
	MATCH("ctrl+backspace", "\x1b[127;5u");
	NO_MATCH("ctrl+h", "\x7f");
	MATCH("ctrl+?", "\x7f");
	MATCH("ctrl+m", "\r");
	MATCH("enter", "\r");
	MATCH("alt+enter", "\x1b\r");
	MATCH("ctrl+enter", "\x1b[13;5u");
	NO_MATCH("enter", "\x1b[13;5u");
	MATCH("ctrl+i", "\t");
	MATCH("tab", "\t");
	MATCH("shift+tab", "\x1b[Z");
	MATCH("escape", "\x1b");
	MATCH("ctrl+[", "\x1b");
	MATCH("escape", "\x1b[27u");
	MATCH("alt+escape", "\x1b\x1b");
	MATCH("ctrl+space", "\0");
	MATCH("ctrl+@", "\0");
	MATCH("ctrl+space", "\x1b[32;5u");
	MATCH("space", " ");
	MATCH("alt+shift+left", "\x1b[1;4D");
	MATCH("alt+shift+left", "\x1b\x1b[1;2D");
	MATCH("shift+pageup", "\x1b[5;2~");
	MATCH("f5", "\x1b[15~");
	MATCH("f1", "\x1bOP");
	MATCH("f1", "\x1b[11~");
	MATCH("ctrl+up", "\x1b[1;5A");
	MATCH("ctrl+up", "\x1b[1;69A");		/* caps lock on */
	NO_MATCH("up", "\x1b[1;5A");
	MATCH("super+a", "\x1b[97;9u");
	MATCH("\xc3\xa9", "\xc3\xa9");
	MATCH("alt+\xc3\xa9", "\x1b\xc3\xa9");
	/* Releases and non-key events never match. */
	NO_MATCH("ctrl+a", "\x1b[97;5:3u");
	NO_MATCH("a", "\x1b[<0;1;1M");
	NO_MATCH("a", "\x1b[?1u");
}

static void
test_chord_match_constructed_event(void **state)
{
	struct key_chord c;
	struct input_event ev;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.type = INPUT_KEY;
	ev.key = 'D';
	ev.mods = KEY_MOD_ALT;
	assert_int_equal(key_chord_parse("alt+shift+d", &c, NULL, 0), 0);
	assert_true(key_chord_match(&c, &ev));
	ev.key = 'd';
	assert_false(key_chord_match(&c, &ev));
}

/* ---- legacy re-encoding ---- */

/* Decode s, encode its single event; compare with want. */
static void
check_encode(const char *s, size_t n, bool app_cursor, const char *want,
    size_t wantlen)
{
	struct input_decoder d;
	struct rec r;
	char out[32];
	size_t len = 0;

	rec_init(&r);
	input_decoder_init(&d);
	input_decoder_feed(&d, s, n, rec_cb, &r);
	input_decoder_timeout(&d, rec_cb, &r);
	assert_int_equal(r.n, 1);
	r.evs[0].ev.raw = rec_raw(&r, 0);
	assert_int_equal(key_event_encode(&r.evs[0].ev, app_cursor, out,
	    sizeof(out), &len), 0);
	if (len != wantlen || memcmp(out, want, len) != 0) {
		print_error("encode of %zu-byte input gave %zu bytes\n", n,
		    len);
		fail();
	}
	rec_free(&r);
}

#define ENC(s, app, w) check_encode(s, sizeof(s) - 1, app, w, sizeof(w) - 1)

static void
test_encode(void **state)
{
	(void)state;
	/* Cursor keys follow the pane's cursor mode. */
	ENC("\x1b[A", false, "\x1b[A");
	ENC("\x1b[A", true, "\x1bOA");
	ENC("\x1bOA", false, "\x1b[A");
	ENC("\x1bOD", true, "\x1bOD");
	ENC("\x1b[H", true, "\x1bOH");
	ENC("\x1b[1;5A", true, "\x1b[1;5A");
	ENC("\x1b\x1b[A", false, "\x1b[1;3A");
	/* kitty CSI u becomes legacy. */
	ENC("\x1b[100;7u", false, "\x1b\x04");
	ENC("\x1b[100;5u", false, "\x04");
	ENC("\x1b[100;3u", false, "\x1b" "d");
	ENC("\x1b[100;4u", false, "\x1b" "D");
	ENC("\x1b[97;6u", false, "\x01");
	ENC("\x1b[13;5u", false, "\r");
	ENC("\x1b[13;3u", false, "\x1b\r");
	ENC("\x1b[9;2u", false, "\x1b[Z");
	ENC("\x1b[27u", false, "\x1b");
	ENC("\x1b[127;5u", false, "\x08");
	ENC("\x1b[127u", false, "\x7f");
	ENC("\x1b[32;5u", false, "\0");
	ENC("\x1b[47;5u", false, "\x1f");
	ENC("\x1b[49;5u", false, "1");
	ENC("\x1b[233;3u", false, "\x1b\xc3\xa9");
	ENC("\x1b[57414u", false, "\r");
	ENC("\x1b[57419;5u", false, "\x1b[1;5A");
	ENC("\x1b[27;5;97~", false, "\x01");
	ENC("\x1b[1;5:1A", true, "\x1b[1;5A");
	/* Legacy keys go through as the terminal sent them. */
	ENC("\x08", false, "\x08");
	ENC("\x7f", false, "\x7f");
	ENC("\x1b\x04", false, "\x1b\x04");
	ENC("\x1b[5;3~", false, "\x1b[5;3~");
	ENC("\x1b[11~", false, "\x1b[11~");
	ENC("\xc3\xa9", false, "\xc3\xa9");
	ENC("\x1bOP", false, "\x1bOP");
	/* Raw is copied. */
	ENC("\x1b[?62;22c", false, "\x1b[?62;22c");
}

static void
test_encode_constructed_and_errors(void **state)
{
	struct input_event ev;
	char out[32];
	size_t len = 0;

	(void)state;
	memset(&ev, 0, sizeof(ev));
	ev.type = INPUT_KEY;
	ev.key = KEY_F5;
	ev.mods = KEY_MOD_SHIFT;
	assert_int_equal(key_event_encode(&ev, false, out, sizeof(out), &len),
	    0);
	assert_int_equal(len, 7);
	assert_memory_equal(out, "\x1b[15;2~", 7);
	assert_int_equal(key_event_encode(&ev, false, out, 6, &len), -1);
	ev.key = KEY_F1;
	ev.mods = 0;
	assert_int_equal(key_event_encode(&ev, true, out, sizeof(out), &len),
	    0);
	assert_memory_equal(out, "\x1bOP", 3);
	ev.key = 'a';
	ev.mods = KEY_MOD_CTRL | KEY_MOD_ALT;
	assert_int_equal(key_event_encode(&ev, false, out, sizeof(out), &len),
	    0);
	assert_int_equal(len, 2);
	assert_memory_equal(out, "\x1b\x01", 2);
	ev.key = KEY_F12 + 1;
	assert_int_equal(key_event_encode(&ev, false, out, sizeof(out), &len),
	    -1);
	ev.key = 'a';
	ev.release = true;
	assert_int_equal(key_event_encode(&ev, false, out, sizeof(out), &len),
	    -1);
	ev.release = false;
	ev.type = INPUT_MOUSE;
	assert_int_equal(key_event_encode(&ev, false, out, sizeof(out), &len),
	    -1);
	ev.type = INPUT_FOCUS_IN;
	assert_int_equal(key_event_encode(&ev, false, out, sizeof(out), &len),
	    -1);
	ev.type = INPUT_PASTE_START;
	assert_int_equal(key_event_encode(&ev, false, out, sizeof(out), &len),
	    -1);
	ev.type = INPUT_RAW;
	ev.raw = "xyz";
	ev.rawlen = 3;
	assert_int_equal(key_event_encode(&ev, false, out, 2, &len), -1);
	assert_int_equal(key_event_encode(&ev, false, out, 3, &len), 0);
	assert_int_equal(len, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_bytes),
		cmocka_unit_test(test_names_not_keys),
		cmocka_unit_test(test_names_buffer_too_small),
		cmocka_unit_test(test_names_list),
		cmocka_unit_test(test_names_decode_back),
		cmocka_unit_test(test_decode_plain),
		cmocka_unit_test(test_decode_invalid_utf8),
		cmocka_unit_test(test_decode_control_bytes),
		cmocka_unit_test(test_decode_alt),
		cmocka_unit_test(test_decode_csi_cursor),
		cmocka_unit_test(test_decode_ss3),
		cmocka_unit_test(test_decode_tilde),
		cmocka_unit_test(test_decode_kitty),
		cmocka_unit_test(test_decode_modify_other_keys),
		cmocka_unit_test(test_decode_mouse),
		cmocka_unit_test(test_decode_focus),
		cmocka_unit_test(test_decode_unrecognised),
		cmocka_unit_test(test_decode_broken_csi),
		cmocka_unit_test(test_decode_esc_esc),
		cmocka_unit_test(test_decode_mixed_stream),
		cmocka_unit_test(test_split_every_boundary),
		cmocka_unit_test(test_split_bytewise_and_three_way),
		cmocka_unit_test(test_random_streams_split),
		cmocka_unit_test(test_pending_and_timeout),
		cmocka_unit_test(test_timeout_forms),
		cmocka_unit_test(test_long_garbage_is_bounded),
		cmocka_unit_test(test_paste_basic),
		cmocka_unit_test(test_paste_terminator_split),
		cmocka_unit_test(test_paste_lookalike_split),
		cmocka_unit_test(test_paste_pending_not_timed_out),
		cmocka_unit_test(test_paste_1mib_random_chunks),
		cmocka_unit_test(test_paste_bytewise),
		cmocka_unit_test(test_paste_then_keys_same_feed),
		cmocka_unit_test(test_chord_parse),
		cmocka_unit_test(test_chord_parse_errors),
		cmocka_unit_test(test_chord_format),
		cmocka_unit_test(test_chord_match),
		cmocka_unit_test(test_chord_match_constructed_event),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_encode_constructed_and_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
