import type { ProfileLifecycleFields, ReadyReason } from './profile-document.js';

/**
 * learning -> ready -> (locked by an operator). A profile becomes ready
 * - early, once nothing new has appeared for `stableAfterMs` (after at least that long learning);
 * - when the learning period is over and the last novelty is at least `settleMs` old;
 * - at `maxLearningFactor` times the period in any case (it was "overdue" from the
 *   end of the period until then, which an alert shows).
 * Time counts while an exporter runs (learnedSeconds), so restarts resume learning
 * and downtime does not make a profile ready. Syscall sequences do not count as
 * novelty for stability: rare code paths keep producing new n-grams for days.
 */
export interface LifecycleSettings {
  readonly stableAfterMs: number;
  readonly maxLearningFactor: number;
}

export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = { stableAfterMs: 4 * 3600_000, maxLearningFactor: 2 };

export interface LifecycleView {
  /** 0..1 while learning (never 1), 1 once ready or locked. */
  readonly progress: number;
  /** The period is over but the profile keeps changing. */
  readonly overdue: boolean;
}

export function newLifecycle(nowMs: number, learningPeriodMs: number, learnAfterReady: boolean): ProfileLifecycleFields {
  return {
    state: 'learning',
    learningStartedAt: new Date(nowMs).toISOString(),
    readyAt: null,
    lockedAt: null,
    learningPeriodSeconds: Math.round(learningPeriodMs / 1000),
    learnedSeconds: 0,
    lastNoveltyAt: null,
    learnedSecondsAtLastNovelty: null,
    readyReason: null,
    learnAfterReady,
    version: null,
    previousVersion: null,
    versionChangedAt: null,
  };
}

/** Learning time since the last novelty: an exporter that was down saw nothing, so downtime is not quiet. */
function quietForMs(fields: ProfileLifecycleFields): number {
  return Math.max(0, fields.learnedSeconds - (fields.learnedSecondsAtLastNovelty ?? 0)) * 1000;
}

/** 0..1 while learning, never 1 before the profile is ready (an overdue profile stays below 1); 1 once ready or locked. */
export function learningProgress(fields: Pick<ProfileLifecycleFields, 'state' | 'learnedSeconds' | 'learningPeriodSeconds'>): number {
  if (fields.state !== 'learning') return 1;
  const period = fields.learningPeriodSeconds;
  return period > 0 ? Math.min(0.999, Math.max(0, fields.learnedSeconds / period)) : 0;
}

export function lifecycleView(fields: ProfileLifecycleFields, settings: LifecycleSettings): LifecycleView {
  if (fields.state !== 'learning') return { progress: 1, overdue: false };
  const period = fields.learningPeriodSeconds * 1000;
  const learned = fields.learnedSeconds * 1000;
  return { progress: learningProgress(fields), overdue: learned >= period && period > 0 && learned < period * settings.maxLearningFactor };
}

/** Adds learning time and decides whether the profile is ready now; returns the reason when it just became ready. */
export function advanceLearning(
  fields: ProfileLifecycleFields,
  elapsedMs: number,
  nowMs: number,
  settings: LifecycleSettings,
): ReadyReason | null {
  if (fields.state !== 'learning') return null;
  fields.learnedSeconds += Math.max(0, elapsedMs) / 1000;
  const learned = fields.learnedSeconds * 1000;
  const period = fields.learningPeriodSeconds * 1000;
  const quiet = quietForMs(fields);
  const settle = Math.min(settings.stableAfterMs, period / 10);
  let reason: ReadyReason | null = null;
  if (learned >= Math.min(period, settings.stableAfterMs) && quiet >= settings.stableAfterMs && learned < period) reason = 'stable';
  else if (learned >= period && quiet >= settle) reason = 'period';
  else if (learned >= period * settings.maxLearningFactor) reason = 'overdue';
  if (reason) markReady(fields, nowMs, reason);
  return reason;
}

export function markReady(fields: ProfileLifecycleFields, nowMs: number, reason: ReadyReason): void {
  fields.state = 'ready';
  fields.readyAt = new Date(nowMs).toISOString();
  fields.readyReason = reason;
}

export function noteNovelty(fields: ProfileLifecycleFields, nowMs: number): void {
  fields.lastNoveltyAt = new Date(nowMs).toISOString();
  fields.learnedSecondsAtLastNovelty = fields.learnedSeconds;
}

/** A new workload version keeps the profile (no silent re-learning after a rollout) and records the change. */
export function noteVersion(fields: ProfileLifecycleFields, version: string | null, nowMs: number): boolean {
  if (version === null || version === fields.version) return false;
  if (fields.version !== null) {
    fields.previousVersion = fields.version;
    fields.versionChangedAt = new Date(nowMs).toISOString();
  }
  fields.version = version;
  return true;
}
