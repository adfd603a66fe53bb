/*
 * term — terminal capabilities from terminfo, with an xterm fallback.
 *
 * setupterm() installs a process-wide TERMINAL; we copy what we need and
 * delete it again straight away, so the caps are self-contained and
 * several can coexist (tests, or one per attached client).
 */
#include "render/term.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <term.h>

#include "core/cell.h"
#include "core/util.h"

/* Terminfo names, in enum term_cap order; capitalised ones are extended. */
static const char *const cap_names[TC_COUNT] = {
	[TC_CUP] = "cup",     [TC_SGR0] = "sgr0",   [TC_BOLD] = "bold",
	[TC_DIM] = "dim",     [TC_SITM] = "sitm",   [TC_SMUL] = "smul",
	[TC_REV] = "rev",     [TC_BLINK] = "blink", [TC_INVIS] = "invis",
	[TC_SMXX] = "smxx",   [TC_SMULX] = "Smulx", [TC_SMOL] = "Smol",
	[TC_SMCUP] = "smcup", [TC_RMCUP] = "rmcup", [TC_CIVIS] = "civis",
	[TC_CNORM] = "cnorm", [TC_EL] = "el",       [TC_CLEAR] = "clear",
	[TC_BEL] = "bel",     [TC_SMAM] = "smam",   [TC_RMAM] = "rmam",
	[TC_SETAF] = "setaf", [TC_SETAB] = "setab", [TC_SS] = "Ss",
	[TC_SE] = "Se",
};

/* What we assume when terminfo cannot help: a modern xterm. */
static const char *const builtin[TC_COUNT] = {
	[TC_CUP] = "\033[%i%p1%d;%p2%dH",
	[TC_SGR0] = "\033[m",
	[TC_BOLD] = "\033[1m",
	[TC_DIM] = "\033[2m",
	[TC_SITM] = "\033[3m",
	[TC_SMUL] = "\033[4m",
	[TC_REV] = "\033[7m",
	[TC_BLINK] = "\033[5m",
	[TC_INVIS] = "\033[8m",
	[TC_SMXX] = "\033[9m",
	[TC_SMULX] = "",
	[TC_SMOL] = "",
	[TC_SMCUP] = "\033[?1049h",
	[TC_RMCUP] = "\033[?1049l",
	[TC_CIVIS] = "\033[?25l",
	[TC_CNORM] = "\033[?25h",
	[TC_EL] = "\033[K",
	[TC_CLEAR] = "\033[H\033[2J",
	[TC_BEL] = "\a",
	[TC_SMAM] = "\033[?7h",
	[TC_RMAM] = "\033[?7l",
	[TC_SETAF] = "\033[%?%p1%{8}%<%t3%p1%d%e%p1%{16}%<%t9%p1%{8}%-%d"
		     "%e38;5;%p1%d%;m",
	[TC_SETAB] = "\033[%?%p1%{8}%<%t4%p1%d%e%p1%{16}%<%t10%p1%{8}%-%d"
		     "%e48;5;%p1%d%;m",
	[TC_SS] = "\033[%p1%d q",
	[TC_SE] = "\033[0 q",
};

/* The standard SGR each attribute capability must equal for ansi_sgr. */
static const struct {
	enum term_cap cap;
	const char *sgr;
	uint16_t attrs;
} attr_caps[] = {
	{ TC_BOLD, "\033[1m", ATTR_BOLD },
	{ TC_DIM, "\033[2m", ATTR_DIM },
	{ TC_SITM, "\033[3m", ATTR_ITALIC },
	{ TC_SMUL, "\033[4m",
	  ATTR_UNDERLINE | ATTR_DUNDERLINE | ATTR_CURLY },
	{ TC_BLINK, "\033[5m", ATTR_BLINK },
	{ TC_REV, "\033[7m", ATTR_REVERSE },
	{ TC_INVIS, "\033[8m", ATTR_CONCEAL },
	{ TC_SMXX, "\033[9m", ATTR_STRIKE },
	{ TC_SMOL, "\033[53m", ATTR_OVERLINE },
};

