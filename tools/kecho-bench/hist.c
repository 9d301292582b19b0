// SPDX-License-Identifier: GPL-2.0
/* Log-linear latency histogram; see hist.h for the bucket layout. */
#include <string.h>

#include "hist.h"

/*
 * Bucket index: values below 2 * HIST_SUB map to themselves; a larger value
 * with top bit m keeps its top HIST_SUB_BITS + 1 bits (a "sub" in
 * [HIST_SUB, 2 * HIST_SUB)) and the shift that dropped the rest.
 */
static unsigned int bucket_of(uint64_t v)
{
	unsigned int shift;

	if (v < 2 * HIST_SUB)
		return v;
	shift = 63 - __builtin_clzll(v) - HIST_SUB_BITS;
	return shift * HIST_SUB + (unsigned int)(v >> shift);
}

/* The largest value that lands in bucket @i. */
static uint64_t bucket_high(unsigned int i)
{
	unsigned int shift;
	uint64_t sub;

	if (i < 2 * HIST_SUB)
		return i;
	shift = i / HIST_SUB - 1;
	sub = i - shift * HIST_SUB;
	return ((sub + 1) << shift) - 1;
}

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void hist_record(struct hist *h, uint64_t v)
{
	const uint64_t top = (1ull << HIST_MAX_BITS) - 1;

	if (v > top)
		v = top;
	h->bucket[bucket_of(v)]++;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	unsigned int i;

	for (i = 0; i < HIST_BUCKETS; i++)
		dst->bucket[i] += src->bucket[i];
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t hist_percentile(const struct hist *h, double p)
{
	double want = p / 100.0 * (double)h->count;
	uint64_t rank, seen = 0;
	unsigned int i;

	if (!h->count)
		return 0;
	rank = (uint64_t)want;		/* ceil() without libm */
	if ((double)rank < want)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	for (i = 0; i < HIST_BUCKETS; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	if (bucket_high(i) > h->max)
		return h->max;
	return bucket_high(i);
}
