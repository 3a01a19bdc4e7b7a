import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseExposition, type ExposedSample } from './exposition.js';
import { findFreePort } from './free-port.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { waitFor } from './wait-for.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
export const EXPORTER_CLI = join(REPO_ROOT, 'exporter/dist/cli.js');

export interface RunningExporter {
  readonly url: string;
  readonly stateDir: string;
  readonly process: ManagedProcess;
  metrics(): Promise<ExposedSample[]>;
  /** JSON log lines the exporter wrote so far (it logs on stderr). */
  logs(): Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export interface ExporterOptions {
  readonly args?: readonly string[];
  /** Reuse a state directory (e.g. to restart over the same profiles); a fresh one otherwise. */
  readonly stateDir?: string;
  /** Wait for /readyz (the sensor attached); false to return as soon as /healthz answers. */
  readonly waitReady?: boolean;
}

/** Starts the real exporter (exporter/dist, real BPF) on a free port with debug logs. */
export async function startExporter(options: ExporterOptions = {}): Promise<RunningExporter> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'telltale-state-'));
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const logLines: Array<Record<string, unknown>> = [];
  let partial = '';
  const child = spawnManaged(
    process.execPath,
    [EXPORTER_CLI, 'run', '--listen', `127.0.0.1:${port}`, '--state-dir', stateDir, '--log-level', 'debug', ...(options.args ?? [])],
    {
      name: 'telltale exporter',
      onOutput: (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('{')) continue;
          try {
            logLines.push(JSON.parse(line) as Record<string, unknown>);
          } catch {
            // not a log line
          }
        }
      },
    },
  );
  await waitFor(
    async () => {
      const response = await fetch(`${url}/${options.waitReady === false ? 'healthz' : 'readyz'}`);
      return response.ok ? true : undefined;
    },
    { description: `the exporter at ${url} to be ready`, timeoutMs: 60_000, abortIf: () => child.exitedError() },
  );
  return {
    url,
    stateDir,
    process: child,
    async metrics() {
      const response = await fetch(`${url}/metrics`);
      if (!response.ok) throw new Error(`GET ${url}/metrics: ${response.status}`);
      return parseExposition(await response.text());
    },
    logs() {
      return logLines;
    },
    async stop() {
      await child.stop();
      if (options.stateDir === undefined) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
