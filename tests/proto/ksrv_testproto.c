// SPDX-License-Identifier: GPL-2.0
/*
 * ksrv_testproto.ko: a protocol that exists only to test the engine's API
 * (tests/proto/suite.sh).  Test-only; never shipped.
 *
 *   mode=amplify  every byte received is answered with KTP_AMPLIFY bytes of
 *                 the pattern (pattern.h), produced from on_writable as the
 *                 queue empties; rx_room stops reading while output is
 *                 owed.
 *   mode=stream   the first byte received starts mib MiB of the pattern,
 *                 sent from a page-sized buffer or, with pages=1, from
 *                 pages of its own (ksrv_conn_send_page()), then FIN.
 *   mode=abort    the same stream, abandoned with ksrv_conn_abort() once
 *                 abort_kib KiB were sent: the peer must see RST.
 *   mode=timer    lines "arm N" (milliseconds) and "cancel" drive the
 *                 connection's timer and are answered "armed" and
 *                 "cancelled"; on_timeout sends "fired".
 *
 * In every mode each connection is tracked from on_open to on_close, by
 * its address, in a table that outlives the connection: so a second
 * on_close for one connection, an on_close without on_open, and an open
 * never closed are all seen.  /proc/net/ksrv_testproto shows the counts
 * (the engine's lines, then ours), and unloading logs them.
 */
#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "params.h"
#include "pattern.h"

KSRV_MODULE_PARAMS(12400, percpu);

static char *mode = "amplify";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "amplify (default), stream, abort or timer");

static int mib = 64;
module_param(mib, int, 0444);
MODULE_PARM_DESC(mib, "MiB a stream or abort connection sends (default 64)");

static bool pages;
module_param(pages, bool, 0444);
MODULE_PARM_DESC(pages, "stream from pages with ksrv_conn_send_page() (default 0)");

static int abort_kib = 1024;
module_param(abort_kib, int, 0444);
MODULE_PARM_DESC(abort_kib, "KiB an abort connection sends before it aborts (default 1024)");

enum ktp_mode {
	KTP_MODE_AMPLIFY,
	KTP_MODE_STREAM,
	KTP_MODE_ABORT,
	KTP_MODE_TIMER,
};

static const char *const ktp_mode_names[] = {
	[KTP_MODE_AMPLIFY] = "amplify",
	[KTP_MODE_STREAM] = "stream",
	[KTP_MODE_ABORT] = "abort",
	[KTP_MODE_TIMER] = "timer",
};

#define KTP_LINE_MAX	32

/* What a connection is doing; cleared at every open. */
struct ktp_state {
	u64 pos;		/* pattern bytes sent */
	u64 owed;		/* pattern bytes still to send */
	bool started;		/* stream, abort: the first byte came */
	unsigned int linelen;	/* timer: bytes in line[] */
	char line[KTP_LINE_MAX];
};

/* One per connection address ever opened; freed at unload. */
struct ktp_conn {
	struct hlist_node node;
	struct ksrv_conn *conn;
	bool closed;
	struct ktp_state s;
};

enum ktp_count {
	KTP_OPENS,
	KTP_CLOSES,
	KTP_DOUBLE_CLOSES,	/* a second on_close for one open */
	KTP_ORPHAN_CLOSES,	/* on_close for a connection never opened */
	KTP_REOPENS,		/* on_open for a connection still open */
	KTP_PRIV_LOST,		/* on_close without the priv we set */
	KTP_CAP_VIOLATIONS,	/* more queued than send_cap */
	KTP_CLOSE_DONE,
	KTP_CLOSE_KILLED,
	KTP_CLOSE_IDLE,
	KTP_CLOSE_ABORT,
	KTP_CLOSE_ERROR,
	KTP_FIRED,		/* timer: on_timeout calls */
	KTP_COUNT_NR,
};

static const char *const ktp_count_names[KTP_COUNT_NR] = {
	[KTP_OPENS] = "opens",
	[KTP_CLOSES] = "closes",
	[KTP_DOUBLE_CLOSES] = "double_closes",
	[KTP_ORPHAN_CLOSES] = "orphan_closes",
	[KTP_REOPENS] = "reopens",
	[KTP_PRIV_LOST] = "priv_lost",
	[KTP_CAP_VIOLATIONS] = "cap_violations",
	[KTP_CLOSE_DONE] = "close_done",
	[KTP_CLOSE_KILLED] = "close_killed",
	[KTP_CLOSE_IDLE] = "close_idle",
	[KTP_CLOSE_ABORT] = "close_abort",
	[KTP_CLOSE_ERROR] = "close_error",
	[KTP_FIRED] = "timer_fired",
};

