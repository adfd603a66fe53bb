/*
 * spawn — the one place that starts a pane's program.
 *
 * Three processes take part (spawn.h lists the steps):
 *   pod    the parent: host credentials of the user. Makes every string
 *          and decision before the clone (the plan), then drives the
 *          child through a SOCK_SEQPACKET socket: release after the id
 *          maps, receive the terminal (full), read failures, EOF = exec.
 *   child  made by the one clone3: in the profile's namespaces, with the
 *          capabilities of its user namespace. Sets the pane up, then
 *          becomes the init (pid namespace) or the shell (none, minimal).
 *   shell  forked by the init: drops everything and execs.
 * Child and shell run only async-signal-safe code on the plan's copy, and
 * report failure as (step, errno, index) before _exit.
 */

#include "pod/spawn.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/paths.h"
#include "core/util.h"
#include "pod/caps.h"
#include "pod/cgroup.h"
#include "pod/devpts.h"
#include "pod/mounts.h"
#include "pod/netns.h"
#include "pod/ns.h"
#include "pod/podinit.h"
#include "pod/pty.h"

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

/* How long the pod waits for a pane's setup before it gives up. */
#define SPAWN_TIMEOUT_MS 10000

enum spawn_step {
	STEP_IDENTITY = 1,
	STEP_CGROUPNS,
	STEP_MOUNT,
	STEP_LO,
	STEP_HOSTNAME,
	STEP_PTY,
	STEP_FORK,
	/* the shell's own steps */
	STEP_SETSID,
	STEP_CTTY,
	STEP_DUP,
	STEP_NNP,
	STEP_CAPS,
	STEP_EXEC,
};

enum { MSG_FAIL = 1, MSG_TTY };

struct spawn_msg {
	int32_t kind;
	int32_t step;
	int32_t err;
	int32_t index; /* the mount op of STEP_MOUNT */
	int32_t num;   /* MSG_TTY: /dev/pts/<num> inside */
};

/* Everything the child needs, made by the pod before the clone. */
struct spawn_plan {
	const struct spawn_opts *o;
	enum profile profile;
	int nsflags;
	struct ns_ident id;
	bool pidns, devpts;
	bool cgroupns_reroot; /* re-root the cgroup namespace at the pane's
			       * cgroup once the pod has attached it */
	char hostname[64];
	const char *cwd;      /* "" or NULL: stay where the pod is */
	const char *home;     /* $HOME, checked for the notice */
	char pod_cwd[512];
	int sock, lifeline, slave;
	pid_t pod_pid;
	struct mount_plan mounts;
};

static const char *
step_name(int step)
{
	switch (step) {
	case STEP_IDENTITY: return "switch to the pane's uid";
	case STEP_CGROUPNS: return "enter the cgroup namespace";
	case STEP_MOUNT: return "mount";
	case STEP_LO: return "bring up lo";
	case STEP_HOSTNAME: return "set the host name";
	case STEP_PTY: return "open a terminal in the pane's devpts";
	case STEP_FORK: return "start the shell in the pane";
	case STEP_SETSID: return "setsid";
	case STEP_CTTY: return "set controlling terminal";
	case STEP_DUP: return "attach the terminal";
	case STEP_NNP: return "set no_new_privs";
	case STEP_CAPS: return "drop capabilities";
	case STEP_EXEC: return "exec";
	default: return "spawn";
	}
}

/* ---- child and shell: async-signal-safe ---- */

/* Report and exit. Never returns. */
static void __attribute__((noreturn))
child_fail(int sock, int step, int err, int index)
{
	struct spawn_msg m = { MSG_FAIL, step, err, index, 0 };

	(void)devpts_send(sock, &m, sizeof m, -1);
	_exit(127);
}

static void
child_reset_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
}

static void
close_range_fallback(unsigned lo, unsigned hi)
{
	if (lo > hi)
		return;
	if (syscall(SYS_close_range, lo, hi, 0) == 0)
		return;
	/* Kernels before 5.9. */
	for (unsigned fd = lo; fd <= hi && fd < 65536; fd++)
		close((int)fd);
}

