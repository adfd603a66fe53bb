/*
 * keymap — the action table, the default keymap and chord lookup.
 */
#include "mux/keymap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/*
 * The default chords are Ctrl+Alt chords, which reach a shell only as
 * rarely used readline commands (the `shadows` column, from bash 5's
 * `bind -p`), plus Shift+PageUp/PageDown and Alt+<float key>.
 */
static const struct action_def actions[] = {
	{ ACTION_DETACH, "detach", ACTION_ARG_NONE, "ctrl+alt+d", "d",
	  "shell-kill-word",
	  "detach from the session; it keeps running" },
	{ ACTION_REDRAW, "redraw", ACTION_ARG_NONE, "ctrl+alt+w", "w", NULL,
	  "redraw the whole screen" },
	{ ACTION_RELOAD, "reload", ACTION_ARG_NONE, NULL, "shift+r", NULL,
	  "load the config file again" },
	{ ACTION_HELP, "help", ACTION_ARG_NONE, "ctrl+alt+/", "/", NULL,
	  "show the key bindings" },
	{ ACTION_SPLIT_VERTICAL, "split.vertical", ACTION_ARG_NONE,
	  "ctrl+alt+v", "v", NULL,
	  "split the focused pane side by side; the new pane is on the right" },
	{ ACTION_SPLIT_HORIZONTAL, "split.horizontal", ACTION_ARG_NONE,
	  "ctrl+alt+s", "s", NULL,
	  "split the focused pane top/bottom; the new pane is below" },
	{ ACTION_PANE_CLOSE, "pane.close", ACTION_ARG_NONE, "ctrl+alt+x", "x",
	  NULL, "close the focused pane (its processes end)" },
	{ ACTION_ZOOM, "zoom", ACTION_ARG_NONE, "ctrl+alt+z", "z", NULL,
	  "the focused pane fills the tab, or stops doing so" },
	{ ACTION_FOCUS_LEFT, "focus.left", ACTION_ARG_NONE, "ctrl+alt+h", "h",
	  "backward-kill-word (Alt+Backspace still does it)",
	  "focus the pane on the left" },
	{ ACTION_FOCUS_DOWN, "focus.down", ACTION_ARG_NONE, "ctrl+alt+j", "j",
	  NULL, "focus the pane below" },
	{ ACTION_FOCUS_UP, "focus.up", ACTION_ARG_NONE, "ctrl+alt+k", "k", NULL,
	  "focus the pane above" },
	{ ACTION_FOCUS_RIGHT, "focus.right", ACTION_ARG_NONE, "ctrl+alt+l", "l",
	  "clear-display", "focus the pane on the right" },
	{ ACTION_RESIZE_LEFT, "resize.left", ACTION_ARG_NONE, NULL, "shift+h",
	  NULL, "move the focused pane's vertical border left" },
	{ ACTION_RESIZE_DOWN, "resize.down", ACTION_ARG_NONE, NULL, "shift+j",
	  NULL, "move the focused pane's horizontal border down" },
	{ ACTION_RESIZE_UP, "resize.up", ACTION_ARG_NONE, NULL, "shift+k", NULL,
	  "move the focused pane's horizontal border up" },
	{ ACTION_RESIZE_RIGHT, "resize.right", ACTION_ARG_NONE, NULL, "shift+l",
	  NULL, "move the focused pane's vertical border right" },
	{ ACTION_TAB_NEW, "tab.new", ACTION_ARG_NONE, "ctrl+alt+t", "t",
	  "shell-transpose-words", "open a new tab with a shell" },
	{ ACTION_TAB_NEXT, "tab.next", ACTION_ARG_NONE, "ctrl+alt+n", "n", NULL,
	  "go to the next tab" },
	{ ACTION_TAB_PREV, "tab.prev", ACTION_ARG_NONE, "ctrl+alt+p", "p", NULL,
	  "go to the previous tab" },
	{ ACTION_TAB_RENAME, "tab.rename", ACTION_ARG_NONE, "ctrl+alt+r", "r",
	  "revert-line", "rename the current tab (asks for the name)" },
	{ ACTION_TAB_CLOSE, "tab.close", ACTION_ARG_NONE, NULL, "shift+x", NULL,
	  "close the current tab and every pane in it" },
	{ ACTION_TAB_GOTO, "tab.goto", ACTION_ARG_NUMBER, NULL, NULL, NULL,
	  "go to tab N (1 is the first)" },
	{ ACTION_FLOAT_TOGGLE, "float.toggle", ACTION_ARG_FLOAT_KEY, NULL, NULL,
	  "digit-argument (Alt+digit)",
	  "show or hide the float with key KEY (default chord: alt+KEY)" },
	{ ACTION_SCROLL_PAGE_UP, "scroll.page_up", ACTION_ARG_NONE,
	  "shift+pageup", "pageup", NULL,
	  "scroll the focused pane's history up a page" },
	{ ACTION_SCROLL_PAGE_DOWN, "scroll.page_down", ACTION_ARG_NONE,
	  "shift+pagedown", "pagedown", NULL,
	  "scroll down a page (back to the live screen at the end)" },
	{ ACTION_COPY_MODE, "copy.mode", ACTION_ARG_NONE, NULL, "[", NULL,
	  "select and copy text from the pane and its history" },
};

const struct action_def *
action_table(size_t *n)
{
	*n = ARRAY_SIZE(actions);
	return actions;
}

const struct action_def *
action_get(enum action a)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (actions[i].id == a)
			return &actions[i];
	return NULL;
}

const struct action_def *
action_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (strcmp(actions[i].name, name) == 0)
			return &actions[i];
	return NULL;
}

