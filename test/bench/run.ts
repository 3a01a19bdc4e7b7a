/**
 * `npm run bench`: the sensor's overhead and the exporter's cost, as ratios against
 * baselines measured in the same run.
 *
 * Overhead: ns added per getpid, per open+close and per exec under four conditions
 * (nothing attached, an empty sys_enter program = the floor, the sensor with and
 * without syscall sequences, an equivalent bpftrace script), interleaved over
 * rounds in rotating order, medians reported. Exporter: CPU per 1k novel events,
 * CPU while nothing novel happens, RSS.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestCgroup } from '../support/cgroup.js';
import { sampleValue } from '../support/exposition.js';
import { REPO_ROOT, startExporter } from '../support/exporter.js';
import { loaderChild } from '../support/sensor-processes.js';
import { waitFor } from '../support/wait-for.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const GETPID_N = Number(process.env['BENCH_GETPID_N'] ?? 2_000_000);
const OPEN_N = Number(process.env['BENCH_OPEN_N'] ?? 300_000);
const EXEC_N = Number(process.env['BENCH_EXEC_N'] ?? 400);
const PINGPONG_N = Number(process.env['BENCH_PINGPONG_N'] ?? 50_000);
const NOVEL_EVENTS = Number(process.env['BENCH_NOVEL_EVENTS'] ?? 20_000);
const IDLE_SECONDS = Number(process.env['BENCH_IDLE_SECONDS'] ?? 20);
const SETTLE_SECONDS = Number(process.env['BENCH_SETTLE_SECONDS'] ?? 30);

const here = resolve(import.meta.dirname);
const build = join(REPO_ROOT, 'test', 'artifacts', 'bench', 'build');
const artifacts = join(REPO_ROOT, 'test', 'artifacts', 'bench');
const loader = join(REPO_ROOT, 'bpf', 'build', 'telltale-loader');

type Condition = 'none' | 'floor' | 'sensor' | 'sensor-noseq' | 'bpftrace';
type Measure = 'getpid' | 'open-close' | 'exec' | 'pingpong';
const CONDITIONS: Condition[] = ['none', 'floor', 'sensor', 'sensor-noseq', 'bpftrace'];
const MEASURES: Measure[] = ['getpid', 'open-close', 'exec', 'pingpong'];

function buildTools(): void {
  mkdirSync(build, { recursive: true });
  const gcc = (args: string[]) => execFileSync('gcc', args, { stdio: 'inherit' });
  gcc(['-O2', join(here, 'syscall-bench.c'), '-o', join(build, 'syscall-bench')]);
  gcc(['-O2', '-static', join(here, 'true-static.c'), '-o', join(build, 'true-static')]);
  gcc(['-O2', join(here, 'attach-object.c'), '-o', join(build, 'attach-object'), '-static', '-lbpf', '-lelf', '-lz', '-lzstd']);
  execFileSync('clang', ['-g', '-O2', '-target', 'bpf', '-I', join(REPO_ROOT, 'bpf', 'build'), '-c', join(here, 'floor.bpf.c'), '-o', join(build, 'floor.bpf.o')], {
    stdio: 'inherit',
  });
}

/** bpftrace's tracepoints need tracefs; mount it for the run if nobody has. */
function ensureTracefs(): () => void {
  if (existsSync('/sys/kernel/tracing/events')) return () => undefined;
  mkdirSync('/sys/kernel/tracing', { recursive: true });
  execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
  return () => execFileSync('umount', ['/sys/kernel/tracing']);
}

