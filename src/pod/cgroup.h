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
 * this process's own cgroup in each hierarchy (so limits never escape the
 * cgroup hexe was started in). On v2, ses may first move itself (and so
 * every pod it starts) into <base>/hexe-<instance>/ses with
 * cgroup_enter_leaf: the kernel lets a non-root cgroup pass controllers
 * down only while it has no processes of its own.
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
	char root_fs[16];          /* statfs of root: "cgroup2", "tmpfs",
				    * "cgroup", "other", "missing" */
	char v2_mount[256];        /* cgroup2 mount point, "" if none */
	char v2_base[512];         /* where pane dirs go in v2, "" if unusable */
	char v2_own[512];          /* this process's own v2 cgroup: v2_base, or
				    * v2_base/hexe-<instance>/ses after
				    * cgroup_enter_leaf */
	char v1_mount[CG_NCTRL][256]; /* per controller, "" if not on v1 */
	char v1_base[CG_NCTRL][512];  /* where pane dirs go, "" if unusable */
	bool v2_ctrl[CG_NCTRL];    /* controller usable in v2_base's subtree */
	bool usable[CG_NCTRL];     /* a limit of this kind can be applied */
	bool v2_usable;            /* v2_base exists and is writable */
	/* Where each controller's limit goes: CGROUP_MODE_V1, _V2, or _NONE
	 * (not usable: see why). */
	enum cgroup_mode where[CG_NCTRL];
	char why[CG_NCTRL][256];   /* why a controller is not usable */
	int why_errno[CG_NCTRL];   /* the errno behind why, 0 if usable */
	char v2_why[256];          /* why the v2 tree is not usable, "" if it is
				    * or there is none */
	int v2_errno;              /* the errno behind v2_why */
};

/* Look at the cgroup mounts (/proc/self/mountinfo, each mount point
 * confirmed with statfs) and at this process's own cgroups
 * (/proc/self/cgroup, or `self_cgroup` text when not NULL). root NULL:
 * /sys/fs/cgroup. Pane directories nest under this process's own cgroup
 * in every hierarchy. 0, or -1 with err when /proc cannot be read; a
 * machine without cgroups is 0 with mode CGROUP_MODE_NONE. */
int cgroup_probe(struct cgroup_sys *sys, const char *root,
		 const char *self_cgroup, char *err, size_t errsz);

/* Everything cgroup_probe reads, so tests can point it at fakes. NULL
 * fields mean the real thing. */
struct cgroup_probe_src {
	const char *root;        /* NULL: /sys/fs/cgroup */
	const char *mountinfo;   /* text of /proc/self/mountinfo */
	const char *self_cgroup; /* text of /proc/self/cgroup */
	/* Trust mountinfo's file system types instead of confirming each
	 * mount point with statfs (a fake tree is not a cgroupfs). */
	bool no_statfs;
};
int cgroup_probe_from(struct cgroup_sys *sys, const struct cgroup_probe_src *src,
		      char *err, size_t errsz);

const char *cgroup_mode_name(enum cgroup_mode m);
const char *cgroup_ctrl_name(enum cgroup_ctrl c);

/* True when lim asks for any limit. */
bool cgroup_limits_any(const struct cgroup_limits *lim);

struct cgroup;

/* Create the pane's directories and write the limits, before any process
 * is in them. 0 and *out; when a limit asked for cannot be applied, *out
 * is still made for what can be, and warn gets one line naming the path
 * and the errno ("memory limit not applied: /sys/fs/cgroup/memory/...:
 * Permission denied"; several joined by "; " on the same line). A
 * non-empty warn means a limit asked for is missing: with strict the
 * caller refuses the pane. -errno (and *out NULL) when nothing could be
 * made; warn then says why even when no limit was asked for, and the caller
 * shows it only when cgroup_limits_any(lim). Which directories are made:
 * v2: one, always; v1: one per usable controller hierarchy among memory,
 * cpu, pids; hybrid: the v2 one always (membership, CLONE_INTO_CGROUP,
 * cgroup.kill) plus v1 ones for the limits asked for. */
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
/* Remove the directories (retrying briefly while they drain) and free;
 * NULL is a no-op. It does not kill: call cgroup_kill first. What cannot
 * be removed is left for cgroup_sweep. */
void cgroup_destroy(struct cgroup *cg);
/* Every directory made, for logs: "memory:/sys/fs/cgroup/memory/hexe-x/pane-3
 * pids:... v2:/sys/fs/cgroup/unified/hexe-x/pane-3"; "none" for NULL. */
const char *cgroup_describe(const struct cgroup *cg);

struct cgroup_stats {
	uint64_t oom_kills;    /* memory.events oom_kill / v1 oom_control */
	uint64_t nr_throttled; /* cpu.stat */
	uint64_t pids_current;
	uint64_t memory_current;
};
/* 0, or -errno when no statistics file could be read. A value whose file
 * is missing is 0. */
int cgroup_read_stats(const struct cgroup *cg, struct cgroup_stats *st);

/* For ses at start, v2 only: move this process into
 * <v2_base>/hexe-<instance>/ses, then enable memory, cpu and pids in
 * <v2_base>/cgroup.subtree_control, so that pane cgroups (siblings of the
 * ses leaf) can get v2 limits. Pods forked afterwards start in the leaf,
 * and cgroup_probe, seeing a "hexe-*\/ses" leaf, keeps v2_base as the
 * base. Nothing to do (0): no usable v2 tree, the root cgroup, or every
 * controller the base offers already passed down. -errno with err naming
 * the path when the move or an enable failed (EBUSY: other processes
 * share hexe's cgroup); the caller logs it and goes on: panes still get
 * v2 membership and cgroup.kill, and the probe then says why a limit is
 * unavailable. */
int cgroup_enter_leaf(const struct cgroup_sys *sys, const char *instance,
		      char *err, size_t errsz);

/* Remove pane directories of this instance whose pane is not alive
 * (alive(pane, arg) false), killing what is left in them first. Returns
 * how many panes' directories were removed (alive NULL: none is alive).
 * Directories that are not "pane-<n>" (the ses leaf) are left alone, and
 * hexe-<instance> goes when it is empty. The caller is the one process
 * that knows which panes are alive: ses, at start (after adopting the
 * surviving pods) and whenever a pod is lost. */
int cgroup_sweep(const struct cgroup_sys *sys, const char *instance,
		 bool (*alive)(unsigned pane, void *arg), void *arg);

#endif
