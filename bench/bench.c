/*
 * hexe-bench — hexe side by side with tmux and a bare terminal.
 *
 * The harness plays the user's terminal (term.c): it opens a PTY of a
 * fixed size, starts the contender's client in it, parses everything the
 * contender draws, and times from the moment it sends something to the
 * moment the expected result is on its screen. Contenders alternate run by
 * run (the order rotates), one warm-up run first; every scenario reports
 * the median and p90 of its runs and the ratio to tmux (bwrap or unshare
 * for pod spawn) and to the bare terminal. See bench/README.md.
 *
 * Everything runs in a private temporary directory (HOME, XDG dirs,
 * TMUX_TMPDIR, payloads) that is removed at the end; processes are ended
 * through their own commands and, if they linger, by pid.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "contender.h"
#include "payload.h"
#include "report.h"
#include "term.h"

#define PROMPT_MS 15000
#define SPAWN_SETTLE_MS 100 /* quiet time after each timed spawn */
#define KEY_GAP_MS 10      /* quiet time before each timed keystroke */
#define KEY_SEGMENT 16     /* keys typed before the line is cleared */
#define MAX_PANES 64

/* Contenders by slot; a second hexe (--baseline) compares two builds. */
enum slot { S_BARE, S_TMUX, S_HEXE, S_BASE, SLOTS };

struct size {
	int cols, rows;
};

struct opts {
	const char *hexe;
	const char *baseline;
	const char *tmux;
	const char *out;
	const char *only;  /* comma-separated scenario groups, or NULL */
	const char *contenders; /* comma-separated names, or NULL: all */
	const char *workloads;  /* throughput: seq,colour,unicode,cursor */
	const char *sizes;      /* "80x24,200x50" */
	int runs;          /* measured runs after the warm-up */
	int keys;          /* keystrokes per latency run */
	long seq;          /* seq 1 N */
	int payload_mib;
	int mem_runs;
	bool verbose;
};

struct bench {
	struct opts o;
	char tmp[256];
	char payload[PAYLOAD_COUNT][320];
	char warmup[PAYLOAD_COUNT][320]; /* the same, 1 MiB, for warm-ups */
	char conf[320];
	struct contender ct[SLOTS];
	int nslots;
	struct report rep;
	char notes[4096];
	char load_start[64]; /* /proc/loadavg when the run began */
	int marker; /* makes every marker unique */
};

#define interrupted term_interrupted

/* ---- small things ---- */

static void __attribute__((format(printf, 2, 3)))
say(struct bench *b, const char *fmt, ...)
{
	va_list ap;

	(void)b;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void __attribute__((format(printf, 2, 3)))
add_note(struct bench *b, const char *fmt, ...)
{
	size_t n = strlen(b->notes);
	va_list ap;

	if (n + 4 >= sizeof b->notes)
		return;
	if (n)
		b->notes[n++] = '\n';
	va_start(ap, fmt);
	vsnprintf(b->notes + n, sizeof b->notes - n, fmt, ap);
	va_end(ap);
}

/* Is word in the comma-separated list (a NULL list has everything)? */
static bool
in_list(const char *p, const char *word)
{
	size_t n = strlen(word);

	if (!p)
		return true;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len + (e ? 1 : 0);
	}
	return false;
}

static bool
wanted(const struct bench *b, const char *group)
{
	return in_list(b->o.only, group);
}

static double
ms_since(uint64_t t0)
{
	return (double)(now_ns() - t0) / 1e6;
}

/* Keep the terminals drained for ms. */
static void
pump_for(int ms)
{
	uint64_t end = now_ns() + (uint64_t)ms * 1000000u;

	while (!interrupted && now_ns() < end)
		term_pump_all((int)((end - now_ns()) / 1000000u) + 1);
}

static bool
pred_prompt(struct term *t, const void *arg)
{
	(void)arg;
	return term_row_ends(t, "$");
}

static bool
wait_prompt(struct term *t, int ms)
{
	return term_wait(t, pred_prompt, NULL, ms);
}

static void
fail_screen(struct bench *b, struct term *t, const char *what)
{
	say(b, "  ! %s; the screen:", what);
	if (t)
		term_dump(t, stderr);
}

/* The run's order of contenders: rotated by run number. */
static void
rotation(int run, const int *in, int n, int *out)
{
	for (int i = 0; i < n; i++)
		out[i] = in[(i + run) % n];
}

/* A scenario's contenders (slots): bare if it applies, tmux, hexe, and
 * the baseline hexe when there is one. */
static int
lineup(const struct bench *b, bool bare, int *out)
{
	int n = 0;

	for (int sl = 0; sl < b->nslots; sl++) {
		if (sl == S_BARE && !bare)
			continue;
		if (in_list(b->o.contenders, b->ct[sl].name))
			out[n++] = sl;
	}
	return n;
}

/* ---- environment ---- */

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	remove(path);
	return 0;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

static void
mkdir_in(const char *base, const char *sub, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", base, sub);
	if (mkdir(out, 0700) < 0 && errno != EEXIST) {
		perror(out);
		exit(1);
	}
}

/* The contenders see only this environment: a private HOME and XDG dirs,
 * a login bash whose prompt is "$ ", a UTF-8 locale, and panes without
 * isolation (pod spawn sets its profiles itself). */
static void
setup_env(struct bench *b)
{
	struct passwd *pw = getpwuid(getuid());
	char d[400], home[400], lua[440];

	snprintf(b->tmp, sizeof b->tmp, "/tmp/hexe-bench.XXXXXX");
	if (!mkdtemp(b->tmp)) {
		perror("mkdtemp");
		exit(1);
	}
	clearenv();
	mkdir_in(b->tmp, "home", home, sizeof home);
	setenv("HOME", home, 1);
	snprintf(d, sizeof d, "%s/.bash_profile", home);
	write_file(d, "PS1='$ '\nPS2='> '\nunset PROMPT_COMMAND\nHISTFILE=\n");
	snprintf(d, sizeof d, "%s/.bashrc", home);
	write_file(d, "PS1='$ '\nPS2='> '\nunset PROMPT_COMMAND\nHISTFILE=\n");
	mkdir_in(b->tmp, "run", d, sizeof d);
	setenv("XDG_RUNTIME_DIR", d, 1);
	mkdir_in(b->tmp, "state", d, sizeof d);
	setenv("XDG_STATE_HOME", d, 1);
	mkdir_in(b->tmp, "config", d, sizeof d);
	setenv("XDG_CONFIG_HOME", d, 1);
	mkdir_in(b->tmp, "data", d, sizeof d);
	setenv("XDG_DATA_HOME", d, 1);
	mkdir_in(b->tmp, "cache", d, sizeof d);
	setenv("XDG_CACHE_HOME", d, 1);
	mkdir_in(b->tmp, "tmux", d, sizeof d);
	setenv("TMUX_TMPDIR", d, 1);
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	       1);
	setenv("TERM", "xterm-256color", 1);
	setenv("LANG", "C.UTF-8", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("SHELL", "/bin/bash", 1);
	setenv("HEXE_VOIDBOX_PROFILE", "none", 1);
	if (pw) {
		setenv("USER", pw->pw_name, 1);
		setenv("LOGNAME", pw->pw_name, 1);
	}
	snprintf(b->conf, sizeof b->conf, "%s/tmux.conf", b->tmp);
	/* Both alike: no status bar, 10,000 lines of history; everything
	 * else is each one's default. */
	write_file(b->conf, "set -g status off\nset -g history-limit 10000\n"
			    "set -g default-terminal tmux-256color\n");
	mkdir_in(b->tmp, "config/hexe", d, sizeof d);
	snprintf(lua, sizeof lua, "%s/init.lua", d);
	write_file(lua, "hexe.mux.config.setup{ status = { enabled = false },"
			" scrollback = 10000 }\n");
}

