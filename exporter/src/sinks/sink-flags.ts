import type { CliFlag } from '../config/cli-flag.js';
import { SEVERITIES, type Severity } from '../findings/finding.js';
import { DEFAULT_DELIVERY_OPTIONS } from './delivery-options.js';
import { formatDuration } from '../config/duration.js';
import type { SpecPath } from './resolve-sink-spec.js';
import type { LocatedSinkSpec } from './sinks-config-file.js';
import type { DeliverySpec, SinkSpec } from './sink-spec.js';
import type { ConfigProblem } from './sinks-config.js';

/** The sinks' flags share the daemon's flag shape, so one parser and one --help serve all. */
export type SinkFlag = CliFlag & { readonly env: string };

/** The token itself is never a flag: command lines are visible to every user in /proc. */
export const SINK_WEBHOOK_TOKEN_ENV = 'TELLTALE_SINK_WEBHOOK_TOKEN';

/** The sink flags of `telltale run`, for its argument parser and `--help`. */
export const SINK_FLAGS = [
  {
    name: 'sinks-config',
    value: 'FILE',
    help: 'YAML or JSON file of direct sinks (Alertmanager, webhook, syslog) with their queue, batch, retry, severity and dedup settings; sinks given by flags are added to it',
    env: 'TELLTALE_SINKS_CONFIG',
    repeatable: false,
  },
  {
    name: 'sink-alertmanager',
    value: 'URL',
    help: 'Send findings as alerts to this Alertmanager (API v2); repeat for every member of an HA cluster',
    env: 'TELLTALE_SINK_ALERTMANAGER',
    repeatable: true,
  },
  {
    name: 'sink-webhook',
    value: 'URL',
    help: 'POST findings as versioned JSON batches to this URL',
    env: 'TELLTALE_SINK_WEBHOOK',
    repeatable: false,
  },
  {
    name: 'sink-webhook-token-file',
    value: 'PATH',
    help: `Send the token in this file as "Authorization: Bearer" to --sink-webhook (re-read when it changes); or put the token in ${SINK_WEBHOOK_TOKEN_ENV}`,
    env: 'TELLTALE_SINK_WEBHOOK_TOKEN_FILE',
    repeatable: false,
  },
  {
    name: 'sink-syslog',
    value: 'URL',
    help: 'Send findings as RFC 5424 syslog to udp://host[:514] or tcp://host[:601] (RFC 6587 octet counting); repeatable',
    env: 'TELLTALE_SINK_SYSLOG',
    repeatable: true,
  },
  {
    name: 'sink-min-severity',
    value: 'LEVEL',
    help: 'Send only findings of this severity or higher (info, warning, critical) to the sinks given by flags',
    env: 'TELLTALE_SINK_MIN_SEVERITY',
    repeatable: false,
    default: DEFAULT_DELIVERY_OPTIONS.minSeverity,
  },
  {
    name: 'sink-dedup-window',
    value: 'DURATION',
    help: 'Send the same finding (workload, rule or category, item) at most once per window to the sinks given by flags; 0 sends every one',
    env: 'TELLTALE_SINK_DEDUP_WINDOW',
    repeatable: false,
    default: formatDuration(DEFAULT_DELIVERY_OPTIONS.dedupWindowMs),
  },
] as const satisfies readonly SinkFlag[];

export type SinkFlagName = (typeof SINK_FLAGS)[number]['name'];

/** Flag values as an argument parser gives them: one string, or one per repetition. */
export type SinkFlagValues = Readonly<Partial<Record<SinkFlagName, string | readonly string[] | undefined>>>;

/** The `options` entry for node:util parseArgs. */
export function sinkParseArgsOptions(): Record<SinkFlagName, { type: 'string'; multiple: boolean }> {
  return Object.fromEntries(SINK_FLAGS.map((flag) => [flag.name, { type: 'string', multiple: flag.repeatable }])) as Record<
    SinkFlagName,
    { type: 'string'; multiple: boolean }
  >;
}

interface FlagValue {
  readonly values: readonly string[];
  /** Where the values came from, as a ConfigProblem names it. */
  readonly where: { readonly source: 'command line' | 'environment'; readonly field: string };
}

