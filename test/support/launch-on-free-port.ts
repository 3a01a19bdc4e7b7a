import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port.js';
import { looksLikePortClash, spawnManaged, type ManagedProcess } from './managed-process.js';
import type { CommandResult } from './run-command.js';
import { waitFor } from './wait-for.js';

export interface LaunchSpec {
  readonly name: string;
  readonly binary: string;
  readonly cwd: string;
  /** The command line for a server listening on 127.0.0.1:`port`, reachable at `url`. */
  readonly argsFor: (port: number, url: string) => readonly string[];
  readonly startTimeoutMs?: number;
}

export interface LaunchedServer {
  readonly child: ManagedProcess;
  readonly port: number;
  readonly url: string;
}

/**
 * Starts a Prometheus-style server (ready when GET /-/ready answers 200) on a free loopback
 * port. Another process can grab the port between the probe and the bind, so a start that
 * fails with "address already in use" is retried on a new port.
 */
export async function launchOnFreePort(spec: LaunchSpec): Promise<LaunchedServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawnManaged(spec.binary, spec.argsFor(port, url), { name: spec.name, cwd: spec.cwd });
    try {
      await waitFor(async () => ((await fetch(new URL('/-/ready', url))).ok ? true : undefined), {
        description: `${spec.name} at ${url} to be ready`,
        timeoutMs: spec.startTimeoutMs ?? 60_000,
        abortIf: () => child.exitedError(),
      });
      return { child, port, url };
    } catch (error: unknown) {
      await child.stop();
      if (attempt < 3 && looksLikePortClash(child.output())) continue;
      throw error;
    }
  }
}

export interface ConfiguredLaunchSpec extends Omit<LaunchSpec, 'cwd' | 'argsFor'> {
  /** Prefix of the temporary work directory, e.g. 'telltale-prometheus-'. */
  readonly workDirPrefix: string;
  readonly configFileName: string;
  readonly configText: string;
  /** Validates the written config file before the server is started; `checkTool` names the tool. */
  readonly checkConfig: (configPath: string) => Promise<CommandResult>;
  readonly checkTool: string;
  readonly argsFor: (port: number, url: string, paths: { readonly workDir: string; readonly configPath: string }) => readonly string[];
}

export interface ConfiguredServer extends LaunchedServer {
  readonly workDir: string;
  readonly configPath: string;
  /** Stops the server and removes its work directory. */
  stop(): Promise<void>;
}

/**
 * Writes a config file into a fresh temporary directory, has the tool check it (so a bad config
 * fails with the tool's reason rather than a dead server), and launches the server. The
 * directory is removed again on failure and on stop.
 */
export async function launchWithConfig(spec: ConfiguredLaunchSpec): Promise<ConfiguredServer> {
  const workDir = await mkdtemp(join(tmpdir(), spec.workDirPrefix));
  const removeWorkDir = (): Promise<void> => rm(workDir, { recursive: true, force: true });
  try {
    const configPath = join(workDir, spec.configFileName);
    await writeFile(configPath, spec.configText);
    const check = await spec.checkConfig(configPath);
    if (check.exitCode !== 0) throw new Error(`${spec.name} config rejected by ${spec.checkTool}:\n${check.output}`);
    const launched = await launchOnFreePort({
      ...spec,
      cwd: workDir,
      argsFor: (port, url) => spec.argsFor(port, url, { workDir, configPath }),
    });
    return {
      ...launched,
      workDir,
      configPath,
      async stop() {
        await launched.child.stop();
        await removeWorkDir();
      },
    };
  } catch (error: unknown) {
    await removeWorkDir();
    throw error;
  }
}
