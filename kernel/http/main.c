// SPDX-License-Identifier: GPL-2.0
/*
 * khttpd.ko: an HTTP/1.1 static file server in the kernel, on ksrv.
 *
 * Try it:  insmod ksrv.ko && insmod khttpd.ko docroot=/srv/www port=8080
 *          curl -v http://127.0.0.1:8080/
 * Counters: cat /proc/net/khttpd
 * Access log: perf trace -e khttpd:khttpd_request
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "../engine/params.h"
#include "khttpd.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/*
 * wq=spread by default: a web server's clients open connection after
 * connection from one CPU each (and loopback, or a NIC with one queue,
 * raises every event on one CPU), so serving each where its event came
 * leaves the other CPUs idle.  docs/design.md, "Where work runs", has
 * the measurements.
 */
KSRV_MODULE_PARAMS(8080, spread);

static char *docroot = "/var/www/html";
module_param(docroot, charp, 0444);
MODULE_PARM_DESC(docroot, "directory served (default /var/www/html); only regular, world-readable files beneath it, no symlinks followed");

static char *index = "index.html";
module_param(index, charp, 0444);
MODULE_PARM_DESC(index, "file served for a directory (default index.html)");

static bool listing;
module_param(listing, bool, 0444);
MODULE_PARM_DESC(listing, "list a directory without an index file (default off: 403)");

static int header_timeout = 10;
module_param(header_timeout, int, 0444);
MODULE_PARM_DESC(header_timeout, "seconds a client has to send a whole request head, 1..3600 (default 10; then 408)");

static int keepalive_timeout = 15;
module_param(keepalive_timeout, int, 0444);
MODULE_PARM_DESC(keepalive_timeout, "seconds an idle keep-alive connection is kept, 1..3600 (default 15)");

static int max_header_bytes = 8192;
module_param(max_header_bytes, int, 0444);
MODULE_PARM_DESC(max_header_bytes, "largest request head, 256..65536 bytes (default 8192; then 431)");

static int max_requests;
module_param(max_requests, int, 0444);
MODULE_PARM_DESC(max_requests, "requests per connection before it is closed, 0 for no limit (default 0)");

static char *proxy = "off";
module_param(proxy, charp, 0444);
MODULE_PARM_DESC(proxy, "relay to backend=: off (default), fallback (what khttpd cannot serve: missing files, methods other than GET and HEAD) or all (every request)");

static char *backend;
module_param(backend, charp, 0444);
MODULE_PARM_DESC(backend, "userspace HTTP server for proxy=, as ADDR:PORT (\"127.0.0.1:8081\", \"[::1]:8081\")");

static int backend_timeout = 30;
module_param(backend_timeout, int, 0444);
MODULE_PARM_DESC(backend_timeout, "seconds the backend may stay silent, 1..3600 (default 30; then 504, or a reset once the response began)");

/* Longest request target before 414; decoded paths are shorter still. */
#define KHTTPD_MAX_TARGET	4096
#define KHTTPD_MAX_HEADERS	100

static struct khttpd_server *khttpd;

