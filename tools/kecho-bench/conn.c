// SPDX-License-Identifier: GPL-2.0
/*
 * One benchmark connection: non-blocking connect, sending generated
 * messages, and receiving and verifying their echoes.
 *
 * Sockets are registered once, edge-triggered, for EPOLLIN | EPOLLOUT:
 * no epoll_ctl() on the fast path.  The price of edge triggering is that
 * every handler must run to EAGAIN, which conn_send() and conn_recv() do.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define MAX_REPORTS	10	/* error lines printed per run */

static atomic_uint reports;

static const char *const err_name[ERR_KINDS] = {
	[ERR_MISMATCH] = "mismatch",
	[ERR_EXTRA] = "extra bytes",
	[ERR_EOF] = "eof",
	[ERR_RESET] = "reset",
	[ERR_STALL] = "stall",
};

/* Report the first few problems; after that only the counters grow. */
static void say(const char *what, const char *fmt, va_list ap)
{
	unsigned int n = atomic_fetch_add(&reports, 1);

	if (n >= MAX_REPORTS)
		return;
	fprintf(stderr, "kecho-bench: %s: ", what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	if (n == MAX_REPORTS - 1)
		fprintf(stderr, "kecho-bench: further errors not shown\n");
}

void conn_connect_failed(struct worker *w, struct conn *c, int err)
{
	char buf[64];

	w->st.connect_failures++;
	if (atomic_fetch_add(&reports, 1) < MAX_REPORTS)
		fprintf(stderr, "kecho-bench: connect %s (conn %u): %s\n",
			addr_str(&w->cfg->addr, buf, sizeof(buf)), c->id,
			strerror(err));
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
		w->live--;
	}
	c->state = CONN_DEAD;
}

void conn_close(struct worker *w, struct conn *c)
{
	if (c->fd < 0)
		return;
	close(c->fd);			/* also leaves the epoll set */
	c->fd = -1;
	c->state = CONN_IDLE;
	w->live--;
}

void conn_fail(struct worker *w, struct conn *c, enum err_kind kind,
	       const char *fmt, ...)
{
	va_list ap;

	w->st.err[kind]++;
	va_start(ap, fmt);
	say(err_name[kind], fmt, ap);
	va_end(ap);
	conn_close(w, c);
	c->state = CONN_DEAD;
}

/* Begin a (re)connect; a new cycle in connect mode starts from here too. */
int conn_start(struct worker *w, struct conn *c, uint64_t now)
{
	const struct bench_cfg *cfg = w->cfg;
	struct epoll_event ev = {
		.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
		.data.ptr = c,
	};
	int one = 1;

	c->fd = socket(cfg->addr.ss.ss_family,
		       SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		conn_connect_failed(w, c, errno);
		return -1;
	}
	w->live++;
	c->tx_off = c->rx_off = 0;
	c->tx_bytes = c->rx_bytes = 0;
	c->due = c->tx_seq;	/* nothing to send until the mode says so */
	c->t_connect = c->t_progress = now;
	proto_msg_init(&c->rx_msg, c->id, c->rx_seq, cfg->len);

	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (epoll_ctl(w->ep, EPOLL_CTL_ADD, c->fd, &ev)) {
		conn_connect_failed(w, c, errno);
		return -1;
	}
	if (connect(c->fd, (const struct sockaddr *)&cfg->addr.ss,
		    cfg->addr.len) == 0) {
		c->state = CONN_OPEN;
		return 0;
	}
	if (errno != EINPROGRESS) {
		conn_connect_failed(w, c, errno);
		return -1;
	}
	c->state = CONN_CONNECTING;
	return 0;
}

/* EPOLLOUT (or an error) on a connecting socket: did it work? */
int conn_finish_connect(struct worker *w, struct conn *c, uint64_t now)
{
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (err) {
		conn_connect_failed(w, c, err);
		return -1;
	}
	c->state = CONN_OPEN;
	c->t_progress = now;
	return 0;
}

/* When message @seq was (or should have been) sent: latency starts here. */
static uint64_t origin(const struct worker *w, const struct conn *c,
		       uint64_t seq)
{
	switch (w->cfg->mode) {
	case MODE_RATE:
		return rate_time(w, (seq - HELLO_MSGS) * w->cfg->conns + c->id);
	case MODE_CONNECT:
		return c->t_connect;
	default:
		return c->stamp[seq % w->cfg->depth];
	}
}

static bool measured(const struct worker *w, uint64_t t)
{
	return t >= w->clk->t_meas && t < w->clk->t_end;
}

/* Account for @n more bytes handed to the kernel. */
void conn_sent(struct worker *w, struct conn *c, size_t n, uint64_t now)
{
	uint32_t len = w->cfg->len;

	c->tx_bytes += n;
	c->t_progress = now;
	while (n) {
		size_t take = len - c->tx_off;

		if (c->tx_off == 0) {
			c->stamp[c->tx_seq % w->cfg->depth] = now;
			if (measured(w, now))
				w->st.sent++;
		}
		if (take > n)
			take = n;
		c->tx_off += take;
		n -= take;
		if (c->tx_off == len) {
			c->tx_seq++;
			c->tx_off = 0;
		}
	}
}

