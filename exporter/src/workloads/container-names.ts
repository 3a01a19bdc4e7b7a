import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerCgroup } from './container-runtimes.js';

/** What a runtime knows about a container: its name and the image it runs. */
export interface ContainerIdentity {
  readonly name: string;
  /** Image id, where the source knows it. */
  readonly image: string | null;
}

/** One place a runtime keeps container names. Returns null when it does not know the id. */
export interface ContainerNameSource {
  readonly description: string;
  identify(container: ContainerCgroup): ContainerIdentity | null;
}

/** Docker: /var/lib/docker/containers/<id>/config.v2.json has "Name": "/web". */
export function dockerConfigNames(dockerRoot = '/var/lib/docker'): ContainerNameSource {
  return {
    description: `docker state in ${dockerRoot}`,
    identify(container) {
      if (container.runtime !== 'docker') return null;
      try {
        const config: unknown = JSON.parse(readFileSync(join(dockerRoot, 'containers', container.id, 'config.v2.json'), 'utf8'));
        if (typeof config !== 'object' || config === null) return null;
        const name = 'Name' in config ? config.Name : null;
        const image = 'Image' in config && typeof config.Image === 'string' ? config.Image : null;
        return typeof name === 'string' && name !== '' ? { name: name.replace(/^\//, ''), image } : null;
      } catch {
        return null;
      }
    },
  };
}

interface StorageContainer {
  readonly id: string;
  readonly names: readonly string[];
  readonly image?: string;
}

/**
 * podman and CRI-O keep containers in containers/storage: <root>/<driver>-containers/
 * containers.json lists ids with their names. Files are re-read when they change.
 */
export function containerStorageNames(storageRoots: readonly string[]): ContainerNameSource {
  const cache = new Map<string, { mtimeMs: number; containers: Map<string, ContainerIdentity> }>();
  const load = (file: string): Map<string, ContainerIdentity> => {
    const mtimeMs = statSync(file).mtimeMs;
    const cached = cache.get(file);
    if (cached && cached.mtimeMs === mtimeMs) return cached.containers;
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const containers = new Map<string, ContainerIdentity>();
    if (Array.isArray(parsed)) {
      for (const entry of parsed as StorageContainer[]) {
        const first = Array.isArray(entry.names) ? entry.names[0] : undefined;
        if (typeof entry.id === 'string' && typeof first === 'string') {
          containers.set(entry.id, { name: first, image: typeof entry.image === 'string' ? entry.image : null });
        }
      }
    }
    cache.set(file, { mtimeMs, containers });
    return containers;
  };
  return {
    description: `containers/storage in ${storageRoots.join(', ')}`,
    identify(container) {
      if (container.runtime !== 'podman' && container.runtime !== 'cri-o') return null;
      for (const root of storageRoots) {
        let drivers: string[];
        try {
          drivers = readdirSync(root).filter((d) => d.endsWith('-containers'));
        } catch {
          continue;
        }
        for (const driver of drivers) {
          try {
            const found = load(join(root, driver, 'containers.json')).get(container.id);
            if (found) return found;
          } catch {
            // Being rewritten right now, or unreadable: try the next place.
          }
        }
      }
      return null;
    },
  };
}

/**
 * conmon, the monitor podman and CRI-O start per container, carries the id and the
 * name on its command line (-c/--cid ID, -n/--name NAME). This finds names for
 * runtimes started with a storage root we were not told about.
 */
export function conmonNames(procRoot = '/proc'): ContainerNameSource {
  return {
    description: `conmon command lines in ${procRoot}`,
    identify(container) {
      if (container.runtime !== 'podman' && container.runtime !== 'cri-o') return null;
      let pids: string[];
      try {
        pids = readdirSync(procRoot).filter((p) => /^\d+$/.test(p));
      } catch {
        return null;
      }
      for (const pid of pids) {
        let argv: string[];
        try {
          argv = readFileSync(join(procRoot, pid, 'cmdline'), 'utf8').split('\0');
        } catch {
          continue;
        }
        if (!(argv[0] ?? '').endsWith('conmon')) continue;
        const value = (flags: string[]) => {
          const at = argv.findIndex((a) => flags.includes(a));
          return at === -1 ? undefined : argv[at + 1];
        };
        if (value(['-c', '--cid']) !== container.id) continue;
        const name = value(['-n', '--name']);
        if (name) return { name, image: null };
      }
      return null;
    },
  };
}

/** Asks each source in turn and remembers answers; misses are retried after a while. */
export class ContainerNameResolver {
  private readonly known = new Map<string, ContainerIdentity>();
  private readonly missedAt = new Map<string, number>();

  constructor(
    private readonly sources: readonly ContainerNameSource[],
    private readonly retryMissAfterMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  identify(container: ContainerCgroup): ContainerIdentity | null {
    const known = this.known.get(container.id);
    if (known) return known;
    const missed = this.missedAt.get(container.id);
    if (missed !== undefined && this.now() - missed < this.retryMissAfterMs) return null;
    let found: ContainerIdentity | null = null;
    for (const source of this.sources) {
      const identity = source.identify(container);
      if (!identity) continue;
      // A later source may know the image an earlier one did not (conmon knows names only).
      found = found ? { name: found.name, image: found.image ?? identity.image } : identity;
      if (found.image !== null) break;
    }
    if (found) {
      this.known.set(container.id, found);
      this.missedAt.delete(container.id);
      return found;
    }
    this.missedAt.set(container.id, this.now());
    return null;
  }
}
