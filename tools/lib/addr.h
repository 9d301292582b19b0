/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket addresses for the kecho tools: "ADDR:PORT" parsing and printing,
 * and a listening-socket helper for the servers.
 *
 * Only numeric addresses (inet_pton): the tools run statically linked in an
 * initramfs with no /etc files and no resolver.
 */
#ifndef KECHO_ADDR_H
#define KECHO_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* "127.0.0.1:12345" or "[::1]:12345"; port 1..65535. 0 or -1. */
int addr_parse(struct addr *a, const char *s);

/* Back to "ADDR:PORT" form, for messages and reports. */
const char *addr_str(const struct addr *a, char *buf, size_t len);

/*
 * A non-blocking listening socket with SO_REUSEADDR, and SO_REUSEPORT if
 * @reuseport (one listener per thread).  Returns the fd, or -1 with errno.
 */
int addr_listen(const struct addr *a, bool reuseport, int backlog);

#endif
