import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { FilesystemProfileStore } from '../profiles/filesystem-profile-store.js';
import { profileId } from '../profiles/profile-id.js';
import { profileEnvelope, renderProfileYaml, renderProfilesYaml } from '../profiles/profile-store-format.js';
import { RevisionConflictError } from '../profiles/profile-store.js';
import { fixtureProfile, fixtureProfiles } from '../profiles/test-fixtures/profile-fixtures.js';
import { PROFILES_EXIT, type ProfilesCommandIo, runProfilesCommand } from './profiles-command.js';

const fixtures = fixtureProfiles();
const [frontend, reports, postgres] = fixtures as [(typeof fixtures)[number], (typeof fixtures)[number], (typeof fixtures)[number]];
const NOW = Date.parse('2026-12-01T09:00:00.000Z');

let work: string;
let stateDir: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'telltale-profiles-cmd-'));
  stateDir = join(work, 'state');
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: readonly string[], options: { stdin?: string; env?: NodeJS.ProcessEnv; withStateDir?: boolean } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: ProfilesCommandIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    readStdin: async () => options.stdin ?? '',
    env: options.env ?? {},
    cwd: work,
    now: () => NOW,
  };
  const args = options.withStateDir === false ? argv : [...argv, '--state-dir', stateDir];
  const code = await runProfilesCommand(args, io);
  return { code, stdout, stderr };
}

async function seed(...which: (typeof fixtures)[number][]): Promise<FilesystemProfileStore> {
  const store = new FilesystemProfileStore({ stateDir });
  for (const { id, document } of which) await store.save(id, document, null);
  return store;
}

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dir).catch(() => [] as string[])) out[name] = await readFile(join(dir, name), 'utf8').catch(() => '<dir>');
  return out;
}

describe('telltale profiles: usage', () => {
  it('documents every subcommand and the exit codes, and refuses bad usage with exit 2', async () => {
    const help = await run(['--help'], { withStateDir: false });
    expect(help.code).toBe(0);
    for (const sub of ['list', 'show', 'export', 'import', 'diff', 'lock', 'unlock']) expect(help.stdout).toMatch(new RegExp(`\\n  ${sub} +\\S`));
    expect(help.stdout).toContain('3  no such profile or file');
    const importHelp = await run(['import', '--help']);
    expect(importHelp.code).toBe(0);
    expect(importHelp.stdout).toContain('usage: telltale profiles import FILE|- [--as NAMESPACE/TYPE/WORKLOAD[/CONTAINER]] [--lock] [--dry-run]');
    expect(importHelp.stdout).toContain('--state-dir DIR\n      Keep profiles and state here (default /var/lib/telltale; env TELLTALE_STATE_DIR)');
    expect(importHelp.stdout).not.toMatch(/env \)/);
    expect(importHelp.stdout).toContain('4  invalid profile');

    expect((await run([], { withStateDir: false })).code).toBe(PROFILES_EXIT.usage);
    const unknown = await run(['lst']);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "lst"; did you mean list?') });
    const badFlag = await run(['list', '--colour', 'red']);
    expect(badFlag).toMatchObject({ code: 2, stderr: expect.stringMatching(/^telltale profiles list: Unknown option '--colour'/) });
    expect((await run(['show'])).stderr).toContain('expected 1 argument, got 0');
    expect((await run(['list', '-o', 'xml'])).stderr).toContain('--output "xml": expected table, json or yaml');
    expect((await run(['list', '--state', 'done'])).stderr).toContain('--state "done": expected one of learning, ready, locked');
    expect((await run(['import', 'x.yaml', '--as', 'prod/deployment'])).stderr).toContain('--as "prod/deployment": expected NAMESPACE/TYPE/WORKLOAD[/CONTAINER]');
  });

  it('finds the store through TELLTALE_STATE_DIR like telltale run', async () => {
    await seed(frontend);
    const listed = await run(['list', '-o', 'json'], { env: { TELLTALE_STATE_DIR: stateDir }, withStateDir: false });
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((p) => p.id)).toEqual([frontend.id]);
  });
});

