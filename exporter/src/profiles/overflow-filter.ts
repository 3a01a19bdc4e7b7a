/**
 * Where items go when the profile budget is exhausted and nothing can generalize: a
 * fixed-size Bloom filter. An item in it is treated as "seen, support 1", so a full
 * profile does not re-alert on what it already saw, while memory stays constant.
 * False positives (an unseen item taken as seen) stay under 1 % up to ~13k items
 * with the default 128 Kibit and 7 hashes, and are the price of a hard memory cap.
 */
export const OVERFLOW_FILTER_BITS = 1 << 17;
const HASHES = 7;

function fnv1a(text: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export class OverflowFilter {
  private readonly bits: Uint8Array;
  private items = 0;

  constructor(bits: Uint8Array = new Uint8Array(OVERFLOW_FILTER_BITS / 8), items = 0) {
    if (bits.length !== OVERFLOW_FILTER_BITS / 8) throw new Error(`overflow filter must hold ${OVERFLOW_FILTER_BITS} bits`);
    this.bits = bits;
    this.items = items;
  }

  /** Items added so far (with repeats), for the document and for judging saturation. */
  get count(): number {
    return this.items;
  }

  add(key: string): void {
    for (const bit of this.positions(key)) this.bits[bit >>> 3] = (this.bits[bit >>> 3] as number) | (1 << (bit & 7));
    this.items += 1;
  }

  has(key: string): boolean {
    if (this.items === 0) return false;
    for (const bit of this.positions(key)) {
      if (((this.bits[bit >>> 3] as number) & (1 << (bit & 7))) === 0) return false;
    }
    return true;
  }

  toBase64(): string {
    return Buffer.from(this.bits).toString('base64');
  }

  static fromBase64(text: string, items: number): OverflowFilter {
    const bytes = Buffer.from(text, 'base64');
    return new OverflowFilter(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice(), items);
  }

  private positions(key: string): number[] {
    const h1 = fnv1a(key, 0);
    const h2 = fnv1a(key, 0x9e3779b9) | 1;
    const out: number[] = [];
    for (let i = 0; i < HASHES; i++) out.push((h1 + Math.imul(i, h2)) >>> 0 & (OVERFLOW_FILTER_BITS - 1));
    return out;
  }
}
