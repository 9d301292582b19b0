// SPDX-License-Identifier: GPL-2.0
/*
 * kecho.ko: an in-kernel TCP echo server on the ksrv connection engine.
 *
 * Try it:  insmod ksrv.ko && insmod kecho.ko port=12345
 *          nc 127.0.0.1 12345
 * Counters: cat /proc/net/kecho
 */
#include <linux/err.h>
#include <linux/module.h>

#include "../engine/params.h"
#include "echo.h"

KSRV_MODULE_PARAMS(12345, percpu);

static bool zerocopy;
module_param(zerocopy, bool, 0444);
MODULE_PARM_DESC(zerocopy, "Echo received pages by reference, without copying them (event design) (default: off)");

static struct ksrv_server *kecho_server;

static int __init kecho_init(void)
{
	const struct ksrv_params params = KSRV_PARAMS("kecho");
	struct ksrv_config cfg;
	int err;

	err = ksrv_config_parse(&cfg, &params);
	if (err)
		return err;
	kecho_server = ksrv_server_start(zerocopy ? &kecho_zerocopy_proto :
					 &kecho_proto, &cfg, NULL);
	return PTR_ERR_OR_ZERO(kecho_server);
}

static void __exit kecho_exit(void)
{
	ksrv_server_stop(kecho_server);
}

module_init(kecho_init);
module_exit(kecho_exit);

KSRV_IMPORT();
MODULE_DESCRIPTION("In-kernel TCP echo server, event-driven on CMWQ");
MODULE_AUTHOR("The kecho developers");
MODULE_LICENSE("GPL");
