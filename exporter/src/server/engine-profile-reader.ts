import type { ProfileEngine } from '../profiles/profile-engine.js';
import type { ProfileReader } from './profile-api.js';
import { profileDetail, profileSummary, type ProfileDetail, type ProfileSummary } from './profile-api-shapes.js';

/** The Profile API from the live engine: profiles as they are now, with their recent anomalies. */
export class EngineProfileReader implements ProfileReader {
  constructor(private readonly engine: ProfileEngine) {}

  summaries(): ProfileSummary[] {
    return this.engine.snapshots().map((snapshot) => profileSummary(snapshot.id, snapshot.document));
  }

  detail(id: string): ProfileDetail | null {
    const snapshot = this.engine.snapshotOf(id);
    return snapshot ? profileDetail(id, snapshot.document, snapshot.recentAnomalies) : null;
  }
}
