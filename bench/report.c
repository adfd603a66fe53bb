/*
 * report — statistics and output.
 *
 * The median is the middle sample (the mean of the two middle ones for
 * an even count); p90 is by linear interpolation between order
 * statistics, as numpy's default.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
report_init(struct report *r)
{
	memset(r, 0, sizeof *r);
}

void
report_free(struct report *r)
{
	free(r->rows);
	memset(r, 0, sizeof *r);
}

struct row *
report_row(struct report *r, const char *scenario, const char *contender,
	   const char *unit)
{
	struct row *w;

	for (int i = 0; i < r->n; i++) {
		w = &r->rows[i];
		if (strcmp(w->scenario, scenario) == 0 &&
		    strcmp(w->contender, contender) == 0)
			return w;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->rows = realloc(r->rows, (size_t)r->cap * sizeof *r->rows);
		if (!r->rows)
			abort();
	}
	w = &r->rows[r->n];
	memset(w, 0, sizeof *w);
	snprintf(w->scenario, sizeof w->scenario, "%s", scenario);
	snprintf(w->contender, sizeof w->contender, "%s", contender);
	snprintf(w->unit, sizeof w->unit, "%s", unit);
	w->order = r->n++;
	return w;
}

void
report_add(struct report *r, const char *scenario, const char *contender,
	   const char *unit, double v)
{
	struct row *w = report_row(r, scenario, contender, unit);

	if (w->n < REPORT_MAX_SAMPLES)
		w->v[w->n++] = v;
}

void
report_na(struct report *r, const char *scenario, const char *contender,
	  const char *unit, const char *why)
{
	struct row *w = report_row(r, scenario, contender, unit);

	w->na = true;
	snprintf(w->note, sizeof w->note, "%s", why);
}

void
report_fail(struct report *r, const char *scenario, const char *contender,
	    const char *unit)
{
	report_row(r, scenario, contender, unit)->failed++;
}

void
report_note(struct report *r, const char *scenario, const char *contender,
	    const char *note)
{
	struct row *w = report_row(r, scenario, contender, "");

	snprintf(w->note, sizeof w->note, "%s", note);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
quantile(const struct row *w, double q)
{
	double s[REPORT_MAX_SAMPLES], pos;
	int lo;

	if (w->n == 0 || w->na)
		return NAN;
	/* (a row whose every run failed has no samples: shown as "-") */
	memcpy(s, w->v, (size_t)w->n * sizeof *s);
	qsort(s, (size_t)w->n, sizeof *s, cmp_double);
	pos = q * (w->n - 1);
	lo = (int)pos;
	if (lo + 1 >= w->n)
		return s[w->n - 1];
	return s[lo] + (s[lo + 1] - s[lo]) * (pos - lo);
}

double
row_median(const struct row *w)
{
	return quantile(w, 0.5);
}

double
row_p90(const struct row *w)
{
	return quantile(w, 0.9);
}

double
report_median_of(const struct report *r, const char *scenario,
		 const char *contender)
{
	for (int i = 0; i < r->n; i++) {
		const struct row *w = &r->rows[i];

		if (strcmp(w->scenario, scenario) == 0 &&
		    strcmp(w->contender, contender) == 0)
			return w->na || w->n == 0 ? 0 : row_median(w);
	}
	return 0;
}

static void
fmt_value(char *out, size_t n, double v)
{
	if (isnan(v))
		snprintf(out, n, "-");
	else if (v >= 1000)
		snprintf(out, n, "%.0f", v);
	else if (v >= 100)
		snprintf(out, n, "%.1f", v);
	else if (v >= 1)
		snprintf(out, n, "%.2f", v);
	else
		snprintf(out, n, "%.3f", v);
}

static void
fmt_ratio(char *out, size_t n, double a, double b)
{
	if (isnan(a) || b <= 0 || a < 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%.2f", a / b);
}

/* Rows grouped by scenario (in order of first appearance), contenders in
 * a fixed order within each. */
static int
contender_rank(const char *c)
{
	static const char *const order[] = { "bare",	     "tmux",
					     "hexe",	     "hexe-base",
					     "hexe pod run", "unshare",
					     "bwrap" };
	const int n = (int)(sizeof order / sizeof order[0]);

	for (int i = 0; i < n; i++)
		if (strcmp(c, order[i]) == 0)
			return i;
	return n;
}

static int
scenario_rank(const struct report *r, const char *s)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].scenario, s) == 0)
			return i;
	return r->n;
}

static const struct report *sort_ctx;

