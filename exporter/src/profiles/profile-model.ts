import type { Category } from '../observations/category.js';
import { CATEGORIES } from '../observations/category.js';
import { type EntryStats, type ObserveContext, mergeStats, newStats, touchStats } from './entry-stats.js';
import {
  type ArgvPattern,
  addArgvPattern,
  argvPatternCovers,
  generalizeArgv,
  renderArgvPattern,
} from './generalize-argv.js';
import { generalizeDnsName, renderDnsSegments } from './generalize-dns.js';
import { generalizePath, joinPath, pathFanoutFor } from './generalize-path.js';
import { type PeerKey, cidrOf, parsePeer, peerKey, renderPeer } from './generalize-peer.js';
import { WILDCARD } from './generalize-token.js';
import { NgramTable, encodeGram, renderGram } from './ngram-table.js';
import type { FileAccess, Observation } from './observation.js';
import { OverflowFilter } from './overflow-filter.js';
import { PatternTrie } from './path-trie.js';
import { type ProfileConfig, resolveProfileConfig } from './profile-config.js';

/**
 * One behaviour profile, kept per (workload, container): an indexed set of entries
 * per category, each with support counts (epochs seen), first/last seen and whether it
 * was learned after the profile became ready. Generalization and the size budget are
 * applied on the way in; lookups are hash probes and trie walks.
 *
 * The lifecycle (learning → ready → locked) is not decided here: callers say through
 * `ObserveContext.afterReady` whether an entry is learned after readiness, and decide
 * whether to call `observe` (learn) or only `match` (score).
 */
export interface ExecArgvEntry {
  pattern: ArgvPattern;
  stats: EntryStats;
}

export interface ExecValue {
  stats: EntryStats;
  argv: ExecArgvEntry[];
}

export interface FileValue {
  stats: EntryStats;
  modes: Set<FileAccess>;
}

export interface ProfileMatch {
  readonly category: Category;
  /** The generalized item, as a profile entry for it would be rendered. */
  readonly item: string;
  /** The profile covers the observation completely. */
  readonly known: boolean;
  /** Epochs the covering entry was seen in (1 for an overflow-filter hit); 0 when unknown. */
  readonly support: number;
  /** `entry`, `overflow` (only the budget's Bloom filter knows it) or `none`. */
  readonly via: 'entry' | 'overflow' | 'none';
  /**
   * Exec and file only: the binary or path itself is known, but this argv pattern or
   * access mode is new. `parentSupport` is the support of the binary or path.
   */
  readonly parentKnown: boolean;
  readonly parentSupport: number;
  /** syscall_sequence only: see `NgramTable.noveltyOrder`. */
  readonly noveltyOrder?: number;
}

export type CategoryCounts = Record<Category, number>;

export function zeroCounts(): CategoryCounts {
  return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as CategoryCounts;
}

const execOps = {
  merge(a: ExecValue, b: ExecValue, limit: number): ExecValue {
    let argv = a.argv.map((e) => ({ pattern: e.pattern, stats: { ...e.stats } }));
    for (const entry of b.argv) {
      const added = addArgvPattern(
        argv.map((e) => e.pattern),
        entry.pattern,
        limit,
      );
      argv = mergeArgvStats(argv, added.patterns, entry);
    }
    return { stats: mergeStats(a.stats, b.stats), argv };
  },
};

/** Re-associates stats with a pattern list that may have merged or swallowed patterns. */
function mergeArgvStats(old: ExecArgvEntry[], patterns: ArgvPattern[], incoming: ExecArgvEntry): ExecArgvEntry[] {
  const all = [...old, incoming];
  return patterns.map((pattern) => {
    let stats: EntryStats | undefined;
    for (const entry of all) {
      if (!argvPatternCovers(pattern, entry.pattern)) continue;
      stats = stats ? mergeStats(stats, entry.stats) : { ...entry.stats };
    }
    return { pattern, stats: stats ?? { ...incoming.stats } };
  });
}

