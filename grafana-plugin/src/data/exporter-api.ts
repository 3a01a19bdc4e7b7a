import { EXPORTER_PROXY_BASE } from '../constants.js';
import type { WorkloadIdentity } from '../queries/workload-matchers.js';
import { fetchJson } from './fetch-json.js';
import { parseProfileDetail, parseProfilePage, type ProfileDetail, type ProfilePage, type ProfileSummary } from './profile-types.js';

export interface ProfileFilters {
  readonly namespace?: string;
  readonly workload?: string;
  readonly workload_type?: string;
  readonly container?: string;
  readonly state?: string;
  readonly search?: string;
}

export const PAGE_SIZE = 50;

/**
 * The exporter's read-only Profile API, reached through the app's plugin-proxy route
 * (plugin.json `routes`, target from jsonData.exporterUrl), so the browser never needs to
 * reach the exporter itself.
 */
export class ExporterApi {
  constructor(private readonly base: string = EXPORTER_PROXY_BASE) {}

  async listProfiles(filters: ProfileFilters, offset = 0, limit = PAGE_SIZE): Promise<ProfilePage> {
    const params: Record<string, string | number> = { limit, offset };
    for (const [key, value] of Object.entries(filters)) {
      // An empty filter would be ambiguous (no filter, or "label is empty"); leave it out.
      if (typeof value === 'string' && value !== '') {
        params[key] = value;
      }
    }
    return parseProfilePage(await fetchJson(`${this.base}/api/v1/profiles`, params));
  }

  async getProfile(id: string): Promise<ProfileDetail> {
    return parseProfileDetail(await fetchJson(`${this.base}/api/v1/profiles/${encodeURIComponent(id)}`));
  }

  /**
   * The profile of exactly this workload, or undefined. Filters narrow the list; the final
   * match is on all four labels, paging on until the list ends.
   */
  async findProfile(id: WorkloadIdentity): Promise<ProfileSummary | undefined> {
    const filters: ProfileFilters = {
      namespace: id.namespace,
      workload: id.workload,
      workload_type: id.workload_type,
      container: id.container,
    };
    for (let offset = 0; ; ) {
      const page = await this.listProfiles(filters, offset);
      const match = page.items.find(
        (p) =>
          p.namespace === id.namespace &&
          p.workload === id.workload &&
          p.workloadType === id.workload_type &&
          p.container === id.container,
      );
      if (match) {
        return match;
      }
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) {
        return undefined;
      }
    }
  }
}
