/*
 * isolation — profile names, limit parsing, and the one place where the
 * environment, the Lua config and the defaults are resolved.
 */
#include "pod/isolation.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

static const char *const profile_names[] = {
	[PROFILE_NONE] = "none",
	[PROFILE_MINIMAL] = "minimal",
	[PROFILE_DEFAULT] = "default",
	[PROFILE_BALANCED] = "balanced",
	[PROFILE_FULL] = "full",
};

const char *
profile_name(enum profile p)
{
	if ((unsigned)p >= ARRAY_SIZE(profile_names))
		return "?";
	return profile_names[p];
}

const char *
iso_source_name(enum iso_source s)
{
	switch (s) {
	case ISO_SRC_LUA: return "lua";
	case ISO_SRC_ENV: return "env";
	default: return "default";
	}
}

int
profile_parse(const char *name, enum profile *out)
{
	for (unsigned i = 0; i < ARRAY_SIZE(profile_names); i++) {
		if (strcmp(name, profile_names[i]) == 0) {
			*out = (enum profile)i;
			return 0;
		}
	}
	return -1;
}

void
isolation_defaults(struct isolation *iso)
{
	memset(iso, 0, sizeof *iso);
	iso->profile = PROFILE_DEFAULT;
	iso->cpu_period = 100000;
}

int
isolation_parse_profile(const char *field, const char *s, enum profile *out,
			char *err, size_t errsz)
{
	if (profile_parse(s, out) == 0)
		return 0;
	snprintf(err, errsz,
		 "%s: unknown profile \"%s\" (expected \"none\", \"minimal\", "
		 "\"default\", \"balanced\" or \"full\")",
		 field, s);
	return -1;
}

#define ISO_MEMORY_MIN (1ull << 20)

int
isolation_parse_memory(const char *field, const char *s, uint64_t *out,
		       char *err, size_t errsz)
{
	char num[32];
	size_t n = strlen(s);
	unsigned long long v;
	uint64_t mult = 1;

	if (n == 0 || n >= sizeof num)
		goto bad;
	memcpy(num, s, n + 1);
	switch (toupper((unsigned char)num[n - 1])) {
	case 'K': mult = 1ull << 10; break;
	case 'M': mult = 1ull << 20; break;
	case 'G': mult = 1ull << 30; break;
	case 'T': mult = 1ull << 40; break;
	default: break;
	}
	if (mult != 1)
		num[--n] = '\0';
	if (!parse_uint(num, UINT64_MAX / mult, &v) || v == 0)
		goto bad;
	/* "1" is a slip for "1G", not a pane that dies before its prompt */
	if (v * mult < ISO_MEMORY_MIN) {
		if (mult == 1)
			snprintf(err, errsz,
				 "%s: \"%s\" is less than the 1M a pane needs "
				 "to start (a bare number is bytes; did you "
				 "mean \"%sM\" or \"%sG\"?)",
				 field, s, s, s);
		else
			snprintf(err, errsz,
				 "%s: \"%s\" is less than the 1M a pane needs "
				 "to start",
				 field, s);
		return -1;
	}
	*out = v * mult;
	return 0;
bad:
	snprintf(err, errsz,
		 "%s: expected a size like \"512M\" or \"1G\" (M = MiB, G = GiB), "
		 "got \"%s\"",
		 field, s);
	return -1;
}

int
isolation_parse_cpu(const char *field, const char *s, uint64_t *quota,
		    uint64_t *period, char *err, size_t errsz)
{
	char a[32], b[32], extra;
	unsigned long long q, p;

	if (sscanf(s, " %31s %31s %c", a, b, &extra) != 2 ||
	    !parse_uint(a, 1ull << 40, &q) || !parse_uint(b, 1000000, &p) ||
	    q < 1000 || p < 1000) {
		snprintf(err, errsz,
			 "%s: expected \"quota period\" in microseconds, e.g. "
			 "\"50000 100000\" for half a core (quota >= 1000, "
			 "1000 <= period <= 1000000), got \"%s\"",
			 field, s);
		return -1;
	}
	*quota = q;
	*period = p;
	return 0;
}

