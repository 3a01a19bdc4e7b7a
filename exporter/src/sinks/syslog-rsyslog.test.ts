import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../findings/finding.js';
import { DEFAULT_DELIVERY_OPTIONS } from './delivery-options.js';
import { loadSinksConfig } from './load-sinks-config.js';
import { QueuedSink } from './queued-sink.js';
import { SinkMetrics } from './sink-metrics.js';
import { SILENT_LOGGER } from './sink-logger.js';
import type { SinkTransport } from './sink-transport.js';
import { SYSLOG_FACILITIES } from './syslog-message.js';
import { TcpSyslogTransport } from './syslog-tcp.js';
import { UdpSyslogTransport } from './syslog-udp.js';
import { startRsyslogd, type RsyslogRecord, type Rsyslogd } from './test-fixtures/rsyslogd.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';
import { sinkEvents } from './test-fixtures/sink-metric-values.js';
import { testSyslogFormat } from './test-fixtures/syslog-format.js';
import { waitFor } from './test-fixtures/wait-for.js';

/*
 * The syslog sink against a real rsyslogd, so RFC 5424 conformance is judged by a widely
 * deployed receiver's own parser rather than by this project's test parser: what rsyslog
 * extracts as APP-NAME, PROCID, MSGID, STRUCTURED-DATA, MSG, severity and facility is what
 * a SIEM behind it gets.
 */

const format = testSyslogFormat({ facility: SYSLOG_FACILITIES.authpriv ?? 10 });
let rsyslogd: Rsyslogd;
const sinks: QueuedSink[] = [];

beforeAll(async () => {
  rsyslogd = await startRsyslogd();
});
afterAll(async () => {
  await rsyslogd?.stop();
});
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close(1_000)));
});

function syslogSink(transport: SinkTransport): { sink: QueuedSink; registry: Registry } {
  const registry = new Registry();
  const sink = new QueuedSink({
    name: 'syslog',
    transport,
    options: { ...DEFAULT_DELIVERY_OPTIONS, dedupWindowMs: 0, lingerMs: 10 },
    metrics: SinkMetrics.on(registry),
    logger: SILENT_LOGGER,
  });
  sinks.push(sink);
  return { sink, registry };
}

/** Records rsyslog wrote for this test: each test uses its own workload name. */
async function recordsFor(workload: string, count: number): Promise<RsyslogRecord[]> {
  return waitFor(async () => {
    const mine = (await rsyslogd.records()).filter((r) => r.structuredData.includes(` workload="${workload}" `));
    return mine.length >= count ? mine : undefined;
  }, `${count} message(s) of ${workload} in rsyslog's output`);
}

function finding(workload: string, overrides: Partial<Finding>): Finding {
  const base = sampleFinding();
  return sampleFinding({ workload: { ...base.workload, workload }, ...overrides });
}

