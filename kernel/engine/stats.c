// SPDX-License-Identifier: GPL-2.0
/*
 * Counters.  The hot path bumps a per-CPU copy with this_cpu_add(); a
 * reader of /proc/net/<proto> sums the copies.  A sum may be a few
 * microseconds stale, never torn (each counter is one 64-bit word).
 * mem_bytes is a gauge: a CPU's copy may go below zero when memory is freed
 * on another CPU than it was counted on, and the sum still comes out right
 * in unsigned arithmetic.
 */
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "internal.h"

static const char *const ksrv_stat_names[KSRV_STAT_NR] = {
	[KSRV_STAT_ACCEPTED] = "accepted",
	[KSRV_STAT_REFUSED] = "refused",
	[KSRV_STAT_CLOSED] = "closed",
	[KSRV_STAT_BYTES_IN] = "bytes_in",
	[KSRV_STAT_BYTES_OUT] = "bytes_out",
	[KSRV_STAT_BYTES_REF] = "bytes_in_by_ref",
	[KSRV_STAT_ERRORS] = "errors",
	[KSRV_STAT_RESETS] = "resets",
	[KSRV_STAT_TIMEOUTS] = "timeouts",
	[KSRV_STAT_ABORTS] = "aborts",
	[KSRV_STAT_MEM] = "mem_bytes",
};

void ksrv_stats_sum(struct ksrv_server *srv, struct ksrv_stats *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct ksrv_stats *s = per_cpu_ptr(srv->stats, cpu);

		for (i = 0; i < KSRV_STAT_NR; i++)
			sum->count[i] += READ_ONCE(s->count[i]);
	}
}

/*
 * Errors that the peer or the network caused, not we: counted as resets,
 * never logged.  ETIMEDOUT is keepalive or TCP_USER_TIMEOUT giving up.
 */
bool ksrv_peer_error(int err)
{
	switch (err) {
	case -ECONNRESET:
	case -EPIPE:
	case -ECONNABORTED:
	case -ETIMEDOUT:
	case -EHOSTUNREACH:
	case -ENETUNREACH:
	case -ENETDOWN:
		return true;
	default:
		return false;
	}
}

void ksrv_stats_count_close(struct ksrv_server *srv, int reason)
{
	ksrv_stat_inc(srv, KSRV_STAT_CLOSED);
	if (reason == KSRV_CLOSE_IDLE)
		ksrv_stat_inc(srv, KSRV_STAT_TIMEOUTS);
	else if (reason < 0 && ksrv_peer_error(reason))
		ksrv_stat_inc(srv, KSRV_STAT_RESETS);
	else if (reason < 0)
		ksrv_stat_inc(srv, KSRV_STAT_ERRORS);
}

static int ksrv_stats_show(struct seq_file *m, void *v)
{
	struct ksrv_server *srv = m->private;
	struct ksrv_stats s;
	unsigned int active;
	int i;

	ksrv_stats_sum(srv, &s);
	spin_lock(&srv->lock);
	active = srv->nconns;
	spin_unlock(&srv->lock);

	/*
	 * A gauge summed without a snapshot can come out briefly below zero
	 * (freed on a CPU already summed after being counted on one not yet);
	 * show that as 0 rather than as a huge number.
	 */
	if ((s64)s.count[KSRV_STAT_MEM] < 0)
		s.count[KSRV_STAT_MEM] = 0;
	for (i = 0; i < KSRV_STAT_NR; i++)
		seq_printf(m, "%s %llu\n", ksrv_stat_names[i], s.count[i]);
	seq_printf(m, "active %u\n", active);
	seq_printf(m, "design %s\n", ksrv_design_name(srv->cfg.design));
	seq_printf(m, "wq %s\n", ksrv_wq_name(srv->cfg.wq));
	seq_printf(m, "max_active %d\n",
		   srv->cfg.max_active ? srv->cfg.max_active : WQ_DFL_ACTIVE);
	seq_printf(m, "backlog %d\n", srv->backlog);
	seq_printf(m, "send_cap %u\n", srv->cfg.send_cap);
	seq_printf(m, "keepalive %u\n", srv->cfg.keepalive);
	if (srv->proto->show)
		srv->proto->show(m, srv);
	return 0;
}

int ksrv_stats_init(struct ksrv_server *srv)
{
	srv->stats = alloc_percpu(struct ksrv_stats);
	if (!srv->stats)
		return -ENOMEM;
	srv->proc = proc_create_single_data(srv->proto->name, 0444,
					    init_net.proc_net,
					    ksrv_stats_show, srv);
	if (!srv->proc) {
		free_percpu(srv->stats);
		return -ENOMEM;
	}
	return 0;
}

/* proc_remove() waits for readers, so the counters can go right after. */
void ksrv_stats_free(struct ksrv_server *srv)
{
	proc_remove(srv->proc);
	free_percpu(srv->stats);
}
