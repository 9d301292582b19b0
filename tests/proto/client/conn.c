// SPDX-License-Identifier: GPL-2.0
/*
 * The connection subcommands: timer, conns, echo, load, hold, flood,
 * idle, vanish and chaos.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pattern.h"
#include "pclient.h"

/* ---- timer ---------------------------------------------------------- */

static int expect_line(int fd, const char *line, int ms)
{
	size_t n = strlen(line);
	char got[64] = "";

	if (read_exact(fd, got, n, ms))
		return fail("waiting for \"%.*s\": %s", (int)n - 1, line,
			    errno == ETIMEDOUT ? "timed out" :
			    errno ? strerror(errno) : "EOF");
	if (memcmp(got, line, n))
		return fail("got \"%.*s\", expected \"%.*s\"", (int)n - 1, got,
			    (int)n - 1, line);
	return 0;
}

static int command(int fd, const char *cmd, const char *reply)
{
	char line[64];

	snprintf(line, sizeof(line), "%s\n", cmd);
	if (write_all(fd, line, strlen(line)))
		return fail("send \"%s\": %s", cmd, strerror(errno));
	return expect_line(fd, reply, 10000);
}

/* nothing may arrive for @ms */
static int quiet(int fd, int ms, const char *what)
{
	char buf[64];
	ssize_t n;

	if (wait_fd(fd, POLLIN, ms) <= 0)
		return 0;
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	if (n > 0)
		return fail("%s: \"%.*s\" arrived", what, (int)n - 1, buf);
	return fail("%s: the connection ended (%s)", what,
		    n ? strerror(errno) : "EOF");
}

/* "fired" within [lo, hi] ms of @t0 */
static int expect_fire(int fd, double t0, long lo, long hi)
{
	double ms;

	if (expect_line(fd, "fired\n", hi + 5000))
		return 1;
	ms = (now_s() - t0) * 1000;
	say("fired after %.0f ms (expected %ld..%ld)", ms, lo, hi);
	if (ms < lo || ms > hi)
		return fail("fired after %.0f ms, outside %ld..%ld", ms, lo, hi);
	return 0;
}

/*
 * timer port= what=fire|cancel|rearm [ms=500] [slack=2500]
 *   fire    "arm ms" fires after ms (no earlier, at most slack later);
 *   cancel  armed then cancelled: nothing for ms + 3 s;
 *   rearm   armed for long then re-armed short fires early and once;
 *           armed short then re-armed long fires late.
 */
int cmd_timer(int argc, char **argv)
{
	int port = arg_ll(argc, argv, "port", 12400);
	const char *what = arg_str(argc, argv, "what", "fire");
	long ms = arg_ll(argc, argv, "ms", 500);
	long slack = arg_ll(argc, argv, "slack", 2500);
	char cmd[32];
	double t0;
	int fd, rc = 0;

	fd = tcp_connect(port);
	if (fd < 0)
		return fail("connect to %d: %s", port, strerror(errno));
	if (!strcmp(what, "fire")) {
		snprintf(cmd, sizeof(cmd), "arm %ld", ms);
		t0 = now_s();
		rc = command(fd, cmd, "armed\n") ||
		     expect_fire(fd, t0, ms - 20, ms + slack) ||
		     quiet(fd, 1000, "after the timer fired");
	} else if (!strcmp(what, "cancel")) {
		snprintf(cmd, sizeof(cmd), "arm %ld", ms);
		rc = command(fd, cmd, "armed\n") ||
		     command(fd, "cancel", "cancelled\n") ||
		     quiet(fd, ms + 3000, "cancelled timer");
	} else if (!strcmp(what, "rearm")) {
		long lng = ms + slack + 2000;

		/* long, then short: fires at the short one, and only once */
		snprintf(cmd, sizeof(cmd), "arm %ld", lng);
		rc = command(fd, cmd, "armed\n");
		snprintf(cmd, sizeof(cmd), "arm %ld", ms);
		t0 = now_s();
		rc = rc || command(fd, cmd, "armed\n") ||
		     expect_fire(fd, t0, ms - 20, ms + slack) ||
		     quiet(fd, lng + 1000, "the moved-away deadline");
		/* short, then long: nothing at the short one */
		snprintf(cmd, sizeof(cmd), "arm %ld", ms);
		rc = rc || command(fd, cmd, "armed\n");
		snprintf(cmd, sizeof(cmd), "arm %ld", lng);
		t0 = now_s();
		rc = rc || command(fd, cmd, "armed\n") ||
		     quiet(fd, ms + slack, "the moved-away deadline") ||
		     expect_fire(fd, t0, lng - 20, lng + slack);
	} else {
		close(fd);
		fprintf(stderr, "timer: what=fire|cancel|rearm\n");
		return 2;
	}
	close(fd);
	return rc;
}

