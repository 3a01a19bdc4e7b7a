/**
 * The loader's wire format, mirrored from bpf/telltale.h (the single source of
 * truth). wire.test.ts compiles a C program against that header and checks every
 * offset and constant here, so the two cannot drift apart silently.
 */
export const WIRE_VERSION = 1;
export const FRAME_PREFIX_BYTES = 4;
export const HEADER_BYTES = 56;
/** Records are at most 64 KiB (hdr.size is a u16). */
export const MAX_RECORD_BYTES = 0xffff;
export const COMM_BYTES = 16;

export const RecordKind = {
  exec: 1,
  file: 2,
  syscall: 3,
  sequence: 4,
  network: 5,
  dns: 6,
  capability: 7,
  signal: 8,
  cgroup: 9,
  hello: 64,
  stats: 65,
  cgroupLoss: 66,
  mapInfo: 67,
  log: 68,
} as const;
export type RecordKindName = keyof typeof RecordKind;

export const KERNEL_KIND_COUNT = 10;
export const LOSS_REASONS = ['ringbuf_full', 'map_full', 'read_fault', 'prog_busy'] as const;
export type LossReason = (typeof LOSS_REASONS)[number];

export const HeaderOffset = {
  size: 0,
  kind: 2,
  version: 3,
  pid: 4,
  tid: 8,
  ppid: 12,
  uid: 16,
  cgroupId: 24,
  timeNs: 32,
  comm: 40,
} as const;

export const ExecOffset = {
  flags: 56,
  argc: 60,
  argvLen: 64,
  exeLen: 66,
  parentExeLen: 68,
  ldPreloadLen: 70,
  data: 72,
} as const;

export const ExecFlag = {
  stdinSocket: 1 << 0,
  stdoutSocket: 1 << 1,
  stderrSocket: 1 << 2,
  memfd: 1 << 3,
  unlinked: 1 << 4,
  overlayUpper: 1 << 5,
  fromDevShm: 1 << 6,
  fromTmp: 1 << 7,
  parentConnectedSocket: 1 << 8,
  ldPreload: 1 << 9,
  exeTruncated: 1 << 10,
  parentTruncated: 1 << 11,
  argvTruncated: 1 << 12,
  onOverlay: 1 << 13,
  viaProcFd: 1 << 14,
} as const;

export const FileOffset = {
  openFlags: 56,
  flags: 60,
  rawLen: 62,
  baseLen: 64,
  syscallNr: 66,
  data: 72,
} as const;

export const FileFlag = {
  relative: 1 << 0,
  baseTruncated: 1 << 1,
  rawTruncated: 1 << 2,
  openat2: 1 << 3,
} as const;

export const SyscallOffset = { nr: 56, end: 64 } as const;
export const SequenceOffset = { ngram: 56, length: 64, end: 72 } as const;
export const SYSCALL_BITS = 9;

export const NetworkOffset = {
  direction: 56,
  family: 57,
  protocol: 58,
  port: 60,
  addr: 64,
  end: 80,
} as const;
export const NetDirection = { connect: 1, accept: 2, listen: 3 } as const;

export const DnsOffset = { qtype: 56, nameLen: 58, dport: 60, name: 64 } as const;

export const CapabilityOffset = { cap: 56, flags: 60, syscallNr: 64, end: 72 } as const;
export const CapabilityFlag = { granted: 1 << 0, derived: 1 << 1 } as const;

export const SignalOffset = { signal: 56, syscallNr: 60, arg0: 64, arg1: 72, end: 80 } as const;
export const SignalKind = { ptrace: 1, moduleLoad: 2, unshare: 3, setns: 4 } as const;

export const CgroupOffset = { op: 56, pathLen: 60, path: 64 } as const;
export const CgroupOp = { mkdir: 1, rmdir: 2 } as const;

export const HelloOffset = {
  loaderPid: 56,
  flags: 60,
  ngramLength: 64,
  ringbufBytes: 68,
  kernelRelease: 72,
  kernelReleaseBytes: 64,
  end: 136,
} as const;
export const HelloFlag = { capabilityHook: 1 << 0, sequences: 1 << 1 } as const;

export const StatsOffset = { emitted: 56, lost: 136, loaderFrames: 168, end: 176 } as const;
export const CgroupLossOffset = { lost: 56, end: 64 } as const;
export const MapInfoOffset = { entries: 56, maxEntries: 60, name: 64, nameBytes: 32, end: 96 } as const;
export const LogOffset = { level: 56, message: 64, messageBytes: 256, end: 320 } as const;
