import { describe, expect, it } from 'vitest';
import { meetsMinimumSeverity, severityRank } from './severity-rank.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';

describe('severity', () => {
  it('orders info < warning < critical', () => {
    expect(severityRank('info')).toBeLessThan(severityRank('warning'));
    expect(severityRank('warning')).toBeLessThan(severityRank('critical'));
  });

  it('filters below a minimum', () => {
    const warning = sampleFinding({ severity: 'warning' });
    expect(meetsMinimumSeverity(warning, 'info')).toBe(true);
    expect(meetsMinimumSeverity(warning, 'warning')).toBe(true);
    expect(meetsMinimumSeverity(warning, 'critical')).toBe(false);
  });
});
