// SPDX-License-Identifier: GPL-2.0
/*
 * The relay: a request khttpd does not answer itself (proxy=all: every
 * one; proxy=fallback: a missing file, a method other than GET and HEAD)
 * goes to the userspace backend over the connection's engine link, and
 * the backend's response comes back to the client.
 *
 * To the backend: the request head with the hop-by-hop fields dropped,
 * X-Forwarded-For added and "Connection: close", then the request's body
 * (Content-Length framed, at most KHTTPD_MAX_BODY) as the client sends
 * it.  A new link per request, so the backend's framing ends with its
 * response at the latest.
 *
 * To the client: the response head rewritten (HTTP/1.1, hop-by-hop
 * fields dropped), then the body unchanged, framed as the backend framed
 * it: Content-Length, chunked (followed, so that its end is known and a
 * malformed one is caught) or, without either, by the backend's close,
 * after which the client's connection closes too.  The connection then
 * goes on with the client's next request, as after any response.
 *
 * Memory: the engine reads from the backend only while the client's
 * queue is empty, so a slow client holds back the backend (through TCP),
 * and what we hold is the queue, at most send_cap, whatever the size of
 * the response.  The head buffer is allocated per relayed request.
 *
 * Failures: no response head within backend_timeout: 504; backend
 * unreachable, refusing, closing before a complete head, or sending a
 * malformed one: 502.  Once bytes of the response went to the client, a
 * failure (the backend closes early, stalls for backend_timeout, breaks
 * the chunked framing) resets the client's connection, so that a
 * truncated response is never taken for a complete one.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "khttpd.h"

enum khttpd_relay_state {
	KHTTPD_RELAY_HEAD,	/* reading the response head */
	KHTTPD_RELAY_LENGTH,	/* @left bytes of body to go */
	KHTTPD_RELAY_CHUNKED,	/* until the chunked body ends */
	KHTTPD_RELAY_EOF,	/* until the backend closes */
	KHTTPD_RELAY_DONE,	/* the response is complete */
	KHTTPD_RELAY_FAILED,	/* the client's connection is being reset */
};

struct khttpd_relay {
	enum khttpd_relay_state state;
	bool head_only;		/* a HEAD request: no body, whatever it says */
	bool sent;		/* the client got bytes of the response */
	int minor;		/* the request's, for our own errors */
	u64 left;
	struct khttp_chunked chunked;
	size_t scan;		/* khttp_head_end() resume point */
	u32 hlen;		/* bytes in head[] */
	u32 max;		/* head[]'s size: max_header_bytes */
	u32 outsz;		/* out's size */
	char *out;		/* rewritten heads, both ways */
	char head[];
};

/* Room a rewritten head may need beyond the original's bytes. */
#define KHTTPD_RELAY_SLACK	256

void khttpd_relay_release(struct khttpd_conn *kc)
{
	kfree(kc->relay);
	kc->relay = NULL;
}

/* The request is answered: the link goes, the connection goes on. */
static void khttpd_relay_finish(struct khttpd_conn *kc)
{
	ksrv_link_close(kc->conn);
	khttpd_relay_release(kc);
	/* body bytes the backend did not wait for are skipped, as ours are */
	kc->skip += kc->fwd;
	kc->fwd = 0;
	khttpd_request_done(kc);
}

/*
 * The relay failed.  Before any byte of the response went out, the
 * client gets @status, complete; afterwards its connection is reset.
 */
static int khttpd_relay_fail(struct khttpd_conn *kc, int status)
{
	struct khttpd_relay *rl = kc->relay;
	struct khttp_req req = {
		.method = rl->head_only ? KHTTP_HEAD : KHTTP_GET,
		.minor = rl->minor,
	};
	int err;

	khttpd_stat_add(kc->ks, status == 504 ? KHTTPD_STAT_RELAY_TIMEOUTS :
			KHTTPD_STAT_RELAY_ERRORS, 1);
	kc->log.status = status;
	if (rl->sent) {
		rl->state = KHTTPD_RELAY_FAILED;
		ksrv_link_close(kc->conn);
		ksrv_conn_abort(kc->conn);
		return 0;
	}
	err = khttpd_send_error(kc, status, &req);
	khttpd_relay_finish(kc);
	return err;
}

static int khttpd_relay_send(struct khttpd_conn *kc, const char *p,
			     size_t len)
{
	long room;

	if (!len)
		return 0;
	room = ksrv_conn_send(kc->conn, p, len, 0);
	if (room < 0)
		return room;
	kc->relay->sent = true;
	return 0;
}

