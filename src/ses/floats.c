/*
 * floats — panes drawn over the tiled layout, opened by their key: the
 * first press starts the float's command (in the focused pane's directory,
 * with the float's own isolation when it has one), later presses hide and
 * show the same instance. A per_cwd float has one instance per directory.
 * Floats are defined by the session's layout in the config.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "ses/ses_int.h"

const struct config_float *
ses_float_def(struct ses *ses, const struct session *s, const char *key,
	      char *err, size_t errsz)
{
	const struct config_layout *l;
	const struct config_float *f;

	if (config_layout_pick(&ses->config, s->layout[0] ? s->layout : NULL,
			       &l, err, errsz) < 0)
		return NULL;
	if (!l || !(f = config_float_find(l, key))) {
		snprintf(err, errsz, "no float is bound to \"%s\"%s", key,
			 l ? "" : " (no layout defines floats)");
		return NULL;
	}
	return f;
}

void
ses_float_place(const struct ses *ses, const struct session *s,
		struct sfloat *f)
{
	char err[200];
	const struct config_float *d =
		ses_float_def((struct ses *)ses, s, f->key, err, sizeof err);
	int wp = ses->config.mux.float_width, hp = ses->config.mux.float_height;

	if (d && d->own_size) {
		wp = d->width;
		hp = d->height;
	}
	if (wp <= 0 || wp > 100)
		wp = 80;
	if (hp <= 0 || hp > 100)
		hp = 80;
	f->w = s->cols * wp / 100;
	f->h = s->rows * hp / 100;
	if (f->w < 4)
		f->w = s->cols < 4 ? s->cols : 4;
	if (f->h < 3)
		f->h = s->rows < 3 ? s->rows : 3;
	f->x = d && d->x != CONFIG_CENTER ? s->cols * d->x / 100
					  : (s->cols - f->w) / 2;
	f->y = d && d->y != CONFIG_CENTER ? s->rows * d->y / 100
					  : (s->rows - f->h) / 2;
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
find_instance(struct session *s, const struct config_float *d, const char *cwd)
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
show(struct session *s, struct sfloat *f, const struct config_float *d)
{
	if (d->exclusive) {
		for (int i = 0; i < s->nfloats; i++)
			s->floats[i].visible = false;
	}
	f->visible = true;
	s->float_focus = f->pane;
}

static int
open_float(struct ses *ses, struct session *s, const struct config_float *d,
	   const char *cwd, char *err, size_t errsz)
{
	char *argv[4] = { "/bin/sh", "-c", NULL, NULL };
	struct pane_spawn sp = { argv, cwd && *cwd ? cwd : s->cwd, NULL };
	struct isolation iso;
	struct sfloat *f;
	struct pane *p;
	char *cmd = NULL;

	if (s->nfloats >= SES_FLOATS_MAX) {
		snprintf(err, errsz, "at most %d floats per session",
			 SES_FLOATS_MAX);
		return -1;
	}
	if (config_pane_isolation(&ses->config, d, s->env.v, &iso, err,
				  errsz) < 0)
		return -1;
	sp.iso = &iso;
	f = &s->floats[s->nfloats];
	memset(f, 0, sizeof *f);
	snprintf(f->key, sizeof f->key, "%s", d->key);
	snprintf(f->cwd, sizeof f->cwd, "%s", d->per_cwd && cwd ? cwd : "");
	ses_float_place(ses, s, f);
	p = ses_pane_new(ses, s, 0);
	/* The pane is inside the frame. */
	p->cols = (uint16_t)(f->w > 2 ? f->w - 2 : 1);
	p->rows = (uint16_t)(f->h > 2 ? f->h - 2 : 1);
	if (d->command) {
		/* exec: the float's program is the pane's process, not a
		 * shell around it. */
		cmd = xasprintf("exec %s", d->command);
		argv[2] = cmd;
	} else {
		sp.argv = NULL; /* the user's shell */
	}
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
	const struct config_float *d =
		ses_float_def(ses, s, key ? key : "", err, errsz);
	struct sfloat *f;

	if (!d)
		return -1;
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
