import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { labelItem, RecentItems } from './recent-items.js';

describe('RecentItems', () => {
  it('keeps the N most recent distinct items per owner and removes evicted series', async () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'test_last_seen_seconds', help: 'h', labelNames: ['workload', 'item'], registers: [registry] });
    const recent = new RecentItems(gauge, 2);
    recent.seen('a', 'g', { workload: 'a', item: 'x' }, 1000);
    recent.seen('a', 'g', { workload: 'a', item: 'y' }, 2000);
    recent.seen('a', 'g', { workload: 'a', item: 'x' }, 3000);
    recent.seen('a', 'g', { workload: 'a', item: 'z' }, 4000);
    recent.seen('b', 'g', { workload: 'b', item: 'x' }, 5000);
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

  it('keeps N per owner across groups, evicting from the largest group so a flood in one cannot push out another', async () => {
    const gauge = new Gauge({ name: 'test_grouped_seconds', help: 'h', labelNames: ['category', 'item'], registers: [new Registry()] });
    const recent = new RecentItems(gauge, 4);
    recent.seen('w', 'exec', { category: 'exec', item: '/usr/bin/nc' }, 1000);
    for (let i = 0; i < 10; i++) recent.seen('w', 'syscall_sequence', { category: 'syscall_sequence', item: `seq ${i}` }, 2000 + i);
    recent.seen('w', 'dns', { category: 'dns', item: 'pool.example' }, 3000);
    expect(recent.list('w').map((i) => i.labels.item)).toEqual(['pool.example', 'seq 9', 'seq 8', '/usr/bin/nc']);
    expect((await gauge.get()).values).toHaveLength(4);
  });

  it('makes items printable and bounded', () => {
    expect(labelItem('a\nb\u0000c')).toBe('a?b?c');
    expect(labelItem('x'.repeat(300))).toHaveLength(200);
  });
});