describe('telltale profiles list and show', () => {
  it('lists as a table, JSON or YAML, filtered like the API', async () => {
    await seed(...fixtures);
    const table = await run(['list']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +NAMESPACE +TYPE +WORKLOAD +CONTAINER +STATE +PROGRESS +ENTRIES +REVISION$/);
    expect(lines).toHaveLength(fixtures.length + 1);
    expect(lines.find((l) => l.startsWith(reports.id))).toMatch(/shop +cronjob +reports +report +learning +50% +\d+ +1$/);
    const json = JSON.parse((await run(['list', '--namespace', 'shop', '-o', 'json'])).stdout) as { id: string; revision: number; learningProgress: number }[];
    expect(json.map((p) => p.id)).toEqual([frontend.id, reports.id]);
    expect(json[1]).toMatchObject({ revision: 1, learningProgress: 0.5 });
    expect((parse((await run(['list', '--state', 'locked', '-o', 'yaml'])).stdout) as { id: string }[]).map((p) => p.id)).toEqual([postgres.id]);
    expect(JSON.parse((await run(['list', '--type', 'cgroup', '--search', 'NGINX', '-o', 'json'])).stdout)).toHaveLength(1);
    expect(await run(['list', '--namespace', 'nowhere'])).toEqual({ code: 0, stdout: '', stderr: 'no profiles match\n' });
  });

  it('lists the readable profiles and reports an unreadable file with its line (exit 4)', async () => {
    await seed(frontend, reports);
    const file = join(stateDir, 'profiles', `${reports.id}.yaml`);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/"epochs": \d+/, '"epochs": "many"'));
    const line = text.split('\n').findIndex((l) => l.startsWith('    "epochs": ')) + 1;
    const listed = await run(['list', '-o', 'json']);
    expect(listed.code).toBe(PROFILES_EXIT.invalid);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((p) => p.id)).toEqual([frontend.id]);
    expect(listed.stderr).toContain(`${file}:${line}:15: spec.epochs: must be an integer, got "many"`);
    // The CLI only reads: the file stays where it is.
    expect(await readFile(file, 'utf8')).toContain('"epochs": "many"');
  });

  it('shows identity, lifecycle, progress, counts and entries by category', async () => {
    await seed(frontend, reports);
    const shown = await run(['show', frontend.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`profile   ${frontend.id}  (revision 1)`);
    expect(shown.stdout).toContain('workload  shop/deployment/frontend/nginx  (namespace shop, deployment frontend, container nginx)');
    expect(shown.stdout).toContain('state     ready since 2026-11-28T11:00:00.000Z (period), still learning new entries');
    expect(shown.stdout).toMatch(/learning  started 2026-11-28T10:00:00.000Z; learned 1h of 1h \(100%\); 15 epochs/);
    expect(shown.stdout).toContain(`entries   exec ${frontend.document.entryCounts.exec}, file ${frontend.document.entryCounts.file}, `);
    for (const category of ['exec', 'file', 'syscall', 'syscall_sequence', 'network', 'dns', 'capability']) expect(shown.stdout).toMatch(new RegExp(`\\n${category} \\(`));
    expect(shown.stdout).toMatch(/\n {2}\/usr\/sbin\/nginx +support 15 +last seen /);
    expect(shown.stdout).toMatch(/\n {6}nginx -g daemon off; +support 15/);
    expect(shown.stdout).toMatch(/\n\+ \/usr\/bin\/curl +support 3/);
    expect(shown.stdout).toMatch(/\n {2}openat +257 +support \d+/);
    expect(shown.stdout).toMatch(/\n {2}CAP_NET_BIND_SERVICE +10 +support 15/);
    const learning = await run(['show', reports.id, '--category', 'dns']);
    expect(learning.stdout).toContain('state     learning since 2026-11-28T10:00:00.000Z');
    expect(learning.stdout).toContain('(50%)');
    expect(learning.stdout).not.toContain('\nexec (');
    expect(learning.stdout).toMatch(/\ndns \(\d+\)\n {2}postgres\.data\.svc\.cluster\.local/);
  });

  it('answers an unknown id with exit 3 and the ids that look like it', async () => {
    await seed(frontend, reports);
    const typo = await run(['show', frontend.id.replace(/.$/, 'x')]);
    expect(typo.code).toBe(PROFILES_EXIT.notFound);
    expect(typo.stderr).toContain(`did you mean ${frontend.id}?`);
    const words = await run(['show', 'shop/frontend']);
    expect(words).toMatchObject({ code: 3, stderr: expect.stringContaining(`is not a profile id (ids look like shop-deployment-frontend-nginx-1a2b3c4d); did you mean ${frontend.id}?`) });
    expect((await run(['show', 'nothing-like-it-00000000'])).stderr).toContain('telltale profiles list shows them all');
  });
});

