import { DashboardBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  bpfMapEntries,
  capabilityMode,
  eventLossRatio,
  eventsDeliveredRate,
  eventsLostRate,
  exporterVersions,
  filterByVariables,
  generalizationOverflowByWorkload,
  instanceLabelValues,
  loaderRestarts,
  matcher,
  observationsRate,
  profileStoreErrors,
  scoreSuppressedByWorkload,
  sinkEventsRate,
  sinkQueueLength,
  unattributedRate,
  workloadLabelValues,
} from '@telltale/grafana-plugin/queries';
import { dashboardLinks, SENSOR_HEALTH_UID } from './overview-dashboard.js';
import { barGaugePanel, placeRows, statPanel, tablePanel, timeSeriesPanel } from './panel-kit.js';
import { datasourceVariable, filterVariable } from './variables.js';

export function sensorHealthDashboard(): Dashboard {
  const node = [matcher('instance', '=~', '$instance')];
  const wl = [...filterByVariables(), ...node];
  const panels = placeRows([
    {
      height: 8,
      panels: [
        [timeSeriesPanel('Records delivered per second', [{ expr: eventsDeliveredRate(node, ['instance']), legend: '{{instance}} {{kind}}' }], { min: 0 }), 12],
        [
          timeSeriesPanel('Records lost per second', [{ expr: eventsLostRate(node, ['instance']), legend: '{{instance}} {{reason}}' }], {
            min: 0,
            description: 'Lost kernel records, by reason. Scores of affected workloads are suppressed while this is non-zero.',
          }),
          12,
        ],
      ],
    },
    {
      height: 8,
      panels: [
        [timeSeriesPanel('Loss ratio', [{ expr: eventLossRatio(node, ['instance']), legend: '{{instance}}' }], { unit: 'percentunit', min: 0, thresholdLine: 0.01 }), 12],
        [barGaugePanel('Loader restarts in range', [{ expr: loaderRestarts(node), legend: '{{instance}}' }], { min: 0 }), 6],
        [barGaugePanel('Profile store errors in range', [{ expr: profileStoreErrors(node), legend: '{{operation}}' }], { min: 0 }), 6],
      ],
    },
    {
      height: 8,
      panels: [
        [timeSeriesPanel('BPF map entries', [{ expr: bpfMapEntries(node), legend: '{{instance}} {{map}}' }], { min: 0 }), 12],
        [timeSeriesPanel('Unattributed observations per second', [{ expr: unattributedRate(node, ['instance']), legend: '{{instance}} {{category}}' }], { min: 0 }), 12],
      ],
    },
    {
      height: 8,
      panels: [
        [timeSeriesPanel('Workloads with suppressed scores', [{ expr: scoreSuppressedByWorkload(wl), legend: '{{workload}}' }], { min: 0, max: 1 }), 12],
        [timeSeriesPanel('Novel observations per second', [{ expr: observationsRate(wl), legend: '{{category}}' }], { min: 0 }), 12],
      ],
    },
    {
      height: 7,
      panels: [
        [barGaugePanel('Profile generalisation overflow in range', [{ expr: generalizationOverflowByWorkload(wl), legend: '{{workload}} {{category}}' }], { min: 0 }), 8],
        [timeSeriesPanel('Sink findings per second', [{ expr: sinkEventsRate(node), legend: '{{sink}} {{outcome}}' }], { min: 0 }), 8],
        [timeSeriesPanel('Sink queue length', [{ expr: sinkQueueLength(node), legend: '{{sink}}' }], { min: 0 }), 8],
      ],
    },
    {
      height: 6,
      panels: [
        [tablePanel('Capability mode', [{ expr: capabilityMode(node) }], [{ field: 'instance', header: 'Node' }, { field: 'mode', header: 'Mode' }]), 12],
        [statPanel('Exporter versions', [{ expr: exporterVersions(node), legend: '{{version}}' }], { decimals: 0 }), 12],
      ],
    },
  ]);
  const builder = new DashboardBuilder('Telltale / Sensor health')
    .uid(SENSOR_HEALTH_UID)
    .tags(['telltale', 'security'])
    .description('The node agents: records delivered and lost, loader restarts, BPF maps, attribution, profile store and sinks.')
    .editable()
    .time({ from: 'now-3h', to: 'now' })
    .refresh('1m')
    .link(dashboardLinks())
    .withVariable(datasourceVariable())
    .withVariable(filterVariable('instance', 'Node', instanceLabelValues()))
    .withVariable(filterVariable('namespace', 'Namespace', workloadLabelValues('namespace')))
    .withVariable(filterVariable('workload', 'Workload', workloadLabelValues('workload', [matcher('namespace', '=~', '$namespace')])));
  panels.forEach((p) => builder.withPanel(p));
  return builder.build();
}
