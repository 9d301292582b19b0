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
 * kept and the work stops receiving.  sk_write_space queues it again when
 * TCP has room.  The peer's unread bytes stay in the kernel's receive
 * queue, whose window then closes, so the peer is slowed down and our own
 * memory stays at most one receive buffer's worth per connection.
 */
#include <linux/jiffies.h>
#include <net/sock.h>

#include "internal.h"

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

void ksrv_io_unhook(struct ksrv_conn *conn)
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
static bool ksrv_io_drained(struct sock *sk)
{
	return skb_queue_empty_lockless(&sk->sk_receive_queue) &&
	       !(READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN) &&
	       !READ_ONCE(sk->sk_err);
}

/*
 * Receive and hand bytes to the protocol until the socket is empty, the
 * protocol has to wait for TCP, or the budget is spent.  Returns 0 to keep
 * the connection, or a close reason.
 */
static int ksrv_io_receive(struct ksrv_conn *conn)
{
	struct ksrv_server *srv = conn->srv;
	struct ksrv_scratch *slot;
	int budget = KSRV_IO_BUDGET;
	u8 small[256];
	size_t size;
	int ret = 0;
	void *buf;

	buf = ksrv_scratch_get(srv, &slot);
	size = KSRV_SCRATCH_SIZE;
	if (!buf) {
		/* memory is short: go on slowly rather than drop the peer */
		buf = small;
		size = sizeof(small);
	}
	while (!ret) {
		int n = ksrv_conn_recv(conn, buf, size, MSG_DONTWAIT);

		if (n == -EAGAIN)
			break;
		if (n < 0) {
			ret = n;
			break;
		}
		if (n == 0) {
			set_bit(KSRV_CONN_RX_EOF, &conn->flags);
			if (!conn->out)
				ret = KSRV_CLOSE_DONE;
			break;
		}
		ret = srv->proto->on_data(conn, buf, n);
		/* an error, or backpressure: wait for sk_write_space */
		if (ret || conn->out)
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

static int ksrv_io_run(struct ksrv_conn *conn)
{
	int err;

	if (test_bit(KSRV_CONN_KILL, &conn->flags))
		return KSRV_CLOSE_KILLED;
	if (test_bit(KSRV_CONN_EXPIRED, &conn->flags))
		return KSRV_CLOSE_IDLE;

	err = ksrv_conn_flush(conn);
	if (err == -EAGAIN)
		return 0;
	if (err)
		return err;
	if (test_bit(KSRV_CONN_RX_EOF, &conn->flags))
		return KSRV_CLOSE_DONE;
	return ksrv_io_receive(conn);
}

void ksrv_io_work(struct work_struct *work)
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
