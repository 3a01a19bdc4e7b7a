import type { Finding } from '../findings/finding.js';
import type { ProfileMetrics } from '../metrics/profile-metrics.js';
import { labelItem } from '../metrics/recent-items.js';
import { workloadKey, workloadLabels, type WorkloadRef } from '../workloads/workload-ref.js';
import type { RuleEvent } from './behavioural-rule.js';
import { BEHAVIOURAL_RULES, evaluateRules, type RuleMatch } from './rule-catalog.js';
import { EvidenceStore } from './rule-evidence.js';
import type { Logger } from 'pino';

/**
 * Runs every behavioural rule on every novel exec, open, peer, name and signal,
 * from the first second, learning or not. Hits are counted, listed with their item,
 * logged and turned into findings for the direct sinks.
 */
export class RuleEngine {
  /**
   * What each workload showed earlier, for the rules that need two signals. Kept per
   * cgroup within the workload: a miner's lookup and its connection come from one
   * process, and records without a workload share one pseudo-workload, where one
   * cgroup's lookup must not count against another's connection.
   */
  private readonly evidence = new EvidenceStore();

  constructor(
    private readonly metrics: ProfileMetrics,
    private readonly publish: (finding: Finding) => void,
    private readonly log: Logger,
    private readonly currentScore: (workload: WorkloadRef) => number,
    private readonly now: () => number = Date.now,
  ) {
    for (const rule of BEHAVIOURAL_RULES) this.log.debug({ rule: rule.id, severity: rule.severity }, 'behavioural rule active');
  }

  /** Returns the hits, so callers can keep the offending event out of the profile. */
  evaluate(workload: WorkloadRef, event: RuleEvent): RuleMatch[] {
    const matches = evaluateRules(event, this.evidence.for(`${workloadKey(workload)}#${event.process.cgroupId}`));
    if (matches.length === 0) return matches;
    const labels = workloadLabels(workload);
    const now = this.now();
    for (const match of matches) {
      const item = labelItem(match.item);
      this.metrics.ruleDetections.inc({ ...labels, rule: match.rule.id, severity: match.rule.severity });
      this.metrics.recentRuleHits.seen(workloadKey(workload), match.rule.id, { ...labels, rule: match.rule.id, severity: match.rule.severity, item }, now);
      this.log.warn({ rule: match.rule.id, severity: match.rule.severity, workload: workload.workload, item, pid: event.process.pid }, match.summary);
      this.publish({
        kind: 'rule',
        workload,
        category: match.rule.category,
        rule: match.rule.id,
        severity: match.rule.severity,
        summary: match.summary,
        item,
        score: this.currentScore(workload),
        process: {
          pid: event.process.pid,
          ppid: event.process.ppid,
          uid: event.process.uid,
          comm: event.process.comm,
          exe: event.kind === 'exec' ? event.exe : '',
        },
        observedAt: new Date(now),
      });
    }
    return matches;
  }
}
