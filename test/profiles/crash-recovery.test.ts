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
const ARGS = ['--learning-period', '120s', '--stable-after', '1h', '--epoch-interval', '1s', '--save-interval', `${SAVE_INTERVAL_S}s`];

interface StoredSpec {
  workload: { workload: string };
  state: string;
  learnedSeconds: number;
  epochs: number;
  entryCounts: Record<string, number>;
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

  it(`resumes learning after kill -9, losing at most the ${SAVE_INTERVAL_S} s save interval`, async () => {
    loop = cgroup.run(`while [ ! -e '${work}/stop' ]; do cat /etc/hostname > /dev/null; busybox ls / > /dev/null; sleep 0.2; done`);
    exporter = await startExporter({ stateDir, args: ARGS });
    const before = await waitFor(
      () => {
        const spec = storedProfile(stateDir, cgroup.workload);
        return spec && spec.learnedSeconds >= 8 ? spec : undefined;
      },
      { description: 'eight seconds of learning on disk', timeoutMs: 60_000, intervalMs: 200 },
    );
    const learnedAtKill = before.learnedSeconds + SAVE_INTERVAL_S;
    process.kill(exporter.process.pid, 'SIGKILL');
    await waitFor(() => (exporter?.process.exitDescription ? true : undefined), { description: 'the exporter to die', timeoutMs: 10_000 });
    const survivor = storedProfile(stateDir, cgroup.workload);
    expect(survivor?.state).toBe('learning');
    // What is on disk is at most one save interval behind what the dead exporter had learned.
    expect(learnedAtKill - (survivor?.learnedSeconds ?? 0)).toBeLessThanOrEqual(SAVE_INTERVAL_S * 2);

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
    expect(resumed).toBeGreaterThanOrEqual((survivor?.learnedSeconds ?? 0) / 120);
    await waitFor(
      () => {
        const spec = storedProfile(stateDir, cgroup.workload);
        return spec && spec.learnedSeconds > (survivor?.learnedSeconds ?? 0) + 2 ? spec : undefined;
      },
      { description: 'learning time to keep growing after the restart', timeoutMs: 30_000, intervalMs: 200 },
    );
    const after = storedProfile(stateDir, cgroup.workload);
    expect(after?.entryCounts['exec']).toBeGreaterThanOrEqual(survivor?.entryCounts['exec'] ?? 0);
    expect(after?.epochs).toBeGreaterThan(survivor?.epochs ?? 0);
  });
});
