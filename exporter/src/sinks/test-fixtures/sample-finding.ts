import type { Finding } from '../../findings/finding.js';

/** A realistic rule hit; override any field per test. */
export function sampleFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    kind: 'rule',
    workload: { namespace: 'shop', workload: 'checkout', workloadType: 'deployment', container: 'api' },
    category: 'exec',
    rule: 'exec-from-temp',
    severity: 'warning',
    summary: 'Exec from a temporary directory: /tmp/x',
    item: '/tmp/x',
    score: 0.42,
    process: { pid: 4242, ppid: 4000, uid: 1000, comm: 'sh', exe: '/bin/sh' },
    observedAt: new Date('2026-11-28T10:00:00.000Z'),
    ...overrides,
  };
}
