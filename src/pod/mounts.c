/*
 * mounts — plan a pane's mounts in the pod, carry them out in its init.
 */
#include "pod/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_open_tree
#define SYS_open_tree 428
#endif
#ifndef SYS_move_mount
#define SYS_move_mount 429
#endif
#ifndef SYS_mount_setattr
#define SYS_mount_setattr 442
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#define HEXE_MOUNT_ATTR_RDONLY 0x00000001

struct hexe_mount_attr {
	uint64_t attr_set;
	uint64_t attr_clr;
	uint64_t propagation;
	uint64_t userns_fd;
};

/* ---- planning (pod) ---- */

/* path is dir itself or below it. */
static bool
path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Strictly below dir. */
static bool
path_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/' && path[n + 1];
}

static struct mount_op *
add(struct mount_plan *mp, enum mount_kind kind, const char *dst)
{
	struct mount_op *op = &mp->op[mp->n++];

	memset(op, 0, sizeof *op);
	op->kind = kind;
	op->tree = -1;
	snprintf(op->dst, sizeof op->dst, "%s", dst);
	return op;
}

static void
add_tmpfs(struct mount_plan *mp, enum mount_kind kind, const char *dst,
	  unsigned mode)
{
	struct mount_op *op = add(mp, kind, dst);

	snprintf(op->data, sizeof op->data, "mode=%04o,size=%llu", mode,
		 (unsigned long long)MOUNTS_TMPFS_SIZE);
}

static void
add_bind(struct mount_plan *mp, const char *what, const char *src,
	 const char *dst, bool ro, bool optional, bool mkpath)
{
	struct mount_op *op = add(mp, MOUNT_BIND, dst);

	op->what = what;
	snprintf(op->src, sizeof op->src, "%s", src);
	op->ro = ro;
	op->optional = optional;
	op->mkpath = mkpath;
}

/* The Unix socket of an X display on this machine (":0", ":0.0",
 * "unix:0"), or false for a TCP display ("localhost:10.0"). */
static bool
x11_socket(const char *display, char *out, size_t n)
{
	const char *p = display;
	char *end;
	unsigned long num;

	if (strncmp(p, "unix:", 5) == 0)
		p += 4;
	if (*p != ':' || p[1] < '0' || p[1] > '9')
		return false;
	num = strtoul(p + 1, &end, 10);
	if (*end && *end != '.')
		return false;
	snprintf(out, n, "/tmp/.X11-unix/X%lu", num);
	return true;
}

/* The fresh tmpfs dirs of a profile, where a missing bind target is made. */
static bool
in_fresh_tmpfs(enum profile p, const char *dst)
{
	return path_under(dst, "/tmp") ||
	       (p == PROFILE_FULL && path_under(dst, "/dev/shm"));
}

/* Hide dir behind an empty tmpfs. Under /tmp it is hidden already;
 * recreate says whether the pane gets an empty one there (programs expect
 * $XDG_RUNTIME_DIR to exist) or nothing (hexe's runtime dir). */
static void
plan_mask(struct mount_plan *mp, const char *dir, bool recreate)
{
	struct stat st;

	if (!dir || dir[0] != '/' || !dir[1] || strlen(dir) >= sizeof mp->op[0].dst)
		return;
	for (int i = 0; i < mp->n; i++) {
		if ((mp->op[i].kind == MOUNT_MASK || mp->op[i].kind == MOUNT_MKDIR) &&
		    (path_under(dir, mp->op[i].dst) ||
		     strcmp(dir, mp->op[i].dst) == 0))
			return; /* already hidden */
	}
	if (path_under(dir, "/tmp")) {
		if (recreate)
			add(mp, MOUNT_MKDIR, dir);
		return;
	}
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		add_tmpfs(mp, MOUNT_MASK, dir, 0700);
}

/* hexe's sockets of every instance: the runtime dir's parent when it is
 * one paths_init makes ("$XDG_RUNTIME_DIR/hexe", "/tmp/hexe-<uid>"),
 * else the dir itself ($HEXE_RUNTIME_DIR). */
static void
hexe_runtime_root(const char *runtime, char *out, size_t n)
{
	const char *slash, *base;

	snprintf(out, n, "%s", runtime ? runtime : "");
	slash = strrchr(out, '/');
	if (!slash || slash == out)
		return;
	out[slash - out] = '\0';
	base = strrchr(out, '/');
	base = base ? base + 1 : out;
	if (strcmp(base, "hexe") != 0 &&
	    !(strncmp(base, "hexe-", 5) == 0 && base[5] &&
	      strspn(base + 5, "0123456789") == strlen(base + 5)))
		snprintf(out, n, "%s", runtime);
}

