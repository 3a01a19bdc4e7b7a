import type { Logger } from 'pino';
import type { Finding } from '../findings/finding.js';
import type { Category } from '../observations/category.js';
import { CATEGORIES } from '../observations/category.js';
import type { ProfileMetrics, ProfileMetricsSource, ProfileMetricsView } from '../metrics/profile-metrics.js';
import type { ProfileStoreOperation } from './profile-store.js';
import { labelItem } from '../metrics/recent-items.js';
import { Calibrator } from '../scoring/calibrator.js';
import { LearningCalibration } from '../scoring/learning-calibration.js';
import type { ScoringConfig } from '../scoring/scoring-config.js';
import { WorkloadScorer } from '../scoring/workload-scorer.js';
import type { ObservationRecord } from '../sensor/sensor-record.js';
import { describeRecord } from '../sensor/describe-record.js';
import { workloadLabels, type WorkloadRef } from '../workloads/workload-ref.js';
import { advanceLearning, lifecycleView, newLifecycle, noteNovelty, noteVersion, type LifecycleSettings } from './lifecycle.js';
import type { FileAccess, Observation } from './observation.js';
import type { ProfileConfig } from './profile-config.js';
import { fromProfileDocument, toProfileDocument, type ProfileDocument, type ProfileLifecycleFields } from './profile-document.js';
import { profileId } from './profile-id.js';
import { WorkloadProfile, zeroCounts, type CategoryCounts } from './profile-model.js';

/** The part of a profile store the engine needs (the filesystem store and the CRD store both provide it). */
export interface EngineStore {
  loadAll(): Promise<{ profiles: ReadonlyArray<{ id: string; revision: number; document: ProfileDocument }>; problems: ReadonlyArray<{ message: string }> }>;
  load(id: string): Promise<{ id: string; revision: number; document: ProfileDocument } | null>;
  /** Fails with an error named RevisionConflictError when someone else wrote the profile since expectedRevision. */
  save(id: string, document: ProfileDocument, expectedRevision: number | null): Promise<number>;
  revisions(): Promise<ReadonlyMap<string, number>>;
}

export interface LearningPeriodOverride {
  /** Matched against `namespace/workload_type/workload/container`. */
  readonly pattern: RegExp;
  readonly periodMs: number;
}

export interface EngineSettings {
  readonly learningPeriodMs: number;
  readonly learningPeriodOverrides: readonly LearningPeriodOverride[];
  readonly lifecycle: LifecycleSettings;
  /** Keep learning after ready (new profiles only; stored profiles keep their setting). */
  readonly keepLearning: boolean;
  /** Scores stay frozen this long after the kernel last reported loss for a workload. */
  readonly lossSuppressMs: number;
  /** Score at which an anomaly becomes a finding for the direct sinks. */
  readonly findingThreshold: number;
  readonly profileConfig: Partial<ProfileConfig>;
  readonly scoringConfig: ScoringConfig;
  /** Learning epochs before calibration windows count (everything is new at first). */
  readonly calibrationWarmupEpochs: number;
  /**
   * A saved profile whose workload sent nothing for this long leaves memory (and
   * /metrics) until the workload shows up again; 0 keeps every profile loaded.
   */
  readonly idleUnloadMs?: number;
}

interface WorkloadState {
  readonly id: string;
  workload: WorkloadRef;
  profile: WorkloadProfile;
  lifecycle: ProfileLifecycleFields;
  /** While learning: learns and collects calibration windows. */
  learning: LearningCalibration | null;
  /** Once ready: the calibration the scorer uses (persisted). */
  calibrator: Calibrator | null;
  scorer: WorkloadScorer | null;
  /** Revision last read from or written to the store; null when never stored. */
  revision: number | null;
  dirty: boolean;
  suppressedUntil: number;
  overflowSeen: CategoryCounts;
  /** Last observation of the workload (or load time): idle profiles are unloaded. */
  lastActiveAt: number;
}

interface DeferredObservation {
  readonly workload: WorkloadRef;
  readonly record: ObservationRecord;
  readonly learnable: boolean;
}

/** Observations held per workload while its unloaded profile is read back; beyond this they are dropped and logged. */
const MAX_DEFERRED = 4096;

export interface ProfileSnapshot {
  readonly id: string;
  readonly workload: WorkloadRef;
  readonly document: ProfileDocument;
  readonly recentAnomalies: ReadonlyArray<{ category: Category; item: string; timestamp: string }>;
}

const STABILITY_IGNORES: ReadonlySet<Category> = new Set(['syscall_sequence']);

