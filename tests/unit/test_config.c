/*
 * test_config — the Lua config layer: every example of the isolation spec
 * (shipped in examples/), the environment over Lua, strict validation with
 * exact messages, time and memory bounds, layouts, the keymap and its Lua
 * functions, and docs/config.md against the tables.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cell.h"
#include "core/util.h"
#include "lua/config.h"
#include "lua/config_int.h"

static char tmpdir[256];
static char cfgpath[300];

static int
group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/hexe-config-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(cfgpath, sizeof cfgpath, "%s/init.lua", tmpdir);
	setenv("HOME", "/home/u", 1);
	return 0;
}

static int
group_teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* The repo's root: tests/run starts us there. */
static void
repo_path(const char *rel, char *out, size_t n)
{
	const char *root = getenv("HEXE_ROOT");

	snprintf(out, n, "%s/%s", root ? root : ".", rel);
}

static void
write_cfg(const char *src)
{
	FILE *f = fopen(cfgpath, "w");

	assert_non_null(f);
	fputs(src, f);
	fclose(f);
}

static int
load_src(struct hexe_config *c, const char *src, char *const *envp)
{
	write_cfg(src);
	return config_load(c, cfgpath, envp, 0);
}

static char *const no_env[] = { NULL };

/* ---- the spec's examples ---- */

struct example {
	const char *file;
	enum profile profile;
	const char *memory;  /* as written; NULL: no limit */
	uint64_t memory_bytes;
	const char *cpu;
	uint64_t quota, period;
	const char *pids;
	uint64_t pids_n;
};

#define M (1ull << 20)
#define G (1ull << 30)

static const struct example examples[] = {
	{ "examples/basic.lua", PROFILE_BALANCED, "1G", G, "50000 100000",
	  50000, 100000, "512", 512 },
	{ "examples/profile-none.lua", PROFILE_NONE, NULL, 0, NULL, 0, 0, NULL, 0 },
	{ "examples/profile-minimal.lua", PROFILE_MINIMAL, NULL, 0, NULL, 0, 0,
	  NULL, 0 },
	{ "examples/profile-default.lua", PROFILE_DEFAULT, NULL, 0, NULL, 0, 0,
	  NULL, 0 },
	{ "examples/profile-balanced.lua", PROFILE_BALANCED, "2G", 2 * G, NULL, 0,
	  0, "1000", 1000 },
	{ "examples/profile-full.lua", PROFILE_FULL, "512M", 512 * M,
	  "100000 100000", 100000, 100000, "100", 100 },
	{ "examples/development-workstation.lua", PROFILE_DEFAULT, "4G", 4 * G,
	  NULL, 0, 0, "2000", 2000 },
	{ "examples/build-server.lua", PROFILE_BALANCED, "8G", 8 * G,
	  "400000 100000", 400000, 100000, "5000", 5000 },
	{ "examples/untrusted-code.lua", PROFILE_FULL, "512M", 512 * M,
	  "50000 100000", 50000, 100000, "50", 50 },
	{ "examples/no-isolation.lua", PROFILE_NONE, NULL, 0, NULL, 0, 0, NULL, 0 },
	{ "examples/verify-loading.lua", PROFILE_BALANCED, NULL, 0, NULL, 0, 0,
	  NULL, 0 },
	{ "examples/complete.lua", PROFILE_BALANCED, "2G", 2 * G, "200000 100000",
	  200000, 100000, "1000", 1000 },
};

static void
check_example(const struct example *e, const struct isolation *iso)
{
	assert_int_equal(iso->profile, e->profile);
	assert_int_equal(iso->src_profile, ISO_SRC_LUA);
	assert_int_equal(iso->memory, e->memory_bytes);
	assert_int_equal(iso->src_memory, e->memory ? ISO_SRC_LUA : ISO_SRC_DEFAULT);
	assert_string_equal(iso->memory_text, e->memory ? e->memory : "");
	assert_int_equal(iso->cpu_quota, e->quota);
	if (e->cpu)
		assert_int_equal(iso->cpu_period, e->period);
	assert_string_equal(iso->cpu_text, e->cpu ? e->cpu : "");
	assert_int_equal(iso->src_cpu, e->cpu ? ISO_SRC_LUA : ISO_SRC_DEFAULT);
	assert_int_equal(iso->pids, e->pids_n);
	assert_string_equal(iso->pids_text, e->pids ? e->pids : "");
	assert_int_equal(iso->src_pids, e->pids ? ISO_SRC_LUA : ISO_SRC_DEFAULT);
}

static void
test_spec_examples(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(examples); i++) {
		struct hexe_config c;
		char path[600];

		repo_path(examples[i].file, path, sizeof path);
		if (config_load(&c, path, no_env, 0) != 0) {
			for (size_t k = 0; k < c.errors.n; k++)
				fprintf(stderr, "%s\n", c.errors.v[k]);
			fail_msg("%s did not load", path);
		}
		assert_true(c.found);
		check_example(&examples[i], &c.isolation);
		check_example(&examples[i], &c.isolation_lua);
		config_free(&c);
	}
}

static void
test_complete_example_layout(void **state)
{
	struct hexe_config c;
	const struct config_layout *l;
	struct key_chord kc;
	const struct binding *b;
	char path[600], err[300];

	(void)state;
	repo_path("examples/complete.lua", path, sizeof path);
	assert_int_equal(config_load(&c, path, no_env, 0), 0);
	assert_int_equal(c.nlayouts, 1);
	assert_int_equal(config_layout_pick(&c, NULL, &l, err, sizeof err), 0);
	assert_non_null(l);
	assert_string_equal(l->name, "default");
	assert_true(l->enabled);
	assert_int_equal(l->nfloats, 2);
	assert_int_equal(l->ntabs, 0);
	assert_string_equal(l->floats[0].key, "1");
	assert_string_equal(l->floats[0].title, "editor");
	assert_string_equal(l->floats[0].command, "/usr/bin/nvim");
	assert_true(l->floats[0].per_cwd);
	assert_string_equal(l->floats[1].key, "2");
	assert_string_equal(l->floats[1].title, "browser");
	assert_string_equal(l->floats[1].command, "/usr/bin/firefox");
	assert_false(l->floats[1].per_cwd);
	/* No own size or position: the mux defaults, centred. */
	assert_int_equal(l->floats[0].width, 80);
	assert_int_equal(l->floats[0].height, 80);
	assert_int_equal(l->floats[0].x, CONFIG_CENTER);
	/* The floats take the global isolation. */
	assert_int_equal(l->floats[0].isolation.profile, PROFILE_BALANCED);
	assert_int_equal(l->floats[0].isolation.memory, 2 * G);
	assert_ptr_equal(config_float_find(l, "2"), &l->floats[1]);
	assert_null(config_float_find(l, "3"));
	/* alt+KEY toggles each float. */
	assert_int_equal(key_chord_parse("alt+1", &kc, NULL, 0), 0);
	b = keymap_find(&c.keymap, &kc);
	assert_non_null(b);
	assert_int_equal(b->req.action, ACTION_FLOAT_TOGGLE);
	assert_string_equal(b->req.arg, "1");
	assert_int_equal(key_chord_parse("alt+2", &kc, NULL, 0), 0);
	assert_non_null(keymap_find(&c.keymap, &kc));
	config_free(&c);
}

