import type { Severity } from '../findings/finding.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.js';
import type { OverflowPolicy } from './bounded-queue.js';

/** How a sink filters, queues, batches and retries; the same knobs for every sink type. */
export interface DeliveryOptions {
  /** Findings below this severity are not sent to the sink (and not counted). */
  readonly minSeverity: Severity;
  /** One finding per workload, rule (or category) and item per window; 0 sends every one. */
  readonly dedupWindowMs: number;
  readonly queueCapacity: number;
  readonly overflow: OverflowPolicy;
  /** A batch goes out when it holds this many findings… */
  readonly batchMaxSize: number;
  /** …or when its oldest finding has waited this long, whichever comes first. */
  readonly lingerMs: number;
  /** Per attempt; a receiver that does not answer in time counts as a failed attempt. */
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
}

/**
 * Defaults keep a finding's way to a receiver well under two seconds (a 200 ms linger plus one
 * round trip) while a burst still goes out in a few requests, and keep a dead receiver from
 * holding more than a thousand findings in memory per sink.
 */
export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  minSeverity: 'info',
  dedupWindowMs: 5 * 60_000,
  queueCapacity: 1_000,
  overflow: 'drop-newest',
  batchMaxSize: 50,
  lingerMs: 200,
  timeoutMs: 5_000,
  retry: DEFAULT_RETRY_POLICY,
};
