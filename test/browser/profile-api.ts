import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closerFor, listenOnLoopback } from '../support/loopback-http.js';
import type { ProfileDocument } from './fixtures/learning-then-anomaly.js';

export interface ProfileApi {
  /** Base URL, e.g. http://127.0.0.1:41234; the app's exporterUrl. */
  readonly url: string;
  stop(): Promise<void>;
}

const FILTERS = ['namespace', 'workload', 'workload_type', 'container', 'state'] as const;
const MAX_LIMIT = 500;

/**
 * Serves the README's Profile API (`GET /api/v1/profiles`, `GET /api/v1/profiles/{id}`) from
 * fixture documents, for the browser test.
 *
 * This is the one place to swap for the real exporter: once `telltale profiles import` and
 * `telltale run --no-sensor` exist, start `node exporter/dist/cli.js run --no-sensor --listen
 * 127.0.0.1:<port> --state-dir <dir>` after importing these documents and return its URL.
 */
export async function startProfileApi(profiles: readonly ProfileDocument[]): Promise<ProfileApi> {
  const server = createServer((req, res) => {
    try {
      handle(profiles, req, res);
    } catch (error: unknown) {
      send(res, 500, { error: 'internal', message: error instanceof Error ? error.message : String(error) });
    }
  });
  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, stop: closerFor(server) };
}

function handle(profiles: readonly ProfileDocument[], req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://fixture');
  if (req.method !== 'GET') {
    send(res, 405, { error: 'method_not_allowed', message: `${req.method ?? ''} is not allowed; the Profile API is read-only` });
    return;
  }
  if (url.pathname === '/api/v1/profiles') {
    list(profiles, url.searchParams, res);
    return;
  }
  const match = /^\/api\/v1\/profiles\/([^/]+)$/.exec(url.pathname);
  if (match) {
    const id = decodeURIComponent(match[1] ?? '');
    const profile = profiles.find((p) => p.id === id);
    if (profile) send(res, 200, profile);
    else send(res, 404, { error: 'not_found', message: `no profile with id ${JSON.stringify(id)}` });
    return;
  }
  send(res, 404, { error: 'not_found', message: `no route ${url.pathname}` });
}

function list(profiles: readonly ProfileDocument[], params: URLSearchParams, res: ServerResponse): void {
  const limit = integerParam(params, 'limit', 50);
  const offset = integerParam(params, 'offset', 0);
  if (typeof limit === 'string' || typeof offset === 'string') {
    send(res, 400, { error: 'bad_request', message: typeof limit === 'string' ? limit : String(offset) });
    return;
  }
  if (limit < 1 || limit > MAX_LIMIT) {
    send(res, 400, { error: 'bad_request', message: `limit must be between 1 and ${MAX_LIMIT}, got ${limit}` });
    return;
  }
  const search = params.get('search')?.toLowerCase() ?? '';
  const matching = profiles.filter((p) => {
    const fields: Record<(typeof FILTERS)[number], string> = {
      namespace: p.namespace,
      workload: p.workload,
      workload_type: p.workloadType,
      container: p.container,
      state: p.state,
    };
    return FILTERS.every((f) => !params.has(f) || fields[f] === params.get(f)) && (search === '' || `${p.namespace}/${p.workload}/${p.container}`.toLowerCase().includes(search));
  });
  const items = matching.slice(offset, offset + limit).map(({ entries: _entries, recentAnomalies: _recent, ...summary }) => summary);
  send(res, 200, { items, total: matching.length, limit, offset });
}

function integerParam(params: URLSearchParams, name: string, fallback: number): number | string {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : `${name} must be a non-negative integer, got ${JSON.stringify(raw)}`;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
