/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine's module parameters, declared once for every protocol
 * module.  In the module's main.c:
 *
 *   KSRV_MODULE_PARAMS(8080, spread);
 *   ...
 *   struct ksrv_params p = KSRV_PARAMS("khttpd");
 *
 * The names, defaults and descriptions are the same in every protocol;
 * only the default port and workqueue flavour differ.
 */
#ifndef KSRV_PARAMS_H
#define KSRV_PARAMS_H

#include <linux/moduleparam.h>

#include "ksrv.h"

#define KSRV_MODULE_PARAMS(default_port, default_wq)			\
	static int ksrv_p_port = default_port;				\
	module_param_named(port, ksrv_p_port, int, 0444);		\
	MODULE_PARM_DESC(port,						\
			 "TCP port to listen on, 1..65535 (default "	\
			 __stringify(default_port) ")");		\
	static char *ksrv_p_addr = "127.0.0.1";				\
	module_param_named(addr, ksrv_p_addr, charp, 0444);		\
	MODULE_PARM_DESC(addr,						\
			 "IPv4 or IPv6 address literal to listen on "	\
			 "(default 127.0.0.1; 0.0.0.0 or :: for all; "	\
			 "[::1] accepted)");				\
	static int ksrv_p_backlog = 4096;				\
	module_param_named(backlog, ksrv_p_backlog, int, 0444);		\
	MODULE_PARM_DESC(backlog,					\
			 "listen() backlog, at least 1, capped at "	\
			 "net.core.somaxconn (default 4096)");		\
	static int ksrv_p_max_conns = 65536;				\
	module_param_named(max_conns, ksrv_p_max_conns, int, 0444);	\
	MODULE_PARM_DESC(max_conns,					\
			 "most connections at once, 0 for no limit; "	\
			 "those over it are closed at once "		\
			 "(default 65536)");				\
	static int ksrv_p_idle_timeout;					\
	module_param_named(idle_timeout, ksrv_p_idle_timeout, int, 0444); \
	MODULE_PARM_DESC(idle_timeout,					\
			 "seconds without traffic before a "		\
			 "connection is closed, 0 for never "		\
			 "(default 0)");				\
	static char *ksrv_p_design = "event";				\
	module_param_named(design, ksrv_p_design, charp, 0444);		\
	MODULE_PARM_DESC(design,					\
			 "event (default), or a historical design "	\
			 "for comparison: blocking (a work item per "	\
			 "connection) or kthread (a thread per "	\
			 "connection)");				\
	static char *ksrv_p_wq = __stringify(default_wq);		\
	module_param_named(wq, ksrv_p_wq, charp, 0444);			\
	MODULE_PARM_DESC(wq,						\
			 "workqueue: percpu (work runs on the CPU of "	\
			 "its network event), spread (per-CPU, each "	\
			 "connection on its own CPU, given in turn, "	\
			 "not the one of its first event), unbound "	\
			 "or highpri (default "				\
			 __stringify(default_wq) ")");			\
	static int ksrv_p_max_active;					\
	module_param_named(max_active, ksrv_p_max_active, int, 0444);	\
	MODULE_PARM_DESC(max_active,					\
			 "workqueue max_active, 0 for the kernel "	\
			 "default (256)");				\
	static int ksrv_p_send_cap = 256;				\
	module_param_named(send_cap, ksrv_p_send_cap, int, 0444);	\
	MODULE_PARM_DESC(send_cap,					\
			 "KiB a connection may have queued for "	\
			 "TCP, 64..65536 (default 256); all "		\
			 "connections together hold at most "		\
			 "max_conns times this");			\
	static int ksrv_p_keepalive = 120;				\
	module_param_named(keepalive, ksrv_p_keepalive, int, 0444);	\
	MODULE_PARM_DESC(keepalive,					\
			 "seconds idle before TCP keepalive probes "	\
			 "look for a vanished peer, 0 for off "		\
			 "(default 120)")

#define KSRV_PARAMS(proto_name) {				\
	.name = proto_name,					\
	.port = ksrv_p_port,					\
	.addr = ksrv_p_addr,					\
	.backlog = ksrv_p_backlog,				\
	.max_conns = ksrv_p_max_conns,				\
	.idle_timeout = ksrv_p_idle_timeout,			\
	.design = ksrv_p_design,				\
	.wq = ksrv_p_wq,					\
	.max_active = ksrv_p_max_active,			\
	.send_cap = ksrv_p_send_cap,				\
	.keepalive = ksrv_p_keepalive,				\
}

#endif /* KSRV_PARAMS_H */
