// SPDX-License-Identifier: GPL-2.0
/*
 * hclient: the HTTP test client of khttpd's VM suite (tests/http/suite.sh).
 *
 *   hclient raw [-t IDLE_S] [-d MS] HOST:PORT FILE
 *	Send FILE's bytes as they are (one byte every MS ms with -d), print
 *	every byte of the response on stdout until the server closes or
 *	IDLE_S seconds (default 3) pass without a byte.  Says on stderr how
 *	it ended and when.  Exit: 0 closed (FIN), 2 still open, 3 reset,
 *	1 error.
 *   hclient probe [-x MARK] [-a LIST] HOST:PORT FILE
 *	One GET (with Connection: close) on a new connection for each line
 *	of FILE, the target sent as it is.  Prints "STATUS TARGET" for each;
 *	fails if a status is not in LIST (default 400,403,404) or MARK
 *	appears anywhere in a response.
 *   hclient pipeline [-n N] HOST:PORT DOCROOT PATH...
 *	N requests (default 100) for the PATHs in turn, written at once on
 *	one connection, the last with Connection: close; checks N responses
 *	in order, each 200 with DOCROOT/PATH's exact bytes, then the close.
 *   hclient many [-n N] [-m PROC] [-t SECS] HOST:PORT DOCROOT PATH
 *	Open N connections (default 10000) and keep them all open; then one
 *	keep-alive request on each, every response checked.  With -m, the
 *	engine's "active" count is read from PROC once all are open and must
 *	be at least N.
 *   hclient slowloris [-n N] [-k K] [-r R] [-w S] [-T S] [-L MS] [-S S]
 *		HOST:PORT DOCROOT PATH
 *	N dribblers (default 1000) send a request head one byte a second,
 *	never finishing it.  After -w seconds (default 2) K normal clients
 *	(default 10) each fetch PATH R times (default 5), each fetch on a new
 *	connection within -L ms (default 2000).  Every dribbler must still be
 *	open when they are done, and be closed -T seconds (header_timeout)
 *	after its first byte, within -S seconds of slack (default 3), having
 *	been told 408.
 *   hclient slowread [-r BYTES] [-i MS] [-s SECS] [-m PROC] [-M MAX]
 *		HOST:PORT DOCROOT PATH
 *	GET PATH and read BYTES (default 65536) every MS ms (default 100)
 *	for SECS seconds (default 5), sampling mem_bytes in PROC after each
 *	read; then read the rest at full speed.  The body must be exact and
 *	no sample above MAX.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "hclient";
static struct sockaddr_in server;

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "# %s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void note(const char *fmt, ...)
{
	va_list ap;

	printf("# %s: ", prog);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_server(const char *hostport)
{
	char host[64];
	const char *colon = strrchr(hostport, ':');

	if (!colon || colon - hostport >= (long)sizeof(host))
		die("bad address %s (want HOST:PORT)", hostport);
	memcpy(host, hostport, colon - hostport);
	host[colon - hostport] = '\0';
	server.sin_family = AF_INET;
	server.sin_port = htons(atoi(colon + 1));
	if (inet_pton(AF_INET, host, &server.sin_addr) != 1)
		die("bad IPv4 address %s", host);
}

static int dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;

	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&server, sizeof(server))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* A file of the docroot, mapped (or "" for an empty one). */
struct blob {
	const unsigned char *p;
	size_t len;
};

static struct blob map_file(const char *docroot, const char *path)
{
	char name[4096];
	struct blob b = { (const unsigned char *)"", 0 };
	struct stat st;
	int fd;

	snprintf(name, sizeof(name), "%s/%s", docroot,
		 path[0] == '/' ? path + 1 : path);
	fd = open(name, O_RDONLY);
	if (fd < 0 || fstat(fd, &st))
		die("cannot open %s: %s", name, strerror(errno));
	if (st.st_size) {
		b.p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (b.p == MAP_FAILED)
			die("cannot map %s: %s", name, strerror(errno));
		b.len = st.st_size;
	}
	close(fd);
	return b;
}