int
isolation_parse_pids(const char *field, const char *s, uint64_t *out,
		     char *err, size_t errsz)
{
	unsigned long long v;

	if (!parse_uint(s, 4194304, &v) || v == 0) {
		snprintf(err, errsz,
			 "%s: expected a positive number of processes (a number "
			 "or a numeric string such as \"500\"), got \"%s\"",
			 field, s);
		return -1;
	}
	*out = v;
	return 0;
}

int
isolation_parse_bool(const char *field, const char *s, bool *out, char *err,
		     size_t errsz)
{
	if (!strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "yes")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "0") || !strcmp(s, "false") || !strcmp(s, "no") || !*s) {
		*out = false;
		return 0;
	}
	snprintf(err, errsz, "%s: expected 1 or 0 (true/false), got \"%s\"",
		 field, s);
	return -1;
}

int
isolation_parse_mount(const char *field, const char *s, bool ro,
		      struct iso_mount *out, char *err, size_t errsz)
{
	const char *colon = strchr(s, ':');
	size_t sl = colon ? (size_t)(colon - s) : strlen(s);
	const char *dst = colon ? colon + 1 : s;

	memset(out, 0, sizeof *out);
	if (sl == 0 || s[0] != '/' || dst[0] != '/' || sl >= sizeof out->src ||
	    strlen(dst) >= sizeof out->dst || strchr(dst, ':')) {
		snprintf(err, errsz,
			 "%s: expected \"/host/path:/pod/path\" or \"/path\" with "
			 "absolute paths, got \"%s\"",
			 field, s);
		return -1;
	}
	memcpy(out->src, s, sl);
	out->src[sl] = '\0';
	snprintf(out->dst, sizeof out->dst, "%s", dst);
	out->ro = ro;
	return 0;
}

int
isolation_apply_env(struct isolation *iso, char *const *envp, char *err,
		    size_t errsz)
{
	const char *v;

	if ((v = env_lookup(envp, "HEXE_VOIDBOX_PROFILE")) && *v) {
		if (isolation_parse_profile("HEXE_VOIDBOX_PROFILE", v,
					    &iso->profile, err, errsz) < 0)
			return -1;
		iso->src_profile = ISO_SRC_ENV;
	}
	if ((v = env_lookup(envp, "HEXE_CGROUP_MEM_MAX")) && *v) {
		if (isolation_parse_memory("HEXE_CGROUP_MEM_MAX", v, &iso->memory,
					   err, errsz) < 0)
			return -1;
		snprintf(iso->memory_text, sizeof iso->memory_text, "%s", v);
		iso->src_memory = ISO_SRC_ENV;
	}
	if ((v = env_lookup(envp, "HEXE_CGROUP_CPU_MAX")) && *v) {
		if (isolation_parse_cpu("HEXE_CGROUP_CPU_MAX", v, &iso->cpu_quota,
					&iso->cpu_period, err, errsz) < 0)
			return -1;
		snprintf(iso->cpu_text, sizeof iso->cpu_text, "%s", v);
		iso->src_cpu = ISO_SRC_ENV;
	}
	if ((v = env_lookup(envp, "HEXE_CGROUP_PIDS_MAX")) && *v) {
		if (isolation_parse_pids("HEXE_CGROUP_PIDS_MAX", v, &iso->pids,
					 err, errsz) < 0)
			return -1;
		snprintf(iso->pids_text, sizeof iso->pids_text, "%s", v);
		iso->src_pids = ISO_SRC_ENV;
	}
	if ((v = env_lookup(envp, "HEXE_POD_STRICT"))) {
		if (isolation_parse_bool("HEXE_POD_STRICT", v, &iso->strict, err,
					 errsz) < 0)
			return -1;
		iso->src_strict = ISO_SRC_ENV;
	}
	return 0;
}

int
isolation_check(const struct isolation *iso, char *err, size_t errsz)
{
	if (iso->nmounts > 0 && iso->profile != PROFILE_BALANCED &&
	    iso->profile != PROFILE_FULL) {
		snprintf(err, errsz,
			 "bind/ro_bind need a mount namespace: profile \"%s\" has "
			 "none (use \"balanced\" or \"full\")",
			 profile_name(iso->profile));
		return -1;
	}
	return 0;
}

