// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: admission, the registry, references, sending, and the one
 * close path that every design and every reason goes through.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "internal.h"

/* What a connection costs us, the slab's rounding included. */
#define KSRV_CONN_SIZE kmalloc_size_roundup(sizeof(struct ksrv_conn))

static void ksrv_conn_release(struct kref *ref)
{
	struct ksrv_conn *conn = container_of(ref, struct ksrv_conn, ref);

	sock_release(conn->sock);
	ksrv_stat_sub(conn->srv, KSRV_STAT_MEM, conn->out_len + KSRV_CONN_SIZE);
	kvfree(conn->out);
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
 * the connection still in sk_user_data.  If the work was already queued,
 * that run holds a reference, so the put below is never the last.
 */
bool ksrv_conn_queue(struct ksrv_conn *conn)
{
	kref_get(&conn->ref);
	if (queue_work(conn->srv->wq, &conn->work))
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

/* Takes ownership of @sock, a freshly accepted socket. */
void ksrv_conn_accept(struct ksrv_server *srv, struct socket *sock)
{
	struct ksrv_conn *conn;
	int err;

	if (ksrv_listener_claim(srv, sock)) {
		pr_warn_ratelimited("accepted socket already claimed, refusing it\n");
		ksrv_refuse(srv, sock);
		return;
	}

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn) {
		ksrv_stat_inc(srv, KSRV_STAT_ERRORS);
		sock_release(sock);
		return;
	}
	/* one reference for the registry, one for us while we set it up */
	kref_init(&conn->ref);
	kref_get(&conn->ref);
	ksrv_stat_add(srv, KSRV_STAT_MEM, KSRV_CONN_SIZE);
	conn->srv = srv;
	conn->sock = sock;
	conn->last_active = jiffies;
	INIT_WORK(&conn->work, srv->cfg.design == KSRV_DESIGN_EVENT ?
		  ksrv_io_work : ksrv_legacy_work);

	if (!ksrv_registry_add(srv, conn)) {
		ksrv_stat_sub(srv, KSRV_STAT_MEM, KSRV_CONN_SIZE);
		kfree(conn);
		ksrv_refuse(srv, sock);
		return;
	}
	ksrv_stat_inc(srv, KSRV_STAT_ACCEPTED);
	tcp_sock_set_nodelay(sock->sk);

	if (srv->cfg.design == KSRV_DESIGN_EVENT) {
		err = ksrv_io_hook(conn);
		/* bytes may have arrived before the callbacks were ours */
		if (!err)
			ksrv_conn_queue(conn);
	} else {
		err = ksrv_legacy_start(conn);
	}
	if (err)
		ksrv_conn_close(conn, err);
	ksrv_conn_put(conn);
}

/*
 * The single way out for a connection.  Runs in the connection's own
 * context (its work or its kthread), or on a connection that never got
 * one.  After it, no callback can reach the connection, and the registry
 * no longer holds it; the socket goes with the last reference.
 */
void ksrv_conn_close(struct ksrv_conn *conn, int reason)
{
	struct ksrv_server *srv = conn->srv;

	if (test_and_set_bit(KSRV_CONN_CLOSED, &conn->flags))
		return;
	if (srv->cfg.design == KSRV_DESIGN_EVENT)
		ksrv_io_unhook(conn);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
	if (reason < 0 && reason != -ECONNRESET && reason != -EPIPE &&
	    reason != -ETIMEDOUT)
		pr_err_ratelimited("connection closed on error %d\n", reason);
	ksrv_stats_count_close(srv, reason);
	ksrv_registry_del(srv, conn);
	ksrv_conn_put(conn);
}

static int ksrv_sock_send(struct socket *sock, const void *buf, size_t len,
			  int flags)
{
	struct kvec vec = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = flags | MSG_NOSIGNAL };

	return kernel_sendmsg(sock, &msg, &vec, 1, len);
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

/* Historical designs: block until TCP has taken everything. */
static int ksrv_conn_send_all(struct ksrv_conn *conn, const u8 *buf,
			      size_t len)
{
	while (len) {
		int n = ksrv_sock_send(conn->sock, buf, len, 0);

		if (n < 0)
			return n;
		ksrv_stat_add(conn->srv, KSRV_STAT_BYTES_OUT, n);
		buf += n;
		len -= n;
	}
	return 0;
}

/* Keep what TCP could not take, after what is already kept. */
static int ksrv_conn_keep(struct ksrv_conn *conn, const u8 *buf, size_t len)
{
	size_t kept = conn->out_len - conn->out_off;
	u8 *out;

	if (kept + len > U32_MAX)
		return -ENOBUFS;
	out = kvmalloc(kept + len, GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	if (kept)
		memcpy(out, conn->out + conn->out_off, kept);
	memcpy(out + kept, buf, len);
	ksrv_stat_add(conn->srv, KSRV_STAT_MEM, kept + len - conn->out_len);
	kvfree(conn->out);
	conn->out = out;
	conn->out_len = kept + len;
	conn->out_off = 0;
	return 0;
}

int ksrv_conn_send(struct ksrv_conn *conn, const void *buf, size_t len)
{
	int n;

	if (conn->srv->cfg.design != KSRV_DESIGN_EVENT)
		return ksrv_conn_send_all(conn, buf, len);
	if (conn->out)
		return ksrv_conn_keep(conn, buf, len);

	n = ksrv_sock_send(conn->sock, buf, len, MSG_DONTWAIT);
	if (n == -EAGAIN)
		n = 0;
	if (n < 0)
		return n;
	ksrv_stat_add(conn->srv, KSRV_STAT_BYTES_OUT, n);
	if (n < len)
		return ksrv_conn_keep(conn, (const u8 *)buf + n, len - n);
	return 0;
}

/*
 * Send what was kept.  Returns 0 when nothing is left, -EAGAIN when TCP
 * is full again (sk_write_space will queue the work), or an error.
 */
int ksrv_conn_flush(struct ksrv_conn *conn)
{
	while (conn->out) {
		u32 left = conn->out_len - conn->out_off;
		int n;

		n = ksrv_sock_send(conn->sock, conn->out + conn->out_off, left,
				   MSG_DONTWAIT);
		if (n < 0)
			return n;
		if (!n)		/* not seen from TCP, but never spin on it */
			return -EAGAIN;
		ksrv_stat_add(conn->srv, KSRV_STAT_BYTES_OUT, n);
		WRITE_ONCE(conn->last_active, jiffies);
		conn->out_off += n;
		if (n == left) {
			ksrv_stat_sub(conn->srv, KSRV_STAT_MEM, conn->out_len);
			kvfree(conn->out);
			conn->out = NULL;
			conn->out_len = 0;
			conn->out_off = 0;
		}
	}
	return 0;
}
