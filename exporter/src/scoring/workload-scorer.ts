import type { Category } from '../observations/category.js';
import { CATEGORIES } from '../observations/category.js';
import type { Observation } from '../profiles/observation.js';
import type { ProfileMatch } from '../profiles/profile-model.js';
import type { Thresholds } from './calibrator.js';
import { DecayingAccumulator } from './decaying-accumulator.js';
import { type DeviationScores, deviationScores } from './deviation-score.js';
import { noveltyWeight } from './novelty-weight.js';
import type { ScoringConfig } from './scoring-config.js';

/**
 * The live scores of one (workload, container): decaying evidence per category and the
 * calibrated mapping to [0,1]. The engine feeds it every observation with the profile's
 * match and reads a snapshot when metrics are scraped.
 */
export interface ScoreSnapshot extends DeviationScores {
  /** Raw evidence per category after exposure normalization. */
  readonly raw: Readonly<Record<Category, number>>;
  /** True while scores are frozen because the kernel lost events for this workload. */
  readonly suppressed: boolean;
}

export class WorkloadScorer {
  private readonly evidence = new Map<Category, DecayingAccumulator>();
  private readonly exposure = new Map<Category, DecayingAccumulator>();
  private frozen: ScoreSnapshot | undefined;

  constructor(
    private readonly config: ScoringConfig,
    private thresholds: Thresholds,
  ) {
    for (const c of CATEGORIES) {
      this.evidence.set(c, new DecayingAccumulator(config.halfLifeSeconds * 1000));
      this.exposure.set(c, new DecayingAccumulator(config.halfLifeSeconds * 1000));
    }
  }

  /** New calibration (e.g. after the profile was re-learned); evidence is kept. */
  setThresholds(thresholds: Thresholds): void {
    this.thresholds = thresholds;
  }

  get isSuppressed(): boolean {
    return this.frozen !== undefined;
  }

  /**
   * Freezes (true) or releases (false) the scores. While frozen, observations add no
   * evidence: a window with missing events is not evidence of anything.
   */
  setSuppressed(suppressed: boolean, timeMs: number): void {
    if (suppressed && !this.frozen) this.frozen = { ...this.compute(timeMs), suppressed: true };
    if (!suppressed && this.frozen) {
      this.frozen = undefined;
      for (const acc of this.evidence.values()) acc.reset();
    }
  }

  /** Scores one observation; returns its weight (0 while suppressed). */
  observe(obs: Observation, match: ProfileMatch, timeMs: number): number {
    if (this.frozen) return 0;
    const weight = noveltyWeight(obs, match, this.config);
    this.addEvidence(obs.category, weight, timeMs);
    return weight;
  }

  /** Adds raw evidence directly (one item of exposure). */
  addEvidence(category: Category, weight: number, timeMs: number): void {
    if (this.frozen) return;
    (this.exposure.get(category) as DecayingAccumulator).add(1, timeMs);
    if (weight > 0) (this.evidence.get(category) as DecayingAccumulator).add(weight, timeMs);
  }

  /** Raw evidence per category, normalized by exposure when configured. */
  rawAt(timeMs: number): Record<Category, number> {
    const raw = {} as Record<Category, number>;
    for (const c of CATEGORIES) {
      const value = (this.evidence.get(c) as DecayingAccumulator).valueAt(timeMs);
      raw[c] = normalizeByExposure(value, (this.exposure.get(c) as DecayingAccumulator).valueAt(timeMs), c, this.config);
    }
    return raw;
  }

  snapshot(timeMs: number): ScoreSnapshot {
    return this.frozen ?? this.compute(timeMs);
  }

  private compute(timeMs: number): ScoreSnapshot {
    const raw = this.rawAt(timeMs);
    return { ...deviationScores(raw, this.thresholds), raw, suppressed: false };
  }
}

export function normalizeByExposure(value: number, exposure: number, category: Category, config: ScoringConfig): number {
  if (value === 0 || config.exposurePower === 0) return value;
  return value / (1 + exposure / config.exposureScale[category]) ** config.exposurePower;
}