/* ---- amplify rounds --------------------------------------------------- */

enum outcome { ROUND_OK, ROUND_GONE, ROUND_BAD };

/* @n bytes in, n * KTP_AMPLIFY bytes of pattern back, verified */
static enum outcome amplify_round(int port, int n, const char **why)
{
	static __thread unsigned char buf[64 * KTP_AMPLIFY];
	int fd = tcp_connect(port);

	if (fd < 0) {
		*why = strerror(errno);
		return ROUND_GONE;
	}
	if (write_all(fd, "abcdefghijklmnopqrstuvwxyz0123456789", n) ||
	    read_exact(fd, buf, (size_t)n * KTP_AMPLIFY, 30000)) {
		*why = errno == ETIMEDOUT ? "timed out" :
		       errno ? strerror(errno) : "EOF";
		close(fd);
		return errno == ETIMEDOUT ? ROUND_BAD : ROUND_GONE;
	}
	close(fd);
	if (pattern_check(buf, (size_t)n * KTP_AMPLIFY, 0) >= 0) {
		*why = "bytes differ from the pattern";
		return ROUND_BAD;
	}
	return ROUND_OK;
}

/* @n bytes of pattern from @pos, echoed back in chunks */
static enum outcome echo_round(int port, size_t n, uint64_t pos,
			       const char **why)
{
	static __thread unsigned char out[16384], in[16384];
	int fd = tcp_connect(port);
	size_t done = 0;

	if (fd < 0) {
		*why = strerror(errno);
		return ROUND_GONE;
	}
	while (done < n) {
		size_t k = n - done < sizeof(out) ? n - done : sizeof(out);

		pattern_copy(out, k, pos + done);
		if (write_all(fd, out, k) || read_exact(fd, in, k, 30000)) {
			*why = errno == ETIMEDOUT ? "timed out" :
			       errno ? strerror(errno) : "EOF";
			close(fd);
			return errno == ETIMEDOUT ? ROUND_BAD : ROUND_GONE;
		}
		if (memcmp(in, out, k)) {
			close(fd);
			*why = "echo differs from what was sent";
			return ROUND_BAD;
		}
		done += k;
	}
	close(fd);
	return ROUND_OK;
}

/* echo port= [bytes=1048576]: one echo connection, verified */
int cmd_echo(int argc, char **argv)
{
	int port = arg_ll(argc, argv, "port", 12345);
	size_t bytes = arg_ll(argc, argv, "bytes", 1 << 20);
	const char *why = "";

	if (echo_round(port, bytes, 7, &why) != ROUND_OK)
		return fail("echo of %zu bytes on port %d: %s", bytes, port, why);
	say("echo: %zu bytes back intact from port %d", bytes, port);
	return 0;
}

struct conns_job {
	int port;
	int n;
	int bad;
	const char *why;
};

static void *conns_thread(void *arg)
{
	struct conns_job *j = arg;
	int i;

	for (i = 0; i < j->n; i++) {
		const char *why;

		if (amplify_round(j->port, 1, &why) != ROUND_OK) {
			if (!j->bad++)
				j->why = why;
		}
	}
	return NULL;
}

/* conns port= [n=10000] [threads=4]: n amplify rounds of one byte */
int cmd_conns(int argc, char **argv)
{
	int port = arg_ll(argc, argv, "port", 12400);
	int n = arg_ll(argc, argv, "n", 10000);
	int threads = arg_ll(argc, argv, "threads", 4);
	struct conns_job jobs[64];
	pthread_t tid[64];
	double t0 = now_s();
	int i, bad = 0;

	if (threads < 1 || threads > 64)
		return 2;
	for (i = 0; i < threads; i++) {
		jobs[i] = (struct conns_job){
			.port = port, .n = n / threads + (i < n % threads),
		};
		pthread_create(&tid[i], NULL, conns_thread, &jobs[i]);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		if (jobs[i].bad && !bad)
			say("first failure: %s", jobs[i].why);
		bad += jobs[i].bad;
	}
	say("conns: %d connections in %.1f s, %d failed", n, now_s() - t0, bad);
	return bad ? fail("%d of %d connections failed", bad, n) : 0;
}

