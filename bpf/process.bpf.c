// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * Process behaviour: execs (with the facts behavioural rules need, decided here
 * where the kernel objects are at hand) and the process-level syscalls rules
 * look for (ptrace, module loads, namespace changes).
 */
#include "common.bpf.h"

/* Only the fields read here, matched by name against the running kernel's BTF (CO-RE). */
struct ovl_inode___tt {
	struct dentry *__upperdentry;
	struct inode vfs_inode;
} __attribute__((preserve_access_index));

#define TT_ENV_SCAN_STEPS 128
/* Bytes of environment read per step; 128 steps cover 128 KiB of environment. */
#define TT_ENV_STEP_BYTES 1024
#define TT_PARENT_FD_SCAN 32

#define TT_PTRACE_POKETEXT 4
#define TT_PTRACE_POKEDATA 5
#define TT_PTRACE_POKEUSR 6
#define TT_PTRACE_ATTACH 16
#define TT_PTRACE_SEIZE 0x4206
#define TT_CLONE_NEW_MASK 0x7E020080ULL /* NEWTIME|NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET */

/* "LD_PRELOAD=" as two little-endian words: 8 bytes, then 3 bytes. */
#define TT_LD_PRELOAD_HEAD 0x4f4c4552505f444cULL
#define TT_LD_PRELOAD_TAIL 0x3d4441ULL

static __always_inline bool tt_is_connected_inet(struct file *file)
{
	if (!tt_file_is_inet_socket(file))
		return false;
	return BPF_CORE_READ(tt_file_sock(file), __sk_common.skc_state) == TT_TCP_ESTABLISHED;
}

static __noinline __u32 tt_parent_holds_connected_socket(struct task_struct *parent)
{
	for (__u32 fd = 0; fd < TT_PARENT_FD_SCAN; fd++) {
		if (tt_is_connected_inet(tt_fd_file(parent, fd)))
			return 1;
	}
	return 0;
}

/*
 * Finds LD_PRELOAD in the new image's environment and copies its value into out.
 * One loop over steps of up to TT_ENV_STEP_BYTES, read into scratch (a free part of
 * the exec record: the stack is too small): a step that ends inside a string does
 * not start a new one, so long values cannot hide a name behind them.
 */
static __noinline __u32 tt_find_ld_preload(struct mm_struct *mm, char *out, char *scratch, __u64 cgroup_id)
{
	unsigned long cursor = BPF_CORE_READ(mm, env_start);
	unsigned long end = BPF_CORE_READ(mm, env_end);
	bool at_start = true;

	for (__u32 i = 0; i < TT_ENV_SCAN_STEPS && cursor < end; i++) {
		__u64 head, tail;
		long n = bpf_probe_read_user_str(scratch, TT_ENV_STEP_BYTES, (void *)cursor);

		if (n <= 0) {
			/* An unreadable environment may hide LD_PRELOAD: that is a loss, not a clean exec. */
			tt_count_loss(cgroup_id, TT_LOSS_READ_FAULT);
			return 0;
		}
		__builtin_memcpy(&head, scratch, 8);
		__builtin_memcpy(&tail, scratch + 8, 8);
		if (at_start && head == TT_LD_PRELOAD_HEAD && (tail & 0xffffff) == TT_LD_PRELOAD_TAIL) {
			n = bpf_probe_read_user_str(out, TT_LD_PRELOAD_BYTES, (void *)(cursor + 11));
			if (n <= 0)
				tt_count_loss(cgroup_id, TT_LOSS_READ_FAULT);
			return n > 0 ? n : 1;
		}
		at_start = n < TT_ENV_STEP_BYTES;
		/* A full step counted a NUL the kernel added at the cut, not one in the string. */
		cursor += at_start ? n : n - 1;
	}
	return 0;
}

static __always_inline bool tt_component_is(const char *data, __u32 off, const char *want, int len)
{
	for (int i = 0; i < len; i++) {
		if (data[(off + i) & (TT_EXEC_DATA_LIMIT - 1)] != want[i])
			return false;
	}
	return true;
}

