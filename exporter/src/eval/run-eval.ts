import { resolve } from 'node:path';
import type { Category } from '../observations/category.js';
import { Calibrator, type Thresholds } from '../scoring/calibrator.js';
import { deviationScores } from '../scoring/deviation-score.js';
import { type ScoringConfig, resolveScoringConfig } from '../scoring/scoring-config.js';
import { auc, detectionAtFalseAlarmRate, rateAtOrAbove } from './metrics.js';
import { buildProfile, traceEvidence } from './replay.js';
import { seededSplit } from './seeded-split.js';
import { type Trace, type TraceFormat, readTraces } from './trace-reader.js';

/**
 * `telltale eval`: builds a profile from training traces (one epoch each), calibrates
 * thresholds on part of the normal traces exactly as a workload calibrates on its own
 * learning windows, and scores the held-out normal and the attack traces.
 */
export interface EvalOptions {
  readonly train: string;
  readonly normal: string;
  readonly attack: string;
  readonly format: TraceFormat;
  readonly seed: number;
  readonly ngram: number;
  /** Share of the normal traces (after removing training traces) used for calibration. */
  readonly calibrationFraction: number;
  /** When train and normal are the same directory: share of it used for training. */
  readonly trainFraction: number;
  readonly scoring?: Partial<ScoringConfig>;
}

export interface EvalReport {
  format: TraceFormat;
  ngram: number;
  seed: number;
  traces: { train: number; calibration: number; heldOutNormal: number; attack: number };
  profile: { syscalls: number; ngrams: number };
  auc: number;
  detectionAtFalseAlarmRate: { '0.01': number; '0.05': number; '0.1': number };
  threshold: {
    score: number;
    targetFalseAlarmRate: number;
    realisedFalseAlarmRate: number;
    detectionRate: number;
    categoryThresholds: Partial<Record<Category, number>>;
    overallThreshold: number;
  };
  runtimeSeconds: number;
}

export const ALERT_SCORE = 0.9;
/** Large enough that no trace set here reaches it: eval measures the model, not the budget. */
export const EVAL_PROFILE_BUDGET = 1_000_000;

export interface TraceSets {
  train: Trace[];
  calibration: Trace[];
  heldOut: Trace[];
  attack: Trace[];
}

export async function loadTraceSets(options: EvalOptions): Promise<TraceSets> {
  const sameDir = resolve(options.train) === resolve(options.normal);
  const [trainAll, normalAll, attack] = await Promise.all([
    readTraces(options.train, options.format),
    sameDir ? Promise.resolve<Trace[]>([]) : readTraces(options.normal, options.format),
    readTraces(options.attack, options.format),
  ]);
  let train = trainAll;
  let normal = normalAll;
  if (sameDir) [train, normal] = seededSplit(trainAll, options.trainFraction, options.seed);
  const [calibration, heldOut] = seededSplit(normal, options.calibrationFraction, options.seed + 1);
  const empty = (
    [
      ['training', train, options.train],
      ['calibration', calibration, options.normal],
      ['held-out normal', heldOut, options.normal],
      ['attack', attack, options.attack],
    ] as const
  ).find(([, set]) => set.length === 0);
  if (empty) throw new Error(`no ${empty[0]} traces (from ${empty[2]}, format ${options.format}); check the directory and --format`);
  return { train, calibration, heldOut, attack };
}

export function evaluate(sets: TraceSets, options: Omit<EvalOptions, 'train' | 'normal' | 'attack'>, started = Date.now()): EvalReport {
  const scoring = resolveScoringConfig(options.scoring);
  const profile = buildProfile(sets.train, { ngramLength: options.ngram, maxEntries: EVAL_PROFILE_BUDGET });
  const calibrator = new Calibrator(scoring, options.seed);
  for (const trace of sets.calibration) calibrator.addWindow(traceEvidence(profile, trace, scoring));
  const thresholds: Thresholds = calibrator.thresholds();
  const score = (trace: Trace) => deviationScores(traceEvidence(profile, trace, scoring), thresholds);
  const normalScores = sets.heldOut.map(score);
  const attackScores = sets.attack.map(score);
  const normalLevels = normalScores.map((s) => s.level);
  const attackLevels = attackScores.map((s) => s.level);
  const at = (far: number) => detectionAtFalseAlarmRate(normalLevels, attackLevels, far).detection;
  const counts = profile.entryCounts();
  const used: Partial<Record<Category, number>> = {
    syscall: thresholds.categories.syscall,
    syscall_sequence: thresholds.categories.syscall_sequence,
  };
  return {
    format: options.format,
    ngram: options.ngram,
    seed: options.seed,
    traces: { train: sets.train.length, calibration: sets.calibration.length, heldOutNormal: sets.heldOut.length, attack: sets.attack.length },
    profile: { syscalls: counts.syscall, ngrams: counts.syscall_sequence },
    auc: auc(normalLevels, attackLevels),
    detectionAtFalseAlarmRate: { '0.01': at(0.01), '0.05': at(0.05), '0.1': at(0.1) },
    threshold: {
      score: ALERT_SCORE,
      targetFalseAlarmRate: scoring.targetFalseAlarmRate,
      realisedFalseAlarmRate: rateAtOrAbove(normalScores.map((s) => s.overall), ALERT_SCORE),
      detectionRate: rateAtOrAbove(attackScores.map((s) => s.overall), ALERT_SCORE),
      categoryThresholds: used,
      overallThreshold: thresholds.overall,
    },
    runtimeSeconds: (Date.now() - started) / 1000,
  };
}

export async function runEval(options: EvalOptions): Promise<EvalReport> {
  const started = Date.now();
  const sets = await loadTraceSets(options);
  return evaluate(sets, options, started);
}
