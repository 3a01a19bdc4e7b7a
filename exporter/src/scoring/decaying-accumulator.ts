/**
 * Evidence that fades: value(t) = Σ wᵢ · 2^(−(t − tᵢ)/halfLife). O(1) state, so one per
 * (workload, container, category) costs a few bytes.
 */
export class DecayingAccumulator {
  private value = 0;
  private at = Number.NEGATIVE_INFINITY;

  constructor(private readonly halfLifeMs: number) {
    if (!(halfLifeMs > 0)) throw new Error(`half-life must be positive, got ${halfLifeMs}`);
  }

  add(weight: number, timeMs: number): void {
    this.value = this.valueAt(timeMs) + weight;
    if (timeMs > this.at) this.at = timeMs;
  }

  valueAt(timeMs: number): number {
    if (this.value === 0 || timeMs <= this.at) return this.value;
    return this.value * 2 ** (-(timeMs - this.at) / this.halfLifeMs);
  }

  reset(): void {
    this.value = 0;
    this.at = Number.NEGATIVE_INFINITY;
  }
}
