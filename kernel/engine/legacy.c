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
 * Both are correct: they echo exactly, count, time out (by SO_RCVTIMEO and
 * SO_SNDTIMEO) and stop cleanly.  The unload path wakes them by shutting their sockets
 * down, which ends a blocked recvmsg() or sendmsg() at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "internal.h"

static int ksrv_legacy_serve(struct ksrv_conn *conn)
{
	struct ksrv_server *srv = conn->srv;
	int ret = 0;
	void *buf;

	buf = kmalloc(KSRV_LEGACY_BUF_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ksrv_stat_add(srv, KSRV_STAT_MEM, KSRV_LEGACY_BUF_SIZE);
	while (!ret) {
		int n = ksrv_conn_recv(conn, buf, KSRV_LEGACY_BUF_SIZE, 0);

		if (n == 0)
			ret = KSRV_CLOSE_DONE;
		else if (n == -EAGAIN)	/* SO_RCVTIMEO: idle_timeout */
			ret = KSRV_CLOSE_IDLE;
		else if (n < 0)
			ret = n;
		else
			ret = srv->proto->on_data(conn, buf, n);
		if (ret == -EAGAIN)	/* SO_SNDTIMEO: the peer stopped reading */
			ret = KSRV_CLOSE_IDLE;
		if (test_bit(KSRV_CONN_KILL, &conn->flags))
			ret = KSRV_CLOSE_KILLED;
	}
	ksrv_stat_sub(srv, KSRV_STAT_MEM, KSRV_LEGACY_BUF_SIZE);
	kfree(buf);
	return ret;
}

void ksrv_legacy_work(struct work_struct *work)
{
	struct ksrv_conn *conn = container_of(work, struct ksrv_conn, work);

	ksrv_conn_close(conn, ksrv_legacy_serve(conn));
	ksrv_conn_put(conn);
}

static int ksrv_legacy_thread(void *data)
{
	struct ksrv_conn *conn = data;
	struct ksrv_server *srv = conn->srv;

	ksrv_conn_close(conn, ksrv_legacy_serve(conn));
	ksrv_conn_put(conn);
	/*
	 * The server waits for threads_done before the module goes away;
	 * completing it from kthread code means no instruction of ours runs
	 * after it.
	 */
	kthread_complete_and_exit(atomic_dec_and_test(&srv->nthreads) ?
				  &srv->threads_done : NULL, 0);
}

int ksrv_legacy_start(struct ksrv_conn *conn)
{
	struct ksrv_server *srv = conn->srv;
	struct task_struct *task;

	/* idle_timeout: a peer that neither sends nor reads for that long */
	if (srv->cfg.idle_timeout) {
		WRITE_ONCE(conn->sock->sk->sk_rcvtimeo,
			   srv->cfg.idle_timeout * HZ);
		WRITE_ONCE(conn->sock->sk->sk_sndtimeo,
			   srv->cfg.idle_timeout * HZ);
	}

	ksrv_conn_get(conn);	/* for the work or the thread */
	if (srv->cfg.design == KSRV_DESIGN_BLOCKING) {
		queue_work(srv->wq, &conn->work);
		return 0;
	}

	atomic_inc(&srv->nthreads);
	task = kthread_run(ksrv_legacy_thread, conn, "%s-conn",
			   srv->proto->name);
	if (IS_ERR(task)) {
		atomic_dec(&srv->nthreads);
		ksrv_conn_put(conn);
		return PTR_ERR(task);
	}
	return 0;
}
