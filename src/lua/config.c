/*
 * config — running init.lua in a restricted, bounded Lua state and turning
 * what its hexe.* calls asked for into struct hexe_config.
 *
 * The state: the standard libraries without what could end or block the
 * process or draw on the terminal (os.exit, os.execute, io.popen, standard
 * input/output, debug, C modules, binary chunks); print() captured; every
 * allocation counted against CONFIG_MEMORY_MAX; an instruction-count hook
 * that stops the code at its deadline (and, once past it, at every
 * instruction, so that a pcall cannot swallow the stop).
 */
#include <errno.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"
#include "lua/config_int.h"

#define HOOK_COUNT 1000
#define OUTPUT_MAX 1000
#define CONFIG_FILE_MAX (4 << 20)

/* ---- the state ---- */

struct config_lua *
config_lua_of(lua_State *L)
{
	return *(struct config_lua **)lua_getextraspace(L);
}

static void *
l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct config_lua *cl = ud;
	void *p;

	if (!ptr)
		osize = 0; /* then osize says what kind of object it is */
	if (nsize == 0) {
		free(ptr);
		cl->mem -= osize;
		return NULL;
	}
	if (nsize > osize && cl->mem - osize + nsize > cl->mem_max) {
		cl->mem_refused = true;
		return NULL;
	}
	p = realloc(ptr, nsize);
	if (!p)
		return NULL;
	cl->mem = cl->mem - osize + nsize;
	return p;
}

static const char *
source_name(const lua_Debug *ar)
{
	return ar->source[0] == '@' ? ar->source + 1 : ar->short_src;
}

static void
l_hook(lua_State *L, lua_Debug *ar)
{
	struct config_lua *cl = config_lua_of(L);

	if (cl->mode == CL_IDLE || now_ms() < cl->deadline)
		return;
	if (!cl->timed_out) {
		char where[700];

		cl->timed_out = true;
		if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
			snprintf(where, sizeof where, "%s:%d", source_name(ar),
				 ar->currentline);
		else
			snprintf(where, sizeof where, "%s", cl->path);
		if (cl->mode == CL_LOADING)
			snprintf(cl->timeout_msg, sizeof cl->timeout_msg,
				 "%s: the config did not finish within %d ms and "
				 "was stopped (an endless loop?)", where,
				 CONFIG_LOAD_TIMEOUT_MS);
		else
			snprintf(cl->timeout_msg, sizeof cl->timeout_msg,
				 "%s: the function ran for more than %d ms and was "
				 "stopped (an endless loop?)", where,
				 CONFIG_CALL_TIMEOUT_MS);
	}
	/* From now on every instruction fails: a pcall in the config may
	 * catch one error, not all of them. */
	lua_sethook(L, l_hook, LUA_MASKCOUNT, 1);
	lua_pushstring(L, cl->timeout_msg);
	lua_error(L);
}

static void
output_add(struct config_lua *cl, const char *line)
{
	if (cl->mode == CL_CALLING) {
		if (cl->log)
			log_info(cl->log, "config print: %s", line);
		return;
	}
	if (cl->mode != CL_LOADING)
		return;
	if (cl->c->output.n >= OUTPUT_MAX) {
		cl->noutput_dropped++;
		return;
	}
	config_strv_add(&cl->c->output, line);
}

/* print(...): to the config's output (the log, `hexe config check`),
 * never to the terminal. */
