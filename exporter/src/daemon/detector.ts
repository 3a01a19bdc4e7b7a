import type { ProfileEngine } from '../profiles/profile-engine.js';
import { isRuleEvent } from '../rules/behavioural-rule.js';
import type { RuleMatch } from '../rules/rule-catalog.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import type { ObservationRecord, SignalRecord } from '../sensor/sensor-record.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';
import type { ObservationConsumer } from './sensor-pipeline.js';
import { TaintedProcesses } from './tainted-processes.js';

/**
 * Where rule hits of records with no known workload are reported: one bounded label
 * value, so a cgroup that vanished before it was resolved still raises its alerts.
 */
export const UNATTRIBUTED_WORKLOAD: WorkloadRef = { namespace: '', workload: 'unattributed', workloadType: 'unattributed', container: '' };

/**
 * After attribution: behavioural rules see every record first; what they flag is never
 * learned into a profile (an attack during learning must not become normal), and after
 * a critical hit (a reverse shell, fileless code, a miner, a module load) neither is what
 * that process and its descendants do for a while. Warnings do not taint: programs that
 * legitimately run from /tmp (self-extracting bundles, JNI loaders) must still be learned.
 * Everything goes to the profile engine, which scores it once the profile is ready.
 */
export class Detector implements ObservationConsumer {
  constructor(
    private readonly rules: RuleEngine,
    private readonly profiles: ProfileEngine,
    private readonly tainted = new TaintedProcesses(),
  ) {}

  observe(workload: WorkloadRef, record: ObservationRecord): void {
    const matches = isRuleEvent(record) ? this.rules.evaluate(workload, record) : [];
    if (isCritical(matches)) this.tainted.taint(record.process);
    const learnable = matches.length === 0 && !this.tainted.covers(record.process);
    this.profiles.observe(workload, record, learnable);
  }

  signal(workload: WorkloadRef, record: SignalRecord): void {
    if (isCritical(this.rules.evaluate(workload, record))) this.tainted.taint(record.process);
  }

  unattributed(record: ObservationRecord | SignalRecord): void {
    if (isRuleEvent(record)) this.rules.evaluate(UNATTRIBUTED_WORKLOAD, record);
  }

  lossReported(workload: WorkloadRef, lost: number, at: number): void {
    this.profiles.lossReported(workload, lost, at);
  }
}

function isCritical(matches: readonly RuleMatch[]): boolean {
  return matches.some((match) => match.rule.severity === 'critical');
}
