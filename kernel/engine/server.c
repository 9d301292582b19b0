// SPDX-License-Identifier: GPL-2.0
/*
 * A server: one listener, its connections, its workqueue.  Start is a
 * goto ladder; stop undoes it in reverse, in steps that each leave fewer
 * things able to run:
 *
 *   1. stop accepting      no new connection can appear;
 *   2. kill every          each connection's own context sees it and
 *      connection          closes (FIN if nothing was owed to the peer,
 *                          RST if something was); wait until the registry
 *                          is empty, and so every on_close has run;
 *   4. wait for threads    the kthread design's threads have exited;
 *   5. destroy the wq      queued runs drain and drop the last references;
 *   6. free.
 */
#include <linux/ktime.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "internal.h"

static unsigned int ksrv_wq_flags(enum ksrv_wq_flavour wq)
{
	switch (wq) {
	case KSRV_WQ_UNBOUND:
		return WQ_UNBOUND;
	case KSRV_WQ_HIGHPRI:
		return WQ_HIGHPRI | KSRV_COMPAT_WQ_PERCPU;
	case KSRV_WQ_PERCPU:
	case KSRV_WQ_SPREAD:
	default:
		return KSRV_COMPAT_WQ_PERCPU;
	}
}

static const struct ksrv_design_ops *const ksrv_designs[KSRV_DESIGN_NR] = {
	[KSRV_DESIGN_EVENT] = &ksrv_event_ops,
	[KSRV_DESIGN_BLOCKING] = &ksrv_blocking_ops,
	[KSRV_DESIGN_KTHREAD] = &ksrv_kthread_ops,
};

struct ksrv_server *ksrv_server_start(const struct ksrv_proto *proto,
				      const struct ksrv_config *cfg,
				      void *priv)
{
	struct ksrv_server *srv;
	int err;

	srv = kzalloc(sizeof(*srv), GFP_KERNEL);
	if (!srv)
		return ERR_PTR(-ENOMEM);
	srv->proto = proto;
	srv->ops = ksrv_designs[cfg->design];
	srv->cfg = *cfg;
	srv->priv = priv;
	spin_lock_init(&srv->lock);
	INIT_LIST_HEAD(&srv->conns);
	INIT_LIST_HEAD(&srv->dying);
	init_waitqueue_head(&srv->drained);
	atomic_set(&srv->nthreads, 1);
	init_completion(&srv->threads_done);

	err = ksrv_stats_init(srv);
	if (err)
		goto err_free;
	err = ksrv_scratch_init(srv);
	if (err)
		goto err_stats;
	srv->wq = alloc_workqueue("%s", ksrv_wq_flags(cfg->wq),
				  cfg->max_active, proto->name);
	if (!srv->wq) {
		err = -ENOMEM;
		goto err_scratch;
	}
	err = ksrv_listener_start(srv);
	if (err)
		goto err_wq;

	ksrv_info(srv, "listening on %pISpc: design=%s wq=%s max_active=%d max_conns=%u idle_timeout=%u backlog=%d send_cap=%u keepalive=%u\n",
		  &cfg->addr, ksrv_design_name(cfg->design),
		  ksrv_wq_name(cfg->wq),
		  cfg->max_active ? cfg->max_active : WQ_DFL_ACTIVE,
		  cfg->max_conns, cfg->idle_timeout, srv->backlog,
		  cfg->send_cap, cfg->keepalive);
	return srv;

err_wq:
	destroy_workqueue(srv->wq);
err_scratch:
	ksrv_scratch_free(srv);
err_stats:
	ksrv_stats_free(srv);
err_free:
	kfree(srv);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_KSRV(ksrv_server_start);

/* Move one live connection to the dying list, with a reference. */
static struct ksrv_conn *ksrv_server_next_victim(struct ksrv_server *srv)
{
	struct ksrv_conn *conn;

	spin_lock(&srv->lock);
	conn = list_first_entry_or_null(&srv->conns, struct ksrv_conn, node);
	if (conn) {
		list_move_tail(&conn->node, &srv->dying);
		set_bit(KSRV_CONN_KILL, &conn->flags);
		ksrv_conn_get(conn);
	}
	spin_unlock(&srv->lock);
	return conn;
}

static void ksrv_server_kill_all(struct ksrv_server *srv)
{
	struct ksrv_conn *conn;

	while ((conn = ksrv_server_next_victim(srv))) {
		srv->ops->kill(conn);
		ksrv_conn_put(conn);
	}
}

static unsigned int ksrv_server_nconns(struct ksrv_server *srv)
{
	unsigned int n;

	spin_lock(&srv->lock);
	n = srv->nconns;
	spin_unlock(&srv->lock);
	return n;
}

static void ksrv_server_wait_drained(struct ksrv_server *srv)
{
	while (!wait_event_timeout(srv->drained, !ksrv_server_nconns(srv),
				   10 * HZ))
		ksrv_warn(srv, "stopping: still waiting for %u connections\n",
			  ksrv_server_nconns(srv));
}

void ksrv_server_stop(struct ksrv_server *srv)
{
	ktime_t start = ktime_get();
	struct ksrv_stats s;

	spin_lock(&srv->lock);
	srv->stopping = true;
	spin_unlock(&srv->lock);

	ksrv_listener_stop(srv);
	ksrv_server_kill_all(srv);
	ksrv_server_wait_drained(srv);
	if (!atomic_dec_and_test(&srv->nthreads))
		wait_for_completion(&srv->threads_done);
	destroy_workqueue(srv->wq);

	ksrv_stats_sum(srv, &s);
	ksrv_info(srv, "stopped in %lld ms: accepted %llu refused %llu closed %llu errors %llu\n",
		  ktime_ms_delta(ktime_get(), start),
		  s.count[KSRV_STAT_ACCEPTED], s.count[KSRV_STAT_REFUSED],
		  s.count[KSRV_STAT_CLOSED], s.count[KSRV_STAT_ERRORS]);
	ksrv_scratch_free(srv);
	ksrv_stats_free(srv);
	kfree(srv);
}
EXPORT_SYMBOL_KSRV(ksrv_server_stop);

void *ksrv_server_priv(const struct ksrv_server *srv)
{
	return srv->priv;
}
EXPORT_SYMBOL_KSRV(ksrv_server_priv);

const struct ksrv_config *ksrv_server_config(const struct ksrv_server *srv)
{
	return &srv->cfg;
}
EXPORT_SYMBOL_KSRV(ksrv_server_config);
