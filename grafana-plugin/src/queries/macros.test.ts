import { describe, expect, it } from 'vitest';
import { interpolateMacros, rateIntervalSeconds, stepSeconds } from './macros.js';

const ctx = { rangeSeconds: 7200, intervalSeconds: 30, scrapeIntervalSeconds: 15 };

describe('interpolateMacros', () => {
  it('fills every Grafana range and interval macro without mixing up prefixes', () => {
    expect(
      interpolateMacros('a[$__range] b $__range_s c $__range_ms d[$__rate_interval] e[$__interval] f $__interval_ms', ctx),
    ).toBe('a[7200s] b 7200 c 7200000 d[1m] e[30s] f 30000');
  });
  it('leaves other variables for the variable formatter', () => {
    expect(interpolateMacros('x{namespace=~"$namespace"}[$__range]', ctx)).toBe('x{namespace=~"$namespace"}[7200s]');
  });
});

describe('rateIntervalSeconds', () => {
  it('is four scrapes for short steps and step plus scrape for long ones', () => {
    expect(rateIntervalSeconds({ ...ctx, intervalSeconds: 15 })).toBe(60);
    expect(rateIntervalSeconds({ ...ctx, intervalSeconds: 120 })).toBe(135);
  });
});

describe('stepSeconds', () => {
  it('divides the range by the points wanted, never below the scrape interval', () => {
    expect(stepSeconds(7200, 240, 15)).toBe(30);
    expect(stepSeconds(600, 1000, 15)).toBe(15);
    expect(stepSeconds(7201, 240, 15)).toBe(31);
  });
});
