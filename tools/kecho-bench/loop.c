// SPDX-License-Identifier: GPL-2.0
/*
 * The per-thread event loop: open the connections, run the chosen mode
 * until t_end, then drain what is still in flight and close.
 *
 * The modes differ only in when a connection may start its next message,
 * expressed as c->due (messages [0, due) may be sent):
 *   pingpong/pipeline  due = messages echoed + depth  (closed loop)
 *   rate               due grows on a clock (open loop, rate_tick())
 *   connect            one message per connection, then a new connection
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_EVENTS		256
#define CONNECT_BATCH		64	/* connects in progress per thread */
#define CONNECT_TIMEOUT_NS	10000000000ull
#define TICK_NS			100000000ull

int worker_init(struct worker *w, unsigned int idx)
{
	const struct bench_cfg *cfg = w->cfg;
	unsigned int i;

	w->idx = idx;
	w->nconn = (cfg->conns - idx + cfg->threads - 1) / cfg->threads;
	w->rate_k = idx;
	hist_init(&w->st.hist);
	w->ep = epoll_create1(EPOLL_CLOEXEC);
	w->buf = malloc(BUF_LEN);
	w->conn = calloc(w->nconn, sizeof(*w->conn));
	w->restart = calloc(w->nconn, sizeof(*w->restart));
	if (w->ep < 0 || !w->buf || !w->conn || !w->restart)
		return -1;
	for (i = 0; i < w->nconn; i++) {
		struct conn *c = &w->conn[i];

		c->fd = -1;
		c->id = i * cfg->threads + idx;
		c->stamp = calloc(cfg->depth, sizeof(*c->stamp));
		if (!c->stamp)
			return -1;
	}
	return 0;
}

/* epoll_wait() until @until at the latest, with nanosecond timeouts. */
static int wait_events(struct worker *w, struct epoll_event *ev,
		       uint64_t now, uint64_t until)
{
	static int no_pwait2;
	uint64_t d = until > now ? until - now : 0;
	struct timespec ts = { d / 1000000000, d % 1000000000 };
	int n = -1;

	if (!no_pwait2) {
		n = epoll_pwait2(w->ep, ev, MAX_EVENTS, &ts, NULL);
		if (n < 0 && errno == ENOSYS)
			no_pwait2 = 1;
	}
	if (no_pwait2)
		n = epoll_wait(w->ep, ev, MAX_EVENTS, (d + 999999) / 1000000);
	return n < 0 ? 0 : n;	/* EINTR: just look at the clock again */
}

/* Set-up of a connection ends when its hello has been echoed. */
static bool setting_up(const struct conn *c)
{
	return c->state == CONN_CONNECTING ||
	       (c->state == CONN_OPEN && c->rx_seq < HELLO_MSGS);
}

static void setup_event(struct worker *w, struct conn *c, uint32_t events)
{
	uint64_t now = now_ns();

	if (c->state == CONN_CONNECTING && conn_finish_connect(w, c, now))
		return;
	if (c->state != CONN_OPEN)
		return;
	if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) &&
	    conn_recv(w, c) < 0)
		return;
	conn_send(w, c, now);
}

/*
 * Open every connection before the clock starts, CONNECT_BATCH at a time,
 * so that a burst of SYNs does not overrun the server's accept backlog (a
 * dropped SYN or ACK costs a retransmit of a second or more).  A finished
 * connect() only says the kernel answered; the hello's echo says the
 * server has accepted and served the connection, so a batch ends there.
 */
static void connect_all(struct worker *w)
{
	unsigned int next = 0, pending = 0, i;
	struct epoll_event ev[MAX_EVENTS];
	uint64_t now = now_ns(), scan = now + TICK_NS;
	int n;

	while (next < w->nconn || pending) {
		while (next < w->nconn && pending < CONNECT_BATCH) {
			struct conn *c = &w->conn[next++];

			if (conn_start(w, c, now))
				continue;
			c->due = HELLO_MSGS;
			conn_send(w, c, now);
			pending += setting_up(c);
		}
		n = wait_events(w, ev, now, now + TICK_NS);
		now = now_ns();
		for (i = 0; i < (unsigned int)n; i++) {
			struct conn *c = ev[i].data.ptr;
			bool was = setting_up(c);

			setup_event(w, c, ev[i].events);
			if (was && !setting_up(c))
				pending--;
		}
		if (now < scan)
			continue;
		scan = now + TICK_NS;
		for (i = 0; i < next; i++) {
			struct conn *c = &w->conn[i];

			if (setting_up(c) &&
			    now - c->t_connect > CONNECT_TIMEOUT_NS) {
				pending--;
				conn_connect_failed(w, c, ETIMEDOUT);
			}
		}
	}
}

/* Connect mode: a new connection, which sends one message when open. */
static void cycle_begin(struct worker *w, struct conn *c, uint64_t now)
{
	if (conn_start(w, c, now))
		return;
	c->due = c->tx_seq + 1;
	if (c->state == CONN_OPEN)
		conn_send(w, c, now);
}

static void handle(struct worker *w, struct conn *c, uint32_t events)
{
	int r;

	if (c->state == CONN_CONNECTING &&
	    conn_finish_connect(w, c, now_ns()))
		return;
	if (c->state != CONN_OPEN)
		return;		/* closed earlier in this batch */
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
		r = conn_recv(w, c);
		if (r < 0)
			return;
		if (r == 1) {	/* connect mode: cycle complete */
			conn_close(w, c);
			w->restart[w->nrestart++] = c;
			return;
		}
	}
	conn_send(w, c, now_ns());
}

