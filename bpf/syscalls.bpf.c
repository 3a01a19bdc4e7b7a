// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * The one sys_enter program: the syscall set and syscall n-grams per cgroup, and
 * dispatch of the few syscalls other concerns need to see.
 *
 * Every syscall on the host runs this, so the fast path touches only the calling
 * thread's local storage: a bitmap of syscalls this thread already knows were
 * reported for its cgroup, and a small direct-mapped cache of n-grams likewise.
 * A hash lookup per syscall would cost about as much as the hook itself. Only a
 * miss in those caches reaches the per-cgroup LRU in tt_seen.
 */
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * Starting over for a new cgroup or epoch. The n-gram cache is not cleared: its
 * entries are stored XORed with a per-reset salt, so old entries stop matching.
 */
static __noinline void tt_thread_reset(struct tt_thread *th, __u64 css_set, __u32 epoch)
{
	th->css_set = css_set;
	th->cgroup_id = bpf_get_current_cgroup_id();
	th->epoch = epoch;
#pragma unroll
	for (int i = 0; i < TT_SYSCALL_MAX / 64; i++)
		th->syscalls_seen[i] = 0;
	th->caps_seen[0] = 0;
	th->caps_seen[1] = 0;
	th->cache_salt = ((__u64)bpf_get_prandom_u32() << 32) | bpf_get_prandom_u32();
}

static __noinline void tt_report_syscall(__u64 cgroup_id, __u32 nr)
{
	struct tt_seen_key key = { .cgroup_id = cgroup_id, .hash = nr, .kind = TT_KIND_SYSCALL };
	struct tt_syscall_record *rec;

	if (tt_already_reported(&key))
		return;
	rec = tt_reserve(sizeof(*rec), cgroup_id);
	if (!rec)
		return;
	tt_fill_header(&rec->hdr, TT_KIND_SYSCALL, sizeof(*rec), cgroup_id);
	rec->nr = nr;
	rec->reserved = 0;
	tt_submit(rec, TT_KIND_SYSCALL);
	tt_mark_reported(&key);
}

static __noinline void tt_report_ngram(__u64 cgroup_id, __u64 ngram)
{
	struct tt_seen_key key = { .cgroup_id = cgroup_id, .hash = ngram, .kind = TT_KIND_SEQUENCE };
	struct tt_sequence_record *rec;

	if (tt_already_reported(&key))
		return;
	rec = tt_reserve(sizeof(*rec), cgroup_id);
	if (!rec)
		return;
	tt_fill_header(&rec->hdr, TT_KIND_SEQUENCE, sizeof(*rec), cgroup_id);
	rec->ngram = ngram;
	rec->length = tt_ngram_length;
	rec->reserved = 0;
	tt_submit(rec, TT_KIND_SEQUENCE);
	tt_mark_reported(&key);
}

static __noinline void tt_dispatch(struct pt_regs *regs, __u64 nr, __u64 cgroup_id)
{
	struct tt_syscall_args args = {
		.nr = nr,
		.cgroup_id = cgroup_id,
		.arg = { regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9 },
	};

	switch (nr) {
	case TT_NR_open:
	case TT_NR_creat:
	case TT_NR_openat:
	case TT_NR_openat2:
		tt_file_syscall(&args);
		break;
	case TT_NR_connect:
	case TT_NR_bind:
	case TT_NR_listen:
	case TT_NR_sendto:
	case TT_NR_sendmsg:
	case TT_NR_sendmmsg:
		tt_network_syscall(&args);
		break;
	case TT_NR_ptrace:
	case TT_NR_init_module:
	case TT_NR_finit_module:
	case TT_NR_unshare:
	case TT_NR_setns:
		tt_process_syscall(&args);
		break;
	}
	if (tt_cap_derived)
		tt_capability_syscall(&args);
}

static __noinline void tt_dns_fd_syscall(struct tt_thread *th, struct pt_regs *regs, __u64 nr, __u64 cgroup_id)
{
	struct tt_syscall_args args = {
		.nr = nr,
		.cgroup_id = cgroup_id,
		.arg = { regs->di, regs->si, regs->dx, 0, 0, 0 },
	};

	if (args.arg[0] + 1 != th->dns_fd_plus1)
		return;
	if (nr == TT_NR_close)
		th->dns_fd_plus1 = 0;
	else
		tt_network_syscall(&args);
}

static __noinline void tt_replay_pending(struct tt_thread *th)
{
	struct tt_syscall_args args = th->pending;

	th->pending.nr = 0;
	tt_file_syscall(&args);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tt_sys_enter, struct pt_regs *regs, long id)
{
	struct task_struct *task;
	struct tt_thread *th;
	__u64 nr = (__u64)id, bit, word, cgroup_id, css_set;
	__u32 epoch, n;

	if (nr >= TT_SYSCALL_MAX)
		return 0;
	task = bpf_get_current_task_btf();
	th = bpf_task_storage_get(&tt_threads, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!th) {
		__sync_fetch_and_add(&tt_lost[TT_LOSS_MAP_FULL], 1);
		return 0;
	}
	/*
	 * The css_set pointer changes whenever the thread changes cgroups, and reading
	 * it is one load; bpf_get_current_cgroup_id() costs about as much as the hook.
	 */
	css_set = (__u64)task->cgroups;
	epoch = tt_epoch;
	if (th->css_set != css_set || th->epoch != epoch)
		tt_thread_reset(th, css_set, epoch);
	cgroup_id = th->cgroup_id;

	bit = 1ULL << (nr & 63);
	word = th->syscalls_seen[(nr >> 6) & 7];
	if (!(word & bit)) {
		th->syscalls_seen[(nr >> 6) & 7] = word | bit;
		tt_report_syscall(cgroup_id, nr);
	}

	n = tt_ngram_length;
	if (n) {
		__u64 ngram = ((th->ngram << TT_SYSCALL_BITS) | nr) & ((1ULL << (n * TT_SYSCALL_BITS)) - 1);

		th->ngram = ngram;
		if (th->ngram_fill < n) {
			th->ngram_fill++;
		} else {
			__u32 slot = ((ngram * 0x9E3779B97F4A7C15ULL) >> (64 - 7)) & (TT_NGRAM_CACHE_SLOTS - 1);
			__u64 tagged = ngram ^ th->cache_salt;

			if (th->ngram_cache[slot] != tagged) {
				th->ngram_cache[slot] = tagged;
				tt_report_ngram(cgroup_id, ngram);
			}
		}
	}

	if (th->pending.nr)
		tt_replay_pending(th);
	if (th->dns_fd_plus1 && (nr == TT_NR_write || nr == TT_NR_close))
		tt_dns_fd_syscall(th, regs, nr, cgroup_id);
	if (tt_dispatch_mask[(nr >> 6) & 7] & bit)
		tt_dispatch(regs, nr, cgroup_id);
	return 0;
}
