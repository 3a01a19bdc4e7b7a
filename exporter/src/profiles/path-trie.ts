import { DEEP_WILDCARD, WILDCARD, globMatches, isPattern } from './generalize-token.js';

/**
 * An index of segment patterns (path segments, or DNS labels from the right) with
 * `*` globs inside a segment and a terminal `**` for "anything below". Lookups walk
 * one node per segment: exact children through a hash map first, then the few glob
 * children of that node; never a scan over all entries.
 *
 * Fan-out collapse: when a node would get more than its limit of distinct children,
 * they fold into a single `*` child (their subtrees merged), which is how a directory
 * of per-request files becomes `dir/*`.
 */
export interface TrieValueOps<V> {
  merge(a: V, b: V): V;
  /** Entries this value accounts for against the profile budget (an exec with its argv patterns counts more than one). */
  weight(value: V): number;
}

class TrieNode<V> {
  readonly exact = new Map<string, TrieNode<V>>();
  readonly globs = new Map<string, TrieNode<V>>();
  deep: V | undefined;
  value: V | undefined;

  childCount(): number {
    return this.exact.size + this.globs.size;
  }
}

export interface TrieMatch<V> {
  readonly value: V;
  /** The stored pattern that matched, joined with the trie's separator. */
  readonly pattern: string;
}

export interface TrieEntry<V> {
  readonly segments: readonly string[];
  readonly value: V;
}

export type FanoutLimit = (parentSegments: readonly string[]) => number;

export class PatternTrie<V> {
  private readonly root = new TrieNode<V>();
  private entryWeight = 0;

  constructor(
    private readonly ops: TrieValueOps<V>,
    private readonly fanout: FanoutLimit,
  ) {}

  /** Budget weight of all stored values. */
  get size(): number {
    return this.entryWeight;
  }

  /** Finds the most specific stored pattern matching the concrete segments. */
  match(segments: readonly string[]): TrieMatch<V> | undefined {
    const trail: string[] = [];
    const value = this.matchFrom(this.root, segments, 0, trail);
    return value === undefined ? undefined : { value, pattern: trail.join('\u0000') };
  }

  private matchFrom(node: TrieNode<V>, segments: readonly string[], index: number, trail: string[]): V | undefined {
    if (index === segments.length) return node.value;
    const segment = segments[index] as string;
    const exact = node.exact.get(segment);
    if (exact) {
      trail.push(segment);
      const found = this.matchFrom(exact, segments, index + 1, trail);
      if (found !== undefined) return found;
      trail.pop();
    }
    for (const [pattern, child] of node.globs) {
      if (!globMatches(pattern, segment)) continue;
      trail.push(pattern);
      const found = this.matchFrom(child, segments, index + 1, trail);
      if (found !== undefined) return found;
      trail.pop();
    }
    if (node.deep !== undefined) {
      trail.push(DEEP_WILDCARD);
      return node.deep;
    }
    return undefined;
  }

  /** The stored value at exactly these (pattern) segments, if any. */
  get(segments: readonly string[]): V | undefined {
    let node: TrieNode<V> | undefined = this.root;
    for (let i = 0; i < segments.length && node; i++) {
      const segment = segments[i] as string;
      if (segment === DEEP_WILDCARD && i === segments.length - 1) return node.deep;
      node = (isPattern(segment) ? node.globs : node.exact).get(segment);
    }
    return node?.value;
  }

