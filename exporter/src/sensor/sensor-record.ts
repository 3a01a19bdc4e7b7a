import type { LossReason } from './wire.js';

/**
 * Typed records decoded from the loader's stream. Kernel records carry the process
 * context they were observed in; loader records describe the loader itself.
 */
export interface ProcessContext {
  /** Thread group id; 0 where the kernel saw no process (inbound connections in softirq). */
  readonly pid: number;
  readonly tid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly comm: string;
  /** cgroup v2 id, the inode number of the cgroup directory, as a decimal string. */
  readonly cgroupId: string;
  /** CLOCK_BOOTTIME nanoseconds. */
  readonly timeNs: bigint;
}

export interface ExecFacts {
  /** fds 0, 1, 2 that are IPv4/IPv6 sockets. */
  readonly stdinSocket: boolean;
  readonly stdoutSocket: boolean;
  readonly stderrSocket: boolean;
  readonly memfd: boolean;
  readonly unlinked: boolean;
  readonly viaProcFd: boolean;
  readonly onOverlay: boolean;
  readonly overlayUpper: boolean;
  readonly fromDevShm: boolean;
  readonly fromTmp: boolean;
  readonly parentConnectedSocket: boolean;
}

export interface ExecRecord {
  readonly kind: 'exec';
  readonly process: ProcessContext;
  readonly exe: string;
  readonly argv: readonly string[];
  /** argc as the kernel counted it; argv may hold fewer (bounded). */
  readonly argc: number;
  readonly parentExe: string;
  /** LD_PRELOAD value if the environment had one. */
  readonly ldPreload: string | null;
  readonly facts: ExecFacts;
  readonly truncated: boolean;
}

export interface FileRecord {
  readonly kind: 'file';
  readonly process: ProcessContext;
  /** Absolute and lexically normalized. */
  readonly path: string;
  readonly rawPath: string;
  readonly openFlags: number;
  readonly read: boolean;
  readonly write: boolean;
  readonly create: boolean;
  readonly truncate: boolean;
  readonly syscallNr: number;
  readonly truncated: boolean;
}

export interface SyscallRecord {
  readonly kind: 'syscall';
  readonly process: ProcessContext;
  readonly nr: number;
}

export interface SequenceRecord {
  readonly kind: 'syscall_sequence';
  readonly process: ProcessContext;
  /** Syscall numbers, oldest first. */
  readonly calls: readonly number[];
}

export interface NetworkRecord {
  readonly kind: 'network';
  readonly process: ProcessContext;
  readonly direction: 'connect' | 'accept' | 'listen';
  readonly family: 'inet' | 'inet6';
  readonly protocol: 'tcp' | 'udp' | '';
  readonly address: string;
  readonly port: number;
}

export interface DnsRecord {
  readonly kind: 'dns';
  readonly process: ProcessContext;
  /** Lower-cased query name without the trailing dot. */
  readonly name: string;
  readonly qtype: number;
}

export interface CapabilityRecord {
  readonly kind: 'capability';
  readonly process: ProcessContext;
  readonly capability: number;
  readonly granted: boolean;
  /** Inferred from a syscall (derived mode) rather than seen at a capability check. */
  readonly derived: boolean;
  readonly syscallNr: number;
}

export interface SignalRecord {
  readonly kind: 'signal';
  readonly process: ProcessContext;
  readonly signal: 'ptrace' | 'module_load' | 'unshare' | 'setns';
  readonly syscallNr: number;
  readonly arg0: bigint;
  readonly arg1: bigint;
}

export interface CgroupRecord {
  readonly kind: 'cgroup';
  readonly process: ProcessContext;
  readonly op: 'mkdir' | 'rmdir';
  /** Path below the cgroup2 root, starting with a slash. */
  readonly path: string;
}

export interface HelloRecord {
  readonly kind: 'hello';
  readonly loaderPid: number;
  readonly capabilityHook: boolean;
  readonly sequences: boolean;
  readonly ngramLength: number;
  readonly ringbufBytes: number;
  readonly kernelRelease: string;
}

export interface StatsRecord {
  readonly kind: 'stats';
  /** Records the kernel submitted, indexed by record kind number. */
  readonly emitted: readonly bigint[];
  readonly lost: Readonly<Record<LossReason, bigint>>;
  readonly loaderFrames: bigint;
}

export interface CgroupLossRecord {
  readonly kind: 'cgroup_loss';
  readonly cgroupId: string;
  readonly lost: bigint;
}

export interface MapInfoRecord {
  readonly kind: 'map_info';
  readonly name: string;
  readonly entries: number;
  readonly maxEntries: number;
}

export interface LogRecord {
  readonly kind: 'log';
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}

export type ObservationRecord =
  | ExecRecord
  | FileRecord
  | SyscallRecord
  | SequenceRecord
  | NetworkRecord
  | DnsRecord
  | CapabilityRecord;

export type SensorRecord =
  | ObservationRecord
  | SignalRecord
  | CgroupRecord
  | HelloRecord
  | StatsRecord
  | CgroupLossRecord
  | MapInfoRecord
  | LogRecord;
