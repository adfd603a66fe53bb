/*
 * contender — how the benchmark drives each contender: hexe (a private
 * instance), tmux (a private socket and config) and the bare shell; and
 * the helper commands it runs beside the terminals (which keep being
 * drained while a helper runs).
 */
#ifndef BENCH_CONTENDER_H
#define BENCH_CONTENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "term.h"

enum contender_kind {
	CT_BARE,
	CT_TMUX,
	CT_HEXE,
	CT_COUNT,
};

#define CT_MAX_PIDS 256

struct contender {
	enum contender_kind kind;
	const char *name;
	const char *exe;  /* hexe or tmux binary */
	const char *conf; /* tmux config */
	char server[64];  /* hexe instance or tmux socket name */
	int generation;   /* bumped by contender_fresh */
};

void contender_init(struct contender *ct, enum contender_kind kind,
		    const char *name, const char *exe, const char *conf);
/* A new, empty private instance/socket name for the next server. */
void contender_fresh(struct contender *ct, const char *tag);

/* A client in a new session named name (bare: a login shell). */
struct term *contender_new_session(struct contender *ct, int cols, int rows,
				   const char *name);
struct term *contender_attach(struct contender *ct, int cols, int rows,
			      const char *name);
/* A detached session of cols x rows; cmd (NULL: the shell). 0 or -1. */
int contender_new_detached(struct contender *ct, const char *name, int cols,
			   int rows, const char *cmd, char *err, size_t errsz);
/* Split the session's focused pane (side by side; focus to the new one). */
int contender_split(struct contender *ct, const char *target, bool vertical);
/* A new tab (tmux: window) in the session, focused. */
int contender_new_tab(struct contender *ct, const char *session);
/* Keys to one pane, as both `send` and `send-keys` take them. */
int contender_send(struct contender *ct, const char *target,
		   const char *const keys[]);
/* Pane targets of a session in creation order ("s:3", "%3"). */
int contender_panes(struct contender *ct, const char *session,
		    char targets[][32], int max);
/* The text of a pane's screen (and scrollback lines with history > 0). */
int contender_capture(struct contender *ct, const char *target,
		      char *out, size_t outsz);
/* Processes of the server side (hexe: ses and pods; tmux: the server). */
int contender_server_pids(struct contender *ct, pid_t *pids, int max);
/* CPU time used so far by the client and the server side, in ns (from
 * /proc/PID/schedstat; processes that ended are not counted, so take it
 * while they all live). 0 for bare. */
uint64_t contender_cpu_ns(struct contender *ct, pid_t client);
/* The same per process, for -v: pids[], ns[]; returns the count (the
 * client first). */
int contender_cpu_each(struct contender *ct, pid_t client, pid_t *pids,
		       uint64_t *ns, int max);
/* End the server and everything it runs; by pid if it lingers. */
void contender_stop(struct contender *ct);

/* Run argv with stdout (and stderr) into out (may be NULL), draining the
 * terminals meanwhile. Returns the wait status, or -1. */
int run_cmd(char *const argv[], char *out, size_t outsz, int timeout_ms);

#endif
