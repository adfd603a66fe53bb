/*
 * spawn — the one place that starts a pane's program: on a PTY slave, in
 * the sandbox its isolation settings ask for.
 *
 * This file's contract is what every profile shares: a new session with
 * the PTY as controlling terminal, a clean set of fds, the working
 * directory (or `/` with a notice), and the exec. Errors in the child are
 * sent to the parent through a close-on-exec pipe and turned into a
 * message there; the child never returns.
 */
#ifndef HEXE_SPAWN_H
#define HEXE_SPAWN_H

#include <stddef.h>
#include <sys/types.h>

#include "pod/isolation.h"

struct spawn_opts {
	int pty_slave;
	char *const *argv; /* NULL-terminated; argv[0] is the path or name */
	const char *argv0; /* what the program sees as argv[0], or NULL */
	char *const *envp;
	const char *cwd;
	const struct isolation *iso;
	unsigned pane_id;
};

/* Start the child. 0 and *pid, or -errno with a message in err naming the
 * step that failed ("exec /usr/bin/nvim: No such file or directory"). */
int pod_spawn(const struct spawn_opts *o, pid_t *pid, char *err, size_t errsz);

#endif
