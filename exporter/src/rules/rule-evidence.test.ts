import { describe, expect, it } from 'vitest';
import { EvidenceStore, WorkloadMemory } from './rule-evidence.js';

describe('rule evidence', () => {
  it('recalls what was noted, the latest note winning', () => {
    const memory = new WorkloadMemory();
    expect(memory.recall('k')).toBeUndefined();
    memory.note('k', 'first');
    memory.note('k', 'second');
    expect(memory.recall('k')).toBe('second');
  });

  it('keeps at most maxKeys keys per workload, dropping the oldest', () => {
    const memory = new WorkloadMemory(2);
    memory.note('a', '1');
    memory.note('b', '2');
    memory.note('c', '3');
    expect([memory.recall('a'), memory.recall('b'), memory.recall('c')]).toEqual([undefined, '2', '3']);
  });

  it('keeps workloads apart and holds memory only for workloads that noted something', () => {
    const store = new EvidenceStore();
    store.for('quiet').recall('k');
    expect(store.size).toBe(0);
    store.for('miner').note('k', 'pool');
    expect(store.for('miner').recall('k')).toBe('pool');
    expect(store.for('other').recall('k')).toBeUndefined();
    expect(store.size).toBe(1);
  });

  it('forgets the workload seen least recently when full', () => {
    const store = new EvidenceStore(2);
    store.for('a').note('k', 'a');
    store.for('b').note('k', 'b');
    store.for('a').recall('k'); // a is now the most recent
    store.for('c').note('k', 'c');
    expect([store.for('a').recall('k'), store.for('b').recall('k'), store.for('c').recall('k')]).toEqual(['a', undefined, 'c']);
    expect(store.size).toBe(2);
  });
});
