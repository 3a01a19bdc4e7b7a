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

/**
 * Entering or creating namespaces from inside a workload: the first step of most
 * container escapes. unshare(2) without a CLONE_NEW* flag (CLONE_FILES, CLONE_FS)
 * only stops sharing a table with other threads and stays quiet; the sensor drops
 * it already, the rule agrees so such a record cannot page. setns(2) with nstype 0
 * joins whatever namespace the fd names ("any"), so it fires like a typed one. The
 * record carries the fd, not the namespace it refers to, so a setns into the
 * namespace the caller is already in cannot be told apart and fires too.
 */
export const namespaceChange: BehaviouralRule = {
  id: 'namespace-change',
  severity: 'warning',
  category: 'syscall',
  description: 'unshare or setns into new namespaces',
  evaluate(event) {
    if (event.kind !== 'signal' || (event.signal !== 'unshare' && event.signal !== 'setns')) return null;
    const names = namespaceNames(event.arg0);
    if (event.signal === 'unshare' && names.length === 0) return null;
    const which = names.length > 0 ? names.join(',') : 'any';
    return { item: `${event.signal} ${which}`, summary: `${event.process.comm} (pid ${event.process.pid}) called ${event.signal} into ${which} namespace(s)` };
  },
};
