/*
 * Unit tests for cgroup: the probe against fake /proc/self/cgroup and
 * mountinfo text, the v2 and v1 writers against fake cgroupfs trees
 * (files pre-created as the kernel would create them), the delegation
 * rule, sweep, and — as root, where a cgroup2 is mounted — the real
 * CLONE_INTO_CGROUP, cgroup.kill and v1 kill loop.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util.h"
#include "pod/cgroup.h"

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

static char T[256]; /* the fake tree's root */

/* ---- fake tree helpers ---- */

static void
mkdirs(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
mkdirs(const char *fmt, ...)
{
	char path[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	for (char *p = path + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	mkdir(path, 0755);
}

/* put(content, fmt, ...): write a file, as the kernel's would read. */
static void
put(const char *content, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
put(const char *content, const char *fmt, ...)
{
	char path[1024];
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static char got_buf[4096];

static const char *
got(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *
got(const char *fmt, ...)
{
	char path[1024];
	va_list ap;
	size_t n;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	f = fopen(path, "r");
	if (!f)
		return "(missing)";
	n = fread(got_buf, 1, sizeof got_buf - 1, f);
	got_buf[n] = '\0';
	fclose(f);
	return got_buf;
}

static bool
exists(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool
exists(const char *fmt, ...)
{
	char path[1024];
	struct stat st;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof path, fmt, ap);
	va_end(ap);
	return stat(path, &st) == 0;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(T, sizeof T, "/tmp/hexe-cgroup-XXXXXX");
	assert_non_null(mkdtemp(T));
	chmod(T, 0755); /* the delegation test looks at it as another user */
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s' && rm -rf '%s'", T, T);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* A v2 pane directory as the kernel makes it, with every controller. */
static void
fake_v2_pane(const char *base, const char *inst, unsigned pane)
{
	mkdirs("%s/hexe-%s/pane-%u", base, inst, pane);
	put("", "%s/hexe-%s/cgroup.subtree_control", base, inst);
	put("", "%s/hexe-%s/cgroup.procs", base, inst);
	put("max\n", "%s/hexe-%s/pane-%u/memory.max", base, inst, pane);
	put("max\n", "%s/hexe-%s/pane-%u/memory.swap.max", base, inst, pane);
	put("max 100000\n", "%s/hexe-%s/pane-%u/cpu.max", base, inst, pane);
	put("max\n", "%s/hexe-%s/pane-%u/pids.max", base, inst, pane);
	put("", "%s/hexe-%s/pane-%u/cgroup.procs", base, inst, pane);
	put("", "%s/hexe-%s/pane-%u/cgroup.kill", base, inst, pane);
}

/* A v1 pane directory in one hierarchy. */
static void
fake_v1_pane(const char *base, const char *ctrl, const char *inst,
	     unsigned pane)
{
	mkdirs("%s/hexe-%s/pane-%u", base, inst, pane);
	put("", "%s/hexe-%s/pane-%u/cgroup.procs", base, inst, pane);
	if (strcmp(ctrl, "memory") == 0) {
		put("9223372036854771712\n", "%s/hexe-%s/pane-%u/memory.limit_in_bytes",
		    base, inst, pane);
		put("9223372036854771712\n",
		    "%s/hexe-%s/pane-%u/memory.memsw.limit_in_bytes", base, inst,
		    pane);
		put("oom_kill_disable 0\nunder_oom 0\noom_kill 0\n",
		    "%s/hexe-%s/pane-%u/memory.oom_control", base, inst, pane);
	} else if (strcmp(ctrl, "cpu") == 0) {
		put("100000\n", "%s/hexe-%s/pane-%u/cpu.cfs_period_us", base,
		    inst, pane);
		put("-1\n", "%s/hexe-%s/pane-%u/cpu.cfs_quota_us", base, inst,
		    pane);
	} else {
		put("max\n", "%s/hexe-%s/pane-%u/pids.max", base, inst, pane);
	}
}

/* Probe a fake tree: mountinfo lines are "fstype point[:root] opts". */
static void
probe_fake(struct cgroup_sys *sys, const char *mountinfo, const char *self)
{
	struct cgroup_probe_src src = {
		.root = T,
		.mountinfo = mountinfo,
		.self_cgroup = self,
		.no_statfs = true,
	};
	char err[256] = "";

	assert_int_equal(cgroup_probe_from(sys, &src, err, sizeof err), 0);
}

/* A pure v2 tree: the base is /user, which passes down every controller. */
static void
fake_v2(struct cgroup_sys *sys)
{
	char mi[1024];

	mkdirs("%s/unified/user", T);
	put("", "%s/unified/user/cgroup.procs", T);
	put("cpuset cpu io memory pids\n", "%s/unified/user/cgroup.controllers", T);
	put("cpu memory pids\n", "%s/unified/user/cgroup.subtree_control", T);
	snprintf(mi, sizeof mi,
		 "30 22 0:27 / %s rw,relatime - tmpfs tmpfs rw\n"
		 "40 30 0:37 / %s/unified rw,relatime - cgroup2 cgroup2 rw\n",
		 T, T);
	probe_fake(sys, mi, "0::/user\n");
}

/* v1 hierarchies for memory, cpu(+cpuacct) and pids; own memory cgroup
 * /process_api/x, the others at the root. with_v2: hybrid. */
static void
fake_v1(struct cgroup_sys *sys, bool with_v2)
{
	char mi[2048];

	mkdirs("%s/memory/process_api/x", T);
	put("", "%s/memory/process_api/x/cgroup.procs", T);
	mkdirs("%s/cpu,cpuacct", T);
	put("", "%s/cpu,cpuacct/cgroup.procs", T);
	mkdirs("%s/pids", T);
	put("", "%s/pids/cgroup.procs", T);
	mkdirs("%s/unified", T);
	put("", "%s/unified/cgroup.procs", T);
	put("", "%s/unified/cgroup.controllers", T);
	put("", "%s/unified/cgroup.subtree_control", T);
	snprintf(mi, sizeof mi,
		 "30 22 0:27 / %s rw,relatime - tmpfs tmpfs rw,mode=755\n"
		 "31 30 0:28 / %s/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
		 "34 30 0:31 / %s/memory rw,relatime - cgroup cgroup rw,memory\n"
		 "38 30 0:35 / %s/pids rw,relatime - cgroup cgroup rw,pids\n"
		 "39 30 0:36 / %s/systemd rw,relatime - cgroup cgroup rw,name=systemd\n",
		 T, T, T, T, T);
	if (with_v2) {
		size_t n = strlen(mi);

		snprintf(mi + n, sizeof mi - n,
			 "40 30 0:37 / %s/unified rw,relatime - cgroup2 cgroup2 rw\n",
			 T);
	}
	probe_fake(sys, mi,
		   "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/x\n"
		   "2:cpu,cpuacct:/\n0::/\n");
}

/* ---- probe ---- */

static void
test_probe_v2(void **state)
{
	struct cgroup_sys sys;

	(void)state;
	fake_v2(&sys);
	assert_int_equal(sys.mode, CGROUP_MODE_V2);
	assert_string_equal(sys.root_fs, "tmpfs");
	assert_true(sys.v2_usable);
	{
		char want[600];

		snprintf(want, sizeof want, "%s/unified/user", T);
		assert_string_equal(sys.v2_base, want);
		snprintf(want, sizeof want, "%s/unified", T);
		assert_string_equal(sys.v2_mount, want);
	}
	for (int c = 0; c < CG_NCTRL; c++) {
		assert_true(sys.v2_ctrl[c]);
		assert_true(sys.usable[c]);
		assert_int_equal(sys.where[c], CGROUP_MODE_V2);
		assert_string_equal(sys.v1_mount[c], "");
	}
}

static void
test_probe_v2_controller_not_delegated(void **state)
{
	struct cgroup_sys sys;
	char mi[512];

	(void)state;
	/* A non-root cgroup with processes, controllers available but not
	 * passed down: a limit there is impossible, and why says so. */
	mkdirs("%s/u/user.slice/s.scope", T);
	put("", "%s/u/user.slice/s.scope/cgroup.procs", T);
	put("cpu memory pids\n", "%s/u/user.slice/s.scope/cgroup.controllers", T);
	put("pids\n", "%s/u/user.slice/s.scope/cgroup.subtree_control", T);
	snprintf(mi, sizeof mi, "40 30 0:37 / %s/u rw - cgroup2 cgroup2 rw\n", T);
	probe_fake(&sys, mi, "0::/user.slice/s.scope\n");
	assert_int_equal(sys.mode, CGROUP_MODE_V2);
	assert_true(sys.v2_usable);
	assert_false(sys.usable[CG_MEMORY]);
	assert_int_equal(sys.where[CG_MEMORY], CGROUP_MODE_NONE);
	assert_non_null(strstr(sys.why[CG_MEMORY], "s.scope/cgroup.subtree_control"));
	assert_non_null(strstr(sys.why[CG_MEMORY], strerror(EBUSY)));
	assert_true(sys.usable[CG_PIDS]);

	/* The root cgroup may pass controllers down itself. */
	mkdirs("%s/r", T);
	put("", "%s/r/cgroup.procs", T);
	put("cpu memory pids\n", "%s/r/cgroup.controllers", T);
	put("", "%s/r/cgroup.subtree_control", T);
	snprintf(mi, sizeof mi, "40 30 0:37 / %s/r rw - cgroup2 cgroup2 rw\n", T);
	probe_fake(&sys, mi, "0::/\n");
	for (int c = 0; c < CG_NCTRL; c++)
		assert_true(sys.usable[c]);

	/* A controller the kernel does not offer at all. */
	put("cpu\n", "%s/r/cgroup.controllers", T);
	probe_fake(&sys, mi, "0::/\n");
	assert_false(sys.usable[CG_MEMORY]);
	assert_non_null(strstr(sys.why[CG_MEMORY], "/r/cgroup.controllers"));
	assert_true(sys.usable[CG_CPU]);
}

static void
test_probe_v1_and_hybrid(void **state)
{
	struct cgroup_sys sys;
	char want[600];

	(void)state;
	fake_v1(&sys, false);
	assert_int_equal(sys.mode, CGROUP_MODE_V1);
	snprintf(want, sizeof want, "%s/memory/process_api/x", T);
	assert_string_equal(sys.v1_base[CG_MEMORY], want);
	snprintf(want, sizeof want, "%s/cpu,cpuacct", T);
	assert_string_equal(sys.v1_mount[CG_CPU], want);
	assert_string_equal(sys.v1_base[CG_CPU], want);
	snprintf(want, sizeof want, "%s/pids", T);
	assert_string_equal(sys.v1_base[CG_PIDS], want);
	for (int c = 0; c < CG_NCTRL; c++) {
		assert_true(sys.usable[c]);
		assert_int_equal(sys.where[c], CGROUP_MODE_V1);
	}
	assert_string_equal(sys.v2_mount, "");

	fake_v1(&sys, true);
	assert_int_equal(sys.mode, CGROUP_MODE_HYBRID);
	snprintf(want, sizeof want, "%s/unified", T);
	assert_string_equal(sys.v2_mount, want);
	assert_string_equal(sys.v2_base, want);
	assert_true(sys.v2_usable);
	for (int c = 0; c < CG_NCTRL; c++) {
		assert_false(sys.v2_ctrl[c]);
		assert_int_equal(sys.where[c], CGROUP_MODE_V1);
	}
	assert_string_equal(cgroup_mode_name(sys.mode), "hybrid");
}

static void
test_probe_mountinfo_details(void **state)
{
	struct cgroup_sys sys;
	char mi[2048], want[600];

	(void)state;
	/* A mount point with a space (octal-escaped), a mount that shows
	 * only part of the hierarchy (root field /process_api), and a
	 * second mount of the same hierarchy outside root, which loses. */
	mkdirs("%s/mem ory/x", T);
	put("", "%s/mem ory/x/cgroup.procs", T);
	mkdirs("%s/other", T);
	snprintf(mi, sizeof mi,
		 "34 30 0:31 /elsewhere /mnt/other rw - cgroup cgroup rw,memory\n"
		 "35 30 0:31 /process_api %s/mem\\040ory rw - cgroup cgroup rw,memory\n",
		 T);
	probe_fake(&sys, mi, "4:memory:/process_api/x\n");
	assert_int_equal(sys.mode, CGROUP_MODE_V1);
	snprintf(want, sizeof want, "%s/mem ory", T);
	assert_string_equal(sys.v1_mount[CG_MEMORY], want);
	snprintf(want, sizeof want, "%s/mem ory/x", T);
	assert_string_equal(sys.v1_base[CG_MEMORY], want);
	assert_true(sys.usable[CG_MEMORY]);
	/* cpu and pids: no hierarchy at all. */
	assert_false(sys.usable[CG_CPU]);
	assert_non_null(strstr(sys.why[CG_CPU], "no cpu hierarchy"));

	/* Our cgroup is outside the mounted part. */
	probe_fake(&sys, mi, "4:memory:/system.slice/y\n");
	assert_false(sys.usable[CG_MEMORY]);
	assert_non_null(strstr(sys.why[CG_MEMORY], "outside"));
	assert_non_null(strstr(sys.why[CG_MEMORY], "/system.slice/y"));

	/* The own cgroup does not exist (yet) in the tree: path + errno. */
	probe_fake(&sys, mi, "4:memory:/process_api/gone\n");
	assert_false(sys.usable[CG_MEMORY]);
	snprintf(want, sizeof want, "%s/mem ory/gone: %s", T, strerror(ENOENT));
	assert_string_equal(sys.why[CG_MEMORY], want);

	/* No cgroup mounts at all. */
	probe_fake(&sys, "22 1 0:21 / /sys rw - sysfs sysfs rw\n", "0::/\n");
	assert_int_equal(sys.mode, CGROUP_MODE_NONE);
	for (int c = 0; c < CG_NCTRL; c++) {
		assert_false(sys.usable[c]);
		assert_non_null(strstr(sys.why[c], "hierarchy"));
	}
}

/* ---- the delegation rule ---- */

/* Probe (and try to create in) the fake tree as someone who cannot write
 * it; the child reports sys and the create result through a pipe. */
struct delegation_result {
	struct cgroup_sys sys;
	int create_rc;
	bool out_null;
	char warn[1024];
	int bare_rc;      /* the same without limits */
	char bare_warn[1024];
};

static void
probe_as_other(const char *mi, const char *self, struct delegation_result *r)
{
	int fds[2];
	pid_t pid;
	int st;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct cgroup_limits lim = { .memory = 64 << 20, .pids = 20 };
		struct cgroup_probe_src src = { .root = T, .mountinfo = mi,
						.self_cgroup = self,
						.no_statfs = true };
		struct cgroup *cg = NULL;
		char err[256];

		close(fds[0]);
		if (geteuid() == 0 &&
		    (setresgid(65534, 65534, 65534) < 0 ||
		     setresuid(65534, 65534, 65534) < 0))
			_exit(3);
		memset(r, 0, sizeof *r);
		if (cgroup_probe_from(&r->sys, &src, err, sizeof err) < 0)
			_exit(4);
		r->create_rc = cgroup_create(&r->sys, "deleg", 1, &lim, &cg,
					     r->warn, sizeof r->warn);
		r->out_null = cg == NULL;
		r->bare_rc = cgroup_create(&r->sys, "deleg", 2, NULL, &cg,
					   r->bare_warn, sizeof r->bare_warn);
		if (cg)
			_exit(6);
		if (write(fds[1], r, sizeof *r) != (ssize_t)sizeof *r)
			_exit(5);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], r, sizeof *r), (ssize_t)sizeof *r);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void
test_delegation_rule(void **state)
{
	struct delegation_result *r = xcalloc(1, sizeof *r);
	char mi[1024], want[700];

	(void)state;
	mkdirs("%s/memory/process_api/x", T);
	put("", "%s/memory/process_api/x/cgroup.procs", T);
	mkdirs("%s/unified/user", T);
	put("", "%s/unified/user/cgroup.procs", T);
	put("memory pids\n", "%s/unified/user/cgroup.subtree_control", T);
	snprintf(mi, sizeof mi,
		 "34 30 0:31 / %s/memory rw - cgroup cgroup rw,memory\n"
		 "40 30 0:37 / %s/unified rw - cgroup2 cgroup2 rw\n",
		 T, T);
	if (geteuid() != 0) {
		/* As a user, make the tree read-only for ourselves. */
		char p[600];

		snprintf(p, sizeof p, "%s/memory/process_api/x", T);
		chmod(p, 0555);
		snprintf(p, sizeof p, "%s/unified/user", T);
		chmod(p, 0555);
	}
	probe_as_other(mi, "4:memory:/process_api/x\n0::/user\n", r);
	assert_int_equal(r->sys.mode, CGROUP_MODE_HYBRID);
	/* v2: not usable, why = path + errno. */
	assert_false(r->sys.v2_usable);
	assert_int_equal(r->sys.v2_errno, EACCES);
	snprintf(want, sizeof want, "%s/unified/user: %s", T, strerror(EACCES));
	assert_string_equal(r->sys.v2_why, want);
	/* v1 memory: the same rule. */
	assert_false(r->sys.usable[CG_MEMORY]);
	snprintf(want, sizeof want, "%s/memory/process_api/x: %s", T,
		 strerror(EACCES));
	assert_string_equal(r->sys.why[CG_MEMORY], want);
	/* Nothing can be made: -EACCES, no cgroup, and one warning line
	 * naming each limit's path and errno. */
	assert_int_equal(r->create_rc, -EACCES);
	assert_true(r->out_null);
	snprintf(want, sizeof want,
		 "memory limit not applied: %s/memory/process_api/x: %s; "
		 "pids limit not applied: ",
		 T, strerror(EACCES));
	assert_memory_equal(r->warn, want, strlen(want));
	assert_null(strchr(r->warn, '\n'));
	assert_int_equal(r->sys.why_errno[CG_MEMORY], EACCES);
	/* No limits asked: still -EACCES, and why (the caller shows it only
	 * when limits were asked for). */
	assert_int_equal(r->bare_rc, -EACCES);
	snprintf(want, sizeof want, "cgroup not created: %s/unified/user: %s", T,
		 strerror(EACCES));
	assert_string_equal(r->bare_warn, want);
	free(r);
}

/* ---- the v2 writer ---- */

static void
test_v2_writer(void **state)
{
	struct cgroup_limits lim = { .memory = 512ull << 20, .cpu_quota = 50000,
				     .cpu_period = 100000, .pids = 20 };
	struct cgroup_stats st;
	struct cgroup_sys sys;
	struct cgroup *cg = NULL;
	char warn[512], pane[600];

	(void)state;
	fake_v2(&sys);
	snprintf(pane, sizeof pane, "%s/unified/user/hexe-inst/pane-3", T);
	fake_v2_pane(sys.v2_base, "inst", 3);
	assert_int_equal(cgroup_create(&sys, "inst", 3, &lim, &cg, warn, sizeof warn), 0);
	assert_non_null(cg);
	assert_string_equal(warn, "");
	assert_string_equal(got("%s/memory.max", pane), "536870912");
	/* no swap: a hog dies instead of swapping */
	assert_string_equal(got("%s/memory.swap.max", pane), "0");
	assert_string_equal(got("%s/cpu.max", pane), "50000 100000");
	assert_string_equal(got("%s/pids.max", pane), "20");
	/* The limits are in before any process: nothing in procs yet. */
	assert_string_equal(got("%s/cgroup.procs", pane), "");
	/* Controllers were passed down to the pane directories. */
	assert_non_null(strstr(got("%s/unified/user/hexe-inst/cgroup.subtree_control", T),
			       "+"));
	assert_true(cgroup_clone_fd(cg) >= 0);
	assert_non_null(strstr(cgroup_describe(cg), pane));

	/* CLONE_INTO_CGROUP used: attach without v2_too writes nothing. */
	assert_int_equal(cgroup_attach(cg, 4242, false), 0);
	assert_string_equal(got("%s/cgroup.procs", pane), "");
	assert_int_equal(cgroup_attach(cg, 4242, true), 0);
	assert_string_equal(got("%s/cgroup.procs", pane), "4242");

	put("low 0\nhigh 0\nmax 9\noom 2\noom_kill 2\noom_group_kill 0\n",
	    "%s/memory.events", pane);
	put("usage_usec 10\nuser_usec 5\nsystem_usec 5\nnr_periods 9\n"
	    "nr_throttled 7\nthrottled_usec 100\n", "%s/cpu.stat", pane);
	put("5\n", "%s/pids.current", pane);
	put("1048576\n", "%s/memory.current", pane);
	assert_int_equal(cgroup_read_stats(cg, &st), 0);
	assert_int_equal(st.oom_kills, 2);
	assert_int_equal(st.nr_throttled, 7);
	assert_int_equal(st.pids_current, 5);
	assert_int_equal(st.memory_current, 1048576);
	/* The fake directory holds files, so rmdir fails: destroy gives up
	 * quietly and leaves it for sweep. */
	cgroup_destroy(cg);
	assert_true(exists("%s", pane));
}

static void
test_v2_missing_files_warn(void **state)
{
	struct cgroup_limits lim = { .memory = 1ull << 30, .pids = 100 };
	struct cgroup_sys sys;
	struct cgroup *cg = NULL;
	char warn[1024], want[800];

	(void)state;
	fake_v2(&sys);
	/* mkdir in a fake tree makes no files: each limit warns with the
	 * file's path and the errno, and the cgroup is still made (it gives
	 * membership and kill). */
	assert_int_equal(cgroup_create(&sys, "inst", 4, &lim, &cg, warn, sizeof warn), 0);
	assert_non_null(cg);
	snprintf(want, sizeof want,
		 "memory limit not applied: %s/unified/user/hexe-inst/cgroup.subtree_control: %s",
		 T, strerror(ENOENT));
	assert_memory_equal(warn, want, strlen(want));
	assert_non_null(strstr(warn, "; pids limit not applied: "));
	cgroup_destroy(cg);
	/* Empty directories: destroy removes the pane and the parent. */
	assert_false(exists("%s/unified/user/hexe-inst/pane-4", T));
}

static void
test_limit_formats(void **state)
{
	struct cgroup_limits lim = { .memory = 2048ull << 20, .cpu_quota = 200000,
				     .cpu_period = 100000, .pids = 1000 };
	struct cgroup_sys sys;
	struct cgroup *cg = NULL;
	char warn[512];

	(void)state;
	fake_v2(&sys);
	fake_v2_pane(sys.v2_base, "fmt", 1);
	assert_int_equal(cgroup_create(&sys, "fmt", 1, &lim, &cg, warn, sizeof warn), 0);
	assert_string_equal(got("%s/hexe-fmt/pane-1/memory.max", sys.v2_base), "2147483648");
	assert_string_equal(got("%s/hexe-fmt/pane-1/cpu.max", sys.v2_base), "200000 100000");
	assert_string_equal(got("%s/hexe-fmt/pane-1/pids.max", sys.v2_base), "1000");
	cgroup_destroy(cg);

	/* No period given: the kernel's default 100000. */
	lim = (struct cgroup_limits){ .cpu_quota = 25000 };
	fake_v2_pane(sys.v2_base, "fmt", 2);
	assert_int_equal(cgroup_create(&sys, "fmt", 2, &lim, &cg, warn, sizeof warn), 0);
	assert_string_equal(got("%s/hexe-fmt/pane-2/cpu.max", sys.v2_base), "25000 100000");
	/* Untouched limits stay as the kernel made them. */
	assert_string_equal(got("%s/hexe-fmt/pane-2/memory.max", sys.v2_base), "max\n");
	assert_string_equal(got("%s/hexe-fmt/pane-2/pids.max", sys.v2_base), "max\n");
	cgroup_destroy(cg);

	assert_true(cgroup_limits_any(&lim));
	lim = (struct cgroup_limits){ .cpu_period = 100000 };
	assert_false(cgroup_limits_any(&lim));
	assert_false(cgroup_limits_any(NULL));
	assert_string_equal(cgroup_ctrl_name(CG_MEMORY), "memory");
	assert_string_equal(cgroup_ctrl_name(CG_CPU), "cpu");
	assert_string_equal(cgroup_ctrl_name(CG_PIDS), "pids");
	assert_string_equal(cgroup_mode_name(CGROUP_MODE_V1), "v1");
	assert_string_equal(cgroup_mode_name(CGROUP_MODE_V2), "v2");
	assert_string_equal(cgroup_mode_name(CGROUP_MODE_NONE), "none");
}

static void
test_bad_instance(void **state)
{
	struct cgroup_sys sys;
	struct cgroup *cg = (struct cgroup *)1;
	char warn[256];

	(void)state;
	fake_v2(&sys);
	assert_int_equal(cgroup_create(&sys, "../evil", 1, NULL, &cg, warn, sizeof warn),
			 -EINVAL);
	assert_null(cg);
	assert_non_null(strstr(warn, "invalid instance"));
	assert_false(exists("%s/unified/evil", T));
}

/* ---- the v1 writer ---- */

static void
test_v1_writer(void **state)
{
	struct cgroup_limits lim = { .memory = 64ull << 20, .cpu_quota = 50000,
				     .cpu_period = 100000, .pids = 20 };
	struct cgroup_stats st;
	struct cgroup_sys sys;
	struct cgroup *cg = NULL;
	char warn[512], mem[600], cpu[600], pids[600];

	(void)state;
	fake_v1(&sys, false);
	fake_v1_pane(sys.v1_base[CG_MEMORY], "memory", "inst", 2);
	fake_v1_pane(sys.v1_base[CG_CPU], "cpu", "inst", 2);
	fake_v1_pane(sys.v1_base[CG_PIDS], "pids", "inst", 2);
	snprintf(mem, sizeof mem, "%s/memory/process_api/x/hexe-inst/pane-2", T);
	snprintf(cpu, sizeof cpu, "%s/cpu,cpuacct/hexe-inst/pane-2", T);
	snprintf(pids, sizeof pids, "%s/pids/hexe-inst/pane-2", T);
	assert_int_equal(cgroup_create(&sys, "inst", 2, &lim, &cg, warn, sizeof warn), 0);
	assert_string_equal(warn, "");
	assert_string_equal(got("%s/memory.limit_in_bytes", mem), "67108864");
	assert_string_equal(got("%s/memory.memsw.limit_in_bytes", mem), "67108864");
	assert_string_equal(got("%s/cpu.cfs_period_us", cpu), "100000");
	assert_string_equal(got("%s/cpu.cfs_quota_us", cpu), "50000");
	assert_string_equal(got("%s/pids.max", pids), "20");
	/* oom_control is left alone: the OOM killer stays on. */
	assert_non_null(strstr(got("%s/memory.oom_control", mem), "oom_kill_disable 0"));
	/* No process anywhere before attach; v1 has no CLONE_INTO_CGROUP. */
	assert_string_equal(got("%s/cgroup.procs", mem), "");
	assert_int_equal(cgroup_clone_fd(cg), -1);
	assert_int_equal(cgroup_attach(cg, 777, false), 0);
	assert_string_equal(got("%s/cgroup.procs", mem), "777");
	assert_string_equal(got("%s/cgroup.procs", cpu), "777");
	assert_string_equal(got("%s/cgroup.procs", pids), "777");
	assert_non_null(strstr(cgroup_describe(cg), "memory:"));
	assert_non_null(strstr(cgroup_describe(cg), pids));

	put("oom_kill_disable 0\nunder_oom 0\noom_kill 4\n", "%s/memory.oom_control", mem);
	put("2097152\n", "%s/memory.usage_in_bytes", mem);
	put("nr_periods 20\nnr_throttled 11\nthrottled_time 5\n", "%s/cpu.stat", cpu);
	put("3\n", "%s/pids.current", pids);
	assert_int_equal(cgroup_read_stats(cg, &st), 0);
	assert_int_equal(st.oom_kills, 4);
	assert_int_equal(st.memory_current, 2097152);
	assert_int_equal(st.nr_throttled, 11);
	assert_int_equal(st.pids_current, 3);
	cgroup_destroy(cg);
}

static void
test_v1_period_before_quota(void **state)
{
	struct cgroup_limits lim = { .cpu_quota = 50000, .cpu_period = 200000 };
	struct cgroup_sys sys;
	struct cgroup *cg = NULL;
	char warn[512], cpu[600], want[800];

	(void)state;
	fake_v1(&sys, false);
	fake_v1_pane(sys.v1_base[CG_CPU], "cpu", "inst", 5);
	snprintf(cpu, sizeof cpu, "%s/cpu,cpuacct/hexe-inst/pane-5", T);
	/* Make the period unwritable (a directory, so that root fails too):
	 * the quota must not have been written first, nor after. */
	unlink((snprintf(want, sizeof want, "%s/cpu.cfs_period_us", cpu), want));
	mkdirs("%s/cpu.cfs_period_us", cpu);
	assert_int_equal(cgroup_create(&sys, "inst", 5, &lim, &cg, warn, sizeof warn), 0);
	snprintf(want, sizeof want, "cpu limit not applied: %s/cpu.cfs_period_us: %s",
		 cpu, strerror(EISDIR));
	assert_string_equal(warn, want);
	assert_string_equal(got("%s/cpu.cfs_quota_us", cpu), "-1\n");
	cgroup_destroy(cg);
}

static void
test_v1_dirs_without_limits(void **state)
{
	struct cgroup_sys sys;
	struct cgroup *cg = NULL;
	char warn[512];

	(void)state;
	/* v1 alone: membership needs a directory in every usable hierarchy,
	 * limits or not. */
	fake_v1(&sys, false);
	assert_int_equal(cgroup_create(&sys, "nl", 1, NULL, &cg, warn, sizeof warn), 0);
	assert_true(exists("%s/memory/process_api/x/hexe-nl/pane-1", T));
	assert_true(exists("%s/cpu,cpuacct/hexe-nl/pane-1", T));
	assert_true(exists("%s/pids/hexe-nl/pane-1", T));
	cgroup_destroy(cg);
	assert_false(exists("%s/pids/hexe-nl/pane-1", T));
	assert_false(exists("%s/pids/hexe-nl", T));

	/* Hybrid: the v2 directory gives membership; v1 only for limits. */
	fake_v1(&sys, true);
	assert_int_equal(cgroup_create(&sys, "hy", 1, NULL, &cg, warn, sizeof warn), 0);
	assert_true(exists("%s/unified/hexe-hy/pane-1", T));
	assert_false(exists("%s/pids/hexe-hy", T));
	assert_false(exists("%s/memory/process_api/x/hexe-hy", T));
	assert_true(cgroup_clone_fd(cg) >= 0);
	cgroup_destroy(cg);
	assert_false(exists("%s/unified/hexe-hy", T));

	{
		struct cgroup_limits lim = { .pids = 30 };

		fake_v1_pane(sys.v1_base[CG_PIDS], "pids", "hy", 2);
		assert_int_equal(cgroup_create(&sys, "hy", 2, &lim, &cg, warn,
					       sizeof warn), 0);
		assert_string_equal(warn, "");
		assert_string_equal(got("%s/pids/hexe-hy/pane-2/pids.max", T), "30");
		assert_true(exists("%s/unified/hexe-hy/pane-2", T));
		assert_false(exists("%s/cpu,cpuacct/hexe-hy", T));
		cgroup_destroy(cg);
	}
}

static void
test_no_cgroups(void **state)
{
	struct cgroup_limits lim = { .pids = 10 };
	struct cgroup_sys sys;
	struct cgroup *cg = NULL;
	char warn[512];

	(void)state;
	probe_fake(&sys, "", "");
	assert_int_equal(sys.mode, CGROUP_MODE_NONE);
	assert_true(cgroup_create(&sys, "x", 1, &lim, &cg, warn, sizeof warn) < 0);
	assert_null(cg);
	assert_non_null(strstr(warn, "pids limit not applied: no pids hierarchy"));
	assert_true(cgroup_create(&sys, "x", 1, NULL, &cg, warn, sizeof warn) < 0);
	assert_non_null(strstr(warn, "cgroup not created"));
	/* NULL is fine everywhere a caller may hold no cgroup. */
	assert_int_equal(cgroup_clone_fd(NULL), -1);
	assert_int_equal(cgroup_attach(NULL, 1, true), 0);
	assert_int_equal(cgroup_kill(NULL), 0);
	cgroup_destroy(NULL);
	assert_string_equal(cgroup_describe(NULL), "none");
}

/* ---- the ses leaf (v2) ---- */

static void
test_enter_leaf(void **state)
{
	struct cgroup_sys sys;
	char mi[512], err[512], want[700], pid[24];

	(void)state;
	/* A delegated base B with controllers it does not pass down yet. */
	mkdirs("%s/u/B/hexe-lf/ses", T);
	put("", "%s/u/B/cgroup.procs", T);
	put("cpu memory pids\n", "%s/u/B/cgroup.controllers", T);
	put("", "%s/u/B/cgroup.subtree_control", T);
	put("", "%s/u/B/hexe-lf/ses/cgroup.procs", T);
	snprintf(mi, sizeof mi, "40 30 0:37 / %s/u rw - cgroup2 cgroup2 rw\n", T);
	probe_fake(&sys, mi, "0::/B\n");
	assert_false(sys.usable[CG_MEMORY]);
	assert_string_equal(sys.v2_own, sys.v2_base);
	assert_int_equal(cgroup_enter_leaf(&sys, "lf", err, sizeof err), 0);
	assert_string_equal(err, "");
	/* This process moved into the leaf; the base passes controllers. */
	snprintf(pid, sizeof pid, "%ld", (long)getpid());
	assert_string_equal(got("%s/u/B/hexe-lf/ses/cgroup.procs", T), pid);
	assert_string_equal(got("%s/u/B/cgroup.subtree_control", T), "+pids");

	/* From the leaf, the probe keeps B as the base. */
	put("cpu memory pids\n", "%s/u/B/cgroup.subtree_control", T);
	probe_fake(&sys, mi, "0::/B/hexe-lf/ses\n");
	snprintf(want, sizeof want, "%s/u/B", T);
	assert_string_equal(sys.v2_base, want);
	snprintf(want, sizeof want, "%s/u/B/hexe-lf/ses", T);
	assert_string_equal(sys.v2_own, want);
	for (int c = 0; c < CG_NCTRL; c++)
		assert_true(sys.usable[c]);
	/* Nothing missing: nothing to do. */
	put("", "%s/u/B/hexe-lf/ses/cgroup.procs", T);
	assert_int_equal(cgroup_enter_leaf(&sys, "lf", err, sizeof err), 0);
	assert_string_equal(got("%s/u/B/hexe-lf/ses/cgroup.procs", T), "");

	/* Only hexe-<instance>/ses is a leaf of ours. */
	mkdirs("%s/u/B/other/ses", T);
	put("", "%s/u/B/other/ses/cgroup.procs", T);
	probe_fake(&sys, mi, "0::/B/other/ses\n");
	snprintf(want, sizeof want, "%s/u/B/other/ses", T);
	assert_string_equal(sys.v2_base, want);

	/* An enable the kernel refuses: the path and the errno (a
	 * directory in the way fails for root too). */
	unlink((snprintf(want, sizeof want, "%s/u/B/cgroup.subtree_control", T), want));
	probe_fake(&sys, mi, "0::/B/hexe-lf/ses\n");
	mkdirs("%s/u/B/cgroup.subtree_control", T);
	assert_int_equal(cgroup_enter_leaf(&sys, "lf", err, sizeof err), -EISDIR);
	snprintf(want, sizeof want, "%s/u/B/cgroup.subtree_control: %s", T,
		 strerror(EISDIR));
	assert_string_equal(err, want);
	/* The root cgroup needs no leaf. */
	mkdirs("%s/r", T);
	put("", "%s/r/cgroup.procs", T);
	put("memory\n", "%s/r/cgroup.controllers", T);
	put("", "%s/r/cgroup.subtree_control", T);
	snprintf(mi, sizeof mi, "40 30 0:37 / %s/r rw - cgroup2 cgroup2 rw\n", T);
	probe_fake(&sys, mi, "0::/\n");
	assert_int_equal(cgroup_enter_leaf(&sys, "lf", err, sizeof err), 0);
	assert_false(exists("%s/r/hexe-lf", T));
}

/* ---- sweep ---- */

static bool
alive_2_and_7(unsigned pane, void *arg)
{
	(*(int *)arg)++;
	return pane == 2 || pane == 7;
}

static bool
none_alive(unsigned pane, void *arg)
{
	(void)pane;
	(void)arg;
	return false;
}

static void
test_sweep(void **state)
{
	struct cgroup_sys sys;
	int calls = 0;

	(void)state;
	fake_v1(&sys, true);
	/* Stale panes 1 and 3 (in v2 and in v1 pids), live pane 2, another
	 * instance's pane, and a directory that is not a pane's. */
	mkdirs("%s/unified/hexe-sw/pane-1", T);
	mkdirs("%s/unified/hexe-sw/pane-2", T);
	mkdirs("%s/unified/hexe-sw/pane-3", T);
	mkdirs("%s/unified/hexe-sw/notapane", T);
	mkdirs("%s/pids/hexe-sw/pane-1", T);
	mkdirs("%s/pids/hexe-sw/pane-2", T);
	mkdirs("%s/memory/process_api/x/hexe-sw/pane-3", T);
	mkdirs("%s/unified/hexe-other/pane-1", T);
	assert_int_equal(cgroup_sweep(&sys, "sw", alive_2_and_7, &calls), 2);
	assert_true(calls > 0);
	assert_false(exists("%s/unified/hexe-sw/pane-1", T));
	assert_false(exists("%s/unified/hexe-sw/pane-3", T));
	assert_false(exists("%s/pids/hexe-sw/pane-1", T));
	assert_false(exists("%s/memory/process_api/x/hexe-sw/pane-3", T));
	assert_false(exists("%s/memory/process_api/x/hexe-sw", T));
	assert_true(exists("%s/unified/hexe-sw/pane-2", T));
	assert_true(exists("%s/pids/hexe-sw/pane-2", T));
	assert_true(exists("%s/unified/hexe-sw/notapane", T));
	assert_true(exists("%s/unified/hexe-other/pane-1", T));

	/* Once pane 2 is gone too, the parent goes with it (in pids; in v2
	 * the foreign directory keeps it). */
	assert_int_equal(cgroup_sweep(&sys, "sw", none_alive, NULL), 1);
	assert_false(exists("%s/pids/hexe-sw", T));
	assert_true(exists("%s/unified/hexe-sw/notapane", T));
	assert_int_equal(cgroup_sweep(&sys, "sw", none_alive, NULL), 0);
	assert_int_equal(cgroup_sweep(&sys, "../x", none_alive, NULL), 0);
}

/* ---- the real kernel ---- */

/* What a real-kernel test made, ended by teardown_real when an assertion
 * cut the test short: only our own pids and our own cgroup. */
static struct {
	struct cgroup *cg;
	pid_t pids[2];
} real;

static int
teardown_real(void **state)
{
	(void)state;
	for (int i = 0; i < 2; i++) {
		if (real.pids[i] > 0) {
			kill(real.pids[i], SIGKILL);
			waitpid(real.pids[i], NULL, WNOHANG);
		}
		real.pids[i] = 0;
	}
	if (real.cg) {
		cgroup_kill(real.cg);
		cgroup_destroy(real.cg);
	}
	real.cg = NULL;
	return 0;
}

/* waitpid, but give up (killing pid ourselves) after 3 s, so that a kill
 * that does nothing fails the test instead of hanging it. */
static pid_t
wait_bounded(pid_t pid, int *st)
{
	for (int i = 0; i < 300; i++) {
		pid_t r = waitpid(pid, st, WNOHANG);

		if (r != 0)
			return r;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, st, 0);
	return 0;
}

static pid_t
clone_into(int cgfd)
{
	struct clone_args args;

	memset(&args, 0, sizeof args);
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = (uint64_t)cgfd;
	return (pid_t)syscall(SYS_clone3, &args, sizeof args);
}

static bool
procs_has(const char *dir, pid_t pid)
{
	char path[700], *text, *s;
	size_t len;
	bool found = false;

	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	text = read_file(path, &len);
	if (!text)
		return false;
	for (s = strtok(text, "\n"); s; s = strtok(NULL, "\n"))
		found |= atol(s) == (long)pid;
	free(text);
	return found;
}

static void
test_real_v2_clone_into_cgroup_and_kill(void **state)
{
	struct cgroup_sys sys;
	struct cgroup *cg = NULL;
	char err[256], warn[512], inst[32], dir[700], parent[700];
	pid_t pid;
	int st, fds[2];

	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: needs root (real cgroup2 mechanics)\n");
		skip();
	}
	assert_int_equal(cgroup_probe(&sys, NULL, NULL, err, sizeof err), 0);
	if (!*sys.v2_mount || !sys.v2_usable) {
		print_message("skipped: no usable cgroup2 mount (%s)\n",
			      sys.v2_why[0] ? sys.v2_why : "not mounted");
		skip();
	}
	snprintf(inst, sizeof inst, "ut%ld", (long)getpid());
	assert_int_equal(cgroup_create(&sys, inst, 1, NULL, &cg, warn, sizeof warn), 0);
	assert_non_null(cg);
	real.cg = cg;
	assert_true(cgroup_clone_fd(cg) >= 0);
	snprintf(parent, sizeof parent, "%s/hexe-%s", sys.v2_base, inst);
	snprintf(dir, sizeof dir, "%s/pane-1", parent);
	assert_true(exists("%s", dir));

	/* A child that forks a grandchild and sleeps: both must die. */
	assert_int_equal(pipe(fds), 0);
	pid = clone_into(cgroup_clone_fd(cg));
	if (pid < 0 && errno == ENOSYS) {
		print_message("skipped: no clone3 here\n");
		skip();
	}
	assert_true(pid >= 0);
	if (pid == 0) {
		pid_t g = fork();

		close(fds[0]);
		if (g == 0) {
			for (;;)
				pause();
		}
		(void)!write(fds[1], &g, sizeof g);
		for (;;)
			pause();
	}
	{
		pid_t grandchild = 0;

		close(fds[1]);
		real.pids[0] = pid;
		assert_int_equal(read(fds[0], &grandchild, sizeof grandchild),
				 (ssize_t)sizeof grandchild);
		real.pids[1] = grandchild;
		close(fds[0]);
		assert_true(procs_has(dir, pid));
		assert_true(procs_has(dir, grandchild));
		assert_int_equal(cgroup_kill(cg), 0);
		assert_int_equal(wait_bounded(pid, &st), pid);
		real.pids[0] = 0;
		assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		/* The grandchild was reparented; it must be gone. */
		for (int i = 0; i < 200 && kill(grandchild, 0) == 0; i++) {
			char p[64], *s;
			size_t len;

			snprintf(p, sizeof p, "/proc/%ld/stat", (long)grandchild);
			s = read_file(p, &len);
			/* A zombie of someone else's is dead enough. */
			if (!s || strstr(s, ") Z "))
				{ free(s); break; }
			free(s);
			usleep(5000);
		}
		assert_false(procs_has(dir, grandchild));
		real.pids[1] = 0;
	}
	real.cg = NULL;
	cgroup_destroy(cg);
	assert_false(exists("%s", dir));
	assert_false(exists("%s", parent));
}

static void
test_real_v1_kill_loop(void **state)
{
	struct cgroup_limits lim = { .pids = 16 };
	struct cgroup_sys sys;
	struct cgroup *cg = NULL;
	char err[256], warn[512], inst[32], dir[700];
	pid_t pid;
	int st, sync[2];

	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: needs root (real cgroup v1 pids)\n");
		skip();
	}
	assert_int_equal(cgroup_probe(&sys, NULL, NULL, err, sizeof err), 0);
	if (sys.where[CG_PIDS] != CGROUP_MODE_V1) {
		print_message("skipped: no usable v1 pids hierarchy\n");
		skip();
	}
	/* v1 alone, so the kill is the SIGKILL loop over cgroup.procs. */
	sys.mode = CGROUP_MODE_V1;
	snprintf(inst, sizeof inst, "ut%ld", (long)getpid());
	assert_int_equal(cgroup_create(&sys, inst, 2, &lim, &cg, warn, sizeof warn), 0);
	real.cg = cg;
	assert_string_equal(warn, "");
	snprintf(dir, sizeof dir, "%s/hexe-%s/pane-2", sys.v1_base[CG_PIDS], inst);
	assert_string_equal(got("%s/pids.max", dir), "16\n");
	assert_int_equal(pipe(sync), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;

		close(sync[1]);
		if (read(sync[0], &c, 1) != 1)
			_exit(1);
		/* A small fork tree that keeps forking, bounded by pids.max. */
		for (int i = 0; i < 40; i++) {
			if (fork() == 0)
				for (;;)
					pause();
		}
		for (;;)
			pause();
	}
	real.pids[0] = pid;
	close(sync[0]);
	assert_int_equal(cgroup_attach(cg, pid, false), 0);
	(void)!write(sync[1], "g", 1);
	close(sync[1]);
	usleep(100000);
	{
		struct cgroup_stats cs;

		assert_int_equal(cgroup_read_stats(cg, &cs), 0);
		assert_true(cs.pids_current >= 2);
		assert_true(cs.pids_current <= 16);
	}
	assert_int_equal(cgroup_kill(cg), 0);
	assert_int_equal(wait_bounded(pid, &st), pid);
	real.pids[0] = 0;
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	real.cg = NULL;
	cgroup_destroy(cg);
	assert_false(exists("%s", dir));
}

static void
test_real_delegation_as_nobody(void **state)
{
	struct cgroup_sys sys;
	char err[256];
	int fds[2];
	pid_t pid;
	int st;

	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: needs root to become uid 65534\n");
		skip();
	}
	assert_int_equal(cgroup_probe(&sys, NULL, NULL, err, sizeof err), 0);
	if (!*sys.v2_mount) {
		print_message("skipped: no cgroup2 mounted\n");
		skip();
	}
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		if (setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			_exit(3);
		if (cgroup_probe(&sys, NULL, NULL, err, sizeof err) < 0)
			_exit(4);
		(void)!write(fds[1], &sys, sizeof sys);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &sys, sizeof sys), (ssize_t)sizeof sys);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_false(sys.v2_usable);
	assert_non_null(strstr(sys.v2_why, sys.v2_mount));
	assert_non_null(strstr(sys.v2_why, strerror(EACCES)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_probe_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_v2_controller_not_delegated,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_v1_and_hybrid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe_mountinfo_details, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_delegation_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v2_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v2_missing_files_warn, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_limit_formats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_instance, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_writer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v1_period_before_quota, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_v1_dirs_without_limits, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_cgroups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enter_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
		cmocka_unit_test_teardown(test_real_v2_clone_into_cgroup_and_kill,
					  teardown_real),
		cmocka_unit_test_teardown(test_real_v1_kill_loop, teardown_real),
		cmocka_unit_test(test_real_delegation_as_nobody),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
