import type { BehaviouralRule } from './behavioural-rule.js';
import { isFileTool } from './programs.js';

const TOKEN_PATHS = /^\/(?:var\/)?run\/secrets\/(?:kubernetes\.io\/serviceaccount\/token|tokens\/[^/]+)$/;

/**
 * Applications using in-cluster config read their token all the time; a shell or a
 * file tool reading it is someone stealing the workload's Kubernetes identity.
 */
export const serviceAccountTokenRead: BehaviouralRule = {
  id: 'service-account-token-read',
  severity: 'warning',
  category: 'file',
  description: 'A shell, interpreter or file tool reading a Kubernetes service-account token',
  evaluate(event) {
    if (event.kind !== 'file' || !event.read || !TOKEN_PATHS.test(event.path)) return null;
    if (!isFileTool(event.process.comm)) return null;
    return { item: event.path, summary: `Service-account token read by ${event.process.comm} (pid ${event.process.pid}): ${event.path}` };
  },
};
