import type { Category } from '../observations/category.js';
import { CATEGORIES } from '../observations/category.js';
import { type RawByCategory, type Thresholds, combine } from './calibrator.js';

/**
 * ## Deviation score
 *
 * Every observation the kernel reports for a workload (once per item and epoch) is
 * looked up in the workload's profile and given a **novelty weight** `w` in evidence
 * units (1 unit = enough to alert on its own on a workload whose learning was quiet):
 *
 * | observation | weight |
 * |---|---|
 * | item unknown to the profile | `B_c`: exec 1.25, capability 0.6, network 0.5, syscall 0.45, syscall_sequence 0.35, dns 0.35, file 0.25 |
 * | exec of a shell / interpreter / network tool / admin tool | × 2 / 1.6 / 1.6 / 1.6 |
 * | known binary with a new argv pattern, known path with a new access mode | `B_c` × 0.3 (shells and interpreters × 0.5) |
 * | known item seen in `s ≤ 2` learning epochs (rarity) | `B_c` × 0.25^s; 0 when seen in more epochs |
 * | new n-gram whose shortest never-seen piece has length `m` (2 = a new transition, n = a new mix of known steps) | `B_seq` × 0.5^(m−2) / (n−m+1) |
 * | new n-gram containing a never-seen syscall (`m = 1`) | 0 (the syscall category weighs the syscall) |
 *
 * The n-gram rule spreads one new piece of behaviour over the `n−m+1` n-grams that
 * contain it, so one cause counts about once, and a new transition weighs 16× more
 * than a new combination of known 5-grams (the sub-gram tables are derived from the
 * profile's n-gram table).
 *
 * Per category `c` the weights accumulate with exponential decay (half-life `h`,
 * default 10 min): `A_c(t) = Σᵢ wᵢ · 2^(−(t−tᵢ)/h)`.
 *
 * **Calibration** on the workload's own learning data: each learning epoch is scored
 * against the profile as it was before that epoch (prequential, after a warm-up), and
 * the peak `A_c` of each epoch is one calibration window. With `n` windows and target
 * false-alarm rate `α` (default 1 %), `q_c` is the ⌊α(n+1)⌋-th largest window value
 * (a conformal upper quantile; only the largest 64 values are kept). The threshold is
 * `T_c = min(cap_c, max(floor_c, q_c))` with `floor_c = 1` (0.05 for syscall_sequence)
 * once `n ≥ 1/α − 1`, and `floor_c = 1` for every category before that; `cap_exec = 1`,
 * other caps unbounded.
 *
 * **Score.** `score_c = 1 − 10^(−A_c / T_c)`, so `score_c ≥ 0.9 ⟺ A_c ≥ T_c`: on every
 * workload, 0.9 is "more evidence than this workload's own normal windows showed in all
 * but α of them". 0.99 is twice that evidence, 0.999 three times. Evidence spread over
 * categories counts too: `Z = Σ_c A_c / T_c` is calibrated the same way (`T_Z ≥ 1`), and
 * `score = 1 − 10^(−level)` with `level = max(max_c A_c / T_c, Z / T_Z)`.
 *
 * **What the constants guarantee.** One new syscall on a perfectly stable workload:
 * `A_syscall = 0.45`, its n-grams add 0, `level = 0.45` → score 0.65 < 0.9 (config
 * validation rejects a syscall floor that would break this). Three new syscalls in a
 * half-life cross 0.9. A new binary: `1.25 / min(T_exec, 1) ≥ 1.25` → ≥ 0.94 at once,
 * whatever the calibration; a new shell 2.5 → ≥ 0.997. On a program whose sequences
 * never varied in learning (UNM lpr, sendmail), three new combinations of known steps
 * or one new transition cross 0.9; on a noisy one the calibrated `T_seq` rises instead.
 * While the kernel reports event loss for the workload, `suppressed` freezes the scores
 * and no evidence is added: missing events must not look like anomalies.
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