static __always_inline bool tt_has_prefix(const char buf[16], const char *want, int len)
{
	for (int i = 0; i < len && i < 16; i++) {
		if (buf[i] != want[i])
			return false;
	}
	return true;
}

/*
 * The two path walks are global functions so the verifier checks each once,
 * instead of once for every way the exec handler can reach it.
 */
__noinline int tt_exec_walk_exe(struct tt_exec_record *rec, __u64 exe_file, __u64 task_ptr)
{
	struct file *exe = (struct file *)exe_file;
	struct task_struct *task = (struct task_struct *)task_ptr;
	struct tt_walk_result walk;
	__u32 off, flags = 0;

	if (!rec)
		return 0;
	off = rec->argv_len & (TT_ARGV_BYTES * 2 - 1);
	if (off > TT_ARGV_BYTES)
		return TT_EXEC_EXE_TRUNCATED;
	tt_walk_path(BPF_CORE_READ(exe, f_path.dentry), BPF_CORE_READ(exe, f_path.mnt),
		     BPF_CORE_READ(task, fs, root.dentry), BPF_CORE_READ(task, fs, root.mnt), rec->data, off,
		     off + TT_PATH_BYTES - TT_NAME_MAX - 2, TT_EXEC_DATA_LIMIT - 1, &walk);
	rec->exe_len = walk.off - off;
	if (walk.truncated)
		flags |= TT_EXEC_EXE_TRUNCATED;
	if (walk.depth == 1 && tt_component_is(rec->data, walk.last, "memfd:", 6))
		flags |= TT_EXEC_MEMFD;
	if (walk.depth >= 2 && tt_component_is(rec->data, walk.last, "tmp", 4))
		flags |= TT_EXEC_FROM_TMP;
	if (walk.depth >= 3 && tt_component_is(rec->data, walk.last, "var", 4) &&
	    tt_component_is(rec->data, walk.previous, "tmp", 4))
		flags |= TT_EXEC_FROM_TMP;
	if (walk.depth >= 3 && tt_component_is(rec->data, walk.last, "dev", 4) &&
	    tt_component_is(rec->data, walk.previous, "shm", 4))
		flags |= TT_EXEC_FROM_DEV_SHM;
	return flags;
}