static void
test_verify_loading_print(void **state)
{
	struct hexe_config c;
	char path[600], out[700];
	int fd, saved;
	struct stat st;

	(void)state;
	repo_path("examples/verify-loading.lua", path, sizeof path);
	/* print() never reaches the terminal: stdout stays empty. */
	snprintf(out, sizeof out, "%s/stdout", tmpdir);
	fflush(stdout);
	saved = dup(1);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	dup2(fd, 1);
	close(fd);
	assert_int_equal(config_load(&c, path, no_env, 0), 0);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(c.output.n, 1);
	assert_string_equal(c.output.v[0], "Setting isolation profile: balanced");
	config_free(&c);
}

static void
test_limit_formats(void **state)
{
	static const struct {
		const char *src;
		uint64_t memory, quota, period, pids;
	} cases[] = {
		{ "memory = \"512M\"", 512 * M, 0, 0, 0 },
		{ "memory = \"1G\"", G, 0, 0, 0 },
		{ "memory = \"2048M\"", 2048 * M, 0, 0, 0 },
		{ "memory = \"1048576K\"", G, 0, 0, 0 },
		{ "memory = \"1T\"", 1024 * G, 0, 0, 0 },
		{ "memory = \"1073741824\"", G, 0, 0, 0 },
		{ "memory = \"1M\"", M, 0, 0, 0 },
		{ "cpu = \"50000 100000\"", 0, 50000, 100000, 0 },
		{ "cpu = \"100000 100000\"", 0, 100000, 100000, 0 },
		{ "cpu = \"200000 100000\"", 0, 200000, 100000, 0 },
		{ "pids = 100", 0, 0, 0, 100 },
		{ "pids = \"500\"", 0, 0, 0, 500 },
		{ "pids = 1000", 0, 0, 0, 1000 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct hexe_config c;
		char src[200];

		snprintf(src, sizeof src, "hexe.ses.isolation.set({ %s })\n",
			 cases[i].src);
		assert_int_equal(load_src(&c, src, no_env), 0);
		assert_int_equal(c.isolation.memory, cases[i].memory);
		assert_int_equal(c.isolation.cpu_quota, cases[i].quota);
		if (cases[i].period)
			assert_int_equal(c.isolation.cpu_period, cases[i].period);
		assert_int_equal(c.isolation.pids, cases[i].pids);
		config_free(&c);
	}
}

/* ---- environment > Lua > defaults ---- */

static void
test_env_beats_lua(void **state)
{
	static const struct {
		char *env;
		unsigned field;
		const char *text;
	} cases[] = {
		{ "HEXE_VOIDBOX_PROFILE=full", CONFIG_ISO_PROFILE, "full" },
		{ "HEXE_CGROUP_MEM_MAX=3G", CONFIG_ISO_MEMORY, "3G" },
		{ "HEXE_CGROUP_CPU_MAX=100000 100000", CONFIG_ISO_CPU,
		  "100000 100000" },
		{ "HEXE_CGROUP_PIDS_MAX=1000", CONFIG_ISO_PIDS, "1000" },
	};
	const char *src = "hexe.ses.isolation.set({ profile = \"balanced\", "
			  "memory = \"1G\", pids = 512, cpu = \"50000 100000\" })\n"
			  "hexe.ses.layout.define({ name = \"default\", floats = {\n"
			  "  { key = \"1\", isolation = { profile = \"minimal\", "
			  "memory = \"256M\", cpu = \"20000 100000\", pids = 7 } } } })\n";

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *envp[] = { "PATH=/bin", cases[i].env, NULL };
		struct hexe_config c;
		struct isolation iso;
		char v[100], lua[100], err[300];

		assert_int_equal(load_src(&c, src, envp), 0);
		config_iso_value(&c.isolation, cases[i].field, v, sizeof v);
		assert_string_equal(v, cases[i].text);
		/* The Lua value is still there underneath. */
		config_iso_value(&c.isolation_lua, cases[i].field, lua,
				      sizeof lua);
		assert_string_not_equal(lua, cases[i].text);
		/* Also over a float's own isolation, and per pane. */
		config_iso_value(&c.layouts[0].floats[0].isolation,
				      cases[i].field, v, sizeof v);
		assert_string_equal(v, cases[i].text);
		assert_int_equal(config_pane_isolation(&c, &c.layouts[0].floats[0],
						       envp, &iso, err, sizeof err),
				 0);
		config_iso_value(&iso, cases[i].field, v, sizeof v);
		assert_string_equal(v, cases[i].text);
		switch (cases[i].field) {
		case CONFIG_ISO_PROFILE:
			assert_int_equal(c.isolation.src_profile, ISO_SRC_ENV);
			assert_int_equal(c.isolation.src_memory, ISO_SRC_LUA);
			break;
		case CONFIG_ISO_MEMORY:
			assert_int_equal(c.isolation.src_memory, ISO_SRC_ENV);
			assert_int_equal(c.isolation.memory, 3 * G);
			assert_int_equal(c.isolation.src_profile, ISO_SRC_LUA);
			break;
		case CONFIG_ISO_CPU:
			assert_int_equal(c.isolation.src_cpu, ISO_SRC_ENV);
			assert_int_equal(c.isolation.cpu_quota, 100000);
			break;
		case CONFIG_ISO_PIDS:
			assert_int_equal(c.isolation.src_pids, ISO_SRC_ENV);
			assert_int_equal(c.isolation.pids, 1000);
			break;
		}
		/* Without the variable, Lua wins again. */
		assert_int_equal(config_pane_isolation(&c, NULL, no_env, &iso, err,
						       sizeof err), 0);
		config_iso_value(&iso, cases[i].field, v, sizeof v);
		assert_string_equal(v, lua);
		config_free(&c);
	}
}

