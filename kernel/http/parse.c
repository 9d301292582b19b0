// SPDX-License-Identifier: GPL-2.0
/*
 * khttpd's HTTP/1.x request parser; see parse.h for the interface and
 * RFC 9110 / RFC 9112 for the grammar.  It is strict on purpose: anything
 * that two parsers could read differently (bare CR, obs-fold, whitespace
 * before a colon, duplicate framing fields) is refused rather than
 * guessed at, because a static file server gains nothing from leniency.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <string.h>
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#include "parse.h"

#define KHTTP_U64_MAX	(~0ULL)

/*
 * Own ASCII classes rather than <ctype.h>: the answers must not depend on
 * a locale in userspace, and the kernel's tables treat Latin-1 bytes as
 * letters, which no HTTP grammar does.
 */
static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
	c |= 0x20;
	return c >= 'a' && c <= 'z';
}

static int hex_val(unsigned char c)
{
	if (is_digit(c))
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* tchar of RFC 9110 5.6.2: what methods, field names and options are made of */
static bool is_tchar(unsigned char c)
{
	if (is_digit(c) || is_alpha(c))
		return true;
	return c && memchr("!#$%&'*+-.^_`|~", c, 15);
}

static bool is_ows(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* A control character other than HTAB, or DEL: in no field value. */
static bool is_ctl(unsigned char c)
{
	return (c < ' ' && c != '\t') || c == 0x7f;
}

/* ASCII case-insensitive equality of s[0..n) with the lower-case @lc */
static bool ci_eq(const char *s, size_t n, const char *lc)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!lc[i] || lower(s[i]) != (unsigned char)lc[i])
			return false;
	return !lc[n];
}

static void trim_ows(const char **p, const char **end)
{
	while (*p < *end && is_ows(**p))
		(*p)++;
	while (*end > *p && is_ows((*end)[-1]))
		(*end)--;
}

/*
 * 1*DIGIT into *v, saturating at KHTTP_U64_MAX.  Returns false if the
 * span is empty or holds anything but digits.  The bound is a constant so
 * that no 64-bit division is needed on 32-bit kernels.
 */
static bool parse_u64(const char *p, const char *end, u64 *v, bool *over)
{
	const u64 top = KHTTP_U64_MAX / 10;
	u64 x = 0;

	*over = false;
	if (p == end)
		return false;
	for (; p < end; p++) {
		unsigned int d;

		if (!is_digit(*p))
			return false;
		d = *p - '0';
		if (x > top || (x == top && d > KHTTP_U64_MAX % 10)) {
			*over = true;
			x = KHTTP_U64_MAX;
		} else {
			x = x * 10 + d;
		}
	}
	*v = x;
	return true;
}

/* --- the end of the head ------------------------------------------------- */

long khttp_head_end(const char *buf, size_t len, size_t *scan,
		    const struct khttp_limits *lim)
{
	size_t stop = len < lim->max_head ? len : lim->max_head;
	size_t i = *scan;
	bool bol, seen;

	/*
	 * The scan keeps no state but *scan, so the state is read back from
	 * the bytes before it.  *scan never rests just after a CR (the CR is
	 * looked at again), so the byte before it is either a LF, ending a
	 * line, or part of a line's text, which means the request line has
	 * begun.  A line that ended empty at *scan must have been a leading
	 * empty line: had it followed a non-empty one, the head would have
	 * ended there and *scan been reset.
	 */
	if (i > len)
		i = 0;
	if (i == 0) {
		bol = true;
		seen = false;
	} else if (buf[i - 1] == '\n') {
		size_t k = i - 1;

		if (k && buf[k - 1] == '\r')
			k--;
		bol = true;
		seen = k && buf[k - 1] != '\n';
	} else {
		bol = false;
		seen = true;
	}

	for (; i < stop; i++) {
		char c = buf[i];

		if (c == '\r') {
			if (i + 1 >= stop)
				break;
			if (buf[i + 1] != '\n')
				return -400;
			c = buf[++i];
		}
		if (c == '\n') {
			if (bol && seen) {
				*scan = 0;
				return i + 1;
			}
			bol = true;
			continue;
		}
		if (!c)
			return -400;
		bol = false;
		seen = true;
	}
	if (len >= lim->max_head)
		return -431;
	*scan = i;
	return 0;
}

/* --- the head ------------------------------------------------------------ */

/*
 * The next line of buf[*pos..len): its text without the line end, which is
 * LF with an optional CR before it.  A CR anywhere else stays in the text,
 * where no grammar admits it.
 */
static bool next_line(const char *buf, size_t len, size_t *pos,
		      const char **p, const char **end)
{
	const char *lf = memchr(buf + *pos, '\n', len - *pos);

	if (!lf)
		return false;
	*p = buf + *pos;
	*end = lf;
	if (*end > *p && (*end)[-1] == '\r')
		(*end)--;
	*pos = lf - buf + 1;
	return true;
}

/* The first line that is not empty: RFC 9112 2.2 ignores those before. */
static bool first_line(const char *buf, size_t len, size_t *pos,
		       const char **p, const char **end)
{
	do {
		if (!next_line(buf, len, pos, p, end))
			return false;
	} while (*p == *end);
	return true;
}

