// SPDX-License-Identifier: GPL-2.0
/*
 * Receiving by reference: the receive queue's bytes handed to a protocol
 * as page pieces (on_pages), without the copy through the scratch buffer.
 *
 * tcp_read_sock() walks the receive queue under the socket lock and calls
 * our actor for each skb.  Where the bytes sit in a page fragment, the
 * actor takes a reference on that page instead of copying, so a protocol
 * can send them on with ksrv_conn_send_page() and TCP takes its own
 * reference in turn.  The skb is freed as usual once read; the page lives
 * on while a reference does.
 *
 * A reference pins the whole folio it lies in, not just the bytes read.
 * A peer sending small segments into large folios would otherwise make
 * each byte it sends hold many more in our send queue and TCP's write
 * queue.  So a fragment is taken by reference only when the bytes read
 * from it are at least an eighth of its folio and the folio is of an
 * order the page allocator gives cheaply; memory held is then at most
 * 8 times the bytes queued, which send_cap and the socket's send buffer
 * bound.  Everything else (the skb's linear head, a frag_list, small or
 * unsuitable fragments) is copied, once, into pages of our own that go
 * out the same way.
 */
#include <linux/bvec.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/skbuff.h>
#include <net/sock.h>

#include "compat.h"
#include "internal.h"

/* Below this, a fragment's bytes are copied: a reference is not worth it. */
#define KSRV_RXP_MIN_REF	512
/* A fragment's bytes read must be at least 1/N of its folio. */
#define KSRV_RXP_SHARE		8

struct ksrv_rxp_walk {
	struct ksrv_rxp *rxp;
	int err;
};

static bool ksrv_rxp_full(const struct ksrv_rxp *rxp)
{
	return rxp->n == KSRV_RXP_PIECES;
}

/* Append a piece, merging it with the last one where they touch. */
static bool ksrv_rxp_merge(struct ksrv_rxp *rxp, struct page *page,
			   unsigned int off, unsigned int len)
{
	struct bio_vec *last;

	if (!rxp->n)
		return false;
	last = &rxp->vec[rxp->n - 1];
	if (last->bv_page != page || last->bv_offset + last->bv_len != off)
		return false;
	last->bv_len += len;
	return true;
}

/* @page carries a reference for the piece already (merged: dropped). */
static void ksrv_rxp_add(struct ksrv_rxp *rxp, struct page *page,
			 unsigned int off, unsigned int len)
{
	if (ksrv_rxp_merge(rxp, page, off, len)) {
		put_page(page);
	} else {
		bvec_set_page(&rxp->vec[rxp->n], page, len, off);
		rxp->n++;
	}
	rxp->len += len;
}

/*
 * Copy up to @len bytes at @offset of @skb into our own page.  Returns
 * bytes copied, or a negative errno with nothing added.
 */
static int ksrv_rxp_copy(struct ksrv_rxp *rxp, const struct sk_buff *skb,
			 unsigned int offset, unsigned int len)
{
	unsigned int off;
	int err;

	if (!rxp->copy || rxp->copy_used == PAGE_SIZE) {
		if (rxp->copy)
			put_page(rxp->copy);
		rxp->copy = alloc_page(GFP_KERNEL | __GFP_NORETRY |
				       __GFP_NOWARN);
		rxp->copy_used = 0;
		if (!rxp->copy)
			return -ENOMEM;
	}
	off = rxp->copy_used;
	len = min_t(unsigned int, len, PAGE_SIZE - off);
	/* a new piece needs a free slot; one that merges does not */
	if (ksrv_rxp_full(rxp) &&
	    (rxp->vec[rxp->n - 1].bv_page != rxp->copy ||
	     rxp->vec[rxp->n - 1].bv_offset + rxp->vec[rxp->n - 1].bv_len != off))
		return -ENOSPC;
	err = skb_copy_bits(skb, offset, page_address(rxp->copy) + off, len);
	if (err)
		return err;
	rxp->copy_used += len;
	get_page(rxp->copy);
	ksrv_rxp_add(rxp, rxp->copy, off, len);
	return len;
}

/* May the @len bytes read from @frag go by reference? */
static bool ksrv_rxp_can_ref(const skb_frag_t *frag, unsigned int len)
{
	struct page *page = skb_frag_page(frag);
	struct folio *folio;

	if (len < KSRV_RXP_MIN_REF || !sendpage_ok(page))
		return false;
	folio = page_folio(page);
	return folio_order(folio) <= PAGE_ALLOC_COSTLY_ORDER &&
	       len >= folio_size(folio) / KSRV_RXP_SHARE;
}

