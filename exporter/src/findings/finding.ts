import type { Category } from '../observations/category.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';

/** Alertmanager-style severities, shared by behavioural rules, anomalies and alerts. */
export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The process an observation came from, as the kernel reported it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly comm: string;
  /** Executable path where known (exec observations), else empty. */
  readonly exe: string;
}

/**
 * Something worth telling a human: a behavioural rule hit, or an observation outside
 * a ready profile. Metrics count these; sinks deliver them. Every string in it has
 * already been truncated and stripped of secrets.
 */
export interface Finding {
  readonly kind: 'rule' | 'anomaly';
  readonly workload: WorkloadRef;
  readonly category: Category;
  /** Rule id for `kind: 'rule'`, e.g. `reverse-shell`; empty for anomalies. */
  readonly rule: string;
  readonly severity: Severity;
  /** One line for a human, e.g. "Reverse shell: /bin/sh with stdin on a socket". */
  readonly summary: string;
  /** The novel or offending item: an exe path, a file path, a peer, a DNS name… */
  readonly item: string;
  /** Workload deviation score when the finding was made, in [0,1]; NaN where not scored. */
  readonly score: number;
  readonly process: ProcessInfo;
  readonly observedAt: Date;
}
