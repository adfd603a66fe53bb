/*
 * ptyh - a scripted stand-in for the user's terminal, used by hexe's tests.
 *
 * ptyh owns one PTY, runs a program on its slave side and keeps reading the
 * master into libvterm, so at any moment it knows the screen exactly as a
 * user would see it. A line-oriented script types keys, waits for text and
 * asserts rows, cells and the cursor. Every wait has a timeout and the whole
 * run has one too, so a hung program fails a test instead of hanging it.
 * `ptyh --help` lists the script language.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

#define DEFAULT_WAIT_MS 5000
#define DEFAULT_ASSERT_MS 3000
#define DEFAULT_OVERALL_S 60
#define WRITE_CHUNK 4096   /* big pastes go out piecemeal, like a terminal's */
#define READ_ROUNDS 16     /* reads per pump, so writes are not starved */
#define CHILD_POLL_MS 10   /* how soon a child's exit is noticed */
#define DRAIN_NOW_MS 50    /* cap on catching up before a check */
#define HUP_GRACE_MS 2000  /* how long a hung-up child may take to exit */
#define CAPTURE_GRACE_MS 200 /* output a helper's orphans may still send */

static const char usage_text[] =
	"usage: ptyh [--timeout SECONDS] [-v] [SCRIPT|-]\n"
	"\n"
	"Runs SCRIPT (default: stdin) against a program on a PTY whose screen\n"
	"is emulated with libvterm. One command per line; '#' starts a comment.\n"
	"Words: \"double\" quotes and bare words decode \\e \\r \\n \\t \\xNN \\\\ \\\" \\$\n"
	"and expand $VAR/${VAR} (undefined is an error); 'single' quotes are\n"
	"literal. Rows/cols are 0-based; negative rows/cols count from the end.\n"
	"\n"
	"  spawn COLS ROWS CMD [ARG...]   start CMD on a fresh PTY of that size\n"
	"  type TEXT...                   send bytes\n"
	"  paste FILE                     send FILE inside ESC[200~ ... ESC[201~\n"
	"  key NAME...                    send keys (Enter, C-a, M-x, S-PageUp, F5)\n"
	"  wait TEXT [MS]                 wait until TEXT is on some row\n"
	"  waitre REGEX [MS]              wait until some row matches (ERE)\n"
	"  gone TEXT [MS]                 wait until TEXT is on no row\n"
	"  row N TEXT [MS]                row N equals TEXT (retries)\n"
	"  rowre N REGEX [MS]             row N matches REGEX (retries)\n"
	"  cursor ROW COL [MS]            cursor position (retries)\n"
	"  nottext TEXT                   TEXT is not on screen right now\n"
	"  cell ROW COL KEY=VAL...        fg= bg= (N|#rrggbb|default) bold= italic=\n"
	"                                 underline= reverse= strike= blink= width=\n"
	"                                 char= timeout=MS (retries)\n"
	"  screen [FILE]                  print the screen\n"
	"  resize COLS ROWS               resize the PTY and the screen\n"
	"  sleep MS                       pause without reading the PTY\n"
	"  drain MS                       keep reading the PTY for MS\n"
	"  sh CMD / sh! CMD               run /bin/sh -c CMD (sh! ignores status)\n"
	"  capture VAR CMD / capture!     store CMD's trimmed stdout in $VAR\n"
	"  expect-exit STATUS [MS]        child exits with STATUS or signal:SIG\n"
	"  hup                            close the master (child gets SIGHUP)\n"
	"  kill SIG                       signal the child's pid\n"
	"  pid VAR                        store the child's pid in $VAR\n"
	"  setenv VAR VALUE / unsetenv VAR\n"
	"  set answer on|off | wait-timeout MS | assert-timeout MS\n"
	"  exit                           stop here, successfully\n";

/* A growable byte buffer, always NUL-terminated once it holds anything. */
struct buf {
	char *data;
	size_t len, cap;
};

/* One script word: bytes (which may include NUL) plus a terminator. */
struct word {
	char *s;
	size_t len;
};

struct words {
	struct word *v;
	int n, cap;
};

/* Set by SIGTERM/SIGINT/SIGHUP, e.g. from the runner's `timeout`: we still
 * owe the child a clean end. The one global; a handler has nowhere else. */
static volatile sig_atomic_t caught_signal;

struct ptyh {
	int lineno;
	int verbose;
	int stop;             /* `exit` was seen */

	VTerm *vt;
	VTermScreen *screen;
	struct buf scratch;   /* row text for checks */

	int master;           /* -1 when no PTY is open */
	int master_eof;       /* slave side gone: nothing more to read or write */
	struct buf out;       /* bytes queued for the child: keys and answers */
	size_t out_off;
	int answer;           /* forward libvterm's replies to queries */
	int keying;           /* libvterm is encoding a key for us right now */

	pid_t child;
	int child_done;
	int child_status;
	pid_t helper;         /* a running `sh` or `capture` */

	long long deadline;   /* the whole run's, in now_ms() time */
	int overall_s;
	int wait_ms, assert_ms;
	int finishing;
	int timed_out;        /* no grace period for a hung child */
};

static void finish(struct ptyh *p);
static void dump_screen(struct ptyh *p, FILE *f, int framed);

/* ---- small utilities ---- */

static void buf_reserve(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	b->cap = b->cap ? b->cap : 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = realloc(b->data, b->cap);
	if (!b->data) {
		fputs("ptyh: out of memory\n", stderr);
		exit(1);
	}
}

