import type { Severity } from '../findings/finding.js';
import { SEVERITIES } from '../findings/finding.js';
import { OVERFLOW_POLICIES, type OverflowPolicy } from './bounded-queue.js';

/*
 * Sinks as a user writes them, in the config file or through flags, before any checking
 * beyond shape. Durations are strings (`250ms`, `5m`); everything optional has a default.
 *
 * ```yaml
 * defaults:                      # for every sink in this file; each sink may override
 *   minSeverity: warning         # info | warning | critical
 *   dedupWindow: 5m              # one finding per workload+rule/category+item per window; 0 = off
 *   queue: { capacity: 1000, overflow: drop-newest }   # or drop-oldest
 *   batch: { maxSize: 50, linger: 200ms }
 *   timeout: 5s
 *   retry: { maxAttempts: 5, initialDelay: 250ms, maxDelay: 10s }
 * sinks:
 *   - type: alertmanager
 *     urls: [http://alertmanager-0:9093, http://alertmanager-1:9093]
 *     resolveAfter: 15m          # must exceed dedupWindow
 *     runbookUrl: https://runbooks.example/{runbook}
 *     externalLabels: { cluster: prod-eu }
 *   - type: webhook
 *     name: soc
 *     url: https://soc.example/telltale
 *     tokenFile: /var/run/secrets/telltale/webhook-token   # or tokenEnv: SOC_TOKEN
 *   - type: syslog
 *     url: tcp://siem.example:601                          # or udp://host:514
 *     facility: authpriv
 * ```
 */

export interface DeliverySpec {
  readonly minSeverity?: Severity;
  readonly dedupWindow?: string;
  readonly queue?: { readonly capacity?: number; readonly overflow?: OverflowPolicy };
  readonly batch?: { readonly maxSize?: number; readonly linger?: string };
  readonly timeout?: string;
  readonly retry?: { readonly maxAttempts?: number; readonly initialDelay?: string; readonly maxDelay?: string };
}

interface TokenSpec {
  readonly tokenFile?: string;
  readonly tokenEnv?: string;
}

export interface AlertmanagerSpec extends DeliverySpec, TokenSpec {
  readonly type: 'alertmanager';
  readonly name?: string;
  readonly urls: readonly string[];
  readonly resolveAfter?: string;
  readonly runbookUrl?: string;
  readonly externalLabels?: Readonly<Record<string, string>>;
  readonly generatorUrl?: string;
}

export interface WebhookSpec extends DeliverySpec, TokenSpec {
  readonly type: 'webhook';
  readonly name?: string;
  readonly url: string;
}

export interface SyslogSpec extends DeliverySpec {
  readonly type: 'syslog';
  readonly name?: string;
  readonly url: string;
  readonly facility?: string | number;
  readonly hostname?: string;
  readonly appName?: string;
  readonly sdId?: string;
  readonly maxMessageBytes?: number;
}

export type SinkSpec = AlertmanagerSpec | WebhookSpec | SyslogSpec;

export interface SinksFileSpec {
  readonly defaults?: DeliverySpec;
  readonly sinks?: readonly SinkSpec[];
}

export const SINK_TYPES = ['alertmanager', 'webhook', 'syslog'] as const;

const str = { type: 'string' } as const;
const positiveInteger = { type: 'integer', minimum: 1 } as const;

const deliveryProperties = {
  minSeverity: { type: 'string', enum: [...SEVERITIES] },
  dedupWindow: str,
  queue: {
    type: 'object',
    additionalProperties: false,
    properties: { capacity: { ...positiveInteger, maximum: 1_000_000 }, overflow: { type: 'string', enum: [...OVERFLOW_POLICIES] } },
  },
  batch: {
    type: 'object',
    additionalProperties: false,
    properties: { maxSize: { ...positiveInteger, maximum: 10_000 }, linger: str },
  },
  timeout: str,
  retry: {
    type: 'object',
    additionalProperties: false,
    properties: { maxAttempts: { ...positiveInteger, maximum: 100 }, initialDelay: str, maxDelay: str },
  },
} as const;

const common = { ...deliveryProperties, name: str } as const;
const token = { tokenFile: str, tokenEnv: str } as const;

/** Shape only; meaning (URLs, durations, names, files) is checked by resolveSinkSpec. */
export const SINKS_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    defaults: { type: 'object', additionalProperties: false, properties: deliveryProperties },
    sinks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type'],
        properties: { type: { type: 'string' } },
        discriminator: { propertyName: 'type' },
        oneOf: [
          {
            additionalProperties: false,
            required: ['urls'],
            properties: {
              type: { const: 'alertmanager' },
              ...common,
              ...token,
              urls: { type: 'array', minItems: 1, items: str },
              resolveAfter: str,
              runbookUrl: str,
              externalLabels: { type: 'object', additionalProperties: str },
              generatorUrl: str,
            },
          },
          {
            additionalProperties: false,
            required: ['url'],
            properties: { type: { const: 'webhook' }, ...common, ...token, url: str },
          },
          {
            additionalProperties: false,
            required: ['url'],
            properties: {
              type: { const: 'syslog' },
              ...common,
              url: str,
              facility: { type: ['string', 'integer'] },
              hostname: str,
              appName: str,
              sdId: str,
              maxMessageBytes: positiveInteger,
            },
          },
        ],
      },
    },
  },
} as const;
