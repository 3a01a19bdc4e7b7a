/**
 * Rules that turn volatile parts of a path segment, argv token or DNS label into `*`.
 * They run before anything is stored, so `/proc/4242/stat`, `/tmp/tmpa8Fk2Zq` and
 * `job-3f2a…-uuid` each become one pattern instead of one entry per run.
 *
 * A `*` in a stored pattern matches any run of characters inside one segment.
 */
export const WILDCARD = '*';
/** As the last segment of a path pattern: any one or more further segments. */
export const DEEP_WILDCARD = '**';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const ALL_DIGITS = /^\d+$/;
const DIGIT_OR_UPPER = /[\dA-Z]/;
/** Long hex runs: container ids, hashes, addresses. Must contain a digit so words like "deadbeef" fit only when long. */
const HEX_RUN = /(?<![0-9a-z])(?:0x)?(?=[0-9a-f]*\d)[0-9a-f]{8,}(?![0-9a-z])/gi;
/** Digit runs of four or more inside a token: timestamps, pids, counters (`app-20240101.log`, `core.31337`). */
const DIGIT_RUN = /\d{4,}/g;
/** mkstemp-style random suffix after a separator or a `tmp` prefix: `tmp.Xy12AbQ`, `sh-thd.a8Jkq2`. */
const RANDOM_SUFFIX = /(^tmp|^temp|[._-])([A-Za-z0-9]{6,})$/i;

function looksRandom(s: string): boolean {
  const hasDigit = /\d/.test(s);
  const hasLower = /[a-z]/.test(s);
  const hasUpper = /[A-Z]/.test(s);
  return (hasDigit && (hasLower || hasUpper)) || (hasLower && hasUpper && !/^[A-Z][a-z]+$/.test(s));
}

/** Collapses consecutive wildcards so `**` never appears inside a single-segment pattern. */
function squeeze(s: string): string {
  return s.replace(/\*{2,}/g, WILDCARD);
}

/**
 * Generalizes one segment. Pure numbers and whole UUIDs become `*`; embedded UUIDs,
 * long hex runs, long digit runs and random temp suffixes become `*` in place.
 */
export function generalizeToken(token: string): string {
  if (token === '' || token === WILDCARD) return token;
  // Fast path: every rule needs a digit or an upper-case letter, except a digit-free UUID.
  if (token.length < 36 && !DIGIT_OR_UPPER.test(token)) return token;
  if (ALL_DIGITS.test(token)) return WILDCARD;
  let out = token.replace(UUID, WILDCARD).replace(HEX_RUN, WILDCARD).replace(DIGIT_RUN, WILDCARD);
  const random = RANDOM_SUFFIX.exec(out);
  if (random && random[2] !== undefined && looksRandom(random[2])) {
    out = out.slice(0, out.length - random[2].length) + WILDCARD;
  }
  return squeeze(out);
}

/** True when the token carries a wildcard and so must be matched as a glob. */
export function isPattern(token: string): boolean {
  return token.includes(WILDCARD);
}

const globCache = new Map<string, RegExp>();
const GLOB_CACHE_LIMIT = 4096;

/** Compiles a single-segment glob (`*` = any run of characters). Cached, bounded. */
export function globToRegExp(pattern: string): RegExp {
  const cached = globCache.get(pattern);
  if (cached) return cached;
  const source = pattern
    .split(WILDCARD)
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const re = new RegExp(`^${source}$`, 's');
  if (globCache.size >= GLOB_CACHE_LIMIT) globCache.clear();
  globCache.set(pattern, re);
  return re;
}

export function globMatches(pattern: string, value: string): boolean {
  if (!isPattern(pattern)) return pattern === value;
  if (pattern === WILDCARD) return true;
  return globToRegExp(pattern).test(value);
}

/** Cuts a string to `max` characters; reports whether it was cut so the caller can count it. */
export function truncate(value: string, max: number): { value: string; truncated: boolean } {
  if (value.length <= max) return { value, truncated: false };
  return { value: value.slice(0, max), truncated: true };
}
