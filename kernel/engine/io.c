// SPDX-License-Identifier: GPL-2.0
/*
 * The event design: socket callbacks queue one I/O work item per
 * connection, and that work never blocks.
 *
 * The callbacks run in softirq context.  They find the connection under
 * sk_callback_lock and queue its work; nothing else.  The work receives
 * with MSG_DONTWAIT until -EAGAIN, so a callback that fires while it runs
 * re-queues it and no wake-up is lost.  A work item never runs
 * concurrently with itself, so a connection needs no lock of its own.
 *
 * Backpressure: when TCP cannot take all the protocol sends, the rest is
 * queued (sendq.c) and the work stops receiving.  sk_write_space queues it
 * again when TCP has room; once the queue is empty, a protocol that asked
 * for it gets on_writable to produce more.  The peer's unread bytes stay
 * in the kernel's receive queue, whose window then closes, so the peer is
 * slowed down and our own memory stays within send_cap per connection.
 */
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <net/sock.h>

#include "internal.h"

/* The stack buffer for when the scratch buffer is not there or needed. */
#define KSRV_IO_SMALL	256

static void ksrv_io_data_ready(struct sock *sk)
{
	struct ksrv_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (likely(conn))
		ksrv_conn_queue(conn);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void ksrv_io_write_space(struct sock *sk)
{
	struct ksrv_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (likely(conn) && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		ksrv_conn_queue(conn);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

/* FIN or RST: the work finds out which from recvmsg. */
static void ksrv_io_state_change(struct sock *sk)
{
	ksrv_io_data_ready(sk);
}

static void ksrv_io_install(struct ksrv_conn *conn, struct sock *sk)
{
	lockdep_assert_held_write(&sk->sk_callback_lock);
	conn->saved_data_ready = sk->sk_data_ready;
	conn->saved_write_space = sk->sk_write_space;
	conn->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = conn;
	WRITE_ONCE(sk->sk_data_ready, ksrv_io_data_ready);
	WRITE_ONCE(sk->sk_write_space, ksrv_io_write_space);
	WRITE_ONCE(sk->sk_state_change, ksrv_io_state_change);
}

static void ksrv_io_restore(struct ksrv_conn *conn, struct sock *sk)
{
	lockdep_assert_held_write(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	WRITE_ONCE(sk->sk_data_ready, conn->saved_data_ready);
	WRITE_ONCE(sk->sk_write_space, conn->saved_write_space);
	WRITE_ONCE(sk->sk_state_change, conn->saved_state_change);
}

/*
 * Take over the socket's callbacks.  Fails if the connection was closed
 * meanwhile (ksrv_conn_close() sets CLOSED before it takes the lock to
 * unhook, so one of the two sees the other) or if sk_user_data is not ours
 * to claim.
 */
int ksrv_io_hook(struct ksrv_conn *conn)
{
	struct sock *sk = conn->sock->sk;
	int err = 0;

	write_lock_bh(&sk->sk_callback_lock);
	if (test_bit(KSRV_CONN_CLOSED, &conn->flags))
		err = -ESHUTDOWN;
	else if (sk->sk_user_data)
		err = -EBUSY;
	else
		ksrv_io_install(conn, sk);
	write_unlock_bh(&sk->sk_callback_lock);
	return err;
}

static void ksrv_io_unhook(struct ksrv_conn *conn)
{
	struct sock *sk = conn->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data == conn)
		ksrv_io_restore(conn, sk);
	write_unlock_bh(&sk->sk_callback_lock);
}

/*
 * Nothing left to read now, so another recvmsg() would only return
 * -EAGAIN.  Whatever arrives from here on, data, FIN or RST, calls one of
 * our callbacks, and they queue the work again: stopping here loses
 * nothing and saves a recvmsg() per message.  A FIN or an error already
 * seen must still be read, so those keep the loop going.
 */
bool ksrv_io_drained(struct sock *sk)
{
	return skb_queue_empty_lockless(&sk->sk_receive_queue) &&
	       !(READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) &&
	       !READ_ONCE(sk->sk_err);
}

/* The protocol has output to finish before it reads again. */
static bool ksrv_io_busy(struct ksrv_conn *conn)
{
	return conn->queued || test_bit(KSRV_CONN_WANT_WRITE, &conn->flags) ||
	       test_bit(KSRV_CONN_SHUTDOWN, &conn->flags);
}

static size_t ksrv_io_room(struct ksrv_conn *conn, size_t size)
{
	const struct ksrv_proto *proto = conn->srv->proto;

	return proto->rx_room ? min(size, proto->rx_room(conn)) : size;
}

/*
 * For a protocol with on_pages: hand it up to @room bytes as page pieces.
 * Returns the bytes handed over (0: none were there, or none could be
 * taken; the caller then receives the usual way) and sets *ret to the
 * protocol's verdict.
 */
static int ksrv_io_pages(struct ksrv_conn *conn, size_t room, int *ret)
{
	const struct ksrv_proto *proto = conn->srv->proto;
	struct ksrv_rxp rxp;
	size_t n;

	n = ksrv_rxp_take(conn, &rxp, room);
	if (n)
		*ret = ksrv_conn_verdict(conn,
					 proto->on_pages(conn, rxp.vec, rxp.n));
	ksrv_rxp_release(&rxp);
	return n;
}

/* One receive for the protocol: returns as recvmsg(), *ret the verdict. */
static int ksrv_io_recv_one(struct ksrv_conn *conn, void *buf, size_t room,
			    int *ret)
{
	int n;

	if (conn->srv->proto->on_pages) {
		n = ksrv_io_pages(conn, room, ret);
		if (n)
			return n;
		/* FIN, an error, or bytes that could not be taken so */
		room = min_t(size_t, room, KSRV_IO_SMALL);
	}
	n = ksrv_conn_recv(conn, buf, room, MSG_DONTWAIT);
	if (n > 0)
		*ret = ksrv_conn_verdict(conn,
					 conn->srv->proto->on_data(conn, buf, n));
	return n;
}

/*
 * Receive and hand bytes to the protocol until the socket is empty, the
 * protocol is busy writing or full, or the budget is spent.  Returns 0,
 * or a reason to close.  A protocol with on_pages needs no scratch buffer:
 * a small one on the stack takes what cannot come by reference.
 */
static int ksrv_io_receive(struct ksrv_conn *conn)
{
	struct ksrv_server *srv = conn->srv;
	struct ksrv_scratch *slot = NULL;
	int budget = KSRV_IO_BUDGET;
	u8 small[KSRV_IO_SMALL];
	size_t size;
	int ret = 0;
	void *buf = NULL;

	if (!srv->proto->on_pages)
		buf = ksrv_scratch_get(srv, &slot);
	size = KSRV_SCRATCH_SIZE;
	if (!buf) {
		/* memory is short: go on slowly rather than drop the peer */
		buf = small;
		size = srv->proto->on_pages ? KSRV_SCRATCH_SIZE : sizeof(small);
	}
	while (!ret) {
		size_t room = ksrv_io_room(conn, size);
		int n;

		if (!room)
			break;
		n = ksrv_io_recv_one(conn, buf, room, &ret);
		if (n == -EAGAIN)
			break;
		if (n < 0) {
			ret = n;
			break;
		}
		if (n == 0) {
			set_bit(KSRV_CONN_RX_EOF, &conn->flags);
			break;
		}
		if (ret || ksrv_io_busy(conn))
			break;
		budget -= n;
		if (budget <= 0) {
			ksrv_conn_queue(conn);
			break;
		}
		if (ksrv_io_drained(conn->sock->sk))
			break;
	}
	if (buf != small)
		ksrv_scratch_put(slot, buf);
	return ret;
}

/* The backend ended the link: drop it, then tell the protocol. */
static int ksrv_io_link_end(struct ksrv_conn *conn, int reason)
{
	const struct ksrv_proto *proto = conn->srv->proto;

	ksrv_link_drop(conn, reason != KSRV_CLOSE_DONE);
	return ksrv_conn_verdict(conn, proto->on_link_close ?
				 proto->on_link_close(conn, reason) :
				 KSRV_CONTINUE);
}

/* Pass on what the link sent, while the connection's queue is empty. */
static int ksrv_io_link_receive(struct ksrv_conn *conn, void *buf,
				size_t size, bool *yield)
{
	const struct ksrv_proto *proto = conn->srv->proto;
	struct ksrv_conn *link = conn->link;
	int budget = KSRV_IO_BUDGET;
	int n, ret;

	while (conn->link == link && !conn->queued &&
	       !test_bit(KSRV_CONN_SHUTDOWN, &conn->flags)) {
		n = ksrv_conn_recv(link, buf, size, MSG_DONTWAIT);
		if (n == -EAGAIN)
			return 0;
		if (n <= 0)
			return ksrv_io_link_end(conn, n ? n : KSRV_CLOSE_DONE);
		WRITE_ONCE(conn->last_active, jiffies);
		ret = ksrv_conn_verdict(conn, proto->on_link_data(conn, buf, n));
		if (ret)
			return ret;
		budget -= n;
		if (budget <= 0) {
			*yield = true;
			return 0;
		}
		if (conn->link == link && ksrv_io_drained(link->sock->sk))
			return 0;
	}
	return 0;
}

/*
 * The link's side of a run: send what waits for the backend (a connect
 * still under way leaves it queued), then read what the backend sent.
 * A failed send ends the link like a failed receive.  *yield is set when
 * the budget is spent.  Returns 0 or the reason to close the connection.
 */
static int ksrv_io_link(struct ksrv_conn *conn, bool *yield)
{
	struct ksrv_server *srv = conn->srv;
	size_t size = min_t(size_t, KSRV_SCRATCH_SIZE, srv->cfg.send_cap / 2);
	struct ksrv_scratch *slot;
	u8 small[256];
	void *buf;
	int ret;

	if (!conn->link)
		return 0;
	ret = ksrv_sendq_flush(conn->link);
	if (ret && ret != -EAGAIN)
		return ksrv_io_link_end(conn, ret);
	/* nothing is read from the link while the connection owes output */
	if (conn->queued)
		return 0;
	buf = ksrv_scratch_get(srv, &slot);
	if (!buf) {
		/* as in ksrv_io_receive(): slowly rather than not at all */
		buf = small;
		size = sizeof(small);
	}
	ret = ksrv_io_link_receive(conn, buf, size, yield);
	if (buf != small)
		ksrv_scratch_put(slot, buf);
	return ret;
}

/* The link has bytes that the connection could pass on now. */
static bool ksrv_io_link_ready(struct ksrv_conn *conn)
{
	return conn->link && !conn->queued &&
	       !ksrv_io_drained(conn->link->sock->sk);
}

/* Returns 0 to keep the connection, or the reason to close it. */
static int ksrv_io_run(struct ksrv_conn *conn)
{
	const struct ksrv_proto *proto = conn->srv->proto;
	int writes = KSRV_WRITE_BUDGET;
	int ret;

	if (test_bit(KSRV_CONN_KILL, &conn->flags))
		return KSRV_CLOSE_KILLED;
	if (test_bit(KSRV_CONN_EXPIRED, &conn->flags))
		return KSRV_CLOSE_IDLE;
	if (test_bit(KSRV_CONN_ABORT, &conn->flags))
		return KSRV_CLOSE_ABORT;
	if (test_and_clear_bit(KSRV_CONN_TIMER, &conn->flags) &&
	    proto->on_timeout) {
		ret = ksrv_conn_verdict(conn, proto->on_timeout(conn));
		if (ret)
			return ret;
	}
	for (;;) {
		bool yield = false;

		ret = ksrv_io_link(conn, &yield);
		if (ret)
			return ret;
		if (yield) {
			ksrv_conn_queue(conn);
			return 0;
		}
		ret = ksrv_sendq_flush(conn);
		if (ret == -EAGAIN)
			return 0;
		if (ret)
			return ret;
		if (test_bit(KSRV_CONN_SHUTDOWN, &conn->flags))
			return KSRV_CLOSE_DONE;
		if (test_and_clear_bit(KSRV_CONN_WANT_WRITE, &conn->flags)) {
			if (!writes--) {
				/* let other connections run, then go on */
				set_bit(KSRV_CONN_WANT_WRITE, &conn->flags);
				ksrv_conn_queue(conn);
				return 0;
			}
			ret = ksrv_conn_verdict(conn, proto->on_writable ?
						proto->on_writable(conn) :
						KSRV_CONTINUE);
			if (ret)
				return ret;
			continue;
		}
		/* a peer that half-closed still gets the link's answer */
		if (test_bit(KSRV_CONN_RX_EOF, &conn->flags)) {
			if (!conn->link)
				return KSRV_CLOSE_DONE;
		} else {
			ret = ksrv_io_receive(conn);
			if (ret)
				return ret;
		}
		if (ksrv_io_busy(conn) || ksrv_io_link_ready(conn))
			continue;
		if (conn->link || !test_bit(KSRV_CONN_RX_EOF, &conn->flags))
			return 0;
	}
}

static void ksrv_io_work(struct work_struct *work)
{
	struct ksrv_conn *conn = container_of(work, struct ksrv_conn, work);

	if (!test_bit(KSRV_CONN_CLOSED, &conn->flags)) {
		int reason = ksrv_io_run(conn);

		if (reason)
			ksrv_conn_close(conn, reason);
	}
	/* the reference taken when this run was queued */
	ksrv_conn_put(conn);
}

static int ksrv_io_start(struct ksrv_conn *conn)
{
	int err;

	err = ksrv_io_hook(conn);
	/* bytes may have arrived before the callbacks were ours */
	if (!err)
		ksrv_conn_queue(conn);
	return err;
}

static void ksrv_io_kill(struct ksrv_conn *conn)
{
	set_bit(KSRV_CONN_KILL, &conn->flags);
	ksrv_conn_queue(conn);
}

/* Bytes to send: from a buffer, or from a page without a copy. */
struct ksrv_io_src {
	const u8 *buf;
	struct page *page;
	size_t off;
	size_t len;
	unsigned int flags;
};

static int ksrv_io_try(struct ksrv_conn *conn, const struct ksrv_io_src *src)
{
	int flags = ksrv_msg_flags(src->flags) | MSG_DONTWAIT;
	int n;

	if (src->page)
		n = ksrv_compat_sendpage(conn->sock, src->page, src->off,
					 src->len, flags);
	else
		n = ksrv_sock_send(conn->sock, src->buf, src->len, flags);
	if (n == -EAGAIN)
		return 0;
	if (n > 0)
		ksrv_stat_add(conn->srv, KSRV_STAT_BYTES_OUT, n);
	return n;
}

static int ksrv_io_keep(struct ksrv_conn *conn, const struct ksrv_io_src *src,
			size_t sent)
{
	if (src->page)
		return ksrv_sendq_add_page(conn, src->page, src->off + sent,
					   src->len - sent, src->flags);
	return ksrv_sendq_add(conn, src->buf + sent, src->len - sent,
			      src->flags);
}

/*
 * Send at once what TCP takes, queue the rest.  Bytes already queued go
 * first, so once anything is queued, new bytes only join the queue.
 */
static long ksrv_io_push(struct ksrv_conn *conn, const struct ksrv_io_src *src)
{
	u32 cap = conn->srv->cfg.send_cap;
	int n = 0, err;

	if (src->len > cap)
		return -EMSGSIZE;
	if (conn->queued) {
		if (src->len > cap - conn->queued)
			return -EAGAIN;
	} else if (src->len) {
		n = ksrv_io_try(conn, src);
		if (n < 0)
			return n;
	}
	if (n < src->len) {
		err = ksrv_io_keep(conn, src, n);
		if (err)
			return err;
	}
	return cap - conn->queued;
}

static long ksrv_io_send(struct ksrv_conn *conn, const void *buf, size_t len,
			 unsigned int flags)
{
	struct ksrv_io_src src = { .buf = buf, .len = len, .flags = flags };

	return ksrv_io_push(conn, &src);
}

static long ksrv_io_send_page(struct ksrv_conn *conn, struct page *page,
			      size_t off, size_t len, unsigned int flags)
{
	struct ksrv_io_src src = {
		.page = page, .off = off, .len = len, .flags = flags,
	};

	return ksrv_io_push(conn, &src);
}

const struct ksrv_design_ops ksrv_event_ops = {
	.work = ksrv_io_work,
	.start = ksrv_io_start,
	.stop = ksrv_io_unhook,
	.kill = ksrv_io_kill,
	.send = ksrv_io_send,
	.send_page = ksrv_io_send_page,
	.timers = true,
	.links = true,
};
