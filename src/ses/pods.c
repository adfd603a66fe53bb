/*
 * pods — ses's side of every pod: starting one, its connection, routing
 * its answers back to whoever asked, and re-adopting live pods after a
 * restart.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/client.h"
#include "core/util.h"
#include "pod/cgroup.h"
#include "pod/isolation.h"
#include "ses/ses_int.h"

static void pod_on_frame(struct conn *c, const struct frame *f);
static void pod_closed(struct conn *c);

void
ses_pod_send(struct pane *p, struct wbuf *b)
{
	if (p->pod && !p->pod->closing)
		conn_send(p->pod, b);
	else
		wbuf_reset(b);
}

void
ses_pod_request(struct ses *ses, struct pane *p, uint32_t client, uint8_t kind,
		struct wbuf *b)
{
	struct pending *q;

	if (!p->pod || p->pod->closing) {
		struct peer *c = ses_client_by_id(ses, client);

		wbuf_reset(b);
		if (c && (kind == PEND_REPLY || kind == PEND_ACTION))
			ses_client_error(c, p->id, -EPIPE, "pane %u is gone", p->id);
		if (c && kind == PEND_INFO)
			ses_gather_step(ses, client);
		return;
	}
	q = xcalloc(1, sizeof *q);
	q->client = client;
	q->kind = kind;
	if (p->pend_tail)
		p->pend_tail->next = q;
	else
		p->pend_head = q;
	p->pend_tail = q;
	conn_send(p->pod, b);
}

void
ses_pod_request_action(struct ses *ses, struct pane *p, uint32_t client,
		       uint32_t session, const char *action, const char *arg,
		       struct wbuf *b)
{
	struct pending *q;

	ses_pod_request(ses, p, client, PEND_ACTION, b);
	q = p->pend_tail;
	if (!q || q->kind != PEND_ACTION || q->client != client)
		return; /* the pod was gone; the request was refused */
	q->session = session;
	snprintf(q->action, sizeof q->action, "%s", action);
	snprintf(q->arg, sizeof q->arg, "%s", arg);
}

static struct pending *
pend_pop(struct pane *p)
{
	struct pending *q = p->pend_head;

	if (q) {
		p->pend_head = q->next;
		if (!p->pend_head)
			p->pend_tail = NULL;
	}
	return q;
}

static struct conn *
pod_conn_new(struct ses *ses, struct pane *p)
{
	struct conn *c = xcalloc(1, sizeof *c);

	c->data = ses;
	c->on_frame = pod_on_frame;
	c->on_close = pod_closed;
	snprintf(c->name, sizeof c->name, "pod %u", p->id);
	p->pod = c;
	p->pod_version = 0;
	p->view_on = true; /* a pod sends a new ses every update */
	return c;
}

/* The user's shell: $SHELL of the session's client, else /bin/sh. */
static const char *
session_shell(const struct session *s)
{
	for (uint32_t i = 0; i < s->env.n; i++) {
		if (strncmp(s->env.v[i], "SHELL=", 6) == 0 && s->env.v[i][6] == '/')
			return s->env.v[i] + 6;
	}
	return "/bin/sh";
}

static void
say_hello(struct ses *ses, struct pane *p)
{
	struct msg_hello h = { PROTO_VERSION, PROTO_MIN_VERSION, ROLE_SES,
			       (uint32_t)getpid(), ses->paths.instance };
	struct wbuf b;

	wbuf_init(&b);
	msg_hello_encode(&b, &h);
	conn_send(p->pod, &b);
	wbuf_free(&b);
}

/* Pod command line: every hexe process names its instance, so `ps` shows
 * which processes belong together. */
