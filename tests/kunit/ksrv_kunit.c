// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for ksrv_config_parse(): every parameter's bounds, the
 * address forms, the design and workqueue names.  Test-only; built for
 * the debug kernel (CONFIG_KUNIT) and loaded by tests/kunit/run.sh after
 * ksrv.ko.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/module.h>
#include <linux/workqueue.h>
#include <net/tcp.h>

#include "ksrv.h"

static struct ksrv_params base(void)
{
	return (struct ksrv_params){
		.name = "ksrv_kunit",
		.port = 12345,
		.addr = "127.0.0.1",
		.backlog = 4096,
		.max_conns = 65536,
		.idle_timeout = 0,
		.design = "event",
		.wq = "percpu",
		.max_active = 0,
		.send_cap = 256,
		.keepalive = 120,
	};
}

static int parse(struct ksrv_config *cfg, const struct ksrv_params *p)
{
	memset(cfg, 0xa5, sizeof(*cfg));
	return ksrv_config_parse(cfg, p);
}

static void ksrv_kunit_defaults(struct kunit *test)
{
	struct ksrv_params p = base();
	struct ksrv_config cfg;

	KUNIT_ASSERT_EQ(test, parse(&cfg, &p), 0);
	KUNIT_EXPECT_EQ(test, cfg.backlog, 4096);
	KUNIT_EXPECT_EQ(test, cfg.max_conns, 65536U);
	KUNIT_EXPECT_EQ(test, cfg.idle_timeout, 0U);
	KUNIT_EXPECT_EQ(test, cfg.design, KSRV_DESIGN_EVENT);
	KUNIT_EXPECT_EQ(test, cfg.wq, KSRV_WQ_PERCPU);
	KUNIT_EXPECT_EQ(test, cfg.max_active, 0);
	KUNIT_EXPECT_EQ(test, cfg.send_cap, 256U * 1024);
	KUNIT_EXPECT_EQ(test, cfg.keepalive, 120U);
}

static void ksrv_kunit_port(struct kunit *test)
{
	static const struct {
		int port;
		int ok;
	} cases[] = {
		{ 0, 0 }, { 1, 1 }, { 65535, 1 }, { 65536, 0 }, { -1, 0 },
		{ 12345, 1 }, { INT_MIN, 0 }, { INT_MAX, 0 },
	};
	struct ksrv_config cfg;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ksrv_params p = base();
		struct sockaddr_in *sin = (struct sockaddr_in *)&cfg.addr;

		p.port = cases[i].port;
		if (!cases[i].ok) {
			KUNIT_EXPECT_EQ_MSG(test, parse(&cfg, &p), -EINVAL,
					    "port=%d", p.port);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, parse(&cfg, &p), 0, "port=%d", p.port);
		KUNIT_EXPECT_EQ_MSG(test, ntohs(sin->sin_port), p.port,
				    "port=%d", p.port);
	}
}

static void ksrv_kunit_addr_ipv4(struct kunit *test)
{
	static const struct {
		const char *addr;
		__be32 want;
	} cases[] = {
		{ "127.0.0.1", htonl(INADDR_LOOPBACK) },
		{ "0.0.0.0", htonl(INADDR_ANY) },
		{ "10.1.2.3", htonl(0x0a010203) },
	};
	struct ksrv_config cfg;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ksrv_params p = base();
		struct sockaddr_in *sin = (struct sockaddr_in *)&cfg.addr;

		p.addr = cases[i].addr;
		KUNIT_ASSERT_EQ_MSG(test, parse(&cfg, &p), 0, "addr=%s", p.addr);
		KUNIT_EXPECT_EQ_MSG(test, sin->sin_family, AF_INET, "addr=%s",
				    p.addr);
		KUNIT_EXPECT_EQ_MSG(test, cfg.addrlen, (int)sizeof(*sin),
				    "addr=%s", p.addr);
		KUNIT_EXPECT_EQ_MSG(test, sin->sin_addr.s_addr, cases[i].want,
				    "addr=%s", p.addr);
		KUNIT_EXPECT_EQ_MSG(test, ntohs(sin->sin_port), 12345,
				    "addr=%s", p.addr);
	}
}

