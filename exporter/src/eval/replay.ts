import type { Observation } from '../profiles/observation.js';
import type { ProfileConfig } from '../profiles/profile-config.js';
import { WorkloadProfile } from '../profiles/profile-model.js';
import type { Thresholds } from '../scoring/calibrator.js';
import { CATEGORIES } from '../observations/category.js';
import type { Category } from '../observations/category.js';
import type { ScoringConfig } from '../scoring/scoring-config.js';
import { WorkloadScorer } from '../scoring/workload-scorer.js';
import type { Trace } from './trace-reader.js';

/**
 * Replays traces through the exporter's own profile and scoring code with the kernel's
 * dedup semantics: a trace is one process in one epoch, so each distinct syscall and
 * each distinct n-gram of it is reported once, in order of first occurrence.
 */
export function traceObservations(calls: Uint16Array, n: number): Observation[] {
  const out: Observation[] = [];
  const syscalls = new Set<number>();
  const grams = new Set<string>();
  for (let i = 0; i < calls.length; i++) {
    const nr = calls[i] as number;
    if (!syscalls.has(nr)) {
      syscalls.add(nr);
      out.push({ category: 'syscall', nr });
    }
    if (i + 1 >= n) {
      const window = calls.subarray(i + 1 - n, i + 1);
      const key = String.fromCharCode(...window);
      if (!grams.has(key)) {
        grams.add(key);
        out.push({ category: 'syscall_sequence', calls: Array.from(window) });
      }
    }
  }
  return out;
}

/** Builds a profile with one epoch per training trace. */
export function buildProfile(traces: readonly Trace[], config: Partial<ProfileConfig>): WorkloadProfile {
  const profile = new WorkloadProfile(config);
  traces.forEach((trace, i) => {
    const ctx = { epoch: i + 1, time: (i + 1) * 1000, afterReady: false };
    profile.beginEpoch(ctx.epoch);
    for (const obs of traceObservations(trace.calls, profile.config.ngramLength)) profile.observe(obs, ctx);
  });
  return profile;
}

const NEUTRAL: Thresholds = {
  categories: Object.fromEntries(CATEGORIES.map((c) => [c, 1])) as Record<Category, number>,
  overall: 1,
};

/** Raw evidence of one trace scored as one window (all items at the same instant, so no decay). */
export function traceEvidence(profile: WorkloadProfile, trace: Trace, config: ScoringConfig): Record<Category, number> {
  const scorer = new WorkloadScorer(config, NEUTRAL);
  for (const obs of traceObservations(trace.calls, profile.config.ngramLength)) scorer.observe(obs, profile.match(obs), 0);
  return scorer.rawAt(0);
}
