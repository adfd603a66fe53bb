/*
 * isolation — the settings that decide what a pane's sandbox gets:
 * profile, limits and the failure policy.
 */
#ifndef HEXE_ISOLATION_H
#define HEXE_ISOLATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum profile {
	PROFILE_NONE = 0,
	PROFILE_MINIMAL,
	PROFILE_DEFAULT,
	PROFILE_BALANCED,
	PROFILE_FULL,
};

struct isolation {
	enum profile profile;
	uint64_t memory;     /* bytes, 0 = unlimited */
	uint64_t cpu_quota;  /* µs, 0 = unlimited */
	uint64_t cpu_period; /* µs */
	uint64_t pids;       /* 0 = unlimited */
	bool strict;
};

const char *profile_name(enum profile p);
/* 0 and *out, or -1 when name is not one of the five profiles. */
int profile_parse(const char *name, enum profile *out);
void isolation_defaults(struct isolation *iso);

#endif
