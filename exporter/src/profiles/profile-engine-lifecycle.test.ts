import { describe, expect, it } from 'vitest';
import { RUN_FLAGS } from '../commands/run-command.js';
import { ConfigError, parseFlags } from '../config/cli-flag.js';
import { profileRunConfig } from '../config/profile-run-config.js';
import { DEFAULT_SCORING_CONFIG } from '../scoring/scoring-config.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';
import type { EngineSettings } from './profile-engine.js';
import { MemoryStore, createTestEngine, engineExec as exec } from './test-fixtures/engine-fixtures.js';
import type { EntryMeta, ProfileDocument } from './profile-document.js';
import { profileId } from './profile-id.js';

/**
 * Lifecycle behaviours the main engine suite does not reach: per-workload learning
 * periods (`--learning-period-override`) and learning after ready (`--keep-learning`),
 * including that locked profiles never learn. Time is the injected clock only.
 */

const web: WorkloadRef = { namespace: 'shop', workload: 'web', workloadType: 'deployment', container: 'nginx' };
const api: WorkloadRef = { namespace: 'shop', workload: 'api', workloadType: 'deployment', container: 'app' };

/** A plain (class `other`) binary the routine never runs: the novel item of every keep-learning test. */
const novel = exec('/usr/bin/date', ['date']);

function setup(overrides: Partial<EngineSettings> = {}, store = new MemoryStore()) {
  // An hour of quiet for "stable": these tests only ever reach readiness through the period.
  const { engine: e, registry, findings, learn: learnIn } = createTestEngine(overrides, store);
  const learn = (epochs: number, workloads: readonly WorkloadRef[] = [web], stepMs = 5000) => learnIn(epochs, workloads, stepMs);
  const view = (w: WorkloadRef) => [...e.profileViews()].find((v) => v.labels.workload === w.workload && v.labels.container === w.container);
  /** telltale_anomalies_total{category="exec"} of one workload; 0 while the series does not exist. */
  const execAnomalies = async (w: WorkloadRef) =>
    (await registry.getSingleMetric('telltale_anomalies_total')?.get())?.values.find((v) => v.labels['workload'] === w.workload && v.labels['category'] === 'exec')?.value ?? 0;
  const document = (w: WorkloadRef): ProfileDocument => {
    const snapshot = e.snapshotOf(profileId(w));
    if (!snapshot) throw new Error(`no profile for ${w.workload}`);
    return snapshot.document;
  };
  const stored = (w: WorkloadRef) => store.files.get(profileId(w));
  return { engine: e, store, findings, learn, view, execAnomalies, document, stored };
}

/** Every entry of a document, exec argv patterns included, with the path or value that names it. */
function allEntries(doc: ProfileDocument): Array<{ name: string } & EntryMeta> {
  const { exec: execs, file, syscall, syscall_sequence, network, dns, capability } = doc.entries;
  return [
    ...execs.flatMap((e) => [{ ...e, name: e.path }, ...e.argv.map((a) => ({ ...a, name: `${e.path} ${a.tokens.join(' ')}` }))]),
    ...file.map((e) => ({ ...e, name: e.path })),
    ...syscall.map((e) => ({ ...e, name: `syscall ${e.nr}` })),
    ...syscall_sequence.map((e) => ({ ...e, name: e.calls })),
    ...network.map((e) => ({ ...e, name: e.peer })),
    ...dns.map((e) => ({ ...e, name: e.name })),
    ...capability.map((e) => ({ ...e, name: e.name })),
  ];
}

const learnedAfterReady = (doc: ProfileDocument) => allEntries(doc).filter((e) => e.addedAfterReady).map((e) => e.name);
const execPaths = (doc: ProfileDocument) => doc.entries.exec.map((e) => e.path);

