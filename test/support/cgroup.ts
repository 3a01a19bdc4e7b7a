import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The cgroup2 mount of this machine, from mountinfo (hybrid hosts mount it below /sys/fs/cgroup). */
export function cgroup2Root(): string {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (right?.startsWith('cgroup2 ')) return (left ?? '').split(' ')[4] ?? '';
  }
  throw new Error('no cgroup2 mount in /proc/self/mountinfo');
}

export interface TestCgroup {
  /** Path below the cgroup2 root without the leading slash: the workload label in standalone mode. */
  readonly workload: string;
  readonly path: string;
  readonly id: string;
  /** Runs a shell script inside the cgroup; resolves with its exit code and output. */
  run(script: string, env?: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }>;
  remove(): Promise<void>;
}

/** A fresh cgroup v2 directory whose processes form one standalone workload. */
export function createTestCgroup(name: string): TestCgroup {
  const root = cgroup2Root();
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  return {
    workload: name,
    path,
    id: statSync(path, { bigint: true }).ino.toString(),
    run(script, env) {
      // The shell moves itself into the cgroup before it runs anything of the script.
      const wrapped = `echo $$ > '${join(path, 'cgroup.procs')}' && exec /bin/sh -c "$TELLTALE_TEST_SCRIPT"`;
      return new Promise((resolve, reject) => {
        const child = spawn('/bin/sh', ['-c', wrapped], {
          env: { ...process.env, ...env, TELLTALE_TEST_SCRIPT: script },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, output }));
      });
    },
    async remove() {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          rmdirSync(path);
          return;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
          // Processes are still leaving; try again shortly.
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
  };
}