static void ksrv_kunit_addr_ipv6(struct kunit *test)
{
	static const struct {
		const char *addr;
		bool loopback;
	} cases[] = {
		{ "::1", true }, { "[::1]", true }, { "::", false },
		{ "[::]", false },
	};
	struct ksrv_config cfg;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ksrv_params p = base();
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&cfg.addr;

		p.addr = cases[i].addr;
		KUNIT_ASSERT_EQ_MSG(test, parse(&cfg, &p), 0, "addr=%s", p.addr);
		KUNIT_EXPECT_EQ_MSG(test, sin6->sin6_family, AF_INET6,
				    "addr=%s", p.addr);
		KUNIT_EXPECT_EQ_MSG(test, cfg.addrlen, (int)sizeof(*sin6),
				    "addr=%s", p.addr);
		KUNIT_EXPECT_EQ_MSG(test, ntohs(sin6->sin6_port), 12345,
				    "addr=%s", p.addr);
		if (cases[i].loopback)
			KUNIT_EXPECT_TRUE_MSG(test,
					      ipv6_addr_loopback(&sin6->sin6_addr),
					      "addr=%s", p.addr);
		else
			KUNIT_EXPECT_TRUE_MSG(test,
					      ipv6_addr_any(&sin6->sin6_addr),
					      "addr=%s", p.addr);
	}
}

static void ksrv_kunit_addr_refused(struct kunit *test)
{
	static const char *const bad[] = {
		"[127.0.0.1]",	/* brackets are for IPv6 only */
		"", "garbage", "localhost", "1.2.3", "1.2.3.4.5", "256.0.0.1",
		"127.0.0.1 ", " 127.0.0.1", "[::1", "::1]",
		"[]", "[", "]", "[[::1]]", "::1%lo",
	};
	struct ksrv_config cfg;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ksrv_params p = base();

		p.addr = bad[i];
		KUNIT_EXPECT_EQ_MSG(test, parse(&cfg, &p), -EINVAL,
				    "addr=\"%s\"", p.addr);
	}
	{
		struct ksrv_params p = base();

		p.addr = NULL;
		KUNIT_EXPECT_EQ(test, parse(&cfg, &p), -EINVAL);
	}
}

/* ksrv_endpoint_parse(): a backend's ADDR:PORT */
static void ksrv_kunit_endpoint(struct kunit *test)
{
	static const struct {
		const char *s;
		int family;
		int port;
	} good[] = {
		{ "127.0.0.1:8081", AF_INET, 8081 },
		{ "0.0.0.0:1", AF_INET, 1 },
		{ "10.1.2.3:65535", AF_INET, 65535 },
		{ "[::1]:8081", AF_INET6, 8081 },
		{ "[::]:80", AF_INET6, 80 },
		{ "[fe80::1:2]:443", AF_INET6, 443 },
	};
	static const char *const bad[] = {
		"127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
		":80", "::1:80", "[::1]", "[::1]80", "localhost:80",
		"127.0.0.1:+80", "127.0.0.1:80x", "127.0.0.1:-1",
		" 127.0.0.1:80", "[127.0.0.1]:80", "1.2.3:80", "", ":",
		"[::1:80", "::1]:80",
	};
	struct sockaddr_storage ss;
	int i, len;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		len = -1;
		KUNIT_ASSERT_EQ_MSG(test, ksrv_endpoint_parse(good[i].s, &ss, &len),
				    0, "%s", good[i].s);
		KUNIT_EXPECT_EQ_MSG(test, ss.ss_family, good[i].family, "%s",
				    good[i].s);
		/* sin_port and sin6_port are at the same offset */
		KUNIT_EXPECT_EQ_MSG(test, ntohs(sin->sin_port), good[i].port,
				    "%s", good[i].s);
		KUNIT_EXPECT_EQ_MSG(test, len, good[i].family == AF_INET ?
				    (int)sizeof(struct sockaddr_in) :
				    (int)sizeof(struct sockaddr_in6), "%s",
				    good[i].s);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, ksrv_endpoint_parse(bad[i], &ss, &len),
				    -EINVAL, "\"%s\"", bad[i]);
	KUNIT_EXPECT_EQ(test, ksrv_endpoint_parse(NULL, &ss, &len), -EINVAL);
}

/* One integer parameter: each value accepted or refused as listed. */
struct int_case {
	int value;
	int ok;
};

