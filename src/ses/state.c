/*
 * state — the session graph on disk, so that a restarted ses rebuilds
 * every session exactly: tabs, split trees, focus, zoom, floats, and what
 * new panes start with. Each pod also knows its own session, so a pane the
 * file does not mention still finds its session. Written atomically
 * (write a temporary file, rename it) whenever the graph changes.
 *
 * Not fsync'ed: the file is there for a daemon that crashed or was
 * killed, whose writes the kernel still holds; what would survive a
 * power loss is a graph without a single live pod. An fsync, in the
 * daemon's one loop, cost 17 ms per change here, stalling every pane's
 * output and every attach meanwhile.
 *
 * Format, one record per line; text fields are %-escaped (% and control
 * characters as %XX) so that no field holds a blank or a newline:
 *   hexe-state 2
 *   session <created> <last_used> <active tab> <float focus> <cols> <rows> <name>
 *   cwd <dir>
 *   env <KEY=VALUE>
 *   tab <focus> <zoomed> <layout> <name>
 *   float <pane> <visible> <key> <cwd>
 * A record after `session` belongs to that session.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "ses/ses_int.h"

#define STATE_FILE "sessions"
#define STATE_MAGIC "hexe-state 2\n"

static void
put_escaped(struct wbuf *b, const char *s)
{
	if (!*s) {
		wbuf_put(b, "%-", 2); /* an empty field */
		return;
	}
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c == '%' || c == 0x7f)
			wbuf_printf(b, "%%%02X", c);
		else
			wbuf_put(b, s, 1);
	}
}

