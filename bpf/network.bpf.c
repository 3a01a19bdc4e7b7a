// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * Network peers and DNS names.
 *
 * Outbound peers come from connect() and from sendto()/sendmsg() with an address,
 * listening ports from listen() (TCP) and bind() (UDP), all at syscall entry.
 * Inbound peers come from the TCP state change SYN_RECV -> ESTABLISHED, which runs
 * in softirq: there the socket's own cgroup says whose connection it is, not the
 * interrupted task. DNS query names are parsed here from the outgoing buffer, so
 * only novel names cross to user space.
 */
#include "common.bpf.h"

#define TT_DNS_PORT 53
#define TT_DNS_HEADER 12
#define TT_DNS_LABEL_MAX 63

struct tt_peer {
	__u16 family;
	__u16 port;		/* host order */
	__u8 addr[16];
};

/* 0 for an IPv4/IPv6 peer; a fault reading user memory is counted as a loss for the cgroup. */
static __always_inline int tt_read_sockaddr(const void *uaddr, __u64 len, struct tt_peer *peer, __u64 cgroup_id)
{
	struct sockaddr_in6 sa = {};

	if (!uaddr || len < sizeof(struct sockaddr_in))
		return -1;
	if (bpf_probe_read_user(&sa, len < sizeof(sa) ? sizeof(struct sockaddr_in) : sizeof(sa), uaddr)) {
		tt_count_loss(cgroup_id, TT_LOSS_READ_FAULT);
		return -1;
	}
	peer->family = sa.sin6_family;
	peer->port = bpf_ntohs(sa.sin6_port);
	__builtin_memset(peer->addr, 0, sizeof(peer->addr));
	if (peer->family == TT_AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&sa;

		__builtin_memcpy(peer->addr, &in->sin_addr.s_addr, 4);
		return 0;
	}
	if (peer->family == TT_AF_INET6 && len >= sizeof(sa)) {
		__builtin_memcpy(peer->addr, &sa.sin6_addr, 16);
		return 0;
	}
	return -1;
}

static __always_inline __u8 tt_sock_protocol(struct sock *sk)
{
	__u16 proto;

	if (!sk)
		return 0;
	proto = BPF_CORE_READ(sk, sk_protocol);
	return proto == TT_IPPROTO_TCP || proto == TT_IPPROTO_UDP ? proto : 0;
}

static __always_inline void tt_report_peer(__u64 cgroup_id, bool process_context, __u8 direction, __u8 protocol,
					   struct tt_peer *peer)
{
	struct tt_seen_key key = { .cgroup_id = cgroup_id, .kind = TT_KIND_NETWORK };
	struct tt_network_record *rec;
	__u64 a0, a1;

	__builtin_memcpy(&a0, peer->addr, 8);
	__builtin_memcpy(&a1, peer->addr + 8, 8);
	key.hash = tt_mix(tt_mix(tt_mix(TT_HASH_SEED, ((__u64)direction << 40) | ((__u64)protocol << 32) |
							  ((__u64)peer->family << 16) | peer->port),
				    a0),
			  a1);
	if (tt_already_reported(&key))
		return;
	rec = tt_reserve(sizeof(*rec), cgroup_id);
	if (!rec)
		return;
	if (process_context) {
		tt_fill_header(&rec->hdr, TT_KIND_NETWORK, sizeof(*rec), cgroup_id);
	} else {
		__builtin_memset(&rec->hdr, 0, sizeof(rec->hdr));
		rec->hdr.size = sizeof(*rec);
		rec->hdr.kind = TT_KIND_NETWORK;
		rec->hdr.version = TT_WIRE_VERSION;
		rec->hdr.cgroup_id = cgroup_id;
		rec->hdr.time_ns = bpf_ktime_get_boot_ns();
	}
	rec->direction = direction;
	rec->family = peer->family;
	rec->protocol = protocol;
	rec->reserved = 0;
	rec->port = peer->port;
	rec->reserved2 = 0;
	__builtin_memcpy(rec->addr, peer->addr, 16);
	tt_submit(rec, TT_KIND_NETWORK);
	tt_mark_reported(&key);
}

/*
 * Parses the question name of an outgoing DNS query; only novel names are sent. The name
 * is parsed in per-CPU scratch and deduplicated before the ring is touched, so a repeated
 * query never counts as a loss when the ring is full.
 */
