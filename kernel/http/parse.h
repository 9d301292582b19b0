/* SPDX-License-Identifier: GPL-2.0 */
/*
 * khttpd's HTTP/1.x request parser and the small pure helpers around it.
 *
 * This file and parse.c depend on nothing but a few libc-like functions,
 * so the same source builds into khttpd.ko, into the host unit tests
 * (tests/host/http-parse-test.c) and into the libFuzzer harness
 * (tests/fuzz/).  No allocation, no global state, no logging.
 *
 * Use:
 *   1. khttp_head_end() on the bytes received so far, resuming its scan at
 *      *scan, finds where the request head ends (the empty line);
 *   2. khttp_parse() parses that head once, into a struct khttp_req whose
 *      strings point into the caller's buffer;
 *   3. khttp_decode_path() turns the target into a safe path beneath the
 *      docroot; the other helpers answer conditionals and ranges.
 */
#ifndef KHTTP_PARSE_H
#define KHTTP_PARSE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
/* the kernel's fixed-size types, as every Linux ABI defines them */
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned int u32;
#endif

/* Limits the parser enforces; the module fills them from its parameters. */
struct khttp_limits {
	u32 max_head;		/* bytes of the whole head, CRLFCRLF included */
	u32 max_target;		/* bytes of the request target: 414 beyond */
	u32 max_headers;	/* header fields: 431 beyond */
};

enum khttp_method {
	KHTTP_GET,
	KHTTP_HEAD,
	KHTTP_OTHER,		/* a valid token we do not serve: 405 */
};

/* A parsed request head.  Every string points into the parsed buffer. */
struct khttp_str {
	const char *p;
	u32 len;		/* 0 with p == NULL: absent */
};

struct khttp_req {
	enum khttp_method method;
	struct khttp_str method_name;
	struct khttp_str target;	/* raw, as sent: "/a%20b?x=1" */
	int minor;			/* 0 or 1: HTTP/1.0 or HTTP/1.1 */
	bool keep_alive;		/* by version and Connection */
	bool has_host;
	bool has_content_length;
	bool has_transfer_encoding;
	u64 content_length;
	u32 nheaders;
	struct khttp_str if_none_match;
	struct khttp_str if_modified_since;
	struct khttp_str range;
	struct khttp_str if_range;
};

/*
 * Find the end of a request head in buf[0..len).  *scan is where the
 * previous call stopped (start with 0); the scan resumes there, so feeding
 * a head one byte at a time costs O(length) in all.
 * Returns the head's length (through the empty line) when complete, 0 if
 * more bytes are needed, or -431 when max_head bytes hold no end, -400 for
 * a NUL or bare CR where none may be.  Leading empty lines before a
 * request line (RFC 9112 2.2) are allowed and counted in the head.
 * When a head is found *scan is reset to 0, ready for the next request
 * (whose bytes the caller passes from their own start); a *scan beyond
 * @len restarts the scan.
 */
long khttp_head_end(const char *buf, size_t len, size_t *scan,
		    const struct khttp_limits *lim);

/*
 * Parse a complete head of @len bytes (as returned by khttp_head_end()).
 * Returns 0 and fills @req, or a negative HTTP status:
 *   -400 malformed request line or field, obs-fold, field name with
 *        whitespace before the colon, HTTP/1.1 without exactly one Host
 *        (or any request with two, or a Host with characters no host or
 *        port has), Transfer-Encoding with Content-Length, in HTTP/1.0,
 *        or not ending in chunked, a Content-Length that is not one
 *        field of digits within u64 (a second field is refused even if
 *        equal, and so is a list such as "5, 5"), a second If-None-Match,
 *        If-Modified-Since, Range or If-Range field, a target not in
 *        origin-form (absolute-form and "*" are refused too), bytes
 *        after the head's empty line within @len;
 *   -414 target longer than max_target;
 *   -431 more than max_headers fields, or @len over max_head;
 *   -501 a chunked request body (Transfer-Encoding ending in chunked:
 *        we take no chunked bodies);
 *   -505 a well-formed version other than HTTP/1.0 or HTTP/1.1 (also
 *        HTTP/1.2: the contract, though RFC 9110 2.5 would serve it as
 *        1.1).
 * @req->minor is 0 once "HTTP/1.0" has been read, else 1, even on error,
 * so the error response can use it.  @req->keep_alive is false on any
 * error: after a malformed head the framing of what follows is unknown.
 */
int khttp_parse(struct khttp_req *req, const char *buf, size_t len,
		const struct khttp_limits *lim);

/* --- the relay: response heads, rewritten heads, chunked bodies --------- */

/* A parsed response head from a backend. */
struct khttp_resp {
	int status;			/* 100..999 */
	int minor;			/* HTTP/1.0 or 1.1 */
	bool has_content_length;
	u64 content_length;
	bool chunked;			/* Transfer-Encoding ending in chunked */
	bool has_transfer_encoding;	/* any Transfer-Encoding field */
	u32 nheaders;
};