static int
l_print(lua_State *L)
{
	struct config_lua *cl = config_lua_of(L);
	int n = lua_gettop(L);
	luaL_Buffer b;
	const char *s, *nl;

	luaL_buffinit(L, &b);
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	s = lua_tostring(L, -1);
	for (;;) {
		nl = strchr(s, '\n');
		if (!nl) {
			output_add(cl, s);
			break;
		}
		lua_pushlstring(L, s, (size_t)(nl - s));
		output_add(cl, lua_tostring(L, -1));
		lua_pop(L, 1);
		s = nl + 1;
	}
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A misspelt hexe.* name is an error that names the close one. */
static int
l_ns_index(lua_State *L)
{
	const char *ns = lua_tostring(L, lua_upvalueindex(1));
	const char *key = lua_tostring(L, 2);
	const char *names[16];
	char list[300], hint[120];
	size_t n = 0, len = 0;

	list[0] = '\0';
	lua_pushnil(L);
	while (lua_next(L, 1)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING && n < ARRAY_SIZE(names))
			names[n++] = lua_tostring(L, -1);
	}
	qsort(names, n, sizeof names[0], cmp_name);
	for (size_t i = 0; i < n; i++)
		len += snprintf(list + len, len < sizeof list ? sizeof list - len : 0,
				"%s%s", i ? ", " : "", names[i]);
	if (!key)
		return luaL_error(L, "%s has no such field (it has: %s)", ns, list);
	config_suggest_text(key, names, n, hint, sizeof hint);
	return luaL_error(L, "%s has no field \"%s\"%s (it has: %s)", ns, key, hint,
			  list);
}

/* Pushes a namespace table named ns with the given functions. */
static void
push_ns(lua_State *L, const char *ns, const luaL_Reg *fns)
{
	lua_newtable(L);
	if (fns)
		luaL_setfuncs(L, fns, 0);
	lua_newtable(L);
	lua_pushstring(L, ns);
	lua_pushcclosure(L, l_ns_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 1);
	lua_setfield(L, -2, "__hexe_ns");
	lua_setmetatable(L, -2);
}

static const char sandbox_lua[] =
	"local io0, os0, load0, loadfile0 = io, os, load, loadfile\n"
	"io = { open = io0.open, type = io0.type,\n"
	"  lines = function(name, ...)\n"
	"    if name == nil then error('io.lines: a file name is needed (the "
	"config has no standard input)', 2) end\n"
	"    return io0.lines(name, ...) end,\n"
	"  close = function(f)\n"
	"    if f == nil then error('io.close: a file is needed', 2) end\n"
	"    return io0.close(f) end }\n"
	"os = { getenv = os0.getenv, time = os0.time, clock = os0.clock,\n"
	"  date = os0.date, difftime = os0.difftime }\n"
	"load = function(chunk, name, mode, ...)\n"
	"  if select('#', ...) > 0 then return load0(chunk, name, 't', ...) end\n"
	"  return load0(chunk, name, 't') end\n"
	"loadfile = function(name, mode, ...)\n"
	"  if name == nil then error('loadfile: a file name is needed', 2) end\n"
	"  if select('#', ...) > 0 then return loadfile0(name, 't', ...) end\n"
	"  return loadfile0(name, 't') end\n"
	"dofile = function(name)\n"
	"  if name == nil then error('dofile: a file name is needed', 2) end\n"
	"  return assert(loadfile0(name, 't'))() end\n"
	"debug = nil\n"
	"string.dump = nil\n"
	"package.loaded.io, package.loaded.os = io, os\n"
	"package.loaded.debug = nil\n"
	"package.cpath, package.loadlib = '', nil\n"
	"package.searchers[4], package.searchers[3] = nil, nil\n"
	"package.searchers[2] = function(name)\n"
	"  local path, err = package.searchpath(name, package.path)\n"
	"  if not path then return err end\n"
	"  local f, e = loadfile0(path, 't')\n"
	"  if not f then error(e, 0) end\n"
	"  return f, path end\n";