static void
test_defaults_and_missing_file(void **state)
{
	struct hexe_config c;
	char path[400];
	char *envp[] = { "HEXE_CGROUP_PIDS_MAX=64", NULL };

	(void)state;
	snprintf(path, sizeof path, "%s/nope/init.lua", tmpdir);
	assert_int_equal(config_load(&c, path, no_env, 0), 0);
	assert_false(c.found);
	assert_int_equal(c.errors.n, 0);
	assert_int_equal(c.isolation.profile, PROFILE_DEFAULT);
	assert_int_equal(c.isolation.src_profile, ISO_SRC_DEFAULT);
	assert_int_equal(c.isolation.memory, 0);
	assert_int_equal(c.nlayouts, 0);
	assert_true(c.mux.status_enabled);
	assert_int_equal(c.mux.status_position, CONFIG_STATUS_BOTTOM);
	assert_true(c.mux.mouse);
	assert_int_equal(c.mux.scrollback, 10000);
	assert_false(c.mux.has_prefix);
	assert_int_equal(c.mux.escape_timeout, 25);
	assert_int_equal(c.mux.float_width, 80);
	assert_false(c.keymap.has_prefix);
	config_free(&c);
	/* The environment applies without a file too. */
	assert_int_equal(config_load(&c, path, envp, 0), 0);
	assert_int_equal(c.isolation.pids, 64);
	assert_int_equal(c.isolation.src_pids, ISO_SRC_ENV);
	config_free(&c);
}

static void
test_bad_env(void **state)
{
	char *envp[] = { "HEXE_CGROUP_MEM_MAX=lots", NULL };
	struct hexe_config c;
	struct isolation iso;
	char err[400];

	(void)state;
	assert_int_equal(load_src(&c, "hexe.ses.isolation.set{ profile = \"full\" }\n",
				  envp), -1);
	assert_int_equal(c.errors.n, 1);
	assert_string_equal(c.errors.v[0],
			    "environment: HEXE_CGROUP_MEM_MAX: expected a size like "
			    "\"512M\" or \"1G\" (M = MiB, G = GiB), got \"lots\"");
	assert_int_equal(config_pane_isolation(&c, NULL, envp, &iso, err,
					       sizeof err), -1);
	config_free(&c);
}

/* ---- strict validation: exact messages ---- */

struct bad {
	const char *src;
	const char *error; /* after "PATH" */
};

