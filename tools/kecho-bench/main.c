// SPDX-License-Identifier: GPL-2.0
/*
 * kecho-bench: a verifying TCP echo benchmark client.
 *
 * main.c parses the options, raises the file limit, starts one worker
 * thread per -T, sets the phase clock once every worker has connected, and
 * merges and reports the workers' results.  The work is in loop.c (event
 * loop), thread.c (--client thread: a blocking thread per connection),
 * conn.c (one connection), proto.c (message format), hist.c
 * (latency histogram) and report.c (output).
 *
 * Try it:  epoll-echo -a 127.0.0.1:12345 &
 *          kecho-bench -a 127.0.0.1:12345 -c 50 -t 5
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static const char usage_text[] =
"usage: kecho-bench [options]\n"
"  -a ADDR:PORT  server, e.g. 127.0.0.1:12345 or [::1]:12345\n"
"                (default 127.0.0.1:12345)\n"
"  -c CONNS      connections (default 50)\n"
"  -l LENGTH     message size in bytes, at least 16 (default 64)\n"
"  -t SECONDS    measured duration (default 10)\n"
"  -w SECONDS    warm-up before measuring (default 1)\n"
"  -T THREADS    client threads (default: CPUs, at most CONNS)\n"
"  -m MODE       pingpong   one message in flight per connection (default)\n"
"                pipeline   -d DEPTH messages in flight per connection\n"
"                rate       open loop: -r MSGS_PER_SEC in all, latency from\n"
"                           the scheduled send time\n"
"                connect    connect, one echo, close, repeat\n"
"  -d DEPTH      pipeline depth (default 16)\n"
"  -r RATE       messages per second over all connections (rate mode)\n"
"  --client KIND event   -T threads, each an epoll loop over its connections\n"
"                        (default)\n"
"                thread  one thread per connection, blocking sockets;\n"
"                        -m pingpong only, -T ignored\n"
"  --cpu         read /proc/stat at the start and the end of the measured\n"
"                time: the whole machine's busy CPU (the window's CPU time\n"
"                less idle), and per message echoed\n"
"  --json        print one JSON object instead of a table\n"
"  --csv         print a CSV header line and one row\n"
"  -h, --help    this text\n"
"Every echoed byte is verified.  Exit status: 0 if all echoes matched,\n"
"1 on any error or connect failure, 2 on bad usage.\n";

static void bad_usage(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

static void bad_usage(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fputs("kecho-bench: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fputs(usage_text, stderr);
	exit(2);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static unsigned long parse_uint(const char *s, char opt, unsigned long min,
				unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < min || v > max)
		bad_usage("-%c: '%s' is not a number in %lu..%lu", opt, s,
			  min, max);
	return v;
}

static double parse_num(const char *s, char opt, double min, double max)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !(v >= min && v <= max))
		bad_usage("-%c: '%s' is not a number in %g..%g", opt, s, min, max);
	return v;
}

/*
 * CPUs we may run on.  From the affinity mask rather than sysconf(), which
 * reads /sys or /proc, and those may not be mounted in a minimal initramfs.
 */
unsigned int online_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	return CPU_COUNT(&set);
}

static enum bench_mode parse_mode(const char *s)
{
	enum bench_mode m;

	for (m = MODE_PINGPONG; m <= MODE_CONNECT; m++)
		if (!strcmp(s, bench_mode_name(m)))
			return m;
	bad_usage("-m: unknown mode '%s'", s);
}

