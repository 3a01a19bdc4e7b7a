import type { Category } from '../observations/category.js';
import { CATEGORIES } from '../observations/category.js';
import type { ObserveContext } from '../profiles/entry-stats.js';
import type { Observation } from '../profiles/observation.js';
import type { ProfileMatch, WorkloadProfile } from '../profiles/profile-model.js';
import { Calibrator, type RawByCategory } from './calibrator.js';
import type { ScoringConfig } from './scoring-config.js';
import { WorkloadScorer } from './workload-scorer.js';

/**
 * Calibration from the workload's own learning data, prequentially: each observation
 * is scored against the profile as it was before the observation was learned, with
 * the same weights and decay as live scoring, and each epoch's peak evidence becomes
 * one calibration window. The first `warmupEpochs` epochs are skipped (everything is
 * new then). Later learning epochs see a profile smaller than the final one, so the
 * estimate errs towards higher thresholds, i.e. fewer false alarms.
 *
 * The engine routes learning observations through `observe` instead of calling
 * `profile.observe` itself, and calls `endEpoch` when it bumps the epoch.
 */
export class LearningCalibration {
  readonly calibrator: Calibrator;
  private readonly shadow: WorkloadScorer;
  private peak: RawByCategory = {};
  private epoch: number | undefined;

  constructor(
    config: ScoringConfig,
    private readonly warmupEpochs = 8,
    seed = 1,
    /** Windows collected before a restart, so learning resumes with them. */
    calibrator?: Calibrator,
  ) {
    this.calibrator = calibrator ?? new Calibrator(config, seed);
    const neutral = Object.fromEntries(CATEGORIES.map((c) => [c, 1])) as Record<Category, number>;
    this.shadow = new WorkloadScorer(config, { categories: neutral, overall: 1 });
  }

  observe(profile: WorkloadProfile, obs: Observation, ctx: ObserveContext): ProfileMatch {
    if (this.epoch !== undefined && ctx.epoch !== this.epoch) this.endEpoch(profile, ctx.time);
    this.epoch = ctx.epoch;
    const counted = profile.epochs >= this.warmupEpochs;
    const match = profile.observe(obs, ctx);
    if (counted) {
      this.shadow.observe(obs, match, ctx.time);
      this.updatePeak(ctx.time);
    }
    return match;
  }

  /** Closes the current epoch as a calibration window; quiet epochs count too, once warm-up is over. */
  endEpoch(profile: WorkloadProfile, timeMs: number): void {
    this.updatePeak(timeMs);
    if (profile.epochs > this.warmupEpochs) this.calibrator.addWindow(this.peak);
    this.peak = {};
    this.epoch = undefined;
  }

  private updatePeak(timeMs: number): void {
    const raw = this.shadow.rawAt(timeMs);
    for (const c of CATEGORIES) if ((raw[c] ?? 0) > (this.peak[c] ?? 0)) this.peak[c] = raw[c];
  }
}