/* Decode in place; returns s. */
static char *
unescape(char *s)
{
	char *r = s, *w = s;

	if (strcmp(s, "%-") == 0) {
		*s = '\0';
		return s;
	}
	while (*r) {
		unsigned v;

		if (r[0] == '%' && r[1] && r[2] && sscanf(r + 1, "%2x", &v) == 1) {
			*w++ = (char)v;
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

static void
save_session(struct wbuf *b, const struct session *s)
{
	wbuf_printf(b, "session %llu %llu %d %u %u %u ",
		    (unsigned long long)s->created,
		    (unsigned long long)s->last_used, s->active, s->float_focus,
		    s->cols, s->rows);
	put_escaped(b, s->name);
	wbuf_printf(b, "\ncwd ");
	put_escaped(b, s->cwd);
	wbuf_printf(b, "\n");
	for (uint32_t i = 0; i < s->env.n; i++) {
		wbuf_printf(b, "env ");
		put_escaped(b, s->env.v[i]);
		wbuf_printf(b, "\n");
	}
	for (int i = 0; i < s->ntabs; i++) {
		char tree[4096];

		layout_to_text(s->tabs[i].root, tree, sizeof tree);
		wbuf_printf(b, "tab %u %u ", s->tabs[i].focus, s->tabs[i].zoomed);
		put_escaped(b, tree);
		wbuf_printf(b, " ");
		put_escaped(b, s->tabs[i].name);
		wbuf_printf(b, "\n");
	}
	for (int i = 0; i < s->nfloats; i++) {
		const struct sfloat *f = &s->floats[i];

		wbuf_printf(b, "float %u %d ", f->pane, f->visible);
		put_escaped(b, f->key);
		wbuf_printf(b, " ");
		put_escaped(b, f->cwd);
		wbuf_printf(b, "\n");
	}
}

void
ses_state_save(struct ses *ses)
{
	char path[700], tmp[720], err[256];
	struct wbuf b;
	int fd;

	/* While re-adopting, the file still holds the graph to restore. */
	if (ses->stopping || ses->restoring)
		return;
	if (paths_ensure_state(&ses->paths, err, sizeof err) < 0) {
		log_warn(&ses->log, "state not saved: %s", err);
		return;
	}
	snprintf(path, sizeof path, "%s/%s", ses->paths.state, STATE_FILE);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	wbuf_init(&b);
	wbuf_printf(&b, STATE_MAGIC);
	for (struct session *s = ses->sessions; s; s = s->next)
		save_session(&b, s);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, b.data, b.len) < 0 || rename(tmp, path) < 0)
		log_warn(&ses->log, "cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	wbuf_free(&b);
}

static void
env_add(struct session *s, const char *kv)
{
	s->env.v = xrealloc(s->env.v, (s->env.n + 2) * sizeof *s->env.v);
	s->env.v[s->env.n++] = xstrdup(kv);
	s->env.v[s->env.n] = NULL;
}

static struct session *
load_session(struct ses *ses, char *rest)
{
	unsigned long long created, used;
	int active;
	unsigned ff, cols, rows;
	char name[200];
	struct session *s;

	if (sscanf(rest, "%llu %llu %d %u %u %u %199s", &created, &used,
		   &active, &ff, &cols, &rows, name) != 7 ||
	    cols < 1 || rows < 1 || cols > 10000 || rows > 10000)
		return NULL;
	unescape(name);
	if (ses_valid_session_name(name, (char[128]){ 0 }, 128) < 0 ||
	    ses_session_find(ses, name))
		return NULL;
	s = ses_session_new(ses, name);
	s->created = created;
	s->last_used = used;
	s->active = active;
	s->float_focus = (uint16_t)ff;
	s->cols = (uint16_t)cols;
	s->rows = (uint16_t)rows;
	return s;
}

static void
load_tab(struct session *s, char *rest)
{
	unsigned focus, zoomed;
	char tree[4096], name[256] = "";
	struct lnode *root;
	struct tab *t;

	if (s->ntabs >= SES_TABS_MAX ||
	    sscanf(rest, "%u %u %4095s %255s", &focus, &zoomed, tree, name) < 3)
		return;
	if (!(root = layout_from_text(unescape(tree))))
		return;
	t = &s->tabs[s->ntabs++];
	memset(t, 0, sizeof *t);
	t->root = root;
	t->focus = (uint16_t)focus;
	t->zoomed = (uint16_t)zoomed;
	snprintf(t->name, sizeof t->name, "%s", unescape(name));
}

static void
load_float(struct session *s, char *rest)
{
	unsigned pane;
	int visible;
	char key[64], cwd[1100] = "";
	struct sfloat *f;

	if (s->nfloats >= SES_FLOATS_MAX ||
	    sscanf(rest, "%u %d %63s %1099s", &pane, &visible, key, cwd) < 3)
		return;
	f = &s->floats[s->nfloats++];
	memset(f, 0, sizeof *f);
	f->pane = (uint16_t)pane;
	f->visible = visible != 0;
	snprintf(f->key, sizeof f->key, "%s", unescape(key));
	snprintf(f->cwd, sizeof f->cwd, "%s", unescape(cwd));
}

void
ses_state_load(struct ses *ses)
{
	char path[700];
	struct session *s = NULL;
	char *buf, *line, *save = NULL;

	snprintf(path, sizeof path, "%s/%s", ses->paths.state, STATE_FILE);
	if (!(buf = read_file(path, NULL)))
		return;
	if (strncmp(buf, STATE_MAGIC, strlen(STATE_MAGIC)) != 0) {
		log_warn(&ses->log, "%s: unknown format; ignored", path);
		free(buf);
		return;
	}
	for (line = strtok_r(buf + strlen(STATE_MAGIC), "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		char *rest = sp ? sp + 1 : line + strlen(line);

		if (sp)
			*sp = '\0';
		if (strcmp(line, "session") == 0)
			s = load_session(ses, rest);
		else if (!s)
			continue;
		else if (strcmp(line, "cwd") == 0)
			snprintf(s->cwd, sizeof s->cwd, "%s", unescape(rest));
		else if (strcmp(line, "env") == 0)
			env_add(s, unescape(rest));
		else if (strcmp(line, "tab") == 0)
			load_tab(s, rest);
		else if (strcmp(line, "float") == 0)
			load_float(s, rest);
	}
	free(buf);
}

/* After adoption: panes the file names whose pod is gone leave the graph;
 * sessions left with nothing end. */
void
ses_state_prune(struct ses *ses)
{
	struct session *s = ses->sessions, *next;

	for (; s; s = next) {
		uint16_t ids[512];
		int n = ses_session_panes(s, ids, 512);

		next = s->next;
		for (int i = 0; i < n; i++) {
			struct pane *p = ses_pane_by_id(ses, ids[i]);

			if (!p || p->session != s->id)
				ses_session_remove_pane(s, ids[i]);
		}
		if (s->active >= s->ntabs)
			s->active = s->ntabs ? s->ntabs - 1 : 0;
		if (ses_session_pane_count(s) == 0) {
			log_info(&ses->log, "session %s: no live pane; dropped",
				 s->name);
			ses_session_free(ses, s);
		}
	}
}
