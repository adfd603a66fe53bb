/*
 * ses_int — the daemon's own types, shared by its files (graph, pods,
 * clients, state). Nothing outside src/ses/ includes this.
 *
 * Across asynchronous gaps (a request waiting for a pod's answer) clients
 * and panes are named by id, never by pointer: either may be gone when the
 * answer comes.
 */
#ifndef HEXE_SES_INT_H
#define HEXE_SES_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "core/conn.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/proto.h"
#include "lua/config.h"
#include "pod/isolation.h"
#include "ses/layout.h"

#define SES_NAME_MAX 64
#define SES_UPDATE_BACKLOG (2u << 20)

enum pending_kind {
	PEND_REPLY,     /* forward the pod's reply to the client */
	PEND_INFO,      /* a POD_INFO for a `pod list` being gathered */
	PEND_ACTION,    /* a POD_INFO an action waits for (its cwd) */
};

struct pending {
	uint32_t client;
	uint8_t kind;
	/* PEND_ACTION: what to run once the pane's cwd is known */
	uint32_t session;
	char action[32];
	char arg[128];
	struct pending *next;
};

struct pane {
	uint16_t id;
	uint32_t session; /* session id */
	struct conn *pod;
	bool ready;       /* POD_INFO received */
	bool dying;       /* asked to end; its session no longer lists it */
	struct msg_pod_info info;
	bool have_info;
	uint16_t cols, rows;
	struct pending *pend_head, *pend_tail;
	uint32_t pod_version; /* from its HELLO_OK; 0 until then */
	bool view_on;     /* the pod sends ses its updates (views.c) */
	uint32_t creator; /* client waiting for "pane ready", 0 if none */
	bool creator_attach;
	struct pane *next;
};

#define SES_TABS_MAX 64
#define SES_FLOATS_MAX 64
#define SES_TAB_NAME_MAX 63

struct tab {
	char name[SES_TAB_NAME_MAX + 1];
	struct lnode *root;
	uint16_t focus;  /* pane id */
	uint16_t zoomed; /* pane id, 0 when not zoomed */
};

/* One instance of a configured float: per session, or per session and
 * directory when the float is per_cwd. */
struct sfloat {
	char key[8];
	char cwd[512];
	uint16_t pane;
	bool visible;
	int x, y, w, h; /* where it is drawn, from the session size */
};

struct session {
	uint32_t id;
	char name[SES_NAME_MAX + 1];
	uint64_t created;
	uint64_t last_used; /* for "attach to the most recent" */
	uint16_t cols, rows;
	struct tab tabs[SES_TABS_MAX];
	int ntabs;
	int active;
	struct sfloat floats[SES_FLOATS_MAX];
	int nfloats;
	uint16_t float_focus; /* the visible float with focus, 0: the tab's */
	/* What new panes of the session start with. */
	struct strv env;
	char cwd[1024];
	char layout[65]; /* the configured layout it was made from, "" */
	struct session *next;
};

struct peer {
	uint32_t id;
	struct ses *ses;
	struct conn *conn;
	uint8_t role;
	bool hello;
	uint32_t attached; /* session id, 0 when not attached */
	uint16_t cols, rows;
	bool stalled;      /* updates were skipped: needs snapshots */
	/* A mux that reads the panes it shows from their pods (views.c),
	 * but for these, which it could not reach. */
	bool direct;
	uint16_t *via;
	int nvia;
	int gather;        /* POD_INFO answers still expected */
	int kill_wait;     /* pods still to end before the OK */
	bool stop_after;   /* `ses stop`: exit once kill_wait is 0 */
	/* While an action waits for a pod's answer, the client's later
	 * actions and input wait here, so that they happen in order. */
	bool busy;
	struct wbuf held;
	/* a mux: `capture --screen` requests it is answering, in order */
	struct pending *pend_head, *pend_tail;
	struct peer *next;
};

struct unadoptable {
	unsigned id;
	char reason[200];
	struct unadoptable *next;
};

struct ses {
	uv_loop_t *loop;
	struct paths paths;
	struct hlog log;
	int lock_fd;
	uv_pipe_t server;
	uv_signal_t sig_term, sig_int, sig_hup, sig_chld;
	struct session *sessions;
	struct pane *panes;
	struct peer *clients;
	struct unadoptable *unadoptable;
	struct hexe_config config;
	uint32_t next_session_id;
	uint32_t next_client_id;
	uint16_t next_pane_id;
	bool stopping;
	bool restoring;
	char self_exe[512];
	uv_timer_t sweep_timer; /* cgroup sweep after a pane is gone */
};

/* pods.c: remove the cgroups of panes that are gone (a pod killed with
 * SIGKILL cannot remove its own), now / in a second. */
void ses_cgroup_sweep(struct ses *ses);
void ses_cgroup_sweep_soon(struct ses *ses);

/* graph.c */
struct session *ses_session_find(struct ses *ses, const char *name);
struct session *ses_session_by_id(struct ses *ses, uint32_t id);
struct session *ses_session_new(struct ses *ses, const char *name);
void ses_session_free(struct ses *ses, struct session *s);
struct pane *ses_pane_by_id(struct ses *ses, uint16_t id);
struct pane *ses_pane_new(struct ses *ses, struct session *s, uint16_t id);
void ses_pane_free(struct ses *ses, struct pane *p);
/* Where a pane sits in its session: a tab index (and *fl NULL), or -1 and
 * *fl the float; -2 when it is not in the session. */
