import { locationUtil, urlUtil, type TimeRange } from '@grafana/data';
import { prefixRoute, ROUTES } from './constants.js';
import type { WorkloadIdentity } from './queries/workload-matchers.js';

/**
 * Link to the Workload page for one workload, keeping the time range. The four labels travel
 * as the page's variables (`var-namespace`, …), which scenes reads back from the URL.
 */
export function workloadPageUrl(id: WorkloadIdentity, timeRange?: TimeRange): string {
  const params: Record<string, string> = {
    'var-namespace': id.namespace,
    'var-workload': id.workload,
    'var-workload_type': id.workload_type,
    'var-container': id.container,
  };
  if (timeRange) {
    params['from'] = String(timeRange.from.valueOf());
    params['to'] = String(timeRange.to.valueOf());
  }
  return locationUtil.assureBaseUrl(urlUtil.renderUrl(prefixRoute(ROUTES.workload), params));
}

/** The workload labels of a series, with absent labels as empty strings (as the contract says). */
export function workloadIdentityOf(labels: Readonly<Record<string, string>>): WorkloadIdentity {
  return {
    namespace: labels['namespace'] ?? '',
    workload: labels['workload'] ?? '',
    workload_type: labels['workload_type'] ?? '',
    container: labels['container'] ?? '',
  };
}
