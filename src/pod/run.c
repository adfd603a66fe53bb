/*
 * run — `hexe pod run`: one program in a POD, without a multiplexer, the
 * way bwrap or unshare run one. It goes through the same pod_spawn as
 * every pane (same profiles, limits, setup order and errors), relays the
 * program's terminal to ours, and exits with the program's status.
 *
 * Settings: the command line beats the environment (HEXE_VOIDBOX_PROFILE,
 * HEXE_CGROUP_*), which beats the built-in defaults. The Lua config is
 * not read: a one-shot run says what it wants.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "pod/isolation.h"
#include "pod/run.h"
#include "pod/spawn.h"

#define RUN_USAGE                                                              \
	"usage: hexe pod run [--profile NAME] [--memory SIZE] [--cpu \"QUOTA "  \
	"PERIOD\"]\n"                                                          \
	"                    [--pids N] [--strict] [--bind SRC:DST] "          \
	"[--ro-bind SRC:DST] -- CMD [ARGS...]\n"

/* cgroups of runs live under their own instance name, apart from any
 * daemon's, so that no daemon's sweep of stale pane cgroups touches them. */
#define RUN_INSTANCE "run"

struct run {
	struct isolation iso;
	char **cmd;
	struct pod_child pc;
	struct hlog log;
	struct termios saved;
	bool raw;
	int status;
	bool exited;
};

static int
usage_error(const char *msg)
{
	fprintf(stderr, "hexe pod run: %s\n%s", msg, RUN_USAGE);
	return 2;
}

/* "--opt value", "--opt=value" and the flag "--strict"; stops at "--". */
static int
parse_args(struct run *r, int argc, char **argv, char *err, size_t errsz)
{
	static const char *const with_value[] = { "profile", "memory", "cpu",
						  "pids", "bind", "ro-bind" };
	int i;

	for (i = 1; i < argc; i++) {
		char joined[4200];
		const char *a = argv[i];
		int rc;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-')
			break;
		if (strcmp(a, "-p") == 0)
			a = "--profile";
		if (strcmp(a, "--strict") == 0) {
			a = "--strict=1";
		} else if (strncmp(a, "--", 2) == 0 && !strchr(a, '=')) {
			size_t k, n = sizeof with_value / sizeof with_value[0];

			for (k = 0; k < n; k++)
				if (strcmp(a + 2, with_value[k]) == 0)
					break;
			if (k == n) {
				snprintf(err, errsz, "unknown option \"%s\"", a);
				return -1;
			}
			if (i + 1 >= argc) {
				snprintf(err, errsz, "%s needs a value", a);
				return -1;
			}
			snprintf(joined, sizeof joined, "%s=%s", a, argv[++i]);
			a = joined;
		}
		rc = isolation_from_arg(&r->iso, a, err, errsz);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			snprintf(err, errsz, "unknown option \"%s\"", argv[i]);
			return -1;
		}
	}
	if (i >= argc) {
		snprintf(err, errsz, "no command given (after --)");
		return -1;
	}
	r->cmd = argv + i;
	return 0;
}

static void
term_size(int *cols, int *rows)
{
	struct winsize ws;

	*cols = 80;
	*rows = 24;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 &&
	    ws.ws_row > 1) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

/* Our terminal passes every key through to the program's, which does
 * its own line editing and echo. */
static void
raw_on(struct run *r)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &r->saved) < 0)
		return;
	t = r->saved;
	cfmakeraw(&t);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &t) == 0)
		r->raw = true;
}

static void
raw_off(struct run *r)
{
	if (r->raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &r->saved);
	r->raw = false;
}

/* Set by the handler, read by the relay: the one piece of state a
 * signal handler can share. */
static volatile sig_atomic_t winch_seen;

static void
on_signal(int sig)
{
	if (sig == SIGWINCH)
		winch_seen = 1;
}

static void
reap(struct run *r)
{
	int st;

	if (!r->exited && waitpid(r->pc.pid, &st, WNOHANG) == r->pc.pid) {
		r->exited = true;
		r->status = st;
	}
}

/* Output until the terminal has nothing more to say (every writer gone:
 * EIO) and the program has exited; input while there is any. */