static const struct bad bad_configs[] = {
	{ "hexe.ses.isolation.set({ memroy = \"1G\" })",
	  ":1: ses.isolation.memroy: unknown field; did you mean \"memory\"? "
	  "(accepted: profile, memory, cpu, pids, strict, bind, ro_bind)" },
	{ "hexe.ses.isolation.set({ memory = 512 })",
	  ":1: ses.isolation.memory: expected a string such as \"512M\" or "
	  "\"1G\", got number 512" },
	{ "hexe.ses.isolation.set({ memory = \"lots\" })",
	  ":1: ses.isolation.memory: expected a size like \"512M\" or \"1G\" "
	  "(M = MiB, G = GiB), got \"lots\"" },
	{ "hexe.ses.isolation.set({ memory = \"1\" })",
	  ":1: ses.isolation.memory: \"1\" is less than the 1M a pane needs "
	  "to start (a bare number is bytes; did you mean \"1M\" or \"1G\"?)" },
	{ "hexe.ses.isolation.set({ memory = \"512K\" })",
	  ":1: ses.isolation.memory: \"512K\" is less than the 1M a pane "
	  "needs to start" },
	{ "hexe.ses.isolation.set({ memory = \"1.5G\" })",
	  ":1: ses.isolation.memory: expected a size like \"512M\" or \"1G\" "
	  "(M = MiB, G = GiB), got \"1.5G\"" },
	{ "hexe.ses.isolation.set({ profile = \"balnced\" })",
	  ":1: ses.isolation.profile: unknown profile \"balnced\" (expected "
	  "\"none\", \"minimal\", \"default\", \"balanced\" or \"full\"); did "
	  "you mean \"balanced\"?" },
	{ "hexe.ses.isolation.set({ profile = \"paranoid\" })",
	  ":1: ses.isolation.profile: unknown profile \"paranoid\" (expected "
	  "\"none\", \"minimal\", \"default\", \"balanced\" or \"full\")" },
	{ "hexe.ses.isolation.set({ cpu = \"50%\" })",
	  ":1: ses.isolation.cpu: expected \"quota period\" in microseconds, "
	  "e.g. \"50000 100000\" for half a core (quota >= 1000, 1000 <= period "
	  "<= 1000000), got \"50%\"" },
	{ "hexe.ses.isolation.set({ pids = 0 })",
	  ":1: ses.isolation.pids: expected a positive number of processes (a "
	  "number or a numeric string such as \"500\"), got \"0\"" },
	{ "hexe.ses.isolation.set({ pids = true })",
	  ":1: ses.isolation.pids: expected a number or a numeric string, got "
	  "boolean true" },
	{ "hexe.ses.isolation.set({ strict = \"yes\" })",
	  ":1: ses.isolation.strict: expected boolean, got string \"yes\"" },
	{ "hexe.ses.isolation.set({ bind = { \"/src:/dst\" } })",
	  ":1: ses.isolation.bind: bind/ro_bind need a mount namespace: profile "
	  "\"default\" has none (use \"balanced\" or \"full\")" },
	{ "hexe.ses.isolation.set({ profile = \"full\", ro_bind = { \"rel\" } })",
	  ":1: ses.isolation.ro_bind[1]: expected \"/host/path:/pod/path\" or "
	  "\"/path\" with absolute paths, got \"rel\"" },
	{ "hexe.ses.isolation.set(\"balanced\")",
	  ":1: ses.isolation: expected a table { profile = ..., memory = ..., "
	  "cpu = ..., pids = ... }, got string \"balanced\"" },
	{ "\n\nhexe.ses.isolation:set({ profile = \"full\" })",
	  ":3: hexe.ses.isolation.set: call it with a dot, "
	  "hexe.ses.isolation.set{ ... }, not with a colon" },
	{ "hexe.ses.isolaton.set({ profile = \"full\" })",
	  ":1: hexe.ses has no field \"isolaton\"; did you mean \"isolation\"? "
	  "(it has: isolation, layout)" },
	{ "hexe.ses.layout.define({ name = \"default\", floats = {\n"
	  "  { key = \"1\", title = \"a\" }, { key = \"1\", title = \"b\" } } })",
	  ":1: ses.layout.floats[2].key: duplicate float key \"1\" (already used "
	  "by ses.layout.floats[1] \"a\")" },
	{ "hexe.ses.layout.define({ name = \"x\", floats = { { key = \"12\" } } })",
	  ":1: ses.layout.floats[1].key: expected one character (\"1\", \"e\"), "
	  "got \"12\"" },
	{ "hexe.ses.layout.define({ name = \"x\", floats = { { title = \"t\" } } })",
	  ":1: ses.layout.floats[1].key: missing (one character, e.g. key = "
	  "\"1\")" },
	{ "hexe.ses.layout.define({ name = \"x\", floats = { { key = \"1\", "
	  "comand = \"vim\" } } })",
	  ":1: ses.layout.floats[1].comand: unknown field; did you mean "
	  "\"command\"? (accepted: key, title, command, attributes, size, "
	  "position, isolation)" },
	{ "hexe.ses.layout.define({ name = \"x\", floats = { { key = \"1\", "
	  "attributes = { per_cwd = \"yes\" } } } })",
	  ":1: ses.layout.floats[1].attributes.per_cwd: expected boolean, got "
	  "string \"yes\"" },
	{ "hexe.ses.layout.define({ name = \"x\", floats = { { key = \"1\", "
	  "size = { width = 120 } } } })",
	  ":1: ses.layout.floats[1].size.width: expected a whole number from 1 "
	  "to 100, got number 120" },
	{ "hexe.ses.layout.define({ name = \"x\", floats = { { key = \"1\", "
	  "position = { x = 50 }, size = { width = 80 } } } })",
	  ":1: ses.layout.floats[1].position.x: 50 + width 80 is more than 100%: "
	  "the float would leave the screen" },
	{ "hexe.ses.layout.define({ name = \"x\", floats = { { key = \"1\", "
	  "isolation = { memory = \"huge\" } } } })",
	  ":1: ses.layout.floats[1].isolation.memory: expected a size like "
	  "\"512M\" or \"1G\" (M = MiB, G = GiB), got \"huge\"" },
	{ "hexe.ses.layout.define({ floats = {} })",
	  ":1: ses.layout.name: missing (name = \"default\" applies to every new "
	  "session)" },
	{ "hexe.ses.layout.define({ name = \"a\" })\n"
	  "hexe.ses.layout.define({ name = \"a\" })",
	  ":2: ses.layout.name: layout \"a\" is already defined at @:1" },
	{ "hexe.ses.layout.define({ name = \"a\", tabs = { { name = \"t\", "
	  "split = \"v\", children = { {} } } } })",
	  ":1: ses.layout.tabs[1].children: a split needs exactly two children, "
	  "got 1" },
	{ "hexe.ses.layout.define({ name = \"a\", tabs = { { name = \"t\", "
	  "split = \"v\", ratio = 2, children = { {}, {} } } } })",
	  ":1: ses.layout.tabs[1].ratio: expected a number from 0.1 to 0.9 (the "
	  "first child's share), got 2" },
	{ "hexe.ses.layout.define({ name = \"a\", tabs = { { name = \"t\", "
	  "split = \"vertical\", children = { {}, {} } } } })",
	  ":1: ses.layout.tabs[1].split: expected \"v\" (side by side) or \"h\" "
	  "(top and bottom), got \"vertical\"" },
	{ "hexe.mux.keymap.set({ [\"ctrl+alt+d\"] = \"detatch\" })",
	  ":1: mux.keymap[\"ctrl+alt+d\"]: unknown action \"detatch\"; did you "
	  "mean \"detach\"? (actions: detach, redraw, reload, help, "
	  "split.vertical, split.horizontal, pane.close, zoom, focus.left, "
	  "focus.down, focus.up, focus.right, resize.left, resize.down, "
	  "resize.up, resize.right, tab.new, tab.next, tab.prev, tab.rename, "
	  "tab.close, tab.goto, float.toggle, scroll.page_up, scroll.page_down, "
	  "copy.mode)" },
	{ "hexe.mux.keymap.set({ [\"ctlr+d\"] = \"detach\" })",
	  ":1: mux.keymap[\"ctlr+d\"]: unknown modifier \"ctlr\" (did you mean "
	  "\"ctrl\"?) (expected a key chord such as \"ctrl+alt+d\")" },
	{ "hexe.mux.keymap.set({ [\"alt+9\"] = { \"float.toggle\", \"9\" } })",
	  ":1: mux.keymap[\"alt+9\"]: float.toggle \"9\": no enabled layout has a "
	  "float with that key (float keys: none)" },
	{ "hexe.mux.keymap.set({ [\"alt+9\"] = \"tab.goto\" })",
	  ":1: mux.keymap[\"alt+9\"]: tab.goto needs an argument: { "
	  "\"tab.goto\", 3 }" },
	{ "hexe.mux.keymap.set({ [\"alt+9\"] = { \"zoom\", 1 } })",
	  ":1: mux.keymap[\"alt+9\"]: zoom takes no argument" },
	{ "hexe.mux.keymap.set({ [\"alt+9\"] = true })",
	  ":1: mux.keymap[\"alt+9\"]: expected an action name (\"detach\"), { "
	  "action, argument } ({ \"float.toggle\", \"1\" }), a function, or "
	  "false to unbind, got boolean true" },
	{ "hexe.mux.config.setup({ status = { position = \"left\" } })",
	  ":1: mux.config.status.position: expected \"bottom\" or \"top\", got "
	  "\"left\"" },
	{ "hexe.mux.config.setup({ scrollback = -1 })",
	  ":1: mux.config.scrollback: expected a whole number from 0 to 1000000, "
	  "got number -1" },
	{ "hexe.mux.config.setup({ status = { bg = \"gren\" } })",
	  ":1: mux.config.status.bg: expected a colour: \"default\", a name "
	  "(\"red\", \"bright_blue\", ...), \"#rrggbb\" or a number 0-255, got "
	  "\"gren\"; did you mean \"green\"?" },
	{ "hexe.mux.config.setup({ prefix = \"ctrl+\" })",
	  ":1: mux.config.prefix: missing key after \"ctrl+\" (expected a key "
	  "chord such as \"ctrl+b\")" },
	{ "hexe.mux.config.setup({ escape_timout = 10 })",
	  ":1: mux.config.escape_timout: unknown field; did you mean "
	  "\"escape_timeout\"? (accepted: status, border, mouse, scrollback, "
	  "prefix, float, escape_timeout)" },
	{ "hexe.mux.run(\"zoom\")",
	  ":1: hexe.mux.run: only from a function bound to a key "
	  "(hexe.mux.keymap.set)" },
	{ "local x = nil\nx.y = 1",
	  ":2: attempt to index a nil value (local 'x')" },
	{ "error(\"boom\")", ":1: boom" },
	{ "os.exit(3)", ":1: attempt to call a nil value (field 'exit')" },
	{ "io.write(\"x\")", ":1: attempt to call a nil value (field 'write')" },
	{ "hexe.ses.isolation.set({\n  profile = \"full\"\n",
	  ":3: '}' expected (to close '{' at line 1) near <eof>" },
};

