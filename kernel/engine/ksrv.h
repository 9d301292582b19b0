/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksrv: a protocol-agnostic in-kernel TCP connection engine (ksrv.ko).
 *
 * A protocol module fills a struct ksrv_proto, parses its parameters with
 * ksrv_config_parse() and calls ksrv_server_start().  The engine owns the
 * listener, the connections, the workqueue, the send queue, backpressure,
 * timers, limits, counters and teardown.  Its symbols are exported in the
 * KSRV namespace: a protocol module says KSRV_IMPORT() once.
 *
 * Context rules.  Every protocol callback of a connection runs in that
 * connection's own context: its work item (event design) or its thread or
 * blocking work (historical designs).  They never run concurrently with
 * each other for one connection, so protocol state needs no lock.  The
 * ksrv_conn_*() calls below may only be made from those callbacks.
 *
 * Memory.  An idle connection costs the engine sizeof(struct ksrv_conn)
 * (under 256 bytes) beyond its socket; protocol state is the protocol's,
 * allocated when it wants (ksrv_conn_set_priv()).  Bytes waiting for TCP
 * are at most cfg.send_cap per connection, so all connections together
 * hold at most max_conns * send_cap.
 */
#ifndef KSRV_H
#define KSRV_H

#include <linux/socket.h>
#include <linux/types.h>

#include "compat.h"

struct ksrv_conn;
struct ksrv_server;
struct bio_vec;
struct page;
struct seq_file;

/* How connections are served.  Only EVENT is the real design; the other
 * two reproduce earlier designs so that they can be measured side by side.
 */
enum ksrv_design {
	KSRV_DESIGN_EVENT,	/* socket callbacks queue one I/O work item */
	KSRV_DESIGN_BLOCKING,	/* one work item blocks per connection */
	KSRV_DESIGN_KTHREAD,	/* one kthread blocks per connection */
	KSRV_DESIGN_NR,
};

enum ksrv_wq_flavour {
	KSRV_WQ_PERCPU,
	KSRV_WQ_UNBOUND,
	KSRV_WQ_HIGHPRI,
	KSRV_WQ_SPREAD,		/* per-CPU, each connection on a CPU of its own */
	KSRV_WQ_NR,
};

/* The engine's module parameters as the operator gave them. */
struct ksrv_params {
	const char *name;	/* the protocol's, for log lines */
	int port;
	const char *addr;
	int backlog;
	int max_conns;
	int idle_timeout;
	const char *design;
	const char *wq;
	int max_active;
	int send_cap;		/* KiB */
	int keepalive;		/* seconds */
};

/* Validated configuration. */
struct ksrv_config {
	struct sockaddr_storage addr;
	int addrlen;
	int backlog;			/* as asked; clamped at listen */
	unsigned int max_conns;		/* 0: unlimited */
	unsigned int idle_timeout;	/* seconds, 0: off */
	enum ksrv_design design;
	enum ksrv_wq_flavour wq;
	int max_active;			/* 0: the workqueue default */
	u32 send_cap;			/* bytes queued per connection */
	unsigned int keepalive;		/* seconds, 0: off */
};

/* Declares the engine's parameters in a protocol module (see echo/main.c). */
#define KSRV_SEND_CAP_MIN	64	/* KiB: one receive buffer's worth */
#define KSRV_SEND_CAP_MAX	65536	/* KiB */

/* What a callback returns, besides a negative errno that aborts. */
enum ksrv_verdict {
	KSRV_CONTINUE = 0,	/* go on reading */
	KSRV_WANT_WRITE = 1,	/* call on_writable once the queue is empty */
};

/* Why a connection ended (on_close); a negative value is an errno. */
enum ksrv_close_reason {
	KSRV_CLOSE_DONE = 1,	/* peer closed or ksrv_conn_shutdown() */
	KSRV_CLOSE_KILLED,	/* server stopping */
	KSRV_CLOSE_IDLE,	/* idle_timeout */
	KSRV_CLOSE_ABORT,	/* ksrv_conn_abort() */
	KSRV_CLOSE_UNSERVED,	/* the design could not take it on (FIN) */
};

struct ksrv_proto {
	const char *name;	/* log prefix, workqueue, /proc/net/<name> */
	/*
	 * A connection was accepted; no callback ran for it yet.  Runs in the
	 * accept work.  A negative errno refuses the connection (closed at
	 * once, no on_close).  Optional.
	 */
	int (*on_open)(struct ksrv_conn *conn);
	/*
	 * How many bytes the protocol can take now: the engine reads at most
	 * that much into on_data, and stops reading at 0 until on_writable or
	 * on_timeout returns KSRV_CONTINUE.  Optional (no limit).
	 */
	size_t (*rx_room)(struct ksrv_conn *conn);
	/*
	 * Bytes received.  @buf is only valid during the call.  Return a
	 * verdict or a negative errno (the connection is then reset).
	 */
	int (*on_data)(struct ksrv_conn *conn, const void *buf, size_t len);
	/*
	 * Bytes received, as @n page pieces, in order: instead of on_data
	 * where the protocol sets it (the event design; the others call
	 * on_data).  Where the bytes lay in the skb's page fragments the
	 * pieces are those pages, taken by reference and not copied; other
	 * bytes were copied into the engine's pages.  Pass a piece to
	 * ksrv_conn_send_page() to send it on without a copy.  The pieces
	 * are valid during the call only; a send takes its own reference.
	 * FIN, resets and errors still come the usual way.  Returns as
	 * on_data.  Optional.
	 */
	int (*on_pages)(struct ksrv_conn *conn, const struct bio_vec *vec,
			unsigned int n);
	/* The send queue is empty and the protocol asked for this. */
	int (*on_writable)(struct ksrv_conn *conn);
	/* The connection's timer (ksrv_conn_timer()) expired. */
	int (*on_timeout)(struct ksrv_conn *conn);
	/* Last call for the connection, exactly once; free its state here. */
	void (*on_close)(struct ksrv_conn *conn, int reason);
	/* Extra lines for /proc/net/<name>.  Optional. */
	void (*show)(struct seq_file *m, struct ksrv_server *srv);
	/*
	 * The connection's link (ksrv_link_open()) sent bytes.  Called only
	 * while the connection's own send queue is empty, with at most half
	 * of send_cap, so that what came in can always be sent on, with some
	 * room to spare.  A verdict, or a negative errno to reset the
	 * connection.  Required for ksrv_link_open().
	 */
	int (*on_link_data)(struct ksrv_conn *conn, const void *buf,
			    size_t len);
	/*
	 * The link ended by the backend's doing: KSRV_CLOSE_DONE when it
	 * closed, a negative errno when it failed (-ECONNREFUSED, ...).  The
	 * link is gone when this runs.  Not called for ksrv_link_close() or
	 * when the connection itself closes.  Returns a verdict.
	 */
	int (*on_link_close)(struct ksrv_conn *conn, int reason);
};

