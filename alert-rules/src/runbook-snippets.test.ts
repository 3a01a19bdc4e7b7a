import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEVIATION_ALERT, NOVEL_ITEM_ALERTS } from './groups/workload-alerts.js';
import { ALERT_RULES_DIR, RUNBOOKS_DIR } from './paths.js';

/*
 * The "accept the behaviour into the profile" steps of the runbooks, done exactly as written:
 * the runbook's own `telltale profiles` commands, run with the real CLI (exporter/dist, as
 * `npm test` builds it) against a store holding real profiles, and the runbook's YAML entry
 * pasted into the exported file where the runbook says. An entry the schema rejects, a command
 * that fails or a paste that does not end up in the profile fails here.
 */

const REPO = join(ALERT_RULES_DIR, '..');
const CLI = join(REPO, 'exporter', 'dist', 'cli.js');
const TSX = join(REPO, 'node_modules', '.bin', 'tsx');
const WRITE_FIXTURES = join(REPO, 'exporter', 'src', 'profiles', 'test-fixtures', 'write-fixture-profiles.ts');
const SECTION = '## Accept the behaviour into the profile';
const ACCEPTING = [...NOVEL_ITEM_ALERTS.map((spec) => spec.alert), DEVIATION_ALERT];

interface Run {
  readonly code: number;
  readonly output: string;
}

