// SPDX-License-Identifier: GPL-2.0
/*
 * khttpd's counters, per CPU on the hot path, shown after the engine's
 * own in /proc/net/khttpd.
 */
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "khttpd.h"

static const char *const khttpd_stat_names[KHTTPD_STAT_NR] = {
	[KHTTPD_STAT_REQUESTS] = "requests",
	[KHTTPD_STAT_1XX] = "status_1xx",
	[KHTTPD_STAT_2XX] = "status_2xx",
	[KHTTPD_STAT_3XX] = "status_3xx",
	[KHTTPD_STAT_4XX] = "status_4xx",
	[KHTTPD_STAT_5XX] = "status_5xx",
	[KHTTPD_STAT_BODY_BYTES] = "body_bytes",
	[KHTTPD_STAT_HEADER_TIMEOUTS] = "header_timeouts",
	[KHTTPD_STAT_KEEPALIVE_TIMEOUTS] = "keepalive_timeouts",
	[KHTTPD_STAT_RELAYED] = "relayed",
	[KHTTPD_STAT_RELAY_ERRORS] = "relay_errors",
	[KHTTPD_STAT_RELAY_TIMEOUTS] = "relay_timeouts",
};

void khttpd_stats_status(struct khttpd_server *ks, int status)
{
	if (status >= 100 && status < 600)
		khttpd_stat_add(ks, KHTTPD_STAT_1XX + status / 100 - 1, 1);
}

void khttpd_stats_show(struct seq_file *m, struct ksrv_server *srv)
{
	struct khttpd_server *ks = ksrv_server_priv(srv);
	u64 sum[KHTTPD_STAT_NR] = {};
	int cpu, i;

	for_each_possible_cpu(cpu) {
		const struct khttpd_stats *s = per_cpu_ptr(ks->stats, cpu);

		for (i = 0; i < KHTTPD_STAT_NR; i++)
			sum[i] += READ_ONCE(s->count[i]);
	}
	for (i = 0; i < KHTTPD_STAT_NR; i++)
		seq_printf(m, "%s %llu\n", khttpd_stat_names[i], sum[i]);
	seq_printf(m, "header_timeout %u\n", ks->cfg.header_timeout);
	seq_printf(m, "keepalive_timeout %u\n", ks->cfg.keepalive_timeout);
	seq_printf(m, "max_header_bytes %u\n", ks->cfg.limits.max_head);
	seq_printf(m, "max_requests %u\n", ks->cfg.max_requests);
	seq_printf(m, "listing %d\n", ks->cfg.listing);
}

int khttpd_stats_init(struct khttpd_server *ks)
{
	ks->stats = alloc_percpu(struct khttpd_stats);
	return ks->stats ? 0 : -ENOMEM;
}

void khttpd_stats_free(struct khttpd_server *ks)
{
	free_percpu(ks->stats);
}
