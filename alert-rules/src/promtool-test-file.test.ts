import { describe, expect, it } from 'vitest';
import { expandValues, parseSeriesDescriptor, presentAt } from './promtool-test-file.js';

describe('promtool input series', () => {
  it('expand like promtool: axn and a+bxn are n+1 values, _xn is n gaps', () => {
    expect(expandValues('_x2 120 0.95x2 0+10x2 5-1x1 -1200 stale _')).toEqual([
      'missing', 'missing', 120, 0.95, 0.95, 0.95, 0, 10, 20, 5, 4, -1200, 'stale', 'missing',
    ]);
    expect(() => expandValues('1 two')).toThrow(/"two"/);
  });

  it('are seen by an instant query within the 5m lookback, until a stale marker', () => {
    const samples = expandValues('_x2 1 _x10 stale 1');
    expect(presentAt(samples, 60, 60)).toBe(false);
    expect(presentAt(samples, 60, 120)).toBe(true);
    expect(presentAt(samples, 60, 420)).toBe(true);
    expect(presentAt(samples, 60, 421)).toBe(false);
    expect(presentAt(samples, 60, 13 * 60)).toBe(false);
    expect(presentAt(samples, 60, 14 * 60)).toBe(true);
    expect(presentAt(samples, 60, 20 * 60)).toBe(false);
  });

  it('read metric and labels, quotes and all', () => {
    expect(parseSeriesDescriptor('up{job="telltale",item="/tmp/a \\"b\\", c",lookalike="TelltaleX"}')).toEqual({
      metric: 'up',
      labels: { job: 'telltale', item: '/tmp/a "b", c', lookalike: 'TelltaleX' },
    });
    expect(parseSeriesDescriptor('up')).toEqual({ metric: 'up', labels: {} });
  });
});
