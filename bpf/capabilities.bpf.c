// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * Capabilities a workload uses.
 *
 * Hook mode: the cap_capable tracepoint (kernels from 6.15 have it) sees every
 * capability check with its result. Derived mode, for older kernels: the loader
 * sends the syscalls below through tt_capability_syscall, which maps each to the
 * capability it needs (README: "Capability modes" documents the mapping).
 */
#include "common.bpf.h"

#define CAP_CHOWN 0
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_NET_BIND_SERVICE 10
#define CAP_NET_RAW 13
#define CAP_IPC_LOCK 14
#define CAP_SYS_MODULE 16
#define CAP_SYS_RAWIO 17
#define CAP_SYS_CHROOT 18
#define CAP_SYS_PTRACE 19
#define CAP_SYS_PACCT 20
#define CAP_SYS_ADMIN 21
#define CAP_SYS_BOOT 22
#define CAP_SYS_NICE 23
#define CAP_SYS_RESOURCE 24
#define CAP_SYS_TIME 25
#define CAP_MKNOD 27
#define CAP_SYSLOG 34
#define CAP_PERFMON 38
#define CAP_BPF 39
#define CAP_NONE 0xffffffffU

#define TT_AF_PACKET 17
#define TT_SOCK_RAW 3
#define TT_SOCK_TYPE_MASK 0xf
#define TT_S_IFCHR 0020000
#define TT_S_IFBLK 0060000

static __always_inline void tt_report_capability(__u64 cgroup_id, __u32 cap, __u32 flags, __u32 nr)
{
	struct tt_seen_key key = { .cgroup_id = cgroup_id, .kind = TT_KIND_CAPABILITY };
	struct tt_capability_record *rec;

	key.hash = ((__u64)flags << 32) | cap;
	if (tt_already_reported(&key))
		return;
	rec = tt_reserve(sizeof(*rec), cgroup_id);
	if (!rec)
		return;
	tt_fill_header(&rec->hdr, TT_KIND_CAPABILITY, sizeof(*rec), cgroup_id);
	rec->cap = cap;
	rec->flags = flags;
	rec->syscall_nr = nr;
	rec->reserved = 0;
	tt_submit(rec, TT_KIND_CAPABILITY);
	tt_mark_reported(&key);
}

SEC("tp_btf/cap_capable")
int BPF_PROG(tt_cap_capable, const struct cred *cred, struct user_namespace *target_ns,
	     const struct user_namespace *capable_ns, int cap, int ret)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 granted = ret == 0;
	struct tt_thread *th;

	if (cap < 0 || cap > 63)
		return 0;
	/* Capability checks are frequent; the per-thread bitmap answers most of them. */
	th = bpf_task_storage_get(&tt_threads, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (th) {
		__u64 bit = 1ULL << cap;

		if (th->caps_css_set != (__u64)task->cgroups || th->caps_epoch != tt_epoch) {
			th->caps_css_set = (__u64)task->cgroups;
			th->caps_epoch = tt_epoch;
			th->caps_seen[0] = 0;
			th->caps_seen[1] = 0;
		}
		if (th->caps_seen[granted & 1] & bit)
			return 0;
		th->caps_seen[granted & 1] |= bit;
	}
	tt_report_capability(bpf_get_current_cgroup_id(), cap, granted ? TT_CAP_GRANTED : 0, 0);
	return 0;
}

