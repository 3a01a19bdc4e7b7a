import { DashboardBuilder, DashboardLinkBuilder, DashboardLinkType, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  anomaliesByCategory,
  DEFAULT_ALERT_THRESHOLD,
  detectionsByRuleAndSeverity,
  detectionsOverTime,
  eventLossRatio,
  eventsLostRate,
  filterByVariables,
  learningOverdueCount,
  learningProgressOfLearning,
  loaderRestarts,
  matcher,
  ruleHitsInRange,
  secondsToMilliseconds,
  topWorkloadsByScore,
  workloadLabelValues,
  workloadsByState,
} from '@telltale/grafana-plugin/queries';
import { barGaugePanel, CATEGORY_COLORS, placeRows, RULE_HIT_COLUMNS, SEVERITY_COLORS, STATE_COLORS, statPanel, tablePanel, timeSeriesPanel } from './panel-kit.js';
import { datasourceVariable, filterVariable } from './variables.js';

export const OVERVIEW_UID = 'telltale-overview';
export const WORKLOAD_DETAIL_UID = 'telltale-workload-detail';
export const SENSOR_HEALTH_UID = 'telltale-sensor-health';

/** Links between the three dashboards, keeping time range and variables. */
export function dashboardLinks(): DashboardLinkBuilder {
  return new DashboardLinkBuilder('Telltale').type(DashboardLinkType.Dashboards).tags(['telltale']).asDropdown(true).includeVars(true).keepTime(true);
}

export function workloadDetailLink(): { title: string; url: string } {
  return {
    title: 'Open workload detail',
    url: `/d/${WORKLOAD_DETAIL_UID}?var-workload=\${__data.fields.workload}&\${__url_time_range}&\${datasource:queryparam}`,
  };
}

export function overviewDashboard(): Dashboard {
  const m = filterByVariables();
  const panels = placeRows([
    {
      height: 5,
      panels: [
        [
          statPanel('Profiles by state', [{ expr: workloadsByState(m), legend: '{{state}}' }], {
            colors: STATE_COLORS,
            description: 'Workloads learning their baseline, ready (scored against it) or locked (baseline frozen).',
          }),
          12,
        ],
        [statPanel('Learning overdue', [{ expr: learningOverdueCount(m), legend: 'overdue' }], { steps: [[null, 'green'], [1, 'orange']] }), 4],
        [statPanel('Kernel events lost', [{ expr: eventLossRatio([], [], '$__range'), legend: 'lost' }], { unit: 'percentunit', decimals: 2, steps: [[null, 'green'], [0.01, 'orange'], [0.1, 'red']] }), 4],
        [statPanel('Loader restarts', [{ expr: loaderRestarts([], []), legend: 'restarts' }], { decimals: 0, steps: [[null, 'green'], [1, 'orange']] }), 4],
      ],
    },
    {
      height: 9,
      panels: [
        [
          timeSeriesPanel('Top 5 workloads by deviation score', [{ expr: topWorkloadsByScore(m, 5), legend: '{{workload}}' }], {
            min: 0,
            max: 1,
            thresholdLine: DEFAULT_ALERT_THRESHOLD,
            description: 'Workloads with the highest peak score in the time range; the dashed line is the default alert threshold.',
          }),
          24,
        ],
      ],
    },
    {
      height: 8,
      panels: [
        [barGaugePanel('Rule detections by rule and severity', [{ expr: detectionsByRuleAndSeverity(m), legend: '{{rule}} · {{severity}}' }], { min: 0, colorsBySuffix: SEVERITY_COLORS }), 8],
        [barGaugePanel('Anomalies by category', [{ expr: anomaliesByCategory(m), legend: '{{category}}' }], { min: 0, colors: CATEGORY_COLORS }), 8],
        [barGaugePanel('Learning progress', [{ expr: learningProgressOfLearning(m), legend: '{{workload}}' }], { unit: 'percentunit', min: 0, max: 1 }), 8],
      ],
    },
    {
      height: 7,
      panels: [
        [timeSeriesPanel('Rule detections over time', [{ expr: detectionsOverTime(m), legend: '{{severity}}' }], { bars: true, stacked: true, min: 0, decimals: 0, colors: SEVERITY_COLORS }), 12],
        [timeSeriesPanel('Kernel events lost per second', [{ expr: eventsLostRate(), legend: '{{reason}}' }], { min: 0 }), 12],
      ],
    },
    {
      height: 9,
      panels: [
        [
          tablePanel(
            'Recent rule hits',
            [{ expr: secondsToMilliseconds(ruleHitsInRange(m)) }],
            [...RULE_HIT_COLUMNS, { field: 'workload', header: 'Workload', link: workloadDetailLink() }, { field: 'namespace', header: 'Namespace' }],
            'Each distinct rule hit last seen in the time range.',
          ),
          24,
        ],
      ],
    },
  ]);
  const builder = new DashboardBuilder('Telltale / Overview')
    .uid(OVERVIEW_UID)
    .tags(['telltale', 'security'])
    .description('Telltale runtime anomaly detection: scores, detections, learning progress and sensor health across workloads.')
    .editable()
    .time({ from: 'now-3h', to: 'now' })
    .refresh('1m')
    .link(dashboardLinks())
    .withVariable(datasourceVariable())
    .withVariable(filterVariable('namespace', 'Namespace', workloadLabelValues('namespace')))
    .withVariable(filterVariable('workload', 'Workload', workloadLabelValues('workload', [matcher('namespace', '=~', '$namespace')])));
  panels.forEach((p) => builder.withPanel(p));
  return builder.build();
}
