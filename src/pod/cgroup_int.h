/*
 * cgroup_int — private to cgroup.c, cgroup_v1.c and cgroup_v2.c: the
 * struct behind `struct cgroup`, the backend vtable (one per mode, as in
 * crun's cgroup-internal.h) and the file helpers the backends share.
 *
 * A pane's cgroup is driven by one or two backends: v2 alone, v1 alone,
 * v1 + v2 in hybrid mode (v1 for the limits, v2 for membership and kill),
 * or the none backend. cgroup.c calls each engaged backend in turn.
 *
 * Error convention: functions return 0 or -errno; messages name the path
 * and the errno.
 */
#ifndef HEXE_CGROUP_INT_H
#define HEXE_CGROUP_INT_H

#include <stdarg.h>

#include "core/paths.h"
#include "pod/cgroup.h"

#define CG_PATH_MAX 640

struct cgroup {
	char instance[INSTANCE_MAX + 1];
	unsigned pane;
	/* v1: the pane's directory in each controller's hierarchy, "" when
	 * not made. Two controllers mounted together share one path. */
	char v1_dir[CG_NCTRL][CG_PATH_MAX];
	/* v2: the pane's directory, "" when not made, and a directory fd
	 * (O_RDONLY|O_DIRECTORY) for CLONE_INTO_CGROUP, -1 when not made. */
	char v2_dir[CG_PATH_MAX];
	int v2_fd;
	/* Where each controller's limit was written (V1, V2, NONE). */
	enum cgroup_mode where[CG_NCTRL];
	const struct cgroup_ops *ops[2];
	int nops;
	char desc[4 * CG_PATH_MAX];
};

/* Accumulates one line of warnings: "memory limit not applied: PATH:
 * ERR; pids limit not applied: ...". */
struct cg_warn {
	char *buf;
	size_t size;
};
void cgroup__warn(struct cg_warn *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct cgroup_ops {
	enum cgroup_mode mode;
	/* Make this backend's directories and write the limits it owns,
	 * before any process is in them. 0 when something was made, else
	 * -errno; each limit asked for and not applied adds to w. */
	int (*create)(struct cgroup *cg, const struct cgroup_sys *sys,
		      const struct cgroup_limits *lim, struct cg_warn *w);
	/* Write pid into this backend's cgroup.procs. */
	int (*attach)(struct cgroup *cg, pid_t pid);
	/* Kill everything in this backend's directories. */
	int (*kill)(struct cgroup *cg);
	/* rmdir this backend's directories (once; the caller retries). 0,
	 * or -errno of the first that could not be removed. */
	int (*remove)(struct cgroup *cg);
	/* Add what this backend's directories know to st; 0 when something
	 * was read. */
	int (*stats)(const struct cgroup *cg, struct cgroup_stats *st);
};

extern const struct cgroup_ops cgroup_ops_v1;
extern const struct cgroup_ops cgroup_ops_v2;
extern const struct cgroup_ops cgroup_ops_none;

/* Does lim ask for a limit of controller c? */
bool cgroup__asked(const struct cgroup_limits *lim, enum cgroup_ctrl c);

/* File helpers. */
/* Write s to dir/file (O_WRONLY|O_TRUNC, never creating). 0 or -errno. */
int cgroup__write(const char *dir, const char *file, const char *s);
/* Read dir/file into buf (NUL-terminated). 0 or -errno. */
int cgroup__read(const char *dir, const char *file, char *buf, size_t n);
/* The number after "key " on a line of dir/file ("oom_kill 3"). 0 and
 * *out, or -errno (-ENOENT also when the key is missing). */
int cgroup__read_key(const char *dir, const char *file, const char *key,
		     uint64_t *out);
/* The single number in dir/file ("max" reads as UINT64_MAX). */
int cgroup__read_u64(const char *dir, const char *file, uint64_t *out);
/* mkdir with 0755; EEXIST is success. 0 or -errno. */
int cgroup__mkdir(const char *path);
/* dir/hexe-<instance> and dir/hexe-<instance>/pane-<pane>. */
void cgroup__parent_path(char *out, size_t n, const char *base,
			 const char *instance);
void cgroup__pane_path(char *out, size_t n, const char *base,
		       const char *instance, unsigned pane);
/* Make base/hexe-<instance>/pane-<pane> (the parent too), retrying when
 * another pod removes the parent in between. 0 or -errno, with the path
 * that failed in failed. */
int cgroup__make_pane_dir(const char *base, const char *instance,
			  unsigned pane, char *out, size_t n, char *failed,
			  size_t failedsz);
/* Processes listed in dir/cgroup.procs, or -errno. */
int cgroup__count_procs(const char *dir);
/* SIGKILL every process listed in dir/cgroup.procs until none is left or
 * the time runs out (ms). Each pid is pinned with a pidfd and signalled
 * only while still listed, so a recycled pid is never hit. 0, -ETIMEDOUT,
 * or -errno. */
int cgroup__kill_procs(const char *dir, unsigned timeout_ms);
/* v2: write "1" to dir/cgroup.kill; without one (kernel < 5.14) fall
 * back to cgroup__kill_procs. */
int cgroup__kill_v2(const char *dir, unsigned timeout_ms);

#endif
