import { fixedString, pathFromComponents, resolveOpenPath, splitNulTerminated } from './paths.js';
import type { ProcessContext, SensorRecord, StatsRecord } from './sensor-record.js';
import {
  CapabilityFlag,
  CapabilityOffset,
  CgroupLossOffset,
  CgroupOffset,
  CgroupOp,
  COMM_BYTES,
  DnsOffset,
  ExecFlag,
  ExecOffset,
  FileFlag,
  FileOffset,
  HEADER_BYTES,
  HeaderOffset,
  HelloFlag,
  HelloOffset,
  KERNEL_KIND_COUNT,
  LOSS_REASONS,
  LogOffset,
  MapInfoOffset,
  NetDirection,
  NetworkOffset,
  RecordKind,
  SequenceOffset,
  SignalKind,
  SignalOffset,
  StatsOffset,
  SYSCALL_BITS,
  SyscallOffset,
  WIRE_VERSION,
} from './wire.js';

export type DecodeErrorCode = 'short_record' | 'bad_version' | 'bad_size' | 'unknown_kind' | 'bad_field';

/** A record that cannot be decoded. It names what was wrong so a log line is enough to debug it. */
export class DecodeError extends Error {
  constructor(
    readonly code: DecodeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

const O_ACCMODE = 0o3;
const O_WRONLY = 0o1;
const O_RDWR = 0o2;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const AF_INET = 2;
const AF_INET6 = 10;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

const KIND_NAMES = new Map<number, string>(Object.entries(RecordKind).map(([name, value]) => [value, name]));

export function recordKindName(kind: number): string {
  return KIND_NAMES.get(kind) ?? `kind ${kind}`;
}

/** Minimum size of each fixed-layout record; variable ones must hold their header fields. */
const MIN_SIZE: Record<number, number> = {
  [RecordKind.exec]: ExecOffset.data,
  [RecordKind.file]: FileOffset.data,
  [RecordKind.syscall]: SyscallOffset.end,
  [RecordKind.sequence]: SequenceOffset.end,
  [RecordKind.network]: NetworkOffset.end,
  [RecordKind.dns]: DnsOffset.name,
  [RecordKind.capability]: CapabilityOffset.end,
  [RecordKind.signal]: SignalOffset.end,
  [RecordKind.cgroup]: CgroupOffset.path,
  [RecordKind.hello]: HelloOffset.end,
  [RecordKind.stats]: StatsOffset.end,
  [RecordKind.cgroupLoss]: CgroupLossOffset.end,
  [RecordKind.mapInfo]: MapInfoOffset.end,
  [RecordKind.log]: LogOffset.end,
};

/** Decodes one record (a frame's payload). Throws DecodeError; never returns a partial record. */
export function decodeRecord(bytes: Uint8Array): SensorRecord {
  if (bytes.length < HEADER_BYTES) {
    throw new DecodeError('short_record', `record of ${bytes.length} bytes is shorter than the ${HEADER_BYTES}-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint8(HeaderOffset.kind);
  const name = recordKindName(kind);
  const version = view.getUint8(HeaderOffset.version);
  if (version !== WIRE_VERSION) {
    throw new DecodeError('bad_version', `${name} record has wire version ${version}, expected ${WIRE_VERSION}`);
  }
  const size = view.getUint16(HeaderOffset.size, true);
  if (size !== bytes.length) {
    throw new DecodeError('bad_size', `${name} record says it has ${size} bytes but the frame holds ${bytes.length}`);
  }
  const minimum = MIN_SIZE[kind];
  if (minimum === undefined) throw new DecodeError('unknown_kind', `unknown record kind ${kind} (${size} bytes)`);
  if (size < minimum) {
    throw new DecodeError('short_record', `${name} record of ${size} bytes is shorter than its ${minimum}-byte layout`);
  }
  const record = new RecordReader(bytes, view, name);

  switch (kind) {
    case RecordKind.exec:
      return decodeExec(record);
    case RecordKind.file:
      return decodeFile(record);
    case RecordKind.syscall:
      return { kind: 'syscall', process: record.process(), nr: record.u32(SyscallOffset.nr) };
    case RecordKind.sequence:
      return decodeSequence(record);
    case RecordKind.network:
      return decodeNetwork(record);
    case RecordKind.dns:
      return decodeDns(record);
    case RecordKind.capability: {
      const flags = record.u32(CapabilityOffset.flags);
      return {
        kind: 'capability',
        process: record.process(),
        capability: record.u32(CapabilityOffset.cap),
        granted: (flags & CapabilityFlag.granted) !== 0,
        derived: (flags & CapabilityFlag.derived) !== 0,
        syscallNr: record.u32(CapabilityOffset.syscallNr),
      };
    }
    case RecordKind.signal:
      return decodeSignal(record);
    case RecordKind.cgroup:
      return decodeCgroup(record);
    case RecordKind.hello: {
      const flags = record.u32(HelloOffset.flags);
      return {
        kind: 'hello',
        loaderPid: record.u32(HelloOffset.loaderPid),
        capabilityHook: (flags & HelloFlag.capabilityHook) !== 0,
        sequences: (flags & HelloFlag.sequences) !== 0,
        ngramLength: record.u32(HelloOffset.ngramLength),
        ringbufBytes: record.u32(HelloOffset.ringbufBytes),
        kernelRelease: fixedString(record.bytesAt(HelloOffset.kernelRelease, HelloOffset.kernelReleaseBytes)),
      };
    }
    case RecordKind.stats:
      return decodeStats(record);
    case RecordKind.cgroupLoss:
      return { kind: 'cgroup_loss', cgroupId: record.cgroupId(), lost: record.u64(CgroupLossOffset.lost) };
    case RecordKind.mapInfo:
      return {
        kind: 'map_info',
        entries: record.u32(MapInfoOffset.entries),
        maxEntries: record.u32(MapInfoOffset.maxEntries),
        name: fixedString(record.bytesAt(MapInfoOffset.name, MapInfoOffset.nameBytes)),
      };
    case RecordKind.log: {
      const levels = ['debug', 'info', 'warn', 'error'] as const;
      return {
        kind: 'log',
        level: levels[record.u32(LogOffset.level)] ?? 'warn',
        message: fixedString(record.bytesAt(LogOffset.message, LogOffset.messageBytes)),
      };
    }
  }
  throw new DecodeError('unknown_kind', `unknown record kind ${kind} (${size} bytes)`);
}

class RecordReader {
  constructor(
    readonly bytes: Uint8Array,
    readonly view: DataView,
    readonly name: string,
  ) {}

  u8(offset: number): number {
    return this.view.getUint8(offset);
  }
  u16(offset: number): number {
    return this.view.getUint16(offset, true);
  }
  u32(offset: number): number {
    return this.view.getUint32(offset, true);
  }
  u64(offset: number): bigint {
    return this.view.getBigUint64(offset, true);
  }
  cgroupId(): string {
    return this.u64(HeaderOffset.cgroupId).toString();
  }

  /** A sub-range; a length field pointing past the record is a bad record, not a crash. */
  bytesAt(offset: number, length: number, field = 'field'): Uint8Array {
    if (offset + length > this.bytes.length) {
      throw new DecodeError(
        'bad_field',
        `${this.name} record: ${field} spans bytes ${offset}..${offset + length} but the record ends at ${this.bytes.length}`,
      );
    }
    return this.bytes.subarray(offset, offset + length);
  }

  process(): ProcessContext {
    return {
      pid: this.u32(HeaderOffset.pid),
      tid: this.u32(HeaderOffset.tid),
      ppid: this.u32(HeaderOffset.ppid),
      uid: this.u32(HeaderOffset.uid),
      comm: fixedString(this.bytesAt(HeaderOffset.comm, COMM_BYTES)),
      cgroupId: this.cgroupId(),
      timeNs: this.u64(HeaderOffset.timeNs),
    };
  }
}

function has(flags: number, bit: number): boolean {
  return (flags & bit) !== 0;
}

function decodeExec(record: RecordReader): SensorRecord {
  const flags = record.u32(ExecOffset.flags);
  const argvLen = record.u16(ExecOffset.argvLen);
  const exeLen = record.u16(ExecOffset.exeLen);
  const parentLen = record.u16(ExecOffset.parentExeLen);
  const preloadLen = record.u16(ExecOffset.ldPreloadLen);
  let at = ExecOffset.data;
  const argvBytes = record.bytesAt(at, argvLen, 'argv');
  at += argvLen;
  const exeBytes = record.bytesAt(at, exeLen, 'exe path');
  at += exeLen;
  const parentBytes = record.bytesAt(at, parentLen, 'parent exe path');
  at += parentLen;
  const preloadBytes = record.bytesAt(at, preloadLen, 'LD_PRELOAD value');
  const argv = splitNulTerminated(argvBytes);
  return {
    kind: 'exec',
    process: record.process(),
    exe: pathFromComponents(exeBytes),
    argv,
    argc: record.u32(ExecOffset.argc),
    parentExe: parentLen ? pathFromComponents(parentBytes) : '',
    ldPreload: has(flags, ExecFlag.ldPreload) ? fixedString(preloadBytes) : null,
    facts: {
      stdinSocket: has(flags, ExecFlag.stdinSocket),
      stdoutSocket: has(flags, ExecFlag.stdoutSocket),
      stderrSocket: has(flags, ExecFlag.stderrSocket),
      memfd: has(flags, ExecFlag.memfd),
      unlinked: has(flags, ExecFlag.unlinked),
      viaProcFd: has(flags, ExecFlag.viaProcFd),
      onOverlay: has(flags, ExecFlag.onOverlay),
      overlayUpper: has(flags, ExecFlag.overlayUpper),
      fromDevShm: has(flags, ExecFlag.fromDevShm),
      fromTmp: has(flags, ExecFlag.fromTmp),
      parentConnectedSocket: has(flags, ExecFlag.parentConnectedSocket),
    },
    truncated: has(flags, ExecFlag.exeTruncated | ExecFlag.argvTruncated | ExecFlag.parentTruncated),
  };
}

function decodeFile(record: RecordReader): SensorRecord {
  const flags = record.u16(FileOffset.flags);
  const baseLen = record.u16(FileOffset.baseLen);
  const rawLen = record.u16(FileOffset.rawLen);
  const base = has(flags, FileFlag.relative) ? pathFromComponents(record.bytesAt(FileOffset.data, baseLen, 'base path')) : null;
  const rawPath = fixedString(record.bytesAt(FileOffset.data + baseLen, rawLen, 'raw path'));
  const openFlags = record.u32(FileOffset.openFlags);
  const access = openFlags & O_ACCMODE;
  return {
    kind: 'file',
    process: record.process(),
    path: resolveOpenPath(base, rawPath),
    rawPath,
    openFlags,
    read: access !== O_WRONLY,
    write: access === O_WRONLY || access === O_RDWR,
    create: has(openFlags, O_CREAT),
    truncate: has(openFlags, O_TRUNC),
    syscallNr: record.u16(FileOffset.syscallNr),
    truncated: has(flags, FileFlag.baseTruncated | FileFlag.rawTruncated),
  };
}

function decodeSequence(record: RecordReader): SensorRecord {
  const length = record.u32(SequenceOffset.length);
  if (length < 1 || length * SYSCALL_BITS > 64) {
    throw new DecodeError('bad_field', `syscall_sequence record has n-gram length ${length}, outside 1..7`);
  }
  const packed = record.u64(SequenceOffset.ngram);
  const mask = (1n << BigInt(SYSCALL_BITS)) - 1n;
  const calls: number[] = [];
  for (let i = length - 1; i >= 0; i--) {
    calls.push(Number((packed >> BigInt(i * SYSCALL_BITS)) & mask));
  }
  return { kind: 'syscall_sequence', process: record.process(), calls };
}

function decodeNetwork(record: RecordReader): SensorRecord {
  const directionCode = record.u8(NetworkOffset.direction);
  const direction =
    directionCode === NetDirection.connect
      ? 'connect'
      : directionCode === NetDirection.accept
        ? 'accept'
        : directionCode === NetDirection.listen
          ? 'listen'
          : null;
  if (!direction) throw new DecodeError('bad_field', `network record has unknown direction ${directionCode}`);
  const familyCode = record.u8(NetworkOffset.family);
  const addr = record.bytesAt(NetworkOffset.addr, 16, 'address');
  let family: 'inet' | 'inet6';
  let address: string;
  if (familyCode === AF_INET) {
    family = 'inet';
    address = `${addr[0]}.${addr[1]}.${addr[2]}.${addr[3]}`;
  } else if (familyCode === AF_INET6) {
    family = 'inet6';
    address = formatIpv6(addr);
  } else {
    throw new DecodeError('bad_field', `network record has unknown address family ${familyCode}`);
  }
  const protocolCode = record.u8(NetworkOffset.protocol);
  const protocol = protocolCode === IPPROTO_TCP ? 'tcp' : protocolCode === IPPROTO_UDP ? 'udp' : '';
  return { kind: 'network', process: record.process(), direction, family, protocol, address, port: record.u16(NetworkOffset.port) };
}

/** RFC 5952 text form: lower case, longest zero run compressed, IPv4-mapped kept readable. */
export function formatIpv6(addr: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((addr[i] ?? 0) << 8) | (addr[i + 1] ?? 0));
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${addr[12]}.${addr[13]}.${addr[14]}.${addr[15]}`;
  }
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength && j - i > 1) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart === -1) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

function decodeDns(record: RecordReader): SensorRecord {
  const nameLen = record.u16(DnsOffset.nameLen);
  const raw = fixedString(record.bytesAt(DnsOffset.name, nameLen, 'query name'));
  // The kernel turned label lengths into dots in place, so the name starts with one.
  const name = raw.replace(/^\./, '').replace(/\.$/, '').toLowerCase();
  if (name === '') throw new DecodeError('bad_field', 'dns record has an empty query name');
  return { kind: 'dns', process: record.process(), name, qtype: record.u16(DnsOffset.qtype) };
}

function decodeSignal(record: RecordReader): SensorRecord {
  const code = record.u32(SignalOffset.signal);
  const signal =
    code === SignalKind.ptrace
      ? 'ptrace'
      : code === SignalKind.moduleLoad
        ? 'module_load'
        : code === SignalKind.unshare
          ? 'unshare'
          : code === SignalKind.setns
            ? 'setns'
            : null;
  if (!signal) throw new DecodeError('bad_field', `signal record has unknown signal ${code}`);
  return {
    kind: 'signal',
    process: record.process(),
    signal,
    syscallNr: record.u32(SignalOffset.syscallNr),
    arg0: record.u64(SignalOffset.arg0),
    arg1: record.u64(SignalOffset.arg1),
  };
}

function decodeCgroup(record: RecordReader): SensorRecord {
  const code = record.u32(CgroupOffset.op);
  const op = code === CgroupOp.mkdir ? 'mkdir' : code === CgroupOp.rmdir ? 'rmdir' : null;
  if (!op) throw new DecodeError('bad_field', `cgroup record has unknown operation ${code}`);
  const path = fixedString(record.bytesAt(CgroupOffset.path, record.u16(CgroupOffset.pathLen), 'cgroup path'));
  return { kind: 'cgroup', process: record.process(), op, path: path.startsWith('/') ? path : `/${path}` };
}

function decodeStats(record: RecordReader): StatsRecord {
  const emitted: bigint[] = [];
  for (let i = 0; i < KERNEL_KIND_COUNT; i++) emitted.push(record.u64(StatsOffset.emitted + i * 8));
  return {
    kind: 'stats',
    emitted,
    lost: Object.fromEntries(LOSS_REASONS.map((reason, i) => [reason, record.u64(StatsOffset.lost + i * 8)])) as StatsRecord['lost'],
    loaderFrames: record.u64(StatsOffset.loaderFrames),
  };
}

