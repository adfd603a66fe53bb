/*
 * cgroup_v1 — the v1 backend: one directory per controller hierarchy
 * (<base>/hexe-<instance>/pane-<id> in the memory, cpu and pids
 * hierarchies), the limits written into each before any process, the
 * pane's first process written into each cgroup.procs after the clone.
 *
 * Runs in the pod, as the pod's user. v1 has no cgroup.kill and we use no
 * freezer: kill is a bounded loop of SIGKILL over cgroup.procs.
 */
#include "pod/cgroup_int.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The hierarchies this backend makes a directory in: in v1 mode every
 * usable one (membership lets kill find the pane's processes); in hybrid
 * mode, where the v2 directory gives membership, only those with a limit. */
static bool
wanted(const struct cgroup_sys *sys, const struct cgroup_limits *lim,
       enum cgroup_ctrl c)
{
	if (sys->where[c] != CGROUP_MODE_V1 || !*sys->v1_base[c])
		return false;
	return sys->mode == CGROUP_MODE_V1 || cgroup__asked(lim, c);
}

static int
write_limit(struct cgroup *cg, enum cgroup_ctrl c,
	    const struct cgroup_limits *lim, struct cg_warn *w)
{
	const char *dir = cg->v1_dir[c];
	char v[32];
	int rc = 0;

	switch (c) {
	case CG_MEMORY:
		if (!lim->memory)
			return 0;
		/* Only the limit: memory.oom_control stays as it is (the
		 * OOM killer enabled), so a hog is killed, not paused. */
		snprintf(v, sizeof v, "%" PRIu64, lim->memory);
		rc = cgroup__write(dir, "memory.limit_in_bytes", v);
		if (rc < 0) {
			cgroup__warn(w, "memory limit not applied: %s/%s: %s",
				     dir, "memory.limit_in_bytes", strerror(-rc));
			break;
		}
		/* Memory and swap together at the same bound (after the
		 * memory limit, which it may not be below), so a hog dies
		 * rather than swaps; the file exists only with swap
		 * accounting. */
		(void)cgroup__write(dir, "memory.memsw.limit_in_bytes", v);
		break;
	case CG_CPU:
		if (!lim->cpu_quota)
			return 0;
		/* The period first: the quota is checked against it. */
		snprintf(v, sizeof v, "%" PRIu64,
			 lim->cpu_period ? lim->cpu_period : 100000);
		rc = cgroup__write(dir, "cpu.cfs_period_us", v);
		if (rc < 0) {
			cgroup__warn(w, "cpu limit not applied: %s/%s: %s", dir,
				     "cpu.cfs_period_us", strerror(-rc));
			break;
		}
		snprintf(v, sizeof v, "%" PRIu64, lim->cpu_quota);
		rc = cgroup__write(dir, "cpu.cfs_quota_us", v);
		if (rc < 0)
			cgroup__warn(w, "cpu limit not applied: %s/%s: %s", dir,
				     "cpu.cfs_quota_us", strerror(-rc));
		break;
	case CG_PIDS:
		if (!lim->pids)
			return 0;
		snprintf(v, sizeof v, "%" PRIu64, lim->pids);
		rc = cgroup__write(dir, "pids.max", v);
		if (rc < 0)
			cgroup__warn(w, "pids limit not applied: %s/%s: %s", dir,
				     "pids.max", strerror(-rc));
		break;
	case CG_NCTRL:
		break;
	}
	if (rc == 0)
		cg->where[c] = CGROUP_MODE_V1;
	return rc;
}

static int
v1_create(struct cgroup *cg, const struct cgroup_sys *sys,
	  const struct cgroup_limits *lim, struct cg_warn *w)
{
	int rc = -ENOENT;
	bool made = false;

	for (int c = 0; c < CG_NCTRL; c++) {
		char failed[CG_PATH_MAX];
		int r;

		if (!wanted(sys, lim, c))
			continue;
		r = cgroup__make_pane_dir(sys->v1_base[c], cg->instance,
					  cg->pane, cg->v1_dir[c],
					  sizeof cg->v1_dir[c], failed,
					  sizeof failed);
		if (r < 0) {
			cg->v1_dir[c][0] = '\0';
			if (cgroup__asked(lim, c))
				cgroup__warn(w, "%s limit not applied: %s: %s",
					     cgroup_ctrl_name(c), failed,
					     strerror(-r));
			else if (!cgroup_limits_any(lim))
				cgroup__warn(w, "cgroup not created: %s: %s",
					     failed, strerror(-r));
			rc = r;
			continue;
		}
		made = true;
		write_limit(cg, c, lim, w);
	}
	return made ? 0 : rc;
}

static bool
seen_before(const struct cgroup *cg, int c)
{
	for (int k = 0; k < c; k++) {
		if (strcmp(cg->v1_dir[k], cg->v1_dir[c]) == 0)
			return true;
	}
	return false;
}

static int
v1_attach(struct cgroup *cg, pid_t pid)
{
	char v[24];
	int rc = 0;

	snprintf(v, sizeof v, "%ld", (long)pid);
	for (int c = 0; c < CG_NCTRL; c++) {
		int r;

		if (!*cg->v1_dir[c] || seen_before(cg, c))
			continue;
		r = cgroup__write(cg->v1_dir[c], "cgroup.procs", v);
		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

static int
v1_kill(struct cgroup *cg)
{
	int rc = 0;

	for (int c = 0; c < CG_NCTRL; c++) {
		int r;

		if (!*cg->v1_dir[c] || seen_before(cg, c))
			continue;
		r = cgroup__kill_procs(cg->v1_dir[c], 2000);
		if (r < 0 && r != -ENOENT && rc == 0)
			rc = r;
	}
	return rc;
}

static int
v1_remove(struct cgroup *cg)
{
	int rc = 0;

	for (int c = 0; c < CG_NCTRL; c++) {
		char parent[CG_PATH_MAX];
		char *slash;

		if (!*cg->v1_dir[c])
			continue;
		if (rmdir(cg->v1_dir[c]) < 0 && errno != ENOENT) {
			if (rc == 0)
				rc = -errno;
			continue;
		}
		snprintf(parent, sizeof parent, "%s", cg->v1_dir[c]);
		slash = strrchr(parent, '/');
		if (slash) {
			*slash = '\0';
			rmdir(parent); /* other panes may still be in it */
		}
		for (int k = c + 1; k < CG_NCTRL; k++) {
			if (strcmp(cg->v1_dir[k], cg->v1_dir[c]) == 0)
				cg->v1_dir[k][0] = '\0';
		}
		cg->v1_dir[c][0] = '\0';
	}
	return rc;
}

static int
v1_stats(const struct cgroup *cg, struct cgroup_stats *st)
{
	int rc = -ENOENT;
	uint64_t v;

	if (*cg->v1_dir[CG_MEMORY]) {
		const char *d = cg->v1_dir[CG_MEMORY];

		if (cgroup__read_key(d, "memory.oom_control", "oom_kill", &v) == 0) {
			st->oom_kills = v;
			rc = 0;
		}
		if (cgroup__read_u64(d, "memory.usage_in_bytes", &v) == 0) {
			st->memory_current = v;
			rc = 0;
		}
	}
	if (*cg->v1_dir[CG_CPU] &&
	    cgroup__read_key(cg->v1_dir[CG_CPU], "cpu.stat", "nr_throttled",
			     &v) == 0) {
		st->nr_throttled = v;
		rc = 0;
	}
	if (*cg->v1_dir[CG_PIDS] &&
	    cgroup__read_u64(cg->v1_dir[CG_PIDS], "pids.current", &v) == 0) {
		st->pids_current = v;
		rc = 0;
	}
	return rc;
}

const struct cgroup_ops cgroup_ops_v1 = {
	.mode = CGROUP_MODE_V1,
	.create = v1_create,
	.attach = v1_attach,
	.kill = v1_kill,
	.remove = v1_remove,
	.stats = v1_stats,
};
