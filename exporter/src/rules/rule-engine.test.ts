import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../findings/finding.js';
import { ProfileMetrics } from '../metrics/profile-metrics.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';
import { RuleEngine } from './rule-engine.js';
import { connect, dns } from './test-fixtures/records.js';

const miner: WorkloadRef = { namespace: 'shop', workload: 'web', workloadType: 'deployment', container: 'app' };
const storage: WorkloadRef = { namespace: 'shop', workload: 'minio', workloadType: 'statefulset', container: 'minio' };

function engine(): { rules: RuleEngine; findings: Finding[] } {
  const findings: Finding[] = [];
  const metrics = new ProfileMetrics(new Registry(), { profileViews: () => [] }, 20);
  return { rules: new RuleEngine(metrics, (f) => findings.push(f), pino({ level: 'silent' }), () => 0), findings };
}

describe('RuleEngine evidence', () => {
  it('names a connection to a shared pool port only for the workload that resolved a pool name', () => {
    const { rules, findings } = engine();
    expect(rules.evaluate(storage, connect('10.0.0.9', 9000, 'tcp', { cgroupId: '7' }))).toEqual([]);
    expect(rules.evaluate(miner, dns('xmr-eu1.nanopool.org', { cgroupId: '8' })).map((m) => m.rule.id)).toEqual(['crypto-miner']);
    expect(rules.evaluate(storage, connect('10.0.0.9', 9000, 'tcp', { cgroupId: '7' }))).toEqual([]);
    expect(rules.evaluate(miner, connect('10.0.0.9', 9000, 'tcp', { cgroupId: '8' })).map((m) => m.item)).toEqual(['10.0.0.9:9000']);
    expect(findings.map((f) => [f.workload.workload, f.item])).toEqual([
      ['web', 'xmr-eu1.nanopool.org'],
      ['web', '10.0.0.9:9000'],
    ]);
  });

  it('keeps cgroups apart within one workload (records without a workload share one)', () => {
    const { rules } = engine();
    const unattributed: WorkloadRef = { namespace: '', workload: 'unattributed', workloadType: 'unattributed', container: '' };
    rules.evaluate(unattributed, dns('pool.supportxmr.com', { cgroupId: '100' }));
    expect(rules.evaluate(unattributed, connect('10.0.0.9', 9000, 'tcp', { cgroupId: '200' }))).toEqual([]);
    expect(rules.evaluate(unattributed, connect('10.0.0.9', 9000, 'tcp', { cgroupId: '100' }))).toHaveLength(1);
  });
});
