/*
 * cgroup — probing what this machine and user offer, and the pane's
 * cgroup life cycle, dispatched to the v1, v2 and none backends
 * (cgroup_v1.c, cgroup_v2.c, the none backend here).
 *
 * Runs in the pod (create, attach, kill, destroy: as the pod's user, before
 * and after the pane's clone), in ses (enter_leaf at start, sweep) and in
 * `hexe pod check` (probe, and a trial create). Nothing here is global: the probe's result is a value the
 * caller keeps.
 */
#include "pod/cgroup_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif

static const char *const ctrl_names[CG_NCTRL] = { "memory", "cpu", "pids" };

const char *
cgroup_mode_name(enum cgroup_mode m)
{
	switch (m) {
	case CGROUP_MODE_V1:
		return "v1";
	case CGROUP_MODE_V2:
		return "v2";
	case CGROUP_MODE_HYBRID:
		return "hybrid";
	case CGROUP_MODE_NONE:
		break;
	}
	return "none";
}

const char *
cgroup_ctrl_name(enum cgroup_ctrl c)
{
	return (unsigned)c < CG_NCTRL ? ctrl_names[c] : "?";
}

bool
cgroup_limits_any(const struct cgroup_limits *lim)
{
	return lim && (lim->memory || lim->cpu_quota || lim->pids);
}

bool
cgroup__asked(const struct cgroup_limits *lim, enum cgroup_ctrl c)
{
	switch (c) {
	case CG_MEMORY:
		return lim->memory != 0;
	case CG_CPU:
		return lim->cpu_quota != 0;
	case CG_PIDS:
		return lim->pids != 0;
	case CG_NCTRL:
		break;
	}
	return false;
}

/* ---- file helpers (cgroup_int.h) ---- */

void
cgroup__warn(struct cg_warn *w, const char *fmt, ...)
{
	size_t len;
	va_list ap;

	if (!w || !w->buf || w->size == 0)
		return;
	len = strlen(w->buf);
	if (len > 0 && len + 2 < w->size) {
		memcpy(w->buf + len, "; ", 3);
		len += 2;
	}
	if (len + 1 >= w->size)
		return;
	va_start(ap, fmt);
	vsnprintf(w->buf + len, w->size - len, fmt, ap);
	va_end(ap);
}

static void
join(char *out, size_t n, const char *dir, const char *file)
{
	if (file && *file)
		snprintf(out, n, "%s/%s", dir, file);
	else
		snprintf(out, n, "%s", dir);
}

int
cgroup__write(const char *dir, const char *file, const char *s)
{
	char path[CG_PATH_MAX + 64];
	int fd, rc;

	join(path, sizeof path, dir, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, s, strlen(s));
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	return rc;
}

int
cgroup__read(const char *dir, const char *file, char *buf, size_t n)
{
	char path[CG_PATH_MAX + 64];
	size_t len = 0;
	int fd;

	join(path, sizeof path, dir, file);
	if (n == 0)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len + 1 < n) {
		ssize_t r = read(fd, buf + len, n - 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	close(fd);
	return 0;
}

int
cgroup__read_key(const char *dir, const char *file, const char *key,
		 uint64_t *out)
{
	char buf[4096], *line, *save = NULL;
	size_t klen = strlen(key);
	int rc = cgroup__read(dir, file, buf, sizeof buf);

	if (rc < 0)
		return rc;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long v;

		if (strncmp(line, key, klen) != 0 || line[klen] != ' ')
			continue;
		if (!parse_uint(line + klen + 1, UINT64_MAX, &v))
			return -EINVAL;
		*out = v;
		return 0;
	}
	return -ENOENT;
}

