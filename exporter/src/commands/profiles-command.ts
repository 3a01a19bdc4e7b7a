import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { type CliFlag, ConfigError, type FlagValues, booleanValue, formatFlagHelp, parseFlags, stringValue } from '../config/cli-flag.js';
import { CORE_RUN_FLAGS } from '../config/run-flags.js';
import { CATEGORIES, type Category, isCategory } from '../observations/category.js';
import { LockTimeoutError } from '../profiles/filesystem-profile-store-lock.js';
import { FilesystemProfileStore } from '../profiles/filesystem-profile-store.js';
import { PROFILE_STATES, type ProfileDocument } from '../profiles/profile-document.js';
import { InvalidProfileIdError, isProfileId, profileId } from '../profiles/profile-id.js';
import { type ParsedProfile, formatProfileProblem, parseProfileText, profileEnvelope, renderProfilesYaml } from '../profiles/profile-store-format.js';
import { CorruptProfileError, RevisionConflictError, type StoreProblem, type StoredProfile, formatStoreProblem } from '../profiles/profile-store.js';
import { queryProfiles } from '../server/profile-api.js';
import { profileSummary } from '../server/profile-api-shapes.js';
import { closeMatches, formatWorkloadIdentity, parseWorkloadIdentity } from './profiles-command-args.js';
import { diffIsEmpty, diffProfiles, renderDiff } from './profiles-command-diff.js';
import { type ListedProfile, renderListTable, renderShow } from './profiles-command-show.js';

/**
 * `telltale profiles`: profiles as files, for GitOps. A profile learned in staging is
 * exported, reviewed and committed, then imported (re-targeted with --as) in production,
 * where it is typically locked. Everything reads and writes the WorkloadProfile YAML of
 * exporter/schema/workload-profile.schema.json.
 */
export const PROFILES_EXIT = {
  ok: 0,
  different: 1,
  usage: 2,
  notFound: 3,
  invalid: 4,
  conflict: 5,
  failure: 6,
} as const;

const EXIT_HELP = `exit status:
  0  success (diff: the profiles allow the same behaviour)
  1  diff: the profiles differ
  2  bad usage: unknown subcommand or flag, missing or extra argument
  3  no such profile or file
  4  invalid profile (file or stored); an import then writes nothing
  5  the profile kept changing under us (a concurrent writer); run it again
  6  any other failure (I/O, lock timeout)`;

export interface ProfilesCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  now(): number;
}

class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const STATE_DIR_FLAG: CliFlag = (() => {
  const flag = CORE_RUN_FLAGS.find((f) => f.name === 'state-dir');
  if (!flag) throw new Error('run flags lost --state-dir');
  return flag;
})();

/** Flags without an environment variable (only --state-dir has one, shared with `telltale run`). */
const flag = (name: string, value: string, help: string, extra: Partial<CliFlag> = {}): CliFlag => ({ name, value, help, repeatable: false, ...extra });
const OUTPUT_LIST = flag('output', 'FORMAT', 'table, json or yaml (-o)', { default: 'table' });

interface Subcommand {
  readonly usage: string;
  readonly summary: string;
  readonly description: string;
  readonly flags: readonly CliFlag[];
  readonly positionals: readonly [min: number, max: number];
  run(context: Context): Promise<number>;
}

interface Context {
  readonly values: FlagValues;
  readonly positionals: readonly string[];
  readonly io: ProfilesCommandIo;
  readonly store: FilesystemProfileStore;
}

function helpFor(sub: Subcommand): string {
  const flags = formatFlagHelp([...sub.flags, STATE_DIR_FLAG]);
  return `usage: telltale profiles ${sub.usage}

${sub.description}

flags:
${flags}

${EXIT_HELP}
`;
}

function overview(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((n) => n.length));
  return `usage: telltale profiles <command> [flags]

Profiles as YAML files, for GitOps: list, inspect, export, import, compare, lock.
Files follow exporter/schema/workload-profile.schema.json (apiVersion telltale.dev/v1alpha1,
kind WorkloadProfile). The store is <state-dir>/profiles (--state-dir, env TELLTALE_STATE_DIR,
default /var/lib/telltale, as for telltale run).

commands:
${Object.entries(SUBCOMMANDS)
  .map(([name, sub]) => `  ${name.padEnd(width)}  ${sub.summary}`)
  .join('\n')}

Run telltale profiles <command> --help for its flags.

${EXIT_HELP}
`;
}

