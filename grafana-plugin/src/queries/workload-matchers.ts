import { matcher, type LabelMatcher } from './promql.js';
import { WORKLOAD_LABEL_NAMES } from './metrics.js';

/** One workload, as its four contract labels identify it. Empty strings are real values. */
export interface WorkloadIdentity {
  readonly namespace: string;
  readonly workload: string;
  readonly workload_type: string;
  readonly container: string;
}

/**
 * Matchers for pages and dashboards that filter by multi-value `$namespace` and `$workload`
 * variables (with an "All" of `.*`, which also matches the empty namespace of standalone mode).
 */
export function filterByVariables(): LabelMatcher[] {
  return [matcher('namespace', '=~', '$namespace'), matcher('workload', '=~', '$workload')];
}

/**
 * Matchers that pin one workload through single-value variables named like the labels. Every
 * label is matched exactly, so a cgroup and a container that share a name never mix.
 */
export function exactWorkloadVariables(): LabelMatcher[] {
  return WORKLOAD_LABEL_NAMES.map((label) => matcher(label, '=', `$${label}`));
}

/** Matchers that pin one workload by literal label values. */
export function exactWorkload(id: WorkloadIdentity): LabelMatcher[] {
  return [
    matcher('namespace', '=', id.namespace),
    matcher('workload', '=', id.workload),
    matcher('workload_type', '=', id.workload_type),
    matcher('container', '=', id.container),
  ];
}

/**
 * One workload in a Grafana dashboard: `$workload` is single-valued, and namespace, type and
 * container are "All"-able regex filters, because Grafana's `label_values` cannot offer the
 * empty value that standalone workloads have for namespace and container.
 */
export function dashboardWorkloadVariables(): LabelMatcher[] {
  return [
    matcher('namespace', '=~', '$namespace'),
    matcher('workload', '=', '$workload'),
    matcher('workload_type', '=~', '$workload_type'),
    matcher('container', '=~', '$container'),
  ];
}
