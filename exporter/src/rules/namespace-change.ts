import type { BehaviouralRule } from './behavioural-rule.js';

const NAMESPACE_FLAGS: ReadonlyArray<[bigint, string]> = [
  [0x80n, 'time'],
  [0x20000n, 'mnt'],
  [0x2000000n, 'cgroup'],
  [0x4000000n, 'uts'],
  [0x8000000n, 'ipc'],
  [0x10000000n, 'user'],
  [0x20000000n, 'pid'],
  [0x40000000n, 'net'],
];

export function namespaceNames(flags: bigint): string[] {
  return NAMESPACE_FLAGS.filter(([bit]) => (flags & bit) !== 0n).map(([, name]) => name);
}

/** Entering or creating namespaces from inside a workload: the first step of most container escapes. */
export const namespaceChange: BehaviouralRule = {
  id: 'namespace-change',
  severity: 'warning',
  category: 'syscall',
  description: 'unshare or setns into new namespaces',
  evaluate(event) {
    if (event.kind !== 'signal' || (event.signal !== 'unshare' && event.signal !== 'setns')) return null;
    const names = namespaceNames(event.arg0);
    const which = names.length > 0 ? names.join(',') : 'any';
    return { item: `${event.signal} ${which}`, summary: `${event.process.comm} (pid ${event.process.pid}) called ${event.signal} into ${which} namespace(s)` };
  },
};
