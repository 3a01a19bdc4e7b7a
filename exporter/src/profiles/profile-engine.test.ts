import { describe, expect, it } from 'vitest';
import type { ObservationRecord } from '../sensor/sensor-record.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';
import type { EngineSettings } from './profile-engine.js';
import { createTestEngine, engineExec as exec, engineProcess as process, routine } from './test-fixtures/engine-fixtures.js';
import { profileId } from './profile-id.js';

const workload: WorkloadRef = { namespace: '', workload: 'shop/web', workloadType: 'cgroup', container: '' };

function setup(overrides: Partial<EngineSettings> = {}) {
  const t = createTestEngine(overrides);
  return { ...t, learn: (epochs: number, stepMs = 5000) => t.learn(epochs, [workload], stepMs) };
}

describe('ProfileEngine', () => {
  it('learns, becomes ready at the end of the period, and scores a novel binary above the threshold', async () => {
    const { engine, findings, learn, metric } = setup();
    learn(6); // 30 s: still learning
    expect(engine.profileViews()).toEqual([expect.objectContaining({ state: 'learning', scores: null })]);
    learn(8); // 70 s: past the 60 s period, quiet since the start
    const [view] = [...engine.profileViews()];
    expect(view).toMatchObject({ state: 'ready', progress: 1 });
    expect(view?.scores?.overall).toBe(0);

    for (const r of routine) engine.observe(workload, r);
    expect([...engine.profileViews()][0]?.scores?.overall).toBe(0);
    expect(await metric('telltale_anomalies_total')).toEqual([]);

    engine.observe(workload, exec('/usr/bin/nc', ['nc', '10.0.0.1', '4444']));
    const scores = [...engine.profileViews()][0]?.scores;
    expect(scores?.overall).toBeGreaterThanOrEqual(0.9);
    expect(await metric('telltale_anomalies_total', { category: 'exec' })).toEqual([expect.objectContaining({ value: 1 })]);
    expect(await metric('telltale_anomaly_last_seen_timestamp_seconds', { item: '/usr/bin/nc' })).toHaveLength(1);
    expect(findings).toEqual([expect.objectContaining({ kind: 'anomaly', category: 'exec', item: '/usr/bin/nc', severity: 'warning' })]);
  });

  it('does not page on a single novel syscall', () => {
    const { engine, findings, learn } = setup();
    learn(14);
    engine.observe(workload, { kind: 'syscall', process, nr: 101 });
    expect([...engine.profileViews()][0]?.scores?.overall).toBeLessThan(0.9);
    expect(findings).toEqual([]);
  });

  it('persists learning and resumes it after a restart', async () => {
    const first = setup();
    first.learn(4);
    await first.engine.persist();
    const stored = first.store.files.get(profileId(workload));
    expect(stored?.document).toMatchObject({ state: 'learning', learnedSeconds: 20, epochs: 4 });

    const second = setup();
    for (const [id, f] of first.store.files) second.store.files.set(id, f);
    await second.engine.start();
    second.learn(10);
    expect([...second.engine.profileViews()][0]).toMatchObject({ state: 'ready' });
    await second.engine.persist();
    expect(second.store.files.get(profileId(workload))?.document).toMatchObject({ state: 'ready', readyReason: 'period', epochs: 12 });
  });

  it('picks up a lock made in the store instead of overwriting it', async () => {
    const { engine, store, learn } = setup({ keepLearning: true });
    learn(14);
    await engine.persist();
    const id = profileId(workload);
    const stored = store.files.get(id);
    if (!stored) throw new Error('not stored');
    store.files.set(id, { revision: stored.revision + 1, document: { ...stored.document, state: 'locked', lockedAt: '2026-11-28T11:00:00.000Z' } });
    // Meanwhile the engine learns something after ready, so it has a change to write.
    engine.observe(workload, exec('/usr/bin/date', ['date']));
    await engine.persist(); // revision conflict: reloads instead of writing
    expect(store.files.get(id)?.document.state).toBe('locked');
    expect([...engine.profileViews()][0]?.state).toBe('locked');
    // Locked profiles learn nothing more.
    engine.observe(workload, exec('/usr/bin/uptime', ['uptime']));
    await engine.persist();
    expect(store.files.get(id)?.revision).toBe(stored.revision + 1);
  });

  it('never reloads its own write over changes made while the write was in flight', async () => {
    const { engine, store, learn } = setup();
    learn(4);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const save = store.save.bind(store);
    store.save = async (id, document, expected) => {
      const revision = await save(id, document, expected);
      await gate; // the write is on disk, the engine has not heard back yet
      return revision;
    };
    const persisting = engine.persist();
    await new Promise((resolve) => setTimeout(resolve, 10));
    learn(10); // ready meanwhile
    const syncing = engine.syncExternalChanges();
    release();
    await Promise.all([persisting, syncing]);
    expect([...engine.profileViews()][0]?.state).toBe('ready');
    // The change made during the write is still owed to the store, and the next persist writes it.
    store.save = save;
    await engine.persist();
    expect(store.files.get(profileId(workload))?.document).toMatchObject({ state: 'ready', readyReason: 'period' });
  });

  it('carries the profile over to a new workload version and records the change', async () => {
    const { engine, store, learn } = setup();
    learn(14);
    const v1: WorkloadRef = { ...workload, version: 'sha256:1' };
    const v2: WorkloadRef = { ...workload, version: 'sha256:2' };
    engine.observe(v1, routine[0] as ObservationRecord);
    engine.observe(v2, routine[0] as ObservationRecord);
    await engine.persist();
    expect(store.files.get(profileId(workload))?.document).toMatchObject({ state: 'ready', version: 'sha256:2', previousVersion: 'sha256:1' });
    // Still ready, still scoring: no silent window after a rollout.
    engine.observe(v2, exec('/usr/bin/nc', ['nc']));
    expect([...engine.profileViews()][0]?.scores?.overall).toBeGreaterThanOrEqual(0.9);
  });

  it('loads profiles added to the store by someone else', async () => {
    const source = setup();
    source.learn(14);
    await source.engine.persist();
    const { engine, store } = setup();
    await engine.start();
    expect(engine.size).toBe(0);
    for (const [id, f] of source.store.files) store.files.set(id, f);
    await engine.syncExternalChanges();
    expect([...engine.profileViews()]).toEqual([expect.objectContaining({ state: 'ready' })]);
  });

  it('suppresses scores while the kernel loses events, and says so', () => {
    const { engine, learn, advance } = setup();
    learn(14);
    engine.lossReported(workload, 5, Date.parse('2026-11-28T10:01:10Z'));
    engine.observe(workload, exec('/usr/bin/nc', ['nc']));
    expect([...engine.profileViews()][0]).toMatchObject({ suppressed: true, scores: { overall: 0 } });
    advance(60_000);
    engine.tick();
    expect([...engine.profileViews()][0]).toMatchObject({ suppressed: false });
  });

  it('keeps what a behavioural rule flagged out of a learning profile', () => {
    const { engine, learn } = setup();
    learn(2);
    engine.observe(workload, exec('/dev/shm/x', ['x']), false);
    learn(12);
    engine.observe(workload, exec('/dev/shm/x', ['x']));
    expect([...engine.profileViews()][0]?.scores?.overall).toBeGreaterThanOrEqual(0.9);
  });

  it('calibrates on enough windows by the end of a default-shaped period that one new transition alerts; an early, uncertified profile stays conservative', async () => {
    const sequence = (calls: number[]): ObservationRecord => ({ kind: 'syscall_sequence', process, calls });
    const steady = [sequence([0, 1, 2, 3, 4, 5]), sequence([1, 2, 3, 4, 5, 0]), sequence([2, 3, 4, 5, 0, 1])];
    // Known steps, one new transition (3 -> 5): a new mix the program never made.
    const newTransition = sequence([0, 1, 2, 3, 5, 0]);
    const shape = (stableAfterMs: number) =>
      setup({ learningPeriodMs: 128 * 5000, calibrationWarmupEpochs: 8, lifecycle: { stableAfterMs, maxLearningFactor: 2 } });

    const learnUntilReady = (parts: ReturnType<typeof shape>) => {
      for (let i = 0; i < 300 && [...parts.engine.profileViews()][0]?.state !== 'ready'; i++) {
        parts.engine.beginEpoch(parts.engine.currentEpoch + 1);
        for (const r of [...routine, ...steady]) parts.engine.observe(workload, r);
        parts.advance(5000);
        parts.engine.tick();
      }
    };
    const full = shape(3_600_000);
    learnUntilReady(full);
    const [ready] = [...full.engine.profileViews()];
    expect(ready).toMatchObject({ state: 'ready' });
    expect(ready?.calibrationWindows).toBeGreaterThanOrEqual(99);
    expect(await full.metric('telltale_profile_calibration_windows')).toEqual([expect.objectContaining({ value: ready?.calibrationWindows })]);
    full.engine.observe(workload, newTransition);
    expect([...full.engine.profileViews()][0]?.scores?.categories.syscall_sequence).toBeGreaterThanOrEqual(0.9);

    const early = shape(20_000);
    learnUntilReady(early);
    const [stable] = [...early.engine.profileViews()];
    expect(stable).toMatchObject({ state: 'ready', scores: { overall: 0 } });
    expect(stable?.calibrationWindows).toBeLessThan(99);
    early.engine.observe(workload, newTransition);
    expect([...early.engine.profileViews()][0]?.scores?.categories.syscall_sequence).toBeLessThan(0.9);
  });

  it('unloads a saved profile whose workload went idle, and brings it back, ready and scoring, when the workload returns', async () => {
    const { engine, store, learn, metric, advance } = setup({ idleUnloadMs: 600_000 });
    learn(14);
    await engine.persist();
    const other: WorkloadRef = { ...workload, workload: 'shop/cron' };
    advance(300_000);
    engine.observe(other, routine[0] as ObservationRecord);
    await engine.persist();
    expect(engine.size).toBe(2); // not idle long enough yet
    advance(400_000);
    await engine.persist();
    // shop/web was idle 700 s and saved: unloaded; shop/cron was active 400 s ago and unsaved until now.
    expect([...engine.profileViews()].map((v) => v.labels.workload)).toEqual(['shop/cron']);
    expect(await metric('telltale_profile_state', { workload: 'shop/web' })).toEqual([]);
    expect(store.files.size).toBe(2);

    // A periodic sync must not load it back; the workload itself does.
    await engine.syncExternalChanges();
    expect(engine.size).toBe(1);
    engine.observe(workload, exec('/usr/bin/nc', ['nc', '10.0.0.1', '4444']));
    engine.observe(workload, routine[0] as ObservationRecord);
    await engine.persist(); // queued behind the reload: the deferred observations are replayed by now
    const back = [...engine.profileViews()].find((v) => v.labels.workload === 'shop/web');
    expect(back).toMatchObject({ state: 'ready' });
    expect(back?.scores?.overall).toBeGreaterThanOrEqual(0.9);
    expect(await metric('telltale_anomalies_total', { workload: 'shop/web', category: 'exec' })).toEqual([expect.objectContaining({ value: 1 })]);
  });

  it('keeps every profile loaded when idle unloading is off', async () => {
    const { engine, learn, advance } = setup({ idleUnloadMs: 0 });
    learn(3);
    await engine.persist();
    advance(30 * 86_400_000);
    await engine.persist();
    expect(engine.size).toBe(1);
  });
});
