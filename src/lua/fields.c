/*
 * fields — checking a Lua table against a field table: unknown names (with
 * the nearest valid one), types, and the generic setters; the error list;
 * typo suggestions.
 */
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cell.h"
#include "core/util.h"
#include "lua/config_int.h"

/* ---- errors ---- */

void
config_strv_add(struct config_strv *v, const char *s)
{
	v->v = xrealloc(v->v, (v->n + 1) * sizeof *v->v);
	v->v[v->n++] = xstrdup(s);
}

void
config_strv_free(struct config_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

void
config_error(struct config_lua *cl, const char *fmt, ...)
{
	char msg[1400], line[2200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(line, sizeof line, "%s: %s", cl->where, msg);
	config_strv_add(&cl->c->errors, line);
}

void
config_error_raw(struct hexe_config *c, const char *fmt, ...)
{
	char msg[2200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	config_strv_add(&c->errors, msg);
}

/* ---- suggestions ---- */

/* Optimal string alignment distance: a transposition costs 1. */
static size_t
osa_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *d, r;

	if (la > 64 || lb > 64)
		return 64;
	d = xcalloc((la + 1) * (lb + 1), sizeof *d);
#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (size_t i = 0; i <= la; i++)
		D(i, 0) = i;
	for (size_t j = 0; j <= lb; j++)
		D(0, j) = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = D(i - 1, j) + 1;

			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < v)
				v = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *
config_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1, len = strlen(word);
	/* A typo: at most 1 edit for short words, 2 from 5 letters on, 3
	 * from 9. */
	size_t maxd = len >= 9 ? 3 : len >= 5 ? 2 : 1;

	for (size_t i = 0; i < n; i++) {
		size_t d = osa_distance(word, cands[i]);

		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return bestd <= maxd && bestd < len ? best : NULL;
}

void
config_suggest_text(const char *word, const char *const *cands, size_t n,
		    char *out, size_t outsz)
{
	const char *s = config_suggest(word, cands, n);

	if (s)
		snprintf(out, outsz, "; did you mean \"%s\"?", s);
	else if (outsz)
		out[0] = '\0';
}

void
config_describe_value(lua_State *L, int idx, char *out, size_t n)
{
	switch (lua_type(L, idx)) {
	case LUA_TSTRING: {
		size_t len;
		const char *s = lua_tolstring(L, idx, &len);

		snprintf(out, n, "string \"%.*s%s\"", len > 60 ? 60 : (int)len, s,
			 len > 60 ? "..." : "");
		break;
	}
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			snprintf(out, n, "number %lld",
				 (long long)lua_tointeger(L, idx));
		else
			snprintf(out, n, "number %.14g", lua_tonumber(L, idx));
		break;
	case LUA_TBOOLEAN:
		snprintf(out, n, "boolean %s", lua_toboolean(L, idx) ? "true" : "false");
		break;
	default:
		snprintf(out, n, "%s", lua_typename(L, lua_type(L, idx)));
		break;
	}
}

/* ---- the walker ---- */

int
field_index(const struct field *fields, const char *name)
{
	for (int i = 0; fields[i].name; i++)
		if (strcmp(fields[i].name, name) == 0)
			return i;
	return -1;
}

static void
field_names(const struct field *fields, const char **names, size_t *n,
	    char *list, size_t listsz)
{
	size_t len = 0;

	*n = 0;
	list[0] = '\0';
	for (int i = 0; fields[i].name; i++) {
		names[(*n)++] = fields[i].name;
		len += snprintf(list + len, len < listsz ? listsz - len : 0, "%s%s",
				i ? ", " : "", fields[i].name);
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

unsigned
fields_apply(struct config_lua *cl, const struct field *fields, void *obj,
	     int idx, const char *path)
{
	lua_State *L = cl->L;
	const char *names[40];
	char accepted[600], fpath[600], got[120], hint[120];
	size_t nnames, nkeys = 0, k = 0;
	const char **keys;
	unsigned present = 0;

	idx = lua_absindex(L, idx);
	field_names(fields, names, &nnames, accepted, sizeof accepted);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		nkeys++;
		lua_pop(L, 1);
	}
	/* Keys sorted, so that messages come in a stable order; kept in a
	 * userdata so that a Lua error cannot leak them. */
	keys = lua_newuserdatauv(L, (nkeys ? nkeys : 1) * sizeof *keys, 0);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) == LUA_TSTRING) {
			keys[k++] = lua_tostring(L, -1);
			continue;
		}
		config_describe_value(L, -1, got, sizeof got);
		config_error(cl, "%s: unexpected entry [%s]: expected named fields "
			     "(%s)", path, got, accepted);
	}
	qsort(keys, k, sizeof *keys, cmp_str);
	for (size_t i = 0; i < k; i++) {
		int fi = field_index(fields, keys[i]);
		const struct field *f;

		snprintf(fpath, sizeof fpath, "%s.%s", path, keys[i]);
		if (fi < 0) {
			config_suggest_text(keys[i], names, nnames, hint, sizeof hint);
			config_error(cl, "%s: unknown field%s (accepted: %s)", fpath,
				     hint, accepted);
			continue;
		}
		f = &fields[fi];
		present |= 1u << fi;
		lua_pushstring(L, keys[i]);
		lua_rawget(L, idx);
		if (!(f->ltypes & LT(lua_type(L, -1)))) {
			config_describe_value(L, -1, got, sizeof got);
			config_error(cl, "%s: expected %s, got %s", fpath,
				     f->expect ? f->expect : f->type, got);
		} else if (f->set) {
			f->set(cl, f, obj, fpath);
		} else if (f->sub) {
			fields_apply(cl, f->sub, obj, -1, fpath);
		}
		lua_pop(L, 1);
	}
	lua_pop(L, 1); /* keys */
	return present;
}

