/*
 * actions — what a keymap action does to a session's graph: splits, tabs,
 * focus, resize, zoom, close, floats. One table, read by the dispatcher
 * and by `hexe mux action --help`.
 *
 * Actions that open a pane start it in the focused pane's working
 * directory, which only its pod knows: those ask the pod first and run
 * when its POD_INFO comes back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "ses/ses_int.h"

typedef int (*action_fn)(struct ses *ses, struct session *s, const char *arg,
			 const char *cwd, char *err, size_t errsz);

struct ses_action {
	const char *name;
	action_fn run;
	bool needs_cwd;
	const char *help;
};

static struct tab *
active_tab(struct session *s)
{
	return s->ntabs ? &s->tabs[s->active] : NULL;
}

/* A new pane running the session's shell; on failure nothing is left. */
static struct pane *
new_pane(struct ses *ses, struct session *s, const char *cwd, char *err,
	 size_t errsz)
{
	struct pane *p = ses_pane_new(ses, s, 0);
	struct pane_spawn sp = { NULL, cwd && *cwd ? cwd : s->cwd, NULL };

	if (ses_pod_spawn(ses, p, s, &sp, err, errsz) < 0) {
		ses_pane_free(ses, p);
		return NULL;
	}
	return p;
}

static int
do_split(struct ses *ses, struct session *s, enum layout_kind kind,
	 const char *cwd, char *err, size_t errsz)
{
	struct tab *t = active_tab(s);
	struct pane *p;

	if (!t || s->float_focus) {
		snprintf(err, errsz, "a float cannot be split");
		return -1;
	}
	/* Size the new pane from the split before its pod starts. */
	layout_compute(t->root, 0, 0, s->cols, s->rows);
	if (!(p = new_pane(ses, s, cwd, err, errsz)))
		return -1;
	t->root = layout_split(t->root, t->focus, p->id, kind, 500);
	t->focus = p->id;
	t->zoomed = 0;
	return 0;
}

static int
act_split_v(struct ses *ses, struct session *s, const char *arg,
	    const char *cwd, char *err, size_t errsz)
{
	(void)arg;
	return do_split(ses, s, LAYOUT_SPLIT_V, cwd, err, errsz);
}

static int
act_split_h(struct ses *ses, struct session *s, const char *arg,
	    const char *cwd, char *err, size_t errsz)
{
	(void)arg;
	return do_split(ses, s, LAYOUT_SPLIT_H, cwd, err, errsz);
}

static int
act_close(struct ses *ses, struct session *s, const char *arg, const char *cwd,
	  char *err, size_t errsz)
{
	struct pane *p = ses_pane_by_id(ses, ses_session_focus(s));

	(void)arg;
	(void)cwd;
	if (!p) {
		snprintf(err, errsz, "no pane to close");
		return -1;
	}
	/* The pane leaves the layout when its pod reports the end. */
	ses_pod_kill(ses, p);
	return 0;
}

static int
focus_dir(struct session *s, enum layout_dir d, char *err, size_t errsz)
{
	struct tab *t = active_tab(s);
	uint16_t to;

	if (!t || s->float_focus)
		return 0;
	if (t->zoomed) {
		snprintf(err, errsz, "the pane is zoomed");
		return -1;
	}
	to = layout_neighbour(t->root, t->focus, d);
	if (to)
		t->focus = to;
	return 0;
}

#define FOCUS_ACTION(fn, dir)                                              \
	static int fn(struct ses *ses, struct session *s, const char *arg,  \
		      const char *cwd, char *err, size_t errsz)             \
	{                                                                  \
		(void)ses;                                                 \
		(void)arg;                                                 \
		(void)cwd;                                                 \
		return focus_dir(s, dir, err, errsz);                      \
	}
FOCUS_ACTION(act_focus_left, DIR_LEFT)
FOCUS_ACTION(act_focus_down, DIR_DOWN)
FOCUS_ACTION(act_focus_up, DIR_UP)
FOCUS_ACTION(act_focus_right, DIR_RIGHT)

