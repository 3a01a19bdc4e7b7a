/**
 * Which finding a full queue gives up.
 *
 * `drop-newest` (the default) keeps the findings that arrived first. The first findings of an
 * incident are the ones that explain it (the reverse shell, not the hundred file reads after
 * it), and a flood that follows them, by accident or made by an attacker to bury them, cannot
 * push them out. `drop-oldest` keeps the freshest state instead, for receivers that only care
 * about what is happening now. Either way every drop is counted, and every finding is still in
 * the Prometheus metrics.
 */
export const OVERFLOW_POLICIES = ['drop-newest', 'drop-oldest'] as const;
export type OverflowPolicy = (typeof OVERFLOW_POLICIES)[number];

/**
 * A FIFO queue that never holds more than `capacity` items.
 *
 * When full, it drops one item of the lowest priority present (the incoming item included), so
 * a critical finding is never lost to make room for an informational one; among items of that
 * priority it drops the newest or the oldest, as the overflow policy says.
 */
export class BoundedQueue<T> {
  private items: T[] = [];
  /** Index of the head in `items`; shifting moves it instead of copying the array. */
  private head = 0;

  constructor(
    readonly capacity: number,
    readonly overflow: OverflowPolicy,
    private readonly priority: (item: T) => number = () => 0,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    }
  }

  get length(): number {
    return this.items.length - this.head;
  }

  /** Adds `item`; returns the item dropped to respect the capacity (maybe `item` itself), or undefined. */
  push(item: T): { readonly dropped: T } | undefined {
    if (this.length < this.capacity) {
      this.items.push(item);
      return undefined;
    }
    const victim = this.victimIndex(item);
    if (victim === -1) return { dropped: item };
    const [dropped] = this.items.splice(victim, 1) as [T];
    this.items.push(item);
    return { dropped };
  }

  /** Removes and returns up to `max` items from the head. */
  take(max: number): T[] {
    const end = Math.min(this.items.length, this.head + max);
    const taken = this.items.slice(this.head, end);
    this.head = end;
    this.compact();
    return taken;
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  /** Removes and returns everything. */
  drain(): T[] {
    return this.take(this.length);
  }

  /** Index in `items` of the queued item to evict for `incoming`, or -1 to drop `incoming`. */
  private victimIndex(incoming: T): number {
    let lowest = this.priority(incoming);
    let victim = -1;
    const newestFirst = this.overflow === 'drop-newest';
    // Scan in the order in which items should be sacrificed; ties keep the first found, and the
    // incoming item is the newest of all, so under drop-newest it wins ties.
    for (let offset = 0; offset < this.length; offset++) {
      const index = newestFirst ? this.items.length - 1 - offset : this.head + offset;
      const p = this.priority(this.items[index] as T);
      if (p < lowest || (!newestFirst && p === lowest && victim === -1)) {
        lowest = p;
        victim = index;
      }
    }
    return victim;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
