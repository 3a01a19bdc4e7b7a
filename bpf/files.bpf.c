// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * File opens: open, creat, openat, openat2, seen at syscall entry.
 *
 * bpf_d_path is refused on tp_btf programs, and the opened file only exists at
 * syscall exit (a second hook on every syscall). So the raw path is taken as
 * passed, and a relative path carries the directory it starts from, walked in
 * the kernel. The dedup key hashes the raw bytes, the access mode, the program
 * and the start directory's identity, so the walk only runs for novel opens.
 */
#include "common.bpf.h"

#define TT_O_ACCMODE 00000003
#define TT_O_WRONLY 00000001
#define TT_O_CREAT 00000100
#define TT_O_TRUNC 00001000
#define TT_CHUNK 256

static __always_inline __u32 tt_file_cache_slot(__u64 hash)
{
	return ((hash * 0x9E3779B97F4A7C15ULL) >> 56) & (TT_FILE_CACHE_SLOTS - 1);
}

static __always_inline bool tt_file_cached(__u64 hash, __u64 cgroup_id)
{
	__u32 zero = 0, at = tt_file_cache_slot(hash);
	struct tt_file_cache *cache = bpf_map_lookup_elem(&tt_cpu_files, &zero);

	return cache && cache->key[at] == hash && cache->owner[at] == tt_cache_owner(cgroup_id, tt_epoch);
}

static __always_inline void tt_file_cache(__u64 hash, __u64 cgroup_id)
{
	__u32 zero = 0, at = tt_file_cache_slot(hash);
	struct tt_file_cache *cache = bpf_map_lookup_elem(&tt_cpu_files, &zero);

	if (cache) {
		cache->key[at] = hash;
		cache->owner[at] = tt_cache_owner(cgroup_id, tt_epoch);
	}
}

/* The path is not paged in yet: read it at the thread's next syscall, or count the loss if this was that retry. */
static __always_inline void tt_defer_or_lose(struct task_struct *task, struct tt_syscall_args *args)
{
	struct tt_thread *th;

	if (!args->retry) {
		th = bpf_task_storage_get(&tt_threads, task, 0, 0);
		if (th && th->pending.nr == 0) {
			th->pending.nr = args->nr;
			th->pending.cgroup_id = args->cgroup_id;
			th->pending.arg[0] = args->arg[0];
			th->pending.arg[1] = args->arg[1];
			th->pending.arg[2] = args->arg[2];
			th->pending.arg[3] = args->arg[3];
			th->pending.retry = 1;
			tt_mark_slow(task, th, TT_SLOW_PENDING_OPEN);
			return;
		}
	}
	tt_count_loss(args->cgroup_id, TT_LOSS_READ_FAULT);
}

