import { createServer } from 'node:http';
import { closerFor, listenOnLoopback } from './loopback-http.js';

export interface MetricsServer {
  /** host:port, for a Prometheus scrape job. */
  readonly address: string;
  /** Replaces the exposition text served from now on. */
  setText(text: string): void;
  close(): Promise<void>;
}

/**
 * Serves fixed Prometheus text exposition on /metrics from a free loopback port: a scrape target
 * whose values a test controls, for rule and dashboard tests that do not need the exporter.
 */
export async function startMetricsServer(initialText: string): Promise<MetricsServer> {
  let text = initialText;
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/metrics') {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text);
    } else {
      response.writeHead(404).end();
    }
  });
  const port = await listenOnLoopback(server);
  return {
    address: `127.0.0.1:${port}`,
    setText(next) {
      text = next;
    },
    close: closerFor(server),
  };
}