static char **
pod_argv(struct ses *ses, struct pane *p, const struct session *s,
	 const struct pane_spawn *sp, const struct isolation *iso)
{
	size_t n = 0;
	char **v;
	int i = 0;

	for (char **a = sp->argv; a && *a; a++)
		n++;
	v = xcalloc(n + 24 + ISO_ARGV_MAX, sizeof *v);
	v[i++] = xstrdup("hexe");
	v[i++] = xstrdup("pod");
	v[i++] = xstrdup("--instance");
	v[i++] = xstrdup(ses->paths.instance);
	v[i++] = xasprintf("--id=%u", p->id);
	v[i++] = xasprintf("--session=%s", s->name);
	v[i++] = xasprintf("--runtime=%s", ses->paths.runtime);
	v[i++] = xasprintf("--cols=%u", p->cols);
	v[i++] = xasprintf("--rows=%u", p->rows);
	v[i++] = xstrdup("--fd=3");
	v[i++] = xasprintf("--history=%d", ses->config.mux.scrollback);
	if (sp->cwd && *sp->cwd)
		v[i++] = xasprintf("--cwd=%s", sp->cwd);
	if (!n)
		v[i++] = xstrdup("--login");
	isolation_to_argv(iso, v, &i);
	v[i++] = xstrdup("--");
	if (n) {
		for (size_t k = 0; k < n; k++)
			v[i++] = xstrdup(sp->argv[k]);
	} else {
		v[i++] = xstrdup(session_shell(s));
	}
	v[i] = NULL;
	return v;
}

static void
free_v(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

/* Starts the pod: a new session with no terminal, the socket as fd 3,
 * /dev/null on 0-2, no other fd, default signals. posix_spawn's vfork
 * copies nothing of the daemon, where fork copied its whole address
 * space twice (fork, then the fork that detached): the pod is the
 * daemon's child now, reaped on SIGCHLD, and outlives it as before. */
static int
pod_start(struct ses *ses, int sock, char **argv, char **envp, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t all, none;
	int rc;

	sigfillset(&all);
	sigemptyset(&none);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	/* dup2 onto itself clears close-on-exec (POSIX 2024, glibc 2.29) */
	posix_spawn_file_actions_adddup2(&fa, sock, 3);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDWR, 0);
	posix_spawn_file_actions_adddup2(&fa, 0, 1);
	posix_spawn_file_actions_adddup2(&fa, 0, 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 4);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF |
				      POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawn(pid, ses->self_exe, &fa, &at, argv, envp);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

void
ses_reap_children(void)
{
	int status;

	while (waitpid(-1, &status, WNOHANG) > 0)
		;
}

/* The pane's isolation: the environment of the client that created the
 * session beats the config, which beats the built-in defaults. */
static int
resolve_isolation(struct ses *ses, const struct session *s,
		  struct isolation *iso, char *err, size_t errsz)
{
	return config_pane_isolation(&ses->config, NULL, s->env.v, iso, err,
				     errsz);
}

int
ses_pod_spawn(struct ses *ses, struct pane *p, const struct session *s,
	      const struct pane_spawn *sp, char *err, size_t errsz)
{
	char **argv;
	int sv[2], rc;
	struct isolation iso;
	pid_t pid;
	struct conn *c;

	if (sp->iso)
		iso = *sp->iso;
	else if (resolve_isolation(ses, s, &iso, err, errsz) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errsz, "socketpair: %s", strerror(errno));
		return -1;
	}
	argv = pod_argv(ses, p, s, sp, &iso);
	rc = pod_start(ses, sv[1], argv, s->env.v, &pid);
	free_v(argv);
	close(sv[1]);
	if (rc != 0) {
		snprintf(err, errsz, "cannot start the pod: %s", strerror(rc));
		close(sv[0]);
		return -1;
	}
	c = pod_conn_new(ses, p);
	if (conn_open_fd(ses->loop, c, sv[0], &ses->log) < 0) {
		snprintf(err, errsz, "cannot talk to the new pod");
		return -1;
	}
	say_hello(ses, p);
	log_info(&ses->log, "session %s: started pod for pane %u", s->name, p->id);
	return 0;
}

void
ses_pod_kill(struct ses *ses, struct pane *p)
{
	struct wbuf b;

	if (!p->pod || p->pod->closing) {
		/* No pod to wait for: the pane is simply gone. */
		ses_pane_free(ses, p);
		return;
	}
	p->dying = true;
	wbuf_init(&b);
	msg_empty_encode(&b, MSG_POD_KILL, p->id);
	ses_pod_send(p, &b);
	wbuf_free(&b);
}