/*
 * Parse a complete response head of @len bytes (through its empty line,
 * as khttp_head_end() found it).  Returns 0, or -1 when it is malformed:
 * status line not exactly "HTTP/1.<digit> SSS[ reason]" (3 digits, 100..999;
 * reason may be empty; "HTTP/1.1 200" without the space allowed too),
 * a field without a colon or with whitespace before it, obs-fold, a
 * control character (other than HTAB) in a field, more than
 * lim->max_headers fields, @len over lim->max_head, a Content-Length that
 * is not one field of digits within u64 (two fields, even equal, or a list
 * are refused), Content-Length together with Transfer-Encoding.
 * Bytes after the empty line within @len are refused too.  Leading empty
 * lines (as khttp_head_end() allows) are skipped.
 * The reason phrase may hold no control character but HTAB either.
 * @resp->minor is 0 for HTTP/1.0 and 1 for any later HTTP/1.x, which
 * RFC 9110 2.5 says to read as 1.1.  On error @resp is all zero.
 */
int khttp_resp_parse(struct khttp_resp *resp, const char *buf, size_t len,
		     const struct khttp_limits *lim);

/*
 * Hop-by-hop fields (RFC 9110 7.6.1): Connection, Keep-Alive,
 * Proxy-Connection, TE, Trailer, Upgrade, and also every field that a
 * Connection field in the same head names (e.g. "Connection: close, X-Foo"
 * drops X-Foo).  Names are compared case-insensitively.
 * Two departures from that rule: Content-Length, Transfer-Encoding and
 * Host stay even when a Connection field names them (the body goes on
 * framed as it came, and dropping its framing would let a request's body
 * reach the backend as a request of its own; a request needs its Host);
 * and a field named Close, a name RFC 9110 18.4 reserves, is always
 * dropped, since the "Connection: close" that may be added names it.
 *
 * khttp_req_rewrite(): the request head @buf[0..len) (already accepted by
 * khttp_parse()) as it goes to the backend: the request line exactly as
 * sent, then every field except the hop-by-hop ones, in order, each as
 * "Name: value\r\n" with the value's surrounding whitespace trimmed (an
 * empty value gives "Name: \r\n"), then the @extra bytes verbatim (the
 * caller passes e.g. "X-Forwarded-For: 1.2.3.4\r\n", may be empty), then
 * "Connection: close\r\n\r\n".  Bare-LF line ends in the input become
 * CRLF; leading empty lines are dropped.
 * khttp_resp_rewrite(): the response head (accepted by khttp_resp_parse())
 * as it goes to the client: the status line as "HTTP/1.1 SSS reason\r\n"
 * (the backend's code and reason; version always 1.1; the space before
 * an empty reason is kept, as RFC 9112 4 has it), every field except the
 * hop-by-hop ones, then "Connection: close\r\n" if @close, then "\r\n".
 * Both return the length written into @out (no NUL needed), or -1 if it
 * does not fit in @outsz bytes (then @out's content is unspecified).
 * Given a head the parsers would refuse they may also return -1, and
 * never write beyond @outsz.
 * Rewriting is stable: a rewritten head, rewritten again (with no @extra),
 * gives the same bytes.  The cost is O(fields * bytes of Connection
 * fields) at worst, so bounded by lim->max_headers * lim->max_head.
 */
long khttp_req_rewrite(const char *buf, size_t len, const char *extra,
		       size_t extra_len, char *out, size_t outsz);
long khttp_resp_rewrite(const char *buf, size_t len, bool close, char *out,
			size_t outsz);

/*
 * Follows a chunked body (RFC 9112 7.1) as it streams by, without
 * decoding it: the relay forwards the bytes unchanged and only needs to
 * know where the body ends and whether it is well-formed.  Zero the
 * struct to start.  Chunk sizes are hex (case-insensitive), at most
 * KHTTP_CHUNK_DIGITS digits; chunk extensions (";name=value", ";name",
 * with whitespace before the ';') are allowed and skipped: after the ';'
 * anything but a control character other than HTAB, up to
 * KHTTP_CHUNK_LINE_MAX bytes per size line (its line end not counted).
 * Whitespace after the size must lead to a ';'.  The trailer section
 * (fields after the last chunk, each "name:value" with no whitespace
 * before the colon and no control character but HTAB) is allowed, up to
 * KHTTP_CHUNK_TRAILER_MAX bytes from after the last chunk's size line
 * through the closing empty line.  Each CRLF may be a bare LF; a CR
 * not followed by LF is refused.
 * khttp_chunked_scan() consumes @buf[0..len) and returns how many bytes
 * belong to the body: @len when all of them do and it has not ended yet,
 * fewer when the body ended inside @buf (khttp_chunked_done() is then
 * true and the rest is not the body's; a body ending exactly at @len
 * returns @len with khttp_chunked_done() true), or -1 when the bytes
 * cannot be a chunked body (then it stays -1 for further calls).  Calls
 * after done return 0.  Chunk data is skipped, not read, so the cost is
 * per size line and trailer byte.
 */