/* A connection with a receive buffer, and the response parser. */
struct conn {
	int fd;
	char *buf;
	size_t cap, off, len;
};

static void conn_init(struct conn *c, int fd, size_t cap)
{
	c->fd = fd;
	c->cap = cap;
	c->off = c->len = 0;
	c->buf = malloc(cap);
	if (!c->buf)
		die("out of memory");
}

static void conn_free(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
}

/* Read more; 1 if bytes came, 0 on EOF, -1 on error or timeout. */
static int conn_fill(struct conn *c, int timeout_ms)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
	ssize_t n;

	if (c->off == c->len)
		c->off = c->len = 0;
	if (c->len == c->cap) {
		memmove(c->buf, c->buf + c->off, c->len - c->off);
		c->len -= c->off;
		c->off = 0;
		if (c->len == c->cap) {
			errno = ENOBUFS;
			return -1;
		}
	}
	if (poll(&pfd, 1, timeout_ms) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	n = read(c->fd, c->buf + c->len, c->cap - c->len);
	if (n < 0)
		return -1;
	c->len += n;
	return n > 0;
}

struct resp {
	int status;
	long long clen;		/* -1: none */
	bool close;
	char head[8192];
};

static bool header_is(const char *line, const char *name)
{
	return !strncasecmp(line, name, strlen(name));
}

/* Read and parse one response head.  0, or -1 with a reason in @why. */
static int read_head(struct conn *c, struct resp *r, int timeout_ms,
		     const char **why)
{
	char *end, *line;
	size_t hlen;

	for (;;) {
		end = memmem(c->buf + c->off, c->len - c->off, "\r\n\r\n", 4);
		if (end)
			break;
		switch (conn_fill(c, timeout_ms)) {
		case 1:
			continue;
		case 0:
			*why = c->len > c->off ? "EOF inside a head" : "EOF";
			return -1;
		default:
			*why = errno == ETIMEDOUT ? "timeout" : strerror(errno);
			return -1;
		}
	}
	hlen = end + 4 - (c->buf + c->off);
	if (hlen >= sizeof(r->head)) {
		*why = "head too long";
		return -1;
	}
	memcpy(r->head, c->buf + c->off, hlen);
	r->head[hlen] = '\0';
	c->off += hlen;
	r->status = 0;
	r->clen = -1;
	r->close = false;
	if (sscanf(r->head, "HTTP/1.1 %d ", &r->status) != 1) {
		*why = "no status line";
		return -1;
	}
	for (line = strstr(r->head, "\r\n"); line && line[2] != '\r';
	     line = strstr(line + 2, "\r\n")) {
		const char *l = line + 2;

		if (header_is(l, "Content-Length:"))
			r->clen = atoll(l + 15);
		else if (header_is(l, "Connection:") &&
			 !strncasecmp(l + 11 + strspn(l + 11, " "), "close", 5))
			r->close = true;
	}
	return 0;
}

/* Read @len body bytes and compare them with @want. */
static int read_body(struct conn *c, long long len, const struct blob *want,
		     int timeout_ms, const char **why)
{
	long long got = 0;

	if (want && (size_t)len != want->len) {
		*why = "wrong Content-Length";
		return -1;
	}
	while (got < len) {
		size_t n;

		if (c->off == c->len) {
			int rc = conn_fill(c, timeout_ms);

			if (rc <= 0) {
				*why = rc ? "timeout or error in the body" :
					    "EOF in the body";
				return -1;
			}
			continue;
		}
		n = c->len - c->off;
		if ((long long)n > len - got)
			n = len - got;
		if (want && memcmp(c->buf + c->off, want->p + got, n)) {
			*why = "body differs";
			return -1;
		}
		c->off += n;
		got += n;
	}
	return 0;
}

/* One whole 200 response with @want's bytes. */
static int read_ok(struct conn *c, struct resp *r, const struct blob *want,
		   int timeout_ms, const char **why)
{
	if (read_head(c, r, timeout_ms, why))
		return -1;
	if (r->status != 200) {
		static __thread char msg[64];

		snprintf(msg, sizeof(msg), "status %d, not 200", r->status);
		*why = msg;
		return -1;
	}
	if (r->clen < 0) {
		*why = "no Content-Length";
		return -1;
	}
	return read_body(c, r->clen, want, timeout_ms, why);
}