export class WorkloadProfile {
  readonly config: ProfileConfig;
  private readonly execs: PatternTrie<ExecValue>;
  private readonly files: PatternTrie<FileValue>;
  private readonly dns: PatternTrie<EntryStats>;
  private readonly syscalls = new Map<number, EntryStats>();
  private readonly capabilities = new Map<number, EntryStats>();
  private readonly peers = new Map<string, EntryStats>();
  private readonly peerHosts = new Map<string, Set<string>>();
  readonly ngrams: NgramTable;
  private overflowFilter = new OverflowFilter();
  private readonly overflowCounts = zeroCounts();
  private readonly truncatedCounts = zeroCounts();
  private epochCount = 0;
  private lastEpoch = -Infinity;

  constructor(config: Partial<ProfileConfig> = {}) {
    this.config = resolveProfileConfig(config);
    const limit = this.config.argvPatternsPerExe;
    this.execs = new PatternTrie<ExecValue>(
      { merge: (a, b) => execOps.merge(a, b, limit), weight: (v) => 1 + v.argv.length },
      // Binaries never fold by fan-out: `/usr/bin/*` would make every new tool look known.
      () => Number.POSITIVE_INFINITY,
    );
    this.files = new PatternTrie<FileValue>(
      {
        merge: (a, b) => ({ stats: mergeStats(a.stats, b.stats), modes: new Set([...a.modes, ...b.modes]) }),
        weight: () => 1,
      },
      (parent) => pathFanoutFor(parent, this.config.pathFanout, this.config.pathFanoutOverrides),
    );
    this.dns = new PatternTrie<EntryStats>({ merge: mergeStats, weight: () => 1 }, () => this.config.dnsFanout);
    this.ngrams = new NgramTable(this.config.ngramLength);
  }

  /** Epochs this profile has learned from: the denominator of every support count. */
  get epochs(): number {
    return this.epochCount;
  }

  /**
   * Counts an epoch as learned even if it brought nothing new: a quiet epoch is
   * evidence too, and rarity needs the true number of epochs.
   */
  beginEpoch(epoch: number): void {
    if (epoch > this.lastEpoch) {
      this.lastEpoch = epoch;
      this.epochCount += 1;
    }
  }

  get overflow(): Readonly<CategoryCounts> {
    return this.overflowCounts;
  }

  get truncated(): Readonly<CategoryCounts> {
    return this.truncatedCounts;
  }

  /**
   * Entries per category as a user lists them: one per argv pattern of a binary (the
   * Profile API's rows), one per path, peer, name, syscall, sequence or capability.
   */
  entryCounts(): CategoryCounts {
    const counts = this.budgetCounts();
    counts.exec = this.execs.entries().reduce((n, e) => n + Math.max(1, e.value.argv.length), 0);
    return counts;
  }

  /** Entries per category as budgeted: an exec counts once plus once per argv pattern. */
  private budgetCounts(): CategoryCounts {
    return {
      exec: this.execs.size,
      file: this.files.size,
      syscall: this.syscalls.size,
      syscall_sequence: this.ngrams.size,
      network: this.peers.size,
      dns: this.dns.size,
      capability: this.capabilities.size,
    };
  }

  /** What the size budget counts. */
  get totalEntries(): number {
    return Object.values(this.budgetCounts()).reduce((a, b) => a + b, 0);
  }

