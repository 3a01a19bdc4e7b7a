import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { findAlert, runAmtool, startAlertmanager, type AlertmanagerServer, type Labels } from '../../test/support/alertmanager.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { ALERTMANAGER_DIR } from './paths.js';

const configPath = join(ALERTMANAGER_DIR, 'alertmanager.yml');

interface RouteCase {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly receivers: readonly string[];
}

describe('alertmanager/alertmanager.yml', () => {
  it('passes amtool check-config', async () => {
    const result = await runAmtool(['check-config', configPath]);
    expect(result.exitCode, result.output).toBe(0);
  });

  it('routes every case in routes.test.yaml to exactly its receivers (amtool config routes test)', async () => {
    const cases = parse(await readFile(join(ALERTMANAGER_DIR, 'routes.test.yaml'), 'utf8')) as RouteCase[];
    expect(cases.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const routeCase of cases) {
      const labels = Object.entries(routeCase.labels).map(([name, value]) => `${name}=${value}`);
      const result = await runAmtool([
        'config',
        'routes',
        'test',
        `--config.file=${configPath}`,
        `--verify.receivers=${routeCase.receivers.join(',')}`,
        ...labels,
      ]);
      if (result.exitCode !== 0) failures.push(`${routeCase.name}: expected ${routeCase.receivers.join(',')}; amtool said: ${result.output.trim()}`);
    }
    expect(failures).toEqual([]);
  });
});

/**
 * The example config with its receivers pointed at a local webhook receiver (one path per
 * receiver) and grouping delays of a second, so a test sees notifications quickly. Routing,
 * grouping keys and inhibition rules stay as written.
 */
function forLocalTest(configYaml: string, receiverUrl: string): string {
  const config = parse(configYaml) as {
    route: RouteNode;
    receivers: Array<{ name: string; webhook_configs?: Array<{ url: string }> }>;
  };
  const shorten = (route: RouteNode): void => {
    if (route.group_wait !== undefined || route === config.route) route.group_wait = '1s';
    if (route.group_interval !== undefined || route === config.route) route.group_interval = '1s';
    for (const child of route.routes ?? []) shorten(child);
  };
  shorten(config.route);
  for (const receiver of config.receivers) {
    for (const webhook of receiver.webhook_configs ?? []) webhook.url = `${receiverUrl}/${receiver.name}`;
  }
  return stringify(config);
}

interface RouteNode {
  group_wait?: string;
  group_interval?: string;
  routes?: RouteNode[];
}

const shopApi = { namespace: 'shop', workload: 'api', workload_type: 'Deployment', container: 'app' } as const;
const shopWeb = { namespace: 'shop', workload: 'web', workload_type: 'Deployment', container: 'nginx' } as const;
const paymentsApi = { namespace: 'payments', workload: 'api', workload_type: 'Deployment', container: 'app' } as const;

function notified(webhook: ReceivedWebhook, labels: Labels): boolean {
  return webhook.payload.alerts.some((alert) => Object.entries(labels).every(([name, value]) => alert.labels[name] === value));
}

