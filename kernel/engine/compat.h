/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels we build for, in one place.
 *
 *   6.1   Debian 12: kernel_sendpage(), namespaces as bare identifiers.
 *   6.5   kernel_sendpage() is gone; TCP honours MSG_SPLICE_PAGES.
 *   6.12  An skb's frags may be unreadable (device memory): check first.
 *   6.13  EXPORT_SYMBOL_NS_GPL() and MODULE_IMPORT_NS() take strings.
 *   6.16  from_timer() is renamed timer_container_of().
 *   6.17  WQ_PERCPU: a per-CPU workqueue says so (7.x warns if it does
 *         not, as workqueues are to become unbound by default), and
 *         system_wq is renamed system_percpu_wq (the old name is to go).
 *   6.19  kernel_bind() and kernel_connect() take a struct sockaddr_unsized.
 * The guards were checked on the kernels tested (6.1, 6.12, 7.2); a version
 * between those is taken from the kernel's history.
 * Before 6.12 (6.1 here) vfs_path_lookup() is exported but declared in no
 * public header.
 */
#ifndef KSRV_COMPAT_H
#define KSRV_COMPAT_H

#include <linux/skbuff.h>
#include <linux/version.h>

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define EXPORT_SYMBOL_KSRV(sym)	EXPORT_SYMBOL_NS_GPL(sym, "KSRV")
#define KSRV_IMPORT()		MODULE_IMPORT_NS("KSRV")
#else
#define EXPORT_SYMBOL_KSRV(sym)	EXPORT_SYMBOL_NS_GPL(sym, KSRV)
#define KSRV_IMPORT()		MODULE_IMPORT_NS(KSRV)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 16, 0)
#define ksrv_timer_container(var, t, field) timer_container_of(var, t, field)
#else
#define ksrv_timer_container(var, t, field) from_timer(var, t, field)
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 17, 0)
#define KSRV_COMPAT_WQ_PERCPU	WQ_PERCPU
#define ksrv_system_wq		system_percpu_wq
#else
#define KSRV_COMPAT_WQ_PERCPU	0
#define ksrv_system_wq		system_wq
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 19, 0)
#define ksrv_sockaddr_arg(addr)	((struct sockaddr_unsized *)(addr))
#else
#define ksrv_sockaddr_arg(addr)	((struct sockaddr *)(addr))
#endif

/* Whether the CPU may read @skb's frags (not device memory). */
static inline bool ksrv_skb_frags_readable(const struct sk_buff *skb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	return skb_frags_readable(skb);
#else
	return true;
#endif
}

struct socket;
struct page;

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
struct dentry;
struct vfsmount;
struct path;
int vfs_path_lookup(struct dentry *dentry, struct vfsmount *mnt,
		    const char *name, unsigned int flags, struct path *path);
#endif

/*
 * Send @len bytes of @page at @off without copying them: TCP takes its
 * own page reference.  @flags are MSG_* flags.  Returns bytes sent or a
 * negative errno, as sendmsg().
 */
int ksrv_compat_sendpage(struct socket *sock, struct page *page, size_t off,
			 size_t len, int flags);

#endif /* KSRV_COMPAT_H */