function run(command: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

interface Snippet {
  /** The list under spec.entries the runbook says to add it to. */
  readonly category: string;
  readonly text: string;
}

interface AcceptSteps {
  /** `telltale profiles …` lines of the section's shell blocks, comments stripped, in order. */
  readonly commands: readonly string[];
  readonly snippets: readonly Snippet[];
}

/** The shell commands and YAML entries of a runbook's accept section, with the list each entry goes to. */
function acceptSteps(markdown: string, alert: string): AcceptSteps {
  const start = markdown.indexOf(`\n${SECTION}\n`);
  if (start < 0) throw new Error(`${alert}: no "${SECTION}" section`);
  const next = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, next < 0 ? undefined : next);
  const commands: string[] = [];
  const snippets: Snippet[] = [];
  for (const block of section.matchAll(/(?<before>(?:[^\n]+\n)*)\n```(?<lang>\w+)\n(?<body>[\s\S]*?)```/g)) {
    const { before = '', lang = '', body = '' } = block.groups ?? {};
    if (lang === 'sh') {
      for (const line of body.split('\n')) {
        const command = line.replace(/\s+#.*$/, '').trim();
        if (command.startsWith('telltale profiles ')) commands.push(command);
      }
    } else if (lang === 'yaml') {
      // The paragraph right before the block names the list, e.g. "under `spec.entries.exec`".
      const targets = [...before.matchAll(/`spec\.entries\.([a-z_]+)`/g)].map((match) => match[1] ?? '');
      if (targets.length !== 1) throw new Error(`${alert}: the paragraph before a YAML entry must name one spec.entries list, names ${targets.length}`);
      snippets.push({ category: targets[0] as string, text: body });
    }
  }
  return { commands, snippets };
}

/**
 * The edit a reader makes: the entry goes right under `    <category>:` in the exported file,
 * indented like the entries there; an empty list, `<category>: []`, loses its `[]`.
 */
function pasteEntry(exported: string, snippet: Snippet): string {
  const lines = exported.split('\n');
  const entries = lines.indexOf('  entries:');
  const at = lines.findIndex((line, index) => index > entries && (line === `    ${snippet.category}:` || line === `    ${snippet.category}: []`));
  if (entries < 0 || at < 0) throw new Error(`no spec.entries.${snippet.category} list in the exported profile`);
  lines[at] = `    ${snippet.category}:`;
  lines.splice(at + 1, 0, ...snippet.text.trimEnd().split('\n').map((line) => `      ${line}`));
  return lines.join('\n');
}

type Entry = Readonly<Record<string, unknown>>;

/** What identifies an entry in its list (the schema's key field of each category). */
function identity(entry: Entry): unknown {
  return entry.path ?? entry.peer ?? entry.name ?? entry.nr ?? entry.calls;
}

/**
 * Whether a stored entry accepts everything the pasted one does: the same key, at least its
 * file modes and argv patterns, at least its support (sighting times merge and may move).
 */
function covers(stored: Entry, pasted: Entry): boolean {
  if (identity(stored) !== identity(pasted) || Number(stored.support) < Number(pasted.support)) return false;
  const modes = (entry: Entry): string[] => (Array.isArray(entry.modes) ? (entry.modes as string[]) : []);
  const patterns = (entry: Entry): string[] => (Array.isArray(entry.argv) ? (entry.argv as Entry[]).map((pattern) => JSON.stringify(pattern.tokens)) : []);
  return modes(pasted).every((mode) => modes(stored).includes(mode)) && patterns(pasted).every((pattern) => patterns(stored).includes(pattern));
}

interface Exported {
  readonly spec: { readonly state: string; readonly entries: Readonly<Record<string, readonly Entry[]>> };
}

let fixtures = '';
let profiles: ReadonlyArray<{ id: string; state: string; workloadType: string }> = [];
const scratch: string[] = [];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build -w exporter (npm test builds it)`);
  fixtures = await mkdtemp(join(tmpdir(), 'telltale-runbook-fixtures-'));
  const written = await run(TSX, [WRITE_FIXTURES, '--state-dir', fixtures]);
  expect(written.code, written.output).toBe(0);
  profiles = JSON.parse(written.output) as typeof profiles;
});

afterAll(async () => {
  await Promise.all([fixtures, ...scratch].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A ready profile (keeps learning after ready) and a locked one, whose capability or dns list is empty. */
function targets(): Array<{ id: string; state: string }> {
  const ready = profiles.find((p) => p.state === 'ready' && p.workloadType === 'deployment');
  const locked = profiles.find((p) => p.state === 'locked');
  if (!ready || !locked) throw new Error('the fixture profiles lost their ready deployment or their locked profile');
  return [ready, locked];
}

describe('runbook steps to accept the behaviour into the profile', () => {
  it.concurrent.for(ACCEPTING)('%s: its commands and entries import into a real profile', async (alert, { expect: check }) => {
    const steps = acceptSteps(await readFile(join(RUNBOOKS_DIR, `${alert}.md`), 'utf8'), alert);
    check(steps.snippets.length, `${alert}: no YAML entry to add`).toBeGreaterThan(0);
    // The runbook's sequence: export, validate, review, import.
    check(steps.commands).toEqual([
      'telltale profiles export <id> -o profile.yaml',
      'telltale profiles import --dry-run profile.yaml',
      'telltale profiles diff <id> profile.yaml',
      'telltale profiles import profile.yaml',
    ]);

    for (const target of targets()) {
      const dir = await mkdtemp(join(tmpdir(), 'telltale-runbook-'));
      scratch.push(dir);
      const stateDir = join(dir, 'state');
      await cp(fixtures, stateDir, { recursive: true });
      const file = join(dir, 'profile.yaml');
      const cli = (command: string): Promise<Run> => {
        const args = command.replace(/^telltale /, '').split(' ').map((arg) => (arg === '<id>' ? target.id : arg === 'profile.yaml' ? file : arg));
        return run(process.execPath, [CLI, ...args, '--state-dir', stateDir]);
      };
      const [exportCommand, dryRun, diff, importCommand] = steps.commands as [string, string, string, string];

      const exported = await cli(exportCommand);
      check(exported.code, exported.output).toBe(0);
      const original = await readFile(file, 'utf8');
      const edited = steps.snippets.reduce(pasteEntry, original);
      await writeFile(file, edited);

      const validated = await cli(dryRun);
      check(validated.code, `${alert} into ${target.id}: ${validated.output}`).toBe(0);
      const reviewed = await cli(diff);
      // diff(1) convention: 1 means the profiles differ, which they must, by the new entries.
      check(reviewed.code, reviewed.output).toBe(1);
      const imported = await cli(importCommand);
      check(imported.code, imported.output).toBe(0);

      const after = await run(process.execPath, [CLI, 'profiles', 'export', target.id, '--state-dir', stateDir]);
      check(after.code, after.output).toBe(0);
      const spec = (parse(after.output) as Exported).spec;
      check(spec.state, 'import keeps the state').toBe(target.state);
      const before = (parse(original) as Exported).spec;
      for (const snippet of steps.snippets) {
        for (const entry of parse(snippet.text) as Entry[]) {
          const where = `${alert}: ${String(identity(entry))} under ${snippet.category} of ${target.id}`;
          const stored = (spec.entries[snippet.category] ?? []).find((candidate) => identity(candidate) === identity(entry));
          const known = (before.entries[snippet.category] ?? []).some((candidate) => identity(candidate) === identity(entry));
          if (!known) check(stored, where).toEqual(entry);
          // An entry the profile had already is merged with the pasted one: what was pasted is covered.
          else check(stored !== undefined && covers(stored, entry), `${where}: ${JSON.stringify(stored)}`).toBe(true);
        }
      }
    }

    // The check has teeth: the same entries without their support are refused, as the runbook says.
    const [first] = targets();
    const dir = await mkdtemp(join(tmpdir(), 'telltale-runbook-'));
    scratch.push(dir);
    await cp(fixtures, join(dir, 'state'), { recursive: true });
    const exported = await run(process.execPath, [CLI, 'profiles', 'export', first?.id ?? '', '--state-dir', join(dir, 'state')]);
    const file = join(dir, 'incomplete.yaml');
    await writeFile(file, steps.snippets.reduce(pasteEntry, exported.output).replace(/^\s+support: \d+\n/gm, ''));
    const refused = await run(process.execPath, [CLI, 'profiles', 'import', '--dry-run', file, '--state-dir', join(dir, 'state')]);
    check(refused.code, refused.output).toBe(4);
    check(refused.output).toContain('missing required field "support"');
  });
});
