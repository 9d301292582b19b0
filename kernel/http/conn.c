// SPDX-License-Identifier: GPL-2.0
/*
 * A khttpd connection: where request heads come from, the order in which
 * requests are answered, and the two timeouts.
 *
 * Requests are answered one at a time, in order (pipelining).  A new one
 * is only started once the previous response has left the engine's
 * queue, so a response head always fits in the queue and a client that
 * pipelines faster than it reads is held back by TCP, not by our memory.
 * While a body streams, the connection reads nothing more (rx_room 0):
 * pipelined requests wait in the socket.  While a request is relayed
 * (relay.c), it reads only the request's body, as fast as the backend
 * takes it; the backend's response arrives in on_link_data.
 *
 * Timeouts share the engine's one timer per connection: header_timeout
 * runs from a head's first byte until the head is complete (then 408),
 * keepalive_timeout while the connection waits between requests.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "khttpd.h"

static struct khttpd_conn *khttpd_conn_state(struct ksrv_conn *conn)
{
	struct khttpd_conn *kc = ksrv_conn_priv(conn);

	if (kc)
		return kc;
	kc = kzalloc(sizeof(*kc), GFP_KERNEL | __GFP_NOWARN);
	if (!kc)
		return NULL;
	kc->conn = conn;
	kc->ks = ksrv_server_priv(ksrv_conn_server(conn));
	ksrv_conn_set_priv(conn, kc);
	return kc;
}

static u32 khttpd_max_head(struct khttpd_conn *kc)
{
	return kc->ks->cfg.limits.max_head;
}

static void khttpd_timer(struct khttpd_conn *kc, unsigned int secs,
			 bool header)
{
	kc->header_timer = header;
	ksrv_conn_timer(kc->conn, secs * MSEC_PER_SEC);
}

/*
 * Answer the complete requests in data[0..len).  Stops at an incomplete
 * head, at a response that must stream or wait for the queue, or at one
 * that closes.  *used is set to the bytes consumed.
 */
static int khttpd_serve(struct khttpd_conn *kc, const char *data, size_t len,
			size_t *used)
{
	const struct khttp_limits *lim = &kc->ks->cfg.limits;
	size_t off = 0;
	int ret = 0;

	while (off < len &&
	       (kc->fwd || (!kc->streaming && !kc->relay && !kc->close))) {
		long n;

		if (kc->fwd) {
			size_t take = min_t(u64, kc->fwd, len - off);

			ret = khttpd_relay_forward(kc, data + off, take);
			off += take;
			if (ret < 0)
				break;
			continue;
		}
		if (kc->skip) {
			size_t take = min_t(u64, kc->skip, len - off);

			kc->skip -= take;
			off += take;
			continue;
		}
		if (ksrv_conn_queued(kc->conn))
			break;
		n = khttp_head_end(data + off, len - off, &kc->scan, lim);
		if (!n)
			break;
		kc->scan = 0;
		if (n < 0) {
			/* no head we can frame: answer, then drop the rest */
			ret = khttpd_request_error(kc, -n);
			off = len;
			break;
		}
		ret = khttpd_request(kc, data + off, n);
		off += n;
		if (ret < 0)
			break;
	}
	*used = off;
	return ret;
}

/* Keep the unanswered rest of a receive; it is shorter than max_head. */
static int khttpd_keep(struct khttpd_conn *kc, const char *data, size_t len)
{
	if (!kc->buf) {
		kc->buf = kmalloc(khttpd_max_head(kc), GFP_KERNEL | __GFP_NOWARN);
		if (!kc->buf)
			return -ENOMEM;
	}
	memmove(kc->buf, data, len);
	kc->len = len;
	return 0;
}

/* What to tell the engine once the buffered requests are answered. */
static int khttpd_verdict(struct khttpd_conn *kc, int ret)
{
	struct khttpd_server *ks = kc->ks;

	if (ret < 0)
		return ret;
	/* the relay runs the timer for the backend */
	if (kc->relay)
		return KSRV_CONTINUE;
	if (kc->streaming) {
		khttpd_timer(kc, 0, false);
		return KSRV_WANT_WRITE;
	}
	if (kc->close) {
		ksrv_conn_shutdown(kc->conn);
		return KSRV_CONTINUE;
	}
	/* a response left in the queue: the next request waits for it */
	if (kc->len && ksrv_conn_queued(kc->conn))
		return KSRV_WANT_WRITE;
	/*
	 * A head begun, or a body being skipped, must be done within
	 * header_timeout of its start (a slow body could otherwise hold the
	 * connection forever, each byte restarting the keep-alive timer).
	 */
	if (kc->len || kc->skip) {
		if (!kc->header_timer)
			khttpd_timer(kc, ks->cfg.header_timeout, true);
	} else {
		khttpd_timer(kc, ks->cfg.keepalive_timeout, false);
	}
	return KSRV_CONTINUE;
}

/* Answer what is buffered, then keep what is left at the buffer's start. */
static int khttpd_serve_buffered(struct khttpd_conn *kc)
{
	size_t used;
	int ret;

	ret = khttpd_serve(kc, kc->buf, kc->len, &used);
	if (kc->close)
		used = kc->len;
	kc->len -= used;
	if (kc->len)
		memmove(kc->buf, kc->buf + used, kc->len);
	return ret;
}

