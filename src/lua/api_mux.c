/*
 * api_mux — hexe.mux.config.setup (the mux option table), hexe.mux.keymap.set
 * and hexe.mux.run (for functions bound to keys).
 */
#include <lauxlib.h>
#include <lua.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cell.h"
#include "core/util.h"
#include "lua/config_int.h"

/* ---- hexe.mux.config.setup ---- */

static const char *const position_choices[] = { "bottom", "top", NULL };

static void
opt_prefix(struct config_lua *cl, const struct field *f, void *obj,
	   const char *path)
{
	struct config_mux *m = obj;
	char err[300];
	struct key_chord kc;

	(void)f;
	if (lua_type(cl->L, -1) == LUA_TBOOLEAN) {
		if (lua_toboolean(cl->L, -1)) {
			config_error(cl, "%s: expected a key chord such as \"ctrl+b\", "
				     "or false for none, got true", path);
			return;
		}
		m->has_prefix = false;
		return;
	}
	if (key_chord_parse(lua_tostring(cl->L, -1), &kc, err, sizeof err) < 0) {
		config_error(cl, "%s: %s (expected a key chord such as \"ctrl+b\")",
			     path, err);
		return;
	}
	m->has_prefix = true;
	m->prefix = kc;
}

static const struct field status_fields[] = {
	{ .name = "enabled", .ltypes = LT(LUA_TBOOLEAN), .type = "boolean",
	  .def = "true", .set = field_bool,
	  .off = offsetof(struct config_mux, status_enabled),
	  .help = "show the status bar (session, tabs, clock)" },
	{ .name = "position", .ltypes = LT(LUA_TSTRING), .type = "string",
	  .def = "\"bottom\"", .set = field_enum, .choices = position_choices,
	  .off = offsetof(struct config_mux, status_position),
	  .help = "\"top\" or \"bottom\"" },
	{ .name = "fg", .ltypes = LT(LUA_TSTRING) | LT(LUA_TNUMBER),
	  .type = "colour", .def = "\"black\"", .set = field_color,
	  .off = offsetof(struct config_mux, status_fg),
	  .help = "the status bar's text colour" },
	{ .name = "bg", .ltypes = LT(LUA_TSTRING) | LT(LUA_TNUMBER),
	  .type = "colour", .def = "\"green\"", .set = field_color,
	  .off = offsetof(struct config_mux, status_bg),
	  .help = "the status bar's background colour" },
	{ 0 },
};

static const struct field border_fields[] = {
	{ .name = "color", .ltypes = LT(LUA_TSTRING) | LT(LUA_TNUMBER),
	  .type = "colour", .def = "\"bright_black\"", .set = field_color,
	  .off = offsetof(struct config_mux, border_color),
	  .help = "borders between panes and around floats" },
	{ .name = "active_color", .ltypes = LT(LUA_TSTRING) | LT(LUA_TNUMBER),
	  .type = "colour", .def = "\"green\"", .set = field_color,
	  .off = offsetof(struct config_mux, border_active_color),
	  .help = "the focused pane's border" },
	{ 0 },
};

static const struct field float_size_fields[] = {
	{ .name = "width", .ltypes = LT(LUA_TNUMBER), .type = "number",
	  .def = "80", .set = field_int, .min = 10, .max = 100,
	  .off = offsetof(struct config_mux, float_width),
	  .help = "a float's width when it has no size, percent (10-100)" },
	{ .name = "height", .ltypes = LT(LUA_TNUMBER), .type = "number",
	  .def = "80", .set = field_int, .min = 10, .max = 100,
	  .off = offsetof(struct config_mux, float_height),
	  .help = "a float's height when it has no size, percent (10-100)" },
	{ 0 },
};

