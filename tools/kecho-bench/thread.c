// SPDX-License-Identifier: GPL-2.0
/*
 * The thread-per-connection client (--client thread): each connection has
 * a thread of its own and a blocking socket, and runs ping-pong as the
 * simplest client would: send a message, read until its echo is complete,
 * send the next.  It is the other half of the comparison with the event
 * loops (loop.c): a server that is fast against one epoll client may fare
 * otherwise against many threads that each block in recv().
 *
 * The bookkeeping and the verification are conn.c's, shared with the
 * event loops: conn_sent() stamps and counts what went out, and
 * conn_consume() checks every echoed byte against the message format, so
 * the two clients fail on exactly the same faults.  Each thread is a
 * struct worker of one connection; main.c merges their statistics.
 *
 * Blocking I/O needs two guards the event loop gets from its clock:
 *   - at most WINDOW bytes are unechoed at a time, so that a message
 *     larger than the socket buffers cannot deadlock a client blocked in
 *     send() against a server that stops reading while it cannot send;
 *   - SO_RCVTIMEO of STALL_NS: a server silent that long with echoes owed
 *     fails the connection as a stall, as in the event loop's drain.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define WINDOW		(32u << 10)	/* bytes unechoed at most */
#define CONNECT_TIMEOUT_S	10

int thread_init(struct worker *w, unsigned int idx)
{
	w->idx = idx;
	w->nconn = 1;
	w->ep = -1;
	hist_init(&w->st.hist);
	w->buf = malloc(WINDOW);
	w->conn = calloc(1, sizeof(*w->conn));
	if (!w->buf || !w->conn)
		return -1;
	w->conn->fd = -1;
	w->conn->id = idx;
	w->conn->stamp = calloc(1, sizeof(*w->conn->stamp));
	return w->conn->stamp ? 0 : -1;
}

static void set_timeout(int fd, int opt, uint64_t ns)
{
	struct timeval tv = { ns / 1000000000, ns % 1000000000 / 1000 };

	setsockopt(fd, SOL_SOCKET, opt, &tv, sizeof(tv));
}

/* A blocking connect, bounded by SO_SNDTIMEO.  0 when open. */
static int thread_connect(struct worker *w, struct conn *c)
{
	const struct bench_cfg *cfg = w->cfg;
	int one = 1;

	c->fd = socket(cfg->addr.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		conn_connect_failed(w, c, errno);
		return -1;
	}
	w->live = 1;
	c->t_connect = c->t_progress = now_ns();
	proto_msg_init(&c->rx_msg, c->id, c->rx_seq, cfg->len);
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	set_timeout(c->fd, SO_SNDTIMEO, CONNECT_TIMEOUT_S * 1000000000ull);
	set_timeout(c->fd, SO_RCVTIMEO, STALL_NS);
	while (connect(c->fd, (const struct sockaddr *)&cfg->addr.ss,
		       cfg->addr.len)) {
		if (errno == EINTR)
			continue;
		conn_connect_failed(w, c, errno == EINPROGRESS ? ETIMEDOUT : errno);
		return -1;
	}
	set_timeout(c->fd, SO_SNDTIMEO, STALL_NS);
	c->state = CONN_OPEN;
	return 0;
}

/* Send what may go out now: up to the window, of messages [tx_seq, due). */
static int thread_send(struct worker *w, struct conn *c)
{
	uint64_t owed = c->tx_bytes - c->rx_bytes;
	size_t n = conn_generate(w, c, WINDOW - owed);
	ssize_t r;

	r = send(c->fd, w->buf, n, MSG_NOSIGNAL);
	if (r < 0) {
		if (errno == EINTR)
			return 0;
		conn_fail(w, c, errno == EAGAIN ? ERR_STALL : ERR_RESET,
			  "conn %u: send: %s", c->id,
			  errno == EAGAIN ? "no progress for 5 s" : strerror(errno));
		return -1;
	}
	conn_sent(w, c, r, now_ns());
	return 0;
}

/* One blocking read of echoes; verified by conn_consume(). */
static int thread_recv(struct worker *w, struct conn *c)
{
	ssize_t r = recv(c->fd, w->buf, WINDOW, 0);

	if (r > 0)
		return conn_consume(w, c, w->buf, r, now_ns()) < 0 ? -1 : 0;
	if (r == 0) {
		conn_fail_eof(w, c);
		return -1;
	}
	if (errno == EINTR)
		return 0;
	if (errno == EAGAIN)
		conn_fail(w, c, ERR_STALL, "conn %u: %llu bytes unechoed for %.1f s",
			  c->id, (unsigned long long)(c->tx_bytes - c->rx_bytes),
			  STALL_NS / 1e9);
	else
		conn_fail(w, c, ERR_RESET, "conn %u: %s", c->id, strerror(errno));
	return -1;
}

/*
 * Exchange messages until message @upto has been sent and everything sent
 * has come back, or, with @upto 0, until the clock runs out at a message
 * boundary.  conn_consume() moves c->due on in the run phase (ping-pong:
 * one past the last echo).
 */
static void exchange(struct worker *w, struct conn *c, uint64_t upto)
{
	if (upto)
		c->due = upto;
	while (c->state == CONN_OPEN) {
		bool idle = c->rx_bytes == c->tx_bytes && c->tx_off == 0;

		if (idle && (upto ? c->tx_seq >= upto : now_ns() >= w->clk->t_end))
			return;
		if (c->tx_seq < c->due && c->tx_bytes - c->rx_bytes < WINDOW) {
			if (thread_send(w, c))
				return;
		} else if (thread_recv(w, c)) {
			return;
		}
	}
}

void *thread_main(void *arg)
{
	struct worker *w = arg;
	struct conn *c = w->conn;

	/* the hello: served once, before the clock starts */
	if (!thread_connect(w, c))
		exchange(w, c, HELLO_MSGS);
	pthread_barrier_wait(w->ready);	/* all connected ... */
	pthread_barrier_wait(w->ready);	/* ... and the clock is set */
	if (c->state == CONN_OPEN) {
		w->phase = PHASE_RUN;
		c->due = c->rx_seq + 1;
		exchange(w, c, 0);
	}
	conn_close(w, c);
	return NULL;
}
