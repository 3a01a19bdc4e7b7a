import type { Category } from '../observations/category.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';
import type { ProfileDocument, ProfileState } from './profile-document.js';
import { formatProfileProblem, type ProfileProblem } from './profile-store-format.js';

/**
 * Where profiles live between runs, behind one interface so the embedded filesystem store
 * and the Kubernetes CRD backend are interchangeable.
 *
 * Concurrency is optimistic: every stored profile has a revision, bumped by each write;
 * `save` names the revision it read and fails with RevisionConflictError when somebody
 * else (an operator's `telltale profiles import` or `lock`) wrote in between. The daemon
 * then reloads instead of overwriting the operator's edit. `revisions()` is cheap enough
 * to poll every few seconds to notice such edits.
 *
 * Mapping onto a CRD backend (WorkloadProfile objects, one per profile id):
 * - id            ↔ metadata.name (profile ids are DNS-1123 subdomains for this reason)
 * - document      ↔ spec (the published schema is the CRD's openAPIV3Schema, see
 *                   toCrdOpenApiV3Schema)
 * - revision      ↔ metadata.generation, which the API server bumps on every spec change;
 *                   the backend keeps the object's resourceVersion next to it and sends it
 *                   with each update, so the API server's 409 Conflict becomes
 *                   RevisionConflictError. `expectedRevision: null` is a create (409
 *                   AlreadyExists → conflict).
 * - revisions()   ↔ an informer cache (list + watch) of name → generation: no API call per poll.
 * - loadAll()     ↔ list; objects that fail to decode are problems. Nothing is quarantined
 *                   there: the API server validates against the schema on write.
 * - update        ↔ get, then update with its resourceVersion, again on 409 Conflict (the
 *                   filesystem store runs it under its directory lock instead).
 * - delete        ↔ delete with a resourceVersion precondition.
 */
export interface StoredProfile {
  readonly id: string;
  readonly revision: number;
  readonly document: ProfileDocument;
}

/** What `list` shows without handing out whole documents. */
export interface StoredProfileSummary {
  readonly id: string;
  readonly revision: number;
  readonly workload: WorkloadRef;
  readonly state: ProfileState;
  readonly entryCounts: Readonly<Record<Category, number>>;
}

/** Failed-operation names: the `operation` label of telltale_profile_store_errors_total. */
export const PROFILE_STORE_OPERATIONS = ['load', 'save', 'quarantine', 'delete'] as const;
export type ProfileStoreOperation = (typeof PROFILE_STORE_OPERATIONS)[number];

/** A profile that could not be read, or an operation that failed, with where and why. */
export interface StoreProblem {
  readonly operation: ProfileStoreOperation;
  /** The file (or object) concerned. */
  readonly source: string;
  /** The profile id, when the file name is one. */
  readonly id?: string | undefined;
  /** One line, for logs. */
  readonly message: string;
  /** Every located reason (file, line, column, field); empty for I/O failures. */
  readonly problems: readonly ProfileProblem[];
  /** Where the unreadable file was moved, when it was quarantined. */
  readonly quarantinedTo?: string | undefined;
}

export function formatStoreProblem(problem: StoreProblem): string {
  const head = `${problem.operation} ${problem.source}: ${problem.message}${problem.quarantinedTo ? ` (moved to ${problem.quarantinedTo})` : ''}`;
  return [head, ...problem.problems.map((p) => `  ${formatProfileProblem(p)}`)].join('\n');
}

/**
 * Called once per failure; the daemon counts these as
 * telltale_profile_store_errors_total{operation} and logs them. A revision conflict is not
 * a failure (it is how concurrent writers learn of each other) and is not reported.
 */
export type StoreErrorListener = (problem: StoreProblem) => void;

export interface LoadAllResult {
  readonly profiles: StoredProfile[];
  /** Unreadable profiles (quarantined when the store is configured to). */
  readonly problems: StoreProblem[];
}

export interface UpdateResult {
  /** The profile as it was before the change. */
  readonly previous: StoredProfile | null;
  /** The new revision, or null when `change` left the profile as it was. */
  readonly saved: number | null;
}

export interface ListResult {
  readonly profiles: StoredProfileSummary[];
  readonly problems: StoreProblem[];
}

export interface ProfileStore {
  /** Where the store keeps profiles, for messages (`/var/lib/telltale/profiles`). */
  readonly location: string;
  /** Readable profiles, sorted by id; unreadable ones are reported, not thrown. */
  list(): Promise<ListResult>;
  /** null when there is no such profile. Throws CorruptProfileError for an unreadable one. */
  load(id: string): Promise<StoredProfile | null>;
  loadAll(): Promise<LoadAllResult>;
  /**
   * Writes a profile and returns its new revision. `expectedRevision` is the revision the
   * caller last read, or null for "must not exist yet"; anything else is a
   * RevisionConflictError and nothing is written.
   */
  save(id: string, document: ProfileDocument, expectedRevision: number | null): Promise<number>;
  /**
   * Read-modify-write that cannot starve behind a busy writer: `change` gets the current
   * profile (null when there is none) and returns the new document, or null to leave it.
   * Throws CorruptProfileError for an unreadable profile. Operators' edits (lock, import)
   * use this; the daemon uses `save` with the revision it holds.
   */
  update(id: string, change: (current: StoredProfile | null) => ProfileDocument | null): Promise<UpdateResult>;
  /** Removes a profile; false when there was none. With `expectedRevision`, only that revision. */
  delete(id: string, expectedRevision?: number): Promise<boolean>;
  /** id → revision of every readable profile, cheap enough to poll. */
  revisions(): Promise<Map<string, number>>;
}

export class RevisionConflictError extends Error {
  constructor(
    readonly id: string,
    readonly expectedRevision: number | null,
    readonly actualRevision: number | null,
    /** The revision matches but the file was edited in place (by hand) since it was read. */
    readonly editedInPlace = false,
  ) {
    const expected = expectedRevision === null ? 'no stored profile' : `revision ${expectedRevision}`;
    const found = actualRevision === null ? 'none' : `revision ${actualRevision}${editedInPlace ? ', edited in place since it was read' : ''}`;
    super(`profile ${id} changed concurrently: expected ${expected}, found ${found}`);
    this.name = 'RevisionConflictError';
  }
}

/** A stored profile that cannot be read; `problems` locate every reason. */
export class CorruptProfileError extends Error {
  constructor(
    readonly id: string,
    readonly problems: readonly ProfileProblem[],
  ) {
    super(`profile ${id} is unreadable:\n${problems.map((p) => `  ${formatProfileProblem(p)}`).join('\n')}`);
    this.name = 'CorruptProfileError';
  }
}

/** A document the store refuses to write (it would not read it back). */
export class InvalidProfileDocumentError extends Error {
  constructor(
    readonly id: string,
    readonly problems: readonly ProfileProblem[],
  ) {
    super(`refusing to store profile ${id}: ${problems.map((p) => `${p.field ? `${p.field}: ` : ''}${p.message}`).join('; ')}`);
    this.name = 'InvalidProfileDocumentError';
  }
}

export function summarizeStoredProfile(profile: StoredProfile): StoredProfileSummary {
  return {
    id: profile.id,
    revision: profile.revision,
    workload: profile.document.workload,
    state: profile.document.state,
    entryCounts: profile.document.entryCounts,
  };
}