static void buf_add(struct buf *b, const void *s, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

static void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void buf_clear(struct buf *b)
{
	buf_add(b, "", 0);
	b->len = 0;
	b->data[0] = '\0';
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Prints the failure, the screen as it was, cleans up and exits 1. */
static void __attribute__((noreturn, format(printf, 3, 4)))
fail_at(struct ptyh *p, int dump, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	if (p->lineno > 0)
		fprintf(stderr, "ptyh: line %d: ", p->lineno);
	else
		fputs("ptyh: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (dump && p->child > 0)
		dump_screen(p, stderr, 1);
	finish(p);
	exit(1);
}

/* A failed check shows the screen; a malformed line does not need to. */
#define fail(p, ...) fail_at((p), 1, __VA_ARGS__)
#define bad_line(p, ...) fail_at((p), 0, __VA_ARGS__)

/* Renders bytes for messages: printable as is, the rest escaped. */
static const char *quoted(struct buf *b, const char *s, size_t n)
{
	char tmp[8];

	buf_clear(b);
	buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c == '\033') {
			buf_adds(b, "\\e");
		} else if (c == '\r') {
			buf_adds(b, "\\r");
		} else if (c == '\n') {
			buf_adds(b, "\\n");
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(tmp, sizeof tmp, "\\x%02x", c);
			buf_adds(b, tmp);
		} else {
			buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
	return b->data;
}

static long parse_long(struct ptyh *p, const char *s, long lo, long hi,
		       const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		bad_line(p, "bad %s '%s' (want %ld..%ld)", what, s, lo, hi);
	return v;
}

static int parse_ms(struct ptyh *p, const char *s)
{
	return (int)parse_long(p, s, 0, 3600000, "milliseconds");
}

static int valid_name(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}

static void set_var(struct ptyh *p, const char *name, const char *value)
{
	if (!valid_name(name))
		bad_line(p, "bad variable name '%s'", name);
	if (setenv(name, value, 1) < 0)
		fail(p, "setenv %s: %s", name, strerror(errno));
}

static void set_flags(int fd, int fdflags, int flflags)
{
	if (fdflags)
		fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | fdflags);
	if (flflags)
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | flflags);
}

/* Children must not inherit the runner's pipes or our PTY master, or a
 * daemon they start could keep those open forever. */
static void child_hygiene(void)
{
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	signal(SIGPIPE, SIG_DFL);
}

/* ---- script words ---- */

/* Decodes the escape after a backslash at s; returns where parsing goes on.
 * Unknown escapes keep their backslash so regexes like "\[" survive. */
static const char *parse_escape(const char *s, struct buf *b)
{
	char hex[3] = { 0 };

	switch (*s) {
	case 'e': buf_addc(b, '\033'); return s + 1;
	case 'r': buf_addc(b, '\r'); return s + 1;
	case 'n': buf_addc(b, '\n'); return s + 1;
	case 't': buf_addc(b, '\t'); return s + 1;
	case '\\': case '"': case '$':
		buf_addc(b, *s);
		return s + 1;
	case 'x':
		if (!isxdigit((unsigned char)s[1]))
			break;
		hex[0] = s[1];
		if (isxdigit((unsigned char)s[2]))
			hex[1] = s[2];
		buf_addc(b, (char)strtol(hex, NULL, 16));
		return s + 1 + strlen(hex);
	case '\0':
		buf_addc(b, '\\');
		return s;
	}
	buf_addc(b, '\\');
	buf_addc(b, *s);
	return s + 1;
}

/* Expands $NAME or ${NAME} at s from the environment; a '$' not followed
 * by a name (as in the prompt "$ ") stays literal. */
static const char *expand_var(struct ptyh *p, const char *s, struct buf *b)
{
	const char *name, *end, *next, *value;
	char key[256];
	size_t n;

	if (s[1] == '{') {
		name = s + 2;
		end = strchr(name, '}');
		if (!end)
			bad_line(p, "unterminated ${");
		next = end + 1;
	} else if (isalpha((unsigned char)s[1]) || s[1] == '_') {
		name = end = s + 1;
		while (isalnum((unsigned char)*end) || *end == '_')
			end++;
		next = end;
	} else {
		buf_addc(b, '$');
		return s + 1;
	}
	n = (size_t)(end - name);
	if (n == 0 || n >= sizeof key)
		bad_line(p, "bad variable reference");
	memcpy(key, name, n);
	key[n] = '\0';
	if (!valid_name(key))
		bad_line(p, "bad variable name '%s'", key);
	value = getenv(key);
	if (!value)
		bad_line(p, "undefined variable $%s", key);
	buf_adds(b, value);
	return next;
}

static const char *double_quoted(struct ptyh *p, const char *s, struct buf *b)
{
	while (*s != '"') {
		if (*s == '\0')
			bad_line(p, "unterminated \"");
		else if (*s == '\\')
			s = parse_escape(s + 1, b);
		else if (*s == '$')
			s = expand_var(p, s, b);
		else
			buf_addc(b, *s++);
	}
	return s + 1;
}

static const char *single_quoted(struct ptyh *p, const char *s, struct buf *b)
{
	const char *end = strchr(s, '\'');

	if (!end)
		bad_line(p, "unterminated '");
	buf_add(b, s, (size_t)(end - s));
	return end + 1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void push_word(struct words *w, struct buf *b)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->v = realloc(w->v, (size_t)w->cap * sizeof *w->v);
		if (!w->v)
			exit(1);
	}
	buf_add(b, "", 0);
	w->v[w->n].s = b->data;
	w->v[w->n].len = b->len;
	w->n++;
}

static void free_words(struct words *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->v[i].s);
	w->n = 0;
}

static void split_line(struct ptyh *p, const char *s, struct words *w)
{
	for (;;) {
		struct buf b = { 0 };

		while (is_space(*s))
			s++;
		if (*s == '\0' || *s == '#')
			return;
		while (*s && !is_space(*s)) {
			if (*s == '"')
				s = double_quoted(p, s + 1, &b);
			else if (*s == '\'')
				s = single_quoted(p, s + 1, &b);
			else if (*s == '\\')
				s = parse_escape(s + 1, &b);
			else if (*s == '$')
				s = expand_var(p, s, &b);
			else
				buf_addc(&b, *s++);
		}
		push_word(w, &b);
	}
}

static char *join_words(struct word *a, int n)
{
	struct buf b = { 0 };

	buf_add(&b, "", 0);
	for (int i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, ' ');
		buf_add(&b, a[i].s, a[i].len);
	}
	return b.data;
}

/* ---- the screen ---- */

static void term_size(struct ptyh *p, int *rows, int *cols)
{
	vterm_get_size(p->vt, rows, cols);
}

static size_t utf8_encode(uint32_t c, char *o)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | ((c >> 18) & 0x07));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

static int get_cell(struct ptyh *p, int row, int col, VTermScreenCell *cell)
{
	VTermPos pos = { .row = row, .col = col };

	memset(cell, 0, sizeof *cell);
	return vterm_screen_get_cell(p->screen, pos, cell);
}

/* The characters of a cell; an empty cell reads as a blank. The right
 * half of a wide character (chars[0] == -1) reads as nothing. */
static void cell_text(const VTermScreenCell *cell, struct buf *b)
{
	char tmp[4];

	if (cell->chars[0] == (uint32_t)-1)
		return;
	if (cell->chars[0] == 0) {
		buf_addc(b, ' ');
		return;
	}
	for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell->chars[i]; i++)
		buf_add(b, tmp, utf8_encode(cell->chars[i], tmp));
}

/* Row text as UTF-8 in p->scratch, full width: substring searches must
 * see the blanks a prompt like "$ " ends with. */
static const char *row_text_full(struct ptyh *p, int row)
{
	struct buf *b = &p->scratch;
	VTermScreenCell cell;
	int rows, cols;

	term_size(p, &rows, &cols);
	buf_clear(b);
	for (int c = 0; c < cols; c++) {
		get_cell(p, row, c, &cell);
		cell_text(&cell, b);
		if (cell.width == 2)
			c++;
	}
	return b->data;
}