/*
 * Handle a batch of events.  Connect mode reuses a struct conn for the next
 * socket only after the batch, so a stale event later in the same batch
 * cannot be mistaken for one of the new socket.
 */
static void dispatch(struct worker *w, struct epoll_event *ev, int n)
{
	uint64_t now;
	int i;

	for (i = 0; i < n; i++)
		handle(w, ev[i].data.ptr, ev[i].events);
	now = now_ns();
	for (i = 0; i < (int)w->nrestart; i++)
		if (w->phase == PHASE_RUN && now < w->clk->t_end)
			cycle_begin(w, w->restart[i], now);
	w->nrestart = 0;
}

/* Rate mode: release every message scheduled up to @now; next send time. */
static uint64_t rate_tick(struct worker *w, uint64_t now)
{
	const struct bench_cfg *cfg = w->cfg;
	uint64_t t;

	while ((t = rate_time(w, w->rate_k)) <= now && t < w->clk->t_end) {
		uint64_t id = w->rate_k % cfg->conns;
		struct conn *c = &w->conn[id / cfg->threads];

		c->due++;
		conn_send(w, c, now);
		/* next k of one of our connections: id + threads, wrapping */
		if (id + cfg->threads < cfg->conns)
			w->rate_k += cfg->threads;
		else
			w->rate_k += cfg->conns - id + w->idx;
	}
	return t;
}

static void run(struct worker *w)
{
	const struct bench_cfg *cfg = w->cfg;
	struct epoll_event ev[MAX_EVENTS];
	uint64_t now = now_ns(), until;
	unsigned int i;

	w->phase = PHASE_RUN;
	w->t_rx = now;		/* a server that never answers is silent from here */
	for (i = 0; i < w->nconn; i++) {
		struct conn *c = &w->conn[i];

		if (cfg->mode == MODE_CONNECT) {
			cycle_begin(w, c, now);
		} else if (cfg->mode != MODE_RATE && c->state == CONN_OPEN) {
			c->due = c->rx_seq + cfg->depth;
			conn_send(w, c, now);
		}
	}
	while (w->live) {
		now = now_ns();
		if (now >= w->clk->t_end)
			break;
		until = w->clk->t_end;
		if (cfg->mode == MODE_RATE) {
			uint64_t next = rate_tick(w, now);

			if (next < until)
				until = next;
		}
		dispatch(w, ev, wait_events(w, ev, now, until));
	}
}

static bool drained(const struct conn *c)
{
	return c->tx_seq >= c->due && c->rx_bytes == c->tx_bytes;
}

/*
 * After t_end: finish the message being sent, so the server sees whole
 * messages, and wait for the echoes already owed, without counting them.
 * Closing with echoes unread would reset the connection, which the server
 * might count as an error.
 *
 * An echo that never comes (a byte lost at the end of a message leaves the
 * client waiting, not reading a wrong byte) is told from a slow one by the
 * server falling silent: when no connection of this thread has received
 * anything for STALL_NS, every echo still owed is an error.  A server that
 * is still working through its backlog, however unfairly, keeps making
 * progress somewhere; it gets until DRAIN_NS, and what remains then is cut
 * off without counting.
 */
static unsigned int drain_pass(struct worker *w, uint64_t now)
{
	bool silent = now - w->t_rx >= STALL_NS;
	unsigned int i, left = 0;

	for (i = 0; i < w->nconn; i++) {
		struct conn *c = &w->conn[i];

		if (c->state != CONN_OPEN)
			continue;
		if (drained(c))
			conn_close(w, c);
		else if (silent)
			conn_fail(w, c, ERR_STALL,
				  "conn %u: %llu bytes unechoed for %.1f s",
				  c->id,
				  (unsigned long long)(c->tx_bytes - c->rx_bytes),
				  (now - c->t_progress) / 1e9);
		else
			left++;
	}
	return left;
}

static void drain(struct worker *w)
{
	struct epoll_event ev[MAX_EVENTS];
	uint64_t now = now_ns(), deadline = now + DRAIN_NS, until;
	unsigned int i, left;

	w->phase = PHASE_DRAIN;
	for (i = 0; i < w->nconn; i++) {
		struct conn *c = &w->conn[i];

		if (c->state == CONN_CONNECTING) {
			conn_close(w, c);
		} else if (c->state == CONN_OPEN) {
			c->due = c->tx_seq + (c->tx_off != 0);
			conn_send(w, c, now);
		}
	}
	for (;;) {
		now = now_ns();
		left = drain_pass(w, now);
		if (!left)
			break;
		if (now >= deadline) {
			fprintf(stderr, "kecho-bench: %u connections still owed echoes %.0f s after the end; not counted\n",
				left, DRAIN_NS / 1e9);
			break;
		}
		until = now + TICK_NS < deadline ? now + TICK_NS : deadline;
		dispatch(w, ev, wait_events(w, ev, now, until));
	}
	for (i = 0; i < w->nconn; i++)
		conn_close(w, &w->conn[i]);
}

void *worker_main(void *arg)
{
	struct worker *w = arg;

	/* Rate mode sleeps until each send is due: do not oversleep by 50 us. */
	prctl(PR_SET_TIMERSLACK, 1);
	if (w->cfg->mode != MODE_CONNECT)
		connect_all(w);
	pthread_barrier_wait(w->ready);	/* all connected ... */
	pthread_barrier_wait(w->ready);	/* ... and the clock is set */
	run(w);
	drain(w);
	close(w->ep);
	return NULL;
}
