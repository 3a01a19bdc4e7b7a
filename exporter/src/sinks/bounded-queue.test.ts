import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './bounded-queue.js';

describe('BoundedQueue', () => {
  it('is FIFO below capacity', () => {
    const queue = new BoundedQueue<number>(5, 'drop-newest');
    for (const n of [1, 2, 3]) expect(queue.push(n)).toBeUndefined();
    expect(queue.length).toBe(3);
    expect(queue.peek()).toBe(1);
    expect(queue.take(2)).toEqual([1, 2]);
    queue.push(4);
    expect(queue.drain()).toEqual([3, 4]);
    expect(queue.length).toBe(0);
  });

  it('drop-newest refuses the incoming item when full', () => {
    const queue = new BoundedQueue<number>(3, 'drop-newest');
    [1, 2, 3].forEach((n) => queue.push(n));
    expect(queue.push(4)).toEqual({ dropped: 4 });
    expect(queue.drain()).toEqual([1, 2, 3]);
  });

  it('drop-oldest evicts the head when full', () => {
    const queue = new BoundedQueue<number>(3, 'drop-oldest');
    [1, 2, 3].forEach((n) => queue.push(n));
    expect(queue.push(4)).toEqual({ dropped: 1 });
    expect(queue.push(5)).toEqual({ dropped: 2 });
    expect(queue.drain()).toEqual([3, 4, 5]);
  });

  it('drops the lowest priority first, newest or oldest among equals', () => {
    type Item = { id: string; p: number };
    const byPriority = (item: Item): number => item.p;
    const fill = (queue: BoundedQueue<Item>): void => {
      for (const [id, p] of [['a', 1], ['b', 0], ['c', 2], ['d', 0]] as const) queue.push({ id, p });
    };

    const newest = new BoundedQueue<Item>(4, 'drop-newest', byPriority);
    fill(newest);
    expect(newest.push({ id: 'e', p: 2 })?.dropped.id).toBe('d');
    expect(newest.push({ id: 'f', p: 0 })?.dropped.id).toBe('f');
    expect(newest.drain().map((i) => i.id)).toEqual(['a', 'b', 'c', 'e']);

    const oldest = new BoundedQueue<Item>(4, 'drop-oldest', byPriority);
    fill(oldest);
    expect(oldest.push({ id: 'e', p: 2 })?.dropped.id).toBe('b');
    expect(oldest.push({ id: 'f', p: 0 })?.dropped.id).toBe('d');
    expect(oldest.push({ id: 'g', p: 0 })?.dropped.id).toBe('f');
    expect(oldest.drain().map((i) => i.id)).toEqual(['a', 'c', 'e', 'g']);
  });

  it('keeps order across many shifts and compactions', () => {
    const queue = new BoundedQueue<number>(10_000, 'drop-newest');
    const out: number[] = [];
    for (let n = 0; n < 5_000; n++) {
      queue.push(n);
      if (n % 3 === 2) out.push(...queue.take(2));
    }
    out.push(...queue.drain());
    expect(out).toEqual(Array.from({ length: 5_000 }, (_, n) => n));
  });

  it('matches a brute-force model through random pushes and takes', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (const overflow of ['drop-newest', 'drop-oldest'] as const) {
      type Item = { id: number; p: number };
      const queue = new BoundedQueue<Item>(8, overflow, (item) => item.p);
      let model: Item[] = [];
      for (let id = 0; id < 3_000; id++) {
        if (random() < 0.25) {
          const n = Math.floor(random() * 4);
          expect(queue.take(n)).toEqual(model.slice(0, n));
          model = model.slice(n);
          continue;
        }
        const item = { id, p: Math.floor(random() * 3) };
        let expected: Item | undefined;
        if (model.length === 8) {
          const lowest = Math.min(item.p, ...model.map((m) => m.p));
          const candidates = [...model, item].filter((m) => m.p === lowest);
          expected = overflow === 'drop-newest' ? candidates.at(-1) : candidates[0];
          model = [...model, item].filter((m) => m !== expected);
        } else {
          model.push(item);
        }
        expect(queue.push(item)?.dropped).toBe(expected);
        expect(queue.length).toBe(model.length);
      }
      expect(queue.drain()).toEqual(model);
    }
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new BoundedQueue<number>(0, 'drop-newest')).toThrow(/positive integer/);
    expect(() => new BoundedQueue<number>(1.5, 'drop-oldest')).toThrow(/positive integer/);
  });
});