static struct pane *
pane_of(struct ses *ses, struct conn *c)
{
	for (struct pane *p = ses->panes; p; p = p->next) {
		if (p->pod == c)
			return p;
	}
	return NULL;
}

/* Session from a pod's own record, creating it when a restarted ses first
 * hears of it. */
static struct session *
session_for_info(struct ses *ses, const struct msg_pod_info *m)
{
	struct session *s = ses_session_find(ses, m->session);
	char err[128];

	if (s)
		return s;
	if (ses_valid_session_name(m->session, err, sizeof err) < 0)
		return NULL;
	s = ses_session_new(ses, m->session);
	s->cols = m->cols;
	s->rows = m->rows;
	return s;
}

static void
on_pod_info(struct ses *ses, struct pane *p, const struct frame *f)
{
	struct msg_pod_info m;
	struct pending *q;

	if (msg_pod_info_decode(f, &m) < 0) {
		conn_close(p->pod, "malformed POD_INFO");
		return;
	}
	if (p->have_info)
		msg_pod_info_free(&p->info);
	p->info = m;
	p->have_info = true;
	if (p->pend_head && p->pend_head->kind == PEND_INFO) {
		q = pend_pop(p);
		ses_gather_step(ses, q->client);
		free(q);
	} else if (p->pend_head && p->pend_head->kind == PEND_ACTION) {
		struct session *s;

		q = pend_pop(p);
		s = ses_session_by_id(ses, q->session);
		if (s)
			ses_action_finish(ses, q->client, s, q->action, q->arg,
					  *p->info.cwd ? p->info.cwd : s->cwd);
		free(q);
	}
	if (!p->ready) {
		p->ready = true;
		if (p->session == 0) {
			/* Adopted: place it in its session. */
			struct session *s = session_for_info(ses, &m);

			if (!s) {
				log_warn(&ses->log, "pod %u names an invalid "
					 "session; ending it", p->id);
				ses_pod_kill(ses, p);
				return;
			}
			struct sfloat *fl;

			p->session = s->id;
			p->cols = m.cols;
			p->rows = m.rows;
			/* The state file says where it was; a pane it does not
			 * know gets a tab of its own. */
			if (ses_session_locate(s, p->id, &fl) == -2)
				ses_tab_add(s, "", p->id);
			log_info(&ses->log, "re-adopted pane %u of session %s "
				 "(pod pid %u)", p->id, s->name, m.pod_pid);
			ses_state_save(ses);
		}
		ses_pane_ready(ses, p);
	}
}

static void
on_pod_reply(struct ses *ses, struct pane *p, const struct frame *f)
{
	struct pending *q = pend_pop(p);
	struct peer *c;
	struct wbuf b;

	if (!q) {
		log_warn(&ses->log, "pod %u: unexpected %s", p->id,
			 msg_type_name(f->type));
		return;
	}
	c = ses_client_by_id(ses, q->client);
	free(q);
	if (!c)
		return;
	wbuf_init(&b);
	frame_put(&b, f->type, f->pane, f->payload, f->len);
	ses_client_send(c, &b);
	wbuf_free(&b);
}

static void
on_pod_exit(struct ses *ses, struct pane *p, const struct frame *f)
{
	struct msg_exit_status m;

	if (msg_exit_status_decode(f, &m) == 0) {
		log_info(&ses->log, "pane %u exited (status 0x%x)", p->id,
			 (unsigned)m.status);
	}
	conn_close(p->pod, NULL);
}