  /**
   * Stores a value at the given pattern segments, merging with what is there. Returns
   * the change in budget weight and the stored value, which may now live under a
   * collapsed pattern.
   */
  insert(segments: readonly string[], value: V): { delta: number; stored: V; segments: string[] } {
    const before = this.entryWeight;
    let node = this.root;
    const path: string[] = [];
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as string;
      if (segment === DEEP_WILDCARD && i === segments.length - 1) {
        const stored = this.place(node, 'deep', value);
        path.push(DEEP_WILDCARD);
        return { delta: this.entryWeight - before, stored, segments: path };
      }
      node = this.child(node, path, segment);
      path.push(this.lastKey);
    }
    const stored = this.place(node, 'value', value);
    return { delta: this.entryWeight - before, stored, segments: path };
  }

  private lastKey = '';

  private child(node: TrieNode<V>, parent: readonly string[], segment: string): TrieNode<V> {
    const table = isPattern(segment) ? node.globs : node.exact;
    const existing = table.get(segment);
    if (existing) {
      this.lastKey = segment;
      return existing;
    }
    // A concrete segment already covered by a glob child goes there instead of growing the fan-out.
    if (!isPattern(segment)) {
      for (const [pattern, child] of node.globs) {
        if (globMatches(pattern, segment)) {
          this.lastKey = pattern;
          return child;
        }
      }
    }
    if (node.childCount() >= this.fanout(parent)) {
      const collapsed = this.collapse(node);
      this.lastKey = WILDCARD;
      return collapsed;
    }
    const created = new TrieNode<V>();
    table.set(segment, created);
    this.lastKey = segment;
    return created;
  }

  /** Folds every child of `node` into one `*` child; returns it. */
  private collapse(node: TrieNode<V>): TrieNode<V> {
    const target = node.globs.get(WILDCARD) ?? new TrieNode<V>();
    for (const [key, child] of [...node.exact, ...node.globs]) {
      if (key === WILDCARD && child === target) continue;
      this.mergeInto(target, child);
    }
    node.exact.clear();
    node.globs.clear();
    node.globs.set(WILDCARD, target);
    return target;
  }

  private mergeInto(target: TrieNode<V>, source: TrieNode<V>): void {
    if (source.value !== undefined) this.place(target, 'value', source.value, true);
    if (source.deep !== undefined) this.place(target, 'deep', source.deep, true);
    for (const [key, child] of source.exact) {
      const existing = target.exact.get(key);
      if (existing) this.mergeInto(existing, child);
      else target.exact.set(key, child);
    }
    for (const [key, child] of source.globs) {
      const existing = target.globs.get(key);
      if (existing) this.mergeInto(existing, child);
      else target.globs.set(key, child);
    }
  }

  /**
   * Puts a value in a slot. `moved` values were already counted: only the weight lost
   * by merging two of them is subtracted.
   */
  private place(node: TrieNode<V>, slot: 'value' | 'deep', value: V, moved = false): V {
    const existing = node[slot];
    const incoming = moved ? 0 : this.ops.weight(value);
    if (existing === undefined) {
      node[slot] = value;
      this.entryWeight += incoming;
      return value;
    }
    const merged = this.ops.merge(existing, value);
    this.entryWeight += this.ops.weight(merged) - this.ops.weight(existing) - (moved ? this.ops.weight(value) : 0);
    node[slot] = merged;
    return merged;
  }

  /** Re-reads a value's budget weight after the caller changed it in place. */
  reweigh(before: number, after: number): void {
    this.entryWeight += after - before;
  }

  /**
   * Collapses the node with the most children (at least two) into `*`. Returns the
   * budget weight freed, 0 when nothing could collapse. Used when the profile budget
   * is exhausted.
   */
  collapseWidest(): number {
    let widest: TrieNode<V> | undefined;
    let widestCount = 1;
    const stack: TrieNode<V>[] = [this.root];
    while (stack.length > 0) {
      const node = stack.pop() as TrieNode<V>;
      const count = node.childCount();
      if (count > widestCount) {
        widest = node;
        widestCount = count;
      }
      for (const child of node.exact.values()) stack.push(child);
      for (const child of node.globs.values()) stack.push(child);
    }
    if (!widest) return 0;
    const before = this.entryWeight;
    this.collapse(widest);
    return before - this.entryWeight;
  }

  /** All entries, unordered; callers sort by their rendered pattern. */
  entries(): TrieEntry<V>[] {
    const out: TrieEntry<V>[] = [];
    const walk = (node: TrieNode<V>, segments: string[]): void => {
      if (node.value !== undefined) out.push({ segments: [...segments], value: node.value });
      if (node.deep !== undefined) out.push({ segments: [...segments, DEEP_WILDCARD], value: node.deep });
      for (const [key, child] of node.exact) walk(child, [...segments, key]);
      for (const [key, child] of node.globs) walk(child, [...segments, key]);
    };
    walk(this.root, []);
    return out;
  }
}
