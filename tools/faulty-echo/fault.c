// SPDX-License-Identifier: GPL-2.0
/*
 * Echo with one deliberate fault per connection, at input offset cfg->at:
 * the bytes before it are echoed faithfully, so the client has verified a
 * clean stream before the fault, and the fault is the only defect.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fault.h"

static const char *const names[] = {
	[FAULT_NONE] = "none", [FAULT_CORRUPT] = "corrupt",
	[FAULT_DROP] = "drop", [FAULT_DUP] = "dup",
	[FAULT_CLOSE] = "close", [FAULT_RESET] = "reset",
};

int fault_parse(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

/*
 * The chunk buf[0, n) holds the faulty byte at index @at.  Returns -1 when
 * the connection must end here.
 */
static int inject(enum fault fault, int fd, unsigned char *buf, size_t n,
		  size_t at)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	switch (fault) {
	case FAULT_CORRUPT:
		buf[at] ^= 0xff;
		return write_all(fd, buf, n);
	case FAULT_DROP:
		if (write_all(fd, buf, at))
			return -1;
		return write_all(fd, buf + at + 1, n - at - 1);
	case FAULT_DUP:
		if (write_all(fd, buf, at + 1))
			return -1;
		return write_all(fd, buf + at, n - at);
	case FAULT_CLOSE:
		write_all(fd, buf, at);
		return -1;
	case FAULT_RESET:
		write_all(fd, buf, at);
		/* closing with a zero linger time sends RST, not FIN */
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		return -1;
	default:
		return write_all(fd, buf, n);
	}
}

void fault_echo(const struct fault_cfg *cfg, int fd)
{
	unsigned char buf[16384];
	uint64_t done = 0;	/* input bytes handled */
	ssize_t r;
	int err;

	for (;;) {
		r = recv(fd, buf, sizeof(buf), 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		if (done <= cfg->at && cfg->at < done + r)
			err = inject(cfg->fault, fd, buf, r, cfg->at - done);
		else
			err = write_all(fd, buf, r);
		if (err)
			break;
		done += r;
	}
	close(fd);
}
