import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { healthRoutes, type Readiness } from './health-routes.js';
import { metricsRoute } from './metrics-route.js';

export interface ServerOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly readiness: Readiness;
  readonly beforeScrape: () => void;
  /** Further plugins, e.g. the profile API. */
  readonly plugins?: ReadonlyArray<(app: FastifyInstance) => Promise<void>>;
}

export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const loggerInstance: FastifyBaseLogger = options.logger.child({ component: 'http' });
  // Prometheus scrapes every few seconds; a log line per request would drown everything else.
  const logController = new LogController({ disableRequestLogging: true });
  const app: FastifyInstance = Fastify({ loggerInstance, logController });
  await app.register(metricsRoute, { registry: options.registry, beforeScrape: options.beforeScrape });
  await app.register(healthRoutes, { readiness: options.readiness });
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  return app;
}
