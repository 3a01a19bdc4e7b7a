import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FilesystemProfileStore } from './filesystem-profile-store.js';
import type { ProfileStore, StoreProblem } from './profile-store.js';
import { StoredProfileReader } from './stored-profile-reader.js';
import { fixtureProfiles } from './test-fixtures/profile-fixtures.js';

const fixtures = fixtureProfiles();
let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'telltale-reader-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** Counts loads on a real store. */
function counting(store: ProfileStore): { store: ProfileStore; loads: string[] } {
  const loads: string[] = [];
  return {
    loads,
    store: {
      location: store.location,
      list: () => store.list(),
      load: (id) => (loads.push(id), store.load(id)),
      loadAll: () => store.loadAll(),
      save: (id, document, expected) => store.save(id, document, expected),
      update: (id, change) => store.update(id, change),
      delete: (id, expected) => store.delete(id, expected),
      revisions: () => store.revisions(),
    },
  };
}

describe('StoredProfileReader', () => {
  it('reloads only profiles whose revision changed, and drops deleted ones', async () => {
    const writer = new FilesystemProfileStore({ stateDir });
    for (const { id, document } of fixtures.slice(0, 3)) await writer.save(id, document, null);
    const { store, loads } = counting(new FilesystemProfileStore({ stateDir }));
    const reader = new StoredProfileReader(store);
    expect((await reader.summaries()).map((s) => s.id).sort()).toEqual(fixtures.slice(0, 3).map((f) => f.id).sort());
    expect(loads).toHaveLength(3);
    await reader.summaries();
    await reader.detail(fixtures[0]!.id);
    expect(loads).toHaveLength(3);
    await writer.save(fixtures[1]!.id, { ...fixtures[1]!.document, state: 'locked', lockedAt: '2026-11-29T00:00:00.000Z' }, 1);
    await writer.delete(fixtures[2]!.id);
    const summaries = await reader.summaries();
    expect(loads.slice(3)).toEqual([fixtures[1]!.id]);
    expect(new Map(summaries.map((s) => [s.id, s.state]))).toEqual(
      new Map([
        [fixtures[0]!.id, 'ready'],
        [fixtures[1]!.id, 'locked'],
      ]),
    );
    expect(await reader.detail(fixtures[2]!.id)).toBeNull();
  });

  it('serves the readable profiles when one is broken, and reports the broken one', async () => {
    const problems: StoreProblem[] = [];
    const store = new FilesystemProfileStore({ stateDir, onError: (p) => problems.push(p) });
    for (const { id, document } of fixtures.slice(0, 2)) await store.save(id, document, null);
    const broken = join(stateDir, 'profiles', `${fixtures[0]!.id}.yaml`);
    await writeFile(broken, (await readFile(broken, 'utf8')).replace(/"epochs": (\d+)/, '"epochs": -$1'));
    const reader = new StoredProfileReader(store);
    expect((await reader.summaries()).map((s) => s.id)).toEqual([fixtures[1]!.id]);
    expect(problems.map((p) => [p.operation, p.id])).toEqual([['load', fixtures[0]!.id]]);
    expect(problems[0]?.problems[0]?.field).toBe('spec.epochs');
  });
});