/* Runs in protected mode: libraries, sandbox, the hexe table. */
static int
l_setup(lua_State *L)
{
	struct config_lua *cl = config_lua_of(L);
	static const luaL_Reg isolation_fns[] = {
		{ "set", config_api_isolation_set }, { NULL, NULL } };
	static const luaL_Reg layout_fns[] = {
		{ "define", config_api_layout_define }, { NULL, NULL } };
	static const luaL_Reg keymap_fns[] = {
		{ "set", config_api_keymap_set }, { NULL, NULL } };
	static const luaL_Reg mux_config_fns[] = {
		{ "setup", config_api_mux_setup }, { NULL, NULL } };
	static const luaL_Reg mux_fns[] = {
		{ "run", config_api_mux_run }, { NULL, NULL } };
	char dir[1024], *slash;

	luaL_openlibs(L);
	if (luaL_loadbuffer(L, sandbox_lua, sizeof sandbox_lua - 1, "=sandbox"))
		return lua_error(L);
	lua_call(L, 0, 0);
	/* require() finds modules beside the config file. */
	snprintf(dir, sizeof dir, "%s", cl->path);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	lua_getglobal(L, "package");
	lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", dir, dir);
	lua_setfield(L, -2, "path");
	lua_pop(L, 1);
	lua_pushcfunction(L, l_print);
	lua_setglobal(L, "print");

	push_ns(L, "hexe", NULL);
	push_ns(L, "hexe.ses", NULL);
	push_ns(L, "hexe.ses.isolation", isolation_fns);
	lua_setfield(L, -2, "isolation");
	push_ns(L, "hexe.ses.layout", layout_fns);
	lua_setfield(L, -2, "layout");
	lua_setfield(L, -2, "ses");
	push_ns(L, "hexe.mux", mux_fns);
	push_ns(L, "hexe.mux.keymap", keymap_fns);
	lua_setfield(L, -2, "keymap");
	push_ns(L, "hexe.mux.config", mux_config_fns);
	lua_setfield(L, -2, "config");
	lua_setfield(L, -2, "mux");
	lua_setglobal(L, "hexe");
	return 0;
}

struct config_lua *
config_api_enter(lua_State *L, const char *fname)
{
	struct config_lua *cl = config_lua_of(L);
	lua_Debug ar;

	if (cl->mode != CL_LOADING)
		luaL_error(L, "%s: only while the config loads, not from a key "
			   "binding", fname);
	if (lua_getmetatable(L, 1)) {
		bool ns;

		lua_pushstring(L, "__hexe_ns");
		ns = lua_rawget(L, -2) != LUA_TNIL;

		lua_pop(L, 2);
		if (ns)
			luaL_error(L, "%s: call it with a dot, %s{ ... }, not with a "
				   "colon", fname, fname);
	}
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) &&
	    ar.currentline > 0)
		snprintf(cl->where, sizeof cl->where, "%s:%d", source_name(&ar),
			 ar.currentline);
	else
		snprintf(cl->where, sizeof cl->where, "%s", cl->path);
	return cl;
}

static struct config_lua *
lua_new(const char *path)
{
	struct config_lua *cl = xcalloc(1, sizeof *cl);

	cl->mem_max = CONFIG_MEMORY_MAX;
	snprintf(cl->path, sizeof cl->path, "%s", path);
	cl->L = lua_newstate(l_alloc, cl);
	if (!cl->L) {
		free(cl);
		return NULL;
	}
	*(struct config_lua **)lua_getextraspace(cl->L) = cl;
	return cl;
}

static void
lua_free(struct config_lua *cl)
{
	if (!cl)
		return;
	if (cl->L)
		lua_close(cl->L);
	free(cl->kops);
	free(cl);
}

/*
 * Lua shortens a long file name in its messages ("...fig/hexe/init.lua:3:");
 * give the error its whole path back.
 */
static void
fix_source_prefix(const char *msg, const char *path, char *out, size_t n)
{
	size_t len = strlen(path), keep = LUA_IDSIZE - 4;

	if (len + 1 > LUA_IDSIZE - 0 && strncmp(msg, "...", 3) == 0 &&
	    strncmp(msg + 3, path + len - keep, keep) == 0) {
		snprintf(out, n, "%s%s", path, msg + 3 + keep);
		return;
	}
	snprintf(out, n, "%s", msg);
}

