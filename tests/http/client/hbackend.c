// SPDX-License-Identifier: GPL-2.0
/*
 * hbackend: a userspace HTTP/1.x server for the tests of khttpd's relay
 * (backend=, proxy=): the backend it forwards to.  A test fixture, not a
 * web server: one thread per connection.
 *
 *   hbackend [-a ADDR] -p PORT -d DIR -m MODE
 *
 * Listens on ADDR (IPv4 or IPv6, default 127.0.0.1) port PORT, says
 * "hbackend: listening on ADDR port PORT, mode MODE" on stderr, and runs
 * until SIGTERM or SIGINT (exit 0).  Bad arguments: usage on stderr,
 * exit 2.
 *
 * Each request head is read (HTTP/1.0 or 1.1), then its body (by
 * Content-Length, or chunked; at most 64 MiB, else 413).  A request with a
 * body and "Expect: 100-continue" is sent "HTTP/1.1 100 Continue" first
 * (but in silent mode), so a relay that forwards Expect sees a 1xx
 * response before the final one.  A bad request is answered 400 (431 for
 * a head over 64 KiB) and the connection closed.  The final response's
 * body:
 *   target /echo-head (path part, any method): the request head exactly
 *	as received, request line to the empty line;
 *   GET, HEAD: the file DIR/PATH (DIR/PATH/index.html for a directory;
 *	404 and a short body if there is none);
 *   any other method, any path: the request body exactly as received
 *	(chunked ones decoded).
 * MODE says how it is sent:
 *   length   HTTP/1.1, Content-Length
 *   chunked  HTTP/1.1, Transfer-Encoding: chunked, chunks of 1, 7, 4096,
 *	      65536 bytes in turn (the 7-byte ones carry a chunk extension),
 *	      then the last chunk with a trailer field, "X-Trailer: done"
 *   eof      HTTP/1.0 200 OK, no Content-Length, the body, then close
 *   cut      Content-Length of the whole body, but only its first half is
 *	      sent, then close (a response with an empty body is whole)
 *   silent   the request is read, never answered (nor is a bad one); the
 *	      connection stays open until the client closes it
 *   slow     as length, but the head and then every 16 KiB of the body in
 *	      writes of their own, 100 ms apart
 * Every response has "X-Backend: MODE" (end to end) and hop-by-hop
 * headers a relay must drop: "Connection: keep-alive, X-Backend-Hop"
 * (or "close, X-Backend-Hop"), "X-Backend-Hop: 1" and, when kept alive,
 * "Keep-Alive: timeout=60".  A connection is kept alive (length, chunked,
 * slow) unless the request says "Connection: close" or is HTTP/1.0
 * without "Connection: keep-alive"; eof and cut always close.  Closing
 * is lingering: FIN, then what the client still sends is read and
 * dropped (up to 2 s), so that the response is not cut by a reset.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
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
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define HEAD_MAX	(64 * 1024)
#define BODY_MAX	(64L * 1024 * 1024)
#define SLOW_PIECE	(16 * 1024)
#define SLOW_MS		100

enum mode { LENGTH, CHUNKED, EOFMODE, CUT, SILENT, SLOW };
static const char *const mode_names[] = {
	"length", "chunked", "eof", "cut", "silent", "slow",
};

static enum mode mode;
static const char *docroot;

static void usage(const char *why)
{
	if (why)
		fprintf(stderr, "hbackend: %s\n", why);
	fprintf(stderr, "usage: hbackend [-a ADDR] -p PORT -d DIR -m "
		"length|chunked|eof|cut|silent|slow\n");
	exit(2);
}

/* A connection: its socket and what it received and has not used yet. */
struct conn {
	int fd;
	char *buf;
	size_t cap, len;
};

/* Read more: 1 if bytes came, 0 on EOF, -1 on an error, -2 if the buffer
 * is at @limit and full. */
static int fill(struct conn *c, size_t limit)
{
	ssize_t n;

	if (c->len == c->cap) {
		size_t cap = c->cap * 2;
		char *p;

		if (c->cap >= limit)
			return -2;
		if (cap > limit)
			cap = limit;
		p = realloc(c->buf, cap);
		if (!p)
			return -1;
		c->buf = p;
		c->cap = cap;
	}
	do
		n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n ? -1 : 0;
	c->len += n;
	return 1;
}

/* Drop the first @n bytes received. */
static void consume(struct conn *c, size_t n)
{
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
}

