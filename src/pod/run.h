/*
 * run — `hexe pod run`: one program in a POD without a multiplexer.
 */
#ifndef HEXE_POD_RUN_H
#define HEXE_POD_RUN_H

/* Exit status: the program's (128+N when killed by signal N); 2 for bad
 * arguments; 126 when the POD could not be made (the message names the
 * step). */
int pod_run_main(int argc, char **argv);

#endif
