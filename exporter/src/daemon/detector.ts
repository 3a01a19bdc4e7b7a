import type { ProfileEngine } from '../profiles/profile-engine.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import type { ObservationRecord, SignalRecord } from '../sensor/sensor-record.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';
import type { ObservationConsumer } from './sensor-pipeline.js';

/**
 * Where rule hits of records with no known workload are reported: one bounded label
 * value, so a cgroup that vanished before it was resolved still raises its alerts.
 */
export const UNATTRIBUTED_WORKLOAD: WorkloadRef = { namespace: '', workload: 'unattributed', workloadType: 'unattributed', container: '' };

/**
 * After attribution: behavioural rules see every record first; what they flag is
 * never learned into a profile (an attack during learning must not become normal),
 * and everything else goes to the profile engine.
 */
export class Detector implements ObservationConsumer {
  constructor(
    private readonly rules: RuleEngine,
    private readonly profiles: ProfileEngine,
  ) {}

  observe(workload: WorkloadRef, record: ObservationRecord): void {
    const flagged =
      record.kind === 'exec' || record.kind === 'file' || record.kind === 'network' || record.kind === 'dns'
        ? this.rules.evaluate(workload, record).length > 0
        : false;
    this.profiles.observe(workload, record, !flagged);
  }

  signal(workload: WorkloadRef, record: SignalRecord): void {
    this.rules.evaluate(workload, record);
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