static void set_str(struct khttp_str *s, const char *p, const char *end)
{
	s->p = p;
	s->len = end - p;
}

/* request-line = method SP request-target SP HTTP-version */
static int parse_request_line(struct khttp_req *req, const char *p,
			      const char *end, const struct khttp_limits *lim)
{
	const char *m = p, *t, *v;

	while (p < end && is_tchar(*p))
		p++;
	if (p == m || p == end || *p != ' ')
		return -400;
	set_str(&req->method_name, m, p);
	if (p - m == 3 && !memcmp(m, "GET", 3))
		req->method = KHTTP_GET;
	else if (p - m == 4 && !memcmp(m, "HEAD", 4))
		req->method = KHTTP_HEAD;
	else
		req->method = KHTTP_OTHER;

	t = ++p;
	v = memchr(t, ' ', end - t);
	if (!v || v == t)
		return -400;

	/*
	 * The version first, so that minor is known for the error response
	 * whatever is wrong with the target.  The name is case-sensitive and
	 * each number one digit (RFC 9112 2.3).
	 */
	v++;
	if (end - v != 8 || memcmp(v, "HTTP/", 5) || !is_digit(v[5]) ||
	    v[6] != '.' || !is_digit(v[7]))
		return -400;
	if (v[5] != '1' || (v[7] != '0' && v[7] != '1'))
		return -505;
	req->minor = v[7] - '0';

	if (v - 1 - t > lim->max_target)
		return -414;
	for (p = t; p < v - 1; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return -400;
	/* origin-form only: no proxy requests, no "OPTIONS *" */
	if (*t != '/')
		return -400;
	set_str(&req->target, t, v - 1);
	return 0;
}

struct head_state {
	u32 hosts;
	bool close;
	bool keep;
	bool chunked_last;
};

/*
 * The elements of a comma-separated list field (RFC 9110 5.6.1), empty
 * ones skipped: "close" and "keep-alive" for Connection, and for
 * Transfer-Encoding whether the last coding is chunked.
 */
static void parse_list(struct head_state *st, bool te, const char *p,
		       const char *end)
{
	for (;;) {
		const char *e = memchr(p, ',', end - p);
		const char *next;

		if (!e)
			e = end;
		next = e;
		trim_ows(&p, &e);
		if (te) {
			if (p < e)
				st->chunked_last = ci_eq(p, e - p, "chunked");
		} else if (ci_eq(p, e - p, "close")) {
			st->close = true;
		} else if (ci_eq(p, e - p, "keep-alive")) {
			st->keep = true;
		}
		if (next == end)
			break;
		p = next + 1;
	}
}

/*
 * Host = uri-host [ ":" port ]: the characters of a reg-name, an IP
 * literal and a port.  A Host with others is invalid, which RFC 9112 3.2
 * answers with 400.
 */
static bool host_ok(const char *p, const char *end)
{
	for (; p < end; p++) {
		unsigned char c = *p;

		if (!is_digit(c) && !is_alpha(c) &&
		    !memchr("-._~%!$&'()*+,;=:[]", c, 19))
			return false;
	}
	return true;
}

/* A field kept by its value; a second occurrence is refused (see parse.h). */
static int keep_once(struct khttp_str *s, const char *p, const char *end)
{
	if (s->p)
		return -400;
	set_str(s, p, end);
	return 0;
}

/* Whether p[0..end) holds a byte is_ctl() refuses. */
static bool has_ctl(const char *p, const char *end)
{
	for (; p < end; p++)
		if (is_ctl(*p))
			return true;
	return false;
}

/*
 * field-line = field-name ":" OWS field-value OWS: the name's length and
 * the value without its OWS.  False for obs-fold or whitespace before the
 * first field (RFC 9112 2.2, 5.2), a name that is no token or is followed
 * by whitespace, and a control character other than HTAB in the value.
 */
static bool split_field(const char *p, const char *end, size_t *nlen,
			const char **v, const char **vend)
{
	const char *name = p;

	while (p < end && is_tchar(*p))
		p++;
	if (p == name || p == end || *p != ':')
		return false;
	*nlen = p - name;
	p++;
	trim_ows(&p, &end);
	if (has_ctl(p, end))
		return false;
	*v = p;
	*vend = end;
	return true;
}

/*
 * Content-Length: one field of digits only.  A list ("5, 5") or a second
 * field, even an equal one, is refused, since a peer that would merge
 * them differently is exactly the smuggling risk.
 */
static bool set_length(bool *has, u64 *len, const char *p, const char *end)
{
	bool over;

	if (*has || !parse_u64(p, end, len, &over) || over)
		return false;
	*has = true;
	return true;
}

static int parse_field(struct khttp_req *req, struct head_state *st,
		       const char *p, const char *end)
{
	const char *name = p;
	size_t nlen;

	if (!split_field(name, end, &nlen, &p, &end))
		return -400;

	switch (nlen) {
	case 4:
		if (!ci_eq(name, nlen, "host"))
			break;
		if (!host_ok(p, end))
			return -400;
		st->hosts++;
		break;
	case 5:
		if (ci_eq(name, nlen, "range"))
			return keep_once(&req->range, p, end);
		break;
	case 8:
		if (ci_eq(name, nlen, "if-range"))
			return keep_once(&req->if_range, p, end);
		break;
	case 10:
		if (ci_eq(name, nlen, "connection"))
			parse_list(st, false, p, end);
		break;
	case 13:
		if (ci_eq(name, nlen, "if-none-match"))
			return keep_once(&req->if_none_match, p, end);
		break;
	case 14:
		if (ci_eq(name, nlen, "content-length") &&
		    !set_length(&req->has_content_length,
				&req->content_length, p, end))
			return -400;
		break;
	case 17:
		if (ci_eq(name, nlen, "if-modified-since"))
			return keep_once(&req->if_modified_since, p, end);
		if (ci_eq(name, nlen, "transfer-encoding")) {
			req->has_transfer_encoding = true;
			parse_list(st, true, p, end);
		}
		break;
	}
	return 0;
}

static int parse_head(struct khttp_req *req, const char *buf, size_t len,
		      const struct khttp_limits *lim)
{
	struct head_state st = { 0 };
	const char *p, *end;
	size_t pos = 0;
	int ret;

	if (len > lim->max_head)
		return -431;
	if (!first_line(buf, len, &pos, &p, &end))
		return -400;
	ret = parse_request_line(req, p, end, lim);
	if (ret)
		return ret;

	for (;;) {
		if (!next_line(buf, len, &pos, &p, &end))
			return -400;
		if (p == end)
			break;
		if (++req->nheaders > lim->max_headers)
			return -431;
		ret = parse_field(req, &st, p, end);
		if (ret)
			return ret;
	}
	/* @len is the head: anything after its empty line is a misuse */
	if (pos != len)
		return -400;

	if (st.hosts > 1 || (req->minor == 1 && st.hosts != 1))
		return -400;
	req->has_host = st.hosts == 1;
	/*
	 * RFC 9112 6.1 and 6.3: with Content-Length too, in HTTP/1.0, or
	 * with a last coding other than chunked, the framing is faulty (400);
	 * a chunked body is one we do not take (501).
	 */
	if (req->has_transfer_encoding)
		return req->has_content_length || !req->minor ||
		       !st.chunked_last ? -400 : -501;
	req->keep_alive = req->minor == 1 ? !st.close : st.keep && !st.close;
	return 0;
}

int khttp_parse(struct khttp_req *req, const char *buf, size_t len,
		const struct khttp_limits *lim)
{
	int ret;

	memset(req, 0, sizeof(*req));
	req->minor = 1;
	ret = parse_head(req, buf, len, lim);
	if (ret)
		req->keep_alive = false;
	return ret;
}

/* --- response heads ------------------------------------------------------ */

/*
 * status-line = HTTP-version SP status-code SP [ reason-phrase ], where
 * we take "HTTP/1.1 200" with no space too.  Sets *reason to the phrase,
 * running to @end.
 */
static bool parse_status_line(const char *p, const char *end, int *status,
			      int *minor, const char **reason)
{
	if (end - p < 12 || memcmp(p, "HTTP/1.", 7) || !is_digit(p[7]) ||
	    p[8] != ' ')
		return false;
	if (p[9] < '1' || p[9] > '9' || !is_digit(p[10]) || !is_digit(p[11]))
		return false;
	if (end - p > 12 && p[12] != ' ')
		return false;
	*reason = end - p > 12 ? p + 13 : end;
	/* reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ) */
	if (has_ctl(*reason, end))
		return false;
	*status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	/* a later HTTP/1.x is read as 1.1 (RFC 9110 2.5) */
	*minor = p[7] != '0';
	return true;
}

static bool resp_field(struct khttp_resp *resp, struct head_state *st,
		       const char *p, const char *end)
{
	const char *name = p;
	size_t nlen;

	if (!split_field(name, end, &nlen, &p, &end))
		return false;
	if (ci_eq(name, nlen, "content-length"))
		return set_length(&resp->has_content_length,
				  &resp->content_length, p, end);
	if (ci_eq(name, nlen, "transfer-encoding")) {
		resp->has_transfer_encoding = true;
		parse_list(st, true, p, end);
	}
	return true;
}

static bool resp_head(struct khttp_resp *resp, const char *buf, size_t len,
		      const struct khttp_limits *lim)
{
	struct head_state st = { 0 };
	const char *p, *end, *reason;
	size_t pos = 0;

	if (len > lim->max_head || !first_line(buf, len, &pos, &p, &end) ||
	    !parse_status_line(p, end, &resp->status, &resp->minor, &reason))
		return false;
	for (;;) {
		if (!next_line(buf, len, &pos, &p, &end))
			return false;
		if (p == end)
			break;
		if (++resp->nheaders > lim->max_headers ||
		    !resp_field(resp, &st, p, end))
			return false;
	}
	/* RFC 9112 6.3: both framings at once is a smuggling attempt */
	if (pos != len ||
	    (resp->has_content_length && resp->has_transfer_encoding))
		return false;
	resp->chunked = st.chunked_last;
	return true;
}

int khttp_resp_parse(struct khttp_resp *resp, const char *buf, size_t len,
		     const struct khttp_limits *lim)
{
	memset(resp, 0, sizeof(*resp));
	if (resp_head(resp, buf, len, lim))
		return 0;
	memset(resp, 0, sizeof(*resp));
	return -1;
}

/* --- heads rewritten for the relay --------------------------------------- */

/* ASCII case-insensitive equality of a[0..n) and b[0..n) */
static bool ci_same(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/* The fixed hop-by-hop names (RFC 9110 7.6.1), and the reserved Close. */
static bool is_hop_name(const char *name, size_t n)
{
	static const char *const hop[] = {
		"connection", "keep-alive", "proxy-connection", "te",
		"trailer", "upgrade", "close",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(hop); i++)
		if (ci_eq(name, n, hop[i]))
			return true;
	return false;
}

/* Whether the list p[0..end) has @name (of @n bytes) among its elements. */
static bool list_has(const char *p, const char *end, const char *name,
		     size_t n)
{
	for (;;) {
		const char *e = memchr(p, ',', end - p);
		const char *next;

		if (!e)
			e = end;
		next = e;
		trim_ows(&p, &e);
		if ((size_t)(e - p) == n && ci_same(p, name, n))
			return true;
		if (next == end)
			return false;
		p = next + 1;
	}
}

/* A field line: its name, and its value without the OWS around it. */
struct field {
	const char *name;
	size_t nlen;
	const char *v, *vend;
};

static bool is_connection(const struct field *f)
{
	return ci_eq(f->name, f->nlen, "connection");
}

/*
 * The next field line of buf[*pos..len): 1 and @f, 0 at the empty line
 * ending the head, -1 if the head ends without one or a line is no field.
 */
static int next_field(const char *buf, size_t len, size_t *pos,
		      struct field *f)
{
	const char *p, *end;

	if (!next_line(buf, len, pos, &p, &end))
		return -1;
	if (p == end)
		return 0;
	f->name = p;
	return split_field(p, end, &f->nlen, &f->v, &f->vend) ? 1 : -1;
}

/*
 * Where the fields from @pos on hold Connection fields: [*from, *to) is
 * the least span of lines holding them all, empty if there are none.
 */
static void connection_span(const char *buf, size_t len, size_t pos,
			    size_t *from, size_t *to)
{
	struct field f;
	size_t at = pos;

	*from = pos;
	*to = pos;
	while (next_field(buf, len, &pos, &f) > 0) {
		if (is_connection(&f)) {
			if (*from == *to)
				*from = at;
			*to = pos;
		}
		at = pos;
	}
}

/*
 * Whether a Connection field in buf[from..to) names the field @f.  The
 * framing fields never count: the relay forwards the body as it came, so
 * dropping them would leave it unframed (a request's body read as the
 * next request); nor does Host, without which the head is no request.
 */
static bool connection_names(const char *buf, size_t from, size_t to,
			     const struct field *f)
{
	struct field c;

	if (ci_eq(f->name, f->nlen, "content-length") ||
	    ci_eq(f->name, f->nlen, "transfer-encoding") ||
	    ci_eq(f->name, f->nlen, "host"))
		return false;

	while (next_field(buf, to, &from, &c) > 0)
		if (is_connection(&c) &&
		    list_has(c.v, c.vend, f->name, f->nlen))
			return true;
	return false;
}

/* The output being written: once something did not fit, nothing more. */
struct out {
	char *p;
	size_t len;
	size_t size;
	bool over;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (!n || o->over)
		return;
	if (n > o->size - o->len) {
		o->over = true;
		return;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* The fields from @pos on but the hop-by-hop ones; false if malformed. */
static bool put_fields(struct out *o, const char *buf, size_t len,
		       size_t pos)
{
	struct field f;
	size_t from, to;
	int ret;

	connection_span(buf, len, pos, &from, &to);
	while ((ret = next_field(buf, len, &pos, &f)) > 0) {
		if (is_hop_name(f.name, f.nlen) ||
		    connection_names(buf, from, to, &f))
			continue;
		put(o, f.name, f.nlen);
		put_str(o, ": ");
		put(o, f.v, f.vend - f.v);
		put_str(o, "\r\n");
	}
	return !ret;
}

static long out_len(const struct out *o)
{
	return o->over ? -1 : (long)o->len;
}

long khttp_req_rewrite(const char *buf, size_t len, const char *extra,
		       size_t extra_len, char *out, size_t outsz)
{
	struct out o = { out, 0, outsz, false };
	const char *p, *end;
	size_t pos = 0;

	if (!first_line(buf, len, &pos, &p, &end))
		return -1;
	put(&o, p, end - p);
	put_str(&o, "\r\n");
	if (!put_fields(&o, buf, len, pos))
		return -1;
	put(&o, extra, extra_len);
	put_str(&o, "Connection: close\r\n\r\n");
	return out_len(&o);
}

long khttp_resp_rewrite(const char *buf, size_t len, bool close, char *out,
			size_t outsz)
{
	struct out o = { out, 0, outsz, false };
	const char *p, *end, *reason;
	size_t pos = 0;
	int status, minor;

	if (!first_line(buf, len, &pos, &p, &end) ||
	    !parse_status_line(p, end, &status, &minor, &reason))
		return -1;
	/* our version; the backend's code and reason */
	put_str(&o, "HTTP/1.1 ");
	put(&o, p + 9, 3);
	put_str(&o, " ");
	put(&o, reason, end - reason);
	put_str(&o, "\r\n");
	if (!put_fields(&o, buf, len, pos))
		return -1;
	if (close)
		put_str(&o, "Connection: close\r\n");
	put_str(&o, "\r\n");
	return out_len(&o);
}

/* --- chunked bodies ------------------------------------------------------ */

/* Where khttp_chunked_scan() is in the grammar of RFC 9112 7.1. */
enum {
	CH_SIZE,	/* chunk-size: hex digits; st->count of them so far */
	CH_BWS,		/* whitespace after the size: a ';' must follow */
	CH_EXT,		/* after a ';': the extensions, skipped */
	CH_SIZE_LF,	/* the LF after the size line's CR */
	CH_DATA,	/* chunk-data: st->left bytes to come */
	CH_DATA_CR,	/* the CRLF after the data */
	CH_DATA_LF,
	CH_TR_BOL,	/* a trailer field's first byte, or the empty line */
	CH_TR_NAME,
	CH_TR_VALUE,
	CH_TR_LF,	/* the LF after a trailer field's CR */
	CH_END_LF,	/* the LF after the closing empty line's CR */
	CH_DONE,
	CH_ERROR,
};

static int size_line_end(struct khttp_chunked *st)
{
	st->count = 0;
	return st->left ? CH_DATA : CH_TR_BOL;
}

/* A byte of the size line: 1*HEXDIG [ BWS ";" chunk-ext ] CRLF */
static int size_line(struct khttp_chunked *st, unsigned char c)
{
	int d = hex_val(c);

	if (c == '\r' || c == '\n') {
		/* no digits, or whitespace not leading to a ';' */
		if (!st->count || st->state == CH_BWS)
			return CH_ERROR;
		return c == '\r' ? CH_SIZE_LF : size_line_end(st);
	}
	if (++st->count > KHTTP_CHUNK_LINE_MAX)
		return CH_ERROR;
	if (st->state == CH_EXT)
		return is_ctl(c) ? CH_ERROR : CH_EXT;
	if (st->state == CH_SIZE && d >= 0) {
		if (st->count > KHTTP_CHUNK_DIGITS)
			return CH_ERROR;
		st->left = st->left << 4 | d;
		return CH_SIZE;
	}
	/* the first byte after the digits, or after whitespace after them */
	if (st->state == CH_SIZE && st->count == 1)
		return CH_ERROR;
	if (c == ';')
		return CH_EXT;
	return is_ows(c) ? CH_BWS : CH_ERROR;
}

/* trailer-section = *( field-line CRLF ), then the CRLF ending the body */
static int trailer_byte(struct khttp_chunked *st, unsigned char c)
{
	if (++st->count > KHTTP_CHUNK_TRAILER_MAX)
		return CH_ERROR;
	switch (st->state) {
	case CH_TR_BOL:
		if (c == '\r')
			return CH_END_LF;
		if (c == '\n')
			return CH_DONE;
		return is_tchar(c) ? CH_TR_NAME : CH_ERROR;
	case CH_TR_NAME:
		if (c == ':')
			return CH_TR_VALUE;
		return is_tchar(c) ? CH_TR_NAME : CH_ERROR;
	case CH_TR_VALUE:
		if (c == '\r')
			return CH_TR_LF;
		if (c == '\n')
			return CH_TR_BOL;
		return is_ctl(c) ? CH_ERROR : CH_TR_VALUE;
	case CH_TR_LF:
		return c == '\n' ? CH_TR_BOL : CH_ERROR;
	default:	/* CH_END_LF */
		return c == '\n' ? CH_DONE : CH_ERROR;
	}
}

/* One byte in any state but CH_DATA, CH_DONE and CH_ERROR: the next. */
static int chunk_step(struct khttp_chunked *st, unsigned char c)
{
	switch (st->state) {
	case CH_SIZE:
	case CH_BWS:
	case CH_EXT:
		return size_line(st, c);
	case CH_SIZE_LF:
		return c == '\n' ? size_line_end(st) : CH_ERROR;
	case CH_DATA_CR:
		if (c == '\r')
			return CH_DATA_LF;
		return c == '\n' ? CH_SIZE : CH_ERROR;
	case CH_DATA_LF:
		return c == '\n' ? CH_SIZE : CH_ERROR;
	default:
		return trailer_byte(st, c);
	}
}

long khttp_chunked_scan(struct khttp_chunked *st, const char *buf,
			size_t len)
{
	size_t i = 0;

	while (i < len && st->state < CH_DONE) {
		if (st->state == CH_DATA) {
			/* the data is skipped whole, not looked at */
			size_t n = len - i < st->left ? len - i : st->left;

			i += n;
			st->left -= n;
			if (!st->left)
				st->state = CH_DATA_CR;
			continue;
		}
		st->state = chunk_step(st, buf[i++]);
	}
	return st->state == CH_ERROR ? -1 : (long)i;
}

bool khttp_chunked_done(const struct khttp_chunked *st)
{
	return st->state == CH_DONE;
}

/* --- the path ------------------------------------------------------------ */

/*
 * A decoded segment may not be empty, may not begin with '.' (which rules
 * out "." and ".." in every spelling, and hidden files such as .git), and
 * may not hold ".." anywhere, so that no later join or lookup can turn it
 * into a parent reference.
 */
static bool segment_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || s[0] == '.')
		return false;
	for (i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return false;
	return true;
}

static long decode_path(const struct khttp_str *target, char *out,
			size_t outsz, bool *dir)
{
	const char *p = target->p, *end;
	size_t n = 0, seg = 0;

	if (!p || !target->len || *p != '/')
		return -400;
	end = memchr(p, '?', target->len);
	if (!end)
		end = p + target->len;
	if (!outsz)
		return -414;

	for (p++; p < end; p++) {
		unsigned char c = *p;

		if (c == '/') {
			if (!segment_ok(out + seg, n - seg))
				return -400;
			if (p + 1 == end)
				break;
			if (n + 1 >= outsz)
				return -414;
			out[n++] = '/';
			seg = n;
			continue;
		}
		if (c == '%') {
			int hi, lo;

			if (end - p < 3)
				return -400;
			hi = hex_val(p[1]);
			lo = hex_val(p[2]);
			if (hi < 0 || lo < 0)
				return -400;
			c = hi << 4 | lo;
			p += 2;
			/*
			 * An encoded '/' is refused rather than decoded: it
			 * would be a separator the segment checks never saw.
			 */
			if (c < ' ' || c == 0x7f || c == '/' || c == '\\')
				return -400;
		} else if (c <= ' ' || c >= 0x7f || c == '\\' || c == '#') {
			return -400;
		}
		if (n + 1 >= outsz)
			return -414;
		out[n++] = c;
	}
	/* the root, a path ending in '/', or a last segment to check */
	*dir = p != end || n == 0;
	if (!*dir && !segment_ok(out + seg, n - seg))
		return -400;
	out[n] = '\0';
	return n;
}

long khttp_decode_path(const struct khttp_str *target, char *out,
		       size_t outsz, bool *dir)
{
	long ret;

	*dir = false;
	ret = decode_path(target, out, outsz, dir);
	if (ret < 0) {
		*dir = false;
		if (outsz)
			out[0] = '\0';
	}
	return ret;
}

/* --- Range --------------------------------------------------------------- */

int khttp_range(const struct khttp_str *range, u64 size, u64 *first,
		u64 *last)
{
	const char *p = range->p, *end, *spec = NULL, *spec_end = NULL;
	const char *dash;
	u64 a, b;
	bool over;
	int n = 0;

	/* the unit is case-insensitive (RFC 9110 14.1); no space around '=' */
	if (!p || range->len < 6 || !ci_eq(p, 6, "bytes="))
		return 1;
	end = p + range->len;

	/* a list: empty elements are allowed, two real ones are not served */
	for (p += 6; ; ) {
		const char *e = memchr(p, ',', end - p);
		const char *next;

		if (!e)
			e = end;
		next = e;
		trim_ows(&p, &e);
		if (p < e) {
			if (++n > 1)
				return 1;
			spec = p;
			spec_end = e;
		}
		if (next == end)
			break;
		p = next + 1;
	}
	if (!n)
		return 1;

	dash = memchr(spec, '-', spec_end - spec);
	if (!dash)
		return 1;
	if (dash == spec) {
		/* suffix-range: the last b bytes */
		if (!parse_u64(dash + 1, spec_end, &b, &over))
			return 1;
		if (!b)
			return -416;
		/* the whole of an empty file is no range at all: send 200 */
		if (!size)
			return 1;
		*first = b >= size ? 0 : size - b;
		*last = size - 1;
		return 0;
	}
	if (!parse_u64(spec, dash, &a, &over))
		return 1;
	if (dash + 1 == spec_end) {
		b = KHTTP_U64_MAX;
	} else {
		if (!parse_u64(dash + 1, spec_end, &b, &over))
			return 1;
		/* last < first makes the range-spec invalid: ignored */
		if (b < a)
			return 1;
	}
	if (a >= size)
		return -416;
	*first = a;
	*last = b >= size ? size - 1 : b;
	return 0;
}

/* --- dates --------------------------------------------------------------- */

static const char wday_name[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};

static const char *const wday_long[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};

static const char month_name[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

/*
 * Dates are kept as days since 0001-01-01 (proleptic Gregorian), so that
 * all the arithmetic is on non-negative numbers.  The years are 0001 to
 * 9999, what four digits hold.
 */
#define DAYS_TO_1970	719162
#define T_MIN		(-(s64)DAYS_TO_1970 * 86400)
#define T_MAX		(253402300799LL)	/* 9999-12-31 23:59:59 */

static bool is_leap(unsigned int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(unsigned int y, unsigned int m)
{
	static const unsigned char days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return days[m - 1] + (m == 2 && is_leap(y));
}

/*
 * Days since 0001-01-01 of y-m-d.  Counting years from March puts the
 * leap day last, so a month's offset in the year is (153 * m + 2) / 5.
 */
static u32 days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
	unsigned int mp = m > 2 ? m - 3 : m + 9;
	u32 yy = m > 2 ? y : y - 1;	/* the year the March-year began */

	/* 306: 0000-03-01 to 0001-01-01, as day 0 is 0000-03-01 here */
	return yy * 365 + yy / 4 - yy / 100 + yy / 400 +
	       (153 * mp + 2) / 5 + d - 1 - 306;
}

static void civil_from_days(u32 days, unsigned int *y, unsigned int *m,
			    unsigned int *d)
{
	u32 z = days + 306;		/* days since 0000-03-01 */
	u32 era = z / 146097;		/* whole 400-year cycles */
	u32 doe = z - era * 146097;
	u32 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	u32 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	u32 mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = era * 400 + yoe + (*m <= 2);
}

static void put2(char *s, unsigned int v)
{
	s[0] = '0' + v / 10;
	s[1] = '0' + v % 10;
}

void khttp_date_format(s64 t, char out[KHTTP_DATE_LEN + 1])
{
	unsigned int y, m, d;
	u64 u;
	u32 days, secs;

	if (t < T_MIN)
		t = T_MIN;
	if (t > T_MAX)
		t = T_MAX;
	u = t - T_MIN;
	/*
	 * 86400 = 128 * 675 and u < 2^39, so u >> 7 fits 32 bits: a 32-bit
	 * division, which 32-bit kernels have without div_u64().
	 */
	days = (u32)(u >> 7) / 675;
	secs = u - (u64)days * 86400;
	civil_from_days(days, &y, &m, &d);

	/* "Sun, 06 Nov 1994 08:49:37 GMT"; 0001-01-01 was a Monday */
	memcpy(out, wday_name[(days + 1) % 7], 3);
	memcpy(out + 3, ", ", 2);
	put2(out + 5, d);
	out[7] = ' ';
	memcpy(out + 8, month_name[m - 1], 3);
	out[11] = ' ';
	put2(out + 12, y / 100);
	put2(out + 14, y % 100);
	out[16] = ' ';
	put2(out + 17, secs / 3600);
	out[19] = ':';
	put2(out + 20, secs / 60 % 60);
	out[22] = ':';
	put2(out + 23, secs % 60);
	memcpy(out + 25, " GMT", 5);
}

/* n digits at s, or -1 */
static int get_num(const char *s, int n)
{
	int v = 0;

	while (n--) {
		if (!is_digit(*s))
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

static int get_month(const char *s)
{
	int i;

	for (i = 0; i < 12; i++)
		if (!memcmp(s, month_name[i], 3))
			return i + 1;
	return -1;
}

static bool is_wday(const char *s, size_t n, bool full)
{
	int i;

	for (i = 0; i < 7; i++) {
		const char *w = full ? wday_long[i] : wday_name[i];

		if (strlen(w) == n && !memcmp(s, w, n))
			return true;
	}
	return false;
}

/* "08:49:37" into seconds of the day, or -1 */
static int get_time(const char *s)
{
	int h = get_num(s, 2), m = get_num(s + 3, 2), sec = get_num(s + 6, 2);

	if (s[2] != ':' || s[5] != ':' || h < 0 || h > 23 || m < 0 ||
	    m > 59 || sec < 0 || sec > 60)	/* 60: a leap second */
		return -1;
	return h * 3600 + m * 60 + sec;
}

int khttp_date_parse(const struct khttp_str *str, s64 *t)
{
	const char *s = str->p, *c;
	size_t n = str->len;
	int y, m, d, secs;

	if (!s || n < 24)
		return -1;
	if (n == 29 && s[3] == ',') {
		/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
		if (!is_wday(s, 3, false) || s[4] != ' ' || s[7] != ' ' ||
		    s[11] != ' ' || s[16] != ' ' || memcmp(s + 25, " GMT", 4))
			return -1;
		d = get_num(s + 5, 2);
		m = get_month(s + 8);
		y = get_num(s + 12, 4);
		secs = get_time(s + 17);
	} else if (n == 24 && s[3] == ' ') {
		/* asctime: "Sun Nov  6 08:49:37 1994" */
		if (!is_wday(s, 3, false) || s[7] != ' ' || s[10] != ' ' ||
		    s[19] != ' ')
			return -1;
		m = get_month(s + 4);
		d = s[8] == ' ' ? get_num(s + 9, 1) : get_num(s + 8, 2);
		secs = get_time(s + 11);
		y = get_num(s + 20, 4);
	} else {
		/* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" */
		c = memchr(s, ',', n);
		if (!c || !is_wday(s, c - s, true) || n - (c - s) != 24)
			return -1;
		if (c[1] != ' ' || c[4] != '-' || c[8] != '-' ||
		    c[11] != ' ' || memcmp(c + 20, " GMT", 4))
			return -1;
		d = get_num(c + 2, 2);
		m = get_month(c + 5);
		y = get_num(c + 9, 2);
		secs = get_time(c + 12);
		/*
		 * A pure function has no clock for RFC 9110's "50 years in
		 * the future" rule; the usual pivot stands in for it.
		 */
		if (y >= 0)
			y += y < 70 ? 2000 : 1900;
	}
	if (y < 1 || m < 0 || d < 1 || secs < 0 || d > month_days(y, m))
		return -1;
	*t = ((s64)days_from_civil(y, m, d) - DAYS_TO_1970) * 86400 + secs;
	return 0;
}

/* --- entity tags --------------------------------------------------------- */

/* entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE: the opaque part, or false */
static bool next_etag(const char **pp, const char *end, const char **tag,
		      size_t *len)
{
	const char *p = *pp;

	if (end - p >= 2 && p[0] == 'W' && p[1] == '/')
		p += 2;
	if (p == end || *p != '"')
		return false;
	*tag = p++;
	while (p < end && *p != '"') {
		unsigned char c = *p++;

		/* etagc = %x21 / %x23-7E / obs-text */
		if (c <= ' ' || c == 0x7f)
			return false;
	}
	if (p == end)
		return false;
	*len = ++p - *tag;
	*pp = p;
	return true;
}

bool khttp_etag_match(const struct khttp_str *inm, const char *etag,
		      size_t etag_len)
{
	const char *p = inm->p, *end, *tag;
	bool match = false;
	size_t len;

	if (!p)
		return false;
	end = p + inm->len;
	trim_ows(&p, &end);
	if (end - p == 1 && *p == '*')
		return true;
	if (etag_len >= 2 && etag[0] == 'W' && etag[1] == '/') {
		etag += 2;
		etag_len -= 2;
	}

	/* a malformed list is no list: the condition is then false */
	for (;;) {
		while (p < end && (is_ows(*p) || *p == ','))
			p++;
		if (p == end)
			break;
		if (!next_etag(&p, end, &tag, &len))
			return false;
		if (len == etag_len && !memcmp(tag, etag, len))
			match = true;
		while (p < end && is_ows(*p))
			p++;
		if (p < end && *p != ',')
			return false;
	}
	return match;
}

/* --- MIME types ---------------------------------------------------------- */

static const struct {
	const char *ext;
	const char *type;
} mime_types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "htm", "text/html; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "mjs", "text/javascript; charset=utf-8" },
	{ "json", "application/json" },
	{ "txt", "text/plain; charset=utf-8" },
	{ "md", "text/markdown; charset=utf-8" },
	{ "csv", "text/csv; charset=utf-8" },
	{ "xml", "application/xml" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "gif", "image/gif" },
	{ "webp", "image/webp" },
	{ "avif", "image/avif" },
	{ "ico", "image/x-icon" },
	{ "pdf", "application/pdf" },
	{ "wasm", "application/wasm" },
	{ "woff", "font/woff" },
	{ "woff2", "font/woff2" },
	{ "mp3", "audio/mpeg" },
	{ "mp4", "video/mp4" },
	{ "webm", "video/webm" },
	{ "zip", "application/zip" },
	{ "gz", "application/gzip" },
	{ "tar", "application/x-tar" },
};

const char *khttp_mime_type(const char *name, size_t len)
{
	const char *ext = NULL;
	size_t i;

	/* the last '.' of the last component, not at its start (".bashrc") */
	for (i = len; i > 0; i--) {
		if (name[i - 1] == '/')
			break;
		if (name[i - 1] == '.') {
			if (i - 1 > 0 && name[i - 2] != '/')
				ext = name + i;
			break;
		}
	}
	if (ext)
		for (i = 0; i < ARRAY_SIZE(mime_types); i++)
			if (ci_eq(ext, name + len - ext, mime_types[i].ext))
				return mime_types[i].type;
	return "application/octet-stream";
}

/* --- small helpers ------------------------------------------------------- */

long khttp_html_escape(const char *in, size_t len, char *out, size_t outsz)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		const char *rep;
		size_t rlen;

		switch (in[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			rep = NULL;
			break;
		}
		rlen = rep ? strlen(rep) : 1;
		/* n < outsz holds here: room for this and the NUL? */
		if (rlen >= outsz - n) {
			if (outsz)
				out[0] = '\0';
			return -1;
		}
		if (rep)
			memcpy(out + n, rep, rlen);
		else
			out[n] = in[i];
		n += rlen;
	}
	if (n >= outsz)
		return -1;
	out[n] = '\0';
	return n;
}

static const struct {
	int status;
	const char *text;
} reasons[] = {
	{ 100, "Continue" },
	{ 200, "OK" },
	{ 204, "No Content" },
	{ 206, "Partial Content" },
	{ 301, "Moved Permanently" },
	{ 302, "Found" },
	{ 304, "Not Modified" },
	{ 307, "Temporary Redirect" },
	{ 308, "Permanent Redirect" },
	{ 400, "Bad Request" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 408, "Request Timeout" },
	{ 411, "Length Required" },
	{ 412, "Precondition Failed" },
	{ 413, "Content Too Large" },
	{ 414, "URI Too Long" },
	{ 416, "Range Not Satisfiable" },
	{ 417, "Expectation Failed" },
	{ 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" },
	{ 501, "Not Implemented" },
	{ 502, "Bad Gateway" },
	{ 503, "Service Unavailable" },
	{ 504, "Gateway Timeout" },
	{ 505, "HTTP Version Not Supported" },
};

const char *khttp_reason(int status)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reasons); i++)
		if (reasons[i].status == status)
			return reasons[i].text;
	return "Unknown";
}
