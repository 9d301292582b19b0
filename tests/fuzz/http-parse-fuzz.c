// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for khttpd's request parser (kernel/http/parse.c).
 * Every input is taken as a request and, whole, as each helper's input;
 * what must hold whatever the bytes is asserted, and a failed assertion
 * aborts, which libFuzzer reports as a crash.  tests/fuzz/run.sh builds
 * and runs it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define CHECK(c) do {							\
		if (!(c)) {						\
			fprintf(stderr, "%s:%d: check failed: %s\n",	\
				__FILE__, __LINE__, #c);		\
			abort();					\
		}							\
	} while (0)

/* roomy limits, and small ones that inputs hit often */
static const struct khttp_limits lims[] = {
	{ .max_head = 2048, .max_target = 512, .max_headers = 40 },
	{ .max_head = 64, .max_target = 16, .max_headers = 3 },
};

#define T_MIN	(-62135596800LL)	/* 0001-01-01 */
#define T_MAX	253402300799LL		/* 9999-12-31 23:59:59 */

/* Fed one byte more each call, the scan must only move forward. */
static long head_bytewise(const char *buf, size_t len,
			  const struct khttp_limits *l)
{
	size_t scan = 0, k;
	long r;

	for (k = 0; k <= len; k++) {
		size_t before = scan;

		r = khttp_head_end(buf, k, &scan, l);
		if (r)
			return r;
		CHECK(scan >= before && scan <= k && scan + 1 >= k);
	}
	return 0;
}

static void check_head_end(const char *buf, size_t len,
			   const struct khttp_limits *l)
{
	size_t scan = 0;
	long whole = khttp_head_end(buf, len, &scan, l);

	CHECK(whole >= 0 || whole == -400 || whole == -431);
	CHECK(head_bytewise(buf, len, l) == whole);
	if (whole > 0) {
		CHECK((size_t)whole <= len && whole <= (long)l->max_head);
		CHECK(buf[whole - 1] == '\n');
		CHECK(!memchr(buf, '\0', whole));
		CHECK(scan == 0);
	}
}

static void check_str(const struct khttp_str *s, const char *buf, size_t len)
{
	if (!s->p) {
		CHECK(!s->len);
		return;
	}
	CHECK(s->p >= buf && s->p + s->len <= buf + len);
	CHECK(!memchr(s->p, '\r', s->len) && !memchr(s->p, '\n', s->len));
	CHECK(!memchr(s->p, '\0', s->len));
}

/* A field value: no OWS at either end. */
static void check_value(const struct khttp_str *s, const char *buf,
			size_t len)
{
	check_str(s, buf, len);
	if (s->len) {
		CHECK(s->p[0] != ' ' && s->p[0] != '\t');
		CHECK(s->p[s->len - 1] != ' ' && s->p[s->len - 1] != '\t');
	}
}

static void check_path(const struct khttp_str *t)
{
	char out[600];
	bool dir = true;
	long n = khttp_decode_path(t, out, sizeof(out), &dir);
	long i;

	if (n < 0) {
		CHECK(n == -400 || n == -414);
		CHECK(!out[0] && !dir);
		return;
	}
	CHECK((size_t)n < sizeof(out) && !out[n] && strlen(out) == (size_t)n);
	CHECK(out[0] != '/' && out[0] != '.');
	CHECK(!strstr(out, "..") && !strstr(out, "/.") && !strstr(out, "//"));
	CHECK(!n || out[n - 1] != '/');
	CHECK(n || dir);
	for (i = 0; i < n; i++) {
		unsigned char c = out[i];

		CHECK(c >= ' ' && c != 0x7f && c != '\\');
	}
	/* the room asked for is exactly the result and its NUL */
	{
		char small[600];
		bool d2;

		CHECK(khttp_decode_path(t, small, n + 1, &d2) == n);
		CHECK(!memcmp(small, out, n + 1) && d2 == dir);
		CHECK(khttp_decode_path(t, small, n, &d2) == -414);
	}
}

static void check_range(const struct khttp_str *r, u64 size)
{
	u64 first = 7, last = 7;
	int ret = khttp_range(r, size, &first, &last);

	CHECK(ret == 0 || ret == 1 || ret == -416);
	if (!ret)
		CHECK(first <= last && last < size);
}

static s64 clamp(s64 t)
{
	return t < T_MIN ? T_MIN : t > T_MAX ? T_MAX : t;
}

/* format(t) reads back as t, within the years format can write */
static void check_date_t(s64 t)
{
	char out[KHTTP_DATE_LEN + 1];
	struct khttp_str s = { out, KHTTP_DATE_LEN };
	s64 back;

	memset(out, 'X', sizeof(out));
	khttp_date_format(t, out);
	CHECK(!out[KHTTP_DATE_LEN] && strlen(out) == KHTTP_DATE_LEN);
	CHECK(!khttp_date_parse(&s, &back) && back == clamp(t));
}

static void check_date_str(const struct khttp_str *s)
{
	s64 t = 0;

	if (!khttp_date_parse(s, &t))
		check_date_t(t);
}

static void check_etag(const struct khttp_str *inm)
{
	bool a = khttp_etag_match(inm, "\"abc\"", 5);
	bool b = khttp_etag_match(inm, "W/\"abc\"", 7);

	CHECK(a == b);
	/* a list holding our tag, alone, always matches */
	if (inm->len == 5 && !memcmp(inm->p, "\"abc\"", 5))
		CHECK(a);
}

static void check_escape(const char *in, size_t len)
{
	size_t room = len * 6 + 1, i;
	char *out = malloc(room);
	long n;

	CHECK(out);
	n = khttp_html_escape(in, len, out, room);
	CHECK(n >= 0 && (size_t)n < room && !out[n]);
	for (i = 0; i < (size_t)n; i++)
		CHECK(out[i] != '<' && out[i] != '>' && out[i] != '"' &&
		      out[i] != '\'');
	/* too little room fails whole, leaving "" */
	if (n > 0) {
		CHECK(khttp_html_escape(in, len, out, n) == -1 && !out[0]);
		CHECK(khttp_html_escape(in, len, out, n + 1) == n);
	}
	free(out);
}

static void check_parse(const char *buf, size_t len,
			const struct khttp_limits *l)
{
	static const u64 sizes[] = { 0, 1, 1000, ~0ULL };
	struct khttp_req req;
	int ret = khttp_parse(&req, buf, len, l);
	size_t i;

	CHECK(req.minor == 0 || req.minor == 1);
	if (ret) {
		CHECK(ret == -400 || ret == -414 || ret == -431 ||
		      ret == -501 || ret == -505);
		CHECK(!req.keep_alive);
		return;
	}
	CHECK(len <= l->max_head);
	CHECK(req.method == KHTTP_GET || req.method == KHTTP_HEAD ||
	      req.method == KHTTP_OTHER);
	check_str(&req.method_name, buf, len);
	check_str(&req.target, buf, len);
	CHECK(req.target.len >= 1 && req.target.len <= l->max_target);
	CHECK(req.target.p[0] == '/');
	CHECK(req.minor == 0 || req.has_host);
	CHECK(!req.has_transfer_encoding);
	CHECK(req.nheaders <= l->max_headers);
	check_value(&req.if_none_match, buf, len);
	check_value(&req.if_modified_since, buf, len);
	check_value(&req.range, buf, len);
	check_value(&req.if_range, buf, len);

	check_path(&req.target);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check_range(&req.range, sizes[i]);
	check_date_str(&req.if_modified_since);
	check_etag(&req.if_none_match);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct khttp_str all = { size ? buf : NULL, size };
	size_t i;

	for (i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
		size_t scan = 0;
		long n;

		check_head_end(buf, size, &lims[i]);
		n = khttp_head_end(buf, size, &scan, &lims[i]);
		if (n > 0)
			check_parse(buf, n, &lims[i]);
		check_parse(buf, size, &lims[i]);
	}

	/* the whole input as each helper's input, too */
	check_path(&all);
	check_range(&all, 1000);
	if (size >= 8) {
		u64 s;

		memcpy(&s, buf, 8);
		check_range(&all, s);
		check_date_t((s64)s);
		/* and within the years, where most of the arithmetic is */
		check_date_t(T_MIN + (s64)(s % (u64)(T_MAX - T_MIN + 1)));
	}
	check_date_str(&all);
	check_etag(&all);
	check_escape(buf, size);
	CHECK(khttp_mime_type(buf, size)[0]);
	CHECK(khttp_reason(size ? buf[0] * 4 : 0)[0]);
	return 0;
}