static int
resize_dir(struct session *s, enum layout_dir d, const char *arg, char *err,
	   size_t errsz)
{
	struct tab *t = active_tab(s);
	unsigned long long n = 2;

	if (arg && *arg && !parse_uint(arg, 1000, &n)) {
		snprintf(err, errsz, "resize: expected a number of cells, got \"%s\"",
			 arg);
		return -1;
	}
	if (!t || s->float_focus)
		return 0;
	layout_compute(t->root, 0, 0, s->cols, s->rows);
	layout_resize(t->root, t->focus, d, (int)n);
	return 0;
}

#define RESIZE_ACTION(fn, dir)                                             \
	static int fn(struct ses *ses, struct session *s, const char *arg,  \
		      const char *cwd, char *err, size_t errsz)             \
	{                                                                  \
		(void)ses;                                                 \
		(void)cwd;                                                 \
		return resize_dir(s, dir, arg, err, errsz);                \
	}
RESIZE_ACTION(act_resize_left, DIR_LEFT)
RESIZE_ACTION(act_resize_down, DIR_DOWN)
RESIZE_ACTION(act_resize_up, DIR_UP)
RESIZE_ACTION(act_resize_right, DIR_RIGHT)

static int
act_zoom(struct ses *ses, struct session *s, const char *arg, const char *cwd,
	 char *err, size_t errsz)
{
	struct tab *t = active_tab(s);

	(void)ses;
	(void)arg;
	(void)cwd;
	(void)err;
	(void)errsz;
	if (!t || s->float_focus)
		return 0;
	/* A lone pane has nothing to zoom over. */
	if (layout_count(t->root) > 1 || t->zoomed)
		t->zoomed = t->zoomed ? 0 : t->focus;
	return 0;
}

static int
act_tab_new(struct ses *ses, struct session *s, const char *arg,
	    const char *cwd, char *err, size_t errsz)
{
	struct pane *p;
	int at;

	if (s->ntabs >= SES_TABS_MAX) {
		snprintf(err, errsz, "at most %d tabs", SES_TABS_MAX);
		return -1;
	}
	if (!(p = new_pane(ses, s, cwd, err, errsz)))
		return -1;
	at = ses_tab_add(s, arg, p->id);
	s->active = at;
	s->float_focus = 0;
	return 0;
}

static int
tab_goto(struct session *s, int i)
{
	if (s->ntabs == 0)
		return 0;
	s->active = ((i % s->ntabs) + s->ntabs) % s->ntabs;
	s->float_focus = 0;
	return 0;
}

static int
act_tab_next(struct ses *ses, struct session *s, const char *arg,
	     const char *cwd, char *err, size_t errsz)
{
	(void)ses, (void)arg, (void)cwd, (void)err, (void)errsz;
	return tab_goto(s, s->active + 1);
}

static int
act_tab_prev(struct ses *ses, struct session *s, const char *arg,
	     const char *cwd, char *err, size_t errsz)
{
	(void)ses, (void)arg, (void)cwd, (void)err, (void)errsz;
	return tab_goto(s, s->active - 1);
}

static int
act_tab_goto(struct ses *ses, struct session *s, const char *arg,
	     const char *cwd, char *err, size_t errsz)
{
	unsigned long long n;

	(void)ses, (void)cwd;
	if (!arg || !parse_uint(arg, 1000, &n) || n < 1 || n > (unsigned)s->ntabs) {
		snprintf(err, errsz, "tab.goto: expected a tab number from 1 to %d, "
			 "got \"%s\"", s->ntabs, arg ? arg : "");
		return -1;
	}
	return tab_goto(s, (int)n - 1);
}

