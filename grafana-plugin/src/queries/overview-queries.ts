import { counterGrowth } from './counters.js';
import { METRIC } from './metrics.js';
import { aggregate, matcher, selector, type LabelMatcher } from './promql.js';

const WORKLOAD_KEY = 'on (namespace, workload, workload_type, container)';

/**
 * Score over time of the `limit` workloads whose peak score in the whole range is highest.
 * `@ end()` fixes the ranking for the range, so lines do not come and go between steps.
 */
export function topWorkloadsByScore(m: readonly LabelMatcher[], limit: number): string {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`topWorkloadsByScore: limit must be a positive integer, got ${limit}`);
  }
  const score = selector(METRIC.deviationScore, m);
  return `${score} and ${WORKLOAD_KEY} topk(${limit}, max_over_time(${score}[$__range] @ end()))`;
}

/** How many workloads are in each profile state (`learning`, `ready`, `locked`). */
export function workloadsByState(m: readonly LabelMatcher[]): string {
  return aggregate('count', ['state'], `${selector(METRIC.profileState, m)} == 1`);
}

/** How many learning profiles are overdue; 0 rather than no data when none are. */
export function learningOverdueCount(m: readonly LabelMatcher[]): string {
  return `count(${selector(METRIC.profileLearningOverdue, m)} == 1) or vector(0)`;
}

/** Learning progress of the workloads that are still learning. */
export function learningProgressOfLearning(m: readonly LabelMatcher[]): string {
  const learning = selector(METRIC.profileState, [...m, matcher('state', '=', 'learning')]);
  return `${selector(METRIC.profileLearningProgress, m)} * ${WORKLOAD_KEY} (${learning} == 1)`;
}

/** Rule detections in the range, per rule and severity, largest first. */
export function detectionsByRuleAndSeverity(m: readonly LabelMatcher[]): string {
  const growth = counterGrowth(selector(METRIC.ruleDetections, m), '$__range');
  return `sort_desc(${aggregate('sum', ['rule', 'severity'], growth)})`;
}

/** Observations outside a ready profile in the range, per category. */
export function anomaliesByCategory(m: readonly LabelMatcher[]): string {
  const growth = counterGrowth(selector(METRIC.anomalies, m), '$__range');
  return `sort_desc(${aggregate('sum', ['category'], growth)})`;
}

/** Rule detections per step, by severity, for a stacked timeline; steps without any are left empty. */
export function detectionsOverTime(m: readonly LabelMatcher[]): string {
  return `${aggregate('sum', ['severity'], counterGrowth(selector(METRIC.ruleDetections, m), '$__interval'))} > 0`;
}

/** Anomalies per step, by category; steps without any are left empty. */
export function anomaliesOverTime(m: readonly LabelMatcher[]): string {
  return `${aggregate('sum', ['category'], counterGrowth(selector(METRIC.anomalies, m), '$__interval'))} > 0`;
}
