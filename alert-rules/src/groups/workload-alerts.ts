import { escapePrintf, printfFormatLiteral, runbookUrl, WORKLOAD_REF, WORKLOAD_SHORT } from '../annotations.js';
import type { AlertRulesConfig } from '../config.js';
import { durationSeconds } from '../duration.js';
import { anyOf, by, eq, re, vectorSelector, WORKLOAD_LABELS, type LabelMatcher } from '../promql.js';
import type { AlertingRule } from '../rule-types.js';

export const DEVIATION_ALERT = 'TelltaleWorkloadDeviationHigh';

/** A per-item alert: one alert per novel item of one category (from the anomaly last-seen gauge). */
interface NovelItemAlert {
  readonly alert: string;
  readonly category: string;
  readonly summary: string;
  /** Completes "<workload> …"; `{{ $labels.item }}` is the novel item. */
  readonly action: string;
  readonly sensitiveOnly?: boolean;
}

export const NOVEL_ITEM_ALERTS: readonly NovelItemAlert[] = [
  {
    alert: 'TelltaleUnexpectedProcess',
    category: 'exec',
    summary: 'Unexpected process {{ $labels.item }} in ' + WORKLOAD_SHORT,
    action: 'executed {{ $labels.item }}, which is not in its learned profile',
  },
  {
    alert: 'TelltaleUnexpectedSensitiveFileAccess',
    category: 'file',
    summary: 'Unexpected access to sensitive file {{ $labels.item }} in ' + WORKLOAD_SHORT,
    action: 'opened the sensitive file {{ $labels.item }}, which is not in its learned profile',
    sensitiveOnly: true,
  },
  {
    alert: 'TelltaleUnexpectedNetworkPeer',
    category: 'network',
    summary: 'Unexpected network peer {{ $labels.item }} for ' + WORKLOAD_SHORT,
    action: 'talked to the network peer {{ $labels.item }}, which is not in its learned profile',
  },
  {
    alert: 'TelltaleUnexpectedDnsName',
    category: 'dns',
    summary: 'Unexpected DNS name {{ $labels.item }} resolved by ' + WORKLOAD_SHORT,
    action: 'resolved the DNS name {{ $labels.item }}, which is not in its learned profile',
  },
];

export function workloadAlerts(config: AlertRulesConfig): AlertingRule[] {
  return [deviationAlert(config), ...NOVEL_ITEM_ALERTS.map((spec) => novelItemAlert(config, spec))];
}

function deviationAlert(config: AlertRulesConfig): AlertingRule {
  const { threshold } = config.deviation;
  const score = vectorSelector('telltale_deviation_score', config.exporterSelector);
  const suppressed = vectorSelector('telltale_score_suppressed', config.exporterSelector);
  // `unless` matches score and suppression series label for label, so one node's lost events
  // silence only that node's score for the workload.
  const expr = [
    `max ${by(WORKLOAD_LABELS)} (`,
    `  ${score}`,
    `  unless`,
    `  ${suppressed} == 1`,
    `) > ${threshold}`,
  ].join('\n');
  return {
    alert: DEVIATION_ALERT,
    expr,
    for: config.deviation.for,
    keep_firing_for: config.deviation.keepFiringFor,
    labels: { severity: config.deviation.severity },
    annotations: {
      summary: `${WORKLOAD_SHORT} deviates from its learned behaviour`,
      description:
        `${WORKLOAD_REF} deviates from its learned behaviour profile: deviation score {{ $value | printf "%.2f" }} is above ${threshold}.` +
        recentNovelItems(config),
      runbook_url: runbookUrl(config, DEVIATION_ALERT),
    },
  };
}

/**
 * Template text listing the workload's recent novel items, so the notification says what
 * changed. New executables come first, then peers, names and capabilities, then files;
 * syscalls and sequences are left out (many, and meaningless to most readers). The
 * offsets only order the list: the template prints labels, not values.
 */
function recentNovelItems(config: AlertRulesConfig): string {
  const workloadMatchers = WORKLOAD_LABELS.map((label) => `${label}=%q`).join(', ');
  const selectorText = escapePrintf(vectorSelector('telltale_anomaly_last_seen_timestamp_seconds', config.exporterSelector).slice(0, -1));
  const windowSeconds = durationSeconds(config.novelItems.window);
  const recent = (categories: string) => `(max by (category, item) (${selectorText}, ${workloadMatchers}, category=~"${categories}"}) > time() - ${windowSeconds})`;
  const query = `topk(5, (${recent('exec')} + 2e10) or (${recent('network|dns|capability')} + 1e10) or ${recent('file')})`;
  const args = [...WORKLOAD_LABELS, ...WORKLOAD_LABELS, ...WORKLOAD_LABELS].map((label) => `$labels.${label}`).join(' ');
  return (
    `{{ with printf ${printfFormatLiteral(query)} ${args} | query }} Recent novel items: ` +
    '{{ range $i, $item := . }}{{ if $i }}, {{ end }}{{ $item.Labels.category }} {{ $item.Labels.item }}{{ end }}.{{ end }}'
  );
}

function novelItemAlert(config: AlertRulesConfig, spec: NovelItemAlert): AlertingRule {
  const matchers: LabelMatcher[] = [...config.exporterSelector, eq('category', spec.category)];
  if (spec.sensitiveOnly === true) matchers.push(re('item', anyOf(config.novelItems.sensitiveFiles)));
  const lastSeen = vectorSelector('telltale_anomaly_last_seen_timestamp_seconds', matchers);
  const expr = [
    `time() - max ${by([...WORKLOAD_LABELS, 'category', 'item'])} (`,
    `  ${lastSeen}`,
    `) < ${durationSeconds(config.novelItems.window)}`,
  ].join('\n');
  return {
    alert: spec.alert,
    expr,
    labels: { severity: config.novelItems.severity },
    annotations: {
      summary: spec.summary,
      description: `${WORKLOAD_REF} ${spec.action}. Last seen {{ $value | humanizeDuration }} ago.`,
      runbook_url: runbookUrl(config, spec.alert),
    },
  };
}
