import { DashboardBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  anomalyCount,
  categoryScores,
  currentProfileState,
  dashboardWorkloadVariables,
  DEFAULT_ALERT_THRESHOLD,
  learningOverdue,
  learningProgress,
  matcher,
  profileEntriesByCategory,
  recentNovelItems,
  recentRuleHits,
  ruleHitCounts,
  scoreSuppressed,
  secondsToMilliseconds,
  workloadLabelValues,
  workloadScore,
} from '@telltale/grafana-plugin/queries';
import { dashboardLinks, WORKLOAD_DETAIL_UID } from './overview-dashboard.js';
import { barGaugePanel, CATEGORY_COLORS, OVERALL_COLOR, placeRows, RULE_HIT_COLUMNS, SEVERITY_COLORS, STATE_COLORS, statPanel, tablePanel, timeSeriesPanel } from './panel-kit.js';
import { datasourceVariable, filterVariable, pinVariable } from './variables.js';

const YES_NO = { '0': 'no', '1': 'yes' };

export function workloadDetailDashboard(): Dashboard {
  const m = dashboardWorkloadVariables();
  const ns = matcher('namespace', '=~', '$namespace');
  const wl = matcher('workload', '=', '$workload');
  const panels = placeRows([
    {
      height: 4,
      panels: [
        [statPanel('Profile state', [{ expr: currentProfileState(m), legend: '{{state}}' }], { showName: true, colors: STATE_COLORS }), 4],
        [statPanel('Learning progress', [{ expr: learningProgress(m), legend: 'progress' }], { unit: 'percentunit', decimals: 0 }), 4],
        [
          statPanel('Deviation score', [{ expr: workloadScore(m), legend: 'score' }], {
            decimals: 2,
            steps: [[null, 'green'], [DEFAULT_ALERT_THRESHOLD, 'red']],
            description: 'Score at the end of the time range; red from the default alert threshold.',
          }),
          4,
        ],
        [statPanel('Anomalies', [{ expr: anomalyCount(m), legend: 'anomalies' }], { decimals: 0 }), 4],
        [statPanel('Learning overdue', [{ expr: learningOverdue(m), legend: 'overdue' }], { valueText: YES_NO }), 4],
        [statPanel('Score suppressed', [{ expr: scoreSuppressed(m), legend: 'suppressed' }], { valueText: YES_NO }), 4],
      ],
    },
    {
      height: 9,
      panels: [
        [
          timeSeriesPanel(
            'Deviation score by category',
            [
              { expr: workloadScore(m), legend: 'overall' },
              { expr: categoryScores(m), legend: '{{category}}' },
            ],
            { min: 0, max: 1, thresholdLine: DEFAULT_ALERT_THRESHOLD, colors: { ...CATEGORY_COLORS, overall: OVERALL_COLOR } },
          ),
          16,
        ],
        [barGaugePanel('Baseline entries by category', [{ expr: profileEntriesByCategory(m), legend: '{{category}}' }], { min: 0, colors: CATEGORY_COLORS }), 8],
      ],
    },
    {
      height: 9,
      panels: [
        [
          tablePanel(
            'Detections',
            [{ expr: secondsToMilliseconds(recentRuleHits(m)) }],
            RULE_HIT_COLUMNS,
          ),
          9,
        ],
        [
          tablePanel(
            'Recent novel items',
            [{ expr: secondsToMilliseconds(recentNovelItems(m)) }],
            [
              { field: 'Value', header: 'Last seen', unit: 'dateTimeAsIso' },
              { field: 'category', header: 'Category' },
              { field: 'item', header: 'Item' },
            ],
          ),
          9,
        ],
        [barGaugePanel('Rule detections in range', [{ expr: ruleHitCounts(m), legend: '{{rule}} · {{severity}}' }], { min: 0, colorsBySuffix: SEVERITY_COLORS }), 6],
      ],
    },
  ]);
  const builder = new DashboardBuilder('Telltale / Workload detail')
    .uid(WORKLOAD_DETAIL_UID)
    .tags(['telltale', 'security'])
    .description('One workload: scores by category, baseline size, novel items and rule detections.')
    .editable()
    .time({ from: 'now-3h', to: 'now' })
    .refresh('1m')
    .link(dashboardLinks())
    .withVariable(datasourceVariable())
    .withVariable(filterVariable('namespace', 'Namespace', workloadLabelValues('namespace')))
    .withVariable(pinVariable('workload', 'Workload', workloadLabelValues('workload', [ns])))
    .withVariable(filterVariable('workload_type', 'Type', workloadLabelValues('workload_type', [ns, wl])))
    .withVariable(filterVariable('container', 'Container', workloadLabelValues('container', [ns, wl])));
  panels.forEach((p) => builder.withPanel(p));
  return builder.build();
}
