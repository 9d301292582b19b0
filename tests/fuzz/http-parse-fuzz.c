// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for khttpd's request parser (kernel/http/parse.c).
 * Every input is taken as a request, as a backend's response (then what
 * follows its head as a chunked body) and, whole, as each helper's input;
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

/* --- the relay's helpers ------------------------------------------------- */

/* for re-parsing rewritten heads, which may be longer than the input */
static const struct khttp_limits roomy = {
	.max_head = 1 << 16, .max_target = 1 << 16, .max_headers = 1 << 16,
};

/* a rewrite of an input of -max_len=4096 bytes is shorter than this */
#define OUT_MAX	16384
#define CLOSE	"Connection: close\r\n\r\n"

static const char xff[] = "X-Forwarded-For: 192.0.2.1\r\n";

/* Exactly @n bytes of room give @n bytes; one fewer is -1, no overrun. */
static void check_room(const char *buf, size_t len, int resp, long n,
		       const char *want)
{
	char *tight = malloc(n);
	long r;

	CHECK(tight);
	r = resp ? khttp_resp_rewrite(buf, len, true, tight, n) :
		   khttp_req_rewrite(buf, len, xff, strlen(xff), tight, n);
	CHECK(r == n && !memcmp(tight, want, n));
	r = resp ? khttp_resp_rewrite(buf, len, true, tight, n - 1) :
		   khttp_req_rewrite(buf, len, xff, strlen(xff), tight,
				     n - 1);
	CHECK(r == -1);
	free(tight);
}

/* A request head khttp_parse() accepted, as it goes to the backend. */
static void check_req_rewrite(const char *buf, size_t len,
			      const struct khttp_req *req)
{
	static char out[OUT_MAX], again[OUT_MAX], ext[OUT_MAX];
	size_t tail = strlen(CLOSE), scan = 0;
	struct khttp_req back;
	long n, m, e;

	n = khttp_req_rewrite(buf, len, "", 0, out, sizeof(out));
	CHECK(n > (long)tail && n <= (long)sizeof(out));
	CHECK(!memcmp(out + n - tail, CLOSE, tail));
	/* one whole head, one the parser takes, saying the same */
	CHECK(khttp_head_end(out, n, &scan, &roomy) == n);
	CHECK(!khttp_parse(&back, out, n, &roomy));
	CHECK(!back.keep_alive && back.minor == req->minor);
	CHECK(back.method == req->method && back.has_host == req->has_host);
	CHECK(back.target.len == req->target.len &&
	      !memcmp(back.target.p, req->target.p, req->target.len));
	CHECK(back.has_content_length == req->has_content_length &&
	      back.content_length == req->content_length);
	CHECK(back.nheaders <= req->nheaders + 1);
	/* stable */
	m = khttp_req_rewrite(out, n, NULL, 0, again, sizeof(again));
	CHECK(m == n && !memcmp(again, out, n));
	/* @extra goes in just before the closing Connection field */
	e = khttp_req_rewrite(buf, len, xff, strlen(xff), ext, sizeof(ext));
	CHECK(e == n + (long)strlen(xff));
	CHECK(!memcmp(ext, out, n - tail));
	CHECK(!memcmp(ext + n - tail, xff, strlen(xff)));
	CHECK(!memcmp(ext + e - tail, CLOSE, tail));
	check_room(buf, len, 0, e, ext);
}

/* A response head khttp_resp_parse() accepted, as it goes to the client. */
static void check_resp_rewrite(const char *buf, size_t len,
			       const struct khttp_resp *resp, bool close)
{
	static char out[OUT_MAX], again[OUT_MAX];
	struct khttp_resp back;
	size_t scan = 0;
	long n, m;

	n = khttp_resp_rewrite(buf, len, close, out, sizeof(out));
	CHECK(n >= 17 && n <= (long)sizeof(out));
	CHECK(!memcmp(out, "HTTP/1.1 ", 9));
	CHECK(khttp_head_end(out, n, &scan, &roomy) == n);
	CHECK(!khttp_resp_parse(&back, out, n, &roomy));
	CHECK(back.status == resp->status && back.minor == 1);
	CHECK(back.has_content_length == resp->has_content_length &&
	      back.content_length == resp->content_length);
	CHECK(back.has_transfer_encoding == resp->has_transfer_encoding &&
	      back.chunked == resp->chunked);
	CHECK(back.nheaders <= resp->nheaders + close);
	m = khttp_resp_rewrite(out, n, close, again, sizeof(again));
	CHECK(m == n && !memcmp(again, out, n));
	if (close)
		check_room(buf, len, 1, n, out);
}