static const char *
ti_str(const char *name)
{
	char *s = tigetstr(name);

	/* (char *)-1 means "not a string capability". */
	if (s == NULL || s == (char *)-1)
		return "";
	return s;
}

static bool
ti_flag(const char *name)
{
	return tigetflag(name) > 0;
}

/* Expand a parameterised capability; "" if it is absent or fails. */
static const char *
expand(const char *cap, int p1, int p2)
{
	const char *s;

	if (!*cap)
		return "";
	s = tiparm(cap, p1, p2);
	return s ? s : "";
}

static bool
expands_to(const char *cap, int p1, const char *a, const char *b)
{
	const char *s = expand(cap, p1, 0);

	return strcmp(s, a) == 0 || (b && strcmp(s, b) == 0);
}

/* sgr0 commonly also resets the character set (ESC ( B or SI), which we
 * never change, so only its SGR part matters. */
static bool
sgr0_is_ansi(const char *s)
{
	char buf[32];
	size_t n = 0;

	for (; *s && n < sizeof buf - 1; s++) {
		if (strncmp(s, "\033(B", 3) == 0) {
			s += 2;
			continue;
		}
		if (*s != '\017')
			buf[n++] = *s;
	}
	buf[n] = '\0';
	return strcmp(buf, "\033[m") == 0 || strcmp(buf, "\033[0m") == 0;
}

static bool
colors_are_ansi(const struct term_caps *c)
{
	const char *af = c->str[TC_SETAF], *ab = c->str[TC_SETAB];

	if (c->colors == 0)
		return true;
	if (!expands_to(af, 1, "\033[31m", "\033[38;5;1m") ||
	    !expands_to(ab, 1, "\033[41m", "\033[48;5;1m"))
		return false;
	if (c->colors >= 16 &&
	    (!expands_to(af, 9, "\033[91m", "\033[38;5;9m") ||
	     !expands_to(ab, 9, "\033[101m", "\033[48;5;9m")))
		return false;
	/* Direct-colour entries encode high indexes as RGB; we emit 38;5
	 * ourselves there, which such terminals understand. */
	if (c->colors >= 256 && !c->truecolor &&
	    (!expands_to(af, 200, "\033[38;5;200m", NULL) ||
	     !expands_to(ab, 200, "\033[48;5;200m", NULL)))
		return false;
	return true;
}

static bool
sgr_is_ansi(const struct term_caps *c)
{
	if (!sgr0_is_ansi(c->str[TC_SGR0]))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(attr_caps); i++) {
		const char *s = c->str[attr_caps[i].cap];

		if (*s && strcmp(s, attr_caps[i].sgr) != 0)
			return false;
	}
	if (*c->str[TC_SMULX] &&
	    !expands_to(c->str[TC_SMULX], 2, "\033[4:2m", NULL))
		return false;
	return colors_are_ansi(c);
}

static int
palette_size(int n)
{
	if (n >= 256)
		return 256;
	if (n >= 16)
		return 16;
	if (n >= 8)
		return 8;
	return 0;
}

static bool
colorterm_says_truecolor(const char *colorterm)
{
	return colorterm && (strcasecmp(colorterm, "truecolor") == 0 ||
			     strcasecmp(colorterm, "24bit") == 0);
}

/* A copy without padding ($<5>, $<2*>): padding is a delay for tputs,
 * and we hand bytes to the caller instead, where it would print. */
static char *
copy_cap(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	while (*s) {
		if (s[0] == '$' && s[1] == '<') {
			const char *e = s + 2;

			while ((*e >= '0' && *e <= '9') || *e == '.' ||
			       *e == '*' || *e == '/')
				e++;
			if (*e == '>') {
				s = e + 1;
				continue;
			}
		}
		*o++ = *s++;
	}
	*o = '\0';
	return out;
}

