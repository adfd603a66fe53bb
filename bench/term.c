/*
 * term — a PTY and a fast text screen over libvterm's VTermState.
 */
#include "term.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

#define TERM_MAX 8
#define READ_CAP (4u << 20) /* per terminal per pump, for fairness */
#define WIDE_TAIL 0xffffffffu

struct term {
	int master;
	pid_t pid;
	bool reaped;
	int status;
	int cols, rows;
	VTerm *vt;
	VTermState *st;
	uint32_t *buf[2];   /* main and alternate screen cells */
	uint32_t **rowp[2]; /* row pointers: a scroll rotates these */
	int cur;            /* 0 main, 1 alternate */
	bool dirty;
	uint64_t bytes;
};

/* Every open terminal, so that waiting on one keeps draining the others:
 * a contender blocked on a full PTY would skew the next measurement. */
static struct term *open_terms[TERM_MAX];

volatile int term_interrupted;

uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- screen callbacks ---- */

static uint32_t *
row_of(struct term *t, int y)
{
	return t->rowp[t->cur][y];
}

static void
clear_cells(uint32_t *c, int n)
{
	memset(c, 0, (size_t)n * sizeof *c);
}

static int
cb_putglyph(VTermGlyphInfo *info, VTermPos pos, void *user)
{
	struct term *t = user;
	uint32_t *r;

	if (pos.row < 0 || pos.row >= t->rows || pos.col < 0 ||
	    pos.col >= t->cols)
		return 1;
	r = row_of(t, pos.row);
	r[pos.col] = info->chars[0] ? info->chars[0] : ' ';
	if (info->width == 2 && pos.col + 1 < t->cols)
		r[pos.col + 1] = WIDE_TAIL;
	t->dirty = true;
	return 1;
}

static int
cb_scrollrect(VTermRect rect, int downward, int rightward, void *user)
{
	struct term *t = user;
	uint32_t **rp = t->rowp[t->cur], *tmp[512];
	int h = rect.end_row - rect.start_row, n;

	if (rightward || rect.start_col > 0 || rect.end_col < t->cols ||
	    h <= 0 || h > 512)
		return 0; /* libvterm falls back to moverect + erase */
	n = downward < 0 ? -downward : downward;
	if (n > h)
		n = h;
	memcpy(tmp, rp + rect.start_row, (size_t)h * sizeof *tmp);
	for (int i = 0; i < h; i++) {
		int from = downward > 0 ? (i + n) % h : (i - n + h) % h;

		rp[rect.start_row + i] = tmp[from];
	}
	for (int i = 0; i < n; i++)
		clear_cells(rp[downward > 0 ? rect.end_row - 1 - i
					   : rect.start_row + i],
			    t->cols);
	t->dirty = true;
	return 1;
}

static int
cb_moverect(VTermRect dest, VTermRect src, void *user)
{
	struct term *t = user;
	int h = dest.end_row - dest.start_row;
	int w = dest.end_col - dest.start_col;
	bool down = dest.start_row > src.start_row;

	for (int i = 0; i < h; i++) {
		int k = down ? h - 1 - i : i;

		memmove(row_of(t, dest.start_row + k) + dest.start_col,
			row_of(t, src.start_row + k) + src.start_col,
			(size_t)w * sizeof(uint32_t));
	}
	t->dirty = true;
	return 1;
}

static int
cb_erase(VTermRect rect, int selective, void *user)
{
	struct term *t = user;

	(void)selective;
	for (int y = rect.start_row; y < rect.end_row; y++)
		clear_cells(row_of(t, y) + rect.start_col,
			    rect.end_col - rect.start_col);
	t->dirty = true;
	return 1;
}

static int
cb_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct term *t = user;

	if (prop == VTERM_PROP_ALTSCREEN) {
		int to = val->boolean ? 1 : 0;

		if (to != t->cur && to == 1)
			for (int y = 0; y < t->rows; y++)
				clear_cells(t->rowp[1][y], t->cols);
		t->cur = to;
		t->dirty = true;
	}
	return 1;
}

static int
cb_movecursor(VTermPos pos, VTermPos old, int visible, void *user)
{
	(void)pos;
	(void)old;
	(void)visible;
	(void)user;
	return 1;
}

static const VTermStateCallbacks callbacks = {
	.putglyph = cb_putglyph,
	.movecursor = cb_movecursor,
	.scrollrect = cb_scrollrect,
	.moverect = cb_moverect,
	.erase = cb_erase,
	.settermprop = cb_settermprop,
};

/* Replies to queries go nowhere: the harness answers nothing. */
static void
drop_output(const char *s, size_t len, void *user)
{
	(void)s;
	(void)len;
	(void)user;
}

/* ---- life ---- */