static void check_resp(const char *buf, size_t len,
		       const struct khttp_limits *l)
{
	static const struct khttp_resp zero;
	struct khttp_resp resp;
	int ret = khttp_resp_parse(&resp, buf, len, l);

	if (ret) {
		CHECK(ret == -1 && !memcmp(&resp, &zero, sizeof(resp)));
		return;
	}
	CHECK(len <= l->max_head);
	CHECK(resp.status >= 100 && resp.status <= 999);
	CHECK(resp.minor == 0 || resp.minor == 1);
	CHECK(resp.nheaders <= l->max_headers);
	CHECK(!(resp.has_content_length && resp.has_transfer_encoding));
	CHECK(!resp.chunked || resp.has_transfer_encoding);
	CHECK(resp.has_content_length || !resp.content_length);
	check_resp_rewrite(buf, len, &resp, false);
	check_resp_rewrite(buf, len, &resp, true);
}

/* Any bytes at all: -1 or a result within the room, never beyond it. */
static void check_rewrite_any(const char *buf, size_t len, size_t room)
{
	char *out = malloc(room ? room : 1);
	long n;

	CHECK(out);
	n = khttp_req_rewrite(buf, len, xff, strlen(xff), out, room);
	CHECK(n == -1 || (n >= 0 && (size_t)n <= room));
	n = khttp_resp_rewrite(buf, len, true, out, room);
	CHECK(n == -1 || (n >= 0 && (size_t)n <= room));
	free(out);
}

/*
 * A chunked body fed as @buf[0..at) then the rest: the body's length,
 * -1, or -2 if all was taken and it has not ended.
 */
static long chunked_split(const char *buf, size_t len, size_t at)
{
	struct khttp_chunked st;
	long a, b;

	memset(&st, 0, sizeof(st));
	a = khttp_chunked_scan(&st, buf, at);
	if (a < 0) {
		CHECK(khttp_chunked_scan(&st, buf, len) == -1);
		return -1;
	}
	CHECK((size_t)a <= at);
	if (khttp_chunked_done(&st)) {
		CHECK(khttp_chunked_scan(&st, buf, len) == 0);
		return a;
	}
	CHECK((size_t)a == at);
	b = khttp_chunked_scan(&st, buf + at, len - at);
	if (b < 0)
		return -1;
	CHECK((size_t)b <= len - at);
	if (khttp_chunked_done(&st))
		return a + b;
	CHECK((size_t)b == len - at);
	return -2;
}

static long chunked_bytewise(const char *buf, size_t len)
{
	struct khttp_chunked st;
	size_t i;

	memset(&st, 0, sizeof(st));
	for (i = 0; i < len; i++) {
		long r = khttp_chunked_scan(&st, buf + i, 1);

		if (r < 0)
			return -1;
		if (khttp_chunked_done(&st)) {
			CHECK(r == 1);
			return i + 1;
		}
		CHECK(r == 1);
	}
	return -2;
}

static void check_chunked(const char *buf, size_t len, size_t at)
{
	long whole = chunked_split(buf, len, len);

	CHECK(whole >= -2 && whole <= (long)len);
	CHECK(chunked_split(buf, len, at) == whole);
	CHECK(chunked_split(buf, len, 0) == whole);
	CHECK(chunked_bytewise(buf, len) == whole);
	/* a body is one only as a whole: no shorter prefix of it ends */
	if (whole > 0) {
		CHECK(chunked_split(buf, whole, whole) == whole);
		CHECK(chunked_split(buf, whole - 1, whole - 1) == -2);
	}
}

static void check_relay(const char *buf, size_t len,
			const struct khttp_limits *l)
{
	struct khttp_req req;
	size_t scan = 0;
	long n = khttp_head_end(buf, len, &scan, l);

	if (n <= 0)
		return;
	check_resp(buf, n, l);
	if (!khttp_parse(&req, buf, n, l))
		check_req_rewrite(buf, n, &req);
	/* and what follows the head as a chunked body */
	check_chunked(buf + n, len - n, (len - n) / 2);
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
		check_relay(buf, size, &lims[i]);
		check_resp(buf, size, &lims[i]);
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
	/* the relay's helpers on any bytes, split where the input says */
	check_rewrite_any(buf, size, size ? (unsigned char)buf[0] * 8 : 0);
	check_chunked(buf, size,
		      size >= 2 ? ((unsigned char)buf[0] << 8 |
				   (unsigned char)buf[1]) % (size + 1) : 0);
	CHECK(khttp_mime_type(buf, size)[0]);
	CHECK(khttp_reason(size ? buf[0] * 4 : 0)[0]);
	return 0;
}
