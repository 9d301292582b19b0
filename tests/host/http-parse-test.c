// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for khttpd's request parser (kernel/http/parse.c), built here
 * as plain C.  Same interface as hist-test.c: "http-parse-test" lists the
 * cases, "http-parse-test CASE" runs one.  Each case walks a table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"

#include "parse.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))
/* a literal and its length, so that requests may hold NUL bytes */
#define R(s)	s, sizeof(s) - 1

static const struct khttp_limits lim = {
	.max_head = 8192, .max_target = 1024, .max_headers = 32,
};

/* @s as a C literal would spell it, for diagnostics */
static const char *show(const char *s, size_t n)
{
	static char buf[4][512];
	static int k;
	char *b = buf[k++ % 4], *o = b;
	size_t i;

	if (!s)
		return "(null)";
	for (i = 0; i < n && o < b + sizeof(buf[0]) - 8; i++) {
		unsigned char c = s[i];

		if (c == '\r')
			o += sprintf(o, "\\r");
		else if (c == '\n')
			o += sprintf(o, "\\n");
		else if (c == '\\' || c == '"')
			o += sprintf(o, "\\%c", c);
		else if (c < ' ' || c >= 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = c;
	}
	*o = '\0';
	return b;
}

static int checks;

#define FAIL(...) do {				\
		if (unit_failed++ < 20) {	\
			printf("# ");		\
			printf(__VA_ARGS__);	\
			putchar('\n');		\
		}				\
	} while (0)

static void eq_long(const char *what, const char *in, size_t n, long got,
		    long want)
{
	checks++;
	if (got != want)
		FAIL("%s \"%s\": got %ld, want %ld", what, show(in, n), got,
		     want);
}

static void eq_str(const char *what, const char *in, size_t n,
		   const struct khttp_str *got, const char *want)
{
	checks++;
	if (!want) {
		if (got->p || got->len)
			FAIL("%s of \"%s\": got \"%s\", want none", what,
			     show(in, n), show(got->p, got->len));
		return;
	}
	if (!got->p || got->len != strlen(want) ||
	    memcmp(got->p, want, got->len))
		FAIL("%s of \"%s\": got \"%s\", want \"%s\"", what, show(in, n),
		     show(got->p, got->len), want);
}

static void summary(void)
{
	printf("# %d checks\n", checks);
}

/* --- khttp_parse --------------------------------------------------------- */

struct req_case {
	const char *raw;
	size_t len;
	int want;		/* 0 or a negative status */
	int method;		/* -1: any */
	int minor;		/* -1: any */
	int keep_alive;		/* -1: any */
	const char *target;	/* NULL: not checked */
	long long clen;		/* -1: none */
};

#define OK(raw, m, minor, ka, target, clen) \
	{ R(raw), 0, m, minor, ka, target, clen }
#define BAD(raw, status) { R(raw), status, -1, -1, -1, NULL, -1 }

#define H11(line) line " HTTP/1.1\r\nHost: a\r\n"

