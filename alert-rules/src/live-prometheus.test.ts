import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from '../../test/support/metrics-server.js';
import { startPrometheus, type PrometheusServer } from '../../test/support/prometheus.js';
import { loadConfig } from './config.js';
import { DEFAULT_CONFIG, FAST_CONFIG } from './paths.js';
import { RULES_FILE, writeRendered } from './render.js';

const JOB = 'telltale-e2e';
const WORKLOAD = 'namespace="shop",workload="api",workload_type="Deployment",container="app"';

/** What the exporter would serve for shop/api; `seenAt` is the unix time of the novel sightings. */
function exposition(score: number, seenAt: number): string {
  return [
    `telltale_deviation_score{${WORKLOAD}} ${score}`,
    `telltale_score_suppressed{${WORKLOAD}} 0`,
    `telltale_anomaly_last_seen_timestamp_seconds{${WORKLOAD},category="exec",item="/usr/bin/nc"} ${seenAt}`,
    `telltale_rule_last_detection_timestamp_seconds{${WORKLOAD},rule="reverse-shell",severity="critical",item="/bin/sh"} ${seenAt}`,
    'telltale_loader_restarts_total 0',
    '',
  ].join('\n');
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('the fast variant in a real Prometheus scraping and evaluating every second', () => {
  it('fires workload, item, rule and health alerts, then resolves them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'telltale-alert-rules-live-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const config = await loadConfig([DEFAULT_CONFIG, FAST_CONFIG], { exporterSelector: `job="${JOB}"` });
    await writeRendered(config, dir);

    const now = (): number => Date.now() / 1000;
    const exporter: MetricsServer = await startMetricsServer(exposition(0.95, now()));
    cleanups.push(() => exporter.close());
    // Keep the sightings fresh until the alerts have been seen, as a busy workload would.
    const refresher = setInterval(() => exporter.setText(exposition(0.95, now())), 500);
    cleanups.push(async () => clearInterval(refresher));

    const prometheus: PrometheusServer = await startPrometheus({
      scrapeJobs: [{ jobName: JOB, targets: [exporter.address] }],
      ruleFiles: [join(dir, RULES_FILE)],
    });
    cleanups.push(() => prometheus.stop());
    const { client } = prometheus;
    await client.waitForTargetsHealthy(JOB);

    const deviation = await client.waitForAlert({ alertname: 'TelltaleWorkloadDeviationHigh', labels: { workload: 'api' } }, 'firing');
    expect(deviation.labels).toEqual({
      alertname: 'TelltaleWorkloadDeviationHigh',
      severity: 'warning',
      namespace: 'shop',
      workload: 'api',
      workload_type: 'Deployment',
      container: 'app',
    });
    expect(deviation.annotations.description).toContain('deviation score 0.95 is above 0.9. Recent novel items: exec /usr/bin/nc.');

    const process = await client.waitForAlert({ alertname: 'TelltaleUnexpectedProcess', labels: { item: '/usr/bin/nc' } }, 'firing');
    expect(process.labels).toMatchObject({ severity: 'warning', category: 'exec', namespace: 'shop', workload: 'api' });
    expect(process.annotations.description).toContain('executed /usr/bin/nc, which is not in its learned profile');

    const shell = await client.waitForAlert({ alertname: 'TelltaleReverseShell', labels: { item: '/bin/sh' } }, 'firing');
    expect(shell.labels).toMatchObject({ severity: 'critical', rule: 'reverse-shell', workload: 'api' });
    expect(shell.annotations.runbook_url).toMatch(/\/alert-rules\/runbooks\/TelltaleReverseShell\.md$/);

    // The workload calms down and its novel items age out of the window.
    clearInterval(refresher);
    exporter.setText(exposition(0.2, now()));
    await client.waitForNoAlert({ alertname: 'TelltaleWorkloadDeviationHigh' });
    await client.waitForNoAlert({ alertname: 'TelltaleUnexpectedProcess' });
    await client.waitForNoAlert({ alertname: 'TelltaleReverseShell' });

    // The exporter goes away.
    await exporter.close();
    const down = await client.waitForAlert({ alertname: 'TelltaleExporterDown' }, 'firing');
    expect(down.labels).toMatchObject({ severity: 'critical', job: JOB, instance: exporter.address });
  });
});
