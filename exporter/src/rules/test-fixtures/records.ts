import type { DnsRecord, ExecFacts, ExecRecord, FileRecord, NetworkRecord, ProcessContext, SignalRecord } from '../../sensor/sensor-record.js';

/** Records as the decoder makes them, for rule tests. */
export const process: ProcessContext = { pid: 4242, tid: 4242, ppid: 1, uid: 0, comm: 'app', cgroupId: '42', timeNs: 0n };

export const NO_FACTS: ExecFacts = {
  stdinSocket: false,
  stdoutSocket: false,
  stderrSocket: false,
  memfd: false,
  unlinked: false,
  viaProcFd: false,
  onOverlay: false,
  overlayUpper: false,
  fromDevShm: false,
  fromTmp: false,
  parentConnectedSocket: false,
};

export function exec(exe: string, argv: string[], facts: Partial<ExecFacts> = {}, extra: Partial<ExecRecord> = {}): ExecRecord {
  return { kind: 'exec', process: { ...process, comm: argv[0]?.split('/').pop() ?? 'x' }, exe, argv, argc: argv.length, parentExe: '/usr/bin/app', ldPreload: null, facts: { ...NO_FACTS, ...facts }, truncated: false, ...extra };
}

export function open(path: string, comm: string, access: Partial<Pick<FileRecord, 'read' | 'write' | 'create' | 'truncate'>> = { read: true }): FileRecord {
  return { kind: 'file', process: { ...process, comm }, path, rawPath: path, openFlags: 0, read: false, write: false, create: false, truncate: false, ...access, syscallNr: 257, truncated: false };
}

/** `by` overrides the process context: another thread, another cgroup. */
export function connect(address: string, port: number, protocol: 'tcp' | 'udp' = 'tcp', by: Partial<ProcessContext> = {}): NetworkRecord {
  return { kind: 'network', process: { ...process, ...by }, direction: 'connect', family: 'inet', protocol, address, port };
}

export function dns(name: string, by: Partial<ProcessContext> = {}): DnsRecord {
  return { kind: 'dns', process: { ...process, ...by }, name, qtype: 1 };
}

export function signal(kind: SignalRecord['signal'], arg0: bigint, arg1 = 0n, syscallNr = 0, by: Partial<ProcessContext> = {}): SignalRecord {
  return { kind: 'signal', process: { ...process, ...by }, signal: kind, syscallNr, arg0, arg1 };
}