static int
act_tab_rename(struct ses *ses, struct session *s, const char *arg,
	       const char *cwd, char *err, size_t errsz)
{
	struct tab *t = active_tab(s);

	(void)ses, (void)cwd;
	if (!t)
		return 0;
	for (const unsigned char *c = (const unsigned char *)arg; arg && *c; c++) {
		if (*c < ' ' || *c == 0x7f) {
			snprintf(err, errsz, "tab names cannot hold control "
				 "characters");
			return -1;
		}
	}
	snprintf(t->name, sizeof t->name, "%s", arg ? arg : "");
	return 0;
}

static int
act_tab_close(struct ses *ses, struct session *s, const char *arg,
	      const char *cwd, char *err, size_t errsz)
{
	struct tab *t = active_tab(s);
	struct lrect r[256];
	int n;

	(void)arg, (void)cwd, (void)err, (void)errsz;
	if (!t)
		return 0;
	n = layout_rects(t->root, r, 256);
	for (int i = 0; i < n; i++) {
		struct pane *p = ses_pane_by_id(ses, r[i].pane);

		if (p)
			ses_pod_kill(ses, p);
	}
	return 0;
}

static int
act_pane_focus(struct ses *ses, struct session *s, const char *arg,
	       const char *cwd, char *err, size_t errsz)
{
	unsigned long long id;
	struct sfloat *fl;
	int t;

	(void)ses, (void)cwd;
	if (!arg || !parse_uint(arg, 65535, &id) ||
	    (t = ses_session_locate(s, (uint16_t)id, &fl)) == -2) {
		snprintf(err, errsz, "pane.focus: no pane \"%s\" in this session",
			 arg ? arg : "");
		return -1;
	}
	if (fl) {
		fl->visible = true;
		s->float_focus = fl->pane;
		return 0;
	}
	s->active = t;
	s->tabs[t].focus = (uint16_t)id;
	s->float_focus = 0;
	return 0;
}

/* "X Y X2 Y2": the border through cell (X, Y) of the active tab moves to
 * column X2 (a vertical border) or row Y2 (a horizontal one). */
static int
act_border_drag(struct ses *ses, struct session *s, const char *arg,
		const char *cwd, char *err, size_t errsz)
{
	struct tab *t = active_tab(s);
	struct lnode *n;
	int x, y, x2, y2;

	(void)ses, (void)cwd;
	if (!arg || sscanf(arg, "%d %d %d %d", &x, &y, &x2, &y2) != 4) {
		snprintf(err, errsz, "border.drag: expected \"X Y X2 Y2\"");
		return -1;
	}
	if (!t || t->zoomed)
		return 0;
	layout_compute(t->root, 0, 0, s->cols, s->rows);
	if ((n = layout_border_at(t->root, x, y)))
		layout_set_border(n, n->kind == LAYOUT_SPLIT_V ? x2 : y2);
	return 0;
}

/* Read the config again; new panes and floats use it. A config with
 * errors keeps the old one and says why. */
int
ses_config_reload(struct ses *ses, char *err, size_t errsz)
{
	extern char **environ;
	struct hexe_config next;

	if (config_load(&next, ses->paths.config, environ, 0) < 0) {
		snprintf(err, errsz, "config not reloaded, the old one stays: %s%s",
			 next.errors.n ? next.errors.v[0] : "errors",
			 next.errors.n > 1 ? " (and more: hexe config check)" : "");
		config_log(&next, &ses->log);
		config_free(&next);
		return -1;
	}
	config_free(&ses->config);
	ses->config = next;
	config_log(&ses->config, &ses->log);
	log_info(&ses->log, "config reloaded from %s", ses->paths.config);
	return 0;
}

static int
act_reload(struct ses *ses, struct session *s, const char *arg,
	   const char *cwd, char *err, size_t errsz)
{
	(void)s, (void)arg, (void)cwd;
	return ses_config_reload(ses, err, errsz);
}