function read(name: SinkFlagName, flags: SinkFlagValues, env: Readonly<Record<string, string | undefined>>): FlagValue | undefined {
  const flag = SINK_FLAGS.find((f) => f.name === name) as SinkFlag;
  const given = flags[name];
  const fromFlags = given === undefined ? [] : typeof given === 'string' ? [given] : [...given];
  if (fromFlags.length > 0) return { values: fromFlags, where: { source: 'command line', field: `--${name}` } };
  const text = env[flag.env];
  if (text === undefined || text.trim() === '') return undefined;
  const values = flag.repeatable ? text.split(',').map((v) => v.trim()).filter(Boolean) : [text.trim()];
  return { values, where: { source: 'environment', field: flag.env } };
}

export interface SinkFlagsResult {
  readonly specs: LocatedSinkSpec[];
  /** The --sinks-config file, when one is given. */
  readonly configFile?: { readonly path: string; readonly where: FlagValue['where'] } | undefined;
}

/**
 * Sinks from flags (or their environment variables when a flag is absent), as specs that the
 * same checks as the config file's go through. Problems, now or later through each spec's
 * `report`, go to `problems` and name the flag or the variable.
 */
export function sinkSpecsFromFlags(
  flags: SinkFlagValues,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  problems: ConfigProblem[],
): SinkFlagsResult {
  const value = (name: SinkFlagName): FlagValue | undefined => {
    const found = read(name, flags, env);
    const flag = SINK_FLAGS.find((f) => f.name === name) as SinkFlag;
    if (found && !flag.repeatable && found.values.length > 1) {
      const hint = name === 'sink-webhook' ? ' (use --sinks-config for several webhooks)' : '';
      problems.push({ ...found.where, message: `takes one value, given ${found.values.length}${hint}` });
    }
    return found;
  };
  const single = (found: FlagValue | undefined): string | undefined => found?.values[0];

  const configFlag = value('sinks-config');
  const minSeverity = value('sink-min-severity');
  const dedupWindow = value('sink-dedup-window');
  const severity = single(minSeverity);
  if (minSeverity && severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
    problems.push({ ...minSeverity.where, message: `"${severity}" is not one of ${SEVERITIES.join(', ')}` });
  }
  const delivery: DeliverySpec = {
    ...(severity !== undefined && (SEVERITIES as readonly string[]).includes(severity) ? { minSeverity: severity as Severity } : {}),
    ...(single(dedupWindow) !== undefined ? { dedupWindow: single(dedupWindow) } : {}),
  };

  const specs: LocatedSinkSpec[] = [];
  const add = (spec: SinkSpec, fields: Readonly<Record<string, FlagValue | { where: FlagValue['where'] } | undefined>>): void => {
    const fallback = fields.url ?? fields.urls;
    specs.push({
      spec,
      defaults: DEFAULT_DELIVERY_OPTIONS,
      baseDir: cwd,
      report: (path: SpecPath, message: string) => {
        const key = String(path[0]);
        const origin = fields[key] ?? (key === 'minSeverity' ? minSeverity : key === 'dedupWindow' ? dedupWindow : undefined) ?? fallback;
        problems.push({ ...(origin?.where ?? { source: 'command line', field: '' }), message });
      },
    });
  };

  const alertmanagers = value('sink-alertmanager');
  if (alertmanagers && alertmanagers.values.length > 0) {
    add({ type: 'alertmanager', urls: alertmanagers.values, ...delivery }, { urls: alertmanagers });
  }

  const webhook = value('sink-webhook');
  const tokenFile = value('sink-webhook-token-file');
  const tokenEnvSet = (env[SINK_WEBHOOK_TOKEN_ENV] ?? '') !== '';
  const url = single(webhook);
  if (url !== undefined && webhook) {
    if (tokenFile && tokenEnvSet) {
      problems.push({ ...tokenFile.where, message: `give the token either in this file or in ${SINK_WEBHOOK_TOKEN_ENV}, not both` });
    }
    const tokenPath = single(tokenFile);
    const token = tokenPath !== undefined ? { tokenFile: tokenPath } : tokenEnvSet ? { tokenEnv: SINK_WEBHOOK_TOKEN_ENV } : {};
    add(
      { type: 'webhook', url, ...token, ...delivery },
      {
        url: webhook,
        tokenFile,
        tokenEnv: { where: { source: 'environment', field: SINK_WEBHOOK_TOKEN_ENV } },
      },
    );
  } else if (tokenFile) {
    problems.push({ ...tokenFile.where, message: 'needs --sink-webhook' });
  }

  const syslog = value('sink-syslog');
  for (const syslogUrl of syslog?.values ?? []) {
    add({ type: 'syslog', url: syslogUrl, ...delivery }, { url: syslog });
  }

  const path = single(configFlag);
  return { specs, configFile: path !== undefined && configFlag ? { path, where: configFlag.where } : undefined };
}
