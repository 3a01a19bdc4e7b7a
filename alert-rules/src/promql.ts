/** Small, tested builders for the PromQL the rules are made of. */

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly name: string;
  readonly op: MatchOp;
  readonly value: string;
}

/** Labels every per-workload metric carries (metric contract). */
export const WORKLOAD_LABELS = ['namespace', 'workload', 'workload_type', 'container'] as const;

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*")\s*(?:,|$)/;

export function eq(name: string, value: string): LabelMatcher {
  return { name, op: '=', value };
}

export function re(name: string, value: string): LabelMatcher {
  return { name, op: '=~', value };
}

export function nre(name: string, value: string): LabelMatcher {
  return { name, op: '!~', value };
}

/**
 * Parses label matchers as written inside PromQL braces, e.g. `job="telltale", namespace=~"sec.*"`.
 * Values must be double-quoted; the error names the part that could not be read.
 */
export function parseMatchers(text: string): LabelMatcher[] {
  const matchers: LabelMatcher[] = [];
  let rest = text.trim();
  while (rest !== '') {
    const match = MATCHER.exec(rest);
    if (match === null) throw new Error(`cannot read a label matcher at ${JSON.stringify(rest)}; expected name="value", name=~"regex", … with double quotes`);
    const [whole, name = '', op = '=', quoted = '""'] = match;
    // PromQL strings use Go escapes; JSON's are the subset people write in selectors.
    matchers.push({ name, op: op as MatchOp, value: JSON.parse(quoted) as string });
    rest = rest.slice(whole.length).trim();
  }
  return matchers;
}

export function formatMatcher(matcher: LabelMatcher): string {
  if (!LABEL_NAME.test(matcher.name)) throw new Error(`not a label name: ${JSON.stringify(matcher.name)}`);
  // Regexes read better as raw strings (no doubled backslashes); JSON string escapes are valid
  // Go, and so PromQL, string escapes for everything else.
  const isRegex = matcher.op === '=~' || matcher.op === '!~';
  const quoted = isRegex && !matcher.value.includes('`') ? `\`${matcher.value}\`` : JSON.stringify(matcher.value);
  return `${matcher.name}${matcher.op}${quoted}`;
}

export function vectorSelector(metric: string, matchers: readonly LabelMatcher[]): string {
  return `${metric}{${matchers.map(formatMatcher).join(', ')}}`;
}

/** `by (a, b)` grouping clause. */
export function by(labels: readonly string[]): string {
  return `by (${labels.join(', ')})`;
}

/** The labels absent() copies into its result: those of equality matchers. */
export function absentLabels(matchers: readonly LabelMatcher[]): Record<string, string> {
  return Object.fromEntries(matchers.filter((matcher) => matcher.op === '=').map((matcher) => [matcher.name, matcher.value]));
}

/** One regex alternative per item, each kept as its own group so anchoring applies to all of them. */
export function anyOf(patterns: readonly string[]): string {
  return patterns.map((pattern) => `(?:${pattern})`).join('|');
}
