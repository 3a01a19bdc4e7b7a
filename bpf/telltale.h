/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Wire format between the BPF programs, the loader and the TypeScript decoder
 * (exporter/src/sensor/wire.ts mirrors this file; change both together and bump
 * TT_WIRE_VERSION).
 *
 * The loader frames every record as a little-endian u32 length followed by the
 * record bytes. Records produced in the kernel start with struct tt_header and
 * carry their used length in hdr.size, so the loader forwards only what was
 * written, not the whole reserved slot.
 *
 * Paths walked in the kernel are sent as their components from leaf to root,
 * each NUL-terminated ("sh\0bin\0usr\0" is /usr/bin/sh): a dentry walk yields
 * them in that order and reversing them is cheaper in user space.
 */
#ifndef TELLTALE_H
#define TELLTALE_H

#define TT_WIRE_VERSION 1

#define TT_COMM_LEN 16
/* Longest single path component the kernel allows. */
#define TT_NAME_MAX 255
/* Component limit for dentry walks; deeper paths are marked truncated. */
#define TT_PATH_DEPTH 48
/* Upper bound for one walked path's component data. */
#define TT_PATH_BYTES 1024
/* argv is read as one NUL-separated blob of at most this many bytes. */
#define TT_ARGV_BYTES 1024
#define TT_LD_PRELOAD_BYTES 128
#define TT_DNS_NAME_BYTES 256
/* Longest raw user path an open can report. */
#define TT_RAW_PATH_BYTES 1024

/* Packed data areas: a region written at offset <= *_DATA_LIMIT never passes the end. */
#define TT_EXEC_DATA_LIMIT 2048
#define TT_EXEC_DATA_BYTES (TT_EXEC_DATA_LIMIT + TT_ARGV_BYTES)
#define TT_FILE_DATA_LIMIT 1024
#define TT_FILE_DATA_BYTES (TT_FILE_DATA_LIMIT + TT_RAW_PATH_BYTES)
/* Bytes of a raw path that take part in the in-kernel dedup hash. */
#define TT_RAW_PATH_HASHED 1020

/* Syscall ids are folded into n-grams 9 bits at a time, so ids must stay below 512. */
#define TT_SYSCALL_BITS 9
#define TT_SYSCALL_MAX 512
#define TT_NGRAM_MAX 7

enum tt_kind {
	TT_KIND_EXEC = 1,
	TT_KIND_FILE = 2,
	TT_KIND_SYSCALL = 3,
	TT_KIND_SEQUENCE = 4,
	TT_KIND_NETWORK = 5,
	TT_KIND_DNS = 6,
	TT_KIND_CAPABILITY = 7,
	TT_KIND_SIGNAL = 8,
	TT_KIND_CGROUP = 9,
	TT_KIND_KERNEL_MAX = 10,

	/* Records the loader makes itself. */
	TT_KIND_HELLO = 64,
	TT_KIND_STATS = 65,
	TT_KIND_CGROUP_LOSS = 66,
	TT_KIND_MAP_INFO = 67,
	TT_KIND_LOG = 68,
};

enum tt_loss_reason {
	TT_LOSS_RINGBUF_FULL = 0,
	TT_LOSS_MAP_FULL = 1,
	TT_LOSS_READ_FAULT = 2,
	/*
	 * A program did not run because it was already running on that CPU (preempted
	 * inside it): the kernel counts these per program (recursion_misses), and the
	 * loader adds them up. The programs never write this slot.
	 */
	TT_LOSS_PROG_BUSY = 3,
	TT_LOSS_MAX = 4,
};

struct tt_header {
	__u16 size;		/* bytes of this record, header included */
	__u8 kind;		/* enum tt_kind */
	__u8 version;		/* TT_WIRE_VERSION */
	__u32 pid;		/* thread group id; 0 where no process context (softirq) */
	__u32 tid;
	__u32 ppid;		/* real parent's thread group id */
	__u32 uid;
	__u32 reserved;
	__u64 cgroup_id;	/* cgroup v2 id: the inode number of the cgroup directory */
	__u64 time_ns;		/* CLOCK_BOOTTIME */
	char comm[TT_COMM_LEN];
};

/* Facts behavioural rules need, decided at exec time. */
enum tt_exec_flag {
	TT_EXEC_STDIN_SOCKET = 1 << 0,		/* an IPv4/IPv6 socket */
	TT_EXEC_STDOUT_SOCKET = 1 << 1,
	TT_EXEC_STDERR_SOCKET = 1 << 2,
	TT_EXEC_MEMFD = 1 << 3,		/* executable is a memfd */
	TT_EXEC_UNLINKED = 1 << 4,		/* executable inode has no links left */
	TT_EXEC_OVERLAY_UPPER = 1 << 5,	/* executable lives on an overlayfs upper layer */
	TT_EXEC_FROM_DEV_SHM = 1 << 6,
	TT_EXEC_FROM_TMP = 1 << 7,		/* /tmp or /var/tmp */
	TT_EXEC_PARENT_CONNECTED_SOCKET = 1 << 8, /* parent holds a connected inet socket */
	TT_EXEC_LD_PRELOAD = 1 << 9,
	TT_EXEC_EXE_TRUNCATED = 1 << 10,
	TT_EXEC_PARENT_TRUNCATED = 1 << 11,
	TT_EXEC_ARGV_TRUNCATED = 1 << 12,
	TT_EXEC_ON_OVERLAY = 1 << 13,
	TT_EXEC_VIA_PROC_FD = 1 << 14,	/* the exec'd filename was /proc/self/fd/N or /dev/fd/N */
};

/*
 * data holds, packed in this order: argv (argv_len bytes, NUL-separated),
 * exe path components (exe_len), parent exe path components (parent_exe_len),
 * LD_PRELOAD value (ld_preload_len, NUL-terminated).
 */
