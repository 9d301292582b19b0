// SPDX-License-Identifier: GPL-2.0
/*
 * Receive buffers.  An idle connection owns no buffer: the I/O work
 * receives into a buffer of the CPU it runs on and hands the bytes to the
 * protocol at once.
 *
 * A work item can sleep while it holds the buffer (socket lock, memory
 * reclaim), and another work item may then run on the same CPU, or an
 * unbound worker may migrate.  So each buffer has a mutex; a run that
 * finds its CPU's buffer taken does not wait for it but allocates one for
 * itself.  That is rare, and it keeps one slow connection from stalling
 * the others on its CPU.
 */
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "internal.h"

int ksrv_scratch_init(struct ksrv_server *srv)
{
	int cpu;

	srv->scratch = alloc_percpu(struct ksrv_scratch);
	if (!srv->scratch)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		mutex_init(&per_cpu_ptr(srv->scratch, cpu)->lock);
	for_each_possible_cpu(cpu) {
		struct ksrv_scratch *s = per_cpu_ptr(srv->scratch, cpu);

		s->buf = kvmalloc_node(KSRV_SCRATCH_SIZE, GFP_KERNEL,
				       cpu_to_node(cpu));
		if (!s->buf) {
			ksrv_scratch_free(srv);
			return -ENOMEM;
		}
	}
	return 0;
}

void ksrv_scratch_free(struct ksrv_server *srv)
{
	int cpu;

	if (!srv->scratch)
		return;
	for_each_possible_cpu(cpu) {
		struct ksrv_scratch *s = per_cpu_ptr(srv->scratch, cpu);

		kvfree(s->buf);
		mutex_destroy(&s->lock);
	}
	free_percpu(srv->scratch);
	srv->scratch = NULL;
}

/*
 * Returns a KSRV_SCRATCH_SIZE buffer, or NULL if memory is short.  Give it
 * back with ksrv_scratch_put(*slot, buf).
 */
void *ksrv_scratch_get(struct ksrv_server *srv, struct ksrv_scratch **slot)
{
	struct ksrv_scratch *s = raw_cpu_ptr(srv->scratch);

	if (mutex_trylock(&s->lock)) {
		*slot = s;
		return s->buf;
	}
	*slot = NULL;
	/* no vmalloc, no OOM killer for it: the caller copes without */
	return kmalloc(KSRV_SCRATCH_SIZE,
		       GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY);
}

void ksrv_scratch_put(struct ksrv_scratch *slot, void *buf)
{
	if (slot)
		mutex_unlock(&slot->lock);
	else
		kfree(buf);
}
