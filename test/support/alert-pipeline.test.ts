import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAlertmanager } from './alertmanager.js';
import { startMetricsServer } from './metrics-server.js';
import { startPrometheus } from './prometheus.js';
import { startWebhookReceiver } from './webhook-receiver.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

describe('the launchers together', { timeout: 180_000 }, () => {
  it('carry an alert from a scraped metric through Prometheus and Alertmanager to the webhook', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'telltale-pipeline-test-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const rulePath = join(dir, 'rules.yml');
    await writeFile(rulePath, 'groups:\n- name: demo\n  rules:\n  - alert: DemoHigh\n    expr: demo_level > 40\n    labels: {severity: critical}\n');

    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const alertmanager = await startAlertmanager({
      configYaml: `route: {receiver: pager, group_wait: 1s, group_interval: 1s}\nreceivers:\n- name: pager\n  webhook_configs: [{url: "${receiver.url}/pager", send_resolved: true}]\n`,
    });
    cleanups.push(() => alertmanager.stop());
    const target = await startMetricsServer('demo_level 50\n');
    cleanups.push(() => target.close());
    const prometheus = await startPrometheus({
      scrapeJobs: [{ jobName: 'demo', targets: [target.address] }],
      ruleFiles: [rulePath],
      alertmanagers: [alertmanager.address],
    });
    cleanups.push(() => prometheus.stop());

    const firing = await receiver.waitFor((webhook) => webhook.payload.status === 'firing', 'DemoHigh firing at the webhook');
    expect(firing.path).toBe('/pager');
    expect(firing.payload.alerts[0]?.labels).toMatchObject({ alertname: 'DemoHigh', severity: 'critical', job: 'demo' });

    target.setText('demo_level 0\n');
    const resolved = await receiver.waitFor((webhook) => webhook.payload.status === 'resolved', 'DemoHigh resolved at the webhook');
    expect(resolved.payload.alerts[0]?.labels.alertname).toBe('DemoHigh');
  });
});
