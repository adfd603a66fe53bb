/*
 * netns — the network and host name of a `full` pane: loopback only, and
 * its own host name. Runs in the pane's init, in its fresh network and UTS
 * namespaces, with the capabilities of its user namespace;
 * async-signal-safe.
 */
#ifndef HEXE_NETNS_H
#define HEXE_NETNS_H

/* Bring `lo` up (SIOCSIFFLAGS): the kernel then gives it 127.0.0.1/8 and
 * ::1. No other interface exists, so nothing routes out. 0 or -errno. */
int netns_lo_up(void);

/* sethostname(name). 0 or -errno. */
int netns_set_hostname(const char *name);

#endif