/* ---- load: rounds until the time is up or the server goes ------------ */

struct load {
	int port;
	int amplify;
	int maygo;
	double end;
	const char *ready;
	int nthreads;
	pthread_mutex_t lock;
	int started;
	long rounds, errors, gone;
	double last_ok;
	const char *why;
};

static void *load_thread(void *arg)
{
	struct load *l = arg;
	uint64_t pos = 0;
	int first = 1;

	while (now_s() < l->end) {
		const char *why = "";
		enum outcome o = l->amplify ? amplify_round(l->port, 4, &why) :
				 echo_round(l->port, 32768, pos, &why);

		pos += 32768;
		pthread_mutex_lock(&l->lock);
		if (o == ROUND_OK) {
			l->rounds++;
			l->last_ok = now_s();
			if (first && ++l->started == l->nthreads)
				touch(l->ready);
			first = 0;
		} else if (o == ROUND_GONE) {
			l->gone++;
		} else {
			l->errors++;
		}
		if (o != ROUND_OK && !l->why)
			l->why = why;
		pthread_mutex_unlock(&l->lock);
		if (o == ROUND_GONE && l->maygo)
			break;
	}
	return NULL;
}

/*
 * load port= kind=echo|amplify secs= [ready=FILE] [maygo=0|1] [conns=4]
 * Rounds on conns connections at a time until secs.  maygo=1: the server
 * may go away (refused, reset, EOF), which ends the load; else that is a
 * failure, and so is a last good round more than 2 s before the end.
 */
int cmd_load(int argc, char **argv)
{
	struct load l = {
		.port = arg_ll(argc, argv, "port", 12400),
		.amplify = !strcmp(arg_str(argc, argv, "kind", "amplify"),
				   "amplify"),
		.maygo = arg_ll(argc, argv, "maygo", 0),
		.ready = arg_str(argc, argv, "ready", NULL),
		.nthreads = arg_ll(argc, argv, "conns", 4),
		.lock = PTHREAD_MUTEX_INITIALIZER,
	};
	double secs = arg_ll(argc, argv, "secs", 10), t0 = now_s();
	pthread_t tid[32];
	int i, rc = 0;

	if (l.nthreads < 1 || l.nthreads > 32)
		return 2;
	l.end = t0 + secs;
	for (i = 0; i < l.nthreads; i++)
		pthread_create(&tid[i], NULL, load_thread, &l);
	for (i = 0; i < l.nthreads; i++)
		pthread_join(tid[i], NULL);
	say("load on %d: %ld rounds, %ld errors, %ld gone, last good round at %.1f of %.0f s%s%s",
	    l.port, l.rounds, l.errors, l.gone,
	    l.last_ok ? l.last_ok - t0 : 0, secs, l.why ? ": " : "",
	    l.why ? l.why : "");
	if (!l.rounds)
		rc = fail("load on %d: no round succeeded", l.port);
	if (l.errors)
		rc = fail("load on %d: %ld rounds failed", l.port, l.errors);
	if (!l.maygo && l.gone)
		rc = fail("load on %d: the server went away", l.port);
	if (!l.maygo && l.last_ok < l.end - 2)
		rc = fail("load on %d: served until %.1f s only", l.port,
			  l.last_ok - t0);
	return rc;
}

/* ---- hold: many open connections -------------------------------------- */

/*
 * hold port= n= secs= [ready=FILE] [expect_close=0|1]: open n amplify
 * connections, one round each, then keep them until the server closes
 * them all or secs pass.
 */
