import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    address: `127.0.0.1:${port}`,
    setText(next) {
      text = next;
    },
    // Idempotent, so a test may close it early and still leave it in its cleanup list.
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      return closing;
    },
  };
}
