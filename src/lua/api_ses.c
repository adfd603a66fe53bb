/*
 * api_ses — hexe.ses.isolation.set and hexe.ses.layout.define: their field
 * tables and setters. Limits go through pod/isolation.c's parsers, so a
 * bad value reads the same whether it came from Lua or the environment.
 */
#include <lauxlib.h>
#include <lua.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "lua/config_int.h"

#define NODE_DEPTH_MAX 16
#define FLOATS_MAX 64
#define TABS_MAX 64

/* ---- isolation ---- */

/* What the isolation setters write to: the global settings or a float's
 * own layer. */
struct iso_obj {
	struct isolation *iso;
	unsigned *set;
};

static const char *const profile_list[] = { "none", "minimal", "default",
					    "balanced", "full" };

static void
iso_profile(struct config_lua *cl, const struct field *f, void *obj,
	    const char *path)
{
	struct iso_obj *o = obj;
	const char *s = lua_tostring(cl->L, -1);
	char err[400], hint[120];

	(void)f;
	if (isolation_parse_profile(path, s, &o->iso->profile, err, sizeof err) < 0) {
		config_suggest_text(s, profile_list, ARRAY_SIZE(profile_list), hint,
				    sizeof hint);
		config_error(cl, "%s%s", err, hint);
		return;
	}
	o->iso->src_profile = ISO_SRC_LUA;
	*o->set |= CONFIG_ISO_PROFILE;
}

static void
iso_memory(struct config_lua *cl, const struct field *f, void *obj,
	   const char *path)
{
	struct iso_obj *o = obj;
	const char *s = lua_tostring(cl->L, -1);
	char err[400];

	(void)f;
	if (isolation_parse_memory(path, s, &o->iso->memory, err, sizeof err) < 0) {
		config_error(cl, "%s", err);
		return;
	}
	snprintf(o->iso->memory_text, sizeof o->iso->memory_text, "%s", s);
	o->iso->src_memory = ISO_SRC_LUA;
	*o->set |= CONFIG_ISO_MEMORY;
}

static void
iso_cpu(struct config_lua *cl, const struct field *f, void *obj,
	const char *path)
{
	struct iso_obj *o = obj;
	const char *s = lua_tostring(cl->L, -1);
	char err[400];

	(void)f;
	if (isolation_parse_cpu(path, s, &o->iso->cpu_quota, &o->iso->cpu_period,
				err, sizeof err) < 0) {
		config_error(cl, "%s", err);
		return;
	}
	snprintf(o->iso->cpu_text, sizeof o->iso->cpu_text, "%s", s);
	o->iso->src_cpu = ISO_SRC_LUA;
	*o->set |= CONFIG_ISO_CPU;
}

static void
iso_pids(struct config_lua *cl, const struct field *f, void *obj,
	 const char *path)
{
	struct iso_obj *o = obj;
	char text[64], err[400];
	int ok;

	(void)f;
	if (lua_type(cl->L, -1) == LUA_TNUMBER) {
		lua_Integer v = lua_tointegerx(cl->L, -1, &ok);

		if (ok)
			snprintf(text, sizeof text, "%lld", (long long)v);
		else
			snprintf(text, sizeof text, "%.14g", lua_tonumber(cl->L, -1));
	} else {
		snprintf(text, sizeof text, "%s", lua_tostring(cl->L, -1));
	}
	if (isolation_parse_pids(path, text, &o->iso->pids, err, sizeof err) < 0) {
		config_error(cl, "%s", err);
		return;
	}
	snprintf(o->iso->pids_text, sizeof o->iso->pids_text, "%s", text);
	o->iso->src_pids = ISO_SRC_LUA;
	*o->set |= CONFIG_ISO_PIDS;
}

static void
iso_strict(struct config_lua *cl, const struct field *f, void *obj,
	   const char *path)
{
	struct iso_obj *o = obj;

	(void)f;
	(void)path;
	o->iso->strict = lua_toboolean(cl->L, -1);
	o->iso->src_strict = ISO_SRC_LUA;
	*o->set |= CONFIG_ISO_STRICT;
}

/* The length of the list at the top of the stack: keys 1..n only; -1
 * after an error. */
