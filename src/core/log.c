/*
 * log — one log file per process, with a runtime level.
 */
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *const level_names[] = { "error", "warn", "info", "debug" };

static int
level_from_env(void)
{
	const char *v = getenv("HEXE_LOG_LEVEL");

	for (int i = 0; v && i < 4; i++) {
		if (strcmp(v, level_names[i]) == 0)
			return i;
	}
	return LOG_INFO;
}

int
hlog_open(struct hlog *l, const char *path, const char *who)
{
	snprintf(l->who, sizeof l->who, "%s", who);
	l->level = level_from_env();
	if (!path) {
		l->fd = dup(STDERR_FILENO);
		return l->fd < 0 ? -errno : 0;
	}
	l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	return l->fd < 0 ? -errno : 0;
}

void
hlog_close(struct hlog *l)
{
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

void
hlog_write(struct hlog *l, int level, const char *fmt, ...)
{
	char line[2048];
	struct timeval tv;
	struct tm tm;
	va_list ap;
	int n, m;

	if (!l || l->fd < 0 || level > l->level)
		return;
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = snprintf(line, sizeof line,
		     "%04d-%02d-%02dT%02d:%02d:%02d.%03ld %s[%ld] %s: ",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, (long)(tv.tv_usec / 1000), l->who,
		     (long)getpid(), level_names[level]);
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	/* One write per line with O_APPEND keeps lines whole between writers. */
	(void)!write(l->fd, line, (size_t)n);
}
