// SPDX-License-Identifier: GPL-2.0
/*
 * epoll-echo's event loop: one per thread, each with its own SO_REUSEPORT
 * listener, so the kernel spreads connections over the threads and the
 * threads share nothing.
 *
 * Sockets are registered once, edge-triggered, for both EPOLLIN and
 * EPOLLOUT, so the fast path makes no epoll_ctl() calls.  A pure EPOLLOUT
 * edge only comes after a full send buffer, so it costs little.
 *
 * Echo: read into a per-thread buffer and write it straight back.  If the
 * socket takes only part, the rest is copied aside and the connection is not
 * read again until EPOLLOUT has flushed it.  That is the backpressure: a
 * client that does not read its echoes stops being read, and a connection
 * never holds more than one buffer of unsent bytes.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "serve.h"

const char serve_name[] = "epoll-echo";

#define BUF_LEN		(64u << 10)
#define MAX_EVENTS	256

struct conn {
	int fd;
	uint32_t pend_len;	/* unsent bytes in pend[] ... */
	uint32_t pend_off;	/* ... starting here */
	uint8_t *pend;
};

struct loop {
	int ep;
	int lfd;
	uint8_t buf[BUF_LEN];
};

/* The listener's epoll tag: connections are tagged with their struct conn. */
static char listener;

static void conn_close(struct conn *c)
{
	close(c->fd);
	free(c->pend);
	free(c);
}

/* Write out pending bytes.  0 when all are out, 1 if some remain, -1 on error. */
static int flush(struct conn *c)
{
	while (c->pend_len) {
		ssize_t w = send(c->fd, c->pend + c->pend_off, c->pend_len,
				 MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno == EAGAIN ? 1 : -1;
		c->pend_off += w;
		c->pend_len -= w;
	}
	free(c->pend);
	c->pend = NULL;
	return 0;
}

/* Keep bytes the socket did not take; they go out on EPOLLOUT. */
static int defer(struct conn *c, const uint8_t *p, size_t n)
{
	c->pend = malloc(n);
	if (!c->pend)
		return -1;
	memcpy(c->pend, p, n);
	c->pend_off = 0;
	c->pend_len = n;
	return 0;
}

/* Read to EAGAIN, echoing as we go.  -1: close the connection. */
static int echo(struct loop *l, struct conn *c)
{
	for (;;) {
		ssize_t r = recv(c->fd, l->buf, BUF_LEN, 0), w;

		if (r == 0)
			return -1;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno == EAGAIN ? 0 : -1;
		w = send(c->fd, l->buf, r, MSG_NOSIGNAL);
		if (w < 0 && errno != EAGAIN)
			return -1;
		if (w < 0)
			w = 0;
		if (w < r)
			return defer(c, l->buf + w, r - w);
	}
}

static void conn_event(struct loop *l, struct conn *c)
{
	int r = flush(c);

	if (r == 0)
		r = echo(l, c);
	if (r < 0)
		conn_close(c);
}

static void accept_all(struct loop *l)
{
	static int warned;
	int one = 1;

	for (;;) {
		struct epoll_event ev = {
			.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
		};
		struct conn *c;
		int fd = accept4(l->lfd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EAGAIN)
				return;
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (!warned++)	/* EMFILE and friends: say it once */
				perror("epoll-echo: accept");
			return;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		ev.data.ptr = c;
		if (epoll_ctl(l->ep, EPOLL_CTL_ADD, fd, &ev)) {
			conn_close(c);
			continue;
		}
		/* Data may already be waiting; the edge may have passed. */
		conn_event(l, c);
	}
}

void *serve_loop(void *arg)
{
	struct epoll_event ev[MAX_EVENTS];
	struct loop *l = malloc(sizeof(*l));
	int i, n;

	if (!l)
		return NULL;
	l->lfd = (int)(intptr_t)arg;
	l->ep = epoll_create1(EPOLL_CLOEXEC);
	ev[0].events = EPOLLIN | EPOLLET;
	ev[0].data.ptr = &listener;
	if (l->ep < 0 || epoll_ctl(l->ep, EPOLL_CTL_ADD, l->lfd, &ev[0])) {
		perror("epoll-echo: epoll");
		exit(1);
	}
	for (;;) {
		n = epoll_wait(l->ep, ev, MAX_EVENTS, -1);
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr == &listener)
				accept_all(l);
			else
				conn_event(l, ev[i].data.ptr);
		}
	}
}
