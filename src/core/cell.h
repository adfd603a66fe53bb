/*
 * cell — one character cell of a terminal screen, as the pod's emulator
 * stores it, the wire carries it and the mux draws it.
 *
 * Colours are tagged 32-bit values so that "default", the 256-colour
 * palette and 24-bit RGB survive the trip unchanged; the mux decides at
 * draw time what the user's terminal can show.
 */
#ifndef HEXE_CELL_H
#define HEXE_CELL_H

#include <stdint.h>

#define COLOR_DEFAULT 0u
#define COLOR_TAG_INDEX 0x01000000u
#define COLOR_TAG_RGB 0x02000000u
#define COLOR_TAG(c) ((c) & 0xff000000u)
#define COLOR_INDEX(i) (COLOR_TAG_INDEX | ((uint32_t)(i) & 0xffu))
#define COLOR_RGB(r, g, b)                                                  \
	(COLOR_TAG_RGB | ((uint32_t)(r) & 0xff) << 16 |                     \
	 ((uint32_t)(g) & 0xff) << 8 | ((uint32_t)(b) & 0xff))

enum cell_attr {
	ATTR_BOLD = 1 << 0,
	ATTR_DIM = 1 << 1,
	ATTR_ITALIC = 1 << 2,
	ATTR_UNDERLINE = 1 << 3,
	ATTR_DUNDERLINE = 1 << 4,
	ATTR_CURLY = 1 << 5,
	ATTR_BLINK = 1 << 6,
	ATTR_REVERSE = 1 << 7,
	ATTR_CONCEAL = 1 << 8,
	ATTR_STRIKE = 1 << 9,
	ATTR_OVERLINE = 1 << 10,
};

/*
 * ch: a Unicode code point; 0 is an empty cell (drawn as a space).
 * When CELL_COMBO is set, the low bits index the grid's table of
 * multi-code-point clusters (a base character with combining marks).
 * width: 1 or 2 for a character's first cell; 0 for the second half of a
 * wide character (draw nothing there).
 */
#define CELL_COMBO 0x80000000u

struct cell {
	uint32_t ch;
	uint32_t fg;
	uint32_t bg;
	uint16_t attr;
	uint8_t width;
	uint8_t flags; /* reserved, 0 */
};

static inline struct cell
cell_blank(uint32_t bg)
{
	struct cell c = { 0, COLOR_DEFAULT, bg, 0, 1, 0 };

	return c;
}

#endif
