import type { CgroupIndex } from './cgroup-index.js';
import { matchContainerCgroup, shortContainerId } from './container-runtimes.js';
import type { ContainerIdentity, ContainerNameResolver } from './container-names.js';
import type { WorkloadRef } from './workload-ref.js';

/** The workload label of the cgroup2 root itself, where every process starts on a hybrid host. */
export const ROOT_CGROUP_WORKLOAD = '/';

/**
 * Standalone attribution, the embedded default: every cgroup v2 directory with
 * processes is a workload named by its path, and cgroups of known container
 * runtimes are containers named by the runtime (or by their short id). Kubernetes
 * attribution will produce the same WorkloadRef from pod owners.
 */
export class StandaloneAttributor {
  private readonly cache = new Map<string, WorkloadRef>();

  constructor(
    private readonly index: CgroupIndex,
    private readonly names: ContainerNameResolver,
  ) {}

  /** null: the cgroup could not be resolved (it vanished, or was never seen). */
  attribute(cgroupId: string): WorkloadRef | null {
    const cached = this.cache.get(cgroupId);
    if (cached) return cached;
    const path = this.index.resolve(cgroupId);
    if (path === undefined) return null;
    const ref = workloadForCgroupPath(path, (container) => this.names.identify(container));
    // A container without a name yet is not cached, so the name is used once it appears.
    if (ref.workloadType !== 'container' || !/^[0-9a-f]{12}$/.test(ref.workload)) this.cache.set(cgroupId, ref);
    return ref;
  }

  /** The cgroup went away; its id will not come back. */
  forget(cgroupId: string): void {
    this.cache.delete(cgroupId);
  }
}

export function workloadForCgroupPath(
  path: string,
  identify: (container: NonNullable<ReturnType<typeof matchContainerCgroup>>) => ContainerIdentity | null,
): WorkloadRef {
  const container = matchContainerCgroup(path);
  if (container) {
    const identity = identify(container);
    return {
      namespace: '',
      workload: identity?.name ?? shortContainerId(container.id),
      workloadType: 'container',
      container: '',
      ...(identity?.image ? { version: identity.image } : {}),
    };
  }
  const workload = path === '/' ? ROOT_CGROUP_WORKLOAD : path.replace(/^\//, '');
  return { namespace: '', workload, workloadType: 'cgroup', container: '' };
}
