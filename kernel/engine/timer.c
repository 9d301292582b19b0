// SPDX-License-Identifier: GPL-2.0
/*
 * Per-connection timers, without a scan under a global lock.
 *
 *   timer  the protocol's (ksrv_conn_timer()): header and keep-alive
 *          timeouts, say.  Expiry flags the connection and queues its
 *          work, which calls on_timeout in the connection's context.
 *   idle   idle_timeout.  Armed once; on expiry it looks at last_active
 *          and either flags the connection or re-arms for the rest, so a
 *          busy connection pays a jiffies store per receive, not a timer
 *          update.
 *
 * Both run in softirq context and only set a bit and queue the work.  A
 * timer holds no reference: ksrv_conn_close() shuts both down, waiting for
 * a running callback, before it drops the registry's reference, and a
 * shut-down timer cannot be armed again.
 */
#include <linux/jiffies.h>
#include <linux/timer.h>

#include "internal.h"

static void ksrv_timer_fire(struct timer_list *t)
{
	struct ksrv_conn *conn = ksrv_timer_container(conn, t, timer);

	set_bit(KSRV_CONN_TIMER, &conn->flags);
	ksrv_conn_queue(conn);
}

static void ksrv_idle_fire(struct timer_list *t)
{
	struct ksrv_conn *conn = ksrv_timer_container(conn, t, idle);
	unsigned long timeout = conn->srv->cfg.idle_timeout * HZ;
	unsigned long due = READ_ONCE(conn->last_active) + timeout;

	if (time_before(jiffies, due)) {
		mod_timer(&conn->idle, due);
		return;
	}
	set_bit(KSRV_CONN_EXPIRED, &conn->flags);
	ksrv_conn_queue(conn);
}

void ksrv_timers_init(struct ksrv_conn *conn)
{
	timer_setup(&conn->timer, ksrv_timer_fire, 0);
	timer_setup(&conn->idle, ksrv_idle_fire, 0);
}

/* Once the connection is served: from here on, close shuts them down. */
void ksrv_timers_start(struct ksrv_conn *conn)
{
	struct ksrv_server *srv = conn->srv;

	if (srv->cfg.idle_timeout && srv->ops->timers)
		mod_timer(&conn->idle, jiffies + srv->cfg.idle_timeout * HZ);
}

void ksrv_timers_shutdown(struct ksrv_conn *conn)
{
	timer_shutdown_sync(&conn->idle);
	timer_shutdown_sync(&conn->timer);
	clear_bit(KSRV_CONN_TIMER, &conn->flags);
}

int ksrv_conn_timer(struct ksrv_conn *conn, unsigned int msecs)
{
	if (!conn->srv->ops->timers)
		return -EOPNOTSUPP;
	if (!msecs) {
		timer_delete(&conn->timer);
		clear_bit(KSRV_CONN_TIMER, &conn->flags);
		return 0;
	}
	mod_timer(&conn->timer, jiffies + msecs_to_jiffies(msecs));
	return 0;
}
EXPORT_SYMBOL_KSRV(ksrv_conn_timer);
