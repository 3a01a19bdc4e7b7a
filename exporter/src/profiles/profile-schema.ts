import { CATEGORIES, type Category } from '../observations/category.js';
import { FILE_ACCESS_MODES, NETWORK_DIRECTIONS } from './observation.js';
import { OVERFLOW_FILTER_BITS } from './overflow-filter.js';
import { MAX_NGRAM_LENGTH, MAX_SYSCALL_NR, type ProfileConfig } from './profile-config.js';
import {
  type CalibrationDocument,
  type CapabilityEntryDocument,
  type CategoryCalibrationDocument,
  type DnsEntryDocument,
  type EntryMeta,
  type ExecEntryDocument,
  type FileEntryDocument,
  type NetworkEntryDocument,
  PROFILE_DOCUMENT_VERSION,
  PROFILE_STATES,
  type ProfileDocument,
  READY_REASONS,
  type SequenceEntryDocument,
  type SyscallEntryDocument,
} from './profile-document.js';
import { PROFILE_ID_MAX_LENGTH, PROFILE_ID_PATTERN } from './profile-id.js';

/**
 * The published JSON schema of a stored or exported profile: a Kubernetes-style envelope
 * around a ProfileDocument. Files in the state directory, files in Git and (later) the
 * WorkloadProfile custom resource are the same object.
 *
 * The schema is plain JSON Schema (draft-07) so editors and CI can validate profile files;
 * `toCrdOpenApiV3Schema` derives the structural OpenAPI v3 schema a CRD needs. Both stay
 * within what Kubernetes structural schemas allow: every node typed, no `$ref`, no
 * `oneOf`/`anyOf`/`allOf`/`not`, no `const`, patterns RE2 can run.
 *
 * The checked-in copy is exporter/schema/workload-profile.schema.json; regenerate it with
 * `npx tsx exporter/src/profiles/profile-schema-generate.ts` after changing this file.
 */
export const PROFILE_API_VERSION = 'telltale.dev/v1alpha1';
export const PROFILE_KIND = 'WorkloadProfile';
export const PROFILE_SCHEMA_ID = 'https://telltale.dev/schema/workload-profile.schema.json';

export interface ProfileMetadata {
  /** The profile id (profileId() of spec.workload). */
  name: string;
  /** Bumped by the store on every write; absent in hand-written files. */
  revision?: number;
}

export interface WorkloadProfileEnvelope {
  apiVersion: typeof PROFILE_API_VERSION;
  kind: typeof PROFILE_KIND;
  metadata: ProfileMetadata;
  spec: ProfileDocument;
}

type JsonType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: JsonType | readonly JsonType[];
  /** OpenAPI v3 only (the CRD form): null is allowed too. */
  nullable?: boolean;
  properties?: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: readonly (string | number | null)[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
}

/** RFC 3339 date-time as Date.toISOString() writes it (offsets are accepted too). */
export const TIMESTAMP_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$';
const SYSCALL_NUMBER = '(0|[1-9][0-9]?|[1-4][0-9]{2}|50[0-9]|51[01])';
// Generated from MAX_SYSCALL_NR; checked in the test so the two cannot drift.
export const SEQUENCE_PATTERN = `^${SYSCALL_NUMBER}( ${SYSCALL_NUMBER}){1,${MAX_NGRAM_LENGTH - 1}}$`;
const PEER_PATTERN = `^(${NETWORK_DIRECTIONS.join('|')}) [^ ]+ .*:[^:]*$`;
const BASE64_PATTERN = '^[A-Za-z0-9+/]*={0,2}$';
const FILTER_BASE64_LENGTH = Math.ceil(OVERFLOW_FILTER_BITS / 8 / 3) * 4;
const NAMESPACE_PATTERN = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$';
const WORKLOAD_TYPE_PATTERN = '^[a-z][a-z0-9-]*$';

const timestamp = (description: string): JsonSchema => ({ type: 'string', pattern: TIMESTAMP_PATTERN, description });
const nullableTimestamp = (description: string): JsonSchema => ({ type: ['string', 'null'], pattern: TIMESTAMP_PATTERN, description });
const count = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description });

function object<T>(
  description: string,
  properties: Record<keyof T & string, JsonSchema>,
  required: readonly (keyof T & string)[],
): JsonSchema {
  return { type: 'object', description, additionalProperties: false, required, properties };
}