static void parse_args(struct bench_cfg *cfg, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "csv", no_argument, NULL, 'C' },
		{ "client", required_argument, NULL, 'K' },
		{ "cpu", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *addr = "127.0.0.1:12345";
	int opt, depth = 0;

	*cfg = (struct bench_cfg){
		.mode = MODE_PINGPONG, .conns = 50, .len = 64,
		.duration = 10, .warmup = 1,
	};
	while ((opt = getopt_long(argc, argv, "a:c:l:t:w:T:m:d:r:h",
				  longopts, NULL)) != -1) {
		switch (opt) {
		case 'a': addr = optarg; break;
		case 'c': cfg->conns = parse_uint(optarg, 'c', 1, 1000000); break;
		case 'l':
			cfg->len = parse_uint(optarg, 'l', 0, PROTO_MAX_LEN);
			if (cfg->len < PROTO_HDR_LEN)
				bad_usage("-l: %u bytes cannot hold the %u-byte message header",
					  cfg->len, PROTO_HDR_LEN);
			break;
		case 't': cfg->duration = parse_num(optarg, 't', 0.001, 1e6); break;
		case 'w': cfg->warmup = parse_num(optarg, 'w', 0, 1e6); break;
		case 'T': cfg->threads = parse_uint(optarg, 'T', 1, 1024); break;
		case 'm': cfg->mode = parse_mode(optarg); break;
		case 'd': depth = parse_uint(optarg, 'd', 1, 4096); break;
		case 'r': cfg->rate = parse_num(optarg, 'r', 0.001, 1e9); break;
		case 'J': cfg->json = true; break;
		case 'C': cfg->csv = true; break;
		case 'U': cfg->cpu = true; break;
		case 'K':
			if (!strcmp(optarg, "event"))
				cfg->client = CLIENT_EVENT;
			else if (!strcmp(optarg, "thread"))
				cfg->client = CLIENT_THREAD;
			else
				bad_usage("--client: unknown client '%s' (event or thread)",
					  optarg);
			break;
		case 'h': fputs(usage_text, stdout); exit(0);
		default: bad_usage(NULL);
		}
	}
	if (optind < argc)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (addr_parse(&cfg->addr, addr))
		bad_usage("-a: '%s' is not ADDR:PORT (IPv6 as [ADDR]:PORT)", addr);
	addr_str(&cfg->addr, cfg->addr_name, sizeof(cfg->addr_name));
	if (depth && cfg->mode != MODE_PIPELINE)
		bad_usage("-d is for -m pipeline");
	cfg->depth = cfg->mode != MODE_PIPELINE ? 1 : depth ? depth : 16;
	if ((cfg->rate > 0) != (cfg->mode == MODE_RATE))
		bad_usage("-m rate needs -r, and -r needs -m rate");
	if (cfg->json && cfg->csv)
		bad_usage("--json or --csv, not both");
	if (cfg->client == CLIENT_THREAD) {
		if (cfg->mode != MODE_PINGPONG)
			bad_usage("--client thread runs -m pingpong only");
		cfg->threads = cfg->conns;	/* one per connection */
	}
	if (!cfg->threads)
		cfg->threads = online_cpus();
	if (cfg->threads > cfg->conns)
		cfg->threads = cfg->conns;
}

/* Every connection is a file descriptor; 10,000 of them exceed the usual 1024. */
static void raise_nofile(rlim_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur >= need)
		return;
	rl.rlim_cur = need;
	if (rl.rlim_max < need)
		rl.rlim_max = need;	/* works as root */
	if (!setrlimit(RLIMIT_NOFILE, &rl))
		return;
	rl.rlim_cur = rl.rlim_max = 0;		/* not root: take what we may */
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur < need)
		fprintf(stderr, "kecho-bench: open file limit %llu, want %llu\n",
			(unsigned long long)rl.rlim_cur, (unsigned long long)need);
}

/*
 * The first line of /proc/stat: CPU time of all CPUs in USER_HZ units.
 * *ticks is user, nice, system, irq, softirq and steal, which the kernel
 * samples at its timer tick; *idle is idle and iowait, which a tickless
 * kernel measures exactly on every entry to and exit from idle.  0, or -1
 * if it cannot be read.
 */
