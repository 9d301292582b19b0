// SPDX-License-Identifier: GPL-2.0
/*
 * faulty-echo: an echo server that breaks each connection in one chosen
 * way, to prove that kecho-bench notices.  Not fast, and not meant to be:
 * one blocking thread per connection keeps the fault logic obvious.
 *
 * Try it:  faulty-echo -a 127.0.0.1:23000 -f corrupt &
 *          kecho-bench -a 127.0.0.1:23000 -c 1 -t 1   (fails, exit 1)
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "fault.h"

static struct fault_cfg cfg = { .at = 1000 };

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: faulty-echo -a ADDR:PORT -f FAULT [-n BYTES]\n"
		"  -f FAULT   none, corrupt (flip a byte), drop (omit a byte),\n"
		"             dup (repeat a byte), close (FIN), reset (RST)\n"
		"  -n BYTES   bytes echoed faithfully before the fault, on every\n"
		"             connection (default 1000)\n"
		"Runs until SIGINT or SIGTERM.\n");
	exit(status);
}

static void *serve(void *arg)
{
	fault_echo(&cfg, (int)(intptr_t)arg);
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *addr_arg = NULL, *fault_arg = NULL;
	char name[64], *end;
	pthread_attr_t attr;
	struct addr addr;
	pthread_t tid;
	int opt, fault = -1, lfd, fd;

	while ((opt = getopt(argc, argv, "a:f:n:h")) != -1) {
		switch (opt) {
		case 'a': addr_arg = optarg; break;
		case 'f': fault = fault_parse(fault_arg = optarg); break;
		case 'n':
			errno = 0;
			cfg.at = strtoull(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || errno)
				usage(2);
			break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind < argc || !addr_arg || fault < 0 || addr_parse(&addr, addr_arg))
		usage(2);
	cfg.fault = fault;

	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	lfd = addr_listen(&addr, false, 1024);
	if (lfd < 0) {
		fprintf(stderr, "faulty-echo: listen on %s: %s\n", addr_arg,
			strerror(errno));
		return 1;
	}
	fcntl(lfd, F_SETFL, 0);		/* this server blocks */
	fprintf(stderr, "faulty-echo: listening on %s (fault %s after %llu bytes)\n",
		addr_str(&addr, name, sizeof(name)), fault_arg,
		(unsigned long long)cfg.at);

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EINTR && errno != ECONNABORTED) {
				perror("faulty-echo: accept");
				usleep(10000);	/* EMFILE: do not spin */
			}
			continue;
		}
		if (pthread_create(&tid, &attr, serve, (void *)(intptr_t)fd))
			close(fd);
	}
}
