import { describe, expect, it } from 'vitest';
import { DedupWindow, findingDedupKey } from './dedup-window.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';

describe('DedupWindow', () => {
  it('admits one finding per workload, rule and item per window', () => {
    let now = 1_000;
    const window = new DedupWindow(300_000, 100, () => now);
    const finding = sampleFinding();
    expect(window.admit(finding)).toBe(true);
    expect(window.admit(sampleFinding({ observedAt: new Date(), process: { ...finding.process, pid: 9 } }))).toBe(false);
    now += 299_999;
    expect(window.admit(finding)).toBe(false);
    now += 1;
    expect(window.admit(finding)).toBe(true);
    expect(window.admit(finding)).toBe(false);
  });

  it('keys on workload, rule or category, and item', () => {
    const base = sampleFinding();
    const variants = [
      sampleFinding({ item: '/tmp/y' }),
      sampleFinding({ rule: 'exec-not-in-image' }),
      sampleFinding({ workload: { ...base.workload, container: 'sidecar' } }),
      sampleFinding({ kind: 'anomaly', rule: '', category: 'exec' }),
      sampleFinding({ kind: 'anomaly', rule: '', category: 'file' }),
    ];
    const keys = new Set([base, ...variants].map(findingDedupKey));
    expect(keys.size).toBe(variants.length + 1);
    const window = new DedupWindow(60_000);
    expect([base, ...variants].every((f) => window.admit(f))).toBe(true);
    expect(window.admit(sampleFinding({ severity: 'critical', summary: 'other text' }))).toBe(false);
  });

  it('is disabled by a zero window', () => {
    const window = new DedupWindow(0);
    expect(window.admit(sampleFinding())).toBe(true);
    expect(window.admit(sampleFinding())).toBe(true);
  });

  it('forgets expired keys, then the oldest, and never holds much more than maxKeys', () => {
    let now = 0;
    const window = new DedupWindow(1_000, 4, () => now);
    for (const item of ['a', 'b', 'c', 'd', 'e']) window.admit(sampleFinding({ item }));
    expect(window.size).toBe(5);
    window.admit(sampleFinding({ item: 'f' }));
    expect(window.size).toBe(4);
    expect(window.admit(sampleFinding({ item: 'a' }))).toBe(true);
    expect(window.admit(sampleFinding({ item: 'f' }))).toBe(false);
    now = 5_000;
    for (const item of ['x', 'y']) window.admit(sampleFinding({ item }));
    now = 5_500;
    for (const item of ['z', 'w', 'v', 'u']) window.admit(sampleFinding({ item }));
    expect(window.size).toBeLessThanOrEqual(5);
    expect(window.admit(sampleFinding({ item: 'u' }))).toBe(false);
    expect(window.admit(sampleFinding({ item: 'b' }))).toBe(true);
  });
});
