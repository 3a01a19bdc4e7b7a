import { describe, expect, it } from 'vitest';
import { absentLabels, anyOf, by, eq, formatMatcher, parseMatchers, re, vectorSelector } from './promql.js';

describe('parseMatchers', () => {
  it('reads the matcher list users put in a selector', () => {
    expect(parseMatchers(`job="telltale", namespace=~"sec.*" ,pod!="x\\"y",zone!~"a|b"`)).toEqual([
      { name: 'job', op: '=', value: 'telltale' },
      { name: 'namespace', op: '=~', value: 'sec.*' },
      { name: 'pod', op: '!=', value: 'x"y' },
      { name: 'zone', op: '!~', value: 'a|b' },
    ]);
    expect(parseMatchers('  ')).toEqual([]);
  });

  it('names the part it cannot read', () => {
    expect(() => parseMatchers('job="telltale", instance')).toThrow(/at "instance"/);
    expect(() => parseMatchers('job=telltale')).toThrow(/at "job=telltale"/);
    expect(() => parseMatchers("job='telltale'")).toThrow(/with double quotes/);
  });
});

describe('vectorSelector', () => {
  it('quotes values so that quotes and backslashes survive', () => {
    expect(vectorSelector('telltale_anomalies_total', [eq('job', 'telltale'), re('item', '/root/\\.ssh/.*')])).toBe(
      'telltale_anomalies_total{job="telltale", item=~`/root/\\.ssh/.*`}',
    );
    expect(formatMatcher(re('item', 'a`b\\.c'))).toBe('item=~"a`b\\\\.c"');
    expect(formatMatcher(eq('workload', 'a"b'))).toBe('workload="a\\"b"');
  });

  it('refuses a label name PromQL would refuse', () => {
    expect(() => formatMatcher(eq('bad-name', 'x'))).toThrow(/not a label name/);
  });
});

describe('helpers', () => {
  it('builds grouping clauses, absent() labels and anchored alternations', () => {
    expect(by(['namespace', 'workload'])).toBe('by (namespace, workload)');
    expect(absentLabels(parseMatchers('job="telltale", namespace=~"x.*"'))).toEqual({ job: 'telltale' });
    expect(anyOf(['/etc/shadow-?', '/root/.*'])).toBe('(?:/etc/shadow-?)|(?:/root/.*)');
  });
});
