import { describe, expect, it } from 'vitest';
import { NgramTable, encodeGram, parseGram, renderGram } from './ngram-table.js';

const ctx = (epoch: number) => ({ epoch, time: epoch * 1000, afterReady: false });

describe('NgramTable', () => {
  it('counts support once per epoch', () => {
    const t = new NgramTable(3);
    const key = encodeGram([1, 2, 3]);
    expect(t.observe(key, ctx(1))).toBe(true);
    expect(t.observe(key, ctx(1))).toBe(false);
    t.observe(key, ctx(2));
    expect(t.get(key)?.support).toBe(2);
  });

  it('derives novelty order from sub-gram contexts', () => {
    const t = new NgramTable(4);
    t.observe(encodeGram([1, 2, 3, 4]), ctx(1));
    t.observe(encodeGram([2, 3, 4, 5]), ctx(1));
    expect(t.noveltyOrder(encodeGram([1, 2, 3, 4]))).toBe(5);
    // every 3-gram known (1 2 3, 2 3 4 … ) but not this 4-gram: 3 4 5 is known, 2 3 4 known.
    expect(t.noveltyOrder(encodeGram([2, 3, 4, 5]))).toBe(5);
    expect(t.noveltyOrder(encodeGram([1, 2, 3, 5]))).toBe(2); // transition 3→5 never seen
    expect(t.noveltyOrder(encodeGram([9, 2, 3, 4]))).toBe(1); // syscall 9 never seen
    t.observe(encodeGram([4, 1, 2, 3]), ctx(2));
    expect(t.noveltyOrder(encodeGram([3, 4, 1, 2]))).toBe(3); // 3 4 1 never seen, 3→4 and 4→1 were
    expect(t.contextSupport(encodeGram([2, 3]))).toBe(1);
  });

  it('renders and parses grams, and rejects bad ids and lengths', () => {
    expect(renderGram(encodeGram([0, 511, 7]))).toBe('0 511 7');
    expect(parseGram('0 511  7')).toEqual([0, 511, 7]);
    expect(() => encodeGram([512])).toThrow(/out of range/);
    expect(() => parseGram('1 x')).toThrow(/not a syscall n-gram/);
    expect(() => new NgramTable(3).observe(encodeGram([1, 2]), ctx(1))).toThrow(/3-gram/);
    expect(() => new NgramTable(8)).toThrow(/2\.\.7/);
  });
});
