import type { RangeWindow } from './promql.js';

/**
 * How much a counter grew over `window`, counting series born inside the window from zero.
 *
 * `increase()` treats the first sample of a series as its baseline, so a rule that fired once
 * (prom-client creates the labelled series at 1) would show 0. Here a series that did not
 * exist `window` ago is compared with 0 instead. Counter resets clamp to 0 rather than going
 * negative; results are exact sample differences, without `increase()`'s extrapolation, so a
 * single hit reads as 1, not 1.04.
 */
export function counterGrowth(series: string, window: RangeWindow): string {
  return `clamp_min(${series} - (${series} offset ${window} or ${series} * 0), 0)`;
}

/** Per-second rate, for counters that exist from the start (sensor health). */
export function counterRate(series: string, window: RangeWindow): string {
  return `rate(${series}[${window}])`;
}
