/*
 * Unit tests for paths: where files live, instance names, and the checks
 * on the runtime dir.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/paths.h"

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/hexe-paths-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	unsetenv("HEXE_RUNTIME_DIR");
	unsetenv("HEXE_INSTANCE");
	unsetenv("HEXE_CONFIG");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/u", 1);
	setenv("XDG_RUNTIME_DIR", "/run/user/7", 1);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void
test_defaults(void **state)
{
	struct paths p;
	char err[256];

	(void)state;
	assert_int_equal(paths_init(&p, NULL, err, sizeof err), 0);
	assert_string_equal(p.instance, "default");
	assert_string_equal(p.runtime, "/run/user/7/hexe/default");
	assert_string_equal(p.ses_sock, "/run/user/7/hexe/default/ses.sock");
	assert_string_equal(p.log, "/run/user/7/hexe/default/log");
	assert_string_equal(p.state, "/home/u/.local/state/hexe/default");
	assert_string_equal(p.config, "/home/u/.config/hexe/init.lua");
}

static void
test_env_overrides(void **state)
{
	struct paths p;
	char err[256], buf[600];

	(void)state;
	setenv("HEXE_INSTANCE", "dev", 1);
	setenv("XDG_STATE_HOME", "/st", 1);
	setenv("XDG_CONFIG_HOME", "/cf", 1);
	assert_int_equal(paths_init(&p, NULL, err, sizeof err), 0);
	assert_string_equal(p.runtime, "/run/user/7/hexe/dev");
	assert_string_equal(p.state, "/st/hexe/dev");
	assert_string_equal(p.config, "/cf/hexe/init.lua");
	setenv("HEXE_CONFIG", "/etc/my.lua", 1);
	setenv("HEXE_RUNTIME_DIR", "/r", 1);
	assert_int_equal(paths_init(&p, "other", err, sizeof err), 0);
	assert_string_equal(p.instance, "other");
	assert_string_equal(p.runtime, "/r");
	assert_string_equal(p.config, "/etc/my.lua");
	assert_int_equal(paths_pod_sock(&p, 12, buf, sizeof buf), 0);
	assert_string_equal(buf, "/r/pod-12.sock");
	assert_int_equal(paths_pod_log(&p, 12, buf, sizeof buf), 0);
	assert_string_equal(buf, "/r/log/pod-12.log");
	unsetenv("XDG_RUNTIME_DIR");
	unsetenv("HEXE_RUNTIME_DIR");
	assert_int_equal(paths_init(&p, "x", err, sizeof err), 0);
	snprintf(buf, sizeof buf, "/tmp/hexe-%u/x", (unsigned)getuid());
	assert_string_equal(p.runtime, buf);
}

static void
test_instance_names(void **state)
{
	struct paths p;
	char err[256];

	(void)state;
	assert_true(paths_valid_instance("a-b_c.1"));
	assert_false(paths_valid_instance(""));
	assert_false(paths_valid_instance(".hidden"));
	assert_false(paths_valid_instance("a/b"));
	assert_false(paths_valid_instance("a b"));
	assert_false(paths_valid_instance(
		"0123456789012345678901234567890123456789012345678901234567890123456789"));
	assert_int_equal(paths_init(&p, "../etc", err, sizeof err), -1);
	assert_non_null(strstr(err, "not a valid instance name"));
}

static void
test_socket_path_too_long(void **state)
{
	struct paths p;
	char err[256], longdir[200];

	(void)state;
	memset(longdir, 'a', sizeof longdir - 1);
	longdir[0] = '/';
	longdir[sizeof longdir - 1] = '\0';
	setenv("HEXE_RUNTIME_DIR", longdir, 1);
	assert_int_equal(paths_init(&p, NULL, err, sizeof err), -1);
	assert_non_null(strstr(err, "too long for a unix socket"));
}

static void
test_private_dir(void **state)
{
	char dir[300], err[256];
	struct stat st;

	(void)state;
	snprintf(dir, sizeof dir, "%s/rt", tmpdir);
	assert_int_equal(paths_check_private_dir(dir, 0, err, sizeof err), -1);
	assert_int_equal(paths_check_private_dir(dir, 1, err, sizeof err), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* Ours but open: closed again. */
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(paths_check_private_dir(dir, 0, err, sizeof err), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* A file is not a directory. */
	snprintf(dir, sizeof dir, "%s/file", tmpdir);
	fclose(fopen(dir, "w"));
	assert_int_equal(paths_check_private_dir(dir, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "is not a directory"));
}

static void
test_foreign_dir(void **state)
{
	char dir[300], err[256];

	(void)state;
	if (getuid() != 0) {
		skip();
		return;
	}
	snprintf(dir, sizeof dir, "%s/theirs", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	assert_int_equal(paths_check_private_dir(dir, 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "owned by uid 65534"));
}

static void
test_ensure_runtime(void **state)
{
	struct paths p;
	char err[256], dir[300];
	struct stat st;

	(void)state;
	snprintf(dir, sizeof dir, "%s/xdg", tmpdir);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	assert_int_equal(paths_init(&p, "inst", err, sizeof err), 0);
	assert_int_equal(paths_ensure_runtime(&p, err, sizeof err), 0);
	assert_int_equal(stat(p.log, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(p.runtime, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_instance_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_path_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ensure_runtime, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
