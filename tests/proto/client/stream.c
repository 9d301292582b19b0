// SPDX-License-Identifier: GPL-2.0
/*
 * The bulk subcommands against ksrv_testproto: amplify, linear, stream
 * and abort.  Each reads the pattern from offset 0 of the connection and
 * verifies every byte; the memory ones sample the server's mem_bytes in
 * /proc/net/<proc> every MiB read.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pattern.h"
#include "pclient.h"

#define SAMPLE_EVERY	(1 << 20)

static unsigned char rbuf[1 << 16];

struct sampler {
	const char *proc;
	long long next;
	long long max_mem;
};

static void sample(struct sampler *s, long long got)
{
	long long m;

	if (!s->proc || got < s->next)
		return;
	s->next = got + SAMPLE_EVERY;
	m = proc_value(s->proc, "mem_bytes");
	if (m > s->max_mem)
		s->max_mem = m;
}

struct amp_opts {
	int port;
	long long in;
	long delay_us;		/* after every read, a slow reader */
	const char *proc;
	int timeout;		/* seconds without progress */
	int rcvbuf;		/* SO_RCVBUF, 0: autotuned */
};

/* One amplify connection; returns 0 and its time and peak memory. */
static int amplify_run(const struct amp_opts *o, double *secs,
		       long long *max_mem)
{
	long long want = o->in * KTP_AMPLIFY, sent = 0, got = 0;
	struct sampler smp = { .proc = o->proc };
	size_t chunk = o->delay_us ? 16384 : sizeof(rbuf);
	unsigned char out[4096];
	double t0 = now_s(), last = t0;
	int fd, rc = 0;

	memset(out, 'a', sizeof(out));
	fd = tcp_connect(o->port);
	if (fd < 0)
		return fail("connect to %d: %s", o->port, strerror(errno));
	if (o->rcvbuf)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &o->rcvbuf,
			   sizeof(o->rcvbuf));
	set_nonblock(fd);
	while (got < want) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n;

		if (sent < o->in)
			p.events |= POLLOUT;
		n = poll(&p, 1, 1000);
		if (n < 0 && errno != EINTR) {
			rc = fail("poll: %s", strerror(errno));
			break;
		}
		if (now_s() - last > o->timeout) {
			rc = fail("stalled: sent %lld of %lld, got %lld of %lld",
				  sent, o->in, got, want);
			break;
		}
		if (n <= 0)
			continue;
		if (p.revents & POLLOUT) {
			size_t k = o->in - sent < (long long)sizeof(out) ?
				   (size_t)(o->in - sent) : sizeof(out);
			ssize_t w = send(fd, out, k, MSG_NOSIGNAL);

			if (w > 0) {
				sent += w;
			} else if (errno != EAGAIN) {
				rc = fail("send: %s", strerror(errno));
				break;
			}
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			size_t k = want - got < (long long)chunk ?
				   (size_t)(want - got) : chunk;
			ssize_t r = recv(fd, rbuf, k, 0);
			long long bad;

			if (r == 0) {
				rc = fail("EOF after %lld of %lld bytes", got, want);
				break;
			}
			if (r < 0 && errno == EAGAIN)
				continue;
			if (r < 0) {
				rc = fail("recv after %lld of %lld bytes: %s", got,
					  want, strerror(errno));
				break;
			}
			bad = pattern_check(rbuf, r, got);
			if (bad >= 0) {
				rc = fail("byte %lld differs from the pattern",
					  got + bad);
				break;
			}
			got += r;
			last = now_s();
			sample(&smp, got);
			if (o->delay_us)
				usleep(o->delay_us);
		}
	}
	*secs = now_s() - t0;
	if (!rc && wait_fd(fd, POLLIN, 200) > 0 && recv(fd, rbuf, 1, 0) > 0)
		rc = fail("more than the %lld bytes owed", want);
	close(fd);
	smp.next = 0;
	sample(&smp, got);
	*max_mem = smp.max_mem;
	return rc;
}

static void amp_opts_get(struct amp_opts *o, int argc, char **argv)
{
	o->port = arg_ll(argc, argv, "port", 12400);
	o->in = arg_ll(argc, argv, "in", 65536);
	o->delay_us = arg_ll(argc, argv, "delay", 0);
	o->proc = arg_str(argc, argv, "proc", NULL);
	o->timeout = arg_ll(argc, argv, "timeout", 60);
	o->rcvbuf = arg_ll(argc, argv, "rcvbuf", 0);
}

/* amplify port= in= [delay=US] [proc=NAME memmax=BYTES] */
int cmd_amplify(int argc, char **argv)
{
	long long memmax = arg_ll(argc, argv, "memmax", 0), max_mem;
	struct amp_opts o;
	double secs;
	int rc;

	amp_opts_get(&o, argc, argv);
	rc = amplify_run(&o, &secs, &max_mem);
	say("amplify: %lld bytes in, %lld out, %.2f s, max mem_bytes %lld",
	    o.in, o.in * KTP_AMPLIFY, secs, max_mem);
	if (!rc && memmax && max_mem > memmax)
		rc = fail("mem_bytes reached %lld, over the bound %lld",
			  max_mem, memmax);
	if (!rc && memmax && max_mem <= 0)
		rc = fail("no mem_bytes sample from /proc/net/%s", o.proc);
	return rc;
}

