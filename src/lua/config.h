/*
 * config — the Lua configuration (~/.config/hexe/init.lua) loaded into a
 * plain C struct that the processes read.
 *
 * config_load runs the file in a fresh, restricted Lua 5.4 state (time
 * and memory bounded, print() captured), validates every hexe.* call
 * strictly, and fills struct hexe_config. Only the mux keeps the state
 * alive (CONFIG_KEEP_LUA), to run the Lua functions bound to keys with
 * config_lua_call. Pods never run Lua: ses hands them their settings.
 *
 * Isolation priority, resolved in one place: the environment
 * (isolation_apply_env) > Lua (hexe.ses.isolation.set, then a float's own
 * isolation table) > built-in defaults.
 *
 * A broken config never crashes anything: every error is collected with
 * the file, line and field path ("init.lua:3: ses.isolation.memory:
 * expected ..."), and the settings fall back to the defaults.
 * docs/config.md is the user-facing reference.
 */
#ifndef HEXE_CONFIG_H
#define HEXE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/log.h"
#include "mux/keymap.h"
#include "pod/isolation.h"

/* Bits of struct config_float.iso_own: what a float's own isolation table
 * set. */
enum config_iso_field {
	CONFIG_ISO_PROFILE = 1 << 0,
	CONFIG_ISO_MEMORY = 1 << 1,
	CONFIG_ISO_CPU = 1 << 2,
	CONFIG_ISO_PIDS = 1 << 3,
	CONFIG_ISO_STRICT = 1 << 4,
	CONFIG_ISO_BIND = 1 << 5,
	CONFIG_ISO_RO_BIND = 1 << 6,
};

#define CONFIG_CENTER (-1) /* config_float.x/y: centred */

struct config_float {
	char key[8];    /* one character, UTF-8 */
	char *title;    /* never NULL (the key when not given) */
	char *command;  /* run as `/bin/sh -c COMMAND`; NULL: the user's shell */
	bool per_cwd;   /* one instance per working directory */
	bool sticky;    /* stays shown when switching tabs */
	bool exclusive; /* showing it hides the other floats */
	int width, height; /* percent of the terminal (the mux default when not
			      given) */
	bool own_size;
	int x, y;          /* percent of the terminal, or CONFIG_CENTER */
	/* defaults < ses.isolation < the float's own table ... */
	struct isolation isolation_lua;
	/* ... < the environment given to config_load. */
	struct isolation isolation;
	unsigned iso_own; /* CONFIG_ISO_* */
};

/* A tab's tree: a pane, or a split of two nodes. */
struct config_node {
	char split;      /* 0: a pane; 'v': side by side; 'h': top/bottom */
	double ratio;    /* split: share of the first child, 0.1 .. 0.9 */
	struct config_node *child[2];
	char *command;   /* pane: NULL = the user's shell */
	char *cwd;       /* pane: NULL = the session's directory; "~" expanded */
};

struct config_tab {
	char *name;
	struct config_node *root;
};

struct config_layout {
	char *name;
	bool enabled;
	struct config_float *floats;
	size_t nfloats;
	struct config_tab *tabs;
	size_t ntabs;
	char where[600]; /* "init.lua:12" */
};

enum config_status_position { CONFIG_STATUS_BOTTOM = 0, CONFIG_STATUS_TOP };

/* hexe.mux.config.setup{...}; the option table in src/lua/mux_options.c. */
struct config_mux {
	bool status_enabled;
	int status_position; /* enum config_status_position */
	uint32_t status_fg, status_bg;       /* core/cell.h colours */
	uint32_t border_color, border_active_color;
	bool mouse;
	int scrollback;      /* lines of history per pane */
	bool has_prefix;
	struct key_chord prefix;
	int float_width, float_height; /* default float size, percent */
	int escape_timeout;  /* ms */
};

struct config_strv {
	char **v;
	size_t n;
};

struct config_lua; /* the kept Lua state (mux only) */