/**
 * Attribution -> profiles -> scores. Keeps one profile per (workload, container):
 * learns it while learning, scores against it once ready, persists it, and picks up
 * operator edits (lock, unlock, import) made in the store.
 */
export class ProfileEngine implements ProfileMetricsSource {
  private readonly states = new Map<string, WorkloadState>();
  /**
   * Profiles unloaded because their workload went idle, with the store revision they had:
   * churning hosts (sessions, CI containers, short-lived pods) must not grow memory and
   * series without bound. They stay in the store and come back with the workload.
   */
  private readonly unloaded = new Map<string, number>();
  private readonly deferred = new Map<string, DeferredObservation[]>();
  /** Attribution hands out one WorkloadRef per workload; its id is computed once. */
  private readonly ids = new WeakMap<WorkloadRef, string>();
  private epoch = 1;
  private lastTick: number;

  constructor(
    private readonly store: EngineStore,
    private readonly settings: EngineSettings,
    private readonly metrics: ProfileMetrics,
    private readonly publish: (finding: Finding) => void,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.lastTick = now();
  }

  /** Loads every stored profile; corrupt ones were quarantined by the store and are only counted here. */
  async start(): Promise<void> {
    // Unreadable profiles were quarantined and counted by the store; the rest load.
    const { profiles, problems } = await this.store.loadAll();
    for (const stored of profiles) {
      try {
        this.states.set(stored.id, this.fromDocument(stored.id, stored.document, stored.revision));
      } catch (error) {
        this.countStoreError('load', error, stored.id);
      }
    }
    this.log.info({ profiles: this.states.size, quarantined: problems.length }, 'profiles loaded');
  }

  get size(): number {
    return this.states.size;
  }

  /** The score a finding reports for this workload: the overall deviation, NaN while learning. */
  score(workload: WorkloadRef): number {
    const state = this.states.get(this.idOf(workload));
    return state?.scorer ? state.scorer.snapshot(this.now()).overall : Number.NaN;
  }

  /**
   * `learnable` false keeps the observation out of a learning profile (a behavioural
   * rule fired on it); ready profiles still score it.
   */
  observe(workload: WorkloadRef, record: ObservationRecord, learnable = true): void {
    const now = this.now();
    if (this.unloaded.has(this.idOf(workload))) {
      this.deferUntilLoaded(workload, record, learnable);
      return;
    }
    const state = this.stateFor(workload, now);
    state.lastActiveAt = now;
    if (noteVersion(state.lifecycle, workload.version ?? null, now)) {
      state.dirty = true;
      if (state.lifecycle.previousVersion !== null) {
        this.log.info({ workload: workload.workload, version: workload.version, previousVersion: state.lifecycle.previousVersion }, 'new workload version: the profile carries over');
      }
    }
    const obs = toObservation(record);
    const context = { epoch: this.epoch, time: now, afterReady: state.lifecycle.state !== 'learning' };
    if (state.learning) {
      if (!learnable) return;
      const match = state.learning.observe(state.profile, obs, context);
      if (!match.known) {
        state.dirty = true;
        if (!STABILITY_IGNORES.has(obs.category)) noteNovelty(state.lifecycle, now);
      }
      this.countOverflow(state);
      return;
    }
    // Learning after ready never takes what a behavioural rule flagged either.
    const learns = state.lifecycle.state === 'ready' && state.lifecycle.learnAfterReady && learnable;
    const match = learns ? state.profile.observe(obs, context) : state.profile.match(obs);
    if (learns && !match.known) state.dirty = true;
    const scorer = state.scorer as WorkloadScorer;
    const weight = scorer.observe(obs, match, now);
    if (match.known) return;
    const labels = workloadLabels(workload);
    const item = labelItem(anomalyItem(record));
    this.metrics.anomalies.inc({ ...labels, category: obs.category });
    // Grouped by category, so a burst of new syscall sequences cannot push the new binary out of the list.
    this.metrics.recentAnomalies.seen(state.id, obs.category, { ...labels, category: obs.category, item }, now);
    if (learns) this.countOverflow(state);
    if (weight <= 0) return;
    const snapshot = scorer.snapshot(now);
    if ((snapshot.categories[obs.category] ?? 0) < this.settings.findingThreshold && snapshot.overall < this.settings.findingThreshold) return;
    this.publish({
      kind: 'anomaly',
      workload,
      category: obs.category,
      rule: '',
      severity: 'warning',
      summary: `Unexpected ${describeCategory(obs.category)} in ${workload.workload}: ${item}`,
      item,
      score: snapshot.overall,
      process: { pid: record.process.pid, ppid: record.process.ppid, uid: record.process.uid, comm: record.process.comm, exe: record.kind === 'exec' ? record.exe : '' },
      observedAt: new Date(now),
    });
  }

