import type { AlertRulesConfig } from '../config.js';
import { by, vectorSelector, WORKLOAD_LABELS } from '../promql.js';
import type { RecordingRule } from '../rule-types.js';

/**
 * Aggregates for dashboards and the Grafana app. Naming: level:metric:operation, where the
 * level `workload` stands for namespace, workload, workload_type and container. Exporters on
 * several nodes can report the same workload, so per-workload values take the max over them.
 */
export function recordingRules(config: AlertRulesConfig): RecordingRule[] {
  const select = (metric: string): string => vectorSelector(metric, config.exporterSelector);
  const window = config.recording.rateWindow;
  const rate = `rate${window}`;
  const profileStates = `max ${by([...WORKLOAD_LABELS, 'state'])} (${select('telltale_profile_state')}) == 1`;
  return [
    { record: 'workload:telltale_deviation_score:max', expr: `max ${by(WORKLOAD_LABELS)} (${select('telltale_deviation_score')})` },
    { record: 'namespace:telltale_deviation_score:max', expr: `max ${by(['namespace'])} (${select('telltale_deviation_score')})` },
    {
      record: 'workload_category:telltale_category_deviation_score:max',
      expr: `max ${by([...WORKLOAD_LABELS, 'category'])} (${select('telltale_category_deviation_score')})`,
    },
    {
      record: `namespace_rule_severity:telltale_rule_detections:${rate}`,
      expr: `sum ${by(['namespace', 'rule', 'severity'])} (rate(${select('telltale_rule_detections_total')}[${window}]))`,
    },
    {
      record: `rule_severity:telltale_rule_detections:${rate}`,
      expr: `sum ${by(['rule', 'severity'])} (rate(${select('telltale_rule_detections_total')}[${window}]))`,
    },
    {
      record: `namespace_category:telltale_anomalies:${rate}`,
      expr: `sum ${by(['namespace', 'category'])} (rate(${select('telltale_anomalies_total')}[${window}]))`,
    },
    { record: 'state:telltale_profiles:count', expr: `count ${by(['state'])} (${profileStates})` },
    { record: 'namespace_state:telltale_profiles:count', expr: `count ${by(['namespace', 'state'])} (${profileStates})` },
    {
      record: 'namespace:telltale_profiles_learning_overdue:count',
      expr: `count ${by(['namespace'])} (max ${by(WORKLOAD_LABELS)} (${select('telltale_profile_learning_overdue')}) == 1)`,
    },
  ];
}