describe('syslog sink into a real rsyslogd', () => {
  it('over UDP: rsyslog parses the header fields, the structured data and the message', async () => {
    const { sink, registry } = syslogSink(new UdpSyslogTransport('127.0.0.1', rsyslogd.udpPort, format));
    sink.offer(finding('udp-app', { severity: 'critical', rule: 'reverse-shell', item: '/bin/sh', summary: 'Reverse shell: /bin/sh' }));
    sink.offer(finding('udp-app', { kind: 'anomaly', rule: '', category: 'dns', severity: 'info', item: 'pool.example', summary: 'Unexpected DNS name in udp-app: pool.example' }));
    const records = await recordsFor('udp-app', 2);
    expect(await sinkEvents(registry, 'syslog', 'sent')).toBe(2);

    const rule = records.find((r) => r.msgId === 'reverse-shell');
    expect(rule).toEqual({
      hostname: 'node-a',
      appName: 'telltale',
      procId: '77',
      msgId: 'reverse-shell',
      structuredData:
        '[telltale@32473 kind="rule" rule="reverse-shell" category="exec" severity="critical" namespace="shop" workload="udp-app" ' +
        'workload_type="deployment" container="api" item="/bin/sh" score="0.420" pid="4242" ppid="4000" uid="1000" comm="sh" exe="/bin/sh"]',
      msg: 'Reverse shell: /bin/sh (workload shop/udp-app, container api; item /bin/sh)',
      severity: '2',
      facility: '10',
      protocolVersion: '1',
      timeReported: '2026-11-28T10:00:00.000Z',
      inputName: 'imudp',
    });
    const anomaly = records.find((r) => r.msgId === 'anomaly-dns');
    expect(anomaly).toMatchObject({ appName: 'telltale', procId: '77', severity: '6', facility: '10', inputName: 'imudp' });
    expect(anomaly?.structuredData).toBe(
      '[telltale@32473 kind="anomaly" category="dns" severity="info" namespace="shop" workload="udp-app" workload_type="deployment" ' +
        'container="api" item="pool.example" score="0.420" pid="4242" ppid="4000" uid="1000" comm="sh" exe="/bin/sh"]',
    );
  });

  it('over TCP: octet-counted frames on one connection come out as separate messages, escapes and all', async () => {
    const { sink, registry } = syslogSink(new TcpSyslogTransport('127.0.0.1', rsyslogd.tcpPort, format));
    // Quotes, a closing bracket and a backslash must be escaped in SD; a newline must not split the message.
    const items = ['/tmp/plain', '/tmp/a "b" ]c\\d', '/tmp/line\nbreak', '/tmp/caf\u00e9'];
    for (const item of items) sink.offer(finding('tcp-app', { item, summary: `Exec from a temporary directory: ${item}` }));
    const records = await recordsFor('tcp-app', items.length);
    expect(records).toHaveLength(items.length);
    expect(await sinkEvents(registry, 'syslog', 'sent')).toBe(items.length);
    for (const record of records) {
      expect(record).toMatchObject({ hostname: 'node-a', appName: 'telltale', procId: '77', msgId: 'exec-from-temp', severity: '4', facility: '10', inputName: 'imtcp' });
    }
    expect(records.map((r) => /item="((?:[^"\\]|\\.)*)"/.exec(r.structuredData)?.[1])).toEqual([
      '/tmp/plain',
      '/tmp/a \\"b\\" \\]c\\\\d',
      '/tmp/line\uFFFDbreak',
      '/tmp/caf\u00e9',
    ]);
    // RFC 5424 6.4: a MSG with non-ASCII text starts with a BOM; rsyslog keeps it in %msg%.
    expect(records.map((r) => r.msg)).toEqual([
      'Exec from a temporary directory: /tmp/plain (workload shop/tcp-app, container api; item /tmp/plain)',
      'Exec from a temporary directory: /tmp/a "b" ]c\\d (workload shop/tcp-app, container api; item /tmp/a "b" ]c\\d)',
      '\uFEFFExec from a temporary directory: /tmp/line\uFFFDbreak (workload shop/tcp-app, container api; item /tmp/line\uFFFDbreak)',
      '\uFEFFExec from a temporary directory: /tmp/caf\u00e9 (workload shop/tcp-app, container api; item /tmp/caf\u00e9)',
    ]);
  });

  it('over TCP: a finding cut to the default size bound of --sink-syslog tcp:// reaches rsyslog whole, and nothing else does', async () => {
    // The default as a user gets it, from the flag; rsyslog's own default limit is what it must fit.
    const { sinks: configs } = await loadSinksConfig({ 'sink-syslog': [`tcp://127.0.0.1:${rsyslogd.tcpPort}`] }, { env: {} });
    const config = configs[0];
    if (config?.type !== 'syslog') throw new Error('expected one syslog sink');
    const tcpFormat = testSyslogFormat({ facility: config.facility, appName: config.appName, sdId: config.sdId, maxBytes: config.maxMessageBytes });
    const { sink } = syslogSink(new TcpSyslogTransport(config.host, config.port, tcpFormat));
    const before = (await rsyslogd.records()).length;
    const huge = `/tmp/${'x'.repeat(20_000)}`;
    sink.offer(finding('big-app', { item: huge, summary: `Exec from a temporary directory: ${huge}` }));
    // Same connection, so once this one is in, anything rsyslog made of the first message is too.
    sink.offer(finding('big-app', { item: '/tmp/after', summary: 'Exec from a temporary directory: /tmp/after' }));
    await recordsFor('big-app', 2);
    const added = (await rsyslogd.records()).slice(before);
    expect(added.map((r) => r.msgId)).toEqual(['exec-from-temp', 'exec-from-temp']);
    const [cut, after] = added;
    // The structured data survived whole (closing bracket and all), with the item shortened inside it.
    expect(cut?.structuredData).toMatch(/^\[telltale@32473 kind="rule" .* item="\/tmp\/x+\.\.\." .* exe="\/bin\/sh"\]$/);
    expect(after?.structuredData).toContain(' item="/tmp/after" ');
  });
});
