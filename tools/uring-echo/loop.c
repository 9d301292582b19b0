// SPDX-License-Identifier: GPL-2.0
/*
 * uring-echo's event loop: one io_uring per thread, each with its own
 * SO_REUSEPORT listener (see serve.c), on liburing 2.3 and Linux 6.1.
 *
 * Techniques: a multishot accept (5.19+; falls back to re-armed single
 * accepts if refused), then one operation in flight per connection: recv
 * into the connection's buffer, send exactly the bytes received, resubmit
 * the rest after a short send, and only then recv again.  That keeps the
 * echo exact and bounds memory to one buffer per connection; there is never
 * more than one request per connection, so a completion can always be
 * matched to its connection's state without reference counts.
 *
 * Try it:  uring-echo -a 127.0.0.1:12345 &  echo hello | nc 127.0.0.1 12345
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serve.h"

const char serve_name[] = "uring-echo";

#define SQ_ENTRIES	1024
#define CQ_ENTRIES	16384	/* one in flight per connection */
#define BUF_LEN		(16u << 10)
#define ACCEPT_TAG	0	/* user_data of the accept; conns are pointers */

struct conn {
	int fd;
	bool sending;
	uint32_t len;		/* bytes received, being echoed ... */
	uint32_t off;		/* ... of which this many are sent */
	uint8_t buf[BUF_LEN];
};

struct loop {
	struct io_uring ring;
	int lfd;
	bool multishot;
};

static struct io_uring_sqe *get_sqe(struct loop *l)
{
	struct io_uring_sqe *sqe;

	while (!(sqe = io_uring_get_sqe(&l->ring)))
		io_uring_submit(&l->ring);	/* SQ full: flush it */
	return sqe;
}

static void arm_accept(struct loop *l)
{
	struct io_uring_sqe *sqe = get_sqe(l);

	if (l->multishot)
		io_uring_prep_multishot_accept(sqe, l->lfd, NULL, NULL,
					       SOCK_CLOEXEC);
	else
		io_uring_prep_accept(sqe, l->lfd, NULL, NULL, SOCK_CLOEXEC);
	io_uring_sqe_set_data64(sqe, ACCEPT_TAG);
}

static void arm_recv(struct loop *l, struct conn *c)
{
	struct io_uring_sqe *sqe = get_sqe(l);

	c->sending = false;
	io_uring_prep_recv(sqe, c->fd, c->buf, BUF_LEN, 0);
	io_uring_sqe_set_data(sqe, c);
}

static void arm_send(struct loop *l, struct conn *c)
{
	struct io_uring_sqe *sqe = get_sqe(l);

	c->sending = true;
	io_uring_prep_send(sqe, c->fd, c->buf + c->off, c->len - c->off,
			   MSG_NOSIGNAL);
	io_uring_sqe_set_data(sqe, c);
}

static void conn_close(struct conn *c)
{
	close(c->fd);	/* nothing else is in flight for it */
	free(c);
}

static void on_accept(struct loop *l, const struct io_uring_cqe *cqe)
{
	static int warned;
	struct conn *c;
	int one = 1;

	if (cqe->res == -EINVAL && l->multishot) {
		l->multishot = false;	/* older kernel: one at a time */
		arm_accept(l);
		return;
	}
	if (!(cqe->flags & IORING_CQE_F_MORE))
		arm_accept(l);
	if (cqe->res < 0) {
		if (!warned++)
			fprintf(stderr, "uring-echo: accept: %s\n",
				strerror(-cqe->res));
		return;
	}
	c = malloc(sizeof(*c));
	if (!c) {
		close(cqe->res);
		return;
	}
	c->fd = cqe->res;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	arm_recv(l, c);
}

static void on_conn(struct loop *l, struct conn *c, int res)
{
	if (res <= 0) {		/* EOF, reset, or a send that made no progress */
		conn_close(c);
		return;
	}
	if (c->sending) {
		c->off += res;
	} else {
		c->len = res;
		c->off = 0;
	}
	if (c->off < c->len)
		arm_send(l, c);
	else
		arm_recv(l, c);
}

/* Fewer kernel transitions where the kernel offers it (6.0+), else plain. */
static void ring_init(struct loop *l)
{
	struct io_uring_params p = {
		.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER |
			 IORING_SETUP_COOP_TASKRUN,
		.cq_entries = CQ_ENTRIES,
	};
	int ret = io_uring_queue_init_params(SQ_ENTRIES, &l->ring, &p);

	if (ret == -EINVAL) {
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_CQSIZE;
		p.cq_entries = CQ_ENTRIES;
		ret = io_uring_queue_init_params(SQ_ENTRIES, &l->ring, &p);
	}
	if (ret < 0) {
		fprintf(stderr, "uring-echo: io_uring_queue_init: %s\n",
			strerror(-ret));
		exit(1);
	}
}

void *serve_loop(void *arg)
{
	struct loop *l = calloc(1, sizeof(*l));
	struct io_uring_cqe *cqe;
	unsigned int head, n;

	if (!l)
		exit(1);
	l->lfd = (int)(intptr_t)arg;
	l->multishot = true;
	/* io_uring waits for readiness itself; a blocking fd avoids -EAGAIN. */
	fcntl(l->lfd, F_SETFL, fcntl(l->lfd, F_GETFL) & ~O_NONBLOCK);
	ring_init(l);
	arm_accept(l);

	for (;;) {
		io_uring_submit_and_wait(&l->ring, 1);
		n = 0;
		io_uring_for_each_cqe(&l->ring, head, cqe) {
			if (cqe->user_data == ACCEPT_TAG)
				on_accept(l, cqe);
			else
				on_conn(l, io_uring_cqe_get_data(cqe), cqe->res);
			n++;
		}
		io_uring_cq_advance(&l->ring, n);
	}
}
