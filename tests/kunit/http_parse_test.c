// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit cases for khttpd's parser (kernel/http/parse.c, compiled into
 * this module): a dozen representative cases, in the kernel that runs it,
 * next to the exhaustive host tests (tests/host/http-parse-test.c).
 * Test-only; built for the debug kernel (CONFIG_KUNIT).
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/string.h>

#include "parse.h"

static const struct khttp_limits lim = {
	.max_head = 8192, .max_target = 1024, .max_headers = 32,
};

static struct khttp_str str(const char *s)
{
	return (struct khttp_str){ s, s ? strlen(s) : 0 };
}

static int parse(struct khttp_req *req, const char *head)
{
	memset(req, 0, sizeof(*req));
	return khttp_parse(req, head, strlen(head), &lim);
}

static void khttp_kunit_head_end(struct kunit *test)
{
	static const char head[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	size_t scan = 0, i;
	long n = 0;

	KUNIT_EXPECT_EQ(test, khttp_head_end(head, sizeof(head) - 1, &scan,
					     &lim), (long)sizeof(head) - 1);
	/* byte by byte: only the last byte completes it */
	scan = 0;
	for (i = 1; i <= sizeof(head) - 1; i++) {
		n = khttp_head_end(head, i, &scan, &lim);
		if (i < sizeof(head) - 1)
			KUNIT_EXPECT_EQ_MSG(test, n, 0L, "after %zu bytes", i);
	}
	KUNIT_EXPECT_EQ(test, n, (long)sizeof(head) - 1);
	scan = 0;
	KUNIT_EXPECT_EQ(test, khttp_head_end("GET / HTTP/1.1\rX", 16, &scan,
					     &lim), -400L);
}

static void khttp_kunit_get(struct kunit *test)
{
	struct khttp_req req;

	KUNIT_ASSERT_EQ(test, parse(&req, "GET /a%20b?x=1 HTTP/1.1\r\n"
				    "Host: a\r\nRange: bytes=0-9\r\n\r\n"), 0);
	KUNIT_EXPECT_EQ(test, req.method, KHTTP_GET);
	KUNIT_EXPECT_EQ(test, req.minor, 1);
	KUNIT_EXPECT_TRUE(test, req.keep_alive);
	KUNIT_EXPECT_TRUE(test, req.has_host);
	KUNIT_EXPECT_EQ(test, req.target.len, 10U);
	KUNIT_EXPECT_EQ(test, memcmp(req.target.p, "/a%20b?x=1", 10), 0);
	KUNIT_EXPECT_EQ(test, req.range.len, 9U);

	KUNIT_ASSERT_EQ(test, parse(&req, "HEAD / HTTP/1.0\r\n\r\n"), 0);
	KUNIT_EXPECT_EQ(test, req.method, KHTTP_HEAD);
	KUNIT_EXPECT_EQ(test, req.minor, 0);
	KUNIT_EXPECT_FALSE(test, req.keep_alive);

	KUNIT_ASSERT_EQ(test, parse(&req, "GET / HTTP/1.1\r\nHost: a\r\n"
				    "Connection: close\r\n\r\n"), 0);
	KUNIT_EXPECT_FALSE(test, req.keep_alive);
}

static void khttp_kunit_status_400(struct kunit *test)
{
	static const char *const bad[] = {
		"GET / HTTP/1.1\r\n\r\n",			/* no Host */
		"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
		"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n",	/* obs-fold */
		"GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n",
	};
	struct khttp_req req;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, parse(&req, bad[i]), -400,
				    "case %d", i);
	KUNIT_EXPECT_FALSE(test, req.keep_alive);
}

static void khttp_kunit_status_other(struct kunit *test)
{
	struct khttp_req req;
	char head[1200];

	KUNIT_EXPECT_EQ(test, parse(&req, "GET / HTTP/2.0\r\nHost: a\r\n\r\n"), -505);
	KUNIT_EXPECT_EQ(test, parse(&req, "GET / HTTP/1.2\r\nHost: a\r\n\r\n"), -505);
	KUNIT_EXPECT_EQ(test, parse(&req, "POST / HTTP/1.1\r\nHost: a\r\n"
				    "Transfer-Encoding: chunked\r\n\r\n"), -501);
	KUNIT_EXPECT_EQ(test, parse(&req, "DELETE / HTTP/1.1\r\nHost: a\r\n\r\n"), 0);
	KUNIT_EXPECT_EQ(test, req.method, KHTTP_OTHER);
	/* a target past max_target */
	memcpy(head, "GET /", 5);
	memset(head + 5, 'a', 1100);
	strscpy(head + 1105, " HTTP/1.1\r\nHost: a\r\n\r\n",
		sizeof(head) - 1105);
	KUNIT_EXPECT_EQ(test, parse(&req, head), -414);
}

