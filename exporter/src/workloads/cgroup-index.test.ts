import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CgroupIndex, normalizeCgroupPath } from './cgroup-index.js';

// A plain directory tree behaves like the cgroup2 hierarchy for indexing: ids are inode numbers.
const roots: string[] = [];
function tree(...dirs: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'telltale-cgroups-'));
  roots.push(root);
  for (const dir of dirs) mkdirSync(join(root, dir), { recursive: true });
  return root;
}
const inode = (path: string) => statSync(path, { bigint: true }).ino.toString();
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('CgroupIndex', () => {
  it('resolves ids to paths below the root after a walk', () => {
    const root = tree('system.slice/nginx.service', 'user.slice');
    const index = new CgroupIndex({ root, negativeTtlMs: 1000, minRescanIntervalMs: 0, maxDirectories: 100 });
    expect(index.resolve(inode(join(root, 'system.slice/nginx.service')))).toBe('/system.slice/nginx.service');
    expect(index.resolve(inode(root))).toBe('/');
    expect(index.scans).toBe(1);
  });

  it('rescans for a new cgroup, then caches an unknown id without walking again', () => {
    let now = 0;
    const root = tree('a');
    const index = new CgroupIndex({ root, negativeTtlMs: 5000, minRescanIntervalMs: 0, maxDirectories: 100, now: () => now });
    expect(index.resolve(inode(join(root, 'a')))).toBe('/a');
    mkdirSync(join(root, 'b'));
    expect(index.resolve(inode(join(root, 'b')))).toBe('/b');
    expect(index.scans).toBe(2);
    expect(index.resolve('999999999')).toBeUndefined();
    expect(index.resolve('999999999')).toBeUndefined();
    expect(index.scans).toBe(3);
    now += 6000;
    expect(index.resolve('999999999')).toBeUndefined();
    expect(index.scans).toBe(4);
  });

  it('rate-limits rescans however many unknown ids arrive', () => {
    const root = tree('a');
    const index = new CgroupIndex({ root, negativeTtlMs: 0, minRescanIntervalMs: 60_000, maxDirectories: 100 });
    for (let id = 1; id < 500; id++) index.resolve(String(1_000_000_000 + id));
    expect(index.scans).toBe(1);
  });

  it('learns cgroups from kernel mkdir records without a walk', () => {
    const index = new CgroupIndex({ root: '/nonexistent', negativeTtlMs: 1000, minRescanIntervalMs: 60_000, maxDirectories: 10 });
    index.noteCreated('77', 'telltale/test/');
    expect(index.resolve('77')).toBe('/telltale/test');
    index.noteRemoved('77');
    expect([...index.entries()]).toEqual([]);
  });

  it('stops walking at the directory limit', () => {
    const root = tree(...Array.from({ length: 20 }, (_, i) => `d${i}`));
    const index = new CgroupIndex({ root, negativeTtlMs: 0, minRescanIntervalMs: 0, maxDirectories: 5 });
    index.rescan();
    expect(index.size).toBe(5);
  });
});

describe('normalizeCgroupPath', () => {
  it('keeps one leading slash and no trailing one', () => {
    expect(normalizeCgroupPath('')).toBe('/');
    expect(normalizeCgroupPath('/a/b/')).toBe('/a/b');
    expect(normalizeCgroupPath('a')).toBe('/a');
  });
});
