// SPDX-License-Identifier: GPL-2.0
/* Many connections at once, and idle ones that must not starve busy ones. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ktest.h"

#define MSG_LEN 16

/* A /proc/meminfo value in KiB, or -1. */
static long meminfo_kib(const char *key)
{
	char line[128], k[64];
	long kib = -1, v;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63[^:]: %ld", k, &v) == 2 && !strcmp(k, key))
			kib = v;
	fclose(f);
	return kib;
}

static long mem_available_kib(void)
{
	return meminfo_kib("MemAvailable");
}

/* Open @n connections, in batches so that the accept backlog keeps up. */
static int *open_many(const struct kt_target *t, long n)
{
	int *fds = calloc(n, sizeof(*fds));
	long i, j, batch = 256;

	if (!fds)
		return NULL;
	kt_raise_nofile(n + 64);
	for (i = 0; i < n; i += batch) {
		long end = i + batch < n ? i + batch : n;

		for (j = i; j < end; j++) {
			fds[j] = kt_connect_nb(t);
			if (fds[j] < 0) {
				kt_diag("connection %ld: %s", j, strerror(errno));
				goto fail;
			}
		}
		for (j = i; j < end; j++)
			if (kt_wait_connected(fds[j], 10000)) {
				kt_diag("connection %ld: %s", j, strerror(errno));
				goto fail;
			}
	}
	return fds;
fail:
	for (j = 0; j < n && fds[j] > 0; j++)
		close(fds[j]);
	free(fds);
	return NULL;
}

static void close_many(int *fds, long n)
{
	long i;

	for (i = 0; i < n; i++)
		close(fds[i]);
	free(fds);
}

static void conn_msg(char *buf, long i)
{
	snprintf(buf, MSG_LEN + 1, "conn %09ld\n", i % 1000000000);
}

/*
 * Send one message on every connection; count those echoed in time.  The
 * time limit starts once every message is sent: on a slow boot (the debug
 * kernel beside a busy neighbour) sending 10,000 messages alone took
 * longer than the whole limit once, and the echoes, all there, were never
 * read.  At least one pass over what came back is made whatever the time.
 */
static long echo_all(int *fds, long n, int timeout_ms, long limit)
{
	long long sent_at, deadline, last_echo = 0, start = kt_now_ms();
	struct epoll_event ev, evs[256];
	long i, served = 0, closed = 0;
	char msg[MSG_LEN + 1], got[MSG_LEN];
	int ep = epoll_create1(0);

	if (ep < 0)
		return -1;
	for (i = 0; i < n; i++) {
		conn_msg(msg, i);
		if (send(fds[i], msg, MSG_LEN, MSG_NOSIGNAL) != MSG_LEN) {
			if (errno == EPIPE || errno == ECONNRESET) {
				closed++;
				continue;
			}
			kt_diag("send on connection %ld: %s", i, strerror(errno));
			close(ep);
			return -1;
		}
		ev.events = EPOLLIN;
		ev.data.u64 = i;
		epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev);
	}
	sent_at = kt_now_ms();
	kt_diag("%ld messages sent in %lld ms", n - closed, sent_at - start);
	deadline = sent_at + kt_ms(timeout_ms);
	do {
		long long stop = deadline, left;
		int k, m;

		/*
		 * A documented cap: the connections within it are served at
		 * once and the rest never, so once echoes have stopped for a
		 * (scaled) second, 3 s once the cap is reached, it is clear
		 * whether it holds; waiting out the whole limit would only
		 * cost time.
		 */
		if (limit && served) {
			long long quiet = last_echo +
					  (served >= limit ? 3000 : kt_ms(1000));

			if (quiet < stop)
				stop = quiet;
		}
		left = stop - kt_now_ms();
		m = epoll_wait(ep, evs, 256, left > 0 ? left : 0);
		for (k = 0; k < m; k++) {
			ssize_t n;

			i = evs[k].data.u64;
			epoll_ctl(ep, EPOLL_CTL_DEL, fds[i], NULL);
			/* 16 bytes on loopback arrive in one piece */
			n = recv(fds[i], got, MSG_LEN, MSG_WAITALL);
			if (n == 0 || (n < 0 && errno == ECONNRESET)) {
				closed++;	/* not served: counted by the caller */
				continue;
			}
			conn_msg(msg, i);
			if (n != MSG_LEN || memcmp(got, msg, MSG_LEN)) {
				kt_diag("connection %ld: wrong echo", i);
				close(ep);
				return -1;
			}
			served++;
			last_echo = kt_now_ms();
		}
		if (m <= 0 && kt_now_ms() >= stop)
			break;
	} while (served + closed < n);
	if (served + closed < n)
		kt_diag("%ld connections not echoed %ld ms after the last send",
			n - served - closed, kt_ms(timeout_ms));
	if (closed)
		kt_diag("%ld connections closed by the server unserved", closed);
	close(ep);
	return served;
}

/*
 * -n N connections open at once, each echoed.  With -l K, check a design's
 * documented limit instead: only some, at most K, are served in -t seconds.
 */
