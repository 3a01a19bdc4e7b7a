import type { LearningPeriodOverride } from '../profiles/profile-engine.js';
import { DEFAULT_PROFILE_CONFIG } from '../profiles/profile-config.js';
import { parseDuration } from './duration.js';
import { booleanValue, ConfigError, listValue, stringValue, type FlagValues } from './cli-flag.js';
import { durationFlag, integerFlag } from './run-config.js';

/**
 * Epochs per learning period when --epoch-interval is auto. Each learning epoch after
 * the warm-up is one calibration window, and the 1 % quantile needs 1/0.01 − 1 = 99 of
 * them before it is a real bound: 128 − 8 leaves 120 by the end of the period.
 */
export const EPOCHS_PER_LEARNING_PERIOD = 128;

/** The generalization rules and budget operators may tune; the rest stay at their defaults. */
export interface GeneralizationSettings {
  readonly maxEntries: number;
  readonly pathFanout: number;
  readonly pathFanoutOverrides: Readonly<Record<string, number>>;
  readonly argvPatternsPerExe: number;
  readonly peerAddressFanout: number;
  readonly dnsFanout: number;
  readonly maxArgvTokens: number;
  readonly maxStringLength: number;
  readonly peerCidrBitsV4: number;
  readonly peerCidrBitsV6: number;
}

export interface ProfileRunConfig {
  readonly generalization: GeneralizationSettings;
  readonly stableAfterMs: number;
  readonly learningPeriodOverrides: readonly LearningPeriodOverride[];
  readonly keepLearning: boolean;
  readonly epochIntervalMs: number;
  readonly saveIntervalMs: number;
  readonly idleUnloadMs: number;
  readonly halfLifeSeconds: number;
  readonly lossSuppressMs: number;
  readonly findingThreshold: number;
  readonly recentItems: number;
}

/** `*` matches anything (slashes included); everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function parseFanoutOverrides(values: FlagValues): Record<string, number> {
  const given = listValue(values, 'path-fanout-override');
  if (given.length === 0) return { ...DEFAULT_PROFILE_CONFIG.pathFanoutOverrides };
  const overrides: Record<string, number> = {};
  for (const text of given) {
    const match = /^(\/[^=]*)=(\d+)$/.exec(text);
    if (!match || Number(match[2]) < 1) throw new ConfigError(`--path-fanout-override ${JSON.stringify(text)}: expected an absolute DIR=N, e.g. "/etc=100"`);
    overrides[(match[1] ?? '/').replace(/(.)\/$/, '$1')] = Number(match[2]);
  }
  return overrides;
}

function parseOverride(text: string): LearningPeriodOverride {
  const at = text.lastIndexOf('=');
  const glob = at > 0 ? text.slice(0, at) : '';
  const periodMs = at > 0 ? parseDuration(text.slice(at + 1)) : undefined;
  if (!glob || periodMs === undefined || periodMs < 1000) {
    throw new ConfigError(`--learning-period-override ${JSON.stringify(text)}: expected GLOB=DURATION, e.g. "prod/deployment/*/*=72h"`);
  }
  return { pattern: globToRegExp(glob), periodMs };
}

export function profileRunConfig(values: FlagValues, learningPeriodMs: number): ProfileRunConfig {
  const epochText = stringValue(values, 'epoch-interval') ?? 'auto';
  const epochIntervalMs = epochText === 'auto' ? Math.min(30 * 60_000, Math.max(1000, Math.round(learningPeriodMs / EPOCHS_PER_LEARNING_PERIOD))) : durationFlag(values, 'epoch-interval', 1000);
  const thresholdText = stringValue(values, 'finding-threshold') ?? '0.9';
  const findingThreshold = Number(thresholdText);
  if (!Number.isFinite(findingThreshold) || findingThreshold <= 0 || findingThreshold >= 1) {
    throw new ConfigError(`--finding-threshold ${JSON.stringify(thresholdText)}: expected a score between 0 and 1`);
  }
  return {
    generalization: {
      maxEntries: integerFlag(values, 'profile-budget', 100, 10_000_000),
      pathFanout: integerFlag(values, 'path-fanout', 2, 1_000_000),
      pathFanoutOverrides: parseFanoutOverrides(values),
      argvPatternsPerExe: integerFlag(values, 'argv-patterns', 1, 1000),
      peerAddressFanout: integerFlag(values, 'peer-fanout', 1, 1_000_000),
      dnsFanout: integerFlag(values, 'dns-fanout', 1, 1_000_000),
      maxArgvTokens: integerFlag(values, 'argv-tokens', 1, 4096),
      maxStringLength: integerFlag(values, 'max-string-length', 16, 65_536),
      peerCidrBitsV4: integerFlag(values, 'peer-cidr-v4', 0, 32),
      peerCidrBitsV6: integerFlag(values, 'peer-cidr-v6', 0, 128),
    },
    stableAfterMs: durationFlag(values, 'stable-after', 1000),
    learningPeriodOverrides: listValue(values, 'learning-period-override').map(parseOverride),
    keepLearning: booleanValue(values, 'keep-learning'),
    epochIntervalMs,
    saveIntervalMs: durationFlag(values, 'save-interval', 100),
    halfLifeSeconds: durationFlag(values, 'score-half-life', 1000) / 1000,
    lossSuppressMs: durationFlag(values, 'loss-suppress', 0),
    idleUnloadMs: durationFlag(values, 'profile-idle-unload', 0),
    findingThreshold,
    recentItems: integerFlag(values, 'recent-items', 1, 1000),
  };
}