/*
 * linear port= in= [rounds=3] [ratio=8] [rcvbuf=262144|-1]: the best time
 * of in*4 against the best of in; at most ratio times as long.  A fixed
 * receive buffer keeps TCP's autotuning from making the long run differ
 * from the short one in more than its length.
 */
int cmd_linear(int argc, char **argv)
{
	long long rounds = arg_ll(argc, argv, "rounds", 3), mem;
	double ratio = arg_ll(argc, argv, "ratio", 8), best[2] = { 1e9, 1e9 };
	struct amp_opts o;
	int i, size;

	amp_opts_get(&o, argc, argv);
	o.delay_us = 0;
	if (!o.rcvbuf)
		o.rcvbuf = 262144;
	if (o.rcvbuf < 0)	/* rcvbuf=-1: autotuned */
		o.rcvbuf = 0;
	for (i = 0; i < rounds; i++) {
		for (size = 0; size < 2; size++) {
			struct amp_opts x = o;
			double t;

			x.in = size ? o.in * 4 : o.in;
			if (amplify_run(&x, &t, &mem))
				return 1;
			if (t < best[size])
				best[size] = t;
		}
	}
	say("linear: %lld bytes in: %.3f s, %lld bytes in: %.3f s, ratio %.2f (bound %.0f)",
	    o.in, best[0], o.in * 4, best[1], best[1] / best[0], ratio);
	if (best[1] > ratio * best[0])
		return fail("4x the input took %.2fx the time", best[1] / best[0]);
	return 0;
}

/*
 * stream port= bytes= [delay=US slow=BYTES] [proc=NAME memmax=BYTES]:
 * one byte starts the stream; exactly @bytes of the pattern, then EOF.
 * abort port= max=BYTES: the same stream, which must end in ECONNRESET
 * after at most @max bytes, never in EOF.
 */
static int stream_read(int argc, char **argv, int abort_mode)
{
	long long bytes = arg_ll(argc, argv, "bytes", 64 << 20);
	long long max = arg_ll(argc, argv, "max", 0);
	long long memmax = arg_ll(argc, argv, "memmax", 0);
	long long slow = arg_ll(argc, argv, "slow", -1);
	long delay = arg_ll(argc, argv, "delay", 0);
	int port = arg_ll(argc, argv, "port", 12400);
	struct sampler smp = { .proc = arg_str(argc, argv, "proc", NULL) };
	struct timeval tv = { .tv_sec = 60 };
	long long got = 0;
	double t0 = now_s();
	int fd, rc = 0, err = 0;

	fd = tcp_connect(port);
	if (fd < 0)
		return fail("connect to %d: %s", port, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (write_all(fd, "g", 1))
		return fail("send: %s", strerror(errno));
	for (;;) {
		int is_slow = delay && (slow < 0 || got < slow);
		ssize_t r = recv(fd, rbuf, is_slow ? 16384 : sizeof(rbuf), 0);
		long long bad;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? errno : 0;
			break;
		}
		bad = pattern_check(rbuf, r, got);
		if (bad >= 0) {
			rc = fail("byte %lld differs from the pattern", got + bad);
			break;
		}
		got += r;
		sample(&smp, got);
		if (is_slow)
			usleep(delay);
	}
	close(fd);
	say("%s: %lld bytes in %.2f s (%.1f MB/s), ended with %s, max mem_bytes %lld",
	    abort_mode ? "abort" : "stream", got, now_s() - t0,
	    got / 1e6 / (now_s() - t0), err ? strerror(err) : "EOF",
	    smp.max_mem);
	if (rc)
		return rc;
	if (abort_mode) {
		if (!err)
			return fail("clean EOF after %lld bytes: RST expected", got);
		if (err != ECONNRESET)
			return fail("ended with %s, ECONNRESET expected",
				    strerror(err));
		if (max && got > max)
			return fail("%lld bytes, more than the %lld sent before the abort",
				    got, max);
		return 0;
	}
	if (err)
		return fail("ended with %s after %lld bytes, EOF expected",
			    strerror(err), got);
	if (got != bytes)
		return fail("%lld bytes, %lld expected", got, bytes);
	if (memmax && smp.max_mem > memmax)
		return fail("mem_bytes reached %lld, over the bound %lld",
			    smp.max_mem, memmax);
	if (memmax && smp.max_mem <= 0)
		return fail("no mem_bytes sample from /proc/net/%s", smp.proc);
	return 0;
}

int cmd_stream(int argc, char **argv)
{
	return stream_read(argc, argv, 0);
}

int cmd_abort(int argc, char **argv)
{
	return stream_read(argc, argv, 1);
}
