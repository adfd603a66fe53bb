/*
 * keymap — the mux's actions and which key chords run them.
 *
 * One table (keymap.c) lists every action a key can run: its name as the
 * config writes it ("split.vertical"), the argument it takes, its default
 * chord, its key after the prefix, and its help. The config layer, the
 * mux, `hexe config check`, the help screen and docs/config.md all read
 * that table.
 *
 * A keymap is an ordered list of bindings (chord → action); binding a
 * chord again replaces its action in place. With a prefix chord set
 * (mux.config.setup{ prefix = "ctrl+b" }), every action is also reachable
 * as prefix, then its prefix key (the key of its default chord without
 * modifiers: prefix v = split.vertical).
 */
#ifndef HEXE_MUX_KEYMAP_H
#define HEXE_MUX_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "mux/keys.h"

enum action {
	ACTION_NONE = 0,
	ACTION_DETACH,
	ACTION_REDRAW,
	ACTION_RELOAD,
	ACTION_HELP,
	ACTION_SPLIT_VERTICAL,
	ACTION_SPLIT_HORIZONTAL,
	ACTION_PANE_CLOSE,
	ACTION_ZOOM,
	ACTION_FOCUS_LEFT,
	ACTION_FOCUS_DOWN,
	ACTION_FOCUS_UP,
	ACTION_FOCUS_RIGHT,
	ACTION_RESIZE_LEFT,
	ACTION_RESIZE_DOWN,
	ACTION_RESIZE_UP,
	ACTION_RESIZE_RIGHT,
	ACTION_TAB_NEW,
	ACTION_TAB_NEXT,
	ACTION_TAB_PREV,
	ACTION_TAB_RENAME,
	ACTION_TAB_CLOSE,
	ACTION_TAB_GOTO,
	ACTION_FLOAT_TOGGLE,
	ACTION_SCROLL_PAGE_UP,
	ACTION_SCROLL_PAGE_DOWN,
	ACTION_COPY_MODE,
	ACTION_LUA, /* a Lua function of the config: not in the table */
	ACTION_COUNT
};

enum action_arg {
	ACTION_ARG_NONE = 0,
	ACTION_ARG_NUMBER,    /* tab.goto N: 1..99 */
	ACTION_ARG_FLOAT_KEY, /* float.toggle KEY: a float's one-character key */
};

struct action_def {
	enum action id;
	const char *name;       /* "split.vertical" */
	enum action_arg arg;
	const char *chord;      /* default chord, NULL: none (float.toggle:
				   alt+KEY for every float) */
	const char *prefix_key; /* key after the prefix, NULL: none */
	const char *shadows;    /* readline command the default chord hides */
	const char *help;
};

/* The table, in its documented order (ACTION_LUA is not in it). */
const struct action_def *action_table(size_t *n);
/* NULL when a is not in the table (ACTION_NONE, ACTION_LUA). */
const struct action_def *action_get(enum action a);
/* By name ("zoom"); NULL when unknown. */
const struct action_def *action_find(const char *name);

#define ACTION_ARG_MAX 16

/* What a binding runs: an action with its argument. */
struct action_req {
	enum action action;
	char arg[ACTION_ARG_MAX]; /* float key or tab number as text; "" */
	int num;                  /* tab.goto: the number */
};

struct binding {
	struct key_chord chord;
	struct action_req req;
	int lua_ref;   /* ACTION_LUA: the function in the config's Lua state */
	char where[96]; /* ACTION_LUA: "init.lua:12", for messages */
};

struct keymap {
	struct binding *b; /* in binding order */
	size_t n, cap;
	bool has_prefix;
	struct key_chord prefix;
	struct binding *pb; /* after the prefix */
	size_t pn, pcap;
};

void keymap_init(struct keymap *km);
void keymap_free(struct keymap *km);
/* dst becomes a copy of src (dst must be initialised or freed). */
void keymap_copy(struct keymap *dst, const struct keymap *src);

/* The built-in chords of the table, then alt+KEY → float.toggle KEY for
 * each of the nkeys float keys (UTF-8, one character each). Float keys
 * whose chord cannot be parsed are skipped. */
void keymap_add_defaults(struct keymap *km, const char *const *float_keys,
			 size_t nkeys);
/* Bind b->chord to b's action, replacing what the chord ran. */
void keymap_bind(struct keymap *km, const struct binding *b);
/* Remove the chord's binding; false if it had none. */
bool keymap_unbind(struct keymap *km, const struct key_chord *chord);
/* The binding of a chord, NULL if none. */
const struct binding *keymap_find(const struct keymap *km,
				  const struct key_chord *chord);

/* Set the prefix chord and fill the prefix table from the action table
 * (and float.toggle KEY for each float key). */
void keymap_set_prefix(struct keymap *km, const struct key_chord *prefix,
		       const char *const *float_keys, size_t nkeys);

/* The binding ev (an INPUT_KEY press) runs, NULL if none. */
const struct binding *keymap_match(const struct keymap *km,
				   const struct input_event *ev);
/* Is ev the prefix chord? */
bool keymap_is_prefix(const struct keymap *km, const struct input_event *ev);
/* The binding the key pressed after the prefix runs, NULL if none. */
const struct binding *keymap_match_prefixed(const struct keymap *km,
					    const struct input_event *ev);

/* "split.vertical", "float.toggle 1", "tab.goto 3", "function (init.lua:12)". */
void action_req_format(const struct action_req *r, const struct binding *b,
		       char *out, size_t n);

#endif
