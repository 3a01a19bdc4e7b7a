import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { attachedLinkIds, bpfObjectsHeldBy, childPids, isRunning, loadedPrograms, processIdentity, remainingOf } from './sensor-processes.js';
import { waitFor } from './wait-for.js';

describe('sensor-processes', () => {
  it('tells a running process from one that exited, and from a recycled pid', async () => {
    const me = processIdentity(process.pid);
    expect(me && isRunning(me)).toBe(true);
    expect(me && isRunning({ pid: me.pid, startTime: `${me.startTime}0` })).toBe(false);

    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const identity = processIdentity(sleeper.pid ?? -1);
    if (!identity) throw new Error('sleep did not start');
    expect(childPids(process.pid)).toContain(identity.pid);
    sleeper.kill('SIGKILL');
    await waitFor(() => (isRunning(identity) ? undefined : true), { description: 'sleep to be gone', timeoutMs: 10_000 });
    expect(processIdentity(2 ** 22 + 1)).toBeUndefined();
  });

  it('finds no BPF objects in a process that holds none, and none remaining of ids that do not exist', () => {
    expect(bpfObjectsHeldBy(process.pid)).toEqual({ programIds: [], linkIds: [] });
    const programs = loadedPrograms();
    expect(programs.every((p) => Number.isInteger(p.id) && typeof p.name === 'string')).toBe(true);
    const links = attachedLinkIds();
    const unused = Math.max(0, ...programs.map((p) => p.id), ...links) + 1000;
    expect(remainingOf({ programIds: [unused], linkIds: [unused] })).toEqual({ programs: [], linkIds: [] });
  });
});
