/*
 * spawn — the one place that starts a pane's program: its terminal, its
 * sandbox (the isolation profile), its limits, and the exec.
 *
 * What every profile shares: the program runs in a new session with the
 * pane's terminal as its controlling tty, only fds 0-2 open, in its working
 * directory (or `/` with a one-line notice), with the pane's environment.
 * Errors in a child are sent to the parent through a close-on-exec pipe as
 * (step, errno) and turned into a message there; a child never returns.
 */
#ifndef HEXE_SPAWN_H
#define HEXE_SPAWN_H

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
};

struct pod_child {
	pid_t pid;          /* what the pod waits for: the pod's init, or the
			     * program itself when there is no pid namespace */
	int master;         /* the PTY master: non-blocking, close-on-exec */
	char tty[64];       /* the terminal's name as the pane sees it */
	struct cgroup *cg;  /* NULL when no limits were applied */
	char notice[512];   /* warnings the pane and the status bar show,
			     * "" when none */
};

/* Start the pane's program. 0 and *out filled; or -errno with a one-line
 * message in err naming the step and the errno ("clone (pid namespace):
 * Operation not permitted; see `hexe pod check`"), and nothing left behind. */
int pod_spawn(const struct spawn_opts *o, struct pod_child *out, char *err,
	      size_t errsz);

/* Signal the pane's whole process tree. */
void pod_child_kill(struct pod_child *c, int sig);

/* After the child has exited: remove its cgroup, close the master. */
void pod_child_release(struct pod_child *c, struct hlog *log);

#endif
