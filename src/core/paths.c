/*
 * paths — where an instance keeps its sockets, logs and state.
 */
#include "core/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SUN_PATH_MAX 107 /* sizeof(sockaddr_un.sun_path) - 1 */

int
paths_valid_instance(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > INSTANCE_MAX || name[0] == '.')
		return 0;
	for (const char *s = name; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' ||
		      *s == '.'))
			return 0;
	}
	return 1;
}

static const char *
env_nonempty(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static int
fmt(char *out, size_t n, char *err, size_t errsz, const char *what,
    const char *f, const char *a, const char *b)
{
	int len = snprintf(out, n, f, a, b);

	if (len < 0 || (size_t)len >= n) {
		snprintf(err, errsz, "%s path is too long", what);
		return -1;
	}
	return 0;
}

int
paths_init(struct paths *p, const char *instance, char *err, size_t errsz)
{
	const char *v, *home = env_nonempty("HOME");
	char uid[32];

	memset(p, 0, sizeof *p);
	if (!instance)
		instance = env_nonempty("HEXE_INSTANCE");
	if (!instance)
		instance = "default";
	if (!paths_valid_instance(instance)) {
		snprintf(err, errsz,
			 "HEXE_INSTANCE: \"%.80s\" is not a valid instance name "
			 "(1-64 of letters, digits, '_', '-', '.')",
			 instance);
		return -1;
	}
	snprintf(p->instance, sizeof p->instance, "%s", instance);
	snprintf(uid, sizeof uid, "%u", (unsigned)getuid());
	if (!home)
		home = "/";

	if ((v = env_nonempty("HEXE_RUNTIME_DIR"))) {
		if (fmt(p->runtime, sizeof p->runtime, err, errsz, "runtime",
			"%s", v, NULL))
			return -1;
	} else if ((v = env_nonempty("XDG_RUNTIME_DIR"))) {
		if (fmt(p->runtime, sizeof p->runtime, err, errsz, "runtime",
			"%s/hexe/%s", v, instance))
			return -1;
	} else if (fmt(p->runtime, sizeof p->runtime, err, errsz, "runtime",
		       "/tmp/hexe-%s/%s", uid, instance)) {
		return -1;
	}
	snprintf(p->log, sizeof p->log, "%s/log", p->runtime);
	snprintf(p->ses_sock, sizeof p->ses_sock, "%s/ses.sock", p->runtime);
	snprintf(p->ses_lock, sizeof p->ses_lock, "%s/ses.lock", p->runtime);
	/* Room for "pod-65535.sock" must remain in a sockaddr_un. */
	if (strlen(p->runtime) + sizeof("/pod-65535.sock") > SUN_PATH_MAX) {
		snprintf(err, errsz,
			 "runtime dir %s is too long for a unix socket path "
			 "(set HEXE_RUNTIME_DIR to a shorter one)",
			 p->runtime);
		return -1;
	}

	if ((v = env_nonempty("XDG_STATE_HOME"))) {
		if (fmt(p->state, sizeof p->state, err, errsz, "state",
			"%s/hexe/%s", v, instance))
			return -1;
	} else if (fmt(p->state, sizeof p->state, err, errsz, "state",
		       "%s/.local/state/hexe/%s", home, instance)) {
		return -1;
	}

	if ((v = env_nonempty("HEXE_CONFIG"))) {
		if (fmt(p->config, sizeof p->config, err, errsz, "config",
			"%s", v, NULL))
			return -1;
	} else if ((v = env_nonempty("XDG_CONFIG_HOME"))) {
		if (fmt(p->config, sizeof p->config, err, errsz, "config",
			"%s/hexe/init.lua", v, NULL))
			return -1;
	} else if (fmt(p->config, sizeof p->config, err, errsz, "config",
		       "%s/.config/hexe/init.lua", home, NULL)) {
		return -1;
	}
	return 0;
}

int
paths_check_private_dir(const char *dir, int create, char *err, size_t errsz)
{
	struct stat st;

	if (lstat(dir, &st) < 0) {
		if (errno != ENOENT || !create) {
			snprintf(err, errsz, "%s: %s", dir, strerror(errno));
			return -1;
		}
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			snprintf(err, errsz, "cannot create %s: %s", dir,
				 strerror(errno));
			return -1;
		}
		if (lstat(dir, &st) < 0) {
			snprintf(err, errsz, "%s: %s", dir, strerror(errno));
			return -1;
		}
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errsz, "%s is not a directory", dir);
		return -1;
	}
	if (st.st_uid != getuid()) {
		snprintf(err, errsz,
			 "%s is owned by uid %u, not by you (uid %u): refusing "
			 "to use it",
			 dir, (unsigned)st.st_uid, (unsigned)getuid());
		return -1;
	}
	if (st.st_mode & 077) {
		/* Ours, but open to others: close it rather than refuse. */
		if (chmod(dir, 0700) < 0) {
			snprintf(err, errsz, "%s has mode %03o and chmod failed: %s",
				 dir, (unsigned)(st.st_mode & 0777),
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Create every missing parent of path with mode 0700. */
static int
mkdir_parents(const char *path, char *err, size_t errsz)
{
	char tmp[600];
	char *s;

	snprintf(tmp, sizeof tmp, "%s", path);
	for (s = tmp + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST) {
			snprintf(err, errsz, "cannot create %s: %s", tmp,
				 strerror(errno));
			return -1;
		}
		*s = '/';
	}
	return 0;
}

int
paths_ensure_runtime(const struct paths *p, char *err, size_t errsz)
{
	if (mkdir_parents(p->runtime, err, errsz) < 0)
		return -1;
	if (paths_check_private_dir(p->runtime, 1, err, errsz) < 0)
		return -1;
	return paths_check_private_dir(p->log, 1, err, errsz);
}

int
paths_ensure_state(const struct paths *p, char *err, size_t errsz)
{
	if (mkdir_parents(p->state, err, errsz) < 0)
		return -1;
	return paths_check_private_dir(p->state, 1, err, errsz);
}

int
paths_pod_sock(const struct paths *p, unsigned id, char *out, size_t n)
{
	int len = snprintf(out, n, "%s/pod-%u.sock", p->runtime, id);

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

int
paths_pod_log(const struct paths *p, unsigned id, char *out, size_t n)
{
	int len = snprintf(out, n, "%s/pod-%u.log", p->log, id);

	return len < 0 || (size_t)len >= n ? -1 : 0;
}
