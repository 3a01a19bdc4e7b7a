import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * podman with its own storage in a temp dir, runc (crun fails on this hybrid host),
 * the cgroupfs manager and no network: nothing is pulled, the image is a busybox
 * rootfs imported from the host's busybox-static.
 */
export interface TestPodman {
  readonly storageRoot: string;
  readonly image: string;
  podman(args: readonly string[]): Promise<string>;
  /** Starts a detached container running `script` under /bin/sh; returns its id. */
  runDetached(name: string, script: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function createTestPodman(): Promise<TestPodman> {
  const base = mkdtempSync(join(tmpdir(), 'telltale-podman-'));
  const storageRoot = join(base, 'root');
  const global = ['--root', storageRoot, '--runroot', join(base, 'runroot'), '--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', '--runtime', 'runc'];
  const podman = async (args: readonly string[]) => (await run('podman', [...global, ...args], { maxBuffer: 16 << 20 })).stdout.trim();

  const rootfs = join(base, 'rootfs');
  mkdirSync(join(rootfs, 'bin'), { recursive: true });
  mkdirSync(join(rootfs, 'tmp'));
  cpSync('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  for (const applet of ['sh', 'cat', 'ls', 'sleep', 'echo', 'nc', 'wget']) symlinkSync('busybox', join(rootfs, 'bin', applet));
  await run('tar', ['-C', rootfs, '-cf', join(base, 'rootfs.tar'), '.']);
  const image = 'localhost/telltale-busybox:test';
  await podman(['import', join(base, 'rootfs.tar'), image]);

  return {
    storageRoot,
    image,
    podman,
    async runDetached(name, script) {
      return podman(['run', '-d', '--name', name, '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=4096:4096', image, '/bin/sh', '-c', script]);
    },
    async cleanup() {
      await podman(['rm', '-f', '-t', '0', '--all']).catch(() => '');
      await podman(['rmi', '-f', '--all']).catch(() => '');
      rmSync(base, { recursive: true, force: true });
    },
  };
}