static int request(char *buf, size_t size, const char *path, bool close)
{
	return snprintf(buf, size,
			"GET %s%s HTTP/1.1\r\nHost: hclient\r\n%s\r\n",
			path[0] == '/' ? "" : "/", path,
			close ? "Connection: close\r\n" : "");
}

/* raw */

static int cmd_raw(int argc, char **argv)
{
	double idle = 3, t0, last_sent;
	int dribble = 0, opt, fd, rc = 1;
	size_t at_once = 0;
	struct stat st;
	char *data, buf[65536];
	size_t len, sent = 0;
	bool sending = true;
	const char *how = "error";
	FILE *f;

	while ((opt = getopt(argc, argv, "t:d:f:")) != -1) {
		if (opt == 't')
			idle = atof(optarg);
		else if (opt == 'd')
			dribble = atoi(optarg);
		else if (opt == 'f')
			at_once = strtoul(optarg, NULL, 10);
		else
			die("raw [-t IDLE_S] [-d MS [-f FIRST_BYTES]] HOST:PORT FILE");
	}
	if (argc - optind != 2)
		die("raw [-t IDLE_S] [-d MS [-f FIRST_BYTES]] HOST:PORT FILE");
	set_server(argv[optind]);
	f = fopen(argv[optind + 1], "rb");
	if (!f || fstat(fileno(f), &st))
		die("cannot open %s", argv[optind + 1]);
	len = st.st_size;
	data = malloc(len + 1);
	if (!data || fread(data, 1, len, f) != len)
		die("cannot read %s", argv[optind + 1]);
	fclose(f);
	fd = dial();
	if (fd < 0)
		die("cannot connect: %s", strerror(errno));
	t0 = last_sent = now();
	/* -f: the first bytes (a whole head, say) at once, then dribble */
	if (dribble && at_once) {
		if (at_once > len)
			at_once = len;
		if (write_all(fd, data, at_once))
			fprintf(stderr, "# raw: send: %s\n", strerror(errno));
		sent = at_once;
	}
	if (!dribble) {
		if (write_all(fd, data, len))
			fprintf(stderr, "# raw: send: %s\n", strerror(errno));
		sent = len;
		last_sent = now();
		sending = false;
	}
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int wait_ms;
		ssize_t n;

		if (sending && sent == len) {
			sending = false;
			last_sent = now();
		}
		wait_ms = sending ? dribble : (int)(idle * 1000);
		n = poll(&pfd, 1, wait_ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0) {
			if (!sending) {
				how = "still open";
				rc = 2;
				break;
			}
			if (send(fd, data + sent, 1, MSG_NOSIGNAL) != 1) {
				fprintf(stderr, "# raw: send: %s after %zu bytes\n",
					strerror(errno), sent);
				sending = false;
				last_sent = now();
			} else {
				sent++;
			}
			continue;
		}
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			fwrite(buf, 1, n, stdout);
			continue;
		}
		if (n == 0) {
			how = "closed";
			rc = 0;
		} else if (errno == ECONNRESET) {
			how = "reset";
			rc = 3;
		} else {
			how = strerror(errno);
		}
		break;
	}
	fflush(stdout);
	fprintf(stderr, "# raw: %s %.2f s after connect, %.2f s after the last byte sent (%zu of %zu sent)\n",
		how, now() - t0, now() - last_sent, sent, len);
	close(fd);
	return rc;
}

/* probe */

