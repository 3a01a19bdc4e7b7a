// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * cgroup v2 directories as they come and go, so user space can attribute a new
 * cgroup id without rescanning the hierarchy.
 */
#include "common.bpf.h"

static __always_inline void tt_report_cgroup(struct cgroup *cgrp, const char *path, __u32 op)
{
	struct tt_cgroup_record *rec;
	__u64 id;
	long n;

	/* Only the unified hierarchy: cgroup v1 hierarchies have ids of their own. */
	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)
		return;
	id = BPF_CORE_READ(cgrp, kn, id);
	rec = tt_reserve(sizeof(*rec), id);
	if (!rec)
		return;
	n = bpf_probe_read_kernel_str(rec->path, sizeof(rec->path), path);
	if (n <= 0) {
		bpf_ringbuf_discard(rec, BPF_RB_NO_WAKEUP);
		tt_count_loss(id, TT_LOSS_READ_FAULT);
		return;
	}
	tt_fill_header(&rec->hdr, TT_KIND_CGROUP, offsetof(struct tt_cgroup_record, path) + n, id);
	rec->op = op;
	rec->path_len = n;
	rec->reserved = 0;
	tt_submit(rec, TT_KIND_CGROUP);
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(tt_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	tt_report_cgroup(cgrp, path, TT_CGROUP_MKDIR);
	return 0;
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(tt_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	tt_report_cgroup(cgrp, path, TT_CGROUP_RMDIR);
	return 0;
}
