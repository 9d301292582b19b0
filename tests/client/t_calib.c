// SPDX-License-Identifier: GPL-2.0
/*
 * How fast this boot is: a fixed CPU loop, and -n loopback TCP round trips
 * (connect, 64 bytes there and back, close) against an echo thread of our
 * own, so that no module is needed.  The loop measures the vCPUs (TCG, and
 * a busy host); the round trips the kernel's network and scheduling paths
 * as well (a debug kernel is several times slower there).  Prints one
 * line, "CALIB cpu_ms=C net_ms=N", for tests/lib/calibrate.sh.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ktest.h"

#define CALIB_LOOP	20000000u
#define CALIB_MSG	64

static void *calib_echo(void *arg)
{
	int lfd = *(int *)arg;
	char buf[CALIB_MSG];

	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		ssize_t n;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL;
		}
		while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
			if (send(fd, buf, n, MSG_NOSIGNAL) != n)
				break;
		close(fd);
	}
}

static long long calib_cpu(void)
{
	long long start = kt_now_ms();
	volatile uint32_t x = 1;
	uint32_t i;

	for (i = 0; i < CALIB_LOOP; i++)
		x = x * 1103515245u + 12345;
	return kt_now_ms() - start;
}

static int calib_round_trip(const struct sockaddr_in *a)
{
	uint8_t out[CALIB_MSG], in[CALIB_MSG];
	int fd = socket(AF_INET, SOCK_STREAM, 0), ret = -1;

	if (fd < 0)
		return -1;
	kt_fill(out, sizeof(out), 7);
	if (!connect(fd, (const struct sockaddr *)a, sizeof(*a)) &&
	    send(fd, out, sizeof(out), MSG_NOSIGNAL) == sizeof(out) &&
	    recv(fd, in, sizeof(in), MSG_WAITALL) == sizeof(in) &&
	    !memcmp(in, out, sizeof(in)))
		ret = 0;
	close(fd);
	return ret;
}

int kt_calibrate(const struct kt_target *t, const struct kt_opts *o)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	long long cpu, start;
	pthread_t thread;
	int lfd, one = 1;
	long i;

	(void)t;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 64) ||
	    getsockname(lfd, (struct sockaddr *)&a, &len)) {
		kt_diag("calibrate: listener: %s", strerror(errno));
		return 1;
	}
	if (pthread_create(&thread, NULL, calib_echo, &lfd)) {
		kt_diag("calibrate: no thread");
		return 1;
	}
	cpu = calib_cpu();
	start = kt_now_ms();
	for (i = 0; i < o->n; i++)
		if (calib_round_trip(&a)) {
			kt_diag("calibrate: round trip %ld failed: %s", i,
				strerror(errno));
			return 1;
		}
	printf("CALIB cpu_ms=%lld net_ms=%lld\n", cpu, kt_now_ms() - start);
	return 0;
}