static const struct req_case req_cases[] = {
	OK("GET / HTTP/1.1\r\nHost: a\r\n\r\n", KHTTP_GET, 1, 1, "/", -1),
	OK("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n", KHTTP_HEAD, 1, 1, "/x", -1),
	OK("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n",
	   KHTTP_OTHER, 1, 1, "/f", 5),
	OK("DELETE / HTTP/1.1\r\nHost: a\r\n\r\n", KHTTP_OTHER, 1, 1, "/", -1),
	/* methods are case-sensitive: "get" is some other method */
	OK("get / HTTP/1.1\r\nHost: a\r\n\r\n", KHTTP_OTHER, 1, 1, "/", -1),
	OK("GETS / HTTP/1.1\r\nHost: a\r\n\r\n", KHTTP_OTHER, 1, 1, "/", -1),
	OK("M-S.1_~ / HTTP/1.1\r\nHost: a\r\n\r\n", KHTTP_OTHER, 1, 1, "/", -1),
	OK("GET / HTTP/1.0\r\n\r\n", KHTTP_GET, 0, 0, "/", -1),
	OK("GET / HTTP/1.0\r\nHost: a\r\n\r\n", KHTTP_GET, 0, 0, "/", -1),
	OK("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
	   KHTTP_GET, 0, 1, "/", -1),
	OK("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
	   KHTTP_GET, 0, 1, "/", -1),
	OK("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n",
	   KHTTP_GET, 0, 0, "/", -1),
	OK("GET / HTTP/1.0\r\nConnection: close\r\n"
	   "Connection: keep-alive\r\n\r\n", KHTTP_GET, 0, 0, "/", -1),
	OK(H11("GET /") "Connection: close\r\n\r\n", KHTTP_GET, 1, 0, "/", -1),
	OK(H11("GET /") "connection: Upgrade, CLOSE\r\n\r\n",
	   KHTTP_GET, 1, 0, "/", -1),
	OK(H11("GET /") "Connection: ,, close ,\r\n\r\n",
	   KHTTP_GET, 1, 0, "/", -1),
	OK(H11("GET /") "Connection: closed\r\n\r\n", KHTTP_GET, 1, 1, "/", -1),
	OK(H11("GET /") "Connection: keep-alive\r\n\r\n",
	   KHTTP_GET, 1, 1, "/", -1),
	OK(H11("GET /") "Connection:\r\n\r\n", KHTTP_GET, 1, 1, "/", -1),
	/* bare LF line ends, alone or mixed (RFC 9112 2.2) */
	OK("GET / HTTP/1.1\nHost: a\n\n", KHTTP_GET, 1, 1, "/", -1),
	OK("GET / HTTP/1.1\r\nHost: a\n\r\n", KHTTP_GET, 1, 1, "/", -1),
	/* empty lines before the request line are skipped */
	OK("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
	   KHTTP_GET, 1, 1, "/", -1),
	OK("\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", KHTTP_GET, 1, 1, "/", -1),
	OK("GET /a/b.html?x=1&y=%20 HTTP/1.1\r\nHost: a\r\n\r\n",
	   KHTTP_GET, 1, 1, "/a/b.html?x=1&y=%20", -1),
	OK("GET /~u/!$&'()*+,;=:@-._ HTTP/1.1\r\nHost: a\r\n\r\n",
	   KHTTP_GET, 1, 1, "/~u/!$&'()*+,;=:@-._", -1),
	/* names are case-insensitive; OWS around values is not the value */
	OK("GET / HTTP/1.1\r\nHOST:a\r\ncOnTeNt-LeNgTh: \t 7 \t\r\n\r\n",
	   KHTTP_GET, 1, 1, "/", 7),
	OK(H11("GET /") "Content-Length: 0\r\n\r\n", KHTTP_GET, 1, 1, "/", 0),
	OK(H11("GET /") "Content-Length: 007\r\n\r\n", KHTTP_GET, 1, 1, "/", 7),
	OK(H11("GET /") "Content-Length: 9223372036854775807\r\n\r\n",
	   KHTTP_GET, 1, 1, "/", 9223372036854775807LL),
	OK("GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
	   KHTTP_GET, 1, 1, "/", -1),
	OK("GET / HTTP/1.1\r\nHost: Example.ORG:80\r\n\r\n",
	   KHTTP_GET, 1, 1, "/", -1),
	OK("GET / HTTP/1.1\r\nHost: xn--caf-dma.a_b~c%41\r\n\r\n",
	   KHTTP_GET, 1, 1, "/", -1),
	/* an empty Host is valid (RFC 9110 7.2) */
	OK("GET / HTTP/1.1\r\nHost:\r\n\r\n", KHTTP_GET, 1, 1, "/", -1),
	OK(H11("GET /") "X-Any: caf\xc3\xa9\tok \"q\"\r\n\r\n",
	   KHTTP_GET, 1, 1, "/", -1),
	OK(H11("GET /") "X!#$%&'*+-.^_`|~: v\r\n\r\n",
	   KHTTP_GET, 1, 1, "/", -1),
	OK(H11("GET /") "X-Empty:\r\nX-Spaces:   \r\n\r\n",
	   KHTTP_GET, 1, 1, "/", -1),

	/* the request line */
	BAD("", -400),
	BAD("\r\n", -400),
	BAD("\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\n\r\n", -400),		/* no Host */
	BAD("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET /  HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", -400),
	BAD(" GET / HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET /\r\n\r\n", -400),			/* HTTP/0.9 */
	BAD("GET / \r\n\r\n", -400),
	BAD("GET\r\n\r\n", -400),
	BAD(" / HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("G@T / HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET / http/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.10\r\nHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/11\r\nHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.x\r\nHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/1\r\nHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/ 1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.2\r\nHost: a\r\n\r\n", -505),
	BAD("GET / HTTP/2.0\r\nHost: a\r\n\r\n", -505),
	BAD("GET / HTTP/0.9\r\nHost: a\r\n\r\n", -505),
	BAD("GET / HTTP/9.9\r\n\r\n", -505),
	/* only origin-form targets */
	BAD("GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET a HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET /a\x7f HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	/* line ends: bare CR, NUL, no end */
	BAD("GET / HTTP/1.1\rHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: a\r\n\r\r\n", -400),
	BAD("\rGET / HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHo\0st: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: a\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: a\r\n\r", -400),
	BAD("GET / HTTP/1.1", -400),
	/* bytes past the head */
	BAD("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET", -400),
	/* fields */
	BAD("GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n", -400),	/* obs-fold */
	BAD("GET / HTTP/1.1\r\nHost: a\r\n\tb\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\n Host: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost : a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHo st: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost a\r\n\r\n", -400),
	BAD(H11("GET /") ": a\r\n\r\n", -400),
	BAD(H11("GET /") "X(: a\r\n\r\n", -400),
	BAD(H11("GET /") "X\xc3\xa9: a\r\n\r\n", -400),
	BAD(H11("GET /") "X: a\x01" "b\r\n\r\n", -400),
	BAD(H11("GET /") "X: a\x7f\r\n\r\n", -400),
	BAD(H11("GET /") "X: \x1b[0m\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", -400),
	BAD("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", -400),
	/* a Host no host could be */
	BAD("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: a?b\r\n\r\n", -400),
	BAD("GET / HTTP/1.1\r\nHost: caf\xc3\xa9\r\n\r\n", -400),
	BAD("GET / HTTP/1.0\r\nHost: \"a\"\r\n\r\n", -400),
	/* Content-Length: one field of digits */
	BAD(H11("GET /") "Content-Length: 5, 5\r\n\r\n", -400),
	BAD(H11("GET /") "Content-Length: 5\r\n"
	    "Content-Length: 5\r\n\r\n", -400),
	BAD(H11("GET /") "Content-Length: 5\r\n"
	    "Content-Length: 6\r\n\r\n", -400),
	BAD(H11("GET /") "Content-Length: +5\r\n\r\n", -400),
	BAD(H11("GET /") "Content-Length: -1\r\n\r\n", -400),
	BAD(H11("GET /") "Content-Length: 5 5\r\n\r\n", -400),
	BAD(H11("GET /") "Content-Length: 0x10\r\n\r\n", -400),
	BAD(H11("GET /") "Content-Length:\r\n\r\n", -400),
	BAD(H11("GET /") "Content-Length: 18446744073709551616\r\n\r\n", -400),
	BAD(H11("GET /") "Content-Length: 99999999999999999999\r\n\r\n", -400),
	/* Transfer-Encoding: not taken, and never with Content-Length */
	BAD(H11("POST /") "Transfer-Encoding: chunked\r\n\r\n", -501),
	BAD(H11("POST /") "Transfer-Encoding: gzip, chunked\r\n\r\n", -501),
	BAD(H11("POST /") "Transfer-Encoding: CHUNKED ,\r\n\r\n", -501),
	BAD(H11("POST /") "Transfer-Encoding: gzip\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", -501),
	/* the body's end unknown: 400 (RFC 9112 6.1, 6.3) */
	BAD(H11("POST /") "Transfer-Encoding: gzip\r\n\r\n", -400),
	BAD(H11("POST /") "Transfer-Encoding: chunked, gzip\r\n\r\n", -400),
	BAD(H11("POST /") "Transfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: gzip\r\n\r\n", -400),
	BAD(H11("POST /") "Transfer-Encoding:\r\n\r\n", -400),
	BAD(H11("POST /") "Transfer-Encoding: chunkedx\r\n\r\n", -400),
	BAD("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", -400),
	BAD(H11("POST /") "Transfer-Encoding: chunked\r\n"
	    "Content-Length: 3\r\n\r\n", -400),
	BAD(H11("POST /") "Content-Length: 3\r\n"
	    "transfer-encoding: chunked\r\n\r\n", -400),
	/* conditional fields at most once */
	BAD(H11("GET /") "Range: bytes=0-1\r\nRange: bytes=2-3\r\n\r\n", -400),
	BAD(H11("GET /") "If-None-Match: \"a\"\r\nIf-None-Match: \"b\"\r\n\r\n",
	    -400),
	BAD(H11("GET /") "If-Range: \"a\"\r\nif-range: \"a\"\r\n\r\n", -400),
	BAD(H11("GET /") "If-Modified-Since: x\r\nIf-Modified-Since: x\r\n\r\n",
	    -400),
};

static void check_req(const struct req_case *c)
{
	struct khttp_req req;
	int ret = khttp_parse(&req, c->raw, c->len, &lim);

	eq_long("parse", c->raw, c->len, ret, c->want);
	if (ret)
		eq_long("keep_alive on error", c->raw, c->len, req.keep_alive,
			0);
	if (ret || c->want)
		return;
	if (c->method >= 0)
		eq_long("method", c->raw, c->len, req.method, c->method);
	if (c->minor >= 0)
		eq_long("minor", c->raw, c->len, req.minor, c->minor);
	if (c->keep_alive >= 0)
		eq_long("keep_alive", c->raw, c->len, req.keep_alive,
			c->keep_alive);
	if (c->target)
		eq_str("target", c->raw, c->len, &req.target, c->target);
	eq_long("has_content_length", c->raw, c->len, req.has_content_length,
		c->clen >= 0);
	if (c->clen >= 0)
		eq_long("content_length", c->raw, c->len,
			(long)req.content_length, (long)c->clen);
}

static void t_parse(void)
{
	size_t i;

	for (i = 0; i < N(req_cases); i++)
		check_req(&req_cases[i]);
	summary();
}

/* The fields the server acts on, as their values with OWS stripped. */
static void t_parse_fields(void)
{
	static const char raw[] =
		"GET /img.png HTTP/1.1\r\n"
		"User-Agent: test\r\n"
		"host: example.org:8080\r\n"
		"If-None-Match:  W/\"x\", \"y\" \r\n"
		"If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
		"Range:\tbytes=0-99\t\r\n"
		"IF-RANGE: \"y\"\r\n"
		"Accept: */*\r\n"
		"\r\n";
	struct khttp_req req;
	int ret = khttp_parse(&req, raw, sizeof(raw) - 1, &lim);

	eq_long("parse", raw, 20, ret, 0);
	eq_long("nheaders", raw, 20, req.nheaders, 7);
	eq_long("has_host", raw, 20, req.has_host, 1);
	eq_long("has_transfer_encoding", raw, 20, req.has_transfer_encoding, 0);
	eq_str("method_name", raw, 20, &req.method_name, "GET");
	eq_str("if_none_match", raw, 20, &req.if_none_match, "W/\"x\", \"y\"");
	eq_str("if_modified_since", raw, 20, &req.if_modified_since,
	       "Sun, 06 Nov 1994 08:49:37 GMT");
	eq_str("range", raw, 20, &req.range, "bytes=0-99");
	eq_str("if_range", raw, 20, &req.if_range, "\"y\"");

	ret = khttp_parse(&req, R("GET / HTTP/1.0\r\n\r\n"), &lim);
	eq_long("parse", "1.0", 3, ret, 0);
	eq_long("has_host", "1.0", 3, req.has_host, 0);
	eq_long("nheaders", "1.0", 3, req.nheaders, 0);
	eq_str("range", "1.0", 3, &req.range, NULL);
	eq_str("if_none_match", "1.0", 3, &req.if_none_match, NULL);
	eq_str("if_modified_since", "1.0", 3, &req.if_modified_since, NULL);
	eq_str("if_range", "1.0", 3, &req.if_range, NULL);
	summary();
}

/* max_target, max_headers and max_head, each at the limit and past it. */
static void t_parse_limits(void)
{
	static char buf[16384];
	const struct khttp_limits small = {
		.max_head = 256, .max_target = 16, .max_headers = 3,
	};
	struct khttp_req req;
	int n, ret;

	n = sprintf(buf, "GET /%s HTTP/1.1\r\nHost: a\r\n\r\n",
		    "234567890123456");
	ret = khttp_parse(&req, buf, n, &small);
	eq_long("target of max_target", buf, n, ret, 0);
	n = sprintf(buf, "GET /%s HTTP/1.1\r\nHost: a\r\n\r\n",
		    "2345678901234567");
	ret = khttp_parse(&req, buf, n, &small);
	eq_long("target past max_target", buf, n, ret, -414);
	eq_long("minor after 414", buf, n, req.minor, 1);
	n = sprintf(buf, "GET /%s HTTP/1.0\r\n\r\n", "2345678901234567");
	ret = khttp_parse(&req, buf, n, &small);
	eq_long("1.0 target past max_target", buf, n, ret, -414);
	eq_long("minor after 414", buf, n, req.minor, 0);

	n = sprintf(buf, "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n");
	ret = khttp_parse(&req, buf, n, &small);
	eq_long("max_headers fields", buf, n, ret, 0);
	n = sprintf(buf, "GET / HTTP/1.1\r\nHost: a\r\n"
		    "A: 1\r\nB: 2\r\nC: 3\r\n\r\n");
	ret = khttp_parse(&req, buf, n, &small);
	eq_long("past max_headers", buf, n, ret, -431);

	n = sprintf(buf, "GET / HTTP/1.1\r\nHost: a\r\nA: %0*d\r\n\r\n",
		    256 - 32, 0);
	eq_long("head length", buf, 0, n, 256);
	ret = khttp_parse(&req, buf, n, &small);
	eq_long("head of max_head", buf, 40, ret, 0);
	n = sprintf(buf, "GET / HTTP/1.1\r\nHost: a\r\nA: %0*d\r\n\r\n",
		    256 - 31, 0);
	ret = khttp_parse(&req, buf, n, &small);
	eq_long("head past max_head", buf, 40, ret, -431);

	/* minor as far as read, keep_alive false, on every error */
	ret = khttp_parse(&req,
			  R("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"),
			  &lim);
	eq_long("two hosts", "", 0, ret, -400);
	eq_long("minor after 400", "", 0, req.minor, 0);
	eq_long("keep_alive after 400", "", 0, req.keep_alive, 0);
	ret = khttp_parse(&req, R("GET / HTTP/1.3\r\nHost: a\r\n\r\n"), &lim);
	eq_long("1.3", "", 0, ret, -505);
	eq_long("minor after 505", "", 0, req.minor, 1);
	ret = khttp_parse(&req, R("GET / HTTP/1.0\r\nX: \x01\r\n\r\n"), &lim);
	eq_long("ctl", "", 0, ret, -400);
	eq_long("minor after 400", "", 0, req.minor, 0);
	summary();
}

/* --- khttp_head_end ------------------------------------------------------ */

struct head_case {
	const char *raw;
	size_t len;
	long want;
};

static const struct head_case head_cases[] = {
	{ R("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), 27 },
	{ R("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\n"), 27 },
	{ R("GET / HTTP/1.1\r\nHost: a\r\n\r\nbody"), 27 },
	{ R("GET / HTTP/1.1\nHost: a\n\n"), 24 },
	{ R("GET / HTTP/1.1\r\nHost: a\n\r\n"), 26 },
	{ R("GET / HTTP/1.1\r\nHost: a\r\n\n"), 26 },
	{ R("GET / HTTP/1.0\r\n\r\n"), 18 },
	{ R("\r\n\r\nGET / HTTP/1.0\r\n\r\n"), 22 },
	{ R("\n\n\r\nGET / HTTP/1.0\n\n"), 20 },
	{ R("x\n\n"), 3 },
	{ R("GET / HTTP/1.1\r\nHost: a\r\n"), 0 },
	{ R("GET / HTTP/1.1\r\nHost: a\r\n\r"), 0 },
	{ R("GET / HTTP/1.1\r"), 0 },
	{ R("\r\n\r\n\r\n\n\n"), 0 },
	{ R("\r"), 0 },
	{ R(""), 0 },
	{ R("GET / HTTP/1.1\r\n\0\r\n\r\n"), -400 },
	{ R("\0"), -400 },
	{ R("\r\n\0"), -400 },
	{ R("GET\r / HTTP/1.1\r\n\r\n"), -400 },
	{ R("GET / HTTP/1.1\r\r\n\r\n"), -400 },
	{ R("GET / HTTP/1.1\r\n\r\r\n"), -400 },
	{ R("\r\r\n"), -400 },
	{ R("\rGET"), -400 },
	/* NUL past the end of the head is not the head's business */
	{ R("GET / HTTP/1.0\r\n\r\n\0"), 18 },
};

/* Whole, in pieces of @step bytes, and the scan always moving forward. */
static long head_in_pieces(const char *raw, size_t len, size_t step,
			   const struct khttp_limits *l)
{
	size_t scan = 0, k = 0;
	long ret;

	for (;;) {
		size_t before = scan;

		k = k + step < len ? k + step : len;
		ret = khttp_head_end(raw, k, &scan, l);
		if (ret)
			return ret;
		/* resumed, not restarted: at most the CR before k is kept */
		if (scan < before || scan + 1 < k) {
			FAIL("scan at %zu of %zu after \"%s\"", scan, k,
			     show(raw, k));
			return -1;
		}
		if (k == len)
			return 0;
	}
}

static void t_head_end(void)
{
	static const size_t steps[] = { 1, 2, 3, 7, 100000 };
	size_t i, j;

	for (i = 0; i < N(head_cases); i++) {
		const struct head_case *c = &head_cases[i];

		for (j = 0; j < N(steps); j++)
			eq_long("head_end", c->raw, c->len,
				head_in_pieces(c->raw, c->len, steps[j], &lim),
				c->want);
	}
	summary();
}

static void t_head_end_limit(void)
{
	static char buf[600];
	const struct khttp_limits small = {
		.max_head = 64, .max_target = 16, .max_headers = 3,
	};
	size_t scan, step;
	int n;

	for (step = 1; step <= 64; step *= 4) {
		n = sprintf(buf, "GET / HTTP/1.1\r\nHost: a\r\nA: %0*d\r\n\r\n",
			    64 - 32, 0);
		eq_long("length", "", 0, n, 64);
		eq_long("head of max_head", buf, 30,
			head_in_pieces(buf, n, step, &small), 64);
		n = sprintf(buf, "GET / HTTP/1.1\r\nHost: a\r\nA: %0*d\r\n\r\n",
			    64 - 31, 0);
		eq_long("head past max_head", buf, 30,
			head_in_pieces(buf, n, step, &small), -431);
		/* the limit holds with no end in sight, CR last included */
		memset(buf, 'a', sizeof(buf));
		eq_long("64 bytes, no end", buf, 10,
			head_in_pieces(buf, 64, step, &small), -431);
		eq_long("63 bytes, no end", buf, 10,
			head_in_pieces(buf, 63, step, &small), 0);
		buf[63] = '\r';
		eq_long("CR at the limit", buf, 10,
			head_in_pieces(buf, 64, step, &small), -431);
		eq_long("CR at the limit", buf, 10,
			head_in_pieces(buf, 600, step, &small), -431);
	}
	/* a stale *scan beyond the data restarts the scan */
	scan = 1000;
	eq_long("stale scan", "", 0,
		khttp_head_end(R("GET / HTTP/1.0\r\n\r\n"), &scan, &lim), 18);
	eq_long("scan reset", "", 0, scan, 0);
	summary();
}

/* Fed a byte at a time, a long head costs O(length): time it roughly. */
static void t_head_end_linear(void)
{
	static char buf[1 << 20];
	const struct khttp_limits big = {
		.max_head = sizeof(buf), .max_target = 16, .max_headers = 3,
	};
	struct timespec a, b;
	size_t scan = 0, k;
	long ret = 0;
	double secs;

	memset(buf, 'a', sizeof(buf));
	memcpy(buf + sizeof(buf) - 4, "\r\n\r\n", 4);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (k = 1; k <= sizeof(buf) && !ret; k++)
		ret = khttp_head_end(buf, k, &scan, &big);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	eq_long("1 MiB byte by byte", "", 0, ret, sizeof(buf));
	/* quadratic would be 5e11 steps; linear is milliseconds */
	if (secs > 2)
		FAIL("1 MiB byte by byte took %.2f s", secs);
	summary();
}

/* --- khttp_decode_path --------------------------------------------------- */

struct path_case {
	const char *target;
	size_t len;
	long want;		/* length, or a negative status */
	const char *out;
	int dir;
};

#define PATH_OK(t, out, dir) { R(t), sizeof(out) - 1, out, dir }
#define PATH_BAD(t) { R(t), -400, "", 0 }

static const struct path_case path_cases[] = {
	PATH_OK("/", "", 1),
	PATH_OK("/?", "", 1),
	PATH_OK("/?a=/../b", "", 1),
	PATH_OK("/index.html", "index.html", 0),
	PATH_OK("/a/b/c.txt", "a/b/c.txt", 0),
	PATH_OK("/a/b/", "a/b", 1),
	PATH_OK("/a/", "a", 1),
	PATH_OK("/a?x=../../etc/passwd", "a", 0),
	PATH_OK("/a/?x", "a", 1),
	PATH_OK("/a%20b", "a b", 0),
	PATH_OK("/%41%62%63", "Abc", 0),
	PATH_OK("/%7e%7E", "~~", 0),
	PATH_OK("/caf%C3%A9.txt", "caf\xc3\xa9.txt", 0),
	PATH_OK("/a%3Fb", "a?b", 0),
	PATH_OK("/x%25y", "x%y", 0),
	PATH_OK("/a.b.c", "a.b.c", 0),
	PATH_OK("/a./b.", "a./b.", 0),
	PATH_OK("/a%2Eb", "a.b", 0),
	PATH_OK("/~user/!$&'()*+,;=:@-_", "~user/!$&'()*+,;=:@-_", 0),
	/* overlong UTF-8 for '.' and '/' are just bytes to the VFS */
	PATH_OK("/%c0%ae%c0%ae/%c0%af", "\xc0\xae\xc0\xae/\xc0\xaf", 0),

	/* traversal, in every spelling */
	PATH_BAD("/.."),
	PATH_BAD("/../"),
	PATH_BAD("/../etc/passwd"),
	PATH_BAD("/a/../../etc/passwd"),
	PATH_BAD("/a/.."),
	PATH_BAD("/a/../"),
	PATH_BAD("/%2e%2e/etc/passwd"),
	PATH_BAD("/%2E%2E/etc/passwd"),
	PATH_BAD("/%2e%2E/x"),
	PATH_BAD("/.%2e/x"),
	PATH_BAD("/.%2E/x"),
	PATH_BAD("/%2e./x"),
	PATH_BAD("/%2E."),
	PATH_BAD("/a/%2e%2e"),
	PATH_BAD("/a/%2e%2e/"),
	PATH_BAD("/a/%2e%2e?x"),
	PATH_BAD("/."),
	PATH_BAD("/./"),
	PATH_BAD("/./a"),
	PATH_BAD("/a/./b"),
	PATH_BAD("/a/."),
	PATH_BAD("/%2e"),
	PATH_BAD("/%2E/a"),
	/* encoded separators cannot build a ".." segment */
	PATH_BAD("/a%2f..%2fb"),
	PATH_BAD("/a%2F%2E%2E%2Fetc"),
	PATH_BAD("/..%2fetc"),
	PATH_BAD("/%2e%2e%2fetc%2fpasswd"),
	PATH_BAD("/a%2fb"),
	PATH_BAD("/%2f"),
	PATH_BAD("/..%5cetc"),
	PATH_BAD("/..\\etc"),
	PATH_BAD("/a\\b"),
	PATH_BAD("/%5c"),
	PATH_BAD("/%5C..%5C"),
	/* ".." inside a name, dot files, "..." */
	PATH_BAD("/a..b"),
	PATH_BAD("/..."),
	PATH_BAD("/..../x"),
	PATH_BAD("/.git/config"),
	PATH_BAD("/.well-known/security.txt"),
	PATH_BAD("/a/.hidden"),
	PATH_BAD("/a/%2ehidden"),
	/* empty segments */
	PATH_BAD("//"),
	PATH_BAD("//etc/passwd"),
	PATH_BAD("/a//b"),
	PATH_BAD("/a/b//"),
	PATH_BAD("//?x"),
	/* NUL, controls, DEL, decoded or raw */
	PATH_BAD("/%00"),
	PATH_BAD("/a%00.html"),
	PATH_BAD("/..%00/"),
	PATH_BAD("/a%0d%0aSet-Cookie:x"),
	PATH_BAD("/a%0A"),
	PATH_BAD("/%1f"),
	PATH_BAD("/%7f"),
	PATH_BAD("/%7F"),
	PATH_BAD("/a\x01"),
	PATH_BAD("/a\0b"),
	PATH_BAD("/a b"),
	PATH_BAD("/a\tb"),
	PATH_BAD("/\x7f"),
	PATH_BAD("/\x80"),
	PATH_BAD("/caf\xc3\xa9"),
	PATH_BAD("/a#b"),
	/* '%' without two hex digits */
	PATH_BAD("/%"),
	PATH_BAD("/a%"),
	PATH_BAD("/%2"),
	PATH_BAD("/%2?x"),
	PATH_BAD("/%zz"),
	PATH_BAD("/%g0"),
	PATH_BAD("/%0g"),
	PATH_BAD("/%+1"),
	PATH_BAD("/% 1"),
	/* not origin-form */
	PATH_BAD(""),
	PATH_BAD("a/b"),
	PATH_BAD("*"),
	PATH_BAD("http://x/"),
	PATH_BAD("?x"),
	PATH_BAD("%2fetc"),
};

static void t_decode_path(void)
{
	size_t i;

	for (i = 0; i < N(path_cases); i++) {
		const struct path_case *c = &path_cases[i];
		struct khttp_str t = { c->len ? c->target : NULL, c->len };
		char out[256];
		bool dir = true;
		long ret;

		memset(out, 'X', sizeof(out));
		ret = khttp_decode_path(&t, out, sizeof(out), &dir);
		eq_long("decode_path", c->target, c->len, ret, c->want);
		checks++;
		if (ret >= 0 && (memcmp(out, c->out, ret + 1) || dir != c->dir))
			FAIL("decode_path \"%s\": \"%s\" dir %d, "
			     "want \"%s\" dir %d",
			     show(c->target, c->len), show(out, ret), dir,
			     show(c->out, strlen(c->out)), c->dir);
		if (ret < 0 && (out[0] || dir))
			FAIL("decode_path \"%s\": error left \"%s\", dir %d",
			     show(c->target, c->len), show(out, 8), dir);
	}
	summary();
}

/* decode @t (of @len bytes) into @outsz bytes: want @want, and *dir */
static void room(const char *t, size_t len, size_t outsz, long want, int dir)
{
	struct khttp_str s = { t, len };
	char out[16];
	bool d;
	long ret = khttp_decode_path(&s, out, outsz, &d);

	eq_long("decode_path, room", t, len, ret, want);
	if (ret >= 0)
		eq_long("decode_path, room: dir", t, len, d, dir);
}

/* @outsz bounds the result and its NUL. */
static void t_decode_path_room(void)
{
	room("/abc/de", 7, 7, 6, 0);
	room("/abc/de", 7, 6, -414, 0);
	room("/abc/de", 7, 1, -414, 0);
	room("/abc/de", 7, 0, -414, 0);
	room("/abc/", 5, 4, 3, 1);
	room("/abc/", 5, 3, -414, 0);
	room("/", 1, 1, 0, 1);
	room("/", 1, 0, -414, 0);
	room("/%41%42", 7, 3, 2, 0);
	room("/%41%42", 7, 2, -414, 0);
	summary();
}

/* --- khttp_range --------------------------------------------------------- */

struct range_case {
	const char *value;	/* NULL: no Range field */
	unsigned long long size;
	int want;
	unsigned long long first, last;
};

#define MAX64 18446744073709551615ULL

static const struct range_case range_cases[] = {
	{ "bytes=0-499", 1000, 0, 0, 499 },
	{ "bytes=500-999", 1000, 0, 500, 999 },
	{ "bytes=500-", 1000, 0, 500, 999 },
	{ "bytes=-500", 1000, 0, 500, 999 },
	{ "bytes=-1", 1000, 0, 999, 999 },
	{ "bytes=-1000", 1000, 0, 0, 999 },
	{ "bytes=-2000", 1000, 0, 0, 999 },
	{ "bytes=0-0", 1, 0, 0, 0 },
	{ "bytes=0-", 1, 0, 0, 0 },
	{ "bytes=0-5000", 1000, 0, 0, 999 },
	{ "bytes=999-999", 1000, 0, 999, 999 },
	{ "bytes=999-", 1000, 0, 999, 999 },
	{ "bytes=007-008", 1000, 0, 7, 8 },
	{ "BYTES=0-1", 10, 0, 0, 1 },
	{ "Bytes=2-3", 10, 0, 2, 3 },
	{ "bytes= 0-1", 10, 0, 0, 1 },
	{ "bytes=0-1 ,", 10, 0, 0, 1 },
	{ "bytes=,\t0-1", 10, 0, 0, 1 },
	{ "bytes=0-99999999999999999999999", 1000, 0, 0, 999 },
	{ "bytes=-99999999999999999999999", 1000, 0, 0, 999 },
	{ "bytes=0-", MAX64, 0, 0, MAX64 - 1 },
	{ "bytes=-1", MAX64, 0, MAX64 - 1, MAX64 - 1 },
	{ "bytes=18446744073709551614-", MAX64, 0, MAX64 - 1, MAX64 - 1 },
	/* unsatisfiable */
	{ "bytes=1000-", 1000, -416 , 0, 0 },
	{ "bytes=1000-2000", 1000, -416 , 0, 0 },
	{ "bytes=-0", 1000, -416 , 0, 0 },
	{ "bytes=-000", 1000, -416 , 0, 0 },
	{ "bytes=0-", 0, -416 , 0, 0 },
	{ "bytes=0-0", 0, -416 , 0, 0 },
	{ "bytes=18446744073709551616-", 1000, -416 , 0, 0 },
	{ "bytes=99999999999999999999999-", MAX64, -416 , 0, 0 },
	{ "bytes=18446744073709551615-", MAX64, -416 , 0, 0 },
	/* ignored: the whole file with 200 */
	{ NULL, 1000, 1, 0, 0 },
	{ "", 1000, 1 , 0, 0 },
	{ "bytes=-5", 0, 1 , 0, 0 },
	{ "bytes=5-4", 1000, 1 , 0, 0 },
	{ "bytes=99999999999999999999-5", 1000, 1 , 0, 0 },
	{ "bytes=0-1,3-4", 1000, 1 , 0, 0 },
	{ "bytes=0-1, 3-4", 1000, 1 , 0, 0 },
	{ "bytes=0-1,0-1", 1000, 1 , 0, 0 },
	{ "bytes=0-1,x", 1000, 1 , 0, 0 },
	{ "bytes = 0-1", 1000, 1 , 0, 0 },
	{ "bytes =0-1", 1000, 1 , 0, 0 },
	{ "bytes=0 -1", 1000, 1 , 0, 0 },
	{ "bytes=0- 1", 1000, 1 , 0, 0 },
	{ "bytes=", 1000, 1 , 0, 0 },
	{ "bytes=,", 1000, 1 , 0, 0 },
	{ "bytes=-", 1000, 1 , 0, 0 },
	{ "bytes=--5", 1000, 1 , 0, 0 },
	{ "bytes=1-2-3", 1000, 1 , 0, 0 },
	{ "bytes=+1-2", 1000, 1 , 0, 0 },
	{ "bytes=1-+2", 1000, 1 , 0, 0 },
	{ "bytes=a-b", 1000, 1 , 0, 0 },
	{ "bytes=1", 1000, 1 , 0, 0 },
	{ "bytes=0x1-2", 1000, 1 , 0, 0 },
	{ "bytes0-1", 1000, 1 , 0, 0 },
	{ "bytes:0-1", 1000, 1 , 0, 0 },
	{ "items=0-1", 1000, 1 , 0, 0 },
	{ "byte=0-1", 1000, 1 , 0, 0 },
	{ "bytesx=0-1", 1000, 1 , 0, 0 },
};

static void t_range(void)
{
	size_t i;

	for (i = 0; i < N(range_cases); i++) {
		const struct range_case *c = &range_cases[i];
		struct khttp_str r = {
			c->value, c->value ? strlen(c->value) : 0
		};
		u64 first = 12345, last = 12345;
		int ret = khttp_range(&r, c->size, &first, &last);

		eq_long("range", c->value, r.len, ret, c->want);
		checks++;
		if (!ret && (first != c->first || last != c->last))
			FAIL("range \"%s\" of %llu: %llu-%llu, want %llu-%llu",
			     show(c->value, r.len), c->size,
			     (unsigned long long)first,
			     (unsigned long long)last, c->first, c->last);
	}
	summary();
}

/* --- dates --------------------------------------------------------------- */

static const struct {
	long long t;
	const char *s;
} date_cases[] = {
	{ 0, "Thu, 01 Jan 1970 00:00:00 GMT" },
	{ 784111777, "Sun, 06 Nov 1994 08:49:37 GMT" },
	{ 946684799, "Fri, 31 Dec 1999 23:59:59 GMT" },
	{ 951782400, "Tue, 29 Feb 2000 00:00:00 GMT" },
	{ 68169600, "Tue, 29 Feb 1972 00:00:00 GMT" },
	{ 1000000000, "Sun, 09 Sep 2001 01:46:40 GMT" },
	{ 2147483647, "Tue, 19 Jan 2038 03:14:07 GMT" },
	{ 2147483648LL, "Tue, 19 Jan 2038 03:14:08 GMT" },
	{ 4102444800LL, "Fri, 01 Jan 2100 00:00:00 GMT" },
	{ 253402300799LL, "Fri, 31 Dec 9999 23:59:59 GMT" },
	{ -1, "Wed, 31 Dec 1969 23:59:59 GMT" },
	{ -62135596800LL, "Mon, 01 Jan 0001 00:00:00 GMT" },
};

static void t_date_format(void)
{
	char out[KHTTP_DATE_LEN + 1];
	size_t i;

	for (i = 0; i < N(date_cases); i++) {
		memset(out, 'X', sizeof(out));
		khttp_date_format(date_cases[i].t, out);
		checks++;
		if (strcmp(out, date_cases[i].s))
			FAIL("format %lld: \"%s\", want \"%s\"",
			     date_cases[i].t, show(out, sizeof(out)),
			     date_cases[i].s);
	}
	/* clamped to years 0001-9999 */
	khttp_date_format(253402300800LL, out);
	eq_long("clamp high", out, 29,
		strcmp(out, "Fri, 31 Dec 9999 23:59:59 GMT"), 0);
	khttp_date_format(9223372036854775807LL, out);
	eq_long("clamp s64 max", out, 29,
		strcmp(out, "Fri, 31 Dec 9999 23:59:59 GMT"), 0);
	khttp_date_format(-9223372036854775807LL - 1, out);
	eq_long("clamp s64 min", out, 29,
		strcmp(out, "Mon, 01 Jan 0001 00:00:00 GMT"), 0);
	summary();
}

/* Against libc's gmtime over four centuries and beyond, both ways. */
static void t_date_roundtrip(void)
{
	char out[KHTTP_DATE_LEN + 1], want[64];
	unsigned long long x = 88172645463325252ULL;
	long long t;
	int i;

	for (i = 0; i < 200000; i++) {
		struct khttp_str s = { out, KHTTP_DATE_LEN };
		time_t tt;
		struct tm tm;
		s64 back;

		if (i < 100000) {
			/* every 0.93 days from 1900, across leap days */
			t = -2208988800LL + i * 80000LL + i % 86400;
		} else {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			t = -62135596800LL + (long long)(x % 315537897600ULL);
		}
		tt = t;
		gmtime_r(&tt, &tm);
		snprintf(want, sizeof(want),
			 "%s, %02d %s %04d %02d:%02d:%02d GMT",
			 (const char *[]){ "Sun", "Mon", "Tue", "Wed", "Thu",
					   "Fri", "Sat" }[tm.tm_wday],
			 tm.tm_mday,
			 (const char *[]){ "Jan", "Feb", "Mar", "Apr", "May",
					   "Jun", "Jul", "Aug", "Sep", "Oct",
					   "Nov", "Dec" }[tm.tm_mon],
			 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
		khttp_date_format(t, out);
		checks++;
		if (strcmp(out, want))
			FAIL("format %lld: \"%s\", gmtime says \"%s\"", t, out,
			     want);
		checks++;
		if (khttp_date_parse(&s, &back) || back != t)
			FAIL("parse \"%s\": %lld, want %lld", out,
			     (long long)back, t);
	}
	summary();
}

static const struct {
	const char *s;
	int ok;
	long long t;
} parse_dates[] = {
	{ "Sun, 06 Nov 1994 08:49:37 GMT", 1, 784111777 },
	{ "Sunday, 06-Nov-94 08:49:37 GMT", 1, 784111777 },
	{ "Sun Nov  6 08:49:37 1994", 1, 784111777 },
	{ "Sun Nov 06 08:49:37 1994", 1, 784111777 },
	{ "Tue, 29 Feb 2000 00:00:00 GMT", 1, 951782400 },
	{ "Tuesday, 29-Feb-00 00:00:00 GMT", 1, 951782400 },
	{ "Tue Feb 29 00:00:00 2000", 1, 951782400 },
	{ "Thursday, 01-Jan-70 00:00:00 GMT", 1, 0 },
	{ "Wednesday, 31-Dec-69 23:59:59 GMT", 1, 3155759999LL },
	{ "Tuesday, 19-Jan-38 03:14:08 GMT", 1, 2147483648LL },
	{ "Tue Jan 19 03:14:08 2038", 1, 2147483648LL },
	{ "Fri, 01 Jan 2100 00:00:00 GMT", 1, 4102444800LL },
	{ "Fri, 31 Dec 9999 23:59:59 GMT", 1, 253402300799LL },
	{ "Mon, 01 Jan 0001 00:00:00 GMT", 1, -62135596800LL },
	{ "Wed, 31 Dec 1969 23:59:59 GMT", 1, -1 },
	{ "Sun, 06 Nov 1994 08:49:60 GMT", 1, 784111800 },
	/* the day name is not checked against the date */
	{ "Mon, 06 Nov 1994 08:49:37 GMT", 1, 784111777 },
	{ "", 0, 0 },
	{ "Sun, 06 Nov 1994 08:49:37 UTC", 0, 0 },
	{ "Sun, 06 Nov 1994 08:49:37 gmt", 0, 0 },
	{ "sun, 06 Nov 1994 08:49:37 GMT", 0, 0 },
	{ "Sun, 06 nov 1994 08:49:37 GMT", 0, 0 },
	{ "Sun, 06 Nvo 1994 08:49:37 GMT", 0, 0 },
	{ "Xyz, 06 Nov 1994 08:49:37 GMT", 0, 0 },
	{ "Sun, 6 Nov 1994 08:49:37 GMT", 0, 0 },
	{ "Sun, 06 Nov 1994 8:49:37 GMT", 0, 0 },
	{ "Sun, 06 Nov 94 08:49:37 GMT", 0, 0 },
	{ "Sun, 06 Nov 1994 08:49:37 GMT ", 0, 0 },
	{ " Sun, 06 Nov 1994 08:49:37 GMT", 0, 0 },
	{ "Sun,  06 Nov 1994 08:49:37 GMT", 0, 0 },
	{ "Sun, 06 Nov 1994 08-49-37 GMT", 0, 0 },
	{ "Sun, 06 Nov 1994 24:00:00 GMT", 0, 0 },
	{ "Sun, 06 Nov 1994 23:60:00 GMT", 0, 0 },
	{ "Sun, 06 Nov 1994 23:59:61 GMT", 0, 0 },
	{ "Sun, 00 Nov 1994 08:49:37 GMT", 0, 0 },
	{ "Sun, 31 Nov 1994 08:49:37 GMT", 0, 0 },
	{ "Sun, 32 Dec 1994 08:49:37 GMT", 0, 0 },
	{ "Sun, 29 Feb 2001 08:49:37 GMT", 0, 0 },
	{ "Sun, 29 Feb 1900 08:49:37 GMT", 0, 0 },
	{ "Sun, 06 Nov 0000 08:49:37 GMT", 0, 0 },
	{ "Sun, 06 Nov 19x4 08:49:37 GMT", 0, 0 },
	{ "Sun, 06 Nov -994 08:49:37 GMT", 0, 0 },
	{ "Sun, +6 Nov 1994 08:49:37 GMT", 0, 0 },
	{ "Sunday, 06-Nov-1994 08:49:37 GMT", 0, 0 },
	{ "Sun, 06-Nov-94 08:49:37 GMT", 0, 0 },
	{ "Sunday, 06 Nov 94 08:49:37 GMT", 0, 0 },
	{ "Sunday, 06-Nov-94 08:49:37 UTC", 0, 0 },
	{ "sunday, 06-Nov-94 08:49:37 GMT", 0, 0 },
	{ "Sundays, 06-Nov-94 08:49:37 GMT", 0, 0 },
	{ "Sun Nov  6 08:49:37 94", 0, 0 },
	{ "Sun Nov 6 08:49:37 1994", 0, 0 },
	{ "Sun Nov  6 08:49:37 1994 ", 0, 0 },
	{ "Sun Nov 6  08:49:37 1994", 0, 0 },
	{ "Sun Nov 31 08:49:37 1994", 0, 0 },
	{ "Sun Nov  6 08:49:37 1994 GMT", 0, 0 },
	{ "784111777", 0, 0 },
};

static void t_date_parse(void)
{
	size_t i;

	for (i = 0; i < N(parse_dates); i++) {
		const char *str = parse_dates[i].s;
		struct khttp_str s = { str, strlen(str) };
		s64 t = 42;
		int ret;

		ret = khttp_date_parse(&s, &t);
		eq_long("date_parse", str, s.len, ret,
			parse_dates[i].ok ? 0 : -1);
		if (parse_dates[i].ok)
			eq_long("date_parse t", str, s.len, t,
				parse_dates[i].t);
	}
	{
		struct khttp_str none = { NULL, 0 };
		struct khttp_str nul = { R("Sun, 06 Nov 1994 08:49:37 GMT\0") };
		struct khttp_str cut = { "Sun, 06 Nov 1994 08:49:37 GMT", 28 };
		s64 t;

		eq_long("date_parse absent", "", 0, khttp_date_parse(&none, &t),
			-1);
		eq_long("date_parse NUL after", nul.p, nul.len,
			khttp_date_parse(&nul, &t), -1);
		eq_long("date_parse cut short", cut.p, cut.len,
			khttp_date_parse(&cut, &t), -1);
	}
	summary();
}

/* --- entity tags --------------------------------------------------------- */

static const struct {
	const char *inm;
	const char *etag;
	int match;
} etag_cases[] = {
	{ "\"abc\"", "\"abc\"", 1 },
	{ "W/\"abc\"", "\"abc\"", 1 },
	{ "\"abc\"", "W/\"abc\"", 1 },
	{ "W/\"abc\"", "W/\"abc\"", 1 },
	{ "\"x\", \"abc\"", "\"abc\"", 1 },
	{ "\"x\",\"abc\"", "\"abc\"", 1 },
	{ "\"x\" , W/\"abc\" ", "\"abc\"", 1 },
	{ " \t\"abc\"\t ", "\"abc\"", 1 },
	{ ", ,\"abc\",", "\"abc\"", 1 },
	{ "\"\"", "\"\"", 1 },
	{ "\"a\x80z\"", "\"a\x80z\"", 1 },
	{ "*", "\"abc\"", 1 },
	{ " * ", "\"abc\"", 1 },
	{ "*, \"abc\"", "\"abc\"", 0 },
	{ "\"abc\", *", "\"abc\"", 0 },
	{ "\"abd\"", "\"abc\"", 0 },
	{ "\"ABC\"", "\"abc\"", 0 },
	{ "\"abc\"", "\"abcd\"", 0 },
	{ "\"abcd\"", "\"abc\"", 0 },
	{ "abc", "\"abc\"", 0 },
	{ "\"abc", "\"abc\"", 0 },
	{ "abc\"", "\"abc\"", 0 },
	{ "w/\"abc\"", "\"abc\"", 0 },
	{ "W/ \"abc\"", "\"abc\"", 0 },
	{ "W\"abc\"", "\"abc\"", 0 },
	{ "\"abc\" junk", "\"abc\"", 0 },
	{ "\"a\" \"abc\"", "\"abc\"", 0 },
	{ "\"abc\", \"bad", "\"abc\"", 0 },
	{ "\"ab c\"", "\"ab c\"", 0 },
	{ "\"ab\x01\"", "\"ab\x01\"", 0 },
	{ "", "\"abc\"", 0 },
	{ ",", "\"abc\"", 0 },
	{ "**", "\"abc\"", 0 },
	{ NULL, "\"abc\"", 0 },
};

static void t_etag(void)
{
	size_t i;

	for (i = 0; i < N(etag_cases); i++) {
		const char *v = etag_cases[i].inm;
		struct khttp_str s = { v, v ? strlen(v) : 0 };
		bool m = khttp_etag_match(&s, etag_cases[i].etag,
					  strlen(etag_cases[i].etag));

		eq_long("etag_match", v, s.len, m, etag_cases[i].match);
	}
	summary();
}

/* --- MIME types, escaping, reasons --------------------------------------- */

static void t_mime(void)
{
	static const struct {
		const char *name, *type;
	} cases[] = {
		{ "index.html", "text/html; charset=utf-8" },
		{ "INDEX.HTM", "text/html; charset=utf-8" },
		{ "a/b/style.css", "text/css; charset=utf-8" },
		{ "app.Js", "text/javascript; charset=utf-8" },
		{ "mod.mjs", "text/javascript; charset=utf-8" },
		{ "d.json", "application/json" },
		{ "readme.txt", "text/plain; charset=utf-8" },
		{ "feed.xml", "application/xml" },
		{ "logo.svg", "image/svg+xml" },
		{ "a.png", "image/png" },
		{ "a.jpg", "image/jpeg" },
		{ "a.JPEG", "image/jpeg" },
		{ "a.gif", "image/gif" },
		{ "a.webp", "image/webp" },
		{ "favicon.ico", "image/x-icon" },
		{ "doc.pdf", "application/pdf" },
		{ "m.wasm", "application/wasm" },
		{ "f.woff", "font/woff" },
		{ "f.woff2", "font/woff2" },
		{ "v.mp4", "video/mp4" },
		{ "v.webm", "video/webm" },
		{ "a.zip", "application/zip" },
		{ "a.tar.gz", "application/gzip" },
		{ "a.tar", "application/x-tar" },
		{ "noext", "application/octet-stream" },
		{ "", "application/octet-stream" },
		{ ".bashrc", "application/octet-stream" },
		{ "dir/.html", "application/octet-stream" },
		{ "dir.html/file", "application/octet-stream" },
		{ "a.", "application/octet-stream" },
		{ "a.htmlx", "application/octet-stream" },
		{ "a.htm l", "application/octet-stream" },
		{ "a.exe", "application/octet-stream" },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		const char *got = khttp_mime_type(cases[i].name,
						  strlen(cases[i].name));

		checks++;
		if (strcmp(got, cases[i].type))
			FAIL("mime \"%s\": \"%s\", want \"%s\"", cases[i].name,
			     got, cases[i].type);
	}
	summary();
}

static void t_html_escape(void)
{
	static const char in[] = "<a href=\"x\">&'</a>";
	static const char want[] =
		"&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;";
	char out[64];

	eq_long("escape", in, strlen(in),
		khttp_html_escape(in, strlen(in), out, sizeof(out)),
		strlen(want));
	eq_long("escaped", out, strlen(out), strcmp(out, want), 0);
	eq_long("exact fit", "a&", 2, khttp_html_escape("a&", 2, out, 7), 6);
	eq_long("exact fit", out, 6, strcmp(out, "a&amp;"), 0);
	eq_long("one short", "a&", 2, khttp_html_escape("a&", 2, out, 6), -1);
	eq_long("one short leaves \"\"", out, 1, out[0], 0);
	eq_long("plain fit", "ab", 2, khttp_html_escape("ab", 2, out, 3), 2);
	eq_long("plain short", "ab", 2, khttp_html_escape("ab", 2, out, 2), -1);
	eq_long("empty", "", 0, khttp_html_escape("", 0, out, 1), 0);
	eq_long("empty, no room", "", 0, khttp_html_escape("", 0, out, 0), -1);
	eq_long("utf-8 kept", "\xc3\xa9", 2,
		khttp_html_escape("\xc3\xa9", 2, out, sizeof(out)), 2);
	summary();
}

static void t_reason(void)
{
	static const struct {
		int status;
		const char *text;
	} cases[] = {
		{ 200, "OK" }, { 206, "Partial Content" },
		{ 301, "Moved Permanently" }, { 304, "Not Modified" },
		{ 400, "Bad Request" }, { 403, "Forbidden" },
		{ 404, "Not Found" }, { 405, "Method Not Allowed" },
		{ 408, "Request Timeout" }, { 413, "Content Too Large" },
		{ 414, "URI Too Long" }, { 416, "Range Not Satisfiable" },
		{ 431, "Request Header Fields Too Large" },
		{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
		{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" },
		{ 505, "HTTP Version Not Supported" },
		{ 0, "Unknown" }, { 999, "Unknown" }, { -404, "Unknown" },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		const char *got = khttp_reason(cases[i].status);

		checks++;
		if (strcmp(got, cases[i].text))
			FAIL("reason %d: \"%s\", want \"%s\"", cases[i].status,
			     got, cases[i].text);
	}
	summary();
}

/* --- khttp_resp_parse ---------------------------------------------------- */

struct resp_case {
	const char *raw;
	size_t len;
	int want;		/* 0 or -1 */
	int status;
	int minor;
	long long clen;		/* -1: none */
	int chunked;
	int te;
};

#define ROK(raw, status, minor, clen, chunked, te) \
	{ R(raw), 0, status, minor, clen, chunked, te }
#define RBAD(raw) { R(raw), -1, 0, 0, -1, 0, 0 }

#define S200 "HTTP/1.1 200 OK\r\n"

static const struct resp_case resp_cases[] = {
	ROK(S200 "Content-Length: 5\r\n\r\n", 200, 1, 5, 0, 0),
	ROK("HTTP/1.0 404 Not Found\r\n\r\n", 404, 0, -1, 0, 0),
	ROK("HTTP/1.1 200\r\n\r\n", 200, 1, -1, 0, 0),
	ROK("HTTP/1.1 204 \r\n\r\n", 204, 1, -1, 0, 0),
	ROK("HTTP/1.1 100 Continue\r\n\r\n", 100, 1, -1, 0, 0),
	ROK("HTTP/1.1 999 X\r\n\r\n", 999, 1, -1, 0, 0),
	ROK("HTTP/1.1 599 \t \r\n\r\n", 599, 1, -1, 0, 0),
	/* a later HTTP/1.x is 1.1 (RFC 9110 2.5) */
	ROK("HTTP/1.2 200 OK\r\n\r\n", 200, 1, -1, 0, 0),
	ROK("HTTP/1.9 301 Moved\r\n\r\n", 301, 1, -1, 0, 0),
	ROK("HTTP/1.1 200 Very  OK\tyes caf\xc3\xa9 \"q\" (x)\r\n\r\n",
	    200, 1, -1, 0, 0),
	ROK(S200 "Transfer-Encoding: chunked\r\n\r\n", 200, 1, -1, 1, 1),
	ROK(S200 "transfer-encoding: CHUNKED ,\r\n\r\n", 200, 1, -1, 1, 1),
	ROK(S200 "Transfer-Encoding: gzip, chunked\r\n\r\n", 200, 1, -1, 1, 1),
	ROK(S200 "Transfer-Encoding: gzip\r\n"
	    "Transfer-Encoding: chunked\r\n\r\n", 200, 1, -1, 1, 1),
	/* not chunked last: the body runs to the close, for the caller */
	ROK(S200 "Transfer-Encoding: chunked, gzip\r\n\r\n", 200, 1, -1, 0, 1),
	ROK(S200 "Transfer-Encoding: chunked\r\n"
	    "Transfer-Encoding: gzip\r\n\r\n", 200, 1, -1, 0, 1),
	ROK(S200 "Transfer-Encoding:\r\n\r\n", 200, 1, -1, 0, 1),
	ROK(S200 "Transfer-Encoding: chunkedx\r\n\r\n", 200, 1, -1, 0, 1),
	ROK("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
	    200, 0, -1, 1, 1),
	/* line ends and leading empty lines */
	ROK("HTTP/1.1 200 OK\nContent-Length: 0\n\n", 200, 1, 0, 0, 0),
	ROK(S200 "Content-Length: 3\n\r\n", 200, 1, 3, 0, 0),
	ROK("\r\n\nHTTP/1.1 200 OK\r\n\r\n", 200, 1, -1, 0, 0),
	/* Content-Length */
	ROK(S200 "content-LENGTH: \t 12 \t\r\n\r\n", 200, 1, 12, 0, 0),
	ROK(S200 "Content-Length: 007\r\n\r\n", 200, 1, 7, 0, 0),
	ROK(S200 "Content-Length: 18446744073709551615\r\n\r\n",
	    200, 1, -2, 0, 0),
	/* fields that are no framing */
	ROK(S200 "X-Empty:\r\nX-Spaces:   \r\nX!#$%&'*+-.^_`|~: v\r\n"
	    "Server: x\tcaf\xc3\xa9\r\nConnection: close\r\n\r\n",
	    200, 1, -1, 0, 0),

	/* the status line */
	RBAD(""),
	RBAD("\r\n"),
	RBAD("\r\n\r\n"),
	RBAD("HTTP/1.1 200 OK\r\n"),
	RBAD("HTTP/1.1 200 OK\r\n\r"),
	RBAD("HTTP/1.1 200 OK"),
	RBAD("http/1.1 200 OK\r\n\r\n"),
	RBAD("HTTP/2 200\r\n\r\n"),
	RBAD("HTTP/2.0 200 OK\r\n\r\n"),
	RBAD("HTTP/0.9 200 OK\r\n\r\n"),
	RBAD("HTTP/1.10 200 OK\r\n\r\n"),
	RBAD("HTTP/1.x 200 OK\r\n\r\n"),
	RBAD("HTTP/1 200 OK\r\n\r\n"),
	RBAD("HTTP/11 200 OK\r\n\r\n"),
	RBAD(" HTTP/1.1 200 OK\r\n\r\n"),
	RBAD("HTTP/1.1  200 OK\r\n\r\n"),
	RBAD("HTTP/1.1\t200 OK\r\n\r\n"),
	RBAD("HTTP/1.1 200\tOK\r\n\r\n"),
	RBAD("HTTP/1.1 200OK\r\n\r\n"),
	RBAD("HTTP/1.1 20 OK\r\n\r\n"),
	RBAD("HTTP/1.1 20\r\n\r\n"),
	RBAD("HTTP/1.1 2000 OK\r\n\r\n"),
	RBAD("HTTP/1.1 099 OK\r\n\r\n"),
	RBAD("HTTP/1.1 000\r\n\r\n"),
	RBAD("HTTP/1.1 20x OK\r\n\r\n"),
	RBAD("HTTP/1.1 -20 OK\r\n\r\n"),
	RBAD("HTTP/1.1 +20 OK\r\n\r\n"),
	RBAD("HTTP/1.1 \r\n\r\n"),
	RBAD("HTTP/1.1\r\n\r\n"),
	RBAD("HTTP/1.1 200 O\x01K\r\n\r\n"),
	RBAD("HTTP/1.1 200 OK\x7f\r\n\r\n"),
	RBAD("HTTP/1.1 200 O\rK\r\n\r\n"),
	RBAD("HTTP/1.1 200 OK\r\r\n\r\n"),
	RBAD("HTTP/1.1 200 O\0K\r\n\r\n"),
	RBAD("GET / HTTP/1.1\r\n\r\n"),
	/* fields */
	RBAD(S200 "X-Foo\r\n\r\n"),
	RBAD(S200 "X-Foo : a\r\n\r\n"),
	RBAD(S200 "X-Foo\t: a\r\n\r\n"),
	RBAD(S200 "X: a\r\n b\r\n\r\n"),		/* obs-fold */
	RBAD(S200 "X: a\r\n\tb\r\n\r\n"),
	RBAD(S200 " X: a\r\n\r\n"),
	RBAD(S200 ": a\r\n\r\n"),
	RBAD(S200 "X(: a\r\n\r\n"),
	RBAD(S200 "X\xc3\xa9: a\r\n\r\n"),
	RBAD(S200 "X: a\x01" "b\r\n\r\n"),
	RBAD(S200 "X: a\x7f\r\n\r\n"),
	RBAD(S200 "X: \x1b[0m\r\n\r\n"),
	RBAD(S200 "X: a\0b\r\n\r\n"),
	RBAD(S200 "X: a\rb\r\n\r\n"),
	RBAD(S200 "X: a\r\n\r\r\n"),
	/* bytes past the head */
	RBAD(S200 "\r\nx"),
	RBAD(S200 "Content-Length: 1\r\n\r\nx"),
	RBAD(S200 "\r\n\r\n"),
	/* Content-Length: one field of digits within u64 */
	RBAD(S200 "Content-Length: 5\r\nContent-Length: 5\r\n\r\n"),
	RBAD(S200 "Content-Length: 5\r\ncontent-length: 6\r\n\r\n"),
	RBAD(S200 "Content-Length: 5, 5\r\n\r\n"),
	RBAD(S200 "Content-Length: 5,\r\n\r\n"),
	RBAD(S200 "Content-Length: +5\r\n\r\n"),
	RBAD(S200 "Content-Length: -1\r\n\r\n"),
	RBAD(S200 "Content-Length: 0x10\r\n\r\n"),
	RBAD(S200 "Content-Length: 1e3\r\n\r\n"),
	RBAD(S200 "Content-Length: 5 5\r\n\r\n"),
	RBAD(S200 "Content-Length:\r\n\r\n"),
	RBAD(S200 "Content-Length: 18446744073709551616\r\n\r\n"),
	RBAD(S200 "Content-Length: 99999999999999999999\r\n\r\n"),
	/* both framings */
	RBAD(S200 "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
	RBAD(S200 "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"),
	RBAD(S200 "Transfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\n"),
	RBAD(S200 "Transfer-Encoding:\r\nContent-Length: 0\r\n\r\n"),
};

static void check_resp(const struct resp_case *c)
{
	static const struct khttp_resp zero;
	struct khttp_resp resp;
	int ret;

	memset(&resp, 0x5a, sizeof(resp));
	ret = khttp_resp_parse(&resp, c->raw, c->len, &lim);
	eq_long("resp_parse", c->raw, c->len, ret, c->want);
	if (ret) {
		eq_long("resp zeroed on error", c->raw, c->len,
			memcmp(&resp, &zero, sizeof(resp)), 0);
		return;
	}
	eq_long("status", c->raw, c->len, resp.status, c->status);
	eq_long("minor", c->raw, c->len, resp.minor, c->minor);
	eq_long("has_content_length", c->raw, c->len,
		resp.has_content_length, c->clen != -1);
	if (c->clen >= 0)
		eq_long("content_length", c->raw, c->len,
			(long)resp.content_length, (long)c->clen);
	if (c->clen == -2)	/* the largest */
		eq_long("content_length u64 max", c->raw, c->len,
			resp.content_length == ~0ULL, 1);
	eq_long("chunked", c->raw, c->len, resp.chunked, c->chunked);
	eq_long("has_transfer_encoding", c->raw, c->len,
		resp.has_transfer_encoding, c->te);
}

static void t_resp_parse(void)
{
	size_t i;

	for (i = 0; i < N(resp_cases); i++)
		check_resp(&resp_cases[i]);
	summary();
}

/* max_headers and max_head, at the limit and past it; nheaders. */
static void t_resp_parse_limits(void)
{
	static char buf[512];
	const struct khttp_limits small = {
		.max_head = 256, .max_target = 16, .max_headers = 3,
	};
	struct khttp_resp resp;
	int n, ret;

	n = sprintf(buf, S200 "A: 1\r\nB: 2\r\nC: 3\r\n\r\n");
	ret = khttp_resp_parse(&resp, buf, n, &small);
	eq_long("max_headers fields", buf, n, ret, 0);
	eq_long("nheaders", buf, n, resp.nheaders, 3);
	n = sprintf(buf, S200 "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n");
	ret = khttp_resp_parse(&resp, buf, n, &small);
	eq_long("past max_headers", buf, n, ret, -1);
	ret = khttp_resp_parse(&resp, R(S200 "\r\n"), &small);
	eq_long("no fields", "", 0, ret, 0);
	eq_long("nheaders", "", 0, resp.nheaders, 0);

	n = sprintf(buf, S200 "A: %0*d\r\n\r\n", 256 - 24, 0);
	eq_long("head length", buf, 0, n, 256);
	ret = khttp_resp_parse(&resp, buf, n, &small);
	eq_long("head of max_head", buf, 40, ret, 0);
	n = sprintf(buf, S200 "A: %0*d\r\n\r\n", 256 - 23, 0);
	ret = khttp_resp_parse(&resp, buf, n, &small);
	eq_long("head past max_head", buf, 40, ret, -1);
	summary();
}

/* --- the rewrites -------------------------------------------------------- */

struct rewrite_case {
	const char *raw;
	size_t len;
	const char *want;
};

#define RW(raw, want) { R(raw), want }
#define CC "Connection: close\r\n"

static const char xff[] = "X-Forwarded-For: 1.2.3.4\r\n";

static const struct rewrite_case req_rewrites[] = {
	RW("GET / HTTP/1.1\r\nHost: a\r\n\r\n",
	   "GET / HTTP/1.1\r\nHost: a\r\n" CC "\r\n"),
	/* the request line exactly as sent */
	RW("GET /a%20b?x=1&y=/.. HTTP/1.0\r\n\r\n",
	   "GET /a%20b?x=1&y=/.. HTTP/1.0\r\n" CC "\r\n"),
	RW("M-S.1_~ /x HTTP/1.1\r\nhOsT: a\r\n\r\n",
	   "M-S.1_~ /x HTTP/1.1\r\nhOsT: a\r\n" CC "\r\n"),
	/* every fixed hop-by-hop field, in any case */
	RW("GET /x HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n"
	   "Keep-Alive: 5\r\nProxy-Connection: x\r\nTE: trailers\r\n"
	   "Trailer: X\r\nUpgrade: h2c\r\nAccept: */*\r\n\r\n",
	   "GET /x HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n" CC "\r\n"),
	RW("GET / HTTP/1.1\r\nCONNECTION: close\r\nkeep-ALIVE: 5\r\n"
	   "proxy-connection: x\r\nte: x\r\nTRAILER: X\r\nupgrade: x\r\n"
	   "Host: a\r\nClose: x\r\n\r\n",
	   "GET / HTTP/1.1\r\nHost: a\r\n" CC "\r\n"),
	/* names that only look like them stay */
	RW("GET / HTTP/1.1\r\nHost: a\r\nTEST: 1\r\nTrailers: 2\r\n"
	   "Keep-Alive-X: 3\r\nXConnection: 4\r\nUpgrades: 5\r\nT: 6\r\n"
	   "Cl: 7\r\nClosed: 8\r\n\r\n",
	   "GET / HTTP/1.1\r\nHost: a\r\nTEST: 1\r\nTrailers: 2\r\n"
	   "Keep-Alive-X: 3\r\nXConnection: 4\r\nUpgrades: 5\r\nT: 6\r\n"
	   "Cl: 7\r\nClosed: 8\r\n" CC "\r\n"),
	/* fields a Connection field names, before or after it, any case */
	RW("GET / HTTP/1.1\r\nX-A: 1\r\nconnection: Upgrade, X-Foo\r\n"
	   "x-foo: 1\r\nHost: a\r\nX-FOO: 2\r\nX-Foo-Bar: 3\r\nX-Fo: 4\r\n"
	   "UPGRADE: h2c\r\n\r\n",
	   "GET / HTTP/1.1\r\nX-A: 1\r\nHost: a\r\nX-Foo-Bar: 3\r\n"
	   "X-Fo: 4\r\n" CC "\r\n"),
	RW("GET / HTTP/1.1\r\nX-A: 1\r\nX-B: 2\r\nX-C: 3\r\nHost: a\r\n"
	   "Connection: ,, x-a ,\r\nConnection:\tX-C\t\r\n\r\n",
	   "GET / HTTP/1.1\r\nX-B: 2\r\nHost: a\r\n" CC "\r\n"),
	/* an element that is no name names nothing */
	RW("GET / HTTP/1.1\r\nX-A: 1\r\nConnection: x-a x-b, \"X-A\"\r\n"
	   "X-B: 2\r\nHost: a\r\n\r\n",
	   "GET / HTTP/1.1\r\nX-A: 1\r\nX-B: 2\r\nHost: a\r\n" CC "\r\n"),
	/* naming itself changes nothing; Host and the framing always stay */
	RW("GET / HTTP/1.1\r\nConnection: connection, host\r\nHost: a\r\n"
	   "\r\n", "GET / HTTP/1.1\r\nHost: a\r\n" CC "\r\n"),
	RW("POST / HTTP/1.1\r\nConnection: Content-Length, HOST, x-a\r\n"
	   "Host: a\r\ncontent-length: 5\r\nX-A: 1\r\n\r\n",
	   "POST / HTTP/1.1\r\nHost: a\r\ncontent-length: 5\r\n" CC "\r\n"),
	/* values without their OWS; a colon with no space */
	RW("GET / HTTP/1.1\r\nHost:a\r\nX:   a  b \t\r\nY:\r\nZ: \t \r\n"
	   "W: \"x\"\tcaf\xc3\xa9\r\n\r\n",
	   "GET / HTTP/1.1\r\nHost: a\r\nX: a  b\r\nY: \r\nZ: \r\n"
	   "W: \"x\"\tcaf\xc3\xa9\r\n" CC "\r\n"),
	/* bare LF line ends, alone or mixed; leading empty lines */
	RW("GET / HTTP/1.1\nHost: a\nX: 1\n\n",
	   "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n" CC "\r\n"),
	RW("GET / HTTP/1.1\r\nHost: a\nX: 1\r\n\n",
	   "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n" CC "\r\n"),
	RW("\r\n\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
	   "GET / HTTP/1.1\r\nHost: a\r\n" CC "\r\n"),
	/* the body's framing goes on */
	RW("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n",
	   "POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n" CC "\r\n"),
};

static const struct rewrite_case resp_rewrites[] = {
	RW("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n",
	   "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"),
	RW("HTTP/1.1 204\r\n\r\n", "HTTP/1.1 204 \r\n"),
	RW("HTTP/1.1 204 \r\n\r\n", "HTTP/1.1 204 \r\n"),
	RW("HTTP/1.2 404 Not  Found \r\n\r\n", "HTTP/1.1 404 Not  Found \r\n"),
	RW("HTTP/1.1 200 caf\xc3\xa9\t!\r\n\r\n",
	   "HTTP/1.1 200 caf\xc3\xa9\t!\r\n"),
	RW("HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Secret\r\n"
	   "Keep-Alive: timeout=5\r\nX-Secret: 1\r\nDate: x\r\n"
	   "Transfer-Encoding: chunked\r\nUpgrade: x\r\nTrailer: X-T\r\n"
	   "Proxy-Connection: y\r\nte: z\r\nclose: w\r\n\r\n",
	   "HTTP/1.1 200 OK\r\nDate: x\r\nTransfer-Encoding: chunked\r\n"),
	RW("HTTP/1.1 200 OK\r\nConnection: transfer-encoding, x\r\nX: 1\r\n"
	   "Transfer-Encoding: chunked\r\n\r\n",
	   "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"),
	RW("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
	   "Connection: Content-Length\r\n\r\n",
	   "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"),
	RW("HTTP/1.1 200 OK\nServer:  k \nX-Empty:\n\n",
	   "HTTP/1.1 200 OK\r\nServer: k\r\nX-Empty: \r\n"),
	RW("\n\r\nHTTP/1.0 301 Moved\r\nLocation: /x/\r\n\r\n",
	   "HTTP/1.1 301 Moved\r\nLocation: /x/\r\n"),
};

/* the request head's rewrite, which must parse again and be stable */
static void check_req_rewrite(const struct rewrite_case *c, const char *extra,
			      size_t extra_len)
{
	char out[1024], again[1024], want[1024];
	struct khttp_req req;
	long n, m;
	int wn;

	eq_long("input parses", c->raw, c->len,
		khttp_parse(&req, c->raw, c->len, &lim), 0);
	/* @extra goes just before the closing Connection field */
	wn = snprintf(want, sizeof(want), "%.*s%.*s" CC "\r\n",
		      (int)(strlen(c->want) - strlen(CC "\r\n")), c->want,
		      (int)extra_len, extra);
	n = khttp_req_rewrite(c->raw, c->len, extra, extra_len, out,
			      sizeof(out));
	checks++;
	if (n != wn || memcmp(out, want, wn)) {
		FAIL("req_rewrite \"%s\": got %ld \"%s\", want \"%s\"",
		     show(c->raw, c->len), n, n > 0 ? show(out, n) : "",
		     show(want, wn));
		return;
	}
	eq_long("rewritten parses", out, n, khttp_parse(&req, out, n, &lim),
		0);
	eq_long("rewritten keep_alive", out, n, req.keep_alive, 0);
	m = khttp_req_rewrite(out, n, NULL, 0, again, sizeof(again));
	checks++;
	if (extra_len)
		return;
	if (m != n || memcmp(out, again, n))
		FAIL("req_rewrite not stable: \"%s\" gives \"%s\"",
		     show(out, n), m > 0 ? show(again, m) : "-1");
}

static void t_req_rewrite(void)
{
	size_t i;

	for (i = 0; i < N(req_rewrites); i++) {
		check_req_rewrite(&req_rewrites[i], "", 0);
		check_req_rewrite(&req_rewrites[i], xff, strlen(xff));
	}
	summary();
}

static void check_resp_rewrite(const struct rewrite_case *c, bool close)
{
	char out[1024], again[1024], want[1024];
	struct khttp_resp resp, back;
	long n, m;
	int wn;

	eq_long("input parses", c->raw, c->len,
		khttp_resp_parse(&resp, c->raw, c->len, &lim), 0);
	wn = snprintf(want, sizeof(want), "%s%s\r\n", c->want,
		      close ? CC : "");
	n = khttp_resp_rewrite(c->raw, c->len, close, out, sizeof(out));
	checks++;
	if (n != wn || memcmp(out, want, wn)) {
		FAIL("resp_rewrite \"%s\": got %ld \"%s\", want \"%s\"",
		     show(c->raw, c->len), n, n > 0 ? show(out, n) : "",
		     show(want, wn));
		return;
	}
	eq_long("rewritten parses", out, n,
		khttp_resp_parse(&back, out, n, &lim), 0);
	eq_long("same status", out, n, back.status, resp.status);
	eq_long("same framing", out, n, back.has_content_length ==
		resp.has_content_length && back.content_length ==
		resp.content_length && back.chunked == resp.chunked, 1);
	m = khttp_resp_rewrite(out, n, close, again, sizeof(again));
	checks++;
	if (m != n || memcmp(out, again, n))
		FAIL("resp_rewrite not stable: \"%s\" gives \"%s\"",
		     show(out, n), m > 0 ? show(again, m) : "-1");
}

static void t_resp_rewrite(void)
{
	size_t i;

	for (i = 0; i < N(resp_rewrites); i++) {
		check_resp_rewrite(&resp_rewrites[i], false);
		check_resp_rewrite(&resp_rewrites[i], true);
	}
	summary();
}

/*
 * Every @outsz below the size needed is -1, the exact size succeeds.  The
 * buffer is allocated to @outsz bytes, so that ASan sees a byte beyond.
 */
static void rewrite_room(const char *raw, size_t len, int resp)
{
	char full[1024];
	long need, n;
	size_t sz;

	need = resp ? khttp_resp_rewrite(raw, len, true, full, sizeof(full)) :
		      khttp_req_rewrite(raw, len, xff, strlen(xff), full,
					sizeof(full));
	eq_long("rewrite", raw, len, need > 0, 1);
	for (sz = 0; need > 0 && sz <= (size_t)need; sz++) {
		char *out = malloc(sz ? sz : 1);

		if (!out)
			abort();
		n = resp ? khttp_resp_rewrite(raw, len, true, out, sz) :
			   khttp_req_rewrite(raw, len, xff, strlen(xff), out,
					     sz);
		eq_long(sz < (size_t)need ? "room short" : "room exact", raw,
			len, n, sz < (size_t)need ? -1 : need);
		if (sz == (size_t)need)
			eq_long("room exact bytes", raw, len,
				memcmp(out, full, need), 0);
		free(out);
	}
}

static void t_rewrite_room(void)
{
	size_t i;

	for (i = 0; i < N(req_rewrites); i++)
		rewrite_room(req_rewrites[i].raw, req_rewrites[i].len, 0);
	for (i = 0; i < N(resp_rewrites); i++)
		rewrite_room(resp_rewrites[i].raw, resp_rewrites[i].len, 1);
	summary();
}

/* What no parser accepts is -1, never a write beyond @outsz. */
static void t_rewrite_malformed(void)
{
	static const struct {
		const char *raw;
		size_t len;
	} bad[] = {
		{ R("") }, { R("\r\n\r\n") }, { R("GET / HTTP/1.1\r\n") },
		{ R("GET / HTTP/1.1\r\nHost: a\r\n") },
		{ R("GET / HTTP/1.1\r\nHost a\r\n\r\n") },
		{ R("GET / HTTP/1.1\r\n b\r\n\r\n") },
		{ R("GET / HTTP/1.1\r\nX: \x01\r\n\r\n") },
	};
	static const struct {
		const char *raw;
		size_t len;
	} bad_resp[] = {
		{ R("") }, { R("HTTP/1.1 200 OK\r\n") },
		{ R("HTTP/1.1 20 OK\r\n\r\n") }, { R("GET / HTTP/1.1\r\n\r\n") },
		{ R("HTTP/1.1 200 OK\r\nX\r\n\r\n") },
	};
	char out[256];
	size_t i;

	for (i = 0; i < N(bad); i++)
		eq_long("req_rewrite", bad[i].raw, bad[i].len,
			khttp_req_rewrite(bad[i].raw, bad[i].len, "", 0, out,
					  sizeof(out)), -1);
	for (i = 0; i < N(bad_resp); i++)
		eq_long("resp_rewrite", bad_resp[i].raw, bad_resp[i].len,
			khttp_resp_rewrite(bad_resp[i].raw, bad_resp[i].len,
					   true, out, sizeof(out)), -1);
	summary();
}

/* --- khttp_chunked_scan -------------------------------------------------- */

#define CH_MORE		(-2)	/* all the bytes taken, the body not ended */

struct chunk_case {
	const char *raw;
	size_t len;
	long want;		/* the body's length, -1, or CH_MORE */
};

static const struct chunk_case chunk_cases[] = {
	{ R("0\r\n\r\n"), 5 },
	{ R("0\r\n\r\nHTTP/1.1 200 OK\r\n"), 5 },
	{ R("0\n\n0\r\n\r\n"), 3 },
	{ R("5\r\nhello\r\n0\r\n\r\n"), 15 },
	{ R("5\nhello\n0\n\n"), 11 },
	{ R("5\r\nhello\n0\r\n\nxyz"), 13 },
	{ R("000\r\n\r\n"), 7 },
	{ R("A\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n"), 35 },
	{ R("1f\r\n0123456789012345678901234567890\r\n0\r\n\r\n"), 42 },
	{ R("1F\r\n0123456789012345678901234567890\r\n0\r\n\r\n"), 42 },
	{ R("0000000000000005\r\nhello\r\n0\r\n\r\n"), 30 },
	{ R("0000000000000000\r\n\r\n"), 20 },
	/* data is data: line ends, NULs and a "last chunk" inside */
	{ R("7\r\n0\r\n\r\nab\r\n0\r\n\r\n"), 17 },
	{ R("3\r\n\0\r\r\r\n0\r\n\r\n"), 13 },
	/* "hell\r" and a bare LF */
	{ R("5\r\nhell\r\n0\r\n\r\n"), 14 },
	/* extensions */
	{ R("5;a=b\r\nhello\r\n0;last\r\n\r\n"), 24 },
	{ R("5 ; a = \"q;x\\\"\" ;b\r\nhello\r\n0\t;\t\r\n\r\n"), 35 },
	{ R("5;\xc3\xa9\t\r\nhello\r\n0\r\n\r\n"), 19 },
	/* trailers */
	{ R("0\r\nX-T: 1\r\nY:2\r\n\r\n"), 18 },
	{ R("0\nX-T: 1\nY:\n\n"), 13 },
	{ R("0\r\nX: a\tcaf\xc3\xa9 \r\n\r\nrest"), 18 },
	/* not ended yet */
	{ R(""), CH_MORE },
	{ R("5"), CH_MORE },
	{ R("5\r"), CH_MORE },
	{ R("5\r\nhel"), CH_MORE },
	{ R("5\r\nhello"), CH_MORE },
	{ R("5\r\nhello\r"), CH_MORE },
	{ R("5\r\nhello\r\n"), CH_MORE },
	{ R("5;ext"), CH_MORE },
	{ R("0\r\n"), CH_MORE },
	{ R("0\r\n\r"), CH_MORE },
	{ R("0\r\nX: 1\r\n"), CH_MORE },
	{ R("0\r\nX"), CH_MORE },
	{ R("ffffffffffffffff\r\nabc"), CH_MORE },
	{ R("FFFFFFFFFFFFFFFF;x\r\n"), CH_MORE },

	/* the size */
	{ R("\r\n"), -1 },
	{ R("\n"), -1 },
	{ R("x\r\n"), -1 },
	{ R(";a\r\n"), -1 },
	{ R(" 5\r\nhello\r\n0\r\n\r\n"), -1 },
	{ R("-5\r\n"), -1 },
	{ R("+5\r\n"), -1 },
	{ R("0x5\r\n"), -1 },
	{ R("5g\r\n"), -1 },
	{ R("5 \r\nhello\r\n0\r\n\r\n"), -1 },
	{ R("5\t\r\n"), -1 },
	{ R("5 x\r\n"), -1 },
	{ R("5 5\r\n"), -1 },
	{ R("00000000000000005\r\nhello\r\n0\r\n\r\n"), -1 },
	{ R("10000000000000000\r\n"), -1 },
	/* line ends */
	{ R("5\rx"), -1 },
	{ R("5\r\r\n"), -1 },
	{ R("5;a\rb\r\n"), -1 },
	{ R("5\r\nhelloX"), -1 },
	{ R("5\r\nhello\rX"), -1 },
	{ R("5\r\nhello\r\r\n"), -1 },
	{ R("5\r\nhello!\r\n0\r\n\r\n"), -1 },
	{ R("5\r\nhel\r\n0\r\n\r\n"), -1 },
	{ R("0\r\n\r\r\n"), -1 },
	{ R("0\r\n\rX"), -1 },
	/* extensions */
	{ R("5;a\x01\r\n"), -1 },
	{ R("5;a\x7f\r\n"), -1 },
	{ R("5;a\0\r\n"), -1 },
	{ R("5;\x1b[0m\r\n"), -1 },
	/* trailers */
	{ R("0\r\n X: 1\r\n\r\n"), -1 },
	{ R("0\r\n\tX: 1\r\n\r\n"), -1 },
	{ R("0\r\nX : 1\r\n\r\n"), -1 },
	{ R("0\r\nX\r\n\r\n"), -1 },
	{ R("0\r\n: 1\r\n\r\n"), -1 },
	{ R("0\r\nX(: 1\r\n\r\n"), -1 },
	{ R("0\r\nX: \x01\r\n\r\n"), -1 },
	{ R("0\r\nX: 1\rY\r\n\r\n"), -1 },
	{ R("0\r\nX: 1\r\n Y\r\n\r\n"), -1 },
	{ R("0\r\nX: 1\0\r\n\r\n"), -1 },
};

/*
 * Feed @raw in pieces: @first bytes, then the rest in pieces of @step.
 * Returns the body's length, -1 or CH_MORE, checking along the way that
 * a short count means done, and that done and -1 stay.
 */
static long chunk_feed(const char *raw, size_t len, size_t first,
		       size_t step)
{
	struct khttp_chunked st;
	size_t k = 0, n = first < len ? first : len, total = 0;

	memset(&st, 0, sizeof(st));
	for (;;) {
		long r = khttp_chunked_scan(&st, raw + k, n);

		if (r < 0) {
			checks++;
			if (khttp_chunked_scan(&st, "0\r\n\r\n", 5) != -1 ||
			    khttp_chunked_done(&st))
				FAIL("error not kept after \"%s\"",
				     show(raw, len));
			return -1;
		}
		total += r;
		if (khttp_chunked_done(&st)) {
			checks++;
			if (khttp_chunked_scan(&st, "0\r\n\r\n", 5) != 0 ||
			    !khttp_chunked_done(&st))
				FAIL("done not kept after \"%s\"",
				     show(raw, len));
			return total;
		}
		if ((size_t)r != n) {
			FAIL("%ld of %zu taken, not done: \"%s\"", r, n,
			     show(raw, len));
			return -3;
		}
		k += n;
		if (k == len)
			return CH_MORE;
		n = len - k < step ? len - k : step;
	}
}

/* Whole, byte by byte, in a few steps, and split at every offset. */
static void check_chunk(const char *raw, size_t len, long want)
{
	static const size_t steps[] = { 1, 2, 3, 7, 100000 };
	size_t i;

	for (i = 0; i < N(steps); i++)
		eq_long("chunked_scan step", raw, len,
			chunk_feed(raw, len, steps[i], steps[i]), want);
	for (i = 0; i <= len; i++)
		eq_long("chunked_scan split", raw, len,
			chunk_feed(raw, len, i, len), want);
}

static void t_chunked(void)
{
	size_t i;

	for (i = 0; i < N(chunk_cases); i++)
		check_chunk(chunk_cases[i].raw, chunk_cases[i].len,
			    chunk_cases[i].want);
	summary();
}

/* The bounds: size line, digits, trailer; each at the limit and past. */
static void t_chunked_limits(void)
{
	static char buf[KHTTP_CHUNK_TRAILER_MAX + 64];
	size_t n, fill;

	/* a size line of KHTTP_CHUNK_LINE_MAX bytes, its line end aside */
	n = sprintf(buf, "0;%0*d\r\n\r\n", KHTTP_CHUNK_LINE_MAX - 2, 0);
	check_chunk(buf, n, n);
	n = sprintf(buf, "0;%0*d\r\n\r\n", KHTTP_CHUNK_LINE_MAX - 1, 0);
	check_chunk(buf, n, -1);
	n = sprintf(buf, "0;%0*d", KHTTP_CHUNK_LINE_MAX - 2, 0);
	check_chunk(buf, n, CH_MORE);
	n = sprintf(buf, "0 %*s;\n\n", KHTTP_CHUNK_LINE_MAX - 3, "");
	check_chunk(buf, n, n);
	n = sprintf(buf, "0 %*s;\n\n", KHTTP_CHUNK_LINE_MAX - 2, "");
	check_chunk(buf, n, -1);

	/* 16 digits, but no 17th, even a leading zero */
	n = sprintf(buf, "%0*d\r\n\r\n", KHTTP_CHUNK_DIGITS, 0);
	check_chunk(buf, n, n);
	n = sprintf(buf, "%0*d\r\n\r\n", KHTTP_CHUNK_DIGITS + 1, 0);
	check_chunk(buf, n, -1);
	n = sprintf(buf, "%0*d1\r\nx\r\n0\r\n\r\n", KHTTP_CHUNK_DIGITS - 1,
		    0);
	check_chunk(buf, n, n);

	/* a trailer section of KHTTP_CHUNK_TRAILER_MAX bytes in all */
	fill = KHTTP_CHUNK_TRAILER_MAX - strlen("X:\r\n\r\n");
	n = sprintf(buf, "0\r\nX:%0*d\r\n\r\n", (int)fill, 0);
	check_chunk(buf, n, n);
	n = sprintf(buf, "0\r\nX:%0*d\r\n\r\n", (int)fill + 1, 0);
	check_chunk(buf, n, -1);
	/* in many fields, too */
	n = sprintf(buf, "0\n");
	while (n + 4 <= KHTTP_CHUNK_TRAILER_MAX + 2 - 1)
		n += sprintf(buf + n, "X:1\n");
	n += sprintf(buf + n, "\n");
	check_chunk(buf, n, n);
	summary();
}

/* Large chunks are skipped, not read: sizes near 2^64, and the rest. */
static void t_chunked_large(void)
{
	static char data[65536];
	struct khttp_chunked st;
	u64 left = 0x123456789aULL;
	long r;
	int i;

	memset(&st, 0, sizeof(st));
	eq_long("size line", "", 0,
		khttp_chunked_scan(&st, R("123456789a;x\r\n")), 14);
	/* a little of a chunk of 78 GB, then pretend the rest came */
	for (i = 0; i < 16; i++) {
		r = khttp_chunked_scan(&st, data, sizeof(data));
		eq_long("data", "", 0, r, sizeof(data));
		left -= sizeof(data);
	}
	checks++;
	if (st.left != left)
		FAIL("left %llu, want %llu", (unsigned long long)st.left,
		     (unsigned long long)left);
	st.left = 3;
	eq_long("data ends", "", 0, khttp_chunked_scan(&st, R("abc\r\n0\r\n")),
		8);
	eq_long("not done", "", 0, khttp_chunked_done(&st), 0);
	eq_long("end", "", 0, khttp_chunked_scan(&st, R("\r\nnext")), 2);
	eq_long("done", "", 0, khttp_chunked_done(&st), 1);
	eq_long("after done", "", 0, khttp_chunked_scan(&st, R("0\r\n\r\n")),
		0);
	summary();
}

static const struct unit_case cases[] = {
	{ "http_parse_requests", t_parse },
	{ "http_parse_fields", t_parse_fields },
	{ "http_parse_limits", t_parse_limits },
	{ "http_head_end", t_head_end },
	{ "http_head_end_limit", t_head_end_limit },
	{ "http_head_end_linear", t_head_end_linear },
	{ "http_decode_path", t_decode_path },
	{ "http_decode_path_room", t_decode_path_room },
	{ "http_range", t_range },
	{ "http_date_format", t_date_format },
	{ "http_date_roundtrip_gmtime", t_date_roundtrip },
	{ "http_date_parse", t_date_parse },
	{ "http_etag_match", t_etag },
	{ "http_mime_type", t_mime },
	{ "http_html_escape", t_html_escape },
	{ "http_reason", t_reason },
	{ "http_resp_parse", t_resp_parse },
	{ "http_resp_parse_limits", t_resp_parse_limits },
	{ "http_req_rewrite", t_req_rewrite },
	{ "http_resp_rewrite", t_resp_rewrite },
	{ "http_rewrite_room", t_rewrite_room },
	{ "http_rewrite_malformed", t_rewrite_malformed },
	{ "http_chunked_scan", t_chunked },
	{ "http_chunked_limits", t_chunked_limits },
	{ "http_chunked_large", t_chunked_large },
};

int main(int argc, char **argv)
{
	return unit_main(cases, N(cases), argc, argv);
}