const struct field config_mux_fields[] = {
	{ .name = "status", .ltypes = LT(LUA_TTABLE), .type = "table",
	  .def = "", .sub = status_fields, .help = "the status bar" },
	{ .name = "border", .ltypes = LT(LUA_TTABLE), .type = "table",
	  .def = "", .sub = border_fields, .help = "pane borders" },
	{ .name = "mouse", .ltypes = LT(LUA_TBOOLEAN), .type = "boolean",
	  .def = "true", .set = field_bool,
	  .off = offsetof(struct config_mux, mouse),
	  .help = "click to focus, wheel to scroll (hold Shift for the "
		  "terminal's own selection)" },
	{ .name = "scrollback", .ltypes = LT(LUA_TNUMBER), .type = "number",
	  .def = "10000", .set = field_int, .min = 0, .max = 1000000,
	  .off = offsetof(struct config_mux, scrollback),
	  .help = "lines of history kept per pane (0-1000000)" },
	{ .name = "prefix", .ltypes = LT(LUA_TSTRING) | LT(LUA_TBOOLEAN),
	  .type = "key chord or false", .def = "false (none)", .set = opt_prefix,
	  .help = "a tmux-style prefix: prefix, then an action's key" },
	{ .name = "float", .ltypes = LT(LUA_TTABLE), .type = "table",
	  .def = "", .sub = float_size_fields, .help = "float defaults" },
	{ .name = "escape_timeout", .ltypes = LT(LUA_TNUMBER), .type = "number",
	  .def = "25", .set = field_int, .min = 0, .max = 1000,
	  .off = offsetof(struct config_mux, escape_timeout),
	  .help = "ms to wait after Escape for the rest of a key (0-1000)" },
	{ 0 },
};

void
config_mux_defaults(struct config_mux *m)
{
	memset(m, 0, sizeof *m);
	m->status_enabled = true;
	m->status_position = CONFIG_STATUS_BOTTOM;
	m->status_fg = COLOR_INDEX(0);
	m->status_bg = COLOR_INDEX(2);
	m->border_color = COLOR_INDEX(8);
	m->border_active_color = COLOR_INDEX(2);
	m->mouse = true;
	m->scrollback = 10000;
	m->has_prefix = false;
	m->float_width = 80;
	m->float_height = 80;
	m->escape_timeout = 25;
}

int
config_api_mux_setup(lua_State *L)
{
	struct config_lua *cl = config_api_enter(L, "hexe.mux.config.setup");
	char got[120];

	if (lua_type(L, 1) != LUA_TTABLE) {
		config_describe_value(L, 1, got, sizeof got);
		config_error(cl, "mux.config: expected a table { status = { ... }, "
			     "mouse = ..., ... }, got %s", got);
		return 0;
	}
	fields_apply(cl, config_mux_fields, &cl->c->mux, 1, "mux.config");
	return 0;
}

/* ---- hexe.mux.keymap.set ---- */

static void
action_names(const char **names, size_t *n, char *list, size_t listsz)
{
	size_t nt, len = 0;
	const struct action_def *t = action_table(&nt);

	list[0] = '\0';
	for (size_t i = 0; i < nt; i++) {
		names[i] = t[i].name;
		len += snprintf(list + len, len < listsz ? listsz - len : 0, "%s%s",
				i ? ", " : "", t[i].name);
	}
	*n = nt;
}

/* The action named by name (with the value at idx as its argument, or
 * none when idx is 0) into req; -1 with err. */