static const struct ses_action actions[] = {
	{ "split.vertical", act_split_v, true,
	  "split the focused pane side by side; the new pane on the right" },
	{ "split.horizontal", act_split_h, true,
	  "split the focused pane top/bottom; the new pane below" },
	{ "pane.close", act_close, false, "close the focused pane" },
	{ "pane.focus", act_pane_focus, false, "focus pane ID (mouse clicks)" },
	{ "border.drag", act_border_drag, false,
	  "move the border at \"X Y\" to \"X2 Y2\" (mouse drags)" },
	{ "focus.left", act_focus_left, false, "focus the pane to the left" },
	{ "focus.down", act_focus_down, false, "focus the pane below" },
	{ "focus.up", act_focus_up, false, "focus the pane above" },
	{ "focus.right", act_focus_right, false, "focus the pane to the right" },
	{ "resize.left", act_resize_left, false, "move the border left [N cells]" },
	{ "resize.down", act_resize_down, false, "move the border down [N]" },
	{ "resize.up", act_resize_up, false, "move the border up [N]" },
	{ "resize.right", act_resize_right, false, "move the border right [N]" },
	{ "zoom", act_zoom, false, "zoom the focused pane to the whole tab, or back" },
	{ "tab.new", act_tab_new, true, "open a new tab [NAME]" },
	{ "tab.next", act_tab_next, false, "go to the next tab" },
	{ "tab.prev", act_tab_prev, false, "go to the previous tab" },
	{ "tab.goto", act_tab_goto, false, "go to tab N (from 1)" },
	{ "tab.rename", act_tab_rename, false, "rename the current tab NAME" },
	{ "tab.close", act_tab_close, false, "close the current tab's panes" },
	{ "reload", act_reload, false, "read the config file again" },
	{ "float.toggle", ses_float_toggle, true,
	  "show or hide float KEY (opening it the first time)" },
};

static const struct ses_action *
ses_action_lookup(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (strcmp(actions[i].name, name) == 0)
			return &actions[i];
	}
	return NULL;
}

bool
ses_action_known(const char *name)
{
	return ses_action_lookup(name) != NULL;
}

void
ses_action_list(struct wbuf *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		wbuf_printf(out, "  %-18s %s\n", actions[i].name, actions[i].help);
}

/* A float that is not sticky belongs to the tab it was shown on. */
static void
hide_unsticky(struct ses *ses, struct session *s)
{
	for (int i = 0; i < s->nfloats; i++) {
		char err[200];
		const struct config_float *d =
			ses_float_def(ses, s, s->floats[i].key, err, sizeof err);

		if (s->floats[i].visible && !(d && d->sticky)) {
			s->floats[i].visible = false;
			if (s->float_focus == s->floats[i].pane)
				s->float_focus = 0;
		}
	}
}

/* Run now; the caller has the cwd (or does not need it). */
int
ses_action_run(struct ses *ses, struct session *s, const char *name,
	       const char *arg, const char *cwd, char *err, size_t errsz)
{
	const struct ses_action *a = ses_action_lookup(name);
	uint16_t before[512];
	int nbefore = ses_session_panes(s, before, 512), rc;
	bool vis_before[512];

	if (!a) {
		snprintf(err, errsz, "unknown action \"%s\"", name);
		return -1;
	}
	int tab_before = s->active;

	for (int i = 0; i < nbefore; i++)
		vis_before[i] = ses_pane_visible(s, before[i]);
	rc = a->run(ses, s, arg, cwd, err, errsz);
	if (s->active != tab_before)
		hide_unsticky(ses, s);
	ses_session_relayout(ses, s);
	/* Panes that just came into view need a full screen. */
	{
		uint16_t now[512];
		int n = ses_session_panes(s, now, 512);

		for (int i = 0; i < n; i++) {
			bool was = false;

			for (int k = 0; k < nbefore; k++) {
				if (before[k] == now[i])
					was = vis_before[k];
			}
			if (!was && ses_pane_visible(s, now[i]))
				ses_pane_snapshot(ses, now[i]);
		}
	}
	ses_state_save(ses);
	return rc;
}

bool
ses_action_needs_cwd(const char *name)
{
	const struct ses_action *a = ses_action_lookup(name);

	return a && a->needs_cwd;
}