int
cgroup__read_u64(const char *dir, const char *file, uint64_t *out)
{
	char buf[64];
	unsigned long long v;
	int rc = cgroup__read(dir, file, buf, sizeof buf);

	if (rc < 0)
		return rc;
	buf[strcspn(buf, "\n")] = '\0';
	if (strcmp(buf, "max") == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	if (!parse_uint(buf, UINT64_MAX, &v))
		return -EINVAL;
	*out = v;
	return 0;
}

int
cgroup__mkdir(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	return -errno;
}

void
cgroup__parent_path(char *out, size_t n, const char *base,
		    const char *instance)
{
	snprintf(out, n, "%s/hexe-%s", base, instance);
}

void
cgroup__pane_path(char *out, size_t n, const char *base, const char *instance,
		  unsigned pane)
{
	snprintf(out, n, "%s/hexe-%s/pane-%u", base, instance, pane);
}

int
cgroup__make_pane_dir(const char *base, const char *instance, unsigned pane,
		      char *out, size_t n, char *failed, size_t failedsz)
{
	char parent[CG_PATH_MAX];
	int rc = 0;

	cgroup__parent_path(parent, sizeof parent, base, instance);
	cgroup__pane_path(out, n, base, instance, pane);
	/* Another pod of this instance may remove the (then empty) parent
	 * between our two mkdirs: make it again. */
	for (int tries = 0; tries < 5; tries++) {
		rc = cgroup__mkdir(parent);
		if (rc < 0) {
			snprintf(failed, failedsz, "%s", parent);
			return rc;
		}
		rc = mkdir(out, 0755) == 0 ? 0 : -errno;
		if (rc == -EEXIST) {
			/* A pane of this id died without its cgroup being
			 * swept yet: what is left in it is not this pane's,
			 * and must neither count against its limits nor
			 * die with it later. */
			cgroup__kill_procs(out, 500);
			rc = 0;
		}
		if (rc != -ENOENT)
			break;
	}
	if (rc < 0)
		snprintf(failed, failedsz, "%s", out);
	return rc;
}

/* Pids listed in dir/cgroup.procs into *pids (malloc'ed); count or -errno. */
static int
read_procs(const char *dir, pid_t **pids)
{
	char path[CG_PATH_MAX + 32], *text, *s, *end;
	size_t len;
	int n = 0, cap = 16;

	*pids = NULL;
	join(path, sizeof path, dir, "cgroup.procs");
	text = read_file(path, &len);
	if (!text)
		return -errno;
	*pids = xmalloc(sizeof **pids * (size_t)cap);
	for (s = text; *s; s = end) {
		long v = strtol(s, &end, 10);

		if (end == s) {
			end = s + 1;
			continue;
		}
		if (v <= 0)
			continue;
		if (n == cap)
			*pids = xrealloc(*pids, sizeof **pids * (size_t)(cap *= 2));
		(*pids)[n++] = (pid_t)v;
	}
	free(text);
	return n;
}

int
cgroup__count_procs(const char *dir)
{
	pid_t *pids;
	int n = read_procs(dir, &pids);

	free(pids);
	return n;
}

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static bool
listed(const pid_t *pids, int n, pid_t pid)
{
	for (int i = 0; i < n; i++) {
		if (pids[i] == pid)
			return true;
	}
	return false;
}

int
cgroup__kill_procs(const char *dir, unsigned timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;

	for (;;) {
		pid_t *first, *again;
		int n, m, *fds;

		n = read_procs(dir, &first);
		if (n <= 0) {
			free(first);
			return n;
		}
		if (now_ms() >= end) {
			free(first);
			return -ETIMEDOUT;
		}
		/* Pin each process, then signal it only if it is still
		 * listed: a pid that was recycled after the first read is
		 * not in our cgroup, and its pidfd (if any) points at a
		 * process that is gone. */
		fds = xmalloc(sizeof *fds * (size_t)n);
		for (int i = 0; i < n; i++) {
			fds[i] = (int)syscall(SYS_pidfd_open, first[i], 0);
			if (fds[i] < 0)
				fds[i] = -errno;
		}
		m = read_procs(dir, &again);
		for (int i = 0; i < n; i++) {
			if (m > 0 && listed(again, m, first[i])) {
				if (fds[i] >= 0)
					syscall(SYS_pidfd_send_signal, fds[i],
						SIGKILL, NULL, 0);
				else if (fds[i] == -ENOSYS)
					kill(first[i], SIGKILL); /* kernel < 5.3 */
			}
			if (fds[i] >= 0)
				close(fds[i]);
		}
		free(fds);
		free(first);
		free(again);
		sleep_ms(5);
	}
}

int
cgroup__kill_v2(const char *dir, unsigned timeout_ms)
{
	int rc = cgroup__write(dir, "cgroup.kill", "1");
	uint64_t end;

	if (rc == -ENOENT)
		return cgroup__kill_procs(dir, timeout_ms);
	if (rc < 0)
		return rc;
	/* cgroup.kill is asynchronous for processes that are just forking;
	 * wait until the list is empty. */
	end = now_ms() + timeout_ms;
	for (;;) {
		int n = cgroup__count_procs(dir);

		if (n <= 0)
			return n;
		if (now_ms() >= end)
			return cgroup__kill_procs(dir, 100);
		sleep_ms(2);
	}
}

/* ---- probe ---- */

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void
unescape(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

/* Is word one of the sep-separated items of list? */
static bool
has_item(const char *list, const char *word, char sep)
{
	size_t wl = strlen(word);

	for (const char *p = list; p && *p;) {
		const char *e = strchr(p, sep);
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == wl && strncmp(p, word, wl) == 0)
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

static bool
has_word(const char *list, const char *word)
{
	char buf[1024];

	snprintf(buf, sizeof buf, "%s", list);
	for (char *p = buf; *p; p++) {
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	}
	return has_item(buf, word, ' ');
}

static bool
under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return path[0] == '/';
	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* Per hierarchy: where it is mounted and which part of it. */
struct mnt {
	char point[256];
	char root[256];
	bool found;
	bool preferred; /* under the probe's root */
};

struct probe {
	struct cgroup_sys *sys;
	const struct cgroup_probe_src *src;
	struct mnt v2;
	struct mnt v1[CG_NCTRL];
	char self_v2[512];           /* "0::" path, "" if none */
	char self_v1[CG_NCTRL][512]; /* per controller, "" if none */
	bool have_self_v2;
};

static void
take_mount(struct mnt *m, const char *point, const char *root,
	   const char *probe_root)
{
	bool pref = under(point, probe_root);

	if (m->found && (m->preferred || !pref))
		return;
	snprintf(m->point, sizeof m->point, "%s", point);
	snprintf(m->root, sizeof m->root, "%s", root);
	m->found = true;
	m->preferred = pref;
}

static long
fs_magic(const char *path)
{
	struct statfs sf;

	if (statfs(path, &sf) < 0)
		return -1;
	return (long)sf.f_type;
}

static void
parse_mountinfo(struct probe *p, char *text)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[12], *sep, *s, *tok, *save2 = NULL;
		char *fstype, *opts;
		int n = 0;

		sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		for (tok = strtok_r(line, " ", &save2); tok && n < 12;
		     tok = strtok_r(NULL, " ", &save2))
			f[n++] = tok;
		if (n < 5)
			continue;
		s = sep + 3;
		save2 = NULL;
		fstype = strtok_r(s, " ", &save2);
		(void)strtok_r(NULL, " ", &save2); /* source */
		opts = strtok_r(NULL, " ", &save2);
		if (!fstype)
			continue;
		unescape(f[3]);
		unescape(f[4]);
		if (strcmp(fstype, "cgroup2") == 0) {
			if (!p->src->no_statfs &&
			    fs_magic(f[4]) != CGROUP2_SUPER_MAGIC)
				continue;
			take_mount(&p->v2, f[4], f[3], p->sys->root);
		} else if (strcmp(fstype, "cgroup") == 0 && opts) {
			if (!p->src->no_statfs &&
			    fs_magic(f[4]) != CGROUP_SUPER_MAGIC)
				continue;
			for (int c = 0; c < CG_NCTRL; c++) {
				if (has_item(opts, ctrl_names[c], ','))
					take_mount(&p->v1[c], f[4], f[3],
						   p->sys->root);
			}
		}
		if (p->src->no_statfs && strcmp(f[4], p->sys->root) == 0)
			snprintf(p->sys->root_fs, sizeof p->sys->root_fs, "%s",
				 fstype);
	}
}

static void
parse_self(struct probe *p, char *text)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2, *ctrls, *path;

		if (!c1 || !(c2 = strchr(c1 + 1, ':')))
			continue;
		*c1 = *c2 = '\0';
		ctrls = c1 + 1;
		path = c2 + 1;
		if (strcmp(line, "0") == 0 && *ctrls == '\0') {
			snprintf(p->self_v2, sizeof p->self_v2, "%s", path);
			p->have_self_v2 = true;
			continue;
		}
		for (int c = 0; c < CG_NCTRL; c++) {
			if (has_item(ctrls, ctrl_names[c], ','))
				snprintf(p->self_v1[c], sizeof p->self_v1[c],
					 "%s", path);
		}
	}
}