static void
fmt_size(uint64_t v, char *out, size_t n)
{
	if (v % (1ull << 30) == 0)
		snprintf(out, n, "%lluG", (unsigned long long)(v >> 30));
	else if (v % (1ull << 20) == 0)
		snprintf(out, n, "%lluM", (unsigned long long)(v >> 20));
	else
		snprintf(out, n, "%llu", (unsigned long long)v);
}

void
isolation_describe(const struct isolation *iso, char *out, size_t n)
{
	char mem[32] = "-", cpu[48] = "-", pids[24] = "-";

	if (iso->memory)
		fmt_size(iso->memory, mem, sizeof mem);
	if (iso->cpu_quota)
		snprintf(cpu, sizeof cpu, "%llu/%llu",
			 (unsigned long long)iso->cpu_quota,
			 (unsigned long long)iso->cpu_period);
	if (iso->pids)
		snprintf(pids, sizeof pids, "%llu", (unsigned long long)iso->pids);
	snprintf(out, n, "profile=%s memory=%s cpu=%s pids=%s%s",
		 profile_name(iso->profile), mem, cpu, pids,
		 iso->strict ? " strict" : "");
}

void
isolation_to_argv(const struct isolation *iso, char **argv, int *argc)
{
	argv[(*argc)++] = xasprintf("--profile=%s", profile_name(iso->profile));
	if (iso->memory)
		argv[(*argc)++] = xasprintf("--memory=%llu",
					    (unsigned long long)iso->memory);
	if (iso->cpu_quota)
		argv[(*argc)++] = xasprintf("--cpu=%llu %llu",
					    (unsigned long long)iso->cpu_quota,
					    (unsigned long long)iso->cpu_period);
	if (iso->pids)
		argv[(*argc)++] = xasprintf("--pids=%llu",
					    (unsigned long long)iso->pids);
	if (iso->strict)
		argv[(*argc)++] = xstrdup("--strict=1");
	for (int i = 0; i < iso->nmounts; i++)
		argv[(*argc)++] = xasprintf("--%s=%s:%s",
					    iso->mounts[i].ro ? "ro-bind" : "bind",
					    iso->mounts[i].src, iso->mounts[i].dst);
}

int
isolation_from_arg(struct isolation *iso, const char *arg, char *err,
		   size_t errsz)
{
	const char *v;

	if (strncmp(arg, "--", 2) != 0 || !(v = strchr(arg, '=')))
		return 0;
	v++;
#define IS(opt) (strncmp(arg, "--" opt "=", sizeof("--" opt "=") - 1) == 0)
	if (IS("profile"))
		return isolation_parse_profile("--profile", v, &iso->profile, err,
					       errsz) < 0 ? -1 : 1;
	if (IS("memory"))
		return isolation_parse_memory("--memory", v, &iso->memory, err,
					      errsz) < 0 ? -1 : 1;
	if (IS("cpu"))
		return isolation_parse_cpu("--cpu", v, &iso->cpu_quota,
					   &iso->cpu_period, err, errsz) < 0 ? -1 : 1;
	if (IS("pids"))
		return isolation_parse_pids("--pids", v, &iso->pids, err, errsz) < 0
			       ? -1 : 1;
	if (IS("strict"))
		return isolation_parse_bool("--strict", v, &iso->strict, err,
					    errsz) < 0 ? -1 : 1;
	if (IS("bind") || IS("ro-bind")) {
		if (iso->nmounts >= ISO_MOUNTS_MAX) {
			snprintf(err, errsz, "more than %d bind mounts",
				 ISO_MOUNTS_MAX);
			return -1;
		}
		return isolation_parse_mount(IS("bind") ? "--bind" : "--ro-bind",
					     v, !IS("bind"),
					     &iso->mounts[iso->nmounts++], err,
					     errsz) < 0 ? -1 : 1;
	}
#undef IS
	return 0;
}
