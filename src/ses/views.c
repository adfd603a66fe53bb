/*
 * views — which screens ses passes on, and which it need not.
 *
 * A mux of protocol 2 connects to the pod of every pane it shows and gets
 * that pane's updates (and sends its keys) there, which spares a hop
 * through ses each way. It says so once, before it attaches (MSG_VIEW for
 * pane 0), and names the panes it could not reach (MSG_VIEW pane, 0):
 * those, and every pane an older client shows, ses still carries. A pod
 * whose screen no attached client needs through ses is told to stop
 * sending it (MSG_VIEW to the pod), so a flood costs ses nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "ses/ses_int.h"

static int
via_index(const struct peer *c, uint16_t pane)
{
	for (int i = 0; i < c->nvia; i++) {
		if (c->via[i] == pane)
			return i;
	}
	return -1;
}

bool
ses_client_views_directly(const struct peer *c, uint16_t pane)
{
	return c->direct && via_index(c, pane) < 0;
}

bool
ses_pane_wanted(struct ses *ses, const struct pane *p)
{
	struct session *s = ses_session_by_id(ses, p->session);

	if (!s || !ses_pane_visible(s, p->id))
		return false;
	for (struct peer *c = ses->clients; c; c = c->next) {
		if (c->attached == s->id && !c->conn->closing &&
		    !ses_client_views_directly(c, p->id))
			return true;
	}
	return false;
}

void
ses_pane_view_sync(struct ses *ses, struct pane *p)
{
	bool want = ses_pane_wanted(ses, p);
	uint8_t on = want;
	struct wbuf b;

	if (!p->pod || p->pod->closing || p->pod_version < PROTO_DIRECT_VERSION ||
	    want == p->view_on)
		return;
	p->view_on = want;
	wbuf_init(&b);
	frame_put(&b, MSG_VIEW, p->id, &on, 1);
	ses_pod_send(p, &b);
	wbuf_free(&b);
}

void
ses_views_sync(struct ses *ses, struct session *s)
{
	for (struct pane *p = ses->panes; p; p = p->next) {
		if (p->session == s->id)
			ses_pane_view_sync(ses, p);
	}
}

void
ses_client_view(struct ses *ses, struct peer *c, const struct frame *f)
{
	bool direct = f->len >= 1 && f->payload[0];
	int i = via_index(c, f->pane);
	struct pane *p;

	if (f->pane == 0) {
		c->direct = direct;
		return;
	}
	p = ses_pane_by_id(ses, f->pane);
	if (direct && i >= 0) {
		c->via[i] = c->via[--c->nvia];
	} else if (!direct && i < 0 && p) {
		c->via = xrealloc(c->via, (size_t)(c->nvia + 1) * sizeof *c->via);
		c->via[c->nvia++] = f->pane;
	}
	if (!p)
		return;
	ses_pane_view_sync(ses, p);
	if (!direct)
		ses_pane_snapshot(ses, p->id);
}
