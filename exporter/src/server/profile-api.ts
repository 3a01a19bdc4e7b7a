import { Ajv } from 'ajv';
import type { FastifyError, FastifyInstance } from 'fastify';
import { CATEGORIES } from '../observations/category.js';
import { PROFILE_STATES } from '../profiles/profile-document.js';
import { PROFILE_ID_MAX_LENGTH, PROFILE_ID_PATTERN } from '../profiles/profile-id.js';
import type { ProfileDetail, ProfileSummary } from './profile-api-shapes.js';

/**
 * The read-only Profile API (README, "Profile API"):
 *   GET /api/v1/profiles        summaries, filtered, searched, sorted and paged
 *   GET /api/v1/profiles/{id}   one profile's summary, entries and recent anomalies
 *
 * No authentication and no CORS headers, on purpose: the API is meant to be reached
 * through the Grafana app's plugin-proxy route (the browser talks to Grafana, Grafana to
 * the exporter) or from inside the cluster, with a NetworkPolicy limiting who reaches the
 * exporter's port. It only reads; there is no route that changes a profile.
 */
export interface ProfileReader {
  summaries(): Promise<readonly ProfileSummary[]> | readonly ProfileSummary[];
  detail(id: string): Promise<ProfileDetail | null> | ProfileDetail | null;
}

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

export interface ProfileQuery {
  readonly namespace?: string;
  readonly workload?: string;
  readonly workload_type?: string;
  readonly container?: string;
  readonly state?: string;
  readonly search?: string;
  readonly limit: number;
  readonly offset: number;
}

export interface ProfilePage {
  readonly items: readonly ProfileSummary[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Filters are exact matches; an empty filter is no filter (the README's query template
 * lists them empty). `search` is a case-insensitive substring of `namespace/workload/container`,
 * the workload type or the id.
 */
export function queryProfiles(summaries: readonly ProfileSummary[], query: ProfileQuery): ProfilePage {
  const exact: [string | undefined, (s: ProfileSummary) => string][] = [
    [query.namespace, (s) => s.namespace],
    [query.workload, (s) => s.workload],
    [query.workload_type, (s) => s.workloadType],
    [query.container, (s) => s.container],
    [query.state, (s) => s.state],
  ];
  const search = query.search?.toLowerCase() ?? '';
  const matching = summaries
    .filter((s) => exact.every(([wanted, field]) => wanted === undefined || wanted === '' || field(s) === wanted))
    .filter((s) => search === '' || [`${s.namespace}/${s.workload}/${s.container}`, s.workloadType, s.id].some((text) => text.toLowerCase().includes(search)))
    .sort((a, b) => byText(a.namespace, b.namespace) || byText(a.workload, b.workload) || byText(a.container, b.container) || byText(a.workloadType, b.workloadType) || byText(a.id, b.id));
  return { items: matching.slice(query.offset, query.offset + query.limit), total: matching.length, limit: query.limit, offset: query.offset };
}

const nullableString = { type: ['string', 'null'] } as const;
const countsSchema = { type: 'object', required: [...CATEGORIES], properties: Object.fromEntries(CATEGORIES.map((c) => [c, { type: 'integer' }])) };
const summaryProperties = {
  id: { type: 'string' },
  namespace: { type: 'string' },
  workload: { type: 'string' },
  workloadType: { type: 'string' },
  container: { type: 'string' },
  state: { type: 'string' },
  learningProgress: { type: 'number' },
  learningStartedAt: nullableString,
  readyAt: nullableString,
  updatedAt: nullableString,
  version: nullableString,
  previousVersion: nullableString,
  versionChangedAt: nullableString,
  entryCounts: countsSchema,
};
const summarySchema = { type: 'object', required: Object.keys(summaryProperties), properties: summaryProperties };
const entrySchema = {
  type: 'object',
  required: ['value', 'detail', 'firstSeen', 'lastSeen', 'count', 'addedAfterReady'],
  properties: {
    value: { type: 'string' },
    detail: { type: 'string' },
    firstSeen: { type: 'string' },
    lastSeen: { type: 'string' },
    count: { type: 'integer' },
    addedAfterReady: { type: 'boolean' },
  },
};
const detailSchema = {
  type: 'object',
  required: [...summarySchema.required, 'entries', 'recentAnomalies'],
  properties: {
    ...summaryProperties,
    entries: { type: 'object', required: [...CATEGORIES], properties: Object.fromEntries(CATEGORIES.map((c) => [c, { type: 'array', items: entrySchema }])) },
    recentAnomalies: {
      type: 'array',
      items: { type: 'object', required: ['category', 'item', 'timestamp'], properties: { category: { type: 'string' }, item: { type: 'string' }, timestamp: { type: 'string' } } },
    },
  },
};
const errorSchema = { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' } } };

const filter = (maxLength: number) => ({ type: 'string', maxLength });
const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    namespace: filter(253),
    workload: filter(4096),
    workload_type: filter(253),
    container: filter(253),
    state: { type: 'string', enum: ['', ...PROFILE_STATES] },
    search: filter(256),
    limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000_000, default: 0 },
  },
};
/**
 * The id is the rest of the path (a wildcard), not a `:id` parameter: the router refuses
 * parameters longer than 100 characters with a bare 414, and ids run to 250.
 */
