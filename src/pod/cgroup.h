/*
 * cgroup — a pane's control group: created and limited before any process
 * of the pane runs, joined by the pane's first process, killed and removed
 * with the pane, and swept when a killed daemon left it behind.
 *
 * Backends behind one small vtable (cgroup_v1.c, cgroup_v2.c, and none):
 *   v2      one directory in the unified tree: memory.max, cpu.max,
 *           pids.max; CLONE_INTO_CGROUP; cgroup.kill.
 *   v1      one directory per controller hierarchy:
 *           memory.limit_in_bytes, cpu.cfs_quota_us/cpu.cfs_period_us,
 *           pids.max; the pid written into each.
 *   hybrid  v1 controllers for the limits, plus a directory in the v2
 *           tree (which may have no controllers) for membership,
 *           CLONE_INTO_CGROUP and cgroup.kill.
 * Directories are named <base>/hexe-<instance>/pane-<id>, where base is
 * the hierarchy's root for root, or the delegated cgroup of the user.
 */
#ifndef HEXE_CGROUP_H
#define HEXE_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum cgroup_mode {
	CGROUP_MODE_NONE = 0,
	CGROUP_MODE_V1,
	CGROUP_MODE_V2,
	CGROUP_MODE_HYBRID,
};

enum cgroup_ctrl {
	CG_MEMORY = 0,
	CG_CPU,
	CG_PIDS,
	CG_NCTRL,
};

struct cgroup_limits {
	uint64_t memory;     /* bytes, 0 = none */
	uint64_t cpu_quota;  /* µs, 0 = none */
	uint64_t cpu_period; /* µs */
	uint64_t pids;       /* 0 = none */
};

/* What this machine and user offer, from cgroup_probe. */
struct cgroup_sys {
	enum cgroup_mode mode;
	char root[256];            /* normally /sys/fs/cgroup */
	char v2_mount[256];        /* cgroup2 mount point, "" if none */
	char v2_base[512];         /* where pane dirs go in v2, "" if unusable */
	char v1_mount[CG_NCTRL][256]; /* per controller, "" if not on v1 */
	char v1_base[CG_NCTRL][512];  /* where pane dirs go, "" if unusable */
	bool v2_ctrl[CG_NCTRL];    /* controller usable in v2_base's subtree */
	bool usable[CG_NCTRL];     /* a limit of this kind can be applied */
	bool v2_usable;            /* v2_base exists and is writable */
	char why[CG_NCTRL][256];   /* why a controller is not usable */
};

/* Look at the cgroup mounts under root (tests pass a fake tree) and at
 * this process's own cgroups (/proc/self/cgroup, or `self_cgroup` text
 * when not NULL, for tests). 0, or -1 with err. */
int cgroup_probe(struct cgroup_sys *sys, const char *root,
		 const char *self_cgroup, char *err, size_t errsz);

const char *cgroup_mode_name(enum cgroup_mode m);
const char *cgroup_ctrl_name(enum cgroup_ctrl c);

struct cgroup;

/* Create the pane's directories and write the limits, before any process
 * is in them. 0 and *out; when a limit asked for cannot be applied, *out
 * is still made for what can be, and warn gets one line naming the path
 * and the errno ("memory limit not applied: /sys/fs/cgroup/memory/...:
 * Permission denied"). -errno (and *out NULL) when nothing could be made. */
int cgroup_create(const struct cgroup_sys *sys, const char *instance,
		  unsigned pane, const struct cgroup_limits *lim,
		  struct cgroup **out, char *warn, size_t warnsz);
/* The v2 directory fd for clone3's CLONE_INTO_CGROUP, or -1. */
int cgroup_clone_fd(const struct cgroup *cg);
/* Put pid in every hierarchy it is not in yet (v1 always; v2 when
 * CLONE_INTO_CGROUP was not used). 0 or -errno. */
int cgroup_attach(struct cgroup *cg, pid_t pid, bool v2_too);
/* Kill every process in the pane's cgroup (cgroup.kill on v2; otherwise
 * SIGKILL each listed pid until none is left). 0 or -errno. */
int cgroup_kill(struct cgroup *cg);
/* Remove the directories (retrying briefly while they drain) and free. */
void cgroup_destroy(struct cgroup *cg);
/* "memory:/sys/fs/cgroup/memory/hexe-x/pane-3 cpu:..." for logs. */
const char *cgroup_describe(const struct cgroup *cg);

struct cgroup_stats {
	uint64_t oom_kills;    /* memory.events oom_kill / v1 oom_control */
	uint64_t nr_throttled; /* cpu.stat */
	uint64_t pids_current;
	uint64_t memory_current;
};
int cgroup_read_stats(const struct cgroup *cg, struct cgroup_stats *st);

/* Remove pane directories of this instance whose pane is not alive
 * (alive(pane, arg) false), killing what is left in them first. Returns
 * how many were removed. */
int cgroup_sweep(const struct cgroup_sys *sys, const char *instance,
		 bool (*alive)(unsigned pane, void *arg), void *arg);

#endif
