/** Reproducible shuffles and splits for evaluation. */
import { seededRandom } from '../scoring/seeded-random.js';

export { seededRandom };

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
