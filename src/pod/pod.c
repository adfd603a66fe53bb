/*
 * pod — the process that owns one pane.
 *
 * Everything here runs in the pod process, on its one libuv loop: the PTY
 * is always drained (whether or not a ses listens), its bytes go through
 * the emulator, and screen changes leave as coalesced PANE_UPDATE frames:
 * the first change after a quiet spell at once, later ones merged per
 * frame (POD_FRAME_MS).
 */
#include "pod/pod.h"
#include "pod/pod_int.h"

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "core/conn.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/slice.h"
#include "core/proto.h"
#include "core/util.h"
#include "pod/isolation.h"
#include "pod/pty.h"
#include "pod/spawn.h"
#include "pod/vt.h"

/* ---- environment ---- */

/* The pane sees the client's environment, hexe's three public variables
 * and TERM; every other HEXE_* variable stays with hexe. */
static bool
env_private(const char *kv)
{
	static const char *const keep[] = { "HEXE_INSTANCE=", "HEXE_SESSION=",
					    "HEXE_PANE=" };

	if (strncmp(kv, "HEXE_", 5) != 0)
		return strncmp(kv, "TERM=", 5) == 0 ||
		       strncmp(kv, "COLORTERM=", 10) == 0;
	for (size_t i = 0; i < ARRAY_SIZE(keep); i++) {
		if (strncmp(kv, keep[i], strlen(keep[i])) == 0)
			return false;
	}
	return true;
}

static char **
child_env(struct pod *pod)
{
	extern char **environ;
	size_t n = 0, i = 0;
	char **env;

	for (char **e = environ; *e; e++)
		n++;
	env = xcalloc(n + 6, sizeof *env);
	for (char **e = environ; *e; e++) {
		if (!env_private(*e))
			env[i++] = xstrdup(*e);
	}
	env[i++] = xstrdup("TERM=xterm-256color");
	env[i++] = xstrdup("COLORTERM=truecolor");
	env[i++] = xasprintf("HEXE_INSTANCE=%s", pod->o.instance);
	env[i++] = xasprintf("HEXE_SESSION=%s", pod->o.session);
	env[i++] = xasprintf("HEXE_PANE=%u", pod->o.id);
	env[i] = NULL;
	/* Later duplicates of the three lose to these; drop earlier ones. */
	return env;
}

