import type { Gauge } from 'prom-client';

interface RecentItem<L extends string> {
  readonly labels: Record<L, string>;
  readonly group: string;
  readonly lastSeenMs: number;
}

/**
 * The N most recent distinct items per workload, as a gauge of last-seen
 * timestamps: a PromQL user sees *what* was new, and the series count stays
 * bounded (N per workload). Evicted items are removed from the gauge.
 *
 * Items belong to a group (a category, a rule). When an owner is full, the oldest
 * item of its largest group goes first, so a flood of new syscall sequences cannot
 * push out the one new binary an alert is about.
 */
export class RecentItems<L extends string> {
  private readonly byOwner = new Map<string, Map<string, RecentItem<L>>>();

  constructor(
    private readonly gauge: Gauge<L>,
    private readonly perOwner: number,
  ) {}

  /** Records `labels` (which include the item) as seen at `timeMs` for `owner`, in `group`. */
  seen(owner: string, group: string, labels: Record<L, string>, timeMs: number): void {
    let items = this.byOwner.get(owner);
    if (!items) {
      items = new Map();
      this.byOwner.set(owner, items);
    }
    const key = JSON.stringify(labels);
    items.delete(key); // re-inserted last: Map order is recency order
    items.set(key, { labels, group, lastSeenMs: timeMs });
    this.gauge.set(labels, timeMs / 1000);
    while (items.size > this.perOwner) {
      const victim = evictionVictim(items);
      const item = items.get(victim) as RecentItem<L>;
      items.delete(victim);
      this.gauge.remove(item.labels);
    }
  }

  /** Items of one owner, most recent first. */
  list(owner: string): Array<{ labels: Record<L, string>; lastSeenMs: number }> {
    return [...(this.byOwner.get(owner)?.values() ?? [])].reverse().map(({ labels, lastSeenMs }) => ({ labels, lastSeenMs }));
  }

  forget(owner: string): void {
    for (const { labels } of this.byOwner.get(owner)?.values() ?? []) this.gauge.remove(labels);
    this.byOwner.delete(owner);
  }
}

/** The key of the oldest item in the largest group (ties: the group whose oldest item is oldest). */
function evictionVictim<L extends string>(items: Map<string, RecentItem<L>>): string {
  const groups = new Map<string, { size: number; oldestKey: string }>();
  // Map order is recency order, so the first key met per group is its oldest.
  for (const [key, item] of items) {
    const group = groups.get(item.group);
    if (group) group.size += 1;
    else groups.set(item.group, { size: 1, oldestKey: key });
  }
  let victim: { size: number; oldestKey: string } | undefined;
  for (const group of groups.values()) if (!victim || group.size > victim.size) victim = group;
  return (victim as { oldestKey: string }).oldestKey;
}

/** Items in labels stay short and printable: a metric label is not a log line. */
export function labelItem(item: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const printable = item.replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
}