/* expected with each "@" replaced by the config's path. */
static void
expand_at(const char *expected, char *out, size_t n)
{
	size_t len = 0;

	len += snprintf(out, n, "%s", cfgpath);
	for (const char *p = expected; *p && len + 1 < n; p++) {
		if (*p == '@')
			len += snprintf(out + len, n - len, "%s", cfgpath);
		else
			out[len++] = *p;
	}
	out[len < n ? len : n - 1] = '\0';
}

static void
test_bad_configs(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_configs); i++) {
		struct hexe_config c;
		char want[2000];

		expand_at(bad_configs[i].error, want, sizeof want);
		if (load_src(&c, bad_configs[i].src, no_env) != -1 ||
		    c.errors.n != 1 || strcmp(c.errors.v[0], want) != 0) {
			for (size_t k = 0; k < c.errors.n; k++)
				fprintf(stderr, "got:  %s\n", c.errors.v[k]);
			fprintf(stderr, "want: %s\n", want);
			fail_msg("bad config %zu: %s", i, bad_configs[i].src);
		}
		/* A broken config means the defaults, everywhere. */
		assert_int_equal(c.isolation.profile, PROFILE_DEFAULT);
		assert_int_equal(c.nlayouts, 0);
		assert_null(c.lua);
		config_free(&c);
	}
}

static void
test_every_error_reported(void **state)
{
	struct hexe_config c;
	const char *src =
		"hexe.ses.isolation.set({ memory = \"lots\", pids = -1 })\n"
		"hexe.mux.config.setup({ mouse = \"yes\" })\n"
		"hexe.ses.isolation.set({ profile = \"balanced\", memory = \"1G\" })\n";

	(void)state;
	assert_int_equal(load_src(&c, src, no_env), -1);
	assert_int_equal(c.errors.n, 3);
	assert_non_null(strstr(c.errors.v[0], ":1: ses.isolation.memory:"));
	assert_non_null(strstr(c.errors.v[1], ":1: ses.isolation.pids:"));
	assert_non_null(strstr(c.errors.v[2], ":2: mux.config.mouse:"));
	/* The good parts do not apply either: defaults. */
	assert_int_equal(c.isolation.profile, PROFILE_DEFAULT);
	assert_int_equal(c.isolation.memory, 0);
	config_free(&c);
}

static void
test_infinite_loops_stop(void **state)
{
	static const char *const loops[] = {
		"local n = 0\nwhile true do n = n + 1 end\n",
		/* a pcall cannot swallow the stop */
		"while true do pcall(function() while true do end end) end\n",
		"local co = coroutine.wrap(function() while true do end end)\nco()\n",
		"local function f() return f() end\nf()\n",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(loops); i++) {
		struct hexe_config c;
		uint64_t t0 = now_ms();

		assert_int_equal(load_src(&c, loops[i], no_env), -1);
		assert_true(now_ms() - t0 < CONFIG_LOAD_TIMEOUT_MS + 2000);
		assert_int_equal(c.errors.n, 1);
		assert_non_null(strstr(c.errors.v[0], cfgpath));
		assert_non_null(strstr(c.errors.v[0],
				       ": the config did not finish within 1000 ms "
				       "and was stopped (an endless loop?)"));
		config_free(&c);
	}
}

static void
test_memory_bomb_stops(void **state)
{
	struct hexe_config c;
	char want[600];

	(void)state;
	assert_int_equal(load_src(&c, "local s = string.rep(\"x\", 1e9)\n", no_env),
			 -1);
	snprintf(want, sizeof want, "%s: the config used more than 64 MiB of "
		 "memory and was stopped", cfgpath);
	assert_int_equal(c.errors.n, 1);
	assert_string_equal(c.errors.v[0], want);
	config_free(&c);
}

static void
test_long_path_in_messages(void **state)
{
	char dir[600], path[700], cmd[800];
	struct hexe_config c;
	FILE *f;

	(void)state;
	snprintf(dir, sizeof dir, "%s/a-rather-long-directory-name/and-another-"
		 "one-below-it", tmpdir);
	snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/init.lua", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("\nlocal x = nil\nx.y = 1\n", f);
	fclose(f);
	assert_int_equal(config_load(&c, path, no_env, 0), -1);
	assert_int_equal(c.errors.n, 1);
	snprintf(cmd, sizeof cmd, "%s:3: attempt to index a nil value (local 'x')",
		 path);
	assert_string_equal(c.errors.v[0], cmd);
	config_free(&c);
}

/* ---- layouts ---- */

static void
test_layout_tabs_and_floats(void **state)
{
	struct hexe_config c;
	const struct config_layout *l;
	const struct config_node *n;
	const struct config_float *f;
	char err[400];
	const char *src =
		"hexe.ses.isolation.set({ profile = \"balanced\", memory = \"2G\" })\n"
		"hexe.ses.layout.define({ name = \"dev\", floats = {\n"
		"  { key = \"e\", title = \"editor\", command = \"nvim\",\n"
		"    attributes = { per_cwd = true, sticky = true, exclusive = true },\n"
		"    size = { width = 60, height = 40 }, position = { x = 10, y = 20 },\n"
		"    isolation = { profile = \"full\", pids = 50 } } },\n"
		"  tabs = {\n"
		"    { name = \"code\", split = \"v\", ratio = 0.6, children = {\n"
		"      { command = \"nvim\", cwd = \"~/src\" },\n"
		"      { split = \"h\", children = { {}, { command = \"htop\" } } } } },\n"
		"    { name = \"shell\" } } })\n"
		"hexe.ses.layout.define({ name = \"off\", enabled = false })\n"
		"hexe.mux.config.setup({ float = { width = 50 } })\n";

	(void)state;
	assert_int_equal(load_src(&c, src, no_env), 0);
	/* No "default" layout: new sessions get a plain shell. */
	assert_int_equal(config_layout_pick(&c, NULL, &l, err, sizeof err), 0);
	assert_null(l);
	assert_int_equal(config_layout_pick(&c, "dev", &l, err, sizeof err), 0);
	assert_non_null(l);
	assert_int_equal(config_layout_pick(&c, "dve", &l, err, sizeof err), -1);
	assert_string_equal(err, "no layout named \"dve\"; did you mean \"dev\"? "
			    "(layouts: dev)");
	assert_int_equal(config_layout_pick(&c, "off", &l, err, sizeof err), -1);
	assert_non_null(strstr(err, "layout \"off\" is disabled"));
	assert_int_equal(config_layout_pick(&c, "dev", &l, err, sizeof err), 0);

	f = &l->floats[0];
	assert_true(f->per_cwd && f->sticky && f->exclusive);
	assert_int_equal(f->width, 60);
	assert_int_equal(f->height, 40);
	assert_int_equal(f->x, 10);
	assert_int_equal(f->y, 20);
	/* The float's own fields over the global ones. */
	assert_int_equal(f->iso_own, CONFIG_ISO_PROFILE | CONFIG_ISO_PIDS);
	assert_int_equal(f->isolation.profile, PROFILE_FULL);
	assert_int_equal(f->isolation.pids, 50);
	assert_int_equal(f->isolation.memory, 2 * G);
	assert_int_equal(c.isolation.profile, PROFILE_BALANCED);

	assert_int_equal(l->ntabs, 2);
	assert_string_equal(l->tabs[0].name, "code");
	n = l->tabs[0].root;
	assert_int_equal(n->split, 'v');
	assert_true(n->ratio > 0.59 && n->ratio < 0.61);
	assert_string_equal(n->child[0]->command, "nvim");
	assert_string_equal(n->child[0]->cwd, "/home/u/src");
	assert_int_equal(n->child[1]->split, 'h');
	assert_true(n->child[1]->ratio > 0.49 && n->child[1]->ratio < 0.51);
	assert_null(n->child[1]->child[0]->command);
	assert_string_equal(n->child[1]->child[1]->command, "htop");
	assert_string_equal(l->tabs[1].name, "shell");
	assert_int_equal(l->tabs[1].root->split, 0);
	/* The mux's default float size is used when a float has none. */
	assert_int_equal(c.mux.float_width, 50);
	config_free(&c);
}

