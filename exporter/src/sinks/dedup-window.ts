import type { Finding } from '../findings/finding.js';
import { workloadKey } from '../workloads/workload-ref.js';

/** What makes two findings "the same" for rate limiting: workload, rule (or category) and item. */
export function findingDedupKey(finding: Finding): string {
  const what = finding.kind === 'rule' ? `rule:${finding.rule}` : `anomaly:${finding.category}`;
  return `${workloadKey(finding.workload)}\u0000${what}\u0000${finding.item}`;
}

/**
 * Lets one finding per key through per window, so a flapping finding reaches a receiver once
 * every `windowMs` instead of on every occurrence. The window starts when a finding is let
 * through, so a finding that keeps happening is re-sent once per window, which also keeps its
 * Alertmanager alert from resolving.
 *
 * Memory is bounded: beyond `maxKeys` live keys the least recently admitted is forgotten,
 * which can only let a finding through early, never suppress one wrongly.
 */
export class DedupWindow {
  /** Key to the time it was last admitted; Map iteration order is admission order. */
  private readonly admitted = new Map<string, number>();

  constructor(
    readonly windowMs: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `finding` should be delivered; records it as delivered. */
  admit(finding: Finding): boolean {
    if (this.windowMs <= 0) return true;
    const key = findingDedupKey(finding);
    const now = this.now();
    const last = this.admitted.get(key);
    if (last !== undefined && now - last < this.windowMs) return false;
    this.admitted.delete(key);
    this.admitted.set(key, now);
    this.evict(now);
    return true;
  }

  get size(): number {
    return this.admitted.size;
  }

  private evict(now: number): void {
    for (const [key, at] of this.admitted) {
      if (this.admitted.size <= this.maxKeys && now - at < this.windowMs) break;
      this.admitted.delete(key);
    }
  }
}
