import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilesystemProfileStore } from '../profiles/filesystem-profile-store.js';
import { StoredProfileReader } from '../profiles/stored-profile-reader.js';
import { fixtureProfile, fixtureProfiles } from '../profiles/test-fixtures/profile-fixtures.js';
import { profileId } from '../profiles/profile-id.js';
import { type ProfileReader, profileApi } from './profile-api.js';
import { profileDetail, profileSummary, type ProfileSummary } from './profile-api-shapes.js';

const fixtures = fixtureProfiles();
let stateDir: string;
let store: FilesystemProfileStore;
let app: FastifyInstance;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'telltale-api-'));
  store = new FilesystemProfileStore({ stateDir });
  for (const { id, document } of fixtures) await store.save(id, document, null);
  app = Fastify();
  await app.register(profileApi(new StoredProfileReader(new FilesystemProfileStore({ stateDir }))));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await rm(stateDir, { recursive: true, force: true });
});

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await app.inject({ method: 'GET', url });
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['access-control-allow-origin']).toBeUndefined();
  return { status: response.statusCode, body: response.json() };
}

const ids = (body: Record<string, unknown>) => (body['items'] as ProfileSummary[]).map((s) => s.id);

describe('GET /api/v1/profiles', () => {
  it('lists summaries in the README shape, sorted by namespace, workload and container', async () => {
    const { status, body } = await get('/api/v1/profiles');
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['items', 'total', 'limit', 'offset']);
    expect(body).toMatchObject({ total: 5, limit: 50, offset: 0 });
    const items = body['items'] as ProfileSummary[];
    expect(items.map((s) => `${s.namespace}/${s.workload}/${s.container}`)).toEqual([
      '/report-runner/',
      '/system.slice/nginx.service/',
      'data/postgres/postgres',
      'shop/frontend/nginx',
      'shop/reports/report',
    ]);
    const frontend = fixtures[0]!;
    expect(items[3]).toEqual(profileSummary(frontend.id, frontend.document));
    expect(Object.keys(items[3]!)).toEqual([
      'id', 'namespace', 'workload', 'workloadType', 'container', 'state', 'learningProgress',
      'learningStartedAt', 'readyAt', 'updatedAt', 'version', 'previousVersion', 'versionChangedAt', 'entryCounts',
    ]);
    expect(items[3]).toMatchObject({ state: 'ready', learningProgress: 1, readyAt: '2026-11-28T11:00:00.000Z', previousVersion: null });
    const timestamps = JSON.stringify(frontend.document).match(/\d{4}-\d\d-\d\dT[\d:.]+Z/g) ?? [];
    expect(items[3]!.updatedAt).toBe(timestamps.sort().at(-1));
    const learning = items[4]!;
    expect(learning).toMatchObject({ state: 'learning', readyAt: null, learningProgress: 0.5 });
    expect(items[2]).toMatchObject({ state: 'locked', previousVersion: 'sha256:0a9b8c7d6e', learningProgress: 1 });
  });

  it('filters by exact labels and state, searches case-insensitively, and treats empty filters as none', async () => {
    expect(ids((await get('/api/v1/profiles?namespace=shop')).body)).toHaveLength(2);
    expect(ids((await get('/api/v1/profiles?workload_type=cgroup')).body)).toEqual([fixtures[3]!.id]);
    expect(ids((await get('/api/v1/profiles?state=locked')).body)).toEqual([fixtures[2]!.id]);
    expect(ids((await get('/api/v1/profiles?namespace=shop&container=nginx&workload=frontend')).body)).toEqual([fixtures[0]!.id]);
    expect(ids((await get('/api/v1/profiles?workload=front')).body)).toEqual([]);
    expect(ids((await get('/api/v1/profiles?search=FRONT')).body)).toEqual([fixtures[0]!.id]);
    expect(ids((await get('/api/v1/profiles?search=shop/rep')).body)).toEqual([fixtures[1]!.id]);
    expect(ids((await get('/api/v1/profiles?search=statefulset')).body)).toEqual([fixtures[2]!.id]);
    expect((await get('/api/v1/profiles?namespace=&workload=&workload_type=&container=&state=&search=&limit=50&offset=0')).body['total']).toBe(5);
  });

  it('pages with limit and offset, counting the total before paging', async () => {
    const all = ids((await get('/api/v1/profiles')).body);
    const page = await get('/api/v1/profiles?limit=2&offset=1');
    expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 1 });
    expect(ids(page.body)).toEqual(all.slice(1, 3));
    expect(ids((await get('/api/v1/profiles?limit=500&offset=4')).body)).toEqual(all.slice(4));
    expect((await get('/api/v1/profiles?offset=10')).body).toMatchObject({ items: [], total: 5 });
  });

  it('refuses bad parameters with 400 and a message naming them', async () => {
    const cases: [string, string][] = [
      ['limit=0', 'query parameter limit must be >= 1'],
      ['limit=501', 'query parameter limit must be <= 500'],
      ['limit=ten', 'query parameter limit must be integer'],
      ['offset=-1', 'query parameter offset must be >= 0'],
      ['state=done', 'query parameter state must be one of learning, ready, locked'],
      ['stat=ready', 'unknown query parameter "stat"'],
      ['namespace=a&namespace=b', 'query parameter namespace must be string'],
      [`search=${'x'.repeat(300)}`, 'query parameter search must NOT have more than 256 characters'],
    ];
    for (const [query, message] of cases) {
      expect(await get(`/api/v1/profiles?${query}`), query).toEqual({ status: 400, body: { error: 'bad_request', message } });
    }
  });
});

