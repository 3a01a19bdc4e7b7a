import { setTimeout as sleep } from 'node:timers/promises';
import type { Finding } from '../findings/finding.js';
import { backoffDelayMs } from './backoff.js';
import { BoundedQueue } from './bounded-queue.js';
import { DedupWindow } from './dedup-window.js';
import type { DeliveryOptions } from './delivery-options.js';
import { DeliveryError, asDeliveryError } from './delivery-error.js';
import { meetsMinimumSeverity, severityRank } from './severity-rank.js';
import type { SinkCounters, SinkMetrics } from './sink-metrics.js';
import type { SinkLogger } from './sink-logger.js';
import type { SinkTransport } from './sink-transport.js';

interface Pending {
  readonly finding: Finding;
  /** performance.now() when queued; drives the linger. */
  readonly queuedAt: number;
}

export interface QueuedSinkParts {
  readonly name: string;
  readonly transport: SinkTransport;
  readonly options: DeliveryOptions;
  readonly metrics: SinkMetrics;
  readonly logger: SinkLogger;
  readonly random?: () => number;
  /** Wall clock for the dedup window; tests move it by hand. */
  readonly clock?: () => number;
}

/** How often a sink that keeps failing repeats its error in the log. */
const GIVE_UP_LOG_INTERVAL_MS = 60_000;

/**
 * One sink: filter, dedup, a bounded queue and a single worker that sends batches in order
 * with retries. `offer` only ever touches memory, so a dead or slow receiver costs detection
 * nothing; the price is paid in the queue, and counted.
 */
export class QueuedSink {
  readonly name: string;
  private readonly queue: BoundedQueue<Pending>;
  private readonly dedup: DedupWindow;
  private readonly counters: SinkCounters;
  private readonly untrackQueue: () => void;
  /** Aborted when close() runs out of time: cuts the in-flight attempt and any backoff. */
  private readonly stopping = new AbortController();
  private closing = false;
  private worker: Promise<void> | null = null;
  private wakeWorker: (() => void) | null = null;
  private failing = false;
  private lastGiveUpLog = Number.NEGATIVE_INFINITY;
  private loggedMalformed = false;

  constructor(private readonly parts: QueuedSinkParts) {
    this.name = parts.name;
    const { options } = parts;
    this.queue = new BoundedQueue<Pending>(options.queueCapacity, options.overflow, (p) =>
      severityRank(p.finding.severity),
    );
    this.dedup = new DedupWindow(options.dedupWindowMs, 10_000, parts.clock);
    this.counters = parts.metrics.counters(this.name);
    this.untrackQueue = parts.metrics.trackQueue(this.name, () => this.queue.length);
  }

  get queueLength(): number {
    return this.queue.length;
  }

  get endpoint(): string {
    return this.parts.transport.endpoint;
  }

  /**
   * Queues `finding` if this sink wants it. Synchronous, never throws, never waits.
   * `dedupKey` lets the dispatcher compute the key once for all sinks.
   */
  offer(finding: Finding, dedupKey?: string): void {
    const { options } = this.parts;
    const { counters } = this;
    if (!meetsMinimumSeverity(finding, options.minSeverity)) return;
    if (!Number.isFinite(finding.observedAt.getTime())) {
      // An upstream bug, but one bad finding in a batch would fail the whole batch: keep it out.
      counters.failed();
      this.noteMalformed();
      return;
    }
    if (this.closing) {
      counters.dropped();
      return;
    }
    if (!this.dedup.admit(finding, dedupKey)) {
      counters.rate_limited();
      return;
    }
    if (this.queue.push({ finding, queuedAt: performance.now() })) counters.dropped();
    if (this.queue.length >= options.batchMaxSize) this.wakeWorker?.();
    this.ensureWorker();
  }