const META_PROPERTIES: Record<keyof EntryMeta, JsonSchema> = {
  support: count('Epochs the entry was seen in (the kernel reports an item at most once per epoch).'),
  firstSeen: timestamp('First sighting.'),
  lastSeen: timestamp('Last sighting.'),
  addedAfterReady: { type: 'boolean', description: 'Learned after the profile became ready (learnAfterReady).' },
};
const META_REQUIRED: readonly (keyof EntryMeta)[] = ['support', 'firstSeen', 'lastSeen', 'addedAfterReady'];

function entryList<T extends EntryMeta>(
  description: string,
  properties: Record<Exclude<keyof T, keyof EntryMeta> & string, JsonSchema>,
  required: readonly (Exclude<keyof T, keyof EntryMeta> & string)[],
): JsonSchema {
  return {
    type: 'array',
    description,
    items: object<T>(`${description.replace(/s?\.$/, '')} entry.`, { ...META_PROPERTIES, ...properties } as Record<keyof T & string, JsonSchema>, [
      ...required,
      ...(META_REQUIRED as readonly (keyof T & string)[]),
    ]),
  };
}

function perCategory(description: string, value: (category: Category) => JsonSchema): JsonSchema {
  return {
    type: 'object',
    description,
    additionalProperties: false,
    properties: Object.fromEntries(CATEGORIES.map((c) => [c, value(c)])),
  };
}

const counts = (description: string): JsonSchema => perCategory(description, (c) => count(`${c} entries.`));

const calibrationCategory = (description: string): JsonSchema =>
  object<CategoryCalibrationDocument>(
    description,
    {
      samples: count('Calibration windows observed.'),
      top: { type: 'array', description: 'The largest raw window values seen, descending.', items: { type: 'number' } },
    },
    ['samples', 'top'],
  );

const positive = (description: string): JsonSchema => ({ type: 'integer', minimum: 1, description });

const GENERALIZATION: JsonSchema = object<ProfileConfig>(
  'The generalization settings the entries were made with; omitted settings take the exporter defaults.',
  {
    maxEntries: positive('Budget: total entries over all categories (argv patterns count as entries of their exec).'),
    pathFanout: positive('A directory with more distinct children than this collapses to dir/*.'),
    pathFanoutOverrides: {
      type: 'object',
      description: 'Per-directory overrides of pathFanout, keyed by absolute directory path.',
      additionalProperties: { type: 'integer', minimum: 1 },
    },
    argvPatternsPerExe: positive('Distinct argv patterns kept per executable before they merge.'),
    maxArgvTokens: positive('argv tokens kept; a longer argv ends in **.'),
    maxStringLength: positive('Longest string stored; longer ones are cut and counted as truncated.'),
    peerAddressFanout: positive('Distinct peer addresses per (direction, protocol, port) before they fold into a CIDR.'),
    peerCidrBitsV4: { type: 'integer', minimum: 0, maximum: 32, description: 'IPv4 prefix length used when peers fold.' },
    peerCidrBitsV6: { type: 'integer', minimum: 0, maximum: 128, description: 'IPv6 prefix length used when peers fold.' },
    dnsFanout: positive('Distinct labels under one DNS suffix before they fold into *.suffix.'),
    ngramLength: { type: 'integer', minimum: 2, maximum: MAX_NGRAM_LENGTH, description: 'Syscall n-gram length (must match the kernel).' },
  },
  [],
);

