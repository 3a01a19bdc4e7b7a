/** Container runtimes Telltale recognizes in cgroup paths. */
export type ContainerRuntime = 'docker' | 'containerd' | 'cri-o' | 'podman';

export interface ContainerCgroup {
  readonly runtime: ContainerRuntime;
  /** Full 64-hex container id. */
  readonly id: string;
  /** The cgroup path up to and including the container's own directory. */
  readonly containerPath: string;
}

const HEX64 = '([0-9a-f]{64})';

/**
 * Each runtime names container cgroups its own way, under the systemd and the
 * cgroupfs drivers. The runtime's helper processes (conmon, shims) live in
 * sibling cgroups and are deliberately not matched: they are not the container.
 */
const PATTERNS: ReadonlyArray<{ runtime: ContainerRuntime; segment: RegExp; parent?: RegExp }> = [
  { runtime: 'docker', segment: new RegExp(`^docker-${HEX64}\\.scope$`) },
  { runtime: 'docker', segment: new RegExp(`^${HEX64}$`), parent: /^docker$/ },
  { runtime: 'podman', segment: new RegExp(`^libpod-${HEX64}(?:\\.scope)?$`) },
  { runtime: 'cri-o', segment: new RegExp(`^crio-${HEX64}(?:\\.scope)?$`) },
  { runtime: 'containerd', segment: new RegExp(`^cri-containerd-${HEX64}\\.scope$`) },
  { runtime: 'containerd', segment: new RegExp(`^containerd-${HEX64}\\.scope$`) },
  // cgroupfs driver under Kubernetes: /kubepods/<qos>/pod<uid>/<id>
  { runtime: 'containerd', segment: new RegExp(`^${HEX64}$`), parent: /^pod[0-9a-f_-]{36}$/ },
];

/** Finds the innermost container a cgroup belongs to (a container may nest cgroups inside). */
export function matchContainerCgroup(cgroupPath: string): ContainerCgroup | null {
  const segments = cgroupPath.split('/').filter((s) => s !== '');
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i] ?? '';
    for (const pattern of PATTERNS) {
      const match = pattern.segment.exec(segment);
      if (!match) continue;
      if (pattern.parent && !pattern.parent.test(segments[i - 1] ?? '')) continue;
      return { runtime: pattern.runtime, id: match[1] ?? '', containerPath: '/' + segments.slice(0, i + 1).join('/') };
    }
  }
  return null;
}

export function shortContainerId(id: string): string {
  return id.slice(0, 12);
}
