/*
 * term — what the user's terminal can do, read once from terminfo.
 *
 * The renderer never consults terminfo while drawing: every string it may
 * need is copied here at start-up, the colour strings are expanded for
 * every palette entry, and `ansi` says whether the terminal speaks the
 * standard CSI forms so that cursor moves and SGR can be built directly
 * (one combined SGR per pen change, no tiparm per cell).
 *
 * ncurses' own <term.h> defines many lower-case macros, so only term.c
 * includes it; this header is safe everywhere.
 */
#ifndef HEXE_TERM_H
#define HEXE_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* String capabilities kept from terminfo (index into term_caps.str). */
enum term_cap {
	TC_CUP,
	TC_SGR0,
	TC_BOLD,
	TC_DIM,
	TC_SITM,
	TC_SMUL,
	TC_REV,
	TC_BLINK,
	TC_INVIS,
	TC_SMXX,  /* strikethrough (extended) */
	TC_SMULX, /* underline style, %p1 = 2 double, 3 curly (extended) */
	TC_SMOL,  /* overline (extended) */
	TC_SMCUP,
	TC_RMCUP,
	TC_CIVIS,
	TC_CNORM,
	TC_EL,
	TC_CLEAR,
	TC_BEL,
	TC_SMAM,
	TC_RMAM,
	TC_SETAF,
	TC_SETAB,
	TC_SS, /* cursor shape, %p1 = DECSCUSR value (extended) */
	TC_SE, /* reset cursor shape (extended) */
	TC_COUNT
};

struct term_caps {
	/* Never NULL: "" when the terminal lacks the capability. */
	char *str[TC_COUNT];
	/* setaf/setab expanded for palette entries 0 .. ncolor_str-1, for
	 * terminals whose colour strings are not the standard CSI forms. */
	char **fg_str;
	char **bg_str;
	int ncolor_str;

	int colors;      /* usable palette size: 0, 8, 16 or 256 */
	bool truecolor;  /* ESC[38;2;r;g;bm works */
	bool ansi_cup;   /* cup is ESC[row;colH: build moves directly */
	bool ansi_sgr;   /* attributes and colours are the standard SGRs */
	bool am, xenl, bce;
	uint16_t attrs;  /* cell_attr bits the terminal can show */
	bool fallback;   /* terminfo failed: built-in xterm sequences in use */
};

/*
 * Read the capabilities of `term` (NULL: $TERM) for output on fd.
 * colorterm is $COLORTERM (may be NULL). Never fails: when terminfo has no
 * usable entry, built-in xterm-compatible sequences are used, caps->fallback
 * is set and err receives the reason; otherwise err is set to "".
 */
struct term_caps *term_caps_new(int fd, const char *term,
				const char *colorterm, char *err,
				size_t errsz);
void term_caps_free(struct term_caps *caps);

/* A capability with parameters filled in (tiparm), for the rare cases the
 * renderer cannot build itself. The result lives until the next call;
 * "" when the capability is absent. */
const char *term_caps_param(const struct term_caps *caps, enum term_cap cap,
			    int p1, int p2);

#endif
