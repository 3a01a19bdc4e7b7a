import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait-for.js';

export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';

/** An alert as `GET /api/v2/alerts` returns it (gettableAlert), the fields tests look at. */
export interface GettableAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly status: { readonly state: string };
}

export interface AlertmanagerProcess {
  readonly url: string;
  alerts(): Promise<GettableAlert[]>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Notifications are not under test: a receiver with no integrations, and a group_wait long
// enough that Alertmanager never tries to notify during a test.
const CONFIG = `route:
  receiver: blackhole
  group_wait: 1h
receivers:
  - name: blackhole
`;

function startOnce(dir: string, port: number): { child: ChildProcess; output: () => string } {
  const child = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/** Starts the real Alertmanager on a free loopback port and waits until it is ready. */
export async function startAlertmanager(): Promise<AlertmanagerProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-am-'));
  await writeFile(join(dir, 'alertmanager.yml'), CONFIG);
  for (let tries = 1; ; tries++) {
    const port = await freePort();
    const { child, output } = startOnce(dir, port);
    const url = `http://127.0.0.1:${port}`;
    let exited = false;
    child.once('exit', () => (exited = true));
    try {
      await waitFor(
        async () => {
          if (exited) throw new Error(`alertmanager exited: ${output().slice(-500)}`);
          return (await fetch(`${url}/-/ready`)).ok;
        },
        'Alertmanager ready',
        { timeoutMs: 15_000, intervalMs: 25 },
      );
    } catch (error) {
      child.kill('SIGKILL');
      // Another process may have taken the port between the probe and the bind.
      if (tries < 3 && /address already in use/.test(output())) continue;
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
    return {
      url,
      async alerts() {
        const response = await fetch(`${url}/api/v2/alerts`);
        if (!response.ok) throw new Error(`GET /api/v2/alerts: HTTP ${response.status}`);
        return (await response.json()) as GettableAlert[];
      },
      async stop() {
        if (!exited) {
          const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          await gone;
        }
        await rm(dir, { recursive: true, force: true });
      },
    };
  }
}
