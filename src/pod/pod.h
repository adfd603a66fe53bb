/*
 * pod — the process that owns one pane: the PTY master, the sandboxed
 * child, the terminal emulator and scrollback, and the pane's log.
 *
 * Started by ses as `hexe pod --instance NAME --id N ...` with the pane's
 * environment; detached from ses so that it outlives it. It talks to one
 * ses at a time, first over an inherited socket, later over its own
 * `pod-<id>.sock`, where a restarted ses re-adopts it.
 */
#ifndef HEXE_POD_H
#define HEXE_POD_H

int pod_main(int argc, char **argv);

#endif
