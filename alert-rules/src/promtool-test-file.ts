import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { durationSeconds } from './duration.js';

/**
 * promtool unit-test files (Prometheus 2.42 `promtool test rules`), read back so the coverage
 * checks can see which series each test feeds and when each alert is checked.
 */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export interface AlertRuleTest {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts?: readonly unknown[];
}

export interface PromtoolTestGroup {
  readonly interval?: string;
  readonly input_series?: readonly InputSeries[];
  readonly alert_rule_test?: readonly AlertRuleTest[];
  readonly promql_expr_test?: ReadonlyArray<{ readonly expr: string }>;
}

export interface PromtoolTestFile {
  readonly tests?: readonly PromtoolTestGroup[];
}

export async function readPromtoolTestFile(path: string): Promise<PromtoolTestFile> {
  return parse(await readFile(path, 'utf8')) as PromtoolTestFile;
}

export interface SeriesDescriptor {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** `metric{a="x", b="y"}` as written in input_series (double-quoted values, Go escapes). */
export function parseSeriesDescriptor(text: string): SeriesDescriptor {
  const match = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?\s*$/s.exec(text);
  if (match === null) throw new Error(`not a series descriptor: ${text}`);
  const [, metric = '', body = ''] = match;
  const labels: Record<string, string> = {};
  const pair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
  let at = 0;
  while (at < body.length) {
    pair.lastIndex = at;
    const found = pair.exec(body);
    if (found === null) {
      if (body.slice(at).trim() === '') break;
      throw new Error(`cannot read the labels of ${text} at ${JSON.stringify(body.slice(at))}`);
    }
    const [whole, name = '', quoted = ''] = found;
    labels[name] = JSON.parse(`"${quoted}"`) as string;
    at += whole.length;
  }
  return { metric, labels };
}

/** One step of an input series: a value, no sample (`_`), or a staleness marker (`stale`). */
export type Sample = number | 'missing' | 'stale';

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const EXPANDING = new RegExp(`^(${NUMBER})(?:([+-])(${NUMBER}))?x(\\d+)$`);

/**
 * promtool's expanding notation: `a+bxn` and `a-bxn` are n+1 values from a in steps of b,
 * `axn` is a repeated n+1 times, `_xn` is n steps without a sample, `_` one, `stale` a marker.
 */
export function expandValues(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const token of text.trim().split(/\s+/).filter(Boolean)) {
    if (token === '_') samples.push('missing');
    else if (token === 'stale') samples.push('stale');
    else if (/^_x\d+$/.test(token)) samples.push(...Array.from({ length: Number(token.slice(2)) }, (): Sample => 'missing'));
    else {
      const expanding = EXPANDING.exec(token);
      if (expanding !== null) {
        const [, start = '0', sign = '+', step = '0', times = '0'] = expanding;
        const delta = (sign === '-' ? -1 : 1) * Number(step);
        for (let i = 0; i <= Number(times); i++) samples.push(Number(start) + i * delta);
      } else if (new RegExp(`^${NUMBER}$`).test(token)) samples.push(Number(token));
      else throw new Error(`cannot read the series value ${JSON.stringify(token)} in ${JSON.stringify(text)}`);
    }
  }
  return samples;
}

/** Prometheus 2.42's default lookback: an instant query sees a sample at most this old. */
const LOOKBACK_SECONDS = 300;

/** Whether an instant query at `atSeconds` sees the series (its latest sample within the lookback, not stale). */
export function presentAt(samples: readonly Sample[], intervalSeconds: number, atSeconds: number): boolean {
  for (let step = Math.min(Math.floor(atSeconds / intervalSeconds), samples.length - 1); step >= 0; step--) {
    if (atSeconds - step * intervalSeconds > LOOKBACK_SECONDS) return false;
    const sample = samples[step];
    if (sample === 'stale') return false;
    if (typeof sample === 'number') return true;
  }
  return false;
}

/** A group's sample interval in seconds (promtool's default is 1m). */
export function groupIntervalSeconds(group: PromtoolTestGroup): number {
  return durationSeconds(group.interval ?? '1m');
}
