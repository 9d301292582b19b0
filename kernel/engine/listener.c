// SPDX-License-Identifier: GPL-2.0
/*
 * The listening socket and event-driven accept.
 *
 * No thread waits in accept().  The listener's sk_data_ready queues the
 * accept work, which takes connections with O_NONBLOCK until -EAGAIN.
 * Stopping is then only: put the callback back, wait for the work, close.
 *
 * Sockets cloned from the listener inherit its callbacks and
 * sk_user_data.  So our listener callback also runs for children that
 * have not been accepted yet, and must hand those to the original
 * callback; and ksrv_listener_claim() gives every accepted child its
 * original callback back before anything else is done with it.
 */
#include <linux/net.h>
#include <net/sock.h>
#include <net/tcp_states.h>

#include "internal.h"

/*
 * The accept work's queue: the server's own, so that it runs where
 * wq= says.  But in the blocking design every connection's work item
 * blocks, and max_active of them could hold the queue: there, the
 * system's.
 */
static struct workqueue_struct *ksrv_accept_wq(struct ksrv_server *srv)
{
	return srv->cfg.design == KSRV_DESIGN_BLOCKING ? ksrv_system_wq :
							 srv->wq;
}

static void ksrv_listen_data_ready(struct sock *sk)
{
	void (*ready)(struct sock *sk) = NULL;
	struct ksrv_server *srv;

	read_lock_bh(&sk->sk_callback_lock);
	srv = sk->sk_user_data;
	if (srv) {
		if (sk->sk_state == TCP_LISTEN)
			queue_delayed_work_on(ksrv_spread_accept_cpu(srv),
					      ksrv_accept_wq(srv),
					      &srv->accept_work, 0);
		else
			ready = srv->listen_data_ready;
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (ready)
		ready(sk);
}

/*
 * Take an accepted socket away from the listener's callbacks.  Returns
 * -EBUSY if someone else (BPF sockmap, say) already owns sk_user_data;
 * the socket is safe to release either way.
 */
int ksrv_listener_claim(struct ksrv_server *srv, struct socket *sock)
{
	struct sock *sk = sock->sk;
	int ret = 0;

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_data_ready == ksrv_listen_data_ready)
		WRITE_ONCE(sk->sk_data_ready, srv->listen_data_ready);
	if (sk->sk_user_data == srv)
		sk->sk_user_data = NULL;
	else if (sk->sk_user_data)
		ret = -EBUSY;
	write_unlock_bh(&sk->sk_callback_lock);
	return ret;
}

static void ksrv_accept_work(struct work_struct *work)
{
	struct ksrv_server *srv = container_of(to_delayed_work(work),
					       struct ksrv_server, accept_work);
	unsigned long again = 0;
	struct socket *sock;
	int budget, err;

	for (budget = KSRV_ACCEPT_BUDGET; budget; budget--) {
		if (READ_ONCE(srv->stopping))
			return;
		err = kernel_accept(srv->lsock, &sock, O_NONBLOCK);
		if (err == -EAGAIN)
			return;
		/* a child reset before we took it is not our error */
		if (err == -ECONNABORTED)
			continue;
		if (err) {
			ksrv_stat_inc(srv, KSRV_STAT_ERRORS);
			ksrv_err_rl(srv, "accept failed: %d\n", err);
			/* memory is short, say: retry later, do not spin */
			again = HZ / 10;
			break;
		}
		ksrv_conn_accept(srv, sock);
	}
	/* More may be waiting: yield to the I/O work, then go on. */
	queue_delayed_work(ksrv_accept_wq(srv), &srv->accept_work, again);
}

int ksrv_listener_start(struct ksrv_server *srv)
{
	const struct ksrv_config *cfg = &srv->cfg;
	struct socket *sock;
	struct sock *sk;
	int err;

	INIT_DELAYED_WORK(&srv->accept_work, ksrv_accept_work);
	err = sock_create_kern(&init_net, cfg->addr.ss_family, SOCK_STREAM,
			       IPPROTO_TCP, &sock);
	if (err) {
		ksrv_log(pr_err, srv, "cannot create listening socket: %d\n",
			 err);
		return err;
	}
	sk = sock->sk;
	sock_set_reuseaddr(sk);

	err = kernel_bind(sock, ksrv_sockaddr_arg(&cfg->addr), cfg->addrlen);
	if (err) {
		ksrv_log(pr_err, srv, "cannot bind to %pISpc: %d\n",
			 &cfg->addr, err);
		goto err_release;
	}

	write_lock_bh(&sk->sk_callback_lock);
	srv->listen_data_ready = sk->sk_data_ready;
	sk->sk_user_data = srv;
	WRITE_ONCE(sk->sk_data_ready, ksrv_listen_data_ready);
	write_unlock_bh(&sk->sk_callback_lock);
	srv->lsock = sock;

	/*
	 * listen(2) caps the backlog at net.core.somaxconn, kernel_listen()
	 * does not; a huge backlog would defeat SYN-queue overflow handling.
	 */
	srv->backlog = min_t(int, cfg->backlog,
			     READ_ONCE(sock_net(sk)->core.sysctl_somaxconn));
	err = kernel_listen(sock, srv->backlog);
	if (err) {
		ksrv_log(pr_err, srv, "cannot listen on %pISpc: %d\n",
			 &cfg->addr, err);
		ksrv_listener_stop(srv);
		return err;
	}
	return 0;

err_release:
	sock_release(sock);
	return err;
}

/* After this returns, no accept work runs and none will be queued. */
void ksrv_listener_stop(struct ksrv_server *srv)
{
	struct sock *sk = srv->lsock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	WRITE_ONCE(sk->sk_data_ready, srv->listen_data_ready);
	sk->sk_user_data = NULL;
	write_unlock_bh(&sk->sk_callback_lock);

	cancel_delayed_work_sync(&srv->accept_work);
	sock_release(srv->lsock);
	srv->lsock = NULL;
}
