import type { Gauge } from 'prom-client';

/**
 * The N most recent distinct items per workload, as a gauge of last-seen
 * timestamps: a PromQL user sees *what* was new, and the series count stays
 * bounded (N per workload). Evicted items are removed from the gauge.
 */
export class RecentItems<L extends string> {
  private readonly byOwner = new Map<string, Map<string, { labels: Record<L, string>; lastSeenMs: number }>>();

  constructor(
    private readonly gauge: Gauge<L>,
    private readonly perOwner: number,
  ) {}

  /** Records `labels` (which include the item) as seen at `timeMs` for `owner`. */
  seen(owner: string, labels: Record<L, string>, timeMs: number): void {
    let items = this.byOwner.get(owner);
    if (!items) {
      items = new Map();
      this.byOwner.set(owner, items);
    }
    const key = JSON.stringify(labels);
    items.delete(key); // re-inserted last: Map order is recency order
    items.set(key, { labels, lastSeenMs: timeMs });
    this.gauge.set(labels, timeMs / 1000);
    while (items.size > this.perOwner) {
      const [oldestKey, oldest] = items.entries().next().value as [string, { labels: Record<L, string> }];
      items.delete(oldestKey);
      this.gauge.remove(oldest.labels);
    }
  }

  /** Items of one owner, most recent first. */
  list(owner: string): Array<{ labels: Record<L, string>; lastSeenMs: number }> {
    return [...(this.byOwner.get(owner)?.values() ?? [])].reverse();
  }

  forget(owner: string): void {
    for (const { labels } of this.byOwner.get(owner)?.values() ?? []) this.gauge.remove(labels);
    this.byOwner.delete(owner);
  }
}

/** Items in labels stay short and printable: a metric label is not a log line. */
export function labelItem(item: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const printable = item.replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > max ? `${printable.slice(0, max - 1)}…` : printable;
}
