/*
 * pty — open a PTY pair and size it.
 */
#ifndef HEXE_PTY_H
#define HEXE_PTY_H

#include <stddef.h>

/* Open a pair on the devpts instance whose multiplexer is `ptmx` and
 * whose nodes are in `dir` ("/dev/ptmx", "/dev/pts"). *master is
 * non-blocking, both are close-on-exec, and the slave is not made anyone's
 * controlling terminal; *num is the slave's number (dir/num). 0 or -errno.
 * Async-signal-safe: the pane's init calls it inside its own devpts. */
int pty_open_at(const char *ptmx, const char *dir, int cols, int rows,
		int *master, int *slave, int *num);

/* The host's /dev/ptmx; name gets "/dev/pts/N". 0 or -errno. */
int pty_open(int *master, int *slave, int cols, int rows, char *name,
	     size_t namesz);
int pty_resize(int master, int cols, int rows);

#endif
