import { bench, describe } from 'vitest';
import { seededRandom } from '../eval/seeded-split.js';
import type { ExecObservation, FileObservation } from './observation.js';
import { WorkloadProfile } from './profile-model.js';

/**
 * Matching cost against a Kubescape-sized profile: 50,000 distinct file opens and 1,445
 * execs of 72 binaries (the figures from its issue tracker). Each group runs a plain
 * `Set.has` as the floor, a linear scan over the stored entries (how Kubescape matches,
 * 1.4 ms per event there) and Telltale's indexed `match`; vitest prints the ratios.
 */
const random = seededRandom(2026);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const words = ['app', 'lib', 'data', 'cache', 'conf', 'log', 'run', 'share', 'models', 'static', 'assets', 'tmp', 'vendor', 'node_modules', 'site-packages'];

function randomPath(i: number): string {
  const depth = 3 + Math.floor(random() * 4);
  const parts = Array.from({ length: depth }, () => pick(words) + String(Math.floor(random() * 40)));
  return `/${parts.join('/')}/file-${i.toString(36)}.dat`;
}

const filePaths = Array.from({ length: 50_000 }, (_, i) => randomPath(i));
const binaries = Array.from({ length: 72 }, (_, i) => `/usr/bin/tool-${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`);
const execs: ExecObservation[] = Array.from({ length: 1445 }, (_, i) => ({
  category: 'exec',
  path: binaries[i % 72] as string,
  argv: [binaries[i % 72]?.split('/').pop() as string, `--job=${i}`, pick(['-v', '-q', '--fast', '--dry-run']), `/var/data/${i}/input.json`],
}));

function build(options: ConstructorParameters<typeof WorkloadProfile>[0]): WorkloadProfile {
  const p = new WorkloadProfile(options);
  filePaths.forEach((path, i) => p.observe({ category: 'file', path, modes: ['read'] }, { epoch: 1 + (i % 288), time: i, afterReady: false }));
  execs.forEach((obs, i) => p.observe(obs, { epoch: 1 + (i % 288), time: i, afterReady: false }));
  return p;
}
// Default rules: wide directories fold into `*`.
const profile = build({});
// No folding at all, to show the index itself: every one of the 50,000 opens is an entry.
const flat = build({ pathFanout: 1_000_000, maxEntries: 1_000_000 });

const fileSet = new Set(filePaths);
const execSet = new Set(execs.map((e) => `${e.path} ${e.argv.join(' ')}`));
const fileQueries: FileObservation[] = Array.from({ length: 1000 }, (_, i) => ({
  category: 'file',
  path: i % 2 === 0 ? (filePaths[Math.floor(random() * filePaths.length)] as string) : randomPath(100_000 + i),
  modes: ['read'],
}));
const execQueries: ExecObservation[] = Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? pick(execs) : { category: 'exec', path: pick(binaries), argv: ['x', `--job=${i}`, '-v', '/etc/passwd'] }));

/** Kubescape-style: compare the event with every stored entry, segment by segment (`⋯` = any segment). */
function linearScanMatch(stored: readonly string[][], path: string): boolean {
  const segments = path.split('/');
  for (const entry of stored) {
    if (entry.length !== segments.length) continue;
    let ok = true;
    for (let i = 0; i < entry.length && ok; i++) ok = entry[i] === '⋯' || entry[i] === segments[i];
    if (ok) return true;
  }
  return false;
}
const storedFiles = filePaths.map((p) => p.split('/'));
const storedExecs = execs.map((e) => [e.path, ...e.argv]);

let q = 0;
describe(`file match: profile of ${filePaths.length} opens (${profile.entryCounts().file} entries after generalization)`, () => {
  bench('baseline: Set.has on the exact path', () => {
    fileSet.has((fileQueries[q++ % fileQueries.length] as FileObservation).path);
  });
  bench('telltale: WorkloadProfile.match (default generalization)', () => {
    profile.match(fileQueries[q++ % fileQueries.length] as FileObservation);
  });
  bench(`telltale: WorkloadProfile.match (no folding, ${flat.entryCounts().file} entries)`, () => {
    flat.match(fileQueries[q++ % fileQueries.length] as FileObservation);
  });
  bench('reference: linear scan over entries (Kubescape)', () => {
    linearScanMatch(storedFiles, (fileQueries[q++ % fileQueries.length] as FileObservation).path);
  }, { iterations: 50, time: 500 });
});

describe(`exec match: ${execs.length} execs of ${binaries.length} binaries (${profile.entryCounts().exec} entries after generalization)`, () => {
  bench('baseline: Set.has on path + argv', () => {
    const e = execQueries[q++ % execQueries.length] as ExecObservation;
    execSet.has(`${e.path} ${e.argv.join(' ')}`);
  });
  bench('telltale: WorkloadProfile.match', () => {
    profile.match(execQueries[q++ % execQueries.length] as ExecObservation);
  });
  bench('reference: linear scan over path + argv entries (Kubescape)', () => {
    const e = execQueries[q++ % execQueries.length] as ExecObservation;
    const full = [e.path, ...e.argv];
    storedExecs.some((s) => s.length === full.length && s.every((t, i) => t === full[i]));
  });
});
