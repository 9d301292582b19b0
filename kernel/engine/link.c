// SPDX-License-Identifier: GPL-2.0
/*
 * Links: a connection's own outbound connection, to a backend, say.
 *
 * A link is a struct ksrv_conn with its own socket and send queue, but
 * outside the registry and without work of its own: its socket callbacks
 * (the event design's, installed as for any connection) queue its
 * owner's work through ksrv_conn_queue(), which follows conn->owner.  So
 * everything that happens to the pair runs in the owner's context, one
 * thing at a time, and neither needs a lock.
 *
 * The owner holds the link's only reference.  The link is dropped in the
 * owner's context only: by the protocol (ksrv_link_close()), when the
 * backend ends it (io.c, before on_link_close), or by ksrv_conn_close()
 * of the owner.  Dropping unhooks the callbacks under sk_callback_lock
 * first, so no callback can reach the owner through the link afterwards,
 * and the owner's registry reference outlives every link it had.
 */
#include <linux/net.h>
#include <linux/tcp.h>
#include <net/sock.h>

#include "internal.h"

/* The owner's context only. */
static void ksrv_link_assert_owner(struct ksrv_conn *conn)
{
	WARN_ON_ONCE(conn->owner);
	WARN_ON_ONCE(test_bit(KSRV_CONN_CLOSED, &conn->flags) && conn->link);
}

void ksrv_link_drop(struct ksrv_conn *conn, bool reset)
{
	struct ksrv_conn *link = conn->link;

	if (!link)
		return;
	conn->link = NULL;
	set_bit(KSRV_CONN_CLOSED, &link->flags);
	conn->srv->ops->stop(link);
	if (reset || link->queued) {
		/* linger 0: the release resets at once */
		sock_no_linger(link->sock->sk);
		ksrv_sendq_purge(link);
	} else {
		kernel_sock_shutdown(link->sock, SHUT_RDWR);
	}
	ksrv_conn_put(link);
}

int ksrv_link_open(struct ksrv_conn *conn, const struct sockaddr_storage *addr,
		   int addrlen)
{
	struct ksrv_server *srv = conn->srv;
	struct ksrv_conn *link;
	struct socket *sock;
	int err;

	ksrv_link_assert_owner(conn);
	if (!srv->ops->links || !srv->proto->on_link_data)
		return -EOPNOTSUPP;
	if (conn->link)
		return -EBUSY;
	err = sock_create_kern(sock_net(conn->sock->sk), addr->ss_family,
			       SOCK_STREAM, IPPROTO_TCP, &sock);
	if (err)
		return err;
	link = ksrv_conn_alloc(srv, sock);
	if (!link) {
		sock_release(sock);
		return -ENOMEM;
	}
	/* the owner's reference is the only one */
	ksrv_conn_put(link);
	link->owner = conn;
	tcp_sock_set_nodelay(sock->sk);
	err = ksrv_io_hook(link);
	if (err)
		goto out_put;
	conn->link = link;
	err = kernel_connect(sock, ksrv_sockaddr_arg(addr), addrlen, O_NONBLOCK);
	if (err && err != -EINPROGRESS) {
		ksrv_link_drop(conn, true);
		return err;
	}
	return 0;

out_put:
	ksrv_conn_put(link);
	return err;
}
EXPORT_SYMBOL_KSRV(ksrv_link_open);

long ksrv_link_send(struct ksrv_conn *conn, const void *buf, size_t len,
		    unsigned int flags)
{
	if (!conn->link)
		return -ENOTCONN;
	return conn->srv->ops->send(conn->link, buf, len, flags);
}
EXPORT_SYMBOL_KSRV(ksrv_link_send);

u32 ksrv_link_room(const struct ksrv_conn *conn)
{
	const struct ksrv_conn *link = conn->link;

	return link ? conn->srv->cfg.send_cap - link->queued : 0;
}
EXPORT_SYMBOL_KSRV(ksrv_link_room);

void ksrv_link_close(struct ksrv_conn *conn)
{
	ksrv_link_assert_owner(conn);
	ksrv_link_drop(conn, false);
}
EXPORT_SYMBOL_KSRV(ksrv_link_close);
