/*
 * vt_speed — not a unit test: feeds the output of `seq 1 2000000`, made
 * in memory, to the emulator in 64 KiB chunks at 80x24 and 200x50 and
 * prints the seconds each took (the target is under 0.5 s at -O2).
 *
 * The lines end in "\r\n", as a PTY delivers them (the tty's onlcr);
 * with a bare "\n" the text would staircase across the screen, which is
 * measured too, for comparison.
 */
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/util.h"
#include "pod/vt.h"

#define LINES 2000000
#define CHUNK (64 * 1024)

static void
make_seq(struct wbuf *b, const char *eol)
{
	for (int i = 1; i <= LINES; i++)
		wbuf_printf(b, "%d%s", i, eol);
}

static double
run(const struct wbuf *in, const char *what, int cols, int rows)
{
	struct vt *vt = vt_new(cols, rows, 10000);
	uint64_t t0 = now_ns(), t1;

	for (size_t off = 0; off < in->len; off += CHUNK) {
		size_t n = in->len - off < CHUNK ? in->len - off : CHUNK;

		vt_input(vt, in->data + off, n);
	}
	t1 = now_ns();
	printf("%s %dx%d: %.3f s (history %d lines, %zu KiB held)\n", what,
	       cols, rows,
	       (double)(t1 - t0) / 1e9, grid_history_len(vt_grid(vt)),
	       vt_memory(vt) / 1024);
	vt_free(vt);
	return (double)(t1 - t0) / 1e9;
}

int
main(void)
{
	struct wbuf crlf, lf;
	double a, b;

	wbuf_init(&crlf);
	wbuf_init(&lf);
	make_seq(&crlf, "\r\n");
	make_seq(&lf, "\n");
	printf("input: %zu bytes, %d lines\n", crlf.len, LINES);
	a = run(&crlf, "CRLF", 80, 24);
	b = run(&crlf, "CRLF", 200, 50);
	run(&lf, "LF  ", 80, 24);
	run(&lf, "LF  ", 200, 50);
	wbuf_free(&crlf);
	wbuf_free(&lf);
	return a < 0.5 && b < 0.5 ? 0 : 1;
}
