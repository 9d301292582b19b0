// SPDX-License-Identifier: GPL-2.0
/*
 * Mixed clients for the stress cycles.  For -t seconds, every byte checked:
 * ping-pong clients, two large streams, clients that reset mid-transfer,
 * clients that half-close, and -i idle connections, all at once.  Then it
 * becomes the unload load: -c streaming clients plus the idle ones, the -R
 * file is created, and every connection must be ended by the server
 * (rmmod) within 30 s.  Exit 0 if both phases hold.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ktest.h"

struct mixed_job {
	const struct kt_target *t;
	long long deadline;
	int (*fn)(struct mixed_job *job);
	unsigned int seed;
	long rounds;
	int failed;
	pthread_t thread;
};

static int pingpong(struct mixed_job *job)
{
	uint8_t msg[128];
	int fd = kt_connect(job->t), ret = 0;

	if (fd < 0)
		return -1;
	while (!ret && kt_now_ms() < job->deadline) {
		kt_fill(msg, sizeof(msg), job->seed + job->rounds++);
		ret = kt_echo_exact(fd, msg, sizeof(msg), 10000);
	}
	close(fd);
	return ret;
}

static int stream(struct mixed_job *job)
{
	size_t len = 1 << 20;
	uint8_t *buf = malloc(len);
	int fd = kt_connect(job->t), ret = 0;

	if (fd < 0 || !buf)
		ret = -1;
	while (!ret && kt_now_ms() < job->deadline) {
		kt_fill(buf, len, job->seed + job->rounds++);
		ret = kt_echo_exact(fd, buf, len, 30000);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

static int resetter(struct mixed_job *job)
{
	uint8_t buf[4096];

	kt_fill(buf, sizeof(buf), job->seed);
	while (kt_now_ms() < job->deadline) {
		int fd = kt_connect(job->t);

		if (fd < 0)
			return -1;
		send(fd, buf, sizeof(buf), MSG_NOSIGNAL);
		kt_sleep_ms(10 + job->rounds++ % 40);
		kt_reset(fd);
	}
	return 0;
}

static int halfcloser(struct mixed_job *job)
{
	uint8_t out[8192], in[8192];

	while (kt_now_ms() < job->deadline) {
		int fd = kt_connect(job->t), ret;

		if (fd < 0)
			return -1;
		kt_fill(out, sizeof(out), job->seed + job->rounds++);
		ret = kt_write_all(fd, out, sizeof(out), 10000) ||
		      shutdown(fd, SHUT_WR) ||
		      kt_read_exact(fd, in, sizeof(in), 10000) ||
		      memcmp(in, out, sizeof(in)) || kt_expect_eof(fd, 10000);
		close(fd);
		if (ret)
			return -1;
	}
	return 0;
}

static void *mixed_thread(void *arg)
{
	struct mixed_job *job = arg;

	job->failed = job->fn(job) != 0;
	return NULL;
}

int kt_mixed(const struct kt_target *t, const struct kt_opts *o)
{
	static const struct {
		const char *name;
		int (*fn)(struct mixed_job *job);
		int count;
	} kinds[] = {
		{ "ping-pong", pingpong, 4 },
		{ "stream", stream, 2 },
		{ "reset", resetter, 1 },
		{ "half-close", halfcloser, 1 },
	};
	struct mixed_job jobs[8];
	long long deadline = kt_now_ms() + (o->seconds ? o->seconds : 2) * 1000;
	struct kt_opts load = *o;
	int *idle = calloc(o->idle + 1, sizeof(int));
	long i, nidle, k, n = 0;
	int failed = 0;

	if (!idle)
		return 1;
	kt_raise_nofile(2 * o->idle + o->clients + 64);
	for (nidle = 0; nidle < o->idle; nidle++) {
		idle[nidle] = kt_connect(t);
		if (idle[nidle] < 0) {
			kt_diag("idle connection %ld: %s", nidle, strerror(errno));
			failed = 1;
			goto out;
		}
	}
	for (k = 0; k < 4; k++)
		for (i = 0; i < kinds[k].count; i++, n++) {
			jobs[n] = (struct mixed_job){ .t = t, .fn = kinds[k].fn,
				.deadline = deadline, .seed = n * 7919 };
			pthread_create(&jobs[n].thread, NULL, mixed_thread,
				       &jobs[n]);
		}
	for (k = 0, n = 0; k < 4; k++) {
		long rounds = 0, bad = 0;

		for (i = 0; i < kinds[k].count; i++, n++) {
			pthread_join(jobs[n].thread, NULL);
			rounds += jobs[n].rounds;
			bad += jobs[n].failed;
		}
		kt_diag("%s: %ld rounds, %ld clients failed", kinds[k].name,
			rounds, bad);
		failed |= bad != 0;
	}
	/* the idle ones were left alone and must still be open */
	for (i = 0; i < nidle; i++) {
		char c;

		if (recv(idle[i], &c, 1, MSG_DONTWAIT) != -1 || errno != EAGAIN) {
			kt_diag("idle connection %ld ended early", i);
			failed = 1;
			break;
		}
	}
	/* phase 2: streams until the server goes; then the idle ones end too */
	load.idle = 0;
	load.seconds = 30;
	if (kt_load(t, &load))
		failed = 1;
	for (i = 0; i < nidle; i++)
		if (kt_expect_closed(idle[i], 5000)) {
			kt_diag("idle connection %ld outlived the server", i);
			failed = 1;
			break;
		}
out:
	for (i = 0; i < nidle; i++)
		close(idle[i]);
	free(idle);
	return failed;
}
