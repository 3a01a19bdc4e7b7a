import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupIndexOptions {
  /** Absolute path of the cgroup2 mount. */
  readonly root: string;
  /** An id still unknown after a rescan is not looked for again for this long. */
  readonly negativeTtlMs: number;
  /** Full rescans happen at most this often, however many unknown ids arrive. */
  readonly minRescanIntervalMs: number;
  /** Stop walking below this many directories, so a pathological tree cannot stall the daemon. */
  readonly maxDirectories: number;
  readonly now?: () => number;
}

/**
 * cgroup id -> path below the cgroup2 root ("/" for the root itself). A BPF
 * cgroup id is the inode number of the cgroup's directory, so a walk of the
 * hierarchy builds the index; mkdir/rmdir records from the kernel keep it current
 * between walks. Unknown ids trigger a rate-limited rescan and are then cached as
 * unknown for a while, so a flood of events from a vanished cgroup costs nothing.
 */
export class CgroupIndex {
  private readonly paths = new Map<string, string>();
  private readonly unknownUntil = new Map<string, number>();
  private lastScan = -Infinity;
  private readonly now: () => number;
  scans = 0;

  constructor(private readonly options: CgroupIndexOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.paths.size;
  }

  resolve(cgroupId: string): string | undefined {
    const known = this.paths.get(cgroupId);
    if (known !== undefined) return known;
    const now = this.now();
    const until = this.unknownUntil.get(cgroupId);
    if (until !== undefined && until > now) return undefined;
    if (now - this.lastScan >= this.options.minRescanIntervalMs) this.rescan();
    const found = this.paths.get(cgroupId);
    if (found !== undefined) {
      this.unknownUntil.delete(cgroupId);
      return found;
    }
    this.unknownUntil.set(cgroupId, now + this.options.negativeTtlMs);
    this.pruneNegativeCache(now);
    return undefined;
  }

  /** From a cgroup_mkdir record: known at once, no walk needed. */
  noteCreated(cgroupId: string, path: string): void {
    this.paths.set(cgroupId, normalizeCgroupPath(path));
    this.unknownUntil.delete(cgroupId);
  }

  noteRemoved(cgroupId: string): void {
    this.paths.delete(cgroupId);
  }

  /** Ids currently known, for tests and debugging. */
  entries(): IterableIterator<[string, string]> {
    return this.paths.entries();
  }

  rescan(): void {
    this.lastScan = this.now();
    this.scans++;
    const found = new Map<string, string>();
    const stack: string[] = ['/'];
    let visited = 0;
    while (stack.length > 0 && visited < this.options.maxDirectories) {
      const relative = stack.pop() ?? '/';
      const absolute = relative === '/' ? this.options.root : join(this.options.root, relative);
      visited++;
      try {
        found.set(statSync(absolute, { bigint: true }).ino.toString(), relative);
        for (const entry of readdirSync(absolute, { withFileTypes: true })) {
          if (entry.isDirectory()) stack.push(relative === '/' ? `/${entry.name}` : `${relative}/${entry.name}`);
        }
      } catch {
        // The cgroup went away while we walked; nothing to index.
      }
    }
    this.paths.clear();
    for (const [id, path] of found) this.paths.set(id, path);
  }

  private pruneNegativeCache(now: number): void {
    if (this.unknownUntil.size < 4096) return;
    for (const [id, until] of this.unknownUntil) if (until <= now) this.unknownUntil.delete(id);
  }
}

export function normalizeCgroupPath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
