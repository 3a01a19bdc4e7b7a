import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { asArray, asNumber, asRecord } from './json-guards.js';

/**
 * Processes and BPF objects of the sensor as the kernel shows them (/proc, bpftool). Tests
 * look at the objects one loader held, by id, rather than at every `tt_` program: other
 * exporters may be running on the same kernel, and their programs are not a leak of ours.
 */

/** A process as seen once: its pid and start time, so a recycled pid is not mistaken for it. */
export interface ProcessIdentity {
  readonly pid: number;
  readonly startTime: string;
}

interface ProcStat {
  readonly state: string;
  readonly startTime: string;
}

function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // comm (field 2) may hold spaces and parentheses; the fields after its closing one are plain.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19];
  return state === undefined || startTime === undefined ? undefined : { state, startTime };
}

export function processIdentity(pid: number): ProcessIdentity | undefined {
  const stat = procStat(pid);
  return stat ? { pid, startTime: stat.startTime } : undefined;
}

/**
 * True while the process runs. A zombie counts as gone: it has released its files (and so its
 * BPF links) and only waits for a parent that may never reap it.
 */
export function isRunning(process: ProcessIdentity): boolean {
  const stat = procStat(process.pid);
  return stat !== undefined && stat.startTime === process.startTime && stat.state !== 'Z' && stat.state !== 'X';
}

export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function comm(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The telltale-loader child of `parentPid` (the exporter), if it has one right now. */
export function loaderChild(parentPid: number): ProcessIdentity | undefined {
  const pid = childPids(parentPid).find((child) => comm(child) === 'telltale-loader');
  return pid === undefined ? undefined : processIdentity(pid);
}

export interface HeldBpfObjects {
  readonly programIds: readonly number[];
  readonly linkIds: readonly number[];
}

/** The BPF programs and links a process holds open, from its fds' fdinfo. */
export function bpfObjectsHeldBy(pid: number): HeldBpfObjects {
  const programIds = new Set<number>();
  const linkIds = new Set<number>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return { programIds: [], linkIds: [] };
  }
  for (const fd of fds) {
    let target: string;
    let info: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue; // closed meanwhile
    }
    const field = (name: string): number | undefined => {
      const match = new RegExp(`^${name}:\\s+(\\d+)$`, 'm').exec(info);
      return match ? Number(match[1]) : undefined;
    };
    if (target === 'anon_inode:bpf-prog') {
      const id = field('prog_id');
      if (id !== undefined) programIds.add(id);
    } else if (target === 'anon_inode:bpf_link') {
      const id = field('link_id');
      if (id !== undefined) linkIds.add(id);
    }
  }
  return { programIds: [...programIds].sort((a, b) => a - b), linkIds: [...linkIds].sort((a, b) => a - b) };
}

export interface LoadedProgram {
  readonly id: number;
  readonly name: string;
}

/** Every BPF program in the kernel (`bpftool prog show`). */
export function loadedPrograms(): LoadedProgram[] {
  const parsed: unknown = JSON.parse(execFileSync('bpftool', ['prog', 'show', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  return asArray(parsed, 'bpftool prog show').map((entry, i) => {
    const program = asRecord(entry, `bpftool prog show[${i}]`);
    return { id: asNumber(program['id'], `bpftool prog show[${i}].id`), name: typeof program['name'] === 'string' ? program['name'] : '' };
  });
}

/** Ids of every BPF link in the kernel (`bpftool link show`). */
export function attachedLinkIds(): Set<number> {
  const parsed: unknown = JSON.parse(execFileSync('bpftool', ['link', 'show', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  return new Set(asArray(parsed, 'bpftool link show').map((entry, i) => asNumber(asRecord(entry, `bpftool link show[${i}]`)['id'], `bpftool link show[${i}].id`)));
}

/** Which of `held` the kernel still has: empty once the holder is gone and the kernel freed them. */
export function remainingOf(held: HeldBpfObjects): { readonly programs: LoadedProgram[]; readonly linkIds: number[] } {
  const programs = loadedPrograms().filter((p) => held.programIds.includes(p.id));
  const links = attachedLinkIds();
  return { programs, linkIds: held.linkIds.filter((id) => links.has(id)) };
}

export function describeRemaining(remaining: ReturnType<typeof remainingOf>): string {
  const programs = remaining.programs.map((p) => `${p.name} (id ${p.id})`).join(', ') || 'none';
  const links = remaining.linkIds.join(', ') || 'none';
  return `programs still loaded: ${programs}; links still present: ${links}`;
}
