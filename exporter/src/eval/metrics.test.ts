import { describe, expect, it } from 'vitest';
import { auc, detectionAtFalseAlarmRate, rateAtOrAbove } from './metrics.js';
import { seededShuffle, seededSplit } from './seeded-split.js';

describe('metrics', () => {
  it('computes AUC with ties as one half', () => {
    expect(auc([0, 0, 1], [2, 3])).toBe(1);
    expect(auc([2, 3], [0, 1])).toBe(0);
    expect(auc([1, 1], [1, 1])).toBe(0.5);
    expect(auc([0, 1, 2, 3], [1.5, 5])).toBeCloseTo(6 / 8);
    expect(auc([0, 1], [1, 2])).toBeCloseTo(3.5 / 4);
    expect(() => auc([], [1])).toThrow(/at least one/);
  });

  it('finds detection at a false-alarm rate without flagging ties with normal scores', () => {
    const normal = Array.from({ length: 100 }, (_, i) => i);
    const attack = [50, 98.5, 99, 200];
    const at1 = detectionAtFalseAlarmRate(normal, attack, 0.01);
    expect(at1).toEqual({ threshold: 98, detection: 0.75, falseAlarmRate: 0.01 });
    expect(detectionAtFalseAlarmRate(normal, attack, 0.1).detection).toBe(0.75);
    expect(detectionAtFalseAlarmRate(normal, attack, 0.6).detection).toBe(1);
    expect(rateAtOrAbove([0.1, 0.9, 0.95], 0.9)).toBeCloseTo(2 / 3);
  });

  it('splits reproducibly by seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(seededShuffle(items, 3)).toEqual(seededShuffle(items, 3));
    expect(seededShuffle(items, 3)).not.toEqual(seededShuffle(items, 4));
    const [a, b] = seededSplit(items, 0.3, 9);
    expect(a).toHaveLength(15);
    expect([...a, ...b].sort((x, y) => x - y)).toEqual(items);
  });
});