static void
screen_init(struct term *t)
{
	for (int b = 0; b < 2; b++) {
		t->buf[b] = calloc((size_t)t->cols * (size_t)t->rows,
				   sizeof(uint32_t));
		t->rowp[b] = calloc((size_t)t->rows, sizeof(uint32_t *));
		if (!t->buf[b] || !t->rowp[b])
			abort();
		for (int y = 0; y < t->rows; y++)
			t->rowp[b][y] = t->buf[b] + (size_t)y * (size_t)t->cols;
	}
	t->vt = vterm_new(t->rows, t->cols);
	vterm_set_utf8(t->vt, 1);
	vterm_output_set_callback(t->vt, drop_output, t);
	t->st = vterm_obtain_state(t->vt);
	vterm_state_set_callbacks(t->st, &callbacks, t);
	vterm_state_reset(t->st, 1);
}

static void
child_exec(int slave, char *const argv[], const char *argv0)
{
	char *args[64];
	int i;

	setsid();
	ioctl(slave, TIOCSCTTY, 0);
	dup2(slave, 0);
	dup2(slave, 1);
	dup2(slave, 2);
	closefrom(3);
	signal(SIGPIPE, SIG_DFL);
	args[0] = (char *)(argv0 ? argv0 : argv[0]);
	for (i = 1; i < 63 && argv[i]; i++)
		args[i] = argv[i];
	args[i] = NULL;
	execvp(argv[0], args);
	_exit(127);
}

struct term *
term_spawn(int cols, int rows, char *const argv[], const char *argv0)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
			      .ws_col = (unsigned short)cols };
	struct term *t = calloc(1, sizeof *t);
	int slave, slot = -1;

	for (int i = 0; i < TERM_MAX; i++)
		if (!open_terms[i] && slot < 0)
			slot = i;
	if (!t || slot < 0)
		abort();
	t->cols = cols;
	t->rows = rows;
	screen_init(t);
	if (openpty(&t->master, &slave, NULL, NULL, &ws) < 0) {
		perror("hexe-bench: openpty");
		exit(1);
	}
	fcntl(t->master, F_SETFD, FD_CLOEXEC);
	t->pid = fork();
	if (t->pid < 0) {
		perror("hexe-bench: fork");
		exit(1);
	}
	if (t->pid == 0) {
		close(t->master);
		child_exec(slave, argv, argv0);
	}
	close(slave);
	fcntl(t->master, F_SETFL, fcntl(t->master, F_GETFL) | O_NONBLOCK);
	open_terms[slot] = t;
	return t;
}

static void
reap(struct term *t, bool block)
{
	if (t->reaped || t->pid <= 0)
		return;
	if (waitpid(t->pid, &t->status, block ? 0 : WNOHANG) == t->pid)
		t->reaped = true;
}

bool
term_exited(struct term *t)
{
	reap(t, false);
	return t->reaped;
}

void
term_close(struct term *t, int grace_ms)
{
	uint64_t end;

	if (!t)
		return;
	for (int i = 0; i < TERM_MAX; i++)
		if (open_terms[i] == t)
			open_terms[i] = NULL;
	if (t->master >= 0)
		close(t->master);
	t->master = -1;
	end = now_ns() + (uint64_t)grace_ms * 1000000u;
	while (!term_exited(t) && now_ns() < end) {
		term_pump_all(5);
	}
	if (!t->reaped) {
		/* Our own child, still unreaped: the pid cannot be reused. */
		kill(t->pid, SIGKILL);
		reap(t, true);
	}
	vterm_free(t->vt);
	for (int b = 0; b < 2; b++) {
		free(t->buf[b]);
		free(t->rowp[b]);
	}
	free(t);
}

pid_t
term_pid(const struct term *t)
{
	return t->pid;
}

int
term_cols(const struct term *t)
{
	return t->cols;
}

int
term_rows(const struct term *t)
{
	return t->rows;
}

uint64_t
term_bytes(const struct term *t)
{
	return t->bytes;
}

