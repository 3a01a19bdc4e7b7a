import { Counter, Gauge, type Registry } from 'prom-client';
import type { Category } from '../observations/category.js';
import { workloadLabels, type WorkloadRef } from '../workloads/workload-ref.js';
import { METRIC, WORKLOAD_LABEL_NAMES } from './metric-names.js';
import { LOSS_REASONS, type LossReason } from '../sensor/wire.js';

/** Why a record never became an observation, as counted in telltale_bpf_events_lost_total. */
export type LossReasonLabel = LossReason | 'decode_error';

/** The sensor's half of the metric contract: what the kernel reported and how healthy that path is. */
export class SensorMetrics {
  readonly observations: Counter<(typeof WORKLOAD_LABEL_NAMES)[number] | 'category'>;
  readonly bpfEvents: Counter<'kind'>;
  readonly bpfEventsLost: Counter<'reason'>;
  readonly mapEntries: Gauge<'map'>;
  readonly loaderRestarts: Counter;
  readonly unattributed: Counter<'category'>;
  readonly capabilityMode: Gauge<'mode'>;
  readonly buildInfo: Gauge<'version'>;

  constructor(registry: Registry, version: string) {
    this.observations = new Counter({
      name: METRIC.observations,
      help: 'Novel observations reported by the kernel, per workload and category',
      labelNames: [...WORKLOAD_LABEL_NAMES, 'category'],
      registers: [registry],
    });
    this.bpfEvents = new Counter({ name: METRIC.bpfEvents, help: 'Records delivered by the loader, by kind', labelNames: ['kind'], registers: [registry] });
    this.bpfEventsLost = new Counter({
      name: METRIC.bpfEventsLost,
      help: 'Records lost before they became observations: ringbuf_full, map_full, read_fault, prog_busy (counted in the kernel), decode_error',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.mapEntries = new Gauge({ name: METRIC.bpfMapEntries, help: 'Entries in each BPF map', labelNames: ['map'], registers: [registry] });
    this.loaderRestarts = new Counter({ name: METRIC.loaderRestarts, help: 'Times the loader was restarted', registers: [registry] });
    this.unattributed = new Counter({
      name: METRIC.unattributedEvents,
      help: 'Observations whose cgroup could not be resolved to a workload',
      labelNames: ['category'],
      registers: [registry],
    });
    this.capabilityMode = new Gauge({
      name: METRIC.capabilityMode,
      help: '1 for the active capability mode: hook (cap_capable tracepoint) or derived (from syscalls)',
      labelNames: ['mode'],
      registers: [registry],
    });
    this.buildInfo = new Gauge({ name: METRIC.buildInfo, help: 'Telltale build information; always 1', labelNames: ['version'], registers: [registry] });
    this.buildInfo.set({ version }, 1);
    for (const reason of [...LOSS_REASONS, 'decode_error'] as const) this.bpfEventsLost.inc({ reason }, 0);
  }

  /**
   * Counts one observation. Children are cached per workload object (attribution
   * hands out one per workload): prom-client hashes the labels on every plain inc.
   */
  observed(workload: WorkloadRef, category: Category): void {
    let children = this.observationChildren.get(workload);
    if (!children) {
      children = new Map();
      this.observationChildren.set(workload, children);
    }
    let child = children.get(category);
    if (!child) {
      child = this.observations.labels({ ...workloadLabels(workload), category });
      children.set(category, child);
    }
    child.inc();
  }

  private readonly observationChildren = new WeakMap<WorkloadRef, Map<Category, { inc(): void }>>();

  setCapabilityMode(mode: 'hook' | 'derived'): void {
    this.capabilityMode.set({ mode }, 1);
    this.capabilityMode.set({ mode: mode === 'hook' ? 'derived' : 'hook' }, 0);
  }
}