/* The directory of our own cgroup `self` in hierarchy m. 0, or -1 with
 * why when our cgroup is not visible under the mount. */
static int
own_dir(const struct mnt *m, const char *self, char *out, size_t n, char *why,
	size_t whysz)
{
	const char *rel;

	if (!*self) {
		snprintf(why, whysz, "%s: this process's cgroup is not listed "
			 "in /proc/self/cgroup", m->point);
		return -1;
	}
	if (!under(self, m->root)) {
		snprintf(why, whysz, "%s: this process's cgroup %s is outside "
			 "the mounted part (%s) of the hierarchy", m->point,
			 self, m->root);
		return -1;
	}
	rel = strcmp(m->root, "/") == 0 ? self : self + strlen(m->root);
	if (strcmp(rel, "/") == 0 || *rel == '\0')
		rel = "";
	snprintf(out, n, "%s%s", m->point, rel);
	return 0;
}

/* Can we make directories in dir and move processes into them? The
 * kernel's delegation rule: write access to the directory and to the
 * cgroup.procs of the common ancestor, which is dir itself. */
static int
check_writable(const char *dir, char *why, size_t whysz)
{
	char procs[CG_PATH_MAX];
	struct stat st;

	if (stat(dir, &st) < 0) {
		int e = errno;

		snprintf(why, whysz, "%s: %s", dir, strerror(e));
		return -e;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, whysz, "%s: %s", dir, strerror(ENOTDIR));
		return -ENOTDIR;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		int e = errno;

		snprintf(why, whysz, "%s: %s", dir, strerror(e));
		return -e;
	}
	join(procs, sizeof procs, dir, "cgroup.procs");
	if (access(procs, W_OK) < 0) {
		int e = errno;

		snprintf(why, whysz, "%s: %s", procs, strerror(e));
		return -e;
	}
	return 0;
}

