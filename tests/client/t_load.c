// SPDX-License-Identifier: GPL-2.0
/*
 * Load for the unload test: -c clients streaming both ways without pause
 * and -i idle connections.  Once all are set up it creates the -R file;
 * then it waits, up to -t seconds, for the server to end every one of
 * them.  Exit 0 if the server ended them all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ktest.h"

#define CHUNK (64 * 1024)

static int add(int ep, int fd, long i, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.u64 = i };

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void touch(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY, 0644);

	if (fd >= 0)
		close(fd);
}

int kt_load(const struct kt_target *t, const struct kt_opts *o)
{
	long n = o->clients + o->idle, ended = 0, i;
	long long deadline, moved = 0;
	int *fds = calloc(n, sizeof(*fds));
	static uint8_t chunk[CHUNK], sink[CHUNK];
	struct epoll_event evs[64];
	int ep = epoll_create1(0), ret = 1;

	if (!fds || ep < 0)
		return 1;
	kt_raise_nofile(n + 64);
	kt_fill(chunk, CHUNK, 3);
	for (i = 0; i < n; i++) {
		fds[i] = kt_connect(t);
		if (fds[i] < 0) {
			kt_diag("connection %ld: %s", i, strerror(errno));
			goto out;
		}
		add(ep, fds[i], i, i < o->clients ? EPOLLIN | EPOLLOUT : EPOLLIN);
	}
	/* let the streams get going before saying we are ready */
	deadline = kt_now_ms() + 500;
	while (kt_now_ms() < deadline || (o->clients && !moved)) {
		int k, m = epoll_wait(ep, evs, 64, 100);

		for (k = 0; k < m; k++) {
			int fd = fds[evs[k].data.u64];

			if (evs[k].events & EPOLLOUT)
				send(fd, chunk, CHUNK, MSG_NOSIGNAL);
			if (evs[k].events & EPOLLIN && recv(fd, sink, CHUNK, 0) > 0)
				moved++;
		}
	}
	kt_diag("%ld streaming and %ld idle connections up", o->clients,
		o->idle);
	if (o->ready)
		touch(o->ready);

	deadline = kt_now_ms() + kt_ms((o->seconds ? o->seconds : 30) * 1000);
	while (ended < n && kt_now_ms() < deadline) {
		int k, m = epoll_wait(ep, evs, 64, 100);

		for (k = 0; k < m; k++) {
			long j = evs[k].data.u64;
			int fd = fds[j];
			ssize_t r;

			if (evs[k].events & EPOLLOUT)
				send(fd, chunk, CHUNK, MSG_NOSIGNAL);
			if (!(evs[k].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				continue;
			r = recv(fd, sink, CHUNK, 0);
			if (r > 0 || (r < 0 && errno == EAGAIN))
				continue;
			epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
			ended++;
		}
	}
	kt_diag("the server ended %ld of %ld connections", ended, n);
	ret = ended != n;
out:
	for (i = 0; i < n; i++)
		if (fds[i] > 0)
			close(fds[i]);
	free(fds);
	close(ep);
	return ret;
}
