import { DEEP_WILDCARD, WILDCARD, generalizeToken, globMatches, isPattern, truncate } from './generalize-token.js';
import { generalizePath } from './generalize-path.js';

/**
 * argv generalization. Kubescape stores every argv verbatim, which is how 72 binaries
 * turn into 1,445 exec entries. Here each token is generalized like a path segment
 * (numbers, hex, UUIDs, temp names), path-like tokens like paths, `--opt=value` keeps
 * the option and generalizes the value, and an executable keeps at most a few argv
 * patterns: past that, patterns merge position by position (differing tokens become
 * `*`), and finally into `argv0 **`.
 *
 * A pattern is a list of tokens; `*` inside a token is a glob, a final `**` matches any
 * remaining tokens (including none).
 */
export type ArgvPattern = readonly string[];

export function generalizeArgvToken(token: string, maxLength: number): string {
  const cut = truncate(token, maxLength).value;
  if (cut.startsWith('/')) {
    const path = generalizePath(cut, maxLength);
    return '/' + path.segments.join('/');
  }
  const eq = cut.indexOf('=');
  if (cut.startsWith('-') && eq > 0) {
    return cut.slice(0, eq + 1) + generalizeArgvToken(cut.slice(eq + 1), maxLength);
  }
  return generalizeToken(cut);
}

/** argv → pattern; longer argv than `maxTokens` ends in `**`. argv[0] is kept as the basename only. */
export function generalizeArgv(argv: readonly string[], maxTokens: number, maxLength: number): ArgvPattern {
  const tokens: string[] = [];
  const first = argv[0] ?? '';
  tokens.push(truncate(first.slice(first.lastIndexOf('/') + 1), maxLength).value);
  for (let i = 1; i < argv.length; i++) {
    if (tokens.length >= maxTokens) {
      tokens.push(DEEP_WILDCARD);
      break;
    }
    tokens.push(generalizeArgvToken(argv[i] as string, maxLength));
  }
  return tokens;
}

export function argvPatternMatches(pattern: ArgvPattern, argv: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const token = pattern[i] as string;
    if (token === DEEP_WILDCARD && i === pattern.length - 1) return true;
    const value = argv[i];
    if (value === undefined) return false;
    if (!globMatches(token, value)) return false;
  }
  return argv.length === pattern.length;
}

/** True when `general` matches every argv that `specific` matches (tokens compared as patterns). */
export function argvPatternCovers(general: ArgvPattern, specific: ArgvPattern): boolean {
  for (let i = 0; i < general.length; i++) {
    const token = general[i] as string;
    if (token === DEEP_WILDCARD && i === general.length - 1) return true;
    const other = specific[i];
    if (other === undefined || other === DEEP_WILDCARD) return false;
    if (token === other || token === WILDCARD) continue;
    if (isPattern(other) || !globMatches(token, other)) return false;
  }
  return general.length === specific.length;
}

/** Position-wise merge of two patterns of equal length; undefined when lengths differ. */
export function mergeArgvPatterns(a: ArgvPattern, b: ArgvPattern): ArgvPattern | undefined {
  if (a.length !== b.length) return undefined;
  return a.map((token, i) => (token === b[i] ? token : WILDCARD));
}

/** For display only: tokens may contain spaces, so documents store the token arrays. */
export function renderArgvPattern(pattern: ArgvPattern): string {
  return pattern.join(' ');
}

/**
 * Adds a pattern to an executable's bounded list, folding when it is full. Returns the
 * new list; `folded` is true when the budget forced a merge.
 */
export function addArgvPattern(
  patterns: readonly ArgvPattern[],
  incoming: ArgvPattern,
  limit: number,
): { patterns: ArgvPattern[]; folded: boolean; index: number } {
  for (let i = 0; i < patterns.length; i++) {
    if (argvPatternCovers(patterns[i] as ArgvPattern, incoming)) return { patterns: [...patterns], folded: false, index: i };
  }
  // A more general newcomer swallows the patterns it covers.
  const kept = patterns.filter((p) => !argvPatternCovers(incoming, p));
  if (kept.length < limit) {
    kept.push(incoming);
    return { patterns: kept, folded: false, index: kept.length - 1 };
  }
  // Full: merge with the first same-length pattern, else fall back to "argv0 with anything".
  for (let i = 0; i < kept.length; i++) {
    const merged = mergeArgvPatterns(kept[i] as ArgvPattern, incoming);
    if (merged) {
      const next = kept.filter((p, j) => j === i || !argvPatternCovers(merged, p));
      const at = next.indexOf(kept[i] as ArgvPattern);
      next[at] = merged;
      return { patterns: next, folded: true, index: at };
    }
  }
  const anything: ArgvPattern = [incoming[0] ?? WILDCARD, DEEP_WILDCARD];
  return { patterns: [anything], folded: true, index: 0 };
}
