/**
 * What the profile engine receives: one distinct item per workload and epoch, as the
 * kernel reports it after deduplication (already attributed and redacted). These types
 * stay close to the kernel records so the decoder can build them without interpretation.
 */
export const FILE_ACCESS_MODES = ['read', 'write', 'create', 'truncate'] as const;
export type FileAccess = (typeof FILE_ACCESS_MODES)[number];

export const NETWORK_DIRECTIONS = ['connect', 'accept', 'listen'] as const;
export type NetworkDirection = (typeof NETWORK_DIRECTIONS)[number];

export interface ExecObservation {
  readonly category: 'exec';
  /** Absolute executable path as resolved by the kernel. */
  readonly path: string;
  /** argv[0..], including argv[0]. */
  readonly argv: readonly string[];
  /** Exec flags as reported by the kernel (e.g. AT_* flags); informational, not learned. */
  readonly flags?: number;
}

export interface FileObservation {
  readonly category: 'file';
  /** Absolute, normalized path. */
  readonly path: string;
  readonly modes: readonly FileAccess[];
}

export interface SyscallObservation {
  readonly category: 'syscall';
  readonly nr: number;
}

export interface SyscallSequenceObservation {
  readonly category: 'syscall_sequence';
  /** n consecutive syscall numbers of one thread, oldest first (ids 0..511, n ≤ 7). */
  readonly calls: readonly number[];
}

export interface NetworkObservation {
  readonly category: 'network';
  readonly direction: NetworkDirection;
  /** `inet`, `inet6` or `unix`. */
  readonly family: string;
  /** `tcp`, `udp`, … */
  readonly protocol: string;
  /** Peer address for connect/accept, local address for listen; a socket path for unix. */
  readonly address: string;
  readonly port: number;
  /**
   * A name for the peer when attribution knows one (a Kubernetes service, a DNS name
   * the workload resolved to this address). Profiles key on it instead of the address,
   * so a service whose pods move stays one entry.
   */
  readonly peerName?: string;
}

export interface DnsObservation {
  readonly category: 'dns';
  readonly name: string;
}

export interface CapabilityObservation {
  readonly category: 'capability';
  /** Linux capability number (CAP_CHOWN = 0 …). */
  readonly capability: number;
}

export type Observation =
  | ExecObservation
  | FileObservation
  | SyscallObservation
  | SyscallSequenceObservation
  | NetworkObservation
  | DnsObservation
  | CapabilityObservation;
