import { METRIC } from './metrics.js';
import { selector, type LabelMatcher } from './promql.js';

/**
 * The Detections page lists rule hits and anomalies seen within the time range. The exporter
 * keeps the N most recent items per workload as gauges valued by last-seen time, so "within
 * the range" is a comparison with `time()`, which an instant query evaluates at the range end.
 */

/** Rule hits last seen within the range; labels carry rule, severity and item. */
export function ruleHitsInRange(m: readonly LabelMatcher[]): string {
  return `${selector(METRIC.ruleLastDetection, m)} > time() - $__range_s`;
}

/** Novel items (anomalies) last seen within the range; labels carry category and item. */
export function anomaliesInRange(m: readonly LabelMatcher[]): string {
  return `${selector(METRIC.anomalyLastSeen, m)} > time() - $__range_s`;
}
