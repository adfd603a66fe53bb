/*
 * mux — the attached client: owns the user's terminal, decodes keys,
 * fires bindings or forwards input, keeps a copy of each visible pane's
 * grid from the pod's updates, and composes the screen.
 */
#ifndef HEXE_MUX_H
#define HEXE_MUX_H

#include <stdint.h>

#include "core/client.h"
#include "core/paths.h"
#include "core/proto.h"

struct mux_start {
	bool create;         /* SESSION_NEW instead of ATTACH */
	const char *name;    /* session name, or NULL */
	char **argv;         /* CMD for a new session, or NULL */
	const char *layout;  /* a configured layout for a new session */
};

/* Run attached until detach or the session ends. cl is connected and has
 * said hello (it is taken over). Returns the exit status. */
int mux_run(const struct paths *p, struct client *cl,
	    const struct mux_start *st);

#endif
