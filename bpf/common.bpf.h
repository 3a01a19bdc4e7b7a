/* SPDX-License-Identifier: Apache-2.0 */
/*
 * State and helpers shared by every .bpf.c file. The objects are linked into one
 * (bpftool gen object), so maps and globals here are __weak: each object sees the
 * same definition and the linker keeps one.
 */
#ifndef TELLTALE_COMMON_BPF_H
#define TELLTALE_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "telltale.h"
#include "syscall-numbers.h"

#define TT_AF_INET 2
#define TT_AF_INET6 10
#define TT_S_IFMT 00170000
#define TT_S_IFSOCK 0140000
#define TT_IPPROTO_TCP 6
#define TT_IPPROTO_UDP 17
#define TT_SOCK_STREAM 1
#define TT_SOCK_DGRAM 2
#define TT_TCP_ESTABLISHED 1
#define TT_TCP_SYN_RECV 3
#define TT_AT_FDCWD -100
#define TT_OVERLAYFS_SUPER_MAGIC 0x794c7630

/* Arguments handed from the sys_enter program to the per-concern handlers. */
struct tt_syscall_args {
	__u64 nr;
	__u64 cgroup_id;
	__u64 arg[6];
	__u64 retry;		/* set when replayed from tt_thread.pending */
};

/*
 * Per-thread state lives in two places. The hot part, touched on every syscall, is
 * in a per-CPU slot for the thread running on that CPU: a per-CPU array lookup is
 * inlined, a task-storage lookup costs about half the hook itself. The slot is
 * saved to the thread's task storage when the thread is switched out (sched_switch)
 * and loaded again at its next syscall. See syscalls.bpf.c.
 */
struct tt_hot_thread {
	__u64 css_set;		/* the state below is valid while the thread stays in this css_set ... */
	__u32 epoch;		/* ... and in this dedup epoch */
	__u32 ngram_fill;	/* syscalls folded into ngram so far, saturating at n */
	__u64 cgroup_id;
	__u64 ngram;
	/* TT_SLOW_*: rare work to do at this thread's next syscall, tested with one load. */
	__u32 slow;
	__u32 reserved;
	__u64 syscalls_seen[TT_SYSCALL_MAX / 64];	/* only when sequences are off */
};

#define TT_SLOW_PENDING_OPEN 1
#define TT_SLOW_DNS_FD 2

struct tt_cpu_slot {
	__u32 tid;		/* thread whose hot state this is; 0: none */
	__u32 reserved;
	struct tt_hot_thread hot;
};

/*
 * Per-CPU caches of items already reported for a cgroup in this epoch, consulted
 * before the LRU: most syscalls and most opens end here. Only the sys_enter
 * program uses them, and a program never runs twice at once on one CPU.
 */
#define TT_NGRAM_CACHE_SLOTS 256
struct tt_ngram_cache {
	__u64 ngram[TT_NGRAM_CACHE_SLOTS];
	__u64 owner[TT_NGRAM_CACHE_SLOTS];	/* cgroup id | epoch << 40 */
};

#define TT_FILE_CACHE_SLOTS 256
struct tt_file_cache {
	__u64 key[TT_FILE_CACHE_SLOTS];		/* the dedup hash of the open */
	__u64 owner[TT_FILE_CACHE_SLOTS];	/* cgroup id | epoch << 40 */
};

static __always_inline __u64 tt_cache_owner(__u64 cgroup_id, __u32 epoch)
{
	return cgroup_id | ((__u64)epoch << 40);
}

/* The persistent per-thread state, in task storage. */
struct tt_thread {
	struct tt_hot_thread hot;
	/* Capability checks keep their own cache (cap_capable is a different program). */
	__u64 caps_css_set;
	__u32 caps_epoch;
	__u32 reserved;
	__u64 caps_seen[2];	/* [0] denied, [1] granted */
	/*
	 * fd + 1 of a socket this thread connected to port 53 (0: none). Resolvers like
	 * busybox's write() queries on it; watching write() on every fd would cost too
	 * much, so only this one is parsed.
	 */
	__u32 dns_fd_plus1;
	__u32 reserved2;
	/*
	 * An open whose path was not yet paged in (a fresh process's ld.so strings):
	 * the kernel faults it in while the syscall runs, so it is read again at this
	 * thread's next syscall instead of being lost.
	 */
	struct tt_syscall_args pending;
};


