import { counterGrowth, counterRate } from './counters.js';
import { METRIC } from './metrics.js';
import { aggregate, selector, type LabelMatcher, type RangeWindow } from './promql.js';

/**
 * Sensor health. Node-level series carry only the scrape labels (`instance`, `job`) and their
 * own, so `m` filters by those (e.g. `instance=~"$instance"`) and `by` picks the breakdown.
 */

/** Records lost per second, by reason plus `by`. */
export function eventsLostRate(m: readonly LabelMatcher[] = [], by: readonly string[] = []): string {
  return aggregate('sum', [...by, 'reason'], counterRate(selector(METRIC.bpfEventsLost, m), '$__rate_interval'));
}

/** Records delivered per second by the loader, by record kind plus `by`. */
export function eventsDeliveredRate(m: readonly LabelMatcher[] = [], by: readonly string[] = []): string {
  return aggregate('sum', [...by, 'kind'], counterRate(selector(METRIC.bpfEvents, m), '$__rate_interval'));
}

/** Share of records lost out of all records the kernel produced, per `by` group, over `window`. */
export function eventLossRatio(m: readonly LabelMatcher[] = [], by: readonly string[] = [], window: RangeWindow = '$__rate_interval'): string {
  const lost = aggregate('sum', by, counterRate(selector(METRIC.bpfEventsLost, m), window));
  const delivered = aggregate('sum', by, counterRate(selector(METRIC.bpfEvents, m), window));
  return `${lost} / (${delivered} + ${lost})`;
}

/** Loader restarts in the range, per `by` group (default: per node). */
export function loaderRestarts(m: readonly LabelMatcher[] = [], by: readonly string[] = ['instance']): string {
  return aggregate('sum', by, counterGrowth(selector(METRIC.loaderRestarts, m), '$__range'));
}

/** Observations whose cgroup resolved to no workload, per second, by category plus `by`. */
export function unattributedRate(m: readonly LabelMatcher[] = [], by: readonly string[] = []): string {
  return aggregate('sum', [...by, 'category'], counterRate(selector(METRIC.unattributedEvents, m), '$__rate_interval'));
}

/** Entries in each BPF map, per node. */
export function bpfMapEntries(m: readonly LabelMatcher[] = []): string {
  return aggregate('max', ['instance', 'map'], selector(METRIC.bpfMapEntries, m));
}

/** The capability mode each node runs in (`hook` or `derived`), as series of value 1. */
export function capabilityMode(m: readonly LabelMatcher[] = []): string {
  return `${selector(METRIC.capabilityMode, m)} == 1`;
}

/** Failed profile loads and saves in the range, by operation. */
export function profileStoreErrors(m: readonly LabelMatcher[] = []): string {
  return aggregate('sum', ['operation'], counterGrowth(selector(METRIC.profileStoreErrors, m), '$__range'));
}

/** Findings the direct sinks handled per second, by sink and outcome. */
export function sinkEventsRate(m: readonly LabelMatcher[] = []): string {
  return aggregate('sum', ['sink', 'outcome'], counterRate(selector(METRIC.sinkEvents, m), '$__rate_interval'));
}

/** Findings waiting in each sink's queue. */
export function sinkQueueLength(m: readonly LabelMatcher[] = []): string {
  return aggregate('max', ['sink'], selector(METRIC.sinkQueueLength, m));
}

/** Exporter versions running, with how many nodes run each. */
export function exporterVersions(m: readonly LabelMatcher[] = []): string {
  return aggregate('count', ['version'], selector(METRIC.buildInfo, m));
}

/** Per-workload: 1 while scores are suppressed because the kernel lost the workload's events. */
export function scoreSuppressedByWorkload(m: readonly LabelMatcher[]): string {
  return aggregate('max', ['namespace', 'workload'], selector(METRIC.scoreSuppressed, m));
}

/** Per-workload novel observations the kernel reported, per second, by category. */
export function observationsRate(m: readonly LabelMatcher[], by: readonly string[] = ['category']): string {
  return aggregate('sum', by, counterRate(selector(METRIC.observations, m), '$__rate_interval'));
}

/** Items folded into wildcards or dropped at the size budget in the range, per workload and category. */
export function generalizationOverflowByWorkload(m: readonly LabelMatcher[]): string {
  return aggregate('sum', ['namespace', 'workload', 'category'], counterGrowth(selector(METRIC.profileGeneralizationOverflow, m), '$__range'));
}