static __noinline void tt_report_dns(__u64 cgroup_id, const __u8 *ubuf, __u64 len, __u16 dport, bool tcp)
{
	struct tt_seen_key key = { .cgroup_id = cgroup_id, .kind = TT_KIND_DNS };
	struct tt_dns_record *rec;
	__u8 header[TT_DNS_HEADER];
	__u32 next = 0, end = 0, avail, zero = 0;
	__u16 qtype = 0;
	__u64 size;
	bool ok = false;

	if (tcp) {	/* DNS over TCP starts with a two-byte length */
		ubuf += 2;
		len = len >= 2 ? len - 2 : 0;
	}
	if (len <= TT_DNS_HEADER)
		return;
	if (bpf_probe_read_user(header, sizeof(header), ubuf)) {
		tt_count_loss(cgroup_id, TT_LOSS_READ_FAULT);
		return;
	}
	/* A query (QR bit clear) with at least one question. */
	if ((header[2] & 0x80) || (header[4] == 0 && header[5] == 0))
		return;
	rec = bpf_map_lookup_elem(&tt_scratch_dns, &zero);
	if (!rec)
		return;
	avail = len - TT_DNS_HEADER;
	if (avail > TT_DNS_NAME_BYTES - 1)
		avail = TT_DNS_NAME_BYTES - 1;
	__builtin_memset(rec->name, 0, sizeof(rec->name));
	if (bpf_probe_read_user(rec->name, avail & (TT_DNS_NAME_BYTES - 1), ubuf + TT_DNS_HEADER)) {
		tt_count_loss(cgroup_id, TT_LOSS_READ_FAULT);
		return;
	}
	/* Length-prefixed labels become dots in place: "\3www\6google\3com\0" -> ".www.google.com". */
	for (__u32 labels = 0; labels < TT_DNS_NAME_BYTES / 2; labels++) {
		__u8 label;

		if (next >= avail)
			break;
		label = rec->name[next & (TT_DNS_NAME_BYTES - 1)];
		if (label == 0) {
			end = next;
			ok = next > 0;
			break;
		}
		if (label > TT_DNS_LABEL_MAX)
			break;	/* compression pointers have no place in a question */
		rec->name[next & (TT_DNS_NAME_BYTES - 1)] = '.';
		next += label + 1;
	}
	if (!ok)
		return;
	/* A packet cut right after the name has no type; reading past it would read other memory. */
	if ((__u64)end + 3 <= len - TT_DNS_HEADER &&
	    bpf_probe_read_user(&qtype, sizeof(qtype), ubuf + TT_DNS_HEADER + end + 1)) {
		tt_count_loss(cgroup_id, TT_LOSS_READ_FAULT);
		return;
	}
	key.hash = tt_hash_bytes((const __u64 *)rec->name, TT_DNS_NAME_BYTES / 8, end, TT_HASH_SEED);
	key.hash = tt_mix(key.hash, bpf_ntohs(qtype));
	if (tt_already_reported(&key))
		return;
	size = offsetof(struct tt_dns_record, name) + end + 1;
	barrier_var(size);
	if (size > sizeof(*rec))
		return;
	tt_fill_header(&rec->hdr, TT_KIND_DNS, size, cgroup_id);
	rec->qtype = bpf_ntohs(qtype);
	rec->name_len = end + 1;
	rec->dport = dport;
	rec->reserved = 0;
	if (tt_output(rec, size, TT_KIND_DNS, cgroup_id))
		tt_mark_reported(&key);
}

/* sendto()/sendmsg(): an explicit address is an outbound peer; port 53 means a DNS query. */
static __always_inline void tt_on_send(struct tt_syscall_args *args, struct sock *sk, const void *uaddr,
				       __u64 addrlen, const void *ubuf, __u64 len)
{
	struct tt_peer peer = {};
	__u8 protocol = tt_sock_protocol(sk);
	__u16 dport;

	if (uaddr) {
		if (tt_read_sockaddr(uaddr, addrlen, &peer, args->cgroup_id))
			return;
		tt_report_peer(args->cgroup_id, true, TT_NET_CONNECT, protocol, &peer);
		dport = peer.port;
	} else {
		if (!sk)
			return;
		dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	}
	if (dport == TT_DNS_PORT && protocol)
		tt_report_dns(args->cgroup_id, ubuf, len, dport, protocol == TT_IPPROTO_TCP);
}

