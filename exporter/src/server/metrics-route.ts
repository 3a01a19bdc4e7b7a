import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** /metrics in the Prometheus text format; `beforeScrape` refreshes values that are pulled, not pushed. */
export async function metricsRoute(app: FastifyInstance, options: { registry: Registry; beforeScrape: () => void }): Promise<void> {
  app.get('/metrics', async (_request, reply) => {
    options.beforeScrape();
    const body = await options.registry.metrics();
    return reply.header('content-type', options.registry.contentType).send(body);
  });
}
