import type { Finding, Severity } from '../findings/finding.js';

const RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2 };

/** Higher is more severe; used to filter sinks and to choose what a full queue drops first. */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

export function meetsMinimumSeverity(finding: Finding, minimum: Severity): boolean {
  return RANK[finding.severity] >= RANK[minimum];
}
