import { isAbsolute, resolve as resolvePath } from 'node:path';
import { DEFAULT_RESOLVE_AFTER_MS, DEFAULT_RUNBOOK_URL_TEMPLATE } from './alertmanager-alert.js';
import { BearerToken } from './bearer-token.js';
import type { DeliveryOptions } from './delivery-options.js';
import { formatDuration, parseDuration } from '../config/duration.js';
import type { DeliverySpec, SinkSpec, SyslogSpec } from './sink-spec.js';
import type { SinkConfig, SyslogSinkConfig } from './sinks-config.js';
import { DEFAULT_SD_ID, SYSLOG_FACILITIES } from './syslog-message.js';

/** Where a value sits inside one sink spec (or the defaults), e.g. `['retry', 'maxDelay']`. */
import type { SpecPath } from '../config/yaml-locate.js';

export type { SpecPath };
export type ReportProblem = (path: SpecPath, message: string) => void;

export interface ResolveContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative token files are read from here: the config file's directory, or the working directory. */
  readonly baseDir: string;
  readonly report: ReportProblem;
}

const HOUR_MS = 3_600_000;
const SINK_NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/i;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** RFC 5424 SD-NAME, with the `name@enterprise-number` form that unregistered SD-IDs must use. */
const PRIVATE_SD_ID = /^[\x21-\x7e]{1,32}$/;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
const UDP_MAX_PAYLOAD = 65_507;
const DEFAULT_SYSLOG_PORT = { udp: 514, tcp: 601 } as const;
/**
 * RFC 5426 asks every receiver to take 2048 octets. Over TCP, rsyslog's default
 * maxMessageSize is 8096 octets, not 8192: a longer message is cut there, losing the end
 * of its structured data, and the rest arrives as a bogus message of its own
 * (syslog-rsyslog.test.ts sends one of exactly this size to a real rsyslogd).
 */
const DEFAULT_MAX_MESSAGE_BYTES = { udp: 2048, tcp: 8096 } as const;

export function isValidSinkName(name: string): boolean {
  return SINK_NAME.test(name);
}

/**
 * Applies `spec` over `base`. A value that is wrong is reported and `base` kept, so that one
 * run reports every problem rather than the first.
 */
export function resolveDelivery(spec: DeliverySpec | undefined, base: DeliveryOptions, report: ReportProblem): DeliveryOptions {
  if (!spec) return base;
  const duration = (path: SpecPath, text: string | undefined, fallback: number, min: number, max: number): number => {
    if (text === undefined) return fallback;
    const ms = parseDuration(text);
    if (ms === undefined) {
      report(path, `"${text}" is not a duration; write e.g. 250ms, 5s, 5m or 1h30m`);
      return fallback;
    }
    if (ms < min || ms > max) {
      report(path, `must be between ${formatDuration(min)} and ${formatDuration(max)}, got ${text}`);
      return fallback;
    }
    return ms;
  };
  const retry = {
    maxAttempts: spec.retry?.maxAttempts ?? base.retry.maxAttempts,
    initialDelayMs: duration(['retry', 'initialDelay'], spec.retry?.initialDelay, base.retry.initialDelayMs, 1, HOUR_MS),
    maxDelayMs: duration(['retry', 'maxDelay'], spec.retry?.maxDelay, base.retry.maxDelayMs, 1, HOUR_MS),
  };
  if (retry.maxDelayMs < retry.initialDelayMs) {
    report(
      spec.retry?.maxDelay !== undefined ? ['retry', 'maxDelay'] : ['retry', 'initialDelay'],
      `maxDelay (${formatDuration(retry.maxDelayMs)}) must not be shorter than initialDelay (${formatDuration(retry.initialDelayMs)})`,
    );
  }
  return {
    minSeverity: spec.minSeverity ?? base.minSeverity,
    dedupWindowMs: duration(['dedupWindow'], spec.dedupWindow, base.dedupWindowMs, 0, 24 * HOUR_MS),
    queueCapacity: spec.queue?.capacity ?? base.queueCapacity,
    overflow: spec.queue?.overflow ?? base.overflow,
    batchMaxSize: spec.batch?.maxSize ?? base.batchMaxSize,
    lingerMs: duration(['batch', 'linger'], spec.batch?.linger, base.lingerMs, 0, 60_000),
    timeoutMs: duration(['timeout'], spec.timeout, base.timeoutMs, 1, 5 * 60_000),
    retry,
  };
}

