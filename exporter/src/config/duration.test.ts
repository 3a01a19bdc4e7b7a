import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it('reads Prometheus-style durations', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5s')).toBe(5_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration(' 2m5s ')).toBe(125_000);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('0s')).toBe(0);
  });

  it('rejects anything else', () => {
    for (const bad of ['', '5', '-5s', '5 s', '1.5s', '5d', 's', '5sm', '1e3ms', '99999999999999999999h']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });

  it('writes durations back', () => {
    expect([0, 250, 5_000, 300_000, 5_400_000, 125_250].map(formatDuration)).toEqual(['0', '250ms', '5s', '5m', '1h30m', '2m5s250ms']);
  });
});
