import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { labelItem, RecentItems } from './recent-items.js';

describe('RecentItems', () => {
  it('keeps the N most recent distinct items per owner and removes evicted series', async () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'test_last_seen_seconds', help: 'h', labelNames: ['workload', 'item'], registers: [registry] });
    const recent = new RecentItems(gauge, 2);
    recent.seen('a', { workload: 'a', item: 'x' }, 1000);
    recent.seen('a', { workload: 'a', item: 'y' }, 2000);
    recent.seen('a', { workload: 'a', item: 'x' }, 3000);
    recent.seen('a', { workload: 'a', item: 'z' }, 4000);
    recent.seen('b', { workload: 'b', item: 'x' }, 5000);
    const values = (await gauge.get()).values.map((v) => [v.labels['workload'], v.labels['item'], v.value]);
    expect(values).toEqual(
      expect.arrayContaining([
        ['a', 'x', 3],
        ['a', 'z', 4],
        ['b', 'x', 5],
      ]),
    );
    expect(values).toHaveLength(3);
    expect(recent.list('a').map((i) => i.labels.item)).toEqual(['z', 'x']);
    recent.forget('a');
    expect((await gauge.get()).values).toHaveLength(1);
  });

  it('makes items printable and bounded', () => {
    expect(labelItem('a\nb\u0000c')).toBe('a?b?c');
    expect(labelItem('x'.repeat(300))).toHaveLength(200);
  });
});
