/**
 * What a profile remembers about each entry. `support` is the number of epochs in
 * which the entry was seen: the kernel reports an item once per epoch, so this is the
 * only frequency user space can know, and it is what rarity weighting uses.
 */
export interface EntryStats {
  support: number;
  /** Milliseconds since the Unix epoch. */
  firstSeen: number;
  lastSeen: number;
  /** Epoch of the last sighting; keeps two items that generalize to one pattern in one epoch from counting twice. */
  lastEpoch: number;
  /** Learned while the profile was already ready (the lead's lifecycle decides when that is allowed). */
  addedAfterReady: boolean;
}

export interface ObserveContext {
  /** Epoch number as bumped by user space; increases monotonically. */
  readonly epoch: number;
  /** Observation time, ms since the Unix epoch. */
  readonly time: number;
  /** True once the profile is ready: new entries get `addedAfterReady`. */
  readonly afterReady: boolean;
}

export function newStats(ctx: ObserveContext): EntryStats {
  return { support: 1, firstSeen: ctx.time, lastSeen: ctx.time, lastEpoch: ctx.epoch, addedAfterReady: ctx.afterReady };
}

/** Records one more sighting; support grows at most once per epoch. */
export function touchStats(stats: EntryStats, ctx: ObserveContext): void {
  if (ctx.epoch > stats.lastEpoch) {
    stats.support += 1;
    stats.lastEpoch = ctx.epoch;
  }
  if (ctx.time > stats.lastSeen) stats.lastSeen = ctx.time;
  if (ctx.time < stats.firstSeen) stats.firstSeen = ctx.time;
}

/**
 * Stats of two entries folded into one wildcard. The epochs they were seen in are
 * unknown, so the merged support is the larger of the two: a lower bound that keeps
 * rarity weighting on the cautious side.
 */
export function mergeStats(a: EntryStats, b: EntryStats): EntryStats {
  return {
    support: Math.max(a.support, b.support),
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
    lastEpoch: Math.max(a.lastEpoch, b.lastEpoch),
    addedAfterReady: a.addedAfterReady && b.addedAfterReady,
  };
}