function parseIdentityFilter(values: FlagValues) {
  const state = stringValue(values, 'state');
  if (state !== undefined && !(PROFILE_STATES as readonly string[]).includes(state)) {
    throw new ConfigError(`--state ${JSON.stringify(state)}: expected one of ${PROFILE_STATES.join(', ')}`);
  }
  return {
    namespace: stringValue(values, 'namespace'),
    workload: stringValue(values, 'workload'),
    workload_type: stringValue(values, 'type'),
    container: stringValue(values, 'container'),
    state,
    search: stringValue(values, 'search'),
  };
}

function reportLoadProblems(io: ProfilesCommandIo, problems: readonly StoreProblem[]): void {
  for (const problem of problems) io.stderr(`warning: ${formatStoreProblem(problem)}\n`);
}

/** A stored profile, or exit 3 with the ids that look like what was typed. */
async function loadExisting(store: FilesystemProfileStore, id: string): Promise<StoredProfile> {
  const found = isProfileId(id) ? await store.load(id) : null;
  if (found) return found;
  const { profiles } = await store.list();
  const suggestions = closeMatches(id, profiles.map((p) => p.id));
  const why = isProfileId(id) ? `no profile ${JSON.stringify(id)} in ${store.location}` : `${JSON.stringify(id)} is not a profile id (ids look like shop-deployment-frontend-nginx-1a2b3c4d)`;
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.join(', ')}?` : profiles.length === 0 ? ' (the store is empty)' : '; telltale profiles list shows them all';
  throw new CommandFailure(`${why}${hint}`, PROFILES_EXIT.notFound);
}

async function readInput(io: ProfilesCommandIo, path: string): Promise<{ text: string; source: string }> {
  if (path === '-') return { text: await io.readStdin(), source: '<stdin>' };
  const full = resolve(io.cwd, path);
  try {
    return { text: await readFile(full, 'utf8'), source: path };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CommandFailure(`${path}: no such file`, PROFILES_EXIT.notFound);
    if (code === 'EISDIR') throw new CommandFailure(`${path}: is a directory; give a YAML file`, PROFILES_EXIT.usage);
    throw error;
  }
}

function parseOrFail(text: string, source: string, checkName: boolean): ParsedProfile[] {
  const { profiles, problems } = parseProfileText(text, source, { checkName });
  if (problems.length > 0) {
    throw new CommandFailure(`${problems.map(formatProfileProblem).join('\n')}\n${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, PROFILES_EXIT.invalid);
  }
  return profiles;
}

/** Read-modify-write under the store's lock, so a busy daemon cannot starve it; exit 3 when there is no such profile. */
async function updateStored(store: FilesystemProfileStore, id: string, change: (document: ProfileDocument) => ProfileDocument | null): Promise<{ revision: number; changed: boolean }> {
  if (!isProfileId(id)) await loadExisting(store, id);
  const { previous, saved } = await store.update(id, (current) => (current ? change(current.document) : null));
  if (!previous) await loadExisting(store, id);
  return { revision: saved ?? (previous as StoredProfile).revision, changed: saved !== null };
}

