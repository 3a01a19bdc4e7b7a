import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProfileDetail, ProfileSummary } from '../src/data/profile-types.js';

/** The filters the exporter's `GET /api/v1/profiles` matches exactly (README, "Profile API"). */
const EXACT_FILTERS: ReadonlyArray<readonly [string, (p: ProfileSummary) => string]> = [
  ['namespace', (p) => p.namespace],
  ['workload', (p) => p.workload],
  ['workload_type', (p) => p.workloadType],
  ['container', (p) => p.container],
  ['state', (p) => p.state],
];

export interface ProfileApiServerOptions {
  /** Path the API is served under, e.g. Grafana's plugin-proxy route; '' for the exporter itself. */
  readonly prefix: string;
  readonly profiles: readonly ProfileDetail[];
  /** Answer every request with this instead, as Grafana's proxy does when the exporter is down. */
  readonly failWith?: { readonly status: number; readonly body: unknown };
}

export interface ProfileApiServer {
  /** Origin, e.g. http://127.0.0.1:41234. */
  readonly origin: string;
  /** Every request's path and query, in order. */
  readonly requests: readonly URL[];
  stop(): Promise<void>;
}

/**
 * A Profile API over HTTP for the app's data layer to talk to: exact filters (an empty one is no
 * filter), limit and offset paging, one profile by id, JSON errors. It lists profiles in the
 * order given rather than the exporter's sort order, because the client must not rely on where
 * in the list its workload lands.
 */
export async function startProfileApiServer(options: ProfileApiServerOptions): Promise<ProfileApiServer> {
  const requests: URL[] = [];
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://profile-api');
    requests.push(url);
    if (options.failWith) {
      send(res, options.failWith.status, options.failWith.body);
      return;
    }
    const base = `${options.prefix}/api/v1/profiles`;
    if (req.method !== 'GET' || !url.pathname.startsWith(base)) {
      send(res, 404, { error: `no route for ${req.method ?? ''} ${url.pathname}` });
      return;
    }
    const rest = url.pathname.slice(base.length);
    if (rest === '') {
      const matching = options.profiles.filter((p) =>
        EXACT_FILTERS.every(([name, field]) => {
          const wanted = url.searchParams.get(name);
          return wanted === null || wanted === '' || field(p) === wanted;
        }),
      );
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      send(res, 200, { items: matching.slice(offset, offset + limit).map(summaryOf), total: matching.length, limit, offset });
      return;
    }
    const id = decodeURIComponent(rest.replace(/^\//, ''));
    const profile = options.profiles.find((p) => p.id === id);
    if (profile) send(res, 200, profile);
    else send(res, 404, { error: `no profile ${id}` });
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

function summaryOf(profile: ProfileDetail): ProfileSummary {
  const { entries: _entries, recentAnomalies: _recent, ...summary } = profile;
  return summary;
}

/** A ready profile of one workload, with an exec entry learned after ready. */
export function profileFixture(identity: { namespace: string; workload: string; workloadType: string; container: string }, id: string): ProfileDetail {
  return {
    id,
    ...identity,
    state: 'ready',
    learningProgress: 1,
    learningStartedAt: '2026-11-28T09:00:00.000Z',
    readyAt: '2026-11-28T09:30:00.000Z',
    updatedAt: '2026-11-28T10:30:00.000Z',
    previousVersion: null,
    entryCounts: { exec: 2 },
    entries: {
      exec: [
        { value: '/usr/local/bin/redis-server', detail: 'redis-server *', firstSeen: '2026-11-28T09:01:00.000Z', lastSeen: '2026-11-28T10:30:00.000Z', count: 9, addedAfterReady: false },
        { value: '/usr/bin/redis-cli', detail: 'redis-cli ping', firstSeen: '2026-11-28T10:00:00.000Z', lastSeen: '2026-11-28T10:00:00.000Z', count: 1, addedAfterReady: true },
      ],
      file: [],
      syscall: [],
      syscall_sequence: [],
      network: [],
      dns: [],
      capability: [],
    },
    recentAnomalies: [],
  };
}