static void
make_payloads(struct bench *b)
{
	size_t bytes = (size_t)b->o.payload_mib << 20;

	for (int k = 0; k < PAYLOAD_COUNT; k++) {
		snprintf(b->payload[k], sizeof b->payload[k], "%s/%s.txt",
			 b->tmp, payload_name(k));
		snprintf(b->warmup[k], sizeof b->warmup[k], "%s/%s-warmup.txt",
			 b->tmp, payload_name(k));
		if (payload_write(k, b->payload[k], bytes) < 0 ||
		    payload_write(k, b->warmup[k], 1u << 20) < 0) {
			perror(b->payload[k]);
			exit(1);
		}
	}
}

static void
cleanup(struct bench *b)
{
	for (int i = 0; i < b->nslots; i++)
		contender_stop(&b->ct[i]);
	if (b->tmp[0])
		nftw(b->tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- typing and timing ---- */

/* Clear the screen with `clear` and wait for the bare prompt. */
static bool
clear_screen(struct term *t)
{
	term_sends(t, "clear\r");
	return term_wait_gone(t, "clear", PROMPT_MS) && wait_prompt(t, PROMPT_MS);
}

/* Type cmd and a marker command behind it, wait for the echo, press
 * Enter and time until the marker's output is on screen. Returns ms, or
 * a negative number on a timeout. */
static double
timed_command(struct bench *b, struct term *t, const char *cmd, int timeout_ms,
	      struct contender *ct, double *cpu_s)
{
	char typed[1024], echo[64], marker[32];
	uint64_t t0, cpu0, ns0[64];
	pid_t pids[64];
	int np = 0;
	double ms;
	int k = ++b->marker;

	/* the typed line shows "Q$((1000+k))Z", the output "Q<1000+k>Z" */
	snprintf(echo, sizeof echo, "Q$((1000+%d))Z", k);
	snprintf(marker, sizeof marker, "Q%dZ", 1000 + k);
	snprintf(typed, sizeof typed, "%s; echo %s", cmd, echo);
	if (!clear_screen(t)) {
		fail_screen(b, t, "no prompt after clear");
		return -1;
	}
	term_sends(t, typed);
	if (!term_wait_text(t, echo, PROMPT_MS)) {
		fail_screen(b, t, "the command was not echoed");
		return -1;
	}
	/* the contender's CPU time, a steadier figure on a busy machine */
	cpu0 = contender_cpu_ns(ct, term_pid(t));
	if (b->o.verbose)
		np = contender_cpu_each(ct, term_pid(t), pids, ns0, 64);
	t0 = now_ns();
	term_sends(t, "\r");
	if (!term_wait_text(t, marker, timeout_ms)) {
		fail_screen(b, t, "the marker did not appear");
		return -1;
	}
	ms = ms_since(t0);
	*cpu_s = (double)(contender_cpu_ns(ct, term_pid(t)) - cpu0) / 1e9;
	if (b->o.verbose && np > 0) {
		pid_t pids1[64];
		uint64_t ns1[64];
		int n1 = contender_cpu_each(ct, term_pid(t), pids1, ns1, 64);

		fprintf(stderr, "    cpu by process (client first):");
		for (int i = 0; i < np && i < n1; i++)
			if (pids1[i] == pids[i])
				fprintf(stderr, " %d:%.0fms", (int)pids[i],
					(double)(ns1[i] - ns0[i]) / 1e6);
		fputc('\n', stderr);
	}
	return ms;
}

static double
quantile(double *v, int n, double q)
{
	double pos;
	int lo;

	for (int i = 1; i < n; i++) /* insertion sort: n is small */
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			double x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	if (n == 0)
		return NAN;
	pos = q * (n - 1);
	lo = (int)pos;
	return lo + 1 >= n ? v[n - 1] : v[lo] + (v[lo + 1] - v[lo]) * (pos - lo);
}

/* Keystrokes at a prompt, each after a quiet spell, each timed until
 * "$ <the line so far>" is on screen. The line is cleared (C-u) every
 * KEY_SEGMENT keys; consecutive segments start with different letters so
 * that an old line cannot pass for the new one. Fills ms[], returns the
 * count done (less than n on a timeout). */
static int
timed_keys(struct bench *b, struct term *t, int n, double *ms)
{
	/* no c, e, l, y: `clear`, `echo` and `yes` lines are on screens */
	static const char alphabet[] = "abdfghijkmnopqrstuvwx";
	char seg[KEY_SEGMENT + 4] = "", expect[KEY_SEGMENT + 8];
	int len = 0, done = 0;
	char first = 0;
	uint32_t seed = 12345u + (uint32_t)b->marker++;

	while (done < n && !interrupted) {
		char c;
		uint64_t t0;

		if (len == KEY_SEGMENT) {
			snprintf(expect, sizeof expect, "$ %s", seg);
			term_sends(t, "\025"); /* C-u */
			if (!term_wait_gone(t, expect, PROMPT_MS)) {
				fail_screen(b, t, "C-u did not clear the line");
				break;
			}
			first = seg[0];
			len = 0;
		}
		do {
			seed = seed * 1103515245u + 12345u;
			c = alphabet[(seed >> 8) % (sizeof alphabet - 1)];
		} while (len == 0 && c == first);
		seg[len++] = c;
		seg[len] = '\0';
		snprintf(expect, sizeof expect, "$ %s", seg);
		pump_for(KEY_GAP_MS);
		t0 = now_ns();
		term_send(t, &c, 1);
		if (!term_wait_text(t, expect, 5000)) {
			fail_screen(b, t, "a keystroke was not echoed");
			break;
		}
		ms[done++] = ms_since(t0);
	}
	term_sends(t, "\025");
	pump_for(50);
	return done;
}

/* ---- throughput ---- */

static void
scenario_throughput(struct bench *b, struct size sz)
{
	int all[SLOTS], nall = lineup(b, true, all);
	struct term *t[SLOTS] = { 0 };
	char cmds[1 + PAYLOAD_COUNT][400], names[1 + PAYLOAD_COUNT][96];
	char warm[1 + PAYLOAD_COUNT][400];

	/* Warm-ups play an eighth of the work: they are there to fault in
	 * the code and the allocator, and full ones would cost a minute. */
	snprintf(cmds[0], sizeof cmds[0], "seq 1 %ld", b->o.seq);
	snprintf(warm[0], sizeof warm[0], "seq 1 %ld", b->o.seq / 8 + 1);
	snprintf(names[0], sizeof names[0], "throughput seq %dx%d", sz.cols,
		 sz.rows);
	for (int k = 0; k < PAYLOAD_COUNT; k++) {
		snprintf(cmds[1 + k], sizeof cmds[0], "cat %s", b->payload[k]);
		snprintf(warm[1 + k], sizeof warm[0], "cat %s", b->warmup[k]);
		snprintf(names[1 + k], sizeof names[0], "throughput %s %dx%d",
			 payload_name(k), sz.cols, sz.rows);
	}
	for (int i = 0; i < nall; i++) {
		struct contender *ct = &b->ct[all[i]];
		int c = all[i];

		contender_fresh(ct, "tp");
		t[c] = contender_new_session(ct, sz.cols, sz.rows, "tp");
		if (!wait_prompt(t[c], PROMPT_MS))
			fail_screen(b, t[c], "no prompt");
	}
	for (int w = 0; w < 1 + PAYLOAD_COUNT && !interrupted; w++) {
		if (!in_list(b->o.workloads,
			     w ? payload_name((enum payload_kind)(w - 1)) : "seq"))
			continue;
		for (int run = 0; run <= b->o.runs && !interrupted; run++) {
			int order[SLOTS];

			rotation(run, all, nall, order);
			for (int i = 0; i < nall; i++) {
				int c = order[i];
				double cpu = 0;
				double ms = timed_command(b, t[c],
							  run ? cmds[w] : warm[w],
							  180000, &b->ct[c], &cpu);
				char cname[128];

				say(b, "  %s %s run %d: %.0f ms, cpu %.2f s%s",
				    names[w], b->ct[c].name, run, ms, cpu,
				    run == 0 ? " (warm-up)" : "");
				snprintf(cname, sizeof cname, "%s, cpu",
					 names[w]);
				if (ms < 0) {
					report_fail(&b->rep, names[w],
						    b->ct[c].name, "s");
				} else if (run > 0) {
					report_add(&b->rep, names[w],
						   b->ct[c].name, "s", ms / 1000);
					if (c != S_BARE)
						report_add(&b->rep, cname,
							   b->ct[c].name, "s",
							   cpu);
				}
			}
		}
	}
	for (int i = 0; i < nall; i++) {
		contender_stop(&b->ct[all[i]]);
		term_close(t[all[i]], 3000);
	}
}

/* ---- latency ---- */

static void
record_keys(struct bench *b, const char *scen, const char *who, double *ms,
	    int n, int want)
{
	char name[96];

	if (n < want) {
		snprintf(name, sizeof name, "%s p50", scen);
		report_fail(&b->rep, name, who, "ms");
		snprintf(name, sizeof name, "%s p99", scen);
		report_fail(&b->rep, name, who, "ms");
		return;
	}
	snprintf(name, sizeof name, "%s p50", scen);
	report_add(&b->rep, name, who, "ms", quantile(ms, n, 0.5));
	snprintf(name, sizeof name, "%s p99", scen);
	report_add(&b->rep, name, who, "ms", quantile(ms, n, 0.99));
}

static void
scenario_latency_idle(struct bench *b, struct size sz)
{
	int all[SLOTS], nall = lineup(b, true, all);
	struct term *t[SLOTS] = { 0 };
	double *ms = calloc((size_t)b->o.keys, sizeof *ms);
	char scen[96];

	snprintf(scen, sizeof scen, "latency idle %dx%d", sz.cols, sz.rows);
	for (int i = 0; i < nall; i++) {
		struct contender *ct = &b->ct[all[i]];
		int c = all[i];

		contender_fresh(ct, "li");
		t[c] = contender_new_session(ct, sz.cols, sz.rows, "li");
		if (!wait_prompt(t[c], PROMPT_MS) || !clear_screen(t[c]))
			fail_screen(b, t[c], "no prompt");
	}
	for (int run = 0; run <= b->o.runs && !interrupted; run++) {
		int order[SLOTS];

		rotation(run, all, nall, order);
		for (int i = 0; i < nall; i++) {
			int c = order[i];
			int want = run == 0 ? b->o.keys / 4 : b->o.keys;
			int n = timed_keys(b, t[c], want, ms);

			say(b, "  %s %s run %d: %d keys, p50 %.3f ms%s", scen,
			    b->ct[c].name, run, n, n ? quantile(ms, n, 0.5) : -1,
			    run == 0 ? " (warm-up)" : "");
			if (run > 0)
				record_keys(b, scen, b->ct[c].name, ms, n, want);
		}
	}
	for (int i = 0; i < nall; i++) {
		contender_stop(&b->ct[all[i]]);
		term_close(t[all[i]], 3000);
	}
	free(ms);
}

/* The pane of a session that is new since `before`. hexe answers an
 * action that needs the focused pane's cwd before the pane exists, so
 * this waits for it a while. */
static int
new_pane(struct contender *ct, const char *session, char before[][32],
	 int nbefore, char *out)
{
	uint64_t end = now_ns() + 10000000000ull;

	while (!interrupted && now_ns() < end) {
		char now[MAX_PANES][32];
		int n = contender_panes(ct, session, now, MAX_PANES);

		for (int i = 0; i < n; i++) {
			bool seen = false;

			for (int k = 0; k < nbefore; k++)
				seen |= strcmp(now[i], before[k]) == 0;
			if (!seen) {
				snprintf(out, 32, "%s", now[i]);
				return 0;
			}
		}
		pump_for(20);
	}
	return -1;
}

/* Two panes side by side; the left one floods (`yes`), the harness types
 * into the right one, which has the focus. The flood runs only during a
 * run, so that one contender's flood never overlaps another's run. */
static void
scenario_latency_flood(struct bench *b, struct size sz)
{
	int all[SLOTS], nall = lineup(b, false, all);
	struct term *t[SLOTS] = { 0 };
	char left[SLOTS][32];
	double *ms = calloc((size_t)b->o.keys, sizeof *ms);
	char scen[96];
	const char *flood[] = { "yes 0123456789012345678901234567890123456789",
				"Enter", NULL };
	const char *stop[] = { "C-c", NULL };
	const char *clr[] = { "clear", "Enter", NULL };

	snprintf(scen, sizeof scen, "latency flood %dx%d", sz.cols, sz.rows);
	for (int i = 0; i < nall; i++) {
		struct contender *ct = &b->ct[all[i]];
		char panes[MAX_PANES][32], right[32];

		contender_fresh(ct, "lf");
		t[i] = contender_new_session(ct, sz.cols, sz.rows, "lf");
		if (!wait_prompt(t[i], PROMPT_MS))
			fail_screen(b, t[i], "no prompt");
		if (contender_panes(ct, "lf", panes, MAX_PANES) != 1 ||
		    contender_split(ct, panes[0], true) < 0 ||
		    new_pane(ct, "lf", panes, 1, right) < 0) {
			report_na(&b->rep, scen, ct->name, "ms", "split failed");
			continue;
		}
		snprintf(left[i], sizeof left[i], "%s", panes[0]);
		pump_for(300);
		if (!clear_screen(t[i]))
			fail_screen(b, t[i], "no prompt in the new pane");
	}
	for (int run = 0; run <= b->o.runs && !interrupted; run++) {
		for (int k = 0; k < nall; k++) {
			int i = (k + run) % nall, n;
			int want = run == 0 ? b->o.keys / 4 : b->o.keys;
			struct contender *ct = &b->ct[all[i]];

			if (!t[i])
				continue;
			contender_send(ct, left[i], flood);
			pump_for(300);
			n = timed_keys(b, t[i], want, ms);
			contender_send(ct, left[i], stop);
			pump_for(300);
			contender_send(ct, left[i], clr);
			pump_for(200);
			say(b, "  %s %s run %d: %d keys, p50 %.3f p99 %.3f ms%s",
			    scen, ct->name, run, n,
			    n ? quantile(ms, n, 0.5) : -1,
			    n ? quantile(ms, n, 0.99) : -1,
			    run == 0 ? " (warm-up)" : "");
			if (run > 0)
				record_keys(b, scen, ct->name, ms, n, want);
		}
	}
	for (int i = 0; i < nall; i++) {
		contender_stop(&b->ct[all[i]]);
		term_close(t[i], 3000);
	}
	free(ms);
}

/* Poll a pane's screen (as its multiplexer holds it) until it shows
 * want; with want "$" the shell's prompt. */
static bool
capture_wait(struct bench *b, struct contender *ct, const char *target,
	     const char *want, int timeout_ms)
{
	static char out[65536];
	uint64_t end = now_ns() + (uint64_t)timeout_ms * 1000000u;

	while (!interrupted) {
		if (contender_capture(ct, target, out, sizeof out) == 0 &&
		    strstr(out, want))
			return true;
		if (now_ns() > end) {
			say(b, "  ! %s: pane %s never showed \"%s\"", ct->name,
			    target, want);
			return false;
		}
		pump_for(30);
	}
	return false;
}

/* ---- start and attach ---- */

static void
scenario_start(struct bench *b, struct size sz)
{
	int all[SLOTS], nall = lineup(b, true, all);
	char scen[96];

	snprintf(scen, sizeof scen, "start new %dx%d", sz.cols, sz.rows);
	for (int run = 0; run <= b->o.runs && !interrupted; run++) {
		int order[SLOTS];

		rotation(run, all, nall, order);
		for (int i = 0; i < nall; i++) {
			struct contender *ct = &b->ct[order[i]];
			uint64_t t0;
			struct term *t;
			bool okp;
			double ms;

			contender_fresh(ct, "st");
			t0 = now_ns();
			t = contender_new_session(ct, sz.cols, sz.rows, "st");
			okp = wait_prompt(t, PROMPT_MS);
			ms = ms_since(t0);
			if (!okp)
				fail_screen(b, t, "no prompt");
			contender_stop(ct);
			term_close(t, 3000);
			say(b, "  %s %s run %d: %.1f ms%s", scen, ct->name, run,
			    ms, run == 0 ? " (warm-up)" : "");
			if (!okp)
				report_fail(&b->rep, scen, ct->name, "ms");
			else if (run > 0)
				report_add(&b->rep, scen, ct->name, "ms", ms);
		}
	}
}

static bool
pred_markers(struct term *t, const void *arg)
{
	int n = *(const int *)arg;

	for (int i = 0; i < n; i++) {
		char m[16];

		snprintf(m, sizeof m, "M%d", 101 + i);
		if (!term_has(t, m))
			return false;
	}
	return true;
}

/* A session of ten panes, two rows of five, built with the same splits
 * in both multiplexers; each pane shows "M1xx" after a clear. */
static int
build_ten(struct bench *b, struct contender *ct, const char *s, int cols,
	  int rows)
{
	/* split k splits pane from[k] (an index into p[]) */
	static const struct { int from; bool vertical; } plan[] = {
		{ 0, false }, /* p1 below p0 */
		{ 0, true }, { 0, true }, { 2, true }, { 0, true },
		{ 1, true }, { 1, true }, { 7, true }, { 1, true },
	};
	char p[MAX_PANES][32], err[512];
	int n = 1;

	if (contender_new_detached(ct, s, cols, rows, NULL, err, sizeof err) < 0) {
		say(b, "  ! %s: new session: %s", ct->name, err);
		return -1;
	}
	if (contender_panes(ct, s, p, MAX_PANES) != 1)
		return -1;
	for (size_t k = 0; k < sizeof plan / sizeof plan[0]; k++) {
		if (contender_split(ct, p[plan[k].from], plan[k].vertical) < 0 ||
		    new_pane(ct, s, p, n, p[n]) < 0) {
			say(b, "  ! %s: split %zu failed", ct->name, k);
			return -1;
		}
		n++;
	}
	for (int i = 0; i < n; i++) {
		char cmd[64], want[16];
		const char *keys[] = { cmd, "Enter", NULL };

		/* keys sent before the shell is up may be flushed by it */
		if (!capture_wait(b, ct, p[i], "$", 15000))
			return -1;
		snprintf(cmd, sizeof cmd, "clear; echo M$((100+%d))", i + 1);
		snprintf(want, sizeof want, "M%d", 101 + i);
		if (contender_send(ct, p[i], keys) < 0 ||
		    !capture_wait(b, ct, p[i], want, 15000))
			return -1;
	}
	return n;
}

static void
scenario_attach(struct bench *b, struct size sz)
{
	int all[SLOTS], nall = lineup(b, false, all);
	bool ready[SLOTS];
	char scen[96];
	int ten = 10;

	snprintf(scen, sizeof scen, "attach 10 panes %dx%d", sz.cols, sz.rows);
	for (int i = 0; i < nall; i++) {
		struct contender *ct = &b->ct[all[i]];
		/* the session as big as the client will make it */
		int rows = sz.rows;

		contender_fresh(ct, "at");
		ready[i] = build_ten(b, ct, "at", sz.cols, rows) == 10;
		if (!ready[i])
			report_na(&b->rep, scen, ct->name, "ms",
				  "could not build the session");
	}
	for (int run = 0; run <= b->o.runs && !interrupted; run++) {
		for (int k = 0; k < nall; k++) {
			int i = (k + run) % nall;
			struct contender *ct = &b->ct[all[i]];
			struct term *t;
			uint64_t t0;
			bool okp;
			double ms;

			if (!ready[i])
				continue;
			t0 = now_ns();
			t = contender_attach(ct, sz.cols, sz.rows, "at");
			okp = term_wait(t, pred_markers, &ten, PROMPT_MS);
			ms = ms_since(t0);
			if (!okp)
				fail_screen(b, t, "not all ten panes drawn");
			term_close(t, 3000); /* the hang-up detaches */
			pump_for(100);
			say(b, "  %s %s run %d: %.1f ms%s", scen, ct->name, run,
			    ms, run == 0 ? " (warm-up)" : "");
			if (!okp)
				report_fail(&b->rep, scen, ct->name, "ms");
			else if (run > 0)
				report_add(&b->rep, scen, ct->name, "ms", ms);
		}
	}
	for (int i = 0; i < nall; i++)
		contender_stop(&b->ct[all[i]]);
}

/* ---- memory ---- */

static long
pss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Pss: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* PSS of the client and of every server-side process. */
static long
contender_pss(struct contender *ct, struct term *t, int *nproc)
{
	pid_t pids[CT_MAX_PIDS];
	int n = contender_server_pids(ct, pids, CT_MAX_PIDS - 1);
	long sum = 0;

	pids[n++] = term_pid(t);
	for (int i = 0; i < n; i++) {
		long k = pss_kib(pids[i]);

		if (k > 0)
			sum += k;
	}
	*nproc = n;
	return sum;
}

/* Fill every pane with `lines` full-width lines and wait until each one
 * printed its marker. */
static int
fill_panes(struct bench *b, struct contender *ct, char p[][32], int n,
	   int lines)
{
	for (int i = 0; i < n; i++) {
		char cmd[200];
		const char *keys[] = { cmd, "Enter", NULL };

		snprintf(cmd, sizeof cmd,
			 "awk 'BEGIN{for(i=0;i<%d;i++)printf \"%%080d\\n\",i}';"
			 " echo F$((%d+%d))",
			 lines, lines / 2, lines - lines / 2);
		if (contender_send(ct, p[i], keys) < 0)
			return -1;
	}
	for (int i = 0; i < n; i++) {
		char want[32];

		snprintf(want, sizeof want, "F%d", lines);
		if (!capture_wait(b, ct, p[i], want, 60000))
			return -1;
	}
	return 0;
}

static void
scenario_memory(struct bench *b, struct size sz)
{
	int all[SLOTS], nall = lineup(b, false, all);
	const int npanes = 20;

	for (int run = 0; run < b->o.mem_runs && !interrupted; run++) {
		for (int k = 0; k < nall; k++) {
			int i = (k + run) % nall, n, np;
			struct contender *ct = &b->ct[all[i]];
			char p[MAX_PANES][32];
			long m1, m20, m2k, m10k;
			struct term *t;

			contender_fresh(ct, "mem");
			t = contender_new_session(ct, sz.cols, sz.rows, "mem");
			if (!wait_prompt(t, PROMPT_MS)) {
				fail_screen(b, t, "no prompt");
				goto out;
			}
			pump_for(500);
			m1 = contender_pss(ct, t, &np);
			for (int k2 = 1; k2 < npanes; k2++)
				if (contender_new_tab(ct, "mem") < 0)
					goto out;
			/* hexe may answer before the last pane exists */
			for (int w = 0; w < 200; w++) {
				n = contender_panes(ct, "mem", p, MAX_PANES);
				if (n >= npanes || interrupted)
					break;
				pump_for(50);
			}
			if (n != npanes) {
				say(b, "  ! %s: %d panes, not %d", ct->name, n,
				    npanes);
				goto out;
			}
			/* every shell at its prompt */
			for (int j = 0; j < n; j++)
				if (!capture_wait(b, ct, p[j], "$", 15000))
					goto out;
			pump_for(500);
			m20 = contender_pss(ct, t, &np);
			if (fill_panes(b, ct, p, n, 2000) < 0)
				goto out;
			pump_for(500);
			m2k = contender_pss(ct, t, &np);
			if (fill_panes(b, ct, p, n, 8000) < 0)
				goto out;
			pump_for(500);
			m10k = contender_pss(ct, t, &np);
			say(b, "  memory %s run %d: 1 pane %ld KiB, 20 idle %ld, "
			    "20x2000 lines %ld, 20x10000 lines %ld (%d processes)",
			    ct->name, run, m1, m20, m2k, m10k, np);
			report_add(&b->rep, "memory 1 pane", ct->name, "KiB",
				   (double)m1);
			report_add(&b->rep, "memory per extra idle pane", ct->name,
				   "KiB", (double)(m20 - m1) / (npanes - 1));
			report_add(&b->rep, "memory per extra pane, 2000 lines",
				   ct->name, "KiB",
				   (double)(m20 - m1) / (npanes - 1) +
					   (double)(m2k - m20) / npanes);
			report_add(&b->rep, "memory 20 panes x 10000 lines",
				   ct->name, "KiB", (double)m10k);
			contender_stop(ct);
			term_close(t, 3000);
			continue;
out:
			say(b, "  ! memory %s run %d failed", ct->name, run);
			report_fail(&b->rep, "memory 1 pane", ct->name, "KiB");
			contender_stop(ct);
			term_close(t, 3000);
		}
	}
}

/* ---- pod spawn ---- */

/* The variants of one isolation level: hexe's profile, and unshare and
 * bwrap doing the same on this machine. */
struct spawn_variant {
	const char *scenario;
	const char *who;
	const char *profile; /* hexe's */
	bool limits;
	const char *argv[24];
};

#define SH_TMP "mount -t tmpfs -o size=128m,mode=1777 tmpfs /tmp"
#define SH_FULL SH_TMP " && mount -t tmpfs tmpfs /dev/shm && " \
		"mount -t sysfs -o ro sysfs /sys && exec /bin/true"
#define BWRAP "bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", \
	"/", "/", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"

/* `hexe pod run`: the spawn path on its own, one exec like bwrap's;
 * "@hexe" is the hexe under test. */
#define HEXE_RUN(profile) "@hexe", "pod", "run", "--profile", profile
#define HEXE_LIMITS "--memory", "512M", "--cpu", "50000 100000", "--pids", "256"

static const struct spawn_variant spawn_variants[] = {
	{ "pod spawn none", "bare", NULL, false, { "/bin/true" } },
	{ "pod spawn none", "hexe", "none", false, { 0 } },
	{ "pod spawn none", "hexe pod run", NULL, false,
	  { HEXE_RUN("none"), "--", "/bin/true" } },
	{ "pod spawn minimal", "unshare", NULL, false,
	  { "unshare", "--user", "--map-root-user", "/bin/true" } },
	{ "pod spawn minimal", "hexe", "minimal", false, { 0 } },
	{ "pod spawn minimal", "hexe pod run", NULL, false,
	  { HEXE_RUN("minimal"), "--", "/bin/true" } },
	{ "pod spawn default", "unshare", NULL, false,
	  { "unshare", "--user", "--map-root-user", "--pid", "--fork",
	    "--mount", "--mount-proc", "/bin/true" } },
	{ "pod spawn default", "hexe", "default", false, { 0 } },
	{ "pod spawn default", "hexe pod run", NULL, false,
	  { HEXE_RUN("default"), "--", "/bin/true" } },
	{ "pod spawn balanced", "unshare", NULL, false,
	  { "unshare", "--user", "--map-root-user", "--pid", "--fork",
	    "--mount", "--mount-proc", "/bin/sh", "-c",
	    SH_TMP " && exec /bin/true" } },
	{ "pod spawn balanced", "hexe", "balanced", false, { 0 } },
	{ "pod spawn balanced", "hexe pod run", NULL, false,
	  { HEXE_RUN("balanced"), "--", "/bin/true" } },
	{ "pod spawn full", "unshare", NULL, false,
	  { "unshare", "--user", "--map-root-user", "--pid", "--fork",
	    "--mount", "--mount-proc", "--net", "--uts", "--ipc", "--cgroup",
	    "/bin/sh", "-c", SH_FULL } },
	{ "pod spawn full", "bwrap", NULL, false,
	  { BWRAP, "--tmpfs", "/dev/shm", "/bin/true" } },
	{ "pod spawn full", "hexe", "full", false, { 0 } },
	{ "pod spawn full", "hexe pod run", NULL, false,
	  { HEXE_RUN("full"), "--", "/bin/true" } },
	{ "pod spawn full + 3 limits", "unshare", NULL, true,
	  { "unshare", "--user", "--map-root-user", "--pid", "--fork",
	    "--mount", "--mount-proc", "--net", "--uts", "--ipc", "--cgroup",
	    "/bin/sh", "-c", SH_FULL } },
	{ "pod spawn full + 3 limits", "bwrap", NULL, true,
	  { BWRAP, "--tmpfs", "/dev/shm", "/bin/true" } },
	{ "pod spawn full + 3 limits", "hexe", "full", true, { 0 } },
	{ "pod spawn full + 3 limits", "hexe pod run", NULL, false,
	  { HEXE_RUN("full"), HEXE_LIMITS, "--", "/bin/true" } },
};

#define N_SPAWN (sizeof spawn_variants / sizeof spawn_variants[0])

/* cgroup v1 controllers and the limits hexe would write (512M, half a
 * CPU, 256 pids); v2 if that is what the machine has. */
struct cg {
	char dirs[3][256];
	int n;
};

static int
cg_write(const char *dir, const char *file, const char *val)
{
	char path[400];
	int fd, rc;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return rc;
}

static int
cg_create(struct cg *cg, int k)
{
	static const char *const v1[] = { "memory", "cpu", "pids" };
	struct stat st;

	cg->n = 0;
	if (stat("/sys/fs/cgroup/cgroup.controllers", &st) == 0) {
		snprintf(cg->dirs[0], sizeof cg->dirs[0],
			 "/sys/fs/cgroup/hexe-bench-%d-%d", (int)getpid(), k);
		if (mkdir(cg->dirs[0], 0755) < 0)
			return -1;
		cg->n = 1;
		return cg_write(cg->dirs[0], "memory.max", "536870912") |
		       cg_write(cg->dirs[0], "cpu.max", "50000 100000") |
		       cg_write(cg->dirs[0], "pids.max", "256");
	}
	for (int i = 0; i < 3; i++) {
		snprintf(cg->dirs[i], sizeof cg->dirs[i],
			 "/sys/fs/cgroup/%s/hexe-bench-%d-%d", v1[i],
			 (int)getpid(), k);
		if (mkdir(cg->dirs[i], 0755) < 0)
			return -1;
		cg->n++;
	}
	return cg_write(cg->dirs[0], "memory.limit_in_bytes", "536870912") |
	       cg_write(cg->dirs[1], "cpu.cfs_period_us", "100000") |
	       cg_write(cg->dirs[1], "cpu.cfs_quota_us", "50000") |
	       cg_write(cg->dirs[2], "pids.max", "256");
}

static void
cg_remove(struct cg *cg)
{
	for (int i = 0; i < cg->n; i++)
		rmdir(cg->dirs[i]);
	cg->n = 0;
}

/* fork, join the cgroups (if any), exec; wait. ms, or -1. */
static double
spawn_direct(const struct spawn_variant *v, int k, const char *hexe)
{
	uint64_t t0 = now_ns();
	struct cg cg = { .n = 0 };
	int status;
	pid_t pid;

	if (v->limits && cg_create(&cg, k) < 0) {
		cg_remove(&cg);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		char self[16];
		int null = open("/dev/null", O_RDWR);

		snprintf(self, sizeof self, "%d", (int)getpid());
		for (int i = 0; i < cg.n; i++)
			if (cg_write(cg.dirs[i], "cgroup.procs", self) < 0)
				_exit(126);
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		closefrom(3);
		{
			const char *argv[24];

			memcpy(argv, v->argv, sizeof argv);
			if (strcmp(argv[0], "@hexe") == 0)
				argv[0] = hexe;
			execvp(argv[0], (char *const *)argv);
		}
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		cg_remove(&cg);
		return -1;
	}
	cg_remove(&cg);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return ms_since(t0);
}

/* `hexe mux new -d -- /bin/true` against a running daemon: the client,
 * ses creating the session, the pod and its child. */
static double
spawn_hexe(struct contender *ct, const struct spawn_variant *v, int k,
	   char *err, size_t errsz)
{
	char name[32];
	uint64_t t0;
	int rc;

	snprintf(name, sizeof name, "sp%d", k);
	setenv("HEXE_VOIDBOX_PROFILE", v->profile, 1);
	if (v->limits) {
		setenv("HEXE_CGROUP_MEM_MAX", "512M", 1);
		setenv("HEXE_CGROUP_CPU_MAX", "50000 100000", 1);
		setenv("HEXE_CGROUP_PIDS_MAX", "256", 1);
	}
	t0 = now_ns();
	rc = contender_new_detached(ct, name, 80, 24, "/bin/true", err, errsz);
	setenv("HEXE_VOIDBOX_PROFILE", "none", 1);
	unsetenv("HEXE_CGROUP_MEM_MAX");
	unsetenv("HEXE_CGROUP_CPU_MAX");
	unsetenv("HEXE_CGROUP_PIDS_MAX");
	return rc < 0 ? -1 : ms_since(t0);
}

/* One spawn measurement: a variant, and for hexe's, which hexe. */
struct spawn_job {
	const struct spawn_variant *v;
	struct contender *ct; /* NULL: run directly */
	bool na;
};

static void
scenario_spawn(struct bench *b)
{
	struct spawn_job jobs[2 * N_SPAWN];
	int njobs = 0, k = 0;

	for (size_t i = 0; i < N_SPAWN; i++) {
		const struct spawn_variant *v = &spawn_variants[i];

		if (!v->profile) {
			jobs[njobs++] = (struct spawn_job){ v, NULL, false };
			continue;
		}
		for (int sl = S_HEXE; sl < b->nslots; sl++)
			jobs[njobs++] = (struct spawn_job){ v, &b->ct[sl], false };
	}
	for (int sl = S_HEXE; sl < b->nslots; sl++)
		contender_fresh(&b->ct[sl], "sp");
	for (int run = 0; run <= b->o.runs && !interrupted; run++) {
		for (int j = 0; j < njobs; j++) {
			struct spawn_job *jb = &jobs[(j + run) % njobs];
			const char *who = jb->ct ? jb->ct->name : jb->v->who;
			char err[512] = "";
			double ms;

			if (jb->na)
				continue;
			ms = jb->ct ? spawn_hexe(jb->ct, jb->v, k++, err, sizeof err)
				    : spawn_direct(jb->v, k++, b->ct[S_HEXE].exe);
			if (ms < 0) {
				jb->na = true;
				if (!err[0])
					snprintf(err, sizeof err,
						 "failed on this machine");
				say(b, "  %s %s: n/a (%s)", jb->v->scenario, who,
				    err);
				report_na(&b->rep, jb->v->scenario, who, "ms", err);
				continue;
			}
			if (b->o.verbose)
				say(b, "  %s %s run %d: %.1f ms", jb->v->scenario,
				    who, run, ms);
			if (run > 0)
				report_add(&b->rep, jb->v->scenario, who, "ms", ms);
			/* Let the last spawn's aftermath (a pane's teardown in
			 * the daemon, a sandbox's unmounting) end before the
			 * next one is timed: otherwise each variant pays for
			 * the one that always runs before it. */
			pump_for(SPAWN_SETTLE_MS);
		}
	}
	for (int sl = S_HEXE; sl < b->nslots; sl++)
		contender_stop(&b->ct[sl]);
}

/* ---- report ---- */

static const char *
ref_of(const char *scenario)
{
	if (strncmp(scenario, "pod spawn full", 14) == 0)
		return "bwrap";
	if (strcmp(scenario, "pod spawn none") == 0)
		return "bare";
	if (strncmp(scenario, "pod spawn", 9) == 0)
		return "unshare";
	return "tmux";
}

static void
json_escape(char *out, size_t n, const char *s)
{
	size_t o = 0;

	for (; *s && o + 7 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20) {
			o += (size_t)snprintf(out + o, n - o, "\\u%04x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static void
first_line(char *s)
{
	char *nl = strchr(s, '\n');

	if (nl)
		*nl = '\0';
}

static void
read_loadavg(char *out, size_t n)
{
	FILE *f = fopen("/proc/loadavg", "r");

	out[0] = '\0';
	if (f && fgets(out, (int)n, f))
		first_line(out);
	if (f)
		fclose(f);
}

static void
machine_meta(struct bench *b, char *out, size_t n, double elapsed_s)
{
	struct utsname u;
	char cpu[256] = "?", line[512], date[64], tmuxv[128] = "?",
	     hexev[256] = "?", notes[8192], cpu_e[512], load_end[64];
	long mem_kib = 0;
	time_t now = time(NULL);
	char *argv_t[] = { (char *)b->o.tmux, "-V", NULL };
	char *argv_h[] = { "git", "-C", ".", "log", "-1",
			   "--format=%h %cd %s", "--date=short", NULL };
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "model name : %255[^\n]", cpu) == 1)
			break;
	if (f)
		fclose(f);
	f = fopen("/proc/meminfo", "r");
	if (f && fgets(line, sizeof line, f))
		sscanf(line, "MemTotal: %ld kB", &mem_kib);
	if (f)
		fclose(f);
	uname(&u);
	read_loadavg(load_end, sizeof load_end);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
	run_cmd(argv_t, tmuxv, sizeof tmuxv, 5000);
	first_line(tmuxv);
	run_cmd(argv_h, hexev, sizeof hexev, 5000);
	first_line(hexev);
	json_escape(notes, sizeof notes, b->notes);
	json_escape(cpu_e, sizeof cpu_e, cpu);
	snprintf(out, n,
		 "{\"date\": \"%s\", \"kernel\": \"%s %s\", \"cpu\": \"%s\", "
		 "\"cpus\": %ld, \"mem_mib\": %ld, \"tmux\": \"%s\", "
		 "\"hexe\": \"%s\", \"runs\": %d, \"keys\": %d, \"seq\": %ld, "
		 "\"payload_mib\": %d, \"memory_runs\": %d, "
		 "\"elapsed_s\": %.0f, \"loadavg_start\": \"%s\", "
		 "\"loadavg_end\": \"%s\", \"notes\": \"%s\"}",
		 date, u.sysname, u.release, cpu_e, sysconf(_SC_NPROCESSORS_ONLN),
		 mem_kib / 1024, tmuxv, hexev, b->o.runs, b->o.keys, b->o.seq,
		 b->o.payload_mib, b->o.mem_runs, elapsed_s, b->load_start,
		 load_end, notes);
}

/* ---- main ---- */

static void
on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void
usage(FILE *f)
{
	fputs("usage: hexe-bench --hexe PATH [--baseline PATH] [--tmux PATH]\n"
	      "       [--out FILE]\n"
	      "       [--runs N] [--keys N] [--seq N] [--payload-mib N]\n"
	      "       [--memory-runs N] [--only GROUP,...] [-v]\n"
	      "       [--contenders bare,tmux,hexe,hexe-base]\n"
	      "       [--workloads seq,colour,unicode,cursor] [--sizes 80x24,200x50]\n"
	      "groups: throughput latency start attach memory spawn\n",
	      f);
}

static void
parse_args(struct opts *o, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "hexe", required_argument, NULL, 'h' },
		{ "tmux", required_argument, NULL, 't' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "out", required_argument, NULL, 'o' },
		{ "runs", required_argument, NULL, 'r' },
		{ "keys", required_argument, NULL, 'k' },
		{ "seq", required_argument, NULL, 's' },
		{ "payload-mib", required_argument, NULL, 'p' },
		{ "memory-runs", required_argument, NULL, 'm' },
		{ "only", required_argument, NULL, 'O' },
		{ "contenders", required_argument, NULL, 'C' },
		{ "workloads", required_argument, NULL, 'W' },
		{ "sizes", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->tmux = "tmux";
	o->runs = 5;
	o->keys = 200;
	/* A quarter of the sizes (seq 1 2000000, 8 MiB payloads):
	 * on this shared 2-core machine the full sizes take 25 minutes.
	 * --seq 2000000 --payload-mib 8 runs them. */
	o->seq = 500000;
	o->payload_mib = 2;
	o->mem_runs = 3;
	while ((c = getopt_long(argc, argv, "v", lo, NULL)) != -1) {
		switch (c) {
		case 'h': o->hexe = optarg; break;
		case 't': o->tmux = optarg; break;
		case 'b': o->baseline = optarg; break;
		case 'o': o->out = optarg; break;
		case 'r': o->runs = atoi(optarg); break;
		case 'k': o->keys = atoi(optarg); break;
		case 's': o->seq = atol(optarg); break;
		case 'p': o->payload_mib = atoi(optarg); break;
		case 'm': o->mem_runs = atoi(optarg); break;
		case 'O': o->only = optarg; break;
		case 'C': o->contenders = optarg; break;
		case 'W': o->workloads = optarg; break;
		case 'S': o->sizes = optarg; break;
		case 'v': o->verbose = true; break;
		case 'H': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (!o->hexe || o->runs < 1 || o->keys < 4 || o->seq < 1 ||
	    o->payload_mib < 1 || o->mem_runs < 1) {
		usage(stderr);
		exit(2);
	}
}

int
main(int argc, char **argv)
{
	static const struct size small = { 80, 24 }, big = { 200, 50 };
	struct bench b;
	struct sigaction sa;
	char hexe_abs[4096], base_abs[4096], *meta;
	uint64_t t0 = now_ns();

	memset(&b, 0, sizeof b);
	parse_args(&b.o, argc, argv);
	if (!realpath(b.o.hexe, hexe_abs)) {
		perror(b.o.hexe);
		return 2;
	}
	if (b.o.baseline && !realpath(b.o.baseline, base_abs)) {
		perror(b.o.baseline);
		return 2;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	report_init(&b.rep);
	read_loadavg(b.load_start, sizeof b.load_start);
	setup_env(&b);
	contender_init(&b.ct[S_BARE], CT_BARE, "bare", "/bin/bash", NULL);
	contender_init(&b.ct[S_TMUX], CT_TMUX, "tmux", b.o.tmux, b.conf);
	contender_init(&b.ct[S_HEXE], CT_HEXE, "hexe", hexe_abs, NULL);
	b.nslots = S_HEXE + 1;
	if (b.o.baseline) {
		contender_init(&b.ct[S_BASE], CT_HEXE, "hexe-base", base_abs,
			       NULL);
		b.nslots = S_BASE + 1;
	}

	add_note(&b, "outside pod spawn, hexe's panes run with profile none "
		     "(no isolation), as tmux's do; both without a status bar");

	if (wanted(&b, "throughput")) {
		say(&b, "making %d MiB payloads", b.o.payload_mib);
		make_payloads(&b);
		say(&b, "throughput");
		if (in_list(b.o.sizes, "80x24"))
			scenario_throughput(&b, small);
		if (!interrupted && in_list(b.o.sizes, "200x50"))
			scenario_throughput(&b, big);
	}
	if (wanted(&b, "latency") && !interrupted) {
		say(&b, "latency");
		scenario_latency_idle(&b, small);
		if (!interrupted)
			scenario_latency_flood(&b, small);
	}
	if (wanted(&b, "start") && !interrupted) {
		say(&b, "start");
		scenario_start(&b, small);
	}
	if (wanted(&b, "attach") && !interrupted) {
		say(&b, "attach");
		scenario_attach(&b, small);
	}
	if (wanted(&b, "memory") && !interrupted) {
		say(&b, "memory");
		scenario_memory(&b, small);
	}
	if (wanted(&b, "spawn") && !interrupted) {
		say(&b, "pod spawn");
		scenario_spawn(&b);
	}

	meta = malloc(16384);
	machine_meta(&b, meta, 16384, (double)(now_ns() - t0) / 1e9);
	cleanup(&b);
	printf("\n");
	report_print(&b.rep, stdout, ref_of);
	printf("\nnotes:\n%s\n", b.notes);
	{
		char le[64];

		read_loadavg(le, sizeof le);
		printf("elapsed: %.0f s; load average at start %s, at end %s\n",
		       (double)(now_ns() - t0) / 1e9, b.load_start, le);
	}
	if (b.o.out) {
		FILE *f = fopen(b.o.out, "w");

		if (!f) {
			perror(b.o.out);
		} else {
			report_json(&b.rep, f, ref_of, meta);
			fclose(f);
		}
	}
	free(meta);
	report_free(&b.rep);
	return interrupted ? 130 : 0;
}