/* ".../hexe-<instance>/ses" (where cgroup_enter_leaf put ses and so its
 * pods) becomes "...": the base pane directories go under. */
static void
strip_ses_leaf(char *dir)
{
	char *last = strrchr(dir, '/'), *prev;

	if (!last || strcmp(last, "/ses") != 0 || last == dir)
		return;
	*last = '\0';
	prev = strrchr(dir, '/');
	if (prev && strncmp(prev, "/hexe-", 6) == 0 &&
	    paths_valid_instance(prev + 6)) {
		*prev = '\0';
		return;
	}
	*last = '/';
}

static void
probe_v2(struct probe *p)
{
	struct cgroup_sys *sys = p->sys;
	char base[512], avail[512] = "", enabled[512] = "";
	bool is_root;
	int rc;

	snprintf(sys->v2_mount, sizeof sys->v2_mount, "%s", p->v2.point);
	if (own_dir(&p->v2, p->have_self_v2 ? p->self_v2 : "", base,
		    sizeof base, sys->v2_why, sizeof sys->v2_why) < 0) {
		sys->v2_errno = ENOENT;
		return;
	}
	snprintf(sys->v2_own, sizeof sys->v2_own, "%s", base);
	strip_ses_leaf(base);
	rc = check_writable(base, sys->v2_why, sizeof sys->v2_why);
	if (rc < 0) {
		sys->v2_errno = -rc;
		return;
	}
	snprintf(sys->v2_base, sizeof sys->v2_base, "%s", base);
	sys->v2_usable = true;
	is_root = strcmp(base, p->v2.point) == 0 && strcmp(p->v2.root, "/") == 0;
	cgroup__read(base, "cgroup.controllers", avail, sizeof avail);
	cgroup__read(base, "cgroup.subtree_control", enabled, sizeof enabled);
	for (int c = 0; c < CG_NCTRL; c++) {
		/* The hexe-<instance> directory gets what base passes down.
		 * Only the root cgroup may pass controllers down while it
		 * has processes in it; another base must have them enabled
		 * already (cgroup_enter_leaf moves hexe's own out of it). */
		if (has_word(enabled, ctrl_names[c]) ||
		    (is_root && has_word(avail, ctrl_names[c]))) {
			sys->v2_ctrl[c] = true;
		} else if (has_word(avail, ctrl_names[c])) {
			snprintf(sys->why[c], sizeof sys->why[c],
				 "%s/cgroup.subtree_control: %s not enabled, "
				 "and a cgroup with processes cannot enable it "
				 "(%s)", base, ctrl_names[c], strerror(EBUSY));
			sys->why_errno[c] = EBUSY;
		} else {
			snprintf(sys->why[c], sizeof sys->why[c],
				 "%s/cgroup.controllers: %s not available (%s)",
				 base, ctrl_names[c], strerror(ENOENT));
			sys->why_errno[c] = ENOENT;
		}
	}
}