static void
pod_on_frame(struct conn *c, const struct frame *f)
{
	struct ses *ses = c->data;
	struct pane *p = pane_of(ses, c);

	if (!p)
		return;
	switch (f->type) {
	case MSG_HELLO_OK: {
		struct msg_hello_ok ok;

		if (msg_hello_ok_decode(f, &ok) == 0) {
			p->pod_version = ok.version;
			ses_pane_view_sync(ses, p);
		}
		break;
	}
	case MSG_POD_INFO:
		on_pod_info(ses, p, f);
		break;
	case MSG_PANE_UPDATE:
		ses_forward_update(ses, p, f);
		break;
	case MSG_TEXT:
	case MSG_SCROLLBACK_ROWS:
	case MSG_SEARCH_RESULT:
	case MSG_ERROR:
		on_pod_reply(ses, p, f);
		break;
	case MSG_POD_EXIT:
		on_pod_exit(ses, p, f);
		break;
	default:
		log_warn(&ses->log, "pod %u sent %s; dropping it", p->id,
			 msg_type_name(f->type));
		conn_close(c, "unexpected message");
	}
}

static void
pod_closed(struct conn *c)
{
	struct ses *ses = c->data;
	struct pane *p = pane_of(ses, c);

	free(c);
	if (!p)
		return;
	p->pod = NULL;
	ses_pane_gone(ses, p, "its pod ended");
}

/* Answer every request still waiting on a pane that is gone. */
static void
fail_pending(struct ses *ses, struct pane *p)
{
	struct pending *q;

	while ((q = pend_pop(p))) {
		struct peer *c = ses_client_by_id(ses, q->client);

		if (q->kind == PEND_ACTION) {
			/* The action still runs, from the session's
			 * directory; it also releases the client. */
			struct session *s = ses_session_by_id(ses, q->session);

			if (s)
				ses_action_finish(ses, q->client, s, q->action,
						  q->arg, s->cwd);
			else if (c)
				ses_client_unbusy(ses, c);
		}
		if (c && q->kind == PEND_REPLY)
			ses_client_error(c, p->id, -EPIPE, "pane %u ended", p->id);
		if (q->kind == PEND_INFO)
			ses_gather_step(ses, q->client);
		free(q);
	}
}

void
ses_pane_gone(struct ses *ses, struct pane *p, const char *why)
{
	struct session *s = ses_session_by_id(ses, p->session);
	uint32_t creator = p->creator;

	log_info(&ses->log, "pane %u gone: %s", p->id, why);
	if (p->pod)
		conn_close(p->pod, why);
	fail_pending(ses, p);
	if (creator && !p->ready) {
		struct peer *c = ses_client_by_id(ses, creator);

		if (c)
			ses_client_error(c, 0, -ECHILD, "the pane did not start%s%s",
					 p->have_info && *p->info.info ? ": " : "",
					 p->have_info ? p->info.info : "");
	}
	if (s) {
		ses_session_remove_pane(s, p->id);
		if (ses_session_pane_count(s) == 0)
			ses_session_ended(ses, s, "exited");
		else
			ses_session_relayout(ses, s);
	}
	ses_pane_free(ses, p);
	ses_state_save(ses);
	ses_kill_progress(ses);
	ses_cgroup_sweep_soon(ses);
}

/* ---- stale cgroups ---- */

/* Is pane `id` still somebody's: a pane of ours, a pod we could not adopt,
 * or a pod whose pid file names a live `hexe pod` (one still starting)? */
static bool
pane_alive(unsigned id, void *arg)
{
	struct ses *ses = arg;
	char path[700], *text;
	size_t len;
	long pid;

	for (struct pane *p = ses->panes; p; p = p->next) {
		if (p->id == id)
			return true;
	}
	for (struct unadoptable *u = ses->unadoptable; u; u = u->next) {
		if (u->id == id)
			return true;
	}
	snprintf(path, sizeof path, "%s/pod-%u.pid", ses->paths.runtime, id);
	text = read_file(path, &len);
	pid = text ? strtol(text, NULL, 10) : 0;
	free(text);
	if (pid <= 0)
		return false;
	/* argv is "hexe\0pod\0...": a recycled pid is somebody else. */
	snprintf(path, sizeof path, "/proc/%ld/cmdline", pid);
	text = read_file(path, &len);
	if (text && len > 9 && memcmp(text, "hexe\0pod\0", 9) == 0) {
		free(text);
		return true;
	}
	free(text);
	return false;
}