describe('telltale profiles export and import', () => {
  it('moves a staging profile to production: export, import --as --lock, same behaviour, new identity', async () => {
    await seed(frontend);
    const exported = await run(['export', frontend.id, '-o', 'frontend.yaml']);
    expect(exported).toMatchObject({ code: 0, stdout: '', stderr: 'wrote 1 profile to frontend.yaml\n' });
    const text = await readFile(join(work, 'frontend.yaml'), 'utf8');
    expect(text).toBe(renderProfileYaml(profileEnvelope(frontend.id, undefined, frontend.document)));
    expect(text).not.toContain('revision:');

    const prodDir = join(work, 'prod');
    const imported = await runProd(['import', 'frontend.yaml', '--as', 'prod/deployment/frontend/nginx', '--lock']);
    const prodId = profileId({ namespace: 'prod', workloadType: 'deployment', workload: 'frontend', container: 'nginx' });
    expect(imported).toEqual({ code: 0, stderr: '', stdout: `imported ${prodId} (prod/deployment/frontend/nginx, locked) as revision 1\n` });
    const stored = await new FilesystemProfileStore({ stateDir: prodDir }).load(prodId);
    expect(stored?.document).toEqual({ ...frontend.document, workload: { namespace: 'prod', workload: 'frontend', workloadType: 'deployment', container: 'nginx' }, state: 'locked', lockedAt: '2026-12-01T09:00:00.000Z' });
    const diff = await runProd(['diff', 'frontend.yaml', prodId, '--ignore-workload']);
    expect(diff.code).toBe(PROFILES_EXIT.different);
    expect(diff.stdout).toBe(`--- frontend.yaml (shop/deployment/frontend/nginx)\n+++ ${prodId} (stored, revision 1)\nstate: ready -> locked\nlockedAt: null -> 2026-12-01T09:00:00.000Z\n`);

    // Importing again replaces the stored copy and keeps the revision history going.
    const again = await runProd(['import', 'frontend.yaml', '--as', 'prod/deployment/frontend/nginx']);
    expect(again.stdout).toBe(`imported ${prodId} (prod/deployment/frontend/nginx, ready) as revision 2, replacing revision 1\n`);

    async function runProd(argv: string[]): Promise<Run> {
      return run([...argv, '--state-dir', prodDir], { withStateDir: false });
    }
  });

  it('exports several profiles as one stream and imports them back, also from stdin', async () => {
    await seed(...fixtures);
    const all = await run(['export', '--all']);
    expect(all.code).toBe(0);
    const docs = parseAllDocuments(all.stdout);
    expect(Array.isArray(docs) && docs.length).toBe(fixtures.length);
    expect(all.stdout).toBe(renderProfilesYaml([...fixtures].sort((a, b) => (a.id < b.id ? -1 : 1)).map((f) => profileEnvelope(f.id, undefined, f.document))));
    const two = await run(['export', frontend.id, postgres.id]);
    expect(two.stdout.split('\n---\n')).toHaveLength(2);

    const other = join(work, 'other');
    const imported = await run(['import', '-', '--state-dir', other], { stdin: all.stdout, withStateDir: false });
    expect(imported.code).toBe(0);
    expect(imported.stdout.trimEnd().split('\n')).toHaveLength(fixtures.length);
    const { profiles } = await new FilesystemProfileStore({ stateDir: other }).loadAll();
    expect(new Map(profiles.map((p) => [p.id, p.document]))).toEqual(new Map(fixtures.map((f) => [f.id, f.document])));
    expect((await run(['export'])).stderr).toContain('give profile ids or --all');
  });

  it('reports every problem of a bad import with its line, writes nothing, and exits 4', async () => {
    await seed(frontend);
    const before = await snapshot(join(stateDir, 'profiles'));
    const good = renderProfileYaml(profileEnvelope(reports.id, undefined, reports.document));
    const bad = renderProfileYaml(profileEnvelope(postgres.id, undefined, postgres.document))
      .replace('  state: locked\n', '  state: frozen\n')
      .replace('  learnAfterReady: false\n', '  learnAfterReady: no\n  owner: me\n');
    const stream = `${good}---\n${bad}`;
    await writeFile(join(work, 'two.yaml'), stream);
    const result = await run(['import', 'two.yaml']);
    const at = (pattern: RegExp) => stream.split('\n').findIndex((l) => pattern.test(l)) + 1;
    expect(result.code).toBe(PROFILES_EXIT.invalid);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        `telltale profiles import: two.yaml:${at(/^ {2}state: frozen$/)}:10: spec.state: must be one of learning, ready, locked, got "frozen"`,
        `two.yaml:${at(/^ {2}learnAfterReady: no$/)}:20: spec.learnAfterReady: must be a boolean, got "no"`,
        `two.yaml:${at(/^ {2}owner: me$/)}:3: spec.owner: unknown field`,
        'two.yaml: 3 problems',
        '',
      ].join('\n'),
    );
    // The good profile in the same file was not imported either.
    expect(await snapshot(join(stateDir, 'profiles'))).toEqual(before);
  });

  it('checks names, duplicates, --as arity, missing files and dry runs', async () => {
    const renamed = renderProfileYaml(profileEnvelope('prod-frontend-00000000', undefined, frontend.document));
    await writeFile(join(work, 'renamed.yaml'), renamed);
    const mismatch = await run(['import', 'renamed.yaml']);
    expect(mismatch.code).toBe(PROFILES_EXIT.invalid);
    expect(mismatch.stderr).toContain(`renamed.yaml:4:9: metadata.name: is "prod-frontend-00000000", but the id of spec.workload is "${frontend.id}"`);
    // --as takes the identity (and the name) from the command line.
    const retargeted = await run(['import', 'renamed.yaml', '--as', '/cgroup/system.slice/frontend.service']);
    const cgroupId = profileId({ namespace: '', workloadType: 'cgroup', workload: 'system.slice/frontend.service', container: '' });
    expect(retargeted.stdout).toBe(`imported ${cgroupId} (/cgroup/system.slice/frontend.service, ready) as revision 1\n`);

    const twice = renderProfilesYaml([profileEnvelope(frontend.id, undefined, frontend.document), profileEnvelope(frontend.id, 3, frontend.document)]);
    await writeFile(join(work, 'twice.yaml'), twice);
    expect(await run(['import', 'twice.yaml'])).toMatchObject({ code: 4, stderr: expect.stringContaining(`holds profile ${frontend.id} twice; nothing imported`) });
    expect(await run(['import', 'twice.yaml', '--as', 'prod/deployment/x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--as re-targets one profile; twice.yaml holds 2') });
    expect(await run(['import', 'missing.yaml'])).toMatchObject({ code: 3, stderr: 'telltale profiles import: missing.yaml: no such file\n' });
    expect(await run(['import', '-'], { stdin: '' })).toMatchObject({ code: 4, stderr: expect.stringContaining('<stdin>: contains no profile (the file is empty)') });

    const before = await snapshot(join(stateDir, 'profiles'));
    const dry = await run(['import', 'renamed.yaml', '--as', 'prod/deployment/frontend/nginx', '--dry-run']);
    expect(dry.stdout).toMatch(/^valid: prod-deployment-frontend-nginx-[0-9a-f]{8} \(prod\/deployment\/frontend\/nginx, ready\)\n$/);
    expect(await snapshot(join(stateDir, 'profiles'))).toEqual(before);
  });

  it('replaces an unreadable stored profile on import, keeping the broken file in quarantine', async () => {
    await seed(frontend);
    const file = join(stateDir, 'profiles', `${frontend.id}.yaml`);
    await writeFile(file, 'apiVersion: [\n');
    await writeFile(join(work, 'frontend.yaml'), renderProfileYaml(profileEnvelope(frontend.id, undefined, frontend.document)));
    const result = await run(['import', 'frontend.yaml']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`warning: replacing unreadable stored profile ${frontend.id}`);
    const quarantined = await readdir(join(stateDir, 'profiles', 'quarantine'));
    expect(quarantined.filter((n) => n.endsWith('.yaml'))).toHaveLength(1);
    expect(await readFile(join(stateDir, 'profiles', 'quarantine', quarantined.find((n) => n.endsWith('.yaml')) as string), 'utf8')).toBe('apiVersion: [\n');
  });
});

