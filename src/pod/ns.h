/*
 * ns — a pane's namespaces: which ones a profile gets, the one clone3
 * that creates them all at once, and the identity inside (uid/gid maps,
 * setgroups).
 *
 * Identity: a normal user maps its own uid and gid (one line each,
 * setgroups denied) and stays itself. Root is mapped to 65534 and becomes
 * 65534 inside as well (ns_become), so a pane started by root holds no
 * host privilege: it cannot write /etc, and `id` tells the truth.
 *
 * Where each function runs is part of its name's contract: ns_clone and
 * ns_write_maps in the pod (the parent, with the user's host
 * credentials); ns_become in the child, in its new user namespace, before
 * anything else is set up. Child-side functions are async-signal-safe.
 */
#ifndef HEXE_NS_H
#define HEXE_NS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "pod/isolation.h"

/* The id root is mapped to and runs as inside a pane. */
#define NS_ROOT_ID 65534

struct ns_ident {
	uid_t host_uid, uid; /* host id, and the id inside (mapped 1:1) */
	gid_t host_gid, gid;
	bool from_root;      /* the pod runs as root: map to NS_ROOT_ID and
			      * keep setgroups allowed, so the child can drop
			      * root's supplementary groups */
};

/* CLONE_NEW* flags of a profile (0 for none). */
int ns_flags(enum profile p);
/* "user,pid,mount,net,uts,ipc,cgroup", or "none". */
void ns_describe(int flags, char *out, size_t n);
/* "CLONE_NEWUSER|CLONE_NEWNET", or "" for none: as the system calls
 * spell them, for messages about a call that failed. */
void ns_flags_text(int flags, char *out, size_t n);

/* Pod: who the pane is, from this process's credentials. */
void ns_ident_init(struct ns_ident *id);

/* Pod: one clone3 with every flag at once (SIGCHLD as exit signal), into
 * the cgroup directory cgroup_fd when >= 0 (CLONE_INTO_CGROUP). Returns
 * the child's pid in the parent, 0 in the child (which runs on a copy of
 * the parent's stack, like fork), or -errno. *into_cgroup says whether
 * the child was born in cgroup_fd: when the kernel refuses
 * CLONE_INTO_CGROUP (too old, or that directory cannot take it) the clone
 * is retried without it, and the caller attaches the child itself. The
 * caller blocks signals around this call. */
pid_t ns_clone(int flags, int cgroup_fd, bool *into_cgroup);

/* Pod: write setgroups (deny, unless root), uid_map and gid_map of pid's
 * new user namespace. 0, or -errno with the file that failed in *what. */
int ns_write_maps(pid_t pid, const struct ns_ident *id, const char **what);

/* Child, in its new user namespace, after the maps are written: become
 * the pane's identity. For root that is setgroups(0) + setresgid +
 * setresuid to NS_ROOT_ID; the capabilities of the namespace are kept
 * (root is not mapped in it, so the kernel's setuid rules do not clear
 * them) for the mounts that follow. 0 or -errno. */
int ns_become(const struct ns_ident *id);

#endif