static __always_inline __u32 tt_cap_for_syscall(struct tt_syscall_args *args)
{
	switch (args->nr) {
	case TT_NR_chown:
	case TT_NR_fchown:
	case TT_NR_lchown:
	case TT_NR_fchownat:
		return CAP_CHOWN;
	case TT_NR_setgid:
	case TT_NR_setregid:
	case TT_NR_setresgid:
	case TT_NR_setfsgid:
	case TT_NR_setgroups:
		return CAP_SETGID;
	case TT_NR_setuid:
	case TT_NR_setreuid:
	case TT_NR_setresuid:
	case TT_NR_setfsuid:
		return CAP_SETUID;
	case TT_NR_capset:
		return CAP_SETPCAP;
	case TT_NR_bind: {
		struct sockaddr_in sa = {};

		if (args->arg[2] >= sizeof(sa) && bpf_probe_read_user(&sa, sizeof(sa), (void *)args->arg[1]) == 0 &&
		    (sa.sin_family == TT_AF_INET || sa.sin_family == TT_AF_INET6) && bpf_ntohs(sa.sin_port) > 0 &&
		    bpf_ntohs(sa.sin_port) < 1024)
			return CAP_NET_BIND_SERVICE;
		return CAP_NONE;
	}
	case TT_NR_socket:
		if (args->arg[0] == TT_AF_PACKET ||
		    ((args->arg[0] == TT_AF_INET || args->arg[0] == TT_AF_INET6) &&
		     (args->arg[1] & TT_SOCK_TYPE_MASK) == TT_SOCK_RAW))
			return CAP_NET_RAW;
		return CAP_NONE;
	case TT_NR_mlock:
	case TT_NR_mlockall:
	case TT_NR_mlock2:
		return CAP_IPC_LOCK;
	case TT_NR_init_module:
	case TT_NR_finit_module:
	case TT_NR_delete_module:
		return CAP_SYS_MODULE;
	case TT_NR_iopl:
	case TT_NR_ioperm:
		return CAP_SYS_RAWIO;
	case TT_NR_chroot:
		return CAP_SYS_CHROOT;
	case TT_NR_ptrace:
		return CAP_SYS_PTRACE;
	case TT_NR_acct:
		return CAP_SYS_PACCT;
	case TT_NR_mount:
	case TT_NR_umount2:
	case TT_NR_pivot_root:
	case TT_NR_swapon:
	case TT_NR_swapoff:
	case TT_NR_sethostname:
	case TT_NR_setdomainname:
	case TT_NR_setns:
	case TT_NR_quotactl:
	case TT_NR_fsopen:
	case TT_NR_fsmount:
	case TT_NR_move_mount:
	case TT_NR_open_tree:
		return CAP_SYS_ADMIN;
	case TT_NR_unshare:
		/* CLONE_NEWUSER alone needs no privilege; every other new namespace does. */
		return (args->arg[0] & 0x6E020080ULL) ? CAP_SYS_ADMIN : CAP_NONE;
	case TT_NR_reboot:
	case TT_NR_kexec_load:
	case TT_NR_kexec_file_load:
		return CAP_SYS_BOOT;
	case TT_NR_setpriority:
		return (long)args->arg[2] < 0 ? CAP_SYS_NICE : CAP_NONE;
	case TT_NR_setrlimit:
	case TT_NR_prlimit64:
		return CAP_SYS_RESOURCE;
	case TT_NR_settimeofday:
	case TT_NR_clock_settime:
	case TT_NR_adjtimex:
		return CAP_SYS_TIME;
	case TT_NR_mknod:
		return ((args->arg[1] & 0170000) == TT_S_IFCHR || (args->arg[1] & 0170000) == TT_S_IFBLK) ? CAP_MKNOD
													     : CAP_NONE;
	case TT_NR_mknodat:
		return ((args->arg[2] & 0170000) == TT_S_IFCHR || (args->arg[2] & 0170000) == TT_S_IFBLK) ? CAP_MKNOD
													     : CAP_NONE;
	case TT_NR_syslog:
		return CAP_SYSLOG;
	case TT_NR_perf_event_open:
		return CAP_PERFMON;
	case TT_NR_bpf:
		return CAP_BPF;
	}
	return CAP_NONE;
}

/*
 * kernel_cap_t is one u64 since Linux 6.3 and two u32 words before (Debian 12 runs 6.1).
 * Local flavors of both layouts keep the build independent of the build host's kernel;
 * CO-RE picks the one the running kernel has.
 */
struct kernel_cap_t___u64 {
	__u64 val;
} __attribute__((preserve_access_index));
struct cred___u64 {
	struct kernel_cap_t___u64 cap_effective;
} __attribute__((preserve_access_index));
struct kernel_cap_t___u32x2 {
	__u32 cap[2];
} __attribute__((preserve_access_index));
struct cred___u32x2 {
	struct kernel_cap_t___u32x2 cap_effective;
} __attribute__((preserve_access_index));

static __always_inline __u64 tt_effective_caps(struct task_struct *task)
{
	const void *cred = BPF_CORE_READ(task, cred);

	if (bpf_core_field_exists(((struct cred___u64 *)0)->cap_effective.val))
		return BPF_CORE_READ((const struct cred___u64 *)cred, cap_effective.val);
	return BPF_CORE_READ((const struct cred___u32x2 *)cred, cap_effective.cap[0]) |
	       ((__u64)BPF_CORE_READ((const struct cred___u32x2 *)cred, cap_effective.cap[1]) << 32);
}

__noinline int tt_capability_syscall(struct tt_syscall_args *args)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 cap, flags = TT_CAP_DERIVED;

	if (!args)
		return 0;
	cap = tt_cap_for_syscall(args);
	if (cap > 63)
		return 0;
	if (tt_effective_caps(task) & (1ULL << cap))
		flags |= TT_CAP_GRANTED;
	tt_report_capability(args->cgroup_id, cap, flags, args->nr);
	return 0;
}
