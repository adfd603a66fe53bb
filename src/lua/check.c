/*
 * check — `hexe config check [FILE]`: every error, or the resolved
 * settings with where each isolation value came from; and the reference
 * tables of docs/config.md, both from the loader's own tables.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cell.h"
#include "core/paths.h"
#include "core/util.h"
#include "lua/config_int.h"

extern char **environ;

/* ---- values as text ---- */

static const char *const color_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright_black", "bright_red", "bright_green", "bright_yellow",
	"bright_blue", "bright_magenta", "bright_cyan", "bright_white",
};

static void
color_text(uint32_t col, char *out, size_t n)
{
	if (col == COLOR_DEFAULT)
		snprintf(out, n, "default");
	else if (COLOR_TAG(col) == COLOR_TAG_INDEX && (col & 0xff) < 16)
		snprintf(out, n, "%s", color_names[col & 0xff]);
	else if (COLOR_TAG(col) == COLOR_TAG_INDEX)
		snprintf(out, n, "%u", col & 0xff);
	else
		snprintf(out, n, "#%06x", col & 0xffffff);
}

/* A mux option's value, by its setter. */
static void
mux_value(const struct config_mux *m, const struct field *f, char *out,
	  size_t n)
{
	const char *p = (const char *)m + f->off;

	if (f->set == field_bool)
		snprintf(out, n, "%s", *(const bool *)p ? "true" : "false");
	else if (f->set == field_int)
		snprintf(out, n, "%d", *(const int *)p);
	else if (f->set == field_enum)
		snprintf(out, n, "%s", f->choices[*(const int *)p]);
	else if (f->set == field_color)
		color_text(*(const uint32_t *)p, out, n);
	else if (strcmp(f->name, "prefix") == 0 && m->has_prefix)
		key_chord_format(&m->prefix, out, n);
	else if (strcmp(f->name, "prefix") == 0)
		snprintf(out, n, "false");
	else
		snprintf(out, n, "?");
}

static void
print_mux(const struct config_mux *m, const struct field *fields,
	  const char *prefix)
{
	struct config_mux def;
	char name[100], v[100], dv[100];

	config_mux_defaults(&def);
	for (int i = 0; fields[i].name; i++) {
		const struct field *f = &fields[i];

		snprintf(name, sizeof name, "%s%s", prefix, f->name);
		if (f->sub) {
			char sub[100];

			snprintf(sub, sizeof sub, "%s.", name);
			print_mux(m, f->sub, sub);
			continue;
		}
		mux_value(m, f, v, sizeof v);
		mux_value(&def, f, dv, sizeof dv);
		printf("  %s = %s (%s)\n", name, v,
		       strcmp(v, dv) == 0 ? "default" : "lua");
	}
}

/* ---- isolation ---- */

static const struct {
	unsigned bit;
	const char *name;
	const char *env;
} iso_fields[] = {
	{ CONFIG_ISO_PROFILE, "profile", "HEXE_VOIDBOX_PROFILE" },
	{ CONFIG_ISO_MEMORY, "memory", "HEXE_CGROUP_MEM_MAX" },
	{ CONFIG_ISO_CPU, "cpu", "HEXE_CGROUP_CPU_MAX" },
	{ CONFIG_ISO_PIDS, "pids", "HEXE_CGROUP_PIDS_MAX" },
	{ CONFIG_ISO_STRICT, "strict", "HEXE_POD_STRICT" },
	{ CONFIG_ISO_BIND, "bind", NULL },
	{ CONFIG_ISO_RO_BIND, "ro_bind", NULL },
};

static enum iso_source
iso_src(const struct isolation *iso, unsigned bit)
{
	switch (bit) {
	case CONFIG_ISO_PROFILE: return iso->src_profile;
	case CONFIG_ISO_MEMORY: return iso->src_memory;
	case CONFIG_ISO_CPU: return iso->src_cpu;
	case CONFIG_ISO_PIDS: return iso->src_pids;
	case CONFIG_ISO_STRICT: return iso->src_strict;
	default: return ISO_SRC_DEFAULT;
	}
}

