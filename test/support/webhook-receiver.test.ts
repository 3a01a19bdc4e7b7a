import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookPayload, type WebhookReceiver } from './webhook-receiver.js';

const payload: WebhookPayload = {
  version: '4',
  groupKey: '{}:{alertname="TelltaleUnexpectedProcess"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'team',
  groupLabels: { alertname: 'TelltaleUnexpectedProcess' },
  commonLabels: { alertname: 'TelltaleUnexpectedProcess', severity: 'warning' },
  commonAnnotations: {},
  externalURL: 'http://127.0.0.1:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'TelltaleUnexpectedProcess', item: '/usr/bin/nc' },
      annotations: { summary: 'unexpected process' },
      startsAt: '2026-11-28T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus/graph',
      fingerprint: 'abc',
    },
  ],
};

let receiver: WebhookReceiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

describe('startWebhookReceiver', () => {
  it('records payloads per path and resolves waiters for earlier and later notifications', async () => {
    receiver = await startWebhookReceiver();
    const later = receiver.waitFor((webhook) => webhook.path === '/pager', 'a notification for /pager');
    const response = await fetch(`${receiver.url}/pager`, { method: 'POST', body: JSON.stringify(payload) });
    expect(response.status).toBe(200);
    const webhook = await later;
    expect(webhook.payload.alerts[0]?.labels.item).toBe('/usr/bin/nc');
    const earlier = await receiver.waitFor((received) => received.payload.receiver === 'team', 'the team notification');
    expect(earlier).toBe(webhook);
    expect(receiver.received).toHaveLength(1);
  });

  it('rejects a body that is not a webhook payload, saying what is wrong', async () => {
    receiver = await startWebhookReceiver();
    const response = await fetch(`${receiver.url}/team`, { method: 'POST', body: JSON.stringify({ ...payload, alerts: 'none' }) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('payload.alerts: expected an array');
    expect(receiver.received).toHaveLength(0);
    expect(receiver.rejected).toHaveLength(1);
  });

  it('times out with the description and what it did receive', async () => {
    receiver = await startWebhookReceiver();
    await fetch(`${receiver.url}/team`, { method: 'POST', body: JSON.stringify(payload) });
    await expect(receiver.waitFor((webhook) => webhook.path === '/pager', 'a page', 30)).rejects.toThrow(
      /waiting for webhook: a page; received: \/team firing/,
    );
  });
});