static void khttp_kunit_decode_path(struct kunit *test)
{
	struct khttp_str t;
	char out[64];
	bool dir;

	t = str("/a%20b/");
	KUNIT_EXPECT_EQ(test, khttp_decode_path(&t, out, sizeof(out), &dir), 3L);
	KUNIT_EXPECT_STREQ(test, out, "a b");
	KUNIT_EXPECT_TRUE(test, dir);
	t = str("/");
	KUNIT_EXPECT_EQ(test, khttp_decode_path(&t, out, sizeof(out), &dir), 0L);
	KUNIT_EXPECT_STREQ(test, out, "");
	KUNIT_EXPECT_TRUE(test, dir);
	t = str("/caf%C3%A9.txt?x=../y");
	KUNIT_EXPECT_EQ(test, khttp_decode_path(&t, out, sizeof(out), &dir), 9L);
	KUNIT_EXPECT_STREQ(test, out, "caf\xc3\xa9.txt");
	KUNIT_EXPECT_FALSE(test, dir);
	t = str("/abcdefghij");
	KUNIT_EXPECT_EQ(test, khttp_decode_path(&t, out, 5, &dir), -414L);
}

static void khttp_kunit_decode_traversal(struct kunit *test)
{
	static const char *const bad[] = {
		"/..", "/../etc/passwd", "/a/../../etc/passwd", "/%2e%2e/x",
		"/.%2E/x", "/a%2f..%2fb", "/..%5cetc", "/a\\b", "/.git/config",
		"//etc/passwd", "/a%00.html", "/%", "a/b", "*",
	};
	struct khttp_str t;
	char out[64];
	bool dir;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		t = str(bad[i]);
		KUNIT_EXPECT_EQ_MSG(test,
				    khttp_decode_path(&t, out, sizeof(out), &dir),
				    -400L, "target \"%s\"", bad[i]);
		KUNIT_EXPECT_STREQ(test, out, "");
		KUNIT_EXPECT_FALSE(test, dir);
	}
}

static void khttp_kunit_range(struct kunit *test)
{
	static const struct {
		const char *value;
		u64 size;
		int want;
		u64 first, last;
	} cases[] = {
		{ "bytes=0-499", 1000, 0, 0, 499 },
		{ "bytes=500-", 1000, 0, 500, 999 },
		{ "bytes=-100", 1000, 0, 900, 999 },
		{ "bytes=0-5000", 1000, 0, 0, 999 },
		{ "BYTES=0-1", 10, 0, 0, 1 },
		{ "bytes=1000-", 1000, -416, 0, 0 },
		{ "bytes=-0", 1000, -416, 0, 0 },
		{ "bytes=0-1,3-4", 1000, 1, 0, 0 },
		{ "bytes=5-4", 1000, 1, 0, 0 },
		{ "items=0-1", 1000, 1, 0, 0 },
		{ NULL, 1000, 1, 0, 0 },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct khttp_str r = str(cases[i].value);
		u64 first = 12345, last = 12345;
		const char *v = "(none)";
		int ret = khttp_range(&r, cases[i].size, &first, &last);

		if (cases[i].value)
			v = cases[i].value;

		KUNIT_EXPECT_EQ_MSG(test, ret, cases[i].want, "range \"%s\"", v);
		if (!ret && !cases[i].want) {
			KUNIT_EXPECT_EQ(test, first, cases[i].first);
			KUNIT_EXPECT_EQ(test, last, cases[i].last);
		}
	}
}

static void khttp_kunit_date_format(struct kunit *test)
{
	char out[KHTTP_DATE_LEN + 1];

	khttp_date_format(0, out);
	KUNIT_EXPECT_STREQ(test, out, "Thu, 01 Jan 1970 00:00:00 GMT");
	khttp_date_format(784111777, out);
	KUNIT_EXPECT_STREQ(test, out, "Sun, 06 Nov 1994 08:49:37 GMT");
	khttp_date_format(951782400, out);
	KUNIT_EXPECT_STREQ(test, out, "Tue, 29 Feb 2000 00:00:00 GMT");
	khttp_date_format(2147483648LL, out);
	KUNIT_EXPECT_STREQ(test, out, "Tue, 19 Jan 2038 03:14:08 GMT");
}