/* A bind that brings back a dir holding a masked one, or a dir inside
 * it, shows it again (a cwd of /tmp brings back /tmp/hexe-<uid>): mask
 * it once more, after the binds. */
static void
plan_remask(struct mount_plan *mp, const char *dir)
{
	char real[PATH_MAX];
	struct stat st;
	bool exposed = false;

	if (!dir || dir[0] != '/' || !realpath(dir, real) ||
	    strlen(real) >= sizeof mp->op[0].dst)
		return;
	for (int i = 0; i < mp->n; i++) {
		const struct mount_op *op = &mp->op[i];

		if (op->kind == MOUNT_BIND &&
		    (strcmp(op->dst, real) == 0 || path_under(real, op->dst) ||
		     path_under(op->dst, real)))
			exposed = true;
	}
	if (exposed && mp->n < MOUNT_OPS_MAX && stat(real, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		add_tmpfs(mp, MOUNT_MASK, real, 0700);
}

int
mounts_plan(struct mount_plan *mp, const struct mount_env *env, char *err,
	    size_t errsz)
{
	enum profile p = env->profile;
	bool tmp = p == PROFILE_BALANCED || p == PROFILE_FULL;
	char real[PATH_MAX], path[512], user_run[64], hexe_run[512];

	mp->n = 0;
	mp->cwd[0] = '\0';
	if (env->cwd && *env->cwd)
		snprintf(mp->cwd, sizeof mp->cwd, "%s", env->cwd);
	if (p != PROFILE_DEFAULT && !tmp)
		return 0;

	add(mp, MOUNT_PRIVATE, "/");
	add(mp, MOUNT_PROC, "/proc");
	if (p == PROFILE_FULL) {
		add(mp, MOUNT_SYSFS, "/sys");
		add(mp, MOUNT_DEVPTS, "/dev/pts");
		add(mp, MOUNT_PTMX, "/dev/ptmx");
		add_tmpfs(mp, MOUNT_TMPFS, "/dev/shm", 01777);
	} else {
		/* The pane's own cgroup files belong to its user where the
		 * hierarchy is delegated: read-only, so it cannot lift its
		 * limits or move itself out (full has its own sysfs). */
		add_bind(mp, "cgroupfs(ro)", "/sys/fs/cgroup", "/sys/fs/cgroup",
			 true, true, false);
	}
	if (!tmp)
		return 0;
	add_tmpfs(mp, MOUNT_TMPFS, "/tmp", 01777);
	if (p == PROFILE_FULL) {
		plan_mask(mp, env->xdg_runtime_dir, true);
		/* The login's runtime dir whatever the environment says: its
		 * session bus can start programs outside the pod. */
		snprintf(user_run, sizeof user_run, "/run/user/%u",
			 (unsigned)getuid());
		plan_mask(mp, user_run, true);
		/* hexe's own sockets: a pane that reaches ses.sock can ask
		 * for an unconfined pane. */
		hexe_runtime_root(env->runtime, hexe_run, sizeof hexe_run);
		plan_mask(mp, hexe_run, false);
	}

	/* The cwd under /tmp comes back, at its canonical path. */
	if (mp->cwd[0] && realpath(mp->cwd, real) && path_below(real, "/tmp") &&
	    strlen(real) < sizeof mp->cwd) {
		snprintf(mp->cwd, sizeof mp->cwd, "%s", real);
		add_bind(mp, "cwd", real, real, false, true, true);
	}
	if (p == PROFILE_BALANCED) {
		if (env->display && x11_socket(env->display, path, sizeof path) &&
		    access(path, F_OK) == 0)
			add_bind(mp, "X11 socket", path, path, false, true, true);
		if (env->ssh_auth_sock && path_below(env->ssh_auth_sock, "/tmp") &&
		    strlen(env->ssh_auth_sock) < sizeof path &&
		    access(env->ssh_auth_sock, F_OK) == 0)
			add_bind(mp, "ssh agent", env->ssh_auth_sock,
				 env->ssh_auth_sock, false, true, true);
	}
	for (int i = 0; i < env->nmounts; i++) {
		const struct iso_mount *m = &env->mounts[i];

		if (mp->n >= MOUNT_OPS_MAX) {
			snprintf(err, errsz, "too many mounts");
			return -1;
		}
		add_bind(mp, m->ro ? "ro_bind" : "bind", m->src, m->dst, m->ro,
			 false, in_fresh_tmpfs(p, m->dst));
	}
	if (p == PROFILE_FULL) {
		plan_remask(mp, env->xdg_runtime_dir);
		plan_remask(mp, user_run);
		plan_remask(mp, hexe_run);
	}
	return 0;
}

static const char *
kind_name(enum mount_kind k)
{
	switch (k) {
	case MOUNT_PRIVATE: return "private";
	case MOUNT_PROC: return "proc";
	case MOUNT_SYSFS: return "sysfs(ro)";
	case MOUNT_DEVPTS: return "devpts(newinstance)";
	case MOUNT_PTMX: return "ptmx";
	case MOUNT_TMPFS: return "tmpfs";
	case MOUNT_MASK: return "mask";
	case MOUNT_MKDIR: return "empty";
	case MOUNT_BIND: return "bind";
	}
	return "?";
}

void
mounts_describe(const struct mount_plan *mp, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (int i = 0; i < mp->n && len < n; i++) {
		const struct mount_op *op = &mp->op[i];

		if (op->kind == MOUNT_BIND)
			len += (size_t)snprintf(out + len, n - len, "%s%s:%s->%s%s",
						len ? " " : "", op->what, op->src,
						op->dst, op->optional ? "(if present)" : "");
		else
			len += (size_t)snprintf(out + len, n - len, "%s%s:%s",
						len ? " " : "", kind_name(op->kind),
						op->dst);
	}
	if (!mp->n)
		snprintf(out, n, "none (host mount table)");
}

void
mounts_op_name(const struct mount_plan *mp, int i, char *out, size_t n)
{
	const struct mount_op *op;

	if (i < 0 || i >= mp->n) {
		snprintf(out, n, "mount");
		return;
	}
	op = &mp->op[i];
	switch (op->kind) {
	case MOUNT_PRIVATE:
		snprintf(out, n, "make / private (mount namespace)");
		break;
	case MOUNT_PTMX:
		snprintf(out, n, "bind /dev/pts/ptmx over /dev/ptmx");
		break;
	case MOUNT_MASK:
		snprintf(out, n, "mask %s with a tmpfs", op->dst);
		break;
	case MOUNT_MKDIR:
		snprintf(out, n, "create %s", op->dst);
		break;
	case MOUNT_BIND:
		snprintf(out, n, "%s %s:%s", op->what, op->src, op->dst);
		break;
	default:
		snprintf(out, n, "mount %s on %s",
			 op->kind == MOUNT_PROC	    ? "proc"
			 : op->kind == MOUNT_SYSFS  ? "sysfs"
			 : op->kind == MOUNT_DEVPTS ? "devpts"
						    : "tmpfs",
			 op->dst);
	}
}

/* ---- carrying it out (the pane's init; async-signal-safe) ---- */

/* mkdir -p; the last component gets mode. */
static int
mkdir_p(const char *path, mode_t mode)
{
	char buf[512];
	size_t len = strlen(path);

	if (len >= sizeof buf)
		return -ENAMETOOLONG;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int
make_target(const char *dst, bool dir)
{
	char parent[512];
	size_t len = strlen(dst);
	int fd;

	if (dir)
		return mkdir_p(dst, 0755);
	if (len >= sizeof parent)
		return -ENAMETOOLONG;
	memcpy(parent, dst, len + 1);
	for (size_t i = len; i > 1; i--) {
		if (parent[i - 1] == '/') {
			parent[i - 1] = '\0';
			break;
		}
	}
	if (parent[0] && strcmp(parent, dst) != 0) {
		int rc = mkdir_p(parent, 0755);

		if (rc < 0)
			return rc;
	}
	fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0 : -errno;
	close(fd);
	return 0;
}

/* Read-only without mount_setattr (before 5.12): a bind remount that
 * keeps the flags the kernel locked on the mount. */
static int
remount_ro(const char *dst)
{
	struct statfs sf;
	unsigned long fl = MS_REMOUNT | MS_BIND | MS_RDONLY;

	if (statfs(dst, &sf) < 0)
		return -errno;
	if (sf.f_flags & ST_NOSUID) fl |= MS_NOSUID;
	if (sf.f_flags & ST_NODEV) fl |= MS_NODEV;
	if (sf.f_flags & ST_NOEXEC) fl |= MS_NOEXEC;
	if (sf.f_flags & ST_NOATIME) fl |= MS_NOATIME;
	if (sf.f_flags & ST_NODIRATIME) fl |= MS_NODIRATIME;
	if (sf.f_flags & ST_RELATIME) fl |= MS_RELATIME;
	return mount(NULL, dst, NULL, fl, NULL) < 0 ? -errno : 0;
}

/* Step 2: clone each source while the host's paths are visible. */
static int
clone_sources(struct mount_plan *mp, int *failed)
{
	for (int i = 0; i < mp->n; i++) {
		struct mount_op *op = &mp->op[i];
		struct hexe_mount_attr attr = { HEXE_MOUNT_ATTR_RDONLY, 0, 0, 0 };

		if (op->kind != MOUNT_BIND)
			continue;
		op->tree = (int)syscall(SYS_open_tree, AT_FDCWD, op->src,
					OPEN_TREE_CLONE | O_CLOEXEC | AT_RECURSIVE);
		if (op->tree < 0) {
			if (op->optional)
				continue;
			*failed = i;
			return -errno;
		}
		if (op->ro && syscall(SYS_mount_setattr, op->tree, "",
				      AT_EMPTY_PATH | AT_RECURSIVE, &attr,
				      sizeof attr) == 0)
			op->ro = false; /* done: nothing left for remount_ro */
	}
	return 0;
}

static int
attach_bind(struct mount_op *op)
{
	struct stat st;
	int rc;

	if (op->tree < 0)
		return 0; /* optional and absent */
	if (op->mkpath) {
		if (fstat(op->tree, &st) < 0)
			return -errno;
		/* The caller reads errno, as for every other step. */
		if ((rc = make_target(op->dst, S_ISDIR(st.st_mode))) < 0) {
			errno = -rc;
			return -1;
		}
	}
	if (syscall(SYS_move_mount, op->tree, "", AT_FDCWD, op->dst,
		    MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return -errno;
	close(op->tree);
	op->tree = -1;
	return op->ro ? remount_ro(op->dst) : 0;
}

static int
apply_one(struct mount_op *op)
{
	const unsigned long nsd = MS_NOSUID | MS_NODEV;

	switch (op->kind) {
	case MOUNT_PRIVATE:
		return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	case MOUNT_PROC:
		return mount("proc", op->dst, "proc", nsd | MS_NOEXEC, NULL);
	case MOUNT_SYSFS:
		return mount("sysfs", op->dst, "sysfs",
			     nsd | MS_NOEXEC | MS_RDONLY, NULL);
	case MOUNT_DEVPTS:
		return mount("devpts", op->dst, "devpts", MS_NOSUID | MS_NOEXEC,
			     "newinstance,ptmxmode=0666,mode=0600");
	case MOUNT_PTMX:
		return mount("/dev/pts/ptmx", op->dst, NULL, MS_BIND, NULL);
	case MOUNT_TMPFS:
	case MOUNT_MASK:
		return mount("tmpfs", op->dst, "tmpfs", nsd, op->data);
	case MOUNT_MKDIR: {
		int rc = mkdir_p(op->dst, 0700);

		if (rc < 0)
			errno = -rc;
		return rc;
	}
	case MOUNT_BIND: {
		int rc = attach_bind(op);

		if (rc < 0)
			errno = -rc;
		return rc;
	}
	}
	errno = EINVAL;
	return -1;
}

int
mounts_apply(struct mount_plan *mp, int *failed)
{
	int rc;

	*failed = -1;
	if (mp->n == 0)
		return 0;
	/* Step 1 first: after it, nothing done here reaches the host. */
	if (mp->op[0].kind == MOUNT_PRIVATE && apply_one(&mp->op[0]) < 0) {
		*failed = 0;
		return -errno;
	}
	if ((rc = clone_sources(mp, failed)) < 0)
		return rc;
	for (int i = 1; i < mp->n; i++) {
		struct mount_op *op = &mp->op[i];

		if (apply_one(op) < 0) {
			/* A directory the pane's uid cannot reach needs no
			 * mask: the pane, with less privilege than its
			 * init, cannot reach it either. */
			if (op->kind == MOUNT_MASK &&
			    (errno == EACCES || errno == ENOENT))
				continue;
			if (op->optional) {
				if (op->tree >= 0)
					close(op->tree);
				op->tree = -1;
				continue;
			}
			*failed = i;
			return -errno;
		}
	}
	return 0;
}