const ENTRIES: JsonSchema = object<ProfileDocument['entries']>(
  'Learned entries per category, sorted.',
  {
    exec: entryList<ExecEntryDocument>(
      'Executables.',
      {
        path: { type: 'string', minLength: 1, description: 'Executable path pattern (`*` matches within a segment).' },
        argv: {
          type: 'array',
          description: 'argv patterns seen for this executable.',
          items: {
            type: 'object',
            description: 'One argv pattern.',
            additionalProperties: false,
            required: ['tokens', ...META_REQUIRED],
            properties: {
              tokens: {
                type: 'array',
                description: 'argv tokens including argv[0]; `*` is a glob inside a token, a final `**` matches any further tokens.',
                items: { type: 'string' },
              },
              ...META_PROPERTIES,
            },
          },
        },
      },
      ['path', 'argv'],
    ),
    file: entryList<FileEntryDocument>(
      'Files opened.',
      {
        path: { type: 'string', minLength: 1, description: 'File path pattern (`*` matches within a segment, a final `**` any depth).' },
        modes: { type: 'array', description: 'Access modes seen.', items: { type: 'string', enum: [...FILE_ACCESS_MODES] } },
      },
      ['path', 'modes'],
    ),
    syscall: entryList<SyscallEntryDocument>(
      'System calls.',
      { nr: { type: 'integer', minimum: 0, maximum: MAX_SYSCALL_NR, description: 'x86_64 system call number.' } },
      ['nr'],
    ),
    syscall_sequence: entryList<SequenceEntryDocument>(
      'System call sequences (n-grams of one thread).',
      { calls: { type: 'string', pattern: SEQUENCE_PATTERN, description: 'System call numbers separated by single spaces, oldest first.' } },
      ['calls'],
    ),
    network: entryList<NetworkEntryDocument>(
      'Network peers.',
      {
        peer: {
          type: 'string',
          pattern: PEER_PATTERN,
          description: '`<direction> <protocol> <host, CIDR, name or *>:<port or *>`, direction one of connect, accept, listen.',
        },
      },
      ['peer'],
    ),
    dns: entryList<DnsEntryDocument>('DNS names resolved.', { name: { type: 'string', minLength: 1, description: 'DNS name pattern (`*.suffix` after folding).' } }, ['name']),
    capability: entryList<CapabilityEntryDocument>(
      'Linux capabilities used.',
      {
        nr: { type: 'integer', minimum: 0, maximum: 63, description: 'Capability number (CAP_CHOWN = 0).' },
        name: { type: 'string', pattern: '^CAP_[A-Z0-9_]+$', description: 'Capability name, for readers; nr is authoritative.' },
      },
      ['nr', 'name'],
    ),
  },
  [],
);

const CALIBRATION: JsonSchema = {
  ...object<CalibrationDocument>(
    'Score calibration written by the scoring calibrator; null before any calibration window.',
    {
      targetFalseAlarmRate: { type: 'number', exclusiveMinimum: 0, maximum: 1, description: 'False-alarm rate per window that a score of 0.9 stands for.' },
      categories: perCategory('Per-category calibration.', (c) => calibrationCategory(`Calibration of ${c}.`)),
      overall: calibrationCategory('Calibration of the overall score.'),
    },
    ['targetFalseAlarmRate', 'categories', 'overall'],
  ),
  type: ['object', 'null'],
};

const SPEC: JsonSchema = object<ProfileDocument>(
  'The learned behaviour profile of one workload (ProfileDocument). Fields marked optional default as documented when absent.',
  {
    schemaVersion: { type: 'integer', enum: [PROFILE_DOCUMENT_VERSION], description: 'Version of the document layout.' },
    workload: object<ProfileDocument['workload']>(
      'The workload identity the profile belongs to; metadata.name is derived from it.',
      {
        namespace: { type: 'string', pattern: NAMESPACE_PATTERN, maxLength: 63, description: 'Kubernetes namespace; empty outside Kubernetes.' },
        workload: { type: 'string', minLength: 1, description: 'Workload name: a cgroup path, a container name or a Kubernetes owner name.' },
        workloadType: {
          type: 'string',
          pattern: WORKLOAD_TYPE_PATTERN,
          description: 'cgroup, container, or a Kubernetes owner kind in lower case (deployment, daemonset, ...).',
        },
        container: { type: 'string', description: 'Container name; empty where the workload is not a container.' },
      },
      ['namespace', 'workload', 'workloadType', 'container'],
    ),
    state: { type: 'string', enum: [...PROFILE_STATES], description: 'learning: still learning; ready: scoring; locked: scoring, frozen by an operator.' },
    learningStartedAt: nullableTimestamp('When learning started (optional, default null).'),
    readyAt: nullableTimestamp('When the profile became ready; null if it never did (optional, default null).'),
    lockedAt: nullableTimestamp('When an operator locked the profile; null unless locked (optional, default null).'),
    learningPeriodSeconds: count('Learning period the profile was started with.'),
    learnedSeconds: { type: 'number', minimum: 0, description: 'Time spent learning while an exporter was running (optional, default 0).' },
    lastNoveltyAt: nullableTimestamp('Last time learning added an entry, sequences aside (optional, default null).'),
    learnedSecondsAtLastNovelty: {
      type: ['number', 'null'],
      minimum: 0,
      description: 'learnedSeconds when learning last added an entry; stability is measured in learning time from here (optional, default null).',
    },
    readyReason: {
      type: ['string', 'null'],
      enum: [...READY_REASONS, null],
      description: 'Why the profile became ready: period, stable, overdue or operator (optional, default null).',
    },
    learnAfterReady: { type: 'boolean', description: 'Keep learning after ready, marking entries addedAfterReady; never while locked (optional, default false).' },
    version: { type: ['string', 'null'], description: 'Version of the workload last seen, e.g. an image id (optional, default null).' },
    previousVersion: { type: ['string', 'null'], description: 'The version before the last change, or null (optional, default null).' },
    versionChangedAt: nullableTimestamp('When the version last changed (optional, default null).'),
    epochs: count('Epochs learned: the denominator of every support count.'),
    generalization: GENERALIZATION,
    entryCounts: counts('Entries per category, as budgeted (derived from entries; informational).'),
    overflow: counts('Items folded into wildcards or dropped because the budget was reached (optional).'),
    truncated: counts('Strings cut to maxStringLength (optional).'),
    overflowFilter: {
      ...object<NonNullable<ProfileDocument['overflowFilter']>>(
        'Bloom filter of items dropped for the budget, so they do not alert again; null until something overflowed.',
        { items: count('Items added to the filter.'), bits: {
          type: 'string',
          pattern: BASE64_PATTERN,
          minLength: FILTER_BASE64_LENGTH,
          maxLength: FILTER_BASE64_LENGTH,
          description: `Filter bits (${OVERFLOW_FILTER_BITS}), base64.`,
        },
      },
        ['items', 'bits'],
      ),
      type: ['object', 'null'],
    },
    entries: ENTRIES,
    calibration: CALIBRATION,
  },
  ['schemaVersion', 'workload', 'state', 'learningPeriodSeconds', 'epochs', 'generalization', 'entries'],
);

