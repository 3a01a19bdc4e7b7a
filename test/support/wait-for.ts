export interface WaitOptions {
  /** What is awaited, in words; it is the heart of the timeout message. A function is called at timeout, so it can report the last state seen. */
  readonly description: string | (() => string);
  /** Upper bound before giving up. It is a failure limit, not a performance expectation. */
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Checked before every probe; returning an error stops waiting at once (e.g. the server died). */
  readonly abortIf?: () => Error | undefined;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 60_000;

/**
 * Polls `probe` until it returns something other than `undefined`, and returns that. A probe that
 * throws counts as "not yet": the last error is reported if the wait times out.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, options: WaitOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const abortError = options.abortIf?.();
    if (abortError !== undefined) {
      throw new Error(`gave up waiting for ${describeWait(options)}: ${abortError.message}`, { cause: abortError });
    }
    try {
      const result = await probe();
      if (result !== undefined) return result;
      lastError = undefined;
    } catch (error: unknown) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const detail = lastError === undefined ? '' : `; last error: ${describeError(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${describeWait(options)}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeWait(options: WaitOptions): string {
  return typeof options.description === 'string' ? options.description : options.description();
}

export interface ObservedWaitOptions<S> extends Omit<WaitOptions, 'description'> {
  readonly description: string;
  /** Renders the last observed state for the timeout message. */
  readonly show: (state: S) => string;
}

/**
 * Polls `observe` until `pick` finds what is wanted in the observed state, and returns that; on
 * timeout the message ends with the last state seen, e.g. the alerts that were there instead.
 */
export async function waitForObserved<S, R>(
  observe: () => Promise<S>,
  pick: (state: S) => R | undefined,
  options: ObservedWaitOptions<S>,
): Promise<R> {
  let last: { readonly state: S } | undefined;
  return waitFor(
    async () => {
      const state = await observe();
      last = { state };
      return pick(state);
    },
    {
      ...options,
      description: () => `${options.description} (last seen: ${last === undefined ? 'nothing yet' : options.show(last.state)})`,
    },
  );
}
