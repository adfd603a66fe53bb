/*
 * contender — command lines for hexe, tmux and the bare shell.
 *
 * hexe runs with `--instance` naming a private instance (its runtime dir
 * and state live under the harness's temporary XDG dirs); tmux with -L, a
 * socket under TMUX_TMPDIR (also temporary), and -f, a config that turns
 * the status bar off and keeps the same 10,000 lines of history as hexe.
 */
#include "contender.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

void
contender_init(struct contender *ct, enum contender_kind kind,
	       const char *name, const char *exe, const char *conf)
{
	memset(ct, 0, sizeof *ct);
	ct->kind = kind;
	ct->name = name;
	ct->exe = exe;
	ct->conf = conf;
	contender_fresh(ct, "init");
}

void
contender_fresh(struct contender *ct, const char *tag)
{
	ct->generation++;
	snprintf(ct->server, sizeof ct->server, "bench%d-%s-%s%d", (int)getpid(),
		 ct->name, tag, ct->generation);
}

/* ---- helper commands ---- */

static int
pidfd_open_(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int
run_cmd(char *const argv[], char *out, size_t outsz, int timeout_ms)
{
	int pfd[2], pidfd, status = -1;
	size_t len = 0;
	uint64_t end = now_ns() + (uint64_t)timeout_ms * 1000000u;
	pid_t pid;
	bool done = false;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		closefrom(3);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	fcntl(pfd[0], F_SETFL, O_NONBLOCK);
	pidfd = pidfd_open_(pid);
	/* Done when the command has exited; its output is read until then
	 * and once more after (a daemon it started holds no pipe of ours:
	 * both hexe and tmux daemonise onto /dev/null). */
	while (!done) {
		struct pollfd ex[2] = { { pidfd, POLLIN, 0 },
					{ pfd[0], POLLIN, 0 } };
		uint64_t now = now_ns();

		if (now >= end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			status = -1;
			break;
		}
		term_pump_all_fds(pidfd >= 0 ? 50 : 1, ex, pfd[0] >= 0 ? 2 : 1);
		if (ex[1].revents) {
			char buf[4096];
			ssize_t n;

			while ((n = read(pfd[0], buf, sizeof buf)) > 0) {
				if (out && len + 1 < outsz) {
					size_t k = (size_t)n;

					if (k > outsz - 1 - len)
						k = outsz - 1 - len;
					memcpy(out + len, buf, k);
					len += k;
				}
			}
			if (n == 0) {
				close(pfd[0]);
				pfd[0] = -1;
			}
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			done = true;
	}
	if (pfd[0] >= 0) {
		char buf[4096];
		ssize_t n;

		while ((n = read(pfd[0], buf, sizeof buf)) > 0) {
			if (out && len + (size_t)n + 1 < outsz) {
				memcpy(out + len, buf, (size_t)n);
				len += (size_t)n;
			}
		}
		close(pfd[0]);
	}
	if (pidfd >= 0)
		close(pidfd);
	if (out && outsz)
		out[len] = '\0';
	return status;
}

static bool
ok(int status)
{
	return status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Run a helper; on failure say what it printed. 0 or -1. */
static int
checked(char *const argv[])
{
	char out[2048];
	int st = run_cmd(argv, out, sizeof out, 30000);

	if (ok(st))
		return 0;
	fprintf(stderr, "  ! %s %s %s %s: %s", argv[0], argv[1] ? argv[1] : "",
		argv[2] && argv[3] ? argv[3] : "",
		argv[2] && argv[3] && argv[4] ? argv[4] : "", out);
	return -1;
}

/* ---- argv building ---- */

struct argv {
	char *v[64];
	int n;
};

static void
arg(struct argv *a, const char *s)
{
	if (a->n < 63)
		a->v[a->n++] = (char *)s;
	a->v[a->n] = NULL;
}

/* The command's fixed head: which server it talks to. */
static void
head(struct contender *ct, struct argv *a)
{
	a->n = 0;
	arg(a, ct->exe);
	if (ct->kind == CT_HEXE) {
		arg(a, "--instance");
		arg(a, ct->server);
	} else if (ct->kind == CT_TMUX) {
		arg(a, "-L");
		arg(a, ct->server);
		arg(a, "-f");
		arg(a, ct->conf);
	}
}

struct term *
contender_new_session(struct contender *ct, int cols, int rows,
		      const char *name)
{
	struct argv a;

	if (ct->kind == CT_BARE) {
		char *v[] = { "/bin/bash", NULL };

		return term_spawn(cols, rows, v, "-bash");
	}
	head(ct, &a);
	if (ct->kind == CT_HEXE) {
		arg(&a, "mux");
		arg(&a, "new");
		arg(&a, "-s");
	} else {
		arg(&a, "new-session");
		arg(&a, "-s");
	}
	arg(&a, name);
	return term_spawn(cols, rows, a.v, NULL);
}

struct term *
contender_attach(struct contender *ct, int cols, int rows, const char *name)
{
	struct argv a;

	head(ct, &a);
	if (ct->kind == CT_HEXE) {
		arg(&a, "mux");
		arg(&a, "attach");
		arg(&a, name);
	} else {
		arg(&a, "attach-session");
		arg(&a, "-t");
		arg(&a, name);
	}
	return term_spawn(cols, rows, a.v, NULL);
}

int
contender_new_detached(struct contender *ct, const char *name, int cols,
		       int rows, const char *cmd, char *err, size_t errsz)
{
	char x[16], y[16];
	struct argv a;
	int st;

	snprintf(x, sizeof x, "%d", cols);
	snprintf(y, sizeof y, "%d", rows);
	head(ct, &a);
	if (ct->kind == CT_HEXE) {
		arg(&a, "mux");
		arg(&a, "new");
	} else {
		arg(&a, "new-session");
	}
	arg(&a, "-d");
	arg(&a, "-s");
	arg(&a, name);
	arg(&a, "-x");
	arg(&a, x);
	arg(&a, "-y");
	arg(&a, y);
	if (cmd && ct->kind == CT_HEXE) {
		arg(&a, "--");
		arg(&a, cmd);
	} else if (cmd) {
		arg(&a, cmd);
	}
	st = run_cmd(a.v, err, errsz, 30000);
	if (err && errsz) {
		size_t n = strlen(err);

		while (n && (err[n - 1] == '\n' || err[n - 1] == ' '))
			err[--n] = '\0';
	}
	return ok(st) ? 0 : -1;
}

int
contender_split(struct contender *ct, const char *target, bool vertical)
{
	struct argv a;

	head(ct, &a);
	if (ct->kind == CT_HEXE) {
		const char *colon = strchr(target, ':');

		/* hexe's actions work on the focused pane: focus it first */
		if (colon) {
			arg(&a, "mux");
			arg(&a, "action");
			arg(&a, "-t");
			arg(&a, target);
			arg(&a, "pane.focus");
			arg(&a, colon + 1);
			if (checked(a.v) < 0)
				return -1;
			head(ct, &a);
		}
		arg(&a, "mux");
		arg(&a, "action");
		arg(&a, "-t");
		arg(&a, target);
		arg(&a, vertical ? "split.vertical" : "split.horizontal");
	} else {
		arg(&a, "split-window");
		arg(&a, vertical ? "-h" : "-v");
		arg(&a, "-t");
		arg(&a, target);
	}
	return checked(a.v);
}

int
contender_new_tab(struct contender *ct, const char *session)
{
	struct argv a;

	head(ct, &a);
	if (ct->kind == CT_HEXE) {
		arg(&a, "mux");
		arg(&a, "action");
		arg(&a, "-t");
		arg(&a, session);
		arg(&a, "tab.new");
	} else {
		arg(&a, "new-window");
		arg(&a, "-t");
		arg(&a, session);
	}
	return checked(a.v);
}

int
contender_send(struct contender *ct, const char *target,
	       const char *const keys[])
{
	struct argv a;

	head(ct, &a);
	if (ct->kind == CT_HEXE) {
		arg(&a, "mux");
		arg(&a, "send");
	} else {
		arg(&a, "send-keys");
	}
	arg(&a, "-t");
	arg(&a, target);
	for (int i = 0; keys[i]; i++)
		arg(&a, keys[i]);
	return checked(a.v);
}

int
contender_panes(struct contender *ct, const char *session,
		char targets[][32], int max)
{
	static char out[65536];
	struct argv a;
	char *line, *save;
	int n = 0;

	head(ct, &a);
	if (ct->kind == CT_HEXE) {
		arg(&a, "pod");
		arg(&a, "list");
	} else {
		arg(&a, "list-panes");
		arg(&a, "-s");
		arg(&a, "-t");
		arg(&a, session);
		arg(&a, "-F");
		arg(&a, "#{pane_id}");
	}
	if (!ok(run_cmd(a.v, out, sizeof out, 30000)))
		return -1;
	for (line = strtok_r(out, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		if (ct->kind == CT_HEXE) {
			/* ID SESSION PID CWD STATE PROFILE pod=PODPID */
			unsigned id;
			char sess[64];

			if (sscanf(line, "%u %63s", &id, sess) == 2 &&
			    strcmp(sess, session) == 0)
				snprintf(targets[n++], 32, "%s:%u", session, id);
		} else if (line[0] == '%') {
			snprintf(targets[n++], 32, "%s", line);
		}
	}
	return n;
}

int
contender_capture(struct contender *ct, const char *target, char *out,
		  size_t outsz)
{
	struct argv a;

	head(ct, &a);
	if (ct->kind == CT_HEXE) {
		arg(&a, "mux");
		arg(&a, "capture");
		arg(&a, "-t");
		arg(&a, target);
	} else {
		arg(&a, "capture-pane");
		arg(&a, "-p");
		arg(&a, "-t");
		arg(&a, target);
	}
	return ok(run_cmd(a.v, out, outsz, 30000)) ? 0 : -1;
}

/* ---- processes ---- */

/* argv of a process, NUL-separated, into buf; its length or -1. */
static ssize_t
read_cmdline(pid_t pid, char *buf, size_t n)
{
	char path[64];
	ssize_t len;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, n - 1);
	close(fd);
	if (len >= 0)
		buf[len] = '\0';
	return len;
}

/* hexe names its instance on every daemon's command line:
 * `hexe ses --instance NAME`, `hexe pod --instance NAME --id=N ...`. */
static bool
is_hexe_of(const char *cmd, ssize_t len, const char *instance)
{
	const char *p = cmd, *end = cmd + len;
	int i = 0;
	bool role = false;

	for (; p < end; p += strlen(p) + 1, i++) {
		if (i == 1)
			role = strcmp(p, "ses") == 0 || strcmp(p, "pod") == 0;
		if (i == 2 && strcmp(p, "--instance") != 0)
			return false;
		if (i == 3)
			return role && strcmp(p, instance) == 0;
	}
	return false;
}

int
contender_server_pids(struct contender *ct, pid_t *pids, int max)
{
	char buf[4096];
	int n = 0;

	if (ct->kind == CT_TMUX) {
		struct argv a;

		head(ct, &a);
		arg(&a, "display-message");
		arg(&a, "-p");
		arg(&a, "#{pid}");
		if (ok(run_cmd(a.v, buf, sizeof buf, 10000)) && atoi(buf) > 0 &&
		    max > 0)
			pids[n++] = (pid_t)atoi(buf);
		return n;
	}
	if (ct->kind == CT_HEXE) {
		DIR *d = opendir("/proc");
		struct dirent *e;

		while (d && (e = readdir(d)) && n < max) {
			pid_t pid = (pid_t)atoi(e->d_name);
			ssize_t len;

			if (pid <= 0)
				continue;
			len = read_cmdline(pid, buf, sizeof buf);
			if (len > 0 && is_hexe_of(buf, len, ct->server))
				pids[n++] = pid;
		}
		if (d)
			closedir(d);
	}
	return n;
}

static uint64_t
cpu_ns(pid_t pid)
{
	char path[64];
	unsigned long long ns = 0;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

uint64_t
contender_cpu_ns(struct contender *ct, pid_t client)
{
	pid_t pids[CT_MAX_PIDS];
	int n;
	uint64_t sum;

	if (ct->kind == CT_BARE)
		return 0;
	n = contender_server_pids(ct, pids, CT_MAX_PIDS);
	sum = cpu_ns(client);
	for (int i = 0; i < n; i++)
		sum += cpu_ns(pids[i]);
	return sum;
}

int
contender_cpu_each(struct contender *ct, pid_t client, pid_t *pids,
		   uint64_t *ns, int max)
{
	int n;

	if (max < 1)
		return 0;
	pids[0] = client;
	n = 1 + contender_server_pids(ct, pids + 1, max - 1);
	for (int i = 0; i < n; i++)
		ns[i] = cpu_ns(pids[i]);
	return n;
}

void
contender_stop(struct contender *ct)
{
	pid_t pids[CT_MAX_PIDS];
	struct argv a;
	int n;

	if (ct->kind == CT_BARE)
		return;
	n = contender_server_pids(ct, pids, CT_MAX_PIDS);
	head(ct, &a);
	if (ct->kind == CT_HEXE) {
		arg(&a, "ses");
		arg(&a, "stop");
	} else {
		arg(&a, "kill-server");
	}
	if (n > 0)
		run_cmd(a.v, NULL, 0, 15000);
	/* Whatever is left of the processes we saw: by pid, and only while
	 * the pid still names the same program of ours. */
	for (int tries = 0; tries < 100; tries++) {
		int alive = 0;

		for (int i = 0; i < n; i++) {
			char buf[4096];
			ssize_t len = read_cmdline(pids[i], buf, sizeof buf);

			if (len <= 0)
				continue;
			if (ct->kind == CT_HEXE &&
			    !is_hexe_of(buf, len, ct->server))
				continue;
			if (ct->kind == CT_TMUX && !strstr(buf, "tmux"))
				continue;
			alive++;
			if (tries == 50)
				kill(pids[i], SIGKILL);
		}
		if (!alive)
			return;
		term_pump_all(20);
	}
}
