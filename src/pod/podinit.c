/*
 * podinit — the pane's PID 1.
 */
#include "pod/podinit.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* The init is a copy of the pod: without this, `ps` in the pane shows
 * PID 1 as the pod's whole command line. Overwrite that memory (this
 * process's own copy) with "hexe-init". Best effort. */
static void
rename_self(void)
{
	char buf[1024], *p;
	unsigned long start = 0, end = 0;
	ssize_t n;
	int fd, field = 2;

	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	/* Fields after the command name, which may hold spaces: arg_start
	 * and arg_end are fields 48 and 49. */
	p = strrchr(buf, ')');
	if (!p)
		return;
	while (*p && field < 49) {
		if (*p++ != ' ')
			continue;
		field++;
		if (field == 48 || field == 49) {
			unsigned long v = 0;

			while (*p >= '0' && *p <= '9')
				v = v * 10 + (unsigned long)(*p++ - '0');
			if (field == 48)
				start = v;
			else
				end = v;
		}
	}
	if (!start || end <= start + sizeof "hexe-init")
		return;
	memset((void *)start, 0, end - start);
	memcpy((void *)start, "hexe-init", sizeof "hexe-init" - 1);
}

static void __attribute__((noreturn))
exit_like(int status)
{
	if (WIFEXITED(status))
		_exit(WEXITSTATUS(status));
	/* PID 1 cannot kill itself with the shell's signal: the
	 * conventional 128 + signal stands for it. */
	_exit(128 + (WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL));
}

/* Reap every child that has exited; leave when the shell was one. */
static void
reap(pid_t shell)
{
	int status;
	pid_t r;

	while ((r = waitpid(-1, &status, WNOHANG)) > 0) {
		if (r == shell)
			exit_like(status);
	}
}

/* The pod asked the pane to end: pass the signal on to every process of
 * the pane (kill(-1) from PID 1 spares only itself), and give them a grace
 * period. */
static int
hang_up(int sig, int timer)
{
	struct itimerspec its;

	kill(-1, sig);
	if (timer >= 0)
		return timer;
	timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (timer < 0)
		_exit(128 + sig);
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = PODINIT_GRACE_MS / 1000;
	its.it_value.tv_nsec = (PODINIT_GRACE_MS % 1000) * 1000000L;
	timerfd_settime(timer, 0, &its, NULL);
	return timer;
}

void
podinit_run(pid_t shell, int lifeline)
{
	struct signalfd_siginfo si;
	struct pollfd pfd[3];
	sigset_t set;
	int sfd, timer = -1;

	prctl(PR_SET_NAME, "hexe-init", 0, 0, 0);
	/* Nothing of the init is the pane's to read or trace. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	rename_self();
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		/* Still an init: reap until the shell is gone. */
		int status;
		pid_t r;

		for (;;) {
			r = waitpid(-1, &status, 0);
			if (r == shell)
				exit_like(status);
			if (r < 0 && errno == ECHILD)
				_exit(127);
		}
	}
	reap(shell);
	for (;;) {
		int n = 2;

		pfd[0] = (struct pollfd){ sfd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ lifeline, POLLIN, 0 };
		if (timer >= 0)
			pfd[n++] = (struct pollfd){ timer, POLLIN, 0 };
		if (poll(pfd, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			_exit(127);
		}
		if (pfd[1].revents)
			_exit(128 + SIGKILL); /* the pod is gone */
		if (n > 2 && pfd[2].revents)
			_exit(128 + SIGKILL); /* the grace period is over */
		while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
			if (si.ssi_signo == SIGCHLD)
				continue;
			/* A sender outside the pid namespace shows as pid 0:
			 * that is the pod. */
			if (si.ssi_pid == 0)
				timer = hang_up((int)si.ssi_signo, timer);
		}
		reap(shell);
	}
}
