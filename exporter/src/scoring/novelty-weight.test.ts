import { describe, expect, it } from 'vitest';
import type { ProfileMatch } from '../profiles/profile-model.js';
import { classifyExec } from './exec-classes.js';
import { noveltyWeight } from './novelty-weight.js';
import { DEFAULT_SCORING_CONFIG as CONFIG, resolveScoringConfig } from './scoring-config.js';

const match = (over: Partial<ProfileMatch>): ProfileMatch => ({
  category: 'syscall',
  item: 'x',
  known: false,
  support: 0,
  via: 'none',
  parentKnown: false,
  parentSupport: 0,
  ...over,
});

describe('noveltyWeight', () => {
  it('weighs rarity by support and ignores well-known items', () => {
    const obs = { category: 'syscall', nr: 1 } as const;
    expect(noveltyWeight(obs, match({}), CONFIG)).toBe(0.45);
    expect(noveltyWeight(obs, match({ known: true, support: 1 }), CONFIG)).toBeCloseTo(0.45 * 0.25);
    expect(noveltyWeight(obs, match({ known: true, support: 2 }), CONFIG)).toBeCloseTo(0.45 * 0.0625);
    expect(noveltyWeight(obs, match({ known: true, support: 3 }), CONFIG)).toBe(0);
  });

  it('spreads a new piece of a sequence over the n-grams holding it, and leaves unknown syscalls to the syscall category', () => {
    const obs = { category: 'syscall_sequence', calls: [1, 2, 3, 4, 5, 6] } as const;
    const w = (noveltyOrder: number) => noveltyWeight(obs, match({ category: 'syscall_sequence', noveltyOrder }), CONFIG);
    expect(w(1)).toBe(0);
    expect(w(2)).toBeCloseTo(0.35 / 5);
    expect(w(6)).toBeCloseTo(0.35 * 0.5 ** 4);
    expect(w(2) * 5).toBeGreaterThan(w(6));
    const plain = resolveScoringConfig({ sequenceContext: false });
    expect(noveltyWeight(obs, match({ category: 'syscall_sequence', noveltyOrder: 6 }), plain)).toBe(0.35);
  });

  it('weighs shells and tools above other binaries, and a new argv below a new binary', () => {
    const exec = (path: string) => ({ category: 'exec', path, argv: [path] }) as const;
    expect(classifyExec('/usr/bin/python3.11')).toBe('interpreter');
    expect(classifyExec('/bin/busybox')).toBe('shell');
    expect(noveltyWeight(exec('/bin/bash'), match({ category: 'exec' }), CONFIG)).toBe(2.5);
    expect(noveltyWeight(exec('/usr/bin/nc'), match({ category: 'exec' }), CONFIG)).toBe(2);
    expect(noveltyWeight(exec('/app/server'), match({ category: 'exec' }), CONFIG)).toBe(1.25);
    expect(noveltyWeight(exec('/app/server'), match({ category: 'exec', parentKnown: true }), CONFIG)).toBeCloseTo(0.375);
    expect(noveltyWeight(exec('/bin/sh'), match({ category: 'exec', parentKnown: true }), CONFIG)).toBeCloseTo(1.25);
  });

  it('rejects configurations that would let one syscall page', () => {
    expect(() => resolveScoringConfig({ thresholdFloor: { ...CONFIG.thresholdFloor, syscall: 0.3 } })).toThrow(/one new syscall/);
  });
});