describe('ProfileEngine learning-period overrides', () => {
  const shortWeb = [{ pattern: /^shop\/deployment\/web\/.*$/, periodMs: 20_000 }];

  it('gives a matching workload its own period: it is ready when that runs out, the other keeps learning', async () => {
    const { engine, learn, view, stored } = setup({ learningPeriodOverrides: shortWeb });
    learn(3, [web, api]); // 15 s: both still learning
    expect(view(web)).toMatchObject({ state: 'learning' });
    expect(view(api)).toMatchObject({ state: 'learning' });

    learn(2, [web, api]); // 25 s: past web's 20 s, far from the default 60 s
    expect(view(web)).toMatchObject({ state: 'ready', progress: 1 });
    expect(view(api)).toMatchObject({ state: 'learning', scores: null });
    // Progress is measured against each profile's own period: 25 of 60 s.
    expect(view(api)?.progress).toBeCloseTo(25 / 60, 5);

    await engine.persist();
    // The period is part of the profile, so a restart (or `profiles show`) sees the override's value.
    expect(stored(web)?.document).toMatchObject({ state: 'ready', readyReason: 'period', learningPeriodSeconds: 20 });
    expect(stored(api)?.document).toMatchObject({ state: 'learning', readyReason: null, learningPeriodSeconds: 60 });

    learn(8, [web, api]); // 65 s: now the default period is over too
    await engine.persist();
    expect(stored(api)?.document).toMatchObject({ state: 'ready', readyReason: 'period', learningPeriodSeconds: 60 });
  });

  it('parses --learning-period-override flags into overrides the engine applies', async () => {
    const argv = ['--learning-period', '1m', '--learning-period-override', 'shop/deployment/web/*=20s', '--learning-period-override', 'prod/*/web.v2/*=72h'];
    const { values } = parseFlags('run', argv, RUN_FLAGS, {});
    const config = profileRunConfig(values, 60_000);
    expect(config.learningPeriodOverrides.map((o) => o.periodMs)).toEqual([20_000, 72 * 3600_000]);
    const [first, second] = config.learningPeriodOverrides;
    // Anchored at both ends, matched against namespace/workload_type/workload/container.
    expect(first?.pattern.test('shop/deployment/web/nginx')).toBe(true);
    expect(first?.pattern.test('shop/deployment/api/app')).toBe(false);
    expect(first?.pattern.test('xshop/deployment/web/nginx')).toBe(false);
    // `*` spans slashes; everything else is literal, so `.` in a workload name is not a regex wildcard.
    expect(second?.pattern.test('prod/deployment/web.v2/app')).toBe(true);
    expect(second?.pattern.test('prod/a/b/web.v2/app')).toBe(true);
    expect(second?.pattern.test('prod/deployment/webXv2/app')).toBe(false);

    // The same flags drive the engine: only the matching workload learns for 20 s.
    const { learn, view, stored, engine } = setup({ learningPeriodOverrides: config.learningPeriodOverrides });
    learn(5, [web, api]);
    expect(view(web)).toMatchObject({ state: 'ready' });
    expect(view(api)).toMatchObject({ state: 'learning' });
    await engine.persist();
    expect(stored(web)?.document.learningPeriodSeconds).toBe(20);
    expect(stored(api)?.document.learningPeriodSeconds).toBe(60);

    // The environment variable takes a comma-separated list, like every repeatable flag.
    const env = parseFlags('run', [], RUN_FLAGS, { TELLTALE_LEARNING_PERIOD_OVERRIDE: 'shop/*=20s, prod/*=72h' }).values;
    expect(profileRunConfig(env, 60_000).learningPeriodOverrides.map((o) => o.periodMs)).toEqual([20_000, 72 * 3600_000]);
  });

  it('rejects a malformed override with a ConfigError naming the flag and the value', () => {
    const parse = (override: string) => () => profileRunConfig(parseFlags('run', ['--learning-period-override', override], RUN_FLAGS, {}).values, 60_000);
    for (const bad of ['shop/*', '=20s', 'shop/*=soon', 'shop/*=500ms', 'shop/*=']) {
      expect(parse(bad), bad).toThrow(ConfigError);
      expect(parse(bad), bad).toThrow(`--learning-period-override ${JSON.stringify(bad)}: expected GLOB=DURATION`);
    }
  });
});