static __always_inline void tt_on_sendmsg(struct tt_syscall_args *args, struct sock *sk, const void *umsg)
{
	struct user_msghdr msg = {};
	struct iovec iov = {};

	if (bpf_probe_read_user(&msg, sizeof(msg), umsg)) {
		tt_count_loss(args->cgroup_id, TT_LOSS_READ_FAULT);
		return;
	}
	if (msg.msg_iovlen < 1)
		return;
	if (bpf_probe_read_user(&iov, sizeof(iov), msg.msg_iov)) {
		tt_count_loss(args->cgroup_id, TT_LOSS_READ_FAULT);
		return;
	}
	tt_on_send(args, sk, msg.msg_name, msg.msg_namelen, iov.iov_base, iov.iov_len);
}

static __always_inline void tt_watch_dns_fd(struct task_struct *task, __u64 fd)
{
	struct tt_thread *th = bpf_task_storage_get(&tt_threads, task, 0, 0);

	if (th) {
		th->dns_fd_plus1 = fd + 1;
		tt_mark_slow(task, th, TT_SLOW_DNS_FD);
	}
}

__noinline int tt_network_syscall(struct tt_syscall_args *args)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct tt_peer peer = {};
	struct sock *sk;

	if (!args)
		return 0;
	sk = tt_file_sock(tt_fd_file(task, args->arg[0]));
	switch (args->nr) {
	case TT_NR_connect:
		if (tt_read_sockaddr((const void *)args->arg[1], args->arg[2], &peer, args->cgroup_id) == 0) {
			tt_report_peer(args->cgroup_id, true, TT_NET_CONNECT, tt_sock_protocol(sk), &peer);
			if (peer.port == TT_DNS_PORT && tt_sock_protocol(sk))
				tt_watch_dns_fd(task, args->arg[0]);
		}
		return 0;
	case TT_NR_write:	/* only for the fd tt_watch_dns_fd marked: a query on a connected socket */
		tt_on_send(args, sk, NULL, 0, (const void *)args->arg[1], args->arg[2]);
		return 0;
	case TT_NR_bind:
		/* A bound UDP socket is a listening one; TCP waits for listen(). */
		if (sk && BPF_CORE_READ(sk, sk_type) == TT_SOCK_DGRAM &&
		    tt_read_sockaddr((const void *)args->arg[1], args->arg[2], &peer, args->cgroup_id) == 0 && peer.port)
			tt_report_peer(args->cgroup_id, true, TT_NET_LISTEN, TT_IPPROTO_UDP, &peer);
		return 0;
	case TT_NR_listen:
		if (!sk)
			return 0;
		peer.family = BPF_CORE_READ(sk, __sk_common.skc_family);
		peer.port = BPF_CORE_READ(sk, __sk_common.skc_num);
		if (peer.family == TT_AF_INET) {
			__u32 a = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);

			__builtin_memcpy(peer.addr, &a, 4);
		} else if (peer.family == TT_AF_INET6) {
			BPF_CORE_READ_INTO(&peer.addr, sk, __sk_common.skc_v6_rcv_saddr);
		} else {
			return 0;
		}
		tt_report_peer(args->cgroup_id, true, TT_NET_LISTEN, tt_sock_protocol(sk), &peer);
		return 0;
	case TT_NR_sendto:
		tt_on_send(args, sk, (const void *)args->arg[4], args->arg[5], (const void *)args->arg[1], args->arg[2]);
		return 0;
	case TT_NR_sendmsg:
	case TT_NR_sendmmsg:	/* the first message of the vector; mmsghdr starts with a msghdr */
		tt_on_sendmsg(args, sk, (const void *)args->arg[1]);
		return 0;
	}
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tt_inet_state, const struct sock *sk, const int oldstate, const int newstate)
{
	struct tt_peer peer = {};
	__u64 cgroup_id;

	if (oldstate != TT_TCP_SYN_RECV || newstate != TT_TCP_ESTABLISHED)
		return 0;
	cgroup_id = BPF_CORE_READ(sk, sk_cgrp_data.cgroup, kn, id);
	peer.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	peer.port = BPF_CORE_READ(sk, __sk_common.skc_num);
	if (peer.family == TT_AF_INET) {
		__u32 a = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(peer.addr, &a, 4);
	} else if (peer.family == TT_AF_INET6) {
		BPF_CORE_READ_INTO(&peer.addr, sk, __sk_common.skc_v6_daddr);
	} else {
		return 0;
	}
	tt_report_peer(cgroup_id, false, TT_NET_ACCEPT, TT_IPPROTO_TCP, &peer);
	return 0;
}