static void check_ints(struct kunit *test, const char *name, int *field,
		       struct ksrv_params *p, const struct int_case *cases,
		       int n)
{
	struct ksrv_params saved = *p;
	struct ksrv_config cfg;
	int i;

	for (i = 0; i < n; i++) {
		int want = -EINVAL;

		if (cases[i].ok)
			want = 0;
		*p = saved;
		*field = cases[i].value;
		KUNIT_EXPECT_EQ_MSG(test, parse(&cfg, p), want, "%s=%d", name,
				    cases[i].value);
	}
	*p = saved;
}

/* the cases of one field of a struct ksrv_params named p */
#define CHECK_INTS(test, field, ...) do {				\
	static const struct int_case c_[] = { __VA_ARGS__ };		\
	check_ints(test, #field, &p.field, &p, c_, ARRAY_SIZE(c_));	\
} while (0)

static void ksrv_kunit_backlog(struct kunit *test)
{
	struct ksrv_params p = base();
	struct ksrv_config cfg;

	CHECK_INTS(test, backlog, { 0, 0 }, { -1, 0 }, { 1, 1 },
		   { 4096, 1 }, { 1000000, 1 }, { INT_MIN, 0 });
	/* clamped at listen(), not here: the value is kept as asked */
	p.backlog = 1000000;
	KUNIT_ASSERT_EQ(test, parse(&cfg, &p), 0);
	KUNIT_EXPECT_EQ(test, cfg.backlog, 1000000);
}

static void ksrv_kunit_max_conns(struct kunit *test)
{
	struct ksrv_params p = base();
	struct ksrv_config cfg;

	CHECK_INTS(test, max_conns, { -1, 0 }, { 0, 1 }, { 1, 1 },
		   { 65536, 1 }, { INT_MAX, 1 }, { INT_MIN, 0 });
	p.max_conns = 0;
	KUNIT_ASSERT_EQ(test, parse(&cfg, &p), 0);
	KUNIT_EXPECT_EQ(test, cfg.max_conns, 0U);
}

static void ksrv_kunit_idle_timeout(struct kunit *test)
{
	struct ksrv_params p = base();
	struct ksrv_config cfg;

	CHECK_INTS(test, idle_timeout, { -1, 0 }, { 0, 1 }, { 1, 1 },
		   { 7 * 24 * 3600, 1 }, { 7 * 24 * 3600 + 1, 0 },
		   { INT_MAX, 0 });
	p.idle_timeout = 30;
	KUNIT_ASSERT_EQ(test, parse(&cfg, &p), 0);
	KUNIT_EXPECT_EQ(test, cfg.idle_timeout, 30U);
}

static void ksrv_kunit_max_active(struct kunit *test)
{
	struct ksrv_params p = base();

	CHECK_INTS(test, max_active, { -1, 0 }, { 0, 1 }, { 1, 1 },
		   { WQ_MAX_ACTIVE, 1 }, { WQ_MAX_ACTIVE + 1, 0 });
}

static void ksrv_kunit_send_cap(struct kunit *test)
{
	struct ksrv_params p = base();
	struct ksrv_config cfg;

	CHECK_INTS(test, send_cap, { 0, 0 }, { -1, 0 },
		   { KSRV_SEND_CAP_MIN - 1, 0 }, { KSRV_SEND_CAP_MIN, 1 },
		   { KSRV_SEND_CAP_MAX, 1 }, { KSRV_SEND_CAP_MAX + 1, 0 });
	p.send_cap = KSRV_SEND_CAP_MIN;
	KUNIT_ASSERT_EQ(test, parse(&cfg, &p), 0);
	KUNIT_EXPECT_EQ(test, cfg.send_cap, KSRV_SEND_CAP_MIN * 1024U);
	p.send_cap = KSRV_SEND_CAP_MAX;
	KUNIT_ASSERT_EQ(test, parse(&cfg, &p), 0);
	KUNIT_EXPECT_EQ(test, cfg.send_cap, KSRV_SEND_CAP_MAX * 1024U);
}

static void ksrv_kunit_keepalive(struct kunit *test)
{
	struct ksrv_params p = base();
	struct ksrv_config cfg;

	CHECK_INTS(test, keepalive, { -1, 0 }, { 0, 1 }, { 1, 1 },
		   { MAX_TCP_KEEPIDLE, 1 }, { MAX_TCP_KEEPIDLE + 1, 0 });
	p.keepalive = 0;
	KUNIT_ASSERT_EQ(test, parse(&cfg, &p), 0);
	KUNIT_EXPECT_EQ(test, cfg.keepalive, 0U);
}

