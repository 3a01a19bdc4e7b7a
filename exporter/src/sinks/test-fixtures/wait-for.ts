import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `condition` until it returns something truthy, and returns that. The bound is a
 * safety net against a hung test, not a performance claim: nothing asserts on elapsed time.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  description: string,
  { timeoutMs = 10_000, intervalMs = 10 } = {},
): Promise<NonNullable<T>> {
  const giveUpAt = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > giveUpAt) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`gave up waiting for ${description}${detail}`);
    }
    await sleep(intervalMs);
  }
}
