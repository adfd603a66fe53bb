/*
 * graph — sessions and their panes: lookup, creation, removal, sizes and
 * the LAYOUT each attached mux draws.
 *
 * A session's size is the smallest of its attached clients' (as in tmux),
 * so every attached terminal can show all of it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "ses/ses_int.h"

struct session *
ses_session_find(struct ses *ses, const char *name)
{
	for (struct session *s = ses->sessions; s; s = s->next) {
		if (strcmp(s->name, name) == 0)
			return s;
	}
	return NULL;
}

struct session *
ses_session_by_id(struct ses *ses, uint32_t id)
{
	for (struct session *s = ses->sessions; s; s = s->next) {
		if (s->id == id)
			return s;
	}
	return NULL;
}

struct session *
ses_session_new(struct ses *ses, const char *name)
{
	struct session *s = xcalloc(1, sizeof *s), **tail;

	s->id = ++ses->next_session_id;
	snprintf(s->name, sizeof s->name, "%s", name);
	s->created = (uint64_t)time(NULL);
	s->last_used = s->created;
	s->cols = 80;
	s->rows = 24;
	s->env.v = xcalloc(1, sizeof *s->env.v);
	for (tail = &ses->sessions; *tail; tail = &(*tail)->next)
		;
	*tail = s;
	return s;
}

void
ses_session_free(struct ses *ses, struct session *s)
{
	for (struct session **pp = &ses->sessions; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	for (int i = 0; i < s->ntabs; i++)
		layout_free(s->tabs[i].root);
	strv_free(&s->env);
	free(s);
}

struct pane *
ses_pane_by_id(struct ses *ses, uint16_t id)
{
	for (struct pane *p = ses->panes; p; p = p->next) {
		if (p->id == id)
			return p;
	}
	return NULL;
}

struct pane *
ses_pane_new(struct ses *ses, struct session *s, uint16_t id)
{
	struct pane *p = xcalloc(1, sizeof *p);

	if (id == 0) {
		/* Ids are never reused while a pane holds them; wrap past
		 * 65535 skipping live ones. */
		do {
			id = ++ses->next_pane_id;
			if (id == 0)
				id = ++ses->next_pane_id;
		} while (ses_pane_by_id(ses, id));
	} else if (id > ses->next_pane_id) {
		ses->next_pane_id = id;
	}
	p->id = id;
	p->session = s ? s->id : 0;
	p->cols = s ? s->cols : 80;
	p->rows = s ? s->rows : 24;
	p->next = ses->panes;
	ses->panes = p;
	return p;
}

