/*
 * keys — key names, the terminal input decoder, key chords and legacy
 * re-encoding. See keys.h for the model; the decoder never allocates.
 */
#include "mux/keys.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define ESC 0x1b
#define MOD_MASK (KEY_MOD_SHIFT | KEY_MOD_ALT | KEY_MOD_CTRL | KEY_MOD_SUPER)
#define ENCODE_MAX 24
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Longest escape sequence we wait for. A longer unfinished one is passed on
 * raw, so a garbled sequence cannot hold input back forever, and whatever
 * is kept always fits in the pending buffer with room to join more.
 */
#define SEQ_MAX (INPUT_DECODER_PENDING_MAX / 2)

static const char paste_end_seq[] = "\x1b[201~";
#define PASTE_END_LEN (sizeof(paste_end_seq) - 1)

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

static bool
codepoint_valid(uint32_t cp)
{
	return cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
}

static size_t
utf8_encode(uint32_t cp, char *out)
{
	if (!codepoint_valid(cp))
		return 0;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static size_t
utf8_seq_len(unsigned char lead)
{
	if (lead >= 0xc2 && lead <= 0xdf)
		return 2;
	if (lead >= 0xe0 && lead <= 0xef)
		return 3;
	if (lead >= 0xf0 && lead <= 0xf4)
		return 4;
	return 0;
}

/*
 * Decode one character of p[0..n). Returns its length, 0 if p holds only
 * a valid beginning, -1 if the bytes cannot start a character.
 */
static int
utf8_decode(const char *p, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t len = utf8_seq_len(s[0]);
	uint32_t v;
	size_t i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (len == 0)
		return -1;
	v = s[0] & (0x7f >> len);
	for (i = 1; i < len && i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		v = (v << 6) | (s[i] & 0x3f);
	}
	/* Overlong 3/4-byte forms and surrogates show in the second byte. */
	if (n >= 2 && ((s[0] == 0xe0 && s[1] < 0xa0) ||
	    (s[0] == 0xed && s[1] > 0x9f) || (s[0] == 0xf0 && s[1] < 0x90) ||
	    (s[0] == 0xf4 && s[1] > 0x8f)))
		return -1;
	if (i < len)
		return 0;
	*cp = v;
	return (int)len;
}

/* ------------------------------------------------------------------ */
/* Key tables                                                          */
/* ------------------------------------------------------------------ */

/*
 * Keys with an xterm encoding that takes a modifier parameter:
 * ESC [ 1 ; m final for letters, ESC [ num ; m ~ otherwise.
 */
struct xterm_key {
	uint32_t key;
	unsigned num;
	char final;
	bool cursor;		/* follows DECCKM (application cursor) */
};

static const struct xterm_key xterm_keys[] = {
	{ KEY_UP, 1, 'A', true },
	{ KEY_DOWN, 1, 'B', true },
	{ KEY_RIGHT, 1, 'C', true },
	{ KEY_LEFT, 1, 'D', true },
	{ KEY_HOME, 1, 'H', true },
	{ KEY_END, 1, 'F', true },
	{ KEY_F1, 1, 'P', false },
	{ KEY_F2, 1, 'Q', false },
	{ KEY_F3, 1, 'R', false },
	{ KEY_F4, 1, 'S', false },
	{ KEY_INSERT, 2, '~', false },
	{ KEY_DELETE, 3, '~', false },
	{ KEY_PAGEUP, 5, '~', false },
	{ KEY_PAGEDOWN, 6, '~', false },
	{ KEY_F5, 15, '~', false },
	{ KEY_F6, 17, '~', false },
	{ KEY_F7, 18, '~', false },
	{ KEY_F8, 19, '~', false },
	{ KEY_F9, 20, '~', false },
	{ KEY_F10, 21, '~', false },
	{ KEY_F11, 23, '~', false },
	{ KEY_F12, 24, '~', false },
};

/* Other terminals' ESC [ num ~ numbers (vt220, rxvt, kitty's F3). */
struct tilde_alias {
	unsigned num;
	uint32_t key;
};

static const struct tilde_alias tilde_aliases[] = {
	{ 1, KEY_HOME }, { 4, KEY_END }, { 7, KEY_HOME }, { 8, KEY_END },
	{ 11, KEY_F1 }, { 12, KEY_F2 }, { 13, KEY_F3 }, { 14, KEY_F4 },
};

/* SS3 (ESC O x) finals that are not in xterm_keys: the keypad. */
struct ss3_key {
	char final;
	uint32_t key;
};

static const struct ss3_key ss3_keys[] = {
	{ 'M', KEY_ENTER }, { 'X', '=' }, { 'j', '*' }, { 'k', '+' },
	{ 'l', ',' }, { 'm', '-' }, { 'n', '.' }, { 'o', '/' },
	{ 'p', '0' }, { 'q', '1' }, { 'r', '2' }, { 's', '3' }, { 't', '4' },
	{ 'u', '5' }, { 'v', '6' }, { 'w', '7' }, { 'x', '8' }, { 'y', '9' },
};

/* kitty's private-use codes for keys that have a plain meaning. */
struct kitty_key {
	unsigned code;
	uint32_t key;
};

static const struct kitty_key kitty_keys[] = {
	{ 8, KEY_BACKSPACE }, { 9, KEY_TAB }, { 13, KEY_ENTER },
	{ 27, KEY_ESCAPE }, { 127, KEY_BACKSPACE },
	{ 57399, '0' }, { 57400, '1' }, { 57401, '2' }, { 57402, '3' },
	{ 57403, '4' }, { 57404, '5' }, { 57405, '6' }, { 57406, '7' },
	{ 57407, '8' }, { 57408, '9' }, { 57409, '.' }, { 57410, '/' },
	{ 57411, '*' }, { 57412, '-' }, { 57413, '+' }, { 57414, KEY_ENTER },
	{ 57415, '=' }, { 57417, KEY_LEFT }, { 57418, KEY_RIGHT },
	{ 57419, KEY_UP }, { 57420, KEY_DOWN }, { 57421, KEY_PAGEUP },
	{ 57422, KEY_PAGEDOWN }, { 57423, KEY_HOME }, { 57424, KEY_END },
	{ 57425, KEY_INSERT }, { 57426, KEY_DELETE },
};

/* Chord names; the first name of a key is the canonical one. */
struct chord_name {
	const char *name;
	uint32_t key;
};

static const struct chord_name chord_names[] = {
	{ "enter", KEY_ENTER }, { "return", KEY_ENTER },
	{ "tab", KEY_TAB },
	{ "backspace", KEY_BACKSPACE },
	{ "escape", KEY_ESCAPE }, { "esc", KEY_ESCAPE },
	{ "space", ' ' }, { "plus", '+' },
	{ "up", KEY_UP }, { "down", KEY_DOWN },
	{ "left", KEY_LEFT }, { "right", KEY_RIGHT },
	{ "home", KEY_HOME }, { "end", KEY_END },
	{ "pageup", KEY_PAGEUP }, { "pagedown", KEY_PAGEDOWN },
	{ "insert", KEY_INSERT }, { "delete", KEY_DELETE },
	{ "f1", KEY_F1 }, { "f2", KEY_F2 }, { "f3", KEY_F3 }, { "f4", KEY_F4 },
	{ "f5", KEY_F5 }, { "f6", KEY_F6 }, { "f7", KEY_F7 }, { "f8", KEY_F8 },
	{ "f9", KEY_F9 }, { "f10", KEY_F10 }, { "f11", KEY_F11 },
	{ "f12", KEY_F12 },
};

struct mod_name {
	const char *name;
	unsigned mod;
};

/* The first name of a modifier is the canonical one, in output order. */
static const struct mod_name mod_names[] = {
	{ "ctrl", KEY_MOD_CTRL }, { "alt", KEY_MOD_ALT },
	{ "shift", KEY_MOD_SHIFT }, { "super", KEY_MOD_SUPER },
	{ "control", KEY_MOD_CTRL }, { "meta", KEY_MOD_ALT },
};

/* tmux send-keys names (case-sensitive). */
struct tmux_name {
	const char *name;
	uint32_t key;
	unsigned mods;
};

static const struct tmux_name tmux_names[] = {
	{ "Enter", KEY_ENTER, 0 }, { "Tab", KEY_TAB, 0 },
	{ "BTab", KEY_TAB, KEY_MOD_SHIFT }, { "Space", ' ', 0 },
	{ "Escape", KEY_ESCAPE, 0 }, { "BSpace", KEY_BACKSPACE, 0 },
	{ "Up", KEY_UP, 0 }, { "Down", KEY_DOWN, 0 },
	{ "Left", KEY_LEFT, 0 }, { "Right", KEY_RIGHT, 0 },
	{ "Home", KEY_HOME, 0 }, { "End", KEY_END, 0 },
	{ "PageUp", KEY_PAGEUP, 0 }, { "PPage", KEY_PAGEUP, 0 },
	{ "PageDown", KEY_PAGEDOWN, 0 }, { "NPage", KEY_PAGEDOWN, 0 },
	{ "Insert", KEY_INSERT, 0 }, { "IC", KEY_INSERT, 0 },
	{ "Delete", KEY_DELETE, 0 }, { "DC", KEY_DELETE, 0 },
	{ "F1", KEY_F1, 0 }, { "F2", KEY_F2, 0 }, { "F3", KEY_F3, 0 },
	{ "F4", KEY_F4, 0 }, { "F5", KEY_F5, 0 }, { "F6", KEY_F6, 0 },
	{ "F7", KEY_F7, 0 }, { "F8", KEY_F8, 0 }, { "F9", KEY_F9, 0 },
	{ "F10", KEY_F10, 0 }, { "F11", KEY_F11, 0 }, { "F12", KEY_F12, 0 },
};

static const char *const tmux_name_list[] = {
	"Enter", "Tab", "BTab", "Space", "Escape", "BSpace",
	"Up", "Down", "Left", "Right", "Home", "End",
	"PageUp", "PPage", "PageDown", "NPage",
	"Insert", "IC", "Delete", "DC",
	"F1", "F2", "F3", "F4", "F5", "F6",
	"F7", "F8", "F9", "F10", "F11", "F12",
	NULL,
};

static const struct xterm_key *
xterm_key_by_key(uint32_t key)
{
	size_t i;

	for (i = 0; i < NELEM(xterm_keys); i++)
		if (xterm_keys[i].key == key)
			return &xterm_keys[i];
	return NULL;
}

static uint32_t
xterm_key_by_final(char final)
{
	size_t i;

	for (i = 0; i < NELEM(xterm_keys); i++)
		if (final != '~' && xterm_keys[i].final == final)
			return xterm_keys[i].key;
	return 0;
}

static uint32_t
xterm_key_by_num(unsigned num)
{
	size_t i;

	for (i = 0; i < NELEM(xterm_keys); i++)
		if (xterm_keys[i].final == '~' && xterm_keys[i].num == num)
			return xterm_keys[i].key;
	for (i = 0; i < NELEM(tilde_aliases); i++)
		if (tilde_aliases[i].num == num)
			return tilde_aliases[i].key;
	return 0;
}

static bool
is_cursor_key(uint32_t key)
{
	const struct xterm_key *x = xterm_key_by_key(key);

	return x != NULL && x->cursor;
}

/* ------------------------------------------------------------------ */
/* Legacy encoding                                                     */
/* ------------------------------------------------------------------ */

/* The byte Ctrl+c gives on a legacy terminal, or -1 if it has none. */
static int
ctrl_byte(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return (int)(c & 0x1f);
	switch (c) {
	case ' ': case '@': case '2': return 0x00;
	case '[': case '3': return 0x1b;
	case '\\': case '4': return 0x1c;
	case ']': case '5': return 0x1d;
	case '^': case '6': case '~': return 0x1e;
	case '_': case '/': case '7': return 0x1f;
	case '?': case '8': return 0x7f;
	}
	return -1;
}

/* xterm's modifier parameter: 1 + the modifier bits. */
static unsigned
xterm_mod_param(unsigned mods)
{
	return 1 + (mods & MOD_MASK);
}

static size_t
encode_xterm_key(const struct xterm_key *x, unsigned mods, bool app_cursor,
    char *out)
{
	unsigned m = xterm_mod_param(mods);
	int n;

	if (m == 1 && x->final == '~')
		n = sprintf(out, "\x1b[%u~", x->num);
	else if (m == 1 && (!x->cursor || app_cursor))
		n = sprintf(out, "\x1bO%c", x->final);
	else if (m == 1)
		n = sprintf(out, "\x1b[%c", x->final);
	else if (x->final == '~')
		n = sprintf(out, "\x1b[%u;%u~", x->num, m);
	else
		n = sprintf(out, "\x1b[1;%u%c", m, x->final);
	return (size_t)n;
}

/* Bytes of key+mods apart from the Alt prefix; 0 if it has none. */
static size_t
encode_base(uint32_t key, unsigned mods, char *out)
{
	int cb;

	switch (key) {
	case KEY_ENTER:
		out[0] = '\r';
		return 1;
	case KEY_TAB:
		if (mods & KEY_MOD_SHIFT)
			return (size_t)sprintf(out, "\x1b[Z");
		out[0] = '\t';
		return 1;
	case KEY_BACKSPACE:
		out[0] = (mods & KEY_MOD_CTRL) ? 0x08 : 0x7f;
		return 1;
	case KEY_ESCAPE:
		out[0] = ESC;
		return 1;
	}
	if (key >= 'a' && key <= 'z' && (mods & KEY_MOD_SHIFT))
		key -= 'a' - 'A';
	cb = (mods & KEY_MOD_CTRL) ? ctrl_byte(key) : -1;
	if (cb >= 0) {
		out[0] = (char)cb;
		return 1;
	}
	/* Control characters are not keys; the byte form is the ctrl chord. */
	if (key < 0x20 || key == 0x7f)
		return 0;
	return utf8_encode(key, out);
}

/*
 * Legacy bytes for key+mods; 0 if there are none. Keys with an xterm
 * modifier parameter carry Alt in it, the rest get an ESC prefix.
 */
static size_t
encode_key(uint32_t key, unsigned mods, bool app_cursor, char *out)
{
	const struct xterm_key *x = xterm_key_by_key(key);
	size_t n;

	if (x != NULL)
		return encode_xterm_key(x, mods, app_cursor, out);
	if (!(mods & KEY_MOD_ALT))
		return encode_base(key, mods, out);
	out[0] = ESC;
	n = encode_base(key, mods, out + 1);
	return n == 0 ? 0 : n + 1;
}

static int
copy_out(const char *src, size_t n, char *out, size_t outsz, size_t *outlen)
{
	if (n > outsz)
		return -1;
	if (n > 0)
		memcpy(out, src, n);
	if (outlen != NULL)
		*outlen = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* tmux key names                                                      */
/* ------------------------------------------------------------------ */

static const struct tmux_name *
tmux_name_find(const char *s)
{
	size_t i;

	for (i = 0; i < NELEM(tmux_names); i++)
		if (strcmp(tmux_names[i].name, s) == 0)
			return &tmux_names[i];
	return NULL;
}

static unsigned
tmux_prefix_mod(const char *s)
{
	if (s[0] == '\0' || s[1] != '-' || s[2] == '\0')
		return 0;
	switch (s[0]) {
	case 'C': return KEY_MOD_CTRL;
	case 'M': return KEY_MOD_ALT;
	case 'S': return KEY_MOD_SHIFT;
	}
	return 0;
}

/* tmux only has C- forms for what a terminal can send as one byte. */
static bool
tmux_ctrl_ok(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c != 0 && c < 0x80 && strchr("@[\\]^_? ", (int)c) != NULL);
}

/* A single printable character making up all of s; 0 if not. */
static uint32_t
single_char(const char *s, size_t len)
{
	uint32_t cp;

	if (len == 0 || utf8_decode(s, len, &cp) != (int)len)
		return 0;
	if (cp < 0x20 || cp == 0x7f)
		return 0;
	return cp;
}

static bool
tmux_name_parse(const char *word, struct key_chord *out)
{
	const struct tmux_name *t;
	unsigned mods = 0, m;
	uint32_t c;

	while ((m = tmux_prefix_mod(word)) != 0) {
		mods |= m;
		word += 2;
	}
	t = tmux_name_find(word);
	if (t != NULL) {
		out->key = t->key;
		out->mods = mods | t->mods;
		return true;
	}
	c = single_char(word, strlen(word));
	if (c == 0 || mods == 0)
		return false;
	if ((mods & KEY_MOD_CTRL) && !tmux_ctrl_ok(c))
		return false;
	out->key = c;
	out->mods = mods;
	return true;
}

int
keys_name_to_bytes(const char *word, char *out, size_t outsz, size_t *outlen)
{
	struct key_chord k;
	char buf[ENCODE_MAX];
	size_t n;

	if (word == NULL || !tmux_name_parse(word, &k))
		return 0;
	n = encode_key(k.key, k.mods, false, buf);
	if (n == 0)
		return 0;
	return copy_out(buf, n, out, outsz, outlen) < 0 ? -1 : 1;
}

const char *const *
keys_name_list(void)
{
	return tmux_name_list;
}

/* ------------------------------------------------------------------ */
/* Decoder: single items                                               */
/* ------------------------------------------------------------------ */

#define CSI_PARAMS 4
#define CSI_SUBS 3

struct csi {
	char prefix;		/* '<', '=', '>', '?' or 0 */
	char final;
	bool odd;		/* intermediates or misplaced bytes */
	unsigned np;
	unsigned v[CSI_PARAMS][CSI_SUBS];
};

static void
set_key(struct input_event *ev, uint32_t key, unsigned mods)
{
	ev->type = INPUT_KEY;
	ev->key = key;
	ev->mods = mods;
}

/* xterm/kitty modifier parameter (1 + bits; lock bits dropped). */
static unsigned
mods_from_param(unsigned m)
{
	return m > 1 ? (m - 1) & MOD_MASK : 0;
}

static void
control_key(unsigned char c, struct input_event *ev)
{
	switch (c) {
	case '\r': set_key(ev, KEY_ENTER, 0); return;
	case '\t': set_key(ev, KEY_TAB, 0); return;
	case 0x08: case 0x7f: set_key(ev, KEY_BACKSPACE, 0); return;
	case ESC: set_key(ev, KEY_ESCAPE, 0); return;
	case 0x00: set_key(ev, ' ', KEY_MOD_CTRL); return;
	}
	if (c <= 0x1a)
		set_key(ev, 'a' + c - 1, KEY_MOD_CTRL);
	else
		set_key(ev, c + 0x40, KEY_MOD_CTRL);	/* \ ] ^ _ */
}

/* One character or control byte (no ESC handling). 0 = need more. */
static size_t
parse_plain(const char *p, size_t n, bool final, struct input_event *ev)
{
	unsigned char c = (unsigned char)p[0];
	uint32_t cp;
	int len;

	if (c < 0x20 || c == 0x7f) {
		control_key(c, ev);
		return 1;
	}
	len = utf8_decode(p, n, &cp);
	if (len > 0) {
		set_key(ev, cp, 0);
		return (size_t)len;
	}
	if (len == 0 && !final)
		return 0;
	/* Invalid, or cut short by the timeout: pass the bytes on. */
	ev->type = INPUT_RAW;
	return len == 0 ? n : 1;
}

static void
csi_params(const char *p, size_t len, struct csi *c)
{
	unsigned param = 0, sub = 0;
	size_t i = 0;

	memset(c, 0, sizeof(*c));
	c->final = p[len - 1];
	if (len > 1 && strchr("<=>?", p[0]) != NULL)
		c->prefix = p[i++];
	if (i < len - 1)
		c->np = 1;
	for (; i < len - 1; i++) {
		unsigned char b = (unsigned char)p[i];

		if (b >= '0' && b <= '9') {
			unsigned *v = &c->v[param][sub];

			if (*v < 100000000)
				*v = *v * 10 + (b - '0');
		} else if (b == ':' && sub + 1 < CSI_SUBS) {
			sub++;
		} else if (b == ':') {
			continue;	/* extra subs pile into a slot unread */
		} else if (b == ';' && param + 1 < CSI_PARAMS) {
			param++;
			sub = 0;
			c->np++;
		} else {
			c->odd = true;
			return;
		}
	}
}

static bool
decode_sgr_mouse(const struct csi *c, struct input_event *ev)
{
	unsigned b = c->v[0][0], low = b & 3;

	if (c->np != 3 || (c->final != 'M' && c->final != 'm'))
		return false;
	ev->type = INPUT_MOUSE;
	if (b & 64)
		ev->button = 4 + (int)low;
	else if (b & 128)
		ev->button = 8 + (int)low;
	else
		ev->button = (int)low;
	ev->mods = ((b & 4) ? KEY_MOD_SHIFT : 0) | ((b & 8) ? KEY_MOD_ALT : 0) |
	    ((b & 16) ? KEY_MOD_CTRL : 0);
	ev->motion = (b & 32) != 0;
	ev->release = c->final == 'm';
	ev->x = c->v[1][0] > 0 ? (int)c->v[1][0] - 1 : 0;
	ev->y = c->v[2][0] > 0 ? (int)c->v[2][0] - 1 : 0;
	return true;
}

/*
 * Legacy Shift+letter is the uppercase letter; make the kitty and
 * modifyOtherKeys forms say the same. With Ctrl the shift is kept: legacy
 * cannot send it, so nothing needs to agree with it.
 */
static void
fold_shifted_letter(struct input_event *ev)
{
	if (ev->key >= 'a' && ev->key <= 'z' &&
	    (ev->mods & KEY_MOD_SHIFT) && !(ev->mods & KEY_MOD_CTRL)) {
		ev->key -= 'a' - 'A';
		ev->mods &= ~(unsigned)KEY_MOD_SHIFT;
	}
}

static bool
set_code_key(struct input_event *ev, unsigned code, unsigned modparam)
{
	size_t i;

	for (i = 0; i < NELEM(kitty_keys); i++) {
		if (kitty_keys[i].code == code) {
			set_key(ev, kitty_keys[i].key, mods_from_param(modparam));
			return true;
		}
	}
	if (code < 0x20 || code == 0x7f || !codepoint_valid(code))
		return false;
	set_key(ev, code, mods_from_param(modparam));
	fold_shifted_letter(ev);
	return true;
}

/* kitty's event type sub-parameter: 1 press, 2 repeat, 3 release. */
static void
set_event_type(const struct csi *c, struct input_event *ev)
{
	ev->release = c->v[1][1] == 3;
}

static bool
decode_tilde(const struct csi *c, struct input_event *ev)
{
	unsigned num = c->v[0][0];
	uint32_t key;

	if (num == 200 && c->np == 1) {
		ev->type = INPUT_PASTE_START;
		return true;
	}
	/* ESC [ 201 ~ ends a paste in paste_step(); here it is stray, and
	 * callers can rely on start and end alternating. */
	if (num == 27 && c->np == 3)	/* xterm modifyOtherKeys */
		return set_code_key(ev, c->v[2][0], c->v[1][0]);
	key = xterm_key_by_num(num);
	if (key == 0 || c->np > 2)
		return false;
	set_key(ev, key, mods_from_param(c->v[1][0]));
	set_event_type(c, ev);
	return true;
}

static bool
decode_csi_letter(const struct csi *c, struct input_event *ev)
{
	uint32_t key;

	if (c->final == 'Z') {
		set_key(ev, KEY_TAB,
		    KEY_MOD_SHIFT | mods_from_param(c->v[1][0]));
		return c->np <= 2;
	}
	if ((c->final == 'I' || c->final == 'O') && c->np == 0) {
		ev->type = c->final == 'I' ? INPUT_FOCUS_IN : INPUT_FOCUS_OUT;
		return true;
	}
	key = xterm_key_by_final(c->final);
	/* ESC [ row ; col R is a cursor report, not F3: insist on row 1. */
	if (key == 0 || c->np > 2 || c->v[0][0] > 1)
		return false;
	set_key(ev, key, mods_from_param(c->v[1][0]));
	set_event_type(c, ev);
	return true;
}

static bool
decode_csi(const struct csi *c, struct input_event *ev)
{
	if (c->odd)
		return false;
	if (c->prefix == '<')
		return decode_sgr_mouse(c, ev);
	if (c->prefix != 0)
		return false;
	if (c->final == 'u') {
		if (c->np == 0 || c->np > 3 || !set_code_key(ev, c->v[0][0],
		    c->v[1][0]))
			return false;
		set_event_type(c, ev);
		return true;
	}
	if (c->final == '~')
		return decode_tilde(c, ev);
	return decode_csi_letter(c, ev);
}

/* X10 mouse: ESC [ M b x y, each byte offset by 32. */
static size_t
parse_x10_mouse(const char *p, size_t n, bool final, struct input_event *ev)
{
	const unsigned char *s = (const unsigned char *)p;
	unsigned b;

	if (n < 6) {
		if (!final)
			return 0;
		ev->type = INPUT_RAW;
		return n;
	}
	b = s[3] >= 32 ? s[3] - 32u : 0;
	ev->type = INPUT_MOUSE;
	ev->motion = (b & 32) != 0;
	ev->button = (b & 64) ? 4 + (int)(b & 3) : (int)(b & 3);
	ev->release = (b & 3) == 3 && !(b & 64) && !ev->motion;
	ev->mods = ((b & 4) ? KEY_MOD_SHIFT : 0) | ((b & 8) ? KEY_MOD_ALT : 0) |
	    ((b & 16) ? KEY_MOD_CTRL : 0);
	ev->x = s[4] > 32 ? s[4] - 33 : 0;
	ev->y = s[5] > 32 ? s[5] - 33 : 0;
	return 6;
}

/* Linux console F1..F5: ESC [ [ A..E. */
static size_t
parse_linux_fkey(const char *p, size_t n, bool final, struct input_event *ev)
{
	if (n < 4) {
		if (!final)
			return 0;
		ev->type = INPUT_RAW;
		return n;
	}
	if (p[3] >= 'A' && p[3] <= 'E')
		set_key(ev, KEY_F1 + (uint32_t)(p[3] - 'A'), 0);
	else
		ev->type = INPUT_RAW;
	return 4;
}

static void
set_alt_char(struct input_event *ev, uint32_t c)
{
	set_key(ev, c, KEY_MOD_ALT);
}

static size_t
parse_csi(const char *p, size_t n, bool final, struct input_event *ev)
{
	struct csi c;
	size_t i;

	if (n > 2 && p[2] == 'M')
		return parse_x10_mouse(p, n, final, ev);
	if (n > 2 && p[2] == '[')
		return parse_linux_fkey(p, n, final, ev);
	for (i = 2; i < n && i < SEQ_MAX; i++) {
		unsigned char b = (unsigned char)p[i];

		if (b >= 0x40 && b <= 0x7e)
			break;
		if (b < 0x20 || b > 0x3f) {
			/* Not a sequence after all: it was Alt+[. */
			set_alt_char(ev, '[');
			return 2;
		}
	}
	if (i == n && !final)
		return 0;
	if (i == 2 && i == n) {
		set_alt_char(ev, '[');
		return 2;
	}
	if (i == n || i == SEQ_MAX) {
		ev->type = INPUT_RAW;
		return i;
	}
	csi_params(p + 2, i - 1, &c);
	if (!decode_csi(&c, ev)) {
		memset(ev, 0, sizeof(*ev));
		ev->type = INPUT_RAW;
	}
	return i + 1;
}

static uint32_t
ss3_key(char final)
{
	uint32_t key = xterm_key_by_final(final);
	size_t i;

	if (key != 0)
		return key;
	for (i = 0; i < NELEM(ss3_keys); i++)
		if (ss3_keys[i].final == final)
			return ss3_keys[i].key;
	return 0;
}

/* ESC O x, optionally with a modifier as in ESC O 5 A or ESC O 1;5 A. */
static size_t
parse_ss3(const char *p, size_t n, bool final, struct input_event *ev)
{
	unsigned mod = 0;
	uint32_t key;
	size_t i;

	for (i = 2; i < n && i < SEQ_MAX; i++) {
		if (p[i] == ';')
			mod = 0;
		else if (p[i] >= '0' && p[i] <= '9')
			mod = mod < 1000 ? mod * 10 + (unsigned)(p[i] - '0') : mod;
		else
			break;
	}
	if (i == n && !final)
		return 0;
	key = i < n ? ss3_key(p[i]) : 0;
	if (key == 0 && i == 2) {
		set_alt_char(ev, 'O');
		return 2;
	}
	if (key == 0) {
		ev->type = INPUT_RAW;
		return i < n ? i + 1 : i;
	}
	set_key(ev, key, mods_from_param(mod));
	return i + 1;
}

/*
 * Is ESC x y the start of a string sequence, i.e. a reply to one of our
 * queries (OSC colours, XTVERSION, DECRQSS, XTGETTCAP, kitty graphics)?
 * Only the forms replies use are taken, because the same bytes can be
 * Alt+] or Alt+P followed by more typing; if that ever happens, the
 * timeout still hands the bytes on raw.
 */
static bool
string_intro(char intro, char next)
{
	switch (intro) {
	case ']':
		return next >= '0' && next <= '9';
	case 'P':
		return next == '>' || next == '0' || next == '1';
	case '_':
		return next == 'G';
	}
	return false;
}

/* OSC/DCS/APC: up to BEL or ESC \, passed on raw. */
static size_t
parse_string(const char *p, size_t n, bool final, struct input_event *ev)
{
	size_t i;

	ev->type = INPUT_RAW;
	for (i = 2; i < n && i < SEQ_MAX; i++) {
		if (p[i] == 0x07)
			return i + 1;
		if (p[i] != ESC)
			continue;
		if (i + 1 < n)
			return p[i + 1] == '\\' ? i + 2 : i;
		i = n;		/* ESC at the end: wait for what follows */
		break;
	}
	if (i == n && !final)
		return 0;
	return i;
}

static size_t parse_escape(const char *p, size_t n, bool final,
    struct input_event *ev);

/* ESC ESC: Alt+Escape, or an Alt-prefixed sequence (ESC ESC [ A). */
static size_t
parse_esc_esc(const char *p, size_t n, bool final, struct input_event *ev)
{
	size_t r;

	if (n < 3 && !final)
		return 0;
	if (n >= 3 && (p[2] == '[' || p[2] == 'O')) {
		r = parse_escape(p + 1, n - 1, false, ev);
		if (r == 0 && !final)
			return 0;
		if (r > 0 && ev->type == INPUT_KEY) {
			ev->mods |= KEY_MOD_ALT;
			return r + 1;
		}
		/*
		 * An Escape, then a reply or mouse report, or (at the
		 * timeout) a sequence that never finished.
		 */
		memset(ev, 0, sizeof(*ev));
		set_key(ev, KEY_ESCAPE, 0);
		return 1;
	}
	set_key(ev, KEY_ESCAPE, KEY_MOD_ALT);
	return 2;
}

/* ESC x: Alt+x, where x may be a control byte or a UTF-8 character. */
static size_t
parse_alt(const char *p, size_t n, bool final, struct input_event *ev)
{
	size_t r = parse_plain(p + 1, n - 1, final, ev);

	if (r == 0)
		return 0;
	if (ev->type == INPUT_KEY)
		ev->mods |= KEY_MOD_ALT;
	return r + 1;
}

static size_t
parse_escape(const char *p, size_t n, bool final, struct input_event *ev)
{
	if (n < 2) {
		if (!final)
			return 0;
		set_key(ev, KEY_ESCAPE, 0);
		return 1;
	}
	switch (p[1]) {
	case '[':
		return parse_csi(p, n, final, ev);
	case 'O':
		return parse_ss3(p, n, final, ev);
	case ESC:
		return parse_esc_esc(p, n, final, ev);
	case ']': case 'P': case '_':
		if (n < 3 && !final)
			return 0;
		if (n >= 3 && string_intro(p[1], p[2]))
			return parse_string(p, n, final, ev);
		break;
	}
	return parse_alt(p, n, final, ev);
}

/* One event from p; 0 if p holds only its beginning (never when final). */
static size_t
parse_item(const char *p, size_t n, bool final, struct input_event *ev)
{
	if ((unsigned char)p[0] == ESC)
		return parse_escape(p, n, final, ev);
	return parse_plain(p, n, final, ev);
}

/* ------------------------------------------------------------------ */
/* Decoder: streams                                                    */
/* ------------------------------------------------------------------ */

static void
emit_raw(const char *p, size_t n, input_event_cb cb, void *arg)
{
	struct input_event ev;

	if (n == 0)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = INPUT_RAW;
	ev.raw = p;
	ev.rawlen = n;
	cb(&ev, arg);
}

/*
 * Inside a paste nothing is decoded; only the terminator is looked for.
 * Returns bytes consumed; a possible start of the terminator at the end
 * is left unconsumed.
 */
static size_t
paste_step(struct input_decoder *d, const char *p, size_t n,
    input_event_cb cb, void *arg)
{
	struct input_event ev;
	size_t i = 0, at, cmp;
	const char *e;

	while (i < n && (e = memchr(p + i, ESC, n - i)) != NULL) {
		at = (size_t)(e - p);
		cmp = n - at < PASTE_END_LEN ? n - at : PASTE_END_LEN;
		if (memcmp(e, paste_end_seq, cmp) != 0) {
			i = at + 1;
			continue;
		}
		emit_raw(p, at, cb, arg);
		if (cmp < PASTE_END_LEN)
			return at;
		memset(&ev, 0, sizeof(ev));
		ev.type = INPUT_PASTE_END;
		ev.raw = e;
		ev.rawlen = PASTE_END_LEN;
		d->in_paste = false;
		cb(&ev, arg);
		return at + PASTE_END_LEN;
	}
	emit_raw(p, n, cb, arg);
	return n;
}

static size_t
key_step(struct input_decoder *d, const char *p, size_t n, bool final,
    input_event_cb cb, void *arg)
{
	struct input_event ev;
	size_t used;

	memset(&ev, 0, sizeof(ev));
	used = parse_item(p, n, final, &ev);
	if (used == 0)
		return 0;
	ev.raw = p;
	ev.rawlen = used;
	if (ev.type == INPUT_PASTE_START)
		d->in_paste = true;
	cb(&ev, arg);
	return used;
}

/* Decode as much of p as possible; returns the bytes consumed. */
static size_t
process(struct input_decoder *d, const char *p, size_t n, bool final,
    input_event_cb cb, void *arg)
{
	size_t off = 0, used;

	while (off < n) {
		if (d->in_paste)
			used = paste_step(d, p + off, n - off, cb, arg);
		else
			used = key_step(d, p + off, n - off, final, cb, arg);
		if (used == 0)
			break;
		off += used;
	}
	return off;
}

static void
drop_pending(struct input_decoder *d, size_t used)
{
	memmove(d->pend, d->pend + used, d->npend - used);
	d->npend -= used;
}

/*
 * Append new bytes to the kept ones and decode from the pending buffer, so
 * that events never point at memory that is about to move. Returns how
 * many bytes of buf were taken.
 */
static size_t
join_pending(struct input_decoder *d, const char *buf, size_t len,
    input_event_cb cb, void *arg)
{
	size_t old = d->npend, k, used;

	k = sizeof(d->pend) - old;
	if (k > len)
		k = len;
	memcpy(d->pend + old, buf, k);
	d->npend = old + k;
	used = process(d, d->pend, d->npend, false, cb, arg);
	if (used >= old) {
		d->npend = 0;
		return used - old;
	}
	if (used == 0 && d->npend == sizeof(d->pend)) {
		/* Cannot happen (SEQ_MAX bounds what is kept); stay live. */
		emit_raw(d->pend, old, cb, arg);
		used = old;
	}
	drop_pending(d, used);
	return k;
}

static void
keep_pending(struct input_decoder *d, const char *p, size_t n,
    input_event_cb cb, void *arg)
{
	if (n > sizeof(d->pend) - d->npend) {
		emit_raw(p, n, cb, arg);	/* cannot happen, see SEQ_MAX */
		return;
	}
	memcpy(d->pend + d->npend, p, n);
	d->npend += n;
}

void
input_decoder_init(struct input_decoder *d)
{
	memset(d, 0, sizeof(*d));
}

size_t
input_decoder_feed(struct input_decoder *d, const char *buf, size_t len,
    input_event_cb cb, void *arg)
{
	size_t i = 0, used;

	while (d->npend > 0 && i < len)
		i += join_pending(d, buf + i, len - i, cb, arg);
	if (d->npend == 0 && i < len) {
		used = process(d, buf + i, len - i, false, cb, arg);
		keep_pending(d, buf + i + used, len - i - used, cb, arg);
	}
	return d->npend;
}

bool
input_decoder_pending(const struct input_decoder *d)
{
	return d->npend > 0 && !d->in_paste;
}

void
input_decoder_timeout(struct input_decoder *d, input_event_cb cb, void *arg)
{
	size_t used;

	if (d->npend == 0 || d->in_paste)
		return;
	used = process(d, d->pend, d->npend, true, cb, arg);
	drop_pending(d, used);
}

/* ------------------------------------------------------------------ */
/* Chords                                                              */
/* ------------------------------------------------------------------ */

static struct key_chord
chord_normalise(uint32_t key, unsigned mods)
{
	struct key_chord k = { key, mods & MOD_MASK };

	if (k.key >= 'A' && k.key <= 'Z') {
		k.key += 'a' - 'A';
		k.mods |= KEY_MOD_SHIFT;
	}
	return k;
}

/* Lowercase copy; a word too long to be a name becomes "". */
static size_t
lower_copy(char *dst, size_t dstsz, const char *s, size_t len)
{
	size_t i;

	if (len >= dstsz)
		len = 0;
	for (i = 0; i < len; i++)
		dst[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
	dst[len] = '\0';
	return len;
}

#define NAME_MAX_LEN 32

/* Edit distance, for "did you mean"; names are short. */
static size_t
edit_distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), row[NAME_MAX_LEN + 1], i, j, diag, up, best;

	if (lb > NAME_MAX_LEN)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static const char *
chord_name_at(size_t i)
{
	return i < NELEM(chord_names) ? chord_names[i].name : NULL;
}

static const char *
mod_name_at(size_t i)
{
	return i < NELEM(mod_names) ? mod_names[i].name : NULL;
}

/* Is a an abbreviation of b (its letters appear in b in order)? */
static bool
is_subsequence(const char *a, size_t la, const char *b)
{
	size_t i = 0;

	for (; *b != '\0' && i < la; b++)
		if (*b == a[i])
			i++;
	return i == la;
}

/*
 * The name closest to the lowercase word w, or NULL if nothing is close.
 * Ties go to names that share the first letter and that w abbreviates:
 * "pgup" means "pageup" more than "up" or "plus".
 */
static const char *
suggest(const char *w, size_t wl, const char *(*name_at)(size_t))
{
	const char *best = NULL, *name;
	size_t i, d, score, best_score = (size_t)-1;

	if (wl == 0 || wl > NAME_MAX_LEN)
		return NULL;
	for (i = 0; (name = name_at(i)) != NULL; i++) {
		d = edit_distance(w, wl, name);
		if (d > 2 || d * 2 > wl || d >= strlen(name))
			continue;
		score = d * 4 + (name[0] != w[0]) * 2 +
		    !is_subsequence(w, wl, name);
		if (score < best_score) {
			best_score = score;
			best = name;
		}
	}
	return best;
}

static void
set_err(char *err, size_t errsz, const char *what, const char *s, size_t len,
    const char *hint)
{
	if (err == NULL || errsz == 0)
		return;
	if (s == NULL)
		snprintf(err, errsz, "%s", what);
	else if (hint != NULL)
		snprintf(err, errsz, "%s \"%.*s\" (did you mean \"%s\"?)", what,
		    (int)len, s, hint);
	else
		snprintf(err, errsz, "%s \"%.*s\"", what, (int)len, s);
}

static unsigned
mod_lookup(const char *lw)
{
	size_t i;

	for (i = 0; i < NELEM(mod_names); i++)
		if (strcmp(mod_names[i].name, lw) == 0)
			return mod_names[i].mod;
	return 0;
}

static int
parse_mod(const char *s, size_t len, unsigned *mods, char *err, size_t errsz)
{
	char lw[NAME_MAX_LEN + 1];
	size_t ll = lower_copy(lw, sizeof(lw), s, len);
	unsigned m = ll > 0 ? mod_lookup(lw) : 0;

	if (len == 0) {
		set_err(err, errsz, "empty modifier before", "+", 1, NULL);
		return -1;
	}
	if (m == 0) {
		set_err(err, errsz, "unknown modifier", s, len,
		    suggest(lw, ll, mod_name_at));
		return -1;
	}
	if (*mods & m) {
		set_err(err, errsz, "duplicate modifier", s, len, NULL);
		return -1;
	}
	*mods |= m;
	return 0;
}

static int
parse_key(const char *s, size_t len, uint32_t *key, char *err, size_t errsz)
{
	char lw[NAME_MAX_LEN + 1];
	size_t ll, i;

	*key = single_char(s, len);
	if (*key != 0)
		return 0;
	ll = lower_copy(lw, sizeof(lw), s, len);
	for (i = 0; ll > 0 && i < NELEM(chord_names); i++) {
		if (strcmp(chord_names[i].name, lw) == 0) {
			*key = chord_names[i].key;
			return 0;
		}
	}
	if (ll > 0 && mod_lookup(lw) != 0)
		set_err(err, errsz, "missing key after modifier", s, len, NULL);
	else
		set_err(err, errsz, "unknown key", s, len,
		    suggest(lw, ll, chord_name_at));
	return -1;
}

int
key_chord_parse(const char *s, struct key_chord *out, char *err,
    size_t errsz)
{
	size_t len = s != NULL ? strlen(s) : 0, keyat, start, i;
	unsigned mods = 0;
	uint32_t key;

	if (len == 0) {
		set_err(err, errsz, "empty key", NULL, 0, NULL);
		return -1;
	}
	/* A trailing "++" (or a lone "+") means the key is '+'. */
	if (s[len - 1] == '+' && (len == 1 || s[len - 2] == '+')) {
		keyat = len - 1;
	} else {
		const char *plus = strrchr(s, '+');

		keyat = plus != NULL ? (size_t)(plus - s) + 1 : 0;
	}
	if (keyat == len) {
		set_err(err, errsz, "missing key after", s, len, NULL);
		return -1;
	}
	for (start = 0, i = 0; keyat > 0 && i < keyat; i++) {
		if (s[i] != '+')
			continue;
		if (parse_mod(s + start, i - start, &mods, err, errsz) < 0)
			return -1;
		start = i + 1;
	}
	if (parse_key(s + keyat, len - keyat, &key, err, errsz) < 0)
		return -1;
	*out = chord_normalise(key, mods);
	return 0;
}

/* Name of a chord key into buf (>= 8 bytes); false if it has none. */
static bool
chord_key_name(uint32_t key, char *buf)
{
	size_t i, n;

	for (i = 0; i < NELEM(chord_names); i++) {
		if (chord_names[i].key == key) {
			strcpy(buf, chord_names[i].name);
			return true;
		}
	}
	if (key < 0x20 || key == 0x7f)
		return false;
	n = utf8_encode(key, buf);
	buf[n] = '\0';
	return n > 0;
}

int
key_chord_format(const struct key_chord *c, char *out, size_t outsz)
{
	struct key_chord k = chord_normalise(c->key, c->mods);
	char name[16];
	size_t i, len = 0, n;

	if (!chord_key_name(k.key, name))
		return -1;
	if (outsz == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < 4; i++) {
		if (!(k.mods & mod_names[i].mod))
			continue;
		n = strlen(mod_names[i].name);
		if (len + n + 1 >= outsz)
			return -1;
		memcpy(out + len, mod_names[i].name, n);
		out[len + n] = '+';
		len += n + 1;
	}
	n = strlen(name);
	if (len + n >= outsz)
		return -1;
	memcpy(out + len, name, n + 1);
	return (int)(len + n);
}

/*
 * A one-byte legacy key (optionally after ESC for Alt) also stands for
 * every chord that a legacy terminal sends as that byte.
 */
static bool
legacy_byte_match(struct key_chord want, const struct input_event *ev)
{
	unsigned char b;
	unsigned alt;
	int wb = -1;

	if (ev->raw == NULL || ev->rawlen == 0 || ev->rawlen > 2 ||
	    (ev->rawlen == 2 && ev->raw[0] != ESC))
		return false;
	b = (unsigned char)ev->raw[ev->rawlen - 1];
	alt = ev->rawlen == 2 ? KEY_MOD_ALT : 0;
	if ((want.mods & KEY_MOD_ALT) != alt)
		return false;
	want.mods &= ~(unsigned)KEY_MOD_ALT;
	if (want.mods == KEY_MOD_CTRL)
		wb = want.key == KEY_BACKSPACE ? 0x08 : ctrl_byte(want.key);
	return wb >= 0 && wb == b;
}

bool
key_chord_match(const struct key_chord *c, const struct input_event *ev)
{
	struct key_chord want, got;

	if (ev->type != INPUT_KEY || ev->release)
		return false;
	want = chord_normalise(c->key, c->mods);
	got = chord_normalise(ev->key, ev->mods);
	if (want.key == got.key && want.mods == got.mods)
		return true;
	return legacy_byte_match(want, ev);
}

/* ------------------------------------------------------------------ */
/* Re-encoding for panes                                               */
/* ------------------------------------------------------------------ */

/* kitty CSI u, modifyOtherKeys, or kitty event-type sub-parameters. */
static bool
raw_is_extended(const char *raw, size_t len)
{
	if (len < 3 || raw[0] != ESC || raw[1] != '[')
		return false;
	if (raw[len - 1] == 'u' || memchr(raw, ':', len) != NULL)
		return true;
	return raw[len - 1] == '~' && len > 5 && memcmp(raw + 2, "27;", 3) == 0;
}

int
key_event_encode(const struct input_event *ev, bool app_cursor, char *out,
    size_t outsz, size_t *outlen)
{
	char buf[ENCODE_MAX];
	size_t n;

	if (ev->type == INPUT_RAW)
		return copy_out(ev->raw, ev->rawlen, out, outsz, outlen);
	if (ev->type != INPUT_KEY || ev->release)
		return -1;
	/* Keep what the terminal sent (^H stays ^H) unless the pane's
	 * cursor mode or the protocol means it must change. */
	if (ev->raw != NULL && ev->rawlen > 0 && !is_cursor_key(ev->key) &&
	    !raw_is_extended(ev->raw, ev->rawlen))
		return copy_out(ev->raw, ev->rawlen, out, outsz, outlen);
	n = encode_key(ev->key, ev->mods, app_cursor, buf);
	if (n == 0)
		return -1;
	return copy_out(buf, n, out, outsz, outlen);
}
