/*
 * podinit — PID 1 of a pane's pid namespace: a tiny init that reaps
 * every orphan, forwards nothing, and exits with the shell's status, which
 * makes the kernel kill whatever else still runs in the pane (`nohup`
 * jobs included).
 *
 * Runs in the pane's init process (a copy of the pod made by clone3), in
 * the pane's namespaces, as the pane's uid, after spawn.c has set up the
 * pane and started the shell. It holds no terminal and no fd but the
 * lifeline. It ends:
 *   - when the shell exits: with its exit status, or 128 + the signal
 *     that killed it;
 *   - when the pod goes away: the lifeline pipe from the pod reads EOF
 *     (PR_SET_PDEATHSIG=SIGKILL, set earlier, covers the same);
 *   - when the pod asks (SIGHUP, SIGTERM or SIGINT sent from outside the
 *     pane): the signal goes to every process of the pane, and if the
 *     shell has not exited PODINIT_GRACE_MS later, the init exits and the
 *     kernel kills the rest. Signals from inside the pane are ignored.
 * Async-signal-safe; never returns.
 */
#ifndef HEXE_PODINIT_H
#define HEXE_PODINIT_H

#include <sys/types.h>

#define PODINIT_GRACE_MS 2000

/* Every signal must be blocked on entry. */
void podinit_run(pid_t shell, int lifeline) __attribute__((noreturn));

#endif
