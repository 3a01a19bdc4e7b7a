import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * A lock on a directory shared by processes on one host (the daemon and `telltale profiles`
 * commands): a lock file created with O_EXCL, holding who owns it. Node has no flock(2),
 * and O_EXCL creation is atomic on every local filesystem.
 *
 * A holder that died leaves its file behind. A waiter breaks such a stale lock when the
 * owner's pid is gone on this host (or, for another host's lock, when it is older than
 * `staleAfterMs`): it renames the file to a unique name, which only one waiter can do, and
 * checks that what it moved away is the stale lock it judged; if a live lock was taken by
 * mistake, it is linked back.
 */
export interface DirectoryLockOptions {
  /** Give up waiting after this long. */
  readonly timeoutMs: number;
  /** A lock held by another host (a shared volume) is stale after this long. */
  readonly staleAfterMs: number;
}

export const DEFAULT_LOCK_OPTIONS: DirectoryLockOptions = { timeoutMs: 10_000, staleAfterMs: 120_000 };

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
  readonly acquiredAt: string;
}

export class LockTimeoutError extends Error {
  constructor(
    readonly lockFile: string,
    readonly owner: string,
  ) {
    super(`timed out waiting for the lock ${lockFile} (held by ${owner}); if no telltale process is running, remove the file`);
    this.name = 'LockTimeoutError';
  }
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const { pid, host, nonce, acquiredAt } = value as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof host !== 'string' || typeof nonce !== 'string' || typeof acquiredAt !== 'string') return undefined;
    return { pid, host, nonce, acquiredAt };
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists on this host (in this pid namespace). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return !isErrno(error, 'ESRCH');
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class DirectoryLock {
  private readonly host = hostname();

  constructor(
    readonly lockFile: string,
    private readonly options: DirectoryLockOptions = DEFAULT_LOCK_OPTIONS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `task` while holding the lock. */
  async withLock<T>(task: () => Promise<T>): Promise<T> {
    const owner = await this.acquire();
    try {
      return await task();
    } finally {
      await this.release(owner);
    }
  }

  private async acquire(): Promise<LockOwner> {
    const deadline = this.now() + this.options.timeoutMs;
    let delay = 2;
    for (;;) {
      const owner: LockOwner = { pid: process.pid, host: this.host, nonce: randomBytes(8).toString('hex'), acquiredAt: new Date(this.now()).toISOString() };
      try {
        const handle = await open(this.lockFile, 'wx', 0o600);
        try {
          await handle.writeFile(JSON.stringify(owner));
        } finally {
          await handle.close();
        }
        return owner;
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) throw error;
      }
      const current = await this.readOwner();
      if (current !== 'gone' && (await this.isStale(current))) {
        await this.breakStale(current);
        continue;
      }
      if (this.now() >= deadline) throw new LockTimeoutError(this.lockFile, current === 'gone' || current === undefined ? 'an unknown process' : `pid ${current.pid} on ${current.host} since ${current.acquiredAt}`);
      await sleep(delay);
      delay = Math.min(50, delay * 2);
    }
  }

  private async readOwner(): Promise<LockOwner | undefined | 'gone'> {
    try {
      return parseOwner(await readFile(this.lockFile, 'utf8'));
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return 'gone';
      throw error;
    }
  }

  private async isStale(owner: LockOwner | undefined): Promise<boolean> {
    if (owner === undefined) {
      // Being written right now, or cut short by a crash between create and write: age decides.
      const modified = await stat(this.lockFile).then((s) => s.mtimeMs, () => undefined);
      return modified !== undefined && this.now() - modified > this.options.staleAfterMs;
    }
    if (owner.host === this.host) return !processIsAlive(owner.pid);
    const age = this.now() - Date.parse(owner.acquiredAt);
    return Number.isFinite(age) && age > this.options.staleAfterMs;
  }

  private async breakStale(stale: LockOwner | undefined): Promise<void> {
    const aside = `${this.lockFile}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await rename(this.lockFile, aside);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return;
      throw error;
    }
    const moved = parseOwner(await readFile(aside, 'utf8').catch(() => ''));
    if (moved && moved.nonce !== stale?.nonce) {
      // Another waiter broke the stale lock and took a fresh one in between: give it back.
      await link(aside, this.lockFile).catch(() => undefined);
    }
    await unlink(aside).catch(() => undefined);
  }

  private async release(owner: LockOwner): Promise<void> {
    const current = await this.readOwner();
    if (current !== 'gone' && current !== undefined && current.nonce === owner.nonce) await unlink(this.lockFile).catch(() => undefined);
  }
}
