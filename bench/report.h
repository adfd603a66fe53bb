/*
 * report — samples per (scenario, contender), their medians and p90s, the
 * ratios to the reference contender (tmux, or bwrap for pod spawn) and to
 * the bare terminal, printed as one table and written as JSON.
 */
#ifndef BENCH_REPORT_H
#define BENCH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#define REPORT_MAX_SAMPLES 64

struct row {
	char scenario[96];
	char contender[32];
	char unit[8];
	double v[REPORT_MAX_SAMPLES];
	int n;
	char note[200]; /* "n/a: ..." when there is no value */
	bool na;
	int failed; /* runs that did not complete */
	int order;
};

struct report {
	struct row *rows;
	int n, cap;
	char ref_default[32]; /* "tmux" */
};

void report_init(struct report *r);
void report_free(struct report *r);
/* The row for (scenario, contender), created on first use. */
struct row *report_row(struct report *r, const char *scenario,
		       const char *contender, const char *unit);
void report_add(struct report *r, const char *scenario, const char *contender,
		const char *unit, double v);
void report_na(struct report *r, const char *scenario, const char *contender,
	       const char *unit, const char *why);
/* A run that did not complete: counted, shown, not a sample. */
void report_fail(struct report *r, const char *scenario,
		 const char *contender, const char *unit);
void report_note(struct report *r, const char *scenario, const char *contender,
		 const char *note);

double row_median(const struct row *w);
double row_p90(const struct row *w);
/* The median of another contender in the same scenario, or 0. */
double report_median_of(const struct report *r, const char *scenario,
			const char *contender);

/* ref(scenario) names the ratio's reference contender. */
void report_print(const struct report *r, FILE *f,
		  const char *(*ref)(const char *scenario));
void report_json(const struct report *r, FILE *f,
		 const char *(*ref)(const char *scenario), const char *meta_json);

#endif