struct tt_seen_key {
	__u64 cgroup_id;
	__u64 hash;
	__u32 kind;
	__u32 reserved;
};


struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);	/* the loader may resize before load */
} tt_events SEC(".maps") __weak;

/* Items already reported per cgroup, with the epoch they were reported in. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 262144);
	__type(key, struct tt_seen_key);
	__type(value, __u32);
} tt_seen SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct tt_thread);
} tt_threads SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_cpu_slot);
} tt_cpu_slots SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_ngram_cache);
} tt_cpu_ngrams SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_file_cache);
} tt_cpu_files SEC(".maps") __weak;

/*
 * Large records are built in per-CPU scratch and copied into the ring at their
 * used size: reserving the largest possible record would fill the ring twenty
 * times sooner. One scratch per program: a program never runs twice at once on a CPU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_file_record);
} tt_scratch_file SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_exec_record);
} tt_scratch_exec SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tt_dns_record);
} tt_scratch_dns SEC(".maps") __weak;

/* Events lost per cgroup, so user space can suppress scores for exactly those workloads. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, __u64);
} tt_cgroup_losses SEC(".maps") __weak;

/* Written by the loader through the mmap'd .bss; read on every syscall. */
volatile __u32 tt_epoch __weak;
/* Counters the loader reads through the mmap'd .bss without a syscall. */
volatile __u64 tt_emitted[TT_KIND_KERNEL_MAX] __weak;
volatile __u64 tt_lost[TT_LOSS_MAX] __weak;

/* Set by the loader before load. */
const volatile __u32 tt_ngram_length __weak = 6;
/* (1 << (9 * n)) - 1, computed by the loader so the fast path does not. */
const volatile __u64 tt_ngram_mask __weak = (1ULL << 54) - 1;
const volatile __u32 tt_wakeup_bytes __weak = 1 << 20;
const volatile __u32 tt_cap_derived __weak = 0;
const volatile __u64 tt_dispatch_mask[TT_SYSCALL_MAX / 64] __weak;

/* Handlers, one per concern, called from the sys_enter program for dispatched syscalls. */
extern int tt_file_syscall(struct tt_syscall_args *args);
extern int tt_network_syscall(struct tt_syscall_args *args);
extern int tt_process_syscall(struct tt_syscall_args *args);
extern int tt_capability_syscall(struct tt_syscall_args *args);

/*
 * Flags work for the current thread's next syscall. Called from the sys_enter
 * program's handlers, so the CPU slot belongs to the current thread; the flag is
 * set in the thread's storage too, in case the slot is saved before it is used.
 */
static __always_inline void tt_mark_slow(struct task_struct *task, struct tt_thread *th, __u32 flag)
{
	__u32 zero = 0;
	struct tt_cpu_slot *slot = bpf_map_lookup_elem(&tt_cpu_slots, &zero);

	th->hot.slow |= flag;
	if (slot && slot->tid == (__u32)BPF_CORE_READ(task, pid))
		slot->hot.slow |= flag;
}

static __always_inline void tt_count_loss(__u64 cgroup_id, enum tt_loss_reason reason)
{
	__u64 one = 1, *lost;

	__sync_fetch_and_add(&tt_lost[reason], 1);
	lost = bpf_map_lookup_elem(&tt_cgroup_losses, &cgroup_id);
	if (lost) {
		__sync_fetch_and_add(lost, 1);
		return;
	}
	if (bpf_map_update_elem(&tt_cgroup_losses, &cgroup_id, &one, BPF_NOEXIST) == 0)
		return;
	lost = bpf_map_lookup_elem(&tt_cgroup_losses, &cgroup_id);
	if (lost)
		__sync_fetch_and_add(lost, 1);
	else
		__sync_fetch_and_add(&tt_lost[TT_LOSS_MAP_FULL], 1);
}

static __always_inline bool tt_already_reported(struct tt_seen_key *key)
{
	__u32 *epoch = bpf_map_lookup_elem(&tt_seen, key);

	return epoch && *epoch == tt_epoch;
}