static void
test_float_without_size_uses_mux_default(void **state)
{
	struct hexe_config c;

	(void)state;
	assert_int_equal(load_src(&c,
		"hexe.ses.layout.define({ name = \"default\", floats = {\n"
		"  { key = \"1\" } } })\n"
		"hexe.mux.config.setup({ float = { width = 50, height = 30 } })\n",
		no_env), 0);
	assert_int_equal(c.layouts[0].floats[0].width, 50);
	assert_int_equal(c.layouts[0].floats[0].height, 30);
	assert_false(c.layouts[0].floats[0].own_size);
	assert_string_equal(c.layouts[0].floats[0].title, "1");
	assert_null(c.layouts[0].floats[0].command);
	config_free(&c);
}

/* ---- mux options and the keymap ---- */

static void
test_mux_setup(void **state)
{
	struct hexe_config c;
	struct key_chord kc;

	(void)state;
	assert_int_equal(load_src(&c,
		"hexe.mux.config.setup{ status = { enabled = false, position = "
		"\"top\" }, mouse = true, scrollback = 10000, prefix = \"ctrl+b\" }\n"
		"hexe.mux.config.setup{ border = { color = 244, active_color = "
		"\"#ff8000\" }, status = { fg = \"bright_white\" }, escape_timeout = "
		"50, mouse = false }\n",
		no_env), 0);
	assert_false(c.mux.status_enabled);
	assert_int_equal(c.mux.status_position, CONFIG_STATUS_TOP);
	assert_false(c.mux.mouse);
	assert_int_equal(c.mux.scrollback, 10000);
	assert_true(c.mux.has_prefix);
	assert_int_equal(key_chord_parse("ctrl+b", &kc, NULL, 0), 0);
	assert_int_equal(c.mux.prefix.key, kc.key);
	assert_int_equal(c.mux.prefix.mods, kc.mods);
	assert_int_equal(c.mux.border_color, COLOR_INDEX(244));
	assert_int_equal(c.mux.border_active_color, COLOR_RGB(0xff, 0x80, 0));
	assert_int_equal(c.mux.status_fg, COLOR_INDEX(15));
	assert_int_equal(c.mux.escape_timeout, 50);
	assert_true(c.keymap.has_prefix);
	config_free(&c);
}

static const struct binding *
find(const struct keymap *km, const char *chord)
{
	struct key_chord kc;

	assert_int_equal(key_chord_parse(chord, &kc, NULL, 0), 0);
	return keymap_find(km, &kc);
}

static void
test_default_keymap(void **state)
{
	static const struct {
		const char *chord;
		enum action a;
	} want[] = {
		{ "ctrl+alt+v", ACTION_SPLIT_VERTICAL },
		{ "ctrl+alt+s", ACTION_SPLIT_HORIZONTAL },
		{ "ctrl+alt+h", ACTION_FOCUS_LEFT },
		{ "ctrl+alt+j", ACTION_FOCUS_DOWN },
		{ "ctrl+alt+k", ACTION_FOCUS_UP },
		{ "ctrl+alt+l", ACTION_FOCUS_RIGHT },
		{ "ctrl+alt+x", ACTION_PANE_CLOSE },
		{ "ctrl+alt+z", ACTION_ZOOM },
		{ "ctrl+alt+t", ACTION_TAB_NEW },
		{ "ctrl+alt+n", ACTION_TAB_NEXT },
		{ "ctrl+alt+p", ACTION_TAB_PREV },
		{ "ctrl+alt+r", ACTION_TAB_RENAME },
		{ "ctrl+alt+d", ACTION_DETACH },
		{ "ctrl+alt+w", ACTION_REDRAW },
		{ "shift+pageup", ACTION_SCROLL_PAGE_UP },
		{ "shift+pagedown", ACTION_SCROLL_PAGE_DOWN },
		{ "ctrl+alt+/", ACTION_HELP },
	};
	struct hexe_config c;

	(void)state;
	config_defaults(&c);
	assert_int_equal(c.keymap.n, ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct binding *b = find(&c.keymap, want[i].chord);

		assert_non_null(b);
		assert_int_equal(b->req.action, want[i].a);
	}
	config_free(&c);
}

static void
test_action_table(void **state)
{
	size_t n;
	const struct action_def *t = action_table(&n);

	(void)state;
	assert_int_equal(n, ACTION_COUNT - 2); /* all but NONE and LUA */
	for (size_t i = 0; i < n; i++) {
		struct key_chord def, pk;

		assert_ptr_equal(action_find(t[i].name), &t[i]);
		assert_ptr_equal(action_get(t[i].id), &t[i]);
		assert_non_null(t[i].help);
		if (t[i].prefix_key)
			assert_int_equal(key_chord_parse(t[i].prefix_key, &pk, NULL,
							 0), 0);
		if (!t[i].chord)
			continue;
		/* The key after the prefix is the default chord's key. */
		assert_int_equal(key_chord_parse(t[i].chord, &def, NULL, 0), 0);
		assert_non_null(t[i].prefix_key);
		assert_int_equal(pk.key, def.key);
		assert_int_equal(pk.mods, 0);
		for (size_t k = 0; k < i; k++)
			if (t[k].chord)
				assert_string_not_equal(t[k].chord, t[i].chord);
	}
	assert_null(action_find("nope"));
}

