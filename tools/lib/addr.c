// SPDX-License-Identifier: GPL-2.0
/* "ADDR:PORT" parsing and listening sockets; see addr.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"

static int parse_port(const char *s, in_port_t *port)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > 65535)
		return -1;
	*port = htons((in_port_t)v);
	return 0;
}

int addr_parse(struct addr *a, const char *s)
{
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a->ss;
	struct sockaddr_in *in4 = (struct sockaddr_in *)&a->ss;
	char host[INET6_ADDRSTRLEN];
	const char *colon;
	size_t hlen;

	memset(a, 0, sizeof(*a));
	if (s[0] == '[') {		/* [v6]:port */
		const char *rb = strchr(s, ']');

		if (!rb || rb[1] != ':')
			return -1;
		hlen = rb - s - 1;
		if (hlen == 0 || hlen >= sizeof(host))
			return -1;
		memcpy(host, s + 1, hlen);
		host[hlen] = '\0';
		in6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1 ||
		    parse_port(rb + 2, &in6->sin6_port))
			return -1;
		a->len = sizeof(*in6);
		return 0;
	}

	colon = strrchr(s, ':');
	if (!colon)
		return -1;
	hlen = colon - s;
	if (hlen == 0 || hlen >= sizeof(host))
		return -1;
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	in4->sin_family = AF_INET;
	if (inet_pton(AF_INET, host, &in4->sin_addr) != 1 ||
	    parse_port(colon + 1, &in4->sin_port))
		return -1;
	a->len = sizeof(*in4);
	return 0;
}

const char *addr_str(const struct addr *a, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (a->ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)&a->ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(buf, len, "[%s]:%u", host, ntohs(in6->sin6_port));
	} else {
		const struct sockaddr_in *in4 = (const void *)&a->ss;

		inet_ntop(AF_INET, &in4->sin_addr, host, sizeof(host));
		snprintf(buf, len, "%s:%u", host, ntohs(in4->sin_port));
	}
	return buf;
}

int addr_listen(const struct addr *a, bool reuseport, int backlog)
{
	int one = 1;
	int fd, err;

	fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (reuseport &&
	     setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one))))
		goto err_close;
	/*
	 * IPv6 only: a dual-stack "[::]:P" would also take the IPv4
	 * connections meant for a server on "0.0.0.0:P".
	 */
	if (a->ss.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))
		goto err_close;
	if (bind(fd, (const struct sockaddr *)&a->ss, a->len) ||
	    listen(fd, backlog))
		goto err_close;
	return fd;

err_close:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}
