import type { Category } from '../observations/category.js';
import { CATEGORIES } from '../observations/category.js';
import type { CalibrationDocument, CategoryCalibrationDocument } from '../profiles/profile-document.js';
import type { ScoringConfig } from './scoring-config.js';
import { seededRandom } from './seeded-random.js';

/**
 * Learns, from the workload's own learning data, how much raw evidence a normal
 * window carries, and turns that into per-category thresholds: the evidence level that
 * normal windows exceeded in at most `targetFalseAlarmRate` of cases (a conformal
 * upper quantile), clamped to [thresholdFloor, thresholdCap].
 *
 * Memory is bounded: per category the `calibrationKeep` largest window values and a
 * count (only the upper tail matters for the quantile), plus a fixed-size reservoir of
 * non-quiet windows for the combined score.
 */
export type RawByCategory = Partial<Record<Category, number>>;

export interface Thresholds {
  readonly categories: Readonly<Record<Category, number>>;
  /** Threshold of the combined evidence Σ raw_c / T_c. */
  readonly overall: number;
}

const RESERVOIR_SIZE = 512;
/** Keeps a window equal to the quantile below the threshold: conformal tests are strict. */
const STRICT = 1 + 1e-9;

/** Conformal upper quantile from a descending top list over `samples` windows. */
export function upperQuantile(top: readonly number[], samples: number, falseAlarmRate: number): number {
  if (samples === 0 || top.length === 0) return 0;
  const rank = Math.max(1, Math.floor(falseAlarmRate * (samples + 1)));
  return top[Math.min(rank, top.length) - 1] as number;
}

/** Enough windows that the conformal quantile at rate α is a real bound: ⌊α(n+1)⌋ ≥ 1. */
export function certified(samples: number, falseAlarmRate: number): boolean {
  return Math.floor(falseAlarmRate * (samples + 1)) >= 1;
}

function insertTop(top: number[], value: number, keep: number): void {
  if (value <= 0) return;
  if (top.length >= keep && value <= (top[top.length - 1] as number)) return;
  let i = top.length;
  while (i > 0 && (top[i - 1] as number) < value) i--;
  top.splice(i, 0, value);
  if (top.length > keep) top.pop();
}

export class Calibrator {
  private readonly perCategory = new Map<Category, { samples: number; top: number[] }>();
  private windows = 0;
  private busyWindows = 0;
  private readonly reservoir: RawByCategory[] = [];
  private storedOverall: CategoryCalibrationDocument | undefined;
  private readonly random: () => number;

  constructor(
    private readonly config: ScoringConfig,
    seed = 1,
  ) {
    this.random = seededRandom(seed);
    for (const c of CATEGORIES) this.perCategory.set(c, { samples: 0, top: [] });
  }

  get samples(): number {
    return this.windows;
  }

  /** One calibration window: the peak raw evidence per category seen in it (absent = 0). */
  addWindow(raw: RawByCategory): void {
    this.windows += 1;
    let busy = false;
    for (const c of CATEGORIES) {
      const slot = this.perCategory.get(c) as { samples: number; top: number[] };
      slot.samples += 1;
      // Six significant digits keep stored documents readable; thresholds do not need more.
      const value = Number((raw[c] ?? 0).toPrecision(6));
      if (value > 0) busy = true;
      insertTop(slot.top, value, this.config.calibrationKeep);
    }
    if (!busy) return;
    this.busyWindows += 1;
    if (this.reservoir.length < RESERVOIR_SIZE) this.reservoir.push({ ...raw });
    else {
      const j = Math.floor(this.random() * this.busyWindows);
      if (j < RESERVOIR_SIZE) this.reservoir[j] = { ...raw };
    }
  }

  thresholds(): Thresholds {
    const alpha = this.config.targetFalseAlarmRate;
    const categories = {} as Record<Category, number>;
    for (const c of CATEGORIES) {
      const slot = this.perCategory.get(c) as { samples: number; top: number[] };
      const q = upperQuantile(slot.top, slot.samples, alpha) * STRICT;
      const floor = Math.max(this.config.thresholdFloor[c], certified(slot.samples, alpha) ? 0 : this.config.uncertifiedFloor);
      categories[c] = Math.min(this.config.thresholdCap[c], Math.max(floor, q));
    }
    const overallTop = this.overallTop(categories);
    const q = upperQuantile(overallTop.top, overallTop.samples, alpha) * STRICT;
    return { categories, overall: Math.max(1, q) };
  }

  private overallTop(categories: Record<Category, number>): CategoryCalibrationDocument {
    const top = [...(this.storedOverall?.top ?? [])];
    const keep = this.config.calibrationKeep;
    // The reservoir samples busy windows; scale the rank so the quantile counts all windows.
    const scale = this.reservoir.length > 0 ? this.busyWindows / this.reservoir.length : 1;
    const values = this.reservoir.map((raw) => combine(raw, categories)).sort((a, b) => b - a);
    for (let i = 0; i < values.length && i * scale < keep; i++) {
      const copies = Math.max(1, Math.round((i + 1) * scale) - Math.round(i * scale));
      for (let k = 0; k < copies; k++) insertTop(top, values[i] as number, keep);
    }
    return { samples: (this.storedOverall?.samples ?? 0) + this.windows - this.storedWindows, top: top.map((v) => Number(v.toPrecision(6))) };
  }

  private storedWindows = 0;

  toDocument(): CalibrationDocument {
    const thresholds = this.thresholds();
    const categories: Partial<Record<Category, CategoryCalibrationDocument>> = {};
    for (const c of CATEGORIES) {
      const slot = this.perCategory.get(c) as { samples: number; top: number[] };
      categories[c] = { samples: slot.samples, top: [...slot.top] };
    }
    return {
      targetFalseAlarmRate: this.config.targetFalseAlarmRate,
      categories,
      overall: this.overallTop(thresholds.categories),
    };
  }

  static fromDocument(doc: CalibrationDocument, config: ScoringConfig, seed = 1): Calibrator {
    const calibrator = new Calibrator({ ...config, targetFalseAlarmRate: doc.targetFalseAlarmRate }, seed);
    let windows = 0;
    for (const c of CATEGORIES) {
      const stored = doc.categories[c];
      if (!stored) continue;
      calibrator.perCategory.set(c, { samples: stored.samples, top: [...stored.top].sort((a, b) => b - a).slice(0, config.calibrationKeep) });
      windows = Math.max(windows, stored.samples);
    }
    calibrator.windows = windows;
    calibrator.storedWindows = windows;
    calibrator.storedOverall = { samples: doc.overall.samples, top: [...doc.overall.top].sort((a, b) => b - a) };
    return calibrator;
  }
}

/** Combined evidence of a window: each category's raw value in units of its threshold. */
export function combine(raw: RawByCategory, thresholds: Readonly<Record<Category, number>>): number {
  let sum = 0;
  for (const c of CATEGORIES) {
    const value = raw[c] ?? 0;
    if (value > 0) sum += value / thresholds[c];
  }
  return sum;
}