/* Limits beyond this machine are allowed (the config may be shared), but
 * worth a note. */
static void
machine_note(const struct isolation *iso, unsigned bit, char *out, size_t n)
{
	long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	out[0] = '\0';
	if (bit == CONFIG_ISO_MEMORY && iso->memory && pages > 0 && psize > 0 &&
	    iso->memory > (uint64_t)pages * (uint64_t)psize)
		snprintf(out, n, "  [note: more than this machine's %.1fG of "
			 "memory]", (double)pages * (double)psize / (1 << 30));
	if (bit == CONFIG_ISO_CPU && iso->cpu_quota && cpus > 0 &&
	    iso->cpu_quota > iso->cpu_period * (uint64_t)cpus)
		snprintf(out, n, "  [note: more than this machine's %ld CPUs]",
			 cpus);
}

static void
print_isolation(const struct isolation *iso, unsigned lua_set,
		unsigned float_own, const char *indent)
{
	char v[1200], src[80], note[120];

	for (size_t i = 0; i < ARRAY_SIZE(iso_fields); i++) {
		unsigned bit = iso_fields[i].bit;
		enum iso_source s = iso_src(iso, bit);

		config_iso_value(iso, bit, v, sizeof v);
		if (s == ISO_SRC_ENV)
			snprintf(src, sizeof src, "env %s", iso_fields[i].env);
		else if (float_own & bit)
			snprintf(src, sizeof src, "float");
		else if (s == ISO_SRC_LUA || (lua_set & bit))
			snprintf(src, sizeof src, "lua");
		else
			snprintf(src, sizeof src, "default");
		machine_note(iso, bit, note, sizeof note);
		printf("%s%s = %s (%s)%s\n", indent, iso_fields[i].name, v, src, note);
	}
}

/* ---- layouts ---- */

static bool
command_found(const char *command)
{
	char word[512], path[1100];
	const char *env = getenv("PATH");
	size_t n = strcspn(command, " \t");

	if (n == 0 || n >= sizeof word || strpbrk(command, "|;&<>$`(){}'\"="))
		return true; /* shell syntax: cannot tell without running it */
	memcpy(word, command, n);
	word[n] = '\0';
	if (strchr(word, '/'))
		return access(word, X_OK) == 0;
	for (const char *p = env ? env : "/usr/bin:/bin"; *p;) {
		size_t len = strcspn(p, ":");

		snprintf(path, sizeof path, "%.*s/%s", (int)len, len ? p : ".", word);
		if (access(path, X_OK) == 0)
			return true;
		p += len;
		if (*p == ':')
			p++;
	}
	return false;
}

static void
print_command(const char *indent, const char *command)
{
	if (!command) {
		printf("%scommand = - (your shell)\n", indent);
		return;
	}
	printf("%scommand = %s%s\n", indent, command,
	       command_found(command) ? "" : "  [note: not installed here]");
}

static void
print_node(const struct config_node *n, int depth)
{
	char indent[80];

	snprintf(indent, sizeof indent, "%*s", 4 + 2 * depth, "");
	if (n->split) {
		printf("%ssplit = %s (%s), ratio = %.2f\n", indent,
		       n->split == 'v' ? "v" : "h",
		       n->split == 'v' ? "side by side" : "top and bottom",
		       n->ratio);
		print_node(n->child[0], depth + 1);
		print_node(n->child[1], depth + 1);
		return;
	}
	printf("%spane: command = %s, cwd = %s\n", indent,
	       n->command ? n->command : "- (your shell)",
	       n->cwd ? n->cwd : "- (the session's directory)");
}

