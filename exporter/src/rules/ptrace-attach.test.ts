import { describe, expect, it } from 'vitest';
import { ptraceAttach } from './ptrace-attach.js';
import { WorkloadMemory } from './rule-evidence.js';
import { process as caller, signal } from './test-fixtures/records.js';

const evaluate = (...args: Parameters<typeof signal>) => ptraceAttach.evaluate(signal(...args), new WorkloadMemory());

describe('ptrace-attach', () => {
  it.each<[string, bigint]>([
    ['PTRACE_POKETEXT', 4n],
    ['PTRACE_POKEDATA', 5n],
    ['PTRACE_POKEUSER', 6n],
    ['PTRACE_ATTACH', 16n],
    ['PTRACE_SEIZE', 0x4206n],
  ])('fires on %s into another process', (name, request) => {
    expect(evaluate('ptrace', request, 99n)).toEqual({ item: name, summary: `app (pid ${caller.pid}) used ${name} on pid 99` });
  });

  it('stays quiet on PTRACE_TRACEME: a process asking to be traced by its parent', () => {
    expect(evaluate('ptrace', 0n, 0n)).toBeNull();
  });

  it('stays quiet on requests that only act on an existing tracee (peek, cont, detach)', () => {
    for (const request of [1n, 2n, 3n, 7n, 17n]) expect(evaluate('ptrace', request, 99n), `request ${request}`).toBeNull();
  });

  it('stays quiet on ptrace of its own process or its own thread', () => {
    expect(evaluate('ptrace', 16n, BigInt(caller.pid))).toBeNull();
    expect(evaluate('ptrace', 0x4206n, 4243n, 101, { tid: 4243 })).toBeNull();
    expect(evaluate('ptrace', 5n, 4243n, 101, { tid: 4243 })).toBeNull();
  });
});