describe('telltale profiles diff', () => {
  it('exits 0 for equal profiles and 1 with added, removed and changed entries per category', async () => {
    const a = fixtureProfile({ workload: frontend.document.workload, state: 'ready', seed: 1 });
    const b = structuredClone(a);
    b.entries.dns.push({ name: 'evil.example.com', support: 1, firstSeen: '2026-11-28T12:00:00.000Z', lastSeen: '2026-11-28T12:00:00.000Z', addedAfterReady: true });
    b.entries.capability = b.entries.capability.filter((c) => c.name !== 'CAP_SETUID');
    const log = b.entries.file.find((f) => f.path === '/var/log/nginx/access.log');
    if (log) log.modes = ['read', 'write', 'create'];
    b.readyReason = 'operator';
    const aText = renderProfileYaml(profileEnvelope(frontend.id, undefined, a));
    await writeFile(join(work, 'a.yaml'), aText);
    await writeFile(join(work, 'b.yaml'), renderProfileYaml(profileEnvelope(frontend.id, undefined, b)));
    // Support and sighting times are not behaviour: bumping them changes nothing.
    await writeFile(join(work, 'a-later.yaml'), aText.replace(/support: 15/g, 'support: 16'));
    expect(await run(['diff', 'a.yaml', 'a-later.yaml'])).toEqual({ code: 0, stderr: '', stdout: `--- a.yaml (shop/deployment/frontend/nginx)\n+++ a-later.yaml (shop/deployment/frontend/nginx)\nno differences\n` });

    const different = await run(['diff', 'a.yaml', 'b.yaml']);
    expect(different.code).toBe(PROFILES_EXIT.different);
    expect(different.stdout).toBe(
      [
        '--- a.yaml (shop/deployment/frontend/nginx)',
        '+++ b.yaml (shop/deployment/frontend/nginx)',
        'readyReason: period -> operator',
        'file: ~1',
        '  ~ /var/log/nginx/access.log: create,write -> create,read,write',
        'dns: +1',
        '  + evil.example.com',
        'capability: -1',
        '  - CAP_SETUID',
        '',
      ].join('\n'),
    );
    const json = JSON.parse((await run(['diff', 'a.yaml', 'b.yaml', '-o', 'json'])).stdout) as { equal: boolean; entries: Record<string, { added: string[] }> };
    expect(json.equal).toBe(false);
    expect(json.entries['dns']?.added).toEqual(['evil.example.com']);
  });

  it('compares a file with a stored profile, or stdin, and reports a missing side with exit 3', async () => {
    await seed(frontend);
    const text = renderProfileYaml(profileEnvelope(frontend.id, undefined, frontend.document));
    expect((await run(['diff', '-', frontend.id], { stdin: text })).code).toBe(0);
    expect(await run(['diff', 'nope.yaml', frontend.id])).toMatchObject({ code: 3, stderr: 'telltale profiles diff: nope.yaml: no such file, and not a profile id\n' });
    expect(await run(['diff', frontend.id, 'shop-deployment-gone-00000000'])).toMatchObject({ code: 3 });
    expect(await run(['diff', '-', '-'])).toMatchObject({ code: 2 });
  });
});

