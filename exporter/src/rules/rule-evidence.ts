import type { WorkloadEvidence } from './behavioural-rule.js';

/**
 * Evidence of one workload: a few keyed details. Rules note at most a handful of
 * keys each, so the cap only guards against a rule that keys by something unbounded
 * (the oldest key goes first).
 */
export class WorkloadMemory implements WorkloadEvidence {
  private readonly details = new Map<string, string>();

  constructor(private readonly maxKeys = 16) {}

  recall(key: string): string | undefined {
    return this.details.get(key);
  }

  note(key: string, detail: string): void {
    this.details.delete(key); // re-inserted last: Map order is age order
    this.details.set(key, detail);
    while (this.details.size > this.maxKeys) {
      const oldest = this.details.keys().next().value;
      if (oldest === undefined) break;
      this.details.delete(oldest);
    }
  }
}

/**
 * Evidence per workload, for the RuleEngine. Workloads come and go without a signal
 * reaching the rules, so the store is bounded by recency instead: the workload seen
 * least recently is forgotten first. Forgetting can only make a two-signal rule
 * quieter, never louder, and a workload that keeps being observed keeps its memory.
 * A workload gets memory only when a rule notes something, so the many workloads
 * that never do cost nothing.
 */
export class EvidenceStore {
  private readonly byWorkload = new Map<string, WorkloadMemory>();

  constructor(private readonly maxWorkloads = 16_384) {}

  /** The evidence of `workloadKey`, for the evaluation of one event. */
  for(workloadKey: string): WorkloadEvidence {
    const existing = this.byWorkload.get(workloadKey);
    if (existing) {
      this.byWorkload.delete(workloadKey); // re-inserted last: Map order is recency order
      this.byWorkload.set(workloadKey, existing);
      return existing;
    }
    return {
      recall: (key) => this.byWorkload.get(workloadKey)?.recall(key),
      note: (key, detail) => this.memoryOf(workloadKey).note(key, detail),
    };
  }

  /** Workloads holding evidence. */
  get size(): number {
    return this.byWorkload.size;
  }

  private memoryOf(workloadKey: string): WorkloadMemory {
    let memory = this.byWorkload.get(workloadKey);
    if (!memory) {
      memory = new WorkloadMemory();
      this.byWorkload.set(workloadKey, memory);
      while (this.byWorkload.size > this.maxWorkloads) {
        const oldest = this.byWorkload.keys().next().value;
        if (oldest === undefined) break;
        this.byWorkload.delete(oldest);
      }
    }
    return memory;
  }
}
