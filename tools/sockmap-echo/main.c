// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap-echo: the floor of the echo comparison.  The kernel echoes every
 * byte itself, with BPF (bpf/echo.bpf.c): a connection's received skbs are
 * redirected to its own egress by an sk_skb verdict program on a sockhash,
 * so no byte is copied to userspace and no userspace thread runs per
 * message.  (The kernel does not send from the softirq either: a redirect
 * to egress is queued to the socket's psock and sent by its work item, a
 * kworker, so the floor still pays one wake-up per batch of skbs.)
 *
 * This program loads the BPF object (embedded by bpftool gen skeleton),
 * attaches the verdict program to the sockhash and the sock_ops program
 * (which inserts each new connection to our port) to the cgroup v2 root,
 * then runs like the other peers (tools/lib/serve.c: -a, -T, a listener
 * and a thread each).  The threads only accept, and watch each connection
 * for its end:
 *   - reset or error: close it (the kernel drops it from the sockhash);
 *   - the client's FIN (EPOLLRDHUP): the kernel may still be echoing what
 *     came before it, from the socket's psock queue, which userspace
 *     cannot see.  The verdict program counts the bytes it redirected; once
 *     TCP reports that many acknowledged by the client (tcpi_bytes_acked)
 *     and nothing is left unread, every echo is out, and we answer with our
 *     FIN (shutdown, close).  Connections waiting so are looked at every
 *     CLOSE_POLL_MS.
 *
 * What it cannot do, documented and tested (tests/echo/suite.sh): the
 * redirect takes skbs off the receive queue whether or not the socket can
 * send, so a client that does not read is not stopped from writing:
 * there is no backpressure, and the server holds what it cannot send.
 *
 * Needs root (CAP_BPF, CAP_NET_ADMIN, mounting cgroup2 if it is not).
 */
#include <errno.h>
#include <netinet/in.h>
#include <linux/tcp.h>	/* struct tcp_info with tcpi_bytes_acked */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "addr.h"
#include "echo.skel.h"
#include "serve.h"

const char serve_name[] = "sockmap-echo";

#define MAX_EVENTS	256
#define CLOSE_POLL_MS	5
#define CGROUP_MNT	"/tmp/sockmap-echo.cgroup2"

static struct echo_bpf *skel;
static int socks_fd, echoed_fd;

