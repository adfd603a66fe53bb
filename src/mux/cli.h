/*
 * cli — the one-shot commands: each connects to ses (starting it when
 * needed), asks one thing, prints the answer, and exits non-zero with the
 * reason on stderr when it fails.
 */
#ifndef HEXE_CLI_H
#define HEXE_CLI_H

#include <stdint.h>

#include "core/buf.h"

/* SESSION_NEW for a session started here: this process's environment and
 * working directory, argv NULL for the user's shell. */
void cli_encode_session_new(struct wbuf *b, const char *name,
			    const char *layout, uint16_t cols, uint16_t rows,
			    uint8_t flags, char **argv);

int cli_mux_default(int argc, char **argv);
int cli_mux_new(int argc, char **argv);
int cli_mux_attach(int argc, char **argv);
int cli_mux_send(int argc, char **argv);
int cli_mux_capture(int argc, char **argv);
int cli_mux_action(int argc, char **argv);
int cli_mux_reload(int argc, char **argv);
int cli_mux_float(int argc, char **argv);
int cli_ses_list(int argc, char **argv);
int cli_ses_kill(int argc, char **argv);
int cli_ses_stop(int argc, char **argv);
int cli_pod_list(int argc, char **argv);

#endif
