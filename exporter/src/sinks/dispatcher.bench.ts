/**
 * What `publish()` costs the detection path, as ratios to a plain array push measured in the
 * same run (absolute times on a shared machine mean little), plus how long a finding takes to
 * reach a local receiver with the default linger.
 *
 * Run: `npx tsx src/sinks/dispatcher.bench.ts` (from exporter/), or call benchDispatcher().
 */
import { createServer, type Server } from 'node:http';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Registry } from 'prom-client';
import type { Finding } from '../findings/finding.js';
import { createSinkDispatcher } from './create-sink-dispatcher.js';
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from './delivery-options.js';
import type { SinkDispatcher } from './dispatcher.js';
import { SYSLOG_FACILITIES, DEFAULT_SD_ID } from './syslog-message.js';
import type { SinksConfig } from './sinks-config.js';

export interface DispatcherBenchResult {
  readonly findingsPerRound: number;
  readonly rounds: number;
  readonly sinks: number;
  /** Median ns per `array.push(finding)`. */
  readonly baselineNsPerFinding: number;
  /** publish() of distinct findings into queues with room: filter, dedup, enqueue, per sink. */
  readonly publishNsPerFinding: number;
  readonly publishRatio: number;
  /** publish() of one finding over and over: held back by the dedup window. */
  readonly rateLimitedNsPerFinding: number;
  readonly rateLimitedRatio: number;
  /** publish() of distinct findings into full queues (a flood against a dead receiver). */
  readonly floodNsPerFinding: number;
  readonly floodRatio: number;
  /** publish() to a webhook receiver getting the JSON, with the default 200 ms linger. */
  readonly deliveryMs: { readonly median: number; readonly max: number; readonly samples: number };
}

function finding(i: number): Finding {
  return {
    kind: 'rule',
    workload: { namespace: 'shop', workload: `checkout-${i % 50}`, workloadType: 'deployment', container: 'api' },
    category: 'exec',
    rule: 'exec-from-temp',
    severity: 'warning',
    summary: `Exec from a temporary directory: /tmp/payload-${i}`,
    item: `/tmp/payload-${i}`,
    score: 0.5,
    process: { pid: 1000 + i, ppid: 1, uid: 0, comm: 'sh', exe: '/bin/sh' },
    observedAt: new Date(),
  };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

function nsPerOp(count: number, run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / count;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function benchDispatcher({ findingsPerRound = 20_000, rounds = 7, latencySamples = 10 } = {}): Promise<DispatcherBenchResult> {
  const received: Array<() => void> = [];
  const http = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(204).end();
      received.shift()?.();
    });
  });
  const httpPort = await listen(http);
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));

  const sinksConfig = (delivery: DeliveryOptions): SinksConfig => ({
    sinks: [
      { type: 'webhook', name: 'webhook', delivery, url: new URL(`http://127.0.0.1:${httpPort}/`) },
      {
        type: 'syslog', name: 'syslog', delivery, protocol: 'udp', host: '127.0.0.1', port: udp.address().port,
        facility: SYSLOG_FACILITIES.local0 ?? 16, appName: 'telltale', sdId: DEFAULT_SD_ID, maxMessageBytes: 2048,
      },
      {
        type: 'syslog', name: 'dead', delivery, protocol: 'tcp', host: '127.0.0.1', port: 9, // discard port: nothing listens
        facility: SYSLOG_FACILITIES.local0 ?? 16, appName: 'telltale', sdId: DEFAULT_SD_ID, maxMessageBytes: 8192,
      },
    ],
  });
  const findings = Array.from({ length: findingsPerRound }, (_, i) => finding(i));
  const roomy = { ...DEFAULT_DELIVERY_OPTIONS, queueCapacity: findingsPerRound, lingerMs: 60_000, batchMaxSize: findingsPerRound };
  const baseline: number[] = [];
  const publish: number[] = [];
  const rateLimited: number[] = [];
  const flood: number[] = [];

  for (let round = 0; round < rounds; round++) {
    // Best of three: the baseline is tiny, so one GC pause would swing every ratio.
    const pushes = [0, 1, 2].map(() =>
      nsPerOp(findings.length, () => {
        const sink: Finding[] = [];
        for (const f of findings) sink.push(f);
      }),
    );
    baseline.push(Math.min(...pushes));
    let dispatcher: SinkDispatcher = createSinkDispatcher(sinksConfig(roomy), { registry: new Registry() });
    publish.push(nsPerOp(findings.length, () => findings.forEach((f) => dispatcher.publish(f))));
    const same = findings[0] as Finding;
    rateLimited.push(nsPerOp(findings.length, () => findings.forEach(() => dispatcher.publish(same))));
    await dispatcher.close(0);

    dispatcher = createSinkDispatcher(sinksConfig({ ...DEFAULT_DELIVERY_OPTIONS, lingerMs: 60_000, batchMaxSize: 1_000 }), {
      registry: new Registry(),
    });
    findings.slice(0, DEFAULT_DELIVERY_OPTIONS.queueCapacity).forEach((f) => dispatcher.publish(f));
    const rest = findings.slice(DEFAULT_DELIVERY_OPTIONS.queueCapacity);
    flood.push(nsPerOp(rest.length, () => rest.forEach((f) => dispatcher.publish(f))));
    await dispatcher.close(0);
  }

  const dispatcher = createSinkDispatcher(sinksConfig(DEFAULT_DELIVERY_OPTIONS), { registry: new Registry() });
  const delivery: number[] = [];
  for (let i = 0; i < latencySamples; i++) {
    const arrived = new Promise<void>((resolve) => received.push(resolve));
    const start = performance.now();
    dispatcher.publish(finding(1_000_000 + i));
    await arrived;
    delivery.push(performance.now() - start);
  }
  await dispatcher.close(0);
  await new Promise<void>((resolve) => http.close(() => resolve()));
  udp.close();

  const base = median(baseline);
  const round1 = (n: number): number => Math.round(n * 10) / 10;
  return {
    findingsPerRound,
    rounds,
    sinks: 3,
    baselineNsPerFinding: round1(base),
    publishNsPerFinding: round1(median(publish)),
    publishRatio: round1(median(publish) / base),
    rateLimitedNsPerFinding: round1(median(rateLimited)),
    rateLimitedRatio: round1(median(rateLimited) / base),
    floodNsPerFinding: round1(median(flood)),
    floodRatio: round1(median(flood) / base),
    deliveryMs: { median: round1(median(delivery)), max: round1(Math.max(...delivery)), samples: delivery.length },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await benchDispatcher(), null, 2));
}
