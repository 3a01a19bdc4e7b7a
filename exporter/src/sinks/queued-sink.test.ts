import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding } from '../findings/finding.js';
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from './delivery-options.js';
import { DeliveryError } from './delivery-error.js';
import { QueuedSink } from './queued-sink.js';
import { SinkMetrics } from './sink-metrics.js';
import type { SinkLogger } from './sink-logger.js';
import type { SinkTransport } from './sink-transport.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';
import { sinkEvents, sinkQueueLength } from './test-fixtures/sink-metric-values.js';
import { waitFor } from './test-fixtures/wait-for.js';

/**
 * An in-process receiver with a script: each attempt takes the next behaviour, the last one
 * repeating. It exercises the queueing engine on its own; the real transports have their
 * own tests against real listeners.
 */
class ScriptedTransport implements SinkTransport {
  readonly endpoint = 'in-process';
  readonly accepted: Finding[][] = [];
  attempts = 0;
  closed = false;
  private readonly gates: Array<() => void> = [];

  constructor(private readonly script: Array<'ok' | 'retryable' | 'fatal' | 'hang' | 'throw'> = ['ok']) {}

  send(findings: readonly Finding[]): Promise<void> {
    const step = this.script[Math.min(this.attempts, this.script.length - 1)];
    this.attempts++;
    switch (step) {
      case 'retryable':
        return Promise.reject(new DeliveryError('receiver said 503', true));
      case 'fatal':
        return Promise.reject(new DeliveryError('receiver said 400', false));
      case 'throw':
        throw new Error('transport bug');
      case 'hang':
        // Ignores the signal on purpose: the sink must not depend on transports being polite.
        return new Promise<void>((resolve) => this.gates.push(resolve));
      default:
        this.accepted.push([...findings]);
        return Promise.resolve();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

const quickRetry = { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 5 };
const sinks: QueuedSink[] = [];

function makeSink(
  transport: SinkTransport,
  options: Partial<DeliveryOptions> = {},
  extra: { logger?: SinkLogger; clock?: () => number } = {},
): { sink: QueuedSink; registry: Registry } {
  const registry = new Registry();
  const sink = new QueuedSink({
    name: 'test',
    transport,
    options: { ...DEFAULT_DELIVERY_OPTIONS, lingerMs: 5, retry: quickRetry, ...options },
    metrics: SinkMetrics.on(registry),
    logger: extra.logger ?? { info: () => undefined, warn: () => undefined, error: () => undefined },
    ...(extra.clock ? { clock: extra.clock } : {}),
  });
  sinks.push(sink);
  return { sink, registry };
}

const distinct = (n: number, overrides: Partial<Finding> = {}): Finding[] =>
  Array.from({ length: n }, (_, i) => sampleFinding({ item: `/tmp/x${i}`, ...overrides }));

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((sink) => sink.close(50)));
});