static void
relay(struct run *r, sigset_t *wait_mask)
{
	char buf[16384];
	bool in_open = true, out_open = true;
	char last_in = '\n';

	while (out_open || !r->exited) {
		struct pollfd pf[2] = {
			{ r->pc.master, out_open ? POLLIN : 0, 0 },
			/* a closed input is left out: poll would keep
			 * reporting its hang-up */
			{ in_open ? STDIN_FILENO : -1, POLLIN, 0 },
		};
		struct timespec tick = { 0, 50 * 1000 * 1000 };
		int n;

		/* A tick bounds the wait for a program that exits while a
		 * background job still holds its terminal open. */
		n = ppoll(pf, out_open ? 2 : 0, out_open ? NULL : &tick,
			  wait_mask);
		reap(r);
		if (winch_seen) {
			struct winsize ws;

			winch_seen = 0;
			if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
				ioctl(r->pc.master, TIOCSWINSZ, &ws);
		}
		if (n < 0)
			continue;
		if (pf[0].revents) {
			ssize_t k = read(r->pc.master, buf, sizeof buf);

			if (k > 0)
				write_all(STDOUT_FILENO, buf, (size_t)k);
			else if (k == 0 || (errno != EINTR && errno != EAGAIN))
				out_open = false;
		}
		if (pf[1].revents) {
			ssize_t k = read(STDIN_FILENO, buf, sizeof buf);

			if (k > 0) {
				write_all(r->pc.master, buf, (size_t)k);
				last_in = buf[k - 1];
			} else if (k == 0 || (errno != EINTR && errno != EAGAIN)) {
				in_open = false;
				/* Piped input ended: the program reads an
				 * end of file (^D ends a partial line first). */
				if (!r->raw)
					write_all(r->pc.master, "\4\4",
						last_in == '\n' ? 1 : 2);
			}
		}
		if (out_open && r->exited) {
			/* Drain what the program left, without waiting on
			 * jobs that outlive it. */
			while ((n = (int)read(r->pc.master, buf, sizeof buf)) > 0)
				write_all(STDOUT_FILENO, buf, (size_t)n);
			out_open = false;
		}
	}
}

int
pod_run_main(int argc, char **argv)
{
	struct run r;
	struct spawn_opts so;
	struct sigaction sa;
	sigset_t block, wait_mask;
	char err[512], cwd[4096];
	extern char **environ;
	int cols, rows, rc;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
			 strcmp(argv[1], "-h") == 0)) {
		printf("%s\nrun CMD in a POD, as a pane would run it, without a "
		       "multiplexer; exit with its status\n",
		       RUN_USAGE);
		return 0;
	}
	memset(&r, 0, sizeof r);
	isolation_defaults(&r.iso);
	if (isolation_apply_env(&r.iso, environ, err, sizeof err) < 0) {
		fprintf(stderr, "hexe pod run: %s\n", err);
		return 2;
	}
	if (parse_args(&r, argc, argv, err, sizeof err) < 0)
		return usage_error(err);
	if (isolation_check(&r.iso, err, sizeof err) < 0) {
		fprintf(stderr, "hexe pod run: %s\n", err);
		return 2;
	}

	/* SIGCHLD and SIGWINCH arrive only inside ppoll, so none is lost
	 * between a check and the wait. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGWINCH);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGCHLD);
	sigdelset(&wait_mask, SIGWINCH);

	/* What was applied, and every warning, goes to stderr as one line
	 * each: the pod log of a pane. */
	hlog_open(&r.log, NULL, "pod run");
	if (!getenv("HEXE_LOG_LEVEL"))
		r.log.level = LOG_WARN;
	term_size(&cols, &rows);
	memset(&so, 0, sizeof so);
	so.argv = r.cmd;
	so.envp = environ;
	so.cwd = getcwd(cwd, sizeof cwd) ? cwd : NULL;
	so.iso = &r.iso;
	so.instance = RUN_INSTANCE;
	so.pane_id = (unsigned)getpid();
	so.cols = cols;
	so.rows = rows;
	so.log = &r.log;
	rc = pod_spawn(&so, &r.pc, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "hexe pod run: %s\n", err);
		hlog_close(&r.log);
		return 126;
	}
	raw_on(&r);
	relay(&r, &wait_mask);
	raw_off(&r);
	pod_child_release(&r.pc, &r.log);
	hlog_close(&r.log);
	if (WIFEXITED(r.status))
		return WEXITSTATUS(r.status);
	return 128 + (WIFSIGNALED(r.status) ? WTERMSIG(r.status) : 0);
}