int ksrv_config_parse(struct ksrv_config *cfg, const struct ksrv_params *p);
/*
 * "ADDR:PORT", ADDR an IPv4 literal or a bracketed IPv6 one
 * ("[::1]:8081"), into @addr.  Returns 0 or -EINVAL; logs nothing.
 */
int ksrv_endpoint_parse(const char *s, struct sockaddr_storage *addr,
			int *addrlen);
const char *ksrv_design_name(enum ksrv_design design);
const char *ksrv_wq_name(enum ksrv_wq_flavour wq);

/* @priv is the protocol's, returned by ksrv_server_priv(). */
struct ksrv_server *ksrv_server_start(const struct ksrv_proto *proto,
				      const struct ksrv_config *cfg,
				      void *priv);
void ksrv_server_stop(struct ksrv_server *srv);
void *ksrv_server_priv(const struct ksrv_server *srv);
const struct ksrv_config *ksrv_server_config(const struct ksrv_server *srv);

struct ksrv_server *ksrv_conn_server(const struct ksrv_conn *conn);
void *ksrv_conn_priv(const struct ksrv_conn *conn);
void ksrv_conn_set_priv(struct ksrv_conn *conn, void *priv);
int ksrv_conn_peer(struct ksrv_conn *conn, struct sockaddr_storage *addr);

/* ksrv_conn_send() and ksrv_conn_send_page() flags */
#define KSRV_SEND_MORE	0x1	/* more follows at once: MSG_MORE */

/*
 * Send @len bytes, in order after everything sent before.  What TCP does
 * not take now is copied once into the queue, and no more is read from
 * the peer until the queue is empty.  Returns the room left in the queue
 * (bytes, possibly 0), -EAGAIN without taking anything if @len does not
 * fit in the room left, -EMSGSIZE if @len exceeds send_cap, or another
 * negative errno.  The historical designs block until TCP took it all.
 */
long ksrv_conn_send(struct ksrv_conn *conn, const void *buf, size_t len,
		    unsigned int flags);
/*
 * The same for @len bytes of @page at @off, without a copy: TCP, or the
 * queue, takes its own reference on the page.  For page-cache pages.
 */
long ksrv_conn_send_page(struct ksrv_conn *conn, struct page *page,
			 size_t off, size_t len, unsigned int flags);
/* Bytes queued and not yet taken by TCP. */
u32 ksrv_conn_queued(const struct ksrv_conn *conn);

/* Close after the queue is flushed, with FIN (on_close: DONE). */
void ksrv_conn_shutdown(struct ksrv_conn *conn);
/* Close now, dropping the queue, with RST (on_close: ABORT). */
void ksrv_conn_abort(struct ksrv_conn *conn);

/*
 * The connection's timer: on_timeout runs @msecs from now, in the
 * connection's context.  Arming again moves it; 0 cancels it.  Not in
 * the historical designs (-EOPNOTSUPP): they block, and only have
 * idle_timeout.
 */
int ksrv_conn_timer(struct ksrv_conn *conn, unsigned int msecs);

/*
 * Links: a connection's own outbound TCP connection, to a backend, say.
 * One at a time per connection, event design only (else -EOPNOTSUPP).
 * The link's events run in its connection's context (on_link_data,
 * on_link_close), so the pair needs no lock.  Memory: the link's queue
 * is capped by send_cap like any connection's, and the engine reads from
 * the link only while its connection's queue is empty, so a slow client
 * slows the backend down through TCP instead of filling our memory.
 *
 * ksrv_link_open() connects without waiting; bytes sent before the
 * connection is up wait in the link's queue.  A refused or failed connect
 * comes back as on_link_close(-errno).  ksrv_link_send() is
 * ksrv_conn_send() for the link; ksrv_link_room() is what the link's
 * queue can still take (0 without a link).  ksrv_link_close() ends the
 * link now: FIN if it owes the backend nothing, else RST.  A link still
 * open when its connection closes is reset.
 */
int ksrv_link_open(struct ksrv_conn *conn, const struct sockaddr_storage *addr,
		   int addrlen);
long ksrv_link_send(struct ksrv_conn *conn, const void *buf, size_t len,
		    unsigned int flags);
u32 ksrv_link_room(const struct ksrv_conn *conn);
void ksrv_link_close(struct ksrv_conn *conn);

#endif /* KSRV_H */
