import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestCgroup } from '../support/cgroup.js';
import { sampleValue } from '../support/exposition.js';
import { REPO_ROOT, startExporter, type RunningExporter } from '../support/exporter.js';
import { runCommand } from '../support/run-command.js';
import {
  bpfObjectsHeldBy,
  describeRemaining,
  isRunning,
  loaderChild,
  loadedPrograms,
  processIdentity,
  remainingOf,
  type HeldBpfObjects,
  type ProcessIdentity,
} from '../support/sensor-processes.js';
import { waitFor } from '../support/wait-for.js';

const LOADER = join(REPO_ROOT, 'bpf/build/telltale-loader');

/** The programs and links a running loader holds, once it has attached (links exist). */
async function attachedObjectsOf(loader: ProcessIdentity): Promise<HeldBpfObjects> {
  const held = await waitFor(
    () => {
      const objects = bpfObjectsHeldBy(loader.pid);
      return objects.linkIds.length > 0 ? objects : undefined;
    },
    { description: `loader ${loader.pid} to hold attached BPF links`, timeoutMs: 30_000, abortIf: () => (isRunning(loader) ? undefined : new Error('the loader exited')) },
  );
  const names = loadedPrograms()
    .filter((p) => held.programIds.includes(p.id))
    .map((p) => p.name);
  expect(names).toEqual(expect.arrayContaining(['tt_sys_enter', 'tt_exec', 'tt_inet_state', 'tt_cgroup_mkdir']));
  return held;
}

/** Waits until the kernel has freed what the loader held (after an RCU grace period, so polled). */
async function expectReleased(held: HeldBpfObjects): Promise<void> {
  let last = remainingOf(held);
  await waitFor(
    () => {
      last = remainingOf(held);
      return last.programs.length === 0 && last.linkIds.length === 0 ? true : undefined;
    },
    { description: () => `the loader's BPF objects to be released (${describeRemaining(last)})`, timeoutMs: 15_000 },
  );
}

async function waitUntilGone(process: ProcessIdentity, what: string): Promise<void> {
  await waitFor(() => (isRunning(process) ? undefined : true), { description: `${what} (pid ${process.pid}) to exit`, timeoutMs: 15_000 });
}

describe('loader faults', () => {
  let exporter: RunningExporter | undefined;
  const cgroup = createTestCgroup(`telltale-e2e-faults-${process.pid}`);
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    await exporter?.stop();
    exporter = undefined;
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await cgroup.remove();
  });

  it('restarts a killed loader within 2 s and keeps observing; nothing stays attached after stop', async () => {
    exporter = await startExporter();
    const first = loaderChild(exporter.process.pid);
    if (!first) throw new Error('the exporter has no telltale-loader child');
    const firstHeld = await attachedObjectsOf(first);

    const killedAt = Date.now();
    process.kill(first.pid, 'SIGKILL');
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
    expect(Number(exitLog?.['restartInMs'])).toBeLessThan(2000);
    console.log(`loader killed -> attached again in ${restarted - killedAt} ms (restart delay ${String(exitLog?.['restartInMs'])} ms)`);
    expect(isRunning(first)).toBe(false);
    const second = loaderChild(exporter.process.pid);
    if (!second) throw new Error('the exporter has no telltale-loader child after the restart');
    expect(second.pid).not.toBe(first.pid);
    const startedLog = exporter.logs().filter((line) => line['msg'] === 'loader started');
    expect(startedLog.map((line) => line['pid'])).toEqual([first.pid, second.pid]);
    // The killed loader's programs went with it; the new one attached its own.
    await expectReleased(firstHeld);
    const secondHeld = await attachedObjectsOf(second);
    expect(secondHeld.programIds.filter((id) => firstHeld.programIds.includes(id))).toEqual([]);

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
    await waitUntilGone(second, 'the loader of the stopped exporter');
    // Links go with the loader's fds; the kernel frees the programs after an RCU grace period.
    await expectReleased(secondHeld);
  });

  it('the loader exits when the exporter is SIGKILLed, and takes its programs with it', async () => {
    exporter = await startExporter();
    const loader = loaderChild(exporter.process.pid);
    if (!loader) throw new Error('the exporter has no telltale-loader child');
    const held = await attachedObjectsOf(loader);

    // SIGKILL: the exporter gets no chance to stop its child; only the loader's own watch on its parent can.
    process.kill(exporter.process.pid, 'SIGKILL');
    const killed = exporter;
    await waitFor(() => killed.process.exitDescription, { description: 'the exporter to die', timeoutMs: 15_000 });
    expect(killed.process.exitDescription).toBe('signal SIGKILL');
    await waitUntilGone(loader, 'the orphaned loader');
    await expectReleased(held);
  });

  it('the loader exits on EOF of its command stdin while its parent lives', async () => {
    const child = spawn(LOADER, ['--ngram', '6'], { stdio: ['pipe', 'ignore', 'pipe'] });
    cleanups.push(() => void child.kill('SIGKILL'));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const loader = await waitFor(() => (child.pid === undefined ? undefined : processIdentity(child.pid)), { description: 'the loader to start', timeoutMs: 10_000 });
    const held = await attachedObjectsOf(loader);

    child.stdin.end();
    // A clean exit (code 0, no signal): the loader saw the EOF, it was not killed.
    expect(await exited, stderr).toEqual({ code: 0, signal: null });
    await expectReleased(held);
  });

  it('the loader dies with its parent even while something else holds its stdin open (PR_SET_PDEATHSIG)', async () => {
    // stdin is a FIFO this test keeps open for writing, so no EOF can tell the loader that its parent died.
    const dir = mkdtempSync(join(tmpdir(), 'telltale-pdeathsig-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const fifo = join(dir, 'commands');
    expect(await runCommand('mkfifo', [fifo])).toMatchObject({ exitCode: 0 });
    const writer = openSync(fifo, 'r+');
    cleanups.push(() => closeSync(writer));

    // A shell parent that starts the loader and prints its pid; the shell is what gets killed.
    const parent = spawn('/bin/sh', ['-c', '"$0" --ngram 6 < "$1" > /dev/null 2>&1 & echo $!; wait', LOADER, fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    cleanups.push(() => void parent.kill('SIGKILL'));
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const loaderPid = await waitFor(() => (/^(\d+)\n/.exec(out)?.[1] ?? undefined), { description: 'the shell to start the loader', timeoutMs: 10_000 });
    const loader = processIdentity(Number(loaderPid));
    if (!loader) throw new Error(`loader ${loaderPid} exited at once`);
    cleanups.push(() => {
      if (isRunning(loader)) process.kill(loader.pid, 'SIGKILL');
    });
    const held = await attachedObjectsOf(loader);

    parent.kill('SIGKILL');
    await waitUntilGone(loader, 'the loader whose parent was killed');
    await expectReleased(held);
  });
});
