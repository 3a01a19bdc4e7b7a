import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCgroup, type TestCgroup } from '../support/cgroup.js';
import { sampleValue } from '../support/exposition.js';
import { startExporter, type RunningExporter } from '../support/exporter.js';
import { findFreePort } from '../support/free-port.js';
import { startLoopbackDns, type LoopbackDns } from '../support/loopback-dns.js';
import { waitFor } from '../support/wait-for.js';

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
  });

  afterAll(async () => {
    await exporter?.stop();
    await cgroup?.remove();
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
});