struct hexe_config {
	char path[1024];
	bool found;        /* the file existed (missing = defaults) */
	struct isolation isolation_lua; /* defaults < Lua */
	struct isolation isolation;     /* defaults < Lua < environment */
	unsigned iso_lua_set;           /* CONFIG_ISO_* set by isolation.set */
	struct config_layout *layouts;  /* in definition order */
	size_t nlayouts;
	struct config_mux mux;
	/* Defaults, alt+KEY for the floats of every enabled layout, then
	 * hexe.mux.keymap.set, in that order; the prefix table when set. */
	struct keymap keymap;
	struct config_strv errors; /* "FILE:LINE: PATH: message", in order */
	struct config_strv output; /* print() lines: "FILE:LINE: text" */
	struct config_lua *lua;    /* CONFIG_KEEP_LUA and the file loaded */
};

enum config_flags {
	CONFIG_KEEP_LUA = 1 << 0, /* the mux: keep the state for bindings */
};

#define CONFIG_LOAD_TIMEOUT_MS 1000
#define CONFIG_CALL_TIMEOUT_MS 200
#define CONFIG_MEMORY_MAX (64u << 20)

/* Built-in defaults only (no file, no environment). */
void config_defaults(struct hexe_config *c);

/*
 * Load path (a missing file is not an error: defaults) and resolve the
 * isolation against envp (NULL-terminated "K=V"; NULL = none). 0, or -1
 * when c->errors is not empty: the settings are then the defaults (with
 * envp's overrides) and the errors say why. c is always initialised and
 * must be freed with config_free. To reload, load into a new struct and
 * swap it in on success (keep the old one and show the errors otherwise).
 */
int config_load(struct hexe_config *c, const char *path, char *const *envp,
		unsigned flags);
void config_free(struct hexe_config *c);

/* Writes the path, the print() lines and the errors to a log. */
void config_log(const struct hexe_config *c, struct hlog *log);

/*
 * The isolation of a new pane: the float's (f, may be NULL) or the global
 * Lua settings, then envp's overrides (the environment of the client that
 * asks for the pane), then isolation_check. 0, or -1 with err.
 */
int config_pane_isolation(const struct hexe_config *c,
			  const struct config_float *f, char *const *envp,
			  struct isolation *out, char *err, size_t errsz);

/* One isolation value as written ("512M", "50000 100000", "-" for none;
 * field: one CONFIG_ISO_* bit), for `config check` and logs. */
void config_iso_value(const struct isolation *iso, unsigned field, char *out,
		      size_t n);

/* The layout for a new session: name NULL → the enabled layout named
 * "default" (*out NULL when there is none: a plain shell). -1 with err
 * when name is unknown or disabled. */
int config_layout_pick(const struct hexe_config *c, const char *name,
		       const struct config_layout **out, char *err,
		       size_t errsz);
const struct config_float *config_float_find(const struct config_layout *l,
					     const char *key);

/*
 * The mux: run the Lua function of binding b (ACTION_LUA) in the kept
 * state, stopped after CONFIG_CALL_TIMEOUT_MS. Its print() goes to log
 * (may be NULL). The actions it asked for with hexe.mux.run(name, arg)
 * are written to out (at most max); returns their number, or -1 with err
 * ("init.lua:12: key ctrl+alt+q: ...") when it failed or ran too long.
 */
#define CONFIG_RUN_MAX 16
int config_lua_call(struct hexe_config *c, const struct binding *b,
		    struct hlog *log, struct action_req *out, int max,
		    char *err, size_t errsz);

/* `hexe config check [FILE]`: argv[0] is "check". Prints the errors and
 * returns 1, or prints the resolved settings and returns 0. */
int config_check_main(int argc, char **argv);

/* The reference tables of docs/config.md (fields, options, actions,
 * default keymap), generated from the tables the loader uses. */
void config_reference(FILE *f);

#endif