/* Wait until @n bytes are in; 0, or -1 if the connection ended first. */
static int need(struct conn *c, size_t n)
{
	while (c->len < n)
		if (fill(c, n > HEAD_MAX ? n : HEAD_MAX) <= 0)
			return -1;
	return 0;
}

/* The length of the line at the start of the buffer, with its CRLF (or
 * LF), reading more until it is whole; -1 if the connection ends first. */
static long line_len(struct conn *c)
{
	char *nl;

	while (!(nl = memchr(c->buf, '\n', c->len)))
		if (fill(c, HEAD_MAX) <= 0)
			return -1;
	return nl + 1 - c->buf;
}

static int send_all(int fd, const void *p, size_t len)
{
	const char *b = p;

	while (len) {
		ssize_t n = send(fd, b, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		b += n;
		len -= n;
	}
	return 0;
}

static int writev_all(int fd, struct iovec *iov, int cnt)
{
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = cnt };

	while (msg.msg_iovlen) {
		ssize_t n = sendmsg(fd, &msg, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		while (msg.msg_iovlen && (size_t)n >= msg.msg_iov->iov_len) {
			n -= msg.msg_iov->iov_len;
			msg.msg_iov++;
			msg.msg_iovlen--;
		}
		if (msg.msg_iovlen) {
			msg.msg_iov->iov_base = (char *)msg.msg_iov->iov_base + n;
			msg.msg_iov->iov_len -= n;
		}
	}
	return 0;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* A header's value in a NUL-terminated head: a pointer to it (spaces
 * skipped; it ends at CR or LF), or NULL.  The first occurrence only. */
static const char *header(const char *head, const char *name)
{
	size_t n = strlen(name);
	const char *l;

	for (l = strchr(head, '\n'); l && l[1] && l[1] != '\r' && l[1] != '\n';
	     l = strchr(l + 1, '\n'))
		if (!strncasecmp(l + 1, name, n) && l[1 + n] == ':')
			return l + 2 + n + strspn(l + 2 + n, " \t");
	return NULL;
}

/* Does the comma-separated value @v (up to CR/LF) have the token @tok? */
static bool has_token(const char *v, const char *tok)
{
	size_t n = strlen(tok);

	while (v && *v && *v != '\r' && *v != '\n') {
		v += strspn(v, " \t,");
		if (!strncasecmp(v, tok, n) && strchr(" \t,\r\n", v[n]))
			return true;
		v += strcspn(v, ",\r\n");
	}
	return false;
}

/* One request, as read. */
struct req {
	char *head;		/* NUL-terminated, as received */
	size_t head_len;
	char method[16];
	char target[4096];
	int minor;		/* HTTP/1.minor */
	bool keep_alive;
	char *body;
	size_t body_len;
};

/* Append @n bytes of the connection's buffer to the request body. */
static int body_take(struct conn *c, struct req *r, size_t n)
{
	char *p;

	if (r->body_len + n > BODY_MAX)
		return -1;
	p = realloc(r->body, r->body_len + n + 1);
	if (!p)
		return -1;
	r->body = p;
	memcpy(r->body + r->body_len, c->buf, n);
	r->body_len += n;
	consume(c, n);
	return 0;
}

static int read_chunked(struct conn *c, struct req *r)
{
	for (;;) {
		long n = line_len(c);
		unsigned long size;
		char *end;

		if (n < 0)
			return -1;
		size = strtoul(c->buf, &end, 16);
		if (end == c->buf || size > BODY_MAX)
			return -1;
		consume(c, n);
		if (!size)
			break;
		if (need(c, size) || body_take(c, r, size))
			return -1;
		n = line_len(c);	/* the CRLF after the data */
		if (n < 0)
			return -1;
		consume(c, n);
	}
	for (;;) {		/* trailer fields, up to the empty line */
		long n = line_len(c);

		if (n < 0)
			return -1;
		consume(c, n);
		if (n <= 2)
			return 0;
	}
}

/*
 * Read one request.  1: read; 0: the connection ended (or was idle) before
 * a request began; -1: a bad or cut request (the status to send in *st,
 * or 0 to just close).
 */
static int read_request(struct conn *c, struct req *r, int *st)
{
	const char *v;
	char *end = NULL;
	size_t hl = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	*st = 0;
	for (;;) {
		char *crlf, *lflf;

		/* empty lines before a request line are allowed */
		while (c->len && (c->buf[0] == '\r' || c->buf[0] == '\n'))
			consume(c, 1);
		crlf = memmem(c->buf, c->len, "\r\n\r\n", 4);
		lflf = memmem(c->buf, c->len, "\n\n", 2);

		if (crlf && (!lflf || crlf < lflf))
			hl = crlf + 4 - c->buf;
		else if (lflf)
			hl = lflf + 2 - c->buf;
		if (hl)
			break;
		rc = fill(c, HEAD_MAX);
		if (rc <= 0) {
			if (!rc && !c->len)
				return 0;
			*st = rc == -2 ? 431 : 0;
			return -1;
		}
	}
	r->head = malloc(hl + 1);
	if (!r->head)
		return -1;
	memcpy(r->head, c->buf, hl);
	r->head[hl] = '\0';
	r->head_len = hl;
	consume(c, hl);

	*st = 400;
	if (sscanf(r->head, "%15[A-Za-z] %4095[^ \r\n] HTTP/1.%d", r->method,
		   r->target, &r->minor) != 3)
		return -1;
	v = header(r->head, "Connection");
	r->keep_alive = r->minor >= 1 ? !has_token(v, "close") :
			has_token(v, "keep-alive");

	v = header(r->head, "Expect");
	if (v && !strncasecmp(v, "100-continue", 12) && mode != SILENT &&
	    (header(r->head, "Content-Length") || header(r->head, "Transfer-Encoding")) &&
	    send_all(c->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25))
		return -1;

	v = header(r->head, "Transfer-Encoding");
	if (v) {
		if (!has_token(v, "chunked"))
			return -1;
		*st = 0;
		return read_chunked(c, r) ? -1 : 1;
	}
	v = header(r->head, "Content-Length");
	if (v) {
		long long n = strtoll(v, &end, 10);

		if (end == v || n < 0)
			return -1;
		if (n > BODY_MAX) {
			*st = 413;
			return -1;
		}
		*st = 0;
		if (need(c, n) || body_take(c, r, n))
			return -1;
	}
	return 1;
}

/* A body to send: mapped file or memory. */
struct body {
	const char *p;
	size_t len;
	void *map;		/* to munmap, if a file */
	const char *type;
};

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* Decode the target's path (query dropped, %XX decoded) into @out;
 * -1 if it is not a path under the docroot. */
static int target_path(const char *target, char *out, size_t size)
{
	const char *t = target, *q;
	size_t o = 0;

	if (!strncasecmp(t, "http://", 7)) {	/* absolute form */
		t = strchr(t + 7, '/');
		if (!t)
			t = "/";
	}
	if (*t != '/')
		return -1;
	q = t + strcspn(t, "?#");
	for (; t < q; t++) {
		int ch = (unsigned char)*t;

		if (ch == '%' && t + 2 < q && hexval(t[1]) >= 0 &&
		    hexval(t[2]) >= 0) {
			ch = hexval(t[1]) * 16 + hexval(t[2]);
			t += 2;
		}
		if (!ch || o + 1 >= size)
			return -1;
		out[o++] = ch;
	}
	out[o] = '\0';
	/* no ".." segment */
	for (t = out; (t = strstr(t, "..")); t += 2)
		if (t[-1] == '/' && (t[2] == '/' || !t[2]))
			return -1;
	return 0;
}

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && !strcmp(dot, ".html"))
		return "text/html";
	if (dot && !strcmp(dot, ".txt"))
		return "text/plain";
	return "application/octet-stream";
}

