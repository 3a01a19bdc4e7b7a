/** How a sink retries a batch it could not deliver. */
export interface RetryPolicy {
  /** Attempts per batch, the first one included; after the last, the batch counts as failed. */
  readonly maxAttempts: number;
  /** Base delay before the second attempt; it doubles for each attempt after that. */
  readonly initialDelayMs: number;
  /** Cap on any single delay, jitter and Retry-After included. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 250, maxDelayMs: 10_000 };

/**
 * Delay before attempt `failedAttempts + 1`, with "equal jitter": half the exponential step is
 * fixed, half is random. Pure exponential backoff makes every exporter of a DaemonSet retry
 * a recovering receiver in lock-step; full jitter can retry immediately. A server's
 * Retry-After, when given, is honoured up to the cap.
 */
export function backoffDelayMs(
  failedAttempts: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** exponent);
  const jittered = step / 2 + (random() * step) / 2;
  const wanted = retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered;
  return Math.round(Math.min(policy.maxDelayMs, wanted));
}
