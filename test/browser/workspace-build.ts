import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../support/run-command.js';
import { waitFor } from '../support/wait-for.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PLUGIN_DIR = join(repoRoot, 'grafana-plugin');
export const PLUGIN_DIST = join(PLUGIN_DIR, 'dist');
const EXPORTER_DIR = join(repoRoot, 'exporter');

interface WorkspaceBuild {
  /** npm workspace name, for `npm run build --workspace`. */
  readonly workspace: string;
  /** Built only when this file is missing or the output folder is older than a source. */
  readonly output: string;
  readonly outputDir: string;
  /** Files and folders whose changes need a rebuild. */
  readonly sources: () => string[];
  /** Files in the source folders that the build does not read (tests). */
  readonly ignore?: RegExp;
}

const PLUGIN_BUILD: WorkspaceBuild = {
  workspace: '@telltale/grafana-plugin',
  output: join(PLUGIN_DIST, 'module.js'),
  outputDir: PLUGIN_DIST,
  sources: () => {
    const dashboards = join(repoRoot, 'dashboards');
    return [
      join(PLUGIN_DIR, 'src'),
      ...['webpack.config.ts', 'package.json', 'README.md', 'CHANGELOG.md'].map((f) => join(PLUGIN_DIR, f)),
      ...readdirSync(dashboards)
        .filter((f) => f.startsWith('telltale-') && f.endsWith('.json'))
        .map((f) => join(dashboards, f)),
    ];
  },
};

const EXPORTER_BUILD: WorkspaceBuild = {
  workspace: '@telltale/exporter',
  output: join(EXPORTER_DIR, 'dist', 'cli.js'),
  outputDir: join(EXPORTER_DIR, 'dist'),
  sources: () => [join(EXPORTER_DIR, 'src'), ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => join(EXPORTER_DIR, f))],
  // tsconfig.build.json leaves these out of dist.
  ignore: /(\.test\.ts|\.bench\.ts|\/test-fixtures)$/,
};

function newestMtime(path: string, ignore: RegExp | undefined): number {
  if (ignore?.test(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry), ignore)));
}

/** The browser test loads the built Grafana app (dist/module.js). */
export function ensurePluginBuilt(): Promise<void> {
  return ensureBuilt(PLUGIN_BUILD);
}

/** The browser test serves the Profile API from the real exporter (exporter/dist/cli.js). */
export function ensureExporterBuilt(): Promise<void> {
  return ensureBuilt(EXPORTER_BUILD);
}

/**
 * `npm test` builds everything first; when a build is missing or older than its sources (a
 * test run on its own), build it here so the test never runs stale code.
 */
async function ensureBuilt(build: WorkspaceBuild): Promise<void> {
  if (isFresh(build)) return;
  // Test files run in parallel: one builds, the others wait for it and then find it fresh.
  const lock = join(tmpdir(), `telltale-${build.workspace.replace(/\W+/g, '-')}-build.lock`);
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
    { description: `the build lock ${lock} (remove it if no build is running)`, timeoutMs: 300_000, intervalMs: 500 },
  );
  try {
    if (isFresh(build)) return;
    const result = await runCommand('npm', ['run', 'build', '--workspace', build.workspace], repoRoot);
    if (result.exitCode !== 0) throw new Error(`building ${build.workspace} failed:\n${result.output}`);
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

function isFresh(build: WorkspaceBuild): boolean {
  if (!existsSync(build.output)) return false;
  const sourceTime = Math.max(...build.sources().filter((p) => existsSync(p)).map((p) => newestMtime(p, build.ignore)));
  // An incremental build rewrites only what changed, so the newest output file is the build's time.
  return newestMtime(build.outputDir, undefined) >= sourceTime;
}
