/*
 * payload — generators for the colour, Unicode and cursor payloads. Every
 * line stays within 78 columns so that nothing wraps at 80x24, and every
 * payload ends with its attributes reset, so the marker printed after it
 * is plain text.
 */
#include "payload.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct gen {
	FILE *f;
	size_t written;
	uint32_t seed;
};

static uint32_t
rnd(struct gen *g)
{
	g->seed = g->seed * 1103515245u + 12345u;
	return g->seed >> 8;
}

static void
out(struct gen *g, const char *s, size_t n)
{
	fwrite(s, 1, n, g->f);
	g->written += n;
}

static void
outs(struct gen *g, const char *s)
{
	out(g, s, strlen(s));
}

static void
outf(struct gen *g, const char *fmt, int a, int b, int c, int d)
{
	char tmp[64];
	int n = snprintf(tmp, sizeof tmp, fmt, a, b, c, d);

	out(g, tmp, (size_t)n);
}

static void
utf8(struct gen *g, uint32_t cp)
{
	char s[4];
	int n;

	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xc0 | cp >> 6);
		s[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else {
		s[0] = (char)(0xe0 | cp >> 12);
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	}
	out(g, s, (size_t)n);
}

/* A line of 72 cells, with a new colour or attribute every 2-5 cells:
 * 256-colour and 24-bit foregrounds and backgrounds, bold, italic,
 * underline. */
static void
colour_line(struct gen *g)
{
	int col = 0;

	while (col < 72) {
		int run = 2 + (int)(rnd(g) % 4);

		switch (rnd(g) % 6) {
		case 0:
			outf(g, "\033[38;5;%dm", (int)(rnd(g) % 256), 0, 0, 0);
			break;
		case 1:
			outf(g, "\033[48;5;%dm", (int)(rnd(g) % 256), 0, 0, 0);
			break;
		case 2:
			outf(g, "\033[38;2;%d;%d;%dm", (int)(rnd(g) % 256),
			     (int)(rnd(g) % 256), (int)(rnd(g) % 256), 0);
			break;
		case 3:
			outf(g, "\033[48;2;%d;%d;%dm", (int)(rnd(g) % 256),
			     (int)(rnd(g) % 256), (int)(rnd(g) % 256), 0);
			break;
		case 4:
			outf(g, "\033[%d;38;5;%dm", 1 + (int)(rnd(g) % 4),
			     (int)(rnd(g) % 256), 0, 0);
			break;
		default:
			outs(g, "\033[0m");
			break;
		}
		for (int i = 0; i < run && col < 72; i++, col++) {
			char c = (char)('!' + rnd(g) % 94);

			out(g, &c, 1);
		}
	}
	outs(g, "\033[0m\n");
}

/* A line of up to 76 columns: CJK ideographs and Hangul (two columns
 * each), Latin letters with one or two combining marks, Greek and
 * Cyrillic. */
static void
unicode_line(struct gen *g)
{
	static const uint32_t marks[] = { 0x301, 0x300, 0x308, 0x303, 0x327,
					  0x30a };
	int col = 0;

	while (col < 74) {
		switch (rnd(g) % 5) {
		case 0:
			utf8(g, 0x4e00 + rnd(g) % 0x5000);
			col += 2;
			break;
		case 1:
			utf8(g, 0xac00 + rnd(g) % 0x2b00);
			col += 2;
			break;
		case 2:
			utf8(g, 'a' + rnd(g) % 26);
			utf8(g, marks[rnd(g) % 6]);
			if (rnd(g) % 3 == 0)
				utf8(g, marks[rnd(g) % 6]);
			col++;
			break;
		case 3:
			utf8(g, 0x3b1 + rnd(g) % 24);
			col++;
			break;
		default:
			utf8(g, 0x430 + rnd(g) % 32);
			col++;
			break;
		}
	}
	outs(g, "\n");
}

/* One full-screen redraw of a 78x24 area, as a TUI does it: home, then
 * every row addressed by CUP, some in two pieces, some with a coloured
 * field and an erase to the end of the line. */
static void
cursor_frame(struct gen *g, int frame)
{
	outs(g, "\033[H");
	if (frame % 50 == 0)
		outs(g, "\033[2J");
	for (int y = 1; y <= 24; y++) {
		int split = 20 + (int)(rnd(g) % 40);
		char text[80];

		for (int x = 0; x < 78; x++)
			text[x] = (char)('a' + (frame + x + y) % 26);
		outf(g, "\033[%d;%dH", y, 1, 0, 0);
		out(g, text, (size_t)split);
		if (rnd(g) % 3 == 0)
			outf(g, "\033[%dm", 31 + (int)(rnd(g) % 7), 0, 0, 0);
		outf(g, "\033[%d;%dH", y, split + 1, 0, 0);
		out(g, text + split, (size_t)(78 - split));
		outs(g, "\033[0m\033[K");
	}
}

const char *
payload_name(enum payload_kind k)
{
	switch (k) {
	case PAYLOAD_COLOUR: return "colour";
	case PAYLOAD_UNICODE: return "unicode";
	case PAYLOAD_CURSOR: return "cursor";
	default: return "?";
	}
}

int
payload_write(enum payload_kind k, const char *path, size_t bytes)
{
	struct gen g = { fopen(path, "w"), 0, 0x9e3779b9u + (uint32_t)k };
	int frame = 0;

	if (!g.f)
		return -1;
	while (g.written < bytes) {
		if (k == PAYLOAD_COLOUR)
			colour_line(&g);
		else if (k == PAYLOAD_UNICODE)
			unicode_line(&g);
		else
			cursor_frame(&g, frame++);
	}
	/* leave a clean screen with the cursor home for the marker */
	if (k == PAYLOAD_CURSOR)
		outs(&g, "\033[0m\033[H\033[2J");
	return fclose(g.f) == 0 ? 0 : -1;
}
