// SPDX-License-Identifier: GPL-2.0
/*
 * The historical designs, kept so that the benchmark can measure what the
 * event design improves on, in the same module and the same run:
 *
 *   blocking: one work item per connection that blocks in recvmsg() for
 *             the connection's whole life, as the earlier kecho did.  It
 *             occupies a worker while idle, so at most max_active
 *             connections per pool are served; the rest wait in the queue.
 *   kthread:  one kernel thread per connection.  No cap, but every idle
 *             connection costs a thread, its stack, and a context switch
 *             per message.
 *
 * Both are correct: a send blocks until TCP took everything, so they need
 * no queue; they count, time out (SO_RCVTIMEO and SO_SNDTIMEO carry
 * idle_timeout) and stop cleanly.  They have no timers.  Unload aborts
 * their sockets (tcp_abort(), as "ss -K" does), which ends a blocked
 * recvmsg() or sendmsg() at once and resets the peer, who may have been
 * owed bytes.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "internal.h"

/* A timed-out send or receive is idle_timeout, not an error. */
static int ksrv_legacy_reason(struct ksrv_conn *conn, int ret)
{
	if (ret == -EAGAIN)
		ret = KSRV_CLOSE_IDLE;
	if (!ret && test_bit(KSRV_CONN_SHUTDOWN, &conn->flags))
		ret = KSRV_CLOSE_DONE;
	if (test_bit(KSRV_CONN_KILL, &conn->flags))
		ret = KSRV_CLOSE_KILLED;
	return ret;
}

/* Receive once, blocking, and let the protocol answer in full. */
static int ksrv_legacy_step(struct ksrv_conn *conn, void *buf)
{
	const struct ksrv_proto *proto = conn->srv->proto;
	size_t room = KSRV_LEGACY_BUF_SIZE;
	int n, ret;

	if (proto->rx_room)
		room = min(room, proto->rx_room(conn));
	if (!room)	/* nothing to write and no room: it cannot go on */
		return -ENOBUFS;
	n = ksrv_conn_recv(conn, buf, room, 0);
	if (n == 0)
		return KSRV_CLOSE_DONE;
	if (n < 0)
		return n;
	ret = ksrv_conn_verdict(conn, proto->on_data(conn, buf, n));
	while (!ret && test_and_clear_bit(KSRV_CONN_WANT_WRITE, &conn->flags))
		ret = ksrv_conn_verdict(conn, proto->on_writable ?
					proto->on_writable(conn) :
					KSRV_CONTINUE);
	return ret;
}

static int ksrv_legacy_serve(struct ksrv_conn *conn)
{
	struct ksrv_server *srv = conn->srv;
	int ret = 0;
	void *buf;

	buf = kmalloc(KSRV_LEGACY_BUF_SIZE, GFP_KERNEL | __GFP_NOWARN);
	if (!buf)
		return -ENOMEM;
	ksrv_stat_add(srv, KSRV_STAT_MEM, KSRV_LEGACY_BUF_SIZE);
	while (!ret)
		ret = ksrv_legacy_reason(conn, ksrv_legacy_step(conn, buf));
	ksrv_stat_sub(srv, KSRV_STAT_MEM, KSRV_LEGACY_BUF_SIZE);
	kfree(buf);
	return ret;
}

static void ksrv_legacy_work(struct work_struct *work)
{
	struct ksrv_conn *conn = container_of(work, struct ksrv_conn, work);

	ksrv_conn_close(conn, ksrv_legacy_serve(conn));
	ksrv_conn_put(conn);
}

/*
 * A thread must not run engine code after the server may be gone: the
 * server waits for nthreads to drop, which is the thread's last touch of
 * it, and the module reference taken at start keeps ksrv's text until
 * module_put_and_kthread_exit(), which runs in the core kernel.
 */
static int ksrv_legacy_thread(void *data)
{
	struct ksrv_conn *conn = data;
	struct ksrv_server *srv = conn->srv;

	ksrv_conn_close(conn, ksrv_legacy_serve(conn));
	ksrv_conn_put(conn);
	if (atomic_dec_and_test(&srv->nthreads))
		complete(&srv->threads_done);
	module_put_and_kthread_exit(0);
}

/* idle_timeout: a peer that neither sends nor reads for that long */
static void ksrv_legacy_timeouts(struct ksrv_conn *conn)
{
	unsigned int secs = conn->srv->cfg.idle_timeout;

	if (!secs)
		return;
	WRITE_ONCE(conn->sock->sk->sk_rcvtimeo, secs * HZ);
	WRITE_ONCE(conn->sock->sk->sk_sndtimeo, secs * HZ);
}

static int ksrv_blocking_start(struct ksrv_conn *conn)
{
	ksrv_legacy_timeouts(conn);
	ksrv_conn_get(conn);	/* for the work */
	queue_work(conn->srv->wq, &conn->work);
	return 0;
}

static int ksrv_kthread_start(struct ksrv_conn *conn)
{
	struct ksrv_server *srv = conn->srv;
	struct task_struct *task;

	ksrv_legacy_timeouts(conn);
	ksrv_conn_get(conn);	/* for the thread */
	atomic_inc(&srv->nthreads);
	__module_get(THIS_MODULE);
	task = kthread_run(ksrv_legacy_thread, conn, "%s-conn",
			   srv->proto->name);
	if (IS_ERR(task)) {
		ksrv_err_rl(srv, "no thread for a connection (%ld): threads-max?\n",
			    PTR_ERR(task));
		module_put(THIS_MODULE);
		atomic_dec(&srv->nthreads);
		ksrv_conn_put(conn);
		return PTR_ERR(task);
	}
	return 0;
}

static void ksrv_legacy_stop(struct ksrv_conn *conn)
{
}

static void ksrv_legacy_kill(struct ksrv_conn *conn)
{
	set_bit(KSRV_CONN_KILL, &conn->flags);
	tcp_abort(conn->sock->sk, ECONNABORTED);
}

static long ksrv_legacy_send(struct ksrv_conn *conn, const void *buf,
			     size_t len, unsigned int flags)
{
	const u8 *p = buf;

	while (len) {
		int n = ksrv_sock_send(conn->sock, p, len,
				       ksrv_msg_flags(flags));

		if (n < 0)
			return n;
		ksrv_stat_add(conn->srv, KSRV_STAT_BYTES_OUT, n);
		p += n;
		len -= n;
	}
	return conn->srv->cfg.send_cap;
}

static long ksrv_legacy_send_page(struct ksrv_conn *conn, struct page *page,
				  size_t off, size_t len, unsigned int flags)
{
	while (len) {
		int n = ksrv_compat_sendpage(conn->sock, page, off, len,
					     ksrv_msg_flags(flags));

		if (n < 0)
			return n;
		ksrv_stat_add(conn->srv, KSRV_STAT_BYTES_OUT, n);
		off += n;
		len -= n;
	}
	return conn->srv->cfg.send_cap;
}

const struct ksrv_design_ops ksrv_blocking_ops = {
	.work = ksrv_legacy_work,
	.start = ksrv_blocking_start,
	.stop = ksrv_legacy_stop,
	.kill = ksrv_legacy_kill,
	.send = ksrv_legacy_send,
	.send_page = ksrv_legacy_send_page,
};

const struct ksrv_design_ops ksrv_kthread_ops = {
	.start = ksrv_kthread_start,
	.stop = ksrv_legacy_stop,
	.kill = ksrv_legacy_kill,
	.send = ksrv_legacy_send,
	.send_page = ksrv_legacy_send_page,
};
