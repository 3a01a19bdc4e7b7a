import { describe, expect, it } from 'vitest';
import { webhookPayload } from './webhook-payload.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';

describe('webhookPayload', () => {
  it('has the documented shape', () => {
    const payload = webhookPayload(
      [sampleFinding(), sampleFinding({ kind: 'anomaly', rule: '', category: 'dns', item: 'pool.example', score: NaN, severity: 'info' })],
      'worker-3',
      new Date('2026-11-28T10:00:00.250Z'),
    );
    expect(JSON.parse(JSON.stringify(payload))).toEqual({
      version: 1,
      source: 'telltale',
      node: 'worker-3',
      sentAt: '2026-11-28T10:00:00.250Z',
      findings: [
        {
          kind: 'rule',
          rule: 'exec-from-temp',
          category: 'exec',
          severity: 'warning',
          summary: 'Exec from a temporary directory: /tmp/x',
          item: '/tmp/x',
          score: 0.42,
          observedAt: '2026-11-28T10:00:00.000Z',
          namespace: 'shop',
          workload: 'checkout',
          workloadType: 'deployment',
          container: 'api',
          process: { pid: 4242, ppid: 4000, uid: 1000, comm: 'sh', exe: '/bin/sh' },
        },
        expect.objectContaining({ kind: 'anomaly', rule: null, category: 'dns', item: 'pool.example', score: null, severity: 'info' }),
      ],
    });
  });
});
