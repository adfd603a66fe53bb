/*
 * floats — panes drawn over the tiled layout, opened by their key: the
 * first press starts the float's command (in the focused pane's directory,
 * with the float's own isolation when it has one), later presses hide and
 * show the same instance. A per_cwd float has one instance per directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "ses/ses_int.h"

const struct float_def *
ses_float_def(struct ses *ses, const char *key)
{
	for (int i = 0; i < ses->nfloat_defs; i++) {
		if (strcmp(ses->float_defs[i].key, key) == 0)
			return &ses->float_defs[i];
	}
	return NULL;
}

void
ses_float_place(const struct ses *ses, const struct session *s,
		struct sfloat *f)
{
	const struct float_def *d = ses_float_def((struct ses *)ses, f->key);
	int wp = d && d->width > 0 ? d->width : 80;
	int hp = d && d->height > 0 ? d->height : 80;

	f->w = s->cols * wp / 100;
	f->h = s->rows * hp / 100;
	if (f->w < 4)
		f->w = s->cols < 4 ? s->cols : 4;
	if (f->h < 3)
		f->h = s->rows < 3 ? s->rows : 3;
	f->x = d && d->x >= 0 ? s->cols * d->x / 100 : (s->cols - f->w) / 2;
	f->y = d && d->y >= 0 ? s->rows * d->y / 100 : (s->rows - f->h) / 2;
	if (f->x + f->w > s->cols)
		f->x = s->cols - f->w;
	if (f->y + f->h > s->rows)
		f->y = s->rows - f->h;
	if (f->x < 0)
		f->x = 0;
	if (f->y < 0)
		f->y = 0;
}

static struct sfloat *
find_instance(struct session *s, const struct float_def *d, const char *cwd)
{
	for (int i = 0; i < s->nfloats; i++) {
		struct sfloat *f = &s->floats[i];

		if (strcmp(f->key, d->key) != 0)
			continue;
		if (!d->per_cwd || strcmp(f->cwd, cwd ? cwd : "") == 0)
			return f;
	}
	return NULL;
}

static void
show(struct session *s, struct sfloat *f, const struct float_def *d)
{
	if (d->exclusive) {
		for (int i = 0; i < s->nfloats; i++)
			s->floats[i].visible = false;
	}
	f->visible = true;
	s->float_focus = f->pane;
}

static int
open_float(struct ses *ses, struct session *s, const struct float_def *d,
	   const char *cwd, char *err, size_t errsz)
{
	char *argv[4] = { "/bin/sh", "-c", NULL, NULL };
	struct pane_spawn sp = { argv, cwd && *cwd ? cwd : s->cwd,
				 d->has_iso ? d->iso : NULL };
	struct sfloat *f;
	struct pane *p;
	char *cmd;

	if (s->nfloats >= SES_FLOATS_MAX) {
		snprintf(err, errsz, "at most %d floats per session",
			 SES_FLOATS_MAX);
		return -1;
	}
	f = &s->floats[s->nfloats];
	memset(f, 0, sizeof *f);
	snprintf(f->key, sizeof f->key, "%s", d->key);
	snprintf(f->cwd, sizeof f->cwd, "%s", d->per_cwd && cwd ? cwd : "");
	ses_float_place(ses, s, f);
	p = ses_pane_new(ses, s, 0);
	/* The pane is inside the frame. */
	p->cols = (uint16_t)(f->w > 2 ? f->w - 2 : 1);
	p->rows = (uint16_t)(f->h > 2 ? f->h - 2 : 1);
	/* exec: the float's program is the pane's process, not a shell. */
	cmd = xasprintf("exec %s", d->command);
	argv[2] = cmd;
	if (ses_pod_spawn(ses, p, s, &sp, err, errsz) < 0) {
		free(cmd);
		ses_pane_free(ses, p);
		return -1;
	}
	free(cmd);
	f->pane = p->id;
	s->nfloats++;
	show(s, f, d);
	return 0;
}

int
ses_float_toggle(struct ses *ses, struct session *s, const char *key,
		 const char *cwd, char *err, size_t errsz)
{
	const struct float_def *d = ses_float_def(ses, key ? key : "");
	struct sfloat *f;

	if (!d) {
		snprintf(err, errsz, "no float is bound to \"%s\"", key ? key : "");
		return -1;
	}
	f = find_instance(s, d, cwd);
	if (!f)
		return open_float(ses, s, d, cwd, err, errsz);
	if (f->visible && s->float_focus == f->pane) {
		/* Hiding gives focus back to the tiled pane that had it. */
		f->visible = false;
		s->float_focus = 0;
		return 0;
	}
	show(s, f, d);
	return 0;
}
