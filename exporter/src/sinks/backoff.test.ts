import { describe, expect, it } from 'vitest';
import { backoffDelayMs, type RetryPolicy } from './backoff.js';

const policy: RetryPolicy = { maxAttempts: 6, initialDelayMs: 100, maxDelayMs: 1_000 };

describe('backoffDelayMs', () => {
  it('doubles the step per failed attempt, half fixed and half jittered', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, policy, () => 1))).toEqual([100, 200, 400, 800]);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(150);
  });

  it('never exceeds the cap', () => {
    expect(backoffDelayMs(5, policy, () => 1)).toBe(1_000);
    expect(backoffDelayMs(40, policy, () => 1)).toBe(1_000);
    expect(backoffDelayMs(40, policy, () => 0)).toBe(500);
  });

  it('honours a longer Retry-After up to the cap, and ignores a shorter one', () => {
    expect(backoffDelayMs(1, policy, () => 0, 700)).toBe(700);
    expect(backoffDelayMs(1, policy, () => 0, 5_000)).toBe(1_000);
    expect(backoffDelayMs(3, policy, () => 0, 10)).toBe(200);
  });

  it('spreads delays over the jitter range', () => {
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(3, policy, random)));
    expect(delays.size).toBeGreaterThan(20);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });
});