static int
list_len(struct config_lua *cl, const char *path, const char *what)
{
	lua_State *L = cl->L;
	lua_Integer n = (lua_Integer)lua_rawlen(L, -1), count = 0;

	lua_pushnil(L);
	while (lua_next(L, -2)) {
		lua_pop(L, 1);
		count++;
		if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
		    lua_tointeger(L, -1) > n) {
			char got[120];

			config_describe_value(L, -1, got, sizeof got);
			lua_pop(L, 1);
			config_error(cl, "%s: expected a list %s, found the key [%s]",
				     path, what, got);
			return -1;
		}
	}
	if (count != n) {
		config_error(cl, "%s: expected a list %s without holes", path, what);
		return -1;
	}
	return (int)n;
}

static void
iso_mounts(struct config_lua *cl, const struct field *f, void *obj,
	   const char *path)
{
	struct iso_obj *o = obj;
	struct isolation *iso = o->iso;
	bool ro = strcmp(f->name, "ro_bind") == 0;
	struct iso_mount m[ISO_MOUNTS_MAX];
	int n = list_len(cl, path, "of \"/src:/dst\" strings"), nm = 0;
	char ipath[640], err[1400], got[120];
	bool bad = false;

	if (n < 0)
		return;
	for (int i = 1; i <= n; i++) {
		snprintf(ipath, sizeof ipath, "%s[%d]", path, i);
		lua_rawgeti(cl->L, -1, i);
		if (lua_type(cl->L, -1) != LUA_TSTRING) {
			config_describe_value(cl->L, -1, got, sizeof got);
			config_error(cl, "%s: expected a string \"/host/path:/pod/path\", "
				     "got %s", ipath, got);
			bad = true;
		} else if (nm >= ISO_MOUNTS_MAX) {
			config_error(cl, "%s: more than %d bind mounts", ipath,
				     ISO_MOUNTS_MAX);
			bad = true;
		} else if (isolation_parse_mount(ipath, lua_tostring(cl->L, -1), ro,
						 &m[nm], err, sizeof err) < 0) {
			config_error(cl, "%s", err);
			bad = true;
		} else {
			nm++;
		}
		lua_pop(cl->L, 1);
	}
	if (bad)
		return;
	/* Replace this kind's list; keep the other kind's. */
	int k = 0;

	for (int i = 0; i < iso->nmounts; i++)
		if (iso->mounts[i].ro != ro)
			iso->mounts[k++] = iso->mounts[i];
	iso->nmounts = k;
	for (int i = 0; i < nm; i++) {
		if (iso->nmounts >= ISO_MOUNTS_MAX) {
			config_error(cl, "%s: more than %d bind mounts in all", path,
				     ISO_MOUNTS_MAX);
			return;
		}
		iso->mounts[iso->nmounts++] = m[i];
	}
	*o->set |= ro ? CONFIG_ISO_RO_BIND : CONFIG_ISO_BIND;
}

const struct field config_isolation_fields[] = {
	{ .name = "profile", .ltypes = LT(LUA_TSTRING), .type = "string",
	  .def = "\"default\"", .set = iso_profile,
	  .expect = "a profile name (\"none\", \"minimal\", \"default\", "
		    "\"balanced\" or \"full\")",
	  .help = "isolation profile: \"none\", \"minimal\", \"default\", "
		  "\"balanced\" or \"full\"" },
	{ .name = "memory", .ltypes = LT(LUA_TSTRING), .type = "string",
	  .def = "nil (no limit)", .set = iso_memory,
	  .expect = "a string such as \"512M\" or \"1G\"",
	  .help = "memory limit: \"512M\", \"1G\", \"2048M\" (M = MiB, G = GiB; "
		  "K and T too), at least 1M" },
	{ .name = "cpu", .ltypes = LT(LUA_TSTRING), .type = "string",
	  .def = "nil (no limit)", .set = iso_cpu,
	  .expect = "a string \"quota period\" such as \"50000 100000\"",
	  .help = "CPU quota \"quota period\" in microseconds: \"50000 100000\" "
		  "is half a core" },
	{ .name = "pids", .ltypes = LT(LUA_TNUMBER) | LT(LUA_TSTRING),
	  .type = "number or numeric string", .def = "nil (no limit)",
	  .expect = "a number or a numeric string",
	  .set = iso_pids, .help = "maximum number of processes: 100 or \"500\"" },
	{ .name = "strict", .ltypes = LT(LUA_TBOOLEAN), .type = "boolean",
	  .def = "false", .set = iso_strict,
	  .help = "refuse to start a pane whose limits cannot be applied "
		  "(otherwise it starts with a warning)" },
	{ .name = "bind", .ltypes = LT(LUA_TTABLE),
	  .type = "list of strings", .def = "{}", .set = iso_mounts,
	  .help = "host paths to bind into the pane, \"/src:/dst\" or \"/path\" "
		  "(needs profile \"balanced\" or \"full\")" },
	{ .name = "ro_bind", .ltypes = LT(LUA_TTABLE),
	  .type = "list of strings", .def = "{}", .set = iso_mounts,
	  .help = "as bind, read-only" },
	{ 0 },
};