describe('QueuedSink', () => {
  it('sends in order, in batches of at most batchMaxSize', async () => {
    const transport = new ScriptedTransport();
    const { sink, registry } = makeSink(transport, { batchMaxSize: 50, lingerMs: 50 });
    const findings = distinct(120);
    findings.forEach((f) => sink.offer(f));
    await waitFor(async () => (await sinkEvents(registry, 'test', 'sent')) === 120, '120 sent');
    expect(transport.accepted.flat().map((f) => f.item)).toEqual(findings.map((f) => f.item));
    expect(Math.max(...transport.accepted.map((b) => b.length))).toBe(50);
    expect(transport.accepted.length).toBeGreaterThanOrEqual(3);
  });

  it('sends a lone finding once the linger passes', async () => {
    const transport = new ScriptedTransport();
    const { sink } = makeSink(transport, { lingerMs: 20 });
    sink.offer(sampleFinding());
    await waitFor(() => transport.accepted.length === 1, 'one batch');
    expect(transport.accepted[0]).toHaveLength(1);
  });

  it('retries a retryable failure and then counts the batch as sent', async () => {
    const transport = new ScriptedTransport(['retryable', 'retryable', 'ok']);
    const { sink, registry } = makeSink(transport);
    sink.offer(sampleFinding());
    await waitFor(async () => (await sinkEvents(registry, 'test', 'sent')) === 1, 'sent after retries');
    expect(transport.attempts).toBe(3);
    expect(await sinkEvents(registry, 'test', 'failed')).toBe(0);
  });

  it('gives up after maxAttempts and counts every finding of the batch as failed', async () => {
    const transport = new ScriptedTransport(['retryable']);
    const logged: string[] = [];
    const log = (_: unknown, message: string): void => void logged.push(message);
    const { sink, registry } = makeSink(transport, { lingerMs: 50 }, { logger: { info: log, warn: log, error: log } });
    distinct(3).forEach((f) => sink.offer(f));
    await waitFor(async () => (await sinkEvents(registry, 'test', 'failed')) === 3, '3 failed');
    expect(transport.attempts).toBe(quickRetry.maxAttempts);
    expect(logged).toEqual(['sink delivery failing', 'sink gave up on findings (counted as failed)']);

    const healthy = new ScriptedTransport(['ok']);
    Object.assign(transport, { send: healthy.send.bind(healthy) });
    sink.offer(sampleFinding({ item: 'after recovery' }));
    await waitFor(async () => (await sinkEvents(registry, 'test', 'sent')) === 1, 'sent after recovery');
    expect(logged.at(-1)).toBe('sink is delivering again');
  });

  it('does not retry what the receiver rejected for good, nor a transport that throws', async () => {
    const fatal = new ScriptedTransport(['fatal']);
    const first = makeSink(fatal);
    first.sink.offer(sampleFinding());
    await waitFor(async () => (await sinkEvents(first.registry, 'test', 'failed')) === 1, 'failed');
    expect(fatal.attempts).toBe(1);

    const throwing = new ScriptedTransport(['throw', 'ok']);
    const second = makeSink(throwing);
    second.sink.offer(sampleFinding());
    await waitFor(async () => (await sinkEvents(second.registry, 'test', 'sent')) === 1, 'sent after a throw');
    expect(throwing.attempts).toBe(2);
  });

  it('bounds the queue while the receiver hangs, counting drops and reporting the length', async () => {
    const transport = new ScriptedTransport(['hang']);
    const { sink, registry } = makeSink(transport, { queueCapacity: 5, batchMaxSize: 2, timeoutMs: 60_000 });
    distinct(2).forEach((f) => sink.offer(f));
    await waitFor(() => transport.attempts === 1, 'first batch in flight');
    distinct(10, { severity: 'info' }).forEach((f, i) => sink.offer({ ...f, item: `/info/${i}` }));
    expect(sink.queueLength).toBe(5);
    expect(await sinkQueueLength(registry, 'test')).toBe(5);
    expect(await sinkEvents(registry, 'test', 'dropped')).toBe(5);
    // A critical finding pushes out an informational one instead of being dropped.
    sink.offer(sampleFinding({ item: '/critical', severity: 'critical' }));
    expect(await sinkEvents(registry, 'test', 'dropped')).toBe(6);
    expect(sink.queueLength).toBe(5);
  });

  it('holds back repeats within the dedup window as rate_limited, and ignores findings below the minimum', async () => {
    let now = 0;
    const transport = new ScriptedTransport();
    const { sink, registry } = makeSink(transport, { minSeverity: 'warning', dedupWindowMs: 60_000 }, { clock: () => now });
    sink.offer(sampleFinding());
    sink.offer(sampleFinding());
    sink.offer(sampleFinding({ severity: 'info', item: '/tmp/other' }));
    now = 60_000;
    sink.offer(sampleFinding());
    await waitFor(async () => (await sinkEvents(registry, 'test', 'sent')) === 2, '2 sent');
    expect(await sinkEvents(registry, 'test', 'rate_limited')).toBe(1);
    expect(transport.accepted.flat().every((f) => f.item === '/tmp/x')).toBe(true);
  });

  it('close() flushes what is queued, skipping the linger', async () => {
    const transport = new ScriptedTransport();
    const { sink, registry } = makeSink(transport, { lingerMs: 60_000 });
    distinct(3).forEach((f) => sink.offer(f));
    await sink.close(5_000);
    expect(await sinkEvents(registry, 'test', 'sent')).toBe(3);
    expect(transport.closed).toBe(true);
    sink.offer(sampleFinding({ item: 'late' }));
    expect(await sinkEvents(registry, 'test', 'dropped')).toBe(1);
  });

  it('close() gives up at its deadline even when the receiver hangs', async () => {
    const transport = new ScriptedTransport(['hang']);
    const { sink, registry } = makeSink(transport, { batchMaxSize: 2, timeoutMs: 60_000 });
    distinct(5).forEach((f) => sink.offer(f));
    await waitFor(() => transport.attempts === 1, 'first batch in flight');
    await sink.close(20);
    expect(await sinkEvents(registry, 'test', 'failed')).toBe(2);
    expect(await sinkEvents(registry, 'test', 'dropped')).toBe(3);
    expect(await sinkQueueLength(registry, 'test')).toBe(0);
    expect(transport.closed).toBe(true);
  });
});