static void khttp_kunit_date_parse(struct kunit *test)
{
	static const char *const same[] = {
		"Sun, 06 Nov 1994 08:49:37 GMT",	/* IMF-fixdate */
		"Sunday, 06-Nov-94 08:49:37 GMT",	/* RFC 850 */
		"Sun Nov  6 08:49:37 1994",		/* asctime */
	};
	static const char *const bad[] = {
		"", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 6 Nov 1994 08:49:37 GMT",
		"Sun, 31 Feb 1994 08:49:37 GMT", "sun, 06 Nov 1994 08:49:37 GMT",
	};
	struct khttp_str s;
	s64 t;
	int i;

	for (i = 0; i < ARRAY_SIZE(same); i++) {
		s = str(same[i]);
		t = 0;
		KUNIT_EXPECT_EQ_MSG(test, khttp_date_parse(&s, &t), 0, "\"%s\"",
				    same[i]);
		KUNIT_EXPECT_EQ_MSG(test, t, 784111777LL, "\"%s\"", same[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		s = str(bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, khttp_date_parse(&s, &t), -1, "\"%s\"",
				    bad[i]);
	}
}

static void khttp_kunit_etag(struct kunit *test)
{
	struct khttp_str s;

	s = str("\"x\", W/\"abc\"");
	KUNIT_EXPECT_TRUE(test, khttp_etag_match(&s, "\"abc\"", 5));
	s = str("*");
	KUNIT_EXPECT_TRUE(test, khttp_etag_match(&s, "\"abc\"", 5));
	s = str("\"ABC\"");
	KUNIT_EXPECT_FALSE(test, khttp_etag_match(&s, "\"abc\"", 5));
	s = str("*, \"abc\"");
	KUNIT_EXPECT_FALSE(test, khttp_etag_match(&s, "\"abc\"", 5));
}

static void khttp_kunit_helpers(struct kunit *test)
{
	char out[32];

	KUNIT_EXPECT_STREQ(test, khttp_reason(404), "Not Found");
	KUNIT_EXPECT_STREQ(test, khttp_reason(416), "Range Not Satisfiable");
	KUNIT_EXPECT_STREQ(test, khttp_reason(999), "Unknown");
	KUNIT_EXPECT_STREQ(test, khttp_mime_type("a/index.html", 12),
			   "text/html; charset=utf-8");
	KUNIT_EXPECT_STREQ(test, khttp_mime_type(".bashrc", 7),
			   "application/octet-stream");
	KUNIT_EXPECT_EQ(test, khttp_html_escape("<a&\"'>", 6, out, sizeof(out)),
			(long)strlen("&lt;a&amp;&quot;&#39;&gt;"));
	KUNIT_EXPECT_STREQ(test, out, "&lt;a&amp;&quot;&#39;&gt;");
	KUNIT_EXPECT_EQ(test, khttp_html_escape("<<<<<<<<", 8, out, 8), -1L);
}

static struct kunit_case khttp_parse_cases[] = {
	KUNIT_CASE(khttp_kunit_head_end),
	KUNIT_CASE(khttp_kunit_get),
	KUNIT_CASE(khttp_kunit_status_400),
	KUNIT_CASE(khttp_kunit_status_other),
	KUNIT_CASE(khttp_kunit_decode_path),
	KUNIT_CASE(khttp_kunit_decode_traversal),
	KUNIT_CASE(khttp_kunit_range),
	KUNIT_CASE(khttp_kunit_date_format),
	KUNIT_CASE(khttp_kunit_date_parse),
	KUNIT_CASE(khttp_kunit_etag),
	KUNIT_CASE(khttp_kunit_helpers),
	{}
};

static struct kunit_suite khttp_parse_suite = {
	.name = "khttpd_parse",
	.test_cases = khttp_parse_cases,
};

kunit_test_suite(khttp_parse_suite);

MODULE_DESCRIPTION("KUnit cases for khttpd's request parser (test-only)");
MODULE_AUTHOR("The kecho developers");
MODULE_LICENSE("GPL");
