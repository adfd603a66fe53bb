/*
 * tty — the user's terminal in raw mode.
 */
#include "mux/tty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/util.h"

int
tty_open(struct tty *t, char *err, size_t errsz)
{
	char name[256];

	t->in = STDIN_FILENO;
	t->out = -1;
	t->raw = false;
	if (!isatty(t->in) || ttyname_r(t->in, name, sizeof name) != 0) {
		snprintf(err, errsz, "standard input is not a terminal (use "
			 "`hexe mux new -d` to create a detached session)");
		return -1;
	}
	if (tcgetattr(t->in, &t->saved) < 0) {
		snprintf(err, errsz, "tcgetattr: %s", strerror(errno));
		return -1;
	}
	/* A fresh open gives us our own file description: O_NONBLOCK on it
	 * does not leak to the shell sharing fd 0/1. */
	t->out = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (t->out < 0) {
		snprintf(err, errsz, "cannot open %s: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}

int
tty_raw(struct tty *t)
{
	struct termios tio = t->saved;

	cfmakeraw(&tio);
	tio.c_cc[VMIN] = 1;
	tio.c_cc[VTIME] = 0;
	if (tcsetattr(t->in, TCSAFLUSH, &tio) < 0)
		return -errno;
	t->raw = true;
	return 0;
}

void
tty_close(struct tty *t)
{
	if (t->raw)
		tcsetattr(t->in, TCSAFLUSH, &t->saved);
	t->raw = false;
	if (t->out >= 0)
		close(t->out);
	t->out = -1;
}

void
tty_size(const struct tty *t, int *cols, int *rows)
{
	struct winsize ws;

	if (ioctl(t->in, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	} else {
		*cols = 80;
		*rows = 24;
	}
}
