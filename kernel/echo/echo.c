// SPDX-License-Identifier: GPL-2.0
/*
 * The echo protocol: every byte received goes back, in order, exactly as
 * many as arrived.  The engine hands us only the bytes recvmsg() returned,
 * so there is nothing to measure with strlen() and nothing to terminate.
 * A receive is at most 64 KiB and send_cap at least that, so a send
 * always fits; what TCP does not take waits in the engine's queue, and
 * the engine reads no more until it is gone.
 */
#include "echo.h"

static int kecho_on_data(struct ksrv_conn *conn, const void *buf, size_t len)
{
	long room = ksrv_conn_send(conn, buf, len, 0);

	return room < 0 ? room : KSRV_CONTINUE;
}

const struct ksrv_proto kecho_proto = {
	.name = "kecho",
	.on_data = kecho_on_data,
};
