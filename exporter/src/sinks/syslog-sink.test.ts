import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from './delivery-options.js';
import { QueuedSink } from './queued-sink.js';
import { SinkMetrics } from './sink-metrics.js';
import { SILENT_LOGGER } from './sink-logger.js';
import type { SinkTransport } from './sink-transport.js';
import { DEFAULT_SD_ID, SYSLOG_FACILITIES } from './syslog-message.js';
import { testSyslogFormat } from './test-fixtures/syslog-format.js';
import { TcpSyslogTransport } from './syslog-tcp.js';
import { UdpSyslogTransport } from './syslog-udp.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';
import { sinkEvents } from './test-fixtures/sink-metric-values.js';
import {
  startTcpSyslogListener,
  startUdpSyslogListener,
  type SyslogListener,
} from './test-fixtures/syslog-listeners.js';
import { waitFor } from './test-fixtures/wait-for.js';

const format = testSyslogFormat({ facility: SYSLOG_FACILITIES.authpriv ?? 10 });
const listeners: SyslogListener[] = [];
const sinks: QueuedSink[] = [];

function syslogSink(transport: SinkTransport, options: Partial<DeliveryOptions> = {}): { sink: QueuedSink; registry: Registry } {
  const registry = new Registry();
  const sink = new QueuedSink({
    name: 'syslog',
    transport,
    options: { ...DEFAULT_DELIVERY_OPTIONS, lingerMs: 10, timeoutMs: 500, ...options },
    metrics: SinkMetrics.on(registry),
    logger: SILENT_LOGGER,
  });
  sinks.push(sink);
  return { sink, registry };
}

afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close(100)));
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

describe('syslog sink over UDP', () => {
  it('sends one RFC 5424 message per datagram with the workload in structured data', async () => {
    const listener = await startUdpSyslogListener();
    listeners.push(listener);
    const { sink, registry } = syslogSink(new UdpSyslogTransport('127.0.0.1', listener.port, format));
    sink.offer(sampleFinding({ severity: 'critical', rule: 'reverse-shell', item: '/bin/sh' }));
    sink.offer(sampleFinding({ kind: 'anomaly', rule: '', category: 'dns', severity: 'info', item: 'pool.example' }));
    await waitFor(() => listener.messages.length === 2, 'two datagrams');
    await waitFor(async () => (await sinkEvents(registry, 'syslog', 'sent')) === 2, 'two sent');

    const [rule, anomaly] = [...listener.messages].sort((a, b) => a.severity - b.severity);
    expect(rule).toMatchObject({ facility: 10, severity: 2, pri: 82, hostname: 'node-a', appName: 'telltale', msgId: 'reverse-shell' });
    expect(rule?.structuredData[DEFAULT_SD_ID]).toMatchObject({
      namespace: 'shop', workload: 'checkout', workload_type: 'deployment', container: 'api', rule: 'reverse-shell', item: '/bin/sh',
    });
    expect(anomaly).toMatchObject({ severity: 6, msgId: 'anomaly-dns' });
    expect(anomaly?.structuredData[DEFAULT_SD_ID]?.item).toBe('pool.example');
  });

  it('keeps every datagram within the size bound', async () => {
    const listener = await startUdpSyslogListener();
    listeners.push(listener);
    const { sink } = syslogSink(new UdpSyslogTransport('127.0.0.1', listener.port, { ...format, maxBytes: 480 }));
    const huge = `/tmp/${'x'.repeat(5_000)}`;
    sink.offer(sampleFinding({ item: huge, summary: `Exec from a temporary directory: ${huge}` }));
    await waitFor(() => listener.raw.length === 1, 'one datagram');
    expect(listener.raw[0]?.length).toBeLessThanOrEqual(480);
    expect(listener.messages[0]?.structuredData[DEFAULT_SD_ID]?.workload).toBe('checkout');
  });
});

describe('syslog sink over TCP', () => {
  it('sends octet-counted frames on one connection', async () => {
    const listener = await startTcpSyslogListener();
    listeners.push(listener);
    const { sink, registry } = syslogSink(new TcpSyslogTransport('127.0.0.1', listener.port, format), { lingerMs: 20 });
    const items = Array.from({ length: 30 }, (_, i) => `/tmp/with space and "quotes" ]${i}\n`);
    items.forEach((item) => sink.offer(sampleFinding({ item })));
    await waitFor(() => listener.messages.length === 30, '30 frames');
    expect(listener.connections).toBe(1);
    expect(listener.messages.map((m) => m.structuredData[DEFAULT_SD_ID]?.item)).toEqual(
      items.map((item) => item.replace('\n', '\uFFFD')),
    );
    expect(await sinkEvents(registry, 'syslog', 'sent')).toBe(30);
  });

  it('reconnects after the receiver drops the connection or restarts', async () => {
    const listener = await startTcpSyslogListener();
    listeners.push(listener);
    const transport = new TcpSyslogTransport('127.0.0.1', listener.port, format);
    const { sink, registry } = syslogSink(transport, {
      lingerMs: 0,
      retry: { maxAttempts: 1_000, initialDelayMs: 5, maxDelayMs: 20 },
    });

    sink.offer(sampleFinding({ item: 'first' }));
    await waitFor(() => listener.messages.length === 1, 'first frame');

    listener.dropConnections();
    await waitFor(() => !transport.connected, 'client noticed the drop');
    sink.offer(sampleFinding({ item: 'second' }));
    await waitFor(() => listener.messages.length === 2, 'second frame on a new connection');
    expect(listener.connections).toBe(2);

    await listener.stop();
    await waitFor(() => !transport.connected, 'client noticed the stop');
    sink.offer(sampleFinding({ item: 'third' }));
    await waitFor(() => sink.queueLength === 0, 'third taken for delivery');
    await listener.listen();
    await waitFor(() => listener.messages.length === 3, 'third frame after the restart');

    expect(listener.messages.map((m) => m.structuredData[DEFAULT_SD_ID]?.item)).toEqual(['first', 'second', 'third']);
    expect(await sinkEvents(registry, 'syslog', 'sent')).toBe(3);
    expect(await sinkEvents(registry, 'syslog', 'failed')).toBe(0);
  });

  it('counts failures when nothing listens', async () => {
    const listener = await startTcpSyslogListener();
    await listener.stop();
    const { sink, registry } = syslogSink(new TcpSyslogTransport('127.0.0.1', listener.port, format), {
      retry: { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
    });
    sink.offer(sampleFinding());
    await waitFor(async () => (await sinkEvents(registry, 'syslog', 'failed')) === 1, 'failed');
  });
});
