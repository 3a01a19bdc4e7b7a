import type { FastifyInstance } from 'fastify';

export interface Readiness {
  /** null when ready; otherwise why not, for the probe's response body. */
  notReadyReason(): string | null;
}

/** /healthz: the process serves requests. /readyz: the sensor is attached (or deliberately off). */
export async function healthRoutes(app: FastifyInstance, options: { readiness: Readiness }): Promise<void> {
  const statusSchema = {
    response: {
      200: { type: 'object', properties: { status: { type: 'string' } }, required: ['status'] },
      503: { type: 'object', properties: { status: { type: 'string' }, reason: { type: 'string' } }, required: ['status', 'reason'] },
    },
  };
  app.get('/healthz', { schema: statusSchema }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: statusSchema }, async (_request, reply) => {
    const reason = options.readiness.notReadyReason();
    if (reason !== null) return reply.code(503).send({ status: 'not ready', reason });
    return { status: 'ready' };
  });
}