/* Body bytes: pass on what belongs to the response; the rest is dropped. */
static int khttpd_relay_body(struct khttpd_conn *kc, const char *p,
			     size_t len)
{
	struct khttpd_relay *rl = kc->relay;
	long n = len;

	switch (rl->state) {
	case KHTTPD_RELAY_LENGTH:
		n = min_t(u64, rl->left, len);
		rl->left -= n;
		if (!rl->left)
			rl->state = KHTTPD_RELAY_DONE;
		break;
	case KHTTPD_RELAY_CHUNKED:
		n = khttp_chunked_scan(&rl->chunked, p, len);
		if (n < 0)
			return khttpd_relay_fail(kc, 502);
		if (khttp_chunked_done(&rl->chunked))
			rl->state = KHTTPD_RELAY_DONE;
		break;
	case KHTTPD_RELAY_EOF:
		break;
	default:
		return 0;
	}
	kc->log.bytes += n;
	khttpd_stat_add(kc->ks, KHTTPD_STAT_BODY_BYTES, n);
	return khttpd_relay_send(kc, p, n);
}

/* How the body after this head is framed (RFC 9112 6.3). */
static void khttpd_relay_framing(struct khttpd_conn *kc,
				 const struct khttp_resp *resp)
{
	struct khttpd_relay *rl = kc->relay;

	if (rl->head_only || resp->status == 204 || resp->status == 304) {
		rl->state = KHTTPD_RELAY_DONE;
	} else if (resp->has_transfer_encoding && resp->minor == 0) {
		/* HTTP/1.0 has no transfer codings: faulty, ends at close */
		rl->state = KHTTPD_RELAY_EOF;
		kc->close = true;
	} else if (resp->chunked) {
		rl->state = KHTTPD_RELAY_CHUNKED;
	} else if (resp->has_content_length && !resp->has_transfer_encoding) {
		rl->left = resp->content_length;
		rl->state = rl->left ? KHTTPD_RELAY_LENGTH : KHTTPD_RELAY_DONE;
	} else {
		/* ends when the backend closes: so does the client's */
		rl->state = KHTTPD_RELAY_EOF;
		kc->close = true;
	}
}

/*
 * A complete response head of @n bytes is at head[0..n): parse it,
 * rewrite it for the client and send it.  A 1xx is passed on and the
 * real head is awaited after it.
 */
static int khttpd_relay_head_done(struct khttpd_conn *kc, size_t n)
{
	struct khttpd_relay *rl = kc->relay;
	struct khttp_resp resp;
	bool interim;
	long len;

	if (khttp_resp_parse(&resp, rl->head, n, &kc->ks->cfg.limits))
		return khttpd_relay_fail(kc, 502);
	interim = resp.status < 200;
	if (resp.status == 101)		/* we asked for no upgrade */
		return khttpd_relay_fail(kc, 502);
	if (!interim)
		khttpd_relay_framing(kc, &resp);
	len = khttp_resp_rewrite(rl->head, n, !interim && kc->close, rl->out,
				 rl->outsz);
	if (len < 0)
		return khttpd_relay_fail(kc, 502);
	if (!interim)
		kc->log.status = resp.status;
	return khttpd_relay_send(kc, rl->out, len);
}

/* Bytes of the response head; returns how many of @p were taken. */
static long khttpd_relay_head(struct khttpd_conn *kc, const char *p,
			      size_t len)
{
	struct khttpd_relay *rl = kc->relay;
	size_t take = min_t(size_t, len, rl->max - rl->hlen);
	size_t rest;
	long n;
	int err;

	memcpy(rl->head + rl->hlen, p, take);
	rl->hlen += take;
	n = khttp_head_end(rl->head, rl->hlen, &rl->scan, &kc->ks->cfg.limits);
	if (n < 0)
		return khttpd_relay_fail(kc, 502) ?: take;
	if (!n)
		return take;
	err = khttpd_relay_head_done(kc, n);
	if (err < 0)
		return err;
	if (!kc->relay || rl->state == KHTTPD_RELAY_FAILED)
		return take;
	/* what came after the head: the body, or the head after a 1xx */
	rest = rl->hlen - n;
	rl->hlen = 0;
	rl->scan = 0;
	if (rl->state == KHTTPD_RELAY_HEAD) {
		memmove(rl->head, rl->head + n, rest);
		rl->hlen = rest;
		return take;
	}
	err = khttpd_relay_body(kc, rl->head + n, rest);
	return err < 0 ? err : take;
}

int khttpd_relay_data(struct khttpd_conn *kc, const char *p, size_t len)
{
	int err = 0;

	if (!kc || !kc->relay)		/* not ours any more: dropped */
		return KSRV_CONTINUE;
	ksrv_conn_timer(kc->conn, kc->ks->cfg.backend_timeout * MSEC_PER_SEC);
	while (len && kc->relay && kc->relay->state < KHTTPD_RELAY_DONE &&
	       !err) {
		long n;

		if (kc->relay->state == KHTTPD_RELAY_HEAD) {
			n = khttpd_relay_head(kc, p, len);
		} else {
			err = khttpd_relay_body(kc, p, len);
			n = len;
		}
		if (n < 0)
			return n;
		p += n;
		len -= n;
	}
	if (err)
		return err;
	if (kc->relay && kc->relay->state == KHTTPD_RELAY_DONE)
		khttpd_relay_finish(kc);
	return 0;
}

