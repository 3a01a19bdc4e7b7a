import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as wire from './wire.js';

const bpfDir = resolve(import.meta.dirname, '../../../bpf');

/** Compiles a C program against bpf/telltale.h and returns what it prints: `NAME VALUE` lines. */
function layoutFromHeader(): Map<string, number> {
  const fields: Record<string, string> = {
    header_size: 'sizeof(struct tt_header)',
    'hdr.size': 'offsetof(struct tt_header, size)',
    'hdr.kind': 'offsetof(struct tt_header, kind)',
    'hdr.version': 'offsetof(struct tt_header, version)',
    'hdr.pid': 'offsetof(struct tt_header, pid)',
    'hdr.tid': 'offsetof(struct tt_header, tid)',
    'hdr.ppid': 'offsetof(struct tt_header, ppid)',
    'hdr.uid': 'offsetof(struct tt_header, uid)',
    'hdr.cgroupId': 'offsetof(struct tt_header, cgroup_id)',
    'hdr.timeNs': 'offsetof(struct tt_header, time_ns)',
    'hdr.comm': 'offsetof(struct tt_header, comm)',
    'exec.flags': 'offsetof(struct tt_exec_record, flags)',
    'exec.argc': 'offsetof(struct tt_exec_record, argc)',
    'exec.argvLen': 'offsetof(struct tt_exec_record, argv_len)',
    'exec.exeLen': 'offsetof(struct tt_exec_record, exe_len)',
    'exec.parentExeLen': 'offsetof(struct tt_exec_record, parent_exe_len)',
    'exec.ldPreloadLen': 'offsetof(struct tt_exec_record, ld_preload_len)',
    'exec.data': 'offsetof(struct tt_exec_record, data)',
    'file.openFlags': 'offsetof(struct tt_file_record, open_flags)',
    'file.flags': 'offsetof(struct tt_file_record, flags)',
    'file.rawLen': 'offsetof(struct tt_file_record, raw_len)',
    'file.baseLen': 'offsetof(struct tt_file_record, base_len)',
    'file.syscallNr': 'offsetof(struct tt_file_record, syscall_nr)',
    'file.data': 'offsetof(struct tt_file_record, data)',
    'syscall.nr': 'offsetof(struct tt_syscall_record, nr)',
    'syscall.end': 'sizeof(struct tt_syscall_record)',
    'sequence.ngram': 'offsetof(struct tt_sequence_record, ngram)',
    'sequence.length': 'offsetof(struct tt_sequence_record, length)',
    'sequence.end': 'sizeof(struct tt_sequence_record)',
    'network.direction': 'offsetof(struct tt_network_record, direction)',
    'network.family': 'offsetof(struct tt_network_record, family)',
    'network.protocol': 'offsetof(struct tt_network_record, protocol)',
    'network.port': 'offsetof(struct tt_network_record, port)',
    'network.addr': 'offsetof(struct tt_network_record, addr)',
    'network.end': 'sizeof(struct tt_network_record)',
    'dns.qtype': 'offsetof(struct tt_dns_record, qtype)',
    'dns.nameLen': 'offsetof(struct tt_dns_record, name_len)',
    'dns.dport': 'offsetof(struct tt_dns_record, dport)',
    'dns.name': 'offsetof(struct tt_dns_record, name)',
    'capability.cap': 'offsetof(struct tt_capability_record, cap)',
    'capability.flags': 'offsetof(struct tt_capability_record, flags)',
    'capability.syscallNr': 'offsetof(struct tt_capability_record, syscall_nr)',
    'capability.end': 'sizeof(struct tt_capability_record)',
    'signal.signal': 'offsetof(struct tt_signal_record, signal)',
    'signal.syscallNr': 'offsetof(struct tt_signal_record, syscall_nr)',
    'signal.arg0': 'offsetof(struct tt_signal_record, arg0)',
    'signal.arg1': 'offsetof(struct tt_signal_record, arg1)',
    'signal.end': 'sizeof(struct tt_signal_record)',
    'cgroup.op': 'offsetof(struct tt_cgroup_record, op)',
    'cgroup.pathLen': 'offsetof(struct tt_cgroup_record, path_len)',
    'cgroup.path': 'offsetof(struct tt_cgroup_record, path)',
    'hello.loaderPid': 'offsetof(struct tt_hello_record, loader_pid)',
    'hello.flags': 'offsetof(struct tt_hello_record, flags)',
    'hello.ngramLength': 'offsetof(struct tt_hello_record, ngram_length)',
    'hello.ringbufBytes': 'offsetof(struct tt_hello_record, ringbuf_bytes)',
    'hello.kernelRelease': 'offsetof(struct tt_hello_record, kernel_release)',
    'hello.kernelReleaseBytes': 'sizeof(((struct tt_hello_record *)0)->kernel_release)',
    'hello.end': 'sizeof(struct tt_hello_record)',
    'stats.emitted': 'offsetof(struct tt_stats_record, emitted)',
    'stats.lost': 'offsetof(struct tt_stats_record, lost)',
    'stats.loaderFrames': 'offsetof(struct tt_stats_record, loader_frames)',
    'stats.end': 'sizeof(struct tt_stats_record)',
    'cgroupLoss.lost': 'offsetof(struct tt_cgroup_loss_record, lost)',
    'cgroupLoss.end': 'sizeof(struct tt_cgroup_loss_record)',
    'mapInfo.entries': 'offsetof(struct tt_map_info_record, entries)',
    'mapInfo.maxEntries': 'offsetof(struct tt_map_info_record, max_entries)',
    'mapInfo.name': 'offsetof(struct tt_map_info_record, name)',
    'mapInfo.nameBytes': 'sizeof(((struct tt_map_info_record *)0)->name)',
    'mapInfo.end': 'sizeof(struct tt_map_info_record)',
    'log.level': 'offsetof(struct tt_log_record, level)',
    'log.message': 'offsetof(struct tt_log_record, message)',
    'log.messageBytes': 'sizeof(((struct tt_log_record *)0)->message)',
    'log.end': 'sizeof(struct tt_log_record)',
    WIRE_VERSION: 'TT_WIRE_VERSION',
    TT_SYSCALL_BITS: 'TT_SYSCALL_BITS',
    TT_KIND_KERNEL_MAX: 'TT_KIND_KERNEL_MAX',
    TT_LOSS_MAX: 'TT_LOSS_MAX',
    TT_COMM_LEN: 'TT_COMM_LEN',
  };
  const enums = [
    'TT_KIND_EXEC', 'TT_KIND_FILE', 'TT_KIND_SYSCALL', 'TT_KIND_SEQUENCE', 'TT_KIND_NETWORK', 'TT_KIND_DNS',
    'TT_KIND_CAPABILITY', 'TT_KIND_SIGNAL', 'TT_KIND_CGROUP', 'TT_KIND_HELLO', 'TT_KIND_STATS', 'TT_KIND_CGROUP_LOSS',
    'TT_KIND_MAP_INFO', 'TT_KIND_LOG', 'TT_EXEC_STDIN_SOCKET', 'TT_EXEC_STDOUT_SOCKET', 'TT_EXEC_STDERR_SOCKET',
    'TT_EXEC_MEMFD', 'TT_EXEC_UNLINKED', 'TT_EXEC_OVERLAY_UPPER', 'TT_EXEC_FROM_DEV_SHM', 'TT_EXEC_FROM_TMP',
    'TT_EXEC_PARENT_CONNECTED_SOCKET', 'TT_EXEC_LD_PRELOAD', 'TT_EXEC_EXE_TRUNCATED', 'TT_EXEC_PARENT_TRUNCATED',
    'TT_EXEC_ARGV_TRUNCATED', 'TT_EXEC_ON_OVERLAY', 'TT_EXEC_VIA_PROC_FD', 'TT_FILE_RELATIVE', 'TT_FILE_BASE_TRUNCATED',
    'TT_FILE_RAW_TRUNCATED', 'TT_FILE_OPENAT2', 'TT_NET_CONNECT', 'TT_NET_ACCEPT', 'TT_NET_LISTEN', 'TT_CAP_GRANTED',
    'TT_CAP_DERIVED', 'TT_SIGNAL_PTRACE', 'TT_SIGNAL_MODULE_LOAD', 'TT_SIGNAL_UNSHARE', 'TT_SIGNAL_SETNS',
    'TT_CGROUP_MKDIR', 'TT_CGROUP_RMDIR', 'TT_HELLO_CAP_HOOK', 'TT_HELLO_SEQUENCES', 'TT_LOSS_RINGBUF_FULL',
    'TT_LOSS_MAP_FULL', 'TT_LOSS_READ_FAULT', 'TT_LOSS_PROG_BUSY',
  ];
  for (const name of enums) fields[name] = name;
  const prints = Object.entries(fields)
    .map(([name, expr]) => `  printf("%s %lu\\n", "${name}", (unsigned long)(${expr}));`)
    .join('\n');
  const source = `#include <stddef.h>\n#include <stdio.h>\n#include <linux/types.h>\n#include "telltale.h"\nint main(void) {\n${prints}\n  return 0;\n}\n`;
  writeFileSync(join(workDir, 'layout.c'), source);
  execFileSync('gcc', ['-I', bpfDir, join(workDir, 'layout.c'), '-o', join(workDir, 'layout')]);
  const output = execFileSync(join(workDir, 'layout'), { encoding: 'utf8' });
  return new Map(output.trim().split('\n').map((line) => {
    const [name, value] = line.split(' ');
    return [name ?? '', Number(value)];
  }));
}