static void
print_layout(const struct hexe_config *c, const struct config_layout *l)
{
	if (!l->enabled)
		printf("ses.layout \"%s\" (disabled)\n", l->name);
	else if (strcmp(l->name, "default") == 0)
		printf("ses.layout \"%s\" (enabled: every new session)\n", l->name);
	else
		printf("ses.layout \"%s\" (enabled: hexe mux new -l %s)\n", l->name,
		       l->name);
	for (size_t i = 0; i < l->nfloats; i++) {
		const struct config_float *f = &l->floats[i];
		char pos[64], attrs[64];

		printf("  float \"%s\" %s\n", f->key, f->title);
		print_command("    ", f->command);
		snprintf(attrs, sizeof attrs, "%s%s%s", f->per_cwd ? ", per_cwd" : "",
			 f->sticky ? ", sticky" : "",
			 f->exclusive ? ", exclusive" : "");
		printf("    attributes = %s\n", attrs[0] ? attrs + 2 : "-");
		if (f->x == CONFIG_CENTER && f->y == CONFIG_CENTER) {
			snprintf(pos, sizeof pos, "center");
		} else {
			char xs[16] = "center", ys[16] = "center";

			if (f->x != CONFIG_CENTER)
				snprintf(xs, sizeof xs, "%d%%", f->x);
			if (f->y != CONFIG_CENTER)
				snprintf(ys, sizeof ys, "%d%%", f->y);
			snprintf(pos, sizeof pos, "x %s, y %s", xs, ys);
		}
		printf("    size = %d%% x %d%%%s, position = %s\n", f->width,
		       f->height, f->own_size ? "" : " (default)", pos);
		if (!f->iso_own) {
			printf("    isolation = ses.isolation\n");
			continue;
		}
		print_isolation(&f->isolation, c->iso_lua_set, f->iso_own,
				"    isolation.");
	}
	if (!l->nfloats)
		printf("  floats = -\n");
	for (size_t i = 0; i < l->ntabs; i++) {
		printf("  tab \"%s\"\n", l->tabs[i].name);
		print_node(l->tabs[i].root, 0);
	}
	if (!l->ntabs)
		printf("  tabs = - (one tab with your shell)\n");
}

/* ---- keymap ---- */

static void
print_bindings(const struct binding *b, size_t n)
{
	char chord[64], act[200];

	for (size_t i = 0; i < n; i++) {
		if (key_chord_format(&b[i].chord, chord, sizeof chord) < 0)
			snprintf(chord, sizeof chord, "?");
		action_req_format(&b[i].req, &b[i], act, sizeof act);
		printf("  %-20s %s\n", chord, act);
	}
}

/* ---- the command ---- */

static void
print_settings(const struct hexe_config *c)
{
	char prefix[64];

	printf("\nses.isolation\n");
	print_isolation(&c->isolation, c->iso_lua_set, 0, "  ");
	for (size_t i = 0; i < c->nlayouts; i++) {
		printf("\n");
		print_layout(c, &c->layouts[i]);
	}
	if (!c->nlayouts)
		printf("\nses.layout: none (a new session starts with one "
		       "shell)\n");
	printf("\nmux.config\n");
	print_mux(&c->mux, config_mux_fields, "");
	printf("\nmux.keymap\n");
	print_bindings(c->keymap.b, c->keymap.n);
	if (c->keymap.has_prefix) {
		key_chord_format(&c->keymap.prefix, prefix, sizeof prefix);
		printf("\nmux.keymap after the prefix %s\n", prefix);
		print_bindings(c->keymap.pb, c->keymap.pn);
	}
}

