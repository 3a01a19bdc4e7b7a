import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { fromProfileDocument, type ProfileDocument } from './profile-document.js';
import { SCHEMA_FILE } from './profile-schema-generate.js';
import {
  type JsonSchema,
  SEQUENCE_PATTERN,
  WORKLOAD_PROFILE_SCHEMA,
  renderWorkloadProfileSchema,
  toCrdOpenApiV3Schema,
} from './profile-schema.js';
import { profileEnvelope } from './profile-store-format.js';
import { fixtureProfiles } from './test-fixtures/profile-fixtures.js';

const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(WORKLOAD_PROFILE_SCHEMA);
const fixtures = fixtureProfiles();
const sample = fixtures[0]!;

function envelopeWith(mutate: (spec: Record<string, unknown>, envelope: Record<string, unknown>) => void): unknown {
  const envelope = structuredClone(profileEnvelope(sample.id, 3, sample.document)) as unknown as Record<string, unknown>;
  mutate(envelope['spec'] as Record<string, unknown>, envelope);
  return envelope;
}

function errorsOf(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`);
}

function walk(node: JsonSchema, path: string, visit: (node: JsonSchema, path: string) => void): void {
  visit(node, path);
  for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${key}`, visit);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}.*`, visit);
  if (node.items) walk(node.items, `${path}[]`, visit);
}

describe('workload profile JSON schema', () => {
  it('is checked in exactly as generated (run `npx tsx exporter/src/profiles/profile-schema-generate.ts` after a change)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(renderWorkloadProfileSchema());
  });

  it('accepts every generated profile', () => {
    for (const { id, document } of fixtures) expect(errorsOf(profileEnvelope(id, 1, document)), id).toEqual([]);
    expect(errorsOf(profileEnvelope(sample.id, undefined, sample.document))).toEqual([]);
  });

  it('rejects malformed envelopes and specs at the offending field', () => {
    const cases: [string, (spec: Record<string, unknown>, envelope: Record<string, unknown>) => void, string][] = [
      ['wrong kind', (_s, e) => (e['kind'] = 'Deployment'), '/kind enum'],
      ['wrong apiVersion', (_s, e) => (e['apiVersion'] = 'telltale.dev/v1'), '/apiVersion enum'],
      ['name not DNS-1123', (_s, e) => ((e['metadata'] as Record<string, unknown>)['name'] = 'Shop_Frontend'), '/metadata/name pattern'],
      ['negative revision', (_s, e) => ((e['metadata'] as Record<string, unknown>)['revision'] = -1), '/metadata/revision minimum'],
      ['unknown metadata', (_s, e) => ((e['metadata'] as Record<string, unknown>)['labels'] = {}), '/metadata additionalProperties'],
      ['missing spec', (_s, e) => delete e['spec'], ' required'],
      ['state', (s) => (s['state'] = 'done'), '/spec/state enum'],
      ['readyReason', (s) => (s['readyReason'] = 'because'), '/spec/readyReason enum'],
      ['timestamp', (s) => (s['readyAt'] = '28/11/2026'), '/spec/readyAt pattern'],
      ['missing state', (s) => delete s['state'], '/spec required'],
      ['unknown spec field', (s) => (s['owner'] = 'me'), '/spec additionalProperties'],
      ['schemaVersion', (s) => (s['schemaVersion'] = 2), '/spec/schemaVersion enum'],
      ['namespace', (s) => ((s['workload'] as Record<string, unknown>)['namespace'] = 'Shop'), '/spec/workload/namespace pattern'],
      ['category key', (s) => ((s['entryCounts'] as Record<string, unknown>)['process'] = 1), '/spec/entryCounts additionalProperties'],
      ['file mode', (s) => (((s['entries'] as Record<string, Record<string, unknown>[]>)['file'] as Record<string, unknown>[])[0]!['modes'] = ['execute']), '/spec/entries/file/0/modes/0 enum'],
      ['syscall nr', (s) => (((s['entries'] as Record<string, Record<string, unknown>[]>)['syscall'] as Record<string, unknown>[])[0]!['nr'] = 512), '/spec/entries/syscall/0/nr maximum'],
      ['sequence', (s) => (((s['entries'] as Record<string, Record<string, unknown>[]>)['syscall_sequence'] as Record<string, unknown>[])[0]!['calls'] = '1  2'), '/spec/entries/syscall_sequence/0/calls pattern'],
      ['peer', (s) => (((s['entries'] as Record<string, Record<string, unknown>[]>)['network'] as Record<string, unknown>[])[0]!['peer'] = 'send tcp 1.2.3.4:80'), '/spec/entries/network/0/peer pattern'],
      ['capability', (s) => (((s['entries'] as Record<string, Record<string, unknown>[]>)['capability'] as Record<string, unknown>[])[0]!['name'] = 'net_admin'), '/spec/entries/capability/0/name pattern'],
      ['support', (s) => (((s['entries'] as Record<string, Record<string, unknown>[]>)['dns'] as Record<string, unknown>[])[0]!['support'] = 1.5), '/spec/entries/dns/0/support type'],
      ['ngram length', (s) => ((s['generalization'] as Record<string, unknown>)['ngramLength'] = 9), '/spec/generalization/ngramLength maximum'],
      ['filter bits', (s) => (s['overflowFilter'] = { items: 1, bits: 'AAAA' }), '/spec/overflowFilter/bits minLength'],
    ];
    for (const [name, mutate, expected] of cases) expect(errorsOf(envelopeWith(mutate)), name).toContain(expected);
  });

  it('requires exactly what the document reader requires, so the two never disagree', () => {
    const spec = sample.document as unknown as Record<string, unknown>;
    const required = new Set(WORKLOAD_PROFILE_SCHEMA.properties?.['spec']?.required);
    for (const key of Object.keys(spec)) {
      const without = { ...spec };
      delete without[key];
      const schemaAccepts = errorsOf({ ...profileEnvelope(sample.id, 1, sample.document), spec: without }).length === 0;
      let readerAccepts = true;
      try {
        fromProfileDocument(without);
      } catch {
        readerAccepts = false;
      }
      expect({ key, schemaAccepts }).toEqual({ key, schemaAccepts: readerAccepts });
      expect(schemaAccepts).toBe(!required.has(key));
    }
  });

  it('describes every field', () => {
    const undescribed: string[] = [];
    walk(WORKLOAD_PROFILE_SCHEMA, '', (node, path) => {
      const isLeafOfList = path.endsWith('[]') || path.endsWith('.*');
      if (!node.description && !isLeafOfList) undescribed.push(path || '(root)');
    });
    expect(undescribed).toEqual([]);
  });

  it('spells sequences as 2 to 7 numbers of 0..511', () => {
    const re = new RegExp(SEQUENCE_PATTERN);
    for (const ok of ['0 511', '1 2 3 4 5 6 7', '59 0 257 3 3 60']) expect(re.test(ok), ok).toBe(true);
    for (const bad of ['5', '1 2 3 4 5 6 7 8', '512 1', '01 2', '1  2', '1 2 ', '-1 2']) expect(re.test(bad), bad).toBe(false);
  });
});

describe('the CRD form of the schema', () => {
  const crd = toCrdOpenApiV3Schema();

  it('is a Kubernetes structural schema', () => {
    const problems: string[] = [];
    walk(crd, '', (node, path) => {
      const keys = Object.keys(node);
      if (typeof node.type !== 'string') problems.push(`${path}: type must be one string, got ${JSON.stringify(node.type)}`);
      for (const forbidden of ['$ref', '$schema', '$id', 'oneOf', 'anyOf', 'allOf', 'not', 'const', 'definitions', '$defs', 'uniqueItems']) {
        if (keys.includes(forbidden)) problems.push(`${path}: ${forbidden} is not allowed`);
      }
      if (node.additionalProperties === false) problems.push(`${path}: additionalProperties: false is not allowed`);
      if (node.properties && node.additionalProperties !== undefined) problems.push(`${path}: properties and additionalProperties are exclusive`);
      if (node.pattern && /\(\?[=!<]|\\[1-9]/.test(node.pattern)) problems.push(`${path}: pattern uses lookaround or backreferences (RE2 has neither)`);
    });
    expect(problems).toEqual([]);
    expect(crd.properties?.['metadata']).toEqual({ type: 'object', properties: { name: WORKLOAD_PROFILE_SCHEMA.properties?.['metadata']?.properties?.['name'] } });
    expect(crd.required).toEqual(['spec']);
  });

  it('keeps the constraints, with null spelled as nullable', () => {
    const spec = crd.properties?.['spec'];
    expect(spec?.properties?.['readyAt']).toMatchObject({ type: 'string', nullable: true, pattern: expect.any(String) });
    expect(spec?.properties?.['overflowFilter']).toMatchObject({ type: 'object', nullable: true, required: ['items', 'bits'] });
    expect(spec?.properties?.['state']?.enum).toEqual(['learning', 'ready', 'locked']);
    expect(spec?.properties?.['generalization']?.properties?.['pathFanoutOverrides']).toEqual({
      type: 'object',
      description: expect.any(String),
      additionalProperties: { type: 'integer', minimum: 1 },
    });
    // What the CRD accepts, the JSON schema accepts too, minus the store's revision.
    const openApiAsJsonSchema = JSON.parse(JSON.stringify(crd), (key, value: unknown) => (key === 'nullable' ? undefined : value)) as JsonSchema;
    expect(openApiAsJsonSchema.properties?.['spec']?.properties?.['epochs']).toEqual(WORKLOAD_PROFILE_SCHEMA.properties?.['spec']?.properties?.['epochs']);
  });

  it('is used with documents that fit it: every fixture validates against the CRD form under an OpenAPI-aware validator', () => {
    const openApi = new Ajv({ strict: false, allErrors: true }).compile(crd);
    for (const { id, document } of fixtures) {
      const ok = openApi({ apiVersion: 'telltale.dev/v1alpha1', kind: 'WorkloadProfile', metadata: { name: id }, spec: document as ProfileDocument });
      expect(ok, JSON.stringify(openApi.errors)).toBe(true);
    }
  });
});
