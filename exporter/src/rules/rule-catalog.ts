import type { BehaviouralRule, RuleEvent, WorkloadEvidence } from './behavioural-rule.js';
import { cryptoMiner } from './crypto-miner.js';
import { execFromTemp } from './exec-from-temp.js';
import { execNotInImage } from './exec-not-in-image.js';
import { filelessExec } from './fileless-exec.js';
import { kernelModuleLoad } from './kernel-module-load.js';
import { ldPreload } from './ld-preload.js';
import { namespaceChange } from './namespace-change.js';
import { ptraceAttach } from './ptrace-attach.js';
import { reverseShell } from './reverse-shell.js';
import { WorkloadMemory } from './rule-evidence.js';
import { sensitiveFileRead } from './sensitive-file-read.js';
import { serviceAccountTokenRead } from './service-account-token-read.js';

/** Every behavioural rule, in the order of the README table. */
export const BEHAVIOURAL_RULES: readonly BehaviouralRule[] = [
  reverseShell,
  filelessExec,
  execFromTemp,
  execNotInImage,
  kernelModuleLoad,
  ptraceAttach,
  namespaceChange,
  serviceAccountTokenRead,
  sensitiveFileRead,
  cryptoMiner,
  ldPreload,
];

export interface RuleMatch {
  readonly rule: BehaviouralRule;
  readonly item: string;
  readonly summary: string;
}

/**
 * Runs `rules` on one event. `evidence` is the workload's memory; the default, a
 * fresh one, suits a caller that looks at a single event (two-signal rules then only
 * fire on their one-signal cases).
 */
export function evaluateRules(
  event: RuleEvent,
  evidence: WorkloadEvidence = new WorkloadMemory(),
  rules: readonly BehaviouralRule[] = BEHAVIOURAL_RULES,
): RuleMatch[] {
  const matches: RuleMatch[] = [];
  for (const rule of rules) {
    const hit = rule.evaluate(event, evidence);
    if (hit) matches.push({ rule, ...hit });
  }
  return matches;
}
