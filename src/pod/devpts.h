/*
 * devpts — a `full` pane's own devpts instance: its terminal is allocated
 * inside (so /dev/pts there holds only the pane's own), and the master is
 * passed out to the pod over a socket with SCM_RIGHTS.
 *
 * devpts_open and devpts_send run in the pane's init, after mounts.c
 * mounted the instance (newinstance,ptmxmode=0666) on /dev/pts and bound
 * /dev/pts/ptmx over /dev/ptmx; async-signal-safe. devpts_recv runs in
 * the pod.
 */
#ifndef HEXE_DEVPTS_H
#define HEXE_DEVPTS_H

#include <stddef.h>
#include <sys/types.h>

#define DEVPTS_DIR "/dev/pts"

/* Open a terminal pair in the pane's instance, sized cols x rows. *num is
 * the slave's number inside (/dev/pts/<num>). 0 or -errno. */
int devpts_open(int cols, int rows, int *master, int *slave, int *num);

/* Send len bytes of msg, with fd attached when fd >= 0, as one packet.
 * 0 or -errno. */
int devpts_send(int sock, const void *msg, size_t len, int fd);

/* Receive one packet of at most len bytes; *fd gets an attached fd
 * (close-on-exec) or -1. Returns the packet's length, 0 at EOF, or -errno. */
ssize_t devpts_recv(int sock, void *msg, size_t len, int *fd);

#endif