static void
lua_failure(struct config_lua *cl, int status)
{
	const char *msg = lua_tostring(cl->L, -1);
	char fixed[2000];

	if (cl->timed_out) {
		config_error_raw(cl->c, "%s", cl->timeout_msg);
	} else if (status == LUA_ERRMEM || cl->mem_refused) {
		config_error_raw(cl->c, "%s: the config used more than %u MiB of "
				 "memory and was stopped", cl->path,
				 CONFIG_MEMORY_MAX >> 20);
	} else if (!msg) {
		config_error_raw(cl->c, "%s: the config raised an error that is "
				 "not a string (%s)", cl->path,
				 luaL_typename(cl->L, -1));
	} else {
		fix_source_prefix(msg, cl->path, fixed, sizeof fixed);
		config_error_raw(cl->c, "%s", fixed);
	}
	lua_pop(cl->L, 1);
}

/* ---- the settings ---- */

void
config_defaults(struct hexe_config *c)
{
	memset(c, 0, sizeof *c);
	isolation_defaults(&c->isolation_lua);
	c->isolation = c->isolation_lua;
	config_mux_defaults(&c->mux);
	keymap_init(&c->keymap);
	keymap_add_defaults(&c->keymap, NULL, 0);
}

static void
free_settings(struct hexe_config *c)
{
	for (size_t i = 0; i < c->nlayouts; i++)
		config_layout_free(&c->layouts[i]);
	free(c->layouts);
	c->layouts = NULL;
	c->nlayouts = 0;
	keymap_free(&c->keymap);
}

void
config_free(struct hexe_config *c)
{
	free_settings(c);
	config_strv_free(&c->errors);
	config_strv_free(&c->output);
	lua_free(c->lua);
	c->lua = NULL;
}

/* The environment over the Lua settings, for the global settings and every
 * float; then the checks that need the final profile. */
static void
resolve_env(struct config_lua *cl, char *const *envp)
{
	struct hexe_config *c = cl->c;
	char err[1200];

	c->isolation = c->isolation_lua;
	if (isolation_apply_env(&c->isolation, envp, err, sizeof err) < 0) {
		config_error_raw(c, "environment: %s", err);
		c->isolation = c->isolation_lua;
		return;
	}
	if (isolation_check(&c->isolation, err, sizeof err) < 0)
		config_error_raw(c, "%s: ses.isolation.bind: %s",
				 cl->iso_where[0] ? cl->iso_where : c->path, err);
	for (size_t li = 0; li < c->nlayouts; li++) {
		struct config_layout *l = &c->layouts[li];

		for (size_t i = 0; i < l->nfloats; i++) {
			struct config_float *fl = &l->floats[i];

			fl->isolation = fl->isolation_lua;
			(void)isolation_apply_env(&fl->isolation, envp, err,
						  sizeof err);
			if (isolation_check(&fl->isolation, err, sizeof err) < 0 &&
			    (fl->iso_own & (CONFIG_ISO_PROFILE | CONFIG_ISO_BIND |
					    CONFIG_ISO_RO_BIND)))
				config_error_raw(c, "%s: ses.layout.floats[%zu]."
						 "isolation: %s", l->where, i + 1,
						 err);
		}
	}
}

/* After an error: the built-in defaults (with the environment), and the
 * messages that say why. */
static void
fall_back(struct hexe_config *c, char *const *envp)
{
	struct hexe_config keep = *c;
	char err[1200];

	free_settings(c);
	config_defaults(c);
	memcpy(c->path, keep.path, sizeof c->path);
	c->found = keep.found;
	c->errors = keep.errors;
	c->output = keep.output;
	if (isolation_apply_env(&c->isolation, envp, err, sizeof err) < 0)
		c->isolation = c->isolation_lua;
}