static atomic64_t ktp_counts[KTP_COUNT_NR];
static atomic_t ktp_max_queued;

static DEFINE_HASHTABLE(ktp_conns, 10);
static DEFINE_SPINLOCK(ktp_lock);	/* protects ktp_conns and ->closed */

static enum ktp_mode ktp_mode;
static u64 ktp_stream_bytes;
static u64 ktp_abort_bytes;
static unsigned char *ktp_table;	/* KTP_TABLE_SIZE bytes of pattern */
static struct ksrv_server *ktp_server;

static void ktp_count(enum ktp_count c)
{
	atomic64_inc(&ktp_counts[c]);
}

static struct ktp_conn *ktp_find_locked(struct ksrv_conn *conn)
{
	struct ktp_conn *c;

	lockdep_assert_held(&ktp_lock);
	hash_for_each_possible(ktp_conns, c, node, (unsigned long)conn)
		if (c->conn == conn)
			return c;
	return NULL;
}

static int ktp_on_open(struct ksrv_conn *conn)
{
	struct ktp_conn *fresh, *c;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL);
	if (!fresh)
		return -ENOMEM;
	spin_lock(&ktp_lock);
	c = ktp_find_locked(conn);
	if (c) {
		/* the address of a connection gone before, or a bug */
		if (!c->closed)
			ktp_count(KTP_REOPENS);
		memset(&c->s, 0, sizeof(c->s));
	} else {
		c = fresh;
		fresh = NULL;
		c->conn = conn;
		hash_add(ktp_conns, &c->node, (unsigned long)conn);
	}
	c->closed = false;
	spin_unlock(&ktp_lock);
	kfree(fresh);
	ksrv_conn_set_priv(conn, c);
	ktp_count(KTP_OPENS);
	return 0;
}

static void ktp_on_close(struct ksrv_conn *conn, int reason)
{
	struct ktp_conn *priv = ksrv_conn_priv(conn);
	struct ktp_conn *c;

	spin_lock(&ktp_lock);
	c = ktp_find_locked(conn);
	if (!c) {
		ktp_count(KTP_ORPHAN_CLOSES);
	} else if (c->closed) {
		ktp_count(KTP_DOUBLE_CLOSES);
	} else {
		c->closed = true;
		ktp_count(KTP_CLOSES);
		if (priv != c)
			ktp_count(KTP_PRIV_LOST);
	}
	spin_unlock(&ktp_lock);

	switch (reason) {
	case KSRV_CLOSE_DONE:
		ktp_count(KTP_CLOSE_DONE);
		break;
	case KSRV_CLOSE_KILLED:
		ktp_count(KTP_CLOSE_KILLED);
		break;
	case KSRV_CLOSE_IDLE:
		ktp_count(KTP_CLOSE_IDLE);
		break;
	case KSRV_CLOSE_ABORT:
		ktp_count(KTP_CLOSE_ABORT);
		break;
	default:
		ktp_count(KTP_CLOSE_ERROR);
		break;
	}
}

static u32 ktp_send_cap(struct ksrv_conn *conn)
{
	return ksrv_server_config(ksrv_conn_server(conn))->send_cap;
}

/* The engine promises the queue never holds more than send_cap. */
static void ktp_note_queued(struct ksrv_conn *conn)
{
	u32 q = ksrv_conn_queued(conn);
	int old = atomic_read(&ktp_max_queued);

	if (q > ktp_send_cap(conn))
		ktp_count(KTP_CAP_VIOLATIONS);
	while ((int)q > old) {
		int seen = atomic_cmpxchg(&ktp_max_queued, old, q);

		if (seen == old)
			break;
		old = seen;
	}
}

/* @len pattern bytes from @pos, in a page of our own. */
static long ktp_send_page(struct ksrv_conn *conn, u64 pos, size_t len)
{
	struct page *page = alloc_page(GFP_KERNEL);
	long room;

	if (!page)
		return -ENOMEM;
	memcpy(page_address(page), ktp_table + pos % KTP_PERIOD, len);
	room = ksrv_conn_send_page(conn, page, 0, len, 0);
	/* TCP or the engine's queue holds its own reference now */
	put_page(page);
	return room;
}

