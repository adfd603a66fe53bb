/*
 * config_int — what the files of src/lua/ share: the Lua context, the
 * field tables that the parser, the validator, `hexe config check` and the
 * reference docs all read, and the error helpers. Nothing outside
 * src/lua/ includes this.
 */
#ifndef HEXE_CONFIG_INT_H
#define HEXE_CONFIG_INT_H

#include <lua.h>
#include <stdarg.h>

#include "lua/config.h"

enum config_mode {
	CL_IDLE = 0,
	CL_LOADING, /* running the file: hexe.* setters work */
	CL_CALLING, /* running a key binding: hexe.mux.run works */
};

/* One user's hexe.mux.keymap.set entry, applied after the load. */
struct keymap_op {
	struct binding b;
	bool unbind;
	char chord_text[64]; /* as written */
	char where[700];     /* "FILE:LINE" of the keymap.set call */
};

/* The Lua state and what its C functions need: one per load; the mux
 * keeps it (struct hexe_config.lua) for the key bindings. */
struct config_lua {
	lua_State *L;
	size_t mem, mem_max;
	bool mem_refused;
	uint64_t deadline;  /* now_ms() after which the hook stops the code */
	bool timed_out;
	char timeout_msg[800];
	enum config_mode mode;
	char path[1024];

	/* CL_LOADING */
	struct hexe_config *c;
	char where[700];    /* "FILE:LINE" of the hexe.* call being checked */
	int depth;          /* of nested splits being read */
	char iso_where[700]; /* the last hexe.ses.isolation.set call */
	size_t noutput_dropped;
	struct keymap_op *kops;
	size_t nkops, capkops;

	/* CL_CALLING */
	struct hlog *log;
	struct action_req *out;
	int nout, maxout;
	char call_err[600];
};

/* ---- field tables ---- */

#define LT(t) (1u << (t))

struct field;
/* Apply the value at the top of the stack (already of an accepted Lua
 * type) to obj. path is the field's path ("ses.isolation.memory").
 * Errors go through config_error; the return value is ignored. */
typedef void (*field_set_fn)(struct config_lua *cl, const struct field *f,
			     void *obj, const char *path);

struct field {
	const char *name;
	unsigned ltypes;   /* LT(LUA_TSTRING) | ... */
	const char *type;  /* as the docs and errors say it */
	const char *expect; /* for a wrong type, when more helpful than type */
	const char *def;   /* the default, as the docs show it */
	const char *help;
	field_set_fn set;  /* NULL with sub: a table of named fields */
	const struct field *sub;
	size_t off;        /* generic setters: where in obj */
	long min, max;     /* field_int */
	const char *const *choices; /* field_enum, NULL-terminated */
};

/* Check every key of the table at stack index idx against fields (ended
 * by a NULL name), then call each present field's setter in the table's
 * order. Unknown keys, non-string keys and wrong types are errors.
 * Returns the bit mask of the fields present (by index). */
unsigned fields_apply(struct config_lua *cl, const struct field *fields,
		      void *obj, int idx, const char *path);
/* Index of name in fields, -1 if absent. */
int field_index(const struct field *fields, const char *name);

/* Generic setters (off, min, max, choices from the field). */
void field_bool(struct config_lua *cl, const struct field *f, void *obj,
		const char *path);
void field_int(struct config_lua *cl, const struct field *f, void *obj,
	       const char *path);
void field_string(struct config_lua *cl, const struct field *f, void *obj,
		  const char *path); /* char * owned by obj */
void field_enum(struct config_lua *cl, const struct field *f, void *obj,
		const char *path);  /* int: the index in choices */
void field_color(struct config_lua *cl, const struct field *f, void *obj,
		 const char *path); /* uint32_t, core/cell.h */

/* The tables (api_ses.c, api_mux.c), for check.c and config_reference. */
extern const struct field config_isolation_fields[];
extern const struct field config_layout_fields[];
extern const struct field config_float_fields[];
extern const struct field config_attributes_fields[];
extern const struct field config_size_fields[];
extern const struct field config_position_fields[];
extern const struct field config_tab_fields[];
extern const struct field config_node_fields[];
extern const struct field config_mux_fields[];

/* ---- errors and names ---- */

/* Records "WHERE: " + message (WHERE: cl->where, the current call). */
void config_error(struct config_lua *cl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Records message as it is. */
void config_error_raw(struct hexe_config *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void config_strv_add(struct config_strv *v, const char *s);
void config_strv_free(struct config_strv *v);

/* The candidate nearest to word (optimal string alignment distance), or
 * NULL when none is close enough to be a typo. */
const char *config_suggest(const char *word, const char *const *cands,
			   size_t n);
/* "; did you mean \"x\"?" or "" */
void config_suggest_text(const char *word, const char *const *cands,
			 size_t n, char *out, size_t outsz);
/* "string \"lots\"", "number 512", "boolean true", "table" */
void config_describe_value(lua_State *L, int idx, char *out, size_t n);

/* "~" or "~/x" in cwd → $HOME/x (from envp, else getenv). */
char *config_expand_home(const char *s);

/* ---- the hexe.* functions (api_ses.c, api_mux.c) ---- */

int config_api_isolation_set(lua_State *L);
int config_api_layout_define(lua_State *L);
int config_api_keymap_set(lua_State *L);
int config_api_mux_setup(lua_State *L);
int config_api_mux_run(lua_State *L);

/* Where a hexe.* call is being made from (sets cl->where); NULL and a Lua
 * error when the function is used outside a load. */
struct config_lua *config_api_enter(lua_State *L, const char *fname);
struct config_lua *config_lua_of(lua_State *L);

/* Applies one isolation table (at idx) onto iso, recording Lua as the
 * source; *set gets CONFIG_ISO_* bits. */
void config_isolation_apply(struct config_lua *cl, struct isolation *iso,
			    unsigned *set, int idx, const char *path);

/* After the load (config.c): layouts' floats, keymap ops. */
void config_finish_floats(struct config_lua *cl);
void config_finish_keymap(struct config_lua *cl);

void config_layout_free(struct config_layout *l);
void config_mux_defaults(struct config_mux *m);

#endif
