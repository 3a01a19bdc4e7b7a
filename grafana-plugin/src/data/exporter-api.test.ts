// @vitest-environment jsdom
import { setBackendSrv } from '@grafana/runtime';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackendSrv } from '../../../test/browser/harness/backend-srv.js';
import { profileFixture, startProfileApiServer, type ProfileApiServer } from '../../test/profile-api-server.js';
import { EXPORTER_PROXY_BASE } from '../constants.js';
import type { ProfileDetail } from './profile-types.js';
import { ExporterApi, PAGE_SIZE } from './exporter-api.js';

// The real request path: ExporterApi -> fetchJson -> Grafana's backend service (the harness's,
// which is fetch underneath) -> HTTP to a local Profile API served under the plugin-proxy path.
beforeAll(() => {
  setBackendSrv(createBackendSrv());
});

let server: ProfileApiServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function serve(profiles: readonly ProfileDetail[]): Promise<{ api: ExporterApi; server: ProfileApiServer }> {
  server = await startProfileApiServer({ prefix: EXPORTER_PROXY_BASE, profiles });
  return { api: new ExporterApi(`${server.origin}${EXPORTER_PROXY_BASE}`), server };
}

const STANDALONE_REDIS = { namespace: '', workload: 'redis', workload_type: 'container', container: 'redis' };

/** Redis containers in many namespaces: the standalone one's empty namespace is not a filter, so all match. */
function crowdedRedis(count: number): ProfileDetail[] {
  return Array.from({ length: count }, (_, i) =>
    profileFixture({ namespace: `team-${String(i).padStart(3, '0')}`, workload: 'redis', workloadType: 'container', container: 'redis' }, `container-team-${i}-redis`),
  );
}

describe('ExporterApi.listProfiles', () => {
  it('sends paging and the non-empty filters only', async () => {
    const { api, server } = await serve([]);
    await api.listProfiles({ namespace: '', workload: 'redis', workload_type: 'container', container: '', state: '', search: '' }, 100, 25);
    expect(server.requests).toHaveLength(1);
    const url = server.requests[0] as URL;
    expect(url.pathname).toBe(`${EXPORTER_PROXY_BASE}/api/v1/profiles`);
    // An empty filter would be read as "label is empty" by some servers and "any" by others.
    expect([...url.searchParams.entries()].sort()).toEqual([
      ['limit', '25'],
      ['offset', '100'],
      ['workload', 'redis'],
      ['workload_type', 'container'],
    ]);
  });
});

describe('ExporterApi.findProfile', () => {
  it('pages on until the exact workload turns up', async () => {
    const others = crowdedRedis(PAGE_SIZE * 2 + 10);
    const target = profileFixture({ namespace: '', workload: 'redis', workloadType: 'container', container: 'redis' }, 'container-redis-redis');
    const { api, server } = await serve([...others, target]);
    const found = await api.findProfile(STANDALONE_REDIS);
    expect(found?.id).toBe('container-redis-redis');
    expect(server.requests.map((u) => u.searchParams.get('offset'))).toEqual(['0', '50', '100']);
    for (const url of server.requests) {
      expect(url.searchParams.get('limit')).toBe(String(PAGE_SIZE));
      expect(url.searchParams.has('namespace')).toBe(false);
      expect(url.searchParams.get('container')).toBe('redis');
    }
  });

  it('stops on the first page that has it', async () => {
    const target = profileFixture({ namespace: '', workload: 'redis', workloadType: 'container', container: 'redis' }, 'container-redis-redis');
    const { api, server } = await serve([target, ...crowdedRedis(PAGE_SIZE * 3)]);
    expect((await api.findProfile(STANDALONE_REDIS))?.id).toBe('container-redis-redis');
    expect(server.requests).toHaveLength(1);
  });

  it('gives undefined after the last page when no profile matches all four labels', async () => {
    const { api, server } = await serve(crowdedRedis(PAGE_SIZE + 1));
    expect(await api.findProfile(STANDALONE_REDIS)).toBeUndefined();
    expect(server.requests.map((u) => u.searchParams.get('offset'))).toEqual(['0', '50']);
  });

  it('asks once when the list is empty', async () => {
    const { api, server } = await serve([]);
    expect(await api.findProfile(STANDALONE_REDIS)).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });
});

describe('ExporterApi.getProfile', () => {
  it('reads one profile by its encoded id', async () => {
    const target = profileFixture({ namespace: 'shop', workload: 'front end', workloadType: 'deployment', container: 'web' }, 'deployment-shop-front end');
    const { api, server } = await serve([target]);
    const detail = await api.getProfile('deployment-shop-front end');
    expect(detail.entries.exec.map((e) => e.value)).toEqual(['/usr/local/bin/redis-server', '/usr/bin/redis-cli']);
    expect(server.requests[0]?.pathname).toBe(`${EXPORTER_PROXY_BASE}/api/v1/profiles/deployment-shop-front%20end`);
  });

  it("fails with the URL and the server's message", async () => {
    const { api } = await serve([]);
    await expect(api.getProfile('nope')).rejects.toThrow(`GET ${server?.origin ?? ''}${EXPORTER_PROXY_BASE}/api/v1/profiles/nope failed: 404 Not Found: no profile nope`);
  });
});
