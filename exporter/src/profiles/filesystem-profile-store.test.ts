import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryLock, LockTimeoutError } from './filesystem-profile-store-lock.js';
import { FilesystemProfileStore } from './filesystem-profile-store.js';
import { InvalidProfileIdError } from './profile-id.js';
import { profileEnvelope, renderProfileYaml } from './profile-store-format.js';
import {
  CorruptProfileError,
  InvalidProfileDocumentError,
  PROFILE_STORE_OPERATIONS,
  RevisionConflictError,
  type StoreProblem,
} from './profile-store.js';
import { fixtureProfiles } from './test-fixtures/profile-fixtures.js';

const fixtures = fixtureProfiles();
const [web, batch, database] = fixtures as [(typeof fixtures)[number], (typeof fixtures)[number], (typeof fixtures)[number]];

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'telltale-store-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid as number;
}

describe('FilesystemProfileStore', () => {
  it('round-trips profiles as one YAML file each, mode 0600, with revisions counting writes', async () => {
    const store = new FilesystemProfileStore({ stateDir });
    expect(await store.revisions()).toEqual(new Map());
    expect(await store.save(web.id, web.document, null)).toBe(1);
    expect(await store.save(batch.id, batch.document, null)).toBe(1);
    expect(await store.save(web.id, { ...web.document, epochs: web.document.epochs + 1 }, 1)).toBe(2);

    const file = join(stateDir, 'profiles', `${web.id}.yaml`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    // JSON (which is YAML) in the envelope's field order.
    expect(text.startsWith(`{\n  "apiVersion": "telltale.dev/v1alpha1",\n  "kind": "WorkloadProfile",\n  "metadata": {\n    "name": "${web.id}",\n    "revision": 2\n  },\n  "spec": {\n`)).toBe(true);

    const fresh = new FilesystemProfileStore({ stateDir });
    const loaded = await fresh.load(web.id);
    expect(loaded).toEqual({ id: web.id, revision: 2, document: { ...web.document, epochs: web.document.epochs + 1 } });
    expect(await fresh.load('shop-deployment-nothing-here-00000000')).toBeNull();
    expect(await fresh.revisions()).toEqual(new Map([[batch.id, 1], [web.id, 2]]));
    const { profiles, problems } = await fresh.list();
    expect(problems).toEqual([]);
    expect(profiles.map((p) => [p.id, p.revision, p.state])).toEqual([
      [batch.id, 1, 'learning'],
      [web.id, 2, 'ready'],
    ]);
    expect(profiles[1]?.entryCounts).toEqual(web.document.entryCounts);
    expect(await readdir(join(stateDir, 'profiles'))).toEqual([`${batch.id}.yaml`, `${web.id}.yaml`]);
  });

  it('refuses a save based on a stale revision, and a create over an existing profile', async () => {
    const store = new FilesystemProfileStore({ stateDir });
    await store.save(web.id, web.document, null);
    await expect(store.save(web.id, web.document, null)).rejects.toThrow(RevisionConflictError);
    await expect(store.save(web.id, web.document, 7)).rejects.toThrow(/expected revision 7, found revision 1/);
    await expect(store.save(batch.id, batch.document, 1)).rejects.toThrow(/expected revision 1, found none/);
    expect((await store.load(web.id))?.revision).toBe(1);
  });

  it('lets exactly one of two writers with the same basis win; the other must reload', async () => {
    const daemon = new FilesystemProfileStore({ stateDir });
    const operator = new FilesystemProfileStore({ stateDir });
    await daemon.save(web.id, web.document, null);
    const locked = { ...web.document, state: 'locked' as const, lockedAt: '2026-11-28T12:00:00.000Z' };
    const learned = { ...web.document, epochs: web.document.epochs + 5 };
    const results = await Promise.allSettled([operator.save(web.id, locked, 1), daemon.save(web.id, learned, 1)]);
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual([2]);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(RevisionConflictError);
    // Many writers in one process: every successful save is based on the latest revision.
    const writers = Array.from({ length: 6 }, () => new FilesystemProfileStore({ stateDir }));
    let successes = 0;
    await Promise.all(
      writers.map(async (writer) => {
        for (let i = 0; i < 5; i++) {
          for (;;) {
            const current = await writer.load(web.id);
            try {
              await writer.save(web.id, { ...web.document, epochs: (current?.document.epochs ?? 0) + 1 }, current?.revision ?? null);
              successes += 1;
              break;
            } catch (error) {
              if (!(error instanceof RevisionConflictError)) throw error;
            }
          }
        }
      }),
    );
    const final = await daemon.load(web.id);
    expect(successes).toBe(30);
    expect(final?.revision).toBe(32);
    expect(final?.document.epochs).toBe((results[0].status === 'fulfilled' ? locked.epochs : learned.epochs) + 30);
  });

  it('treats a hand edit that kept the revision as a conflict instead of overwriting it', async () => {
    const store = new FilesystemProfileStore({ stateDir });
    await store.save(web.id, web.document, null);
    const file = join(stateDir, 'profiles', `${web.id}.yaml`);
    const edited = (await readFile(file, 'utf8')).replace('"state": "ready"', '"state": "locked"').replace('"lockedAt": null', '"lockedAt": "2026-11-28T12:00:00.000Z"');
    await writeFile(file, edited);
    const conflict = await store.save(web.id, web.document, 1).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(RevisionConflictError);
    expect((conflict as RevisionConflictError).editedInPlace).toBe(true);
    expect(String(conflict)).toMatch(/edited in place since it was read/);
    const reloaded = await store.load(web.id);
    expect(reloaded?.document.state).toBe('locked');
    expect(await store.save(web.id, reloaded!.document, reloaded!.revision)).toBe(2);
  });

  it('keeps the old file intact when a write fails between the temp file and the rename', async () => {
    const problems: StoreProblem[] = [];
    const store = new FilesystemProfileStore({ stateDir, onError: (p) => problems.push(p) });
    await store.save(web.id, web.document, null);
    const file = join(stateDir, 'profiles', `${web.id}.yaml`);
    const before = await readFile(file, 'utf8');
    const failing = new FilesystemProfileStore({
      stateDir,
      onError: (p) => problems.push(p),
      afterTempWrite: () => {
        throw new Error('simulated crash before rename');
      },
    });
    await expect(failing.save(web.id, { ...web.document, epochs: 999 }, 1)).rejects.toThrow(/simulated crash/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(join(stateDir, 'profiles'))).toEqual([`${web.id}.yaml`]);
    expect(problems.map((p) => p.operation)).toEqual(['save']);
    expect((await store.load(web.id))?.document).toEqual(web.document);
  });

  it('survives a writer killed after its temp file is durable: the old file stays valid and the leftover is cleaned', async () => {
    const store = new FilesystemProfileStore({ stateDir });
    await store.save(web.id, web.document, null);
    const file = join(stateDir, 'profiles', `${web.id}.yaml`);
    const before = await readFile(file, 'utf8');
    const storeModule = fileURLToPath(new URL('./filesystem-profile-store.ts', import.meta.url));
    const script = `
      const { FilesystemProfileStore } = await import(${JSON.stringify(storeModule)});
      const input = JSON.parse(process.argv[1]);
      const store = new FilesystemProfileStore({ stateDir: input.stateDir, afterTempWrite: () => process.kill(process.pid, 'SIGKILL') });
      await store.save(input.id, { ...input.document, epochs: 999 }, 1);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, JSON.stringify({ stateDir, id: web.id, document: web.document })], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    expect(signal, stderr).toBe('SIGKILL');
    const leftovers = (await readdir(join(stateDir, 'profiles'))).filter((n) => n.endsWith('.tmp'));
    expect(leftovers).toHaveLength(1);
    expect(await readFile(file, 'utf8')).toBe(before);
    // The dead writer's lock is stale: the next writer breaks it instead of waiting.
    expect(existsSync(join(stateDir, 'profiles', '.lock'))).toBe(true);
    const next = new FilesystemProfileStore({ stateDir, quarantineCorrupt: true, lock: { timeoutMs: 5000 } });
    const { profiles, problems } = await next.loadAll();
    expect(problems).toEqual([]);
    expect(profiles.map((p) => p.document)).toEqual([web.document]);
    expect((await readdir(join(stateDir, 'profiles'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(await next.save(web.id, web.document, 1)).toBe(2);
  });

  it('quarantines unreadable files with their line and field, and loads the rest', async () => {
    const problems: StoreProblem[] = [];
    const store = new FilesystemProfileStore({ stateDir, quarantineCorrupt: true, onError: (p) => problems.push(p), now: () => Date.parse('2026-11-28T12:00:00.000Z') });
    await store.save(web.id, web.document, null);
    await store.save(batch.id, batch.document, null);
    await store.save(database.id, database.document, null);
    const dir = join(stateDir, 'profiles');
    const original = {
      syntax: (await readFile(join(dir, `${web.id}.yaml`), 'utf8')).replace('"state": "ready",', '"state": ["ready",'),
      schema: (await readFile(join(dir, `${batch.id}.yaml`), 'utf8')).replace(/("nr": )\d+/, '$1-4'),
      renamed: renderProfileYaml(profileEnvelope(web.id, 1, web.document)),
      kind: (await readFile(join(dir, `${database.id}.yaml`), 'utf8')).replace('"kind": "WorkloadProfile"', '"kind": "Deployment"'),
    };
    await writeFile(join(dir, `${web.id}.yaml`), original.syntax);
    await writeFile(join(dir, `${batch.id}.yaml`), original.schema);
    await writeFile(join(dir, 'shop-deployment-other-nginx-00000000.yaml'), original.renamed);
    await writeFile(join(dir, `${database.id}.yaml`), original.kind);
    await writeFile(join(dir, 'Not A Profile.yaml'), 'hello: world\n');
    const good = fixtures[3]!;
    await store.save(good.id, good.document, null);

    const result = await store.loadAll();
    expect(result.profiles.map((p) => p.id)).toEqual([good.id]);
    const byId = new Map(result.problems.map((p) => [p.id ?? p.source, p]));
    const syntaxLine = original.syntax.split('\n').findIndex((l) => l.includes('"state": ["ready"')) + 1;
    expect(byId.get(web.id)?.problems[0]).toMatchObject({ line: expect.any(Number), message: expect.stringMatching(/not valid YAML/) });
    expect(byId.get(web.id)?.problems[0]?.line).toBeGreaterThanOrEqual(syntaxLine);
    const schemaLines = original.schema.split('\n');
    const schemaLine = schemaLines.findIndex((l) => l.includes('"nr": -4')) + 1;
    const schemaColumn = (schemaLines[schemaLine - 1] ?? '').indexOf('-4') + 1;
    expect(byId.get(batch.id)?.problems).toEqual([
      { source: join(dir, `${batch.id}.yaml`), line: schemaLine, column: schemaColumn, field: 'spec.entries.syscall[0].nr', message: 'must be >= 0, got -4' },
    ]);
    expect(byId.get('shop-deployment-other-nginx-00000000')?.problems.map((p) => [p.field, p.line, p.message])).toEqual([
      ['metadata.name', 4, `is "${web.id}", but the file is named for "shop-deployment-other-nginx-00000000"`],
    ]);
    expect(byId.get(database.id)?.problems.map((p) => [p.field, p.line, p.column])).toEqual([['kind', 3, 11]]);
    expect(byId.get(database.id)?.problems[0]?.message).toBe('must be WorkloadProfile, got "Deployment"');
    expect(byId.get(join(dir, 'Not A Profile.yaml'))?.message).toMatch(/not named <profile id>\.yaml/);

    // Nothing is deleted: each file sits in quarantine, byte for byte, with its reasons beside it.
    const quarantine = (await readdir(join(dir, 'quarantine'))).sort();
    expect(quarantine).toEqual(
      [
        `${web.id}.20261128T120000000Z`,
        `${batch.id}.20261128T120000000Z`,
        `${database.id}.20261128T120000000Z`,
        'shop-deployment-other-nginx-00000000.20261128T120000000Z',
        'Not_A_Profile.20261128T120000000Z',
      ]
        .flatMap((stem) => [`${stem}.reason.txt`, `${stem}.yaml`])
        .sort(),
    );
    expect(await readFile(join(dir, 'quarantine', `${batch.id}.20261128T120000000Z.yaml`), 'utf8')).toBe(original.schema);
    const reason = await readFile(join(dir, 'quarantine', `${batch.id}.20261128T120000000Z.reason.txt`), 'utf8');
    expect(reason).toContain(`${join(dir, `${batch.id}.yaml`)}:${schemaLine}:${schemaColumn}: spec.entries.syscall[0].nr: must be >= 0, got -4`);
    expect(result.problems.every((p) => p.quarantinedTo !== undefined)).toBe(true);
    expect(problems.map((p) => p.operation)).toEqual(['load', 'load', 'load', 'load', 'load']);
    expect((await readdir(dir)).filter((n) => n.endsWith('.yaml'))).toEqual([`${good.id}.yaml`]);

    // A second file quarantined at the same instant does not replace the first.
    await writeFile(join(dir, `${batch.id}.yaml`), original.schema.replace('-4', '-5'));
    expect(await store.load(batch.id)).toBeNull();
    expect((await readdir(join(dir, 'quarantine'))).filter((n) => n.startsWith(batch.id) && n.endsWith('.yaml'))).toHaveLength(2);
  });

  it('reports but does not move unreadable files when quarantine is off (CLI, read-only API)', async () => {
    const problems: StoreProblem[] = [];
    const store = new FilesystemProfileStore({ stateDir, onError: (p) => problems.push(p) });
    await store.save(web.id, web.document, null);
    const file = join(stateDir, 'profiles', `${web.id}.yaml`);
    const broken = (await readFile(file, 'utf8')).replace('"state": "ready"', '"state": "done"');
    await writeFile(file, broken);
    const line = broken.split('\n').findIndex((l) => l.includes('"state": "done"')) + 1;
    const error = await store.load(web.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptProfileError);
    expect(String(error)).toContain(`${file}:${line}:14: spec.state: must be one of learning, ready, locked, got "done"`);
    const listing = await store.list();
    expect(listing.profiles).toEqual([]);
    expect(listing.problems).toHaveLength(1);
    expect(existsSync(file)).toBe(true);
    expect(existsSync(join(stateDir, 'profiles', 'quarantine'))).toBe(false);
    expect(problems.every((p) => p.operation === 'load')).toBe(true);
    // Saving over it keeps the broken copy in quarantine rather than destroying it.
    await expect(store.save(web.id, web.document, 1)).rejects.toThrow(/expected revision 1, found none/);
    expect(await readdir(join(stateDir, 'profiles', 'quarantine'))).toHaveLength(2);
    expect(await store.save(web.id, web.document, null)).toBe(1);
  });

  it('refuses hostile ids before touching the filesystem', async () => {
    const store = new FilesystemProfileStore({ stateDir });
    for (const id of ['../escape', '/etc/passwd', '..', 'a\u0000b', 'x'.repeat(300), 'UPPER', '']) {
      await expect(store.load(id)).rejects.toThrow(InvalidProfileIdError);
      await expect(store.save(id, web.document, null)).rejects.toThrow(InvalidProfileIdError);
      await expect(store.delete(id)).rejects.toThrow(InvalidProfileIdError);
    }
    expect(existsSync(join(stateDir, 'profiles'))).toBe(false);
  });

  it('refuses to write a document it could not read back, or under another identity', async () => {
    const store = new FilesystemProfileStore({ stateDir });
    await expect(store.save(web.id, { ...web.document, state: 'finished' as 'ready' }, null)).rejects.toThrow(InvalidProfileDocumentError);
    await expect(store.save(batch.id, web.document, null)).rejects.toThrow(/metadata.name: is "shop-cronjob-reports-report-[0-9a-f]{8}", but the id of spec.workload is "shop-deployment-frontend-nginx-[0-9a-f]{8}"/);
    expect(await store.revisions()).toEqual(new Map());
  });

  it('updates under the lock: sees the latest profile, writes nothing when told, refuses unreadable ones', async () => {
    const problems: StoreProblem[] = [];
    const store = new FilesystemProfileStore({ stateDir, onError: (p) => problems.push(p) });
    expect(await store.update(web.id, (current) => (current ? null : web.document))).toEqual({ previous: null, saved: 1 });
    // A writer saving as fast as it can does not starve an update, it conflicts instead.
    const hot = new FilesystemProfileStore({ stateDir });
    let stop = false;
    let hotConflicts = 0;
    const writing = (async () => {
      while (!stop) {
        const current = await hot.load(web.id);
        await hot.save(web.id, { ...web.document, epochs: (current?.document.epochs ?? 0) + 1 }, current?.revision ?? null).catch((error: unknown) => {
          if (!(error instanceof RevisionConflictError)) throw error;
          hotConflicts += 1;
        });
      }
    })();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await store.update(web.id, (current) => ({ ...current!.document, state: i % 2 === 0 ? 'locked' : 'ready' })));
    stop = true;
    await writing;
    expect(results.map((r) => r.saved! - r.previous!.revision)).toEqual([1, 1, 1, 1, 1]);
    expect(hotConflicts).toBeGreaterThanOrEqual(0);
    const unchanged = await store.update(web.id, () => null);
    expect(unchanged.saved).toBeNull();
    const file = join(stateDir, 'profiles', `${web.id}.yaml`);
    await writeFile(file, 'spec: [\n');
    await expect(store.update(web.id, () => web.document)).rejects.toThrow(CorruptProfileError);
    expect(await readFile(file, 'utf8')).toBe('spec: [\n');
    expect(problems.map((p) => p.operation)).toEqual(['load']);
  });

  it('deletes with an optional revision precondition', async () => {
    const store = new FilesystemProfileStore({ stateDir });
    await store.save(web.id, web.document, null);
    await expect(store.delete(web.id, 5)).rejects.toThrow(RevisionConflictError);
    expect(await store.delete(web.id, 1)).toBe(true);
    expect(await store.delete(web.id)).toBe(false);
    expect(await store.load(web.id)).toBeNull();
  });

  it('names the failed operation for the error counter', async () => {
    expect(PROFILE_STORE_OPERATIONS).toEqual(['load', 'save', 'quarantine', 'delete']);
    const problems: StoreProblem[] = [];
    const store = new FilesystemProfileStore({ stateDir, quarantineCorrupt: true, onError: (p) => problems.push(p) });
    await store.save(web.id, web.document, null);
    const dir = join(stateDir, 'profiles');
    // quarantine: the quarantine directory cannot be created (a file is in the way).
    await writeFile(join(dir, 'quarantine'), 'not a directory');
    await writeFile(join(dir, `${batch.id}.yaml`), 'spec: [\n');
    await store.loadAll();
    expect(problems.map((p) => p.operation)).toEqual(['quarantine', 'load']);
    expect(problems[1]?.quarantinedTo).toBeUndefined();
    expect(existsSync(join(dir, `${batch.id}.yaml`))).toBe(true);
    // delete: the path is a directory, so it cannot be read or removed.
    problems.length = 0;
    await mkdir(join(dir, `${database.id}.yaml`));
    await expect(store.delete(database.id)).rejects.toThrow();
    expect(problems.map((p) => p.operation)).toEqual(['delete']);
    // Conflicts are not failures.
    problems.length = 0;
    await expect(store.save(web.id, web.document, null)).rejects.toThrow(RevisionConflictError);
    expect(problems).toEqual([]);
  });

  it('answers revisions() from file headers and notices writes by other processes', async () => {
    const store = new FilesystemProfileStore({ stateDir });
    const other = new FilesystemProfileStore({ stateDir });
    await store.save(web.id, web.document, null);
    expect(await store.revisions()).toEqual(new Map([[web.id, 1]]));
    await other.save(web.id, web.document, 1);
    await other.save(batch.id, batch.document, null);
    expect(await store.revisions()).toEqual(new Map([[batch.id, 1], [web.id, 2]]));
    // Only the header is read: a body broken below it is found by load(), not by polling.
    const file = join(stateDir, 'profiles', `${batch.id}.yaml`);
    await writeFile(file, `${await readFile(file, 'utf8')}\nbroken: [\n`);
    expect((await store.revisions()).get(batch.id)).toBe(1);
    await expect(store.load(batch.id)).rejects.toThrow(CorruptProfileError);
    // A file without the usual header is read in full.
    await writeFile(file, renderProfileYaml(profileEnvelope(batch.id, 9, batch.document)).replace(/^apiVersion.*\nkind.*\nmetadata:\n  name: (.*)\n  revision: 9\n/, 'metadata: { revision: 9, name: $1 }\napiVersion: telltale.dev/v1alpha1\nkind: WorkloadProfile\n'));
    expect((await store.revisions()).get(batch.id)).toBe(9);
    await rm(file);
    expect(await store.revisions()).toEqual(new Map([[web.id, 2]]));
  });
});

describe('DirectoryLock', () => {
  it('makes a second holder wait for the first, and breaks the lock of a dead process', async () => {
    await mkdir(join(stateDir, 'profiles'), { recursive: true });
    const lockFile = join(stateDir, 'profiles', '.lock');
    const a = new DirectoryLock(lockFile, { timeoutMs: 10_000, staleAfterMs: 60_000 });
    const b = new DirectoryLock(lockFile, { timeoutMs: 10_000, staleAfterMs: 60_000 });
    const order: string[] = [];
    let releaseA!: () => void;
    const aHolds = new Promise<void>((resolve) => (releaseA = resolve));
    const first = a.withLock(async () => {
      order.push('a in');
      await aHolds;
      order.push('a out');
    });
    while (!existsSync(lockFile)) await new Promise((r) => setImmediate(r));
    const second = b.withLock(async () => {
      order.push('b in');
    });
    await new Promise((r) => setTimeout(r, 30));
    releaseA();
    await Promise.all([first, second]);
    expect(order).toEqual(['a in', 'a out', 'b in']);
    expect(existsSync(lockFile)).toBe(false);

    await writeFile(lockFile, JSON.stringify({ pid: deadPid(), host: (await import('node:os')).hostname(), nonce: 'dead', acquiredAt: new Date().toISOString() }));
    expect(await b.withLock(async () => 'acquired')).toBe('acquired');
    expect(existsSync(lockFile)).toBe(false);
    expect((await readdir(join(stateDir, 'profiles'))).filter((n) => n.startsWith('.lock'))).toEqual([]);
  });

  it('gives up with a message naming the lock file and its holder', async () => {
    await mkdir(join(stateDir, 'profiles'), { recursive: true });
    const lockFile = join(stateDir, 'profiles', '.lock');
    await writeFile(lockFile, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), nonce: 'live', acquiredAt: '2026-11-28T12:00:00.000Z' }));
    const lock = new DirectoryLock(lockFile, { timeoutMs: 50, staleAfterMs: 60_000 });
    const error = await lock.withLock(async () => 'never').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect(String(error)).toContain(`${lockFile} (held by pid ${process.pid} on`);
    // Another host's lock is stale only after staleAfterMs.
    await writeFile(lockFile, JSON.stringify({ pid: 1, host: 'elsewhere', nonce: 'old', acquiredAt: '2000-01-01T00:00:00.000Z' }));
    expect(await lock.withLock(async () => 'taken over')).toBe('taken over');
  });
});