static void
strv_free_plain(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* ---- info ---- */

static void
pod_cwd(struct pod *pod, char *out, size_t n)
{
	const struct pane_state *st = vt_state(pod->vt);
	char link[64];
	pid_t pg;
	ssize_t len;

	if (st->cwd[0]) {
		snprintf(out, n, "%s", st->cwd);
		return;
	}
	out[0] = '\0';
	pg = pod->master >= 0 ? tcgetpgrp(pod->master) : -1;
	if (pg <= 0)
		pg = pod->child;
	if (pg <= 0)
		return;
	snprintf(link, sizeof link, "/proc/%d/cwd", (int)pg);
	len = readlink(link, out, n - 1);
	if (len < 0 && pg != pod->child) {
		snprintf(link, sizeof link, "/proc/%d/cwd", (int)pod->child);
		len = readlink(link, out, n - 1);
	}
	out[len > 0 ? len : 0] = '\0';
}

void
pod_send_info(struct pod *pod, struct conn *c)
{
	const struct pane_state *st = vt_state(pod->vt);
	char cwd[1024];
	struct msg_pod_info m;
	struct wbuf b;
	size_t argc = 0;

	for (char **a = pod->o.argv; a && *a; a++)
		argc++;
	pod_cwd(pod, cwd, sizeof cwd);
	memset(&m, 0, sizeof m);
	m.version = PROTO_VERSION;
	m.pane = (uint16_t)pod->o.id;
	m.pod_pid = (uint32_t)getpid();
	m.child_pid = (uint32_t)(pod->child > 0 ? pod->child : 0);
	m.state = pod->child_exited ? POD_EXITED
		  : pod->child > 0  ? POD_RUNNING
				    : POD_STARTING;
	m.exit_status = pod->child_status;
	m.cols = (uint16_t)pod->o.cols;
	m.rows = (uint16_t)pod->o.rows;
	m.created = pod->created;
	m.session = (char *)pod->o.session;
	m.cwd = cwd;
	m.title = (char *)st->title;
	m.profile = (char *)profile_name(pod->iso.profile);
	m.info = pod->info;
	m.argv.n = (uint32_t)argc;
	m.argv.v = pod->o.argv;
	wbuf_init(&b);
	msg_pod_info_encode(&b, &m);
	conn_send(c, &b);
	wbuf_free(&b);
}

/* ---- PTY ---- */

static void
pod_flush_replies(struct pod *pod)
{
	struct wbuf *r = vt_replies(pod->vt);

	if (r->len) {
		wbuf_put(&pod->to_pty, r->data, r->len);
		wbuf_reset(r);
	}
}

void
pod_write_pty(struct pod *pod)
{
	if (wbuf_write_fd(&pod->to_pty, pod->master) < 0) {
		/* The child is gone; what it did not read is lost with it. */
		wbuf_reset(&pod->to_pty);
	}
	if (pod->to_pty.len < POD_INPUT_HIGH / 2)
		pod_peers_resume(pod);
}

static void
frame_timer_cb(uv_timer_t *t)
{
	struct pod *pod = t->data;

	pod->timer_armed = false;
	pod_broadcast(pod);
}

/* Leading-edge coalescing: send now if the last frame went out more than a
 * frame ago, otherwise once the frame is over. */
void
pod_schedule_update(struct pod *pod)
{
	uint64_t now = now_ms();

	if (pod->timer_armed || !vt_dirty(pod->vt) || !pod_has_viewers(pod))
		return;
	if (now - pod->last_sent_ms >= POD_FRAME_MS) {
		pod_broadcast(pod);
		/* Output usually keeps coming; catch it at the frame's end. */
		pod->timer_armed = true;
		uv_timer_start(&pod->frame_timer, frame_timer_cb, POD_FRAME_MS, 0);
		return;
	}
	pod->timer_armed = true;
	uv_timer_start(&pod->frame_timer, frame_timer_cb,
		       POD_FRAME_MS - (now - pod->last_sent_ms), 0);
}

/* A pod busy with a flood gives up the short time slice it keeps for
 * answering keystrokes, and takes it back once the pane is calm again. */
static void
pod_note_rate(struct pod *pod, size_t n)
{
	uint64_t now = now_ms();
	bool flooding;

	if (now - pod->rate_start_ms >= POD_RATE_WINDOW_MS) {
		/* A window that ended long ago says nothing of now. */
		flooding = pod->rate_bytes >= POD_FLOOD_BYTES &&
			   now - pod->rate_start_ms < 2 * POD_RATE_WINDOW_MS;
		pod->rate_start_ms = now;
		pod->rate_bytes = 0;
	} else {
		flooding = pod->flooding;
	}
	pod->rate_bytes += n;
	flooding |= pod->rate_bytes >= POD_FLOOD_BYTES;
	if (flooding != pod->flooding) {
		pod->flooding = flooding;
		slice_set(!flooding);
	}
}

static void
pod_read_pty(struct pod *pod)
{
	char buf[65536];
	size_t total = 0;

	while (total < POD_READ_MAX) {
		ssize_t n = read(pod->master, buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			/* EIO: every slave fd is closed — the child and all
			 * it started are gone from the terminal. */
			pod->pty_eof = true;
			break;
		}
		vt_input(pod->vt, buf, (size_t)n);
		total += (size_t)n;
		if (n < 1024)
			break; /* drained for now; the poll says when there is more */
	}
	pod_note_rate(pod, total);
	pod_flush_replies(pod);
	if (pod->to_pty.len)
		pod_write_pty(pod);
	pod_schedule_update(pod);
}

static void
pty_poll_cb(uv_poll_t *p, int status, int events)
{
	struct pod *pod = p->data;

	if (status < 0) {
		pod->pty_eof = true;
	} else {
		if (events & UV_READABLE)
			pod_read_pty(pod);
		if (events & UV_WRITABLE)
			pod_write_pty(pod);
	}
	pod_update_poll(pod);
	pod_maybe_finish(pod);
}

void
pod_update_poll(struct pod *pod)
{
	int ev = 0;

	if (pod->master < 0)
		return;
	if (!pod->pty_eof)
		ev |= UV_READABLE;
	if (pod->to_pty.len && !pod->pty_eof)
		ev |= UV_WRITABLE;
	if (ev == pod->pty_events)
		return;
	pod->pty_events = ev;
	if (ev)
		uv_poll_start(&pod->pty_poll, ev, pty_poll_cb);
	else
		uv_poll_stop(&pod->pty_poll);
}

/* ---- life and death ---- */

void
pod_kill_child(struct pod *pod, int sig)
{
	if (pod->child > 0 && !pod->child_exited)
		pod_child_kill(&pod->pc, sig);
}

static void
pod_quit(struct pod *pod)
{
	if (pod->quitting)
		return;
	pod->quitting = true;
	log_info(&pod->log, "pod ends");
	unlink(pod->sock_path);
	uv_stop(pod->loop);
}

static void
linger_cb(uv_timer_t *t)
{
	pod_quit(t->data);
}

/* The pane is over when the child has exited and the PTY is drained; then
 * the final screen and the exit status go to ses, and the pod leaves once
 * they are written (or after a while with nobody to tell). */
void
pod_maybe_finish(struct pod *pod)
{
	if (!pod->child_exited || !pod->pty_eof || pod->quitting)
		return;
	if (pod->ses && !pod->exit_sent) {
		struct msg_exit_status m = { pod->child_status };
		struct wbuf b;

		pod_broadcast(pod);
		wbuf_init(&b);
		msg_exit_status_encode(&b, MSG_POD_EXIT, (uint16_t)pod->o.id, &m);
		conn_send(&pod->ses->conn, &b);
		wbuf_free(&b);
		pod->exit_sent = true;
	}
	if (pod->ses && conn_backlog(&pod->ses->conn) == 0 && pod->exit_sent) {
		pod_quit(pod);
		return;
	}
	if (!uv_is_active((uv_handle_t *)&pod->linger))
		uv_timer_start(&pod->linger, linger_cb, POD_LINGER_MS, 0);
}

static void
sigchld_cb(uv_signal_t *s, int signum)
{
	struct pod *pod = s->data;
	int status;
	pid_t r;

	(void)signum;
	while ((r = waitpid(-1, &status, WNOHANG)) > 0) {
		if (r != pod->child)
			continue;
		pod->child_exited = true;
		pod->child_status = status;
		log_info(&pod->log, "child %d exited: %s %d", (int)r,
			 WIFSIGNALED(status) ? "signal" : "status",
			 WIFSIGNALED(status) ? WTERMSIG(status)
					     : WEXITSTATUS(status));
	}
	if (pod->child_exited) {
		/* Drain what the child wrote last before reporting. */
		if (!pod->pty_eof)
			pod_read_pty(pod);
		pod_update_poll(pod);
		pod_maybe_finish(pod);
	}
}

static void
sigterm_cb(uv_signal_t *s, int signum)
{
	struct pod *pod = s->data;

	log_info(&pod->log, "signal %d: ending the pane", signum);
	pod_kill_child(pod, SIGHUP);
}

/* ---- start-up ---- */

/* Take the isolation options (--profile=, --memory=, ...) out of argv
 * before getopt sees the rest. */
static int
take_isolation_args(int *argc, char **argv, struct isolation *iso, char *err,
		    size_t n)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		int rc = 0;

		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		rc = isolation_from_arg(iso, argv[i], err, n);
		if (rc < 0)
			return -1;
		if (rc == 0)
			argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

static int
parse_opts(int argc, char **argv, struct pod_opts *o, char *err, size_t n)
{
	static const struct option longopts[] = {
		{ "instance", required_argument, NULL, 'i' },
		{ "runtime", required_argument, NULL, 'r' },
		{ "id", required_argument, NULL, 'n' },
		{ "session", required_argument, NULL, 's' },
		{ "cols", required_argument, NULL, 'x' },
		{ "rows", required_argument, NULL, 'y' },
		{ "cwd", required_argument, NULL, 'c' },
		{ "history", required_argument, NULL, 'H' },
		{ "fd", required_argument, NULL, 'f' },
		{ "login", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int ch;

	memset(o, 0, sizeof *o);
	o->cols = 80;
	o->rows = 24;
	o->history = 10000;
	o->ses_fd = -1;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (ch) {
		case 'i': o->instance = optarg; break;
		case 'r': o->runtime = optarg; break;
		case 's': o->session = optarg; break;
		case 'c': o->cwd = optarg; break;
		case 'l': o->login = true; break;
		case 'n':
		case 'x':
		case 'y':
		case 'H':
		case 'f':
			if (!parse_uint(optarg, 1000000, &v)) {
				snprintf(err, n, "pod: bad number \"%s\"", optarg);
				return -1;
			}
			if (ch == 'n') o->id = (unsigned)v;
			if (ch == 'x') o->cols = (int)v;
			if (ch == 'y') o->rows = (int)v;
			if (ch == 'H') o->history = (int)v;
			if (ch == 'f') o->ses_fd = (int)v;
			break;
		default:
			snprintf(err, n, "pod: unknown option");
			return -1;
		}
	}
	if (!o->instance || !o->runtime || !o->session || o->id == 0 ||
	    o->id > 65535 || optind >= argc) {
		snprintf(err, n,
			 "pod: internal command; needs --instance, --runtime, "
			 "--session, --id and -- CMD");
		return -1;
	}
	if (o->cols < 1 || o->rows < 1 || o->cols > 10000 || o->rows > 10000) {
		snprintf(err, n, "pod: size %dx%d out of range", o->cols, o->rows);
		return -1;
	}
	o->argv = argv + optind;
	return 0;
}

static int
pod_start_child(struct pod *pod)
{
	char err[512];
	char **env = child_env(pod);
	char argv0[256];
	struct spawn_opts so;
	int rc;

	memset(&so, 0, sizeof so);
	so.argv = pod->o.argv;
	if (pod->o.login) {
		const char *base = strrchr(pod->o.argv[0], '/');

		snprintf(argv0, sizeof argv0, "-%s",
			 base ? base + 1 : pod->o.argv[0]);
		so.argv0 = argv0;
	}
	so.envp = env;
	so.cwd = pod->o.cwd;
	so.iso = &pod->iso;
	so.instance = pod->o.instance;
	so.runtime = pod->o.runtime; /* what ses said, not a guess */
	so.pane_id = pod->o.id;
	so.cols = pod->o.cols;
	so.rows = pod->o.rows;
	so.log = &pod->log;
	rc = pod_spawn(&so, &pod->pc, err, sizeof err);
	strv_free_plain(env);
	if (rc < 0) {
		char line[700];
		int n = snprintf(line, sizeof line,
				 "hexe: cannot start the pane: %s\r\n", err);

		log_error(&pod->log, "spawn failed: %s", err);
		snprintf(pod->info, sizeof pod->info, "%s", err);
		/* Shown in the pane, so a user sees why it closed. */
		vt_input(pod->vt, line, (size_t)(n > 0 ? n : 0));
		pod->child = 0;
		pod->child_exited = true;
		pod->child_status = 127 << 8;
		pod->pty_eof = true;
		return rc;
	}
	pod->master = pod->pc.master;
	pod->child = pod->pc.pid;
	if (pod->pc.notice[0]) {
		char line[700];
		int n = snprintf(line, sizeof line, "hexe: %s\r\n",
				 pod->pc.notice);

		snprintf(pod->info, sizeof pod->info, "%s", pod->pc.notice);
		vt_input(pod->vt, line, (size_t)(n > 0 ? n : 0));
	}
	{
		char desc[256];

		isolation_describe(&pod->iso, desc, sizeof desc);
		log_info(&pod->log, "pane %u: child %d on %s, %s, cwd %s, cmd %s",
			 pod->o.id, (int)pod->child, pod->pc.tty, desc,
			 pod->o.cwd ? pod->o.cwd : "-", pod->o.argv[0]);
	}
	return 0;
}

static void
pod_init_handles(struct pod *pod)
{
	uv_timer_init(pod->loop, &pod->frame_timer);
	pod->frame_timer.data = pod;
	uv_timer_init(pod->loop, &pod->linger);
	pod->linger.data = pod;
	uv_signal_init(pod->loop, &pod->sig_chld);
	pod->sig_chld.data = pod;
	uv_signal_start(&pod->sig_chld, sigchld_cb, SIGCHLD);
	uv_signal_init(pod->loop, &pod->sig_term);
	pod->sig_term.data = pod;
	uv_signal_start(&pod->sig_term, sigterm_cb, SIGTERM);
	uv_signal_init(pod->loop, &pod->sig_hup);
	pod->sig_hup.data = pod;
	uv_signal_start(&pod->sig_hup, sigterm_cb, SIGHUP);
	uv_signal_init(pod->loop, &pod->sig_int);
	pod->sig_int.data = pod;
	uv_signal_start(&pod->sig_int, sigterm_cb, SIGINT);
}

int
pod_main(int argc, char **argv)
{
	struct pod pod;
	char err[512], logpath[700];
	int rc;

	memset(&pod, 0, sizeof pod);
	isolation_defaults(&pod.iso);
	/* Without --profile a pod is unconfined: ses always says which. */
	pod.iso.profile = PROFILE_NONE;
	if (take_isolation_args(&argc, argv, &pod.iso, err, sizeof err) < 0 ||
	    isolation_check(&pod.iso, err, sizeof err) < 0 ||
	    parse_opts(argc, argv, &pod.o, err, sizeof err) < 0) {
		fprintf(stderr, "hexe: %s\n", err);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	pod.master = -1;
	pod.created = (uint64_t)time(NULL);
	snprintf(logpath, sizeof logpath, "%s/log/pod-%u.log", pod.o.runtime,
		 pod.o.id);
	hlog_open(&pod.log, logpath, "pod");
	wbuf_init(&pod.to_pty);
	pod.vt = vt_new(pod.o.cols, pod.o.rows, pod.o.history);
	pod.loop = uv_default_loop();
	pod_init_handles(&pod);

	snprintf(pod.sock_path, sizeof pod.sock_path, "%s/pod-%u.sock",
		 pod.o.runtime, pod.o.id);
	pod.server.data = &pod;
	rc = conn_listen(pod.loop, &pod.server, pod.sock_path, pod_server_cb);
	pod.server.data = &pod;
	if (rc < 0)
		log_error(&pod.log, "cannot listen on %s: %s (a restarted ses "
			  "will not find this pane)", pod.sock_path, uv_strerror(rc));

	snprintf(logpath, sizeof logpath, "%s/pod-%u.pid", pod.o.runtime, pod.o.id);
	pidfile_write(logpath);
	pod_start_child(&pod);
	/* The spawn's plan (mounts, paths: tens of KiB) is freed now, but
	 * its pages stay with the pod for its whole life unless handed back:
	 * every idle pane would carry them. */
	malloc_trim(0);
	slice_set(true); /* after the spawn: the pane's programs keep theirs */
	if (pod.master >= 0) {
		uv_poll_init(pod.loop, &pod.pty_poll, pod.master);
		pod.pty_poll.data = &pod;
		pod_update_poll(&pod);
	}
	if (pod.o.ses_fd >= 0) {
		struct pod_peer *p = pod_peer_new(&pod);

		fd_cloexec(pod.o.ses_fd);
		conn_open_fd(pod.loop, &p->conn, pod.o.ses_fd, &pod.log);
	}
	pod_maybe_finish(&pod);
	uv_run(pod.loop, UV_RUN_DEFAULT);
	conn_close_loop(pod.loop);
	unlink(logpath);
	pod_kill_child(&pod, SIGHUP);
	uv_loop_close(pod.loop);
	vt_free(pod.vt);
	wbuf_free(&pod.to_pty);
	pod_child_release(&pod.pc, &pod.log);
	hlog_close(&pod.log);
	return 0;
}