describe('telltale profiles lock and unlock', () => {
  it('locks and unlocks: back to ready, or to learning for a profile that never became ready', async () => {
    const store = await seed(frontend, reports);
    expect(await run(['lock', frontend.id, reports.id])).toEqual({ code: 0, stderr: '', stdout: `locked ${frontend.id} (revision 2)\nlocked ${reports.id} (revision 2)\n` });
    expect((await store.load(frontend.id))?.document).toMatchObject({ state: 'locked', lockedAt: '2026-12-01T09:00:00.000Z', readyAt: '2026-11-28T11:00:00.000Z' });
    expect((await run(['lock', frontend.id])).stdout).toBe(`${frontend.id} is already locked (revision 2)\n`);
    expect((await run(['unlock', frontend.id, reports.id])).stdout).toBe(`unlocked ${frontend.id}: ready (revision 3)\nunlocked ${reports.id}: learning (revision 3)\n`);
    expect((await store.load(frontend.id))?.document).toEqual(frontend.document);
    expect((await store.load(reports.id))?.document).toEqual(reports.document);
    expect((await run(['unlock', frontend.id])).stdout).toBe(`${frontend.id} is not locked (revision 3)\n`);
    expect((await run(['lock', 'shop-deployment-gone-00000000'])).code).toBe(PROFILES_EXIT.notFound);
  });
});