/* Close every fd but the n in keep (-1 entries ignored). */
static void
close_except(int *keep, int n)
{
	int k[4], m = 0;
	unsigned lo = 0;

	for (int i = 0; i < n && m < 4; i++) {
		if (keep[i] >= 0)
			k[m++] = keep[i];
	}
	for (int i = 1; i < m; i++) { /* insertion sort of at most 4 */
		for (int j = i; j > 0 && k[j - 1] > k[j]; j--) {
			int t = k[j];

			k[j] = k[j - 1];
			k[j - 1] = t;
		}
	}
	for (int i = 0; i < m; i++) {
		if ((unsigned)k[i] > lo)
			close_range_fallback(lo, (unsigned)k[i] - 1);
		lo = (unsigned)k[i] + 1;
	}
	close_range_fallback(lo, ~0u);
}

static size_t
put(char *buf, size_t at, size_t n, const char *s)
{
	while (*s && at + 1 < n)
		buf[at++] = *s++;
	buf[at] = '\0';
	return at;
}

static const char *
errtext(int e)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 32)
	const char *s = strerrordesc_np(e);

	return s ? s : "unknown error";
#else
	return strerror(e);
#endif
}

/* "hexe: cannot enter PATH (why)TAIL\r\n" on the pane's terminal. */
static void
shell_notice(const char *what, const char *path, int err, const char *tail)
{
	char line[700];
	size_t n = 0;

	n = put(line, n, sizeof line, "hexe: cannot enter ");
	n = put(line, n, sizeof line, what);
	n = put(line, n, sizeof line, path);
	n = put(line, n, sizeof line, " (");
	n = put(line, n, sizeof line, errtext(err));
	n = put(line, n, sizeof line, ")");
	n = put(line, n, sizeof line, tail);
	n = put(line, n, sizeof line, "\r\n");
	(void)!write(1, line, n);
}

/* The pane's program: in a new session on its terminal, stripped of
 * privilege (every profile but none), with only fds 0-2. Never returns. */
static void __attribute__((noreturn))
shell_exec(const struct spawn_plan *sp, int slave)
{
	const struct spawn_opts *o = sp->o;
	char *const *argv = o->argv;
	int sock = sp->sock;
	struct stat st;
	sigset_t none;

	/* Handlers are default already (child_main); only the mask is left. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (setsid() < 0)
		child_fail(sock, STEP_SETSID, errno, 0);
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		child_fail(sock, STEP_CTTY, errno, 0);
	/* Keep the report socket and the slave above 0-2 while 0-2 are made. */
	if (sock < 3 && (sock = fcntl(sock, F_DUPFD_CLOEXEC, 3)) < 0)
		_exit(127);
	if (slave < 3 && (slave = fcntl(slave, F_DUPFD_CLOEXEC, 3)) < 0)
		child_fail(sock, STEP_DUP, errno, 0);
	if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		child_fail(sock, STEP_DUP, errno, 0);
	{
		int keep[4] = { 0, 1, 2, sock };

		close_except(keep, 4);
	}
	if (sp->profile != PROFILE_NONE) {
		if (caps_no_new_privs() < 0)
			child_fail(sock, STEP_NNP, errno, 0);
		if (caps_drop_all() < 0)
			child_fail(sock, STEP_CAPS, errno, 0);
	}
	/* As the pane's own identity, with no capability to bypass access
	 * checks: what it cannot enter, it does not start in. */
	if (sp->cwd && *sp->cwd && chdir(sp->cwd) < 0) {
		shell_notice("", sp->cwd, errno, "; starting in /");
		(void)!chdir("/");
	}
	if (sp->home && *sp->home &&
	    (stat(sp->home, &st) < 0 || access(sp->home, X_OK) < 0))
		shell_notice("$HOME ", sp->home, errno, "");
	if (o->argv0) {
		/* A login shell sees "-bash" as its name, as under tmux. */
		char *args[64];
		int i;

		args[0] = (char *)o->argv0;
		for (i = 1; i < 63 && argv[i]; i++)
			args[i] = argv[i];
		args[i] = NULL;
		execve(argv[0], args, o->envp);
	} else if (strchr(argv[0], '/')) {
		execve(argv[0], argv, o->envp);
	} else {
		execvpe(argv[0], argv, o->envp);
	}
	child_fail(sock, STEP_EXEC, errno, 0);
}

