/*
 * pty — open a PTY pair and size it.
 */
#include "pod/pty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int
pty_resize(int master, int cols, int rows)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
			      .ws_col = (unsigned short)cols };

	return ioctl(master, TIOCSWINSZ, &ws) < 0 ? -errno : 0;
}

/* dir + "/" + n, without stdio (async-signal-safe). */
static int
slave_path(char *out, size_t n, const char *dir, unsigned num)
{
	char digits[12];
	size_t dl = strlen(dir), k = 0;

	do {
		digits[k++] = (char)('0' + num % 10);
		num /= 10;
	} while (num && k < sizeof digits);
	if (dl + 1 + k + 1 > n)
		return -ENAMETOOLONG;
	memcpy(out, dir, dl);
	out[dl++] = '/';
	while (k)
		out[dl++] = digits[--k];
	out[dl] = '\0';
	return 0;
}

int
pty_open_at(const char *ptmx, const char *dir, int cols, int rows,
	    int *master, int *slave, int *num)
{
	int m, s, unlock = 0, e;
	unsigned n;

	m = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (m < 0)
		return -errno;
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0 || ioctl(m, TIOCGPTN, &n) < 0)
		goto fail;
	/* The peer of this very master, not whatever a path names now. */
	s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0 && (errno == EINVAL || errno == ENOTTY)) {
		char path[128];

		if ((e = slave_path(path, sizeof path, dir, n)) < 0) {
			close(m);
			return e;
		}
		s = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	}
	if (s < 0)
		goto fail;
	if (pty_resize(m, cols, rows) < 0) {
		e = errno;
		close(s);
		close(m);
		return -e;
	}
	*master = m;
	*slave = s;
	*num = (int)n;
	return 0;
fail:
	e = errno;
	close(m);
	return -e;
}

int
pty_open(int *master, int *slave, int cols, int rows, char *name,
	 size_t namesz)
{
	int num, rc;

	rc = pty_open_at("/dev/ptmx", "/dev/pts", cols, rows, master, slave,
			 &num);
	if (rc == 0 && name)
		snprintf(name, namesz, "/dev/pts/%d", num);
	return rc;
}