int
config_check_main(int argc, char **argv)
{
	struct hexe_config c;
	struct paths p;
	const char *file;
	char err[600];
	int rc;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1])) {
		fprintf(stderr, "usage: hexe config check [FILE]\n");
		return 2;
	}
	if (argc == 2) {
		file = argv[1];
		if (access(file, R_OK) < 0) {
			fprintf(stderr, "hexe config check: %s: %s\n", file,
				strerror(errno));
			return 1;
		}
	} else {
		if (paths_init(&p, NULL, err, sizeof err) < 0) {
			fprintf(stderr, "hexe config check: %s\n", err);
			return 1;
		}
		file = p.config;
	}
	rc = config_load(&c, file, environ, 0);
	printf("config: %s%s\n", file,
	       c.found ? "" : " (no such file: built-in defaults)");
	for (size_t i = 0; i < c.output.n; i++)
		printf("print: %s\n", c.output.v[i]);
	if (rc < 0) {
		fflush(stdout);
		for (size_t i = 0; i < c.errors.n; i++)
			fprintf(stderr, "%s\n", c.errors.v[i]);
		fprintf(stderr, "%zu error%s: hexe would use the built-in defaults\n",
			c.errors.n, c.errors.n == 1 ? "" : "s");
		config_free(&c);
		return 1;
	}
	print_settings(&c);
	config_free(&c);
	return 0;
}

/* ---- reference tables ---- */

static void
ref_fields(FILE *f, const char *title, const struct field *fields,
	   const char *prefix, bool header)
{
	char name[100];

	if (header) {
		fprintf(f, "#### %s\n\n", title);
		fprintf(f, "| field | type | default | description |\n");
		fprintf(f, "|---|---|---|---|\n");
	}
	for (int i = 0; fields[i].name; i++) {
		snprintf(name, sizeof name, "%s%s", prefix, fields[i].name);
		if (fields[i].sub && fields[i].ltypes == LT(LUA_TTABLE) &&
		    !fields[i].def[0]) {
			char sub[100];

			snprintf(sub, sizeof sub, "%s.", name);
			ref_fields(f, title, fields[i].sub, sub, false);
			continue;
		}
		fprintf(f, "| `%s` | %s | %s | %s |\n", name, fields[i].type,
			fields[i].def, fields[i].help);
	}
	if (header)
		fprintf(f, "\n");
}

void
config_reference(FILE *f)
{
	const struct action_def *t;
	size_t n;

	ref_fields(f, "hexe.ses.isolation.set{...}", config_isolation_fields, "",
		   true);
	ref_fields(f, "hexe.ses.layout.define{...}", config_layout_fields, "",
		   true);
	ref_fields(f, "floats[i]", config_float_fields, "", true);
	ref_fields(f, "floats[i].attributes", config_attributes_fields, "", true);
	ref_fields(f, "floats[i].size", config_size_fields, "", true);
	ref_fields(f, "floats[i].position", config_position_fields, "", true);
	ref_fields(f, "tabs[i]", config_tab_fields, "", true);
	ref_fields(f, "hexe.mux.config.setup{...}", config_mux_fields, "", true);

	t = action_table(&n);
	fprintf(f, "#### Actions\n\n");
	fprintf(f, "| action | argument | default chord | after the prefix | "
		   "description |\n");
	fprintf(f, "|---|---|---|---|---|\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "| `%s` | %s | %s | %s | %s |\n", t[i].name,
			t[i].arg == ACTION_ARG_NUMBER ? "N" :
			t[i].arg == ACTION_ARG_FLOAT_KEY ? "KEY" : "-",
			t[i].chord ? t[i].chord :
			t[i].arg == ACTION_ARG_FLOAT_KEY ? "alt+KEY" : "-",
			t[i].prefix_key ? t[i].prefix_key :
			t[i].arg == ACTION_ARG_FLOAT_KEY ? "KEY" : "-",
			t[i].help);
	fprintf(f, "\n");

	fprintf(f, "#### Default keymap\n\n");
	fprintf(f, "| chord | action | readline command it hides |\n");
	fprintf(f, "|---|---|---|\n");
	for (size_t i = 0; i < n; i++) {
		if (!t[i].chord && t[i].arg != ACTION_ARG_FLOAT_KEY)
			continue;
		fprintf(f, "| `%s` | %s | %s |\n",
			t[i].chord ? t[i].chord : "alt+KEY",
			t[i].arg == ACTION_ARG_FLOAT_KEY ? "float.toggle KEY, for "
			"each float" : t[i].name,
			t[i].shadows ? t[i].shadows : "-");
	}
	fprintf(f, "\n");
}
