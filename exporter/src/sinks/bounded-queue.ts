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
  /** How many queued items have each priority, so a flood is refused without scanning the queue. */
  private readonly priorityCounts = new Map<number, number>();

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
    const incoming = this.priority(item);
    if (this.length >= this.capacity) {
      const lowest = Math.min(...this.priorityCounts.keys());
      // Ties go against the incoming item under drop-newest (it is the newest), for it under drop-oldest.
      if (incoming < lowest || (incoming === lowest && this.overflow === 'drop-newest')) return { dropped: item };
      const dropped = this.removeAt(this.victimIndex(lowest));
      this.append(item, incoming);
      return { dropped };
    }
    this.append(item, incoming);
    return undefined;
  }

  /** Removes and returns up to `max` items from the head. */
  take(max: number): T[] {
    const end = Math.min(this.items.length, this.head + max);
    const taken = this.items.slice(this.head, end);
    for (const item of taken) this.uncount(this.priority(item));
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

  private append(item: T, priority: number): void {
    this.items.push(item);
    this.priorityCounts.set(priority, (this.priorityCounts.get(priority) ?? 0) + 1);
  }

  private uncount(priority: number): void {
    const count = (this.priorityCounts.get(priority) ?? 0) - 1;
    if (count > 0) this.priorityCounts.set(priority, count);
    else this.priorityCounts.delete(priority);
  }

  /** The newest (drop-newest) or oldest (drop-oldest) queued item of priority `lowest`. */
  private victimIndex(lowest: number): number {
    if (this.overflow === 'drop-newest') {
      for (let i = this.items.length - 1; i >= this.head; i--) if (this.priority(this.items[i] as T) === lowest) return i;
    } else {
      for (let i = this.head; i < this.items.length; i++) if (this.priority(this.items[i] as T) === lowest) return i;
    }
    throw new Error('queue priority counts out of step with its items');
  }

  private removeAt(index: number): T {
    const item = this.items[index] as T;
    if (index === this.head) this.head++;
    else this.items.splice(index, 1);
    this.uncount(this.priority(item));
    this.compact();
    return item;
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
