// SPDX-License-Identifier: Apache-2.0
/*
 * telltale-loader: loads and attaches the sensor, drains its ring buffer in
 * batches and writes length-prefixed records to stdout for the exporter.
 *
 * It runs as the exporter's child and holds no policy: what is novel was decided
 * in the kernel, what it means is decided in user space. It dies with its parent
 * (PR_SET_PDEATHSIG, and EOF on stdin), and its BPF links are fd-based, so
 * nothing stays attached once it is gone.
 *
 * stdin takes line commands: "stats" (emit counters, per-cgroup losses and map
 * sizes), "epoch N" (start a new dedup epoch).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "telltale.h"
#include "syscall-numbers.h"
#include "telltale.skel.h"

#define OUT_CAPACITY (1 << 20)
#define OUT_FLUSH_AT (OUT_CAPACITY - 65536)
#define DRAIN_INTERVAL_MS 10
/*
 * An idle host sends nothing for long stretches: the drain interval doubles after each
 * empty drain up to this, so the loader wakes 10 times a second instead of 100 when
 * nothing is novel. A burst still wakes it at once (the kernel forces a wakeup once
 * the ring holds tt_wakeup_bytes), and the first record after a pause waits at most this.
 */
#define DRAIN_IDLE_MAX_MS 100

enum cap_mode { CAP_MODE_AUTO, CAP_MODE_HOOK, CAP_MODE_DERIVED };

struct options {
	unsigned int ngram_length;
	unsigned int ringbuf_bytes;
	unsigned int wakeup_bytes;
	enum cap_mode cap_mode;
	unsigned int epoch;
};

static volatile sig_atomic_t stopping;
static unsigned char out[OUT_CAPACITY];
static size_t out_len;
static __u64 frames_written;
static struct telltale_bpf *skel;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static __u64 boottime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void flush_out(void)
{
	size_t done = 0;

	while (done < out_len) {
		ssize_t n = write(STDOUT_FILENO, out + done, out_len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			/* The exporter is gone: nothing left to report to. */
			exit(errno == EPIPE ? 0 : 3);
		}
		done += (size_t)n;
	}
	out_len = 0;
}

static void emit(const void *record, __u32 len)
{
	if (out_len + sizeof(len) + len > OUT_CAPACITY)
		flush_out();
	memcpy(out + out_len, &len, sizeof(len));
	memcpy(out + out_len + sizeof(len), record, len);
	out_len += sizeof(len) + len;
	frames_written++;
	if (out_len >= OUT_FLUSH_AT)
		flush_out();
}

static void loader_header(struct tt_header *hdr, __u8 kind, __u16 size, __u64 cgroup_id)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->size = size;
	hdr->kind = kind;
	hdr->version = TT_WIRE_VERSION;
	hdr->pid = (__u32)getpid();
	hdr->tid = hdr->pid;
	hdr->ppid = (__u32)getppid();
	hdr->uid = (__u32)getuid();
	hdr->cgroup_id = cgroup_id;
	hdr->time_ns = boottime_ns();
	memcpy(hdr->comm, "telltale-loader", 15);
}

