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
    writeFileSync(join(root, 'containers', id, 'config.v2.json'), JSON.stringify({ Name: '/web', Image: 'sha256:abc' }));
    expect(dockerConfigNames(root).identify({ ...podman, runtime: 'docker' })).toEqual({ name: 'web', image: 'sha256:abc' });
    expect(dockerConfigNames(root).identify(podman)).toBeNull();
  });

  it('reads containers/storage containers.json and notices rewrites', () => {
    const root = temp();
    mkdirSync(join(root, 'vfs-containers'));
    writeFileSync(join(root, 'vfs-containers', 'containers.json'), JSON.stringify([{ id: 'b'.repeat(64), names: ['other'] }]));
    const source = containerStorageNames([join(root, 'missing'), root]);
    expect(source.identify(podman)).toBeNull();
    writeFileSync(join(root, 'vfs-containers', 'containers.json'), JSON.stringify([{ id, names: ['api', 'alias'], image: 'f360a63f' }]));
    expect(source.identify(podman)).toEqual({ name: 'api', image: 'f360a63f' });
  });

  it('tolerates a corrupt containers.json', () => {
    const root = temp();
    mkdirSync(join(root, 'overlay-containers'));
    writeFileSync(join(root, 'overlay-containers', 'containers.json'), '{not json');
    expect(containerStorageNames([root]).identify(podman)).toBeNull();
  });

  it("finds the name on conmon's command line", () => {
    const proc = temp();
    mkdirSync(join(proc, '4242'));
    writeFileSync(join(proc, '4242', 'cmdline'), ['/usr/bin/conmon', '--api-version', '1', '-c', id, '-u', id, '-n', 'db', ''].join('\0'));
    mkdirSync(join(proc, '4243'));
    writeFileSync(join(proc, '4243', 'cmdline'), ['/usr/bin/conmon', '-c', 'b'.repeat(64), '-n', 'other', ''].join('\0'));
    expect(conmonNames(proc).identify(podman)).toEqual({ name: 'db', image: null });
  });

  it('remembers names and retries misses only after a while', () => {
    let calls = 0;
    let now = 0;
    let answer: string | null = null;
    const resolver = new ContainerNameResolver(
      [{ description: 'test', identify: () => (calls++, answer === null ? null : { name: answer, image: null }) }],
      1000,
      () => now,
    );
    expect(resolver.identify(podman)).toBeNull();
    expect(resolver.identify(podman)).toBeNull();
    expect(calls).toBe(1);
    now = 1500;
    answer = 'late';
    expect(resolver.identify(podman)?.name).toBe('late');
    answer = 'changed';
    expect(resolver.identify(podman)?.name).toBe('late');
    expect(calls).toBe(2);
  });

  it('takes the image from a later source when the first knows only the name', () => {
    const resolver = new ContainerNameResolver([
      { description: 'names', identify: () => ({ name: 'web', image: null }) },
      { description: 'storage', identify: () => ({ name: 'web', image: 'sha256:1' }) },
    ]);
    expect(resolver.identify(podman)).toEqual({ name: 'web', image: 'sha256:1' });
  });
});
