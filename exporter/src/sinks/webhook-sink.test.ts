import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { BearerToken } from './bearer-token.js';
import { DEFAULT_DELIVERY_OPTIONS, type DeliveryOptions } from './delivery-options.js';
import { SinkDispatcher } from './dispatcher.js';
import { QueuedSink } from './queued-sink.js';
import { SinkMetrics } from './sink-metrics.js';
import type { SinkLogger } from './sink-logger.js';
import { answer, hang, startHttpReceiver, type HttpReceiver } from './test-fixtures/http-receiver.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';
import { sinkEvents } from './test-fixtures/sink-metric-values.js';
import { waitFor } from './test-fixtures/wait-for.js';
import type { WebhookPayload } from './webhook-payload.js';
import { WebhookTransport } from './webhook-sink.js';

const TOKEN = 'tk-9f8e7d6c5b4a';
const receivers: HttpReceiver[] = [];
const dispatchers: SinkDispatcher[] = [];

async function receiver(...args: Parameters<typeof startHttpReceiver>): Promise<HttpReceiver> {
  const started = await startHttpReceiver(...args);
  receivers.push(started);
  return started;
}

interface Setup {
  readonly dispatcher: SinkDispatcher;
  readonly registry: Registry;
  readonly logs: string[];
}

function webhookDispatcher(
  targets: ReadonlyArray<{ name: string; url: string; token?: BearerToken }>,
  options: Partial<DeliveryOptions> = {},
): Setup {
  const registry = new Registry();
  const logs: string[] = [];
  const record = (fields: Record<string, unknown>, message: string): void => void logs.push(`${message} ${JSON.stringify(fields)}`);
  const logger: SinkLogger = { info: record, warn: record, error: record };
  const sinks = targets.map(
    ({ name, url, token }) =>
      new QueuedSink({
        name,
        transport: new WebhookTransport({ url: new URL(url), token, node: 'node-a' }),
        options: {
          ...DEFAULT_DELIVERY_OPTIONS,
          lingerMs: 100,
          timeoutMs: 200,
          retry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
          ...options,
        },
        metrics: SinkMetrics.on(registry),
        logger,
      }),
  );
  const dispatcher = new SinkDispatcher(sinks, logger);
  dispatchers.push(dispatcher);
  return { dispatcher, registry, logs };
}

afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.close(100)));
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('webhook sink against a real HTTP server', () => {
  it('posts one JSON batch with the bearer token', async () => {
    const server = await receiver((request, _i, response) => {
      const ok = request.headers.authorization === `Bearer ${TOKEN}`;
      response.writeHead(ok ? 204 : 401).end();
    });
    const { dispatcher, registry } = webhookDispatcher([
      { name: 'hook', url: `${server.url}/hooks/telltale`, token: BearerToken.fromValue(TOKEN, 'test') },
    ]);
    for (const item of ['/tmp/a', '/tmp/b', '/tmp/c', '/tmp/d', '/tmp/e']) dispatcher.publish(sampleFinding({ item }));

    await waitFor(async () => (await sinkEvents(registry, 'hook', 'sent')) === 5, '5 findings sent');
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/telltale');
    expect(request?.headers['content-type']).toBe('application/json');
    const payload = request?.body as WebhookPayload;
    expect(payload.version).toBe(1);
    expect(payload.node).toBe('node-a');
    expect(payload.findings.map((f) => f.item)).toEqual(['/tmp/a', '/tmp/b', '/tmp/c', '/tmp/d', '/tmp/e']);
  });

  it('fails at once on a refused token, without the token in the log', async () => {
    // The server echoes the header it got, as some gateways do in their error pages.
    const server = await receiver((request, _i, response) => {
      response.writeHead(401).end(`bad credentials: ${String(request.headers.authorization)}`);
    });
    const { dispatcher, registry, logs } = webhookDispatcher([
      { name: 'hook', url: `${server.url}/secret-path?key=abc`, token: BearerToken.fromValue(TOKEN, 'env TELLTALE_SINK_WEBHOOK_TOKEN') },
    ]);
    dispatcher.publish(sampleFinding());
    await waitFor(async () => (await sinkEvents(registry, 'hook', 'failed')) === 1, 'failed');
    expect(server.requests).toHaveLength(1);
    const logText = logs.join('\n');
    expect(logText).toContain('HTTP 401');
    expect(logText).toContain('[redacted]');
    expect(logText).not.toContain(TOKEN);
    expect(logText).not.toContain('secret-path');
    expect(logText).not.toContain('key=abc');
  });

  it('retries a failing server with backoff, then counts the findings as failed', async () => {
    const server = await receiver(answer(503, 'overloaded'));
    const { dispatcher, registry } = webhookDispatcher([{ name: 'hook', url: server.url }]);
    dispatcher.publish(sampleFinding({ item: '/tmp/1' }));
    dispatcher.publish(sampleFinding({ item: '/tmp/2' }));
    await waitFor(async () => (await sinkEvents(registry, 'hook', 'failed')) === 2, '2 failed');
    expect(server.requests).toHaveLength(3);
    expect(await sinkEvents(registry, 'hook', 'sent')).toBe(0);
  });

  it('recovers when the server does: a 429 with Retry-After, then 200', async () => {
    const server = await receiver((request, index, response) =>
      (index === 0 ? answer(429, '', { 'retry-after': '0' }) : answer(200))(request, index, response),
    );
    const { dispatcher, registry } = webhookDispatcher([{ name: 'hook', url: server.url }]);
    dispatcher.publish(sampleFinding());
    await waitFor(async () => (await sinkEvents(registry, 'hook', 'sent')) === 1, 'sent');
    expect(server.requests).toHaveLength(2);
  });

  it('a hanging server blocks neither publish nor the other sinks, and close() still returns', async () => {
    const stuck = await receiver(hang);
    const healthy = await receiver(answer(200));
    const { dispatcher, registry } = webhookDispatcher(
      [
        { name: 'stuck', url: stuck.url },
        { name: 'healthy', url: healthy.url },
      ],
      { lingerMs: 0, batchMaxSize: 1, retry: { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 } },
    );
    for (let i = 0; i < 20; i++) dispatcher.publish(sampleFinding({ item: `/tmp/${i}` }));
    await waitFor(async () => (await sinkEvents(registry, 'healthy', 'sent')) === 20, 'healthy sink got all 20');
    await waitFor(async () => (await sinkEvents(registry, 'stuck', 'failed')) >= 1, 'stuck sink timed out once');
    expect(stuck.requests.length).toBeGreaterThanOrEqual(2);
    await dispatcher.close(50);
    const stuckTotal =
      (await sinkEvents(registry, 'stuck', 'failed')) +
      (await sinkEvents(registry, 'stuck', 'dropped')) +
      (await sinkEvents(registry, 'stuck', 'sent'));
    expect(stuckTotal).toBe(20);
  });
});