static __always_inline void tt_mark_reported(struct tt_seen_key *key)
{
	__u32 epoch = tt_epoch;

	/* LRU updates only fail on allocation failure; a failure means a later re-report, not a loss. */
	bpf_map_update_elem(&tt_seen, key, &epoch, BPF_ANY);
}

static __always_inline void *tt_reserve(__u64 size, __u64 cgroup_id)
{
	void *rec = bpf_ringbuf_reserve(&tt_events, size, 0);

	if (!rec)
		tt_count_loss(cgroup_id, TT_LOSS_RINGBUF_FULL);
	return rec;
}

static __always_inline __u64 tt_wakeup_flags(void)
{
	return bpf_ringbuf_query(&tt_events, BPF_RB_AVAIL_DATA) >= tt_wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/* Copies a record built in scratch into the ring; false (and the loss counted) when it does not fit. */
static __always_inline bool tt_output(void *rec, __u64 size, __u8 kind, __u64 cgroup_id)
{
	if (bpf_ringbuf_output(&tt_events, rec, size, tt_wakeup_flags())) {
		tt_count_loss(cgroup_id, TT_LOSS_RINGBUF_FULL);
		return false;
	}
	if (kind < TT_KIND_KERNEL_MAX)
		__sync_fetch_and_add(&tt_emitted[kind], 1);
	return true;
}

/* Consumers drain on a timer; wake them only when the ring is filling up. */
static __always_inline void tt_submit(void *rec, __u8 kind)
{
	if (kind < TT_KIND_KERNEL_MAX)
		__sync_fetch_and_add(&tt_emitted[kind], 1);
	bpf_ringbuf_submit(rec, tt_wakeup_flags());
}

static __always_inline void tt_fill_header(struct tt_header *hdr, __u8 kind, __u16 size, __u64 cgroup_id)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	hdr->size = size;
	hdr->kind = kind;
	hdr->version = TT_WIRE_VERSION;
	hdr->pid = pid_tgid >> 32;
	hdr->tid = (__u32)pid_tgid;
	hdr->ppid = BPF_CORE_READ(task, real_parent, tgid);
	hdr->uid = (__u32)bpf_get_current_uid_gid();
	hdr->reserved = 0;
	hdr->cgroup_id = cgroup_id;
	hdr->time_ns = bpf_ktime_get_boot_ns();
	bpf_get_current_comm(hdr->comm, sizeof(hdr->comm));
}

/* FNV-1a style mixing, one 64-bit word at a time. */
static __always_inline __u64 tt_mix(__u64 hash, __u64 word)
{
	return (hash ^ word) * 0x100000001b3ULL;
}

#define TT_HASH_SEED 0xcbf29ce484222325ULL

/*
 * Hashes the first len bytes of buf (len <= buf_words * 8), ignoring whatever
 * follows the string in its last word.
 */
static __always_inline __u64 tt_hash_bytes(const __u64 *buf, __u32 buf_words, __u32 len, __u64 hash)
{
	for (__u32 i = 0; i < buf_words; i++) {
		__u32 start = i * 8;
		__u64 word;

		if (start >= len)
			break;
		word = buf[i];
		if (len - start < 8)
			word &= (1ULL << ((len - start) * 8)) - 1;
		hash = tt_mix(hash, word);
	}
	return tt_mix(hash, len);
}

