import type { Finding } from '../findings/finding.js';
import { findingDedupKey } from './dedup-window.js';
import type { QueuedSink } from './queued-sink.js';
import { SILENT_LOGGER, type SinkLogger } from './sink-logger.js';

export const DEFAULT_CLOSE_DEADLINE_MS = 5_000;

/**
 * Fans findings out to every configured sink. `publish` sits on the detection path: it only
 * queues, in memory, and whatever happens inside a sink it neither waits nor throws.
 */
export class SinkDispatcher {
  private closed = false;
  private loggedPublishError = false;

  constructor(
    private readonly sinks: readonly QueuedSink[],
    private readonly logger: SinkLogger = SILENT_LOGGER,
  ) {}

  get sinkNames(): readonly string[] {
    return this.sinks.map((sink) => sink.name);
  }

  publish(finding: Finding): void {
    if (this.sinks.length === 0) return;
    let key: string | undefined;
    try {
      key = findingDedupKey(finding);
    } catch {
      // A finding too broken to key is still offered; each sink deals with it.
    }
    for (const sink of this.sinks) {
      try {
        sink.offer(finding, key);
      } catch (error) {
        // Unreachable by design; if it ever happens, detection must go on and the log say so once.
        if (!this.loggedPublishError) {
          this.loggedPublishError = true;
          this.logger.error({ sink: sink.name, error: String(error) }, 'sink rejected a finding');
        }
      }
    }
  }

  /**
   * Sends what is queued, within `deadlineMs` for all sinks together (they flush in
   * parallel), then closes their connections. What could not be sent by then is counted.
   */
  async close(deadlineMs = DEFAULT_CLOSE_DEADLINE_MS): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.sinks.map((sink) => sink.close(deadlineMs)));
  }
}