void
ses_cgroup_sweep(struct ses *ses)
{
	struct cgroup_sys sys;
	char err[256];
	int n;

	if (cgroup_probe(&sys, NULL, NULL, err, sizeof err) < 0) {
		log_warn(&ses->log, "cgroup sweep: %s", err);
		return;
	}
	n = cgroup_sweep(&sys, ses->paths.instance, pane_alive, ses);
	if (n > 0)
		log_info(&ses->log, "swept the cgroups of %d pane(s) that are gone",
			 n);
}

static void
sweep_timer_cb(uv_timer_t *t)
{
	ses_cgroup_sweep(t->data);
}

void
ses_cgroup_sweep_soon(struct ses *ses)
{
	/* Later, not now: a pod that ends normally removes its own cgroup
	 * right after its connection closes. */
	if (!ses->stopping)
		uv_timer_start(&ses->sweep_timer, sweep_timer_cb, 1000, 0);
}

/* ---- re-adoption ---- */

static void
note_unadoptable(struct ses *ses, unsigned id, const char *why)
{
	struct unadoptable *u = xcalloc(1, sizeof *u);

	u->id = id;
	snprintf(u->reason, sizeof u->reason, "%s", why);
	u->next = ses->unadoptable;
	ses->unadoptable = u;
	log_warn(&ses->log, "cannot adopt pod %u: %s", id, why);
}

/* Wait (bounded) for the pod's POD_INFO so that a command arriving right
 * after a restart already sees every adopted session. */
static int
adopt_wait_info(struct client *cl, struct frame *f)
{
	uint64_t deadline = now_ms() + 2000;

	while (now_ms() < deadline) {
		int rc = client_recv(cl, f, 500);

		if (rc < 0)
			return rc;
		if (rc > 0 && f->type == MSG_POD_INFO)
			return 0;
	}
	return -ETIMEDOUT;
}

static void
adopt_one(struct ses *ses, unsigned id, const char *path)
{
	struct client cl;
	struct frame f;
	char err[256];
	struct pane *p;
	struct conn *c;
	int rc, fd;

	if (ses_pane_by_id(ses, (uint16_t)id))
		return;
	rc = client_connect(&cl, path);
	if (rc < 0) {
		/* A socket nobody listens on is what a dead pod leaves. */
		if (rc == -ECONNREFUSED)
			unlink(path);
		return;
	}
	if (client_hello(&cl, ROLE_SES, ses->paths.instance, err, sizeof err) < 0) {
		note_unadoptable(ses, id, err);
		client_close(&cl);
		return;
	}
	if ((rc = adopt_wait_info(&cl, &f)) < 0) {
		snprintf(err, sizeof err, "no POD_INFO from the pod: %s",
			 strerror(-rc));
		note_unadoptable(ses, id, err);
		client_close(&cl);
		return;
	}
	p = ses_pane_new(ses, NULL, (uint16_t)id);
	c = pod_conn_new(ses, p);
	fd = cl.fd;
	cl.fd = -1;
	if (conn_open_fd(ses->loop, c, fd, &ses->log) < 0) {
		frame_reader_free(&cl.fr);
		return;
	}
	pod_on_frame(c, &f);
	/* Whatever the pod sent behind POD_INFO is already in the blocking
	 * reader: hand it over. */
	if (cl.fr.in.len > cl.fr.off)
		frame_reader_push(&c->fr, cl.fr.in.data + cl.fr.off,
				  cl.fr.in.len - cl.fr.off);
	frame_reader_free(&cl.fr);
}