describe('GET /api/v1/profiles/{id}', () => {
  it('returns the summary, every category of entries and the recent anomalies', async () => {
    const frontend = fixtures[0]!;
    const { status, body } = await get(`/api/v1/profiles/${frontend.id}`);
    const long = { namespace: 'n', workload: `user.slice/${'very-long-unit-name.'.repeat(12)}scope`, workloadType: 'cgroup', container: '' };
    await store.save(profileId(long), fixtureProfile({ workload: long, state: 'ready' }), null);
    expect(profileId(long).length).toBeGreaterThan(200);
    expect((await get(`/api/v1/profiles/${profileId(long)}`)).body['workload']).toBe(long.workload);
    await store.delete(profileId(long));
    expect(status).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(profileDetail(frontend.id, frontend.document, []))));
    const entries = body['entries'] as Record<string, Record<string, unknown>[]>;
    expect(Object.keys(entries)).toEqual(['exec', 'file', 'syscall', 'syscall_sequence', 'network', 'dns', 'capability']);
    expect(entries['exec']).toContainEqual({
      value: '/usr/sbin/nginx',
      detail: 'nginx -g daemon off;',
      firstSeen: '2026-11-28T10:00:00.000Z',
      lastSeen: expect.any(String),
      count: frontend.document.epochs,
      addedAfterReady: false,
    });
    expect(entries['exec']?.filter((e) => e['value'] === '/usr/bin/curl').every((e) => e['addedAfterReady'] === true)).toBe(true);
    expect(entries['file']).toContainEqual(expect.objectContaining({ value: '/var/log/nginx/access.log', detail: 'write,create' }));
    expect(entries['syscall']).toContainEqual(expect.objectContaining({ value: 'openat', detail: '257' }));
    expect(entries['syscall_sequence']?.[0]?.['value']).toMatch(/^[a-z_0-9]+( [a-z_0-9]+){5}$/);
    expect(entries['network']).toContainEqual(expect.objectContaining({ value: 'listen tcp 0.0.0.0:80', detail: '' }));
    expect(entries['dns']).toContainEqual(expect.objectContaining({ value: 'checkout.shop.svc.cluster.local' }));
    expect(entries['capability']).toContainEqual(expect.objectContaining({ value: 'CAP_NET_BIND_SERVICE', detail: '10' }));
    expect(body['recentAnomalies']).toEqual([]);
  });

  it('answers 404 for an unknown id and 400 for something that is not an id', async () => {
    expect(await get('/api/v1/profiles/shop-deployment-gone-00000000')).toEqual({
      status: 404,
      body: { error: 'not_found', message: 'no profile with id "shop-deployment-gone-00000000"' },
    });
    // Dot segments are resolved before routing: this is /api/etc/passwd, not a profile route.
    expect((await app.inject({ method: 'GET', url: '/api/v1/profiles/../../etc/passwd' })).statusCode).toBe(404);
    for (const bad of ['UPPER', '..%2F..%2Fetc%2Fpasswd', 'a/b', `${'a'.repeat(251)}`, 'a%00b', '']) {
      expect(await get(`/api/v1/profiles/${bad}`), bad).toEqual({ status: 400, body: { error: 'bad_request', message: expect.stringMatching(/^(id must be a profile id|path parameter id must NOT have more than 250 characters$)/) } });
    }
  });

  it('sees profiles written after it started (an import while the API runs)', async () => {
    const workload = { namespace: 'prod', workload: 'frontend', workloadType: 'deployment', container: 'nginx' };
    const document = fixtureProfile({ workload, state: 'locked', seed: 9 });
    await store.save(profileId(workload), document, null);
    expect((await get('/api/v1/profiles?namespace=prod')).body['total']).toBe(1);
    expect((await get(`/api/v1/profiles/${profileId(workload)}`)).status).toBe(200);
    await store.delete(profileId(workload));
    expect((await get('/api/v1/profiles?namespace=prod')).body['total']).toBe(0);
  });

  it('is read-only and answers unknown routes with the JSON error shape', async () => {
    for (const method of ['POST', 'PUT', 'DELETE'] as const) {
      const response = await app.inject({ method, url: `/api/v1/profiles/${fixtures[0]!.id}` });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'not_found', message: `no route ${method} /api/v1/profiles/${fixtures[0]!.id}` });
    }
    expect(await get('/api/v1/nothing')).toEqual({ status: 404, body: { error: 'not_found', message: 'no route GET /api/v1/nothing' } });
  });
});

describe('profileApi with a live reader', () => {
  it('serves the reader’s anomalies, and a failing reader as a 500 in the error shape', async () => {
    const frontend = fixtures[0]!;
    const anomalies = [{ category: 'exec' as const, item: '/usr/bin/nc', timestamp: '2026-11-28T12:00:00.000Z' }];
    let fail = false;
    const reader: ProfileReader = {
      summaries: () => {
        if (fail) throw new Error('engine stopped');
        return [profileSummary(frontend.id, frontend.document)];
      },
      detail: (id) => (id === frontend.id ? profileDetail(id, frontend.document, anomalies) : null),
    };
    const live = Fastify({ logger: false });
    await live.register(profileApi(reader));
    const detail = await live.inject({ method: 'GET', url: `/api/v1/profiles/${frontend.id}` });
    expect(detail.json().recentAnomalies).toEqual(anomalies);
    fail = true;
    const failed = await live.inject({ method: 'GET', url: '/api/v1/profiles' });
    expect(failed.statusCode).toBe(500);
    expect(failed.json()).toEqual({ error: 'internal', message: 'engine stopped' });
    await live.close();
  });
});
