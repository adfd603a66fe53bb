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
	if (s && s->npanes < (int)ARRAY_SIZE(s->panes))
		s->panes[s->npanes++] = id;
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

void
ses_session_remove_pane(struct session *s, uint16_t id)
{
	for (int i = 0; i < s->npanes; i++) {
		if (s->panes[i] != id)
			continue;
		memmove(&s->panes[i], &s->panes[i + 1],
			(size_t)(s->npanes - i - 1) * sizeof s->panes[0]);
		s->npanes--;
		if (s->focus >= s->npanes)
			s->focus = s->npanes ? s->npanes - 1 : 0;
		return;
	}
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
resize_pane(struct pane *p, uint16_t cols, uint16_t rows)
{
	struct msg_resize m = { cols, rows };
	struct wbuf b;

	if (p->cols == cols && p->rows == rows)
		return;
	p->cols = cols;
	p->rows = rows;
	wbuf_init(&b);
	msg_resize_encode(&b, p->id, &m);
	ses_pod_send(p, &b);
	wbuf_free(&b);
}

void
ses_session_relayout(struct ses *ses, struct session *s)
{
	uint16_t cols = 0, rows = 0;

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
	/* One tab, the focused pane fills it; splits and tabs build on this
	 * rectangle logic. */
	for (int i = 0; i < s->npanes; i++) {
		struct pane *p = ses_pane_by_id(ses, s->panes[i]);

		if (p)
			resize_pane(p, s->cols, s->rows);
	}
	ses_send_layout(ses, s, NULL);
}

void
ses_send_layout(struct ses *ses, struct session *s, struct peer *only)
{
	struct layout_pane lp[1];
	char *tabs[2] = { "1", NULL };
	struct msg_layout m;
	struct pane *p = s->npanes ? ses_pane_by_id(ses, s->panes[s->focus])
				   : NULL;
	struct wbuf b;

	memset(&m, 0, sizeof m);
	m.session = s->name;
	m.cols = s->cols;
	m.rows = s->rows;
	m.active_tab = 0;
	m.tabs.n = 1;
	m.tabs.v = tabs;
	if (p) {
		lp[0].id = p->id;
		lp[0].x = 0;
		lp[0].y = 0;
		lp[0].w = s->cols;
		lp[0].h = s->rows;
		lp[0].flags = LAYOUT_FOCUSED;
		lp[0].title = p->have_info ? p->info.title : "";
		lp[0].info = p->have_info ? p->info.profile : "";
		m.npanes = 1;
		m.panes = lp;
	}
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
		if (!s->npanes) {
			snprintf(err, errsz, "session \"%s\" has no panes", s->name);
			return NULL;
		}
		return ses_pane_by_id(ses, s->panes[s->focus]);
	}
	for (int i = 0; i < s->npanes; i++) {
		if (s->panes[i] == id)
			return ses_pane_by_id(ses, (uint16_t)id);
	}
	snprintf(err, errsz, "session \"%s\" has no pane %llu", s->name, id);
	return NULL;
}
