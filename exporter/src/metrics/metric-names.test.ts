import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC } from './metric-names.js';

describe('metric names', () => {
  it('are all documented in the README metrics contract', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const contract = readme.slice(readme.indexOf('## Metrics contract'));
    for (const name of Object.values(METRIC)) expect(contract, name).toContain(`\`${name}\``);
  });

  it('follow Prometheus naming: one prefix, base units, _total on counters only', () => {
    for (const name of Object.values(METRIC)) {
      expect(name).toMatch(/^telltale_[a-z0-9_]+$/);
      expect(name).not.toMatch(/_(ms|milliseconds|kb|mb)(_|$)/);
    }
  });
});
