import { CATEGORY_COLORS } from '../panels/colors.js';
import { BAR_POINTS, type PanelSpec, type VariableSpec } from '../panels/panel-spec.js';
import { CATEGORIES, SEVERITIES } from '../queries/metrics.js';
import { ruleLabelValues, workloadLabelValues } from '../queries/variable-queries.js';
import { anomaliesInRange, ruleHitsInRange } from '../queries/detections-queries.js';
import { anomaliesOverTime } from '../queries/overview-queries.js';
import { matcher } from '../queries/promql.js';
import { filterByVariables } from '../queries/workload-matchers.js';
import { detectionsOverTimePanel } from './shared-panels.js';

export function detectionsVariables(): VariableSpec[] {
  const ns = matcher('namespace', '=~', '$namespace');
  return [
    { kind: 'filter', name: 'namespace', label: 'Namespace', source: workloadLabelValues('namespace') },
    { kind: 'filter', name: 'workload', label: 'Workload', source: workloadLabelValues('workload', [ns]) },
    { kind: 'fixed', name: 'severity', label: 'Severity', values: SEVERITIES },
    { kind: 'filter', name: 'rule', label: 'Rule', source: ruleLabelValues([ns]) },
    { kind: 'fixed', name: 'category', label: 'Anomaly category', values: CATEGORIES },
  ];
}

/**
 * The Detections page, filtered by `$namespace`, `$workload`, `$severity` and `$rule` (rule
 * hits) and `$category` (anomalies); the table also filters by free text.
 */
export function detectionsPanels(): PanelSpec[] {
  const m = filterByVariables();
  const rules = [...m, matcher('severity', '=~', '$severity'), matcher('rule', '=~', '$rule')];
  const anomalies = [...m, matcher('category', '=~', '$category')];
  return [
    detectionsOverTimePanel(rules),
    {
      key: 'anomalies-over-time',
      title: 'Anomalies over time',
      queries: [{ refId: 'A', expr: anomaliesOverTime(anomalies), legendFormat: '{{category}}' }],
      maxDataPoints: BAR_POINTS,
      viz: { kind: 'timeseries', drawStyle: 'bars', stacked: true, min: 0, decimals: 0, seriesColors: CATEGORY_COLORS },
    },
    {
      key: 'detections-table',
      title: 'Rule hits and anomalies',
      description: 'Each distinct rule hit and novel item last seen in the time range. Select a workload to open it.',
      queries: [
        { refId: 'rules', expr: ruleHitsInRange(rules), instant: true },
        { refId: 'anomalies', expr: anomaliesInRange(anomalies), instant: true },
      ],
      viz: {
        kind: 'table',
        filterable: true,
        pageSize: 12,
        emptyText: 'No rule hits or anomalies in this time range.',
        rowKinds: { rules: 'rule hit', anomalies: 'anomaly' },
        columns: [
          { id: 'time', header: 'Last seen', source: { value: 'timestamp' }, render: 'relative-time' },
          { id: 'kind', header: 'Kind', source: { rowKind: true } },
          { id: 'severity', header: 'Severity', source: { label: 'severity' }, render: 'severity' },
          { id: 'what', header: 'Rule / category', source: { labels: ['rule', 'category'] } },
          { id: 'item', header: 'Item', source: { label: 'item' }, render: 'code', maxChars: 56 },
          { id: 'workload', header: 'Workload', source: { label: 'workload' }, render: 'workload-link' },
          { id: 'namespace', header: 'Namespace', source: { label: 'namespace' } },
          { id: 'type', header: 'Type', source: { label: 'workload_type' } },
          { id: 'container', header: 'Container', source: { label: 'container' } },
        ],
      },
    },
  ];
}
