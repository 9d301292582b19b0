// SPDX-License-Identifier: GPL-2.0
/*
 * ktest: test client of the kecho suites.
 *
 *   ktest [-a ADDR:PORT] [-s STATS] TEST [options]
 *
 * It tests any echo server: kecho.ko, and the userspace peers.  With -s it
 * also checks the server's counters (kecho's /proc/net/kecho).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"

static const struct {
	const char *name;
	kt_test_fn fn;
	const char *help;
} tests[] = {
	{ "sizes", kt_sizes, "all byte values, 1 B to 1 MiB, exact" },
	{ "concat", kt_concat, "3 writes, 1 read: their concatenation only" },
	{ "stream", kt_stream, "16 MiB to a slow reader; -l bound on bytes held" },
	{ "halfclose", kt_halfclose, "SHUT_WR: the rest is echoed, then EOF" },
	{ "reset", kt_reset_test, "client resets are survived and counted" },
	{ "many", kt_many, "-n conns at once, each echoed (-l: documented cap)" },
	{ "prompt", kt_prompt, "-i idle held, -c clients x -r rounds under -d ms" },
	{ "maxconns", kt_maxconns, "-l max_conns: one more is refused" },
	{ "idle", kt_idle, "-t idle_timeout: silent closed, busy kept" },
	{ "counters", kt_counters, "counters match (fresh server)" },
	{ "idlemem", kt_idlemem, "memory of -n idle connections (IDLEMEM line)" },
	{ "load", kt_load, "-c streaming + -i idle until the server ends them" },
	{ "mixed", kt_mixed, "-t s of checked mixed clients, then load (-c, -i)" },
	{ "calibrate", kt_calibrate, "this boot's speed: CPU loop, -n loopback round trips" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: ktest [-a ADDR:PORT] [-s STATS_FILE] TEST [-n N] [-c N] [-i N] [-r N]\n"
		   "             [-t SECONDS] [-l LIMIT] [-d MS] [-R READY_FILE] [-S]\n"
		   "tests:\n");
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		fprintf(f, "  %-10s %s\n", tests[i].name, tests[i].help);
}

double kt_scale = 1.0;

long kt_ms(long ms)
{
	return (long)(ms * kt_scale + 0.5);
}

static int num(const char *s, long *out)
{
	char *end;

	*out = strtol(s, &end, 10);
	return *end || *out < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct kt_target t = { .stats = NULL };
	struct kt_opts o = { .n = 100, .rounds = 10 };
	const char *addr = "127.0.0.1:12345";
	const char *scale = getenv("KT_SCALE");
	long *field;
	size_t i;
	int c;

	if (scale && atof(scale) > 1.0)
		kt_scale = atof(scale);
	while ((c = getopt(argc, argv, "+a:s:h")) != -1) {
		if (c == 'a')
			addr = optarg;
		else if (c == 's')
			t.stats = optarg;
		else {
			usage(c == 'h' ? stdout : stderr);
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind >= argc || addr_parse(&t.addr, addr)) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (!strcmp(argv[optind], tests[i].name))
			break;
	if (i == sizeof(tests) / sizeof(tests[0])) {
		fprintf(stderr, "ktest: no test '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	optind++;
	while ((c = getopt(argc, argv, "n:c:i:r:t:l:d:R:S")) != -1) {
		switch (c) {
		case 'n': field = &o.n; break;
		case 'c': field = &o.clients; break;
		case 'i': field = &o.idle; break;
		case 'r': field = &o.rounds; break;
		case 't': field = &o.seconds; break;
		case 'l': field = &o.limit; break;
		case 'd': field = &o.deadline_ms; break;
		case 'R': o.ready = optarg; continue;
		case 'S': o.spread = 1; continue;
		default: usage(stderr); return 2;
		}
		if (num(optarg, field)) {
			fprintf(stderr, "ktest: -%c needs a number, not '%s'\n",
				c, optarg);
			return 2;
		}
	}
	return tests[i].fn(&t, &o) ? 1 : 0;
}