/* The clone3 child. Never returns. */
static void __attribute__((noreturn))
child_main(struct spawn_plan *sp)
{
	int slave = sp->slave, sock = sp->sock, rc, failed;
	char go;

	child_reset_signals(); /* every signal is still blocked */
	{
		int keep[3] = { sock, sp->lifeline, slave };

		close_except(keep, 3);
	}
	/* Wait for the pod: maps written, cgroup joined. EOF: it is gone. */
	if (read(sock, &go, 1) != 1)
		_exit(127);
	if ((sp->nsflags & CLONE_NEWUSER) && (rc = ns_become(&sp->id)) < 0)
		child_fail(sock, STEP_IDENTITY, -rc, 0);
	/* After ns_become: a change of uid clears the parent-death signal.
	 * A pod that died before this is caught by getppid (no pid
	 * namespace) or by the lifeline (podinit). */
	if (sp->profile != PROFILE_NONE) {
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		if (!sp->pidns && getppid() != sp->pod_pid)
			_exit(127);
	}
	if (sp->cgroupns_reroot && unshare(CLONE_NEWCGROUP) < 0)
		child_fail(sock, STEP_CGROUPNS, errno, 0);
	if ((rc = mounts_apply(&sp->mounts, &failed)) < 0)
		child_fail(sock, STEP_MOUNT, -rc, failed);
	if (sp->nsflags & CLONE_NEWNS)
		(void)!chdir("/"); /* pin nothing of the host's tree */
	if ((sp->nsflags & CLONE_NEWNET) && (rc = netns_lo_up()) < 0)
		child_fail(sock, STEP_LO, -rc, 0);
	if ((sp->nsflags & CLONE_NEWUTS) &&
	    (rc = netns_set_hostname(sp->hostname)) < 0)
		child_fail(sock, STEP_HOSTNAME, -rc, 0);
	if (sp->devpts) {
		struct spawn_msg m = { MSG_TTY, 0, 0, 0, 0 };
		int master, num;

		if ((rc = devpts_open(sp->o->cols, sp->o->rows, &master, &slave,
				      &num)) < 0)
			child_fail(sock, STEP_PTY, -rc, 0);
		m.num = num;
		if ((rc = devpts_send(sock, &m, sizeof m, master)) < 0)
			child_fail(sock, STEP_PTY, -rc, 0);
		close(master);
	}
	if (sp->pidns) {
		bool into;
		pid_t shell = ns_clone(0, -1, &into);

		if (shell < 0)
			child_fail(sock, STEP_FORK, -shell, 0);
		if (shell == 0) {
			close(sp->lifeline);
			shell_exec(sp, slave);
		}
		/* The init holds neither the terminal nor the socket: the pod
		 * sees EOF once the shell has exec'd. */
		close(slave);
		close(sock);
		podinit_run(shell, sp->lifeline);
	}
	shell_exec(sp, slave);
}

/* ---- pod ---- */

static void
ns_error(char *err, size_t errsz, const char *step, int e)
{
	snprintf(err, errsz, "%s: %s; run `hexe pod check`", step, strerror(e));
}

static bool
iso_limits(const struct isolation *iso)
{
	return iso->memory || iso->cpu_quota || iso->pids;
}

/* The pane's cgroup: limits, or membership for teardown where there is
 * no pid namespace. 0, or -errno with err (strict, or no memory). */
static int
spawn_cgroup(const struct spawn_opts *o, enum profile profile,
	     struct pod_child *out, char *err, size_t errsz)
{
	const struct isolation *iso = o->iso;
	struct cgroup_limits lim = { 0, 0, 0, 0 };
	struct cgroup_sys sys;
	char warn[512] = "", perr[256];
	bool want;
	int rc;

	if (iso) {
		lim.memory = iso->memory;
		lim.cpu_quota = iso->cpu_quota;
		lim.cpu_period = iso->cpu_period;
		lim.pids = iso->pids;
	}
	want = cgroup_limits_any(&lim);
	if (!want && profile != PROFILE_MINIMAL)
		return 0;
	if (cgroup_probe(&sys, NULL, NULL, perr, sizeof perr) < 0) {
		snprintf(warn, sizeof warn, "limits not applied: %s", perr);
		rc = -EIO;
	} else {
		rc = cgroup_create(&sys, o->instance, o->pane_id, &lim, &out->cg,
				   warn, sizeof warn);
	}
	if (!want) {
		if (rc < 0)
			log_info(o->log, "no cgroup for teardown: %s", warn);
		return 0;
	}
	if (!warn[0] && rc < 0)
		snprintf(warn, sizeof warn, "limits not applied: %s",
			 strerror(-rc));
	if (warn[0]) {
		/* Not strict: the pod logs the notice once, with the rest of
		 * what was applied. */
		if (iso->strict) {
			log_warn(o->log, "%s", warn);
			snprintf(err, errsz, "%s (strict: pane refused)", warn);
			cgroup_destroy(out->cg);
			out->cg = NULL;
			return rc < 0 ? rc : -EPERM;
		}
		snprintf(out->notice, sizeof out->notice, "%s", warn);
	}
	return 0;
}

