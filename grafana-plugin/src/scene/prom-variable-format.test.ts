import { describe, expect, it } from 'vitest';
import { formatPromVariable } from './prom-variable-format.js';

describe('formatPromVariable', () => {
  it('escapes a single value for an exact matcher only', () => {
    expect(formatPromVariable('system.slice/a"b', { name: 'workload', multi: false, includeAll: false })).toBe('system.slice/a\\"b');
  });
  it('regex-escapes and joins several values', () => {
    expect(formatPromVariable(['a.b', 'c+d'], { name: 'workload', multi: true, includeAll: true })).toBe('(a\\\\.b|c\\\\+d)');
    expect(formatPromVariable(['shop'], { name: 'namespace', multi: true })).toBe('shop');
  });
});
