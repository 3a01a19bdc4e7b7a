import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCgroup, type TestCgroup } from '../support/cgroup.js';
import { sampleValue, selectSamples } from '../support/exposition.js';
import { REPO_ROOT, startExporter, type RunningExporter } from '../support/exporter.js';
import { findFreePort } from '../support/free-port.js';
import { asArray, asRecord, asString } from '../support/json-guards.js';
import { startLoopbackDns, type LoopbackDns } from '../support/loopback-dns.js';
import { waitFor } from '../support/wait-for.js';

interface ProfileFileEntry {
  readonly value: string;
  readonly detail: string;
}

/** The file entries of a workload's profile, from the running exporter's profile API (undefined until it has one). */
async function profileFileEntries(exporter: RunningExporter, workload: string): Promise<ProfileFileEntry[] | undefined> {
  const list = await fetch(`${exporter.url}/api/v1/profiles?workload=${encodeURIComponent(workload)}`);
  if (!list.ok) throw new Error(`GET /api/v1/profiles: ${list.status}`);
  const first = asArray(asRecord(await list.json(), 'profile list')['items'], 'profile list.items')[0];
  if (first === undefined) return undefined;
  const id = asString(asRecord(first, 'profile list.items[0]')['id'], 'profile list.items[0].id');
  const detail = await fetch(`${exporter.url}/api/v1/profiles/${encodeURIComponent(id)}`);
  if (!detail.ok) throw new Error(`GET /api/v1/profiles/${id}: ${detail.status}`);
  const entries = asRecord(asRecord(await detail.json(), `profile ${id}`)['entries'], `profile ${id}.entries`);
  return asArray(entries['file'], `profile ${id}.entries.file`).map((entry, i) => {
    const record = asRecord(entry, `file[${i}]`);
    return { value: asString(record['value'], `file[${i}].value`), detail: asString(record['detail'], `file[${i}].detail`) };
  });
}

/** Lower-case letters only: profiles generalize digits and mixed-case runs in path segments, and these paths must stay exact. */
function letters(count: number): string {
  return Array.from({ length: count }, () => String.fromCharCode(97 + randomInt(26))).join('');
}

/**
 * The issue 2 scenario with real BPF: a fresh cgroup runs a busybox applet through a
 * symlink, opens files by absolute and relative path, connects to a loopback TCP
 * listener and sends a DNS query to a loopback UDP listener on port 53.
 */
