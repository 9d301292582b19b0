// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: admission, the registry, references, the calls a protocol
 * makes on its connection, and the one close path that every design and
 * every reason goes through.
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "internal.h"

/* What a connection costs us, the slab's rounding included. */
#define KSRV_CONN_SIZE kmalloc_size_roundup(sizeof(struct ksrv_conn))

static void ksrv_conn_release(struct kref *ref)
{
	struct ksrv_conn *conn = container_of(ref, struct ksrv_conn, ref);

	ksrv_sendq_purge(conn);
	sock_release(conn->sock);
	ksrv_stat_sub(conn->srv, KSRV_STAT_MEM, KSRV_CONN_SIZE);
	kfree(conn);
}

void ksrv_conn_get(struct ksrv_conn *conn)
{
	kref_get(&conn->ref);
}

/* Process context only: the last reference releases the socket. */
void ksrv_conn_put(struct ksrv_conn *conn)
{
	kref_put(&conn->ref, ksrv_conn_release);
}

/*
 * Queue the connection's work, with a reference for that run.  The caller
 * must hold a reference, or the registry lock, or sk_callback_lock with
 * the connection still in sk_user_data, or be its live timer.  If the
 * work was already queued, that run holds a reference, so the put below
 * is never the last.
 */
bool ksrv_conn_queue(struct ksrv_conn *conn)
{
	/* a link's events are its owner's: the owner outlives its link */
	if (conn->owner)
		conn = conn->owner;
	kref_get(&conn->ref);
	if (queue_work_on(conn->cpu, conn->srv->wq, &conn->work))
		return true;
	kref_put(&conn->ref, ksrv_conn_release);
	return false;
}

static bool ksrv_registry_add_locked(struct ksrv_server *srv,
				     struct ksrv_conn *conn)
{
	unsigned int max = srv->cfg.max_conns;

	lockdep_assert_held(&srv->lock);
	if (srv->stopping || (max && srv->nconns >= max))
		return false;
	list_add_tail(&conn->node, &srv->conns);
	srv->nconns++;
	return true;
}

static void ksrv_registry_del_locked(struct ksrv_server *srv,
				     struct ksrv_conn *conn)
{
	lockdep_assert_held(&srv->lock);
	list_del(&conn->node);
	if (!--srv->nconns)
		wake_up(&srv->drained);
}

static bool ksrv_registry_add(struct ksrv_server *srv, struct ksrv_conn *conn)
{
	bool ok;

	spin_lock(&srv->lock);
	ok = ksrv_registry_add_locked(srv, conn);
	spin_unlock(&srv->lock);
	return ok;
}

static void ksrv_registry_del(struct ksrv_server *srv, struct ksrv_conn *conn)
{
	spin_lock(&srv->lock);
	ksrv_registry_del_locked(srv, conn);
	spin_unlock(&srv->lock);
}

/* Refuse without reading: the peer sees its connection closed. */
static void ksrv_refuse(struct ksrv_server *srv, struct socket *sock)
{
	ksrv_stat_inc(srv, KSRV_STAT_REFUSED);
	kernel_sock_shutdown(sock, SHUT_RDWR);
	sock_release(sock);
}

/*
 * A peer that vanishes without FIN or RST would hold its slot forever;
 * keepalive probes find it gone.  TCP_USER_TIMEOUT bounds how long sent
 * data may stay unacknowledged, no shorter than the probes take.
 */
static void ksrv_conn_sockopts(struct ksrv_server *srv, struct sock *sk)
{
	unsigned int ka = srv->cfg.keepalive;
	int intvl = max_t(int, ka / 4, 1);

	tcp_sock_set_nodelay(sk);
	if (!ka)
		return;
	sock_set_keepalive(sk);
	tcp_sock_set_keepidle(sk, ka);
	tcp_sock_set_keepintvl(sk, intvl);
	tcp_sock_set_keepcnt(sk, 3);
	tcp_sock_set_user_timeout(sk, (ka + 3 * intvl) * MSEC_PER_SEC);
}

