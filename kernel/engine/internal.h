/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Engine internals, shared by the engine's files only.
 *
 * Lifetime rules
 * --------------
 * A connection is reference counted.  References are held by:
 *   - the registry (srv->conns), from accept until ksrv_conn_close();
 *   - every queued run of conn->work, dropped when that run ends;
 *   - a kthread of the kthread design, for its whole life;
 *   - the unload path, briefly, while it shuts a socket down.
 * The socket is released with the last reference, so holding a reference
 * is enough to call kernel_sock_shutdown() on it.
 *
 * A socket callback finds its connection in sk_user_data under
 * sk_callback_lock.  ksrv_conn_close() clears sk_user_data under the write
 * lock before it drops the registry reference, so a callback that found
 * the connection may take a reference.
 */
#ifndef KSRV_INTERNAL_H
#define KSRV_INTERNAL_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/net.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/completion.h>

#include "ksrv.h"

/* Receive buffer shared by the connections served on one CPU. */
#define KSRV_SCRATCH_SIZE	(64 * 1024)
/* Bytes one run of the I/O work may receive before it yields. */
#define KSRV_IO_BUDGET		(256 * 1024)
/* Connections one run of the accept work may take before it yields. */
#define KSRV_ACCEPT_BUDGET	64
/* Per-connection buffer of the historical designs. */
#define KSRV_LEGACY_BUF_SIZE	(16 * 1024)

enum ksrv_stat {
	KSRV_STAT_ACCEPTED,
	KSRV_STAT_REFUSED,	/* over max_conns, stopping, or claimed */
	KSRV_STAT_CLOSED,
	KSRV_STAT_BYTES_IN,
	KSRV_STAT_BYTES_OUT,
	KSRV_STAT_ERRORS,	/* our failures: memory, accept, socket */
	KSRV_STAT_RESETS,	/* the peer reset the connection */
	KSRV_STAT_TIMEOUTS,	/* closed by idle_timeout */
	KSRV_STAT_MEM,		/* bytes allocated for connections now */
	KSRV_STAT_NR,
};

struct ksrv_stats {
	u64 count[KSRV_STAT_NR];
};

#define ksrv_stat_add(srv, stat, n) \
	this_cpu_add((srv)->stats->count[(stat)], (n))
#define ksrv_stat_inc(srv, stat) ksrv_stat_add(srv, stat, 1)
#define ksrv_stat_sub(srv, stat, n) \
	this_cpu_sub((srv)->stats->count[(stat)], (n))

struct ksrv_scratch {
	struct mutex lock;	/* held by the I/O run that uses buf */
	void *buf;
};

struct ksrv_server {
	const struct ksrv_proto *proto;
	struct ksrv_config cfg;

	struct socket *lsock;
	void (*listen_data_ready)(struct sock *sk);	/* the listener's own */
	struct delayed_work accept_work;
	struct delayed_work idle_work;
	struct workqueue_struct *wq;

	spinlock_t lock;		/* protects the four fields below */
	struct list_head conns;		/* live connections */
	struct list_head dying;		/* connections being shut down */
	unsigned int nconns;		/* on both lists */
	bool stopping;
	wait_queue_head_t drained;	/* nconns reached zero */

	/* kthread design: threads alive, plus one held by the server */
	atomic_t nthreads;
	struct completion threads_done;

	struct ksrv_scratch __percpu *scratch;
	struct ksrv_stats __percpu *stats;
	struct proc_dir_entry *proc;
};

enum ksrv_conn_flag {
	KSRV_CONN_RX_EOF,	/* the peer will send no more */
	KSRV_CONN_EXPIRED,	/* idle for longer than idle_timeout */
	KSRV_CONN_KILL,		/* the server is stopping */
	KSRV_CONN_CLOSED,	/* ksrv_conn_close() ran */
};

struct ksrv_conn {
	struct kref ref;
	struct list_head node;		/* in srv->conns or srv->dying */
	struct ksrv_server *srv;
	struct socket *sock;
	struct work_struct work;
	unsigned long flags;
	unsigned long last_active;	/* jiffies */

	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);

	/* bytes the protocol sent that TCP has not taken yet */
	u8 *out;
	u32 out_len;
	u32 out_off;
};

/* Why a connection ends; anything negative is an errno. */
enum ksrv_close_reason {
	KSRV_CLOSE_DONE = 1,	/* peer closed and everything was sent */
	KSRV_CLOSE_KILLED,	/* server stopping */
	KSRV_CLOSE_IDLE,	/* idle_timeout */
	KSRV_CLOSE_REFUSED,	/* over max_conns or already claimed */
};

/* conn.c */
void ksrv_conn_accept(struct ksrv_server *srv, struct socket *sock);
void ksrv_conn_close(struct ksrv_conn *conn, int reason);
void ksrv_conn_get(struct ksrv_conn *conn);
void ksrv_conn_put(struct ksrv_conn *conn);
bool ksrv_conn_queue(struct ksrv_conn *conn);
int ksrv_conn_flush(struct ksrv_conn *conn);
int ksrv_conn_recv(struct ksrv_conn *conn, void *buf, size_t len, int flags);

/* io.c: the event design */
int ksrv_io_hook(struct ksrv_conn *conn);
void ksrv_io_unhook(struct ksrv_conn *conn);
void ksrv_io_work(struct work_struct *work);

/* legacy.c: the historical designs */
int ksrv_legacy_start(struct ksrv_conn *conn);
void ksrv_legacy_work(struct work_struct *work);

/* scratch.c */
int ksrv_scratch_init(struct ksrv_server *srv);
void ksrv_scratch_free(struct ksrv_server *srv);
void *ksrv_scratch_get(struct ksrv_server *srv, struct ksrv_scratch **slot);
void ksrv_scratch_put(struct ksrv_scratch *slot, void *buf);

/* stats.c */
int ksrv_stats_init(struct ksrv_server *srv);
void ksrv_stats_free(struct ksrv_server *srv);
void ksrv_stats_sum(struct ksrv_server *srv, struct ksrv_stats *sum);
void ksrv_stats_count_close(struct ksrv_server *srv, int reason);

/* listener.c */
int ksrv_listener_start(struct ksrv_server *srv);
void ksrv_listener_stop(struct ksrv_server *srv);
int ksrv_listener_claim(struct ksrv_server *srv, struct socket *sock);

/* idle.c */
void ksrv_idle_start(struct ksrv_server *srv);
void ksrv_idle_stop(struct ksrv_server *srv);

#endif /* KSRV_INTERNAL_H */