export const WORKLOAD_PROFILE_SCHEMA: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: PROFILE_SCHEMA_ID,
  title: PROFILE_KIND,
  ...object<WorkloadProfileEnvelope>(
    'A Telltale workload behaviour profile: a stored profile, a GitOps file, or a WorkloadProfile custom resource.',
    {
      apiVersion: { type: 'string', enum: [PROFILE_API_VERSION], description: 'API group and version.' },
      kind: { type: 'string', enum: [PROFILE_KIND], description: 'Always WorkloadProfile.' },
      metadata: object<ProfileMetadata>(
        'Object metadata.',
        {
          name: {
            type: 'string',
            pattern: PROFILE_ID_PATTERN,
            maxLength: PROFILE_ID_MAX_LENGTH,
            description: 'Profile id: a DNS-1123 subdomain derived from spec.workload (readable slug plus identity hash).',
          },
          revision: { type: 'integer', minimum: 0, description: 'Store revision, bumped on every write (optimistic concurrency); set by the store.' },
        },
        ['name'],
      ),
      spec: SPEC,
    },
    ['apiVersion', 'kind', 'metadata', 'spec'],
  ),
};

/** The checked-in file's exact text. */
export function renderWorkloadProfileSchema(schema: JsonSchema = WORKLOAD_PROFILE_SCHEMA): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * The same schema as a CRD `openAPIV3Schema`: OpenAPI v3.0 spells `null` as `nullable`,
 * Kubernetes prunes unknown fields instead of rejecting them (so no `additionalProperties:
 * false`), the API server owns apiVersion, kind and metadata (only metadata.name may be
 * constrained; the revision is metadata.generation there).
 */
export function toCrdOpenApiV3Schema(schema: JsonSchema = WORKLOAD_PROFILE_SCHEMA): JsonSchema {
  const convert = (node: JsonSchema, path: readonly string[]): JsonSchema => {
    const { $schema: _s, $id: _i, title: _t, additionalProperties, properties, items, type, ...rest } = node;
    const out: JsonSchema = {};
    if (Array.isArray(type)) {
      const types = type.filter((t) => t !== 'null');
      if (types.length !== 1) throw new Error(`${path.join('.')}: a CRD node has exactly one type besides null, got ${type.join(', ')}`);
      out.type = types[0];
      if (types.length !== type.length) out.nullable = true;
    } else if (type !== undefined) {
      out.type = type;
    }
    Object.assign(out, rest);
    if (properties) {
      out.properties = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, convert(value, [...path, key])]));
    } else if (typeof additionalProperties === 'object') {
      out.additionalProperties = convert(additionalProperties, [...path, '*']);
    }
    if (items) out.items = convert(items, [...path, '[]']);
    return out;
  };
  const root = convert(schema, []);
  const properties = { ...root.properties };
  const name = properties['metadata']?.properties?.['name'];
  properties['metadata'] = { type: 'object', properties: name ? { name } : {} };
  for (const key of ['apiVersion', 'kind']) {
    const field = properties[key];
    if (field) properties[key] = { type: 'string', ...(field.description ? { description: field.description } : {}) };
  }
  return { ...root, required: ['spec'], properties };
}