/* Map DIR/PATH into @b: 0, or -1 if there is no such file. */
static int open_file(const char *path, struct body *b)
{
	char name[8192];
	struct stat st;
	int fd;

	snprintf(name, sizeof(name), "%s%s", docroot, path);
	fd = open(name, O_RDONLY);
	if (fd >= 0 && !fstat(fd, &st) && S_ISDIR(st.st_mode)) {
		close(fd);
		snprintf(name, sizeof(name), "%s%s/index.html", docroot, path);
		fd = open(name, O_RDONLY);
	}
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	b->type = type_of(name);
	b->len = st.st_size;
	b->p = "";
	if (b->len) {
		b->map = mmap(NULL, b->len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (b->map == MAP_FAILED) {
			b->map = NULL;
			close(fd);
			return -1;
		}
		b->p = b->map;
	}
	close(fd);
	return 0;
}

static const char *reason(int st)
{
	switch (st) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 413: return "Content Too Large";
	case 431: return "Request Header Fields Too Large";
	default: return "Error";
	}
}

/* The body in chunks of these sizes, in turn. */
static const size_t chunk_sizes[] = { 1, 7, 4096, 65536 };

static int send_chunked(int fd, const struct body *b, bool head_only)
{
	static const char last[] = "0\r\nX-Trailer: done\r\n\r\n";
	size_t off = 0;
	unsigned int i = 0;

	if (head_only)
		return 0;
	while (off < b->len) {
		size_t n = chunk_sizes[i % 4];
		char line[64];
		struct iovec iov[3];

		if (n > b->len - off)
			n = b->len - off;
		iov[0].iov_base = line;
		iov[0].iov_len = snprintf(line, sizeof(line), i % 4 == 1 ?
					  "%zx;hb-ext=\"x y\"\r\n" : "%zx\r\n", n);
		iov[1].iov_base = (char *)b->p + off;
		iov[1].iov_len = n;
		iov[2].iov_base = "\r\n";
		iov[2].iov_len = 2;
		if (writev_all(fd, iov, 3))
			return -1;
		off += n;
		i++;
	}
	return send_all(fd, last, sizeof(last) - 1);
}

