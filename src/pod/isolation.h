/*
 * isolation — the settings that decide what a pane's sandbox gets:
 * profile, limits, extra mounts and the failure policy; their parsing,
 * and their resolution from the three sources in one place:
 * environment > Lua config > built-in defaults.
 *
 * Every parser names the field it was given and the accepted forms in its
 * error, e.g. `HEXE_CGROUP_MEM_MAX: expected "<n>M" or "<n>G", got "lots"`.
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

/* Where a value came from, for `hexe config check` and the pod log. */
enum iso_source {
	ISO_SRC_DEFAULT = 0,
	ISO_SRC_LUA,
	ISO_SRC_ENV,
};

#define ISO_MOUNTS_MAX 32

struct iso_mount {
	char src[512];
	char dst[512];
	bool ro;
};

struct isolation {
	enum profile profile;
	uint64_t memory;     /* bytes, 0 = no limit */
	uint64_t cpu_quota;  /* µs per period, 0 = no limit */
	uint64_t cpu_period; /* µs */
	uint64_t pids;       /* 0 = no limit */
	bool strict;         /* refuse the pane when limits cannot apply */
	struct iso_mount mounts[ISO_MOUNTS_MAX];
	int nmounts;
	/* The text each value was written as ("1G", "50000 100000"), and
	 * where it came from. */
	char memory_text[32], cpu_text[48], pids_text[24];
	enum iso_source src_profile, src_memory, src_cpu, src_pids, src_strict;
};

const char *profile_name(enum profile p);
const char *iso_source_name(enum iso_source s);
/* 0 and *out, or -1 when name is not one of the five profiles. */
int profile_parse(const char *name, enum profile *out);
void isolation_defaults(struct isolation *iso);

/* `field` names what is parsed in the error ("ses.isolation.memory",
 * "HEXE_CGROUP_MEM_MAX"). Each returns 0, or -1 with err set. */
int isolation_parse_profile(const char *field, const char *s, enum profile *out,
			    char *err, size_t errsz);
/* "512M", "1G", "2048M": M = MiB, G = GiB (also K, T; a bare number is
 * bytes). */
int isolation_parse_memory(const char *field, const char *s, uint64_t *out,
			   char *err, size_t errsz);
/* "quota period" in µs, e.g. "50000 100000"; 1000 ≤ period ≤ 1000000. */
int isolation_parse_cpu(const char *field, const char *s, uint64_t *quota,
			uint64_t *period, char *err, size_t errsz);
/* A positive number, as a number or a numeric string. */
int isolation_parse_pids(const char *field, const char *s, uint64_t *out,
			 char *err, size_t errsz);
/* "/src:/dst" or "/path" (same inside); both absolute. */
int isolation_parse_mount(const char *field, const char *s, bool ro,
			  struct iso_mount *out, char *err, size_t errsz);
int isolation_parse_bool(const char *field, const char *s, bool *out,
			 char *err, size_t errsz);

/* Apply the environment's overrides (HEXE_VOIDBOX_PROFILE,
 * HEXE_CGROUP_MEM_MAX, HEXE_CGROUP_CPU_MAX, HEXE_CGROUP_PIDS_MAX,
 * HEXE_POD_STRICT) from envp (NULL-terminated "K=V" strings) on top of
 * iso, which holds the Lua/default values. -1 with err on a bad value: the
 * caller refuses the pane rather than silently ignoring the variable. */
int isolation_apply_env(struct isolation *iso, char *const *envp, char *err,
			size_t errsz);

/* Mounts are only possible with a mount namespace: -1 with err naming the
 * profile otherwise. */
int isolation_check(const struct isolation *iso, char *err, size_t errsz);

/* One line for logs and `pod list`: "profile=full memory=512M cpu=50000/100000 pids=50". */
void isolation_describe(const struct isolation *iso, char *out, size_t n);

/* As command-line arguments for `hexe pod` (--profile=... etc.), appended
 * to argv at *argc (room for ISO_ARGV_MAX entries, each malloc'ed), and
 * back. */
#define ISO_ARGV_MAX (8 + 2 * ISO_MOUNTS_MAX)
void isolation_to_argv(const struct isolation *iso, char **argv, int *argc);
/* Handles one `--name=value` option of isolation_to_argv's; 1 when it was
 * one, 0 when not, -1 with err when malformed. */
int isolation_from_arg(struct isolation *iso, const char *arg, char *err,
		       size_t errsz);

#endif
