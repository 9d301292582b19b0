// SPDX-License-Identifier: GPL-2.0
/*
 * The result: a table for people, or one JSON object or one CSV row for
 * scripts and plots.  Latencies are kept in nanoseconds and shown in
 * microseconds; rates are per second of measured time.
 */
#include <stdio.h>

#include "bench.h"

static const char *const mode_name[] = {
	[MODE_PINGPONG] = "pingpong", [MODE_PIPELINE] = "pipeline",
	[MODE_RATE] = "rate", [MODE_CONNECT] = "connect",
};

const char *bench_mode_name(enum bench_mode mode)
{
	return mode_name[mode];
}

const char *bench_client_name(enum client_kind client)
{
	return client == CLIENT_THREAD ? "thread" : "event";
}

struct summary {
	double mps, bps;
	double p50, p90, p99, p999, max, min, mean;	/* us */
	unsigned long long errors;
};

static void summarise(const struct bench_cfg *cfg, const struct bench_stats *st,
		      struct summary *s)
{
	const struct hist *h = &st->hist;
	unsigned int i;

	s->mps = st->msgs / cfg->duration;
	s->bps = st->bytes / cfg->duration;
	s->p50 = hist_percentile(h, 50) / 1e3;
	s->p90 = hist_percentile(h, 90) / 1e3;
	s->p99 = hist_percentile(h, 99) / 1e3;
	s->p999 = hist_percentile(h, 99.9) / 1e3;
	s->max = h->max / 1e3;
	s->min = h->count ? h->min / 1e3 : 0;
	s->mean = h->count ? (double)h->sum / h->count / 1e3 : 0;
	s->errors = 0;
	for (i = 0; i < ERR_KINDS; i++)
		s->errors += st->err[i];
}

static void print_json(const struct bench_cfg *cfg, const struct bench_stats *st,
		       const struct summary *s)
{
	printf("{\"msgs_per_sec\":%.1f,\"bytes_per_sec\":%.1f,"
	       "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,"
	       "\"p999_us\":%.1f,\"max_us\":%.1f,\"min_us\":%.1f,\"mean_us\":%.1f,"
	       "\"msgs\":%llu,\"sent\":%llu,\"errors\":%llu,"
	       "\"errors_mismatch\":%llu,\"errors_extra\":%llu,"
	       "\"errors_eof\":%llu,\"errors_reset\":%llu,\"errors_stall\":%llu,"
	       "\"connect_failures\":%llu,"
	       "\"address\":\"%s\",\"conns\":%u,\"threads\":%u,\"length\":%u,"
	       "\"mode\":\"%s\",\"client\":\"%s\",\"depth\":%u,\"rate\":%.1f,"
	       "\"duration_s\":%g,\"warmup_s\":%g,"
	       "\"cpu_busy_s\":%.3f,\"cpu_total_s\":%.3f,\"cpu_tick_busy_s\":%.2f,"
	       "\"cpu_us_per_msg\":%.2f}\n",
	       s->mps, s->bps, s->p50, s->p90, s->p99, s->p999, s->max,
	       s->min, s->mean,
	       (unsigned long long)st->msgs, (unsigned long long)st->sent,
	       s->errors,
	       (unsigned long long)st->err[ERR_MISMATCH],
	       (unsigned long long)st->err[ERR_EXTRA],
	       (unsigned long long)st->err[ERR_EOF],
	       (unsigned long long)st->err[ERR_RESET],
	       (unsigned long long)st->err[ERR_STALL],
	       (unsigned long long)st->connect_failures,
	       cfg->addr_name, cfg->conns, cfg->threads, cfg->len,
	       mode_name[cfg->mode], bench_client_name(cfg->client),
	       cfg->depth, cfg->rate, cfg->duration, cfg->warmup,
	       st->cpu_busy_s, st->cpu_total_s, st->cpu_tick_busy_s,
	       st->cpu_busy_s >= 0 && st->msgs ? st->cpu_busy_s * 1e6 / st->msgs : -1);
}

static void print_csv(const struct bench_cfg *cfg, const struct bench_stats *st,
		      const struct summary *s)
{
	puts("mode,address,conns,threads,length,depth,rate,duration_s,"
	     "msgs_per_sec,bytes_per_sec,p50_us,p90_us,p99_us,p999_us,max_us,"
	     "msgs,errors,connect_failures,client");
	printf("%s,%s,%u,%u,%u,%u,%.1f,%g,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,"
	       "%llu,%llu,%llu,%s\n",
	       mode_name[cfg->mode], cfg->addr_name, cfg->conns, cfg->threads,
	       cfg->len, cfg->depth, cfg->rate, cfg->duration,
	       s->mps, s->bps, s->p50, s->p90, s->p99, s->p999, s->max,
	       (unsigned long long)st->msgs, s->errors,
	       (unsigned long long)st->connect_failures,
	       bench_client_name(cfg->client));
}

static void print_table(const struct bench_cfg *cfg,
			const struct bench_stats *st, const struct summary *s)
{
	printf("kecho-bench %s %s: %u conns, %u %sthreads, %u B messages",
	       mode_name[cfg->mode], cfg->addr_name, cfg->conns, cfg->threads,
	       cfg->client == CLIENT_THREAD ? "blocking " : "", cfg->len);
	if (cfg->mode == MODE_PIPELINE)
		printf(", depth %u", cfg->depth);
	if (cfg->mode == MODE_RATE)
		printf(", %.0f msgs/s offered", cfg->rate);
	printf(", %g s (+%g s warm-up)\n", cfg->duration, cfg->warmup);
	printf("  throughput   %.0f msgs/s  %.2f MB/s\n", s->mps, s->bps / 1e6);
	printf("  latency us   p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f\n",
	       s->p50, s->p90, s->p99, s->p999, s->max);
	printf("  messages     %llu echoed, %llu sent\n",
	       (unsigned long long)st->msgs, (unsigned long long)st->sent);
	printf("  errors       %llu (mismatch %llu, extra %llu, eof %llu, reset %llu, stall %llu)\n",
	       s->errors,
	       (unsigned long long)st->err[ERR_MISMATCH],
	       (unsigned long long)st->err[ERR_EXTRA],
	       (unsigned long long)st->err[ERR_EOF],
	       (unsigned long long)st->err[ERR_RESET],
	       (unsigned long long)st->err[ERR_STALL]);
	printf("  connect failures %llu\n",
	       (unsigned long long)st->connect_failures);
	if (st->cpu_busy_s >= 0)
		printf("  CPU          %.2f s busy of %.2f s (whole machine), %.1f us a message (tick sample %.2f s)\n",
		       st->cpu_busy_s, st->cpu_total_s,
		       st->msgs ? st->cpu_busy_s * 1e6 / st->msgs : 0,
		       st->cpu_tick_busy_s);
}

void report_print(const struct bench_cfg *cfg, const struct bench_stats *st)
{
	struct summary s;

	summarise(cfg, st, &s);
	if (cfg->json)
		print_json(cfg, st, &s);
	else if (cfg->csv)
		print_csv(cfg, st, &s);
	else
		print_table(cfg, st, &s);
	fflush(stdout);
}
