/*
 * cgroup_v2 — the v2 backend: one directory in the unified tree,
 * <base>/hexe-<instance>/pane-<id>, with memory.max, cpu.max and pids.max
 * written before any process is in it; a directory fd for clone3's
 * CLONE_INTO_CGROUP; cgroup.kill at the end.
 *
 * In hybrid mode this backend makes the directory even with no limit (the
 * tree may have no controllers at all): membership and cgroup.kill are what
 * tear down a pane that has no pid namespace.
 *
 * Runs in the pod, as the pod's user.
 */
#include "pod/cgroup_int.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static bool
enabled_in(const char *dir, const char *ctrl)
{
	char buf[512];

	if (cgroup__read(dir, "cgroup.subtree_control", buf, sizeof buf) < 0)
		return false;
	for (char *tok = strtok(buf, " \n"); tok; tok = strtok(NULL, " \n")) {
		if (strcmp(tok, ctrl) == 0)
			return true;
	}
	return false;
}

/* Pass controller c down to the pane directories: into the subtree of
 * the base when it is the root cgroup (the only one that may while it has
 * processes), and into the subtree of hexe-<instance>. */
static int
enable(const struct cgroup_sys *sys, const char *parent, enum cgroup_ctrl c,
       char *failed, size_t failedsz)
{
	const char *name = cgroup_ctrl_name(c);
	char plus[16];
	int rc;

	snprintf(plus, sizeof plus, "+%s", name);
	if (!enabled_in(sys->v2_base, name)) {
		rc = cgroup__write(sys->v2_base, "cgroup.subtree_control", plus);
		if (rc < 0) {
			snprintf(failed, failedsz, "%s/cgroup.subtree_control",
				 sys->v2_base);
			return rc;
		}
	}
	if (enabled_in(parent, name))
		return 0;
	rc = cgroup__write(parent, "cgroup.subtree_control", plus);
	if (rc < 0)
		snprintf(failed, failedsz, "%s/cgroup.subtree_control", parent);
	return rc;
}

static int
write_limit(struct cgroup *cg, enum cgroup_ctrl c,
	    const struct cgroup_limits *lim, char *failed, size_t failedsz)
{
	const char *file = NULL;
	char v[48];
	int rc;

	switch (c) {
	case CG_MEMORY:
		file = "memory.max";
		snprintf(v, sizeof v, "%" PRIu64, lim->memory);
		break;
	case CG_CPU:
		file = "cpu.max";
		snprintf(v, sizeof v, "%" PRIu64 " %" PRIu64, lim->cpu_quota,
			 lim->cpu_period ? lim->cpu_period : 100000);
		break;
	case CG_PIDS:
		file = "pids.max";
		snprintf(v, sizeof v, "%" PRIu64, lim->pids);
		break;
	case CG_NCTRL:
		return -EINVAL;
	}
	rc = cgroup__write(cg->v2_dir, file, v);
	if (rc < 0)
		snprintf(failed, failedsz, "%s/%s", cg->v2_dir, file);
	else
		cg->where[c] = CGROUP_MODE_V2;
	/* Without it a hog of 4x the limit goes to swap instead of dying;
	 * best effort: the file exists only with swap accounting. */
	if (rc == 0 && c == CG_MEMORY)
		(void)cgroup__write(cg->v2_dir, "memory.swap.max", "0");
	return rc;
}

static int
v2_create(struct cgroup *cg, const struct cgroup_sys *sys,
	  const struct cgroup_limits *lim, struct cg_warn *w)
{
	char parent[CG_PATH_MAX], failed[CG_PATH_MAX + 32];
	int rc;

	if (!sys->v2_usable) {
		if (!cgroup_limits_any(lim))
			cgroup__warn(w, "cgroup not created: %s", sys->v2_why);
		return -(sys->v2_errno ? sys->v2_errno : ENOENT);
	}
	rc = cgroup__make_pane_dir(sys->v2_base, cg->instance, cg->pane,
				   cg->v2_dir, sizeof cg->v2_dir, failed,
				   sizeof failed);
	if (rc < 0) {
		cg->v2_dir[0] = '\0';
		for (int c = 0; c < CG_NCTRL; c++) {
			if (cgroup__asked(lim, c) && sys->where[c] == CGROUP_MODE_V2)
				cgroup__warn(w, "%s limit not applied: %s: %s",
					     cgroup_ctrl_name(c), failed,
					     strerror(-rc));
		}
		if (!cgroup_limits_any(lim))
			cgroup__warn(w, "cgroup not created: %s: %s", failed,
				     strerror(-rc));
		return rc;
	}
	cgroup__parent_path(parent, sizeof parent, sys->v2_base, cg->instance);
	for (int c = 0; c < CG_NCTRL; c++) {
		int r;

		if (!cgroup__asked(lim, c) || sys->where[c] != CGROUP_MODE_V2)
			continue;
		r = enable(sys, parent, c, failed, sizeof failed);
		if (r == 0)
			r = write_limit(cg, c, lim, failed, sizeof failed);
		if (r < 0)
			cgroup__warn(w, "%s limit not applied: %s: %s",
				     cgroup_ctrl_name(c), failed, strerror(-r));
	}
	cg->v2_fd = open(cg->v2_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return 0;
}

static int
v2_attach(struct cgroup *cg, pid_t pid)
{
	char v[24];

	if (!*cg->v2_dir)
		return 0;
	snprintf(v, sizeof v, "%ld", (long)pid);
	return cgroup__write(cg->v2_dir, "cgroup.procs", v);
}

static int
v2_kill(struct cgroup *cg)
{
	int rc;

	if (!*cg->v2_dir)
		return 0;
	rc = cgroup__kill_v2(cg->v2_dir, 2000);
	return rc == -ENOENT ? 0 : rc;
}

static int
v2_remove(struct cgroup *cg)
{
	char parent[CG_PATH_MAX];
	char *slash;

	if (!*cg->v2_dir)
		return 0;
	if (rmdir(cg->v2_dir) < 0 && errno != ENOENT)
		return -errno;
	snprintf(parent, sizeof parent, "%s", cg->v2_dir);
	slash = strrchr(parent, '/');
	if (slash) {
		*slash = '\0';
		rmdir(parent); /* other panes may still be in it */
	}
	cg->v2_dir[0] = '\0';
	return 0;
}

static int
v2_stats(const struct cgroup *cg, struct cgroup_stats *st)
{
	const char *d = cg->v2_dir;
	int rc = -ENOENT;
	uint64_t v;

	if (!*d)
		return rc;
	if (cg->where[CG_MEMORY] == CGROUP_MODE_V2) {
		if (cgroup__read_key(d, "memory.events", "oom_kill", &v) == 0) {
			st->oom_kills = v;
			rc = 0;
		}
		if (cgroup__read_u64(d, "memory.current", &v) == 0) {
			st->memory_current = v;
			rc = 0;
		}
	}
	if (cg->where[CG_CPU] == CGROUP_MODE_V2 &&
	    cgroup__read_key(d, "cpu.stat", "nr_throttled", &v) == 0) {
		st->nr_throttled = v;
		rc = 0;
	}
	if (cg->where[CG_PIDS] == CGROUP_MODE_V2 &&
	    cgroup__read_u64(d, "pids.current", &v) == 0) {
		st->pids_current = v;
		rc = 0;
	}
	return rc;
}

const struct cgroup_ops cgroup_ops_v2 = {
	.mode = CGROUP_MODE_V2,
	.create = v2_create,
	.attach = v2_attach,
	.kill = v2_kill,
	.remove = v2_remove,
	.stats = v2_stats,
};
