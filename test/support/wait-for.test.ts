import { describe, expect, it } from 'vitest';
import { waitFor, waitForObserved } from './wait-for.js';

describe('waitFor', () => {
  it('returns the first defined probe result, retrying through undefined and errors', async () => {
    let calls = 0;
    const result = await waitFor(
      () => {
        calls += 1;
        if (calls === 1) throw new Error('not yet');
        return calls < 3 ? undefined : `done after ${calls}`;
      },
      { description: 'the third call', intervalMs: 1 },
    );
    expect(result).toBe('done after 3');
  });

  it('names what it waited for and the last error when it times out', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('connection refused');
        },
        { description: 'the moon', timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow(/waiting for the moon; last error: connection refused/);
  });

  it('evaluates a description function at timeout so it can show the last state', async () => {
    let seen = 'nothing';
    await expect(
      waitFor(
        () => {
          seen = 'something';
          return undefined;
        },
        { description: () => `a result (saw ${seen})`, timeoutMs: 20, intervalMs: 5 },
      ),
    ).rejects.toThrow(/a result \(saw something\)/);
  });

  it('stops at once when abortIf reports an error', async () => {
    let probes = 0;
    await expect(
      waitFor(
        () => {
          probes += 1;
          return undefined;
        },
        { description: 'a dead server', timeoutMs: 60_000, abortIf: () => (probes >= 2 ? new Error('server exited') : undefined), intervalMs: 1 },
      ),
    ).rejects.toThrow(/gave up waiting for a dead server: server exited/);
    expect(probes).toBe(2);
  });
});

describe('waitForObserved', () => {
  it('returns what pick finds, and otherwise reports the last state it observed', async () => {
    let reads = 0;
    const found = await waitForObserved(
      async () => ++reads,
      (state) => (state >= 2 ? `state ${state}` : undefined),
      { description: 'the second read', show: String, intervalMs: 1 },
    );
    expect(found).toBe('state 2');
    await expect(
      waitForObserved(async () => ['a', 'b'], () => undefined, { description: 'c', show: (state) => state.join('+'), timeoutMs: 20, intervalMs: 5 }),
    ).rejects.toThrow(/waiting for c \(last seen: a\+b\)/);
  });
});