/*
 * Generate into the scratch buffer as much of messages [tx_seq, due) as
 * fits in @limit bytes (at most BUF_LEN).
 */
size_t conn_generate(struct worker *w, const struct conn *c, size_t limit)
{
	uint32_t len = w->cfg->len, off = c->tx_off;
	uint64_t seq = c->tx_seq;
	struct proto_msg m;
	size_t n = 0;

	if (limit > BUF_LEN)
		limit = BUF_LEN;
	while (n < limit && seq < c->due) {
		size_t take = len - off;

		if (take > limit - n)
			take = limit - n;
		proto_msg_init(&m, c->id, seq, len);
		proto_fill(&m, off, w->buf + n, take);
		n += take;
		off += take;
		if (off == len) {
			seq++;
			off = 0;
		}
	}
	return n;
}

/*
 * Send what is due, until EAGAIN.  Bytes the kernel did not take are not
 * kept: they are generated again next time.
 */
int conn_send(struct worker *w, struct conn *c, uint64_t now)
{
	while (c->state == CONN_OPEN && c->tx_seq < c->due) {
		size_t n = conn_generate(w, c, BUF_LEN);
		ssize_t r = send(c->fd, w->buf, n, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			conn_fail(w, c, ERR_RESET, "conn %u: send: %s", c->id,
				  strerror(errno));
			return -1;
		}
		conn_sent(w, c, r, now);
	}
	return 0;
}

/* Message rx_seq is complete at @now. */
static void received(struct worker *w, struct conn *c, uint64_t now)
{
	const struct bench_cfg *cfg = w->cfg;

	if (measured(w, now)) {
		w->st.msgs++;
		w->st.bytes += cfg->len;
		hist_record(&w->st.hist, now - origin(w, c, c->rx_seq));
	}
	c->rx_seq++;
	c->rx_off = 0;
	proto_msg_init(&c->rx_msg, c->id, c->rx_seq, cfg->len);
	if (w->phase == PHASE_RUN &&
	    (cfg->mode == MODE_PINGPONG || cfg->mode == MODE_PIPELINE))
		c->due = c->rx_seq + cfg->depth;
}

/*
 * Verify @n echoed bytes.  Returns 0, 1 when the message of a connect-mode
 * cycle is complete, or -1 if the connection failed.
 */
int conn_consume(struct worker *w, struct conn *c, const uint8_t *p,
		 size_t n, uint64_t now)
{
	uint64_t owed = c->tx_bytes - c->rx_bytes;
	size_t ok = n < owed ? n : owed;
	uint32_t len = w->cfg->len;

	c->t_progress = now;
	w->t_rx = now;
	while (ok) {
		size_t take = len - c->rx_off, bad;

		if (take > ok)
			take = ok;
		bad = proto_check(&c->rx_msg, c->rx_off, p, take);
		if (bad < take) {
			uint32_t off = c->rx_off + bad;

			conn_fail(w, c, ERR_MISMATCH,
				  "conn %u seq %llu offset %u: expected 0x%02x, got 0x%02x",
				  c->id, (unsigned long long)c->rx_seq, off,
				  proto_byte(&c->rx_msg, off), p[bad]);
			return -1;
		}
		c->rx_bytes += take;
		c->rx_off += take;
		p += take;
		ok -= take;
		n -= take;
		if (c->rx_off == len) {
			received(w, c, now);
			if (w->cfg->mode == MODE_CONNECT && !n)
				return 1;
		}
	}
	if (n) {
		conn_fail(w, c, ERR_EXTRA,
			  "conn %u: %zu bytes more than were sent", c->id, n);
		return -1;
	}
	return 0;
}

/* The server closed @c while echoes were still owed. */
void conn_fail_eof(struct worker *w, struct conn *c)
{
	conn_fail(w, c, ERR_EOF,
		  "conn %u: closed by the server with %llu bytes unechoed",
		  c->id, (unsigned long long)(c->tx_bytes - c->rx_bytes));
}

/* Read to EAGAIN.  Returns as conn_consume(). */
int conn_recv(struct worker *w, struct conn *c)
{
	for (;;) {
		ssize_t r = recv(c->fd, w->buf, BUF_LEN, MSG_DONTWAIT);
		int ret;

		if (r > 0) {
			ret = conn_consume(w, c, w->buf, r, now_ns());
			if (ret)
				return ret;
			continue;
		}
		if (r == 0) {
			conn_fail_eof(w, c);
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN)
			return 0;
		conn_fail(w, c, ERR_RESET, "conn %u: %s", c->id,
			  strerror(errno));
		return -1;
	}
}