/* Pod: everything the child will need, decided now. */
static int
spawn_plan_make(struct spawn_plan *sp, const struct spawn_opts *o,
		char *err, size_t errsz)
{
	struct mount_env me;
	struct paths paths;
	char perr[128];
	const char *runtime = o->runtime;

	sp->o = o;
	sp->pod_pid = getpid();
	sp->profile = o->iso ? o->iso->profile : PROFILE_NONE;
	sp->nsflags = ns_flags(sp->profile);
	ns_ident_init(&sp->id);
	sp->pidns = sp->nsflags & CLONE_NEWPID;
	sp->devpts = sp->profile == PROFILE_FULL;
	snprintf(sp->hostname, sizeof sp->hostname, "pod-%u", o->pane_id);
	sp->home = env_lookup(o->envp, "HOME");
	if (!runtime && paths_init(&paths, o->instance, perr, sizeof perr) == 0)
		runtime = paths.runtime;
	memset(&me, 0, sizeof me);
	me.profile = sp->profile;
	me.cwd = o->cwd;
	if ((!me.cwd || !*me.cwd) && (sp->nsflags & CLONE_NEWNS) &&
	    getcwd(sp->pod_cwd, sizeof sp->pod_cwd))
		me.cwd = sp->pod_cwd; /* re-entered by path in the new tree */
	me.display = env_lookup(o->envp, "DISPLAY");
	me.ssh_auth_sock = env_lookup(o->envp, "SSH_AUTH_SOCK");
	me.xdg_runtime_dir = env_lookup(o->envp, "XDG_RUNTIME_DIR");
	me.runtime = runtime;
	if (o->iso) {
		me.mounts = o->iso->mounts;
		me.nmounts = o->iso->nmounts;
	}
	if (mounts_plan(&sp->mounts, &me, err, errsz) < 0)
		return -EINVAL;
	sp->cwd = sp->mounts.cwd;
	return 0;
}

/* The pane shows every warning, not only the first: "a; b". */
static void
notice_add(struct pod_child *out, const char *w)
{
	size_t len = strlen(out->notice);

	snprintf(out->notice + len, sizeof out->notice - len, "%s%s",
		 len ? "; " : "", w);
}

static void
spawn_log(const struct spawn_opts *o, const struct spawn_plan *sp,
	  const struct pod_child *out, uint64_t t0)
{
	char nsd[96], desc[256];
	char *mounts = xmalloc(4096);

	ns_describe(sp->nsflags, nsd, sizeof nsd);
	if (o->iso)
		isolation_describe(o->iso, desc, sizeof desc);
	else
		snprintf(desc, sizeof desc, "profile=none");
	if (sp->profile == PROFILE_NONE)
		log_info(o->log, "sandbox: %s namespaces=none identity=host "
			 "(uid %u)", desc, (unsigned)geteuid());
	else
		log_info(o->log, "sandbox: %s namespaces=%s identity=%u:%u%s "
			 "no_new_privs, no capabilities", desc, nsd,
			 (unsigned)sp->id.uid, (unsigned)sp->id.gid,
			 sp->id.from_root ? " (root mapped to 65534)" : "");
	if (sp->nsflags & CLONE_NEWNS) {
		mounts_describe(&sp->mounts, mounts, 4096);
		log_info(o->log, "mounts: %s", mounts);
	}
	if (sp->nsflags & CLONE_NEWNET)
		log_info(o->log, "network: lo only; hostname %s", sp->hostname);
	if (out->cg)
		log_info(o->log, "cgroup: %s", cgroup_describe(out->cg));
	if (out->notice[0])
		log_warn(o->log, "%s", out->notice);
	log_info(o->log, "spawned pid %d on %s in %llu us", (int)out->pid,
		 out->tty, (unsigned long long)((now_ns() - t0) / 1000));
	free(mounts);
}