int
config_load(struct hexe_config *c, const char *path, char *const *envp,
	    unsigned flags)
{
	struct config_lua *cl;
	struct stat st;
	int status;

	config_defaults(c);
	snprintf(c->path, sizeof c->path, "%s", path ? path : "");
	if (!path || !*path || (stat(path, &st) < 0 && errno == ENOENT)) {
		struct config_lua tmp = { .c = c };

		resolve_env(&tmp, envp);
		if (c->errors.n) {
			fall_back(c, envp);
			return -1;
		}
		return 0;
	}
	c->found = true;
	/* A FIFO or a device would block the load where no hook can stop it,
	 * and a huge file would take long to parse. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		config_error_raw(c, "%s: not a regular file", path);
		fall_back(c, envp);
		return -1;
	}
	if (stat(path, &st) == 0 && st.st_size > CONFIG_FILE_MAX) {
		config_error_raw(c, "%s: larger than %d MiB; is it the right file?",
				 path, CONFIG_FILE_MAX >> 20);
		fall_back(c, envp);
		return -1;
	}
	cl = lua_new(path);
	if (!cl) {
		config_error_raw(c, "%s: cannot create a Lua state", path);
		fall_back(c, envp);
		return -1;
	}
	cl->c = c;
	lua_pushcfunction(cl->L, l_setup);
	status = lua_pcall(cl->L, 0, 0, 0);
	if (status != LUA_OK) {
		lua_failure(cl, status);
		goto out;
	}
	status = luaL_loadfilex(cl->L, path, "t");
	if (status != LUA_OK) {
		lua_failure(cl, status);
		goto out;
	}
	cl->mode = CL_LOADING;
	cl->deadline = now_ms() + CONFIG_LOAD_TIMEOUT_MS;
	lua_sethook(cl->L, l_hook, LUA_MASKCOUNT, HOOK_COUNT);
	status = lua_pcall(cl->L, 0, 0, 0);
	lua_sethook(cl->L, NULL, 0, 0);
	if (status != LUA_OK || cl->timed_out) {
		if (status == LUA_OK)
			lua_pushnil(cl->L);
		lua_failure(cl, status);
		goto out;
	}
	config_finish_floats(cl);
	config_finish_keymap(cl);
out:
	if (cl->noutput_dropped) {
		char line[100];

		snprintf(line, sizeof line, "(%zu more lines of print() dropped)",
			 cl->noutput_dropped);
		config_strv_add(&c->output, line);
	}
	if (!c->errors.n)
		resolve_env(cl, envp);
	cl->mode = CL_IDLE;
	cl->c = NULL;
	free(cl->kops);
	cl->kops = NULL;
	cl->nkops = cl->capkops = 0;
	if (c->errors.n) {
		lua_free(cl);
		fall_back(c, envp);
		return -1;
	}
	if (flags & CONFIG_KEEP_LUA) {
		lua_gc(cl->L, LUA_GCCOLLECT);
		c->lua = cl;
	} else {
		lua_free(cl);
	}
	return 0;
}

void
config_log(const struct hexe_config *c, struct hlog *log)
{
	if (c->found)
		log_info(log, "config: %s", c->path);
	else
		log_info(log, "config: no file at %s: built-in defaults",
			 c->path[0] ? c->path : "(none)");
	for (size_t i = 0; i < c->output.n; i++)
		log_info(log, "config print: %s", c->output.v[i]);
	for (size_t i = 0; i < c->errors.n; i++)
		log_error(log, "config: %s", c->errors.v[i]);
}

int
config_pane_isolation(const struct hexe_config *c,
		      const struct config_float *f, char *const *envp,
		      struct isolation *out, char *err, size_t errsz)
{
	*out = f ? f->isolation_lua : c->isolation_lua;
	if (isolation_apply_env(out, envp, err, errsz) < 0)
		return -1;
	return isolation_check(out, err, errsz);
}

int
config_lua_call(struct hexe_config *c, const struct binding *b,
		struct hlog *log, struct action_req *out, int max, char *err,
		size_t errsz)
{
	struct config_lua *cl = c->lua;
	char chord[64] = "?", fixed[2000];
	int status;

	key_chord_format(&b->chord, chord, sizeof chord);
	if (!cl || b->req.action != ACTION_LUA || b->lua_ref < 0) {
		snprintf(err, errsz, "key %s: no Lua function to run", chord);
		return -1;
	}
	lua_settop(cl->L, 0);
	cl->mode = CL_CALLING;
	cl->log = log;
	cl->out = out;
	cl->nout = 0;
	cl->maxout = max;
	cl->timed_out = false;
	cl->mem_refused = false;
	lua_rawgeti(cl->L, LUA_REGISTRYINDEX, b->lua_ref);
	cl->deadline = now_ms() + CONFIG_CALL_TIMEOUT_MS;
	lua_sethook(cl->L, l_hook, LUA_MASKCOUNT, HOOK_COUNT);
	status = lua_pcall(cl->L, 0, 0, 0);
	lua_sethook(cl->L, NULL, 0, 0);
	cl->mode = CL_IDLE;
	cl->log = NULL;
	cl->out = NULL;
	if (status == LUA_OK && !cl->timed_out)
		return cl->nout;
	if (cl->timed_out) {
		snprintf(err, errsz, "key %s: %s", chord, cl->timeout_msg);
	} else if (status == LUA_ERRMEM || cl->mem_refused) {
		snprintf(err, errsz, "key %s (%s): the function used more than %u "
			 "MiB of memory and was stopped", chord, b->where,
			 CONFIG_MEMORY_MAX >> 20);
	} else {
		const char *msg = lua_tostring(cl->L, -1);

		if (msg)
			fix_source_prefix(msg, cl->path, fixed, sizeof fixed);
		else
			snprintf(fixed, sizeof fixed, "%s: an error that is not a "
				 "string (%s)", b->where, luaL_typename(cl->L, -1));
		snprintf(err, errsz, "key %s: %s", chord, fixed);
	}
	lua_settop(cl->L, 0);
	return -1;
}

void
config_iso_value(const struct isolation *iso, unsigned field, char *out,
		 size_t n)
{
	size_t len = 0;

	switch (field) {
	case CONFIG_ISO_PROFILE:
		snprintf(out, n, "%s", profile_name(iso->profile));
		break;
	case CONFIG_ISO_MEMORY:
		if (!iso->memory)
			snprintf(out, n, "-");
		else if (iso->memory_text[0])
			snprintf(out, n, "%s", iso->memory_text);
		else
			snprintf(out, n, "%llu", (unsigned long long)iso->memory);
		break;
	case CONFIG_ISO_CPU:
		if (!iso->cpu_quota)
			snprintf(out, n, "-");
		else if (iso->cpu_text[0])
			snprintf(out, n, "%s", iso->cpu_text);
		else
			snprintf(out, n, "%llu %llu",
				 (unsigned long long)iso->cpu_quota,
				 (unsigned long long)iso->cpu_period);
		break;
	case CONFIG_ISO_PIDS:
		if (!iso->pids)
			snprintf(out, n, "-");
		else if (iso->pids_text[0])
			snprintf(out, n, "%s", iso->pids_text);
		else
			snprintf(out, n, "%llu", (unsigned long long)iso->pids);
		break;
	case CONFIG_ISO_STRICT:
		snprintf(out, n, "%s", iso->strict ? "true" : "false");
		break;
	case CONFIG_ISO_BIND:
	case CONFIG_ISO_RO_BIND:
		out[0] = '\0';
		for (int i = 0; i < iso->nmounts; i++) {
			const struct iso_mount *m = &iso->mounts[i];

			if (m->ro != (field == CONFIG_ISO_RO_BIND))
				continue;
			len += snprintf(out + len, len < n ? n - len : 0, "%s%s:%s",
					len ? ", " : "", m->src, m->dst);
		}
		if (!len)
			snprintf(out, n, "-");
		break;
	default:
		snprintf(out, n, "?");
		break;
	}
}
