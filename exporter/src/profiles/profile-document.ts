import type { Category } from '../observations/category.js';
import { CATEGORIES } from '../observations/category.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';
import { capabilityName } from './capability-names.js';
import type { EntryStats } from './entry-stats.js';
import { parseGram, renderGram } from './ngram-table.js';
import { FILE_ACCESS_MODES, type FileAccess } from './observation.js';
import { OverflowFilter } from './overflow-filter.js';
import type { ProfileConfig } from './profile-config.js';
import { type CategoryCounts, WorkloadProfile, zeroCounts } from './profile-model.js';

/**
 * The persisted form of a profile: plain JSON-compatible data, deterministic in order
 * (entries sorted, patterns as strings), so a stored YAML diff shows exactly what the
 * workload learned. The store adds the file format and JSON-schema validation; this
 * module owns the shape and the conversion, and rejects malformed documents with an
 * error naming the offending field.
 */
export const PROFILE_DOCUMENT_VERSION = 1;
export const PROFILE_STATES = ['learning', 'ready', 'locked'] as const;
export type ProfileState = (typeof PROFILE_STATES)[number];

export interface EntryMeta {
  /** Epochs the entry was seen in. */
  support: number;
  firstSeen: string;
  lastSeen: string;
  addedAfterReady: boolean;
}

export interface ExecEntryDocument extends EntryMeta {
  path: string;
  /** argv patterns: token lists; `*` is a glob inside a token, a final `**` any further tokens. */
  argv: ({ tokens: string[] } & EntryMeta)[];
}
export interface FileEntryDocument extends EntryMeta {
  path: string;
  modes: FileAccess[];
}
export interface SyscallEntryDocument extends EntryMeta {
  nr: number;
}
export interface SequenceEntryDocument extends EntryMeta {
  /** Syscall numbers separated by single spaces, oldest first. */
  calls: string;
}
export interface NetworkEntryDocument extends EntryMeta {
  /** `<direction> <protocol> <host or CIDR or name or *>:<port or *>` */
  peer: string;
}
export interface DnsEntryDocument extends EntryMeta {
  name: string;
}
export interface CapabilityEntryDocument extends EntryMeta {
  nr: number;
  name: string;
}

/** Per-category calibration, written by the scoring calibrator (scoring/calibrator.ts). */
export interface CategoryCalibrationDocument {
  /** Calibration windows observed. */
  samples: number;
  /** The largest raw window values seen, descending (bounded; enough for the target quantile). */
  top: number[];
}

export interface CalibrationDocument {
  /** False-alarm rate per window that a score of 0.9 stands for. */
  targetFalseAlarmRate: number;
  categories: Partial<Record<Category, CategoryCalibrationDocument>>;
  overall: CategoryCalibrationDocument;
}

export const READY_REASONS = ['period', 'stable', 'overdue', 'operator'] as const;
export type ReadyReason = (typeof READY_REASONS)[number];

export interface ProfileLifecycleFields {
  state: ProfileState;
  learningStartedAt: string | null;
  readyAt: string | null;
  lockedAt: string | null;
  learningPeriodSeconds: number;
  /** Time spent learning while an exporter was running: restarts resume from here, downtime does not count. */
  learnedSeconds: number;
  /** Last time learning added an entry (sequences aside), for people and dashboards. */
  lastNoveltyAt: string | null;
  /**
   * learnedSeconds when learning last added an entry (sequences aside): stability is
   * measured in learning time from here, so downtime never makes a profile look quiet.
   */
  learnedSecondsAtLastNovelty: number | null;
  /** Why the profile became ready: the period ran out, it was stable early, it stayed unstable too long, or an operator said so. */
  readyReason: ReadyReason | null;
  /** Keep learning after ready (entries are then marked addedAfterReady); never for locked profiles. */
  learnAfterReady: boolean;
  /** Version of the workload the profile last saw (a container image id, a pod template hash), if known. */
  version: string | null;
  /** The version before the last change, or null; with versionChangedAt, makes a rollout visible. */
  previousVersion: string | null;
  versionChangedAt: string | null;
}