/* Send a response; 0, or -1 if the connection is to be closed. */
static int respond(struct conn *c, const struct req *r, int st,
		   const struct body *b, bool keep)
{
	bool head_only = r && !strcmp(r->method, "HEAD");
	char h[1024];
	int n;

	if (mode == EOFMODE)
		n = snprintf(h, sizeof(h), "HTTP/1.0 %d %s\r\n", st, reason(st));
	else
		n = snprintf(h, sizeof(h), "HTTP/1.1 %d %s\r\n", st, reason(st));
	n += snprintf(h + n, sizeof(h) - n,
		      "Server: hbackend\r\nX-Backend: %s\r\nContent-Type: %s\r\n"
		      "Connection: %s, X-Backend-Hop\r\nX-Backend-Hop: 1\r\n%s",
		      mode_names[mode], b->type, keep ? "keep-alive" : "close",
		      keep ? "Keep-Alive: timeout=60\r\n" : "");
	if (mode == CHUNKED)
		n += snprintf(h + n, sizeof(h) - n,
			      "Transfer-Encoding: chunked\r\nTrailer: X-Trailer\r\n\r\n");
	else if (mode == EOFMODE)
		n += snprintf(h + n, sizeof(h) - n, "\r\n");
	else
		n += snprintf(h + n, sizeof(h) - n, "Content-Length: %zu\r\n\r\n",
			      b->len);

	switch (mode) {
	case CHUNKED:
		if (send_all(c->fd, h, n) || send_chunked(c->fd, b, head_only))
			return -1;
		break;
	case SLOW:
		if (send_all(c->fd, h, n))
			return -1;
		for (size_t off = 0; !head_only && off < b->len; off += SLOW_PIECE) {
			size_t len = b->len - off < SLOW_PIECE ? b->len - off : SLOW_PIECE;

			sleep_ms(SLOW_MS);
			if (send_all(c->fd, b->p + off, len))
				return -1;
		}
		break;
	default: {
		size_t len = head_only ? 0 : mode == CUT ? b->len / 2 : b->len;
		struct iovec iov[2] = {
			{ h, n }, { (char *)b->p, len },
		};

		if (writev_all(c->fd, iov, 2))
			return -1;
	}
	}
	return keep ? 0 : -1;
}

/* Answer one request; 0 to go on with the connection, -1 to close it. */
static int serve(struct conn *c, struct req *r)
{
	struct body b = { .type = "application/octet-stream" };
	char path[4096];
	bool keep = r->keep_alive && mode != EOFMODE && mode != CUT;
	int st = 200, rc;

	if (target_path(r->target, path, sizeof(path))) {
		st = 404;
		b.p = "not found\n";
		b.len = strlen(b.p);
		b.type = "text/plain";
	} else if (!strcmp(path, "/echo-head")) {
		b.p = r->head;
		b.len = r->head_len;
		b.type = "text/plain";
	} else if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
		b.p = r->body ? r->body : "";
		b.len = r->body_len;
	} else if (open_file(path, &b)) {
		st = 404;
		b.p = "not found\n";
		b.len = strlen(b.p);
		b.type = "text/plain";
	}
	rc = respond(c, r, st, &b, keep);
	if (b.map)
		munmap(b.map, b.len);
	return rc;
}