static int
parse_req(lua_State *L, const char *name, int idx, struct action_req *req,
	  char *err, size_t errsz)
{
	const struct action_def *d = action_find(name);
	const char *names[ACTION_COUNT];
	char list[800], hint[120];
	size_t n;
	int ok;

	memset(req, 0, sizeof *req);
	if (!d) {
		action_names(names, &n, list, sizeof list);
		config_suggest_text(name, names, n, hint, sizeof hint);
		snprintf(err, errsz, "unknown action \"%s\"%s (actions: %s)", name,
			 hint, list);
		return -1;
	}
	req->action = d->id;
	if (d->arg == ACTION_ARG_NONE) {
		if (idx) {
			snprintf(err, errsz, "%s takes no argument", d->name);
			return -1;
		}
		return 0;
	}
	if (!idx) {
		snprintf(err, errsz, "%s needs an argument: { \"%s\", %s }", d->name,
			 d->name, d->arg == ACTION_ARG_NUMBER ? "3" : "\"1\"");
		return -1;
	}
	if (d->arg == ACTION_ARG_NUMBER) {
		lua_Integer v = 0;

		ok = 0;
		if (lua_type(L, idx) == LUA_TNUMBER)
			v = lua_tointegerx(L, idx, &ok);
		if (!ok || v < 1 || v > 99) {
			char got[120];

			config_describe_value(L, idx, got, sizeof got);
			snprintf(err, errsz, "%s: expected a tab number 1-99, got %s",
				 d->name, got);
			return -1;
		}
		req->num = (int)v;
		snprintf(req->arg, sizeof req->arg, "%d", (int)v);
		return 0;
	}
	/* A float key: a one-character string, or a digit as a number. */
	if (lua_type(L, idx) == LUA_TNUMBER) {
		lua_Integer v = lua_tointegerx(L, idx, &ok);

		if (ok && v >= 0 && v <= 9) {
			snprintf(req->arg, sizeof req->arg, "%d", (int)v);
			return 0;
		}
	} else if (lua_type(L, idx) == LUA_TSTRING &&
		   lua_rawlen(L, idx) > 0 && lua_rawlen(L, idx) <= 4) {
		snprintf(req->arg, sizeof req->arg, "%s", lua_tostring(L, idx));
		return 0;
	}
	{
		char got[120];

		config_describe_value(L, idx, got, sizeof got);
		snprintf(err, errsz, "%s: expected a float's key (\"1\"), got %s",
			 d->name, got);
	}
	return -1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
kops_add(struct config_lua *cl, const struct keymap_op *op)
{
	if (cl->nkops == cl->capkops) {
		cl->capkops = cl->capkops ? cl->capkops * 2 : 16;
		cl->kops = xrealloc(cl->kops, cl->capkops * sizeof *cl->kops);
	}
	cl->kops[cl->nkops++] = *op;
}

/* One entry: the chord text at keys[i], its value at the top. */
static void
keymap_entry(struct config_lua *cl, const char *chord, const char *path,
	     size_t first_op)
{
	lua_State *L = cl->L;
	struct keymap_op op;
	char err[1200], got[120];
	lua_Debug ar;

	memset(&op, 0, sizeof op);
	op.b.lua_ref = LUA_NOREF;
	snprintf(op.chord_text, sizeof op.chord_text, "%s", chord);
	snprintf(op.where, sizeof op.where, "%s", cl->where);
	if (key_chord_parse(chord, &op.b.chord, err, sizeof err) < 0) {
		config_error(cl, "%s: %s (expected a key chord such as "
			     "\"ctrl+alt+d\")", path, err);
		return;
	}
	for (size_t k = first_op; k < cl->nkops; k++) {
		if (cl->kops[k].b.chord.key == op.b.chord.key &&
		    cl->kops[k].b.chord.mods == op.b.chord.mods) {
			config_error(cl, "%s: the same chord as \"%s\" in this table",
				     path, cl->kops[k].chord_text);
			return;
		}
	}
	switch (lua_type(L, -1)) {
	case LUA_TBOOLEAN:
		if (lua_toboolean(L, -1))
			goto bad;
		op.unbind = true;
		break;
	case LUA_TSTRING:
		if (parse_req(L, lua_tostring(L, -1), 0, &op.b.req, err,
			      sizeof err) < 0) {
			config_error(cl, "%s: %s", path, err);
			return;
		}
		break;
	case LUA_TTABLE: {
		lua_Integer n = (lua_Integer)lua_rawlen(L, -1), count = 0;

		lua_pushnil(L);
		while (lua_next(L, -2)) {
			lua_pop(L, 1);
			count++;
		}
		lua_rawgeti(L, -1, 1);
		if (count != n || n < 1 || n > 2 || lua_type(L, -1) != LUA_TSTRING) {
			lua_pop(L, 1);
			goto bad;
		}
		lua_rawgeti(L, -2, 2);
		if (parse_req(L, lua_tostring(L, -2), n == 2 ? lua_gettop(L) : 0,
			      &op.b.req, err, sizeof err) < 0) {
			lua_pop(L, 2);
			config_error(cl, "%s: %s", path, err);
			return;
		}
		lua_pop(L, 2);
		break;
	}
	case LUA_TFUNCTION:
		op.b.req.action = ACTION_LUA;
		lua_pushvalue(L, -1);
		if (lua_getinfo(L, ">S", &ar) && ar.source[0] == '@')
			snprintf(op.b.where, sizeof op.b.where, "%s:%d", ar.source + 1,
				 ar.linedefined);
		else
			snprintf(op.b.where, sizeof op.b.where, "%s:%d", ar.short_src,
				 ar.linedefined);
		lua_pushvalue(L, -1);
		op.b.lua_ref = luaL_ref(L, LUA_REGISTRYINDEX);
		break;
	default:
		goto bad;
	}
	kops_add(cl, &op);
	return;
bad:
	config_describe_value(L, -1, got, sizeof got);
	config_error(cl, "%s: expected an action name (\"detach\"), { action, "
		     "argument } ({ \"float.toggle\", \"1\" }), a function, or "
		     "false to unbind, got %s", path, got);
}

int
config_api_keymap_set(lua_State *L)
{
	struct config_lua *cl = config_api_enter(L, "hexe.mux.keymap.set");
	size_t n = 0, k = 0, first_op = cl->nkops;
	const char **keys;
	char path[200], got[120];

	if (lua_type(L, 1) != LUA_TTABLE) {
		config_describe_value(L, 1, got, sizeof got);
		config_error(cl, "mux.keymap: expected a table { [\"ctrl+alt+d\"] = "
			     "\"detach\", ... }, got %s", got);
		return 0;
	}
	lua_settop(L, 1);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		n++;
		lua_pop(L, 1);
	}
	keys = lua_newuserdatauv(L, (n ? n : 1) * sizeof *keys, 0);
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING) {
			keys[k++] = lua_tostring(L, -1);
			continue;
		}
		config_describe_value(L, -1, got, sizeof got);
		config_error(cl, "mux.keymap: unexpected entry [%s]: expected "
			     "[\"chord\"] = action", got);
	}
	qsort(keys, k, sizeof *keys, cmp_str);
	for (size_t i = 0; i < k; i++) {
		snprintf(path, sizeof path, "mux.keymap[\"%s\"]", keys[i]);
		lua_pushstring(L, keys[i]);
		lua_rawget(L, 1);
		keymap_entry(cl, keys[i], path, first_op);
		lua_pop(L, 1);
	}
	return 0;
}

