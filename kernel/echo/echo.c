// SPDX-License-Identifier: GPL-2.0
/*
 * The echo protocol: every byte received goes back, in order, exactly as
 * many as arrived.  The engine hands us only the bytes recvmsg() returned,
 * so there is nothing to measure with strlen() and nothing to terminate.
 */
#include "echo.h"

static int kecho_on_data(struct ksrv_conn *conn, const void *buf, size_t len)
{
	return ksrv_conn_send(conn, buf, len);
}

const struct ksrv_proto kecho_proto = {
	.name = "kecho",
	.on_data = kecho_on_data,
};
