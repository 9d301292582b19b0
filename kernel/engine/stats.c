// SPDX-License-Identifier: GPL-2.0
/*
 * Counters.  The hot path bumps a per-CPU copy with this_cpu_add(); a
 * reader of /proc/net/<proto> sums the copies.  A sum may be a few
 * microseconds stale, never torn (each counter is one 64-bit word).
 */
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "internal.h"

void ksrv_stats_sum(struct ksrv_server *srv, struct ksrv_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct ksrv_stats *s = per_cpu_ptr(srv->stats, cpu);

		sum->accepted += READ_ONCE(s->accepted);
		sum->refused += READ_ONCE(s->refused);
		sum->closed += READ_ONCE(s->closed);
		sum->bytes_in += READ_ONCE(s->bytes_in);
		sum->bytes_out += READ_ONCE(s->bytes_out);
		sum->errors += READ_ONCE(s->errors);
		sum->resets += READ_ONCE(s->resets);
		sum->timeouts += READ_ONCE(s->timeouts);
	}
}

void ksrv_stats_count_close(struct ksrv_server *srv, int reason)
{
	ksrv_stat_inc(srv, closed);
	switch (reason) {
	case KSRV_CLOSE_DONE:
	case KSRV_CLOSE_KILLED:
		break;
	case KSRV_CLOSE_IDLE:
	case -ETIMEDOUT:
		ksrv_stat_inc(srv, timeouts);
		break;
	case -ECONNRESET:
	case -EPIPE:
		ksrv_stat_inc(srv, resets);
		break;
	default:
		ksrv_stat_inc(srv, errors);
		break;
	}
}

static int ksrv_stats_show(struct seq_file *m, void *v)
{
	struct ksrv_server *srv = m->private;
	struct ksrv_stats s;
	unsigned int active;

	ksrv_stats_sum(srv, &s);
	spin_lock(&srv->lock);
	active = srv->nconns;
	spin_unlock(&srv->lock);

	seq_printf(m, "accepted %llu\n", s.accepted);
	seq_printf(m, "active %u\n", active);
	seq_printf(m, "refused %llu\n", s.refused);
	seq_printf(m, "closed %llu\n", s.closed);
	seq_printf(m, "bytes_in %llu\n", s.bytes_in);
	seq_printf(m, "bytes_out %llu\n", s.bytes_out);
	seq_printf(m, "errors %llu\n", s.errors);
	seq_printf(m, "resets %llu\n", s.resets);
	seq_printf(m, "timeouts %llu\n", s.timeouts);
	seq_printf(m, "design %s\n", ksrv_design_name(srv->cfg.design));
	seq_printf(m, "wq %s\n", ksrv_wq_name(srv->cfg.wq));
	seq_printf(m, "max_active %d\n",
		   srv->cfg.max_active ? srv->cfg.max_active : WQ_DFL_ACTIVE);
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
