/*
 * pty — open a PTY pair and size it.
 */
#ifndef HEXE_PTY_H
#define HEXE_PTY_H

#include <stddef.h>

/* 0 with *master (non-blocking, close-on-exec) and *slave, or -errno. */
int pty_open(int *master, int *slave, int cols, int rows, char *name,
	     size_t namesz);
int pty_resize(int master, int cols, int rows);

#endif
