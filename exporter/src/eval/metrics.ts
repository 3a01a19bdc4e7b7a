/**
 * Detection metrics over anomaly scores (higher = more anomalous).
 */

/** Area under the ROC curve (Mann–Whitney U), ties counted as one half. */
export function auc(normal: readonly number[], attack: readonly number[]): number {
  if (normal.length === 0 || attack.length === 0) throw new Error('AUC needs at least one normal and one attack score');
  const all = [...normal.map((s) => ({ s, attack: false })), ...attack.map((s) => ({ s, attack: true }))].sort((a, b) => a.s - b.s);
  let rankSumAttack = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && (all[j] as { s: number }).s === (all[i] as { s: number }).s) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if ((all[k] as { attack: boolean }).attack) rankSumAttack += averageRank;
    i = j;
  }
  const u = rankSumAttack - (attack.length * (attack.length + 1)) / 2;
  return u / (attack.length * normal.length);
}

/**
 * Detection rate at a false-alarm rate: the threshold is the lowest score that flags at
 * most `far` of the normal scores (flagging means score > threshold, so ties with
 * normal scores are never flagged).
 */
export function detectionAtFalseAlarmRate(normal: readonly number[], attack: readonly number[], far: number): { threshold: number; detection: number; falseAlarmRate: number } {
  const sorted = [...normal].sort((a, b) => b - a);
  const allowed = Math.floor(far * sorted.length);
  const threshold = allowed >= sorted.length ? -Infinity : (sorted[allowed] as number);
  return {
    threshold,
    detection: rate(attack, threshold),
    falseAlarmRate: rate(normal, threshold),
  };
}

/** Share of scores strictly above the threshold. */
export function rate(scores: readonly number[], threshold: number): number {
  if (scores.length === 0) return 0;
  return scores.filter((s) => s > threshold).length / scores.length;
}

/** Share of scores at or above the threshold (alerting semantics: score ≥ 0.9). */
export function rateAtOrAbove(scores: readonly number[], threshold: number): number {
  if (scores.length === 0) return 0;
  return scores.filter((s) => s >= threshold).length / scores.length;
}
