import type { Severity } from '../findings/finding.js';
import type { Category } from '../observations/category.js';
import type { DnsRecord, ExecRecord, FileRecord, NetworkRecord, SignalRecord } from '../sensor/sensor-record.js';

/** What rules look at: the kernel's records, attributed and redacted, before any profile. */
export type RuleEvent = ExecRecord | FileRecord | NetworkRecord | DnsRecord | SignalRecord;

export interface RuleHit {
  /** The offending item: an exe path, a file path, a peer, a name. */
  readonly item: string;
  /** One line for a human, naming what happened and why it matters. */
  readonly summary: string;
}

/**
 * A behavioural rule: active from the first second, including during learning, and
 * never learned into a profile. One rule per file; `evaluate` is pure and cheap, as
 * it runs on every novel exec, open, peer, name and signal.
 */
export interface BehaviouralRule {
  /** Stable id, the `rule` label of telltale_rule_detections_total. */
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  /** The observation category a hit belongs to, for findings and dashboards. */
  readonly category: Category;
  evaluate(event: RuleEvent): RuleHit | null;
}