void
keymap_init(struct keymap *km)
{
	memset(km, 0, sizeof *km);
}

void
keymap_free(struct keymap *km)
{
	free(km->b);
	free(km->pb);
	keymap_init(km);
}

void
keymap_copy(struct keymap *dst, const struct keymap *src)
{
	keymap_init(dst);
	dst->has_prefix = src->has_prefix;
	dst->prefix = src->prefix;
	if (src->n) {
		dst->b = xmalloc(src->n * sizeof *dst->b);
		memcpy(dst->b, src->b, src->n * sizeof *dst->b);
		dst->n = dst->cap = src->n;
	}
	if (src->pn) {
		dst->pb = xmalloc(src->pn * sizeof *dst->pb);
		memcpy(dst->pb, src->pb, src->pn * sizeof *dst->pb);
		dst->pn = dst->pcap = src->pn;
	}
}

static bool
chord_eq(const struct key_chord *a, const struct key_chord *b)
{
	return a->key == b->key && a->mods == b->mods;
}

/* Appends to (or replaces in) one list of bindings. */
static void
list_bind(struct binding **v, size_t *n, size_t *cap, const struct binding *b)
{
	for (size_t i = 0; i < *n; i++) {
		if (chord_eq(&(*v)[i].chord, &b->chord)) {
			(*v)[i] = *b;
			return;
		}
	}
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = *b;
}

void
keymap_bind(struct keymap *km, const struct binding *b)
{
	list_bind(&km->b, &km->n, &km->cap, b);
}

bool
keymap_unbind(struct keymap *km, const struct key_chord *chord)
{
	for (size_t i = 0; i < km->n; i++) {
		if (chord_eq(&km->b[i].chord, chord)) {
			memmove(&km->b[i], &km->b[i + 1],
				(km->n - i - 1) * sizeof *km->b);
			km->n--;
			return true;
		}
	}
	return false;
}

const struct binding *
keymap_find(const struct keymap *km, const struct key_chord *chord)
{
	for (size_t i = 0; i < km->n; i++)
		if (chord_eq(&km->b[i].chord, chord))
			return &km->b[i];
	return NULL;
}

static void
binding_set(struct binding *b, const struct key_chord *chord, enum action a,
	    const char *arg)
{
	memset(b, 0, sizeof *b);
	b->chord = *chord;
	b->req.action = a;
	b->lua_ref = -1;
	snprintf(b->req.arg, sizeof b->req.arg, "%s", arg ? arg : "");
}

void
keymap_add_defaults(struct keymap *km, const char *const *float_keys,
		    size_t nkeys)
{
	struct key_chord chord;
	struct binding b;
	char name[32];

	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (!actions[i].chord ||
		    key_chord_parse(actions[i].chord, &chord, NULL, 0) < 0)
			continue;
		binding_set(&b, &chord, actions[i].id, NULL);
		keymap_bind(km, &b);
	}
	for (size_t i = 0; i < nkeys; i++) {
		snprintf(name, sizeof name, "alt+%s", float_keys[i]);
		if (key_chord_parse(name, &chord, NULL, 0) < 0)
			continue;
		binding_set(&b, &chord, ACTION_FLOAT_TOGGLE, float_keys[i]);
		keymap_bind(km, &b);
	}
}

void
keymap_set_prefix(struct keymap *km, const struct key_chord *prefix,
		  const char *const *float_keys, size_t nkeys)
{
	struct key_chord chord;
	struct binding b;

	km->has_prefix = true;
	km->prefix = *prefix;
	km->pn = 0;
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++) {
		if (!actions[i].prefix_key ||
		    key_chord_parse(actions[i].prefix_key, &chord, NULL, 0) < 0)
			continue;
		binding_set(&b, &chord, actions[i].id, NULL);
		list_bind(&km->pb, &km->pn, &km->pcap, &b);
	}
	for (size_t i = 0; i < nkeys; i++) {
		if (key_chord_parse(float_keys[i], &chord, NULL, 0) < 0)
			continue;
		/* An action's own key wins over a float with the same key. */
		bool taken = false;

		for (size_t k = 0; k < km->pn; k++)
			taken = taken || chord_eq(&km->pb[k].chord, &chord);
		if (taken)
			continue;
		binding_set(&b, &chord, ACTION_FLOAT_TOGGLE, float_keys[i]);
		list_bind(&km->pb, &km->pn, &km->pcap, &b);
	}
}

const struct binding *
keymap_match(const struct keymap *km, const struct input_event *ev)
{
	for (size_t i = 0; i < km->n; i++)
		if (key_chord_match(&km->b[i].chord, ev))
			return &km->b[i];
	return NULL;
}

bool
keymap_is_prefix(const struct keymap *km, const struct input_event *ev)
{
	return km->has_prefix && key_chord_match(&km->prefix, ev);
}

const struct binding *
keymap_match_prefixed(const struct keymap *km, const struct input_event *ev)
{
	for (size_t i = 0; i < km->pn; i++)
		if (key_chord_match(&km->pb[i].chord, ev))
			return &km->pb[i];
	return NULL;
}

void
action_req_format(const struct action_req *r, const struct binding *b,
		  char *out, size_t n)
{
	const struct action_def *d = action_get(r->action);

	if (r->action == ACTION_LUA)
		snprintf(out, n, "function (%s)", b && b->where[0] ? b->where : "lua");
	else if (!d)
		snprintf(out, n, "none");
	else if (r->arg[0])
		snprintf(out, n, "%s %s", d->name, r->arg);
	else
		snprintf(out, n, "%s", d->name);
}
