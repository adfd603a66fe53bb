/*
 * util — allocation that never returns NULL, and small helpers every
 * process uses. Out-of-memory is the one fatal error in hexe.
 */
#ifndef HEXE_UTIL_H
#define HEXE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Monotonic clock in milliseconds / nanoseconds. */
uint64_t now_ms(void);
uint64_t now_ns(void);

/* Set O_CLOEXEC / O_NONBLOCK on an fd; return 0 or -errno. */
int fd_cloexec(int fd);
int fd_nonblock(int fd, bool on);
/* A connected unix stream socket (close-on-exec; non-blocking when asked,
 * so that a listener with a full backlog gives EAGAIN instead of a wait):
 * the fd, or -errno. */
int unix_connect(const char *path, bool nonblock);

/* Write all of buf to fd, retrying on EINTR and waiting out EAGAIN on a
 * non-blocking fd; 0 or -errno. */
int write_all(int fd, const void *buf, size_t len);

/* Read a whole small file into a NUL-terminated buffer; NULL on error. */
char *read_file(const char *path, size_t *len);

/* Write "<pid>\n" to path (mode 0600), so tools and tests can find and
 * end exactly this process; 0 or -errno. */
int pidfile_write(const char *path);

/* Parse a non-negative decimal integer that must fill the whole string. */
bool parse_uint(const char *s, unsigned long long max, unsigned long long *out);

/* The value of NAME in an environment array ("NAME=value"), or NULL. */
const char *env_lookup(char *const *envp, const char *name);

#endif