const workDir = mkdtempSync(join(tmpdir(), 'telltale-wire-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('wire.ts mirrors bpf/telltale.h', () => {
  const c = layoutFromHeader();
  const expectC = (name: string, value: number) => expect({ name, value }).toEqual({ name, value: c.get(name) });

  it('has the same header layout', () => {
    expectC('header_size', wire.HEADER_BYTES);
    for (const [field, offset] of Object.entries(wire.HeaderOffset)) expectC(`hdr.${field}`, offset);
    expectC('WIRE_VERSION', wire.WIRE_VERSION);
    expectC('TT_COMM_LEN', wire.COMM_BYTES);
  });

  it('has the same record layouts', () => {
    const layouts: Record<string, Record<string, number>> = {
      exec: wire.ExecOffset,
      file: wire.FileOffset,
      syscall: wire.SyscallOffset,
      sequence: wire.SequenceOffset,
      network: wire.NetworkOffset,
      dns: wire.DnsOffset,
      capability: wire.CapabilityOffset,
      signal: wire.SignalOffset,
      cgroup: wire.CgroupOffset,
      hello: wire.HelloOffset,
      stats: wire.StatsOffset,
      cgroupLoss: wire.CgroupLossOffset,
      mapInfo: wire.MapInfoOffset,
      log: wire.LogOffset,
    };
    for (const [record, offsets] of Object.entries(layouts)) {
      for (const [field, offset] of Object.entries(offsets)) expectC(`${record}.${field}`, offset);
    }
  });

  it('has the same enums and flags', () => {
    const kinds: Record<string, number> = {
      TT_KIND_EXEC: wire.RecordKind.exec,
      TT_KIND_FILE: wire.RecordKind.file,
      TT_KIND_SYSCALL: wire.RecordKind.syscall,
      TT_KIND_SEQUENCE: wire.RecordKind.sequence,
      TT_KIND_NETWORK: wire.RecordKind.network,
      TT_KIND_DNS: wire.RecordKind.dns,
      TT_KIND_CAPABILITY: wire.RecordKind.capability,
      TT_KIND_SIGNAL: wire.RecordKind.signal,
      TT_KIND_CGROUP: wire.RecordKind.cgroup,
      TT_KIND_HELLO: wire.RecordKind.hello,
      TT_KIND_STATS: wire.RecordKind.stats,
      TT_KIND_CGROUP_LOSS: wire.RecordKind.cgroupLoss,
      TT_KIND_MAP_INFO: wire.RecordKind.mapInfo,
      TT_KIND_LOG: wire.RecordKind.log,
      TT_EXEC_STDIN_SOCKET: wire.ExecFlag.stdinSocket,
      TT_EXEC_STDOUT_SOCKET: wire.ExecFlag.stdoutSocket,
      TT_EXEC_STDERR_SOCKET: wire.ExecFlag.stderrSocket,
      TT_EXEC_MEMFD: wire.ExecFlag.memfd,
      TT_EXEC_UNLINKED: wire.ExecFlag.unlinked,
      TT_EXEC_OVERLAY_UPPER: wire.ExecFlag.overlayUpper,
      TT_EXEC_FROM_DEV_SHM: wire.ExecFlag.fromDevShm,
      TT_EXEC_FROM_TMP: wire.ExecFlag.fromTmp,
      TT_EXEC_PARENT_CONNECTED_SOCKET: wire.ExecFlag.parentConnectedSocket,
      TT_EXEC_LD_PRELOAD: wire.ExecFlag.ldPreload,
      TT_EXEC_EXE_TRUNCATED: wire.ExecFlag.exeTruncated,
      TT_EXEC_PARENT_TRUNCATED: wire.ExecFlag.parentTruncated,
      TT_EXEC_ARGV_TRUNCATED: wire.ExecFlag.argvTruncated,
      TT_EXEC_ON_OVERLAY: wire.ExecFlag.onOverlay,
      TT_EXEC_VIA_PROC_FD: wire.ExecFlag.viaProcFd,
      TT_FILE_RELATIVE: wire.FileFlag.relative,
      TT_FILE_BASE_TRUNCATED: wire.FileFlag.baseTruncated,
      TT_FILE_RAW_TRUNCATED: wire.FileFlag.rawTruncated,
      TT_FILE_OPENAT2: wire.FileFlag.openat2,
      TT_NET_CONNECT: wire.NetDirection.connect,
      TT_NET_ACCEPT: wire.NetDirection.accept,
      TT_NET_LISTEN: wire.NetDirection.listen,
      TT_CAP_GRANTED: wire.CapabilityFlag.granted,
      TT_CAP_DERIVED: wire.CapabilityFlag.derived,
      TT_SIGNAL_PTRACE: wire.SignalKind.ptrace,
      TT_SIGNAL_MODULE_LOAD: wire.SignalKind.moduleLoad,
      TT_SIGNAL_UNSHARE: wire.SignalKind.unshare,
      TT_SIGNAL_SETNS: wire.SignalKind.setns,
      TT_CGROUP_MKDIR: wire.CgroupOp.mkdir,
      TT_CGROUP_RMDIR: wire.CgroupOp.rmdir,
      TT_HELLO_CAP_HOOK: wire.HelloFlag.capabilityHook,
      TT_HELLO_SEQUENCES: wire.HelloFlag.sequences,
      TT_KIND_KERNEL_MAX: wire.KERNEL_KIND_COUNT,
      TT_SYSCALL_BITS: wire.SYSCALL_BITS,
      TT_LOSS_MAX: wire.LOSS_REASONS.length,
      TT_LOSS_RINGBUF_FULL: wire.LOSS_REASONS.indexOf('ringbuf_full'),
      TT_LOSS_MAP_FULL: wire.LOSS_REASONS.indexOf('map_full'),
      TT_LOSS_READ_FAULT: wire.LOSS_REASONS.indexOf('read_fault'),
      TT_LOSS_PROG_BUSY: wire.LOSS_REASONS.indexOf('prog_busy'),
    };
    for (const [name, value] of Object.entries(kinds)) expectC(name, value);
  });
});
