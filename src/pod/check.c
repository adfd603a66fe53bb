/*
 * check — `hexe pod check`, a doctor for the POD: it tries, in throwaway
 * children, what a pane's sandbox will do (unshare each namespace inside a
 * fresh user namespace, write the id maps, mount what the profiles mount),
 * probes the cgroups and makes (and removes) one pane cgroup with the
 * configured limits, then says per profile what a pane would get, and how
 * to fix what is missing.
 *
 * Runs as the user who runs hexe, in the foreground; every trial happens
 * in a forked child that only reports (step, errno) through a pipe and
 * exits, so nothing it does (mounts, hostname, namespaces) reaches this
 * process or the host.
 */
#include "pod/check.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/paths.h"
#include "core/util.h"
#include "pod/cgroup.h"
#include "pod/isolation.h"
#include "pod/ns.h"

extern char **environ;

/* ---- trials in throwaway children ---- */

enum step {
	ST_READY = 0, /* the child has unshared and waits for its id maps */
	ST_OK,
	ST_UNSHARE,
	ST_SETGROUPS,
	ST_UIDMAP,
	ST_GIDMAP,
	ST_FORK,
	ST_PRIVATE,
	ST_PROC,
	ST_TMPFS,
	ST_SYSFS,
	ST_DEVPTS,
	ST_LO,
	ST_HOSTNAME,
	ST_LOST,
};

static const char *const step_names[] = {
	[ST_READY] = "ready",
	[ST_OK] = "ok",
	[ST_UNSHARE] = "unshare",
	[ST_SETGROUPS] = "write setgroups",
	[ST_UIDMAP] = "write uid_map",
	[ST_GIDMAP] = "write gid_map",
	[ST_FORK] = "fork pid 1",
	[ST_PRIVATE] = "make / private",
	[ST_PROC] = "mount proc",
	[ST_TMPFS] = "mount tmpfs on /tmp",
	[ST_SYSFS] = "mount sysfs",
	[ST_DEVPTS] = "mount devpts",
	[ST_LO] = "bring lo up",
	[ST_HOSTNAME] = "sethostname",
	[ST_LOST] = "trial child",
};

enum {
	M_PROC = 1 << 0,
	M_TMPFS = 1 << 1,
	M_SYSFS = 1 << 2,
	M_DEVPTS = 1 << 3,
	M_LO = 1 << 4,
	M_HOSTNAME = 1 << 5,
};

struct trial {
	int step;
	int err;
};

static void
report(int fd, int step, int err)
{
	struct trial t = { step, err };

	(void)!write(fd, &t, sizeof t);
}

static int
lo_up(void)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (s < 0)
		return errno;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
		rc = errno;
	} else {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			rc = errno;
	}
	close(s);
	return rc;
}

/* In the trial child (PID 1 of its pid namespace when there is one):
 * mount what was asked in its private mount namespace. */