void
config_isolation_apply(struct config_lua *cl, struct isolation *iso,
		       unsigned *set, int idx, const char *path)
{
	struct iso_obj o = { iso, set };

	fields_apply(cl, config_isolation_fields, &o, idx, path);
}

int
config_api_isolation_set(lua_State *L)
{
	struct config_lua *cl = config_api_enter(L, "hexe.ses.isolation.set");
	char got[120];

	if (lua_type(L, 1) != LUA_TTABLE) {
		config_describe_value(L, 1, got, sizeof got);
		config_error(cl, "ses.isolation: expected a table { profile = ..., "
			     "memory = ..., cpu = ..., pids = ... }, got %s", got);
		return 0;
	}
	snprintf(cl->iso_where, sizeof cl->iso_where, "%s", cl->where);
	config_isolation_apply(cl, &cl->c->isolation_lua, &cl->c->iso_lua_set, 1,
			       "ses.isolation");
	return 0;
}

/* ---- layouts ---- */

static const char *const split_list[] = { "h", "v" };

static void
float_key(struct config_lua *cl, const struct field *f, void *obj,
	  const char *path)
{
	struct config_float *fl = obj;
	const unsigned char *s = (const unsigned char *)lua_tostring(cl->L, -1);
	size_t len = strlen((const char *)s), want;
	char chord[32];
	struct key_chord kc;

	(void)f;
	want = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 :
	       (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	snprintf(chord, sizeof chord, "alt+%s", (const char *)s);
	if (len == 0 || want == 0 || len != want || s[0] <= ' ' || s[0] == 0x7f ||
	    key_chord_parse(chord, &kc, NULL, 0) < 0) {
		config_error(cl, "%s: expected one character (\"1\", \"e\"), got "
			     "\"%s\"", path, (const char *)s);
		return;
	}
	snprintf(fl->key, sizeof fl->key, "%s", (const char *)s);
}

static void
float_position(struct config_lua *cl, const struct field *f, void *obj,
	       const char *path)
{
	struct config_float *fl = obj;

	(void)f;
	if (lua_type(cl->L, -1) == LUA_TTABLE) {
		fields_apply(cl, config_position_fields, obj, -1, path);
		return;
	}
	if (strcmp(lua_tostring(cl->L, -1), "center") != 0) {
		config_error(cl, "%s: expected \"center\" or a table { x = 10, "
			     "y = 10 } (percent of the terminal), got \"%s\"",
			     path, lua_tostring(cl->L, -1));
		return;
	}
	fl->x = fl->y = CONFIG_CENTER;
}

static void
float_size(struct config_lua *cl, const struct field *f, void *obj,
	   const char *path)
{
	struct config_float *fl = obj;

	(void)f;
	fields_apply(cl, config_size_fields, obj, -1, path);
	fl->own_size = true;
}

static void
float_isolation(struct config_lua *cl, const struct field *f, void *obj,
		const char *path)
{
	struct config_float *fl = obj;

	(void)f;
	config_isolation_apply(cl, &fl->isolation_lua, &fl->iso_own, -1, path);
}

const struct field config_attributes_fields[] = {
	{ .name = "per_cwd", .ltypes = LT(LUA_TBOOLEAN), .type = "boolean",
	  .def = "false", .set = field_bool,
	  .off = offsetof(struct config_float, per_cwd),
	  .help = "one instance per working directory (of the focused pane) "
		  "instead of one per session" },
	{ .name = "sticky", .ltypes = LT(LUA_TBOOLEAN), .type = "boolean",
	  .def = "false", .set = field_bool,
	  .off = offsetof(struct config_float, sticky),
	  .help = "stays shown when you switch tabs (otherwise it hides)" },
	{ .name = "exclusive", .ltypes = LT(LUA_TBOOLEAN), .type = "boolean",
	  .def = "false", .set = field_bool,
	  .off = offsetof(struct config_float, exclusive),
	  .help = "showing it hides every other float" },
	{ 0 },
};

const struct field config_size_fields[] = {
	{ .name = "width", .ltypes = LT(LUA_TNUMBER), .type = "number",
	  .def = "mux float.width (80)", .set = field_int, .min = 1, .max = 100,
	  .off = offsetof(struct config_float, width),
	  .help = "percent of the terminal's width, 1-100" },
	{ .name = "height", .ltypes = LT(LUA_TNUMBER), .type = "number",
	  .def = "mux float.height (80)", .set = field_int, .min = 1, .max = 100,
	  .off = offsetof(struct config_float, height),
	  .help = "percent of the terminal's height, 1-100" },
	{ 0 },
};

const struct field config_position_fields[] = {
	{ .name = "x", .ltypes = LT(LUA_TNUMBER), .type = "number",
	  .def = "centred", .set = field_int, .min = 0, .max = 99,
	  .off = offsetof(struct config_float, x),
	  .help = "left edge, percent of the terminal's width, 0-99" },
	{ .name = "y", .ltypes = LT(LUA_TNUMBER), .type = "number",
	  .def = "centred", .set = field_int, .min = 0, .max = 99,
	  .off = offsetof(struct config_float, y),
	  .help = "top edge, percent of the terminal's height, 0-99" },
	{ 0 },
};

const struct field config_float_fields[] = {
	{ .name = "key", .ltypes = LT(LUA_TSTRING), .type = "string",
	  .def = "required", .set = float_key,
	  .help = "one character: alt+KEY (and prefix KEY) toggles the float" },
	{ .name = "title", .ltypes = LT(LUA_TSTRING), .type = "string",
	  .def = "the key", .set = field_string,
	  .off = offsetof(struct config_float, title),
	  .help = "shown in the float's border" },
	{ .name = "command", .ltypes = LT(LUA_TSTRING), .type = "string",
	  .def = "your shell", .set = field_string,
	  .off = offsetof(struct config_float, command),
	  .help = "run as /bin/sh -c COMMAND in the float's pane" },
	{ .name = "attributes", .ltypes = LT(LUA_TTABLE), .type = "table",
	  .def = "{}", .sub = config_attributes_fields,
	  .help = "per_cwd, sticky, exclusive" },
	{ .name = "size", .ltypes = LT(LUA_TTABLE), .type = "table",
	  .def = "{ width = 80, height = 80 }", .set = float_size,
	  .help = "{ width = W, height = H }, percent of the terminal" },
	{ .name = "position", .ltypes = LT(LUA_TTABLE) | LT(LUA_TSTRING),
	  .type = "table or \"center\"", .def = "\"center\"",
	  .set = float_position,
	  .help = "{ x = X, y = Y }, percent of the terminal, or \"center\"" },
	{ .name = "isolation", .ltypes = LT(LUA_TTABLE), .type = "table",
	  .def = "ses.isolation", .set = float_isolation,
	  .help = "the fields of hexe.ses.isolation.set, overriding them for "
		  "this float's pane" },
	{ 0 },
};

/* A tab is a node with a name; node first, so that the node fields'
 * offsets hold for both. */
struct tab_obj {
	struct config_node node;
	char *name;
};

static void node_children(struct config_lua *cl, const struct field *f,
			  void *obj, const char *path);

static void
node_free(struct config_node *n)
{
	if (!n)
		return;
	node_free(n->child[0]);
	node_free(n->child[1]);
	free(n->command);
	free(n->cwd);
	free(n);
}

static void
node_split(struct config_lua *cl, const struct field *f, void *obj,
	   const char *path)
{
	struct config_node *n = obj;
	const char *s = lua_tostring(cl->L, -1);
	char hint[120];

	(void)f;
	if (strcmp(s, "h") == 0 || strcmp(s, "v") == 0) {
		n->split = s[0];
		return;
	}
	config_suggest_text(s, split_list, 2, hint, sizeof hint);
	config_error(cl, "%s: expected \"v\" (side by side) or \"h\" (top and "
		     "bottom), got \"%s\"%s", path, s, hint);
}

static void
node_ratio(struct config_lua *cl, const struct field *f, void *obj,
	   const char *path)
{
	struct config_node *n = obj;
	double r = lua_tonumber(cl->L, -1);

	(void)f;
	if (!(r >= 0.1 && r <= 0.9)) {
		config_error(cl, "%s: expected a number from 0.1 to 0.9 (the first "
			     "child's share), got %.14g", path, r);
		return;
	}
	n->ratio = r;
}

static void
node_cwd(struct config_lua *cl, const struct field *f, void *obj,
	 const char *path)
{
	struct config_node *n = obj;
	const char *s = lua_tostring(cl->L, -1);

	(void)f;
	if (!*s || strchr(s, '\n')) {
		config_error(cl, "%s: expected a directory, got \"%s\"", path, s);
		return;
	}
	free(n->cwd);
	n->cwd = config_expand_home(s);
}

static void
layout_name(struct config_lua *cl, const struct field *f, void *obj,
	    const char *path)
{
	char **dst = (char **)((char *)obj + f->off);
	const char *s = lua_tostring(cl->L, -1);
	size_t len = strlen(s);

	if (len == 0 || len > 64 ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_.-") != len) {
		config_error(cl, "%s: expected 1-64 letters, digits, '_', '.' or "
			     "'-', got \"%s\"", path, s);
		return;
	}
	free(*dst);
	*dst = xstrdup(s);
}

#define NODE_FIELDS                                                         \
	{ .name = "command", .ltypes = LT(LUA_TSTRING), .type = "string",   \
	  .def = "your shell", .set = field_string,                          \
	  .off = offsetof(struct config_node, command),                      \
	  .help = "a pane: run as /bin/sh -c COMMAND" },                     \
	{ .name = "cwd", .ltypes = LT(LUA_TSTRING), .type = "string",       \
	  .def = "the session's directory", .set = node_cwd,                 \
	  .help = "a pane: its directory (\"~/src\": ~ is your home)" },     \
	{ .name = "split", .ltypes = LT(LUA_TSTRING), .type = "string",     \
	  .def = "nil (a pane)", .set = node_split,                          \
	  .help = "a split: \"v\" side by side (like split.vertical) or "    \
		  "\"h\" top and bottom" },                                   \
	{ .name = "ratio", .ltypes = LT(LUA_TNUMBER), .type = "number",     \
	  .def = "0.5", .set = node_ratio,                                   \
	  .help = "a split: the first child's share, 0.1-0.9" },             \
	{ .name = "children", .ltypes = LT(LUA_TTABLE), .type = "table",    \
	  .def = "required with split", .set = node_children,               \
	  .help = "a split: { first, second }, each a pane or a split" }

const struct field config_node_fields[] = {
	NODE_FIELDS,
	{ 0 },
};

const struct field config_tab_fields[] = {
	{ .name = "name", .ltypes = LT(LUA_TSTRING), .type = "string",
	  .def = "required", .set = field_string,
	  .off = offsetof(struct tab_obj, name), .help = "the tab's name" },
	NODE_FIELDS,
	{ 0 },
};

/* Checks that what a node is (a pane or a split) fits the fields it has. */
static void
node_check(struct config_lua *cl, struct config_node *n, unsigned present,
	   const struct field *fields, const char *path)
{
#define HAS(name) (present & (1u << field_index(fields, name)))
	if (HAS("split")) {
		if (HAS("command") || HAS("cwd"))
			config_error(cl, "%s: a split has no command or cwd (its "
				     "children have)", path);
		if (!HAS("children"))
			config_error(cl, "%s.children: a split needs two children "
				     "{ first, second }", path);
	} else if (HAS("children") || HAS("ratio")) {
		config_error(cl, "%s.split: children and ratio need split = \"v\" "
			     "or \"h\"", path);
	}
#undef HAS
	if (n->ratio == 0)
		n->ratio = 0.5;
}

static void
node_children(struct config_lua *cl, const struct field *f, void *obj,
	      const char *path)
{
	struct config_node *n = obj;
	int len = list_len(cl, path, "of two tables");
	char cpath[700], got[120];

	(void)f;
	if (len < 0)
		return;
	if (len != 2) {
		config_error(cl, "%s: a split needs exactly two children, got %d",
			     path, len);
		return;
	}
	if (cl->depth >= NODE_DEPTH_MAX) {
		config_error(cl, "%s: splits nested deeper than %d", path,
			     NODE_DEPTH_MAX);
		return;
	}
	cl->depth++;
	for (int i = 0; i < 2; i++) {
		unsigned present;

		snprintf(cpath, sizeof cpath, "%s[%d]", path, i + 1);
		lua_rawgeti(cl->L, -1, i + 1);
		if (lua_type(cl->L, -1) != LUA_TTABLE) {
			config_describe_value(cl->L, -1, got, sizeof got);
			config_error(cl, "%s: expected a table (a pane or a split), "
				     "got %s", cpath, got);
		} else {
			node_free(n->child[i]);
			n->child[i] = xcalloc(1, sizeof *n->child[i]);
			present = fields_apply(cl, config_node_fields, n->child[i],
					       -1, cpath);
			node_check(cl, n->child[i], present, config_node_fields,
				   cpath);
		}
		lua_pop(cl->L, 1);
	}
	cl->depth--;
}

static void
layout_floats(struct config_lua *cl, const struct field *f, void *obj,
	      const char *path)
{
	struct config_layout *l = obj;
	int n = list_len(cl, path, "of float tables");
	char fpath[700], got[120];

	(void)f;
	if (n < 0)
		return;
	if (n > FLOATS_MAX) {
		config_error(cl, "%s: more than %d floats", path, FLOATS_MAX);
		return;
	}
	l->floats = xcalloc(n ? n : 1, sizeof *l->floats);
	for (int i = 0; i < n; i++) {
		struct config_float *fl = &l->floats[l->nfloats];
		unsigned present;

		snprintf(fpath, sizeof fpath, "%s[%d]", path, i + 1);
		lua_rawgeti(cl->L, -1, i + 1);
		if (lua_type(cl->L, -1) != LUA_TTABLE) {
			config_describe_value(cl->L, -1, got, sizeof got);
			config_error(cl, "%s: expected a table { key = ..., title = "
				     "..., command = ... }, got %s", fpath, got);
			lua_pop(cl->L, 1);
			continue;
		}
		isolation_defaults(&fl->isolation_lua);
		fl->x = fl->y = CONFIG_CENTER;
		l->nfloats++;
		present = fields_apply(cl, config_float_fields, fl, -1, fpath);
		lua_pop(cl->L, 1);
		if (!fl->title)
			fl->title = xstrdup(fl->key);
		if (!(present & (1u << field_index(config_float_fields, "key")))) {
			config_error(cl, "%s.key: missing (one character, e.g. key = "
				     "\"%d\")", fpath, i + 1);
			continue;
		}
		if (!fl->key[0])
			continue;
		for (size_t k = 0; k + 1 < l->nfloats; k++) {
			if (strcmp(l->floats[k].key, fl->key) == 0) {
				config_error(cl, "%s.key: duplicate float key \"%s\" "
					     "(already used by %s[%zu] \"%s\")",
					     fpath, fl->key, path, k + 1,
					     l->floats[k].title ? l->floats[k].title
								: l->floats[k].key);
				break;
			}
		}
	}
}

static void
layout_tabs(struct config_lua *cl, const struct field *f, void *obj,
	    const char *path)
{
	struct config_layout *l = obj;
	int n = list_len(cl, path, "of tab tables");
	char tpath[700], got[120];

	(void)f;
	if (n < 0)
		return;
	if (n > TABS_MAX) {
		config_error(cl, "%s: more than %d tabs", path, TABS_MAX);
		return;
	}
	l->tabs = xcalloc(n ? n : 1, sizeof *l->tabs);
	for (int i = 0; i < n; i++) {
		struct tab_obj t = { 0 };
		unsigned present;

		snprintf(tpath, sizeof tpath, "%s[%d]", path, i + 1);
		lua_rawgeti(cl->L, -1, i + 1);
		if (lua_type(cl->L, -1) != LUA_TTABLE) {
			config_describe_value(cl->L, -1, got, sizeof got);
			config_error(cl, "%s: expected a table { name = ..., command "
				     "= ... } or { name = ..., split = ..., children "
				     "= ... }, got %s", tpath, got);
			lua_pop(cl->L, 1);
			continue;
		}
		cl->depth = 0;
		present = fields_apply(cl, config_tab_fields, &t, -1, tpath);
		lua_pop(cl->L, 1);
		node_check(cl, &t.node, present, config_tab_fields, tpath);
		if (!t.name)
			config_error(cl, "%s.name: missing (every tab has a name)",
				     tpath);
		l->tabs[l->ntabs].name = t.name ? t.name : xstrdup("");
		l->tabs[l->ntabs].root = xmalloc(sizeof t.node);
		*l->tabs[l->ntabs].root = t.node;
		l->ntabs++;
	}
}

const struct field config_layout_fields[] = {
	{ .name = "name", .ltypes = LT(LUA_TSTRING), .type = "string",
	  .def = "required", .set = layout_name,
	  .off = offsetof(struct config_layout, name),
	  .help = "\"default\" applies to every new session; `hexe mux new -l "
		  "NAME` picks another" },
	{ .name = "enabled", .ltypes = LT(LUA_TBOOLEAN), .type = "boolean",
	  .def = "true", .set = field_bool,
	  .off = offsetof(struct config_layout, enabled),
	  .help = "false: the layout is ignored (not applied, not selectable, "
		  "its floats unbound)" },
	{ .name = "floats", .ltypes = LT(LUA_TTABLE), .type = "list of tables",
	  .def = "{}", .set = layout_floats,
	  .help = "floating panes opened by their key (fields below)" },
	{ .name = "tabs", .ltypes = LT(LUA_TTABLE), .type = "list of tables",
	  .def = "one tab with your shell", .set = layout_tabs,
	  .help = "the tabs a new session starts with (fields below)" },
	{ 0 },
};

void
config_layout_free(struct config_layout *l)
{
	for (size_t i = 0; i < l->nfloats; i++) {
		free(l->floats[i].title);
		free(l->floats[i].command);
	}
	free(l->floats);
	for (size_t i = 0; i < l->ntabs; i++) {
		free(l->tabs[i].name);
		node_free(l->tabs[i].root);
	}
	free(l->tabs);
	free(l->name);
	memset(l, 0, sizeof *l);
}

int
config_api_layout_define(lua_State *L)
{
	struct config_lua *cl = config_api_enter(L, "hexe.ses.layout.define");
	struct hexe_config *c = cl->c;
	struct config_layout l = { .enabled = true };
	char got[120];

	if (lua_type(L, 1) != LUA_TTABLE) {
		config_describe_value(L, 1, got, sizeof got);
		config_error(cl, "ses.layout: expected a table { name = ..., "
			     "floats = { ... } }, got %s", got);
		return 0;
	}
	snprintf(l.where, sizeof l.where, "%s", cl->where);
	fields_apply(cl, config_layout_fields, &l, 1, "ses.layout");
	if (!l.name) {
		config_error(cl, "ses.layout.name: missing (name = \"default\" "
			     "applies to every new session)");
		config_layout_free(&l);
		return 0;
	}
	for (size_t i = 0; i < c->nlayouts; i++) {
		if (strcmp(c->layouts[i].name, l.name) == 0) {
			config_error(cl, "ses.layout.name: layout \"%s\" is already "
				     "defined at %s", l.name, c->layouts[i].where);
			config_layout_free(&l);
			return 0;
		}
	}
	c->layouts = xrealloc(c->layouts, (c->nlayouts + 1) * sizeof *c->layouts);
	c->layouts[c->nlayouts++] = l;
	return 0;
}

/* ---- after the load ---- */

/* The float's own fields (own, set) over the global Lua settings (dst). */
static void
iso_overlay(struct isolation *dst, const struct isolation *own, unsigned set)
{
	struct iso_mount keep[ISO_MOUNTS_MAX];
	int nkeep = 0;

	if (set & CONFIG_ISO_PROFILE) {
		dst->profile = own->profile;
		dst->src_profile = own->src_profile;
	}
	if (set & CONFIG_ISO_MEMORY) {
		dst->memory = own->memory;
		memcpy(dst->memory_text, own->memory_text, sizeof dst->memory_text);
		dst->src_memory = own->src_memory;
	}
	if (set & CONFIG_ISO_CPU) {
		dst->cpu_quota = own->cpu_quota;
		dst->cpu_period = own->cpu_period;
		memcpy(dst->cpu_text, own->cpu_text, sizeof dst->cpu_text);
		dst->src_cpu = own->src_cpu;
	}
	if (set & CONFIG_ISO_PIDS) {
		dst->pids = own->pids;
		memcpy(dst->pids_text, own->pids_text, sizeof dst->pids_text);
		dst->src_pids = own->src_pids;
	}
	if (set & CONFIG_ISO_STRICT) {
		dst->strict = own->strict;
		dst->src_strict = own->src_strict;
	}
	/* Each kind of mount list comes from the float when it set it. */
	for (int pass = 0; pass < 2; pass++) {
		bool ro = pass == 1;
		unsigned bit = ro ? CONFIG_ISO_RO_BIND : CONFIG_ISO_BIND;
		const struct isolation *from = (set & bit) ? own : dst;

		for (int i = 0; i < from->nmounts && nkeep < ISO_MOUNTS_MAX; i++)
			if (from->mounts[i].ro == ro)
				keep[nkeep++] = from->mounts[i];
	}
	memcpy(dst->mounts, keep, nkeep * sizeof keep[0]);
	dst->nmounts = nkeep;
}

void
config_finish_floats(struct config_lua *cl)
{
	struct hexe_config *c = cl->c;

	for (size_t li = 0; li < c->nlayouts; li++) {
		struct config_layout *l = &c->layouts[li];

		snprintf(cl->where, sizeof cl->where, "%s", l->where);
		for (size_t i = 0; i < l->nfloats; i++) {
			struct config_float *fl = &l->floats[i];
			struct isolation merged = c->isolation_lua;

			if (!fl->own_size || !fl->width)
				fl->width = fl->width ? fl->width : c->mux.float_width;
			if (!fl->own_size || !fl->height)
				fl->height = fl->height ? fl->height
							: c->mux.float_height;
			if (fl->x != CONFIG_CENTER && fl->x + fl->width > 100)
				config_error(cl, "ses.layout.floats[%zu].position.x: "
					     "%d + width %d is more than 100%%: the "
					     "float would leave the screen", i + 1,
					     fl->x, fl->width);
			if (fl->y != CONFIG_CENTER && fl->y + fl->height > 100)
				config_error(cl, "ses.layout.floats[%zu].position.y: "
					     "%d + height %d is more than 100%%: the "
					     "float would leave the screen", i + 1,
					     fl->y, fl->height);
			iso_overlay(&merged, &fl->isolation_lua, fl->iso_own);
			fl->isolation_lua = merged;
		}
	}
}

int
config_layout_pick(const struct hexe_config *c, const char *name,
		   const struct config_layout **out, char *err, size_t errsz)
{
	const char *names[64] = { NULL };
	char hint[120], list[600];
	size_t n = 0, len = 0;

	*out = NULL;
	for (size_t i = 0; i < c->nlayouts; i++) {
		const struct config_layout *l = &c->layouts[i];

		if (strcmp(l->name, name ? name : "default") == 0) {
			if (l->enabled) {
				*out = l;
				return 0;
			}
			if (!name)
				return 0;
			snprintf(err, errsz, "layout \"%s\" is disabled (enabled = "
				 "false at %s)", name, l->where);
			return -1;
		}
	}
	if (!name)
		return 0;
	list[0] = '\0';
	for (size_t i = 0; i < c->nlayouts && n < ARRAY_SIZE(names); i++) {
		if (!c->layouts[i].enabled)
			continue;
		names[n++] = c->layouts[i].name;
		len += snprintf(list + len, len < sizeof list ? sizeof list - len : 0,
				"%s%s", len ? ", " : "", c->layouts[i].name);
	}
	config_suggest_text(name, names, n, hint, sizeof hint);
	snprintf(err, errsz, "no layout named \"%s\"%s (layouts: %s)", name, hint,
		 n ? list : "none defined");
	return -1;
}

const struct config_float *
config_float_find(const struct config_layout *l, const char *key)
{
	for (size_t i = 0; l && i < l->nfloats; i++)
		if (strcmp(l->floats[i].key, key) == 0)
			return &l->floats[i];
	return NULL;
}
