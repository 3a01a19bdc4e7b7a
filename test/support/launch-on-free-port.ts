import { findFreePort } from './free-port.js';
import { looksLikePortClash, spawnManaged, type ManagedProcess } from './managed-process.js';
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
