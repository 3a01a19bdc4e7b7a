/** Reproducible shuffles and splits for evaluation (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Splits after a seeded shuffle; the first part gets round(fraction · n) items. */
export function seededSplit<T>(items: readonly T[], fraction: number, seed: number): [T[], T[]] {
  const shuffled = seededShuffle(items, seed);
  const cut = Math.round(fraction * shuffled.length);
  return [shuffled.slice(0, cut), shuffled.slice(cut)];
}
