import { describe, expect, it } from 'vitest';
import { Calibrator, certified, upperQuantile } from './calibrator.js';
import { scoreFromEvidence } from './deviation-score.js';
import { DEFAULT_SCORING_CONFIG as CONFIG, resolveScoringConfig } from './scoring-config.js';

describe('upperQuantile', () => {
  it('takes the ⌊α(n+1)⌋-th largest window', () => {
    const top = [9, 8, 7, 6, 5];
    expect(upperQuantile(top, 250, 0.01)).toBe(8);
    expect(upperQuantile(top, 50, 0.01)).toBe(9);
    expect(upperQuantile(top, 10_000, 0.01)).toBe(5); // beyond what is kept: the smallest kept, a higher (safer) threshold
    expect(upperQuantile([], 100, 0.01)).toBe(0);
    expect(certified(98, 0.01)).toBe(false);
    expect(certified(99, 0.01)).toBe(true);
  });
});

describe('Calibrator', () => {
  it('holds the realised false-alarm rate near the target on windows from the same distribution', () => {
    const random = (() => {
      let s = 42;
      return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    })();
    const sample = () => -Math.log(1 - random()) * 3; // exponential evidence, mean 3 units
    const calibrator = new Calibrator(CONFIG);
    for (let i = 0; i < 2000; i++) calibrator.addWindow({ syscall_sequence: sample() });
    const t = calibrator.thresholds().categories.syscall_sequence;
    let alarms = 0;
    const trials = 20_000;
    for (let i = 0; i < trials; i++) if (scoreFromEvidence(sample(), t) >= 0.9) alarms++;
    expect(alarms / trials).toBeGreaterThan(0.004);
    expect(alarms / trials).toBeLessThan(0.02);
  });

  it('uses the floors on quiet or thinly calibrated workloads, and caps exec', () => {
    const quiet = new Calibrator(CONFIG);
    for (let i = 0; i < 150; i++) quiet.addWindow({});
    expect(quiet.thresholds().categories).toMatchObject({ syscall: 1, syscall_sequence: 0.05, exec: 1 });
    const thin = new Calibrator(CONFIG);
    for (let i = 0; i < 20; i++) thin.addWindow({});
    expect(thin.thresholds().categories.syscall_sequence).toBe(CONFIG.uncertifiedFloor);
    const noisy = new Calibrator(CONFIG);
    for (let i = 0; i < 150; i++) noisy.addWindow({ exec: 10, file: 10 });
    expect(noisy.thresholds().categories.exec).toBe(1);
    expect(noisy.thresholds().categories.file).toBeGreaterThan(10);
  });

  it('calibrates the combined score on evidence spread over categories', () => {
    const calibrator = new Calibrator(CONFIG);
    for (let i = 0; i < 300; i++) calibrator.addWindow({ file: 0.9, network: 0.9 });
    const t = calibrator.thresholds();
    expect(t.categories.file).toBe(1);
    expect(t.overall).toBeGreaterThan(1.7);
  });

  it('round-trips through its document with bounded size', () => {
    const calibrator = new Calibrator(resolveScoringConfig({ calibrationKeep: 8 }));
    for (let i = 0; i < 500; i++) calibrator.addWindow({ dns: i % 50, capability: i % 7 === 0 ? 2 : 0 });
    const doc = calibrator.toDocument();
    expect(doc.categories.dns?.top).toHaveLength(8);
    expect(doc.categories.dns?.samples).toBe(500);
    const restored = Calibrator.fromDocument(JSON.parse(JSON.stringify(doc)), resolveScoringConfig({ calibrationKeep: 8 }));
    expect(restored.thresholds()).toEqual(calibrator.thresholds());
  });
});