async function writeOutputFile(io: ProfilesCommandIo, path: string, text: string): Promise<void> {
  const full = resolve(io.cwd, path);
  const temp = join(dirname(full), `.${basename(full)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, full);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

function asListed(profile: StoredProfile): ListedProfile {
  return { ...profileSummary(profile.id, profile.document), revision: profile.revision };
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  list: {
    usage: 'list [--namespace N] [--workload W] [--type T] [--container C] [--state S] [--search TEXT] [-o table|json|yaml]',
    summary: 'list stored profiles',
    description: 'Lists stored profiles, sorted by namespace, workload and container. Filters are exact;\n--search is a case-insensitive substring of namespace/workload/container, type or id.\nUnreadable files are reported on stderr (exit 4) and the rest are listed.',
    flags: [
      flag('namespace', 'N', 'only this namespace'),
      flag('workload', 'W', 'only this workload'),
      flag('type', 'T', 'only this workload type (cgroup, container, deployment, ...)'),
      flag('container', 'C', 'only this container'),
      flag('state', 'S', 'only learning, ready or locked'),
      flag('search', 'TEXT', 'case-insensitive substring of the identity'),
      OUTPUT_LIST,
    ],
    positionals: [0, 0],
    async run({ values, io, store }) {
      const format = stringValue(values, 'output') ?? 'table';
      if (!['table', 'json', 'yaml'].includes(format)) throw new ConfigError(`--output ${JSON.stringify(format)}: expected table, json or yaml`);
      const { profiles, problems } = await store.loadAll();
      const revisions = new Map(profiles.map((p) => [p.id, p.revision]));
      const page = queryProfiles(profiles.map(asListed), { ...parseIdentityFilter(values), limit: Number.MAX_SAFE_INTEGER, offset: 0 });
      const listed = page.items.map((s) => ({ ...s, revision: revisions.get(s.id) ?? 0 }));
      if (format === 'json') io.stdout(`${JSON.stringify(listed, null, 2)}\n`);
      else if (format === 'yaml') io.stdout(stringify(listed));
      else if (listed.length === 0) io.stderr(`no profiles${profiles.length > 0 ? ' match' : ` in ${store.location}`}\n`);
      else io.stdout(renderListTable(listed));
      reportLoadProblems(io, problems);
      return problems.length > 0 ? PROFILES_EXIT.invalid : PROFILES_EXIT.ok;
    },
  },
  show: {
    usage: 'show ID [--category C]',
    summary: 'show one profile: identity, state, progress and its entries by category',
    description: 'Shows a stored profile for people: identity, lifecycle, learning progress, entry counts,\nthen every entry by category with its support and last sighting. "+" marks entries learned\nafter the profile became ready.',
    flags: [flag('category', 'C', `only this category (${CATEGORIES.join(', ')}); repeatable`, { repeatable: true })],
    positionals: [1, 1],
    async run({ values, positionals, io, store }) {
      const wanted = values.get('category');
      const categories = (Array.isArray(wanted) ? (wanted as string[]) : []).map((c): Category => {
        if (!isCategory(c)) throw new ConfigError(`--category ${JSON.stringify(c)}: expected one of ${CATEGORIES.join(', ')}`);
        return c;
      });
      const profile = await loadExisting(store, positionals[0] as string);
      io.stdout(renderShow(profile.id, profile.revision, profile.document, categories.length > 0 ? categories : CATEGORIES));
      return PROFILES_EXIT.ok;
    },
  },
  export: {
    usage: 'export ID... | --all [-o FILE]',
    summary: 'write profiles as WorkloadProfile YAML (stdout or a file)',
    description: 'Writes stored profiles as WorkloadProfile YAML, several as one multi-document stream.\nThe store revision is left out, so an exported file changes only when the profile does.',
    flags: [flag('output', 'FILE', 'write here instead of stdout (-o); replaced atomically'), flag('all', '', 'every stored profile', { boolean: true })],
    positionals: [0, Number.POSITIVE_INFINITY],
    async run({ values, positionals, io, store }) {
      const all = booleanValue(values, 'all');
      if (all === (positionals.length > 0)) throw new ConfigError('telltale profiles export: give profile ids or --all (see telltale profiles export --help)');
      let profiles: StoredProfile[];
      if (all) {
        const loaded = await store.loadAll();
        if (loaded.problems.length > 0) {
          reportLoadProblems(io, loaded.problems);
          throw new CommandFailure('not exporting: some stored profiles are unreadable', PROFILES_EXIT.invalid);
        }
        profiles = loaded.profiles;
      } else {
        profiles = [];
        for (const id of positionals) profiles.push(await loadExisting(store, id));
      }
      const text = renderProfilesYaml(profiles.map((p) => profileEnvelope(p.id, undefined, p.document)));
      const output = stringValue(values, 'output');
      if (output === undefined || output === '-') io.stdout(text);
      else {
        await writeOutputFile(io, output, text);
        io.stderr(`wrote ${profiles.length} profile${profiles.length === 1 ? '' : 's'} to ${output}\n`);
      }
      return PROFILES_EXIT.ok;
    },
  },
  import: {
    usage: 'import FILE|- [--as NAMESPACE/TYPE/WORKLOAD[/CONTAINER]] [--lock] [--dry-run]',
    summary: 'validate WorkloadProfile YAML and store it (re-targeted with --as)',
    description: `Validates WorkloadProfile YAML (a file, or - for stdin; several documents allowed) against
the published schema and the document rules, reporting every problem with its line, then
stores it. Any problem: nothing is written. Imported profiles keep their state.

--as gives the profile another workload identity, so a profile learned in staging applies
in production: NAMESPACE/TYPE/WORKLOAD[/CONTAINER], e.g. prod/deployment/frontend/nginx,
or /cgroup/system.slice/nginx.service outside Kubernetes (the namespace is empty there).
Without --as, metadata.name must be the id of spec.workload.`,
    flags: [
      flag('as', 'NAMESPACE/TYPE/WORKLOAD[/CONTAINER]', 're-target the profile to this workload (one profile only)'),
      flag('lock', '', 'lock the imported profiles', { boolean: true }),
      flag('dry-run', '', 'validate only; write nothing', { boolean: true }),
    ],
    positionals: [1, 1],
    async run({ values, positionals, io, store }) {
      const asText = stringValue(values, 'as');
      const target = asText === undefined ? undefined : parseWorkloadIdentity(asText);
      const { text, source } = await readInput(io, positionals[0] as string);
      const parsed = parseOrFail(text, source, target === undefined);
      if (target && parsed.length !== 1) throw new ConfigError(`--as re-targets one profile; ${source} holds ${parsed.length}`);
      const lockedAt = new Date(io.now()).toISOString();
      const imports = parsed.map(({ document }) => {
        let next: ProfileDocument = target ? { ...document, workload: { ...target } } : document;
        if (booleanValue(values, 'lock') && next.state !== 'locked') next = { ...next, state: 'locked', lockedAt };
        return { id: profileId(next.workload), document: next };
      });
      const seen = new Set<string>();
      for (const { id } of imports) {
        if (seen.has(id)) throw new CommandFailure(`${source}: holds profile ${id} twice; nothing imported`, PROFILES_EXIT.invalid);
        seen.add(id);
      }
      for (const { id, document } of imports) {
        if (booleanValue(values, 'dry-run')) {
          io.stdout(`valid: ${id} (${formatWorkloadIdentity(document.workload)}, ${document.state})\n`);
          continue;
        }
        let result;
        try {
          result = await store.update(id, () => document);
        } catch (error) {
          // Replacing an unreadable stored profile: save() keeps the broken file in quarantine.
          if (!(error instanceof CorruptProfileError)) throw error;
          io.stderr(`warning: replacing unreadable stored profile ${id}; the old file goes to ${join(store.location, 'quarantine')}\n`);
          result = { previous: null, saved: await store.save(id, document, null) };
        }
        const replaced = result.previous ? `, replacing revision ${result.previous.revision}` : '';
        io.stdout(`imported ${id} (${formatWorkloadIdentity(document.workload)}, ${document.state}) as revision ${result.saved ?? '?'}${replaced}\n`);
      }
      return PROFILES_EXIT.ok;
    },
  },
  diff: {
    usage: 'diff A B [--ignore-workload] [-o text|json]',
    summary: 'compare two profiles (files or stored ids); exit 1 when they differ',
    description: `Compares two profiles, each a YAML file (- for stdin) or a stored profile id: the workload,
lifecycle (state, readyAt, lockedAt, ...), generalization settings, and the entries of every
category (added, removed, file modes changed). Support counts and sighting times are not
compared. Exit 0 when equal, 1 when different, like diff(1).`,
    flags: [flag('ignore-workload', '', 'do not count a different workload identity (comparing staging with production)', { boolean: true }), flag('output', 'FORMAT', 'text or json (-o)', { default: 'text' })],
    positionals: [2, 2],
    async run({ values, positionals, io, store }) {
      const format = stringValue(values, 'output') ?? 'text';
      if (!['text', 'json'].includes(format)) throw new ConfigError(`--output ${JSON.stringify(format)}: expected text or json`);
      if (positionals[0] === '-' && positionals[1] === '-') throw new ConfigError('only one side of a diff can be stdin');
      const operand = async (text: string): Promise<{ label: string; document: ProfileDocument }> => {
        const full = resolve(io.cwd, text);
        if (text !== '-' && !existsSync(full)) {
          if (!isProfileId(text) || /\.(ya?ml|json)$/.test(text)) throw new CommandFailure(`${text}: no such file, and not a profile id`, PROFILES_EXIT.notFound);
          const stored = await loadExisting(store, text);
          return { label: `${text} (stored, revision ${stored.revision})`, document: stored.document };
        }
        const input = await readInput(io, text);
        const parsed = parseOrFail(input.text, input.source, false);
        if (parsed.length !== 1) throw new CommandFailure(`${input.source}: holds ${parsed.length} profiles; diff compares one with one`, PROFILES_EXIT.usage);
        const { document } = parsed[0] as ParsedProfile;
        return { label: `${input.source} (${formatWorkloadIdentity(document.workload)})`, document };
      };
      const a = await operand(positionals[0] as string);
      const b = await operand(positionals[1] as string);
      const diff = diffProfiles(a.document, b.document, { ignoreWorkload: booleanValue(values, 'ignore-workload') });
      if (format === 'json') io.stdout(`${JSON.stringify({ a: a.label, b: b.label, equal: diffIsEmpty(diff), ...diff }, null, 2)}\n`);
      else io.stdout(renderDiff(diff, a.label, b.label));
      return diffIsEmpty(diff) ? PROFILES_EXIT.ok : PROFILES_EXIT.different;
    },
  },
  lock: {
    usage: 'lock ID...',
    summary: 'lock profiles: scoring continues, learning stops',
    description: 'Locks stored profiles (state locked, lockedAt now). A running exporter notices within\nseconds and stops learning for them; a learning profile starts scoring as it is.',
    flags: [],
    positionals: [1, Number.POSITIVE_INFINITY],
    async run({ positionals, io, store }) {
      for (const id of positionals) {
        const lockedAt = new Date(io.now()).toISOString();
        const { revision, changed } = await updateStored(store, id, (doc) => (doc.state === 'locked' ? null : { ...doc, state: 'locked', lockedAt }));
        io.stdout(changed ? `locked ${id} (revision ${revision})\n` : `${id} is already locked (revision ${revision})\n`);
      }
      return PROFILES_EXIT.ok;
    },
  },
  unlock: {
    usage: 'unlock ID...',
    summary: 'unlock profiles: back to ready, or to learning if never ready',
    description: 'Unlocks stored profiles: a profile that had become ready is ready again (and learns\nagain if learnAfterReady is set); one locked while still learning resumes learning.',
    flags: [],
    positionals: [1, Number.POSITIVE_INFINITY],
    async run({ positionals, io, store }) {
      for (const id of positionals) {
        let state = '';
        const { revision, changed } = await updateStored(store, id, (doc) => {
          if (doc.state !== 'locked') return null;
          const next: ProfileDocument = { ...doc, state: doc.readyAt === null ? 'learning' : 'ready', lockedAt: null };
          state = next.state;
          return next;
        });
        io.stdout(changed ? `unlocked ${id}: ${state} (revision ${revision})\n` : `${id} is not locked (revision ${revision})\n`);
      }
      return PROFILES_EXIT.ok;
    },
  },
};

/** `-o` and `-h` as the usual short forms. */
function expandShortFlags(argv: readonly string[]): string[] {
  return argv.map((arg) => (arg === '-o' ? '--output' : arg === '-h' ? '--help' : arg));
}

export async function runProfilesCommand(argv: readonly string[], io: ProfilesCommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === undefined) {
      io.stderr(overview());
      return PROFILES_EXIT.usage;
    }
    io.stdout(overview());
    return PROFILES_EXIT.ok;
  }
  const sub = SUBCOMMANDS[name];
  if (!sub) {
    const known = Object.keys(SUBCOMMANDS);
    const near = closeMatches(name, known, 1);
    io.stderr(`telltale profiles: unknown command ${JSON.stringify(name)}${near.length ? `; did you mean ${near[0]}?` : ''}\n\n${overview()}`);
    return PROFILES_EXIT.usage;
  }
  try {
    const { values, positionals } = parseFlags(`profiles ${name}`, expandShortFlags(rest), [...sub.flags, STATE_DIR_FLAG], io.env, true);
    if (values.get('help')) {
      io.stdout(helpFor(sub));
      return PROFILES_EXIT.ok;
    }
    const [min, max] = sub.positionals;
    if (positionals.length < min || positionals.length > max) {
      throw new ConfigError(`telltale profiles ${name}: expected ${min === max ? min : `${min} or more`} argument${max === 1 ? '' : 's'}, got ${positionals.length}\nusage: telltale profiles ${sub.usage}`);
    }
    const stateDir = resolve(io.cwd, stringValue(values, 'state-dir') ?? '/var/lib/telltale');
    const store = new FilesystemProfileStore({ stateDir });
    return await sub.run({ values, positionals, io, store });
  } catch (error) {
    const { message, code } = describeFailure(error);
    io.stderr(`telltale profiles ${name}: ${message}\n`);
    return code;
  }
}

function describeFailure(error: unknown): { message: string; code: number } {
  if (error instanceof CommandFailure) return { message: error.message, code: error.exitCode };
  if (error instanceof ConfigError) return { message: error.message.replace(/^telltale profiles \S+: /, ''), code: PROFILES_EXIT.usage };
  if (error instanceof InvalidProfileIdError) return { message: error.message, code: PROFILES_EXIT.usage };
  if (error instanceof CorruptProfileError) return { message: error.message, code: PROFILES_EXIT.invalid };
  if (error instanceof RevisionConflictError) return { message: `${error.message}; run the command again`, code: PROFILES_EXIT.conflict };
  if (error instanceof LockTimeoutError) return { message: error.message, code: PROFILES_EXIT.failure };
  return { message: error instanceof Error ? error.message : String(error), code: PROFILES_EXIT.failure };
}

function processIo(): ProfilesCommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    cwd: process.cwd(),
    now: Date.now,
  };
}

export async function profilesCommand(argv: string[]): Promise<number> {
  return runProfilesCommand(argv, processIo());
}
