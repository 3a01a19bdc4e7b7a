/**
 * PromQL text primitives. Every query the app and the dashboards run is assembled from these,
 * so quoting and escaping live in exactly one place.
 */

export type MatchOperator = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOperator;
  /**
   * The value as it should appear between the quotes, before string escaping. Template
   * references such as `$namespace` pass through unchanged: Grafana (or the app's variable
   * formatter) substitutes them later.
   */
  readonly value: string;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Escapes a value for a double-quoted PromQL string literal. */
export function escapeStringLiteral(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Escapes a literal so that it matches only itself inside a `=~` regex (RE2 syntax). */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

export function matcher(label: string, op: MatchOperator, value: string): LabelMatcher {
  if (!LABEL_NAME.test(label)) {
    throw new Error(`invalid Prometheus label name: ${JSON.stringify(label)}`);
  }
  return { label, op, value };
}

export function formatMatcher(m: LabelMatcher): string {
  return `${m.label}${m.op}"${escapeStringLiteral(m.value)}"`;
}

/** `metric{a="b",c=~"d"}`; an empty matcher list gives the bare metric name. */
export function selector(metric: string, matchers: readonly LabelMatcher[] = []): string {
  if (!METRIC_NAME.test(metric)) {
    throw new Error(`invalid Prometheus metric name: ${JSON.stringify(metric)}`);
  }
  return matchers.length === 0 ? metric : `${metric}{${matchers.map(formatMatcher).join(', ')}}`;
}

/** `by (a, b)` for aggregations; validates the label names. */
export function byLabels(labels: readonly string[]): string {
  for (const label of labels) {
    if (!LABEL_NAME.test(label)) {
      throw new Error(`invalid Prometheus label name: ${JSON.stringify(label)}`);
    }
  }
  return `by (${labels.join(', ')})`;
}

export type AggregationOperator = 'sum' | 'count' | 'max' | 'min' | 'avg';

/** `sum by (a) (expr)`, or `sum(expr)` when there is nothing to group by. */
export function aggregate(op: AggregationOperator, labels: readonly string[], expr: string): string {
  return labels.length === 0 ? `${op}(${expr})` : `${op} ${byLabels(labels)} (${expr})`;
}

const DURATION_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['m', 60],
  ['s', 1],
];

/** Formats whole seconds as a PromQL duration: 5400 -> `1h30m`, 0 or less -> error. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new Error(`PromQL duration must be at least 1s, got ${seconds}`);
  }
  let rest = Math.round(seconds);
  let text = '';
  for (const [unit, size] of DURATION_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return text;
}

/**
 * A range-vector window: either a literal duration or a Grafana macro (`$__range`,
 * `$__rate_interval`, `$__interval`), which the app substitutes itself and Grafana's
 * Prometheus data source substitutes in dashboards.
 */
export type RangeWindow = '$__range' | '$__rate_interval' | '$__interval' | `${number}${'s' | 'm' | 'h' | 'd'}`;

/** Scales Unix-seconds values to milliseconds, the unit Grafana's date units expect. */
export function secondsToMilliseconds(expr: string): string {
  return `(${expr}) * 1000`;
}
