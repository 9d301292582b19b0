// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for kecho-bench's latency histogram (tools/kecho-bench/hist.c).
 * "hist-test" lists the cases, "hist-test CASE" runs one: exit 0 on pass,
 * 1 on failure with "# " diagnostics.  run.sh numbers them for KTAP.
 */
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "hist.h"

static struct hist h, h2;

/* @got must be within @tol (relative) of @want. */
static void near(const char *what, uint64_t got, double want, double tol)
{
	double err = (got - want) / (want ? want : 1);

	if (err < -tol || err > tol) {
		printf("# %s: got %llu, want %.0f (+-%.2f%%)\n", what,
		       (unsigned long long)got, want, tol * 100);
		unit_failed = 1;
	}
}

static void equal(const char *what, uint64_t got, uint64_t want)
{
	if (got != want) {
		printf("# %s: got %llu, want %llu\n", what,
		       (unsigned long long)got, (unsigned long long)want);
		unit_failed = 1;
	}
}

/* 1..10000: every percentile is known exactly; buckets allow 1%. */
static void t_uniform(void)
{
	uint64_t v;

	hist_init(&h);
	for (v = 1; v <= 10000; v++)
		hist_record(&h, v);
	equal("count", h.count, 10000);
	near("p50", hist_percentile(&h, 50), 5000, 0.01);
	near("p90", hist_percentile(&h, 90), 9000, 0.01);
	near("p99", hist_percentile(&h, 99), 9900, 0.01);
	near("p99.9", hist_percentile(&h, 99.9), 9990, 0.01);
	equal("p100", hist_percentile(&h, 100), 10000);
	equal("max", h.max, 10000);
	equal("min", h.min, 1);
}

/* One recording: every percentile is that value, exactly. */
static void t_single(void)
{
	hist_init(&h);
	hist_record(&h, 1234567);
	equal("p0.1", hist_percentile(&h, 0.1), 1234567);
	equal("p50", hist_percentile(&h, 50), 1234567);
	equal("p99.9", hist_percentile(&h, 99.9), 1234567);
	equal("max", h.max, 1234567);
}

static void t_empty(void)
{
	hist_init(&h);
	equal("count", h.count, 0);
	equal("p50", hist_percentile(&h, 50), 0);
	equal("p99", hist_percentile(&h, 99), 0);
	equal("max", h.max, 0);
}

/* The max is exact even where the buckets are 2^20 wide. */
static void t_max_exact(void)
{
	hist_init(&h);
	hist_record(&h, 3);
	hist_record(&h, 987654321);
	hist_record(&h, 5);
	equal("max", h.max, 987654321);
	equal("p100", hist_percentile(&h, 100), 987654321);
	equal("p50", hist_percentile(&h, 50), 5);
}

/*
 * 1 us to tens of seconds in nanoseconds: every value lands in a bucket
 * whose top is within 1/128 of it.  A larger value, recorded alongside,
 * stops the clip to max from hiding the bucket's width.
 */
static void t_range(void)
{
	double v;

	for (v = 1; v < 6e10; v = v * 1.07 + 1) {
		uint64_t x = (uint64_t)v;
		char what[64];

		hist_init(&h);
		hist_record(&h, x);
		hist_record(&h, 2 * x + 1000);
		snprintf(what, sizeof(what), "p50 of %llu", (unsigned long long)x);
		near(what, hist_percentile(&h, 50), x, 1.0 / 128);
		if (hist_percentile(&h, 50) < x)
			equal("bucket top below value", hist_percentile(&h, 50), x);
	}
	hist_init(&h);
	hist_record(&h, 1ull << 50);	/* beyond the range: clamped */
	equal("clamped max", h.max, (1ull << 40) - 1);
}

/* Per-thread histograms merged equal one histogram of everything. */
static void t_merge(void)
{
	static struct hist all;
	uint64_t v;
	int p;

	hist_init(&h);
	hist_init(&h2);
	hist_init(&all);
	for (v = 1; v <= 5000; v++) {
		hist_record(v % 2 ? &h : &h2, v * 1000);
		hist_record(&all, v * 1000);
	}
	hist_merge(&h, &h2);
	equal("count", h.count, all.count);
	equal("min", h.min, all.min);
	equal("max", h.max, all.max);
	equal("sum", h.sum, all.sum);
	for (p = 1; p <= 100; p++)
		equal("percentile", hist_percentile(&h, p),
		      hist_percentile(&all, p));
}

static const struct unit_case cases[] = {
	{ "hist_uniform", t_uniform },
	{ "hist_single", t_single },
	{ "hist_empty", t_empty },
	{ "hist_max_exact", t_max_exact },
	{ "hist_range_1us_to_60s", t_range },
	{ "hist_merge", t_merge },
};

int main(int argc, char **argv)
{
	return unit_main(cases, sizeof(cases) / sizeof(cases[0]), argc, argv);
}
