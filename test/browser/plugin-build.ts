import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../support/run-command.js';

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
  const moduleJs = join(PLUGIN_DIST, 'module.js');
  const sources = [join(PLUGIN_DIR, 'src'), join(PLUGIN_DIR, 'webpack.config.ts'), join(repoRoot, 'dashboards')].filter((p) =>
    existsSync(p),
  );
  const sourceTime = Math.max(
    ...sources.map((p) => (p.endsWith('dashboards') ? Math.max(...readdirSync(p).filter((f) => f.endsWith('.json')).map((f) => statSync(join(p, f)).mtimeMs)) : newestMtime(p))),
  );
  if (existsSync(moduleJs) && statSync(moduleJs).mtimeMs >= sourceTime) return;
  const result = await runCommand('npm', ['run', 'build', '--workspace', '@telltale/grafana-plugin'], repoRoot);
  if (result.exitCode !== 0) throw new Error(`building the Grafana plugin failed:\n${result.output}`);
}
