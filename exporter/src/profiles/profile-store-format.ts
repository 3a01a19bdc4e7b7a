import { Ajv, type ErrorObject } from 'ajv';
import { Document, LineCounter, isScalar, isSeq, parseAllDocuments, visit } from 'yaml';
import { fieldName } from '../sinks/sinks-config-file.js';
import { locateYamlNode, type SpecPath } from '../config/yaml-locate.js';
import { type ConfigProblem, formatConfigProblem } from '../sinks/sinks-config.js';
import { DEFAULT_PROFILE_CONFIG } from './profile-config.js';
import { fromProfileDocument, toProfileDocument, type LoadedProfile, type ProfileDocument } from './profile-document.js';
import { PROFILE_ID_PATTERN, profileId } from './profile-id.js';
import {
  PROFILE_API_VERSION,
  PROFILE_KIND,
  SEQUENCE_PATTERN,
  TIMESTAMP_PATTERN,
  WORKLOAD_PROFILE_SCHEMA,
  type WorkloadProfileEnvelope,
} from './profile-schema.js';

/**
 * The profile file format (YAML, one WorkloadProfile envelope per document) shared by the
 * filesystem store and the GitOps commands: reading with every problem located by file,
 * line, column and field, and writing in one canonical layout.
 */
/** A problem located by file, line, column and field: the sink config's problem shape, reused. */
export type ProfileProblem = ConfigProblem;

/** `file:12:5: spec.entries.syscall[0].nr: must be >= 0, got -4` */
export const formatProfileProblem: (problem: ProfileProblem) => string = formatConfigProblem;

export interface ParsedProfile {
  /** The envelope as written (metadata.revision may be absent). */
  readonly envelope: WorkloadProfileEnvelope;
  /** The spec as the exporter would write it: defaults filled in, entries sorted, counts derived. */
  readonly document: ProfileDocument;
  readonly loaded: LoadedProfile;
  /** Line of the document's first node, to tell documents of one file apart. */
  readonly line: number;
}

export interface ParseProfileOptions {
  /** Reject metadata.name unless it is profileId(spec.workload). Off when the caller re-targets the profile. */
  readonly checkName?: boolean;
  /** The name the profile must have (a stored file is named for its profile). */
  readonly expectedName?: string;
  /** Exactly one profile: a stored file holds one. */
  readonly single?: boolean;
}

const validateEnvelope = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile<WorkloadProfileEnvelope>(
  WORKLOAD_PROFILE_SCHEMA,
);

const PATTERN_MEANINGS: Readonly<Record<string, string>> = {
  [TIMESTAMP_PATTERN]: 'must be an RFC 3339 timestamp such as 2026-11-28T10:00:00.000Z',
  [PROFILE_ID_PATTERN]: 'must be a profile id: lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
  [SEQUENCE_PATTERN]: 'must be 2 to 7 system call numbers (0..511) separated by single spaces',
};