int kt_many(const struct kt_target *t, const struct kt_opts *o)
{
	long long start = kt_now_ms();
	int timeout = (o->seconds ? o->seconds : 60) * 1000;
	long served, mem0 = mem_available_kib(), mem1;
	int *fds, ret;

	fds = open_many(t, o->n);
	if (!fds)
		return 1;
	kt_diag("%ld connections open in %lld ms", o->n, kt_now_ms() - start);
	served = echo_all(fds, o->n, timeout, o->limit);
	kt_diag("%ld of %ld connections echoed in %lld ms", served, o->n,
		kt_now_ms() - start);
	if (t->stats && kt_stat(t, "active") > 0)
		kt_diag("the server accounts %lld bytes a connection",
			kt_stat(t, "mem_bytes") / kt_stat(t, "active"));
	mem1 = mem_available_kib();
	if (mem0 > 0 && mem1 > 0)
		kt_diag("MemAvailable fell by %ld KiB: %.1f KiB a connection, both ends",
			mem0 - mem1, (double)(mem0 - mem1) / o->n);
	if (o->limit)
		ret = !(served > 0 && served <= o->limit && served < o->n);
	else
		ret = served != o->n;
	close_many(fds, o->n);
	return ret;
}

/*
 * Open @n connections one at a time, each from the next CPU in turn, and
 * each counted by the server before the next.  On loopback the handshake
 * runs on the connecting CPU, and so does the server's accept and the
 * connection's work: every CPU's worker pool gets its share.  Without it
 * the idle connections may all land in one CPU's pool while a new client
 * is served from the other's, and the blocking design's documented
 * starvation shows or not by chance.
 */
static int *open_spread(const struct kt_target *t, long n)
{
	long i, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long long active0 = kt_stat(t, "active"), settle = kt_now_ms() + kt_ms(20000);
	int *fds = calloc(n ? n : 1, sizeof(*fds));
	cpu_set_t all, one;

	/* connections of an earlier test may still be closing: let them */
	while (active0 > 0 && kt_now_ms() < settle) {
		kt_sleep_ms(500);
		if (kt_stat(t, "active") == active0)
			break;
		active0 = kt_stat(t, "active");
	}

	if (!fds || active0 < 0 || sched_getaffinity(0, sizeof(all), &all)) {
		kt_diag("spreading connections needs the server's counters");
		free(fds);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		CPU_ZERO(&one);
		CPU_SET(i % ncpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
		fds[i] = kt_connect(t);
		if (fds[i] < 0 || kt_stat_wait(t, "active", active0 + i + 1, 10000)) {
			kt_diag("connection %ld: not served", i);
			while (i >= 0)
				if (fds[i--] >= 0)
					close(fds[i + 1]);
			free(fds);
			sched_setaffinity(0, sizeof(all), &all);
			return NULL;
		}
	}
	sched_setaffinity(0, sizeof(all), &all);
	return fds;
}

/*
 * -i IDLE connections held open and silent, while -c clients each do -r
 * round trips; every round trip must take under -d ms.  -S: the idle ones
 * spread over the CPUs (open_spread()).
 */
int kt_prompt(const struct kt_target *t, const struct kt_opts *o)
{
	long deadline = o->deadline_ms ? o->deadline_ms : 1000;
	long long worst = 0, start;
	int *idle, *busy, ret = 1;
	uint8_t msg[64];
	long r, c;

	idle = o->spread ? open_spread(t, o->idle) : open_many(t, o->idle);
	if (!idle)
		return 1;
	if (t->stats && kt_stat_wait(t, "active", o->idle, 20000))
		goto out_idle;
	busy = open_many(t, o->clients);
	if (!busy)
		goto out_idle;
	for (r = 0; r < o->rounds; r++) {
		for (c = 0; c < o->clients; c++) {
			start = kt_now_ms();
			kt_fill(msg, sizeof(msg), r * 1000 + c);
			if (kt_echo_exact(busy[c], msg, sizeof(msg), deadline)) {
				kt_diag("client %ld round %ld: no echo within %ld ms",
					c, r, kt_ms(deadline));
				goto out;
			}
			if (kt_now_ms() - start > worst)
				worst = kt_now_ms() - start;
		}
	}
	kt_diag("%ld idle connections held; %ld clients x %ld round trips, slowest %lld ms",
		o->idle, o->clients, o->rounds, worst);
	ret = 0;
out:
	close_many(busy, o->clients);
out_idle:
	close_many(idle, o->idle);
	return ret;
}

/*
 * What -n idle connections cost: MemAvailable and Slab deltas (both ends
 * of each connection, and the server's user memory if it has any), and the
 * server's own account if it keeps one.  Prints one IDLEMEM line of JSON
 * members for the benchmark report.
 */
int kt_idlemem(const struct kt_target *t, const struct kt_opts *o)
{
	long avail0, slab0, avail1, slab1;
	long long server = -1;
	int *fds;

	kt_sleep_ms(500);
	avail0 = mem_available_kib();
	slab0 = meminfo_kib("Slab");
	fds = open_many(t, o->n);
	if (!fds)
		return 1;
	if (t->stats && kt_stat(t, "active") >= 0) {
		if (kt_stat_wait(t, "active", o->n, 30000))
			goto fail;
		server = kt_stat(t, "mem_bytes");
	} else {
		kt_sleep_ms(1000);
	}
	avail1 = mem_available_kib();
	slab1 = meminfo_kib("Slab");
	printf("IDLEMEM \"conns\": %ld, \"memavail_bytes_per_conn\": %.0f, "
	       "\"slab_bytes_per_conn\": %.0f, \"server_bytes_per_conn\": %.0f\n",
	       o->n, (avail0 - avail1) * 1024.0 / o->n,
	       (slab1 - slab0) * 1024.0 / o->n,
	       server < 0 ? -1.0 : (double)server / o->n);
	close_many(fds, o->n);
	return 0;
fail:
	close_many(fds, o->n);
	return 1;
}
