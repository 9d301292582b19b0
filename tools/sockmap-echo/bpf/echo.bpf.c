// SPDX-License-Identifier: GPL-2.0
/*
 * sockmap-echo's BPF side: every byte a connection receives goes straight
 * back out of the same socket, inside the kernel, with no copy to
 * userspace and no userspace thread (the redirected skb is sent by the
 * psock's work item, a kworker).  The floor an echo server's cost can be
 * compared with.
 *
 * Two programs share two maps, both keyed by the socket's cookie:
 *   socks   a sockhash: the connections
 *   echoed  bytes redirected per connection (for the loader's half-close)
 *
 * on_established, a sock_ops program on the cgroup, runs when a connection
 * to our port completes its handshake, in the softirq that completes it:
 * it puts the socket into socks before any data can be processed, so that
 * nothing is ever queued for userspace.  (Inserting after accept() would
 * leave the bytes that arrived in between in the receive queue, and a
 * race between echoing those from userspace and the kernel echoing the
 * next ones.)  Until the socket is accepted the verdict does not run (it
 * needs the struct socket); the loader then has TCP run it on what came
 * in the meantime (kick(), ../main.c).
 *
 * echo_verdict, the sk_skb stream verdict program of socks, runs for every
 * skb such a socket receives: the skb's own socket's cookie is the key of
 * its own entry, so bpf_sk_redirect_hash() with flags 0 (egress) queues it
 * for transmission on the socket it came from.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_CONNS	(1 << 17)
#define AF_INET		2
#define AF_INET6	10
#define SOL_TCP		6
#define TCP_NODELAY	1

/* The listening port, host byte order; set by the loader before loading. */
const volatile __u32 port;

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, MAX_CONNS);
	__type(key, __u64);
	__type(value, __u64);
} socks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_CONNS);
	__type(key, __u64);
	__type(value, __u64);
} echoed SEC(".maps");

SEC("sockops")
int on_established(struct bpf_sock_ops *ops)
{
	__u64 cookie, zero = 0;
	int one = 1;

	if (ops->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB ||
	    ops->local_port != port ||
	    (ops->family != AF_INET && ops->family != AF_INET6))
		return 1;
	cookie = bpf_get_socket_cookie(ops);
	bpf_setsockopt(ops, SOL_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!bpf_map_update_elem(&echoed, &cookie, &zero, BPF_ANY))
		bpf_sock_hash_update(ops, &socks, &cookie, BPF_NOEXIST);
	return 1;
}

SEC("sk_skb/stream_verdict")
int echo_verdict(struct __sk_buff *skb)
{
	__u64 cookie = bpf_get_socket_cookie(skb);
	__u64 *n = bpf_map_lookup_elem(&echoed, &cookie);
	long ret = bpf_sk_redirect_hash(skb, &socks, &cookie, 0);

	if (n && ret == SK_PASS)
		__sync_fetch_and_add(n, skb->len);
	return ret;
}

char LICENSE[] SEC("license") = "GPL";
