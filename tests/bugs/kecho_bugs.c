// SPDX-License-Identifier: GPL-2.0
/*
 * kecho_bugs: plants one known bug at load time so that the debug kernel's
 * detectors can be shown to fire.  TEST ONLY: never part of the product.
 *
 *   insmod kecho_bugs.ko bug=uaf      read a kmalloc'd object after kfree
 *                                     (KASAN: "BUG: KASAN: slab-use-after-free")
 *   insmod kecho_bugs.ko bug=leak     kmalloc an object and lose the pointer
 *                                     (kmemleak: "unreferenced object", after
 *                                     the object is 5 s old and a scan)
 *   insmod kecho_bugs.ko bug=lockinv  take locks A->B, then B->A, one after
 *                                     the other, so nothing deadlocks (lockdep:
 *                                     "possible circular locking dependency")
 *   insmod kecho_bugs.ko bug=sleep    mutex_lock under a spinlock
 *                                     (DEBUG_ATOMIC_SLEEP: "BUG: sleeping
 *                                     function called from invalid context")
 *   insmod kecho_bugs.ko bug=none     do nothing
 *
 * Each load plants its bug once; the module then unloads cleanly (a leaked
 * object stays leaked).
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/compiler.h>

static char *bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "bug to plant at load: none, uaf, leak, lockinv, sleep");

struct kecho_bugs_obj {
	unsigned long magic;
	char pad[184];		/* 192 bytes: easy to spot in kmemleak's report */
};

#define KECHO_BUGS_MAGIC 0x6b6563686fUL	/* "kecho" */

static noinline int kecho_bugs_uaf(void)
{
	struct kecho_bugs_obj *obj;
	unsigned long v;

	obj = kmalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return -ENOMEM;
	obj->magic = KECHO_BUGS_MAGIC;
	kfree(obj);
	/* Hide the free from the compiler; KASAN still sees the access. */
	OPTIMIZER_HIDE_VAR(obj);
	v = READ_ONCE(obj->magic);
	pr_info("kecho_bugs: uaf: read %#lx from a freed object\n", v);
	return 0;
}

/*
 * kmemleak reports an object once it is 5 s old and found unreferenced by a
 * scan that sees its contents unchanged since the scan before: a new object
 * is first reported by the second scan after it is 5 s old.
 */
static noinline int kecho_bugs_leak(void)
{
	struct kecho_bugs_obj *obj;

	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return -ENOMEM;
	pr_info("kecho_bugs: leak: lost a %zu-byte object\n", sizeof(*obj));
	/* Forget the pointer: make sure no copy survives in this frame. */
	OPTIMIZER_HIDE_VAR(obj);
	obj = NULL;
	return 0;
}

static DEFINE_MUTEX(kecho_bugs_lock_a);
static DEFINE_MUTEX(kecho_bugs_lock_b);

static noinline void kecho_bugs_a_then_b(void)
{
	mutex_lock(&kecho_bugs_lock_a);
	mutex_lock(&kecho_bugs_lock_b);
	mutex_unlock(&kecho_bugs_lock_b);
	mutex_unlock(&kecho_bugs_lock_a);
}

static noinline void kecho_bugs_b_then_a(void)
{
	mutex_lock(&kecho_bugs_lock_b);
	mutex_lock(&kecho_bugs_lock_a);
	mutex_unlock(&kecho_bugs_lock_a);
	mutex_unlock(&kecho_bugs_lock_b);
}

static int kecho_bugs_lockinv(void)
{
	/* Sequential, one thread: lockdep sees the inversion, nothing hangs. */
	kecho_bugs_a_then_b();
	kecho_bugs_b_then_a();
	pr_info("kecho_bugs: lockinv: took A->B, then B->A\n");
	return 0;
}

static DEFINE_SPINLOCK(kecho_bugs_spin);

static noinline int kecho_bugs_sleep(void)
{
	spin_lock(&kecho_bugs_spin);
	/* The mutex is free, so this does not sleep; might_sleep() still fires. */
	mutex_lock(&kecho_bugs_lock_a);
	mutex_unlock(&kecho_bugs_lock_a);
	spin_unlock(&kecho_bugs_spin);
	pr_info("kecho_bugs: sleep: took a mutex under a spinlock\n");
	return 0;
}

static int __init kecho_bugs_init(void)
{
	if (!strcmp(bug, "none"))
		return 0;
	if (!strcmp(bug, "uaf"))
		return kecho_bugs_uaf();
	if (!strcmp(bug, "leak"))
		return kecho_bugs_leak();
	if (!strcmp(bug, "lockinv"))
		return kecho_bugs_lockinv();
	if (!strcmp(bug, "sleep"))
		return kecho_bugs_sleep();
	pr_err("kecho_bugs: unknown bug=%s (none, uaf, leak, lockinv, sleep)\n", bug);
	return -EINVAL;
}

static void __exit kecho_bugs_exit(void)
{
}

module_init(kecho_bugs_init);
module_exit(kecho_bugs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kecho test only: planted bugs for the debug kernel's detectors");