static void
probe_root_fs(struct cgroup_sys *sys)
{
	long magic = fs_magic(sys->root);
	const char *name = "other";

	if (magic == -1)
		name = errno == ENOENT ? "missing" : "other";
	else if (magic == CGROUP2_SUPER_MAGIC)
		name = "cgroup2";
	else if (magic == CGROUP_SUPER_MAGIC)
		name = "cgroup";
	else if (magic == TMPFS_MAGIC)
		name = "tmpfs";
	snprintf(sys->root_fs, sizeof sys->root_fs, "%s", name);
}

int
cgroup_probe_from(struct cgroup_sys *sys, const struct cgroup_probe_src *src,
		  char *err, size_t errsz)
{
	struct probe p;
	char *mi, *self;
	size_t len;
	bool any_v1 = false;

	memset(sys, 0, sizeof *sys);
	memset(&p, 0, sizeof p);
	p.sys = sys;
	p.src = src;
	snprintf(sys->root, sizeof sys->root, "%s",
		 src->root ? src->root : "/sys/fs/cgroup");
	mi = src->mountinfo ? xstrdup(src->mountinfo)
			    : read_file("/proc/self/mountinfo", &len);
	if (!mi) {
		snprintf(err, errsz, "/proc/self/mountinfo: %s", strerror(errno));
		return -1;
	}
	self = src->self_cgroup ? xstrdup(src->self_cgroup)
				: read_file("/proc/self/cgroup", &len);
	if (!self) {
		snprintf(err, errsz, "/proc/self/cgroup: %s", strerror(errno));
		free(mi);
		return -1;
	}
	if (src->no_statfs)
		snprintf(sys->root_fs, sizeof sys->root_fs, "missing");
	else
		probe_root_fs(sys);
	parse_mountinfo(&p, mi);
	parse_self(&p, self);
	free(mi);
	free(self);

	for (int c = 0; c < CG_NCTRL; c++) {
		if (p.v1[c].found) {
			any_v1 = true;
			snprintf(sys->v1_mount[c], sizeof sys->v1_mount[c], "%s",
				 p.v1[c].point);
		}
	}
	if (any_v1 && p.v2.found)
		sys->mode = CGROUP_MODE_HYBRID;
	else if (any_v1)
		sys->mode = CGROUP_MODE_V1;
	else if (p.v2.found)
		sys->mode = CGROUP_MODE_V2;
	else
		sys->mode = CGROUP_MODE_NONE;

	if (p.v2.found)
		probe_v2(&p);
	for (int c = 0; c < CG_NCTRL; c++) {
		char base[512], why[256];
		int rc;

		sys->where[c] = CGROUP_MODE_NONE;
		if (p.v1[c].found) {
			/* Bound to v1: not available in v2 whatever it says. */
			sys->v2_ctrl[c] = false;
			rc = own_dir(&p.v1[c], p.self_v1[c], base, sizeof base,
				     why, sizeof why) < 0
				     ? -ENOENT
				     : check_writable(base, why, sizeof why);
			if (rc == 0) {
				snprintf(sys->v1_base[c], sizeof sys->v1_base[c],
					 "%s", base);
				sys->usable[c] = true;
				sys->where[c] = CGROUP_MODE_V1;
				sys->why[c][0] = '\0';
				sys->why_errno[c] = 0;
			} else {
				snprintf(sys->why[c], sizeof sys->why[c], "%s",
					 why);
				sys->why_errno[c] = -rc;
			}
		} else if (sys->v2_ctrl[c]) {
			sys->usable[c] = true;
			sys->where[c] = CGROUP_MODE_V2;
			sys->why[c][0] = '\0';
			sys->why_errno[c] = 0;
		} else if (!p.v2.found) {
			snprintf(sys->why[c], sizeof sys->why[c],
				 "no %s hierarchy: neither a cgroup v1 mount "
				 "with it nor a cgroup2 mount (%s)",
				 ctrl_names[c], strerror(ENOENT));
			sys->why_errno[c] = ENOENT;
		} else if (!sys->v2_usable) {
			snprintf(sys->why[c], sizeof sys->why[c], "%s",
				 sys->v2_why);
			sys->why_errno[c] = sys->v2_errno;
		}
		/* else: probe_v2 said why */
	}
	return 0;
}

