/*
 * tty — the user's terminal: raw mode in and out, its size, and a private
 * non-blocking descriptor for output so that the shell we return to never
 * finds its terminal left non-blocking.
 */
#ifndef HEXE_TTY_H
#define HEXE_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

struct tty {
	int in;   /* the terminal, read side (fd 0) */
	int out;  /* our own open file description of the terminal */
	struct termios saved;
	bool raw;
};

/* 0, or -1 with a message in err (not a terminal, cannot open it). */
int tty_open(struct tty *t, char *err, size_t errsz);
int tty_raw(struct tty *t);
/* Restore the saved mode and close what tty_open opened. */
void tty_close(struct tty *t);
void tty_size(const struct tty *t, int *cols, int *rows);

#endif
