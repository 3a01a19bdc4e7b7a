import { pino } from 'pino';
import { Registry, type MetricValue } from 'prom-client';
import type { Finding } from '../../findings/finding.js';
import { ProfileMetrics } from '../../metrics/profile-metrics.js';
import { DEFAULT_SCORING_CONFIG } from '../../scoring/scoring-config.js';
import type { ExecRecord, ObservationRecord, ProcessContext } from '../../sensor/sensor-record.js';
import type { WorkloadRef } from '../../workloads/workload-ref.js';
import { ProfileEngine, type EngineSettings, type EngineStore } from '../profile-engine.js';
import type { ProfileDocument } from '../profile-document.js';

/** In-memory EngineStore with the filesystem store's revision check, for engine tests. */
export class MemoryStore implements EngineStore {
  readonly files = new Map<string, { revision: number; document: ProfileDocument }>();
  async loadAll() {
    return { profiles: [...this.files].map(([id, f]) => ({ id, ...f })), problems: [] };
  }
  async load(id: string) {
    const f = this.files.get(id);
    return f ? { id, ...f } : null;
  }
  async save(id: string, document: ProfileDocument, expectedRevision: number | null) {
    const current = this.files.get(id)?.revision ?? null;
    if (current !== expectedRevision) throw Object.assign(new Error(`revision ${current} != ${expectedRevision}`), { name: 'RevisionConflictError' });
    const revision = (current ?? 0) + 1;
    this.files.set(id, { revision, document: structuredClone(document) });
    return revision;
  }
  async revisions() {
    return new Map([...this.files].map(([id, f]) => [id, f.revision]));
  }
}

/**
 * Engine settings for tests: a 60 s learning period, and an hour of quiet before
 * "stable", so readiness comes from the period unless a test says otherwise.
 */
export function testEngineSettings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  return {
    learningPeriodMs: 60_000,
    learningPeriodOverrides: [],
    lifecycle: { stableAfterMs: 3_600_000, maxLearningFactor: 2 },
    keepLearning: false,
    lossSuppressMs: 30_000,
    findingThreshold: 0.9,
    profileConfig: {},
    scoringConfig: DEFAULT_SCORING_CONFIG,
    calibrationWarmupEpochs: 2,
    ...overrides,
  };
}

export const engineProcess: ProcessContext = { pid: 10, tid: 10, ppid: 1, uid: 0, comm: 'sh', cgroupId: '7', timeNs: 0n };

export function engineExec(exe: string, argv: string[]): ExecRecord {
  return {
    kind: 'exec',
    process: engineProcess,
    exe,
    argv,
    argc: argv.length,
    parentExe: '/bin/sh',
    ldPreload: null,
    facts: { stdinSocket: false, stdoutSocket: false, stderrSocket: false, memfd: false, unlinked: false, viaProcFd: false, onOverlay: false, overlayUpper: false, fromDevShm: false, fromTmp: false, parentConnectedSocket: false },
    truncated: false,
  };
}

/** What a small service does every epoch: two tools, its config, a syscall and its backend. */
export const routine: readonly ObservationRecord[] = [
  engineExec('/usr/bin/cat', ['cat', '/etc/app.conf']),
  engineExec('/usr/bin/curl', ['curl', '-s', 'http://127.0.0.1:8080/health']),
  { kind: 'file', process: engineProcess, path: '/etc/app.conf', rawPath: '/etc/app.conf', openFlags: 0, read: true, write: false, create: false, truncate: false, syscallNr: 257, truncated: false },
  { kind: 'syscall', process: engineProcess, nr: 0 },
  { kind: 'network', process: engineProcess, direction: 'connect', family: 'inet', protocol: 'tcp', address: '127.0.0.1', port: 8080 },
];

export interface TestEngine {
  readonly engine: ProfileEngine;
  readonly store: MemoryStore;
  readonly registry: Registry;
  readonly findings: Finding[];
  /** Moves the injected clock. */
  advance(ms: number): number;
  /** Runs the routine once per epoch in each workload, `stepMs` of clock per epoch, ticking the lifecycle. */
  learn(epochs: number, workloads: readonly WorkloadRef[], stepMs?: number): void;
  /** Samples of one metric whose labels include `labels`. */
  metric(name: string, labels?: Record<string, string>): Promise<MetricValue<string>[] | undefined>;
}

/** A ProfileEngine on a memory store, with metrics, captured findings and a clock the test moves. */
export function createTestEngine(overrides: Partial<EngineSettings> = {}, store = new MemoryStore()): TestEngine {
  let now = Date.parse('2026-11-28T10:00:00Z');
  const registry = new Registry();
  let engine: ProfileEngine | null = null;
  const metrics = new ProfileMetrics(registry, { profileViews: () => engine?.profileViews() ?? [] }, 20);
  const findings: Finding[] = [];
  const created = new ProfileEngine(store, testEngineSettings(overrides), metrics, (f) => findings.push(f), pino({ level: 'silent' }), () => now);
  engine = created;
  return {
    engine: created,
    store,
    registry,
    findings,
    advance: (ms) => (now += ms),
    learn(epochs, workloads, stepMs = 5000) {
      for (let i = 0; i < epochs; i++) {
        created.beginEpoch(created.currentEpoch + 1);
        for (const w of workloads) for (const r of routine) created.observe(w, r);
        now += stepMs;
        created.tick();
      }
    },
    metric: async (name, labels = {}) =>
      (await registry.getSingleMetric(name)?.get())?.values.filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val)),
  };
}
