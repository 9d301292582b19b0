// SPDX-License-Identifier: GPL-2.0
/*
 * Response heads, and complete error responses.  A head is built on the
 * stack (a redirect's, with its Location, in a short-lived buffer) and
 * handed to the engine in one send; a request is only started when the
 * engine's queue is empty, so the head always fits.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>

#include "khttpd.h"

/* After these the request's framing, or the client, cannot be trusted. */
bool khttpd_status_closes(int status)
{
	switch (status) {
	case 400:
	case 408:
	case 413:
	case 414:
	case 431:
	case 501:
	case 505:
		return true;
	default:
		return false;
	}
}

struct khttpd_out {
	char *p;
	size_t size;
	size_t len;
};

static __printf(2, 3) void khttpd_put(struct khttpd_out *o, const char *fmt,
				      ...)
{
	va_list args;

	va_start(args, fmt);
	o->len += vscnprintf(o->p + o->len, o->size - o->len, fmt, args);
	va_end(args);
}

static void khttpd_put_date(struct khttpd_out *o, const char *name, s64 t)
{
	char date[KHTTP_DATE_LEN + 1];

	khttp_date_format(t, date);
	khttpd_put(o, "%s: %s\r\n", name, date);
}

static void khttpd_put_common(struct khttpd_out *o, int status, bool close,
			      const struct khttp_req *req)
{
	khttpd_put(o, "HTTP/1.1 %d %s\r\nServer: khttpd\r\n", status,
		   khttp_reason(status));
	khttpd_put_date(o, "Date", ktime_get_real_seconds());
	if (close)
		khttpd_put(o, "Connection: close\r\n");
	else if (req && req->minor == 0)
		khttpd_put(o, "Connection: keep-alive\r\n");
}

static void khttpd_put_entity(struct khttpd_out *o,
			      const struct khttpd_reply *r)
{
	if (r->etag[0]) {
		khttpd_put(o, "ETag: %s\r\n", r->etag);
		khttpd_put_date(o, "Last-Modified", r->mtime);
		khttpd_put(o, "Accept-Ranges: bytes\r\n");
	}
	if (r->status == 206)
		khttpd_put(o, "Content-Range: bytes %llu-%llu/%llu\r\n",
			   r->first, r->first + r->length - 1, r->size);
	else if (r->status == 416)
		khttpd_put(o, "Content-Range: bytes */%llu\r\n", r->size);
	if (r->location)
		khttpd_put(o, "Location: %.*s\r\n", (int)r->location_len,
			   r->location);
	if (r->type)
		khttpd_put(o, "Content-Type: %s\r\n", r->type);
	/* 304 and 1xx carry no Content-Length of a body they do not have */
	if (r->status != 304)
		khttpd_put(o, "Content-Length: %llu\r\n", r->length);
}

/*
 * Send the head described by @r.  MSG_MORE joins it to a body that
 * follows, so a small file goes out in one segment with its head.
 * Returns 0 or a negative errno.
 */
int khttpd_send_head(struct khttpd_conn *kc, struct khttpd_reply *r)
{
	char stack[KHTTPD_HEAD_MAX];
	struct khttpd_out o = { .p = stack, .size = sizeof(stack) };
	bool body = !r->head_only && r->length;
	long room;

	if (r->location) {
		o.size = KHTTPD_HEAD_MAX + r->location_len;
		o.p = kmalloc(o.size, GFP_KERNEL | __GFP_NOWARN);
		if (!o.p)
			return -ENOMEM;
	}
	khttpd_put_common(&o, r->status, r->close, r->req);
	khttpd_put_entity(&o, r);
	khttpd_put(&o, "\r\n");
	room = ksrv_conn_send(kc->conn, o.p, o.len,
			      body ? KSRV_SEND_MORE : 0);
	if (o.p != stack)
		kfree(o.p);
	return room < 0 ? room : 0;
}

/*
 * A complete error response: head and a short HTML body (none for
 * HEAD).  Statuses whose framing is uncertain close the connection.
 */
int khttpd_send_error(struct khttpd_conn *kc, int status,
		      struct khttp_req *req)
{
	char buf[KHTTPD_HEAD_MAX];
	struct khttpd_out o = { .p = buf, .size = sizeof(buf) };
	bool head = req && req->method == KHTTP_HEAD;
	const char *reason = khttp_reason(status);
	char body[128];
	int blen;
	long room;

	if (khttpd_status_closes(status))
		kc->close = true;
	blen = scnprintf(body, sizeof(body),
			 "<html><body><h1>%d %s</h1></body></html>\n",
			 status, reason);
	khttpd_put_common(&o, status, kc->close, req);
	if (status == 405)
		khttpd_put(&o, "Allow: GET, HEAD\r\n");
	khttpd_put(&o, "Content-Type: text/html; charset=utf-8\r\n");
	khttpd_put(&o, "Content-Length: %d\r\n\r\n", blen);
	if (!head)
		khttpd_put(&o, "%s", body);
	room = ksrv_conn_send(kc->conn, o.p, o.len, 0);
	return room < 0 ? room : 0;
}
