/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kecho-bench shared definitions: the run configuration, the per-thread
 * worker and the per-connection state.
 *
 * Threading model (as in wrk): each worker thread owns an epoll instance
 * and the connections i with i % threads == its index, and nothing else.
 * Workers share only the read-only configuration and the phase clock; their
 * counters and histograms are private and merged after they are joined.
 */
#ifndef KECHO_BENCH_H
#define KECHO_BENCH_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "hist.h"
#include "proto.h"

enum bench_mode {
	MODE_PINGPONG,		/* one message in flight per connection */
	MODE_PIPELINE,		/* depth messages in flight per connection */
	MODE_RATE,		/* open loop: sends on a fixed schedule */
	MODE_CONNECT,		/* connect, one echo, close, repeat */
};

/* How the client drives its connections. */
enum client_kind {
	CLIENT_EVENT,		/* -T threads, each an epoll loop over many */
	CLIENT_THREAD,		/* one thread per connection, blocking I/O */
};

struct bench_cfg {
	struct addr addr;
	char addr_name[64];
	enum bench_mode mode;
	enum client_kind client;
	unsigned int conns;
	unsigned int threads;
	unsigned int depth;	/* pipeline depth; 1 in the other modes */
	uint32_t len;
	double rate;		/* messages per second, all connections */
	double duration;	/* seconds measured */
	double warmup;		/* seconds run but not measured */
	bool json;
	bool csv;
	bool cpu;		/* --cpu: the guest's busy CPU over the window */
};

/*
 * The phase clock, in CLOCK_MONOTONIC nanoseconds, written by the main
 * thread before the start barrier and read-only afterwards.  Connections
 * run from t_start; completions in [t_meas, t_end) are counted.
 */
struct bench_clock {
	uint64_t t_start;
	uint64_t t_meas;
	uint64_t t_end;
};

enum err_kind {
	ERR_MISMATCH,		/* a byte differs from what was sent */
	ERR_EXTRA,		/* more bytes came back than were sent */
	ERR_EOF,		/* the server closed the connection */
	ERR_RESET,		/* reset or another socket error */
	ERR_STALL,		/* echoes owed, and the server silent */
	ERR_KINDS,
};

enum conn_state {
	CONN_IDLE,		/* no socket */
	CONN_CONNECTING,	/* non-blocking connect in progress */
	CONN_OPEN,
	CONN_DEAD,		/* failed; never reopened */
};

struct conn {
	int fd;
	uint32_t id;			/* global connection number */
	enum conn_state state;
	uint64_t due;			/* messages that may be started */
	uint64_t tx_seq;		/* message being sent ... */
	uint32_t tx_off;		/* ... and how much of it is out */
	uint64_t rx_seq;		/* message being received ... */
	uint32_t rx_off;		/* ... and how much of it is in */
	uint64_t tx_bytes;		/* on this socket */
	uint64_t rx_bytes;
	struct proto_msg rx_msg;	/* identity of message rx_seq */
	uint64_t t_connect;		/* start of the current connect */
	uint64_t t_progress;		/* last byte sent or received */
	uint64_t *stamp;		/* send time of seq, at seq % depth */
};

struct bench_stats {
	double cpu_busy_s;		/* --cpu: CPU seconds busy, all CPUs; else -1 */
	double cpu_total_s;		/* --cpu: CPU seconds, wall time x CPUs */
	double cpu_tick_busy_s;		/* --cpu: busy as the timer tick sampled it */
	uint64_t msgs;			/* echoes completed in the window */
	uint64_t bytes;
	uint64_t sent;			/* messages started in the window */
	uint64_t err[ERR_KINDS];
	uint64_t connect_failures;
	struct hist hist;		/* latency, ns */
};

enum phase {
	PHASE_SETUP,		/* connecting, before the clock starts */
	PHASE_RUN,		/* until t_end */
	PHASE_DRAIN,		/* past t_end: collect what is owed */
};

struct worker {
	unsigned int idx;
	pthread_t tid;
	int ep;				/* epoll fd */
	const struct bench_cfg *cfg;
	const struct bench_clock *clk;
	pthread_barrier_t *ready;	/* connected; wait for the clock */
	struct conn *conn;
	unsigned int nconn;
	unsigned int live;		/* connections not idle or dead */
	uint8_t *buf;			/* scratch for send and receive */
	enum phase phase;
	struct conn **restart;		/* connect mode: cycles to begin */
	unsigned int nrestart;
	uint64_t rate_k;		/* rate mode: next send, see loop.c */
	uint64_t t_rx;			/* last byte received on any conn */
	struct bench_stats st;
};

/*
 * In the streaming modes every connection echoes one message during set-up,
 * before the clock starts (loop.c); measured messages start at this seq.
 */
#define HELLO_MSGS	1

#define BUF_LEN		(64u << 10)
#define STALL_NS	5000000000ull	/* server silent: owed echoes fail */
#define DRAIN_NS	10000000000ull	/* give up draining, no error */

/*
 * Rate mode sends message k of the run, counting over all connections in
 * turn (k = seq * conns + conn id), at t_start + k / rate: evenly spaced in
 * time and spread evenly over the connections.
 */
static inline uint64_t rate_time(const struct worker *w, uint64_t k)
{
	return w->clk->t_start + (uint64_t)((double)k * 1e9 / w->cfg->rate);
}

/* conn.c */
int conn_start(struct worker *w, struct conn *c, uint64_t now);
int conn_finish_connect(struct worker *w, struct conn *c, uint64_t now);
void conn_connect_failed(struct worker *w, struct conn *c, int err);
void conn_close(struct worker *w, struct conn *c);
void conn_fail(struct worker *w, struct conn *c, enum err_kind kind,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int conn_send(struct worker *w, struct conn *c, uint64_t now);
int conn_recv(struct worker *w, struct conn *c);
void conn_fail_eof(struct worker *w, struct conn *c);
size_t conn_generate(struct worker *w, const struct conn *c, size_t limit);
void conn_sent(struct worker *w, struct conn *c, size_t n, uint64_t now);
int conn_consume(struct worker *w, struct conn *c, const uint8_t *p,
		 size_t n, uint64_t now);

/* loop.c */
int worker_init(struct worker *w, unsigned int idx);
void *worker_main(void *arg);

/* thread.c: the thread-per-connection client (--client thread) */
int thread_init(struct worker *w, unsigned int idx);
void *thread_main(void *arg);

/* main.c */
uint64_t now_ns(void);
unsigned int online_cpus(void);

/* report.c */
const char *bench_mode_name(enum bench_mode mode);
const char *bench_client_name(enum client_kind client);
void report_print(const struct bench_cfg *cfg, const struct bench_stats *st);

#endif
