import { CATEGORY_COLORS, SEVERITY_COLORS, STATE_COLORS } from '../panels/colors.js';
import type { PanelSpec, VariableSpec } from '../panels/panel-spec.js';
import { PROFILE_STATES } from '../queries/metrics.js';
import {
  anomaliesByCategory,
  detectionsByRuleAndSeverity,
  learningOverdueCount,
  learningProgressOfLearning,
  topWorkloadsByScore,
  workloadsByState,
} from '../queries/overview-queries.js';
import { eventLossRatio, eventsLostRate, loaderRestarts } from '../queries/sensor-queries.js';
import { matcher } from '../queries/promql.js';
import { workloadLabelValues } from '../queries/variable-queries.js';
import { detectionsOverTimePanel } from './shared-panels.js';
import { filterByVariables } from '../queries/workload-matchers.js';

export const TOP_WORKLOADS = 5;

export function overviewVariables(): VariableSpec[] {
  return [
    { kind: 'filter', name: 'namespace', label: 'Namespace', source: workloadLabelValues('namespace') },
    { kind: 'filter', name: 'workload', label: 'Workload', source: workloadLabelValues('workload', [matcher('namespace', '=~', '$namespace')]) },
  ];
}

/** The Overview page, filtered by the `$namespace` and `$workload` variables. */
export function overviewPanels(): PanelSpec[] {
  const m = filterByVariables();
  return [
    {
      key: 'profiles-by-state',
      title: 'Profiles by state',
      description: 'How many workloads are learning their baseline, ready (scored against it) or locked (baseline frozen).',
      queries: [{ refId: 'A', expr: workloadsByState(m), legendFormat: '{{state}}', instant: true }],
      viz: { kind: 'stat', tiles: { label: 'state', values: PROFILE_STATES }, colors: STATE_COLORS },
    },
    {
      key: 'learning-overdue',
      title: 'Learning overdue',
      description: 'Profiles past their learning period that keep changing, so they never become ready.',
      queries: [{ refId: 'A', expr: learningOverdueCount(m), legendFormat: 'overdue', instant: true }],
      viz: { kind: 'stat', colors: { overdue: 'orange' } },
    },
    {
      key: 'event-loss-ratio',
      title: 'Kernel events lost',
      description: 'Share of kernel records lost over the time range, on all nodes. Lost events suppress scores.',
      queries: [{ refId: 'A', expr: eventLossRatio([], [], '$__range'), legendFormat: 'lost', instant: true }],
      viz: { kind: 'stat', unit: 'percentunit', decimals: 2 },
    },
    {
      key: 'loader-restarts',
      title: 'Loader restarts',
      description: 'BPF loader restarts over the time range, on all nodes.',
      queries: [{ refId: 'A', expr: loaderRestarts([], []), legendFormat: 'restarts', instant: true }],
      viz: { kind: 'stat', decimals: 0 },
    },
    {
      key: 'top-workloads',
      title: `Top ${TOP_WORKLOADS} workloads by deviation score`,
      description: 'Workloads with the highest peak deviation score in the time range. The red line is the alert threshold.',
      queries: [{ refId: 'A', expr: topWorkloadsByScore(m, TOP_WORKLOADS), legendFormat: '{{workload}}' }],
      viz: { kind: 'timeseries', min: 0, max: 1, alertThresholdLine: true },
    },
    {
      key: 'detections-by-rule',
      title: 'Rule detections by rule and severity',
      description: 'Behavioural rule hits in the time range.',
      queries: [{ refId: 'A', expr: detectionsByRuleAndSeverity(m), legendFormat: '{{rule}} · {{severity}}', instant: true }],
      viz: { kind: 'bar-list', min: 0, colorBy: { label: 'severity', colors: SEVERITY_COLORS } },
    },
    detectionsOverTimePanel(m),
    {
      key: 'anomalies-by-category',
      title: 'Anomalies by category',
      description: 'Observations outside a ready profile in the time range.',
      queries: [{ refId: 'A', expr: anomaliesByCategory(m), legendFormat: '{{category}}', instant: true }],
      viz: { kind: 'bar-list', min: 0, colorBy: { label: 'category', colors: CATEGORY_COLORS } },
    },
    {
      key: 'learning-progress',
      title: 'Learning progress',
      description: 'Workloads still learning, and how far through the learning period each is.',
      queries: [{ refId: 'A', expr: learningProgressOfLearning(m), legendFormat: '{{workload}}', instant: true }],
      viz: { kind: 'bar-list', unit: 'percentunit', min: 0, max: 1 },
    },
    {
      key: 'events-lost',
      title: 'Kernel events lost per second',
      description: 'Records the kernel could not deliver, by reason, on all nodes.',
      queries: [{ refId: 'A', expr: eventsLostRate(), legendFormat: '{{reason}}' }],
      viz: { kind: 'timeseries', unit: 'short', min: 0 },
    },
  ];
}
