import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../support/run-command.js';
import { waitFor } from '../support/wait-for.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PLUGIN_DIR = join(repoRoot, 'grafana-plugin');
export const PLUGIN_DIST = join(PLUGIN_DIR, 'dist');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

/**
 * The browser test loads the built dist/module.js. `npm test` builds everything first; when the
 * build is missing or older than the plugin's sources or the bundled dashboards (a test run on
 * its own), build it here so the test never runs stale code.
 */
export async function ensurePluginBuilt(): Promise<void> {
  if (isFresh()) return;
  // Test files run in parallel: one builds, the others wait for it and then find it fresh.
  const lock = join(tmpdir(), 'telltale-grafana-plugin-build.lock');
  await waitFor(
    () => {
      try {
        mkdirSync(lock);
        writeFileSync(join(lock, 'pid'), String(process.pid));
        return true;
      } catch {
        releaseIfOwnerDied(lock);
        return undefined;
      }
    },
    { description: `the plugin build lock ${lock} (remove it if no build is running)`, timeoutMs: 300_000, intervalMs: 500 },
  );
  try {
    if (isFresh()) return;
    const result = await runCommand('npm', ['run', 'build', '--workspace', '@telltale/grafana-plugin'], repoRoot);
    if (result.exitCode !== 0) throw new Error(`building the Grafana plugin failed:\n${result.output}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A lock left by a test process that was killed mid-build is released. */
function releaseIfOwnerDied(lock: string): void {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    process.kill(pid, 0);
  } catch (error: unknown) {
    // ESRCH: no such process. No pid file yet means the owner is between mkdir and write.
    if (error instanceof Error && 'code' in error && error.code === 'ESRCH') rmSync(lock, { recursive: true, force: true });
  }
}

function isFresh(): boolean {
  const moduleJs = join(PLUGIN_DIST, 'module.js');
  const dashboards = join(repoRoot, 'dashboards');
  const sources = [
    join(PLUGIN_DIR, 'src'),
    ...['webpack.config.ts', 'package.json', 'README.md', 'CHANGELOG.md'].map((f) => join(PLUGIN_DIR, f)),
    ...readdirSync(dashboards)
      .filter((f) => f.startsWith('telltale-') && f.endsWith('.json'))
      .map((f) => join(dashboards, f)),
  ].filter((p) => existsSync(p));
  const sourceTime = Math.max(...sources.map(newestMtime));
  return existsSync(moduleJs) && statSync(moduleJs).mtimeMs >= sourceTime;
}
