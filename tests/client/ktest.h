/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktest: the test client of the kecho suites.  One subcommand per property;
 * each prints "# " diagnostics and exits 0 (holds), 1 (does not hold) or
 * 2 (usage).  The suite scripts turn exit codes into KTAP lines.
 */
#ifndef KTEST_H
#define KTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "addr.h"

struct kt_target {
	struct addr addr;
	const char *stats;	/* server counters, e.g. /proc/net/kecho */
};

/* Options common to the subcommands, -n/-c/-i/-t and so on. */
struct kt_opts {
	long n;			/* connections */
	long clients;		/* busy clients */
	long idle;		/* idle connections */
	long rounds;		/* round trips per client */
	long seconds;		/* a duration or a timeout */
	long limit;		/* max_conns or a memory bound, per test */
	long deadline_ms;	/* longest acceptable round trip */
	const char *ready;	/* file to create when set up (load) */
	int spread;		/* -S: idle connections spread over the CPUs */
};

typedef int (*kt_test_fn)(const struct kt_target *t, const struct kt_opts *o);

/*
 * How much slower this boot is than the reference (KT_SCALE, from the
 * VM's calibration; at least 1).  Every time limit the client applies is
 * scaled by it: the timeouts the helpers below take, -t and -d.  A
 * duration (how long to run a load) is not a limit and is not scaled.
 */
extern double kt_scale;
long kt_ms(long ms);

/* net.c */
int kt_connect(const struct kt_target *t);
int kt_connect_nb(const struct kt_target *t);
void kt_set_buffers(int fd, int bytes);
int kt_write_all(int fd, const void *buf, size_t len, int timeout_ms);
long kt_read_some(int fd, void *buf, size_t len, int timeout_ms);
int kt_read_exact(int fd, void *buf, size_t len, int timeout_ms);
int kt_expect_eof(int fd, int timeout_ms);
int kt_expect_closed(int fd, int timeout_ms);
int kt_echo_exact(int fd, const uint8_t *out, size_t len, int timeout_ms);
int kt_wait_connected(int fd, int timeout_ms);
void kt_raise_nofile(long need);
void kt_fill(uint8_t *buf, size_t len, unsigned int seed);
long long kt_now_ms(void);
void kt_sleep_ms(long ms);
void kt_reset(int fd);

/* stats.c */
long long kt_stat(const struct kt_target *t, const char *key);
int kt_stat_wait(const struct kt_target *t, const char *key, long long want,
		 int timeout_ms);

/* the tests */
int kt_sizes(const struct kt_target *t, const struct kt_opts *o);
int kt_concat(const struct kt_target *t, const struct kt_opts *o);
int kt_halfclose(const struct kt_target *t, const struct kt_opts *o);
int kt_stream(const struct kt_target *t, const struct kt_opts *o);
int kt_many(const struct kt_target *t, const struct kt_opts *o);
int kt_prompt(const struct kt_target *t, const struct kt_opts *o);
int kt_reset_test(const struct kt_target *t, const struct kt_opts *o);
int kt_maxconns(const struct kt_target *t, const struct kt_opts *o);
int kt_idle(const struct kt_target *t, const struct kt_opts *o);
int kt_counters(const struct kt_target *t, const struct kt_opts *o);
int kt_load(const struct kt_target *t, const struct kt_opts *o);
int kt_idlemem(const struct kt_target *t, const struct kt_opts *o);
int kt_mixed(const struct kt_target *t, const struct kt_opts *o);
int kt_calibrate(const struct kt_target *t, const struct kt_opts *o);

#define kt_diag(...) do { printf("# " __VA_ARGS__); putchar('\n'); \
			  fflush(stdout); } while (0)

#endif /* KTEST_H */
