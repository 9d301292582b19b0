// SPDX-License-Identifier: GPL-2.0
/*
 * ksrv.ko: the connection engine that kecho.ko and khttpd.ko run on.  It
 * serves nothing by itself; each protocol module starts its own server
 * (ksrv_server_start()), and the engine's symbols are in the KSRV
 * namespace.  See ksrv.h for the API.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("ksrv: in-kernel TCP connection engine on CMWQ");
MODULE_AUTHOR("The kecho developers");
MODULE_LICENSE("GPL");
