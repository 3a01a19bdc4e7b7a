import { runbookUrl, WORKLOAD_REF, WORKLOAD_SHORT } from '../annotations.js';
import type { AlertRulesConfig } from '../config.js';
import { absentLabels, by, formatMatcher, vectorSelector, WORKLOAD_LABELS } from '../promql.js';
import type { AlertingRule } from '../rule-types.js';

export const EXPORTER_DOWN_ALERT = 'TelltaleExporterDown';
export const EXPORTER_ABSENT_ALERT = 'TelltaleExporterAbsent';
export const KERNEL_EVENT_LOSS_ALERT = 'TelltaleKernelEventLoss';
export const LOADER_RESTARTING_ALERT = 'TelltaleLoaderRestarting';
export const LEARNING_OVERDUE_ALERT = 'TelltaleProfileLearningOverdue';
export const STORE_ERRORS_ALERT = 'TelltaleProfileStoreErrors';

/** Alerts about Telltale itself: is it running, and is what it sees complete. */
export function healthAlerts(config: AlertRulesConfig): AlertingRule[] {
  const select = (metric: string): string => vectorSelector(metric, config.exporterSelector);
  const perExporter = by(['job', 'instance']);
  const selectorText = config.exporterSelector.map(formatMatcher).join(', ');
  const absentJob = absentLabels(config.exporterSelector).job;
  const { rateWindow } = config.kernelEventLoss;
  const restarts = config.loaderRestarts;
  const storeWindow = config.profileStoreErrors.window;
  const storeErrors = select('telltale_profile_store_errors_total');

  return [
    {
      alert: EXPORTER_DOWN_ALERT,
      expr: `${select('up')} == 0`,
      for: config.exporter.downFor,
      labels: { severity: config.exporter.severity },
      annotations: {
        summary: 'Telltale exporter {{ $labels.instance }} is down',
        description:
          `Prometheus has failed to scrape the Telltale exporter at {{ $labels.instance }} (job {{ $labels.job }}) for ${config.exporter.downFor}. ` +
          'Workloads on that node are not watched and raise no Telltale alerts.',
        runbook_url: runbookUrl(config, EXPORTER_DOWN_ALERT),
      },
    },
    {
      alert: EXPORTER_ABSENT_ALERT,
      expr: `absent(${select('up')})`,
      for: config.exporter.absentFor,
      labels: { severity: config.exporter.severity },
      annotations: {
        summary: `No Telltale exporter is scraped${absentJob === undefined ? '' : ` (job ${absentJob})`}`,
        description:
          `Prometheus has had no scrape target matching {${selectorText}} for ${config.exporter.absentFor}. ` +
          'No workload is watched and no other Telltale alert can fire.',
        runbook_url: runbookUrl(config, EXPORTER_ABSENT_ALERT),
      },
    },
    {
      alert: KERNEL_EVENT_LOSS_ALERT,
      // rate() needs the loss to go on: a single burst drops out of the window before `for` ends.
      expr: `sum ${by(['job', 'instance', 'reason'])} (rate(${select('telltale_bpf_events_lost_total')}[${rateWindow}])) > 0`,
      for: config.kernelEventLoss.for,
      labels: { severity: config.kernelEventLoss.severity },
      annotations: {
        summary: 'Telltale is losing kernel events ({{ $labels.reason }}) on {{ $labels.instance }}',
        description:
          `The Telltale loader on {{ $labels.instance }} has been losing records (reason {{ $labels.reason }}) for ${config.kernelEventLoss.for}, ` +
          '{{ $value | printf "%.3g" }} per second. Scores of the affected workloads are suppressed and new behaviour can go unseen.',
        runbook_url: runbookUrl(config, KERNEL_EVENT_LOSS_ALERT),
      },
    },
    {
      alert: LOADER_RESTARTING_ALERT,
      // increase() only extrapolates upwards, so N restarts always reach N.
      expr: `sum ${perExporter} (increase(${select('telltale_loader_restarts_total')}[${restarts.window}])) >= ${restarts.threshold}`,
      labels: { severity: restarts.severity },
      annotations: {
        summary: 'Telltale loader keeps restarting on {{ $labels.instance }}',
        description:
          `The BPF loader on {{ $labels.instance }} restarted {{ $value | printf "%.0f" }} times in the last ${restarts.window}. ` +
          'Kernel events are missed while it restarts.',
        runbook_url: runbookUrl(config, LOADER_RESTARTING_ALERT),
      },
    },
    {
      alert: LEARNING_OVERDUE_ALERT,
      expr: `max ${by(WORKLOAD_LABELS)} (${select('telltale_profile_learning_overdue')}) == 1`,
      for: config.learningOverdue.for,
      labels: { severity: config.learningOverdue.severity },
      annotations: {
        summary: `Profile of ${WORKLOAD_SHORT} is stuck in learning`,
        description:
          `The behaviour profile of ${WORKLOAD_REF} is past its learning period but still learning because the workload keeps changing. ` +
          'Until it is ready, only behavioural rules alert for this workload.',
        runbook_url: runbookUrl(config, LEARNING_OVERDUE_ALERT),
      },
    },
    {
      alert: STORE_ERRORS_ALERT,
      // A counter series is born at its first error, where increase() sees nothing: catch new series too.
      expr: [
        `sum ${by(['job', 'instance', 'operation'])} (increase(${storeErrors}[${storeWindow}])) > 0`,
        'or',
        `sum ${by(['job', 'instance', 'operation'])} (${storeErrors} unless ${storeErrors} offset ${storeWindow}) > 0`,
      ].join('\n'),
      labels: { severity: config.profileStoreErrors.severity },
      annotations: {
        summary: 'Telltale profile {{ $labels.operation }} errors on {{ $labels.instance }}',
        description:
          `About {{ $value | printf "%.0f" }} profile {{ $labels.operation }} operations failed on {{ $labels.instance }} in the last ${storeWindow}. ` +
          'Corrupt profile files are quarantined; their workloads may have to learn again.',
        runbook_url: runbookUrl(config, STORE_ERRORS_ALERT),
      },
    },
  ];
}