  /** Looks an observation up without learning it. */
  match(obs: Observation): ProfileMatch {
    switch (obs.category) {
      case 'exec': {
        const path = generalizePath(obs.path, this.config.maxStringLength);
        const argv = generalizeArgv(obs.argv, this.config.maxArgvTokens, this.config.maxStringLength);
        const item = `${joinPath(path.segments)} ${renderArgvPattern(argv)}`;
        const found = this.execs.match(path.segments);
        if (!found) return this.fromOverflow('exec', item);
        const argvEntry = found.value.argv.find((e) => argvPatternCovers(e.pattern, argv));
        return {
          category: 'exec',
          item,
          known: argvEntry !== undefined,
          support: argvEntry?.stats.support ?? 0,
          via: argvEntry ? 'entry' : 'none',
          parentKnown: true,
          parentSupport: found.value.stats.support,
        };
      }
      case 'file': {
        const path = generalizePath(obs.path, this.config.maxStringLength);
        const item = `${joinPath(path.segments)} ${[...obs.modes].sort().join(',')}`;
        const found = this.files.match(path.segments);
        if (!found) return this.fromOverflow('file', item);
        const known = obs.modes.every((m) => found.value.modes.has(m));
        return {
          category: 'file',
          item,
          known,
          support: known ? found.value.stats.support : 0,
          via: known ? 'entry' : 'none',
          parentKnown: true,
          parentSupport: found.value.stats.support,
        };
      }
      case 'syscall':
        return this.fromMap('syscall', String(obs.nr), this.syscalls.get(obs.nr));
      case 'capability':
        return this.fromMap('capability', String(obs.capability), this.capabilities.get(obs.capability));
      case 'syscall_sequence': {
        const key = encodeGram(obs.calls);
        const item = renderGram(key);
        const stats = key.length === this.ngrams.n ? this.ngrams.get(key) : undefined;
        const base = this.fromMap('syscall_sequence', item, stats, key);
        return { ...base, noveltyOrder: base.known ? this.ngrams.n + 1 : this.ngrams.noveltyOrder(key) };
      }
      case 'network': {
        const key = peerKey(obs, this.config.maxStringLength);
        const found = this.findPeer(key);
        return this.fromMap('network', renderPeer(key), found?.stats, renderPeer(key));
      }
      case 'dns': {
        const name = generalizeDnsName(obs.name, this.config.maxStringLength);
        const item = renderDnsSegments(name.segments);
        const found = this.dns.match(name.segments);
        return this.fromMap('dns', item, found?.value, item);
      }
    }
  }

  /**
   * Learns an observation and returns what `match` said before learning it, so one
   * call serves both prequential scoring and learning.
   */
  observe(obs: Observation, ctx: ObserveContext): ProfileMatch {
    this.beginEpoch(ctx.epoch);
    const before = this.match(obs);
    switch (obs.category) {
      case 'exec':
        this.learnExec(obs.path, obs.argv, ctx);
        break;
      case 'file':
        this.learnFile(obs.path, obs.modes, ctx);
        break;
      case 'syscall':
        this.learnInMap('syscall', this.syscalls, obs.nr, ctx);
        break;
      case 'capability':
        this.learnInMap('capability', this.capabilities, obs.capability, ctx);
        break;
      case 'syscall_sequence': {
        const key = encodeGram(obs.calls);
        if (key.length !== this.ngrams.n) {
          throw new Error(`syscall_sequence of length ${key.length}; this profile uses n=${this.ngrams.n}`);
        }
        if (this.ngrams.has(key) || this.reserve('syscall_sequence', key)) this.ngrams.observe(key, ctx);
        break;
      }
      case 'network':
        this.learnPeer(peerKey(obs, this.config.maxStringLength), ctx);
        break;
      case 'dns': {
        const name = generalizeDnsName(obs.name, this.config.maxStringLength);
        if (name.truncated) this.truncatedCounts.dns += 1;
        const found = this.dns.match(name.segments);
        if (found) touchStats(found.value, ctx);
        else if (this.reserveTrie('dns', this.dns, renderDnsSegments(name.segments))) {
          this.dns.insert(name.segments, newStats(ctx));
        }
        break;
      }
    }
    return before;
  }

  private fromMap(category: Category, item: string, stats: EntryStats | undefined, overflowKey = item): ProfileMatch {
    if (stats) {
      return { category, item, known: true, support: stats.support, via: 'entry', parentKnown: false, parentSupport: 0 };
    }
    return this.fromOverflow(category, item, overflowKey);
  }

  private fromOverflow(category: Category, item: string, key = item): ProfileMatch {
    const hit = this.overflowFilter.has(`${category}\u0000${key}`);
    return { category, item, known: hit, support: hit ? 1 : 0, via: hit ? 'overflow' : 'none', parentKnown: false, parentSupport: 0 };
  }