export interface ProfileDocument extends ProfileLifecycleFields {
  schemaVersion: typeof PROFILE_DOCUMENT_VERSION;
  workload: { namespace: string; workload: string; workloadType: string; container: string };
  /** Epochs learned: the denominator of every support count. */
  epochs: number;
  /** The generalization settings the entries were made with. */
  generalization: ProfileConfig;
  entryCounts: CategoryCounts;
  /** Items folded into wildcards or dropped because the budget was reached. */
  overflow: CategoryCounts;
  /** Strings cut to the maximum length. */
  truncated: CategoryCounts;
  /** The budget's Bloom filter (base64), present only once something overflowed. */
  overflowFilter: { items: number; bits: string } | null;
  entries: {
    exec: ExecEntryDocument[];
    file: FileEntryDocument[];
    syscall: SyscallEntryDocument[];
    syscall_sequence: SequenceEntryDocument[];
    network: NetworkEntryDocument[];
    dns: DnsEntryDocument[];
    capability: CapabilityEntryDocument[];
  };
  calibration: CalibrationDocument | null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function meta(stats: EntryStats): EntryMeta {
  return { support: stats.support, firstSeen: iso(stats.firstSeen), lastSeen: iso(stats.lastSeen), addedAfterReady: stats.addedAfterReady };
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function compareCalls(a: string, b: string): number {
  const x = parseGram(a);
  const y = parseGram(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  }
  return x.length - y.length;
}

export function toProfileDocument(
  profile: WorkloadProfile,
  workload: WorkloadRef,
  lifecycle: ProfileLifecycleFields,
  calibration: CalibrationDocument | null,
): ProfileDocument {
  const filter = profile.overflowFilterState;
  return {
    schemaVersion: PROFILE_DOCUMENT_VERSION,
    workload: {
      namespace: workload.namespace,
      workload: workload.workload,
      workloadType: workload.workloadType,
      container: workload.container,
    },
    state: lifecycle.state,
    learningStartedAt: lifecycle.learningStartedAt,
    readyAt: lifecycle.readyAt,
    lockedAt: lifecycle.lockedAt,
    learningPeriodSeconds: lifecycle.learningPeriodSeconds,
    learnedSeconds: lifecycle.learnedSeconds,
    lastNoveltyAt: lifecycle.lastNoveltyAt,
    learnedSecondsAtLastNovelty: lifecycle.learnedSecondsAtLastNovelty,
    readyReason: lifecycle.readyReason,
    learnAfterReady: lifecycle.learnAfterReady,
    version: lifecycle.version,
    previousVersion: lifecycle.previousVersion,
    versionChangedAt: lifecycle.versionChangedAt,
    epochs: profile.epochs,
    generalization: { ...profile.config, pathFanoutOverrides: { ...profile.config.pathFanoutOverrides } },
    entryCounts: profile.entryCounts(),
    overflow: { ...profile.overflow },
    truncated: { ...profile.truncated },
    overflowFilter: filter.count > 0 ? { items: filter.count, bits: filter.toBase64() } : null,
    entries: {
      exec: profile
        .execEntries()
        .map((e) => ({
          path: e.path,
          ...meta(e.value.stats),
          argv: e.value.argv
            .map((a) => ({ tokens: [...a.pattern], ...meta(a.stats) }))
            .sort((a, b) => byString(a.tokens.join('\u0000'), b.tokens.join('\u0000'))),
        }))
        .sort((a, b) => byString(a.path, b.path)),
      file: profile
        .fileEntries()
        .map((e) => ({ path: e.path, modes: FILE_ACCESS_MODES.filter((m) => e.value.modes.has(m)), ...meta(e.value.stats) }))
        .sort((a, b) => byString(a.path, b.path)),
      syscall: profile
        .syscallEntries()
        .map(([nr, stats]) => ({ nr, ...meta(stats) }))
        .sort((a, b) => a.nr - b.nr),
      syscall_sequence: profile.ngrams
        .entries()
        .map(([key, stats]) => ({ calls: renderGram(key), ...meta(stats) }))
        .sort((a, b) => compareCalls(a.calls, b.calls)),
      network: profile
        .peerEntries()
        .map(([peer, stats]) => ({ peer, ...meta(stats) }))
        .sort((a, b) => byString(a.peer, b.peer)),
      dns: profile
        .dnsEntries()
        .map((e) => ({ name: e.name, ...meta(e.stats) }))
        .sort((a, b) => byString(a.name, b.name)),
      capability: profile
        .capabilityEntries()
        .map(([nr, stats]) => ({ nr, name: capabilityName(nr), ...meta(stats) }))
        .sort((a, b) => a.nr - b.nr),
    },
    calibration,
  };
}

export interface LoadedProfile {
  profile: WorkloadProfile;
  workload: WorkloadRef;
  lifecycle: ProfileLifecycleFields;
  calibration: CalibrationDocument | null;
}

class DocumentReader {
  constructor(private readonly path: string) {}
  at(key: string | number): DocumentReader {
    return new DocumentReader(typeof key === 'number' ? `${this.path}[${key}]` : `${this.path}.${key}`);
  }
  fail(expected: string, got: unknown): never {
    throw new Error(`profile document: ${this.path} must be ${expected}, got ${JSON.stringify(got) ?? String(got)}`);
  }
  object(value: unknown): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail('an object', value);
    return value as Record<string, unknown>;
  }
  array(value: unknown): unknown[] {
    if (!Array.isArray(value)) this.fail('an array', value);
    return value;
  }
  string(value: unknown): string {
    if (typeof value !== 'string') this.fail('a string', value);
    return value;
  }
  nullableString(value: unknown): string | null {
    return value === null || value === undefined ? null : this.string(value);
  }
  count(value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) this.fail('a non-negative integer', value);
    return value;
  }
  number(value: unknown): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail('a finite number', value);
    return value;
  }
  boolean(value: unknown): boolean {
    if (typeof value !== 'boolean') this.fail('a boolean', value);
    return value;
  }
  time(value: unknown): number {
    const ms = Date.parse(this.string(value));
    if (Number.isNaN(ms)) this.fail('an ISO timestamp', value);
    return ms;
  }
}

