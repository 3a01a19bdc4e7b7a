import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../findings/finding.js';
import { FilesystemProfileStore } from '../profiles/filesystem-profile-store.js';
import { testEngineSettings } from '../profiles/test-fixtures/engine-fixtures.js';
import { exec } from '../rules/test-fixtures/records.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';
import { createDetection } from './create-detection.js';

const workload: WorkloadRef = { namespace: '', workload: 'shop/web', workloadType: 'cgroup', container: '' };

describe('Detector, wired as telltale run wires it', () => {
  let stateDir: string;
  beforeEach(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'telltale-detector-'));
  });
  afterEach(async () => {
    await rm(stateDir, { recursive: true, force: true });
  });

  async function setup() {
    const registry = new Registry();
    const findings: Finding[] = [];
    const { detection, engine } = createDetection(registry, {
      createStore: (onError) => new FilesystemProfileStore({ stateDir, quarantineCorrupt: true, onError }),
      settings: testEngineSettings({ learningPeriodMs: 3_600_000 }),
      recentItems: 20,
      publish: (finding) => findings.push(finding),
      closeSinks: async () => undefined,
      log: pino({ level: 'silent' }),
    });
    await detection.start();
    const detections = async () =>
      ((await registry.getSingleMetric('telltale_rule_detections_total')?.get())?.values ?? []).map((v) => ({ labels: v.labels, value: v.value }));
    return { detection, engine, findings, detections };
  }

  it('never learns what a behavioural rule flagged, even while learning', async () => {
    const { detection, engine, detections } = await setup();
    detection.observe(workload, exec('/usr/bin/cat', ['cat', '/etc/app.conf']));
    detection.observe(workload, exec('/dev/shm/x', ['/dev/shm/x'], { fromDevShm: true }));
    expect(await detections()).toEqual([
      { labels: expect.objectContaining({ workload: 'shop/web', rule: 'exec-from-temp' }), value: 1 },
    ]);
    const [view] = [...engine.profileViews()];
    expect(view).toMatchObject({ state: 'learning' });
    // cat was learned; the /dev/shm binary was not.
    expect(view?.entries.exec).toBe(1);
  });

  it('does not learn what a flagged process and its children do next, while learning the rest', async () => {
    const { detection, engine } = await setup();
    const shell = exec('/bin/sh', ['sh', '-i'], { stdinSocket: true, stdoutSocket: true });
    detection.observe(workload, shell);
    const child = exec('/usr/bin/id', ['id'], {}, { process: { ...shell.process, pid: 5001, tid: 5001, ppid: shell.process.pid } });
    const grandchild = exec('/usr/bin/curl', ['curl', 'http://x'], {}, { process: { ...shell.process, pid: 5002, tid: 5002, ppid: 5001 } });
    detection.observe(workload, child);
    detection.observe(workload, grandchild);
    const unrelated = exec('/usr/bin/cat', ['cat', '/etc/app.conf'], {}, { process: { ...shell.process, pid: 6000, tid: 6000, ppid: 1 } });
    detection.observe(workload, unrelated);
    const [view] = [...engine.profileViews()];
    // Only cat: the reverse shell, its id and the curl it started stay out of the profile.
    expect(view?.entries.exec).toBe(1);
  });

  it('keeps learning what a process flagged by a warning does next (self-extracting bundles run from /tmp)', async () => {
    const { detection, engine } = await setup();
    const bundle = exec('/tmp/_MEI123/app', ['/tmp/_MEI123/app'], { fromTmp: true });
    detection.observe(workload, bundle);
    detection.observe(workload, exec('/usr/bin/ldconfig', ['ldconfig', '-p'], {}, { process: { ...bundle.process, pid: 7001, tid: 7001, ppid: bundle.process.pid } }));
    // The flagged exec itself is not learned; its child is.
    expect([...engine.profileViews()][0]?.entries.exec).toBe(1);
  });

  it('judges records of unknown cgroups by the rules under one bounded workload, and learns nothing from them', async () => {
    const { detection, engine, findings, detections } = await setup();
    detection.unattributed(exec('/dev/shm/x', ['/dev/shm/x'], { fromDevShm: true }));
    detection.unattributed(exec('/usr/bin/cat', ['cat']));
    expect(await detections()).toEqual([
      { labels: expect.objectContaining({ workload: 'unattributed', workload_type: 'unattributed', rule: 'exec-from-temp' }), value: 1 },
    ]);
    expect(findings).toEqual([expect.objectContaining({ kind: 'rule', workload: expect.objectContaining({ workload: 'unattributed' }) })]);
    expect([...engine.profileViews()]).toEqual([]);
  });
});