function pathOf(instancePath: string): SpecPath {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function article(text: string): string {
  return /^[aeiou]/.test(text) ? `an ${text}` : `a ${text}`;
}

/** One ajv error as a user-facing message at a document path. */
export function describeSchemaError(error: ErrorObject): { path: SpecPath; message: string; pointAtKey: boolean } {
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: [...path, String(params.additionalProperty)], message: 'unknown field', pointAtKey: true };
    case 'required':
      return { path, message: `missing required field "${String(params.missingProperty)}"`, pointAtKey: false };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      return { path, message: `must be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`}, got ${JSON.stringify(error.data)}`, pointAtKey: false };
    }
    case 'type': {
      const types = String(params.type).split(',');
      return { path, message: `must be ${types.map((t) => (t === 'null' ? 'null' : article(t))).join(' or ')}, got ${JSON.stringify(error.data)}`, pointAtKey: false };
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      const meaning = PATTERN_MEANINGS[pattern] ?? `must match ${pattern}`;
      return { path, message: `${meaning}, got ${JSON.stringify(error.data)}`, pointAtKey: false };
    }
    default:
      return { path, message: `${error.message ?? error.keyword}${error.data !== undefined && typeof error.data !== 'object' ? `, got ${JSON.stringify(error.data)}` : ''}`, pointAtKey: false };
  }
}


/** `profile document: profile.entries.exec[0].path must be …` → ['entries', 'exec', 0, 'path'] and the rest. */
function documentErrorPath(message: string): { path: SpecPath; message: string } | undefined {
  const match = /^profile document: profile((?:\.[A-Za-z_]+|\[\d+\])*) (.*)$/s.exec(message);
  if (!match) return undefined;
  const path: (string | number)[] = [];
  for (const part of (match[1] ?? '').matchAll(/\.([A-Za-z_]+)|\[(\d+)\]/g)) path.push(part[1] ?? Number(part[2]));
  return { path, message: match[2] ?? message };
}

/** What the schema cannot say because it spans fields. */
function crossFieldProblems(spec: ProfileDocument): { path: SpecPath; message: string }[] {
  const n = spec.generalization.ngramLength ?? DEFAULT_PROFILE_CONFIG.ngramLength;
  // Validated, but hand-written documents may leave optional parts out.
  const sequences: readonly { calls: string }[] = spec.entries.syscall_sequence ?? [];
  return sequences.flatMap((entry, i) => {
    const length = entry.calls.split(' ').length;
    return length === n ? [] : [{ path: ['entries', 'syscall_sequence', i, 'calls'], message: `has ${length} system calls, but generalization.ngramLength is ${n}` }];
  });
}

function yamlMessage(message: string): string {
  return `not valid YAML: ${message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`;
}

interface PathProblem {
  readonly path: SpecPath;
  readonly message: string;
  readonly pointAtKey: boolean;
}

/** Every check of one envelope, by document path: schema, cross-field rules, the document reader, the name. */
function checkEnvelope(data: unknown, options: ParseProfileOptions): { profile?: Omit<ParsedProfile, 'line'>; problems: PathProblem[] } {
  if (!validateEnvelope(data)) {
    const seen = new Set<string>();
    const problems: PathProblem[] = [];
    for (const error of validateEnvelope.errors ?? []) {
      const problem = describeSchemaError(error);
      const key = `${fieldName(problem.path)}\u0000${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(problem);
    }
    return { problems };
  }
  const crossField = crossFieldProblems(data.spec).map(({ path, message }) => ({ path: ['spec', ...path], message, pointAtKey: false }));
  if (crossField.length > 0) return { problems: crossField };
  let loaded: LoadedProfile;
  try {
    loaded = fromProfileDocument(data.spec);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const located = documentErrorPath(text);
    return { problems: [located ? { path: ['spec', ...located.path], message: located.message, pointAtKey: false } : { path: ['spec'], message: text.replace(/^profile (document|config): /, ''), pointAtKey: false }] };
  }
  const problems: PathProblem[] = [];
  if (options.expectedName !== undefined && data.metadata.name !== options.expectedName) {
    problems.push({ path: ['metadata', 'name'], message: `is ${JSON.stringify(data.metadata.name)}, but the file is named for ${JSON.stringify(options.expectedName)}`, pointAtKey: false });
  }
  const expected = profileId(loaded.workload);
  if (options.checkName !== false && data.metadata.name !== expected) {
    problems.push({
      path: ['metadata', 'name'],
      message: `is ${JSON.stringify(data.metadata.name)}, but the id of spec.workload is ${JSON.stringify(expected)}; names are derived from the workload identity (change the name, or import with --as to re-target)`,
      pointAtKey: false,
    });
  }
  if (problems.length > 0) return { problems };
  const document = toProfileDocument(loaded.profile, loaded.workload, loaded.lifecycle, loaded.calibration);
  return { profile: { envelope: data, document, loaded }, problems };
}

/**
 * Reads every profile in a YAML text (several documents separated by `---` are allowed).
 * A document with any problem yields no profile; callers that must change nothing on bad
 * input check `problems` before using `profiles`.
 */
