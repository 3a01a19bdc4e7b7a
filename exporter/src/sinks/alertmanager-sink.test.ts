import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RUNBOOK_URL_TEMPLATE, alertmanagerAlert, type AlertOptions } from './alertmanager-alert.js';
import { AlertmanagerTransport, alertsEndpoint, type AlertmanagerTarget } from './alertmanager-sink.js';
import { DEFAULT_DELIVERY_OPTIONS } from './delivery-options.js';
import { QueuedSink } from './queued-sink.js';
import { SinkMetrics } from './sink-metrics.js';
import type { SinkLogger } from './sink-logger.js';
import { startAlertmanager, type AlertmanagerProcess } from './test-fixtures/alertmanager-process.js';
import { startHttpReceiver } from './test-fixtures/http-receiver.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';
import { sinkEvents } from './test-fixtures/sink-metric-values.js';
import { waitFor } from './test-fixtures/wait-for.js';

const ALERT_OPTIONS: AlertOptions = { resolveAfterMs: 15 * 60_000, runbookUrlTemplate: DEFAULT_RUNBOOK_URL_TEMPLATE, externalLabels: {} };
let first: AlertmanagerProcess;
let second: AlertmanagerProcess;
/** A URL where nothing listens: a dead member of the HA pair. */
let deadUrl = '';

beforeAll(async () => {
  [first, second] = await Promise.all([startAlertmanager(), startAlertmanager()]);
  const closed = await startHttpReceiver();
  deadUrl = closed.url;
  await closed.close();
}, 30_000);

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
});

function alertmanagerSink(target: Partial<AlertmanagerTarget> & Pick<AlertmanagerTarget, 'urls'>): {
  sink: QueuedSink;
  registry: Registry;
  logs: string[];
  errors: string[];
  attempts: () => number;
} {
  const registry = new Registry();
  const logs: string[] = [];
  const errors: string[] = [];
  const record = (fields: Record<string, unknown>, message: string): void => {
    logs.push(message);
    if (typeof fields.error === 'string') errors.push(fields.error);
  };
  const logger: SinkLogger = { info: record, warn: record, error: record };
  const transport = new AlertmanagerTransport(
    { ...ALERT_OPTIONS, ...target },
    logger,
  );
  let attempts = 0;
  const sink = new QueuedSink({
    name: 'alertmanager',
    transport: {
      endpoint: transport.endpoint,
      send: (findings, signal) => {
        attempts++;
        return transport.send(findings, signal);
      },
      close: () => transport.close(),
    },
    options: { ...DEFAULT_DELIVERY_OPTIONS, lingerMs: 20, timeoutMs: 2_000, retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 10 } },
    metrics: SinkMetrics.on(registry),
    logger,
  });
  return { sink, registry, logs, errors, attempts: () => attempts };
}

describe('Alertmanager sink against the real Alertmanager 0.25', () => {
  it('posts to every member: the alert is active with the right labels in both, a dead member does not fail it', async () => {
    const { sink, registry, logs } = alertmanagerSink({
      urls: [new URL(first.url), new URL(`${second.url}/`), new URL(deadUrl)],
      externalLabels: { cluster: 'test' },
    });
    const finding = sampleFinding({
      rule: 'reverse-shell',
      severity: 'critical',
      item: '/bin/sh',
      summary: 'Reverse shell: /bin/sh with stdin on a socket',
    });
    sink.offer(finding);
    await waitFor(async () => (await sinkEvents(registry, 'alertmanager', 'sent')) === 1, 'sent');

    for (const member of [first, second]) {
      const alert = await waitFor(
        async () => (await member.alerts()).find((a) => a.labels.rule === 'reverse-shell'),
        `alert in ${member.url}`,
      );
      // Alertmanager keeps exactly the labels sent; alertmanager-alert.test.ts pins what they are.
      const sent = alertmanagerAlert(finding, new Date(), { ...ALERT_OPTIONS, externalLabels: { cluster: 'test' } });
      expect(alert.labels).toEqual(sent.labels);
      expect(alert.labels.cluster).toBe('test');
      expect(alert.status.state).toBe('active');
      expect(alert.annotations.summary).toBe('Reverse shell: /bin/sh with stdin on a socket');
      expect(alert.annotations.description).toContain('"/bin/sh"');
      expect(alert.annotations.runbook_url).toMatch(/\/TelltaleReverseShell\.md$/);
      expect(Date.parse(alert.endsAt)).toBeGreaterThan(Date.now());
    }
    expect(logs).toContain('Alertmanager member refused alerts that others accepted; it will miss them');
    await sink.close(1_000);
  });

  it('sends anomalies under their own alertname', async () => {
    const { sink, registry } = alertmanagerSink({ urls: [new URL(first.url)] });
    sink.offer(sampleFinding({ kind: 'anomaly', rule: '', category: 'dns', severity: 'warning', item: 'xmr.pool.example' }));
    await waitFor(async () => (await sinkEvents(registry, 'alertmanager', 'sent')) === 1, 'sent');
    const alert = await waitFor(
      async () => (await first.alerts()).find((a) => a.labels.item === 'xmr.pool.example'),
      'anomaly alert',
    );
    expect(alert.labels.alertname).toBe('TelltaleAnomaly');
    expect(alert.labels.category).toBe('dns');
    expect(alert.labels).not.toHaveProperty('rule');
    await sink.close(1_000);
  });

  it('fails without retrying when Alertmanager rejects the alerts', async () => {
    const { sink, registry, errors, attempts } = alertmanagerSink({
      urls: [new URL(first.url)],
      externalLabels: { 'not-a-label-name': 'x' },
    });
    sink.offer(sampleFinding({ item: '/tmp/rejected' }));
    await waitFor(async () => (await sinkEvents(registry, 'alertmanager', 'failed')) === 1, 'failed');
    expect(attempts()).toBe(1);
    expect(errors[0]).toMatch(/HTTP 400: "invalid label set: invalid name/);
    expect((await first.alerts()).some((a) => a.labels.item === '/tmp/rejected')).toBe(false);
    await sink.close(1_000);
  });

  it('fails after its retries when no member is up', async () => {
    const { sink, registry, attempts } = alertmanagerSink({ urls: [new URL(deadUrl)] });
    sink.offer(sampleFinding());
    await waitFor(async () => (await sinkEvents(registry, 'alertmanager', 'failed')) === 1, 'failed');
    expect(attempts()).toBe(3);
    await sink.close(1_000);
  });
});

describe('alertsEndpoint', () => {
  it('keeps a route prefix', () => {
    expect(alertsEndpoint(new URL('http://am:9093')).href).toBe('http://am:9093/api/v2/alerts');
    expect(alertsEndpoint(new URL('http://am:9093/')).href).toBe('http://am:9093/api/v2/alerts');
    expect(alertsEndpoint(new URL('https://gw/alertmanager')).href).toBe('https://gw/alertmanager/api/v2/alerts');
    expect(alertsEndpoint(new URL('https://gw/alertmanager/')).href).toBe('https://gw/alertmanager/api/v2/alerts');
  });
});
