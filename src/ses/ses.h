/*
 * ses — the daemon of one instance: the session graph (sessions → tabs →
 * panes), the registry of pods, routing between muxes and pods, and the
 * state file. Started by the first hexe command that needs it.
 */
#ifndef HEXE_SES_H
#define HEXE_SES_H

#include <stddef.h>

#include "core/client.h"
#include "core/paths.h"

/* `hexe ses --instance NAME`: run the daemon in the foreground. */
int ses_main(int argc, char **argv);

/* Connect to this instance's ses, starting it first when none runs, and
 * say hello as `role`. 0, or -1 with a message in err. */
int ses_connect(const struct paths *p, struct client *cl, int role,
		bool start, char *err, size_t errsz);

#endif
