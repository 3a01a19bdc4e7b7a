import type { Finding } from '../findings/finding.js';

/** Delivers batches to one kind of receiver; queueing, retries and counting are not its job. */
export interface SinkTransport {
  /** Where it sends, safe to log: no credentials, no URL path or query (they can hold tokens). */
  readonly endpoint: string;
  /**
   * Resolves once the receiver has accepted the whole batch; rejects (preferably with a
   * DeliveryError) otherwise. Must stop work when `signal` aborts.
   */
  send(findings: readonly Finding[], signal: AbortSignal): Promise<void>;
  /** Releases sockets; called once, after the last send. */
  close(): Promise<void>;
}