__noinline int tt_file_syscall(struct tt_syscall_args *args)
{
	struct tt_seen_key key = { .kind = TT_KIND_FILE };
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 chunk[TT_CHUNK / 8];
	struct tt_file_record *rec;
	struct tt_walk_result walk = {};
	struct dentry *base_dentry = NULL;
	struct vfsmount *base_mnt = NULL;
	const char *upath;
	__u64 open_flags, hash = TT_HASH_SEED;
	__u16 file_flags = 0;
	long dfd, n;
	__u32 off;
	__u64 size;

	if (!args)
		return 0;
	switch (args->nr) {
	case TT_NR_open:
		dfd = TT_AT_FDCWD;
		upath = (const char *)args->arg[0];
		open_flags = args->arg[1];
		break;
	case TT_NR_creat:
		dfd = TT_AT_FDCWD;
		upath = (const char *)args->arg[0];
		open_flags = TT_O_CREAT | TT_O_WRONLY | TT_O_TRUNC;
		break;
	case TT_NR_openat:
		dfd = (int)args->arg[0];
		upath = (const char *)args->arg[1];
		open_flags = args->arg[2];
		break;
	case TT_NR_openat2:
		dfd = (int)args->arg[0];
		upath = (const char *)args->arg[1];
		open_flags = 0;
		if (bpf_probe_read_user(&open_flags, sizeof(open_flags), (void *)args->arg[2])) {
			tt_count_loss(args->cgroup_id, TT_LOSS_READ_FAULT);
			return 0;
		}
		file_flags |= TT_FILE_OPENAT2;
		break;
	default:
		return 0;
	}

	/* Hash the raw path a chunk at a time; chunks overlap by one byte, the NUL the kernel adds at a cut. */
	for (__u32 c = 0; c < TT_RAW_PATH_HASHED / (TT_CHUNK - 1); c++) {
		n = bpf_probe_read_user_str(chunk, sizeof(chunk), upath + c * (TT_CHUNK - 1));
		if (n <= 0) {
			if (c == 0)
				tt_defer_or_lose(task, args);
			if (c == 0)
				return 0;
			break;
		}
		if (c == 0 && ((char *)chunk)[0] != '/')
			file_flags |= TT_FILE_RELATIVE;
		hash = tt_hash_bytes(chunk, TT_CHUNK / 8, n < TT_CHUNK ? n : TT_CHUNK - 1, hash);
		if (n < TT_CHUNK)
			break;
	}
	hash = tt_mix(hash, open_flags & (TT_O_ACCMODE | TT_O_CREAT | TT_O_TRUNC));
	/*
	 * Per program, not just per cgroup: a shell reading /etc/shadow must not hide
	 * behind the login program having read it first. Identities are inode numbers
	 * and devices read with direct (fault-safe) loads: helper reads would cost more
	 * than everything else here.
	 */
	{
		struct inode *exe = task->mm->exe_file->f_inode;

		hash = tt_mix(hash, exe->i_ino ^ ((__u64)exe->i_sb->s_dev << 32));
	}

	if (file_flags & TT_FILE_RELATIVE) {
		if (dfd == TT_AT_FDCWD) {
			struct dentry *cwd = task->fs->pwd.dentry;

			base_dentry = cwd;
			base_mnt = task->fs->pwd.mnt;
			hash = tt_mix(hash, cwd->d_inode->i_ino ^ ((__u64)cwd->d_sb->s_dev << 32));
		} else {
			struct file *dir = tt_fd_file(task, (__u64)dfd);

			if (dir) {
				base_dentry = BPF_CORE_READ(dir, f_path.dentry);
				base_mnt = BPF_CORE_READ(dir, f_path.mnt);
				hash = tt_mix(hash, BPF_CORE_READ(base_dentry, d_inode, i_ino) ^
							    ((__u64)BPF_CORE_READ(base_dentry, d_sb, s_dev) << 32));
			}
		}
	}

	key.cgroup_id = args->cgroup_id;
	key.hash = hash;
	/* This CPU reported it already: no LRU lookup. */
	if (tt_file_cached(hash, args->cgroup_id))
		return 0;
	if (tt_already_reported(&key)) {
		tt_file_cache(hash, args->cgroup_id);
		return 0;
	}

	{
		__u32 zero = 0;

		rec = bpf_map_lookup_elem(&tt_scratch_file, &zero);
	}
	if (!rec)
		return 0;
	off = 0;
	if (base_dentry) {
		tt_walk_path(base_dentry, base_mnt, BPF_CORE_READ(task, fs, root.dentry), BPF_CORE_READ(task, fs, root.mnt),
			     rec->data, 0, TT_FILE_DATA_LIMIT - TT_NAME_MAX - 2, TT_FILE_DATA_LIMIT - 1, &walk);
		off = walk.off;
		if (walk.truncated)
			file_flags |= TT_FILE_BASE_TRUNCATED;
	}
	rec->base_len = off;
	n = bpf_probe_read_user_str(&rec->data[off & (TT_FILE_DATA_LIMIT - 1)], TT_RAW_PATH_BYTES, upath);
	if (n <= 0) {
		tt_count_loss(args->cgroup_id, TT_LOSS_READ_FAULT);
		return 0;
	}
	if (n == TT_RAW_PATH_BYTES)
		file_flags |= TT_FILE_RAW_TRUNCATED;
	rec->raw_len = n;
	rec->open_flags = open_flags;
	rec->flags = file_flags;
	rec->syscall_nr = args->nr;
	rec->reserved = 0;
	size = offsetof(struct tt_file_record, data) + off + n;
	barrier_var(size);
	if (size > sizeof(*rec))
		return 0;
	tt_fill_header(&rec->hdr, TT_KIND_FILE, size, args->cgroup_id);
	if (!tt_output(rec, size, TT_KIND_FILE, args->cgroup_id))
		return 0;
	tt_mark_reported(&key);
	tt_file_cache(hash, args->cgroup_id);
	return 0;
}