int
cgroup_probe(struct cgroup_sys *sys, const char *root, const char *self_cgroup,
	     char *err, size_t errsz)
{
	struct cgroup_probe_src src = {
		.root = root,
		.self_cgroup = self_cgroup,
	};

	return cgroup_probe_from(sys, &src, err, errsz);
}

/* ---- the none backend ---- */

static int
none_create(struct cgroup *cg, const struct cgroup_sys *sys,
	    const struct cgroup_limits *lim, struct cg_warn *w)
{
	(void)cg;
	/* cgroup_create has warned about each limit asked for. */
	if (!cgroup_limits_any(lim))
		cgroup__warn(w, "cgroup not created: no cgroup file system "
			     "under %s (%s)", sys->root, strerror(ENOENT));
	return -ENOENT;
}

static int
none_attach(struct cgroup *cg, pid_t pid)
{
	(void)cg;
	(void)pid;
	return 0;
}

/* kill and remove: nothing was made. */
static int
none_nothing(struct cgroup *cg)
{
	(void)cg;
	return 0;
}

static int
none_stats(const struct cgroup *cg, struct cgroup_stats *st)
{
	(void)cg;
	(void)st;
	return -ENOENT;
}

const struct cgroup_ops cgroup_ops_none = {
	.mode = CGROUP_MODE_NONE,
	.create = none_create,
	.attach = none_attach,
	.kill = none_nothing,
	.remove = none_nothing,
	.stats = none_stats,
};

/* ---- the pane's cgroup ---- */

/* Every directory made: "memory:DIR cpu:DIR pids:DIR v2:DIR". */
static void
describe(struct cgroup *cg)
{
	size_t len = 0;

	cg->desc[0] = '\0';
	for (int c = 0; c < CG_NCTRL; c++) {
		if (*cg->v1_dir[c] && len < sizeof cg->desc)
			len += (size_t)snprintf(cg->desc + len,
						sizeof cg->desc - len, "%s%s:%s",
						len ? " " : "", ctrl_names[c],
						cg->v1_dir[c]);
	}
	if (*cg->v2_dir && len < sizeof cg->desc)
		snprintf(cg->desc + len, sizeof cg->desc - len, "%sv2:%s",
			 len ? " " : "", cg->v2_dir);
	if (!cg->desc[0])
		snprintf(cg->desc, sizeof cg->desc, "none");
}

int
cgroup_create(const struct cgroup_sys *sys, const char *instance,
	      unsigned pane, const struct cgroup_limits *lim,
	      struct cgroup **out, char *warn, size_t warnsz)
{
	static const struct cgroup_limits nolim;
	struct cg_warn w = { warn, warnsz };
	struct cgroup *cg;
	int rc = -ENOENT;
	bool made = false;

	*out = NULL;
	if (warn && warnsz)
		warn[0] = '\0';
	if (!lim)
		lim = &nolim;
	if (!paths_valid_instance(instance)) {
		cgroup__warn(&w, "cgroup not created: invalid instance name "
			     "\"%.64s\"", instance);
		return -EINVAL;
	}
	cg = xcalloc(1, sizeof *cg);
	snprintf(cg->instance, sizeof cg->instance, "%s", instance);
	cg->pane = pane;
	cg->v2_fd = -1;
	switch (sys->mode) {
	case CGROUP_MODE_V1:
		cg->ops[cg->nops++] = &cgroup_ops_v1;
		break;
	case CGROUP_MODE_V2:
		cg->ops[cg->nops++] = &cgroup_ops_v2;
		break;
	case CGROUP_MODE_HYBRID:
		cg->ops[cg->nops++] = &cgroup_ops_v1;
		cg->ops[cg->nops++] = &cgroup_ops_v2;
		break;
	case CGROUP_MODE_NONE:
		cg->ops[cg->nops++] = &cgroup_ops_none;
		break;
	}
	/* Limits no backend can apply: one warning each, naming why. */
	for (int c = 0; c < CG_NCTRL; c++) {
		if (cgroup__asked(lim, c) && sys->where[c] == CGROUP_MODE_NONE)
			cgroup__warn(&w, "%s limit not applied: %s",
				     ctrl_names[c], sys->why[c][0] ? sys->why[c]
				     : "no usable controller");
	}
	for (int i = 0; i < cg->nops; i++) {
		int r = cg->ops[i]->create(cg, sys, lim, &w);

		if (r == 0)
			made = true;
		else if (rc == -ENOENT || r != -ENOENT)
			rc = r;
	}
	if (!made && rc == -ENOENT) {
		/* No backend tried (nothing usable): say why from the probe. */
		for (int c = 0; c < CG_NCTRL; c++) {
			if (sys->why_errno[c]) {
				rc = -sys->why_errno[c];
				if (!cgroup_limits_any(lim) && warn && !warn[0])
					cgroup__warn(&w, "cgroup not created: %s",
						     sys->why[c]);
				break;
			}
		}
	}
	if (!made) {
		for (int i = 0; i < cg->nops; i++)
			cg->ops[i]->remove(cg);
		if (cg->v2_fd >= 0)
			close(cg->v2_fd);
		free(cg);
		return rc;
	}
	describe(cg);
	*out = cg;
	return 0;
}