/* Two references: the registry's (or the owner's), and the caller's. */
struct ksrv_conn *ksrv_conn_alloc(struct ksrv_server *srv,
				  struct socket *sock)
{
	struct ksrv_conn *conn;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL | __GFP_NOWARN);
	if (!conn)
		return NULL;
	/* one reference for the registry, one for us while we set it up */
	kref_init(&conn->ref);
	kref_get(&conn->ref);
	ksrv_stat_add(srv, KSRV_STAT_MEM, KSRV_CONN_SIZE);
	conn->srv = srv;
	conn->sock = sock;
	conn->cpu = WORK_CPU_UNBOUND;
	conn->last_active = jiffies;
	INIT_LIST_HEAD(&conn->sendq);
	/* before on_open, which may arm a timer that queues the work */
	if (srv->ops->work)
		INIT_WORK(&conn->work, srv->ops->work);
	ksrv_timers_init(conn);
	return conn;
}

/* A connection that was never served; on_open may have armed a timer. */
static void ksrv_conn_free_unused(struct ksrv_conn *conn)
{
	ksrv_timers_shutdown(conn);
	ksrv_stat_sub(conn->srv, KSRV_STAT_MEM, KSRV_CONN_SIZE);
	kfree(conn);
}

/* Takes ownership of @sock, a freshly accepted socket. */
void ksrv_conn_accept(struct ksrv_server *srv, struct socket *sock)
{
	struct ksrv_conn *conn;
	int err;

	if (ksrv_listener_claim(srv, sock)) {
		ksrv_warn(srv, "accepted socket already claimed, refusing it\n");
		ksrv_refuse(srv, sock);
		return;
	}
	conn = ksrv_conn_alloc(srv, sock);
	if (!conn) {
		ksrv_stat_inc(srv, KSRV_STAT_ERRORS);
		ksrv_refuse(srv, sock);
		return;
	}
	/* before on_open, whose timer may queue the work */
	conn->cpu = ksrv_spread_conn_cpu(srv);
	if (!ksrv_registry_add(srv, conn)) {
		ksrv_conn_free_unused(conn);
		ksrv_refuse(srv, sock);
		return;
	}
	if (srv->proto->on_open) {
		err = srv->proto->on_open(conn);
		if (err) {
			ksrv_registry_del(srv, conn);
			ksrv_conn_free_unused(conn);
			ksrv_refuse(srv, sock);
			return;
		}
	}
	set_bit(KSRV_CONN_OPENED, &conn->flags);
	ksrv_stat_inc(srv, KSRV_STAT_ACCEPTED);
	ksrv_conn_sockopts(srv, sock->sk);
	ksrv_timers_start(conn);

	/*
	 * A design that cannot serve it (the kthread design at threads-max,
	 * say) owes the peer nothing yet: it gets FIN, counted as our error.
	 */
	err = srv->ops->start(conn);
	if (err) {
		ksrv_stat_inc(srv, KSRV_STAT_ERRORS);
		ksrv_conn_close(conn, KSRV_CLOSE_UNSERVED);
	}
	ksrv_conn_put(conn);
}

/*
 * Output was owed to the peer that it will not get: the queue, or a
 * protocol that still wanted to write.  The peer must not mistake the end
 * for completion, so the close resets instead of sending FIN.
 */
static bool ksrv_conn_truncated(struct ksrv_conn *conn, int reason)
{
	return reason < 0 || reason == KSRV_CLOSE_ABORT || conn->queued ||
	       test_bit(KSRV_CONN_WANT_WRITE, &conn->flags);
}

/*
 * The single way out for a connection.  Runs in the connection's own
 * context, or on a connection that never got one.  After it, no callback
 * or timer can reach the connection, the protocol has had its on_close,
 * and the registry no longer holds it; the socket goes with the last
 * reference.
 */