static void log_record(__u32 level, const char *fmt, ...)
{
	struct tt_log_record rec;
	va_list ap;

	memset(&rec, 0, sizeof(rec));
	loader_header(&rec.hdr, TT_KIND_LOG, sizeof(rec), 0);
	rec.level = level;
	va_start(ap, fmt);
	vsnprintf(rec.message, sizeof(rec.message), fmt, ap);
	va_end(ap);
	emit(&rec, sizeof(rec));
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int on_record(void *ctx, void *data, size_t size)
{
	const struct tt_header *hdr = data;
	__u32 len;

	(void)ctx;
	if (size < sizeof(*hdr))
		return 0;
	/* Forward what the program wrote, not the whole reserved slot. */
	len = hdr->size;
	if (len < sizeof(*hdr) || len > size)
		len = (__u32)size;
	emit(data, len);
	return 0;
}

static unsigned int count_entries(int map_fd, __u32 key_size, __u32 value_size, __u32 max_entries)
{
	static unsigned char keys[4096 * 32], values[4096 * 16];
	unsigned int total = 0;
	void *in = NULL;
	__u64 batch = 0;
	LIBBPF_OPTS(bpf_map_batch_opts, opts);

	if (key_size > 32 || value_size > 16)
		return 0;
	for (;;) {
		__u32 count = 4096;
		int err = bpf_map_lookup_batch(map_fd, in, &batch, keys, values, &count, &opts);

		total += count;
		if (err) {
			if (errno != ENOENT)
				log_record(2, "counting entries of map fd %d: %s", map_fd, strerror(errno));
			break;
		}
		in = &batch;
		if (total >= max_entries)
			break;
	}
	return total;
}

static void emit_map_info(const struct bpf_map *map)
{
	struct tt_map_info_record rec;
	__u32 entries;

	memset(&rec, 0, sizeof(rec));
	entries = count_entries(bpf_map__fd(map), bpf_map__key_size(map), bpf_map__value_size(map),
				bpf_map__max_entries(map));
	loader_header(&rec.hdr, TT_KIND_MAP_INFO, sizeof(rec), 0);
	rec.entries = entries;
	rec.max_entries = bpf_map__max_entries(map);
	snprintf(rec.name, sizeof(rec.name), "%s", bpf_map__name(map));
	emit(&rec, sizeof(rec));
}

static void emit_cgroup_losses(void)
{
	int fd = bpf_map__fd(skel->maps.tt_cgroup_losses);
	__u64 key, next, lost;
	void *prev = NULL;

	while (bpf_map_get_next_key(fd, prev, &next) == 0) {
		if (bpf_map_lookup_elem(fd, &next, &lost) == 0) {
			struct tt_cgroup_loss_record rec;

			loader_header(&rec.hdr, TT_KIND_CGROUP_LOSS, sizeof(rec), next);
			rec.lost = lost;
			emit(&rec, sizeof(rec));
		}
		key = next;
		prev = &key;
	}
}

/* Runs the kernel skipped because the program was still running on that CPU. */
static __u64 recursion_misses(void)
{
	struct bpf_program *prog;
	__u64 sum = 0;

	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0)
			sum += info.recursion_misses;
	}
	return sum;
}

static void emit_stats(bool with_maps)
{
	struct tt_stats_record rec;

	memset(&rec, 0, sizeof(rec));
	loader_header(&rec.hdr, TT_KIND_STATS, sizeof(rec), 0);
	for (int i = 0; i < TT_KIND_KERNEL_MAX; i++)
		rec.emitted[i] = skel->bss->tt_emitted[i];
	for (int i = 0; i < TT_LOSS_MAX; i++)
		rec.lost[i] = skel->bss->tt_lost[i];
	rec.lost[TT_LOSS_PROG_BUSY] = recursion_misses();
	rec.loader_frames = frames_written;
	emit(&rec, sizeof(rec));
	emit_cgroup_losses();
	if (with_maps) {
		emit_map_info(skel->maps.tt_seen);
		emit_map_info(skel->maps.tt_cgroup_losses);
	}
}

static __u64 total_lost(void)
{
	__u64 sum = recursion_misses();

	for (int i = 0; i < TT_LOSS_MAX; i++)
		sum += skel->bss->tt_lost[i];
	return sum;
}

static void handle_command(char *line)
{
	unsigned int epoch;

	if (strcmp(line, "stats") == 0)
		emit_stats(true);
	else if (sscanf(line, "epoch %u", &epoch) == 1)
		skel->bss->tt_epoch = epoch;
	else if (line[0])
		log_record(2, "unknown command: %.200s", line);
}

/* Returns false once stdin is closed: the exporter went away. */
static bool read_commands(void)
{
	static char buf[4096];
	static size_t len;
	ssize_t n = read(STDIN_FILENO, buf + len, sizeof(buf) - 1 - len);
	char *start, *nl;

	if (n == 0)
		return false;
	if (n < 0)
		return errno == EAGAIN || errno == EINTR;
	len += (size_t)n;
	buf[len] = 0;
	start = buf;
	while ((nl = strchr(start, '\n'))) {
		*nl = 0;
		handle_command(start);
		start = nl + 1;
	}
	len -= (size_t)(start - buf);
	memmove(buf, start, len);
	if (len == sizeof(buf) - 1)
		len = 0; /* a line that long is garbage */
	return true;
}

static bool kernel_has_cap_tracepoint(void)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	bool found;

	if (!vmlinux)
		return false;
	found = btf__find_by_name_kind(vmlinux, "btf_trace_cap_capable", BTF_KIND_TYPEDEF) > 0;
	btf__free(vmlinux);
	return found;
}

static void set_dispatch(__u64 *mask, unsigned int nr)
{
	mask[nr / 64] |= 1ULL << (nr % 64);
}

static const unsigned int dispatched_always[] = {
	TT_NR_open,	TT_NR_creat,   TT_NR_openat,	  TT_NR_openat2, TT_NR_connect,	    TT_NR_bind,
	TT_NR_listen,	TT_NR_sendto,  TT_NR_sendmsg,	  TT_NR_sendmmsg, TT_NR_ptrace,	    TT_NR_init_module,
	TT_NR_finit_module, TT_NR_unshare, TT_NR_setns,
};

