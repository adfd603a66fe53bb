/*
 * caps — what a pane's program may keep of privilege: nothing. Runs in
 * the child, just before exec, with the capabilities its user namespace
 * gave it; async-signal-safe.
 */
#ifndef HEXE_CAPS_H
#define HEXE_CAPS_H

/* Set no_new_privs: no exec (setuid, file capabilities) can add
 * privilege from here on. 0 or -errno. */
int caps_no_new_privs(void);

/* Empty the bounding set, the ambient and inheritable sets, then the
 * permitted and effective sets, so nothing is effective after exec and
 * nothing can come back. Needs CAP_SETPCAP (held in the pane's fresh user
 * namespace); the last step drops it too. 0 or -errno. */
int caps_drop_all(void);

#endif
