import { counterGrowth, counterRate } from './counters';
import { METRIC } from './metrics';
import { aggregate, selector, type LabelMatcher, type RangeWindow } from './promql';

/**
 * Sensor health. These series describe the node agent, not a workload, so they carry only
 * the scrape labels (`instance`, `job`) and their own; `by` lists decide the breakdown.
 */

/** Records lost per second, by reason and any extra labels (e.g. `instance`). */
export function eventsLostRate(by: readonly string[] = []): string {
  return aggregate('sum', [...by, 'reason'], counterRate(METRIC.bpfEventsLost, '$__rate_interval'));
}

/** Records delivered per second by the loader, by record kind. */
export function eventsDeliveredRate(by: readonly string[] = []): string {
  return aggregate('sum', [...by, 'kind'], counterRate(METRIC.bpfEvents, '$__rate_interval'));
}

/** Share of records lost out of all records the kernel produced, per `by` group, over `window`. */
export function eventLossRatio(by: readonly string[] = [], window: RangeWindow = '$__rate_interval'): string {
  const lost = aggregate('sum', by, counterRate(METRIC.bpfEventsLost, window));
  const delivered = aggregate('sum', by, counterRate(METRIC.bpfEvents, window));
  return `${lost} / (${delivered} + ${lost})`;
}

/** Loader restarts in the range, per node. */
export function loaderRestarts(by: readonly string[] = ['instance']): string {
  return aggregate('sum', by, counterGrowth(METRIC.loaderRestarts, '$__range'));
}

/** Observations whose cgroup resolved to no workload, per second and category. */
export function unattributedRate(by: readonly string[] = []): string {
  return aggregate('sum', [...by, 'category'], counterRate(METRIC.unattributedEvents, '$__rate_interval'));
}

/** Entries in each BPF map, per node. */
export function bpfMapEntries(by: readonly string[] = ['instance']): string {
  return aggregate('max', [...by, 'map'], METRIC.bpfMapEntries);
}

/** The capability mode each node runs in (`hook` or `derived`). */
export function capabilityMode(): string {
  return `${METRIC.capabilityMode} == 1`;
}

/** Workloads whose scores are suppressed because the kernel lost their events. */
export function suppressedWorkloads(m: readonly LabelMatcher[]): string {
  return `sum(${selector(METRIC.scoreSuppressed, m)}) or vector(0)`;
}

/** Failed profile loads and saves in the range, by operation. */
export function profileStoreErrors(): string {
  return aggregate('sum', ['operation'], counterGrowth(METRIC.profileStoreErrors, '$__range'));
}

/** Findings the direct sinks handled per second, by sink and outcome. */
export function sinkEventsRate(): string {
  return aggregate('sum', ['sink', 'outcome'], counterRate(METRIC.sinkEvents, '$__rate_interval'));
}

/** Findings waiting in each sink's queue. */
export function sinkQueueLength(): string {
  return aggregate('max', ['sink'], METRIC.sinkQueueLength);
}

/** Exporter versions running, with how many nodes run each. */
export function exporterVersions(): string {
  return aggregate('count', ['version'], METRIC.buildInfo);
}