void
ses_pane_free(struct ses *ses, struct pane *p)
{
	struct pending *q;

	for (struct pane **pp = &ses->panes; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	while ((q = p->pend_head)) {
		p->pend_head = q->next;
		free(q);
	}
	if (p->have_info)
		msg_pod_info_free(&p->info);
	free(p);
}

int
ses_session_locate(struct session *s, uint16_t id, struct sfloat **fl)
{
	*fl = NULL;
	for (int i = 0; i < s->ntabs; i++) {
		if (layout_find(s->tabs[i].root, id))
			return i;
	}
	for (int i = 0; i < s->nfloats; i++) {
		if (s->floats[i].pane == id) {
			*fl = &s->floats[i];
			return -1;
		}
	}
	return -2;
}

int
ses_tab_add(struct session *s, const char *name, uint16_t pane)
{
	int at = s->ntabs ? s->active + 1 : 0;
	struct tab *t;

	if (s->ntabs >= SES_TABS_MAX)
		return -1;
	memmove(&s->tabs[at + 1], &s->tabs[at],
		(size_t)(s->ntabs - at) * sizeof s->tabs[0]);
	s->ntabs++;
	t = &s->tabs[at];
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", name ? name : "");
	t->root = layout_new_pane(pane);
	t->focus = pane;
	return at;
}

static void
tab_drop(struct session *s, int i)
{
	layout_free(s->tabs[i].root);
	memmove(&s->tabs[i], &s->tabs[i + 1],
		(size_t)(s->ntabs - i - 1) * sizeof s->tabs[0]);
	s->ntabs--;
	if (s->active > i || s->active >= s->ntabs)
		s->active = s->active > 0 ? s->active - 1 : 0;
}

void
ses_session_remove_pane(struct session *s, uint16_t id)
{
	struct sfloat *fl;
	int i = ses_session_locate(s, id, &fl);

	if (i >= 0) {
		struct tab *t = &s->tabs[i];
		struct lnode *leaf = layout_find(t->root, id);
		struct lnode *sib = NULL;

		if (leaf && leaf->parent)
			sib = leaf->parent->a == leaf ? leaf->parent->b
						      : leaf->parent->a;
		t->root = layout_remove(t->root, id);
		if (t->zoomed == id)
			t->zoomed = 0;
		if (!t->root) {
			tab_drop(s, i);
			return;
		}
		if (t->focus == id) {
			/* Focus goes where the space went: the sibling's
			 * first pane. */
			while (sib && sib->kind != LAYOUT_PANE)
				sib = sib->a;
			t->focus = sib ? sib->pane : 0;
		}
		return;
	}
	if (fl) {
		if (s->float_focus == id)
			s->float_focus = 0;
		*fl = s->floats[--s->nfloats];
	}
}

int
ses_session_pane_count(const struct session *s)
{
	int n = s->nfloats;

	for (int i = 0; i < s->ntabs; i++)
		n += layout_count(s->tabs[i].root);
	return n;
}

uint16_t
ses_session_focus(const struct session *s)
{
	if (s->float_focus)
		return s->float_focus;
	if (s->ntabs == 0)
		return 0;
	return s->tabs[s->active].focus;
}

bool
ses_pane_visible(const struct session *s, uint16_t id)
{
	const struct tab *t;

	for (int i = 0; i < s->nfloats; i++) {
		if (s->floats[i].pane == id)
			return s->floats[i].visible;
	}
	if (s->ntabs == 0)
		return false;
	t = &s->tabs[s->active];
	if (t->zoomed)
		return t->zoomed == id;
	return layout_find(t->root, id) != NULL;
}

int
ses_session_panes(const struct session *s, uint16_t *out, int max)
{
	struct lrect r[256];
	int n = 0;

	for (int i = 0; i < s->ntabs; i++) {
		int k = layout_rects(s->tabs[i].root, r, 256);

		for (int j = 0; j < k && n < max; j++)
			out[n++] = r[j].pane;
	}
	for (int i = 0; i < s->nfloats && n < max; i++)
		out[n++] = s->floats[i].pane;
	return n;
}

struct peer *
ses_client_by_id(struct ses *ses, uint32_t id)
{
	for (struct peer *c = ses->clients; c; c = c->next) {
		if (c->id == id)
			return c;
	}
	return NULL;
}

int
ses_session_attached(struct ses *ses, struct session *s)
{
	int n = 0;

	for (struct peer *c = ses->clients; c; c = c->next) {
		if (c->attached == s->id)
			n++;
	}
	return n;
}

static void
resize_pane(struct ses *ses, uint16_t id, int cols, int rows)
{
	struct pane *p = ses_pane_by_id(ses, id);
	struct msg_resize m;
	struct wbuf b;

	if (cols < 1)
		cols = 1;
	if (rows < 1)
		rows = 1;
	if (!p || (p->cols == cols && p->rows == rows))
		return;
	p->cols = (uint16_t)cols;
	p->rows = (uint16_t)rows;
	m.cols = p->cols;
	m.rows = p->rows;
	wbuf_init(&b);
	msg_resize_encode(&b, p->id, &m);
	ses_pod_send(p, &b);
	wbuf_free(&b);
}

void
ses_session_relayout(struct ses *ses, struct session *s)
{
	uint16_t cols = 0, rows = 0;
	struct lrect r[256];

	for (struct peer *c = ses->clients; c; c = c->next) {
		if (c->attached != s->id)
			continue;
		if (!cols || c->cols < cols)
			cols = c->cols;
		if (!rows || c->rows < rows)
			rows = c->rows;
	}
	if (cols && rows) {
		s->cols = cols;
		s->rows = rows;
	}
	/* Every tab is laid out, shown or not, so that every program knows
	 * its real size. */
	for (int i = 0; i < s->ntabs; i++) {
		struct tab *t = &s->tabs[i];
		int n;

		layout_compute(t->root, 0, 0, s->cols, s->rows);
		n = layout_rects(t->root, r, 256);
		for (int k = 0; k < n; k++) {
			if (r[k].pane == t->zoomed)
				resize_pane(ses, r[k].pane, s->cols, s->rows);
			else
				resize_pane(ses, r[k].pane, r[k].w, r[k].h);
		}
	}
	/* A float's frame takes a cell on each side. */
	for (int i = 0; i < s->nfloats; i++) {
		struct sfloat *f = &s->floats[i];

		ses_float_place(ses, s, f);
		resize_pane(ses, f->pane, f->w - 2, f->h - 2);
	}
	ses_send_layout(ses, s, NULL);
}

/* The status bar's note for a pane: its profile, and the pod's warning
 * (limits not applied, a cwd it could not enter) when there is one. */
static char *
pane_status(struct pane *p, char *buf, size_t n)
{
	if (!p || !p->have_info)
		return "";
	if (!*p->info.info)
		return p->info.profile;
	snprintf(buf, n, "%s ! %s", p->info.profile, p->info.info);
	return buf;
}

static void
layout_pane_from(struct ses *ses, struct layout_pane *lp, uint16_t id, int x,
		 int y, int w, int h, uint8_t flags, char *buf, size_t bufsz)
{
	struct pane *p = ses_pane_by_id(ses, id);

	lp->id = id;
	lp->x = (uint16_t)x;
	lp->y = (uint16_t)y;
	lp->w = (uint16_t)w;
	lp->h = (uint16_t)h;
	lp->flags = flags;
	lp->title = p && p->have_info ? p->info.title : "";
	lp->info = pane_status(p, buf, bufsz);
}

void
ses_send_layout(struct ses *ses, struct session *s, struct peer *only)
{
	struct layout_pane lp[256 + SES_FLOATS_MAX];
	char notes[256 + SES_FLOATS_MAX][300];
	char *tabs[SES_TABS_MAX + 1];
	struct lrect r[256];
	struct msg_layout m;
	uint16_t focus = ses_session_focus(s);
	struct wbuf b;
	int n = 0;

	memset(&m, 0, sizeof m);
	m.session = s->name;
	m.cols = s->cols;
	m.rows = s->rows;
	m.active_tab = (uint16_t)s->active;
	for (int i = 0; i < s->ntabs; i++)
		tabs[i] = s->tabs[i].name;
	tabs[s->ntabs] = NULL;
	m.tabs.n = (uint32_t)s->ntabs;
	m.tabs.v = tabs;
	if (s->ntabs) {
		struct tab *t = &s->tabs[s->active];
		int k = layout_rects(t->root, r, 256);

		for (int i = 0; i < k; i++) {
			uint8_t fl = r[i].pane == focus ? LAYOUT_FOCUSED : 0;

			if (t->zoomed && r[i].pane != t->zoomed)
				continue;
			if (t->zoomed)
				layout_pane_from(ses, &lp[n], r[i].pane, 0, 0,
						 s->cols, s->rows,
						 fl | LAYOUT_ZOOMED, notes[n],
						 sizeof notes[n]);
			else
				layout_pane_from(ses, &lp[n], r[i].pane, r[i].x,
						 r[i].y, r[i].w, r[i].h, fl,
						 notes[n], sizeof notes[n]);
			n++;
		}
	}
	for (int i = 0; i < s->nfloats; i++) {
		struct sfloat *f = &s->floats[i];

		if (!f->visible)
			continue;
		/* The rectangle is the frame's; the pane is inside it. */
		layout_pane_from(ses, &lp[n], f->pane, f->x, f->y, f->w, f->h,
				 LAYOUT_FLOAT |
					 (f->pane == focus ? LAYOUT_FOCUSED : 0),
				 notes[n], sizeof notes[n]);
		{
			/* The frame shows the float's configured title. */
			char err[200];
			const struct config_float *d =
				ses_float_def(ses, s, f->key, err, sizeof err);

			if (d && d->title && *d->title)
				lp[n].title = d->title;
		}
		n++;
	}
	m.npanes = (uint16_t)n;
	m.panes = lp;
	m.status = "";
	wbuf_init(&b);
	msg_layout_encode(&b, &m);
	for (struct peer *c = ses->clients; c; c = c->next) {
		struct wbuf copy;

		if (c->attached != s->id || (only && c != only))
			continue;
		wbuf_init(&copy);
		wbuf_put(&copy, b.data, b.len);
		ses_client_send(c, &copy);
		wbuf_free(&copy);
	}
	wbuf_free(&b);
	ses_views_sync(ses, s);
}

int
ses_valid_session_name(const char *name, char *err, size_t errsz)
{
	size_t n = strlen(name);

	if (n == 0 || n > SES_NAME_MAX) {
		snprintf(err, errsz, "session name must be 1-%d characters",
			 SES_NAME_MAX);
		return -1;
	}
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		/* ':' separates a pane in targets; control characters and
		 * blanks would break `ses list` columns. */
		if (*s == ':' || *s <= ' ' || *s == 0x7f) {
			snprintf(err, errsz,
				 "invalid session name \"%s\": no ':', blanks or "
				 "control characters",
				 name);
			return -1;
		}
	}
	return 0;
}

