/*
 * ses — the daemon's start-up, accept loop and shutdown.
 */
#include "ses/ses.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/util.h"
#include "pod/cgroup.h"
#include "ses/ses_int.h"

static void
server_cb(uv_stream_t *server, int status)
{
	struct ses *ses = server->data;
	struct peer *c;
	struct conn *conn;

	if (status < 0)
		return;
	c = xcalloc(1, sizeof *c);
	conn = xcalloc(1, sizeof *conn);
	c->id = ++ses->next_client_id;
	c->ses = ses;
	c->conn = conn;
	conn->data = c;
	conn->on_frame = ses_client_on_frame;
	conn->on_close = ses_client_closed;
	conn->on_drain = ses_client_drained;
	snprintf(conn->name, sizeof conn->name, "client %u", c->id);
	c->next = ses->clients;
	ses->clients = c;
	conn_accept(server, conn, &ses->log);
}

static void
signal_cb(uv_signal_t *s, int signum)
{
	struct ses *ses = s->data;

	/* A signal ends the daemon only; pods keep running and the next ses
	 * re-adopts them. */
	log_info(&ses->log, "signal %d: exiting, panes keep running", signum);
	ses->stopping = true;
	uv_stop(ses->loop);
}

/* Pods are the daemon's children until it exits: reap them. */
static void
sigchld_cb(uv_signal_t *s, int signum)
{
	(void)s;
	(void)signum;
	ses_reap_children();
}

static void
check_cb(uv_check_t *h)
{
	struct ses *ses = h->data;

	if (!ses->stopping)
		return;
	for (struct peer *c = ses->clients; c; c = c->next) {
		if (conn_backlog(c->conn) > 0)
			return; /* let the last OK reach `ses stop` */
	}
	uv_stop(ses->loop);
}

static int
take_lock(struct ses *ses, char *err, size_t errsz)
{
	ses->lock_fd = open(ses->paths.ses_lock, O_RDWR | O_CREAT | O_CLOEXEC,
			    0600);
	if (ses->lock_fd < 0) {
		snprintf(err, errsz, "%s: %s", ses->paths.ses_lock,
			 strerror(errno));
		return -1;
	}
	if (flock(ses->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errsz, "another ses holds %s", ses->paths.ses_lock);
		return 1;
	}
	return 0;
}

static int
parse_args(int argc, char **argv, const char **instance)
{
	static const struct option longopts[] = {
		{ "instance", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+i:", longopts, NULL)) != -1) {
		if (ch != 'i')
			return -1;
		*instance = optarg;
	}
	return optind == argc ? 0 : -1;
}

static void
ses_free_all(struct ses *ses)
{
	while (ses->panes)
		ses_pane_free(ses, ses->panes);
	while (ses->sessions)
		ses_session_free(ses, ses->sessions);
	while (ses->unadoptable) {
		struct unadoptable *u = ses->unadoptable;

		ses->unadoptable = u->next;
		free(u);
	}
}

int
ses_main(int argc, char **argv)
{
	struct ses ses;
	const char *instance = NULL;
	char err[512], logpath[700];
	uv_check_t check;
	ssize_t n;
	int rc;

	memset(&ses, 0, sizeof ses);
	if (parse_args(argc, argv, &instance) < 0) {
		fprintf(stderr, "usage: hexe ses --instance NAME   (the daemon; "
				"usually started for you)\n");
		return 2;
	}
	if (paths_init(&ses.paths, instance, err, sizeof err) < 0 ||
	    paths_ensure_runtime(&ses.paths, err, sizeof err) < 0) {
		fprintf(stderr, "hexe: %s\n", err);
		return 1;
	}
	rc = take_lock(&ses, err, sizeof err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "hexe: %s\n", err);
		return rc < 0 ? 1 : 0;
	}
	n = readlink("/proc/self/exe", ses.self_exe, sizeof ses.self_exe - 1);
	if (n <= 0)
		snprintf(ses.self_exe, sizeof ses.self_exe, "/proc/self/exe");
	else
		ses.self_exe[n] = '\0';
	snprintf(logpath, sizeof logpath, "%s/ses.log", ses.paths.log);
	hlog_open(&ses.log, logpath, "ses");
	signal(SIGPIPE, SIG_IGN);
	ses.loop = uv_default_loop();
	log_info(&ses.log, "ses starting for instance %s", ses.paths.instance);
	{
		extern char **environ;

		/* A broken config leaves the defaults in place: the errors
		 * are logged and `hexe config check` prints them. */
		config_load(&ses.config, ses.paths.config, environ, 0);
		config_log(&ses.config, &ses.log);
	}

	uv_signal_init(ses.loop, &ses.sig_chld);
	uv_signal_start(&ses.sig_chld, sigchld_cb, SIGCHLD);
	uv_timer_init(ses.loop, &ses.sweep_timer);
	ses.sweep_timer.data = &ses;
	{
		/* v2: move ses (and so every pod) into <base>/hexe-<instance>/ses
		 * so that the base may pass controllers to the pane cgroups. */
		struct cgroup_sys sys;
		char cerr[512];

		if (cgroup_probe(&sys, NULL, NULL, cerr, sizeof cerr) == 0 &&
		    cgroup_enter_leaf(&sys, ses.paths.instance, cerr,
				      sizeof cerr) < 0)
			log_warn(&ses.log, "cgroup v2 limits for panes: %s", cerr);
	}
	ses.restoring = true;
	ses_state_load(&ses);
	ses_adopt_all(&ses);
	ses_state_prune(&ses);
	ses.restoring = false;
	ses_state_save(&ses);
	ses_cgroup_sweep(&ses);

	ses.server.data = &ses;
	rc = conn_listen(ses.loop, &ses.server, ses.paths.ses_sock, server_cb);
	ses.server.data = &ses;
	if (rc < 0) {
		log_error(&ses.log, "cannot listen on %s: %s", ses.paths.ses_sock,
			  uv_strerror(rc));
		return 1;
	}
	uv_signal_init(ses.loop, &ses.sig_term);
	ses.sig_term.data = &ses;
	uv_signal_start(&ses.sig_term, signal_cb, SIGTERM);
	uv_signal_init(ses.loop, &ses.sig_int);
	ses.sig_int.data = &ses;
	uv_signal_start(&ses.sig_int, signal_cb, SIGINT);
	uv_signal_init(ses.loop, &ses.sig_hup);
	ses.sig_hup.data = &ses;
	uv_signal_start(&ses.sig_hup, signal_cb, SIGHUP);
	uv_check_init(ses.loop, &check);
	check.data = &ses;
	uv_check_start(&check, check_cb);

	snprintf(logpath, sizeof logpath, "%s/ses.pid", ses.paths.runtime);
	pidfile_write(logpath);
	uv_run(ses.loop, UV_RUN_DEFAULT);

	unlink(logpath);
	unlink(ses.paths.ses_sock);
	log_info(&ses.log, "ses exits");
	conn_close_loop(ses.loop);
	uv_loop_close(ses.loop);
	ses_free_all(&ses);
	config_free(&ses.config);
	hlog_close(&ses.log);
	close(ses.lock_fd);
	return 0;
}
