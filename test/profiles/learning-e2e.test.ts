import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCgroup, type TestCgroup } from '../support/cgroup.js';
import { sampleValue, selectSamples, type ExposedSample } from '../support/exposition.js';
import { startExporter, type RunningExporter } from '../support/exporter.js';
import { waitFor } from '../support/wait-for.js';

const LEARNING = ['--learning-period', '20s', '--stable-after', '1h', '--epoch-interval', '1s', '--save-interval', '2s'];

/**
 * Issue 3 end to end, with real BPF: a workload loops through its routine (read its
 * config, run a few tools, talk to a loopback service), learns under a short
 * learning period, becomes ready, and then runs a binary it never ran before.
 */
describe('learning, readiness and anomalies end to end', () => {
  let exporter: RunningExporter;
  let cgroup: TestCgroup;
  let service: Server;
  let work: string;
  let loop: Promise<unknown> | undefined;

  beforeAll(async () => {
    mkdirSync('/run/telltale-test', { recursive: true });
    work = mkdtempSync('/run/telltale-test/learning-');
    writeFileSync(join(work, 'app.conf'), 'port=8080\n');
    writeFileSync(join(work, 'stop'), '');
    rmSync(join(work, 'stop'));
    service = createServer((socket) => socket.end('ok\n'));
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    const address = service.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    exporter = await startExporter({ args: LEARNING });
    cgroup = createTestCgroup(`telltale-e2e-learning-${process.pid}`);
    // The routine: the same work every 200 ms until told to stop.
    const routine = [
      `while [ ! -e '${work}/stop' ]; do`,
      `  cat '${work}/app.conf' > /dev/null`,
      '  date > /dev/null',
      '  busybox ls / > /dev/null',
      `  busybox nc 127.0.0.1 ${port} < /dev/null > /dev/null 2>&1`,
      '  sleep 0.2',
      'done',
    ].join('\n');
    loop = cgroup.run(routine);
  });

  afterAll(async () => {
    writeFileSync(join(work, 'stop'), '');
    await loop;
    await exporter?.stop();
    await cgroup?.remove();
    service?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const labels = () => ({ namespace: '', workload: cgroup.workload, workload_type: 'cgroup', container: '' });
  const state = (samples: ExposedSample[]) => selectSamples(samples, 'telltale_profile_state', labels()).find((s) => s.value === 1)?.labels['state'];

  it('learns, becomes ready, keeps a repeating routine at 0, and flags a never-seen binary within seconds', async () => {
    const learning = await waitFor(
      async () => {
        const samples = await exporter.metrics();
        return state(samples) === 'learning' ? samples : undefined;
      },
      { description: 'the profile to be learning', timeoutMs: 20_000 },
    );
    expect(sampleValue(learning, 'telltale_profile_learning_progress_ratio', labels())).toBeLessThan(1);
    expect(selectSamples(learning, 'telltale_deviation_score', labels())).toEqual([]);

    const ready = await waitFor(
      async () => {
        const samples = await exporter.metrics();
        return state(samples) === 'ready' ? samples : undefined;
      },
      { description: 'the profile to become ready', timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(sampleValue(ready, 'telltale_profile_learning_progress_ratio', labels())).toBe(1);
    expect(sampleValue(ready, 'telltale_profile_entries', { ...labels(), category: 'exec' })).toBeGreaterThanOrEqual(4);

    // The routine goes on after ready: several epochs of repeated, learned behaviour. The kernel
    // reports each item once per epoch, so each new report of the routine's `date` is one more epoch.
    const dateReports = () =>
      exporter.logs().filter((line) => line['msg'] === 'observation' && line['workload'] === cgroup.workload && line['item'] === '/usr/bin/date').length;
    const reportsAtReady = dateReports();
    await waitFor(() => (dateReports() >= reportsAtReady + 3 ? true : undefined), {
      description: 'three more epochs of the routine after ready',
      timeoutMs: 20_000,
    });
    const repeated = await exporter.metrics();
    expect(sampleValue(repeated, 'telltale_deviation_score', labels())).toBe(0);
    expect(selectSamples(repeated, 'telltale_anomalies_total', { ...labels(), category: 'exec' })).toEqual([]);

    const execAt = Date.now();
    await cgroup.run('id > /dev/null');
    const flagged = await waitFor(
      async () => {
        const samples = await exporter.metrics();
        const items = selectSamples(samples, 'telltale_anomaly_last_seen_timestamp_seconds', { ...labels(), category: 'exec', item: '/usr/bin/id' });
        return items.length > 0 ? samples : undefined;
      },
      { description: 'the novel binary to show up as an anomaly item', timeoutMs: 20_000, intervalMs: 100 },
    );
    const latencyMs = Date.now() - execAt;
    console.log(`novel exec -> anomaly on /metrics in ${latencyMs} ms`);
    expect(sampleValue(flagged, 'telltale_anomalies_total', { ...labels(), category: 'exec' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(flagged, 'telltale_deviation_score', labels())).toBeGreaterThanOrEqual(0.9);
    expect(sampleValue(flagged, 'telltale_category_deviation_score', { ...labels(), category: 'exec' })).toBeGreaterThanOrEqual(0.9);
    // Exactly that workload: no other profile counts this exec.
    const others = selectSamples(flagged, 'telltale_anomaly_last_seen_timestamp_seconds', { category: 'exec', item: '/usr/bin/id' });
    expect(others.map((s) => s.labels['workload'])).toEqual([cgroup.workload]);
  });

  it('stored the ready profile as schema-versioned YAML', async () => {
    type Stored = { kind: string; spec: { workload: { workload: string }; state: string; schemaVersion: number } };
    const stored = (): Stored | undefined =>
      readdirSync(join(exporter.stateDir, 'profiles'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => parse(readFileSync(join(exporter.stateDir, 'profiles', f), 'utf8')) as Stored)
        .find((d) => d.spec.workload.workload === cgroup.workload);
    // Saved every 2 s (--save-interval): readiness reaches the file with the next save.
    const ours = await waitFor(() => (stored()?.spec.state === 'ready' ? stored() : undefined), {
      description: 'the stored profile to say ready',
      timeoutMs: 10_000,
    });
    expect(ours).toMatchObject({ kind: 'WorkloadProfile', spec: { state: 'ready', schemaVersion: 1 } });
  });
});