function readStats(r: DocumentReader, raw: Record<string, unknown>): EntryStats {
  return {
    support: r.at('support').count(raw.support),
    firstSeen: r.at('firstSeen').time(raw.firstSeen),
    lastSeen: r.at('lastSeen').time(raw.lastSeen),
    lastEpoch: -Infinity,
    addedAfterReady: r.at('addedAfterReady').boolean(raw.addedAfterReady),
  };
}

function readCounts(r: DocumentReader, raw: unknown): CategoryCounts {
  const counts = zeroCounts();
  if (raw === undefined) return counts;
  const obj = r.object(raw);
  for (const c of CATEGORIES) if (obj[c] !== undefined) counts[c] = r.at(c).count(obj[c]);
  return counts;
}

function readCalibrationCategory(r: DocumentReader, raw: unknown): CategoryCalibrationDocument {
  const obj = r.object(raw);
  return { samples: r.at('samples').count(obj.samples), top: r.at('top').array(obj.top).map((v, i) => r.at('top').at(i).number(v)) };
}

export function readCalibrationDocument(raw: unknown, path = 'calibration'): CalibrationDocument | null {
  const r = new DocumentReader(path);
  if (raw === null || raw === undefined) return null;
  const obj = r.object(raw);
  const categories: Partial<Record<Category, CategoryCalibrationDocument>> = {};
  const cats = r.at('categories').object(obj.categories);
  for (const [key, value] of Object.entries(cats)) {
    if (!(CATEGORIES as readonly string[]).includes(key)) r.at('categories').fail(`keyed by categories (${CATEGORIES.join(', ')})`, key);
    categories[key as Category] = readCalibrationCategory(r.at('categories').at(key), value);
  }
  return {
    targetFalseAlarmRate: r.at('targetFalseAlarmRate').number(obj.targetFalseAlarmRate),
    categories,
    overall: readCalibrationCategory(r.at('overall'), obj.overall),
  };
}

function readReadyReason(r: DocumentReader, value: unknown): ReadyReason {
  const text = r.string(value);
  if (!(READY_REASONS as readonly string[]).includes(text)) r.fail(READY_REASONS.join(' | '), text);
  return text as ReadyReason;
}

