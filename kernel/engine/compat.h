/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels we build for, in one place.
 *
 *   6.1   Debian 12: kernel_sendpage(), namespaces as bare identifiers.
 *   6.5   kernel_sendpage() is gone; TCP honours MSG_SPLICE_PAGES.
 *   6.13  EXPORT_SYMBOL_NS_GPL() and MODULE_IMPORT_NS() take strings.
 *   6.16  from_timer() is renamed timer_container_of().
 * Before 6.12 (6.1 here) vfs_path_lookup() is exported but declared in no
 * public header.
 */
#ifndef KSRV_COMPAT_H
#define KSRV_COMPAT_H

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
