import { MAX_NGRAM_LENGTH, MAX_SYSCALL_NR } from './profile-config.js';
import { type EntryStats, type ObserveContext, newStats, touchStats } from './entry-stats.js';

/**
 * Syscall n-grams with per-epoch support counts, keyed by a compact string (one UTF-16
 * code unit per syscall id, ids < 512) so a lookup is one hash probe.
 *
 * Besides the n-grams themselves the table maintains, incrementally, every shorter
 * contiguous sub-gram (lengths 1..n-1) with the largest support of an n-gram holding
 * it. Those context tables let scoring tell a new combination of familiar steps (all
 * (n-1)-grams known) from a sequence containing a transition never seen at all.
 */
export function encodeGram(calls: readonly number[]): string {
  let key = '';
  for (const nr of calls) {
    if (!Number.isInteger(nr) || nr < 0 || nr > MAX_SYSCALL_NR) {
      throw new Error(`syscall number out of range 0..${MAX_SYSCALL_NR}: ${String(nr)}`);
    }
    key += String.fromCharCode(nr);
  }
  return key;
}

export function decodeGram(key: string): number[] {
  const calls: number[] = [];
  for (let i = 0; i < key.length; i++) calls.push(key.charCodeAt(i));
  return calls;
}

/** The document form: syscall numbers separated by single spaces. */
export function renderGram(key: string): string {
  return decodeGram(key).join(' ');
}

export function parseGram(text: string): number[] {
  const parts = text.trim().split(/\s+/);
  const calls = parts.map((p) => (/^\d+$/.test(p) ? Number(p) : NaN));
  if (calls.some((c) => Number.isNaN(c))) throw new Error(`not a syscall n-gram: ${JSON.stringify(text)}`);
  return calls;
}

export class NgramTable {
  private readonly grams = new Map<string, EntryStats>();
  /** contexts[k] maps each contiguous k-gram (1 ≤ k < n) to the max support of an n-gram holding it. */
  private readonly contexts: Map<string, number>[] = [];

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 2 || n > MAX_NGRAM_LENGTH) {
      throw new Error(`n-gram length must be in 2..${MAX_NGRAM_LENGTH}, got ${n}`);
    }
    for (let k = 0; k < n; k++) this.contexts.push(new Map());
  }

  get size(): number {
    return this.grams.size;
  }

  get(key: string): EntryStats | undefined {
    return this.grams.get(key);
  }

  has(key: string): boolean {
    return this.grams.has(key);
  }

  /** Records a sighting; returns true when the n-gram is new to the table. */
  observe(key: string, ctx: ObserveContext): boolean {
    this.checkLength(key);
    const existing = this.grams.get(key);
    if (existing) {
      touchStats(existing, ctx);
      this.updateContexts(key, existing.support);
      return false;
    }
    const stats = newStats(ctx);
    this.grams.set(key, stats);
    this.updateContexts(key, stats.support);
    return true;
  }

  /** Inserts stored stats (loading a document). */
  restore(key: string, stats: EntryStats): void {
    this.checkLength(key);
    this.grams.set(key, stats);
    this.updateContexts(key, stats.support);
  }

  /** Largest support of an n-gram containing this shorter gram; 0 when none does. */
  contextSupport(key: string): number {
    if (key.length >= this.n) return this.grams.get(key)?.support ?? 0;
    return this.contexts[key.length]?.get(key) ?? 0;
  }

  /**
   * The length of the shortest contiguous piece of `key` never seen in training: 1 for
   * an unknown syscall, 2 for an unknown transition, …, n when only the full n-gram is
   * new, n+1 when the n-gram itself is known.
   */
  noveltyOrder(key: string): number {
    if (this.grams.has(key)) return this.n + 1;
    for (let k = 1; k < this.n; k++) {
      const table = this.contexts[k] as Map<string, number>;
      for (let start = 0; start + k <= key.length; start++) {
        if (!table.has(key.slice(start, start + k))) return k;
      }
    }
    return this.n;
  }

  entries(): [string, EntryStats][] {
    return [...this.grams];
  }

  private checkLength(key: string): void {
    if (key.length !== this.n) throw new Error(`expected a ${this.n}-gram, got ${key.length} syscalls`);
  }

  private updateContexts(key: string, support: number): void {
    for (let k = 1; k < this.n; k++) {
      const table = this.contexts[k] as Map<string, number>;
      for (let start = 0; start + k <= key.length; start++) {
        const sub = key.slice(start, start + k);
        if ((table.get(sub) ?? 0) < support) table.set(sub, support);
      }
    }
  }
}