/* Derived capability mode: syscalls that need a capability (capabilities.bpf.c maps them). */
static const unsigned int dispatched_for_caps[] = {
	TT_NR_chown,	   TT_NR_fchown,     TT_NR_lchown,	 TT_NR_fchownat,    TT_NR_setgid,	 TT_NR_setregid,
	TT_NR_setresgid,   TT_NR_setfsgid,   TT_NR_setgroups,	 TT_NR_setuid,	    TT_NR_setreuid,	 TT_NR_setresuid,
	TT_NR_setfsuid,	   TT_NR_capset,     TT_NR_bind,	 TT_NR_socket,	    TT_NR_mlock,	 TT_NR_mlockall,
	TT_NR_mlock2,	   TT_NR_init_module, TT_NR_finit_module, TT_NR_delete_module, TT_NR_iopl,	 TT_NR_ioperm,
	TT_NR_chroot,	   TT_NR_ptrace,     TT_NR_acct,	 TT_NR_mount,	    TT_NR_umount2,	 TT_NR_pivot_root,
	TT_NR_swapon,	   TT_NR_swapoff,    TT_NR_sethostname, TT_NR_setdomainname, TT_NR_setns,	 TT_NR_quotactl,
	TT_NR_fsopen,	   TT_NR_fsmount,    TT_NR_move_mount,	 TT_NR_open_tree,   TT_NR_unshare,	 TT_NR_reboot,
	TT_NR_kexec_load,  TT_NR_kexec_file_load, TT_NR_setpriority, TT_NR_setrlimit, TT_NR_prlimit64, TT_NR_settimeofday,
	TT_NR_clock_settime, TT_NR_adjtimex, TT_NR_mknod,	 TT_NR_mknodat,	    TT_NR_syslog,	 TT_NR_perf_event_open,
	TT_NR_bpf,
};

static void usage(FILE *f)
{
	fprintf(f, "usage: telltale-loader [--ngram N] [--ringbuf-bytes N] [--wakeup-bytes N]\n"
		   "                       [--capability-mode auto|hook|derived] [--epoch N]\n"
		   "Streams length-prefixed sensor records on stdout; see bpf/telltale.h.\n");
}