int cmd_hold(int argc, char **argv)
{
	int port = arg_ll(argc, argv, "port", 12400);
	int n = arg_ll(argc, argv, "n", 100);
	int secs = arg_ll(argc, argv, "secs", 60);
	int expect_close = arg_ll(argc, argv, "expect_close", 0);
	static unsigned char buf[KTP_AMPLIFY];
	struct pollfd *p = calloc(n, sizeof(*p));
	int i, open = 0, closed = 0;
	double end;

	if (!p)
		return 2;
	for (i = 0; i < n; i++) {
		p[i].fd = tcp_connect(port);
		p[i].events = POLLIN;
		if (p[i].fd < 0)
			return fail("connection %d: connect: %s", i,
				    strerror(errno));
		if (write_all(p[i].fd, "h", 1) ||
		    read_exact(p[i].fd, buf, sizeof(buf), 30000))
			return fail("connection %d: no answer: %s", i,
				    errno ? strerror(errno) : "EOF");
		if (pattern_check(buf, sizeof(buf), 0) >= 0)
			return fail("connection %d: bytes differ", i);
		open++;
	}
	say("hold: %d connections open and served", open);
	touch(arg_str(argc, argv, "ready", NULL));
	end = now_s() + secs;
	while (closed < n && now_s() < end) {
		if (poll(p, n, 200) <= 0)
			continue;
		for (i = 0; i < n; i++) {
			char c;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			if (recv(p[i].fd, &c, 1, MSG_DONTWAIT) > 0)
				return fail("connection %d: unexpected byte", i);
			if (errno == EAGAIN)
				continue;
			close(p[i].fd);
			p[i].fd = -1;
			closed++;
		}
	}
	say("hold: %d of %d closed by the server", closed, n);
	for (i = 0; i < n; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	free(p);
	if (expect_close && closed < n)
		return fail("%d connections still open after %d s", n - closed,
			    secs);
	return 0;
}

/* ---- how a connection ends -------------------------------------------- */

/*
 * Read to the end, verifying the echo from pattern offset @got: "rst",
 * "eof", or NULL when bad.  No more than @sent in all may come.
 */
static const char *read_to_end(int fd, uint64_t got, uint64_t sent)
{
	static unsigned char buf[1 << 16];

	for (;;) {
		ssize_t r;

		if (wait_fd(fd, POLLIN, 15000) <= 0) {
			fail("the connection is still open after %llu bytes",
			     (unsigned long long)got);
			return NULL;
		}
		r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && errno == EAGAIN)
			continue;
		if (r == 0 || (r < 0 && errno == ECONNRESET)) {
			say("%llu of %llu bytes back, then %s",
			    (unsigned long long)got, (unsigned long long)sent,
			    r ? "RST" : "EOF");
			return r ? "rst" : "eof";
		}
		if (r < 0) {
			fail("recv: %s", strerror(errno));
			return NULL;
		}
		if (pattern_check(buf, r, got) >= 0 || got + r > sent) {
			fail("the echo differs from what was sent");
			return NULL;
		}
		got += r;
	}
}

static int expect_end(const char *end, const char *expect)
{
	if (!end)
		return 1;
	if (strcmp(end, expect))
		return fail("the connection ended with %s, %s expected",
			    !strcmp(end, "rst") ? "RST" : "EOF (FIN)",
			    !strcmp(expect, "rst") ? "RST" : "EOF (FIN)");
	return 0;
}

/*
 * The server's mem_bytes with our connection up and nothing queued: one
 * byte goes there and back first, so the server has accepted us and
 * sent all it owed.  -1 on error.
 */
static long long flood_base(int fd, const char *proc)
{
	unsigned char b, want;

	pattern_copy(&want, 1, 0);
	if (write_all(fd, &want, 1) || read_exact(fd, &b, 1, 15000)) {
		fail("the first byte did not come back: %s", strerror(errno));
		return -1;
	}
	if (b != want) {
		fail("the first byte came back changed");
		return -1;
	}
	return proc_value(proc, "mem_bytes");
}

/*
 * flood port= [bytes=16M] wait=SECS expect=rst|eof [ready=FILE]
 *       [proc=kecho minq=BYTES]
 * Write without reading until the server stops taking bytes (it has
 * output queued for us), then wait, then read what comes and how it
 * ends.  minq: the server's mem_bytes must grow by at least that much
 * over what it was with our connection idle.  A second without room is
 * taken for the server's backpressure only once that holds: before,
 * the server is just slow (a busy host), and we keep writing, for at
 * most FLOOD_SLOW_S seconds without progress in all.
 */
#define FLOOD_SLOW_S	30