static int khttpd_on_data(struct ksrv_conn *conn, const void *data,
			  size_t len)
{
	struct khttpd_conn *kc = khttpd_conn_state(conn);
	size_t used;
	int ret;

	if (!kc)
		return -ENOMEM;
	/* answered and closing: ignore the rest, but a body being relayed */
	if (kc->close && !kc->fwd)
		return KSRV_CONTINUE;
	if (kc->len) {
		/* rx_room made sure it fits */
		memcpy(kc->buf + kc->len, data, len);
		kc->len += len;
		return khttpd_verdict(kc, khttpd_serve_buffered(kc));
	}
	/* the usual case: whole requests, parsed where they arrived */
	ret = khttpd_serve(kc, data, len, &used);
	if (ret >= 0 && used < len && !kc->close)
		ret = khttpd_keep(kc, (const char *)data + used, len - used);
	return khttpd_verdict(kc, ret);
}

/* A response is done: answer what was pipelined behind it. */
static int khttpd_next(struct khttpd_conn *kc, int ret)
{
	if (ret >= 0 && !kc->streaming && !kc->relay && kc->len && !kc->close)
		ret = khttpd_serve_buffered(kc);
	return khttpd_verdict(kc, ret);
}

static int khttpd_on_writable(struct ksrv_conn *conn)
{
	struct khttpd_conn *kc = ksrv_conn_priv(conn);
	int ret = 0;

	if (!kc)
		return KSRV_CONTINUE;
	if (kc->streaming) {
		ret = khttpd_body_push(kc);
		if (ret < 0)
			return ret;
		if (ret > 0)
			return KSRV_WANT_WRITE;
		khttpd_request_done(kc);
	}
	return khttpd_next(kc, ret);
}

static int khttpd_on_link_data(struct ksrv_conn *conn, const void *data,
			       size_t len)
{
	struct khttpd_conn *kc = ksrv_conn_priv(conn);

	if (!kc)
		return KSRV_CONTINUE;
	return khttpd_next(kc, khttpd_relay_data(kc, data, len));
}

static int khttpd_on_link_close(struct ksrv_conn *conn, int reason)
{
	struct khttpd_conn *kc = ksrv_conn_priv(conn);

	if (!kc)
		return KSRV_CONTINUE;
	return khttpd_next(kc, khttpd_relay_closed(kc, reason));
}

static size_t khttpd_rx_room(struct ksrv_conn *conn)
{
	struct khttpd_conn *kc = ksrv_conn_priv(conn);

	if (!kc)
		return ((struct khttpd_server *)
			ksrv_server_priv(ksrv_conn_server(conn)))->cfg.limits.max_head;
	if (kc->streaming)
		return 0;
	if (kc->relay)
		return khttpd_relay_room(kc);
	return khttpd_max_head(kc) - kc->len;
}

static int khttpd_on_open(struct ksrv_conn *conn)
{
	struct khttpd_server *ks = ksrv_server_priv(ksrv_conn_server(conn));

	/* a client that connects and says nothing gets header_timeout too */
	ksrv_conn_timer(conn, ks->cfg.header_timeout * MSEC_PER_SEC);
	return 0;
}

static int khttpd_on_timeout(struct ksrv_conn *conn)
{
	struct khttpd_conn *kc = ksrv_conn_priv(conn);
	struct khttpd_server *ks = ksrv_server_priv(ksrv_conn_server(conn));

	if (kc && kc->streaming)
		return KSRV_CONTINUE;
	if (kc && kc->relay)
		return khttpd_next(kc, khttpd_relay_timeout(kc));
	if (!kc || kc->header_timer || !kc->requests) {
		khttpd_stat_add(ks, KHTTPD_STAT_HEADER_TIMEOUTS, 1);
		/* a head begun and not finished is told why */
		if (kc && kc->len && !kc->skip)
			return khttpd_verdict(kc,
					      khttpd_request_error(kc, 408));
	} else {
		khttpd_stat_add(ks, KHTTPD_STAT_KEEPALIVE_TIMEOUTS, 1);
	}
	ksrv_conn_shutdown(conn);
	return KSRV_CONTINUE;
}

static void khttpd_on_close(struct ksrv_conn *conn, int reason)
{
	struct khttpd_conn *kc = ksrv_conn_priv(conn);

	if (!kc)
		return;
	khttpd_body_release(&kc->body);
	khttpd_relay_release(kc);
	kfree(kc->buf);
	kfree(kc);
}

const struct ksrv_proto khttpd_proto = {
	.name = "khttpd",
	.on_open = khttpd_on_open,
	.rx_room = khttpd_rx_room,
	.on_data = khttpd_on_data,
	.on_writable = khttpd_on_writable,
	.on_timeout = khttpd_on_timeout,
	.on_close = khttpd_on_close,
	.show = khttpd_stats_show,
	.on_link_data = khttpd_on_link_data,
	.on_link_close = khttpd_on_link_close,
};
