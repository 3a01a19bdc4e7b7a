import type { Finding } from '../findings/finding.js';

/** Bumped on any change a receiver could notice other than an added field. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/**
 * The JSON body of every webhook request: a batch of findings from one node.
 *
 * ```json
 * {
 *   "version": 1,
 *   "source": "telltale",
 *   "node": "worker-3",
 *   "sentAt": "2026-11-28T10:00:00.250Z",
 *   "findings": [{
 *     "kind": "rule", "rule": "reverse-shell", "category": "exec", "severity": "critical",
 *     "summary": "Reverse shell: /bin/sh with stdin on a socket", "item": "/bin/sh",
 *     "score": 0.97, "observedAt": "2026-11-28T10:00:00.012Z",
 *     "namespace": "shop", "workload": "checkout", "workloadType": "deployment", "container": "api",
 *     "process": { "pid": 4242, "ppid": 4000, "uid": 0, "comm": "sh", "exe": "/bin/sh" }
 *   }]
 * }
 * ```
 * `rule` is null for anomalies, `score` is null where the workload is not scored, and workload
 * fields that do not apply are empty strings, as in the metrics.
 */
export interface WebhookPayload {
  readonly version: typeof WEBHOOK_PAYLOAD_VERSION;
  readonly source: 'telltale';
  readonly node: string;
  readonly sentAt: string;
  readonly findings: readonly WebhookFinding[];
}

export interface WebhookFinding {
  readonly kind: Finding['kind'];
  readonly rule: string | null;
  readonly category: Finding['category'];
  readonly severity: Finding['severity'];
  readonly summary: string;
  readonly item: string;
  readonly score: number | null;
  readonly observedAt: string;
  readonly namespace: string;
  readonly workload: string;
  readonly workloadType: string;
  readonly container: string;
  readonly process: Finding['process'];
}

export function webhookFinding(finding: Finding): WebhookFinding {
  const { process } = finding;
  return {
    kind: finding.kind,
    rule: finding.kind === 'rule' ? finding.rule : null,
    category: finding.category,
    severity: finding.severity,
    summary: finding.summary,
    item: finding.item,
    score: Number.isFinite(finding.score) ? finding.score : null,
    observedAt: finding.observedAt.toISOString(),
    namespace: finding.workload.namespace,
    workload: finding.workload.workload,
    workloadType: finding.workload.workloadType,
    container: finding.workload.container,
    process: { pid: process.pid, ppid: process.ppid, uid: process.uid, comm: process.comm, exe: process.exe },
  };
}

export function webhookPayload(findings: readonly Finding[], node: string, sentAt: Date): WebhookPayload {
  return {
    version: WEBHOOK_PAYLOAD_VERSION,
    source: 'telltale',
    node,
    sentAt: sentAt.toISOString(),
    findings: findings.map(webhookFinding),
  };
}