static void
test_keymap_set(void **state)
{
	struct hexe_config c;
	const struct binding *b;
	const char *src =
		"hexe.ses.layout.define({ name = \"default\", floats = {\n"
		"  { key = \"1\", command = \"nvim\" } } })\n"
		"hexe.mux.keymap.set{\n"
		"  [\"ctrl+alt+d\"] = \"zoom\",\n"
		"  [\"ctrl+alt+q\"] = \"detach\",\n"
		"  [\"alt+1\"] = { \"float.toggle\", \"1\" },\n"
		"  [\"alt+e\"] = { \"float.toggle\", 1 },\n"
		"  [\"alt+3\"] = { \"tab.goto\", 3 },\n"
		"  [\"ctrl+alt+g\"] = function() end,\n"
		"  [\"ctrl+alt+x\"] = false,\n"
		"}\n"
		"hexe.mux.keymap.set{ [\"ctrl+alt+q\"] = \"redraw\" }\n";

	(void)state;
	assert_int_equal(load_src(&c, src, no_env), 0);
	/* Rebinding replaces in place; a later call wins. */
	assert_int_equal(find(&c.keymap, "ctrl+alt+d")->req.action, ACTION_ZOOM);
	assert_int_equal(find(&c.keymap, "ctrl+alt+q")->req.action, ACTION_REDRAW);
	b = find(&c.keymap, "alt+1");
	assert_int_equal(b->req.action, ACTION_FLOAT_TOGGLE);
	assert_string_equal(b->req.arg, "1");
	assert_string_equal(find(&c.keymap, "alt+e")->req.arg, "1");
	b = find(&c.keymap, "alt+3");
	assert_int_equal(b->req.action, ACTION_TAB_GOTO);
	assert_int_equal(b->req.num, 3);
	b = find(&c.keymap, "ctrl+alt+g");
	assert_int_equal(b->req.action, ACTION_LUA);
	assert_true(b->lua_ref >= 0);
	/* Unbinding a default works. */
	assert_null(find(&c.keymap, "ctrl+alt+x"));
	assert_non_null(find(&c.keymap, "ctrl+alt+v"));
	/* A copy outlives the config it came from. */
	{
		struct keymap km;
		size_t n = c.keymap.n;

		keymap_copy(&km, &c.keymap);
		config_free(&c);
		assert_int_equal(km.n, n);
		assert_int_equal(find(&km, "ctrl+alt+d")->req.action, ACTION_ZOOM);
		keymap_free(&km);
	}
}

static void
test_prefix_table(void **state)
{
	struct hexe_config c;
	struct input_event ev = { .type = INPUT_KEY };
	const struct binding *b;

	(void)state;
	assert_int_equal(load_src(&c,
		"hexe.ses.layout.define({ name = \"default\", floats = {\n"
		"  { key = \"1\" } } })\n"
		"hexe.mux.config.setup({ prefix = \"ctrl+b\" })\n", no_env), 0);
	ev.key = 'b';
	ev.mods = KEY_MOD_CTRL;
	assert_true(keymap_is_prefix(&c.keymap, &ev));
	ev.mods = 0;
	assert_false(keymap_is_prefix(&c.keymap, &ev));
	ev.key = 'v';
	b = keymap_match_prefixed(&c.keymap, &ev);
	assert_non_null(b);
	assert_int_equal(b->req.action, ACTION_SPLIT_VERTICAL);
	ev.key = 'd';
	assert_int_equal(keymap_match_prefixed(&c.keymap, &ev)->req.action,
			 ACTION_DETACH);
	ev.key = '1';
	b = keymap_match_prefixed(&c.keymap, &ev);
	assert_int_equal(b->req.action, ACTION_FLOAT_TOGGLE);
	assert_string_equal(b->req.arg, "1");
	ev.key = 'H';
	ev.mods = KEY_MOD_SHIFT;
	assert_int_equal(keymap_match_prefixed(&c.keymap, &ev)->req.action,
			 ACTION_RESIZE_LEFT);
	/* The Ctrl+Alt chords keep working with a prefix. */
	ev.key = 'v';
	ev.mods = KEY_MOD_CTRL | KEY_MOD_ALT;
	assert_int_equal(keymap_match(&c.keymap, &ev)->req.action,
			 ACTION_SPLIT_VERTICAL);
	config_free(&c);
}

