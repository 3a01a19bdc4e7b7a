/**
 * Direct sinks: behavioural-rule hits and anomalies sent straight from the exporter to
 * Alertmanager (API v2), an HTTP webhook (JSON batches) and syslog (RFC 5424 over UDP or
 * TCP), next to the Prometheus path.
 *
 * Wiring, for `telltale run`:
 * ```ts
 * const config = await loadSinksConfig(parsedFlagValues); // throws SinksConfigError: print .message, exit 2
 * const sinks = createSinkDispatcher(config, { registry, logger: app.log, nodeName });
 * detector.onFinding((finding) => sinks.publish(finding)); // never blocks, never throws
 * // on shutdown:
 * await sinks.close(5_000);
 * ```
 *
 * Each sink filters by minimum severity, holds back a finding already sent within its dedup
 * window (per workload, rule or category, and item), queues in a bounded queue, sends batches
 * when full or after a short linger, and retries with capped, jittered exponential backoff.
 * `telltale_sink_events_total{sink,outcome}` counts sent, failed, dropped and rate_limited;
 * `telltale_sink_queue_length{sink}` shows the queues.
 */
export { ALERTNAME, DEFAULT_RESOLVE_AFTER_MS, DEFAULT_RUNBOOK_URL_TEMPLATE } from './alertmanager-alert.js';
export { createSinkDispatcher, type SinkDispatcherOptions } from './create-sink-dispatcher.js';
export { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from './delivery-options.js';
export { DEFAULT_CLOSE_DEADLINE_MS, SinkDispatcher } from './dispatcher.js';
export { loadSinksConfig, type LoadSinksConfigOptions } from './load-sinks-config.js';
export {
  SINK_FLAGS,
  SINK_WEBHOOK_TOKEN_ENV,
  sinkParseArgsOptions,
  type SinkFlag,
  type SinkFlagName,
  type SinkFlagValues,
} from './sink-flags.js';
export type { SinkLogger } from './sink-logger.js';
export { SINK_OUTCOMES, type SinkOutcome } from './sink-metrics.js';
export {
  SinksConfigError,
  formatConfigProblem,
  type AlertmanagerSinkConfig,
  type ConfigProblem,
  type SinkConfig,
  type SinksConfig,
  type SyslogSinkConfig,
  type WebhookSinkConfig,
} from './sinks-config.js';
export { WEBHOOK_PAYLOAD_VERSION, type WebhookFinding, type WebhookPayload } from './webhook-payload.js';
