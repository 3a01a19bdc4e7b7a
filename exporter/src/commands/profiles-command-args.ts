import { ConfigError } from '../config/cli-flag.js';
import type { WorkloadRef } from '../workloads/workload-ref.js';

/**
 * `NAMESPACE/TYPE/WORKLOAD[/CONTAINER]`, as `telltale profiles import --as` takes it. The
 * namespace is empty outside Kubernetes (`/cgroup/system.slice/nginx.service`). A cgroup
 * workload is a path, so for type `cgroup` everything after the type is the workload and
 * there is no container; other workload names cannot contain `/`.
 */
export function parseWorkloadIdentity(text: string, flag = '--as'): WorkloadRef {
  const parts = text.split('/');
  const usage = `${flag} ${JSON.stringify(text)}: expected NAMESPACE/TYPE/WORKLOAD[/CONTAINER], e.g. prod/deployment/frontend/nginx or /cgroup/system.slice/nginx.service`;
  if (parts.length < 3) throw new ConfigError(usage);
  const [namespace, workloadType, ...rest] = parts as [string, string, ...string[]];
  if (!/^[a-z][a-z0-9-]*$/.test(workloadType)) throw new ConfigError(`${usage} (TYPE ${JSON.stringify(workloadType)} is not a lower-case kind)`);
  if (namespace !== '' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    throw new ConfigError(`${usage} (NAMESPACE ${JSON.stringify(namespace)} is not a Kubernetes namespace name)`);
  }
  if (workloadType === 'cgroup') {
    const workload = rest.join('/');
    if (workload === '') throw new ConfigError(`${usage} (the cgroup path is empty)`);
    return { namespace, workloadType, workload, container: '' };
  }
  if (rest.length > 2 || rest[0] === '') throw new ConfigError(`${usage} (only cgroup workloads contain "/")`);
  return { namespace, workloadType, workload: rest[0] as string, container: rest[1] ?? '' };
}

export function formatWorkloadIdentity(ref: WorkloadRef): string {
  return [ref.namespace, ref.workloadType, ref.workload, ...(ref.container ? [ref.container] : [])].join('/');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** Ids the user probably meant: containing what was typed, or a few edits away (the hash aside). */
export function closeMatches(wanted: string, ids: readonly string[], max = 5): string[] {
  const needle = wanted.toLowerCase();
  const stem = (id: string) => id.replace(/-[0-9a-f]{8}$/, '');
  const scored = ids
    .map((id) => {
      if (id.includes(needle) || (needle.length >= 3 && needle.includes(stem(id)))) return { id, score: 0 };
      const words = needle.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
      if (words.length > 1 && words.every((w) => id.includes(w))) return { id, score: 1 };
      const distance = Math.min(editDistance(needle, id), editDistance(stem(needle), stem(id)));
      return { id, score: distance <= Math.max(2, Math.floor(stem(id).length / 4)) ? distance : Number.POSITIVE_INFINITY };
    })
    .filter((s) => Number.isFinite(s.score))
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1));
  return scored.slice(0, max).map((s) => s.id);
}