static void
test_lua_bindings(void **state)
{
	struct hexe_config c;
	struct action_req out[CONFIG_RUN_MAX];
	char err[1200];
	uint64_t t0;
	const char *src =
		"local n = 0\n"
		"hexe.mux.keymap.set{\n"
		"  [\"ctrl+alt+a\"] = function()\n"
		"    n = n + 1\n"
		"    print(\"pressed\", n)\n"
		"    hexe.mux.run(\"split.vertical\")\n"
		"    hexe.mux.run(\"tab.goto\", n)\n"
		"  end,\n"
		"  [\"ctrl+alt+b\"] = function() error(\"nope\") end,\n"
		"  [\"ctrl+alt+c\"] = function() while true do end end,\n"
		"  [\"ctrl+alt+e\"] = function() hexe.mux.run(\"zom\") end,\n"
		"  [\"ctrl+alt+f\"] = function() hexe.ses.isolation.set{} end,\n"
		"  [\"ctrl+alt+g\"] = function() os.exit(1) end,\n"
		"}\n";

	(void)state;
	write_cfg(src);
	assert_int_equal(config_load(&c, cfgpath, no_env, CONFIG_KEEP_LUA), 0);
	assert_non_null(c.lua);
	assert_int_equal(config_lua_call(&c, find(&c.keymap, "ctrl+alt+a"), NULL,
					 out, CONFIG_RUN_MAX, err, sizeof err), 2);
	assert_int_equal(out[0].action, ACTION_SPLIT_VERTICAL);
	assert_int_equal(out[1].action, ACTION_TAB_GOTO);
	assert_int_equal(out[1].num, 1);
	/* The state lives on between presses. */
	assert_int_equal(config_lua_call(&c, find(&c.keymap, "ctrl+alt+a"), NULL,
					 out, CONFIG_RUN_MAX, err, sizeof err), 2);
	assert_int_equal(out[1].num, 2);

	assert_int_equal(config_lua_call(&c, find(&c.keymap, "ctrl+alt+b"), NULL,
					 out, CONFIG_RUN_MAX, err, sizeof err), -1);
	{
		char want[600];

		snprintf(want, sizeof want, "key ctrl+alt+b: %s:9: nope", cfgpath);
		assert_string_equal(err, want);
	}
	t0 = now_ms();
	assert_int_equal(config_lua_call(&c, find(&c.keymap, "ctrl+alt+c"), NULL,
					 out, CONFIG_RUN_MAX, err, sizeof err), -1);
	assert_true(now_ms() - t0 < CONFIG_CALL_TIMEOUT_MS + 1000);
	assert_non_null(strstr(err, "the function ran for more than 200 ms and "
				    "was stopped"));
	assert_int_equal(config_lua_call(&c, find(&c.keymap, "ctrl+alt+e"), NULL,
					 out, CONFIG_RUN_MAX, err, sizeof err), -1);
	assert_non_null(strstr(err, "hexe.mux.run: unknown action \"zom\"; did "
				    "you mean \"zoom\"?"));
	assert_int_equal(config_lua_call(&c, find(&c.keymap, "ctrl+alt+f"), NULL,
					 out, CONFIG_RUN_MAX, err, sizeof err), -1);
	assert_non_null(strstr(err, "hexe.ses.isolation.set: only while the config "
				    "loads"));
	assert_int_equal(config_lua_call(&c, find(&c.keymap, "ctrl+alt+g"), NULL,
					 out, CONFIG_RUN_MAX, err, sizeof err), -1);
	/* After all that, still working. */
	assert_int_equal(config_lua_call(&c, find(&c.keymap, "ctrl+alt+a"), NULL,
					 out, CONFIG_RUN_MAX, err, sizeof err), 2);
	assert_int_equal(out[1].num, 3);
	/* A built-in action is not a Lua call. */
	assert_int_equal(config_lua_call(&c, find(&c.keymap, "ctrl+alt+v"), NULL,
					 out, CONFIG_RUN_MAX, err, sizeof err), -1);
	config_free(&c);

	/* Without CONFIG_KEEP_LUA (ses, config check) there is no state. */
	assert_int_equal(config_load(&c, cfgpath, no_env, 0), 0);
	assert_null(c.lua);
	assert_int_equal(config_lua_call(&c, find(&c.keymap, "ctrl+alt+a"), NULL,
					 out, CONFIG_RUN_MAX, err, sizeof err), -1);
	config_free(&c);
}

static void
test_reload(void **state)
{
	struct hexe_config a, b;

	(void)state;
	assert_int_equal(load_src(&a, "hexe.ses.isolation.set{ profile = \"full\" }",
				  no_env), 0);
	assert_int_equal(load_src(&b, "hexe.ses.isolation.set{ profile = \"none\" }",
				  no_env), 0);
	assert_int_equal(a.isolation.profile, PROFILE_FULL);
	assert_int_equal(b.isolation.profile, PROFILE_NONE);
	config_free(&a);
	config_free(&b);
}

static void
test_sandbox(void **state)
{
	struct hexe_config c;

	(void)state;
	/* What a config may use: string, table, math, os.getenv, require
	 * beside the file, io.open for reading. */
	write_cfg("return 1\n");
	{
		char mod[400];
		FILE *f;

		snprintf(mod, sizeof mod, "%s/mylimits.lua", tmpdir);
		f = fopen(mod, "w");
		assert_non_null(f);
		fputs("return { memory = \"768M\" }\n", f);
		fclose(f);
	}
	assert_int_equal(load_src(&c,
		"local lim = require(\"mylimits\")\n"
		"local home = os.getenv(\"HOME\")\n"
		"assert(type(home) == \"string\")\n"
		"assert(io.open(\"/dev/null\", \"r\")):close()\n"
		"hexe.ses.isolation.set{ memory = lim.memory, pids = math.floor(10.0) "
		"* 2 }\n", no_env), 0);
	assert_int_equal(c.isolation.memory, 768 * M);
	assert_string_equal(c.isolation.pids_text, "20");
	config_free(&c);
	/* And what it may not. */
	assert_int_equal(load_src(&c, "io.popen(\"true\")", no_env), -1);
	config_free(&c);
	assert_int_equal(load_src(&c, "os.execute(\"true\")", no_env), -1);
	config_free(&c);
	assert_int_equal(load_src(&c, "debug.sethook()", no_env), -1);
	config_free(&c);
	assert_int_equal(load_src(&c, "load(string.dump(function() end))()",
				  no_env), -1);
	config_free(&c);
	assert_int_equal(load_src(&c, "require(\"io\").read()", no_env), -1);
	config_free(&c);
}

static void
test_suggest(void **state)
{
	static const char *const names[] = { "profile", "memory", "cpu", "pids" };

	(void)state;
	assert_string_equal(config_suggest("memroy", names, 4), "memory");
	assert_string_equal(config_suggest("prfile", names, 4), "profile");
	assert_string_equal(config_suggest("pid", names, 4), "pids");
	assert_null(config_suggest("xyz", names, 4));
	assert_null(config_suggest("network", names, 4));
}

/* ---- docs/config.md holds the tables the loader reads ---- */

static void
test_docs_match_tables(void **state)
{
	char path[600], *doc, *ref = NULL, *line, *save;
	size_t reflen = 0;
	FILE *f;

	(void)state;
	repo_path("docs/config.md", path, sizeof path);
	doc = read_file(path, NULL);
	assert_non_null(doc);
	f = open_memstream(&ref, &reflen);
	config_reference(f);
	fclose(f);
	for (line = strtok_r(ref, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(doc, line))
			fail_msg("docs/config.md lacks the line:\n%s", line);
	}
	free(ref);
	free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_examples),
		cmocka_unit_test(test_complete_example_layout),
		cmocka_unit_test(test_verify_loading_print),
		cmocka_unit_test(test_limit_formats),
		cmocka_unit_test(test_env_beats_lua),
		cmocka_unit_test(test_defaults_and_missing_file),
		cmocka_unit_test(test_bad_env),
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_every_error_reported),
		cmocka_unit_test(test_infinite_loops_stop),
		cmocka_unit_test(test_memory_bomb_stops),
		cmocka_unit_test(test_long_path_in_messages),
		cmocka_unit_test(test_layout_tabs_and_floats),
		cmocka_unit_test(test_float_without_size_uses_mux_default),
		cmocka_unit_test(test_mux_setup),
		cmocka_unit_test(test_default_keymap),
		cmocka_unit_test(test_action_table),
		cmocka_unit_test(test_keymap_set),
		cmocka_unit_test(test_prefix_table),
		cmocka_unit_test(test_lua_bindings),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_sandbox),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_docs_match_tables),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