static int cmd_probe(int argc, char **argv)
{
	const char *mark = NULL, *allow = "400,403,404";
	char line[8192], *resp;
	int opt, bad = 0, n = 0;
	size_t cap = 1 << 20;
	FILE *f;

	while ((opt = getopt(argc, argv, "x:a:")) != -1) {
		if (opt == 'x')
			mark = optarg;
		else if (opt == 'a')
			allow = optarg;
		else
			die("probe [-x MARK] [-a LIST] HOST:PORT FILE");
	}
	if (argc - optind != 2)
		die("probe [-x MARK] [-a LIST] HOST:PORT FILE");
	set_server(argv[optind]);
	f = fopen(argv[optind + 1], "r");
	resp = malloc(cap + 1);
	if (!f || !resp)
		die("cannot open %s", argv[optind + 1]);
	while (fgets(line, sizeof(line), f)) {
		char req[9000], code[8];
		size_t len = 0;
		int fd, status = 0;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		n++;
		snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
			 line);
		fd = dial();
		if (fd < 0 || write_all(fd, req, strlen(req)))
			die("cannot connect or send: %s", strerror(errno));
		for (;;) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			ssize_t r;

			if (poll(&pfd, 1, 5000) != 1 || len == cap)
				break;
			r = read(fd, resp + len, cap - len);
			if (r <= 0)
				break;
			len += r;
		}
		close(fd);
		resp[len] = '\0';
		sscanf(resp, "HTTP/1.1 %d ", &status);
		snprintf(code, sizeof(code), "%d", status);
		printf("%d %s", status, line);
		if (!status || !strstr(allow, code)) {
			printf("  <- not in %s", allow);
			bad++;
		}
		if (mark && memmem(resp, len, mark, strlen(mark))) {
			printf("  <- THE MARKER LEAKED");
			bad++;
		}
		putchar('\n');
	}
	fclose(f);
	note("%d targets, %d bad", n, bad);
	return bad != 0;
}

/* pipeline */

struct pipe_arg {
	int fd;
	char *buf;
	size_t len;
};

static void *pipe_writer(void *p)
{
	struct pipe_arg *a = p;

	if (write_all(a->fd, a->buf, a->len))
		fprintf(stderr, "# pipeline: send: %s\n", strerror(errno));
	return NULL;
}

static int cmd_pipeline(int argc, char **argv)
{
	int n = 100, opt, i, npaths, rc;
	struct pipe_arg wa = { 0 };
	struct blob *want;
	char **paths;
	const char *why = NULL;
	struct conn c;
	struct resp r;
	pthread_t th;
	size_t size;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else
			die("pipeline [-n N] HOST:PORT DOCROOT PATH...");
	}
	if (argc - optind < 3 || n < 1)
		die("pipeline [-n N] HOST:PORT DOCROOT PATH...");
	set_server(argv[optind]);
	paths = argv + optind + 2;
	npaths = argc - optind - 2;
	want = calloc(npaths, sizeof(*want));
	for (i = 0; i < npaths; i++)
		want[i] = map_file(argv[optind + 1], paths[i]);
	size = (size_t)n * 300;
	wa.buf = malloc(size);
	for (i = 0; i < n; i++)
		wa.len += request(wa.buf + wa.len, size - wa.len,
				  paths[i % npaths], i == n - 1);
	wa.fd = dial();
	if (wa.fd < 0)
		die("cannot connect: %s", strerror(errno));
	conn_init(&c, wa.fd, 1 << 16);
	pthread_create(&th, NULL, pipe_writer, &wa);
	for (i = 0; i < n; i++) {
		if (read_ok(&c, &r, &want[i % npaths], 10000, &why))
			break;
		if (r.close != (i == n - 1)) {
			why = "Connection: close on the wrong response";
			break;
		}
	}
	pthread_join(th, NULL);
	if (i == n) {
		rc = conn_fill(&c, 5000);
		if (rc != 0)
			why = rc > 0 ? "bytes after the last response" :
				       "no close after the last response";
	}
	if (why) {
		note("response %d of %d (%s): %s", i + 1, n,
		     paths[i % npaths], why);
		return 1;
	}
	note("%d responses, in order, bodies exact, then closed", n);
	conn_free(&c);
	return 0;
}

/* many */

static long proc_value(const char *proc, const char *key)
{
	char line[256];
	size_t klen = strlen(key);
	long v = -1;
	FILE *f = fopen(proc, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == ' ')
			v = atol(line + klen + 1);
	fclose(f);
	return v;
}