int khttpd_relay_closed(struct khttpd_conn *kc, int reason)
{
	if (!kc || !kc->relay || kc->relay->state == KHTTPD_RELAY_FAILED)
		return 0;
	if (reason == KSRV_CLOSE_DONE &&
	    kc->relay->state == KHTTPD_RELAY_EOF) {
		khttpd_relay_finish(kc);
		return 0;
	}
	/* an early close, a refused or failed connection */
	if (reason != KSRV_CLOSE_DONE)
		pr_warn_ratelimited("khttpd: backend %pISpc failed (%d)\n",
				    &kc->ks->cfg.backend, reason);
	return khttpd_relay_fail(kc, 502);
}

int khttpd_relay_timeout(struct khttpd_conn *kc)
{
	if (kc->relay->state == KHTTPD_RELAY_FAILED)
		return 0;
	return khttpd_relay_fail(kc, 504);
}

/* The client's address, for X-Forwarded-For. */
static int khttpd_relay_xff(struct khttpd_conn *kc, char *buf, size_t size)
{
	struct sockaddr_storage peer;

	if (ksrv_conn_peer(kc->conn, &peer))
		return 0;
	return scnprintf(buf, size, "X-Forwarded-For: %pISc\r\n", &peer);
}

/* The request to the backend, into rl->out: its length, or -1. */
static long khttpd_relay_request(struct khttpd_conn *kc,
				 struct khttpd_relay *rl)
{
	char xff[80];
	int xlen = khttpd_relay_xff(kc, xff, sizeof(xff));

	return khttp_req_rewrite(kc->head, kc->head_len, xff, xlen, rl->out,
				 rl->outsz);
}

static struct khttpd_relay *khttpd_relay_alloc(struct khttpd_conn *kc,
					       const struct khttp_req *req)
{
	u32 max = kc->ks->cfg.limits.max_head;
	struct khttpd_relay *rl;

	rl = kzalloc(sizeof(*rl) + 2 * max + KHTTPD_RELAY_SLACK,
		     GFP_KERNEL | __GFP_NOWARN);
	if (!rl)
		return NULL;
	rl->max = max;
	rl->outsz = max + KHTTPD_RELAY_SLACK;
	rl->out = rl->head + max;
	rl->head_only = req->method == KHTTP_HEAD;
	rl->minor = req->minor;
	return rl;
}

/*
 * Relay the request whose head is kc->head (valid during this call).
 * Its body, if any, was set to be skipped (kc->skip); it is forwarded
 * instead.  Returns 0 (relaying, or answered with 502) or a negative
 * errno.
 */
int khttpd_relay(struct khttpd_conn *kc, struct khttp_req *req)
{
	const struct khttpd_config *cfg = &kc->ks->cfg;
	struct khttpd_relay *rl;
	long len, room;
	int err;

	khttpd_stat_add(kc->ks, KHTTPD_STAT_RELAYED, 1);
	rl = khttpd_relay_alloc(kc, req);
	if (!rl)
		return -ENOMEM;
	kc->relay = rl;
	kc->fwd = kc->skip;
	kc->skip = 0;
	len = khttpd_relay_request(kc, rl);
	if (len < 0)
		return khttpd_relay_fail(kc, 502);
	err = ksrv_link_open(kc->conn, &cfg->backend, cfg->backend_len);
	if (err) {
		pr_warn_ratelimited("khttpd: backend %pISpc: connect failed (%d)\n",
				    &cfg->backend, err);
		return khttpd_relay_fail(kc, 502);
	}
	room = ksrv_link_send(kc->conn, rl->out, len, 0);
	if (room < 0)
		return khttpd_relay_fail(kc, 502);
	ksrv_conn_timer(kc->conn, cfg->backend_timeout * MSEC_PER_SEC);
	return 0;
}

/* Request body bytes from the client, on their way to the backend. */
int khttpd_relay_forward(struct khttpd_conn *kc, const char *p, size_t len)
{
	long room;

	kc->fwd -= len;
	if (!kc->relay || !ksrv_link_room(kc->conn))
		return 0;	/* the backend is gone: the bytes are skipped */
	room = ksrv_link_send(kc->conn, p, len, 0);
	if (room < 0 && kc->relay)
		return khttpd_relay_fail(kc, 502);
	return 0;
}

/* What the client may send now: body bytes the backend can take. */
size_t khttpd_relay_room(struct khttpd_conn *kc)
{
	return min_t(u64, kc->fwd, ksrv_link_room(kc->conn));
}
