import { runbookUrl, WORKLOAD_REF, WORKLOAD_SHORT } from '../annotations.js';
import { BEHAVIOURAL_RULES, OTHER_RULE_ALERT } from '../behavioural-rules.js';
import type { AlertRulesConfig } from '../config.js';
import { durationSeconds } from '../duration.js';
import { by, eq, nre, vectorSelector, WORKLOAD_LABELS, type LabelMatcher } from '../promql.js';
import type { AlertingRule } from '../rule-types.js';

/**
 * One alert per hit: the last-detection gauge carries the offending item, and the alert keeps the
 * exporter's `rule` and `severity` labels so Alertmanager routes by the rule's own severity.
 */
export function behaviouralRuleAlerts(config: AlertRulesConfig): AlertingRule[] {
  const known = BEHAVIOURAL_RULES.map((rule) => rule.id);
  const escapedKnown = known.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return [
    ...BEHAVIOURAL_RULES.map((rule) => ({
      alert: rule.alert,
      expr: lastHitExpr(config, eq('rule', rule.id)),
      annotations: {
        summary: `${rule.title} in ${WORKLOAD_SHORT}`,
        description:
          `Behavioural rule ${rule.id} ({{ $labels.severity }}) matched in ${WORKLOAD_REF}: ${rule.meaning}. ` +
          'Offending item: {{ $labels.item }}. Last hit {{ $value | humanizeDuration }} ago.',
        runbook_url: runbookUrl(config, rule.alert),
      },
    })),
    {
      alert: OTHER_RULE_ALERT,
      expr: lastHitExpr(config, nre('rule', escapedKnown)),
      annotations: {
        summary: `Behavioural rule {{ $labels.rule }} matched in ${WORKLOAD_SHORT}`,
        description:
          `Behavioural rule {{ $labels.rule }} ({{ $labels.severity }}) matched in ${WORKLOAD_REF}. ` +
          'Offending item: {{ $labels.item }}. Last hit {{ $value | humanizeDuration }} ago.',
        runbook_url: runbookUrl(config, OTHER_RULE_ALERT),
      },
    },
  ];
}

function lastHitExpr(config: AlertRulesConfig, ruleMatcher: LabelMatcher): string {
  const lastHit = vectorSelector('telltale_rule_last_detection_timestamp_seconds', [...config.exporterSelector, ruleMatcher]);
  return [
    `time() - max ${by([...WORKLOAD_LABELS, 'rule', 'severity', 'item'])} (`,
    `  ${lastHit}`,
    `) < ${durationSeconds(config.behaviouralRules.window)}`,
  ].join('\n');
}
