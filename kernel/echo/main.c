// SPDX-License-Identifier: GPL-2.0
/*
 * kecho.ko: an in-kernel TCP echo server on the ksrv connection engine.
 *
 * Try it:  insmod kecho.ko port=12345 && nc 127.0.0.1 12345
 * Counters: cat /proc/net/kecho
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "echo.h"

static int port = 12345;
module_param(port, int, 0444);
MODULE_PARM_DESC(port, "TCP port to listen on, 1..65535 (default 12345)");

static char *addr = "127.0.0.1";
module_param(addr, charp, 0444);
MODULE_PARM_DESC(addr, "IPv4 or IPv6 address literal to listen on (default 127.0.0.1; 0.0.0.0 or :: for all)");

static int backlog = 4096;
module_param(backlog, int, 0444);
MODULE_PARM_DESC(backlog, "listen() backlog, at least 1, capped by net.core.somaxconn (default 4096)");

static int max_conns = 65536;
module_param(max_conns, int, 0444);
MODULE_PARM_DESC(max_conns, "most connections at once, 0 for no limit; those over it are closed at once (default 65536)");

static int idle_timeout;
module_param(idle_timeout, int, 0444);
MODULE_PARM_DESC(idle_timeout, "seconds without traffic before a connection is closed, 0 for never (default 0)");

static char *design = "event";
module_param(design, charp, 0444);
MODULE_PARM_DESC(design, "event (default), or a historical design for comparison: blocking (a work item per connection) or kthread (a thread per connection)");

static char *wq = "percpu";
module_param(wq, charp, 0444);
MODULE_PARM_DESC(wq, "workqueue flavour: percpu (default), unbound or highpri");

static int max_active;
module_param(max_active, int, 0444);
MODULE_PARM_DESC(max_active, "workqueue max_active, 0 for the kernel default (256)");

static struct ksrv_server *kecho_server;

static int __init kecho_init(void)
{
	const struct ksrv_params params = {
		.port = port,
		.addr = addr,
		.backlog = backlog,
		.max_conns = max_conns,
		.idle_timeout = idle_timeout,
		.design = design,
		.wq = wq,
		.max_active = max_active,
	};
	struct ksrv_config cfg;
	int err;

	err = ksrv_config_parse(&cfg, &params);
	if (err)
		return err;
	kecho_server = ksrv_server_start(&kecho_proto, &cfg);
	return PTR_ERR_OR_ZERO(kecho_server);
}

static void __exit kecho_exit(void)
{
	ksrv_server_stop(kecho_server);
}

module_init(kecho_init);
module_exit(kecho_exit);

MODULE_DESCRIPTION("In-kernel TCP echo server, event-driven on CMWQ");
MODULE_AUTHOR("The kecho developers");
MODULE_LICENSE("GPL");
