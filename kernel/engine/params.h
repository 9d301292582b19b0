/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine's module parameters, declared once for every protocol
 * module.  In the module's main.c:
 *
 *   KSRV_MODULE_PARAMS(8080);
 *   ...
 *   struct ksrv_params p = KSRV_PARAMS("khttpd");
 *
 * The names, defaults and descriptions are the same in every protocol;
 * only the default port differs.
 */
#ifndef KSRV_PARAMS_H
#define KSRV_PARAMS_H

#include <linux/moduleparam.h>

#include "ksrv.h"

#define KSRV_PARAM_INT(name, def, desc)				\
	static int ksrv_p_##name = def;				\
	module_param_named(name, ksrv_p_##name, int, 0444);	\
	MODULE_PARM_DESC(name, desc)

#define KSRV_PARAM_STR(name, def, desc)				\
	static char *ksrv_p_##name = def;			\
	module_param_named(name, ksrv_p_##name, charp, 0444);	\
	MODULE_PARM_DESC(name, desc)

#define KSRV_MODULE_PARAMS(default_port)					\
	KSRV_PARAM_INT(port, default_port,					\
		       "TCP port to listen on, 1..65535 (default "		\
		       __stringify(default_port) ")");				\
	KSRV_PARAM_STR(addr, "127.0.0.1",					\
		       "IPv4 or IPv6 address literal to listen on (default 127.0.0.1; 0.0.0.0 or :: for all; [::1] accepted)"); \
	KSRV_PARAM_INT(backlog, 4096,						\
		       "listen() backlog, at least 1, capped at net.core.somaxconn (default 4096)"); \
	KSRV_PARAM_INT(max_conns, 65536,					\
		       "most connections at once, 0 for no limit; those over it are closed at once (default 65536)"); \
	KSRV_PARAM_INT(idle_timeout, 0,						\
		       "seconds without traffic before a connection is closed, 0 for never (default 0)"); \
	KSRV_PARAM_STR(design, "event",						\
		       "event (default), or a historical design for comparison: blocking (a work item per connection) or kthread (a thread per connection)"); \
	KSRV_PARAM_STR(wq, "percpu",						\
		       "workqueue flavour: percpu (default), unbound or highpri"); \
	KSRV_PARAM_INT(max_active, 0,						\
		       "workqueue max_active, 0 for the kernel default (256)"); \
	KSRV_PARAM_INT(send_cap, 256,						\
		       "KiB a connection may have queued for TCP, 64..65536 (default 256); memory is at most max_conns times this"); \
	KSRV_PARAM_INT(keepalive, 120,						\
		       "seconds idle before TCP keepalive probes find a vanished peer, 0 for off (default 120)")

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