/** Never echoes the URL: webhook URLs often carry their secret in the path or query. */
function httpUrl(text: string, path: SpecPath, report: ReportProblem): URL | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    report(path, 'is not a valid URL (value not shown: it may hold a secret)');
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    report(path, `must be an http:// or https:// URL, not ${url.protocol}`);
    return undefined;
  }
  if (url.username || url.password) {
    report(path, 'must not carry credentials (user:password@); use tokenFile or tokenEnv');
    return undefined;
  }
  return url;
}

async function bearerToken(
  spec: { readonly tokenFile?: string; readonly tokenEnv?: string },
  context: ResolveContext,
): Promise<BearerToken | undefined> {
  const { report, env, baseDir } = context;
  if (spec.tokenFile !== undefined && spec.tokenEnv !== undefined) {
    report(['tokenEnv'], 'set tokenFile or tokenEnv, not both');
    return undefined;
  }
  try {
    if (spec.tokenFile !== undefined) {
      const path = isAbsolute(spec.tokenFile) ? spec.tokenFile : resolvePath(baseDir, spec.tokenFile);
      return await BearerToken.fromFile(path);
    }
    if (spec.tokenEnv !== undefined) {
      if (!ENV_NAME.test(spec.tokenEnv)) throw new Error(`"${spec.tokenEnv}" is not an environment variable name`);
      const value = env[spec.tokenEnv];
      if (value === undefined) throw new Error(`environment variable ${spec.tokenEnv} is not set`);
      return BearerToken.fromValue(value, `environment variable ${spec.tokenEnv}`);
    }
  } catch (error) {
    report([spec.tokenFile !== undefined ? 'tokenFile' : 'tokenEnv'], (error as Error).message);
  }
  return undefined;
}

function syslogConfig(spec: SyslogSpec, name: string, delivery: DeliveryOptions, report: ReportProblem): SyslogSinkConfig | undefined {
  let url: URL | undefined;
  try {
    url = new URL(spec.url);
  } catch {
    // Reported below.
  }
  const protocol = url?.protocol === 'udp:' ? 'udp' : url?.protocol === 'tcp:' ? 'tcp' : undefined;
  const extra = url && (url.username || url.password || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash);
  if (!url || !protocol || !url.hostname || extra) {
    report(['url'], `"${spec.url}" is not udp://host:port or tcp://host:port`);
    return undefined;
  }
  const port = url.port === '' ? DEFAULT_SYSLOG_PORT[protocol] : Number(url.port);
  let ok = true;
  const fail = (path: SpecPath, message: string): void => {
    ok = false;
    report(path, message);
  };

  let facility = SYSLOG_FACILITIES.local0 as number;
  if (typeof spec.facility === 'number') {
    if (spec.facility < 0 || spec.facility > 23) fail(['facility'], `must be 0 to 23, got ${spec.facility}`);
    else facility = spec.facility;
  } else if (spec.facility !== undefined) {
    const code = SYSLOG_FACILITIES[spec.facility.toLowerCase()];
    if (code === undefined) fail(['facility'], `"${spec.facility}" is not a facility; use one of ${Object.keys(SYSLOG_FACILITIES).join(', ')}`);
    else facility = code;
  }
  const printable = (field: 'hostname' | 'appName', max: number): void => {
    const value = spec[field];
    if (value !== undefined && (!PRINTABLE_ASCII.test(value) || value.length > max)) {
      fail([field], `must be 1 to ${max} printable ASCII characters without spaces`);
    }
  };
  printable('hostname', 255);
  printable('appName', 48);
  const sdId = spec.sdId ?? DEFAULT_SD_ID;
  const [sdName, enterprise, ...more] = sdId.split('@');
  if (!PRIVATE_SD_ID.test(sdId) || /[= \]"]/.test(sdId) || !sdName || !enterprise || !/^\d+(\.\d+)*$/.test(enterprise) || more.length > 0) {
    fail(['sdId'], `"${sdId}" is not an RFC 5424 SD-ID of the form name@enterprise-number`);
  }
  const maxLimit = protocol === 'udp' ? UDP_MAX_PAYLOAD : 1_048_576;
  const maxMessageBytes = spec.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES[protocol];
  if (maxMessageBytes < 480 || maxMessageBytes > maxLimit) {
    fail(['maxMessageBytes'], `must be between 480 and ${maxLimit} for ${protocol}, got ${maxMessageBytes}`);
  }
  if (!ok) return undefined;
  return {
    type: 'syslog',
    name,
    delivery,
    protocol,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    facility,
    hostname: spec.hostname,
    appName: spec.appName ?? 'telltale',
    sdId,
    maxMessageBytes,
  };
}

