/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ksrv: a protocol-agnostic in-kernel TCP connection engine.
 *
 * A protocol module (echo now, HTTP later) fills a struct ksrv_proto,
 * parses its module parameters with ksrv_config_parse() and calls
 * ksrv_server_start().  The engine owns the listener, the connections,
 * the workqueue, backpressure, limits, counters and teardown; the
 * protocol only sees bytes arriving on a connection and answers with
 * ksrv_conn_send().
 */
#ifndef KSRV_H
#define KSRV_H

#include <linux/socket.h>
#include <linux/types.h>

struct ksrv_conn;
struct ksrv_server;

/* How connections are served.  Only EVENT is the real design; the other
 * two reproduce earlier designs so that they can be measured side by side.
 */
enum ksrv_design {
	KSRV_DESIGN_EVENT,	/* socket callbacks queue one I/O work item */
	KSRV_DESIGN_BLOCKING,	/* one work item blocks per connection */
	KSRV_DESIGN_KTHREAD,	/* one kthread blocks per connection */
};

enum ksrv_wq_flavour {
	KSRV_WQ_PERCPU,
	KSRV_WQ_UNBOUND,
	KSRV_WQ_HIGHPRI,
};

/* Module parameters as the operator gave them, before validation. */
struct ksrv_params {
	int port;
	const char *addr;
	int backlog;
	int max_conns;
	int idle_timeout;
	const char *design;
	const char *wq;
	int max_active;
};

/* Validated configuration. */
struct ksrv_config {
	struct sockaddr_storage addr;
	int addrlen;
	int backlog;
	unsigned int max_conns;		/* 0: unlimited */
	unsigned int idle_timeout;	/* seconds, 0: off */
	enum ksrv_design design;
	enum ksrv_wq_flavour wq;
	int max_active;			/* 0: the workqueue default */
};

struct ksrv_proto {
	const char *name;	/* names the workqueue, threads and /proc/net entry */
	/*
	 * Bytes received on @conn.  @buf is only valid during the call: keep
	 * what must outlive it.  Answer with ksrv_conn_send().  Return 0 to
	 * go on, or a negative errno to close the connection.
	 */
	int (*on_data)(struct ksrv_conn *conn, const void *buf, size_t len);
};

int ksrv_config_parse(struct ksrv_config *cfg, const struct ksrv_params *p);
const char *ksrv_design_name(enum ksrv_design design);
const char *ksrv_wq_name(enum ksrv_wq_flavour wq);

struct ksrv_server *ksrv_server_start(const struct ksrv_proto *proto,
				      const struct ksrv_config *cfg);
void ksrv_server_stop(struct ksrv_server *srv);

/*
 * Queue @len bytes for the peer, in order.  Never blocks in the event
 * design: what TCP cannot take now is kept and sent when the socket has
 * room again, and no more is read from the peer meanwhile.
 */
int ksrv_conn_send(struct ksrv_conn *conn, const void *buf, size_t len);

#endif /* KSRV_H */