static void
read_terminfo(struct term_caps *c)
{
	int n = tigetnum("colors");

	for (int i = 0; i < TC_COUNT; i++)
		c->str[i] = copy_cap(ti_str(cap_names[i]));
	c->am = ti_flag("am");
	c->xenl = ti_flag("xenl");
	c->bce = ti_flag("bce");
	if (n > 256 || ti_flag("RGB") || ti_flag("Tc") || tigetnum("RGB") > 0)
		c->truecolor = true;
	c->colors = palette_size(n);
}

static void
use_builtin(struct term_caps *c, const char *term)
{
	for (int i = 0; i < TC_COUNT; i++)
		c->str[i] = xstrdup(builtin[i]);
	c->am = c->xenl = c->bce = true;
	c->colors = term && strstr(term, "256") ? 256 : 8;
	c->fallback = true;
}

/* Colour strings for terminals whose setaf/setab are not the standard
 * CSI forms: expanded once here so drawing never calls tiparm. */
static void
expand_colors(struct term_caps *c)
{
	int n = c->colors;

	if (c->ansi_sgr || n == 0 || !*c->str[TC_SETAF] || !*c->str[TC_SETAB])
		return;
	c->fg_str = xcalloc((size_t)n, sizeof *c->fg_str);
	c->bg_str = xcalloc((size_t)n, sizeof *c->bg_str);
	for (int i = 0; i < n; i++) {
		c->fg_str[i] = xstrdup(expand(c->str[TC_SETAF], i, 0));
		c->bg_str[i] = xstrdup(expand(c->str[TC_SETAB], i, 0));
	}
	c->ncolor_str = n;
}

static void
derive(struct term_caps *c, const char *colorterm)
{
	c->attrs = 0;
	for (size_t i = 0; i < ARRAY_SIZE(attr_caps); i++)
		if (*c->str[attr_caps[i].cap])
			c->attrs |= attr_caps[i].attrs;
	if (colorterm_says_truecolor(colorterm))
		c->truecolor = true;
	if (!*c->str[TC_SETAF] || !*c->str[TC_SETAB])
		c->colors = 0;
	c->ansi_cup = strcmp(expand(c->str[TC_CUP], 4, 9), "\033[5;10H") == 0;
	c->ansi_sgr = sgr_is_ansi(c);
	expand_colors(c);
}

/* Returns a reason when terminfo is unusable, NULL when it was loaded. */
static const char *
try_terminfo(struct term_caps *c, int fd, const char *term)
{
	TERMINAL *saved = cur_term, *mine;
	int errret = 0;
	const char *why = NULL;

	if (setupterm((char *)term, fd, &errret) != OK) {
		set_curterm(saved);
		return errret == -1 ? "terminfo database not found"
				    : "no terminfo entry";
	}
	if (tigetstr("cup") == NULL || tigetstr("cup") == (char *)-1)
		why = "terminal cannot address the cursor";
	else
		read_terminfo(c);
	mine = set_curterm(saved);
	if (mine && mine != saved)
		del_curterm(mine);
	return why;
}

struct term_caps *
term_caps_new(int fd, const char *term, const char *colorterm, char *err,
	      size_t errsz)
{
	struct term_caps *c = xcalloc(1, sizeof *c);
	const char *why = try_terminfo(c, fd, term);

	if (why) {
		use_builtin(c, term);
		if (errsz)
			snprintf(err, errsz,
				 "%s for '%s'; using built-in xterm sequences",
				 why, term ? term : "$TERM");
	} else if (errsz) {
		err[0] = '\0';
	}
	derive(c, colorterm);
	return c;
}

const char *
term_caps_param(const struct term_caps *c, enum term_cap cap, int p1, int p2)
{
	return expand(c->str[cap], p1, p2);
}

void
term_caps_free(struct term_caps *c)
{
	if (!c)
		return;
	for (int i = 0; i < TC_COUNT; i++)
		free(c->str[i]);
	for (int i = 0; i < c->ncolor_str; i++) {
		free(c->fg_str[i]);
		free(c->bg_str[i]);
	}
	free(c->fg_str);
	free(c->bg_str);
	free(c);
}
