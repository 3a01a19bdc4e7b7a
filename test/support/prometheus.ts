import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Labels } from './json-guards.js';
import { launchWithConfig } from './launch-on-free-port.js';
import type { ManagedProcess } from './managed-process.js';
import { PrometheusClient } from './prometheus-client.js';
import { runCommand, type CommandResult } from './run-command.js';

export * from './prometheus-client.js';

export const PROMETHEUS_BINARY = '/usr/bin/prometheus';
export const PROMTOOL_BINARY = '/usr/bin/promtool';

export interface ScrapeJob {
  readonly jobName: string;
  /** host:port of each target. */
  readonly targets: readonly string[];
  readonly metricsPath?: string;
  /** Overrides the global scrape interval for this job, e.g. '1s'. */
  readonly scrapeInterval?: string;
  /** Extra target labels, e.g. { instance: 'node-a' }. */
  readonly labels?: Labels;
  readonly honorLabels?: boolean;
}

export interface PrometheusOptions {
  readonly scrapeJobs?: readonly ScrapeJob[];
  /** Rule files; relative paths are resolved against the current directory. */
  readonly ruleFiles?: readonly string[];
  readonly scrapeInterval?: string;
  readonly evaluationInterval?: string;
  /** host:port of each Alertmanager to send alerts to. */
  readonly alertmanagers?: readonly string[];
  readonly externalLabels?: Labels;
  /** An existing TSDB directory (e.g. from backfillOpenMetrics), kept on stop; a temporary one otherwise. */
  readonly dataDir?: string;
  /** e.g. '3650d' when the data dir holds old backfilled blocks. */
  readonly retention?: string;
  /** Prometheus re-sends firing alerts this often (default 1m); lower it for fast Alertmanager tests. */
  readonly alertResendDelay?: string;
  readonly extraArgs?: readonly string[];
  readonly startTimeoutMs?: number;
}

export interface PrometheusServer {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly configPath: string;
  readonly client: PrometheusClient;
  readonly process: ManagedProcess;
  /** Stops the server and removes the directories it created (never a caller's dataDir). */
  stop(): Promise<void>;
}

interface PrometheusConfigFile {
  global: { scrape_interval: string; evaluation_interval: string; external_labels?: Labels };
  rule_files: string[];
  scrape_configs: Array<{
    job_name: string;
    metrics_path?: string;
    scrape_interval?: string;
    honor_labels?: boolean;
    static_configs: Array<{ targets: string[]; labels?: Labels }>;
  }>;
  alerting?: { alertmanagers: Array<{ api_version: 'v2'; static_configs: Array<{ targets: string[] }> }> };
}

/** The prometheus.yml for `options`, as JSON (which is valid YAML). */
export function buildPrometheusConfig(options: PrometheusOptions): string {
  const scrapeInterval = options.scrapeInterval ?? '1s';
  const config: PrometheusConfigFile = {
    global: {
      scrape_interval: scrapeInterval,
      evaluation_interval: options.evaluationInterval ?? scrapeInterval,
      ...(options.externalLabels === undefined ? {} : { external_labels: options.externalLabels }),
    },
    rule_files: (options.ruleFiles ?? []).map((file) => resolve(file)),
    scrape_configs: (options.scrapeJobs ?? []).map((job) => ({
      job_name: job.jobName,
      ...(job.metricsPath === undefined ? {} : { metrics_path: job.metricsPath }),
      ...(job.scrapeInterval === undefined ? {} : { scrape_interval: job.scrapeInterval }),
      ...(job.honorLabels === undefined ? {} : { honor_labels: job.honorLabels }),
      static_configs: [{ targets: [...job.targets], ...(job.labels === undefined ? {} : { labels: job.labels }) }],
    })),
  };
  if (options.alertmanagers !== undefined && options.alertmanagers.length > 0) {
    config.alerting = { alertmanagers: [{ api_version: 'v2', static_configs: [{ targets: [...options.alertmanagers] }] }] };
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Starts /usr/bin/prometheus on a free loopback port and waits until it is ready. */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusServer> {
  const server = await launchWithConfig({
    name: 'Prometheus',
    binary: PROMETHEUS_BINARY,
    workDirPrefix: 'telltale-prometheus-',
    configFileName: 'prometheus.yml',
    configText: buildPrometheusConfig(options),
    checkConfig: (configPath) => runPromtool(['check', 'config', configPath]),
    checkTool: 'promtool',
    startTimeoutMs: options.startTimeoutMs,
    argsFor: (port, url, { workDir, configPath }) => [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${options.dataDir ?? join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--web.enable-lifecycle',
      ...(options.retention === undefined ? [] : [`--storage.tsdb.retention.time=${options.retention}`]),
      ...(options.alertResendDelay === undefined ? [] : [`--rules.alert.resend-delay=${options.alertResendDelay}`]),
      ...(options.extraArgs ?? []),
    ],
  });
  const { child, port, url, configPath } = server;
  return {
    url,
    port,
    dataDir: options.dataDir ?? join(server.workDir, 'data'),
    configPath,
    client: new PrometheusClient(url, { abortIf: () => child.exitedError() }),
    process: child,
    stop: () => server.stop(),
  };
}

/** Runs promtool; a non-zero exit is returned, not thrown, so callers can show the output. */
export async function runPromtool(args: readonly string[], cwd?: string): Promise<CommandResult> {
  return runCommand(PROMTOOL_BINARY, args, cwd);
}

export interface BackfillOptions {
  /** OpenMetrics text with sample timestamps in seconds; "# EOF" is added when missing. */
  readonly openMetrics: string;
  /** The TSDB directory to write blocks into; created when missing. */
  readonly dataDir: string;
  /** e.g. '24h' to cut fewer, larger blocks; promtool's default is 2h. */
  readonly maxBlockDuration?: string;
}

/** Writes TSDB blocks for `openMetrics` into `dataDir` with `promtool tsdb create-blocks-from openmetrics`. */
export async function backfillOpenMetrics(options: BackfillOptions): Promise<void> {
  const workDir = await mkdtemp(join(tmpdir(), 'telltale-backfill-'));
  try {
    const input = join(workDir, 'input.om');
    const text = options.openMetrics.trimEnd();
    await writeFile(input, text.endsWith('# EOF') ? `${text}\n` : `${text}\n# EOF\n`);
    const args = ['tsdb', 'create-blocks-from', 'openmetrics'];
    if (options.maxBlockDuration !== undefined) args.push(`--max-block-duration=${options.maxBlockDuration}`);
    args.push(input, options.dataDir);
    const result = await runPromtool(args);
    if (result.exitCode !== 0) throw new Error(`promtool backfill into ${options.dataDir} failed:\n${result.output}`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