static int cmd_many(int argc, char **argv)
{
	int n = 10000, opt, i, bad = 0, secs = 60;
	const char *proc = NULL, *why = NULL;
	struct conn *c;
	struct blob want;
	struct resp r;
	char req[512];
	double t0;
	int rlen;

	while ((opt = getopt(argc, argv, "n:m:t:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'm')
			proc = optarg;
		else if (opt == 't')
			secs = atoi(optarg);
		else
			die("many [-n N] [-m PROC] HOST:PORT DOCROOT PATH");
	}
	if (argc - optind != 3)
		die("many [-n N] [-m PROC] HOST:PORT DOCROOT PATH");
	set_server(argv[optind]);
	want = map_file(argv[optind + 1], argv[optind + 2]);
	rlen = request(req, sizeof(req), argv[optind + 2], false);
	c = calloc(n, sizeof(*c));
	t0 = now();
	for (i = 0; i < n; i++) {
		int fd = dial();

		if (fd < 0)
			die("connection %d of %d: %s", i + 1, n,
			    strerror(errno));
		conn_init(&c[i], fd, 4096 + want.len);
	}
	note("%d connections open in %.1f s", n, now() - t0);
	if (proc) {
		long active;

		/* the accept work may still be taking the last ones */
		for (i = 0; i < 50; i++) {
			active = proc_value(proc, "active");
			if (active >= n)
				break;
			usleep(100000);
		}
		note("the server counts %ld active", active);
		if (active < n)
			return 1;
	}
	t0 = now();
	for (i = 0; i < n; i++)
		if (write_all(c[i].fd, req, rlen))
			die("send on connection %d: %s", i + 1,
			    strerror(errno));
	for (i = 0; i < n; i++) {
		if (read_ok(&c[i], &r, &want, secs * 1000, &why) ||
		    (r.close && (why = "Connection: close"))) {
			if (bad++ < 5)
				note("connection %d: %s", i + 1, why);
		}
	}
	note("%d requests sent and answered in %.1f s, %d wrong", n,
	     now() - t0, bad);
	for (i = 0; i < n; i++)
		conn_free(&c[i]);
	return bad != 0;
}

/* slowloris */

static struct {
	pthread_mutex_t lock;
	int ok, fail;
	double max_ms, sum_ms;
	const char *path;
	struct blob want;
	int reqs;
} normal = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void *normal_client(void *unused)
{
	char req[512];
	int i, len = request(req, sizeof(req), normal.path, true);

	(void)unused;
	for (i = 0; i < normal.reqs; i++) {
		double t0 = now(), ms;
		const char *why = NULL;
		struct conn c;
		struct resp r;
		int fd = dial();

		if (fd < 0) {
			why = "connect failed";
		} else {
			conn_init(&c, fd, 1 << 16);
			if (write_all(fd, req, len))
				why = "send failed";
			else
				read_ok(&c, &r, &normal.want, 30000, &why);
			conn_free(&c);
		}
		ms = (now() - t0) * 1000;
		pthread_mutex_lock(&normal.lock);
		if (why) {
			normal.fail++;
			note("a normal request failed: %s", why);
		} else {
			normal.ok++;
		}
		if (ms > normal.max_ms)
			normal.max_ms = ms;
		normal.sum_ms += ms;
		pthread_mutex_unlock(&normal.lock);
	}
	return NULL;
}

struct dribbler {
	int fd;
	size_t sent;
	double first;	/* its first byte */
	double closed;	/* 0: open */
	bool got408;
};

static int cmd_slowloris(int argc, char **argv)
{
	int n = 1000, k = 10, opt, i, open_after = -1, closed = 0, got408 = 0;
	double warm = 2, tmo = 5, slack = 3, bound_ms = 2000, t0, next;
	double lo = 1e9, hi = 0;
	static const char head[] = "GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: ";
	struct dribbler *d;
	struct pollfd *pfd;
	pthread_t *th = NULL;
	bool started = false, fail = false;

	normal.reqs = 5;
	while ((opt = getopt(argc, argv, "n:k:r:w:T:L:S:")) != -1) {
		switch (opt) {
		case 'n': n = atoi(optarg); break;
		case 'k': k = atoi(optarg); break;
		case 'r': normal.reqs = atoi(optarg); break;
		case 'w': warm = atof(optarg); break;
		case 'T': tmo = atof(optarg); break;
		case 'L': bound_ms = atof(optarg); break;
		case 'S': slack = atof(optarg); break;
		default: die("slowloris: bad option");
		}
	}
	if (argc - optind != 3)
		die("slowloris [options] HOST:PORT DOCROOT PATH");
	set_server(argv[optind]);
	normal.path = argv[optind + 2];
	normal.want = map_file(argv[optind + 1], normal.path);
	d = calloc(n, sizeof(*d));
	pfd = calloc(n, sizeof(*pfd));
	th = calloc(k, sizeof(*th));
	t0 = now();
	for (i = 0; i < n; i++) {
		d[i].fd = dial();
		if (d[i].fd < 0)
			die("dribbler %d: %s", i + 1, strerror(errno));
		if (send(d[i].fd, head, 1, MSG_NOSIGNAL) != 1)
			die("dribbler %d: send: %s", i + 1, strerror(errno));
		d[i].sent = 1;
		d[i].first = now();
	}
	note("%d dribblers connected in %.1f s", n, now() - t0);
	next = now() + 1;
	for (;;) {
		int np = 0, left = 0;
		double t = now();

		if (!started && t - t0 >= warm) {
			started = true;
			for (i = 0; i < k; i++)
				pthread_create(&th[i], NULL, normal_client,
					       NULL);
		}
		if (started && open_after < 0) {
			pthread_mutex_lock(&normal.lock);
			if (normal.ok + normal.fail == k * normal.reqs) {
				open_after = 0;
				for (i = 0; i < n; i++)
					open_after += !d[i].closed;
			}
			pthread_mutex_unlock(&normal.lock);
		}
		if (t >= next) {
			for (i = 0; i < n; i++) {
				char b;

				if (d[i].closed)
					continue;
				b = d[i].sent < sizeof(head) - 1 ?
				    head[d[i].sent] : 'a';
				if (send(d[i].fd, &b, 1, MSG_NOSIGNAL) == 1)
					d[i].sent++;
			}
			next += 1;
		}
		for (i = 0; i < n; i++) {
			if (d[i].closed)
				continue;
			left++;
			pfd[np].fd = d[i].fd;
			pfd[np].events = POLLIN;
			pfd[np].revents = 0;
			np++;
		}
		if (!left && open_after >= 0)
			break;
		if (t - t0 > tmo + slack + warm + 60) {
			note("giving up: %d dribblers still open", left);
			fail = true;
			break;
		}
		poll(pfd, np, 100);
		for (i = 0, np = 0; i < n; i++) {
			char buf[4096];
			ssize_t r;

			if (d[i].closed)
				continue;
			if (!pfd[np++].revents)
				continue;
			r = read(d[i].fd, buf, sizeof(buf) - 1);
			if (r > 0) {
				buf[r] = '\0';
				if (!strncmp(buf, "HTTP/1.1 408 ", 13))
					d[i].got408 = true;
				continue;
			}
			d[i].closed = now();
			closed++;
			got408 += d[i].got408;
			t = d[i].closed - d[i].first;
			if (t < lo)
				lo = t;
			if (t > hi)
				hi = t;
			close(d[i].fd);
		}
	}
	for (i = 0; started && i < k; i++)
		pthread_join(th[i], NULL);
	note("normal requests: %d ok, %d failed, max %.0f ms, mean %.0f ms (bound %.0f ms)",
	     normal.ok, normal.fail, normal.max_ms,
	     normal.sum_ms / (normal.ok + normal.fail ?: 1), bound_ms);
	note("dribblers: %d, %d open when the normal clients were done, %d closed (%d told 408), %.2f..%.2f s after their first byte (header_timeout %.0f s, slack %.0f s)",
	     n, open_after, closed, got408, lo, hi, tmo, slack);
	if (normal.fail || normal.ok != k * normal.reqs ||
	    normal.max_ms > bound_ms || open_after != n || closed != n ||
	    got408 != n || lo < tmo - 0.5 || hi > tmo + slack)
		fail = true;
	return fail;
}

/* slowread */

static int cmd_slowread(int argc, char **argv)
{
	size_t chunk = 65536, got = 0;
	int interval = 100, opt, samples = 0;
	double secs = 5, t0;
	long max = -1, maxmem = -1, nonzero = 0;
	const char *proc = "/proc/net/khttpd", *why = NULL;
	char req[512];
	struct blob want, rest;
	struct conn c;
	struct resp r;
	int fd, len;

	while ((opt = getopt(argc, argv, "r:i:s:m:M:")) != -1) {
		switch (opt) {
		case 'r': chunk = atol(optarg); break;
		case 'i': interval = atoi(optarg); break;
		case 's': secs = atof(optarg); break;
		case 'm': proc = optarg; break;
		case 'M': max = atol(optarg); break;
		default: die("slowread: bad option");
		}
	}
	if (argc - optind != 3)
		die("slowread [options] HOST:PORT DOCROOT PATH");
	set_server(argv[optind]);
	want = map_file(argv[optind + 1], argv[optind + 2]);
	len = request(req, sizeof(req), argv[optind + 2], true);
	fd = dial();
	if (fd < 0 || write_all(fd, req, len))
		die("cannot connect or send: %s", strerror(errno));
	conn_init(&c, fd, chunk < 16384 ? 16384 : chunk);
	if (read_head(&c, &r, 10000, &why) || r.status != 200 ||
	    r.clen != (long long)want.len)
		die("bad response head (%s)", why ? why : "status or length");
	t0 = now();
	while (now() - t0 < secs && got < want.len) {
		size_t take = 0;
		long mem;

		while (take < chunk && got < want.len) {
			size_t n = c.len - c.off;

			if (!n) {
				if (conn_fill(&c, 10000) <= 0)
					die("read failed after %zu bytes", got);
				continue;
			}
			if (n > chunk - take)
				n = chunk - take;
			if (n > want.len - got)
				n = want.len - got;
			if (memcmp(c.buf + c.off, want.p + got, n))
				die("body differs near byte %zu", got);
			c.off += n;
			got += n;
			take += n;
		}
		mem = proc_value(proc, "mem_bytes");
		samples++;
		nonzero += mem > 0;
		if (mem > maxmem)
			maxmem = mem;
		usleep(interval * 1000);
	}
	note("slow phase: %zu bytes in %.1f s, %d samples of mem_bytes, %ld non-zero, max %ld (limit %ld)",
	     got, now() - t0, samples, nonzero, maxmem, max);
	rest.p = want.p + got;
	rest.len = want.len - got;
	if (read_body(&c, rest.len, &rest, 30000, &why))
		die("the rest of the body: %s", why);
	note("body of %zu bytes exact", want.len);
	conn_free(&c);
	return (max >= 0 && maxmem > max) || !nonzero;
}

int main(int argc, char **argv)
{
	struct rlimit rl;

	if (argc < 2)
		die("usage: hclient raw|probe|pipeline|many|slowloris|slowread ...");
	/* as many descriptors as allowed */
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	argv++;
	argc--;
	if (!strcmp(argv[0], "raw"))
		return cmd_raw(argc, argv);
	if (!strcmp(argv[0], "probe"))
		return cmd_probe(argc, argv);
	if (!strcmp(argv[0], "pipeline"))
		return cmd_pipeline(argc, argv);
	if (!strcmp(argv[0], "many"))
		return cmd_many(argc, argv);
	if (!strcmp(argv[0], "slowloris"))
		return cmd_slowloris(argc, argv);
	if (!strcmp(argv[0], "slowread"))
		return cmd_slowread(argc, argv);
	die("unknown command %s", argv[0]);
	return 1;
}
