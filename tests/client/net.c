// SPDX-License-Identifier: GPL-2.0
/* Socket helpers with deadlines, so that no test can hang the suite. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "ktest.h"

long long kt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

void kt_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int kt_nodelay(int fd)
{
	int one = 1;

	return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/* A non-blocking socket with a connect in progress. */
int kt_connect_nb(const struct kt_target *t)
{
	int fd = socket(t->addr.ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	kt_nodelay(fd);
	if (connect(fd, (const struct sockaddr *)&t->addr.ss, t->addr.len) &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

int kt_wait_connected(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	socklen_t len = sizeof(int);
	int err = 0;

	if (poll(&p, 1, kt_ms(timeout_ms)) != 1)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		errno = err;
		return -1;
	}
	return 0;
}

/* A connected non-blocking socket, or -1. */
int kt_connect(const struct kt_target *t)
{
	int fd = kt_connect_nb(t);

	if (fd < 0)
		return -1;
	if (kt_wait_connected(fd, 5000)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Small buffers, so that the kernel's buffering is not mistaken for ours. */
void kt_set_buffers(int fd, int bytes)
{
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof(bytes));
}

static int kt_wait(int fd, short events, long long deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	long long left = deadline - kt_now_ms();

	if (left <= 0)
		return -1;
	return poll(&p, 1, left) == 1 ? 0 : -1;
}

int kt_write_all(int fd, const void *buf, size_t len, int timeout_ms)
{
	long long deadline = kt_now_ms() + kt_ms(timeout_ms);
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n > 0) {
			p += n;
			len -= n;
		} else if (n < 0 && errno == EAGAIN) {
			if (kt_wait(fd, POLLOUT, deadline))
				return -1;
		} else if (n < 0 && errno != EINTR) {
			return -1;
		}
	}
	return 0;
}

static long kt_read_until(int fd, void *buf, size_t len, long long deadline)
{
	for (;;) {
		ssize_t n = recv(fd, buf, len, 0);

		if (n >= 0)
			return n;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || kt_wait(fd, POLLIN, deadline))
			return -1;
	}
}

/* Bytes read (0 at EOF), or -1 on error or when nothing came in time. */
long kt_read_some(int fd, void *buf, size_t len, int timeout_ms)
{
	return kt_read_until(fd, buf, len, kt_now_ms() + kt_ms(timeout_ms));
}

/* 0 when exactly @len bytes came, -1 on EOF, error or timeout. */
int kt_read_exact(int fd, void *buf, size_t len, int timeout_ms)
{
	long long deadline = kt_now_ms() + kt_ms(timeout_ms);
	char *p = buf;

	while (len) {
		long n = kt_read_until(fd, p, len, deadline);

		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* 0 if the next thing the peer sends is EOF: not one byte more. */
int kt_expect_eof(int fd, int timeout_ms)
{
	char c;
	long n = kt_read_some(fd, &c, 1, timeout_ms);

	if (n == 0)
		return 0;
	if (n > 0)
		kt_diag("an extra byte came before EOF");
	else
		kt_diag("no EOF within %ld ms: %s", kt_ms(timeout_ms),
			strerror(errno));
	return -1;
}

/* 0 if the peer closed or reset the connection without sending data. */
int kt_expect_closed(int fd, int timeout_ms)
{
	char c;
	long n = kt_read_some(fd, &c, 1, timeout_ms);

	if (n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE)))
		return 0;
	return -1;
}

/*
 * Send @len bytes and read them back at the same time (the server may stop
 * reading until we read), comparing each byte.  0 if all came back exact.
 */
int kt_echo_exact(int fd, const uint8_t *out, size_t len, int timeout_ms)
{
	long long deadline = kt_now_ms() + kt_ms(timeout_ms);
	size_t sent = 0, got = 0;
	uint8_t buf[65536];

	while (got < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = deadline - kt_now_ms();
		ssize_t n;

		if (sent < len)
			p.events |= POLLOUT;
		if (left <= 0 || poll(&p, 1, left) != 1) {
			kt_diag("timeout: sent %zu, got back %zu of %zu", sent,
				got, len);
			return -1;
		}
		if (p.revents & POLLOUT) {
			n = send(fd, out + sent, len - sent, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN) {
				kt_diag("send: %s", strerror(errno));
				return -1;
			}
			if (n > 0)
				sent += n;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			size_t want = len - got;

			n = recv(fd, buf, want < sizeof(buf) ? want : sizeof(buf), 0);
			if (n == 0 || (n < 0 && errno != EAGAIN)) {
				kt_diag("connection ended after %zu of %zu bytes: %s",
					got, len, n ? strerror(errno) : "EOF");
				return -1;
			}
			if (n > 0) {
				if (memcmp(buf, out + got, n)) {
					size_t i = 0;

					while (buf[i] == out[got + i])
						i++;
					kt_diag("byte %zu differs", got + i);
					return -1;
				}
				got += n;
			}
		}
	}
	return 0;
}

void kt_raise_nofile(long need)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r))
		return;
	if ((long)r.rlim_cur >= need)
		return;
	r.rlim_cur = need;
	if ((long)r.rlim_max < need)
		r.rlim_max = need;
	setrlimit(RLIMIT_NOFILE, &r);
}

/* Every byte value, in an order that depends on @seed. */
void kt_fill(uint8_t *buf, size_t len, unsigned int seed)
{
	uint32_t x = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 256 == 0)
			x = x * 1103515245u + 12345;
		buf[i] = (uint8_t)(i + (x >> 16));
	}
}

/* Close with RST: SO_LINGER with a zero timeout. */
void kt_reset(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}
