/*
 * spawn — the one place that starts a pane's program: its terminal, its
 * sandbox (the isolation profile), its limits, and the exec.
 *
 * What every profile shares: the program runs in a new session with the
 * pane's terminal as its controlling tty, only fds 0-2 open, in its working
 * directory (or `/` with a one-line notice), with the pane's environment.
 * Errors in a child are sent to the parent through a close-on-exec socket
 * as (step, errno) and turned into a message there; a child never returns.
 *
 * The order of a pane's setup (ARCHITECTURE.md §6), and where each step
 * runs:
 *   pod    cgroup made and limited; one clone3 with every namespace flag
 *          of the profile (into the cgroup when the kernel can);
 *   pod    cgroup attach where clone3 could not; setgroups, uid_map,
 *          gid_map; release the child;
 *   child  become the pane's uid (root: 65534); mounts (mounts.c); lo up
 *          and host name (netns.c); the pane's terminal in its own devpts,
 *          master passed out (devpts.c); then, with a pid namespace, fork
 *          the shell and stay as its init (podinit.c);
 *   shell  setsid, TIOCSCTTY, no_new_privs and no capabilities (caps.c)
 *          in every profile but none, only fds 0-2, chdir, exec.
 * pod_spawn returns once the exec has happened (or failed).
 */
#ifndef HEXE_SPAWN_H
#define HEXE_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/log.h"
#include "pod/isolation.h"

struct cgroup;

struct spawn_opts {
	char *const *argv; /* NULL-terminated; argv[0] is a path or a name */
	const char *argv0; /* what the program sees as argv[0], or NULL */
	char *const *envp;
	const char *cwd;
	const struct isolation *iso;
	const char *instance;
	unsigned pane_id;
	int cols, rows;
	struct hlog *log; /* what was applied goes here */
	const char *runtime; /* hexe's runtime dir, masked in `full`; NULL:
			      * from the environment, as paths_init does */
};

struct pod_child {
	pid_t pid;          /* what the pod waits for: the pod's init, or the
			     * program itself when there is no pid namespace */
	int master;         /* the PTY master: non-blocking, close-on-exec */
	char tty[64];       /* the terminal's name as the pane sees it */
	struct cgroup *cg;  /* the pane's cgroup (limits, or membership for
			     * teardown in `minimal`), or NULL */
	char notice[512];   /* warnings the pane and the status bar show,
			     * "" when none */
	int lifeline;       /* write end of the pipe whose EOF ends the
			     * pane's init when the pod dies, or -1 */
	bool pidns;         /* pid is the init of the pane's pid namespace */
};

/* Start the pane's program. 0 and *out filled; or -errno with a one-line
 * message in err naming the step and the errno ("clone (user, pid, mount
 * namespaces): Operation not permitted; run `hexe pod check`"), and
 * nothing left behind. Limits that cannot be applied are a notice (the
 * pane starts), or the error with iso->strict. */
int pod_spawn(const struct spawn_opts *o, struct pod_child *out, char *err,
	      size_t errsz);

/* Signal the pane's whole process tree. With a pid namespace the init
 * passes sig on to every process of the pane and ends them all
 * PODINIT_GRACE_MS later (SIGKILL: at once); without one, the shell's
 * process group gets sig, and SIGKILL also empties the cgroup. */
void pod_child_kill(struct pod_child *c, int sig);

/* After the child has exited: kill what is left in its cgroup, remove it,
 * close the master and the lifeline. */
void pod_child_release(struct pod_child *c, struct hlog *log);

#endif