/* Pod: read the child's packets until EOF (exec) or a failure. */
static int
spawn_wait(struct spawn_plan *sp, int sock, struct pod_child *out, char *err,
	   size_t errsz)
{
	uint64_t deadline = now_ms() + SPAWN_TIMEOUT_MS;

	for (;;) {
		struct pollfd pfd = { sock, POLLIN, 0 };
		struct spawn_msg m;
		uint64_t now = now_ms();
		ssize_t n;
		int fd;

		if (now >= deadline) {
			snprintf(err, errsz, "the pane's setup did not finish "
				 "within %d s", SPAWN_TIMEOUT_MS / 1000);
			return -ETIMEDOUT;
		}
		if (poll(&pfd, 1, (int)(deadline - now)) < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errsz, "wait for the pane: %s", strerror(errno));
			return -errno;
		}
		if (!pfd.revents)
			continue;
		n = devpts_recv(sock, &m, sizeof m, &fd);
		if (n == 0)
			return 0; /* every copy closed: the shell exec'd */
		if (n < 0 || n != (ssize_t)sizeof m) {
			if (fd >= 0)
				close(fd);
			snprintf(err, errsz, "talk to the pane's setup: %s",
				 n < 0 ? strerror((int)-n) : "short message");
			return n < 0 ? (int)n : -EPROTO;
		}
		if (m.kind == MSG_TTY && fd >= 0 && out->master < 0) {
			out->master = fd;
			snprintf(out->tty, sizeof out->tty, "/dev/pts/%d", m.num);
			continue;
		}
		if (fd >= 0)
			close(fd);
		if (m.kind != MSG_FAIL)
			continue;
		if (m.step == STEP_EXEC) {
			snprintf(err, errsz, "exec %s: %s", sp->o->argv[0],
				 strerror(m.err));
		} else if (m.step == STEP_MOUNT) {
			char what[700];

			mounts_op_name(&sp->mounts, m.index, what, sizeof what);
			ns_error(err, errsz, what, m.err);
		} else if (m.step < STEP_SETSID) {
			ns_error(err, errsz, step_name(m.step), m.err);
		} else {
			snprintf(err, errsz, "%s: %s", step_name(m.step),
				 strerror(m.err));
		}
		return m.err > 0 ? -m.err : -EIO;
	}
}