void
term_send(struct term *t, const char *s, size_t n)
{
	while (n > 0 && t->master >= 0) {
		ssize_t w = write(t->master, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			term_pump_all(1);
			continue;
		}
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

void
term_sends(struct term *t, const char *s)
{
	term_send(t, s, strlen(s));
}

/* ---- reading ---- */

static void
read_some(struct term *t)
{
	char buf[65536];
	size_t total = 0;

	while (total < READ_CAP) {
		ssize_t n = read(t->master, buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		vterm_input_write(t->vt, buf, (size_t)n);
		t->bytes += (uint64_t)n;
		total += (size_t)n;
	}
}

void
term_pump_all(int timeout_ms)
{
	term_pump_all_fds(timeout_ms, NULL, 0);
}

void
term_pump_all_fds(int timeout_ms, struct pollfd *extra, int nextra)
{
	struct pollfd pf[TERM_MAX + 4];
	struct term *who[TERM_MAX];
	int n = 0;

	for (int i = 0; i < TERM_MAX; i++) {
		if (!open_terms[i] || open_terms[i]->master < 0)
			continue;
		pf[n].fd = open_terms[i]->master;
		pf[n].events = POLLIN;
		pf[n].revents = 0;
		who[n++] = open_terms[i];
	}
	for (int i = 0; i < nextra && i < 4; i++) {
		extra[i].revents = 0;
		pf[n + i] = extra[i];
	}
	if (nextra > 4)
		nextra = 4;
	if (poll(pf, (nfds_t)(n + nextra), timeout_ms) <= 0)
		return;
	for (int i = 0; i < nextra; i++)
		extra[i].revents = pf[n + i].revents;
	for (int i = 0; i < n; i++) {
		if (pf[i].revents & POLLIN)
			read_some(who[i]);
		else if (pf[i].revents & (POLLHUP | POLLERR)) {
			/* the client is gone: nothing more will come */
			close(who[i]->master);
			who[i]->master = -1;
		}
	}
}

/* ---- checks ---- */

static bool
row_match(const uint32_t *r, int cols, const char *needle, size_t m)
{
	for (int x = 0; x + (int)m <= cols; x++) {
		size_t j = 0;

		while (j < m) {
			uint32_t c = r[x + (int)j];

			if ((c ? c : ' ') != (unsigned char)needle[j])
				break;
			j++;
		}
		if (j == m)
			return true;
	}
	return false;
}

bool
term_has(struct term *t, const char *needle)
{
	size_t m = strlen(needle);

	for (int y = 0; y < t->rows; y++)
		if (row_match(row_of(t, y), t->cols, needle, m))
			return true;
	return false;
}

bool
term_row_ends(struct term *t, const char *suffix)
{
	int m = (int)strlen(suffix);

	for (int y = 0; y < t->rows; y++) {
		const uint32_t *r = row_of(t, y);
		int end = t->cols;

		while (end > 0 && (r[end - 1] == 0 || r[end - 1] == ' '))
			end--;
		if (end < m)
			continue;
		if (row_match(r + end - m, m, suffix, (size_t)m))
			return true;
	}
	return false;
}

bool
term_take_dirty(struct term *t)
{
	bool d = t->dirty;

	t->dirty = false;
	return d;
}

static void
put_utf8(FILE *f, uint32_t c)
{
	if (c < 0x80) {
		fputc((int)c, f);
	} else if (c < 0x800) {
		fputc((int)(0xc0 | c >> 6), f);
		fputc((int)(0x80 | (c & 0x3f)), f);
	} else if (c < 0x10000) {
		fputc((int)(0xe0 | c >> 12), f);
		fputc((int)(0x80 | ((c >> 6) & 0x3f)), f);
		fputc((int)(0x80 | (c & 0x3f)), f);
	} else {
		fputc((int)(0xf0 | (c >> 18 & 7)), f);
		fputc((int)(0x80 | ((c >> 12) & 0x3f)), f);
		fputc((int)(0x80 | ((c >> 6) & 0x3f)), f);
		fputc((int)(0x80 | (c & 0x3f)), f);
	}
}

void
term_dump(struct term *t, FILE *f)
{
	fprintf(f, "--- screen %dx%d ---\n", t->cols, t->rows);
	for (int y = 0; y < t->rows; y++) {
		const uint32_t *r = row_of(t, y);
		int end = t->cols;

		while (end > 0 && (r[end - 1] == 0 || r[end - 1] == ' '))
			end--;
		for (int x = 0; x < end; x++)
			if (r[x] != WIDE_TAIL)
				put_utf8(f, r[x] ? r[x] : ' ');
		fputc('\n', f);
	}
	fprintf(f, "---\n");
}

bool
term_wait(struct term *t, bool (*pred)(struct term *, const void *),
	  const void *arg, int timeout_ms)
{
	uint64_t end = now_ns() + (uint64_t)timeout_ms * 1000000u;

	t->dirty = false;
	if (pred(t, arg))
		return true;
	for (;;) {
		uint64_t now = now_ns();

		if (now >= end || term_interrupted)
			return false;
		term_pump_all((int)((end - now) / 1000000u) + 1);
		if (term_take_dirty(t) && pred(t, arg))
			return true;
	}
}

static bool
pred_has(struct term *t, const void *arg)
{
	return term_has(t, arg);
}

static bool
pred_gone(struct term *t, const void *arg)
{
	return !term_has(t, arg);
}

bool
term_wait_text(struct term *t, const char *needle, int timeout_ms)
{
	return term_wait(t, pred_has, needle, timeout_ms);
}

bool
term_wait_gone(struct term *t, const char *needle, int timeout_ms)
{
	return term_wait(t, pred_gone, needle, timeout_ms);
}
