// SPDX-License-Identifier: GPL-2.0
/*
 * The counters match what the test did.  Needs a freshly loaded server:
 * every counter starts at zero.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ktest.h"

static int expect(const struct kt_target *t, const char *key, long long want)
{
	return kt_stat_wait(t, key, want, 5000);
}

int kt_counters(const struct kt_target *t, const struct kt_opts *o)
{
	long i, conns = o->n ? o->n : 5, total = 0;
	uint8_t *buf = malloc(conns * 1000 + 1);
	int open3[3], ret = 1;

	if (!buf || !t->stats)
		goto out;
	if (expect(t, "accepted", 0) || expect(t, "bytes_in", 0)) {
		kt_diag("the server is not freshly loaded");
		goto out;
	}
	for (i = 0; i < conns; i++) {
		size_t len = i * 1000 + 1;
		int fd = kt_connect(t);

		kt_fill(buf, len, i);
		if (fd < 0 || kt_echo_exact(fd, buf, len, 5000) ||
		    shutdown(fd, SHUT_WR) || kt_expect_eof(fd, 5000))
			goto out;
		close(fd);
		total += len;
	}
	for (i = 0; i < 3; i++) {
		open3[i] = kt_connect(t);
		if (open3[i] < 0)
			goto out;
	}
	if (expect(t, "accepted", conns + 3) || expect(t, "active", 3))
		goto out;
	if (kt_stat(t, "mem_bytes") <= 0) {
		kt_diag("mem_bytes is %lld with 3 connections open",
			kt_stat(t, "mem_bytes"));
		goto out;
	}
	kt_diag("3 idle connections: the server accounts %lld bytes each",
		kt_stat(t, "mem_bytes") / 3);
	for (i = 0; i < 3; i++)
		close(open3[i]);
	if (expect(t, "active", 0) || expect(t, "closed", conns + 3) ||
	    expect(t, "bytes_in", total) || expect(t, "bytes_out", total) ||
	    expect(t, "refused", 0) || expect(t, "errors", 0) ||
	    expect(t, "resets", 0) || expect(t, "timeouts", 0) ||
	    expect(t, "mem_bytes", 0))
		goto out;
	kt_diag("accepted %ld, closed %ld, %ld bytes each way: as counted",
		conns + 3, conns + 3, total);
	ret = 0;
out:
	free(buf);
	return ret;
}
