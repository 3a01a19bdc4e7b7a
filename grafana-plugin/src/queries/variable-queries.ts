import { METRIC } from './metrics.js';
import { selector, type LabelMatcher } from './promql.js';

/**
 * Where template variables take their values from: the label values of `label` on the series
 * `series` selects. Dashboards turn this into Grafana's `label_values(series, label)`; the
 * app asks Prometheus's series API, which also reveals empty values (standalone namespaces).
 */
export interface LabelValuesSource {
  readonly series: string;
  readonly label: string;
}

/** Every workload has a profile state series, whatever it is doing. */
export function workloadLabelValues(label: string, m: readonly LabelMatcher[] = []): LabelValuesSource {
  return { series: selector(METRIC.profileState, m), label };
}

export function ruleLabelValues(m: readonly LabelMatcher[] = []): LabelValuesSource {
  return { series: selector(METRIC.ruleDetections, m), label: 'rule' };
}

export function anomalyCategoryLabelValues(m: readonly LabelMatcher[] = []): LabelValuesSource {
  return { series: selector(METRIC.anomalies, m), label: 'category' };
}

export function instanceLabelValues(): LabelValuesSource {
  return { series: METRIC.buildInfo, label: 'instance' };
}

/** Grafana's Prometheus variable query syntax. */
export function toLabelValuesQuery(source: LabelValuesSource): string {
  return `label_values(${source.series}, ${source.label})`;
}
