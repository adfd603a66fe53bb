/*
 * keys — everything hexe knows about keys, in one place so that the three
 * users agree on what a key is (a Unicode code point or a KEY_* code, plus
 * KEY_MOD_* bits):
 *   - tmux-style key names ("C-a", "M-Enter", "S-Up") turned into the bytes
 *     a terminal would send, for `hexe mux send`;
 *   - a decoder for the bytes read from the user's terminal (legacy, xterm,
 *     kitty CSI u, bracketed paste, SGR mouse, focus);
 *   - key chords ("ctrl+alt+d") for bindings, matched against decoded
 *     events, and legacy re-encoding of events for panes.
 *
 * The KEY_* names clash with <curses.h>; never include both in one file.
 */
#ifndef HEXE_MUX_KEYS_H
#define HEXE_MUX_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(KEY_ENTER) || defined(KEY_UP) || defined(KEY_F1)
#error "mux/keys.h clashes with the KEY_* macros of <curses.h>"
#endif

enum key_mod {
	KEY_MOD_SHIFT = 1,
	KEY_MOD_ALT = 2,
	KEY_MOD_CTRL = 4,
	KEY_MOD_SUPER = 8,
};

/* Above the Unicode range, so that a plain code point is a key too. */
enum key_code {
	KEY_ENTER = 0x110000,
	KEY_TAB,
	KEY_BACKSPACE,
	KEY_ESCAPE,
	KEY_UP,
	KEY_DOWN,
	KEY_LEFT,
	KEY_RIGHT,
	KEY_HOME,
	KEY_END,
	KEY_PAGEUP,
	KEY_PAGEDOWN,
	KEY_INSERT,
	KEY_DELETE,
	KEY_F1, KEY_F2, KEY_F3, KEY_F4, KEY_F5, KEY_F6,
	KEY_F7, KEY_F8, KEY_F9, KEY_F10, KEY_F11, KEY_F12,
};

/* ---- tmux-style key names (send-keys) ---- */

/*
 * If word is a key name ("Enter", "C-a", "M-S-Up", "F5", ...), write the
 * bytes a terminal in legacy/normal-cursor mode sends for it and return 1.
 * Return 0 if it is not a key name (send the word literally), -1 if the
 * bytes do not fit in outsz. Names are case-sensitive, as in tmux.
 */
int keys_name_to_bytes(const char *word, char *out, size_t outsz,
    size_t *outlen);

/* The base key names, NULL-terminated (C-, M-, S- prefixes not listed). */
const char *const *keys_name_list(void);

/* ---- decoding the user's terminal ---- */

enum input_event_type {
	INPUT_KEY,
	INPUT_PASTE_START,
	INPUT_PASTE_END,
	INPUT_MOUSE,
	INPUT_FOCUS_IN,
	INPUT_FOCUS_OUT,
	INPUT_RAW,		/* unrecognised bytes, or bracketed paste data */
};

/*
 * Mouse buttons: 0 left, 1 middle, 2 right, 3 none (motion without a
 * button, or an X10 release), 4/5 wheel up/down, 6/7 wheel left/right,
 * 8..11 extra buttons.
 */
struct input_event {
	enum input_event_type type;
	uint32_t key;		/* INPUT_KEY: code point or KEY_* */
	unsigned mods;		/* KEY_MOD_* bits (keys and mouse) */
	int button, x, y;	/* INPUT_MOUSE; x, y are 0-based */
	bool release;		/* mouse release, or kitty key release */
	bool motion;		/* mouse motion */
	/*
	 * The exact bytes that made this event, so an unbound key can be
	 * passed on unchanged. Only valid during the callback.
	 */
	const char *raw;
	size_t rawlen;
};

typedef void (*input_event_cb)(const struct input_event *ev, void *arg);

#define INPUT_DECODER_PENDING_MAX 256

/* Public so that it can live inside another struct; treat as opaque. */
struct input_decoder {
	char pend[INPUT_DECODER_PENDING_MAX];
	size_t npend;
	bool in_paste;
};

void input_decoder_init(struct input_decoder *d);

/*
 * Decode len bytes, calling cb for every complete event in order.
 * Inside a bracketed paste nothing is decoded: the data comes as INPUT_RAW
 * between INPUT_PASTE_START and INPUT_PASTE_END, which always alternate
 * (a stray ESC [ 201 ~ is INPUT_RAW). Every input byte ends up in exactly
 * one event's raw. Bytes that may start an unfinished sequence (a lone
 * ESC, "ESC [ 1 ;", half a UTF-8 character, half a paste terminator) are
 * kept for the next feed. Returns the number of bytes kept. cb must not
 * feed the same decoder.
 */
size_t input_decoder_feed(struct input_decoder *d, const char *buf,
    size_t len, input_event_cb cb, void *arg);

/* True if kept bytes are waiting for input_decoder_timeout(). */
bool input_decoder_pending(const struct input_decoder *d);

/*
 * The escape timeout (~25 ms) expired: a lone ESC becomes KEY_ESCAPE,
 * ESC x becomes Alt+x, an unfinished sequence becomes INPUT_RAW. Inside a
 * bracketed paste nothing is flushed: a split terminator must be waited for.
 */
void input_decoder_timeout(struct input_decoder *d, input_event_cb cb,
    void *arg);

/* ---- key chords (bindings) ---- */

/*
 * Canonical form: ASCII letters are lowercase, with KEY_MOD_SHIFT for
 * uppercase ("D" == "shift+d").
 */
struct key_chord {
	uint32_t key;
	unsigned mods;
};

/*
 * Parse "ctrl+alt+d", "alt+shift+left", "f5", "ctrl++", "plus", "é".
 * Names are case-insensitive; a single character is that character.
 * Returns 0, or -1 with a message in err (which may be NULL).
 */
int key_chord_parse(const char *s, struct key_chord *out, char *err,
    size_t errsz);

/* Write the canonical name; returns its length, or -1 if it does not fit
 * or the key has no name. */
int key_chord_format(const struct key_chord *c, char *out, size_t outsz);

/*
 * Does ev (an INPUT_KEY press) match c? Legacy encodings that share a byte
 * also match: ctrl+h matches a ^H backspace, ctrl+/ matches 0x1f,
 * alt+shift+d matches ESC D.
 */
bool key_chord_match(const struct key_chord *c, const struct input_event *ev);

/*
 * Bytes a legacy (non-kitty) application expects for ev: kitty CSI u and
 * modifyOtherKeys events are re-encoded (ctrl+letter -> control byte, alt
 * -> ESC prefix), cursor keys follow app_cursor (ESC O A vs ESC [ A), other
 * legacy keys are passed on as received, INPUT_RAW is copied. Returns 0, or
 * -1 if ev has no key encoding (mouse, focus, paste marks, key release) or
 * the bytes do not fit.
 */
int key_event_encode(const struct input_event *ev, bool app_cursor,
    char *out, size_t outsz, size_t *outlen);

#endif