export function fromProfileDocument(raw: unknown): LoadedProfile {
  const r = new DocumentReader('profile');
  const doc = r.object(raw);
  if (doc.schemaVersion !== PROFILE_DOCUMENT_VERSION) r.at('schemaVersion').fail(`${PROFILE_DOCUMENT_VERSION}`, doc.schemaVersion);
  const w = r.at('workload').object(doc.workload);
  const workload: WorkloadRef = {
    namespace: r.at('workload.namespace').string(w.namespace),
    workload: r.at('workload.workload').string(w.workload),
    workloadType: r.at('workload.workloadType').string(w.workloadType),
    container: r.at('workload.container').string(w.container),
  };
  const state = r.at('state').string(doc.state);
  if (!(PROFILE_STATES as readonly string[]).includes(state)) r.at('state').fail(PROFILE_STATES.join(' | '), state);
  const lifecycle: ProfileLifecycleFields = {
    state: state as ProfileState,
    learningStartedAt: r.at('learningStartedAt').nullableString(doc.learningStartedAt),
    readyAt: r.at('readyAt').nullableString(doc.readyAt),
    lockedAt: r.at('lockedAt').nullableString(doc.lockedAt),
    learningPeriodSeconds: r.at('learningPeriodSeconds').count(doc.learningPeriodSeconds),
    // Fields added after schema version 1 first shipped default when a hand-written document leaves them out.
    learnedSeconds: doc.learnedSeconds === undefined ? 0 : r.at('learnedSeconds').number(doc.learnedSeconds),
    lastNoveltyAt: doc.lastNoveltyAt === undefined ? null : r.at('lastNoveltyAt').nullableString(doc.lastNoveltyAt),
    learnedSecondsAtLastNovelty: null,
    readyReason: doc.readyReason === undefined || doc.readyReason === null ? null : readReadyReason(r.at('readyReason'), doc.readyReason),
    learnAfterReady: doc.learnAfterReady === undefined ? false : r.at('learnAfterReady').boolean(doc.learnAfterReady),
    version: doc.version === undefined ? null : r.at('version').nullableString(doc.version),
    previousVersion: r.at('previousVersion').nullableString(doc.previousVersion),
    versionChangedAt: doc.versionChangedAt === undefined ? null : r.at('versionChangedAt').nullableString(doc.versionChangedAt),
  };
  // Documents written before the field existed: quiet time starts over at load, never from a wall-clock gap.
  lifecycle.learnedSecondsAtLastNovelty =
    doc.learnedSecondsAtLastNovelty === undefined || doc.learnedSecondsAtLastNovelty === null
      ? lifecycle.lastNoveltyAt === null
        ? null
        : lifecycle.learnedSeconds
      : Math.min(lifecycle.learnedSeconds, r.at('learnedSecondsAtLastNovelty').number(doc.learnedSecondsAtLastNovelty));
  const gen = r.at('generalization').object(doc.generalization);
  const profile = new WorkloadProfile(gen as Partial<ProfileConfig>);
  const entries = r.at('entries').object(doc.entries);
  const list = (category: Category): { reader: DocumentReader; raw: Record<string, unknown> }[] => {
    const er = r.at('entries').at(category);
    const items = entries[category] === undefined ? [] : er.array(entries[category]);
    return items.map((item, i) => ({ reader: er.at(i), raw: er.at(i).object(item) }));
  };
  const filter = doc.overflowFilter === null || doc.overflowFilter === undefined ? undefined : r.at('overflowFilter').object(doc.overflowFilter);
  profile.restore({
    epochs: r.at('epochs').count(doc.epochs),
    execs: list('exec').map(({ reader, raw: e }) => ({
      path: reader.at('path').string(e.path),
      stats: readStats(reader, e),
      argv: reader
        .at('argv')
        .array(e.argv)
        .map((a, i) => {
          const ar = reader.at('argv').at(i);
          const obj = ar.object(a);
          return { pattern: ar.at('tokens').array(obj.tokens).map((t, j) => ar.at('tokens').at(j).string(t)), stats: readStats(ar, obj) };
        }),
    })),
    files: list('file').map(({ reader, raw: e }) => ({
      path: reader.at('path').string(e.path),
      stats: readStats(reader, e),
      modes: reader
        .at('modes')
        .array(e.modes)
        .map((m, i) => {
          const mode = reader.at('modes').at(i).string(m);
          if (!(FILE_ACCESS_MODES as readonly string[]).includes(mode)) reader.at('modes').at(i).fail(FILE_ACCESS_MODES.join(' | '), mode);
          return mode as FileAccess;
        }),
    })),
    syscalls: list('syscall').map(({ reader, raw: e }) => [reader.at('nr').count(e.nr), readStats(reader, e)]),
    sequences: list('syscall_sequence').map(({ reader, raw: e }) => {
      const text = reader.at('calls').string(e.calls);
      try {
        return [parseGram(text), readStats(reader, e)];
      } catch {
        return reader.at('calls').fail('space-separated syscall numbers', text);
      }
    }),
    peers: list('network').map(({ reader, raw: e }) => [reader.at('peer').string(e.peer), readStats(reader, e)]),
    dns: list('dns').map(({ reader, raw: e }) => [reader.at('name').string(e.name), readStats(reader, e)]),
    capabilities: list('capability').map(({ reader, raw: e }) => [reader.at('nr').count(e.nr), readStats(reader, e)]),
    overflow: readCounts(r.at('overflow'), doc.overflow),
    truncated: readCounts(r.at('truncated'), doc.truncated),
    overflowFilter: filter
      ? OverflowFilter.fromBase64(r.at('overflowFilter.bits').string(filter.bits), r.at('overflowFilter.items').count(filter.items))
      : undefined,
  });
  return { profile, workload, lifecycle, calibration: readCalibrationDocument(doc.calibration) };
}