struct tt_exec_record {
	struct tt_header hdr;
	__u32 flags;		/* enum tt_exec_flag */
	__u32 argc;
	__u16 argv_len;
	__u16 exe_len;
	__u16 parent_exe_len;
	__u16 ld_preload_len;
	char data[TT_EXEC_DATA_BYTES];
};

enum tt_file_flag {
	TT_FILE_RELATIVE = 1 << 0,	/* raw path is relative to base */
	TT_FILE_BASE_TRUNCATED = 1 << 1,
	TT_FILE_RAW_TRUNCATED = 1 << 2,
	TT_FILE_OPENAT2 = 1 << 3,
};

/*
 * data holds the components of the directory a relative path starts from
 * (base_len bytes; the cwd or the dirfd's directory), then the raw path as passed
 * (raw_len bytes, NUL included). Normalizing "." and ".." is left to user space.
 */
struct tt_file_record {
	struct tt_header hdr;
	__u32 open_flags;	/* O_* flags as passed */
	__u16 flags;		/* enum tt_file_flag */
	__u16 raw_len;
	__u16 base_len;
	__u16 syscall_nr;
	__u32 reserved;
	char data[TT_FILE_DATA_BYTES];
};

struct tt_syscall_record {
	struct tt_header hdr;
	__u32 nr;
	__u32 reserved;
};

struct tt_sequence_record {
	struct tt_header hdr;
	__u64 ngram;		/* oldest syscall in the highest bits, TT_SYSCALL_BITS each */
	__u32 length;		/* n */
	__u32 reserved;
};

enum tt_net_direction {
	TT_NET_CONNECT = 1,	/* outbound connect(), or sendto()/sendmsg() with an address */
	TT_NET_ACCEPT = 2,	/* inbound TCP connection established on a listener */
	TT_NET_LISTEN = 3,	/* listen() on TCP, bind() on UDP */
};

struct tt_network_record {
	struct tt_header hdr;
	__u8 direction;		/* enum tt_net_direction */
	__u8 family;		/* AF_INET, AF_INET6 */
	__u8 protocol;		/* IPPROTO_TCP, IPPROTO_UDP, or 0 where unknown */
	__u8 reserved;
	__u16 port;		/* host order: remote port for connect, local port for accept/listen */
	__u16 reserved2;
	__u8 addr[16];		/* remote address for connect/accept, local for listen; IPv4 in the first 4 bytes */
};

struct tt_dns_record {
	struct tt_header hdr;
	__u16 qtype;
	__u16 name_len;		/* bytes in name, NUL included */
	__u16 dport;
	__u16 reserved;
	char name[TT_DNS_NAME_BYTES];
};

enum tt_cap_flag {
	TT_CAP_GRANTED = 1 << 0,
	TT_CAP_DERIVED = 1 << 1,	/* inferred from a syscall, not observed at a capability check */
};

struct tt_capability_record {
	struct tt_header hdr;
	__u32 cap;
	__u32 flags;		/* enum tt_cap_flag */
	__u32 syscall_nr;	/* derived mode: the syscall that implies the capability */
	__u32 reserved;
};

enum tt_signal_kind {
	TT_SIGNAL_PTRACE = 1,		/* arg0 = request, arg1 = target pid */
	TT_SIGNAL_MODULE_LOAD = 2,	/* arg0 = syscall nr, arg1 = fd for finit_module */
	TT_SIGNAL_UNSHARE = 3,		/* arg0 = CLONE_NEW* flags */
	TT_SIGNAL_SETNS = 4,		/* arg0 = nstype */
};

struct tt_signal_record {
	struct tt_header hdr;
	__u32 signal;		/* enum tt_signal_kind */
	__u32 syscall_nr;
	__u64 arg0;
	__u64 arg1;
};

enum tt_cgroup_op {
	TT_CGROUP_MKDIR = 1,
	TT_CGROUP_RMDIR = 2,
};

struct tt_cgroup_record {
	struct tt_header hdr;	/* hdr.cgroup_id is the cgroup that changed */
	__u32 op;		/* enum tt_cgroup_op */
	__u16 path_len;
	__u16 reserved;
	char path[TT_PATH_BYTES]; /* path below the cgroup2 root, e.g. "/system.slice/x.service" */
};

/* ---- records the loader makes ---- */

enum tt_hello_flag {
	TT_HELLO_CAP_HOOK = 1 << 0,	/* cap_capable tracepoint attached */
	TT_HELLO_SEQUENCES = 1 << 1,	/* syscall n-grams enabled */
};

struct tt_hello_record {
	struct tt_header hdr;
	__u32 loader_pid;
	__u32 flags;		/* enum tt_hello_flag */
	__u32 ngram_length;
	__u32 ringbuf_bytes;
	char kernel_release[64];
};

struct tt_stats_record {
	struct tt_header hdr;
	__u64 emitted[TT_KIND_KERNEL_MAX];	/* records submitted, by kind */
	__u64 lost[TT_LOSS_MAX];		/* by enum tt_loss_reason */
	__u64 loader_frames;			/* frames written to stdout so far */
};

struct tt_cgroup_loss_record {
	struct tt_header hdr;	/* hdr.cgroup_id is the cgroup */
	__u64 lost;		/* events lost for this cgroup since the loader started */
};

struct tt_map_info_record {
	struct tt_header hdr;
	__u32 entries;
	__u32 max_entries;
	char name[32];
};

struct tt_log_record {
	struct tt_header hdr;
	__u32 level;		/* 0 debug, 1 info, 2 warn, 3 error */
	__u32 reserved;
	char message[256];
};

#endif /* TELLTALE_H */
