import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { conmonNames, ContainerNameResolver, containerStorageNames, dockerConfigNames } from './container-names.js';
import type { ContainerCgroup } from './container-runtimes.js';

const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'telltale-names-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const id = 'a'.repeat(64);
const podman: ContainerCgroup = { runtime: 'podman', id, containerPath: `/libpod_parent/libpod-${id}` };

describe('container name sources', () => {
  it('reads docker config.v2.json', () => {
    const root = temp();
    mkdirSync(join(root, 'containers', id), { recursive: true });
    writeFileSync(join(root, 'containers', id, 'config.v2.json'), JSON.stringify({ Name: '/web' }));
    expect(dockerConfigNames(root).name({ ...podman, runtime: 'docker' })).toBe('web');
    expect(dockerConfigNames(root).name(podman)).toBeNull();
  });

  it('reads containers/storage containers.json and notices rewrites', () => {
    const root = temp();
    mkdirSync(join(root, 'vfs-containers'));
    writeFileSync(join(root, 'vfs-containers', 'containers.json'), JSON.stringify([{ id: 'b'.repeat(64), names: ['other'] }]));
    const source = containerStorageNames([join(root, 'missing'), root]);
    expect(source.name(podman)).toBeNull();
    writeFileSync(join(root, 'vfs-containers', 'containers.json'), JSON.stringify([{ id, names: ['api', 'alias'] }]));
    expect(source.name(podman)).toBe('api');
  });

  it('tolerates a corrupt containers.json', () => {
    const root = temp();
    mkdirSync(join(root, 'overlay-containers'));
    writeFileSync(join(root, 'overlay-containers', 'containers.json'), '{not json');
    expect(containerStorageNames([root]).name(podman)).toBeNull();
  });

  it("finds the name on conmon's command line", () => {
    const proc = temp();
    mkdirSync(join(proc, '4242'));
    writeFileSync(join(proc, '4242', 'cmdline'), ['/usr/bin/conmon', '--api-version', '1', '-c', id, '-u', id, '-n', 'db', ''].join('\0'));
    mkdirSync(join(proc, '4243'));
    writeFileSync(join(proc, '4243', 'cmdline'), ['/usr/bin/conmon', '-c', 'b'.repeat(64), '-n', 'other', ''].join('\0'));
    expect(conmonNames(proc).name(podman)).toBe('db');
  });

  it('remembers names and retries misses only after a while', () => {
    let calls = 0;
    let now = 0;
    let answer: string | null = null;
    const resolver = new ContainerNameResolver([{ description: 'test', name: () => (calls++, answer) }], 1000, () => now);
    expect(resolver.name(podman)).toBeNull();
    expect(resolver.name(podman)).toBeNull();
    expect(calls).toBe(1);
    now = 1500;
    answer = 'late';
    expect(resolver.name(podman)).toBe('late');
    answer = 'changed';
    expect(resolver.name(podman)).toBe('late');
    expect(calls).toBe(2);
  });
});
