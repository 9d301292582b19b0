// SPDX-License-Identifier: GPL-2.0
/*
 * main() for the echo servers; see serve.h.
 *
 * The listeners are all bound before the "listening" line is printed, so a
 * script that waits for that line can connect at once: connections that
 * arrive before a thread reaches its loop wait in that listener's backlog.
 * Signals are taken synchronously by the main thread with sigwait(), so
 * the workers never see them and the exit needs no cooperation from them.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "addr.h"
#include "serve.h"

#define BACKLOG	4096	/* the kernel caps it at net.core.somaxconn */

__attribute__((weak)) int serve_init(const struct addr *addr)
{
	(void)addr;
	return 0;
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: %s [-a ADDR:PORT] [-T THREADS]\n"
		"  -a ADDR:PORT  listen address, e.g. 127.0.0.1:12345 or [::1]:12345\n"
		"                (default 127.0.0.1:12345)\n"
		"  -T THREADS    event loops, one listener each (default: CPUs)\n"
		"Echoes every byte back.  Runs until SIGINT or SIGTERM.\n",
		serve_name);
	exit(status);
}

/* One descriptor per connection: allow as many as the hard limit, or more as root. */
static void raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_max < (1u << 20)) {
		struct rlimit big = { 1u << 20, 1u << 20 };

		if (!setrlimit(RLIMIT_NOFILE, &big))
			return;
	}
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

/* From the affinity mask: sysconf() needs /sys or /proc mounted. */
static long online_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set);
}

static unsigned long parse_threads(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < 1 || v > 1024) {
		fprintf(stderr, "%s: -T: '%s' is not a number in 1..1024\n",
			serve_name, s);
		usage(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	const char *addr_arg = "127.0.0.1:12345";
	long threads = online_cpus();
	char name[64];
	struct addr addr;
	sigset_t sigs;
	pthread_t tid;
	int opt, sig;
	long i;

	while ((opt = getopt(argc, argv, "a:T:h")) != -1) {
		switch (opt) {
		case 'a': addr_arg = optarg; break;
		case 'T': threads = parse_threads(optarg); break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind < argc)
		usage(2);
	if (addr_parse(&addr, addr_arg)) {
		fprintf(stderr, "%s: -a: '%s' is not ADDR:PORT\n", serve_name,
			addr_arg);
		usage(2);
	}
	if (threads < 1)
		threads = 1;

	raise_nofile();
	signal(SIGPIPE, SIG_IGN);
	if (serve_init(&addr))
		return 1;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);	/* inherited by threads */

	for (i = 0; i < threads; i++) {
		int lfd = addr_listen(&addr, true, BACKLOG);

		if (lfd < 0) {
			fprintf(stderr, "%s: listen on %s: %s\n", serve_name,
				addr_arg, strerror(errno));
			return 1;
		}
		if (pthread_create(&tid, NULL, serve_loop, (void *)(intptr_t)lfd)) {
			fprintf(stderr, "%s: cannot start threads\n", serve_name);
			return 1;
		}
	}
	fprintf(stderr, "%s: listening on %s (%ld threads)\n", serve_name,
		addr_str(&addr, name, sizeof(name)), threads);

	sigwait(&sigs, &sig);
	return 0;
}
