import type { ProfileReader } from '../server/profile-api.js';
import { type ProfileDetail, type ProfileSummary, profileDetail, profileSummary } from '../server/profile-api-shapes.js';
import type { ProfileDocument } from './profile-document.js';
import { CorruptProfileError, type ProfileStore } from './profile-store.js';

/**
 * Serves the Profile API from a store, for `telltale run --no-sensor` and tests: profiles
 * as they were last saved, no anomalies. Each request polls `revisions()` (cheap) and
 * reloads only profiles whose revision changed, so imports and locks done with
 * `telltale profiles` show up on the next request.
 */
export class StoredProfileReader implements ProfileReader {
  private readonly cache = new Map<string, { revision: number; document: ProfileDocument; summary: ProfileSummary }>();
  private refreshing: Promise<void> | null = null;

  constructor(private readonly store: ProfileStore) {}

  async summaries(): Promise<ProfileSummary[]> {
    await this.refresh();
    return [...this.cache.values()].map((entry) => entry.summary);
  }

  async detail(id: string): Promise<ProfileDetail | null> {
    await this.refresh();
    const entry = this.cache.get(id);
    return entry ? profileDetail(id, entry.document, []) : null;
  }

  /** Concurrent requests share one refresh. */
  private refresh(): Promise<void> {
    this.refreshing ??= this.reload().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async reload(): Promise<void> {
    const revisions = await this.store.revisions();
    for (const id of this.cache.keys()) if (!revisions.has(id)) this.cache.delete(id);
    for (const [id, revision] of revisions) {
      if (this.cache.get(id)?.revision === revision) continue;
      try {
        const stored = await this.store.load(id);
        if (stored) this.cache.set(id, { revision: stored.revision, document: stored.document, summary: profileSummary(id, stored.document) });
        else this.cache.delete(id);
      } catch (error) {
        // Unreadable: the store has reported it (and counted it); serve the others.
        if (!(error instanceof CorruptProfileError)) throw error;
        this.cache.delete(id);
      }
    }
  }
}
