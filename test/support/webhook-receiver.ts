import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { asArray, asLabels, asNumber, asRecord, asString, oneOf, type Labels } from './json-guards.js';
import { closerFor, listenOnLoopback } from './loopback-http.js';

export type { Labels } from './json-guards.js';

/** One alert inside an Alertmanager webhook notification (payload version 4). */
export interface WebhookAlert {
  readonly status: 'firing' | 'resolved';
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly generatorURL: string;
  readonly fingerprint: string;
}

/** An Alertmanager webhook notification (payload version 4). */
export interface WebhookPayload {
  readonly version: string;
  readonly groupKey: string;
  readonly truncatedAlerts: number;
  readonly status: 'firing' | 'resolved';
  readonly receiver: string;
  readonly groupLabels: Labels;
  readonly commonLabels: Labels;
  readonly commonAnnotations: Labels;
  readonly externalURL: string;
  readonly alerts: readonly WebhookAlert[];
}

export interface ReceivedWebhook {
  /** The request path, so one receiver can stand in for several Alertmanager receivers. */
  readonly path: string;
  readonly receivedAt: Date;
  readonly payload: WebhookPayload;
}

export interface WebhookReceiver {
  /** Base URL, e.g. http://127.0.0.1:41234; append a path per Alertmanager receiver. */
  readonly url: string;
  /** Everything received so far, oldest first. */
  readonly received: readonly ReceivedWebhook[];
  /** Requests that were not a valid webhook payload, with the reason. */
  readonly rejected: readonly string[];
  /** Resolves with the first notification (already received or still to come) matching `accept`. */
  waitFor(accept: (webhook: ReceivedWebhook) => boolean, description: string, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

interface Waiter {
  readonly accept: (webhook: ReceivedWebhook) => boolean;
  readonly resolve: (webhook: ReceivedWebhook) => void;
}

/** Starts an HTTP server on a free loopback port that records Alertmanager webhook notifications. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const rejected: string[] = [];
  const waiters = new Set<Waiter>();

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? '/';
    if (request.method !== 'POST') {
      response.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let webhook: ReceivedWebhook;
    try {
      webhook = { path, receivedAt: new Date(), payload: parseWebhookPayload(JSON.parse(Buffer.concat(chunks).toString('utf8'))) };
    } catch (error: unknown) {
      const reason = `${path}: ${error instanceof Error ? error.message : String(error)}`;
      rejected.push(reason);
      response.writeHead(400, { 'content-type': 'text/plain' }).end(reason);
      return;
    }
    received.push(webhook);
    response.writeHead(200).end();
    for (const waiter of waiters) {
      if (waiter.accept(webhook)) {
        waiters.delete(waiter);
        waiter.resolve(webhook);
      }
    }
  }

  const port = await listenOnLoopback(server);

  return {
    url: `http://127.0.0.1:${port}`,
    received,
    rejected,
    waitFor(accept, description, timeoutMs = 60_000) {
      const already = received.find(accept);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = {
          accept,
          resolve: (webhook) => {
            clearTimeout(timer);
            resolve(webhook);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = received.map((webhook) => `${webhook.path} ${webhook.payload.status} ${JSON.stringify(webhook.payload.groupLabels)}`);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for webhook: ${description}; received: ${seen.join('; ') || 'nothing'}${rejected.length > 0 ? `; rejected: ${rejected.join('; ')}` : ''}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: closerFor(server),
  };
}

export function parseWebhookPayload(value: unknown): WebhookPayload {
  const body = asRecord(value, 'payload');
  return {
    version: asString(body.version, 'payload.version'),
    groupKey: asString(body.groupKey, 'payload.groupKey'),
    truncatedAlerts: asNumber(body.truncatedAlerts, 'payload.truncatedAlerts'),
    status: oneOf(body.status, ['firing', 'resolved'], 'payload.status'),
    receiver: asString(body.receiver, 'payload.receiver'),
    groupLabels: asLabels(body.groupLabels, 'payload.groupLabels'),
    commonLabels: asLabels(body.commonLabels, 'payload.commonLabels'),
    commonAnnotations: asLabels(body.commonAnnotations, 'payload.commonAnnotations'),
    externalURL: asString(body.externalURL, 'payload.externalURL'),
    alerts: asArray(body.alerts, 'payload.alerts').map((item, index) => {
      const where = `payload.alerts[${index}]`;
      const alert = asRecord(item, where);
      return {
        status: oneOf(alert.status, ['firing', 'resolved'], `${where}.status`),
        labels: asLabels(alert.labels, `${where}.labels`),
        annotations: asLabels(alert.annotations, `${where}.annotations`),
        startsAt: asString(alert.startsAt, `${where}.startsAt`),
        endsAt: asString(alert.endsAt, `${where}.endsAt`),
        generatorURL: asString(alert.generatorURL, `${where}.generatorURL`),
        fingerprint: asString(alert.fingerprint, `${where}.fingerprint`),
      };
    }),
  };
}