describe('alertmanager.yml in a real Alertmanager', () => {
  let receiver: WebhookReceiver;
  let alertmanager: AlertmanagerServer;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    alertmanager = await startAlertmanager({ configYaml: forLocalTest(await readFile(configPath, 'utf8'), receiver.url) });
  });
  afterAll(async () => {
    await alertmanager?.stop();
    await receiver?.close();
  });

  it('inhibits per-item alerts of a deviating workload, groups per workload and alert, and routes by severity and namespace', async () => {
    const deviation = { alertname: 'TelltaleWorkloadDeviationHigh', severity: 'warning', ...shopApi };
    const process = { alertname: 'TelltaleUnexpectedProcess', severity: 'warning', category: 'exec', ...shopApi, item: '/usr/bin/nc' };
    const peer = { alertname: 'TelltaleUnexpectedNetworkPeer', severity: 'warning', category: 'network', ...shopApi, item: '203.0.113.7:4444' };
    const directAnomaly = { alertname: 'TelltaleAnomaly', severity: 'warning', category: 'dns', ...shopApi, item: 'pool.evil.example' };
    const otherWorkload = { alertname: 'TelltaleUnexpectedProcess', severity: 'warning', category: 'exec', ...shopWeb, item: '/usr/bin/nc' };
    const shadowRule = { alertname: 'TelltaleSensitiveFileRead', severity: 'warning', rule: 'sensitive-file-read', ...shopWeb, item: '/etc/shadow' };
    const shadowItem = { alertname: 'TelltaleUnexpectedSensitiveFileAccess', severity: 'warning', category: 'file', ...shopWeb, item: '/etc/shadow' };
    const keyItem = { alertname: 'TelltaleUnexpectedSensitiveFileAccess', severity: 'warning', category: 'file', ...shopWeb, item: '/root/.ssh/id_rsa' };
    const paymentsA = { alertname: 'TelltaleUnexpectedProcess', severity: 'warning', category: 'exec', ...paymentsApi, item: '/usr/bin/a' };
    const paymentsB = { alertname: 'TelltaleUnexpectedProcess', severity: 'warning', category: 'exec', ...paymentsApi, item: '/usr/bin/b' };
    const reverseShell = { alertname: 'TelltaleReverseShell', severity: 'critical', rule: 'reverse-shell', ...paymentsApi, item: '/bin/sh' };
    const exporterDown = { alertname: 'TelltaleExporterDown', severity: 'critical', job: 'telltale', instance: 'node-a:9310' };
    const all = [deviation, process, peer, directAnomaly, otherWorkload, shadowRule, shadowItem, keyItem, paymentsA, paymentsB, reverseShell, exporterDown];
    await alertmanager.postAlerts(all.map((labels) => ({ labels, annotations: { summary: labels.alertname } })));

    const alerts = await alertmanager.waitForAlerts(
      (list) => all.every((labels) => findAlert(list, labels) !== undefined) && findAlert(list, process)?.state === 'suppressed',
      'all posted alerts listed, with the inhibited ones suppressed',
    );
    const stateOf = (labels: Labels): string | undefined => findAlert(alerts, labels)?.state;
    expect(stateOf(process)).toBe('suppressed');
    expect(stateOf(peer)).toBe('suppressed');
    expect(stateOf(shadowItem)).toBe('suppressed');
    expect(stateOf(directAnomaly)).toBe('suppressed');
    expect(findAlert(alerts, process)?.inhibitedBy).toHaveLength(1);
    for (const active of [deviation, otherWorkload, shadowRule, keyItem, paymentsA, paymentsB, reverseShell, exporterDown]) {
      expect(stateOf(active), JSON.stringify(active)).toBe('active');
    }

    const grouped = await receiver.waitFor(
      (webhook) => webhook.path === '/payments-team' && webhook.payload.groupLabels.alertname === 'TelltaleUnexpectedProcess',
      'the payments team notification for its unexpected processes',
    );
    expect(grouped.payload.groupLabels).toEqual({ alertname: 'TelltaleUnexpectedProcess', namespace: 'payments', workload: 'api' });
    expect(grouped.payload.alerts.map((alert) => alert.labels.item).sort()).toEqual(['/usr/bin/a', '/usr/bin/b']);

    await receiver.waitFor((webhook) => webhook.path === '/security-pager' && notified(webhook, reverseShell), 'the page for the reverse shell');
    await receiver.waitFor((webhook) => webhook.path === '/payments-team' && notified(webhook, reverseShell), 'the team copy of the reverse shell');
    await receiver.waitFor((webhook) => webhook.path === '/telltale-operators' && notified(webhook, exporterDown), 'the exporter-down notification');
    await receiver.waitFor((webhook) => webhook.path === '/security-team' && notified(webhook, deviation), 'the deviation notification');
    await receiver.waitFor((webhook) => webhook.path === '/security-team' && notified(webhook, otherWorkload), 'the other workload’s process');
    await receiver.waitFor((webhook) => webhook.path === '/security-team' && notified(webhook, keyItem), 'the non-inhibited sensitive file');

    // Groups flush together; by now an inhibited alert would have been sent along with them.
    for (const inhibited of [process, peer, directAnomaly, shadowItem]) {
      expect(receiver.received.filter((webhook) => notified(webhook, inhibited)), JSON.stringify(inhibited)).toEqual([]);
    }
    expect(receiver.received.filter((webhook) => webhook.path === '/security-pager' && !notified(webhook, reverseShell))).toEqual([]);
    expect(receiver.rejected).toEqual([]);
  });
});