const idParamsSchema = {
  type: 'object',
  required: ['*'],
  additionalProperties: false,
  properties: { '*': { type: 'string', pattern: PROFILE_ID_PATTERN, maxLength: PROFILE_ID_MAX_LENGTH } },
};

/** Query strings are text: numbers are coerced, defaults filled, and unknown parameters refused rather than ignored. */
const requestValidator = new Ajv({ coerceTypes: true, useDefaults: true, removeAdditional: false, allErrors: false, strict: true, allowUnionTypes: true });

function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const where = error.validationContext === 'params' ? 'path parameter' : 'query parameter';
  const params = first.params as Record<string, unknown>;
  if (first.keyword === 'additionalProperties') return `unknown ${where} "${String(params['additionalProperty'])}"`;
  const name = first.instancePath.replace(/^\//, '').replace(/^\*$/, 'id');
  if (first.keyword === 'pattern' && name === 'id') return 'id must be a profile id: lower-case letters, digits, "-" and "." (a DNS-1123 name)';
  if (first.keyword === 'enum') return `${where} ${name} must be one of ${(params['allowedValues'] as unknown[]).filter((v) => v !== '').join(', ')}`;
  return `${where} ${name} ${first.message ?? 'is invalid'}`;
}

export function profileApi(reader: ProfileReader): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(
      async (api) => {
        api.setValidatorCompiler(({ schema }) => requestValidator.compile(schema));
        api.setErrorHandler((error: FastifyError, _request, reply) => {
          if (error.validation) return reply.code(400).send({ error: 'bad_request', message: validationMessage(error) });
          const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
          if (status === 500) api.log.error({ err: error }, 'profile API request failed');
          return reply.code(status).send({ error: status === 500 ? 'internal' : 'bad_request', message: error.message });
        });
        api.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }));

        api.get<{ Querystring: ProfileQuery }>(
          '/profiles',
          { schema: { querystring: listQuerySchema, response: { 200: { type: 'object', required: ['items', 'total', 'limit', 'offset'], properties: { items: { type: 'array', items: summarySchema }, total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' } } }, 400: errorSchema } } },
          async (request) => queryProfiles(await reader.summaries(), request.query),
        );

        api.get<{ Params: { '*': string } }>(
          '/profiles/*',
          { schema: { params: idParamsSchema, response: { 200: detailSchema, 400: errorSchema, 404: errorSchema } } },
          async (request, reply) => {
            const id = request.params['*'];
            const detail = await reader.detail(id);
            if (!detail) return reply.code(404).send({ error: 'not_found', message: `no profile with id ${JSON.stringify(id)}` });
            return detail;
          },
        );
      },
      { prefix: '/api/v1' },
    );
  };
}
