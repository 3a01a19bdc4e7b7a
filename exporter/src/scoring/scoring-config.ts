import type { Category } from '../observations/category.js';
import type { ExecClass } from './exec-classes.js';

/**
 * Every number in the deviation score, in one place. Weights are in evidence units:
 * 1.0 is "enough to alert on its own" on a workload whose learning data was quiet,
 * because the per-category threshold never drops below `thresholdFloor` (1.0).
 */
export interface ScoringConfig {
  /** Weight of an item whose category entry is entirely unknown to the profile. */
  readonly novelWeight: Readonly<Record<Category, number>>;
  /** Multipliers for execs of special binaries (see exec-classes.ts). */
  readonly execClassFactor: Readonly<Record<ExecClass, number>>;
  /** A known binary with a new argv pattern, or a known path with a new access mode, weighs this share. */
  readonly partialFactor: number;
  /** The same for shells and interpreters, whose argv is the payload. */
  readonly specialPartialFactor: number;
  /**
   * Rarity: a known item seen in `s` of `N` learning epochs weighs
   * `novelWeight · rareFactor^s` while s ≤ `rareSupport` (0 above). Smoothes the edge
   * between "seen once" and "never seen".
   */
  readonly rareFactor: number;
  readonly rareSupport: number;
  /**
   * syscall_sequence context: a new n-gram whose shortest unseen piece has length m
   * (1 = unknown syscall, 2 = unknown transition, …, n = only the whole n-gram is new)
   * weighs `novelWeight · contextDecay^(m-1)`.
   */
  readonly contextDecay: number;
  /**
   * false: every new n-gram weighs `novelWeight.syscall_sequence` (stide under kernel
   * dedup). Kept for comparisons in `telltale eval`; the context weighting is better.
   */
  readonly sequenceContext: boolean;
  /**
   * Length robustness: a window's raw evidence is divided by
   * `(1 + exposure/exposureScale)^exposurePower`, where exposure counts the distinct
   * items (known or not) the category saw in the window. 0 disables it.
   */
  readonly exposurePower: number;
  readonly exposureScale: Readonly<Record<Category, number>>;
  /** Half-life of accumulated evidence, seconds. */
  readonly halfLifeSeconds: number;
  /** The false-alarm rate per calibration window that score 0.9 stands for. */
  readonly targetFalseAlarmRate: number;
  /**
   * Per-category minimum threshold once calibration is certified (at least 1/α − 1
   * windows, so "no normal window ever showed this" really means a rate below α).
   * 1 unit everywhere except syscall_sequence: on a program whose sequences never
   * varied in learning, a few new combinations of known steps are already telling
   * (stide's lesson), while a single new syscall must never page.
   */
  readonly thresholdFloor: Readonly<Record<Category, number>>;
  /** Minimum threshold of every category while calibration has too few windows to certify α. */
  readonly uncertifiedFloor: number;
  /** Thresholds never rise above this per category (Infinity = no cap): exec is capped so a new binary always alerts. */
  readonly thresholdCap: Readonly<Record<Category, number>>;
  /** Largest calibration values kept per category (bounded memory). */
  readonly calibrationKeep: number;
}

export const DEFAULT_SCORING_CONFIG: ScoringConfig = {
  novelWeight: {
    exec: 1.25,
    file: 0.25,
    syscall: 0.45,
    syscall_sequence: 0.35,
    network: 0.5,
    dns: 0.35,
    capability: 0.6,
  },
  execClassFactor: { shell: 2, interpreter: 1.6, 'network-tool': 1.6, 'admin-tool': 1.6, other: 1 },
  partialFactor: 0.3,
  specialPartialFactor: 0.5,
  rareFactor: 0.25,
  rareSupport: 2,
  contextDecay: 0.5,
  sequenceContext: true,
  exposurePower: 0,
  exposureScale: { exec: 8, file: 64, syscall: 32, syscall_sequence: 256, network: 8, dns: 8, capability: 4 },
  halfLifeSeconds: 600,
  targetFalseAlarmRate: 0.01,
  thresholdFloor: { exec: 1, file: 1, syscall: 1, syscall_sequence: 0.05, network: 1, dns: 1, capability: 1 },
  uncertifiedFloor: 1,
  thresholdCap: {
    exec: 1,
    file: Infinity,
    syscall: Infinity,
    syscall_sequence: Infinity,
    network: Infinity,
    dns: Infinity,
    capability: Infinity,
  },
  calibrationKeep: 64,
};

export function resolveScoringConfig(overrides: Partial<ScoringConfig> = {}): ScoringConfig {
  const config: ScoringConfig = { ...DEFAULT_SCORING_CONFIG, ...overrides };
  const check = (ok: boolean, message: string): void => {
    if (!ok) throw new Error(`scoring config: ${message}`);
  };
  check(config.targetFalseAlarmRate > 0 && config.targetFalseAlarmRate < 1, 'targetFalseAlarmRate must be in (0,1)');
  check(config.halfLifeSeconds > 0, 'halfLifeSeconds must be positive');
  check(Object.values(config.thresholdFloor).every((v) => v > 0), 'thresholdFloor values must be positive');
  check(config.uncertifiedFloor > 0, 'uncertifiedFloor must be positive');
  check(config.thresholdFloor.syscall > config.novelWeight.syscall, 'thresholdFloor.syscall must exceed novelWeight.syscall (one new syscall must not page)');
  check(config.rareFactor >= 0 && config.rareFactor < 1, 'rareFactor must be in [0,1)');
  check(config.contextDecay > 0 && config.contextDecay <= 1, 'contextDecay must be in (0,1]');
  check(Number.isInteger(config.calibrationKeep) && config.calibrationKeep >= 1, 'calibrationKeep must be a positive integer');
  for (const [category, weight] of Object.entries(config.novelWeight)) check(weight >= 0, `novelWeight.${category} must be ≥ 0`);
  return config;
}
