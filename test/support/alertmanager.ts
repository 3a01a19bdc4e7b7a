import { join } from 'node:path';
import { asArray, asLabels, asRecord, asString, asStringArray, labelsMatch, oneOf, type Labels } from './json-guards.js';
import { launchWithConfig } from './launch-on-free-port.js';
import type { ManagedProcess } from './managed-process.js';
import { runCommand, type CommandResult } from './run-command.js';
import { waitForObserved, type WaitOptions } from './wait-for.js';

export type { Labels } from './json-guards.js';

export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';
export const AMTOOL_BINARY = '/usr/bin/amtool';

export type AlertmanagerAlertState = 'active' | 'suppressed' | 'unprocessed';

/** An alert as Alertmanager's v2 API returns it. */
export interface AlertmanagerAlert {
  readonly fingerprint: string;
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly receivers: readonly string[];
  readonly state: AlertmanagerAlertState;
  readonly inhibitedBy: readonly string[];
  readonly silencedBy: readonly string[];
}

/** An alert to push into Alertmanager, as Prometheus would. */
export interface PostableAlert {
  readonly labels: Labels;
  readonly annotations?: Labels;
  readonly startsAt?: Date;
  readonly endsAt?: Date;
  readonly generatorURL?: string;
}

export interface AlertmanagerOptions {
  /** The configuration as YAML text. */
  readonly configYaml: string;
  readonly extraArgs?: readonly string[];
  readonly startTimeoutMs?: number;
}

type WaitLimits = Omit<WaitOptions, 'description'>;

export interface AlertmanagerServer {
  readonly url: string;
  readonly port: number;
  /** host:port, for Prometheus' alerting config. */
  readonly address: string;
  readonly configPath: string;
  readonly process: ManagedProcess;
  alerts(): Promise<AlertmanagerAlert[]>;
  postAlerts(alerts: readonly PostableAlert[]): Promise<void>;
  /** Waits until the alert list satisfies `accept`, and returns it. */
  waitForAlerts(
    accept: (alerts: readonly AlertmanagerAlert[]) => boolean,
    description: string,
    limits?: WaitLimits,
  ): Promise<AlertmanagerAlert[]>;
  /** Stops the server and removes its config and storage. */
  stop(): Promise<void>;
}

/**
 * Starts /usr/bin/prometheus-alertmanager on a free loopback port, clustering off, and waits
 * until it is ready. The config is checked with amtool first so a bad one fails with its reason.
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<AlertmanagerServer> {
  const server = await launchWithConfig({
    name: 'Alertmanager',
    binary: ALERTMANAGER_BINARY,
    workDirPrefix: 'telltale-alertmanager-',
    configFileName: 'alertmanager.yml',
    configText: options.configYaml,
    checkConfig: (configPath) => runAmtool(['check-config', configPath]),
    checkTool: 'amtool',
    startTimeoutMs: options.startTimeoutMs,
    argsFor: (port, url, { workDir, configPath }) => [
      `--config.file=${configPath}`,
      `--storage.path=${join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
      ...(options.extraArgs ?? []),
    ],
  });
  return createServer(server.url, server.port, server.configPath, server.child, () => server.stop());
}

function createServer(
  url: string,
  port: number,
  configPath: string,
  child: ManagedProcess,
  stop: () => Promise<void>,
): AlertmanagerServer {
  const alerts = async (): Promise<AlertmanagerAlert[]> => {
    const response = await fetch(new URL('/api/v2/alerts', url));
    if (!response.ok) throw new Error(`GET /api/v2/alerts: HTTP ${response.status}: ${await response.text()}`);
    const body: unknown = await response.json();
    return asArray(body, 'alerts').map((item, index) => parseAlert(item, `alerts[${index}]`));
  };
  return {
    url,
    port,
    address: `127.0.0.1:${port}`,
    configPath,
    process: child,
    alerts,
    async postAlerts(toPost) {
      const body = toPost.map((alert) => ({
        labels: alert.labels,
        annotations: alert.annotations ?? {},
        ...(alert.startsAt === undefined ? {} : { startsAt: alert.startsAt.toISOString() }),
        ...(alert.endsAt === undefined ? {} : { endsAt: alert.endsAt.toISOString() }),
        ...(alert.generatorURL === undefined ? {} : { generatorURL: alert.generatorURL }),
      }));
      const response = await fetch(new URL('/api/v2/alerts', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`POST /api/v2/alerts: HTTP ${response.status}: ${await response.text()}`);
    },
    async waitForAlerts(accept, description, limits = {}) {
      return waitForObserved(alerts, (list) => (accept(list) ? list : undefined), {
        abortIf: () => child.exitedError(),
        ...limits,
        description,
        show: describeAlerts,
      });
    },
    stop,
  };
}

function parseAlert(value: unknown, where: string): AlertmanagerAlert {
  const alert = asRecord(value, where);
  const status = asRecord(alert.status, `${where}.status`);
  return {
    fingerprint: asString(alert.fingerprint, `${where}.fingerprint`),
    labels: asLabels(alert.labels, `${where}.labels`),
    annotations: asLabels(alert.annotations, `${where}.annotations`),
    startsAt: asString(alert.startsAt, `${where}.startsAt`),
    endsAt: asString(alert.endsAt, `${where}.endsAt`),
    receivers: asArray(alert.receivers, `${where}.receivers`).map((receiver, index) =>
      asString(asRecord(receiver, `${where}.receivers[${index}]`).name, `${where}.receivers[${index}].name`),
    ),
    state: oneOf(status.state, ['active', 'suppressed', 'unprocessed'], `${where}.status.state`),
    inhibitedBy: asStringArray(status.inhibitedBy, `${where}.status.inhibitedBy`),
    silencedBy: asStringArray(status.silencedBy, `${where}.status.silencedBy`),
  };
}

/** The first alert whose labels include `labels`. */
export function findAlert(alerts: readonly AlertmanagerAlert[], labels: Labels): AlertmanagerAlert | undefined {
  return alerts.find((alert) => labelsMatch(alert.labels, labels));
}

function describeAlerts(alerts: readonly AlertmanagerAlert[]): string {
  if (alerts.length === 0) return 'no alerts';
  return alerts.map((alert) => `${JSON.stringify(alert.labels)} ${alert.state}`).join(', ');
}

/** Runs amtool; a non-zero exit is returned, not thrown, so callers can show the output. */
export async function runAmtool(args: readonly string[], cwd?: string): Promise<CommandResult> {
  return runCommand(AMTOOL_BINARY, args, cwd);
}