/*
 * Send what is owed, a page at a time, as far as the queue takes it.
 * When the queue is full (-EAGAIN: nothing was taken, or no room left)
 * the rest comes from on_writable, which the engine calls once the queue
 * is empty.  Returns a verdict or an errno.
 */
static int ktp_produce(struct ksrv_conn *conn, struct ktp_conn *c)
{
	struct ktp_state *s = &c->s;

	while (s->owed) {
		size_t n = min_t(u64, s->owed, KTP_SPAN);
		long room;

		if (pages)
			room = ktp_send_page(conn, s->pos, n);
		else
			room = ksrv_conn_send(conn,
					      ktp_table + s->pos % KTP_PERIOD,
					      n, 0);
		if (room == -EAGAIN)
			return KSRV_WANT_WRITE;
		if (room < 0)
			return room;
		ktp_note_queued(conn);
		s->pos += n;
		s->owed -= n;
		if (ktp_mode == KTP_MODE_ABORT && s->pos >= ktp_abort_bytes) {
			ksrv_conn_abort(conn);
			return KSRV_CONTINUE;
		}
		if (!room && s->owed)
			return KSRV_WANT_WRITE;
	}
	if (ktp_mode == KTP_MODE_STREAM || ktp_mode == KTP_MODE_ABORT)
		ksrv_conn_shutdown(conn);
	return KSRV_CONTINUE;
}

static size_t ktp_rx_room(struct ksrv_conn *conn)
{
	struct ktp_conn *c = ksrv_conn_priv(conn);

	switch (ktp_mode) {
	case KTP_MODE_AMPLIFY:
		/* nothing more until what is owed went out */
		return c->s.owed ? 0 : KTP_SPAN;
	case KTP_MODE_STREAM:
	case KTP_MODE_ABORT:
		return c->s.started ? 0 : 1;
	case KTP_MODE_TIMER:
	default:
		return KTP_LINE_MAX;
	}
}

static int ktp_reply(struct ksrv_conn *conn, const char *msg)
{
	long room = ksrv_conn_send(conn, msg, strlen(msg), 0);

	return room < 0 ? room : KSRV_CONTINUE;
}

static int ktp_command(struct ksrv_conn *conn, const char *line)
{
	unsigned int ms;
	int err;

	if (!strcmp(line, "cancel")) {
		err = ksrv_conn_timer(conn, 0);
		return err ? err : ktp_reply(conn, "cancelled\n");
	}
	if (sscanf(line, "arm %u", &ms) == 1 && ms) {
		err = ksrv_conn_timer(conn, ms);
		return err ? err : ktp_reply(conn, "armed\n");
	}
	return ktp_reply(conn, "error\n");
}

static int ktp_timer_data(struct ksrv_conn *conn, struct ktp_conn *c,
			  const u8 *p, size_t len)
{
	struct ktp_state *s = &c->s;
	int ret = KSRV_CONTINUE;
	size_t i;

	for (i = 0; i < len && ret == KSRV_CONTINUE; i++) {
		if (p[i] != '\n') {
			if (s->linelen >= KTP_LINE_MAX - 1)
				return -EMSGSIZE;
			s->line[s->linelen++] = p[i];
			continue;
		}
		s->line[s->linelen] = '\0';
		s->linelen = 0;
		ret = ktp_command(conn, s->line);
	}
	return ret;
}

static int ktp_on_data(struct ksrv_conn *conn, const void *buf, size_t len)
{
	struct ktp_conn *c = ksrv_conn_priv(conn);

	switch (ktp_mode) {
	case KTP_MODE_AMPLIFY:
		c->s.owed += (u64)len * KTP_AMPLIFY;
		return ktp_produce(conn, c);
	case KTP_MODE_STREAM:
	case KTP_MODE_ABORT:
		if (c->s.started)
			return KSRV_CONTINUE;
		c->s.started = true;
		c->s.owed = ktp_stream_bytes;
		return ktp_produce(conn, c);
	case KTP_MODE_TIMER:
	default:
		return ktp_timer_data(conn, c, buf, len);
	}
}

static int ktp_on_writable(struct ksrv_conn *conn)
{
	struct ktp_conn *c = ksrv_conn_priv(conn);

	if (ktp_mode == KTP_MODE_TIMER)
		return KSRV_CONTINUE;
	return ktp_produce(conn, c);
}