static int
cmp_rows(const void *a, const void *b)
{
	const struct row *x = *(const struct row *const *)a;
	const struct row *y = *(const struct row *const *)b;
	int sx = scenario_rank(sort_ctx, x->scenario);
	int sy = scenario_rank(sort_ctx, y->scenario);

	if (sx != sy)
		return sx - sy;
	return contender_rank(x->contender) - contender_rank(y->contender);
}

static const struct row **
sorted_rows(const struct report *r)
{
	const struct row **v = calloc((size_t)r->n + 1, sizeof *v);

	if (!v)
		abort();
	for (int i = 0; i < r->n; i++)
		v[i] = &r->rows[i];
	sort_ctx = r;
	qsort(v, (size_t)r->n, sizeof *v, cmp_rows);
	return v;
}

void
report_print(const struct report *r, FILE *f,
	     const char *(*ref)(const char *scenario))
{
	const struct row **rows = sorted_rows(r);

	fprintf(f, "%-34s %-10s %9s %9s %-4s %-14s %7s  %s\n", "scenario",
		"contender", "median", "p90", "unit", "ratio", "x bare",
		"runs / note");
	for (int i = 0; i < r->n; i++) {
		const struct row *w = rows[i];
		const char *rc = ref(w->scenario);
		double med = w->na ? NAN : row_median(w);
		double rm = report_median_of(r, w->scenario, rc);
		double bm = report_median_of(r, w->scenario, "bare");
		char m[32], p[32], rt[40], br[32], rtx[48];

		fmt_value(m, sizeof m, med);
		fmt_value(p, sizeof p, w->na ? NAN : row_p90(w));
		fmt_ratio(rt, sizeof rt, med, rm);
		if (strcmp(rt, "-") == 0 || strcmp(w->contender, rc) == 0)
			snprintf(rtx, sizeof rtx, "-");
		else
			snprintf(rtx, sizeof rtx, "%s x %s", rt, rc);
		fmt_ratio(br, sizeof br, med, bm);
		if (strcmp(w->contender, "bare") == 0)
			snprintf(br, sizeof br, "-");
		fprintf(f, "%-34s %-10s %9s %9s %-4s %-14s %7s  ", w->scenario,
			w->contender, m, p, w->unit, rtx, br);
		if (w->na)
			fprintf(f, "n/a: %s", w->note);
		else {
			fprintf(f, "n=%d", w->n);
			if (w->failed)
				fprintf(f, ", %d failed", w->failed);
			if (w->note[0])
				fprintf(f, "; %s", w->note);
		}
		fputc('\n', f);
	}
	free(rows);
}

static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void
json_num(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		fputs("null", f);
	else
		fprintf(f, "%.6g", v);
}

void
report_json(const struct report *r, FILE *f,
	    const char *(*ref)(const char *scenario), const char *meta_json)
{
	const struct row **rows = sorted_rows(r);

	fprintf(f, "{\n  \"meta\": %s,\n  \"results\": [\n", meta_json);
	for (int i = 0; i < r->n; i++) {
		const struct row *w = rows[i];
		const char *rc = ref(w->scenario);
		double med = w->na ? NAN : row_median(w);
		double rm = report_median_of(r, w->scenario, rc);
		double bm = report_median_of(r, w->scenario, "bare");

		fputs("    {\"scenario\": ", f);
		json_str(f, w->scenario);
		fputs(", \"contender\": ", f);
		json_str(f, w->contender);
		fputs(", \"unit\": ", f);
		json_str(f, w->unit);
		fputs(", \"median\": ", f);
		json_num(f, med);
		fputs(", \"p90\": ", f);
		json_num(f, w->na ? NAN : row_p90(w));
		fputs(", \"ratio_ref\": ", f);
		json_num(f, rm > 0 && strcmp(w->contender, rc) ? med / rm : NAN);
		fputs(", \"ref\": ", f);
		json_str(f, rc);
		fputs(", \"ratio_bare\": ", f);
		json_num(f, bm > 0 && strcmp(w->contender, "bare") ? med / bm
								 : NAN);
		fputs(", \"samples\": [", f);
		for (int k = 0; k < w->n && !w->na; k++) {
			if (k)
				fputs(", ", f);
			json_num(f, w->v[k]);
		}
		fprintf(f, "], \"failed_runs\": %d", w->failed);
		fputs(", \"na\": ", f);
		fputs(w->na ? "true" : "false", f);
		fputs(", \"note\": ", f);
		json_str(f, w->note);
		fprintf(f, "}%s\n", i + 1 < r->n ? "," : "");
	}
	fputs("  ]\n}\n", f);
	free(rows);
}
