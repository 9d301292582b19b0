// SPDX-License-Identifier: GPL-2.0
/*
 * wq=spread: where a new connection is accepted and served.
 *
 * With the other flavours, work runs on the CPU whose network event
 * queued it.  On loopback, or behind a NIC with one queue, that is the
 * same CPU for every connection of a client: the one the client runs on,
 * or the one taking the interrupts.  Its connections then queue behind
 * it, and the other CPUs idle.  With wq=spread the listener's accept work
 * runs on another CPU than the one that took the event, and each
 * connection is served on a CPU of its own, the online CPUs but that one
 * given in turn, and stays there.
 *
 * The choice is a hint and needs no lock: the rotation is an atomic
 * counter, the event's CPU a plain word read once.  A CPU that goes
 * offline later has its connections' work run on another, which
 * queue_work_on() allows.
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/workqueue.h>

#include "internal.h"

/* The online CPUs but @skip in turn; @skip itself when it is alone. */
static int ksrv_spread_next(struct ksrv_server *srv, unsigned int skip)
{
	unsigned int online = num_online_cpus();
	unsigned int n, cpu;

	if (online < 2)
		return skip;
	n = (unsigned int)atomic_inc_return(&srv->spread) % (online - 1);
	cpu = cpumask_nth(n, cpu_online_mask);
	if (cpu >= skip)
		cpu = cpumask_nth(n + 1, cpu_online_mask);
	return cpu < nr_cpu_ids ? cpu : WORK_CPU_UNBOUND;
}

/*
 * The listener's event: the CPU to accept on, and the event's CPU
 * remembered for the connections accepted there.  Called under the
 * listener's read_lock_bh(sk_callback_lock), from softirq or from a
 * socket's backlog in process context: bottom halves are off either way,
 * so the CPU cannot change under smp_processor_id().
 */
int ksrv_spread_accept_cpu(struct ksrv_server *srv)
{
	unsigned int here = smp_processor_id();

	if (srv->cfg.wq != KSRV_WQ_SPREAD)
		return WORK_CPU_UNBOUND;
	WRITE_ONCE(srv->event_cpu, here);
	return ksrv_spread_next(srv, here);
}

/* The CPU that serves a connection being accepted. */
int ksrv_spread_conn_cpu(struct ksrv_server *srv)
{
	if (srv->cfg.wq != KSRV_WQ_SPREAD)
		return WORK_CPU_UNBOUND;
	return ksrv_spread_next(srv, READ_ONCE(srv->event_cpu));
}