#define KHTTP_CHUNK_DIGITS	16
#define KHTTP_CHUNK_LINE_MAX	1024
#define KHTTP_CHUNK_TRAILER_MAX	8192

struct khttp_chunked {
	/* private: */
	u64 left;		/* bytes of the current chunk's data to come */
	u32 count;		/* bytes of the size line so far, or trailer */
	int state;		/* where in the grammar; 0: a size line */
};

long khttp_chunked_scan(struct khttp_chunked *st, const char *buf,
			size_t len);
bool khttp_chunked_done(const struct khttp_chunked *st);

/*
 * Percent-decode an origin-form target's path (up to '?') into @out, a
 * NUL-terminated path relative to the docroot with no leading '/'
 * ("" for the root).  Refuses (returns -400) anything that could name a
 * file outside the docroot or confuse a lookup: no leading '/', a '%'
 * not followed by two hex digits, a decoded NUL, control character or
 * DEL, a "." or ".." segment in any spelling, a backslash, an empty
 * segment ("a//b").  Returns -414 if the result does not fit in @outsz.
 * On success returns the decoded length; *dir is set when the path
 * ended with '/', which is not copied ("/a/b/" gives "a/b"; "/" gives ""
 * with *dir set).
 * The rules, checked on the decoded bytes so that every spelling is
 * caught: no segment begins with '.' (so no "." or "..", and no hidden
 * file such as .git or .well-known), no ".." anywhere in a segment; %2F
 * and %5C are refused rather than decoded, so the only separators are
 * the raw '/' the checks saw; raw bytes must be visible ASCII other than
 * '\' and '#'; decoded bytes 0x80-0xff are kept (UTF-8 names).
 * On error @out holds "" and *dir is false.
 */
long khttp_decode_path(const struct khttp_str *target, char *out,
		       size_t outsz, bool *dir);

/*
 * A Range header against a file of @size bytes.  Only one "bytes=" range
 * is served.  Returns 0 with [*first, *last] (inclusive) set, 1 if the
 * header is to be ignored (not "bytes=", several ranges, malformed: the
 * whole file is sent with 200), or -416 if it cannot be satisfied.
 * The unit is case-insensitive, with no space around '='; OWS and empty
 * elements around the one range are allowed.  "a-b" with b < a is
 * invalid (1); a suffix "-0" is -416; a suffix of an empty file is 1.
 * Numbers of any length saturate, so overflow only means "very large".
 */
int khttp_range(const struct khttp_str *range, u64 size, u64 *first,
		u64 *last);

/*
 * HTTP dates (RFC 9110 5.6.7).  khttp_date_format() writes the 29-byte
 * IMF-fixdate for @t (seconds since the epoch) plus a NUL into @out.
 * khttp_date_parse() reads IMF-fixdate, RFC 850 and asctime forms;
 * returns 0 and sets *t, or -1.
 * Years are 0001-9999: format clamps @t to that span.  Parsing is exact
 * (names are case-sensitive, fields fixed-width, days checked against the
 * month) except that the day name is not checked against the date, a
 * second of 60 is allowed, and RFC 850's two-digit years below 70 are
 * 20xx, the others 19xx (there is no clock here for RFC 9110's rule).
 */
#define KHTTP_DATE_LEN 29
void khttp_date_format(s64 t, char out[KHTTP_DATE_LEN + 1]);
int khttp_date_parse(const struct khttp_str *s, s64 *t);

/*
 * If-None-Match against our entity tag @etag (with its quotes, strong).
 * Weak comparison, as RFC 9110 13.1.2 asks for GET and HEAD; "*" matches.
 * A malformed list matches nothing, so the full response is sent.
 */
bool khttp_etag_match(const struct khttp_str *inm, const char *etag,
		      size_t etag_len);

/* Content-Type for a file name, by extension; application/octet-stream
 * when unknown.
 */
const char *khttp_mime_type(const char *name, size_t len);

/*
 * HTML-escape @in (& < > " ') into @out of @outsz bytes, NUL-terminated.
 * Returns the escaped length, or -1 (and "" in @out if @outsz) if it does
 * not fit.
 */
long khttp_html_escape(const char *in, size_t len, char *out, size_t outsz);

/* Reason phrase for a status code ("Not Found"); "Unknown" otherwise. */
const char *khttp_reason(int status);

#endif /* KHTTP_PARSE_H */
