import type { Category } from '../observations/category.js';
import { CATEGORIES } from '../observations/category.js';
import { type RawByCategory, type Thresholds, combine } from './calibrator.js';

/**
 * ## Deviation score
 *
 * Every observation the kernel reports for a workload (once per item and epoch) is
 * looked up in the workload's profile and given a **novelty weight** `w` in evidence
 * units (1 unit = enough to alert on its own on a quiet workload):
 *
 * | observation | weight |
 * |---|---|
 * | item unknown to the profile | `B_c` (exec 1.25, capability 0.6, network 0.5, syscall 0.45, dns 0.35, file 0.25, syscall_sequence 0.1) |
 * | exec of a shell / interpreter / network or admin tool | × 2 / 1.6 / 1.6 / 1.6 |
 * | known binary with a new argv pattern, known path with a new access mode | `B_c` × 0.3 (shells and interpreters × 0.5) |
 * | known item seen in `s ≤ 2` learning epochs | `B_c` × 0.25^s (rarity); 0 when seen more often |
 * | new syscall n-gram whose shortest unseen piece has length `m` | `B_c` × 0.5^(m−1) (an unknown syscall or transition weighs more than a new mix of known steps) |
 *
 * Per category `c` the weights accumulate with exponential decay (half-life `h`, default
 * 10 min): `A_c(t) = Σ wᵢ · 2^(−(t−tᵢ)/h)`.
 *
 * **Calibration.** While the profile learns, each epoch is scored against the profile
 * as it was before that epoch (prequential), and the peak `A_c` of each epoch is a
 * calibration window. The threshold `T_c` is the conformal upper quantile at the target
 * false-alarm rate `α` (default 1 %): the ⌊α(n+1)⌋-th largest of `n` window values,
 * clamped to `[1, cap_c]` (`cap_exec = 1`, others unbounded).
 *
 * **Score.** `score_c = 1 − 10^(−A_c / T_c)`, so `score_c ≥ 0.9 ⟺ A_c ≥ T_c`: a score of
 * 0.9 means "more evidence than this workload's own normal windows showed in all but α
 * of cases" on every workload. 0.99 means twice that evidence, 0.999 three times.
 * The overall score also counts evidence spread over categories:
 * `Z = Σ_c A_c / T_c`, calibrated the same way (`T_Z ≥ 1`), and
 * `score = max(max_c score_c, 1 − 10^(−Z / T_Z))`.
 *
 * **Consequences of the constants.** One new syscall on a perfectly stable workload is
 * `0.45 / 1` → score 0.65, below the 0.9 alert threshold; two within a half-life cross
 * it. A new binary is `1.25 / min(T_exec, 1)` → ≥ 0.94 at once, a new shell 2.5 →
 * ≥ 0.997. While the kernel reports event loss the scores are frozen (`suppressed`):
 * missing events must not look like anomalies.
 */
export function scoreFromEvidence(evidence: number, threshold: number): number {
  if (!(evidence > 0)) return 0;
  return 1 - 10 ** (-evidence / threshold);
}

export interface DeviationScores {
  readonly overall: number;
  /**
   * The overall evidence in threshold units: `overall = 1 − 10^(−level)`. Same order as
   * `overall` but never saturates at 1.0 in floating point, so it ranks strong anomalies.
   */
  readonly level: number;
  readonly categories: Readonly<Record<Category, number>>;
}

export function deviationScores(raw: RawByCategory, thresholds: Thresholds): DeviationScores {
  const categories = {} as Record<Category, number>;
  let level = 0;
  for (const c of CATEGORIES) {
    const value = raw[c] ?? 0;
    categories[c] = scoreFromEvidence(value, thresholds.categories[c]);
    level = Math.max(level, value / thresholds.categories[c]);
  }
  level = Math.max(level, combine(raw, thresholds.categories) / thresholds.overall);
  return { overall: scoreFromEvidence(level, 1), level, categories };
}