/**
 * Checks what a sink spec means (URLs, durations, files, names) and builds its config.
 * Problems go to `context.report`; the result is undefined when there was any.
 */
export async function resolveSinkSpec(
  spec: SinkSpec,
  name: string,
  defaults: DeliveryOptions,
  context: ResolveContext,
): Promise<SinkConfig | undefined> {
  let ok = true;
  const report: ReportProblem = (path, message) => {
    ok = false;
    context.report(path, message);
  };
  const delivery = resolveDelivery(spec, defaults, report);
  const checked = { ...context, report };

  switch (spec.type) {
    case 'alertmanager': {
      const urls = spec.urls.map((text, i) => httpUrl(text, ['urls', i], report));
      const token = await bearerToken(spec, checked);
      const resolveAfter = spec.resolveAfter === undefined ? DEFAULT_RESOLVE_AFTER_MS : parseDuration(spec.resolveAfter);
      if (resolveAfter === undefined) {
        report(['resolveAfter'], `"${spec.resolveAfter}" is not a duration; write e.g. 15m or 1h`);
      } else if (delivery.dedupWindowMs > 0 && resolveAfter <= delivery.dedupWindowMs) {
        report(
          [spec.resolveAfter === undefined ? 'dedupWindow' : 'resolveAfter'],
          `resolveAfter (${formatDuration(resolveAfter)}) must be longer than dedupWindow (${formatDuration(delivery.dedupWindowMs)}), ` +
            'or an alert for a finding that keeps happening would resolve and fire again',
        );
      }
      const runbookUrlTemplate = spec.runbookUrl ?? DEFAULT_RUNBOOK_URL_TEMPLATE;
      httpUrl(runbookUrlTemplate.replace(/\{(runbook|rule|category|alertname)\}/g, 'x'), ['runbookUrl'], report);
      const generatorUrl = spec.generatorUrl === undefined ? undefined : httpUrl(spec.generatorUrl, ['generatorUrl'], report);
      for (const label of Object.keys(spec.externalLabels ?? {})) {
        if (!LABEL_NAME.test(label) || label.startsWith('__')) {
          report(['externalLabels', label], `"${label}" is not a valid Alertmanager label name`);
        }
      }
      if (!ok || resolveAfter === undefined) return undefined;
      return {
        type: 'alertmanager',
        name,
        delivery,
        urls: urls.filter((url): url is URL => url !== undefined),
        token,
        alerts: {
          resolveAfterMs: resolveAfter,
          runbookUrlTemplate,
          externalLabels: spec.externalLabels ?? {},
          generatorUrl: generatorUrl?.href,
        },
      };
    }
    case 'webhook': {
      const url = httpUrl(spec.url, ['url'], report);
      const token = await bearerToken(spec, checked);
      if (!ok || !url) return undefined;
      return { type: 'webhook', name, delivery, url, token };
    }
    case 'syslog': {
      const config = syslogConfig(spec, name, delivery, report);
      return ok ? config : undefined;
    }
  }
}