static int parse_options(int argc, char **argv, struct options *opts)
{
	static const struct option long_opts[] = {
		{ "ngram", required_argument, NULL, 'n' },
		{ "ringbuf-bytes", required_argument, NULL, 'r' },
		{ "wakeup-bytes", required_argument, NULL, 'w' },
		{ "capability-mode", required_argument, NULL, 'c' },
		{ "epoch", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	opts->ngram_length = 6;
	opts->ringbuf_bytes = 8 << 20;
	opts->wakeup_bytes = 0;
	opts->cap_mode = CAP_MODE_AUTO;
	opts->epoch = 0;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			opts->ngram_length = (unsigned int)strtoul(optarg, NULL, 10);
			if (opts->ngram_length == 1 || opts->ngram_length > TT_NGRAM_MAX) {
				fprintf(stderr, "telltale-loader: --ngram must be 0 (off) or 2..%d\n", TT_NGRAM_MAX);
				return -1;
			}
			break;
		case 'r':
			opts->ringbuf_bytes = (unsigned int)strtoul(optarg, NULL, 10);
			if (opts->ringbuf_bytes < 65536 || (opts->ringbuf_bytes & (opts->ringbuf_bytes - 1))) {
				fprintf(stderr, "telltale-loader: --ringbuf-bytes must be a power of two >= 65536\n");
				return -1;
			}
			break;
		case 'w':
			opts->wakeup_bytes = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'c':
			if (strcmp(optarg, "auto") == 0)
				opts->cap_mode = CAP_MODE_AUTO;
			else if (strcmp(optarg, "hook") == 0)
				opts->cap_mode = CAP_MODE_HOOK;
			else if (strcmp(optarg, "derived") == 0)
				opts->cap_mode = CAP_MODE_DERIVED;
			else {
				fprintf(stderr, "telltale-loader: --capability-mode must be auto, hook or derived\n");
				return -1;
			}
			break;
		case 'e':
			opts->epoch = (unsigned int)strtoul(optarg, NULL, 10);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (!opts->wakeup_bytes)
		opts->wakeup_bytes = opts->ringbuf_bytes / 4;
	return 0;
}

int main(int argc, char **argv)
{
	struct tt_hello_record hello;
	struct ring_buffer *rb = NULL;
	struct epoll_event ev, events[2];
	int drain_ms = DRAIN_INTERVAL_MS;
	struct options opts;
	struct utsname uts;
	bool cap_hook;
	int ep, err;
	__u64 last_stats = 0, last_lost = 0;

	if (parse_options(argc, argv, &opts))
		return 2;

	/* Die with the exporter; if it is already gone, do not start at all. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		return 0;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	libbpf_set_print(libbpf_print);

	skel = telltale_bpf__open();
	if (!skel) {
		fprintf(stderr, "telltale-loader: opening the BPF object failed: %s\n", strerror(errno));
		return 1;
	}
	cap_hook = opts.cap_mode == CAP_MODE_HOOK || (opts.cap_mode == CAP_MODE_AUTO && kernel_has_cap_tracepoint());
	skel->rodata->tt_ngram_length = opts.ngram_length;
	skel->rodata->tt_ngram_mask = opts.ngram_length ? (1ULL << (opts.ngram_length * TT_SYSCALL_BITS)) - 1 : 0;
	skel->rodata->tt_wakeup_bytes = opts.wakeup_bytes;
	skel->rodata->tt_cap_derived = !cap_hook;
	for (size_t i = 0; i < sizeof(dispatched_always) / sizeof(dispatched_always[0]); i++)
		set_dispatch((__u64 *)skel->rodata->tt_dispatch_mask, dispatched_always[i]);
	if (!cap_hook)
		for (size_t i = 0; i < sizeof(dispatched_for_caps) / sizeof(dispatched_for_caps[0]); i++)
			set_dispatch((__u64 *)skel->rodata->tt_dispatch_mask, dispatched_for_caps[i]);
	bpf_program__set_autoload(skel->progs.tt_cap_capable, cap_hook);
	bpf_map__set_max_entries(skel->maps.tt_events, opts.ringbuf_bytes);

	err = telltale_bpf__load(skel);
	if (err) {
		fprintf(stderr, "telltale-loader: loading the BPF programs failed: %s\n", strerror(-err));
		return 1;
	}
	skel->bss->tt_epoch = opts.epoch;
	err = telltale_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "telltale-loader: attaching the BPF programs failed: %s\n", strerror(-err));
		return 1;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.tt_events), on_record, NULL, NULL);
	if (!rb) {
		fprintf(stderr, "telltale-loader: ring buffer setup failed: %s\n", strerror(errno));
		return 1;
	}

	memset(&hello, 0, sizeof(hello));
	loader_header(&hello.hdr, TT_KIND_HELLO, sizeof(hello), 0);
	hello.loader_pid = (__u32)getpid();
	hello.flags = (cap_hook ? TT_HELLO_CAP_HOOK : 0) | (opts.ngram_length ? TT_HELLO_SEQUENCES : 0);
	hello.ngram_length = opts.ngram_length;
	hello.ringbuf_bytes = opts.ringbuf_bytes;
	if (uname(&uts) == 0)
		snprintf(hello.kernel_release, sizeof(hello.kernel_release), "%.63s", uts.release);
	emit(&hello, sizeof(hello));
	emit_stats(true);
	flush_out();

	fcntl(STDIN_FILENO, F_SETFL, fcntl(STDIN_FILENO, F_GETFL) | O_NONBLOCK);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ev.events = EPOLLIN;
	ev.data.fd = STDIN_FILENO;
	epoll_ctl(ep, EPOLL_CTL_ADD, STDIN_FILENO, &ev);
	ev.data.fd = ring_buffer__epoll_fd(rb);
	epoll_ctl(ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(rb), &ev);

	while (!stopping) {
		int n = epoll_wait(ep, events, 2, drain_ms);
		int drained;
		__u64 now;

		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; i < n; i++) {
			if (events[i].data.fd == STDIN_FILENO && !read_commands())
				stopping = 1;
		}
		/* Producers do not wake us per record; drain whatever is there on every tick. */
		drained = ring_buffer__consume(rb);
		if (drained > 0)
			drain_ms = DRAIN_INTERVAL_MS;
		else if (drain_ms < DRAIN_IDLE_MAX_MS)
			drain_ms = drain_ms * 2 > DRAIN_IDLE_MAX_MS ? DRAIN_IDLE_MAX_MS : drain_ms * 2;
		now = boottime_ns();
		/* Losses matter promptly (scores are suppressed on them); everything else waits for "stats". */
		if (now - last_stats >= 1000000000ULL) {
			__u64 lost = total_lost();

			if (lost != last_lost) {
				emit_stats(false);
				last_lost = lost;
			}
			last_stats = now;
		}
		if (out_len)
			flush_out();
	}
	ring_buffer__free(rb);
	telltale_bpf__destroy(skel);
	return 0;
}