void
ses_unique_name(struct ses *ses, char *out, size_t n)
{
	for (unsigned i = 0;; i++) {
		snprintf(out, n, "%u", i);
		if (!ses_session_find(ses, out))
			return;
	}
}

struct pane *
ses_target(struct ses *ses, const char *target, char *err, size_t errsz)
{
	char name[SES_NAME_MAX + 1];
	const char *colon = strrchr(target, ':');
	unsigned long long id = 0;
	struct session *s;
	size_t len = colon ? (size_t)(colon - target) : strlen(target);

	if (len > SES_NAME_MAX) {
		snprintf(err, errsz, "no session named \"%.80s\"", target);
		return NULL;
	}
	memcpy(name, target, len);
	name[len] = '\0';
	if (colon && !parse_uint(colon + 1, 65535, &id)) {
		snprintf(err, errsz,
			 "bad target \"%s\": expected NAME or NAME:PANE with a "
			 "pane number",
			 target);
		return NULL;
	}
	if (!*name) {
		struct session *best = NULL;

		for (s = ses->sessions; s; s = s->next) {
			if (!best || s->last_used > best->last_used)
				best = s;
		}
		s = best;
		if (!s) {
			snprintf(err, errsz, "no sessions");
			return NULL;
		}
	} else if (!(s = ses_session_find(ses, name))) {
		snprintf(err, errsz, "no session named \"%s\"", name);
		return NULL;
	}
	if (!colon) {
		if (!ses_session_focus(s)) {
			snprintf(err, errsz, "session \"%s\" has no panes", s->name);
			return NULL;
		}
		return ses_pane_by_id(ses, ses_session_focus(s));
	}
	{
		struct sfloat *fl;

		if (ses_session_locate(s, (uint16_t)id, &fl) != -2)
			return ses_pane_by_id(ses, (uint16_t)id);
	}
	snprintf(err, errsz, "session \"%s\" has no pane %llu", s->name, id);
	return NULL;
}