  private learnExec(rawPath: string, rawArgv: readonly string[], ctx: ObserveContext): void {
    const path = generalizePath(rawPath, this.config.maxStringLength);
    if (path.truncated || rawArgv.some((t) => t.length > this.config.maxStringLength)) this.truncatedCounts.exec += 1;
    const argv = generalizeArgv(rawArgv, this.config.maxArgvTokens, this.config.maxStringLength);
    const found = this.execs.match(path.segments);
    if (!found) {
      if (!this.reserve('exec', `${joinPath(path.segments)} ${renderArgvPattern(argv)}`, 2)) return;
      this.execs.insert(path.segments, { stats: newStats(ctx), argv: [{ pattern: argv, stats: newStats(ctx) }] });
      return;
    }
    const value = found.value;
    touchStats(value.stats, ctx);
    const existing = value.argv.find((e) => argvPatternCovers(e.pattern, argv));
    if (existing) {
      touchStats(existing.stats, ctx);
      return;
    }
    const full = this.totalEntries >= this.config.maxEntries;
    const limit = full ? Math.max(1, value.argv.length) : this.config.argvPatternsPerExe;
    const before = value.argv.length;
    const added = addArgvPattern(
      value.argv.map((e) => e.pattern),
      argv,
      limit,
    );
    value.argv = mergeArgvStats(value.argv, added.patterns, { pattern: argv, stats: newStats(ctx) });
    if (added.folded) this.overflowCounts.exec += 1;
    this.execs.reweigh(before, value.argv.length);
  }

  private learnFile(rawPath: string, modes: readonly FileAccess[], ctx: ObserveContext): void {
    const path = generalizePath(rawPath, this.config.maxStringLength);
    if (path.truncated) this.truncatedCounts.file += 1;
    const found = this.files.match(path.segments);
    if (found) {
      touchStats(found.value.stats, ctx);
      for (const mode of modes) found.value.modes.add(mode);
      return;
    }
    if (!this.reserveTrie('file', this.files, `${joinPath(path.segments)} ${[...modes].sort().join(',')}`)) return;
    this.files.insert(path.segments, { stats: newStats(ctx), modes: new Set(modes) });
  }

  private learnInMap(category: Category, map: Map<number, EntryStats>, key: number, ctx: ObserveContext): void {
    const existing = map.get(key);
    if (existing) touchStats(existing, ctx);
    else if (this.reserve(category, String(key))) map.set(key, newStats(ctx));
  }

  private findPeer(key: PeerKey): { stats: EntryStats; host: string } | undefined {
    const exact = this.peers.get(renderPeer(key));
    if (exact) return { stats: exact, host: key.host };
    const cidr = cidrOf(key.host, this.config.peerCidrBitsV4, this.config.peerCidrBitsV6);
    if (cidr) {
      const block = this.peers.get(renderPeer({ group: key.group, host: cidr }));
      if (block) return { stats: block, host: cidr };
    }
    const any = this.peers.get(renderPeer({ group: key.group, host: WILDCARD }));
    return any ? { stats: any, host: WILDCARD } : undefined;
  }

  private learnPeer(key: PeerKey, ctx: ObserveContext): void {
    const found = this.findPeer(key);
    if (found) {
      touchStats(found.stats, ctx);
      return;
    }
    const hosts = this.peerHosts.get(key.group) ?? new Set<string>();
    this.peerHosts.set(key.group, hosts);
    let host = key.host;
    if (hosts.size >= this.config.peerAddressFanout) {
      // Fold this group's addresses into CIDR blocks; if still too wide, into `*`.
      this.foldPeers(key.group, (h) => cidrOf(h, this.config.peerCidrBitsV4, this.config.peerCidrBitsV6) ?? WILDCARD);
      host = cidrOf(host, this.config.peerCidrBitsV4, this.config.peerCidrBitsV6) ?? WILDCARD;
      if (hosts.size >= this.config.peerAddressFanout && !hosts.has(host)) {
        this.foldPeers(key.group, () => WILDCARD);
        host = WILDCARD;
      }
      const folded = this.peers.get(renderPeer({ group: key.group, host }));
      if (folded) {
        touchStats(folded, ctx);
        return;
      }
    }
    if (!this.reserve('network', renderPeer(key))) return;
    hosts.add(host);
    this.peers.set(renderPeer({ group: key.group, host }), newStats(ctx));
  }