export function parseProfileYaml(text: string, source: string, options: ParseProfileOptions = {}): { profiles: ParsedProfile[]; problems: ProfileProblem[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const problems: ProfileProblem[] = [];
  const profiles: ParsedProfile[] = [];
  if ('empty' in docs) {
    for (const error of docs.errors) {
      const [start] = error.linePos ?? [];
      problems.push({ source, line: start?.line, column: start?.col, field: '', message: yamlMessage(error.message) });
    }
  }
  const meaningful = docs.filter((doc) => doc.contents !== null || doc.errors.length > 0);
  if (meaningful.length === 0) {
    if (problems.length === 0) problems.push({ source, field: '', message: 'contains no profile (the file is empty)' });
    return { profiles, problems };
  }
  if (options.single && meaningful.length > 1) {
    const second = meaningful[1]?.contents?.range;
    problems.push({
      source,
      line: second ? lineCounter.linePos(second[0]).line : undefined,
      field: '',
      message: `holds ${meaningful.length} profiles; a stored profile file holds exactly one`,
    });
    return { profiles, problems };
  }
  for (const doc of meaningful) {
    const before = problems.length;
    const reportAt = (path: SpecPath, message: string, pointAtKey = false): void => {
      const node = locateYamlNode(doc, path, pointAtKey);
      const position = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
      problems.push({ source, line: position?.line, column: position?.col, field: fieldName(path), message });
    };
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const [start] = error.linePos ?? [];
        problems.push({ source, line: start?.line, column: start?.col, field: '', message: yamlMessage(error.message) });
      }
      continue;
    }
    let data: unknown;
    try {
      // Profiles never need anchors and aliases; refusing them rules out alias bombs.
      data = doc.toJS({ maxAliasCount: 0 });
    } catch (error) {
      reportAt([], `anchors and aliases (&name, *name) are not allowed in profiles (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const checked = checkEnvelope(data, options);
    for (const { path, message, pointAtKey } of checked.problems) reportAt(path, message, pointAtKey);
    if (problems.length > before || !checked.profile) continue;
    const line = doc.contents?.range ? lineCounter.linePos(doc.contents.range[0]).line : 1;
    profiles.push({ ...checked.profile, line });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { profiles, problems };
}

/** Shape problems of an envelope built in memory (no lines: there is no text yet). */
export function validateProfileEnvelope(envelope: unknown, source: string): ProfileProblem[] {
  if (validateEnvelope(envelope)) return [];
  return (validateEnvelope.errors ?? []).map((error) => {
    const { path, message } = describeSchemaError(error);
    return { source, field: fieldName(path), message };
  });
}

/**
 * Reads profile text as the store holds it. The store writes JSON (which is YAML too):
 * the YAML library reads about 1 MB a second, JSON.parse a hundred times that, and a full
 * profile is megabytes. Anything else (a hand-edited block-YAML file), and any text with a
 * problem, goes through parseProfileYaml, which knows lines.
 */
export function parseProfileText(text: string, source: string, options: ParseProfileOptions = {}): { profiles: ParsedProfile[]; problems: ProfileProblem[] } {
  if (/^\s*\{/.test(text)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return parseProfileYaml(text, source, options);
    }
    const checked = checkEnvelope(data, options);
    if (checked.profile && checked.problems.length === 0) return { profiles: [{ ...checked.profile, line: 1 }], problems: [] };
  }
  return parseProfileYaml(text, source, options);
}

/** The store's layout: JSON, two-space indented, one field per line (git- and diff-friendly, fast to read). */
export function renderStoredProfile(envelope: WorkloadProfileEnvelope): string {
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

export function profileEnvelope(id: string, revision: number | undefined, document: ProfileDocument): WorkloadProfileEnvelope {
  return {
    apiVersion: PROFILE_API_VERSION,
    kind: PROFILE_KIND,
    metadata: revision === undefined ? { name: id } : { name: id, revision },
    spec: document,
  };
}

/** Lists of short scalars read best on one line: `tokens: [curl, -s, "*"]`. */
const FLOW_LISTS = new Set(['tokens', 'modes', 'top']);

/** The canonical text of one profile: fixed key order, no folding, no anchors. */
export function renderProfileYaml(envelope: WorkloadProfileEnvelope): string {
  const doc = new Document(envelope, { aliasDuplicateObjects: false });
  visit(doc, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && FLOW_LISTS.has(String(pair.key.value)) && isSeq(pair.value)) {
        pair.value.flow = true;
      }
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0, flowCollectionPadding: false });
}

/** Several profiles as one multi-document YAML stream. */
export function renderProfilesYaml(envelopes: readonly WorkloadProfileEnvelope[]): string {
  return envelopes.map((envelope, i) => `${i > 0 ? '---\n' : ''}${renderProfileYaml(envelope)}`).join('');
}