struct conn {
	int fd;
	uint64_t cookie;
	struct conn *next;	/* closing list */
	int closing;
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* The cgroup v2 hierarchy: where it is mounted, or our own mount of it. */
static int cgroup_root(void)
{
	char dev[256], dir[512], type[64];
	FILE *f = fopen("/proc/mounts", "r");
	int fd;

	while (f && fscanf(f, "%255s %511s %63s %*[^\n]", dev, dir, type) == 3) {
		if (strcmp(type, "cgroup2"))
			continue;
		fclose(f);
		return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (f)
		fclose(f);
	mkdir(CGROUP_MNT, 0700);
	if (mount("none", CGROUP_MNT, "cgroup2", 0, NULL) && errno != EBUSY)
		return -1;
	fd = open(CGROUP_MNT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd;
}

static int addr_port(const struct addr *a)
{
	const struct sockaddr_in *in = (const void *)&a->ss;
	const struct sockaddr_in6 *in6 = (const void *)&a->ss;

	return ntohs(a->ss.ss_family == AF_INET6 ? in6->sin6_port : in->sin_port);
}

int serve_init(const struct addr *addr)
{
	int cg, err;

	libbpf_set_print(libbpf_print);
	skel = echo_bpf__open();
	if (!skel) {
		fprintf(stderr, "sockmap-echo: cannot open the BPF object: %s\n",
			strerror(errno));
		return -1;
	}
	skel->rodata->port = addr_port(addr);
	err = echo_bpf__load(skel);
	if (err) {
		fprintf(stderr, "sockmap-echo: cannot load the BPF programs: %s\n",
			strerror(-err));
		return -1;
	}
	socks_fd = bpf_map__fd(skel->maps.socks);
	echoed_fd = bpf_map__fd(skel->maps.echoed);
	/* the verdict first: a socket takes the map's programs when inserted */
	if (bpf_prog_attach(bpf_program__fd(skel->progs.echo_verdict), socks_fd,
			    BPF_SK_SKB_STREAM_VERDICT, 0)) {
		fprintf(stderr, "sockmap-echo: cannot attach the verdict program: %s\n",
			strerror(errno));
		return -1;
	}
	cg = cgroup_root();
	if (cg < 0) {
		fprintf(stderr, "sockmap-echo: no cgroup v2 hierarchy: %s\n",
			strerror(errno));
		return -1;
	}
	/* a link: detached when this process exits, however it exits */
	skel->links.on_established =
		bpf_program__attach_cgroup(skel->progs.on_established, cg);
	if (!skel->links.on_established) {
		fprintf(stderr, "sockmap-echo: cannot attach the sock_ops program: %s\n",
			strerror(errno));
		return -1;
	}
	close(cg);
	return 0;
}

static void conn_close(struct conn *c)
{
	bpf_map_delete_elem(echoed_fd, &c->cookie);
	close(c->fd);		/* the kernel drops it from the sockhash */
	free(c);
}

/* Every echo delivered and nothing unread: then our FIN may follow. */
static int all_echoed(struct conn *c)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	uint64_t n = 0;
	int unread = 0;

	if (ioctl(c->fd, FIONREAD, &unread) || unread)
		return 0;
	if (bpf_map_lookup_elem(echoed_fd, &c->cookie, &n))
		return 1;	/* never in the map: nothing to wait for */
	if (getsockopt(c->fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
		return 1;
	return ti.tcpi_bytes_acked >= n;
}

/* A connection's end: EPOLLRDHUP waits for the echoes, an error does not. */
static void conn_event(struct conn *c, uint32_t ev, struct conn **closing)
{
	if (ev & (EPOLLERR | EPOLLHUP)) {
		if (!c->closing)
			conn_close(c);
		else
			c->closing = 2;	/* freed from the closing list */
		return;
	}
	if ((ev & EPOLLRDHUP) && !c->closing) {
		c->closing = 1;
		c->next = *closing;
		*closing = c;
	}
}

/* Look at the connections whose clients have sent FIN. */
static void poll_closing(struct conn **closing)
{
	struct conn **pp = closing, *c;

	while ((c = *pp)) {
		if (c->closing == 2 || all_echoed(c)) {
			*pp = c->next;
			if (c->closing == 1)
				shutdown(c->fd, SHUT_WR);
			conn_close(c);
		} else {
			pp = &c->next;
		}
	}
}

/*
 * Bytes that came before accept() are still in the receive queue: the
 * verdict runs from the socket's data_ready, which does nothing while the
 * socket has no struct socket, i.e. until it is accepted; and ping-pong's
 * first message is often there already.  Setting SO_RCVLOWAT makes TCP
 * call data_ready at once (tcp_set_rcvlowat: "signal EPOLLIN right now"),
 * under the socket lock: the verdict takes the whole queue, in order, and
 * whatever arrives meanwhile waits its turn in the socket's backlog.
 */
static void kick(int fd)
{
	int one = 1;

	setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof(one));
}

static void accept_all(int ep, int lfd)
{
	static int warned;

	for (;;) {
		struct epoll_event ev = {
			.events = EPOLLRDHUP | EPOLLET,
		};
		socklen_t len = sizeof(uint64_t);
		uint64_t val;
		struct conn *c;
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EAGAIN)
				return;
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (!warned++)
				perror("sockmap-echo: accept");
			return;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		if (getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c->cookie, &len)) {
			conn_close(c);
			continue;
		}
		/* the sockhash gives back the cookie of a socket it holds */
		if (bpf_map_lookup_elem(socks_fd, &c->cookie, &val)) {
			if (!warned++)
				fprintf(stderr, "sockmap-echo: a connection is not in the sockhash (%s): closed\n",
					strerror(errno));
			conn_close(c);
			continue;
		}
		kick(fd);
		ev.data.ptr = c;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev))
			conn_close(c);
	}
}

void *serve_loop(void *arg)
{
	struct epoll_event ev[MAX_EVENTS];
	struct conn *closing = NULL;
	int lfd = (int)(intptr_t)arg;
	int ep = epoll_create1(EPOLL_CLOEXEC), i, n;
	static char listener;

	ev[0].events = EPOLLIN | EPOLLET;
	ev[0].data.ptr = &listener;
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev[0])) {
		perror("sockmap-echo: epoll");
		exit(1);
	}
	for (;;) {
		n = epoll_wait(ep, ev, MAX_EVENTS, closing ? CLOSE_POLL_MS : -1);
		for (i = 0; i < n; i++) {
			if (ev[i].data.ptr == &listener)
				accept_all(ep, lfd);
			else
				conn_event(ev[i].data.ptr, ev[i].events, &closing);
		}
		poll_closing(&closing);
	}
}
