import type { AlertOptions } from './alertmanager-alert.js';
import type { BearerToken } from './bearer-token.js';
import type { DeliveryOptions } from './delivery-options.js';

interface SinkConfigBase {
  /** The `sink` label of the sink metrics; unique. */
  readonly name: string;
  readonly delivery: DeliveryOptions;
}

export interface AlertmanagerSinkConfig extends SinkConfigBase {
  readonly type: 'alertmanager';
  readonly urls: readonly URL[];
  readonly token?: BearerToken | undefined;
  readonly alerts: AlertOptions;
}

export interface WebhookSinkConfig extends SinkConfigBase {
  readonly type: 'webhook';
  readonly url: URL;
  readonly token?: BearerToken | undefined;
}

export interface SyslogSinkConfig extends SinkConfigBase {
  readonly type: 'syslog';
  readonly protocol: 'udp' | 'tcp';
  readonly host: string;
  readonly port: number;
  readonly facility: number;
  /** HOSTNAME field; undefined means the node name the dispatcher is given. */
  readonly hostname?: string | undefined;
  readonly appName: string;
  readonly sdId: string;
  readonly maxMessageBytes: number;
}

export type SinkConfig = AlertmanagerSinkConfig | WebhookSinkConfig | SyslogSinkConfig;

/** Every direct sink the daemon runs; empty when none is configured. */
export interface SinksConfig {
  readonly sinks: readonly SinkConfig[];
}

/** One thing wrong with the configuration, and where the user wrote it. */
export interface ConfigProblem {
  /** A file path, `command line` or `environment`. */
  readonly source: string;
  readonly line?: number | undefined;
  readonly column?: number | undefined;
  /** `sinks[1].url` in a file, `--sink-webhook` or `TELLTALE_SINK_WEBHOOK` otherwise. */
  readonly field: string;
  readonly message: string;
}

export function formatConfigProblem(problem: ConfigProblem): string {
  const where =
    problem.line === undefined ? problem.source : `${problem.source}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
  const field = problem.field ? `${problem.field}: ` : '';
  if (problem.source === 'command line') return `${field}${problem.message}`;
  if (problem.source === 'environment') return `${problem.field} (environment): ${problem.message}`;
  return `${where}: ${field}${problem.message}`;
}

/** Thrown at start when the sink configuration is wrong; the message lists every problem, one per line. */
export class SinksConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      problems.length === 1
        ? `invalid sink configuration: ${formatConfigProblem(problems[0] as ConfigProblem)}`
        : `invalid sink configuration:\n${problems.map((p) => `  ${formatConfigProblem(p)}`).join('\n')}`,
    );
    this.name = 'SinksConfigError';
  }
}
