import type { Registry } from 'prom-client';
import { METRIC } from '../../metrics/metric-names.js';
import type { SinkOutcome } from '../sink-metrics.js';

async function valueOf(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want));
  return match?.value ?? 0;
}

/** `telltale_sink_events_total{sink, outcome}` as a scrape would read it. */
export function sinkEvents(registry: Registry, sink: string, outcome: SinkOutcome): Promise<number> {
  return valueOf(registry, METRIC.sinkEvents, { sink, outcome });
}

/** `telltale_sink_queue_length{sink}` as a scrape would read it. */
export function sinkQueueLength(registry: Registry, sink: string): Promise<number> {
  return valueOf(registry, METRIC.sinkQueueLength, { sink });
}