void
ses_adopt_all(struct ses *ses)
{
	DIR *d = opendir(ses->paths.runtime);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		unsigned long long id;
		char num[16], path[700];
		const char *dot;
		size_t len;

		if (strncmp(e->d_name, "pod-", 4) != 0)
			continue;
		dot = strstr(e->d_name, ".sock");
		if (!dot || dot[5] != '\0')
			continue;
		len = (size_t)(dot - e->d_name - 4);
		if (len == 0 || len >= sizeof num)
			continue;
		memcpy(num, e->d_name + 4, len);
		num[len] = '\0';
		if (!parse_uint(num, 65535, &id) || id == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", ses->paths.runtime, e->d_name);
		adopt_one(ses, (unsigned)id, path);
	}
	closedir(d);
}

/* ---- layouts ---- */

static struct lnode *
build_tree(struct ses *ses, struct session *s, const struct config_node *n,
	   int depth)
{
	struct lnode *t;

	if (!n || depth > 32)
		return NULL;
	if (!n->split) {
		struct pane *p = ses_pane_new(ses, s, 0);

		return layout_new_pane(p->id);
	}
	t = xcalloc(1, sizeof *t);
	t->kind = n->split == 'v' ? LAYOUT_SPLIT_V : LAYOUT_SPLIT_H;
	t->ratio = (int)(n->ratio * 1000 + 0.5);
	if (t->ratio < 1 || t->ratio > 999)
		t->ratio = 500;
	t->a = build_tree(ses, s, n->child[0], depth + 1);
	t->b = build_tree(ses, s, n->child[1], depth + 1);
	if (!t->a || !t->b) {
		layout_free(t);
		return NULL;
	}
	t->a->parent = t;
	t->b->parent = t;
	return t;
}

/* The config node of the i-th leaf, in the same order build_tree made
 * the panes. */
static const struct config_node *
nth_leaf(const struct config_node *n, int *i)
{
	const struct config_node *r;

	if (!n->split)
		return (*i)-- == 0 ? n : NULL;
	if ((r = nth_leaf(n->child[0], i)))
		return r;
	return nth_leaf(n->child[1], i);
}

static int
spawn_leaf(struct ses *ses, struct session *s, const struct config_node *n,
	   struct pane *p, char *err, size_t errsz)
{
	char *argv[4] = { "/bin/sh", "-c", NULL, NULL };
	struct pane_spawn sp = { NULL, n->cwd ? n->cwd : s->cwd, NULL };
	char *cmd = NULL;
	int rc;

	if (n->command) {
		cmd = xasprintf("exec %s", n->command);
		argv[2] = cmd;
		sp.argv = argv;
	}
	rc = ses_pod_spawn(ses, p, s, &sp, err, errsz);
	free(cmd);
	return rc;
}

int
ses_layout_open(struct ses *ses, struct session *s,
		const struct config_layout *l, uint32_t creator, bool attach,
		char *err, size_t errsz)
{
	bool first = true;

	for (size_t t = 0; t < l->ntabs && s->ntabs < SES_TABS_MAX; t++) {
		const struct config_tab *ct = &l->tabs[t];
		struct lnode *root = build_tree(ses, s, ct->root, 0);
		struct lrect r[256];
		struct tab *tab;
		int n;

		if (!root) {
			snprintf(err, errsz, "layout %s: tab %zu is empty", l->name,
				 t + 1);
			return -1;
		}
		tab = &s->tabs[s->ntabs++];
		memset(tab, 0, sizeof *tab);
		snprintf(tab->name, sizeof tab->name, "%s",
			 ct->name ? ct->name : "");
		tab->root = root;
		layout_compute(root, 0, 0, s->cols, s->rows);
		n = layout_rects(root, r, 256);
		tab->focus = r[0].pane;
		for (int i = 0; i < n; i++) {
			struct pane *p = ses_pane_by_id(ses, r[i].pane);
			int k = i;
			const struct config_node *cn = nth_leaf(ct->root, &k);

			p->cols = (uint16_t)r[i].w;
			p->rows = (uint16_t)r[i].h;
			if (first) {
				/* The creator hears back when the first
				 * pane runs. */
				p->creator = creator;
				p->creator_attach = attach;
				first = false;
			}
			if (spawn_leaf(ses, s, cn, p, err, errsz) < 0)
				return -1;
		}
	}
	s->active = 0;
	return 0;
}