/* ---- generic setters ---- */

void
field_bool(struct config_lua *cl, const struct field *f, void *obj,
	   const char *path)
{
	(void)path;
	*(bool *)((char *)obj + f->off) = lua_toboolean(cl->L, -1);
}

void
field_int(struct config_lua *cl, const struct field *f, void *obj,
	  const char *path)
{
	int ok;
	lua_Integer v = lua_tointegerx(cl->L, -1, &ok);
	char got[120];

	if (!ok || v < f->min || v > f->max) {
		config_describe_value(cl->L, -1, got, sizeof got);
		config_error(cl, "%s: expected a whole number from %ld to %ld, got %s",
			     path, f->min, f->max, got);
		return;
	}
	*(int *)((char *)obj + f->off) = (int)v;
}

void
field_string(struct config_lua *cl, const struct field *f, void *obj,
	     const char *path)
{
	char **dst = (char **)((char *)obj + f->off);
	const char *s = lua_tostring(cl->L, -1);

	if (!*s) {
		config_error(cl, "%s: expected a non-empty string, got \"\"", path);
		return;
	}
	if (strlen(s) > 4096 || strchr(s, '\n')) {
		config_error(cl, "%s: expected one line of at most 4096 bytes", path);
		return;
	}
	free(*dst);
	*dst = xstrdup(s);
}

static void
choices_text(const char *const *choices, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; choices[i]; i++)
		len += snprintf(out + len, len < n ? n - len : 0, "%s\"%s\"",
				!i ? "" : choices[i + 1] ? ", " : " or ",
				choices[i]);
}

void
field_enum(struct config_lua *cl, const struct field *f, void *obj,
	   const char *path)
{
	const char *s = lua_tostring(cl->L, -1);
	char list[300], hint[120];
	size_t n = 0;

	for (int i = 0; f->choices[i]; i++, n++) {
		if (strcmp(f->choices[i], s) == 0) {
			*(int *)((char *)obj + f->off) = i;
			return;
		}
	}
	choices_text(f->choices, list, sizeof list);
	config_suggest_text(s, (const char *const *)f->choices, n, hint,
			    sizeof hint);
	config_error(cl, "%s: expected %s, got \"%s\"%s", path, list, s, hint);
}

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright_black", "bright_red", "bright_green", "bright_yellow",
	"bright_blue", "bright_magenta", "bright_cyan", "bright_white",
};

void
field_color(struct config_lua *cl, const struct field *f, void *obj,
	    const char *path)
{
	uint32_t *dst = (uint32_t *)((char *)obj + f->off);
	lua_State *L = cl->L;
	const char *s;
	char hint[120];
	unsigned r, g, b;
	int ok, end = 0;

	if (lua_type(L, -1) == LUA_TNUMBER) {
		lua_Integer v = lua_tointegerx(L, -1, &ok);

		if (ok && v >= 0 && v <= 255) {
			*dst = COLOR_INDEX(v);
			return;
		}
		goto bad;
	}
	s = lua_tostring(L, -1);
	if (strcmp(s, "default") == 0) {
		*dst = COLOR_DEFAULT;
		return;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(color_names); i++) {
		if (strcmp(s, color_names[i]) == 0) {
			*dst = COLOR_INDEX(i);
			return;
		}
	}
	if (s[0] == '#' && strlen(s) == 7 &&
	    sscanf(s + 1, "%2x%2x%2x%n", &r, &g, &b, &end) == 3 && end == 6 &&
	    strspn(s + 1, "0123456789abcdefABCDEF") == 6) {
		*dst = COLOR_RGB(r, g, b);
		return;
	}
	config_suggest_text(s, color_names, ARRAY_SIZE(color_names), hint,
			    sizeof hint);
	config_error(cl, "%s: expected a colour: \"default\", a name (\"red\", "
		     "\"bright_blue\", ...), \"#rrggbb\" or a number 0-255, "
		     "got \"%s\"%s", path, s, hint);
	return;
bad:
	{
		char got[120];

		config_describe_value(L, -1, got, sizeof got);
		config_error(cl, "%s: expected a colour: \"default\", a name "
			     "(\"red\", \"bright_blue\", ...), \"#rrggbb\" or a "
			     "number 0-255, got %s", path, got);
	}
	(void)f;
}

char *
config_expand_home(const char *s)
{
	const char *home = getenv("HOME");

	if (s[0] == '~' && (s[1] == '\0' || s[1] == '/') && home && *home)
		return xasprintf("%s%s", home, s + 1);
	return xstrdup(s);
}
