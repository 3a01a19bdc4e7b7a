import { Counter, Gauge, type Registry } from 'prom-client';
import { METRIC } from '../metrics/metric-names.js';

/**
 * Outcomes of `telltale_sink_events_total`, per finding:
 * - `sent`: the receiver accepted it;
 * - `failed`: every attempt failed, or the receiver rejected it for good;
 * - `dropped`: a full queue gave it up, or the daemon stopped before it could be sent;
 * - `rate_limited`: the dedup window held it back because the same finding was just sent.
 */
export const SINK_OUTCOMES = ['sent', 'failed', 'dropped', 'rate_limited'] as const;
export type SinkOutcome = (typeof SINK_OUTCOMES)[number];

export type SinkCounters = Readonly<Record<SinkOutcome, (count?: number) => void>>;

/**
 * The sink metrics on one registry. Several dispatchers may share a registry over the
 * daemon's life (a config reload builds a new one), so the metrics are created once per
 * registry and counters keep counting across dispatchers.
 */
export class SinkMetrics {
  private static readonly byRegistry = new WeakMap<Registry, SinkMetrics>();

  static on(registry: Registry): SinkMetrics {
    let metrics = SinkMetrics.byRegistry.get(registry);
    if (!metrics) {
      metrics = new SinkMetrics(registry);
      SinkMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private readonly events: Counter<'sink' | 'outcome'>;
  private readonly queueLengths = new Map<string, () => number>();

  private constructor(registry: Registry) {
    this.events = new Counter({
      name: METRIC.sinkEvents,
      help: 'Findings handled by the direct sinks, by sink and outcome (sent, failed, dropped, rate_limited).',
      labelNames: ['sink', 'outcome'],
      registers: [registry],
    });
    const queueLengths = this.queueLengths;
    new Gauge({
      name: METRIC.sinkQueueLength,
      help: "Findings waiting in a direct sink's bounded queue.",
      labelNames: ['sink'],
      registers: [registry],
      // Read at scrape time: setting a gauge on every publish would cost the hot path.
      collect() {
        for (const [sink, length] of queueLengths) this.set({ sink }, length());
      },
    });
  }

  /** Counters for `sink`, created at zero so rate() works from the first scrape. */
  counters(sink: string): SinkCounters {
    const bind = (outcome: SinkOutcome): ((count?: number) => void) => {
      const child = this.events.labels({ sink, outcome });
      child.inc(0);
      return (count = 1) => child.inc(count);
    };
    return { sent: bind('sent'), failed: bind('failed'), dropped: bind('dropped'), rate_limited: bind('rate_limited') };
  }

  /** Reports `length()` as the sink's queue length until the returned function is called. */
  trackQueue(sink: string, length: () => number): () => void {
    this.queueLengths.set(sink, length);
    return () => {
      if (this.queueLengths.get(sink) === length) this.queueLengths.set(sink, () => 0);
    };
  }
}
