import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { seededRandom } from '../seeded-split.js';

/**
 * A made-up program for eval tests: normal runs chain a few fixed "functions" (syscall
 * snippets) in a loose order; attack runs are normal runs with a payload spliced in
 * (an unusual snippet built from the same syscalls plus one rare transition), which is
 * how injected code tends to look in real traces.
 */
const FUNCTIONS: number[][] = [
  [5, 3, 3, 6],
  [5, 90, 90, 6, 4],
  [20, 24, 47, 50],
  [3, 4, 3, 4, 3],
  [106, 107, 20, 24],
  [2, 33, 54, 6],
  [45, 45, 17, 6],
];
const PAYLOAD = [5, 4, 33, 2, 11, 59, 2];

export function normalTrace(random: () => number): number[] {
  const calls = [11, 5, 90, 6];
  const steps = 8 + Math.floor(random() * 30);
  let previous = 0;
  for (let i = 0; i < steps; i++) {
    // Mostly follows the next function, sometimes jumps: a stable but not trivial program.
    const next = random() < 0.7 ? (previous + 1) % FUNCTIONS.length : Math.floor(random() * FUNCTIONS.length);
    calls.push(...(FUNCTIONS[next] as number[]));
    previous = next;
  }
  calls.push(6, 1);
  return calls;
}

export function attackTrace(random: () => number): number[] {
  const base = normalTrace(random);
  const at = 4 + Math.floor(random() * (base.length - 8));
  return [...base.slice(0, at), ...PAYLOAD, ...base.slice(at)];
}

export interface FixtureDirs {
  normal: string;
  attack: string;
}

/** Writes `tokens` fixtures (some gzipped, some in sub-directories). */
export async function writeTokenFixtures(root: string, normalCount: number, attackCount: number, seed: number): Promise<FixtureDirs> {
  const random = seededRandom(seed);
  const dirs = { normal: join(root, 'normal'), attack: join(root, 'attack') };
  await mkdir(join(dirs.normal, 'part-b'), { recursive: true });
  await mkdir(dirs.attack, { recursive: true });
  for (let i = 0; i < normalCount; i++) {
    const text = `${normalTrace(random).join(' ')}\n`;
    const sub = i % 2 === 0 ? dirs.normal : join(dirs.normal, 'part-b');
    if (i % 3 === 0) await writeFile(join(sub, `n${i}.txt.gz`), gzipSync(text));
    else await writeFile(join(sub, `n${i}.txt`), text);
  }
  for (let i = 0; i < attackCount; i++) await writeFile(join(dirs.attack, `a${i}.txt`), `${attackTrace(random).join(' ')}\n`);
  return dirs;
}

/** Writes the same kind of traces as `pid-tokens`, several pids interleaved per file. */
export async function writePidFixtures(root: string, normalFiles: number, attackFiles: number, pidsPerFile: number, seed: number): Promise<FixtureDirs> {
  const random = seededRandom(seed);
  const dirs = { normal: join(root, 'normal'), attack: join(root, 'attack') };
  await mkdir(dirs.normal, { recursive: true });
  await mkdir(dirs.attack, { recursive: true });
  const file = (make: () => number[]): string => {
    const traces = Array.from({ length: pidsPerFile }, (_, p) => ({ pid: 1000 + p, calls: make() }));
    const lines: string[] = [];
    let remaining = traces.reduce((n, t) => n + t.calls.length, 0);
    const cursor = traces.map(() => 0);
    while (remaining > 0) {
      const p = Math.floor(random() * traces.length);
      const trace = traces[p] as { pid: number; calls: number[] };
      if ((cursor[p] as number) >= trace.calls.length) continue;
      lines.push(`${trace.pid}${random() < 0.5 ? ' ' : '\t'}${trace.calls[cursor[p] as number]}`);
      cursor[p] = (cursor[p] as number) + 1;
      remaining--;
    }
    return `${lines.join('\n')}\n`;
  };
  for (let i = 0; i < normalFiles; i++) await writeFile(join(dirs.normal, `n${i}.int.gz`), gzipSync(file(() => normalTrace(random))));
  for (let i = 0; i < attackFiles; i++) await writeFile(join(dirs.attack, `a${i}.int`), file(() => attackTrace(random)));
  return dirs;
}