static void ksrv_kunit_design(struct kunit *test)
{
	static const struct {
		const char *name;
		int want;	/* -1: refused */
	} cases[] = {
		{ "event", KSRV_DESIGN_EVENT },
		{ "blocking", KSRV_DESIGN_BLOCKING },
		{ "kthread", KSRV_DESIGN_KTHREAD },
		{ "kthread\n", KSRV_DESIGN_KTHREAD },	/* as sysfs writes it */
		{ "Event", -1 }, { "", -1 }, { "events", -1 }, { "even", -1 },
		{ NULL, -1 },
	};
	struct ksrv_config cfg;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ksrv_params p = base();

		p.design = cases[i].name;
		if (cases[i].want < 0) {
			KUNIT_EXPECT_EQ_MSG(test, parse(&cfg, &p), -EINVAL,
					    "design=%s", p.design ?: "(null)");
			continue;
		}
		KUNIT_ASSERT_EQ_MSG(test, parse(&cfg, &p), 0, "design=%s",
				    p.design);
		KUNIT_EXPECT_EQ(test, (int)cfg.design, cases[i].want);
	}
	for (i = 0; i < KSRV_DESIGN_NR; i++) {
		struct ksrv_params p = base();

		p.design = ksrv_design_name(i);
		KUNIT_ASSERT_EQ(test, parse(&cfg, &p), 0);
		KUNIT_EXPECT_EQ(test, (int)cfg.design, i);
	}
}

static void ksrv_kunit_wq(struct kunit *test)
{
	static const struct {
		const char *name;
		int want;
	} cases[] = {
		{ "percpu", KSRV_WQ_PERCPU },
		{ "unbound", KSRV_WQ_UNBOUND },
		{ "highpri", KSRV_WQ_HIGHPRI },
		{ "spread", KSRV_WQ_SPREAD },
		{ "unbound\n", KSRV_WQ_UNBOUND },
		{ "PERCPU", -1 }, { "", -1 }, { "bound", -1 }, { NULL, -1 },
	};
	struct ksrv_config cfg;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ksrv_params p = base();

		p.wq = cases[i].name;
		if (cases[i].want < 0) {
			KUNIT_EXPECT_EQ_MSG(test, parse(&cfg, &p), -EINVAL,
					    "wq=%s", p.wq ?: "(null)");
			continue;
		}
		KUNIT_ASSERT_EQ_MSG(test, parse(&cfg, &p), 0, "wq=%s", p.wq);
		KUNIT_EXPECT_EQ(test, (int)cfg.wq, cases[i].want);
	}
	for (i = 0; i < KSRV_WQ_NR; i++) {
		struct ksrv_params p = base();

		p.wq = ksrv_wq_name(i);
		KUNIT_ASSERT_EQ(test, parse(&cfg, &p), 0);
		KUNIT_EXPECT_EQ(test, (int)cfg.wq, i);
	}
}

static struct kunit_case ksrv_config_cases[] = {
	KUNIT_CASE(ksrv_kunit_defaults),
	KUNIT_CASE(ksrv_kunit_port),
	KUNIT_CASE(ksrv_kunit_addr_ipv4),
	KUNIT_CASE(ksrv_kunit_addr_ipv6),
	KUNIT_CASE(ksrv_kunit_addr_refused),
	KUNIT_CASE(ksrv_kunit_endpoint),
	KUNIT_CASE(ksrv_kunit_backlog),
	KUNIT_CASE(ksrv_kunit_max_conns),
	KUNIT_CASE(ksrv_kunit_idle_timeout),
	KUNIT_CASE(ksrv_kunit_max_active),
	KUNIT_CASE(ksrv_kunit_send_cap),
	KUNIT_CASE(ksrv_kunit_keepalive),
	KUNIT_CASE(ksrv_kunit_design),
	KUNIT_CASE(ksrv_kunit_wq),
	{}
};

static struct kunit_suite ksrv_config_suite = {
	.name = "ksrv_config",
	.test_cases = ksrv_config_cases,
};

kunit_test_suite(ksrv_config_suite);

KSRV_IMPORT();
MODULE_DESCRIPTION("KUnit cases for the ksrv engine's parameter parsing (test-only)");
MODULE_AUTHOR("The kecho developers");
MODULE_LICENSE("GPL");
