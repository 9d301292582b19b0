// SPDX-License-Identifier: GPL-2.0
/*
 * The echo protocol: every byte received goes back, in order, exactly as
 * many as arrived.  The engine hands us only the bytes recvmsg() returned,
 * so there is nothing to measure with strlen() and nothing to terminate.
 * A receive is at most 64 KiB and send_cap at least that, so a send
 * always fits; what TCP does not take waits in the engine's queue, and
 * the engine reads no more until it is gone.
 */
#include <linux/bvec.h>

#include "echo.h"

static int kecho_on_data(struct ksrv_conn *conn, const void *buf, size_t len)
{
	long room = ksrv_conn_send(conn, buf, len, 0);

	return room < 0 ? room : KSRV_CONTINUE;
}

/*
 * zerocopy=1: the received pages go back as they are, each piece with its
 * own page reference, so a byte is never copied by us (bytes that were in
 * no page fragment the engine copied once, into a page).  Every piece
 * but the last says more follows, so TCP builds full segments.  The sum
 * is at most one receive, 64 KiB, so it always fits send_cap.
 */
static int kecho_on_pages(struct ksrv_conn *conn, const struct bio_vec *vec,
			  unsigned int n)
{
	unsigned int i;
	long room = 0;

	for (i = 0; i < n && room >= 0; i++)
		room = ksrv_conn_send_page(conn, vec[i].bv_page,
					   vec[i].bv_offset, vec[i].bv_len,
					   i + 1 < n ? KSRV_SEND_MORE : 0);
	return room < 0 ? room : KSRV_CONTINUE;
}

const struct ksrv_proto kecho_proto = {
	.name = "kecho",
	.on_data = kecho_on_data,
};

const struct ksrv_proto kecho_zerocopy_proto = {
	.name = "kecho",
	.on_data = kecho_on_data,
	.on_pages = kecho_on_pages,
};
