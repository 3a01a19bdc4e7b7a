import type { ProfileEngine } from '../profiles/profile-engine.js';
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
 * After attribution: behavioural rules see every record first; what they flag, and
 * what the flagged process and its descendants do for a while after, is never learned
 * into a profile (an attack during learning must not become normal); everything goes
 * to the profile engine, which scores it once the profile is ready.
 */
export class Detector implements ObservationConsumer {
  constructor(
    private readonly rules: RuleEngine,
    private readonly profiles: ProfileEngine,
    private readonly tainted = new TaintedProcesses(),
  ) {}

  observe(workload: WorkloadRef, record: ObservationRecord): void {
    const flagged =
      record.kind === 'exec' || record.kind === 'file' || record.kind === 'network' || record.kind === 'dns'
        ? this.rules.evaluate(workload, record).length > 0
        : false;
    if (flagged) this.tainted.taint(record.process);
    const learnable = !flagged && !this.tainted.covers(record.process);
    this.profiles.observe(workload, record, learnable);
  }

  signal(workload: WorkloadRef, record: SignalRecord): void {
    if (this.rules.evaluate(workload, record).length > 0) this.tainted.taint(record.process);
  }

  unattributed(record: ObservationRecord | SignalRecord): void {
    if (record.kind === 'exec' || record.kind === 'file' || record.kind === 'network' || record.kind === 'dns' || record.kind === 'signal') {
      this.rules.evaluate(UNATTRIBUTED_WORKLOAD, record);
    }
  }

  lossReported(workload: WorkloadRef, lost: number, at: number): void {
    this.profiles.lossReported(workload, lost, at);
  }
}