int
cgroup_clone_fd(const struct cgroup *cg)
{
	return cg ? cg->v2_fd : -1;
}

int
cgroup_attach(struct cgroup *cg, pid_t pid, bool v2_too)
{
	int rc = 0;

	if (!cg)
		return 0;
	for (int i = 0; i < cg->nops; i++) {
		int r;

		if (cg->ops[i]->mode == CGROUP_MODE_V2 && !v2_too)
			continue;
		r = cg->ops[i]->attach(cg, pid);
		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

int
cgroup_kill(struct cgroup *cg)
{
	int rc = 0;

	if (!cg)
		return 0;
	/* v2 first: cgroup.kill reaches every process at once, forks
	 * included; the v1 loop then finds nothing or the stragglers. */
	for (int i = cg->nops - 1; i >= 0; i--) {
		int r = cg->ops[i]->kill(cg);

		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

void
cgroup_destroy(struct cgroup *cg)
{
	if (!cg)
		return;
	/* A process that was just killed leaves its cgroup when it has
	 * exited; rmdir says EBUSY until then. */
	for (int tries = 0; tries < 100; tries++) {
		int rc = 0;

		for (int i = 0; i < cg->nops; i++) {
			int r = cg->ops[i]->remove(cg);

			if (r < 0 && rc == 0)
				rc = r;
		}
		if (rc != -EBUSY)
			break;
		sleep_ms(10);
	}
	if (cg->v2_fd >= 0)
		close(cg->v2_fd);
	free(cg);
}

const char *
cgroup_describe(const struct cgroup *cg)
{
	return cg ? cg->desc : "none";
}

int
cgroup_read_stats(const struct cgroup *cg, struct cgroup_stats *st)
{
	int rc = -ENOENT;

	memset(st, 0, sizeof *st);
	if (!cg)
		return rc;
	for (int i = 0; i < cg->nops; i++) {
		if (cg->ops[i]->stats(cg, st) == 0)
			rc = 0;
	}
	return rc;
}

/* ---- the ses leaf (v2) ---- */

int
cgroup_enter_leaf(const struct cgroup_sys *sys, const char *instance,
		  char *err, size_t errsz)
{
	char avail[512] = "", enabled[512] = "", leaf[CG_PATH_MAX],
	     failed[CG_PATH_MAX], pid[24];
	bool missing = false;
	int rc = 0;

	if (err && errsz)
		err[0] = '\0';
	if (!sys->v2_usable || !*sys->v2_base || !paths_valid_instance(instance))
		return 0;
	/* The root cgroup may pass controllers down with processes in it. */
	if (strcmp(sys->v2_base, sys->v2_mount) == 0)
		return 0;
	cgroup__read(sys->v2_base, "cgroup.controllers", avail, sizeof avail);
	cgroup__read(sys->v2_base, "cgroup.subtree_control", enabled,
		     sizeof enabled);
	for (int c = 0; c < CG_NCTRL; c++) {
		if (sys->where[c] != CGROUP_MODE_V1 &&
		    has_word(avail, ctrl_names[c]) &&
		    !has_word(enabled, ctrl_names[c]))
			missing = true;
	}
	if (!missing)
		return 0;
	if (strcmp(sys->v2_own, sys->v2_base) == 0) {
		/* leaf = base/hexe-<instance>/ses; make_pane_dir's "pane-"
		 * naming does not fit, so two mkdirs. */
		cgroup__parent_path(leaf, sizeof leaf, sys->v2_base, instance);
		if ((rc = cgroup__mkdir(leaf)) < 0) {
			snprintf(err, errsz, "%s: %s", leaf, strerror(-rc));
			return rc;
		}
		snprintf(leaf + strlen(leaf), sizeof leaf - strlen(leaf), "/ses");
		if ((rc = cgroup__mkdir(leaf)) < 0) {
			snprintf(err, errsz, "%s: %s", leaf, strerror(-rc));
			return rc;
		}
		snprintf(pid, sizeof pid, "%ld", (long)getpid());
		if ((rc = cgroup__write(leaf, "cgroup.procs", pid)) < 0) {
			snprintf(err, errsz, "%s/cgroup.procs: %s", leaf,
				 strerror(-rc));
			return rc;
		}
	}
	for (int c = 0; c < CG_NCTRL; c++) {
		char plus[16];
		int r;

		if (sys->where[c] == CGROUP_MODE_V1 ||
		    !has_word(avail, ctrl_names[c]) ||
		    has_word(enabled, ctrl_names[c]))
			continue;
		snprintf(plus, sizeof plus, "+%s", ctrl_names[c]);
		r = cgroup__write(sys->v2_base, "cgroup.subtree_control", plus);
		if (r < 0 && rc == 0) {
			rc = r;
			snprintf(failed, sizeof failed, "%s/cgroup.subtree_control",
				 sys->v2_base);
			snprintf(err, errsz, "%s: %s%s", failed, strerror(-r),
				 r == -EBUSY ? " (other processes share hexe's "
				 "cgroup)" : "");
		}
	}
	return rc;
}

/* ---- sweep ---- */

static bool
pane_name(const char *name, unsigned *pane)
{
	unsigned long long v;

	if (strncmp(name, "pane-", 5) != 0 ||
	    !parse_uint(name + 5, 0xffffffffu, &v))
		return false;
	*pane = (unsigned)v;
	return true;
}

/* Empty and remove one stale pane directory; true when it is gone. */
static bool
sweep_dir(const char *dir, bool v2)
{
	if (v2)
		cgroup__kill_v2(dir, 1000);
	else
		cgroup__kill_procs(dir, 1000);
	for (int tries = 0; tries < 100; tries++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return true;
		if (errno != EBUSY)
			return false;
		sleep_ms(10);
	}
	return false;
}

struct swept {
	unsigned *ids;
	int n, cap;
};

static void
swept_add(struct swept *s, unsigned id)
{
	for (int i = 0; i < s->n; i++) {
		if (s->ids[i] == id)
			return;
	}
	if (s->n == s->cap)
		s->ids = xrealloc(s->ids, sizeof *s->ids *
						  (size_t)(s->cap = s->cap ? s->cap * 2 : 8));
	s->ids[s->n++] = id;
}

static void
sweep_base(const char *base, const char *instance, bool v2,
	   bool (*alive)(unsigned, void *), void *arg, struct swept *s)
{
	char parent[CG_PATH_MAX], dir[CG_PATH_MAX + 32];
	struct dirent *de;
	DIR *d;

	cgroup__parent_path(parent, sizeof parent, base, instance);
	d = opendir(parent);
	if (!d)
		return;
	while ((de = readdir(d))) {
		unsigned pane;

		if (!pane_name(de->d_name, &pane) || (alive && alive(pane, arg)))
			continue;
		snprintf(dir, sizeof dir, "%s/%s", parent, de->d_name);
		if (sweep_dir(dir, v2))
			swept_add(s, pane);
	}
	closedir(d);
	rmdir(parent); /* fails while live panes remain: fine */
}

int
cgroup_sweep(const struct cgroup_sys *sys, const char *instance,
	     bool (*alive)(unsigned pane, void *arg), void *arg)
{
	struct swept s = { NULL, 0, 0 };
	int n;

	if (!paths_valid_instance(instance))
		return 0;
	if (sys->v2_usable && *sys->v2_base)
		sweep_base(sys->v2_base, instance, true, alive, arg, &s);
	for (int c = 0; c < CG_NCTRL; c++) {
		bool dup = false;

		if (!*sys->v1_base[c])
			continue;
		for (int k = 0; k < c; k++)
			dup |= strcmp(sys->v1_base[k], sys->v1_base[c]) == 0;
		if (!dup)
			sweep_base(sys->v1_base[c], instance, false, alive, arg,
				   &s);
	}
	n = s.n;
	free(s.ids);
	return n;
}
