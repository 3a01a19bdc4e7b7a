// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * The one sys_enter program: the syscall set and syscall n-grams per cgroup, and
 * dispatch of the few syscalls other concerns need to see.
 *
 * Every syscall on the host runs this, so the fast path touches only per-CPU
 * memory (array lookups are inlined): the hot state of the thread running on this
 * CPU, and a direct-mapped cache of n-grams already reported per cgroup. A hash or
 * task-storage lookup per syscall would cost about as much as the hook itself.
 * Only a miss in the cache reaches the per-cgroup LRU in tt_seen. The hot state is
 * saved to task storage when its thread is switched out, and loaded again at the
 * thread's next syscall, so n-grams follow each thread across context switches.
 */
#include "common.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* A new cgroup or epoch: start the thread's window and syscall set over. */
static __noinline void tt_hot_reset(struct tt_hot_thread *hot, __u64 css_set, __u32 epoch)
{
	hot->css_set = css_set;
	hot->epoch = epoch;
	hot->cgroup_id = bpf_get_current_cgroup_id();
	hot->ngram = 0;
	hot->ngram_fill = 0;
#pragma unroll
	for (int i = 0; i < TT_SYSCALL_MAX / 64; i++)
		hot->syscalls_seen[i] = 0;
}

/* The thread's first syscall on this CPU since it was switched in: load its hot state. */
static __noinline void tt_slot_load(struct tt_cpu_slot *slot, struct task_struct *task, __u32 tid)
{
	struct tt_thread *th = bpf_task_storage_get(&tt_threads, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);

	slot->tid = tid;
	if (th) {
		__builtin_memcpy(&slot->hot, &th->hot, sizeof(slot->hot));
	} else {
		__sync_fetch_and_add(&tt_lost[TT_LOSS_MAP_FULL], 1);
		slot->hot.css_set = 0; /* forces a reset: the window starts over */
		slot->hot.slow = 0;
	}
}

/* The thread leaves the CPU: keep its hot state with the thread. */
SEC("tp_btf/sched_switch")
int BPF_PROG(tt_sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
{
	__u32 zero = 0;
	struct tt_cpu_slot *slot = bpf_map_lookup_elem(&tt_cpu_slots, &zero);
	struct tt_thread *th;

	/* A slot is owned only after its thread made a syscall since it was switched in. */
	if (!slot || !slot->tid || slot->tid != (__u32)prev->pid)
		return 0;
	slot->tid = 0;
	th = bpf_task_storage_get(&tt_threads, prev, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (th)
		__builtin_memcpy(&th->hot, &slot->hot, sizeof(th->hot));
	else
		__sync_fetch_and_add(&tt_lost[TT_LOSS_MAP_FULL], 1);
	return 0;
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

/* Rare per-thread work: an open to read again, a DNS socket to watch. */
static __noinline void tt_slow_path(struct tt_hot_thread *hot, struct task_struct *task, struct pt_regs *regs, __u64 nr)
{
	struct tt_thread *th = bpf_task_storage_get(&tt_threads, task, 0, 0);

	if (!th) {
		hot->slow = 0;
		return;
	}
	if (hot->slow & TT_SLOW_PENDING_OPEN) {
		struct tt_syscall_args args = th->pending;

		th->pending.nr = 0;
		hot->slow &= ~TT_SLOW_PENDING_OPEN;
		if (args.nr)
			tt_file_syscall(&args);
	}
	if ((hot->slow & TT_SLOW_DNS_FD) && (nr == TT_NR_write || nr == TT_NR_close)) {
		struct tt_syscall_args args = {
			.nr = nr,
			.cgroup_id = hot->cgroup_id,
			.arg = { regs->di, regs->si, regs->dx, 0, 0, 0 },
		};

		if (args.arg[0] + 1 != th->dns_fd_plus1)
			return;
		if (nr == TT_NR_close) {
			th->dns_fd_plus1 = 0;
			hot->slow &= ~TT_SLOW_DNS_FD;
		} else {
			tt_network_syscall(&args);
		}
	}
}

SEC("tp_btf/sys_enter")
int BPF_PROG(tt_sys_enter, struct pt_regs *regs, long id)
{
	__u32 zero = 0, tid, epoch;
	struct task_struct *task;
	struct tt_cpu_slot *slot;
	struct tt_hot_thread *hot;
	__u64 nr = (__u64)id, css_set;

	if (nr >= TT_SYSCALL_MAX)
		return 0;
	slot = bpf_map_lookup_elem(&tt_cpu_slots, &zero);
	if (!slot)
		return 0;
	task = bpf_get_current_task_btf();
	tid = task->pid;
	if (slot->tid != tid)
		tt_slot_load(slot, task, tid);
	hot = &slot->hot;
	/* The css_set pointer changes whenever the thread changes cgroups, and reading it is one load. */
	css_set = (__u64)task->cgroups;
	epoch = tt_epoch;
	if (hot->css_set != css_set || hot->epoch != epoch)
		tt_hot_reset(hot, css_set, epoch);

	if (tt_ngram_length) {
		/*
		 * With sequences on, the syscall set needs no work of its own: every syscall
		 * a thread makes is in one of its reported n-grams, and user space derives
		 * the set from them. A thread that makes fewer than n syscalls in an epoch
		 * fills no window and reports nothing: the price of a free syscall set.
		 */
		__u64 ngram = ((hot->ngram << TT_SYSCALL_BITS) | nr) & tt_ngram_mask;

		hot->ngram = ngram;
		/* The n-th syscall completes the first window: it is reported like every later one. */
		if (hot->ngram_fill + 1 < tt_ngram_length) {
			hot->ngram_fill++;
		} else {
			struct tt_ngram_cache *cache = bpf_map_lookup_elem(&tt_cpu_ngrams, &zero);
			__u64 owner = tt_cache_owner(hot->cgroup_id, epoch);
			__u32 at = (((ngram ^ owner) * 0x9E3779B97F4A7C15ULL) >> 56) & (TT_NGRAM_CACHE_SLOTS - 1);

			if (cache && (cache->ngram[at] != ngram || cache->owner[at] != owner)) {
				cache->ngram[at] = ngram;
				cache->owner[at] = owner;
				tt_report_ngram(hot->cgroup_id, ngram);
			}
		}
	} else {
		__u64 bit = 1ULL << (nr & 63), word = hot->syscalls_seen[(nr >> 6) & 7];

		if (!(word & bit)) {
			hot->syscalls_seen[(nr >> 6) & 7] = word | bit;
			tt_report_syscall(hot->cgroup_id, nr);
		}
	}

	if (hot->slow)
		tt_slow_path(hot, task, regs, nr);
	if (tt_dispatch_mask[(nr >> 6) & 7] & (1ULL << (nr & 63)))
		tt_dispatch(regs, nr, hot->cgroup_id);
	return 0;
}
