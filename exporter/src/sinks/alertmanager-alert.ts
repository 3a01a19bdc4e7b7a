import type { Finding } from '../findings/finding.js';
import type { Category } from '../observations/category.js';
import { BEHAVIOURAL_RULES } from '../rules/rule-catalog.js';

/** The body element of `POST /api/v2/alerts` (Alertmanager's postableAlert). */
export interface PostableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL?: string;
}

export const ALERTNAME = { rule: 'TelltaleRuleDetection', anomaly: 'TelltaleAnomaly' } as const;

/**
 * Placeholders: `{runbook}` (see runbookName), `{rule}`, `{category}`, `{alertname}`; values
 * are URL-encoded. The default is where alert-rules/ publishes its runbooks (its
 * `runbookBaseUrl`), so a direct alert opens the same runbook as the Prometheus alert.
 */
export const DEFAULT_RUNBOOK_URL_TEMPLATE =
  'https://github.com/telltale/telltale/blob/main/alert-rules/runbooks/{runbook}.md';

/** The alert-rules/ alert whose runbook covers each anomaly category. */
const ANOMALY_RUNBOOK: Readonly<Record<Category, string>> = {
  exec: 'TelltaleUnexpectedProcess',
  file: 'TelltaleUnexpectedSensitiveFileAccess',
  network: 'TelltaleUnexpectedNetworkPeer',
  dns: 'TelltaleUnexpectedDnsName',
  syscall: 'TelltaleWorkloadDeviationHigh',
  syscall_sequence: 'TelltaleWorkloadDeviationHigh',
  capability: 'TelltaleWorkloadDeviationHigh',
};

/**
 * alert-rules/ raises this alert, with its own runbook, for hits of rules it has no alert of
 * their own for; a finding of a rule outside the catalog gets the same runbook.
 */
export const OTHER_RULE_RUNBOOK = 'TelltaleBehaviouralRuleDetection';

/** Only catalog rules have a runbook named after them (alertmanager-alert.test.ts checks alert-rules/ ships each). */
const CATALOG_RULE_IDS: ReadonlySet<string> = new Set(BEHAVIOURAL_RULES.map((rule) => rule.id));

/**
 * The runbook (an alert-rules/ alert name) for a finding: each behavioural rule has an alert
 * named after it (`reverse-shell` -> `TelltaleReverseShell`), anomalies the alert of their category.
 * The daemon's own findings name catalog rules, but publish() takes any Finding; an id
 * outside the catalog would link to a runbook that does not exist, so it gets the one
 * alert-rules/ uses for rules it has no alert of their own for.
 */
export function runbookName(finding: Finding): string {
  if (finding.kind === 'anomaly') return ANOMALY_RUNBOOK[finding.category];
  if (!CATALOG_RULE_IDS.has(finding.rule)) return OTHER_RULE_RUNBOOK;
  const words = finding.rule.split(/[^a-zA-Z0-9]+/).filter(Boolean);
  return `Telltale${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;
}

/** Long enough that a finding re-sent once per default dedup window (5 min) stays firing. */
export const DEFAULT_RESOLVE_AFTER_MS = 15 * 60_000;

export interface AlertOptions {
  /**
   * A finding is a point in time, not a condition that later clears, so nobody will ever
   * send "resolved". Each alert therefore carries its own end: `endsAt` is the time it is
   * sent plus `resolveAfterMs`. A finding that keeps happening is re-sent once per dedup
   * window, which pushes `endsAt` on; once it stops, the alert resolves by itself. This
   * must exceed the dedup window, or a steady finding would flap between firing and resolved.
   * Counting from the send time rather than the observation keeps a finding that waited in a
   * queue through a receiver outage from arriving already resolved (it would never notify).
   */
  readonly resolveAfterMs: number;
  readonly runbookUrlTemplate: string;
  /** Added to every alert (e.g. `cluster`); the finding's own labels win a clash. */
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly generatorUrl?: string | undefined;
}

function runbookUrl(template: string, finding: Finding, alertname: string): string {
  const values: Record<string, string> = {
    runbook: runbookName(finding),
    rule: finding.rule,
    category: finding.category,
    alertname,
  };
  return template.replace(/\{(runbook|rule|category|alertname)\}/g, (_, key: string) => encodeURIComponent(values[key] ?? ''));
}

function description(finding: Finding): string {
  const { workload: w, process: p } = finding;
  const where = [
    w.namespace && `namespace ${w.namespace}`,
    `${w.workloadType || 'workload'} ${w.workload}`,
    w.container && `container ${w.container}`,
  ].filter(Boolean);
  const what =
    finding.kind === 'rule'
      ? `Behavioural rule ${finding.rule} matched ${finding.category} item "${finding.item}"`
      : `Novel ${finding.category} item "${finding.item}" outside the learned profile`;
  const score = Number.isFinite(finding.score) ? ` Deviation score ${finding.score.toFixed(2)}.` : '';
  const exe = p.exe ? `, exe ${p.exe}` : '';
  return (
    `${what} in ${where.join(', ')}. ` +
    `Process ${p.comm || '?'} (pid ${p.pid}, ppid ${p.ppid}, uid ${p.uid}${exe}) at ${finding.observedAt.toISOString()}.${score}`
  );
}

/**
 * One finding as one Alertmanager alert. Labels identify it (Alertmanager groups and dedups
 * on them): `alertname`, `severity`, the workload labels, `rule` (rule hits), `category` and
 * `item`. Workload labels that do not apply are left out rather than sent empty, which is the
 * same thing to Alertmanager's matchers.
 */
export function alertmanagerAlert(finding: Finding, sentAt: Date, options: AlertOptions): PostableAlert {
  const alertname = ALERTNAME[finding.kind];
  const own: Record<string, string> = {
    alertname,
    severity: finding.severity,
    namespace: finding.workload.namespace,
    workload: finding.workload.workload,
    workload_type: finding.workload.workloadType,
    container: finding.workload.container,
    rule: finding.kind === 'rule' ? finding.rule : '',
    category: finding.category,
    item: finding.item,
  };
  const labels = Object.fromEntries(
    Object.entries({ ...options.externalLabels, ...own }).filter(([, value]) => value !== ''),
  );
  const endsFrom = Math.max(sentAt.getTime(), finding.observedAt.getTime());
  return {
    labels,
    annotations: {
      summary: finding.summary,
      description: description(finding),
      runbook_url: runbookUrl(options.runbookUrlTemplate, finding, alertname),
    },
    startsAt: finding.observedAt.toISOString(),
    endsAt: new Date(endsFrom + options.resolveAfterMs).toISOString(),
    ...(options.generatorUrl ? { generatorURL: options.generatorUrl } : {}),
  };
}
