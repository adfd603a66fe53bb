/*
 * pty — open a PTY pair and size it.
 */
#include "pod/pty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int
pty_resize(int master, int cols, int rows)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
			      .ws_col = (unsigned short)cols };

	return ioctl(master, TIOCSWINSZ, &ws) < 0 ? -errno : 0;
}

int
pty_open(int *master, int *slave, int cols, int rows, char *name,
	 size_t namesz)
{
	int m, s, e;
	char path[64];

	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (m < 0)
		return -errno;
	if (grantpt(m) < 0 || unlockpt(m) < 0 ||
	    ptsname_r(m, path, sizeof path) != 0)
		goto fail;
	s = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
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
	if (name)
		snprintf(name, namesz, "%s", path);
	return 0;
fail:
	e = errno;
	close(m);
	return -e;
}