  lossReported(workload: WorkloadRef, lost: number, at: number): void {
    const state = this.states.get(this.idOf(workload));
    if (!state) return;
    if (state.scorer && !state.scorer.isSuppressed) {
      this.log.warn({ workload: workload.workload, lost }, 'kernel lost events of this workload: scores suppressed');
    }
    state.suppressedUntil = at + this.settings.lossSuppressMs;
    state.scorer?.setSuppressed(true, at);
  }

  /** Once a second: learning time, readiness, the end of loss suppression. */
  tick(): void {
    const now = this.now();
    const elapsed = now - this.lastTick;
    this.lastTick = now;
    for (const state of this.states.values()) {
      if (state.suppressedUntil && now >= state.suppressedUntil) {
        state.suppressedUntil = 0;
        state.scorer?.setSuppressed(false, now);
      }
      if (state.lifecycle.state !== 'learning') continue;
      const reason = advanceLearning(state.lifecycle, elapsed, now, this.settings.lifecycle);
      state.dirty = true;
      if (reason) this.becomeReady(state, reason);
    }
  }

  /** A new dedup epoch: every item is reported once more, and learning profiles count one more epoch. */
  beginEpoch(epoch: number): void {
    const now = this.now();
    this.epoch = epoch;
    for (const state of this.states.values()) {
      state.learning?.endEpoch(state.profile, now);
      if (state.learning || (state.lifecycle.state === 'ready' && state.lifecycle.learnAfterReady)) {
        state.profile.beginEpoch(epoch);
        state.dirty = true;
      }
    }
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  /**
   * Store work runs one job at a time: a sync that read the revision this engine was
   * just writing would otherwise reload (and so undo) changes made since the write.
   */
  private storeJob: Promise<unknown> = Promise.resolve();

  private exclusive(job: () => Promise<void>): Promise<void> {
    const run = this.storeJob.then(job, job);
    this.storeJob = run.catch(() => undefined);
    return run;
  }

  /** Writes changed profiles; a profile an operator changed meanwhile is reloaded instead. */
  persist(): Promise<void> {
    return this.exclusive(() => this.persistNow());
  }

  private async persistNow(): Promise<void> {
    for (const state of this.states.values()) {
      if (!state.dirty) continue;
      const document = this.toDocument(state);
      // Cleared before the write: a change made while it is in flight (readiness, say) marks the
      // profile dirty again and so reaches the store with the next persist.
      state.dirty = false;
      try {
        state.revision = await this.store.save(state.id, document, state.revision);
      } catch (error) {
        state.dirty = true;
        if (error instanceof Error && error.name === 'RevisionConflictError') {
          await this.reload(state.id);
          continue;
        }
        // The store counted it (telltale_profile_store_errors_total); the profile stays dirty for the next try.
        this.logStoreError('save', error, state.id);
      }
    }
    this.unloadIdle();
  }

  /** Drops saved, unchanged profiles of workloads idle for idleUnloadMs from memory. */
  private unloadIdle(): void {
    const idleMs = this.settings.idleUnloadMs ?? 0;
    if (idleMs <= 0) return;
    const now = this.now();
    for (const state of [...this.states.values()]) {
      if (state.dirty || state.revision === null || now - state.lastActiveAt < idleMs) continue;
      this.states.delete(state.id);
      this.unloaded.set(state.id, state.revision);
      this.metrics.recentAnomalies.forget(state.id);
      this.log.info({ workload: state.workload.workload, id: state.id, idleSeconds: Math.round((now - state.lastActiveAt) / 1000) }, 'idle profile unloaded');
    }
  }

  /** Holds what an unloaded workload does while its profile is read back, then replays it in order. */
  private deferUntilLoaded(workload: WorkloadRef, record: ObservationRecord, learnable: boolean): void {
    const id = this.idOf(workload);
    const pending = this.deferred.get(id);
    if (pending) {
      if (pending.length < MAX_DEFERRED) pending.push({ workload, record, learnable });
      else this.log.warn({ workload: workload.workload, id }, 'observation dropped while the idle profile loads');
      return;
    }
    this.deferred.set(id, [{ workload, record, learnable }]);
    void this.exclusive(async () => {
      await this.reload(id);
      this.unloaded.delete(id);
      const replay = this.deferred.get(id) ?? [];
      this.deferred.delete(id);
      const state = this.states.get(id);
      if (state) state.lastActiveAt = this.now();
      this.log.info({ workload: workload.workload, id, loaded: state !== undefined, replayed: replay.length }, 'idle profile back');
      for (const item of replay) this.observe(item.workload, item.record, item.learnable);
    });
  }

  /** Picks up profiles written by someone else (telltale profiles import/lock/unlock, GitOps). */
  syncExternalChanges(): Promise<void> {
    return this.exclusive(() => this.syncNow());
  }

  private async syncNow(): Promise<void> {
    let revisions: ReadonlyMap<string, number>;
    try {
      revisions = await this.store.revisions();
    } catch (error) {
      this.logStoreError('load', error);
      return;
    }
    for (const id of [...this.unloaded.keys()]) if (!revisions.has(id) && !this.deferred.has(id)) this.unloaded.delete(id);
    for (const [id, revision] of revisions) {
      // An unloaded profile stays on disk; edits to it are read when its workload comes back.
      if (this.unloaded.has(id)) {
        this.unloaded.set(id, revision);
        continue;
      }
      const state = this.states.get(id);
      if (!state || state.revision !== revision) await this.reload(id);
    }
  }

  profileViews(): Iterable<ProfileMetricsView> {
    const now = this.now();
    const views: ProfileMetricsView[] = [];
    for (const state of this.states.values()) {
      const view = lifecycleView(state.lifecycle, this.settings.lifecycle);
      const snapshot = state.scorer?.snapshot(now) ?? null;
      views.push({
        labels: workloadLabels(state.workload),
        state: state.lifecycle.state,
        progress: view.progress,
        overdue: view.overdue,
        suppressed: snapshot?.suppressed ?? false,
        entries: state.profile.entryCounts(),
        calibrationWindows: (state.learning?.calibrator ?? state.calibrator)?.samples ?? 0,
        scores: snapshot ? { overall: snapshot.overall, categories: snapshot.categories } : null,
      });
    }
    return views;
  }

  /** Live profiles for the API: the document as it would be stored now, plus recent anomalies. */
  snapshots(): ProfileSnapshot[] {
    return [...this.states.values()].map((state) => this.snapshot(state));
  }

  snapshotOf(id: string): ProfileSnapshot | null {
    const state = this.states.get(id);
    return state ? this.snapshot(state) : null;
  }

  private snapshot(state: WorkloadState): ProfileSnapshot {
    return {
      id: state.id,
      workload: state.workload,
      document: this.toDocument(state),
      recentAnomalies: this.metrics.recentAnomalies
        .list(state.id)
        .map(({ labels, lastSeenMs }) => ({ category: labels.category as Category, item: labels.item, timestamp: new Date(lastSeenMs).toISOString() })),
    };
  }

  private idOf(workload: WorkloadRef): string {
    let id = this.ids.get(workload);
    if (id === undefined) {
      id = profileId(workload);
      this.ids.set(workload, id);
    }
    return id;
  }

  private stateFor(workload: WorkloadRef, now: number): WorkloadState {
    const id = this.idOf(workload);
    let state = this.states.get(id);
    if (state) return state;
    const period = this.learningPeriodFor(workload);
    state = {
      id,
      workload,
      profile: new WorkloadProfile(this.settings.profileConfig),
      lifecycle: newLifecycle(now, period, this.settings.keepLearning),
      learning: new LearningCalibration(this.settings.scoringConfig, this.settings.calibrationWarmupEpochs),
      calibrator: null,
      scorer: null,
      revision: null,
      dirty: true,
      suppressedUntil: 0,
      overflowSeen: zeroCounts(),
      lastActiveAt: now,
    };
    state.profile.beginEpoch(this.epoch);
    this.states.set(id, state);
    this.log.info({ workload: workload.workload, workloadType: workload.workloadType, id, learningPeriodSeconds: period / 1000 }, 'new workload: learning');
    return state;
  }

  private learningPeriodFor(workload: WorkloadRef): number {
    const identity = `${workload.namespace}/${workload.workloadType}/${workload.workload}/${workload.container}`;
    return this.settings.learningPeriodOverrides.find((o) => o.pattern.test(identity))?.periodMs ?? this.settings.learningPeriodMs;
  }

  private becomeReady(state: WorkloadState, reason: string): void {
    const calibrator = state.learning?.calibrator ?? new Calibrator(this.settings.scoringConfig);
    state.calibrator = calibrator;
    state.learning = null;
    state.scorer = new WorkloadScorer(this.settings.scoringConfig, calibrator.thresholds());
    state.dirty = true;
    this.log.info(
      { workload: state.workload.workload, id: state.id, reason, entries: state.profile.totalEntries, calibrationWindows: calibrator.samples },
      'profile ready',
    );
  }

  private fromDocument(id: string, document: ProfileDocument, revision: number): WorkloadState {
    const loaded = fromProfileDocument(document);
    const scoring = this.settings.scoringConfig;
    const calibrator = loaded.calibration ? Calibrator.fromDocument(loaded.calibration, scoring) : null;
    const learning = loaded.lifecycle.state === 'learning';
    return {
      id,
      workload: loaded.workload,
      profile: loaded.profile,
      lifecycle: loaded.lifecycle,
      learning: learning ? new LearningCalibration(scoring, this.settings.calibrationWarmupEpochs, 1, calibrator ?? undefined) : null,
      calibrator: learning ? null : (calibrator ?? new Calibrator(scoring)),
      scorer: learning ? null : new WorkloadScorer(scoring, (calibrator ?? new Calibrator(scoring)).thresholds()),
      revision,
      dirty: false,
      suppressedUntil: 0,
      overflowSeen: { ...loaded.profile.overflow },
      lastActiveAt: this.now(),
    };
  }

  private toDocument(state: WorkloadState): ProfileDocument {
    const calibrator = state.learning?.calibrator ?? state.calibrator;
    return toProfileDocument(state.profile, state.workload, state.lifecycle, calibrator ? calibrator.toDocument() : null);
  }

  private async reload(id: string): Promise<void> {
    let stored: Awaited<ReturnType<EngineStore['load']>>;
    const previous = this.states.get(id);
    try {
      stored = await this.store.load(id);
    } catch (error) {
      this.logStoreError('load', error, id);
      stored = null;
    }
    if (!stored) {
      // Gone or quarantined: what this daemon knows is written afresh rather than conflicting forever.
      if (previous) {
        previous.revision = null;
        previous.dirty = true;
      }
      return;
    }
    let next: WorkloadState;
    try {
      next = this.fromDocument(id, stored.document, stored.revision);
    } catch (error) {
      this.countStoreError('load', error, id);
      return;
    }
    // Evidence collected so far stays: an operator locking a profile mid-incident must not reset its score.
    if (previous?.scorer && next.scorer) next.scorer = previous.scorer;
    if (previous?.scorer && next.calibrator) next.scorer?.setThresholds(next.calibrator.thresholds());
    this.states.set(id, next);
    this.log.info({ id, state: next.lifecycle.state, revision: stored.revision }, previous ? 'profile changed in the store: reloaded' : 'profile added to the store: loaded');
  }

  private countOverflow(state: WorkloadState): void {
    const overflow = state.profile.overflow;
    for (const c of CATEGORIES) {
      const added = overflow[c] - state.overflowSeen[c];
      if (added > 0) this.metrics.overflow.inc({ ...workloadLabels(state.workload), category: c }, added);
    }
    state.overflowSeen = { ...overflow };
  }

  /** A document the store read but the engine cannot use: the store did not count this one. */
  private countStoreError(operation: ProfileStoreOperation, error: unknown, id?: string): void {
    this.metrics.storeErrors.inc({ operation });
    this.logStoreError(operation, error, id);
  }

  private logStoreError(operation: ProfileStoreOperation, error: unknown, id?: string): void {
    this.log.error({ operation, id, error: error instanceof Error ? error.message : String(error) }, 'profile store error');
  }
}

export function toObservation(record: ObservationRecord): Observation {
  switch (record.kind) {
    case 'exec':
      return { category: 'exec', path: record.exe, argv: record.argv };
    case 'file': {
      const modes: FileAccess[] = [];
      if (record.read) modes.push('read');
      if (record.write) modes.push('write');
      if (record.create) modes.push('create');
      if (record.truncate) modes.push('truncate');
      return { category: 'file', path: record.path, modes };
    }
    case 'syscall':
      return { category: 'syscall', nr: record.nr };
    case 'syscall_sequence':
      return { category: 'syscall_sequence', calls: record.calls };
    case 'network':
      return { category: 'network', direction: record.direction, family: record.family, protocol: record.protocol, address: record.address, port: record.port };
    case 'dns':
      return { category: 'dns', name: record.name };
    case 'capability':
      return { category: 'capability', capability: record.capability };
  }
}

/** The item an anomaly shows: what a human would search for (a path, a peer, a name). */
export function anomalyItem(record: ObservationRecord): string {
  // A file is the path alone: alert rules match sensitive paths on the item.
  return record.kind === 'file' ? record.path : describeRecord(record);
}

function describeCategory(category: Category): string {
  const words: Record<Category, string> = {
    exec: 'process',
    file: 'file access',
    syscall: 'syscall',
    syscall_sequence: 'syscall sequence',
    network: 'network peer',
    dns: 'DNS name',
    capability: 'capability',
  };
  return words[category];
}
