/*
 * ns — the pane's namespaces, its one clone3, and its identity inside.
 */
#include "pod/ns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/util.h"

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* struct clone_args up to `cgroup` (CLONE_ARGS_SIZE_VER2, Linux 5.7). */
struct ns_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};

int
ns_flags(enum profile p)
{
	switch (p) {
	case PROFILE_MINIMAL:
		return CLONE_NEWUSER;
	case PROFILE_DEFAULT:
		/* A pid namespace shows every host process through the host's
		 * /proc: default gets its own mount table for a fresh one. */
	case PROFILE_BALANCED:
		return CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS;
	case PROFILE_FULL:
		return CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET |
		       CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;
	default:
		return 0;
	}
}

/* Every namespace a pane may get: hexe's word for it, and the flag's. */
static const struct {
	int flag;
	const char *name, *constant;
} ns_names[] = {
	{ CLONE_NEWUSER, "user", "CLONE_NEWUSER" },
	{ CLONE_NEWPID, "pid", "CLONE_NEWPID" },
	{ CLONE_NEWNS, "mount", "CLONE_NEWNS" },
	{ CLONE_NEWNET, "net", "CLONE_NEWNET" },
	{ CLONE_NEWUTS, "uts", "CLONE_NEWUTS" },
	{ CLONE_NEWIPC, "ipc", "CLONE_NEWIPC" },
	{ CLONE_NEWCGROUP, "cgroup", "CLONE_NEWCGROUP" },
};

static size_t
names_of(int flags, bool constants, const char *sep, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(ns_names); i++) {
		if (!(flags & ns_names[i].flag))
			continue;
		len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%s%s",
					len ? sep : "",
					constants ? ns_names[i].constant
						  : ns_names[i].name);
	}
	return len;
}

void
ns_describe(int flags, char *out, size_t n)
{
	if (!names_of(flags, false, ",", out, n))
		snprintf(out, n, "none");
}

void
ns_flags_text(int flags, char *out, size_t n)
{
	names_of(flags, true, "|", out, n);
}

void
ns_ident_init(struct ns_ident *id)
{
	id->host_uid = geteuid();
	id->host_gid = getegid();
	id->from_root = id->host_uid == 0;
	if (id->from_root) {
		id->host_uid = id->uid = NS_ROOT_ID;
		id->host_gid = id->gid = NS_ROOT_ID;
	} else {
		id->uid = id->host_uid;
		id->gid = id->host_gid;
	}
}

static pid_t
clone3_raw(uint64_t flags, int cgroup_fd)
{
	struct ns_clone_args a;
	long r;

	memset(&a, 0, sizeof a);
	a.flags = flags;
	a.exit_signal = SIGCHLD;
	if (cgroup_fd >= 0)
		a.cgroup = (uint64_t)cgroup_fd;
	r = syscall(SYS_clone3, &a, sizeof a);
	return r < 0 ? -errno : (pid_t)r;
}

pid_t
ns_clone(int flags, int cgroup_fd, bool *into_cgroup)
{
	uint64_t f = (uint64_t)(unsigned)flags;
	pid_t pid;

	*into_cgroup = false;
	if (cgroup_fd >= 0) {
		pid = clone3_raw(f | CLONE_INTO_CGROUP, cgroup_fd);
		if (pid >= 0) {
			*into_cgroup = true;
			return pid;
		}
		/* ENOSYS/E2BIG: no clone3 or no cgroup field; EOPNOTSUPP,
		 * EBUSY, EACCES...: that directory cannot take the child
		 * this way. The caller attaches it instead. A namespace
		 * error would repeat below and be reported from there. */
	}
	pid = clone3_raw(f, -1);
	if (pid != -ENOSYS)
		return pid;
	/* Kernels before 5.3: the classic clone, same semantics. */
	pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL,
			     NULL, NULL, NULL);
	return pid < 0 ? -errno : pid;
}

static int
write_proc(pid_t pid, const char *file, const char *text)
{
	char path[64];
	int fd, rc = 0;
	size_t len = strlen(text);

	snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	{
		ssize_t w = write(fd, text, len);

		/* The kernel takes a map in one write, or refuses it. */
		if (w < 0)
			rc = -errno;
		else if ((size_t)w != len)
			rc = -EIO;
	}
	close(fd);
	return rc;
}

int
ns_write_maps(pid_t pid, const struct ns_ident *id, const char **what)
{
	char line[64];
	int rc;

	if (!id->from_root) {
		/* Without CAP_SETGID in the parent namespace, the kernel
		 * takes a gid_map only once setgroups is denied. */
		*what = "setgroups";
		if ((rc = write_proc(pid, "setgroups", "deny")) < 0)
			return rc;
	}
	*what = "uid_map";
	snprintf(line, sizeof line, "%u %u 1\n", (unsigned)id->uid,
		 (unsigned)id->host_uid);
	if ((rc = write_proc(pid, "uid_map", line)) < 0)
		return rc;
	*what = "gid_map";
	snprintf(line, sizeof line, "%u %u 1\n", (unsigned)id->gid,
		 (unsigned)id->host_gid);
	return write_proc(pid, "gid_map", line);
}

int
ns_become(const struct ns_ident *id)
{
	if (!id->from_root)
		return 0;
	/* Root's supplementary groups (0 among them) would otherwise stay
	 * with the pane as unmapped but effective host groups. Raw system
	 * calls: glibc's wrappers would try to change every thread of the
	 * pod, and this copy of it has only one. */
	if (syscall(SYS_setgroups, 0, NULL) < 0 ||
	    syscall(SYS_setresgid, id->gid, id->gid, id->gid) < 0 ||
	    syscall(SYS_setresuid, id->uid, id->uid, id->uid) < 0)
		return -errno;
	return 0;
}