/** Starts what a condition attaches; resolves once it is attached, with a stop function. */
async function attach(condition: Condition): Promise<() => Promise<void>> {
  if (condition === 'none') return async () => undefined;
  let child: ChildProcess;
  let ready: Promise<void>;
  if (condition === 'floor') {
    child = spawn(join(build, 'attach-object'), [join(build, 'floor.bpf.o')], { stdio: ['pipe', 'pipe', 'inherit'] });
    ready = new Promise((resolveReady) => child.stdout?.once('data', () => resolveReady()));
  } else if (condition === 'bpftrace') {
    // Unbuffered, or its "Attaching N probes" line may sit in a pipe buffer forever.
    child = spawn('bpftrace', ['-B', 'none', join(here, 'sensor-equivalent.bt')], { stdio: ['pipe', 'pipe', 'ignore'] });
    ready = new Promise((resolveReady) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Attaching')) resolveReady();
      });
    });
  } else {
    child = spawn(loader, ['--ngram', condition === 'sensor' ? '6' : '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
    // The first frame is the hello, written after attach; keep draining so the pipe never fills.
    ready = new Promise((resolveReady) => child.stdout?.once('data', () => resolveReady()));
    child.stdout?.on('data', () => undefined);
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    ready,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${condition} did not attach within 60 s`)), 60_000);
    }),
  ]).finally(() => clearTimeout(timer));
  return async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
  };
}

function measure(what: Measure): number {
  const args =
    what === 'getpid'
      ? ['getpid', String(GETPID_N)]
      : what === 'open-close'
        ? ['open-close', String(OPEN_N)]
        : what === 'pingpong'
          ? ['pingpong', String(PINGPONG_N)]
          : ['exec', String(EXEC_N), join(build, 'true-static')];
  // Both ends of the pipe on one CPU: real context switches, not cross-CPU wake-ups (costly IPIs in a VM).
  if (what === 'pingpong') return Number(execFileSync('taskset', ['-c', '1', join(build, 'syscall-bench'), ...args], { encoding: 'utf8' }).trim());
  return Number(execFileSync(join(build, 'syscall-bench'), args, { encoding: 'utf8' }).trim());
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

async function overhead(): Promise<Record<Condition, Record<Measure, number>>> {
  const samples = Object.fromEntries(CONDITIONS.map((c) => [c, Object.fromEntries(MEASURES.map((m) => [m, [] as number[]]))])) as Record<
    Condition,
    Record<Measure, number[]>
  >;
  for (let round = 0; round < ROUNDS; round++) {
    const order = CONDITIONS.map((_, i) => CONDITIONS[(i + round) % CONDITIONS.length] as Condition);
    for (const condition of order) {
      const detach = await attach(condition);
      for (const what of MEASURES) samples[condition][what].push(measure(what));
      await detach();
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  return Object.fromEntries(
    CONDITIONS.map((c) => [c, Object.fromEntries(MEASURES.map((m) => [m, median(samples[c][m])]))]),
  ) as Record<Condition, Record<Measure, number>>;
}

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1]) / 1024;
}

function loaderPidOf(exporterPid: number): number {
  const loader = loaderChild(exporterPid);
  if (!loader) throw new Error('no loader under the exporter');
  return loader.pid;
}

async function exporterCost() {
  const exporter = await startExporter({ args: ['--log-level', 'info'] });
  const cgroup = createTestCgroup(`telltale-bench-${process.pid}`);
  const work = mkdtempSync(join(tmpdir(), 'telltale-bench-'));
  try {
    const exporterPid = exporter.process.pid;
    const loaderPid = loaderPidOf(exporterPid);
    // Start-up learns the whole host at once; let that settle before measuring quiet time.
    await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000));
    const delivered = async () =>
      (await exporter.metrics()).filter((s) => s.name === 'telltale_observations_total').reduce((n, s) => n + s.value, 0);
    const idleBefore = { exporter: cpuMs(exporterPid), loader: cpuMs(loaderPid), observations: await delivered() };
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idleAfter = { exporter: cpuMs(exporterPid), loader: cpuMs(loaderPid), observations: await delivered() };

    const before = { exporter: cpuMs(exporterPid), loader: cpuMs(loaderPid) };
    const count = async () => {
      const samples = await exporter.metrics();
      const lost = ['ringbuf_full', 'map_full', 'read_fault'].reduce((n, reason) => n + (sampleValue(samples, 'telltale_bpf_events_lost_total', { reason }) ?? 0), 0);
      return { files: sampleValue(samples, 'telltale_observations_total', { workload: cgroup.workload, category: 'file' }) ?? 0, lost };
    };
    const start = await count();
    // Each open of a new path is one novel file observation; the burst is as fast as the CPU opens files.
    await cgroup.run(`exec '${join(build, 'syscall-bench')}' open-distinct ${NOVEL_EVENTS} '${work}/f'`);
    // Done when every event arrived or was counted lost, and nothing moved for two seconds.
    let last = -1;
    let stableSince = Date.now();
    await waitFor(
      async () => {
        const now = await count();
        const settled = now.files - start.files + (now.lost - start.lost);
        if (settled !== last) {
          last = settled;
          stableSince = Date.now();
        }
        return settled >= NOVEL_EVENTS || Date.now() - stableSince > 2000 ? true : undefined;
      },
      { description: `${NOVEL_EVENTS} novel file observations delivered or counted lost`, timeoutMs: 120_000 },
    );
    const after = { exporter: cpuMs(exporterPid), loader: cpuMs(loaderPid) };
    const end = await count();
    const events = end.files - start.files;
    const lostInBurst = end.lost - start.lost;
    return {
      novelEvents: events,
      lostInBurst,
      exporterCpuMsPer1k: ((after.exporter - before.exporter) * 1000) / events,
      loaderCpuMsPer1k: ((after.loader - before.loader) * 1000) / events,
      idleObservations: idleAfter.observations - idleBefore.observations,
      idleExporterCpuPercent: ((idleAfter.exporter - idleBefore.exporter) / (IDLE_SECONDS * 1000)) * 100,
      idleLoaderCpuPercent: ((idleAfter.loader - idleBefore.loader) / (IDLE_SECONDS * 1000)) * 100,
      exporterRssMiB: rssMiB(exporterPid),
      loaderRssMiB: rssMiB(loaderPid),
    };
  } finally {
    await exporter.stop();
    await cgroup.remove();
    rmSync(work, { recursive: true, force: true });
  }
}

function table(result: Record<Condition, Record<Measure, number>>): string {
  const base = result.none;
  const added = (c: Condition, m: Measure) => result[c][m] - base[m];
  const lines = [
    '| condition | getpid ns | added | open+close ns | added | exec µs | added | pipe round trip ns | added |',
    '|---|---|---|---|---|---|---|---|---|',
    ...CONDITIONS.map(
      (c) =>
        `| ${c} | ${result[c].getpid.toFixed(0)} | ${c === 'none' ? '' : `+${added(c, 'getpid').toFixed(0)}`} | ${result[c]['open-close'].toFixed(0)} | ${
          c === 'none' ? '' : `+${added(c, 'open-close').toFixed(0)}`
        } | ${(result[c].exec / 1000).toFixed(0)} | ${c === 'none' ? '' : `+${(added(c, 'exec') / 1000).toFixed(1)}`} | ${result[c].pingpong.toFixed(0)} | ${
          c === 'none' ? '' : `+${added(c, 'pingpong').toFixed(0)}`
        } |`,
    ),
    '',
    `sensor / floor per getpid: ${(added('sensor', 'getpid') / added('floor', 'getpid')).toFixed(2)}× (sequences off: ${(added('sensor-noseq', 'getpid') / added('floor', 'getpid')).toFixed(2)}×)`,
    `sensor / bpftrace per open+close: ${(added('sensor', 'open-close') / added('bpftrace', 'open-close')).toFixed(2)}× (sequences off: ${(added('sensor-noseq', 'open-close') / added('bpftrace', 'open-close')).toFixed(2)}×)`,
    `sensor / bpftrace per getpid: ${(added('sensor', 'getpid') / added('bpftrace', 'getpid')).toFixed(2)}×`,
    `sensor per pipe round trip (2 context switches, 4 syscalls): +${added('sensor', 'pingpong').toFixed(0)} ns, floor +${added('floor', 'pingpong').toFixed(0)} ns`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the benchmark attaches BPF programs: run it as root');
  buildTools();
  const unmount = ensureTracefs();
  let result: Record<Condition, Record<Measure, number>>;
  try {
    result = await overhead();
  } finally {
    unmount();
  }
  // Overhead first, on its own: printed and saved before the exporter phase starts.
  mkdirSync(artifacts, { recursive: true });
  process.stdout.write(`${table(result)}\n\n`);
  writeFileSync(join(artifacts, 'sensor-overhead.json'), JSON.stringify({ result }, null, 2));
  const cost = await exporterCost();
  const report = [
    `# Telltale benchmark (${new Date().toISOString()}, ${ROUNDS} interleaved rounds, medians, CPU time)`,
    '',
    table(result),
    '',
    '| exporter | value |',
    '|---|---|',
    `| novel events in one burst: delivered / counted lost | ${cost.novelEvents} / ${cost.lostInBurst} |`,
    `| exporter CPU per 1k novel events | ${cost.exporterCpuMsPer1k.toFixed(1)} ms |`,
    `| loader CPU per 1k novel events | ${cost.loaderCpuMsPer1k.toFixed(1)} ms |`,
    `| quiet window: novel observations from the whole host in ${IDLE_SECONDS} s | ${cost.idleObservations} |`,
    `| exporter CPU in the quiet window | ${cost.idleExporterCpuPercent.toFixed(2)} % of a core |`,
    `| loader CPU in the quiet window | ${cost.idleLoaderCpuPercent.toFixed(2)} % of a core |`,
    `| exporter RSS | ${cost.exporterRssMiB.toFixed(0)} MiB |`,
    `| loader RSS | ${cost.loaderRssMiB.toFixed(0)} MiB |`,
  ].join('\n');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(join(artifacts, 'sensor-overhead.md'), `${report}\n`);
  writeFileSync(join(artifacts, 'sensor-overhead.json'), JSON.stringify({ result, cost }, null, 2));
  process.stdout.write(`${report}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