/* Row text with trailing blanks trimmed, for exact and regex checks. */
static const char *row_text(struct ptyh *p, int row)
{
	struct buf *b = &p->scratch;

	row_text_full(p, row);
	while (b->len && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	return b->data;
}

static VTermPos cursor_pos(struct ptyh *p)
{
	VTermPos pos;

	vterm_state_get_cursorpos(vterm_obtain_state(p->vt), &pos);
	return pos;
}

static void describe_status(int st, char *out, size_t n)
{
	if (WIFEXITED(st))
		snprintf(out, n, "exit status %d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(out, n, "signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
	else
		snprintf(out, n, "wait status 0x%x", st);
}

/* framed: for humans reading a failure; otherwise the bare rows. */
static void dump_screen(struct ptyh *p, FILE *f, int framed)
{
	int rows, cols;
	VTermPos cur = cursor_pos(p);
	char st[64];

	term_size(p, &rows, &cols);
	if (framed) {
		fprintf(f, "--- screen %dx%d, cursor %d,%d", cols, rows,
			cur.row, cur.col);
		if (p->child > 0 && p->child_done) {
			describe_status(p->child_status, st, sizeof st);
			fprintf(f, ", child gone (%s)", st);
		}
		fputs(" ---\n", f);
	}
	for (int r = 0; r < rows; r++) {
		if (framed)
			fprintf(f, "%3d|%s\n", r, row_text(p, r));
		else
			fprintf(f, "%s\n", row_text(p, r));
	}
	if (framed)
		fputs("---\n", f);
}

/* Row and column arguments may count from the end: -1 is the last one. */
static int resolve_index(struct ptyh *p, const char *s, int limit,
			 const char *what)
{
	long v = parse_long(p, s, -limit, limit - 1, what);

	return (int)(v < 0 ? v + limit : v);
}

/* ---- moving bytes ---- */

static void on_vterm_output(const char *s, size_t len, void *user)
{
	struct ptyh *p = user;

	if ((p->keying || p->answer) && p->master >= 0 && !p->master_eof)
		buf_add(&p->out, s, len);
}

static void drop_output(struct ptyh *p)
{
	p->out.len = 0;
	p->out_off = 0;
}

static void close_master(struct ptyh *p)
{
	if (p->master >= 0)
		close(p->master);
	p->master = -1;
	drop_output(p);
}

static void flush_some(struct ptyh *p)
{
	size_t n = p->out.len - p->out_off;
	ssize_t w;

	if (n > WRITE_CHUNK)
		n = WRITE_CHUNK;
	w = write(p->master, p->out.data + p->out_off, n);
	if (w < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		if (errno == EIO) { /* nobody is left on the slave side */
			drop_output(p);
			return;
		}
		fail(p, "write to pty: %s", strerror(errno));
	}
	p->out_off += (size_t)w;
	if (p->out_off == p->out.len)
		drop_output(p);
}

static size_t read_master(struct ptyh *p)
{
	char b[4096];
	size_t total = 0;

	for (int i = 0; i < READ_ROUNDS; i++) {
		ssize_t n = read(p->master, b, sizeof b);

		if (n > 0) {
			vterm_input_write(p->vt, b, (size_t)n);
			/* PTYH_RAW=FILE keeps every byte the program wrote, to
			 * debug what a terminal was really told. */
			if (getenv("PTYH_RAW")) {
				FILE *f = fopen(getenv("PTYH_RAW"), "a");

				if (f) {
					fwrite(b, 1, (size_t)n, f);
					fclose(f);
				}
			}
			total += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			break;
		} else if (n == 0 || errno == EIO) {
			/* Linux reports a closed slave side as EIO. */
			p->master_eof = 1;
			drop_output(p);
			break;
		} else {
			fail(p, "read from pty: %s", strerror(errno));
		}
	}
	return total;
}

/* Every loop passes here: the run's deadline and a caught signal both end
 * it, with the child killed at once (no hang-up grace). */
static void check_overall(struct ptyh *p)
{
	if (p->finishing)
		return;
	if (caught_signal) {
		p->timed_out = 1;
		fail(p, "stopped by signal %d", (int)caught_signal);
	}
	if (now_ms() < p->deadline)
		return;
	p->timed_out = 1;
	fail(p, "overall timeout of %d s exceeded", p->overall_s);
}

static void reap_child(struct ptyh *p)
{
	int st;

	if (p->child <= 0 || p->child_done)
		return;
	if (waitpid(p->child, &st, WNOHANG) == p->child) {
		p->child_done = 1;
		p->child_status = st;
	}
}

/* One round of I/O: send queued bytes, feed output to libvterm, notice the
 * child's exit. Sleeps at most max_ms; returns the bytes read. An extra fd
 * may be polled along, its revents are handed back. */
static size_t pump(struct ptyh *p, int max_ms, struct pollfd *extra)
{
	struct pollfd fds[2];
	int n = 0, m = -1, e = -1;
	long long left;

	check_overall(p);
	reap_child(p);
	if (p->master >= 0 && !p->master_eof) {
		m = n++;
		fds[m].fd = p->master;
		fds[m].events = POLLIN;
		if (p->out.len > p->out_off)
			fds[m].events |= POLLOUT;
	}
	if (extra) {
		e = n++;
		fds[e] = *extra;
	}
	left = p->deadline - now_ms();
	if (max_ms > left)
		max_ms = left < 0 ? 0 : (int)left;
	/* Without a SIGCHLD handler, exits are noticed by polling. */
	if (p->child > 0 && !p->child_done && max_ms > CHILD_POLL_MS)
		max_ms = CHILD_POLL_MS;
	if (poll(fds, (nfds_t)n, max_ms) < 0) {
		if (errno == EINTR) {
			check_overall(p);
			return 0;
		}
		fail(p, "poll: %s", strerror(errno));
	}
	if (e >= 0)
		extra->revents = fds[e].revents;
	if (m < 0)
		return 0;
	if (fds[m].revents & POLLOUT)
		flush_some(p);
	if (fds[m].revents & (POLLIN | POLLHUP | POLLERR))
		return read_master(p);
	return 0;
}

/* Catches up with output already sent, so checks see a current screen;
 * a program that never stops printing cannot hold us here for long. */
static void drain_now(struct ptyh *p)
{
	long long end = now_ms() + DRAIN_NOW_MS;

	while (pump(p, 0, NULL) > 0 && now_ms() < end)
		;
}

/* Returns once everything queued has reached the kernel, reading all the
 * while so that a child echoing a big paste cannot deadlock with us. */
static void flush_all(struct ptyh *p)
{
	while (p->out.len > p->out_off && p->master >= 0 && !p->master_eof)
		pump(p, 100, NULL);
}

typedef int (*pred_fn)(struct ptyh *p, void *ctx);

static int wait_until(struct ptyh *p, int timeout_ms, pred_fn pred, void *ctx)
{
	long long end = now_ms() + timeout_ms;

	for (;;) {
		long long left;

		drain_now(p);
		if (pred(p, ctx))
			return 1;
		left = end - now_ms();
		if (left <= 0)
			return 0;
		pump(p, (int)left, NULL);
	}
}

static void need_pty(struct ptyh *p)
{
	if (p->master < 0)
		bad_line(p, "no pty (spawn first, and not after hup)");
	if (p->master_eof)
		fail(p, "the pty's slave side is closed (child gone?)");
}

static void queue_bytes(struct ptyh *p, const char *s, size_t n)
{
	buf_add(&p->out, s, n);
}

/* ---- spawn ---- */

static void __attribute__((noreturn))
child_exec(int slave, int errfd, char **argv)
{
	int err;

	child_hygiene();
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		goto out;
	if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		goto out;
	if (slave > 2)
		close(slave);
	setenv("TERM", "xterm-256color", 1);
	/* stale sizes from our own environment would override the PTY's */
	unsetenv("COLUMNS");
	unsetenv("LINES");
	execvp(argv[0], argv);
out:
	err = errno;
	if (write(errfd, &err, sizeof err) < 0)
		_exit(126);
	_exit(127);
}

static void start_child(struct ptyh *p, int cols, int rows, char **argv)
{
	struct winsize ws = { .ws_row = (unsigned short)rows,
			      .ws_col = (unsigned short)cols };
	struct termios tio;
	int m, s, ep[2], err;
	ssize_t r;
	pid_t pid;

	if (openpty(&m, &s, NULL, NULL, &ws) < 0)
		fail(p, "openpty: %s", strerror(errno));
	/* Terminal emulators set IUTF8 so erasing a UTF-8 char works. */
	if (tcgetattr(s, &tio) == 0) {
		tio.c_iflag |= IUTF8;
		tcsetattr(s, TCSANOW, &tio);
	}
	set_flags(m, FD_CLOEXEC, O_NONBLOCK);
	set_flags(s, FD_CLOEXEC, 0);
	if (pipe2(ep, O_CLOEXEC) < 0)
		fail(p, "pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		fail(p, "fork: %s", strerror(errno));
	if (pid == 0)
		child_exec(s, ep[1], argv);
	close(s);
	close(ep[1]);
	p->master = m;
	p->master_eof = 0;
	p->child = pid;
	p->child_done = 0;
	/* The pipe closes on a successful exec, or carries its errno. */
	do
		r = read(ep[0], &err, sizeof err);
	while (r < 0 && errno == EINTR);
	close(ep[0]);
	if (r == (ssize_t)sizeof err) {
		waitpid(pid, &p->child_status, 0);
		p->child_done = 1;
		fail(p, "spawn: cannot run %s: %s", argv[0], strerror(err));
	}
}

static void cmd_spawn(struct ptyh *p, struct word *a, int n)
{
	int cols = (int)parse_long(p, a[0].s, 1, 1000, "COLS");
	int rows = (int)parse_long(p, a[1].s, 1, 1000, "ROWS");
	char **argv;

	reap_child(p);
	if (p->child > 0 && !p->child_done)
		bad_line(p, "spawn: the previous child is still running");
	close_master(p);
	vterm_set_size(p->vt, rows, cols);
	vterm_screen_reset(p->screen, 1);
	argv = calloc((size_t)n - 1, sizeof *argv);
	if (!argv)
		exit(1);
	for (int i = 2; i < n; i++)
		argv[i - 2] = a[i].s;
	start_child(p, cols, rows, argv);
	free(argv);
}

/* ---- input ---- */

static void cmd_type(struct ptyh *p, struct word *a, int n)
{
	need_pty(p);
	for (int i = 0; i < n; i++)
		queue_bytes(p, a[i].s, a[i].len);
	flush_all(p);
}

static void cmd_paste(struct ptyh *p, struct word *a, int n)
{
	struct buf data = { 0 };
	char chunk[65536];
	size_t got;
	FILE *f;

	(void)n;
	need_pty(p);
	f = fopen(a[0].s, "rb");
	if (!f)
		bad_line(p, "paste: %s: %s", a[0].s, strerror(errno));
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&data, chunk, got);
	fclose(f);
	queue_bytes(p, "\033[200~", 6);
	queue_bytes(p, data.data ? data.data : "", data.len);
	queue_bytes(p, "\033[201~", 6);
	free(data.data);
	flush_all(p);
}

struct special_key {
	const char *name;
	VTermKey key;
};

/* Keys whose bytes depend on terminal modes (DECCKM) or modifiers:
 * libvterm encodes them exactly as the terminal it emulates would. */
static const struct special_key special_keys[] = {
	{ "Up", VTERM_KEY_UP }, { "Down", VTERM_KEY_DOWN },
	{ "Left", VTERM_KEY_LEFT }, { "Right", VTERM_KEY_RIGHT },
	{ "Home", VTERM_KEY_HOME }, { "End", VTERM_KEY_END },
	{ "PageUp", VTERM_KEY_PAGEUP }, { "PPage", VTERM_KEY_PAGEUP },
	{ "PgUp", VTERM_KEY_PAGEUP }, { "PageDown", VTERM_KEY_PAGEDOWN },
	{ "NPage", VTERM_KEY_PAGEDOWN }, { "PgDn", VTERM_KEY_PAGEDOWN },
	{ "IC", VTERM_KEY_INS }, { "Insert", VTERM_KEY_INS },
	{ "DC", VTERM_KEY_DEL }, { "Delete", VTERM_KEY_DEL },
};

struct byte_key {
	const char *name;
	const char *bytes;
};

/* Keys that are plain bytes; Ctrl and Meta apply as for characters. */
static const struct byte_key byte_keys[] = {
	{ "Enter", "\r" }, { "Tab", "\t" }, { "Escape", "\033" },
	{ "BSpace", "\177" }, { "Space", " " }, { "BTab", "\033[Z" },
};

static VTermKey special_key(const char *name)
{
	char *end;
	long f;

	for (size_t i = 0; i < sizeof special_keys / sizeof *special_keys; i++)
		if (strcmp(name, special_keys[i].name) == 0)
			return special_keys[i].key;
	if (name[0] == 'F' && isdigit((unsigned char)name[1])) {
		f = strtol(name + 1, &end, 10);
		if (!*end && f >= 1 && f <= 24)
			return (VTermKey)VTERM_KEY_FUNCTION(f);
	}
	return VTERM_KEY_NONE;
}

static size_t utf8_len(const char *s)
{
	unsigned char c = (unsigned char)*s;

	if (c < 0x80)
		return 1;
	if ((c & 0xe0) == 0xc0)
		return 2;
	if ((c & 0xf0) == 0xe0)
		return 3;
	return 4;
}

/* The bytes of a key that is one character: a byte-key name or a
 * literal character such as "a" or "é". Returns 0 if it is neither. */
static int key_char(const char *name, struct buf *b)
{
	for (size_t i = 0; i < sizeof byte_keys / sizeof *byte_keys; i++) {
		if (strcmp(name, byte_keys[i].name) == 0) {
			buf_adds(b, byte_keys[i].bytes);
			return 1;
		}
	}
	if (*name && strlen(name) == utf8_len(name)) {
		buf_adds(b, name);
		return 1;
	}
	return 0;
}

/* Ctrl as a terminal does it: C-a is 0x01, C-Space and C-@ are NUL,
 * C-? is DEL. Returns -1 for characters without a Ctrl form. */
static int ctrl_byte(unsigned char c)
{
	if (isalpha(c) || strchr("@[\\]^_", c))
		return c & 0x1f;
	if (c == ' ')
		return 0;
	if (c == '?')
		return 0x7f;
	return -1;
}

static int parse_mods(const char **name)
{
	int mods = 0;
	const char *s = *name;

	while (strlen(s) > 2 && s[1] == '-' && strchr("CMS", s[0])) {
		mods |= s[0] == 'C' ? VTERM_MOD_CTRL
		      : s[0] == 'M' ? VTERM_MOD_ALT : VTERM_MOD_SHIFT;
		s += 2;
	}
	*name = s;
	return mods;
}

static void send_key(struct ptyh *p, const char *name)
{
	const char *base = name;
	int mods = parse_mods(&base);
	VTermKey k = special_key(base);
	struct buf b = { 0 };

	if (k != VTERM_KEY_NONE) {
		p->keying = 1;
		vterm_keyboard_key(p->vt, k, (VTermModifier)mods);
		p->keying = 0;
		return;
	}
	if (!key_char(base, &b))
		bad_line(p, "key: unknown key '%s'", name);
	if ((mods & VTERM_MOD_SHIFT) && strcmp(base, "Tab") == 0) {
		buf_clear(&b);
		buf_adds(&b, "\033[Z");
	} else if ((mods & VTERM_MOD_SHIFT) && b.len == 1) {
		b.data[0] = (char)toupper((unsigned char)b.data[0]);
	}
	if (mods & VTERM_MOD_CTRL) {
		int c = b.len == 1 ? ctrl_byte((unsigned char)b.data[0]) : -1;

		if (c < 0)
			bad_line(p, "key: '%s' has no Ctrl form", name);
		b.data[0] = (char)c;
	}
	if (mods & VTERM_MOD_ALT) /* Meta is an ESC prefix, as in xterm */
		queue_bytes(p, "\033", 1);
	queue_bytes(p, b.data, b.len);
	free(b.data);
}

static void cmd_key(struct ptyh *p, struct word *a, int n)
{
	need_pty(p);
	for (int i = 0; i < n; i++)
		send_key(p, a[i].s);
	flush_all(p);
}

/* ---- waiting for the screen ---- */

static int opt_ms(struct ptyh *p, struct word *a, int n, int idx, int dflt)
{
	return n > idx ? parse_ms(p, a[idx].s) : dflt;
}

static int find_text(struct ptyh *p, const char *text)
{
	int rows, cols;

	term_size(p, &rows, &cols);
	for (int r = 0; r < rows; r++)
		if (strstr(row_text_full(p, r), text))
			return r;
	return -1;
}

static int pred_has(struct ptyh *p, void *ctx)
{
	return find_text(p, ctx) >= 0;
}

static int pred_lacks(struct ptyh *p, void *ctx)
{
	return find_text(p, ctx) < 0;
}

static void compile_re(struct ptyh *p, regex_t *re, const char *src)
{
	char msg[256];
	int rc = regcomp(re, src, REG_EXTENDED | REG_NOSUB);

	if (rc) {
		regerror(rc, re, msg, sizeof msg);
		bad_line(p, "bad regex /%s/: %s", src, msg);
	}
}

static int pred_re_any(struct ptyh *p, void *ctx)
{
	int rows, cols;

	term_size(p, &rows, &cols);
	for (int r = 0; r < rows; r++)
		if (regexec(ctx, row_text(p, r), 0, NULL, 0) == 0)
			return 1;
	return 0;
}

static void cmd_wait(struct ptyh *p, struct word *a, int n)
{
	struct buf q = { 0 };

	if (!wait_until(p, opt_ms(p, a, n, 1, p->wait_ms), pred_has, a[0].s))
		fail(p, "timeout waiting for %s", quoted(&q, a[0].s, a[0].len));
}

static void cmd_gone(struct ptyh *p, struct word *a, int n)
{
	struct buf q = { 0 };

	if (!wait_until(p, opt_ms(p, a, n, 1, p->wait_ms), pred_lacks, a[0].s))
		fail(p, "timeout waiting for %s to disappear",
		     quoted(&q, a[0].s, a[0].len));
}

static void cmd_waitre(struct ptyh *p, struct word *a, int n)
{
	regex_t re;

	compile_re(p, &re, a[0].s);
	if (!wait_until(p, opt_ms(p, a, n, 1, p->wait_ms), pred_re_any, &re))
		fail(p, "timeout waiting for /%s/", a[0].s);
	regfree(&re);
}

static void cmd_nottext(struct ptyh *p, struct word *a, int n)
{
	struct buf q = { 0 };
	int r;

	(void)n;
	drain_now(p);
	r = find_text(p, a[0].s);
	if (r >= 0)
		fail(p, "%s is on screen (row %d)", quoted(&q, a[0].s, a[0].len),
		     r);
}

/* ---- row, cursor and cell assertions (all retry until a timeout) ---- */

struct row_ctx {
	int row;
	const char *text;
	regex_t re;
};

static int pred_row_eq(struct ptyh *p, void *ctx)
{
	struct row_ctx *c = ctx;

	return strcmp(row_text(p, c->row), c->text) == 0;
}

static int pred_row_re(struct ptyh *p, void *ctx)
{
	struct row_ctx *c = ctx;

	return regexec(&c->re, row_text(p, c->row), 0, NULL, 0) == 0;
}

static int term_rows(struct ptyh *p)
{
	int rows, cols;

	term_size(p, &rows, &cols);
	return rows;
}

static int term_cols(struct ptyh *p)
{
	int rows, cols;

	term_size(p, &rows, &cols);
	return cols;
}

static void cmd_row(struct ptyh *p, struct word *a, int n)
{
	struct row_ctx c = { 0 };
	struct buf want = { 0 }, q1 = { 0 }, q2 = { 0 };
	const char *got;

	c.row = resolve_index(p, a[0].s, term_rows(p), "row");
	/* Rows are compared with trailing blanks trimmed on both sides, so
	 * a prompt can be written as "$ ". */
	buf_add(&want, a[1].s, a[1].len);
	while (want.len && want.data[want.len - 1] == ' ')
		want.data[--want.len] = '\0';
	c.text = want.data;
	if (wait_until(p, opt_ms(p, a, n, 2, p->assert_ms), pred_row_eq, &c)) {
		free(want.data);
		return;
	}
	got = row_text(p, c.row);
	fail(p, "row %d is %s, expected %s", c.row,
	     quoted(&q1, got, strlen(got)), quoted(&q2, want.data, want.len));
}

static void cmd_rowre(struct ptyh *p, struct word *a, int n)
{
	struct row_ctx c = { 0 };
	struct buf q = { 0 };
	const char *got;

	c.row = resolve_index(p, a[0].s, term_rows(p), "row");
	compile_re(p, &c.re, a[1].s);
	if (wait_until(p, opt_ms(p, a, n, 2, p->assert_ms), pred_row_re, &c)) {
		regfree(&c.re);
		return;
	}
	got = row_text(p, c.row);
	fail(p, "row %d is %s, expected a match for /%s/", c.row,
	     quoted(&q, got, strlen(got)), a[1].s);
}

static int pred_cursor(struct ptyh *p, void *ctx)
{
	VTermPos *want = ctx, got = cursor_pos(p);

	return got.row == want->row && got.col == want->col;
}

static void cmd_cursor(struct ptyh *p, struct word *a, int n)
{
	VTermPos want, got;

	want.row = resolve_index(p, a[0].s, term_rows(p), "row");
	want.col = resolve_index(p, a[1].s, term_cols(p), "column");
	if (wait_until(p, opt_ms(p, a, n, 2, p->assert_ms), pred_cursor, &want))
		return;
	got = cursor_pos(p);
	fail(p, "cursor is at %d,%d, expected %d,%d", got.row, got.col,
	     want.row, want.col);
}

enum color_kind { COLOR_DEFAULT, COLOR_INDEX, COLOR_RGB };

struct color_spec {
	int set;
	enum color_kind kind;
	int idx;
	uint8_t r, g, b;
};

enum cell_attr {
	ATTR_BOLD, ATTR_ITALIC, ATTR_UNDERLINE, ATTR_REVERSE, ATTR_STRIKE,
	ATTR_BLINK, ATTR_WIDTH, N_ATTRS
};

static const char *const attr_names[N_ATTRS] = {
	"bold", "italic", "underline", "reverse", "strike", "blink", "width",
};

struct cell_ctx {
	int row, col;
	struct color_spec fg, bg;
	int attr[N_ATTRS];    /* -1: not checked */
	const char *ch;       /* NULL: not checked */
};

static int cell_attr(const VTermScreenCell *c, enum cell_attr a)
{
	switch (a) {
	case ATTR_BOLD: return c->attrs.bold;
	case ATTR_ITALIC: return c->attrs.italic;
	case ATTR_UNDERLINE: return c->attrs.underline;
	case ATTR_REVERSE: return c->attrs.reverse;
	case ATTR_STRIKE: return c->attrs.strike;
	case ATTR_BLINK: return c->attrs.blink;
	default: return c->width;
	}
}

/* Strict on purpose: fg=1 matches only palette colour 1 and #rrggbb only
 * a direct colour, so a test notices when colours get converted. */
static int color_matches(const VTermColor *c, const struct color_spec *s,
			 int is_bg)
{
	int dflt = is_bg ? VTERM_COLOR_IS_DEFAULT_BG(c)
			 : VTERM_COLOR_IS_DEFAULT_FG(c);

	switch (s->kind) {
	case COLOR_DEFAULT:
		return dflt;
	case COLOR_INDEX:
		return !dflt && VTERM_COLOR_IS_INDEXED(c) &&
		       c->indexed.idx == s->idx;
	default:
		return !dflt && VTERM_COLOR_IS_RGB(c) && c->rgb.red == s->r &&
		       c->rgb.green == s->g && c->rgb.blue == s->b;
	}
}

static void describe_color(const VTermColor *c, int is_bg, struct buf *b)
{
	char tmp[16];

	if (is_bg ? VTERM_COLOR_IS_DEFAULT_BG(c) : VTERM_COLOR_IS_DEFAULT_FG(c))
		snprintf(tmp, sizeof tmp, "default");
	else if (VTERM_COLOR_IS_INDEXED(c))
		snprintf(tmp, sizeof tmp, "%d", c->indexed.idx);
	else
		snprintf(tmp, sizeof tmp, "#%02x%02x%02x", c->rgb.red,
			 c->rgb.green, c->rgb.blue);
	buf_adds(b, tmp);
}

static void describe_cell(const VTermScreenCell *c, struct buf *b)
{
	struct buf t = { 0 }, q = { 0 };
	char tmp[32];

	buf_add(&t, "", 0);
	cell_text(c, &t);
	buf_adds(b, "char=");
	buf_adds(b, quoted(&q, t.data, t.len));
	buf_adds(b, " fg=");
	describe_color(&c->fg, 0, b);
	buf_adds(b, " bg=");
	describe_color(&c->bg, 1, b);
	for (int a = 0; a < N_ATTRS; a++) {
		snprintf(tmp, sizeof tmp, " %s=%d", attr_names[a],
			 cell_attr(c, (enum cell_attr)a));
		buf_adds(b, tmp);
	}
	free(t.data);
	free(q.data);
}

static int pred_cell(struct ptyh *p, void *ctx)
{
	struct cell_ctx *c = ctx;
	VTermScreenCell cell;
	struct buf t = { 0 };
	int ok = 1;

	get_cell(p, c->row, c->col, &cell);
	if (c->fg.set && !color_matches(&cell.fg, &c->fg, 0))
		ok = 0;
	if (c->bg.set && !color_matches(&cell.bg, &c->bg, 1))
		ok = 0;
	for (int a = 0; a < N_ATTRS; a++)
		if (c->attr[a] >= 0 && cell_attr(&cell, (enum cell_attr)a) !=
		    c->attr[a])
			ok = 0;
	if (c->ch) {
		buf_add(&t, "", 0);
		cell_text(&cell, &t);
		if (strcmp(t.data, c->ch) != 0)
			ok = 0;
		free(t.data);
	}
	return ok;
}

static void parse_color(struct ptyh *p, const char *v, struct color_spec *s)
{
	unsigned int r, g, b;
	char end;

	s->set = 1;
	if (strcmp(v, "default") == 0) {
		s->kind = COLOR_DEFAULT;
	} else if (v[0] == '#') {
		if (strlen(v) != 7 ||
		    sscanf(v + 1, "%2x%2x%2x%c", &r, &g, &b, &end) != 3)
			bad_line(p, "bad colour '%s'", v);
		s->kind = COLOR_RGB;
		s->r = (uint8_t)r;
		s->g = (uint8_t)g;
		s->b = (uint8_t)b;
	} else {
		s->kind = COLOR_INDEX;
		s->idx = (int)parse_long(p, v, 0, 255, "colour");
	}
}

/* Parses one KEY=VALUE of `cell`; returns a timeout or -1. */
static int parse_cell_key(struct ptyh *p, const char *kv, struct cell_ctx *c)
{
	const char *eq = strchr(kv, '=');
	const char *v = eq ? eq + 1 : "";
	size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);

	if (!eq)
		bad_line(p, "cell: expected KEY=VALUE, got '%s'", kv);
	if (klen == 2 && strncmp(kv, "fg", 2) == 0) {
		parse_color(p, v, &c->fg);
	} else if (klen == 2 && strncmp(kv, "bg", 2) == 0) {
		parse_color(p, v, &c->bg);
	} else if (klen == 4 && strncmp(kv, "char", 4) == 0) {
		c->ch = v;
	} else if (klen == 7 && strncmp(kv, "timeout", 7) == 0) {
		return parse_ms(p, v);
	} else {
		for (int a = 0; a < N_ATTRS; a++) {
			if (strlen(attr_names[a]) == klen &&
			    strncmp(kv, attr_names[a], klen) == 0) {
				c->attr[a] = (int)parse_long(p, v, 0, 3,
							     attr_names[a]);
				return -1;
			}
		}
		bad_line(p, "cell: unknown key in '%s'", kv);
	}
	return -1;
}

static void cmd_cell(struct ptyh *p, struct word *a, int n)
{
	struct cell_ctx c;
	struct buf desc = { 0 };
	VTermScreenCell cell;
	int timeout = p->assert_ms;

	memset(&c, 0, sizeof c);
	for (int i = 0; i < N_ATTRS; i++)
		c.attr[i] = -1;
	c.row = resolve_index(p, a[0].s, term_rows(p), "row");
	c.col = resolve_index(p, a[1].s, term_cols(p), "column");
	for (int i = 2; i < n; i++) {
		int t = parse_cell_key(p, a[i].s, &c);

		if (t >= 0)
			timeout = t;
	}
	if (wait_until(p, timeout, pred_cell, &c))
		return;
	get_cell(p, c.row, c.col, &cell);
	describe_cell(&cell, &desc);
	fail(p, "cell %d,%d is %s", c.row, c.col, desc.data);
}

/* ---- screen, size and time ---- */

static void cmd_screen(struct ptyh *p, struct word *a, int n)
{
	FILE *f = stdout;

	drain_now(p);
	if (n > 0) {
		f = fopen(a[0].s, "w");
		if (!f)
			fail(p, "screen: %s: %s", a[0].s, strerror(errno));
	}
	dump_screen(p, f, 0);
	if (f != stdout && fclose(f) != 0)
		fail(p, "screen: %s: %s", a[0].s, strerror(errno));
	fflush(stdout);
}

static void cmd_resize(struct ptyh *p, struct word *a, int n)
{
	int cols = (int)parse_long(p, a[0].s, 1, 1000, "COLS");
	int rows = (int)parse_long(p, a[1].s, 1, 1000, "ROWS");
	struct winsize ws = { .ws_row = (unsigned short)rows,
			      .ws_col = (unsigned short)cols };

	(void)n;
	drain_now(p);
	/* The screen first, so whatever the child redraws on SIGWINCH lands
	 * on a screen of the new size. */
	vterm_set_size(p->vt, rows, cols);
	if (p->master >= 0 && ioctl(p->master, TIOCSWINSZ, &ws) < 0)
		fail(p, "resize: %s", strerror(errno));
}

static void cmd_sleep(struct ptyh *p, struct word *a, int n)
{
	long long end = now_ms() + parse_ms(p, a[0].s);
	long long left;

	(void)n;
	/* Deliberately not reading: this is a terminal that stalls. */
	while ((left = end - now_ms()) > 0) {
		check_overall(p);
		if (left > p->deadline - now_ms())
			left = p->deadline - now_ms() + 1;
		poll(NULL, 0, (int)left);
	}
}

static void cmd_drain(struct ptyh *p, struct word *a, int n)
{
	long long end = now_ms() + parse_ms(p, a[0].s);
	long long left;

	(void)n;
	while ((left = end - now_ms()) > 0)
		pump(p, (int)left, NULL);
}

/* ---- shell helpers ---- */

struct capture {
	int fd;
	struct buf out;
};

static void __attribute__((noreturn)) helper_exec(const char *cmd, int outfd)
{
	int null = open("/dev/null", O_RDONLY);

	child_hygiene();
	/* The script may be on our stdin; the command must not eat it. */
	if (null >= 0)
		dup2(null, 0);
	if (outfd >= 0)
		dup2(outfd, 1);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

static void read_capture(struct capture *c)
{
	char b[4096];
	ssize_t n;

	for (;;) {
		n = read(c->fd, b, sizeof b);
		if (n > 0) {
			buf_add(&c->out, b, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno != EAGAIN) {
			close(c->fd);
			c->fd = -1;
		}
		return;
	}
}

/* Runs /bin/sh -c CMD while the PTY keeps being served, since the command
 * may well be waiting on the program we play the terminal for. With cap,
 * its stdout is collected; otherwise it goes to our stdout. */
static int run_shell(struct ptyh *p, const char *cmd, struct capture *cap)
{
	int pfd[2] = { -1, -1 }, st = 0, done = 0;
	long long exited_at = 0;
	pid_t pid;

	if (cap && pipe2(pfd, O_CLOEXEC) < 0)
		fail(p, "pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		fail(p, "fork: %s", strerror(errno));
	if (pid == 0)
		helper_exec(cmd, pfd[1]);
	p->helper = pid;
	if (cap) {
		close(pfd[1]);
		cap->fd = pfd[0];
		set_flags(cap->fd, 0, O_NONBLOCK);
	}
	/* Done when the shell has exited and its output is in; orphans that
	 * keep the pipe open only get a short grace period. */
	while (!done || (cap && cap->fd >= 0)) {
		struct pollfd x = { .fd = cap ? cap->fd : -1, .events = POLLIN };

		pump(p, CHILD_POLL_MS, cap && cap->fd >= 0 ? &x : NULL);
		if (cap && cap->fd >= 0 && x.revents)
			read_capture(cap);
		if (!done && waitpid(pid, &st, WNOHANG) == pid) {
			done = 1;
			exited_at = now_ms();
		}
		if (done && cap && cap->fd >= 0 &&
		    now_ms() - exited_at > CAPTURE_GRACE_MS) {
			close(cap->fd);
			cap->fd = -1;
		}
	}
	p->helper = 0;
	return st;
}

static void check_shell_status(struct ptyh *p, const char *cmd, int st)
{
	char desc[64];
	struct buf q = { 0 };

	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return;
	describe_status(st, desc, sizeof desc);
	fail(p, "command %s failed: %s", quoted(&q, cmd, strlen(cmd)), desc);
}

static void do_sh(struct ptyh *p, struct word *a, int n, int check)
{
	char *cmd = join_words(a, n);
	int st = run_shell(p, cmd, NULL);

	if (check)
		check_shell_status(p, cmd, st);
	free(cmd);
}

static void cmd_sh(struct ptyh *p, struct word *a, int n)
{
	do_sh(p, a, n, 1);
}

static void cmd_sh_bang(struct ptyh *p, struct word *a, int n)
{
	do_sh(p, a, n, 0);
}

static void do_capture(struct ptyh *p, struct word *a, int n, int check)
{
	struct capture cap = { .fd = -1 };
	char *cmd = join_words(a + 1, n - 1);
	char *s;
	size_t len;
	int st;

	if (!valid_name(a[0].s))
		bad_line(p, "bad variable name '%s'", a[0].s);
	buf_add(&cap.out, "", 0);
	st = run_shell(p, cmd, &cap);
	if (check)
		check_shell_status(p, cmd, st);
	s = cap.out.data;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	set_var(p, a[0].s, s);
	free(cap.out.data);
	free(cmd);
}

static void cmd_capture(struct ptyh *p, struct word *a, int n)
{
	do_capture(p, a, n, 1);
}

static void cmd_capture_bang(struct ptyh *p, struct word *a, int n)
{
	do_capture(p, a, n, 0);
}

/* ---- the child's life ---- */

static void need_child(struct ptyh *p)
{
	if (p->child <= 0)
		bad_line(p, "no child (spawn first)");
}

static int parse_signal(struct ptyh *p, const char *s)
{
	static const struct { const char *name; int sig; } sigs[] = {
		{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
		{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
		{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
		{ "CHLD", SIGCHLD }, { "CONT", SIGCONT }, { "STOP", SIGSTOP },
		{ "TSTP", SIGTSTP }, { "WINCH", SIGWINCH }, { "ABRT", SIGABRT },
		{ "SEGV", SIGSEGV },
	};

	if (isdigit((unsigned char)*s))
		return (int)parse_long(p, s, 1, 64, "signal");
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		if (strcmp(s, sigs[i].name) == 0)
			return sigs[i].sig;
	bad_line(p, "unknown signal '%s'", s);
}

static int pred_child_done(struct ptyh *p, void *ctx)
{
	(void)ctx;
	reap_child(p);
	return p->child_done;
}

static void cmd_expect_exit(struct ptyh *p, struct word *a, int n)
{
	const char *want = a[0].s;
	int st, ok, sig = 0, code = 0;
	char desc[64];

	need_child(p);
	if (strncmp(want, "signal:", 7) == 0)
		sig = parse_signal(p, want + 7);
	else
		code = (int)parse_long(p, want, 0, 255, "exit status");
	if (!wait_until(p, opt_ms(p, a, n, 1, p->wait_ms), pred_child_done,
			NULL))
		fail(p, "timeout waiting for the child (pid %d) to exit",
		     (int)p->child);
	drain_now(p); /* its last words belong on the screen */
	st = p->child_status;
	ok = sig ? WIFSIGNALED(st) && WTERMSIG(st) == sig
		 : WIFEXITED(st) && WEXITSTATUS(st) == code;
	if (!ok) {
		describe_status(st, desc, sizeof desc);
		fail(p, "child ended with %s, expected %s", desc, want);
	}
}

static void cmd_hup(struct ptyh *p, struct word *a, int n)
{
	(void)a;
	(void)n;
	if (p->master < 0)
		bad_line(p, "hup: no pty open");
	drain_now(p);
	close_master(p);
}

static void cmd_kill(struct ptyh *p, struct word *a, int n)
{
	int sig = parse_signal(p, a[0].s);

	(void)n;
	need_child(p);
	reap_child(p);
	/* Once reaped, the pid may belong to someone else. */
	if (p->child_done)
		fail(p, "kill: the child has already exited");
	if (kill(p->child, sig) < 0)
		fail(p, "kill: %s", strerror(errno));
}

static void cmd_pid(struct ptyh *p, struct word *a, int n)
{
	char tmp[32];

	(void)n;
	need_child(p);
	snprintf(tmp, sizeof tmp, "%d", (int)p->child);
	set_var(p, a[0].s, tmp);
}

/* ---- settings ---- */

static void cmd_set(struct ptyh *p, struct word *a, int n)
{
	const char *k = a[0].s, *v = a[1].s;

	(void)n;
	if (strcmp(k, "answer") == 0) {
		if (strcmp(v, "on") && strcmp(v, "off"))
			bad_line(p, "set answer: want on or off");
		p->answer = strcmp(v, "on") == 0;
	} else if (strcmp(k, "wait-timeout") == 0) {
		p->wait_ms = parse_ms(p, v);
	} else if (strcmp(k, "assert-timeout") == 0) {
		p->assert_ms = parse_ms(p, v);
	} else {
		bad_line(p, "set: unknown setting '%s'", k);
	}
}

static void cmd_setenv(struct ptyh *p, struct word *a, int n)
{
	(void)n;
	set_var(p, a[0].s, a[1].s);
}

static void cmd_unsetenv(struct ptyh *p, struct word *a, int n)
{
	(void)n;
	if (!valid_name(a[0].s))
		bad_line(p, "bad variable name '%s'", a[0].s);
	unsetenv(a[0].s);
}

static void cmd_exit(struct ptyh *p, struct word *a, int n)
{
	(void)a;
	(void)n;
	p->stop = 1;
}

/* ---- the script ---- */

struct command {
	const char *name;
	int min, max;         /* argument counts; max -1: no limit */
	void (*run)(struct ptyh *p, struct word *a, int n);
};

static const struct command commands[] = {
	{ "spawn", 3, -1, cmd_spawn },
	{ "type", 1, -1, cmd_type },
	{ "paste", 1, 1, cmd_paste },
	{ "key", 1, -1, cmd_key },
	{ "wait", 1, 2, cmd_wait },
	{ "waitre", 1, 2, cmd_waitre },
	{ "gone", 1, 2, cmd_gone },
	{ "row", 2, 3, cmd_row },
	{ "rowre", 2, 3, cmd_rowre },
	{ "cursor", 2, 3, cmd_cursor },
	{ "nottext", 1, 1, cmd_nottext },
	{ "cell", 3, -1, cmd_cell },
	{ "screen", 0, 1, cmd_screen },
	{ "resize", 2, 2, cmd_resize },
	{ "sleep", 1, 1, cmd_sleep },
	{ "drain", 1, 1, cmd_drain },
	{ "sh", 1, -1, cmd_sh },
	{ "sh!", 1, -1, cmd_sh_bang },
	{ "capture", 2, -1, cmd_capture },
	{ "capture!", 2, -1, cmd_capture_bang },
	{ "expect-exit", 1, 2, cmd_expect_exit },
	{ "hup", 0, 0, cmd_hup },
	{ "kill", 1, 1, cmd_kill },
	{ "pid", 1, 1, cmd_pid },
	{ "set", 2, 2, cmd_set },
	{ "setenv", 2, 2, cmd_setenv },
	{ "unsetenv", 1, 1, cmd_unsetenv },
	{ "exit", 0, 0, cmd_exit },
};

static void run_line(struct ptyh *p, struct words *w)
{
	const char *name = w->v[0].s;
	int n = w->n - 1;

	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		const struct command *c = &commands[i];

		if (strcmp(name, c->name) != 0)
			continue;
		if (n < c->min || (c->max >= 0 && n > c->max))
			bad_line(p, "%s: wrong number of arguments (see --help)",
				 name);
		c->run(p, w->v + 1, n);
		return;
	}
	bad_line(p, "unknown command '%s'", name);
}

static void run_script(struct ptyh *p, FILE *f)
{
	struct words w = { 0 };
	char *line = NULL;
	size_t cap = 0;

	while (!p->stop && getline(&line, &cap, f) >= 0) {
		p->lineno++;
		split_line(p, line, &w);
		if (w.n == 0)
			continue;
		if (p->verbose) {
			fprintf(stderr, "ptyh: %d: %s", p->lineno, line);
			if (!strchr(line, '\n'))
				fputc('\n', stderr);
		}
		run_line(p, &w);
		free_words(&w);
	}
	free(line);
	free(w.v);
}

/* Hangs up like a closed terminal window, then insists. Never fails, as
 * it also runs on the way out of a failure. */
static void finish(struct ptyh *p)
{
	long long end;

	p->finishing = 1;
	if (p->helper > 0) {
		kill(p->helper, SIGKILL);
		waitpid(p->helper, NULL, 0);
		p->helper = 0;
	}
	close_master(p);
	reap_child(p);
	if (p->child <= 0 || p->child_done)
		return;
	end = now_ms() + (p->timed_out ? 0 : HUP_GRACE_MS);
	while (!p->child_done && now_ms() < end) {
		poll(NULL, 0, CHILD_POLL_MS);
		reap_child(p);
	}
	if (!p->child_done) {
		/* Its process group too: setsid() made it, so every member
		 * descends from our child, and while the child is unreaped
		 * the id cannot have been reused. */
		kill(-p->child, SIGKILL);
		kill(p->child, SIGKILL);
		waitpid(p->child, &p->child_status, 0);
		p->child_done = 1;
	}
}

static void on_signal(int sig)
{
	caught_signal = sig;
}

/* No SA_RESTART: a signal must interrupt poll() so it is acted on. */
static void setup_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A closed stdout must not kill us before we clean up the child. */
	signal(SIGPIPE, SIG_IGN);
}

static void setup_terminal(struct ptyh *p)
{
	p->vt = vterm_new(24, 80);
	if (!p->vt) {
		fputs("ptyh: vterm_new failed\n", stderr);
		exit(1);
	}
	vterm_set_utf8(p->vt, 1);
	p->screen = vterm_obtain_screen(p->vt);
	vterm_screen_enable_altscreen(p->screen, 1);
	vterm_screen_reset(p->screen, 1);
	vterm_output_set_callback(p->vt, on_vterm_output, p);
}

static FILE *parse_args(struct ptyh *p, int argc, char **argv)
{
	const char *path = NULL;
	FILE *f;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			exit(0);
		} else if (strcmp(a, "-v") == 0) {
			p->verbose = 1;
		} else if (strcmp(a, "--timeout") == 0 && i + 1 < argc) {
			p->overall_s = (int)parse_long(p, argv[++i], 1, 86400,
						       "--timeout");
		} else if (strncmp(a, "--timeout=", 10) == 0) {
			p->overall_s = (int)parse_long(p, a + 10, 1, 86400,
						       "--timeout");
		} else if (a[0] == '-' && a[1]) {
			fputs(usage_text, stderr);
			exit(2);
		} else if (!path) {
			path = a;
		} else {
			fputs(usage_text, stderr);
			exit(2);
		}
	}
	if (!path || strcmp(path, "-") == 0)
		return stdin;
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "ptyh: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return f;
}

int main(int argc, char **argv)
{
	struct ptyh p;
	FILE *script;

	memset(&p, 0, sizeof p);
	p.master = -1;
	p.answer = 1;
	p.overall_s = DEFAULT_OVERALL_S;
	p.wait_ms = DEFAULT_WAIT_MS;
	p.assert_ms = DEFAULT_ASSERT_MS;
	script = parse_args(&p, argc, argv);
	setup_signals();
	p.deadline = now_ms() + p.overall_s * 1000LL;
	setup_terminal(&p);
	run_script(&p, script);
	if (script != stdin)
		fclose(script);
	finish(&p);
	fflush(stdout);
	vterm_free(p.vt);
	free(p.scratch.data);
	free(p.out.data);
	return 0;
}
