import { counterGrowth } from './counters.js';
import { METRIC } from './metrics.js';
import { aggregate, selector, type LabelMatcher } from './promql.js';

/**
 * Queries about one workload. `m` pins the workload (see exactWorkloadVariables and
 * exactWorkload); nothing here aggregates across workloads.
 */

export function workloadScore(m: readonly LabelMatcher[]): string {
  return selector(METRIC.deviationScore, m);
}

export function categoryScores(m: readonly LabelMatcher[]): string {
  return selector(METRIC.categoryDeviationScore, m);
}

/** Profile entries per category (the size of the baseline). */
export function profileEntriesByCategory(m: readonly LabelMatcher[]): string {
  return aggregate('sum', ['category'], selector(METRIC.profileEntries, m));
}

/** The exporter's N most recent novel items, valued by when each was last seen (Unix s). */
export function recentNovelItems(m: readonly LabelMatcher[]): string {
  return aggregate('max', ['category', 'item'], selector(METRIC.anomalyLastSeen, m));
}

/** The N most recent distinct rule hits with the offending item, valued by last-seen time. */
export function recentRuleHits(m: readonly LabelMatcher[]): string {
  return aggregate('max', ['rule', 'severity', 'item'], selector(METRIC.ruleLastDetection, m));
}

/** Rule hits in the range per rule and severity. */
export function ruleHitCounts(m: readonly LabelMatcher[]): string {
  return aggregate('sum', ['rule', 'severity'], counterGrowth(selector(METRIC.ruleDetections, m), '$__range'));
}

/** Anomalies in the range, all categories together; 0 when none. */
export function anomalyCount(m: readonly LabelMatcher[]): string {
  return `sum(${counterGrowth(selector(METRIC.anomalies, m), '$__range')}) or vector(0)`;
}

/** The current profile state as a `state` label on a series of value 1. */
export function currentProfileState(m: readonly LabelMatcher[]): string {
  return `${selector(METRIC.profileState, m)} == 1`;
}

export function learningProgress(m: readonly LabelMatcher[]): string {
  return selector(METRIC.profileLearningProgress, m);
}

/** 1 while learning is overdue, else 0; 0 also when the exporter has not set it. */
export function learningOverdue(m: readonly LabelMatcher[]): string {
  return `max(${selector(METRIC.profileLearningOverdue, m)}) or vector(0)`;
}

/** 1 while scores are suppressed because the kernel lost events, else 0. */
export function scoreSuppressed(m: readonly LabelMatcher[]): string {
  return `max(${selector(METRIC.scoreSuppressed, m)}) or vector(0)`;
}
