import { CATEGORIES, type Category } from '../queries/metrics.js';
import { isRecord } from './json.js';

/** Shapes of the exporter's Profile API (repository README, "Profile API"). */
export interface ProfileSummary {
  readonly id: string;
  readonly namespace: string;
  readonly workload: string;
  readonly workloadType: string;
  readonly container: string;
  readonly state: string;
  readonly learningProgress: number;
  readonly learningStartedAt: string | null;
  readonly readyAt: string | null;
  readonly updatedAt: string | null;
  readonly previousVersion: string | null;
  readonly entryCounts: Readonly<Partial<Record<Category, number>>>;
}

export interface ProfileEntry {
  readonly value: string;
  readonly detail: string;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly count: number;
  readonly addedAfterReady: boolean;
}

export interface RecentAnomaly {
  readonly category: string;
  readonly item: string;
  readonly timestamp: string;
}

export interface ProfileDetail extends ProfileSummary {
  readonly entries: Readonly<Record<Category, readonly ProfileEntry[]>>;
  readonly recentAnomalies: readonly RecentAnomaly[];
}

export interface ProfilePage {
  readonly items: readonly ProfileSummary[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

export function parseProfilePage(body: unknown): ProfilePage {
  const where = 'GET /api/v1/profiles';
  const record = expectRecord(body, where);
  const items = record['items'];
  if (!Array.isArray(items)) {
    throw new Error(`${where}: "items" is not a list`);
  }
  return {
    items: items.map((item, i) => parseSummary(item, `${where} items[${i}]`)),
    total: expectNumber(record['total'], `${where} total`),
    limit: expectNumber(record['limit'], `${where} limit`),
    offset: expectNumber(record['offset'], `${where} offset`),
  };
}

export function parseProfileDetail(body: unknown): ProfileDetail {
  const where = 'GET /api/v1/profiles/{id}';
  const summary = parseSummary(body, where);
  const record = expectRecord(body, where);
  const rawEntries = expectRecord(record['entries'], `${where} entries`);
  const entries = {} as Record<Category, ProfileEntry[]>;
  for (const category of CATEGORIES) {
    const list = rawEntries[category] ?? [];
    if (!Array.isArray(list)) {
      throw new Error(`${where}: entries.${category} is not a list`);
    }
    entries[category] = list.map((e, i) => parseEntry(e, `${where} entries.${category}[${i}]`));
  }
  const anomalies = record['recentAnomalies'] ?? [];
  if (!Array.isArray(anomalies)) {
    throw new Error(`${where}: recentAnomalies is not a list`);
  }
  return {
    ...summary,
    entries,
    recentAnomalies: anomalies.map((a, i) => {
      const r = expectRecord(a, `${where} recentAnomalies[${i}]`);
      return {
        category: expectString(r['category'], `${where} recentAnomalies[${i}].category`),
        item: expectString(r['item'], `${where} recentAnomalies[${i}].item`),
        timestamp: expectString(r['timestamp'], `${where} recentAnomalies[${i}].timestamp`),
      };
    }),
  };
}

function parseSummary(value: unknown, where: string): ProfileSummary {
  const r = expectRecord(value, where);
  const counts = expectRecord(r['entryCounts'] ?? {}, `${where}.entryCounts`);
  const entryCounts: Partial<Record<Category, number>> = {};
  for (const category of CATEGORIES) {
    if (counts[category] !== undefined) {
      entryCounts[category] = expectNumber(counts[category], `${where}.entryCounts.${category}`);
    }
  }
  return {
    id: expectString(r['id'], `${where}.id`),
    namespace: expectString(r['namespace'], `${where}.namespace`),
    workload: expectString(r['workload'], `${where}.workload`),
    workloadType: expectString(r['workloadType'], `${where}.workloadType`),
    container: expectString(r['container'], `${where}.container`),
    state: expectString(r['state'], `${where}.state`),
    learningProgress: expectNumber(r['learningProgress'], `${where}.learningProgress`),
    learningStartedAt: optionalString(r['learningStartedAt'], `${where}.learningStartedAt`),
    readyAt: optionalString(r['readyAt'], `${where}.readyAt`),
    updatedAt: optionalString(r['updatedAt'], `${where}.updatedAt`),
    previousVersion: optionalString(r['previousVersion'], `${where}.previousVersion`),
    entryCounts,
  };
}

function parseEntry(value: unknown, where: string): ProfileEntry {
  const r = expectRecord(value, where);
  return {
    value: expectString(r['value'], `${where}.value`),
    detail: typeof r['detail'] === 'string' ? r['detail'] : '',
    firstSeen: optionalString(r['firstSeen'], `${where}.firstSeen`),
    lastSeen: optionalString(r['lastSeen'], `${where}.lastSeen`),
    count: typeof r['count'] === 'number' ? r['count'] : 0,
    addedAfterReady: r['addedAfterReady'] === true,
  };
}

function expectRecord(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) {
    throw new Error(`${where}: expected an object`);
  }
  return value;
}

function expectString(value: unknown, where: string): string {
  if (typeof value !== 'string') {
    throw new Error(`${where}: expected a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalString(value: unknown, where: string): string | null {
  return value === null || value === undefined ? null : expectString(value, where);
}

function expectNumber(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${where}: expected a number, got ${JSON.stringify(value)}`);
  }
  return value;
}
