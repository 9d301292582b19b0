// SPDX-License-Identifier: GPL-2.0
/*
 * The send queue: what a protocol sent and TCP has not taken yet.
 *
 * A queue of chunks, oldest first.  A chunk holds either a copy of the
 * protocol's bytes (made once, when TCP first refused them) or a
 * reference to a page (page cache, say), so nothing kept is ever copied
 * again and a short send only moves a chunk's offset.  Copies go into
 * chunks of at most one page, allocated without retrying hard: a
 * connection whose memory cannot be had is closed, the OOM killer is
 * never invoked for it.  The caller bounds the queue by send_cap.
 */
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <net/sock.h>

#include "internal.h"

struct ksrv_chunk {
	struct list_head node;
	struct page *page;	/* NULL: the bytes are in data[] */
	u32 off;		/* next byte to send, in data[] or page */
	u32 len;		/* bytes left to send */
	u32 cost;		/* what mem_bytes counts for it */
	u32 flags;		/* KSRV_SEND_* */
	u8 data[];
};

#define KSRV_CHUNK_MAX	(PAGE_SIZE - sizeof(struct ksrv_chunk))
#define KSRV_GFP	(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY)

int ksrv_msg_flags(unsigned int flags)
{
	return MSG_NOSIGNAL | (flags & KSRV_SEND_MORE ? MSG_MORE : 0);
}

int ksrv_sock_send(struct socket *sock, const void *buf, size_t len,
		   int flags)
{
	struct kvec vec = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = flags };

	return kernel_sendmsg(sock, &msg, &vec, 1, len);
}

static void ksrv_chunk_add(struct ksrv_conn *conn, struct ksrv_chunk *c)
{
	list_add_tail(&c->node, &conn->sendq);
	conn->queued += c->len;
	ksrv_stat_add(conn->srv, KSRV_STAT_MEM, c->cost);
}

static void ksrv_chunk_free(struct ksrv_conn *conn, struct ksrv_chunk *c)
{
	list_del(&c->node);
	conn->queued -= c->len;
	ksrv_stat_sub(conn->srv, KSRV_STAT_MEM, c->cost);
	if (c->page)
		put_page(c->page);
	kfree(c);
}

/* Copy @len bytes to the end of the queue.  The caller checked the cap. */
int ksrv_sendq_add(struct ksrv_conn *conn, const void *buf, size_t len,
		   unsigned int flags)
{
	const u8 *p = buf;
	u32 total;

	if (check_add_overflow(conn->queued, (u32)len, &total) ||
	    len > U32_MAX)
		return -ENOBUFS;
	while (len) {
		size_t n = min_t(size_t, len, KSRV_CHUNK_MAX);
		size_t size = sizeof(struct ksrv_chunk) + n;
		struct ksrv_chunk *c = kmalloc(size, KSRV_GFP);

		if (!c)
			return -ENOMEM;
		c->page = NULL;
		c->off = 0;
		c->len = n;
		c->cost = kmalloc_size_roundup(size);
		c->flags = flags;
		memcpy(c->data, p, n);
		ksrv_chunk_add(conn, c);
		p += n;
		len -= n;
	}
	return 0;
}

int ksrv_sendq_add_page(struct ksrv_conn *conn, struct page *page,
			size_t off, size_t len, unsigned int flags)
{
	struct ksrv_chunk *c;
	u32 total;

	if (check_add_overflow(conn->queued, (u32)len, &total))
		return -ENOBUFS;
	c = kmalloc(sizeof(*c), KSRV_GFP);
	if (!c)
		return -ENOMEM;
	get_page(page);
	c->page = page;
	c->off = off;
	c->len = len;
	/* the pinned page is memory held for this connection too */
	c->cost = kmalloc_size_roundup(sizeof(*c)) + len;
	c->flags = flags;
	ksrv_chunk_add(conn, c);
	return 0;
}

static int ksrv_chunk_send(struct ksrv_conn *conn, struct ksrv_chunk *c)
{
	int flags = ksrv_msg_flags(c->flags) | MSG_DONTWAIT;

	/* more chunks follow: let TCP build full segments */
	if (!list_is_last(&c->node, &conn->sendq))
		flags |= MSG_MORE;
	if (c->page)
		return ksrv_compat_sendpage(conn->sock, c->page, c->off, c->len,
					    flags);
	return ksrv_sock_send(conn->sock, c->data + c->off, c->len, flags);
}

/*
 * Send what is queued.  Returns 0 when the queue is empty, -EAGAIN when
 * TCP is full again (sk_write_space queues the work), or an error.
 */
int ksrv_sendq_flush(struct ksrv_conn *conn)
{
	struct ksrv_chunk *c;

	while ((c = list_first_entry_or_null(&conn->sendq, struct ksrv_chunk,
					     node))) {
		int n = ksrv_chunk_send(conn, c);

		if (n < 0)
			return n;
		if (!n)		/* not seen from TCP, but never spin on it */
			return -EAGAIN;
		ksrv_stat_add(conn->srv, KSRV_STAT_BYTES_OUT, n);
		WRITE_ONCE(conn->last_active, jiffies);
		if (n < c->len) {
			c->off += n;
			c->len -= n;
			conn->queued -= n;
			return -EAGAIN;
		}
		ksrv_chunk_free(conn, c);
	}
	return 0;
}

void ksrv_sendq_purge(struct ksrv_conn *conn)
{
	struct ksrv_chunk *c, *tmp;

	list_for_each_entry_safe(c, tmp, &conn->sendq, node)
		ksrv_chunk_free(conn, c);
}
