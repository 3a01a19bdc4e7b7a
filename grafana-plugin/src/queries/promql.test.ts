import { describe, expect, it } from 'vitest';
import { aggregate, byLabels, escapeRegex, escapeStringLiteral, formatDuration, formatMatcher, matcher, secondsToMilliseconds, selector } from './promql.js';

describe('escapeStringLiteral', () => {
  it('escapes backslashes, double quotes and newlines', () => {
    expect(escapeStringLiteral('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
  it('leaves template references alone', () => {
    expect(escapeStringLiteral('$namespace')).toBe('$namespace');
  });
});

describe('escapeRegex', () => {
  it('escapes every RE2 metacharacter so the value matches only itself', () => {
    expect(escapeRegex('system.slice/a+b(1)[x]{2}|^$?*\\')).toBe(
      'system\\.slice/a\\+b\\(1\\)\\[x\\]\\{2\\}\\|\\^\\$\\?\\*\\\\',
    );
  });
});

describe('selector', () => {
  it('renders matchers in order with escaped values', () => {
    expect(selector('telltale_deviation_score', [matcher('workload', '=', 'a"b'), matcher('namespace', '=~', '$namespace')])).toBe(
      'telltale_deviation_score{workload="a\\"b", namespace=~"$namespace"}',
    );
  });
  it('gives the bare name without matchers', () => {
    expect(selector('telltale_build_info')).toBe('telltale_build_info');
  });
  it('rejects names that are not metric or label names', () => {
    expect(() => selector('bad-name')).toThrow(/invalid Prometheus metric name: "bad-name"/);
    expect(() => matcher('0label', '=', 'x')).toThrow(/invalid Prometheus label name: "0label"/);
    expect(() => byLabels(['ok', 'not ok'])).toThrow(/"not ok"/);
  });
});

describe('formatMatcher', () => {
  it('quotes and escapes the value after the operator', () => {
    expect(formatMatcher(matcher('item', '!~', 'C:\\tmp "x"'))).toBe('item!~"C:\\\\tmp \\"x\\""');
    expect(formatMatcher(matcher('container', '=', ''))).toBe('container=""');
  });
});

describe('aggregate', () => {
  it('groups by the labels given, or not at all', () => {
    expect(aggregate('sum', ['a', 'b'], 'x')).toBe('sum by (a, b) (x)');
    expect(aggregate('count', [], 'x == 1')).toBe('count(x == 1)');
    expect(() => aggregate('max', ['a-b'], 'x')).toThrow(/invalid Prometheus label name: "a-b"/);
  });
});

describe('secondsToMilliseconds', () => {
  it('scales the whole expression, comparisons included', () => {
    expect(secondsToMilliseconds('x > time() - 60')).toBe('(x > time() - 60) * 1000');
  });
});

describe('formatDuration', () => {
  it('uses the largest units first', () => {
    expect(formatDuration(5400)).toBe('1h30m');
    expect(formatDuration(90_061)).toBe('1d1h1m1s');
    expect(formatDuration(60)).toBe('1m');
    expect(formatDuration(14.6)).toBe('15s');
  });
  it('refuses durations below one second', () => {
    expect(() => formatDuration(0)).toThrow(/at least 1s, got 0/);
    expect(() => formatDuration(Number.NaN)).toThrow(/NaN/);
  });
});