int
pod_spawn(const struct spawn_opts *o, struct pod_child *out, char *err,
	  size_t errsz)
{
	struct spawn_plan *sp;
	int sv[2] = { -1, -1 }, life[2] = { -1, -1 }, slave = -1, rc;
	sigset_t all, old;
	bool into = false;
	uint64_t t0 = now_ns();
	pid_t pid;

	memset(out, 0, sizeof *out);
	out->master = -1;
	out->lifeline = -1;
	sp = xcalloc(1, sizeof *sp);
	if ((rc = spawn_plan_make(sp, o, err, errsz)) < 0)
		goto fail;
	if ((rc = spawn_cgroup(o, sp->profile, out, err, errsz)) < 0)
		goto fail;
	sp->cgroupns_reroot = (sp->nsflags & CLONE_NEWCGROUP) && out->cg;
	if (!sp->devpts) {
		rc = pty_open(&out->master, &slave, o->cols, o->rows, out->tty,
			      sizeof out->tty);
		if (rc < 0) {
			snprintf(err, errsz, "open a terminal: %s", strerror(-rc));
			goto fail;
		}
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		rc = -errno;
		snprintf(err, errsz, "socketpair: %s", strerror(-rc));
		goto fail;
	}
	if (sp->pidns && pipe2(life, O_CLOEXEC) < 0) {
		rc = -errno;
		snprintf(err, errsz, "lifeline pipe: %s", strerror(-rc));
		goto fail;
	}
	sp->sock = sv[1];
	sp->lifeline = life[0];
	sp->slave = slave;

	/* The child must not run the pod's signal handlers: everything is
	 * blocked until it has reset them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = ns_clone(sp->nsflags, cgroup_clone_fd(out->cg), &into);
	if (pid == 0)
		child_main(sp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(sv[1]);
	sv[1] = -1;
	if (life[0] >= 0)
		close(life[0]);
	life[0] = -1;
	if (slave >= 0)
		close(slave);
	slave = -1;
	if (pid < 0) {
		char nsd[96], step[128];

		rc = pid;
		ns_describe(sp->nsflags, nsd, sizeof nsd);
		snprintf(step, sizeof step, "clone (%s namespaces)", nsd);
		if (sp->nsflags)
			ns_error(err, errsz, step, -rc);
		else
			snprintf(err, errsz, "fork: %s", strerror(-rc));
		goto fail;
	}

	/* Step 2, still in the pod: cgroup, maps, release. */
	if (out->cg) {
		int arc = cgroup_attach(out->cg, pid, !into);

		if (arc < 0) {
			char w[300];

			snprintf(w, sizeof w, "cgroup not joined: %s: %s",
				 cgroup_describe(out->cg), strerror(-arc));
			if (o->iso && o->iso->strict && iso_limits(o->iso)) {
				log_warn(o->log, "%s", w);
				snprintf(err, errsz, "%s (strict: pane refused)", w);
				rc = arc;
				goto fail_child;
			}
			notice_add(out, w);
		}
	}
	if (sp->nsflags & CLONE_NEWUSER) {
		const char *what = "uid_map";

		if ((rc = ns_write_maps(pid, &sp->id, &what)) < 0) {
			char step[64];

			snprintf(step, sizeof step, "write %s", what);
			ns_error(err, errsz, step, -rc);
			goto fail_child;
		}
	}
	if (send(sv[0], "g", 1, MSG_NOSIGNAL) != 1) {
		rc = -errno;
		snprintf(err, errsz, "release the pane: %s", strerror(errno));
		goto fail_child;
	}
	if ((rc = spawn_wait(sp, sv[0], out, err, errsz)) < 0)
		goto fail_child;
	if (out->master < 0) {
		rc = -EIO;
		snprintf(err, errsz, "the pane's terminal did not arrive");
		goto fail_child;
	}
	close(sv[0]);
	out->pid = pid;
	out->pidns = sp->pidns;
	out->lifeline = life[1];
	spawn_log(o, sp, out, t0);
	free(sp);
	return 0;

fail_child:
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
fail:
	for (int i = 0; i < 2; i++) {
		if (sv[i] >= 0)
			close(sv[i]);
		if (life[i] >= 0)
			close(life[i]);
	}
	if (slave >= 0)
		close(slave);
	if (out->master >= 0)
		close(out->master);
	out->master = -1;
	if (out->cg) {
		cgroup_kill(out->cg);
		cgroup_destroy(out->cg);
		out->cg = NULL;
	}
	free(sp);
	return rc;
}

/* Signal every process whose session is sid (the pane's shell made it
 * with setsid); how many were signalled. */
static int
kill_session(pid_t sid, int sig)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[64], buf[512], *p;
		long pid, sess;
		int fd;
		ssize_t len;

		pid = strtol(e->d_name, &p, 10);
		if (*p || pid <= 1)
			continue;
		snprintf(path, sizeof path, "/proc/%ld/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		/* "pid (comm) state ppid pgrp session ...": comm may hold
		 * spaces and parentheses, so count from the last ')'. */
		p = strrchr(buf, ')');
		if (!p || sscanf(p + 1, " %*c %*d %*d %ld", &sess) != 1)
			continue;
		if (sess == sid && kill((pid_t)pid, sig) == 0)
			n++;
	}
	closedir(d);
	return n;
}

void
pod_child_kill(struct pod_child *c, int sig)
{
	if (c->pid <= 0)
		return;
	if (c->pidns) {
		/* The init passes sig on and ends the namespace (podinit.h);
		 * SIGKILL ends it at once. */
		kill(c->pid, sig);
		return;
	}
	/* The whole session of the pane: the shell and its jobs, which are
	 * process groups of their own. */
	if (kill_session(c->pid, sig) == 0)
		kill(c->pid, sig);
	if (sig == SIGKILL && c->cg)
		cgroup_kill(c->cg);
}

void
pod_child_release(struct pod_child *c, struct hlog *log)
{
	if (c->cg) {
		int rc = cgroup_kill(c->cg);

		if (rc < 0)
			log_warn(log, "cgroup %s: kill: %s", cgroup_describe(c->cg),
				 strerror(-rc));
		cgroup_destroy(c->cg);
		c->cg = NULL;
	}
	if (c->master >= 0)
		close(c->master);
	c->master = -1;
	if (c->lifeline >= 0)
		close(c->lifeline);
	c->lifeline = -1;
	c->pid = 0;
}
