// SPDX-License-Identifier: GPL-2.0
/*
 * Backpressure.  A 16 MiB stream against a client that first does not
 * read at all, then reads slowly.  The server must stop reading while it
 * cannot send: our writes stall well before 16 MiB, and the bytes the
 * server has taken in but not sent back (bytes_in - bytes_out) stay under
 * a bound.  Then everything must come back, complete and in order.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ktest.h"

#define STREAM_LEN	(16u << 20)
#define CLIENT_BUF	(64 * 1024)

/* Bytes the server holds: taken from the socket, not yet given back. */
static long long held(const struct kt_target *t)
{
	long long in = kt_stat(t, "bytes_in"), out = kt_stat(t, "bytes_out");

	return in < 0 || out < 0 ? -1 : in - out;
}

static int check_held(const struct kt_target *t, long bound, long long *max)
{
	long long h = held(t);

	if (h > *max)
		*max = h;
	if (h > bound) {
		kt_diag("server holds %lld bytes, bound %ld", h, bound);
		return -1;
	}
	return 0;
}

/* Write without reading until the writes stall for @quiet_ms. */
static size_t fill_until_stall(int fd, const uint8_t *out, size_t len,
			       int quiet_ms)
{
	long long last = kt_now_ms();
	size_t sent = 0;

	while (sent < len && kt_now_ms() - last < kt_ms(quiet_ms)) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		ssize_t n;

		if (poll(&p, 1, 50) != 1)
			continue;
		n = send(fd, out + sent, len - sent, MSG_NOSIGNAL);
		if (n > 0) {
			sent += n;
			last = kt_now_ms();
		} else if (n < 0 && errno != EAGAIN) {
			break;
		}
	}
	return sent;
}

int kt_stream(const struct kt_target *t, const struct kt_opts *o)
{
	long bound = o->limit ? o->limit : 256 * 1024;
	uint8_t *out = malloc(STREAM_LEN), *in = malloc(CLIENT_BUF);
	size_t sent, got = 0;
	long long max_held = 0, start;
	int fd = -1, ret = 1, reads = 0;

	if (!out || !in)
		goto out;
	kt_fill(out, STREAM_LEN, 16);
	fd = kt_connect_nb(t);
	if (fd < 0)
		goto out;
	kt_set_buffers(fd, CLIENT_BUF);
	if (kt_wait_connected(fd, 5000))
		goto out;

	/* phase 1: the client does not read */
	sent = fill_until_stall(fd, out, STREAM_LEN, 1000);
	kt_diag("writes stalled after %zu of %u bytes", sent, STREAM_LEN);
	if (sent >= STREAM_LEN) {
		kt_diag("the server took the whole stream without being read");
		goto out;
	}
	if (t->stats && check_held(t, bound, &max_held))
		goto out;

	/* phase 2: read slowly, write the rest as the server lets us */
	start = kt_now_ms();
	while (got < STREAM_LEN) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (sent < STREAM_LEN)
			p.events |= POLLOUT;
		if (kt_now_ms() - start > kt_ms(120000)) {
			kt_diag("timeout: sent %zu, got %zu", sent, got);
			goto out;
		}
		if (poll(&p, 1, 1000) < 1)
			continue;
		if (p.revents & POLLOUT) {
			n = send(fd, out + sent, STREAM_LEN - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += n;
		}
		if (!(p.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = recv(fd, in, CLIENT_BUF / 4, 0);
		if (n <= 0) {
			if (n < 0 && errno == EAGAIN)
				continue;
			kt_diag("connection ended after %zu bytes", got);
			goto out;
		}
		if (memcmp(in, out + got, n)) {
			kt_diag("stream differs near byte %zu", got);
			goto out;
		}
		got += n;
		/* slow reader: a pause every 64 reads */
		if (++reads % 64 == 0) {
			kt_sleep_ms(2);
			if (t->stats && check_held(t, bound, &max_held))
				goto out;
		}
	}
	if (shutdown(fd, SHUT_WR) || kt_expect_eof(fd, 5000))
		goto out;
	if (t->stats)
		kt_diag("16 MiB back in order; the server held at most %lld bytes (bound %ld)",
			max_held, bound);
	else
		kt_diag("16 MiB back in order (server counters not available)");
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(out);
	free(in);
	return ret;
}
