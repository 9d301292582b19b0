// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for the engine's send queue (kernel/engine/sendq.c, compiled
 * into this module): the size sums that must not wrap, and the bound on
 * each allocation (defect 5 of the engine review: a hot-path allocation
 * must never be a large or vmalloc one, and a sum near the u32 limit must
 * be refused, not wrapped).  Test-only; built for the debug kernel.
 *
 * A fake server carries only the per-CPU counters sendq.c updates; the
 * cases never flush, so no socket is needed.
 */
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>

#include "internal.h"

/* sendq.c's page sends go through compat.c; no case here sends. */
int ksrv_compat_sendpage(struct socket *sock, struct page *page, size_t off,
			 size_t len, int flags)
{
	return -EIO;
}

struct sendq_fixture {
	struct ksrv_server srv;
	struct ksrv_conn conn;
};

static int sendq_init(struct kunit *test)
{
	struct sendq_fixture *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->srv.stats = alloc_percpu(struct ksrv_stats);
	if (!f->srv.stats)
		return -ENOMEM;
	f->conn.srv = &f->srv;
	INIT_LIST_HEAD(&f->conn.sendq);
	test->priv = f;
	return 0;
}

static void sendq_exit(struct kunit *test)
{
	struct sendq_fixture *f = test->priv;

	ksrv_sendq_purge(&f->conn);
	free_percpu(f->srv.stats);
}

static u64 sendq_mem(struct sendq_fixture *f)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(f->srv.stats, cpu)->count[KSRV_STAT_MEM];
	return sum;
}

/* 1 MiB queued in chunks of at most a page each, counted and freed. */
static void sendq_kunit_bounded_chunks(struct kunit *test)
{
	struct sendq_fixture *f = test->priv;
	const size_t len = 1 << 20;
	size_t pages = DIV_ROUND_UP(len, PAGE_SIZE / 2);
	u8 *buf;

	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, ksrv_sendq_add(&f->conn, buf, len, 0), 0);
	KUNIT_EXPECT_EQ(test, f->conn.queued, (u32)len);
	/* one header per chunk at most: never a copy, never one big buffer */
	KUNIT_EXPECT_GE(test, sendq_mem(f), (u64)len);
	KUNIT_EXPECT_LE(test, sendq_mem(f), (u64)pages * PAGE_SIZE);
	KUNIT_EXPECT_GE(test, list_count_nodes(&f->conn.sendq),
			(size_t)DIV_ROUND_UP(len, PAGE_SIZE));
	ksrv_sendq_purge(&f->conn);
	KUNIT_EXPECT_EQ(test, f->conn.queued, 0U);
	KUNIT_EXPECT_EQ(test, sendq_mem(f), 0ULL);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->conn.sendq));
}

/* queued + len past U32_MAX: refused, nothing queued or counted. */
static void sendq_kunit_sum_wraps(struct kunit *test)
{
	struct sendq_fixture *f = test->priv;
	u8 buf[100] = { 0 };

	f->conn.queued = U32_MAX - 10;
	KUNIT_EXPECT_EQ(test, ksrv_sendq_add(&f->conn, buf, sizeof(buf), 0),
			-ENOBUFS);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->conn.sendq));
	KUNIT_EXPECT_EQ(test, f->conn.queued, U32_MAX - 10);
	KUNIT_EXPECT_EQ(test, sendq_mem(f), 0ULL);
	/* exactly up to the limit is still a sum that fits */
	KUNIT_EXPECT_EQ(test, ksrv_sendq_add(&f->conn, buf, 10, 0), 0);
	KUNIT_EXPECT_EQ(test, f->conn.queued, U32_MAX);
	ksrv_sendq_purge(&f->conn);
	f->conn.queued = 0;
}

/* A length beyond u32 that truncates to a small one: refused. */
static void sendq_kunit_len_truncates(struct kunit *test)
{
	struct sendq_fixture *f = test->priv;
	u8 buf[8] = { 0 };

	if (sizeof(size_t) <= sizeof(u32))
		kunit_skip(test, "size_t is 32 bits here");
	/* (u32)len would be 1 */
	KUNIT_EXPECT_EQ(test, ksrv_sendq_add(&f->conn, buf,
					     (size_t)U32_MAX + 2, 0), -ENOBUFS);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->conn.sendq));
	KUNIT_EXPECT_EQ(test, sendq_mem(f), 0ULL);
}

/* A page send that would wrap the sum: refused, the page not taken. */
static void sendq_kunit_page_sum_wraps(struct kunit *test)
{
	struct sendq_fixture *f = test->priv;
	struct page *page = alloc_page(GFP_KERNEL);
	int refs;

	KUNIT_ASSERT_NOT_NULL(test, page);
	refs = page_ref_count(page);
	f->conn.queued = U32_MAX - 100;
	KUNIT_EXPECT_EQ(test, ksrv_sendq_add_page(&f->conn, page, 0, PAGE_SIZE, 0),
			-ENOBUFS);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), refs);
	KUNIT_EXPECT_TRUE(test, list_empty(&f->conn.sendq));
	f->conn.queued = 0;
	/* and one that fits holds a reference until it is purged */
	KUNIT_EXPECT_EQ(test, ksrv_sendq_add_page(&f->conn, page, 0, PAGE_SIZE, 0),
			0);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), refs + 1);
	KUNIT_EXPECT_GE(test, sendq_mem(f), (u64)PAGE_SIZE);
	ksrv_sendq_purge(&f->conn);
	KUNIT_EXPECT_EQ(test, page_ref_count(page), refs);
	KUNIT_EXPECT_EQ(test, sendq_mem(f), 0ULL);
	__free_page(page);
}

static struct kunit_case sendq_cases[] = {
	KUNIT_CASE(sendq_kunit_bounded_chunks),
	KUNIT_CASE(sendq_kunit_sum_wraps),
	KUNIT_CASE(sendq_kunit_len_truncates),
	KUNIT_CASE(sendq_kunit_page_sum_wraps),
	{}
};

static struct kunit_suite sendq_suite = {
	.name = "ksrv_sendq",
	.init = sendq_init,
	.exit = sendq_exit,
	.test_cases = sendq_cases,
};

kunit_test_suite(sendq_suite);

MODULE_DESCRIPTION("KUnit cases for the ksrv engine's send queue (test-only)");
MODULE_AUTHOR("The kecho developers");
MODULE_LICENSE("GPL");
