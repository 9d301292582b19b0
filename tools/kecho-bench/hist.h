/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Latency histogram with fixed log-linear buckets (HdrHistogram-like).
 *
 * Values below 256 have a bucket each; above that every power of two is
 * split into 128 buckets, so a bucket is at most 1/128 (0.8%) of its value
 * wide.  Values up to 2^40 (18 minutes in nanoseconds) fit; larger ones are
 * clamped.  The array is fixed, so recording is two shifts and an add, and
 * per-thread histograms need no locks: they are merged after the threads
 * have been joined.
 */
#ifndef KECHO_HIST_H
#define KECHO_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS	7
#define HIST_SUB	(1u << HIST_SUB_BITS)		/* 128 */
#define HIST_MAX_BITS	40
#define HIST_BUCKETS	((HIST_MAX_BITS - HIST_SUB_BITS + 1) * HIST_SUB)

struct hist {
	uint64_t count;
	uint64_t min;
	uint64_t max;
	uint64_t sum;
	uint64_t bucket[HIST_BUCKETS];
};

void hist_init(struct hist *h);
void hist_record(struct hist *h, uint64_t v);
void hist_merge(struct hist *dst, const struct hist *src);

/*
 * The value at percentile @p (0..100]: the highest value of the bucket that
 * holds the ceil(p% * count)-th smallest recording, but never above the
 * exact max.  0 for an empty histogram.
 */
uint64_t hist_percentile(const struct hist *h, double p);

#endif
