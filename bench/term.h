/*
 * term — the user's terminal as the benchmark plays it: one PTY of a fixed
 * size with a contender's client on its slave side, and a screen that
 * parses everything the contender writes.
 *
 * The screen is libvterm's VTermState (parser, cursor, modes) over a
 * text-only grid whose rows are rotated on scroll, so the harness parses a
 * bare `seq 1 2000000` in a fraction of the time the contenders take
 * (libvterm's own VTermScreen moves its whole buffer on every scrolled
 * line and would make the harness the bottleneck). Terminal queries are
 * never answered: a contender must not wait on one.
 */
#ifndef BENCH_TERM_H
#define BENCH_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct term;

/* Start argv (argv0 overrides argv[0] as the program sees it) on a new
 * PTY of cols x rows; the environment is the harness's. */
struct term *term_spawn(int cols, int rows, char *const argv[],
			const char *argv0);
/* Close the master (the client gets SIGHUP), reap the client (SIGKILL
 * after grace_ms), free. */
void term_close(struct term *t, int grace_ms);

pid_t term_pid(const struct term *t);
int term_cols(const struct term *t);
int term_rows(const struct term *t);
bool term_exited(struct term *t);

/* Bytes to the contender, as typed. */
void term_send(struct term *t, const char *s, size_t n);
void term_sends(struct term *t, const char *s);

/* Read every open terminal for up to timeout_ms (returns early once
 * something was read); feeds the screens. */
void term_pump_all(int timeout_ms);
/* The same, also polling extra (their revents are filled in). */
struct pollfd;
void term_pump_all_fds(int timeout_ms, struct pollfd *extra, int nextra);

/* Screen checks. Needles are ASCII. */
bool term_has(struct term *t, const char *needle);
/* A row whose text, trailing blanks trimmed, ends with suffix. */
bool term_row_ends(struct term *t, const char *suffix);
/* The screen changed since the last term_take_dirty. */
bool term_take_dirty(struct term *t);
/* Print the screen (for a failure). */
void term_dump(struct term *t, FILE *f);
/* Total bytes read from the contender. */
uint64_t term_bytes(const struct term *t);

/* Wait, pumping every terminal, until pred(t, arg) holds or timeout_ms
 * passes; pred runs only when t's screen changed. True on success. */
bool term_wait(struct term *t, bool (*pred)(struct term *, const void *),
	       const void *arg, int timeout_ms);
bool term_wait_text(struct term *t, const char *needle, int timeout_ms);
bool term_wait_gone(struct term *t, const char *needle, int timeout_ms);

uint64_t now_ns(void);

/* Set from a signal handler: every wait gives up at once. */
extern volatile int term_interrupted;

#endif
