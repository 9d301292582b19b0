// SPDX-License-Identifier: GPL-2.0
/* Exactness: every byte back, in order, and not one byte more. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ktest.h"

/*
 * All 256 byte values, NUL and newline among them, at sizes from 1 byte
 * to 1 MiB, each on a fresh connection that must end in EOF right after
 * the echo.
 */
int kt_sizes(const struct kt_target *t, const struct kt_opts *o)
{
	static const size_t sizes[] = {
		1, 2, 3, 10, 255, 256, 257, 1000, 1460, 4095, 4096, 4097,
		16384, 65535, 65536, 65537, 262144, 1 << 20,
	};
	uint8_t *buf = malloc(1 << 20);
	size_t i;
	int ret = 0;

	(void)o;
	if (!buf)
		return 1;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = sizes[i];
		int fd = kt_connect(t);

		if (fd < 0) {
			kt_diag("connect: %s", strerror(errno));
			ret = 1;
			break;
		}
		kt_fill(buf, len, i);
		if (len <= 2)	/* the two bytes a C string handles worst */
			memcpy(buf, "\0\n", len);
		if (kt_echo_exact(fd, buf, len, 30000) ||
		    shutdown(fd, SHUT_WR) || kt_expect_eof(fd, 5000)) {
			kt_diag("size %zu: not echoed exactly", len);
			ret = 1;
		}
		close(fd);
	}
	if (!ret)
		kt_diag("%zu sizes from 1 B to 1 MiB echoed exactly",
			sizeof(sizes) / sizeof(sizes[0]));
	free(buf);
	return ret;
}

/*
 * Three writes, apart in time so that they are three segments, then one
 * read of everything.  A server that echoed strlen() of a buffer that is
 * not NUL-terminated sends bytes beyond these: we wait for any extra
 * before the EOF.
 */
int kt_concat(const struct kt_target *t, const struct kt_opts *o)
{
	static const char *const parts[] = { "kecho", "-can", "ary\n" };
	const char *want = "kecho-canary\n";
	size_t wlen = strlen(want);
	char got[64];
	size_t have = 0;
	int fd, i;

	(void)o;
	fd = kt_connect(t);
	if (fd < 0)
		return 1;
	for (i = 0; i < 3; i++) {
		if (kt_write_all(fd, parts[i], strlen(parts[i]), 2000))
			goto fail;
		kt_sleep_ms(100);
	}
	/* everything has been echoed by now; read it with one call */
	kt_sleep_ms(300);
	while (have < wlen) {
		long n = kt_read_some(fd, got + have, sizeof(got) - have, 5000);

		if (n <= 0)
			goto fail;
		have += n;
	}
	if (have != wlen || memcmp(got, want, wlen)) {
		kt_diag("got %zu bytes back for %zu sent", have, wlen);
		goto fail;
	}
	if (shutdown(fd, SHUT_WR) || kt_expect_eof(fd, 5000))
		goto fail;
	kt_diag("3 writes came back as exactly %zu bytes, then EOF", wlen);
	close(fd);
	return 0;
fail:
	close(fd);
	return 1;
}

/*
 * Half-close: send, shut our side, and still get everything back before
 * the server's EOF.  The server may see our FIN while it still holds
 * bytes it could not send, so the buffer is large.
 */
int kt_halfclose(const struct kt_target *t, const struct kt_opts *o)
{
	size_t len = 4 << 20;
	uint8_t *out = malloc(len), *in = malloc(len);
	size_t sent = 0, got = 0;
	int fd, ret = 1;

	(void)o;
	fd = kt_connect(t);
	if (fd < 0 || !out || !in)
		goto out;
	kt_fill(out, len, 7);
	/* send all, reading as needed so the server is never stuck */
	while (sent < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
		ssize_t n;

		if (poll(&p, 1, kt_ms(10000)) != 1)
			goto out;
		if (p.revents & POLLOUT) {
			n = send(fd, out + sent, len - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += n;
			else if (n < 0 && errno != EAGAIN)
				goto out;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			n = recv(fd, in + got, len - got, 0);
			if (n > 0)
				got += n;
			else if (n == 0 || errno != EAGAIN)
				goto out;
		}
	}
	if (shutdown(fd, SHUT_WR))
		goto out;
	if (kt_read_exact(fd, in + got, len - got, 30000)) {
		kt_diag("short echo after SHUT_WR");
		goto out;
	}
	if (memcmp(in, out, len)) {
		kt_diag("echo differs");
		goto out;
	}
	if (kt_expect_eof(fd, 5000))
		goto out;
	kt_diag("%zu bytes back after SHUT_WR, then EOF", len);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(out);
	free(in);
	return ret;
}
