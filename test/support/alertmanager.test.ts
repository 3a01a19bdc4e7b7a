import { afterEach, describe, expect, it } from 'vitest';
import { findAlert, startAlertmanager, type AlertmanagerServer } from './alertmanager.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

function configFor(receiver: WebhookReceiver): string {
  return [
    'route:',
    '  receiver: team',
    '  group_by: [alertname]',
    '  group_wait: 1s',
    '  group_interval: 1s',
    'receivers:',
    '- name: team',
    '  webhook_configs:',
    `  - url: ${receiver.url}/team`,
    '    send_resolved: true',
    '',
  ].join('\n');
}

describe('startAlertmanager', { timeout: 120_000 }, () => {
  it('accepts alerts, lists them through the v2 API and notifies the webhook', async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const alertmanager: AlertmanagerServer = await startAlertmanager({ configYaml: configFor(receiver) });
    cleanups.push(() => alertmanager.stop());

    await alertmanager.postAlerts([{ labels: { alertname: 'DemoAlert', severity: 'info' }, annotations: { summary: 'demo' } }]);
    const alerts = await alertmanager.waitForAlerts((list) => findAlert(list, { alertname: 'DemoAlert' }) !== undefined, 'DemoAlert listed');
    const alert = findAlert(alerts, { alertname: 'DemoAlert' });
    expect(alert).toMatchObject({ state: 'active', receivers: ['team'], annotations: { summary: 'demo' } });

    const webhook = await receiver.waitFor((received) => received.payload.status === 'firing', 'DemoAlert notification');
    expect(webhook.path).toBe('/team');
    expect(webhook.payload.alerts.map((notified) => notified.labels.alertname)).toEqual(['DemoAlert']);

    await alertmanager.postAlerts([{ labels: { alertname: 'DemoAlert', severity: 'info' }, endsAt: new Date(Date.now() - 1000) }]);
    const resolved = await receiver.waitFor((received) => received.payload.status === 'resolved', 'DemoAlert resolved notification');
    expect(resolved.payload.alerts[0]?.status).toBe('resolved');

    await alertmanager.stop();
    expect(alertmanager.process.exitDescription).toBeDefined();
  });

  it('refuses a config amtool rejects, quoting amtool', async () => {
    await expect(startAlertmanager({ configYaml: 'route:\n  receiver: nobody\nreceivers: []\n' })).rejects.toThrow(
      /Alertmanager config rejected by amtool:[\s\S]*nobody/,
    );
  });
});
