import { describe, expect, it } from 'vitest';
import { advanceLearning, lifecycleView, newLifecycle, noteNovelty, noteVersion } from './lifecycle.js';

const HOUR = 3600_000;
const settings = { stableAfterMs: 4 * HOUR, maxLearningFactor: 2 };
const t0 = Date.parse('2026-11-28T00:00:00Z');

/** Advances a lifecycle hour by hour, with novelty at the given hours; returns the hour it became ready. */
function run(noveltyHours: number[], periodHours: number, hours = 100): { readyAt: number | null; reason: string | null; overdueSeen: boolean } {
  const fields = newLifecycle(t0, periodHours * HOUR, false);
  let overdueSeen = false;
  for (let h = 1; h <= hours; h++) {
    const now = t0 + h * HOUR;
    if (noveltyHours.includes(h)) noteNovelty(fields, now);
    const reason = advanceLearning(fields, HOUR, now, settings);
    overdueSeen ||= lifecycleView(fields, settings).overdue;
    if (reason) return { readyAt: h, reason, overdueSeen };
  }
  return { readyAt: null, reason: null, overdueSeen };
}

describe('profile lifecycle', () => {
  it('becomes ready early once nothing new appeared for the quiet time', () => {
    // Novelty during hour 3 is noted at 2 h of learning time; four quiet hours end at 6 h.
    expect(run([1, 2, 3], 24)).toEqual({ readyAt: 6, reason: 'stable', overdueSeen: false });
  });

  it('does not count exporter downtime as quiet time', () => {
    const fields = newLifecycle(t0, 24 * HOUR, false);
    expect(advanceLearning(fields, 3 * HOUR, t0 + 3 * HOUR, settings)).toBeNull();
    noteNovelty(fields, t0 + 3 * HOUR);
    // The exporter is down for 4 h, then runs one more second: 1 s of quiet, not 4 h.
    expect(advanceLearning(fields, 1000, t0 + 7 * HOUR + 1000, settings)).toBeNull();
    expect(fields.state).toBe('learning');
    expect(advanceLearning(fields, 4 * HOUR, t0 + 11 * HOUR + 1000, settings)).toBe('stable');
  });

  it('becomes ready at the end of the period when still settling before it', () => {
    const novelty = Array.from({ length: 22 }, (_, i) => i + 1).filter((h) => h % 3 === 0);
    expect(run(novelty, 24)).toMatchObject({ readyAt: 24, reason: 'period' });
  });

  it('is overdue while it keeps changing after the period, and ready at twice the period', () => {
    const churn = Array.from({ length: 60 }, (_, i) => i + 1);
    expect(run(churn, 24)).toEqual({ readyAt: 48, reason: 'overdue', overdueSeen: true });
  });

  it('reports progress below 1 while learning', () => {
    const fields = newLifecycle(t0, 24 * HOUR, false);
    advanceLearning(fields, 12 * HOUR, t0 + 12 * HOUR, { ...settings, stableAfterMs: 100 * HOUR });
    expect(lifecycleView(fields, settings)).toEqual({ progress: 0.5, overdue: false });
  });

  it('never advances a locked profile', () => {
    const fields = { ...newLifecycle(t0, HOUR, false), state: 'locked' as const };
    expect(advanceLearning(fields, 10 * HOUR, t0 + 10 * HOUR, settings)).toBeNull();
    expect(fields.learnedSeconds).toBe(0);
    expect(lifecycleView(fields, settings).progress).toBe(1);
  });

  it('records a version change without resetting the profile', () => {
    const fields = { ...newLifecycle(t0, HOUR, false), state: 'ready' as const };
    expect(noteVersion(fields, 'img-1', t0)).toBe(true);
    expect(fields).toMatchObject({ version: 'img-1', previousVersion: null, versionChangedAt: null });
    expect(noteVersion(fields, 'img-1', t0 + 1)).toBe(false);
    expect(noteVersion(fields, 'img-2', t0 + 2)).toBe(true);
    expect(fields).toMatchObject({ state: 'ready', version: 'img-2', previousVersion: 'img-1', versionChangedAt: new Date(t0 + 2).toISOString() });
  });
});
