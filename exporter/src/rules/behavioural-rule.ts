import type { Severity } from '../findings/finding.js';
import type { Category } from '../observations/category.js';
import type { DnsRecord, ExecRecord, FileRecord, NetworkRecord, SignalRecord } from '../sensor/sensor-record.js';

/** What rules look at: the kernel's records, attributed and redacted, before any profile. */
export type RuleEvent = ExecRecord | FileRecord | NetworkRecord | DnsRecord | SignalRecord;

/** Whether rules look at this record at all (syscalls, sequences and capabilities they do not). */
export function isRuleEvent<R extends { readonly kind: string }>(record: R): record is Extract<R, RuleEvent> {
  return record.kind === 'exec' || record.kind === 'file' || record.kind === 'network' || record.kind === 'dns' || record.kind === 'signal';
}

export interface RuleHit {
  /** The offending item: an exe path, a file path, a peer, a name. */
  readonly item: string;
  /** One line for a human, naming what happened and why it matters. */
  readonly summary: string;
}

/**
 * What one workload showed earlier, for rules that need two signals: a connection to
 * a port that ordinary services also use is a mining pool only once the workload has
 * resolved a pool name or started a miner. The RuleEngine keeps one per workload,
 * bounded and in memory only (a restart forgets it, which makes such a rule quieter,
 * never louder).
 */
export interface WorkloadEvidence {
  /** The detail noted under `key` for this workload, if any. */
  recall(key: string): string | undefined;
  /** Notes `detail` (a human-readable phrase) under `key`; a later note replaces an earlier one. */
  note(key: string, detail: string): void;
}

/**
 * A behavioural rule: active from the first second, including during learning, and
 * never learned into a profile. One rule per file; `evaluate` is cheap, as it runs on
 * every novel exec, open, peer, name and signal, and depends on nothing but the event
 * and the workload's evidence (which most rules ignore).
 */
export interface BehaviouralRule {
  /** Stable id, the `rule` label of telltale_rule_detections_total. */
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  /** The observation category a hit belongs to, for findings and dashboards. */
  readonly category: Category;
  evaluate(event: RuleEvent, evidence: WorkloadEvidence): RuleHit | null;
}
