// SPDX-License-Identifier: GPL-2.0
/*
 * Validation of the operator's parameters.  Every rejected value gets one
 * log line that names the parameter, the value and what is allowed, and
 * makes the module fail to load with -EINVAL.
 */
#include <linux/ctype.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/tcp.h>

#include "internal.h"

static const char *const design_names[] = {
	[KSRV_DESIGN_EVENT] = "event",
	[KSRV_DESIGN_BLOCKING] = "blocking",
	[KSRV_DESIGN_KTHREAD] = "kthread",
};

static const char *const wq_names[] = {
	[KSRV_WQ_PERCPU] = "percpu",
	[KSRV_WQ_UNBOUND] = "unbound",
	[KSRV_WQ_HIGHPRI] = "highpri",
	[KSRV_WQ_SPREAD] = "spread",
};

const char *ksrv_design_name(enum ksrv_design design)
{
	return design_names[design];
}
EXPORT_SYMBOL_KSRV(ksrv_design_name);

const char *ksrv_wq_name(enum ksrv_wq_flavour wq)
{
	return wq_names[wq];
}
EXPORT_SYMBOL_KSRV(ksrv_wq_name);

/* Longest idle_timeout, so that seconds * HZ cannot overflow. */
#define KSRV_IDLE_MAX	(7 * 24 * 3600)
/* TCP_KEEPIDLE's own limit */
#define KSRV_KEEPALIVE_MAX	MAX_TCP_KEEPIDLE

#define cfg_err(p, fmt, ...) \
	pr_err("%s: invalid " fmt, (p)->name, ##__VA_ARGS__)

/* @s, of @len bytes, is a whole IPv4 or IPv6 literal. */
static int parse_addr_literal(struct sockaddr_storage *addr, int *addrlen,
			      const char *s, size_t len, int port)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)addr;
	struct sockaddr_in *sin = (struct sockaddr_in *)addr;
	const char *end;

	memset(addr, 0, sizeof(*addr));
	if (!len)
		return -EINVAL;
	if (in4_pton(s, len, (u8 *)&sin->sin_addr.s_addr, -1, &end) &&
	    end == s + len) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		*addrlen = sizeof(*sin);
		return 0;
	}
	if (in6_pton(s, len, sin6->sin6_addr.s6_addr, -1, &end) &&
	    end == s + len) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*addrlen = sizeof(*sin6);
		return 0;
	}
	return -EINVAL;
}

/* An IPv6 literal may come in brackets, as in a URL: "[::1]". */
static int parse_host(struct sockaddr_storage *addr, int *addrlen,
		      const char *s, size_t len, int port)
{
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		if (!memchr(s, ':', len))
			return -EINVAL;
		return parse_addr_literal(addr, addrlen, s + 1, len - 2, port);
	}
	return parse_addr_literal(addr, addrlen, s, len, port);
}

static int parse_addr(struct ksrv_config *cfg, const char *s, int port)
{
	return parse_host(&cfg->addr, &cfg->addrlen, s, strlen(s), port);
}

int ksrv_endpoint_parse(const char *s, struct sockaddr_storage *addr,
			int *addrlen)
{
	const char *colon = s ? strrchr(s, ':') : NULL;
	size_t hostlen;
	u16 port;

	if (!colon || kstrtou16(colon + 1, 10, &port) || !port ||
	    !isdigit(colon[1]))
		return -EINVAL;
	hostlen = colon - s;
	/* an IPv6 address needs its brackets here, or the port is unclear */
	if (memchr(s, ':', hostlen) && s[0] != '[')
		return -EINVAL;
	return parse_host(addr, addrlen, s, hostlen, port);
}
EXPORT_SYMBOL_KSRV(ksrv_endpoint_parse);

static int parse_name(const char *const *names, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sysfs_streq(s, names[i]))
			return i;
	return -EINVAL;
}

int ksrv_config_parse(struct ksrv_config *cfg, const struct ksrv_params *p)
{
	int i;

	if (p->port < 1 || p->port > 65535) {
		cfg_err(p, "port=%d: must be 1..65535\n", p->port);
		return -EINVAL;
	}
	if (!p->addr || parse_addr(cfg, p->addr, p->port)) {
		cfg_err(p, "addr=%.64s: not an IPv4 or IPv6 address literal\n",
			p->addr ? p->addr : "(null)");
		return -EINVAL;
	}
	if (p->backlog < 1) {
		cfg_err(p, "backlog=%d: must be at least 1\n", p->backlog);
		return -EINVAL;
	}
	if (p->max_conns < 0) {
		cfg_err(p, "max_conns=%d: must be 0 (no limit) or more\n",
			p->max_conns);
		return -EINVAL;
	}
	if (p->idle_timeout < 0 || p->idle_timeout > KSRV_IDLE_MAX) {
		cfg_err(p, "idle_timeout=%d: must be 0 (off) to %d seconds\n",
			p->idle_timeout, KSRV_IDLE_MAX);
		return -EINVAL;
	}
	if (p->max_active < 0 || p->max_active > WQ_MAX_ACTIVE) {
		cfg_err(p, "max_active=%d: must be 0 (default) to %d\n",
			p->max_active, WQ_MAX_ACTIVE);
		return -EINVAL;
	}

	i = p->design ? parse_name(design_names, ARRAY_SIZE(design_names),
				   p->design) : -EINVAL;
	if (i < 0) {
		cfg_err(p, "design=%.32s: must be event, blocking or kthread\n",
			p->design ? p->design : "(null)");
		return -EINVAL;
	}
	cfg->design = i;

	i = p->wq ? parse_name(wq_names, ARRAY_SIZE(wq_names), p->wq) : -EINVAL;
	if (i < 0) {
		cfg_err(p, "wq=%.32s: must be percpu, unbound, highpri or spread\n",
			p->wq ? p->wq : "(null)");
		return -EINVAL;
	}
	cfg->wq = i;

	if (p->send_cap < KSRV_SEND_CAP_MIN ||
	    p->send_cap > KSRV_SEND_CAP_MAX) {
		cfg_err(p, "send_cap=%d: must be %d to %d KiB\n", p->send_cap,
			KSRV_SEND_CAP_MIN, KSRV_SEND_CAP_MAX);
		return -EINVAL;
	}
	if (p->keepalive < 0 || p->keepalive > KSRV_KEEPALIVE_MAX) {
		cfg_err(p, "keepalive=%d: must be 0 (off) to %d seconds\n",
			p->keepalive, KSRV_KEEPALIVE_MAX);
		return -EINVAL;
	}

	cfg->send_cap = p->send_cap * 1024;
	cfg->keepalive = p->keepalive;
	cfg->backlog = p->backlog;
	cfg->max_conns = p->max_conns;
	cfg->idle_timeout = p->idle_timeout;
	cfg->max_active = p->max_active;
	return 0;
}
EXPORT_SYMBOL_KSRV(ksrv_config_parse);