__noinline int tt_exec_walk_parent(struct tt_exec_record *rec, __u64 parent_ptr)
{
	struct task_struct *parent = (struct task_struct *)parent_ptr;
	struct file *parent_exe = BPF_CORE_READ(parent, mm, exe_file);
	struct tt_walk_result walk;
	__u32 off;

	if (!rec)
		return 0;
	rec->parent_exe_len = 0;
	if (!parent_exe)
		return 0;
	off = ((__u32)rec->argv_len + rec->exe_len) & (TT_EXEC_DATA_LIMIT - 1);
	tt_walk_path(BPF_CORE_READ(parent_exe, f_path.dentry), BPF_CORE_READ(parent_exe, f_path.mnt),
		     BPF_CORE_READ(parent, fs, root.dentry), BPF_CORE_READ(parent, fs, root.mnt), rec->data, off,
		     TT_EXEC_DATA_LIMIT - TT_LD_PRELOAD_BYTES - TT_NAME_MAX - 1, TT_EXEC_DATA_LIMIT - 1, &walk);
	rec->parent_exe_len = walk.off - off;
	return walk.truncated ? TT_EXEC_PARENT_TRUNCATED : 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(tt_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct tt_seen_key key = { .kind = TT_KIND_EXEC };
	__u64 cgroup_id = bpf_get_current_cgroup_id();
	struct tt_exec_record *rec;
	struct file *exe = bprm->file;
	struct mm_struct *mm = task->mm;
	struct task_struct *parent;
	struct inode *inode;
	unsigned long arg_start, arg_end;
	__u32 flags = 0, argv_len, off;
	__u64 size;
	char fdpath[16];
	__u64 hash;

	{
		__u32 zero = 0;

		rec = bpf_map_lookup_elem(&tt_scratch_exec, &zero);
	}
	if (!rec)
		return 0;

	/* Behavioural facts first: they are part of what makes this exec novel. */
	if (tt_file_is_inet_socket(tt_fd_file(task, 0)))
		flags |= TT_EXEC_STDIN_SOCKET;
	if (tt_file_is_inet_socket(tt_fd_file(task, 1)))
		flags |= TT_EXEC_STDOUT_SOCKET;
	if (tt_file_is_inet_socket(tt_fd_file(task, 2)))
		flags |= TT_EXEC_STDERR_SOCKET;
	parent = task->real_parent;
	if (tt_parent_holds_connected_socket(parent))
		flags |= TT_EXEC_PARENT_CONNECTED_SOCKET;

	inode = BPF_CORE_READ(exe, f_inode);
	if (BPF_CORE_READ(inode, __i_nlink) == 0)
		flags |= TT_EXEC_UNLINKED;
	if (BPF_CORE_READ(inode, i_sb, s_magic) == TT_OVERLAYFS_SUPER_MAGIC) {
		struct dentry *upper = NULL;

		flags |= TT_EXEC_ON_OVERLAY;
		/*
		 * struct ovl_inode embeds the VFS inode; the upper dentry follows it. Where
		 * overlayfs is a module its type is not in vmlinux BTF: a local flavor keeps
		 * the build independent of the build host's kernel, and the check lets the
		 * program load (without this fact) where no BTF describes it.
		 */
		if (bpf_core_type_exists(struct ovl_inode___tt)) {
			bpf_probe_read_kernel(&upper, sizeof(upper),
					      (void *)inode - bpf_core_field_offset(struct ovl_inode___tt, vfs_inode) +
						      bpf_core_field_offset(struct ovl_inode___tt, __upperdentry));
			if (upper)
				flags |= TT_EXEC_OVERLAY_UPPER;
		}
	}
	__builtin_memset(fdpath, 0, sizeof(fdpath));
	bpf_probe_read_kernel_str(fdpath, sizeof(fdpath), BPF_CORE_READ(bprm, filename));
	if (tt_has_prefix(fdpath, "/proc/self/fd/", 14) || tt_has_prefix(fdpath, "/dev/fd/", 8))
		flags |= TT_EXEC_VIA_PROC_FD;

	/* argv: the new image's argument block, one read. */
	arg_start = BPF_CORE_READ(mm, arg_start);
	arg_end = BPF_CORE_READ(mm, arg_end);
	argv_len = arg_end > arg_start ? arg_end - arg_start : 0;
	if (argv_len > TT_ARGV_BYTES) {
		argv_len = TT_ARGV_BYTES;
		flags |= TT_EXEC_ARGV_TRUNCATED;
	}
	/* The mask is a no-op after the clamp above; it gives the verifier an unsigned bound. */
	barrier_var(argv_len);
	argv_len &= 2 * TT_ARGV_BYTES - 1;
	if (argv_len && bpf_probe_read_user(rec->data, argv_len, (void *)arg_start)) {
		tt_count_loss(cgroup_id, TT_LOSS_READ_FAULT);
		argv_len = 0;
	}
	rec->argv_len = argv_len;
	rec->argc = BPF_CORE_READ(bprm, argc);

	rec->ld_preload_len = 0;
	{
		char preload[TT_LD_PRELOAD_BYTES];
		/* The record's data past TT_EXEC_DATA_LIMIT is unused until the paths are written. */
		__u32 n = tt_find_ld_preload(mm, preload, &rec->data[TT_EXEC_DATA_LIMIT], cgroup_id);

		if (n) {
			flags |= TT_EXEC_LD_PRELOAD;
			rec->ld_preload_len = n;
		}
		hash = TT_HASH_SEED;
		if (n)
			hash = tt_hash_bytes((const __u64 *)preload, TT_LD_PRELOAD_BYTES / 8, n, hash);
		/* Stash the value behind argv for now; it is moved to its place after the paths. */
		if (n)
			bpf_probe_read_kernel(&rec->data[TT_EXEC_DATA_LIMIT], TT_LD_PRELOAD_BYTES, preload);
	}

	/* Same binary, same argv, same facts: already reported for this cgroup. */
	hash = tt_hash_bytes((const __u64 *)rec->data, TT_ARGV_BYTES / 8, argv_len, hash);
	hash = tt_mix(hash, (__u64)BPF_CORE_READ(exe, f_path.dentry));
	hash = tt_mix(hash, (__u64)BPF_CORE_READ(exe, f_path.mnt));
	hash = tt_mix(hash, flags);
	key.cgroup_id = cgroup_id;
	key.hash = hash;
	if (tt_already_reported(&key))
		return 0;

	/* Global functions take pointers as plain values; the walks only use them for probe reads. */
	flags |= tt_exec_walk_exe(rec, (__u64)BPF_CORE_READ(bprm, file), bpf_get_current_task());
	flags |= tt_exec_walk_parent(rec, (__u64)BPF_CORE_READ(task, real_parent));
	off = rec->argv_len + rec->exe_len + rec->parent_exe_len;
	if (rec->ld_preload_len) {
		char preload[TT_LD_PRELOAD_BYTES];

		bpf_probe_read_kernel(preload, sizeof(preload), &rec->data[TT_EXEC_DATA_LIMIT]);
		bpf_probe_read_kernel(&rec->data[off & (TT_EXEC_DATA_LIMIT - 1)], sizeof(preload), preload);
		off += rec->ld_preload_len;
	}

	rec->flags = flags;
	size = offsetof(struct tt_exec_record, data) + off;
	barrier_var(size);
	if (size > sizeof(*rec))
		return 0;
	tt_fill_header(&rec->hdr, TT_KIND_EXEC, size, cgroup_id);
	if (!tt_output(rec, size, TT_KIND_EXEC, cgroup_id))
		return 0;
	tt_mark_reported(&key);
	return 0;
}

static __always_inline void tt_report_signal(struct tt_syscall_args *args, __u32 signal, __u64 arg0, __u64 arg1)
{
	struct tt_seen_key key = { .cgroup_id = args->cgroup_id, .kind = TT_KIND_SIGNAL };
	struct tt_signal_record *rec;

	key.hash = tt_mix(tt_mix(tt_mix(TT_HASH_SEED, signal), arg0), bpf_get_current_pid_tgid() >> 32);
	if (tt_already_reported(&key))
		return;
	rec = tt_reserve(sizeof(*rec), args->cgroup_id);
	if (!rec)
		return;
	tt_fill_header(&rec->hdr, TT_KIND_SIGNAL, sizeof(*rec), args->cgroup_id);
	rec->signal = signal;
	rec->syscall_nr = args->nr;
	rec->arg0 = arg0;
	rec->arg1 = arg1;
	tt_submit(rec, TT_KIND_SIGNAL);
	tt_mark_reported(&key);
}

__noinline int tt_process_syscall(struct tt_syscall_args *args)
{
	__u32 self;

	if (!args)
		return 0;
	switch (args->nr) {
	case TT_NR_ptrace: {
		__u64 request = args->arg[0], target = args->arg[1];

		self = bpf_get_current_pid_tgid() >> 32;
		if (target == self)
			return 0;
		if (request == TT_PTRACE_ATTACH || request == TT_PTRACE_SEIZE || request == TT_PTRACE_POKETEXT ||
		    request == TT_PTRACE_POKEDATA || request == TT_PTRACE_POKEUSR)
			tt_report_signal(args, TT_SIGNAL_PTRACE, request, target);
		return 0;
	}
	case TT_NR_init_module:
	case TT_NR_finit_module:
		tt_report_signal(args, TT_SIGNAL_MODULE_LOAD, args->nr, args->arg[0]);
		return 0;
	case TT_NR_unshare:
		if (args->arg[0] & TT_CLONE_NEW_MASK)
			tt_report_signal(args, TT_SIGNAL_UNSHARE, args->arg[0] & TT_CLONE_NEW_MASK, 0);
		return 0;
	case TT_NR_setns:
		tt_report_signal(args, TT_SIGNAL_SETNS, args->arg[1], args->arg[0]);
		return 0;
	}
	return 0;
}
