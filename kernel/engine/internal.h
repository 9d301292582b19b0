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
 *   - the unload path, briefly, while it kills a connection.
 * The socket is released with the last reference.
 *
 * A link (link.c) is a connection too, outside the registry, with one
 * reference, its owner's; its socket callbacks queue the owner's work.
 *
 * A socket callback or a timer finds its connection under
 * sk_callback_lock (callbacks) or through the timer itself (timers, which
 * ksrv_conn_close() shuts down before it drops the registry reference), so
 * either may take a reference.
 *
 * Everything a protocol callback may touch (the send queue, priv, the
 * flags it sets) belongs to the connection's own context, which runs one
 * at a time: the work item, the blocking work or the thread.
 */
#ifndef KSRV_INTERNAL_H
#define KSRV_INTERNAL_H

#include <linux/bvec.h>
#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/net.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "ksrv.h"

/* Receive buffer shared by the connections served on one CPU. */
#define KSRV_SCRATCH_SIZE	(64 * 1024)
/* Bytes one run of the I/O work may receive before it yields. */
#define KSRV_IO_BUDGET		(256 * 1024)
/* on_writable calls one run may make before it yields. */
#define KSRV_WRITE_BUDGET	64
/* Connections one run of the accept work may take before it yields. */
#define KSRV_ACCEPT_BUDGET	64
/* Per-connection buffer of the historical designs. */
#define KSRV_LEGACY_BUF_SIZE	(16 * 1024)

