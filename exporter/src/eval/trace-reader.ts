import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MAX_SYSCALL_NR } from '../profiles/profile-config.js';

/**
 * Reads system-call traces from a directory tree (walked recursively, in sorted order
 * so runs are reproducible). Files may be gzip-compressed whatever their name.
 *
 * - `tokens`: one trace per file, whitespace-separated syscall numbers (ADFA-LD style).
 * - `pid-tokens`: lines `<pid> <syscall>` separated by a space or tab; each (file, pid)
 *   pair is one trace (UNM style).
 */
export const TRACE_FORMATS = ['tokens', 'pid-tokens'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface Trace {
  /** `relative/path` or `relative/path#pid`. */
  readonly id: string;
  readonly calls: Uint16Array;
}

export async function listFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) throw new Error(`trace directory does not exist: ${dir}`);
  if (!info.isDirectory()) throw new Error(`not a directory: ${dir}`);
  const out: string[] = [];
  // Symlinks are followed (a split made of links must read like the files themselves);
  // directories are keyed by device and inode so a link loop is walked once.
  const visited = new Set<string>();
  const walk = async (current: string): Promise<void> => {
    const self = await stat(current);
    const key = `${self.dev}:${self.ino}`;
    if (visited.has(key)) return;
    visited.add(key);
    const entries = (await readdir(current, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(current, entry.name);
      const target = entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : entry;
      if (!target) throw new Error(`broken symlink in trace directory: ${path}`);
      if (target.isDirectory()) await walk(path);
      else if (target.isFile()) out.push(path);
    }
  };
  await walk(dir);
  return out;
}

async function readText(path: string): Promise<string> {
  const bytes = await readFile(path);
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!gzip) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (error) {
    throw new Error(`${path}: corrupt gzip data (${(error as Error).message})`);
  }
}

function syscallNumber(token: string, where: () => string): number {
  const nr = Number(token);
  if (!/^\d+$/.test(token) || nr > MAX_SYSCALL_NR) {
    throw new Error(`${where()}: expected a syscall number 0..${MAX_SYSCALL_NR}, got ${JSON.stringify(token.slice(0, 40))}`);
  }
  return nr;
}

export function parseTokens(text: string, name: string): Trace[] {
  const tokens = text.split(/\s+/).filter((t) => t !== '');
  const calls = new Uint16Array(tokens.length);
  tokens.forEach((t, i) => {
    calls[i] = syscallNumber(t, () => `${name}: token ${i + 1}`);
  });
  return calls.length === 0 ? [] : [{ id: name, calls }];
}

export function parsePidTokens(text: string, name: string): Trace[] {
  const byPid = new Map<string, number[]>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '') continue;
    const parts = line.split(/[ \t]+/);
    if (parts.length !== 2) throw new Error(`${name}:${i + 1}: expected "<pid> <syscall>", got ${JSON.stringify(line.slice(0, 60))}`);
    const [pid, call] = parts as [string, string];
    const list = byPid.get(pid) ?? [];
    list.push(syscallNumber(call, () => `${name}:${i + 1}`));
    byPid.set(pid, list);
  }
  return [...byPid].map(([pid, calls]) => ({ id: `${name}#${pid}`, calls: Uint16Array.from(calls) }));
}

export async function readTraces(dir: string, format: TraceFormat): Promise<Trace[]> {
  const files = await listFiles(dir);
  const traces: Trace[] = [];
  for (const file of files) {
    const text = await readText(file);
    const name = relative(dir, file);
    traces.push(...(format === 'tokens' ? parseTokens(text, name) : parsePidTokens(text, name)));
  }
  return traces;
}