int cmd_flood(int argc, char **argv)
{
	int port = arg_ll(argc, argv, "port", 12345);
	long long bytes = arg_ll(argc, argv, "bytes", 16 << 20);
	int wait = arg_ll(argc, argv, "wait", 6);
	const char *expect = arg_str(argc, argv, "expect", "rst");
	const char *proc = arg_str(argc, argv, "proc", NULL);
	long long minq = arg_ll(argc, argv, "minq", 0);
	static unsigned char out[16384];
	long long sent = 0, mem = -1, base = 0;
	int slow = 0;
	int fd = tcp_connect(port);

	if (fd < 0)
		return fail("connect to %d: %s", port, strerror(errno));
	if (proc) {
		base = flood_base(fd, proc);
		if (base < 0)
			return 1;
		sent = 1;
	}
	set_nonblock(fd);
	while (sent < bytes) {
		size_t k = bytes - sent < (long long)sizeof(out) ?
			   (size_t)(bytes - sent) : sizeof(out);
		ssize_t w;

		pattern_copy(out, k, sent);
		w = send(fd, out, k, MSG_NOSIGNAL);
		if (w > 0) {
			sent += w;
			continue;
		}
		if (errno == ECONNRESET || errno == EPIPE) {
			/* the server gave up before we stopped writing */
			say("flood: %s after writing %lld bytes", strerror(errno),
			    sent);
			return expect_end("rst", expect);
		}
		if (errno != EAGAIN)
			return fail("send: %s", strerror(errno));
		if (wait_fd(fd, POLLOUT, 1000) != 0)
			continue;
		if (!proc)
			break;		/* stalled: the server stopped reading */
		mem = proc_value(proc, "mem_bytes");
		if (mem - base >= minq)
			break;
		if (++slow >= FLOOD_SLOW_S)
			return fail("the server took nothing for %d s with %lld bytes queued",
				    slow, mem - base);
	}
	if (proc)
		mem = proc_value(proc, "mem_bytes");
	say("flood: wrote %lld of %lld bytes without reading; server mem_bytes %lld, %lld idle; %d s slow",
	    sent, bytes, mem, base, slow);
	if (sent == bytes)
		return fail("the server took all %lld bytes: nothing is owed", bytes);
	if (proc && mem - base < minq)
		return fail("the server holds %lld bytes more than idle, under %lld: nothing queued?",
			    mem - base, minq);
	touch(arg_str(argc, argv, "ready", NULL));
	sleep_ms(wait * 1000L);
	return expect_end(read_to_end(fd, proc ? 1 : 0, sent), expect);
}

/*
 * owed port= [in=64] [wait=SECS] expect=rst|eof [ready=FILE]: against
 * ksrv_testproto amplify, a small receive buffer and @in bytes sent, all
 * of which the server reads at once; then no reading for @wait seconds,
 * so the server holds output owed to us and nothing unread from us (an
 * unread byte would make the kernel reset the close by itself).  Then
 * read the pattern to the end and see how it ends.
 */
int cmd_owed(int argc, char **argv)
{
	int port = arg_ll(argc, argv, "port", 12400);
	int in = arg_ll(argc, argv, "in", 64);
	int wait = arg_ll(argc, argv, "wait", 6);
	const char *expect = arg_str(argc, argv, "expect", "rst");
	static unsigned char buf[1 << 16];
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int rcvbuf = 4096;
	struct sockaddr_in sin = {
		.sin_family = AF_INET, .sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	uint64_t got = 0;

	if (in < 1 || in > (int)sizeof(buf))
		return 2;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		return fail("connect to %d: %s", port, strerror(errno));
	memset(buf, 'o', in);
	if (write_all(fd, buf, in))
		return fail("send: %s", strerror(errno));
	sleep_ms(1000);
	touch(arg_str(argc, argv, "ready", NULL));
	sleep_ms(wait * 1000L);
	for (;;) {
		ssize_t r;

		if (wait_fd(fd, POLLIN, 15000) <= 0)
			return fail("the connection is still open after %llu bytes",
				    (unsigned long long)got);
		r = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (r < 0 && errno == EAGAIN)
			continue;
		if (r == 0 || (r < 0 && errno == ECONNRESET)) {
			say("owed: %llu of %d bytes received, then %s",
			    (unsigned long long)got, in * KTP_AMPLIFY,
			    r ? "RST" : "EOF");
			if (got >= (uint64_t)in * KTP_AMPLIFY)
				return fail("everything owed arrived: nothing was queued");
			return expect_end(r ? "rst" : "eof", expect);
		}
		if (r < 0)
			return fail("recv: %s", strerror(errno));
		if (pattern_check(buf, r, got) >= 0)
			return fail("bytes differ from the pattern");
		got += r;
	}
}

/*
 * idle port= [wait=SECS] expect=rst|eof [ready=FILE]: a round trip of
 * 100 bytes, so nothing is owed, then wait for the server to close.
 */
int cmd_idle(int argc, char **argv)
{
	int port = arg_ll(argc, argv, "port", 12345);
	const char *expect = arg_str(argc, argv, "expect", "eof");
	unsigned char out[100], in[100];
	int fd = tcp_connect(port);

	if (fd < 0)
		return fail("connect to %d: %s", port, strerror(errno));
	pattern_copy(out, sizeof(out), 0);
	if (write_all(fd, out, sizeof(out)) ||
	    read_exact(fd, in, sizeof(in), 10000))
		return fail("round trip: %s", errno ? strerror(errno) : "EOF");
	if (memcmp(in, out, sizeof(in)))
		return fail("the echo differs");
	touch(arg_str(argc, argv, "ready", NULL));
	return expect_end(read_to_end(fd, 0, 0), expect);
}

/*
 * vanish port=: one echoed byte, then the socket goes without FIN or RST
 * (TCP_REPAIR, then close): the server's end knows nothing of it.
 */
int cmd_vanish(int argc, char **argv)
{
	int port = arg_ll(argc, argv, "port", 12345);
	int fd = tcp_connect(port), one = 1;
	char c;

	if (fd < 0)
		return fail("connect to %d: %s", port, strerror(errno));
	if (write_all(fd, "v", 1) || read_exact(fd, &c, 1, 10000) || c != 'v')
		return fail("no echo");
	if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &one, sizeof(one)))
		return fail("TCP_REPAIR: %s (needs CAP_NET_ADMIN)",
			    strerror(errno));
	close(fd);
	say("vanish: the client's socket is gone without FIN or RST");
	return 0;
}

