import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import {
  backfillOpenMetrics,
  buildPrometheusConfig,
  parseSampleValue,
  runPromtool,
  startPrometheus,
  type PrometheusServer,
} from './prometheus.js';
import { waitFor } from './wait-for.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}, 60_000);

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-prometheus-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function prometheus(options: Parameters<typeof startPrometheus>[0]): Promise<PrometheusServer> {
  const server = await startPrometheus(options);
  cleanups.push(() => server.stop());
  return server;
}

async function metrics(text: string): Promise<MetricsServer> {
  const server = await startMetricsServer(text);
  cleanups.push(() => server.close());
  return server;
}

describe('buildPrometheusConfig', () => {
  it('writes a config promtool accepts, with absolute rule paths and the alertmanager target', async () => {
    const dir = await tempDir();
    const rulePath = join(dir, 'rules.yml');
    await writeFile(rulePath, 'groups: []\n');
    const text = buildPrometheusConfig({
      scrapeJobs: [{ jobName: 'telltale', targets: ['127.0.0.1:9310'], labels: { instance: 'node-a' } }],
      ruleFiles: [rulePath],
      evaluationInterval: '2s',
      alertmanagers: ['127.0.0.1:9093'],
    });
    const configPath = join(dir, 'prometheus.yml');
    await writeFile(configPath, text);
    const check = await runPromtool(['check', 'config', configPath]);
    expect(check.exitCode, check.output).toBe(0);
    expect(JSON.parse(text)).toMatchObject({
      global: { scrape_interval: '1s', evaluation_interval: '2s' },
      rule_files: [rulePath],
      alerting: { alertmanagers: [{ static_configs: [{ targets: ['127.0.0.1:9093'] }] }] },
    });
  });
});

describe('parseSampleValue', () => {
  it('reads the special values Prometheus writes as strings', () => {
    expect(parseSampleValue('+Inf', 'v')).toBe(Number.POSITIVE_INFINITY);
    expect(parseSampleValue('-Inf', 'v')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSampleValue('NaN', 'v')).toBeNaN();
    expect(parseSampleValue('0.25', 'v')).toBe(0.25);
    expect(() => parseSampleValue('', 'v')).toThrow(/not a sample value/);
  });
});

describe('startPrometheus', { timeout: 180_000 }, () => {
  it('scrapes a target, answers queries, fires and resolves an alert, and cleans up on stop', async () => {
    const target = await metrics('demo_level{kind="a"} 42\n');
    const dir = await tempDir();
    const rulePath = join(dir, 'rules.yml');
    await writeFile(
      rulePath,
      ['groups:', '- name: demo', '  rules:', '  - alert: DemoHigh', '    expr: demo_level > 40', '    labels: {severity: info}', ''].join('\n'),
    );
    const server = await prometheus({ scrapeJobs: [{ jobName: 'demo', targets: [target.address] }], ruleFiles: [rulePath] });

    const targets = await server.client.waitForTargetsHealthy('demo');
    expect(targets.map((status) => status.labels.job)).toEqual(['demo']);
    const [sample] = await server.client.waitForQuery('demo_level', (samples) => samples.length === 1);
    expect(sample?.metric).toMatchObject({ __name__: 'demo_level', kind: 'a', job: 'demo' });
    expect(sample?.value).toBe(42);
    expect(await server.client.query('scalar(demo_level) * 2')).toMatchObject([{ metric: {}, value: 84 }]);

    const end = new Date();
    const range = await server.client.queryRange('demo_level', { start: new Date(end.getTime() - 60_000), end, stepSeconds: 1 });
    expect(range[0]?.values.at(-1)?.value).toBe(42);

    const alert = await server.client.waitForAlert({ alertname: 'DemoHigh', labels: { kind: 'a' } }, 'firing');
    expect(alert.value).toBe(42);
    const groups = await server.client.ruleGroups();
    expect(groups[0]?.rules[0]).toMatchObject({ name: 'DemoHigh', type: 'alerting', health: 'ok' });

    target.setText('demo_level{kind="a"} 1\n');
    await server.client.waitForNoAlert({ alertname: 'DemoHigh' });

    const workDir = dirname(server.configPath);
    await server.stop();
    expect(server.process.exitDescription).toBeDefined();
    expect(existsSync(workDir)).toBe(false);
  });

  it('waits for a target that is down with a message naming it', async () => {
    const server = await prometheus({ scrapeJobs: [{ jobName: 'nobody', targets: ['127.0.0.1:1'] }] });
    await waitFor(async () => ((await server.client.targets()).some((target) => target.health === 'down') ? true : undefined), {
      description: 'the first failed scrape',
    });
    await expect(server.client.waitForTargetsHealthy('nobody', { timeoutMs: 1_000 })).rejects.toThrow(
      /scrape job "nobody" to be healthy \(last seen: http:\/\/127\.0\.0\.1:1\/metrics down \(.*connection refused/,
    );
  });

  it('refuses a rule file Prometheus would reject, quoting promtool', async () => {
    const dir = await tempDir();
    const rulePath = join(dir, 'broken.yml');
    await writeFile(rulePath, 'groups:\n- name: broken\n  rules:\n  - alert: Broken\n    expr: sum(\n');
    await expect(startPrometheus({ ruleFiles: [rulePath] })).rejects.toThrow(/Prometheus config rejected by promtool:[\s\S]*broken\.yml/);
  });

  it('serves samples backfilled from OpenMetrics text into the data dir it is given', async () => {
    const dataDir = await tempDir();
    const nowSeconds = Math.floor(Date.now() / 1000);
    const start = nowSeconds - 3 * 3600;
    const lines = ['# TYPE telltale_deviation_score gauge'];
    for (let minute = 0; minute <= 120; minute += 1) {
      lines.push(`telltale_deviation_score{workload="demo"} ${(minute / 120).toFixed(4)} ${start + minute * 60}`);
    }
    await backfillOpenMetrics({ openMetrics: lines.join('\n'), dataDir });
    const server = await prometheus({ dataDir });
    const series = await server.client.queryRange('telltale_deviation_score', {
      start: new Date(start * 1000),
      end: new Date((start + 7200) * 1000),
      stepSeconds: 600,
    });
    expect(series).toHaveLength(1);
    expect(series[0]?.metric).toEqual({ __name__: 'telltale_deviation_score', workload: 'demo' });
    expect(series[0]?.values.map((sample) => sample.value)).toEqual([0, 0.0833, 0.1667, 0.25, 0.3333, 0.4167, 0.5, 0.5833, 0.6667, 0.75, 0.8333, 0.9167, 1]);
    await server.stop();
    expect(existsSync(dataDir)).toBe(true);
  });

  it('reports a backfill promtool cannot parse', async () => {
    const dataDir = await tempDir();
    await expect(backfillOpenMetrics({ openMetrics: 'not metrics at all {', dataDir })).rejects.toThrow(/promtool backfill into .* failed/);
  });
});
