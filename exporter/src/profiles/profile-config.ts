/**
 * Generalization rules and the size budget of one profile. Every knob is documented
 * here because operators tune them from the exporter configuration.
 */
export interface ProfileConfig {
  /**
   * One budget for the whole profile: the total number of entries over all categories
   * (argv patterns count as entries of their exec). When it is reached, the category
   * that wants to grow first collapses its widest directory or suffix into a wildcard;
   * if nothing can collapse, the item is remembered only in a fixed-size overflow
   * filter (so it does not alert again) and counted as overflow. Memory never grows
   * past the budget.
   */
  readonly maxEntries: number;
  /** A directory with more distinct children than this collapses to `dir/*`. */
  readonly pathFanout: number;
  /** Per-directory overrides of `pathFanout`, e.g. `/etc` holds many legitimately distinct files. */
  readonly pathFanoutOverrides: Readonly<Record<string, number>>;
  /** Distinct argv patterns kept per executable before they merge position by position. */
  readonly argvPatternsPerExe: number;
  /** argv tokens kept; the rest of a longer argv becomes a trailing `**`. */
  readonly maxArgvTokens: number;
  /** Longest string stored (paths, argv tokens, names); longer ones are cut and counted. */
  readonly maxStringLength: number;
  /** Distinct peer addresses per (direction, protocol, port) before they fold into a CIDR. */
  readonly peerAddressFanout: number;
  /** Prefix lengths used when peer addresses fold: IPv4 and IPv6. */
  readonly peerCidrBitsV4: number;
  readonly peerCidrBitsV6: number;
  /** Distinct labels directly under one DNS suffix before they fold into `*.suffix`. */
  readonly dnsFanout: number;
  /** Syscall n-gram length (must match the kernel's). */
  readonly ngramLength: number;
}

export const DEFAULT_PROFILE_CONFIG: ProfileConfig = {
  maxEntries: 40_000,
  pathFanout: 50,
  pathFanoutOverrides: { '/etc': 100 },
  argvPatternsPerExe: 16,
  maxArgvTokens: 32,
  maxStringLength: 512,
  peerAddressFanout: 16,
  peerCidrBitsV4: 24,
  peerCidrBitsV6: 64,
  dnsFanout: 32,
  ngramLength: 6,
};

export const MAX_NGRAM_LENGTH = 7;
export const MAX_SYSCALL_NR = 511;

export function resolveProfileConfig(overrides: Partial<ProfileConfig> = {}): ProfileConfig {
  const config: ProfileConfig = { ...DEFAULT_PROFILE_CONFIG, ...overrides };
  const positive: (keyof ProfileConfig)[] = [
    'maxEntries',
    'pathFanout',
    'argvPatternsPerExe',
    'maxArgvTokens',
    'maxStringLength',
    'peerAddressFanout',
    'dnsFanout',
  ];
  for (const key of positive) {
    const value = config[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new Error(`profile config: ${key} must be a positive integer, got ${String(value)}`);
    }
  }
  if (!Number.isInteger(config.ngramLength) || config.ngramLength < 2 || config.ngramLength > MAX_NGRAM_LENGTH) {
    throw new Error(`profile config: ngramLength must be an integer in 2..${MAX_NGRAM_LENGTH}, got ${config.ngramLength}`);
  }
  if (config.peerCidrBitsV4 < 0 || config.peerCidrBitsV4 > 32 || config.peerCidrBitsV6 < 0 || config.peerCidrBitsV6 > 128) {
    throw new Error('profile config: peerCidrBitsV4 must be in 0..32 and peerCidrBitsV6 in 0..128');
  }
  return config;
}
