import { describe, expect, it } from 'vitest';
import type { ProcessContext } from '../sensor/sensor-record.js';
import { TaintedProcesses } from './tainted-processes.js';

const proc = (pid: number, ppid: number): ProcessContext => ({ pid, tid: pid, ppid, uid: 0, comm: 'sh', cgroupId: '1', timeNs: 0n });

describe('TaintedProcesses', () => {
  it('covers a tainted process and the descendants it starts, until the taint expires', () => {
    let now = 0;
    const tainted = new TaintedProcesses(1000, 16, () => now);
    tainted.taint(proc(10, 1));
    expect(tainted.covers(proc(10, 1))).toBe(true);
    expect(tainted.covers(proc(11, 10))).toBe(true); // child
    expect(tainted.covers(proc(12, 11))).toBe(true); // grandchild, through the child
    expect(tainted.covers(proc(20, 1))).toBe(false); // a sibling of the shell
    now = 1001;
    expect(tainted.covers(proc(10, 1))).toBe(false);
    expect(tainted.covers(proc(13, 10))).toBe(false);
  });

  it('stays bounded, forgetting the oldest processes first', () => {
    const tainted = new TaintedProcesses(60_000, 3, () => 0);
    for (const pid of [1, 2, 3, 4]) tainted.taint(proc(pid, 0));
    expect(tainted.size).toBe(3);
    expect(tainted.covers(proc(1, 0))).toBe(false);
    expect(tainted.covers(proc(4, 0))).toBe(true);
  });

  it('never taints pid 0 (records the kernel made outside a process)', () => {
    const tainted = new TaintedProcesses(60_000, 3, () => 0);
    tainted.taint(proc(0, 0));
    expect(tainted.size).toBe(0);
    expect(tainted.covers(proc(5, 0))).toBe(false);
  });
});