static int read_stat(double *ticks, double *idle)
{
	unsigned long long v[8] = { 0 };
	double hz = sysconf(_SC_CLK_TCK);
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 4)
		return -1;
	*ticks = (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / hz;
	*idle = (v[3] + v[4]) / hz;
	return 0;
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = { t / 1000000000, t % 1000000000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/*
 * --cpu: the main thread, idle while the workers run, samples the window.
 * Busy time is the window's CPU time less the idle time.  The tick's own
 * sample of busy time is kept beside it: a load that wakes the CPUs in
 * short bursts, as an open loop does, can fall between ticks or on them,
 * and under emulation the sample was seen to be off by a factor of three.
 */
static void measure_cpu(const struct bench_clock *clk, struct bench_stats *st)
{
	double k0, i0, k1, i1;
	uint64_t t0, t1;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	sleep_until(clk->t_meas);
	t0 = now_ns();
	if (read_stat(&k0, &i0))
		return;
	sleep_until(clk->t_end);
	t1 = now_ns();
	if (read_stat(&k1, &i1) || cpus < 1)
		return;
	st->cpu_total_s = (t1 - t0) / 1e9 * cpus;
	st->cpu_busy_s = st->cpu_total_s - (i1 - i0);
	if (st->cpu_busy_s < 0)
		st->cpu_busy_s = 0;
	st->cpu_tick_busy_s = k1 - k0;
}

static void merge(struct bench_stats *dst, const struct bench_stats *src)
{
	unsigned int i;

	dst->msgs += src->msgs;
	dst->bytes += src->bytes;
	dst->sent += src->sent;
	for (i = 0; i < ERR_KINDS; i++)
		dst->err[i] += src->err[i];
	dst->connect_failures += src->connect_failures;
	hist_merge(&dst->hist, &src->hist);
}

int main(int argc, char **argv)
{
	static struct bench_stats total;
	struct bench_clock clk = { 0 };
	pthread_barrier_t ready;
	pthread_attr_t attr;
	struct bench_cfg cfg;
	struct worker *w;
	uint64_t errors = 0;
	unsigned int i;

	parse_args(&cfg, argc, argv);
	signal(SIGPIPE, SIG_IGN);
	raise_nofile(cfg.conns + 64);

	w = calloc(cfg.threads, sizeof(*w));
	if (!w)
		return 1;
	pthread_barrier_init(&ready, NULL, cfg.threads + 1);
	/* a connection's thread needs little stack: its buffer is on the heap */
	pthread_attr_init(&attr);
	if (cfg.client == CLIENT_THREAD)
		pthread_attr_setstacksize(&attr, 128 << 10);
	for (i = 0; i < cfg.threads; i++) {
		bool thread = cfg.client == CLIENT_THREAD;

		w[i].cfg = &cfg;
		w[i].clk = &clk;
		w[i].ready = &ready;
		if ((thread ? thread_init(&w[i], i) : worker_init(&w[i], i)) ||
		    pthread_create(&w[i].tid, &attr,
				   thread ? thread_main : worker_main, &w[i])) {
			fprintf(stderr, "kecho-bench: out of memory or threads\n");
			return 1;
		}
	}
	pthread_barrier_wait(&ready);
	clk.t_start = now_ns();
	clk.t_meas = clk.t_start + (uint64_t)(cfg.warmup * 1e9);
	clk.t_end = clk.t_meas + (uint64_t)(cfg.duration * 1e9);
	pthread_barrier_wait(&ready);

	hist_init(&total.hist);
	total.cpu_busy_s = total.cpu_total_s = total.cpu_tick_busy_s = -1;
	if (cfg.cpu)
		measure_cpu(&clk, &total);
	for (i = 0; i < cfg.threads; i++) {
		pthread_join(w[i].tid, NULL);
		merge(&total, &w[i].st);
	}
	report_print(&cfg, &total);

	for (i = 0; i < ERR_KINDS; i++)
		errors += total.err[i];
	if (!total.msgs && !errors && !total.connect_failures)
		fprintf(stderr, "kecho-bench: no echo completed in the measured time\n");
	return errors || total.connect_failures || !total.msgs ? 1 : 0;
}
