/**
 * Why one delivery attempt failed. `retryable` is false when sending the same batch again
 * cannot help (a 400 from a receiver that rejects the payload), so the batch fails at once
 * instead of holding the queue up through every backoff step.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** From a Retry-After header, when the receiver sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Any thrown value as a DeliveryError; unknown failures (network, timeouts) are retryable. */
export function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new DeliveryError(`${code ? `${code} ` : ''}${error.message}${cause}`, true);
  }
  return new DeliveryError(String(error), true);
}