#define khttpd_bad(fmt, ...) \
	pr_err("khttpd: invalid " fmt, ##__VA_ARGS__)

static int khttpd_check_range(const char *name, int v, int lo, int hi)
{
	if (v >= lo && v <= hi)
		return 0;
	khttpd_bad("%s=%d: must be %d..%d\n", name, v, lo, hi);
	return -EINVAL;
}

static int khttpd_check_index(const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (len && len <= NAME_MAX && !strchr(s, '/') && strcmp(s, ".") &&
	    strcmp(s, ".."))
		return 0;
	khttpd_bad("index=%.64s: must be a file name (no '/', not . or ..)\n",
		   s ? s : "(null)");
	return -EINVAL;
}

static const char *const khttpd_proxy_names[] = {
	[KHTTPD_PROXY_OFF] = "off",
	[KHTTPD_PROXY_FALLBACK] = "fallback",
	[KHTTPD_PROXY_ALL] = "all",
};

/* The relay's parameters; @kcfg is the engine's, already checked. */
static int khttpd_config_proxy(struct khttpd_config *cfg,
			       const struct ksrv_config *kcfg)
{
	int i = proxy ? sysfs_match_string(khttpd_proxy_names, proxy) : -1;

	if (i < 0) {
		khttpd_bad("proxy=%.32s: must be off, fallback or all\n",
			   proxy ? proxy : "(null)");
		return -EINVAL;
	}
	cfg->proxy = i;
	if (khttpd_check_range("backend_timeout", backend_timeout, 1, 3600))
		return -EINVAL;
	cfg->backend_timeout = backend_timeout;
	if (cfg->proxy == KHTTPD_PROXY_OFF) {
		if (backend && *backend) {
			khttpd_bad("backend=%.64s: given with proxy=off\n",
				   backend);
			return -EINVAL;
		}
		return 0;
	}
	if (!backend || ksrv_endpoint_parse(backend, &cfg->backend,
					    &cfg->backend_len)) {
		khttpd_bad("backend=%.64s: must be IP:PORT ([IPv6]:PORT)\n",
			   backend ? backend : "(null)");
		return -EINVAL;
	}
	if (kcfg->design != KSRV_DESIGN_EVENT) {
		khttpd_bad("proxy=%s: needs design=event, not %s\n", proxy,
			   ksrv_design_name(kcfg->design));
		return -EINVAL;
	}
	/* a head in each direction, rewritten, fits the send queue twice */
	if (kcfg->send_cap < 2 * (max_header_bytes + 1024)) {
		khttpd_bad("send_cap=%u: proxy needs 2 * (max_header_bytes + 1 KiB)\n",
			   kcfg->send_cap / 1024);
		return -EINVAL;
	}
	return 0;
}

static int khttpd_config(struct khttpd_config *cfg,
			 const struct ksrv_config *kcfg)
{
	int err;

	err = khttpd_check_range("header_timeout", header_timeout, 1, 3600) ?:
	      khttpd_check_range("keepalive_timeout", keepalive_timeout, 1,
				 3600) ?:
	      khttpd_check_range("max_header_bytes", max_header_bytes, 256,
				 65536) ?:
	      khttpd_check_range("max_requests", max_requests, 0, INT_MAX) ?:
	      khttpd_check_index(index) ?:
	      khttpd_config_proxy(cfg, kcfg);
	if (err)
		return err;
	if (!docroot || !*docroot) {
		khttpd_bad("docroot=: must name a directory\n");
		return -EINVAL;
	}
	err = kern_path(docroot, LOOKUP_FOLLOW | LOOKUP_DIRECTORY,
			&cfg->docroot);
	if (err) {
		khttpd_bad("docroot=%.128s: not a directory (%d)\n", docroot,
			   err);
		return -EINVAL;
	}
	cfg->index = index;
	cfg->listing = listing;
	cfg->header_timeout = header_timeout;
	cfg->keepalive_timeout = keepalive_timeout;
	cfg->max_requests = max_requests;
	cfg->limits.max_head = max_header_bytes;
	cfg->limits.max_target = min(KHTTPD_MAX_TARGET, max_header_bytes);
	cfg->limits.max_headers = KHTTPD_MAX_HEADERS;
	return 0;
}

static int __init khttpd_init(void)
{
	const struct ksrv_params params = KSRV_PARAMS("khttpd");
	struct ksrv_config kcfg;
	int err;

	err = ksrv_config_parse(&kcfg, &params);
	if (err)
		return err;
	khttpd = kzalloc(sizeof(*khttpd), GFP_KERNEL);
	if (!khttpd)
		return -ENOMEM;
	err = khttpd_config(&khttpd->cfg, &kcfg);
	if (err)
		goto err_free;
	err = khttpd_stats_init(khttpd);
	if (err)
		goto err_path;
	khttpd->srv = ksrv_server_start(&khttpd_proto, &kcfg, khttpd);
	if (IS_ERR(khttpd->srv)) {
		err = PTR_ERR(khttpd->srv);
		goto err_stats;
	}
	return 0;

err_stats:
	khttpd_stats_free(khttpd);
err_path:
	path_put(&khttpd->cfg.docroot);
err_free:
	kfree(khttpd);
	return err;
}

static void __exit khttpd_exit(void)
{
	ksrv_server_stop(khttpd->srv);
	khttpd_stats_free(khttpd);
	path_put(&khttpd->cfg.docroot);
	kfree(khttpd);
}

module_init(khttpd_init);
module_exit(khttpd_exit);

KSRV_IMPORT();
MODULE_DESCRIPTION("khttpd: HTTP/1.1 static file server in the kernel, zero-copy from the page cache");
MODULE_AUTHOR("The kecho developers");
MODULE_LICENSE("GPL");
