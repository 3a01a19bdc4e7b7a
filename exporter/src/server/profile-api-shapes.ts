import { learningProgress } from '../profiles/lifecycle.js';
import { CATEGORIES, type Category } from '../observations/category.js';
import type { EntryMeta, ProfileDocument } from '../profiles/profile-document.js';
import { parseGram } from '../profiles/ngram-table.js';
import { syscallName } from '../sensor/syscall-names.js';

/**
 * The JSON the Profile API serves (README, "Profile API"): summaries for the list, and
 * per-category entries for one profile. Pure functions of a ProfileDocument, so the
 * daemon's live reader and the store-backed reader produce the same shapes.
 */
export interface ProfileSummary {
  readonly id: string;
  readonly namespace: string;
  readonly workload: string;
  readonly workloadType: string;
  readonly container: string;
  readonly state: string;
  /** 0..1 while learning, 1 once ready or locked. */
  readonly learningProgress: number;
  readonly learningStartedAt: string | null;
  readonly readyAt: string | null;
  /** The latest time anything in the profile changed (lifecycle or an entry sighting). */
  readonly updatedAt: string | null;
  /** The workload version the profile last saw (container image id, pod template hash), and the one before it. */
  readonly version: string | null;
  readonly previousVersion: string | null;
  readonly versionChangedAt: string | null;
  readonly entryCounts: Readonly<Record<Category, number>>;
}

export interface ProfileEntryView {
  readonly value: string;
  readonly detail: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Support: epochs the entry was seen in. */
  readonly count: number;
  readonly addedAfterReady: boolean;
}

export interface RecentAnomaly {
  readonly category: Category;
  readonly item: string;
  readonly timestamp: string;
}

export interface ProfileDetail extends ProfileSummary {
  readonly entries: Readonly<Record<Category, readonly ProfileEntryView[]>>;
  readonly recentAnomalies: readonly RecentAnomaly[];
}

export { learningProgress };

/** The newest timestamp in the document: documents carry no write time of their own. */
export function profileUpdatedAt(document: ProfileDocument): string | null {
  let latest = Number.NEGATIVE_INFINITY;
  const consider = (time: string | null | undefined) => {
    const ms = time ? Date.parse(time) : Number.NaN;
    if (ms > latest) latest = ms;
  };
  for (const time of [document.learningStartedAt, document.readyAt, document.lockedAt, document.lastNoveltyAt, document.versionChangedAt]) consider(time);
  for (const category of CATEGORIES) for (const entry of document.entries[category] as readonly EntryMeta[]) consider(entry.lastSeen);
  return Number.isFinite(latest) ? new Date(latest).toISOString() : null;
}

export function profileSummary(id: string, document: ProfileDocument): ProfileSummary {
  return {
    id,
    namespace: document.workload.namespace,
    workload: document.workload.workload,
    workloadType: document.workload.workloadType,
    container: document.workload.container,
    state: document.state,
    learningProgress: learningProgress(document),
    learningStartedAt: document.learningStartedAt,
    readyAt: document.readyAt,
    updatedAt: profileUpdatedAt(document),
    version: document.version,
    previousVersion: document.previousVersion,
    versionChangedAt: document.versionChangedAt,
    entryCounts: document.entryCounts,
  };
}

function view(value: string, detail: string, meta: EntryMeta): ProfileEntryView {
  return { value, detail, firstSeen: meta.firstSeen, lastSeen: meta.lastSeen, count: meta.support, addedAfterReady: meta.addedAfterReady };
}

/** Syscall numbers as names: `257 0 3` → `openat read close`. */
export function sequenceNames(calls: string): string {
  return parseGram(calls).map(syscallName).join(' ');
}

export function profileEntries(document: ProfileDocument): Record<Category, ProfileEntryView[]> {
  const { entries } = document;
  return {
    // One row per argv pattern: the pattern is what matching uses, and each has its own support.
    exec: entries.exec.flatMap((e) => (e.argv.length === 0 ? [view(e.path, '', e)] : e.argv.map((a) => view(e.path, a.tokens.join(' '), a)))),
    file: entries.file.map((e) => view(e.path, e.modes.join(','), e)),
    syscall: entries.syscall.map((e) => view(syscallName(e.nr), String(e.nr), e)),
    syscall_sequence: entries.syscall_sequence.map((e) => view(sequenceNames(e.calls), e.calls, e)),
    network: entries.network.map((e) => view(e.peer, '', e)),
    dns: entries.dns.map((e) => view(e.name, '', e)),
    capability: entries.capability.map((e) => view(e.name, String(e.nr), e)),
  };
}

export function profileDetail(id: string, document: ProfileDocument, recentAnomalies: readonly RecentAnomaly[]): ProfileDetail {
  return { ...profileSummary(id, document), entries: profileEntries(document), recentAnomalies };
}
