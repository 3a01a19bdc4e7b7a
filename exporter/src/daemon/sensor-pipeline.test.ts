import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SensorMetrics } from '../metrics/sensor-metrics.js';
import { exec as execRecord } from '../rules/test-fixtures/records.js';
import type { ObservationRecord, ProcessContext, SensorRecord, SignalRecord } from '../sensor/sensor-record.js';
import { CgroupIndex } from '../workloads/cgroup-index.js';
import { ContainerNameResolver } from '../workloads/container-names.js';
import { StandaloneAttributor } from '../workloads/standalone-attributor.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';
import { SensorPipeline } from './sensor-pipeline.js';

const process: ProcessContext = { pid: 7, tid: 7, ppid: 1, uid: 0, comm: 'app', cgroupId: '42', timeNs: 0n };

function setup() {
  const registry = new Registry();
  const metrics = new SensorMetrics(registry, 'test');
  const index = new CgroupIndex({ root: '/nonexistent', negativeTtlMs: 1000, minRescanIntervalMs: 60_000, maxDirectories: 1 });
  index.noteCreated('42', '/shop/web');
  const observed: Array<{ workload: WorkloadRef; record: ObservationRecord }> = [];
  const losses: number[] = [];
  const unattributed: Array<ObservationRecord | SignalRecord> = [];
  const pipeline = new SensorPipeline(
    index,
    new StandaloneAttributor(index, new ContainerNameResolver([])),
    metrics,
    {
      observe: (workload, record) => observed.push({ workload, record }),
      signal: () => undefined,
      unattributed: (record) => unattributed.push(record),
      lossReported: (_w, lost) => losses.push(lost),
    },
    pino({ level: 'silent' }),
  );
  const hello = (sequences: boolean): SensorRecord => ({ kind: 'hello', loaderPid: 1, capabilityHook: true, sequences, ngramLength: sequences ? 3 : 0, ringbufBytes: 1 << 20, kernelRelease: 'test' });
  return { pipeline, observed, losses, unattributed, registry, hello };
}

describe('SensorPipeline', () => {
  it('derives the syscall set from n-grams when sequences are on, once per epoch', () => {
    const { pipeline, observed, hello } = setup();
    pipeline.record(hello(true));
    pipeline.record({ kind: 'syscall_sequence', process, calls: [0, 1, 257] });
    pipeline.record({ kind: 'syscall_sequence', process, calls: [1, 257, 3] });
    const syscalls = () => observed.filter((o) => o.record.kind === 'syscall').map((o) => (o.record.kind === 'syscall' ? o.record.nr : -1));
    expect(syscalls()).toEqual([0, 1, 257, 3]);
    pipeline.beginEpoch();
    pipeline.record({ kind: 'syscall_sequence', process, calls: [1, 257, 3] });
    expect(syscalls()).toEqual([0, 1, 257, 3, 1, 257, 3]);
    expect(observed[0]?.workload).toMatchObject({ workload: 'shop/web', workloadType: 'cgroup' });
  });

  it('takes syscall records from the kernel when sequences are off', () => {
    const { pipeline, observed, hello } = setup();
    pipeline.record(hello(false));
    pipeline.record({ kind: 'syscall_sequence', process, calls: [0, 1, 257] });
    pipeline.record({ kind: 'syscall', process, nr: 59 });
    expect(observed.filter((o) => o.record.kind === 'syscall').map((o) => (o.record.kind === 'syscall' ? o.record.nr : -1))).toEqual([59]);
  });

  it('counts kernel losses as deltas per loader run, and per-cgroup losses for the workload', async () => {
    const { pipeline, losses, registry, hello } = setup();
    const lost = (ringbuf_full: bigint): SensorRecord => ({ kind: 'stats', emitted: [], lost: { ringbuf_full, map_full: 0n, read_fault: 0n, prog_busy: 2n }, loaderFrames: 0n });
    pipeline.loaderStarted();
    pipeline.record(hello(true));
    pipeline.record(lost(5n));
    pipeline.record(lost(8n));
    pipeline.loaderStarted(); // a restarted loader counts from zero again
    pipeline.record(lost(1n));
    pipeline.record({ kind: 'cgroup_loss', cgroupId: '42', lost: 3n });
    pipeline.record({ kind: 'cgroup_loss', cgroupId: '42', lost: 3n });
    const values = (await registry.getSingleMetric('telltale_bpf_events_lost_total')?.get())?.values ?? [];
    expect(Object.fromEntries(values.map((v) => [v.labels['reason'], v.value]))).toMatchObject({ ringbuf_full: 9, prog_busy: 4 });
    expect(losses).toEqual([3]);
  });

  it('counts observations of unknown cgroups under one bounded label, and still hands them to the rules', async () => {
    const { pipeline, observed, unattributed, registry } = setup();
    const dns: SensorRecord = { kind: 'dns', process: { ...process, cgroupId: '999' }, name: 'x.example', qtype: 1 };
    pipeline.record(dns);
    expect(observed).toEqual([]);
    expect(unattributed).toEqual([dns]);
    const values = (await registry.getSingleMetric('telltale_unattributed_events_total')?.get())?.values ?? [];
    expect(values).toEqual([expect.objectContaining({ labels: { category: 'dns' }, value: 1 })]);
  });

  it('redacts secrets in argv and LD_PRELOAD before anything downstream sees the exec', () => {
    const { pipeline, observed, unattributed, hello } = setup();
    pipeline.record(hello(true));
    const exec = execRecord('/usr/bin/mysql', ['mysql', '--password', 'hunter2', 'DB_TOKEN=abc123', 'https://user:pw@db.internal/x', 'shop'], {}, {
      process,
      ldPreload: 'API_KEY=sk-live',
    });
    pipeline.record(exec);
    pipeline.record({ ...exec, process: { ...process, cgroupId: '999' } });
    const seen = [observed[0]?.record, unattributed[0]];
    for (const record of seen) {
      expect(record).toMatchObject({
        argv: ['mysql', '--password', '<redacted>', 'DB_TOKEN=<redacted>', 'https://user:<redacted>@db.internal/x', 'shop'],
        ldPreload: 'API_KEY=<redacted>',
      });
      expect(JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))).not.toMatch(/hunter2|abc123|:pw@|sk-live/);
    }
  });
});
