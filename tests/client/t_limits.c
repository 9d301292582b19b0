// SPDX-License-Identifier: GPL-2.0
/* Limits and abnormal ends: max_conns, idle_timeout, resets. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ktest.h"

static int echo_small(int fd, unsigned int seed)
{
	uint8_t msg[100];

	kt_fill(msg, sizeof(msg), seed);
	return kt_echo_exact(fd, msg, sizeof(msg), 5000);
}

/*
 * max_conns = -l: that many connections are served; one more is closed
 * without an echo and counted as refused; the others go on unaffected.
 */
int kt_maxconns(const struct kt_target *t, const struct kt_opts *o)
{
	long i, limit = o->limit;
	int *fds = calloc(limit, sizeof(*fds));
	long long refused0 = kt_stat(t, "refused");
	int extra = -1, ret = 1;

	if (!fds || limit < 1)
		return 1;
	for (i = 0; i < limit; i++) {
		fds[i] = kt_connect(t);
		if (fds[i] < 0 || echo_small(fds[i], i)) {
			kt_diag("connection %ld of %ld not served", i + 1, limit);
			goto out;
		}
	}
	extra = kt_connect(t);
	if (extra < 0) {
		/* refusing at connect() would be fine too */
		kt_diag("connection over the limit failed to connect");
	} else {
		uint8_t msg[8] = "refused";

		send(extra, msg, sizeof(msg), MSG_NOSIGNAL);
		if (kt_expect_closed(extra, 5000)) {
			kt_diag("connection over the limit was not closed");
			goto out;
		}
	}
	for (i = 0; i < limit; i++)
		if (echo_small(fds[i], 100 + i)) {
			kt_diag("connection %ld broke after the refusal", i + 1);
			goto out;
		}
	if (t->stats && kt_stat_wait(t, "refused", refused0 + 1, 3000))
		goto out;
	kt_diag("%ld served, 1 over the limit closed and counted", limit);
	ret = 0;
out:
	for (i = 0; i < limit; i++)
		if (fds[i] > 0)
			close(fds[i]);
	if (extra >= 0)
		close(extra);
	free(fds);
	return ret;
}

/*
 * idle_timeout = -t seconds: a silent connection is closed after it, while
 * one that talks every third of it stays open for three times as long.
 */
int kt_idle(const struct kt_target *t, const struct kt_opts *o)
{
	long timeout_ms = o->seconds * 1000;
	long long start = kt_now_ms(), closed_at = 0;
	long long timeouts0 = kt_stat(t, "timeouts");
	int quiet = kt_connect(t), busy = kt_connect(t), ret = 1;
	unsigned int round = 0;
	char c;

	if (quiet < 0 || busy < 0 || timeout_ms <= 0)
		goto out;
	/* talk for 3 timeouts; wait longer for the close on a slow boot */
	while (kt_now_ms() - start < 3 * timeout_ms ||
	       (!closed_at && kt_now_ms() - start < kt_ms(3 * timeout_ms))) {
		if (echo_small(busy, round++)) {
			kt_diag("the busy connection broke after %lld ms",
				kt_now_ms() - start);
			goto out;
		}
		if (!closed_at && recv(quiet, &c, 1, MSG_DONTWAIT) == 0)
			closed_at = kt_now_ms() - start;
		kt_sleep_ms(timeout_ms / 3);
	}
	if (!closed_at) {
		kt_diag("the silent connection was not closed in %ld ms",
			kt_ms(3 * timeout_ms));
		goto out;
	}
	if (closed_at < timeout_ms - 100) {
		kt_diag("the silent connection was closed early, at %lld ms",
			closed_at);
		goto out;
	}
	if (t->stats && kt_stat_wait(t, "timeouts", timeouts0 + 1, 3000))
		goto out;
	kt_diag("silent connection closed at %lld ms (timeout %ld ms); busy one served %u rounds",
		closed_at, timeout_ms, round);
	ret = 0;
out:
	if (quiet >= 0)
		close(quiet);
	if (busy >= 0)
		close(busy);
	return ret;
}

/*
 * Client resets (RST): right after connecting, with unread echo pending,
 * and in the middle of a large transfer.  The server must count them and
 * go on serving; the harness fails the run on any kernel warning.
 */
int kt_reset_test(const struct kt_target *t, const struct kt_opts *o)
{
	size_t big = 2 << 20;
	uint8_t *buf = malloc(big);
	long long resets0 = kt_stat(t, "resets");
	int fd, i, ret = 1;

	(void)o;
	if (!buf)
		return 1;
	kt_fill(buf, big, 5);
	for (i = 0; i < 3; i++) {
		fd = kt_connect(t);
		if (fd < 0)
			goto out;
		if (i == 1)
			kt_write_all(fd, buf, 1000, 2000);
		if (i == 2) {
			/* the server is stuck sending to us: we never read */
			send(fd, buf, big, MSG_NOSIGNAL);
			kt_sleep_ms(300);
		}
		kt_reset(fd);
	}
	fd = kt_connect(t);
	if (fd < 0 || echo_small(fd, 9)) {
		kt_diag("not served after the resets");
		goto out;
	}
	close(fd);
	/* the first reset may come before any data: a clean end for the server */
	if (t->stats && resets0 >= 0) {
		long long deadline = kt_now_ms() + kt_ms(3000);

		while (kt_stat(t, "resets") < resets0 + 2 && kt_now_ms() < deadline)
			kt_sleep_ms(20);
		if (kt_stat(t, "resets") < resets0 + 2) {
			kt_diag("resets counted: %lld, expected at least 2",
				kt_stat(t, "resets") - resets0);
			goto out;
		}
	}
	kt_diag("3 resets handled, then served");
	ret = 0;
out:
	free(buf);
	return ret;
}