  private foldPeers(group: string, fold: (host: string) => string): void {
    const hosts = this.peerHosts.get(group);
    if (!hosts) return;
    const next = new Set<string>();
    for (const host of hosts) {
      const from = renderPeer({ group, host });
      const target = fold(host);
      const stats = this.peers.get(from);
      if (!stats) continue;
      this.peers.delete(from);
      const to = renderPeer({ group, host: target });
      const existing = this.peers.get(to);
      if (existing) this.overflowCounts.network += 1;
      this.peers.set(to, existing ? mergeStats(existing, stats) : stats);
      next.add(target);
    }
    hosts.clear();
    for (const host of next) hosts.add(host);
  }

  /**
   * Budget check for a new entry in a map-like category; when full, the item goes to
   * the overflow filter and is counted.
   */
  private reserve(category: Category, key: string, needed = 1): boolean {
    if (this.totalEntries + needed <= this.config.maxEntries) return true;
    this.overflowFilter.add(`${category}\u0000${key}`);
    this.overflowCounts[category] += 1;
    return false;
  }

  /** Budget check for trie categories: collapse the widest directory before giving up. */
  private reserveTrie<V>(category: Category, trie: PatternTrie<V>, key: string, needed = 1): boolean {
    while (this.totalEntries + needed > this.config.maxEntries) {
      const freed = trie.collapseWidest();
      if (freed <= 0) break;
      this.overflowCounts[category] += freed;
    }
    return this.reserve(category, key, needed);
  }

  /** Snapshots for documents and displays (unsorted; the document sorts). */
  execEntries(): { path: string; value: ExecValue }[] {
    return this.execs.entries().map((e) => ({ path: joinPath(e.segments), value: e.value }));
  }

  fileEntries(): { path: string; value: FileValue }[] {
    return this.files.entries().map((e) => ({ path: joinPath(e.segments), value: e.value }));
  }

  dnsEntries(): { name: string; stats: EntryStats }[] {
    return this.dns.entries().map((e) => ({ name: renderDnsSegments(e.segments), stats: e.value }));
  }

  syscallEntries(): [number, EntryStats][] {
    return [...this.syscalls];
  }

  capabilityEntries(): [number, EntryStats][] {
    return [...this.capabilities];
  }

  peerEntries(): [string, EntryStats][] {
    return [...this.peers];
  }

  get overflowFilterState(): OverflowFilter {
    return this.overflowFilter;
  }

  /** Restores entries from a document (no generalization re-run: stored patterns are already general). */
  restore(parts: {
    epochs: number;
    execs: { path: string; stats: EntryStats; argv: ExecArgvEntry[] }[];
    files: { path: string; stats: EntryStats; modes: FileAccess[] }[];
    syscalls: [number, EntryStats][];
    sequences: [number[], EntryStats][];
    peers: [string, EntryStats][];
    dns: [string, EntryStats][];
    capabilities: [number, EntryStats][];
    overflow: CategoryCounts;
    truncated: CategoryCounts;
    overflowFilter: OverflowFilter | undefined;
  }): void {
    this.epochCount = parts.epochs;
    for (const e of parts.execs) this.execs.insert(splitStored(e.path), { stats: e.stats, argv: e.argv });
    for (const e of parts.files) this.files.insert(splitStored(e.path), { stats: e.stats, modes: new Set(e.modes) });
    for (const [nr, stats] of parts.syscalls) this.syscalls.set(nr, stats);
    for (const [calls, stats] of parts.sequences) this.ngrams.restore(encodeGram(calls), stats);
    for (const [peer, stats] of parts.peers) {
      this.peers.set(peer, stats);
      const key = parsePeer(peer);
      const hosts = this.peerHosts.get(key.group) ?? new Set<string>();
      hosts.add(key.host);
      this.peerHosts.set(key.group, hosts);
    }
    for (const [name, stats] of parts.dns) this.dns.insert(name.split('.').filter((l) => l !== '').reverse(), stats);
    for (const [nr, stats] of parts.capabilities) this.capabilities.set(nr, stats);
    Object.assign(this.overflowCounts, parts.overflow);
    Object.assign(this.truncatedCounts, parts.truncated);
    if (parts.overflowFilter) this.overflowFilter = parts.overflowFilter;
  }
}

function splitStored(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}
