import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePidTokens, parseTokens, readTraces } from './trace-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telltale-traces-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trace parsing', () => {
  it('reads tokens and pid-tokens (space or tab, pids interleaved)', () => {
    expect(parseTokens(' 5 3\n\n 3 6 ', 'a')).toEqual([{ id: 'a', calls: Uint16Array.from([5, 3, 3, 6]) }]);
    expect(parseTokens('  \n', 'empty')).toEqual([]);
    const traces = parsePidTokens('7 5\n8\t90\n7 3\n\n8 6\n', 'f');
    expect(traces.map((t) => [t.id, [...t.calls]])).toEqual([
      ['f#7', [5, 3]],
      ['f#8', [90, 6]],
    ]);
  });

  it('names the file and line of bad input', () => {
    expect(() => parseTokens('5 x 3', 'bad.txt')).toThrow(/bad.txt: token 2: expected a syscall number/);
    expect(() => parseTokens('5 600', 'big.txt')).toThrow(/0\.\.511/);
    expect(() => parsePidTokens('7 5\n7 5 5\n', 'f.int')).toThrow(/f.int:2: expected "<pid> <syscall>"/);
  });

  it('walks directories recursively in sorted order, gunzips by content, skips hidden files', async () => {
    await mkdir(join(dir, 'tree', 'sub'), { recursive: true });
    await writeFile(join(dir, 'tree', 'b.txt'), '1 2 3');
    await writeFile(join(dir, 'tree', 'sub', 'a.gz'), gzipSync('4 5'));
    await writeFile(join(dir, 'tree', 'sub', 'plain-named.int'), gzipSync('6'));
    await writeFile(join(dir, 'tree', '.hidden'), 'not a trace');
    const traces = await readTraces(join(dir, 'tree'), 'tokens');
    expect(traces.map((t) => [t.id, [...t.calls]])).toEqual([
      ['b.txt', [1, 2, 3]],
      ['sub/a.gz', [4, 5]],
      ['sub/plain-named.int', [6]],
    ]);
  });

  it('follows symlinks to files and directories, walks a link loop once, names a broken link', async () => {
    await mkdir(join(dir, 'real', 'nested'), { recursive: true });
    await writeFile(join(dir, 'real', 'one.txt'), '7 8');
    await writeFile(join(dir, 'real', 'nested', 'two.txt'), '9');
    await mkdir(join(dir, 'links'));
    await symlink(join(dir, 'real', 'one.txt'), join(dir, 'links', 'file-link.txt'));
    await symlink(join(dir, 'real', 'nested'), join(dir, 'links', 'dir-link'));
    await symlink(join(dir, 'links'), join(dir, 'links', 'loop'));
    const traces = await readTraces(join(dir, 'links'), 'tokens');
    expect(traces.map((t) => [t.id, [...t.calls]])).toEqual([
      ['dir-link/two.txt', [9]],
      ['file-link.txt', [7, 8]],
    ]);
    await symlink(join(dir, 'missing.txt'), join(dir, 'links', 'zz-broken'));
    await expect(readTraces(join(dir, 'links'), 'tokens')).rejects.toThrow(/broken symlink in trace directory: .*zz-broken/);
  });

  it('rejects missing directories, files given as directories and corrupt gzip', async () => {
    await expect(readTraces(join(dir, 'nope'), 'tokens')).rejects.toThrow(/does not exist/);
    await writeFile(join(dir, 'file.txt'), '1');
    await expect(readTraces(join(dir, 'file.txt'), 'tokens')).rejects.toThrow(/not a directory/);
    await mkdir(join(dir, 'corrupt'));
    await writeFile(join(dir, 'corrupt', 'x.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    await expect(readTraces(join(dir, 'corrupt'), 'tokens')).rejects.toThrow(/corrupt gzip/);
  });
});
