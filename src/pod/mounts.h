/*
 * mounts — a pane's private mount table: what each profile mounts, in
 * which order, and the code that does it.
 *
 * The pod (parent) turns the profile, the pane's environment and the
 * extra bind mounts into a plan: every path and option string is made
 * there. The pane's init (child, in its new user + mount namespaces, with
 * the capabilities of its user namespace and the pane's uid) carries the
 * plan out with system calls only (async-signal-safe):
 *
 *   1. `/` recursively private, so nothing propagates back to the host;
 *   2. the source of every bind mount cloned (open_tree) while the host's
 *      paths are still visible, before a fresh tmpfs hides them;
 *   3. fresh /proc (default, balanced, full); read-only /sys, a new devpts
 *      with /dev/ptmx bound to its ptmx, /dev/shm (full);
 *   4. fresh /tmp (balanced, full), $XDG_RUNTIME_DIR masked (full);
 *   5. the clones attached: the cwd when it lies under /tmp, the X11
 *      socket of $DISPLAY and $SSH_AUTH_SOCK (balanced), then the extra
 *      bind/ro_bind mounts (balanced, full).
 */
#ifndef HEXE_MOUNTS_H
#define HEXE_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pod/isolation.h"

/* Size of each fresh tmpfs: /tmp, /dev/shm, the masked runtime dir. */
#define MOUNTS_TMPFS_SIZE (128ull << 20)

enum mount_kind {
	MOUNT_PRIVATE = 1, /* / MS_REC|MS_PRIVATE */
	MOUNT_PROC,
	MOUNT_SYSFS,       /* read-only */
	MOUNT_DEVPTS,      /* newinstance,ptmxmode=0666 */
	MOUNT_PTMX,        /* /dev/pts/ptmx bound over /dev/ptmx */
	MOUNT_TMPFS,
	MOUNT_MASK,        /* an empty tmpfs over a directory */
	MOUNT_MKDIR,       /* a directory masked by a fresh tmpfs above it:
			    * recreated empty */
	MOUNT_BIND,
};

struct mount_op {
	enum mount_kind kind;
	const char *what;  /* "cwd", "X11 socket", "ssh agent", "bind",
			    * "ro_bind"; NULL for the profile's own mounts */
	char src[512];
	char dst[512];
	char data[96];     /* file system options */
	bool ro;
	bool optional;     /* a failure skips this mount instead of refusing
			    * the pane (cwd: the shell's notice says it) */
	bool mkpath;       /* dst lies in a fresh tmpfs: create it */
	int tree;          /* child: the cloned source, or -1 */
};

#define MOUNT_OPS_MAX (16 + ISO_MOUNTS_MAX)

struct mount_plan {
	struct mount_op op[MOUNT_OPS_MAX];
	int n;
	char cwd[512];     /* where the shell starts ("" = no cwd given) */
};

/* What the plan is made from; NULL strings are absent. */
struct mount_env {
	enum profile profile;
	const char *cwd;             /* the pane's working directory */
	const char *display;         /* $DISPLAY of the pane */
	const char *ssh_auth_sock;   /* $SSH_AUTH_SOCK of the pane */
	const char *xdg_runtime_dir; /* $XDG_RUNTIME_DIR of the pane */
	const char *runtime;         /* hexe's runtime dir (sockets) */
	const struct iso_mount *mounts;
	int nmounts;
};

/* Pod: make the plan. Profiles without a mount namespace get an empty
 * one. 0, or -1 with err when an extra mount cannot be planned. */
int mounts_plan(struct mount_plan *mp, const struct mount_env *env, char *err,
		size_t errsz);

/* Pod: one line for the log ("proc:/proc tmpfs:/tmp bind:/a->/b ..."). */
void mounts_describe(const struct mount_plan *mp, char *out, size_t n);

/* Pod: op i as the step of an error message ("mount tmpfs on /tmp"). */
void mounts_op_name(const struct mount_plan *mp, int i, char *out, size_t n);

/* Child: carry the plan out. 0, or -errno with the failing op's index in
 * *failed. */
int mounts_apply(struct mount_plan *mp, int *failed);

#endif
