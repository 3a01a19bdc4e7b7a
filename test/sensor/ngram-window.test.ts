import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCgroup, type TestCgroup } from '../support/cgroup.js';
import { startExporter, type RunningExporter } from '../support/exporter.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A thread's first n-gram is the one that ends at its n-th syscall. A process that makes
 * exactly n syscalls in a fresh cgroup must still show its one window; eval replays
 * traces with the same rule, so the two agree.
 */
describe('syscall n-gram window', () => {
  let exporter: RunningExporter;
  let cgroup: TestCgroup;
  let work: string;
  let helper: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'telltale-ngram-'));
    helper = join(work, 'exact-syscalls');
    execFileSync('cc', ['-O1', '-static', '-o', helper, join(import.meta.dirname, 'fixtures', 'exact-syscalls.c')]);
    exporter = await startExporter();
    cgroup = createTestCgroup(`telltale-e2e-ngram-${process.pid}`);
  });

  afterAll(async () => {
    await exporter?.stop();
    await cgroup?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reports the window completed by the n-th syscall of a thread in a new cgroup', async () => {
    const run = spawnSync(helper, [join(cgroup.path, 'cgroup.procs')]);
    expect(run.status).toBe(0);
    const sequences = await waitFor(
      () => {
        const found = exporter
          .logs()
          .filter((line) => line['msg'] === 'observation' && line['workload'] === cgroup.workload && line['category'] === 'syscall_sequence')
          .map((line) => line['item']);
        return found.length > 0 ? found : undefined;
      },
      { description: `the n-gram of ${cgroup.workload}`, timeoutMs: 20_000 },
    );
    expect(sequences).toEqual(['close getppid getuid getgid geteuid exit_group']);
  });
});