static struct trial
inside(int flags, unsigned mounts)
{
	struct trial t = { ST_OK, 0 };

	if (mounts & (M_PROC | M_TMPFS | M_SYSFS | M_DEVPTS)) {
		if (!(flags & CLONE_NEWNS))
			return (struct trial){ ST_PRIVATE, EINVAL };
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			return (struct trial){ ST_PRIVATE, errno };
	}
	if ((mounts & M_PROC) &&
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		return (struct trial){ ST_PROC, errno };
	if ((mounts & M_TMPFS) &&
	    mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
		  "size=128m,mode=1777") < 0)
		return (struct trial){ ST_TMPFS, errno };
	if ((mounts & M_SYSFS) &&
	    mount("sysfs", "/sys", "sysfs",
		  MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return (struct trial){ ST_SYSFS, errno };
	if ((mounts & M_DEVPTS) &&
	    mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620") < 0)
		return (struct trial){ ST_DEVPTS, errno };
	if (mounts & M_LO) {
		int e = lo_up();

		if (e)
			return (struct trial){ ST_LO, e };
	}
	if ((mounts & M_HOSTNAME) && sethostname("pod-check", 9) < 0)
		return (struct trial){ ST_HOSTNAME, errno };
	return t;
}

/* The trial child: never returns. */
static void __attribute__((noreturn))
trial_child(int flags, unsigned mounts, int wfd, int gofd)
{
	struct trial t;
	char c;

	if (flags && unshare(flags) < 0) {
		report(wfd, ST_UNSHARE, errno);
		_exit(1);
	}
	report(wfd, ST_READY, 0);
	if (read(gofd, &c, 1) != 1)
		_exit(1);
	if (flags & CLONE_NEWPID) {
		pid_t pid = fork();
		int st;

		if (pid < 0) {
			report(wfd, ST_FORK, errno);
			_exit(1);
		}
		if (pid > 0) {
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			_exit(0);
		}
	}
	t = inside(flags, mounts);
	report(wfd, t.step, t.err);
	_exit(0);
}

static int
write_proc(pid_t pid, const char *file, const char *text)
{
	char path[64];
	int fd, rc;

	snprintf(path, sizeof path, "/proc/%ld/%s", (long)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, text, strlen(text));
	close(fd);
	return rc;
}

/* Read one trial message; ST_LOST with EPIPE when the child died. */
static struct trial
read_trial(int fd)
{
	struct trial t;
	ssize_t n;

	do {
		n = read(fd, &t, sizeof t);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof t)
		return (struct trial){ ST_LOST, EPIPE };
	return t;
}

/* Run one trial: a child unshares flags (one call, as the pod's clone
 * does), this process writes its id maps as the pod would (the
 * unprivileged id 65534 for root, the user's own id otherwise), and the
 * child mounts what was asked. */
static struct trial
trial(int flags, unsigned mounts)
{
	int res[2], go[2];
	struct trial t;
	pid_t pid;
	int st;

	if (pipe2(res, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)
		return (struct trial){ ST_LOST, errno };
	pid = fork();
	if (pid < 0) {
		int e = errno;

		close(res[0]);
		close(res[1]);
		close(go[0]);
		close(go[1]);
		return (struct trial){ ST_LOST, e };
	}
	if (pid == 0) {
		close(res[0]);
		close(go[1]);
		trial_child(flags, mounts, res[1], go[0]);
	}
	close(res[1]);
	close(go[0]);
	t = read_trial(res[0]);
	if (t.step == ST_READY && (flags & CLONE_NEWUSER)) {
		char map[64];
		unsigned uid = geteuid() == 0 ? 65534 : (unsigned)geteuid();
		unsigned gid = getegid() == 0 ? 65534 : (unsigned)getegid();
		int rc;

		if ((rc = write_proc(pid, "setgroups", "deny")) < 0) {
			t = (struct trial){ ST_SETGROUPS, -rc };
		} else {
			snprintf(map, sizeof map, "%u %u 1\n", uid, uid);
			if ((rc = write_proc(pid, "uid_map", map)) < 0) {
				t = (struct trial){ ST_UIDMAP, -rc };
			} else {
				snprintf(map, sizeof map, "%u %u 1\n", gid, gid);
				if ((rc = write_proc(pid, "gid_map", map)) < 0)
					t = (struct trial){ ST_GIDMAP, -rc };
			}
		}
	}
	if (t.step == ST_READY) {
		(void)!write(go[1], "g", 1);
		t = read_trial(res[0]);
	}
	close(go[1]);
	close(res[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return t;
}

/* "unshare(CLONE_NEWUSER|CLONE_NEWNET): Operation not permitted" */
static void
trial_text(const struct trial *t, int flags, char *out, size_t n)
{
	char fl[160];

	if (t->step == ST_OK) {
		snprintf(out, n, "ok");
	} else if (t->step == ST_UNSHARE) {
		ns_flags_text(flags, fl, sizeof fl);
		snprintf(out, n, "unshare(%s): %s", fl, strerror(t->err));
	} else {
		snprintf(out, n, "%s: %s",
			 (unsigned)t->step < ARRAY_SIZE(step_names)
				 ? step_names[t->step] : "?",
			 strerror(t->err));
	}
}

/* ---- what each profile needs ---- */

struct profile_need {
	enum profile profile;
	int flags;
	unsigned mounts;
	const char *ns_text;
};

static const struct profile_need needs[] = {
	{ PROFILE_NONE, 0, 0, "no namespaces" },
	{ PROFILE_MINIMAL, CLONE_NEWUSER, 0, "user" },
	{ PROFILE_DEFAULT, CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS, M_PROC,
	  "user, pid (+ a mount table for /proc)" },
	{ PROFILE_BALANCED, CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS,
	  M_PROC | M_TMPFS, "user, pid, mount" },
	{ PROFILE_FULL,
	  CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET |
		  CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP,
	  M_PROC | M_TMPFS | M_SYSFS | M_DEVPTS | M_LO | M_HOSTNAME,
	  "user, pid, mount, net, uts, ipc, cgroup" },
};

static const struct {
	const char *name;
	int flag;
} ns_types[] = {
	{ "user", 0 },
	{ "pid", CLONE_NEWPID },
	{ "mount", CLONE_NEWNS },
	{ "net", CLONE_NEWNET },
	{ "uts", CLONE_NEWUTS },
	{ "ipc", CLONE_NEWIPC },
	{ "cgroup", CLONE_NEWCGROUP },
};

static const struct {
	const char *name;
	int flags;
	unsigned mounts;
	const char *who; /* profiles that need it */
} mount_trials[] = {
	{ "mount proc", CLONE_NEWPID | CLONE_NEWNS, M_PROC,
	  "default, balanced, full" },
	{ "mount tmpfs", CLONE_NEWNS, M_TMPFS, "balanced, full" },
	{ "mount sysfs", CLONE_NEWNS | CLONE_NEWNET, M_SYSFS, "full" },
	{ "mount devpts", CLONE_NEWNS, M_DEVPTS, "full" },
	{ "loopback up", CLONE_NEWNET, M_LO, "full" },
	{ "sethostname", CLONE_NEWUTS, M_HOSTNAME, "full" },
};

/* ---- the report ---- */

struct check {
	struct paths paths;
	struct isolation iso;
	const char *profile_src;
	uid_t uid;
	long max_userns;    /* -1: unreadable */
	long unpriv_clone;  /* -1: not present */
	long aa_restrict;   /* -1: not present */
	struct trial userns;
	struct trial profile_trial[ARRAY_SIZE(needs)];
	struct cgroup_sys sys;
	bool sys_ok;
	char cg_trial_warn[1024];
	int cg_trial_rc;
	bool cg_tried;
	char fixes[8][400];
	int nfix;
	char problems[1024];
};

static void
add_fix(struct check *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add_fix(struct check *k, const char *fmt, ...)
{
	char line[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	for (int i = 0; i < k->nfix; i++) {
		if (strcmp(k->fixes[i], line) == 0)
			return;
	}
	if (k->nfix < (int)ARRAY_SIZE(k->fixes))
		snprintf(k->fixes[k->nfix++], sizeof k->fixes[0], "%s", line);
}

static void
add_problem(struct check *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add_problem(struct check *k, const char *fmt, ...)
{
	size_t len = strlen(k->problems);
	va_list ap;

	if (len && len + 2 < sizeof k->problems) {
		memcpy(k->problems + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(k->problems + len, sizeof k->problems - len, fmt, ap);
	va_end(ap);
}

static long
read_sysctl(const char *path)
{
	char buf[64];
	unsigned long long v;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof buf, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return parse_uint(buf, 1ull << 40, &v) ? (long)v : -1;
}

static void
print_userns(struct check *k)
{
	char text[300];

	k->max_userns = read_sysctl("/proc/sys/user/max_user_namespaces");
	k->unpriv_clone = read_sysctl("/proc/sys/kernel/unprivileged_userns_clone");
	k->aa_restrict =
		read_sysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
	k->userns = trial(CLONE_NEWUSER, 0);
	trial_text(&k->userns, CLONE_NEWUSER, text, sizeof text);
	printf("user namespaces: %s\n", text);
	if (k->max_userns >= 0)
		printf("max_user_namespaces: %ld (/proc/sys/user/max_user_namespaces)\n",
		       k->max_userns);
	else
		printf("max_user_namespaces: unreadable "
		       "(/proc/sys/user/max_user_namespaces)\n");
	if (k->unpriv_clone >= 0)
		printf("unprivileged_userns_clone: %ld "
		       "(/proc/sys/kernel/unprivileged_userns_clone)\n",
		       k->unpriv_clone);
	else
		printf("unprivileged_userns_clone: not present\n");
	if (k->aa_restrict >= 0)
		printf("apparmor userns restriction: %s "
		       "(/proc/sys/kernel/apparmor_restrict_unprivileged_userns "
		       "= %ld)\n",
		       k->aa_restrict ? "on" : "off", k->aa_restrict);
	else
		printf("apparmor userns restriction: not present\n");
}

static void
print_namespaces(struct check *k)
{
	(void)k;
	for (size_t i = 0; i < ARRAY_SIZE(ns_types); i++) {
		int flags = CLONE_NEWUSER | ns_types[i].flag;
		struct trial t = trial(flags, 0);
		char text[300];

		trial_text(&t, flags, text, sizeof text);
		printf("namespace %s: %s\n", ns_types[i].name, text);
	}
	for (size_t i = 0; i < ARRAY_SIZE(mount_trials); i++) {
		int flags = CLONE_NEWUSER | mount_trials[i].flags;
		struct trial t = trial(flags, mount_trials[i].mounts);
		char text[300];

		trial_text(&t, flags, text, sizeof text);
		printf("%s: %s (needed by %s)\n", mount_trials[i].name, text,
		       mount_trials[i].who);
	}
}

static void
print_mode(const struct cgroup_sys *s)
{
	switch (s->mode) {
	case CGROUP_MODE_HYBRID:
		printf("cgroup mode: hybrid (v1 controllers, cgroup2 at %s)\n",
		       s->v2_mount);
		break;
	case CGROUP_MODE_V1:
		printf("cgroup mode: v1 (controllers under %s, no cgroup2)\n",
		       s->root);
		break;
	case CGROUP_MODE_V2:
		printf("cgroup mode: v2 (cgroup2 at %s)\n", s->v2_mount);
		break;
	case CGROUP_MODE_NONE:
		printf("cgroup mode: none (no cgroup file system under %s)\n",
		       s->root);
		break;
	}
}

static void
print_cgroups(struct check *k)
{
	struct cgroup_sys *s = &k->sys;
	char err[256], list[2048] = "";
	size_t len = 0;

	if (cgroup_probe(s, NULL, NULL, err, sizeof err) < 0) {
		printf("cgroup mode: unknown (%s)\n", err);
		return;
	}
	k->sys_ok = true;
	print_mode(s);
	if (*s->v2_mount) {
		if (s->v2_usable) {
			char ctl[64] = "";
			size_t n = 0;

			for (int c = 0; c < CG_NCTRL; c++) {
				if (s->v2_ctrl[c])
					n += (size_t)snprintf(ctl + n, sizeof ctl - n,
							      "%s%s", n ? " " : "",
							      cgroup_ctrl_name(c));
			}
			printf("cgroup v2: ok (%s; membership, CLONE_INTO_CGROUP, "
			       "cgroup.kill; controllers: %s)\n",
			       s->v2_base, n ? ctl : "none");
		} else {
			printf("cgroup v2: not usable: %s\n", s->v2_why);
		}
	}
	for (int c = 0; c < CG_NCTRL; c++) {
		if (s->usable[c])
			printf("%s: ok (%s %s)\n", cgroup_ctrl_name(c),
			       cgroup_mode_name(s->where[c]),
			       s->where[c] == CGROUP_MODE_V1 ? s->v1_base[c]
							     : s->v2_base);
		else
			printf("%s: unavailable: %s\n", cgroup_ctrl_name(c),
			       s->why[c]);
	}
	if (s->v2_usable && len < sizeof list)
		len += (size_t)snprintf(list + len, sizeof list - len,
					"%s/hexe-%s/pane-<id>", s->v2_base,
					k->paths.instance);
	for (int c = 0; c < CG_NCTRL; c++) {
		bool dup = false;

		if (!*s->v1_base[c])
			continue;
		for (int j = 0; j < c; j++)
			dup |= strcmp(s->v1_base[j], s->v1_base[c]) == 0;
		if (!dup && len < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len,
						"%s%s/hexe-%s/pane-<id>",
						len ? ", " : "", s->v1_base[c],
						k->paths.instance);
	}
	printf("pane cgroups: %s\n", len ? list : "none (no usable hierarchy)");
}

/* Make and remove one pane cgroup with the configured limits (or, with
 * none configured, sample ones), under a throwaway instance name. */
static void
cgroup_trial(struct check *k)
{
	struct cgroup_limits lim = {
		.memory = k->iso.memory,
		.cpu_quota = k->iso.cpu_quota,
		.cpu_period = k->iso.cpu_period,
		.pids = k->iso.pids,
	};
	bool sample = !cgroup_limits_any(&lim);
	char inst[32];
	struct cgroup *cg = NULL;

	if (!k->sys_ok)
		return;
	if (sample) {
		lim.memory = 64ull << 20;
		lim.cpu_quota = 50000;
		lim.cpu_period = 100000;
		lim.pids = 64;
	}
	snprintf(inst, sizeof inst, "check-%ld", (long)getpid());
	k->cg_tried = true;
	k->cg_trial_rc = cgroup_create(&k->sys, inst, 0, &lim, &cg,
				       k->cg_trial_warn, sizeof k->cg_trial_warn);
	if (cg) {
		cgroup_kill(cg);
		cgroup_destroy(cg);
	}
	if (k->cg_trial_rc == 0 && !k->cg_trial_warn[0])
		printf("cgroup trial: ok (made and removed a pane cgroup with "
		       "%s limits)\n", sample ? "sample" : "the configured");
	else
		printf("cgroup trial: %s limits: %s\n",
		       sample ? "sample" : "configured",
		       k->cg_trial_warn[0] ? k->cg_trial_warn
					   : strerror(-k->cg_trial_rc));
}

static void
limits_text(const struct check *k, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (int c = 0; c < CG_NCTRL && len < n; c++) {
		const struct cgroup_sys *s = &k->sys;

		if (!k->sys_ok)
			len += (size_t)snprintf(out + len, n - len, "%s%s unknown",
						len ? ", " : "", cgroup_ctrl_name(c));
		else if (s->usable[c])
			len += (size_t)snprintf(out + len, n - len, "%s%s ok (%s)",
						len ? ", " : "", cgroup_ctrl_name(c),
						cgroup_mode_name(s->where[c]));
		else
			len += (size_t)snprintf(out + len, n - len,
						"%s%s unavailable", len ? ", " : "",
						cgroup_ctrl_name(c));
	}
}

static void
print_profiles(struct check *k)
{
	char lim[256];

	limits_text(k, lim, sizeof lim);
	for (size_t i = 0; i < ARRAY_SIZE(needs); i++) {
		char text[300];

		if (needs[i].profile == PROFILE_NONE) {
			k->profile_trial[i] = (struct trial){ ST_OK, 0 };
			printf("profile none: no namespaces (host); limits: %s\n",
			       lim);
			continue;
		}
		k->profile_trial[i] = trial(needs[i].flags, needs[i].mounts);
		if (k->profile_trial[i].step == ST_OK) {
			printf("profile %s: all namespaces ok (%s); limits: %s\n",
			       profile_name(needs[i].profile), needs[i].ns_text,
			       lim);
		} else {
			trial_text(&k->profile_trial[i], needs[i].flags, text,
				   sizeof text);
			printf("profile %s: fails: %s; limits: %s\n",
			       profile_name(needs[i].profile), text, lim);
		}
	}
}

static void
print_config(struct check *k)
{
	char desc[256];

	printf("configured profile: %s (%s)\n", profile_name(k->iso.profile),
	       k->profile_src);
	if (k->iso.memory || k->iso.cpu_quota || k->iso.pids) {
		size_t len = 0;

		desc[0] = '\0';
		if (k->iso.memory)
			len += (size_t)snprintf(desc + len, sizeof desc - len,
						"memory=%s ", k->iso.memory_text);
		if (k->iso.cpu_quota && len < sizeof desc)
			len += (size_t)snprintf(desc + len, sizeof desc - len,
						"cpu=\"%s\" ", k->iso.cpu_text);
		if (k->iso.pids && len < sizeof desc)
			len += (size_t)snprintf(desc + len, sizeof desc - len,
						"pids=%s ", k->iso.pids_text);
		printf("configured limits: %s(environment)\n", desc);
	} else {
		printf("configured limits: none\n");
	}
	printf("strict: %s\n", k->iso.strict ? "on (a pane whose limits cannot "
		"be applied is refused)" : "off (a pane whose limits cannot be "
		"applied starts with a warning)");
	printf("logs: %s/ (ses.log, pod-<id>.log)\n", k->paths.log);
}

/* The fix for a refused user namespace, from what the sysctls say. */
static void
userns_fix(struct check *k)
{
	if (k->max_userns == 0 || k->userns.err == ENOSPC)
		add_fix(k, "sysctl -w user.max_user_namespaces=15000");
	if (k->uid != 0 && k->unpriv_clone == 0)
		add_fix(k, "sysctl -w kernel.unprivileged_userns_clone=1");
	if (k->uid != 0 && k->aa_restrict > 0)
		add_fix(k, "sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 "
			"(or an AppArmor profile for hexe that allows `userns,`)");
	if (k->nfix == 0)
		add_fix(k, "user namespaces are refused by a seccomp filter or "
			"the container hexe runs in: allow unshare/clone3 with "
			"CLONE_NEWUSER there, or use `--profile none` (no sandbox)");
}

static void
limit_fix(struct check *k, enum cgroup_ctrl c)
{
	const struct cgroup_sys *s = &k->sys;

	if (s->mode == CGROUP_MODE_NONE) {
		add_fix(k, "mount cgroups: boot with cgroup v2 "
			"(systemd.unified_cgroup_hierarchy=1) or mount -t cgroup "
			"-o %s cgroup %s/%s", cgroup_ctrl_name(c), s->root,
			cgroup_ctrl_name(c));
	} else if (*s->v1_mount[c]) {
		add_fix(k, "run hexe as root, or start it in a cgroup this user "
			"owns in each v1 hierarchy (v1 has no delegation): as "
			"root, cgcreate -a %ld -t %ld -g memory,cpu,pids:hexe-%ld; "
			"then, as the user, cgexec -g memory,cpu,pids:hexe-%ld "
			"hexe mux (see docs/isolation-limits.md)",
			(long)k->uid, (long)k->uid, (long)k->uid, (long)k->uid);
	} else if (!s->v2_usable) {
		add_fix(k, "enable cgroup delegation: systemd-run --user -p "
			"Delegate=yes --unit=hexe-ses hexe ses --instance %s, then "
			"hexe mux (see docs/isolation-limits.md)",
			k->paths.instance);
	} else if (strstr(s->why[c], "cgroup.controllers")) {
		add_fix(k, "delegate the %s controller to your user: "
			"Delegate=cpu cpuset io memory pids in "
			"/etc/systemd/system/user@.service.d/delegate.conf (see "
			"docs/isolation-limits.md)", cgroup_ctrl_name(c));
	} else {
		add_fix(k, "start hexe's daemon alone in a delegated cgroup, so it "
			"can pass controllers down: systemd-run --user -p "
			"Delegate=yes --unit=hexe-ses hexe ses --instance %s (see "
			"docs/isolation-limits.md)", k->paths.instance);
	}
}

static int
verdict(struct check *k)
{
	size_t pi = 0;

	for (size_t i = 0; i < ARRAY_SIZE(needs); i++) {
		if (needs[i].profile == k->iso.profile)
			pi = i;
	}
	if (k->profile_trial[pi].step != ST_OK) {
		char text[300];

		trial_text(&k->profile_trial[pi], needs[pi].flags, text,
			   sizeof text);
		add_problem(k, "the %s profile's sandbox fails: %s",
			    profile_name(k->iso.profile), text);
		if (k->userns.step != ST_OK) {
			userns_fix(k);
		} else {
			/* The best profile that works here. */
			const char *best = "none";

			for (size_t i = 0; i < ARRAY_SIZE(needs); i++) {
				if (k->profile_trial[i].step == ST_OK)
					best = profile_name(needs[i].profile);
			}
			add_fix(k, "this kernel or the container hexe runs in "
				"refuses that step; use `--profile %s` "
				"(HEXE_VOIDBOX_PROFILE=%s), the most isolated "
				"profile that works here", best, best);
		}
	}
	if (k->iso.memory || k->iso.cpu_quota || k->iso.pids) {
		struct cgroup_limits lim = {
			.memory = k->iso.memory,
			.cpu_quota = k->iso.cpu_quota,
			.pids = k->iso.pids,
		};

		for (int c = 0; c < CG_NCTRL; c++) {
			bool asked = (c == CG_MEMORY && lim.memory) ||
				     (c == CG_CPU && lim.cpu_quota) ||
				     (c == CG_PIDS && lim.pids);

			if (!asked || !k->sys_ok)
				continue;
			if (!k->sys.usable[c]) {
				add_problem(k, "%s limit unavailable: %s",
					    cgroup_ctrl_name(c), k->sys.why[c]);
				limit_fix(k, c);
			}
		}
		if (!k->sys_ok)
			add_problem(k, "cgroups could not be probed");
		else if (!k->problems[0] && k->cg_tried &&
			 (k->cg_trial_rc < 0 || k->cg_trial_warn[0]))
			add_problem(k, "%s", k->cg_trial_warn[0]
						     ? k->cg_trial_warn
						     : strerror(-k->cg_trial_rc));
	}
	if (!k->problems[0]) {
		printf("result: ok: profile %s%s can be honoured fully\n",
		       profile_name(k->iso.profile),
		       cgroup_limits_any(&(struct cgroup_limits){
			       .memory = k->iso.memory,
			       .cpu_quota = k->iso.cpu_quota,
			       .pids = k->iso.pids })
			       ? " with its limits" : "");
		return 0;
	}
	printf("result: profile %s cannot be honoured fully: %s\n",
	       profile_name(k->iso.profile), k->problems);
	for (int i = 0; i < k->nfix; i++)
		printf("fix: %s\n", k->fixes[i]);
	return 1;
}

static int
usage_err(const char *msg)
{
	fprintf(stderr, "hexe: %s\nusage: hexe pod check [--profile NAME]\n", msg);
	return 2;
}

int
pod_check_main(int argc, char **argv)
{
	struct check *k = xcalloc(1, sizeof *k);
	const char *profile_arg = NULL;
	char err[512];
	struct utsname un;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--profile") == 0 && i + 1 < argc) {
			profile_arg = argv[++i];
		} else if (strncmp(argv[i], "--profile=", 10) == 0) {
			profile_arg = argv[i] + 10;
		} else if (strcmp(argv[i], "--help") == 0 ||
			   strcmp(argv[i], "-h") == 0) {
			printf("usage: hexe pod check [--profile NAME]\n\n"
			       "report what this kernel and user give a pane's "
			       "POD, and how to fix what is missing\n");
			free(k);
			return 0;
		} else {
			free(k);
			return usage_err("pod check: unexpected argument");
		}
	}
	isolation_defaults(&k->iso);
	k->profile_src = "built-in default";
	if (isolation_apply_env(&k->iso, environ, err, sizeof err) < 0) {
		printf("configuration: %s\n", err);
		printf("result: the configuration is invalid\n");
		free(k);
		return 1;
	}
	if (k->iso.src_profile == ISO_SRC_ENV)
		k->profile_src = "HEXE_VOIDBOX_PROFILE";
	if (profile_arg) {
		if (isolation_parse_profile("--profile", profile_arg,
					    &k->iso.profile, err, sizeof err) < 0) {
			rc = usage_err(err);
			free(k);
			return rc;
		}
		k->profile_src = "--profile";
	}
	if (paths_init(&k->paths, NULL, err, sizeof err) < 0) {
		printf("configuration: %s\n", err);
		free(k);
		return 1;
	}
	k->uid = geteuid();
	uname(&un);
	printf("hexe pod check: kernel %s, uid %ld%s\n", un.release,
	       (long)k->uid, k->uid == 0 ? " (root: panes run as 65534)" : "");
	fflush(stdout);
	print_userns(k);
	print_namespaces(k);
	print_cgroups(k);
	cgroup_trial(k);
	print_profiles(k);
	print_config(k);
	rc = verdict(k);
	free(k);
	return rc;
}