int ses_session_locate(struct session *s, uint16_t id, struct sfloat **fl);
/* Add a tab whose only pane is `pane`, after the active one; returns its
 * index or -1 when full. */
int ses_tab_add(struct session *s, const char *name, uint16_t pane);
/* Take a pane out of its tab or float; an emptied tab goes away. */
void ses_session_remove_pane(struct session *s, uint16_t id);
int ses_session_pane_count(const struct session *s);
/* The pane input goes to. */
uint16_t ses_session_focus(const struct session *s);
/* Shown to an attached client: in the active tab (and the zoomed one when
 * the tab is zoomed) or a visible float. */
bool ses_pane_visible(const struct session *s, uint16_t id);
/* Every pane id of the session (tabs in order, then floats). */
int ses_session_panes(const struct session *s, uint16_t *out, int max);
struct peer *ses_client_by_id(struct ses *ses, uint32_t id);
/* Session size from its attached clients; resize panes; send LAYOUT. */
void ses_session_relayout(struct ses *ses, struct session *s);
void ses_send_layout(struct ses *ses, struct session *s, struct peer *only);
int ses_session_attached(struct ses *ses, struct session *s);
/* "NAME[:PANE]" → pane; NULL with a message in err. */
struct pane *ses_target(struct ses *ses, const char *target, char *err,
			size_t errsz);
int ses_valid_session_name(const char *name, char *err, size_t errsz);
void ses_unique_name(struct ses *ses, char *out, size_t n);

/* pods.c */
struct isolation;

/* What a new pane runs: argv NULL runs the user's shell (from the session's
 * environment) as a login shell; iso NULL resolves the session's
 * environment over the config. */
struct pane_spawn {
	char **argv;
	const char *cwd;
	const struct isolation *iso;
};

void ses_reap_children(void);
int ses_pod_spawn(struct ses *ses, struct pane *p, const struct session *s,
		  const struct pane_spawn *sp, char *err, size_t errsz);
/* Open the tabs of a configured layout in a new session (sized already). */
int ses_layout_open(struct ses *ses, struct session *s,
		    const struct config_layout *l, uint32_t creator,
		    bool attach, char *err, size_t errsz);
void ses_pod_send(struct pane *p, struct wbuf *b);
void ses_pod_request(struct ses *ses, struct pane *p, uint32_t client,
		     uint8_t kind, struct wbuf *b);
void ses_pod_kill(struct ses *ses, struct pane *p);
/* Ask the pod for its POD_INFO; when it comes, run the action with the
 * pane's cwd (ses_action_finish). */
void ses_pod_request_action(struct ses *ses, struct pane *p, uint32_t client,
			    uint32_t session, const char *action,
			    const char *arg, struct wbuf *b);
void ses_adopt_all(struct ses *ses);
void ses_pane_gone(struct ses *ses, struct pane *p, const char *why);

/* clients.c */
void ses_client_send(struct peer *c, struct wbuf *b);
void ses_client_error(struct peer *c, uint16_t pane, int code,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void ses_client_on_frame(struct conn *conn, const struct frame *f);
void ses_client_closed(struct conn *conn);
void ses_pane_ready(struct ses *ses, struct pane *p);
void ses_client_unbusy(struct ses *ses, struct peer *c);
void ses_action_finish(struct ses *ses, uint32_t client, struct session *s,
		       const char *name, const char *arg, const char *cwd);
void ses_session_ended(struct ses *ses, struct session *s, const char *why);
void ses_kill_progress(struct ses *ses);
void ses_gather_step(struct ses *ses, uint32_t client);
void ses_client_drained(struct conn *conn);
void ses_request_snapshots(struct ses *ses, struct session *s);
void ses_pane_snapshot(struct ses *ses, uint16_t id);
void ses_forward_update(struct ses *ses, struct pane *p,
			const struct frame *f);

/* views.c */
bool ses_client_views_directly(const struct peer *c, uint16_t pane);
/* Some attached client shows the pane and relies on ses for it. */
bool ses_pane_wanted(struct ses *ses, const struct pane *p);
/* Tell the pod whether ses needs its updates, when that changed. */
void ses_pane_view_sync(struct ses *ses, struct pane *p);
void ses_views_sync(struct ses *ses, struct session *s);
void ses_client_view(struct ses *ses, struct peer *c, const struct frame *f);

/* actions.c */
bool ses_action_known(const char *name);
int ses_config_reload(struct ses *ses, char *err, size_t errsz);
bool ses_action_needs_cwd(const char *name);
void ses_action_list(struct wbuf *out);
int ses_action_run(struct ses *ses, struct session *s, const char *name,
		   const char *arg, const char *cwd, char *err, size_t errsz);

/* floats.c */
int ses_float_toggle(struct ses *ses, struct session *s, const char *key,
		     const char *cwd, char *err, size_t errsz);
/* The float bound to key in the session's layout, NULL with err. */
const struct config_float *ses_float_def(struct ses *ses,
					 const struct session *s,
					 const char *key, char *err,
					 size_t errsz);
/* Where a float is drawn for the session's size (frame included). */
void ses_float_place(const struct ses *ses, const struct session *s,
		     struct sfloat *f);

/* state.c */
void ses_state_save(struct ses *ses);
/* Session order and times from the state file, applied to sessions that
 * adoption re-created. */
void ses_state_load(struct ses *ses);
void ses_state_prune(struct ses *ses);

#endif
