import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, loadTraceSets, runEval } from './run-eval.js';
import { seededShuffle } from './seeded-split.js';
import { writePidFixtures, writeTokenFixtures } from './test-fixtures/synthetic-traces.js';

const run = promisify(execFile);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telltale-eval-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runEval on generated traces', () => {
  it('separates injected payloads from normal runs, through the exporter scoring path', async () => {
    const train = await writeTokenFixtures(join(dir, 'train'), 300, 0, 1);
    const test = await writeTokenFixtures(join(dir, 'test'), 400, 60, 2);
    const report = await runEval({ train: train.normal, normal: test.normal, attack: test.attack, format: 'tokens', seed: 5, ngram: 6, calibrationFraction: 0.3, trainFraction: 0.5 });
    expect(report.traces).toEqual({ train: 300, calibration: 120, heldOutNormal: 280, attack: 60 });
    expect(report.auc).toBeGreaterThan(0.97);
    expect(report.detectionAtFalseAlarmRate['0.05']).toBeGreaterThan(0.9);
    expect(report.threshold.realisedFalseAlarmRate).toBeLessThanOrEqual(0.05);
    expect(report.threshold.detectionRate).toBeGreaterThan(0.8);
    expect(report.profile.ngrams).toBeGreaterThan(10);
  });

  it('splits one directory by seed when train and normal are the same, reproducibly', async () => {
    const fixtures = await writePidFixtures(join(dir, 'pid'), 60, 8, 3, 3);
    const options = { train: fixtures.normal, normal: fixtures.normal, attack: fixtures.attack, format: 'pid-tokens' as const, ngram: 4, calibrationFraction: 0.3, trainFraction: 0.5 };
    const a = await runEval({ ...options, seed: 7 });
    const b = await runEval({ ...options, seed: 7 });
    expect(a.traces).toEqual({ train: 90, calibration: 27, heldOutNormal: 63, attack: 24 });
    expect({ ...a, runtimeSeconds: 0 }).toEqual({ ...b, runtimeSeconds: 0 });
    expect(a.ngram).toBe(4);
    expect(a.auc).toBeGreaterThan(0.9);
  });

  it('says which set is empty', async () => {
    const fixtures = await writeTokenFixtures(join(dir, 'empty'), 10, 0, 4);
    await expect(
      runEval({ train: fixtures.normal, normal: fixtures.normal, attack: fixtures.attack, format: 'tokens', seed: 1, ngram: 6, calibrationFraction: 0.3, trainFraction: 0.5 }),
    ).rejects.toThrow(/no attack traces/);
  });
});

// The UNM archives are research data that must not enter the repository: read them where
// the workplace keeps them, extract to a temporary directory, and skip when absent.
const UNM = process.env.TELLTALE_UNM_DIR ?? '/work/shared/datasets/unm';
const haveUnm = existsSync(join(UNM, 'lpr_mit.tar.gz')) && existsSync(join(UNM, 'stide.tar.gz'));

describe.runIf(haveUnm)('runEval on the UNM traces', () => {
  let unm: string;
  beforeAll(async () => {
    unm = await mkdtemp(join(tmpdir(), 'telltale-unm-'));
    await run('tar', ['xzf', join(UNM, 'lpr_mit.tar.gz'), '-C', unm]);
    await run('tar', ['xzf', join(UNM, 'stide.tar.gz'), '-C', unm]);
  }, 60_000);
  afterAll(async () => {
    if (unm) await rm(unm, { recursive: true, force: true });
  });

  it('lpr_mit: AUC ≥ 0.99 with at most 1 % false alarms at the calibrated threshold', async () => {
    const report = await runEval({ train: join(unm, 'lpr_mit/normal'), normal: join(unm, 'lpr_mit/normal'), attack: join(unm, 'lpr_mit/abnormal'), format: 'pid-tokens', seed: 1, ngram: 6, calibrationFraction: 0.3, trainFraction: 0.5 });
    expect(report.auc).toBeGreaterThanOrEqual(0.99);
    expect(report.threshold.realisedFalseAlarmRate).toBeLessThanOrEqual(0.01);
    expect(report.threshold.detectionRate).toBeGreaterThan(0.9);
  }, 60_000);

  it('stide (seeded subset of the normal traces): AUC ≥ 0.99 with at most 1 % false alarms', async () => {
    const options = { train: join(unm, 'stide/normal'), normal: join(unm, 'stide/normal'), attack: join(unm, 'stide/abnormal'), format: 'pid-tokens' as const, seed: 1, ngram: 6, calibrationFraction: 0.3, trainFraction: 0.5 };
    const sets = await loadTraceSets(options);
    // A third of the corpus keeps the test fast; the full run is the documented CLI command.
    const subset = { ...sets, train: seededShuffle(sets.train, 1).slice(0, 2500), calibration: sets.calibration.slice(0, 800), heldOut: sets.heldOut.slice(0, 1600) };
    const report = evaluate(subset, options);
    expect(report.auc).toBeGreaterThanOrEqual(0.99);
    expect(report.threshold.realisedFalseAlarmRate).toBeLessThanOrEqual(0.01);
    expect(report.threshold.detectionRate).toBeGreaterThan(0.9);
  }, 60_000);
});