/*
 * Reference the bytes at @foff of @frag, at most one base page of them
 * (a bio_vec for a send covers one page).  Returns bytes taken, or
 * -ENOSPC when no slot is free.
 */
static int ksrv_rxp_ref(struct ksrv_rxp *rxp, const skb_frag_t *frag,
			unsigned int foff, unsigned int len)
{
	size_t off = skb_frag_off(frag) + foff;
	struct page *page = skb_frag_page(frag) + (off >> PAGE_SHIFT);

	off &= ~PAGE_MASK;
	len = min_t(unsigned int, len, PAGE_SIZE - off);
	if (ksrv_rxp_full(rxp))
		return -ENOSPC;
	get_page(page);
	ksrv_rxp_add(rxp, page, off, len);
	rxp->by_ref += len;
	return len;
}

/*
 * Take up to @len bytes at @offset of @skb, by reference where allowed.
 * Returns bytes taken (> 0) or a negative errno.
 */
static int ksrv_rxp_piece(struct ksrv_rxp *rxp, const struct sk_buff *skb,
			  unsigned int offset, unsigned int len)
{
	unsigned int start = skb_headlen(skb);
	int i;

	if (offset < start)
		return ksrv_rxp_copy(rxp, skb, offset, min(len, start - offset));
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];
		unsigned int end = start + skb_frag_size(frag);

		if (offset < end) {
			len = min(len, end - offset);
			if (ksrv_rxp_can_ref(frag, len))
				return ksrv_rxp_ref(rxp, frag, offset - start,
						    len);
			return ksrv_rxp_copy(rxp, skb, offset, len);
		}
		start = end;
	}
	/* the frag_list's bytes */
	return ksrv_rxp_copy(rxp, skb, offset, len);
}

/* tcp_read_sock()'s actor: returns bytes consumed from @skb. */
static int ksrv_rxp_actor(read_descriptor_t *desc, struct sk_buff *skb,
			  unsigned int offset, size_t len)
{
	struct ksrv_rxp_walk *walk = desc->arg.data;
	struct ksrv_rxp *rxp = walk->rxp;
	size_t done = 0;

	if (!ksrv_skb_frags_readable(skb)) {
		walk->err = -EFAULT;
		return 0;
	}
	len = min_t(size_t, len, desc->count);
	while (done < len) {
		int n = ksrv_rxp_piece(rxp, skb, offset + done, len - done);

		if (n < 0) {
			walk->err = n;
			break;
		}
		done += n;
	}
	desc->count -= done;
	return done;
}

/*
 * Take up to @want bytes from @conn's receive queue into @rxp.  Returns
 * the bytes taken; 0 when there were none or none could be taken (the
 * caller then receives the usual way, which also reports FIN and errors).
 * Whatever was taken is @rxp's until ksrv_rxp_release().
 */
size_t ksrv_rxp_take(struct ksrv_conn *conn, struct ksrv_rxp *rxp,
		     size_t want)
{
	struct socket *sock = conn->sock;
	struct ksrv_rxp_walk walk = { .rxp = rxp };
	read_descriptor_t desc = {
		.arg.data = &walk,
		.count = want,
	};
	int n;

	memset(rxp, 0, sizeof(*rxp));
	if (!sock->ops->read_sock || !want)
		return 0;
	lock_sock(sock->sk);
	n = sock->ops->read_sock(sock->sk, &desc, ksrv_rxp_actor);
	release_sock(sock->sk);
	if (n <= 0) {
		/* nothing consumed: drop whatever the actor set up */
		ksrv_rxp_release(rxp);
		return 0;
	}
	ksrv_stat_add(conn->srv, KSRV_STAT_BYTES_IN, rxp->len);
	ksrv_stat_add(conn->srv, KSRV_STAT_BYTES_REF, rxp->by_ref);
	WRITE_ONCE(conn->last_active, jiffies);
	return rxp->len;
}

/* Drop @rxp's references; the protocol's sends hold their own. */
void ksrv_rxp_release(struct ksrv_rxp *rxp)
{
	unsigned int i;

	for (i = 0; i < rxp->n; i++)
		put_page(rxp->vec[i].bv_page);
	if (rxp->copy)
		put_page(rxp->copy);
	memset(rxp, 0, sizeof(*rxp));
}
