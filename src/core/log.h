/*
 * log — one log file per process, with a runtime level
 * ($HEXE_LOG_LEVEL: error, warn, info, debug; default info).
 *
 * The logger is a value carried in each process's context struct; nothing
 * is global. Lines are "2026-11-28T08:00:00.123 ses[123] info: text".
 */
#ifndef HEXE_LOG_H
#define HEXE_LOG_H

enum log_level { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

struct hlog {
	int fd; /* -1: discard */
	int level;
	char who[16];
};

/* Open (append, 0600) path for process `who`; on failure the logger
 * discards and -errno is returned. path NULL: log to stderr. */
int hlog_open(struct hlog *l, const char *path, const char *who);
void hlog_close(struct hlog *l);
void hlog_write(struct hlog *l, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(l, ...) hlog_write((l), LOG_ERROR, __VA_ARGS__)
#define log_warn(l, ...) hlog_write((l), LOG_WARN, __VA_ARGS__)
#define log_info(l, ...) hlog_write((l), LOG_INFO, __VA_ARGS__)
#define log_debug(l, ...) hlog_write((l), LOG_DEBUG, __VA_ARGS__)

#endif
