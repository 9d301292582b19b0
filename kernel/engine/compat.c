// SPDX-License-Identifier: GPL-2.0
/* The bodies of compat.h's functions: the only version guards in C. */
#include <linux/bvec.h>
#include <linux/net.h>
#include <linux/uio.h>
#include <linux/version.h>
#include <net/sock.h>

#include "compat.h"

int ksrv_compat_sendpage(struct socket *sock, struct page *page, size_t off,
			 size_t len, int flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	struct bio_vec bvec;
	struct msghdr msg = { .msg_flags = flags | MSG_SPLICE_PAGES };

	bvec_set_page(&bvec, page, len, off);
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, &bvec, 1, len);
	return sock_sendmsg(sock, &msg);
#else
	return kernel_sendpage(sock, page, off, len, flags);
#endif
}