static int ktp_on_timeout(struct ksrv_conn *conn)
{
	if (ktp_mode != KTP_MODE_TIMER)
		return KSRV_CONTINUE;
	ktp_count(KTP_FIRED);
	return ktp_reply(conn, "fired\n");
}

static void ktp_show(struct seq_file *m, struct ksrv_server *srv)
{
	int i;

	seq_printf(m, "mode %s\n", ktp_mode_names[ktp_mode]);
	seq_printf(m, "pages %d\n", pages);
	for (i = 0; i < KTP_COUNT_NR; i++)
		seq_printf(m, "%s %lld\n", ktp_count_names[i],
			   atomic64_read(&ktp_counts[i]));
	seq_printf(m, "max_queued %d\n", atomic_read(&ktp_max_queued));
}

static const struct ksrv_proto ktp_proto = {
	.name = "ksrv_testproto",
	.on_open = ktp_on_open,
	.rx_room = ktp_rx_room,
	.on_data = ktp_on_data,
	.on_writable = ktp_on_writable,
	.on_timeout = ktp_on_timeout,
	.on_close = ktp_on_close,
	.show = ktp_show,
};

static int ktp_parse_mode(void)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(ktp_mode_names); i++) {
		if (mode && sysfs_streq(mode, ktp_mode_names[i])) {
			ktp_mode = i;
			return 0;
		}
	}
	pr_err("ksrv_testproto: invalid mode=%.32s\n", mode ? mode : "(null)");
	return -EINVAL;
}

/* Free the table; returns how many connections were never closed. */
static unsigned int ktp_forget_all(void)
{
	unsigned int unclosed = 0;
	struct hlist_node *tmp;
	struct ktp_conn *c;
	int bkt;

	spin_lock(&ktp_lock);
	hash_for_each_safe(ktp_conns, bkt, tmp, c, node) {
		if (!c->closed)
			unclosed++;
		hash_del(&c->node);
		kfree(c);
	}
	spin_unlock(&ktp_lock);
	return unclosed;
}

static int __init ktp_init(void)
{
	const struct ksrv_params params = KSRV_PARAMS("ksrv_testproto");
	struct ksrv_config cfg;
	int err;

	err = ktp_parse_mode();
	if (err)
		return err;
	if (mib < 1 || mib > 65536 || abort_kib < 1) {
		pr_err("ksrv_testproto: invalid mib=%d or abort_kib=%d\n", mib,
		       abort_kib);
		return -EINVAL;
	}
	ktp_stream_bytes = (u64)mib << 20;
	ktp_abort_bytes = (u64)abort_kib << 10;
	err = ksrv_config_parse(&cfg, &params);
	if (err)
		return err;
	ktp_table = kvmalloc(KTP_TABLE_SIZE, GFP_KERNEL);
	if (!ktp_table)
		return -ENOMEM;
	ktp_pattern_fill(ktp_table);
	ktp_server = ksrv_server_start(&ktp_proto, &cfg, NULL);
	if (IS_ERR(ktp_server)) {
		kvfree(ktp_table);
		return PTR_ERR(ktp_server);
	}
	return 0;
}

static void __exit ktp_exit(void)
{
	unsigned int unclosed;

	ksrv_server_stop(ktp_server);
	unclosed = ktp_forget_all();
	pr_info("ksrv_testproto: unloaded: opens %lld closes %lld double_closes %lld orphan_closes %lld reopens %lld priv_lost %lld unclosed %u cap_violations %lld close_killed %lld close_error %lld\n",
		atomic64_read(&ktp_counts[KTP_OPENS]),
		atomic64_read(&ktp_counts[KTP_CLOSES]),
		atomic64_read(&ktp_counts[KTP_DOUBLE_CLOSES]),
		atomic64_read(&ktp_counts[KTP_ORPHAN_CLOSES]),
		atomic64_read(&ktp_counts[KTP_REOPENS]),
		atomic64_read(&ktp_counts[KTP_PRIV_LOST]), unclosed,
		atomic64_read(&ktp_counts[KTP_CAP_VIOLATIONS]),
		atomic64_read(&ktp_counts[KTP_CLOSE_KILLED]),
		atomic64_read(&ktp_counts[KTP_CLOSE_ERROR]));
	kvfree(ktp_table);
}

module_init(ktp_init);
module_exit(ktp_exit);

KSRV_IMPORT();
MODULE_DESCRIPTION("Test protocol for the ksrv engine's API (test-only)");
MODULE_AUTHOR("The kecho developers");
MODULE_LICENSE("GPL");