describe('telltale profiles as separate processes next to a writing daemon', () => {
  const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
  function spawnCli(args: readonly string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      // From the exporter directory, where `--import tsx` resolves.
      execFile(process.execPath, ['--import', 'tsx', cli, 'profiles', ...args], { cwd: fileURLToPath(new URL('../..', import.meta.url)) }, (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
      });
    });
  }

  it('loses no write: every lock, unlock and learned epoch lands on the latest revision', async () => {
    const daemon = await seed(frontend);
    let daemonWrites = 0;
    let stop = false;
    // The "daemon": learns an epoch, saves on the revision it read, reloads on conflict (an operator edit).
    const learning = (async () => {
      while (!stop) {
        const current = await daemon.load(frontend.id);
        if (!current) throw new Error('profile vanished');
        try {
          await daemon.save(frontend.id, { ...current.document, epochs: current.document.epochs + 1 }, current.revision);
          daemonWrites += 1;
        } catch (error) {
          if (!(error instanceof RevisionConflictError)) throw error;
        }
      }
    })();
    const operations = ['lock', 'unlock', 'lock', 'unlock', 'lock'];
    const results: Run[] = [];
    for (const operation of operations) results.push(await spawnCli([operation, frontend.id, '--state-dir', stateDir]));
    stop = true;
    await learning;
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(results.map((r) => r.stdout.replace(/\(revision \d+\)/, '(revision N)'))).toEqual([
      `locked ${frontend.id} (revision N)\n`,
      `unlocked ${frontend.id}: ready (revision N)\n`,
      `locked ${frontend.id} (revision N)\n`,
      `unlocked ${frontend.id}: ready (revision N)\n`,
      `locked ${frontend.id} (revision N)\n`,
    ]);
    expect(daemonWrites).toBeGreaterThan(0);
    const final = await new FilesystemProfileStore({ stateDir }).load(frontend.id);
    expect(final?.revision).toBe(1 + daemonWrites + operations.length);
    expect(final?.document.state).toBe('locked');
    expect(final?.document.epochs).toBe(frontend.document.epochs + daemonWrites);
    const help = await spawnCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: telltale profiles <command> [flags]');
  }, 120_000);
});
