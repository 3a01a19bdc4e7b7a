/**
 * The identity every step after attribution sees. Standalone mode fills it from
 * cgroup paths and container runtimes; Kubernetes attribution fills the same fields
 * from pod owners, so profiles, scores and metrics never care where it came from.
 */
export interface WorkloadRef {
  /** Kubernetes namespace; empty outside Kubernetes. */
  readonly namespace: string;
  /** Workload name: a cgroup path below the cgroup2 root, a container name, or a Kubernetes owner name. */
  readonly workload: string;
  /** `cgroup`, `container`, or a Kubernetes owner kind in lower case (`deployment`, `daemonset`, …). */
  readonly workloadType: string;
  /** Container name; empty where the workload is not a container. */
  readonly container: string;
  /**
   * The workload's version where one is known (a container image id; a pod template
   * hash under Kubernetes). Not part of the identity: a new version is the same
   * workload, and its profile carries over.
   */
  readonly version?: string;
}

/** The label set shared by every per-workload metric, spelled the kube-state-metrics way. */
export interface WorkloadLabels {
  readonly namespace: string;
  readonly workload: string;
  readonly workload_type: string;
  readonly container: string;
}

export function workloadLabels(ref: WorkloadRef): WorkloadLabels {
  return {
    namespace: ref.namespace,
    workload: ref.workload,
    workload_type: ref.workloadType,
    container: ref.container,
  };
}

/** A stable string key for maps; not for display. */
export function workloadKey(ref: WorkloadRef): string {
  return [ref.namespace, ref.workloadType, ref.workload, ref.container].map(encodeURIComponent).join('/');
}

export function sameWorkload(a: WorkloadRef, b: WorkloadRef): boolean {
  return workloadKey(a) === workloadKey(b);
}