describe('kernel sensor end to end', () => {
  let exporter: RunningExporter;
  let cgroup: TestCgroup;
  let work: string;
  let tcp: Server;
  let dns: LoopbackDns;
  let tcpPort = 0;
  /** A second workload for the openat2 and dirfd-relative opens, so the exact counts of the first stay exact. */
  let opens: TestCgroup;
  let opensDir = '';
  let openHelpers = '';

  beforeAll(async () => {
    exporter = await startExporter();
    work = mkdtempSync(join(tmpdir(), 'telltale-e2e-'));
    mkdirSync(join(work, 'bin'));
    mkdirSync(join(work, 'data'));
    symlinkSync('/bin/busybox', join(work, 'bin', 'echo'));
    writeFileSync(join(work, 'data', 'absolute.txt'), 'a\n');
    writeFileSync(join(work, 'data', 'relative.txt'), 'r\n');
    tcp = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const address = tcp.address();
    tcpPort = typeof address === 'object' && address ? address.port : 0;
    dns = await startLoopbackDns();
    cgroup = createTestCgroup(`telltale-e2e-sensor-${process.pid}`);
    opens = createTestCgroup(`telltale-e2e-opens-${process.pid}`);
    opensDir = join(tmpdir(), `telltale-opens-${letters(10)}`);
    mkdirSync(join(opensDir, 'data', 'sub'), { recursive: true });
    writeFileSync(join(opensDir, 'data', 'openat2-read.txt'), 'r\n');
    writeFileSync(join(opensDir, 'data', 'dirfd-rw.txt'), 'rw\n');
    writeFileSync(join(opensDir, 'data', 'sub', 'openat2-rel.txt'), 'rel\n');
    openHelpers = join(opensDir, 'open-helpers');
    execFileSync('gcc', ['-O2', '-Wall', '-Werror', join(import.meta.dirname, 'open-helpers.c'), '-o', openHelpers]);
  });

  afterAll(async () => {
    await exporter?.stop();
    await cgroup?.remove();
    await opens?.remove();
    if (opensDir) rmSync(opensDir, { recursive: true, force: true });
    tcp?.close();
    await dns?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reports exactly what the workload did, under its cgroup workload labels', async () => {
    const listenPort = await findFreePort();
    const script = [
      'set -e',
      `cd '${work}/data'`,
      `'${work}/bin/echo' hello > /dev/null`,
      `cat '${work}/data/absolute.txt' > /dev/null`,
      'cat ./relative.txt > /dev/null',
      `busybox nc 127.0.0.1 ${tcpPort} < /dev/null > /dev/null`,
      'busybox nslookup -type=a telltale-e2e.example 127.0.0.1 > /dev/null 2>&1 || true',
      // A listener of its own, and a connection to it: listen, connect and accept peers.
      `busybox nc -l -p ${listenPort} > /dev/null &`,
      // busybox listens dual-stack; wait until the socket is listening (0A) before connecting.
      'sleep 0.1',
      `while ! grep -q ':${listenPort.toString(16).toUpperCase().padStart(4, '0')} 0*:0000 0A' /proc/net/tcp6; do sleep 0.1; done`,
      `echo hi | busybox nc 127.0.0.1 ${listenPort}`,
      'wait',
    ].join('\n');
    const result = await cgroup.run(script);
    expect(result).toMatchObject({ code: 0 });

    const labels = { namespace: '', workload: cgroup.workload, workload_type: 'cgroup', container: '' };
    const count = (category: string, samples: Awaited<ReturnType<RunningExporter['metrics']>>) =>
      sampleValue(samples, 'telltale_observations_total', { ...labels, category });
    const metrics = await waitFor(
      async () => {
        const samples = await exporter.metrics();
        return count('dns', samples) === 1 && count('exec', samples) === 10 && count('network', samples) === 5 ? samples : undefined;
      },
      { description: `observations of ${cgroup.workload} on /metrics`, timeoutMs: 20_000 },
    );

    // One exec per distinct (binary, argv): the shell, the applet, two cats, nc, nslookup,
    // the listening nc, grep, sleep, the connecting nc (echo is a shell builtin).
    expect(count('exec', metrics)).toBe(10);
    expect(count('network', metrics)).toBe(5);
    expect(count('dns', metrics)).toBe(1);
    expect(count('file', metrics)).toBeGreaterThanOrEqual(2);
    expect(count('syscall', metrics)).toBeGreaterThanOrEqual(20);
    expect(count('syscall_sequence', metrics)).toBeGreaterThanOrEqual(20);
    expect(sampleValue(metrics, 'telltale_capability_mode', { mode: 'hook' })).toBe(1);
    expect(sampleValue(metrics, 'telltale_bpf_events_lost_total', { reason: 'decode_error' })).toBe(0);

    const observed = exporter
      .logs()
      .filter((line) => line['msg'] === 'observation' && line['workload'] === cgroup.workload)
      .map((line) => ({ category: line['category'], item: line['item'], argv: line['argv'] }));
    const execs = observed.filter((o) => o.category === 'exec');
    expect(execs).toEqual(
      expect.arrayContaining([
        // The applet shows the real binary, with the symlink as argv[0].
        { category: 'exec', item: '/usr/bin/busybox', argv: [`${work}/bin/echo`, 'hello'] },
        { category: 'exec', item: '/usr/bin/cat', argv: ['cat', `${work}/data/absolute.txt`] },
        { category: 'exec', item: '/usr/bin/cat', argv: ['cat', './relative.txt'] },
        { category: 'exec', item: '/usr/bin/busybox', argv: ['busybox', 'nc', '127.0.0.1', String(tcpPort)] },
      ]),
    );
    expect(execs).toHaveLength(10);
    const items = (category: string) => observed.filter((o) => o.category === category).map((o) => o.item);
    expect(items('file')).toEqual(expect.arrayContaining([`${work}/data/absolute.txt (r)`, `${work}/data/relative.txt (r)`]));
    expect(items('network').sort()).toEqual(
      [
        `connect tcp 127.0.0.1:${tcpPort}`,
        'connect udp 127.0.0.1:53',
        `listen tcp [::]:${listenPort}`,
        `connect tcp 127.0.0.1:${listenPort}`,
        // Inbound: the peer's address (IPv4-mapped on a dual-stack socket) with the local port it arrived on.
        `accept tcp [::ffff:127.0.0.1]:${listenPort}`,
      ].sort(),
    );
    expect(items('dns')).toEqual(['telltale-e2e.example']);
  });

  it('does not report what a workload already did again', async () => {
    const marker = `${work}/data/second-run.txt`;
    writeFileSync(marker, 'x');
    // The trailing `true` keeps the shell from exec'ing the last cat in place: its parent would then
    // be this test process, which holds connected sockets, a different fact and so a new observation.
    await cgroup.run(`cd '${work}/data' && cat '${work}/data/absolute.txt' > /dev/null; cat ./relative.txt > /dev/null; true`);
    // Records leave the ring in order, so once the marker exec is seen the repeats are processed too.
    await cgroup.run(`cat '${marker}' > /dev/null`);
    const observed = (argv: string[]) =>
      exporter.logs().filter((line) => line['msg'] === 'observation' && line['workload'] === cgroup.workload && JSON.stringify(line['argv']) === JSON.stringify(argv));
    await waitFor(() => (observed(['cat', marker]).length > 0 ? true : undefined), {
      description: 'the marker exec to be observed',
      timeoutMs: 20_000,
    });
    expect(observed(['cat', `${work}/data/absolute.txt`])).toHaveLength(1);
    expect(observed(['cat', './relative.txt'])).toHaveLength(1);
    const files = exporter
      .logs()
      .filter((line) => line['msg'] === 'observation' && line['workload'] === cgroup.workload && line['item'] === `${work}/data/absolute.txt (r)`);
    expect(files).toHaveLength(1);
  });
  it('resolves openat2 and dirfd-relative opens to absolute, normalized paths with their access modes', async () => {
    const data = `${opensDir}/data`;
    const script = [
      'set -e',
      // openat2 of absolute paths, one of them with . and .. to fold.
      `'${openHelpers}' openat2 '${data}/../data/./openat2-read.txt' r`,
      `'${openHelpers}' openat2 '${data}/openat2-new.txt' wct`,
      // openat and openat2 relative to a directory fd; the helper moves its cwd to / first, so
      // resolving against the cwd would give /dirfd-rw.txt and /sub/openat2-rel.txt.
      `'${openHelpers}' openat-dirfd '${data}' 'sub/../dirfd-rw.txt' rw`,
      `'${openHelpers}' openat2-dirfd '${data}' './sub/openat2-rel.txt' r`,
    ].join('\n');
    expect(await opens.run(script)).toMatchObject({ code: 0 });

    // Every open under the scratch directory, nothing more: the helpers' opens of the directory itself
    // (one item: same program, path and mode) and the four opens under test.
    const expected = [
      { path: data, log: 'r', modes: 'read' },
      { path: `${data}/openat2-read.txt`, log: 'r', modes: 'read' },
      { path: `${data}/openat2-new.txt`, log: 'wct', modes: 'write,create,truncate' },
      { path: `${data}/dirfd-rw.txt`, log: 'rw', modes: 'read,write' },
      { path: `${data}/sub/openat2-rel.txt`, log: 'r', modes: 'read' },
    ];
    const fileItems = () => [
      ...new Set(
        exporter
          .logs()
          .filter((line) => line['msg'] === 'observation' && line['workload'] === opens.workload && line['category'] === 'file')
          .map((line) => String(line['item'])),
      ),
    ];
    const wantedItems = expected.map((e) => `${e.path} (${e.log})`).sort();
    const inScratch = (items: readonly string[]) => items.filter((item) => item.startsWith(`${opensDir}/`)).sort();
    await waitFor(() => (wantedItems.every((item) => fileItems().includes(item)) ? true : undefined), {
      description: () => `the openat2 and dirfd-relative opens of ${opens.workload} in the debug log (file items so far: ${fileItems().join(', ')})`,
      timeoutMs: 20_000,
    });
    expect(inScratch(fileItems())).toEqual(wantedItems);
    expect(fileItems().filter((item) => item.startsWith('/dirfd-rw.txt') || item.startsWith('/sub/'))).toEqual([]);

    // The same items, exactly, in the workload's profile as the profile API serves it.
    const wantedEntries = expected.map((e) => ({ value: e.path, detail: e.modes })).sort((a, b) => (a.value < b.value ? -1 : 1));
    let lastEntries: ProfileFileEntry[] = [];
    const entries = await waitFor(
      async () => {
        lastEntries = (await profileFileEntries(exporter, opens.workload)) ?? [];
        const scratch = lastEntries.filter((e) => e.value.startsWith(`${opensDir}/`));
        return scratch.length >= wantedEntries.length ? scratch : undefined;
      },
      { description: () => `the file entries of ${opens.workload}'s profile (so far: ${JSON.stringify(lastEntries)})`, timeoutMs: 20_000 },
    );
    expect([...entries].sort((a, b) => (a.value < b.value ? -1 : 1))).toEqual(wantedEntries);
  });

  it('serves the loader\'s map sizes and the build version on /metrics', async () => {
    const pkg = asRecord(JSON.parse(readFileSync(join(REPO_ROOT, 'exporter/package.json'), 'utf8')), 'exporter/package.json');
    const version = asString(pkg['version'], 'exporter/package.json version');
    // Something novel for the kernel to remember, whatever ran before this test.
    expect(await opens.run(`cat '${opensDir}/data/openat2-read.txt' > /dev/null`)).toMatchObject({ code: 0 });

    // Every item the kernel reported for these workloads is an entry of tt_seen, its dedup map (with
    // sequences on, syscall observations are derived in user space and have none). This holds within one
    // dedup epoch, which by default lasts minutes: a new epoch reports items again without new entries.
    const kernelDeduped = ['exec', 'file', 'network', 'dns', 'capability', 'syscall_sequence'];
    const reportedByKernel = (samples: Awaited<ReturnType<RunningExporter['metrics']>>) =>
      [cgroup.workload, opens.workload]
        .flatMap((workload) => kernelDeduped.map((category) => sampleValue(samples, 'telltale_observations_total', { workload, category }) ?? 0))
        .reduce((a, b) => a + b, 0);
    let last = '';
    const samples = await waitFor(
      async () => {
        const current = await exporter.metrics();
        const seen = sampleValue(current, 'telltale_bpf_map_entries', { map: 'tt_seen' });
        const reported = reportedByKernel(current);
        last = `tt_seen=${String(seen)}, items reported for the test workloads=${reported}`;
        // Map sizes arrive with the stats the exporter requests on a scrape (at most once a second), so poll.
        return seen !== undefined && reported > 0 && seen >= reported ? current : undefined;
      },
      { description: () => `telltale_bpf_map_entries{map="tt_seen"} to count the items reported (${last})`, timeoutMs: 20_000 },
    );
    console.log(`map entries: ${last}`);

    const maps = selectSamples(samples, 'telltale_bpf_map_entries').map((s) => s.labels['map']);
    expect(maps.sort()).toEqual(['tt_cgroup_losses', 'tt_seen']);
    for (const sample of selectSamples(samples, 'telltale_bpf_map_entries')) {
      expect(Number.isInteger(sample.value) && sample.value >= 0, `${sample.labels['map']} = ${sample.value}`).toBe(true);
    }
    expect(selectSamples(samples, 'telltale_build_info')).toEqual([{ name: 'telltale_build_info', labels: { version }, value: 1 }]);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