/* Float keys of the enabled layouts, each once, in definition order. */
static size_t
float_keys(const struct hexe_config *c, const char **keys, size_t max)
{
	size_t n = 0;

	for (size_t li = 0; li < c->nlayouts; li++) {
		if (!c->layouts[li].enabled)
			continue;
		for (size_t i = 0; i < c->layouts[li].nfloats; i++) {
			const char *key = c->layouts[li].floats[i].key;
			bool seen = !key[0];

			for (size_t k = 0; k < n && !seen; k++)
				seen = strcmp(keys[k], key) == 0;
			if (!seen && n < max)
				keys[n++] = key;
		}
	}
	return n;
}

void
config_finish_keymap(struct config_lua *cl)
{
	struct hexe_config *c = cl->c;
	const char *keys[256];
	size_t nkeys = float_keys(c, keys, ARRAY_SIZE(keys));

	keymap_free(&c->keymap);
	keymap_add_defaults(&c->keymap, keys, nkeys);
	for (size_t i = 0; i < cl->nkops; i++) {
		struct keymap_op *op = &cl->kops[i];
		bool known = false;

		if (op->unbind) {
			keymap_unbind(&c->keymap, &op->b.chord);
			continue;
		}
		if (op->b.req.action == ACTION_FLOAT_TOGGLE) {
			char list[600];
			size_t len = 0;

			list[0] = '\0';
			for (size_t k = 0; k < nkeys; k++) {
				known = known || strcmp(keys[k], op->b.req.arg) == 0;
				len += snprintf(list + len,
						len < sizeof list ? sizeof list - len : 0,
						"%s\"%s\"", k ? ", " : "", keys[k]);
			}
			if (!known) {
				snprintf(cl->where, sizeof cl->where, "%s", op->where);
				config_error(cl, "mux.keymap[\"%s\"]: float.toggle \"%s\": "
					     "no enabled layout has a float with that "
					     "key (float keys: %s)", op->chord_text,
					     op->b.req.arg, nkeys ? list : "none");
				continue;
			}
		}
		keymap_bind(&c->keymap, &op->b);
	}
	if (c->mux.has_prefix)
		keymap_set_prefix(&c->keymap, &c->mux.prefix, keys, nkeys);
}

/* ---- hexe.mux.run, from a function bound to a key ---- */

int
config_api_mux_run(lua_State *L)
{
	struct config_lua *cl = config_lua_of(L);
	struct action_req req;
	char err[1200];

	if (cl->mode != CL_CALLING)
		return luaL_error(L, "hexe.mux.run: only from a function bound to "
				  "a key (hexe.mux.keymap.set)");
	luaL_checktype(L, 1, LUA_TSTRING);
	if (parse_req(L, lua_tostring(L, 1), lua_gettop(L) >= 2 ? 2 : 0, &req, err,
		      sizeof err) < 0)
		return luaL_error(L, "hexe.mux.run: %s", err);
	if (cl->nout >= cl->maxout)
		return luaL_error(L, "hexe.mux.run: more than %d actions in one "
				  "key press", cl->maxout);
	cl->out[cl->nout++] = req;
	return 0;
}
