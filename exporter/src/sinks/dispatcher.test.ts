import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSinkDispatcher } from './create-sink-dispatcher.js';
import type { SinkDispatcher } from './dispatcher.js';
import { loadSinksConfig } from './load-sinks-config.js';
import { startAlertmanager, type AlertmanagerProcess } from './test-fixtures/alertmanager-process.js';
import { startHttpReceiver, type HttpReceiver } from './test-fixtures/http-receiver.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';
import { sinkEvents } from './test-fixtures/sink-metric-values.js';
import { DEFAULT_SD_ID } from './syslog-message.js';
import {
  startTcpSyslogListener,
  startUdpSyslogListener,
  type SyslogListener,
  type TcpSyslogListener,
} from './test-fixtures/syslog-listeners.js';
import { waitFor } from './test-fixtures/wait-for.js';
import type { WebhookPayload } from './webhook-payload.js';

let alertmanager: AlertmanagerProcess;
let webhook: HttpReceiver;
let udp: SyslogListener;
let tcp: TcpSyslogListener;

beforeAll(async () => {
  [alertmanager, webhook, udp, tcp] = await Promise.all([
    startAlertmanager(),
    startHttpReceiver((request, _i, response) => {
      response.writeHead(request.headers.authorization === 'Bearer e2e-token' ? 200 : 401).end();
    }),
    startUdpSyslogListener(),
    startTcpSyslogListener(),
  ]);
}, 30_000);

afterAll(async () => {
  await Promise.all([alertmanager?.stop(), webhook?.close(), udp?.close(), tcp?.close()]);
});

async function dispatcherFromFlags(registry: Registry): Promise<SinkDispatcher> {
  const config = await loadSinksConfig(
    {
      'sink-alertmanager': [alertmanager.url],
      'sink-webhook': `${webhook.url}/telltale`,
      'sink-syslog': [`udp://127.0.0.1:${udp.port}`, `tcp://127.0.0.1:${tcp.port}`],
      'sink-min-severity': 'warning',
    },
    { env: { TELLTALE_SINK_WEBHOOK_TOKEN: 'e2e-token' } },
  );
  return createSinkDispatcher(config, { registry, nodeName: 'node-e2e' });
}

describe('dispatcher from flags to four real receivers', () => {
  it('delivers a finding to Alertmanager, the webhook and both syslog listeners, and counts it', async () => {
    const registry = new Registry();
    const dispatcher = await dispatcherFromFlags(registry);
    expect(dispatcher.sinkNames).toEqual(['alertmanager', 'webhook', 'syslog', 'syslog-2']);

    const finding = sampleFinding({ rule: 'exec-from-temp', item: '/tmp/e2e-miner', summary: 'Exec from a temporary directory: /tmp/e2e-miner' });
    dispatcher.publish(finding);
    dispatcher.publish(finding);
    dispatcher.publish(sampleFinding({ item: '/tmp/just-info', severity: 'info' }));

    const alert = await waitFor(
      async () => (await alertmanager.alerts()).find((a) => a.labels.item === '/tmp/e2e-miner'),
      'alert in Alertmanager',
    );
    expect(alert.labels).toMatchObject({ alertname: 'TelltaleRuleDetection', rule: 'exec-from-temp', workload: 'checkout' });
    await waitFor(() => webhook.requests.length === 1, 'webhook request');
    const payload = webhook.requests[0]?.body as WebhookPayload;
    expect(payload.node).toBe('node-e2e');
    expect(payload.findings.map((f) => f.item)).toEqual(['/tmp/e2e-miner']);
    for (const listener of [udp, tcp]) {
      const message = await waitFor(() => listener.messages.find((m) => m.structuredData[DEFAULT_SD_ID]?.item === '/tmp/e2e-miner'), 'syslog message');
      expect(message.hostname).toBe('node-e2e');
      expect(message.msgId).toBe('exec-from-temp');
    }

    for (const sink of dispatcher.sinkNames) {
      await waitFor(async () => (await sinkEvents(registry, sink, 'sent')) === 1, `${sink} sent 1`);
      expect(await sinkEvents(registry, sink, 'rate_limited')).toBe(1);
    }
    const scrape = await registry.metrics();
    expect(scrape).toContain('telltale_sink_events_total{sink="webhook",outcome="sent"} 1');
    expect(scrape).toContain('telltale_sink_events_total{sink="syslog-2",outcome="failed"} 0');
    expect(scrape).toContain('telltale_sink_queue_length{sink="alertmanager"} 0');
    await dispatcher.close(2_000);
    expect(udp.messages.some((m) => m.structuredData[DEFAULT_SD_ID]?.item === '/tmp/just-info')).toBe(false);
  });

  it('keeps counting on the same registry across a reload, and publish never throws', async () => {
    const registry = new Registry();
    const first = await dispatcherFromFlags(registry);
    first.publish(sampleFinding({ item: '/tmp/reload-1' }));
    await first.close(2_000);
    const second = await dispatcherFromFlags(registry);
    second.publish(sampleFinding({ item: '/tmp/reload-2' }));
    // A finding no transport can format: it fails in the sinks, never in publish.
    expect(() => second.publish(sampleFinding({ item: '/tmp/bad-date', observedAt: new Date(Number.NaN) }))).not.toThrow();
    await second.close(2_000);
    for (const sink of second.sinkNames) {
      expect(await sinkEvents(registry, sink, 'sent')).toBe(2);
      expect(await sinkEvents(registry, sink, 'failed')).toBe(1);
    }
  });
});