/* FIN, then drop what the client still sends, for up to 2 s: closing with
 * unread bytes would send a reset, which may destroy the response. */
static void linger_close(int fd)
{
	struct timeval tv = { 2, 0 };
	char buf[4096];
	struct timespec t0, t;

	shutdown(fd, SHUT_WR);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (recv(fd, buf, sizeof(buf), 0) > 0) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= 2)
			break;
	}
	close(fd);
}

static void *conn_thread(void *arg)
{
	struct conn c = { .fd = (int)(long)arg, .cap = 16384 };
	struct req r;
	int st;

	c.buf = malloc(c.cap);
	if (!c.buf) {
		close(c.fd);
		return NULL;
	}
	for (;;) {
		int rc = read_request(&c, &r, &st);
		bool more = false;

		/* silent: never answered; read on until the client closes */
		if (rc > 0)
			more = mode == SILENT || !serve(&c, &r);
		else if (rc < 0 && st && mode != SILENT) {
			struct body b = { "bad request\n", 12, NULL, "text/plain" };

			respond(&c, NULL, st, &b, false);
		}
		free(r.head);
		free(r.body);
		if (!more)
			break;
	}
	free(c.buf);
	linger_close(c.fd);
	return NULL;
}

static void *signal_thread(void *arg)
{
	sigset_t *set = arg;
	int sig;

	sigwait(set, &sig);
	fprintf(stderr, "hbackend: signal %d, exiting\n", sig);
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *addr = "127.0.0.1", *mode_arg = NULL;
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	pthread_attr_t attr;
	pthread_t tid;
	struct rlimit rl;
	static sigset_t set;
	char dir[4096];
	int opt, fd, one = 1;
	long port = -1;
	unsigned int i;

	while ((opt = getopt(argc, argv, "a:p:d:m:")) != -1) {
		switch (opt) {
		case 'a': addr = optarg; break;
		case 'p': port = strtol(optarg, NULL, 10); break;
		case 'd': docroot = optarg; break;
		case 'm': mode_arg = optarg; break;
		default: usage(NULL);
		}
	}
	if (optind < argc)
		usage("unexpected argument");
	if (port < 0 || port > 65535)
		usage("-p PORT (0..65535) is required");
	if (!docroot)
		usage("-d DIR is required");
	if (!mode_arg)
		usage("-m MODE is required");
	for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (!strcmp(mode_arg, mode_names[i]))
			break;
	if (i == sizeof(mode_names) / sizeof(mode_names[0]))
		usage("unknown mode");
	mode = i;
	/* the docroot without a trailing slash: DIR + "/path" */
	snprintf(dir, sizeof(dir), "%s", docroot);
	while (strlen(dir) > 1 && dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	if (!strcmp(dir, "/"))
		dir[0] = '\0';
	docroot = dir;

	if (addr[0] == '[' && strchr(addr, ']')) {	/* [v6] */
		static char v6[64];

		snprintf(v6, sizeof(v6), "%.*s", (int)(strchr(addr, ']') - addr - 1),
			 addr + 1);
		addr = v6;
	}
	if (strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
			usage("-a: not an IPv4 or IPv6 address");
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			usage("-a: not an IPv4 or IPv6 address");
		sl = sizeof(*s4);
	}

	/* as many descriptors as allowed */
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);	/* inherited by every thread */
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 128 * 1024);
	if (pthread_create(&tid, &attr, signal_thread, &set)) {
		perror("hbackend: pthread_create");
		return 1;
	}

	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, 4096)) {
		fprintf(stderr, "hbackend: %s port %ld: %s\n", addr, port,
			strerror(errno));
		return 1;
	}
	fprintf(stderr, "hbackend: listening on %s port %ld, mode %s\n", addr,
		port, mode_names[mode]);

	for (;;) {
		int cfd = accept(fd, NULL, NULL);

		if (cfd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOMEM ||
			    errno == ENOBUFS)
				sleep_ms(10);	/* wait for a connection to end */
			continue;
		}
		setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		while (pthread_create(&tid, &attr, conn_thread, (void *)(long)cfd)) {
			sleep_ms(10);	/* out of threads for now: retry */
		}
	}
}