/* ---- chaos: connections that end in every way -------------------------- */

struct chaos {
	int port;
	int timer;
	int amplify;
	double end;
	pthread_mutex_t lock;
	long conns, bad, gone;
	const char *why;
};

static void *chaos_thread(void *arg)
{
	struct chaos *c = arg;
	static __thread unsigned char buf[1 << 16];
	unsigned int seed = (unsigned int)(uintptr_t)&seed;

	while (now_s() < c->end) {
		int op = rand_r(&seed) % 4, fd = tcp_connect(c->port);
		size_t want = 1 + rand_r(&seed) %
			      (c->amplify ? KTP_AMPLIFY : sizeof(buf));
		size_t got = 0;
		const char *bad = NULL;

		if (fd < 0) {
			pthread_mutex_lock(&c->lock);
			c->gone++;
			pthread_mutex_unlock(&c->lock);
			break;
		}
		if (op != 2) {
			const char *msg = c->timer ? "arm 5\n" : "c";

			if (write_all(fd, msg, strlen(msg)))
				want = 0;
			while (!c->timer && got < want &&
			       wait_fd(fd, POLLIN, 2000) > 0) {
				ssize_t r = recv(fd, buf + got, want - got,
						 MSG_DONTWAIT);

				if (r <= 0)
					break;
				got += r;
			}
			if (!c->timer && pattern_check(buf, got, 0) >= 0)
				bad = "bytes differ from the pattern";
			if (op == 3)
				sleep_ms(rand_r(&seed) % 50);
		}
		if (op == 1)
			close_rst(fd);
		else
			close(fd);
		pthread_mutex_lock(&c->lock);
		c->conns++;
		if (bad && !c->bad++)
			c->why = bad;
		pthread_mutex_unlock(&c->lock);
	}
	return NULL;
}

/*
 * chaos port= secs= [kind=amplify|stream|abort|timer] [threads=4]:
 * connections closed normally, reset, closed at once or held a while;
 * the server may go away (that ends it).  Fails only on a wrong byte.
 */
int cmd_chaos(int argc, char **argv)
{
	struct chaos c = {
		.port = arg_ll(argc, argv, "port", 12400),
		.timer = !strcmp(arg_str(argc, argv, "kind", "amplify"), "timer"),
		.amplify = !strcmp(arg_str(argc, argv, "kind", "amplify"),
				   "amplify"),
		.lock = PTHREAD_MUTEX_INITIALIZER,
	};
	int threads = arg_ll(argc, argv, "threads", 4), i;
	pthread_t tid[32];

	if (threads < 1 || threads > 32)
		return 2;
	c.end = now_s() + arg_ll(argc, argv, "secs", 10);
	for (i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, chaos_thread, &c);
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	say("chaos: %ld connections, %ld bad, server gone %s", c.conns, c.bad,
	    c.gone ? "yes" : "no");
	return c.bad ? fail("chaos: %s", c.why) : 0;
}