  /**
   * Stops taking findings and sends what is queued, for at most `deadlineMs`. Then cuts the
   * attempt in flight (counted failed), counts what is left as dropped and closes the transport.
   */
  async close(deadlineMs: number): Promise<void> {
    this.closing = true;
    this.wakeWorker?.();
    const deadline = setTimeout(() => this.stopping.abort(), Math.max(0, deadlineMs));
    try {
      while (this.worker) await this.worker;
    } finally {
      clearTimeout(deadline);
    }
    this.stopping.abort();
    const left = this.queue.drain().length;
    if (left > 0) this.counters.dropped(left);
    this.untrackQueue();
    try {
      await this.parts.transport.close();
    } catch (error) {
      this.parts.logger.warn({ sink: this.name, error: asDeliveryError(error).message }, 'sink did not close cleanly');
    }
  }

  private ensureWorker(): void {
    if (this.worker || this.stopping.signal.aborted) return;
    this.worker = this.run().finally(() => {
      this.worker = null;
      if (this.queue.length > 0) this.ensureWorker();
    });
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0 && !this.stopping.signal.aborted) {
      await this.linger();
      const batch = this.queue.take(this.parts.options.batchMaxSize).map((p) => p.finding);
      await this.deliver(batch);
    }
  }

  /** Waits until the batch is full, the oldest finding has lingered long enough, or close(). */
  private async linger(): Promise<void> {
    const { batchMaxSize, lingerMs } = this.parts.options;
    const head = this.queue.peek();
    if (!head || this.closing || this.queue.length >= batchMaxSize) return;
    const wait = head.queuedAt + lingerMs - performance.now();
    if (wait <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wakeWorker?.(), wait);
      this.wakeWorker = () => {
        clearTimeout(timer);
        this.wakeWorker = null;
        resolve();
      };
    });
  }

  private async deliver(batch: readonly Finding[]): Promise<void> {
    const { options, random } = this.parts;
    const { counters } = this;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.attempt(batch);
        counters.sent(batch.length);
        this.noteSuccess();
        return;
      } catch (thrown) {
        const error = asDeliveryError(thrown);
        const giveUp = this.stopping.signal.aborted || !error.retryable || attempt >= options.retry.maxAttempts;
        this.noteFailure(error, attempt, giveUp ? batch.length : 0);
        if (giveUp) {
          counters.failed(batch.length);
          return;
        }
        try {
          const delay = backoffDelayMs(attempt, options.retry, random, error.retryAfterMs);
          await sleep(delay, undefined, { signal: this.stopping.signal });
        } catch {
          counters.failed(batch.length);
          return;
        }
      }
    }
  }

  /** One try, bounded by the timeout even if the transport ignores its signal. */
  private attempt(batch: readonly Finding[]): Promise<void> {
    const { timeoutMs } = this.parts.options;
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(timeoutMs)]);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void =>
        reject(
          new DeliveryError(
            this.stopping.signal.aborted ? 'sink closed before the receiver answered' : `no answer within ${timeoutMs} ms`,
            true,
          ),
        );
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.parts.transport
        .send(batch, signal)
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private noteMalformed(): void {
    if (this.loggedMalformed) return;
    this.loggedMalformed = true;
    this.parts.logger.error({ sink: this.name }, 'finding without a valid observation time (counted as failed)');
  }

  private noteSuccess(): void {
    if (!this.failing) return;
    this.failing = false;
    this.parts.logger.info({ sink: this.name, endpoint: this.endpoint }, 'sink is delivering again');
  }

  private noteFailure(error: DeliveryError, attempt: number, givenUp: number): void {
    const fields = { sink: this.name, endpoint: this.endpoint, error: error.message, attempt };
    if (!this.failing) {
      this.failing = true;
      this.parts.logger.warn(fields, 'sink delivery failing');
    }
    const now = performance.now();
    if (givenUp > 0 && now - this.lastGiveUpLog >= GIVE_UP_LOG_INTERVAL_MS) {
      this.lastGiveUpLog = now;
      this.parts.logger.error({ ...fields, findings: givenUp }, 'sink gave up on findings (counted as failed)');
    }
  }
}