describe('ProfileEngine learning after ready', () => {
  it('with keepLearning, counts a new item once, learns it as addedAfterReady, and does not count it again', async () => {
    const { engine, learn, view, execAnomalies, document, stored, findings } = setup({ keepLearning: true });
    learn(14);
    expect(view(web)).toMatchObject({ state: 'ready', scores: { overall: 0 } });
    await engine.persist();
    const readyDoc = stored(web)?.document;
    expect(readyDoc).toMatchObject({ learnAfterReady: true });
    // Everything learned while learning is unmarked: the mark must single out what came later.
    expect(readyDoc && learnedAfterReady(readyDoc)).toEqual([]);
    const readyExecs = readyDoc?.entryCounts.exec ?? 0;

    engine.observe(web, novel);
    expect(await execAnomalies(web)).toBe(1);
    const firstScore = view(web)?.scores?.categories.exec ?? 0;
    // Scored against the profile as it was before learning the item, so the first sighting alerts.
    expect(firstScore).toBeGreaterThanOrEqual(0.9);
    expect(findings).toEqual([expect.objectContaining({ kind: 'anomaly', category: 'exec', item: '/usr/bin/date' })]);
    // Learned right away, marked, in the live document and in the store after persist.
    expect(learnedAfterReady(document(web))).toEqual(['/usr/bin/date', '/usr/bin/date date']);
    await engine.persist();
    const afterDoc = stored(web)?.document;
    expect(afterDoc?.entryCounts.exec).toBe(readyExecs + 1);
    expect(afterDoc && learnedAfterReady(afterDoc)).toEqual(['/usr/bin/date', '/usr/bin/date date']);
    expect(afterDoc?.entries.exec.find((e) => e.path === '/usr/bin/cat')).toMatchObject({ addedAfterReady: false });

    // Second sighting: known now, so not an anomaly and no finding. It is not weightless yet:
    // an entry seen in ≤ rareSupport epochs still adds novelWeight · rareFactor^support.
    engine.observe(web, novel);
    expect(await execAnomalies(web)).toBe(1);
    expect(findings).toHaveLength(1);
    const secondScore = view(web)?.scores?.categories.exec ?? 0;
    expect(secondScore).toBeGreaterThan(firstScore);

    // Seen in more than rareSupport epochs it weighs nothing: the score stands still (the clock does too).
    for (let i = 0; i < DEFAULT_SCORING_CONFIG.rareSupport; i++) {
      engine.beginEpoch(engine.currentEpoch + 1);
      engine.observe(web, novel);
    }
    const settled = view(web)?.scores?.categories.exec ?? 0;
    engine.observe(web, novel);
    expect(view(web)?.scores?.categories.exec).toBe(settled);
    expect(await execAnomalies(web)).toBe(1);
    expect(document(web).entries.exec.find((e) => e.path === '/usr/bin/date')).toMatchObject({ support: DEFAULT_SCORING_CONFIG.rareSupport + 1, addedAfterReady: true });
  });

  it('with keepLearning, still learns nothing a behavioural rule flagged', async () => {
    const { engine, learn, execAnomalies, document } = setup({ keepLearning: true });
    learn(14);
    const shm = exec('/dev/shm/x', ['x']);
    engine.observe(web, shm, false);
    engine.observe(web, shm, false);
    expect(await execAnomalies(web)).toBe(2);
    expect(execPaths(document(web))).not.toContain('/dev/shm/x');
    expect(learnedAfterReady(document(web))).toEqual([]);
  });

  it('without keepLearning, counts a repeated new item every time and never learns it', async () => {
    const { engine, learn, execAnomalies, document, stored } = setup({ keepLearning: false });
    learn(14);
    await engine.persist();
    const before = stored(web);
    expect(before?.document).toMatchObject({ state: 'ready', learnAfterReady: false });

    // The engine does not deduplicate: every observation outside a ready profile is an anomaly.
    // (Repeats are rare in practice because the kernel reports an item once per epoch.)
    engine.observe(web, novel);
    expect(await execAnomalies(web)).toBe(1);
    engine.observe(web, novel);
    expect(await execAnomalies(web)).toBe(2);
    engine.beginEpoch(engine.currentEpoch + 1);
    engine.observe(web, novel);
    expect(await execAnomalies(web)).toBe(3);

    const live = document(web);
    expect(execPaths(live)).not.toContain('/usr/bin/date');
    expect(live.entryCounts).toEqual(before?.document.entryCounts);
    // A ready profile that does not learn does not count epochs either.
    expect(live.epochs).toBe(before?.document.epochs);
    expect(learnedAfterReady(live)).toEqual([]);
    // Nothing changed, so nothing is written.
    await engine.persist();
    expect(stored(web)?.revision).toBe(before?.revision);
  });

  it('keeps the stored setting: a profile saved without learning after ready does not learn under --keep-learning', async () => {
    const first = setup({ keepLearning: false });
    first.learn(14);
    await first.engine.persist();

    const second = setup({ keepLearning: true }, first.store);
    await second.engine.start();
    second.engine.observe(web, novel);
    second.engine.observe(web, novel);
    expect(await second.execAnomalies(web)).toBe(2);
    expect(execPaths(second.document(web))).not.toContain('/usr/bin/date');
  });

  it('never learns into a locked profile, even one stored with learnAfterReady', async () => {
    const { engine, store, learn, view, execAnomalies, document, stored } = setup({ keepLearning: true });
    learn(14);
    await engine.persist();
    const id = profileId(web);
    const ready = stored(web);
    if (!ready) throw new Error('not stored');
    // An operator locks it (telltale profiles lock); learnAfterReady stays true in the document.
    store.files.set(id, { revision: ready.revision + 1, document: { ...ready.document, state: 'locked', lockedAt: '2026-11-28T11:00:00.000Z' } });
    await engine.syncExternalChanges();
    expect(view(web)).toMatchObject({ state: 'locked' });
    expect(document(web)).toMatchObject({ state: 'locked', learnAfterReady: true });
    const lockedDoc = document(web);

    engine.observe(web, novel);
    engine.beginEpoch(engine.currentEpoch + 1);
    engine.observe(web, novel);
    // Never learned, so every sighting is new.
    expect(await execAnomalies(web)).toBe(2);
    const live = document(web);
    expect(execPaths(live)).not.toContain('/usr/bin/date');
    expect(live.entryCounts).toEqual(lockedDoc.entryCounts);
    expect(live.epochs).toBe(lockedDoc.epochs);
    expect(learnedAfterReady(live)).toEqual([]);
    await engine.persist();
    expect(stored(web)?.revision).toBe(ready.revision + 1);
  });
});
