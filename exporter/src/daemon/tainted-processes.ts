import type { ProcessContext } from '../sensor/sensor-record.js';

/**
 * Processes a behavioural rule fired on, and their descendants, for a while: what a
 * reverse shell or a dropped binary does next (its `id`, `cat`, `curl`) must not be
 * learned as normal just because it happened during learning. Children inherit the
 * taint from their parent as their records arrive. Bounded in size and time: host pids
 * are reused, and an attack that is still running keeps tripping rules anyway.
 */
export class TaintedProcesses {
  private readonly until = new Map<number, number>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxProcesses = 4096,
    private readonly now: () => number = Date.now,
  ) {}

  taint(process: ProcessContext): void {
    if (process.pid > 0) this.mark(process.pid, this.now() + this.ttlMs);
  }

  /** True when the process or its parent is tainted; a child of a tainted parent becomes tainted itself. */
  covers(process: ProcessContext): boolean {
    const now = this.now();
    if (this.live(process.pid, now)) return true;
    const parent = this.until.get(process.ppid);
    if (parent === undefined || !this.live(process.ppid, now)) return false;
    this.mark(process.pid, parent);
    return true;
  }

  get size(): number {
    return this.until.size;
  }

  private live(pid: number, now: number): boolean {
    const until = this.until.get(pid);
    if (until === undefined) return false;
    if (until > now) return true;
    this.until.delete(pid);
    return false;
  }

  private mark(pid: number, until: number): void {
    if (pid <= 0) return;
    this.until.delete(pid); // re-inserted last: Map order is eviction order
    this.until.set(pid, until);
    while (this.until.size > this.maxProcesses) {
      const oldest = this.until.keys().next().value as number;
      this.until.delete(oldest);
    }
  }
}