#define ksrv_log(level, srv, fmt, ...) \
	level("%s: " fmt, (srv)->proto->name, ##__VA_ARGS__)
#define ksrv_info(srv, fmt, ...) ksrv_log(pr_info, srv, fmt, ##__VA_ARGS__)
#define ksrv_warn(srv, fmt, ...) ksrv_log(pr_warn, srv, fmt, ##__VA_ARGS__)
#define ksrv_err_rl(srv, fmt, ...) \
	ksrv_log(pr_err_ratelimited, srv, fmt, ##__VA_ARGS__)

enum ksrv_stat {
	KSRV_STAT_ACCEPTED,
	KSRV_STAT_REFUSED,	/* over max_conns, stopping, or claimed */
	KSRV_STAT_CLOSED,
	KSRV_STAT_BYTES_IN,
	KSRV_STAT_BYTES_OUT,
	KSRV_STAT_BYTES_REF,	/* received bytes sent on by page reference */
	KSRV_STAT_ERRORS,	/* our failures: memory, accept, socket */
	KSRV_STAT_RESETS,	/* the peer reset or vanished */
	KSRV_STAT_TIMEOUTS,	/* closed by idle_timeout */
	KSRV_STAT_ABORTS,	/* closed by us with RST */
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

struct ksrv_conn;

/*
 * What differs between the designs.  Each design is one table (io.c,
 * legacy.c); nothing else in the engine asks which design runs.
 */
struct ksrv_design_ops {
	/* what conn->work runs, if the design has one */
	work_func_t work;
	/* a new connection is in the registry: serve it */
	int (*start)(struct ksrv_conn *conn);
	/* in ksrv_conn_close(): no callback may reach it afterwards */
	void (*stop)(struct ksrv_conn *conn);
	/* unload: make the connection's context close it soon */
	void (*kill)(struct ksrv_conn *conn);
	long (*send)(struct ksrv_conn *conn, const void *buf, size_t len,
		     unsigned int flags);
	long (*send_page)(struct ksrv_conn *conn, struct page *page,
			  size_t off, size_t len, unsigned int flags);
	bool timers;	/* ksrv_conn_timer() is available */
	bool links;	/* ksrv_link_open() is available */
};

extern const struct ksrv_design_ops ksrv_event_ops;
extern const struct ksrv_design_ops ksrv_blocking_ops;
extern const struct ksrv_design_ops ksrv_kthread_ops;

struct ksrv_server {
	const struct ksrv_proto *proto;
	const struct ksrv_design_ops *ops;
	struct ksrv_config cfg;
	void *priv;
	int backlog;			/* as given to listen() */

	struct socket *lsock;
	void (*listen_data_ready)(struct sock *sk);	/* the listener's own */
	struct delayed_work accept_work;
	struct workqueue_struct *wq;
	atomic_t spread;		/* wq=spread: CPUs given (spread.c) */
	unsigned int event_cpu;		/* wq=spread: the listener's last event */

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
	KSRV_CONN_TIMER,	/* the protocol's timer expired */
	KSRV_CONN_WANT_WRITE,	/* call on_writable when the queue is empty */
	KSRV_CONN_SHUTDOWN,	/* close with FIN once the queue is empty */
	KSRV_CONN_ABORT,	/* close with RST now */
	KSRV_CONN_OPENED,	/* on_open succeeded: on_close is owed */
};

struct ksrv_conn {
	struct kref ref;
	struct list_head node;		/* in srv->conns or srv->dying */
	struct ksrv_server *srv;
	struct socket *sock;
	struct work_struct work;
	int cpu;	/* its work's CPU (wq=spread), else WORK_CPU_UNBOUND */
	unsigned long flags;
	unsigned long last_active;	/* jiffies */
	void *priv;			/* the protocol's */

	void (*saved_data_ready)(struct sock *sk);
	void (*saved_write_space)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);

	struct list_head sendq;		/* struct ksrv_chunk, oldest first */
	u32 queued;			/* bytes in sendq */

	struct timer_list timer;	/* the protocol's */
	struct timer_list idle;		/* idle_timeout */

	struct ksrv_conn *link;		/* our outbound connection, or NULL */
	struct ksrv_conn *owner;	/* a link's connection, else NULL */
};

/* conn.c */
struct ksrv_conn *ksrv_conn_alloc(struct ksrv_server *srv,
				  struct socket *sock);
void ksrv_conn_accept(struct ksrv_server *srv, struct socket *sock);
void ksrv_conn_close(struct ksrv_conn *conn, int reason);
void ksrv_conn_get(struct ksrv_conn *conn);
void ksrv_conn_put(struct ksrv_conn *conn);
bool ksrv_conn_queue(struct ksrv_conn *conn);
int ksrv_conn_recv(struct ksrv_conn *conn, void *buf, size_t len, int flags);
int ksrv_conn_verdict(struct ksrv_conn *conn, int ret);

/* spread.c: wq=spread's CPUs, else WORK_CPU_UNBOUND */
int ksrv_spread_accept_cpu(struct ksrv_server *srv);
int ksrv_spread_conn_cpu(struct ksrv_server *srv);

/* link.c */
void ksrv_link_drop(struct ksrv_conn *conn, bool reset);

/* io.c */
int ksrv_io_hook(struct ksrv_conn *conn);
bool ksrv_io_drained(struct sock *sk);

/* sendq.c: what TCP has not taken yet */
int ksrv_sendq_add(struct ksrv_conn *conn, const void *buf, size_t len,
		   unsigned int flags);
int ksrv_sendq_add_page(struct ksrv_conn *conn, struct page *page,
			size_t off, size_t len, unsigned int flags);
int ksrv_sendq_flush(struct ksrv_conn *conn);
void ksrv_sendq_purge(struct ksrv_conn *conn);
int ksrv_sock_send(struct socket *sock, const void *buf, size_t len,
		   int flags);
int ksrv_msg_flags(unsigned int flags);

/* timer.c */
void ksrv_timers_init(struct ksrv_conn *conn);
void ksrv_timers_start(struct ksrv_conn *conn);
void ksrv_timers_shutdown(struct ksrv_conn *conn);

/* rxpages.c: received bytes as page pieces, for on_pages */
#define KSRV_RXP_PIECES		16
struct ksrv_rxp {
	struct bio_vec vec[KSRV_RXP_PIECES];	/* each holds a page ref */
	unsigned int n;
	size_t len;			/* bytes in vec[] */
	size_t by_ref;			/* of those, not copied */
	struct page *copy;		/* our page for copied bytes, or NULL */
	unsigned int copy_used;
};

size_t ksrv_rxp_take(struct ksrv_conn *conn, struct ksrv_rxp *rxp,
		     size_t want);
void ksrv_rxp_release(struct ksrv_rxp *rxp);

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
bool ksrv_peer_error(int err);

/* listener.c */
int ksrv_listener_start(struct ksrv_server *srv);
void ksrv_listener_stop(struct ksrv_server *srv);
int ksrv_listener_claim(struct ksrv_server *srv, struct socket *sock);

#endif /* KSRV_INTERNAL_H */
