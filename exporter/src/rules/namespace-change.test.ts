import { describe, expect, it } from 'vitest';
import { namespaceChange, namespaceNames } from './namespace-change.js';
import { WorkloadMemory } from './rule-evidence.js';
import { signal } from './test-fixtures/records.js';

const CLONE_NEWNS = 0x20000n;
const CLONE_NEWUSER = 0x10000000n;
const CLONE_NEWNET = 0x40000000n;

const evaluate = (...args: Parameters<typeof signal>) => namespaceChange.evaluate(signal(...args), new WorkloadMemory());

describe('namespace-change', () => {
  it('fires on setns into a network namespace (nstype CLONE_NEWNET, fd 3)', () => {
    expect(evaluate('setns', CLONE_NEWNET, 3n, 308)).toMatchObject({ item: 'setns net', summary: expect.stringContaining('called setns into net') });
  });

  it('fires on setns through a pidfd into several namespaces at once (nsenter -t PID -m -n)', () => {
    expect(evaluate('setns', CLONE_NEWNET | CLONE_NEWNS, 5n, 308)).toMatchObject({ item: 'setns mnt,net' });
  });

  it('fires on setns with nstype 0: whatever namespace the fd names is joined', () => {
    expect(evaluate('setns', 0n, 3n, 308)).toMatchObject({ item: 'setns any' });
  });

  it('fires on unshare into new user and mount namespaces (unshare -Urm)', () => {
    expect(evaluate('unshare', CLONE_NEWUSER | CLONE_NEWNS, 0n, 272)).toMatchObject({ item: 'unshare mnt,user' });
  });

  it('stays quiet on unshare without a namespace flag (CLONE_FILES, CLONE_FS)', () => {
    expect(evaluate('unshare', 0x400n, 0n, 272)).toBeNull();
    expect(evaluate('unshare', 0x200n, 0n, 272)).toBeNull();
  });

  it('names every namespace flag', () => {
    expect(namespaceNames(0x7e020080n)).toEqual(['time', 'mnt', 'cgroup', 'uts', 'ipc', 'user', 'pid', 'net']);
  });
});
