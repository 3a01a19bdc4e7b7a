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

  /**
   * Counts not yet added to the counter. prom-client hashes the label set on every inc(),
   * which costs more than everything else publish() does; plain additions here are folded
   * into the counter when it is read.
   */
  private readonly pending = new Map<string, Record<SinkOutcome, number>>();
  private readonly queueLengths = new Map<string, () => number>();

  private constructor(registry: Registry) {
    const pending = this.pending;
    new Counter({
      name: METRIC.sinkEvents,
      help: 'Findings handled by the direct sinks, by sink and outcome (sent, failed, dropped, rate_limited).',
      labelNames: ['sink', 'outcome'],
      registers: [registry],
      collect() {
        for (const [sink, counts] of pending) {
          for (const outcome of SINK_OUTCOMES) {
            // inc(0) as well: every series exists from the first scrape, so rate() works at once.
            this.inc({ sink, outcome }, counts[outcome]);
            counts[outcome] = 0;
          }
        }
      },
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

  /** Counters for `sink`; the same sink name always shares one set. */
  counters(sink: string): SinkCounters {
    let counts = this.pending.get(sink);
    if (!counts) {
      counts = { sent: 0, failed: 0, dropped: 0, rate_limited: 0 };
      this.pending.set(sink, counts);
    }
    const bound = counts;
    const bind = (outcome: SinkOutcome) => (count = 1): void => {
      bound[outcome] += count;
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
