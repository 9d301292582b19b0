// SPDX-License-Identifier: GPL-2.0
/*
 * idle_timeout for the event design.  One scan a second over the registry
 * rather than a timer per connection: an idle connection then costs no
 * timer, and a busy one only a jiffies store per receive.  An expired
 * connection is flagged and its work queued; the work closes it, so
 * closing stays in the connection's own context.
 *
 * The historical designs block in recvmsg() and use SO_RCVTIMEO instead.
 */
#include <linux/jiffies.h>

#include "internal.h"

static void ksrv_idle_scan(struct work_struct *work)
{
	struct ksrv_server *srv = container_of(to_delayed_work(work),
					       struct ksrv_server, idle_work);
	unsigned long timeout = srv->cfg.idle_timeout * HZ;
	unsigned long now = jiffies;
	struct ksrv_conn *conn;

	spin_lock(&srv->lock);
	list_for_each_entry(conn, &srv->conns, node) {
		if (time_before(now, READ_ONCE(conn->last_active) + timeout))
			continue;
		if (!test_and_set_bit(KSRV_CONN_EXPIRED, &conn->flags))
			ksrv_conn_queue(conn);
	}
	spin_unlock(&srv->lock);
	queue_delayed_work(system_wq, &srv->idle_work, HZ);
}

void ksrv_idle_start(struct ksrv_server *srv)
{
	INIT_DELAYED_WORK(&srv->idle_work, ksrv_idle_scan);
	if (srv->cfg.idle_timeout && srv->cfg.design == KSRV_DESIGN_EVENT)
		queue_delayed_work(system_wq, &srv->idle_work, HZ);
}

void ksrv_idle_stop(struct ksrv_server *srv)
{
	cancel_delayed_work_sync(&srv->idle_work);
}
