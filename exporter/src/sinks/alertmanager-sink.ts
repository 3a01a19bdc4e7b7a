import type { Finding } from '../findings/finding.js';
import { alertmanagerAlert, type AlertOptions } from './alertmanager-alert.js';
import type { BearerToken } from './bearer-token.js';
import { DeliveryError, asDeliveryError } from './delivery-error.js';
import { safeEndpoint } from './endpoint.js';
import { postJson } from './http-post.js';
import { SILENT_LOGGER, type SinkLogger } from './sink-logger.js';
import type { SinkTransport } from './sink-transport.js';

/** `POST <base>/api/v2/alerts`, keeping any path prefix the base has (`--web.route-prefix`). */
export function alertsEndpoint(base: URL): URL {
  const withSlash = base.pathname.endsWith('/') ? base : new URL(`${base.pathname}/`, base);
  return new URL('api/v2/alerts', withSlash);
}

export interface AlertmanagerTarget extends AlertOptions {
  /** Every Alertmanager of an HA cluster: each gets every alert, as Prometheus does it. */
  readonly urls: readonly URL[];
  readonly token?: BearerToken | undefined;
}

/**
 * Alertmanager v2. Members of an Alertmanager cluster share silences and what they notified,
 * not alerts, so every member must receive every alert. A batch counts as sent when at least
 * one member accepted it (that member will notify, and the cluster dedups notifications); the
 * members that refused it are logged, once per outage, but not retried, so one dead member
 * cannot hold the queue up for the live ones.
 */
export class AlertmanagerTransport implements SinkTransport {
  readonly endpoint: string;
  private readonly alertUrls: readonly URL[];
  private readonly failingMembers = new Set<string>();

  constructor(
    private readonly target: AlertmanagerTarget,
    private readonly logger: SinkLogger = SILENT_LOGGER,
    private readonly sinkName = 'alertmanager',
  ) {
    if (target.urls.length === 0) throw new Error('an Alertmanager sink needs at least one URL');
    this.alertUrls = target.urls.map(alertsEndpoint);
    this.endpoint = target.urls.map(safeEndpoint).join(',');
  }

  async send(findings: readonly Finding[], signal: AbortSignal): Promise<void> {
    const sentAt = new Date();
    const alerts = findings.map((finding) => alertmanagerAlert(finding, sentAt, this.target));
    const results = await Promise.allSettled(
      this.alertUrls.map((url) => postJson(url, alerts, { signal, token: this.target.token })),
    );
    const failures = results.flatMap((result, i) =>
      result.status === 'rejected' ? [{ member: safeEndpoint(this.alertUrls[i] as URL), error: asDeliveryError(result.reason) }] : [],
    );
    if (failures.length === results.length) {
      throw new DeliveryError(
        failures.map((f) => f.error.message).join('; '),
        failures.some((f) => f.error.retryable),
        Math.max(...failures.map((f) => f.error.retryAfterMs ?? 0)) || undefined,
      );
    }
    this.notePartial(results.map((result, i) => ({ member: safeEndpoint(this.alertUrls[i] as URL), ok: result.status === 'fulfilled' })), failures);
  }

  async close(): Promise<void> {
    // fetch pools its connections globally; nothing is held per sink.
  }

  private notePartial(
    outcomes: ReadonlyArray<{ member: string; ok: boolean }>,
    failures: ReadonlyArray<{ member: string; error: DeliveryError }>,
  ): void {
    for (const { member, error } of failures) {
      if (this.failingMembers.has(member)) continue;
      this.failingMembers.add(member);
      this.logger.warn(
        { sink: this.sinkName, endpoint: member, error: error.message },
        'Alertmanager member refused alerts that others accepted; it will miss them',
      );
    }
    for (const { member, ok } of outcomes) {
      if (ok && this.failingMembers.delete(member)) {
        this.logger.info({ sink: this.sinkName, endpoint: member }, 'Alertmanager member accepts alerts again');
      }
    }
  }
}
