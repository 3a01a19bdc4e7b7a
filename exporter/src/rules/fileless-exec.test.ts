import { describe, expect, it } from 'vitest';
import type { ExecRecord } from '../sensor/sensor-record.js';
import { filelessExec } from './fileless-exec.js';
import { WorkloadMemory } from './rule-evidence.js';
import { exec } from './test-fixtures/records.js';

const evaluate = (record: ExecRecord) => filelessExec.evaluate(record, new WorkloadMemory());

describe('fileless-exec', () => {
  it('fires on an exec through /proc/self/fd/N of a file still on disk', () => {
    expect(evaluate(exec('/run/app/payload', ['payload'], { viaProcFd: true }))).toEqual({
      item: '/run/app/payload',
      summary: 'Fileless execution: /run/app/payload runs through a /proc/self/fd path',
    });
  });

  it('fires on fexecve of a file unlinked while open, and says it was deleted', () => {
    expect(evaluate(exec('/run/app/payload', ['payload'], { viaProcFd: true, unlinked: true }))).toMatchObject({
      summary: expect.stringContaining('from a deleted file'),
    });
  });

  it('fires on fexecve of a memfd, and says memfd', () => {
    expect(evaluate(exec('/memfd:x', ['x'], { viaProcFd: true, memfd: true }))).toMatchObject({ summary: expect.stringContaining('from a memfd') });
  });

  it('fires on a memfd named like runc’s self-clone when no container runtime started it', () => {
    expect(evaluate(exec('/memfd:runc_cloned:/proc/self/exe', ['runc', 'init'], { memfd: true, viaProcFd: true }, { parentExe: '/usr/bin/bash' }))).not.toBeNull();
  });

  it('stays quiet on runc re-executing its sealed clone through /proc/self/fd', () => {
    expect(evaluate(exec('/memfd:runc_cloned:/proc/self/exe', ['runc', 'init'], { memfd: true, viaProcFd: true }, { parentExe: '/usr/bin/runc' }))).toBeNull();
  });

  it('stays quiet on /dev/fd and /proc/self/fd as arguments of a regular binary', () => {
    // bash <(cmd) hands bash /dev/fd/63 as a script; the exec itself is /usr/bin/bash.
    expect(evaluate(exec('/usr/bin/bash', ['bash', '/dev/fd/63']))).toBeNull();
    expect(evaluate(exec('/usr/bin/cat', ['cat', '/proc/self/fd/0']))).toBeNull();
  });
});
