import type { Logger } from 'pino';
import type { SensorMetrics } from '../metrics/sensor-metrics.js';
import { LOSS_REASONS, type LossReason } from '../sensor/wire.js';
import type { FrameProblem } from '../sensor/frame-reader.js';
import type { DecodeError } from '../sensor/record-decoder.js';
import { describeRecord } from '../sensor/describe-record.js';
import { redactArgv, redactToken } from '../observations/redact-secrets.js';
import type { ExecRecord, ObservationRecord, SensorRecord, SequenceRecord, SignalRecord } from '../sensor/sensor-record.js';
import type { CgroupIndex } from '../workloads/cgroup-index.js';
import type { StandaloneAttributor } from '../workloads/standalone-attributor.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';

/** The next steps of the flow: profiles learn only attributed records; rules see every one. */
export interface ObservationConsumer {
  observe(workload: WorkloadRef, record: ObservationRecord): void;
  signal(workload: WorkloadRef, record: SignalRecord): void;
  /**
   * A record whose cgroup could not be tied to a workload (it vanished, or lies outside
   * the cgroup2 mount): rules still judge it, nothing learns it.
   */
  unattributed(record: ObservationRecord | SignalRecord): void;
  /** The kernel lost `lost` events of this workload (scores are suppressed while this goes on). */
  lossReported(workload: WorkloadRef, lost: number, at: number): void;
}


/**
 * Decoder -> attribution: turns loader records into attributed observations and
 * keeps the sensor's health metrics. Kernel counters are cumulative per loader
 * run, so deltas are taken and reset when a new loader says hello.
 */
export class SensorPipeline {
  private lastLost = noLosses();
  private readonly lastCgroupLoss = new Map<string, bigint>();
  private helloSeen = false;
  /**
   * With sequences on, the kernel reports no syscall records: every syscall a thread
   * makes is in one of its reported n-grams, so the set is derived here, once per
   * cgroup and epoch like the kernel would.
   */
  private sequencesOn = false;
  private readonly derivedSyscalls = new Map<string, Set<number>>();
  capabilityMode: 'hook' | 'derived' | null = null;
  kernelRelease = '';

  constructor(
    private readonly index: CgroupIndex,
    private readonly attributor: StandaloneAttributor,
    private readonly metrics: SensorMetrics,
    private readonly consumer: ObservationConsumer,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** True once a loader has attached and said hello. */
  get ready(): boolean {
    return this.helloSeen;
  }

  loaderStarted(): void {
    this.lastLost = noLosses();
    this.lastCgroupLoss.clear();
    this.derivedSyscalls.clear();
  }

  /** A new dedup epoch: the kernel reports everything once more, and so does the derived syscall set. */
  beginEpoch(): void {
    this.derivedSyscalls.clear();
  }

  loaderExited(): void {
    this.helloSeen = false;
  }

  decodeProblem(problem: DecodeError | FrameProblem): void {
    this.metrics.bpfEventsLost.inc({ reason: 'decode_error' });
    this.log.warn({ code: problem instanceof Error ? problem.code : problem.code, problem: problem.message }, 'undecodable data from the loader');
  }

  record(record: SensorRecord): void {
    this.metrics.bpfEvents.inc({ kind: record.kind });
    switch (record.kind) {
      case 'hello':
        this.helloSeen = true;
        this.sequencesOn = record.sequences;
        this.capabilityMode = record.capabilityHook ? 'hook' : 'derived';
        this.kernelRelease = record.kernelRelease;
        this.metrics.setCapabilityMode(this.capabilityMode);
        this.log.info(
          { loaderPid: record.loaderPid, capabilityMode: this.capabilityMode, ngram: record.ngramLength, kernel: record.kernelRelease },
          'sensor attached',
        );
        return;
      case 'stats':
        for (const reason of LOSS_REASONS) {
          const total = record.lost[reason];
          if (total > this.lastLost[reason]) this.metrics.bpfEventsLost.inc({ reason }, Number(total - this.lastLost[reason]));
          this.lastLost[reason] = total;
        }
        return;
      case 'cgroup_loss': {
        const before = this.lastCgroupLoss.get(record.cgroupId) ?? 0n;
        this.lastCgroupLoss.set(record.cgroupId, record.lost);
        if (record.lost > before) {
          const workload = this.attributor.attribute(record.cgroupId);
          if (workload) this.consumer.lossReported(workload, Number(record.lost - before), this.now());
        }
        return;
      }
      case 'map_info':
        this.metrics.mapEntries.set({ map: record.name }, record.entries);
        return;
      case 'log':
        this.log[record.level === 'debug' ? 'debug' : record.level === 'info' ? 'info' : record.level === 'warn' ? 'warn' : 'error']({ source: 'loader' }, record.message);
        return;
      case 'cgroup':
        if (record.op === 'mkdir') {
          this.index.noteCreated(record.process.cgroupId, record.path);
        } else {
          this.index.noteRemoved(record.process.cgroupId);
          this.attributor.forget(record.process.cgroupId);
          this.derivedSyscalls.delete(record.process.cgroupId);
        }
        return;
      case 'signal': {
        const workload = this.attributor.attribute(record.process.cgroupId);
        if (workload) {
          this.consumer.signal(workload, record);
        } else {
          this.metrics.unattributed.inc({ category: 'signal' });
          this.consumer.unattributed(record);
        }
        return;
      }
      default: {
        const observation = record.kind === 'exec' ? redactExec(record) : record;
        const workload = this.attributor.attribute(record.process.cgroupId);
        if (!workload) {
          this.metrics.unattributed.inc({ category: record.kind });
          this.consumer.unattributed(observation);
          return;
        }
        if (observation.kind === 'syscall_sequence' && this.sequencesOn) this.deriveSyscalls(workload, observation);
        this.observe(workload, observation);
      }
    }
  }

  private observe(workload: WorkloadRef, record: ObservationRecord): void {
    this.metrics.observed(workload, record.kind);
    if (this.log.isLevelEnabled('debug')) {
      const exec = record.kind === 'exec' ? { argv: record.argv, parentExe: record.parentExe, facts: Object.keys(record.facts).filter((k) => record.facts[k as keyof typeof record.facts]) } : {};
      this.log.debug(
        { workload: workload.workload, workloadType: workload.workloadType, category: record.kind, item: describeRecord(record), pid: record.process.pid, comm: record.process.comm, ...exec },
        'observation',
      );
    }
    this.consumer.observe(workload, record);
  }

  private deriveSyscalls(workload: WorkloadRef, record: SequenceRecord): void {
    let seen = this.derivedSyscalls.get(record.process.cgroupId);
    if (!seen) {
      seen = new Set();
      this.derivedSyscalls.set(record.process.cgroupId, seen);
    }
    for (const nr of record.calls) {
      if (seen.has(nr)) continue;
      seen.add(nr);
      this.observe(workload, { kind: 'syscall', process: record.process, nr });
    }
  }
}

/**
 * Secrets in argv and LD_PRELOAD are redacted here, right after decoding, so that no
 * later step (profiles, rules, metrics, logs, sinks, the profile API) ever holds them.
 */
export function redactExec(record: ExecRecord): ExecRecord {
  const argv = redactArgv(record.argv);
  const ldPreload = record.ldPreload === null ? null : redactToken(record.ldPreload);
  const changed = ldPreload !== record.ldPreload || argv.some((token, i) => token !== record.argv[i]);
  return changed ? { ...record, argv, ldPreload } : record;
}

function noLosses(): Record<LossReason, bigint> {
  return Object.fromEntries(LOSS_REASONS.map((reason) => [reason, 0n])) as Record<LossReason, bigint>;
}
