import { describe, expect, it } from 'vitest';
import { durationSeconds, isDuration } from './duration.js';

describe('durationSeconds', () => {
  it('adds up the units of a Prometheus duration', () => {
    expect(durationSeconds('15m')).toBe(900);
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('1d')).toBe(86_400);
    expect(durationSeconds('1s500ms')).toBe(1.5);
  });

  it('rejects what Prometheus rejects', () => {
    for (const bad of ['', '15', '1.5m', 'm', '30m1h', '5 m', '-1m']) {
      expect(isDuration(bad), bad).toBe(false);
      expect(() => durationSeconds(bad)).toThrow(/not a Prometheus duration/);
    }
  });
});
