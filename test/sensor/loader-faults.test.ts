import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestCgroup } from '../support/cgroup.js';
import { sampleValue } from '../support/exposition.js';
import { startExporter, type RunningExporter } from '../support/exporter.js';
import { waitFor } from '../support/wait-for.js';

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function loaderPid(exporterPid: number): number | undefined {
  return childPids(exporterPid).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'telltale-loader';
    } catch {
      return false;
    }
  });
}

/** Names of the sensor's programs loaded in the kernel right now (all start with tt_). */
function sensorPrograms(): string[] {
  const programs = JSON.parse(execFileSync('bpftool', ['prog', 'show', '--json'], { encoding: 'utf8' })) as Array<{ name?: string }>;
  return programs.map((p) => p.name ?? '').filter((name) => name.startsWith('tt_'));
}

describe('loader faults', () => {
  let exporter: RunningExporter | undefined;
  const cgroup = createTestCgroup(`telltale-e2e-faults-${process.pid}`);
  afterAll(async () => {
    await exporter?.stop();
    await cgroup.remove();
  });

  it('restarts a killed loader within 2 s and keeps observing; nothing stays attached after stop', async () => {
    exporter = await startExporter();
    expect(sensorPrograms()).toEqual(expect.arrayContaining(['tt_sys_enter', 'tt_exec', 'tt_inet_state', 'tt_cgroup_mkdir']));
    const first = loaderPid(exporter.process.pid);
    expect(first).toBeDefined();

    const killedAt = Date.now();
    process.kill(first ?? 0, 'SIGKILL');
    const restarted = await waitFor(
      async () => {
        const samples = await exporter?.metrics();
        return samples && sampleValue(samples, 'telltale_loader_restarts_total') === 1 && sampleValue(samples, 'telltale_bpf_events_total', { kind: 'hello' }) === 2
          ? Date.now()
          : undefined;
      },
      { description: 'the loader to be restarted and attached again', timeoutMs: 30_000, intervalMs: 50 },
    );
    // The restart decision is deterministic; how long attaching takes depends on the machine.
    const exitLog = exporter.logs().find((line) => line['msg'] === 'loader exited; restarting');
    expect(exitLog).toMatchObject({ signal: 'SIGKILL' });
    expect(Number(exitLog?.['restartInMs'])).toBeLessThanOrEqual(2000);
    console.log(`loader killed -> attached again in ${restarted - killedAt} ms (restart delay ${String(exitLog?.['restartInMs'])} ms)`);
    const second = loaderPid(exporter.process.pid);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);

    await cgroup.run('cat /etc/hostname > /dev/null');
    await waitFor(
      async () => {
        const samples = await exporter?.metrics();
        const execs = samples && sampleValue(samples, 'telltale_observations_total', { workload: cgroup.workload, category: 'exec' });
        return execs !== undefined && execs > 0 ? true : undefined;
      },
      { description: 'observations from the restarted loader', timeoutMs: 20_000 },
    );

    await exporter.stop();
    exporter = undefined;
    // Links go with the loader's fds; the kernel frees the programs after an RCU grace period.
    await waitFor(() => (sensorPrograms().length === 0 ? true : undefined), {
      description: () => `no sensor program left in the kernel (still loaded: ${sensorPrograms().join(', ')})`,
      timeoutMs: 15_000,
    });
  });
});
