import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCgroup, type TestCgroup } from '../support/cgroup.js';
import { sampleValue } from '../support/exposition.js';
import { startExporter, type RunningExporter } from '../support/exporter.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Both capability modes with real BPF: the `cap_capable` hook sees the kernel's own checks
 * (granted or denied); the derived mode maps syscalls and their arguments to capabilities.
 * Each must report what a workload used, and say which mode is active.
 */
describe.each(['hook', 'derived'] as const)('capabilities in %s mode', (mode) => {
  let exporter: RunningExporter;
  let cgroup: TestCgroup;
  let work: string;

  beforeAll(async () => {
    exporter = await startExporter({ args: ['--capability-mode', mode] });
    work = mkdtempSync(join(tmpdir(), 'telltale-caps-'));
    cgroup = createTestCgroup(`telltale-e2e-caps-${mode}-${process.pid}`);
  });

  afterAll(async () => {
    await exporter?.stop();
    await cgroup?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reports the capabilities a workload used, and the active mode', async () => {
    const owned = join(work, 'owned');
    writeFileSync(owned, 'x');
    const script = [
      'set -e',
      `chown nobody '${owned}'`,
      'chroot / /bin/true',
      // A marker that is certainly seen after the capability records.
      `cat '${owned}' > /dev/null`,
    ].join('\n');
    expect(await cgroup.run(script)).toMatchObject({ code: 0 });

    const capabilities = () =>
      exporter
        .logs()
        .filter((line) => line['msg'] === 'observation' && line['workload'] === cgroup.workload && line['category'] === 'capability')
        .map((line) => line['item']);
    const seen = await waitFor(
      () => {
        const items = capabilities();
        return items.includes('CAP_CHOWN') && items.includes('CAP_SYS_CHROOT') ? items : undefined;
      },
      { description: `CAP_CHOWN and CAP_SYS_CHROOT of ${cgroup.workload}`, timeoutMs: 20_000 },
    );
    expect(seen).toEqual(expect.arrayContaining(['CAP_CHOWN', 'CAP_SYS_CHROOT']));

    const metrics = await exporter.metrics();
    expect(sampleValue(metrics, 'telltale_capability_mode', { mode })).toBe(1);
    expect(sampleValue(metrics, 'telltale_capability_mode', { mode: mode === 'hook' ? 'derived' : 'hook' })).toBe(0);
    expect(
      sampleValue(metrics, 'telltale_observations_total', {
        namespace: '',
        workload: cgroup.workload,
        workload_type: 'cgroup',
        container: '',
        category: 'capability',
      }),
    ).toBeGreaterThanOrEqual(2);
  });

  if (mode === 'hook') {
    it('reports a capability the kernel denied, as denied', async () => {
      const owned = join(work, 'denied');
      writeFileSync(owned, 'x');
      // nobody must reach the file, so that chown fails on the capability and not on the path.
      chmodSync(work, 0o755);
      const result = await cgroup.run(`setpriv --reuid=nobody --regid=nogroup --clear-groups chown root '${owned}'; true`);
      expect(result.output).toMatch(/Operation not permitted/);
      await waitFor(
        () =>
          exporter
            .logs()
            .some((line) => line['msg'] === 'observation' && line['workload'] === cgroup.workload && line['item'] === 'CAP_CHOWN (denied)')
            ? true
            : undefined,
        { description: 'a denied CAP_CHOWN observation', timeoutMs: 20_000 },
      );
    });
  }
});
