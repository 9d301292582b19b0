// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for the engine's close accounting (kernel/engine/stats.c,
 * compiled into this module): which close reasons are the peer's or the
 * network's doing (counted as resets, never logged) and which are ours
 * (counted as errors).  Defect 8 of the engine review: EHOSTUNREACH and
 * ECONNABORTED were counted as our errors.  Test-only; built for the
 * debug kernel.
 *
 * A fake server carries only the per-CPU counters stats.c updates.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/percpu.h>

#include "internal.h"

static int stats_init(struct kunit *test)
{
	struct ksrv_server *srv;

	srv = kunit_kzalloc(test, sizeof(*srv), GFP_KERNEL);
	if (!srv)
		return -ENOMEM;
	srv->stats = alloc_percpu(struct ksrv_stats);
	if (!srv->stats)
		return -ENOMEM;
	test->priv = srv;
	return 0;
}

static void stats_exit(struct kunit *test)
{
	struct ksrv_server *srv = test->priv;

	free_percpu(srv->stats);
}

static u64 stats_get(struct ksrv_server *srv, enum ksrv_stat stat)
{
	struct ksrv_stats sum;

	ksrv_stats_sum(srv, &sum);
	return sum.count[stat];
}

/* Each reason closes one connection and bumps at most one other counter. */
static void stats_expect(struct kunit *test, int reason, u64 resets,
			 u64 errors, u64 timeouts)
{
	struct ksrv_server *srv = test->priv;
	u64 closed = stats_get(srv, KSRV_STAT_CLOSED);
	u64 r = stats_get(srv, KSRV_STAT_RESETS);
	u64 e = stats_get(srv, KSRV_STAT_ERRORS);
	u64 t = stats_get(srv, KSRV_STAT_TIMEOUTS);

	ksrv_stats_count_close(srv, reason);
	KUNIT_EXPECT_EQ_MSG(test, stats_get(srv, KSRV_STAT_CLOSED), closed + 1,
			    "reason %d", reason);
	KUNIT_EXPECT_EQ_MSG(test, stats_get(srv, KSRV_STAT_RESETS), r + resets,
			    "reason %d: resets", reason);
	KUNIT_EXPECT_EQ_MSG(test, stats_get(srv, KSRV_STAT_ERRORS), e + errors,
			    "reason %d: errors", reason);
	KUNIT_EXPECT_EQ_MSG(test, stats_get(srv, KSRV_STAT_TIMEOUTS),
			    t + timeouts, "reason %d: timeouts", reason);
}

/* The peer or the network ended it: a reset, not our error. */
static void stats_kunit_peer_errors(struct kunit *test)
{
	static const int peer[] = {
		-ECONNRESET, -EPIPE, -ECONNABORTED, -ETIMEDOUT,
		-EHOSTUNREACH, -ENETUNREACH, -ENETDOWN,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(peer); i++) {
		KUNIT_EXPECT_TRUE_MSG(test, ksrv_peer_error(peer[i]),
				      "errno %d", peer[i]);
		stats_expect(test, peer[i], 1, 0, 0);
	}
}

/* Our own failures are errors, and never resets. */
static void stats_kunit_our_errors(struct kunit *test)
{
	static const int ours[] = { -ENOMEM, -EINVAL, -EIO, -ENOBUFS, -EFAULT };
	int i;

	for (i = 0; i < ARRAY_SIZE(ours); i++) {
		KUNIT_EXPECT_FALSE_MSG(test, ksrv_peer_error(ours[i]),
				       "errno %d", ours[i]);
		stats_expect(test, ours[i], 0, 1, 0);
	}
}

/* The engine's own reasons are neither; idle_timeout is a timeout. */
static void stats_kunit_reasons(struct kunit *test)
{
	stats_expect(test, KSRV_CLOSE_DONE, 0, 0, 0);
	stats_expect(test, KSRV_CLOSE_KILLED, 0, 0, 0);
	stats_expect(test, KSRV_CLOSE_ABORT, 0, 0, 0);
	stats_expect(test, KSRV_CLOSE_UNSERVED, 0, 0, 0);
	stats_expect(test, KSRV_CLOSE_IDLE, 0, 0, 1);
}

static struct kunit_case stats_cases[] = {
	KUNIT_CASE(stats_kunit_peer_errors),
	KUNIT_CASE(stats_kunit_our_errors),
	KUNIT_CASE(stats_kunit_reasons),
	{}
};

static struct kunit_suite stats_suite = {
	.name = "ksrv_stats",
	.init = stats_init,
	.exit = stats_exit,
	.test_cases = stats_cases,
};

kunit_test_suite(stats_suite);

KSRV_IMPORT();
MODULE_DESCRIPTION("KUnit cases for the ksrv engine's close accounting (test-only)");
MODULE_AUTHOR("The kecho developers");
MODULE_LICENSE("GPL");
