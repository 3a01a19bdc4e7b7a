import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { link, mkdir, open, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import type { ProfileDocument } from './profile-document.js';
import { assertProfileId, isProfileId, profileId } from './profile-id.js';
import {
  type ProfileProblem,
  formatProfileProblem,
  parseProfileText,
  profileEnvelope,
  renderStoredProfile,
  validateProfileEnvelope,
} from './profile-store-format.js';
import { DEFAULT_LOCK_OPTIONS, DirectoryLock, type DirectoryLockOptions, processIsAlive } from './filesystem-profile-store-lock.js';
import {
  CorruptProfileError,
  InvalidProfileDocumentError,
  type ListResult,
  type LoadAllResult,
  type ProfileStore,
  type ProfileStoreOperation,
  RevisionConflictError,
  type StoreErrorListener,
  type StoreProblem,
  type StoredProfile,
  type UpdateResult,
  summarizeStoredProfile,
} from './profile-store.js';

/**
 * The embedded store: `<state-dir>/profiles/<id>.yaml`, one WorkloadProfile envelope per
 * file, the shape of GitOps files and of the CRD. The store writes the envelope as JSON,
 * which is YAML too and reads a hundred times faster than block YAML (profiles run to
 * megabytes); a file edited by hand in block YAML reads just as well.
 *
 * Writes are atomic and durable: a temp file in the same directory, fsync, rename over the
 * old file, fsync the directory; a crash leaves the old file or the new one, never half of
 * either. Writers (this process, the daemon, `telltale profiles`) serialise on a lock file
 * in the directory and compare revisions under it, so no write is lost. A file edited by
 * hand since this store last read it is a conflict too, even if its revision is unchanged.
 *
 * An unreadable file is never deleted: with `quarantineCorrupt` (the daemon) it is moved to
 * `profiles/quarantine/<id>.<time>.yaml` with a `.reason.txt` beside it naming every
 * problem by line and field, and reads go on as if it were absent; without (the CLI, the
 * read-only API) it is reported and skipped. Saving over an unreadable file always
 * quarantines it first. The owning process (quarantineCorrupt) also removes temp files left
 * by writers that crashed before their rename.
 */
export interface FilesystemProfileStoreOptions {
  readonly stateDir: string;
  readonly quarantineCorrupt?: boolean;
  readonly onError?: StoreErrorListener;
  readonly lock?: Partial<DirectoryLockOptions>;
  readonly now?: () => number;
  /** Fault injection for tests: runs after the temp file is durable, before the rename. */
  readonly afterTempWrite?: (tempFile: string) => void | Promise<void>;
}

/** A profile file larger than this is refused rather than read (40k entries take about 10 MB). */
export const MAX_PROFILE_FILE_BYTES = 64 * 1024 * 1024;
const TEMP_SUFFIX = '.tmp';
const STALE_TEMP_MS = 3_600_000;

interface FileStamp {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

const stampOf = (s: Stats): FileStamp => ({ ino: s.ino, size: s.size, mtimeMs: s.mtimeMs });
const sameStamp = (a: FileStamp, b: FileStamp) => a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

type ReadResult =
  | { readonly kind: 'absent' }
  | { readonly kind: 'ok'; readonly profile: StoredProfile; readonly stamp: FileStamp }
  | { readonly kind: 'corrupt'; readonly problems: ProfileProblem[]; readonly stamp: FileStamp };

function isErrno(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? '');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Name and revision near the top: as this store writes them (JSON), or as block YAML would have them. */
const HEADERS = [/\n {2}"metadata": \{\n {4}"name": "([a-z0-9.-]+)",\n {4}"revision": (\d+)\n/, /^metadata:\n {2}name: ([a-z0-9.-]+)\n {2}revision: (\d+)\n/m];
const HEADER_BYTES = 4096;

export class FilesystemProfileStore implements ProfileStore {
  readonly location: string;
  private readonly quarantineDir: string;
  private readonly lock: DirectoryLock;
  private readonly now: () => number;
  /** What each profile looked like when this store last read or wrote it: the basis of the next save. */
  private readonly basis = new Map<string, { revision: number; stamp: FileStamp }>();
  /** revisions() cache: a file is read again only when its stamp changes. */
  private readonly revisionCache = new Map<string, { stamp: FileStamp; revision: number | null }>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: FilesystemProfileStoreOptions) {
    this.location = join(options.stateDir, 'profiles');
    this.quarantineDir = join(this.location, 'quarantine');
    this.now = options.now ?? Date.now;
    this.lock = new DirectoryLock(join(this.location, '.lock'), { ...DEFAULT_LOCK_OPTIONS, ...options.lock }, this.now);
  }

  fileOf(id: string): string {
    return join(this.location, `${assertProfileId(id)}.yaml`);
  }

  async list(): Promise<ListResult> {
    const { profiles, problems } = await this.loadAll();
    return { profiles: profiles.map(summarizeStoredProfile), problems };
  }

  async load(id: string): Promise<StoredProfile | null> {
    const file = this.fileOf(id);
    const read = await this.readFile(id, file);
    if (read.kind === 'absent') return null;
    if (read.kind === 'ok') {
      this.basis.set(id, { revision: read.profile.revision, stamp: read.stamp });
      return read.profile;
    }
    const problem = await this.reportCorrupt(id, file, read);
    if (problem.quarantinedTo) return null;
    throw new CorruptProfileError(id, read.problems);
  }

  async loadAll(): Promise<LoadAllResult> {
    const profiles: StoredProfile[] = [];
    const problems: StoreProblem[] = [];
    for (const name of await this.profileFileNames()) {
      const file = join(this.location, name);
      const id = name.slice(0, -'.yaml'.length);
      if (!isProfileId(id)) {
        const problem = await this.reportBadName(file);
        if (problem) problems.push(problem);
        continue;
      }
      const read = await this.readFile(id, file);
      if (read.kind === 'absent') continue;
      if (read.kind === 'ok') {
        this.basis.set(id, { revision: read.profile.revision, stamp: read.stamp });
        profiles.push(read.profile);
        continue;
      }
      problems.push(await this.reportCorrupt(id, file, read));
    }
    // Only the owning process (the daemon) tidies up after crashed writers; the CLI only reads.
    if (this.options.quarantineCorrupt) await this.removeAbandonedTempFiles();
    return { profiles, problems };
  }

  async revisions(): Promise<Map<string, number>> {
    const revisions = new Map<string, number>();
    const names = await this.profileFileNames();
    for (const cached of this.revisionCache.keys()) if (!names.includes(cached)) this.revisionCache.delete(cached);
    for (const name of names) {
      const file = join(this.location, name);
      const id = name.slice(0, -'.yaml'.length);
      const current = await stat(file).then(stampOf, (error: unknown) => {
        if (isErrno(error, 'ENOENT')) return undefined;
        throw error;
      });
      if (!current) continue;
      const cached = this.revisionCache.get(name);
      if (cached && sameStamp(cached.stamp, current)) {
        if (cached.revision !== null) revisions.set(id, cached.revision);
        continue;
      }
      let revision: number | null = null;
      if (isProfileId(id)) revision = await this.readRevision(id, file);
      else await this.reportBadName(file);
      this.revisionCache.set(name, { stamp: current, revision });
      if (revision !== null) revisions.set(id, revision);
    }
    return revisions;
  }

  async save(id: string, document: ProfileDocument, expectedRevision: number | null): Promise<number> {
    const file = this.fileOf(id);
    this.checkWritable(id, file, document);
    return this.exclusive('save', file, id, async () => {
      await mkdir(this.location, { recursive: true, mode: 0o700 });
      const current = await this.currentRevision(id, file);
      if (current.revision !== expectedRevision || current.editedSinceRead) {
        throw new RevisionConflictError(id, expectedRevision, current.revision, current.editedSinceRead);
      }
      const revision = (current.revision ?? 0) + 1;
      const stamp = await this.writeAtomically(file, renderStoredProfile(profileEnvelope(id, revision, document)));
      this.basis.set(id, { revision, stamp });
      return revision;
    });
  }

  async update(id: string, change: (current: StoredProfile | null) => ProfileDocument | null): Promise<UpdateResult> {
    const file = this.fileOf(id);
    return this.exclusive('save', file, id, async () => {
      const read = await this.readFile(id, file);
      if (read.kind === 'corrupt') {
        this.report({ operation: 'load', source: file, id, message: 'unreadable profile; not updated', problems: read.problems });
        throw new CorruptProfileError(id, read.problems);
      }
      const previous = read.kind === 'ok' ? read.profile : null;
      const next = change(previous);
      if (next === null) return { previous, saved: null };
      this.checkWritable(id, file, next);
      await mkdir(this.location, { recursive: true, mode: 0o700 });
      const revision = (previous?.revision ?? 0) + 1;
      const stamp = await this.writeAtomically(file, renderStoredProfile(profileEnvelope(id, revision, next)));
      this.basis.set(id, { revision, stamp });
      return { previous, saved: revision };
    });
  }

  async delete(id: string, expectedRevision?: number): Promise<boolean> {
    const file = this.fileOf(id);
    return this.exclusive('delete', file, id, async () => {
      const current = await this.currentRevision(id, file);
      if (current.revision === null) return false;
      if (expectedRevision !== undefined && (current.revision !== expectedRevision || current.editedSinceRead)) {
        throw new RevisionConflictError(id, expectedRevision, current.revision, current.editedSinceRead);
      }
      await unlink(file);
      await this.syncDirectory(this.location);
      this.basis.delete(id);
      return true;
    });
  }

  /** Never write what a read would quarantine, nor a profile under another identity's name. */
  private checkWritable(id: string, file: string, document: ProfileDocument): void {
    const problems = validateProfileEnvelope(profileEnvelope(id, 0, document), file);
    const derived = profileId(document.workload);
    if (problems.length === 0 && derived !== id) {
      problems.push({ source: file, field: 'metadata.name', message: `is ${JSON.stringify(id)}, but the id of spec.workload is ${JSON.stringify(derived)}` });
    }
    if (problems.length > 0) throw new InvalidProfileDocumentError(id, problems);
  }

  /** One writer at a time in this process, and one process at a time on the directory. */
  private exclusive<T>(operation: ProfileStoreOperation, file: string, id: string, task: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      try {
        await mkdir(this.location, { recursive: true, mode: 0o700 });
        return await this.lock.withLock(task);
      } catch (error) {
        if (!(error instanceof RevisionConflictError) && !(error instanceof CorruptProfileError)) {
          this.report({ operation, source: file, id, message: message(error), problems: [] });
        }
        throw error;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private report(problem: StoreProblem): StoreProblem {
    this.options.onError?.(problem);
    return problem;
  }

  private async profileFileNames(): Promise<string[]> {
    try {
      const entries = await readdir(this.location, { withFileTypes: true });
      return entries
        .filter((e) => e.isFile() && e.name.endsWith('.yaml') && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort();
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    }
  }

  private async readFile(id: string, file: string): Promise<ReadResult> {
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return { kind: 'absent' };
      throw error;
    }
    let stamp: FileStamp;
    let text: string;
    try {
      const info = await handle.stat();
      stamp = stampOf(info);
      if (info.size > MAX_PROFILE_FILE_BYTES) {
        return { kind: 'corrupt', stamp, problems: [{ source: file, field: '', message: `is ${info.size} bytes; profile files are at most ${MAX_PROFILE_FILE_BYTES}` }] };
      }
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
    const { profiles, problems } = parseProfileText(text, file, { expectedName: id, single: true });
    const [parsed] = profiles;
    if (problems.length > 0 || !parsed) return { kind: 'corrupt', stamp, problems };
    return { kind: 'ok', stamp, profile: { id, revision: parsed.envelope.metadata.revision ?? 0, document: parsed.document } };
  }

  /** The revision from the file's header, or a full read when the header is not the usual one. */
  private async readRevision(id: string, file: string): Promise<number | null> {
    const head = await this.readHead(file);
    if (head === null) return null;
    const match = HEADERS.map((header) => header.exec(head)).find((m) => m !== null);
    if (match && match[1] === id) return Number(match[2]);
    const read = await this.readFile(id, file);
    if (read.kind === 'ok') return read.profile.revision;
    if (read.kind === 'corrupt') await this.reportCorrupt(id, file, read);
    return null;
  }

  private async readHead(file: string): Promise<string | null> {
    try {
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.alloc(HEADER_BYTES);
        const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
        return buffer.subarray(0, bytesRead).toString('utf8');
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return null;
      throw error;
    }
  }

  /**
   * Under the lock: the stored revision (null when absent; an unreadable file is quarantined
   * and counts as absent), and whether the file changed since this store read it.
   */
  private async currentRevision(id: string, file: string): Promise<{ revision: number | null; editedSinceRead: boolean }> {
    const current = await stat(file).then(stampOf, (error: unknown) => {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    });
    if (!current) return { revision: null, editedSinceRead: false };
    const basis = this.basis.get(id);
    if (basis && sameStamp(basis.stamp, current)) return { revision: basis.revision, editedSinceRead: false };
    // Changed since this store saw it (or never seen): read it whole, so a broken file is found and kept aside.
    const read = await this.readFile(id, file);
    if (read.kind === 'absent') return { revision: null, editedSinceRead: false };
    if (read.kind === 'corrupt') {
      await this.quarantine(id, file, read, true);
      return { revision: null, editedSinceRead: false };
    }
    const revision = read.profile.revision;
    return { revision, editedSinceRead: basis !== undefined && basis.revision === revision };
  }

  private async reportCorrupt(id: string, file: string, read: Extract<ReadResult, { kind: 'corrupt' }>): Promise<StoreProblem> {
    // A failed move is reported as a quarantine error by exclusive(); the file then stays where it is.
    const quarantinedTo = this.options.quarantineCorrupt ? await this.lockedQuarantine(id, file, read).catch(() => undefined) : undefined;
    return this.report({
      operation: 'load',
      source: file,
      id,
      message: `unreadable profile (${read.problems.length} problem${read.problems.length === 1 ? '' : 's'}); first: ${read.problems[0] ? formatProfileProblem(read.problems[0]) : 'unknown'}`,
      problems: read.problems,
      quarantinedTo,
    });
  }

  private async reportBadName(file: string): Promise<StoreProblem | undefined> {
    const name = basename(file);
    const text = await this.readHead(file);
    if (text === null) return undefined;
    const problem: ProfileProblem = { source: file, field: '', message: `${JSON.stringify(name)} is not named <profile id>.yaml (ids are lower-case DNS-1123 names); the store ignores it` };
    const stamp = await stat(file).then(stampOf, () => undefined);
    if (!stamp) return undefined;
    const quarantinedTo = this.options.quarantineCorrupt
      ? await this.lockedQuarantine(null, file, { kind: 'corrupt', stamp, problems: [problem] }).catch(() => undefined)
      : undefined;
    return this.report({ operation: 'load', source: file, message: problem.message, problems: [problem], quarantinedTo });
  }

  private lockedQuarantine(id: string | null, file: string, read: Extract<ReadResult, { kind: 'corrupt' }>): Promise<string | undefined> {
    return this.exclusive('quarantine', file, id ?? basename(file), () => this.quarantine(id, file, read, false));
  }

  /**
   * Moves an unreadable file aside, under the lock, but only if it is still the file that
   * was judged: a writer may have replaced it with a good one meanwhile.
   */
  private async quarantine(id: string | null, file: string, read: Extract<ReadResult, { kind: 'corrupt' }>, forced: boolean): Promise<string | undefined> {
    const current = await stat(file).then(stampOf, () => undefined);
    if (!current || (!forced && !sameStamp(current, read.stamp))) return undefined;
    await mkdir(this.quarantineDir, { recursive: true, mode: 0o700 });
    const time = new Date(this.now()).toISOString().replace(/[-:]/g, '').replace('.', '');
    const stem = (id ?? basename(file, '.yaml').replace(/[^A-Za-z0-9._-]/g, '_')).slice(0, 200);
    for (let attempt = 0; ; attempt++) {
      const target = join(this.quarantineDir, `${stem}.${time}${attempt > 0 ? `-${attempt}` : ''}.yaml`);
      try {
        // link + unlink, not rename: rename would replace an earlier quarantined file of the same name.
        await link(file, target);
      } catch (error) {
        if (isErrno(error, 'EEXIST') && attempt < 100) continue;
        throw error;
      }
      const reason = [
        `telltale moved this profile file here at ${new Date(this.now()).toISOString()} because it could not be read.`,
        `original: ${file}`,
        '',
        ...read.problems.map(formatProfileProblem),
        '',
        'Fix it and move it back, or import a corrected copy with `telltale profiles import FILE`.',
        '',
      ].join('\n');
      await writeFile(target.replace(/\.yaml$/, '.reason.txt'), reason, { mode: 0o600 });
      await unlink(file);
      await this.syncDirectory(this.quarantineDir);
      await this.syncDirectory(this.location);
      if (id !== null) this.basis.delete(id);
      if (forced && id !== null) {
        this.report({ operation: 'load', source: file, id, message: 'unreadable profile replaced by a save', problems: read.problems, quarantinedTo: target });
      }
      return target;
    }
  }

  private async writeAtomically(file: string, text: string): Promise<FileStamp> {
    const temp = join(this.location, `.${tempOwner()}-${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
    const handle = await open(temp, 'wx', 0o600);
    try {
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.options.afterTempWrite?.(temp);
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await this.syncDirectory(this.location);
    return stampOf(await stat(file));
  }

  private async syncDirectory(dir: string): Promise<void> {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } catch (error) {
      // Some filesystems cannot fsync a directory; the rename is still atomic there.
      if (!isErrno(error, 'EINVAL', 'ENOTSUP', 'EISDIR')) throw error;
    } finally {
      await handle.close();
    }
  }

  /**
   * Temp files of writers that died before their rename: partial copies, never user data.
   * A pid means something only on the host (pid namespace) that wrote it; others age out.
   */
  private async removeAbandonedTempFiles(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.location)).filter((n) => n.startsWith('.') && n.endsWith(TEMP_SUFFIX));
    } catch {
      return;
    }
    const mine = `.${tempOwner().replace(/-\d+$/, '')}-`;
    for (const name of names) {
      const pid = name.startsWith(mine) ? Number(/-(\d+)-[0-9a-f]+\.tmp$/.exec(name)?.[1]) : Number.NaN;
      const file = join(this.location, name);
      const age = await stat(file).then((s) => this.now() - s.mtimeMs, () => undefined);
      if (age === undefined) continue;
      if ((Number.isInteger(pid) && pid > 0 && !processIsAlive(pid)) || age > STALE_TEMP_MS) await unlink(file).catch(() => undefined);
    }
  }
}

/** `<host>-<pid>`, with the host name kept to file-name-safe characters. */
function tempOwner(): string {
  return `${hostname().replace(/[^A-Za-z0-9.]/g, '_').slice(0, 64)}-${process.pid}`;
}
