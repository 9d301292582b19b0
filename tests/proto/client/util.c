// SPDX-License-Identifier: GPL-2.0
/* pclient's helpers: arguments, output, time, the pattern, sockets. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pattern.h"
#include "pclient.h"

unsigned char pattern[KTP_TABLE_SIZE];

static const char *arg_find(int argc, char **argv, const char *key)
{
	size_t k = strlen(key);
	int i;

	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], key, k) && argv[i][k] == '=')
			return argv[i] + k + 1;
	return NULL;
}

long long arg_ll(int argc, char **argv, const char *key, long long def)
{
	const char *v = arg_find(argc, argv, key);

	return v ? strtoll(v, NULL, 0) : def;
}

const char *arg_str(int argc, char **argv, const char *key, const char *def)
{
	const char *v = arg_find(argc, argv, key);

	return v ? v : def;
}

void say(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("# FAIL: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
	return 1;
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void pattern_init(void)
{
	ktp_pattern_fill(pattern);
}

long long pattern_check(const unsigned char *buf, size_t n, uint64_t pos)
{
	size_t done = 0;

	while (done < n) {
		size_t off = (pos + done) % KTP_PERIOD;
		size_t k = n - done < KTP_SPAN ? n - done : KTP_SPAN;

		if (memcmp(buf + done, pattern + off, k)) {
			size_t i;

			for (i = 0; i < k; i++)
				if (buf[done + i] != pattern[off + i])
					return done + i;
		}
		done += k;
	}
	return -1;
}

void pattern_copy(unsigned char *buf, size_t n, uint64_t pos)
{
	size_t done = 0;

	while (done < n) {
		size_t k = n - done < KTP_SPAN ? n - done : KTP_SPAN;

		memcpy(buf + done, pattern + (pos + done) % KTP_PERIOD, k);
		done += k;
	}
}

int tcp_connect(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int one = 1;
	int fd;

	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, ms);
	} while (n < 0 && errno == EINTR);
	return n;
}

int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN) {
			if (wait_fd(fd, POLLOUT, 10000) <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			continue;
		}
		if (k < 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

int read_exact(int fd, void *buf, size_t n, int ms)
{
	char *p = buf;

	while (n) {
		ssize_t k;
		int r = wait_fd(fd, POLLIN, ms);

		if (r == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (r < 0)
			return -1;
		k = recv(fd, p, n, MSG_DONTWAIT);
		if (k < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (k < 0)
			return -1;
		if (k == 0) {
			errno = 0;
			return -1;
		}
		p += k;
		n -= k;
	}
	return 0;
}

void close_rst(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

void touch(const char *path)
{
	int fd;

	if (!path || !*path)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
}

long long proc_value(const char *name, const char *key)
{
	char path[128], line[256];
	size_t k = strlen(key);
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/net/%s", name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, k) && line[k] == ' ') {
			v = strtoll(line + k + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}