static __always_inline struct file *tt_fd_file(struct task_struct *task, __u64 fd)
{
	struct files_struct *files = BPF_CORE_READ(task, files);
	struct fdtable *fdt;
	struct file **fds;
	struct file *file = NULL;

	if (!files)
		return NULL;
	fdt = BPF_CORE_READ(files, fdt);
	if (fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	return file;
}

static __always_inline bool tt_file_is_socket(struct file *file)
{
	if (!file)
		return false;
	return (BPF_CORE_READ(file, f_inode, i_mode) & TT_S_IFMT) == TT_S_IFSOCK;
}

static __always_inline struct sock *tt_file_sock(struct file *file)
{
	struct socket *sock;

	if (!tt_file_is_socket(file))
		return NULL;
	sock = BPF_CORE_READ(file, private_data);
	if (!sock)
		return NULL;
	return BPF_CORE_READ(sock, sk);
}

/* An IPv4/IPv6 socket: what a remote shell talks through (pipes between local processes are often UNIX sockets). */
static __always_inline bool tt_file_is_inet_socket(struct file *file)
{
	struct sock *sk = tt_file_sock(file);
	__u16 family;

	if (!sk)
		return false;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	return family == TT_AF_INET || family == TT_AF_INET6;
}

/*
 * Walks a path from its dentry up to the process root, writing components leaf
 * first into data at [off, ...). Each component write is at most TT_NAME_MAX+1
 * bytes at an offset masked by mask, so data must hold mask + 1 + TT_NAME_MAX + 1
 * bytes. Writing stops before off passes stop. Returns the new offset; sets
 * *truncated when components were left out. Also reports where the two
 * root-most components start, for cheap prefix checks (/tmp, /dev/shm).
 */
struct tt_walk_result {
	__u32 off;
	__u32 last;		/* offset of the root-most component written */
	__u32 previous;		/* offset of the component below it */
	__u32 depth;
	bool truncated;
};

/* If dentry is the root of its mount, moves to the mountpoint in the parent mount. Returns false at the top. */
static __always_inline bool tt_cross_mount(struct dentry **dentry, struct vfsmount **vfsmnt)
{
	__u32 mnt_offset = bpf_core_field_offset(struct mount, mnt);
	struct mount *mnt, *up;

	if (*dentry != BPF_CORE_READ(*vfsmnt, mnt_root))
		return true;
	mnt = (struct mount *)((void *)*vfsmnt - mnt_offset);
	up = BPF_CORE_READ(mnt, mnt_parent);
	if (!up || up == mnt)
		return false;	/* top of this mount namespace, or a detached mount */
	*dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
	*vfsmnt = (struct vfsmount *)((void *)up + mnt_offset);
	return true;
}

/*
 * The loop body merges back into one shape every iteration (mount crossings do
 * not skip the component write), and the results are masked at the end, so the
 * verifier sees one state per iteration instead of one per path.
 */
static __always_inline void tt_walk_path(struct dentry *dentry, struct vfsmount *vfsmnt,
					 struct dentry *root_dentry, struct vfsmount *root_mnt,
					 char *data, __u32 off, __u32 stop, __u32 mask,
					 struct tt_walk_result *res)
{
	__u32 last = off, previous = off, depth = 0;
	bool truncated = true;

	for (__u32 i = 0; i < TT_PATH_DEPTH; i++) {
		struct dentry *parent;
		long n;

		if (!dentry || (dentry == root_dentry && vfsmnt == root_mnt)) {
			truncated = false;
			break;
		}
		/* Twice: a mount can sit on the root of another mount. */
		if (!tt_cross_mount(&dentry, &vfsmnt) || !tt_cross_mount(&dentry, &vfsmnt)) {
			truncated = false;
			break;
		}
		if (dentry == root_dentry && vfsmnt == root_mnt) {
			truncated = false;
			break;
		}
		parent = BPF_CORE_READ(dentry, d_parent);
		if (parent == dentry) {
			/*
			 * A filesystem root not mounted under our root, or a pseudo file (memfd,
			 * anonymous inode) with no parent at all: only the latter has a name.
			 */
			truncated = false;
			if (depth == 0 && off <= stop) {
				n = bpf_probe_read_kernel_str(&data[off & mask], TT_NAME_MAX + 1, BPF_CORE_READ(dentry, d_name.name));
				if (n > 1 && data[off & mask] != '/') {
					previous = last;
					last = off;
					off += (__u32)n;
					depth++;
				}
			}
			break;
		}
		if (off > stop)
			break;
		n = bpf_probe_read_kernel_str(&data[off & mask], TT_NAME_MAX + 1, BPF_CORE_READ(dentry, d_name.name));
		if (n <= 0)
			break;
		previous = last;
		last = off;
		off += (__u32)n;
		depth++;
		dentry = parent;
	}
	res->off = off & mask;
	res->last = last & mask;
	res->previous = previous & mask;
	res->depth = depth & 63;
	res->truncated = truncated;
}

#endif /* TELLTALE_COMMON_BPF_H */
