import type { Finding } from '../findings/finding.js';

/**
 * What makes two findings "the same" for rate limiting: workload, rule (or category) and item.
 * NUL separates the parts: kernel and Kubernetes strings cannot hold one, and plain
 * concatenation keeps this cheap on the publish path (workloadKey's encoding is not).
 */
export function findingDedupKey(finding: Finding): string {
  const { namespace, workloadType, workload, container } = finding.workload;
  const what = finding.kind === 'rule' ? `rule:${finding.rule}` : `anomaly:${finding.category}`;
  return `${namespace}\0${workloadType}\0${workload}\0${container}\0${what}\0${finding.item}`;
}

/**
 * Lets one finding per key through per window, so a flapping finding reaches a receiver once
 * every `windowMs` instead of on every occurrence. The window starts when a finding is let
 * through, so a finding that keeps happening is re-sent once per window, which also keeps its
 * Alertmanager alert from resolving.
 *
 * Memory is bounded: past `maxKeys` keys, a sweep forgets expired keys and then the least
 * recently admitted, which can only let a finding through early, never suppress one wrongly.
 * Sweeping in bulk, not one key per admit, matters: V8 Maps keep deleted entries until they
 * rehash, so deleting from the front on every call makes each iteration slower than the last.
 */
/** Sweep when the map holds this much more than maxKeys, so a sweep's cost is spread over many admits. */
const SWEEP_SLACK = 1.25;

export class DedupWindow {
  /** Key to the time it was last admitted; Map iteration order is admission order. */
  private admitted = new Map<string, number>();

  constructor(
    readonly windowMs: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `finding` should be delivered; records it as delivered. */
  admit(finding: Finding, key = findingDedupKey(finding)): boolean {
    if (this.windowMs <= 0) return true;
    const now = this.now();
    const last = this.admitted.get(key);
    if (last !== undefined) {
      if (now - last < this.windowMs) return false;
      // Re-inserted, not updated, so the Map's order stays admission order for the sweep.
      this.admitted.delete(key);
    }
    this.admitted.set(key, now);
    if (this.admitted.size > this.maxKeys * SWEEP_SLACK) this.sweep(now);
    return true;
  }

  get size(): number {
    return this.admitted.size;
  }

  private sweep(now: number): void {
    const live = [...this.admitted].filter(([, at]) => now - at < this.windowMs);
    this.admitted = new Map(live.slice(Math.max(0, live.length - this.maxKeys)));
  }
}
