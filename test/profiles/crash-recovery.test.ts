import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestCgroup } from '../support/cgroup.js';
import { sampleValue } from '../support/exposition.js';
import { startExporter, type RunningExporter } from '../support/exporter.js';
import { waitFor } from '../support/wait-for.js';

const SAVE_INTERVAL_S = 2;
const LEARNING_PERIOD_S = 120;
const ARGS = ['--learning-period', `${LEARNING_PERIOD_S}s`, '--stable-after', '1h', '--epoch-interval', '1s', '--save-interval', `${SAVE_INTERVAL_S}s`];

interface StoredSpec {
  workload: { workload: string };
  state: string;
  learnedSeconds: number;
  epochs: number;
  entryCounts: Record<string, number>;
  entries: { exec: Array<{ path: string }> };
}

interface ApiSummary {
  id: string;
  learningProgress: number;
}

/** The running exporter's own view (memory, not disk), from its profile API. */
async function liveProfile(exporter: RunningExporter, workload: string): Promise<ApiSummary | undefined> {
  const response = await fetch(`${exporter.url}/api/v1/profiles?workload=${encodeURIComponent(workload)}`);
  if (!response.ok) return undefined;
  const page = (await response.json()) as { items: ApiSummary[] };
  return page.items[0];
}

async function liveExecs(exporter: RunningExporter, id: string): Promise<string[]> {
  const response = await fetch(`${exporter.url}/api/v1/profiles/${encodeURIComponent(id)}`);
  if (!response.ok) return [];
  const detail = (await response.json()) as { entries: { exec: Array<{ value: string }> } };
  return detail.entries.exec.map((e) => e.value);
}

function storedProfile(stateDir: string, workload: string): StoredSpec | undefined {
  let files: string[];
  try {
    files = readdirSync(join(stateDir, 'profiles')).filter((f) => f.endsWith('.yaml'));
  } catch {
    return undefined;
  }
  for (const file of files) {
    const doc = parse(readFileSync(join(stateDir, 'profiles', file), 'utf8')) as { spec: StoredSpec };
    if (doc.spec.workload.workload === workload) return doc.spec;
  }
  return undefined;
}

describe('crash recovery', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'telltale-crash-'));
  const work = mkdtempSync(join(tmpdir(), 'telltale-crash-work-'));
  const cgroup = createTestCgroup(`telltale-e2e-crash-${process.pid}`);
  let exporter: RunningExporter | undefined;
  let loop: Promise<unknown> | undefined;

  afterAll(async () => {
    writeFileSync(join(work, 'stop'), '');
    await loop;
    await exporter?.stop();
    await cgroup.remove();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it(`resumes learning after kill -9, losing about the ${SAVE_INTERVAL_S} s save interval and nothing learned before it`, async () => {
    loop = cgroup.run(`while [ ! -e '${work}/stop' ]; do cat /etc/hostname > /dev/null; busybox ls / > /dev/null; sleep 0.2; done`);
    exporter = await startExporter({ stateDir, args: ARGS });
    const before = await waitFor(
      () => {
        const spec = storedProfile(stateDir, cgroup.workload);
        return spec && spec.learnedSeconds >= 8 ? spec : undefined;
      },
      { description: 'eight seconds of learning on disk', timeoutMs: 60_000, intervalMs: 200 },
    );
    // Something new, learned after the first saves: it must reach the disk within a save interval.
    const novel = '/usr/bin/stat';
    expect((await cgroup.run(`${novel} / > /dev/null`)).code).toBe(0);
    const live = await waitFor(() => liveProfile(exporter as RunningExporter, cgroup.workload), { description: 'the profile in the API', timeoutMs: 10_000 });
    await waitFor(async () => ((await liveExecs(exporter as RunningExporter, live.id)).includes(novel) ? true : undefined), {
      description: `${novel} learned in memory`,
      timeoutMs: 20_000,
    });
    await waitFor(() => (storedProfile(stateDir, cgroup.workload)?.entries.exec.some((e) => e.path === novel) ? true : undefined), {
      description: `${novel} written to disk by a periodic save`,
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    const learnedAtKill = ((await liveProfile(exporter, cgroup.workload))?.learningProgress ?? 0) * LEARNING_PERIOD_S;
    process.kill(exporter.process.pid, 'SIGKILL');
    await waitFor(() => (exporter?.process.exitDescription ? true : undefined), { description: 'the exporter to die', timeoutMs: 10_000 });
    const survivor = storedProfile(stateDir, cgroup.workload);
    expect(survivor?.state).toBe('learning');
    expect(survivor?.learnedSeconds).toBeGreaterThan(before.learnedSeconds);
    // What is on disk is about one save interval behind what the dead exporter had learned,
    // plus the time a write takes on this busy machine; a daemon that stopped saving would
    // be tens of seconds behind (the first saves came ~20 s before the kill).
    const behind = learnedAtKill - (survivor?.learnedSeconds ?? 0);
    console.log(`crash recovery: the disk was ${behind.toFixed(1)} s of learning behind the live exporter at kill -9 (save interval ${SAVE_INTERVAL_S} s)`);
    expect(behind).toBeLessThanOrEqual(SAVE_INTERVAL_S * 3);
    expect(survivor?.entries.exec.map((e) => e.path)).toContain(novel);

    exporter = await startExporter({ stateDir, args: ARGS });
    const labels = { namespace: '', workload: cgroup.workload, workload_type: 'cgroup', container: '' };
    const resumed = await waitFor(
      async () => {
        const samples = await exporter?.metrics();
        const progress = samples && sampleValue(samples, 'telltale_profile_learning_progress_ratio', labels);
        return progress !== undefined ? progress : undefined;
      },
      { description: 'the restarted exporter to report the profile', timeoutMs: 30_000 },
    );
    // Learning resumes from the stored time, not from zero.
    expect(resumed).toBeGreaterThanOrEqual((survivor?.learnedSeconds ?? 0) / LEARNING_PERIOD_S);
    await waitFor(
      () => {
        const spec = storedProfile(stateDir, cgroup.workload);
        return spec && spec.learnedSeconds > (survivor?.learnedSeconds ?? 0) + 2 ? spec : undefined;
      },
      { description: 'learning time to keep growing after the restart', timeoutMs: 30_000, intervalMs: 200 },
    );
    const after = storedProfile(stateDir, cgroup.workload);
    expect(after?.entryCounts['exec']).toBeGreaterThanOrEqual(survivor?.entryCounts['exec'] ?? 0);
    expect(await liveExecs(exporter, live.id)).toContain(novel);
    expect(after?.epochs).toBeGreaterThan(survivor?.epochs ?? 0);
  });
});
