import { readFileSync } from 'node:fs';

/** Decodes the octal escapes mountinfo uses for spaces, tabs, newlines and backslashes. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/**
 * Finds where the cgroup v2 hierarchy is mounted. Hybrid hosts mount it below
 * /sys/fs/cgroup (e.g. /sys/fs/cgroup/unified), so the fixed path is not enough.
 * Returns null when no cgroup2 mount exists.
 */
export function findCgroup2Mount(mountinfo: string): string | null {
  for (const line of mountinfo.split('\n')) {
    const separator = line.indexOf(' - ');
    if (separator === -1) continue;
    const fields = line.slice(0, separator).split(' ');
    const fsType = line.slice(separator + 3).split(' ')[0];
    const mountPoint = fields[4];
    if (fsType === 'cgroup2' && mountPoint) return unescapeMountField(mountPoint);
  }
  return null;
}

export function findCgroup2MountOfThisProcess(): string | null {
  return findCgroup2Mount(readFileSync('/proc/self/mountinfo', 'utf8'));
}
