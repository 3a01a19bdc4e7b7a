import { CATEGORY_COLORS, OVERALL_COLOR, SEVERITY_COLORS, STATE_COLORS } from '../panels/colors.js';
import type { PanelSpec, VariableSpec } from '../panels/panel-spec.js';
import { matcher } from '../queries/promql.js';
import { workloadLabelValues } from '../queries/variable-queries.js';
import { exactWorkloadVariables } from '../queries/workload-matchers.js';
import {
  anomalyCount,
  categoryScores,
  currentProfileState,
  learningOverdue,
  learningProgress,
  profileEntriesByCategory,
  recentNovelItems,
  recentRuleHits,
  ruleHitCounts,
  scoreSuppressed,
  workloadScore,
} from '../queries/workload-queries.js';

const YES_NO = { '0': 'no', '1': 'yes' };
const NOT_SCORED_YET = 'No deviation score yet: a workload is scored once its profile is ready.';

/** Each label narrows the next, so picking a workload leaves one type and one container. */
export function workloadVariables(): VariableSpec[] {
  const ns = matcher('namespace', '=', '$namespace');
  const wl = matcher('workload', '=', '$workload');
  const type = matcher('workload_type', '=', '$workload_type');
  return [
    { kind: 'pin', name: 'namespace', label: 'Namespace', source: workloadLabelValues('namespace') },
    { kind: 'pin', name: 'workload', label: 'Workload', source: workloadLabelValues('workload', [ns]) },
    { kind: 'pin', name: 'workload_type', label: 'Type', source: workloadLabelValues('workload_type', [ns, wl]) },
    { kind: 'pin', name: 'container', label: 'Container', source: workloadLabelValues('container', [ns, wl, type]) },
  ];
}

/** The Workload page: one workload, pinned by the `$namespace`, `$workload`, `$workload_type` and `$container` variables. */
export function workloadPanels(): PanelSpec[] {
  const m = exactWorkloadVariables();
  return [
    {
      key: 'profile-state',
      title: 'Profile state',
      queries: [{ refId: 'A', expr: currentProfileState(m), legendFormat: '{{state}}', instant: true }],
      viz: { kind: 'stat', textMode: 'name', colors: STATE_COLORS },
    },
    {
      key: 'learning-progress',
      title: 'Learning progress',
      queries: [{ refId: 'A', expr: learningProgress(m), legendFormat: 'progress', instant: true }],
      viz: { kind: 'stat', unit: 'percentunit', decimals: 0, colors: { progress: 'blue' } },
    },
    {
      key: 'score-now',
      title: 'Deviation score',
      description: 'The calibrated deviation score at the end of the time range; red from the alert threshold.',
      queries: [{ refId: 'A', expr: workloadScore(m), legendFormat: 'score', instant: true }],
      noDataText: 'not scored yet',
      viz: { kind: 'stat', decimals: 2, alertThresholdColors: true },
    },
    {
      key: 'anomaly-count',
      title: 'Anomalies',
      description: 'Observations outside the ready profile in the time range.',
      queries: [{ refId: 'A', expr: anomalyCount(m), legendFormat: 'anomalies', instant: true }],
      viz: { kind: 'stat', decimals: 0 },
    },
    {
      key: 'learning-overdue',
      title: 'Learning overdue',
      queries: [{ refId: 'A', expr: learningOverdue(m), legendFormat: 'overdue', instant: true }],
      viz: { kind: 'stat', valueText: YES_NO },
    },
    {
      key: 'score-suppressed',
      title: 'Score suppressed',
      description: 'Scores are suppressed while the kernel loses events for this workload.',
      queries: [{ refId: 'A', expr: scoreSuppressed(m), legendFormat: 'suppressed', instant: true }],
      viz: { kind: 'stat', valueText: YES_NO },
    },
    {
      key: 'category-scores',
      title: 'Deviation score by category',
      description: 'Per-category scores and the overall score. The red line is the alert threshold.',
      queries: [
        { refId: 'A', expr: workloadScore(m), legendFormat: 'overall' },
        { refId: 'B', expr: categoryScores(m), legendFormat: '{{category}}' },
      ],
      noDataText: NOT_SCORED_YET,
      viz: { kind: 'timeseries', min: 0, max: 1, alertThresholdLine: true, seriesColors: { ...CATEGORY_COLORS, overall: OVERALL_COLOR } },
    },
    {
      key: 'profile-entries',
      title: 'Baseline entries by category',
      queries: [{ refId: 'A', expr: profileEntriesByCategory(m), legendFormat: '{{category}}', instant: true }],
      viz: { kind: 'bar-list', min: 0, colorBy: { label: 'category', colors: CATEGORY_COLORS } },
    },
    {
      key: 'rule-hit-counts',
      title: 'Rule detections in range',
      queries: [{ refId: 'A', expr: ruleHitCounts(m), legendFormat: '{{rule}} · {{severity}}', instant: true }],
      viz: { kind: 'bar-list', min: 0, colorBy: { label: 'severity', colors: SEVERITY_COLORS } },
    },
    {
      key: 'recent-novel-items',
      title: 'Recent novel items',
      description: 'The most recent items outside the profile, as the exporter keeps them.',
      queries: [{ refId: 'A', expr: recentNovelItems(m), instant: true }],
      viz: {
        kind: 'table',
        emptyText: 'No novel items: everything this workload did is in its profile.',
        pageSize: 5,
        columns: [
          { id: 'time', header: 'Last seen', source: { value: 'timestamp' }, render: 'relative-time' },
          { id: 'category', header: 'Category', source: { label: 'category' } },
          { id: 'item', header: 'Item', source: { label: 'item' }, render: 'code' },
        ],
      },
    },
    {
      key: 'recent-rule-hits',
      title: 'Detections',
      description: 'The most recent distinct rule hits with the offending item.',
      queries: [{ refId: 'A', expr: recentRuleHits(m), instant: true }],
      viz: {
        kind: 'table',
        emptyText: 'No behavioural rule has fired for this workload.',
        pageSize: 5,
        columns: [
          { id: 'time', header: 'Last seen', source: { value: 'timestamp' }, render: 'relative-time' },
          { id: 'severity', header: 'Severity', source: { label: 'severity' }, render: 'severity' },
          { id: 'rule', header: 'Rule', source: { label: 'rule' } },
          { id: 'item', header: 'Item', source: { label: 'item' }, render: 'code' },
        ],
      },
    },
  ];
}
