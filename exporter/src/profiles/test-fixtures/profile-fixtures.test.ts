import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../observations/category.js';
import { FilesystemProfileStore } from '../filesystem-profile-store.js';
import { parseProfileYaml } from '../profile-store-format.js';
import { fixtureProfile, fixtureProfiles } from './profile-fixtures.js';

const run = promisify(execFile);
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telltale-fixtures-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fixture profiles', () => {
  it('cover every state, several workload types, every category and entries learned after ready', () => {
    const all = fixtureProfiles();
    expect(new Set(all.map((f) => f.document.state))).toEqual(new Set(['learning', 'ready', 'locked']));
    expect(new Set(all.map((f) => f.document.workload.workloadType))).toEqual(new Set(['deployment', 'cronjob', 'statefulset', 'cgroup', 'container']));
    for (const category of CATEGORIES) expect(all.some((f) => f.document.entries[category].length > 0), category).toBe(true);
    expect(all.some((f) => f.document.entries.exec.some((e) => e.addedAfterReady))).toBe(true);
    expect(all.find((f) => f.document.state === 'learning')?.document.readyAt).toBeNull();
    expect(fixtureProfile({ workload: all[0]!.document.workload, state: 'ready', seed: 7 })).toEqual(fixtureProfile({ workload: all[0]!.document.workload, state: 'ready', seed: 7 }));
  });

  it('are written by write-fixture-profiles.ts into a store and as importable files', async () => {
    const script = fileURLToPath(new URL('./write-fixture-profiles.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script, '--state-dir', join(dir, 'state'), '--files', join(dir, 'files')], { cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
    const written = JSON.parse(stdout) as { id: string; state: string; file: string }[];
    expect(written.map((w) => w.id)).toEqual(fixtureProfiles().map((f) => f.id));
    const { profiles, problems } = await new FilesystemProfileStore({ stateDir: join(dir, 'state') }).loadAll();
    expect(problems).toEqual([]);
    expect(profiles).toHaveLength(written.length);
    for (const w of written) expect(parseProfileYaml(await readFile(w.file, 'utf8'), w.file).problems).toEqual([]);
  });
});