void ksrv_conn_close(struct ksrv_conn *conn, int reason)
{
	struct ksrv_server *srv = conn->srv;
	struct sock *sk = conn->sock->sk;

	if (test_and_set_bit(KSRV_CONN_CLOSED, &conn->flags))
		return;
	srv->ops->stop(conn);
	ksrv_timers_shutdown(conn);
	/* whatever the backend was doing for this peer is no longer wanted */
	ksrv_link_drop(conn, true);
	/* an EPIPE because we shut the socket down is not the peer's doing */
	if (test_bit(KSRV_CONN_KILL, &conn->flags) &&
	    (reason < 0 || reason == KSRV_CLOSE_DONE))
		reason = KSRV_CLOSE_KILLED;

	if (ksrv_conn_truncated(conn, reason)) {
		/* linger 0: sock_release() then resets at once */
		sock_no_linger(sk);
		ksrv_sendq_purge(conn);
		if (reason == KSRV_CLOSE_ABORT || reason == KSRV_CLOSE_KILLED ||
		    reason == KSRV_CLOSE_IDLE)
			ksrv_stat_inc(srv, KSRV_STAT_ABORTS);
	} else {
		kernel_sock_shutdown(conn->sock, SHUT_RDWR);
	}
	/* -EAGAIN is a limit, not a failure: its cause says so itself */
	if (reason < 0 && reason != -EAGAIN && !ksrv_peer_error(reason))
		ksrv_err_rl(srv, "connection closed on error %d\n", reason);
	if (test_bit(KSRV_CONN_OPENED, &conn->flags) && srv->proto->on_close)
		srv->proto->on_close(conn, reason);
	conn->priv = NULL;
	ksrv_stats_count_close(srv, reason);
	ksrv_registry_del(srv, conn);
	ksrv_conn_put(conn);
}

int ksrv_conn_recv(struct ksrv_conn *conn, void *buf, size_t len, int flags)
{
	struct kvec vec = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = flags };
	int n;

	n = kernel_recvmsg(conn->sock, &msg, &vec, 1, len, flags);
	if (n > 0) {
		ksrv_stat_add(conn->srv, KSRV_STAT_BYTES_IN, n);
		WRITE_ONCE(conn->last_active, jiffies);
	}
	return n;
}

/*
 * What a protocol callback returned, and what it asked for meanwhile.
 * Returns 0 to go on, or the reason to close now.
 */
int ksrv_conn_verdict(struct ksrv_conn *conn, int ret)
{
	if (ret < 0)
		return ret;
	if (test_bit(KSRV_CONN_ABORT, &conn->flags))
		return KSRV_CLOSE_ABORT;
	if (ret == KSRV_WANT_WRITE)
		set_bit(KSRV_CONN_WANT_WRITE, &conn->flags);
	else if (WARN_ONCE(ret != KSRV_CONTINUE, "%s: bad verdict %d\n",
			   conn->srv->proto->name, ret))
		return -EINVAL;
	return 0;
}

struct ksrv_server *ksrv_conn_server(const struct ksrv_conn *conn)
{
	return conn->srv;
}
EXPORT_SYMBOL_KSRV(ksrv_conn_server);

void *ksrv_conn_priv(const struct ksrv_conn *conn)
{
	return conn->priv;
}
EXPORT_SYMBOL_KSRV(ksrv_conn_priv);

void ksrv_conn_set_priv(struct ksrv_conn *conn, void *priv)
{
	conn->priv = priv;
}
EXPORT_SYMBOL_KSRV(ksrv_conn_set_priv);

int ksrv_conn_peer(struct ksrv_conn *conn, struct sockaddr_storage *addr)
{
	int n = kernel_getpeername(conn->sock, (struct sockaddr *)addr);

	return n < 0 ? n : 0;
}
EXPORT_SYMBOL_KSRV(ksrv_conn_peer);

long ksrv_conn_send(struct ksrv_conn *conn, const void *buf, size_t len,
		    unsigned int flags)
{
	return conn->srv->ops->send(conn, buf, len, flags);
}
EXPORT_SYMBOL_KSRV(ksrv_conn_send);

long ksrv_conn_send_page(struct ksrv_conn *conn, struct page *page,
			 size_t off, size_t len, unsigned int flags)
{
	if (WARN_ON_ONCE(off >= PAGE_SIZE || len > PAGE_SIZE - off))
		return -EINVAL;
	return conn->srv->ops->send_page(conn, page, off, len, flags);
}
EXPORT_SYMBOL_KSRV(ksrv_conn_send_page);

u32 ksrv_conn_queued(const struct ksrv_conn *conn)
{
	return conn->queued;
}
EXPORT_SYMBOL_KSRV(ksrv_conn_queued);

void ksrv_conn_shutdown(struct ksrv_conn *conn)
{
	set_bit(KSRV_CONN_SHUTDOWN, &conn->flags);
}
EXPORT_SYMBOL_KSRV(ksrv_conn_shutdown);

void ksrv_conn_abort(struct ksrv_conn *conn)
{
	set_bit(KSRV_CONN_ABORT, &conn->flags);
}
EXPORT_SYMBOL_KSRV(ksrv_conn_abort);
