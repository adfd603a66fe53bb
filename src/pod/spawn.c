/*
 * spawn — the one place that starts a pane's program.
 *
 * Runs in the pod process (parent) and in the forked child. The child does
 * only async-signal-safe work between fork and exec and reports failure as
 * (step, errno) through a close-on-exec pipe.
 */

#include "pod/spawn.h"

#include "pod/pty.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum spawn_step {
	STEP_SETSID = 1,
	STEP_CTTY,
	STEP_DUP,
	STEP_EXEC,
};

struct spawn_report {
	int step;
	int err;
};

static const char *
step_name(int step)
{
	switch (step) {
	case STEP_SETSID: return "setsid";
	case STEP_CTTY: return "set controlling terminal";
	case STEP_DUP: return "attach the terminal";
	case STEP_EXEC: return "exec";
	default: return "spawn";
	}
}

/* Child: report and exit. Never returns. */
static void __attribute__((noreturn))
child_fail(int fd, int step)
{
	struct spawn_report r = { step, errno };

	(void)!write(fd, &r, sizeof r);
	_exit(127);
}

static void
child_reset_signals(void)
{
	sigset_t all;
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
}

static void
child_close_fds(int keep)
{
	/* close_range exists on every kernel hexe supports (5.9+); the loop
	 * is for older ones. */
	if (keep > 3 && syscall(SYS_close_range, 3, keep - 1, 0) == 0 &&
	    syscall(SYS_close_range, keep + 1, ~0u, 0) == 0)
		return;
	if (keep == 3 && syscall(SYS_close_range, 4, ~0u, 0) == 0)
		return;
	for (int fd = 3; fd < 65536; fd++) {
		if (fd != keep)
			close(fd);
	}
}

static void __attribute__((noreturn))
child_run(const struct spawn_opts *o, int slave, int report)
{
	char notice[700];
	char *const *argv = o->argv;

	child_reset_signals();
	if (setsid() < 0)
		child_fail(report, STEP_SETSID);
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		child_fail(report, STEP_CTTY);
	if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 ||
	    dup2(slave, 2) < 0)
		child_fail(report, STEP_DUP);
	/* The report pipe must survive until exec; move it above 2. */
	if (report < 3) {
		int r = fcntl(report, F_DUPFD_CLOEXEC, 3);

		if (r < 0)
			child_fail(report, STEP_DUP);
		report = r;
	}
	child_close_fds(report);
	if (o->cwd && *o->cwd && chdir(o->cwd) < 0) {
		int n = snprintf(notice, sizeof notice,
				 "hexe: cannot enter %s (%s); starting in /\r\n",
				 o->cwd, strerror(errno));

		if (n > 0)
			(void)!write(1, notice, (size_t)n);
		(void)!chdir("/");
	}
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
	child_fail(report, STEP_EXEC);
}

/* Parent side: the child's report, or 0 when exec succeeded. */
static int
read_report(int fd, const struct spawn_opts *o, pid_t child, char *err,
	    size_t errsz)
{
	struct spawn_report r;
	ssize_t n;

	do {
		n = read(fd, &r, sizeof r);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof r)
		return 0;
	if (r.step == STEP_EXEC)
		snprintf(err, errsz, "exec %s: %s", o->argv[0], strerror(r.err));
	else
		snprintf(err, errsz, "%s: %s", step_name(r.step), strerror(r.err));
	waitpid(child, NULL, 0);
	return -r.err;
}

int
pod_spawn(const struct spawn_opts *o, struct pod_child *out, char *err,
	  size_t errsz)
{
	int p[2], slave, rc;
	pid_t child;

	memset(out, 0, sizeof *out);
	out->master = -1;
	if (o->iso && o->iso->profile != PROFILE_NONE) {
		snprintf(err, errsz, "profile \"%s\" is not available yet",
			 profile_name(o->iso->profile));
		return -ENOTSUP;
	}
	rc = pty_open(&out->master, &slave, o->cols, o->rows, out->tty,
		      sizeof out->tty);
	if (rc < 0) {
		snprintf(err, errsz, "open a terminal: %s", strerror(-rc));
		return rc;
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		rc = -errno;
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		goto fail;
	}
	child = fork();
	if (child < 0) {
		rc = -errno;
		snprintf(err, errsz, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		goto fail;
	}
	if (child == 0) {
		close(p[0]);
		child_run(o, slave, p[1]);
	}
	close(p[1]);
	rc = read_report(p[0], o, child, err, errsz);
	close(p[0]);
	if (rc < 0)
		goto fail;
	close(slave);
	out->pid = child;
	return 0;
fail:
	close(slave);
	close(out->master);
	out->master = -1;
	return rc;
}

void
pod_child_kill(struct pod_child *c, int sig)
{
	if (c->pid <= 0)
		return;
	/* The whole session of the pane: the shell and its jobs. */
	if (kill(-c->pid, sig) < 0)
		kill(c->pid, sig);
}

void
pod_child_release(struct pod_child *c, struct hlog *log)
{
	(void)log;
	if (c->master >= 0)
		close(c->master);
	c->master = -1;
	c->pid = 0;
}
